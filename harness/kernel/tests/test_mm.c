// SPDX-License-Identifier: MIT
/*
 * Board RAM and the page allocator: region checks, alignment and contiguity
 * of blocks, the scrambled order-0 pool, exhaustion and recovery, free-page
 * bookkeeping, address conversions, the memfd seen through a second mapping,
 * zeroing, aborts on bad frees, and concurrent use.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "test_util.h"

/* A base that is 2 MiB aligned, not 0 and above 4 GiB (catches 32-bit truncation). */
#define BASE 0x180000000ULL
#define SMALL (4ULL << 20) /* 1024 pages */
#define SMALL_PAGES (SMALL / TYRC_PAGE_SIZE)

static struct tyrc_ram *ram_new(u64 size)
{
	struct tyrc_ram *ram = NULL;

	assert_int_equal(tyrc_ram_create(BASE, size, &ram), 0);
	assert_non_null(ram);
	return ram;
}

static u64 alloc_ok(struct tyrc_ram *ram, unsigned int order)
{
	u64 phys = 0;

	assert_int_equal(tyrc_ram_alloc_pages(ram, order, TYRC_GFP_KERNEL, &phys), 0);
	return phys;
}

static void test_create_args(void **state)
{
	struct tyrc_ram *ram = (struct tyrc_ram *)&ram;

	assert_int_equal(tyrc_ram_create(BASE, SZ_2M, NULL), -EINVAL);
	assert_int_equal(tyrc_ram_create(BASE, 0, &ram), -EINVAL);
	assert_null(ram);
	assert_int_equal(tyrc_ram_create(BASE + SZ_4K, SZ_2M, &ram), -EINVAL);
	assert_int_equal(tyrc_ram_create(BASE, SZ_2M + SZ_4K, &ram), -EINVAL);
	assert_int_equal(tyrc_ram_create(BASE, (64ULL << 30) + SZ_2M, &ram), -EINVAL);
	assert_int_equal(tyrc_ram_create(~0ULL - SZ_2M + 1, 2 * SZ_2M, &ram), -EINVAL);
	tyrc_ram_destroy(NULL);

	ram = ram_new(SMALL);
	assert_int_equal(tyrc_ram_base(ram), BASE);
	assert_int_equal(tyrc_ram_size(ram), SMALL);
	assert_true(tyrc_ram_fd(ram) >= 0);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	tyrc_ram_destroy(ram);
}

static void test_bad_order_rejected(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 phys = 0;

	assert_int_equal(tyrc_ram_alloc_pages(ram, TYRC_MAX_PAGE_ORDER + 1, 0, &phys), -EINVAL);
	assert_int_equal(tyrc_ram_alloc_pages(ram, 0, BIT(5), &phys), -EINVAL);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	tyrc_ram_destroy(ram);
}

static void test_alignment(void **state)
{
	struct tyrc_ram *ram = ram_new(64ULL << 20);
	u64 phys[TYRC_MAX_PAGE_ORDER + 1][3];

	for (unsigned int round = 0; round < 3; round++) {
		for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o++) {
			u64 bytes = TYRC_PAGE_SIZE << o;

			phys[o][round] = alloc_ok(ram, o);
			assert_true(IS_ALIGNED(phys[o][round], bytes));
			assert_true(tyrc_ram_contains(ram, phys[o][round], bytes));
		}
	}
	for (unsigned int round = 0; round < 3; round++)
		for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o++)
			tyrc_ram_free_pages(ram, phys[o][round], o);
	assert_int_equal(tyrc_ram_free_page_count(ram), (64ULL << 20) / TYRC_PAGE_SIZE);
	tyrc_ram_destroy(ram);
}

/*
 * Blocks are contiguous and disjoint: every page of every block gets a tag
 * written through the linear map; all tags read back intact afterwards.
 */
static void test_blocks_contiguous_and_disjoint(void **state)
{
	struct tyrc_ram *ram = ram_new(32ULL << 20);
	struct {
		u64 phys;
		unsigned int order;
	} blocks[64];
	unsigned int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(blocks); i++) {
		unsigned int order = (i * 7) % 6;
		u64 phys;

		if (tyrc_ram_alloc_pages(ram, order, 0, &phys))
			break;
		blocks[n].phys = phys;
		blocks[n].order = order;
		for (u64 p = 0; p < (1u << order); p++) {
			u64 *v = tyrc_ram_phys_to_virt(ram, phys + p * TYRC_PAGE_SIZE);

			assert_ptr_equal(v, (u8 *)tyrc_ram_phys_to_virt(ram, phys) +
						    p * TYRC_PAGE_SIZE);
			v[0] = ((u64)n << 32) | p;
		}
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(blocks));
	for (unsigned int i = 0; i < n; i++) {
		for (u64 p = 0; p < (1u << blocks[i].order); p++) {
			u64 *v = tyrc_ram_phys_to_virt(ram, blocks[i].phys + p * TYRC_PAGE_SIZE);

			assert_int_equal(v[0], ((u64)i << 32) | p);
		}
		tyrc_ram_free_pages(ram, blocks[i].phys, blocks[i].order);
	}
	tyrc_ram_destroy(ram);
}

static void test_order0_scrambled(void **state)
{
	struct tyrc_ram *a = ram_new(64ULL << 20), *b = ram_new(64ULL << 20);
	u64 pages[256];
	unsigned int ascending = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_ok(a, 0);
		/* Deterministic: an identical RAM hands out the same sequence. */
		assert_int_equal(alloc_ok(b, 0), pages[i]);
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(pages[j], pages[i]);
		if (i) {
			u64 lo = tyrc_min(pages[i], pages[i - 1]);
			u64 hi = tyrc_max(pages[i], pages[i - 1]);

			/* Never physically contiguous with the previous page. */
			assert_int_not_equal(hi - lo, TYRC_PAGE_SIZE);
			ascending += pages[i] > pages[i - 1];
		}
	}
	/* Not a sorted walk in either direction. */
	assert_true(ascending > ARRAY_SIZE(pages) / 4);
	assert_true(ascending < 3 * ARRAY_SIZE(pages) / 4);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		tyrc_ram_free_pages(a, pages[i], 0);
	assert_int_equal(tyrc_ram_free_page_count(a), (64ULL << 20) / TYRC_PAGE_SIZE);
	tyrc_ram_destroy(a);
	tyrc_ram_destroy(b);
}

/* Order-0 pages still leave 2 MiB blocks for everything else. */
static void test_order0_keeps_large_blocks(void **state)
{
	struct tyrc_ram *ram = ram_new(8ULL << 20); /* four 2 MiB blocks */
	u64 pages[128], big[3];

	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = alloc_ok(ram, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = alloc_ok(ram, TYRC_MAX_PAGE_ORDER);
	for (unsigned int i = 0; i < ARRAY_SIZE(big); i++)
		tyrc_ram_free_pages(ram, big[i], TYRC_MAX_PAGE_ORDER);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		tyrc_ram_free_pages(ram, pages[i], 0);
	tyrc_ram_destroy(ram);
}

static void test_exhaustion_and_recovery(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 pages[SMALL_PAGES], phys;
	unsigned int n = 0;

	while (n < SMALL_PAGES && !tyrc_ram_alloc_pages(ram, 0, 0, &phys))
		pages[n++] = phys;
	assert_int_equal(n, SMALL_PAGES);
	assert_int_equal(tyrc_ram_free_page_count(ram), 0);
	for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o++)
		assert_int_equal(tyrc_ram_alloc_pages(ram, o, 0, &phys), -ENOMEM);

	/* Free in allocation (scrambled) order, then the whole RAM is two 2 MiB blocks again. */
	for (unsigned int i = 0; i < n; i++)
		tyrc_ram_free_pages(ram, pages[i], 0);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	pages[0] = alloc_ok(ram, TYRC_MAX_PAGE_ORDER);
	pages[1] = alloc_ok(ram, TYRC_MAX_PAGE_ORDER);
	assert_int_not_equal(pages[0], pages[1]);
	assert_int_equal(tyrc_ram_alloc_pages(ram, 0, 0, &phys), -ENOMEM);
	tyrc_ram_free_pages(ram, pages[0], TYRC_MAX_PAGE_ORDER);
	tyrc_ram_free_pages(ram, pages[1], TYRC_MAX_PAGE_ORDER);

	/* Half the pages freed at random leaves room for exactly that many pages. */
	n = 0;
	while (n < SMALL_PAGES && !tyrc_ram_alloc_pages(ram, 0, 0, &phys))
		pages[n++] = phys;
	assert_int_equal(n, SMALL_PAGES);
	assert_int_equal(tyrc_ram_alloc_pages(ram, 0, 0, &phys), -ENOMEM);
	for (unsigned int i = 0; i < n; i += 2)
		tyrc_ram_free_pages(ram, pages[i], 0);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES / 2);
	for (unsigned int i = 0; i < n; i += 2)
		pages[i] = alloc_ok(ram, 0);
	assert_int_equal(tyrc_ram_alloc_pages(ram, 0, 0, &phys), -ENOMEM);
	for (unsigned int i = 0; i < n; i++)
		tyrc_ram_free_pages(ram, pages[i], 0);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	tyrc_ram_destroy(ram);
}

static void test_free_count_bookkeeping(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 a = alloc_ok(ram, 0), b = alloc_ok(ram, 3), c = alloc_ok(ram, TYRC_MAX_PAGE_ORDER);

	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES - 1 - 8 - 512);
	tyrc_ram_free_pages(ram, b, 3);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES - 1 - 512);
	tyrc_ram_free_pages(ram, c, TYRC_MAX_PAGE_ORDER);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES - 1);
	tyrc_ram_free_pages(ram, a, 0);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	tyrc_ram_destroy(ram);
}

static void test_phys_virt(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u8 *base = tyrc_ram_phys_to_virt(ram, BASE);
	u64 phys = alloc_ok(ram, 2);
	u8 *v = tyrc_ram_phys_to_virt(ram, phys + 123);

	assert_non_null(base);
	assert_ptr_equal(v, base + (phys - BASE) + 123);
	assert_int_equal(tyrc_ram_virt_to_phys(ram, v), phys + 123);
	assert_ptr_equal(tyrc_ram_phys_to_virt(ram, BASE + SMALL - 1), base + SMALL - 1);
	assert_null(tyrc_ram_phys_to_virt(ram, BASE + SMALL));
	assert_null(tyrc_ram_phys_to_virt(ram, BASE - 1));
	assert_null(tyrc_ram_phys_to_virt(ram, 0));

	assert_true(tyrc_ram_contains(ram, BASE, SMALL));
	assert_true(tyrc_ram_contains(ram, BASE + SMALL - 8, 8));
	assert_true(tyrc_ram_contains(ram, BASE, 0));
	assert_false(tyrc_ram_contains(ram, BASE + SMALL - 8, 9));
	assert_false(tyrc_ram_contains(ram, BASE - 8, 16));
	assert_false(tyrc_ram_contains(ram, BASE + SMALL, 0));
	assert_false(tyrc_ram_contains(ram, BASE + 8, ~0ULL));

	/* The linear map is usable memory. */
	memset(v, 0xa5, 3 * TYRC_PAGE_SIZE);
	assert_int_equal(v[3 * TYRC_PAGE_SIZE - 1], 0xa5);
	tyrc_ram_free_pages(ram, phys, 2);
	tyrc_ram_destroy(ram);
}

/* A second mapping of the memfd at offset phys - base sees the same bytes. */
static void test_fd_offset_mapping(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 phys = alloc_ok(ram, 1);
	u8 *linear = tyrc_ram_phys_to_virt(ram, phys);
	u8 *user = mmap(NULL, 2 * TYRC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			tyrc_ram_fd(ram), (off_t)(phys - tyrc_ram_base(ram)));

	assert_true(user != MAP_FAILED);
	memcpy(linear + TYRC_PAGE_SIZE + 16, "through the linear map", 23);
	assert_string_equal((char *)user + TYRC_PAGE_SIZE + 16, "through the linear map");
	memcpy(user, "through the user map", 21);
	assert_string_equal((char *)linear, "through the user map");
	munmap(user, 2 * TYRC_PAGE_SIZE);
	tyrc_ram_free_pages(ram, phys, 1);
	tyrc_ram_destroy(ram);
}

static void test_gfp_zero(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 pages[SMALL_PAGES / 8], phys;

	/* Dirty the whole RAM. */
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_ok(ram, 3);
		memset(tyrc_ram_phys_to_virt(ram, pages[i]), 0xff, 8 * TYRC_PAGE_SIZE);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		tyrc_ram_free_pages(ram, pages[i], 3);

	/* Without the flag the old bytes stay; with it every byte is 0. */
	phys = alloc_ok(ram, 0);
	assert_int_equal(*(u8 *)tyrc_ram_phys_to_virt(ram, phys), 0xff);
	tyrc_ram_free_pages(ram, phys, 0);
	for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o += 3) {
		const u8 *v;

		assert_int_equal(tyrc_ram_alloc_pages(ram, o, TYRC_GFP_ZERO, &phys), 0);
		v = tyrc_ram_phys_to_virt(ram, phys);
		for (u64 i = 0; i < TYRC_PAGE_SIZE << o; i++)
			if (v[i])
				fail_msg("order %u byte %llu not zeroed", o, (unsigned long long)i);
		tyrc_ram_free_pages(ram, phys, o);
	}
	tyrc_ram_destroy(ram);
}

struct bad_free {
	struct tyrc_ram *ram;
	u64 phys;
	unsigned int order;
};

static void do_free(void *arg)
{
	struct bad_free *b = arg;

	tyrc_ram_free_pages(b->ram, b->phys, b->order);
}

static void do_virt_to_phys(void *arg)
{
	struct bad_free *b = arg;

	tyrc_ram_virt_to_phys(b->ram, &b->phys);
}

static void expect_bad_free(struct tyrc_ram *ram, u64 phys, unsigned int order)
{
	struct bad_free b = { ram, phys, order };
	char msg[512];

	test_expect_abort(do_free, &b, msg, sizeof(msg));
	assert_non_null(strstr(msg, "BUG"));
	assert_non_null(strstr(msg, "mm.c"));
}

static void test_bad_free_aborts(void **state)
{
	struct tyrc_ram *ram = ram_new(SMALL);
	u64 page = alloc_ok(ram, 0), block = alloc_ok(ram, 4), freed = alloc_ok(ram, 0);
	struct bad_free b = { ram, 0, 0 };

	tyrc_ram_free_pages(ram, freed, 0);
	expect_bad_free(ram, freed, 0); /* double free */
	expect_bad_free(ram, block, 3); /* wrong order */
	expect_bad_free(ram, block, 5); /* wrong order, larger */
	expect_bad_free(ram, block + TYRC_PAGE_SIZE, 0); /* inside a block */
	expect_bad_free(ram, page + 8, 0); /* unaligned */
	expect_bad_free(ram, BASE + SMALL, 0); /* beyond RAM */
	expect_bad_free(ram, BASE - TYRC_PAGE_SIZE, 0); /* below RAM */
	expect_bad_free(ram, page, TYRC_MAX_PAGE_ORDER + 1); /* bad order */
	test_expect_abort(do_virt_to_phys, &b, NULL, 0);

	/* The parent's allocator is untouched by the children. */
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES - 1 - 16);
	tyrc_ram_free_pages(ram, page, 0);
	tyrc_ram_free_pages(ram, block, 4);
	assert_int_equal(tyrc_ram_free_page_count(ram), SMALL_PAGES);
	tyrc_ram_destroy(ram);
}

#define THREADS 3
#define ROUNDS 2000

struct stress {
	struct tyrc_ram *ram;
	unsigned int id;
	int errors;
};

/* Allocate and free blocks of varied orders; each block is tagged and checked. */
static void *stress_thread(void *arg)
{
	struct stress *s = arg;
	struct {
		u64 phys;
		unsigned int order;
	} held[16] = { 0 };
	u64 rng = 0x1234567ULL * (s->id + 1);

	for (unsigned int r = 0; r < ROUNDS; r++) {
		unsigned int slot = r % ARRAY_SIZE(held);
		u64 tag = ((u64)s->id << 48) | r;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		if (held[slot].phys) {
			u64 *v = tyrc_ram_phys_to_virt(s->ram, held[slot].phys);
			u64 last = (TYRC_PAGE_SIZE << held[slot].order) / 8 - 1;

			if (v[0] != v[last])
				s->errors++;
			tyrc_ram_free_pages(s->ram, held[slot].phys, held[slot].order);
			held[slot].phys = 0;
		}
		held[slot].order = (unsigned int)(rng % 4) * 2;
		if (tyrc_ram_alloc_pages(s->ram, held[slot].order, 0, &held[slot].phys)) {
			s->errors++;
			continue;
		}
		{
			u64 *v = tyrc_ram_phys_to_virt(s->ram, held[slot].phys);

			v[0] = tag;
			v[(TYRC_PAGE_SIZE << held[slot].order) / 8 - 1] = tag;
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(held); i++)
		if (held[i].phys)
			tyrc_ram_free_pages(s->ram, held[i].phys, held[i].order);
	return NULL;
}

static void test_concurrent_alloc_free(void **state)
{
	struct tyrc_ram *ram = ram_new(64ULL << 20);
	struct stress s[THREADS];
	pthread_t t[THREADS];

	for (unsigned int i = 0; i < THREADS; i++) {
		s[i] = (struct stress){ .ram = ram, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, stress_thread, &s[i]), 0);
	}
	for (unsigned int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(s[i].errors, 0);
	}
	assert_int_equal(tyrc_ram_free_page_count(ram), (64ULL << 20) / TYRC_PAGE_SIZE);
	tyrc_ram_destroy(ram);
}

/* vmap gives one contiguous view of scattered pages, backed by those pages. */
static void test_vmap(void **state)
{
	struct tyrc_ram *ram = ram_new(8ULL << 20);
	u64 pages[4];
	u8 *view;

	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(tyrc_ram_alloc_pages(ram, 0, TYRC_GFP_ZERO, &pages[i]), 0);
	assert_true(pages[1] != pages[0] + TYRC_PAGE_SIZE); /* scattered */
	view = tyrc_ram_vmap(ram, pages, 4);
	assert_non_null(view);
	for (unsigned int i = 0; i < 4; i++) {
		view[i * TYRC_PAGE_SIZE + 7] = (u8)(0x40 + i);
		assert_int_equal(((u8 *)tyrc_ram_phys_to_virt(ram, pages[i]))[7], 0x40 + i);
	}
	((u8 *)tyrc_ram_phys_to_virt(ram, pages[3]))[TYRC_PAGE_SIZE - 1] = 0x99;
	assert_int_equal(view[4 * TYRC_PAGE_SIZE - 1], 0x99);
	tyrc_ram_vunmap(view, 4);

	pages[2] = tyrc_ram_base(ram) + tyrc_ram_size(ram); /* not RAM */
	assert_null(tyrc_ram_vmap(ram, pages, 4));
	pages[2] = pages[1] + 1; /* unaligned */
	assert_null(tyrc_ram_vmap(ram, pages, 4));
	assert_null(tyrc_ram_vmap(ram, pages, 0));
	tyrc_ram_destroy(ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_bad_order_rejected),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_blocks_contiguous_and_disjoint),
		cmocka_unit_test(test_order0_scrambled),
		cmocka_unit_test(test_order0_keeps_large_blocks),
		cmocka_unit_test(test_exhaustion_and_recovery),
		cmocka_unit_test(test_free_count_bookkeeping),
		cmocka_unit_test(test_phys_virt),
		cmocka_unit_test(test_fd_offset_mapping),
		cmocka_unit_test(test_gfp_zero),
		cmocka_unit_test(test_bad_free_aborts),
		cmocka_unit_test(test_concurrent_alloc_free),
		cmocka_unit_test(test_vmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
