/* SPDX-License-Identifier: MIT */
/*
 * MMIO access. A device window is a struct tyrc_iomem whose ops the board
 * (here: the GPU model) supplies; the driver reaches registers only through
 * these accessors — the boundary that would let it drive real silicon.
 */
#ifndef TYRC_IOMEM_H
#define TYRC_IOMEM_H

#include "ktime.h"
#include "log.h"

/** struct tyrc_iomem_ops - 32-bit register accessors of one MMIO window. */
struct tyrc_iomem_ops {
	u32 (*read32)(void *priv, u32 offset);
	void (*write32)(void *priv, u32 offset, u32 value);
};

/** struct tyrc_iomem - one mapped MMIO window. */
struct tyrc_iomem {
	const struct tyrc_iomem_ops *ops;
	void *priv;
	/**
	 * @size: window size in bytes; accesses beyond it, and unaligned
	 * ones, are bugs (TYRC_BUG_ON). 0 leaves the range unchecked.
	 */
	u32 size;
};

/* A 32-bit access at @offset must be aligned and, if @io->size is set, inside. */
static inline void tyrc_iomem_check(const struct tyrc_iomem *io, u32 offset)
{
	TYRC_BUG_ON(offset & 3);
	TYRC_BUG_ON(io->size && (u64)offset + 4 > io->size);
}

static inline u32 tyrc_ioread32(const struct tyrc_iomem *io, u32 offset)
{
	tyrc_iomem_check(io, offset);
	return io->ops->read32(io->priv, offset);
}

static inline void tyrc_iowrite32(const struct tyrc_iomem *io, u32 offset, u32 value)
{
	tyrc_iomem_check(io, offset);
	io->ops->write32(io->priv, offset, value);
}

/* 64-bit register: LO word at @offset, HI at +4; written LO first, as panthor does. */
static inline u64 tyrc_ioread64(const struct tyrc_iomem *io, u32 offset)
{
	u64 lo = tyrc_ioread32(io, offset);
	return lo | ((u64)tyrc_ioread32(io, offset + 4) << 32);
}

static inline void tyrc_iowrite64(const struct tyrc_iomem *io, u32 offset, u64 value)
{
	tyrc_iowrite32(io, offset, (u32)value);
	tyrc_iowrite32(io, offset + 4, (u32)(value >> 32));
}

/* Free-running 64-bit counter: read HI, LO, HI and retry while HI changed. */
static inline u64 tyrc_ioread64_counter(const struct tyrc_iomem *io, u32 offset)
{
	u32 hi, lo, hi2;

	do {
		hi = tyrc_ioread32(io, offset + 4);
		lo = tyrc_ioread32(io, offset);
		hi2 = tyrc_ioread32(io, offset + 4);
	} while (hi != hi2);
	return ((u64)hi << 32) | lo;
}

/**
 * tyrc_ioread_poll_timeout() - poll a register with @readfn until @cond (on
 * @val) holds. Sleeps @sleep_us between reads, gives up after @timeout_us;
 * the register is read once more after the deadline, as readx_poll_timeout()
 * does. Return: 0, or -ETIMEDOUT with @val holding the last value read.
 */
#define tyrc_ioread_poll_timeout(readfn, io, offset, val, cond, sleep_us, timeout_us)   \
	({                                                                              \
		u64 __deadline = tyrc_ktime_get_ns() + (u64)(timeout_us)*NSEC_PER_USEC; \
		int __ret = 0;                                                          \
		for (;;) {                                                              \
			(val) = readfn(io, offset);                                     \
			if (cond)                                                       \
				break;                                                  \
			if (tyrc_ktime_get_ns() > __deadline) {                         \
				(val) = readfn(io, offset);                             \
				__ret = (cond) ? 0 : -ETIMEDOUT;                        \
				break;                                                  \
			}                                                               \
			if (sleep_us)                                                   \
				tyrc_usleep(sleep_us);                                  \
		}                                                                       \
		__ret;                                                                  \
	})

#define tyrc_ioread32_poll_timeout(io, offset, val, cond, sleep_us, timeout_us) \
	tyrc_ioread_poll_timeout(tyrc_ioread32, io, offset, val, cond, sleep_us, timeout_us)
#define tyrc_ioread64_poll_timeout(io, offset, val, cond, sleep_us, timeout_us) \
	tyrc_ioread_poll_timeout(tyrc_ioread64, io, offset, val, cond, sleep_us, timeout_us)

#endif /* TYRC_IOMEM_H */
