// SPDX-License-Identifier: MIT
/*
 * DRM core behaviour of the panthor device: identity, capabilities,
 * permissions, GEM_CLOSE, unknown ioctls, and the life of DRM files across
 * dup(), fork(), reopen, several processes and a killed client.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("DRM core ioctls and file semantics of the panthor device.");

#define CLIENTS_PATH "/sys/kernel/debug/dri/0/clients"
/* Bound for asynchronous release after a client dies (host-side close). */
#define RELEASE_DEADLINE_MS 5000

static int ioctl_errno(int fd, unsigned long req, void *arg)
{
	return igt_ioctl(fd, req, arg) ? errno : 0;
}

/* The auth magic is per DRM file: equal magics mean the same open file. */
static uint32_t file_magic(int fd)
{
	drm_magic_t magic = 0;

	igt_assert_eq(drmGetMagic(fd, &magic), 0);
	igt_assert_neq(magic, 0);
	return magic;
}

static bool is_panthor(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ok = v && strcmp(v->name, "panthor") == 0;

	drmFreeVersion(v);
	return ok;
}

#define FUZZ_ITERATIONS 4000
#define FUZZ_ARG_WORDS 32

/* xorshift64: a tiny deterministic generator for the fuzz subtest. */
static uint64_t fuzz_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/*
 * Argument words: small integers (sizes, counts, handles, low addresses) or
 * kernel-half addresses — never a valid user pointer, so the driver may
 * write wherever it likes without corrupting this process.
 */
static uint64_t fuzz_word(uint64_t *state)
{
	uint64_t r = fuzz_next(state);

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

static int query_gpu_info(int fd, struct drm_panthor_gpu_info *info)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(*info),
		.pointer = (uint64_t)(uintptr_t)info,
	};

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ? -errno : 0;
}

static void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	munmap(p, 4096);
	return p;
}

/* Open DRM files on the device, from the debugfs clients listing. */
static int count_clients(void)
{
	char line[256];
	int n = -1; /* header line */
	FILE *f = fopen(CLIENTS_PATH, "r");

	igt_require_f(f, "no %s\n", CLIENTS_PATH);
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll (bounded) until the host has released files down to @want. */
static int wait_clients(int want)
{
	uint64_t deadline = now_ms() + RELEASE_DEADLINE_MS;
	int n;

	while ((n = count_clients()) != want && now_ms() < deadline)
		usleep(1000);
	return n;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("DRM_IOCTL_VERSION identifies panthor 1.x through libdrm.");
	igt_subtest("version") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_assert_eq(strcmp(v->name, "panthor"), 0);
		igt_assert_eq(strcmp(v->desc, "Panthor DRM driver"), 0);
		igt_assert_eq(strcmp(v->date, "0"), 0);
		igt_assert_eq(v->version_major, 1);
		igt_assert_lte(5, v->version_minor);
		drmFreeVersion(v);
	}

	igt_describe("VERSION copies at most *_len bytes, no NUL, and reports the full length.");
	igt_subtest("version-short-buffers") {
		char name[8], desc[4];
		struct drm_version v = {
			.name_len = 3,
			.name = name,
			.desc_len = 0,
			.desc = desc,
		};

		memset(name, 'x', sizeof(name));
		memset(desc, 'x', sizeof(desc));
		do_ioctl(fd, DRM_IOCTL_VERSION, &v);
		igt_assert_eq(v.name_len, 7);
		igt_assert_eq(memcmp(name, "panxxxxx", 8), 0);
		igt_assert_eq(v.desc_len, strlen("Panthor DRM driver"));
		igt_assert_eq(memcmp(desc, "xxxx", 4), 0);
		igt_assert_eq(v.date_len, 1);
	}

	igt_describe("VERSION with a bad string pointer or a bad struct pointer gives EFAULT.");
	igt_subtest("version-bad-pointers") {
		struct drm_version v = {
			.name_len = 16,
			.name = unmapped_page(),
		};

		do_ioctl_err(fd, DRM_IOCTL_VERSION, &v, EFAULT);
		igt_assert_eq(ioctl_errno(fd, DRM_IOCTL_VERSION, unmapped_page()), EFAULT);
	}

	igt_describe("GET_CAP answers the render-only capabilities and refuses KMS ones.");
	igt_subtest("get-cap") {
		uint64_t value = 42;

		igt_assert_eq(drmGetCap(fd, DRM_CAP_TIMESTAMP_MONOTONIC, &value), 0);
		igt_assert_eq_u64(value, 1);
		igt_assert_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ, &value), 0);
		igt_assert_eq_u64(value, 1);
		igt_assert_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &value), 0);
		igt_assert_eq_u64(value, 1);
		igt_assert_eq(drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &value), -1);
		igt_assert_eq(errno, EOPNOTSUPP);
		igt_assert_eq(drmGetCap(fd, 0xffff, &value), -1);
		igt_assert_eq(errno, EOPNOTSUPP);
	}

	igt_describe("SET_CLIENT_CAP: no capability applies to a render-only driver.");
	igt_subtest("set-client-cap") {
		struct drm_set_client_cap cap = { .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
		int render = drm_open_driver_render(DRIVER_PANTHOR);

		do_ioctl_err(fd, DRM_IOCTL_SET_CLIENT_CAP, &cap, EOPNOTSUPP);
		/* Not allowed on render nodes at all. */
		do_ioctl_err(render, DRM_IOCTL_SET_CLIENT_CAP, &cap, EACCES);
		drm_close_driver(render);
	}

	igt_describe("GEM_CLOSE of a handle that does not exist is EINVAL (DRM core).");
	igt_subtest("gem-close-invalid") {
		struct drm_gem_close close_args = { .handle = 0 };

		do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &close_args, EINVAL);
		close_args.handle = 1;
		do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &close_args, EINVAL);
		close_args.handle = UINT32_MAX;
		do_ioctl_err(fd, DRM_IOCTL_GEM_CLOSE, &close_args, EINVAL);
	}

	igt_describe("Non-DRM ioctls are ENOTTY; DRM numbers beyond the tables are EINVAL.");
	igt_subtest("unknown-ioctls") {
		uint64_t scratch[8] = {};

		igt_assert_eq(ioctl_errno(fd, _IOWR('x', 0x01, uint64_t), scratch), ENOTTY);
		igt_assert_eq(ioctl_errno(fd, TCGETS, scratch), ENOTTY);
		/* Driver range, past panthor's last ioctl. */
		igt_assert_eq(ioctl_errno(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x30, uint64_t), scratch),
			      EINVAL);
		igt_assert_eq(ioctl_errno(fd, DRM_IOWR(DRM_COMMAND_END - 1, uint64_t), scratch),
			      EINVAL);
		/* Core range, number with no handler (legacy DMA). */
		igt_assert_eq(ioctl_errno(fd, DRM_IOWR(0x29, uint64_t), scratch), EINVAL);
		/* KMS ioctls on a render-only driver. */
		igt_assert_eq(ioctl_errno(fd, DRM_IOCTL_MODE_GETRESOURCES, scratch), EOPNOTSUPP);
	}

	igt_describe("An ioctl number whose size differs from the kernel's is zero-extended.");
	igt_subtest("short-struct") {
		/* GET_CAP with only the capability word: value is not copied back. */
		uint64_t cap = DRM_CAP_TIMESTAMP_MONOTONIC;

		do_ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0x0c, sizeof(cap)), &cap);
		igt_assert_eq_u64(cap, DRM_CAP_TIMESTAMP_MONOTONIC);
	}

	igt_describe("The first opener of card0 is master; render nodes have no master ioctls.");
	igt_subtest("master") {
		int second = drm_reopen_driver(fd);
		int render = drm_open_driver_render(DRIVER_PANTHOR);
		drm_magic_t magic;

		/* The fixture's file was the first card0 opener: setting it again is a no-op. */
		do_ioctl(fd, DRM_IOCTL_SET_MASTER, NULL);
		/* fd is master: another primary file cannot take over (root may try). */
		do_ioctl_err(second, DRM_IOCTL_SET_MASTER, NULL, getuid() == 0 ? EBUSY : EACCES);
		do_ioctl_err(second, DRM_IOCTL_DROP_MASTER, NULL, getuid() == 0 ? EINVAL : EACCES);
		/* Authenticate the second file through the master. */
		magic = file_magic(second);
		igt_assert_eq(drmAuthMagic(fd, magic), 0);
		igt_assert_eq(drmAuthMagic(fd, magic), -EINVAL);
		/* Render clients: no magic, no master. */
		igt_assert_eq(drmGetMagic(render, &magic), -EACCES);
		do_ioctl_err(render, DRM_IOCTL_SET_MASTER, NULL, EACCES);
		drm_close_driver(render);
		drm_close_driver(second);
	}

	igt_describe("Device nodes look like DRM character devices to stat/fstat.");
	igt_subtest("node-stat") {
		int render = drm_open_driver_render(DRIVER_PANTHOR);
		struct stat card_st, render_st, path_st;

		igt_assert_eq(fstat(fd, &card_st), 0);
		igt_assert(S_ISCHR(card_st.st_mode));
		igt_assert_eq(major(card_st.st_rdev), 226);
		igt_assert_eq(minor(card_st.st_rdev), 0);
		igt_assert_eq(fstat(render, &render_st), 0);
		igt_assert(S_ISCHR(render_st.st_mode));
		igt_assert_eq(minor(render_st.st_rdev), 128);
		igt_assert_eq(card_st.st_dev, render_st.st_dev);
		igt_assert_eq(stat("/dev/dri/card0", &path_st), 0);
		igt_assert_eq(path_st.st_ino, card_st.st_ino);
		igt_assert_neq(path_st.st_ino, render_st.st_ino);
		drm_close_driver(render);
	}

	igt_describe("dup() shares the DRM file; reopen through /proc/self/fd makes a new one.");
	igt_subtest("dup-and-reopen") {
		uint32_t magic = file_magic(fd);
		int dupfd = dup(fd);
		int dupfd2 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
		int reopened = drm_reopen_driver(fd);

		igt_assert_lte(0, dupfd);
		igt_assert_lte(100, dupfd2);
		igt_assert_eq_u32(file_magic(dupfd), magic);
		igt_assert_eq_u32(file_magic(dupfd2), magic);
		igt_assert_neq(file_magic(reopened), magic);
		close(dupfd);
		close(dupfd2);
		/* The original still works after its duplicates are closed. */
		igt_assert_eq_u32(file_magic(fd), magic);
		drm_close_driver(reopened);
	}

	igt_describe("A forked child shares its parent's DRM file.");
	igt_subtest("fork-shares-file") {
		uint32_t magic = file_magic(fd);

		igt_fork(child, 1) {
			igt_assert_eq_u32(file_magic(fd), magic);
			igt_assert(is_panthor(fd));
		}
		igt_waitchildren();
		igt_assert_eq_u32(file_magic(fd), magic);
	}

	igt_describe("Several processes use their own DRM files concurrently.");
	igt_subtest("concurrent-processes") {
		igt_fork(child, 4) {
			int mine = drm_reopen_driver(fd);
			struct drm_panthor_gpu_info info;
			struct drm_panthor_dev_query q = {
				.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
				.size = sizeof(info),
				.pointer = (uint64_t)(uintptr_t)&info,
			};

			for (int i = 0; i < 200; i++) {
				memset(&info, 0, sizeof(info));
				do_ioctl(mine, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
				igt_assert_eq_u32(info.gpu_id, 0xa8670005);
			}
			drm_close_driver(mine);
		}
		igt_waitchildren();
	}

	igt_describe("Random DRM ioctls with hostile arguments fail cleanly and leave the device "
		     "working.");
	igt_subtest("ioctl-fuzz") {
		uint64_t seed = 0x7972632d66757a7aull; /* fixed: failures must reproduce */
		struct drm_panthor_gpu_info info = {};
		int other = drm_reopen_driver(fd);

		for (int i = 0; i < FUZZ_ITERATIONS; i++) {
			uint64_t arg[FUZZ_ARG_WORDS];
			unsigned int dir = (unsigned int)(fuzz_next(&seed) & 3);
			unsigned int nr = (unsigned int)(fuzz_next(&seed) & 0xff);
			unsigned int size = (unsigned int)(fuzz_next(&seed) % sizeof(arg));
			int ret;

			for (unsigned int w = 0; w < FUZZ_ARG_WORDS; w++)
				arg[w] = fuzz_word(&seed);
			ret = igt_ioctl(other, _IOC(dir, DRM_IOCTL_BASE, nr, size), arg);
			igt_assert_f(ret == 0 || (ret == -1 && errno > 0),
				     "ioctl nr 0x%x size %u returned %d\n", nr, size, ret);
		}
		drm_close_driver(other);
		/* The host survived and still answers correctly. */
		igt_assert(is_panthor(fd));
		igt_assert_eq(query_gpu_info(fd, &info), 0);
		igt_assert_eq_u32(info.gpu_id, 0xa8670005);
	}

	igt_describe("Closing the last fd of a file releases it in the device.");
	igt_subtest("close-releases-file") {
		int before = count_clients();
		int other = drm_reopen_driver(fd);
		int copy = dup(other);

		igt_assert_eq(count_clients(), before + 1);
		drm_close_driver(other);
		/* The dup keeps the open file description alive. */
		igt_assert_eq(count_clients(), before + 1);
		close(copy);
		igt_assert_eq(wait_clients(before), before);
	}

	igt_describe("A client killed with SIGKILL leaves no DRM file behind.");
	igt_subtest("sigkill-cleanup") {
		int before = count_clients();
		int ready[2];
		pid_t pid;
		char c;

		igt_assert_eq(pipe(ready), 0);
		pid = fork();
		igt_assert_lte(0, pid);
		if (pid == 0) {
			int a = drm_open_driver(DRIVER_PANTHOR);
			int b = drm_open_driver_render(DRIVER_PANTHOR);
			int d = drm_reopen_driver(a);

			igt_assert(a >= 0 && b >= 0 && d >= 0);
			igt_assert_eq(write(ready[1], "r", 1), 1);
			for (;;)
				pause();
		}
		close(ready[1]);
		igt_assert_eq(read(ready[0], &c, 1), 1);
		close(ready[0]);
		igt_assert_eq(count_clients(), before + 3);
		kill(pid, SIGKILL);
		igt_assert_eq(waitpid(pid, NULL, 0), pid);
		igt_assert_eq(wait_clients(before), before);
		/* And the device still serves everyone else. */
		igt_assert(is_panthor(fd));
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
