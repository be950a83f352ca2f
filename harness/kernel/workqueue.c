// SPDX-License-Identifier: MIT
/*
 * DOC: Workqueues
 *
 * A workqueue is a FIFO list of pending items and a fixed set of worker
 * threads (max_active of them). A worker takes the first pending item that
 * is not being executed by another worker of the queue, so an item never
 * runs concurrently with itself: re-queued while running, it stays pending
 * until that run returns and then runs again (on any worker). With one
 * worker the queue is strictly ordered.
 *
 * A work function may free its own item (a release work is the usual
 * example), so after @fn returns its worker never touches the item again:
 * which item a worker runs is recorded in the worker (&worker.current, an
 * address used only for comparisons), not in the item. For the same reason
 * &tyrc_work.running is not maintained.
 *
 * Delayed work sets &tyrc_work.pending as soon as it is queued, while its
 * timer is armed; the timer callback then moves it onto the list. An item
 * is "on the list" exactly when its @entry is linked (not self-pointing).
 *
 * Cancellation bumps &tyrc_work.canceling, during which queueing the item
 * fails, so a work that re-queues itself cannot escape a cancel.
 *
 * Queueing one item on two different queues at the same time is not
 * supported; an idle item may move to another queue.
 *
 * The system workqueue (tyrc_system_wq()) is created lazily on first use
 * and lives until exit; it is the only global mutable state of this file.
 *
 * Lock order: workqueue lock -> timer base lock. Work functions and timer
 * callbacks run with no workqueue lock held.
 */
#include <stdlib.h>

#include <tyrc/workqueue.h>
#include <tyrc/log.h>

#include "internal.h"

/* Workers when tyrc_workqueue_create() is given 0, and the upper bound. */
#define WQ_DFL_ACTIVE 4U
#define WQ_MAX_ACTIVE 64U

/**
 * struct worker - one worker thread of a workqueue.
 */
struct worker {
	/** @wq: the queue this worker serves. */
	struct tyrc_workqueue *wq;
	/** @thread: the worker thread. */
	pthread_t thread;
	/** @current: item being executed, NULL if idle (wq->lock); compare only. */
	struct tyrc_work *current;
	/** @current_seq: &tyrc_work.seq of @current when it started (wq->lock). */
	u64 current_seq;
};

/**
 * struct tyrc_workqueue - pending items and the workers that run them.
 */
struct tyrc_workqueue {
	/** @name: for thread names and messages. */
	char name[32];
	/**
	 * @lock: guards @pending, @next_seq, @stopping, every worker's
	 * @current/@current_seq, and the @entry, @pending, @seq, @canceling
	 * fields of items queued here (and stores to their @wq).
	 */
	pthread_mutex_t lock;
	/** @more: signalled when an item is added or workers must stop (@lock). */
	pthread_cond_t more;
	/** @done: broadcast when an item finishes or is cancelled (@lock). */
	pthread_cond_t done;
	/** @pending: queued items in FIFO order, linked by &tyrc_work.entry (@lock). */
	struct tyrc_list_head pending;
	/** @next_seq: sequence number given to the next item added to @pending (@lock). */
	u64 next_seq;
	/** @stopping: set by destroy; workers exit once @pending is empty (@lock). */
	bool stopping;
	/** @nr_workers: number of entries in @workers. */
	unsigned int nr_workers;
	/** @workers: the worker threads. */
	struct worker workers[];
};

/* The worker the calling thread is, NULL for non-worker threads. */
static __thread struct worker *current_worker;

static struct tyrc_workqueue *system_wq;
static pthread_once_t system_wq_once = PTHREAD_ONCE_INIT;

static struct tyrc_workqueue *work_wq(struct tyrc_work *work)
{
	return __atomic_load_n(&work->wq, __ATOMIC_ACQUIRE);
}

static bool work_on_list(struct tyrc_work *work)
{
	return !tyrc_list_empty(&work->entry);
}

/* Is @work being executed by a worker of @wq? */
static bool work_running_locked(struct tyrc_workqueue *wq, struct tyrc_work *work)
{
	for (unsigned int i = 0; i < wq->nr_workers; i++) {
		if (wq->workers[i].current == work)
			return true;
	}
	return false;
}

/* Is the calling thread the worker of @wq executing @work? */
static bool work_is_self(struct tyrc_workqueue *wq, struct tyrc_work *work)
{
	return current_worker && current_worker->wq == wq && current_worker->current == work;
}

/* Append @work to @wq's list and wake a worker. */
static void enqueue_locked(struct tyrc_workqueue *wq, struct tyrc_work *work)
{
	work->pending = true;
	__atomic_store_n(&work->wq, wq, __ATOMIC_RELEASE);
	work->seq = wq->next_seq++;
	tyrc_list_add_tail(&work->entry, &wq->pending);
	pthread_cond_signal(&wq->more);
}

/* First pending item no other worker is executing, or NULL. */
static struct tyrc_work *pick_locked(struct tyrc_workqueue *wq)
{
	struct tyrc_work *work;

	tyrc_list_for_each_entry(work, &wq->pending, entry) {
		if (!work_running_locked(wq, work))
			return work;
	}
	return NULL;
}

static void *worker_thread(void *arg)
{
	struct worker *self = arg;
	struct tyrc_workqueue *wq = self->wq;

	current_worker = self;
	kernel_thread_name("kw/", wq->name);
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		struct tyrc_work *work = pick_locked(wq);
		tyrc_work_fn fn;

		if (!work) {
			if (wq->stopping && tyrc_list_empty(&wq->pending))
				break;
			kernel_cond_wait_until(&wq->more, &wq->lock, UINT64_MAX);
			continue;
		}
		tyrc_list_del_init(&work->entry);
		work->pending = false;
		self->current = work;
		self->current_seq = work->seq;
		fn = work->fn;
		pthread_mutex_unlock(&wq->lock);

		fn(work); /* may free @work: do not touch it below */

		pthread_mutex_lock(&wq->lock);
		self->current = NULL;
		pthread_cond_broadcast(&wq->done);
		/*
		 * An item re-queued while it ran here is picked by this loop.
		 * Kick one idle worker in case more than one item is runnable
		 * now, and all of them once stopping so they notice the drain.
		 */
		if (wq->stopping)
			pthread_cond_broadcast(&wq->more);
		else if (!tyrc_list_empty(&wq->pending))
			pthread_cond_signal(&wq->more);
	}
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

static void stop_workers(struct tyrc_workqueue *wq, unsigned int nr)
{
	pthread_mutex_lock(&wq->lock);
	wq->stopping = true;
	pthread_cond_broadcast(&wq->more);
	pthread_mutex_unlock(&wq->lock);
	for (unsigned int i = 0; i < nr; i++)
		pthread_join(wq->workers[i].thread, NULL);
}

struct tyrc_workqueue *tyrc_workqueue_create(const char *name, unsigned int max_active)
{
	struct tyrc_workqueue *wq;
	unsigned int nr = max_active ? tyrc_min(max_active, WQ_MAX_ACTIVE) : WQ_DFL_ACTIVE;
	unsigned int i;

	wq = calloc(1, sizeof(*wq) + nr * sizeof(wq->workers[0]));
	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name ? name : "wq");
	TYRC_BUG_ON(pthread_mutex_init(&wq->lock, NULL));
	kernel_cond_init(&wq->more);
	kernel_cond_init(&wq->done);
	tyrc_list_init(&wq->pending);
	wq->nr_workers = nr;
	for (i = 0; i < nr; i++)
		wq->workers[i].wq = wq;
	for (i = 0; i < nr; i++) {
		if (pthread_create(&wq->workers[i].thread, NULL, worker_thread, &wq->workers[i]))
			goto err_stop_workers;
	}
	return wq;

err_stop_workers:
	stop_workers(wq, i);
	pthread_cond_destroy(&wq->done);
	pthread_cond_destroy(&wq->more);
	pthread_mutex_destroy(&wq->lock);
	free(wq);
	return NULL;
}

void tyrc_workqueue_destroy(struct tyrc_workqueue *wq)
{
	if (!wq)
		return;
	/* A worker cannot join itself. */
	TYRC_BUG_ON(current_worker && current_worker->wq == wq);
	TYRC_BUG_ON(wq == __atomic_load_n(&system_wq, __ATOMIC_ACQUIRE));
	stop_workers(wq, wq->nr_workers);
	TYRC_BUG_ON(!tyrc_list_empty(&wq->pending));
	pthread_cond_destroy(&wq->done);
	pthread_cond_destroy(&wq->more);
	pthread_mutex_destroy(&wq->lock);
	free(wq);
}

static void system_wq_init(void)
{
	struct tyrc_workqueue *wq = tyrc_workqueue_create("events", 0);

	TYRC_BUG_ON(!wq);
	__atomic_store_n(&system_wq, wq, __ATOMIC_RELEASE);
}

struct tyrc_workqueue *tyrc_system_wq(void)
{
	pthread_once(&system_wq_once, system_wq_init);
	return __atomic_load_n(&system_wq, __ATOMIC_ACQUIRE);
}

void tyrc_work_init(struct tyrc_work *work, tyrc_work_fn fn)
{
	tyrc_list_init(&work->entry);
	work->fn = fn;
	work->wq = NULL;
	work->pending = false;
	work->running = 0;
	work->canceling = 0;
	work->seq = 0;
}

/* Timer callback of a delayed work: move it onto its queue's list. */
static void delayed_work_timer_fn(struct tyrc_timer *timer)
{
	struct tyrc_delayed_work *dwork = container_of(timer, struct tyrc_delayed_work, timer);
	struct tyrc_work *work = &dwork->work;
	/* Read before the lock it names: the writers store it atomically. */
	struct tyrc_workqueue *wq = __atomic_load_n(&dwork->wq, __ATOMIC_ACQUIRE);

	pthread_mutex_lock(&wq->lock);
	/*
	 * Skip if cancelled (not pending), already on the list (mod with no
	 * delay), or re-armed by a mod after this expiry (it fires again).
	 */
	if (work->pending && !work_on_list(work) && !tyrc_timer_is_queued(timer))
		enqueue_locked(wq, work);
	pthread_mutex_unlock(&wq->lock);
}

void tyrc_delayed_work_init(struct tyrc_delayed_work *dwork, tyrc_work_fn fn)
{
	tyrc_work_init(&dwork->work, fn);
	tyrc_timer_init(&dwork->timer, delayed_work_timer_fn);
	dwork->wq = NULL;
}

bool tyrc_queue_work(struct tyrc_workqueue *wq, struct tyrc_work *work)
{
	bool queued = false;

	pthread_mutex_lock(&wq->lock);
	if (!work->pending && !work->canceling) {
		enqueue_locked(wq, work);
		queued = true;
	}
	pthread_mutex_unlock(&wq->lock);
	return queued;
}

bool tyrc_queue_delayed_work(struct tyrc_workqueue *wq, struct tyrc_delayed_work *dwork,
			     u64 delay_ns)
{
	struct tyrc_work *work = &dwork->work;
	bool queued = false;

	pthread_mutex_lock(&wq->lock);
	if (!work->pending && !work->canceling) {
		__atomic_store_n(&dwork->wq, wq, __ATOMIC_RELEASE);
		if (delay_ns == 0) {
			enqueue_locked(wq, work);
		} else {
			work->pending = true;
			__atomic_store_n(&work->wq, wq, __ATOMIC_RELEASE);
			tyrc_timer_start_rel(&dwork->timer, delay_ns);
		}
		queued = true;
	}
	pthread_mutex_unlock(&wq->lock);
	return queued;
}

void tyrc_mod_delayed_work(struct tyrc_workqueue *wq, struct tyrc_delayed_work *dwork, u64 delay_ns)
{
	struct tyrc_work *work = &dwork->work;

	pthread_mutex_lock(&wq->lock);
	if (work->canceling)
		goto out_unlock;
	if (work_on_list(work)) {
		tyrc_list_del_init(&work->entry);
		pthread_cond_broadcast(&wq->done);
	}
	__atomic_store_n(&dwork->wq, wq, __ATOMIC_RELEASE);
	if (delay_ns == 0) {
		/* A callback already running finds it on the list and backs off. */
		tyrc_timer_try_cancel(&dwork->timer);
		enqueue_locked(wq, work);
	} else {
		work->pending = true;
		__atomic_store_n(&work->wq, wq, __ATOMIC_RELEASE);
		/* Re-arms; a callback already running sees it queued and backs off. */
		tyrc_timer_start_rel(&dwork->timer, delay_ns);
	}
out_unlock:
	pthread_mutex_unlock(&wq->lock);
}

bool tyrc_cancel_work_sync(struct tyrc_work *work)
{
	struct tyrc_workqueue *wq = work_wq(work);
	bool was_pending = false;

	if (!wq)
		return false;
	pthread_mutex_lock(&wq->lock);
	TYRC_BUG_ON(work_is_self(wq, work)); /* would wait for itself */
	work->canceling++;
	if (work->pending) {
		if (work_on_list(work))
			tyrc_list_del_init(&work->entry);
		work->pending = false;
		was_pending = true;
		pthread_cond_broadcast(&wq->done);
	}
	while (work_running_locked(wq, work))
		kernel_cond_wait_until(&wq->done, &wq->lock, UINT64_MAX);
	work->canceling--;
	pthread_mutex_unlock(&wq->lock);
	return was_pending;
}

bool tyrc_cancel_delayed_work_sync(struct tyrc_delayed_work *dwork)
{
	struct tyrc_work *work = &dwork->work;
	struct tyrc_workqueue *wq = work_wq(work);
	bool was_pending;

	if (!wq)
		return false;
	/* Keep a running instance from re-arming the timer behind our back. */
	pthread_mutex_lock(&wq->lock);
	work->canceling++;
	pthread_mutex_unlock(&wq->lock);

	/* Without wq->lock: the timer callback takes it. */
	was_pending = tyrc_timer_cancel(&dwork->timer);
	if (tyrc_cancel_work_sync(work))
		was_pending = true;

	pthread_mutex_lock(&wq->lock);
	work->canceling--;
	pthread_mutex_unlock(&wq->lock);
	return was_pending;
}

void tyrc_flush_work(struct tyrc_work *work)
{
	struct tyrc_workqueue *wq = work_wq(work);

	if (!wq)
		return;
	pthread_mutex_lock(&wq->lock);
	TYRC_BUG_ON(work_is_self(wq, work)); /* would wait for itself */
	while (work_wq(work) == wq && (work_on_list(work) || work_running_locked(wq, work)))
		kernel_cond_wait_until(&wq->done, &wq->lock, UINT64_MAX);
	pthread_mutex_unlock(&wq->lock);
}

/* Is anything queued before sequence @target still pending or running? */
static bool busy_before_locked(struct tyrc_workqueue *wq, u64 target)
{
	struct tyrc_work *work;

	tyrc_list_for_each_entry(work, &wq->pending, entry) {
		if (work->seq < target)
			return true;
	}
	for (unsigned int i = 0; i < wq->nr_workers; i++) {
		if (wq->workers[i].current && wq->workers[i].current_seq < target)
			return true;
	}
	return false;
}

void tyrc_flush_workqueue(struct tyrc_workqueue *wq)
{
	u64 target;

	pthread_mutex_lock(&wq->lock);
	TYRC_BUG_ON(current_worker && current_worker->wq == wq); /* would wait for itself */
	target = wq->next_seq;
	while (busy_before_locked(wq, target))
		kernel_cond_wait_until(&wq->done, &wq->lock, UINT64_MAX);
	pthread_mutex_unlock(&wq->lock);
}
