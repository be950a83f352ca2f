/* SPDX-License-Identifier: MIT */
/*
 * Kernel-style fixed-width types and the small helpers every layer uses
 * (BIT/GENMASK/FIELD_*, container_of, overflow checks, READ_ONCE).
 */
#ifndef TYRC_TYPES_H
#define TYRC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * Generic helpers below that test-side headers (IGT, libdrm) may define too
 * are guarded, so driver-internal tests can include both.
 */
#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))
/* Contiguous mask from bit @l to bit @h inclusive (32-bit and 64-bit). */
#define GENMASK(h, l) ((~0U << (l)) & (~0U >> (31 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
/* Extract / place a field described by its mask (shift derived from the mask). */
#define FIELD_GET(mask, reg) (((reg) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, val) (((u64)(val) << __builtin_ctzll(mask)) & (mask))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define tyrc_min(a, b) ((a) < (b) ? (a) : (b))
#define tyrc_max(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#endif
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n)-1)) == 0))

/* Checked arithmetic: true when the result overflowed (*d is then unspecified). */
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

#ifndef READ_ONCE
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif

#define SZ_4K 0x1000UL
#define SZ_64K 0x10000UL
#define SZ_2M 0x200000UL

#ifndef NSEC_PER_USEC
#define NSEC_PER_USEC 1000ULL
#endif
#ifndef NSEC_PER_MSEC
#define NSEC_PER_MSEC 1000000ULL
#endif
#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC 1000000000ULL
#endif

#endif /* TYRC_TYPES_H */
