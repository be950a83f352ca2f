// SPDX-License-Identifier: MIT
/* MMIO accessors over fake ops: 64-bit order, counter reads, polling, bounds. */
#include "test_util.h"

#define NREGS 16
#define MAX_LOG 64

struct fake_mmio {
	u32 regs[NREGS];
	/* Access log: offset and value of each access, in order. */
	struct {
		bool write;
		u32 offset, value;
	} log[MAX_LOG];
	int n;
	/* Counter emulation at offset 0x20/0x24: HI wraps after the first LO read. */
	bool counter;
	/* Polling: register 0x30 reads as 1 from this read on (0 = never). */
	int ready_after, reads_0x30;
};

static u32 fm_read(void *priv, u32 offset)
{
	struct fake_mmio *m = priv;
	u32 v = m->regs[offset / 4];

	if (m->counter && offset == 0x20) {
		/* LO read: the counter carries into HI right after it. */
		m->regs[0x20 / 4] = 0x00000005;
		m->regs[0x24 / 4] = 0x11;
		m->counter = false;
	}
	if (offset == 0x30 && m->ready_after && ++m->reads_0x30 >= m->ready_after)
		v = 1;
	if (m->n < MAX_LOG)
		m->log[m->n++] = (typeof(m->log[0])){ false, offset, v };
	return v;
}

static void fm_write(void *priv, u32 offset, u32 value)
{
	struct fake_mmio *m = priv;

	m->regs[offset / 4] = value;
	if (m->n < MAX_LOG)
		m->log[m->n++] = (typeof(m->log[0])){ true, offset, value };
}

static const struct tyrc_iomem_ops fm_ops = { .read32 = fm_read, .write32 = fm_write };

static void test_write64_lo_first(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	tyrc_iowrite64(&io, 0x8, 0x1122334455667788ULL);
	assert_int_equal(m.n, 2);
	assert_true(m.log[0].write);
	assert_int_equal(m.log[0].offset, 0x8);
	assert_int_equal(m.log[0].value, 0x55667788);
	assert_int_equal(m.log[1].offset, 0xc);
	assert_int_equal(m.log[1].value, 0x11223344);
}

static void test_read64_combines(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	m.regs[2] = 0xdeadbeef;
	m.regs[3] = 0x01234567;
	assert_int_equal(tyrc_ioread64(&io, 0x8), 0x01234567deadbeefULL);
	assert_int_equal(m.log[0].offset, 0x8);
	assert_int_equal(m.log[1].offset, 0xc);
	assert_int_equal(tyrc_ioread32(&io, 0x8), 0xdeadbeef);
}

static void test_counter_retries_on_carry(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	/* HI=0x10, LO=0xfffffffe; the carry lands between the first HI and LO reads. */
	m.regs[0x20 / 4] = 0xfffffffe;
	m.regs[0x24 / 4] = 0x10;
	m.counter = true;
	assert_int_equal(tyrc_ioread64_counter(&io, 0x20), 0x1100000005ULL);
	/* HI, LO, HI (mismatch) then HI, LO, HI again. */
	assert_int_equal(m.n, 6);
	assert_int_equal(m.log[0].offset, 0x24);
	assert_int_equal(m.log[1].offset, 0x20);
	assert_int_equal(m.log[2].offset, 0x24);
	assert_int_equal(m.log[3].offset, 0x24);
	/* A stable counter takes exactly three reads. */
	m.n = 0;
	assert_int_equal(tyrc_ioread64_counter(&io, 0x20), 0x1100000005ULL);
	assert_int_equal(m.n, 3);
}

static void test_poll_times_out(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };
	u64 start = tyrc_ktime_get_ns();
	u32 val = 0xffffffff;
	int ret;

	m.regs[0x30 / 4] = 7;
	ret = tyrc_ioread32_poll_timeout(&io, 0x30, val, val == 1, 10, 1000);
	assert_int_equal(ret, -ETIMEDOUT);
	assert_int_equal(val, 7);
	assert_true(tyrc_ktime_get_ns() - start >= 1000 * NSEC_PER_USEC);
}

static void test_poll_succeeds(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };
	u32 val = 0;
	u64 val64 = 0;

	m.ready_after = 3;
	assert_int_equal(tyrc_ioread32_poll_timeout(&io, 0x30, val, val == 1, 0, 1000000), 0);
	assert_int_equal(val, 1);
	assert_int_equal(m.reads_0x30, 3);
	m.regs[0x10 / 4] = 5;
	assert_int_equal(tyrc_ioread64_poll_timeout(&io, 0x10, val64, val64 == 5, 0, 1000), 0);
	assert_int_equal(tyrc_ioread64_poll_timeout(&io, 0x10, val64, val64 == 6, 1, 100),
			 -ETIMEDOUT);
}

static void access_past_end(void *arg)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	tyrc_ioread32(&io, NREGS * 4);
}

static void write64_straddling_end(void *arg)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	tyrc_iowrite64(&io, NREGS * 4 - 4, 0);
}

static void access_unaligned(void *arg)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };

	tyrc_iowrite32(&io, 2, 0);
}

static void test_bad_accesses_abort(void **state)
{
	test_expect_abort(access_past_end, NULL, NULL, 0);
	test_expect_abort(write64_straddling_end, NULL, NULL, 0);
	test_expect_abort(access_unaligned, NULL, NULL, 0);
}

static void test_last_register_and_unsized_window(void **state)
{
	struct fake_mmio m = { 0 };
	struct tyrc_iomem io = { &fm_ops, &m, NREGS * 4 };
	struct tyrc_iomem unsized = { &fm_ops, &m, 0 };

	tyrc_iowrite32(&io, NREGS * 4 - 4, 9);
	assert_int_equal(tyrc_ioread32(&io, NREGS * 4 - 4), 9);
	/* size 0 = unchecked (offsets still inside the fake's array here). */
	assert_int_equal(tyrc_ioread32(&unsized, NREGS * 4 - 4), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write64_lo_first),
		cmocka_unit_test(test_read64_combines),
		cmocka_unit_test(test_counter_retries_on_carry),
		cmocka_unit_test(test_poll_times_out),
		cmocka_unit_test(test_poll_succeeds),
		cmocka_unit_test(test_bad_accesses_abort),
		cmocka_unit_test(test_last_register_and_unsized_window),
	};

	return cmocka_run_group_tests_name("iomem", tests, NULL, NULL);
}
