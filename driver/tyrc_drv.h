/* SPDX-License-Identifier: MIT */
/*
 * DOC: Driver entry points
 *
 * What the "kernel" (here: the device host) calls: probe/remove of the
 * device on a platform (MMIO window + IRQ lines, as a device tree would
 * describe), and the DRM file operations — open, release, ioctl — that
 * the DRM core would route. Everything returns 0 or a negative errno; the
 * shim turns that into -1/errno at the libc boundary.
 *
 * ioctl semantics are the DRM core's (drm_ioctl()): the argument is a user
 * pointer; the core copies in the user's struct size (from the command
 * number), zero-extends to the kernel's size, calls the handler, and
 * copies the user's size back even when the handler failed.
 */
#ifndef TYRC_DRV_H
#define TYRC_DRV_H

#include <sys/types.h>
#include <tyrc/kernel.h>

struct tyrc_device;
struct tyrc_file;

/** struct tyrc_platform - the resources a device tree node would give the driver. */
struct tyrc_platform {
	/** @iomem: the GPU's MMIO window. */
	struct tyrc_iomem *iomem;
	/** @irq_job, @irq_mmu, @irq_gpu: the three interrupt lines, by name. */
	struct tyrc_irq_line *irq_job;
	struct tyrc_irq_line *irq_mmu;
	struct tyrc_irq_line *irq_gpu;
	/** @timestamp_frequency_hz: rate of the SoC's system timer (arch timer), 0 if unknown. */
	u64 timestamp_frequency_hz;
	/**
	 * @gpu_clock_hz: the GPU clock's rate (the "core" clock of the device
	 * tree node; RK3588's G610: 1 GHz at the top OPP). fdinfo reports it
	 * as both the maximum and the current frequency: there is no devfreq.
	 */
	u64 gpu_clock_hz;
	/** @ram: system RAM the driver allocates pages from (the board's, not owned). */
	struct tyrc_ram *ram;
	/**
	 * @mmio_phys: physical address of the MMIO window (the "reg" of the
	 * device tree node). User mappings of register pages (LATEST_FLUSH_ID)
	 * are answered with physical addresses inside it; the host resolves
	 * them to the model's memory (struct tyrc_vm_area).
	 */
	u64 mmio_phys;
};

/** struct tyrc_device_config - host-chosen knobs (timeouts scale for fast tests). */
struct tyrc_device_config {
	/** @reset_timeout_ms: soft-reset completion wait (panthor: 100 ms). */
	u32 reset_timeout_ms;
	/** @pwr_timeout_ms: L2 power transition wait (panthor: 20 ms). */
	u32 pwr_timeout_ms;
	/**
	 * @firmware_path: NULL-terminated list of directories searched for
	 * arm/mali/arch<major>.<minor>/mali_csffw.bin (request_firmware's path).
	 */
	const char *const *firmware_path;
	/** @fw_boot_timeout_ms: MCU boot wait (panthor: 1000 ms). */
	u32 fw_boot_timeout_ms;
	/** @fw_req_timeout_ms: firmware request acknowledgement wait (panthor: 100 ms). */
	u32 fw_req_timeout_ms;
	/** @fw_halt_timeout_ms: MCU halt wait (panthor: 1000 ms). */
	u32 fw_halt_timeout_ms;
	/** @fw_ping_interval_ms: watchdog period, 0 = no watchdog (panthor: 12000 ms). */
	u32 fw_ping_interval_ms;
	/** @fw_ping_timeout_ms: watchdog ack wait before a GPU reset (panthor: 100 ms). */
	u32 fw_ping_timeout_ms;
	/**
	 * @job_timeout_ms: a job still unfinished this long after it entered
	 * its ring times its group out (panthor: JOB_TIMEOUT_MS, 5000 ms).
	 */
	u32 job_timeout_ms;
	/**
	 * @sched_tick_ms: period of the rotation of same-priority groups
	 * while runnable groups outnumber the CSG slots (panthor: 10 ms).
	 */
	u32 sched_tick_ms;
	/**
	 * @autosuspend_ms: runtime PM: the GPU powers down (groups suspended,
	 * firmware halted, L2 off) after this long with no work, and powers up
	 * again for the next job (panthor: 50 ms autosuspend); 0 keeps it on.
	 */
	u32 autosuspend_ms;
	/**
	 * @allow_high_priority: every client may create HIGH and REALTIME
	 * groups, as if it had CAP_SYS_NICE (a host started for priority
	 * tests); otherwise only root or the DRM master (panthor's rule).
	 */
	bool allow_high_priority;
	/**
	 * @no_firmware: layer tests only — probe stops after the MMU, so a test
	 * can drive AS 0 itself. A device probed this way runs no jobs.
	 */
	bool no_firmware;
};

/** tyrc_device_config_init() - panthor's defaults. */
void tyrc_device_config_init(struct tyrc_device_config *cfg);

/**
 * tyrc_device_probe() - bring the GPU up (soft reset, identify, L2 power)
 * and register the DRM device.
 * Return: 0 with *@out set; -ENODEV if the GPU is not a supported Mali;
 * -ETIMEDOUT if it does not answer; -ENOMEM.
 */
int tyrc_device_probe(const struct tyrc_platform *pdev, const struct tyrc_device_config *cfg,
		      struct tyrc_device **out);
/**
 * tyrc_device_suspend() - runtime-suspend the GPU: halt the MCU (GLB_REQ.HALT),
 * mask interrupts, power the L2 down. Resident groups are SUSPENDed first
 * (the firmware saves their streams) and RESUME after tyrc_device_resume().
 * Return: 0 or the halt's error.
 */
int tyrc_device_suspend(struct tyrc_device *dev);
/** tyrc_device_resume() - power up, restore the address spaces, restart the MCU. */
int tyrc_device_resume(struct tyrc_device *dev);
/** tyrc_device_remove() - unplug: fail new opens, wait for files to close, power down, free. */
void tyrc_device_remove(struct tyrc_device *dev);

/** enum tyrc_minor_type - which device node a file was opened through. */
enum tyrc_minor_type {
	TYRC_MINOR_PRIMARY = 0, /* /dev/dri/card0, minor 0 */
	TYRC_MINOR_RENDER = 2, /* /dev/dri/renderD128, minor 128 */
};

/** struct tyrc_client - who opened a file (from the host's peer credentials). */
struct tyrc_client {
	pid_t pid;
	uid_t uid;
	/** @comm: process name, NUL-terminated. */
	char comm[16];
};

/** tyrc_drm_open() - a new DRM file on @dev. Return: 0 with *@out set, -ENODEV after unplug, -ENOMEM. */
int tyrc_drm_open(struct tyrc_device *dev, enum tyrc_minor_type type,
		  const struct tyrc_client *client, struct tyrc_file **out);
/**
 * tyrc_drm_release() - the last reference to the open file description is
 * gone: free every object the file owns. No ioctl on @file may be running.
 */
void tyrc_drm_release(struct tyrc_file *file);
/**
 * tyrc_drm_ioctl() - run ioctl @cmd with user argument pointer @arg. User
 * memory is reached through the current thread's uaccess (see uaccess.h).
 * Return: 0 or a negative errno (-ENOTTY for an unknown command).
 */
long tyrc_drm_ioctl(struct tyrc_file *file, unsigned int cmd, u64 arg);

/**
 * tyrc_drm_show_fdinfo() - the DRM part of /proc/<pid>/fdinfo/<fd> of
 * @file (drm_show_fdinfo() with panthor's show_fdinfo): drm-driver,
 * drm-client-id, the profiling counters the sysfs ``profiling`` mask
 * enables, the GPU clock, panthor's kernel-object memory and the DRM
 * memory stats of the file's GEM handles, one "key:\tvalue" line each.
 * The kernel's own lines (pos, flags, ...) are the caller's.
 * @buf: where the NUL-terminated text goes; @size: its size.
 * Context: process; takes the file's handle and group locks.
 * Return: the text's length; 0 (nothing printed) after unplug, as
 * drm_dev_enter() failing; -ENOSPC if @size is too small.
 */
int tyrc_drm_show_fdinfo(struct tyrc_file *file, char *buf, size_t size);

/* Bits of the sysfs ``profiling`` mask (PANTHOR_DEVICE_PROFILING_*). */
#define TYRC_PROFILING_CYCLES (1u << 0)
#define TYRC_PROFILING_TIMESTAMP (1u << 1)
#define TYRC_PROFILING_ALL (TYRC_PROFILING_CYCLES | TYRC_PROFILING_TIMESTAMP)

/**
 * tyrc_device_profiling_get() - the sysfs ``profiling`` attribute's value
 * (profiling_show()): which per-job samples jobs submitted from now on take.
 * Return: the mask, TYRC_PROFILING_* bits.
 */
u32 tyrc_device_profiling_get(struct tyrc_device *dev);
/**
 * tyrc_device_profiling_set() - store the ``profiling`` attribute
 * (profiling_store(), once the text is parsed): takes effect for jobs
 * submitted afterwards. Permission (root) is the caller's check, as it is
 * the VFS's for a 0644 attribute.
 * Return: 0, or -EINVAL for bits outside TYRC_PROFILING_ALL.
 */
int tyrc_device_profiling_set(struct tyrc_device *dev, u32 mask);

/** struct tyrc_vm_area_range - @len bytes of physical memory at @phys. */
struct tyrc_vm_area_range {
	u64 phys;
	u64 len;
};

/**
 * struct tyrc_vm_area - one CPU mapping of a DRM file (vm_area_struct).
 *
 * The host fills the request (mm core checks done: @offset page aligned,
 * @len a non-zero page multiple, no overflow) and calls tyrc_drm_mmap();
 * the driver answers like remap_pfn_range() would: physical ranges that
 * cover [0, @len) in order, and the protections the mapping may ever have.
 * Physical addresses are board RAM (struct tyrc_ram) or inside the MMIO
 * window (tyrc_platform.mmio_phys). A successful mmap holds references
 * (the BO) until tyrc_drm_vma_close(); the caller keeps the file alive for
 * as long (vma->vm_file).
 */
struct tyrc_vm_area {
	/** @offset: the mmap offset (vm_pgoff << PAGE_SHIFT). */
	u64 offset;
	/** @len: bytes, page multiple. */
	u64 len;
	/** @prot: PROT_* requested. */
	u32 prot;
	/** @flags: MAP_* requested (MAP_SHARED / MAP_PRIVATE matter). */
	u32 flags;
	/** @prot_mask: out: PROT_* the mapping may have, now and after mprotect(). */
	u32 prot_mask;
	/** @nr_ranges: out: entries in @ranges. */
	u32 nr_ranges;
	/** @ranges: out: malloc'd by the driver, freed by tyrc_drm_vma_close(). */
	struct tyrc_vm_area_range *ranges;
	/** @private: the driver's (the BO reference), opaque to the caller. */
	void *private;
};

/**
 * tyrc_drm_mmap() - map @vma->len bytes of @file at @vma->offset.
 * Offsets below the file's user MMIO offset are BO fake offsets; at and
 * above it, the user MMIO space (only the LATEST_FLUSH_ID page).
 * Return: 0 with @vma filled; -EINVAL (unknown offset, bad range or flags,
 * see the uAPI); -EACCES (BO of another file); -ENODEV after unplug;
 * -ENOMEM. On error nothing needs closing.
 */
int tyrc_drm_mmap(struct tyrc_file *file, struct tyrc_vm_area *vma);
/** tyrc_drm_vma_close() - the mapping is gone (munmap, exit): drop its references. */
void tyrc_drm_vma_close(struct tyrc_vm_area *vma);

/** struct tyrc_drm_gem_stat - one live BO, for the debugfs "gems" listing. */
struct tyrc_drm_gem_stat {
	/** @size: bytes. */
	u64 size;
	/** @mmap_offset: fake offset, 0 if none was asked for. */
	u64 mmap_offset;
	/** @flags: DRM_PANTHOR_BO_* creation flags. */
	u32 flags;
	/** @refcount: handles + mappings (+ in-flight lookups). */
	u32 refcount;
	/** @creator: the client that created it. */
	struct tyrc_client creator;
	/** @label: start of the label ("" if none, truncated). */
	char label[32];
	/** @has_label: a label is set (possibly ""). */
	bool has_label;
};

/**
 * tyrc_drm_gem_stats() - snapshot of live BOs into @out (up to @max).
 * Return: total number of live BOs (may exceed @max).
 */
unsigned int tyrc_drm_gem_stats(struct tyrc_device *dev, struct tyrc_drm_gem_stat *out,
				unsigned int max);

/** struct tyrc_drm_client_stat - one open DRM file, for the debugfs "clients" listing. */
struct tyrc_drm_client_stat {
	struct tyrc_client client;
	enum tyrc_minor_type type;
	u32 client_id;
	bool master;
};

/**
 * tyrc_drm_clients() - snapshot of open files into @out (up to @max).
 * Return: total number of open files (may exceed @max).
 */
unsigned int tyrc_drm_clients(struct tyrc_device *dev, struct tyrc_drm_client_stat *out,
			      unsigned int max);

/** struct tyrc_device_info - what `tyrc info` prints about the probed GPU. */
struct tyrc_device_info {
	u32 gpu_id;
	u32 csf_id;
	u64 shader_present;
	const char *model_name;
	u32 l2_power_on_count;
	/** @fw_git_sha: firmware build id ("" if none); @fw_path: file it came from. */
	char fw_git_sha[64];
	char fw_path[256];
	/** @fw_iface_version: CSF interface version (major << 24 | minor << 16 | patch). */
	u32 fw_iface_version;
	u32 csg_count;
	u32 cs_count;
	/** @as_in_use: bitmask of address spaces bound to a VM (AS 0 = the MCU). */
	u32 as_in_use;
	/** @reset_count: GPU resets since probe. */
	u32 reset_count;
	/** @fw_ping_count: watchdog pings acknowledged. */
	u32 fw_ping_count;
};

void tyrc_device_get_info(struct tyrc_device *dev, struct tyrc_device_info *info);

#endif /* TYRC_DRV_H */
