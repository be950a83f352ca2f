/* SPDX-License-Identifier: MIT */
/*
 * User-memory access for ioctl handlers. "User memory" lives in a client
 * process; the host installs, for the duration of one ioctl on one thread,
 * the accessors that reach that client (tyrc_uaccess_begin/end). A bad
 * address or a client that died mid-call gives -EFAULT, as in the kernel.
 * Outside an ioctl there is no current user and every access fails.
 */
#ifndef TYRC_UACCESS_H
#define TYRC_UACCESS_H

#include "types.h"

/** struct tyrc_uaccess_ops - how to reach the current client's memory. */
struct tyrc_uaccess_ops {
	/** @read: copy @len bytes at user address @uptr into @dst. Return: 0 or -EFAULT. */
	int (*read)(void *ctx, void *dst, u64 uptr, size_t len);
	/** @write: copy @len bytes from @src to user address @uptr. Return: 0 or -EFAULT. */
	int (*write)(void *ctx, u64 uptr, const void *src, size_t len);
};

/** tyrc_uaccess_begin() - make @ops/@ctx the current user for this thread. */
void tyrc_uaccess_begin(const struct tyrc_uaccess_ops *ops, void *ctx);
/** tyrc_uaccess_end() - this thread has no current user any more. */
void tyrc_uaccess_end(void);

/** tyrc_copy_from_user() - Return: 0 or -EFAULT. @len 0 never touches @uptr. */
int tyrc_copy_from_user(void *dst, u64 uptr, size_t len);
/** tyrc_copy_to_user() - Return: 0 or -EFAULT. @len 0 never touches @uptr. */
int tyrc_copy_to_user(u64 uptr, const void *src, size_t len);
/** tyrc_clear_user() - write @len zero bytes at @uptr. Return: 0 or -EFAULT. */
int tyrc_clear_user(u64 uptr, size_t len);
/**
 * tyrc_strndup_from_user() - copy a NUL-terminated user string of at most
 * @max_len characters (excluding NUL) into a new malloc'd buffer.
 * Return: 0 with *@out set, -EFAULT, -E2BIG if longer, -ENOMEM.
 */
int tyrc_strndup_from_user(char **out, u64 uptr, size_t max_len);

#endif /* TYRC_UACCESS_H */
