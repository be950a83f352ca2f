// SPDX-License-Identifier: MIT
/*
 * Device probe/remove and GPU reset: the bring-up ladder is DRM core → pwr
 * (reset, identify, L2) → mmu → fw (load, boot, global interface); remove
 * and failures unwind it in reverse. A reset runs pre_reset top-down and
 * post_reset bottom-up, as panthor does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyrc_device.h"
#include "tyrc_fw.h"
#include "tyrc_mmu.h"
#include "tyrc_pwr.h"
#include "tyrc_sched.h"

void tyrc_device_config_init(struct tyrc_device_config *cfg)
{
	*cfg = (struct tyrc_device_config){
		.reset_timeout_ms = 100,
		.pwr_timeout_ms = 20,
		.fw_boot_timeout_ms = 1000,
		.fw_req_timeout_ms = 100,
		.fw_halt_timeout_ms = 1000,
		.fw_ping_interval_ms = 12000,
		.fw_ping_timeout_ms = 100,
		.job_timeout_ms = 5000,
		.sched_tick_ms = 10,
		.autosuspend_ms = 50,
	};
}

/* Full GPU reset for hang recovery: the MCU is not asked to halt. */
static void tyrc_device_reset_work(struct tyrc_work *work)
{
	struct tyrc_device *dev = container_of(work, struct tyrc_device, reset.work);
	int ret;

	tyrc_warn("GPU reset");
	tyrc_sched_pre_reset(dev);
	tyrc_fw_pre_reset(dev, true);
	tyrc_mmu_pre_reset(dev);
	ret = tyrc_pwr_soft_reset(dev);
	if (!ret)
		ret = tyrc_pwr_resume(dev);
	if (!ret)
		ret = tyrc_mmu_post_reset(dev);
	if (!ret)
		ret = tyrc_fw_post_reset(dev);
	if (ret)
		tyrc_err("GPU reset failed (%d): the device is unusable until removed", ret);
	else
		tyrc_sched_post_reset(dev);
	WRITE_ONCE(dev->reset.count, dev->reset.count + 1);
}

void tyrc_device_schedule_reset(struct tyrc_device *dev)
{
	tyrc_queue_work(dev->reset.wq, &dev->reset.work);
}

int tyrc_device_probe(const struct tyrc_platform *pdev, const struct tyrc_device_config *cfg,
		      struct tyrc_device **out)
{
	struct tyrc_device *dev;
	int ret;

	if (!pdev->iomem || !pdev->irq_gpu || !pdev->irq_job || !pdev->irq_mmu || !pdev->ram)
		return -EINVAL;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->cfg = *cfg;
	dev->platform = *pdev;
	dev->iomem = pdev->iomem;
	/* RK3588 is not IO-coherent (no dma-coherent in its device tree). */
	dev->coherent = false;
	tyrc_work_init(&dev->reset.work, tyrc_device_reset_work);
	dev->reset.wq = tyrc_workqueue_create("tyrc-reset", 1);
	if (!dev->reset.wq) {
		ret = -ENOMEM;
		goto err_free;
	}

	ret = tyrc_drm_init(dev);
	if (ret)
		goto err_destroy_wq;
	ret = tyrc_pwr_init(dev);
	if (ret)
		goto err_drm_fini;
	ret = tyrc_mmu_init(dev);
	if (ret)
		goto err_pwr_fini;
	ret = dev->cfg.no_firmware ? 0 : tyrc_fw_init(dev);
	if (ret)
		goto err_mmu_fini;
	ret = dev->cfg.no_firmware ? 0 : tyrc_sched_init(dev);
	if (ret)
		goto err_fw_fini;

	*out = dev;
	return 0;

err_fw_fini:
	tyrc_fw_fini(dev);
err_mmu_fini:
	tyrc_mmu_fini(dev);
err_pwr_fini:
	tyrc_pwr_fini(dev);
err_drm_fini:
	tyrc_drm_fini(dev);
err_destroy_wq:
	tyrc_workqueue_destroy(dev->reset.wq);
err_free:
	free(dev);
	return ret;
}

int tyrc_device_suspend(struct tyrc_device *dev)
{
	int ret;

	/* The firmware saves the resident groups' streams; they resume later. */
	tyrc_sched_suspend(dev);
	ret = dev->fw ? tyrc_fw_suspend(dev) : 0;

	tyrc_mmu_suspend(dev);
	tyrc_pwr_suspend(dev);
	return ret;
}

int tyrc_device_resume(struct tyrc_device *dev)
{
	int ret = tyrc_pwr_resume(dev);

	if (!ret)
		ret = tyrc_mmu_post_reset(dev);
	if (!ret && dev->fw)
		ret = tyrc_fw_resume(dev);
	if (!ret)
		tyrc_sched_post_reset(dev);
	return ret;
}

void tyrc_device_remove(struct tyrc_device *dev)
{
	if (!dev)
		return;
	tyrc_drm_unplug(dev);
	/* Like drm_dev_unplug(): wait for every open file to be released. */
	tyrc_wait_event(&dev->drm.files_wq, ({
		bool idle;
		tyrc_mutex_lock(&dev->drm.files_lock);
		idle = dev->drm.open_count == 0;
		tyrc_mutex_unlock(&dev->drm.files_lock);
		idle;
	}));
	/* A reset in flight finishes before the layers go away. */
	tyrc_cancel_work_sync(&dev->reset.work);
	tyrc_sched_fini(dev);
	tyrc_fw_fini(dev);
	tyrc_mmu_fini(dev);
	tyrc_pwr_fini(dev);
	tyrc_drm_fini(dev);
	tyrc_workqueue_destroy(dev->reset.wq);
	free(dev);
}

void tyrc_device_get_info(struct tyrc_device *dev, struct tyrc_device_info *info)
{
	struct tyrc_fw_info fw;

	memset(info, 0, sizeof(*info));
	info->gpu_id = dev->gpu_info.gpu_id;
	info->csf_id = dev->gpu_info.csf_id;
	info->shader_present = dev->gpu_info.shader_present;
	info->model_name = dev->model_name;
	info->l2_power_on_count = tyrc_pwr_l2_power_on_count(dev);
	info->as_in_use = tyrc_mmu_as_in_use(dev);
	info->reset_count = READ_ONCE(dev->reset.count);

	tyrc_fw_get_info(dev, &fw);
	snprintf(info->fw_git_sha, sizeof(info->fw_git_sha), "%s", fw.git_sha);
	snprintf(info->fw_path, sizeof(info->fw_path), "%s", fw.path ? fw.path : "");
	info->fw_iface_version = fw.iface_version;
	info->csg_count = fw.group_num;
	info->cs_count = fw.stream_num;
	info->fw_ping_count = fw.ping_count;
}
