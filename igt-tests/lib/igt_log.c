// SPDX-License-Identifier: MIT
/*
 * igt_log.c - logging, the failure log buffer and time helpers of the IGT
 * test-author API.
 */

/**
 * DOC: logging
 *
 * igt_info() and igt_debug() go to stdout, igt_warn() and igt_critical() to
 * stderr (which turns a passing subtest into "warn" under the runner). Every
 * line but INFO ones is prefixed "(<program>:<pid>) <LEVEL>: ". igt_debug()
 * is printed only with --debug or IGT_LOG_LEVEL=debug, but every line, shown
 * or not, also goes into a ring of the last 256 lines that igt_fail() dumps
 * to stderr between "**** DEBUG ****" and "****  END  ****". The ring is
 * emptied when a (dynamic) subtest starts. While only listing subtests,
 * messages below CRITICAL are dropped.
 */

#include <execinfo.h>
#include <pthread.h>

#include "igt_core.h"
#include "igt_core_internal.h"

enum igt_log_level igt_log_level = IGT_LOG_INFO;

static char *log_domain_filter;
static bool kmsg_enabled;
static clockid_t igt_clock = (clockid_t)-1;

/* Ring of recent log lines; @log_buffer_mutex guards it. */
#define LOG_BUFFER_SIZE 256
static struct {
	char *entries[LOG_BUFFER_SIZE];
	uint8_t start, end;
} log_buffer;
static pthread_mutex_t log_buffer_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Serialises printing, so lines of concurrent threads do not mix. */
static pthread_mutex_t print_mutex = PTHREAD_MUTEX_INITIALIZER;

/* The previous message of this thread did not end with a newline. */
static __thread bool log_line_continuation;

void igt_core_set_log_domain_filter(const char *domain)
{
	free(log_domain_filter);
	log_domain_filter = domain ? strdup(domain) : NULL;
}

void igt_core_enable_kmsg(bool enable)
{
	kmsg_enabled = enable;
}

void igt_core_reinit_after_fork(void)
{
	pthread_mutex_init(&print_mutex, NULL);
	pthread_mutex_init(&log_buffer_mutex, NULL);
}

/* ---- time ---- */

int igt_gettime(struct timespec *ts)
{
	static const clockid_t clocks[] = { CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE,
					    CLOCK_MONOTONIC };
	unsigned int i;

	memset(ts, 0, sizeof(*ts));
	errno = 0;

	if (igt_clock != (clockid_t)-1) {
		if (clock_gettime(igt_clock, ts) == 0)
			return 0;
		goto err;
	}

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (clock_gettime(clocks[i], ts) == 0) {
			igt_clock = clocks[i];
			return 0;
		}
	}
err:
	igt_warn("Could not read monotonic time: %s\n", strerror(errno));
	return -errno;
}

double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	if (!(then->tv_sec || then->tv_nsec) || !(now->tv_sec || now->tv_nsec))
		return -1.0;

	return (now->tv_sec - then->tv_sec) + (now->tv_nsec - then->tv_nsec) * 1e-9;
}

uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	if (!start->tv_sec && !start->tv_nsec) {
		*start = now;
		return 0;
	}

	return (uint64_t)(now.tv_nsec - start->tv_nsec) +
	       (uint64_t)NSEC_PER_SEC * (uint64_t)(now.tv_sec - start->tv_sec);
}

/* ---- logging ---- */

static void log_buffer_append(char *line)
{
	pthread_mutex_lock(&log_buffer_mutex);
	free(log_buffer.entries[log_buffer.end]);
	log_buffer.entries[log_buffer.end] = line;
	log_buffer.end++;
	if (log_buffer.end == log_buffer.start)
		log_buffer.start++;
	pthread_mutex_unlock(&log_buffer_mutex);
}

void igt_core_log_buffer_reset(void)
{
	pthread_mutex_lock(&log_buffer_mutex);
	log_buffer.start = log_buffer.end = 0;
	pthread_mutex_unlock(&log_buffer_mutex);
}

/* Print the buffered lines to stderr and empty the buffer. */
void igt_core_log_buffer_dump(void)
{
	uint8_t i;

	if (log_buffer.start == log_buffer.end) {
		fprintf(stderr, "No log.\n");
		return;
	}

	pthread_mutex_lock(&log_buffer_mutex);
	fprintf(stderr, "**** DEBUG ****\n");
	i = log_buffer.start;
	do {
		fputs(log_buffer.entries[i], stderr);
		i++;
	} while (i != log_buffer.start && i != log_buffer.end);
	log_buffer.start = log_buffer.end = 0;
	fprintf(stderr, "****  END  ****\n");
	pthread_mutex_unlock(&log_buffer_mutex);
	fflush(stderr);
}

void igt_log_buffer_inspect(igt_buffer_log_handler_t check, void *data)
{
	uint8_t i;

	pthread_mutex_lock(&log_buffer_mutex);
	i = log_buffer.start;
	while (i != log_buffer.end) {
		if (check(log_buffer.entries[i], data))
			break;
		i++;
	}
	pthread_mutex_unlock(&log_buffer_mutex);
}

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	igt_vlog(domain, level, format, args);
	va_end(args);
}

void igt_vlog(const char *domain, enum igt_log_level level, const char *format, va_list args)
{
	static const char *const level_str[] = { "DEBUG", "INFO", "WARNING", "CRITICAL", "NONE" };
	char *line, *formatted;
	size_t len;
	FILE *file;

	assert(format);
	assert(level <= IGT_LOG_NONE);

	if (igt_only_list_subtests() && level <= IGT_LOG_WARN)
		return;

	if (vasprintf(&line, format, args) < 0)
		return;

	if (log_line_continuation) {
		formatted = strdup(line);
	} else if (asprintf(&formatted, "(%s:%d) %s%s%s: %s", program_invocation_short_name,
			    getpid(), domain ? domain : "", domain ? "-" : "", level_str[level],
			    line) < 0) {
		formatted = NULL;
	}
	if (!formatted)
		goto out;

	len = strlen(line);
	log_line_continuation = len && line[len - 1] != '\n';

	/* The buffer keeps every line, printed or not, for the failure dump. */
	log_buffer_append(formatted);

	if (igt_log_level > level)
		goto out;

	if (log_domain_filter) {
		if (!domain && strcmp(log_domain_filter, "application"))
			goto out;
		if (domain && strcmp(log_domain_filter, domain))
			goto out;
	}

	file = level >= IGT_LOG_WARN ? stderr : stdout;
	pthread_mutex_lock(&print_mutex);
	fputs(level == IGT_LOG_INFO ? line : formatted, file);
	fflush(file);
	pthread_mutex_unlock(&print_mutex);
out:
	free(line);
}

void igt_kmsg(const char *format, ...)
{
	va_list ap;
	FILE *file;

	/* Opt-in here: tests run against a userspace model, not the kernel. */
	if (!kmsg_enabled)
		return;

	file = fopen("/dev/kmsg", "w");
	if (!file)
		return;

	va_start(ap, format);
	vfprintf(file, format, ap);
	va_end(ap);
	fclose(file);
}

void igt_core_print_backtrace(void)
{
	void *frames[64];
	char **symbols;
	int n, i;

	n = backtrace(frames, 64);
	symbols = backtrace_symbols(frames, n);
	if (!symbols) {
		igt_info("Stack trace: unavailable in this runtime\n");
		return;
	}

	igt_info("Stack trace:\n");
	/* Skip this function itself. */
	for (i = 1; i < n; i++)
		igt_info("  #%d %s\n", i - 1, symbols[i]);
	free(symbols);
}
