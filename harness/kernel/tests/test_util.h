/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the kernel-service unit tests: death tests in a forked
 * child, and a "flag + wait queue" handshake with bounded waits (tests never
 * sleep to synchronise; a wait that times out fails the test).
 */
#ifndef TYRC_KERNEL_TEST_UTIL_H
#define TYRC_KERNEL_TEST_UTIL_H

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <tyrc/kernel.h>

/* Bound on waits that should succeed, and window of "must not happen" checks. */
#define TEST_TIMEOUT_NS (5 * NSEC_PER_SEC)
#define TEST_NEGATIVE_NS (10 * NSEC_PER_MSEC)

/**
 * struct test_flag - an int that other threads can wait on.
 */
struct test_flag {
	struct tyrc_waitqueue wq;
	int value;
};

static inline void test_flag_init(struct test_flag *f)
{
	tyrc_waitqueue_init(&f->wq);
	__atomic_store_n(&f->value, 0, __ATOMIC_RELAXED);
}

static inline void test_flag_fini(struct test_flag *f)
{
	tyrc_waitqueue_destroy(&f->wq);
}

static inline int test_flag_get(struct test_flag *f)
{
	return __atomic_load_n(&f->value, __ATOMIC_ACQUIRE);
}

static inline void test_flag_set(struct test_flag *f, int v)
{
	__atomic_store_n(&f->value, v, __ATOMIC_RELEASE);
	tyrc_wake_up_all(&f->wq);
}

static inline int test_flag_add(struct test_flag *f, int v)
{
	int n = __atomic_add_fetch(&f->value, v, __ATOMIC_ACQ_REL);

	tyrc_wake_up_all(&f->wq);
	return n;
}

/* Wait until the flag is >= @v for at most @timeout_ns. Return: true if it got there. */
static inline bool test_flag_wait_ge(struct test_flag *f, int v, u64 timeout_ns)
{
	return tyrc_wait_event_timeout(&f->wq, test_flag_get(f) >= v, timeout_ns) != 0;
}

/**
 * test_expect_abort() - run @fn(@arg) in a forked child and require that it
 * dies of SIGABRT. The child's stderr is captured into @msg (NUL-terminated,
 * may be NULL) so the caller can check the BUG report.
 */
static inline void test_expect_abort(void (*fn)(void *), void *arg, char *msg, size_t msg_len)
{
	int pipefd[2];
	int status;
	size_t got = 0;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		close(pipefd[0]);
		dup2(pipefd[1], STDERR_FILENO);
		fn(arg);
		_exit(0);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[256];
		char *dst = msg && got + 1 < msg_len ? msg + got : sink;
		size_t room = msg && got + 1 < msg_len ? msg_len - 1 - got : sizeof(sink);
		ssize_t n = read(pipefd[0], dst, room);

		if (n <= 0)
			break;
		if (dst != sink)
			got += (size_t)n;
	}
	close(pipefd[0]);
	if (msg && msg_len)
		msg[got] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

#endif /* TYRC_KERNEL_TEST_UTIL_H */
