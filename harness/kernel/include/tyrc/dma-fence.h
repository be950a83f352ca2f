/* SPDX-License-Identifier: MIT */
/*
 * DOC: dma-fence
 *
 * A dma-fence is a one-shot completion event, refcounted with tyrc_kref and
 * embeddable in a driver object (the release op frees the container). It goes
 * only pending -> signalled, once; an error may be set before signalling. A
 * fence belongs to a context (timeline, from tyrc_dma_fence_context_alloc())
 * and carries a seqno; fences of one context signal in seqno order.
 *
 * Every fence that others can see must signal in bounded time (see
 * tyrc_dma_fence_pending_count(), which tests use to check none is left).
 *
 * Callbacks. tyrc_dma_fence_signal() runs the callbacks of a fence in the
 * order they were added, in the signalling thread, WITHOUT the fence lock
 * held: a callback may use the fence API on any fence, including this one,
 * and may drop the last reference it was given to the fence (the signaller
 * keeps the fence alive until tyrc_dma_fence_signal() returns). The
 * signaller may hold locks of its own; callbacks must not take those, must
 * not sleep for long, and should hand heavy work to a workqueue.
 * tyrc_dma_fence_signal_locked() is for callers that already hold the fence
 * lock (a timeline signalling many fences under one lock): there, as in
 * Linux, the callbacks run with that lock held and must not take it (our
 * locks are non-recursive: doing so aborts, it does not hang) nor call
 * add/remove_callback or signal on a fence that shares it. The callbacks of
 * the fence array and chain are safe in both contexts (the chain defers its
 * re-arming to the system workqueue, as Linux does with irq_work).
 *
 * tyrc_dma_fence_remove_callback() returns only once the callback it failed
 * to remove has finished running (unless called from that callback), so the
 * caller may free the callback's storage afterwards.
 *
 * Lock order: fence lock -> the fence's wait queue lock. The fence lock
 * (&tyrc_dma_fence.lock, the caller's or the fence's own) protects
 * &tyrc_dma_fence.cb_list, @cb_current, @cb_thread and @cb_waiters; it is
 * held only for short list and flag updates, never while calling an op.
 * Waiters sleep on the fence's own wait queue.
 */
#ifndef TYRC_DMA_FENCE_H
#define TYRC_DMA_FENCE_H

#include "kref.h"
#include "list.h"
#include "lock.h"
#include "wait.h"
#include "workqueue.h"

struct tyrc_dma_fence;
struct tyrc_dma_fence_cb;

/** Fence flag bits, in &tyrc_dma_fence.flags (atomic bit operations). */
enum tyrc_dma_fence_flag_bits {
	/** @TYRC_DMA_FENCE_FLAG_SEQNO64_BIT: seqnos compare as 64-bit (else 32-bit wrap-safe). */
	TYRC_DMA_FENCE_FLAG_SEQNO64_BIT,
	/** @TYRC_DMA_FENCE_FLAG_SIGNALED_BIT: the fence is signalled (set under the fence lock). */
	TYRC_DMA_FENCE_FLAG_SIGNALED_BIT,
	/** @TYRC_DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT: enable_signaling was (being) called. */
	TYRC_DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT,
	/** @TYRC_DMA_FENCE_FLAG_USER_BITS: first bit free for the fence's implementer. */
	TYRC_DMA_FENCE_FLAG_USER_BITS,
};

/**
 * typedef tyrc_dma_fence_func_t - a fence callback.
 * @fence: the fence that signalled
 * @cb: the callback, as passed to tyrc_dma_fence_add_callback() (unlinked)
 */
typedef void (*tyrc_dma_fence_func_t)(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb);

/**
 * struct tyrc_dma_fence_cb - a callback slot; embed it and use container_of.
 */
struct tyrc_dma_fence_cb {
	/** @node: link in &tyrc_dma_fence.cb_list (fence lock); self-linked when idle. */
	struct tyrc_list_head node;
	/** @func: the function to call. */
	tyrc_dma_fence_func_t func;
};

/**
 * struct tyrc_dma_fence_ops - what the fence's implementer provides.
 */
struct tyrc_dma_fence_ops {
	/**
	 * @get_driver_name: required; name of the driver that made the fence
	 * (debug output, sync_file info). Any context; must not sleep or take
	 * the fence lock.
	 */
	const char *(*get_driver_name)(struct tyrc_dma_fence *fence);
	/**
	 * @get_timeline_name: required; name of the fence's context. Same
	 * context rules as @get_driver_name.
	 */
	const char *(*get_timeline_name)(struct tyrc_dma_fence *fence);
	/**
	 * @enable_signaling: optional; called at most once, the first time
	 * someone waits or adds a callback, so the implementer can arm an
	 * interrupt or a callback that will signal the fence. Called WITHOUT
	 * the fence lock held (it may take it) from the waiter's or callback
	 * adder's thread, possibly concurrently with a signal. Return false if
	 * the fence is already complete: the core then signals it.
	 */
	bool (*enable_signaling)(struct tyrc_dma_fence *fence);
	/**
	 * @signaled: optional; peek whether the fence has completed although
	 * not yet signalled (e.g. a seqno in memory). Called by
	 * tyrc_dma_fence_is_signaled() without the fence lock held; if it
	 * returns true the core signals the fence. Must be cheap.
	 */
	bool (*signaled)(struct tyrc_dma_fence *fence);
	/**
	 * @release: optional; free the fence's memory (its container) when the
	 * last reference goes. Called from whichever thread drops it, after the
	 * core has torn down its own state (wait queue, own lock); NULL means
	 * free(fence), for a fence at the start of a malloc'd block.
	 */
	void (*release)(struct tyrc_dma_fence *fence);
};

/**
 * struct tyrc_dma_fence - a completion event.
 *
 * Fields are read-only for users; use the accessors below.
 */
struct tyrc_dma_fence {
	/** @refcount: references; the last put calls the release path. */
	struct tyrc_kref refcount;
	/** @ops: implementer callbacks, immutable. */
	const struct tyrc_dma_fence_ops *ops;
	/**
	 * @lock: the fence lock: the one given to tyrc_dma_fence_init() (may
	 * be shared by a whole timeline) or &@inline_lock. Protects
	 * @cb_list, @cb_current, @cb_thread, @cb_waiters and the transition
	 * to signalled.
	 */
	struct tyrc_spinlock *lock;
	/** @cb_list: callbacks not yet run, in add order (@lock). */
	struct tyrc_list_head cb_list;
	/** @context: timeline, immutable. */
	u64 context;
	/** @seqno: position on the timeline, immutable. */
	u64 seqno;
	/** @flags: enum tyrc_dma_fence_flag_bits, atomic. */
	unsigned long flags;
	/** @timestamp: CLOCK_MONOTONIC ns of signalling, written before SIGNALED is set. */
	u64 timestamp;
	/** @error: 0 or negative errno, set before signalling (atomic). */
	int error;
	/**
	 * @cb_waiters: threads in tyrc_dma_fence_remove_callback() waiting
	 * for @cb_current to finish (@lock).
	 */
	unsigned int cb_waiters;
	/** @cb_current: callback running unlocked right now, or NULL (@lock; atomic reads). */
	struct tyrc_dma_fence_cb *cb_current;
	/** @cb_thread: thread running @cb_current (@lock). */
	pthread_t cb_thread;
	/** @wq: waiters of tyrc_dma_fence_wait_*() and remove_callback sleep here. */
	struct tyrc_waitqueue wq;
	/** @inline_lock: the fence's own lock when none was given to init. */
	struct tyrc_spinlock inline_lock;
};

/** tyrc_dma_fence_context_alloc() - reserve @num consecutive contexts. Return: the first. */
u64 tyrc_dma_fence_context_alloc(unsigned int num);

/**
 * tyrc_dma_fence_init() - initialise a pending fence with one reference.
 * @fence: the fence (usually embedded in the caller's object)
 * @ops: its ops; @ops->get_driver_name and @ops->get_timeline_name required
 * @lock: the fence lock, shared by the fences of a timeline if the caller
 *	wants to use tyrc_dma_fence_signal_locked(); NULL gives the fence a
 *	lock of its own
 * @context: from tyrc_dma_fence_context_alloc()
 * @seqno: position on @context; compared 32-bit wrap-safe
 *
 * Context: any; the fence counts in tyrc_dma_fence_pending_count() until
 * signalled or released.
 */
void tyrc_dma_fence_init(struct tyrc_dma_fence *fence, const struct tyrc_dma_fence_ops *ops,
			 struct tyrc_spinlock *lock, u64 context, u64 seqno);
/** tyrc_dma_fence_init64() - as tyrc_dma_fence_init() with 64-bit seqno comparison. */
void tyrc_dma_fence_init64(struct tyrc_dma_fence *fence, const struct tyrc_dma_fence_ops *ops,
			   struct tyrc_spinlock *lock, u64 context, u64 seqno);

/** tyrc_dma_fence_get() - take a reference. NULL-tolerant. Return: @fence. */
struct tyrc_dma_fence *tyrc_dma_fence_get(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_get_unless_zero() - a reference to a fence that may be in
 * its release path (lookups under a lock). Return: @fence, or NULL if dying.
 */
struct tyrc_dma_fence *tyrc_dma_fence_get_unless_zero(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_put() - drop a reference; the last one releases the fence.
 * NULL-tolerant. A fence released unsignalled with callbacks queued is a bug
 * of its user: warned about, signalled with -EDEADLK (callbacks run, with the
 * fence lock held) first. Context: not with the fence lock held.
 */
void tyrc_dma_fence_put(struct tyrc_dma_fence *fence);

/**
 * tyrc_dma_fence_signal_timestamp() - signal @fence, recording @timestamp_ns.
 * Runs the callbacks (without the fence lock) and wakes the waiters.
 * Context: any thread; not with the fence lock held; the caller holds a
 * reference (a callback may drop it).
 * Return: 0, or -EINVAL if @fence was already signalled (nothing happens).
 */
int tyrc_dma_fence_signal_timestamp(struct tyrc_dma_fence *fence, u64 timestamp_ns);
/** tyrc_dma_fence_signal() - tyrc_dma_fence_signal_timestamp() at the current time. */
int tyrc_dma_fence_signal(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_signal_timestamp_locked() - as tyrc_dma_fence_signal_timestamp()
 * for a caller holding the fence lock; the callbacks run with it held (see
 * DOC). The caller must keep a reference until after it unlocks.
 */
int tyrc_dma_fence_signal_timestamp_locked(struct tyrc_dma_fence *fence, u64 timestamp_ns);
/** tyrc_dma_fence_signal_locked() - the _locked signal at the current time. */
int tyrc_dma_fence_signal_locked(struct tyrc_dma_fence *fence);

/**
 * tyrc_dma_fence_set_error() - record why the fence will complete unsuccessfully.
 * @error: negative errno in [-4095, -1]
 *
 * Only before signalling (the status of a signalled fence never changes).
 * Lockless: usable with or without the fence lock held.
 * Return: 0; -EINVAL (with a warning) if @fence is already signalled or
 * @error is not a negative errno; the error is then unchanged.
 */
int tyrc_dma_fence_set_error(struct tyrc_dma_fence *fence, int error);

/**
 * tyrc_dma_fence_test_signaled_flag() - whether @fence is signalled, from the
 * flag alone (no op called, no side effect). Any context, any lock held.
 */
bool tyrc_dma_fence_test_signaled_flag(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_is_signaled() - whether @fence is signalled; asks the
 * @signaled op and signals the fence if it reports completion.
 * Context: not with the fence lock held (use tyrc_dma_fence_test_signaled_flag()).
 */
bool tyrc_dma_fence_is_signaled(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_get_status() - Return: 0 pending, 1 signalled without error,
 * negative errno if signalled with an error. Context: as tyrc_dma_fence_is_signaled().
 */
int tyrc_dma_fence_get_status(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_timestamp() - Return: the CLOCK_MONOTONIC ns at which @fence
 * signalled, or 0 while it is pending. Any context.
 */
u64 tyrc_dma_fence_timestamp(struct tyrc_dma_fence *fence);
/** tyrc_dma_fence_driver_name() - @ops->get_driver_name(@fence). */
const char *tyrc_dma_fence_driver_name(struct tyrc_dma_fence *fence);
/** tyrc_dma_fence_timeline_name() - @ops->get_timeline_name(@fence). */
const char *tyrc_dma_fence_timeline_name(struct tyrc_dma_fence *fence);

/**
 * tyrc_dma_fence_enable_sw_signaling() - make sure the fence will signal
 * (calls @enable_signaling once). Context: not with the fence lock held.
 */
void tyrc_dma_fence_enable_sw_signaling(struct tyrc_dma_fence *fence);

/**
 * tyrc_dma_fence_add_callback() - call @func(@fence, @cb) when @fence signals.
 * @cb: storage owned by the caller until the callback ran or was removed
 *
 * Enables signalling first. Callbacks run in add order (see DOC for context).
 * Context: not with the fence lock held.
 * Return: 0; -ENOENT if @fence is already signalled (@cb is then initialised
 * but not queued, and @func is not called); -EINVAL if @func is NULL.
 */
int tyrc_dma_fence_add_callback(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb,
				tyrc_dma_fence_func_t func);
/**
 * tyrc_dma_fence_remove_callback() - unqueue a callback added with
 * tyrc_dma_fence_add_callback() (successfully or with -ENOENT).
 *
 * If the callback is running in another thread, waits until it returned, so
 * @cb may be freed afterwards. Context: not with the fence lock held nor any
 * lock the fence's callbacks take.
 * Return: true if @cb was removed before running, false if it ran (or was
 * never queued).
 */
bool tyrc_dma_fence_remove_callback(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb);

/**
 * tyrc_dma_fence_wait_timeout() - sleep until @fence signals or @timeout_ns passes.
 * @timeout_ns: relative timeout; 0 only polls; UINT64_MAX waits forever
 *
 * Enables signalling. Context: may sleep; not with the fence lock held.
 * Return: remaining ns (at least 1, capped at INT64_MAX) if signalled, 0 on timeout.
 */
s64 tyrc_dma_fence_wait_timeout(struct tyrc_dma_fence *fence, u64 timeout_ns);
/**
 * tyrc_dma_fence_wait_deadline() - sleep until @fence signals or the absolute
 * CLOCK_MONOTONIC time @deadline_ns (UINT64_MAX: never) passes. A deadline in
 * the past only polls. Context: as tyrc_dma_fence_wait_timeout().
 * Return: 0 if signalled, -ETIME at the deadline.
 */
int tyrc_dma_fence_wait_deadline(struct tyrc_dma_fence *fence, u64 deadline_ns);
/** tyrc_dma_fence_wait() - sleep until @fence signals (as tyrc_dma_fence_wait_timeout()). */
void tyrc_dma_fence_wait(struct tyrc_dma_fence *fence);

/**
 * __tyrc_dma_fence_is_later() - whether seqno @f1 is after @f2 on @fence's
 * timeline: a plain compare for 64-bit-seqno fences, otherwise on the low 32
 * bits, wrap-safe (later means less than 2^31 ahead).
 */
static inline bool __tyrc_dma_fence_is_later(struct tyrc_dma_fence *fence, u64 f1, u64 f2)
{
	if (__atomic_load_n(&fence->flags, __ATOMIC_RELAXED) &
	    (1UL << TYRC_DMA_FENCE_FLAG_SEQNO64_BIT))
		return f1 > f2;
	return (s32)((u32)f1 - (u32)f2) > 0;
}

/**
 * tyrc_dma_fence_is_later() - whether @f1 comes after @f2; both must be on
 * the same context (a bug otherwise).
 */
bool tyrc_dma_fence_is_later(struct tyrc_dma_fence *f1, struct tyrc_dma_fence *f2);
/** tyrc_dma_fence_is_later_or_same() - @f1 is @f2 or comes after it (same context). */
bool tyrc_dma_fence_is_later_or_same(struct tyrc_dma_fence *f1, struct tyrc_dma_fence *f2);

/**
 * tyrc_dma_fence_get_stub() - a reference to the process-wide always-signalled
 * fence (context 0, seqno 0, no error). Any context.
 */
struct tyrc_dma_fence *tyrc_dma_fence_get_stub(void);
/**
 * tyrc_dma_fence_allocate_private_stub() - a new fence, already signalled at
 * @timestamp_ns, on a context of its own (a syncobj's "signalled" fence).
 * Return: the fence (one reference) or NULL on ENOMEM.
 */
struct tyrc_dma_fence *tyrc_dma_fence_allocate_private_stub(u64 timestamp_ns);

/**
 * tyrc_dma_fence_pending_count() - fences initialised but neither signalled
 * nor released, process-wide (debug: tests check it drops back to 0).
 */
long tyrc_dma_fence_pending_count(void);
/** tyrc_dma_fence_live_count() - fences initialised and not yet released, process-wide (debug). */
long tyrc_dma_fence_live_count(void);

/* ---------------------------------------------------------------------------
 * Fence arrays: one fence for a set of fences.
 */

struct tyrc_dma_fence_array;

/** struct tyrc_dma_fence_array_cb - per-member callback of an array (internal). */
struct tyrc_dma_fence_array_cb {
	/** @cb: queued on the member. */
	struct tyrc_dma_fence_cb cb;
	/** @array: the array it counts down (holds a reference while queued). */
	struct tyrc_dma_fence_array *array;
};

/**
 * struct tyrc_dma_fence_array - a fence that signals when all (or any) of
 * @fences have signalled, with the first error seen among them.
 */
struct tyrc_dma_fence_array {
	/** @base: the array's own fence (own lock). */
	struct tyrc_dma_fence base;
	/** @num_fences: entries in @fences. */
	unsigned int num_fences;
	/** @num_pending: members still awaited (atomic); signals at 0. */
	int num_pending;
	/** @pending_error: first member error seen, 0 if none (atomic). */
	int pending_error;
	/** @fences: members; the array holds a reference on each and owns the block. */
	struct tyrc_dma_fence **fences;
	/** @callbacks: one per member. */
	struct tyrc_dma_fence_array_cb callbacks[];
};

/**
 * tyrc_dma_fence_array_create() - a fence for a set of fences.
 * @num_fences: entries in @fences; 0 gives an array that is signalled at
 *	creation (with either mode: a fence that could never signal is not
 *	allowed to exist)
 * @fences: malloc'd array of fences; on success the array takes ownership of
 *	the block and of one reference on each entry (freed at release)
 * @context: context of the new fence
 * @seqno: its seqno
 * @signal_on_any: signal when the first member signals instead of all
 *
 * The error of the array is the first member error its callbacks (or its
 * @signaled check) saw. Context: any; does not sleep.
 * Return: the array or NULL on ENOMEM (the caller then keeps @fences).
 */
struct tyrc_dma_fence_array *tyrc_dma_fence_array_create(unsigned int num_fences,
							 struct tyrc_dma_fence **fences,
							 u64 context, u64 seqno,
							 bool signal_on_any);
/** tyrc_dma_fence_is_array() - whether @fence is a tyrc_dma_fence_array. */
bool tyrc_dma_fence_is_array(struct tyrc_dma_fence *fence);
/** tyrc_to_dma_fence_array() - the array of @fence, or NULL if it is not one (NULL-tolerant). */
struct tyrc_dma_fence_array *tyrc_to_dma_fence_array(struct tyrc_dma_fence *fence);

/* ---------------------------------------------------------------------------
 * Fence chains: the points of a timeline syncobj.
 */

/**
 * struct tyrc_dma_fence_chain - one point of a timeline: signals when @fence
 * and all earlier points have signalled.
 */
struct tyrc_dma_fence_chain {
	/** @base: the point's fence (own lock, which also protects @prev); 64-bit seqnos. */
	struct tyrc_dma_fence base;
	/**
	 * @prev: the previous point (a chain, or any fence at the bottom),
	 * holding a reference; NULL at the end. Walking drops signalled
	 * points from it (&@base.lock).
	 */
	struct tyrc_dma_fence *prev;
	/** @prev_seqno: seqno of @prev when it shares the context, else 0. */
	u64 prev_seqno;
	/** @fence: the point's own fence, holding a reference; immutable. */
	struct tyrc_dma_fence *fence;
	/** @cb: hooked on the oldest unsignalled contained fence while enabled. */
	struct tyrc_dma_fence_cb cb;
	/** @work: re-arms @cb or signals @base on the system workqueue. */
	struct tyrc_work work;
};

/** tyrc_dma_fence_chain_alloc() - memory for a chain node. Return: NULL on ENOMEM. */
struct tyrc_dma_fence_chain *tyrc_dma_fence_chain_alloc(void);
/** tyrc_dma_fence_chain_free() - free a node that was never initialised; NULL-tolerant. */
void tyrc_dma_fence_chain_free(struct tyrc_dma_fence_chain *chain);
/**
 * tyrc_dma_fence_chain_init() - make @chain the point after @prev.
 * @prev: previous point or NULL; its reference passes to @chain
 * @fence: the point's fence (not a chain); its reference passes to @chain
 * @seqno: the point's value
 *
 * If @prev is a chain and @seqno is later than it, the node continues
 * @prev's context; otherwise it gets a new context and its seqno is raised
 * to at least @prev's. Context: any; does not sleep.
 */
void tyrc_dma_fence_chain_init(struct tyrc_dma_fence_chain *chain, struct tyrc_dma_fence *prev,
			       struct tyrc_dma_fence *fence, u64 seqno);
/** tyrc_dma_fence_is_chain() - whether @fence is a tyrc_dma_fence_chain. */
bool tyrc_dma_fence_is_chain(struct tyrc_dma_fence *fence);
/** tyrc_to_dma_fence_chain() - the chain of @fence, or NULL if it is not one (NULL-tolerant). */
struct tyrc_dma_fence_chain *tyrc_to_dma_fence_chain(struct tyrc_dma_fence *fence);
/** tyrc_dma_fence_chain_contained() - the fence of a chain node, or @fence itself. */
struct tyrc_dma_fence *tyrc_dma_fence_chain_contained(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_chain_get_prev() - Return: a reference to @chain's current
 * previous point, or NULL.
 */
struct tyrc_dma_fence *tyrc_dma_fence_chain_get_prev(struct tyrc_dma_fence_chain *chain);
/**
 * tyrc_dma_fence_chain_walk() - step to the previous unsignalled point.
 * @fence: current point; its reference is consumed
 *
 * Unlinks signalled points after @fence on the way (their references are
 * dropped). Context: not with a chain lock held.
 * Return: a reference to the previous point whose fence is unsignalled (or the
 * non-chain fence at the bottom if unsignalled), or NULL.
 */
struct tyrc_dma_fence *tyrc_dma_fence_chain_walk(struct tyrc_dma_fence *fence);
/**
 * tyrc_dma_fence_chain_find_seqno() - find the point that completes @seqno.
 * @pfence: in: a reference to the timeline's last point; out: a reference to
 *	a point whose signalling implies @seqno's (the point holding @seqno,
 *	or an earlier unsignalled one if that point's own fence already
 *	signalled), or NULL if everything up to @seqno has signalled; the
 *	reference passed in is consumed
 * @seqno: the value looked for; 0 leaves *@pfence as it is
 *
 * Walks with tyrc_dma_fence_chain_walk(), so it drops signalled points.
 *
 * Return: 0, or -EINVAL if *@pfence is not a chain or its seqno is below
 * @seqno (the point does not exist yet; *@pfence untouched).
 */
int tyrc_dma_fence_chain_find_seqno(struct tyrc_dma_fence **pfence, u64 seqno);

/**
 * tyrc_dma_fence_chain_for_each() - visit @head, then each unsignalled earlier
 * point. @iter holds a reference inside the loop; breaking out leaves it to
 * the caller to put.
 */
#define tyrc_dma_fence_chain_for_each(iter, head) \
	for (iter = tyrc_dma_fence_get(head); iter; iter = tyrc_dma_fence_chain_walk(iter))

#endif /* TYRC_DMA_FENCE_H */
