// SPDX-License-Identifier: MIT
/* uaccess: current-user plumbing, -EFAULT rules, bounded string copies. */
#include <pthread.h>
#include <sys/mman.h>

#include "test_util.h"

#define UBASE 0x10000ULL
#define USIZE 8192U /* two 4 KiB pages; everything else faults */

struct fake_user {
	u8 mem[USIZE];
	int reads, writes;
	u64 max_read_end; /* highest user address + 1 read so far */
	int fail_with; /* nonzero: every access returns this */
};

static int fu_read(void *ctx, void *dst, u64 uptr, size_t len)
{
	struct fake_user *u = ctx;

	u->reads++;
	if (u->fail_with)
		return u->fail_with;
	if (uptr < UBASE || uptr + len > UBASE + USIZE)
		return -EFAULT;
	memcpy(dst, &u->mem[uptr - UBASE], len);
	if (uptr + len > u->max_read_end)
		u->max_read_end = uptr + len;
	return 0;
}

static int fu_write(void *ctx, u64 uptr, const void *src, size_t len)
{
	struct fake_user *u = ctx;

	u->writes++;
	if (u->fail_with)
		return u->fail_with;
	if (uptr < UBASE || uptr + len > UBASE + USIZE)
		return -EFAULT;
	memcpy(&u->mem[uptr - UBASE], src, len);
	return 0;
}

static const struct tyrc_uaccess_ops fu_ops = { .read = fu_read, .write = fu_write };

static int fu_setup(void **state)
{
	struct fake_user *u = calloc(1, sizeof(*u));

	assert_non_null(u);
	tyrc_uaccess_begin(&fu_ops, u);
	*state = u;
	return 0;
}

static int fu_teardown(void **state)
{
	tyrc_uaccess_end();
	free(*state);
	return 0;
}

static void test_no_current_user_faults(void **state)
{
	char buf[8] = { 0 };
	char *s = NULL;

	tyrc_uaccess_end();
	assert_int_equal(tyrc_copy_from_user(buf, UBASE, 4), -EFAULT);
	assert_int_equal(tyrc_copy_to_user(UBASE, buf, 4), -EFAULT);
	assert_int_equal(tyrc_clear_user(UBASE, 4), -EFAULT);
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE, 10), -EFAULT);
	assert_null(s);
}

static void test_zero_len_never_touches(void **state)
{
	struct fake_user *u = *state;
	char buf[1];

	assert_int_equal(tyrc_copy_from_user(buf, 0, 0), 0);
	assert_int_equal(tyrc_copy_to_user(0xdead, buf, 0), 0);
	assert_int_equal(tyrc_clear_user(0xdead, 0), 0);
	assert_int_equal(u->reads + u->writes, 0);
}

static void test_roundtrip_and_clear(void **state)
{
	struct fake_user *u = *state;
	u8 in[300], out[300];

	for (int i = 0; i < 300; i++)
		in[i] = (u8)(i * 7 + 1);
	assert_int_equal(tyrc_copy_to_user(UBASE + 100, in, sizeof(in)), 0);
	assert_memory_equal(&u->mem[100], in, sizeof(in));
	assert_int_equal(tyrc_copy_from_user(out, UBASE + 100, sizeof(out)), 0);
	assert_memory_equal(out, in, sizeof(in));
	/* Larger than any internal chunk, and leaves its neighbours alone. */
	assert_int_equal(tyrc_clear_user(UBASE + 101, 298), 0);
	assert_int_equal(u->mem[100], in[0]);
	assert_int_equal(u->mem[399], in[299]);
	for (int i = 101; i < 399; i++)
		assert_int_equal(u->mem[i], 0);
}

static void test_faults_map_to_efault(void **state)
{
	struct fake_user *u = *state;
	char buf[16];

	assert_int_equal(tyrc_copy_from_user(buf, UBASE - 4, 8), -EFAULT);
	assert_int_equal(tyrc_copy_to_user(UBASE + USIZE - 4, buf, 8), -EFAULT);
	assert_int_equal(tyrc_clear_user(UBASE + USIZE - 100, 200), -EFAULT);
	/* Whatever the accessor reports (a dead client, -EIO...) becomes -EFAULT. */
	u->fail_with = -EIO;
	assert_int_equal(tyrc_copy_from_user(buf, UBASE, 8), -EFAULT);
	assert_int_equal(tyrc_copy_to_user(UBASE, buf, 8), -EFAULT);
}

static void test_wrapping_range_rejected_up_front(void **state)
{
	struct fake_user *u = *state;
	char buf[16];

	assert_int_equal(tyrc_copy_from_user(buf, UINT64_MAX - 3, 8), -EFAULT);
	assert_int_equal(tyrc_copy_to_user(UINT64_MAX - 3, buf, 8), -EFAULT);
	assert_int_equal(tyrc_clear_user(UINT64_MAX - 3, 8), -EFAULT);
	assert_int_equal(u->reads + u->writes, 0);
}

static void put_str(struct fake_user *u, u64 uptr, const char *s)
{
	memcpy(&u->mem[uptr - UBASE], s, strlen(s) + 1);
}

static void test_strndup_basic(void **state)
{
	struct fake_user *u = *state;
	char *s = NULL;

	put_str(u, UBASE + 10, "hello");
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 10, 64), 0);
	assert_string_equal(s, "hello");
	free(s);
	/* Exactly max_len characters fits; one more does not. */
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 10, 5), 0);
	assert_string_equal(s, "hello");
	free(s);
	s = NULL;
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 10, 4), -E2BIG);
	assert_null(s);
	/* Empty string. */
	put_str(u, UBASE + 200, "");
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 200, 0), 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_strndup_long_string(void **state)
{
	struct fake_user *u = *state;
	char want[1001];
	char *s = NULL;

	memset(want, 'a', 1000);
	want[1000] = '\0';
	put_str(u, UBASE + 3000, want); /* crosses the page boundary at 4096 */
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 3000, 1000), 0);
	assert_string_equal(s, want);
	free(s);
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + 3000, 999), -E2BIG);
}

static void test_strndup_reads_no_further_than_needed(void **state)
{
	struct fake_user *u = *state;
	char *s = NULL;

	memset(u->mem, 'x', USIZE);
	/* Too long: reads max_len + 1 bytes at most. */
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE, 10), -E2BIG);
	assert_true(u->max_read_end <= UBASE + 11);
	/* A string ending at the last mapped byte is fine: nothing after it is read. */
	u->mem[USIZE - 1] = '\0';
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + USIZE - 50, 100), 0);
	assert_int_equal(strlen(s), 49);
	free(s);
	/* Unterminated up to the end of mapped memory: -EFAULT. */
	u->mem[USIZE - 1] = 'x';
	assert_int_equal(tyrc_strndup_from_user(&s, UBASE + USIZE - 50, 100), -EFAULT);
}

static void *other_thread(void *arg)
{
	char buf[4];

	*(int *)arg = tyrc_copy_from_user(buf, UBASE, 4);
	return NULL;
}

static void test_current_user_is_per_thread(void **state)
{
	struct fake_user *u = *state;
	pthread_t th;
	int ret = 0;

	assert_int_equal(pthread_create(&th, NULL, other_thread, &ret), 0);
	pthread_join(th, NULL);
	assert_int_equal(ret, -EFAULT);
	assert_int_equal(u->reads, 0);
}

/* tyrc_uaccess_self: this process's memory, with bad pointers still -EFAULT. */
static void test_self_ops(void **state)
{
	char src[16] = "self-uaccess!", dst[16] = { 0 };
	void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(hole != MAP_FAILED);
	munmap(hole, 4096);
	tyrc_uaccess_begin(&tyrc_uaccess_self, NULL);
	assert_int_equal(tyrc_copy_from_user(dst, (u64)(uintptr_t)src, sizeof(src)), 0);
	assert_memory_equal(dst, src, sizeof(src));
	assert_int_equal(tyrc_copy_to_user((u64)(uintptr_t)dst, "written", 8), 0);
	assert_string_equal(dst, "written");
	assert_int_equal(tyrc_copy_from_user(dst, (u64)(uintptr_t)hole, 8), -EFAULT);
	assert_int_equal(tyrc_copy_to_user((u64)(uintptr_t)hole, src, 8), -EFAULT);
	tyrc_uaccess_end();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fu_setup, fu_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_no_current_user_faults),
		T(test_zero_len_never_touches),
		T(test_roundtrip_and_clear),
		T(test_faults_map_to_efault),
		T(test_wrapping_range_rejected_up_front),
		T(test_strndup_basic),
		T(test_strndup_long_string),
		T(test_strndup_reads_no_further_than_needed),
		T(test_current_user_is_per_thread),
		cmocka_unit_test(test_self_ops),
	};

	return cmocka_run_group_tests_name("uaccess", tests, NULL, NULL);
}
