/* SPDX-License-Identifier: MIT */
/*
 * DOC: CSF firmware image format
 *
 * The layout of a Mali CSF firmware image (``mali_csffw.bin``), declared
 * once and shared by the driver's parser (driver/tyrc_fw_image.c), the image
 * tool (harness/firmware/tyrc-mkfw.c) and the GPU model's MCU. All fields
 * are little-endian. Reference: csf-firmware.md §1; panthor_fw.c.
 *
 * Glossary: *entry area* the bytes [0x14, header.size) holding the entries;
 * *MCU VA* an address in the firmware's own address space (AS 0); *file
 * offset* a byte offset from the start of the image.
 *
 * Image::
 *
 *   0x00  struct tyrc_fw_header        magic, version, size of the entry area
 *   0x14  entries, back to back        u32 entry header + body, each a
 *                                      multiple of 4 bytes, parsed while
 *                                      offset < header.size
 *   ...   blobs                        section data and build-info text,
 *                                      addressed by file offsets from bodies
 *
 * Entry header: type [7:0], size in bytes including the header word [15:8]
 * (so at most 255), UPDATE bit 30, OPTIONAL bit 31. An unknown entry type
 * fails the load unless OPTIONAL is set.
 *
 * IFACE entry (type 0): struct tyrc_fw_iface_body, then the section name
 * filling the rest of the entry (NUL-padded; may be empty). The section is
 * mapped at [va_start, va_end) in the MCU VM; the bytes [data_start,
 * data_end) of the file are copied to its start and, with ZERO, the rest is
 * zero-filled. The section at CSF_MCU_SHARED_REGION_START must be SHARED and
 * is the *shared section* holding the interface tables (§3).
 *
 * BUILD_INFO_METADATA entry (type 6): struct tyrc_fw_build_info_body,
 * pointing at text in the file; text that starts with "git_sha: " and ends
 * with a NUL carries the firmware's version.
 *
 * Our model firmware (written by tyrc-mkfw) additionally starts its code
 * section with a struct tyrc_fw_ident block that the emulated MCU checks at
 * boot, and seeds its data section with TYRC_FW_DATA_SEED_MAGIC.
 */
#ifndef TYRC_FW_FORMAT_H
#define TYRC_FW_FORMAT_H

#include "tyrc_fw_iface.h"
#include <string.h>

#include <tyrc/types.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "the firmware structs are read in place: little-endian hosts only");

/* ---- Header ---- */

#define TYRC_FW_MAGIC 0xc3f13a6eu
/* The only header major version the loader accepts (minor is not checked). */
#define TYRC_FW_HEADER_MAJOR 0u

/**
 * struct tyrc_fw_header - the first 20 bytes of an image.
 */
struct tyrc_fw_header {
	/** @magic: TYRC_FW_MAGIC. */
	u32 magic;
	/** @minor: header minor version; any value is accepted. */
	u8 minor;
	/** @major: header major version; must be TYRC_FW_HEADER_MAJOR. */
	u8 major;
	/** @padding1: must be zero (not checked, as in panthor). */
	u16 padding1;
	/** @version_hash: firmware version hash, informational. */
	u32 version_hash;
	/** @padding2: must be zero (not checked, as in panthor). */
	u32 padding2;
	/** @size: file offset of the end of the entry area; at most the file size. */
	u32 size;
};

_Static_assert(offsetof(struct tyrc_fw_header, magic) == 0x00, "magic@0x00");
_Static_assert(offsetof(struct tyrc_fw_header, minor) == 0x04, "minor@0x04");
_Static_assert(offsetof(struct tyrc_fw_header, major) == 0x05, "major@0x05");
_Static_assert(offsetof(struct tyrc_fw_header, padding1) == 0x06, "padding1@0x06");
_Static_assert(offsetof(struct tyrc_fw_header, version_hash) == 0x08, "version_hash@0x08");
_Static_assert(offsetof(struct tyrc_fw_header, padding2) == 0x0c, "padding2@0x0c");
_Static_assert(offsetof(struct tyrc_fw_header, size) == 0x10, "size@0x10");
_Static_assert(sizeof(struct tyrc_fw_header) == 0x14, "header is 20 bytes");

/* File offset of the first entry. */
#define TYRC_FW_ENTRIES_OFFSET ((u32)sizeof(struct tyrc_fw_header))

/* ---- Entries ---- */

#define TYRC_FW_ENTRY_TYPE GENMASK(7, 0)
#define TYRC_FW_ENTRY_SIZE GENMASK(15, 8)
#define TYRC_FW_ENTRY_UPDATE BIT(30)
#define TYRC_FW_ENTRY_OPTIONAL BIT(31)
/* Entry sizes and offsets are multiples of this. */
#define TYRC_FW_ENTRY_ALIGN 4u
/* Largest well-formed entry size: 8-bit size field, multiple of 4, header word included. */
#define TYRC_FW_ENTRY_MAX_SIZE 0xfcu

/**
 * enum tyrc_fw_entry_type - entry types (append-only; values are Arm's).
 * @TYRC_FW_ENTRY_IFACE: a memory section (struct tyrc_fw_iface_body).
 * @TYRC_FW_ENTRY_CONFIG: firmware configuration option; ignored by panthor.
 * @TYRC_FW_ENTRY_FUTF_TEST: firmware unit tests; ignored by panthor.
 * @TYRC_FW_ENTRY_TRACE_BUFFER: trace buffer interface; ignored by panthor.
 * @TYRC_FW_ENTRY_TIMELINE_METADATA: timeline metadata; ignored by panthor.
 * @TYRC_FW_ENTRY_BUILD_INFO_METADATA: build information (struct
 *	tyrc_fw_build_info_body).
 * @TYRC_FW_ENTRY_FUNC_CALL_LIST: kbase's name; unknown to panthor, so
 *	accepted only when OPTIONAL.
 * @TYRC_FW_ENTRY_PAGE_FAULT_CNT: kbase's name; unknown to panthor, so
 *	accepted only when OPTIONAL.
 * @TYRC_FW_ENTRY_CORE_DUMP: kbase's name; unknown to panthor, so accepted
 *	only when OPTIONAL.
 *
 * Arm's arch10.8 image also carries an OPTIONAL type 5, named nowhere.
 */
enum tyrc_fw_entry_type {
	TYRC_FW_ENTRY_IFACE = 0,
	TYRC_FW_ENTRY_CONFIG = 1,
	TYRC_FW_ENTRY_FUTF_TEST = 2,
	TYRC_FW_ENTRY_TRACE_BUFFER = 3,
	TYRC_FW_ENTRY_TIMELINE_METADATA = 4,
	TYRC_FW_ENTRY_BUILD_INFO_METADATA = 6,
	TYRC_FW_ENTRY_FUNC_CALL_LIST = 7,
	TYRC_FW_ENTRY_PAGE_FAULT_CNT = 8,
	TYRC_FW_ENTRY_CORE_DUMP = 9,
};

/**
 * tyrc_fw_entry_hdr() - build an entry header word.
 * @type: an enum tyrc_fw_entry_type value (or any 8-bit type)
 * @size: entry size in bytes including the header word (at most 255)
 * @optional: set OPTIONAL (a loader that does not know @type skips it)
 * @update: set UPDATE (the entry may change in a firmware update)
 */
static inline u32 tyrc_fw_entry_hdr(u32 type, u32 size, bool optional, bool update)
{
	return (u32)FIELD_PREP(TYRC_FW_ENTRY_TYPE, type) |
	       (u32)FIELD_PREP(TYRC_FW_ENTRY_SIZE, size) | (optional ? TYRC_FW_ENTRY_OPTIONAL : 0) |
	       (update ? TYRC_FW_ENTRY_UPDATE : 0);
}

/** tyrc_fw_entry_type() - the type field of an entry header word. */
static inline u32 tyrc_fw_entry_type(u32 ehdr)
{
	return (u32)FIELD_GET(TYRC_FW_ENTRY_TYPE, ehdr);
}

/** tyrc_fw_entry_size() - the size field (bytes, header word included). */
static inline u32 tyrc_fw_entry_size(u32 ehdr)
{
	return (u32)FIELD_GET(TYRC_FW_ENTRY_SIZE, ehdr);
}

/* ---- IFACE (memory section) entries ---- */

#define TYRC_FW_IFACE_RD BIT(0)
#define TYRC_FW_IFACE_WR BIT(1)
#define TYRC_FW_IFACE_EX BIT(2)
#define TYRC_FW_IFACE_CACHE_MODE GENMASK(4, 3)
#define TYRC_FW_IFACE_CACHE_MODE_NONE 0u
#define TYRC_FW_IFACE_CACHE_MODE_CACHED 1u
#define TYRC_FW_IFACE_CACHE_MODE_UNCACHED_COHERENT 2u
#define TYRC_FW_IFACE_CACHE_MODE_CACHED_COHERENT 3u
#define TYRC_FW_IFACE_PROT BIT(5)
#define TYRC_FW_IFACE_SHARED BIT(30)
#define TYRC_FW_IFACE_ZERO BIT(31)
#define TYRC_FW_IFACE_SUPPORTED_FLAGS                                                        \
	(TYRC_FW_IFACE_RD | TYRC_FW_IFACE_WR | TYRC_FW_IFACE_EX | TYRC_FW_IFACE_CACHE_MODE | \
	 TYRC_FW_IFACE_PROT | TYRC_FW_IFACE_SHARED | TYRC_FW_IFACE_ZERO)

/** tyrc_fw_iface_cache_mode() - flags to a TYRC_FW_IFACE_CACHE_MODE_* value. */
static inline u32 tyrc_fw_iface_cache_mode(u32 flags)
{
	return (u32)FIELD_GET(TYRC_FW_IFACE_CACHE_MODE, flags);
}

/** tyrc_fw_iface_cache_flags() - a TYRC_FW_IFACE_CACHE_MODE_* value as flag bits. */
static inline u32 tyrc_fw_iface_cache_flags(u32 mode)
{
	return (u32)FIELD_PREP(TYRC_FW_IFACE_CACHE_MODE, mode);
}

/* MCU page size: section VAs are aligned to it. */
#define TYRC_FW_MCU_PAGE_SIZE 0x1000u
/* The shared section (interface tables) sits here; panthor's auto-VA window follows. */
#define CSF_MCU_SHARED_REGION_START 0x04000000u
#define CSF_MCU_SHARED_REGION_SIZE 0x04000000u

/**
 * struct tyrc_fw_iface_body - body of an IFACE entry (after the header word).
 *
 * The section name follows, up to the end of the entry.
 */
struct tyrc_fw_iface_body {
	/** @flags: TYRC_FW_IFACE_*; any other bit fails the load. */
	u32 flags;
	/** @va_start: MCU VA of the section; 4 KiB aligned. */
	u32 va_start;
	/** @va_end: end of the section (exclusive); 4 KiB aligned, >= @va_start. */
	u32 va_end;
	/** @data_start: file offset of the initial contents. */
	u32 data_start;
	/** @data_end: end of the initial contents; >= @data_start, <= file size. */
	u32 data_end;
};

_Static_assert(offsetof(struct tyrc_fw_iface_body, flags) == 0x00, "flags@0x00");
_Static_assert(offsetof(struct tyrc_fw_iface_body, va_start) == 0x04, "va_start@0x04");
_Static_assert(offsetof(struct tyrc_fw_iface_body, va_end) == 0x08, "va_end@0x08");
_Static_assert(offsetof(struct tyrc_fw_iface_body, data_start) == 0x0c, "data_start@0x0c");
_Static_assert(offsetof(struct tyrc_fw_iface_body, data_end) == 0x10, "data_end@0x10");
_Static_assert(sizeof(struct tyrc_fw_iface_body) == 0x14, "IFACE body is 20 bytes");

/* Smallest IFACE entry: header word + body, empty name. */
#define TYRC_FW_IFACE_ENTRY_MIN_SIZE (4u + (u32)sizeof(struct tyrc_fw_iface_body))
/* Longest section name an entry can hold. */
#define TYRC_FW_SECTION_NAME_MAX (255u - TYRC_FW_IFACE_ENTRY_MIN_SIZE)

/* ---- BUILD_INFO_METADATA entries ---- */

/**
 * struct tyrc_fw_build_info_body - body of a BUILD_INFO_METADATA entry.
 */
struct tyrc_fw_build_info_body {
	/** @meta_start: file offset of the build-info text. */
	u32 meta_start;
	/** @meta_size: its size in bytes, the terminating NUL included. */
	u32 meta_size;
};

_Static_assert(offsetof(struct tyrc_fw_build_info_body, meta_start) == 0x0, "meta_start@0x0");
_Static_assert(offsetof(struct tyrc_fw_build_info_body, meta_size) == 0x4, "meta_size@0x4");
_Static_assert(sizeof(struct tyrc_fw_build_info_body) == 0x8, "build-info body is 8 bytes");

#define TYRC_FW_BUILD_INFO_ENTRY_MIN_SIZE (4u + (u32)sizeof(struct tyrc_fw_build_info_body))
/* Prefix of build-info text that carries a version (not NUL-terminated here). */
#define TYRC_FW_GIT_SHA_PREFIX "git_sha: "
#define TYRC_FW_GIT_SHA_PREFIX_LEN 9u

/* ---- CONFIG entries (informational) ---- */

/**
 * struct tyrc_fw_config_body - body of a CONFIG entry, as Arm's images and
 * kbase use it; panthor ignores the entry. The option name follows.
 */
struct tyrc_fw_config_body {
	/** @address: MCU VA of the option's u32 value. */
	u32 address;
	/** @min: smallest accepted value. */
	u32 min;
	/** @max: largest accepted value. */
	u32 max;
};

_Static_assert(offsetof(struct tyrc_fw_config_body, address) == 0x0, "address@0x0");
_Static_assert(offsetof(struct tyrc_fw_config_body, min) == 0x4, "min@0x4");
_Static_assert(offsetof(struct tyrc_fw_config_body, max) == 0x8, "max@0x8");
_Static_assert(sizeof(struct tyrc_fw_config_body) == 0xc, "config body is 12 bytes");

/* ---- CSF interface version (GLB version word, csf-firmware.md §3) ---- */

/* The encoding itself is defined once, with the interface: CSF_IFACE_VERSION(). */
static inline u32 tyrc_csf_iface_version(u32 major, u32 minor, u32 patch)
{
	return CSF_IFACE_VERSION(major & 0xff, minor & 0xff, patch & 0xffff);
}

/* ---- tyrc model firmware identification block ---- */

#define TYRC_FW_IDENT_MAGIC "TYRCMCU"
#define TYRC_FW_IDENT_FORMAT_VERSION 1u
#define TYRC_FW_IDENT_VERSION_LEN 32u

/**
 * struct tyrc_fw_ident - tyrc model firmware identification block.
 *
 * The first bytes of our model firmware's code section, at MCU VA 0x0. The
 * emulated MCU is to read it through its own address space (AS 0) when it
 * boots, and to boot only if it finds this block with a known
 * @format_version and an @iface_version it implements; otherwise the GLB
 * version word stays 0, which panthor reports as a firmware that failed to
 * boot. Arm's images have no such block: the model does not run them.
 */
struct tyrc_fw_ident {
	/** @magic: TYRC_FW_IDENT_MAGIC, NUL-terminated ("TYRCMCU\0"). */
	char magic[8];
	/** @format_version: layout version of this block: TYRC_FW_IDENT_FORMAT_VERSION. */
	u32 format_version;
	/** @size: sizeof(struct tyrc_fw_ident) for this @format_version. */
	u32 size;
	/** @iface_version: CSF interface version the firmware implements (tyrc_csf_iface_version()). */
	u32 iface_version;
	/** @reserved: must be zero. */
	u32 reserved[3];
	/** @fw_version: model firmware version string, NUL-terminated and NUL-padded. */
	char fw_version[TYRC_FW_IDENT_VERSION_LEN];
};

_Static_assert(offsetof(struct tyrc_fw_ident, magic) == 0x00, "magic@0x00");
_Static_assert(offsetof(struct tyrc_fw_ident, format_version) == 0x08, "format_version@0x08");
_Static_assert(offsetof(struct tyrc_fw_ident, size) == 0x0c, "size@0x0c");
_Static_assert(offsetof(struct tyrc_fw_ident, iface_version) == 0x10, "iface_version@0x10");
_Static_assert(offsetof(struct tyrc_fw_ident, reserved) == 0x14, "reserved@0x14");
_Static_assert(offsetof(struct tyrc_fw_ident, fw_version) == 0x20, "fw_version@0x20");
_Static_assert(sizeof(struct tyrc_fw_ident) == 0x40, "ident block is 64 bytes");

/* MCU VA of the identification block. */
#define TYRC_FW_IDENT_VA 0x0u

/**
 * tyrc_fw_ident_valid() - check an identification block's fixed fields.
 * @id: the block (64 bytes read from TYRC_FW_IDENT_VA)
 *
 * Return: true when the magic, format version, size and reserved words are
 * right and @fw_version is NUL-terminated. @iface_version is the caller's
 * to judge.
 */
static inline bool tyrc_fw_ident_valid(const struct tyrc_fw_ident *id)
{
	return !memcmp(id->magic, TYRC_FW_IDENT_MAGIC, sizeof(id->magic)) &&
	       id->format_version == TYRC_FW_IDENT_FORMAT_VERSION && id->size == sizeof(*id) &&
	       !id->reserved[0] && !id->reserved[1] && !id->reserved[2] &&
	       memchr(id->fw_version, '\0', sizeof(id->fw_version));
}

/* ---- tyrc model firmware data seed ---- */

/*
 * Our model firmware's data section (RD|WR|ZERO) starts with
 * TYRC_FW_DATA_SEED_LEN bytes from the image: the 8-byte magic "TYRCDAT\0",
 * then byte i (8 <= i < TYRC_FW_DATA_SEED_LEN) = i & 0xff. The rest of the
 * section is zero-filled. A loader that reloads sections (slow reset) puts
 * the seed back; tests check it through the MCU's view.
 */
#define TYRC_FW_DATA_SEED_MAGIC "TYRCDAT"
#define TYRC_FW_DATA_SEED_LEN 256u

/*
 * Where our model firmware's sections sit in the MCU VM and their sizes, as
 * tyrc-mkfw lays them out; the emulated MCU checks them at boot. Code (the
 * identification block first) RD|EX at TYRC_FW_IDENT_VA, data RD|WR at
 * TYRC_FW_DATA_VA, shared RD|WR at CSF_MCU_SHARED_REGION_START; 64 KiB each.
 */
#define TYRC_FW_DATA_VA 0x02000000u
#define TYRC_FW_SECTION_SIZE 0x10000u

#endif /* TYRC_FW_FORMAT_H */
