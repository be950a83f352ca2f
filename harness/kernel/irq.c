// SPDX-License-Identifier: MIT
/*
 * DOC: Interrupt lines
 *
 * A line is a level (set by the device side with tyrc_irq_line_set()) plus,
 * once a driver requested it, a delivery thread. The thread sleeps until the
 * line is asserted, enabled (disable depth 0) and attached, then calls the
 * hard handler and, if that returned TYRC_IRQ_WAKE_THREAD, the thread
 * function, both without the line lock. It loops while the line stays
 * asserted, which is what level triggering means: a handler that masks the
 * source at the device and unmasks it from the thread function gets called
 * again if the source is still pending.
 *
 * Storm guard: when the hard handler returns TYRC_IRQ_NONE ("not mine") the
 * thread does not call it again for the same level until the device calls
 * tyrc_irq_line_set() again; each call bumps @gen.
 *
 * tyrc_irq_line_set() is called from arbitrary device-side threads, even
 * from inside an MMIO access a handler makes: it only takes the line lock
 * (never held while a handler runs), updates the level and signals.
 *
 * Lock order: the line lock is a leaf; handlers run without it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <tyrc/irq.h>
#include <tyrc/log.h>

#include "internal.h"

/**
 * struct tyrc_irq_line - one level-triggered interrupt line.
 */
struct tyrc_irq_line {
	/** @name: given at creation (owned copy). */
	char *name;
	/**
	 * @lock: guards @asserted, @gen, @depth, @attached, @handler,
	 * @thread_fn, @data, @stop, @in_handler, @thread_running.
	 */
	pthread_mutex_t lock;
	/** @kick: wakes the delivery thread (level, enable or stop changed) (@lock). */
	pthread_cond_t kick;
	/** @idle: broadcast when a handler invocation finishes (@lock). */
	pthread_cond_t idle;
	/** @asserted: current level (@lock). */
	bool asserted;
	/** @gen: bumped by every tyrc_irq_line_set() (@lock). */
	u64 gen;
	/** @depth: tyrc_disable_irq() nesting count; delivery only at 0 (@lock). */
	unsigned int depth;
	/** @attached: handlers requested and not yet freed (@lock). */
	bool attached;
	/** @handler: hard handler, NULL means "always wake the thread" (@lock). */
	tyrc_irq_handler_t handler;
	/** @thread_fn: threaded handler, may be NULL (@lock). */
	tyrc_irq_handler_t thread_fn;
	/** @data: cookie for both handlers (@lock). */
	void *data;
	/** @stop: tells the delivery thread to exit (@lock). */
	bool stop;
	/** @in_handler: a handler of this line is executing (@lock). */
	bool in_handler;
	/** @thread_running: @thread exists and has not been joined (@lock). */
	bool thread_running;
	/** @thread: the delivery thread (valid while @thread_running). */
	pthread_t thread;
};

struct tyrc_irq_line *tyrc_irq_line_create(const char *name)
{
	struct tyrc_irq_line *line = calloc(1, sizeof(*line));

	if (!line)
		return NULL;
	line->name = strdup(name ? name : "irq");
	if (!line->name) {
		free(line);
		return NULL;
	}
	TYRC_BUG_ON(pthread_mutex_init(&line->lock, NULL));
	kernel_cond_init(&line->kick);
	kernel_cond_init(&line->idle);
	return line;
}

void tyrc_irq_line_destroy(struct tyrc_irq_line *line)
{
	if (!line)
		return;
	pthread_mutex_lock(&line->lock);
	TYRC_BUG_ON(line->attached || line->thread_running);
	pthread_mutex_unlock(&line->lock);
	pthread_cond_destroy(&line->idle);
	pthread_cond_destroy(&line->kick);
	pthread_mutex_destroy(&line->lock);
	free(line->name);
	free(line);
}

void tyrc_irq_line_set(struct tyrc_irq_line *line, bool asserted)
{
	pthread_mutex_lock(&line->lock);
	line->asserted = asserted;
	line->gen++;
	if (asserted)
		pthread_cond_signal(&line->kick);
	pthread_mutex_unlock(&line->lock);
}

const char *tyrc_irq_line_name(const struct tyrc_irq_line *line)
{
	return line->name;
}

static bool on_delivery_thread(struct tyrc_irq_line *line)
{
	return line->thread_running && pthread_equal(pthread_self(), line->thread);
}

static void *irq_thread(void *arg)
{
	struct tyrc_irq_line *line = arg;
	/* Storm guard: no call while @gen == @none_gen after a NONE. */
	bool none_block = false;
	u64 none_gen = 0;

	pthread_mutex_lock(&line->lock);
	kernel_thread_name("irq/", line->name);
	for (;;) {
		tyrc_irq_handler_t handler, thread_fn;
		enum tyrc_irqreturn ret;
		void *data;
		u64 gen;

		if (line->stop)
			break;
		if (!line->asserted || line->depth || !line->attached ||
		    (none_block && line->gen == none_gen)) {
			kernel_cond_wait_until(&line->kick, &line->lock, UINT64_MAX);
			continue;
		}
		handler = line->handler;
		thread_fn = line->thread_fn;
		data = line->data;
		gen = line->gen;
		line->in_handler = true;
		pthread_mutex_unlock(&line->lock);

		ret = handler ? handler(data) : TYRC_IRQ_WAKE_THREAD;
		if (ret == TYRC_IRQ_WAKE_THREAD && thread_fn)
			thread_fn(data);

		pthread_mutex_lock(&line->lock);
		line->in_handler = false;
		pthread_cond_broadcast(&line->idle);
		none_block = ret == TYRC_IRQ_NONE;
		none_gen = gen;
	}
	pthread_mutex_unlock(&line->lock);
	return NULL;
}

int tyrc_request_threaded_irq(struct tyrc_irq_line *line, tyrc_irq_handler_t handler,
			      tyrc_irq_handler_t thread_fn, void *data)
{
	int ret = 0;

	if (!handler && !thread_fn)
		return -EINVAL;
	pthread_mutex_lock(&line->lock);
	if (line->attached || line->thread_running) {
		ret = -EBUSY;
		goto out_unlock;
	}
	line->handler = handler;
	line->thread_fn = thread_fn;
	line->data = data;
	line->depth = 0;
	line->stop = false;
	line->attached = true;
	/* The new thread blocks on @lock until we are done here. */
	if (pthread_create(&line->thread, NULL, irq_thread, line)) {
		line->attached = false;
		line->handler = NULL;
		line->thread_fn = NULL;
		line->data = NULL;
		ret = -ENOMEM;
		goto out_unlock;
	}
	line->thread_running = true;
out_unlock:
	pthread_mutex_unlock(&line->lock);
	return ret;
}

void tyrc_free_irq(struct tyrc_irq_line *line)
{
	pthread_t thread;

	pthread_mutex_lock(&line->lock);
	if (!line->thread_running) {
		pthread_mutex_unlock(&line->lock);
		return;
	}
	TYRC_BUG_ON(on_delivery_thread(line)); /* a handler cannot join itself */
	line->stop = true;
	pthread_cond_signal(&line->kick);
	thread = line->thread;
	pthread_mutex_unlock(&line->lock);

	/* The thread finishes any handler in flight, then exits. */
	pthread_join(thread, NULL);

	pthread_mutex_lock(&line->lock);
	line->thread_running = false;
	line->attached = false;
	line->handler = NULL;
	line->thread_fn = NULL;
	line->data = NULL;
	line->stop = false;
	pthread_mutex_unlock(&line->lock);
}

/* Wait until no handler runs; a handler waiting for itself only returns. */
static void wait_idle_locked(struct tyrc_irq_line *line)
{
	if (on_delivery_thread(line))
		return;
	while (line->in_handler)
		kernel_cond_wait_until(&line->idle, &line->lock, UINT64_MAX);
}

void tyrc_disable_irq(struct tyrc_irq_line *line)
{
	pthread_mutex_lock(&line->lock);
	TYRC_BUG_ON(line->depth == UINT_MAX);
	line->depth++;
	wait_idle_locked(line);
	pthread_mutex_unlock(&line->lock);
}

void tyrc_enable_irq(struct tyrc_irq_line *line)
{
	pthread_mutex_lock(&line->lock);
	TYRC_BUG_ON(line->depth == 0); /* unbalanced enable */
	if (--line->depth == 0)
		pthread_cond_signal(&line->kick);
	pthread_mutex_unlock(&line->lock);
}

void tyrc_synchronize_irq(struct tyrc_irq_line *line)
{
	pthread_mutex_lock(&line->lock);
	wait_idle_locked(line);
	pthread_mutex_unlock(&line->lock);
}
