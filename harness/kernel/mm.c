// SPDX-License-Identifier: MIT
/*
 * DOC: Board RAM and the page allocator
 *
 * The RAM is one memfd, made @size bytes long with ftruncate() (sparse: a
 * page costs host memory only once touched) and mapped once MAP_SHARED: that
 * mapping is the "linear map" behind tyrc_ram_phys_to_virt(). Anyone else
 * (the shim's user mappings, a test's second mapping) maps ranges of the
 * same fd at offset phys - base and sees the same bytes.
 *
 * The allocator is a buddy allocator over the RAM's pages with two twists:
 *
 * - Order-0 pages come from a pool of loose pages, refilled by breaking a
 *   whole 64-page block (order RAM_POOL_ORDER) into single pages, and taken
 *   from it at a pseudo-random position (a fixed-seed xorshift, so runs are
 *   reproducible). A page adjacent to the previous order-0 allocation is
 *   skipped whenever the pool offers another one, so two consecutive order-0
 *   allocations are never physically contiguous while the pool holds at
 *   least three pages. Only a few 64-page blocks are broken at a time, so
 *   the rest of RAM stays available as 2 MiB blocks.
 * - Freeing merges a block with its buddy while the buddy is a free block
 *   of the same order, as usual. The pool's loose pages are free order-0
 *   blocks whose buddies are free too (not merged); when an allocation of a
 *   higher order finds nothing, a coalescing sweep merges every such pair
 *   bottom-up and the allocation is retried, so fragmentation left by the
 *   pool never causes a spurious -ENOMEM.
 *
 * Every page has a state byte: the first page of a block records whether
 * the block is free or allocated and its order; other pages read 0. Freeing
 * anything but the first page of an allocated block of exactly that order
 * (a double free, a wrong order, an address that was never allocated) is a
 * bug and aborts. Free blocks of order k sit in the array @free[k]; @pos
 * gives each free block's index in its array, so any block can be removed
 * in O(1) when its buddy is freed. The arrays are sized for the worst case
 * at creation, so freeing never allocates.
 *
 * Locking: &tyrc_ram.lock guards the allocator state; the region fields
 * are immutable after creation, so address conversions take no lock.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <tyrc/lock.h>
#include <tyrc/log.h>
#include <tyrc/mm.h>

/* Largest RAM accepted: 64 GiB, 2^24 pages (page indices fit a u32). */
#define RAM_MAX_SIZE (64ULL << 30)
/* Alignment of the RAM's base and size: one largest block. */
#define RAM_ALIGN (TYRC_PAGE_SIZE << TYRC_MAX_PAGE_ORDER)
/* Order of the blocks broken into loose pages for the order-0 pool. */
#define RAM_POOL_ORDER 6u
/* Refill the pool when it holds fewer pages than this. */
#define RAM_POOL_MIN 16u

/* Page state byte: RAM_BLOCK_FREE or RAM_BLOCK_USED | order on a block's first page. */
#define RAM_BLOCK_FREE 0x40u
#define RAM_BLOCK_USED 0x80u
#define RAM_BLOCK_ORDER 0x0fu

/** struct ram_free_list - the free blocks of one order, in no particular order. */
struct ram_free_list {
	/** @items: first page index of each free block. */
	u32 *items;
	/** @count: number of entries of @items in use. */
	u32 count;
};

/**
 * struct tyrc_ram - the board's RAM and its page allocator.
 *
 * @base, @size, @fd, @map and @npages are set at creation and never change.
 */
struct tyrc_ram {
	/** @base: physical address of the first byte. */
	u64 base;
	/** @size: bytes of RAM. */
	u64 size;
	/** @fd: the backing memfd. */
	int fd;
	/** @map: the MAP_SHARED mapping of the whole memfd (the linear map). */
	u8 *map;
	/** @npages: number of pages. */
	u32 npages;
	/** @lock: guards @state, @pos, @free, @free_pages, @rng, @last and @have_last. */
	struct tyrc_mutex lock;
	/** @state: per page, RAM_BLOCK_* | order on a block's first page, else 0. */
	u8 *state;
	/** @pos: per page, the index of the free block starting there in its list. */
	u32 *pos;
	/** @free: free blocks by order; @free[0] is the scrambled pool. */
	struct ram_free_list free[TYRC_MAX_PAGE_ORDER + 1];
	/** @free_pages: number of free pages. */
	u64 free_pages;
	/** @rng: xorshift64 state for the order-0 pool. */
	u64 rng;
	/** @last: the page index of the last order-0 allocation. */
	u32 last;
	/** @have_last: @last is meaningful. */
	bool have_last;
};

static void ram_list_push(struct tyrc_ram *ram, unsigned int order, u32 idx)
{
	struct ram_free_list *l = &ram->free[order];

	l->items[l->count] = idx;
	ram->pos[idx] = l->count++;
	ram->state[idx] = RAM_BLOCK_FREE | order;
}

static void ram_list_remove(struct tyrc_ram *ram, unsigned int order, u32 idx)
{
	struct ram_free_list *l = &ram->free[order];
	u32 i = ram->pos[idx];
	u32 last = l->items[--l->count];

	TYRC_BUG_ON(l->items[i] != idx);
	l->items[i] = last;
	ram->pos[last] = i;
	ram->state[idx] = 0;
}

static bool ram_is_free_block(struct tyrc_ram *ram, u32 idx, unsigned int order)
{
	return ram->state[idx] == (RAM_BLOCK_FREE | order);
}

static u64 ram_random(struct tyrc_ram *ram)
{
	u64 x = ram->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	ram->rng = x;
	return x;
}

/* Split the free block @idx of order @from (already removed) down to @to. */
static void ram_split(struct tyrc_ram *ram, u32 idx, unsigned int from, unsigned int to)
{
	while (from > to) {
		from--;
		ram_list_push(ram, from, idx + (1u << from));
	}
}

/* Merge free buddies bottom-up until no two free buddies of one order remain. */
static void ram_coalesce(struct tyrc_ram *ram)
{
	for (unsigned int order = 0; order < TYRC_MAX_PAGE_ORDER; order++) {
		bool merged;

		do {
			struct ram_free_list *l = &ram->free[order];

			merged = false;
			for (u32 i = 0; i < l->count;) {
				u32 idx = l->items[i];
				u32 buddy = idx ^ (1u << order);

				if (!ram_is_free_block(ram, buddy, order)) {
					i++;
					continue;
				}
				ram_list_remove(ram, order, idx);
				ram_list_remove(ram, order, buddy);
				ram_list_push(ram, order + 1, tyrc_min(idx, buddy));
				merged = true;
			}
		} while (merged);
	}
}

/* Smallest order >= @order with a free block, or -1. */
static int ram_find_order(struct tyrc_ram *ram, unsigned int order)
{
	for (unsigned int o = order; o <= TYRC_MAX_PAGE_ORDER; o++)
		if (ram->free[o].count)
			return (int)o;
	return -1;
}

/* Break one block into loose pages for the order-0 pool, if any is free. */
static void ram_pool_refill(struct tyrc_ram *ram)
{
	int from = ram_find_order(ram, RAM_POOL_ORDER);
	unsigned int to = RAM_POOL_ORDER;
	u32 idx;

	if (from < 0) {
		/* Nothing that large: break the largest smaller block there is. */
		for (to = RAM_POOL_ORDER - 1; to > 0 && !ram->free[to].count; to--)
			;
		if (!to)
			return;
		from = (int)to;
	}
	idx = ram->free[from].items[ram->free[from].count - 1];
	ram_list_remove(ram, (unsigned int)from, idx);
	ram_split(ram, idx, (unsigned int)from, to);
	for (u32 i = 0; i < (1u << to); i++)
		ram_list_push(ram, 0, idx + i);
}

static bool ram_adjacent(u32 a, u32 b)
{
	return a + 1 == b || b + 1 == a;
}

static int ram_alloc_page_locked(struct tyrc_ram *ram, u32 *out)
{
	struct ram_free_list *pool = &ram->free[0];
	u32 pick, idx;

	if (pool->count < RAM_POOL_MIN)
		ram_pool_refill(ram);
	if (!pool->count)
		return -ENOMEM;
	pick = (u32)(ram_random(ram) % pool->count);
	idx = pool->items[pick];
	/* At most two pool pages are adjacent to the last one: three tries suffice. */
	for (u32 i = 1; i < 3 && i < pool->count; i++) {
		if (!ram->have_last || !ram_adjacent(idx, ram->last))
			break;
		idx = pool->items[(pick + i) % pool->count];
	}
	ram_list_remove(ram, 0, idx);
	ram->last = idx;
	ram->have_last = true;
	*out = idx;
	return 0;
}

static int ram_alloc_block_locked(struct tyrc_ram *ram, unsigned int order, u32 *out)
{
	int from = ram_find_order(ram, order);
	u32 idx;

	if (from < 0) {
		ram_coalesce(ram);
		from = ram_find_order(ram, order);
		if (from < 0)
			return -ENOMEM;
	}
	idx = ram->free[from].items[ram->free[from].count - 1];
	ram_list_remove(ram, (unsigned int)from, idx);
	ram_split(ram, idx, (unsigned int)from, order);
	*out = idx;
	return 0;
}

int tyrc_ram_alloc_pages(struct tyrc_ram *ram, unsigned int order, enum tyrc_gfp gfp, u64 *phys)
{
	u32 idx;
	int ret;

	if (order > TYRC_MAX_PAGE_ORDER || (gfp & ~TYRC_GFP_ZERO) || !phys)
		return -EINVAL;
	tyrc_mutex_lock(&ram->lock);
	ret = order ? ram_alloc_block_locked(ram, order, &idx) : ram_alloc_page_locked(ram, &idx);
	if (!ret) {
		ram->state[idx] = RAM_BLOCK_USED | order;
		ram->free_pages -= 1u << order;
	}
	tyrc_mutex_unlock(&ram->lock);
	if (ret)
		return ret;
	if (gfp & TYRC_GFP_ZERO)
		memset(ram->map + ((u64)idx << TYRC_PAGE_SHIFT), 0, TYRC_PAGE_SIZE << order);
	*phys = ram->base + ((u64)idx << TYRC_PAGE_SHIFT);
	return 0;
}

void tyrc_ram_free_pages(struct tyrc_ram *ram, u64 phys, unsigned int order)
{
	u32 idx;

	TYRC_BUG_ON(order > TYRC_MAX_PAGE_ORDER);
	TYRC_BUG_ON(!tyrc_ram_contains(ram, phys, TYRC_PAGE_SIZE << order));
	TYRC_BUG_ON(!IS_ALIGNED(phys - ram->base, TYRC_PAGE_SIZE << order));
	idx = (u32)((phys - ram->base) >> TYRC_PAGE_SHIFT);

	tyrc_mutex_lock(&ram->lock);
	/* Not allocated, already freed, or allocated with another order. */
	TYRC_BUG_ON(ram->state[idx] != (RAM_BLOCK_USED | order));
	ram->state[idx] = 0;
	ram->free_pages += 1u << order;
	while (order < TYRC_MAX_PAGE_ORDER) {
		u32 buddy = idx ^ (1u << order);

		if (!ram_is_free_block(ram, buddy, order))
			break;
		ram_list_remove(ram, order, buddy);
		idx = tyrc_min(idx, buddy);
		order++;
	}
	ram_list_push(ram, order, idx);
	tyrc_mutex_unlock(&ram->lock);
}

u64 tyrc_ram_free_page_count(struct tyrc_ram *ram)
{
	u64 n;

	tyrc_mutex_lock(&ram->lock);
	n = ram->free_pages;
	tyrc_mutex_unlock(&ram->lock);
	return n;
}

/* Allocate the bookkeeping arrays, sized for the worst case of every order. */
static int ram_alloc_state(struct tyrc_ram *ram)
{
	ram->state = calloc(ram->npages, sizeof(*ram->state));
	ram->pos = calloc(ram->npages, sizeof(*ram->pos));
	if (!ram->state || !ram->pos)
		return -ENOMEM;
	for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o++) {
		ram->free[o].items = calloc(ram->npages >> o, sizeof(u32));
		if (!ram->free[o].items)
			return -ENOMEM;
	}
	return 0;
}

static void ram_free_state(struct tyrc_ram *ram)
{
	for (unsigned int o = 0; o <= TYRC_MAX_PAGE_ORDER; o++)
		free(ram->free[o].items);
	free(ram->pos);
	free(ram->state);
}

int tyrc_ram_create(u64 base, u64 size, struct tyrc_ram **out)
{
	struct tyrc_ram *ram;
	u64 end;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!size || size > RAM_MAX_SIZE || !IS_ALIGNED(base, RAM_ALIGN) ||
	    !IS_ALIGNED(size, RAM_ALIGN) || check_add_overflow(base, size, &end))
		return -EINVAL;

	ram = calloc(1, sizeof(*ram));
	if (!ram)
		return -ENOMEM;
	ram->base = base;
	ram->size = size;
	ram->npages = (u32)(size >> TYRC_PAGE_SHIFT);
	ram->rng = 0x9e3779b97f4a7c15ULL;
	ram->fd = -1;
	ram->map = MAP_FAILED;
	ret = ram_alloc_state(ram);
	if (ret)
		goto err_free_state;

	ram->fd = memfd_create("tyrc-ram", MFD_CLOEXEC);
	if (ram->fd < 0) {
		ret = -errno;
		goto err_free_state;
	}
	if (ftruncate(ram->fd, (off_t)size)) {
		ret = -errno;
		goto err_close;
	}
	ram->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ram->fd, 0);
	if (ram->map == MAP_FAILED) {
		ret = -errno;
		goto err_close;
	}

	tyrc_mutex_init(&ram->lock);
	/* Every page starts free, as largest blocks; the lowest is taken first. */
	for (u32 idx = ram->npages; idx;) {
		idx -= 1u << TYRC_MAX_PAGE_ORDER;
		ram_list_push(ram, TYRC_MAX_PAGE_ORDER, idx);
	}
	ram->free_pages = ram->npages;
	*out = ram;
	return 0;

err_close:
	close(ram->fd);
err_free_state:
	ram_free_state(ram);
	free(ram);
	return ret;
}

void tyrc_ram_destroy(struct tyrc_ram *ram)
{
	if (!ram)
		return;
	munmap(ram->map, ram->size);
	close(ram->fd);
	tyrc_mutex_destroy(&ram->lock);
	ram_free_state(ram);
	free(ram);
}

bool tyrc_ram_contains(struct tyrc_ram *ram, u64 phys, u64 len)
{
	if (phys < ram->base || phys - ram->base >= ram->size)
		return false;
	return len <= ram->size - (phys - ram->base);
}

void *tyrc_ram_phys_to_virt(struct tyrc_ram *ram, u64 phys)
{
	if (!tyrc_ram_contains(ram, phys, 0))
		return NULL;
	return ram->map + (phys - ram->base);
}

u64 tyrc_ram_virt_to_phys(struct tyrc_ram *ram, const void *va)
{
	uintptr_t p = (uintptr_t)va, start = (uintptr_t)ram->map;

	TYRC_BUG_ON(p < start || p - start >= ram->size);
	return ram->base + (p - start);
}

u64 tyrc_ram_base(struct tyrc_ram *ram)
{
	return ram->base;
}

u64 tyrc_ram_size(struct tyrc_ram *ram)
{
	return ram->size;
}

int tyrc_ram_fd(struct tyrc_ram *ram)
{
	return ram->fd;
}

void *tyrc_ram_vmap(struct tyrc_ram *ram, const u64 *pages, u32 count)
{
	size_t len = (size_t)count << TYRC_PAGE_SHIFT;
	u8 *addr;

	if (!count)
		return NULL;
	/* Reserve the range first, then put each page in place over it. */
	addr = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED)
		return NULL;
	for (u32 i = 0; i < count; i++) {
		u64 phys = pages[i];

		if (!IS_ALIGNED(phys, TYRC_PAGE_SIZE) ||
		    !tyrc_ram_contains(ram, phys, TYRC_PAGE_SIZE) ||
		    mmap(addr + ((size_t)i << TYRC_PAGE_SHIFT), TYRC_PAGE_SIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, ram->fd,
			 (off_t)(phys - ram->base)) == MAP_FAILED) {
			munmap(addr, len);
			return NULL;
		}
	}
	return addr;
}

void tyrc_ram_vunmap(void *addr, u32 count)
{
	if (addr)
		munmap(addr, (size_t)count << TYRC_PAGE_SHIFT);
}
