// SPDX-License-Identifier: MIT
/* Intrusive lists: insertion order, removal, safe iteration. */
#include "test_util.h"

struct item {
	int v;
	struct tyrc_list_head node;
};

/* Collect the values of @head in order into @out; Return: how many. */
static int collect(struct tyrc_list_head *head, int *out, int max)
{
	struct item *it;
	int n = 0;

	tyrc_list_for_each_entry(it, head, node) {
		assert_true(n < max);
		out[n++] = it->v;
	}
	return n;
}

static void test_init_empty(void **state)
{
	struct tyrc_list_head h = TYRC_LIST_HEAD_INIT(h);
	struct tyrc_list_head h2;

	assert_true(tyrc_list_empty(&h));
	tyrc_list_init(&h2);
	assert_true(tyrc_list_empty(&h2));
	assert_ptr_equal(h2.next, &h2);
	assert_ptr_equal(h2.prev, &h2);
}

static void test_add_tail_is_fifo(void **state)
{
	struct tyrc_list_head h;
	struct item it[4];
	int out[4];

	tyrc_list_init(&h);
	for (int i = 0; i < 4; i++) {
		it[i].v = i;
		tyrc_list_add_tail(&it[i].node, &h);
	}
	assert_false(tyrc_list_empty(&h));
	assert_int_equal(collect(&h, out, 4), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(out[i], i);
	assert_int_equal(tyrc_list_first_entry(&h, struct item, node)->v, 0);
}

static void test_add_is_lifo(void **state)
{
	struct tyrc_list_head h;
	struct item it[4];
	int out[4];

	tyrc_list_init(&h);
	for (int i = 0; i < 4; i++) {
		it[i].v = i;
		tyrc_list_add(&it[i].node, &h);
	}
	assert_int_equal(collect(&h, out, 4), 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(out[i], 3 - i);
}

static void test_del_init(void **state)
{
	struct tyrc_list_head h;
	struct item it[3];
	int out[3];

	tyrc_list_init(&h);
	for (int i = 0; i < 3; i++) {
		it[i].v = i;
		tyrc_list_add_tail(&it[i].node, &h);
	}
	tyrc_list_del_init(&it[1].node);
	assert_true(tyrc_list_empty(&it[1].node));
	assert_int_equal(collect(&h, out, 3), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 2);
	tyrc_list_del_init(&it[0].node);
	tyrc_list_del_init(&it[2].node);
	assert_true(tyrc_list_empty(&h));
}

static void test_for_each_safe_removes(void **state)
{
	struct tyrc_list_head h;
	struct item it[6], *pos, *n;
	int out[6];

	tyrc_list_init(&h);
	for (int i = 0; i < 6; i++) {
		it[i].v = i;
		tyrc_list_add_tail(&it[i].node, &h);
	}
	tyrc_list_for_each_entry_safe(pos, n, &h, node) {
		if (pos->v % 2 == 0)
			tyrc_list_del_init(&pos->node);
	}
	assert_int_equal(collect(&h, out, 6), 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 5);
}

static void test_for_each_empty_list(void **state)
{
	struct tyrc_list_head h;
	int out[1];

	tyrc_list_init(&h);
	assert_int_equal(collect(&h, out, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_add_tail_is_fifo),
		cmocka_unit_test(test_add_is_lifo),
		cmocka_unit_test(test_del_init),
		cmocka_unit_test(test_for_each_safe_removes),
		cmocka_unit_test(test_for_each_empty_list),
	};

	return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
