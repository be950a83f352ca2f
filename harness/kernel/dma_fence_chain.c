// SPDX-License-Identifier: MIT
/*
 * DOC: dma-fence chain
 *
 * A timeline is a list of chain nodes, newest first, linked through @prev.
 * A node signals once its own fence and every earlier node's fence have
 * signalled. Walking the list unlinks nodes whose fence has signalled, so
 * a long-lived timeline does not keep completed points alive.
 *
 * @prev is protected by the node's own fence lock (Linux uses RCU and
 * cmpxchg); it is only ever held to read or swap the pointer, never while
 * another lock is taken, so walks nest with nothing.
 *
 * Enabling signalling hooks the node's single callback onto the oldest
 * unsignalled contained fence. When that fires, re-arming (which adds a
 * callback to another fence, i.e. takes its lock) is deferred to the system
 * workqueue: the callback may run under the signaller's fence lock, which
 * the next fence of the same timeline may share. The callback's reference
 * to the node passes to the work.
 */
#include <stdlib.h>

#include <tyrc/dma-fence.h>
#include <tyrc/log.h>

static const char *chain_driver_name(struct tyrc_dma_fence *fence)
{
	(void)fence;
	return "dma_fence_chain";
}

static const char *chain_timeline_name(struct tyrc_dma_fence *fence)
{
	(void)fence;
	return "unbound";
}

struct tyrc_dma_fence *tyrc_dma_fence_chain_get_prev(struct tyrc_dma_fence_chain *chain)
{
	struct tyrc_dma_fence *prev;

	tyrc_spin_lock(chain->base.lock);
	prev = tyrc_dma_fence_get(chain->prev);
	tyrc_spin_unlock(chain->base.lock);
	return prev;
}

struct tyrc_dma_fence *tyrc_dma_fence_chain_walk(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_chain *chain = tyrc_to_dma_fence_chain(fence);
	struct tyrc_dma_fence *prev, *replacement;

	if (!chain) {
		tyrc_dma_fence_put(fence);
		return NULL;
	}

	while ((prev = tyrc_dma_fence_chain_get_prev(chain))) {
		struct tyrc_dma_fence_chain *prev_chain = tyrc_to_dma_fence_chain(prev);
		bool swapped;

		if (prev_chain) {
			if (!tyrc_dma_fence_is_signaled(prev_chain->fence))
				break;
			replacement = tyrc_dma_fence_chain_get_prev(prev_chain);
		} else {
			if (!tyrc_dma_fence_is_signaled(prev))
				break;
			replacement = NULL;
		}

		/* Unlink @prev unless someone else already changed the link. */
		tyrc_spin_lock(chain->base.lock);
		swapped = chain->prev == prev;
		if (swapped)
			chain->prev = replacement;
		tyrc_spin_unlock(chain->base.lock);
		/* The link's reference to @prev, or our unused one to @replacement. */
		tyrc_dma_fence_put(swapped ? prev : replacement);
		tyrc_dma_fence_put(prev);
	}

	tyrc_dma_fence_put(fence);
	return prev;
}

int tyrc_dma_fence_chain_find_seqno(struct tyrc_dma_fence **pfence, u64 seqno)
{
	struct tyrc_dma_fence_chain *chain;

	if (!seqno)
		return 0;

	chain = tyrc_to_dma_fence_chain(*pfence);
	if (!chain || chain->base.seqno < seqno)
		return -EINVAL;

	tyrc_dma_fence_chain_for_each(*pfence, &chain->base)
	{
		if ((*pfence)->context != chain->base.context ||
		    tyrc_to_dma_fence_chain(*pfence)->prev_seqno < seqno)
			break;
	}
	tyrc_dma_fence_put(&chain->base);
	return 0;
}

static void chain_cb(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	struct tyrc_dma_fence_chain *chain = container_of(cb, struct tyrc_dma_fence_chain, cb);

	/* The reference to the node taken when @cb was queued passes to the work. */
	tyrc_queue_work(tyrc_system_wq(), &chain->work);
	tyrc_dma_fence_put(fence);
}

static bool chain_enable_signaling(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_chain *head = tyrc_to_dma_fence_chain(fence);
	struct tyrc_dma_fence *iter;

	tyrc_dma_fence_get(&head->base);
	tyrc_dma_fence_chain_for_each(iter, &head->base)
	{
		struct tyrc_dma_fence *f = tyrc_dma_fence_chain_contained(iter);

		/* Both references stay with the callback if it is queued. */
		tyrc_dma_fence_get(f);
		if (!tyrc_dma_fence_add_callback(f, &head->cb, chain_cb)) {
			tyrc_dma_fence_put(iter);
			return true;
		}
		tyrc_dma_fence_put(f);
	}
	tyrc_dma_fence_put(&head->base);
	return false;
}

static void chain_work(struct tyrc_work *work)
{
	struct tyrc_dma_fence_chain *chain = container_of(work, struct tyrc_dma_fence_chain, work);

	/* Re-arm on the next unsignalled fence, or we are done. */
	if (!chain_enable_signaling(&chain->base))
		tyrc_dma_fence_signal(&chain->base);
	tyrc_dma_fence_put(&chain->base);
}

static bool chain_signaled(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence *iter;

	tyrc_dma_fence_chain_for_each(iter, fence)
	{
		if (!tyrc_dma_fence_is_signaled(tyrc_dma_fence_chain_contained(iter))) {
			tyrc_dma_fence_put(iter);
			return false;
		}
	}
	return true;
}

static void chain_release(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_chain *chain = container_of(fence, struct tyrc_dma_fence_chain, base);
	struct tyrc_dma_fence *prev;

	/*
	 * Unlink the nodes only we still hold, one by one, so that freeing a
	 * long timeline does not recurse once per node.
	 */
	while ((prev = chain->prev)) {
		struct tyrc_dma_fence_chain *prev_chain;

		/*
		 * Acquire pairs with the release of whoever dropped the other
		 * references: their last look at @prev happened before ours.
		 */
		if (__atomic_load_n(&prev->refcount.refcount, __ATOMIC_ACQUIRE) > 1)
			break;
		prev_chain = tyrc_to_dma_fence_chain(prev);
		if (!prev_chain)
			break;
		chain->prev = prev_chain->prev;
		prev_chain->prev = NULL;
		tyrc_dma_fence_put(prev);
	}
	tyrc_dma_fence_put(prev);
	tyrc_dma_fence_put(chain->fence);
	free(chain);
}

static const struct tyrc_dma_fence_ops chain_ops = {
	.get_driver_name = chain_driver_name,
	.get_timeline_name = chain_timeline_name,
	.enable_signaling = chain_enable_signaling,
	.signaled = chain_signaled,
	.release = chain_release,
};

struct tyrc_dma_fence_chain *tyrc_dma_fence_chain_alloc(void)
{
	return malloc(sizeof(struct tyrc_dma_fence_chain));
}

void tyrc_dma_fence_chain_free(struct tyrc_dma_fence_chain *chain)
{
	free(chain);
}

void tyrc_dma_fence_chain_init(struct tyrc_dma_fence_chain *chain, struct tyrc_dma_fence *prev,
			       struct tyrc_dma_fence *fence, u64 seqno)
{
	struct tyrc_dma_fence_chain *prev_chain = tyrc_to_dma_fence_chain(prev);
	u64 context;

	TYRC_BUG_ON(!fence);
	chain->prev = prev;
	chain->fence = fence;
	chain->prev_seqno = 0;
	tyrc_list_init(&chain->cb.node);
	tyrc_work_init(&chain->work, chain_work);

	/* Continue the previous node's context if the seqno moves forward. */
	if (prev_chain && __tyrc_dma_fence_is_later(prev, seqno, prev->seqno)) {
		context = prev->context;
		chain->prev_seqno = prev->seqno;
	} else {
		context = tyrc_dma_fence_context_alloc(1);
		/* Never go backwards: a node covers at least what @prev did. */
		if (prev_chain)
			seqno = tyrc_max(prev->seqno, seqno);
	}
	tyrc_dma_fence_init64(&chain->base, &chain_ops, NULL, context, seqno);

	/* Chains nest through @prev only; nested fences belong in an array. */
	TYRC_WARN_ON(tyrc_dma_fence_is_chain(fence));
}

bool tyrc_dma_fence_is_chain(struct tyrc_dma_fence *fence)
{
	return fence && fence->ops == &chain_ops;
}

struct tyrc_dma_fence_chain *tyrc_to_dma_fence_chain(struct tyrc_dma_fence *fence)
{
	if (!tyrc_dma_fence_is_chain(fence))
		return NULL;
	return container_of(fence, struct tyrc_dma_fence_chain, base);
}

struct tyrc_dma_fence *tyrc_dma_fence_chain_contained(struct tyrc_dma_fence *fence)
{
	struct tyrc_dma_fence_chain *chain = tyrc_to_dma_fence_chain(fence);

	return chain ? chain->fence : fence;
}
