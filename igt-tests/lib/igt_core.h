/* SPDX-License-Identifier: MIT */
/*
 * igt_core.h - IGT test-author API: subtests, fixtures, asserts, logging, forks.
 *
 * A small re-implementation of the API of igt-gpu-tools' lib/igt_core.h, so
 * that tests written for IGT build and behave the same here (macro names,
 * semantics, exit codes and output lines). Only the subset tyrc needs is
 * present; see igt-tests/README.md for the differences from upstream.
 */

/**
 * DOC: Block spellings
 *
 * Upstream IGT changed the spelling of its magic blocks in November 2025:
 *
 *   legacy (default here)        upstream since Nov 2025
 *   igt_main { ... }             int igt_main() { ... }
 *   igt_simple_main { ... }      int igt_simple_main() { ... }
 *   igt_main_args(...) { ... }   int igt_main_args(...) { ... }
 *   igt_fixture { ... }          igt_fixture() { ... }
 *   igt_subtest_group { ... }    igt_subtest_group() { ... }
 *
 * A C macro name is either object-like or function-like, so one translation
 * unit can only use one of the two families. The legacy family is the
 * default; defining IGT_FUNCTION_LIKE_BLOCKS (to anything) before including
 * this header selects the upstream-2025 family. igt-tests/meson.build defines
 * it automatically for test sources that use the new spelling, so both kinds
 * of test files build unchanged.
 */

#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <assert.h>
#include <byteswap.h>
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#ifndef STATIC_ANALYSIS_BUILD
#if defined(__clang_analyzer__) || defined(__COVERITY__)
#define STATIC_ANALYSIS_BUILD 1
#else
#define STATIC_ANALYSIS_BUILD 0
#endif
#endif

#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))

#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

/* Exit codes, shared with the runner (reference/igt-api.md section 2). */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_SKIP 77
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT 112

extern const char *__igt_test_description __attribute__((weak));
extern bool __igt_plain_output;

/**
 * IGT_TEST_DESCRIPTION - describe the whole test binary
 * @str: description, printed by --help-description and --describe
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

#define __igt_tokencat2(x, y) x##y
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
#define igt_unique(prefix) igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

/* Subtest infrastructure. The jump buffers are sigjmp_buf (== jmp_buf in glibc). */
extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;

typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

struct option;

/**
 * igt_subtest_init_parse_opts - parse the common options of a test with subtests
 * @argc: pointer to main()'s argc; consumed options are removed
 * @argv: main()'s argv
 * @extra_short_opts: getopt() short options of the test, or NULL
 * @extra_long_opts: getopt_long() options of the test, or NULL
 * @help_str: help text of the extra options, printed by --help
 * @extra_opt_handler: called for every extra option
 * @handler_data: passed to @extra_opt_handler
 *
 * Exits for --help (0), --version (0), --help-description (0) and invalid
 * options (79).
 *
 * Return: 0, or the value returned by @extra_opt_handler.
 */
int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)

void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);

#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)

bool __igt_fixture(void);
void __igt_fixture_complete(void);
__noreturn void __igt_fixture_end(void);
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);
void __igt_assert_in_outer_scope(void);

/* Bodies shared by both spellings of the magic blocks. */
#define __igt_fixture_block                                                \
	for (volatile int igt_unique(__tmpint) = 0;                        \
	     igt_unique(__tmpint) < 1 &&                                   \
	     (STATIC_ANALYSIS_BUILD ||                                     \
	      (__igt_fixture() && sigsetjmp(igt_subtest_jmpbuf, 1) == 0)); \
	     igt_unique(__tmpint)++, __igt_fixture_complete())

#define __igt_subtest_group_block                                                          \
	for (int igt_unique(__tmpint) = 0, igt_unique(__save) = 0, igt_unique(__desc) = 0; \
	     igt_unique(__tmpint) < 1 &&                                                   \
	     (__igt_subtest_group_save(&igt_unique(__save), &igt_unique(__desc)), true);   \
	     igt_unique(__tmpint)++,                                                       \
		 __igt_subtest_group_restore(igt_unique(__save), igt_unique(__desc)))

#define __igt_main_body(init, short_opts, long_opts, help_str, opt_handler, handler_data)      \
	static void igt_unique(__real_main)(void);                                             \
	int main(int argc, char **argv)                                                        \
	{                                                                                      \
		init(&argc, argv, short_opts, long_opts, help_str, opt_handler, handler_data); \
		igt_unique(__real_main)();                                                     \
		igt_exit();                                                                    \
	}                                                                                      \
	static void igt_unique(__real_main)(void)

#ifdef IGT_FUNCTION_LIKE_BLOCKS

/*
 * Upstream-2025 spelling: "int igt_main()". The leading "int" becomes the
 * return type of a prototype of main().
 */
#define igt_fixture() __igt_fixture_block
#define igt_subtest_group() __igt_subtest_group_block
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data)                  \
	main(int argc, char **argv);                                                               \
	__igt_main_body(igt_subtest_init_parse_opts, short_opts, long_opts, help_str, opt_handler, \
			handler_data)
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)
#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data)          \
	main(int argc, char **argv);                                                              \
	__igt_main_body(igt_simple_init_parse_opts, short_opts, long_opts, help_str, opt_handler, \
			handler_data)
#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

#else /* !IGT_FUNCTION_LIKE_BLOCKS */

/**
 * igt_fixture - setup/teardown block, skipped when only listing subtests
 *
 * A skip or failure inside the block makes every later subtest of the
 * enclosing igt_subtest_group skip or fail.
 */
#define igt_fixture __igt_fixture_block

/**
 * igt_subtest_group - scope fixtures, requirements and descriptions
 */
#define igt_subtest_group __igt_subtest_group_block

/**
 * igt_main_args - main() of a test with subtests and extra options
 * @short_opts: extra getopt() short options
 * @long_opts: extra getopt_long() options
 * @help_str: help text of the extra options
 * @opt_handler: handler of the extra options
 * @handler_data: passed to @opt_handler
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data)                  \
	__igt_main_body(igt_subtest_init_parse_opts, short_opts, long_opts, help_str, opt_handler, \
			handler_data)

/**
 * igt_main - main() of a test with subtests; the block is the test body
 */
#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data)          \
	__igt_main_body(igt_simple_init_parse_opts, short_opts, long_opts, help_str, opt_handler, \
			handler_data)

/**
 * igt_simple_main - main() of a test without subtests
 */
#define igt_simple_main igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

#endif /* IGT_FUNCTION_LIKE_BLOCKS */

/**
 * igt_subtest - a named subtest; runs only when selected
 * @name: subtest name, only [a-zA-Z0-9_-]
 */
#define igt_subtest(name)                                       \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0;           \
	     igt_success())

#define __igt_subtest_f(tmp, format...)                                                           \
	for (char tmp[256];                                                                       \
	     snprintf(tmp, sizeof(tmp), format),                                                  \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/**
 * igt_subtest_f - igt_subtest() with a printf-style name
 */
#define igt_subtest_f(f...) __igt_subtest_f(igt_unique(__tmpchar), f)

/**
 * igt_subtest_with_dynamic - a subtest whose results come from igt_dynamic blocks
 * @name: subtest name
 *
 * SKIP if no dynamic subtest was entered, FAIL if any failed, else PASS.
 * Asserts directly inside the container are not allowed; skips are.
 */
#define igt_subtest_with_dynamic(name)                                                             \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0;                                              \
	     igt_success())

#define __igt_subtest_with_dynamic_f(tmp, format...)                                            \
	for (char tmp[256];                                                                     \
	     snprintf(tmp, sizeof(tmp), format), __igt_run_subtest(tmp, __FILE__, __LINE__) &&  \
							 __igt_enter_dynamic_container() &&     \
							 sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_subtest_with_dynamic_f(f...) __igt_subtest_with_dynamic_f(igt_unique(__tmpchar), f)

/**
 * igt_dynamic - a dynamic subtest inside igt_subtest_with_dynamic
 * @name: dynamic subtest name
 */
#define igt_dynamic(name)                                                                  \
	for (; __igt_run_dynamic_subtest((name)) && sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_dynamic_f(tmp, format...)                                               \
	for (char tmp[256];                                                           \
	     snprintf(tmp, sizeof(tmp), format),                                      \
	     __igt_run_dynamic_subtest(tmp) && sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define igt_dynamic_f(f...) __igt_dynamic_f(igt_unique(__tmpchar), f)

const char *igt_subtest_name(void);
const char *igt_dynamic_subtest_name(void);
const char *igt_test_name(void);
bool igt_only_list_subtests(void);

/**
 * igt_constructor - run a block once before main()
 */
#define igt_constructor \
	__attribute__((constructor)) static void igt_unique(__igt_constructor_l)(void)

__noreturn __attribute__((format(printf, 1, 2))) void igt_skip(const char *f, ...);
__noreturn __attribute__((format(printf, 5, 6))) void
__igt_skip_check(const char *file, const int line, const char *func, const char *check,
		 const char *format, ...);
#define igt_skip_check(E, F...) __igt_skip_check(__FILE__, __LINE__, __func__, E, F)

void igt_success(void);
bool igt_can_fail(void);
__noreturn void igt_fail(int exitcode);
__noreturn __attribute__((format(printf, 6, 7))) void
__igt_fail_assert(const char *domain, const char *file, const int line, const char *func,
		  const char *assertion, const char *format, ...);
__noreturn __attribute__((format(printf, 6, 7))) void
__igt_abort(const char *domain, const char *file, const int line, const char *func,
	    const char *expression, const char *f, ...);
__noreturn void igt_exit(void);

static inline void igt_ignore_warn(bool value)
{
	(void)value;
}

__attribute__((format(printf, 1, 2))) void igt_describe_f(const char *fmt, ...);

/**
 * igt_describe - attach a description to the next subtest or subtest group
 * @dsc: description text
 */
#define igt_describe(dsc) igt_describe_f("%s", dsc)

/* Assertions: fail the current (sub)test. */
#define igt_assert(expr)                                                                       \
	do {                                                                                   \
		if (!(expr))                                                                   \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, \
					  NULL);                                               \
	} while (0)

#define igt_assert_f(expr, f...)                                                                   \
	do {                                                                                       \
		if (!(expr))                                                                       \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define __igt_assert_cmp(type, fmt, cast, n1, cmp, ncmp, n2)                                \
	do {                                                                                \
		type __n1 = (n1), __n2 = (n2);                                              \
		if (!(__n1 cmp __n2))                                                       \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__,     \
					  #n1 " " #cmp " " #n2,                             \
					  "error: " fmt " " #ncmp " " fmt "\n", (cast)__n1, \
					  (cast)__n2);                                      \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) __igt_assert_cmp(int, "%d", int, n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint32_t, "%#x", unsigned int, n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(int64_t, "%lld", long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint64_t, "%#llx", unsigned long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(double, "%#lf", double, n1, cmp, ncmp, n2)
#define igt_assert_cmpptr(n1, cmp, ncmp, n2)                                                      \
	do {                                                                                      \
		const void *__n1 = (const void *)(n1), *__n2 = (const void *)(n2);                \
		if (!(__n1 cmp __n2))                                                             \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__,           \
					  #n1 " " #cmp " " #n2, "error: %p " #ncmp " %p\n", __n1, \
					  __n2);                                                  \
	} while (0)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)
#define igt_assert_eq_ptr(n1, n2) igt_assert_cmpptr(n1, ==, !=, n2)

#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_neq_double(n1, n2) igt_assert_cmpdouble(n1, !=, ==, n2)
#define igt_assert_neq_ptr(n1, n2) igt_assert_cmpptr(n1, !=, ==, n2)

#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lte_u32(n1, n2) igt_assert_cmpuint(n1, <=, >, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)

#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lt_u32(n1, n2) igt_assert_cmpuint(n1, <, >=, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)
#define igt_assert_lt_double(n1, n2) igt_assert_cmpdouble(n1, <, >=, n2)

/*
 * tyrc extensions, NOT in upstream IGT: tests meant for upstreaming must not
 * use them (swap the arguments of _lt/_lte instead).
 */
#define igt_assert_neq_s64(n1, n2) igt_assert_cmps64(n1, !=, ==, n2)
#define igt_assert_lte_double(n1, n2) igt_assert_cmpdouble(n1, <=, >, n2)
#define igt_assert_gt(n1, n2) igt_assert_cmpint(n1, >, <=, n2)
#define igt_assert_gt_u32(n1, n2) igt_assert_cmpuint(n1, >, <=, n2)
#define igt_assert_gt_u64(n1, n2) igt_assert_cmpu64(n1, >, <=, n2)
#define igt_assert_gt_s64(n1, n2) igt_assert_cmps64(n1, >, <=, n2)
#define igt_assert_gt_double(n1, n2) igt_assert_cmpdouble(n1, >, <=, n2)
#define igt_assert_gte(n1, n2) igt_assert_cmpint(n1, >=, <, n2)
#define igt_assert_gte_u32(n1, n2) igt_assert_cmpuint(n1, >=, <, n2)
#define igt_assert_gte_u64(n1, n2) igt_assert_cmpu64(n1, >=, <, n2)
#define igt_assert_gte_s64(n1, n2) igt_assert_cmps64(n1, >=, <, n2)
#define igt_assert_gte_double(n1, n2) igt_assert_cmpdouble(n1, >=, <, n2)

#define igt_assert_fd(fd) igt_assert_f(fd >= 0, "file descriptor " #fd " failed\n")

/* Requirements: skip the current (sub)test. */
#define igt_require(expr)                                                  \
	do {                                                               \
		if (!(expr))                                               \
			igt_skip_check(#expr, NULL);                       \
		else                                                       \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

#define igt_skip_on(expr)                                                     \
	do {                                                                  \
		if ((expr))                                                   \
			igt_skip_check("!(" #expr ")", NULL);                 \
		else                                                          \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

#define igt_require_f(expr, f...)                                          \
	do {                                                               \
		if (!(expr))                                               \
			igt_skip_check(#expr, f);                          \
		else                                                       \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

#define igt_skip_on_f(expr, f...)                                             \
	do {                                                                  \
		if ((expr))                                                   \
			igt_skip_check("!(" #expr ")", f);                    \
		else                                                          \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

#define igt_require_fd(fd) igt_require_f(fd >= 0, "file descriptor " #fd " failed\n")

#define igt_abort_on_f(expr, f...)                                                           \
	do {                                                                                 \
		if ((expr))                                                                  \
			__igt_abort(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

/* Processes. */
bool __igt_fork(void);

/**
 * igt_fork - run the block in @num_children forked children
 * @child: name of the int variable holding the child index
 * @num_children: number of children
 *
 * Join with igt_waitchildren(). Skips are not allowed in children.
 */
#define igt_fork(child, num_children)                        \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(0))

int __igt_waitchildren(void);
void igt_waitchildren(void);
void igt_waitchildren_timeout(int seconds, const char *reason);
void igt_kill_children(int signal);

/**
 * struct igt_helper_process - a background helper started by igt_fork_helper
 * @running: the helper has been started and not yet joined
 * @use_SIGKILL: igt_stop_helper() sends SIGKILL instead of SIGTERM
 * @pid: pid of the helper while @running
 * @id: internal slot number
 */
struct igt_helper_process {
	bool running;
	bool use_SIGKILL;
	pid_t pid;
	int id;
};

bool __igt_fork_helper(struct igt_helper_process *proc);

/**
 * igt_fork_helper - run the block in a background helper process
 * @proc: tracking structure; failures of the helper are not forwarded
 */
#define igt_fork_helper(proc) for (; __igt_fork_helper(proc); exit(0))

int igt_wait_helper(struct igt_helper_process *proc);
void igt_stop_helper(struct igt_helper_process *proc);

/**
 * typedef igt_exit_handler_t - exit handler
 * @sig: signal that caused the exit, or 0 for a normal exit
 */
typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

/* Logging. */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

extern enum igt_log_level igt_log_level;

__attribute__((format(printf, 3, 4))) void igt_log(const char *domain, enum igt_log_level level,
						   const char *format, ...);
__attribute__((format(printf, 3, 0))) void igt_vlog(const char *domain, enum igt_log_level level,
						    const char *format, va_list args);

#define igt_debug(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, f)

#define igt_warn_on(condition)                                                           \
	({                                                                               \
		typeof(condition) ret__ = (condition);                                   \
		if (ret__)                                                               \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__);              \
		ret__;                                                                   \
	})

#define igt_warn_on_f(condition, f...)                                                   \
	({                                                                               \
		typeof(condition) ret__ = (condition);                                   \
		if (ret__) {                                                             \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__);              \
			igt_warn(f);                                                     \
		}                                                                        \
		ret__;                                                                   \
	})

#define igt_debug_on(condition)                                                         \
	({                                                                              \
		typeof(condition) ret__ = (condition);                                  \
		if (ret__)                                                              \
			igt_debug("Condition %s occurred in function %s, file %s:%i\n", \
				  #condition, __func__, __FILE__, __LINE__);            \
		ret__;                                                                  \
	})

#define igt_debug_on_f(condition, f...)                                                 \
	({                                                                              \
		typeof(condition) ret__ = (condition);                                  \
		if (ret__) {                                                            \
			igt_debug("condition %s occurred in function %s, file %s:%i\n", \
				  #condition, __func__, __FILE__, __LINE__);            \
			igt_debug(f);                                                   \
		}                                                                       \
		ret__;                                                                  \
	})

typedef bool (*igt_buffer_log_handler_t)(const char *line, void *data);
void igt_log_buffer_inspect(igt_buffer_log_handler_t check, void *data);

/* Timeouts and time. */
void igt_set_timeout(unsigned int seconds, const char *op);
void igt_reset_timeout(void);
int igt_gettime(struct timespec *ts);
double igt_time_elapsed(struct timespec *then, struct timespec *now);
uint64_t igt_nsec_elapsed(struct timespec *start);

static inline uint32_t igt_seconds_elapsed(struct timespec *start)
{
	return igt_nsec_elapsed(start) >> 30;
}

void igt_srandom(void);

__attribute__((format(printf, 1, 2))) void igt_kmsg(const char *format, ...);
#define KMSG_EMER "<0>[IGT] "
#define KMSG_ALERT "<1>[IGT] "
#define KMSG_CRIT "<2>[IGT] "
#define KMSG_ERR "<3>[IGT] "
#define KMSG_WARNING "<4>[IGT] "
#define KMSG_NOTICE "<5>[IGT] "
#define KMSG_INFO "<6>[IGT] "
#define KMSG_DEBUG "<7>[IGT] "

#define READ_ONCE(x) (*(volatile typeof(x) *)(&(x)))
#define WRITE_ONCE(x, v)                             \
	do                                           \
		*(volatile typeof(x) *)(&(x)) = (v); \
	while (0)

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define cpu_to_le32(x) bswap_32(x)
#define le32_to_cpu(x) bswap_32(x)
#else
#define cpu_to_le32(x) (x)
#define le32_to_cpu(x) (x)
#endif

#define MSEC_PER_SEC (1000ul)
#define USEC_PER_MSEC (1000ul)
#define NSEC_PER_USEC (1000ul)
#define USEC_PER_SEC (1000u * MSEC_PER_SEC)
#define USEC_PER_DECISEC (100u * MSEC_PER_SEC)
#define NSEC_PER_SEC (1000u * USEC_PER_SEC)
#define NSEC_PER_MSEC (1000u * USEC_PER_MSEC)

#define for_if(expr__)   \
	if (!(expr__)) { \
	} else

#endif /* IGT_CORE_H */
