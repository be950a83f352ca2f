// SPDX-License-Identifier: MIT
/*
 * Scheduling groups and the first jobs.
 *
 * GROUP_CREATE, GROUP_DESTROY and GROUP_GET_STATE: upstream IGT's
 * panthor_group create/destroy case and every argument rule of the uAPI
 * with its errno, in panthor's order (panthor-uapi.md §7): queue count,
 * queue array copy, priority, pad, core masks, VM, per-queue fields; 128
 * handles per file, handles per file, VM_DESTROY while a group holds the
 * VM. Privilege checks (EACCES) and the kernel objects behind a group are
 * checked in tyrc_group (driver-internal).
 *
 * GROUP_SUBMIT: upstream's group_submit (a hand-written stream storing
 * 0xdeadbeef), then the CS control flow (counted loops, every BRANCH
 * condition, CALL and JUMP chains), GPU sync objects shared between queues
 * and with the CPU (SYNC_SET/ADD/WAIT 32 and 64), syncobj dependencies
 * between queues and groups (binary, timeline, inside one batch), empty
 * jobs, every GROUP_SUBMIT argument rule (§3, §7) and the atomicity of a
 * failing batch, CS fatal errors and the group state they leave, ring
 * wrap-around with thousands of jobs, destroying a group with a blocked
 * job, and VM_BIND fences gating jobs and jobs gating unmaps.
 *
 * Every wait is bounded, so a broken driver fails instead of hanging; the
 * "still pending" checks are short waits that must time out.
 */
#include <errno.h>
#include <linux/sync_file.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_syncobj.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION(
	"Scheduling groups: create, destroy, state, argument checks and job submission.");

#define SZ_4K 0x1000u
#define SZ_64K 0x10000u
#define MAX_GROUPS 128
#define MAX_QUEUES 32
#define CS_SLOTS 8 /* CSs per CSG of the G610 firmware */
#define QUEUE_MIN_SIZE 8 /* through ringbuf_size */

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

static struct drm_panthor_gpu_info gpu_info(int fd)
{
	struct drm_panthor_gpu_info info = {};
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return info;
}

static uint32_t vm_create(int fd)
{
	struct drm_panthor_vm_create c = {};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c);
	return c.id;
}

static void vm_destroy(int fd, uint32_t id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

/* A valid request: one queue of 4 KiB, MEDIUM, first shader and tiler core (upstream). */
static struct drm_panthor_group_create group_args(int fd, uint32_t vm,
						  struct drm_panthor_queue_create *q)
{
	struct drm_panthor_gpu_info info = gpu_info(fd);

	*q = (struct drm_panthor_queue_create){ .priority = 0, .ringbuf_size = SZ_4K };
	return (struct drm_panthor_group_create){
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, q),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = info.shader_present & -info.shader_present,
		.fragment_core_mask = info.shader_present & -info.shader_present,
		.tiler_core_mask = info.tiler_present & -info.tiler_present,
		.vm_id = vm,
	};
}

/* GROUP_CREATE with @c; returns the handle (checked in range) on success. */
static uint32_t group_create(int fd, struct drm_panthor_group_create *c, int err)
{
	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, c), err);
	if (!err)
		igt_assert(c->group_handle >= 1 && c->group_handle <= MAX_GROUPS);
	return c->group_handle;
}

static void group_destroy(int fd, uint32_t handle, int err)
{
	struct drm_panthor_group_destroy d = { .group_handle = handle };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), err);
}

static struct drm_panthor_group_get_state get_state(int fd, uint32_t handle, int err)
{
	struct drm_panthor_group_get_state s = { .group_handle = handle };

	igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), err);
	return s;
}

/* Expect @err from a request built from the valid one and changed by @tweak. */
#define expect_create(fd, vm, err, tweak)                                   \
	do {                                                                \
		struct drm_panthor_queue_create q;                          \
		struct drm_panthor_group_create c = group_args(fd, vm, &q); \
		tweak;                                                      \
		group_create(fd, &c, err);                                  \
		if (!(err))                                                 \
			group_destroy(fd, c.group_handle, 0);               \
	} while (0)

/*
 * Submission tests. Each builds an environment: a VM with a BO of command
 * streams at CS_VA and a BO of results and GPU sync objects at DATA_VA, both
 * mapped on the CPU, and a group of a few queues.
 */
#define SEC_NS 1000000000ll
#define CS_VA 0x1000000ull
#define DATA_VA 0x2000000ull
#define EXTRA_VA 0x3000000ull
#define WAIT_NS (5 * SEC_NS)
#define PENDING_NS (50 * 1000 * 1000ll) /* a wait that must time out */
#define STREAM_ALIGN 64
#define BAD_WORD (~0ull) /* what the encoders return for an operand out of range */

#define MAP DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define SIGNAL ((uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)
#define WAIT ((uint32_t)DRM_PANTHOR_SYNC_OP_WAIT)
#define BINARY DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ
#define TIMELINE DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ

/* Layout of the data BO. */
#define OFF_RES(i) (0x000u + 4u * (i)) /* 32-bit results */
#define OFF_REC(i) (0x400u + 4u * (i)) /* order records */
#define OFF_COUNTER 0x600u /* the record counter */
#define OFF_SYNC(i) (0x800u + 16u * (i)) /* GPU sync objects {value; status} */
#define OFF_TABLE 0x1000u /* the branch table */

/*
 * Work registers the streams use; r92-r95 belong to the kernel's per-job
 * wrapper and are never touched.
 */
enum {
	R_ADDR = 0, /* d0: address of a store, load or sync update */
	R_VAL = 2, /* r2 / d2: value stored, loaded or added */
	R_SEQ = 4, /* r4: sequence number */
	R_GATE = 6, /* d6: address of a waited-on sync object */
	R_CMP = 8, /* r8 / d8: sync wait reference */
	R_TGT = 10, /* d10: CALL / JUMP target */
	R_LEN = 12, /* r12: CALL / JUMP length */
	R_ACC = 14, /* d14: 64-bit accumulator */
	R_COND = 16, /* r16: BRANCH operand */
	R_REC = 18, /* d18: address of an order record */
	R_FLUSH = 20, /* r20: flush ID, 0 = flush unconditionally */
	R_UPPER = 68, /* d68 / r70: upstream group_submit's registers */
	R_CONST = 70,
};

/* Scoreboard slot 0 tracks loads and stores ("other" entry); 1 the flushes. */
#define SB_LS 0x1
#define SB_FLUSH 0x2

/* Instruction sequences, for array initialisers. */
#define STORE32(off, v)                                                                      \
	cs_mov48(R_ADDR, DATA_VA + (off)), cs_mov32(R_VAL, (v)), cs_stm32(R_ADDR, R_VAL, 0), \
		cs_wait(SB_LS, false)
/* Block until the u32 sync object at @off is greater than @v. */
#define WAIT_GT32(off, v)                                        \
	cs_mov48(R_GATE, DATA_VA + (off)), cs_mov32(R_CMP, (v)), \
		cs_sync_wait32(CS_SYNC_COND_GT, false, R_GATE, R_CMP)
/* Set the u32 sync object at @off to @v (system scope: wakes waiters). */
#define SET32(off, v)                                            \
	cs_mov48(R_GATE, DATA_VA + (off)), cs_mov32(R_CMP, (v)), \
		cs_sync_set32(CS_SYNC_SCOPE_SYSTEM, true, R_GATE, R_CMP, 0, 0)
/* counter += 1, and its new value stored at @off: the order of the records. */
#define RECORD(off)                                                                           \
	cs_mov48(R_ADDR, DATA_VA + OFF_COUNTER), cs_ldm32(R_ADDR, R_VAL, 0),                  \
		cs_wait(SB_LS, false), cs_add32(R_VAL, R_VAL, 1), cs_stm32(R_ADDR, R_VAL, 0), \
		cs_mov48(R_REC, DATA_VA + (off)), cs_stm32(R_REC, R_VAL, 0), cs_wait(SB_LS, false)
/* r4 += 1 and stored at @off. */
#define SEQ(off)                                                                                  \
	cs_add32(R_SEQ, R_SEQ, 1), cs_mov48(R_ADDR, DATA_VA + (off)), cs_stm32(R_ADDR, R_SEQ, 0), \
		cs_wait(SB_LS, false)
#define CALL(s) cs_mov48(R_TGT, (s).va), cs_mov32(R_LEN, (s).size), cs_call(R_TGT, R_LEN)
#define JUMP(s) cs_mov48(R_TGT, (s).va), cs_mov32(R_LEN, (s).size), cs_jump(R_TGT, R_LEN)
struct stream {
	uint64_t va;
	uint32_t size;
};

struct env {
	uint32_t vm;
	struct panthor_bo cs; /* streams, at CS_VA */
	struct panthor_bo data; /* results and sync objects, at DATA_VA */
	uint32_t cs_used; /* bytes of @cs handed out */
	uint32_t group; /* 0 once destroyed */
};

static void env_init(int fd, struct env *e, uint32_t queues)
{
	*e = (struct env){};
	igt_panthor_vm_create(fd, &e->vm, 0);
	igt_panthor_bo_create_mapped(fd, &e->cs, SZ_64K, 0, 0);
	igt_panthor_vm_bind(fd, e->vm, e->cs.handle, CS_VA, e->cs.size, MAP, 0);
	igt_panthor_bo_create_mapped(fd, &e->data, SZ_64K, 0, 0);
	igt_panthor_vm_bind(fd, e->vm, e->data.handle, DATA_VA, e->data.size, MAP, 0);
	e->group = igt_panthor_group_create_queues(fd, e->vm, queues, SZ_4K, 0);
	igt_assert_neq(e->group, 0);
}

static void env_fini(int fd, struct env *e)
{
	if (e->group)
		igt_panthor_group_destroy(fd, e->group, 0);
	igt_panthor_vm_destroy(fd, e->vm, 0);
	igt_panthor_free_bo(fd, &e->cs);
	igt_panthor_free_bo(fd, &e->data);
}

/* Copy @count instructions into the stream BO, 64-byte aligned. */
static struct stream put_stream(struct env *e, const uint64_t *instrs, size_t count)
{
	uint32_t off = ALIGN(e->cs_used, STREAM_ALIGN);

	igt_assert(off + count * 8 <= e->cs.size);
	for (size_t i = 0; i < count; i++)
		igt_assert_f(instrs[i] != BAD_WORD, "instruction %zu has a bad operand\n", i);
	memcpy((char *)e->cs.map + off, instrs, count * 8);
	e->cs_used = off + count * 8;
	return (struct stream){ .va = CS_VA + off, .size = (uint32_t)(count * 8) };
}

#define PUT_STREAM(e, instrs) put_stream(e, instrs, ARRAY_SIZE(instrs))

static uint32_t *data32(struct env *e, uint32_t off)
{
	return (uint32_t *)((char *)e->data.map + off);
}

static uint32_t read32(struct env *e, uint32_t off)
{
	return __atomic_load_n(data32(e, off), __ATOMIC_ACQUIRE);
}

static uint64_t read64(struct env *e, uint32_t off)
{
	return __atomic_load_n((uint64_t *)data32(e, off), __ATOMIC_ACQUIRE);
}

static void write32(struct env *e, uint32_t off, uint32_t v)
{
	__atomic_store_n(data32(e, off), v, __ATOMIC_SEQ_CST);
}

static void write64(struct env *e, uint32_t off, uint64_t v)
{
	__atomic_store_n((uint64_t *)data32(e, off), v, __ATOMIC_SEQ_CST);
}

static struct drm_panthor_sync_op sync_op(uint32_t flags, uint32_t handle, uint64_t point)
{
	return (struct drm_panthor_sync_op){ .flags = flags,
					     .handle = handle,
					     .timeline_value = point };
}

static struct drm_panthor_queue_submit job(uint32_t queue, struct stream s,
					   struct drm_panthor_sync_op *syncs, uint32_t nsyncs)
{
	return (struct drm_panthor_queue_submit){
		.queue_index = queue,
		.stream_size = s.size,
		.stream_addr = s.va,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};
}

static void submit(int fd, uint32_t group, struct drm_panthor_queue_submit *jobs, uint32_t count,
		   int err)
{
	struct drm_panthor_group_submit gs = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(count, jobs),
	};

	igt_panthor_group_submit(fd, &gs, err);
}

/* One job on @queue with the sync ops given as a list. */
#define submit_job(fd, group, queue, s, ...)                                                 \
	do {                                                                                 \
		struct drm_panthor_sync_op __so[] = { __VA_ARGS__ };                         \
		struct drm_panthor_queue_submit __j = job(queue, s, __so, ARRAY_SIZE(__so)); \
		submit(fd, group, &__j, 1, 0);                                               \
	} while (0)

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SEC_NS + ts.tv_nsec;
}

static bool signalled_within(int fd, uint32_t handle, int64_t ns)
{
	return syncobj_wait(fd, &handle, 1, now_ns() + ns, 0, NULL);
}

static void wait_signalled(int fd, uint32_t handle)
{
	igt_assert_f(signalled_within(fd, handle, WAIT_NS),
		     "syncobj %u not signalled within %lld ms\n", handle, WAIT_NS / 1000000);
}

static void assert_pending(int fd, uint32_t handle)
{
	igt_assert_f(!signalled_within(fd, handle, PENDING_NS), "syncobj %u signalled too early\n",
		     handle);
}

static bool point_within(int fd, uint32_t handle, uint64_t point, int64_t ns)
{
	return syncobj_timeline_wait(fd, &handle, &point, 1, now_ns() + ns, 0, NULL);
}

static void wait_point(int fd, uint32_t handle, uint64_t point)
{
	igt_assert_f(point_within(fd, handle, point, WAIT_NS),
		     "timeline %u point %llu not signalled within %lld ms\n", handle,
		     (unsigned long long)point, WAIT_NS / 1000000);
}

static void assert_point_pending(int fd, uint32_t handle, uint64_t point)
{
	igt_assert_f(!point_within(fd, handle, point, PENDING_NS),
		     "timeline %u point %llu signalled too early\n", handle,
		     (unsigned long long)point);
}

/*
 * Status of the fence a binary syncobj holds, through a sync_file: 1
 * signalled, 0 pending, negative: signalled with that error.
 */
static int fence_status(int fd, uint32_t handle)
{
	int sf = syncobj_handle_to_fd(fd, handle, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	struct sync_file_info info = {};

	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	return info.status;
}

static void assert_group_state(int fd, uint32_t group, uint32_t state, uint32_t fatal_queues)
{
	struct drm_panthor_group_get_state s;

	igt_panthor_group_get_state(fd, group, &s, 0);
	igt_assert_eq_u32(s.state, state);
	igt_assert_eq_u32(s.fatal_queues, fatal_queues);
}

/* A job releasing everything blocked on the u32 at @off (sets it to 1). */
static struct stream release_stream(struct env *e, uint32_t off)
{
	const uint64_t instrs[] = { SET32(off, 1) };

	return PUT_STREAM(e, instrs);
}

/* Upstream's stream: store @constant at @va, then flush every cache. */
static size_t issue_store_multiple(uint8_t *cs, uint64_t va, uint32_t constant)
{
	const uint64_t instrs[] = {
		cs_mov48(R_UPPER, va),
		cs_mov32(R_CONST, constant),
		cs_stm32(R_UPPER, R_CONST, 0),
		cs_wait(0xff, false),
		/* Flush ID 0: flush unconditionally. */
		cs_mov32(R_CONST, 0),
		cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
			 CS_FLUSH_MODE_INVALIDATE, 0, R_CONST, 1),
		cs_wait(0xff, false),
	};

	memcpy(cs, instrs, sizeof(instrs));
	return sizeof(instrs);
}

static void test_submit(int fd)
{
	struct panthor_bo cmd = {}, result = {};
	uint32_t vm, group, syncobj, size;

	igt_panthor_vm_create(fd, &vm, 0);
	igt_panthor_bo_create_mapped(fd, &cmd, SZ_4K, 0, 0);
	igt_panthor_vm_bind(fd, vm, cmd.handle, CS_VA, cmd.size, MAP, 0);
	igt_panthor_bo_create_mapped(fd, &result, SZ_4K, 0, 0);
	igt_panthor_vm_bind(fd, vm, result.handle, CS_VA + SZ_4K, result.size, MAP, 0);
	size = issue_store_multiple(cmd.map, CS_VA + SZ_4K, 0xdeadbeef);

	group = igt_panthor_group_create_simple(fd, vm, 0);
	igt_assert_neq(group, 0);
	syncobj = syncobj_create(fd, 0);
	igt_panthor_group_submit_simple(fd, group, 0, CS_VA, size, syncobj, 0);
	wait_signalled(fd, syncobj);
	igt_assert_eq_u32(__atomic_load_n((uint32_t *)result.map, __ATOMIC_ACQUIRE), 0xdeadbeef);
	igt_assert_eq(fence_status(fd, syncobj), 1);
	assert_group_state(fd, group, 0, 0);

	syncobj_destroy(fd, syncobj);
	igt_panthor_group_destroy(fd, group, 0);
	igt_panthor_vm_destroy(fd, vm, 0);
	igt_panthor_free_bo(fd, &cmd);
	igt_panthor_free_bo(fd, &result);
}

#define LOOP_COUNT 1000
#define ACC_START 0xfffffff0ull

static const struct {
	int32_t value;
	enum cs_branch_cond cond;
	bool taken;
} branch_cases[] = {
	{ -1, CS_BRANCH_COND_LEQUAL, true },	      { 0, CS_BRANCH_COND_LEQUAL, true },
	{ 1, CS_BRANCH_COND_LEQUAL, false },	      { 1, CS_BRANCH_COND_GREATER, true },
	{ 0, CS_BRANCH_COND_GREATER, false },	      { -1, CS_BRANCH_COND_GREATER, false },
	{ INT32_MIN, CS_BRANCH_COND_GREATER, false }, { 0, CS_BRANCH_COND_EQUAL, true },
	{ 7, CS_BRANCH_COND_EQUAL, false },	      { INT32_MIN, CS_BRANCH_COND_EQUAL, false },
	{ 7, CS_BRANCH_COND_NEQUAL, true },	      { -7, CS_BRANCH_COND_NEQUAL, true },
	{ 0, CS_BRANCH_COND_NEQUAL, false },	      { -1, CS_BRANCH_COND_LESS, true },
	{ INT32_MIN, CS_BRANCH_COND_LESS, true },     { 0, CS_BRANCH_COND_LESS, false },
	{ INT32_MAX, CS_BRANCH_COND_LESS, false },    { 0, CS_BRANCH_COND_GEQUAL, true },
	{ INT32_MAX, CS_BRANCH_COND_GEQUAL, true },   { -1, CS_BRANCH_COND_GEQUAL, false },
	{ INT32_MIN, CS_BRANCH_COND_GEQUAL, false },  { 0, CS_BRANCH_COND_ALWAYS, true },
	{ -5, CS_BRANCH_COND_ALWAYS, true },
};

static void test_submit_loop(int fd)
{
	const uint64_t loop[] = {
		cs_mov32(R_SEQ, 0),
		cs_mov32(R_CMP, LOOP_COUNT),
		cs_mov48(R_ACC, ACC_START),
		/* 3: loop body; d14 crosses 2^32 after 16 iterations. */
		cs_add32(R_SEQ, R_SEQ, 1),
		cs_add64(R_ACC, R_ACC, 1),
		cs_add32(R_CMP, R_CMP, -1),
		/* 6: back to 3 = 6 + 1 - 4 while r8 != 0. */
		cs_branch(-4, CS_BRANCH_COND_NEQUAL, R_CMP),
		cs_add64(R_ACC, R_ACC, -2),
		cs_mov48(R_ADDR, DATA_VA + OFF_RES(0)),
		cs_stm32(R_ADDR, R_SEQ, 0),
		cs_stm32(R_ADDR, R_CMP, 4),
		cs_stm64(R_ADDR, R_ACC, 8),
		cs_wait(SB_LS, false),
	};
	uint64_t table[2 + 6 * ARRAY_SIZE(branch_cases) + 3];
	struct drm_panthor_sync_op so[2];
	struct drm_panthor_queue_submit jobs[2];
	uint32_t s[2], n = 0;
	struct env e;

	env_init(fd, &e, 1);
	/* Each case stores 1 if the branch over "r2 := 2" was taken, else 2. */
	table[n++] = cs_mov48(R_ADDR, DATA_VA + OFF_TABLE);
	for (unsigned int i = 0; i < ARRAY_SIZE(branch_cases); i++) {
		table[n++] = cs_mov32(R_COND, (uint32_t)branch_cases[i].value);
		table[n++] = cs_mov32(R_VAL, 1);
		table[n++] = cs_branch(1, branch_cases[i].cond, R_COND);
		table[n++] = cs_mov32(R_VAL, 2);
		table[n++] = cs_stm32(R_ADDR, R_VAL, (int16_t)(4 * i));
		table[n++] = cs_wait(SB_LS, false);
	}
	/* A taken branch with offset 0 just continues. */
	table[n++] = cs_branch(0, CS_BRANCH_COND_ALWAYS, R_COND);
	table[n++] = cs_mov32(R_FLUSH, 0);
	table[n++] =
		cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
			 CS_FLUSH_MODE_INVALIDATE, 0, R_FLUSH, 1);
	table[n++] = cs_wait(SB_FLUSH, false);
	igt_assert(n <= ARRAY_SIZE(table));

	for (int i = 0; i < 2; i++) {
		s[i] = syncobj_create(fd, 0);
		so[i] = sync_op(SIGNAL | BINARY, s[i], 0);
	}
	jobs[0] = job(0, PUT_STREAM(&e, loop), &so[0], 1);
	jobs[1] = job(0, put_stream(&e, table, n), &so[1], 1);
	submit(fd, e.group, jobs, 2, 0);
	wait_signalled(fd, s[0]);
	wait_signalled(fd, s[1]);

	igt_assert_eq_u32(read32(&e, OFF_RES(0)), LOOP_COUNT);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0);
	igt_assert_eq_u64(read64(&e, OFF_RES(2)), ACC_START + LOOP_COUNT - 2);
	for (unsigned int i = 0; i < ARRAY_SIZE(branch_cases); i++)
		igt_assert_f(read32(&e, OFF_TABLE + 4 * i) == (branch_cases[i].taken ? 1u : 2u),
			     "case %u: value %d, condition %d: expected %s, got %u\n", i,
			     branch_cases[i].value, branch_cases[i].cond,
			     branch_cases[i].taken ? "taken" : "not taken",
			     read32(&e, OFF_TABLE + 4 * i));
	assert_group_state(fd, e.group, 0, 0);
	for (int i = 0; i < 2; i++)
		syncobj_destroy(fd, s[i]);
	env_fini(fd, &e);
}

/*
 * A chain of @levels streams, level k storing k + 1 at @off + 4k then
 * calling level k + 1. Return: level 0.
 */
static struct stream nested_calls(struct env *e, unsigned int levels, uint32_t off)
{
	struct stream next = {};

	for (int k = levels - 1; k >= 0; k--) {
		const uint64_t leaf[] = { STORE32(off + 4 * k, k + 1) };
		const uint64_t inner[] = { STORE32(off + 4 * k, k + 1), CALL(next) };

		next = k == (int)levels - 1 ? PUT_STREAM(e, leaf) : PUT_STREAM(e, inner);
	}
	return next;
}

/* The ring is frame 1 and the user stream frame 2 of the G610's 8. */
#define CALL_LEVELS 7

static void test_submit_call_jump(int fd)
{
	/* Each SEQ(k) records when it ran; "bad" stores must never run. */
	const uint64_t sub2[] = { SEQ(OFF_RES(2)) };
	const uint64_t sub1b[] = { SEQ(OFF_RES(4)) };
	const uint64_t tail[] = { SEQ(OFF_RES(6)) };
	struct stream s_sub2, s_sub1b, s_tail, s_sub1, s_main;
	uint32_t syncobj = syncobj_create(fd, 0);
	struct env e;

	env_init(fd, &e, 1);
	s_sub2 = PUT_STREAM(&e, sub2);
	s_sub1b = PUT_STREAM(&e, sub1b);
	s_tail = PUT_STREAM(&e, tail);
	{
		/* Level 2: calls sub2, then continues in sub1b (which returns to main). */
		const uint64_t sub1[] = {
			SEQ(OFF_RES(1)),
			CALL(s_sub2),
			SEQ(OFF_RES(3)),
			JUMP(s_sub1b),
			STORE32(OFF_RES(9), 0xbad),
		};

		s_sub1 = PUT_STREAM(&e, sub1);
	}
	{
		/* Level 1, called by the kernel's ring wrapper; ends in tail. */
		const uint64_t main_cs[] = {
			cs_mov32(R_SEQ, 0), SEQ(OFF_RES(0)), CALL(s_sub1),
			SEQ(OFF_RES(5)),    JUMP(s_tail),    STORE32(OFF_RES(8), 0xbad),
		};

		s_main = PUT_STREAM(&e, main_cs);
	}
	igt_panthor_group_submit_simple(fd, e.group, 0, s_main.va, s_main.size, syncobj, 0);
	wait_signalled(fd, syncobj);
	igt_assert_eq(fence_status(fd, syncobj), 1);
	for (uint32_t k = 0; k <= 6; k++)
		igt_assert_f(read32(&e, OFF_RES(k)) == k + 1, "step %u ran as %u\n", k,
			     read32(&e, OFF_RES(k)));
	igt_assert_eq_u32(read32(&e, OFF_RES(8)), 0);
	igt_assert_eq_u32(read32(&e, OFF_RES(9)), 0);

	/* The deepest nesting the call stack holds. */
	s_main = nested_calls(&e, CALL_LEVELS, OFF_RES(16));
	syncobj_reset(fd, &syncobj, 1);
	igt_panthor_group_submit_simple(fd, e.group, 0, s_main.va, s_main.size, syncobj, 0);
	wait_signalled(fd, syncobj);
	igt_assert_eq(fence_status(fd, syncobj), 1);
	for (uint32_t k = 0; k < CALL_LEVELS; k++)
		igt_assert_eq_u32(read32(&e, OFF_RES(16 + k)), k + 1);
	assert_group_state(fd, e.group, 0, 0);
	syncobj_destroy(fd, syncobj);
	env_fini(fd, &e);
}

/* Sync objects of the two-queue test: u32 A, u64 B, u64 C, u32 D. */
#define SYNC_A OFF_SYNC(0)
#define SYNC_B OFF_SYNC(1)
#define SYNC_C OFF_SYNC(2)
#define SYNC_D OFF_SYNC(3)
#define MARK OFF_RES(0)

/*
 * Queue 0 waits for A > 0, C > 0xffffffff, B <= 3 and D > 6, then stores
 * MARK; queue 1 sets A := 1, C += 1 << 32, B := 2 (it starts at 10) and
 * D += 7.
 */
static void sync_wait_queue(int fd, bool waiter_first)
{
	uint32_t sw = syncobj_create(fd, 0), ss = syncobj_create(fd, 0);
	struct drm_panthor_sync_op so[2] = { sync_op(SIGNAL | BINARY, sw, 0),
					     sync_op(SIGNAL | BINARY, ss, 0) };
	struct drm_panthor_queue_submit jobs[2];
	struct env e;

	env_init(fd, &e, 2);
	write64(&e, SYNC_B, 10);
	{
		const uint64_t waiter[] = {
			WAIT_GT32(SYNC_A, 0),
			cs_mov48(R_GATE, DATA_VA + SYNC_C),
			cs_mov48(R_CMP, 0xffffffffull),
			cs_sync_wait64(CS_SYNC_COND_GT, false, R_GATE, R_CMP),
			cs_mov48(R_GATE, DATA_VA + SYNC_B),
			cs_mov48(R_CMP, 3),
			cs_sync_wait64(CS_SYNC_COND_LE, false, R_GATE, R_CMP),
			WAIT_GT32(SYNC_D, 6),
			STORE32(MARK, 0x600d),
		};
		const uint64_t setter[] = {
			SET32(SYNC_A, 1),
			cs_mov48(R_GATE, DATA_VA + SYNC_C),
			cs_mov48(R_CMP, 1ull << 32),
			cs_sync_add64(CS_SYNC_SCOPE_SYSTEM, true, R_GATE, R_CMP, 0, 0),
			cs_mov48(R_GATE, DATA_VA + SYNC_B),
			cs_mov48(R_CMP, 2),
			cs_sync_set64(CS_SYNC_SCOPE_SYSTEM, true, R_GATE, R_CMP, 0, 0),
			cs_mov48(R_GATE, DATA_VA + SYNC_D),
			cs_mov32(R_CMP, 7),
			cs_sync_add32(CS_SYNC_SCOPE_SYSTEM, true, R_GATE, R_CMP, 0, 0),
		};

		jobs[0] = job(0, PUT_STREAM(&e, waiter), &so[0], 1);
		jobs[1] = job(1, PUT_STREAM(&e, setter), &so[1], 1);
	}
	if (waiter_first) {
		submit(fd, e.group, &jobs[0], 1, 0);
		assert_pending(fd, sw);
		igt_assert_eq_u32(read32(&e, MARK), 0);
		submit(fd, e.group, &jobs[1], 1, 0);
	} else {
		submit(fd, e.group, jobs, 2, 0);
	}
	wait_signalled(fd, ss);
	wait_signalled(fd, sw);
	igt_assert_eq(fence_status(fd, sw), 1);
	igt_assert_eq(fence_status(fd, ss), 1);
	igt_assert_eq_u32(read32(&e, MARK), 0x600d);
	igt_assert_eq_u32(read32(&e, SYNC_A), 1);
	igt_assert_eq_u64(read64(&e, SYNC_B), 2);
	igt_assert_eq_u64(read64(&e, SYNC_C), 1ull << 32);
	igt_assert_eq_u32(read32(&e, SYNC_D), 7);
	/* Status words: no error was propagated. */
	igt_assert_eq_u32(read32(&e, SYNC_A + 4), 0);
	igt_assert_eq_u32(read32(&e, SYNC_B + 8), 0);
	igt_assert_eq_u32(read32(&e, SYNC_C + 8), 0);
	igt_assert_eq_u32(read32(&e, SYNC_D + 4), 0);
	assert_group_state(fd, e.group, 0, 0);
	syncobj_destroy(fd, sw);
	syncobj_destroy(fd, ss);
	env_fini(fd, &e);
}

static void test_submit_sync_wait_cpu(int fd)
{
	uint32_t syncobj = syncobj_create(fd, 0);
	struct env e;

	env_init(fd, &e, 1);
	{
		const uint64_t instrs[] = {
			WAIT_GT32(SYNC_A, 0),
			STORE32(OFF_RES(0), 1),
			cs_mov48(R_GATE, DATA_VA + SYNC_B),
			cs_mov48(R_CMP, 41),
			cs_sync_wait64(CS_SYNC_COND_GT, false, R_GATE, R_CMP),
			STORE32(OFF_RES(1), 2),
		};
		struct stream s = PUT_STREAM(&e, instrs);

		igt_panthor_group_submit_simple(fd, e.group, 0, s.va, s.size, syncobj, 0);
	}
	assert_pending(fd, syncobj);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 0);
	/* Past the first wait, blocked in the second. */
	write32(&e, SYNC_A, 1);
	assert_pending(fd, syncobj);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0);
	write64(&e, SYNC_B, 42);
	wait_signalled(fd, syncobj);
	igt_assert_eq(fence_status(fd, syncobj), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 2);
	assert_group_state(fd, e.group, 0, 0);
	syncobj_destroy(fd, syncobj);
	env_fini(fd, &e);
}

#define GATE OFF_SYNC(0)

static void destroy_syncobjs(int fd, const uint32_t *handles, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		syncobj_destroy(fd, handles[i]);
}

/* The records of the three jobs of a dependency chain, in chain order. */
static void assert_records_in_order(struct env *e)
{
	for (uint32_t i = 0; i < 3; i++)
		igt_assert_f(read32(e, OFF_REC(i)) == i + 1, "job %u ran as %u\n", i,
			     read32(e, OFF_REC(i)));
	igt_assert_eq_u32(read32(e, OFF_COUNTER), 3);
}

/* Three streams: a gated record and two plain records, plus the gate release. */
static void chain_streams(struct env *e, struct stream s[4])
{
	const uint64_t g[] = { WAIT_GT32(GATE, 0), RECORD(OFF_REC(0)) };
	const uint64_t r1[] = { RECORD(OFF_REC(1)) };
	const uint64_t r2[] = { RECORD(OFF_REC(2)) };

	s[0] = PUT_STREAM(e, g);
	s[1] = PUT_STREAM(e, r1);
	s[2] = PUT_STREAM(e, r2);
	s[3] = release_stream(e, GATE);
}

/* A (queue 0, gated) -> B (queue 1) -> C (queue 2) through binary syncobjs. */
static void deps_binary_queues(int fd)
{
	uint32_t s[4]; /* A, B, C, release */
	struct stream cs[4];
	struct env e;

	for (int i = 0; i < 4; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e, 4);
	chain_streams(&e, cs);
	submit_job(fd, e.group, 0, cs[0], sync_op(SIGNAL | BINARY, s[0], 0));
	submit_job(fd, e.group, 1, cs[1], sync_op(WAIT | BINARY, s[0], 0),
		   sync_op(SIGNAL | BINARY, s[1], 0));
	submit_job(fd, e.group, 2, cs[2], sync_op(WAIT | BINARY, s[1], 0),
		   sync_op(SIGNAL | BINARY, s[2], 0));
	for (int i = 0; i < 3; i++)
		assert_pending(fd, s[i]);
	igt_assert_eq_u32(read32(&e, OFF_COUNTER), 0);

	submit_job(fd, e.group, 3, cs[3], sync_op(SIGNAL | BINARY, s[3], 0));
	wait_signalled(fd, s[2]);
	assert_records_in_order(&e);
	for (int i = 0; i < 4; i++)
		igt_assert_eq(fence_status(fd, s[i]), 1);
	destroy_syncobjs(fd, s, 4);
	env_fini(fd, &e);
}

/* A (group 1) -> B (group 2) -> C (group 1) through points 1, 2, 3 of a timeline. */
static void deps_timeline_groups(int fd)
{
	uint32_t tl = syncobj_create(fd, 0), sr = syncobj_create(fd, 0), g2;
	struct stream cs[4];
	uint64_t point;
	struct env e;

	env_init(fd, &e, 2);
	g2 = igt_panthor_group_create_queues(fd, e.vm, 2, SZ_4K, 0);
	chain_streams(&e, cs);
	submit_job(fd, e.group, 0, cs[0], sync_op(SIGNAL | TIMELINE, tl, 1));
	submit_job(fd, g2, 0, cs[1], sync_op(WAIT | TIMELINE, tl, 1),
		   sync_op(SIGNAL | TIMELINE, tl, 2));
	submit_job(fd, e.group, 1, cs[2], sync_op(WAIT | TIMELINE, tl, 2),
		   sync_op(SIGNAL | TIMELINE, tl, 3));
	for (uint64_t p = 1; p <= 3; p++)
		assert_point_pending(fd, tl, p);
	igt_assert_eq_u32(read32(&e, OFF_COUNTER), 0);

	submit_job(fd, g2, 1, cs[3], sync_op(SIGNAL | BINARY, sr, 0));
	wait_point(fd, tl, 3);
	assert_records_in_order(&e);
	syncobj_timeline_query(fd, &tl, &point, 1);
	igt_assert_eq_u64(point, 3);
	wait_signalled(fd, sr);
	assert_group_state(fd, g2, 0, 0);
	igt_panthor_group_destroy(fd, g2, 0);
	syncobj_destroy(fd, tl);
	syncobj_destroy(fd, sr);
	env_fini(fd, &e);
}

/*
 * One GROUP_SUBMIT: job 1 waits on a binary syncobj that only job 0 of the
 * same batch signals, job 2 on a timeline point only job 1 signals.
 */
static void deps_same_submit(int fd)
{
	uint32_t s1 = syncobj_create(fd, 0), tl = syncobj_create(fd, 0);
	uint32_t s3 = syncobj_create(fd, 0), sr = syncobj_create(fd, 0);
	struct drm_panthor_sync_op so0[] = { sync_op(SIGNAL | BINARY, s1, 0) };
	struct drm_panthor_sync_op so1[] = { sync_op(WAIT | BINARY, s1, 0),
					     sync_op(SIGNAL | TIMELINE, tl, 5) };
	struct drm_panthor_sync_op so2[] = { sync_op(WAIT | TIMELINE, tl, 5),
					     sync_op(SIGNAL | BINARY, s3, 0) };
	struct drm_panthor_queue_submit jobs[3];
	struct stream cs[4];
	struct env e;

	env_init(fd, &e, 4);
	chain_streams(&e, cs);
	jobs[0] = job(0, cs[0], so0, ARRAY_SIZE(so0));
	jobs[1] = job(1, cs[1], so1, ARRAY_SIZE(so1));
	jobs[2] = job(2, cs[2], so2, ARRAY_SIZE(so2));
	submit(fd, e.group, jobs, 3, 0);
	assert_pending(fd, s1);
	assert_point_pending(fd, tl, 5);
	assert_pending(fd, s3);
	igt_assert_eq_u32(read32(&e, OFF_COUNTER), 0);

	submit_job(fd, e.group, 3, cs[3], sync_op(SIGNAL | BINARY, sr, 0));
	wait_signalled(fd, s3);
	assert_records_in_order(&e);
	igt_assert(point_within(fd, tl, 5, 0));
	igt_assert_eq(fence_status(fd, s1), 1);
	syncobj_destroy(fd, s1);
	syncobj_destroy(fd, tl);
	syncobj_destroy(fd, s3);
	syncobj_destroy(fd, sr);
	env_fini(fd, &e);
}

#define PING_PONG_JOBS 1000
#define OFF_BIG_REC(i) (0x2000u + 4u * (i))

/*
 * 1000 jobs alternating between two groups, each waiting on the previous
 * one's timeline point: they run strictly one after the other.
 */
static void deps_ping_pong(int fd)
{
	uint32_t tl = syncobj_create(fd, 0), groups[2];
	uint64_t point;
	struct env e;

	env_init(fd, &e, 1);
	groups[0] = e.group;
	groups[1] = igt_panthor_group_create_simple(fd, e.vm, 0);
	for (uint32_t i = 0; i < PING_PONG_JOBS; i++) {
		const uint64_t instrs[] = { RECORD(OFF_BIG_REC(i)) };
		struct stream st = PUT_STREAM(&e, instrs);

		if (i)
			submit_job(fd, groups[i % 2], 0, st, sync_op(WAIT | TIMELINE, tl, i),
				   sync_op(SIGNAL | TIMELINE, tl, i + 1));
		else
			submit_job(fd, groups[0], 0, st, sync_op(SIGNAL | TIMELINE, tl, 1));
	}
	wait_point(fd, tl, PING_PONG_JOBS);
	syncobj_timeline_query(fd, &tl, &point, 1);
	igt_assert_eq_u64(point, PING_PONG_JOBS);
	for (uint32_t i = 0; i < PING_PONG_JOBS; i++)
		igt_assert_f(read32(&e, OFF_BIG_REC(i)) == i + 1, "job %u ran as %u\n", i,
			     read32(&e, OFF_BIG_REC(i)));
	assert_group_state(fd, groups[0], 0, 0);
	assert_group_state(fd, groups[1], 0, 0);
	igt_panthor_group_destroy(fd, groups[1], 0);
	syncobj_destroy(fd, tl);
	env_fini(fd, &e);
}

/*
 * A WAIT on a handle that only a later job of the batch signals takes the
 * syncobj's fence at submit time (panthor collects every SIGNAL first, with
 * the current fence). Without a fence it is EINVAL, but panthor also WARNs
 * there, so that case is left out.
 */
static void deps_later_signal(int fd)
{
	uint32_t sig = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	uint32_t s0 = syncobj_create(fd, 0), sr = syncobj_create(fd, 0);
	struct stream first, gated, release;
	struct env e;

	env_init(fd, &e, 3);
	{
		const uint64_t f[] = { STORE32(OFF_RES(0), 1) };
		const uint64_t g[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(1), 2) };

		first = PUT_STREAM(&e, f);
		gated = PUT_STREAM(&e, g);
		release = release_stream(&e, GATE);
	}
	{
		struct drm_panthor_sync_op so0[] = { sync_op(WAIT | BINARY, sig, 0),
						     sync_op(SIGNAL | BINARY, s0, 0) };
		struct drm_panthor_sync_op so1[] = { sync_op(SIGNAL | BINARY, sig, 0) };
		struct drm_panthor_queue_submit jobs[] = { job(0, first, so0, ARRAY_SIZE(so0)),
							   job(1, gated, so1, ARRAY_SIZE(so1)) };

		submit(fd, e.group, jobs, 2, 0);
	}
	/* Job 0 waited on the old, signalled fence, not on the blocked job 1. */
	wait_signalled(fd, s0);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 1);
	assert_pending(fd, sig);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0);
	submit_job(fd, e.group, 2, release, sync_op(SIGNAL | BINARY, sr, 0));
	wait_signalled(fd, sig);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 2);

	assert_group_state(fd, e.group, 0, 0);
	{
		const uint32_t all[] = { sig, s0, sr };

		destroy_syncobjs(fd, all, ARRAY_SIZE(all));
	}
	env_fini(fd, &e);
}

static void test_submit_empty(int fd)
{
	const struct stream none = {};
	uint32_t s[6]; /* fresh queue, A, E after A, E waiting on A, release, idle queue */
	struct stream gated, release;
	struct env e;

	for (int i = 0; i < 6; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e, 3);
	{
		const uint64_t g[] = { WAIT_GT32(GATE, 0), STORE32(MARK, 0xa) };

		gated = PUT_STREAM(&e, g);
		release = release_stream(&e, GATE);
	}
	/* On a queue that never ran a job there is nothing to wait for. */
	submit_job(fd, e.group, 2, none, sync_op(SIGNAL | BINARY, s[0], 0));
	wait_signalled(fd, s[0]);
	igt_assert_eq(fence_status(fd, s[0]), 1);

	/* Behind a blocked job of its queue, and waiting on it from another queue. */
	submit_job(fd, e.group, 0, gated, sync_op(SIGNAL | BINARY, s[1], 0));
	submit_job(fd, e.group, 0, none, sync_op(SIGNAL | BINARY, s[2], 0));
	submit_job(fd, e.group, 2, none, sync_op(WAIT | BINARY, s[1], 0),
		   sync_op(SIGNAL | BINARY, s[3], 0));
	assert_pending(fd, s[2]);
	assert_pending(fd, s[3]);
	assert_pending(fd, s[1]);
	igt_assert_eq_u32(read32(&e, MARK), 0);

	submit_job(fd, e.group, 1, release, sync_op(SIGNAL | BINARY, s[4], 0));
	wait_signalled(fd, s[2]);
	/* Everything before the sync point is done and visible. */
	igt_assert(signalled_within(fd, s[1], 0));
	igt_assert_eq_u32(read32(&e, MARK), 0xa);
	wait_signalled(fd, s[3]);
	for (int i = 1; i < 5; i++)
		igt_assert_eq(fence_status(fd, s[i]), 1);

	/* Once the queue is idle again. */
	submit_job(fd, e.group, 0, none, sync_op(SIGNAL | BINARY, s[5], 0));
	wait_signalled(fd, s[5]);
	igt_assert_eq(fence_status(fd, s[5]), 1);
	assert_group_state(fd, e.group, 0, 0);
	destroy_syncobjs(fd, s, 6);
	env_fini(fd, &e);
}

/*
 * A one-job GROUP_SUBMIT of @s on queue 0 signalling @sx and point 1 of
 * @tl, changed by @tweak, must fail with @err.
 */
#define expect_submit(fd, e, s, sx, tl, err, tweak)                                       \
	do {                                                                              \
		struct drm_panthor_sync_op so[2] = { sync_op(SIGNAL | BINARY, sx, 0),     \
						     sync_op(SIGNAL | TIMELINE, tl, 1) }; \
		struct drm_panthor_queue_submit qs = job(0, s, so, 2);                    \
		struct drm_panthor_group_submit gs = {                                    \
			.group_handle = (e)->group,                                       \
			.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),                   \
		};                                                                        \
		tweak;                                                                    \
		igt_panthor_group_submit(fd, &gs, err);                                   \
	} while (0)

/* @sx still has no fence, @sig still its signalled one, @tl no point. */
static void assert_syncs_untouched(int fd, uint32_t sx, uint32_t sig, uint32_t tl)
{
	uint64_t point = ~0ull;

	igt_assert_eq(syncobj_wait_err(fd, &sx, 1, 0, 0), -EINVAL);
	igt_assert(signalled_within(fd, sig, 0));
	igt_assert_eq(fence_status(fd, sig), 1);
	syncobj_timeline_query(fd, &tl, &point, 1);
	igt_assert_eq_u64(point, 0);
}

static void test_submit_invalid(int fd)
{
	uint32_t sx = syncobj_create(fd, 0), tl = syncobj_create(fd, 0);
	uint32_t sig = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	uint32_t empty = syncobj_create(fd, 0), ok[2], dead;
	struct stream s, gated, release, marker;
	struct env e;

	env_init(fd, &e, 2);
	dead = igt_panthor_group_create_queues(fd, e.vm, 2, SZ_4K, 0);
	igt_panthor_group_destroy(fd, dead, 0);
	{
		/* If any job below ran, OFF_RES(0) would say so. */
		const uint64_t bad[] = { STORE32(OFF_RES(0), 0xbad) };
		const uint64_t g[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(0), 0xbad) };
		const uint64_t m[] = { STORE32(OFF_RES(1), 0x600d) };

		s = PUT_STREAM(&e, bad);
		gated = PUT_STREAM(&e, g);
		marker = PUT_STREAM(&e, m);
		release = release_stream(&e, GATE);
	}

	/* The ioctl's pad comes first. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.pad = 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, (gs.pad = 1, gs.queue_submits.count = 0));
	/* The job array. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.queue_submits.stride = 32);
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.queue_submits.stride = 0);
	expect_submit(fd, &e, s, sx, tl, EFAULT, gs.queue_submits.array = 16);
	{
		struct {
			struct drm_panthor_queue_submit qs;
			uint64_t tail;
		} big = { .tail = 1 };

		expect_submit(fd, &e, s, sx, tl, E2BIG,
			      (big.qs = qs, gs.queue_submits.stride = sizeof(big),
			       gs.queue_submits.array = (uintptr_t)&big));
	}
	/* Per job: pad, stream_size/stream_addr, latest_flush. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.pad = 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_size = 0);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_addr = 0);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_addr += 8);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_addr += 32);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_size = 12);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_size -= 4);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.stream_size = 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.latest_flush = 1u << 24);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.latest_flush = 1u << 30);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.latest_flush = 0x7f000000);
	/* The group: never created, out of range, destroyed. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.group_handle = 0);
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.group_handle = MAX_GROUPS + 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.group_handle = dead + 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, gs.group_handle = dead);
	/* The queue. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.queue_index = 2);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.queue_index = MAX_QUEUES);
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.queue_index = ~0u);
	/* The sync-op array. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, qs.syncs.stride = 8);
	expect_submit(fd, &e, s, sx, tl, EFAULT, qs.syncs.array = 16);
	{
		struct {
			struct drm_panthor_sync_op op;
			uint64_t tail;
		} big[2] = { { .tail = 1 }, { .tail = 1 } };

		expect_submit(fd, &e, s, sx, tl, E2BIG,
			      (big[0].op = so[0], big[1].op = so[1],
			       qs.syncs.stride = sizeof(big[0]), qs.syncs.array = (uintptr_t)big));
	}
	/* Sync ops: flags, handle types, points, handles, fences. */
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0].flags |= 1u << 8);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[1].flags |= 1u << 30);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0].flags = SIGNAL | 2);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0].flags = SIGNAL | 0xff);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0].timeline_value = 1);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0] = sync_op(WAIT | BINARY, sig, 1));
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[1].handle = 0);
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0].handle = 0xdeadbeef);
	expect_submit(fd, &e, s, sx, tl, ENOENT, so[0] = sync_op(WAIT | BINARY, 0xdeadbeef, 0));
	expect_submit(fd, &e, s, sx, tl, ENOENT, so[0] = sync_op(WAIT | TIMELINE, 0, 1));
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0] = sync_op(WAIT | BINARY, empty, 0));
	expect_submit(fd, &e, s, sx, tl, EINVAL, so[0] = sync_op(WAIT | TIMELINE, empty, 1));
	assert_syncs_untouched(fd, sx, sig, tl);

	/* No jobs: success, nothing is read, no group is looked up. */
	expect_submit(fd, &e, s, sx, tl, 0, gs.queue_submits.count = 0);
	expect_submit(fd, &e, s, sx, tl, 0,
		      (gs.queue_submits.count = 0, gs.queue_submits.array = 16));
	expect_submit(fd, &e, s, sx, tl, 0, (gs.queue_submits.count = 0, gs.group_handle = dead));

	/*
	 * A batch whose second job is invalid: the first one (which would
	 * block, leaving its syncobjs pending) is not submitted either.
	 */
	for (int i = 0; i < 4; i++) {
		struct drm_panthor_sync_op so0[] = { sync_op(SIGNAL | BINARY, sx, 0),
						     sync_op(SIGNAL | TIMELINE, tl, 1),
						     sync_op(SIGNAL | BINARY, sig, 0) };
		struct drm_panthor_sync_op so1[] = { sync_op(SIGNAL | BINARY, empty, 0) };
		struct drm_panthor_queue_submit jobs[2] = { job(0, gated, so0, ARRAY_SIZE(so0)),
							    job(1, s, so1, ARRAY_SIZE(so1)) };
		static const int errs[] = { EINVAL, ENOENT, EINVAL, EINVAL };

		if (i == 0)
			jobs[1].queue_index = 7;
		else if (i == 1)
			so1[0] = sync_op(WAIT | BINARY, 0xdeadbeef, 0);
		else if (i == 2)
			so1[0].handle = 0xdeadbeef;
		else
			jobs[1].stream_addr += 8;
		submit(fd, e.group, jobs, 2, errs[i]);
		assert_syncs_untouched(fd, sx, sig, tl);
	}

	/*
	 * Nothing ran: a release and a marker job, with an accepted
	 * latest_flush (bit 31 and bits 23:0 are allowed), complete and the
	 * bad store is not there.
	 */
	for (int i = 0; i < 2; i++)
		ok[i] = syncobj_create(fd, 0);
	submit_job(fd, e.group, 1, release, sync_op(SIGNAL | BINARY, ok[0], 0));
	{
		struct drm_panthor_sync_op so[] = { sync_op(SIGNAL | BINARY, ok[1], 0) };
		struct drm_panthor_queue_submit j = job(0, marker, so, 1);

		j.latest_flush = (1u << 31) | 0xffffff;
		submit(fd, e.group, &j, 1, 0);
	}
	wait_signalled(fd, ok[0]);
	wait_signalled(fd, ok[1]);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0x600d);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 0);
	assert_syncs_untouched(fd, sx, sig, tl);
	assert_group_state(fd, e.group, 0, 0);

	destroy_syncobjs(fd, ok, 2);
	{
		const uint32_t all[] = { sx, tl, sig, empty };

		destroy_syncobjs(fd, all, ARRAY_SIZE(all));
	}
	env_fini(fd, &e);
}

static void test_submit_fatal(int fd)
{
	uint32_t sf = syncobj_create(fd, 0), sb = syncobj_create(fd, 0);
	uint32_t sg = syncobj_create(fd, 0), sw = syncobj_create(fd, 0), g2;
	struct stream bad, after, good, blocked;
	struct env e;

	env_init(fd, &e, 2);
	{
		const uint64_t b[] = { STORE32(OFF_RES(0), 1), cs_invalid(),
				       STORE32(OFF_RES(1), 2) };
		const uint64_t a[] = { STORE32(OFF_RES(2), 3) };
		const uint64_t g[] = { STORE32(OFF_RES(3), 4) };
		const uint64_t w[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(4), 5) };

		bad = PUT_STREAM(&e, b);
		after = PUT_STREAM(&e, a);
		good = PUT_STREAM(&e, g);
		blocked = PUT_STREAM(&e, w);
	}
	/* Queue 0 has a job in flight when queue 1 faults. */
	submit_job(fd, e.group, 0, blocked, sync_op(SIGNAL | BINARY, sw, 0));
	assert_pending(fd, sw);
	{
		struct drm_panthor_sync_op so[] = { sync_op(SIGNAL | BINARY, sf, 0),
						    sync_op(SIGNAL | BINARY, sb, 0) };
		struct drm_panthor_queue_submit jobs[] = { job(1, bad, &so[0], 1),
							   job(1, after, &so[1], 1) };

		submit(fd, e.group, jobs, 2, 0);
	}
	wait_signalled(fd, sf);
	wait_signalled(fd, sb);
	/* A fatal queue's fences carry -EINVAL (panthor-uapi.md §7). */
	igt_assert_eq(fence_status(fd, sf), -EINVAL);
	igt_assert_f(fence_status(fd, sb) < 0, "the job behind the fault completed\n");
	/* The group died: the other queue's job is cancelled. */
	wait_signalled(fd, sw);
	igt_assert_eq(fence_status(fd, sw), -ECANCELED);
	igt_assert_eq_u32(read32(&e, OFF_RES(4)), 0);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(1)), 0);
	igt_assert_eq_u32(read32(&e, OFF_RES(2)), 0);
	assert_group_state(fd, e.group, DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 1u << 1);

	/* The group accepts no more jobs, on any queue, empty ones included. */
	igt_panthor_group_submit_simple(fd, e.group, 0, good.va, good.size, sg, EINVAL);
	igt_panthor_group_submit_simple(fd, e.group, 1, good.va, good.size, sg, EINVAL);
	igt_panthor_group_submit_simple(fd, e.group, 0, 0, 0, sg, EINVAL);
	igt_assert_eq(syncobj_wait_err(fd, &sg, 1, 0, 0), -EINVAL);

	/* Another group on the same VM runs. */
	g2 = igt_panthor_group_create_simple(fd, e.vm, 0);
	igt_panthor_group_submit_simple(fd, g2, 0, good.va, good.size, sg, 0);
	wait_signalled(fd, sg);
	igt_assert_eq(fence_status(fd, sg), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(3)), 4);
	assert_group_state(fd, g2, 0, 0);

	/* One CALL more than the call stack holds is fatal too. */
	{
		struct stream deep = nested_calls(&e, CALL_LEVELS + 1, OFF_RES(16));

		syncobj_reset(fd, &sg, 1);
		igt_panthor_group_submit_simple(fd, g2, 0, deep.va, deep.size, sg, 0);
		wait_signalled(fd, sg);
		igt_assert_eq(fence_status(fd, sg), -EINVAL);
		for (uint32_t k = 0; k < CALL_LEVELS; k++)
			igt_assert_eq_u32(read32(&e, OFF_RES(16 + k)), k + 1);
		igt_assert_eq_u32(read32(&e, OFF_RES(16 + CALL_LEVELS)), 0);
		assert_group_state(fd, g2, DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 1u << 0);
	}
	igt_panthor_group_destroy(fd, g2, 0);
	syncobj_destroy(fd, sf);
	syncobj_destroy(fd, sb);
	syncobj_destroy(fd, sg);
	syncobj_destroy(fd, sw);
	env_fini(fd, &e);
}

#define RING_JOBS 5000
#define RING_WAIT_NS (30 * SEC_NS)
#define RING_MAX_NS (20 * SEC_NS)
#define COUNT32 OFF_SYNC(0)
#define COUNT64 OFF_SYNC(1)

static void test_submit_ring_wrap(int fd)
{
	const uint64_t instrs[] = {
		cs_mov48(R_ADDR, DATA_VA + COUNT32),
		cs_mov32(R_VAL, 1),
		cs_sync_add32(CS_SYNC_SCOPE_SYSTEM, false, R_ADDR, R_VAL, 0, 0),
		cs_mov48(R_ADDR, DATA_VA + COUNT64),
		cs_mov48(R_VAL, 3),
		cs_sync_add64(CS_SYNC_SCOPE_SYSTEM, false, R_ADDR, R_VAL, 0, 0),
	};
	uint32_t tl = syncobj_create(fd, 0), batch = 0;
	uint64_t point;
	int64_t start, elapsed;
	struct stream s;
	struct env e;

	/* One queue with the smallest ring: 32 jobs of 16 instructions. */
	env_init(fd, &e, 1);
	s = PUT_STREAM(&e, instrs);
	start = now_ns();
	for (uint32_t i = 0; i < RING_JOBS; i += batch) {
		struct drm_panthor_sync_op so[8];
		struct drm_panthor_queue_submit jobs[8];

		/* Batches of 1 to 8 jobs, one timeline point per job. */
		batch = min_t(uint32_t, 1 + (i % 8), RING_JOBS - i);
		for (uint32_t j = 0; j < batch; j++) {
			so[j] = sync_op(SIGNAL | TIMELINE, tl, i + j + 1);
			jobs[j] = job(0, s, &so[j], 1);
		}
		submit(fd, e.group, jobs, batch, 0);
	}
	igt_assert_f(point_within(fd, tl, RING_JOBS, RING_WAIT_NS),
		     "point %d not signalled within %lld s\n", RING_JOBS, RING_WAIT_NS / SEC_NS);
	elapsed = now_ns() - start;
	igt_info("%d jobs in %.3f s\n", RING_JOBS, elapsed / 1e9);

	/* A job that never ran times its group out; its point signals with an error. */
	{
		struct drm_panthor_group_get_state st;

		igt_panthor_group_get_state(fd, e.group, &st, 0);
		igt_assert_f(!st.state, "group state 0x%x after %u of %d jobs ran\n", st.state,
			     read32(&e, COUNT32), RING_JOBS);
	}
	igt_assert_eq_u32(read32(&e, COUNT32), RING_JOBS);
	igt_assert_eq_u64(read64(&e, COUNT64), 3ull * RING_JOBS);
	syncobj_timeline_query(fd, &tl, &point, 1);
	igt_assert_eq_u64(point, RING_JOBS);
	igt_assert(point_within(fd, tl, RING_JOBS / 2, 0));
	igt_assert_f(elapsed < RING_MAX_NS, "%d jobs took %.3f s\n", RING_JOBS, elapsed / 1e9);
	syncobj_destroy(fd, tl);
	env_fini(fd, &e);
}

/* Below the 5 s job timeout, so the fences must come from the destroy. */
#define DESTROY_NS (3 * SEC_NS)

static void test_destroy_pending(int fd)
{
	/* Done, blocked, behind it, waiting on @other's gated job, that job, its release. */
	enum { DONE, BLOCKED, BEHIND, DEP, OTHER, RELEASE, COUNT };
	const uint32_t gate2 = OFF_SYNC(1);
	struct stream done, blocked, behind, dep, gated, release;
	uint32_t s[COUNT], other, g2;
	int64_t start;
	struct env e;

	for (int i = 0; i < COUNT; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e, 2);
	other = igt_panthor_group_create_queues(fd, e.vm, 2, SZ_4K, 0);
	{
		const uint64_t d[] = { STORE32(OFF_RES(2), 1) };
		const uint64_t b[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(0), 0xbad) };
		const uint64_t n[] = { STORE32(OFF_RES(1), 0xbad) };
		const uint64_t w[] = { STORE32(OFF_RES(3), 0xbad) };
		const uint64_t g[] = { WAIT_GT32(gate2, 0) };

		done = PUT_STREAM(&e, d);
		blocked = PUT_STREAM(&e, b);
		behind = PUT_STREAM(&e, n);
		dep = PUT_STREAM(&e, w);
		gated = PUT_STREAM(&e, g);
		release = release_stream(&e, gate2);
	}
	submit_job(fd, e.group, 1, done, sync_op(SIGNAL | BINARY, s[DONE], 0));
	wait_signalled(fd, s[DONE]);
	/* Two jobs in queue 0's ring, one held back by its dependency. */
	submit_job(fd, e.group, 0, blocked, sync_op(SIGNAL | BINARY, s[BLOCKED], 0));
	submit_job(fd, e.group, 0, behind, sync_op(SIGNAL | BINARY, s[BEHIND], 0));
	submit_job(fd, other, 0, gated, sync_op(SIGNAL | BINARY, s[OTHER], 0));
	submit_job(fd, e.group, 1, dep, sync_op(WAIT | BINARY, s[OTHER], 0),
		   sync_op(SIGNAL | BINARY, s[DEP], 0));
	assert_pending(fd, s[BLOCKED]);
	assert_pending(fd, s[BEHIND]);
	assert_pending(fd, s[DEP]);

	start = now_ns();
	igt_panthor_group_destroy(fd, e.group, 0);
	e.group = 0;
	igt_assert_f(signalled_within(fd, s[BLOCKED], DESTROY_NS) &&
			     signalled_within(fd, s[BEHIND], 0) && signalled_within(fd, s[DEP], 0),
		     "fences of a destroyed group not signalled within %lld ms\n",
		     DESTROY_NS / 1000000);
	igt_debug("signalled %.3f ms after GROUP_DESTROY\n", (now_ns() - start) / 1e6);
	/* Killed neither by a fault nor by a timeout: -ECANCELED. */
	igt_assert_eq(fence_status(fd, s[BLOCKED]), -ECANCELED);
	igt_assert_eq(fence_status(fd, s[BEHIND]), -ECANCELED);
	igt_assert_eq(fence_status(fd, s[DEP]), -ECANCELED);
	igt_assert_eq(fence_status(fd, s[DONE]), 1);

	/* The dependency of the cancelled job signals afterwards: nothing runs. */
	assert_pending(fd, s[OTHER]);
	submit_job(fd, other, 1, release, sync_op(SIGNAL | BINARY, s[RELEASE], 0));
	wait_signalled(fd, s[OTHER]);
	wait_signalled(fd, s[RELEASE]);
	igt_assert_eq(fence_status(fd, s[OTHER]), 1);
	assert_group_state(fd, other, 0, 0);
	igt_panthor_group_destroy(fd, other, 0);
	for (uint32_t i = 0; i < 4; i++)
		igt_assert_eq_u32(read32(&e, OFF_RES(i)), i == 2 ? 1 : 0);

	/* The VM runs new groups. */
	g2 = igt_panthor_group_create_simple(fd, e.vm, 0);
	syncobj_reset(fd, &s[DONE], 1);
	igt_panthor_group_submit_simple(fd, g2, 0, done.va, done.size, s[DONE], 0);
	wait_signalled(fd, s[DONE]);
	igt_assert_eq(fence_status(fd, s[DONE]), 1);
	igt_panthor_group_destroy(fd, g2, 0);
	destroy_syncobjs(fd, s, COUNT);
	env_fini(fd, &e);
}

/* Closing the DRM file with a blocked job: an exported fence still signals. */
static void test_close_pending(int fd)
{
	int fd2 = drm_reopen_driver(fd), sf;
	struct sync_file_info info = {};
	struct pollfd pfd;
	struct stream st;
	uint32_t syncobj;
	struct env e;

	env_init(fd2, &e, 1);
	{
		const uint64_t b[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(0), 0xbad) };

		st = PUT_STREAM(&e, b);
	}
	syncobj = syncobj_create(fd2, 0);
	igt_panthor_group_submit_simple(fd2, e.group, 0, st.va, st.size, syncobj, 0);
	assert_pending(fd2, syncobj);
	sf = syncobj_handle_to_fd(fd2, syncobj, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	/* Mappings hold the file open: it is released with the last of them and the fd. */
	munmap(e.cs.map, e.cs.size);
	munmap(e.data.map, e.data.size);
	drm_close_driver(fd2);

	pfd = (struct pollfd){ .fd = sf, .events = POLLIN };
	igt_assert_f(poll(&pfd, 1, DESTROY_NS / 1000000) == 1,
		     "the fence of a closed file's job not signalled within %lld ms\n",
		     DESTROY_NS / 1000000);
	do_ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	igt_assert_eq(info.status, -ECANCELED);
	close(sf);
}

/*
 * VM_DESTROY unmaps everything while a group holding the VM has a job in
 * flight (panthor-uapi.md §5): the job faults instead of running on or
 * hanging. Its SYNC_WAIT is then released from a second VM mapping the same
 * BOs, so that the blocked CS touches its (now empty) address space even
 * where nothing polls sync objects.
 */
static void test_vm_destroy_inflight(int fd)
{
	uint32_t syncobj = syncobj_create(fd, 0), sr = syncobj_create(fd, 0);
	uint32_t vm2, g2;
	struct stream st, release;
	struct env e;

	env_init(fd, &e, 1);
	{
		const uint64_t b[] = { WAIT_GT32(GATE, 0), STORE32(OFF_RES(0), 0xbad) };

		st = PUT_STREAM(&e, b);
		release = release_stream(&e, GATE);
	}
	igt_panthor_vm_create(fd, &vm2, 0);
	igt_panthor_vm_bind(fd, vm2, e.cs.handle, CS_VA, e.cs.size, MAP, 0);
	igt_panthor_vm_bind(fd, vm2, e.data.handle, DATA_VA, e.data.size, MAP, 0);
	g2 = igt_panthor_group_create_simple(fd, vm2, 0);

	igt_panthor_group_submit_simple(fd, e.group, 0, st.va, st.size, syncobj, 0);
	assert_pending(fd, syncobj);
	igt_panthor_vm_destroy(fd, e.vm, 0);
	igt_panthor_group_submit_simple(fd, g2, 0, release.va, release.size, sr, 0);
	wait_signalled(fd, sr);
	igt_assert_eq(fence_status(fd, sr), 1);
	wait_signalled(fd, syncobj);
	igt_assert_f(fence_status(fd, syncobj) < 0, "a job on a destroyed VM completed\n");
	igt_assert_eq_u32(read32(&e, GATE), 1);
	igt_assert_eq_u32(read32(&e, OFF_RES(0)), 0);
	igt_panthor_vm_destroy(fd, e.vm, EINVAL);

	igt_panthor_group_destroy(fd, g2, 0);
	igt_panthor_vm_destroy(fd, vm2, 0);
	igt_panthor_group_destroy(fd, e.group, 0);
	syncobj_destroy(fd, syncobj);
	syncobj_destroy(fd, sr);
	igt_panthor_free_bo(fd, &e.cs);
	igt_panthor_free_bo(fd, &e.data);
}

static void assert_vm_usable(int fd, uint32_t vm)
{
	struct drm_panthor_vm_get_state st = { .vm_id = vm };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	igt_assert_eq_u32(st.state, DRM_PANTHOR_VM_STATE_USABLE);
}

/*
 * An asynchronous MAP, itself held back by a blocked job, gates a job
 * storing into the BO it maps.
 */
static void bind_gates_submit(int fd)
{
	uint32_t s[4]; /* gate job, bind, store job, release */
	struct stream gate, store, release;
	struct panthor_bo x;
	struct env e;

	for (int i = 0; i < 4; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e, 3);
	igt_panthor_bo_create_mapped(fd, &x, SZ_4K, 0, 0);
	{
		const uint64_t g[] = { WAIT_GT32(GATE, 0) };
		const uint64_t st[] = {
			cs_mov48(R_ADDR, EXTRA_VA),
			cs_mov32(R_VAL, 0xcafe),
			cs_stm32(R_ADDR, R_VAL, 0),
			cs_wait(SB_LS, false),
		};

		gate = PUT_STREAM(&e, g);
		store = PUT_STREAM(&e, st);
		release = release_stream(&e, GATE);
	}
	submit_job(fd, e.group, 1, gate, sync_op(SIGNAL | BINARY, s[0], 0));
	{
		struct drm_panthor_sync_op bs[] = { sync_op(WAIT | BINARY, s[0], 0),
						    sync_op(SIGNAL | BINARY, s[1], 0) };

		igt_panthor_vm_bind_async(fd, e.vm, x.handle, EXTRA_VA, x.size, MAP, bs,
					  ARRAY_SIZE(bs), 0);
	}
	submit_job(fd, e.group, 0, store, sync_op(WAIT | BINARY, s[1], 0),
		   sync_op(SIGNAL | BINARY, s[2], 0));
	assert_pending(fd, s[1]);
	assert_pending(fd, s[2]);

	submit_job(fd, e.group, 2, release, sync_op(SIGNAL | BINARY, s[3], 0));
	wait_signalled(fd, s[2]);
	for (int i = 0; i < 4; i++)
		igt_assert_eq(fence_status(fd, s[i]), 1);
	igt_assert_eq_u32(__atomic_load_n((uint32_t *)x.map, __ATOMIC_ACQUIRE), 0xcafe);
	assert_group_state(fd, e.group, 0, 0);
	assert_vm_usable(fd, e.vm);

	igt_panthor_vm_bind(fd, e.vm, 0, EXTRA_VA, x.size, UNMAP, 0);
	igt_panthor_free_bo(fd, &x);
	destroy_syncobjs(fd, s, 4);
	env_fini(fd, &e);
}

/* A blocked job storing into a BO gates the asynchronous UNMAP of that BO. */
static void submit_gates_unmap(int fd)
{
	uint32_t s[3]; /* store job, unmap, release */
	struct stream store, release;
	struct panthor_bo x;
	struct env e;

	for (int i = 0; i < 3; i++)
		s[i] = syncobj_create(fd, 0);
	env_init(fd, &e, 2);
	igt_panthor_bo_create_mapped(fd, &x, SZ_4K, 0, 0);
	igt_panthor_vm_bind(fd, e.vm, x.handle, EXTRA_VA, x.size, MAP, 0);
	{
		const uint64_t st[] = {
			WAIT_GT32(GATE, 0),	 cs_mov48(R_ADDR, EXTRA_VA),
			cs_mov32(R_VAL, 0xf00d), cs_stm32(R_ADDR, R_VAL, 0),
			cs_wait(SB_LS, false),
		};

		store = PUT_STREAM(&e, st);
		release = release_stream(&e, GATE);
	}
	submit_job(fd, e.group, 0, store, sync_op(SIGNAL | BINARY, s[0], 0));
	{
		struct drm_panthor_sync_op bs[] = { sync_op(WAIT | BINARY, s[0], 0),
						    sync_op(SIGNAL | BINARY, s[1], 0) };

		igt_panthor_vm_bind_async(fd, e.vm, 0, EXTRA_VA, x.size, UNMAP, bs, ARRAY_SIZE(bs),
					  0);
	}
	assert_pending(fd, s[1]);
	assert_pending(fd, s[0]);

	submit_job(fd, e.group, 1, release, sync_op(SIGNAL | BINARY, s[2], 0));
	wait_signalled(fd, s[1]);
	/* The unmap waited for the job, which found its mapping. */
	igt_assert(signalled_within(fd, s[0], 0));
	for (int i = 0; i < 3; i++)
		igt_assert_eq(fence_status(fd, s[i]), 1);
	igt_assert_eq_u32(__atomic_load_n((uint32_t *)x.map, __ATOMIC_ACQUIRE), 0xf00d);
	assert_group_state(fd, e.group, 0, 0);
	assert_vm_usable(fd, e.vm);

	igt_panthor_free_bo(fd, &x);
	destroy_syncobjs(fd, s, 3);
	env_fini(fd, &e);
}

#define MANY_GROUPS 24

/*
 * Three times as many groups as the G610 firmware has CSG slots, each
 * with a job, in one go: slots are handed on as groups finish.
 */
static void test_submit_many_groups(int fd)
{
	struct drm_panthor_csif_info csif = {};
	uint32_t groups[MANY_GROUPS], s[MANY_GROUPS];
	struct env e;

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &csif, sizeof(csif), 0);
	igt_require(csif.csg_slot_count < MANY_GROUPS && csif.cs_slot_count <= MANY_GROUPS);
	env_init(fd, &e, 1);
	groups[0] = e.group;
	for (int g = 1; g < MANY_GROUPS; g++)
		groups[g] = igt_panthor_group_create_simple(fd, e.vm, 0);
	for (int g = 0; g < MANY_GROUPS; g++) {
		const uint64_t instrs[] = { STORE32(OFF_RES(g), g + 1) };
		struct stream st = PUT_STREAM(&e, instrs);

		s[g] = syncobj_create(fd, 0);
		igt_panthor_group_submit_simple(fd, groups[g], 0, st.va, st.size, s[g], 0);
	}
	for (int g = 0; g < MANY_GROUPS; g++) {
		wait_signalled(fd, s[g]);
		igt_assert_eq(fence_status(fd, s[g]), 1);
		igt_assert_eq_u32(read32(&e, OFF_RES(g)), g + 1);
		assert_group_state(fd, groups[g], 0, 0);
	}
	for (int g = 1; g < MANY_GROUPS; g++)
		igt_panthor_group_destroy(fd, groups[g], 0);
	destroy_syncobjs(fd, s, MANY_GROUPS);
	env_fini(fd, &e);

	/* One group with a queue on every CS of its CSG, a job on each at once. */
	env_init(fd, &e, csif.cs_slot_count);
	{
		struct drm_panthor_sync_op so[MAX_QUEUES];
		struct drm_panthor_queue_submit jobs[MAX_QUEUES];

		igt_assert(csif.cs_slot_count <= MAX_QUEUES);
		for (uint32_t q = 0; q < csif.cs_slot_count; q++) {
			const uint64_t instrs[] = { STORE32(OFF_RES(q), q + 1) };

			s[q] = syncobj_create(fd, 0);
			so[q] = sync_op(SIGNAL | BINARY, s[q], 0);
			jobs[q] = job(q, PUT_STREAM(&e, instrs), &so[q], 1);
		}
		submit(fd, e.group, jobs, csif.cs_slot_count, 0);
	}
	for (uint32_t q = 0; q < csif.cs_slot_count; q++) {
		wait_signalled(fd, s[q]);
		igt_assert_eq(fence_status(fd, s[q]), 1);
		igt_assert_eq_u32(read32(&e, OFF_RES(q)), q + 1);
	}
	assert_group_state(fd, e.group, 0, 0);
	destroy_syncobjs(fd, s, csif.cs_slot_count);
	env_fini(fd, &e);
}

/*
 * Every CSG slot held by a group blocked in SYNC_WAIT, and one more group
 * whose job releases them: the scheduler must rotate it in (panthor's tick)
 * rather than let it wait for a blocked group to time out.
 */
static void test_submit_blocked_groups(int fd)
{
	struct drm_panthor_csif_info csif = {};
	uint32_t groups[MANY_GROUPS], s[MANY_GROUPS], n;
	struct stream gated, release;
	struct env e;

	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &csif, sizeof(csif), 0);
	n = csif.csg_slot_count + 1;
	igt_require(n <= MANY_GROUPS);
	env_init(fd, &e, 1);
	{
		const uint64_t g[] = { WAIT_GT32(GATE, 0), cs_mov48(R_ADDR, DATA_VA + OFF_COUNTER),
				       cs_mov32(R_VAL, 1),
				       cs_sync_add32(CS_SYNC_SCOPE_SYSTEM, true, R_ADDR, R_VAL, 0,
						     0) };

		gated = PUT_STREAM(&e, g);
		release = release_stream(&e, GATE);
	}
	groups[0] = e.group;
	for (uint32_t g = 1; g < n; g++)
		groups[g] = igt_panthor_group_create_simple(fd, e.vm, 0);
	for (uint32_t g = 0; g < n - 1; g++) {
		s[g] = syncobj_create(fd, 0);
		igt_panthor_group_submit_simple(fd, groups[g], 0, gated.va, gated.size, s[g], 0);
	}
	assert_pending(fd, s[0]);
	s[n - 1] = syncobj_create(fd, 0);
	igt_panthor_group_submit_simple(fd, groups[n - 1], 0, release.va, release.size, s[n - 1],
					0);
	for (uint32_t g = 0; g < n; g++) {
		wait_signalled(fd, s[g]);
		igt_assert_eq(fence_status(fd, s[g]), 1);
	}
	igt_assert_eq_u32(read32(&e, OFF_COUNTER), n - 1);
	/* Nobody timed out: the release did not wait for a slot to die. */
	for (uint32_t g = 0; g < n; g++)
		assert_group_state(fd, groups[g], 0, 0);
	for (uint32_t g = 1; g < n; g++)
		igt_panthor_group_destroy(fd, groups[g], 0);
	destroy_syncobjs(fd, s, n);
	env_fini(fd, &e);
}

int igt_main()
{
	struct drm_panthor_gpu_info info;
	int fd = -1;
	uint32_t vm = 0;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		info = gpu_info(fd);
		vm = vm_create(fd);
	}

	igt_describe("Create a group with one 4 KiB queue on a fresh VM, then destroy it "
		     "(upstream group_create without the submission).");
	igt_subtest("group_create") {
		struct drm_panthor_queue_create q;
		uint32_t fresh = vm_create(fd);
		struct drm_panthor_group_create c = group_args(fd, fresh, &q);

		group_destroy(fd, group_create(fd, &c, 0), 0);
		vm_destroy(fd, fresh);
	}

	igt_describe("queues.count must be 1..32 (EINVAL) and, our choice, at most the "
		     "firmware's CSs per group (8).");
	igt_subtest("group-create-queue-count") {
		struct drm_panthor_queue_create qs[MAX_QUEUES + 1];

		for (int i = 0; i <= MAX_QUEUES; i++)
			qs[i] = (struct drm_panthor_queue_create){ .ringbuf_size = SZ_4K };
		expect_create(fd, vm, EINVAL, c.queues.count = 0);
		/* Count 0 is refused before the array is looked at. */
		expect_create(fd, vm, EINVAL, (c.queues.count = 0, c.queues.array = 16));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      MAX_QUEUES + 1, qs));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      CS_SLOTS + 1, qs));
		expect_create(fd, vm, EINVAL,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      MAX_QUEUES, qs));
		expect_create(fd, vm, 0,
			      c.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(
				      CS_SLOTS, qs));
	}

	igt_describe("The queue array follows the obj_array rules: short stride EINVAL, "
		     "non-zero tail E2BIG, zero tail accepted, bad pointer EFAULT.");
	igt_subtest("group-create-queue-array") {
		struct {
			struct drm_panthor_queue_create q;
			uint64_t tail;
		} big = { .q = { .ringbuf_size = SZ_4K } };

		expect_create(fd, vm, EINVAL, c.queues.stride = QUEUE_MIN_SIZE - 1);
		expect_create(fd, vm, EINVAL, c.queues.stride = 0);
		expect_create(fd, vm, 0,
			      (c.queues.stride = sizeof(big), c.queues.array = (uintptr_t)&big));
		big.tail = 1;
		expect_create(fd, vm, E2BIG,
			      (c.queues.stride = sizeof(big), c.queues.array = (uintptr_t)&big));
		expect_create(fd, vm, EFAULT, c.queues.array = 16);
		/* The array is copied before the group priority is checked. */
		expect_create(fd, vm, EFAULT, (c.queues.array = 16, c.priority = 4));
	}

	igt_describe("Group priority above REALTIME is EINVAL, before pad and masks.");
	igt_subtest("group-create-priority") {
		expect_create(fd, vm, EINVAL, c.priority = PANTHOR_GROUP_PRIORITY_REALTIME + 1);
		expect_create(fd, vm, EINVAL, c.priority = 0xff);
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_LOW);
	}

	igt_describe("Root may create HIGH and REALTIME groups.");
	igt_subtest("group-create-priority-privileged") {
		igt_require_f(getuid() == 0, "needs root (CAP_SYS_NICE)\n");
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_HIGH);
		expect_create(fd, vm, 0, c.priority = PANTHOR_GROUP_PRIORITY_REALTIME);
	}

	igt_describe("A non-zero pad is EINVAL.");
	igt_subtest("group-create-pad") {
		expect_create(fd, vm, EINVAL, c.pad = 1);
		expect_create(fd, vm, EINVAL, (c.pad = 1, c.vm_id = 0));
	}

	igt_describe("Core masks must be subsets of SHADER_PRESENT / TILER_PRESENT and have "
		     "at least max_*_cores bits (EINVAL).");
	igt_subtest("group-create-core-masks") {
		uint64_t no_shader = ~info.shader_present & -~info.shader_present;
		uint64_t no_tiler = ~info.tiler_present & -~info.tiler_present;

		expect_create(fd, vm, EINVAL, c.compute_core_mask |= no_shader);
		expect_create(fd, vm, EINVAL, c.fragment_core_mask |= no_shader);
		expect_create(fd, vm, EINVAL, c.tiler_core_mask |= no_tiler);
		expect_create(fd, vm, EINVAL, c.tiler_core_mask = info.shader_present);
		expect_create(fd, vm, EINVAL, c.max_compute_cores = 2);
		expect_create(fd, vm, EINVAL, c.max_fragment_cores = 2);
		expect_create(fd, vm, EINVAL, c.max_tiler_cores = 2);
		expect_create(fd, vm, 0,
			      (c.compute_core_mask = c.fragment_core_mask = info.shader_present,
			       c.max_compute_cores = c.max_fragment_cores =
				       __builtin_popcountll(info.shader_present)));
		/* Masks come before the VM. */
		expect_create(fd, vm, EINVAL, (c.max_tiler_cores = 2, c.vm_id = 0));
	}

	igt_describe("An unknown or destroyed VM is EINVAL.");
	igt_subtest("group-create-invalid-vm") {
		uint32_t gone = vm_create(fd);

		vm_destroy(fd, gone);
		expect_create(fd, vm, EINVAL, c.vm_id = 0);
		expect_create(fd, vm, EINVAL, c.vm_id = 0xdeadbeef);
		expect_create(fd, vm, EINVAL, c.vm_id = gone);
	}

	igt_describe("Per queue: pad, ring size (power of two in 4..64 KiB) and priority "
		     "(0..15) are checked (EINVAL).");
	igt_subtest("group-create-invalid-queue") {
		struct drm_panthor_queue_create qs[2] = {
			{ .ringbuf_size = SZ_4K },
			{ .ringbuf_size = SZ_4K },
		};
		static const uint32_t bad_sizes[] = { 0,	 8,	     2048,	 SZ_4K + 1,
						      3 * SZ_4K, 2 * SZ_64K, 0x80000000u };

		expect_create(fd, vm, EINVAL, q.pad[0] = 1);
		expect_create(fd, vm, EINVAL, q.pad[2] = 0x80);
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_sizes); i++)
			expect_create(fd, vm, EINVAL, q.ringbuf_size = bad_sizes[i]);
		expect_create(fd, vm, EINVAL, q.priority = 16);
		expect_create(fd, vm, EINVAL, q.priority = 0xff);
		expect_create(fd, vm, 0, q.priority = 15);
		expect_create(fd, vm, 0, q.ringbuf_size = SZ_64K);
		expect_create(fd, vm, 0, q.ringbuf_size = 8 * SZ_4K);
		/* The VM is looked up before the queues are checked. */
		expect_create(fd, vm, EINVAL, (q.ringbuf_size = 0, c.vm_id = 0));
		/* A bad second queue fails the whole group. */
		qs[1].ringbuf_size = 0;
		expect_create(fd, vm, EINVAL,
			      c.queues =
				      (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, qs));
		qs[1].ringbuf_size = SZ_64K;
		expect_create(fd, vm, 0,
			      c.queues =
				      (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(2, qs));
	}

	igt_describe("128 groups per file (handles 1..128); the 129th is EBUSY; a freed "
		     "handle is reused.");
	igt_subtest("group-create-max") {
		uint32_t handles[MAX_GROUPS];
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c;

		for (int i = 0; i < MAX_GROUPS; i++) {
			c = group_args(fd, vm, &q);
			handles[i] = group_create(fd, &c, 0);
			igt_assert_eq_u32(handles[i], i + 1);
		}
		c = group_args(fd, vm, &q);
		group_create(fd, &c, EBUSY);
		group_destroy(fd, handles[41], 0);
		c = group_args(fd, vm, &q);
		igt_assert_eq_u32(group_create(fd, &c, 0), handles[41]);
		for (int i = 0; i < MAX_GROUPS; i++)
			group_destroy(fd, handles[i], 0);
	}

	igt_describe("GROUP_DESTROY: pad or unknown handle is EINVAL; destroying twice is "
		     "EINVAL.");
	igt_subtest("group-destroy-invalid") {
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_group_destroy d = { .group_handle = g, .pad = 1 };

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), EINVAL);
		group_destroy(fd, 0, EINVAL);
		group_destroy(fd, MAX_GROUPS + 1, EINVAL);
		group_destroy(fd, 0xdeadbeef, EINVAL);
		group_destroy(fd, g, 0);
		group_destroy(fd, g, EINVAL);
	}

	igt_describe("GROUP_GET_STATE of a fresh group: the whole struct zeroed (handle "
		     "included), no error flags; pad or unknown handle is EINVAL.");
	igt_subtest("group-get-state") {
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_group_get_state s = { .group_handle = g, .pad = 1 };
		static const struct drm_panthor_group_get_state zero;

		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), EINVAL);
		igt_assert_eq_u32(s.group_handle, g);
		s = get_state(fd, g, 0);
		igt_assert(!memcmp(&s, &zero, sizeof(s)));
		get_state(fd, 0, EINVAL);
		get_state(fd, g + 1, EINVAL);
		group_destroy(fd, g, 0);
		get_state(fd, g, EINVAL);
	}

	igt_describe("Group handles belong to their file: another file has its own 1..128.");
	igt_subtest("group-handles-per-file") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint32_t vm2 = vm_create(fd2);
		struct drm_panthor_queue_create q, q2;
		struct drm_panthor_group_create c = group_args(fd, vm, &q);
		struct drm_panthor_group_create c2 = group_args(fd2, vm2, &q2);
		uint32_t g = group_create(fd, &c, 0), g2;

		/* A VM id of the other file is unknown here. */
		c2.vm_id = vm2 + 7;
		group_create(fd2, &c2, EINVAL);
		c2.vm_id = vm2;
		g2 = group_create(fd2, &c2, 0);
		igt_assert_eq_u32(g, g2);
		group_destroy(fd2, g2, 0);
		get_state(fd, g, 0);
		get_state(fd2, g2, EINVAL);
		/* Closing a file with live groups releases them. */
		g2 = group_create(fd2, &c2, 0);
		close(fd2);
		group_destroy(fd, g, 0);
	}

	igt_describe("VM_DESTROY while a group holds the VM: the group lives on, its state "
		     "still reads, it can be destroyed; the VM id is gone.");
	igt_subtest("group-vm-destroy-while-held") {
		uint32_t held = vm_create(fd);
		struct drm_panthor_queue_create q;
		struct drm_panthor_group_create c = group_args(fd, held, &q);
		uint32_t g = group_create(fd, &c, 0);
		struct drm_panthor_vm_get_state vs = { .vm_id = held };

		vm_destroy(fd, held);
		igt_assert_eq(ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs), EINVAL);
		get_state(fd, g, 0);
		c = group_args(fd, held, &q);
		group_create(fd, &c, EINVAL);
		group_destroy(fd, g, 0);
	}

	igt_describe("Upstream's group_submit: a stream storing 0xdeadbeef (MOVE48, MOVE32, "
		     "STORE_MULTIPLE, WAIT, FLUSH_CACHE2, WAIT) signals a syncobj; the CPU "
		     "reads the value through its mapping.");
	igt_subtest("group-submit") {
		test_submit(fd);
	}

	igt_describe("A counted loop (ADD_IMMEDIATE32/64 and a backward BRANCH NEQUAL) runs "
		     "1000 times; every BRANCH condition is taken or not as the signed value "
		     "says.");
	igt_subtest("group-submit-loop") {
		test_submit_loop(fd);
	}

	igt_describe("CALL into a second and a third stream and JUMP chains at two levels: "
		     "every level stores in order, nothing after a JUMP runs; CALLs nest as "
		     "deep as the 8-frame call stack allows.");
	igt_subtest("group-submit-call-jump") {
		test_submit_call_jump(fd);
	}

	igt_describe("Queue 0 SYNC_WAITs (32/64-bit, GT/LE) on values queue 1 then sets with "
		     "SYNC_SET/SYNC_ADD 32/64, in one submit or with the waiter submitted first "
		     "and still pending.");
	igt_subtest_with_dynamic("group-submit-sync-wait-queue") {
		igt_dynamic("one-submit") {
			sync_wait_queue(fd, false);
		}
		igt_dynamic("waiter-first") {
			sync_wait_queue(fd, true);
		}
	}

	igt_describe("A job SYNC_WAITs on BO words the CPU then writes through its mapping; "
		     "its fence signals after the last write and not before.");
	igt_subtest("group-submit-sync-wait-cpu") {
		test_submit_sync_wait_cpu(fd);
	}

	igt_describe("Jobs chained through syncobj WAIT/SIGNAL ops run in chain order while "
		     "the first is blocked: binary across queues, timeline points across "
		     "groups, and binary and timeline inside one GROUP_SUBMIT; a WAIT on what "
		     "a later job of the batch signals takes the fence the syncobj had.");
	igt_subtest_with_dynamic("group-submit-deps") {
		igt_dynamic("binary-queues") {
			deps_binary_queues(fd);
		}
		igt_dynamic("timeline-groups") {
			deps_timeline_groups(fd);
		}
		igt_dynamic("same-submit") {
			deps_same_submit(fd);
		}
		igt_dynamic("later-signal") {
			deps_later_signal(fd);
		}
		igt_dynamic("ping-pong") {
			deps_ping_pong(fd);
		}
	}

	igt_describe("A job with stream_size 0 is a sync point: on an idle queue it signals "
		     "at once, behind a blocked job only after it (also when waiting on it "
		     "from another queue).");
	igt_subtest("group-submit-empty") {
		test_submit_empty(fd);
	}

	igt_describe("Every GROUP_SUBMIT argument rule with its errno (pads, arrays, stream "
		     "size/address, latest_flush, group, queue, sync ops), count 0 succeeds, "
		     "and a failing batch submits nothing and touches no syncobj.");
	igt_subtest("group-submit-invalid") {
		test_submit_invalid(fd);
	}

	igt_describe("An undefined opcode: the job's fence and the one behind it carry an "
		     "error, the other queue's job is cancelled, GROUP_GET_STATE reports "
		     "FATAL_FAULT on that queue, the group takes no more jobs, another group "
		     "on the VM still runs; overflowing the call stack is fatal too.");
	igt_subtest("group-submit-fatal") {
		test_submit_fatal(fd);
	}

	igt_describe("5000 jobs on one queue with a 4 KiB ring (32 jobs deep), one timeline "
		     "point each, in batches of 1 to 8: every SYNC_ADD lands and every point "
		     "signals, in a few seconds.");
	igt_subtest("group-submit-ring-wrap") {
		test_submit_ring_wrap(fd);
	}

	igt_describe("GROUP_DESTROY with a job blocked in SYNC_WAIT, one behind it and one "
		     "waiting on another group: their fences signal with -ECANCELED well "
		     "before the job timeout, the dependency signalling later runs nothing, "
		     "a finished job keeps its status.");
	igt_subtest("group-destroy-pending") {
		test_destroy_pending(fd);
	}

	igt_describe("24 groups (three times the CSG slots) on one VM each run a job at "
		     "once: every job completes as slots are handed on; a group with a queue "
		     "on each of the 8 CSs of a CSG runs a job on every queue.");
	igt_subtest("group-submit-many-groups") {
		test_submit_many_groups(fd);
	}

	igt_describe("Every CSG slot taken by a group blocked in SYNC_WAIT: one more group's "
		     "job still runs and releases them, and no group times out.");
	igt_subtest("group-submit-blocked-groups") {
		test_submit_blocked_groups(fd);
	}

	igt_describe("Closing the DRM file while a job is blocked in SYNC_WAIT: its fence, "
		     "exported as a sync_file, signals with -ECANCELED.");
	igt_subtest("group-close-pending") {
		test_close_pending(fd);
	}

	igt_describe("VM_DESTROY while a job of a group holding the VM is blocked in "
		     "SYNC_WAIT: the job's fence signals with an error, nothing more runs.");
	igt_subtest("group-submit-vm-destroy") {
		test_vm_destroy_inflight(fd);
	}

	igt_describe("An asynchronous VM_BIND MAP gates a job using the new mapping; a job "
		     "gates an asynchronous UNMAP of a BO it writes.");
	igt_subtest_with_dynamic("group-bind-fences") {
		igt_dynamic("bind-gates-submit") {
			bind_gates_submit(fd);
		}
		igt_dynamic("submit-gates-unmap") {
			submit_gates_unmap(fd);
		}
	}

	igt_fixture() {
		vm_destroy(fd, vm);
		drm_close_driver(fd);
	}
}
