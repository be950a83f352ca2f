// SPDX-License-Identifier: MIT
/*
 * Concurrency: a power-management thread, an "ioctl" thread and interrupt
 * handlers on two lines all use the MMIO window at once while timed events
 * complete on the timer thread. Checks that nothing is lost or deadlocks;
 * its real value is under ThreadSanitizer.
 */
#include <pthread.h>

#include "model_test.h"

#define PM_ROUNDS 40
#define IOCTL_ROUNDS 400
#define JOB_EVENTS 200

struct stress {
	struct model_fixture f;
	/** @job_saved_mask: JOB_INT mask saved by the hard handler (delivery thread only). */
	u32 job_saved_mask;
	int job_handled;
	int gpu_handled;
	/** @errors: failures seen by the helper threads (cmocka asserts only on the main one). */
	int errors;
};

static void stress_error(struct stress *s, const char *what)
{
	print_error("%s\n", what);
	__atomic_add_fetch(&s->errors, 1, __ATOMIC_SEQ_CST);
}

static enum tyrc_irqreturn job_hard(void *data)
{
	struct stress *s = data;

	if (!rd(&s->f, JOB_INT_STAT))
		return TYRC_IRQ_NONE;
	s->job_saved_mask = rd(&s->f, JOB_INT_MASK);
	wr(&s->f, JOB_INT_MASK, 0);
	return TYRC_IRQ_WAKE_THREAD;
}

static enum tyrc_irqreturn job_thread(void *data)
{
	struct stress *s = data;
	u32 status;

	while ((status = rd(&s->f, JOB_INT_RAWSTAT) & s->job_saved_mask)) {
		wr(&s->f, JOB_INT_CLEAR, status);
		__atomic_add_fetch(&s->job_handled, __builtin_popcount(status), __ATOMIC_SEQ_CST);
	}
	wr(&s->f, JOB_INT_MASK, s->job_saved_mask);
	return TYRC_IRQ_HANDLED;
}

static enum tyrc_irqreturn gpu_hard(void *data)
{
	struct stress *s = data;
	u32 stat = rd(&s->f, GPU_INT_STAT);

	if (!stat)
		return TYRC_IRQ_NONE;
	wr(&s->f, GPU_INT_CLEAR, stat);
	__atomic_add_fetch(&s->gpu_handled, 1, __ATOMIC_SEQ_CST);
	return TYRC_IRQ_HANDLED;
}

static void *pm_thread(void *arg)
{
	struct stress *s = arg;

	u64 when;

	for (int i = 0; i < PM_ROUNDS; i++) {
		wr64(&s->f, GPU_L2_PWRON, 1);
		if (!poll32_until(&s->f, GPU_L2_READY, ~0u, 1, &when))
			return stress_error(s, "L2 never ready"), NULL;
		wr64(&s->f, GPU_SHADER_PWRON, 0x50005);
		if (!poll32_until(&s->f, GPU_SHADER_READY, ~0u, 0x50005, &when))
			return stress_error(s, "shaders never ready"), NULL;
		wr64(&s->f, GPU_L2_PWROFF, 1);
		if (!poll32_until(&s->f, GPU_L2_READY, ~0u, 0, &when))
			return stress_error(s, "L2 never off"), NULL;
		if (rd64(&s->f, GPU_SHADER_READY))
			return stress_error(s, "shaders on without L2"), NULL;
	}
	return NULL;
}

static void *ioctl_thread(void *arg)
{
	struct stress *s = arg;
	u64 last = 0;

	for (int i = 0; i < IOCTL_ROUNDS; i++) {
		u32 as = 1 + i % (MMU_AS_COUNT - 1);
		u64 ts = tyrc_ioread64_counter(s->f.io, GPU_TIMESTAMP);

		if (ts < last)
			return stress_error(s, "TIMESTAMP went backwards"), NULL;
		last = ts;
		wr64(&s->f, MMU_AS(as) + AS_TRANSTAB, 0x1000ULL * i);
		wr(&s->f, MMU_AS(as) + AS_COMMAND, AS_COMMAND_UPDATE);
		if (rd64(&s->f, MMU_AS(as) + AS_TRANSTAB) != 0x1000ULL * i)
			return stress_error(s, "AS_TRANSTAB lost a write"), NULL;
		if (i % 20 == 0) {
			wr(&s->f, GPU_CMD,
			   tyrc_gpu_cmd_flush_caches(GPU_CACHE_OP_CLEAN_INVALIDATE,
						     GPU_CACHE_OP_NONE, GPU_CACHE_OP_NONE));
		}
	}
	return NULL;
}

static void test_concurrent_access(void **state)
{
	struct stress *s = calloc(1, sizeof(*s));
	struct tyrc_irq_line *job, *gpu;
	pthread_t pm, ioctl;
	u64 deadline;

	assert_non_null(s);
	tyrc_model_config_init_g610(&s->f.cfg);
	s->f.cfg.l2_power_ns = 20 * NSEC_PER_USEC;
	s->f.cfg.core_power_ns = 10 * NSEC_PER_USEC;
	s->f.cfg.cache_flush_ns = 10 * NSEC_PER_USEC;
	fixture_create(&s->f);
	job = tyrc_model_irq_line(s->f.model, TYRC_MODEL_IRQ_JOB);
	gpu = tyrc_model_irq_line(s->f.model, TYRC_MODEL_IRQ_GPU);
	assert_int_equal(tyrc_request_threaded_irq(job, job_hard, job_thread, s), 0);
	assert_int_equal(tyrc_request_threaded_irq(gpu, gpu_hard, NULL, s), 0);
	wr(&s->f, JOB_INT_MASK, ~0u);
	wr(&s->f, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED | GPU_IRQ_POWER_CHANGED_ALL);

	assert_int_equal(pthread_create(&pm, NULL, pm_thread, s), 0);
	assert_int_equal(pthread_create(&ioctl, NULL, ioctl_thread, s), 0);

	/* Each event is one bit raised once the previous one was handled: none is lost. */
	deadline = tyrc_ktime_get_ns() + TEST_TIMEOUT_NS;
	for (int i = 0; i < JOB_EVENTS; i++) {
		wr(&s->f, JOB_INT_RAWSTAT, BIT(i % 32));
		while (__atomic_load_n(&s->job_handled, __ATOMIC_SEQ_CST) < i + 1) {
			if (tyrc_ktime_get_ns() > deadline)
				fail_msg("JOB event %d not handled", i);
			tyrc_usleep(10);
		}
	}

	assert_int_equal(pthread_join(pm, NULL), 0);
	assert_int_equal(pthread_join(ioctl, NULL), 0);
	assert_int_equal(__atomic_load_n(&s->errors, __ATOMIC_SEQ_CST), 0);
	tyrc_free_irq(job);
	tyrc_free_irq(gpu);
	assert_int_equal(__atomic_load_n(&s->job_handled, __ATOMIC_SEQ_CST), JOB_EVENTS);
	assert_true(__atomic_load_n(&s->gpu_handled, __ATOMIC_SEQ_CST) > 0);
	fixture_destroy(&s->f);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
