/* SPDX-License-Identifier: MIT */
/*
 * igt_panthor.h - panthor helpers with upstream IGT's names and signatures
 * (lib/igt_panthor.h): device query, core masks, and the CS instruction
 * encoders tests use to hand-write streams.
 *
 * The cs_* encoders are thin wrappers over tyrc_cs_isa.h, the one
 * definition of the instruction set: an argument that does not fit its
 * field (a register past r95, an odd register pair, a wait mask past the 8
 * v10 scoreboards) yields TYRC_CS_BAD_WORD, an invalid instruction, rather
 * than a silently truncated one.
 */
#ifndef IGT_PANTHOR_H
#define IGT_PANTHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"
#include "tyrc_cs_isa.h"

/**
 * igt_panthor_query() - DRM_IOCTL_PANTHOR_DEV_QUERY of @type into @data.
 * @err: expected errno, 0 for success; asserts on a mismatch.
 */
void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err);

/**
 * igt_panthor_get_first_core() - mask with only the lowest bit of
 * @cores_present set. Return: that mask, 0 if @cores_present is 0.
 */
uint64_t igt_panthor_get_first_core(uint64_t cores_present);

enum cs_opcode {
	CS_OPCODE_NOP = TYRC_CS_OP_NOP,
	CS_OPCODE_MOVE48 = TYRC_CS_OP_MOVE48,
	CS_OPCODE_MOVE32 = TYRC_CS_OP_MOVE32,
	CS_OPCODE_WAIT = TYRC_CS_OP_WAIT,
	CS_OPCODE_STM = TYRC_CS_OP_STORE_MULTIPLE,
	CS_OPCODE_FLUSH_CACHE = TYRC_CS_OP_FLUSH_CACHE2,
};

enum cs_flush_mode {
	CS_FLUSH_MODE_NONE = TYRC_CS_FLUSH_NONE,
	CS_FLUSH_MODE_CLEAN = TYRC_CS_FLUSH_CLEAN,
	CS_FLUSH_MODE_INVALIDATE = TYRC_CS_FLUSH_INVALIDATE,
	CS_FLUSH_MODE_CLEAN_AND_INVALIDATE = TYRC_CS_FLUSH_CLEAN_INVALIDATE,
};

static inline uint64_t cs_nop(void)
{
	return tyrc_cs_nop();
}

/* MOVE48: d[@dst] := zero-extended low 48 bits of @imm (as upstream). */
static inline uint64_t cs_mov48(uint8_t dst, uint64_t imm)
{
	return tyrc_cs_move48(dst, imm & 0xFFFFFFFFFFFFull);
}

static inline uint64_t cs_mov32(uint8_t dst, uint32_t imm)
{
	return tyrc_cs_move32(dst, imm);
}

static inline uint64_t cs_wait(uint16_t wait_mask, bool progress_inc)
{
	return tyrc_cs_wait(wait_mask, progress_inc);
}

/* STORE_MULTIPLE of r[@src + i] for each bit i of @mask to d[@address]. */
static inline uint64_t cs_stm(uint8_t address, uint8_t src, uint16_t mask, int16_t offset)
{
	return tyrc_cs_store_multiple(src, address, mask, offset);
}

static inline uint64_t cs_stm32(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x1, offset);
}

static inline uint64_t cs_stm64(uint8_t address, uint8_t src, int16_t offset)
{
	return cs_stm(address, src, 0x3, offset);
}

static inline uint64_t cs_flush(enum cs_flush_mode l2_mode, enum cs_flush_mode lsc_mode,
				enum cs_flush_mode other_mode, uint16_t wait_mask, uint8_t flush_id,
				uint8_t signal_slot)
{
	return tyrc_cs_flush_cache2(
		(enum tyrc_cs_flush_mode)l2_mode, (enum tyrc_cs_flush_mode)lsc_mode,
		(enum tyrc_cs_flush_mode)other_mode, wait_mask, flush_id, signal_slot);
}

#endif /* IGT_PANTHOR_H */
