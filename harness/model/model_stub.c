// SPDX-License-Identifier: MIT
/* Placeholder until the real model lands: builds, refuses to create. */
#include "tyrc_model.h"

void tyrc_model_config_init_g610(struct tyrc_model_config *cfg)
{
	*cfg = (struct tyrc_model_config){ .gpu_id = 0xa8670005 };
}

bool tyrc_model_config_is_valid(const struct tyrc_model_config *cfg)
{
	return cfg->gpu_id != 0;
}

int tyrc_model_create(const struct tyrc_model_config *cfg, struct tyrc_model **out)
{
	return -ENODEV;
}

void tyrc_model_destroy(struct tyrc_model *model)
{
}

struct tyrc_iomem *tyrc_model_iomem(struct tyrc_model *model)
{
	return NULL;
}

struct tyrc_irq_line *tyrc_model_irq_line(struct tyrc_model *model, enum tyrc_model_irq which)
{
	return NULL;
}
