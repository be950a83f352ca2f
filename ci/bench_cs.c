// SPDX-License-Identifier: MIT
/*
 * Benchmark (not a test): how fast the model's command-stream interpreter
 * (harness/model/model_cs.c) executes instructions.
 *
 * The stream is a counted loop (cs-isa-v10.md §8 B) whose body is eight
 * synchronous instructions (ADD_IMMEDIATE32/64, UMIN32, MOVE32, MOVE48, the
 * counter decrement and the BRANCH back), about ten million instructions in
 * all. It sits in one page of board RAM, mapped read-only and no-exec
 * through address space 1 of a G610 model, as panthor maps a ring.
 *
 * Two rows, both in instructions per second, each the median of several
 * runs:
 *  - decode: tyrc_cs_decode() over the same instruction sequence the loop
 *    executes, nothing else - the baseline, the cost of decoding alone;
 *  - interpreter: model_cs_step_locked() running the stream to its end in
 *    steps of 1024 instructions under the model lock, as the firmware
 *    emulation (model_csg.c) runs a CS: fetch through the MMU and TLB,
 *    decode, operand checks, execution.
 * Their ratio is the interpreter's overhead over decoding.
 *
 * Usage: bench_cs [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_cs.h"
#include "tyrc_mmu.h"
#include "tyrc_pgtable.h"

#define RAM_BASE 0x100000000ULL
#define RAM_SIZE (64ULL << 20)
#define CODE_VA 0x1000000ULL
#define BENCH_AS 1u
/* Instructions per model_cs_step_locked() call: the firmware emulation's budget. */
#define STEP_BUDGET 1024u
/* Any virtual time: the loop has no timed operation. */
#define NOW_NS 1000000000ULL

/* Loop iterations: 8 instructions each, ~10 million in all. */
#define ITERATIONS 1250000u
#define BODY_LEN 8u
#define PROLOGUE_LEN 4u
#define STREAM_INSTRS (PROLOGUE_LEN + (u64)BODY_LEN * ITERATIONS)

/* The runs print progress on stderr once the benchmark has taken this long. */
#define PROGRESS_AFTER_NS (2 * NSEC_PER_SEC)

struct bench {
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_pgtable *pt;
	u64 code_pa;
	u64 words[PROLOGUE_LEN + BODY_LEN];
	u32 size;
	u64 start_ns;
};

/* The median of @n run times (sorts @v; a handful of runs, so by insertion). */
static u64 median(u64 *v, int n)
{
	for (int i = 1; i < n; i++) {
		u64 x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[n / 2];
}

/* The counted loop: PROLOGUE_LEN words, then the BODY_LEN-word body. */
static int build_stream(struct bench *bb)
{
	struct tyrc_cs_builder b;
	struct tyrc_cs_label top;

	tyrc_cs_builder_init(&b, bb->words, ARRAY_SIZE(bb->words));
	tyrc_cs_label_init(&top);
	tyrc_cs_emit(&b, tyrc_cs_move32(8, ITERATIONS));
	tyrc_cs_emit(&b, tyrc_cs_move32(1, 0));
	tyrc_cs_emit(&b, tyrc_cs_move48(2, 0));
	tyrc_cs_emit(&b, tyrc_cs_move32(5, ITERATIONS / 2));
	tyrc_cs_label_bind(&b, &top);
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(1, 1, 1));
	tyrc_cs_emit(&b, tyrc_cs_add_imm64(2, 2, 3));
	tyrc_cs_emit(&b, tyrc_cs_pack_compare_select32(&(struct tyrc_cs_compare_select32){
				 .dst = 4, .src0 = 1, .src1 = 5 }));
	tyrc_cs_emit(&b, tyrc_cs_move32(6, 0x1234));
	tyrc_cs_emit(&b, tyrc_cs_move48(10, 0xabcdef));
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(7, 1, -1));
	tyrc_cs_emit(&b, tyrc_cs_add_imm32(8, 8, -1));
	tyrc_cs_branch_label(&b, TYRC_CS_BRANCH_GREATER, 8, &top);
	if (b.len != PROLOGUE_LEN + BODY_LEN)
		return -EINVAL;
	return tyrc_cs_builder_finish(&b, &bb->size);
}

/* A G610 model with no latencies, the stream's page mapped in BENCH_AS. */
static int bench_setup(struct bench *bb)
{
	struct tyrc_model_config cfg;
	struct tyrc_pgtable_gather g;
	struct tyrc_iomem *io;
	int ret;

	ret = build_stream(bb);
	if (ret)
		return ret;
	ret = tyrc_ram_create(RAM_BASE, RAM_SIZE, &bb->ram);
	if (ret)
		return ret;
	tyrc_model_config_init_g610(&cfg);
	cfg.soft_reset_ns = cfg.hard_reset_ns = cfg.l2_power_ns = cfg.core_power_ns = 0;
	cfg.cache_flush_ns = cfg.as_command_ns = 0;
	ret = tyrc_model_create(&cfg, bb->ram, &bb->model);
	if (ret)
		return ret;
	ret = tyrc_ram_alloc_pages(bb->ram, 0, TYRC_GFP_ZERO, &bb->code_pa);
	if (ret)
		return ret;
	memcpy(tyrc_ram_phys_to_virt(bb->ram, bb->code_pa), bb->words, bb->size);
	ret = tyrc_pgtable_create(bb->ram, TYRC_PGTABLE_VA_BITS, 40, &bb->pt);
	if (ret)
		return ret;
	tyrc_pgtable_gather_init(&g);
	ret = tyrc_pgtable_map(bb->pt, CODE_VA, bb->code_pa, SZ_4K,
			       TYRC_PROT_READ | TYRC_PROT_NOEXEC, &g);
	tyrc_pgtable_gather_finish(bb->pt, &g);
	if (ret)
		return ret;
	io = tyrc_model_iomem(bb->model);
	tyrc_iowrite64(io, MMU_AS(BENCH_AS) + AS_TRANSTAB, tyrc_pgtable_root(bb->pt));
	tyrc_iowrite64(io, MMU_AS(BENCH_AS) + AS_MEMATTR,
		       tyrc_mmu_memattr_from_mair(TYRC_PGTABLE_MAIR, false));
	tyrc_iowrite64(io, MMU_AS(BENCH_AS) + AS_TRANSCFG,
		       tyrc_mmu_transcfg_aarch64_4k(TYRC_PGTABLE_VA_BITS, false));
	tyrc_iowrite32(io, MMU_AS(BENCH_AS) + AS_COMMAND, AS_COMMAND_UPDATE);
	/* as_command_ns = 0: the UPDATE completed inside the write. */
	return tyrc_ioread32(io, MMU_AS(BENCH_AS) + AS_STATUS) & AS_STATUS_AS_ACTIVE ? -EBUSY : 0;
}

static void bench_teardown(struct bench *bb)
{
	tyrc_pgtable_destroy(bb->pt);
	tyrc_model_destroy(bb->model);
	tyrc_ram_destroy(bb->ram);
}

static void progress(const struct bench *bb, const char *what, int run, int runs, u64 ns)
{
	if (tyrc_ktime_get_ns() - bb->start_ns < PROGRESS_AFTER_NS)
		return;
	fprintf(stderr, "bench_cs: %s run %d/%d: %.0f ms\n", what, run + 1, runs, ns / 1e6);
}

/* Decode the executed instruction sequence once. Return: ns taken, 0 on a decode error. */
static u64 run_decode(const struct bench *bb, u64 *sink)
{
	struct tyrc_cs_instr in;
	u64 t0 = tyrc_ktime_get_ns(), sum = 0;

	for (unsigned int i = 0; i < PROLOGUE_LEN; i++) {
		if (tyrc_cs_decode(bb->words[i], &in))
			return 0;
		sum += in.opcode;
	}
	for (u32 it = 0; it < ITERATIONS; it++)
		for (unsigned int i = PROLOGUE_LEN; i < PROLOGUE_LEN + BODY_LEN; i++) {
			if (tyrc_cs_decode(bb->words[i], &in))
				return 0;
			sum += in.opcode;
		}
	*sink += sum;
	return tyrc_ktime_get_ns() - t0;
}

/* Run the stream to its end on a fresh CS. Return: ns taken, 0 if it went wrong. */
static u64 run_interpreter(struct bench *bb)
{
	struct tyrc_model *m = bb->model;
	struct model_cs_result res;
	struct model_cs cs;
	u64 t0, t1, executed = 0;

	model_cs_init(&cs, BENCH_AS);
	if (model_cs_start(&cs, CODE_VA, bb->size))
		return 0;
	t0 = tyrc_ktime_get_ns();
	while (cs.status == MODEL_CS_RUNNING) {
		tyrc_mutex_lock(&m->lock);
		model_cs_step_locked(m, &cs, NOW_NS, STEP_BUDGET, &res);
		tyrc_mutex_unlock(&m->lock);
		executed += res.executed;
	}
	t1 = tyrc_ktime_get_ns();
	/* The loop really ran: every instruction, and the right results. */
	if (cs.status != MODEL_CS_FINISHED || executed != STREAM_INSTRS ||
	    cs.regs[1] != ITERATIONS || cs.regs[2] != (u32)(3ULL * ITERATIONS) ||
	    cs.regs[4] != ITERATIONS / 2 || cs.regs[8] != 0) {
		fprintf(stderr, "bench_cs: status %d, %llu instructions, r1 %u r4 %u r8 %u\n",
			cs.status, (unsigned long long)executed, cs.regs[1], cs.regs[4],
			cs.regs[8]);
		return 0;
	}
	return t1 - t0;
}

static void print_row(const char *what, u64 ns)
{
	printf("%-40s %12.2f %10.1f %10.2f\n", what, STREAM_INSTRS * 1e3 / (double)ns, ns / 1e6,
	       (double)ns / STREAM_INSTRS);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	struct bench bb = { 0 };
	u64 *dec_ns, *int_ns, sink = 0, dec, intr;
	int ret;

	if (runs < 1)
		runs = 1;
	dec_ns = calloc((size_t)runs, sizeof(u64));
	int_ns = calloc((size_t)runs, sizeof(u64));
	ret = dec_ns && int_ns ? bench_setup(&bb) : -ENOMEM;
	if (ret) {
		fprintf(stderr, "bench_cs: setup: %d\n", ret);
		goto out;
	}
	printf("CS interpreter: a counted loop of %u synchronous instructions, %llu instructions"
	       " per run, median of %d runs\n",
	       BODY_LEN, (unsigned long long)STREAM_INSTRS, runs);
	printf("rows: decode = tyrc_cs_decode() over the executed instruction sequence"
	       " (baseline); interpreter = model_cs_step_locked() in %u-instruction steps"
	       " under the model lock (fetch through the MMU, decode, execute)\n",
	       STEP_BUDGET);
	fflush(stdout); /* before any progress line on stderr */
	bb.start_ns = tyrc_ktime_get_ns();
	for (int r = 0; r < runs && !ret; r++) {
		dec_ns[r] = run_decode(&bb, &sink);
		ret = dec_ns[r] ? 0 : -EINVAL;
		progress(&bb, "decode", r, runs, dec_ns[r]);
	}
	for (int r = 0; r < runs && !ret; r++) {
		int_ns[r] = run_interpreter(&bb);
		ret = int_ns[r] ? 0 : -EINVAL;
		progress(&bb, "interpreter", r, runs, int_ns[r]);
	}
	if (ret) {
		fprintf(stderr, "bench_cs: a run failed\n");
		goto out;
	}
	dec = median(dec_ns, runs);
	intr = median(int_ns, runs);
	printf("%-40s %12s %10s %10s\n", "path", "Minstr/s", "ms/run", "ns/instr");
	print_row("decode (baseline)", dec);
	print_row("interpreter", intr);
	printf("interpreter / decode time: %.1fx (decode checksum %llu)\n", (double)intr / dec,
	       (unsigned long long)sink);
out:
	bench_teardown(&bb);
	free(dec_ns);
	free(int_ns);
	return ret ? 1 : 0;
}
