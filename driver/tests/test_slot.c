// SPDX-License-Identifier: MIT
/*
 * The generic slot manager, without any GPU: binding, reuse, LRU eviction
 * of idle slots, -EBUSY, reserved slots, stale seats, failing callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tyrc_slot.h"

#define NR_SLOTS 8
#define NR_OBJS 16

struct obj {
	struct tyrc_slot_seat seat;
	int id;
};

struct recorder {
	int activations[NR_SLOTS];
	int evictions[NR_SLOTS];
	/* Owner id last activated / evicted per slot. */
	int active_id[NR_SLOTS];
	int evicted_id[NR_SLOTS];
	int fail_activate;
	int fail_evict;
};

struct fixture {
	struct tyrc_slot_manager mgr;
	struct recorder rec;
	struct obj objs[NR_OBJS];
};

static int rec_activate(struct tyrc_slot_manager *mgr, u32 slot, void *owner)
{
	struct recorder *rec = tyrc_slot_manager_priv(mgr);

	assert_true(slot < NR_SLOTS);
	if (rec->fail_activate)
		return rec->fail_activate;
	rec->activations[slot]++;
	rec->active_id[slot] = ((struct obj *)owner)->id;
	return 0;
}

static int rec_evict(struct tyrc_slot_manager *mgr, u32 slot, void *owner)
{
	struct recorder *rec = tyrc_slot_manager_priv(mgr);

	assert_true(slot < NR_SLOTS);
	/* Only idle slots are evicted. */
	assert_int_equal(tyrc_slot_users(mgr, slot), 0);
	if (rec->fail_evict)
		return rec->fail_evict;
	rec->evictions[slot]++;
	rec->evicted_id[slot] = ((struct obj *)owner)->id;
	return 0;
}

static const struct tyrc_slot_ops rec_ops = { .activate = rec_activate, .evict = rec_evict };

/* Eight slots, slot 0 reserved: the MMU's layout. */
static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	assert_int_equal(tyrc_slot_manager_init(&f->mgr, NR_SLOTS, BIT(0), &rec_ops, &f->rec), 0);
	for (int i = 0; i < NR_OBJS; i++) {
		tyrc_slot_seat_init(&f->objs[i].seat);
		f->objs[i].id = i;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	test_free(*state);
	return 0;
}

static int get(struct fixture *f, int i)
{
	return tyrc_slot_get(&f->mgr, &f->objs[i].seat, &f->objs[i], TYRC_SLOT_ANY);
}

static void put(struct fixture *f, int i)
{
	tyrc_slot_put(&f->mgr, &f->objs[i].seat);
}

static void test_init_checks(void **state)
{
	struct tyrc_slot_manager mgr;
	struct tyrc_slot_ops no_evict = { .activate = rec_activate };

	assert_int_equal(tyrc_slot_manager_init(&mgr, 0, 0, &rec_ops, NULL), -EINVAL);
	assert_int_equal(tyrc_slot_manager_init(&mgr, TYRC_SLOT_MAX + 1, 0, &rec_ops, NULL),
			 -EINVAL);
	assert_int_equal(tyrc_slot_manager_init(&mgr, 4, BIT(4), &rec_ops, NULL), -EINVAL);
	assert_int_equal(tyrc_slot_manager_init(&mgr, 4, 0, &no_evict, NULL), -EINVAL);
	assert_int_equal(tyrc_slot_manager_init(&mgr, 4, 0, NULL, NULL), -EINVAL);
	assert_int_equal(tyrc_slot_manager_init(&mgr, TYRC_SLOT_MAX, ~0u, &rec_ops, NULL), 0);
}

static void test_bind_and_reuse(void **state)
{
	struct fixture *f = *state;
	int slot;

	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), -1);
	slot = get(f, 0);
	/* Reserved slot 0 is never picked: the first free one is 1. */
	assert_int_equal(slot, 1);
	assert_int_equal(f->rec.activations[1], 1);
	assert_int_equal(f->rec.active_id[1], 0);
	assert_ptr_equal(tyrc_slot_owner(&f->mgr, 1), &f->objs[0]);
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), 1);
	assert_int_equal(tyrc_slot_users(&f->mgr, 1), 1);

	/* A second use of a resident seat: same slot, no hardware work. */
	assert_int_equal(get(f, 0), 1);
	assert_int_equal(tyrc_slot_users(&f->mgr, 1), 2);
	put(f, 0);
	put(f, 0);
	assert_int_equal(tyrc_slot_users(&f->mgr, 1), 0);
	/* Idle but still resident. */
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), 1);
	assert_int_equal(get(f, 0), 1);
	assert_int_equal(f->rec.activations[1], 1);
	assert_int_equal(f->rec.evictions[1], 0);
	put(f, 0);
	assert_null(tyrc_slot_owner(&f->mgr, 2));
	assert_null(tyrc_slot_owner(&f->mgr, 99));
}

static void test_ebusy_when_all_active(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < NR_SLOTS - 1; i++)
		assert_int_equal(get(f, i), i + 1);
	assert_int_equal(get(f, 7), -EBUSY);
	/* Nothing was evicted and the newcomer is not bound. */
	for (int s = 1; s < NR_SLOTS; s++)
		assert_int_equal(f->rec.evictions[s], 0);
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[7].seat), -1);
	/* Reserved slot 0 stays out of reach. */
	assert_null(tyrc_slot_owner(&f->mgr, 0));
	/* One idle slot is enough. */
	put(f, 3);
	assert_int_equal(get(f, 7), 4);
	assert_int_equal(f->rec.evictions[4], 1);
	assert_int_equal(f->rec.evicted_id[4], 3);
	assert_int_equal(f->rec.active_id[4], 7);
}

static void test_lru_eviction(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < NR_SLOTS - 1; i++)
		assert_int_equal(get(f, i), i + 1);
	/* Idle in the order 4, 1, 6: the least recently used is 4 (slot 5). */
	put(f, 4);
	put(f, 1);
	put(f, 6);
	assert_int_equal(get(f, 8), 5);
	assert_int_equal(f->rec.evicted_id[5], 4);
	/* Using 1 again (and dropping it) makes 6 the oldest idle one. */
	assert_int_equal(get(f, 1), 2);
	put(f, 1);
	assert_int_equal(get(f, 9), 7);
	assert_int_equal(f->rec.evicted_id[7], 6);
	assert_int_equal(get(f, 10), 2);
	assert_int_equal(f->rec.evicted_id[2], 1);
	assert_int_equal(get(f, 11), -EBUSY);
}

static void test_stale_seat_rebinds(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < NR_SLOTS - 1; i++) {
		assert_int_equal(get(f, i), i + 1);
		put(f, i);
	}
	/* Object 0 is the LRU idle one: object 7 takes its slot. */
	assert_int_equal(get(f, 7), 1);
	/* Object 0's seat was not touched but is stale now. */
	assert_int_not_equal(f->objs[0].seat.seqno, 0);
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), -1);
	/* Getting it again binds it afresh (evicting object 1, now the LRU). */
	assert_int_equal(get(f, 0), 2);
	assert_int_equal(f->rec.evicted_id[2], 1);
	assert_int_equal(f->rec.active_id[2], 0);
	assert_int_equal(f->rec.activations[2], 2);
	/* Object 7 kept slot 1. */
	assert_ptr_equal(tyrc_slot_owner(&f->mgr, 1), &f->objs[7]);
}

static void test_reserved_slot(void **state)
{
	struct fixture *f = *state;
	struct obj *mcu = &f->objs[15];

	assert_int_equal(tyrc_slot_get(&f->mgr, &mcu->seat, mcu, 0), 0);
	assert_int_equal(f->rec.active_id[0], 15);
	/* Asking again by index or as ANY: the same binding. */
	assert_int_equal(tyrc_slot_get(&f->mgr, &mcu->seat, mcu, 0), 0);
	assert_int_equal(tyrc_slot_get(&f->mgr, &mcu->seat, mcu, TYRC_SLOT_ANY), 0);
	assert_int_equal(tyrc_slot_users(&f->mgr, 0), 3);
	/* Only reserved slots can be requested by index. */
	assert_int_equal(tyrc_slot_get(&f->mgr, &f->objs[0].seat, &f->objs[0], 3), -EINVAL);
	assert_int_equal(tyrc_slot_get(&f->mgr, &f->objs[0].seat, &f->objs[0], 42), -EINVAL);
	/* Bound elsewhere than asked. */
	assert_int_equal(get(f, 0), 1);
	assert_int_equal(tyrc_slot_get(&f->mgr, &f->objs[0].seat, &f->objs[0], 0), -EINVAL);
	/* A busy reserved slot is not taken over. */
	assert_int_equal(tyrc_slot_get(&f->mgr, &f->objs[1].seat, &f->objs[1], 0), -EBUSY);
	for (int i = 0; i < 3; i++)
		tyrc_slot_put(&f->mgr, &mcu->seat);
	/* An idle reserved slot is never an LRU victim. */
	for (int i = 1; i < NR_SLOTS - 1; i++)
		assert_int_equal(get(f, i), i + 1);
	assert_int_equal(get(f, 8), -EBUSY);
	assert_ptr_equal(tyrc_slot_owner(&f->mgr, 0), mcu);
	/* ... but an explicit request for it evicts the idle owner. */
	assert_int_equal(tyrc_slot_get(&f->mgr, &f->objs[9].seat, &f->objs[9], 0), 0);
	assert_int_equal(f->rec.evicted_id[0], 15);
	assert_int_equal(tyrc_slot_of(&f->mgr, &mcu->seat), -1);
}

static void test_explicit_evict(void **state)
{
	struct fixture *f = *state;

	/* Never bound: nothing to do. */
	assert_int_equal(tyrc_slot_evict(&f->mgr, &f->objs[0].seat), 0);
	assert_int_equal(get(f, 0), 1);
	assert_int_equal(tyrc_slot_evict(&f->mgr, &f->objs[0].seat), -EBUSY);
	put(f, 0);
	assert_int_equal(tyrc_slot_evict(&f->mgr, &f->objs[0].seat), 0);
	assert_int_equal(f->rec.evictions[1], 1);
	assert_null(tyrc_slot_owner(&f->mgr, 1));
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), -1);
	assert_int_equal(f->objs[0].seat.seqno, 0);
	/* Stale seat: nothing to evict, and the slot's new owner is untouched. */
	assert_int_equal(get(f, 0), 1);
	put(f, 0);
	for (int i = 1; i < NR_SLOTS; i++)
		assert_int_equal(get(f, i), i == NR_SLOTS - 1 ? 1 : i + 1);
	assert_int_equal(tyrc_slot_evict(&f->mgr, &f->objs[0].seat), 0);
	assert_ptr_equal(tyrc_slot_owner(&f->mgr, 1), &f->objs[NR_SLOTS - 1]);
	assert_int_equal(f->rec.evictions[1], 2);
}

static void test_failing_callbacks(void **state)
{
	struct fixture *f = *state;

	f->rec.fail_activate = -ETIMEDOUT;
	assert_int_equal(get(f, 0), -ETIMEDOUT);
	assert_null(tyrc_slot_owner(&f->mgr, 1));
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), -1);
	f->rec.fail_activate = 0;

	for (int i = 0; i < NR_SLOTS - 1; i++) {
		assert_int_equal(get(f, i), i + 1);
		put(f, i);
	}
	/* A failing eviction keeps the old binding and reports the error. */
	f->rec.fail_evict = -EIO;
	assert_int_equal(get(f, 8), -EIO);
	assert_ptr_equal(tyrc_slot_owner(&f->mgr, 1), &f->objs[0]);
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), 1);
	assert_int_equal(tyrc_slot_evict(&f->mgr, &f->objs[0].seat), -EIO);
	assert_int_equal(tyrc_slot_of(&f->mgr, &f->objs[0].seat), 1);
	f->rec.fail_evict = 0;
	/* A failing activation after a successful eviction leaves the slot free. */
	f->rec.fail_activate = -EIO;
	assert_int_equal(get(f, 8), -EIO);
	assert_null(tyrc_slot_owner(&f->mgr, 1));
	f->rec.fail_activate = 0;
	assert_int_equal(get(f, 8), 1);
	assert_int_equal(f->rec.evictions[1], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_checks),
		cmocka_unit_test_setup_teardown(test_bind_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ebusy_when_all_active, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lru_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_seat_rebinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_evict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_callbacks, setup, teardown),
	};

	return cmocka_run_group_tests_name("slot", tests, NULL, NULL);
}
