// SPDX-License-Identifier: MIT
/*
 * CS v10 instruction tables: the sheet's hand-encoded streams
 * (cs-isa-v10.md §7, §8), encode/decode round trips for every opcode,
 * range checks and the builder's sticky error, invalid encodings, and the
 * IGT cs_* helpers against the builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tyrc/types.h>

#include "tyrc_cs_isa.h"
#include "igt_panthor.h"

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

/* §8 A: store 0xDEADBEEF, flush, signal a 32-bit sync object. */
static const u64 stream_a[] = {
	0x0100000001001000ull, 0x02020000DEADBEEFull, 0x1502000000010000ull, 0x0300000000010000ull,
	0x0207000000000000ull, 0x2400070000000233ull, 0x0300000000010000ull, 0x0104000001001100ull,
	0x0206000000000001ull, 0x2500040600000001ull,
};

/* §8 B: counted loop. */
static const u64 stream_b[] = {
	0x0208000000000003ull,
	0x10080800FFFFFFFFull,
	0x160008001000FFFEull,
};

/* §7: panthor's ring wrapper for one job, 11 instructions + NOP padding. */
static const u64 ring_block[] = {
	0x025E000000000000ull,
	0x24005E0000000233ull,
	0x015C000001000000ull,
	0x025E000000000038ull,
	0x0300000000010000ull,
	0x20005C5E00000000ull,
	0x015C800000000000ull,
	0x015E000000000001ull,
	0x0300000000FF0000ull,
	0x33005C5E00000001ull,
	0x2F00000000000000ull,
	0,
	0,
	0,
	0,
	0,
};

static void build_stream_a(struct tyrc_cs_builder *b)
{
	tyrc_cs_emit(b, tyrc_cs_move48(0, 0x1001000));
	tyrc_cs_emit(b, tyrc_cs_move32(2, 0xDEADBEEF));
	tyrc_cs_emit(b, tyrc_cs_store_multiple(2, 0, 0x1, 0));
	tyrc_cs_emit(b, tyrc_cs_wait(BIT(0), false));
	tyrc_cs_emit(b, tyrc_cs_move32(7, 0));
	tyrc_cs_emit(b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					     TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					     TYRC_CS_FLUSH_INVALIDATE, 0, 7, 0));
	tyrc_cs_emit(b, tyrc_cs_wait(BIT(0), false));
	tyrc_cs_emit(b, tyrc_cs_move48(4, 0x1001100));
	tyrc_cs_emit(b, tyrc_cs_move32(6, 1));
	tyrc_cs_emit(b, tyrc_cs_sync_add32(TYRC_CS_SYNC_SCOPE_SYSTEM, true, 4, 6, 0, 0));
}

static void assert_decodes_valid(const u64 *words, unsigned int n)
{
	struct tyrc_cs_instr in;
	unsigned int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(tyrc_cs_decode(words[i], &in), 0);
		assert_int_equal(in.status, TYRC_CS_VALID);
		/* Decoding then encoding gives the word back. */
		assert_true(tyrc_cs_encode(&in) == words[i]);
	}
}

static void test_example_a(void **state)
{
	u64 buf[16];
	struct tyrc_cs_builder b;
	struct tyrc_cs_instr in;
	u32 size;

	(void)state;
	tyrc_cs_builder_init(&b, buf, NWORDS(buf));
	build_stream_a(&b);
	assert_int_equal(tyrc_cs_builder_finish(&b, &size), 0);
	assert_int_equal(size, sizeof(stream_a));
	assert_memory_equal(buf, stream_a, sizeof(stream_a));
	assert_decodes_valid(stream_a, NWORDS(stream_a));

	/* Named fields of a few words. */
	tyrc_cs_decode(stream_a[2], &in);
	assert_int_equal(in.opcode, TYRC_CS_OP_STORE_MULTIPLE);
	assert_int_equal(in.store_multiple.base, 2);
	assert_int_equal(in.store_multiple.address, 0);
	assert_int_equal(in.store_multiple.mask, 1);
	assert_int_equal(in.store_multiple.offset, 0);
	tyrc_cs_decode(stream_a[9], &in);
	assert_int_equal(in.opcode, TYRC_CS_OP_SYNC_ADD32);
	assert_int_equal(in.sync_add32.address, 4);
	assert_int_equal(in.sync_add32.data, 6);
	assert_int_equal(in.sync_add32.error_propagate, 1);
	assert_int_equal(in.sync_add32.scope, TYRC_CS_SYNC_SCOPE_SYSTEM);
	tyrc_cs_decode(stream_a[5], &in);
	assert_int_equal(in.flush_cache2.l2_mode, 3);
	assert_int_equal(in.flush_cache2.lsc_mode, 3);
	assert_int_equal(in.flush_cache2.other_mode, 2);
	assert_int_equal(in.flush_cache2.latest_flush_id, 7);
}

static void test_example_b_labels(void **state)
{
	struct tyrc_cs_builder b;
	struct tyrc_cs_label loop, done;
	struct tyrc_cs_instr in;
	u64 buf[8];

	(void)state;
	/* The same loop from positional encoders ... */
	assert_true(tyrc_cs_move32(8, 3) == stream_b[0]);
	assert_true(tyrc_cs_add_imm32(8, 8, -1) == stream_b[1]);
	assert_true(tyrc_cs_branch(TYRC_CS_BRANCH_GREATER, 8, -2) == stream_b[2]);
	assert_decodes_valid(stream_b, NWORDS(stream_b));
	tyrc_cs_decode(stream_b[2], &in);
	assert_int_equal(in.branch.offset, -2);
	assert_int_equal(in.branch.condition, TYRC_CS_BRANCH_GREATER);
	tyrc_cs_decode(stream_b[1], &in);
	assert_int_equal(in.add_immediate32.imm, -1);

	/* ... and from a backward label, plus a forward one. */
	tyrc_cs_builder_init(&b, buf, NWORDS(buf));
	tyrc_cs_label_init(&loop);
	tyrc_cs_label_init(&done);
	tyrc_cs_emit(&b, tyrc_cs_move32(8, 3));
	tyrc_cs_label_bind(&b, &loop);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(8, 8, -1));
	tyrc_cs_branch_label(&b, TYRC_CS_BRANCH_GREATER, 8, &loop);
	assert_memory_equal(buf, stream_b, sizeof(stream_b));

	tyrc_cs_branch_label(&b, TYRC_CS_BRANCH_ALWAYS, 0, &done);
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), -EINVAL);
	tyrc_cs_emit(&b, tyrc_cs_nop());
	tyrc_cs_label_bind(&b, &done);
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), 0);
	tyrc_cs_decode(buf[3], &in);
	assert_int_equal(in.opcode, TYRC_CS_OP_BRANCH);
	assert_int_equal(in.branch.offset, 1);
	assert_int_equal(in.branch.condition, TYRC_CS_BRANCH_ALWAYS);
}

static void test_ring_block(void **state)
{
	struct tyrc_cs_builder b;
	u64 buf[16];
	int i;

	(void)state;
	tyrc_cs_builder_init(&b, buf, NWORDS(buf));
	tyrc_cs_emit(&b, tyrc_cs_move32(94, 0));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_INVALIDATE, 0, 94, 0));
	tyrc_cs_emit(&b, tyrc_cs_move48(92, 0x1000000));
	tyrc_cs_emit(&b, tyrc_cs_move32(94, 56));
	tyrc_cs_emit(&b, tyrc_cs_wait(BIT(0), false));
	tyrc_cs_emit(&b, tyrc_cs_call(92, 94));
	tyrc_cs_emit(&b, tyrc_cs_move48(92, 0x800000000000ull));
	tyrc_cs_emit(&b, tyrc_cs_move48(94, 1));
	tyrc_cs_emit(&b, tyrc_cs_wait(0xFF, false));
	tyrc_cs_emit(&b, tyrc_cs_sync_add64(TYRC_CS_SYNC_SCOPE_SYSTEM, true, 92, 94, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_error_barrier());
	for (i = 0; i < 5; i++)
		tyrc_cs_emit(&b, tyrc_cs_nop());
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), 0);
	assert_memory_equal(buf, ring_block, sizeof(ring_block));
	assert_decodes_valid(ring_block, NWORDS(ring_block));
}

/* A random value that fits @d (registers in range, pairs even). */
static u64 random_field(const struct tyrc_cs_field_desc *d)
{
	u64 r = ((u64)(unsigned int)rand() << 32) ^ ((u64)rand() << 8) ^ (u64)rand();

	switch (d->kind) {
	case TYRC_CS_REG32:
		return r % TYRC_CS_NUM_REGS;
	case TYRC_CS_REG64:
		return (r % (TYRC_CS_NUM_REGS / 2)) * 2;
	case TYRC_CS_SIMM:
		r &= BIT_ULL(d->width) - 1;
		if (r & BIT_ULL(d->width - 1))
			r |= ~(BIT_ULL(d->width) - 1);
		return r;
	default:
		return r & (BIT_ULL(d->width) - 1);
	}
}

static void test_round_trip_all_opcodes(void **state)
{
	unsigned int op, nr_ops = 0;

	(void)state;
	srand(1234);
	for (op = 0; op < 256; op++) {
		const struct tyrc_cs_field_desc *fields;
		unsigned int count, i, iter;

		fields = tyrc_cs_op_fields(op, &count);
		if (!fields) {
			assert_null(tyrc_cs_op_name(op));
			continue;
		}
		nr_ops++;
		for (iter = 0; iter < 200; iter++) {
			struct tyrc_cs_instr in = { .opcode = op }, out;
			u64 word, v;

			for (i = 0; i < count; i++) {
				v = random_field(&fields[i]);
				memcpy((u8 *)&in + fields[i].offset, &v, sizeof(v));
			}
			word = tyrc_cs_encode(&in);
			assert_true(word != TYRC_CS_BAD_WORD);
			assert_int_equal(word >> 56, op);
			assert_int_equal(tyrc_cs_decode(word, &out), 0);
			assert_int_equal(out.opcode, op);
			for (i = 0; i < count; i++)
				assert_memory_equal((u8 *)&in + fields[i].offset,
						    (u8 *)&out + fields[i].offset, 8);
			assert_true(tyrc_cs_encode(&out) == word);
		}
	}
	/* Every opcode of the sheet's table: 0-9, 11, 16-18, 20-25, 32-34, 36-44, 47-53. */
	assert_int_equal(nr_ops, 39);
}

static void test_range_checks_sticky(void **state)
{
	struct tyrc_cs_builder b;
	u64 buf[4];

	(void)state;
	/* Each of these is out of range for its field. */
	assert_true(tyrc_cs_move48(1, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_move48(96, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_move48(0, BIT_ULL(48)) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_move32(96, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_wait(0x100, false) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_load_multiple(0, 0, 1, 32768) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_load_multiple(0, 0, 1, -32769) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_load_multiple(0, 0, 0x10000, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_load_multiple(0, 0, 1, -32768) != TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_call(95, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_sync_add64(0, false, 0, 3, 0, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_flush_cache2(16, 0, 0, 0, 0, 0) == TYRC_CS_BAD_WORD);
	assert_true(tyrc_cs_flush_cache2(0, 0, 0, 0, 0, 16) == TYRC_CS_BAD_WORD);

	/* One bad instruction poisons the builder; later ones are dropped. */
	tyrc_cs_builder_init(&b, buf, NWORDS(buf));
	assert_int_equal(tyrc_cs_emit(&b, tyrc_cs_nop()), 0);
	assert_int_equal(tyrc_cs_emit(&b, tyrc_cs_move48(3, 0)), -1);
	assert_int_equal(tyrc_cs_emit(&b, tyrc_cs_nop()), -1);
	assert_int_equal(b.len, 1);
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), -EINVAL);

	/* Overflowing the buffer is sticky too. */
	tyrc_cs_builder_init(&b, buf, 2);
	tyrc_cs_emit(&b, tyrc_cs_nop());
	tyrc_cs_emit(&b, tyrc_cs_nop());
	tyrc_cs_emit(&b, tyrc_cs_nop());
	tyrc_cs_emit(&b, tyrc_cs_move48(3, 0));
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), -ENOSPC);

	/* A label too far away for BRANCH's s16 offset. */
	{
		static u64 big[40000];
		struct tyrc_cs_label l;
		unsigned int i;

		tyrc_cs_builder_init(&b, big, NWORDS(big));
		tyrc_cs_label_init(&l);
		tyrc_cs_branch_label(&b, TYRC_CS_BRANCH_ALWAYS, 0, &l);
		for (i = 0; i < 33000; i++)
			tyrc_cs_emit(&b, tyrc_cs_nop());
		tyrc_cs_label_bind(&b, &l);
		assert_int_equal(tyrc_cs_builder_finish(&b, NULL), -EINVAL);
	}
}

static void test_invalid_encodings(void **state)
{
	struct tyrc_cs_instr in;
	static const u32 undefined[] = { 10, 12, 13, 14, 15, 19, 26, 27,  28,
					 29, 30, 31, 35, 45, 46, 54, 0xFF };
	unsigned int i;

	(void)state;
	for (i = 0; i < NWORDS(undefined); i++) {
		assert_int_equal(tyrc_cs_decode((u64)undefined[i] << 56, &in), -EINVAL);
		assert_int_equal(in.status, TYRC_CS_INVALID_OPCODE);
		assert_int_equal(in.opcode, undefined[i]);
	}
	assert_int_equal(tyrc_cs_decode(TYRC_CS_BAD_WORD, &in), -EINVAL);

	/* Reserved bits: WAIT only has wait_mask[23:16] and bit 32. */
	assert_int_equal(tyrc_cs_decode(0x0300000001000000ull, &in), -EINVAL);
	assert_int_equal(in.status, TYRC_CS_INVALID_RESERVED);
	assert_true(in.reserved == BIT_ULL(24));
	/* MOVE32 bits [47:32] are reserved. */
	assert_int_equal(tyrc_cs_decode(0x0202000100000000ull, &in), -EINVAL);
	assert_int_equal(in.status, TYRC_CS_INVALID_RESERVED);
	/* ERROR_BARRIER has no operands at all. */
	assert_int_equal(tyrc_cs_decode(0x2F00000000000001ull, &in), -EINVAL);
	/* NOP ignores its payload. */
	assert_int_equal(tyrc_cs_decode(0x00123456789ABCDEull, &in), 0);

	/* Registers: r96, an odd pair, the pair d95/d96. */
	assert_int_equal(tyrc_cs_decode(0x0260000000000000ull, &in), -EINVAL);
	assert_int_equal(in.status, TYRC_CS_INVALID_REGISTER);
	assert_int_equal(tyrc_cs_decode(0x0101000000000000ull, &in), -EINVAL);
	assert_int_equal(in.status, TYRC_CS_INVALID_REGISTER);
	assert_int_equal(tyrc_cs_decode(0x20005F5E00000000ull, &in), -EINVAL);
	assert_int_equal(in.status, TYRC_CS_INVALID_REGISTER);
}

static void test_igt_helpers(void **state)
{
	struct tyrc_cs_builder b;
	u64 buf[16];
	u64 igt[7];

	(void)state;
	/* IGT's panthor_group submit stream: stream A's first 7 words. */
	igt[0] = cs_mov48(0, 0x1001000);
	igt[1] = cs_mov32(2, 0xDEADBEEF);
	igt[2] = cs_stm32(0, 2, 0);
	igt[3] = cs_wait(0x1, false);
	igt[4] = cs_mov32(7, 0);
	igt[5] = cs_flush(CS_FLUSH_MODE_CLEAN_AND_INVALIDATE, CS_FLUSH_MODE_CLEAN_AND_INVALIDATE,
			  CS_FLUSH_MODE_INVALIDATE, 0, 7, 0);
	igt[6] = cs_wait(0x1, false);

	tyrc_cs_builder_init(&b, buf, NWORDS(buf));
	build_stream_a(&b);
	assert_int_equal(tyrc_cs_builder_finish(&b, NULL), 0);
	assert_memory_equal(igt, buf, sizeof(igt));

	assert_true(cs_nop() == 0);
	assert_true(cs_stm64(4, 10, -8) == tyrc_cs_store_multiple(10, 4, 0x3, -8));
	/* Upstream's cs_mov48 keeps the low 48 bits. */
	assert_true(cs_mov48(2, 0xFFFF000000000005ull) == tyrc_cs_move48(2, 5));
	assert_true(cs_wait(0x100, false) == TYRC_CS_BAD_WORD);
}

static void test_disasm(void **state)
{
	char line[128];
	int n;

	(void)state;
	n = tyrc_cs_disasm(stream_a[0], line, sizeof(line));
	assert_string_equal(line, "MOVE48 dst=d0 imm=0x1001000");
	assert_int_equal(n, (int)strlen(line));
	tyrc_cs_disasm(stream_b[2], line, sizeof(line));
	assert_string_equal(line, "BRANCH value=r8 condition=1 offset=-2");
	tyrc_cs_disasm(0, line, sizeof(line));
	assert_string_equal(line, "NOP");
	tyrc_cs_disasm(0xFF00000000000000ull, line, sizeof(line));
	assert_string_equal(line, "INVALID opcode=0xff payload=0x00000000000000");
	tyrc_cs_disasm(0x0300000001010000ull, line, sizeof(line));
	assert_string_equal(line, "WAIT progress_increment=0 wait_mask=1 "
				  "(invalid: reserved bits set 0x1000000)");
	/* Truncation behaves as snprintf. */
	n = tyrc_cs_disasm(stream_a[0], line, 7);
	assert_string_equal(line, "MOVE48");
	assert_int_equal(n, (int)strlen("MOVE48 dst=d0 imm=0x1001000"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_a),
		cmocka_unit_test(test_example_b_labels),
		cmocka_unit_test(test_ring_block),
		cmocka_unit_test(test_round_trip_all_opcodes),
		cmocka_unit_test(test_range_checks_sticky),
		cmocka_unit_test(test_invalid_encodings),
		cmocka_unit_test(test_igt_helpers),
		cmocka_unit_test(test_disasm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
