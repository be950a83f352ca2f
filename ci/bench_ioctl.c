// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): median round trip of DRM_IOCTL_VERSION through the
 * shim and device host, next to a bare UNIX-socket round trip to another
 * process measured in the same run. Run it under `tyrc run` (ci/bench does).
 */
#include <fcntl.h>
#include <signal.h>
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

#define MSG_SIZE 64

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

static double median_us(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2] / 1000.0;
}

static double p99_us(uint64_t *v, int n)
{
	return v[(n * 99) / 100] / 1000.0; /* v is sorted by median_us() */
}

/* Echo server in a child process: the same shape as client ↔ host. */
static double bench_socket(int iters, uint64_t *samples, double *p99)
{
	int sv[2];
	char buf[MSG_SIZE] = { 0 };
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -1;
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
			return -1;
		samples[i] = now_ns() - t;
	}
	close(sv[0]);
	waitpid(pid, NULL, 0);
	double m = median_us(samples, iters);
	*p99 = p99_us(samples, iters);
	return m;
}

static double bench_version(int fd, int iters, bool strings, uint64_t *samples, double *p99)
{
	char name[16], date[16], desc[32];

	for (int i = 0; i < iters; i++) {
		struct drm_version v = { 0 };
		uint64_t t;

		if (strings) {
			v.name_len = sizeof(name);
			v.name = name;
			v.date_len = sizeof(date);
			v.date = date;
			v.desc_len = sizeof(desc);
			v.desc = desc;
		}
		t = now_ns();
		if (ioctl(fd, DRM_IOCTL_VERSION, &v))
			return -1;
		samples[i] = now_ns() - t;
	}
	double m = median_us(samples, iters);
	*p99 = p99_us(samples, iters);
	return m;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 5000;
	uint64_t *samples = calloc(iters, sizeof(*samples));
	double base, plain, full, base99, plain99, full99;
	int fd;

	if (!samples || iters < 10)
		return 2;
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("open /dev/dri/card0 (run under `tyrc run`)");
		return 1;
	}
	printf("bench: %d iterations each (medians; the baseline is measured in this run)\n",
	       iters);
	fflush(stdout);
	base = bench_socket(iters, samples, &base99);
	plain = bench_version(fd, iters, false, samples, &plain99);
	full = bench_version(fd, iters, true, samples, &full99);
	close(fd);
	if (base < 0 || plain < 0 || full < 0) {
		fprintf(stderr, "bench: a round trip failed\n");
		return 1;
	}
	printf("%-44s %10s %10s %8s\n", "round trip", "median us", "p99 us", "x base");
	printf("%-44s %10.2f %10.2f %8.2f\n", "baseline: bare UNIX socket, 64 B echo", base, base99,
	       1.0);
	printf("%-44s %10.2f %10.2f %8.2f\n", "DRM_IOCTL_VERSION, no strings (1 RTT)", plain,
	       plain99, plain / base);
	printf("%-44s %10.2f %10.2f %8.2f\n", "DRM_IOCTL_VERSION, 3 strings (libdrm call)", full,
	       full99, full / base);
	free(samples);
	return 0;
}
