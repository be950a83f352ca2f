/* SPDX-License-Identifier: MIT */
/*
 * Reference counts (kref). Underflow and get-from-zero are bugs and abort
 * via TYRC_BUG_ON, so a broken put/get pairing is caught where it happens.
 */
#ifndef TYRC_KREF_H
#define TYRC_KREF_H

#include "types.h"

/** struct tyrc_kref - a reference count embedded in a counted object. */
struct tyrc_kref {
	/** @refcount: number of references; 0 means released. */
	unsigned int refcount;
};

/** tyrc_kref_init() - set the count to 1 (the creator's reference). */
void tyrc_kref_init(struct tyrc_kref *kref);
/** tyrc_kref_get() - take a reference; the count must already be > 0. */
void tyrc_kref_get(struct tyrc_kref *kref);
/** tyrc_kref_get_unless_zero() - take a reference unless the object is dying. Return: true if taken. */
bool tyrc_kref_get_unless_zero(struct tyrc_kref *kref);
/**
 * tyrc_kref_put() - drop a reference, calling @release when it was the last.
 * Return: 1 if @release was called, else 0.
 */
int tyrc_kref_put(struct tyrc_kref *kref, void (*release)(struct tyrc_kref *kref));
/** tyrc_kref_read() - current count (for assertions and debug output only). */
unsigned int tyrc_kref_read(const struct tyrc_kref *kref);

#endif /* TYRC_KREF_H */
