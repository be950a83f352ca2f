// SPDX-License-Identifier: MIT
/*
 * DOC: dma-fence core
 *
 * The transition to signalled happens under the fence lock: the SIGNALED
 * bit goes from clear to set only with the lock held, so exactly one
 * signaller wins and callbacks can no longer be queued once it is set. The
 * timestamp is written before the bit (a release store), so a reader that
 * sees the bit sees the timestamp.
 *
 * Unlocked signalling then pops the callbacks one at a time: each is
 * unlinked and recorded in @cb_current under the lock, and run with the
 * lock dropped. tyrc_dma_fence_remove_callback() thus finds a callback
 * either still queued (it unlinks it), running (it waits until @cb_current
 * moves on, unless it is that callback's own thread) or finished. The
 * signaller holds a reference of its own throughout, so a callback may drop
 * the reference the caller passed in.
 *
 * enable_signaling is called outside the lock, guarded by the
 * ENABLE_SIGNAL bit so it runs at most once; when it reports the fence
 * complete the caller signals it.
 *
 * Process-wide state: the context counter, the pending/live counters (all
 * atomic) and the stub fence (set up once).
 */
#include <stdlib.h>

#include <tyrc/dma-fence.h>
#include <tyrc/log.h>

#define DMA_FENCE_MAX_ERRNO 4095

/* Context 0 belongs to the stub fence. */
static u64 fence_context_counter = 1;
static long fence_pending;
static long fence_live;

static bool fence_test_bit(struct tyrc_dma_fence *fence, unsigned int bit)
{
	return __atomic_load_n(&fence->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static bool fence_test_and_set_bit(struct tyrc_dma_fence *fence, unsigned int bit)
{
	return __atomic_fetch_or(&fence->flags, 1UL << bit, __ATOMIC_ACQ_REL) & (1UL << bit);
}

u64 tyrc_dma_fence_context_alloc(unsigned int num)
{
	TYRC_BUG_ON(num == 0);
	return __atomic_fetch_add(&fence_context_counter, num, __ATOMIC_RELAXED);
}

static void fence_init(struct tyrc_dma_fence *fence, const struct tyrc_dma_fence_ops *ops,
		       struct tyrc_spinlock *lock, u64 context, u64 seqno, unsigned long flags)
{
	TYRC_BUG_ON(!ops || !ops->get_driver_name || !ops->get_timeline_name);

	tyrc_kref_init(&fence->refcount);
	fence->ops = ops;
	if (!lock) {
		tyrc_spin_lock_init(&fence->inline_lock);
		lock = &fence->inline_lock;
	}
	fence->lock = lock;
	tyrc_list_init(&fence->cb_list);
	fence->context = context;
	fence->seqno = seqno;
	__atomic_store_n(&fence->flags, flags, __ATOMIC_RELAXED);
	__atomic_store_n(&fence->timestamp, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fence->error, 0, __ATOMIC_RELAXED);
	fence->cb_waiters = 0;
	__atomic_store_n(&fence->cb_current, NULL, __ATOMIC_RELAXED);
	fence->cb_thread = pthread_self();
	tyrc_waitqueue_init(&fence->wq);
	__atomic_add_fetch(&fence_pending, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&fence_live, 1, __ATOMIC_RELAXED);
}

void tyrc_dma_fence_init(struct tyrc_dma_fence *fence, const struct tyrc_dma_fence_ops *ops,
			 struct tyrc_spinlock *lock, u64 context, u64 seqno)
{
	fence_init(fence, ops, lock, context, seqno, 0);
}

void tyrc_dma_fence_init64(struct tyrc_dma_fence *fence, const struct tyrc_dma_fence_ops *ops,
			   struct tyrc_spinlock *lock, u64 context, u64 seqno)
{
	fence_init(fence, ops, lock, context, seqno, 1UL << TYRC_DMA_FENCE_FLAG_SEQNO64_BIT);
}

/*
 * Signal @fence with its lock held. With @unlock_for_cbs the lock is dropped
 * around each callback (the caller holds a reference); otherwise callbacks
 * run under it, as for the _locked API and the release path.
 */
static int fence_signal_locked(struct tyrc_dma_fence *fence, u64 timestamp_ns, bool unlock_for_cbs)
{
	struct tyrc_dma_fence_cb *cb;

	tyrc_lockdep_assert_held(fence->lock);
	if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		return -EINVAL;

	__atomic_store_n(&fence->timestamp, timestamp_ns, __ATOMIC_RELAXED);
	/* Release: readers that see the bit see the timestamp and the error. */
	__atomic_fetch_or(&fence->flags, 1UL << TYRC_DMA_FENCE_FLAG_SIGNALED_BIT, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&fence_pending, 1, __ATOMIC_RELAXED);

	while (!tyrc_list_empty(&fence->cb_list)) {
		cb = tyrc_list_first_entry(&fence->cb_list, struct tyrc_dma_fence_cb, node);
		tyrc_list_del_init(&cb->node);
		if (!unlock_for_cbs) {
			cb->func(fence, cb);
			continue;
		}
		__atomic_store_n(&fence->cb_current, cb, __ATOMIC_RELAXED);
		fence->cb_thread = pthread_self();
		tyrc_spin_unlock(fence->lock);
		cb->func(fence, cb);
		tyrc_spin_lock(fence->lock);
		__atomic_store_n(&fence->cb_current, NULL, __ATOMIC_RELEASE);
		if (fence->cb_waiters)
			tyrc_wake_up_all(&fence->wq);
	}
	tyrc_wake_up_all(&fence->wq);
	return 0;
}

static void fence_release(struct tyrc_kref *kref)
{
	struct tyrc_dma_fence *fence = container_of(kref, struct tyrc_dma_fence, refcount);

	/* Nobody else can reach the fence any more: no lock needed to look. */
	if (!fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT)) {
		if (!tyrc_list_empty(&fence->cb_list)) {
			tyrc_warn("dma-fence %s:%s:%llu:%llu released with pending callbacks",
				  tyrc_dma_fence_driver_name(fence),
				  tyrc_dma_fence_timeline_name(fence),
				  (unsigned long long)fence->context,
				  (unsigned long long)fence->seqno);
			__atomic_store_n(&fence->error, -EDEADLK, __ATOMIC_RELAXED);
			tyrc_spin_lock(fence->lock);
			fence_signal_locked(fence, tyrc_ktime_get_ns(), false);
			tyrc_spin_unlock(fence->lock);
		} else {
			__atomic_sub_fetch(&fence_pending, 1, __ATOMIC_RELAXED);
		}
	}
	__atomic_sub_fetch(&fence_live, 1, __ATOMIC_RELAXED);
	tyrc_waitqueue_destroy(&fence->wq);
	if (fence->lock == &fence->inline_lock)
		tyrc_mutex_destroy(&fence->inline_lock);
	if (fence->ops->release)
		fence->ops->release(fence);
	else
		free(fence);
}

struct tyrc_dma_fence *tyrc_dma_fence_get(struct tyrc_dma_fence *fence)
{
	if (fence)
		tyrc_kref_get(&fence->refcount);
	return fence;
}

struct tyrc_dma_fence *tyrc_dma_fence_get_unless_zero(struct tyrc_dma_fence *fence)
{
	if (fence && tyrc_kref_get_unless_zero(&fence->refcount))
		return fence;
	return NULL;
}

void tyrc_dma_fence_put(struct tyrc_dma_fence *fence)
{
	if (fence)
		tyrc_kref_put(&fence->refcount, fence_release);
}

int tyrc_dma_fence_signal_timestamp(struct tyrc_dma_fence *fence, u64 timestamp_ns)
{
	int ret;

	if (TYRC_WARN_ON(!fence))
		return -EINVAL;
	if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		return -EINVAL;

	/* A callback may drop the caller's reference: keep the fence alive. */
	tyrc_dma_fence_get(fence);
	tyrc_spin_lock(fence->lock);
	ret = fence_signal_locked(fence, timestamp_ns, true);
	tyrc_spin_unlock(fence->lock);
	tyrc_dma_fence_put(fence);
	return ret;
}

int tyrc_dma_fence_signal(struct tyrc_dma_fence *fence)
{
	return tyrc_dma_fence_signal_timestamp(fence, tyrc_ktime_get_ns());
}

int tyrc_dma_fence_signal_timestamp_locked(struct tyrc_dma_fence *fence, u64 timestamp_ns)
{
	if (TYRC_WARN_ON(!fence))
		return -EINVAL;
	return fence_signal_locked(fence, timestamp_ns, false);
}

int tyrc_dma_fence_signal_locked(struct tyrc_dma_fence *fence)
{
	return tyrc_dma_fence_signal_timestamp_locked(fence, tyrc_ktime_get_ns());
}

int tyrc_dma_fence_set_error(struct tyrc_dma_fence *fence, int error)
{
	if (TYRC_WARN_ON(error >= 0 || error < -DMA_FENCE_MAX_ERRNO))
		return -EINVAL;
	if (TYRC_WARN_ON(fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT)))
		return -EINVAL;
	__atomic_store_n(&fence->error, error, __ATOMIC_RELAXED);
	return 0;
}

bool tyrc_dma_fence_test_signaled_flag(struct tyrc_dma_fence *fence)
{
	return fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT);
}

bool tyrc_dma_fence_is_signaled(struct tyrc_dma_fence *fence)
{
	if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		return true;
	if (fence->ops->signaled && fence->ops->signaled(fence)) {
		tyrc_dma_fence_signal(fence);
		return true;
	}
	return false;
}

int tyrc_dma_fence_get_status(struct tyrc_dma_fence *fence)
{
	int error;

	if (!tyrc_dma_fence_is_signaled(fence))
		return 0;
	error = __atomic_load_n(&fence->error, __ATOMIC_RELAXED);
	return error ? error : 1;
}

u64 tyrc_dma_fence_timestamp(struct tyrc_dma_fence *fence)
{
	if (!fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		return 0;
	return __atomic_load_n(&fence->timestamp, __ATOMIC_RELAXED);
}

const char *tyrc_dma_fence_driver_name(struct tyrc_dma_fence *fence)
{
	return fence->ops->get_driver_name(fence);
}

const char *tyrc_dma_fence_timeline_name(struct tyrc_dma_fence *fence)
{
	return fence->ops->get_timeline_name(fence);
}

/* Call enable_signaling once. Return: false if @fence is (now) signalled. */
static bool fence_enable_signaling(struct tyrc_dma_fence *fence)
{
	if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		return false;
	if (fence_test_and_set_bit(fence, TYRC_DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT))
		return true;
	if (fence->ops->enable_signaling && !fence->ops->enable_signaling(fence)) {
		tyrc_dma_fence_signal(fence);
		return false;
	}
	return true;
}

void tyrc_dma_fence_enable_sw_signaling(struct tyrc_dma_fence *fence)
{
	fence_enable_signaling(fence);
}

int tyrc_dma_fence_add_callback(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb,
				tyrc_dma_fence_func_t func)
{
	int ret = 0;

	tyrc_list_init(&cb->node);
	cb->func = func;
	if (TYRC_WARN_ON(!func))
		return -EINVAL;

	fence_enable_signaling(fence);
	tyrc_spin_lock(fence->lock);
	if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
		ret = -ENOENT;
	else
		tyrc_list_add_tail(&cb->node, &fence->cb_list);
	tyrc_spin_unlock(fence->lock);
	return ret;
}

bool tyrc_dma_fence_remove_callback(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	bool removed;

	tyrc_spin_lock(fence->lock);
	removed = !tyrc_list_empty(&cb->node);
	if (removed) {
		tyrc_list_del_init(&cb->node);
	} else if (fence->cb_current == cb && !pthread_equal(fence->cb_thread, pthread_self())) {
		/* Running in the signaller: the caller may free @cb once it returned. */
		fence->cb_waiters++;
		tyrc_spin_unlock(fence->lock);
		tyrc_wait_event(&fence->wq,
				__atomic_load_n(&fence->cb_current, __ATOMIC_ACQUIRE) != cb);
		tyrc_spin_lock(fence->lock);
		fence->cb_waiters--;
	}
	tyrc_spin_unlock(fence->lock);
	return removed;
}

int tyrc_dma_fence_wait_deadline(struct tyrc_dma_fence *fence, u64 deadline_ns)
{
	if (tyrc_dma_fence_is_signaled(fence))
		return 0;
	if (deadline_ns != UINT64_MAX && tyrc_ktime_get_ns() >= deadline_ns)
		return -ETIME;

	fence_enable_signaling(fence);
	for (;;) {
		u64 seq = tyrc_waitqueue_seq(&fence->wq);

		if (fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT))
			return 0;
		if (!tyrc_waitqueue_sleep(&fence->wq, seq, deadline_ns))
			return fence_test_bit(fence, TYRC_DMA_FENCE_FLAG_SIGNALED_BIT) ? 0 : -ETIME;
	}
}

s64 tyrc_dma_fence_wait_timeout(struct tyrc_dma_fence *fence, u64 timeout_ns)
{
	u64 deadline = tyrc_wait_deadline(timeout_ns);
	u64 now;

	if (tyrc_dma_fence_wait_deadline(fence, deadline))
		return 0;
	now = tyrc_ktime_get_ns();
	if (now >= deadline)
		return 1;
	return deadline - now > (u64)INT64_MAX ? INT64_MAX : (s64)(deadline - now);
}

void tyrc_dma_fence_wait(struct tyrc_dma_fence *fence)
{
	tyrc_dma_fence_wait_deadline(fence, UINT64_MAX);
}

bool tyrc_dma_fence_is_later(struct tyrc_dma_fence *f1, struct tyrc_dma_fence *f2)
{
	TYRC_BUG_ON(f1->context != f2->context);
	return __tyrc_dma_fence_is_later(f1, f1->seqno, f2->seqno);
}

bool tyrc_dma_fence_is_later_or_same(struct tyrc_dma_fence *f1, struct tyrc_dma_fence *f2)
{
	return f1 == f2 || tyrc_dma_fence_is_later(f1, f2);
}

static const char *stub_name(struct tyrc_dma_fence *fence)
{
	(void)fence;
	return "stub";
}

static const struct tyrc_dma_fence_ops stub_ops = {
	.get_driver_name = stub_name,
	.get_timeline_name = stub_name,
};

static struct tyrc_dma_fence stub_fence;
static pthread_once_t stub_once = PTHREAD_ONCE_INIT;

static void stub_init(void)
{
	fence_init(&stub_fence, &stub_ops, NULL, 0, 0, 0);
	tyrc_dma_fence_signal(&stub_fence);
	/* Lives for the whole process: not counted as a live fence. */
	__atomic_sub_fetch(&fence_live, 1, __ATOMIC_RELAXED);
}

struct tyrc_dma_fence *tyrc_dma_fence_get_stub(void)
{
	TYRC_BUG_ON(pthread_once(&stub_once, stub_init));
	return tyrc_dma_fence_get(&stub_fence);
}

struct tyrc_dma_fence *tyrc_dma_fence_allocate_private_stub(u64 timestamp_ns)
{
	struct tyrc_dma_fence *fence = malloc(sizeof(*fence));

	if (!fence)
		return NULL;
	tyrc_dma_fence_init(fence, &stub_ops, NULL, tyrc_dma_fence_context_alloc(1), 0);
	tyrc_dma_fence_signal_timestamp(fence, timestamp_ns);
	return fence;
}

long tyrc_dma_fence_pending_count(void)
{
	return __atomic_load_n(&fence_pending, __ATOMIC_RELAXED);
}

long tyrc_dma_fence_live_count(void)
{
	return __atomic_load_n(&fence_live, __ATOMIC_RELAXED);
}
