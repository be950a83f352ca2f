// SPDX-License-Identifier: MIT
/*
 * The scheduling policy as a client sees it (driver/tyrc_sched.h, DOC: sched
 * layer; panthor-uapi.md §7, §11): more groups than CSG slots, priority
 * preemption, round-robin fairness among same-priority groups, job
 * timeouts, fatal errors (bad opcode, MMU fault), destroying a running
 * group, and tiler heap growth on the firmware's TILER_OOM.
 *
 * Timeouts come from the device host's configuration: the host reads
 * $TYRC_JOB_TIMEOUT_MS, $TYRC_AUTOSUSPEND_MS and $TYRC_ALLOW_HIGH_PRIORITY
 * from the environment `tyrc run` gives it, and so does this test
 * (igt_panthor_host_*()), so it expects the timeout the host was started
 * with. The scheduler tick is panthor's 10 ms (not configurable).
 *
 * Long work is either a counted loop (CPU work for the model's CS
 * interpreter) or RUN_COMPUTE instructions, which the model completes
 * after its cost model (harness/model/model_cs.h: workgroups x 1 us / 4
 * cores) without using the CPU. Every wait is bounded; the only sleeps are
 * the fairness test's sampling window and short "still pending" checks.
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

IGT_TEST_DESCRIPTION("Scheduler policy: slots, priorities, fairness, timeouts, faults, destroy "
		     "and tiler heaps.");

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define SZ_256K 0x40000u
#define SEC_NS 1000000000ll
#define MS_NS 1000000ll
#define MAX_GROUPS 128

/* panthor's scheduler tick (tyrc_device_config.sched_tick_ms). */
#define TICK_MS 10
/*
 * Preemption: a HIGH/REALTIME job must complete within one tick of being
 * submitted, plus this much for the 2-core machine (the model thread, the
 * host and this test share the CPUs) and the submit/wait round trips.
 */
#define PREEMPT_SLACK_MS 15
/* ... and no single sample may take more than this. */
#define PREEMPT_MAX_MS 100

/*
 * Timing bounds are for a normal build. $TYRC_SLOW_BUILD (set by the CI for
 * its TSan build, where every thread runs several times slower and a tick
 * rotates far fewer times per window) widens them by this factor; what is
 * asserted stays the same.
 */
#define SLOW_BUILD_SCALE 4.0

static double timing_scale(void)
{
	const char *env = getenv("TYRC_SLOW_BUILD");

	return env && *env && strcmp(env, "0") ? SLOW_BUILD_SCALE : 1.0;
}

#define CS_VA 0x1000000ull
#define DATA_VA 0x2000000ull
/* Nothing is ever mapped here. */
#define UNMAPPED_VA 0x7000000ull
#define WAIT_NS (5 * SEC_NS)
#define PENDING_NS (50 * MS_NS)

#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP

/* Layout of the data BO (64 KiB). */
#define OFF_RES(i) (0x0000u + 4u * (i)) /* results, one per group */
#define OFF_STARTED(i) (0x1000u + 4u * (i)) /* "my long job started" */
#define OFF_COUNT(i) (0x2000u + 4u * (i)) /* fairness counters */
#define OFF_GATE 0x3000u /* a sync object nobody writes */
#define OFF_MISC(i) (0x3100u + 4u * (i))

/* Work registers; r92-r95 belong to the kernel's ring wrapper. */
enum {
	R_ADDR = 0, /* d0 */
	R_VAL = 2, /* r2 */
	R_GATE = 6, /* d6 */
	R_CMP = 8, /* r8 */
	R_TGT = 10, /* d10 */
	R_LEN = 12, /* r12 */
	R_LOOP = 16, /* r16: loop counter */
	R_CNT = 18, /* r18: fairness counter */
	R_HEAP = 20, /* d20: heap context */
	R_CHUNK_FIRST = 22, /* d22, d24: FINISH_FRAGMENT's chunk operands */
	R_CHUNK_LAST = 24,
	R_LINK = 26, /* d26: a heap chunk link */
	R_IDX = 33, /* RUN_IDVS index count */
	R_INST = 34, /* RUN_IDVS instance count */
	R_WG_X = 37, /* RUN_COMPUTE job size */
	R_WG_Y = 38,
	R_WG_Z = 39,
};

/* Scoreboard slots: 0 loads/stores (the default "other" entry), 1 RUN_*. */
#define SB_LS 0x1
#define SB_RUN 0x2
#define SLOT_RUN 1

#define STORE32(off, v)                                                                      \
	cs_mov48(R_ADDR, DATA_VA + (off)), cs_mov32(R_VAL, (v)), cs_stm32(R_ADDR, R_VAL, 0), \
		cs_wait(SB_LS, false)

/*
 * A RUN_COMPUTE of 200 x 200 workgroups: 40000 x 1 us / 4 cores = 10 ms of
 * model time, no CPU.
 */
#define COMPUTE_WG 200
#define COMPUTE_MS 10

struct stream {
	uint64_t va;
	uint32_t size;
};

struct env {
	uint32_t vm;
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
}

static void env_fini(int fd, struct env *e)
{
	igt_panthor_vm_destroy(fd, e->vm, 0);
	igt_panthor_free_bo(fd, &e->cs);
	igt_panthor_free_bo(fd, &e->data);
}

static struct stream put_stream(struct env *e, const uint64_t *instrs, size_t count)
{
	uint32_t off = ALIGN(e->cs_used, 64);

	igt_assert(off + count * 8 <= e->cs.size);
	for (size_t i = 0; i < count; i++)
		igt_assert_f(instrs[i] != TYRC_CS_BAD_WORD, "instruction %zu has a bad operand\n",
			     i);
	memcpy((char *)e->cs.map + off, instrs, count * 8);
	e->cs_used = off + count * 8;
	return (struct stream){ .va = CS_VA + off, .size = (uint32_t)(count * 8) };
}

#define PUT_STREAM(e, instrs) put_stream(e, instrs, ARRAY_SIZE(instrs))

static uint32_t read32(struct env *e, uint32_t off)
{
	return __atomic_load_n((uint32_t *)((char *)e->data.map + off), __ATOMIC_ACQUIRE);
}

static void submit(int fd, uint32_t group, struct stream s, uint32_t syncobj, int err)
{
	igt_panthor_group_submit_simple(fd, group, 0, s.va, s.size, syncobj, err);
}

static bool signalled_within(int fd, uint32_t handle, int64_t ns)
{
	return syncobj_wait(fd, &handle, 1, now_ns() + ns, 0, NULL);
}

static void wait_signalled(int fd, uint32_t handle)
{
	igt_assert_f(signalled_within(fd, handle, WAIT_NS),
		     "syncobj %u not signalled within %lld ms\n", handle, WAIT_NS / MS_NS);
}

static void assert_state(int fd, uint32_t group, uint32_t state, uint32_t fatal_queues)
{
	struct drm_panthor_group_get_state s;

	igt_panthor_group_get_state(fd, group, &s, 0);
	igt_assert_f(s.state == state && s.fatal_queues == fatal_queues,
		     "group %u: state 0x%x fatal_queues 0x%x, expected 0x%x 0x%x\n", group, s.state,
		     s.fatal_queues, state, fatal_queues);
}

static uint32_t csg_slots(int fd)
{
	struct drm_panthor_csif_info csif = {};

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &csif, sizeof(csif), 0);
	igt_assert(csif.csg_slot_count > 0);
	return csif.csg_slot_count;
}

/* Stores 1 at OFF_STARTED(@g), then runs @iters RUN_COMPUTEs of COMPUTE_MS each. */
static struct stream compute_stream(struct env *e, uint32_t g, uint32_t iters)
{
	const uint64_t instrs[] = {
		STORE32(OFF_STARTED(g), 1),
		cs_set_sb_entry(SLOT_RUN, 0),
		cs_mov32(R_WG_X, COMPUTE_WG),
		cs_mov32(R_WG_Y, COMPUTE_WG),
		cs_mov32(R_WG_Z, 1),
		cs_mov32(R_LOOP, iters),
		/* 9: */
		cs_run_compute(1, 0),
		cs_wait(SB_RUN, false),
		cs_add32(R_LOOP, R_LOOP, -1),
		/* 12: back to 9 = 12 + 1 - 4 */
		cs_branch(-4, CS_BRANCH_COND_NEQUAL, R_LOOP),
		STORE32(OFF_RES(g), g + 1),
	};

	return PUT_STREAM(e, instrs);
}

/*
 * Stores 1 at OFF_STARTED(@g), then counts: each iteration stores the
 * next value of r18 at OFF_COUNT(@g), @iters times (0x7fffffff: forever
 * for this test's purposes).
 */
static struct stream counter_stream(struct env *e, uint32_t g, uint32_t iters)
{
	const uint64_t instrs[] = {
		STORE32(OFF_STARTED(g), 1),
		cs_mov48(R_ADDR, DATA_VA + OFF_COUNT(g)),
		cs_mov32(R_CNT, 0),
		cs_mov32(R_LOOP, iters),
		/* 7: */
		cs_add32(R_CNT, R_CNT, 1),
		cs_stm32(R_ADDR, R_CNT, 0),
		cs_wait(SB_LS, false),
		cs_add32(R_LOOP, R_LOOP, -1),
		/* 11: back to 7 = 11 + 1 - 5 */
		cs_branch(-5, CS_BRANCH_COND_NEQUAL, R_LOOP),
	};

	return PUT_STREAM(e, instrs);
}

/* A short job: stores @v at OFF_RES(@g). */
static struct stream store_stream(struct env *e, uint32_t g, uint32_t v)
{
	const uint64_t instrs[] = { STORE32(OFF_RES(g), v) };

	return PUT_STREAM(e, instrs);
}

/* Wait (bounded) until @count of the groups 0..@n-1 stored their OFF_STARTED word. */
static void wait_started(struct env *e, uint32_t n, uint32_t count)
{
	int64_t deadline = now_ns() + WAIT_NS;
	uint32_t started = 0;

	while (now_ns() < deadline) {
		started = 0;
		for (uint32_t g = 0; g < n; g++)
			started += read32(e, OFF_STARTED(g)) != 0;
		if (started >= count)
			return;
		usleep(1000);
	}
	igt_assert_f(false, "only %u of %u groups started within %lld ms\n", started, count,
		     WAIT_NS / MS_NS);
}

/* @n groups on one VM, each with a short job, all at once. */
static void test_many_groups(int fd, uint32_t n)
{
	uint32_t groups[MAX_GROUPS], s[MAX_GROUPS];
	int64_t start;
	struct env e;

	igt_assert(n <= MAX_GROUPS);
	env_init(fd, &e);
	for (uint32_t g = 0; g < n; g++) {
		groups[g] = igt_panthor_group_create_simple(fd, e.vm, 0);
		s[g] = syncobj_create(fd, 0);
	}
	start = now_ns();
	for (uint32_t g = 0; g < n; g++)
		submit(fd, groups[g], store_stream(&e, g, 0x1000 + g), s[g], 0);
	for (uint32_t g = 0; g < n; g++)
		wait_signalled(fd, s[g]);
	igt_info("%u groups, one job each: all done in %.1f ms\n", n, (now_ns() - start) / 1e6);
	for (uint32_t g = 0; g < n; g++) {
		igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s[g]), 1);
		igt_assert_eq_u32(read32(&e, OFF_RES(g)), 0x1000 + g);
		assert_state(fd, groups[g], 0, 0);
		syncobj_destroy(fd, s[g]);
		igt_panthor_group_destroy(fd, groups[g], 0);
	}
	env_fini(fd, &e);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

#define PREEMPT_LOW_GROUPS 64
#define PREEMPT_SAMPLES 20

/*
 * Submit-to-fence latency of PREEMPT_SAMPLES short jobs on @group, one at
 * a time; sorted into @ns.
 */
static void job_latencies(int fd, struct env *e, uint32_t group, int64_t *ns)
{
	uint32_t s = syncobj_create(fd, 0);

	for (int i = 0; i < PREEMPT_SAMPLES; i++) {
		struct stream st = store_stream(e, MAX_GROUPS - 1, 0x5000 + i);
		int64_t t;

		syncobj_reset(fd, &s, 1);
		t = now_ns();
		submit(fd, group, st, s, 0);
		wait_signalled(fd, s);
		ns[i] = now_ns() - t;
		igt_assert_eq_u32(read32(e, OFF_RES(MAX_GROUPS - 1)), 0x5000 + i);
		/* Reuse the stream space: only the last stream matters. */
		e->cs_used = st.va - CS_VA;
	}
	syncobj_destroy(fd, s);
	qsort(ns, PREEMPT_SAMPLES, sizeof(*ns), cmp_i64);
}

static void test_preempt(int main_fd, uint8_t priority)
{
	uint32_t low[PREEMPT_LOW_GROUPS], s[PREEMPT_LOW_GROUPS], slots, prio;
	int64_t idle[PREEMPT_SAMPLES], busy[PREEMPT_SAMPLES];
	uint32_t timeout_ms = igt_panthor_host_job_timeout_ms();
	int64_t start;
	struct env e;
	int fd;

	igt_require_f(igt_panthor_group_priority_allowed(main_fd, priority),
		      "priority %u not allowed for this client (run as root, or start the host "
		      "with TYRC_ALLOW_HIGH_PRIORITY=1)\n",
		      priority);
	/* Each LOW group gets a slot about slots/64 of the time: it must not time out. */
	igt_require_f(timeout_ms >= 200, "job timeout %u ms too short for 64 busy groups\n",
		      timeout_ms);
	/* Its own file: a failure leaves its 65 groups there, not in the next test's way. */
	fd = drm_reopen_driver(main_fd);
	igt_require_f(igt_panthor_group_priority_allowed(fd, priority),
		      "priority %u not allowed for a second file\n", priority);
	slots = csg_slots(fd);
	env_init(fd, &e);
	prio = igt_panthor_group_create_priority(fd, e.vm, priority, 1, SZ_4K, 0);
	job_latencies(fd, &e, prio, idle);

	/* 64 LOW groups, each 10 s of RUN_COMPUTE: every slot busy with LOW work. */
	start = now_ns();
	for (uint32_t g = 0; g < PREEMPT_LOW_GROUPS; g++) {
		low[g] = igt_panthor_group_create_priority(fd, e.vm, PANTHOR_GROUP_PRIORITY_LOW, 1,
							   SZ_4K, 0);
		s[g] = syncobj_create(fd, 0);
		submit(fd, low[g], compute_stream(&e, g, 1000), s[g], 0);
	}
	wait_started(&e, PREEMPT_LOW_GROUPS, slots);
	job_latencies(fd, &e, prio, busy);

	igt_info("priority %u job latency, idle GPU: median %.2f ms, max %.2f ms\n", priority,
		 idle[PREEMPT_SAMPLES / 2] / 1e6, idle[PREEMPT_SAMPLES - 1] / 1e6);
	igt_info("priority %u job latency, %d busy LOW groups: median %.2f ms, max %.2f ms "
		 "(bound: median %d ms, max %d ms)\n",
		 priority, PREEMPT_LOW_GROUPS, busy[PREEMPT_SAMPLES / 2] / 1e6,
		 busy[PREEMPT_SAMPLES - 1] / 1e6, TICK_MS + PREEMPT_SLACK_MS, PREEMPT_MAX_MS);
	/* The LOW groups are still busy: nobody finished, timed out or faulted. */
	for (uint32_t g = 0; g < PREEMPT_LOW_GROUPS; g++) {
		if (signalled_within(fd, s[g], 0)) {
			struct drm_panthor_group_get_state st;

			igt_panthor_group_get_state(fd, low[g], &st, 0);
			igt_assert_f(false,
				     "LOW group %u's 10 s job ended after %.1f ms: fence %d, "
				     "state 0x%x\n",
				     g, (now_ns() - start) / 1e6,
				     igt_panthor_syncobj_fence_status(fd, s[g]), st.state);
		}
		assert_state(fd, low[g], 0, 0);
	}
	igt_assert_f(
		busy[PREEMPT_SAMPLES / 2] <= (TICK_MS + PREEMPT_SLACK_MS) * MS_NS * timing_scale(),
		"median latency %.2f ms behind %d LOW groups exceeds %d ms\n",
		busy[PREEMPT_SAMPLES / 2] / 1e6, PREEMPT_LOW_GROUPS, TICK_MS + PREEMPT_SLACK_MS);
	igt_assert_f(busy[PREEMPT_SAMPLES - 1] <= PREEMPT_MAX_MS * MS_NS * timing_scale(),
		     "worst latency %.2f ms behind %d LOW groups exceeds %d ms\n",
		     busy[PREEMPT_SAMPLES - 1] / 1e6, PREEMPT_LOW_GROUPS, PREEMPT_MAX_MS);
	assert_state(fd, prio, 0, 0);

	for (uint32_t g = 0; g < PREEMPT_LOW_GROUPS; g++) {
		igt_panthor_group_destroy(fd, low[g], 0);
		wait_signalled(fd, s[g]);
		igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s[g]), -ECANCELED);
		syncobj_destroy(fd, s[g]);
	}
	igt_panthor_group_destroy(fd, prio, 0);
	env_fini(fd, &e);
	drm_close_driver(fd);
}

/* Fairness: groups = FAIR_FACTOR x slots, sampled every FAIR_SAMPLE_MS. */
#define FAIR_FACTOR 3
#define FAIR_SAMPLE_MS 100
#define FAIR_WINDOW_MS 1000
/* max / min of the counters' progress over the window. */
#define FAIR_MAX_RATIO 2.0

static void test_fairness(int fd)
{
	uint32_t slots = csg_slots(fd), n = FAIR_FACTOR * slots, timeout_ms;
	uint32_t groups[MAX_GROUPS], s[MAX_GROUPS], prev[MAX_GROUPS] = {};
	uint32_t first[MAX_GROUPS], last[MAX_GROUPS], window_ms;
	double min = 0, max = 0, sum = 0;
	int64_t t0;
	struct env e;

	igt_require(n <= MAX_GROUPS);
	timeout_ms = igt_panthor_host_job_timeout_ms();
	/*
	 * A group holds a slot about 1/FAIR_FACTOR of the time and its job
	 * never completes: keep its resident time well inside the job timeout.
	 */
	window_ms = min_t(uint32_t, FAIR_WINDOW_MS, timeout_ms * FAIR_FACTOR / 3);
	igt_require_f(window_ms >= 5 * FAIR_SAMPLE_MS, "job timeout %u ms too short\n", timeout_ms);
	env_init(fd, &e);
	for (uint32_t g = 0; g < n; g++) {
		groups[g] = igt_panthor_group_create_simple(fd, e.vm, 0);
		s[g] = syncobj_create(fd, 0);
	}
	for (uint32_t g = 0; g < n; g++)
		submit(fd, groups[g], counter_stream(&e, g, 0x7fffffff), s[g], 0);
	/* Rotation brings every group in within a few ticks. */
	wait_started(&e, n, n);
	t0 = now_ns();
	for (uint32_t g = 0; g < n; g++)
		first[g] = prev[g] = read32(&e, OFF_COUNT(g));

	/* Sample: every counter only ever grows (a resumed stream goes on). */
	while (now_ns() - t0 < window_ms * MS_NS) {
		usleep(FAIR_SAMPLE_MS * 1000);
		for (uint32_t g = 0; g < n; g++) {
			uint32_t v = read32(&e, OFF_COUNT(g));

			igt_assert_f(v >= prev[g],
				     "group %u's counter went back from %u to %u: its stream "
				     "restarted instead of resuming\n",
				     g, prev[g], v);
			prev[g] = v;
		}
	}
	for (uint32_t g = 0; g < n; g++) {
		double d;

		last[g] = read32(&e, OFF_COUNT(g));
		d = (double)(last[g] - first[g]);
		igt_debug("group %u: %u -> %u\n", g, first[g], last[g]);
		igt_assert_f(d > 0, "group %u made no progress in %u ms\n", g, window_ms);
		min = g ? min_t(double, min, d) : d;
		max = g ? max_t(double, max, d) : d;
		sum += d;
	}
	igt_info("%u groups on %u slots, %u ms: iterations per group min %.0f, mean %.0f, max "
		 "%.0f; max/min %.2f (bound %.1f), (max-min)/mean %.2f\n",
		 n, slots, window_ms, min, sum / n, max, max / min, FAIR_MAX_RATIO,
		 (max - min) / (sum / n));
	for (uint32_t g = 0; g < n; g++) {
		assert_state(fd, groups[g], 0, 0);
		igt_assert(!signalled_within(fd, s[g], 0));
	}
	/*
	 * A slow (TSan) build's timing says nothing about the policy: its
	 * spread ranged from 1.3 to over 20 between runs of the same code
	 * whose normal build stays within 1.1-1.2. There only progress and
	 * resumption are asserted, above.
	 */
	if (timing_scale() == 1.0)
		igt_assert_f(max / min <= FAIR_MAX_RATIO, "spread max/min %.2f exceeds %.1f\n",
			     max / min, FAIR_MAX_RATIO);

	for (uint32_t g = 0; g < n; g++) {
		igt_panthor_group_destroy(fd, groups[g], 0);
		wait_signalled(fd, s[g]);
		igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s[g]), -ECANCELED);
		syncobj_destroy(fd, s[g]);
	}
	env_fini(fd, &e);
}

static void test_timeout(int fd)
{
	uint32_t timeout_ms = igt_panthor_host_job_timeout_ms();
	int64_t timeout_ns = timeout_ms * MS_NS, margin_ns, start, elapsed;
	uint32_t stuck, other, s_stuck, s_other, s_late;
	struct stream never, quick;
	struct env e;

	/* Past the deadline: at least 1 s, or half the timeout, for a loaded machine. */
	margin_ns = max_t(int64_t, SEC_NS, timeout_ns / 2);
	env_init(fd, &e);
	stuck = igt_panthor_group_create_simple(fd, e.vm, 0);
	other = igt_panthor_group_create_simple(fd, e.vm, 0);
	s_stuck = syncobj_create(fd, 0);
	s_other = syncobj_create(fd, 0);
	s_late = syncobj_create(fd, 0);
	{
		/* Wait for the gate word to exceed 0: nobody ever writes it. */
		const uint64_t n[] = {
			cs_mov48(R_GATE, DATA_VA + OFF_GATE),
			cs_mov32(R_CMP, 0),
			cs_sync_wait32(CS_SYNC_COND_GT, false, R_GATE, R_CMP),
			STORE32(OFF_RES(0), 0xbad),
		};

		never = PUT_STREAM(&e, n);
		quick = store_stream(&e, 1, 0x600d);
	}
	start = now_ns();
	submit(fd, stuck, never, s_stuck, 0);
	/* The other group runs meanwhile, not held up by the stuck one. */
	submit(fd, other, quick, s_other, 0);
	wait_signalled(fd, s_other);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s_other), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0x600d);
	/* Halfway through the timeout: still pending. */
	igt_assert_f(!signalled_within(fd, s_stuck, timeout_ns / 2 - (now_ns() - start)),
		     "the stuck job ended before half the %u ms timeout\n", timeout_ms);
	assert_state(fd, stuck, 0, 0);

	igt_assert_f(signalled_within(fd, s_stuck, timeout_ns + margin_ns - (now_ns() - start)),
		     "the stuck job was not timed out within %u ms + %lld ms\n", timeout_ms,
		     margin_ns / MS_NS);
	elapsed = now_ns() - start;
	igt_info("job timeout %u ms: the stuck job's fence signalled after %.1f ms\n", timeout_ms,
		 elapsed / 1e6);
	igt_assert_f(elapsed >= timeout_ns - 5 * MS_NS, "timed out after %.1f ms, before %u ms\n",
		     elapsed / 1e6, timeout_ms);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s_stuck), -ETIMEDOUT);
	assert_state(fd, stuck, DRM_PANTHOR_GROUP_STATE_TIMEDOUT, 0);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 0);
	submit(fd, stuck, quick, s_late, EINVAL);

	/* The other group is fine and keeps running. */
	assert_state(fd, other, 0, 0);
	submit(fd, other, store_stream(&e, 2, 0xf00d), s_late, 0);
	wait_signalled(fd, s_late);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, s_late), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(2)), 0xf00d);
	assert_state(fd, other, 0, 0);

	syncobj_destroy(fd, s_stuck);
	syncobj_destroy(fd, s_other);
	syncobj_destroy(fd, s_late);
	igt_panthor_group_destroy(fd, stuck, 0);
	igt_panthor_group_destroy(fd, other, 0);
	env_fini(fd, &e);
}

/*
 * A CS fatal error in a job of group A on @e's VM: bad opcode, or a store
 * to an unmapped VA (an MMU fault, which also makes the VM unusable).
 * Group B on its own VM is unaffected.
 */
static void test_fatal(int fd, bool mmu_fault)
{
	uint32_t a, b, sa, sb, sx;
	struct panthor_bo extra;
	struct stream bad, good;
	struct env e, e2;

	env_init(fd, &e);
	env_init(fd, &e2);
	a = igt_panthor_group_create_simple(fd, e.vm, 0);
	b = igt_panthor_group_create_simple(fd, e2.vm, 0);
	sa = syncobj_create(fd, 0);
	sb = syncobj_create(fd, 0);
	sx = syncobj_create(fd, 0);
	if (mmu_fault) {
		const uint64_t instrs[] = {
			STORE32(OFF_RES(0), 1), cs_mov48(R_ADDR, UNMAPPED_VA),
			cs_mov32(R_VAL, 0xbad), cs_stm32(R_ADDR, R_VAL, 0),
			cs_wait(SB_LS, false),	STORE32(OFF_RES(1), 2),
		};

		bad = PUT_STREAM(&e, instrs);
	} else {
		const uint64_t instrs[] = { STORE32(OFF_RES(0), 1), cs_invalid(),
					    STORE32(OFF_RES(1), 2) };

		bad = PUT_STREAM(&e, instrs);
	}
	good = store_stream(&e2, 0, 0x600d);

	submit(fd, a, bad, sa, 0);
	wait_signalled(fd, sa);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, sa), -EINVAL);
	assert_state(fd, a, DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 1u << 0);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0);
	/* No more jobs, empty ones included. */
	submit(fd, a, good, sx, EINVAL);
	igt_panthor_group_submit_simple(fd, a, 0, 0, 0, sx, EINVAL);
	igt_assert_eq(syncobj_wait_err(fd, &sx, 1, 0, 0), -EINVAL);

	igt_panthor_bo_create(fd, &extra, SZ_4K, 0, 0);
	if (mmu_fault) {
		/*
		 * The fault made the VM unusable (driver/tyrc_sched.h): by the
		 * time the fence signalled, or at the latest a second later
		 * (the MMU interrupt is handled on its own thread).
		 */
		int64_t deadline = now_ns() + SEC_NS;
		uint32_t state;

		while ((state = igt_panthor_vm_get_state(fd, e.vm, 0)) !=
			       DRM_PANTHOR_VM_STATE_UNUSABLE &&
		       now_ns() < deadline)
			usleep(1000);
		igt_assert_f(state == DRM_PANTHOR_VM_STATE_UNUSABLE,
			     "VM state %u one second after its MMU fault killed a group\n", state);
		/* panthor-uapi.md §5: MAPs are refused, UNMAP still works. */
		igt_panthor_vm_bind(fd, e.vm, extra.handle, UNMAPPED_VA, SZ_4K, MAP, EINVAL);
		igt_panthor_vm_bind(fd, e.vm, 0, DATA_VA, SZ_4K, UNMAP, 0);
	} else {
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, e.vm, 0),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_bind(fd, e.vm, extra.handle, UNMAPPED_VA, SZ_4K, MAP, 0);
		igt_panthor_vm_bind(fd, e.vm, 0, UNMAPPED_VA, SZ_4K, UNMAP, 0);
	}
	igt_panthor_free_bo(fd, &extra);

	/* The other group and its VM are untouched. */
	submit(fd, b, good, sb, 0);
	wait_signalled(fd, sb);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, sb), 1);
	igt_assert_eq_u32(read32(&e2, OFF_RES(0)), 0x600d);
	assert_state(fd, b, 0, 0);
	igt_assert_eq_u32(igt_panthor_vm_get_state(fd, e2.vm, 0), DRM_PANTHOR_VM_STATE_USABLE);

	syncobj_destroy(fd, sa);
	syncobj_destroy(fd, sb);
	syncobj_destroy(fd, sx);
	igt_panthor_group_destroy(fd, a, 0);
	igt_panthor_group_destroy(fd, b, 0);
	env_fini(fd, &e);
	env_fini(fd, &e2);
}

/* GROUP_DESTROY must signal the victim's fence within this of returning. */
#define DESTROY_MAX_MS 100
#define DESTROY_OTHERS 3
/* The others' RUN_COMPUTE loops: 20 x 10 ms. */
#define OTHERS_ITERS 20

static void test_destroy_active(int fd)
{
	uint32_t victim, sv, others[DESTROY_OTHERS], so[DESTROY_OTHERS], count;
	int64_t t, destroy_ns, signal_ns;
	struct env e;

	env_init(fd, &e);
	victim = igt_panthor_group_create_simple(fd, e.vm, 0);
	sv = syncobj_create(fd, 0);
	for (int i = 0; i < DESTROY_OTHERS; i++) {
		others[i] = igt_panthor_group_create_simple(fd, e.vm, 0);
		so[i] = syncobj_create(fd, 0);
	}
	/* Group 0 counts forever; groups 1..3 run 200 ms of compute each. */
	submit(fd, victim, counter_stream(&e, 0, 0x7fffffff), sv, 0);
	for (int i = 0; i < DESTROY_OTHERS; i++)
		submit(fd, others[i], compute_stream(&e, i + 1, OTHERS_ITERS), so[i], 0);
	wait_started(&e, DESTROY_OTHERS + 1, DESTROY_OTHERS + 1);
	/* The victim is running: its counter advances. */
	count = read32(&e, OFF_COUNT(0));
	igt_assert_f(!signalled_within(fd, sv, PENDING_NS), "the endless job ended\n");
	igt_assert_f(read32(&e, OFF_COUNT(0)) > count, "the victim's loop is not running\n");

	t = now_ns();
	igt_panthor_group_destroy(fd, victim, 0);
	destroy_ns = now_ns() - t;
	igt_assert_f(signalled_within(fd, sv, DESTROY_MAX_MS * MS_NS),
		     "the destroyed group's fence not signalled within %d ms\n", DESTROY_MAX_MS);
	signal_ns = now_ns() - t;
	igt_info("GROUP_DESTROY of a running group took %.2f ms, fence signalled %.2f ms after "
		 "the call\n",
		 destroy_ns / 1e6, signal_ns / 1e6);
	igt_assert_eq(igt_panthor_syncobj_fence_status(fd, sv), -ECANCELED);
	/* Nothing of it runs any more. */
	count = read32(&e, OFF_COUNT(0));
	usleep(PENDING_NS / 1000);
	igt_assert_eq_u32(read32(&e, OFF_COUNT(0)), count);

	for (int i = 0; i < DESTROY_OTHERS; i++) {
		wait_signalled(fd, so[i]);
		igt_assert_eq(igt_panthor_syncobj_fence_status(fd, so[i]), 1);
		igt_assert_eq_u32(read32(&e, OFF_RES(i + 1)), i + 2);
		assert_state(fd, others[i], 0, 0);
		igt_panthor_group_destroy(fd, others[i], 0);
		syncobj_destroy(fd, so[i]);
	}
	syncobj_destroy(fd, sv);
	env_fini(fd, &e);
}

/*
 * Tiler heaps. A stream selects the heap (HEAP_SET), registers a tiler-OOM
 * exception handler that records that it ran, and runs HEAP_RUNS rounds of
 * HEAP_OPERATION vt_start, RUN_IDVS, RUN_TILING, HEAP_OPERATION vt_end; it
 * ends with FINISH_TILING and a completion store. The handler counts its
 * runs and ends the render pass with FINISH_FRAGMENT, which frees the
 * chunks tiling took so far (harness/model/model_cs.c's heap model: each
 * RUN_IDVS and RUN_TILING takes one chunk).
 */
#define HEAP_RUNS 64
#define HEAP_CHUNK SZ_256K
#define HEAP_HANDLER OFF_MISC(0)
#define HEAP_DONE OFF_MISC(1)

static struct stream heap_stream(struct env *e, uint64_t heap_ctx, uint64_t first_chunk)
{
	const uint64_t handler[] = {
		cs_mov48(R_GATE, DATA_VA + HEAP_HANDLER),
		cs_mov32(R_CMP, 1),
		cs_sync_add32(CS_SYNC_SCOPE_SYSTEM, false, R_GATE, R_CMP, 0, 0),
		/* As Mesa's handler does: finish the render pass, freeing its chunks. */
		cs_finish_fragment(true, 0, R_CHUNK_LAST, R_CHUNK_FIRST),
	};
	struct stream h = PUT_STREAM(e, handler);
	const uint64_t instrs[] = {
		cs_set_sb_entry(SLOT_RUN, 0),
		cs_mov48(R_HEAP, heap_ctx),
		/* The initial chunks become the context's free list (model_cs.c's heap DOC). */
		cs_mov48(R_LINK, (first_chunk & ~0xfffull) | (HEAP_CHUNK >> 12)),
		cs_stm64(R_HEAP, R_LINK, 0),
		cs_wait(SB_LS, false),
		cs_heap_set(R_HEAP),
		cs_mov48(R_TGT, h.va),
		cs_mov32(R_LEN, h.size),
		cs_set_tiler_oom_handler(R_TGT, R_LEN),
		cs_mov32(R_IDX, 30000),
		cs_mov32(R_INST, 1),
		cs_mov32(R_LOOP, HEAP_RUNS),
		/* 9: */
		cs_heap_operation(TYRC_CS_HEAP_VT_START, 0),
		cs_run_idvs(0, true),
		cs_run_tiling(0),
		cs_heap_operation(TYRC_CS_HEAP_VT_END, SB_RUN),
		cs_add32(R_LOOP, R_LOOP, -1),
		/* 14: back to 9 = 14 + 1 - 6 */
		cs_branch(-6, CS_BRANCH_COND_NEQUAL, R_LOOP),
		cs_wait(SB_RUN, false),
		cs_finish_tiling(),
		STORE32(HEAP_DONE, 1),
	};

	return PUT_STREAM(e, instrs);
}

/*
 * Run the heap stream on a heap of @initial chunks growing to @max.
 * Return: whether the exception handler ran (the heap could not grow).
 */
static bool heap_run(int fd, struct env *e, uint32_t initial, uint32_t max)
{
	struct drm_panthor_tiler_heap_create heap = {
		.vm_id = e->vm,
		.initial_chunk_count = initial,
		.chunk_size = HEAP_CHUNK,
		.max_chunks = max,
		.target_in_flight = 2 * HEAP_RUNS,
	};
	uint32_t group, s = syncobj_create(fd, 0);
	uint32_t timeout_ms = igt_panthor_host_job_timeout_ms();
	struct stream st;
	bool handled;

	igt_panthor_tiler_heap_create(fd, &heap, 0);
	__atomic_store_n((uint32_t *)((char *)e->data.map + HEAP_HANDLER), 0, __ATOMIC_SEQ_CST);
	__atomic_store_n((uint32_t *)((char *)e->data.map + HEAP_DONE), 0, __ATOMIC_SEQ_CST);
	st = heap_stream(e, heap.tiler_heap_ctx_gpu_va, heap.first_heap_chunk_gpu_va);
	group = igt_panthor_group_create_simple(fd, e->vm, 0);
	submit(fd, group, st, s, 0);
	igt_assert_f(signalled_within(fd, s, (timeout_ms + 2000ll) * MS_NS),
		     "the tiler job did not end within the job timeout\n");
	igt_assert_f(igt_panthor_syncobj_fence_status(fd, s) == 1,
		     "the tiler job failed (%d) on a heap of %u..%u chunks; the OOM handler "
		     "ran %u times\n",
		     igt_panthor_syncobj_fence_status(fd, s), initial, max,
		     read32(e, HEAP_HANDLER));
	assert_state(fd, group, 0, 0);
	igt_assert_eq_u32(read32(e, HEAP_DONE), 1);
	handled = read32(e, HEAP_HANDLER) != 0;
	igt_panthor_group_destroy(fd, group, 0);
	igt_panthor_tiler_heap_destroy(fd, heap.handle, 0);
	syncobj_destroy(fd, s);
	return handled;
}

static void test_heap_grow(int fd)
{
	struct env e;

	env_init(fd, &e);
	/*
	 * A heap that cannot grow: a model that consumes tiler heap memory
	 * raises TILER_OOM, the driver refuses to grow past max_chunks and
	 * the firmware falls back to the exception handler. If the handler
	 * never runs, the model has no heap-consumption model and there is
	 * nothing to grow.
	 */
	if (!heap_run(fd, &e, 1, 1)) {
		env_fini(fd, &e);
		igt_skip("the GPU model raises no TILER_OOM: RUN_IDVS/RUN_TILING consume no "
			 "tiler heap memory in harness/model (no heap-consumption model), so "
			 "heap growth cannot be exercised\n");
	}
	/* Room to grow: the driver answers every TILER_OOM with a chunk. */
	igt_assert_f(!heap_run(fd, &e, 1, 256),
		     "the exception handler ran although the heap could grow to 256 chunks\n");
	env_fini(fd, &e);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("More groups than CSG slots (16, 64, 128 on one VM), each with a short "
		     "job, submitted at once: every job completes with its result and no group "
		     "is left in an error state.");
	igt_subtest_with_dynamic("more-groups-than-slots") {
		static const uint32_t counts[] = { 16, 64, 128 };

		for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++)
			igt_dynamic_f("groups-%u", counts[i]) {
				test_many_groups(fd, counts[i]);
			}
	}

	igt_describe("64 LOW groups keep every CSG slot busy with 10 s of RUN_COMPUTE each; "
		     "a HIGH (resp. REALTIME) group's short job completes within one 10 ms "
		     "tick plus 15 ms of slack for a 2-core machine (median of 20 samples; "
		     "no sample above 100 ms), while the LOW groups keep running. Needs the "
		     "priority to be allowed (root, DRM master or TYRC_ALLOW_HIGH_PRIORITY=1).");
	igt_subtest_with_dynamic("high-priority-preempts-low") {
		igt_dynamic("high") {
			test_preempt(fd, PANTHOR_GROUP_PRIORITY_HIGH);
		}
		igt_dynamic("realtime") {
			test_preempt(fd, PANTHOR_GROUP_PRIORITY_REALTIME);
		}
	}

	igt_describe("Three times as many same-priority groups as CSG slots, each counting "
		     "in a loop and storing its counter: sampled every 100 ms for 1 s (less "
		     "with a short job timeout), no counter ever goes back (preempted streams "
		     "are resumed, not restarted), every group makes progress, and the most "
		     "progress is at most 2x the least (round robin by the 10 ms tick).");
	igt_subtest("same-priority-fairness") {
		test_fairness(fd);
	}

	igt_describe("A job blocked forever in SYNC_WAIT times its group out after the job "
		     "timeout the host was started with ($TYRC_JOB_TIMEOUT_MS, default 5000): "
		     "not before, and within max(1 s, timeout/2) after; fence -ETIMEDOUT, "
		     "state TIMEDOUT, later submits EINVAL; a second group completes jobs "
		     "meanwhile and afterwards and stays in state 0.");
	igt_subtest("job-timeout") {
		test_timeout(fd);
	}

	igt_describe("CS fatal errors: an undefined opcode and a store to an unmapped VA (MMU "
		     "fault). The job's fence carries -EINVAL, the group is FATAL_FAULT with "
		     "queue 0 in fatal_queues and refuses submits (EINVAL); after the MMU "
		     "fault the VM is UNUSABLE (VM_BIND MAP EINVAL, UNMAP works), after the "
		     "bad opcode it stays USABLE; a group on another VM still runs.");
	igt_subtest_with_dynamic("fatal-fault") {
		igt_dynamic("bad-opcode") {
			test_fatal(fd, false);
		}
		igt_dynamic("mmu-fault") {
			test_fatal(fd, true);
		}
	}

	igt_describe("GROUP_DESTROY of a group running an endless loop while three other "
		     "groups run 200 ms of compute: its fence signals -ECANCELED within 100 "
		     "ms, its loop stops, the others complete with their results and state 0.");
	igt_subtest("destroy-active-group") {
		test_destroy_active(fd);
	}

	igt_describe("Tiler heap growth: HEAP_SET and RUN_IDVS/RUN_TILING rounds on a heap of "
		     "one chunk that may grow complete without the tiler-OOM exception handler "
		     "(the driver answered TILER_OOM with chunks); on a heap at max_chunks the "
		     "stream takes the no-memory path (the handler runs). Skips when the model "
		     "consumes no heap memory (raises no TILER_OOM).");
	igt_subtest("tiler-heap-grow") {
		test_heap_grow(fd);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
