// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): latency of VM_BIND (one 4 KiB map and its unmap,
 * one 2 MiB map and its unmap, 64 x 4 KiB maps in one ioctl and their
 * unmap) and of a syncobj signal waking a thread blocked in SYNCOBJ_WAIT,
 * through the shim and device host, next to a bare UNIX-socket round trip
 * to another process measured in the same run. Run it under `tyrc run`
 * (ci/bench does).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "bench_util.h"
#include "panthor_drm.h"

#define MSG_SIZE 64
#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define ARRAY_OPS 64
#define VA_4K 0x10000000ull
#define VA_2M 0x40000000ull
#define VA_ARRAY 0x80000000ull

/* Echo server in a child process: the same shape as client <-> host. */
static struct bench_stat bench_socket(int iters, uint64_t *samples)
{
	char buf[MSG_SIZE] = { 0 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		bench_die("socketpair");
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		while (read(sv[1], buf, sizeof(buf)) > 0)
			if (write(sv[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	for (int i = 0; i < iters; i++) {
		uint64_t t = bench_now_ns();

		if (write(sv[0], buf, sizeof(buf)) != sizeof(buf) ||
		    read(sv[0], buf, sizeof(buf)) != sizeof(buf))
			bench_die("socket round trip");
		samples[i] = bench_now_ns() - t;
	}
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return bench_summarize(samples, iters);
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_panthor_bo_create bo = { .size = size };

	bench_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo, "BO_CREATE");
	return bo.handle;
}

/* Time one VM_BIND of @count ops. */
static uint64_t timed_bind(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *ops, uint32_t count)
{
	struct drm_panthor_vm_bind bind = {
		.vm_id = vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(count, ops),
	};
	uint64_t t = bench_now_ns();

	bench_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, "VM_BIND");
	return bench_now_ns() - t;
}

/*
 * @iters rounds of: map @count ops (timed into @map), unmap the whole
 * range with one op (timed into @unmap).
 */
static void bench_bind(int fd, uint32_t vm, uint32_t bo, uint64_t size, uint64_t va, uint32_t count,
		       int iters, uint64_t *map, uint64_t *unmap)
{
	struct drm_panthor_vm_bind_op ops[ARRAY_OPS];
	struct drm_panthor_vm_bind_op un = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = va,
		.size = size * count,
	};

	for (uint32_t i = 0; i < count; i++)
		ops[i] = (struct drm_panthor_vm_bind_op){
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
			.bo_handle = bo,
			.bo_offset = 0,
			.va = va + i * size,
			.size = size,
		};
	for (int i = 0; i < iters; i++) {
		map[i] = timed_bind(fd, vm, ops, count);
		unmap[i] = timed_bind(fd, vm, &un, 1);
	}
}

static void row(const char *name, struct bench_stat r, double base)
{
	printf("%-40s %10.2f %10.2f %8.2f\n", name, r.median, r.p99, r.median / base);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 2000;
	uint64_t *a = calloc(iters, sizeof(*a)), *b = calloc(iters, sizeof(*b));
	struct drm_panthor_vm_create vmc = {};
	struct bench_stat base, map4k, unmap4k, map2m, unmap2m, map64, unmap64, sync;
	uint32_t bo4k, bo2m;
	int fd;

	if (!a || !b || iters < 10)
		return 2;
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("open /dev/dri/card0 (run under `tyrc run`)");
		return 1;
	}
	bench_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc, "VM_CREATE");
	bo4k = bo_create(fd, SZ_4K);
	bo2m = bo_create(fd, SZ_2M);

	base = bench_socket(iters, a);
	bench_bind(fd, vmc.id, bo4k, SZ_4K, VA_4K, 1, iters, a, b);
	map4k = bench_summarize(a, iters);
	unmap4k = bench_summarize(b, iters);
	bench_bind(fd, vmc.id, bo2m, SZ_2M, VA_2M, 1, iters, a, b);
	map2m = bench_summarize(a, iters);
	unmap2m = bench_summarize(b, iters);
	bench_bind(fd, vmc.id, bo4k, SZ_4K, VA_ARRAY, ARRAY_OPS, iters, a, b);
	map64 = bench_summarize(a, iters);
	unmap64 = bench_summarize(b, iters);
	sync = bench_syncobj_wake(fd, iters / 2 < 10 ? 10 : iters / 2, a);

	printf("bench: %d iterations per row (syncobj: %d); the baseline is measured in this run\n",
	       iters, iters / 2 < 10 ? 10 : iters / 2);
	printf("  baseline: 64 B write+read echo over a SOCK_SEQPACKET socketpair to a child\n");
	printf("  VM_BIND rows: one synchronous ioctl on a VM that is not on an AS (page-table\n");
	printf("    updates without MMU flushes); each map is followed by a timed unmap of the\n");
	printf("    whole range as one UNMAP op; the 2 MiB BO can map as one block\n");
	printf("  syncobj: CLOCK_MONOTONIC from the SYNCOBJ_SIGNAL call (main thread) to the\n");
	printf("    return of SYNCOBJ_WAIT(WAIT_FOR_SUBMIT) blocked in another thread\n");
	printf("%-40s %10s %10s %8s\n", "operation", "median us", "p99 us", "x base");
	row("baseline: bare UNIX socket round trip", base, base.median);
	row("VM_BIND map 1 x 4 KiB", map4k, base.median);
	row("VM_BIND unmap 4 KiB", unmap4k, base.median);
	row("VM_BIND map 1 x 2 MiB", map2m, base.median);
	row("VM_BIND unmap 2 MiB", unmap2m, base.median);
	row("VM_BIND map 64 x 4 KiB (one ioctl)", map64, base.median);
	row("VM_BIND unmap 64 x 4 KiB (one op)", unmap64, base.median);
	row("syncobj signal -> wait return", sync, base.median);
	close(fd);
	free(a);
	free(b);
	return 0;
}
