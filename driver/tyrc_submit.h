/* SPDX-License-Identifier: MIT */
/*
 * DOC: submit context
 *
 * The sync-op half of one GROUP_SUBMIT or asynchronous VM_BIND, as
 * panthor_submit_ctx does it. The ioctl hands every job's
 * drm_panthor_sync_op array to the context, which
 *
 * 1. copies and checks each sync op (panthor_check_sync_op(): known flag
 *    bits, handle type SYNCOBJ or TIMELINE_SYNCOBJ, point 0 for binary);
 * 2. collects the SIGNAL ops of the whole ioctl: each syncobj must exist
 *    (-EINVAL), each timeline point gets its chain node now;
 * 3. resolves the WAIT ops: a (handle, point) that an *earlier* job of the
 *    same ioctl signals stands for that job's fence; anything else must
 *    have a fence right now (-ENOENT for an unknown handle, -EINVAL for a
 *    point without a fence: the kernel never waits for a fence to appear);
 *
 * all of which may fail with nothing changed. Then the caller arms its jobs
 * in order, giving each job's fence to the context, takes each job's
 * dependencies (references to fences, the earlier jobs' included) and,
 * once nothing can fail any more, publishes: every SIGNAL syncobj gets its
 * job's fence (timeline: a new point; binary: the fence replaced).
 *
 * A context is used by one thread, on the stack of the ioctl.
 */
#ifndef TYRC_SUBMIT_H
#define TYRC_SUBMIT_H

#include <tyrc/dma-fence.h>
#include <tyrc/types.h>

struct drm_panthor_obj_array;
struct tyrc_file;
struct tyrc_job_deps;
struct tyrc_submit_job;
struct tyrc_submit_signal;

/**
 * struct tyrc_submit_ctx - sync ops of one ioctl (see DOC above).
 * @file: the caller's file.
 * @jobs: one entry per job of the ioctl.
 * @job_count: entries in @jobs.
 * @sigs: every SIGNAL op of the ioctl, in job order.
 * @nr_signals: entries in @sigs.
 */
struct tyrc_submit_ctx {
	struct tyrc_file *file;
	struct tyrc_submit_job *jobs;
	u32 job_count;
	struct tyrc_submit_signal *sigs;
	u32 nr_signals;
};

/**
 * tyrc_submit_ctx_init() - a context for @job_count jobs (at least 1).
 * Return: 0 or -ENOMEM. tyrc_submit_ctx_cleanup() is safe after either.
 */
int tyrc_submit_ctx_init(struct tyrc_submit_ctx *ctx, struct tyrc_file *file, u32 job_count);

/**
 * tyrc_submit_ctx_add_syncs() - copy and check job @j's sync-op array.
 * Return: 0; -EINVAL (a bad op or array stride); -EFAULT; -E2BIG; -ENOMEM.
 */
int tyrc_submit_ctx_add_syncs(struct tyrc_submit_ctx *ctx, u32 j,
			      const struct drm_panthor_obj_array *syncs);

/** tyrc_submit_ctx_wait_count() - number of WAIT ops of job @j. */
u32 tyrc_submit_ctx_wait_count(const struct tyrc_submit_ctx *ctx, u32 j);

/**
 * tyrc_submit_ctx_prepare() - collect the SIGNAL ops and resolve the WAIT
 * ops of every job (steps 2 and 3 of the DOC).
 * Return: 0; -EINVAL; -ENOENT; -ENOMEM. Nothing visible changes either way.
 */
int tyrc_submit_ctx_prepare(struct tyrc_submit_ctx *ctx);

/**
 * tyrc_submit_ctx_set_job_fence() - job @j is armed: @fence is what its
 * SIGNAL ops publish and what later jobs waiting on them depend on. The
 * context takes its own reference.
 */
void tyrc_submit_ctx_set_job_fence(struct tyrc_submit_ctx *ctx, u32 j,
				   struct tyrc_dma_fence *fence);

/**
 * struct tyrc_job_dep - one fence a job waits for (a drm_sched dependency).
 * @cb: hooked on @fence while the job waits.
 * @fence: the awaited fence (a reference).
 * @set: the set it belongs to, for the owner's callback.
 */
struct tyrc_job_dep {
	struct tyrc_dma_fence_cb cb;
	struct tyrc_dma_fence *fence;
	struct tyrc_job_deps *set;
};

/**
 * struct tyrc_job_deps - the fences one job (a GROUP_SUBMIT job, an
 * asynchronous bind) waits for before it may run.
 * @deps: one per WAIT sync op (owned).
 * @count: entries in @deps.
 * @unsignalled: dependencies not yet signalled; guarded by the owner's
 * lock, which its callback takes (the signaller holds no lock of ours).
 */
struct tyrc_job_deps {
	struct tyrc_job_dep *deps;
	u32 count;
	u32 unsignalled;
};

/** tyrc_job_deps_alloc() - room for @count dependencies. Return: 0 or -ENOMEM. */
int tyrc_job_deps_alloc(struct tyrc_job_deps *set, u32 count);

/**
 * tyrc_submit_ctx_hook_deps() - job @j is armed: take the fences it waits
 * for (references; an earlier job's fence of this ioctl, which must be set,
 * or the syncobj's) into @set and hook @fn on each.
 * @set->unsignalled counts those not signalled yet. Called with the lock
 * @fn takes, so no callback runs before the caller is done. Cannot fail.
 */
void tyrc_submit_ctx_hook_deps(struct tyrc_submit_ctx *ctx, u32 j, struct tyrc_job_deps *set,
			       void (*fn)(struct tyrc_dma_fence *fence,
					  struct tyrc_dma_fence_cb *cb));

/** tyrc_job_dep_set() - the set of the dependency whose callback @cb is. */
static inline struct tyrc_job_deps *tyrc_job_dep_set(struct tyrc_dma_fence_cb *cb)
{
	return container_of(cb, struct tyrc_job_dep, cb)->set;
}

/**
 * tyrc_job_deps_unhook() - remove every callback (waits for one running).
 * Call without the owner's lock: callbacks take it.
 */
void tyrc_job_deps_unhook(struct tyrc_job_deps *set);

/** tyrc_job_deps_fini() - drop the fences and the array. */
void tyrc_job_deps_fini(struct tyrc_job_deps *set);

/**
 * tyrc_submit_ctx_publish() - hand every job fence to its SIGNAL syncobjs.
 * Every job's fence must have been set. Cannot fail.
 */
void tyrc_submit_ctx_publish(struct tyrc_submit_ctx *ctx);

/** tyrc_submit_ctx_cleanup() - drop everything the context still holds. */
void tyrc_submit_ctx_cleanup(struct tyrc_submit_ctx *ctx);

#endif /* TYRC_SUBMIT_H */
