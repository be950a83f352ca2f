// SPDX-License-Identifier: MIT
/*
 * Shim integration test: runs under `tyrc run` with the fake host
 * (tyrc-fake-host) and checks what a program sees through the shim — node
 * opens, stat values, /proc/self/fd links and reopen, descriptor sharing
 * across dup/fork/exec, release on last close and on SIGKILL, EFAULT for
 * bad pointers, untouched non-DRM ioctls, directories and sysfs files,
 * /proc/<pid>/fdinfo of DRM files (and of anything else, untouched), the
 * writable profiling attribute, mmap, concurrency, and silence on stderr.
 *
 * Plain libc only. Output is TAP; each subtest runs in its own child.
 * Usage: shim_test [subtest]
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_drm.h"

#define DEADLINE_MS 5000
#define SUBTEST_TIMEOUT_S 30

static const char *self_exe;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			printf("# %s:%d: check failed: %s (errno %d: %s)\n", __FILE__, __LINE__, \
			       #cond, errno, strerror(errno));                                   \
			fflush(stdout);                                                          \
			_exit(1);                                                                \
		}                                                                                \
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int open_node(const char *path, int flags)
{
	int fd = open(path, flags);

	CHECK(fd >= 0);
	return fd;
}

static struct fake_file_id file_id(int fd)
{
	struct fake_file_id id;

	memset(&id, 0, sizeof(id));
	CHECK(ioctl(fd, FAKE_IOCTL_FILE_ID, &id) == 0);
	return id;
}

/* Number of rows of the debugfs clients listing belonging to @pid. */
static int client_rows(pid_t pid)
{
	char line[256];
	int rows = 0;
	FILE *f = fopen("/sys/kernel/debug/dri/0/clients", "re");

	CHECK(f);
	CHECK(fgets(line, sizeof(line), f) && strstr(line, "command"));
	while (fgets(line, sizeof(line), f)) {
		char comm[64];
		int p;

		if (sscanf(line, "%63s %d", comm, &p) == 2 && p == pid)
			rows++;
	}
	fclose(f);
	return rows;
}

static bool wait_rows(pid_t pid, int want)
{
	uint64_t end = now_ms() + DEADLINE_MS;

	while (client_rows(pid) != want) {
		if (now_ms() > end)
			return false;
		poll(NULL, 0, 2);
	}
	return true;
}

/* ---- subtests ---- */

static void t_open_nodes(void)
{
	int (*open64_2)(const char *, int) =
		(int (*)(const char *, int))dlsym(RTLD_DEFAULT, "__open64_2");
	int (*openat64_2)(int, const char *, int) =
		(int (*)(int, const char *, int))dlsym(RTLD_DEFAULT, "__openat64_2");
	int fd, rfd, fd2;

	fd = open_node("/dev/dri/card0", O_RDWR);
	rfd = open_node("/dev/dri/renderD128", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	CHECK(file_id(fd).minor == 0);
	CHECK(file_id(rfd).minor == 128);
	CHECK(file_id(fd).pid == getpid());
	CHECK(!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	CHECK(fcntl(rfd, F_GETFD) & FD_CLOEXEC);
	CHECK(fcntl(rfd, F_GETFL) & O_NONBLOCK);
	CHECK(!(fcntl(fd, F_GETFL) & O_NONBLOCK));

	fd2 = openat(AT_FDCWD, "/dev/dri/card0", O_RDWR);
	CHECK(fd2 >= 0 && file_id(fd2).id != file_id(fd).id);
	close(fd2);
	fd2 = open64("/dev/dri/renderD128", O_RDONLY);
	CHECK(fd2 >= 0 && file_id(fd2).minor == 128);
	close(fd2);
	CHECK(open64_2 && openat64_2);
	fd2 = open64_2("/dev/dri/card0", O_RDWR);
	CHECK(fd2 >= 0 && file_id(fd2).minor == 0);
	close(fd2);
	fd2 = openat64_2(AT_FDCWD, "/dev/dri/renderD128", O_RDWR);
	CHECK(fd2 >= 0 && file_id(fd2).minor == 128);
	close(fd2);
	/* The by-path links lead to the nodes. */
	fd2 = open_node("/dev/dri/by-path/platform-fb000000.gpu-render", O_RDWR);
	CHECK(file_id(fd2).minor == 128);
	close(fd2);

	/* Other DRM nodes do not exist. */
	CHECK(open("/dev/dri/card1", O_RDWR) < 0 && errno == ENOENT);
	CHECK(open("/dev/dri/renderD129", O_RDWR) < 0 && errno == ENOENT);
	CHECK(open("/dev/dri/card0", O_RDWR | O_DIRECTORY) < 0 && errno == ENOTDIR);
	close(fd);
	close(rfd);
}

static void check_node_stat(const struct stat *st, unsigned int minor)
{
	CHECK(S_ISCHR(st->st_mode));
	CHECK((st->st_mode & 0777) == 0666);
	CHECK(major(st->st_rdev) == 226);
	CHECK(minor(st->st_rdev) == minor);
}

static void t_stat_values(void)
{
	int (*xstat)(int, const char *, struct stat *) =
		(int (*)(int, const char *, struct stat *))dlsym(RTLD_DEFAULT, "__xstat");
	struct stat c, r, c2, l, f, at;
	struct statx sx;
	int fd, rfd;

	CHECK(stat("/dev/dri/card0", &c) == 0);
	check_node_stat(&c, 0);
	CHECK(stat("/dev/dri/renderD128", &r) == 0);
	check_node_stat(&r, 128);
	CHECK(c.st_dev == r.st_dev);
	CHECK(c.st_ino != r.st_ino);
	CHECK(stat("/dev/dri/card0", &c2) == 0 && c2.st_ino == c.st_ino);
	CHECK(lstat("/dev/dri/card0", &l) == 0 && l.st_ino == c.st_ino && S_ISCHR(l.st_mode));

	fd = open_node("/dev/dri/card0", O_RDWR);
	rfd = open_node("/dev/dri/renderD128", O_RDWR);
	CHECK(fstat(fd, &f) == 0);
	check_node_stat(&f, 0);
	CHECK(f.st_ino == c.st_ino && f.st_dev == c.st_dev);
	CHECK(fstat(rfd, &f) == 0 && f.st_ino == r.st_ino);
	CHECK(fstatat(fd, "", &at, AT_EMPTY_PATH) == 0 && at.st_ino == c.st_ino);
	CHECK(fstatat(AT_FDCWD, "/dev/dri/renderD128", &at, 0) == 0 && at.st_ino == r.st_ino);
	CHECK(statx(AT_FDCWD, "/dev/dri/card0", 0, STATX_BASIC_STATS, &sx) == 0);
	CHECK(S_ISCHR(sx.stx_mode) && sx.stx_rdev_major == 226 && sx.stx_rdev_minor == 0);
	CHECK(sx.stx_ino == c.st_ino);
	CHECK(statx(rfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) == 0);
	CHECK(sx.stx_rdev_minor == 128 && sx.stx_ino == r.st_ino);
	if (xstat) { /* glibc's old ABI, still exported for old binaries */
		CHECK(xstat(1, "/dev/dri/card0", &at) == 0 && at.st_ino == c.st_ino);
	}

	CHECK(stat("/dev/dri", &at) == 0 && S_ISDIR(at.st_mode));
	CHECK(stat("/dev/dri/card3", &at) < 0 && errno == ENOENT);
	CHECK(stat("/sys/dev/char/226:1", &at) < 0 && errno == ENOENT);
	/* stat through /proc/self/fd follows to the node. */
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", rfd);
		CHECK(stat(path, &at) == 0 && at.st_ino == r.st_ino);
	}
	/* Ordinary files are untouched. */
	CHECK(stat("/dev/null", &at) == 0 && major(at.st_rdev) == 1);
	close(fd);
	close(rfd);
}

static void t_readlink_proc_fd(void)
{
	char path[64], buf[PATH_MAX], *rp;
	int fd = open_node("/dev/dri/card0", O_RDWR),
	    rfd = open_node("/dev/dri/renderD128", O_RDWR);
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf));
	CHECK(n == (ssize_t)strlen("/dev/dri/card0") && !memcmp(buf, "/dev/dri/card0", (size_t)n));
	/* Truncation without a NUL, as readlink does. */
	CHECK(readlink(path, buf, 4) == 4 && !memcmp(buf, "/dev", 4));
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), rfd);
	n = readlink(path, buf, sizeof(buf));
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(!strcmp(buf, "/dev/dri/renderD128"));
	n = readlinkat(AT_FDCWD, path, buf, sizeof(buf));
	CHECK(n == (ssize_t)strlen("/dev/dri/renderD128"));
	rp = realpath(path, NULL);
	CHECK(rp && !strcmp(rp, "/dev/dri/renderD128"));
	free(rp);
	rp = realpath("/dev/dri/by-path/platform-fb000000.gpu-card", buf);
	CHECK(rp && !strcmp(buf, "/dev/dri/card0"));
	/* Non-DRM descriptors keep their real links. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", 1);
	CHECK(readlink(path, buf, sizeof(buf)) > 0);
	close(fd);
	close(rfd);
}

static void t_reopen_independent(void)
{
	char path[64];
	int fd = open_node("/dev/dri/renderD128", O_RDWR), fd2, fd3;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open_node(path, O_RDWR);
	CHECK(file_id(fd2).id != file_id(fd).id);
	CHECK(file_id(fd2).minor == 128);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), fd2);
	fd3 = open_node(path, O_RDWR | O_CLOEXEC);
	CHECK(file_id(fd3).id != file_id(fd2).id && file_id(fd3).id != file_id(fd).id);
	CHECK(fcntl(fd3, F_GETFD) & FD_CLOEXEC);
	close(fd);
	close(fd2);
	close(fd3);
}

static void t_dup_shares(void)
{
	int fd = open_node("/dev/dri/card0", O_RDWR), d1, d2, d3, d4, d5;
	uint32_t id = file_id(fd).id;

	d1 = dup(fd);
	d2 = dup2(fd, 100);
	d3 = dup3(fd, 101, O_CLOEXEC);
	d4 = fcntl(fd, F_DUPFD, 50);
	d5 = fcntl(fd, F_DUPFD_CLOEXEC, 60);
	CHECK(d1 >= 0 && d2 == 100 && d3 == 101 && d4 >= 50 && d5 >= 60);
	CHECK(file_id(d1).id == id && file_id(d2).id == id && file_id(d3).id == id);
	CHECK(file_id(d4).id == id && file_id(d5).id == id);
	close(fd);
	CHECK(file_id(d5).id == id);
	close(d1);
	close(d2);
	close(d3);
	close(d4);
	close(d5);
}

static void t_fork_inherits(void)
{
	int fd = open_node("/dev/dri/card0", O_RDWR), status;
	uint32_t id = file_id(fd).id;
	pid_t pid;

	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		int own;

		CHECK(file_id(fd).id == id);
		own = open_node("/dev/dri/renderD128", O_RDWR);
		/* The child's own file carries the child's credentials. */
		CHECK(file_id(own).pid == getpid());
		CHECK(file_id(own).id != id);
		close(own);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	/* The parent's connection still works after the child used its own. */
	CHECK(file_id(fd).id == id);
	close(fd);
}

static void t_exec_keeps(void)
{
	int fd = open_node("/dev/dri/card0", O_RDWR), status;
	char fdarg[16], idarg[16];
	pid_t pid;

	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	snprintf(idarg, sizeof(idarg), "%u", file_id(fd).id);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		execl(self_exe, self_exe, "--exec-child", fdarg, idarg, (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	close(fd);
}

static int exec_child(int fd, uint32_t id)
{
	struct stat st;

	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode));
	CHECK(file_id(fd).id == id);
	return 0;
}

static void t_close_releases(void)
{
	int fd, d;

	CHECK(wait_rows(getpid(), 0));
	fd = open_node("/dev/dri/card0", O_RDWR);
	CHECK(client_rows(getpid()) == 1);
	d = dup(fd);
	CHECK(client_rows(getpid()) == 1);
	close(fd);
	CHECK(client_rows(getpid()) == 1);
	CHECK(file_id(d).minor == 0);
	close(d);
	CHECK(wait_rows(getpid(), 0));
	/* The render node's debugfs lists the same device files. */
	fd = open_node("/dev/dri/renderD128", O_RDWR);
	CHECK(client_rows(getpid()) == 1);
	close(fd);
	CHECK(wait_rows(getpid(), 0));
}

static void t_sigkill_no_state(void)
{
	int fd = open_node("/dev/dri/renderD128", O_RDWR), p[2], status, round;
	uint32_t blocked;

	for (round = 0; round < 2; round++) {
		bool block = round == 1;
		uint64_t end;
		char c;
		pid_t pid;

		CHECK(pipe(p) == 0);
		pid = fork();
		CHECK(pid >= 0);
		if (!pid) {
			uint64_t out;
			struct fake_block b = { .timeout_ms = 60000 };
			int a = open_node("/dev/dri/card0", O_RDWR);
			int r = open_node("/dev/dri/renderD128", O_RDWR);

			(void)a;
			b.out = (uint64_t)(uintptr_t)&out;
			CHECK(write(p[1], "x", 1) == 1);
			if (block)
				ioctl(r, FAKE_IOCTL_BLOCK, &b);
			pause();
			_exit(0);
		}
		close(p[1]);
		CHECK(read(p[0], &c, 1) == 1);
		close(p[0]);
		CHECK(wait_rows(pid, 2));
		if (block) {
			end = now_ms() + DEADLINE_MS;
			do {
				blocked = 0;
				CHECK(ioctl(fd, FAKE_IOCTL_BLOCKED, &blocked) == 0);
			} while (!blocked && now_ms() < end);
			CHECK(blocked == 1);
		}
		kill(pid, SIGKILL);
		CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
		if (block) {
			/* The blocked ioctl still holds its file until it unwinds. */
			CHECK(ioctl(fd, FAKE_IOCTL_UNBLOCK) == 0);
		}
		CHECK(wait_rows(pid, 0));
	}
	CHECK(ioctl(fd, FAKE_IOCTL_BLOCKED, &blocked) == 0 && blocked == 0);
	close(fd);
}

static void t_efault(void)
{
	int fd = open_node("/dev/dri/card0", O_RDWR);
	struct drm_version v;
	struct fake_xform x = { .len = 64 };
	char buf[64];
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(ro != MAP_FAILED && none != MAP_FAILED);
	CHECK(ioctl(fd, DRM_IOCTL_VERSION, (void *)8) == -1 && errno == EFAULT);
	CHECK(ioctl(fd, DRM_IOCTL_VERSION, none) == -1 && errno == EFAULT);
	/* The struct in read-only memory: the copy-out faults. */
	CHECK(ioctl(fd, DRM_IOCTL_VERSION, ro) == -1 && errno == EFAULT);
	memset(&v, 0, sizeof(v));
	v.name = (char *)16;
	v.name_len = 10;
	CHECK(ioctl(fd, DRM_IOCTL_VERSION, &v) == -1 && errno == EFAULT);
	/* Nested source unreadable, nested destination read-only. */
	memset(buf, 1, sizeof(buf));
	x.src = (uint64_t)(uintptr_t)none;
	x.dst = (uint64_t)(uintptr_t)buf;
	CHECK(ioctl(fd, FAKE_IOCTL_XFORM, &x) == -1 && errno == EFAULT);
	x.src = (uint64_t)(uintptr_t)buf;
	x.dst = (uint64_t)(uintptr_t)ro;
	CHECK(ioctl(fd, FAKE_IOCTL_XFORM, &x) == -1 && errno == EFAULT);
	/* The file is still fine. */
	x.dst = (uint64_t)(uintptr_t)buf;
	CHECK(ioctl(fd, FAKE_IOCTL_XFORM, &x) == 0 && (uint8_t)buf[0] == (1 ^ 0xa5));
	/* Unknown ioctls come back as the driver says. */
	CHECK(ioctl(fd, _IOWR('x', 1, int), buf) == -1 && errno == ENOTTY);
	CHECK(ioctl(fd, DRM_IOWR(0x9f, int), buf) == -1 && errno == EINVAL);
	munmap(ro, 4096);
	munmap(none, 4096);
	close(fd);
}

static void t_non_drm_ioctl(void)
{
	int p[2], sv[2], n = -1, tmp;
	FILE *tf = tmpfile();

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "hello", 5) == 5);
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 5);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(write(sv[0], "abc", 3) == 3);
	CHECK(ioctl(sv[1], FIONREAD, &n) == 0 && n == 3);
	CHECK(tf);
	tmp = fileno(tf);
	CHECK(ioctl(tmp, DRM_IOCTL_VERSION, &n) == -1 && errno == ENOTTY);
	CHECK(ioctl(-1, FIONREAD, &n) == -1 && errno == EBADF);
	fclose(tf);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void t_opendir_dev_dri(void)
{
	struct dirent *de, **list;
	bool card = false, render = false;
	char buf[64];
	int n, i, dfd, fd;
	DIR *d = opendir("/dev/dri");
	struct stat st;
	ssize_t len;

	CHECK(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, "card0"))
			card = de->d_type == DT_CHR;
		if (!strcmp(de->d_name, "renderD128"))
			render = de->d_type == DT_CHR;
		CHECK(strcmp(de->d_name, "card1"));
	}
	CHECK(card && render);
	rewinddir(d);
	CHECK((de = readdir(d)) && !strcmp(de->d_name, "."));
	closedir(d);

	n = scandir("/dev/dri", &list, NULL, name_cmp);
	CHECK(n == 5);
	CHECK(!strcmp(list[3]->d_name, "card0") && !strcmp(list[4]->d_name, "renderD128"));
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);

	/* The sysfs drm directory of a minor, through dirfd()/openat(). */
	d = opendir("/sys/dev/char/226:0/device/drm");
	CHECK(d);
	dfd = dirfd(d);
	CHECK(dfd >= 0 && fstat(dfd, &st) == 0 && S_ISDIR(st.st_mode));
	fd = openat(dfd, "renderD128/dev", O_RDONLY);
	CHECK(fd >= 0);
	len = read(fd, buf, sizeof(buf) - 1);
	CHECK(len > 0);
	buf[len] = '\0';
	CHECK(!strcmp(buf, "226:128\n"));
	close(fd);
	closedir(d);

	/* open(O_DIRECTORY) + fdopendir() of a synthetic directory. */
	dfd = open("/sys/class/drm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(dfd >= 0);
	d = fdopendir(dfd);
	CHECK(d);
	n = 0;
	while ((de = readdir(d)))
		n += !strcmp(de->d_name, "card0") || !strcmp(de->d_name, "renderD128");
	CHECK(n == 2);
	closedir(d);

	CHECK(!opendir("/dev/dri/card0") && errno == ENOTDIR);
	CHECK(!opendir("/sys/class/drm/card9") && errno == ENOENT);
	/* Real directories are untouched. */
	d = opendir("/proc/self");
	CHECK(d && readdir(d));
	closedir(d);
}

static void t_sysfs_files(void)
{
	char line[256], buf[256];
	bool driver = false, compat = false;
	FILE *f;
	ssize_t n;
	int fd;

	f = fopen("/sys/dev/char/226:0/device/uevent", "r");
	CHECK(f);
	while (fgets(line, sizeof(line), f)) {
		driver |= !strcmp(line, "DRIVER=panthor\n");
		compat |= !strcmp(line, "OF_COMPATIBLE_1=arm,mali-valhall-csf\n");
	}
	fclose(f);
	CHECK(driver && compat);
	f = fopen("/sys/dev/char/226:128/uevent", "re");
	CHECK(f && fgets(line, sizeof(line), f));
	fclose(f);
	CHECK(!fopen("/sys/dev/char/226:0/device/uevent", "w") && errno == EACCES);

	fd = open("/sys/class/drm/card0/dev", O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n == 6 && !memcmp(buf, "226:0\n", 6));
	close(fd);

	n = readlink("/sys/dev/char/226:0/device/subsystem", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(!strcmp(strrchr(buf, '/'), "/platform"));
	n = readlink("/sys/dev/char/226:128", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	CHECK(readlink("/dev/dri/card0", buf, sizeof(buf)) < 0 && errno == EINVAL);

	CHECK(access("/dev/dri/card0", R_OK | W_OK) == 0);
	CHECK(access("/sys/dev/char/226:0/device/drm", F_OK) == 0);
	CHECK(access("/dev/dri/card1", F_OK) < 0 && errno == ENOENT);
	CHECK(faccessat(AT_FDCWD, "/dev/dri/renderD128", R_OK, 0) == 0);
	CHECK(euidaccess("/dev/dri/renderD128", W_OK) == 0);

	f = fopen("/sys/kernel/debug/dri/128/name", "r");
	CHECK(f && fgets(line, sizeof(line), f) && !strncmp(line, "panthor ", 8));
	fclose(f);
}

/* All of what @fd reads (then closed), NUL-terminated, in a static buffer. */
static const char *slurp_fd(int fd)
{
	static char buf[8192];
	size_t got = 0;
	ssize_t n;

	CHECK(fd >= 0);
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	CHECK(n == 0);
	close(fd);
	buf[got] = '\0';
	return buf;
}

/* What /proc/self/fdinfo/N must say for DRM fd @drmfd (fake file @id, opened O_RDWR|O_CLOEXEC). */
static void check_drm_fdinfo(const char *text, int drmfd, uint32_t id)
{
	char expect[128];
	struct stat st;
	unsigned long ino;
	int mnt;

	CHECK(fstat(drmfd, &st) == 0);
	CHECK(sscanf(text, "pos:\t0\nflags:\t02000002\nmnt_id:\t%d\nino:\t%lu\n", &mnt, &ino) == 2);
	CHECK(ino == st.st_ino);
	snprintf(expect, sizeof(expect), "\ndrm-driver:\tpanthor\ndrm-client-id:\t%u\n", id);
	CHECK(strstr(text, expect));
	CHECK(!strstr(text, "scm_fds"));
}

static void t_fdinfo(void)
{
	int fd = open_node("/dev/dri/card0", O_RDWR | O_CLOEXEC), dup_fd, other, dirfd;
	uint32_t id = file_id(fd).id;
	char path[128], num[16], line[256];
	const char *text;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	check_drm_fdinfo(slurp_fd(open(path, O_RDONLY)), fd, id);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)getpid(), fd);
	check_drm_fdinfo(slurp_fd(open(path, O_RDONLY | O_CLOEXEC)), fd, id);
	snprintf(path, sizeof(path), "/proc/thread-self/fdinfo/%d", fd);
	check_drm_fdinfo(slurp_fd(openat(AT_FDCWD, path, O_RDONLY)), fd, id);
	snprintf(path, sizeof(path), "/proc/self/task/%d/fdinfo/%d", (int)getpid(), fd);
	check_drm_fdinfo(slurp_fd(open(path, O_RDONLY)), fd, id);

	/* stdio, line by line, as gputop and IGT's parser read it. */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	CHECK(f);
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "pos:\t0\n"));
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "flags:\t02000002\n"));
	fclose(f);

	/* Relative to the fdinfo directory (IGT opens it, then openat()s the number). */
	snprintf(num, sizeof(num), "%d", fd);
	dirfd = open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY);
	CHECK(dirfd >= 0);
	check_drm_fdinfo(slurp_fd(openat(dirfd, num, O_RDONLY)), fd, id);
	close(dirfd);
	CHECK(chdir("/proc/self/fdinfo") == 0);
	check_drm_fdinfo(slurp_fd(open(num, O_RDONLY)), fd, id);
	CHECK(chdir("/") == 0);

	/* One open file description, one client id; another open, another id. */
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	CHECK(dup_fd >= 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dup_fd);
	check_drm_fdinfo(slurp_fd(open(path, O_RDONLY)), dup_fd, id);
	other = open_node("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	CHECK(file_id(other).id != id);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", other);
	check_drm_fdinfo(slurp_fd(open(path, O_RDONLY)), other, file_id(other).id);

	/* Without O_CLOEXEC the flags line says so, as the kernel's would. */
	close(dup_fd);
	dup_fd = dup(fd);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dup_fd);
	text = slurp_fd(open(path, O_RDONLY));
	CHECK(!strncmp(text, "pos:\t0\nflags:\t02\n", 16));

	/* Not a plain read-only open: the kernel answers, as for any fdinfo file. */
	CHECK(open(path, O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
	close(dup_fd);
	close(other);
	close(fd);
}

/* fdinfo of what is not one of our DRM files, or not ours to serve, is the kernel's. */
static void t_fdinfo_passthrough(void)
{
	int p[2], q[2], fd, status;
	char path[128], c;
	const char *text;
	pid_t pid;

	CHECK(pipe2(p, O_CLOEXEC) == 0);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", p[0]);
	text = slurp_fd(open(path, O_RDONLY));
	CHECK(!strncmp(text, "pos:\t0\nflags:\t02000000\n", 23));
	CHECK(!strstr(text, "drm-"));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", 999);
	CHECK(open(path, O_RDONLY) < 0 && errno == ENOENT);

	/* Another process's DRM file: the real (socket) fdinfo. */
	CHECK(pipe(q) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		close(q[1]);
		fd = open("/dev/dri/card0", O_RDWR);
		if (fd < 0 || write(p[1], &fd, sizeof(fd)) != sizeof(fd))
			_exit(1);
		_exit(read(q[0], &c, 1) == 0 ? 0 : 1);
	}
	close(q[0]);
	CHECK(read(p[0], &fd, sizeof(fd)) == sizeof(fd));
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	text = slurp_fd(open(path, O_RDONLY));
	CHECK(!strncmp(text, "pos:\t0\n", 7));
	CHECK(!strstr(text, "drm-driver"));
	close(q[1]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	close(p[0]);
	close(p[1]);
}

#define PROFILING "/sys/class/drm/card0/device/profiling"

static const char *read_profiling(void)
{
	return slurp_fd(open(PROFILING, O_RDONLY | O_CLOEXEC));
}

static void t_sysfs_profiling(void)
{
	char path[64], buf[8];
	struct stat st;
	int fd, drm;
	FILE *f;

	CHECK(stat("/sys/devices/platform/fb000000.gpu/profiling", &st) == 0);
	CHECK(st.st_mode == (S_IFREG | 0644) && st.st_uid == 0);
	CHECK(!strcmp(read_profiling(), "0\n"));
	if (getuid() != 0) {
		CHECK(open(PROFILING, O_WRONLY) < 0 && errno == EACCES);
		CHECK(access(PROFILING, W_OK) < 0 && errno == EACCES);
		return;
	}
	CHECK(access(PROFILING, R_OK | W_OK) == 0);

	/* write() is store(): its result is write()'s. */
	fd = open(PROFILING, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	CHECK(write(fd, "3\n", 2) == 2);
	CHECK(!strcmp(read_profiling(), "3\n"));
	CHECK(write(fd, "4", 1) < 0 && errno == EINVAL);
	CHECK(write(fd, "x", 1) < 0 && errno == EINVAL);
	CHECK(write(fd, "", 0) == 0);
	CHECK(read(fd, buf, sizeof(buf)) < 0 && errno == EBADF);
	close(fd);
	CHECK(!strcmp(read_profiling(), "3\n"));

	/* The driver sees it: the fake's fdinfo gains its cycles line. */
	drm = open_node("/dev/dri/card0", O_RDWR);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", drm);
	CHECK(strstr(slurp_fd(open(path, O_RDONLY)), "\ndrm-cycles-panthor:\t0\n"));

	/* stdio: the store happens at the flush, and its error is fclose()'s. */
	f = fopen(PROFILING, "w");
	CHECK(f && fprintf(f, "0x2\n") == 4);
	CHECK(fclose(f) == 0);
	CHECK(!strcmp(read_profiling(), "2\n"));
	f = fopen(PROFILING, "we");
	CHECK(f && fputs("7", f) >= 0);
	errno = 0;
	CHECK(fclose(f) == EOF && errno == EINVAL);
	CHECK(!strcmp(read_profiling(), "2\n"));

	/* Read-only and read-write descriptors. */
	fd = open(PROFILING, O_RDONLY);
	CHECK(fd >= 0 && write(fd, "1", 1) < 0 && errno == EBADF);
	close(fd);
	fd = open(PROFILING, O_RDWR);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 2 && !memcmp(buf, "2\n", 2));
	CHECK(write(fd, "0", 1) == 1);
	close(fd);
	CHECK(!strcmp(read_profiling(), "0\n"));
	CHECK(!strstr(slurp_fd(open(path, O_RDONLY)), "drm-cycles-panthor"));
	close(drm);
}

static void t_mmap(void)
{
	int fd = open_node("/dev/dri/renderD128", O_RDWR);
	uint8_t *p;
	size_t i;

	p = mmap(NULL, FAKE_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, FAKE_MMAP_OFFSET);
	CHECK(p != MAP_FAILED);
	for (i = 0; i < FAKE_MMAP_SIZE; i++)
		CHECK(p[i] == (uint8_t)i);
	p[0] = 0xff;
	CHECK(munmap(p, FAKE_MMAP_SIZE) == 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EINVAL);
	/* Anonymous and file mappings are untouched. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	munmap(p, 4096);
	close(fd);
}

#define NTHREADS 8
#define NITERS 200

struct worker {
	int shared_fd;
	int ok;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int own = open("/dev/dri/renderD128", O_RDWR), i;
	uint8_t src[300], dst[300];

	if (own < 0)
		return NULL;
	for (i = 0; i < NITERS; i++) {
		struct fake_xform x = { .len = sizeof(src) };
		int fd = (i & 1) ? own : w->shared_fd;
		size_t k;

		for (k = 0; k < sizeof(src); k++)
			src[k] = (uint8_t)(k + i);
		x.src = (uint64_t)(uintptr_t)src;
		x.dst = (uint64_t)(uintptr_t)dst;
		if (ioctl(fd, FAKE_IOCTL_XFORM, &x))
			break;
		for (k = 0; k < sizeof(src); k++)
			if (dst[k] != (uint8_t)(src[k] ^ 0xa5))
				break;
		if (k != sizeof(src))
			break;
	}
	close(own);
	w->ok = i == NITERS;
	return NULL;
}

static void t_threads(void)
{
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int fd = open_node("/dev/dri/card0", O_RDWR), i;

	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .shared_fd = fd };
		CHECK(pthread_create(&th[i], NULL, worker_main, &w[i]) == 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		CHECK(w[i].ok);
	}
	close(fd);
	CHECK(wait_rows(getpid(), 0));
}

static int alarm_fd = -1;

static void on_alarm(int sig)
{
	/* An ioctl from a signal handler while this thread is inside another one. */
	ioctl(alarm_fd, FAKE_IOCTL_UNBLOCK);
}

static void t_signal_reentry(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	struct fake_block b = { .timeout_ms = 20000 };
	uint64_t out = 0, t0;
	int fd = open_node("/dev/dri/renderD128", O_RDWR);

	alarm_fd = fd;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	b.out = (uint64_t)(uintptr_t)&out;
	t0 = now_ms();
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(ioctl(fd, FAKE_IOCTL_BLOCK, &b) == 0);
	CHECK(b.woken == 1 && out >= 1);
	CHECK(now_ms() - t0 < 10000);
	close(fd);
}

static void t_no_host(void)
{
	struct stat st;

	setenv("TYRC_SOCKET", "/nonexistent/tyrc.sock", 1);
	CHECK(open("/dev/dri/card0", O_RDWR) < 0 && errno == ENOENT);
	CHECK(open("/dev/dri/renderD128", O_RDWR) < 0 && errno == ENOENT);
	/* The nodes are still described; only opening them fails. */
	CHECK(stat("/dev/dri/card0", &st) == 0);
}

/* Run a noisy workload in a fresh process with stderr captured; expect nothing. */
static void t_stderr_silence(void)
{
	char buf[512];
	int p[2], status;
	ssize_t n;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		close(p[0]);
		dup2(p[1], 2);
		close(p[1]);
		unsetenv("TYRC_SHIM_DEBUG");
		unsetenv("TYRC_SHIM_LOG");
		execl(self_exe, self_exe, "--noisy-child", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	if (n > 0) {
		buf[n] = '\0';
		printf("# unexpected stderr: %s\n", buf);
	}
	CHECK(n == 0);
}

static int noisy_child(void)
{
	struct drm_version v = { 0 };
	int fd = open("/dev/dri/card0", O_RDWR), n;

	if (fd < 0)
		return 1;
	ioctl(fd, DRM_IOCTL_VERSION, (void *)8);
	ioctl(fd, _IO('x', 7));
	ioctl(fd, DRM_IOCTL_VERSION, &v);
	open("/dev/dri/card7", O_RDWR);
	opendir("/dev/dri/nothing");
	mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 12345 * 4096);
	n = client_rows(getpid());
	close(fd);
	setenv("TYRC_SOCKET", "/nonexistent/tyrc.sock", 1);
	open("/dev/dri/card0", O_RDWR);
	return n == 1 ? 0 : 1;
}

struct subtest {
	const char *name;
	void (*fn)(void);
};

static const struct subtest subtests[] = {
	{ "open-nodes", t_open_nodes },
	{ "stat-values", t_stat_values },
	{ "readlink-proc-fd", t_readlink_proc_fd },
	{ "reopen-independent", t_reopen_independent },
	{ "dup-shares", t_dup_shares },
	{ "fork-inherits", t_fork_inherits },
	{ "exec-keeps", t_exec_keeps },
	{ "close-releases", t_close_releases },
	{ "sigkill-no-state", t_sigkill_no_state },
	{ "efault", t_efault },
	{ "non-drm-ioctl", t_non_drm_ioctl },
	{ "opendir-dev-dri", t_opendir_dev_dri },
	{ "sysfs-files", t_sysfs_files },
	{ "fdinfo", t_fdinfo },
	{ "fdinfo-passthrough", t_fdinfo_passthrough },
	{ "sysfs-profiling", t_sysfs_profiling },
	{ "mmap", t_mmap },
	{ "threads", t_threads },
	{ "signal-reentry", t_signal_reentry },
	{ "no-host", t_no_host },
	{ "stderr-silence", t_stderr_silence },
};

static bool run_subtest(const struct subtest *t)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		alarm(SUBTEST_TIMEOUT_S);
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	if (WIFSIGNALED(status))
		printf("# %s: killed by signal %d\n", t->name, WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	size_t i, n = sizeof(subtests) / sizeof(subtests[0]), planned = 0, failed = 0;
	const char *only = NULL;

	self_exe = "/proc/self/exe";
	if (argc == 4 && !strcmp(argv[1], "--exec-child"))
		return exec_child(atoi(argv[2]), (uint32_t)strtoul(argv[3], NULL, 10));
	if (argc == 2 && !strcmp(argv[1], "--noisy-child"))
		return noisy_child();
	if (argc == 2)
		only = argv[1];
	/* Re-exec'ing needs the real executable, not our own /proc link. */
	{
		static char exe[PATH_MAX];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (len > 0) {
			exe[len] = '\0';
			self_exe = exe;
		}
	}
	for (i = 0; i < n; i++)
		planned += !only || !strcmp(only, subtests[i].name);
	if (!planned) {
		fprintf(stderr, "no subtest named %s\n", only);
		return 2;
	}
	printf("1..%zu\n", planned);
	planned = 0;
	for (i = 0; i < n; i++) {
		bool ok;

		if (only && strcmp(only, subtests[i].name))
			continue;
		ok = run_subtest(&subtests[i]);
		failed += !ok;
		printf("%sok %zu - %s\n", ok ? "" : "not ", ++planned, subtests[i].name);
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
