// SPDX-License-Identifier: MIT
/*
 * DOC: Power domains
 *
 * L2, TILER and SHADER each have PRESENT / READY / PWRON / PWROFF /
 * PWRTRANS / PWRACTIVE (mali-g610-hw.md §5). The model tracks every
 * PRESENT bit separately; bits outside PRESENT are ignored everywhere.
 *
 * - PWRON of an off bit puts it in PWRTRANS for the domain's latency
 *   (l2_power_ns or core_power_ns); then READY is set and PWRTRANS cleared.
 *   READY stays clear while powering up, so a driver that reads READY
 *   before the latency elapsed sees "not ready". PWROFF is symmetric: READY
 *   stays set while powering down and clears on completion. A zero latency
 *   completes inside the register write.
 * - A request for a bit already on (or powering up) is a no-op; likewise
 *   PWROFF of a bit already off (or powering down). A request against a
 *   bit transitioning the other way reverses it, with a fresh latency.
 * - Each completion batch raises GPU_INT POWER_CHANGED, and also
 *   POWER_CHANGED_ALL once no bit of any domain is transitioning.
 * - The 64-bit PWRON/PWROFF registers act per 32-bit write: the LO write
 *   requests bits 0-31, the HI write bits 32-63.
 * - Shader and tiler cores need a powered L2. A core PWRON while no L2 bit
 *   is READY and stable (not transitioning) is refused: the bits stay off
 *   and a warning is logged, so the driver bug shows as a core that never
 *   becomes READY.
 * - An L2 PWROFF that takes down the last powered L2 while shader or tiler
 *   cores are on (or powering up) powers those cores off first: they enter
 *   PWRTRANS with the core latency and the L2 completes one L2 latency after
 *   the last of them.
 * - PWRACTIVE reads 0: no core executes work until the firmware emulation
 *   exists.
 * - The GPU clock (GPU_CYCLE_COUNT) runs while any L2 bit is READY.
 * - A GPU reset abandons pending transitions (see model_gpu.c) and then
 *   powers every domain off.
 */
#include "model_priv.h"

/** struct model_pwr_regs - the registers of one domain. */
struct model_pwr_regs {
	u32 present;
	u32 ready;
	u32 pwron;
	u32 pwroff;
	u32 pwrtrans;
	u32 pwractive;
};

static const struct model_pwr_regs model_pwr_reg_table[MODEL_PWR_DOMAIN_COUNT] = {
	[MODEL_PWR_SHADER] = { GPU_SHADER_PRESENT, GPU_SHADER_READY, GPU_SHADER_PWRON,
			       GPU_SHADER_PWROFF, GPU_SHADER_PWRTRANS, GPU_SHADER_PWRACTIVE },
	[MODEL_PWR_TILER] = { GPU_TILER_PRESENT, GPU_TILER_READY, GPU_TILER_PWRON, GPU_TILER_PWROFF,
			      GPU_TILER_PWRTRANS, GPU_TILER_PWRACTIVE },
	[MODEL_PWR_L2] = { GPU_L2_PRESENT, GPU_L2_READY, GPU_L2_PWRON, GPU_L2_PWROFF,
			   GPU_L2_PWRTRANS, GPU_L2_PWRACTIVE },
};

static const char *const model_pwr_names[MODEL_PWR_DOMAIN_COUNT] = {
	[MODEL_PWR_SHADER] = "shader",
	[MODEL_PWR_TILER] = "tiler",
	[MODEL_PWR_L2] = "l2",
};

/** model_pwr_init() - set up the domains from the config, all powered off. */
void model_pwr_init(struct tyrc_model *m)
{
	const u64 present[MODEL_PWR_DOMAIN_COUNT] = {
		[MODEL_PWR_SHADER] = m->cfg.shader_present,
		[MODEL_PWR_TILER] = m->cfg.tiler_present,
		[MODEL_PWR_L2] = m->cfg.l2_present,
	};

	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		struct model_pwr_domain *dom = &m->pwr[d];

		*dom = (struct model_pwr_domain){
			.name = model_pwr_names[d],
			.present = present[d],
			.latency_ns = d == MODEL_PWR_L2 ? m->cfg.l2_power_ns : m->cfg.core_power_ns,
		};
	}
}

static bool model_pwr_l2_on(struct tyrc_model *m)
{
	return m->pwr[MODEL_PWR_L2].ready != 0;
}

/** model_pwr_reset_locked() - every domain off, nothing transitioning. */
void model_pwr_reset_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		m->pwr[d].ready = 0;
		m->pwr[d].trans = 0;
		m->pwr[d].trans_on = 0;
	}
}

/**
 * model_pwr_abort_locked() - abandon pending transitions (GPU reset start);
 * READY keeps its current value until the reset completes.
 */
void model_pwr_abort_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		m->pwr[d].trans = 0;
		m->pwr[d].trans_on = 0;
	}
}

/** model_pwr_busy_locked() - true while any bit of any domain transitions. */
bool model_pwr_busy_locked(struct tyrc_model *m)
{
	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++)
		if (m->pwr[d].trans)
			return true;
	return false;
}

/* Start a transition of the bits in @mask to the @on state, completing at @deadline. */
static void model_pwr_start(struct model_pwr_domain *dom, u64 mask, bool on, u64 deadline)
{
	for (u64 bits = mask; bits; bits &= bits - 1) {
		unsigned int i = __builtin_ctzll(bits);
		u64 bit = BIT_ULL(i);

		if (dom->trans & bit) {
			if (!!(dom->trans_on & bit) == on)
				continue; /* already heading there */
		} else if (!!(dom->ready & bit) == on) {
			continue; /* already there */
		}
		dom->trans |= bit;
		if (on)
			dom->trans_on |= bit;
		else
			dom->trans_on &= ~bit;
		dom->deadline[i] = deadline;
	}
}

static void model_pwr_on_locked(struct tyrc_model *m, enum model_pwr_domain_id d, u64 mask, u64 now)
{
	struct model_pwr_domain *dom = &m->pwr[d];
	struct model_pwr_domain *l2 = &m->pwr[MODEL_PWR_L2];

	mask &= dom->present;
	if (!mask)
		return;
	if (d != MODEL_PWR_L2 && !(l2->ready & ~l2->trans)) {
		tyrc_warn("model: %s PWRON 0x%llx refused: L2 not powered", dom->name,
			  (unsigned long long)mask);
		return;
	}
	model_pwr_start(dom, mask, true, now + dom->latency_ns);
}

static void model_pwr_off_locked(struct tyrc_model *m, enum model_pwr_domain_id d, u64 mask,
				 u64 now)
{
	struct model_pwr_domain *dom = &m->pwr[d];
	u64 start = now;

	mask &= dom->present;
	if (!mask)
		return;
	if (d == MODEL_PWR_L2 && (mask & (dom->ready | dom->trans_on)) &&
	    !((dom->ready | dom->trans_on) & ~mask)) {
		/* The last powered L2 goes down; the cores depend on it: take them down first. */
		for (int c = 0; c < MODEL_PWR_DOMAIN_COUNT; c++) {
			struct model_pwr_domain *core = &m->pwr[c];
			u64 on = (core->ready | core->trans_on) & core->present;

			if (c == MODEL_PWR_L2 || !on)
				continue;
			tyrc_dbg("model: L2 PWROFF with %s cores 0x%llx on: powering them off",
				 core->name, (unsigned long long)on);
			model_pwr_start(core, on, false, now + core->latency_ns);
			for (u64 b = core->trans & ~core->trans_on; b; b &= b - 1)
				start = tyrc_max(start, core->deadline[__builtin_ctzll(b)]);
		}
	}
	model_pwr_start(dom, mask, false, start + dom->latency_ns);
}

static const struct model_pwr_regs *model_pwr_find(u32 base, int *domain)
{
	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		const struct model_pwr_regs *r = &model_pwr_reg_table[d];

		if (base == r->present || base == r->ready || base == r->pwron ||
		    base == r->pwroff || base == r->pwrtrans || base == r->pwractive) {
			*domain = d;
			return r;
		}
	}
	return NULL;
}

/**
 * model_pwr_read_locked() - read a power register.
 * Return: false if @reg is not a power register.
 */
bool model_pwr_read_locked(struct tyrc_model *m, u32 reg, bool hi, u32 *value)
{
	const struct model_pwr_regs *r;
	struct model_pwr_domain *dom;
	int d;
	u64 v = 0;

	tyrc_lockdep_assert_held(&m->lock);
	r = model_pwr_find(reg, &d);
	if (!r)
		return false;
	dom = &m->pwr[d];
	if (reg == r->present)
		v = dom->present;
	else if (reg == r->ready)
		v = dom->ready;
	else if (reg == r->pwrtrans)
		v = dom->trans;
	/* PWRACTIVE: nothing executes yet; PWRON/PWROFF are write-only. */
	*value = model_get_word(v, hi);
	return true;
}

/**
 * model_pwr_write_locked() - write a power register.
 * Return: false if @reg is not a power register.
 */
bool model_pwr_write_locked(struct tyrc_model *m, u32 reg, bool hi, u32 value, u64 now)
{
	const struct model_pwr_regs *r;
	int d;
	u64 mask;

	tyrc_lockdep_assert_held(&m->lock);
	r = model_pwr_find(reg, &d);
	if (!r)
		return false;
	mask = hi ? (u64)value << 32 : value;
	if (m->gpu.reset_pending) {
		tyrc_dbg("model: %s power request ignored during GPU reset", m->pwr[d].name);
		return true;
	}
	if (reg == r->pwron)
		model_pwr_on_locked(m, d, mask, now);
	else if (reg == r->pwroff)
		model_pwr_off_locked(m, d, mask, now);
	return true;
}

/** model_pwr_run_events_locked() - complete every transition due by @now. */
void model_pwr_run_events_locked(struct tyrc_model *m, u64 now)
{
	bool l2_was_on = model_pwr_l2_on(m);
	bool changed = false;
	u64 last = 0;

	tyrc_lockdep_assert_held(&m->lock);
	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		struct model_pwr_domain *dom = &m->pwr[d];

		for (u64 bits = dom->trans; bits; bits &= bits - 1) {
			unsigned int i = __builtin_ctzll(bits);
			u64 bit = BIT_ULL(i);

			if (dom->deadline[i] > now)
				continue;
			if (dom->trans_on & bit)
				dom->ready |= bit;
			else
				dom->ready &= ~bit;
			dom->trans &= ~bit;
			dom->trans_on &= ~bit;
			last = tyrc_max(last, dom->deadline[i]);
			changed = true;
		}
	}
	if (!changed)
		return;
	if (model_pwr_l2_on(m) != l2_was_on)
		model_gpu_clock_set_locked(m, !l2_was_on, last);
	model_irq_block_raise_locked(
		m, &m->irq[TYRC_MODEL_IRQ_GPU],
		GPU_IRQ_POWER_CHANGED | (model_pwr_busy_locked(m) ? 0 : GPU_IRQ_POWER_CHANGED_ALL));
}

/** model_pwr_next_deadline_locked() - earliest pending transition, or MODEL_NO_DEADLINE. */
u64 model_pwr_next_deadline_locked(struct tyrc_model *m)
{
	u64 next = MODEL_NO_DEADLINE;

	for (int d = 0; d < MODEL_PWR_DOMAIN_COUNT; d++) {
		struct model_pwr_domain *dom = &m->pwr[d];

		for (u64 bits = dom->trans; bits; bits &= bits - 1)
			next = tyrc_min(next, dom->deadline[__builtin_ctzll(bits)]);
	}
	return next;
}
