/* SPDX-License-Identifier: MIT */
/* GPU_CONTROL block (0x0000-0x03ff) and MCU control (0x0700). See mali-g610-hw.md §2-§6. */
#ifndef TYRC_GPU_REGS_H
#define TYRC_GPU_REGS_H

#include "tyrc_regs.h"

#define GPU_CONTROL_BASE 0x0000u

/* X(name, offset relative to GPU_CONTROL_BASE, access, width) */
#define TYRC_GPU_CONTROL_REGS(X)                        \
	X(GPU_ID, 0x000, RO, 32)                        \
	X(GPU_L2_FEATURES, 0x004, RO, 32)               \
	X(GPU_CORE_FEATURES, 0x008, RO, 32)             \
	X(GPU_TILER_FEATURES, 0x00c, RO, 32)            \
	X(GPU_MEM_FEATURES, 0x010, RO, 32)              \
	X(GPU_MMU_FEATURES, 0x014, RO, 32)              \
	X(GPU_AS_PRESENT, 0x018, RO, 32)                \
	X(GPU_CSF_ID, 0x01c, RO, 32)                    \
	X(GPU_INT_RAWSTAT, 0x020, RW, 32)               \
	X(GPU_INT_CLEAR, 0x024, WO, 32)                 \
	X(GPU_INT_MASK, 0x028, RW, 32)                  \
	X(GPU_INT_STAT, 0x02c, RO, 32)                  \
	X(GPU_CMD, 0x030, WO, 32)                       \
	X(GPU_STATUS, 0x034, RO, 32)                    \
	X(GPU_FAULT_STATUS, 0x03c, RO, 32)              \
	X(GPU_FAULT_ADDR, 0x040, RO, 64)                \
	X(GPU_L2_CONFIG, 0x048, RW, 32)                 \
	X(GPU_PWR_KEY, 0x050, WO, 32)                   \
	X(GPU_PWR_OVERRIDE0, 0x054, RW, 32)             \
	X(GPU_PWR_OVERRIDE1, 0x058, RW, 32)             \
	X(GPU_FEATURES, 0x060, RO, 64)                  \
	X(GPU_TIMESTAMP_OFFSET, 0x088, RW, 64)          \
	X(GPU_CYCLE_COUNT, 0x090, RO, 64)               \
	X(GPU_TIMESTAMP, 0x098, RO, 64)                 \
	X(GPU_THREAD_MAX_THREADS, 0x0a0, RO, 32)        \
	X(GPU_THREAD_MAX_WORKGROUP_SIZE, 0x0a4, RO, 32) \
	X(GPU_THREAD_MAX_BARRIER_SIZE, 0x0a8, RO, 32)   \
	X(GPU_THREAD_FEATURES, 0x0ac, RO, 32)           \
	X(GPU_TEXTURE_FEATURES0, 0x0b0, RO, 32)         \
	X(GPU_TEXTURE_FEATURES1, 0x0b4, RO, 32)         \
	X(GPU_TEXTURE_FEATURES2, 0x0b8, RO, 32)         \
	X(GPU_TEXTURE_FEATURES3, 0x0bc, RO, 32)         \
	X(GPU_SHADER_PRESENT, 0x100, RO, 64)            \
	X(GPU_TILER_PRESENT, 0x110, RO, 64)             \
	X(GPU_L2_PRESENT, 0x120, RO, 64)                \
	X(GPU_SHADER_READY, 0x140, RO, 64)              \
	X(GPU_TILER_READY, 0x150, RO, 64)               \
	X(GPU_L2_READY, 0x160, RO, 64)                  \
	X(GPU_SHADER_PWRON, 0x180, WO, 64)              \
	X(GPU_TILER_PWRON, 0x190, WO, 64)               \
	X(GPU_L2_PWRON, 0x1a0, WO, 64)                  \
	X(GPU_SHADER_PWROFF, 0x1c0, WO, 64)             \
	X(GPU_TILER_PWROFF, 0x1d0, WO, 64)              \
	X(GPU_L2_PWROFF, 0x1e0, WO, 64)                 \
	X(GPU_SHADER_PWRTRANS, 0x200, RO, 64)           \
	X(GPU_TILER_PWRTRANS, 0x210, RO, 64)            \
	X(GPU_L2_PWRTRANS, 0x220, RO, 64)               \
	X(GPU_SHADER_PWRACTIVE, 0x240, RO, 64)          \
	X(GPU_TILER_PWRACTIVE, 0x250, RO, 64)           \
	X(GPU_L2_PWRACTIVE, 0x260, RO, 64)              \
	X(GPU_REVID, 0x280, RO, 32)                     \
	X(GPU_COHERENCY_FEATURES, 0x300, RO, 32)        \
	X(GPU_COHERENCY_PROTOCOL, 0x304, RW, 32)        \
	X(MCU_CONTROL, 0x700, RW, 32)                   \
	X(MCU_STATUS, 0x704, RO, 32)

#define TYRC_GPU_REG_ENUM(name, off, acc, w) name = GPU_CONTROL_BASE + (off),
enum tyrc_gpu_control_reg { TYRC_GPU_CONTROL_REGS(TYRC_GPU_REG_ENUM) };
#undef TYRC_GPU_REG_ENUM

/* GPU_ID fields */
#define GPU_ID_ARCH_MAJOR GENMASK(31, 28)
#define GPU_ID_ARCH_MINOR GENMASK(27, 24)
#define GPU_ID_ARCH_REV GENMASK(23, 20)
#define GPU_ID_PRODUCT_MAJOR GENMASK(19, 16)
#define GPU_ID_VERSION_MAJOR GENMASK(15, 12)
#define GPU_ID_VERSION_MINOR GENMASK(11, 4)
#define GPU_ID_VERSION_STATUS GENMASK(3, 0)

/* GPU_CSF_ID fields */
#define GPU_CSF_ID_CSHW_MAJOR GENMASK(31, 26)
#define GPU_CSF_ID_CSHW_MINOR GENMASK(25, 20)
#define GPU_CSF_ID_CSHW_REV GENMASK(19, 16)
#define GPU_CSF_ID_MCU_MAJOR GENMASK(15, 10)
#define GPU_CSF_ID_MCU_MINOR GENMASK(9, 4)
#define GPU_CSF_ID_MCU_REV GENMASK(3, 0)

/* GPU_L2_FEATURES fields (log2 values) */
#define GPU_L2_FEATURES_LINE_SIZE GENMASK(7, 0)
#define GPU_L2_FEATURES_ASSOCIATIVITY GENMASK(15, 8)
#define GPU_L2_FEATURES_CACHE_SIZE GENMASK(23, 16)
#define GPU_L2_FEATURES_BUS_WIDTH GENMASK(31, 24)

/* GPU_TILER_FEATURES fields */
#define GPU_TILER_FEATURES_BIN_SIZE GENMASK(5, 0)
#define GPU_TILER_FEATURES_MAX_LEVELS GENMASK(11, 8)

/* GPU_MEM_FEATURES fields */
#define GPU_MEM_FEATURES_COHERENT_CORE_GROUP BIT(0)
#define GPU_MEM_FEATURES_L2_SLICES GENMASK(11, 8)

/* GPU_MMU_FEATURES fields */
#define GPU_MMU_FEATURES_VA_BITS GENMASK(7, 0)
#define GPU_MMU_FEATURES_PA_BITS GENMASK(15, 8)

/* GPU_INT_* bits (RAWSTAT/CLEAR/MASK/STAT) */
#define GPU_IRQ_FAULT BIT(0)
#define GPU_IRQ_PROTM_FAULT BIT(1)
#define GPU_IRQ_RESET_COMPLETED BIT(8)
#define GPU_IRQ_POWER_CHANGED BIT(9)
#define GPU_IRQ_POWER_CHANGED_ALL BIT(10)
#define GPU_IRQ_CLEAN_CACHES_COMPLETED BIT(17)
#define GPU_IRQ_DOORBELL_MIRROR BIT(18)
#define GPU_IRQ_MCU_STATUS_CHANGED BIT(19)

/* GPU_CMD: type in [7:0], payload in [31:8] */
#define GPU_CMD_TYPE GENMASK(7, 0)
#define GPU_CMD_PAYLOAD GENMASK(31, 8)
#define GPU_CMD_TYPE_NOP 0x00u
#define GPU_CMD_TYPE_RESET 0x01u
#define GPU_CMD_TYPE_FLUSH_CACHES 0x04u
#define GPU_CMD_RESET_SOFT 0x01u
#define GPU_CMD_RESET_HARD 0x02u
/* FLUSH_CACHES payload: one cache-op nibble per cache */
#define GPU_CMD_FLUSH_L2 GENMASK(3, 0)
#define GPU_CMD_FLUSH_LSC GENMASK(7, 4)
#define GPU_CMD_FLUSH_OTHER GENMASK(11, 8)
#define GPU_CACHE_OP_NONE 0u
#define GPU_CACHE_OP_CLEAN 1u
#define GPU_CACHE_OP_INVALIDATE 2u
#define GPU_CACHE_OP_CLEAN_INVALIDATE 3u

static inline u32 tyrc_gpu_cmd_soft_reset(void)
{
	return GPU_CMD_TYPE_RESET | (u32)FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CMD_RESET_SOFT);
}

static inline u32 tyrc_gpu_cmd_hard_reset(void)
{
	return GPU_CMD_TYPE_RESET | (u32)FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CMD_RESET_HARD);
}

/* Each argument is a GPU_CACHE_OP_* value. */
static inline u32 tyrc_gpu_cmd_flush_caches(u32 l2, u32 lsc, u32 other)
{
	u32 payload = (u32)(FIELD_PREP(GPU_CMD_FLUSH_L2, l2) | FIELD_PREP(GPU_CMD_FLUSH_LSC, lsc) |
			    FIELD_PREP(GPU_CMD_FLUSH_OTHER, other));

	return GPU_CMD_TYPE_FLUSH_CACHES | (u32)FIELD_PREP(GPU_CMD_PAYLOAD, payload);
}

/* GPU_STATUS bits */
#define GPU_STATUS_ACTIVE BIT(0)
#define GPU_STATUS_PWR_ACTIVE BIT(1)
#define GPU_STATUS_PAGE_FAULT BIT(4)
#define GPU_STATUS_PROTM_ACTIVE BIT(7)
#define GPU_STATUS_DBG_ENABLED BIT(8)

/* GPU_FAULT_STATUS fields */
#define GPU_FAULT_STATUS_EXCEPTION_TYPE GENMASK(7, 0)
#define GPU_FAULT_STATUS_ACCESS_TYPE GENMASK(9, 8)
#define GPU_FAULT_STATUS_ADDR_VALID BIT(10)

#define GPU_PWR_KEY_UNLOCK 0x2968a819u

/* GPU_COHERENCY_PROTOCOL values; COHERENCY_FEATURES bit n = protocol n supported */
#define GPU_COHERENCY_ACE_LITE 0u
#define GPU_COHERENCY_ACE 1u
#define GPU_COHERENCY_NONE 31u

/* MCU_CONTROL values */
#define MCU_CONTROL_DISABLE 0u
#define MCU_CONTROL_ENABLE 1u
#define MCU_CONTROL_AUTO 2u
/* MCU_STATUS values */
#define MCU_STATUS_DISABLED 0u
#define MCU_STATUS_ENABLED 1u
#define MCU_STATUS_HALT 2u
#define MCU_STATUS_FATAL 3u

#endif /* TYRC_GPU_REGS_H */
