/* SPDX-License-Identifier: MIT */
/*
 * DOC: Device host
 *
 * The host is the "kernel" side of tyrc: it owns one probed device and
 * serves the DRM file operations of every client process over a UNIX
 * socket (protocol: tyrc_wire.h). Clients are programs running with the
 * shim (libtyrc_shim.so) preloaded.
 *
 * Threads: one accept thread; one thread per control connection (a client
 * thread), which runs that client's ioctls with uaccess routed back to it;
 * one monitor thread that watches every open DRM file's socket and releases
 * the file when the last client reference to it is gone.
 *
 * Lifetime: tyrc_host_start() listens and returns; tyrc_host_stop() stops
 * accepting, disconnects every client (in-flight ioctls see -EFAULT from
 * their uaccess and unwind), releases every remaining DRM file and removes
 * the socket. The device itself belongs to the caller.
 */
#ifndef TYRC_HOST_H
#define TYRC_HOST_H

#include <stdio.h>
#include <sys/types.h>

#include <tyrc/kernel.h>

#include "tyrc_drv.h"

struct tyrc_host;

/**
 * typedef tyrc_host_phys_fn - where physical memory lives: resolve
 * [@phys, @phys + @len) (one range the driver answered an mmap with) to a
 * descriptor and an offset in it, for user mappings.
 * @fd: out: a descriptor the resolver keeps open (the host never closes it).
 * Return: 0, or -EINVAL if the range is not mappable memory.
 */
typedef int (*tyrc_host_phys_fn)(void *priv, u64 phys, u64 len, int *fd, u64 *fd_offset);

/** struct tyrc_host_config - how to serve a device. */
struct tyrc_host_config {
	/** @socket_path: where to listen; NULL selects tyrc_host_default_socket(). */
	const char *socket_path;
	/**
	 * @phys_to_fd: resolves the physical ranges of tyrc_drm_mmap()
	 * answers; NULL answers every mmap with -ENODEV.
	 */
	tyrc_host_phys_fn phys_to_fd;
	/** @phys_priv: cookie for @phys_to_fd. */
	void *phys_priv;
};

/**
 * tyrc_host_default_socket() - the default socket path, creating its
 * directory (mode 0700) if needed.
 * Return: 0, -ENAMETOOLONG, or the errno of a failed mkdir; -EPERM if the
 * directory exists but is not a directory owned by the caller.
 */
int tyrc_host_default_socket(char *buf, size_t len);

/**
 * tyrc_host_private_socket() - a socket path for a host that only one
 * command uses ("run-<pid>.sock" in the runtime directory, created 0700).
 * Return: as tyrc_host_default_socket().
 */
int tyrc_host_private_socket(char *buf, size_t len);

/**
 * tyrc_host_probe_socket() - is a host answering at @path?
 * Return: true if a connection succeeded.
 */
bool tyrc_host_probe_socket(const char *path);

/**
 * tyrc_host_start() - listen on the configured socket and serve @dev.
 * @dev: the device (outlives the host).
 * @cfg: configuration (copied).
 * @out: receives the host.
 *
 * Call with SIGPIPE ignored or blocked in the caller's threads if clients
 * may vanish (the host itself never raises SIGPIPE). Signals blocked in the
 * calling thread stay blocked in every host thread.
 * Return: 0; -EADDRINUSE if a host already answers at the path; another
 * negative errno if the socket or a thread could not be created.
 */
int tyrc_host_start(struct tyrc_device *dev, const struct tyrc_host_config *cfg,
		    struct tyrc_host **out);

/** tyrc_host_socket_path() - Return: the path @host listens on. */
const char *tyrc_host_socket_path(const struct tyrc_host *host);

/**
 * tyrc_host_stop() - disconnect everybody, release every DRM file, remove
 * the socket and free @host (NULL is ignored). A blocking driver call that
 * never returns keeps this waiting.
 */
void tyrc_host_stop(struct tyrc_host *host);

/**
 * tyrc_host_info_text() - the device as a client sees it (driver version
 * through a DRM_IOCTL_VERSION on a host-local file, GPU identity, clients)
 * as text, in a malloc'd NUL-terminated buffer.
 * Return: 0 with *@out set, or a negative errno.
 */
int tyrc_host_info_text(struct tyrc_host *host, char **out);

/**
 * tyrc_host_clients_text() - the DRM debugfs "clients" listing of @dev, in
 * a malloc'd NUL-terminated buffer.
 * Return: 0 with *@out set, or -ENOMEM.
 */
int tyrc_host_clients_text(struct tyrc_device *dev, char **out);

/** struct tyrc_host_gpu - a GPU model with the driver probed on it. */
struct tyrc_host_gpu;

/**
 * tyrc_host_gpu_create() - build the G610 model and probe the driver on it.
 * Return: 0 with *@out set, or the negative errno of the failing step.
 */
int tyrc_host_gpu_create(struct tyrc_host_gpu **out);
/** tyrc_host_gpu_device() - Return: the probed device of @gpu. */
struct tyrc_device *tyrc_host_gpu_device(struct tyrc_host_gpu *gpu);
/**
 * tyrc_host_gpu_phys_to_fd() - a tyrc_host_phys_fn for @priv, a struct
 * tyrc_host_gpu: board RAM is the RAM memfd at phys - base; the
 * LATEST_FLUSH_ID register page is the model's memfd page.
 */
int tyrc_host_gpu_phys_to_fd(void *priv, u64 phys, u64 len, int *fd, u64 *fd_offset);
/** tyrc_host_gems_text() - the debugfs "gems" listing of @dev (malloc'd). Return: 0 or -ENOMEM. */
int tyrc_host_gems_text(struct tyrc_device *dev, char **out);
/** tyrc_host_gpu_destroy() - remove the device, destroy the model (NULL is ignored). */
void tyrc_host_gpu_destroy(struct tyrc_host_gpu *gpu);

/**
 * struct tyrc_host_run_args - options of tyrc_host_run().
 */
struct tyrc_host_run_args {
	/** @cfg: the host configuration. */
	struct tyrc_host_config cfg;
	/**
	 * @ready_fd: if >= 0, once listening "ok <path>\n" (or "err <errno>
	 * <message>\n" on failure) is written to it, and it is closed.
	 */
	int ready_fd;
	/** @print_path: print the socket path on stdout once listening. */
	bool print_path;
};

/**
 * tyrc_host_run() - serve @dev until SIGINT, SIGTERM or SIGHUP, then stop.
 * Those signals are blocked in the calling thread for the duration.
 * Return: 0 after a clean stop, or the negative errno of tyrc_host_start().
 */
int tyrc_host_run(struct tyrc_device *dev, const struct tyrc_host_run_args *args);

#endif /* TYRC_HOST_H */
