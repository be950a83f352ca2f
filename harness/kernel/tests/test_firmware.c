// SPDX-License-Identifier: MIT
/* request_firmware: name checks, search order, size limits, error codes. */
#include <limits.h>
#include <sys/stat.h>

#include <tyrc/firmware.h>

#include "test_util.h"

#define FW_NAME "arm/mali/arch10.8/mali_csffw.bin"

/* Two search directories under one temporary root. */
struct fw_dirs {
	char root[64];
	char a[96];
	char b[96];
};

static void mkdirs(const char *base, const char *rel)
{
	char path[512];
	char *c;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (c = path + strlen(base) + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		mkdir(path, 0700);
		*c = '/';
	}
	mkdir(path, 0700);
}

/* Write @len bytes of @byte to @dir/@name, creating directories on the way. */
static void write_file(const char *dir, const char *name, int byte, size_t len)
{
	char path[512];
	char *slash;
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s", name);
	slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		mkdirs(dir, path);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (i = 0; i < len; i++)
		assert_int_equal(fputc(byte, f), byte);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fw_dirs *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	/* mkdtemp() replaces the template's last six characters, which must be 'X'. */
	snprintf(d->root, sizeof(d->root), "/tmp/tyrc-fw-");
	memset(d->root + strlen(d->root), 'X', 6);
	if (!mkdtemp(d->root))
		return -1;
	snprintf(d->a, sizeof(d->a), "%s/a", d->root);
	snprintf(d->b, sizeof(d->b), "%s/b", d->root);
	mkdir(d->a, 0700);
	mkdir(d->b, 0700);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct fw_dirs *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->root);
	if (system(cmd))
		return -1;
	free(d);
	return 0;
}

static void test_loads_file(void **state)
{
	struct fw_dirs *d = *state;
	const char *path[] = { d->a, NULL };
	const struct tyrc_firmware *fw;
	char expect[256];
	size_t i;

	write_file(d->a, FW_NAME, 0x5a, 4096 + 3);
	assert_int_equal(tyrc_request_firmware(&fw, FW_NAME, path), 0);
	assert_non_null(fw);
	assert_int_equal(fw->size, 4096 + 3);
	for (i = 0; i < fw->size; i++)
		assert_int_equal(fw->data[i], 0x5a);
	snprintf(expect, sizeof(expect), "%s/%s", d->a, FW_NAME);
	assert_string_equal(fw->path, expect);
	tyrc_release_firmware(fw);
}

static void test_first_hit_wins(void **state)
{
	struct fw_dirs *d = *state;
	const char *ab[] = { d->a, d->b, NULL };
	const char *ba[] = { d->b, d->a, NULL };
	const struct tyrc_firmware *fw;

	write_file(d->a, "x.bin", 'a', 8);
	write_file(d->b, "x.bin", 'b', 16);
	assert_int_equal(tyrc_request_firmware(&fw, "x.bin", ab), 0);
	assert_int_equal(fw->size, 8);
	assert_int_equal(fw->data[0], 'a');
	tyrc_release_firmware(fw);
	assert_int_equal(tyrc_request_firmware(&fw, "x.bin", ba), 0);
	assert_int_equal(fw->size, 16);
	assert_int_equal(fw->data[0], 'b');
	tyrc_release_firmware(fw);
}

static void test_later_directory(void **state)
{
	struct fw_dirs *d = *state;
	const char *path[] = { "/nonexistent-tyrc-dir", d->a, d->b, NULL };
	const struct tyrc_firmware *fw;

	write_file(d->b, "only-b.bin", 'b', 4);
	assert_int_equal(tyrc_request_firmware(&fw, "only-b.bin", path), 0);
	assert_int_equal(fw->data[0], 'b');
	assert_non_null(strstr(fw->path, "/b/only-b.bin"));
	tyrc_release_firmware(fw);
}

static void test_not_found(void **state)
{
	struct fw_dirs *d = *state;
	const char *path[] = { d->a, d->b, NULL };
	const char *empty[] = { NULL };
	const struct tyrc_firmware *fw = (void *)1;

	assert_int_equal(tyrc_request_firmware(&fw, "missing.bin", path), -ENOENT);
	assert_null(fw);
	assert_int_equal(tyrc_request_firmware(&fw, "missing.bin", empty), -ENOENT);
	assert_int_equal(tyrc_request_firmware(&fw, "missing.bin", NULL), -ENOENT);
	/* A path component that is a file, not a directory, is "not there". */
	write_file(d->a, "plain", 'p', 1);
	assert_int_equal(tyrc_request_firmware(&fw, "plain/x.bin", path), -ENOENT);
}

static void test_bad_names(void **state)
{
	struct fw_dirs *d = *state;
	const char *path[] = { d->b, NULL };
	static const char *const bad[] = {
		"",	  "/etc/passwd", "..",	       "../b/x.bin", "arm/../../x.bin",
		"arm/..", "a/../b",	 "./../x.bin",
	};
	const struct tyrc_firmware *fw;
	char *longname;
	size_t i;

	write_file(d->b, "x.bin", 'x', 4);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(tyrc_request_firmware(&fw, bad[i], path), -EINVAL);
	assert_int_equal(tyrc_request_firmware(&fw, NULL, path), -EINVAL);
	assert_int_equal(tyrc_request_firmware(NULL, "x.bin", path), -EINVAL);

	/* Dots that are not a ".." component are fine. */
	write_file(d->b, "..x/...bin", 'y', 4);
	assert_int_equal(tyrc_request_firmware(&fw, "..x/...bin", path), 0);
	tyrc_release_firmware(fw);
	assert_int_equal(tyrc_request_firmware(&fw, "./x.bin", path), 0);
	tyrc_release_firmware(fw);

	longname = malloc(PATH_MAX + 1);
	assert_non_null(longname);
	memset(longname, 'n', PATH_MAX);
	longname[PATH_MAX] = '\0';
	assert_int_equal(tyrc_request_firmware(&fw, longname, path), -EINVAL);
	free(longname);
}

static void test_unusable_files(void **state)
{
	struct fw_dirs *d = *state;
	const char *path[] = { d->a, d->b, NULL };
	const struct tyrc_firmware *fw;
	char p[256];

	/* Empty and directory entries fail as the kernel's reader does... */
	write_file(d->a, "empty.bin", 0, 0);
	assert_int_equal(tyrc_request_firmware(&fw, "empty.bin", path), -EINVAL);
	mkdirs(d->a, "dir.bin");
	assert_int_equal(tyrc_request_firmware(&fw, "dir.bin", path), -EINVAL);
	/* ...and shadow a good copy further down the path. */
	write_file(d->b, "empty.bin", 'e', 4);
	assert_int_equal(tyrc_request_firmware(&fw, "empty.bin", path), -EINVAL);
	assert_null(fw);

	/* Too big: a sparse file one byte over the limit. */
	snprintf(p, sizeof(p), "%s/big.bin", d->a);
	write_file(d->a, "big.bin", 0, 0);
	assert_int_equal(truncate(p, TYRC_FIRMWARE_MAX_SIZE + 1), 0);
	assert_int_equal(tyrc_request_firmware(&fw, "big.bin", path), -EFBIG);
	/* Exactly at the limit is accepted. */
	assert_int_equal(truncate(p, TYRC_FIRMWARE_MAX_SIZE), 0);
	assert_int_equal(tyrc_request_firmware(&fw, "big.bin", path), 0);
	assert_int_equal(fw->size, TYRC_FIRMWARE_MAX_SIZE);
	tyrc_release_firmware(fw);
	unlink(p);
}

static void test_release_null(void **state)
{
	tyrc_release_firmware(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loads_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_hit_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_later_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_files, setup, teardown),
		cmocka_unit_test(test_release_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
