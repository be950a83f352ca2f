// SPDX-License-Identifier: MIT
/* The sync-op half of GROUP_SUBMIT and asynchronous VM_BIND; see tyrc_submit.h. */
#include <stdlib.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_submit.h"
#include "tyrc_syncobj.h"
#include "tyrc_uobj.h"

#define TYRC_SYNC_OP_MIN_SIZE TYRC_OFFSETOFEND(struct drm_panthor_sync_op, timeline_value)
#define TYRC_SYNC_OP_SIGNAL ((u32)DRM_PANTHOR_SYNC_OP_SIGNAL)

/** struct tyrc_submit_dep - one WAIT op of a job, once resolved. */
struct tyrc_submit_dep {
	/** @fence: the syncobj's fence (a reference), or NULL if @from_job is set. */
	struct tyrc_dma_fence *fence;
	/** @from_job: index of the earlier job that signals it, or -1. */
	s64 from_job;
};

/** struct tyrc_submit_job - one job's sync ops. */
struct tyrc_submit_job {
	/** @syncs: the copied sync ops (owned). */
	struct drm_panthor_sync_op *syncs;
	u32 nr_syncs;
	u32 nr_waits;
	/** @deps: one per WAIT op (owned), filled by tyrc_submit_ctx_prepare(). */
	struct tyrc_submit_dep *deps;
	/** @fence: the armed job's fence (a reference), NULL before. */
	struct tyrc_dma_fence *fence;
};

/** struct tyrc_submit_signal - one SIGNAL op of the ioctl. */
struct tyrc_submit_signal {
	u32 job;
	u32 handle;
	u64 point;
	/** @syncobj: a reference. */
	struct tyrc_syncobj *syncobj;
	/** @chain: timeline: the pre-allocated point node (owned until published). */
	struct tyrc_dma_fence_chain *chain;
};

int tyrc_submit_ctx_init(struct tyrc_submit_ctx *ctx, struct tyrc_file *file, u32 job_count)
{
	*ctx = (struct tyrc_submit_ctx){ .file = file };
	ctx->jobs = calloc(job_count, sizeof(*ctx->jobs));
	if (!ctx->jobs)
		return -ENOMEM;
	ctx->job_count = job_count;
	return 0;
}

/* panthor_check_sync_op(). */
static int tyrc_submit_check_sync(const struct drm_panthor_sync_op *sync)
{
	u32 type = sync->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

	if (sync->flags & ~(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | TYRC_SYNC_OP_SIGNAL))
		return -EINVAL;
	if (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
	    type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && sync->timeline_value)
		return -EINVAL;
	return 0;
}

int tyrc_submit_ctx_add_syncs(struct tyrc_submit_ctx *ctx, u32 j,
			      const struct drm_panthor_obj_array *syncs)
{
	struct tyrc_submit_job *job = &ctx->jobs[j];
	int ret;

	ret = tyrc_uobj_get_array((void **)&job->syncs, sizeof(*job->syncs), TYRC_SYNC_OP_MIN_SIZE,
				  syncs->stride, syncs->count, syncs->array);
	if (ret)
		return ret;
	job->nr_syncs = syncs->count;
	for (u32 i = 0; i < job->nr_syncs; i++) {
		ret = tyrc_submit_check_sync(&job->syncs[i]);
		if (ret)
			return ret;
		if (job->syncs[i].flags & TYRC_SYNC_OP_SIGNAL)
			ctx->nr_signals++;
		else
			job->nr_waits++;
	}
	if (job->nr_waits) {
		job->deps = calloc(job->nr_waits, sizeof(*job->deps));
		if (!job->deps)
			return -ENOMEM;
	}
	return 0;
}

u32 tyrc_submit_ctx_wait_count(const struct tyrc_submit_ctx *ctx, u32 j)
{
	return ctx->jobs[j].nr_waits;
}

/* panthor_submit_ctx_collect_jobs_signal_ops(). */
static int tyrc_submit_collect_signals(struct tyrc_submit_ctx *ctx)
{
	u32 n = 0;

	if (!ctx->nr_signals)
		return 0;
	ctx->sigs = calloc(ctx->nr_signals, sizeof(*ctx->sigs));
	if (!ctx->sigs)
		return -ENOMEM;
	for (u32 j = 0; j < ctx->job_count; j++) {
		const struct tyrc_submit_job *job = &ctx->jobs[j];

		for (u32 i = 0; i < job->nr_syncs; i++) {
			const struct drm_panthor_sync_op *sync = &job->syncs[i];
			struct tyrc_submit_signal *sig;

			if (!(sync->flags & TYRC_SYNC_OP_SIGNAL))
				continue;
			sig = &ctx->sigs[n++];
			sig->job = j;
			sig->handle = sync->handle;
			sig->point = sync->timeline_value;
			sig->syncobj = tyrc_syncobj_find(ctx->file, sync->handle);
			if (!sig->syncobj)
				return -EINVAL;
			if ((sync->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK) ==
			    DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ) {
				sig->chain = tyrc_dma_fence_chain_alloc();
				if (!sig->chain)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/* panthor_submit_ctx_add_deps_and_arm_job(), the part that can fail. */
static int tyrc_submit_resolve_waits(struct tyrc_submit_ctx *ctx)
{
	for (u32 j = 0; j < ctx->job_count; j++) {
		struct tyrc_submit_job *job = &ctx->jobs[j];
		u32 w = 0;

		for (u32 i = 0; i < job->nr_syncs; i++) {
			const struct drm_panthor_sync_op *sync = &job->syncs[i];
			struct tyrc_submit_dep *dep;
			int ret;

			if (sync->flags & TYRC_SYNC_OP_SIGNAL)
				continue;
			dep = &job->deps[w++];
			dep->from_job = -1;
			/* The last earlier job signalling it wins, as panthor's lookup. */
			for (u32 s = 0; s < ctx->nr_signals && ctx->sigs[s].job < j; s++)
				if (ctx->sigs[s].handle == sync->handle &&
				    ctx->sigs[s].point == sync->timeline_value)
					dep->from_job = ctx->sigs[s].job;
			if (dep->from_job >= 0)
				continue;
			ret = tyrc_syncobj_find_fence(ctx->file, sync->handle, sync->timeline_value,
						      0, &dep->fence);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int tyrc_submit_ctx_prepare(struct tyrc_submit_ctx *ctx)
{
	int ret = tyrc_submit_collect_signals(ctx);

	return ret ? ret : tyrc_submit_resolve_waits(ctx);
}

void tyrc_submit_ctx_set_job_fence(struct tyrc_submit_ctx *ctx, u32 j, struct tyrc_dma_fence *fence)
{
	ctx->jobs[j].fence = tyrc_dma_fence_get(fence);
}

/* The fences job @j waits for: references written to @out, the caller's. */
static void tyrc_submit_ctx_take_deps(struct tyrc_submit_ctx *ctx, u32 j,
				      struct tyrc_dma_fence **out)
{
	struct tyrc_submit_job *job = &ctx->jobs[j];

	for (u32 i = 0; i < job->nr_waits; i++) {
		struct tyrc_submit_dep *dep = &job->deps[i];

		if (dep->from_job >= 0) {
			out[i] = tyrc_dma_fence_get(ctx->jobs[dep->from_job].fence);
		} else {
			out[i] = dep->fence;
			dep->fence = NULL;
		}
	}
}

int tyrc_job_deps_alloc(struct tyrc_job_deps *set, u32 count)
{
	*set = (struct tyrc_job_deps){ .count = count };
	if (!count)
		return 0;
	set->deps = calloc(count, sizeof(*set->deps));
	if (!set->deps) {
		set->count = 0;
		return -ENOMEM;
	}
	return 0;
}

void tyrc_submit_ctx_hook_deps(struct tyrc_submit_ctx *ctx, u32 j, struct tyrc_job_deps *set,
			       void (*fn)(struct tyrc_dma_fence *fence,
					  struct tyrc_dma_fence_cb *cb))
{
	struct tyrc_dma_fence *fences[set->count ? set->count : 1];

	tyrc_submit_ctx_take_deps(ctx, j, fences);
	set->unsignalled = set->count;
	for (u32 i = 0; i < set->count; i++) {
		set->deps[i].fence = fences[i];
		set->deps[i].set = set;
	}
	for (u32 i = 0; i < set->count; i++)
		if (tyrc_dma_fence_add_callback(fences[i], &set->deps[i].cb, fn))
			set->unsignalled--;
}

void tyrc_job_deps_unhook(struct tyrc_job_deps *set)
{
	for (u32 i = 0; i < set->count; i++)
		tyrc_dma_fence_remove_callback(set->deps[i].fence, &set->deps[i].cb);
}

void tyrc_job_deps_fini(struct tyrc_job_deps *set)
{
	for (u32 i = 0; i < set->count; i++)
		tyrc_dma_fence_put(set->deps[i].fence);
	free(set->deps);
	*set = (struct tyrc_job_deps){ 0 };
}

void tyrc_submit_ctx_publish(struct tyrc_submit_ctx *ctx)
{
	for (u32 s = 0; s < ctx->nr_signals; s++) {
		struct tyrc_submit_signal *sig = &ctx->sigs[s];
		struct tyrc_dma_fence *fence = ctx->jobs[sig->job].fence;

		if (sig->chain)
			tyrc_syncobj_add_point(sig->syncobj, sig->chain, fence, sig->point);
		else
			tyrc_syncobj_replace_fence(sig->syncobj, fence);
		sig->chain = NULL;
	}
}

void tyrc_submit_ctx_cleanup(struct tyrc_submit_ctx *ctx)
{
	for (u32 s = 0; s < ctx->nr_signals && ctx->sigs; s++) {
		tyrc_syncobj_put(ctx->sigs[s].syncobj);
		tyrc_dma_fence_chain_free(ctx->sigs[s].chain);
	}
	free(ctx->sigs);
	for (u32 j = 0; j < ctx->job_count; j++) {
		struct tyrc_submit_job *job = &ctx->jobs[j];

		for (u32 i = 0; i < job->nr_waits && job->deps; i++)
			tyrc_dma_fence_put(job->deps[i].fence);
		free(job->deps);
		free(job->syncs);
		tyrc_dma_fence_put(job->fence);
	}
	free(ctx->jobs);
	*ctx = (struct tyrc_submit_ctx){ 0 };
}
