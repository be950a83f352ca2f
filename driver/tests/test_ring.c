// SPDX-License-Identifier: MIT
/*
 * The per-queue ring writer, without any GPU: the wrapper words of
 * cs-isa-v10.md §7, empty streams, flush IDs, profiling, credits, -ENOSPC
 * and thousands of jobs wrapping around a ring whose extract advances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <tyrc_cs_isa.h>

#include "tyrc_ring.h"

#define RING_VA 0x7fff00000000ull
#define SYNC_VA 0x800000000000ull
#define SZ_4K_RING 0x1000u
#define POISON 0xA5A5A5A5A5A5A5A5ull

static u64 ring_mem[TYRC_RING_MAX_SIZE / 8];

static void ring_setup(struct tyrc_ring *ring, u32 size, u64 start)
{
	for (size_t i = 0; i < ARRAY_SIZE(ring_mem); i++)
		ring_mem[i] = POISON;
	assert_int_equal(tyrc_ring_init(ring, ring_mem, RING_VA, size, TYRC_CS_NUM_REGS, start), 0);
}

static u64 word_at(const struct tyrc_ring *ring, u64 offset)
{
	return ring_mem[(offset % ring->size) / 8];
}

static const struct tyrc_ring_job example_job = {
	.stream_addr = 0x1000000,
	.stream_size = 56,
	.latest_flush = 0,
	.sync_addr = SYNC_VA,
};

/* cs-isa-v10.md §7, "Example block". */
static const u64 example_words[16] = {
	0x025E000000000000,
	0x24005E0000000233,
	0x015C000001000000,
	0x025E000000000038,
	0x0300000000010000,
	0x20005C5E00000000,
	0x015C800000000000,
	0x015E000000000001,
	0x0300000000FF0000,
	0x33005C5E00000001,
	0x2F00000000000000,
	0,
	0,
	0,
	0,
	0,
};

static void test_init_checks(void **state)
{
	struct tyrc_ring ring;

	(void)state;
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x800, 96, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x20000, 96, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x3000, 96, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, NULL, RING_VA, 0x1000, 96, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA + 4, 0x1000, 96, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x1000, 95, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x1000, 98, 0), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x1000, 96, 4), -EINVAL);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x1000, 96, 0x12340), 0);
	assert_int_equal(ring.insert, 0x12340);
	assert_int_equal(ring.extract, 0x12340);
	assert_int_equal(ring.addr_reg, 92);
	assert_int_equal(ring.val_reg, 94);
	assert_int_equal(tyrc_ring_space(&ring), 0x1000);
	assert_int_equal(tyrc_ring_init(&ring, ring_mem, RING_VA, 0x10000, 64, 0), 0);
	assert_int_equal(ring.addr_reg, 60);
	assert_int_equal(ring.val_reg, 62);
}

static void test_sheet_example(void **state)
{
	struct tyrc_ring ring;
	u64 insert = 0;

	(void)state;
	ring_setup(&ring, SZ_4K_RING, 0);
	assert_int_equal(tyrc_ring_emit_job(&ring, &example_job, &insert), 0);
	assert_int_equal(insert, 16 * 8);
	assert_int_equal(ring.insert, 16 * 8);
	for (int i = 0; i < 16; i++)
		assert_int_equal(ring_mem[i], example_words[i]);
	/* Nothing written past the block. */
	assert_int_equal(ring_mem[16], POISON);
	assert_int_equal(tyrc_ring_job_instrs(&example_job), 11);
	assert_int_equal(tyrc_ring_job_credits(&example_job), 16);
}

static void test_empty_stream(void **state)
{
	struct tyrc_ring_job job = { .sync_addr = SYNC_VA, .latest_flush = 7 };
	struct tyrc_cs_instr in;
	struct tyrc_ring ring;
	bool saw_sync = false;
	u64 insert;

	(void)state;
	ring_setup(&ring, SZ_4K_RING, 0);
	assert_int_equal(tyrc_ring_job_credits(&job), 8);
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), 0);
	assert_int_equal(insert, 8 * 8);
	assert_int_equal(ring_mem[8], POISON);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(tyrc_cs_decode(ring_mem[i], &in), 0);
		assert_int_not_equal(in.opcode, TYRC_CS_OP_CALL);
		if (in.opcode == TYRC_CS_OP_SYNC_ADD64) {
			saw_sync = true;
			assert_int_equal(in.sync_add64.address, 92);
			assert_int_equal(in.sync_add64.data, 94);
			assert_int_equal(in.sync_add64.scope, TYRC_CS_SYNC_SCOPE_SYSTEM);
			assert_int_equal(in.sync_add64.error_propagate, 1);
		}
	}
	assert_true(saw_sync);
	/* The seqno pair is loaded from the job's sync object and 1. */
	assert_int_equal(ring_mem[0], tyrc_cs_move32(94, 7));
	assert_int_equal(ring_mem[3], tyrc_cs_move48(92, SYNC_VA));
	assert_int_equal(ring_mem[4], tyrc_cs_move48(94, 1));
	assert_int_equal(ring_mem[7], tyrc_cs_error_barrier());

	/* Profiling bits are ignored for a synchronisation point. */
	job.profile = TYRC_RING_PROFILE_CYCLES | TYRC_RING_PROFILE_TIMESTAMP;
	job.profile_addr = 0x2000000;
	assert_int_equal(tyrc_ring_job_credits(&job), 8);
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), 0);
	assert_int_equal(insert, 16 * 8);
}

static void test_latest_flush(void **state)
{
	struct tyrc_ring_job job = example_job;
	struct tyrc_cs_instr in;
	struct tyrc_ring ring;

	(void)state;
	ring_setup(&ring, SZ_4K_RING, 0);
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, NULL), 0);
	job.latest_flush = 0x00ABCDEF;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, NULL), 0);
	assert_int_equal(ring_mem[0], 0x025E000000000000ull);
	assert_int_equal(ring_mem[16], 0x025E000000ABCDEFull);
	assert_int_equal(tyrc_cs_decode(ring_mem[16], &in), 0);
	assert_int_equal(in.opcode, TYRC_CS_OP_MOVE32);
	assert_int_equal(in.move32.dst, 94);
	assert_int_equal(in.move32.imm, 0x00ABCDEF);
	/* The flush itself is the same, conditioned on r94. */
	assert_int_equal(ring_mem[17], ring_mem[1]);
	for (int i = 2; i < 16; i++)
		assert_int_equal(ring_mem[16 + i], ring_mem[i]);
}

static void test_profiling(void **state)
{
	struct tyrc_ring_job job = example_job;
	struct tyrc_cs_instr in;
	struct tyrc_ring ring;
	int stores = 0, call_at = -1;
	u64 insert;

	(void)state;
	ring_setup(&ring, SZ_4K_RING, 0);
	job.profile = TYRC_RING_PROFILE_CYCLES;
	job.profile_addr = 0x2000040;
	assert_int_equal(tyrc_ring_job_instrs(&job), 15);
	assert_int_equal(tyrc_ring_job_credits(&job), 16);
	job.profile |= TYRC_RING_PROFILE_TIMESTAMP;
	assert_int_equal(tyrc_ring_job_instrs(&job), 19);
	assert_int_equal(tyrc_ring_job_credits(&job), TYRC_RING_MAX_INSTRS_PER_JOB);
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), 0);
	assert_int_equal(insert, 24 * 8);
	for (int i = 0; i < 24; i++) {
		assert_int_equal(tyrc_cs_decode(ring_mem[i], &in), 0);
		if (in.opcode == TYRC_CS_OP_CALL)
			call_at = i;
		if (in.opcode == TYRC_CS_OP_STORE_STATE)
			stores++;
	}
	assert_int_equal(stores, 4);
	assert_int_equal(call_at, 9);
	/* Before: cycles through d92, timestamp through d94. */
	assert_int_equal(ring_mem[2], tyrc_cs_move48(92, 0x2000040));
	assert_int_equal(ring_mem[3], tyrc_cs_store_state(TYRC_CS_STATE_CYCLE_COUNT, 92, 0, 0, 0));
	assert_int_equal(ring_mem[4], tyrc_cs_move48(94, 0x2000050));
	assert_int_equal(ring_mem[5], tyrc_cs_store_state(TYRC_CS_STATE_TIMESTAMP, 94, 0, 0, 0));
	/* After the CALL: the *_after members. */
	assert_int_equal(ring_mem[10], tyrc_cs_move48(92, 0x2000048));
	assert_int_equal(ring_mem[12], tyrc_cs_move48(94, 0x2000058));
	assert_int_equal(ring_mem[18], tyrc_cs_error_barrier());
	for (int i = 19; i < 24; i++)
		assert_int_equal(ring_mem[i], 0);

	job.profile = 4;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, NULL), -EINVAL);
}

static void test_bad_jobs(void **state)
{
	struct tyrc_ring_job job = example_job;
	struct tyrc_ring ring;
	u64 insert = 0xdead;

	(void)state;
	ring_setup(&ring, SZ_4K_RING, 0);
	job.stream_addr = 0;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	job = example_job;
	job.stream_size = 0;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	job = example_job;
	job.stream_addr += 8;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	job = example_job;
	job.stream_size = 60;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	/* Addresses past 48 bits cannot be loaded with MOVE48. */
	job = example_job;
	job.sync_addr = 1ull << 48;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	job = example_job;
	job.stream_addr = 1ull << 48;
	assert_int_equal(tyrc_ring_emit_job(&ring, &job, &insert), -EINVAL);
	assert_int_equal(insert, 0xdead);
	assert_int_equal(ring.insert, 0);
	for (size_t i = 0; i < SZ_4K_RING / 8; i++)
		assert_int_equal(ring_mem[i], POISON);
}

static void test_credits(void **state)
{
	struct tyrc_ring ring;
	u32 sizes[] = { 0x1000, 0x2000, 0x4000, 0x8000, 0x10000 };
	u64 insert;

	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		u32 jobs = 0;

		ring_setup(&ring, sizes[s], 0);
		assert_int_equal(tyrc_ring_credit_limit(&ring), sizes[s] / 8);
		while (tyrc_ring_emit_job(&ring, &example_job, &insert) == 0)
			jobs++;
		/* panthor: credit limit / job credits jobs in flight (32 for 4 KiB). */
		assert_int_equal(jobs, tyrc_ring_credit_limit(&ring) /
					       tyrc_ring_job_credits(&example_job));
		if (sizes[s] == 0x1000)
			assert_int_equal(jobs, 32);
		assert_int_equal(tyrc_ring_space(&ring), 0);
		assert_int_equal(insert, sizes[s]);
	}
}

static void test_enospc_then_extract(void **state)
{
	struct tyrc_ring_job prof = example_job;
	struct tyrc_ring ring;
	u64 insert = 0;
	u64 snapshot[SZ_4K_RING / 8];

	(void)state;
	prof.profile = TYRC_RING_PROFILE_CYCLES | TYRC_RING_PROFILE_TIMESTAMP;
	prof.profile_addr = 0x3000000;
	ring_setup(&ring, SZ_4K_RING, 0);
	/* 21 blocks of 24 words = 504 of 512 words: 8 words left. */
	for (int i = 0; i < 21; i++)
		assert_int_equal(tyrc_ring_emit_job(&ring, &prof, &insert), 0);
	assert_int_equal(tyrc_ring_space(&ring), 64);
	memcpy(snapshot, ring_mem, sizeof(snapshot));
	assert_int_equal(tyrc_ring_emit_job(&ring, &example_job, &insert), -ENOSPC);
	assert_int_equal(insert, 21 * 192);
	assert_memory_equal(snapshot, ring_mem, sizeof(snapshot));
	/* An empty stream (8 words) still fits. */
	assert_int_equal(
		tyrc_ring_emit_job(&ring, &(struct tyrc_ring_job){ .sync_addr = SYNC_VA }, &insert),
		0);
	assert_int_equal(tyrc_ring_space(&ring), 0);
	assert_int_equal(tyrc_ring_emit_job(&ring, &example_job, NULL), -ENOSPC);

	/* Extract rules: aligned, monotonic, never past insert. */
	assert_int_equal(tyrc_ring_update_extract(&ring, 4), -EINVAL);
	assert_int_equal(tyrc_ring_update_extract(&ring, ring.insert + 8), -EINVAL);
	assert_int_equal(tyrc_ring_update_extract(&ring, 64), 0);
	assert_int_equal(tyrc_ring_update_extract(&ring, 56), -EINVAL);
	assert_int_equal(tyrc_ring_space(&ring), 64);
	assert_int_equal(tyrc_ring_emit_job(&ring, &example_job, NULL), -ENOSPC);
	assert_int_equal(tyrc_ring_update_extract(&ring, 192), 0);
	/* 24 words free from offset 4096: the 24-word block wraps onto words 0..23. */
	assert_int_equal(tyrc_ring_emit_job(&ring, &prof, &insert), 0);
	assert_int_equal(insert, 4096 + 192);
	assert_int_equal(tyrc_ring_space(&ring), 0);
	assert_int_equal(ring_mem[0], 0x025E000000000000ull);
	assert_int_equal(ring_mem[24], snapshot[24]);
}

/*
 * Thousands of jobs of mixed shapes on a ring whose extract advances by a
 * pseudo-random amount: every block starts at the old insert, is decoded
 * valid word by word (wrapping), and never lands on unconsumed bytes.
 */
static void test_wraparound_stress(void **state)
{
	static const u32 sizes[] = { 0x1000, 0x2000, 0x10000 };
	const u32 words = SZ_4K_RING / 8;

	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct tyrc_ring ring;
		u64 extract_start = 0x7ffffffff000ull - 0x200;
		u32 seed = 12345 + (u32)s;
		u32 emitted = 0, refused = 0, wrapped = 0;

		ring_setup(&ring, sizes[s], extract_start);
		for (int iter = 0; iter < 20000; iter++) {
			struct tyrc_ring_job job = { .sync_addr = SYNC_VA + 16 * (iter % 8) };
			struct tyrc_cs_instr in;
			u64 before = ring.insert, insert;
			u32 unconsumed[2];
			u64 guard[2];
			int shape, err;
			u32 n;

			seed = seed * 1103515245u + 12345u;
			shape = (seed >> 16) % 5;
			if (shape) {
				job.stream_addr = 0x1000000 + 64 * (u64)((seed >> 8) & 0xff);
				job.stream_size = 8 * (1 + ((seed >> 4) & 0x3f));
				job.latest_flush = (seed & 1) ? 0 : (seed & 0xffffff);
				job.profile = shape - 1;
				job.profile_addr = 0x4000000 + 32 * (u64)(iter & 0x3f);
			}
			n = tyrc_ring_job_credits(&job);

			/* The oldest and newest unconsumed words (if any): mark them. */
			unconsumed[0] = (u32)((ring.extract / 8) % (ring.size / 8));
			unconsumed[1] = (u32)((ring.insert / 8 - 1) % (ring.size / 8));
			guard[0] = ring_mem[unconsumed[0]];
			guard[1] = ring_mem[unconsumed[1]];

			err = tyrc_ring_emit_job(&ring, &job, &insert);
			if (err) {
				assert_int_equal(err, -ENOSPC);
				assert_true(tyrc_ring_space(&ring) < n * 8);
				assert_int_equal(ring.insert, before);
				refused++;
			} else {
				emitted++;
				assert_int_equal(insert, before + n * 8);
				assert_true(ring.insert - ring.extract <= ring.size);
				if ((before % ring.size) + n * 8 > ring.size)
					wrapped++;
				for (u32 i = 0; i < n; i++) {
					assert_int_equal(
						tyrc_cs_decode(word_at(&ring, before + 8 * i), &in),
						0);
				}
				assert_int_equal(word_at(&ring, before),
						 tyrc_cs_move32(94, job.latest_flush));
				if (job.stream_size) {
					u32 call = 5 + 2 * __builtin_popcount(job.profile);

					assert_int_equal(
						tyrc_cs_decode(word_at(&ring, before + 8 * call),
							       &in),
						0);
					assert_int_equal(in.opcode, TYRC_CS_OP_CALL);
				}
				/* Unconsumed words survive unless the ring was empty. */
				if (before != ring.extract) {
					assert_int_equal(ring_mem[unconsumed[0]], guard[0]);
					assert_int_equal(ring_mem[unconsumed[1]], guard[1]);
				}
			}

			/* The firmware consumes a random amount, whole words, up to insert. */
			if ((seed >> 20) % 3 == 0 || err) {
				u64 avail = ring.insert - ring.extract;
				u64 step = 8 * (u64)((seed >> 12) % (words / 8 + 1));

				assert_int_equal(
					tyrc_ring_update_extract(
						&ring, ring.extract + tyrc_min(step, avail)),
					0);
			}
		}
		assert_true(emitted > 2000);
		assert_true(refused > 0);
		assert_true(wrapped > 0);
		assert_true(ring.insert > extract_start + 4ull * ring.size);
		/* Instruction VAs wrap modulo the size. */
		assert_int_equal(tyrc_ring_instr_va(&ring, ring.size + 8), RING_VA + 8);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_checks),
		cmocka_unit_test(test_sheet_example),
		cmocka_unit_test(test_empty_stream),
		cmocka_unit_test(test_latest_flush),
		cmocka_unit_test(test_profiling),
		cmocka_unit_test(test_bad_jobs),
		cmocka_unit_test(test_credits),
		cmocka_unit_test(test_enospc_then_extract),
		cmocka_unit_test(test_wraparound_stress),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
