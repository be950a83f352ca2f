// SPDX-License-Identifier: MIT
/* Kernel log: sink, level filter, one line per message, BUG/WARN. */
#include <pthread.h>

#include "test_util.h"

/* Read the whole of @f into a fresh buffer (caller frees). */
static char *slurp(FILE *f)
{
	long len;
	char *buf;

	fflush(f);
	len = ftell(f);
	assert_true(len >= 0);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fseek(f, 0, SEEK_END);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int teardown_restore(void **state)
{
	tyrc_log_set_sink(stderr, TYRC_LOG_ERR);
	return 0;
}

static void test_level_filter_and_tags(void **state)
{
	FILE *f = tmpfile();
	char *out;

	assert_non_null(f);
	tyrc_log_set_sink(f, TYRC_LOG_WARN);
	tyrc_err("e %d", 1);
	tyrc_warn("w %s", "two");
	tyrc_info("dropped info");
	tyrc_dbg("dropped debug");
	out = slurp(f);
	assert_string_equal(out, "[ERR] e 1\n[WARN] w two\n");
	free(out);

	tyrc_log_set_sink(f, TYRC_LOG_DEBUG);
	tyrc_info("i");
	tyrc_dbg("d");
	out = slurp(f);
	assert_non_null(strstr(out, "[INFO] i\n[DEBUG] d\n"));
	free(out);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	fclose(f);
}

static void test_one_line_per_message(void **state)
{
	FILE *f = tmpfile();
	char long_msg[2000];
	char *out;

	assert_non_null(f);
	tyrc_log_set_sink(f, TYRC_LOG_DEBUG);
	tyrc_err("trailing newline\n");
	tyrc_err("inner\nnewline");
	memset(long_msg, 'x', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	tyrc_err("%s", long_msg);
	out = slurp(f);
	assert_int_equal(count_lines(out), 3);
	assert_non_null(strstr(out, "[ERR] trailing newline\n"));
	assert_non_null(strstr(out, "[ERR] inner newline\n"));
	/* Long messages are not truncated. */
	assert_int_equal(strlen(out), strlen("[ERR] trailing newline\n[ERR] inner newline\n") +
					      strlen("[ERR] ") + sizeof(long_msg) - 1 + 1);
	free(out);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	fclose(f);
}

static void test_null_sink_discards(void **state)
{
	FILE *f = tmpfile();
	char *out;

	assert_non_null(f);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	tyrc_err("lost");
	tyrc_log_set_sink(f, TYRC_LOG_ERR);
	tyrc_err("kept");
	out = slurp(f);
	assert_string_equal(out, "[ERR] kept\n");
	free(out);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	fclose(f);
}

static void test_warn_on_value_and_log(void **state)
{
	FILE *f = tmpfile();
	char *out;
	int x = 3;

	assert_non_null(f);
	tyrc_log_set_sink(f, TYRC_LOG_WARN);
	assert_false(TYRC_WARN_ON(x == 4));
	assert_true(TYRC_WARN_ON(x == 3));
	out = slurp(f);
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "[WARN] WARNING at "));
	assert_non_null(strstr(out, "test_log.c"));
	assert_non_null(strstr(out, "x == 3"));
	free(out);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	fclose(f);
}

#define LOG_THREADS 4
#define LOG_LINES 500

static void *log_worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < LOG_LINES; i++)
		tyrc_info("thread %ld line %d abcdefghijklmnopqrstuvwxyz", id, i);
	return NULL;
}

static void test_concurrent_lines_intact(void **state)
{
	pthread_t th[LOG_THREADS];
	FILE *f = tmpfile();
	char *out, *line, *save;
	int n = 0;

	assert_non_null(f);
	tyrc_log_set_sink(f, TYRC_LOG_INFO);
	for (long i = 0; i < LOG_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, log_worker, (void *)i), 0);
	for (int i = 0; i < LOG_THREADS; i++)
		pthread_join(th[i], NULL);
	tyrc_log_set_sink(NULL, TYRC_LOG_DEBUG);
	out = slurp(f);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long id;
		int i, end = 0;

		assert_int_equal(sscanf(line,
					"[INFO] thread %ld line %d abcdefghijklmnopqrstuvwxyz%n",
					&id, &i, &end),
				 2);
		assert_int_equal((size_t)end, strlen(line));
		n++;
	}
	assert_int_equal(n, LOG_THREADS * LOG_LINES);
	free(out);
	fclose(f);
}

static void call_bug(void *arg)
{
	tyrc_bug("somewhere.c", 42, "the invariant");
}

static void test_bug_reports_and_aborts(void **state)
{
	char msg[512];

	test_expect_abort(call_bug, NULL, msg, sizeof(msg));
	assert_non_null(strstr(msg, "BUG: somewhere.c:42: the invariant"));
}

static void bug_on_true(void *arg)
{
	int *v = arg;

	TYRC_BUG_ON(*v != 0);
}

static void test_bug_on_aborts_with_location(void **state)
{
	char msg[512];
	int v = 1;

	test_expect_abort(bug_on_true, &v, msg, sizeof(msg));
	assert_non_null(strstr(msg, "test_log.c"));
	assert_non_null(strstr(msg, "*v != 0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_level_filter_and_tags, teardown_restore),
		cmocka_unit_test_teardown(test_one_line_per_message, teardown_restore),
		cmocka_unit_test_teardown(test_null_sink_discards, teardown_restore),
		cmocka_unit_test_teardown(test_warn_on_value_and_log, teardown_restore),
		cmocka_unit_test_teardown(test_concurrent_lines_intact, teardown_restore),
		cmocka_unit_test(test_bug_reports_and_aborts),
		cmocka_unit_test(test_bug_on_aborts_with_location),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
