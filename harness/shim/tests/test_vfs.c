// SPDX-License-Identifier: MIT
/* Unit tests of the shim's synthetic filesystem (shim_vfs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "shim_vfs.h"

#define PDEV "/sys/devices/platform/fb000000.gpu"

static void expect_node(const char *path, bool follow, const char *node_path)
{
	struct shim_res res;

	shim_vfs_resolve(path, follow, &res);
	assert_int_equal(res.kind, SHIM_RES_NODE);
	assert_string_equal(res.node->path, node_path);
}

static void expect_err(const char *path, bool follow, int err)
{
	struct shim_res res;

	shim_vfs_resolve(path, follow, &res);
	assert_int_equal(res.kind, SHIM_RES_ERR);
	assert_int_equal(res.err, err);
}

static void expect_pass(const char *path)
{
	struct shim_res res;

	shim_vfs_resolve(path, true, &res);
	assert_int_equal(res.kind, SHIM_RES_PASS);
}

static void test_device_nodes(void **state)
{
	struct stat a, b;

	expect_node("/dev/dri/card0", true, "/dev/dri/card0");
	expect_node("//dev//dri/./renderD128", true, "/dev/dri/renderD128");
	expect_node("/dev/dri/by-path/platform-fb000000.gpu-card", true, "/dev/dri/card0");
	expect_node("/dev/dri/by-path/platform-fb000000.gpu-card", false,
		    "/dev/dri/by-path/platform-fb000000.gpu-card");
	expect_node("/dev/dri", true, "/dev/dri");

	shim_vfs_stat(shim_vfs_node_by_minor(0), &a);
	shim_vfs_stat(shim_vfs_node_by_minor(128), &b);
	assert_true(S_ISCHR(a.st_mode));
	assert_int_equal(a.st_mode & 0777, 0666);
	assert_int_equal(major(a.st_rdev), 226);
	assert_int_equal(minor(a.st_rdev), 0);
	assert_int_equal(minor(b.st_rdev), 128);
	assert_int_equal(a.st_dev, b.st_dev);
	assert_int_not_equal(a.st_ino, b.st_ino);
}

static void test_hidden(void **state)
{
	expect_err("/dev/dri/card1", true, ENOENT);
	expect_err("/dev/dri/renderD129", true, ENOENT);
	expect_err("/sys/dev/char/226:1", true, ENOENT);
	expect_err("/sys/class/drm/card1", true, ENOENT);
	expect_err("/dev/dri/card0/x", true, ENOTDIR);
}

static void test_passthrough(void **state)
{
	expect_pass("/dev/null");
	expect_pass("/dev");
	expect_pass("/sys/dev/char/10:200");
	expect_pass("/etc/passwd");
	expect_pass("relative/dev/dri/card0");
	expect_pass("/home/../etc");
}

static void test_leaving_the_tree(void **state)
{
	struct shim_res res;

	/* Going through a synthetic directory and out again yields the real path. */
	shim_vfs_resolve("/dev/dri/..", false, &res);
	assert_int_equal(res.kind, SHIM_RES_REAL);
	assert_string_equal(res.real, "/dev");
	shim_vfs_resolve("/dev/dri/by-path/../../null", true, &res);
	assert_int_equal(res.kind, SHIM_RES_REAL);
	assert_string_equal(res.real, "/dev/null");
}

static void test_libdrm_platform_paths(void **state)
{
	struct shim_res res;

	/* drmNodeIsDRM */
	expect_node("/sys/dev/char/226:0/device/drm", true, PDEV "/drm");
	expect_node("/sys/dev/char/226:128/device/drm", true, PDEV "/drm");
	/* get_subsystem_type: readlink of .../device/subsystem */
	shim_vfs_resolve("/sys/dev/char/226:0/device/subsystem", false, &res);
	assert_int_equal(res.kind, SHIM_RES_NODE);
	assert_int_equal(res.node->type, SHIM_NODE_LNK);
	assert_string_equal(strrchr(res.node->data, '/'), "/platform");
	/* following it leaves the synthetic tree */
	shim_vfs_resolve("/sys/dev/char/226:0/device/subsystem", true, &res);
	assert_int_equal(res.kind, SHIM_RES_REAL);
	assert_string_equal(res.real, "/sys/bus/platform");
	/* sysfs_uevent_get */
	expect_node("/sys/dev/char/226:0/device/uevent", true, PDEV "/uevent");
	assert_non_null(
		strstr(shim_vfs_node_at(PDEV "/uevent")->data, "OF_FULLNAME=/gpu@fb000000\n"));
	assert_non_null(strstr(shim_vfs_node_at(PDEV "/uevent")->data, "OF_COMPATIBLE_N=2\n"));
	assert_non_null(strstr(shim_vfs_node_at(PDEV "/uevent")->data, "DRIVER=panthor\n"));
	/* drmGetDeviceNameFromFd2 */
	expect_node("/sys/dev/char/226:128/uevent", true, PDEV "/drm/renderD128/uevent");
	assert_non_null(strstr(shim_vfs_node_at(PDEV "/drm/renderD128/uevent")->data,
			       "DEVNAME=dri/renderD128\n"));
	/* realpath of the device directory */
	expect_node("/sys/dev/char/226:0/device", true, PDEV);
	shim_vfs_resolve("/sys/dev/char/226:0/device/..", true, &res);
	assert_int_equal(res.kind, SHIM_RES_REAL);
	assert_string_equal(res.real, "/sys/devices/platform");
	expect_node("/sys/class/drm/card0/device/drm/renderD128", true, PDEV "/drm/renderD128");
}

static void test_debugfs(void **state)
{
	const struct shim_node *n;

	expect_node("/sys/kernel/debug/dri/0/clients", true, "/sys/kernel/debug/dri/0/clients");
	n = shim_vfs_node_at("/sys/kernel/debug/dri/128/clients");
	assert_non_null(n);
	assert_int_equal(n->gen, SHIM_GEN_CLIENTS);
	assert_int_equal(n->minor, 128);
}

static void test_listing(void **state)
{
	const struct shim_node *dir = shim_vfs_node_at("/dev/dri"), *c;
	bool card = false, render = false;
	unsigned int i;

	for (i = 0; (c = shim_vfs_child(dir, i)); i++) {
		if (!strcmp(shim_vfs_basename(c), "card0"))
			card = shim_vfs_dtype(c) == DT_CHR;
		if (!strcmp(shim_vfs_basename(c), "renderD128"))
			render = shim_vfs_dtype(c) == DT_CHR;
		assert_null(strchr(shim_vfs_basename(c), '/'));
	}
	assert_true(card && render);
	assert_int_equal(i, 3);

	dir = shim_vfs_node_at(PDEV "/drm");
	assert_string_equal(shim_vfs_basename(shim_vfs_child(dir, 0)), "card0");
	assert_string_equal(shim_vfs_basename(shim_vfs_child(dir, 1)), "renderD128");
	assert_null(shim_vfs_child(dir, 2));
}

static void test_resolve_at(void **state)
{
	struct shim_res res;

	/* Bases are canonical directory paths (from directory descriptors). */
	shim_vfs_resolve_at(PDEV "/drm/card0", "device/uevent", true, &res);
	assert_int_equal(res.kind, SHIM_RES_NODE);
	assert_string_equal(res.node->path, PDEV "/uevent");
	shim_vfs_resolve_at(PDEV, "subsystem/drivers", true, &res);
	assert_int_equal(res.kind, SHIM_RES_REAL);
	assert_string_equal(res.real, "/sys/bus/platform/drivers");
	shim_vfs_resolve_at(PDEV "/drm", "card7", true, &res);
	assert_int_equal(res.kind, SHIM_RES_ERR);
}

static void test_stat_kinds(void **state)
{
	struct stat st;

	shim_vfs_stat(shim_vfs_node_at("/dev/dri"), &st);
	assert_true(S_ISDIR(st.st_mode));
	shim_vfs_stat(shim_vfs_node_at("/sys/dev/char/226:0"), &st);
	assert_true(S_ISLNK(st.st_mode));
	shim_vfs_stat(shim_vfs_node_at(PDEV "/uevent"), &st);
	assert_true(S_ISREG(st.st_mode));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_nodes),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_passthrough),
		cmocka_unit_test(test_leaving_the_tree),
		cmocka_unit_test(test_libdrm_platform_paths),
		cmocka_unit_test(test_debugfs),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_resolve_at),
		cmocka_unit_test(test_stat_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
