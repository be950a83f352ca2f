/* SPDX-License-Identifier: MIT */
/* Umbrella header: the slice of Linux kernel services the driver is built on. */
#ifndef TYRC_KERNEL_H
#define TYRC_KERNEL_H

#include "types.h"
#include "log.h"
#include "kref.h"
#include "list.h"
#include "lock.h"
#include "ktime.h"
#include "wait.h"
#include "timer.h"
#include "workqueue.h"
#include "xarray.h"
#include "irq.h"
#include "iomem.h"
#include "uaccess.h"
#include "mm.h"
#include "dma-fence.h"
#include "file.h"

#endif /* TYRC_KERNEL_H */
