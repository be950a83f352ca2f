// SPDX-License-Identifier: MIT
/*
 * DOC: Model core
 *
 * Configuration, creation and destruction, the MMIO window and the event
 * timer. The MMIO layer enforces the access rules of the register tables
 * (driver/regs) for every block: offsets outside the window, unaligned
 * offsets and offsets no register covers read 0 and ignore writes; writes to
 * RO registers are ignored and WO registers read 0 (each logged at debug
 * level). A 64-bit register is two independent 32-bit words, LO at its
 * offset and HI at +4. Everything else is dispatched to the block files:
 * model_gpu.c (GPU_CONTROL, MCU registers, LATEST_FLUSH_ID), model_pwr.c
 * (power domains, reached through model_gpu.c), model_irq.c (JOB_INT,
 * MMU_INT; GPU_INT through model_gpu.c), model_mmu.c (address spaces) and
 * model_mcu.c (doorbells; the firmware emulation, with model_glb.c). The
 * GPU's own memory accesses go through model_mem.c.
 *
 * Locking and timed events: see model_priv.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model_priv.h"

void tyrc_model_config_init_g610(struct tyrc_model_config *cfg)
{
	*cfg = (struct tyrc_model_config){
		.gpu_id = 0xa8670005,
		.gpu_rev = 0,
		.csf_id = 0x040a0412,
		.l2_features = 0x07120306,
		.core_features = 0,
		.tiler_features = 0x809,
		.mem_features = 0x301,
		.mmu_features = 0x2830,
		.as_present = 0xff,
		.thread_features = 0x04010000,
		.thread_max_threads = 2048,
		.thread_max_workgroup_size = 1024,
		.thread_max_barrier_size = 1024,
		.texture_features = { 0xc1ffff9e, 0, 0, 0 },
		.coherency_features = BIT(GPU_COHERENCY_ACE_LITE),
		.gpu_features = 0,
		.shader_present = 0x50005,
		.tiler_present = 1,
		.l2_present = 1,
		.timestamp_frequency_hz = 24000000,
		.gpu_frequency_hz = 1000000000,
		.soft_reset_ns = 100 * NSEC_PER_USEC,
		.hard_reset_ns = 200 * NSEC_PER_USEC,
		.l2_power_ns = 20 * NSEC_PER_USEC,
		.core_power_ns = 10 * NSEC_PER_USEC,
		.cache_flush_ns = 5 * NSEC_PER_USEC,
		.as_command_ns = 2 * NSEC_PER_USEC,
		.mcu_boot_ns = 200 * NSEC_PER_USEC,
		.mcu_response_ns = 20 * NSEC_PER_USEC,
		.sync_wait_poll_ns = 100 * NSEC_PER_USEC,
		.trace_mmio = false,
	};
}

static bool model_config_reject(const char *why)
{
	tyrc_dbg("model: invalid config: %s", why);
	return false;
}

bool tyrc_model_config_is_valid(const struct tyrc_model_config *cfg)
{
	u32 va_bits, pa_bits;

	if (!cfg)
		return model_config_reject("no config");
	if (!cfg->gpu_id)
		return model_config_reject("GPU_ID is 0");
	if (FIELD_GET(GPU_ID_ARCH_MAJOR, cfg->gpu_id) < 10)
		return model_config_reject("GPU_ID arch_major < 10 (not a CSF GPU)");
	if (!cfg->csf_id)
		return model_config_reject("CSF_ID is 0");
	if (!cfg->as_present || (cfg->as_present & ~GENMASK(MMU_AS_COUNT - 1, 0)))
		return model_config_reject("AS_PRESENT empty or beyond MMU_AS_COUNT");
	if (!cfg->shader_present || !cfg->tiler_present || !cfg->l2_present)
		return model_config_reject("a SHADER/TILER/L2_PRESENT mask is empty");
	va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, cfg->mmu_features);
	pa_bits = FIELD_GET(GPU_MMU_FEATURES_PA_BITS, cfg->mmu_features);
	if (va_bits < 32 || va_bits > 64 || pa_bits < 32 || pa_bits > 52)
		return model_config_reject("MMU_FEATURES VA/PA bits out of range");
	if (cfg->coherency_features & ~GENMASK(GPU_COHERENCY_NONE - 1, 0))
		return model_config_reject("COHERENCY_FEATURES names a protocol >= NONE");
	if (!cfg->timestamp_frequency_hz || !cfg->gpu_frequency_hz)
		return model_config_reject("a clock frequency is 0");
	if (cfg->soft_reset_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->hard_reset_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->l2_power_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->core_power_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->cache_flush_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->as_command_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->mcu_boot_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->mcu_response_ns > TYRC_MODEL_MAX_LATENCY_NS ||
	    cfg->sync_wait_poll_ns > TYRC_MODEL_MAX_LATENCY_NS)
		return model_config_reject("a latency exceeds TYRC_MODEL_MAX_LATENCY_NS");
	return true;
}

/**
 * model_reset_state_locked() - every register to its reset value.
 * @now: time of the reset (starts the cycle counter's bookkeeping).
 *
 * GPU_INT_MASK is kept (see the Reset section of model_gpu.c); at creation
 * it is 0 anyway.
 */
void model_reset_state_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	model_gpu_reset_locked(m, now);
	model_mcu_reset_locked(m);
	model_pwr_reset_locked(m);
	model_mmu_reset_locked(m);
	model_irq_block_reset_locked(m, &m->irq[TYRC_MODEL_IRQ_GPU], true);
	model_irq_block_reset_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB], false);
	model_irq_block_reset_locked(m, &m->irq[TYRC_MODEL_IRQ_MMU], false);
}

/** model_run_events_locked() - complete every timed event due by @now. */
void model_run_events_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	model_gpu_run_events_locked(m, now);
	model_pwr_run_events_locked(m, now);
	model_mmu_run_events_locked(m, now);
	/* After the MMU: an AS 0 command completing now is visible to the MCU. */
	model_mcu_run_events_locked(m, now);
}

/* Make sure the event timer fires no later than the earliest pending deadline. */
static void model_timer_rearm_locked(struct tyrc_model *m)
{
	u64 next = tyrc_min(model_gpu_next_deadline_locked(m), model_pwr_next_deadline_locked(m));

	tyrc_lockdep_assert_held(&m->lock);
	next = tyrc_min(next, model_mmu_next_deadline_locked(m));
	next = tyrc_min(next, model_mcu_next_deadline_locked(m));
	if (m->dying || next == MODEL_NO_DEADLINE)
		return;
	if (m->timer_armed && m->timer_expires <= next)
		return;
	m->timer_armed = true;
	m->timer_expires = next;
	tyrc_timer_start(&m->timer, next);
}

/**
 * model_timer_cancel_locked() - disarm the event timer without waiting for a
 * running callback (which then finds nothing due, or re-arms as needed).
 */
void model_timer_cancel_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (!m->timer_armed)
		return;
	tyrc_timer_try_cancel(&m->timer);
	m->timer_armed = false;
}

static void model_timer_fn(struct tyrc_timer *timer)
{
	struct tyrc_model *m = container_of(timer, struct tyrc_model, timer);

	tyrc_mutex_lock(&m->lock);
	m->timer_armed = false;
	if (!m->dying) {
		model_run_events_locked(m, tyrc_ktime_get_ns());
		model_timer_rearm_locked(m);
	}
	tyrc_mutex_unlock(&m->lock);
}

/* The register covering @offset, or NULL (logged) when unmapped or misaligned. */
static const struct tyrc_reg_desc *model_mmio_desc(struct tyrc_model *m, u32 offset,
						   const char *what)
{
	const struct tyrc_reg_desc *d = NULL;

	if (offset < TYRC_GPU_MMIO_SIZE && !(offset & 3) && offset / 4 < m->desc_words)
		d = m->desc[offset / 4];
	if (!d)
		tyrc_dbg("model: %s of unmapped offset 0x%x ignored", what, offset);
	return d;
}

static void model_mmio_trace(struct tyrc_model *m, const char *dir, const struct tyrc_reg_desc *d,
			     bool hi, u32 value)
{
	const char *word = d->width == 64 ? (hi ? "_HI" : "_LO") : "";

	tyrc_dbg("model: %s %s%s 0x%08x", dir, d->name, word, value);
}

static u32 model_mmio_read32(void *priv, u32 offset)
{
	struct tyrc_model *m = priv;
	const struct tyrc_reg_desc *d = model_mmio_desc(m, offset, "read");
	bool hi;
	u32 value;
	u64 now;

	if (!d)
		return 0;
	if (d->access == TYRC_REG_WO) {
		tyrc_dbg("model: read of write-only %s ignored", d->name);
		return 0;
	}
	hi = offset != d->offset;

	tyrc_mutex_lock(&m->lock);
	now = tyrc_ktime_get_ns();
	model_run_events_locked(m, now);
	if (d->offset >= CSF_GPU_LATEST_FLUSH_ID)
		value = model_gpu_read_locked(m, d->offset, hi, now);
	else if (d->offset >= MMU_AS_BASE)
		value = model_mmu_read_locked(m, d->offset, hi);
	else if (d->offset >= MMU_BASE)
		value = model_irq_block_read_locked(m, &m->irq[TYRC_MODEL_IRQ_MMU],
						    d->offset - MMU_INT_RAWSTAT);
	else if (d->offset >= JOB_CONTROL_BASE)
		value = model_irq_block_read_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB],
						    d->offset - JOB_INT_RAWSTAT);
	else
		value = model_gpu_read_locked(m, d->offset, hi, now);
	model_timer_rearm_locked(m);
	tyrc_mutex_unlock(&m->lock);

	if (m->trace)
		model_mmio_trace(m, "read ", d, hi, value);
	return value;
}

static void model_mmio_write32(void *priv, u32 offset, u32 value)
{
	struct tyrc_model *m = priv;
	const struct tyrc_reg_desc *d = model_mmio_desc(m, offset, "write");
	bool hi;
	u64 now;

	if (!d)
		return;
	hi = offset != d->offset;
	if (m->trace)
		model_mmio_trace(m, "write", d, hi, value);
	if (d->access == TYRC_REG_RO) {
		tyrc_dbg("model: write of read-only %s ignored", d->name);
		return;
	}

	tyrc_mutex_lock(&m->lock);
	now = tyrc_ktime_get_ns();
	model_run_events_locked(m, now);
	if (d->offset >= CSF_DOORBELL_BASE)
		model_mcu_doorbell_locked(m, (d->offset - CSF_DOORBELL_BASE) / CSF_DOORBELL_STRIDE,
					  now);
	else if (d->offset >= MMU_AS_BASE)
		model_mmu_write_locked(m, d->offset, hi, value, now);
	else if (d->offset >= MMU_BASE)
		model_irq_block_write_locked(m, &m->irq[TYRC_MODEL_IRQ_MMU],
					     d->offset - MMU_INT_RAWSTAT, value);
	else if (d->offset >= JOB_CONTROL_BASE)
		model_irq_block_write_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB],
					     d->offset - JOB_INT_RAWSTAT, value);
	else
		model_gpu_write_locked(m, d->offset, hi, value, now);
	/* Zero-latency events complete inside the write that started them. */
	model_run_events_locked(m, now);
	model_timer_rearm_locked(m);
	tyrc_mutex_unlock(&m->lock);
}

static const struct tyrc_iomem_ops model_iomem_ops = {
	.read32 = model_mmio_read32,
	.write32 = model_mmio_write32,
};

/* Index every register of the shared tables by 32-bit word. */
static int model_desc_init(struct tyrc_model *m)
{
	unsigned int count = tyrc_regs_count();
	u32 words = 0;

	for (unsigned int i = 0; i < count; i++) {
		const struct tyrc_reg_desc *d = tyrc_regs_at(i);

		words = tyrc_max(words, (d->offset + d->width / 8) / 4);
	}
	m->desc = calloc(words, sizeof(*m->desc));
	if (!m->desc)
		return -ENOMEM;
	m->desc_words = words;
	for (unsigned int i = 0; i < count; i++) {
		const struct tyrc_reg_desc *d = tyrc_regs_at(i);

		for (u32 w = 0; w < d->width / 32u; w++)
			m->desc[d->offset / 4 + w] = d;
	}
	return 0;
}

static bool model_trace_from_env(void)
{
	const char *v = getenv("TYRC_MODEL_TRACE");

	return v && *v && strcmp(v, "0") != 0;
}

static const char *const model_irq_names[TYRC_MODEL_IRQ_COUNT] = {
	[TYRC_MODEL_IRQ_JOB] = "job",
	[TYRC_MODEL_IRQ_MMU] = "mmu",
	[TYRC_MODEL_IRQ_GPU] = "gpu",
};

/*
 * The LATEST_FLUSH_ID page as a memfd: the model keeps a writable shared
 * mapping, then seals the file so every later mapping (the user's) is
 * read-only and the size is fixed.
 */
static int model_flush_id_page_init(struct tyrc_model *m)
{
	void *page;

	m->flush_id_fd = memfd_create("tyrc-latest-flush-id", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m->flush_id_fd < 0)
		return -errno;
	if (ftruncate(m->flush_id_fd, CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE))
		goto err_close;
	page = mmap(NULL, CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    m->flush_id_fd, 0);
	if (page == MAP_FAILED)
		goto err_close;
	m->flush_id_page = page;
	if (fcntl(m->flush_id_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE))
		tyrc_warn("model: cannot seal the LATEST_FLUSH_ID page: %s", strerror(errno));
	return 0;

err_close:
	close(m->flush_id_fd);
	m->flush_id_fd = -1;
	return -ENOMEM;
}

static void model_flush_id_page_fini(struct tyrc_model *m)
{
	if (m->flush_id_page)
		munmap(m->flush_id_page, CSF_GPU_LATEST_FLUSH_ID_PAGE_SIZE);
	if (m->flush_id_fd >= 0)
		close(m->flush_id_fd);
}

int tyrc_model_create(const struct tyrc_model_config *cfg, struct tyrc_ram *ram,
		      struct tyrc_model **out)
{
	struct tyrc_model *m;
	int irq, ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!tyrc_model_config_is_valid(cfg) || !ram)
		return -EINVAL;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->csgs = model_csgs_alloc();
	if (!m->csgs) {
		free(m);
		return -ENOMEM;
	}
	m->cfg = *cfg;
	m->ram = ram;
	m->trace = cfg->trace_mmio || model_trace_from_env();
	m->flush_id_fd = -1;
	ret = model_flush_id_page_init(m);
	if (ret)
		goto err_free_model;
	ret = model_desc_init(m);
	if (ret)
		goto err_flush_id_page;
	tyrc_mutex_init(&m->lock);
	for (irq = 0; irq < TYRC_MODEL_IRQ_COUNT; irq++) {
		ret = model_irq_block_init(&m->irq[irq], model_irq_names[irq]);
		if (ret)
			goto err_fini_irqs;
	}
	tyrc_timer_init(&m->timer, model_timer_fn);
	model_pwr_init(m);

	tyrc_mutex_lock(&m->lock);
	model_reset_state_locked(m, tyrc_ktime_get_ns());
	tyrc_mutex_unlock(&m->lock);

	m->iomem = (struct tyrc_iomem){
		.ops = &model_iomem_ops,
		.priv = m,
		.size = TYRC_GPU_MMIO_SIZE,
	};
	*out = m;
	return 0;

err_fini_irqs:
	while (irq-- > 0)
		model_irq_block_fini(&m->irq[irq]);
	tyrc_mutex_destroy(&m->lock);
	free(m->desc);
err_flush_id_page:
	model_flush_id_page_fini(m);
err_free_model:
	free(m->csgs);
	free(m);
	return ret;
}

void tyrc_model_destroy(struct tyrc_model *model)
{
	if (!model)
		return;
	tyrc_mutex_lock(&model->lock);
	model->dying = true;
	tyrc_mutex_unlock(&model->lock);
	/* Without the model lock: this waits for a running callback, which takes it. */
	tyrc_timer_cancel(&model->timer);

	for (int irq = 0; irq < TYRC_MODEL_IRQ_COUNT; irq++)
		model_irq_block_fini(&model->irq[irq]);
	tyrc_mutex_destroy(&model->lock);
	free(model->desc);
	model_flush_id_page_fini(model);
	free(model->csgs);
	free(model);
}

int tyrc_model_flush_id_page_fd(struct tyrc_model *model)
{
	return model->flush_id_fd;
}

struct tyrc_iomem *tyrc_model_iomem(struct tyrc_model *model)
{
	return &model->iomem;
}

struct tyrc_irq_line *tyrc_model_irq_line(struct tyrc_model *model, enum tyrc_model_irq which)
{
	if ((unsigned int)which >= TYRC_MODEL_IRQ_COUNT)
		return NULL;
	return model->irq[which].line;
}

bool tyrc_model_irq_asserted(struct tyrc_model *model, enum tyrc_model_irq which)
{
	bool asserted;

	if ((unsigned int)which >= TYRC_MODEL_IRQ_COUNT)
		return false;
	tyrc_mutex_lock(&model->lock);
	asserted = model->irq[which].asserted;
	tyrc_mutex_unlock(&model->lock);
	return asserted;
}
