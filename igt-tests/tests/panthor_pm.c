// SPDX-License-Identifier: MIT
/*
 * Runtime power management as a client sees it (driver/tyrc_sched.h,
 * "Runtime PM"): with nothing to run for the autosuspend delay the GPU
 * powers down; the next work powers it up again and completes.
 *
 * How suspension is observed: the shim serves no `power/runtime_status`
 * sysfs attribute for the GPU device, so the tests read it indirectly
 * from the GPU cycle counter (DEV_QUERY TIMESTAMP_INFO with
 * DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT). The GPU clock is gated with the
 * L2 power domain (mali-g610-hw.md; harness/model/model_gpu.c "Time"), so
 * the counter advances while the GPU is powered and stands still while it
 * is runtime-suspended. This relies on the query reading the register
 * without powering the GPU up first, as tyrc's driver does today (panthor
 * resumes the device for this query).
 *
 * The delay comes from the host's configuration: $TYRC_AUTOSUSPEND_MS
 * (default 50), which `tyrc run` passes to the host it starts; 0 means the
 * GPU never suspends and every subtest skips.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Runtime PM: idle suspend after the autosuspend delay, resume on submit.");

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define SEC_NS 1000000000ll
#define MS_NS 1000000ll
#define CS_VA 0x1000000ull
#define DATA_VA 0x2000000ull
#define WAIT_NS (5 * SEC_NS)
#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP

/* One cycle-counter observation spans this much time. */
#define PROBE_NS (2 * MS_NS)
/* The GPU must be suspended within autosuspend + this (a loaded 2-core machine). */
#define SUSPEND_SLACK_MS 500
/* ... and not before autosuspend minus this (clock and IPC granularity). */
#define EARLY_SLACK_MS 5
#define CYCLES 10

enum { R_ADDR = 0, R_VAL = 2, R_KEEP = 40 };
#define SB_LS 0x1
#define STORE32(off, v)                                                                      \
	cs_mov48(R_ADDR, DATA_VA + (off)), cs_mov32(R_VAL, (v)), cs_stm32(R_ADDR, R_VAL, 0), \
		cs_wait(SB_LS, false)

struct env {
	uint32_t vm, group;
	struct panthor_bo cs, data;
	uint32_t cs_used;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC_NS + ts.tv_nsec;
}

static void env_init(int fd, struct env *e)
{
	*e = (struct env){};
	igt_panthor_vm_create(fd, &e->vm, 0);
	igt_panthor_bo_create_mapped(fd, &e->cs, SZ_64K, 0, 0);
	igt_panthor_vm_bind(fd, e->vm, e->cs.handle, CS_VA, e->cs.size, MAP, 0);
	igt_panthor_bo_create_mapped(fd, &e->data, SZ_64K, 0, 0);
	igt_panthor_vm_bind(fd, e->vm, e->data.handle, DATA_VA, e->data.size, MAP, 0);
	e->group = igt_panthor_group_create_simple(fd, e->vm, 0);
}

static void env_fini(int fd, struct env *e)
{
	igt_panthor_group_destroy(fd, e->group, 0);
	igt_panthor_vm_destroy(fd, e->vm, 0);
	igt_panthor_free_bo(fd, &e->cs);
	igt_panthor_free_bo(fd, &e->data);
}

static uint64_t put_stream(struct env *e, const uint64_t *instrs, size_t count, uint32_t *size)
{
	uint32_t off = ALIGN(e->cs_used, 64);

	igt_assert(off + count * 8 <= e->cs.size);
	memcpy((char *)e->cs.map + off, instrs, count * 8);
	e->cs_used = off + count * 8;
	*size = (uint32_t)(count * 8);
	return CS_VA + off;
}

static uint32_t read32(struct env *e, uint32_t off)
{
	return __atomic_load_n((uint32_t *)((char *)e->data.map + off), __ATOMIC_ACQUIRE);
}

/* Submit a job storing @v at @off on @group; it signals @syncobj. */
static void submit_store(int fd, struct env *e, uint32_t group, uint32_t off, uint32_t v,
			 uint32_t syncobj)
{
	const uint64_t instrs[] = { STORE32(off, v) };
	uint32_t size;
	uint64_t va = put_stream(e, instrs, ARRAY_SIZE(instrs), &size);

	igt_panthor_group_submit_simple(fd, group, 0, va, size, syncobj, 0);
}

static void wait_signalled(int fd, uint32_t handle)
{
	igt_assert_f(syncobj_wait(fd, &handle, 1, now_ns() + WAIT_NS, 0, NULL),
		     "syncobj %u not signalled within %lld ms\n", handle, WAIT_NS / MS_NS);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, handle), 1);
}

/* The GPU clock runs over PROBE_NS: powered. */
static bool gpu_powered(int fd)
{
	uint64_t c0 = igt_panthor_gpu_cycle_count(fd);
	int64_t t = now_ns();

	while (now_ns() - t < PROBE_NS)
		usleep(200);
	return igt_panthor_gpu_cycle_count(fd) != c0;
}

/*
 * Wait (bounded by @autosuspend_ms + SUSPEND_SLACK_MS from @idle_since)
 * until the GPU is seen suspended. Return: when, in ns since @idle_since.
 */
static int64_t wait_suspended(int fd, uint32_t autosuspend_ms, int64_t idle_since)
{
	int64_t deadline = idle_since + (autosuspend_ms + SUSPEND_SLACK_MS) * MS_NS;

	while (now_ns() < deadline)
		if (!gpu_powered(fd))
			return now_ns() - idle_since;
	igt_assert_f(false, "the GPU still runs %u ms after the last job completed\n",
		     autosuspend_ms + SUSPEND_SLACK_MS);
	return 0;
}

static uint32_t require_autosuspend(void)
{
	uint32_t ms = igt_panthor_host_autosuspend_ms();

	igt_require_f(ms, "the host was started with TYRC_AUTOSUSPEND_MS=0 (never suspends)\n");
	return ms;
}

/* Run one job; then the GPU stays up for the delay and suspends after it. */
static void test_idle_suspend(int fd)
{
	uint32_t ms = require_autosuspend(), s = syncobj_create(fd, 0);
	int64_t idle, at;
	struct env e;

	env_init(fd, &e);
	submit_store(fd, &e, e.group, 0, 1, s);
	wait_signalled(fd, s);
	idle = now_ns();
	igt_assert_eq_u32(read32(&e, 0), 1);
	if (ms > 4 * PROBE_NS / MS_NS)
		igt_assert_f(gpu_powered(fd), "the GPU is already off right after a job\n");
	at = wait_suspended(fd, ms, idle);
	igt_info("autosuspend %u ms: the GPU clock stopped %.1f ms after the last job\n", ms,
		 at / 1e6);
	igt_assert_f(at >= (ms - min_t(uint32_t, ms, EARLY_SLACK_MS)) * MS_NS,
		     "suspended after %.1f ms, before the %u ms delay\n", at / 1e6, ms);
	/* And it stays off with nothing to do. */
	igt_assert(!gpu_powered(fd));
	syncobj_destroy(fd, s);
	env_fini(fd, &e);
}

/* Suspend, then submit: the job runs (the GPU powers up) and the clock runs again. */
static void test_resume_on_submit(int fd, uint32_t cycles)
{
	uint32_t ms = require_autosuspend(), s = syncobj_create(fd, 0);
	double worst = 0, sum = 0;
	struct env e;

	env_init(fd, &e);
	submit_store(fd, &e, e.group, 0, 1, s);
	wait_signalled(fd, s);
	for (uint32_t i = 0; i < cycles; i++) {
		int64_t t;

		wait_suspended(fd, ms, now_ns());
		syncobj_reset(fd, &s, 1);
		t = now_ns();
		submit_store(fd, &e, e.group, 4, 0x100 + i, s);
		wait_signalled(fd, s);
		t = now_ns() - t;
		worst = max_t(double, worst, t / 1e6);
		sum += t / 1e6;
		igt_assert_eq_u32(read32(&e, 4), 0x100 + i);
		igt_assert_f(gpu_powered(fd), "cycle %u: the GPU is off right after a job\n", i);
		e.cs_used = 0;
	}
	igt_info("%u suspend/resume cycles: submit -> fence on a suspended GPU mean %.2f ms, "
		 "worst %.2f ms\n",
		 cycles, sum / cycles, worst);
	syncobj_destroy(fd, s);
	env_fini(fd, &e);
}

/*
 * Work submitted while suspended: jobs on two groups at once, one of them
 * reading a register the previous job of its queue set before the GPU
 * suspended (registers persist across jobs; the group was SUSPENDed with
 * the GPU and must RESUME where it stopped), then a job on another queue
 * after another suspend.
 */
static void test_submit_while_suspended(int fd)
{
	uint32_t ms = require_autosuspend();
	uint32_t s[4], g2, size;
	struct env e;

	for (int i = 0; i < 4; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e);
	g2 = igt_panthor_group_create_queues(fd, e.vm, 2, SZ_4K, 0);
	{
		const uint64_t set[] = { cs_mov32(R_KEEP, 0xcafe), STORE32(0, 1) };
		uint64_t va = put_stream(&e, set, ARRAY_SIZE(set), &size);

		igt_panthor_group_submit_simple(fd, e.group, 0, va, size, s[0], 0);
	}
	wait_signalled(fd, s[0]);
	wait_suspended(fd, ms, now_ns());

	/* Reads r40, set by the previous job of the queue before the suspend. */
	{
		const uint64_t instrs[] = { cs_mov48(R_ADDR, DATA_VA + 12),
					    cs_stm32(R_ADDR, R_KEEP, 0), cs_wait(SB_LS, false) };
		uint64_t va = put_stream(&e, instrs, ARRAY_SIZE(instrs), &size);

		igt_panthor_group_submit_simple(fd, e.group, 0, va, size, s[1], 0);
	}
	submit_store(fd, &e, g2, 16, 0x2222, s[2]);
	wait_signalled(fd, s[1]);
	wait_signalled(fd, s[2]);
	igt_assert_f(read32(&e, 12) == 0xcafe,
		     "r40 reads 0x%x after the GPU suspended between two jobs: the stream was "
		     "restarted, not resumed\n",
		     read32(&e, 12));
	igt_assert_eq_u32(read32(&e, 16), 0x2222);

	/* The second queue, after another suspend. */
	wait_suspended(fd, ms, now_ns());
	submit_store(fd, &e, g2, 20, 0x3333, s[3]);
	wait_signalled(fd, s[3]);
	igt_assert_eq_u32(read32(&e, 20), 0x3333);

	for (int i = 0; i < 4; i++)
		syncobj_destroy(fd, s[i]);
	igt_panthor_group_destroy(fd, g2, 0);
	env_fini(fd, &e);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("After a job, the GPU stays powered, then runtime-suspends once nothing "
		     "ran for $TYRC_AUTOSUSPEND_MS (default 50): not more than 5 ms early and "
		     "within 500 ms after; seen through the GPU cycle counter, which stops "
		     "while the GPU is off. Skips with autosuspend 0.");
	igt_subtest("idle-suspend") {
		test_idle_suspend(fd);
	}

	igt_describe("A job submitted to a runtime-suspended GPU powers it up and completes "
		     "with its result; the cycle counter runs again.");
	igt_subtest("resume-on-submit") {
		test_resume_on_submit(fd, 1);
	}

	igt_describe("Ten suspend/resume cycles, a job completing after each.");
	igt_subtest("suspend-resume-cycles") {
		test_resume_on_submit(fd, CYCLES);
	}

	igt_describe("Work submitted while suspended completes: jobs on two groups at once "
		     "and on a second queue; a job reading a register its queue's previous job "
		     "set before the suspend sees it (the group resumes where it stopped).");
	igt_subtest("submit-while-suspended") {
		test_submit_while_suspended(fd);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
