// SPDX-License-Identifier: MIT
/*
 * DRM_IOCTL_PANTHOR_DEV_QUERY: the GPU_INFO values of a Mali-G610 and every
 * rule of the query protocol (size query, short/long user structs, unknown
 * types, bad pointers).
 */
#include <string.h>
#include <sys/mman.h>
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

	igt_fixture {
		drm_close_driver(fd);
	}
}
