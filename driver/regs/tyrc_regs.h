/* SPDX-License-Identifier: MIT */
/*
 * DOC: Register tables
 *
 * Every MMIO register of the Mali-G610 is declared exactly once, in the
 * per-block X-macro tables of tyrc_gpu_regs.h, tyrc_job_regs.h and
 * tyrc_mmu_regs.h: name, offset relative to the block base, access and width.
 * The tables generate the offset constants (block base included), and a
 * descriptor table (tyrc_regs_lookup()) that the model uses to enforce
 * access rules and that traces use for names. Field masks sit under their
 * register as GENMASK/BIT definitions, read with FIELD_GET/FIELD_PREP.
 * Command words come only from the constructor functions next to them.
 * The driver and the GPU model include these same headers.
 *
 * Glossary: RO read-only (writes ignored), WO write-only (reads 0), RW
 * read/write; a 64-bit register is a LO word at the offset and HI at +4.
 */
#ifndef TYRC_REGS_H
#define TYRC_REGS_H

#include <tyrc/types.h>

enum tyrc_reg_access {
	TYRC_REG_RO = 1,
	TYRC_REG_WO = 2,
	TYRC_REG_RW = 3,
};

/** struct tyrc_reg_desc - one register as the tables declare it. */
struct tyrc_reg_desc {
	const char *name;
	/** @offset: absolute byte offset in the GPU MMIO window. */
	u32 offset;
	enum tyrc_reg_access access;
	/** @width: 32 or 64 bits. */
	u8 width;
};

/* Size of the GPU MMIO window (RK3588: 2 MiB). */
#define TYRC_GPU_MMIO_SIZE 0x200000u

/**
 * tyrc_regs_lookup() - the register that covers byte @offset (either word of
 * a 64-bit register). Return: its descriptor or NULL for an unmapped offset.
 */
const struct tyrc_reg_desc *tyrc_regs_lookup(u32 offset);
/** tyrc_regs_count() / tyrc_regs_at() - iterate over every declared register. */
unsigned int tyrc_regs_count(void);
const struct tyrc_reg_desc *tyrc_regs_at(unsigned int i);

/**
 * tyrc_exception_name() - name of an exception code as GPU_FAULT_STATUS,
 * AS_FAULTSTATUS and CS FAULT/FATAL report it in bits [7:0]
 * (mali-g610-hw.md §10; MMU faults carry their level, "TRANSLATION_FAULT_1").
 * Return: a static string, "UNKNOWN" for a code the table does not list.
 */
const char *tyrc_exception_name(u32 code);

#endif /* TYRC_REGS_H */
