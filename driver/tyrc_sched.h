/* SPDX-License-Identifier: MIT */
/*
 * DOC: sched layer
 *
 * The queue and slot half of panthor_sched.c: jobs from GROUP_SUBMIT run
 * on their group's queue rings, groups get CSG slots by panthor's policy,
 * and job fences signal from each queue's seqno sync object.
 *
 * - **Jobs.** A job is armed at submit time (its fence on the queue's own
 *   fence context, seqnos in submission order) and waits on the queue's
 *   pending list until the fences of its WAIT sync ops signalled
 *   (callbacks, no thread ever blocks on them). Ready jobs at the head of
 *   the list are written into the ring with panthor's wrapper
 *   (tyrc_ring.h) as long as the ring has room; each such job completes
 *   when the queue's sync object reaches the seqno its SYNC_ADD64 makes.
 *   A job with an empty stream writes nothing: it completes with the
 *   queue's previous job, as panthor reuses the previous job's fence.
 *   With the device's profiling mask set when a job enters the ring, its
 *   block samples cycles and/or timestamps around the CALL into one of
 *   the queue's profiling slots, and the deltas go to the file's fdinfo
 *   counters when it completes.
 * - **Policy.** A group is runnable while its rings hold unfinished work
 *   and it is not blocked. min(group_num, 16) slots; between ticks
 *   resident runnable groups keep their slots, free slots go to the best
 *   waiting groups (group priority, then the longest wait), and a waiting
 *   group of higher priority takes the slot of the lowest resident one at
 *   once. While runnable groups outnumber the slots, a tick every
 *   &tyrc_device_config.sched_tick_ms rotates same-priority groups (round
 *   robin by when they last got a slot) and finds resident groups blocked
 *   in SYNC_WAIT (STATUS_UPDATE), which give up their slots until a sync
 *   update or the next tick. Resident groups have distinct firmware
 *   priorities (15 for the best). Evicted groups are SUSPENDed (the
 *   firmware saves their streams) and later RESUMEd; dead ones TERMINATEd.
 *   Binding activates the group's VM on an AS, programs the CS and CSG
 *   inputs (ring, queue pages, doorbell = slot + 1, core masks, endpoints,
 *   suspend buffers); slot changes are batched (one doorbell, then the
 *   acks).
 * - **Events.** The JOB interrupt reports CSG slots; the scheduler work
 *   acknowledges their CSG events and CS interrupts (cs_irq_req/ack), and
 *   reads the sync objects on every run. A CS FATAL or FAULT makes the
 *   group FATAL_FAULT with the queue in fatal_queues (and its VM unusable
 *   if the MMU faulted on it); a PROGRESS_TIMER event times it out. A
 *   TILER_OOM is answered after the pass, outside the lock: the heap grows
 *   (tyrc_heap_grow()) and the chunk, or 0 when growth is refused, goes to
 *   the CS's heap_start/heap_end before the event is acknowledged.
 * - **Timeouts.** Each queue with ring work has &job_timeout_ms without a
 *   completed job before its group is TIMEDOUT; the timer runs while the
 *   group is resident or blocked in SYNC_WAIT, pauses while it waits for
 *   a slot, and starts over at every completion.
 * - **Deaths.** Fatal errors, timeouts and GROUP_DESTROY kill a group:
 *   its slot is released and every unfinished job's fence signals with an
 *   error: -EINVAL on a fatal queue, -ETIMEDOUT after a timeout,
 *   -ECANCELED otherwise. A dead group accepts no more jobs (-EINVAL).
 * - **Runtime PM.** With no ring work anywhere for
 *   &tyrc_device_config.autosuspend_ms, the resident groups are SUSPENDed,
 *   the MCU halted, the MMU's register sequences stopped and the L2
 *   powered down; the next ring work powers everything up again first.
 * - **Resets.** A GPU reset loses what resident groups were doing: their
 *   unfinished jobs run again from the start of the oldest one, on a fresh
 *   START; suspended groups RESUME from their saved state.
 *
 * Locking: one @lock per device guards every group's scheduling state,
 * the slots and the CSG/CS input blocks. The JOB interrupt only records
 * slot bits (atomically) and queues the work. Fences are never signalled
 * with @lock held: dependency callbacks take it.
 */
#ifndef TYRC_SCHED_H
#define TYRC_SCHED_H

#include <tyrc/types.h>

struct tyrc_device;
struct tyrc_file;
struct tyrc_group;
struct tyrc_sched_group;

/** tyrc_sched_init() - the scheduler of @dev, after the firmware layer. */
int tyrc_sched_init(struct tyrc_device *dev);
/** tyrc_sched_fini() - stop the scheduler; every group must be gone. NULL-tolerant. */
void tyrc_sched_fini(struct tyrc_device *dev);

/**
 * tyrc_sched_pre_reset() - the GPU is about to be reset: resident groups
 * leave their slots without talking to the firmware, their unfinished jobs
 * to run again from the oldest one's start, and nothing is scheduled until
 * tyrc_sched_post_reset().
 */
void tyrc_sched_pre_reset(struct tyrc_device *dev);
/**
 * tyrc_sched_post_reset() - the firmware runs again (after a reset or a
 * system resume): schedule. Also the end of tyrc_sched_suspend().
 */
void tyrc_sched_post_reset(struct tyrc_device *dev);

/**
 * tyrc_sched_suspend() - system suspend: SUSPEND the resident groups (the
 * firmware saves their streams; they RESUME later) and stop scheduling
 * until tyrc_sched_post_reset(). Powers a runtime-suspended GPU up first,
 * so the caller halts a running MCU. Context: process.
 */
void tyrc_sched_suspend(struct tyrc_device *dev);

/** tyrc_sched_pm_cycles() - runtime suspends so far. */
u32 tyrc_sched_pm_cycles(struct tyrc_device *dev);
/** tyrc_sched_pm_suspended() - the GPU is runtime-suspended now. */
bool tyrc_sched_pm_suspended(struct tyrc_device *dev);

/**
 * tyrc_sched_report_irq() - the JOB interrupt saw the CSG slots in
 * @csg_mask. Any context; never blocks.
 */
void tyrc_sched_report_irq(struct tyrc_device *dev, u32 csg_mask);

/**
 * tyrc_sched_group_create() - scheduling state for @group, whose kernel
 * objects exist (its rings, queue pages and sync objects).
 * Return: 0 or -ENOMEM.
 */
int tyrc_sched_group_create(struct tyrc_group *group, struct tyrc_sched_group **out);

/**
 * tyrc_sched_group_destroy() - GROUP_DESTROY / file release: the group
 * dies (its slot released, unfinished fences signalled with -ECANCELED),
 * synchronously. Later submissions fail. Context: process.
 */
void tyrc_sched_group_destroy(struct tyrc_sched_group *sg);

/** tyrc_sched_group_free() - free the state, once the group's last reference goes. */
void tyrc_sched_group_free(struct tyrc_sched_group *sg);

/** tyrc_sched_group_resident() - the group holds a CSG slot now. */
bool tyrc_sched_group_resident(struct tyrc_sched_group *sg);

/** tyrc_sched_group_get_state() - DRM_PANTHOR_GROUP_STATE_* flags and the fatal queues. */
void tyrc_sched_group_get_state(struct tyrc_sched_group *sg, u32 *state, u32 *fatal_queues);

/** tyrc_ioctl_group_submit() - DRM_IOCTL_PANTHOR_GROUP_SUBMIT. */
int tyrc_ioctl_group_submit(struct tyrc_file *file, void *data);

#endif /* TYRC_SCHED_H */
