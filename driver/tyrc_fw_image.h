/* SPDX-License-Identifier: MIT */
/*
 * DOC: Firmware image parser
 *
 * Validates a CSF firmware image (layout in regs/tyrc_fw_format.h) and
 * describes it as plain data: the header, the memory sections the loader
 * must map in the MCU VM, which of them is the shared section, and the
 * build information. It performs panthor's checks (panthor_fw_load() and
 * its entry helpers) plus a few the kernel leaves to luck: section data
 * larger than the section, overlapping section VAs, a duplicate or empty
 * shared section, and every read bounded so that no input can crash it.
 *
 * The parser is a pure function over a byte buffer: no I/O, no logging, no
 * references into the buffer after it returns. Rejections come back as
 * -EINVAL with a one-line reason; things panthor only warns about (PROT
 * sections, unusable build info) come back as TYRC_FW_NOTE_* bits.
 */
#ifndef TYRC_FW_IMAGE_H
#define TYRC_FW_IMAGE_H

#include <tyrc/types.h>

#include "tyrc_fw_format.h"

/**
 * struct tyrc_fw_section - one memory section the loader maps.
 */
struct tyrc_fw_section {
	/** @name: section name from the entry, NUL-terminated; often empty. */
	char name[TYRC_FW_SECTION_NAME_MAX + 1];
	/** @flags: TYRC_FW_IFACE_* as in the image. */
	u32 flags;
	/** @va_start: MCU VA of the section (4 KiB aligned). */
	u32 va_start;
	/** @va_end: end of the section, exclusive (4 KiB aligned, may equal @va_start). */
	u32 va_end;
	/** @data_start: file offset of the initial contents. */
	u32 data_start;
	/** @data_end: end of the initial contents (<= file size, <= @data_start + size). */
	u32 data_end;
	/** @read_only: WR clear: map read-only. */
	bool read_only;
	/** @no_exec: EX clear: map no-exec. */
	bool no_exec;
	/** @uncached: cache mode other than CACHED: map uncached (as panthor). */
	bool uncached;
	/** @shared: SHARED: the host maps it too. */
	bool shared;
	/** @zero_fill: ZERO: zero the part of the section after the copied data. */
	bool zero_fill;
};

/**
 * enum tyrc_fw_note - things that did not fail the parse but a loader logs.
 * @TYRC_FW_NOTE_PROT_SKIPPED: at least one protected-mode (PROT) section was
 *	skipped (panthor warns and ignores it).
 * @TYRC_FW_NOTE_BUILD_INFO_CORRUPT: build-info text outside the file.
 * @TYRC_FW_NOTE_BUILD_INFO_UNTERMINATED: "git_sha: " text without a NUL at
 *	its end (panthor warns).
 */
enum tyrc_fw_note {
	TYRC_FW_NOTE_PROT_SKIPPED = BIT(0),
	TYRC_FW_NOTE_BUILD_INFO_CORRUPT = BIT(1),
	TYRC_FW_NOTE_BUILD_INFO_UNTERMINATED = BIT(2),
};

/* Longest git SHA text kept (longer text is truncated). */
#define TYRC_FW_GIT_SHA_MAX 127u

/**
 * struct tyrc_fw_image - a validated firmware image, as plain data.
 *
 * Filled by tyrc_fw_image_parse(), released by tyrc_fw_image_fini(). Holds
 * no pointer into the parsed buffer: section contents are read from the
 * buffer at [@data_start, @data_end) by whoever still has it.
 */
struct tyrc_fw_image {
	/** @minor: header minor version. */
	u8 minor;
	/** @major: header major version (always TYRC_FW_HEADER_MAJOR). */
	u8 major;
	/** @version_hash: header version hash. */
	u32 version_hash;
	/** @entries_end: header size field: end of the entry area. */
	u32 entries_end;
	/** @sections: the mappable sections in image order (malloc'd; PROT ones left out). */
	struct tyrc_fw_section *sections;
	/** @section_count: number of @sections. */
	unsigned int section_count;
	/** @shared_index: index in @sections of the shared section (always valid). */
	unsigned int shared_index;
	/** @entry_count: number of entries in the entry area. */
	unsigned int entry_count;
	/** @skipped_entries: entries ignored (known-but-unused and OPTIONAL unknown types). */
	unsigned int skipped_entries;
	/** @prot_sections: PROT sections skipped. */
	unsigned int prot_sections;
	/** @notes: TYRC_FW_NOTE_* bits. */
	u32 notes;
	/** @has_build_info: the image has a BUILD_INFO_METADATA entry. */
	bool has_build_info;
	/** @has_git_sha: @git_sha is valid (build info with a terminated "git_sha: " text). */
	bool has_git_sha;
	/** @git_sha: the text after "git_sha: ", NUL-terminated, truncated to TYRC_FW_GIT_SHA_MAX. */
	char git_sha[TYRC_FW_GIT_SHA_MAX + 1];
};

/**
 * tyrc_fw_image_parse() - validate a firmware image and describe it.
 * @data: the image (may be NULL only when @size is 0)
 * @size: its size in bytes
 * @img: filled on success; zeroed on failure (tyrc_fw_image_fini() is then a no-op)
 * @err: receives a one-line reason on failure (truncated to fit); may be NULL
 * @err_len: size of @err
 *
 * Context: any; allocates @img->sections with malloc.
 * Return: 0, -EINVAL for a malformed image (@err says why), -ENOMEM.
 */
int tyrc_fw_image_parse(const void *data, size_t size, struct tyrc_fw_image *img, char *err,
			size_t err_len);

/** tyrc_fw_image_fini() - free what tyrc_fw_image_parse() allocated; NULL-tolerant, idempotent. */
void tyrc_fw_image_fini(struct tyrc_fw_image *img);

/** tyrc_fw_image_shared() - the shared section of a parsed image. */
const struct tyrc_fw_section *tyrc_fw_image_shared(const struct tyrc_fw_image *img);

/**
 * tyrc_fw_image_find() - the section whose VA range contains @va.
 * Return: the section or NULL (empty sections contain nothing).
 */
const struct tyrc_fw_section *tyrc_fw_image_find(const struct tyrc_fw_image *img, u32 va);

#endif /* TYRC_FW_IMAGE_H */
