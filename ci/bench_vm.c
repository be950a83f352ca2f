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

#include "panthor_drm.h"

#define MSG_SIZE 64
#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define ARRAY_OPS 64
#define VA_4K 0x10000000ull
#define VA_2M 0x40000000ull
#define VA_ARRAY 0x80000000ull

struct stat_row {
	double median, p99;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct stat_row summarize(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return (struct stat_row){ v[n / 2] / 1000.0, v[(n * 99) / 100] / 1000.0 };
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Echo server in a child process: the same shape as client <-> host. */
static struct stat_row bench_socket(int iters, uint64_t *samples)
{
	char buf[MSG_SIZE] = { 0 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		die("socketpair");
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
		uint64_t t = now_ns();

		if (write(sv[0], buf, sizeof(buf)) != sizeof(buf) ||
		    read(sv[0], buf, sizeof(buf)) != sizeof(buf))
			die("socket round trip");
		samples[i] = now_ns() - t;
	}
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return summarize(samples, iters);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (drmIoctl(fd, req, arg))
		die(what);
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_panthor_bo_create bo = { .size = size };

	xioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo, "BO_CREATE");
	return bo.handle;
}

/* Time one VM_BIND of @count ops. */
static uint64_t timed_bind(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *ops, uint32_t count)
{
	struct drm_panthor_vm_bind bind = {
		.vm_id = vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(count, ops),
	};
	uint64_t t = now_ns();

	xioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, "VM_BIND");
	return now_ns() - t;
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

struct waiter {
	int fd;
	uint32_t syncobj;
	int go[2], done[2];
	uint64_t woke;
};

/* Blocks in SYNCOBJ_WAIT (WAIT_FOR_SUBMIT: the syncobj has no fence yet). */
static void *waiter_thread(void *p)
{
	struct waiter *w = p;
	char c;

	while (read(w->go[0], &c, 1) == 1) {
		struct drm_syncobj_wait wait = {
			.handles = (uint64_t)(uintptr_t)&w->syncobj,
			.count_handles = 1,
			.timeout_nsec = INT64_MAX,
			.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		xioctl(w->fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait, "SYNCOBJ_WAIT");
		w->woke = now_ns();
		if (write(w->done[1], "d", 1) != 1)
			die("write");
	}
	return NULL;
}

/* From the SYNCOBJ_SIGNAL call to the return of the other thread's SYNCOBJ_WAIT. */
static struct stat_row bench_syncobj(int fd, int iters, uint64_t *samples)
{
	struct drm_syncobj_create create = {};
	struct waiter w = { .fd = fd };
	pthread_t thread;
	char c;

	xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create, "SYNCOBJ_CREATE");
	w.syncobj = create.handle;
	if (pipe(w.go) || pipe(w.done))
		die("pipe");
	if (pthread_create(&thread, NULL, waiter_thread, &w))
		die("pthread_create");
	for (int i = 0; i < iters; i++) {
		struct drm_syncobj_array arr = {
			.handles = (uint64_t)(uintptr_t)&w.syncobj,
			.count_handles = 1,
		};
		struct timespec settle = { 0, 300000 };
		uint64_t t;

		xioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &arr, "SYNCOBJ_RESET");
		if (write(w.go[1], "g", 1) != 1)
			die("write");
		/* Let the waiter reach the host and block there. */
		nanosleep(&settle, NULL);
		t = now_ns();
		xioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr, "SYNCOBJ_SIGNAL");
		if (read(w.done[0], &c, 1) != 1)
			die("read");
		samples[i] = w.woke - t;
	}
	close(w.go[1]);
	pthread_join(thread, NULL);
	close(w.go[0]);
	close(w.done[0]);
	close(w.done[1]);
	return summarize(samples, iters);
}

static void row(const char *name, struct stat_row r, double base)
{
	printf("%-40s %10.2f %10.2f %8.2f\n", name, r.median, r.p99, r.median / base);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 2000;
	uint64_t *a = calloc(iters, sizeof(*a)), *b = calloc(iters, sizeof(*b));
	struct drm_panthor_vm_create vmc = {};
	struct stat_row base, map4k, unmap4k, map2m, unmap2m, map64, unmap64, sync;
	uint32_t bo4k, bo2m;
	int fd;

	if (!a || !b || iters < 10)
		return 2;
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("open /dev/dri/card0 (run under `tyrc run`)");
		return 1;
	}
	xioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vmc, "VM_CREATE");
	bo4k = bo_create(fd, SZ_4K);
	bo2m = bo_create(fd, SZ_2M);

	base = bench_socket(iters, a);
	bench_bind(fd, vmc.id, bo4k, SZ_4K, VA_4K, 1, iters, a, b);
	map4k = summarize(a, iters);
	unmap4k = summarize(b, iters);
	bench_bind(fd, vmc.id, bo2m, SZ_2M, VA_2M, 1, iters, a, b);
	map2m = summarize(a, iters);
	unmap2m = summarize(b, iters);
	bench_bind(fd, vmc.id, bo4k, SZ_4K, VA_ARRAY, ARRAY_OPS, iters, a, b);
	map64 = summarize(a, iters);
	unmap64 = summarize(b, iters);
	sync = bench_syncobj(fd, iters / 2 < 10 ? 10 : iters / 2, a);

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
