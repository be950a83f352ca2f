/* SPDX-License-Identifier: MIT */
/*
 * The ioctl window: a local copy of the user's argument struct (see
 * tyrc_wire.h). Reads inside it are served locally, writes inside it are
 * buffered and tracked as one dirty byte range that the reply carries back.
 * Pure data-structure code, unit-tested on its own.
 */
#ifndef TYRC_HOST_UWIN_H
#define TYRC_HOST_UWIN_H

#include <tyrc/types.h>

/** struct host_uwin - the window of one ioctl. */
struct host_uwin {
	/** @addr: user address of byte 0. */
	u64 addr;
	/** @len: window size; 0 = no window (every access is remote). */
	u32 len;
	/** @dirty_lo, @dirty_hi: written byte range [lo, hi); empty when lo >= hi. */
	u32 dirty_lo;
	u32 dirty_hi;
	/** @bytes: @len bytes, owned by the caller. */
	u8 *bytes;
};

/** host_uwin_init() - a window of @len bytes at user address @addr (0 if it would wrap). */
void host_uwin_init(struct host_uwin *w, u64 addr, u8 *bytes, u32 len);
/** host_uwin_contains() - Return: true if [@addr, @addr + @len) lies inside the window. */
bool host_uwin_contains(const struct host_uwin *w, u64 addr, size_t len);
/** host_uwin_read() - copy a range inside the window (host_uwin_contains() must hold). */
void host_uwin_read(const struct host_uwin *w, void *dst, u64 addr, size_t len);
/** host_uwin_write() - store a range inside the window and mark it dirty. */
void host_uwin_write(struct host_uwin *w, u64 addr, const void *src, size_t len);
/**
 * host_uwin_overlay() - after a remote read of [@addr, @addr + @len) into
 * @dst, replace the bytes that overlap the window with the window's (newer)
 * contents.
 */
void host_uwin_overlay(const struct host_uwin *w, void *dst, u64 addr, size_t len);
/**
 * host_uwin_update() - after a remote write of [@addr, @addr + @len), make
 * the overlapping window bytes equal to it (and dirty, so the final store
 * keeps them).
 */
void host_uwin_update(struct host_uwin *w, u64 addr, const void *src, size_t len);
/** host_uwin_dirty() - the range to store back: *@off and *@len (0 if clean). */
void host_uwin_dirty(const struct host_uwin *w, u32 *off, u32 *len);

#endif /* TYRC_HOST_UWIN_H */
