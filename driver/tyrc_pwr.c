// SPDX-License-Identifier: MIT
/* GPU_CONTROL: identity, GPU interrupt, soft reset, cache flush, L2 power. */
#include <stdlib.h>

#include "tyrc_device.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_irq.h"
#include "tyrc_pwr.h"

/* GPU interrupts panthor enables. */
#define TYRC_GPU_INTERRUPTS_MASK                                         \
	(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT | GPU_IRQ_RESET_COMPLETED | \
	 GPU_IRQ_CLEAN_CACHES_COMPLETED)

/* L2 power polls every 100 us, as panthor. */
#define TYRC_PWR_POLL_US 100

/** struct tyrc_pwr - GPU_CONTROL state. */
struct tyrc_pwr {
	struct tyrc_irq irq;
	/** @reqs_lock: protects @pending_reqs; commands are issued under it. */
	struct tyrc_mutex reqs_lock;
	/** @pending_reqs: GPU_IRQ_* completion bits of commands in flight (reqs_lock). */
	u32 pending_reqs;
	/** @reqs_wq: woken when the IRQ handler clears bits of @pending_reqs. */
	struct tyrc_waitqueue reqs_wq;
	/** @l2_power_on_count: successful L2 power-ups (atomic: resets count, info reads). */
	u32 l2_power_on_count;
	/** @l2_on: the L2 was powered by us and not powered off since. */
	bool l2_on;
};

struct tyrc_gpu_model {
	u32 arch_major;
	u32 product_major;
	const char *name;
};

/* Mali CSF GPUs by (arch major, product major), as panthor names them. */
static const struct tyrc_gpu_model tyrc_gpu_models[] = {
	{ 10, 2, "G710" }, { 10, 3, "G510" }, { 10, 4, "G310" }, { 10, 7, "G610" },
	{ 11, 2, "G715" }, { 11, 3, "G615" }, { 12, 0, "G720" }, { 12, 1, "G620" },
	{ 13, 0, "G725" }, { 13, 1, "G625" },
};

static const char *tyrc_pwr_model_name(u32 gpu_id)
{
	u32 arch = FIELD_GET(GPU_ID_ARCH_MAJOR, gpu_id);
	u32 product = FIELD_GET(GPU_ID_PRODUCT_MAJOR, gpu_id);

	for (unsigned int i = 0; i < ARRAY_SIZE(tyrc_gpu_models); i++) {
		if (tyrc_gpu_models[i].arch_major == arch &&
		    tyrc_gpu_models[i].product_major == product)
			return tyrc_gpu_models[i].name;
	}
	return "unknown";
}

static void tyrc_pwr_irq_handler(struct tyrc_device *dev, u32 status)
{
	struct tyrc_pwr *pwr = dev->pwr;

	if (status & GPU_IRQ_FAULT) {
		u32 fault_status = tyrc_ioread32(dev->iomem, GPU_FAULT_STATUS);
		u64 addr = tyrc_ioread64(dev->iomem, GPU_FAULT_ADDR);

		tyrc_warn("GPU fault 0x%x (exception 0x%x, access %u) at 0x%llx", fault_status,
			  (u32)FIELD_GET(GPU_FAULT_STATUS_EXCEPTION_TYPE, fault_status),
			  (u32)FIELD_GET(GPU_FAULT_STATUS_ACCESS_TYPE, fault_status),
			  (unsigned long long)addr);
	}
	if (status & GPU_IRQ_PROTM_FAULT)
		tyrc_warn("GPU fault in protected mode");

	tyrc_mutex_lock(&pwr->reqs_lock);
	if (status & pwr->pending_reqs) {
		pwr->pending_reqs &= ~status;
		tyrc_wake_up_all(&pwr->reqs_wq);
	}
	tyrc_mutex_unlock(&pwr->reqs_lock);
}

static bool tyrc_pwr_req_done(struct tyrc_pwr *pwr, u32 req)
{
	bool done;

	tyrc_mutex_lock(&pwr->reqs_lock);
	done = !(pwr->pending_reqs & req);
	tyrc_mutex_unlock(&pwr->reqs_lock);
	return done;
}

/*
 * Issue @cmd, whose completion is interrupt bit @req, and wait for it. Like
 * panthor, a timed-out wait re-checks RAWSTAT before giving up, so a lost or
 * masked interrupt does not turn a completed command into a failure.
 */
static int tyrc_pwr_cmd_and_wait(struct tyrc_device *dev, u32 cmd, u32 req, u32 timeout_ms,
				 const char *what)
{
	struct tyrc_pwr *pwr = dev->pwr;
	int ret = 0;

	tyrc_mutex_lock(&pwr->reqs_lock);
	if (TYRC_WARN_ON(pwr->pending_reqs & req)) {
		tyrc_mutex_unlock(&pwr->reqs_lock);
		return -EBUSY;
	}
	pwr->pending_reqs |= req;
	tyrc_iowrite32(dev->iomem, GPU_INT_CLEAR, req);
	tyrc_iowrite32(dev->iomem, GPU_CMD, cmd);
	tyrc_mutex_unlock(&pwr->reqs_lock);

	if (tyrc_wait_event_timeout(&pwr->reqs_wq, tyrc_pwr_req_done(pwr, req),
				    (u64)timeout_ms * NSEC_PER_MSEC))
		return 0;

	tyrc_mutex_lock(&pwr->reqs_lock);
	if ((pwr->pending_reqs & req) && !(tyrc_ioread32(dev->iomem, GPU_INT_RAWSTAT) & req)) {
		tyrc_err("%s timed out after %u ms", what, timeout_ms);
		ret = -ETIMEDOUT;
	}
	pwr->pending_reqs &= ~req;
	tyrc_mutex_unlock(&pwr->reqs_lock);
	return ret;
}

int tyrc_pwr_soft_reset(struct tyrc_device *dev)
{
	return tyrc_pwr_cmd_and_wait(dev, tyrc_gpu_cmd_soft_reset(), GPU_IRQ_RESET_COMPLETED,
				     dev->cfg.reset_timeout_ms, "soft reset");
}

int tyrc_pwr_flush_caches(struct tyrc_device *dev, u32 l2, u32 lsc, u32 other)
{
	return tyrc_pwr_cmd_and_wait(dev, tyrc_gpu_cmd_flush_caches(l2, lsc, other),
				     GPU_IRQ_CLEAN_CACHES_COMPLETED, dev->cfg.reset_timeout_ms,
				     "cache flush");
}

/* Read every identity register once; they are constant while the GPU lives. */
static void tyrc_pwr_read_info(struct tyrc_device *dev)
{
	struct drm_panthor_gpu_info *info = &dev->gpu_info;
	struct tyrc_iomem *io = dev->iomem;

	info->gpu_id = tyrc_ioread32(io, GPU_ID);
	info->gpu_rev = tyrc_ioread32(io, GPU_REVID);
	info->csf_id = tyrc_ioread32(io, GPU_CSF_ID);
	info->l2_features = tyrc_ioread32(io, GPU_L2_FEATURES);
	info->core_features = tyrc_ioread32(io, GPU_CORE_FEATURES);
	info->tiler_features = tyrc_ioread32(io, GPU_TILER_FEATURES);
	info->mem_features = tyrc_ioread32(io, GPU_MEM_FEATURES);
	info->mmu_features = tyrc_ioread32(io, GPU_MMU_FEATURES);
	info->thread_features = tyrc_ioread32(io, GPU_THREAD_FEATURES);
	info->max_threads = tyrc_ioread32(io, GPU_THREAD_MAX_THREADS);
	info->thread_max_workgroup_size = tyrc_ioread32(io, GPU_THREAD_MAX_WORKGROUP_SIZE);
	info->thread_max_barrier_size = tyrc_ioread32(io, GPU_THREAD_MAX_BARRIER_SIZE);
	info->coherency_features = tyrc_ioread32(io, GPU_COHERENCY_FEATURES);
	info->texture_features[0] = tyrc_ioread32(io, GPU_TEXTURE_FEATURES0);
	info->texture_features[1] = tyrc_ioread32(io, GPU_TEXTURE_FEATURES1);
	info->texture_features[2] = tyrc_ioread32(io, GPU_TEXTURE_FEATURES2);
	info->texture_features[3] = tyrc_ioread32(io, GPU_TEXTURE_FEATURES3);
	info->as_present = tyrc_ioread32(io, GPU_AS_PRESENT);
	info->shader_present = tyrc_ioread64(io, GPU_SHADER_PRESENT);
	info->tiler_present = tyrc_ioread64(io, GPU_TILER_PRESENT);
	info->l2_present = tyrc_ioread64(io, GPU_L2_PRESENT);
	info->gpu_features = tyrc_ioread64(io, GPU_FEATURES);
	info->selected_coherency =
		dev->coherent ? DRM_PANTHOR_GPU_COHERENCY_ACE_LITE : DRM_PANTHOR_GPU_COHERENCY_NONE;
	dev->model_name = tyrc_pwr_model_name(info->gpu_id);
}

/*
 * Move the domain bits @mask on (@on) or off: wait for any transition to
 * finish, write the request register, then wait until READY shows every bit
 * in the wanted state. (panthor 6.18's power-on poll accepts READY == 0 as
 * done; we wait for the bits we asked for.)
 */
static int tyrc_pwr_domain_set(struct tyrc_device *dev, u32 pwrtrans, u32 request, u32 ready,
			       u64 mask, bool on, const char *name)
{
	u32 timeout_us = dev->cfg.pwr_timeout_ms * 1000;
	u64 val;
	int ret;

	ret = tyrc_ioread64_poll_timeout(dev->iomem, pwrtrans, val, !(val & mask), TYRC_PWR_POLL_US,
					 timeout_us);
	if (ret) {
		tyrc_err("%s: stuck in transition (PWRTRANS 0x%llx)", name,
			 (unsigned long long)val);
		return ret;
	}
	tyrc_iowrite64(dev->iomem, request, mask);
	ret = tyrc_ioread64_poll_timeout(dev->iomem, ready, val, (val & mask) == (on ? mask : 0),
					 TYRC_PWR_POLL_US, timeout_us);
	if (ret)
		tyrc_err("%s: power-%s timed out (READY 0x%llx, mask 0x%llx)", name,
			 on ? "on" : "off", (unsigned long long)val, (unsigned long long)mask);
	return ret;
}

/* With several L2s, only the first core group's is powered (panthor). */
static u64 tyrc_pwr_l2_mask(struct tyrc_device *dev)
{
	u64 present = dev->gpu_info.l2_present;

	return present == 1 ? 1 : present & -present;
}

int tyrc_pwr_l2_power_on(struct tyrc_device *dev)
{
	int ret;

	/* The coherency protocol must be set before the L2 comes up. */
	tyrc_iowrite32(dev->iomem, GPU_COHERENCY_PROTOCOL, dev->gpu_info.selected_coherency);
	ret = tyrc_pwr_domain_set(dev, GPU_L2_PWRTRANS, GPU_L2_PWRON, GPU_L2_READY,
				  tyrc_pwr_l2_mask(dev), true, "L2");
	if (!ret) {
		dev->pwr->l2_on = true;
		__atomic_fetch_add(&dev->pwr->l2_power_on_count, 1, __ATOMIC_RELAXED);
	}
	return ret;
}

int tyrc_pwr_l2_power_off(struct tyrc_device *dev)
{
	int ret = tyrc_pwr_domain_set(dev, GPU_L2_PWRTRANS, GPU_L2_PWROFF, GPU_L2_READY,
				      tyrc_pwr_l2_mask(dev), false, "L2");

	dev->pwr->l2_on = false;
	return ret;
}

u32 tyrc_pwr_l2_power_on_count(struct tyrc_device *dev)
{
	return dev->pwr ? __atomic_load_n(&dev->pwr->l2_power_on_count, __ATOMIC_RELAXED) : 0;
}

int tyrc_pwr_init(struct tyrc_device *dev)
{
	struct tyrc_pwr *pwr;
	u32 gpu_id;
	int ret;

	/* A GPU that reads 0 is not there (powered off or wrong address). */
	gpu_id = tyrc_ioread32(dev->iomem, GPU_ID);
	if (!gpu_id)
		return -ENXIO;
	if (FIELD_GET(GPU_ID_ARCH_MAJOR, gpu_id) < 10) {
		tyrc_err("GPU id 0x%08x is not a CSF GPU (arch < 10)", gpu_id);
		return -ENODEV;
	}

	pwr = calloc(1, sizeof(*pwr));
	if (!pwr)
		return -ENOMEM;
	tyrc_mutex_init(&pwr->reqs_lock);
	tyrc_waitqueue_init(&pwr->reqs_wq);
	dev->pwr = pwr;

	ret = tyrc_irq_request(dev, &pwr->irq, dev->platform.irq_gpu, GPU_INT_RAWSTAT,
			       TYRC_GPU_INTERRUPTS_MASK, tyrc_pwr_irq_handler);
	if (ret)
		goto err_free;

	ret = tyrc_pwr_soft_reset(dev);
	if (ret)
		goto err_release_irq;

	tyrc_pwr_read_info(dev);

	ret = tyrc_pwr_l2_power_on(dev);
	if (ret)
		goto err_release_irq;

	tyrc_info("mali-%s id 0x%x major 0x%x minor 0x%x status 0x%x", dev->model_name,
		  dev->gpu_info.gpu_id >> 16,
		  (u32)FIELD_GET(GPU_ID_VERSION_MAJOR, dev->gpu_info.gpu_id),
		  (u32)FIELD_GET(GPU_ID_VERSION_MINOR, dev->gpu_info.gpu_id),
		  (u32)FIELD_GET(GPU_ID_VERSION_STATUS, dev->gpu_info.gpu_id));
	return 0;

err_release_irq:
	tyrc_irq_release(&pwr->irq);
err_free:
	tyrc_waitqueue_destroy(&pwr->reqs_wq);
	tyrc_mutex_destroy(&pwr->reqs_lock);
	free(pwr);
	dev->pwr = NULL;
	return ret;
}

void tyrc_pwr_fini(struct tyrc_device *dev)
{
	struct tyrc_pwr *pwr = dev->pwr;

	if (!pwr)
		return;
	if (pwr->l2_on)
		tyrc_pwr_l2_power_off(dev);
	tyrc_irq_release(&pwr->irq);
	tyrc_waitqueue_destroy(&pwr->reqs_wq);
	tyrc_mutex_destroy(&pwr->reqs_lock);
	free(pwr);
	dev->pwr = NULL;
}

void tyrc_pwr_suspend(struct tyrc_device *dev)
{
	if (dev->pwr->l2_on)
		tyrc_pwr_l2_power_off(dev);
	tyrc_irq_suspend(&dev->pwr->irq);
}

int tyrc_pwr_resume(struct tyrc_device *dev)
{
	tyrc_irq_resume(&dev->pwr->irq, TYRC_GPU_INTERRUPTS_MASK);
	return tyrc_pwr_l2_power_on(dev);
}
