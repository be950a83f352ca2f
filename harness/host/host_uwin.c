// SPDX-License-Identifier: MIT
/*
 * The ioctl window (host_uwin.h): local reads and buffered writes of the
 * user's argument struct.
 */
#include <string.h>

#include "host_uwin.h"

void host_uwin_init(struct host_uwin *w, u64 addr, u8 *bytes, u32 len)
{
	u64 end;

	if (check_add_overflow(addr, (u64)len, &end))
		len = 0;
	w->addr = addr;
	w->len = len;
	w->bytes = bytes;
	w->dirty_lo = len;
	w->dirty_hi = 0;
}

bool host_uwin_contains(const struct host_uwin *w, u64 addr, size_t len)
{
	u64 end;

	if (!w->len || check_add_overflow(addr, (u64)len, &end))
		return false;
	return addr >= w->addr && end <= w->addr + w->len;
}

void host_uwin_read(const struct host_uwin *w, void *dst, u64 addr, size_t len)
{
	memcpy(dst, w->bytes + (addr - w->addr), len);
}

static void mark_dirty(struct host_uwin *w, u32 lo, u32 hi)
{
	if (lo < w->dirty_lo)
		w->dirty_lo = lo;
	if (hi > w->dirty_hi)
		w->dirty_hi = hi;
}

void host_uwin_write(struct host_uwin *w, u64 addr, const void *src, size_t len)
{
	u32 off = (u32)(addr - w->addr);

	memcpy(w->bytes + off, src, len);
	if (len)
		mark_dirty(w, off, off + (u32)len);
}

/*
 * Intersection of [addr, addr + len) with the window, as a window offset
 * @woff, an offset @roff into the range, and a length. Return: false if
 * they do not meet.
 */
static bool intersect(const struct host_uwin *w, u64 addr, size_t len, u32 *woff, size_t *roff,
		      size_t *n)
{
	u64 end, lo, hi, wend = w->addr + w->len;

	if (!w->len || !len)
		return false;
	if (check_add_overflow(addr, (u64)len, &end))
		end = UINT64_MAX;
	lo = tyrc_max(addr, w->addr);
	hi = tyrc_min(end, wend);
	if (lo >= hi)
		return false;
	*woff = (u32)(lo - w->addr);
	*roff = (size_t)(lo - addr);
	*n = (size_t)(hi - lo);
	return true;
}

void host_uwin_overlay(const struct host_uwin *w, void *dst, u64 addr, size_t len)
{
	size_t roff, n;
	u32 woff;

	if (intersect(w, addr, len, &woff, &roff, &n))
		memcpy((u8 *)dst + roff, w->bytes + woff, n);
}

void host_uwin_update(struct host_uwin *w, u64 addr, const void *src, size_t len)
{
	size_t roff, n;
	u32 woff;

	if (intersect(w, addr, len, &woff, &roff, &n)) {
		memcpy(w->bytes + woff, (const u8 *)src + roff, n);
		mark_dirty(w, woff, woff + (u32)n);
	}
}

void host_uwin_dirty(const struct host_uwin *w, u32 *off, u32 *len)
{
	if (w->dirty_lo >= w->dirty_hi) {
		*off = 0;
		*len = 0;
		return;
	}
	*off = w->dirty_lo;
	*len = w->dirty_hi - w->dirty_lo;
}
