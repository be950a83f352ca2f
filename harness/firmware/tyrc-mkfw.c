// SPDX-License-Identifier: MIT
/*
 * tyrc-mkfw: write the tyrc model firmware image, in Arm's CSF image format
 * (driver/regs/tyrc_fw_format.h), or one malformed variant of it.
 *
 * Image layout (all offsets in the file):
 *
 *   0x000  header: magic, minor 3 (as Arm's arch10.8 image; the loader
 *          ignores the minor), major 0, version_hash = FNV-1a of the
 *          version string, size = end of the entry area
 *   0x014  IFACE "tyrc.code"   VA 0x00000000-0x00010000  RD|EX|CACHED
 *          data: the identification block (struct tyrc_fw_ident)
 *          IFACE "tyrc.data"   VA 0x02000000-0x02010000  RD|WR|CACHED|ZERO
 *          data: the data seed (TYRC_FW_DATA_SEED_LEN bytes), rest zero
 *          IFACE "tyrc.shared" VA 0x04000000-0x04010000
 *          RD|WR|CACHED_COHERENT|SHARED|ZERO, no data: the emulated MCU
 *          writes the interface tables when it boots (Arm's image instead
 *          ships 8 KiB of pre-built tables in this section's data)
 *          CONFIG (optional) "Log verbosity", u32 at 0x02000100, 0..3
 *          BUILD_INFO_METADATA (optional) -> "git_sha: <version>\0"
 *   0x0ac  end of the entry area; the blobs follow, each 16-byte aligned:
 *          build-info text, identification block, data seed
 *
 * --corrupt KIND writes the same image with exactly one defect, each one
 * tripping a distinct check of the loader (--list-corruptions).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyrc_fw_format.h"

#ifndef TYRC_VERSION
#define TYRC_VERSION "0.0.0"
#endif

#define MKFW_FW_VERSION "tyrc-model-fw " TYRC_VERSION
#define MKFW_HEADER_MINOR 3u
#define MKFW_BLOB_ALIGN 16u

#define MKFW_CODE_VA 0x00000000u
#define MKFW_DATA_VA 0x02000000u
#define MKFW_SECTION_SIZE 0x10000u
#define MKFW_CONFIG_VA (MKFW_DATA_VA + 0x100u)

/* The image being built: bytes plus where each entry landed. */
struct mkfw_image {
	u8 *buf;
	size_t len;
	size_t cap;
	u32 code;
	u32 data;
	u32 shared;
	u32 config;
	u32 build_info;
	u32 entries_end;
};

static void *mkfw_grow(struct mkfw_image *im, size_t len)
{
	if (im->len + len > im->cap) {
		size_t cap = im->cap ? im->cap : 1024;
		u8 *n;

		while (cap < im->len + len)
			cap *= 2;
		n = realloc(im->buf, cap);
		if (!n) {
			fprintf(stderr, "tyrc-mkfw: out of memory\n");
			exit(1);
		}
		im->buf = n;
		im->cap = cap;
	}
	memset(im->buf + im->len, 0, len);
	im->len += len;
	return im->buf + im->len - len;
}

static u32 mkfw_append(struct mkfw_image *im, const void *p, size_t len)
{
	u32 off = (u32)im->len;

	memcpy(mkfw_grow(im, len), p, len);
	return off;
}

static void mkfw_align(struct mkfw_image *im, size_t align)
{
	if (im->len % align)
		mkfw_grow(im, align - im->len % align);
}

static u32 get32(const struct mkfw_image *im, u32 off)
{
	u32 v;

	memcpy(&v, im->buf + off, sizeof(v));
	return v;
}

static void put32(struct mkfw_image *im, u32 off, u32 v)
{
	memcpy(im->buf + off, &v, sizeof(v));
}

/* Entry header word of the entry at @off, and its size in bytes. */
static u32 entry_hdr(const struct mkfw_image *im, u32 off)
{
	return get32(im, off);
}

/* File offset of an IFACE body field of the entry at @entry. */
#define IFACE_FIELD(entry, field) ((entry) + 4u + (u32)offsetof(struct tyrc_fw_iface_body, field))

/* Append an entry: header word, @body, then @name NUL-padded to a multiple of 4. */
static u32 mkfw_entry(struct mkfw_image *im, u32 type, bool optional, const void *body,
		      size_t body_len, const char *name)
{
	size_t name_len = name ? strlen(name) + 1 : 0;
	size_t size = ALIGN_UP(4 + body_len + name_len, (size_t)TYRC_FW_ENTRY_ALIGN);
	u32 off = (u32)im->len;
	u8 *e = mkfw_grow(im, size);

	put32(im, off, tyrc_fw_entry_hdr(type, (u32)size, optional, false));
	memcpy(e + 4, body, body_len);
	if (name)
		memcpy(e + 4 + body_len, name, name_len - 1);
	return off;
}

static u32 mkfw_iface(struct mkfw_image *im, const char *name, u32 flags, u32 va_start, u32 va_end)
{
	struct tyrc_fw_iface_body b = {
		.flags = flags,
		.va_start = va_start,
		.va_end = va_end,
	};

	return mkfw_entry(im, TYRC_FW_ENTRY_IFACE, false, &b, sizeof(b), name);
}

/* Point the IFACE entry at @entry to @len bytes at file offset @off. */
static void mkfw_set_data(struct mkfw_image *im, u32 entry, u32 off, u32 len)
{
	put32(im, IFACE_FIELD(entry, data_start), off);
	put32(im, IFACE_FIELD(entry, data_end), off + len);
}

static u32 fnv1a(const char *s)
{
	u32 h = 0x811c9dc5u;

	while (*s) {
		h ^= (u8)*s++;
		h *= 0x01000193u;
	}
	return h;
}

static void mkfw_build(struct mkfw_image *im)
{
	static const char build_info[] = TYRC_FW_GIT_SHA_PREFIX MKFW_FW_VERSION;
	struct tyrc_fw_header hdr = {
		.magic = TYRC_FW_MAGIC,
		.minor = MKFW_HEADER_MINOR,
		.major = TYRC_FW_HEADER_MAJOR,
		.version_hash = fnv1a(MKFW_FW_VERSION),
	};
	struct tyrc_fw_config_body cfg = {
		.address = MKFW_CONFIG_VA,
		.min = 0,
		.max = 3,
	};
	struct tyrc_fw_build_info_body bi = { 0 };
	struct tyrc_fw_ident id = {
		.magic = TYRC_FW_IDENT_MAGIC,
		.format_version = TYRC_FW_IDENT_FORMAT_VERSION,
		.size = sizeof(struct tyrc_fw_ident),
		.iface_version = tyrc_csf_iface_version(1, 1, 0),
		.fw_version = MKFW_FW_VERSION,
	};
	u8 seed[TYRC_FW_DATA_SEED_LEN];
	u32 off;
	unsigned int i;

	_Static_assert(sizeof(MKFW_FW_VERSION) <= TYRC_FW_IDENT_VERSION_LEN,
		       "the version string fits the identification block");

	mkfw_append(im, &hdr, sizeof(hdr));
	im->code = mkfw_iface(im, "tyrc.code",
			      TYRC_FW_IFACE_RD | TYRC_FW_IFACE_EX |
				      tyrc_fw_iface_cache_flags(TYRC_FW_IFACE_CACHE_MODE_CACHED),
			      MKFW_CODE_VA, MKFW_CODE_VA + MKFW_SECTION_SIZE);
	im->data = mkfw_iface(im, "tyrc.data",
			      TYRC_FW_IFACE_RD | TYRC_FW_IFACE_WR | TYRC_FW_IFACE_ZERO |
				      tyrc_fw_iface_cache_flags(TYRC_FW_IFACE_CACHE_MODE_CACHED),
			      MKFW_DATA_VA, MKFW_DATA_VA + MKFW_SECTION_SIZE);
	im->shared = mkfw_iface(
		im, "tyrc.shared",
		TYRC_FW_IFACE_RD | TYRC_FW_IFACE_WR | TYRC_FW_IFACE_SHARED | TYRC_FW_IFACE_ZERO |
			tyrc_fw_iface_cache_flags(TYRC_FW_IFACE_CACHE_MODE_CACHED_COHERENT),
		CSF_MCU_SHARED_REGION_START, CSF_MCU_SHARED_REGION_START + MKFW_SECTION_SIZE);
	im->config = mkfw_entry(im, TYRC_FW_ENTRY_CONFIG, true, &cfg, sizeof(cfg), "Log verbosity");
	im->build_info =
		mkfw_entry(im, TYRC_FW_ENTRY_BUILD_INFO_METADATA, true, &bi, sizeof(bi), NULL);
	im->entries_end = (u32)im->len;
	put32(im, offsetof(struct tyrc_fw_header, size), im->entries_end);

	mkfw_align(im, MKFW_BLOB_ALIGN);
	off = mkfw_append(im, build_info, sizeof(build_info));
	put32(im, im->build_info + 4 + offsetof(struct tyrc_fw_build_info_body, meta_start), off);
	put32(im, im->build_info + 4 + offsetof(struct tyrc_fw_build_info_body, meta_size),
	      sizeof(build_info));

	mkfw_align(im, MKFW_BLOB_ALIGN);
	off = mkfw_append(im, &id, sizeof(id));
	mkfw_set_data(im, im->code, off, sizeof(id));

	memcpy(seed, TYRC_FW_DATA_SEED_MAGIC, sizeof(TYRC_FW_DATA_SEED_MAGIC));
	for (i = sizeof(TYRC_FW_DATA_SEED_MAGIC); i < sizeof(seed); i++)
		seed[i] = (u8)i;
	mkfw_align(im, MKFW_BLOB_ALIGN);
	off = mkfw_append(im, seed, sizeof(seed));
	mkfw_set_data(im, im->data, off, sizeof(seed));
}

/* ---- Corruptions: each applies exactly one defect to a built image ---- */

static void set_entry_size(struct mkfw_image *im, u32 entry, u32 size)
{
	u32 ehdr = entry_hdr(im, entry) & ~TYRC_FW_ENTRY_SIZE;

	put32(im, entry, ehdr | (u32)FIELD_PREP(TYRC_FW_ENTRY_SIZE, size));
}

static void set_va(struct mkfw_image *im, u32 entry, u32 start, u32 end)
{
	put32(im, IFACE_FIELD(entry, va_start), start);
	put32(im, IFACE_FIELD(entry, va_end), end);
}

static void or_flags(struct mkfw_image *im, u32 entry, u32 set, u32 clear)
{
	u32 flags = get32(im, IFACE_FIELD(entry, flags));

	put32(im, IFACE_FIELD(entry, flags), (flags & ~clear) | set);
}

static void c_truncated_header(struct mkfw_image *im)
{
	im->len = 12;
}

static void c_bad_magic(struct mkfw_image *im)
{
	put32(im, offsetof(struct tyrc_fw_header, magic), 0xdeadbeefu);
}

static void c_bad_major(struct mkfw_image *im)
{
	im->buf[offsetof(struct tyrc_fw_header, major)] = 1;
}

static void c_size_past_eof(struct mkfw_image *im)
{
	put32(im, offsetof(struct tyrc_fw_header, size), (u32)im->len + 4);
}

static void c_entry_header_past_end(struct mkfw_image *im)
{
	/* The entry area ends 2 bytes into where a next entry header would be. */
	put32(im, offsetof(struct tyrc_fw_header, size), im->entries_end + 2);
}

static void c_entry_past_end(struct mkfw_image *im)
{
	set_entry_size(im, im->build_info, TYRC_FW_ENTRY_MAX_SIZE);
}

static void c_entry_size_zero(struct mkfw_image *im)
{
	set_entry_size(im, im->config, 0);
}

static void c_entry_size_unaligned(struct mkfw_image *im)
{
	set_entry_size(im, im->config, tyrc_fw_entry_size(entry_hdr(im, im->config)) + 2);
}

static void c_entry_too_small(struct mkfw_image *im)
{
	set_entry_size(im, im->code, TYRC_FW_IFACE_ENTRY_MIN_SIZE - 4);
}

static void c_va_reversed(struct mkfw_image *im)
{
	set_va(im, im->data, MKFW_DATA_VA, MKFW_DATA_VA - TYRC_FW_MCU_PAGE_SIZE);
}

static void c_data_reversed(struct mkfw_image *im)
{
	u32 start = get32(im, IFACE_FIELD(im->data, data_start));

	put32(im, IFACE_FIELD(im->data, data_end), start - 4);
}

static void c_data_outside_file(struct mkfw_image *im)
{
	put32(im, IFACE_FIELD(im->data, data_end), (u32)im->len + 0x100);
}

static void c_unaligned_va(struct mkfw_image *im)
{
	set_va(im, im->data, MKFW_DATA_VA + 0x100, MKFW_DATA_VA + MKFW_SECTION_SIZE);
}

static void c_bad_flags(struct mkfw_image *im)
{
	or_flags(im, im->code, BIT(8), 0);
}

static void c_data_larger_than_section(struct mkfw_image *im)
{
	set_va(im, im->code, MKFW_CODE_VA, MKFW_CODE_VA);
}

static void c_overlapping_va(struct mkfw_image *im)
{
	set_va(im, im->data, 0x8000, 0x8000 + MKFW_SECTION_SIZE);
}

static void c_missing_shared(struct mkfw_image *im)
{
	set_va(im, im->shared, 0x05000000, 0x05000000 + MKFW_SECTION_SIZE);
}

static void c_shared_not_shared(struct mkfw_image *im)
{
	or_flags(im, im->shared, 0, TYRC_FW_IFACE_SHARED);
}

static void c_shared_empty(struct mkfw_image *im)
{
	set_va(im, im->shared, CSF_MCU_SHARED_REGION_START, CSF_MCU_SHARED_REGION_START);
}

static void c_duplicate_shared(struct mkfw_image *im)
{
	set_va(im, im->data, CSF_MCU_SHARED_REGION_START,
	       CSF_MCU_SHARED_REGION_START + MKFW_SECTION_SIZE);
	or_flags(im, im->data, TYRC_FW_IFACE_SHARED, 0);
}

static void c_unknown_mandatory_entry(struct mkfw_image *im)
{
	u32 ehdr = entry_hdr(im, im->config);

	ehdr &= ~(TYRC_FW_ENTRY_TYPE | TYRC_FW_ENTRY_OPTIONAL);
	put32(im, im->config, ehdr | (u32)FIELD_PREP(TYRC_FW_ENTRY_TYPE, 42));
}

struct mkfw_corruption {
	const char *kind;
	const char *what;
	void (*apply)(struct mkfw_image *im);
};

static const struct mkfw_corruption corruptions[] = {
	{ "truncated-header", "file shorter than the 20-byte header", c_truncated_header },
	{ "bad-magic", "header magic is not 0xc3f13a6e", c_bad_magic },
	{ "bad-major", "header major version 1", c_bad_major },
	{ "size-past-eof", "header size field past the end of the file", c_size_past_eof },
	{ "entry-header-past-end", "entry area ends inside an entry header",
	  c_entry_header_past_end },
	{ "entry-past-end", "last entry runs past the end of the entry area", c_entry_past_end },
	{ "entry-size-zero", "an entry of size 0", c_entry_size_zero },
	{ "entry-size-unaligned", "an entry size not a multiple of 4", c_entry_size_unaligned },
	{ "entry-too-small", "an IFACE entry smaller than its body", c_entry_too_small },
	{ "va-reversed", "a section with va_end < va_start", c_va_reversed },
	{ "data-reversed", "a section with data_end < data_start", c_data_reversed },
	{ "data-outside-file", "section data past the end of the file", c_data_outside_file },
	{ "unaligned-va", "a section VA not 4 KiB aligned", c_unaligned_va },
	{ "bad-flags", "a section with an unknown flag bit", c_bad_flags },
	{ "data-larger-than-section", "section data larger than the section",
	  c_data_larger_than_section },
	{ "overlapping-va", "two sections overlap in the MCU VA space", c_overlapping_va },
	{ "missing-shared", "no section at 0x04000000", c_missing_shared },
	{ "shared-not-shared", "the section at 0x04000000 lacks SHARED", c_shared_not_shared },
	{ "shared-empty", "the section at 0x04000000 is empty", c_shared_empty },
	{ "duplicate-shared", "two sections at 0x04000000", c_duplicate_shared },
	{ "unknown-mandatory-entry", "a non-optional entry of unknown type 42",
	  c_unknown_mandatory_entry },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tyrc-mkfw -o FILE [--corrupt KIND]\n"
		   "       tyrc-mkfw --list-corruptions\n"
		   "Write the tyrc model firmware image (" MKFW_FW_VERSION
		   ") in Arm's CSF image format,\n"
		   "or with --corrupt one malformed variant of it.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "corrupt", required_argument, NULL, 'c' },
		{ "list-corruptions", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct mkfw_corruption *corrupt = NULL;
	struct mkfw_image im = { 0 };
	const char *out = NULL;
	unsigned int i;
	FILE *f;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'c':
			for (i = 0; i < ARRAY_SIZE(corruptions); i++)
				if (!strcmp(optarg, corruptions[i].kind))
					corrupt = &corruptions[i];
			if (!corrupt) {
				fprintf(stderr,
					"tyrc-mkfw: unknown corruption '%s' (see --list-corruptions)\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			for (i = 0; i < ARRAY_SIZE(corruptions); i++)
				printf("%s\t%s\n", corruptions[i].kind, corruptions[i].what);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!out || optind != argc) {
		usage(stderr);
		return 2;
	}

	mkfw_build(&im);
	if (corrupt)
		corrupt->apply(&im);

	f = fopen(out, "wb");
	if (!f) {
		perror(out);
		return 1;
	}
	if (fwrite(im.buf, 1, im.len, f) != im.len) {
		perror(out);
		fclose(f);
		return 1;
	}
	if (fclose(f)) {
		perror(out);
		return 1;
	}
	free(im.buf);
	return 0;
}
