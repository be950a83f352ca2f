// SPDX-License-Identifier: MIT
/*
 * DOC: Synthetic filesystem
 *
 * The device looks like panthor on an RK3588 board: a platform device
 * fb000000.gpu (device-tree node /gpu@fb000000) with a primary and a render
 * minor. The paths are those libdrm reads for a platform device:
 *
 * - /dev/dri/{card0,renderD128}: character devices 226:0 and 226:128;
 * - /sys/dev/char/226:N -> the minor's sysfs directory, whose "device" link
 *   leads to the platform device: "drm/" (listing the minors), "subsystem"
 *   (-> bus/platform, the bus type) and "uevent" (DRIVER, OF_FULLNAME,
 *   OF_COMPATIBLE_*, MODALIAS) and panthor's "profiling" attribute (0644,
 *   its value and stores served by the host);
 * - the minor's own "uevent" (DEVNAME, for drmGetDeviceNameFromFd2);
 * - /sys/class/drm, and /sys/kernel/debug/dri/N/{clients,name}.
 *
 * Everything under an *owned* prefix (/dev/dri, /sys/dev/char/226:*,
 * /sys/devices/platform/fb000000.gpu, /sys/class/drm,
 * /sys/kernel/debug/dri) is synthetic: paths not in the table do not
 * exist, which also hides any real DRM device. Other paths pass through,
 * rewritten (canonically) only when resolving them went through the
 * synthetic tree, e.g. .../subsystem/drivers -> /sys/bus/platform/drivers
 * or /dev/dri/.. -> /dev.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "shim_vfs.h"

#define PDEV "/sys/devices/platform/fb000000.gpu"
#define COMPAT0 "rockchip,rk3588-mali"
#define COMPAT1 "arm,mali-valhall-csf"

#define PDEV_UEVENT                     \
	"DRIVER=panthor\n"              \
	"OF_NAME=gpu\n"                 \
	"OF_FULLNAME=/gpu@fb000000\n"   \
	"OF_COMPATIBLE_0=" COMPAT0 "\n" \
	"OF_COMPATIBLE_1=" COMPAT1 "\n" \
	"OF_COMPATIBLE_N=2\n"           \
	"MODALIAS=of:NgpuT(null)C" COMPAT0 "C" COMPAT1 "\n"

#define MINOR_UEVENT(minor, name) \
	"MAJOR=226\nMINOR=" #minor "\nDEVNAME=dri/" name "\nDEVTYPE=drm_minor\n"

#define DEBUGFS_NAME "panthor dev=fb000000.gpu unique=fb000000.gpu\n"

/* st_dev of the three synthetic filesystems. */
#define DEV_DEVTMPFS makedev(0, 5)
#define DEV_SYSFS makedev(0, 20)
#define DEV_DEBUGFS makedev(0, 7)

/* Inode numbers: a base plus the node's table index; device nodes fixed. */
#define INO_BASE 0x74790000u

#define DIR_(p)                                    \
	{                                          \
		.path = (p), .type = SHIM_NODE_DIR \
	}
#define REG_(p, d)                                              \
	{                                                       \
		.path = (p), .type = SHIM_NODE_REG, .data = (d) \
	}
#define LNK_(p, t)                                              \
	{                                                       \
		.path = (p), .type = SHIM_NODE_LNK, .data = (t) \
	}
#define CHR_(p, m)                                               \
	{                                                        \
		.path = (p), .type = SHIM_NODE_CHR, .minor = (m) \
	}
#define GEN_(p, m)                                                                        \
	{                                                                                 \
		.path = (p), .type = SHIM_NODE_REG, .minor = (m), .gen = SHIM_GEN_CLIENTS \
	}
#define ATTR_(p, g)                                            \
	{                                                      \
		.path = (p), .type = SHIM_NODE_REG, .gen = (g) \
	}
#define GEMS_(p, m)                                                                    \
	{                                                                              \
		.path = (p), .type = SHIM_NODE_REG, .minor = (m), .gen = SHIM_GEN_GEMS \
	}

static const struct shim_node nodes[] = {
	DIR_("/dev/dri"),
	CHR_("/dev/dri/card0", 0),
	CHR_("/dev/dri/renderD128", 128),
	DIR_("/dev/dri/by-path"),
	LNK_("/dev/dri/by-path/platform-fb000000.gpu-card", "../card0"),
	LNK_("/dev/dri/by-path/platform-fb000000.gpu-render", "../renderD128"),

	LNK_("/sys/dev/char/226:0", "../../devices/platform/fb000000.gpu/drm/card0"),
	LNK_("/sys/dev/char/226:128", "../../devices/platform/fb000000.gpu/drm/renderD128"),

	DIR_(PDEV),
	REG_(PDEV "/uevent", PDEV_UEVENT),
	REG_(PDEV "/modalias", "of:NgpuT(null)C" COMPAT0 "C" COMPAT1 "\n"),
	REG_(PDEV "/driver_override", "(null)\n"),
	ATTR_(PDEV "/profiling", SHIM_GEN_PROFILING),
	LNK_(PDEV "/subsystem", "../../../bus/platform"),
	LNK_(PDEV "/driver", "../../../bus/platform/drivers/panthor"),
	LNK_(PDEV "/of_node", "../../../firmware/devicetree/base/gpu@fb000000"),
	DIR_(PDEV "/drm"),
	DIR_(PDEV "/drm/card0"),
	REG_(PDEV "/drm/card0/dev", "226:0\n"),
	REG_(PDEV "/drm/card0/uevent", MINOR_UEVENT(0, "card0")),
	LNK_(PDEV "/drm/card0/device", "../../../fb000000.gpu"),
	LNK_(PDEV "/drm/card0/subsystem", "../../../../../class/drm"),
	DIR_(PDEV "/drm/renderD128"),
	REG_(PDEV "/drm/renderD128/dev", "226:128\n"),
	REG_(PDEV "/drm/renderD128/uevent", MINOR_UEVENT(128, "renderD128")),
	LNK_(PDEV "/drm/renderD128/device", "../../../fb000000.gpu"),
	LNK_(PDEV "/drm/renderD128/subsystem", "../../../../../class/drm"),

	DIR_("/sys/class/drm"),
	LNK_("/sys/class/drm/card0", "../../devices/platform/fb000000.gpu/drm/card0"),
	LNK_("/sys/class/drm/renderD128", "../../devices/platform/fb000000.gpu/drm/renderD128"),
	REG_("/sys/class/drm/version", "drm 1.1.0 20060810\n"),

	DIR_("/sys/kernel/debug/dri"),
	DIR_("/sys/kernel/debug/dri/0"),
	GEN_("/sys/kernel/debug/dri/0/clients", 0),
	GEMS_("/sys/kernel/debug/dri/0/gems", 0),
	REG_("/sys/kernel/debug/dri/0/name", DEBUGFS_NAME),
	DIR_("/sys/kernel/debug/dri/128"),
	GEN_("/sys/kernel/debug/dri/128/clients", 128),
	GEMS_("/sys/kernel/debug/dri/128/gems", 128),
	REG_("/sys/kernel/debug/dri/128/name", DEBUGFS_NAME),
};

/* Paths at or below these are entirely synthetic. */
static const char *const owned[] = {
	"/dev/dri",
	PDEV,
	"/sys/class/drm",
	"/sys/kernel/debug/dri",
};

#define MAX_SYMLINKS 40

const struct shim_node *shim_vfs_node_at(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if (!strcmp(nodes[i].path, path))
			return &nodes[i];
	return NULL;
}

const struct shim_node *shim_vfs_node_by_minor(unsigned int minor)
{
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if (nodes[i].type == SHIM_NODE_CHR && nodes[i].minor == minor)
			return &nodes[i];
	return NULL;
}

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

/* Is the canonical @path inside the synthetic tree? */
static bool is_owned(const char *path)
{
	static const char devchar[] = "/sys/dev/char/226:";
	size_t i;

	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (under(path, owned[i]))
			return true;
	return !strncmp(path, devchar, sizeof(devchar) - 1);
}

/* Could @path (absolute) lead into the synthetic tree? A cheap filter. */
static bool may_touch(const char *path)
{
	while (path[0] == '/' && path[1] == '/')
		path++;
	return !strncmp(path, "/dev", 4) || !strncmp(path, "/sys", 4) || strstr(path, "/..") ||
	       strstr(path, "/./");
}

/* Drop the last component of the canonical path in @buf ("/" stays). */
static void pop(char *buf, size_t *len)
{
	while (*len > 0 && buf[*len - 1] != '/')
		(*len)--;
	if (*len > 1)
		(*len)--;
	else
		*len = 1;
	buf[*len] = '\0';
}

/*
 * The walk: @pending holds the components still to resolve, @buf the canonical
 * prefix resolved so far. Synthetic symlinks are expanded by prepending
 * their target to @pending.
 */
static void walk(char *buf, const char *start, bool follow, struct shim_res *res)
{
	char pending[PATH_MAX], tmp[PATH_MAX];
	bool touched = false;
	size_t len = strlen(buf);
	int links = 0;
	char *p;

	if (strlen(start) >= sizeof(pending)) {
		res->kind = SHIM_RES_ERR;
		res->err = ENAMETOOLONG;
		return;
	}
	strcpy(pending, start);
	p = pending;
	for (;;) {
		const struct shim_node *node;
		size_t clen;
		char *comp;
		bool last;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp = p;
		clen = strcspn(p, "/");
		p += clen;
		while (*p == '/')
			p++;
		last = !*p;

		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			pop(buf, &len);
			continue;
		}
		if (len + 1 + clen >= PATH_MAX) {
			res->kind = SHIM_RES_ERR;
			res->err = ENAMETOOLONG;
			return;
		}
		if (len > 1)
			buf[len++] = '/';
		memcpy(buf + len, comp, clen);
		len += clen;
		buf[len] = '\0';

		node = shim_vfs_node_at(buf);
		if (!node) {
			if (is_owned(buf)) {
				res->kind = SHIM_RES_ERR;
				res->err = ENOENT;
				return;
			}
			continue;
		}
		touched = true;
		if (node->type == SHIM_NODE_LNK && (!last || follow)) {
			int n;

			if (++links > MAX_SYMLINKS) {
				res->kind = SHIM_RES_ERR;
				res->err = ELOOP;
				return;
			}
			n = snprintf(tmp, sizeof(tmp), "%s/%s", node->data, p);
			if (n < 0 || (size_t)n >= sizeof(tmp)) {
				res->kind = SHIM_RES_ERR;
				res->err = ENAMETOOLONG;
				return;
			}
			strcpy(pending, tmp);
			p = pending;
			if (node->data[0] == '/')
				len = 1;
			else
				pop(buf, &len);
			buf[len] = '\0';
			continue;
		}
		if (!last && node->type != SHIM_NODE_DIR) {
			res->kind = SHIM_RES_ERR;
			res->err = ENOTDIR;
			return;
		}
	}

	res->node = shim_vfs_node_at(buf);
	if (res->node) {
		res->kind = SHIM_RES_NODE;
		return;
	}
	if (is_owned(buf)) {
		res->kind = SHIM_RES_ERR;
		res->err = ENOENT;
		return;
	}
	if (!touched) {
		res->kind = SHIM_RES_PASS;
		return;
	}
	/* @buf is @res->real: the rewritten path is already in place. */
	res->kind = SHIM_RES_REAL;
}

void shim_vfs_resolve(const char *path, bool follow, struct shim_res *res)
{
	res->node = NULL;
	res->err = 0;
	if (!path || path[0] != '/' || !may_touch(path)) {
		res->kind = SHIM_RES_PASS;
		return;
	}
	res->real[0] = '/';
	res->real[1] = '\0';
	walk(res->real, path, follow, res);
}

void shim_vfs_resolve_at(const char *base, const char *rel, bool follow, struct shim_res *res)
{
	res->node = NULL;
	res->err = 0;
	if (rel[0] == '/') {
		shim_vfs_resolve(rel, follow, res);
		return;
	}
	if (strlen(base) >= sizeof(res->real) || base[0] != '/') {
		res->kind = SHIM_RES_ERR;
		res->err = ENAMETOOLONG;
		return;
	}
	strcpy(res->real, base);
	walk(res->real, rel, follow, res);
	/* Relative to a synthetic directory, "pass the original" means the rewritten path. */
	if (res->kind == SHIM_RES_PASS)
		res->kind = SHIM_RES_REAL;
}

static unsigned int node_index(const struct shim_node *node)
{
	return (unsigned int)(node - nodes);
}

ino_t shim_vfs_ino(const struct shim_node *node)
{
	if (node->type == SHIM_NODE_CHR)
		return INO_BASE + 0x1000 + node->minor;
	return INO_BASE + node_index(node);
}

void shim_vfs_stat(const struct shim_node *node, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = shim_vfs_ino(node);
	st->st_nlink = 1;
	st->st_blksize = 4096;
	if (!strncmp(node->path, "/dev/", 5))
		st->st_dev = DEV_DEVTMPFS;
	else if (!strncmp(node->path, "/sys/kernel/debug/", 18))
		st->st_dev = DEV_DEBUGFS;
	else
		st->st_dev = DEV_SYSFS;
	switch (node->type) {
	case SHIM_NODE_DIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case SHIM_NODE_REG:
		st->st_mode =
			S_IFREG |
			(strstr(node->path, "/uevent") || shim_vfs_writable(node) ? 0644 : 0444);
		st->st_size = 4096;
		st->st_blocks = 0;
		break;
	case SHIM_NODE_LNK:
		st->st_mode = S_IFLNK | 0777;
		st->st_size = (off_t)strlen(node->data);
		break;
	case SHIM_NODE_CHR:
		st->st_mode = S_IFCHR | 0666;
		st->st_rdev = makedev(SHIM_DRM_MAJOR, node->minor);
		st->st_gid = 44; /* video */
		break;
	}
}

bool shim_vfs_writable(const struct shim_node *node)
{
	return node->gen == SHIM_GEN_PROFILING;
}

const char *shim_vfs_basename(const struct shim_node *node)
{
	return strrchr(node->path, '/') + 1;
}

const struct shim_node *shim_vfs_child(const struct shim_node *dir, unsigned int index)
{
	size_t i, dlen = strlen(dir->path);

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		const char *p = nodes[i].path;

		if (strncmp(p, dir->path, dlen) || p[dlen] != '/' || strchr(p + dlen + 1, '/'))
			continue;
		if (!index--)
			return &nodes[i];
	}
	return NULL;
}

unsigned char shim_vfs_dtype(const struct shim_node *node)
{
	switch (node->type) {
	case SHIM_NODE_DIR:
		return DT_DIR;
	case SHIM_NODE_REG:
		return DT_REG;
	case SHIM_NODE_LNK:
		return DT_LNK;
	case SHIM_NODE_CHR:
		return DT_CHR;
	}
	return DT_UNKNOWN;
}
