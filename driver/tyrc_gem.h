/* SPDX-License-Identifier: MIT */
/*
 * DOC: GEM objects
 *
 * A buffer object (BO) is a set of pages of board RAM: 2 MiB blocks while
 * the remaining size allows one and RAM has a free one, then single 4 KiB
 * pages (scattered, as the page allocator hands them out). Pages are zeroed
 * at creation and stay put for the BO's life (no swapping, no migration),
 * so a physical address read once stays valid while a reference is held.
 *
 * References: each GEM handle of each file holds one, each CPU mapping
 * (struct tyrc_vm_area) holds one, and so will each VM mapping. The pages
 * go back to RAM when the last reference is dropped.
 *
 * mmap offsets (drm_vma_offset_manager): a BO gets a fake, page-aligned
 * offset on first BO_MMAP_OFFSET, at or above TYRC_GEM_MMAP_OFFSET_START,
 * unique per device and stable until the BO is freed. Only files holding a
 * handle to a BO may map it (drm_vma_node_is_allowed()).
 *
 * Lock order: a file's gem_handles lock → the device's GEM lock.
 */
#ifndef TYRC_GEM_H
#define TYRC_GEM_H

#include <tyrc/kernel.h>

struct tyrc_device;
struct tyrc_file;
struct tyrc_gem_object;
struct tyrc_vm_area;
struct tyrc_vm;

/* DRM_FILE_PAGE_OFFSET_START / _SIZE on 64-bit, in bytes: [4 GiB, 4 GiB + ~1 TiB). */
#define TYRC_GEM_MMAP_OFFSET_START (((u64)0xFFFFFFFFULL >> TYRC_PAGE_SHIFT) + 1) * TYRC_PAGE_SIZE
#define TYRC_GEM_MMAP_OFFSET_SIZE (((u64)0xFFFFFFFFULL >> TYRC_PAGE_SHIFT) * 256) * TYRC_PAGE_SIZE

/* Longest BO label, NUL excluded (PANTHOR_BO_LABEL_MAXLEN - 1). */
#define TYRC_GEM_LABEL_MAX_LEN 4095

/** tyrc_gem_init() - the device's object list and mmap offset space. Return: 0 or -ENOMEM. */
int tyrc_gem_init(struct tyrc_device *dev);
/** tyrc_gem_fini() - every BO must be gone (a leak is warned about). NULL-safe on a failed init. */
void tyrc_gem_fini(struct tyrc_device *dev);

/**
 * tyrc_gem_create() - a zeroed BO of @size bytes (rounded up to pages).
 * @flags: DRM_PANTHOR_BO_* creation flags, already validated.
 * @creator: file of the creating client (for debugfs; not referenced), or NULL.
 * Return: 0 with *@out holding the caller's reference; -EINVAL for a size
 * of 0 or one that overflows; -ENOMEM when RAM runs out.
 */
int tyrc_gem_create(struct tyrc_device *dev, u64 size, u32 flags, struct tyrc_file *creator,
		    struct tyrc_gem_object **out);
/**
 * tyrc_gem_set_exclusive_vm() - BO_CREATE exclusive_vm_id: @bo may only be
 * mapped in @vm (it shares the VM's lifetime rules and cannot be exported).
 * The BO takes a reference on @vm. Only at creation, before a handle exists.
 */
void tyrc_gem_set_exclusive_vm(struct tyrc_gem_object *bo, struct tyrc_vm *vm);
/** tyrc_gem_exclusive_vm() - the VM @bo is exclusive to, or NULL (identity only). */
const struct tyrc_vm *tyrc_gem_exclusive_vm(const struct tyrc_gem_object *bo);
/** tyrc_gem_get() - take a reference (NULL-tolerant). Return: @bo. */
struct tyrc_gem_object *tyrc_gem_get(struct tyrc_gem_object *bo);
/** tyrc_gem_put() - drop a reference (NULL-tolerant); the last one frees the pages. */
void tyrc_gem_put(struct tyrc_gem_object *bo);

/** tyrc_gem_size() - size in bytes (page multiple). */
u64 tyrc_gem_size(const struct tyrc_gem_object *bo);
/** tyrc_gem_flags() - DRM_PANTHOR_BO_* creation flags. */
u32 tyrc_gem_flags(const struct tyrc_gem_object *bo);
/**
 * tyrc_gem_phys() - physical address of byte @offset of @bo and the number
 * of physically contiguous bytes from there to the end of its block.
 * Return: 0, or -EINVAL if @offset is not inside @bo.
 */
int tyrc_gem_phys(const struct tyrc_gem_object *bo, u64 offset, u64 *phys, u64 *contig);

/**
 * tyrc_gem_handle_create() - a new handle (never 0) in @file for @bo; the
 * handle takes its own reference. Return: 0 or -ENOMEM / -ENOSPC.
 */
int tyrc_gem_handle_create(struct tyrc_file *file, struct tyrc_gem_object *bo, u32 *handle);
/** tyrc_gem_lookup() - Return: a new reference to the BO @handle names in @file, or NULL. */
struct tyrc_gem_object *tyrc_gem_lookup(struct tyrc_file *file, u32 handle);
/** tyrc_gem_handle_delete() - GEM_CLOSE. Return: 0, or -EINVAL for an unknown handle. */
int tyrc_gem_handle_delete(struct tyrc_file *file, u32 handle);
/** tyrc_gem_file_release() - drop every handle of @file (file close). */
void tyrc_gem_file_release(struct tyrc_file *file);

/** tyrc_gem_mmap_offset() - the BO's fake offset, allocated on first use. Return: 0 or -ENOSPC/-ENOMEM. */
int tyrc_gem_mmap_offset(struct tyrc_gem_object *bo, u64 *offset);
/** tyrc_gem_set_label() - replace the label (@label malloc'd, NULL clears); takes ownership. */
void tyrc_gem_set_label(struct tyrc_gem_object *bo, char *label);

/**
 * tyrc_gem_mmap() - drm_gem_mmap(): resolve @vma->offset (a fake offset
 * below the file's user MMIO offset) to a BO @file may map, check the
 * request, and fill @vma's ranges; @vma then holds a BO reference until
 * tyrc_gem_vma_close().
 * Return: 0; -EINVAL (unknown offset, range beyond the BO, NO_MMAP BO,
 * private mapping); -EACCES (@file holds no handle to the BO); -ENOMEM.
 */
int tyrc_gem_mmap(struct tyrc_file *file, struct tyrc_vm_area *vma);
/** tyrc_gem_vma_close() - drop what tyrc_gem_mmap() put in @vma. */
void tyrc_gem_vma_close(struct tyrc_vm_area *vma);

/**
 * struct tyrc_gem_file_stats - a file's GEM memory as drm_show_memory_stats()
 * adds it up over the file's handles.
 * @private: bytes of BOs only this handle reaches.
 * @shared: bytes of BOs with more handles or a dma-buf (always 0 here: no
 * PRIME or flink yet, so a BO never gets a second handle).
 * @resident: bytes backed by pages (every BO: pages are allocated at creation).
 * @nr_objects: handles counted; drm-resident-memory is printed only if > 0.
 */
struct tyrc_gem_file_stats {
	u64 private;
	u64 shared;
	u64 resident;
	u32 nr_objects;
};

/**
 * tyrc_gem_file_stats() - fill @stats for @file's GEM handles (fdinfo).
 * Context: process; takes the handle table's lock per handle, so handles
 * created or closed meanwhile may or may not be counted.
 */
void tyrc_gem_file_stats(struct tyrc_file *file, struct tyrc_gem_file_stats *stats);

#endif /* TYRC_GEM_H */
