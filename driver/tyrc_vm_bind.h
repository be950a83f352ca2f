/* SPDX-License-Identifier: MIT */
/*
 * DOC: VM bind queue
 *
 * Asynchronous VM_BIND (DRM_PANTHOR_VM_BIND_ASYNC), panthor's way
 * (panthor_vm_bind_job on a per-VM drm_sched entity): every op of an
 * asynchronous VM_BIND becomes a job on its VM's bind queue, which runs
 * jobs strictly in submission order, each once the fences of its WAIT sync
 * ops have signalled (dma-fence callbacks; no worker ever blocks on a
 * fence). Every job has a fence on the queue's own fence context (seqnos
 * increase with submission), signalled once the job ran, with the job's
 * error if it failed. A failure at execution time marks the VM unusable.
 *
 * The ioctl validates everything first (the ops' arguments with the rules
 * of synchronous binds, then the sync ops: flags, handles, points, and the
 * fences that WAIT ops name, none of which may be missing — the kernel
 * never waits for a fence to appear), allocates every timeline chain node,
 * then arms and queues the jobs under the queue lock and only then
 * publishes the job fences to the SIGNAL syncobjs, when nothing can fail
 * any more. A WAIT on a (handle, point) that an earlier job of the same
 * ioctl signals depends on that job's fence (batch semantics,
 * panthor_submit_ctx).
 *
 * Teardown: destroying the VM (VM_DESTROY, file release, last reference)
 * cancels the queue: the job running finishes, every queued job is
 * unhooked from its dependencies and its fence signalled with -ECANCELED.
 *
 * Locking: the queue's @lock guards its job list, each queued job's
 * pending-dependency count, the seqno and the dead flag; it is taken by
 * dependency callbacks (in the signalling thread), so no fence is ever
 * signalled with it held. Lock order: queue lock → fence locks (callbacks
 * are added under it); queue lock and vm op_lock are never nested.
 */
#ifndef TYRC_VM_BIND_H
#define TYRC_VM_BIND_H

#include <tyrc/types.h>

struct drm_panthor_vm_bind_op;
struct tyrc_file;
struct tyrc_vm;
struct tyrc_vm_bind_queue;

/**
 * tyrc_vm_bind_queue_create() - an empty bind queue for @vm, with a fence
 * context of its own. @vm is not referenced: the VM owns the queue.
 * Return: 0 or -ENOMEM.
 */
int tyrc_vm_bind_queue_create(struct tyrc_vm *vm, struct tyrc_vm_bind_queue **out);

/**
 * tyrc_vm_bind_queue_cancel() - stop @queue: later submissions fail with
 * -EINVAL, the job running (if any) completes, every queued job's fence
 * signals with -ECANCELED. Idempotent. Context: process, no VM lock held;
 * waits for the worker and for running dependency callbacks.
 */
void tyrc_vm_bind_queue_cancel(struct tyrc_vm_bind_queue *queue);

/** tyrc_vm_bind_queue_destroy() - cancel and free @queue; NULL-tolerant. */
void tyrc_vm_bind_queue_destroy(struct tyrc_vm_bind_queue *queue);

/**
 * tyrc_vm_bind_async() - the asynchronous VM_BIND: validate @ops, queue
 * one job per op on @vm's bind queue, publish their fences.
 * Return: 0; -EINVAL, -ENOENT, -E2BIG, -EFAULT, -ENOMEM (nothing queued,
 * no syncobj changed).
 */
int tyrc_vm_bind_async(struct tyrc_file *file, struct tyrc_vm *vm,
		       const struct drm_panthor_vm_bind_op *ops, u32 count);

/**
 * tyrc_vm_bind_op_check() - argument checks of one VM_BIND op, shared by
 * synchronous and asynchronous binds (panthor_vm_bind_prepare_op_ctx()),
 * without the sync ops. Size-0 MAP/UNMAP ops pass without further checks.
 * @bo: MAP with a non-zero size: receives a reference on the BO, else NULL.
 * Return: 0 or -EINVAL.
 */
int tyrc_vm_bind_op_check(struct tyrc_file *file, struct tyrc_vm *vm,
			  const struct drm_panthor_vm_bind_op *op, bool async, void **bo);

#endif /* TYRC_VM_BIND_H */
