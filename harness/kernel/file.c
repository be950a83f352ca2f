// SPDX-License-Identifier: MIT
/* Anonymous files, client descriptors and eventfds (see tyrc/file.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <tyrc/file.h>
#include <tyrc/log.h>
#include <tyrc/uaccess.h>

struct tyrc_anon_file *tyrc_anon_file_create(const struct tyrc_anon_file_ops *ops, void *priv)
{
	struct tyrc_anon_file *file = calloc(1, sizeof(*file));

	if (!file)
		return NULL;
	file->refcount = 1;
	file->ops = ops;
	file->private_data = priv;
	file->notify_fd = -1;
	tyrc_mutex_init(&file->lock);
	return file;
}

struct tyrc_anon_file *tyrc_anon_file_get(struct tyrc_anon_file *file)
{
	if (file)
		__atomic_add_fetch(&file->refcount, 1, __ATOMIC_RELAXED);
	return file;
}

void tyrc_anon_file_put(struct tyrc_anon_file *file)
{
	int left;

	if (!file)
		return;
	left = __atomic_sub_fetch(&file->refcount, 1, __ATOMIC_ACQ_REL);
	TYRC_BUG_ON(left < 0);
	if (left)
		return;
	if (file->ops->release)
		file->ops->release(file);
	TYRC_WARN_ON(file->notify_fd >= 0);
	tyrc_mutex_destroy(&file->lock);
	free(file);
}

/* Send the readiness byte if it is due; @file->lock held. */
static void notify_locked(struct tyrc_anon_file *file)
{
	static const char one = 1;

	if (!file->readable || file->notified || file->notify_fd < 0)
		return;
	/* A full or closed socket: the client is gone or never reads; either way done. */
	if (send(file->notify_fd, &one, 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		tyrc_dbg("anon file: readiness not delivered: %s", strerror(errno));
	file->notified = true;
}

void tyrc_anon_file_set_readable(struct tyrc_anon_file *file)
{
	tyrc_mutex_lock(&file->lock);
	file->readable = true;
	notify_locked(file);
	tyrc_mutex_unlock(&file->lock);
}

void tyrc_anon_file_attach(struct tyrc_anon_file *file, int fd)
{
	tyrc_mutex_lock(&file->lock);
	TYRC_WARN_ON(file->notify_fd >= 0);
	file->notify_fd = fd;
	notify_locked(file);
	tyrc_mutex_unlock(&file->lock);
}

int tyrc_anon_file_detach(struct tyrc_anon_file *file)
{
	int fd;

	tyrc_mutex_lock(&file->lock);
	fd = file->notify_fd;
	file->notify_fd = -1;
	tyrc_mutex_unlock(&file->lock);
	return fd;
}

int tyrc_eventfd_check(int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return -EINVAL;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") ? -EINVAL : 0;
}

void tyrc_eventfd_signal(int fd)
{
	u64 one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		tyrc_dbg("eventfd %d: %s", fd, strerror(errno));
}
