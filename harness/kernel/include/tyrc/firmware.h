/* SPDX-License-Identifier: MIT */
/*
 * DOC: Firmware loading
 *
 * request_firmware() for the driver: a firmware file is looked up by a
 * relative name ("arm/mali/arch10.8/mali_csffw.bin") in a NULL-terminated
 * list of directories, the userspace counterpart of the kernel's
 * /lib/firmware search path. The first directory that holds a file of that
 * name wins; if that file cannot be used (too big, not a regular file,
 * unreadable) its error is returned rather than a later directory's copy
 * being loaded behind the caller's back. The contents are read into memory
 * once and stay valid until tyrc_release_firmware().
 */
#ifndef TYRC_FIRMWARE_H
#define TYRC_FIRMWARE_H

#include "types.h"

/* Largest firmware file accepted (Arm's arch10.8 image is 276 KiB). */
#define TYRC_FIRMWARE_MAX_SIZE (64UL << 20)

/**
 * struct tyrc_firmware - a loaded firmware file (read-only for its users).
 */
struct tyrc_firmware {
	/** @data: the file's contents (@size bytes). */
	const u8 *data;
	/** @size: size in bytes; never 0. */
	size_t size;
	/** @path: the file it was loaded from (search directory + "/" + name). */
	const char *path;
};

/**
 * tyrc_request_firmware() - load a firmware file.
 * @fw: set to the loaded firmware on success, to NULL on failure
 * @name: relative path of the file: not empty, no leading '/', no ".."
 *	component, shorter than PATH_MAX
 * @search_path: NULL-terminated list of directories, tried in order (NULL
 *	means an empty list)
 *
 * Context: process context; may block on file I/O.
 * Return: 0; -EINVAL for a bad @name or a file that is empty or not a
 * regular file (as the kernel's reader); -ENOENT if no directory holds
 * @name; -EFBIG if the file is larger than TYRC_FIRMWARE_MAX_SIZE;
 * -ENOMEM; or the negative errno of a failed open/read.
 */
int tyrc_request_firmware(const struct tyrc_firmware **fw, const char *name,
			  const char *const *search_path);

/** tyrc_release_firmware() - free a firmware from tyrc_request_firmware(); NULL-tolerant. */
void tyrc_release_firmware(const struct tyrc_firmware *fw);

#endif /* TYRC_FIRMWARE_H */
