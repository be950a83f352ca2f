// SPDX-License-Identifier: MIT
/*
 * /proc/<pid>/fdinfo of a panthor DRM file (Documentation/gpu/drm-usage-
 * stats.rst, panthor_show_fdinfo()): the kernel's own lines, then
 * drm-driver, drm-client-id, the profiling counters the sysfs "profiling"
 * attribute enables, the GPU clock, the kernel objects' memory and the
 * memory of the file's GEM handles. Plain libc reads, as gputop does.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Per-client usage statistics of panthor DRM files in /proc/<pid>/fdinfo.");

#define FDINFO_MAX 8192
#define KiB 1024ull
#define MiB (1024ull * 1024ull)

/* The fdinfo text of descriptor @fd of this process, NUL-terminated in @buf. */
static void read_fdinfo(int fd, char *buf, size_t size)
{
	char path[64];
	size_t got = 0;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_fd(f);
	while ((n = read(f, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	igt_assert_eq(n, 0);
	close(f);
	buf[got] = '\0';
}

/* The value of "@key:\t<value>\n" in @text (a static copy), or NULL if the key is absent. */
static const char *value_of(const char *text, const char *key)
{
	static char value[256];
	size_t klen = strlen(key);
	const char *p;

	for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		size_t n;

		if (strncmp(p, key, klen) || p[klen] != ':' || p[klen + 1] != '\t')
			continue;
		p += klen + 2;
		n = strcspn(p, "\n");
		igt_assert_f(p[n] == '\n', "%s: unterminated line\n", key);
		igt_assert(n < sizeof(value));
		memcpy(value, p, n);
		value[n] = '\0';
		return value;
	}
	return NULL;
}

/* A decimal number followed by exactly @suffix ("" for none). */
static uint64_t parse_number(const char *key, const char *value, const char *suffix)
{
	char *end;
	uint64_t v;

	igt_assert_f(value, "%s missing\n", key);
	igt_assert_f(value[0] >= '0' && value[0] <= '9', "%s: \"%s\"\n", key, value);
	errno = 0;
	v = strtoull(value, &end, 10);
	igt_assert_eq(errno, 0);
	igt_assert_f(!strcmp(end, suffix), "%s: \"%s\", expected the unit \"%s\"\n", key, value,
		     suffix);
	return v;
}

static uint64_t number_of(const char *text, const char *key, const char *suffix)
{
	return parse_number(key, value_of(text, key), suffix);
}

/*
 * A memory size as drm_fdinfo_print_size() prints it: bytes, or KiB / MiB
 * when exactly divisible, always the largest such unit. Return: bytes.
 */
static uint64_t size_of(const char *text, const char *key)
{
	const char *value = value_of(text, key);
	const char *unit;
	uint64_t v;

	igt_assert_f(value, "%s missing\n", key);
	unit = strchr(value, ' ');
	if (!unit) {
		v = parse_number(key, value, "");
		igt_assert_f(v == 0 || v % KiB, "%s: %" PRIu64 " bytes should be in KiB\n", key, v);
		return v;
	}
	if (!strcmp(unit, " KiB")) {
		v = parse_number(key, value, " KiB");
		igt_assert_f(v && v % 1024, "%s: %" PRIu64 " KiB should be in MiB\n", key, v);
		return v * KiB;
	}
	return parse_number(key, value, " MiB") * MiB;
}

/* drm-resident-memory is printed only once a handle reports residency: absent = 0. */
static uint64_t size_or_zero(const char *text, const char *key)
{
	return value_of(text, key) ? size_of(text, key) : 0;
}

static uint64_t client_id(int fd)
{
	char text[FDINFO_MAX];

	read_fdinfo(fd, text, sizeof(text));
	return number_of(text, "drm-client-id", "");
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_panthor_bo_create bo = { .size = size };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo);
	igt_assert_eq_u64(bo.size, size);
	return bo.handle;
}

/* The sysfs "profiling" attribute of @fd's device, as IGT finds device attributes. */
static void profiling_path(int fd, char *path, size_t len)
{
	struct stat st;

	igt_assert_eq(fstat(fd, &st), 0);
	igt_assert(S_ISCHR(st.st_mode));
	snprintf(path, len, "/sys/dev/char/%u:%u/device/profiling", major(st.st_rdev),
		 minor(st.st_rdev));
}

/* Write @value to the attribute. Return: 0 or -errno of the write. */
static int profiling_write(const char *path, const char *value)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (f < 0)
		return -errno;
	n = write(f, value, strlen(value));
	err = n < 0 ? -errno : 0;
	close(f);
	if (!err)
		igt_assert_eq(n, (ssize_t)strlen(value));
	return err;
}

static unsigned int profiling_read(const char *path)
{
	char buf[32];
	ssize_t n;
	int f = open(path, O_RDONLY | O_CLOEXEC);

	igt_assert_fd(f);
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	igt_assert(n > 0);
	buf[n] = '\0';
	return (unsigned int)parse_number("profiling", buf, "\n");
}

igt_main
{
	char text[FDINFO_MAX], path[128];
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_PANTHOR);
		profiling_path(fd, path, sizeof(path));
	}

	igt_describe("The kernel's lines come first, then panthor's keys in their formats.");
	igt_subtest("keys") {
		struct stat st;
		uint64_t ino, maxfreq, curfreq;
		const char *p;

		read_fdinfo(fd, text, sizeof(text));
		igt_assert_f(!strncmp(text, "pos:\t", 5), "%s", text);
		p = strstr(text, "\nflags:\t");
		igt_assert(p && p < strstr(text, "\nmnt_id:\t"));
		igt_assert(strstr(text, "\nmnt_id:\t") < strstr(text, "\nino:\t"));
		igt_assert(strstr(text, "\nino:\t") < strstr(text, "\ndrm-driver:\t"));
		ino = number_of(text, "ino", "");
		igt_assert_eq(fstat(fd, &st), 0);
		igt_assert_eq_u64(ino, st.st_ino);

		igt_assert_eq(strcmp(value_of(text, "drm-driver"), "panthor"), 0);
		igt_assert(number_of(text, "drm-client-id", "") > 0);
		/* Nobody set a name (SET_CLIENT_NAME). */
		igt_assert(!value_of(text, "drm-client-name"));
		maxfreq = number_of(text, "drm-maxfreq-panthor", " Hz");
		curfreq = number_of(text, "drm-curfreq-panthor", " Hz");
		igt_assert(maxfreq > 0);
		igt_assert(curfreq <= maxfreq);
		igt_assert(size_of(text, "panthor-active-memory") <=
			   size_of(text, "panthor-resident-memory"));
		igt_assert_eq_u64(size_of(text, "drm-total-memory"), 0);
		igt_assert_eq_u64(size_of(text, "drm-shared-memory"), 0);
		/* No handle, so nothing reports residency. */
		igt_assert(!value_of(text, "drm-resident-memory"));

		/* Every line is "key:\tvalue". */
		for (p = text; *p; p = strchr(p, '\n') + 1) {
			size_t key = strcspn(p, ":\n");

			igt_assert_f(key > 0 && p[key] == ':' && p[key + 1] == '\t',
				     "bad line: %.*s\n", (int)strcspn(p, "\n"), p);
			igt_assert(strchr(p, '\n'));
		}
	}

	igt_describe("dup() shares the DRM file, so the client id; each open is a new client.");
	igt_subtest("client-id") {
		int dup_fd = dup(fd), reopened = drm_reopen_driver(fd);
		int other = drm_open_driver(DRIVER_PANTHOR);

		igt_assert_fd(dup_fd);
		igt_assert_eq_u64(client_id(dup_fd), client_id(fd));
		igt_assert_neq_u64(client_id(reopened), client_id(fd));
		igt_assert_neq_u64(client_id(other), client_id(fd));
		igt_assert_neq_u64(client_id(other), client_id(reopened));
		close(dup_fd);
		drm_close_driver(reopened);
		drm_close_driver(other);
	}

	igt_describe("A BO's size is added to total and resident memory at BO_CREATE, and "
		     "removed at GEM_CLOSE; sizes print in the largest exact unit.");
	igt_subtest("bo-memory") {
		int f = drm_reopen_driver(fd);
		uint64_t total, shared, resident;
		uint32_t a, b, c;

		read_fdinfo(f, text, sizeof(text));
		total = size_of(text, "drm-total-memory");
		shared = size_of(text, "drm-shared-memory");
		resident = size_or_zero(text, "drm-resident-memory");
		igt_assert_eq_u64(total, 0);

		a = bo_create(f, 12 * KiB);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq(strcmp(value_of(text, "drm-total-memory"), "12 KiB"), 0);
		igt_assert_eq_u64(size_of(text, "drm-resident-memory"), resident + 12 * KiB);
		igt_assert_eq_u64(size_of(text, "drm-shared-memory"), shared);

		b = bo_create(f, 2 * MiB);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq(strcmp(value_of(text, "drm-total-memory"), "2060 KiB"), 0);
		igt_assert_eq_u64(size_of(text, "drm-resident-memory"), resident + 2060 * KiB);

		c = bo_create(f, 2 * MiB - 12 * KiB);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq(strcmp(value_of(text, "drm-total-memory"), "4 MiB"), 0);
		igt_assert_eq_u64(size_of(text, "drm-resident-memory"), resident + 4 * MiB);
		igt_assert_eq_u64(size_of(text, "drm-shared-memory"), shared);

		/* Another client's fdinfo does not see them. */
		read_fdinfo(fd, text, sizeof(text));
		igt_assert_eq_u64(size_of(text, "drm-total-memory"), 0);

		gem_close(f, b);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq_u64(size_of(text, "drm-total-memory"), 4 * MiB - 2 * MiB);
		gem_close(f, a);
		gem_close(f, c);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq_u64(size_of(text, "drm-total-memory"), total);
		igt_assert(!value_of(text, "drm-resident-memory"));
		drm_close_driver(f);
	}

	igt_describe("A PRIME-exported BO counts as shared memory.");
	igt_subtest("prime-shared-memory") {
		struct drm_get_cap cap = { .capability = DRM_CAP_PRIME };
		struct drm_prime_handle prime = { .flags = DRM_CLOEXEC };
		uint64_t shared;

		do_ioctl(fd, DRM_IOCTL_GET_CAP, &cap);
		igt_require_f(cap.value & DRM_PRIME_CAP_EXPORT, "no PRIME export\n");
		read_fdinfo(fd, text, sizeof(text));
		shared = size_of(text, "drm-shared-memory");
		prime.handle = bo_create(fd, 64 * KiB);
		do_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime);
		read_fdinfo(fd, text, sizeof(text));
		igt_assert_eq_u64(size_of(text, "drm-shared-memory"), shared + 64 * KiB);
		close(prime.fd);
		gem_close(fd, prime.handle);
	}

	igt_describe("Engine time and cycles appear only for the profiling kinds the sysfs "
		     "attribute enables; the attribute takes 0..3 only.");
	igt_subtest("profiling") {
		uint64_t cycles, engine;

		igt_require_f(getuid() == 0, "writing the profiling attribute needs root\n");
		igt_assert_eq(profiling_write(path, "0"), 0);
		igt_assert_eq(profiling_read(path), 0);
		read_fdinfo(fd, text, sizeof(text));
		igt_assert(!value_of(text, "drm-engine-panthor"));
		igt_assert(!value_of(text, "drm-cycles-panthor"));

		igt_assert_eq(profiling_write(path, "3\n"), 0);
		igt_assert_eq(profiling_read(path), 3);
		read_fdinfo(fd, text, sizeof(text));
		engine = number_of(text, "drm-engine-panthor", " ns");
		cycles = number_of(text, "drm-cycles-panthor", "");
		/* Counters only grow. */
		read_fdinfo(fd, text, sizeof(text));
		igt_assert(number_of(text, "drm-engine-panthor", " ns") >= engine);
		igt_assert(number_of(text, "drm-cycles-panthor", "") >= cycles);

		igt_assert_eq(profiling_write(path, "1"), 0);
		read_fdinfo(fd, text, sizeof(text));
		igt_assert(!value_of(text, "drm-engine-panthor"));
		igt_assert(value_of(text, "drm-cycles-panthor"));
		igt_assert_eq(profiling_write(path, "2"), 0);
		read_fdinfo(fd, text, sizeof(text));
		igt_assert(value_of(text, "drm-engine-panthor"));
		igt_assert(!value_of(text, "drm-cycles-panthor"));

		igt_assert_eq(profiling_write(path, "4"), -EINVAL);
		igt_assert_eq(profiling_write(path, "three"), -EINVAL);
		igt_assert_eq(profiling_read(path), 2);

		igt_assert_eq(profiling_write(path, "0"), 0);
		read_fdinfo(fd, text, sizeof(text));
		igt_assert(!value_of(text, "drm-engine-panthor"));
		igt_assert(!value_of(text, "drm-cycles-panthor"));
	}

	igt_describe("A group's kernel objects (rings, interfaces, sync objects, suspend "
		     "buffers) count as panthor-resident-memory while it exists.");
	igt_subtest("group-kernel-memory") {
		int f = drm_reopen_driver(fd);
		uint64_t before, with_group;
		uint32_t vm_id, group;

		read_fdinfo(f, text, sizeof(text));
		before = size_of(text, "panthor-resident-memory");
		igt_panthor_vm_create(f, &vm_id, 0);
		group = igt_panthor_group_create_simple(f, vm_id, 0);
		read_fdinfo(f, text, sizeof(text));
		with_group = size_of(text, "panthor-resident-memory");
		/* At least the 4 KiB ring. */
		igt_assert_f(with_group >= before + 4 * KiB, "%" PRIu64 " -> %" PRIu64 "\n", before,
			     with_group);
		igt_assert(size_of(text, "panthor-active-memory") <= with_group);
		/* Kernel objects are not GEM handles of the file. */
		igt_assert_eq_u64(size_of(text, "drm-total-memory"), 0);

		igt_panthor_group_destroy(f, group, 0);
		read_fdinfo(f, text, sizeof(text));
		igt_assert_eq_u64(size_of(text, "panthor-resident-memory"), before);
		igt_panthor_vm_destroy(f, vm_id, 0);
		drm_close_driver(f);
	}

	igt_describe("fdinfo of a descriptor that is not a DRM file has no DRM keys.");
	igt_subtest("non-drm-fd") {
		int p[2];

		igt_assert_eq(pipe(p), 0);
		read_fdinfo(p[0], text, sizeof(text));
		igt_assert(!strncmp(text, "pos:\t", 5));
		igt_assert(!strstr(text, "drm-"));
		close(p[0]);
		close(p[1]);
	}

	igt_fixture {
		/* Leave profiling off for whoever uses the device next. */
		if (getuid() == 0)
			profiling_write(path, "0");
		drm_close_driver(fd);
	}
}
