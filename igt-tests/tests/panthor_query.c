// SPDX-License-Identifier: MIT
/*
 * DRM_IOCTL_PANTHOR_DEV_QUERY: the GPU_INFO values of a Mali-G610 and every
 * rule of the query protocol (size query, short/long user structs, unknown
 * types, bad pointers).
 */
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Query the GPU through DRM_IOCTL_PANTHOR_DEV_QUERY.");

#define GPU_INFO_MIN_SIZE 96 /* through tiler_present */

static int query(int fd, uint32_t type, uint32_t size, void *ptr)
{
	struct drm_panthor_dev_query q = {
		.type = type,
		.size = size,
		.pointer = (uint64_t)(uintptr_t)ptr,
	};
	int ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	return ret ? -errno : 0;
}

#define TIMESTAMP_INFO_V1_SIZE 24 /* the pre-1.8 struct: frequency, timestamp, offset */
#define TIMESTAMP_INFO_MIN_SIZE 16 /* through current_timestamp */
#define G610_TIMESTAMP_HZ 24000000ull

static int query_timestamp(int fd, struct drm_panthor_timestamp_info *info, uint32_t flags)
{
	memset(info, 0xa5, sizeof(*info));
	info->flags = flags;
	return query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(*info), info);
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A page that is not mapped, so a pointer into it faults. */
static void *unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	munmap(p, 4096);
	return p;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("GPU_INFO returns a non-zero GPU id.");
	igt_subtest("query") {
		struct drm_panthor_gpu_info info = {};

		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(info), &info), 0);
		igt_assert_neq(info.gpu_id, 0);
	}

	igt_describe("GPU_INFO reports the RK3588 Mali-G610 MP4 identity registers.");
	igt_subtest("gpu-info-g610") {
		struct drm_panthor_gpu_info info;

		memset(&info, 0xa5, sizeof(info));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(info), &info), 0);
		igt_assert_eq_u32(info.gpu_id, 0xa8670005);
		igt_assert_eq_u32(DRM_PANTHOR_ARCH_MAJOR(info.gpu_id), 10);
		igt_assert_eq_u32(DRM_PANTHOR_ARCH_MINOR(info.gpu_id), 8);
		igt_assert_eq_u32(DRM_PANTHOR_PRODUCT_MAJOR(info.gpu_id), 7);
		igt_assert_eq_u32(info.csf_id, 0x040a0412);
		igt_assert_eq_u32(info.l2_features, 0x07120306);
		igt_assert_eq_u32(info.tiler_features, 0x809);
		igt_assert_eq_u32(info.mem_features, 0x301);
		igt_assert_eq_u32(info.mmu_features, 0x2830);
		igt_assert_eq_u32(DRM_PANTHOR_MMU_VA_BITS(info.mmu_features), 48);
		igt_assert_eq_u32(info.as_present, 0xff);
		igt_assert_eq_u32(info.thread_features, 0x04010000);
		igt_assert_eq_u32(info.max_threads, 2048);
		igt_assert_eq_u32(info.thread_max_workgroup_size, 1024);
		igt_assert_eq_u32(info.thread_max_barrier_size, 1024);
		igt_assert_eq_u32(info.texture_features[0], 0xc1ffff9e);
		igt_assert_eq_u64(info.shader_present, 0x50005);
		igt_assert_eq_u64(info.l2_present, 1);
		igt_assert_eq_u64(info.tiler_present, 1);
		igt_assert_eq_u32(info.selected_coherency, DRM_PANTHOR_GPU_COHERENCY_NONE);
		igt_assert_eq_u32(info.pad, 0);
	}

	igt_describe("A NULL pointer asks for the kernel's struct size.");
	igt_subtest("gpu-info-size-query") {
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		};

		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(struct drm_panthor_gpu_info));
		igt_assert_eq_u32(q.size, 112);
	}

	igt_describe("A user struct smaller than the last mandatory field is refused.");
	igt_subtest("gpu-info-too-small") {
		struct drm_panthor_gpu_info info;

		igt_assert_eq(
			query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_MIN_SIZE - 1, &info),
			-EINVAL);
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, &info), -EINVAL);
	}

	igt_describe("An older, shorter user struct gets exactly its own size written.");
	igt_subtest("gpu-info-short") {
		uint8_t buf[sizeof(struct drm_panthor_gpu_info)];
		struct drm_panthor_gpu_info *info = (void *)buf;

		memset(buf, 0x5a, sizeof(buf));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_MIN_SIZE, buf), 0);
		igt_assert_eq_u32(info->gpu_id, 0xa8670005);
		igt_assert_eq_u64(info->tiler_present, 1);
		for (size_t i = GPU_INFO_MIN_SIZE; i < sizeof(buf); i++)
			igt_assert_f(buf[i] == 0x5a, "byte %zu past the user size was written\n",
				     i);
	}

	igt_describe("A newer, longer user struct gets its tail zeroed.");
	igt_subtest("gpu-info-long") {
		uint8_t buf[sizeof(struct drm_panthor_gpu_info) + 40];
		struct drm_panthor_gpu_info *info = (void *)buf;

		memset(buf, 0xff, sizeof(buf));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(buf), buf), 0);
		igt_assert_eq_u32(info->gpu_id, 0xa8670005);
		for (size_t i = sizeof(*info); i < sizeof(buf); i++)
			igt_assert_f(buf[i] == 0, "tail byte %zu not zeroed\n", i);
	}

	igt_describe("Unknown query types are refused, with and without a pointer.");
	igt_subtest("invalid-type") {
		struct drm_panthor_gpu_info info;
		struct drm_panthor_dev_query q = { .type = 0xdead };

		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, EINVAL);
		igt_assert_eq(query(fd, 0xdead, sizeof(info), &info), -EINVAL);
		igt_assert_eq(query(fd, UINT32_MAX, sizeof(info), &info), -EINVAL);
	}

	igt_describe("A pointer to unmapped memory gives EFAULT, not a crash.");
	igt_subtest("gpu-info-bad-pointer") {
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO,
				    sizeof(struct drm_panthor_gpu_info), unmapped_page()),
			      -EFAULT);
		/* The device still answers afterwards. */
		{
			struct drm_panthor_gpu_info info = {};

			igt_assert_eq(
				query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(info), &info), 0);
			igt_assert_eq_u32(info.gpu_id, 0xa8670005);
		}
	}

	igt_describe("The ioctl struct itself at a bad address gives EFAULT.");
	igt_subtest("bad-ioctl-arg") {
		igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, unmapped_page()), -1);
		igt_assert_eq(errno, EFAULT);
	}

	igt_describe("TIMESTAMP_INFO with flags 0 reports the pre-1.8 set: frequency, "
		     "timestamp, offset; the rest reads 0.");
	igt_subtest("timestamp-info") {
		struct drm_panthor_timestamp_info a, b;
		struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO };

		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(struct drm_panthor_timestamp_info));

		igt_assert_eq(query_timestamp(fd, &a, 0), 0);
		igt_assert_eq(query_timestamp(fd, &b, 0), 0);
		igt_assert_eq_u64(a.timestamp_frequency, G610_TIMESTAMP_HZ);
		igt_assert_eq_u64(a.timestamp_offset, 0);
		igt_assert(a.current_timestamp != 0);
		igt_assert(b.current_timestamp >= a.current_timestamp);
		igt_assert_eq_u64(a.cycle_count, 0);
		igt_assert_eq_u64(a.cpu_timestamp_sec, 0);
		igt_assert_eq_u64(a.cpu_timestamp_nsec, 0);
		igt_assert_eq_u32(a.duration_nsec, 0);
		igt_assert_eq_u32(a.flags, 0);
	}

	igt_describe("TIMESTAMP_INFO samples the CPU clock next to the GPU counters on request.");
	igt_subtest("timestamp-info-cpu") {
		struct drm_panthor_timestamp_info info;
		uint32_t flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
				 DRM_PANTHOR_TIMESTAMP_DURATION;
		clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW };
		uint32_t types[] = { DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC,
				     DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW };

		for (int i = 0; i < 2; i++) {
			uint64_t before = clock_ns(clocks[i]), after, cpu;

			igt_assert_eq(query_timestamp(fd, &info, flags | types[i]), 0);
			after = clock_ns(clocks[i]);
			cpu = info.cpu_timestamp_sec * 1000000000ull + info.cpu_timestamp_nsec;
			igt_assert_f(cpu >= before && cpu <= after,
				     "cpu time %llu outside [%llu, %llu]\n",
				     (unsigned long long)cpu, (unsigned long long)before,
				     (unsigned long long)after);
			igt_assert(info.cpu_timestamp_nsec < 1000000000ull);
			igt_assert(info.current_timestamp != 0);
			igt_assert(info.cycle_count != 0); /* the L2 is powered: cycles run */
			igt_assert(info.duration_nsec <= after - before);
			igt_assert_eq_u64(info.timestamp_frequency, 0); /* not requested */
			igt_assert_eq_u32(info.flags, flags | types[i]);
		}
	}

	igt_describe("TIMESTAMP_INFO refuses unknown flags and unknown CPU clocks.");
	igt_subtest("timestamp-info-invalid-flags") {
		struct drm_panthor_timestamp_info info;

		igt_assert_eq(query_timestamp(fd, &info, 1u << 8), -EINVAL);
		igt_assert_eq(query_timestamp(fd, &info, 1u << 31), -EINVAL);
		igt_assert_eq(query_timestamp(fd, &info, 3u << 1), -EINVAL);
		igt_assert_eq(query_timestamp(fd, &info, 7u << 1), -EINVAL);
	}

	igt_describe("TIMESTAMP_INFO keeps working with the pre-1.8 struct and checks sizes.");
	igt_subtest("timestamp-info-sizes") {
		uint8_t buf[sizeof(struct drm_panthor_timestamp_info) + 16];
		struct drm_panthor_timestamp_info *info = (void *)buf;

		memset(buf, 0, sizeof(buf));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
				    TIMESTAMP_INFO_V1_SIZE, buf),
			      0);
		igt_assert_eq_u64(info->timestamp_frequency, G610_TIMESTAMP_HZ);
		igt_assert(info->current_timestamp != 0);

		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
				    TIMESTAMP_INFO_MIN_SIZE - 1, buf),
			      -EINVAL);

		/* A longer struct: a zero tail is fine and comes back zeroed ... */
		memset(buf, 0, sizeof(buf));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(buf), buf), 0);
		for (size_t i = sizeof(*info); i < sizeof(buf); i++)
			igt_assert_eq(buf[i], 0);
		/* ... a non-zero tail means a newer ABI this driver does not know. */
		buf[sizeof(buf) - 1] = 1;
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(buf), buf),
			      -E2BIG);
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, sizeof(*info),
				    unmapped_page()),
			      -EFAULT);
	}

	igt_describe("GROUP_PRIORITIES_INFO: root may use every priority.");
	igt_subtest("group-priorities") {
		struct drm_panthor_group_priorities_info info;
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO
		};

		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(info));
		memset(&info, 0xff, sizeof(info));
		igt_assert_eq(
			query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, sizeof(info), &info),
			0);
		igt_require_f(getuid() == 0, "privileged mask needs root\n");
		igt_assert_eq(info.allowed_mask, 0xf);
		igt_assert(!info.pad[0] && !info.pad[1] && !info.pad[2]);
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 3, &info),
			      -EINVAL);
	}

	igt_describe("CSIF_INFO reports the firmware's interface shape: 8 CSGs x 8 CSs, 96 "
		     "registers (4 kept by the kernel), 8 scoreboards.");
	igt_subtest("csif-info") {
		struct drm_panthor_csif_info info;
		struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO };

		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(info));
		memset(&info, 0xff, sizeof(info));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(info), &info), 0);
		igt_assert_eq_u32(info.csg_slot_count, 8);
		igt_assert_eq_u32(info.cs_slot_count, 8);
		igt_assert_eq_u32(info.cs_reg_count, 96);
		igt_assert_eq_u32(info.scoreboard_slot_count, 8);
		igt_assert_eq_u32(info.unpreserved_cs_reg_count, 4);
		igt_assert_eq_u32(info.pad, 0);
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(info) - 1, &info),
			      -EINVAL);
	}

	igt_describe("MMU_INFO lists 4 KiB pages and 2 MiB blocks.");
	igt_subtest("mmu-info") {
		struct drm_panthor_mmu_info info = {};

		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, sizeof(info), &info), 0);
		igt_assert_eq_u64(info.page_size_bitmap, 0x201000);
	}

	igt_fixture {
		drm_close_driver(fd);
	}
}
