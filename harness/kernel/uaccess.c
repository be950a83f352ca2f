// SPDX-License-Identifier: MIT
/*
 * User-memory access through the current thread's client accessors.
 *
 * The "current user" is thread-local (one ioctl runs on one thread), so it is
 * per-thread rather than global state: set by tyrc_uaccess_begin(), cleared
 * by tyrc_uaccess_end(), and read only by the calling thread.
 */
#include <sys/uio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <tyrc/file.h>
#include <tyrc/uaccess.h>
#include <tyrc/log.h>

/* Strings are read in chunks of at most this many bytes... */
#define STRN_CHUNK 64U
/* ...never crossing a page: a valid string's pages are readable, later ones may not be. */
#define UPAGE_SIZE 4096U

static __thread const struct tyrc_uaccess_ops *cur_ops;
static __thread void *cur_ctx;

void tyrc_uaccess_begin(const struct tyrc_uaccess_ops *ops, void *ctx)
{
	TYRC_WARN_ON(cur_ops); /* nested ioctl on one thread? */
	cur_ops = ops;
	cur_ctx = ctx;
}

void tyrc_uaccess_end(void)
{
	cur_ops = NULL;
	cur_ctx = NULL;
}

/* Reject ranges that wrap around the address space. */
static bool range_ok(u64 uptr, size_t len)
{
	u64 end;

	return !check_add_overflow(uptr, (u64)len, &end);
}

int tyrc_copy_from_user(void *dst, u64 uptr, size_t len)
{
	if (!len)
		return 0;
	if (!cur_ops || !cur_ops->read || !range_ok(uptr, len))
		return -EFAULT;
	return cur_ops->read(cur_ctx, dst, uptr, len) ? -EFAULT : 0;
}

int tyrc_copy_to_user(u64 uptr, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!cur_ops || !cur_ops->write || !range_ok(uptr, len))
		return -EFAULT;
	return cur_ops->write(cur_ctx, uptr, src, len) ? -EFAULT : 0;
}

int tyrc_clear_user(u64 uptr, size_t len)
{
	static const u8 zeroes[256];

	if (!range_ok(uptr, len))
		return -EFAULT;
	while (len) {
		size_t n = tyrc_min(len, sizeof(zeroes));
		int ret = tyrc_copy_to_user(uptr, zeroes, n);

		if (ret)
			return ret;
		uptr += n;
		len -= n;
	}
	return 0;
}

int tyrc_strndup_from_user(char **out, u64 uptr, size_t max_len)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int ret;

	if (!cur_ops)
		return -EFAULT;
	/* Read up to max_len + 1 bytes: the NUL, or proof the string is too long. */
	for (;;) {
		size_t want = STRN_CHUNK, to_page = UPAGE_SIZE - (size_t)(uptr % UPAGE_SIZE);
		char *nul;

		want = tyrc_min(want, to_page);
		if (max_len - len < want - 1) /* max_len + 1 - len, without overflow */
			want = max_len - len + 1;
		if (len + want > cap) {
			size_t new_cap = tyrc_max(cap * 2, len + want);
			char *nbuf = realloc(buf, new_cap);

			if (!nbuf) {
				ret = -ENOMEM;
				goto err_free;
			}
			buf = nbuf;
			cap = new_cap;
		}
		ret = tyrc_copy_from_user(buf + len, uptr, want);
		if (ret)
			goto err_free;
		nul = memchr(buf + len, '\0', want);
		if (nul) {
			*out = buf;
			return 0;
		}
		len += want;
		uptr += want;
		if (len > max_len) {
			ret = -E2BIG;
			goto err_free;
		}
	}

err_free:
	free(buf);
	return ret;
}

int tyrc_fd_install(struct tyrc_anon_file *file, u32 flags)
{
	if (!cur_ops || !cur_ops->fd_install)
		return -EBADF;
	return cur_ops->fd_install(cur_ctx, file, flags);
}

int tyrc_fget(int fd, struct tyrc_anon_file **file, int *raw_fd)
{
	*file = NULL;
	*raw_fd = -1;
	if (fd < 0 || !cur_ops || !cur_ops->fget)
		return -EBADF;
	return cur_ops->fget(cur_ctx, fd, file, raw_fd);
}

bool tyrc_user_aborted(void)
{
	return cur_ops && cur_ops->aborted && cur_ops->aborted(cur_ctx);
}

static int tyrc_uaccess_self_read(void *ctx, void *dst, u64 uptr, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)(uintptr_t)uptr, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int tyrc_uaccess_self_write(void *ctx, u64 uptr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { (void *)(uintptr_t)uptr, len };

	return process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

const struct tyrc_uaccess_ops tyrc_uaccess_self = {
	.read = tyrc_uaccess_self_read,
	.write = tyrc_uaccess_self_write,
};
