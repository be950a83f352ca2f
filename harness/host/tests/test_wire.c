// SPDX-License-Identifier: MIT
/* Unit tests of the wire helpers (tyrc_wire.h) and socket paths (host_run.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"

static void test_check_accepts_exact(void **state)
{
	struct tyrc_wire_open msg;

	tyrc_wire_hdr_init(&msg.hdr, TYRC_MSG_OPEN, sizeof(msg));
	assert_int_equal(tyrc_wire_check(&msg, sizeof(msg), TYRC_MSG_OPEN, sizeof(msg)), 0);
}

static void test_check_rejects(void **state)
{
	struct tyrc_wire_open msg;

	tyrc_wire_hdr_init(&msg.hdr, TYRC_MSG_OPEN, sizeof(msg));
	/* Wrong type, short packet, length mismatch, wrong version, oversize. */
	assert_int_equal(tyrc_wire_check(&msg, sizeof(msg), TYRC_MSG_IOCTL, sizeof(msg)), -EPROTO);
	assert_int_equal(tyrc_wire_check(&msg, 4, TYRC_MSG_OPEN, sizeof(msg)), -EPROTO);
	assert_int_equal(tyrc_wire_check(&msg, sizeof(msg) - 1, TYRC_MSG_OPEN, 8), -EPROTO);
	msg.hdr.version = TYRC_WIRE_VERSION + 1;
	assert_int_equal(tyrc_wire_check(&msg, sizeof(msg), TYRC_MSG_OPEN, sizeof(msg)), -EPROTO);
	msg.hdr.version = TYRC_WIRE_VERSION;
	msg.hdr.len = TYRC_WIRE_MAX_MSG + 1;
	assert_int_equal(tyrc_wire_check(&msg, TYRC_WIRE_MAX_MSG + 1, TYRC_MSG_OPEN, sizeof(msg)),
			 -EPROTO);
}

static void test_layouts(void **state)
{
	/* The fixed parts are 8-byte aligned so payloads follow without padding. */
	assert_int_equal(sizeof(struct tyrc_wire_hdr), 8);
	assert_int_equal(sizeof(struct tyrc_wire_ioctl), 32);
	assert_int_equal(offsetof(struct tyrc_wire_ioctl, win), 32);
	assert_int_equal(sizeof(struct tyrc_wire_ioctl_reply), 24);
	assert_int_equal(sizeof(struct tyrc_wire_copy), 24);
	assert_int_equal(sizeof(struct tyrc_wire_copy_reply), 16);
	assert_int_equal(sizeof(struct tyrc_wire_extent), 32);
	assert_true(sizeof(struct tyrc_wire_ioctl) + TYRC_WIRE_MAX_WINDOW <= TYRC_WIRE_MAX_MSG);
	assert_true(sizeof(struct tyrc_wire_copy) + TYRC_WIRE_MAX_CHUNK <= TYRC_WIRE_MAX_MSG);
	assert_true(sizeof(struct tyrc_wire_text_reply) + TYRC_WIRE_MAX_TEXT <= TYRC_WIRE_MAX_MSG);
}

static void test_socket_paths(void **state)
{
	char dir[64], path[108], buf[200];
	struct stat st;

	snprintf(dir, sizeof(dir), "/tmp/tyrc-test-wire-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	unsetenv("TYRC_SOCKET");

	assert_int_equal(tyrc_host_default_socket(path, sizeof(path)), 0);
	snprintf(buf, sizeof(buf), "%s/tyrc/host.sock", dir);
	assert_string_equal(path, buf);
	snprintf(buf, sizeof(buf), "%s/tyrc", dir);
	assert_int_equal(stat(buf, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);

	/* The client side finds the same path, or $TYRC_SOCKET. */
	assert_int_equal(tyrc_wire_socket_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, path);
	setenv("TYRC_SOCKET", "/tmp/elsewhere.sock", 1);
	assert_int_equal(tyrc_wire_socket_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/tmp/elsewhere.sock");
	unsetenv("TYRC_SOCKET");

	assert_int_equal(tyrc_host_private_socket(path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/tyrc/run-"));
	assert_false(tyrc_host_probe_socket(path));

	/* Too long for a sockaddr_un. */
	memset(buf, 'x', 150);
	buf[0] = '/';
	buf[150] = '\0';
	setenv("XDG_RUNTIME_DIR", buf, 1);
	assert_int_equal(tyrc_host_default_socket(path, sizeof(path)), -ENAMETOOLONG);

	snprintf(buf, sizeof(buf), "%s/tyrc", dir);
	rmdir(buf);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_accepts_exact),
		cmocka_unit_test(test_check_rejects),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_socket_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
