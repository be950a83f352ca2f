/* SPDX-License-Identifier: MIT */
/*
 * DOC: Queue ring writer
 *
 * Every queue owns a ring buffer (a power of two between 4 and 64 KiB,
 * mapped in the group's VM) that only the kernel writes. For each job it
 * appends panthor's per-job wrapper (cs-isa-v10.md §7): a cache flush
 * conditioned on the job's latest_flush ID, the CALL into the user stream,
 * and a system-scope SYNC_ADD64 of 1 on the queue's seqno sync object once
 * every scoreboard has drained, closed by an ERROR_BARRIER. The block is
 * padded with NOPs to a multiple of 8 instructions (one 64-byte line), so a
 * job costs 16 instructions, or 24 with both profiling kinds.
 *
 * Offsets: @insert and @extract are the monotonically increasing byte
 * offsets of the queue's input/output pages (csf-firmware.md §6). The
 * instruction at offset o lives at byte (o mod size) of the ring, so a
 * block is contiguous in offset space and wraps at the ring's end word by
 * word. The ring never holds more than size bytes of unconsumed
 * instructions: a job that does not fit is refused with -ENOSPC before
 * anything is written.
 *
 * Credits: as panthor's drm_sched entity, the ring has size / 8 credits
 * (one per instruction word) and a job costs its padded instruction count,
 * so a 4 KiB ring holds 32 jobs without profiling.
 *
 * The wrapper clobbers the last 4 work registers (unpreserved_cs_reg_count):
 * A = d(N-4) for addresses and V = r(N-2) / d(N-2) for values, N being the
 * CS's register count (96 on G610: d92 and r94/d94).
 *
 * An empty stream (size 0) is a pure synchronisation point: its block has
 * the flush and the seqno SYNC_ADD64 but no stream moves, no CALL and no
 * profiling samples: 8 instructions, already a whole line, so it costs 8.
 *
 * Locking: none. The caller (the scheduler) serialises all calls for one
 * ring, and publishes @insert to the input page (after a write barrier)
 * itself.
 */
#ifndef TYRC_RING_H
#define TYRC_RING_H

#include <tyrc/types.h>

/* Ring buffer sizes panthor accepts (GROUP_CREATE), bytes. */
#define TYRC_RING_MIN_SIZE 0x1000u
#define TYRC_RING_MAX_SIZE 0x10000u
/* Registers the wrapper clobbers, at the top of the register file. */
#define TYRC_RING_UNPRESERVED_REGS 4u
/* Blocks are padded to a multiple of this many instructions (64 bytes). */
#define TYRC_RING_JOB_ALIGN_INSTRS 8u
/* Largest block: both profiling kinds (panthor's MAX_INSTRS_PER_JOB). */
#define TYRC_RING_MAX_INSTRS_PER_JOB 24u
/* Alignment panthor requires of a user stream's GPU VA. */
#define TYRC_RING_STREAM_ALIGN 64u

/**
 * enum tyrc_ring_profile - profiling samples a job's block takes.
 * @TYRC_RING_PROFILE_CYCLES: cycle count before and after the CALL.
 * @TYRC_RING_PROFILE_TIMESTAMP: timestamp before and after the CALL.
 *
 * The bits match panthor's sysfs ``profiling`` mask.
 */
enum tyrc_ring_profile {
	TYRC_RING_PROFILE_CYCLES = 1u << 0,
	TYRC_RING_PROFILE_TIMESTAMP = 1u << 1,
};

/**
 * struct tyrc_ring_profile_slot - layout of one job's profiling samples,
 * as panthor's struct panthor_job_profiling_data.
 * @cycles_before: @cycles_after: STORE_STATE cycle count around the CALL.
 * @time_before: @time_after: STORE_STATE timestamp around the CALL.
 */
struct tyrc_ring_profile_slot {
	u64 cycles_before;
	u64 cycles_after;
	u64 time_before;
	u64 time_after;
};

/**
 * struct tyrc_ring - one queue's ring buffer, as the kernel writes it.
 * @words: host mapping of the ring (size bytes, not owned).
 * @gpu_va: GPU VA of the ring (CS ringbuf_base).
 * @size: bytes, power of two in [TYRC_RING_MIN_SIZE, TYRC_RING_MAX_SIZE].
 * @insert: byte offset where the next block goes (monotonic).
 * @extract: byte offset of the oldest instruction not yet consumed
 * (monotonic, never past @insert), as last reported by the firmware.
 * @addr_reg: first register of the wrapper's address pair A.
 * @val_reg: first register of the wrapper's value register / pair V.
 */
struct tyrc_ring {
	u64 *words;
	u64 gpu_va;
	u32 size;
	u64 insert;
	u64 extract;
	u32 addr_reg;
	u32 val_reg;
};

/**
 * struct tyrc_ring_job - what one job's block needs (GROUP_SUBMIT's
 * drm_panthor_queue_submit plus the queue's kernel objects).
 * @stream_addr: GPU VA of the user stream, 64-byte aligned; 0 if empty.
 * @stream_size: bytes, multiple of 8; 0 for a pure synchronisation point.
 * @latest_flush: flush ID userspace sampled (0 = flush unconditionally).
 * @sync_addr: GPU VA of the queue's 64-bit seqno sync object.
 * @profile: mask of enum tyrc_ring_profile; ignored for an empty stream.
 * @profile_addr: GPU VA of the job's struct tyrc_ring_profile_slot when
 * @profile is non-zero.
 */
struct tyrc_ring_job {
	u64 stream_addr;
	u32 stream_size;
	u32 latest_flush;
	u64 sync_addr;
	u32 profile;
	u64 profile_addr;
};

/**
 * tyrc_ring_init() - describe a ring; both offsets start at @start.
 * @ring: the ring to initialise.
 * @host: host mapping of the ring, @size bytes, 8-byte aligned.
 * @gpu_va: the ring's GPU VA (8-byte aligned).
 * @size: bytes, power of two in [TYRC_RING_MIN_SIZE, TYRC_RING_MAX_SIZE].
 * @cs_reg_count: work registers of the CS (CS_FEATURES.WORK_REGS + 1),
 * even, at least 8 and at most TYRC_CS_NUM_REGS.
 * @start: initial insert/extract byte offset, 8-byte aligned (0 for a new
 * queue; the firmware's extract when a queue is rebuilt).
 * Context: pure; writes nothing to the ring.
 * Return: 0, or -EINVAL for a bad argument.
 */
int tyrc_ring_init(struct tyrc_ring *ring, void *host, u64 gpu_va, u32 size, u32 cs_reg_count,
		   u64 start);

/**
 * tyrc_ring_space() - bytes that can be written without overwriting
 * unconsumed instructions.
 * @ring: the ring.
 * Return: size - (insert - extract).
 */
u32 tyrc_ring_space(const struct tyrc_ring *ring);

/**
 * tyrc_ring_credit_limit() - the ring's credits, as panthor's drm_sched
 * credit limit.
 * @ring: the ring.
 * Return: size / 8, one credit per instruction word.
 */
u32 tyrc_ring_credit_limit(const struct tyrc_ring *ring);

/**
 * tyrc_ring_job_instrs() - instructions in a job's block before padding.
 * @job: the job.
 * Return: 11 for a stream without profiling (8 for an empty stream), plus
 * 4 per profiling kind.
 */
u32 tyrc_ring_job_instrs(const struct tyrc_ring_job *job);

/**
 * tyrc_ring_job_credits() - what a job costs, as panthor's job credits.
 * @job: the job.
 * Return: the padded instruction count (8 for an empty stream, else 16 or
 * 24), which is also the
 * number of words tyrc_ring_emit_job() writes.
 */
u32 tyrc_ring_job_credits(const struct tyrc_ring_job *job);

/**
 * tyrc_ring_instr_va() - GPU VA of the instruction at a byte offset.
 * @ring: the ring.
 * @offset: a monotonic byte offset.
 * Return: gpu_va + (offset mod size).
 */
u64 tyrc_ring_instr_va(const struct tyrc_ring *ring, u64 offset);

/**
 * tyrc_ring_update_extract() - record how far the firmware has consumed.
 * @ring: the ring.
 * @extract: the output page's extract byte offset.
 * Return: 0, or -EINVAL if @extract goes backwards, is not 8-byte aligned,
 * or is past @insert (the ring is left unchanged).
 */
int tyrc_ring_update_extract(struct tyrc_ring *ring, u64 extract);

/**
 * tyrc_ring_emit_job() - append one job's wrapper block at @insert.
 * @ring: the ring.
 * @job: the job.
 * @insert_out: if not NULL, set to the new insert offset (the value to
 * publish in the queue's input page) on success.
 *
 * The block is encoded and checked completely before anything is written;
 * on error the ring's memory and offsets are untouched.
 *
 * Context: the caller serialises calls for @ring.
 * Return: 0; -EINVAL for an inconsistent job (stream address without size
 * or the reverse, misaligned address or size, unknown profiling bits, an
 * address that does not fit 48 bits); -ENOSPC if the block does not fit in
 * tyrc_ring_space().
 */
int tyrc_ring_emit_job(struct tyrc_ring *ring, const struct tyrc_ring_job *job, u64 *insert_out);

#endif /* TYRC_RING_H */
