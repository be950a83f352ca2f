/* SPDX-License-Identifier: MIT */
/* MMU interrupt block and the per-address-space registers. mali-g610-hw.md §8. */
#ifndef TYRC_MMU_REGS_H
#define TYRC_MMU_REGS_H

#include "tyrc_regs.h"

#define MMU_BASE 0x2000u

#define TYRC_MMU_REGS(X)                                                                           \
	X(MMU_INT_RAWSTAT, 0x000, RW, 32)                                                          \
	X(MMU_INT_CLEAR, 0x004, WO, 32)                                                            \
	X(MMU_INT_MASK, 0x008, RW, 32)                                                             \
	X(MMU_INT_STAT, 0x00c, RO, 32)

#define TYRC_MMU_REG_ENUM(name, off, acc, w) name = MMU_BASE + (off),
enum tyrc_mmu_reg { TYRC_MMU_REGS(TYRC_MMU_REG_ENUM) };
#undef TYRC_MMU_REG_ENUM

#define MMU_INT_AS_FAULT(as) BIT(as)
#define MMU_INT_AS_REQ_COMPLETE(as) BIT(16 + (as))

/* Address spaces: AS n at MMU_AS_BASE + n * MMU_AS_STRIDE */
#define MMU_AS_BASE 0x2400u
#define MMU_AS_STRIDE 0x40u
#define MMU_AS_COUNT 8u
#define MMU_AS(as) (MMU_AS_BASE + (u32)(as)*MMU_AS_STRIDE)

/* Per-AS registers, relative to MMU_AS(n) */
#define TYRC_MMU_AS_REGS(X)                                                                        \
	X(AS_TRANSTAB, 0x00, RW, 64)                                                               \
	X(AS_MEMATTR, 0x08, RW, 64)                                                                \
	X(AS_LOCKADDR, 0x10, RW, 64)                                                               \
	X(AS_COMMAND, 0x18, WO, 32)                                                                \
	X(AS_FAULTSTATUS, 0x1c, RO, 32)                                                            \
	X(AS_FAULTADDRESS, 0x20, RO, 64)                                                           \
	X(AS_STATUS, 0x28, RO, 32)                                                                 \
	X(AS_TRANSCFG, 0x30, RW, 64)                                                               \
	X(AS_FAULTEXTRA, 0x38, RO, 64)

#define TYRC_MMU_AS_REG_ENUM(name, off, acc, w) name = (off),
enum tyrc_mmu_as_reg { TYRC_MMU_AS_REGS(TYRC_MMU_AS_REG_ENUM) };
#undef TYRC_MMU_AS_REG_ENUM

/* AS_COMMAND values */
#define AS_COMMAND_NOP 0u
#define AS_COMMAND_UPDATE 1u
#define AS_COMMAND_LOCK 2u
#define AS_COMMAND_UNLOCK 3u
#define AS_COMMAND_FLUSH_PT 4u
#define AS_COMMAND_FLUSH_MEM 5u

#define AS_STATUS_AS_ACTIVE BIT(0)

#define AS_FAULTSTATUS_EXCEPTION_TYPE GENMASK(7, 0)
#define AS_FAULTSTATUS_ACCESS_TYPE GENMASK(9, 8)
#define AS_FAULTSTATUS_DECODER_FAULT BIT(10)
#define AS_FAULTSTATUS_SOURCE_ID GENMASK(31, 16)

#define AS_TRANSCFG_ADRMODE GENMASK_ULL(3, 0)
#define AS_TRANSCFG_ADRMODE_UNMAPPED 1u
#define AS_TRANSCFG_ADRMODE_IDENTITY 2u
#define AS_TRANSCFG_ADRMODE_AARCH64_4K 6u
#define AS_TRANSCFG_ADRMODE_AARCH64_64K 8u
#define AS_TRANSCFG_INA_BITS GENMASK_ULL(11, 6)
#define AS_TRANSCFG_OUTA_BITS GENMASK_ULL(19, 14)
#define AS_TRANSCFG_SL_CONCAT BIT_ULL(22)
#define AS_TRANSCFG_PTW_MEMATTR GENMASK_ULL(25, 24)
#define AS_TRANSCFG_PTW_MEMATTR_NC 1u
#define AS_TRANSCFG_PTW_MEMATTR_WB 2u
#define AS_TRANSCFG_PTW_SH GENMASK_ULL(29, 28)
#define AS_TRANSCFG_PTW_RA BIT_ULL(30)
#define AS_TRANSCFG_DISABLE_HIER_AP BIT_ULL(33)
#define AS_TRANSCFG_DISABLE_AF_FAULT BIT_ULL(34)
#define AS_TRANSCFG_WXN BIT_ULL(35)
#define AS_TRANSCFG_XREADABLE BIT_ULL(36)

#define AS_LOCKADDR_WIDTH GENMASK_ULL(5, 0)

#endif /* TYRC_MMU_REGS_H */
