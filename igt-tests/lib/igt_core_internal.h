/* SPDX-License-Identifier: MIT */
/*
 * igt_core_internal.h - state shared between igt_core.c and igt_fork.c.
 *
 * Not part of the test-author API; tests must not include this header.
 */

#ifndef IGT_CORE_INTERNAL_H
#define IGT_CORE_INTERNAL_H

#include <stdbool.h>

/* This process is a child spawned by igt_fork(). */
extern bool igt_core_test_child;

/* The atexit() handler is running; a failure now exits immediately. */
extern bool igt_core_in_atexit_handler;

/* igt_exit() was called, or an abort is in progress (see common_exit_handler). */
extern bool igt_core_exit_called;

/**
 * igt_core_internal_assert - abort on misuse of the API
 * @cond: condition that must hold
 * @fmt: explanation printed to stderr when @cond is false
 */
__attribute__((format(printf, 2, 3))) void igt_core_internal_assert(bool cond, const char *fmt,
								    ...);

/**
 * igt_core_may_fork - whether igt_fork() is allowed here
 *
 * Return: true inside a subtest or in an igt_simple_main test.
 */
bool igt_core_may_fork(void);

/**
 * igt_core_crash - account for a crash signal
 * @sig: the signal
 *
 * Records the failure (exit code 128 + @sig) and, inside a subtest, ends it
 * with CRASH by jumping back to the subtest block (does not return then).
 * Called from the fatal signal handler.
 */
void igt_core_crash(int sig);

/**
 * igt_core_reap_children - SIGKILL and reap the children of igt_fork()
 *
 * Used when a subtest ends while children are still around.
 */
void igt_core_reap_children(void);

/**
 * igt_core_log_buffer_reset - forget the buffered log lines
 *
 * Called when a (dynamic) subtest starts, so a failure dump only shows
 * what that subtest logged.
 */
void igt_core_log_buffer_reset(void);

/**
 * igt_core_log_buffer_dump - print the buffered log lines to stderr
 *
 * Prints "No log." when empty, else the lines between "**** DEBUG ****"
 * and "****  END  ****", then empties the buffer.
 */
void igt_core_log_buffer_dump(void);

/**
 * igt_core_set_log_domain_filter - print only messages of one log domain
 * @domain: domain name ("application" for messages without a domain), or NULL
 */
void igt_core_set_log_domain_filter(const char *domain);

/**
 * igt_core_enable_kmsg - let igt_kmsg() write to /dev/kmsg
 * @enable: true to write, false (the default) to drop the messages
 */
void igt_core_enable_kmsg(bool enable);

/**
 * igt_core_print_backtrace - print the call stack at info level
 */
void igt_core_print_backtrace(void);

/**
 * igt_core_reinit_after_fork - reset per-process locks in a new child
 */
void igt_core_reinit_after_fork(void);

#endif /* IGT_CORE_INTERNAL_H */
