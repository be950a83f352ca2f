// SPDX-License-Identifier: MIT
/* Placeholder until the real driver lands. */
#include "tyrc_drv.h"

void tyrc_device_config_init(struct tyrc_device_config *cfg)
{
	cfg->reset_timeout_ms = 100;
	cfg->pwr_timeout_ms = 20;
}

int tyrc_device_probe(const struct tyrc_platform *pdev, const struct tyrc_device_config *cfg,
		      struct tyrc_device **out)
{
	return -ENODEV;
}

void tyrc_device_remove(struct tyrc_device *dev)
{
}

int tyrc_drm_open(struct tyrc_device *dev, enum tyrc_minor_type type,
		  const struct tyrc_client *client, struct tyrc_file **out)
{
	return -ENODEV;
}

void tyrc_drm_release(struct tyrc_file *file)
{
}

long tyrc_drm_ioctl(struct tyrc_file *file, unsigned int cmd, u64 arg)
{
	return -ENOTTY;
}

unsigned int tyrc_drm_clients(struct tyrc_device *dev, struct tyrc_drm_client_stat *out,
			      unsigned int max)
{
	return 0;
}

void tyrc_device_get_info(struct tyrc_device *dev, struct tyrc_device_info *info)
{
}
