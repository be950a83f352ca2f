// SPDX-License-Identifier: MIT
/*
 * Fuzz-style tests of the memory uAPI through the device host, as a normal
 * client: deterministic random sequences of BO_CREATE, GEM_CLOSE,
 * BO_MMAP_OFFSET, mmap/munmap, BO_SET_LABEL, BO_QUERY_INFO, BO_SYNC,
 * VM_CREATE, VM_DESTROY, VM_BIND and VM_GET_STATE, interleaved, with
 * plausible arguments, random ones and hostile argument words. Every call
 * must succeed or fail with an errno the uAPI allows for that ioctl; the
 * device must answer afterwards; and once everything is closed the debugfs
 * "gems" listing must hold no BO of this process (host-side leak check).
 *
 * User pointers handed to the driver are either this process's own buffers
 * (which the driver may read or write freely) or hostile words that are
 * never valid user pointers (0, small integers, kernel-half addresses).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION(
	"Random sequences of the panthor memory ioctls fail cleanly and leak nothing.");

#define PAGE 4096ull
#define GEMS_PATH "/sys/kernel/debug/dri/0/gems"
#define MAX_BOS 24
#define MAX_VMS 6
#define MAX_MAPS 8
#define MAX_BIND_OPS 64
#define BIND_VA_BASE (1ull << 32)
#define BIND_VA_WINDOW (64ull << 20)

#define STAT_GEM_CLOSE (DRM_PANTHOR_BO_QUERY_INFO + 1)
#define STAT_MMAP (STAT_GEM_CLOSE + 1)
#define STAT_SLOTS (STAT_MMAP + 1)

/* errno bit sets: each ioctl's allowed failures. */
#define E(x) (1ull << (x))

struct fuzz_bo {
	uint32_t handle;
	uint64_t size;
	uint32_t flags;
};

struct fuzz_map {
	void *ptr;
	size_t len;
};

struct fuzz {
	int fd;
	uint64_t seed;
	/* how often (out of 16) an argument is replaced by hostile words */
	unsigned int hostile;
	struct fuzz_bo bos[MAX_BOS];
	unsigned int nr_bos;
	uint32_t vms[MAX_VMS];
	unsigned int nr_vms;
	struct fuzz_map maps[MAX_MAPS];
	unsigned int nr_maps;
	/* this process's own scratch memory for arrays and strings */
	struct drm_panthor_vm_bind_op ops[MAX_BIND_OPS * 2];
	struct drm_panthor_sync_op syncs[8];
	struct drm_panthor_bo_sync_op bo_syncs[16];
	char label[5000];
	unsigned int calls, failures;
	/* successes and failures per ioctl (panthor nr, then GEM_CLOSE, mmap) */
	unsigned int ok[STAT_SLOTS], failed[STAT_SLOTS];
};

/* xorshift64, as core_device's ioctl-fuzz: failures must reproduce. */
static uint64_t rnd(struct fuzz *f)
{
	uint64_t x = f->seed;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	f->seed = x;
	return x;
}

static uint64_t rnd_below(struct fuzz *f, uint64_t n)
{
	return n ? rnd(f) % n : 0;
}

static bool chance(struct fuzz *f, unsigned int in16)
{
	return (rnd(f) & 15) < in16;
}

/* Never a valid user pointer: 0, a small integer or a kernel-half address. */
static uint64_t hostile_word(struct fuzz *f)
{
	uint64_t r = rnd(f);

	switch (r & 3) {
	case 0:
		return 0;
	case 1:
		return (r >> 8) & 0xfff;
	case 2:
		return 0xffff800000000000ull | (r >> 20);
	default:
		return (r >> 2) | (1ull << 63);
	}
}

static void hostile_fill(struct fuzz *f, void *arg, size_t len)
{
	uint64_t *w = arg;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = hostile_word(f);
}

static bool hostile(struct fuzz *f)
{
	return chance(f, f->hostile);
}

/* A pointer to this process's own @buf, or (sometimes) a hostile word. */
static uint64_t user_ptr(struct fuzz *f, const void *buf)
{
	return hostile(f) ? hostile_word(f) : (uint64_t)(uintptr_t)buf;
}

/* Run one ioctl: 0, or -1 with an errno in @allowed; returns 0 or the errno. */
static int fuzz_ioctl(struct fuzz *f, unsigned long req, void *arg, uint64_t allowed,
		      const char *what)
{
	int ret = igt_ioctl(f->fd, req, arg);
	int err = ret ? errno : 0;
	unsigned int nr =
		_IOC_NR(req) >= DRM_COMMAND_BASE ? _IOC_NR(req) - DRM_COMMAND_BASE : STAT_GEM_CLOSE;

	f->calls++;
	if (nr < STAT_SLOTS)
		(err ? f->failed : f->ok)[nr]++;
	igt_assert_f(ret == 0 || ret == -1, "%s returned %d\n", what, ret);
	if (!ret)
		return 0;
	f->failures++;
	igt_assert_f(err > 0 && err < 64 && (allowed & E(err)),
		     "%s failed with unexpected errno %d (%s), call %u\n", what, err, strerror(err),
		     f->calls);
	return err;
}

static struct fuzz_bo *find_bo(struct fuzz *f, uint32_t handle)
{
	for (unsigned int i = 0; i < f->nr_bos; i++)
		if (f->bos[i].handle == handle)
			return &f->bos[i];
	return NULL;
}

static int find_vm(struct fuzz *f, uint32_t id)
{
	for (unsigned int i = 0; i < f->nr_vms; i++)
		if (f->vms[i] == id)
			return (int)i;
	return -1;
}

/* A live handle mostly, sometimes a stale or random one. */
static uint32_t pick_handle(struct fuzz *f)
{
	if (f->nr_bos && !chance(f, 3))
		return f->bos[rnd_below(f, f->nr_bos)].handle;
	return chance(f, 8) ? (uint32_t)rnd_below(f, 64) : (uint32_t)rnd(f);
}

static uint32_t pick_vm(struct fuzz *f)
{
	if (f->nr_vms && !chance(f, 3))
		return f->vms[rnd_below(f, f->nr_vms)];
	return chance(f, 8) ? (uint32_t)rnd_below(f, 40) : (uint32_t)rnd(f);
}

static uint64_t pick_size(struct fuzz *f)
{
	switch (rnd_below(f, 8)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd_below(f, 3 * PAGE);
	case 2:
		return (2ull << 20) + PAGE * rnd_below(f, 4);
	case 3:
		return rnd(f);
	default:
		return PAGE * (1 + rnd_below(f, 32));
	}
}

static void forget_bo(struct fuzz *f, uint32_t handle)
{
	struct fuzz_bo *bo = find_bo(f, handle);

	if (bo)
		*bo = f->bos[--f->nr_bos];
}

static void fuzz_gem_close(struct fuzz *f, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	igt_assert_eq(fuzz_ioctl(f, DRM_IOCTL_GEM_CLOSE, &arg, 0, "GEM_CLOSE"), 0);
	forget_bo(f, handle);
}

static void op_bo_create(struct fuzz *f)
{
	struct drm_panthor_bo_create arg = {};
	static const uint32_t flag_choices[] = {
		0,
		DRM_PANTHOR_BO_NO_MMAP,
		DRM_PANTHOR_BO_WB_MMAP,
		DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP,
	};

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.size = pick_size(f);
		arg.flags = chance(f, 1) ? (uint32_t)rnd(f) : flag_choices[rnd_below(f, 4)];
		if (chance(f, 3))
			arg.exclusive_vm_id = pick_vm(f);
		if (chance(f, 1))
			arg.pad = (uint32_t)rnd(f);
	}
	if (f->nr_bos == MAX_BOS)
		fuzz_gem_close(f, f->bos[rnd_below(f, f->nr_bos)].handle);
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_CREATE, &arg, E(EINVAL) | E(ENOMEM), "BO_CREATE"))
		return;
	igt_assert_neq(arg.handle, 0);
	igt_assert(arg.size % PAGE == 0 && arg.size > 0);
	igt_assert(!find_bo(f, arg.handle));
	f->bos[f->nr_bos++] = (struct fuzz_bo){
		.handle = arg.handle,
		.size = arg.size,
		.flags = arg.flags,
	};
}

static void op_gem_close(struct fuzz *f)
{
	struct drm_gem_close arg = { .handle = pick_handle(f) };

	if (chance(f, 1))
		arg.pad = (uint32_t)rnd(f);
	/* A non-zero pad is ignored by the DRM core, as on Linux. */
	if (!fuzz_ioctl(f, DRM_IOCTL_GEM_CLOSE, &arg, E(EINVAL), "GEM_CLOSE")) {
		igt_assert_f(find_bo(f, arg.handle), "GEM_CLOSE of unknown handle %u worked\n",
			     arg.handle);
		forget_bo(f, arg.handle);
	}
}

static void op_mmap_offset(struct fuzz *f)
{
	struct drm_panthor_bo_mmap_offset arg = {};
	struct fuzz_bo *bo;

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.handle = pick_handle(f);
		if (chance(f, 1))
			arg.pad = (uint32_t)rnd(f);
	}
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg, E(EINVAL) | E(ENOENT) | E(EPERM),
		       "BO_MMAP_OFFSET"))
		return;
	bo = find_bo(f, arg.handle);
	igt_assert(bo && !(bo->flags & DRM_PANTHOR_BO_NO_MMAP));
	igt_assert(arg.offset % PAGE == 0 && arg.offset);
}

static void unmap_some(struct fuzz *f, unsigned int i, bool all)
{
	struct fuzz_map *m = &f->maps[i];
	size_t pages = m->len / PAGE;

	if (all || pages == 1) {
		igt_assert_eq(munmap(m->ptr, m->len), 0);
		*m = f->maps[--f->nr_maps];
		return;
	}
	/* A partial munmap: the front or the back; the shim tracks live pages. */
	if (chance(f, 8)) {
		igt_assert_eq(munmap(m->ptr, PAGE), 0);
		m->ptr = (char *)m->ptr + PAGE;
	} else {
		igt_assert_eq(munmap((char *)m->ptr + m->len - PAGE, PAGE), 0);
	}
	m->len -= PAGE;
}

static void op_mmap(struct fuzz *f)
{
	struct drm_panthor_bo_mmap_offset off = {};
	uint64_t offset, len;
	struct fuzz_bo *bo;
	int prot, flags;
	void *p;

	if (f->nr_maps && chance(f, 6)) {
		unmap_some(f, (unsigned int)rnd_below(f, f->nr_maps), chance(f, 8));
		return;
	}
	if (!f->nr_bos)
		return;
	bo = &f->bos[rnd_below(f, f->nr_bos)];
	off.handle = bo->handle;
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &off, E(EPERM), "BO_MMAP_OFFSET"))
		return;
	offset = off.offset;
	len = bo->size;
	if (chance(f, 6)) {
		offset += PAGE * rnd_below(f, bo->size / PAGE + 2);
		len = PAGE * (1 + rnd_below(f, bo->size / PAGE + 1));
	}
	if (chance(f, 1))
		offset = rnd(f) & ~(PAGE - 1) & ((1ull << 46) - 1);
	prot = chance(f, 2) ? PROT_READ : PROT_READ | PROT_WRITE;
	flags = chance(f, 2) ? MAP_PRIVATE : MAP_SHARED;
	if (f->nr_maps == MAX_MAPS)
		unmap_some(f, 0, true);
	p = mmap(NULL, len, prot, flags, f->fd, (off_t)offset);
	f->calls++;
	if (p == MAP_FAILED) {
		int err = errno;

		f->failures++;
		f->failed[STAT_MMAP]++;
		igt_assert_f(err == EINVAL || err == EACCES || err == EPERM || err == ENXIO,
			     "mmap(len %#llx, off %#llx) failed with errno %d (%s)\n",
			     (unsigned long long)len, (unsigned long long)offset, err,
			     strerror(err));
		return;
	}
	/* Touch it: the first and last byte are BO memory (or the flush-ID page). */
	f->ok[STAT_MMAP]++;
	if (prot & PROT_WRITE)
		((volatile char *)p)[0] = 0x5a;
	(void)((volatile char *)p)[len - 1];
	f->maps[f->nr_maps++] = (struct fuzz_map){ .ptr = p, .len = len };
}

static void op_set_label(struct fuzz *f)
{
	struct drm_panthor_bo_set_label arg = {};
	size_t n;

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.handle = pick_handle(f);
		if (chance(f, 1))
			arg.pad = (uint32_t)rnd(f);
		n = chance(f, 2) ? 4090 + rnd_below(f, 10) : rnd_below(f, 64);
		memset(f->label, 'a' + (int)rnd_below(f, 26), n);
		f->label[n] = '\0';
		arg.label = chance(f, 2) ? 0 : user_ptr(f, f->label);
	}
	fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &arg,
		   E(EINVAL) | E(ENOENT) | E(E2BIG) | E(EFAULT), "BO_SET_LABEL");
}

static void op_query_info(struct fuzz *f)
{
	struct drm_panthor_bo_query_info arg = {};
	struct fuzz_bo *bo;

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.handle = pick_handle(f);
		if (chance(f, 1))
			arg.pad = (uint32_t)rnd(f);
	}
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &arg, E(EINVAL) | E(ENOENT),
		       "BO_QUERY_INFO"))
		return;
	bo = find_bo(f, arg.handle);
	igt_assert(bo);
	igt_assert_eq_u32(arg.create_flags, bo->flags);
	igt_assert_eq_u32(arg.extra_flags, 0);
}

/* A stride around the element size: exact, shorter, longer (tail zero or not). */
static uint32_t pick_stride(struct fuzz *f, uint32_t size)
{
	switch (rnd_below(f, 6)) {
	case 0:
		return size - 8;
	case 1:
		return size + 8;
	case 2:
		return (uint32_t)rnd_below(f, 2 * size);
	default:
		return size;
	}
}

static void op_bo_sync(struct fuzz *f)
{
	struct drm_panthor_bo_sync arg = {};
	uint32_t count = (uint32_t)rnd_below(f, 5), stride;
	char *buf = (char *)f->bo_syncs;

	stride = pick_stride(f, sizeof(struct drm_panthor_bo_sync_op));
	if (stride * count > sizeof(f->bo_syncs))
		count = sizeof(f->bo_syncs) / stride;
	memset(f->bo_syncs, 0, sizeof(f->bo_syncs));
	for (uint32_t i = 0; i < count; i++) {
		struct drm_panthor_bo_sync_op op = {
			.handle = pick_handle(f),
			.type = chance(f, 2) ? (uint32_t)rnd_below(f, 4) :
					       (uint32_t)rnd_below(f, 2),
			.offset = chance(f, 4) ? rnd(f) : rnd_below(f, 3 * PAGE),
			.size = chance(f, 4) ? rnd(f) : rnd_below(f, 4 * PAGE),
		};

		memcpy(buf + (size_t)i * stride, &op, stride < sizeof(op) ? stride : sizeof(op));
		if (stride > sizeof(op) && chance(f, 4))
			buf[(size_t)i * stride + sizeof(op)] = 1;
	}
	arg.ops = (struct drm_panthor_obj_array){ .stride = stride, .count = count };
	arg.ops.array = user_ptr(f, f->bo_syncs);
	if (chance(f, 1))
		arg.ops.count = (uint32_t)hostile_word(f);
	fuzz_ioctl(f, DRM_IOCTL_PANTHOR_BO_SYNC, &arg,
		   E(EINVAL) | E(ENOENT) | E(EFAULT) | E(E2BIG) | E(ENOMEM), "BO_SYNC");
}

static void op_vm_create(struct fuzz *f)
{
	struct drm_panthor_vm_create arg = {};

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		if (chance(f, 1))
			arg.flags = (uint32_t)rnd(f);
		if (chance(f, 4))
			arg.user_va_range =
				chance(f, 8) ? rnd(f) : (1ull << (20 + rnd_below(f, 28)));
	}
	if (f->nr_vms == MAX_VMS)
		return;
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_VM_CREATE, &arg, E(EINVAL) | E(EBUSY) | E(ENOMEM),
		       "VM_CREATE"))
		return;
	igt_assert(arg.id >= 1 && arg.id <= 32);
	igt_assert_eq(find_vm(f, arg.id), -1);
	f->vms[f->nr_vms++] = arg.id;
}

static void op_vm_destroy(struct fuzz *f)
{
	struct drm_panthor_vm_destroy arg = {};
	int i;

	if (hostile(f)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.id = pick_vm(f);
		if (chance(f, 1))
			arg.pad = (uint32_t)rnd(f);
	}
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_VM_DESTROY, &arg, E(EINVAL), "VM_DESTROY"))
		return;
	i = find_vm(f, arg.id);
	igt_assert_f(i >= 0, "VM_DESTROY of unknown VM %u worked\n", arg.id);
	f->vms[i] = f->vms[--f->nr_vms];
}

static void op_vm_get_state(struct fuzz *f)
{
	struct drm_panthor_vm_get_state arg = {};

	if (hostile(f))
		hostile_fill(f, &arg, sizeof(arg));
	else
		arg.vm_id = pick_vm(f);
	if (fuzz_ioctl(f, DRM_IOCTL_PANTHOR_VM_GET_STATE, &arg, E(EINVAL), "VM_GET_STATE"))
		return;
	igt_assert(find_vm(f, arg.vm_id) >= 0);
	igt_assert(arg.state == DRM_PANTHOR_VM_STATE_USABLE ||
		   arg.state == DRM_PANTHOR_VM_STATE_UNUSABLE);
}

/* One plausible (sometimes deliberately wrong) bind op. */
static void make_bind_op(struct fuzz *f, struct drm_panthor_vm_bind_op *op)
{
	static const uint32_t types[] = {
		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY,
	};
	struct fuzz_bo *bo = f->nr_bos ? &f->bos[rnd_below(f, f->nr_bos)] : NULL;
	uint64_t bo_pages = bo ? bo->size / PAGE : 1;

	memset(op, 0, sizeof(*op));
	if (hostile(f)) {
		hostile_fill(f, op, sizeof(*op));
		return;
	}
	op->flags = types[rnd_below(f, 4)];
	if (chance(f, 4))
		op->flags |= (uint32_t)rnd_below(f, 8);
	if (chance(f, 1))
		op->flags = (uint32_t)rnd(f);
	op->va = BIND_VA_BASE + PAGE * rnd_below(f, BIND_VA_WINDOW / PAGE);
	if (chance(f, 4))
		op->va &= ~((2ull << 20) - 1);
	if ((op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		op->size = PAGE * rnd_below(f, 1024);
	} else if (bo) {
		uint64_t first = rnd_below(f, bo_pages);

		op->bo_handle = bo->handle;
		op->bo_offset = first * PAGE;
		op->size = PAGE * (1 + rnd_below(f, bo_pages - first));
	}
	if (chance(f, 2))
		op->bo_handle = pick_handle(f);
	if (chance(f, 1))
		op->va = chance(f, 8) ? rnd(f) : op->va + 0x800;
	if (chance(f, 1))
		op->size = rnd(f);
	if (chance(f, 1))
		op->bo_offset = rnd(f);
	if (chance(f, 1)) {
		op->syncs.stride = pick_stride(f, sizeof(struct drm_panthor_sync_op));
		op->syncs.count = (uint32_t)rnd_below(f, 4);
		op->syncs.array = user_ptr(f, f->syncs);
	}
}

static void op_vm_bind(struct fuzz *f)
{
	struct drm_panthor_vm_bind arg = {};
	uint32_t count, stride, want;
	char *buf = (char *)f->ops;
	int err;

	if (hostile(f) && chance(f, 4)) {
		hostile_fill(f, &arg, sizeof(arg));
	} else {
		arg.vm_id = pick_vm(f);
		/* ASYNC (not required here): accepted or EINVAL, nothing else. */
		if (chance(f, 2))
			arg.flags = chance(f, 8) ? DRM_PANTHOR_VM_BIND_ASYNC : (uint32_t)rnd(f);
		count = chance(f, 2) ? MAX_BIND_OPS : (uint32_t)rnd_below(f, 5);
		stride = pick_stride(f, sizeof(struct drm_panthor_vm_bind_op));
		if ((uint64_t)stride * count > sizeof(f->ops))
			count = sizeof(f->ops) / stride;
		memset(f->ops, 0, sizeof(f->ops));
		memset(f->syncs, 0, sizeof(f->syncs));
		for (uint32_t i = 0; i < 8; i++)
			if (chance(f, 4))
				hostile_fill(f, &f->syncs[i], sizeof(f->syncs[i]));
		for (uint32_t i = 0; i < count; i++) {
			struct drm_panthor_vm_bind_op op;

			make_bind_op(f, &op);
			memcpy(buf + (size_t)i * stride, &op,
			       stride < sizeof(op) ? stride : sizeof(op));
			if (stride > sizeof(op) && chance(f, 1))
				buf[(size_t)i * stride + sizeof(op)] = 1;
		}
		arg.ops = (struct drm_panthor_obj_array){ .stride = stride, .count = count };
		arg.ops.array = user_ptr(f, f->ops);
		if (chance(f, 1))
			arg.ops.count = (uint32_t)hostile_word(f);
	}
	want = arg.ops.count;
	err = fuzz_ioctl(f, DRM_IOCTL_PANTHOR_VM_BIND, &arg,
			 E(EINVAL) | E(EFAULT) | E(E2BIG) | E(ENOENT) | E(ENOMEM) | E(EBUSY),
			 "VM_BIND");
	/* A failed op array reports how many ops were applied, never more than asked. */
	if (err)
		igt_assert_lte(arg.ops.count, want);
	else
		igt_assert_eq_u32(arg.ops.count, want);
}

/* DEV_QUERY GPU_INFO still answers with the G610's id. */
static void device_answers(int fd)
{
	struct drm_panthor_gpu_info info = {};
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info),
		.pointer = (uint64_t)(uintptr_t)&info,
	};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	igt_assert_eq_u32(info.gpu_id, 0xa8670005);
}

/* Rows of the debugfs "gems" listing created by this process; -1 if unreadable. */
static int my_live_bos(void)
{
	FILE *gems = fopen(GEMS_PATH, "r");
	char line[512];
	int n = 0;

	if (!gems)
		return -1;
	while (fgets(line, sizeof(line), gems)) {
		int pid;

		if (sscanf(line, "%d", &pid) == 1 && pid == getpid())
			n++;
	}
	fclose(gems);
	return n;
}

/* Wait (up to 5 s) for the host to see this process's BO count reach @want. */
static int wait_live_bos(int want)
{
	int n = -1;

	for (int i = 0; i < 500; i++) {
		n = my_live_bos();
		if (n == want)
			break;
		usleep(10000);
	}
	return n;
}

static const char *const stat_names[STAT_SLOTS] = {
	[DRM_PANTHOR_VM_CREATE] = "VM_CREATE",
	[DRM_PANTHOR_VM_DESTROY] = "VM_DESTROY",
	[DRM_PANTHOR_VM_BIND] = "VM_BIND",
	[DRM_PANTHOR_VM_GET_STATE] = "VM_GET_STATE",
	[DRM_PANTHOR_BO_CREATE] = "BO_CREATE",
	[DRM_PANTHOR_BO_MMAP_OFFSET] = "BO_MMAP_OFFSET",
	[DRM_PANTHOR_BO_SET_LABEL] = "BO_SET_LABEL",
	[DRM_PANTHOR_BO_SYNC] = "BO_SYNC",
	[DRM_PANTHOR_BO_QUERY_INFO] = "BO_QUERY_INFO",
	[STAT_GEM_CLOSE] = "GEM_CLOSE",
	[STAT_MMAP] = "mmap",
};

typedef void (*fuzz_op)(struct fuzz *f);

/*
 * @iterations calls picked by @weights (one per op of fuzz_ops) from @seed on
 * a fresh DRM file; then everything is closed and the host must hold no BO
 * of this process, and the device must answer.
 */
static void run_fuzz(int fd, uint64_t seed, unsigned int iterations, unsigned int hostile_in16,
		     const unsigned int *weights)
{
	static const fuzz_op fuzz_ops[] = {
		op_bo_create,  op_gem_close,  op_mmap_offset,  op_mmap,
		op_set_label,  op_query_info, op_bo_sync,      op_vm_create,
		op_vm_destroy, op_vm_bind,    op_vm_get_state,
	};
	const unsigned int nr_ops = sizeof(fuzz_ops) / sizeof(fuzz_ops[0]);
	struct fuzz *f = calloc(1, sizeof(*f));
	unsigned int total = 0;
	int before = my_live_bos();

	igt_assert(f);
	igt_require_f(before >= 0, "no debugfs gems listing at %s\n", GEMS_PATH);
	for (unsigned int i = 0; i < nr_ops; i++)
		total += weights[i];
	f->fd = drm_reopen_driver(fd);
	f->seed = seed;
	f->hostile = hostile_in16;

	for (unsigned int it = 0; it < iterations; it++) {
		unsigned int pick = (unsigned int)rnd_below(f, total), i = 0;

		while (pick >= weights[i])
			pick -= weights[i++];
		fuzz_ops[i](f);
	}
	igt_info("seed %#llx: %u calls, %u failed as allowed\n", (unsigned long long)seed, f->calls,
		 f->failures);
	igt_assert_lt(f->failures, f->calls); /* not only errors */
	for (unsigned int i = 0; i < STAT_SLOTS; i++)
		if (f->ok[i] + f->failed[i])
			igt_info("  %-16s %5u ok %5u failed\n", stat_names[i], f->ok[i],
				 f->failed[i]);

	/* Close everything: mappings, then VMs and BOs (mappings hold BOs). */
	device_answers(f->fd);
	while (f->nr_maps)
		unmap_some(f, 0, true);
	while (f->nr_vms) {
		struct drm_panthor_vm_destroy d = { .id = f->vms[--f->nr_vms] };

		do_ioctl(f->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
	}
	while (f->nr_bos)
		fuzz_gem_close(f, f->bos[0].handle);
	igt_assert_eq(wait_live_bos(before), before);
	drm_close_driver(f->fd);
	device_answers(fd);
	igt_assert_eq(wait_live_bos(before), before);
	free(f);
}

/* Weights, in fuzz_ops order: create close offset mmap label query sync vmc vmd bind state */
static const unsigned int mixed_weights[] = { 6, 3, 2, 3, 2, 2, 2, 2, 1, 8, 1 };
static const unsigned int bind_weights[] = { 3, 1, 0, 1, 0, 0, 0, 1, 1, 16, 1 };
static const unsigned int bo_weights[] = { 8, 4, 4, 8, 4, 4, 4, 1, 0, 1, 0 };

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	for (unsigned int s = 1; s <= 3; s++) {
		igt_describe("Mixed random memory ioctls (plausible arguments, a few hostile "
			     "ones) fail only with allowed errnos and leave no BO behind.");
		igt_subtest_f("mixed-seed-%u", s)
			run_fuzz(fd, 0x6d656d66757a7aull * s + s, 1500, 1, mixed_weights);
	}

	igt_describe("Random VM_BIND op arrays (map, unmap, sync-only; strides shorter and "
		     "longer than the op; bad ranges, handles and flags; partial failures) "
		     "keep ops.count consistent and leave no BO behind.");
	igt_subtest("vm-bind-arrays")
		run_fuzz(fd, 0x62696e64ull, 1200, 1, bind_weights);

	igt_describe("BO ioctls and CPU mappings (partial munmap, mappings outliving their "
		     "handle) in random order leave no BO behind.");
	igt_subtest("bo-lifetimes")
		run_fuzz(fd, 0x626f6c6966ull, 1500, 1, bo_weights);

	igt_describe("Memory ioctls whose arguments are mostly hostile words (never valid "
		     "user pointers) fail cleanly and leave the device working.");
	igt_subtest("hostile-args")
		run_fuzz(fd, 0x686f7374ull, 2000, 10, mixed_weights);

	igt_fixture {
		device_answers(fd);
		drm_close_driver(fd);
	}
}
