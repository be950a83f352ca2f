// SPDX-License-Identifier: MIT
/*
 * DOC: Shim mappings
 *
 * Every successful mmap of a DRM file comes with a mapping token from the
 * host (tyrc_wire.h): a descriptor whose last close tells the host the
 * mapping is gone, so it can drop the BO (and DRM file) references the
 * mapping holds. This file tracks, per process, which pages of each such
 * mapping are still mapped, and closes the token when none is left:
 *
 * - munmap(), whole or partial (a bitmap of live pages per mapping);
 * - mmap(MAP_FIXED) over it, which unmaps what was there;
 * - exec: the token is close-on-exec; exit and death: the kernel closes it.
 *
 * fork() copies the table together with the inherited token descriptors, so
 * parent and child each close their own copy when they unmap, and the host
 * drops the mapping when both have. mremap() is not tracked: a moved or
 * resized mapping keeps its token until exec or exit, which only delays the
 * release. A program that closes descriptors it does not own (closefrom())
 * releases its mappings early: its own pages may then be reused.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "shim_priv.h"

#define SHIM_PAGE_SIZE 4096UL

/** struct shim_map - one DRM mapping of this process. */
struct shim_map {
	uintptr_t start;
	size_t pages;
	/** @live: pages still mapped. */
	size_t live;
	/** @token: the mapping token descriptor. */
	int token;
	/** @bits: one bit per page, set while mapped. */
	uint8_t *bits;
	struct shim_map *next;
};

/* maps_lock - guards maps. */
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_map *maps;
/* Number of entries in maps (atomic): munmap() skips the lock when 0. */
static unsigned int nr_maps;

void shim_map_add(void *addr, size_t len, int token)
{
	struct shim_map *m = calloc(1, sizeof(*m));
	size_t pages = (len + SHIM_PAGE_SIZE - 1) / SHIM_PAGE_SIZE;

	if (m)
		m->bits = malloc((pages + 7) / 8);
	if (!m || !m->bits) {
		/* Untracked: the token stays open until exec or exit (late, never early). */
		free(m);
		shim_log("mapping %p not tracked (out of memory)", addr);
		return;
	}
	for (size_t i = 0; i < (pages + 7) / 8; i++)
		m->bits[i] = 0xff;
	m->start = (uintptr_t)addr;
	m->pages = pages;
	m->live = pages;
	m->token = token;
	pthread_mutex_lock(&maps_lock);
	m->next = maps;
	maps = m;
	__atomic_add_fetch(&nr_maps, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&maps_lock);
}

void shim_map_forget(void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr & ~(SHIM_PAGE_SIZE - 1);
	uintptr_t end = (uintptr_t)addr + len;
	struct shim_map **pp, *m;

	if (!len || !__atomic_load_n(&nr_maps, __ATOMIC_RELAXED))
		return;
	if (end < start)
		end = UINTPTR_MAX;
	pthread_mutex_lock(&maps_lock);
	for (pp = &maps; (m = *pp);) {
		uintptr_t mend = m->start + m->pages * SHIM_PAGE_SIZE;
		uintptr_t lo = start > m->start ? start : m->start;
		uintptr_t hi = end < mend ? end : mend;

		for (uintptr_t a = lo; a < hi; a += SHIM_PAGE_SIZE) {
			size_t i = (a - m->start) / SHIM_PAGE_SIZE;

			if (m->bits[i / 8] & (1u << (i % 8))) {
				m->bits[i / 8] &= (uint8_t) ~(1u << (i % 8));
				m->live--;
			}
		}
		if (m->live) {
			pp = &m->next;
			continue;
		}
		*pp = m->next;
		__atomic_sub_fetch(&nr_maps, 1, __ATOMIC_RELAXED);
		shim_log("mapping %p gone, closing token %d", (void *)m->start, m->token);
		close(m->token);
		free(m->bits);
		free(m);
	}
	pthread_mutex_unlock(&maps_lock);
}

void shim_map_atfork_prepare(void)
{
	pthread_mutex_lock(&maps_lock);
}

void shim_map_atfork_parent(void)
{
	pthread_mutex_unlock(&maps_lock);
}

void shim_map_atfork_child(void)
{
	pthread_mutex_unlock(&maps_lock);
}
