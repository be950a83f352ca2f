/* SPDX-License-Identifier: MIT */
/*
 * Test-only ioctls of the fake driver (fake_driver.c), shared with the
 * test programs that call them through the shim. Numbers sit in the driver
 * range of DRM ('d', 0x70..), above every panthor ioctl.
 */
#ifndef TYRC_FAKE_DRM_H
#define TYRC_FAKE_DRM_H

#include <stdint.h>
#include <drm.h>

#define FAKE_DRIVER_NAME "panthor"
#define FAKE_DRIVER_DESC "tyrc fake DRM driver (tests)"
#define FAKE_DRIVER_DATE "0"
#define FAKE_DRIVER_MAJOR 1
#define FAKE_DRIVER_MINOR 5

/** struct fake_file_id - which DRM file an fd reaches. */
struct fake_file_id {
	uint32_t id;
	uint32_t minor;
	int32_t pid;
	uint32_t pad;
};

/** struct fake_xform - read @len bytes at @src, write them XORed with 0xA5 at @dst. */
struct fake_xform {
	uint64_t src;
	uint64_t dst;
	uint32_t len;
	uint32_t pad;
};

/**
 * struct fake_block - wait until FAKE_IOCTL_UNBLOCK (or @timeout_ms), then
 * write the 64-bit wake count at @out (a nested copy) and set @woken.
 */
struct fake_block {
	uint64_t out;
	uint32_t timeout_ms;
	uint32_t woken;
};

#define FAKE_XFORM_MAX (4u << 20)

#define FAKE_IOCTL_FILE_ID DRM_IOR(0x70, struct fake_file_id)
#define FAKE_IOCTL_XFORM DRM_IOW(0x71, struct fake_xform)
#define FAKE_IOCTL_BLOCK DRM_IOWR(0x72, struct fake_block)
#define FAKE_IOCTL_UNBLOCK DRM_IO(0x73)
#define FAKE_IOCTL_BLOCKED DRM_IOR(0x74, uint32_t)

#define FAKE_IOCTL_MAPPINGS DRM_IOR(0x75, uint32_t)

/*
 * mmap of the fake driver. Offset FAKE_MMAP_OFFSET (FAKE_MMAP_SIZE bytes):
 * one contiguous range whose byte i is i & 0xff. Offset
 * FAKE_MMAP_SCATTER_OFFSET (FAKE_MMAP_SCATTER_PAGES pages): one range per
 * page, in reverse physical order, page k starting with the u32 k — more
 * extents than one packet holds. FAKE_IOCTL_MAPPINGS counts the mappings
 * the driver has not seen closed yet.
 */
#define FAKE_MMAP_OFFSET 0x100000ull
#define FAKE_MMAP_SIZE 0x4000ull
#define FAKE_MMAP_SCATTER_OFFSET 0x10000000ull
#define FAKE_MMAP_SCATTER_PAGES 4000u
/* Fake "physical" memory behind it: the fake host's memfd at phys - FAKE_PHYS_BASE. */
#define FAKE_PHYS_BASE 0x40000000ull
#define FAKE_PHYS_SCATTER (FAKE_PHYS_BASE + 0x100000ull)
#define FAKE_PHYS_SIZE (0x100000ull + FAKE_MMAP_SCATTER_PAGES * 4096ull)

#endif /* TYRC_FAKE_DRM_H */
