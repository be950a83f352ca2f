// SPDX-License-Identifier: MIT
/* Unit tests of the ioctl window (host_uwin.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "host_uwin.h"

#define BASE 0x1000ull

static void fill(u8 *b, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (u8)(seed + i);
}

static void test_contains(void **state)
{
	struct host_uwin w;
	u8 buf[16];

	host_uwin_init(&w, BASE, buf, sizeof(buf));
	assert_true(host_uwin_contains(&w, BASE, 16));
	assert_true(host_uwin_contains(&w, BASE + 4, 4));
	assert_true(host_uwin_contains(&w, BASE + 15, 1));
	assert_false(host_uwin_contains(&w, BASE - 1, 2));
	assert_false(host_uwin_contains(&w, BASE + 15, 2));
	assert_false(host_uwin_contains(&w, BASE + 16, 1));
	assert_false(host_uwin_contains(&w, UINT64_MAX, 2));
	host_uwin_init(&w, BASE, buf, 0);
	assert_false(host_uwin_contains(&w, BASE, 1));
}

static void test_wrapping_window_is_empty(void **state)
{
	struct host_uwin w;
	u8 buf[16];

	host_uwin_init(&w, UINT64_MAX - 4, buf, sizeof(buf));
	assert_int_equal(w.len, 0);
	assert_false(host_uwin_contains(&w, UINT64_MAX - 4, 1));
}

static void test_read_write_dirty(void **state)
{
	struct host_uwin w;
	u8 buf[32], out[8];
	u32 off, len;

	fill(buf, sizeof(buf), 0);
	host_uwin_init(&w, BASE, buf, sizeof(buf));
	host_uwin_dirty(&w, &off, &len);
	assert_int_equal(len, 0);

	host_uwin_read(&w, out, BASE + 8, 8);
	assert_memory_equal(out, buf + 8, 8);

	memset(out, 0xee, sizeof(out));
	host_uwin_write(&w, BASE + 20, out, 4);
	host_uwin_dirty(&w, &off, &len);
	assert_int_equal(off, 20);
	assert_int_equal(len, 4);
	host_uwin_write(&w, BASE + 2, out, 1);
	host_uwin_dirty(&w, &off, &len);
	assert_int_equal(off, 2);
	assert_int_equal(len, 22);
	assert_int_equal(buf[20], 0xee);
	assert_int_equal(buf[2], 0xee);
}

static void test_overlay(void **state)
{
	struct host_uwin w;
	u8 buf[16], dst[32];
	size_t i;

	fill(buf, sizeof(buf), 100);
	host_uwin_init(&w, BASE, buf, sizeof(buf));
	/* A remote read from BASE - 8 to BASE + 24 covers the whole window. */
	memset(dst, 0, sizeof(dst));
	host_uwin_overlay(&w, dst, BASE - 8, sizeof(dst));
	for (i = 0; i < 8; i++)
		assert_int_equal(dst[i], 0);
	assert_memory_equal(dst + 8, buf, 16);
	for (i = 24; i < 32; i++)
		assert_int_equal(dst[i], 0);

	/* Partial overlap at the start of the window. */
	memset(dst, 0, sizeof(dst));
	host_uwin_overlay(&w, dst, BASE - 4, 8);
	assert_int_equal(dst[3], 0);
	assert_memory_equal(dst + 4, buf, 4);

	/* Disjoint. */
	memset(dst, 0, sizeof(dst));
	host_uwin_overlay(&w, dst, BASE + 16, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(dst[i], 0);

	/* Near the top of the address space: no overflow. */
	host_uwin_overlay(&w, dst, UINT64_MAX - 3, 8);
}

static void test_update(void **state)
{
	struct host_uwin w;
	u8 buf[16], src[8];
	u32 off, len;

	memset(buf, 0, sizeof(buf));
	host_uwin_init(&w, BASE, buf, sizeof(buf));
	memset(src, 0x5a, sizeof(src));
	host_uwin_update(&w, BASE + 12, src, sizeof(src));
	assert_int_equal(buf[11], 0);
	assert_int_equal(buf[12], 0x5a);
	assert_int_equal(buf[15], 0x5a);
	host_uwin_dirty(&w, &off, &len);
	assert_int_equal(off, 12);
	assert_int_equal(len, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_wrapping_window_is_empty),
		cmocka_unit_test(test_read_write_dirty),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_update),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
