// SPDX-License-Identifier: MIT
/*
 * DOC: Host mappings
 *
 * An mmap of a DRM file asks the driver (tyrc_drm_mmap()) for physical
 * ranges, resolves them to descriptors (tyrc_host_config.phys_to_fd: the
 * RAM memfd, the model's LATEST_FLUSH_ID page) and answers with extents the
 * shim maps MAP_FIXED (tyrc_wire.h: MMAP_REPLY, then MMAP_EXTENTS packets,
 * so a BO of scattered pages can have any number of them).
 *
 * Lifetime: each successful mmap makes a struct host_mapping holding the
 * driver's vma (the BO reference) and a reference on the DRM file (as
 * vma->vm_file does), plus a socketpair whose client end — the mapping
 * token — goes to the shim. The shim keeps the token (close-on-exec) while
 * any page of the mapping is mapped in that process; fork() shares it with
 * the child. The monitor sees the host end hang up once every copy is
 * closed (munmap of the last page, exec, exit, SIGKILL) and only then drops
 * the vma and the file reference, so the BO's pages cannot go to another
 * client while a process still maps them.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_priv.h"

#define HOST_PAGE_SIZE 4096ULL

int host_mmap_reply_err(struct host_conn *conn, int err)
{
	struct tyrc_wire_mmap_reply rep = { 0 };

	tyrc_wire_hdr_init(&rep.hdr, TYRC_MSG_MMAP_REPLY, sizeof(rep));
	rep.err = err;
	return host_conn_send(conn, &rep, sizeof(rep), NULL, 0);
}

static void host_mapping_free(struct host_mapping *map)
{
	tyrc_drm_vma_close(&map->vma);
	host_file_put(map->file);
	free(map);
}

/* Remove @map from the host list; Return: true if it was there. */
static bool host_mapping_unlink(struct tyrc_host *host, struct host_mapping *map)
{
	bool found = false;

	pthread_mutex_lock(&host->files_lock);
	if (map->prev || host->maps == map) {
		if (map->prev)
			map->prev->next = map->next;
		else
			host->maps = map->next;
		if (map->next)
			map->next->prev = map->prev;
		map->prev = map->next = NULL;
		host->nr_maps--;
		found = true;
	}
	pthread_mutex_unlock(&host->files_lock);
	return found;
}

void host_mapping_hangup(struct tyrc_host *host, struct host_mapping *map)
{
	if (!host_mapping_unlink(host, map))
		return;
	epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, map->host_fd, NULL);
	close(map->host_fd);
	host_mapping_free(map);
}

void host_mappings_release_all(struct tyrc_host *host)
{
	for (;;) {
		struct host_mapping *map;

		pthread_mutex_lock(&host->files_lock);
		map = host->maps;
		pthread_mutex_unlock(&host->files_lock);
		if (!map)
			break;
		host_mapping_hangup(host, map);
	}
}

/* Find or add @fd in @fds (slot 0 is the token). Return: its data index, or -1 if full. */
static int fd_slot(int *fds, unsigned int *nfds, int fd)
{
	for (unsigned int i = 1; i < *nfds; i++)
		if (fds[i] == fd)
			return (int)i - 1;
	if (*nfds >= TYRC_WIRE_MAX_FDS)
		return -1;
	fds[(*nfds)++] = fd;
	return (int)*nfds - 2;
}

/* Turn the driver's ranges into wire extents. Return: 0 or a negative errno. */
static int build_extents(struct tyrc_host *host, const struct tyrc_vm_area *vma,
			 struct tyrc_wire_extent *ext, int *fds, unsigned int *nfds)
{
	u64 map_offset = 0;

	for (u32 i = 0; i < vma->nr_ranges; i++) {
		const struct tyrc_vm_area_range *r = &vma->ranges[i];
		u64 fd_offset;
		int fd, slot, ret;

		ret = host->cfg.phys_to_fd(host->cfg.phys_priv, r->phys, r->len, &fd, &fd_offset);
		if (ret)
			return ret;
		slot = fd_slot(fds, nfds, fd);
		if (slot < 0)
			return -ENOMEM;
		ext[i] = (struct tyrc_wire_extent){
			.map_offset = map_offset,
			.len = r->len,
			.fd_offset = fd_offset,
			.fd_index = (u32)slot,
			.prot_mask = vma->prot_mask,
		};
		map_offset += r->len;
	}
	return map_offset == vma->len ? 0 : -EINVAL;
}

/* Register @map (token host end @host_fd) with the monitor. Return: 0 or -errno. */
static int host_mapping_register(struct tyrc_host *host, struct host_mapping *map)
{
	struct epoll_event ev = { .events = EPOLLRDHUP, .data.u64 = (uintptr_t)map | 1 };

	pthread_mutex_lock(&host->files_lock);
	map->next = host->maps;
	if (host->maps)
		host->maps->prev = map;
	host->maps = map;
	host->nr_maps++;
	pthread_mutex_unlock(&host->files_lock);
	if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, map->host_fd, &ev)) {
		int ret = -errno;

		host_mapping_unlink(host, map);
		return ret;
	}
	return 0;
}

static int send_extents(struct host_conn *conn, const struct tyrc_wire_extent *ext, u64 nr)
{
	struct tyrc_wire_mmap_extents *msg = (struct tyrc_wire_mmap_extents *)conn->sbuf;

	for (u64 done = 0; done < nr;) {
		u32 n = (u32)tyrc_min(nr - done, (u64)TYRC_WIRE_EXTENTS_PER_MSG);
		size_t len = sizeof(*msg) + n * sizeof(ext[0]);
		int ret;

		memset(msg, 0, sizeof(*msg));
		tyrc_wire_hdr_init(&msg->hdr, TYRC_MSG_MMAP_EXTENTS, (u32)len);
		msg->nr = n;
		memcpy(msg->extents, ext + done, n * sizeof(ext[0]));
		ret = host_conn_send(conn, msg, len, NULL, 0);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

int host_serve_mmap(struct host_conn *conn, struct host_file *file,
		    const struct tyrc_wire_mmap *req)
{
	struct tyrc_host *host = conn->host;
	struct tyrc_wire_mmap_reply rep = { 0 };
	struct tyrc_wire_extent *ext = NULL;
	struct host_mapping *map;
	int fds[TYRC_WIRE_MAX_FDS], sv[2];
	unsigned int nfds = 1;
	u64 nr, len;
	int ret;

	if (!host->cfg.phys_to_fd)
		return host_mmap_reply_err(conn, -ENODEV);
	/* The mm core's part: aligned offset, non-empty length rounded up to pages. */
	if (!req->len || (req->offset & (HOST_PAGE_SIZE - 1)))
		return host_mmap_reply_err(conn, -EINVAL);
	if (check_add_overflow(req->len, HOST_PAGE_SIZE - 1, &len) ||
	    check_add_overflow(req->offset, len & ~(HOST_PAGE_SIZE - 1), &nr))
		return host_mmap_reply_err(conn, -ENOMEM);
	len &= ~(HOST_PAGE_SIZE - 1);

	map = calloc(1, sizeof(*map));
	if (!map)
		return host_mmap_reply_err(conn, -ENOMEM);
	map->vma = (struct tyrc_vm_area){
		.offset = req->offset,
		.len = len,
		.prot = req->prot,
		.flags = req->flags,
	};
	ret = tyrc_drm_mmap(file->drm, &map->vma);
	if (ret) {
		free(map);
		return host_mmap_reply_err(conn, ret);
	}
	map->file = host_file_get(file);
	nr = map->vma.nr_ranges;
	ext = calloc(nr, sizeof(*ext));
	ret = ext ? build_extents(host, &map->vma, ext, fds, &nfds) : -ENOMEM;
	if (!ret && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		ret = -errno;
	if (ret) {
		free(ext);
		host_mapping_free(map);
		return host_mmap_reply_err(conn, ret);
	}
	map->host_fd = sv[0];
	fds[0] = sv[1];
	ret = host_mapping_register(host, map);
	if (ret) {
		close(sv[0]);
		close(sv[1]);
		free(ext);
		host_mapping_free(map);
		return host_mmap_reply_err(conn, ret);
	}
	/*
	 * From here the monitor owns @map: closing our copy of the token (below,
	 * whatever happens) leaves the shim's as the only one. @ext was built
	 * before, so nothing reads @map any more.
	 */
	tyrc_wire_hdr_init(&rep.hdr, TYRC_MSG_MMAP_REPLY, sizeof(rep));
	rep.nr_fds = nfds;
	rep.nr_extents = nr;
	ret = host_conn_send(conn, &rep, sizeof(rep), fds, nfds);
	close(sv[1]);
	if (!ret)
		ret = send_extents(conn, ext, nr);
	free(ext);
	return ret;
}
