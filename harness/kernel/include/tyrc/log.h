/* SPDX-License-Identifier: MIT */
/*
 * Kernel log: printk-like messages with a level. Messages go to the sink set
 * with tyrc_log_set_sink() (the host points it at its log file or stderr);
 * by default only errors are printed, on stderr. BUG/WARN helpers live here.
 */
#ifndef TYRC_LOG_H
#define TYRC_LOG_H

#include <stdio.h>
#include "types.h"

enum tyrc_log_level {
	TYRC_LOG_ERR = 3,
	TYRC_LOG_WARN = 4,
	TYRC_LOG_INFO = 6,
	TYRC_LOG_DEBUG = 7,
};

/**
 * tyrc_log_set_sink() - choose where kernel messages go and how verbose.
 * @f: stream (NULL = discard everything)
 * @max_level: messages with a level above this are dropped
 */
void tyrc_log_set_sink(FILE *f, enum tyrc_log_level max_level);

/** tyrc_printk() - print a message with a level; thread-safe, one line each call. */
void tyrc_printk(enum tyrc_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define tyrc_err(fmt, ...) tyrc_printk(TYRC_LOG_ERR, fmt, ##__VA_ARGS__)
#define tyrc_warn(fmt, ...) tyrc_printk(TYRC_LOG_WARN, fmt, ##__VA_ARGS__)
#define tyrc_info(fmt, ...) tyrc_printk(TYRC_LOG_INFO, fmt, ##__VA_ARGS__)
#define tyrc_dbg(fmt, ...) tyrc_printk(TYRC_LOG_DEBUG, fmt, ##__VA_ARGS__)

/** tyrc_bug() - report a broken invariant with its location and abort. */
void tyrc_bug(const char *file, int line, const char *what) __attribute__((noreturn));

#define TYRC_BUG_ON(cond)                                    \
	do {                                                 \
		if (__builtin_expect(!!(cond), 0))           \
			tyrc_bug(__FILE__, __LINE__, #cond); \
	} while (0)

/* Logs once per call site-less evaluation, evaluates to the condition like WARN_ON. */
#define TYRC_WARN_ON(cond)                                                            \
	({                                                                            \
		bool __c = !!(cond);                                                  \
		if (__builtin_expect(__c, 0))                                         \
			tyrc_warn("WARNING at %s:%d: %s", __FILE__, __LINE__, #cond); \
		__c;                                                                  \
	})

#endif /* TYRC_LOG_H */
