/* SPDX-License-Identifier: MIT */
/*
 * DOC: CSF firmware interface
 *
 * The shared-memory interface between the host and the CSF firmware (MCU),
 * one definition for the driver's fw/sched layers and the model's firmware
 * emulation (csf-firmware.md §3-§7). Every block lives in the firmware's
 * shared section (MCU VA 0x04000000 onwards); the host writes only input
 * blocks, the firmware writes only control and output blocks. All fields
 * are little-endian; offsets are static-asserted against the reference.
 *
 * Protocol (§7): a request bit is toggled in `req` relative to `ack` and
 * completed when the firmware makes `ack` equal; level/value fields are
 * copied from `req` to `ack`; events are toggled in `ack` by the firmware
 * and acknowledged by copying them back into `req`.
 */
#ifndef TYRC_FW_IFACE_H
#define TYRC_FW_IFACE_H

#include <assert.h>
#include <stddef.h>
#include "tyrc_regs.h"

/* Interface version word: major [31:24], minor [23:16], patch [15:0]; 0 = not booted. */
#define CSF_IFACE_VERSION(major, minor, patch) (((u32)(major) << 24) | ((minor) << 16) | (patch))
#define CSF_IFACE_VERSION_MAJOR(v) ((v) >> 24)
#define CSF_IFACE_VERSION_MINOR(v) (((v) >> 16) & 0xff)
#define CSF_IFACE_VERSION_PATCH(v) ((v)&0xffff)

/* Where the control blocks sit inside the shared section. */
#define CSF_GLB_CONTROL_OFFSET 0x0u
#define CSF_CSG_CONTROL_OFFSET 0x1000u
#define CSF_CS_CONTROL_OFFSET 0x40u /* from the CSG control block */

/* Limits panthor checks. */
#define CSF_MIN_GROUPS 3u
#define CSF_MAX_GROUPS 31u
#define CSF_MIN_STREAMS 8u
#define CSF_MAX_STREAMS 32u
/* CS registers the kernel's ring wrapper clobbers (the top ones). */
#define CSF_UNPRESERVED_CS_REGS 4u

/** struct csf_glb_control - global control block (firmware-written). */
struct csf_glb_control {
	u32 version;
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 group_num;
	u32 group_stride;
	u32 perfcnt_size;
	/** @instr_features: valid from interface 1.1.0. */
	u32 instr_features;
};
static_assert(offsetof(struct csf_glb_control, group_num) == 0x10, "GLB control layout");
static_assert(sizeof(struct csf_glb_control) == 0x20, "GLB control size");

/** struct csf_glb_input - global input block (host-written). */
struct csf_glb_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 reserved0;
	u32 progress_timer;
	u32 poweroff_timer;
	u64 core_en_mask;
	u32 reserved1;
	u32 perfcnt_as;
	u64 perfcnt_base;
	u32 perfcnt_extract;
	u32 reserved2[3];
	u32 perfcnt_config;
	u32 perfcnt_csg_select;
	u32 perfcnt_fw_enable;
	u32 perfcnt_csg_enable;
	u32 perfcnt_csf_enable;
	u32 perfcnt_shader_enable;
	u32 perfcnt_tiler_enable;
	u32 perfcnt_mmu_l2_enable;
	u32 reserved3[8];
	u32 idle_timer;
};
static_assert(offsetof(struct csf_glb_input, progress_timer) == 0x10, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, core_en_mask) == 0x18, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, perfcnt_as) == 0x24, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, perfcnt_base) == 0x28, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, perfcnt_extract) == 0x30, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, perfcnt_config) == 0x40, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, perfcnt_mmu_l2_enable) == 0x5c, "GLB input layout");
static_assert(offsetof(struct csf_glb_input, idle_timer) == 0x80, "GLB input layout");

/** struct csf_glb_output - global output block (firmware-written). */
struct csf_glb_output {
	u32 ack;
	u32 reserved0;
	u32 doorbell_ack;
	u32 reserved1;
	/** @halt_status: 0 OK, CSF_HALT_STATUS_* otherwise. */
	u32 halt_status;
	u32 perfcnt_status;
	u32 perfcnt_insert;
};
static_assert(offsetof(struct csf_glb_output, halt_status) == 0x10, "GLB output layout");
static_assert(offsetof(struct csf_glb_output, perfcnt_insert) == 0x18, "GLB output layout");

#define CSF_HALT_STATUS_OK 0x00u
#define CSF_HALT_STATUS_PANIC 0x4eu
#define CSF_HALT_STATUS_WATCHDOG 0x4fu

/* GLB_REQ / GLB_ACK bits */
#define GLB_HALT BIT(0)
#define GLB_CFG_PROGRESS_TIMER BIT(1)
#define GLB_CFG_ALLOC_EN BIT(2)
#define GLB_CFG_POWEROFF_TIMER BIT(3)
#define GLB_PROTM_ENTER BIT(4)
#define GLB_PERFCNT_EN BIT(5)
#define GLB_PERFCNT_SAMPLE BIT(6)
#define GLB_COUNTER_EN BIT(7)
#define GLB_PING BIT(8)
#define GLB_FWCFG_UPDATE BIT(9)
#define GLB_IDLE_EN BIT(10)
#define GLB_SLEEP BIT(12)
#define GLB_INACTIVE_COMPUTE BIT(20)
#define GLB_INACTIVE_FRAGMENT BIT(21)
#define GLB_INACTIVE_TILER BIT(22)
#define GLB_PROTM_EXIT BIT(23)
#define GLB_PERFCNT_THRESHOLD BIT(24)
#define GLB_PERFCNT_OVERFLOW BIT(25)
#define GLB_IDLE BIT(26)
#define GLB_DBG_CSF BIT(30)
#define GLB_DBG_HOST BIT(31)
#define GLB_REQ_MASK GENMASK(10, 0)
#define GLB_EVT_MASK GENMASK(26, 20)

/* Timer fields (progress/poweroff/idle): value [30:0] in units of 1024 ticks. */
#define GLB_TIMER_VAL GENMASK(30, 0)
#define GLB_TIMER_SOURCE_GPU_COUNTER BIT(31)

/** struct csf_csg_control - per-CSG control block (firmware-written). */
struct csf_csg_control {
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 suspend_size;
	u32 protm_suspend_size;
	u32 stream_num;
	u32 stream_stride;
};
static_assert(offsetof(struct csf_csg_control, stream_stride) == 0x18, "CSG control layout");

/** struct csf_csg_input - per-CSG input block (host-written). */
struct csf_csg_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 cs_irq_ack;
	u32 reserved0[4];
	u64 allow_compute;
	u64 allow_fragment;
	u32 allow_other;
	u32 endpoint_req;
	/** @endpoint_req2: interface >= 4.0 only. */
	u64 endpoint_req2;
	u64 suspend_buf;
	u64 protm_suspend_buf;
	/** @config: address-space number of the group's VM. */
	u32 config;
	u32 iter_trace_config;
};
static_assert(offsetof(struct csf_csg_input, allow_compute) == 0x20, "CSG input layout");
static_assert(offsetof(struct csf_csg_input, endpoint_req) == 0x34, "CSG input layout");
static_assert(offsetof(struct csf_csg_input, suspend_buf) == 0x40, "CSG input layout");
static_assert(offsetof(struct csf_csg_input, config) == 0x50, "CSG input layout");
static_assert(offsetof(struct csf_csg_input, iter_trace_config) == 0x54, "CSG input layout");

/** struct csf_csg_output - per-CSG output block (firmware-written). */
struct csf_csg_output {
	u32 ack;
	u32 reserved0;
	u32 doorbell_ack;
	u32 cs_irq_req;
	u32 status_endpoint_current;
	u32 status_endpoint_req;
	u32 status_state;
	u32 resource_dep;
};
static_assert(offsetof(struct csf_csg_output, status_state) == 0x18, "CSG output layout");
static_assert(offsetof(struct csf_csg_output, resource_dep) == 0x1c, "CSG output layout");

/* CSG_REQ / CSG_ACK */
#define CSG_STATE_MASK GENMASK(2, 0)
#define CSG_STATE_TERMINATE 0u
#define CSG_STATE_START 1u
#define CSG_STATE_SUSPEND 2u
#define CSG_STATE_RESUME 3u
#define CSG_ENDPOINT_CONFIG BIT(4)
#define CSG_STATUS_UPDATE BIT(5)
#define CSG_SYNC_UPDATE BIT(28)
#define CSG_IDLE BIT(29)
#define CSG_DOORBELL BIT(30)
#define CSG_PROGRESS_TIMER_EVENT BIT(31)
#define CSG_REQ_MASK (CSG_STATE_MASK | CSG_ENDPOINT_CONFIG | CSG_STATUS_UPDATE)
#define CSG_EVT_MASK (CSG_SYNC_UPDATE | CSG_IDLE | CSG_PROGRESS_TIMER_EVENT)
#define CSG_STATUS_STATE_IS_IDLE BIT(0)

/* endpoint_req */
#define CSG_EP_COMPUTE_CORES GENMASK(7, 0)
#define CSG_EP_FRAGMENT_CORES GENMASK(15, 8)
#define CSG_EP_TILER_CORES GENMASK(19, 16)
#define CSG_EP_EXCL_COMPUTE BIT(20)
#define CSG_EP_EXCL_FRAGMENT BIT(21)
#define CSG_EP_PRIORITY GENMASK(31, 28)

/** struct csf_cs_control - per-CS control block (firmware-written). */
struct csf_cs_control {
	u32 features;
	u32 input_va;
	u32 output_va;
};

/* CS_FEATURES */
#define CS_FEATURES_WORK_REGS GENMASK(7, 0) /* register count - 1 */
#define CS_FEATURES_SCOREBOARDS GENMASK(15, 8)
#define CS_FEATURES_COMPUTE BIT(16)
#define CS_FEATURES_FRAGMENT BIT(17)
#define CS_FEATURES_TILER BIT(18)

/** struct csf_cs_input - per-CS input block (host-written). */
struct csf_cs_input {
	u32 req;
	/** @config: priority [3:0], doorbell id [15:8]. */
	u32 config;
	u32 reserved0;
	u32 ack_irq_mask;
	u64 ringbuf_base;
	u32 ringbuf_size;
	u32 reserved1;
	u64 heap_start;
	u64 heap_end;
	/** @ringbuf_input: MCU VA of the queue's input page. */
	u64 ringbuf_input;
	/** @ringbuf_output: MCU VA of the queue's output page. */
	u64 ringbuf_output;
	u32 instr_config;
	u32 instrbuf_size;
	u64 instrbuf_base;
	u64 instrbuf_offset_ptr;
};
static_assert(offsetof(struct csf_cs_input, ack_irq_mask) == 0x0c, "CS input layout");
static_assert(offsetof(struct csf_cs_input, ringbuf_base) == 0x10, "CS input layout");
static_assert(offsetof(struct csf_cs_input, heap_start) == 0x20, "CS input layout");
static_assert(offsetof(struct csf_cs_input, ringbuf_input) == 0x30, "CS input layout");
static_assert(offsetof(struct csf_cs_input, instr_config) == 0x40, "CS input layout");
static_assert(offsetof(struct csf_cs_input, instrbuf_offset_ptr) == 0x50, "CS input layout");

#define CS_CONFIG_PRIORITY GENMASK(3, 0)
#define CS_CONFIG_DOORBELL GENMASK(15, 8)

/** struct csf_cs_output - per-CS output block (firmware-written). */
struct csf_cs_output {
	u32 ack;
	u32 reserved0[15];
	u64 status_cmd_ptr;
	u32 status_wait;
	u32 status_req_resource;
	u64 status_wait_sync_ptr;
	u32 status_wait_sync_value;
	u32 status_scoreboards;
	u32 status_blocked_reason;
	u32 status_wait_sync_value_hi;
	u32 reserved1[6];
	u32 fault;
	u32 fatal;
	u64 fault_info;
	u64 fatal_info;
	u32 reserved2[10];
	u32 heap_vt_start;
	u32 heap_vt_end;
	u32 reserved3;
	u32 heap_frag_end;
	u64 heap_address;
};
static_assert(offsetof(struct csf_cs_output, status_cmd_ptr) == 0x40, "CS output layout");
static_assert(offsetof(struct csf_cs_output, status_wait_sync_ptr) == 0x50, "CS output layout");
static_assert(offsetof(struct csf_cs_output, status_blocked_reason) == 0x60, "CS output layout");
static_assert(offsetof(struct csf_cs_output, fault) == 0x80, "CS output layout");
static_assert(offsetof(struct csf_cs_output, fatal_info) == 0x90, "CS output layout");
static_assert(offsetof(struct csf_cs_output, heap_vt_start) == 0xc0, "CS output layout");
static_assert(offsetof(struct csf_cs_output, heap_frag_end) == 0xcc, "CS output layout");
static_assert(offsetof(struct csf_cs_output, heap_address) == 0xd0, "CS output layout");

/* CS_REQ / CS_ACK */
#define CS_STATE_MASK GENMASK(2, 0)
#define CS_STATE_STOP 0u
#define CS_STATE_START 1u
#define CS_EXTRACT_EVENT BIT(4)
#define CS_IDLE_SYNC_WAIT BIT(8)
#define CS_IDLE_PROTM_PENDING BIT(9)
#define CS_IDLE_EMPTY BIT(10)
#define CS_IDLE_RESOURCE_REQ BIT(11)
#define CS_TILER_OOM BIT(26)
#define CS_PROTM_PENDING BIT(27)
#define CS_FATAL BIT(30)
#define CS_FAULT BIT(31)
#define CS_REQ_MASK                                                                     \
	(CS_STATE_MASK | CS_EXTRACT_EVENT | CS_IDLE_SYNC_WAIT | CS_IDLE_PROTM_PENDING | \
	 CS_IDLE_EMPTY | CS_IDLE_RESOURCE_REQ)
#define CS_EVT_MASK (CS_TILER_OOM | CS_PROTM_PENDING | CS_FATAL | CS_FAULT)

/* status_wait */
#define CS_STATUS_WAIT_SB_MASK GENMASK(15, 0)
#define CS_STATUS_WAIT_SB_SOURCE GENMASK(19, 16)
#define CS_STATUS_WAIT_SB_SOURCE_NONE 0u
#define CS_STATUS_WAIT_SB_SOURCE_WAIT 8u /* a WAIT instruction */
#define CS_STATUS_WAIT_SYNC_COND GENMASK(27, 24)
#define CS_STATUS_WAIT_SYNC_COND_LE 0u
#define CS_STATUS_WAIT_SYNC_COND_GT 1u
#define CS_STATUS_WAIT_PROGRESS BIT(28)
#define CS_STATUS_WAIT_PROTM BIT(29)
#define CS_STATUS_WAIT_SYNC_64B BIT(30)
#define CS_STATUS_WAIT_SYNC BIT(31)

/* status_blocked_reason [3:0] */
#define CS_BLOCKED_UNBLOCKED 0u
#define CS_BLOCKED_SB_WAIT 1u
#define CS_BLOCKED_PROGRESS_WAIT 2u
#define CS_BLOCKED_SYNC_WAIT 3u
#define CS_BLOCKED_DEFERRED 4u
#define CS_BLOCKED_RESOURCE 5u
#define CS_BLOCKED_FLUSH 6u

/* fault / fatal: exception type [7:0], data [31:8] */
#define CS_EXCEPTION_TYPE GENMASK(7, 0)
#define CS_EXCEPTION_DATA GENMASK(31, 8)

/* Queue interface pages: one 8 KiB object per queue in the MCU VM. */
#define CSF_QUEUE_IFACE_SIZE 0x2000u
#define CSF_QUEUE_OUTPUT_PAGE_OFFSET 0x1000u

/** struct csf_queue_input - host-written: byte offsets, monotonically increasing. */
struct csf_queue_input {
	u64 insert;
	u64 extract;
};

/** struct csf_queue_output - firmware-written. */
struct csf_queue_output {
	u64 extract;
	u32 active;
};
static_assert(offsetof(struct csf_queue_output, active) == 8, "queue output layout");

/*
 * Request helpers (§7). The host toggles @reqs relative to the current ack
 * for request bits, and copies @val into the field for level/value bits.
 */
static inline u32 csf_req_toggle(u32 req, u32 ack, u32 reqs)
{
	return (req & ~reqs) | (~ack & reqs);
}

static inline u32 csf_req_set_field(u32 req, u32 val, u32 mask)
{
	return (req & ~mask) | (val & mask);
}

/* Requests in @mask still waiting for the firmware. */
static inline u32 csf_req_pending(u32 req, u32 ack, u32 mask)
{
	return (req ^ ack) & mask;
}

#endif /* TYRC_FW_IFACE_H */
