// SPDX-License-Identifier: MIT
/*
 * igt_fork.c - test children (igt_fork), helper processes (igt_fork_helper),
 * exit handlers, fatal signals and timeouts of the IGT test-author API.
 */

/**
 * DOC: processes and exit handlers
 *
 * igt_fork() children run part of a subtest; their exit status is collected
 * by igt_waitchildren(), which turns any failure into a failure of the
 * subtest. Inside a child, igt_fail() exits the child with its exit code and
 * skips are not allowed. Children left behind when a subtest ends are killed.
 *
 * igt_fork_helper() processes run in the background; their failures are not
 * forwarded and they are stopped with igt_stop_helper() (or at exit).
 *
 * Exit handlers run once, in reverse order of installation, either at exit()
 * or when a handled fatal signal arrives; the signal is then re-raised with
 * the default disposition so the process still dies from it. A crash signal
 * (SEGV, BUS, FPE) inside a subtest first reports "Subtest X: CRASH".
 * Children start with an empty handler list.
 */

#include <execinfo.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "igt_core.h"
#include "igt_core_internal.h"

#define internal_assert igt_core_internal_assert
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

bool igt_core_test_child;
bool igt_core_in_atexit_handler;

/* Children of igt_fork(), in fork order; 0 or less means already reaped. */
static pid_t *test_children;
static int num_test_children;
static int test_children_sz;

/* Helpers of igt_fork_helper(); -1 is a free slot. */
static pid_t helper_process_pids[] = { -1, -1, -1, -1 };
static int helper_process_count;

#define MAX_EXIT_HANDLERS 10
static igt_exit_handler_t exit_handler_fn[MAX_EXIT_HANDLERS];
static int exit_handler_count;

static const struct {
	int number;
	const char *name; /* NULL: die silently */
} handled_signals[] = {
	{ SIGINT, NULL },	{ SIGHUP, NULL },	{ SIGPIPE, NULL },
	{ SIGTERM, NULL },	{ SIGQUIT, "SIGQUIT" }, { SIGABRT, "SIGABRT" },
	{ SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" },	{ SIGFPE, "SIGFPE" },
};

static void write_stderr(const char *str)
{
	ssize_t ret = write(STDERR_FILENO, str, strlen(str));

	(void)ret;
}

static void reset_helper_process_list(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(helper_process_pids); i++)
		helper_process_pids[i] = -1;
	helper_process_count = 0;
}

static int waitpid_noeintr(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;

	return status;
}

/* ---- igt_fork ---- */

static void children_exit_handler(int sig)
{
	igt_core_reap_children();
}

void igt_core_reap_children(void)
{
	int c;

	for (c = 0; c < num_test_children; c++) {
		if (test_children[c] > 0) {
			kill(test_children[c], SIGKILL);
			waitpid_noeintr(test_children[c]);
		}
	}
	num_test_children = 0;
}

bool __igt_fork(void)
{
	pid_t pid;

	internal_assert(igt_core_may_fork(),
			"forking is only allowed in subtests or igt_simple_main\n");
	internal_assert(!igt_core_test_child,
			"forking is not allowed from already forked children\n");

	igt_install_exit_handler(children_exit_handler);

	if (num_test_children >= test_children_sz) {
		int sz = test_children_sz ? test_children_sz * 2 : 4;
		pid_t *grown = realloc(test_children, sz * sizeof(*grown));

		igt_assert(grown);
		test_children = grown;
		test_children_sz = sz;
	}

	/* Do not let the child flush the parent's buffered output again. */
	fflush(NULL);

	pid = fork();
	switch (pid) {
	case -1:
		igt_assert(0);
		break;
	case 0:
		igt_core_test_child = true;
		num_test_children = 0;
		exit_handler_count = 0;
		reset_helper_process_list();
		igt_core_reinit_after_fork();
		return true;
	default:
		test_children[num_test_children++] = pid;
		break;
	}

	return false;
}

int __igt_waitchildren(void)
{
	int err = 0;
	int count = 0;

	assert(!igt_core_test_child);

	while (count < num_test_children) {
		int status = -1;
		pid_t pid;
		int c;

		pid = wait(&status);
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			printf("wait(num_children:%d) failed with %m\n", num_test_children - count);
			return IGT_EXIT_FAILURE;
		}

		for (c = 0; c < num_test_children; c++)
			if (pid == test_children[c])
				break;
		if (c == num_test_children)
			continue;

		if (err == 0 && status != 0) {
			if (WIFEXITED(status)) {
				printf("child %i failed with exit status %i\n", c,
				       WEXITSTATUS(status));
				err = WEXITSTATUS(status);
			} else if (WIFSIGNALED(status)) {
				printf("child %i died with signal %i, %s\n", c, WTERMSIG(status),
				       strsignal(WTERMSIG(status)));
				err = 128 + WTERMSIG(status);
			} else {
				printf("Unhandled failure [%d] in child %i\n", status, c);
				err = 256;
			}
			igt_kill_children(SIGKILL);
		}

		test_children[c] = -1;
		count++;
	}

	num_test_children = 0;
	return err;
}

/* A child exit status the parent can report: never success or skip. */
static int child_failure_code(int err)
{
	if (err == IGT_EXIT_SKIP || err > 255)
		return IGT_EXIT_FAILURE;
	return err;
}

void igt_waitchildren(void)
{
	int err = __igt_waitchildren();

	if (err)
		igt_fail(child_failure_code(err));
}

void igt_kill_children(int signal)
{
	int c;

	for (c = 0; c < num_test_children; c++)
		if (test_children[c] > 0)
			kill(test_children[c], signal);
}

static void igt_alarm_killchildren(int signal)
{
	igt_info("Timed out waiting for children\n");
	igt_kill_children(SIGKILL);
}

/*
 * Wait until every test child has exited or @seconds have passed, without
 * reaping them. pidfds and poll() make the deadline independent of signal
 * delivery, which sanitizer runtimes defer while a thread blocks in wait().
 * Return: 1 if all exited, 0 on timeout, -1 if pidfds are unavailable.
 */
static int children_exit_within(int seconds)
{
	struct pollfd *fds = calloc(num_test_children ? num_test_children : 1, sizeof(*fds));
	struct timespec start, now;
	int n = 0, ret = 1;

	if (!fds)
		return -1;
	for (int c = 0; c < num_test_children; c++) {
		if (test_children[c] <= 0)
			continue;
		fds[n].fd = syscall(SYS_pidfd_open, test_children[c], 0);
		fds[n].events = POLLIN;
		if (fds[n].fd < 0) {
			ret = -1;
			goto out;
		}
		n++;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int pending = 0;
		long left_ms;

		for (int i = 0; i < n; i++)
			if (fds[i].fd >= 0 && !(fds[i].revents & (POLLIN | POLLHUP)))
				pending++;
		if (!pending)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left_ms = seconds * 1000L - ((now.tv_sec - start.tv_sec) * 1000L +
					     (now.tv_nsec - start.tv_nsec) / 1000000L);
		if (left_ms <= 0) {
			ret = 0;
			break;
		}
		if (poll(fds, n, (int)left_ms) < 0 && errno != EINTR) {
			ret = -1;
			break;
		}
	}
out:
	for (int i = 0; i < n; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	free(fds);
	return ret;
}

void igt_waitchildren_timeout(int seconds, const char *reason)
{
	struct sigaction sa = { .sa_handler = igt_alarm_killchildren };
	int exited, ret;

	(void)reason;
	exited = children_exit_within(seconds);
	if (exited == 0) {
		igt_alarm_killchildren(SIGALRM);
	} else if (exited < 0) {
		/* No pidfds: fall back to the alarm, as upstream IGT does. */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		alarm(seconds);
	}

	ret = __igt_waitchildren();
	igt_reset_timeout();
	if (ret)
		igt_fail(child_failure_code(ret));
}

/* ---- igt_fork_helper ---- */

static void fork_helper_exit_handler(int sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(helper_process_pids); i++) {
		pid_t pid = helper_process_pids[i];

		if (pid != -1) {
			kill(pid, SIGTERM);
			waitpid_noeintr(pid);
			helper_process_pids[i] = -1;
			helper_process_count--;
		}
	}
}

bool __igt_fork_helper(struct igt_helper_process *proc)
{
	int saved_count;
	pid_t pid;
	int id;

	assert(!proc->running);
	assert(helper_process_count < (int)ARRAY_LEN(helper_process_pids));

	for (id = 0; helper_process_pids[id] != -1; id++)
		;

	igt_install_exit_handler(fork_helper_exit_handler);

	/* The helper must not run the parent's exit handlers. */
	saved_count = exit_handler_count;
	exit_handler_count = 0;

	fflush(NULL);

	pid = fork();
	switch (pid) {
	case -1:
		exit_handler_count = saved_count;
		igt_assert(0);
		break;
	case 0:
		reset_helper_process_list();
		igt_core_reinit_after_fork();
		return true;
	default:
		exit_handler_count = saved_count;
		proc->running = true;
		proc->pid = pid;
		proc->id = id;
		helper_process_pids[id] = pid;
		helper_process_count++;
		break;
	}

	return false;
}

int igt_wait_helper(struct igt_helper_process *proc)
{
	int status;

	assert(proc->running);

	status = waitpid_noeintr(proc->pid);
	proc->running = false;
	helper_process_pids[proc->id] = -1;
	helper_process_count--;

	return status;
}

static bool helper_was_alive(struct igt_helper_process *proc, int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == (proc->use_SIGKILL ? SIGKILL : SIGTERM);
}

void igt_stop_helper(struct igt_helper_process *proc)
{
	int status;

	if (!proc->running)
		return;

	kill(proc->pid, proc->use_SIGKILL ? SIGKILL : SIGTERM);
	status = igt_wait_helper(proc);
	if (!helper_was_alive(proc, status))
		igt_debug("Helper died too early with status=%d\n", status);
	assert(helper_was_alive(proc, status));
}

/* ---- exit handlers and signals ---- */

static void call_exit_handlers(int sig)
{
	int i;

	for (i = exit_handler_count - 1; i >= 0; i--)
		exit_handler_fn[i](sig);

	/* Run them only once, even if another signal arrives. */
	exit_handler_count = 0;
}

static void restore_all_sig_handlers(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(handled_signals); i++)
		signal(handled_signals[i].number, SIG_DFL);
}

static void igt_atexit_handler(void)
{
	igt_core_in_atexit_handler = true;
	restore_all_sig_handlers();
	call_exit_handlers(0);
}

static bool crash_signal(int sig)
{
	return sig == SIGILL || sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV;
}

static void fatal_sig_handler(int sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(handled_signals); i++) {
		if (handled_signals[i].number != sig)
			continue;

		if (handled_signals[i].name) {
			void *frames[64];
			int n;

			write_stderr("Received signal ");
			write_stderr(handled_signals[i].name);
			write_stderr(".\n");

			write_stderr("Stack trace:\n");
			n = backtrace(frames, 64);
			backtrace_symbols_fd(frames, n, STDERR_FILENO);
		}

		/* Inside a subtest this reports CRASH and jumps back. */
		if (crash_signal(sig))
			igt_core_crash(sig);
		break;
	}

	restore_all_sig_handlers();
	call_exit_handlers(sig);

	/* Die from the same signal, on this very thread. */
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

/* backtrace() loads libgcc on first use; do that outside a signal handler. */
static void preload_backtrace(void)
{
	void *frame;

	backtrace(&frame, 1);
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	unsigned int i;
	int j;

	for (j = 0; j < exit_handler_count; j++)
		if (exit_handler_fn[j] == fn)
			return;

	igt_assert(exit_handler_count < MAX_EXIT_HANDLERS);
	exit_handler_fn[exit_handler_count++] = fn;

	if (exit_handler_count > 1)
		return;

	/* First handler: hook up the signals and atexit(). */
	preload_backtrace();
	for (i = 0; i < ARRAY_LEN(handled_signals); i++)
		if (signal(handled_signals[i].number, fatal_sig_handler) == SIG_ERR)
			goto err;

	if (atexit(igt_atexit_handler))
		goto err;

	return;
err:
	restore_all_sig_handlers();
	exit_handler_count--;
	igt_assert_f(0, "failed to install the signal handler\n");
}

/* ---- timeouts ---- */

static const char *timeout_op;

__noreturn static void igt_alarm_handler(int signal)
{
	if (timeout_op)
		igt_info("Timed out: %s\n", timeout_op);
	else
		igt_info("Timed out\n");

	igt_fail(IGT_EXIT_FAILURE);
}

void igt_set_timeout(unsigned int seconds, const char *op)
{
	struct sigaction sa = { .sa_handler = igt_alarm_handler };

	sigemptyset(&sa.sa_mask);
	timeout_op = op;

	if (seconds == 0)
		sigaction(SIGALRM, NULL, NULL);
	else
		sigaction(SIGALRM, &sa, NULL);

	alarm(seconds);
}

void igt_reset_timeout(void)
{
	igt_set_timeout(0, NULL);
}
