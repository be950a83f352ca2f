/* SPDX-License-Identifier: MIT */
/*
 * DOC: fw layer
 *
 * The CSF firmware as the driver runs it (panthor_fw.c): load the image
 * found on the firmware search path (arm/mali/arch<major>.<minor>/
 * mali_csffw.bin), validate it, place every section in the MCU's own VM
 * (AS 0, 4 GiB) with the permissions it declares, boot the MCU and wait for
 * the global interface, check the interface tables, program the global
 * interface, and keep a PING watchdog whose missed ack resets the GPU.
 * Halting the MCU is the first step of suspend and of a clean unplug.
 *
 * Locking: @iface_lock protects the interface pointers each boot
 * re-publishes (the JOB interrupt handler and info queries read them);
 * @req_lock, taken after it, serialises host writes to GLB_REQ. The
 * watchdog runs on the fw workqueue, the reset on the device's.
 */
#ifndef TYRC_FW_H
#define TYRC_FW_H

#include <tyrc/types.h>

struct tyrc_device;
struct drm_panthor_csif_info;
struct csf_csg_input;
struct csf_csg_output;
struct csf_cs_input;
struct csf_cs_output;
struct tyrc_kva_range;
struct tyrc_mmu_vm;

/** tyrc_fw_init() - load and boot the firmware, program the global interface. */
int tyrc_fw_init(struct tyrc_device *dev);
/** tyrc_fw_fini() - stop the watchdog, halt the MCU, free everything (copes with a partial init). */
void tyrc_fw_fini(struct tyrc_device *dev);
/** tyrc_fw_suspend() - halt the MCU (GLB_REQ.HALT, MCU_STATUS == HALT) and disable it. */
int tyrc_fw_suspend(struct tyrc_device *dev);
/** tyrc_fw_resume() - fast restart after a clean halt: boot again without reloading. */
int tyrc_fw_resume(struct tyrc_device *dev);
/** tyrc_fw_pre_reset() - stop the MCU before a GPU reset; a hung MCU is not asked to halt. */
void tyrc_fw_pre_reset(struct tyrc_device *dev, bool hung);
/** tyrc_fw_post_reset() - reload every section, boot, program the global interface. */
int tyrc_fw_post_reset(struct tyrc_device *dev);

/** struct tyrc_fw_info - what the firmware told us, for `tyrc info`. */
struct tyrc_fw_info {
	/** @git_sha: build id from the image, "" if none. */
	const char *git_sha;
	/** @path: file the image was loaded from. */
	const char *path;
	u32 iface_version;
	u32 instr_features;
	u32 group_num;
	u32 stream_num;
	u32 cs_reg_count;
	u32 scoreboard_count;
	u32 section_count;
	/** @ping_count: watchdog pings acknowledged so far. */
	u32 ping_count;
	/** @suspend_size: bytes of a CSG suspend buffer (CSG 0's control block). */
	u32 suspend_size;
	/** @protm_suspend_size: bytes of a protected-mode CSG suspend buffer. */
	u32 protm_suspend_size;
};

void tyrc_fw_get_info(struct tyrc_device *dev, struct tyrc_fw_info *info);
/** tyrc_fw_csif_info() - the CSIF_INFO answer, derived from the interface tables. */
void tyrc_fw_csif_info(struct tyrc_device *dev, struct drm_panthor_csif_info *info);
/*
 * MCU window for driver-allocated firmware objects (CSF_MCU_SHARED_REGION
 * in panthor): per-queue interface pages and suspend buffers go after the
 * shared section.
 */
#define TYRC_FW_KVA_START 0x04000000u
#define TYRC_FW_KVA_END 0x08000000u

/**
 * tyrc_fw_mcu_vm() - the MCU VM (AS 0), for kernel BOs the firmware reads.
 * Valid from a successful tyrc_fw_init() to tyrc_fw_fini().
 */
struct tyrc_mmu_vm *tyrc_fw_mcu_vm(struct tyrc_device *dev);

/**
 * tyrc_fw_kva() - allocator of [TYRC_FW_KVA_START, TYRC_FW_KVA_END) in the
 * MCU VM, firmware sections already reserved in it. Every allocation must
 * be freed before tyrc_fw_fini().
 */
struct tyrc_kva_range *tyrc_fw_kva(struct tyrc_device *dev);

/** tyrc_fw_ping() - one synchronous watchdog ping. Return: 0 or -ETIMEDOUT. */
int tyrc_fw_ping(struct tyrc_device *dev);

/*
 * CSG and CS interface blocks, for the scheduler. Each boot re-publishes
 * them, so a pointer is valid only until the next reset; the scheduler
 * fetches them again for every use and is stopped across resets. @slot <
 * group_num, @cs < stream_num (tyrc_fw_get_info()).
 */
struct csf_csg_input *tyrc_fw_csg_input(struct tyrc_device *dev, u32 slot);
const struct csf_csg_output *tyrc_fw_csg_output(struct tyrc_device *dev, u32 slot);
struct csf_cs_input *tyrc_fw_cs_input(struct tyrc_device *dev, u32 slot, u32 cs);
const struct csf_cs_output *tyrc_fw_cs_output(struct tyrc_device *dev, u32 slot, u32 cs);

/**
 * tyrc_fw_ring_csg_doorbells() - ask the firmware to look at the CSG
 * slots in @mask: toggle their bits in GLB doorbell_req and ring the
 * global doorbell (panthor_fw_ring_csg_doorbells()).
 */
void tyrc_fw_ring_csg_doorbells(struct tyrc_device *dev, u32 mask);

/**
 * tyrc_fw_csg_wait_acked() - wait until CSG @slot acknowledged the
 * request bits in @mask (ack equal to req there), at most @timeout_ms.
 * Return: 0 or -ETIMEDOUT.
 */
int tyrc_fw_csg_wait_acked(struct tyrc_device *dev, u32 slot, u32 mask, u32 timeout_ms);

#endif /* TYRC_FW_H */
