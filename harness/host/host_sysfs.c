// SPDX-License-Identifier: MIT
/*
 * DOC: Host fdinfo and sysfs attributes
 *
 * The "kernel" files a client reads or writes by path rather than through
 * ioctls: /proc/<pid>/fdinfo/<fd> of a DRM file (FDINFO: the driver's
 * drm_show_fdinfo() text for the file behind the passed descriptor) and the
 * GPU platform device's attributes (SYSFS). For an attribute the host plays
 * sysfs and the VFS: show() prints the value, store() parses the written
 * text as kstrtou32(buf, 0) does and hands the number to the driver, and
 * writing needs the permission a root-owned 0644 file gives, checked
 * against the connection's peer credentials.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_priv.h"

/* Digit value of @c in any base up to 16, or 16 for a non-digit. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 16;
}

int host_kstrtou32(const char *s, u32 *out)
{
	unsigned int base = 10, digits = 0;
	bool overflow = false;
	u64 value = 0;

	if (*s == '+')
		s++;
	/* _parse_integer_fixup_radix(): 0x + a hex digit is hex, a leading 0 octal. */
	if (s[0] == '0') {
		base = 8;
		if ((s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			base = 16;
			s += 2;
		}
	}
	for (; digit_value(*s) < base; s++, digits++) {
		value = value * base + digit_value(*s);
		if (value > UINT32_MAX)
			overflow = true;
	}
	if (overflow)
		return -ERANGE;
	if (!digits)
		return -EINVAL;
	/* One trailing newline is allowed (echo), nothing else. */
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*out = (u32)value;
	return 0;
}

int host_serve_fdinfo(struct host_conn *conn, ssize_t n, int *fds, unsigned int nfds)
{
	struct host_file *file;
	char *text;
	int ret, err;

	if ((size_t)n != sizeof(struct tyrc_wire_fdinfo) || nfds > 1) {
		while (nfds)
			close(fds[--nfds]);
		return -EPROTO;
	}
	if (!nfds)
		return host_send_text(conn, -EBADF, NULL);
	file = host_file_lookup(conn->host, fds[0], &err);
	close(fds[0]);
	if (!file)
		return host_send_text(conn, err, NULL);
	text = malloc(TYRC_WIRE_MAX_TEXT + 1);
	if (text)
		ret = tyrc_drm_show_fdinfo(file->drm, text, TYRC_WIRE_MAX_TEXT + 1);
	else
		ret = -ENOMEM;
	host_file_put(file);
	ret = host_send_text(conn, ret < 0 ? ret : 0, ret < 0 ? NULL : text);
	free(text);
	return ret;
}

/* profiling_store(): a number, of TYRC_PROFILING_* bits only. */
static int store_profiling(struct host_conn *conn, const char *buf)
{
	u32 value;
	int ret = host_kstrtou32(buf, &value);

	return ret ? ret : tyrc_device_profiling_set(conn->host->dev, value);
}

int host_serve_sysfs(struct host_conn *conn, ssize_t n)
{
	const struct tyrc_wire_sysfs *req = (const struct tyrc_wire_sysfs *)conn->rbuf;
	char buf[TYRC_WIRE_SYSFS_MAX_WRITE + 1];
	/* A 0644 root-owned attribute: only root may open it for writing. */
	int wperm = conn->client.uid == 0 ? 0 : -EACCES;

	if ((size_t)n < sizeof(*req) || (size_t)n != sizeof(*req) + req->len || req->pad)
		return -EPROTO;
	if ((req->op == TYRC_WIRE_SYSFS_WRITE) !=
	    (req->len > 0 && req->len <= TYRC_WIRE_SYSFS_MAX_WRITE))
		return -EPROTO;
	if (req->attr != TYRC_WIRE_SYSFS_PROFILING)
		return host_send_text(conn, -ENOENT, NULL);
	switch (req->op) {
	case TYRC_WIRE_SYSFS_READ:
		snprintf(buf, sizeof(buf), "%u\n", tyrc_device_profiling_get(conn->host->dev));
		return host_send_text(conn, 0, buf);
	case TYRC_WIRE_SYSFS_CHECK_WRITE:
		return host_send_text(conn, wperm, NULL);
	case TYRC_WIRE_SYSFS_WRITE:
		if (wperm)
			return host_send_text(conn, wperm, NULL);
		/* kernfs hands store() a NUL-terminated copy of what was written. */
		memcpy(buf, req->data, req->len);
		buf[req->len] = '\0';
		return host_send_text(conn, store_profiling(conn, buf), NULL);
	default:
		return -EPROTO;
	}
}
