/* SPDX-License-Identifier: MIT */
/*
 * DOC: sched layer
 *
 * A first scheduler (the queue and slot half of panthor_sched.c): jobs
 * from GROUP_SUBMIT run on their group's queue rings, groups get CSG slots
 * when they have work, and job fences signal from each queue's seqno sync
 * object. The full policy (timeslicing, priorities across slots, reset
 * recovery) is a later layer; this one is deliberately simple:
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
 * - **Slots.** A group whose rings hold unfinished work is bound to a free
 *   CSG slot (highest group priority first, then submission order): its
 *   VM is activated on an AS, the CS and CSG inputs are programmed (ring,
 *   queue pages, doorbell = slot + 1, core masks, endpoints, suspend
 *   buffers) and the CSG is STARTed. A resident group with nothing to run
 *   is TERMINATEd to free its slot only when another group waits for one.
 * - **Events.** The JOB interrupt reports CSG slots; the scheduler work
 *   acknowledges their CSG events and CS interrupts (cs_irq_req/ack), and
 *   reads the sync objects on every run. A CS FATAL or FAULT makes the
 *   group FATAL_FAULT with the queue in fatal_queues.
 * - **Deaths.** A group dies on a fatal error, on a job timeout
 *   (&tyrc_device_config.job_timeout_ms after its oldest unfinished job
 *   entered the ring, counted while the group is resident: TIMEDOUT), on GROUP_DESTROY and on a GPU reset
 *   (resident groups: TIMEDOUT | INNOCENT). Its slot is released and every
 *   unfinished job's fence signals with an error: -EINVAL on a fatal queue,
 *   -ETIMEDOUT after a timeout, -ECANCELED otherwise. A dead group accepts
 *   no more jobs (-EINVAL).
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
 * tyrc_sched_pre_reset() - the GPU is about to be reset: every resident
 * group dies (TIMEDOUT | INNOCENT) without talking to the firmware, and
 * nothing is scheduled until tyrc_sched_post_reset().
 */
void tyrc_sched_pre_reset(struct tyrc_device *dev);
/** tyrc_sched_post_reset() - the firmware runs again: schedule. */
void tyrc_sched_post_reset(struct tyrc_device *dev);

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

/** tyrc_sched_group_get_state() - DRM_PANTHOR_GROUP_STATE_* flags and the fatal queues. */
void tyrc_sched_group_get_state(struct tyrc_sched_group *sg, u32 *state, u32 *fatal_queues);

/** tyrc_ioctl_group_submit() - DRM_IOCTL_PANTHOR_GROUP_SUBMIT. */
int tyrc_ioctl_group_submit(struct tyrc_file *file, void *data);

#endif /* TYRC_SCHED_H */
