// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): the MMU layer's page-table updates. Maps 256 MiB
 * and unmaps it again, (a) as 65536 scattered 4 KiB pages, one map call per
 * page (a BO's scatter list, as VM_BIND sees it), and (b) as 128 2 MiB
 * blocks, one call per block; each unmap is one call over the whole range.
 *
 * Three paths, one table:
 *  - pgtable: tyrc_pgtable_map/unmap against board RAM, no GPU, each update
 *    followed by the gather finish (freeing tables) - the baseline;
 *  - mmu, no AS: tyrc_mmu_vm_map/unmap on a probed device (RAM + G610 model,
 *    no firmware) with a VM bound to no AS: the baseline plus the layer's
 *    locking and checks, no flush;
 *  - mmu, on AS: the same on a VM activated on an AS, so every call also runs
 *    the LOCK / GPU cache flush / UNLOCK sequence through the model. The
 *    4 KiB row of this path maps less than 256 MiB (its row says how much)
 *    to keep the benchmark short.
 *
 * Prints the median of several runs in pages (4 KiB units) per second.
 * Usage: bench_mmu [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tyrc_device.h"
#include "tyrc_mmu.h"
#include "tyrc_model.h"
#include "tyrc_pgtable.h"

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (512ULL << 20)
#define MAP_SIZE (256ULL << 20)
/* What the flushed 4 KiB row maps: one flush per 4 KiB call is slow. */
#define FLUSHED_4K_MAP_SIZE (32ULL << 20)
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

static void print_row(const char *what, u64 calls, u64 pages, u64 *map_ns, u64 *unmap_ns, int runs)
{
	u64 m = median(map_ns, runs), u = median(unmap_ns, runs);

	printf("%-36s %8llu %14.0f %14.0f %10.3f %10.3f\n", what, (unsigned long long)calls,
	       pages * 1e9 / (double)m, pages * 1e9 / (double)u, m / 1e6, u / 1e6);
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
	print_row(what, n, pages, map_ns, unmap_ns, runs);
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

/* The G610 model on @ram and the driver probed on it, without firmware. */
struct gpu {
	struct tyrc_model *model;
	struct tyrc_device *dev;
};

static int gpu_probe(struct tyrc_ram *ram, struct gpu *g)
{
	struct tyrc_model_config mcfg;
	struct tyrc_device_config dcfg;
	struct tyrc_platform pdev;
	int ret;

	tyrc_model_config_init_g610(&mcfg);
	ret = tyrc_model_create(&mcfg, ram, &g->model);
	if (ret)
		return ret;
	pdev = (struct tyrc_platform){
		.iomem = tyrc_model_iomem(g->model),
		.irq_job = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_JOB),
		.irq_mmu = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_MMU),
		.irq_gpu = tyrc_model_irq_line(g->model, TYRC_MODEL_IRQ_GPU),
		.ram = ram,
		.timestamp_frequency_hz = mcfg.timestamp_frequency_hz,
	};
	tyrc_device_config_init(&dcfg);
	dcfg.no_firmware = true;
	ret = tyrc_device_probe(&pdev, &dcfg, &g->dev);
	if (ret) {
		tyrc_model_destroy(g->model);
		g->model = NULL;
	}
	return ret;
}

static void gpu_remove(struct gpu *g)
{
	tyrc_device_remove(g->dev);
	tyrc_model_destroy(g->model);
}

/* One run through the mmu layer: map @n chunks of @chunk bytes, unmap all. */
static int run_vm(struct tyrc_mmu_vm *vm, const u64 *pa, u64 n, u64 chunk, u64 *map_ns,
		  u64 *unmap_ns)
{
	u64 t0, t1;
	int ret;

	t0 = now_ns();
	for (u64 i = 0; i < n; i++) {
		ret = tyrc_mmu_vm_map(vm, VA_BASE + i * chunk, pa[i], chunk, TYRC_PROT_DEFAULT);
		if (ret)
			return ret;
	}
	t1 = now_ns();
	ret = tyrc_mmu_vm_unmap(vm, VA_BASE, n * chunk);
	*unmap_ns = now_ns() - t1;
	*map_ns = t1 - t0;
	return ret;
}

/* @size bytes in 2^@order-page chunks through a VM, bound to an AS if @on_as. */
static int bench_vm(struct tyrc_ram *ram, struct gpu *g, const char *what, unsigned int order,
		    u64 size, bool on_as, int runs)
{
	u64 chunk = TYRC_PAGE_SIZE << order, n = size / chunk, pages = size / SZ_4K;
	u64 *pa = calloc(n, sizeof(*pa)), *map_ns = calloc((size_t)runs, sizeof(u64)),
	    *unmap_ns = calloc((size_t)runs, sizeof(u64));
	struct tyrc_mmu_vm *vm = NULL;
	bool active = false;
	int ret = -ENOMEM;

	if (!pa || !map_ns || !unmap_ns)
		goto out;
	for (u64 i = 0; i < n; i++) {
		ret = tyrc_ram_alloc_pages(ram, order, TYRC_GFP_KERNEL, &pa[i]);
		if (ret)
			goto out;
	}
	ret = tyrc_mmu_vm_create(g->dev, 1ULL << 48, false, &vm);
	if (ret)
		goto out;
	if (on_as) {
		ret = tyrc_mmu_vm_activate(vm);
		if (ret)
			goto out;
		active = true;
	}
	for (int r = 0; r < runs; r++) {
		ret = run_vm(vm, pa, n, chunk, &map_ns[r], &unmap_ns[r]);
		if (ret)
			goto out;
	}
	if (tyrc_mmu_vm_as(vm) != (on_as ? 1 : -1)) {
		fprintf(stderr, "bench_mmu: %s: VM on AS %d\n", what, tyrc_mmu_vm_as(vm));
		ret = -EINVAL;
		goto out;
	}
	print_row(what, n, pages, map_ns, unmap_ns, runs);
out:
	if (active)
		tyrc_mmu_vm_deactivate(vm);
	tyrc_mmu_vm_destroy(vm);
	if (pa) {
		for (u64 i = 0; i < n && pa[i]; i++)
			tyrc_ram_free_pages(ram, pa[i], order);
	}
	free(pa);
	free(map_ns);
	free(unmap_ns);
	return ret;
}

static int bench_mmu_layer(struct tyrc_ram *ram, int runs)
{
	char what[64];
	struct gpu g;
	int ret;

	ret = gpu_probe(ram, &g);
	if (ret) {
		fprintf(stderr, "bench_mmu: probe: %d\n", ret);
		return ret;
	}
	ret = bench_vm(ram, &g, "mmu, no AS: 4 KiB pages", 0, MAP_SIZE, false, runs);
	if (!ret)
		ret = bench_vm(ram, &g, "mmu, no AS: 2 MiB blocks", TYRC_MAX_PAGE_ORDER, MAP_SIZE,
			       false, runs);
	snprintf(what, sizeof(what), "mmu, on AS: 4 KiB pages (%llu MiB)",
		 (unsigned long long)(FLUSHED_4K_MAP_SIZE >> 20));
	if (!ret)
		ret = bench_vm(ram, &g, what, 0, FLUSHED_4K_MAP_SIZE, true, runs);
	if (!ret)
		ret = bench_vm(ram, &g, "mmu, on AS: 2 MiB blocks", TYRC_MAX_PAGE_ORDER, MAP_SIZE,
			       true, runs);
	gpu_remove(&g);
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
	printf("map + unmap 256 MiB unless the row says otherwise, median of %d runs"
	       " (pages = 4 KiB units; calls = map calls, unmap is one call)\n",
	       runs);
	printf("rows: pgtable = tyrc_pgtable_* against RAM, no GPU (baseline); mmu, no AS ="
	       " tyrc_mmu_vm_* on a VM bound to no AS (no flush); mmu, on AS = tyrc_mmu_vm_*"
	       " on a VM active on an AS (LOCK / cache flush / UNLOCK through the G610 model"
	       " on every call)\n");
	printf("%-36s %8s %14s %14s %10s %10s\n", "path: layout", "calls", "map pages/s",
	       "unmap pages/s", "map ms", "unmap ms");
	ret = bench(ram, "pgtable: 4 KiB pages (scattered)", 0, runs);
	if (!ret)
		ret = bench(ram, "pgtable: 2 MiB blocks", TYRC_MAX_PAGE_ORDER, runs);
	if (!ret)
		ret = bench_mmu_layer(ram, runs);
	tyrc_ram_destroy(ram);
	if (ret) {
		fprintf(stderr, "bench_mmu: %d\n", ret);
		return 1;
	}
	return 0;
}
