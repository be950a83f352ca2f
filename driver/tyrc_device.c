// SPDX-License-Identifier: MIT
/* Device probe/remove: the bring-up ladder. */
#include <stdlib.h>

#include "tyrc_device.h"
#include "tyrc_pwr.h"

void tyrc_device_config_init(struct tyrc_device_config *cfg)
{
	cfg->reset_timeout_ms = 100;
	cfg->pwr_timeout_ms = 20;
}

int tyrc_device_probe(const struct tyrc_platform *pdev, const struct tyrc_device_config *cfg,
		      struct tyrc_device **out)
{
	struct tyrc_device *dev;
	int ret;

	if (!pdev->iomem || !pdev->irq_gpu || !pdev->irq_job || !pdev->irq_mmu)
		return -EINVAL;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->cfg = *cfg;
	dev->platform = *pdev;
	dev->iomem = pdev->iomem;
	/* RK3588 is not IO-coherent (no dma-coherent in its device tree). */
	dev->coherent = false;

	ret = tyrc_drm_init(dev);
	if (ret)
		goto err_free;

	ret = tyrc_pwr_init(dev);
	if (ret)
		goto err_drm_fini;

	*out = dev;
	return 0;

err_drm_fini:
	tyrc_drm_fini(dev);
err_free:
	free(dev);
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
	tyrc_pwr_fini(dev);
	tyrc_drm_fini(dev);
	free(dev);
}

void tyrc_device_get_info(struct tyrc_device *dev, struct tyrc_device_info *info)
{
	info->gpu_id = dev->gpu_info.gpu_id;
	info->csf_id = dev->gpu_info.csf_id;
	info->shader_present = dev->gpu_info.shader_present;
	info->model_name = dev->model_name;
	info->l2_power_on_count = tyrc_pwr_l2_power_on_count(dev);
}
