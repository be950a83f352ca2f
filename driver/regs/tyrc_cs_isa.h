/* SPDX-License-Identifier: MIT */
/*
 * DOC: CS instruction set (v10, Mali-G610)
 *
 * Every command-stream instruction is declared exactly once, in the X-macro
 * tables below (cs-isa-v10.md §2): mnemonic, opcode number and, per opcode,
 * its operand fields as (bit position, width, kind). The ring writer, the
 * model's CS interpreter, the disassembler and the IGT helpers all go through
 * what the tables generate:
 *
 * - enum tyrc_cs_opcode (TYRC_CS_OP_MOVE48, ...);
 * - TYRC_CS_<OP>_<FIELD>_SHIFT / _WIDTH constants and TYRC_CS_FIELD_MASK();
 * - one operand struct per opcode (struct tyrc_cs_move48) and the decoded
 *   form struct tyrc_cs_instr, a tagged union of them;
 * - tyrc_cs_pack_<op>() encoders that range-check every field, and
 *   tyrc_cs_encode() / tyrc_cs_decode() over struct tyrc_cs_instr;
 * - a field descriptor table (tyrc_cs_op_fields()) for generic walkers.
 *
 * Positional shorthands (tyrc_cs_move48(dst, imm), ...) wrap the pack
 * functions for the instructions the kernel and tests write by hand.
 *
 * An encoder given an out-of-range value (a field overflow, a register past
 * r95, an odd 64-bit register pair) returns TYRC_CS_BAD_WORD instead of a
 * truncated instruction. That word has opcode 0xFF, so it decodes as invalid
 * and faults if executed; struct tyrc_cs_builder turns it into its sticky
 * error.
 *
 * Glossary: rN is 32-bit register N, dN the pair rN (low) / rN+1 (high) with
 * N even; "reserved bits" are payload bits no field of the opcode covers.
 */
#ifndef TYRC_CS_ISA_H
#define TYRC_CS_ISA_H

/*
 * Self-contained (IGT's library includes it next to its own helper macros):
 * the fixed-width names match tyrc/types.h, whose identical typedefs may
 * be repeated.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define TYRC_CS_BIT(n) (1ULL << (n))

/* Work registers of a G610 CS (CS_FEATURES.WORK_REGS + 1). */
#define TYRC_CS_NUM_REGS 96u
/* Scoreboard slots per CS on v10. */
#define TYRC_CS_NUM_SB_SLOTS 8u
/* Word returned by an encoder given an out-of-range operand. */
#define TYRC_CS_BAD_WORD (~0ULL)

#define TYRC_CS_OPCODE_SHIFT 56
#define TYRC_CS_OPCODE_MASK (0xFFULL << TYRC_CS_OPCODE_SHIFT)

/**
 * enum tyrc_cs_kind - how an operand field is interpreted.
 * @TYRC_CS_UIMM: unsigned immediate / flag / enum, must fit the width.
 * @TYRC_CS_SIMM: two's-complement immediate, sign-extended when decoded.
 * @TYRC_CS_REG32: 32-bit register number, below TYRC_CS_NUM_REGS.
 * @TYRC_CS_REG64: even register number N of the pair dN (N + 1 < 96).
 */
enum tyrc_cs_kind {
	TYRC_CS_UIMM,
	TYRC_CS_SIMM,
	TYRC_CS_REG32,
	TYRC_CS_REG64,
};

/* C type of a decoded field, by kind. All are 8 bytes wide. */
#define TYRC_CS_CTYPE_UIMM u64
#define TYRC_CS_CTYPE_SIMM s64
#define TYRC_CS_CTYPE_REG32 u64
#define TYRC_CS_CTYPE_REG64 u64

/*
 * Operand fields per opcode: F(OP, op, FIELD, field, start, width, kind).
 * Shared layouts are written once and used by several opcodes.
 */
#define TYRC_CS_F_NONE(F, O, o)
#define TYRC_CS_F_NOP(F, O, o) F(O, o, IGNORED, ignored, 0, 56, UIMM)
#define TYRC_CS_F_MOVE48(F, O, o) F(O, o, IMM, imm, 0, 48, UIMM) F(O, o, DST, dst, 48, 8, REG64)
#define TYRC_CS_F_MOVE32(F, O, o) F(O, o, IMM, imm, 0, 32, UIMM) F(O, o, DST, dst, 48, 8, REG32)
#define TYRC_CS_F_WAIT(F, O, o)                    \
	F(O, o, WAIT_MASK, wait_mask, 16, 8, UIMM) \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM)
#define TYRC_CS_F_SELECTS(F, O, o)                   \
	F(O, o, SRT_SELECT, srt_select, 40, 2, UIMM) \
	F(O, o, SPD_SELECT, spd_select, 42, 2, UIMM) \
	F(O, o, TSD_SELECT, tsd_select, 44, 2, UIMM) \
	F(O, o, FAU_SELECT, fau_select, 46, 2, UIMM)
#define TYRC_CS_F_RUN_COMPUTE(F, O, o)                               \
	F(O, o, TASK_INCREMENT, task_increment, 0, 14, UIMM)         \
	F(O, o, TASK_AXIS, task_axis, 14, 2, UIMM)                   \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM) \
	TYRC_CS_F_SELECTS(F, O, o)
#define TYRC_CS_F_RUN_TILING(F, O, o)                                \
	F(O, o, FLAGS_OVERRIDE, flags_override, 0, 32, UIMM)         \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM) \
	TYRC_CS_F_SELECTS(F, O, o)
#define TYRC_CS_F_RUN_IDVS(F, O, o)                                    \
	F(O, o, FLAGS_OVERRIDE, flags_override, 0, 32, UIMM)           \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM)   \
	F(O, o, MALLOC_ENABLE, malloc_enable, 33, 1, UIMM)             \
	F(O, o, DRAW_ID_REG_ENABLE, draw_id_reg_enable, 34, 1, UIMM)   \
	F(O, o, VARYING_SRT_SELECT, varying_srt_select, 35, 1, UIMM)   \
	F(O, o, VARYING_FAU_SELECT, varying_fau_select, 36, 1, UIMM)   \
	F(O, o, VARYING_TSD_SELECT, varying_tsd_select, 37, 1, UIMM)   \
	F(O, o, FRAGMENT_SRT_SELECT, fragment_srt_select, 38, 1, UIMM) \
	F(O, o, FRAGMENT_TSD_SELECT, fragment_tsd_select, 39, 1, UIMM) \
	F(O, o, DRAW_ID, draw_id, 40, 8, REG32)
#define TYRC_CS_F_RUN_FRAGMENT(F, O, o)             \
	F(O, o, ENABLE_TEM, enable_tem, 0, 1, UIMM) \
	F(O, o, TILE_ORDER, tile_order, 4, 4, UIMM) \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM)
#define TYRC_CS_F_RUN_FULLSCREEN(F, O, o)                            \
	F(O, o, FLAGS_OVERRIDE, flags_override, 0, 32, UIMM)         \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM) \
	F(O, o, DCD, dcd, 40, 8, REG64)
#define TYRC_CS_F_FINISH_TILING(F, O, o) \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM)
#define TYRC_CS_F_FINISH_FRAGMENT(F, O, o)                                              \
	F(O, o, INCREMENT_FRAGMENT_COMPLETED, increment_fragment_completed, 0, 1, UIMM) \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM)                                     \
	F(O, o, LAST_HEAP_CHUNK, last_heap_chunk, 32, 8, REG64)                         \
	F(O, o, FIRST_HEAP_CHUNK, first_heap_chunk, 40, 8, REG64)                       \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)
#define TYRC_CS_F_ADD_IMMEDIATE32(F, O, o) \
	F(O, o, IMM, imm, 0, 32, SIMM)     \
	F(O, o, SRC, src, 40, 8, REG32) F(O, o, DST, dst, 48, 8, REG32)
#define TYRC_CS_F_ADD_IMMEDIATE64(F, O, o) \
	F(O, o, IMM, imm, 0, 32, SIMM)     \
	F(O, o, SRC, src, 40, 8, REG64) F(O, o, DST, dst, 48, 8, REG64)
#define TYRC_CS_F_COMPARE_SELECT32(F, O, o) \
	F(O, o, SRC1, src1, 32, 8, REG32)   \
	F(O, o, SRC0, src0, 40, 8, REG32)   \
	F(O, o, DST, dst, 48, 8, REG32)
#define TYRC_CS_F_LOAD_STORE(F, O, o)           \
	F(O, o, OFFSET, offset, 0, 16, SIMM)    \
	F(O, o, MASK, mask, 16, 16, UIMM)       \
	F(O, o, ADDRESS, address, 40, 8, REG64) \
	F(O, o, BASE, base, 48, 8, REG32)
#define TYRC_CS_F_BRANCH(F, O, o)                  \
	F(O, o, OFFSET, offset, 0, 16, SIMM)       \
	F(O, o, CONDITION, condition, 28, 3, UIMM) \
	F(O, o, VALUE, value, 40, 8, REG32)
#define TYRC_CS_F_SET_SB_ENTRY(F, O, o)                     \
	F(O, o, ENDPOINT_ENTRY, endpoint_entry, 0, 4, UIMM) \
	F(O, o, OTHER_ENTRY, other_entry, 4, 4, UIMM)
#define TYRC_CS_F_PROGRESS_WAIT(F, O, o) \
	F(O, o, QUEUE, queue, 0, 5, UIMM) F(O, o, SOURCE, source, 40, 8, REG64)
#define TYRC_CS_F_SET_EXCEPTION_HANDLER(F, O, o)            \
	F(O, o, EXCEPTION_TYPE, exception_type, 0, 8, UIMM) \
	F(O, o, LENGTH, length, 32, 8, REG32)               \
	F(O, o, ADDRESS, address, 40, 8, REG64)
#define TYRC_CS_F_CALL(F, O, o)               \
	F(O, o, LENGTH, length, 32, 8, REG32) \
	F(O, o, ADDRESS, address, 40, 8, REG64)
#define TYRC_CS_F_REQ_RESOURCE(F, O, o)         \
	F(O, o, COMPUTE, compute, 0, 1, UIMM)   \
	F(O, o, FRAGMENT, fragment, 1, 1, UIMM) \
	F(O, o, TILER, tiler, 2, 1, UIMM) F(O, o, IDVS, idvs, 3, 1, UIMM)
#define TYRC_CS_F_FLUSH_CACHE2(F, O, o)                         \
	F(O, o, L2_MODE, l2_mode, 0, 4, UIMM)                   \
	F(O, o, LSC_MODE, lsc_mode, 4, 4, UIMM)                 \
	F(O, o, OTHER_MODE, other_mode, 8, 4, UIMM)             \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM)             \
	F(O, o, LATEST_FLUSH_ID, latest_flush_id, 40, 8, REG32) \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)
#define TYRC_CS_F_SYNC_UPDATE(F, O, o, DATA_KIND)             \
	F(O, o, ERROR_PROPAGATE, error_propagate, 0, 1, UIMM) \
	F(O, o, SCOPE, scope, 1, 2, UIMM)                     \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM)           \
	F(O, o, DATA, data, 32, 8, DATA_KIND)                 \
	F(O, o, ADDRESS, address, 40, 8, REG64)               \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)
#define TYRC_CS_F_SYNC_UPDATE32(F, O, o) TYRC_CS_F_SYNC_UPDATE(F, O, o, REG32)
#define TYRC_CS_F_SYNC_UPDATE64(F, O, o) TYRC_CS_F_SYNC_UPDATE(F, O, o, REG64)
#define TYRC_CS_F_SYNC_WAIT(F, O, o, DATA_KIND)         \
	F(O, o, ERROR_REJECT, error_reject, 0, 1, UIMM) \
	F(O, o, CONDITION, condition, 28, 4, UIMM)      \
	F(O, o, DATA, data, 32, 8, DATA_KIND)           \
	F(O, o, ADDRESS, address, 40, 8, REG64)
#define TYRC_CS_F_SYNC_WAIT32(F, O, o) TYRC_CS_F_SYNC_WAIT(F, O, o, REG32)
#define TYRC_CS_F_SYNC_WAIT64(F, O, o) TYRC_CS_F_SYNC_WAIT(F, O, o, REG64)
#define TYRC_CS_F_STORE_STATE(F, O, o)              \
	F(O, o, OFFSET, offset, 0, 16, SIMM)        \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM) \
	F(O, o, STATE, state, 32, 2, UIMM)          \
	F(O, o, ADDRESS, address, 40, 8, REG64)     \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)
#define TYRC_CS_F_PROT_REGION(F, O, o) F(O, o, SIZE, size, 0, 16, UIMM)
#define TYRC_CS_F_PROGRESS_STORE(F, O, o) F(O, o, SOURCE, source, 40, 8, REG64)
#define TYRC_CS_F_PROGRESS_LOAD(F, O, o) F(O, o, DST, dst, 48, 8, REG64)
#define TYRC_CS_F_RUN_COMPUTE_INDIRECT(F, O, o)                        \
	F(O, o, WORKGROUPS_PER_TASK, workgroups_per_task, 0, 16, UIMM) \
	F(O, o, PROGRESS_INCREMENT, progress_increment, 32, 1, UIMM)   \
	TYRC_CS_F_SELECTS(F, O, o)
#define TYRC_CS_F_HEAP_SET(F, O, o) F(O, o, ADDRESS, address, 40, 8, REG64)
#define TYRC_CS_F_HEAP_OPERATION(F, O, o)           \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM) \
	F(O, o, OPERATION, operation, 32, 2, UIMM)  \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)
#define TYRC_CS_F_TRACE_POINT(F, O, o)              \
	F(O, o, WAIT_MASK, wait_mask, 16, 16, UIMM) \
	F(O, o, BASE, base, 32, 8, REG32)           \
	F(O, o, COUNT, count, 40, 8, UIMM)          \
	F(O, o, SIGNAL_SLOT, signal_slot, 48, 4, UIMM)

/*
 * Every v10 opcode: OP(OPCODE, opcode, number, fields). Numbers not listed
 * (10, 12-15, 19, 26-31, 35, 45, 46 and above 53) are not defined on v10.
 */
#define TYRC_CS_OPCODES(OP)                                                                   \
	OP(NOP, nop, 0, TYRC_CS_F_NOP)                                                        \
	OP(MOVE48, move48, 1, TYRC_CS_F_MOVE48)                                               \
	OP(MOVE32, move32, 2, TYRC_CS_F_MOVE32)                                               \
	OP(WAIT, wait, 3, TYRC_CS_F_WAIT)                                                     \
	OP(RUN_COMPUTE, run_compute, 4, TYRC_CS_F_RUN_COMPUTE)                                \
	OP(RUN_TILING, run_tiling, 5, TYRC_CS_F_RUN_TILING)                                   \
	OP(RUN_IDVS, run_idvs, 6, TYRC_CS_F_RUN_IDVS)                                         \
	OP(RUN_FRAGMENT, run_fragment, 7, TYRC_CS_F_RUN_FRAGMENT)                             \
	OP(RUN_FULLSCREEN, run_fullscreen, 8, TYRC_CS_F_RUN_FULLSCREEN)                       \
	OP(FINISH_TILING, finish_tiling, 9, TYRC_CS_F_FINISH_TILING)                          \
	OP(FINISH_FRAGMENT, finish_fragment, 11, TYRC_CS_F_FINISH_FRAGMENT)                   \
	OP(ADD_IMMEDIATE32, add_immediate32, 16, TYRC_CS_F_ADD_IMMEDIATE32)                   \
	OP(ADD_IMMEDIATE64, add_immediate64, 17, TYRC_CS_F_ADD_IMMEDIATE64)                   \
	OP(COMPARE_SELECT32, compare_select32, 18, TYRC_CS_F_COMPARE_SELECT32)                \
	OP(LOAD_MULTIPLE, load_multiple, 20, TYRC_CS_F_LOAD_STORE)                            \
	OP(STORE_MULTIPLE, store_multiple, 21, TYRC_CS_F_LOAD_STORE)                          \
	OP(BRANCH, branch, 22, TYRC_CS_F_BRANCH)                                              \
	OP(SET_SB_ENTRY, set_sb_entry, 23, TYRC_CS_F_SET_SB_ENTRY)                            \
	OP(PROGRESS_WAIT, progress_wait, 24, TYRC_CS_F_PROGRESS_WAIT)                         \
	OP(SET_EXCEPTION_HANDLER, set_exception_handler, 25, TYRC_CS_F_SET_EXCEPTION_HANDLER) \
	OP(CALL, call, 32, TYRC_CS_F_CALL)                                                    \
	OP(JUMP, jump, 33, TYRC_CS_F_CALL)                                                    \
	OP(REQ_RESOURCE, req_resource, 34, TYRC_CS_F_REQ_RESOURCE)                            \
	OP(FLUSH_CACHE2, flush_cache2, 36, TYRC_CS_F_FLUSH_CACHE2)                            \
	OP(SYNC_ADD32, sync_add32, 37, TYRC_CS_F_SYNC_UPDATE32)                               \
	OP(SYNC_SET32, sync_set32, 38, TYRC_CS_F_SYNC_UPDATE32)                               \
	OP(SYNC_WAIT32, sync_wait32, 39, TYRC_CS_F_SYNC_WAIT32)                               \
	OP(STORE_STATE, store_state, 40, TYRC_CS_F_STORE_STATE)                               \
	OP(PROT_REGION, prot_region, 41, TYRC_CS_F_PROT_REGION)                               \
	OP(PROGRESS_STORE, progress_store, 42, TYRC_CS_F_PROGRESS_STORE)                      \
	OP(PROGRESS_LOAD, progress_load, 43, TYRC_CS_F_PROGRESS_LOAD)                         \
	OP(RUN_COMPUTE_INDIRECT, run_compute_indirect, 44, TYRC_CS_F_RUN_COMPUTE_INDIRECT)    \
	OP(ERROR_BARRIER, error_barrier, 47, TYRC_CS_F_NONE)                                  \
	OP(HEAP_SET, heap_set, 48, TYRC_CS_F_HEAP_SET)                                        \
	OP(HEAP_OPERATION, heap_operation, 49, TYRC_CS_F_HEAP_OPERATION)                      \
	OP(TRACE_POINT, trace_point, 50, TYRC_CS_F_TRACE_POINT)                               \
	OP(SYNC_ADD64, sync_add64, 51, TYRC_CS_F_SYNC_UPDATE64)                               \
	OP(SYNC_SET64, sync_set64, 52, TYRC_CS_F_SYNC_UPDATE64)                               \
	OP(SYNC_WAIT64, sync_wait64, 53, TYRC_CS_F_SYNC_WAIT64)

/** enum tyrc_cs_opcode - instruction bits [63:56]. */
enum tyrc_cs_opcode {
#define TYRC_CS__OP_ENUM(O, o, num, FL) TYRC_CS_OP_##O = (num),
	TYRC_CS_OPCODES(TYRC_CS__OP_ENUM)
#undef TYRC_CS__OP_ENUM
};

/* TYRC_CS_<OP>_<FIELD>_SHIFT and _WIDTH for every field. */
enum tyrc_cs_field_pos {
#define TYRC_CS__POS(O, o, F, f, start, width, kind) \
	TYRC_CS_##O##_##F##_SHIFT = (start), TYRC_CS_##O##_##F##_WIDTH = (width),
#define TYRC_CS__OP_POS(O, o, num, FL) FL(TYRC_CS__POS, O, o)
	TYRC_CS_OPCODES(TYRC_CS__OP_POS)
#undef TYRC_CS__OP_POS
#undef TYRC_CS__POS
};

/** TYRC_CS_FIELD_MASK() - mask of field @F of opcode @O within the word. */
#define TYRC_CS_FIELD_MASK(O, F) \
	((TYRC_CS_BIT(TYRC_CS_##O##_##F##_WIDTH) - 1) << TYRC_CS_##O##_##F##_SHIFT)

/* struct tyrc_cs_<op>: the operands of one opcode, one member per field. */
#define TYRC_CS__MEMBER(O, o, F, f, start, width, kind) TYRC_CS_CTYPE_##kind f;
#define TYRC_CS__OP_STRUCT(O, o, num, FL) \
	struct tyrc_cs_##o {              \
		FL(TYRC_CS__MEMBER, O, o) \
	};
TYRC_CS_OPCODES(TYRC_CS__OP_STRUCT)
#undef TYRC_CS__OP_STRUCT
#undef TYRC_CS__MEMBER

/**
 * enum tyrc_cs_status - result of decoding one word.
 * @TYRC_CS_VALID: a v10 instruction with legal operands.
 * @TYRC_CS_INVALID_OPCODE: bits [63:56] name no v10 opcode.
 * @TYRC_CS_INVALID_RESERVED: a payload bit outside every field is set.
 * @TYRC_CS_INVALID_REGISTER: a register field is r96 or above, or a 64-bit
 * operand names an odd register.
 */
enum tyrc_cs_status {
	TYRC_CS_VALID,
	TYRC_CS_INVALID_OPCODE,
	TYRC_CS_INVALID_RESERVED,
	TYRC_CS_INVALID_REGISTER,
};

/**
 * struct tyrc_cs_instr - a decoded instruction.
 * @opcode: bits [63:56] (any value, also for an invalid word).
 * @status: %TYRC_CS_VALID or why the word is invalid; for an invalid word
 * with a known opcode the operand members are still filled in.
 * @reserved: the reserved payload bits that were set.
 * The union member named after the opcode holds the operands.
 */
struct tyrc_cs_instr {
	u32 opcode;
	enum tyrc_cs_status status;
	u64 reserved;
	union {
#define TYRC_CS__OP_MEMBER(O, o, num, FL) struct tyrc_cs_##o o;
		TYRC_CS_OPCODES(TYRC_CS__OP_MEMBER)
#undef TYRC_CS__OP_MEMBER
	};
};

/**
 * tyrc_cs_put() - range-check @v for a field and OR it into @word.
 * @word: the instruction being built.
 * @ok: cleared when @v does not fit; the field then gets the low bits.
 * @start: @width: the field's position.
 * @kind: how @v is checked (a signed value is passed as its u64 image).
 */
static inline void tyrc_cs_put(u64 *word, bool *ok, unsigned int start, unsigned int width,
			       enum tyrc_cs_kind kind, u64 v)
{
	u64 lim = TYRC_CS_BIT(width);

	switch (kind) {
	case TYRC_CS_UIMM:
		if (v >= lim)
			*ok = false;
		break;
	case TYRC_CS_SIMM:
		if ((s64)v < -(s64)(lim / 2) || (s64)v >= (s64)(lim / 2))
			*ok = false;
		break;
	case TYRC_CS_REG32:
		if (v >= TYRC_CS_NUM_REGS)
			*ok = false;
		break;
	case TYRC_CS_REG64:
		if (v + 1 >= TYRC_CS_NUM_REGS || (v & 1))
			*ok = false;
		break;
	}
	*word |= (v & (lim - 1)) << start;
}

/*
 * tyrc_cs_pack_<op>() - encode one instruction from its operand struct.
 * Return: the instruction word, or TYRC_CS_BAD_WORD if an operand is out of
 * range for its field.
 */
#define TYRC_CS__PUT(O, o, F, f, start, width, kind) \
	tyrc_cs_put(&word, &ok, start, width, TYRC_CS_##kind, (u64)ops->f);
#define TYRC_CS__OP_PACK(O, o, num, FL)                                   \
	static inline u64 tyrc_cs_pack_##o(const struct tyrc_cs_##o *ops) \
	{                                                                 \
		u64 word = (u64)TYRC_CS_OP_##O << TYRC_CS_OPCODE_SHIFT;   \
		bool ok = true;                                           \
		(void)ops;                                                \
		FL(TYRC_CS__PUT, O, o)                                    \
		return ok ? word : TYRC_CS_BAD_WORD;                      \
	}
TYRC_CS_OPCODES(TYRC_CS__OP_PACK)
#undef TYRC_CS__OP_PACK
#undef TYRC_CS__PUT

/**
 * tyrc_cs_encode() - encode a decoded-form instruction.
 * @in: opcode and the operands in the union member named after it.
 * Return: the word, TYRC_CS_BAD_WORD for an unknown opcode or bad operand.
 */
u64 tyrc_cs_encode(const struct tyrc_cs_instr *in);

/**
 * tyrc_cs_decode() - split a word into opcode and named operands.
 * @word: the instruction.
 * @out: filled in; see struct tyrc_cs_instr for invalid words.
 * Context: pure, any context.
 * Return: 0 for a valid instruction, -EINVAL otherwise (@out->status says why;
 * the CS interpreter reports it as an invalid instruction encoding).
 */
int tyrc_cs_decode(u64 word, struct tyrc_cs_instr *out);

/**
 * struct tyrc_cs_field_desc - one operand field as the table declares it.
 * @name: lower-case field name (the struct member name).
 * @start: @width: bit position and width in the word.
 * @kind: how the value is interpreted.
 * @offset: byte offset of the member within struct tyrc_cs_instr.
 */
struct tyrc_cs_field_desc {
	const char *name;
	u8 start;
	u8 width;
	u8 kind;
	u16 offset;
};

/**
 * tyrc_cs_op_name() - mnemonic of @opcode. Return: a static string, or NULL
 * for a number v10 does not define.
 */
const char *tyrc_cs_op_name(u32 opcode);

/**
 * tyrc_cs_op_fields() - the operand fields of @opcode, low bits first.
 * @count: set to the number of fields (0 for an unknown opcode).
 * Return: the descriptor array, or NULL for an unknown opcode.
 */
const struct tyrc_cs_field_desc *tyrc_cs_op_fields(u32 opcode, unsigned int *count);

/**
 * tyrc_cs_disasm() - one line of text for an instruction word, e.g.
 * "MOVE48 dst=d0 imm=0x1001000". Operands are printed high bits first;
 * an invalid word is printed with the reason.
 * @word: the instruction. @buf: @len: output, always NUL-terminated if @len.
 * Return: the length the full text needs, as snprintf().
 */
int tyrc_cs_disasm(u64 word, char *buf, size_t len);

/* Enumerated operand values (cs-isa-v10.md §2, "Enumerations"). */
enum tyrc_cs_branch_cond {
	TYRC_CS_BRANCH_LEQUAL = 0,
	TYRC_CS_BRANCH_GREATER = 1,
	TYRC_CS_BRANCH_EQUAL = 2,
	TYRC_CS_BRANCH_NEQUAL = 3,
	TYRC_CS_BRANCH_LESS = 4,
	TYRC_CS_BRANCH_GEQUAL = 5,
	TYRC_CS_BRANCH_ALWAYS = 6,
};

enum tyrc_cs_sync_cond {
	TYRC_CS_SYNC_WAIT_LE = 0,
	TYRC_CS_SYNC_WAIT_GT = 1,
};

enum tyrc_cs_sync_scope {
	TYRC_CS_SYNC_SCOPE_SYSTEM = 0,
	TYRC_CS_SYNC_SCOPE_CSG = 2,
};

enum tyrc_cs_flush_mode {
	TYRC_CS_FLUSH_NONE = 0,
	TYRC_CS_FLUSH_CLEAN = 1,
	TYRC_CS_FLUSH_INVALIDATE = 2,
	TYRC_CS_FLUSH_CLEAN_INVALIDATE = 3,
};

enum tyrc_cs_state {
	TYRC_CS_STATE_TIMESTAMP = 0,
	TYRC_CS_STATE_CYCLE_COUNT = 1,
	TYRC_CS_STATE_DISJOINT_COUNT = 2,
	TYRC_CS_STATE_ERROR_STATUS = 3,
};

enum tyrc_cs_heap_op {
	TYRC_CS_HEAP_VT_START = 0,
	TYRC_CS_HEAP_VT_END = 1,
	TYRC_CS_HEAP_FRAG_END = 3,
};

/*
 * Positional shorthands for the instructions written by hand. Each returns
 * the word or TYRC_CS_BAD_WORD, like the pack functions.
 */
static inline u64 tyrc_cs_nop(void)
{
	return tyrc_cs_pack_nop(&(struct tyrc_cs_nop){ .ignored = 0 });
}

static inline u64 tyrc_cs_move48(unsigned int dst, u64 imm)
{
	return tyrc_cs_pack_move48(&(struct tyrc_cs_move48){ .dst = dst, .imm = imm });
}

static inline u64 tyrc_cs_move32(unsigned int dst, u32 imm)
{
	return tyrc_cs_pack_move32(&(struct tyrc_cs_move32){ .dst = dst, .imm = imm });
}

static inline u64 tyrc_cs_wait(u32 wait_mask, bool progress_increment)
{
	return tyrc_cs_pack_wait(&(struct tyrc_cs_wait){
		.wait_mask = wait_mask, .progress_increment = progress_increment });
}

static inline u64 tyrc_cs_add_imm32(unsigned int dst, unsigned int src, s32 imm)
{
	return tyrc_cs_pack_add_immediate32(
		&(struct tyrc_cs_add_immediate32){ .dst = dst, .src = src, .imm = imm });
}

static inline u64 tyrc_cs_add_imm64(unsigned int dst, unsigned int src, s32 imm)
{
	return tyrc_cs_pack_add_immediate64(
		&(struct tyrc_cs_add_immediate64){ .dst = dst, .src = src, .imm = imm });
}

static inline u64 tyrc_cs_load_multiple(unsigned int base, unsigned int address, u32 mask,
					s32 offset)
{
	return tyrc_cs_pack_load_multiple(&(struct tyrc_cs_load_multiple){
		.base = base, .address = address, .mask = mask, .offset = offset });
}

static inline u64 tyrc_cs_store_multiple(unsigned int base, unsigned int address, u32 mask,
					 s32 offset)
{
	return tyrc_cs_pack_store_multiple(&(struct tyrc_cs_store_multiple){
		.base = base, .address = address, .mask = mask, .offset = offset });
}

static inline u64 tyrc_cs_branch(enum tyrc_cs_branch_cond cond, unsigned int value, s32 offset)
{
	return tyrc_cs_pack_branch(
		&(struct tyrc_cs_branch){ .condition = cond, .value = value, .offset = offset });
}

static inline u64 tyrc_cs_call(unsigned int address, unsigned int length)
{
	return tyrc_cs_pack_call(&(struct tyrc_cs_call){ .address = address, .length = length });
}

static inline u64 tyrc_cs_jump(unsigned int address, unsigned int length)
{
	return tyrc_cs_pack_jump(&(struct tyrc_cs_jump){ .address = address, .length = length });
}

static inline u64 tyrc_cs_flush_cache2(enum tyrc_cs_flush_mode l2_mode,
				       enum tyrc_cs_flush_mode lsc_mode,
				       enum tyrc_cs_flush_mode other_mode, u32 wait_mask,
				       unsigned int latest_flush_id, unsigned int signal_slot)
{
	return tyrc_cs_pack_flush_cache2(
		&(struct tyrc_cs_flush_cache2){ .l2_mode = l2_mode,
						.lsc_mode = lsc_mode,
						.other_mode = other_mode,
						.wait_mask = wait_mask,
						.latest_flush_id = latest_flush_id,
						.signal_slot = signal_slot });
}

static inline u64 tyrc_cs_sync_add32(enum tyrc_cs_sync_scope scope, bool error_propagate,
				     unsigned int address, unsigned int data, u32 wait_mask,
				     unsigned int signal_slot)
{
	return tyrc_cs_pack_sync_add32(
		&(struct tyrc_cs_sync_add32){ .scope = scope,
					      .error_propagate = error_propagate,
					      .address = address,
					      .data = data,
					      .wait_mask = wait_mask,
					      .signal_slot = signal_slot });
}

static inline u64 tyrc_cs_sync_add64(enum tyrc_cs_sync_scope scope, bool error_propagate,
				     unsigned int address, unsigned int data, u32 wait_mask,
				     unsigned int signal_slot)
{
	return tyrc_cs_pack_sync_add64(
		&(struct tyrc_cs_sync_add64){ .scope = scope,
					      .error_propagate = error_propagate,
					      .address = address,
					      .data = data,
					      .wait_mask = wait_mask,
					      .signal_slot = signal_slot });
}

static inline u64 tyrc_cs_sync_wait32(enum tyrc_cs_sync_cond cond, bool error_reject,
				      unsigned int address, unsigned int data)
{
	return tyrc_cs_pack_sync_wait32(&(struct tyrc_cs_sync_wait32){ .condition = cond,
								       .error_reject = error_reject,
								       .address = address,
								       .data = data });
}

static inline u64 tyrc_cs_store_state(enum tyrc_cs_state state, unsigned int address, s32 offset,
				      u32 wait_mask, unsigned int signal_slot)
{
	return tyrc_cs_pack_store_state(
		&(struct tyrc_cs_store_state){ .state = state,
					       .address = address,
					       .offset = offset,
					       .wait_mask = wait_mask,
					       .signal_slot = signal_slot });
}

static inline u64 tyrc_cs_error_barrier(void)
{
	return tyrc_cs_pack_error_barrier(&(struct tyrc_cs_error_barrier){});
}

/**
 * struct tyrc_cs_builder - appends instructions to a caller's buffer.
 * @buf: the words; not owned.
 * @capacity: size of @buf in words.
 * @len: words written so far.
 * @error: sticky: 0, -EINVAL (an instruction was TYRC_CS_BAD_WORD or a
 * branch offset does not fit) or -ENOSPC (@buf full). Once set, nothing more
 * is written; tyrc_cs_builder_finish() reports it.
 * @pending: forward branches to labels not yet bound.
 */
struct tyrc_cs_builder {
	u64 *buf;
	u32 capacity;
	u32 len;
	int error;
	u32 pending;
};

#define TYRC_CS_LABEL_MAX_FIXUPS 8

/**
 * struct tyrc_cs_label - a branch target inside one builder.
 * @target: index of the labelled instruction, -1 until bound.
 * @nr_fixups: forward branches waiting for the label.
 * @fixups: their word indices.
 */
struct tyrc_cs_label {
	s32 target;
	u32 nr_fixups;
	u32 fixups[TYRC_CS_LABEL_MAX_FIXUPS];
};

/** tyrc_cs_builder_init() - start writing @capacity words at @buf. */
void tyrc_cs_builder_init(struct tyrc_cs_builder *b, u64 *buf, u32 capacity);

/** tyrc_cs_builder_error() - set the sticky error unless one is set. */
static inline void tyrc_cs_builder_error(struct tyrc_cs_builder *b, int err)
{
	if (!b->error)
		b->error = err;
}

/**
 * tyrc_cs_emit() - append one instruction word, typically from an encoder:
 * tyrc_cs_emit(b, tyrc_cs_move48(0, va)). TYRC_CS_BAD_WORD sets -EINVAL.
 * Return: the word's index, or -1 when the builder is (now) in error.
 */
static inline s32 tyrc_cs_emit(struct tyrc_cs_builder *b, u64 word)
{
	if (b->error)
		return -1;
	if (word == TYRC_CS_BAD_WORD) {
		tyrc_cs_builder_error(b, -EINVAL);
		return -1;
	}
	if (b->len >= b->capacity) {
		tyrc_cs_builder_error(b, -ENOSPC);
		return -1;
	}
	b->buf[b->len] = word;
	return (s32)b->len++;
}

/** tyrc_cs_label_init() - an unbound label. */
void tyrc_cs_label_init(struct tyrc_cs_label *l);

/**
 * tyrc_cs_label_bind() - make @l point at the next instruction and patch the
 * forward branches to it. Binding twice sets -EINVAL.
 */
void tyrc_cs_label_bind(struct tyrc_cs_builder *b, struct tyrc_cs_label *l);

/**
 * tyrc_cs_branch_label() - BRANCH on r[@value] @cond 0 to @l, bound or not.
 * An offset outside s16 or too many pending branches sets -EINVAL.
 */
void tyrc_cs_branch_label(struct tyrc_cs_builder *b, enum tyrc_cs_branch_cond cond,
			  unsigned int value, struct tyrc_cs_label *l);

/**
 * tyrc_cs_builder_finish() - the one error check after building.
 * @size: set to the stream size in bytes (may be NULL).
 * Return: 0, the sticky error, or -EINVAL if a used label was never bound.
 */
int tyrc_cs_builder_finish(const struct tyrc_cs_builder *b, u32 *size);

#endif /* TYRC_CS_ISA_H */
