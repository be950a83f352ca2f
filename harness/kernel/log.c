// SPDX-License-Identifier: MIT
/*
 * Kernel log: printk-style messages with a level, and the BUG() path.
 *
 * The sink is the only global mutable state of this file: set by
 * tyrc_log_set_sink(), read by every tyrc_printk() call, and guarded by
 * log_lock. Until the first tyrc_log_set_sink() call messages up to
 * TYRC_LOG_ERR go to stderr (stderr is not a constant initialiser, so a flag
 * records that the default is still in force).
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <tyrc/log.h>

/*
 * log_lock - guards log_sink, log_sink_set and log_max_level, and serialises
 * writes so that every message is one uninterrupted line.
 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
/* log_sink - destination stream; NULL discards (log_lock). */
static FILE *log_sink;
/* log_sink_set - false while the stderr default applies (log_lock). */
static bool log_sink_set;
/* log_max_level - messages above this level are dropped (log_lock). */
static enum tyrc_log_level log_max_level = TYRC_LOG_ERR;

void tyrc_log_set_sink(FILE *f, enum tyrc_log_level max_level)
{
	pthread_mutex_lock(&log_lock);
	log_sink = f;
	log_sink_set = true;
	log_max_level = max_level;
	pthread_mutex_unlock(&log_lock);
}

static const char *level_tag(enum tyrc_log_level level)
{
	switch (level) {
	case TYRC_LOG_ERR:
		return "[ERR]";
	case TYRC_LOG_WARN:
		return "[WARN]";
	case TYRC_LOG_INFO:
		return "[INFO]";
	case TYRC_LOG_DEBUG:
		return "[DEBUG]";
	}
	return "[?]";
}

/* Write @msg as exactly one line: inner newlines become spaces, trailing ones go. */
static void put_line(FILE *f, const char *tag, char *msg)
{
	size_t len = strlen(msg);

	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	}
	fprintf(f, "%s %s\n", tag, msg);
	fflush(f);
}

void tyrc_printk(enum tyrc_log_level level, const char *fmt, ...)
{
	char stack_buf[512];
	char *msg = stack_buf;
	FILE *f;
	va_list ap;
	int len;

	pthread_mutex_lock(&log_lock);
	f = log_sink_set ? log_sink : stderr;
	if (!f || level > log_max_level) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	pthread_mutex_unlock(&log_lock);

	/* Format outside the lock; only long messages need the heap. */
	va_start(ap, fmt);
	len = vsnprintf(stack_buf, sizeof(stack_buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(stack_buf)) {
		msg = malloc((size_t)len + 1);
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)len + 1, fmt, ap);
			va_end(ap);
		} else {
			msg = stack_buf; /* print it truncated */
		}
	}

	/* The sink may have changed meanwhile; re-read it under the lock. */
	pthread_mutex_lock(&log_lock);
	f = log_sink_set ? log_sink : stderr;
	if (f && level <= log_max_level)
		put_line(f, level_tag(level), msg);
	pthread_mutex_unlock(&log_lock);

	if (msg != stack_buf)
		free(msg);
}

void tyrc_bug(const char *file, int line, const char *what)
{
	FILE *f = NULL;
	void *frames[32];
	int n;

	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, what);
	fflush(stderr);
	n = backtrace(frames, ARRAY_SIZE(frames));
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	/*
	 * Also tell the configured sink (e.g. the host's log file), but never
	 * wait for the lock: the bug may have fired while it is held.
	 */
	if (pthread_mutex_trylock(&log_lock) == 0) {
		if (log_sink_set && log_sink != stderr)
			f = log_sink;
		if (f) {
			fprintf(f, "[BUG] %s:%d: %s\n", file, line, what);
			fflush(f);
		}
		pthread_mutex_unlock(&log_lock);
	}
	abort();
}
