// SPDX-License-Identifier: MIT
/*
 * GEM buffer objects through the panthor uAPI: BO_CREATE, BO_MMAP_OFFSET,
 * BO_SET_LABEL, BO_QUERY_INFO, BO_SYNC, GEM_CLOSE, CPU mappings of BOs and
 * of the LATEST_FLUSH_ID page, SET_USER_MMIO_OFFSET, and how long a mapping
 * keeps its BO (munmap, fork). Upstream's tests/panthor/panthor_gem.c cases
 * come first.
 *
 * Live BOs are counted in the DRM debugfs file "gems" (one row per BO, the
 * creator's pid first), which the device host fills from the driver.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Create, map, label, query, sync and close panthor buffer objects.");

#define PAGE 4096u
#define GEMS_PATH "/sys/kernel/debug/dri/0/gems"

static int bo_create_err(int fd, uint64_t *size, uint32_t flags, uint32_t *handle)
{
	struct drm_panthor_bo_create bo = { .size = *size, .flags = flags };
	int ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo);

	if (ret)
		return -errno;
	*size = bo.size;
	*handle = bo.handle;
	return 0;
}

static uint32_t bo_create(int fd, uint64_t size, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_eq(bo_create_err(fd, &size, flags, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

static int mmap_offset_err(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_panthor_bo_mmap_offset arg = { .handle = handle };

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg))
		return -errno;
	*offset = arg.offset;
	return 0;
}

static uint64_t mmap_offset(int fd, uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_eq(mmap_offset_err(fd, handle, &offset), 0);
	igt_assert(offset != 0);
	return offset;
}

static void *bo_map(int fd, uint32_t handle, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mmap_offset(fd, handle));

	igt_assert(p != MAP_FAILED);
	return p;
}

/* errno of an mmap, 0 on success (the mapping is undone). */
static int map_err(int fd, size_t len, int prot, int flags, uint64_t offset)
{
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)offset);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static int set_label(int fd, uint32_t handle, uint32_t pad, uint64_t label)
{
	struct drm_panthor_bo_set_label arg = { .handle = handle, .pad = pad, .label = label };

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &arg) ? -errno : 0;
}

static int bo_sync(int fd, uint32_t stride, uint32_t count, const void *ops)
{
	struct drm_panthor_bo_sync arg = {
		.ops = { .stride = stride, .count = count, .array = (uint64_t)(uintptr_t)ops },
	};

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &arg) ? -errno : 0;
}

static int set_mmio_offset(int fd, uint64_t offset)
{
	struct drm_panthor_set_user_mmio_offset arg = { .offset = offset };

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &arg) ? -errno : 0;
}

/* Rows of the debugfs "gems" listing created by this process; -1 if unreadable. */
static int my_live_bos(void)
{
	FILE *f = fopen(GEMS_PATH, "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int pid;

		if (sscanf(line, "%d", &pid) == 1 && pid == getpid())
			n++;
	}
	fclose(f);
	return n;
}

/* Wait (up to 5 s) for the host to see this process's BO count reach @want. */
static bool wait_live_bos(int want)
{
	for (int i = 0; i < 500; i++) {
		if (my_live_bos() == want)
			return true;
		usleep(10000);
	}
	return false;
}

/* A page that is not mapped, so a pointer into it faults. */
static void *unmapped_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	munmap(p, PAGE);
	return p;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("Upstream: a new BO has a non-zero handle.");
	igt_subtest("bo_create") {
		uint32_t handle = bo_create(fd, PAGE, 0);

		gem_close(fd, handle);
	}

	igt_describe("Upstream: the size is rounded up to pages and written back (5000 -> 8192).");
	igt_subtest("bo_create_round_size") {
		uint64_t size = 5000;
		uint32_t handle;

		igt_assert_eq(bo_create_err(fd, &size, 0, &handle), 0);
		igt_assert_eq(size, 8192);
		gem_close(fd, handle);
	}

	igt_describe(
		"Upstream: BO_MMAP_OFFSET gives a non-zero offset; an unknown handle is ENOENT.");
	igt_subtest("bo_mmap_offset") {
		uint32_t handle = bo_create(fd, PAGE, 0);
		uint64_t offset;

		mmap_offset(fd, handle);
		igt_assert_eq(mmap_offset_err(fd, 0xdeadbeef, &offset), -ENOENT);
		gem_close(fd, handle);
	}

	igt_describe("Upstream: a new BO reads back zero through a shared mapping.");
	igt_subtest("bo_mmap_zeroed") {
		size_t size = 3 * 1024 * 1024 + 5 * PAGE; /* a 2 MiB block and scattered pages */
		uint32_t handle = bo_create(fd, size, 0);
		uint8_t *p = bo_map(fd, handle, size);

		for (size_t i = 0; i < size; i++)
			igt_assert_eq(p[i], 0);
		memset(p, 0x5a, size);
		igt_assert_eq(munmap(p, size), 0);
		/* A second mapping sees the same pages. */
		p = bo_map(fd, handle, size);
		igt_assert_eq(p[0], 0x5a);
		igt_assert_eq(p[size - 1], 0x5a);
		munmap(p, size);
		gem_close(fd, handle);
	}

	igt_describe(
		"BO_CREATE rejects size 0, a pad, unknown flags, NO_MMAP with WB_MMAP and an exclusive VM that does not exist.");
	igt_subtest("bo_create_invalid") {
		struct drm_panthor_bo_create bo = { .size = PAGE };
		uint64_t size = 0;
		uint32_t handle;

		igt_assert_eq(bo_create_err(fd, &size, 0, &handle), -EINVAL);
		size = PAGE;
		igt_assert_eq(bo_create_err(fd, &size, 1u << 2, &handle), -EINVAL);
		igt_assert_eq(bo_create_err(fd, &size,
					    DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP,
					    &handle),
			      -EINVAL);
		bo.pad = 1;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo, EINVAL);
		bo.pad = 0;
		bo.exclusive_vm_id = 1000;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo, EINVAL);
		/* Each valid flag alone is fine. */
		gem_close(fd, bo_create(fd, PAGE, DRM_PANTHOR_BO_NO_MMAP));
		gem_close(fd, bo_create(fd, PAGE, DRM_PANTHOR_BO_WB_MMAP));
	}

	igt_describe(
		"BO_MMAP_OFFSET: a pad is EINVAL, a NO_MMAP BO is EPERM; the offset is stable.");
	igt_subtest("bo_mmap_offset_invalid") {
		struct drm_panthor_bo_mmap_offset arg = { .pad = 1 };
		uint32_t nommap = bo_create(fd, PAGE, DRM_PANTHOR_BO_NO_MMAP);
		uint32_t handle = bo_create(fd, PAGE, 0);
		uint64_t offset;

		arg.handle = handle;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg, EINVAL);
		igt_assert_eq(mmap_offset_err(fd, nommap, &offset), -EPERM);
		igt_assert(mmap_offset(fd, handle) == mmap_offset(fd, handle));
		igt_assert(mmap_offset(fd, handle) % PAGE == 0);
		gem_close(fd, nommap);
		gem_close(fd, handle);
	}

	igt_describe(
		"mmap of a BO: unknown offsets, a range beyond the BO and private mappings are EINVAL; a sub-range at an offset into the BO works.");
	igt_subtest("bo_mmap_invalid") {
		uint32_t handle = bo_create(fd, 2 * PAGE, 0);
		uint64_t offset = mmap_offset(fd, handle);
		uint8_t *p;

		igt_assert_eq(map_err(fd, 3 * PAGE, PROT_READ, MAP_SHARED, offset), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ, MAP_SHARED, offset + 2 * PAGE), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ, MAP_SHARED, 0x1000), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, offset),
			      EINVAL);
		p = bo_map(fd, handle, 2 * PAGE);
		p[PAGE] = 0x42;
		munmap(p, 2 * PAGE);
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)(offset + PAGE));
		igt_assert(p != MAP_FAILED);
		igt_assert_eq(p[0], 0x42);
		munmap(p, PAGE);
		gem_close(fd, handle);
	}

	igt_describe("GEM_CLOSE of a closed or unknown handle is EINVAL.");
	igt_subtest("gem_close_twice") {
		uint32_t handle = bo_create(fd, PAGE, 0);

		gem_close(fd, handle);
		igt_assert_eq(__gem_close(fd, handle), -EINVAL);
		igt_assert_eq(__gem_close(fd, 0), -EINVAL);
	}

	igt_describe("Handles belong to their file: another file cannot use or map them.");
	igt_subtest("handles_per_file") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint32_t handle = bo_create(fd, PAGE, 0);
		uint64_t offset = mmap_offset(fd, handle), other;

		igt_assert_eq(mmap_offset_err(fd2, handle, &other), -ENOENT);
		igt_assert_eq(map_err(fd2, PAGE, PROT_READ, MAP_SHARED, offset), EACCES);
		igt_assert_eq(__gem_close(fd2, handle), -EINVAL);
		gem_close(fd, handle);
		close(fd2);
	}

	igt_describe(
		"BO_SET_LABEL: pad EINVAL, unknown handle ENOENT, 4096 characters E2BIG, bad pointer EFAULT, NULL and \"\" accepted and distinct.");
	igt_subtest("bo_set_label") {
		uint32_t handle = bo_create(fd, PAGE, 0);
		char *long_label = malloc(4097);
		FILE *f;
		char line[512];
		bool empty_seen = false;

		igt_assert(long_label);
		memset(long_label, 'x', 4096);
		long_label[4096] = '\0';
		igt_assert_eq(set_label(fd, handle, 1, 0), -EINVAL);
		igt_assert_eq(set_label(fd, 0xdeadbeef, 0, 0), -ENOENT);
		igt_assert_eq(set_label(fd, handle, 0, (uintptr_t)long_label), -E2BIG);
		long_label[4095] = '\0';
		igt_assert_eq(set_label(fd, handle, 0, (uintptr_t)long_label), 0);
		igt_assert_eq(set_label(fd, handle, 0, (uintptr_t)unmapped_page()), -EFAULT);
		igt_assert_eq(set_label(fd, handle, 0, (uintptr_t) "tyrc-label"), 0);
		igt_assert_eq(set_label(fd, handle, 0, (uintptr_t) ""), 0);
		/* The listing shows "" for an empty label and - for none. */
		f = fopen(GEMS_PATH, "r");
		igt_assert(f);
		while (fgets(line, sizeof(line), f)) {
			int pid;

			if (sscanf(line, "%d", &pid) == 1 && pid == getpid() &&
			    strstr(line, "\"\""))
				empty_seen = true;
		}
		fclose(f);
		igt_assert(empty_seen);
		igt_assert_eq(set_label(fd, handle, 0, 0), 0);
		free(long_label);
		gem_close(fd, handle);
	}

	igt_describe(
		"BO_QUERY_INFO reports the creation flags, no import, and ENOENT for an unknown handle.");
	igt_subtest("bo_query_info") {
		uint32_t handle = bo_create(fd, PAGE, DRM_PANTHOR_BO_WB_MMAP);
		struct drm_panthor_bo_query_info info = { .handle = handle, .pad = 7 };

		do_ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &info);
		igt_assert_eq(info.create_flags, DRM_PANTHOR_BO_WB_MMAP);
		igt_assert_eq(info.extra_flags, 0);
		igt_assert_eq(info.pad, 0);
		info.handle = 0xdeadbeef;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &info, ENOENT);
		gem_close(fd, handle);
	}

	igt_describe(
		"BO_SYNC: count 0 is a no-op, short strides are EINVAL, longer elements need a zero tail (E2BIG), unknown handle ENOENT, bad type or range EINVAL, bad pointer EFAULT.");
	igt_subtest("bo_sync") {
		uint32_t handle = bo_create(fd, 2 * PAGE, 0);
		struct drm_panthor_bo_sync_op op = {
			.handle = handle,
			.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH,
			.offset = 0,
			.size = 2 * PAGE,
		};
		struct {
			struct drm_panthor_bo_sync_op op;
			uint64_t extra;
		} big = { .op = op };

		igt_assert_eq(bo_sync(fd, 0, 0, NULL), 0);
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), 0);
		igt_assert_eq(bo_sync(fd, 16, 1, &op), -EINVAL);
		igt_assert_eq(bo_sync(fd, sizeof(big), 1, &big), 0);
		big.extra = 1;
		igt_assert_eq(bo_sync(fd, sizeof(big), 1, &big), -E2BIG);
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, unmapped_page()), -EFAULT);
		op.type = DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE;
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), 0);
		op.type = 2;
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), -EINVAL);
		op.type = 0;
		op.offset = PAGE;
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), -EINVAL);
		op.offset = UINT64_MAX;
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), -EINVAL);
		op.offset = 0;
		op.handle = 0xdeadbeef;
		igt_assert_eq(bo_sync(fd, sizeof(op), 1, &op), -ENOENT);
		gem_close(fd, handle);
	}

	igt_describe(
		"The LATEST_FLUSH_ID page: one read-only shared page maps and reads; other MMIO offsets, sizes, private, writable or executable mappings are EINVAL, and it cannot be made writable.");
	igt_subtest("flush_id_mmap") {
		uint64_t off = DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET;
		volatile uint32_t *p;

		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)off);
		igt_assert(p != MAP_FAILED);
		igt_assert_eq(p[0] & ~0xffffffu, 0); /* a 24-bit counter */
		igt_assert_neq(mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE), 0);
		munmap((void *)p, PAGE);
		igt_assert_eq(map_err(fd, 2 * PAGE, PROT_READ, MAP_SHARED, off), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ, MAP_PRIVATE, off), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, off), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, off), EINVAL);
		igt_assert_eq(map_err(fd, PAGE, PROT_READ, MAP_SHARED, off + PAGE), EINVAL);
	}

	igt_describe("SET_USER_MMIO_OFFSET takes only the two constants and moves the MMIO space.");
	igt_subtest("set_user_mmio_offset") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint64_t off32 = DRM_PANTHOR_USER_MMIO_OFFSET_32BIT;
		uint64_t off64 = DRM_PANTHOR_USER_MMIO_OFFSET_64BIT;

		igt_assert_eq(set_mmio_offset(fd2, 0), -EINVAL);
		igt_assert_eq(set_mmio_offset(fd2, off32 + PAGE), -EINVAL);
		igt_assert_eq(set_mmio_offset(fd2, off32), 0);
		igt_assert_eq(map_err(fd2, PAGE, PROT_READ, MAP_SHARED, off32), 0);
		/* 1 << 56 is now far above the flush page of this file. */
		igt_assert_eq(map_err(fd2, PAGE, PROT_READ, MAP_SHARED, off64), EINVAL);
		igt_assert_eq(set_mmio_offset(fd2, off64), 0);
		igt_assert_eq(map_err(fd2, PAGE, PROT_READ, MAP_SHARED, off64), 0);
		close(fd2);
	}

	igt_describe(
		"A mapping keeps its BO after GEM_CLOSE: the pages stay readable and writable, and a new BO does not alias them; munmap then frees the BO.");
	igt_subtest("mapping_keeps_bo") {
		int base = my_live_bos();
		uint32_t handle = bo_create(fd, 8 * PAGE, 0);
		uint32_t *p = bo_map(fd, handle, 8 * PAGE), *q;
		uint32_t other;

		igt_assert(base >= 0);
		for (unsigned int i = 0; i < 8 * PAGE / 4; i++)
			p[i] = i;
		gem_close(fd, handle);
		igt_assert_eq(my_live_bos(), base + 1);
		other = bo_create(fd, 8 * PAGE, 0);
		q = bo_map(fd, other, 8 * PAGE);
		memset(q, 0xff, 8 * PAGE);
		for (unsigned int i = 0; i < 8 * PAGE / 4; i++)
			igt_assert_eq(p[i], i);
		p[5] = 0xabcd;
		igt_assert_eq(p[5], 0xabcd);
		munmap(q, 8 * PAGE);
		gem_close(fd, other);
		/* Partial munmap keeps it; the last page going frees it. */
		igt_assert_eq(munmap(p, 4 * PAGE), 0);
		usleep(50000);
		igt_assert_eq(my_live_bos(), base + 1);
		igt_assert_eq(p[4 * PAGE / 4], 4 * PAGE / 4);
		igt_assert_eq(munmap(p + 4 * PAGE / 4, 4 * PAGE), 0);
		igt_assert(wait_live_bos(base));
	}

	igt_describe(
		"A forked child inherits a shared mapping and sees the parent's writes; the BO lives until both have unmapped.");
	igt_subtest("mapping_fork") {
		int base = my_live_bos();
		uint32_t handle = bo_create(fd, PAGE, 0);
		volatile uint32_t *p = bo_map(fd, handle, PAGE);
		int status;
		pid_t pid;

		gem_close(fd, handle);
		p[0] = 1;
		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			/* Child: see the parent's value, answer, unmap and leave. */
			bool ok = p[0] == 1;

			p[1] = 0x77;
			munmap((void *)p, PAGE);
			_exit(ok ? 0 : 1);
		}
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		igt_assert_eq(p[1], 0x77);
		/* The child's munmap and exit did not release the parent's mapping. */
		usleep(50000);
		igt_assert_eq(my_live_bos(), base + 1);
		p[2] = 3;
		igt_assert_eq(p[2], 3);
		munmap((void *)p, PAGE);
		igt_assert(wait_live_bos(base));
	}

	igt_describe("Closing the DRM file frees the BOs it holds handles to.");
	igt_subtest("file_close_frees") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		int base = my_live_bos();

		bo_create(fd2, PAGE, 0);
		bo_create(fd2, 3 * PAGE, 0);
		igt_assert_eq(my_live_bos(), base + 2);
		close(fd2);
		igt_assert(wait_live_bos(base));
	}

	igt_fixture {
		close(fd);
	}
}
