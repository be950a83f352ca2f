// SPDX-License-Identifier: MIT
/*
 * Asynchronous VM_BIND: the per-VM bind queue and the ioctl half that
 * turns ops into jobs (panthor_vm_bind_job, panthor_submit_ctx); see
 * tyrc_vm_bind.h for the rules.
 */
#include <stdlib.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_gem.h"
#include "tyrc_submit.h"
#include "tyrc_vm.h"
#include "tyrc_vm_bind.h"

struct tyrc_vm_bind_job;

/** struct tyrc_vm_bind_queue - one VM's ordered bind queue (a drm_sched entity). */
struct tyrc_vm_bind_queue {
	/** @vm: the owner (not referenced; cancels the queue before it goes). */
	struct tyrc_vm *vm;
	/** @lock: protects @jobs, each queued job's deps.unsignalled, @seqno and @dead. */
	struct tyrc_mutex lock;
	/** @jobs: jobs not yet started, in submission order (@lock). */
	struct tyrc_list_head jobs;
	/** @work: runs the ready jobs at the head of @jobs (system workqueue). */
	struct tyrc_work work;
	/** @context: the fence context of the job fences. */
	u64 context;
	/** @seqno: seqno of the last armed job fence (@lock). */
	u64 seqno;
	/** @dead: cancelled; nothing is queued or started any more (@lock). */
	bool dead;
};

/** struct tyrc_vm_bind_job - one op of an asynchronous VM_BIND. */
struct tyrc_vm_bind_job {
	/** @node: link in &tyrc_vm_bind_queue.jobs (queue lock). */
	struct tyrc_list_head node;
	/** @queue: the queue it runs on. */
	struct tyrc_vm_bind_queue *queue;
	/** @op: the op's arguments (validated at ioctl time). */
	struct drm_panthor_vm_bind_op op;
	/** @bo: MAP: the object (a reference); else NULL. */
	void *bo;
	/** @done: the job fence (a reference once armed; raw memory before). */
	struct tyrc_dma_fence *done;
	/** @armed: @done was initialised. */
	bool armed;
	/** @deps: one per WAIT sync op; deps.unsignalled under the queue lock. */
	struct tyrc_job_deps deps;
};

static const char *tyrc_vm_bind_fence_driver_name(struct tyrc_dma_fence *fence)
{
	return "tyrc";
}

static const char *tyrc_vm_bind_fence_timeline_name(struct tyrc_dma_fence *fence)
{
	return "vm-bind";
}

static const struct tyrc_dma_fence_ops tyrc_vm_bind_fence_ops = {
	.get_driver_name = tyrc_vm_bind_fence_driver_name,
	.get_timeline_name = tyrc_vm_bind_fence_timeline_name,
};

/* Free a job that is on no list and whose callbacks are all gone. */
static void tyrc_vm_bind_job_free(struct tyrc_vm_bind_job *job)
{
	tyrc_job_deps_fini(&job->deps);
	if (job->armed)
		tyrc_dma_fence_put(job->done);
	else
		free(job->done);
	if (job->bo)
		tyrc_gem_put(job->bo);
	free(job);
}

static int tyrc_vm_bind_job_exec(struct tyrc_vm *vm, struct tyrc_vm_bind_job *job)
{
	const struct drm_panthor_vm_bind_op *op = &job->op;

	switch (op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
		if (!job->bo)
			return 0;
		return tyrc_vm_map(vm, job->bo, op->bo_offset, op->va, op->size,
				   op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK);
	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		return op->size ? tyrc_vm_unmap(vm, op->va, op->size) : 0;
	default:
		/* SYNC_ONLY: only the fence, ordered in the queue. */
		return 0;
	}
}

/* Run the jobs at the head of the queue whose dependencies have signalled. */
static void tyrc_vm_bind_work(struct tyrc_work *work)
{
	struct tyrc_vm_bind_queue *queue = container_of(work, struct tyrc_vm_bind_queue, work);

	for (;;) {
		struct tyrc_vm_bind_job *job = NULL;
		int ret;

		tyrc_mutex_lock(&queue->lock);
		if (!queue->dead && !tyrc_list_empty(&queue->jobs)) {
			job = tyrc_list_first_entry(&queue->jobs, struct tyrc_vm_bind_job, node);
			if (job->deps.unsignalled)
				job = NULL;
			else
				tyrc_list_del_init(&job->node);
		}
		tyrc_mutex_unlock(&queue->lock);
		if (!job)
			return;

		ret = tyrc_vm_bind_job_exec(queue->vm, job);
		if (ret) {
			tyrc_dbg("vm: asynchronous bind failed (%d), the VM is unusable", ret);
			tyrc_vm_mark_unusable(queue->vm);
			tyrc_dma_fence_set_error(job->done, ret);
		}
		tyrc_dma_fence_signal(job->done);
		tyrc_vm_bind_job_free(job);
	}
}

/* A dependency signalled (any thread; no queue lock held by the signaller). */
static void tyrc_vm_bind_dep_cb(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	struct tyrc_vm_bind_job *job =
		container_of(tyrc_job_dep_set(cb), struct tyrc_vm_bind_job, deps);
	struct tyrc_vm_bind_queue *queue = job->queue;

	tyrc_mutex_lock(&queue->lock);
	if (!--job->deps.unsignalled && !queue->dead)
		tyrc_queue_work(tyrc_system_wq(), &queue->work);
	tyrc_mutex_unlock(&queue->lock);
}

int tyrc_vm_bind_queue_create(struct tyrc_vm *vm, struct tyrc_vm_bind_queue **out)
{
	struct tyrc_vm_bind_queue *queue = calloc(1, sizeof(*queue));

	if (!queue)
		return -ENOMEM;
	queue->vm = vm;
	tyrc_mutex_init(&queue->lock);
	tyrc_list_init(&queue->jobs);
	tyrc_work_init(&queue->work, tyrc_vm_bind_work);
	queue->context = tyrc_dma_fence_context_alloc(1);
	*out = queue;
	return 0;
}

void tyrc_vm_bind_queue_cancel(struct tyrc_vm_bind_queue *queue)
{
	struct tyrc_vm_bind_job *job, *tmp;
	struct tyrc_list_head cancelled;

	tyrc_list_init(&cancelled);
	tyrc_mutex_lock(&queue->lock);
	queue->dead = true;
	while (!tyrc_list_empty(&queue->jobs)) {
		job = tyrc_list_first_entry(&queue->jobs, struct tyrc_vm_bind_job, node);
		tyrc_list_del_init(&job->node);
		tyrc_list_add_tail(&job->node, &cancelled);
	}
	tyrc_mutex_unlock(&queue->lock);

	/* The job the worker started completes first: fences signal in order. */
	tyrc_cancel_work_sync(&queue->work);
	tyrc_list_for_each_entry_safe(job, tmp, &cancelled, node) {
		tyrc_list_del_init(&job->node);
		tyrc_job_deps_unhook(&job->deps);
		tyrc_dma_fence_set_error(job->done, -ECANCELED);
		tyrc_dma_fence_signal(job->done);
		tyrc_vm_bind_job_free(job);
	}
}

void tyrc_vm_bind_queue_destroy(struct tyrc_vm_bind_queue *queue)
{
	if (!queue)
		return;
	tyrc_vm_bind_queue_cancel(queue);
	tyrc_mutex_destroy(&queue->lock);
	free(queue);
}

/* Check one op into a new, unarmed job; its sync ops go to @ctx as job @j. */
static int tyrc_vm_bind_job_create(struct tyrc_file *file, struct tyrc_vm *vm,
				   const struct drm_panthor_vm_bind_op *op,
				   struct tyrc_submit_ctx *ctx, u32 j,
				   struct tyrc_vm_bind_job **out)
{
	struct tyrc_vm_bind_job *job = calloc(1, sizeof(*job));
	int ret;

	if (!job)
		return -ENOMEM;
	tyrc_list_init(&job->node);
	job->op = *op;
	ret = tyrc_vm_bind_op_check(file, vm, op, true, &job->bo);
	if (ret)
		goto err_free;
	ret = tyrc_submit_ctx_add_syncs(ctx, j, &op->syncs);
	if (ret)
		goto err_free;
	/* Everything the job needs once armed is allocated now. */
	job->done = calloc(1, sizeof(*job->done));
	ret = tyrc_job_deps_alloc(&job->deps, tyrc_submit_ctx_wait_count(ctx, j));
	if (!ret && !job->done)
		ret = -ENOMEM;
	if (ret)
		goto err_free;
	*out = job;
	return 0;

err_free:
	tyrc_vm_bind_job_free(job);
	return ret;
}

/* Arm every job, queue it and hook its dependencies. Called with the queue lock. */
static void tyrc_vm_bind_push_locked(struct tyrc_vm_bind_queue *queue, struct tyrc_submit_ctx *ctx,
				     struct tyrc_vm_bind_job **jobs, u32 count)
{
	tyrc_lockdep_assert_held(&queue->lock);
	for (u32 j = 0; j < count; j++) {
		struct tyrc_vm_bind_job *job = jobs[j];

		job->queue = queue;
		tyrc_dma_fence_init64(job->done, &tyrc_vm_bind_fence_ops, NULL, queue->context,
				      ++queue->seqno);
		job->armed = true;
		tyrc_submit_ctx_set_job_fence(ctx, j, job->done);
		tyrc_list_add_tail(&job->node, &queue->jobs);
		/* The callback takes the queue lock: it cannot run before we unlock. */
		tyrc_submit_ctx_hook_deps(ctx, j, &job->deps, tyrc_vm_bind_dep_cb);
	}
	tyrc_queue_work(tyrc_system_wq(), &queue->work);
}

int tyrc_vm_bind_async(struct tyrc_file *file, struct tyrc_vm *vm,
		       const struct drm_panthor_vm_bind_op *ops, u32 count)
{
	struct tyrc_vm_bind_queue *queue;
	struct tyrc_vm_bind_job **jobs;
	struct tyrc_submit_ctx ctx;
	bool pushed = false;
	int ret;

	if (tyrc_vm_is_unusable(vm))
		return -EINVAL;
	if (!count)
		return 0;
	jobs = calloc(count, sizeof(*jobs));
	if (!jobs)
		return -ENOMEM;
	ret = tyrc_submit_ctx_init(&ctx, file, count);
	if (ret)
		goto out;
	for (u32 j = 0; j < count; j++) {
		ret = tyrc_vm_bind_job_create(file, vm, &ops[j], &ctx, j, &jobs[j]);
		if (ret)
			goto out;
	}
	ret = tyrc_submit_ctx_prepare(&ctx);
	if (ret)
		goto out;

	queue = tyrc_vm_bind_queue_of(vm);
	tyrc_mutex_lock(&queue->lock);
	if (queue->dead) {
		/* VM_DESTROY raced with us; nothing armed yet. */
		tyrc_mutex_unlock(&queue->lock);
		ret = -EINVAL;
		goto out;
	}
	tyrc_vm_bind_push_locked(queue, &ctx, jobs, count);
	tyrc_mutex_unlock(&queue->lock);
	pushed = true; /* the queue owns the jobs now */
	/* Nothing can fail from here: publish the job fences. */
	tyrc_submit_ctx_publish(&ctx);

out:
	tyrc_submit_ctx_cleanup(&ctx);
	for (u32 j = 0; j < count && !pushed; j++)
		if (jobs[j])
			tyrc_vm_bind_job_free(jobs[j]);
	free(jobs);
	return ret;
}
