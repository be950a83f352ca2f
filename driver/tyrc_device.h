/* SPDX-License-Identifier: MIT */
/*
 * DOC: Device
 *
 * struct tyrc_device is the driver's per-GPU state (panthor_device). Bring-up
 * order, fixed: DRM core state → GPU block (identify, IRQ, soft reset, L2
 * power) → mmu → fw → sched. remove() unwinds in reverse.
 *
 * Lock order: drm.files_lock → drm.master_lock.
 */
#ifndef TYRC_DEVICE_H
#define TYRC_DEVICE_H

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_drv.h"

struct tyrc_mmu;
struct tyrc_pwr;
struct tyrc_fw;
struct tyrc_sched;
struct tyrc_vm_pool;
struct tyrc_group_pool;
struct tyrc_gem_mgr;

/* Driver identity, as DRM_IOCTL_VERSION reports it. */
#define TYRC_DRIVER_NAME "panthor"
#define TYRC_DRIVER_DESC "Panthor DRM driver"
#define TYRC_DRIVER_DATE "0"
#define TYRC_DRIVER_MAJOR 1
#define TYRC_DRIVER_MINOR 8
#define TYRC_DRIVER_PATCHLEVEL 0
/* Bus id of the RK3588 GPU platform device (DRM_IOCTL_GET_UNIQUE). */
#define TYRC_DEVICE_UNIQUE "fb000000.gpu"

/** struct tyrc_device - one probed GPU. */
struct tyrc_device {
	/** @cfg: host-chosen configuration, read-only after probe. */
	struct tyrc_device_config cfg;
	/** @iomem: the MMIO window (not owned). */
	struct tyrc_iomem *iomem;
	/** @platform: resources given at probe (not owned). */
	struct tyrc_platform platform;
	/** @pwr: GPU control / power layer. */
	struct tyrc_pwr *pwr;
	/** @fw: the CSF firmware layer. */
	struct tyrc_fw *fw;
	/** @sched: the scheduler (tyrc_sched.h); NULL without firmware. */
	struct tyrc_sched *sched;
	/** @reset: GPU reset (hang recovery), run on its own ordered workqueue. */
	struct {
		struct tyrc_workqueue *wq;
		struct tyrc_work work;
		/** @count: completed resets (read with READ_ONCE). */
		u32 count;
	} reset;
	/** @mmu: MMU layer (address spaces, page-table flushes, faults); NULL until tyrc_mmu_init(). */
	struct tyrc_mmu *mmu;
	/** @gpu_info: identity as DEV_QUERY GPU_INFO returns it; read-only after probe. */
	struct drm_panthor_gpu_info gpu_info;
	/** @model_name: "G610" etc., from arch/product major. */
	const char *model_name;
	/** @coherent: the SoC keeps GPU accesses IO-coherent (RK3588: no). */
	bool coherent;
	/**
	 * @profiling: panthor's sysfs ``profiling`` mask (bit 0 cycles, bit 1
	 * timestamps; enum tyrc_ring_profile), read by the scheduler when it
	 * writes a job's ring block (atomic; off by default).
	 */
	u32 profiling;

	/** @drm: DRM core state. */
	struct {
		/** @files_lock: protects @files, @open_count, @next_client_id, @unplugged. */
		struct tyrc_mutex files_lock;
		/** @files: every open struct tyrc_file (files_lock). */
		struct tyrc_list_head files;
		/** @open_count: number of entries in @files (files_lock). */
		unsigned int open_count;
		/** @next_client_id: drm-client-id of the next file (files_lock). */
		u32 next_client_id;
		/** @unplugged: remove() started; new opens and ioctls fail with -ENODEV. */
		bool unplugged;
		/** @files_wq: woken when @open_count drops. */
		struct tyrc_waitqueue files_wq;
		/** @master_lock: protects @master and every file's master state. */
		struct tyrc_mutex master_lock;
		/** @master: the current DRM master file or NULL (master_lock; no reference). */
		struct tyrc_file *master;
		/** @magics: auth magic → file (no reference; erased at release). */
		struct tyrc_xa magics;
		/** @gem: live BOs and the mmap offset space (tyrc_gem.c). */
		struct tyrc_gem_mgr *gem;
	} drm;
};

/**
 * struct tyrc_file - one open DRM file (drm_file + panthor_file).
 */
struct tyrc_file {
	struct tyrc_device *dev;
	/** @type: node it was opened through. */
	enum tyrc_minor_type type;
	/** @client: the opener. */
	struct tyrc_client client;
	/** @client_id: unique per device, never reused. */
	u32 client_id;
	/** @link: entry in dev->drm.files (files_lock). */
	struct tyrc_list_head link;
	/** @is_master: this file is the current master (master_lock). */
	bool is_master;
	/** @was_master: this file was master once (master_lock). */
	bool was_master;
	/** @authenticated: may use DRM_AUTH ioctls (master_lock). */
	bool authenticated;
	/** @magic: auth magic handed out by GET_MAGIC, 0 if none (master_lock). */
	u32 magic;
	/** @gem_handles: GEM handle → struct tyrc_gem_object (each holds a reference). */
	struct tyrc_xa gem_handles;
	/** @syncobj_handles: syncobj handle → struct tyrc_syncobj (each holds a reference). */
	struct tyrc_xa syncobj_handles;
	/** @vms: the file's VMs (tyrc_vm_ioctl.c); set at open, freed at release. */
	struct tyrc_vm_pool *vms;
	/** @groups: the file's groups (tyrc_group.c); set at open, freed at release. */
	struct tyrc_group_pool *groups;
	/**
	 * @user_mmio_offset: where this file's user MMIO space starts in mmap
	 * offsets (SET_USER_MMIO_OFFSET; DRM_PANTHOR_USER_MMIO_OFFSET by
	 * default). Read and written with READ_ONCE/WRITE_ONCE.
	 */
	u64 user_mmio_offset;
	/**
	 * @stats: GPU usage of the file's jobs, for fdinfo: @stats.engine_ns
	 * accumulates each profiled job's timestamp delta converted to ns,
	 * @stats.cycles its cycle-count delta (the scheduler adds them when
	 * the job completes; read and written atomically).
	 */
	struct {
		u64 engine_ns;
		u64 cycles;
	} stats;
};

static inline bool tyrc_file_is_render(const struct tyrc_file *file)
{
	return file->type == TYRC_MINOR_RENDER;
}

/* Privilege checks against the opener's credentials (root has every capability). */
static inline bool tyrc_file_capable(const struct tyrc_file *file)
{
	return file->client.uid == 0;
}

/**
 * tyrc_device_schedule_reset() - queue a full GPU reset (firmware hang, a
 * timeout that leaves the GPU in an unknown state). Safe from any context.
 */
void tyrc_device_schedule_reset(struct tyrc_device *dev);

/* DRM core (tyrc_drm.c) */
int tyrc_drm_init(struct tyrc_device *dev);
void tyrc_drm_fini(struct tyrc_device *dev);
void tyrc_drm_unplug(struct tyrc_device *dev);

#endif /* TYRC_DEVICE_H */
