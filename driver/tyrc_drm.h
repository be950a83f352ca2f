/* SPDX-License-Identifier: MIT */
/*
 * DOC: DRM core
 *
 * The part of Linux's DRM core a render driver relies on: open files,
 * master/authentication state, and drm_ioctl() — command decoding, the
 * permission flags, and the copy-in / zero-extend / copy-out of the
 * argument struct (copy-out happens even when the handler fails).
 */
#ifndef TYRC_DRM_H
#define TYRC_DRM_H

#include <tyrc/kernel.h>

struct tyrc_file;

/* Permission flags of an ioctl, as drm_ioctl_desc.flags. */
enum tyrc_ioctl_flags {
	TYRC_DRM_AUTH = BIT(0),
	TYRC_DRM_MASTER = BIT(1),
	TYRC_DRM_ROOT_ONLY = BIT(2),
	TYRC_DRM_RENDER_ALLOW = BIT(5),
};

/* Handler: @data is the kernel copy of the argument struct. Return: 0 or -errno. */
typedef int (*tyrc_ioctl_fn)(struct tyrc_file *file, void *data);

/** struct tyrc_ioctl_desc - one ioctl: its full command (for size/direction), handler, flags. */
struct tyrc_ioctl_desc {
	unsigned int cmd;
	tyrc_ioctl_fn func;
	u32 flags;
	const char *name;
};

#define TYRC_IOCTL_DEF(ioctl, _func, _flags)                                       \
	{                                                                          \
		.cmd = (ioctl), .func = (_func), .flags = (_flags), .name = #ioctl \
	}

/**
 * tyrc_priority_permit() - may @file create groups of @priority
 * (group_priority_permit())? HIGH and REALTIME need CAP_SYS_NICE (root,
 * for the host) or DRM master. Takes the device's master_lock.
 */
bool tyrc_priority_permit(struct tyrc_file *file, u8 priority);

/* The driver's ioctl table, indexed by nr - DRM_COMMAND_BASE (tyrc_panthor_ioctl.c). */
extern const struct tyrc_ioctl_desc tyrc_panthor_ioctls[];
extern const unsigned int tyrc_panthor_num_ioctls;

#endif /* TYRC_DRM_H */
