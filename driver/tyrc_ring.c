// SPDX-License-Identifier: MIT
/* The per-queue ring writer (see the DOC block in tyrc_ring.h). */
#include <tyrc_cs_isa.h>

#include "tyrc_ring.h"

#define TYRC_RING_INSTR_BYTES 8u
/* WAIT mask covering every scoreboard slot of a v10 CS. */
#define TYRC_RING_ALL_SLOTS ((1u << TYRC_CS_NUM_SB_SLOTS) - 1)
#define TYRC_RING_PROFILE_ALL (TYRC_RING_PROFILE_CYCLES | TYRC_RING_PROFILE_TIMESTAMP)

int tyrc_ring_init(struct tyrc_ring *ring, void *host, u64 gpu_va, u32 size, u32 cs_reg_count,
		   u64 start)
{
	if (!ring || !host || !is_power_of_2(size) || size < TYRC_RING_MIN_SIZE ||
	    size > TYRC_RING_MAX_SIZE)
		return -EINVAL;
	if (!IS_ALIGNED((uintptr_t)host, TYRC_RING_INSTR_BYTES) ||
	    !IS_ALIGNED(gpu_va, TYRC_RING_INSTR_BYTES) ||
	    !IS_ALIGNED(start, (u64)TYRC_RING_INSTR_BYTES))
		return -EINVAL;
	if (cs_reg_count & 1 || cs_reg_count < 2 * TYRC_RING_UNPRESERVED_REGS ||
	    cs_reg_count > TYRC_CS_NUM_REGS)
		return -EINVAL;
	*ring = (struct tyrc_ring){
		.words = host,
		.gpu_va = gpu_va,
		.size = size,
		.insert = start,
		.extract = start,
		.addr_reg = cs_reg_count - TYRC_RING_UNPRESERVED_REGS,
		.val_reg = cs_reg_count - TYRC_RING_UNPRESERVED_REGS + 2,
	};
	return 0;
}

u32 tyrc_ring_space(const struct tyrc_ring *ring)
{
	return ring->size - (u32)(ring->insert - ring->extract);
}

u32 tyrc_ring_credit_limit(const struct tyrc_ring *ring)
{
	return ring->size / TYRC_RING_INSTR_BYTES;
}

u32 tyrc_ring_job_instrs(const struct tyrc_ring_job *job)
{
	u32 n;

	if (!job->stream_size)
		return 8;
	n = 11;
	if (job->profile & TYRC_RING_PROFILE_CYCLES)
		n += 4;
	if (job->profile & TYRC_RING_PROFILE_TIMESTAMP)
		n += 4;
	return n;
}

u32 tyrc_ring_job_credits(const struct tyrc_ring_job *job)
{
	return ALIGN_UP(tyrc_ring_job_instrs(job), TYRC_RING_JOB_ALIGN_INSTRS);
}

u64 tyrc_ring_instr_va(const struct tyrc_ring *ring, u64 offset)
{
	return ring->gpu_va + (offset & (ring->size - 1));
}

int tyrc_ring_update_extract(struct tyrc_ring *ring, u64 extract)
{
	if (extract < ring->extract || extract > ring->insert ||
	    !IS_ALIGNED(extract, (u64)TYRC_RING_INSTR_BYTES))
		return -EINVAL;
	ring->extract = extract;
	return 0;
}

/*
 * ring_emit_samples() - MOVE48 + STORE_STATE per enabled profiling kind,
 * @after selecting the samples taken after the CALL. Cycles go through A,
 * timestamps through V, as panthor.
 */
static void ring_emit_samples(const struct tyrc_ring *ring, struct tyrc_cs_builder *b,
			      const struct tyrc_ring_job *job, bool after)
{
	u64 base = job->profile_addr;

	if (job->profile & TYRC_RING_PROFILE_CYCLES) {
		u64 off = after ? offsetof(struct tyrc_ring_profile_slot, cycles_after) :
				  offsetof(struct tyrc_ring_profile_slot, cycles_before);

		tyrc_cs_emit(b, tyrc_cs_move48(ring->addr_reg, base + off));
		tyrc_cs_emit(
			b, tyrc_cs_store_state(TYRC_CS_STATE_CYCLE_COUNT, ring->addr_reg, 0, 0, 0));
	}
	if (job->profile & TYRC_RING_PROFILE_TIMESTAMP) {
		u64 off = after ? offsetof(struct tyrc_ring_profile_slot, time_after) :
				  offsetof(struct tyrc_ring_profile_slot, time_before);

		tyrc_cs_emit(b, tyrc_cs_move48(ring->val_reg, base + off));
		tyrc_cs_emit(b,
			     tyrc_cs_store_state(TYRC_CS_STATE_TIMESTAMP, ring->val_reg, 0, 0, 0));
	}
}

/*
 * ring_build_job() - encode the padded block into @buf.
 * Return: the number of words, or a negative errno.
 */
static int ring_build_job(const struct tyrc_ring *ring, const struct tyrc_ring_job *job, u64 *buf)
{
	struct tyrc_cs_builder b;
	bool has_stream = job->stream_size != 0;
	u32 bytes;
	int err;

	tyrc_cs_builder_init(&b, buf, TYRC_RING_MAX_INSTRS_PER_JOB);

	tyrc_cs_emit(&b, tyrc_cs_move32(ring->val_reg, job->latest_flush));
	tyrc_cs_emit(&b, tyrc_cs_flush_cache2(TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_CLEAN_INVALIDATE,
					      TYRC_CS_FLUSH_INVALIDATE, 0, ring->val_reg, 0));
	if (has_stream) {
		ring_emit_samples(ring, &b, job, false);
		tyrc_cs_emit(&b, tyrc_cs_move48(ring->addr_reg, job->stream_addr));
		tyrc_cs_emit(&b, tyrc_cs_move32(ring->val_reg, job->stream_size));
	}
	tyrc_cs_emit(&b, tyrc_cs_wait(1u << 0, false));
	if (has_stream) {
		tyrc_cs_emit(&b, tyrc_cs_call(ring->addr_reg, ring->val_reg));
		ring_emit_samples(ring, &b, job, true);
	}
	tyrc_cs_emit(&b, tyrc_cs_move48(ring->addr_reg, job->sync_addr));
	tyrc_cs_emit(&b, tyrc_cs_move48(ring->val_reg, 1));
	tyrc_cs_emit(&b, tyrc_cs_wait(TYRC_RING_ALL_SLOTS, false));
	tyrc_cs_emit(&b, tyrc_cs_sync_add64(TYRC_CS_SYNC_SCOPE_SYSTEM, true, ring->addr_reg,
					    ring->val_reg, 0, 0));
	tyrc_cs_emit(&b, tyrc_cs_error_barrier());
	while (b.len % TYRC_RING_JOB_ALIGN_INSTRS && !b.error)
		tyrc_cs_emit(&b, tyrc_cs_nop());

	err = tyrc_cs_builder_finish(&b, &bytes);
	if (err)
		return err;
	return (int)(bytes / TYRC_RING_INSTR_BYTES);
}

int tyrc_ring_emit_job(struct tyrc_ring *ring, const struct tyrc_ring_job *job, u64 *insert_out)
{
	u64 block[TYRC_RING_MAX_INSTRS_PER_JOB];
	u32 mask = ring->size / TYRC_RING_INSTR_BYTES - 1;
	u64 first;
	int n, i;

	if ((job->stream_size == 0) != (job->stream_addr == 0))
		return -EINVAL;
	if (!IS_ALIGNED(job->stream_addr, (u64)TYRC_RING_STREAM_ALIGN) ||
	    !IS_ALIGNED(job->stream_size, TYRC_RING_INSTR_BYTES))
		return -EINVAL;
	if (job->profile & ~TYRC_RING_PROFILE_ALL)
		return -EINVAL;

	n = ring_build_job(ring, job, block);
	if (n < 0)
		return n;
	if ((u32)n * TYRC_RING_INSTR_BYTES > tyrc_ring_space(ring))
		return -ENOSPC;

	first = ring->insert / TYRC_RING_INSTR_BYTES;
	for (i = 0; i < n; i++)
		ring->words[(first + (u64)i) & mask] = block[i];
	ring->insert += (u64)n * TYRC_RING_INSTR_BYTES;
	if (insert_out)
		*insert_out = ring->insert;
	return 0;
}
