/* SPDX-License-Identifier: MIT */
/*
 * DOC: User objects
 *
 * panthor's extensible-struct rules for structs reached through a user
 * pointer (PANTHOR_UOBJ_GET/SET): a user struct must cover the last
 * mandatory field (@min_size); a shorter-than-kernel struct is
 * zero-extended on input and truncated on output; a longer one must have a
 * zero tail on input (-E2BIG otherwise) and gets its tail zeroed on output.
 */
#ifndef TYRC_UOBJ_H
#define TYRC_UOBJ_H

#include <stddef.h>
#include <tyrc/types.h>

/* Size up to and including @member: the minimum a user struct must cover. */
#define TYRC_OFFSETOFEND(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/** tyrc_uobj_get() - read a user struct into @kobj. Return: 0, -EINVAL, -E2BIG, -EFAULT. */
int tyrc_uobj_get(void *kobj, u32 kern_size, u64 usr_ptr, u32 usr_size, u32 min_size);
/** tyrc_uobj_set() - write @kobj to a user struct. Return: 0, -EINVAL, -EFAULT. */
int tyrc_uobj_set(u64 usr_ptr, u32 usr_size, u32 min_size, const void *kobj, u32 kern_size);

/**
 * tyrc_uobj_get_array() - copy a user array (struct drm_panthor_obj_array)
 * of @count elements of @stride bytes at @usr_ptr into a new kernel array
 * of @kern_size-byte elements (PANTHOR_UOBJ_GET_ARRAY).
 * @out: receives the array, to free(); NULL when @count is 0.
 * @min_stride: size up to the element's last mandatory field.
 *
 * A count of 0 succeeds without looking at anything else. Each element
 * follows tyrc_uobj_get()'s rules (one bulk copy when @stride equals
 * @kern_size). Return: 0, -EINVAL (@stride below @min_stride), -E2BIG,
 * -EFAULT, -ENOMEM.
 */
int tyrc_uobj_get_array(void **out, u32 kern_size, u32 min_stride, u32 stride, u32 count,
			u64 usr_ptr);

#endif /* TYRC_UOBJ_H */
