// SPDX-License-Identifier: MIT
/*
 * DOC: Host text reports
 *
 * The debugfs "clients" listing (the layout of DRM's debugfs file: command,
 * pid, minor, master, authenticated, uid, magic) and the `tyrc info`
 * summary. The summary asks the driver the way a client would: it opens a
 * render-node file inside the host and runs DRM_IOCTL_VERSION on it with
 * host-local uaccess.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <drm.h>

#include "host_priv.h"

/** struct strbuf - a growing NUL-terminated string with a sticky error. */
struct strbuf {
	char *buf;
	size_t len, cap;
	int err;
};

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *nbuf;
	int n;

	if (sb->err)
		return;
	for (;;) {
		size_t room = sb->cap - sb->len;

		va_start(ap, fmt);
		n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			sb->err = -EINVAL;
			return;
		}
		if ((size_t)n < room) {
			sb->len += (size_t)n;
			return;
		}
		room = tyrc_max(sb->cap * 2, sb->len + (size_t)n + 256);
		nbuf = realloc(sb->buf, room);

		if (!nbuf) {
			sb->err = -ENOMEM;
			return;
		}
		sb->buf = nbuf;
		sb->cap = room;
	}
}

static int sb_finish(struct strbuf *sb, char **out)
{
	if (!sb->err && !sb->buf)
		sb_printf(sb, "%s", "");
	if (sb->err) {
		free(sb->buf);
		return sb->err;
	}
	*out = sb->buf;
	return 0;
}

/* Snapshot of the open files; Return: count, or -ENOMEM. *@out is malloc'd. */
static int snapshot_clients(struct tyrc_device *dev, struct tyrc_drm_client_stat **out)
{
	unsigned int max = 16, n;

	for (;;) {
		struct tyrc_drm_client_stat *st = calloc(max, sizeof(*st));

		if (!st)
			return -ENOMEM;
		n = tyrc_drm_clients(dev, st, max);
		if (n <= max) {
			*out = st;
			return (int)n;
		}
		free(st);
		max = n + 16;
	}
}

static void clients_table(struct strbuf *sb, struct tyrc_drm_client_stat *st, int n)
{
	int i;

	sb_printf(sb, "%20s %5s %3s master a %5s %10s\n", "command", "pid", "dev", "uid", "magic");
	for (i = 0; i < n; i++)
		sb_printf(sb, "%20s %5d %3u   %c    %c %5u %10u\n", st[i].client.comm,
			  (int)st[i].client.pid, st[i].type == TYRC_MINOR_RENDER ? 128u : 0u,
			  st[i].master ? 'y' : 'n', st[i].master ? 'y' : 'n',
			  (unsigned int)st[i].client.uid, 0u);
}

int tyrc_host_clients_text(struct tyrc_device *dev, char **out)
{
	struct tyrc_drm_client_stat *st = NULL;
	struct strbuf sb = { 0 };
	int n;

	n = snapshot_clients(dev, &st);
	if (n < 0)
		return n;
	clients_table(&sb, st, n);
	free(st);
	return sb_finish(&sb, out);
}

/*
 * The debugfs "gems" listing (tyrc's own layout; panthor's has more
 * columns): one row per live BO — creator pid and command, size, fake mmap
 * offset (0 = none yet), creation flags, references (handles + mappings)
 * and label ("-" for none) — then a total line. Tests count their own BOs
 * in it by pid.
 */
int tyrc_host_gems_text(struct tyrc_device *dev, char **out)
{
	struct tyrc_drm_gem_stat *st = NULL;
	struct strbuf sb = { 0 };
	unsigned int max = 64, n;
	u64 total = 0;

	for (;;) {
		st = calloc(max, sizeof(*st));
		if (!st)
			return -ENOMEM;
		n = tyrc_drm_gem_stats(dev, st, max);
		if (n <= max)
			break;
		free(st);
		max = n + 64;
	}
	sb_printf(&sb, "%7s %-16s %12s %14s %5s %4s %s\n", "pid", "command", "size", "offset",
		  "flags", "refs", "label");
	for (unsigned int i = 0; i < n; i++) {
		sb_printf(&sb, "%7d %-16s %12llu %#14llx %#5x %4u %s%s%s\n", (int)st[i].creator.pid,
			  st[i].creator.comm, (unsigned long long)st[i].size,
			  (unsigned long long)st[i].mmap_offset, st[i].flags, st[i].refcount,
			  st[i].has_label ? "\"" : "-", st[i].has_label ? st[i].label : "",
			  st[i].has_label ? "\"" : "");
		total += st[i].size;
	}
	sb_printf(&sb, "total: %u objects, %llu bytes\n", n, (unsigned long long)total);
	free(st);
	return sb_finish(&sb, out);
}

/* DRM_IOCTL_VERSION the way libdrm does it: lengths first, then the strings. */
static int query_version(struct tyrc_device *dev, struct drm_version *v, char *name, char *date,
			 char *desc, size_t len)
{
	struct tyrc_client self = { .pid = getpid(), .uid = getuid(), .comm = "tyrc-info" };
	struct tyrc_file *file;
	long ret;

	ret = tyrc_drm_open(dev, TYRC_MINOR_RENDER, &self, &file);
	if (ret)
		return (int)ret;
	memset(v, 0, sizeof(*v));
	ret = host_local_ioctl(file, DRM_IOCTL_VERSION, v);
	if (!ret) {
		v->name_len = tyrc_min(v->name_len, len - 1);
		v->date_len = tyrc_min(v->date_len, len - 1);
		v->desc_len = tyrc_min(v->desc_len, len - 1);
		v->name = name;
		v->date = date;
		v->desc = desc;
		ret = host_local_ioctl(file, DRM_IOCTL_VERSION, v);
		name[v->name_len < len ? v->name_len : len - 1] = '\0';
		date[v->date_len < len ? v->date_len : len - 1] = '\0';
		desc[v->desc_len < len ? v->desc_len : len - 1] = '\0';
	}
	tyrc_drm_release(file);
	return (int)ret;
}

int tyrc_host_info_text(struct tyrc_host *host, char **out)
{
	struct tyrc_drm_client_stat *st = NULL;
	struct tyrc_device_info info = { 0 };
	char name[64] = "", date[64] = "", desc[128] = "";
	struct strbuf sb = { 0 };
	struct drm_version v;
	u32 id;
	int n, ret;

	ret = query_version(host->dev, &v, name, date, desc, sizeof(name));
	if (ret)
		sb_printf(&sb, "driver:        DRM_IOCTL_VERSION failed: %s\n", strerror(-ret));
	else
		sb_printf(&sb, "driver:        %s %d.%d.%d (%s), date %s\n", name, v.version_major,
			  v.version_minor, v.version_patchlevel, desc, date);

	tyrc_device_get_info(host->dev, &info);
	id = info.gpu_id;
	sb_printf(&sb, "gpu:           %s\n", info.model_name ? info.model_name : "(unknown)");
	sb_printf(&sb,
		  "gpu_id:        0x%08x (arch %u.%u.%u, product major %u, r%up%u, status %u)\n",
		  id, (id >> 28) & 0xf, (id >> 24) & 0xf, (id >> 20) & 0xf, (id >> 16) & 0xf,
		  (id >> 12) & 0xf, (id >> 4) & 0xff, id & 0xf);
	sb_printf(&sb, "csf_id:        0x%08x\n", info.csf_id);
	sb_printf(&sb, "shader cores:  %d (shader_present 0x%llx)\n",
		  __builtin_popcountll(info.shader_present),
		  (unsigned long long)info.shader_present);
	sb_printf(&sb, "l2 power-ons:  %u\n", info.l2_power_on_count);
	sb_printf(&sb, "firmware:      %s (git_sha %s)\n",
		  info.fw_path[0] ? info.fw_path : "(none)",
		  info.fw_git_sha[0] ? info.fw_git_sha : "none");
	sb_printf(&sb, "csf interface: v%u.%u.%u, %u CSGs x %u CSs\n", info.fw_iface_version >> 24,
		  (info.fw_iface_version >> 16) & 0xff, info.fw_iface_version & 0xffff,
		  info.csg_count, info.cs_count);
	sb_printf(&sb, "address spaces in use: 0x%02x (AS0 = MCU)\n", info.as_in_use);
	sb_printf(&sb, "gpu resets:    %u\n", info.reset_count);
	sb_printf(&sb, "nodes:         /dev/dri/card0 (226:0), /dev/dri/renderD128 (226:128)\n");
	sb_printf(&sb, "host:          pid %d, socket %s\n", (int)host->pid, host->socket_path);

	n = snapshot_clients(host->dev, &st);
	if (n < 0)
		return n;
	sb_printf(&sb, "open files:    %d\n", n);
	clients_table(&sb, st, n);
	free(st);
	return sb_finish(&sb, out);
}
