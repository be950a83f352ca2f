// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include <tyrc/uaccess.h>
#include "tyrc_uobj.h"

/* Chunk used to check a user tail for zeroes without a big buffer. */
#define TYRC_UOBJ_TAIL_CHUNK 64
/* Largest array copy: kvmalloc() refuses more than INT_MAX bytes (-ENOMEM). */
#define TYRC_UOBJ_MAX_ARRAY_BYTES 0x7fffffffull

int tyrc_uobj_get(void *kobj, u32 kern_size, u64 usr_ptr, u32 usr_size, u32 min_size)
{
	u32 copy = usr_size < kern_size ? usr_size : kern_size;

	if (usr_size < min_size)
		return -EINVAL;
	if (tyrc_copy_from_user(kobj, usr_ptr, copy))
		return -EFAULT;
	memset((u8 *)kobj + copy, 0, kern_size - copy);

	/* copy_struct_from_user(): a newer, longer struct must not use its extra bytes. */
	for (u32 off = kern_size; off < usr_size; off += TYRC_UOBJ_TAIL_CHUNK) {
		u8 tail[TYRC_UOBJ_TAIL_CHUNK];
		u32 len = usr_size - off < sizeof(tail) ? usr_size - off : sizeof(tail);

		if (tyrc_copy_from_user(tail, usr_ptr + off, len))
			return -EFAULT;
		for (u32 i = 0; i < len; i++)
			if (tail[i])
				return -E2BIG;
	}
	return 0;
}

int tyrc_uobj_set(u64 usr_ptr, u32 usr_size, u32 min_size, const void *kobj, u32 kern_size)
{
	if (usr_size < min_size)
		return -EINVAL;
	if (tyrc_copy_to_user(usr_ptr, kobj, usr_size < kern_size ? usr_size : kern_size))
		return -EFAULT;
	/* A user struct larger than the kernel's gets its tail zeroed. */
	if (usr_size > kern_size && tyrc_clear_user(usr_ptr + kern_size, usr_size - kern_size))
		return -EFAULT;
	return 0;
}

int tyrc_uobj_get_array(void **out, u32 kern_size, u32 min_stride, u32 stride, u32 count,
			u64 usr_ptr)
{
	u8 *array;
	int ret = 0;

	*out = NULL;
	if (!count)
		return 0;
	if (stride < min_stride)
		return -EINVAL;
	/* A user-chosen count must not make the host allocate (or abort on) gigabytes. */
	if ((u64)count * kern_size > TYRC_UOBJ_MAX_ARRAY_BYTES)
		return -ENOMEM;
	array = calloc(count, kern_size);
	if (!array)
		return -ENOMEM;
	if (stride == kern_size) {
		if (tyrc_copy_from_user(array, usr_ptr, (u64)count * kern_size))
			ret = -EFAULT;
	} else {
		for (u32 i = 0; i < count && !ret; i++)
			ret = tyrc_uobj_get(array + (u64)i * kern_size, kern_size,
					    usr_ptr + (u64)i * stride, stride, min_stride);
	}
	if (ret) {
		free(array);
		return ret;
	}
	*out = array;
	return 0;
}
