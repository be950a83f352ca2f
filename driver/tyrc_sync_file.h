/* SPDX-License-Identifier: MIT */
/*
 * DOC: sync_file
 *
 * An immutable fd holding one fence (drivers/dma-buf/sync_file.c): POLLIN
 * once the fence has signalled, SYNC_IOC_MERGE and SYNC_IOC_FILE_INFO.
 */
#ifndef TYRC_SYNC_FILE_H
#define TYRC_SYNC_FILE_H

#include <tyrc/kernel.h>

/**
 * tyrc_sync_file_install() - a new sync_file for @fence as a descriptor of
 * the current client (O_CLOEXEC), named @name (NULL: from the fence).
 * Return: the descriptor, or a negative errno.
 */
int tyrc_sync_file_install(struct tyrc_dma_fence *fence, const char *name);
/**
 * tyrc_sync_file_get_fence() - the fence of the current client's sync_file @fd.
 * Return: a reference, or NULL if @fd is not a sync_file.
 */
struct tyrc_dma_fence *tyrc_sync_file_get_fence(int fd);

#endif /* TYRC_SYNC_FILE_H */
