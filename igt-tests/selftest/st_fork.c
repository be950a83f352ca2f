// SPDX-License-Identifier: MIT
/* Self-test: igt_fork, helpers, exit handlers and child failures. */

#include <signal.h>
#include <sys/wait.h>

#include "igt.h"

static void sleep_forever(void)
{
	for (;;)
		pause();
}

static void exit_handler(int sig)
{
	printf("exit handler ran (sig %d)\n", sig);
	fflush(stdout);
}

igt_main
{
	igt_fixture
		igt_install_exit_handler(exit_handler);

	igt_subtest("fork-pass") {
		igt_fork(child, 4)
			igt_assert(child >= 0 && child < 4);
		igt_waitchildren();
	}

	igt_subtest("fork-fail") {
		igt_fork(child, 2) {
			errno = 0;
			igt_assert_f(child != 1, "child %d fails\n", child);
		}
		igt_waitchildren();
	}

	igt_subtest("fork-signal") {
		igt_fork(child, 1)
			raise(SIGKILL);
		igt_waitchildren();
	}

	igt_subtest("fork-timeout") {
		igt_fork(child, 1)
			pause();
		igt_waitchildren_timeout(1, "child hangs on purpose");
	}

	igt_subtest("helper") {
		struct igt_helper_process proc = {};

		igt_fork_helper(&proc) sleep_forever();
		igt_assert(proc.running);
		igt_stop_helper(&proc);
		igt_assert(!proc.running);
	}

	igt_subtest("children-reaped") {
		/* Nothing left over from the failing subtests above. */
		igt_assert_eq(waitpid(-1, NULL, WNOHANG), -1);
		igt_assert_eq(errno, ECHILD);
		errno = 0;
	}
}
