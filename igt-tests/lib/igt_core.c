// SPDX-License-Identifier: MIT
/*
 * igt_core.c - option parsing, subtest selection, results, skips and failures
 * of the IGT test-author API (logging: igt_log.c, processes: igt_fork.c).
 */

/**
 * DOC: igt core
 *
 * A test binary runs its igt_main body exactly once. Every igt_subtest block
 * asks __igt_run_subtest() whether it should run; in listing modes the answer
 * is always "no" and the name is printed instead. Control leaves a subtest
 * (or fixture, or dynamic subtest) through siglongjmp() back to the
 * sigsetjmp() in its block macro: igt_success() at the block end,
 * igt_skip()/igt_fail() from anywhere below it.
 *
 * State machine of one process (all fields below are plain statics, the API
 * is single-threaded like upstream's):
 *
 *  - @in_fixture: inside an igt_fixture block.
 *  - @in_subtest / @in_dynamic_subtest: name of the running (dynamic) subtest.
 *  - @dynamic_tests_executed: -1 outside a dynamic container, else the number
 *    of non-skipped dynamic subtests entered so far.
 *  - @skip_subtests_henceforth: set by a fixture skip/failure; saved and
 *    restored by igt_subtest_group so it stays scoped to the group.
 *  - @skipped_one / @succeeded_one / @failed_one: decide the exit code.
 *
 * Output matches upstream IGT line for line (reference/igt-api.md section 3),
 * except that the "Starting subtest" and result sentinels are always copied
 * to stderr (upstream does so when IGT_SENTINEL_ON_STDERR is set, which
 * igt_runner always sets).
 */

#include <ctype.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "igt_core.h"
#include "igt_core_internal.h"
#include "drmtest.h"

#ifndef IGT_PACKAGE_VERSION
#define IGT_PACKAGE_VERSION "0.0.0"
#endif
#ifndef IGT_GIT_SHA1
#define IGT_GIT_SHA1 "tyrc"
#endif
#ifndef IGT_TARGET_CPU_PLATFORM
#define IGT_TARGET_CPU_PLATFORM "unknown"
#endif

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;
bool __igt_plain_output;
bool igt_core_exit_called;

static const char *command_str;
static bool test_with_subtests;
static bool list_subtests;
static bool show_testlist;
static bool describe_subtests;
static char *run_single_subtest;
static char *run_single_dynamic_subtest;
static bool run_single_subtest_found;
static const char *in_subtest;
static const char *in_dynamic_subtest;
static struct timespec subtest_time;
static struct timespec dynamic_subtest_time;
static bool in_fixture;
static enum { CONT = 0, SKIP, FAIL } skip_subtests_henceforth = CONT;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static bool skipped_one;
static bool succeeded_one;
static bool failed_one;
static bool dynamic_failed_one;
static int dynamic_tests_executed = -1;

/* Descriptions: the pending igt_describe() text and one entry per open group. */
static char current_description[512];
static char **group_descriptions;
static int group_description_count;

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_DESCRIBE_SUBTESTS,
	OPT_RUN_SUBTEST,
	OPT_RUN_DYNAMIC_SUBTEST,
	OPT_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_HOOK,
	OPT_HELP_HOOK,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_HELP = 'h'
};

static const struct option std_long_opts[] = {
	{ "list-subtests", no_argument, NULL, OPT_LIST_SUBTESTS },
	{ "show-testlist", no_argument, NULL, OPT_SHOW_TESTLIST },
	{ "describe", optional_argument, NULL, OPT_DESCRIBE_SUBTESTS },
	{ "run-subtest", required_argument, NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest", required_argument, NULL, OPT_RUN_DYNAMIC_SUBTEST },
	{ "help-description", no_argument, NULL, OPT_DESCRIPTION },
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "interactive-debug", optional_argument, NULL, OPT_INTERACTIVE_DEBUG },
	{ "skip-crc-compare", no_argument, NULL, OPT_SKIP_CRC },
	{ "trace-on-oops", no_argument, NULL, OPT_TRACE_OOPS },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "help-hook", no_argument, NULL, OPT_HELP_HOOK },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

#define STD_LONG_OPTS_COUNT (sizeof(std_long_opts) / sizeof(std_long_opts[0]))

static const char std_short_opts[] = "h";

__noreturn static void exit_subtest(const char *result);

void igt_core_internal_assert(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "please refer to lib/igt_core documentation\n");
	abort();
}

#define internal_assert igt_core_internal_assert

const char *igt_test_name(void)
{
	return command_str;
}

const char *igt_subtest_name(void)
{
	return in_subtest;
}

const char *igt_dynamic_subtest_name(void)
{
	return in_dynamic_subtest;
}

bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist;
}

bool igt_can_fail(void)
{
	return !test_with_subtests || in_fixture || in_subtest;
}

bool igt_core_may_fork(void)
{
	return !test_with_subtests || in_subtest;
}

/* Print the recent log to stderr after a failure. */
static void log_buffer_dump(void)
{
	/*
	 * A dynamic container failing because one of its dynamic subtests
	 * failed: that subtest already dumped the useful part.
	 */
	if (in_subtest && !in_dynamic_subtest && dynamic_tests_executed >= 0) {
		igt_core_log_buffer_reset();
		return;
	}

	if (in_dynamic_subtest)
		fprintf(stderr, "Dynamic subtest %s failed.\n", in_dynamic_subtest);
	else if (in_subtest)
		fprintf(stderr, "Subtest %s failed.\n", in_subtest);
	else
		fprintf(stderr, "Test %s failed.\n", command_str);

	igt_core_log_buffer_dump();
}

/* ---- sentinel lines ---- */

static void subtest_starting_message(bool dynamic, const char *name)
{
	const char *kind = dynamic ? "dynamic subtest" : "subtest";

	igt_info("Starting %s: %s\n", kind, name);
	fflush(stdout);
	fprintf(stderr, "Starting %s: %s\n", kind, name);
	fflush(stderr);
}

static void subtest_result_message(bool dynamic, const char *name, const char *result,
				   double elapsed)
{
	const char *kind = dynamic ? "Dynamic subtest" : "Subtest";

	printf("%s%s %s: %s (%.3fs)%s\n", __igt_plain_output ? "" : "\x1b[1m", kind, name, result,
	       elapsed, __igt_plain_output ? "" : "\x1b[0m");
	fflush(stdout);
	fprintf(stderr, "%s %s: %s (%.3fs)\n", kind, name, result, elapsed);
	fflush(stderr);
}

/* ---- descriptions ---- */

static void print_line_wrapping(const char *indent, const char *text)
{
	const int width = 80 - (int)strlen(indent);
	char *copy = strdup(text);
	char *word, *save = NULL;
	int col = 0;

	if (!copy)
		return;

	printf("%s", indent);
	for (word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		int wlen = (int)strlen(word);

		if (col && col + 1 + wlen > width) {
			printf("\n%s", indent);
			col = 0;
		}
		printf(col ? " %s" : "%s", word);
		col += (col ? 1 : 0) + wlen;
	}
	printf("\n");
	free(copy);
}

static void print_test_description(void)
{
	if (&__igt_test_description && __igt_test_description) {
		print_line_wrapping("", __igt_test_description);
		if (describe_subtests)
			printf("\n");
	}
}

static void clear_current_description(void)
{
	current_description[0] = '\0';
}

static void print_subtest_description(const char *name, const char *file, int line)
{
	bool has_doc = false;
	int i;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (i = 0; i < group_description_count; i++) {
		print_line_wrapping("  ", group_descriptions[i]);
		printf("\n");
		has_doc = true;
	}
	if (current_description[0]) {
		print_line_wrapping("  ", current_description);
		printf("\n");
		has_doc = true;
	}
	if (!has_doc)
		printf("  NO DOCUMENTATION!\n\n");
}

void igt_describe_f(const char *fmt, ...)
{
	va_list args;
	int ret;

	internal_assert(
		!in_subtest || dynamic_tests_executed < 0,
		"documenting dynamic subsubtests is impossible, document the subtest instead.\n");

	if (!describe_subtests)
		return;

	va_start(args, fmt);
	ret = vsnprintf(current_description, sizeof(current_description), fmt, args);
	va_end(args);
	assert(ret >= 0 && (size_t)ret < sizeof(current_description));
}

void __igt_subtest_group_save(int *save, int *desc)
{
	internal_assert(test_with_subtests,
			"igt_subtest_group is not allowed in igt_simple_main\n");

	*desc = 0;
	if (current_description[0]) {
		char **grown =
			realloc(group_descriptions, (group_description_count + 1) * sizeof(*grown));

		assert(grown);
		group_descriptions = grown;
		group_descriptions[group_description_count] = strdup(current_description);
		assert(group_descriptions[group_description_count]);
		group_description_count++;
		clear_current_description();
		*desc = 1;
	}

	*save = skip_subtests_henceforth;
}

void __igt_subtest_group_restore(int save, int desc)
{
	if (desc) {
		assert(group_description_count > 0);
		group_description_count--;
		free(group_descriptions[group_description_count]);
	}

	skip_subtests_henceforth = save;
}

/* ---- subtest selection ---- */

/* Match one wildmat pattern; "[^...]" is accepted like "[!...]". */
static bool wildmat_one(const char *text, const char *pattern)
{
	char *pat = strdup(pattern);
	char *p;
	bool match;

	assert(pat);
	for (p = pat; (p = strstr(p, "[^")); p += 2)
		p[1] = '!';
	match = fnmatch(pat, text, 0) == 0;
	free(pat);

	return match;
}

/*
 * RFC 3977 wildmat as used by IGT: a comma-separated list of patterns, a
 * leading '!' negates one; the last pattern that matches decides.
 */
static bool igt_wildmat(const char *text, const char *patterns)
{
	char *list = strdup(patterns);
	char *p, *start;
	bool in_bracket = false;
	bool matched = false;

	assert(list);
	for (p = start = list;; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '[' && !in_bracket) {
			in_bracket = true;
			if (p[1] == '!' || p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;
			continue;
		}
		if (*p == ']' && in_bracket) {
			in_bracket = false;
			continue;
		}
		if ((*p == ',' && !in_bracket) || !*p) {
			bool last = !*p;
			bool negate = *start == '!';

			*p = '\0';
			if (wildmat_one(text, start + negate))
				matched = !negate;
			if (last)
				break;
			start = p + 1;
		}
	}
	free(list);

	return matched;
}

static bool valid_name_for_subtest(const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		if (*p != '_' && *p != '-' && !isalnum(*p))
			return false;

	return *name != '\0';
}

/*
 * Names end up in result files and command lines, so a bad one is a bug in
 * the test: stop the whole binary (upstream ends up in an assert() too).
 */
__noreturn static void invalid_name_abort(const char *kind, const char *name)
{
	igt_critical("Invalid %s name \"%s\".\n", kind, name);
	igt_core_exit_called = true;
	fflush(NULL);
	abort();
}

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line)
{
	internal_assert(!igt_can_fail(),
			"igt_subtest can be nested only in igt_main or igt_subtest_group\n");

	if (!valid_name_for_subtest(subtest_name))
		invalid_name_abort("subtest", subtest_name);

	if (run_single_subtest) {
		if (!igt_wildmat(subtest_name, run_single_subtest)) {
			clear_current_description();
			return false;
		}
		run_single_subtest_found = true;
	}

	if (describe_subtests) {
		print_subtest_description(subtest_name, file, line);
		clear_current_description();
		return false;
	} else if (show_testlist) {
		printf("igt@%s@%s\n", igt_test_name(), subtest_name);
		return false;
	} else if (list_subtests) {
		printf("%s\n", subtest_name);
		return false;
	}

	if (skip_subtests_henceforth) {
		subtest_result_message(false, subtest_name,
				       skip_subtests_henceforth == SKIP ? "SKIP" : "FAIL", 0.0);
		return false;
	}

	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", command_str, subtest_name);
	subtest_starting_message(false, subtest_name);
	igt_core_log_buffer_reset();
	igt_gettime(&subtest_time);
	in_subtest = subtest_name;

	return true;
}

bool __igt_enter_dynamic_container(void)
{
	dynamic_tests_executed = 0;
	dynamic_failed_one = false;

	return true;
}

bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name)
{
	internal_assert(in_subtest && dynamic_tests_executed >= 0,
			"igt_dynamic is allowed only inside igt_subtest_with_dynamic\n");
	internal_assert(!in_dynamic_subtest,
			"igt_dynamic is not allowed to be nested in another igt_dynamic\n");

	if (!valid_name_for_subtest(dynamic_subtest_name))
		invalid_name_abort("dynamic subtest", dynamic_subtest_name);

	if (run_single_dynamic_subtest &&
	    !igt_wildmat(dynamic_subtest_name, run_single_dynamic_subtest))
		return false;

	igt_kmsg(KMSG_INFO "%s: starting dynamic subtest %s\n", command_str, dynamic_subtest_name);
	subtest_starting_message(true, dynamic_subtest_name);
	igt_core_log_buffer_reset();
	dynamic_tests_executed++;
	igt_gettime(&dynamic_subtest_time);
	in_dynamic_subtest = dynamic_subtest_name;

	return true;
}

/* ---- fixtures ---- */

void __igt_assert_in_outer_scope(void)
{
	internal_assert(!in_subtest, "must only be called outside of a subtest\n");
}

bool __igt_fixture(void)
{
	internal_assert(!in_fixture, "nesting multiple igt_fixtures is invalid\n");
	internal_assert(!in_subtest, "nesting igt_fixture in igt_subtest is invalid\n");
	internal_assert(test_with_subtests, "igt_fixture in igt_simple_main is invalid\n");

	if (igt_only_list_subtests())
		return false;
	if (skip_subtests_henceforth)
		return false;

	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	assert(in_fixture);
	in_fixture = false;
}

void __igt_fixture_end(void)
{
	assert(in_fixture);
	in_fixture = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

/* ---- results ---- */

__noreturn static void exit_subtest(const char *result)
{
	bool dynamic = in_dynamic_subtest != NULL;
	const char **name = dynamic ? &in_dynamic_subtest : &in_subtest;
	struct timespec *then = dynamic ? &dynamic_subtest_time : &subtest_time;
	sigjmp_buf *target = dynamic ? &igt_dynamic_jmpbuf : &igt_subtest_jmpbuf;
	struct timespec now;

	igt_gettime(&now);
	subtest_result_message(dynamic, *name, result, igt_time_elapsed(then, &now));
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str, *name, result);

	/* A subtest that bailed out may have left children behind. */
	igt_core_reap_children();

	if (!dynamic)
		dynamic_tests_executed = -1;
	else
		igt_core_log_buffer_reset();

	*name = NULL;
	siglongjmp(*target, 1);
}

void igt_success(void)
{
	if (in_subtest && !in_dynamic_subtest && dynamic_tests_executed >= 0) {
		/* Leaving a dynamic container: its result comes from its children. */
		if (dynamic_failed_one)
			igt_fail(IGT_EXIT_FAILURE);
		if (dynamic_tests_executed == 0)
			igt_skip("No dynamic tests executed.\n");
	}

	if (!in_dynamic_subtest)
		succeeded_one = true;

	if (in_subtest)
		exit_subtest("SUCCESS");
}

void igt_skip(const char *f, ...)
{
	va_list args;

	skipped_one = true;

	internal_assert(!igt_core_test_child, "skips are not allowed in forks\n");

	if (!igt_only_list_subtests()) {
		va_start(args, f);
		vprintf(f, args);
		va_end(args);
		fflush(stdout);
	}

	if (in_subtest) {
		/* Skipped dynamic subtests do not count for the container. */
		if (in_dynamic_subtest)
			dynamic_tests_executed--;
		exit_subtest("SKIP");
	} else if (test_with_subtests) {
		skip_subtests_henceforth = SKIP;
		internal_assert(
			in_fixture,
			"skipping is allowed only in fixtures, subtests or igt_simple_main\n");
		__igt_fixture_end();
	} else {
		igt_exitcode = IGT_EXIT_SKIP;
		igt_exit();
	}
}

void __igt_skip_check(const char *file, const int line, const char *func, const char *check,
		      const char *f, ...)
{
	/* igt_skip() never returns: keep the strings reachable instead of leaking. */
	static char *err_str;
	static char *buf;
	int err = errno;
	va_list args;

	free(err_str);
	err_str = NULL;
	if (err && asprintf(&err_str, "Last errno: %i, %s\n", err, strerror(err)) < 0)
		err_str = NULL;

	if (f) {
		free(buf);
		va_start(args, f);
		if (vasprintf(&buf, f, args) < 0)
			buf = NULL;
		va_end(args);

		igt_skip("Test requirement not met in function %s, file %s:%i:\n"
			 "Test requirement: %s\n%s%s",
			 func, file, line, check, buf ? buf : "", err_str ? err_str : "");
	}

	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s",
		 func, file, line, check, err_str ? err_str : "");
}

void igt_fail(int exitcode)
{
	assert(exitcode != IGT_EXIT_SUCCESS && exitcode != IGT_EXIT_SKIP);

	/* An assert failing inside an exit handler: nothing left to unwind. */
	if (igt_core_in_atexit_handler)
		_exit(IGT_EXIT_FAILURE);

	if (in_dynamic_subtest) {
		dynamic_failed_one = true;
	} else {
		internal_assert(
			dynamic_tests_executed < 0 || dynamic_failed_one,
			"failing directly in igt_subtest_with_dynamic is not allowed, use igt_dynamic\n");
		if (!failed_one)
			igt_exitcode = exitcode;
		failed_one = true;
	}

	log_buffer_dump();

	if (igt_core_test_child)
		exit(exitcode);

	if (in_subtest)
		exit_subtest("FAIL");

	internal_assert(igt_can_fail(),
			"failing test is only allowed in fixtures, subtests and igt_simple_main\n");

	if (in_fixture) {
		skip_subtests_henceforth = FAIL;
		__igt_fixture_end();
	}

	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, const int line, const char *func,
		       const char *assertion, const char *f, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL, "Test assertion failure function %s, file %s:%i:\n", func,
		file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err, strerror(err));

	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	igt_core_print_backtrace();
	igt_fail(IGT_EXIT_FAILURE);
}

void __igt_abort(const char *domain, const char *file, const int line, const char *func,
		 const char *expression, const char *f, ...)
{
	int err = errno;
	va_list args;

	igt_core_exit_called = true;

	igt_log(domain, IGT_LOG_CRITICAL, "Test abort in function %s, file %s:%i:\n", func, file,
		line);
	igt_log(domain, IGT_LOG_CRITICAL, "abort condition: %s\n", expression);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err, strerror(err));

	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	igt_kill_children(SIGKILL);
	igt_core_print_backtrace();
	log_buffer_dump();
	exit(IGT_EXIT_ABORT);
}

void igt_core_crash(int sig)
{
	if (!failed_one)
		igt_exitcode = 128 + sig;
	failed_one = true;

	if (in_subtest)
		exit_subtest("CRASH");
}

void igt_exit(void)
{
	igt_core_exit_called = true;

	if (run_single_subtest && !run_single_subtest_found) {
		igt_critical("Unknown subtest: %s\n", run_single_subtest);
		exit(IGT_EXIT_INVALID);
	}

	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	/* Every test must have entered at least one subtest (or skipped). */
	assert(!test_with_subtests || skipped_one || succeeded_one || failed_one);

	if (test_with_subtests && !failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;

	if (command_str)
		igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", command_str, igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);

	igt_core_reap_children();

	if (!test_with_subtests) {
		struct timespec now;
		const char *result;

		if (igt_exitcode == IGT_EXIT_SUCCESS)
			result = "SUCCESS";
		else if (igt_exitcode == IGT_EXIT_SKIP)
			result = "SKIP";
		else
			result = "FAIL";

		igt_gettime(&now);
		printf("%s (%.3fs)\n", result, igt_time_elapsed(&subtest_time, &now));
	}

	fflush(NULL);
	exit(igt_exitcode);
}

/* ---- initialisation ---- */

static void print_version(void)
{
	struct utsname uts;

	if (igt_only_list_subtests())
		return;

	uname(&uts);
	igt_info("IGT-Version: %s-%s (%s) (%s: %s %s)\n", IGT_PACKAGE_VERSION, IGT_GIT_SHA1,
		 IGT_TARGET_CPU_PLATFORM, uts.sysname, uts.release, uts.machine);
}

static void print_usage(const char *help_str, bool output_on_stderr)
{
	FILE *f = output_on_stderr ? stderr : stdout;

	fprintf(f, "Usage: %s [OPTIONS]\n", command_str);
	fprintf(f, "  --list-subtests\n"
		   "  --show-testlist\n"
		   "  --run-subtest <pattern>\n"
		   "  --dynamic-subtest <pattern>\n"
		   "  --debug[=log-domain]\n"
		   "  --interactive-debug[=domain]\n"
		   "  --skip-crc-compare\n"
		   "  --trace-on-oops\n"
		   "  --hook [<events>:]<cmd>\n"
		   "  --help-hook\n"
		   "  --help-description\n"
		   "  --describe\n"
		   "  --device filters\n"
		   "  --version\n"
		   "  --help|-h\n");
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

void igt_srandom(void)
{
	const char *param = getenv("IGT_SRANDOM");
	int seed = param ? atoi(param) : (int)time(NULL);

	srandom(seed);
	igt_info("Using IGT_SRANDOM=%d for randomisation\n", seed);
}

static void common_init_env(void)
{
	const char *env;

	if (!isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT"))
		__igt_plain_output = true;
	errno = 0; /* isatty() leaves ENOTTY behind */

	env = getenv("IGT_LOG_LEVEL");
	if (env) {
		if (!strcmp(env, "debug"))
			igt_log_level = IGT_LOG_DEBUG;
		else if (!strcmp(env, "info"))
			igt_log_level = IGT_LOG_INFO;
		else if (!strcmp(env, "warn"))
			igt_log_level = IGT_LOG_WARN;
		else if (!strcmp(env, "none"))
			igt_log_level = IGT_LOG_NONE;
	}

	env = getenv("IGT_FORCE_DRIVER");
	if (env)
		__set_forced_driver(env);

	env = getenv("IGT_KMSG");
	igt_core_enable_kmsg(env && !strcmp(env, "1"));
}

/* Abort on an extra option that collides with a standard one, like upstream. */
static void check_extra_opts(const char *extra_short_opts, const struct option *extra_long_opts)
{
	const struct option *e, *s;
	const char *c;

	for (e = extra_long_opts; e && e->name; e++) {
		for (s = std_long_opts; s->name; s++) {
			internal_assert(strcmp(e->name, s->name),
					"Conflicting extra long option defined --%s\n", s->name);
			internal_assert(
				e->val != s->val,
				"Conflicting long option 'val' representation between --%s and --%s\n",
				e->name, s->name);
		}
		internal_assert(e->val == ':' || !strchr(std_short_opts, e->val) || !e->val,
				"Conflicting long and short option 'val' representation for --%s\n",
				e->name);
	}

	for (c = extra_short_opts; c && *c; c++) {
		if (*c == ':')
			continue;
		internal_assert(!strchr(std_short_opts, *c), "Conflicting short option: -%c\n", *c);
		for (s = std_long_opts; s->name; s++)
			internal_assert(
				s->val != *c,
				"Conflicting short option and long option 'val' representation: --%s and -%c\n",
				s->name, *c);
	}
}

static void common_exit_handler(int sig)
{
	/* Leaving main() without igt_exit() would lose the result. */
	assert(sig != 0 || igt_core_exit_called);
}

static void set_run_subtest(const char *pattern)
{
	const char *at = strchr(pattern, '@');

	free(run_single_subtest);
	if (at && !strchr(pattern, ',') && !run_single_dynamic_subtest) {
		/* "parent@dynamic" selects one dynamic subtest of one subtest. */
		run_single_subtest = strndup(pattern, at - pattern);
		run_single_dynamic_subtest = strdup(at + 1);
		assert(run_single_dynamic_subtest);
	} else {
		run_single_subtest = strdup(pattern);
	}
	assert(run_single_subtest);
}

static int common_init(int *argc, char **argv, const char *extra_short_opts,
		       const struct option *extra_long_opts, const char *help_str,
		       igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	struct option *long_opts;
	size_t extra_count = 0;
	char *short_opts;
	int c, i, option_index = 0, ret = 0;

	common_init_env();

	command_str = argv[0];
	if (strrchr(command_str, '/'))
		command_str = strrchr(command_str, '/') + 1;

	check_extra_opts(extra_short_opts, extra_long_opts);
	while (extra_long_opts && extra_long_opts[extra_count].name)
		extra_count++;

	long_opts = calloc(extra_count + STD_LONG_OPTS_COUNT, sizeof(*long_opts));
	assert(long_opts);
	if (extra_count)
		memcpy(long_opts, extra_long_opts, extra_count * sizeof(*long_opts));
	memcpy(long_opts + extra_count, std_long_opts, sizeof(std_long_opts));

	if (asprintf(&short_opts, "%s%s", extra_short_opts ? extra_short_opts : "",
		     std_short_opts) < 0)
		abort();

	while ((c = getopt_long(*argc, argv, short_opts, long_opts, &option_index)) != -1) {
		switch (c) {
		case OPT_INTERACTIVE_DEBUG:
		case OPT_SKIP_CRC:
		case OPT_TRACE_OOPS:
		case OPT_HOOK:
			/* Accepted for compatibility; nothing to do without a kernel. */
			break;
		case OPT_DEBUG:
			igt_log_level = IGT_LOG_DEBUG;
			if (optarg && *optarg) {
				igt_core_set_log_domain_filter(optarg);
			}
			break;
		case OPT_LIST_SUBTESTS:
			if (!run_single_subtest)
				list_subtests = true;
			break;
		case OPT_SHOW_TESTLIST:
			show_testlist = true;
			break;
		case OPT_DESCRIBE_SUBTESTS:
			if (optarg)
				set_run_subtest(optarg);
			list_subtests = true;
			describe_subtests = true;
			print_test_description();
			break;
		case OPT_RUN_SUBTEST:
			if (!igt_only_list_subtests())
				set_run_subtest(optarg);
			break;
		case OPT_RUN_DYNAMIC_SUBTEST:
			if (!igt_only_list_subtests()) {
				free(run_single_dynamic_subtest);
				run_single_dynamic_subtest = strdup(optarg);
			}
			break;
		case OPT_DESCRIPTION:
			print_test_description();
			ret = -1;
			goto out;
		case OPT_HELP_HOOK:
			printf("Hooks are not supported by the tyrc IGT runtime.\n");
			ret = -1;
			goto out;
		case OPT_DEVICE:
			/* Device filters need udev; the default card0.. scan is used. */
			break;
		case OPT_VERSION:
			print_version();
			ret = -1;
			goto out;
		case OPT_HELP:
			print_usage(help_str, false);
			ret = -1;
			goto out;
		case '?':
			print_usage(help_str, true);
			ret = -2;
			goto out;
		default:
			ret = extra_opt_handler ? extra_opt_handler(c, option_index, handler_data) :
						  IGT_OPT_HANDLER_ERROR;
			if (ret)
				goto out;
		}
	}

out:
	free(short_opts);
	free(long_opts);

	/* Without subtests, listing or selecting subtests makes no sense. */
	if (!test_with_subtests) {
		if (run_single_subtest) {
			igt_warn("Unknown subtest: %s\n", run_single_subtest);
			exit(IGT_EXIT_INVALID);
		}
		if (show_testlist) {
			printf("igt@%s\n", igt_test_name());
			exit(IGT_EXIT_SUCCESS);
		}
		if (list_subtests)
			exit(IGT_EXIT_INVALID);
	}

	if (ret < 0)
		exit(ret == -1 ? IGT_EXIT_SUCCESS : IGT_EXIT_INVALID);

	if (!igt_only_list_subtests()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", command_str);
		print_version();
		igt_srandom();
	}

	/* Also installs the fatal-signal handlers. */
	igt_install_exit_handler(common_exit_handler);

	if (!test_with_subtests)
		igt_gettime(&subtest_time);

	for (i = 0; optind + i < *argc; i++)
		argv[i + 1] = argv[optind + i];
	*argc = *argc - optind + 1;

	return ret;
}

int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	test_with_subtests = true;
	return common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
			   extra_opt_handler, handler_data);
}

void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str, extra_opt_handler,
		    handler_data);
}
