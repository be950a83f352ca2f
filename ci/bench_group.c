// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): what GROUP_SUBMIT and the job fence path cost,
 * through the shim and device host, next to baselines measured in the same
 * run (a cheap ioctl's round trip, a syncobj signal waking a waiter).
 *
 * One VM, one 4 KiB BO mapped at STREAM_VA holding a single NOP (the
 * smallest real job: stream_size 8, the driver wraps it in its ring block
 * and the firmware CALLs it), one group with one 64 KiB-ring queue. Rows:
 *  - submit -> fence: from just before GROUP_SUBMIT (one job, SIGNAL on a
 *    binary syncobj) to the return of drmSyncobjWait() on that syncobj,
 *    for the NOP job and for a stream_size 0 job submitted after the
 *    previous job completed (its fence is that job's, already signalled);
 *  - GROUP_SUBMIT alone: the submit ioctl's own return, NOP job;
 *  - jobs per second: batches of back-to-back NOP jobs, one per ioctl or
 *    BATCH_JOBS per ioctl, only the last one signalling the syncobj, timed
 *    to the return of the wait on it; the median over BATCHES batches.
 * Run it under `tyrc run` (ci/bench does). Usage: bench_group [iterations]
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

#define SZ_4K 0x1000ull
#define SZ_64K 0x10000u
#define STREAM_VA 0x10000000ull
/* Batches of the jobs-per-second rows. */
#define BATCHES 5
/* Jobs per GROUP_SUBMIT in the batched jobs-per-second row. */
#define BATCH_JOBS 32
/* Longest wait for a job: past the driver's job timeout (5 s). */
#define WAIT_LIMIT_NS (20 * BENCH_NSEC_PER_SEC)

struct bench {
	int fd;
	uint32_t vm, bo, group, syncobj;
	uint64_t *words;
};

/* drmSyncobj*() return -errno: report it and exit. */
static void check(int ret, const char *what)
{
	if (ret) {
		errno = -ret;
		bench_die(what);
	}
}

static void setup(struct bench *b)
{
	struct drm_panthor_vm_create vmc = { 0 };
	struct drm_panthor_bo_create boc = { .size = SZ_4K };
	struct drm_panthor_bo_mmap_offset mmo = { 0 };
	struct drm_panthor_vm_bind_op op = { 0 };
	struct drm_panthor_vm_bind bind = { 0 };
	struct drm_panthor_queue_create qc = { .ringbuf_size = SZ_64K };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &qc),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = 1,
		.fragment_core_mask = 1,
		.tiler_core_mask = 1,
	};
	void *map;

	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc, "VM_CREATE");
	b->vm = vmc.id;
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &boc, "BO_CREATE");
	b->bo = boc.handle;
	mmo.handle = b->bo;
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mmo, "BO_MMAP_OFFSET");
	map = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, mmo.offset);
	if (map == MAP_FAILED)
		bench_die("mmap BO");
	b->words = map;
	b->words[0] = tyrc_cs_nop();

	op = (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.bo_handle = b->bo,
		.va = STREAM_VA,
		.size = SZ_4K,
	};
	bind = (struct drm_panthor_vm_bind){
		.vm_id = b->vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, "VM_BIND");

	gc.vm_id = b->vm;
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc, "GROUP_CREATE");
	b->group = gc.group_handle;
	check(drmSyncobjCreate(b->fd, 0, &b->syncobj), "drmSyncobjCreate");
}

static void teardown(struct bench *b)
{
	struct drm_panthor_group_get_state gs = { .group_handle = b->group };
	struct drm_panthor_group_destroy gd = { .group_handle = b->group };
	struct drm_panthor_vm_destroy vd = { .id = b->vm };

	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs, "GROUP_GET_STATE");
	if (gs.state) {
		fprintf(stderr, "bench: group state 0x%x (fatal queues 0x%x) after the run\n",
			gs.state, gs.fatal_queues);
		exit(1);
	}
	check(drmSyncobjDestroy(b->fd, b->syncobj), "drmSyncobjDestroy");
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd, "GROUP_DESTROY");
	munmap(b->words, SZ_4K);
	bench_ioctl(b->fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = b->bo },
		    "GEM_CLOSE");
	bench_ioctl(b->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd, "VM_DESTROY");
}

/*
 * GROUP_SUBMIT failed: print errno and the group state (a group that timed
 * out or faulted takes no more jobs, EINVAL), then exit.
 */
static void submit_failed(struct bench *b, int count)
{
	struct drm_panthor_group_get_state st = { .group_handle = b->group };
	int err = errno;

	if (drmIoctl(b->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st))
		bench_die("GROUP_GET_STATE");
	fprintf(stderr,
		"bench: GROUP_SUBMIT of %d job(s): %s; group state 0x%x%s%s, fatal queues 0x%x\n",
		count, strerror(err), st.state,
		st.state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT ? " TIMEDOUT" : "",
		st.state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT ? " FATAL_FAULT" : "",
		st.fatal_queues);
	exit(1);
}

/*
 * Submit @count jobs in one GROUP_SUBMIT: NOP jobs (@nop) or stream_size 0
 * ones; only the last signals b->syncobj when @signal.
 */
static void submit(struct bench *b, int count, bool nop, bool signal)
{
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ | DRM_PANTHOR_SYNC_OP_SIGNAL,
		.handle = b->syncobj,
	};
	struct drm_panthor_queue_submit qs[BATCH_JOBS] = { 0 };
	struct drm_panthor_group_submit gs = {
		.group_handle = b->group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(count, qs),
	};

	for (int i = 0; i < count; i++) {
		qs[i].stream_size = nop ? sizeof(b->words[0]) : 0;
		qs[i].stream_addr = nop ? STREAM_VA : 0;
	}
	if (signal)
		qs[count - 1].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sig);
	if (drmIoctl(b->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs))
		submit_failed(b, count);
}

/* Waits for b->syncobj; a job stuck past WAIT_LIMIT_NS ends the bench (ETIME). */
static void wait_syncobj(struct bench *b)
{
	int64_t deadline = bench_now_ns() + WAIT_LIMIT_NS;

	check(drmSyncobjWait(b->fd, &b->syncobj, 1, deadline, 0, NULL), "drmSyncobjWait");
}

/* DRM_IOCTL_VERSION without strings: one round trip to the host. */
static struct bench_stat bench_version(struct bench *b, int iters, uint64_t *samples)
{
	for (int i = 0; i < iters; i++) {
		struct drm_version v = { 0 };
		uint64_t t = bench_now_ns();

		bench_ioctl(b->fd, DRM_IOCTL_VERSION, &v, "DRM_IOCTL_VERSION");
		samples[i] = bench_now_ns() - t;
	}
	return bench_summarize(samples, iters);
}

/*
 * @iters rounds of: one job signalling the syncobj, timed to the return of
 * the wait (@fence) and to the return of GROUP_SUBMIT (@ioctl, if not NULL).
 * A stream_size 0 job (!@nop) follows a NOP job that has already completed.
 */
static void bench_latency(struct bench *b, int iters, bool nop, uint64_t *fence, uint64_t *ioctl)
{
	struct bench_progress p;

	bench_progress_start(&p, nop ? "NOP job latency" : "stream_size 0 latency");
	for (int i = 0; i < iters; i++) {
		uint64_t t, t_ret;

		if (!nop) {
			submit(b, 1, true, true);
			wait_syncobj(b);
		}
		t = bench_now_ns();
		submit(b, 1, nop, true);
		t_ret = bench_now_ns();
		wait_syncobj(b);
		fence[i] = bench_now_ns() - t;
		if (ioctl)
			ioctl[i] = t_ret - t;
		bench_progress(&p, i + 1, iters);
	}
}

/*
 * Jobs per second: BATCHES batches of @jobs NOP jobs, @per_ioctl per
 * GROUP_SUBMIT, the last one signalling; returns the median rate.
 */
static double bench_rate(struct bench *b, int jobs, int per_ioctl)
{
	uint64_t ns[BATCHES];
	struct bench_progress p;

	bench_progress_start(&p, per_ioctl > 1 ? "batched jobs/s" : "jobs/s");
	for (int n = 0; n < BATCHES; n++) {
		uint64_t t = bench_now_ns();

		for (int done = 0; done < jobs; done += per_ioctl) {
			int count = jobs - done < per_ioctl ? jobs - done : per_ioctl;

			submit(b, count, true, done + count == jobs);
			bench_progress(&p, n * jobs + done + count, BATCHES * jobs);
		}
		wait_syncobj(b);
		ns[n] = bench_now_ns() - t;
	}
	qsort(ns, BATCHES, sizeof(ns[0]), bench_cmp_u64);
	return jobs * 1e9 / ns[BATCHES / 2];
}

static void row_us(const char *name, struct bench_stat s, double base)
{
	printf("%-44s %10.2f %10.2f %10.2f %8.2f\n", name, s.median, s.p99, base, s.median / base);
	fflush(stdout);
}

static void row_rate(const char *name, double rate, double base)
{
	printf("%-44s %10.0f %10s %10.0f %8.2f\n", name, rate, "-", base, rate / base);
	fflush(stdout);
}

static void print_header(int iters, int wake_iters)
{
	printf("bench: %d iterations per latency row (syncobj wake: %d), jobs/s: median of %d batches of %d jobs\n",
	       iters, wake_iters, BATCHES, iters);
	printf("  baselines, measured in this run: DRM_IOCTL_VERSION (no strings) round trip;\n");
	printf("    SYNCOBJ_SIGNAL call to the return of SYNCOBJ_WAIT blocked in another thread\n");
	printf("  submit -> fence rows: GROUP_SUBMIT (one job, SIGNAL a binary syncobj) to the\n");
	printf("    return of drmSyncobjWait() on it; baseline = ioctl round trip + signal->wake\n");
	printf("  jobs/s rows: NOP jobs back to back, only the last signals; baseline = ioctls/s\n");
	printf("    (1 / the DRM_IOCTL_VERSION median)\n");
	printf("%-44s %10s %10s %10s %8s\n", "what", "median", "p99", "baseline", "x base");
	fflush(stdout);
}

/* Rows are printed as they are measured, so a run cut short keeps its numbers. */
int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 2000;
	int wake_iters = iters / 2 < 10 ? 10 : iters / 2;
	uint64_t *a = calloc(iters, sizeof(*a)), *c = calloc(iters, sizeof(*c));
	struct bench_stat version, wake, nop, nop_ioctl, empty;
	double ioctl_rate, fence_base;
	struct bench b = { 0 };
	char name[64];

	if (!a || !c || iters < 10)
		return 2;
	b.fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (b.fd < 0) {
		perror("open /dev/dri/card0 (run under `tyrc run`)");
		return 1;
	}
	setup(&b);
	print_header(iters, wake_iters);

	version = bench_version(&b, iters, a);
	row_us("baseline: DRM_IOCTL_VERSION round trip, us", version, version.median);
	wake = bench_syncobj_wake(b.fd, wake_iters, a);
	row_us("baseline: syncobj signal -> wake, us", wake, wake.median);
	ioctl_rate = 1e6 / version.median;
	fence_base = version.median + wake.median;

	/* The first job brings the group onto a CSG slot: keep it out of the samples. */
	submit(&b, 1, true, true);
	wait_syncobj(&b);
	bench_latency(&b, iters, true, a, c);
	nop = bench_summarize(a, iters);
	nop_ioctl = bench_summarize(c, iters);
	row_us("submit -> fence, 1-NOP job, us", nop, fence_base);
	bench_latency(&b, iters, false, a, NULL);
	empty = bench_summarize(a, iters);
	row_us("submit -> fence, stream_size 0, us", empty, fence_base);
	row_us("GROUP_SUBMIT return, 1-NOP job, us", nop_ioctl, version.median);
	row_rate("jobs/s, 1 NOP job per GROUP_SUBMIT", bench_rate(&b, iters, 1), ioctl_rate);
	snprintf(name, sizeof(name), "jobs/s, %d NOP jobs per GROUP_SUBMIT", BATCH_JOBS);
	row_rate(name, bench_rate(&b, iters, BATCH_JOBS), ioctl_rate);

	teardown(&b);
	close(b.fd);
	free(a);
	free(c);
	return 0;
}
