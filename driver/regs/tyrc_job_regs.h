/* SPDX-License-Identifier: MIT */
/* JOB_CONTROL interrupt block, doorbells and the LATEST_FLUSH_ID page. mali-g610-hw.md §6-§7. */
#ifndef TYRC_JOB_REGS_H
#define TYRC_JOB_REGS_H

#include "tyrc_regs.h"

#define JOB_CONTROL_BASE 0x1000u

#define TYRC_JOB_CONTROL_REGS(X)          \
	X(JOB_INT_RAWSTAT, 0x000, RW, 32) \
	X(JOB_INT_CLEAR, 0x004, WO, 32)   \
	X(JOB_INT_MASK, 0x008, RW, 32)    \
	X(JOB_INT_STAT, 0x00c, RO, 32)

#define TYRC_JOB_REG_ENUM(name, off, acc, w) name = JOB_CONTROL_BASE + (off),
enum tyrc_job_control_reg { TYRC_JOB_CONTROL_REGS(TYRC_JOB_REG_ENUM) };
#undef TYRC_JOB_REG_ENUM

/* JOB_INT bits: bit n (n < 31) = CSG slot n, bit 31 = global interface */
#define JOB_INT_GLOBAL_IF BIT(31)
#define JOB_INT_CSG(n) BIT(n)

/* LATEST_FLUSH_ID: one read-only page, user-mappable; the register is its first word */
#define CSF_GPU_LATEST_FLUSH_ID 0x10000u
#define CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE 0x1000u
/*
 * The ID of the latest completed cache flush, a counter that wraps within
 * these bits [inference: panthor rejects a submitted latest_flush with any of
 * bits [30:24] set, so the ID never uses them].
 */
#define CSF_LATEST_FLUSH_ID_VALUE GENMASK(23, 0)

/* Doorbell pages: doorbell 0 is the global (firmware) doorbell */
#define CSF_DOORBELL_BASE 0x80000u
#define CSF_DOORBELL_STRIDE 0x10000u
#define CSF_DOORBELL_COUNT 16u
#define CSF_DOORBELL(i) (CSF_DOORBELL_BASE + (u32)(i)*CSF_DOORBELL_STRIDE)
#define CSF_GLB_DOORBELL_ID 0u

/*
 * The registers of the LATEST_FLUSH_ID and doorbell pages (absolute
 * offsets): one word per page; the rest of each page is unmapped. A write of
 * any value to a doorbell word rings it.
 */
#define TYRC_CSF_USER_REGS(X) X(CSF_GPU_LATEST_FLUSH_ID, CSF_GPU_LATEST_FLUSH_ID, RO, 32)

#endif /* TYRC_JOB_REGS_H */
