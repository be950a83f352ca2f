/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines and their delivery. The GPU model owns level-triggered
 * lines and drives them with tyrc_irq_line_set(); a driver attaches a
 * threaded handler with tyrc_request_threaded_irq(). Each requested line has
 * its own delivery thread that, while the line is asserted and enabled,
 * calls the hard handler and then (on TYRC_IRQ_WAKE_THREAD) the thread
 * function — the order Linux gives a threaded IRQ. Model code never calls
 * into the driver directly: setting a line only wakes the delivery thread.
 */
#ifndef TYRC_IRQ_H
#define TYRC_IRQ_H

#include "types.h"

struct tyrc_irq_line;

enum tyrc_irqreturn {
	TYRC_IRQ_NONE = 0,
	TYRC_IRQ_HANDLED = 1,
	TYRC_IRQ_WAKE_THREAD = 2,
};

typedef enum tyrc_irqreturn (*tyrc_irq_handler_t)(void *data);

/** tyrc_irq_line_create() - a new deasserted line named @name. Return: NULL on ENOMEM. */
struct tyrc_irq_line *tyrc_irq_line_create(const char *name);
/** tyrc_irq_line_destroy() - free a line; no handler may still be attached. */
void tyrc_irq_line_destroy(struct tyrc_irq_line *line);
/** tyrc_irq_line_set() - drive the line level (device side); cheap, never blocks on handlers. */
void tyrc_irq_line_set(struct tyrc_irq_line *line, bool asserted);
/** tyrc_irq_line_name() - the name given at creation. */
const char *tyrc_irq_line_name(const struct tyrc_irq_line *line);

/**
 * tyrc_request_threaded_irq() - attach handlers to @line and start delivery.
 * @handler: "hard" handler; returns NONE (not ours), HANDLED, or WAKE_THREAD.
 *           NULL behaves as a handler that always returns WAKE_THREAD.
 * @thread_fn: run after @handler returned WAKE_THREAD (may be NULL).
 * Both run on the line's delivery thread, one invocation at a time, with no
 * kernel lock held. The line starts enabled (disable depth 0).
 * A handler returning NONE while the line stays asserted is not called again
 * until the line is set again (prevents a spurious-interrupt storm).
 * Return: 0, -EBUSY if a handler is already attached, -EINVAL if both
 * handlers are NULL, -ENOMEM.
 */
int tyrc_request_threaded_irq(struct tyrc_irq_line *line, tyrc_irq_handler_t handler,
			      tyrc_irq_handler_t thread_fn, void *data);
/**
 * tyrc_free_irq() - stop delivery, wait for running handlers, detach and join
 * the delivery thread. No-op if nothing is attached. Not from a handler.
 */
void tyrc_free_irq(struct tyrc_irq_line *line);
/**
 * tyrc_disable_irq() - stop delivery (nesting count) and wait for running
 * handlers; called from @line's own handler it does not wait (as
 * disable_irq_nosync()). Works whether or not a handler is attached.
 */
void tyrc_disable_irq(struct tyrc_irq_line *line);
/** tyrc_enable_irq() - undo one tyrc_disable_irq(); an unbalanced enable is a bug. */
void tyrc_enable_irq(struct tyrc_irq_line *line);
/**
 * tyrc_synchronize_irq() - wait until no handler of @line is running (returns
 * at once when called from @line's own handler).
 */
void tyrc_synchronize_irq(struct tyrc_irq_line *line);

#endif /* TYRC_IRQ_H */
