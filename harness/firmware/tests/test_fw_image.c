// SPDX-License-Identifier: MIT
/*
 * The driver's firmware image parser against: the format constants, our
 * model image (tyrc-mkfw), Arm's real arch10.8 image (skipped when absent),
 * hand-built images for the accepted-but-odd cases, the malformed corpus
 * (each image rejected for its own reason), and truncated, mutated and
 * random images that must never crash it (the build-asan flavour runs this
 * under ASan/UBSan). Paths come from the environment set by meson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <tyrc/firmware.h>

#include "tyrc_fw_image.h"

#define ERR_LEN 256

/* ---- helpers ---- */

static const struct tyrc_firmware *load_fw(const char *dir_env, const char *name)
{
	const char *dir = getenv(dir_env);
	const char *path[] = { dir, NULL };
	const struct tyrc_firmware *fw = NULL;
	int ret;

	if (!dir || !name)
		fail_msg("%s is not set (run through meson test)", dir_env);
	ret = tyrc_request_firmware(&fw, name, path);
	if (ret)
		fail_msg("loading %s/%s: %d", dir, name, ret);
	return fw;
}

/* Parse a private, exactly-sized copy so ASan sees any read past its end. */
static int parse_copy(const void *data, size_t size, struct tyrc_fw_image *img, char *err)
{
	void *copy = malloc(size ? size : 1);
	int ret;

	assert_non_null(copy);
	if (size)
		memcpy(copy, data, size);
	ret = tyrc_fw_image_parse(copy, size, img, err, ERR_LEN);
	free(copy);
	return ret;
}

static void assert_zeroed(const struct tyrc_fw_image *img)
{
	static const struct tyrc_fw_image zero;

	assert_memory_equal(img, &zero, sizeof(zero));
}

/* What must hold for any image the parser accepts, whatever its origin. */
static void check_invariants(const struct tyrc_fw_image *img, size_t size)
{
	const struct tyrc_fw_section *shared = tyrc_fw_image_shared(img);
	unsigned int i, j;

	assert_non_null(shared);
	assert_int_equal(shared->va_start, CSF_MCU_SHARED_REGION_START);
	assert_true(shared->shared);
	assert_true(shared->va_end > shared->va_start);
	assert_int_equal(img->major, TYRC_FW_HEADER_MAJOR);
	assert_true(img->entries_end <= size);
	for (i = 0; i < img->section_count; i++) {
		const struct tyrc_fw_section *s = &img->sections[i];

		assert_true(s->va_start <= s->va_end);
		assert_true(s->data_start <= s->data_end);
		assert_true(s->data_end <= size);
		assert_true(s->data_end - s->data_start <= s->va_end - s->va_start);
		assert_int_equal(s->va_start % TYRC_FW_MCU_PAGE_SIZE, 0);
		assert_int_equal(s->va_end % TYRC_FW_MCU_PAGE_SIZE, 0);
		assert_int_equal(s->flags & ~TYRC_FW_IFACE_SUPPORTED_FLAGS, 0);
		assert_int_equal(s->flags & TYRC_FW_IFACE_PROT, 0);
		assert_true(strlen(s->name) <= TYRC_FW_SECTION_NAME_MAX);
		for (j = 0; j < i; j++) {
			const struct tyrc_fw_section *t = &img->sections[j];

			if (s->va_start == s->va_end || t->va_start == t->va_end)
				continue;
			assert_true(s->va_end <= t->va_start || t->va_end <= s->va_start);
		}
	}
	if (img->has_git_sha)
		assert_true(strlen(img->git_sha) <= TYRC_FW_GIT_SHA_MAX);
}

struct expect_section {
	const char *name;
	u32 flags;
	u32 va_start;
	u32 va_end;
	u32 data_len;
	bool read_only;
	bool no_exec;
	bool uncached;
	bool shared;
	bool zero_fill;
};

static void check_sections(const struct tyrc_fw_image *img, const struct expect_section *e,
			   unsigned int n)
{
	unsigned int i;

	assert_int_equal(img->section_count, n);
	for (i = 0; i < n; i++) {
		const struct tyrc_fw_section *s = &img->sections[i];

		assert_string_equal(s->name, e[i].name);
		assert_int_equal(s->flags, e[i].flags);
		assert_int_equal(s->va_start, e[i].va_start);
		assert_int_equal(s->va_end, e[i].va_end);
		assert_int_equal(s->data_end - s->data_start, e[i].data_len);
		assert_int_equal(s->read_only, e[i].read_only);
		assert_int_equal(s->no_exec, e[i].no_exec);
		assert_int_equal(s->uncached, e[i].uncached);
		assert_int_equal(s->shared, e[i].shared);
		assert_int_equal(s->zero_fill, e[i].zero_fill);
	}
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* ---- the format header ---- */

static void test_format(void **state)
{
	u32 ehdr = tyrc_fw_entry_hdr(TYRC_FW_ENTRY_TRACE_BUFFER, 44, true, true);
	struct tyrc_fw_ident id = {
		.magic = TYRC_FW_IDENT_MAGIC,
		.format_version = TYRC_FW_IDENT_FORMAT_VERSION,
		.size = sizeof(struct tyrc_fw_ident),
		.iface_version = 0x01010000,
		.fw_version = "x",
	};

	/* Arm's image holds exactly this word for its first 44-byte trace buffer entry. */
	assert_int_equal(ehdr, 0xc0002c03);
	assert_int_equal(tyrc_fw_entry_type(ehdr), TYRC_FW_ENTRY_TRACE_BUFFER);
	assert_int_equal(tyrc_fw_entry_size(ehdr), 44);
	assert_int_equal(tyrc_fw_entry_hdr(TYRC_FW_ENTRY_IFACE, 32, false, false), 0x2000);
	assert_int_equal(TYRC_FW_IFACE_SUPPORTED_FLAGS, 0xc000003f);
	assert_int_equal(tyrc_fw_iface_cache_flags(TYRC_FW_IFACE_CACHE_MODE_CACHED_COHERENT), 0x18);
	assert_int_equal(tyrc_fw_iface_cache_mode(0xc000001b),
			 TYRC_FW_IFACE_CACHE_MODE_CACHED_COHERENT);
	assert_int_equal(TYRC_FW_IFACE_ENTRY_MIN_SIZE, 24);
	assert_int_equal(TYRC_FW_SECTION_NAME_MAX, 231);
	assert_int_equal(tyrc_csf_iface_version(1, 1, 0), 0x01010000);

	assert_true(tyrc_fw_ident_valid(&id));
	id.reserved[1] = 1;
	assert_false(tyrc_fw_ident_valid(&id));
	id.reserved[1] = 0;
	id.magic[0] = 't';
	assert_false(tyrc_fw_ident_valid(&id));
	id.magic[0] = 'T';
	memset(id.fw_version, 'v', sizeof(id.fw_version));
	assert_false(tyrc_fw_ident_valid(&id));
}

/* ---- our model image ---- */

static void test_model_image(void **state)
{
	static const struct expect_section expect[] = {
		{ "tyrc.code", 0x0d, 0x00000000, 0x00010000, sizeof(struct tyrc_fw_ident), true,
		  false, false, false, false },
		{ "tyrc.data", 0x8000000b, 0x02000000, 0x02010000, TYRC_FW_DATA_SEED_LEN, false,
		  true, false, false, true },
		{ "tyrc.shared", 0xc000001b, 0x04000000, 0x04010000, 0, false, true, true, true,
		  true },
	};
	const struct tyrc_firmware *fw = load_fw("TYRC_FW_DIR", getenv("TYRC_FW_NAME"));
	const struct tyrc_fw_section *code, *data;
	struct tyrc_fw_image img;
	struct tyrc_fw_ident id;
	char err[ERR_LEN];
	unsigned int i;
	int ret;

	ret = tyrc_fw_image_parse(fw->data, fw->size, &img, err, sizeof(err));
	if (ret)
		fail_msg("our image rejected: %s", err);
	assert_string_equal(err, "");
	check_invariants(&img, fw->size);
	assert_int_equal(img.minor, 3);
	assert_int_equal(img.major, 0);
	assert_int_not_equal(img.version_hash, 0);
	assert_int_equal(img.entry_count, 5);
	assert_int_equal(img.skipped_entries, 1);
	assert_int_equal(img.prot_sections, 0);
	assert_int_equal(img.notes, 0);
	check_sections(&img, expect, ARRAY_SIZE(expect));
	assert_int_equal(img.shared_index, 2);
	assert_true(img.has_build_info);
	assert_true(img.has_git_sha);
	assert_int_equal(strncmp(img.git_sha, "tyrc-model-fw ", 14), 0);

	/* The identification block the emulated MCU checks, at MCU VA 0. */
	code = tyrc_fw_image_find(&img, TYRC_FW_IDENT_VA);
	assert_ptr_equal(code, &img.sections[0]);
	memcpy(&id, fw->data + code->data_start, sizeof(id));
	assert_true(tyrc_fw_ident_valid(&id));
	assert_int_equal(id.iface_version, tyrc_csf_iface_version(1, 1, 0));
	assert_string_equal(id.fw_version, img.git_sha);

	/* The data seed, with a zero-filled tail. */
	data = tyrc_fw_image_find(&img, 0x0200ffff);
	assert_ptr_equal(data, &img.sections[1]);
	assert_memory_equal(fw->data + data->data_start, TYRC_FW_DATA_SEED_MAGIC "",
			    sizeof(TYRC_FW_DATA_SEED_MAGIC));
	for (i = sizeof(TYRC_FW_DATA_SEED_MAGIC); i < TYRC_FW_DATA_SEED_LEN; i++)
		assert_int_equal(fw->data[data->data_start + i], i & 0xff);

	assert_ptr_equal(tyrc_fw_image_find(&img, 0x04000010), tyrc_fw_image_shared(&img));
	assert_null(tyrc_fw_image_find(&img, 0x02010000));
	assert_null(tyrc_fw_image_find(&img, 0x01000000));

	tyrc_fw_image_fini(&img);
	assert_zeroed(&img);
	tyrc_fw_image_fini(&img);
	tyrc_fw_image_fini(NULL);
	tyrc_release_firmware(fw);
}

/* ---- Arm's real image ---- */

#define ARM_FW_NAME "arm/mali/arch10.8/mali_csffw.bin"

static bool arm_fw_present(void)
{
	const char *dir = getenv("TYRC_ARM_FW_DIR");
	char path[4096];
	struct stat st;

	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, ARM_FW_NAME);
	return !stat(path, &st);
}

static void test_arm_image(void **state)
{
	/* Section names are empty; ZERO sections 4-6 also carry data; 0x03000000 is PROT. */
	static const struct expect_section expect[] = {
		{ "", 0x00000009, 0x00400000, 0x00410000, 0x7c, true, true, false, false, false },
		{ "", 0x00000009, 0x00410000, 0x00420000, 0x1324, true, true, false, false, false },
		{ "", 0x00000009, 0x00000000, 0x00010000, 0x7c, true, true, false, false, false },
		{ "", 0x0000000d, 0x00800000, 0x00820000, 0x14404, true, false, false, false,
		  false },
		{ "", 0x8000000b, 0x02000000, 0x02040000, 0x2b7e0, false, true, false, false,
		  true },
		{ "", 0x80000009, 0x01000000, 0x01040000, 0x2b7e0, true, true, false, false, true },
		{ "", 0xc000001b, 0x04000000, 0x04010000, 0x2000, false, true, true, true, true },
	};
	const struct tyrc_firmware *fw = load_fw("TYRC_ARM_FW_DIR", ARM_FW_NAME);
	const struct tyrc_fw_section *shared;
	struct tyrc_fw_image img;
	char err[ERR_LEN];
	const u8 *glb;
	int ret;

	ret = tyrc_fw_image_parse(fw->data, fw->size, &img, err, sizeof(err));
	if (ret)
		fail_msg("Arm's image rejected: %s", err);
	check_invariants(&img, fw->size);
	assert_int_equal(fw->size, 282624);
	assert_int_equal(img.minor, 3);
	assert_int_equal(img.version_hash, 0x01050000);
	assert_int_equal(img.entries_end, 0x318);
	/* 8 IFACE, 2 CONFIG, 8 TRACE_BUFFER, types 7, 6, 5, 9, 4, 8 (5, 7, 8, 9 OPTIONAL). */
	assert_int_equal(img.entry_count, 24);
	assert_int_equal(img.skipped_entries, 15);
	assert_int_equal(img.prot_sections, 1);
	assert_int_equal(img.notes, TYRC_FW_NOTE_PROT_SKIPPED);
	check_sections(&img, expect, ARRAY_SIZE(expect));
	assert_int_equal(img.shared_index, 6);
	assert_true(img.has_git_sha);
	assert_string_equal(img.git_sha, "95a25d71030715381f33105394285e1dcc860a65 ");

	/* The pre-built GLB control block (csf-firmware.md §3); version stays 0 until boot. */
	shared = tyrc_fw_image_shared(&img);
	glb = fw->data + shared->data_start;
	assert_int_equal(rd32(glb + 0x00), 0);
	assert_ptr_equal(tyrc_fw_image_find(&img, rd32(glb + 0x08)), shared);
	assert_ptr_equal(tyrc_fw_image_find(&img, rd32(glb + 0x0c)), shared);
	assert_int_equal(rd32(glb + 0x10), 8);
	assert_int_equal(rd32(glb + 0x14), 0xa0);
	assert_int_equal(rd32(glb + 0x1c), 0x71);
	/* CSG 0 control: 8 streams, stride 0xc. */
	assert_int_equal(rd32(glb + 0x1000 + 0x14), 8);
	assert_int_equal(rd32(glb + 0x1000 + 0x18), 0xc);

	tyrc_fw_image_fini(&img);
	tyrc_release_firmware(fw);
}

/* ---- hand-built images: odd but valid ---- */

struct builder {
	u8 buf[1024];
	u32 len;
};

static void b_put(struct builder *b, const void *p, u32 len)
{
	assert_true(b->len + len <= sizeof(b->buf));
	memcpy(b->buf + b->len, p, len);
	b->len += len;
}

static void b_u32(struct builder *b, u32 v)
{
	b_put(b, &v, sizeof(v));
}

static void b_header(struct builder *b)
{
	struct tyrc_fw_header h = { .magic = TYRC_FW_MAGIC, .minor = 7 };

	b->len = 0;
	b_put(b, &h, sizeof(h));
}

static void b_iface(struct builder *b, u32 flags, u32 va_start, u32 va_end, u32 data_start,
		    u32 data_end, const char *name)
{
	struct tyrc_fw_iface_body body = { flags, va_start, va_end, data_start, data_end };
	u32 name_len = name ? (u32)strlen(name) : 0;
	u32 size = ALIGN_UP(TYRC_FW_IFACE_ENTRY_MIN_SIZE + name_len, 4u);
	u8 pad[4] = { 0 };

	b_u32(b, tyrc_fw_entry_hdr(TYRC_FW_ENTRY_IFACE, size, false, false));
	b_put(b, &body, sizeof(body));
	b_put(b, name ? name : "", name_len);
	b_put(b, pad, size - TYRC_FW_IFACE_ENTRY_MIN_SIZE - name_len);
}

static void b_shared(struct builder *b)
{
	b_iface(b, TYRC_FW_IFACE_RD | TYRC_FW_IFACE_WR | TYRC_FW_IFACE_SHARED,
		CSF_MCU_SHARED_REGION_START, CSF_MCU_SHARED_REGION_START + 0x1000, 0, 0, NULL);
}

static void b_entry(struct builder *b, u32 type, bool optional, const u32 *body, u32 words)
{
	b_u32(b, tyrc_fw_entry_hdr(type, 4 + 4 * words, optional, false));
	b_put(b, body, 4 * words);
}

/* Close the entry area at the current length. */
static void b_end_entries(struct builder *b)
{
	u32 size = b->len;

	memcpy(b->buf + offsetof(struct tyrc_fw_header, size), &size, sizeof(size));
}

static int b_parse(struct builder *b, struct tyrc_fw_image *img, char *err)
{
	return parse_copy(b->buf, b->len, img, err);
}

static void test_odd_but_valid(void **state)
{
	static const u32 body3[3] = { 1, 2, 3 };
	struct tyrc_fw_image img;
	char err[ERR_LEN];
	char name[TYRC_FW_SECTION_NAME_MAX + 2];
	u32 build[2] = { 0 };

	/* Minimal: only the shared section; any minor; unnamed. */
	{
		struct builder b;

		b_header(&b);
		b_shared(&b);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_int_equal(img.minor, 7);
		assert_int_equal(img.section_count, 1);
		assert_string_equal(img.sections[0].name, "");
		assert_false(img.has_build_info);
		tyrc_fw_image_fini(&img);

		/* Bytes after the entry area are not entries. */
		b_u32(&b, 0xffffffff);
		assert_int_equal(b_parse(&b, &img, err), 0);
		tyrc_fw_image_fini(&img);
	}

	/* Unknown OPTIONAL types and panthor's ignored types (even non-optional) are skipped. */
	{
		struct builder b;

		b_header(&b);
		b_entry(&b, 5, true, body3, 3);
		b_entry(&b, 0xff, true, body3, 0);
		b_entry(&b, TYRC_FW_ENTRY_CONFIG, false, body3, 3);
		b_entry(&b, TYRC_FW_ENTRY_FUTF_TEST, false, body3, 1);
		b_entry(&b, TYRC_FW_ENTRY_TRACE_BUFFER, false, body3, 2);
		b_entry(&b, TYRC_FW_ENTRY_TIMELINE_METADATA, false, body3, 0);
		b_shared(&b);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_int_equal(img.entry_count, 7);
		assert_int_equal(img.skipped_entries, 6);
		tyrc_fw_image_fini(&img);

		/* kbase-only types need OPTIONAL. */
		b_header(&b);
		b_entry(&b, TYRC_FW_ENTRY_CORE_DUMP, false, body3, 1);
		b_shared(&b);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), -EINVAL);
		assert_non_null(strstr(err, "unknown non-optional entry type 9"));
	}

	/* PROT sections are skipped (even overlapping or bad-sized ones); empty sections overlap nothing. */
	{
		struct builder b;

		b_header(&b);
		b_iface(&b, TYRC_FW_IFACE_RD | TYRC_FW_IFACE_PROT, CSF_MCU_SHARED_REGION_START,
			CSF_MCU_SHARED_REGION_START + 0x2000, 0, 8, "prot");
		b_iface(&b, TYRC_FW_IFACE_RD, 0x1000, 0x1000, 0, 0, "empty");
		b_iface(&b, TYRC_FW_IFACE_RD, 0x1000, 0x3000, 0, 0, "a");
		b_iface(&b, TYRC_FW_IFACE_RD | TYRC_FW_IFACE_SHARED, 0x3000, 0x4000, 0, 20,
			"shared-but-not-the-shared-one");
		b_shared(&b);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_int_equal(img.section_count, 4);
		assert_int_equal(img.prot_sections, 1);
		assert_int_equal(img.notes, TYRC_FW_NOTE_PROT_SKIPPED);
		assert_int_equal(img.shared_index, 3);
		assert_string_equal(img.sections[2].name, "shared-but-not-the-shared-one");
		assert_true(img.sections[2].shared);
		assert_null(tyrc_fw_image_find(&img, 0x0fff));
		assert_ptr_equal(tyrc_fw_image_find(&img, 0x1000), &img.sections[1]);
		tyrc_fw_image_fini(&img);
	}

	/* A name filling its entry without a NUL; the longest name. */
	{
		struct builder b;

		memset(name, 'n', sizeof(name));
		name[TYRC_FW_SECTION_NAME_MAX - 3] = '\0';
		b_header(&b);
		b_iface(&b, TYRC_FW_IFACE_RD, 0, 0x1000, 0, 0, "abcd");
		b_iface(&b, TYRC_FW_IFACE_RD, 0x1000, 0x2000, 0, 0, name);
		b_shared(&b);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_string_equal(img.sections[0].name, "abcd");
		assert_int_equal(strlen(img.sections[1].name), TYRC_FW_SECTION_NAME_MAX - 3);
		tyrc_fw_image_fini(&img);
	}

	/* Build info: good, foreign, unterminated, out of the file; only notes, never errors. */
	{
		static const char good[] = "git_sha: 0123abcd";
		static const char foreign[] = "built by someone\0";
		static const char unterminated[] = "git_sha: 0123abcdX";
		struct builder b;
		u32 text;

		b_header(&b);
		b_shared(&b);
		b_entry(&b, TYRC_FW_ENTRY_BUILD_INFO_METADATA, true, build, 2);
		b_end_entries(&b);
		text = b.len;
		b_put(&b, good, sizeof(good));
		build[0] = text;
		build[1] = sizeof(good);
		memcpy(b.buf + text - 8, build, sizeof(build));
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_true(img.has_git_sha);
		assert_string_equal(img.git_sha, "0123abcd");
		assert_int_equal(img.notes, 0);
		tyrc_fw_image_fini(&img);

		memcpy(b.buf + text, unterminated, sizeof(unterminated) - 1);
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_false(img.has_git_sha);
		assert_int_equal(img.notes, TYRC_FW_NOTE_BUILD_INFO_UNTERMINATED);
		tyrc_fw_image_fini(&img);

		memcpy(b.buf + text, foreign, sizeof(foreign));
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_true(img.has_build_info);
		assert_false(img.has_git_sha);
		assert_int_equal(img.notes, 0);
		tyrc_fw_image_fini(&img);

		build[0] = 0xfffffff0;
		build[1] = 0x20;
		memcpy(b.buf + text - 8, build, sizeof(build));
		assert_int_equal(b_parse(&b, &img, err), 0);
		assert_int_equal(img.notes, TYRC_FW_NOTE_BUILD_INFO_CORRUPT);
		tyrc_fw_image_fini(&img);

		/* A body too short for its type fails, as in panthor. */
		b_header(&b);
		b_shared(&b);
		b_entry(&b, TYRC_FW_ENTRY_BUILD_INFO_METADATA, true, build, 1);
		b_end_entries(&b);
		assert_int_equal(b_parse(&b, &img, err), -EINVAL);
		assert_non_null(strstr(err, "smaller than its body"));
	}
}

static void test_api_edges(void **state)
{
	struct tyrc_fw_image img;
	char err[ERR_LEN];
	char small[8];

	assert_int_equal(tyrc_fw_image_parse(NULL, 0, NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(tyrc_fw_image_parse(NULL, 0, &img, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too small for the header"));
	assert_zeroed(&img);
	assert_int_equal(tyrc_fw_image_parse(NULL, 16, &img, err, sizeof(err)), -EINVAL);
	assert_int_equal(tyrc_fw_image_parse("x", 1, &img, NULL, 0), -EINVAL);
	assert_int_equal(tyrc_fw_image_parse("x", 1, &img, small, sizeof(small)), -EINVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_null(tyrc_fw_image_shared(NULL));
	assert_null(tyrc_fw_image_find(NULL, 0));
}

/* ---- the malformed corpus ---- */

static const struct {
	const char *kind;
	const char *reason;
} corpus_reasons[] = {
	{ "truncated-header", "file too small for the header" },
	{ "bad-magic", "bad magic 0xdeadbeef" },
	{ "bad-major", "unsupported header version 1." },
	{ "size-past-eof", "past the end of the file" },
	{ "entry-header-past-end", "entry header past the end of the entry area" },
	{ "entry-past-end", "runs past the end of the entry area" },
	{ "entry-size-zero", "entry size 0" },
	{ "entry-size-unaligned", "not a multiple of 4" },
	{ "entry-too-small", "IFACE entry size 20 smaller than its body" },
	{ "va-reversed", "va_end 0x1fff000 < va_start 0x2000000" },
	{ "data-reversed", "< data_start" },
	{ "data-outside-file", "outside the file" },
	{ "unaligned-va", "VA range 0x2000100-0x2010000 not 4 KiB aligned" },
	{ "bad-flags", "unknown bits 0x100" },
	{ "data-larger-than-section", "larger than the section at 0x0" },
	{ "overlapping-va", "sections 0 (VA 0x0-0x10000) and 1 (VA 0x8000-0x18000) overlap" },
	{ "missing-shared", "no shared section at 0x04000000" },
	{ "shared-not-shared", "section at 0x04000000 lacks the SHARED flag" },
	{ "shared-empty", "shared section at 0x04000000 is empty" },
	{ "duplicate-shared", "second section at the shared region" },
	{ "unknown-mandatory-entry", "unknown non-optional entry type 42" },
};

/* The kinds meson built, in order (TYRC_FW_CORRUPTIONS, space-separated). */
static unsigned int corpus_kinds(char kinds[][64], unsigned int max)
{
	const char *list = getenv("TYRC_FW_CORRUPTIONS");
	unsigned int n = 0;
	char *copy, *tok, *save = NULL;

	if (!list)
		fail_msg("TYRC_FW_CORRUPTIONS is not set (run through meson test)");
	copy = strdup(list);
	assert_non_null(copy);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		assert_true(n < max && strlen(tok) < 64);
		strcpy(kinds[n++], tok);
	}
	free(copy);
	return n;
}

static void test_corpus(void **state)
{
	char kinds[64][64];
	unsigned int n = corpus_kinds(kinds, 64);
	unsigned int i, j;

	/* Our table and meson's list name the same kinds. */
	assert_int_equal(n, ARRAY_SIZE(corpus_reasons));
	for (i = 0; i < n; i++) {
		const struct tyrc_firmware *fw;
		struct tyrc_fw_image img;
		char err[ERR_LEN];
		char name[80];
		const char *reason = NULL;

		for (j = 0; j < ARRAY_SIZE(corpus_reasons); j++)
			if (!strcmp(corpus_reasons[j].kind, kinds[i]))
				reason = corpus_reasons[j].reason;
		if (!reason)
			fail_msg("corpus kind '%s' has no expected reason", kinds[i]);
		snprintf(name, sizeof(name), "%.63s.bin", kinds[i]);
		fw = load_fw("TYRC_FW_CORPUS_DIR", name);
		assert_int_equal(parse_copy(fw->data, fw->size, &img, err), -EINVAL);
		if (!strstr(err, reason))
			fail_msg("%s: got \"%s\", expected \"%s\"", kinds[i], err, reason);
		assert_null(strchr(err, '\n'));
		assert_zeroed(&img);
		tyrc_release_firmware(fw);
	}
}

/* `tyrc-mkfw --list-corruptions` prints exactly meson's list, in order. */
static void test_tool_list(void **state)
{
	const char *tool = getenv("TYRC_MKFW");
	char kinds[64][64];
	unsigned int n = corpus_kinds(kinds, 64);
	unsigned int i = 0;
	char cmd[4200];
	char line[256];
	FILE *p;

	if (!tool)
		fail_msg("TYRC_MKFW is not set (run through meson test)");
	snprintf(cmd, sizeof(cmd), "'%s' --list-corruptions", tool);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\t\n")] = '\0';
		assert_true(i < n);
		assert_string_equal(line, kinds[i]);
		i++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(i, n);
}

/* ---- no input crashes the parser ---- */

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)(rng_state >> 16);
}

/* Parse @data (fresh exact copy); whatever the outcome, it must be coherent. */
static void parse_anything(const u8 *data, size_t size, unsigned int *accepted)
{
	struct tyrc_fw_image img;
	char err[ERR_LEN];
	int ret = parse_copy(data, size, &img, err);

	if (ret) {
		assert_int_equal(ret, -EINVAL);
		assert_true(err[0] != '\0');
		assert_zeroed(&img);
		return;
	}
	check_invariants(&img, size);
	tyrc_fw_image_fini(&img);
	(*accepted)++;
}

static void truncations(const struct tyrc_firmware *fw, size_t step_after)
{
	unsigned int accepted = 0;
	size_t len;

	/* Every length up to the end of the entry area, then strided. */
	for (len = 0; len < fw->size; len += len < step_after ? 1 : 61)
		parse_anything(fw->data, len, &accepted);
	/* Both images reference their last byte, so no truncation is valid. */
	assert_int_equal(accepted, 0);
}

static void mutations(const struct tyrc_firmware *fw, size_t hot_end, unsigned int iterations)
{
	static const u32 interesting[] = {
		0,	    1,		4,	    0x14,	0x1000,	    0xfff,
		0x04000000, 0x03fff000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff,
	};
	u8 *buf = malloc(fw->size);
	unsigned int it, accepted = 0;

	assert_non_null(buf);
	for (it = 0; it < iterations; it++) {
		unsigned int k, nmut = 1 + rng() % 4;
		size_t len = fw->size;

		memcpy(buf, fw->data, fw->size);
		for (k = 0; k < nmut; k++) {
			/* Mostly in the header and entries, where the parser looks. */
			size_t span = rng() % 8 ? hot_end : fw->size;
			size_t off = rng() % span;

			switch (rng() % 5) {
			case 0:
				buf[off] ^= (u8)BIT(rng() % 8);
				break;
			case 1:
				buf[off] = (u8)rng();
				break;
			case 2:
				off &= ~(size_t)3;
				if (off + 4 <= len) {
					u32 v = interesting[rng() % ARRAY_SIZE(interesting)];

					if (rng() % 2)
						v += (u32)len;
					memcpy(buf + off, &v, sizeof(v));
				}
				break;
			case 3:
				/* Entry size byte of a random aligned word. */
				off = (off & ~(size_t)3) + 1;
				if (off < len)
					buf[off] = (u8)(rng() % 2 ? rng() : rng() % 64);
				break;
			default:
				len = rng() % (len + 1);
				break;
			}
		}
		parse_anything(buf, len, &accepted);
	}
	free(buf);
	/* Some mutants (of unused bytes, names, hashes) must still load. */
	assert_true(accepted > 0);
}

static void test_fuzz_model_image(void **state)
{
	const struct tyrc_firmware *fw = load_fw("TYRC_FW_DIR", getenv("TYRC_FW_NAME"));

	truncations(fw, fw->size);
	mutations(fw, 0x100, 100000);
	tyrc_release_firmware(fw);
}

static void test_fuzz_arm_image(void **state)
{
	const struct tyrc_firmware *fw = load_fw("TYRC_ARM_FW_DIR", ARM_FW_NAME);

	truncations(fw, 0x400);
	mutations(fw, 0x318, 4000);
	tyrc_release_firmware(fw);
}

static void test_fuzz_random(void **state)
{
	u8 buf[512];
	unsigned int it, i, accepted = 0;

	for (it = 0; it < 50000; it++) {
		size_t len = rng() % sizeof(buf);

		for (i = 0; i < len; i++)
			buf[i] = (u8)rng();
		/* Half of them get a valid header so the entry walk runs on noise. */
		if (len >= sizeof(struct tyrc_fw_header) && rng() % 2) {
			struct tyrc_fw_header h = { .magic = TYRC_FW_MAGIC,
						    .size = rng() % (len + 1) };

			memcpy(buf, &h, sizeof(h));
		}
		parse_anything(buf, len, &accepted);
	}
}

/*
 * Two meson tests share this binary: without arguments, everything that
 * needs only our own images; with "arm", the tests on Arm's real image. The
 * latter skips as a whole with a "1..0 # SKIP" plan when the image is
 * absent (cmocka 1.1's skip() prints "not ok # SKIP", which meson counts as
 * a failure).
 */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),		 cmocka_unit_test(test_model_image),
		cmocka_unit_test(test_odd_but_valid),	 cmocka_unit_test(test_api_edges),
		cmocka_unit_test(test_corpus),		 cmocka_unit_test(test_tool_list),
		cmocka_unit_test(test_fuzz_model_image), cmocka_unit_test(test_fuzz_random),
	};
	const struct CMUnitTest arm_tests[] = {
		cmocka_unit_test(test_arm_image),
		cmocka_unit_test(test_fuzz_arm_image),
	};

	if (argc > 1 && !strcmp(argv[1], "arm")) {
		if (!arm_fw_present()) {
			printf("1..0 # SKIP Arm's firmware not found under TYRC_ARM_FW_DIR (%s)\n",
			       getenv("TYRC_ARM_FW_DIR") ? getenv("TYRC_ARM_FW_DIR") : "unset");
			return 0;
		}
		return cmocka_run_group_tests(arm_tests, NULL, NULL);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
