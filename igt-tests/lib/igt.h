/* SPDX-License-Identifier: MIT */
/*
 * igt.h - umbrella header of the tyrc IGT runtime, as IGT's lib/igt.h.
 *
 * Driver support libraries (e.g. igt_panthor.h) are included by the tests
 * that need them, like upstream.
 */

#ifndef IGT_H
#define IGT_H

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_core.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
