// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): how long a HIGH-priority job takes from
 * GROUP_SUBMIT to its fence while N LOW-priority groups keep the GPU busy,
 * for N = 0 (the baseline row), 8 (every CSG slot of a G610), 64 and 128.
 *
 * Two DRM files, each with one VM and one 64 KiB BO mapped at STREAM_VA
 * (streams, then data words): the LOW groups live in one (up to 128 per
 * file), the HIGH group in the other. Each LOW group runs one long job:
 * it stores 1 at its "started" word, then loops RUN_COMPUTE of 40000
 * workgroups (10 ms each by the model's cost model, harness/model/model_cs.h,
 * no CPU) 1000 times. Once min(N, slots) of them run, SAMPLES HIGH jobs of
 * one NOP each are timed one at a time, from just before GROUP_SUBMIT to the
 * return of drmSyncobjWait(); then the LOW groups are checked (none may
 * have finished, timed out or faulted) and destroyed.
 *
 * Needs HIGH priority: run as root, or start the host with
 * TYRC_ALLOW_HIGH_PRIORITY=1 (ci/bench does). Run it under `tyrc run`.
 * Usage: bench_sched [samples]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "bench_util.h"
#include "panthor_drm.h"
#include "tyrc_cs_isa.h"

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define STREAM_VA 0x10000000ull
/* Data words (one "started" flag per LOW group) from here in the BO. */
#define DATA_OFF 0x8000u
#define MAX_LOW 128
#define WAIT_LIMIT_NS (20 * BENCH_NSEC_PER_SEC)
#define START_LIMIT_NS (5 * BENCH_NSEC_PER_SEC)

static const int low_counts[] = { 0, 8, 64, 128 };

struct client {
	int fd;
	uint32_t vm, bo;
	uint64_t *words;
};

static void check(int ret, const char *what)
{
	if (ret) {
		errno = -ret;
		bench_die(what);
	}
}

static void client_open(struct client *c)
{
	struct drm_panthor_vm_create vmc = { 0 };
	struct drm_panthor_bo_create boc = { .size = SZ_64K };
	struct drm_panthor_bo_mmap_offset mmo = { 0 };
	struct drm_panthor_vm_bind_op op = { 0 };
	struct drm_panthor_vm_bind bind = { 0 };
	void *map;

	c->fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		perror("open /dev/dri/card0 (run under `tyrc run`)");
		exit(1);
	}
	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc, "VM_CREATE");
	c->vm = vmc.id;
	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &boc, "BO_CREATE");
	c->bo = boc.handle;
	mmo.handle = c->bo;
	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mmo, "BO_MMAP_OFFSET");
	map = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, mmo.offset);
	if (map == MAP_FAILED)
		bench_die("mmap BO");
	c->words = map;
	op = (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = c->bo,
		.va = STREAM_VA,
		.size = SZ_64K,
	};
	bind = (struct drm_panthor_vm_bind){
		.vm_id = c->vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, "VM_BIND");
}

static void client_close(struct client *c)
{
	struct drm_panthor_vm_destroy vd = { .id = c->vm };

	munmap(c->words, SZ_64K);
	bench_ioctl(c->fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = c->bo },
		    "GEM_CLOSE");
	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd, "VM_DESTROY");
	close(c->fd);
}

static uint32_t group_create(struct client *c, uint8_t priority)
{
	struct drm_panthor_queue_create qc = { .ringbuf_size = SZ_4K };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &qc),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.priority = priority,
		.compute_core_mask = 1,
		.fragment_core_mask = 1,
		.tiler_core_mask = 1,
		.vm_id = c->vm,
	};

	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc, "GROUP_CREATE");
	return gc.group_handle;
}

static void group_destroy(struct client *c, uint32_t group)
{
	struct drm_panthor_group_destroy gd = { .group_handle = group };

	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd, "GROUP_DESTROY");
}

static uint32_t group_state(struct client *c, uint32_t group)
{
	struct drm_panthor_group_get_state st = { .group_handle = group };

	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st, "GROUP_GET_STATE");
	return st.state;
}

static void submit(struct client *c, uint32_t group, uint64_t va, uint32_t size, uint32_t syncobj)
{
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ | DRM_PANTHOR_SYNC_OP_SIGNAL,
		.handle = syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.stream_size = size,
		.stream_addr = va,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(syncobj ? 1 : 0, &sig),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	if (drmIoctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs)) {
		fprintf(stderr, "bench: GROUP_SUBMIT: %s; group state 0x%x\n", strerror(errno),
			group_state(c, group));
		exit(1);
	}
}

/* The LOW groups' stream, one per group (it stores its own started word). */
static uint32_t busy_stream(struct client *c, uint32_t g)
{
	uint64_t *w = c->words + g * 16; /* 128 bytes per stream, 16 KiB for 128 */
	uint64_t started = STREAM_VA + DATA_OFF + 4 * g;
	uint32_t n = 0;

	w[n++] = tyrc_cs_move48(0, started);
	w[n++] = tyrc_cs_move32(2, 1);
	w[n++] = tyrc_cs_store_multiple(2, 0, 1, 0);
	w[n++] = tyrc_cs_wait(1, false);
	w[n++] = tyrc_cs_pack_set_sb_entry(
		&(struct tyrc_cs_set_sb_entry){ .endpoint_entry = 1, .other_entry = 0 });
	w[n++] = tyrc_cs_move32(37, 200);
	w[n++] = tyrc_cs_move32(38, 200);
	w[n++] = tyrc_cs_move32(39, 1);
	w[n++] = tyrc_cs_move32(16, 1000);
	/* 9: RUN_COMPUTE, wait, r16 -= 1, back to 9 while r16 != 0 */
	w[n++] = tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ .task_increment = 1 });
	w[n++] = tyrc_cs_wait(2, false);
	w[n++] = tyrc_cs_add_imm32(16, 16, -1);
	w[n++] = tyrc_cs_branch(TYRC_CS_BRANCH_NEQUAL, 16, -4);
	for (uint32_t i = 0; i < n; i++)
		if (w[i] == TYRC_CS_BAD_WORD) {
			fprintf(stderr, "bench: bad instruction %u\n", i);
			exit(1);
		}
	return n * 8;
}

static bool all_started(struct client *c, int n, int want)
{
	const volatile uint32_t *data = (const uint32_t *)((char *)c->words + DATA_OFF);
	int started = 0;

	for (int g = 0; g < n; g++)
		started += data[g] != 0;
	return started >= want;
}

static uint32_t slot_count(struct client *c)
{
	struct drm_panthor_csif_info csif = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
		.size = sizeof(csif),
		.pointer = (uintptr_t)&csif,
	};

	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, "DEV_QUERY");
	return csif.csg_slot_count;
}

static bool high_allowed(struct client *c)
{
	struct drm_panthor_group_priorities_info info = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	bench_ioctl(c->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, "DEV_QUERY");
	return info.allowed_mask & (1u << PANTHOR_GROUP_PRIORITY_HIGH);
}

/* One row: @n busy LOW groups, @samples HIGH jobs. Return: the stats. */
static struct bench_stat phase(struct client *lo, struct client *hi, uint32_t hi_group,
			       uint32_t hi_syncobj, int n, uint32_t slots, int samples,
			       uint64_t *ns)
{
	uint32_t low[MAX_LOW];
	struct bench_progress p;
	char name[64];
	uint64_t t;

	memset((char *)lo->words + DATA_OFF, 0, 4 * MAX_LOW);
	for (int g = 0; g < n; g++) {
		uint32_t size = busy_stream(lo, g);

		low[g] = group_create(lo, PANTHOR_GROUP_PRIORITY_LOW);
		submit(lo, low[g], STREAM_VA + g * 128, size, 0);
	}
	t = bench_now_ns();
	while (!all_started(lo, n, n < (int)slots ? n : (int)slots)) {
		if (bench_now_ns() - t > START_LIMIT_NS) {
			fprintf(stderr, "bench: the LOW groups did not start\n");
			exit(1);
		}
		usleep(1000);
	}
	snprintf(name, sizeof(name), "HIGH job latency, %d LOW groups", n);
	bench_progress_start(&p, name);
	for (int i = 0; i < samples; i++) {
		check(drmSyncobjReset(hi->fd, &hi_syncobj, 1), "drmSyncobjReset");
		t = bench_now_ns();
		submit(hi, hi_group, STREAM_VA, 8, hi_syncobj);
		check(drmSyncobjWait(hi->fd, &hi_syncobj, 1, bench_now_ns() + WAIT_LIMIT_NS, 0,
				     NULL),
		      "drmSyncobjWait");
		ns[i] = bench_now_ns() - t;
		bench_progress(&p, i + 1, samples);
	}
	for (int g = 0; g < n; g++) {
		uint32_t st = group_state(lo, low[g]);

		if (st) {
			fprintf(stderr, "bench: LOW group %d ended in state 0x%x during the row\n",
				g, st);
			exit(1);
		}
		group_destroy(lo, low[g]);
	}
	if (group_state(hi, hi_group)) {
		fprintf(stderr, "bench: the HIGH group failed\n");
		exit(1);
	}
	return bench_summarize(ns, samples);
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 200;
	uint64_t *ns = calloc(samples > 0 ? samples : 1, sizeof(*ns));
	struct client lo = { 0 }, hi = { 0 };
	struct bench_stat base = { 0 };
	uint32_t hi_group, hi_syncobj, slots;

	if (!ns || samples < 10)
		return 2;
	client_open(&lo);
	client_open(&hi);
	if (!high_allowed(&hi)) {
		fprintf(stderr, "bench: HIGH priority not allowed: run as root or start the host "
				"with TYRC_ALLOW_HIGH_PRIORITY=1\n");
		return 1;
	}
	slots = slot_count(&hi);
	hi.words[0] = tyrc_cs_nop();
	hi_group = group_create(&hi, PANTHOR_GROUP_PRIORITY_HIGH);
	check(drmSyncobjCreate(hi.fd, 0, &hi_syncobj), "drmSyncobjCreate");
	/* The first job brings the HIGH group onto a slot: keep it out of the samples. */
	submit(&hi, hi_group, STREAM_VA, 8, hi_syncobj);
	check(drmSyncobjWait(hi.fd, &hi_syncobj, 1, bench_now_ns() + WAIT_LIMIT_NS, 0, NULL),
	      "drmSyncobjWait");

	printf("bench: HIGH-priority 1-NOP job, GROUP_SUBMIT to the return of drmSyncobjWait(), "
	       "%d samples per row,\n",
	       samples);
	printf("  while N LOW groups each loop 10 ms RUN_COMPUTEs (%u CSG slots); baseline = "
	       "the N = 0 median\n",
	       slots);
	printf("%-44s %10s %10s %10s %8s\n", "what", "median", "p99", "baseline", "x base");
	fflush(stdout);
	for (unsigned int i = 0; i < sizeof(low_counts) / sizeof(low_counts[0]); i++) {
		struct bench_stat s =
			phase(&lo, &hi, hi_group, hi_syncobj, low_counts[i], slots, samples, ns);
		char name[64];

		if (!i)
			base = s;
		snprintf(name, sizeof(name), "HIGH job latency, N = %d LOW busy, us",
			 low_counts[i]);
		printf("%-44s %10.2f %10.2f %10.2f %8.2f\n", name, s.median, s.p99, base.median,
		       s.median / base.median);
		fflush(stdout);
	}
	check(drmSyncobjDestroy(hi.fd, hi_syncobj), "drmSyncobjDestroy");
	group_destroy(&hi, hi_group);
	client_close(&hi);
	client_close(&lo);
	free(ns);
	return 0;
}
