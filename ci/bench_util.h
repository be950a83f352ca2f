/* SPDX-License-Identifier: MIT */
/*
 * Small helpers for the ci/ benchmarks that run as DRM clients under
 * `tyrc run`: a monotonic clock, median/p99 of a sample array, ioctls that
 * exit on failure, progress lines on stderr for long phases, and the
 * syncobj signal -> wake baseline. Header-only (static inline), so a bench
 * stays one .c file in ci/meson.build.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#define BENCH_NSEC_PER_SEC 1000000000ull
/* A phase prints progress on stderr once it has run this long. */
#define BENCH_PROGRESS_AFTER_NS (3 * BENCH_NSEC_PER_SEC)

/** struct bench_stat - median and 99th percentile of a sample set, in us. */
struct bench_stat {
	double median, p99;
};

/**
 * struct bench_progress - progress reporting of one phase.
 * @phase: what the phase measures, for the stderr line.
 * @start_ns: when the phase began.
 * @last_ns: when a progress line was last printed (0: never).
 */
struct bench_progress {
	const char *phase;
	uint64_t start_ns, last_ns;
};

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * BENCH_NSEC_PER_SEC + ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v (@n samples in ns) and returns its median and p99 in us. */
static inline struct bench_stat bench_summarize(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_u64);
	return (struct bench_stat){ v[n / 2] / 1000.0, v[(n * 99) / 100] / 1000.0 };
}

static inline void bench_die(const char *what)
{
	perror(what);
	exit(1);
}

/* drmIoctl() that prints @what with errno and exits on failure. */
static inline void bench_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (drmIoctl(fd, req, arg))
		bench_die(what);
}

static inline void bench_progress_start(struct bench_progress *p, const char *phase)
{
	*p = (struct bench_progress){ .phase = phase, .start_ns = bench_now_ns() };
}

/* Prints "@done/@total" at most once a second once the phase runs long. */
static inline void bench_progress(struct bench_progress *p, int done, int total)
{
	uint64_t now = bench_now_ns();

	if (now - p->start_ns < BENCH_PROGRESS_AFTER_NS || now - p->last_ns < BENCH_NSEC_PER_SEC)
		return;
	p->last_ns = now;
	fprintf(stderr, "bench: %s: %d/%d after %.1f s\n", p->phase, done, total,
		(now - p->start_ns) / 1e9);
}

struct bench_waiter {
	int fd;
	uint32_t syncobj;
	int go[2], done[2];
	uint64_t woke;
};

/* Blocks in SYNCOBJ_WAIT (WAIT_FOR_SUBMIT: the syncobj has no fence yet). */
static inline void *bench_waiter_thread(void *arg)
{
	struct bench_waiter *w = arg;
	char c;

	while (read(w->go[0], &c, 1) == 1) {
		struct drm_syncobj_wait wait = {
			.handles = (uint64_t)(uintptr_t)&w->syncobj,
			.count_handles = 1,
			.timeout_nsec = INT64_MAX,
			.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		};

		bench_ioctl(w->fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait, "SYNCOBJ_WAIT");
		w->woke = bench_now_ns();
		if (write(w->done[1], "d", 1) != 1)
			bench_die("write");
	}
	return NULL;
}

/*
 * @iters samples (in @samples) from a SYNCOBJ_SIGNAL call to the return of
 * another thread's SYNCOBJ_WAIT blocked on the same syncobj.
 */
static inline struct bench_stat bench_syncobj_wake(int fd, int iters, uint64_t *samples)
{
	struct drm_syncobj_create create = { 0 };
	struct bench_waiter w = { .fd = fd };
	pthread_t thread;
	char c;

	bench_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create, "SYNCOBJ_CREATE");
	w.syncobj = create.handle;
	if (pipe(w.go) || pipe(w.done))
		bench_die("pipe");
	if (pthread_create(&thread, NULL, bench_waiter_thread, &w))
		bench_die("pthread_create");
	for (int i = 0; i < iters; i++) {
		struct drm_syncobj_array arr = {
			.handles = (uint64_t)(uintptr_t)&w.syncobj,
			.count_handles = 1,
		};
		struct timespec settle = { 0, 300000 };
		uint64_t t;

		bench_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &arr, "SYNCOBJ_RESET");
		if (write(w.go[1], "g", 1) != 1)
			bench_die("write");
		/* Let the waiter reach the host and block there. */
		nanosleep(&settle, NULL);
		t = bench_now_ns();
		bench_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr, "SYNCOBJ_SIGNAL");
		if (read(w.done[0], &c, 1) != 1)
			bench_die("read");
		samples[i] = w.woke - t;
	}
	close(w.go[1]);
	pthread_join(thread, NULL);
	close(w.go[0]);
	close(w.done[0]);
	close(w.done[1]);
	bench_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY,
		    &(struct drm_syncobj_destroy){ .handle = create.handle }, "SYNCOBJ_DESTROY");
	return bench_summarize(samples, iters);
}

#endif /* BENCH_UTIL_H */
