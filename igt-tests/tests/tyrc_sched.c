// SPDX-License-Identifier: MIT
/*
 * The first scheduler through the driver's own API (driver + model linked
 * in, no host or shim), where the test can see what a client cannot: more
 * groups than CSG slots and more VMs than address spaces all complete;
 * slots are released by idle groups only when someone waits; a job that
 * never finishes times its group out after the configured timeout
 * (-ETIMEDOUT fence, TIMEDOUT state) while another group completes;
 * GROUP_DESTROY of a group blocked on the GPU cancels its fences and frees
 * its slot; a GPU reset replays the resident groups' unfinished jobs and
 * the device runs new work afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"
#include "tyrc_cs_isa.h"
#include "tyrc_device.h"
#include "tyrc_drv.h"
#include "tyrc_fw.h"
#include "tyrc_sched.h"
#include "tyrc_syncobj.h"
#include "tyrc_testdev.h"

IGT_TEST_DESCRIPTION("Scheduler behaviour seen from inside: slots, address spaces, timeouts, "
		     "destroy and reset.");

/* The job timeout of this test's device: short, so timeouts are quick to hit. */
#define TEST_JOB_TIMEOUT_MS 1000u
/* Bounded waits for work that must complete. */
#define TEST_WAIT_NS (5ull * 1000 * 1000 * 1000)

#define BO_VA 0x200000ull
#define BO_SIZE 0x10000ull
/* Layout of the BO: streams at 0, 0x1000, ...; results from 0x8000; the gate word at 0xf000. */
#define STREAM_STRIDE 0x400u
#define RESULT_OFF 0x8000u
#define GATE_OFF 0xf000u

struct client {
	struct tyrc_file *file;
	u32 vm;
	u32 bo;
	u8 *cpu;
	struct tyrc_vm_area vma;
};

/* The runtime-PM delay of this test's device. */
#define TEST_AUTOSUSPEND_MS 20u

static void short_timeout(struct tyrc_device_config *dcfg)
{
	dcfg->job_timeout_ms = TEST_JOB_TIMEOUT_MS;
	dcfg->autosuspend_ms = TEST_AUTOSUSPEND_MS;
	/* A fast watchdog, so a firmware that stops answering is reset quickly. */
	dcfg->fw_ping_interval_ms = 20;
}

/* Wait (bounded) until the GPU has runtime-suspended more than @cycles times. */
static bool wait_pm_cycles_above(struct tyrc_device *dev, u32 cycles)
{
	for (int i = 0; i < 2000; i++) {
		if (tyrc_sched_pm_cycles(dev) > cycles && tyrc_sched_pm_suspended(dev))
			return true;
		usleep(1000);
	}
	return false;
}

static void file_ioctl(struct tyrc_file *file, unsigned int cmd, void *arg)
{
	igt_assert_eq(tyrc_testdev_file_ioctl(file, cmd, arg), 0);
}

/* A VM with one BO bound at BO_VA and mapped for the CPU. */
static void client_init(struct tyrc_testdev *g, struct tyrc_file *file, struct client *c)
{
	struct drm_panthor_vm_create vmc = {};
	struct drm_panthor_bo_create bo = { .size = BO_SIZE };
	struct drm_panthor_bo_mmap_offset off = {};
	struct drm_panthor_vm_bind_op op = {};
	struct drm_panthor_vm_bind bind = {};

	c->file = file;
	file_ioctl(file, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc);
	file_ioctl(file, DRM_IOCTL_PANTHOR_BO_CREATE, &bo);
	op = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
					      .bo_handle = bo.handle,
					      .va = BO_VA,
					      .size = BO_SIZE };
	bind = (struct drm_panthor_vm_bind){ .vm_id = vmc.id,
					     .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	file_ioctl(file, DRM_IOCTL_PANTHOR_VM_BIND, &bind);
	off.handle = bo.handle;
	file_ioctl(file, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &off);
	c->vm = vmc.id;
	c->bo = bo.handle;
	c->cpu = tyrc_testdev_cpu_map(g, file, off.offset, BO_SIZE, &c->vma);
}

static void client_fini(struct client *c)
{
	struct drm_panthor_vm_destroy d = { .id = c->vm };
	struct drm_gem_close close = { .handle = c->bo };

	munmap(c->cpu, BO_SIZE);
	tyrc_drm_vma_close(&c->vma);
	file_ioctl(c->file, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
	file_ioctl(c->file, DRM_IOCTL_GEM_CLOSE, &close);
}

static u32 group_create(struct client *c, u8 priority)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = 0x1000 };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &q),
		.priority = priority,
		.compute_core_mask = 1,
		.fragment_core_mask = 1,
		.tiler_core_mask = 1,
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.vm_id = c->vm,
	};

	file_ioctl(c->file, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
	return gc.group_handle;
}

static void group_destroy(struct client *c, u32 group)
{
	struct drm_panthor_group_destroy d = { .group_handle = group };

	file_ioctl(c->file, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
}

static u32 group_state(struct client *c, u32 group)
{
	struct drm_panthor_group_get_state st = { .group_handle = group };

	file_ioctl(c->file, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st);
	return st.state;
}

/* Write stream @idx: store @value at RESULT_OFF + 4 * @idx, optionally after waiting on the gate. */
static u32 write_stream(struct client *c, u32 idx, u32 value, bool gated)
{
	u64 *s = (u64 *)(c->cpu + idx * STREAM_STRIDE);
	u32 n = 0;

	if (gated) {
		/* Wait until the gate word is greater than 0. */
		s[n++] = tyrc_cs_move48(10, BO_VA + GATE_OFF);
		s[n++] = tyrc_cs_move32(12, 0);
		s[n++] = tyrc_cs_sync_wait32(TYRC_CS_SYNC_WAIT_GT, false, 10, 12);
	}
	s[n++] = tyrc_cs_move48(2, BO_VA + RESULT_OFF + 4ull * idx);
	s[n++] = tyrc_cs_move32(4, value);
	s[n++] = tyrc_cs_store_multiple(4, 2, 1, 0);
	s[n++] = tyrc_cs_wait(1, false);
	return n * 8;
}

static u32 syncobj_create(struct tyrc_file *file)
{
	struct drm_syncobj_create c = {};

	file_ioctl(file, DRM_IOCTL_SYNCOBJ_CREATE, &c);
	return c.handle;
}

static void submit(struct client *c, u32 group, u32 idx, u32 size, u32 syncobj)
{
	struct drm_panthor_sync_op sig = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = syncobj };
	struct drm_panthor_queue_submit qs = {
		.stream_addr = BO_VA + idx * STREAM_STRIDE,
		.stream_size = size,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sig),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	file_ioctl(c->file, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
}

static int syncobj_wait(struct tyrc_file *file, u32 handle, u64 timeout_ns)
{
	struct timespec ts;
	struct drm_syncobj_wait w = { .handles = (uintptr_t)&handle, .count_handles = 1 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	w.timeout_nsec = (s64)(ts.tv_sec * 1000000000ll + ts.tv_nsec + (s64)timeout_ns);
	return tyrc_testdev_file_ioctl(file, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

/* The status of the syncobj's fence: 1 signalled OK, 0 pending, < 0 its error. */
static int syncobj_status(struct tyrc_file *file, u32 handle)
{
	struct tyrc_syncobj *so = tyrc_syncobj_find(file, handle);
	struct tyrc_dma_fence *fence;
	int status;

	igt_assert(so);
	fence = tyrc_syncobj_fence_get(so);
	igt_assert(fence);
	status = tyrc_dma_fence_get_status(fence);
	tyrc_dma_fence_put(fence);
	tyrc_syncobj_put(so);
	return status;
}

static u32 result(struct client *c, u32 idx)
{
	return __atomic_load_n((u32 *)(c->cpu + RESULT_OFF + 4 * idx), __ATOMIC_ACQUIRE);
}

/* Run one ungated job per group on @n groups of @clients (round robin) and check them all. */
static void run_many(struct tyrc_testdev *g, struct client *clients, u32 nclients, u32 n)
{
	u32 groups[64], syncs[64];

	igt_assert(n <= 64 && n * STREAM_STRIDE <= RESULT_OFF);
	for (u32 i = 0; i < n; i++) {
		struct client *c = &clients[i % nclients];
		u32 size = write_stream(c, i, 0x5c000000u | i, false);

		groups[i] = group_create(c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		syncs[i] = syncobj_create(c->file);
		submit(c, groups[i], i, size, syncs[i]);
	}
	for (u32 i = 0; i < n; i++) {
		struct client *c = &clients[i % nclients];

		igt_assert_eq(syncobj_wait(c->file, syncs[i], TEST_WAIT_NS), 0);
		igt_assert_eq(syncobj_status(c->file, syncs[i]), 1);
		igt_assert_eq_u32(result(c, i), 0x5c000000u | i);
		igt_assert_eq_u32(group_state(c, groups[i]), 0);
	}
	for (u32 i = 0; i < n; i++)
		group_destroy(&clients[i % nclients], groups[i]);
	(void)g;
}

igt_main
{
	const struct tyrc_testdev_opts opts = {
		.open_file = true,
		.comm = "tyrc_sched",
		.self_uaccess = true,
		.device_config = short_timeout,
	};
	struct tyrc_testdev g;
	struct tyrc_fw_info fi;

	igt_fixture {
		tyrc_testdev_init(&g, &opts);
		tyrc_fw_get_info(g.dev, &fi);
		igt_require(fi.group_num >= 3);
	}

	igt_describe("Three times as many groups as CSG slots, one VM: every job completes, "
		     "idle groups hand their slots over.");
	igt_subtest("more-groups-than-slots") {
		struct client c;

		client_init(&g, g.file, &c);
		run_many(&g, &c, 1, tyrc_min(3 * fi.group_num, 48u));
		client_fini(&c);
	}

	igt_describe("More VMs than address spaces (each group its own VM): every job completes.");
	igt_subtest("more-vms-than-address-spaces") {
		struct client c[12];

		for (int i = 0; i < 12; i++)
			client_init(&g, g.file, &c[i]);
		run_many(&g, c, 12, 24);
		for (int i = 0; i < 12; i++)
			client_fini(&c[i]);
	}

	igt_describe("A job that never finishes times its group out after the configured "
		     "timeout (-ETIMEDOUT fence, TIMEDOUT state, later submits EINVAL) while "
		     "another group completes meanwhile.");
	igt_subtest("job-timeout") {
		struct client c;
		u32 hung, ok, s_hung, s_ok, size;
		struct timespec t0, t1;
		struct drm_panthor_queue_submit qs = {};
		struct drm_panthor_group_submit gs = {};
		u64 ms;

		client_init(&g, g.file, &c);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 0, __ATOMIC_RELEASE);
		hung = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		ok = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		s_hung = syncobj_create(g.file);
		s_ok = syncobj_create(g.file);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		tyrc_testdev_log_begin(&g, TYRC_LOG_WARN);
		submit(&c, hung, 0, write_stream(&c, 0, 1, true), s_hung);
		size = write_stream(&c, 1, 2, false);
		submit(&c, ok, 1, size, s_ok);
		igt_assert_eq(syncobj_wait(g.file, s_ok, TEST_WAIT_NS), 0);
		igt_assert_eq(syncobj_status(g.file, s_ok), 1);
		igt_assert_eq_u32(result(&c, 1), 2);
		igt_assert_eq(syncobj_wait(g.file, s_hung, TEST_WAIT_NS), 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		free(tyrc_testdev_log_end(&g));
		ms = (u64)(((s64)t1.tv_sec - t0.tv_sec) * 1000000000ll +
			   (t1.tv_nsec - t0.tv_nsec)) /
		     1000000;
		igt_assert_lte(TEST_JOB_TIMEOUT_MS, ms + 1);
		igt_assert_eq(syncobj_status(g.file, s_hung), -ETIMEDOUT);
		igt_assert_eq_u32(result(&c, 0), 0);
		igt_assert_eq_u32(group_state(&c, hung), DRM_PANTHOR_GROUP_STATE_TIMEDOUT);
		igt_assert_eq_u32(group_state(&c, ok), 0);
		qs = (struct drm_panthor_queue_submit){ .stream_addr = BO_VA + STREAM_STRIDE,
							.stream_size = size };
		gs = (struct drm_panthor_group_submit){ .group_handle = hung,
							.queue_submits =
								DRM_PANTHOR_OBJ_ARRAY(1, &qs) };
		igt_assert_eq(tyrc_testdev_file_ioctl(g.file, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs),
			      -EINVAL);
		group_destroy(&c, hung);
		group_destroy(&c, ok);
		client_fini(&c);
	}

	igt_describe("GROUP_DESTROY of groups blocked on the GPU, one per slot: their fences "
		     "signal -ECANCELED at once and the slots serve new groups.");
	igt_subtest("destroy-blocked-groups") {
		struct client c;
		u32 groups[16], syncs[16], n = tyrc_min(fi.group_num, 16u);

		client_init(&g, g.file, &c);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 0, __ATOMIC_RELEASE);
		for (u32 i = 0; i < n; i++) {
			groups[i] = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
			syncs[i] = syncobj_create(g.file);
			submit(&c, groups[i], i, write_stream(&c, i, 1, true), syncs[i]);
		}
		igt_assert_eq(syncobj_wait(g.file, syncs[n - 1], 20ull * 1000 * 1000), -ETIME);
		for (u32 i = 0; i < n; i++) {
			igt_assert_eq(syncobj_status(g.file, syncs[i]), 0);
			group_destroy(&c, groups[i]);
			igt_assert_eq(syncobj_status(g.file, syncs[i]), -ECANCELED);
		}
		run_many(&g, &c, 1, n);
		client_fini(&c);
	}

	igt_describe("A GPU reset while a group is resident and blocked: its unfinished job "
		     "runs again after the reset, the group stays healthy, and the job "
		     "completes once released.");
	igt_subtest("reset-replays-resident-groups") {
		struct client c;
		u32 group, so;
		u32 resets = __atomic_load_n(&g.dev->reset.count, __ATOMIC_ACQUIRE);

		client_init(&g, g.file, &c);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 0, __ATOMIC_RELEASE);
		group = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		so = syncobj_create(g.file);
		submit(&c, group, 0, write_stream(&c, 0, 0x7e5e7u, true), so);
		igt_assert_eq(syncobj_wait(g.file, so, 20ull * 1000 * 1000), -ETIME);
		tyrc_testdev_log_begin(&g, TYRC_LOG_WARN);
		tyrc_device_schedule_reset(g.dev);
		/* The reset work was queued before: it has finished after one flush. */
		tyrc_flush_workqueue(g.dev->reset.wq);
		free(tyrc_testdev_log_end(&g));
		igt_assert_eq_u32(__atomic_load_n(&g.dev->reset.count, __ATOMIC_ACQUIRE),
				  resets + 1);
		igt_assert_eq(syncobj_status(g.file, so), 0);
		igt_assert_eq_u32(group_state(&c, group), 0);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 1, __ATOMIC_RELEASE);
		igt_assert_eq(syncobj_wait(g.file, so, TEST_WAIT_NS), 0);
		igt_assert_eq(syncobj_status(g.file, so), 1);
		igt_assert_eq_u32(result(&c, 0), 0x7e5e7u);
		group_destroy(&c, group);
		run_many(&g, &c, 1, 4);
		client_fini(&c);
	}

	igt_describe("With the profiling mask set, a job's timestamp and cycle samples go to its "
		     "file's fdinfo counters: a RUN_COMPUTE of 1 ms by the cost model counts at "
		     "least 1 ms; with the mask clear nothing is added.");
	igt_subtest("profiling-accounts-gpu-time") {
		struct client c;
		u64 *st;
		u32 group, so, n = 0;
		u64 ns0, cy0;

		client_init(&g, g.file, &c);
		st = (u64 *)(c.cpu + 2 * STREAM_STRIDE);
		/* 1000 x 2 x 2 workgroups at 1 us each over 4 cores: 1 ms. */
		st[n++] = tyrc_cs_move32(37, 1000);
		st[n++] = tyrc_cs_move32(38, 2);
		st[n++] = tyrc_cs_move32(39, 2);
		st[n++] = tyrc_cs_pack_run_compute(&(struct tyrc_cs_run_compute){ 0 });
		st[n++] = tyrc_cs_wait(0xff, false);
		group = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		so = syncobj_create(g.file);

		ns0 = __atomic_load_n(&g.file->stats.engine_ns, __ATOMIC_ACQUIRE);
		cy0 = __atomic_load_n(&g.file->stats.cycles, __ATOMIC_ACQUIRE);
		submit(&c, group, 2, n * 8, so);
		igt_assert_eq(syncobj_wait(g.file, so, TEST_WAIT_NS), 0);
		igt_assert_eq_u64(__atomic_load_n(&g.file->stats.engine_ns, __ATOMIC_ACQUIRE), ns0);
		igt_assert_eq_u64(__atomic_load_n(&g.file->stats.cycles, __ATOMIC_ACQUIRE), cy0);

		__atomic_store_n(&g.dev->profiling, 3u, __ATOMIC_RELEASE);
		submit(&c, group, 2, n * 8, so);
		igt_assert_eq(syncobj_wait(g.file, so, TEST_WAIT_NS), 0);
		__atomic_store_n(&g.dev->profiling, 0u, __ATOMIC_RELEASE);
		igt_assert_eq(syncobj_status(g.file, so), 1);
		igt_assert_lte(1000000ull,
			       __atomic_load_n(&g.file->stats.engine_ns, __ATOMIC_ACQUIRE) - ns0);
		igt_assert_lt(cy0, __atomic_load_n(&g.file->stats.cycles, __ATOMIC_ACQUIRE));
		group_destroy(&c, group);
		client_fini(&c);
	}

	igt_describe("Runtime PM: the GPU suspends after the autosuspend delay with nothing to "
		     "run, the next submit powers it up again and runs; five cycles in a row.");
	igt_subtest("runtime-pm-cycles") {
		struct client c;
		u32 group, so;

		client_init(&g, g.file, &c);
		group = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		so = syncobj_create(g.file);
		for (u32 i = 0; i < 5; i++) {
			u32 cycles = tyrc_sched_pm_cycles(g.dev);

			submit(&c, group, i, write_stream(&c, i, 0x9a000000u | i, false), so);
			igt_assert_eq(syncobj_wait(g.file, so, TEST_WAIT_NS), 0);
			igt_assert_eq(syncobj_status(g.file, so), 1);
			igt_assert_eq_u32(result(&c, i), 0x9a000000u | i);
			igt_assert_f(wait_pm_cycles_above(g.dev, cycles),
				     "no runtime suspend %u ms after the last job\n",
				     TEST_AUTOSUSPEND_MS);
		}
		igt_assert_eq_u32(group_state(&c, group), 0);
		group_destroy(&c, group);
		client_fini(&c);
	}

	igt_describe("System suspend with a group blocked mid-stream and another with queued "
		     "work: after resume both complete with the right results.");
	igt_subtest("suspend-resume-under-load") {
		struct client c;
		u32 g1, g2, s1, s2;

		client_init(&g, g.file, &c);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 0, __ATOMIC_RELEASE);
		g1 = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		g2 = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		s1 = syncobj_create(g.file);
		s2 = syncobj_create(g.file);
		submit(&c, g1, 0, write_stream(&c, 0, 0x51u, true), s1);
		igt_assert_eq(syncobj_wait(g.file, s1, 20ull * 1000 * 1000), -ETIME);
		igt_assert_eq(tyrc_device_suspend(g.dev), 0);
		submit(&c, g2, 1, write_stream(&c, 1, 0x52u, false), s2);
		igt_assert_eq(syncobj_wait(g.file, s2, 20ull * 1000 * 1000), -ETIME);
		igt_assert_eq(tyrc_device_resume(g.dev), 0);
		igt_assert_eq(syncobj_wait(g.file, s2, TEST_WAIT_NS), 0);
		igt_assert_eq_u32(result(&c, 1), 0x52u);
		igt_assert_eq(syncobj_status(g.file, s1), 0);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 1, __ATOMIC_RELEASE);
		igt_assert_eq(syncobj_wait(g.file, s1, TEST_WAIT_NS), 0);
		igt_assert_eq(syncobj_status(g.file, s1), 1);
		igt_assert_eq_u32(result(&c, 0), 0x51u);
		group_destroy(&c, g1);
		group_destroy(&c, g2);
		client_fini(&c);
	}

	igt_describe("The firmware stops answering while a group is blocked and another has "
		     "just submitted: the PING watchdog resets the GPU, both groups stay healthy, "
		     "their jobs run again and complete.");
	igt_subtest("watchdog-reset-innocent-groups-survive") {
		struct client c;
		u32 g1, g2, s1, s2;
		u32 resets = __atomic_load_n(&g.dev->reset.count, __ATOMIC_ACQUIRE);

		client_init(&g, g.file, &c);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 0, __ATOMIC_RELEASE);
		g1 = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		g2 = group_create(&c, PANTHOR_GROUP_PRIORITY_MEDIUM);
		s1 = syncobj_create(g.file);
		s2 = syncobj_create(g.file);
		submit(&c, g1, 0, write_stream(&c, 0, 0x61u, true), s1);
		igt_assert_eq(syncobj_wait(g.file, s1, 20ull * 1000 * 1000), -ETIME);
		tyrc_testdev_log_begin(&g, TYRC_LOG_WARN);
		tyrc_model_mcu_set_unresponsive(g.model, true);
		submit(&c, g2, 1, write_stream(&c, 1, 0x62u, false), s2);
		/* The reset (which also ends the model's hang) lets g2's job run. */
		igt_assert_eq(syncobj_wait(g.file, s2, TEST_WAIT_NS), 0);
		free(tyrc_testdev_log_end(&g));
		igt_assert_lt_u32(resets, __atomic_load_n(&g.dev->reset.count, __ATOMIC_ACQUIRE));
		igt_assert_eq(syncobj_status(g.file, s2), 1);
		igt_assert_eq_u32(result(&c, 1), 0x62u);
		igt_assert_eq(syncobj_status(g.file, s1), 0);
		__atomic_store_n((u32 *)(c.cpu + GATE_OFF), 1, __ATOMIC_RELEASE);
		igt_assert_eq(syncobj_wait(g.file, s1, TEST_WAIT_NS), 0);
		igt_assert_eq(syncobj_status(g.file, s1), 1);
		igt_assert_eq_u32(result(&c, 0), 0x61u);
		igt_assert_eq_u32(group_state(&c, g1), 0);
		igt_assert_eq_u32(group_state(&c, g2), 0);
		group_destroy(&c, g1);
		group_destroy(&c, g2);
		client_fini(&c);
	}

	igt_fixture {
		tyrc_testdev_fini(&g);
	}
}
