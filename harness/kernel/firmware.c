// SPDX-License-Identifier: MIT
/*
 * request_firmware(): name checks, the directory walk, and reading one file
 * whole. The struct, its path and its data are one allocation each, freed
 * together by tyrc_release_firmware().
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tyrc/firmware.h>
#include <tyrc/log.h>

/* A name is relative, non-empty, bounded, and never climbs out of its directory. */
static bool fw_name_valid(const char *name)
{
	const char *c;
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, PATH_MAX);
	if (!len || len == PATH_MAX || name[0] == '/')
		return false;
	for (c = name; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return false;
		c += n;
		if (*c == '/')
			c++;
	}
	return true;
}

/* Read all of @fd (a regular file of @size bytes) into a new buffer. */
static int fw_read_all(int fd, size_t size, u8 **out)
{
	size_t got = 0;
	u8 *buf;

	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int ret = -errno;

			free(buf);
			return ret;
		}
		if (n == 0) {
			/* The file shrank under us. */
			free(buf);
			return -EIO;
		}
		got += (size_t)n;
	}
	*out = buf;
	return 0;
}

/* Load @path. Return: 0, -ENOENT if there is nothing there, or another negative errno. */
static int fw_load_path(const char *path, struct tyrc_firmware *fw)
{
	struct stat st;
	u8 *data = NULL;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto err_close;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		ret = -EINVAL;
		goto err_close;
	}
	if ((u64)st.st_size > TYRC_FIRMWARE_MAX_SIZE) {
		ret = -EFBIG;
		goto err_close;
	}
	ret = fw_read_all(fd, (size_t)st.st_size, &data);
	if (ret)
		goto err_close;
	close(fd);
	fw->data = data;
	fw->size = (size_t)st.st_size;
	return 0;

err_close:
	close(fd);
	return ret;
}

int tyrc_request_firmware(const struct tyrc_firmware **fw, const char *name,
			  const char *const *search_path)
{
	struct tyrc_firmware *f;
	unsigned int i;
	int ret = -ENOENT;

	if (!fw)
		return -EINVAL;
	*fw = NULL;
	if (!fw_name_valid(name))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;

	for (i = 0; search_path && search_path[i]; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", search_path[i], name) < 0) {
			ret = -ENOMEM;
			break;
		}
		ret = fw_load_path(path, f);
		if (!ret) {
			f->path = path;
			*fw = f;
			tyrc_dbg("firmware: loaded %s (%zu bytes)", path, f->size);
			return 0;
		}
		if (ret != -ENOENT) {
			tyrc_warn("firmware: loading %s failed with error %d", path, ret);
			free(path);
			break;
		}
		free(path);
	}
	free(f);
	return ret;
}

void tyrc_release_firmware(const struct tyrc_firmware *fw)
{
	if (!fw)
		return;
	free((void *)fw->data);
	free((void *)fw->path);
	free((void *)fw);
}
