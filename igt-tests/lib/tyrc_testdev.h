/* SPDX-License-Identifier: MIT */
/*
 * tyrc_testdev - the device the driver-internal IGT tests (tests/tyrc_*.c
 * linked against the driver and the model, no host, no shim) run on: board
 * RAM, a Mali-G610 model, the driver probed on it and, if asked for, a DRM
 * file with this process as the client (user pointers are its own), plus a
 * kernel-log capture and an ioctl helper. Built only into those tests.
 */
#ifndef TYRC_TESTDEV_H
#define TYRC_TESTDEV_H

#include <stdbool.h>
#include <stdio.h>

#include "tyrc_device.h"
#include "tyrc_drv.h"
#include "tyrc_model.h"
#include <tyrc/log.h>
#include <tyrc/uaccess.h>

/** struct tyrc_testdev_opts - how tyrc_testdev_init() builds the device; zero means default. */
struct tyrc_testdev_opts {
	/** @ram_base: physical base of board RAM (default 0x80000000). */
	u64 ram_base;
	/** @ram_size: bytes of board RAM (default 128 MiB). */
	u64 ram_size;
	/** @model_config: tweaks to the G610 model configuration, or NULL. */
	void (*model_config)(struct tyrc_model_config *mcfg);
	/** @device_config: tweaks to the default device configuration, or NULL. */
	void (*device_config)(struct tyrc_device_config *dcfg);
	/** @fw_dir: the only firmware directory (default TYRC_FW_DIR). */
	const char *fw_dir;
	/** @no_firmware: probe without loading or booting firmware. */
	bool no_firmware;
	/** @probe_ret: what tyrc_device_probe() must return (asserted). */
	int probe_ret;
	/** @log_probe: capture the probe's log, up to INFO, into &tyrc_testdev.probe_log. */
	bool log_probe;
	/** @open_file: open &tyrc_testdev.file as uid 0, on the render node. */
	bool open_file;
	/** @comm: the client's process name for every file opened. */
	const char *comm;
	/** @self_uaccess: make this process the current user (tyrc_uaccess_self). */
	bool self_uaccess;
	/** @log_restore: the sink set (up to ERR) when a log capture ends; NULL discards. */
	FILE *log_restore;
};

/** struct tyrc_testdev - a probed device on the model; all-zero before init and after fini. */
struct tyrc_testdev {
	struct tyrc_ram *ram;
	struct tyrc_model *model;
	struct tyrc_device *dev;
	/** @file: the file @opts.open_file asked for, or NULL. */
	struct tyrc_file *file;
	/** @probe_log: what probe logged when @opts.log_probe (freed by fini). */
	char *probe_log;
	struct tyrc_testdev_opts opts;
	const char *fw_path[2];
	bool uaccess;
	/* the log capture in progress, if any */
	FILE *log;
	char *log_text;
	size_t log_len;
};

/** tyrc_testdev_init() - build @td as @opts says (NULL: all defaults), asserting each step. */
void tyrc_testdev_init(struct tyrc_testdev *td, const struct tyrc_testdev_opts *opts);
/** tyrc_testdev_init_client() - defaults, a render file for uid 0 as @comm, self uaccess. */
void tyrc_testdev_init_client(struct tyrc_testdev *td, const char *comm);
/** tyrc_testdev_fini() - release what @td holds; safe on a zeroed or partly built @td. */
void tyrc_testdev_fini(struct tyrc_testdev *td);

/** tyrc_testdev_open() - a further DRM file on @minor for uid @uid, asserted to open. */
struct tyrc_file *tyrc_testdev_open(struct tyrc_testdev *td, enum tyrc_minor_type minor, u32 uid);

/** tyrc_testdev_ioctl() - ioctl @cmd on @td's file. Return: 0 or -errno. */
int tyrc_testdev_ioctl(struct tyrc_testdev *td, unsigned int cmd, void *arg);
/** tyrc_testdev_file_ioctl() - ioctl @cmd on @file. Return: 0 or -errno. */
int tyrc_testdev_file_ioctl(struct tyrc_file *file, unsigned int cmd, void *arg);

/**
 * tyrc_testdev_cpu_map() - mmap() @len bytes of @file at fake offset
 * @offset as the host serves a client's mmap: ask the driver for the
 * physical ranges (filling @vma) and map those pieces of the RAM memfd.
 * Undo with munmap() and tyrc_drm_vma_close(@vma). Asserts on failure.
 */
u8 *tyrc_testdev_cpu_map(struct tyrc_testdev *td, struct tyrc_file *file, u64 offset, u64 len,
			 struct tyrc_vm_area *vma);

/** tyrc_testdev_log_begin() - capture the kernel log, up to @level, until log_end. */
void tyrc_testdev_log_begin(struct tyrc_testdev *td, enum tyrc_log_level level);
/** tyrc_testdev_log_text() - what the capture in progress holds so far (owned by @td). */
const char *tyrc_testdev_log_text(struct tyrc_testdev *td);
/**
 * tyrc_testdev_log_end() - stop the capture (the sink becomes @opts.log_restore).
 * Return: the captured text; the caller frees it.
 */
char *tyrc_testdev_log_end(struct tyrc_testdev *td);

#endif /* TYRC_TESTDEV_H */
