/* SPDX-License-Identifier: MIT */
/*
 * Workqueues: deferred work run by worker threads. A work item is queued at
 * most once at a time (queueing a pending item is a no-op returning false)
 * and never runs concurrently with itself.
 */
#ifndef TYRC_WORKQUEUE_H
#define TYRC_WORKQUEUE_H

#include "timer.h"

struct tyrc_workqueue;
struct tyrc_work;
typedef void (*tyrc_work_fn)(struct tyrc_work *work);

/** struct tyrc_work - a unit of deferred work; embed it and use container_of. */
struct tyrc_work {
	/** @entry: link in the workqueue's pending list (workqueue lock). */
	struct tyrc_list_head entry;
	/** @fn: the function to run. */
	tyrc_work_fn fn;
	/** @wq: queue it was last queued on, NULL if never (workqueue lock). */
	struct tyrc_workqueue *wq;
	/** @pending: queued and not yet started (workqueue lock). */
	bool pending;
	/**
	 * @running: not maintained, always 0. A work function may free its own
	 * item, so workers record what they run in themselves and never touch
	 * the item after it returns; kept for source compatibility.
	 */
	unsigned int running;
	/** @canceling: cancels in progress; queueing fails while > 0 (workqueue lock). */
	unsigned int canceling;
	/** @seq: position in the queue's FIFO, for tyrc_flush_workqueue() (workqueue lock). */
	u64 seq;
};

/**
 * struct tyrc_delayed_work - work queued after a delay. @work.pending is set
 * from the moment it is queued, while @timer is still armed.
 */
struct tyrc_delayed_work {
	/** @work: the work; its @fn gets &@work (use tyrc_to_delayed_work()). */
	struct tyrc_work work;
	/** @timer: fires to queue @work on @wq. */
	struct tyrc_timer timer;
	/** @wq: target queue for the timer. */
	struct tyrc_workqueue *wq;
};

void tyrc_work_init(struct tyrc_work *work, tyrc_work_fn fn);
void tyrc_delayed_work_init(struct tyrc_delayed_work *dwork, tyrc_work_fn fn);
/** to_delayed_work() - the delayed work containing @work. */
#define tyrc_to_delayed_work(w) container_of(w, struct tyrc_delayed_work, work)

/**
 * tyrc_workqueue_create() - start a workqueue with @max_active worker threads.
 * @max_active == 1 gives an ordered queue (items run one at a time, FIFO);
 * 0 picks a default (4) and values above 64 are capped. @name is copied and
 * names the worker threads ("kw/<name>").
 * Return: the queue or NULL on allocation failure.
 */
struct tyrc_workqueue *tyrc_workqueue_create(const char *name, unsigned int max_active);
/**
 * tyrc_workqueue_destroy() - drain all pending work (including work queued by
 * the items being drained), stop the workers, free @wq. Delayed work aimed at
 * @wq must have been cancelled. Not for the system workqueue; NULL is a no-op.
 */
void tyrc_workqueue_destroy(struct tyrc_workqueue *wq);
/**
 * tyrc_system_wq() - the process-wide default queue (like system_wq), created
 * on first use with the default number of workers and never destroyed.
 * Return: the queue (never NULL; allocation failure is a bug).
 */
struct tyrc_workqueue *tyrc_system_wq(void);
/** tyrc_queue_work() - Return: false if @work was already pending. */
bool tyrc_queue_work(struct tyrc_workqueue *wq, struct tyrc_work *work);
/** tyrc_queue_delayed_work() - queue after @delay_ns. Return: false if already pending. */
bool tyrc_queue_delayed_work(struct tyrc_workqueue *wq, struct tyrc_delayed_work *dwork,
			     u64 delay_ns);
/**
 * tyrc_mod_delayed_work() - (re)set the delay of @dwork, queueing it if idle;
 * an instance already on the list is pulled back and delayed again. No-op
 * while a cancel of @dwork is in progress.
 */
void tyrc_mod_delayed_work(struct tyrc_workqueue *wq, struct tyrc_delayed_work *dwork,
			   u64 delay_ns);
/**
 * tyrc_cancel_work_sync() - unqueue and wait for a running instance; queueing
 * @work fails meanwhile, so a self-requeuing item stays cancelled. Must not be
 * called from @work itself. Return: true if it was pending.
 */
bool tyrc_cancel_work_sync(struct tyrc_work *work);
/** tyrc_cancel_delayed_work_sync() - disarm the timer, then as tyrc_cancel_work_sync(). */
bool tyrc_cancel_delayed_work_sync(struct tyrc_delayed_work *dwork);
/**
 * tyrc_flush_work() - wait until @work is neither on its queue's list nor
 * running. As in Linux, a delayed work whose timer is still armed is not
 * waited for. Must not be called from @work itself.
 */
void tyrc_flush_work(struct tyrc_work *work);
/**
 * tyrc_flush_workqueue() - wait until everything queued before the call has run
 * (armed delayed-work timers are not waited for). Not from a worker of @wq.
 */
void tyrc_flush_workqueue(struct tyrc_workqueue *wq);

#endif /* TYRC_WORKQUEUE_H */
