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

struct tyrc_anon_file;

/** struct tyrc_uaccess_ops - how to reach the current client's memory. */
struct tyrc_uaccess_ops {
	/** @read: copy @len bytes at user address @uptr into @dst. Return: 0 or -EFAULT. */
	int (*read)(void *ctx, void *dst, u64 uptr, size_t len);
	/** @write: copy @len bytes from @src to user address @uptr. Return: 0 or -EFAULT. */
	int (*write)(void *ctx, u64 uptr, const void *src, size_t len);
	/**
	 * @fd_install: optional; give the client a new descriptor for @file
	 * (flags: TYRC_FD_*, tyrc/file.h), holding a reference of its own.
	 * Return: the client's descriptor number or a negative errno.
	 */
	int (*fd_install)(void *ctx, struct tyrc_anon_file *file, u32 flags);
	/**
	 * @fget: optional; resolve the client's descriptor @fd: a reference to
	 * our anon file in *@file, or a host-owned duplicate in *@raw_fd.
	 * Return: 0 or -EBADF.
	 */
	int (*fget)(void *ctx, int fd, struct tyrc_anon_file **file, int *raw_fd);
	/** @aborted: optional; whether the client went away (a blocking call may give up). */
	bool (*aborted)(void *ctx);
};

/**
 * tyrc_uaccess_self - user memory is this very process's (in-process tests
 * and tools that call the driver directly): reached with process_vm_readv/
 * writev on our own pid, so a bad pointer is still -EFAULT, not a crash.
 */
extern const struct tyrc_uaccess_ops tyrc_uaccess_self;

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

/**
 * tyrc_user_aborted() - whether the current client is gone (its process
 * died, or the host is stopping): a long wait in an ioctl gives up then.
 * False without a current user or when the host cannot tell.
 */
bool tyrc_user_aborted(void);

#endif /* TYRC_UACCESS_H */
