// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): the MMU layer's page-table updates against board
 * RAM, no GPU. Maps 256 MiB and unmaps it again, (a) as 65536 scattered
 * 4 KiB pages, one map call per page (a BO's scatter list, as VM_BIND sees
 * it), and (b) as 128 2 MiB blocks, one call per block; each unmap is one
 * call over the whole range. Each update is followed by the gather finish
 * (freeing tables), as tyrc_mmu_vm_map() does on a VM with no AS bound.
 * Prints the median of several runs in pages (4 KiB units) per second.
 * Usage: bench_mmu [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tyrc_pgtable.h"

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (512ULL << 20)
#define MAP_SIZE (256ULL << 20)
#define VA_BASE 0x7fc0000000ULL /* 1 GiB below the 512 GiB boundary */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* One run: map @n chunks of @chunk bytes at @pa[i], then unmap everything. */
static int run(struct tyrc_pgtable *pt, const u64 *pa, u64 n, u64 chunk, u64 *map_ns, u64 *unmap_ns)
{
	struct tyrc_pgtable_gather g;
	u64 t0, t1;
	int ret;

	tyrc_pgtable_gather_init(&g);
	t0 = now_ns();
	for (u64 i = 0; i < n; i++) {
		ret = tyrc_pgtable_map(pt, VA_BASE + i * chunk, pa[i], chunk, TYRC_PROT_DEFAULT,
				       &g);
		if (ret)
			return ret;
		tyrc_pgtable_gather_finish(pt, &g);
	}
	t1 = now_ns();
	ret = tyrc_pgtable_unmap(pt, VA_BASE, n * chunk, &g);
	tyrc_pgtable_gather_finish(pt, &g);
	*unmap_ns = now_ns() - t1;
	*map_ns = t1 - t0;
	return ret;
}

static int bench(struct tyrc_ram *ram, const char *what, unsigned int order, int runs)
{
	u64 chunk = TYRC_PAGE_SIZE << order, n = MAP_SIZE / chunk, pages = MAP_SIZE / SZ_4K;
	u64 *pa = calloc(n, sizeof(*pa)), *map_ns = calloc((size_t)runs, sizeof(u64)),
	    *unmap_ns = calloc((size_t)runs, sizeof(u64));
	struct tyrc_pgtable *pt = NULL;
	u64 m, u;
	int ret = -ENOMEM;

	if (!pa || !map_ns || !unmap_ns)
		goto out;
	for (u64 i = 0; i < n; i++) {
		ret = tyrc_ram_alloc_pages(ram, order, TYRC_GFP_KERNEL, &pa[i]);
		if (ret)
			goto out;
	}
	ret = tyrc_pgtable_create(ram, TYRC_PGTABLE_VA_BITS, 40, &pt);
	if (ret)
		goto out;
	for (int r = 0; r < runs; r++) {
		ret = run(pt, pa, n, chunk, &map_ns[r], &unmap_ns[r]);
		if (ret)
			goto out;
	}
	m = median(map_ns, runs);
	u = median(unmap_ns, runs);
	printf("%-24s %10llu %14.0f %14.0f %10.3f %10.3f\n", what, (unsigned long long)n,
	       pages * 1e9 / (double)m, pages * 1e9 / (double)u, m / 1e6, u / 1e6);
out:
	tyrc_pgtable_destroy(pt);
	if (pa) {
		for (u64 i = 0; i < n && pa[i]; i++)
			tyrc_ram_free_pages(ram, pa[i], order);
	}
	free(pa);
	free(map_ns);
	free(unmap_ns);
	return ret;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	struct tyrc_ram *ram;
	int ret;

	if (runs < 1)
		runs = 1;
	ret = tyrc_ram_create(RAM_BASE, RAM_SIZE, &ram);
	if (ret) {
		fprintf(stderr, "bench_mmu: RAM: %d\n", ret);
		return 1;
	}
	printf("map + unmap 256 MiB, median of %d runs (pages = 4 KiB units)\n", runs);
	printf("%-24s %10s %14s %14s %10s %10s\n", "layout", "calls", "map pages/s",
	       "unmap pages/s", "map ms", "unmap ms");
	ret = bench(ram, "4 KiB pages (scattered)", 0, runs);
	if (!ret)
		ret = bench(ram, "2 MiB blocks", TYRC_MAX_PAGE_ORDER, runs);
	tyrc_ram_destroy(ram);
	if (ret) {
		fprintf(stderr, "bench_mmu: %d\n", ret);
		return 1;
	}
	return 0;
}
