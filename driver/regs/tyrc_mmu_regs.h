/* SPDX-License-Identifier: MIT */
/* MMU interrupt block and the per-address-space registers. mali-g610-hw.md §8. */
#ifndef TYRC_MMU_REGS_H
#define TYRC_MMU_REGS_H

#include "tyrc_regs.h"

#define MMU_BASE 0x2000u

#define TYRC_MMU_REGS(X)                  \
	X(MMU_INT_RAWSTAT, 0x000, RW, 32) \
	X(MMU_INT_CLEAR, 0x004, WO, 32)   \
	X(MMU_INT_MASK, 0x008, RW, 32)    \
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
#define TYRC_MMU_AS_REGS(X)              \
	X(AS_TRANSTAB, 0x00, RW, 64)     \
	X(AS_MEMATTR, 0x08, RW, 64)      \
	X(AS_LOCKADDR, 0x10, RW, 64)     \
	X(AS_COMMAND, 0x18, WO, 32)      \
	X(AS_FAULTSTATUS, 0x1c, RO, 32)  \
	X(AS_FAULTADDRESS, 0x20, RO, 64) \
	X(AS_STATUS, 0x28, RO, 32)       \
	X(AS_TRANSCFG, 0x30, RW, 64)     \
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
#define AS_TRANSCFG_PTW_SH_NS 0u
#define AS_TRANSCFG_PTW_SH_OS 2u
#define AS_TRANSCFG_PTW_SH_IS 3u
#define AS_TRANSCFG_PTW_RA BIT_ULL(30)
#define AS_TRANSCFG_DISABLE_HIER_AP BIT_ULL(33)
#define AS_TRANSCFG_DISABLE_AF_FAULT BIT_ULL(34)
#define AS_TRANSCFG_WXN BIT_ULL(35)
#define AS_TRANSCFG_XREADABLE BIT_ULL(36)

#define AS_TRANSCFG_INA_BITS_MAX 55u

/* AS_MEMATTR: eight attribute bytes, byte n used by PTEs with AttrIndx n */
#define AS_MEMATTR_ATTR_COUNT 8u
#define AS_MEMATTR_ATTR_SHIFT(n) (8u * (n))
/* One attribute byte */
#define AS_MEMATTR_ALLOC GENMASK(3, 0)
#define AS_MEMATTR_ALLOC_W BIT(0)
#define AS_MEMATTR_ALLOC_R BIT(1)
#define AS_MEMATTR_ALLOC_SEL GENMASK(3, 2)
#define AS_MEMATTR_ALLOC_SEL_IMPL 2u
#define AS_MEMATTR_ALLOC_SEL_EXPLICIT 3u
#define AS_MEMATTR_SH GENMASK(5, 4)
#define AS_MEMATTR_SH_MIDGARD_INNER 0u
#define AS_MEMATTR_SH_CPU_INNER 1u
#define AS_MEMATTR_SH_CPU_INNER_SHADER_COH 2u
#define AS_MEMATTR_TYPE GENMASK(7, 6)
#define AS_MEMATTR_TYPE_SHARED 0u
#define AS_MEMATTR_TYPE_NC 1u
#define AS_MEMATTR_TYPE_WB 2u
#define AS_MEMATTR_TYPE_FAULT 3u

#define AS_LOCKADDR_WIDTH GENMASK_ULL(5, 0)
/* The lock region is a naturally aligned power of two of at least 32 KiB. */
#define AS_LOCK_REGION_MIN_SIZE_LOG2 15u

/* AS_FAULTSTATUS access types */
#define AS_FAULT_ACCESS_ATOMIC 0u
#define AS_FAULT_ACCESS_EXECUTE 1u
#define AS_FAULT_ACCESS_READ 2u
#define AS_FAULT_ACCESS_WRITE 3u

/*
 * MMU exception codes (AS_FAULTSTATUS[7:0] >= 0xC0): bits [5:3] are the
 * class, the low bits the table level (translation faults: [2:0], levels
 * 0-4; every other class: [1:0]).
 */
#define MMU_EXCEPTION_IS_MMU(code) (((code)&0xc0u) == 0xc0u)
#define MMU_EXCEPTION_CLASS GENMASK(5, 3)
#define MMU_EXCEPTION_CLASS_TRANSLATION 0u
#define MMU_EXCEPTION_CLASS_PERMISSION 1u
#define MMU_EXCEPTION_CLASS_TT_BUS 2u
#define MMU_EXCEPTION_CLASS_ACCESS_FLAG 3u
#define MMU_EXCEPTION_CLASS_ADDR_SIZE 4u
#define MMU_EXCEPTION_CLASS_MEM_ATTR 5u

static inline u32 tyrc_mmu_exception_level(u32 code)
{
	if (FIELD_GET(MMU_EXCEPTION_CLASS, code) == MMU_EXCEPTION_CLASS_TRANSLATION)
		return code & 7u;
	return code & 3u;
}

/* TRANSCFG of a live AS: AArch64 4 KiB granule, @va_bits of input address. */
static inline u64 tyrc_mmu_transcfg_aarch64_4k(u32 va_bits, bool coherent)
{
	u64 cfg = FIELD_PREP(AS_TRANSCFG_ADRMODE, AS_TRANSCFG_ADRMODE_AARCH64_4K) |
		  FIELD_PREP(AS_TRANSCFG_INA_BITS, AS_TRANSCFG_INA_BITS_MAX - va_bits) |
		  FIELD_PREP(AS_TRANSCFG_PTW_MEMATTR, AS_TRANSCFG_PTW_MEMATTR_WB) |
		  AS_TRANSCFG_PTW_RA;

	if (coherent)
		cfg |= FIELD_PREP(AS_TRANSCFG_PTW_SH, AS_TRANSCFG_PTW_SH_OS);
	return cfg;
}

/* TRANSCFG of a disabled AS. */
static inline u64 tyrc_mmu_transcfg_unmapped(void)
{
	return FIELD_PREP(AS_TRANSCFG_ADRMODE, AS_TRANSCFG_ADRMODE_UNMAPPED);
}

/* One AS_MEMATTR byte: AS_MEMATTR_TYPE_*, AS_MEMATTR_SH_*, explicit allocation hints. */
static inline u8 tyrc_mmu_memattr_attr(u32 type, u32 sh, bool write_alloc, bool read_alloc)
{
	return (u8)(FIELD_PREP(AS_MEMATTR_TYPE, type) | FIELD_PREP(AS_MEMATTR_SH, sh) |
		    FIELD_PREP(AS_MEMATTR_ALLOC_SEL, AS_MEMATTR_ALLOC_SEL_EXPLICIT) |
		    (write_alloc ? AS_MEMATTR_ALLOC_W : 0) | (read_alloc ? AS_MEMATTR_ALLOC_R : 0));
}

/*
 * LOCKADDR for the range [@start, @start + @size) (mali-g610-hw.md §8.3):
 * the smallest naturally aligned power-of-two region of at least 32 KiB
 * that covers it; width = log2(region size) - 1 goes in the low bits and
 * the bits of @start below width are cleared (as panthor does).
 * A range running past the end of the 64-bit space is clamped to it; an
 * empty range locks the minimum region at @start.
 */
static inline u64 tyrc_mmu_lockaddr(u64 start, u64 size)
{
	u64 last, diff;
	u32 width;

	if (!size || __builtin_add_overflow(start, size - 1, &last))
		last = size ? ~0ULL : start;
	diff = start ^ last;
	width = diff ? 64 - (u32)__builtin_clzll(diff) : 0;
	if (width < AS_LOCK_REGION_MIN_SIZE_LOG2)
		width = AS_LOCK_REGION_MIN_SIZE_LOG2;
	width--;
	return (start & GENMASK_ULL(63, width)) | FIELD_PREP(AS_LOCKADDR_WIDTH, width);
}

#endif /* TYRC_MMU_REGS_H */
