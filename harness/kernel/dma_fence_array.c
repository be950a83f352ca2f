// SPDX-License-Identifier: MIT
/*
 * DOC: dma-fence array
 *
 * An array counts its members down in @num_pending (all of them, or 1 for
 * signal-on-any). Enabling signalling queues one callback per member, each
 * holding a reference to the array; a member already signalled counts down
 * at once. Whoever brings the count to 0 signals the array. Member errors
 * are collected first-wins in @pending_error before the count drops, and
 * copied into the array's fence (under its lock, only if not yet signalled)
 * just before it signals, so every path that signals the array reports the
 * same error.
 *
 * Without enabled signalling, the @signaled op checks the members directly.
 */
#include <stdlib.h>

#include <tyrc/dma-fence.h>
#include <tyrc/log.h>

static const char *array_driver_name(struct tyrc_dma_fence *fence)
{
	(void)fence;
	return "dma_fence_array";
}

static const char *array_timeline_name(struct tyrc_dma_fence *fence)
{
	(void)fence;
	return "unbound";
}

static void array_note_error(struct tyrc_dma_fence_array *array, int status)
{
	int none = 0;

	if (status < 0)
		__atomic_compare_exchange_n(&array->pending_error, &none, status, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/* Give the array's fence the first member error, unless it already signalled. */
static void array_commit_error(struct tyrc_dma_fence_array *array)
{
	int error = __atomic_load_n(&array->pending_error, __ATOMIC_ACQUIRE);

	if (!error)
		return;
	tyrc_spin_lock(array->base.lock);
	if (!tyrc_dma_fence_test_signaled_flag(&array->base))
		tyrc_dma_fence_set_error(&array->base, error);
	tyrc_spin_unlock(array->base.lock);
}

/* Count one member down. Return: true if that was the last one awaited. */
static bool array_count_down(struct tyrc_dma_fence_array *array, struct tyrc_dma_fence *member)
{
	array_note_error(array, tyrc_dma_fence_get_status(member));
	return __atomic_sub_fetch(&array->num_pending, 1, __ATOMIC_ACQ_REL) == 0;
}

static void array_cb_func(struct tyrc_dma_fence *member, struct tyrc_dma_fence_cb *cb)
{
	struct tyrc_dma_fence_array_cb *acb = container_of(cb, struct tyrc_dma_fence_array_cb, cb);
	struct tyrc_dma_fence_array *array = acb->array;

	if (array_count_down(array, member)) {
		array_commit_error(array);
		tyrc_dma_fence_signal(&array->base);
	}
	tyrc_dma_fence_put(&array->base);
}

static bool array_enable_signaling(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_array *array = tyrc_to_dma_fence_array(fence);

	for (unsigned int i = 0; i < array->num_fences; i++) {
		struct tyrc_dma_fence_array_cb *acb = &array->callbacks[i];

		acb->array = array;
		/* Held by the callback; the caller's reference covers the failure path. */
		tyrc_dma_fence_get(&array->base);
		if (!tyrc_dma_fence_add_callback(array->fences[i], &acb->cb, array_cb_func))
			continue;
		tyrc_dma_fence_put(&array->base);
		if (array_count_down(array, array->fences[i])) {
			array_commit_error(array);
			return false;
		}
	}
	return true;
}

static bool array_signaled(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_array *array = tyrc_to_dma_fence_array(fence);
	/* Read before the ENABLE bit: no count-down happens before it is set. */
	int num_pending = __atomic_load_n(&array->num_pending, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&fence->flags, __ATOMIC_ACQUIRE) &
	    (1UL << TYRC_DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT)) {
		if (num_pending > 0)
			return false;
		array_commit_error(array);
		return true;
	}

	for (unsigned int i = 0; i < array->num_fences; i++) {
		struct tyrc_dma_fence *member = array->fences[i];

		if (!tyrc_dma_fence_is_signaled(member))
			continue;
		array_note_error(array, tyrc_dma_fence_get_status(member));
		if (--num_pending == 0) {
			array_commit_error(array);
			return true;
		}
	}
	return false;
}

static void array_release(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_array *array = container_of(fence, struct tyrc_dma_fence_array, base);

	for (unsigned int i = 0; i < array->num_fences; i++)
		tyrc_dma_fence_put(array->fences[i]);
	free(array->fences);
	free(array);
}

static const struct tyrc_dma_fence_ops array_ops = {
	.get_driver_name = array_driver_name,
	.get_timeline_name = array_timeline_name,
	.enable_signaling = array_enable_signaling,
	.signaled = array_signaled,
	.release = array_release,
};

struct tyrc_dma_fence_array *tyrc_dma_fence_array_create(unsigned int num_fences,
							 struct tyrc_dma_fence **fences,
							 u64 context, u64 seqno, bool signal_on_any)
{
	struct tyrc_dma_fence_array *array;
	size_t size;

	TYRC_BUG_ON(num_fences && !fences);
	if (num_fences > INT32_MAX ||
	    check_mul_overflow((size_t)num_fences, sizeof(array->callbacks[0]), &size) ||
	    check_add_overflow(size, sizeof(*array), &size))
		return NULL;
	array = calloc(1, size);
	if (!array)
		return NULL;

	array->num_fences = num_fences;
	array->fences = fences;
	array->num_pending = signal_on_any && num_fences ? 1 : (int)num_fences;
	array->pending_error = 0;
	for (unsigned int i = 0; i < num_fences; i++)
		tyrc_list_init(&array->callbacks[i].cb.node);
	tyrc_dma_fence_init(&array->base, &array_ops, NULL, context, seqno);
	/* Nothing to wait for: complete from the start, never a fence that cannot signal. */
	if (!num_fences)
		tyrc_dma_fence_signal(&array->base);
	return array;
}

bool tyrc_dma_fence_is_array(struct tyrc_dma_fence *fence)
{
	return fence && fence->ops == &array_ops;
}

struct tyrc_dma_fence_array *tyrc_to_dma_fence_array(struct tyrc_dma_fence *fence)
{
	if (!tyrc_dma_fence_is_array(fence))
		return NULL;
	return container_of(fence, struct tyrc_dma_fence_array, base);
}
