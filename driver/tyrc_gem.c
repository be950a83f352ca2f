// SPDX-License-Identifier: MIT
/*
 * GEM objects (drm_gem + drm_gem_shmem + panthor_gem): pages from board
 * RAM, handles, fake mmap offsets, labels and CPU mappings. See tyrc_gem.h.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tyrc_device.h"
#include "tyrc_gem.h"
#include "tyrc_vm.h"

#define TYRC_GEM_BLOCK_ORDER TYRC_MAX_PAGE_ORDER
#define TYRC_GEM_BLOCK_SIZE (TYRC_PAGE_SIZE << TYRC_GEM_BLOCK_ORDER)

/**
 * struct tyrc_gem_mgr - a device's GEM state.
 *
 * @lock guards @objects, @offsets and every BO's @link, @offset_link,
 * @mmap_offset and @label.
 */
struct tyrc_gem_mgr {
	struct tyrc_mutex lock;
	/** @objects: every live BO (lock). */
	struct tyrc_list_head objects;
	/** @offsets: BOs with an mmap offset, sorted by offset (lock). */
	struct tyrc_list_head offsets;
};

/** struct tyrc_gem_object - one BO. */
struct tyrc_gem_object {
	struct tyrc_kref refcount;
	struct tyrc_device *dev;
	/** @size: bytes, page multiple; read-only after creation. */
	u64 size;
	/** @flags: creation flags; read-only. */
	u32 flags;
	/** @nr_blocks: 2 MiB blocks, first in @pages; @nr_pages: 4 KiB pages after them. */
	u32 nr_blocks;
	u32 nr_pages;
	/** @pages: physical addresses, @nr_blocks blocks then @nr_pages pages; read-only. */
	u64 *pages;
	/** @creator: who created it (debugfs). */
	struct tyrc_client creator;
	/** @link: in mgr->objects (mgr->lock). */
	struct tyrc_list_head link;
	/** @offset_link: in mgr->offsets once @mmap_offset is set (mgr->lock). */
	struct tyrc_list_head offset_link;
	/** @mmap_offset: fake offset, 0 until first asked for (mgr->lock). */
	u64 mmap_offset;
	/** @label: malloc'd NUL-terminated label, or NULL (mgr->lock). */
	char *label;
	/**
	 * @exclusive_vm: the only VM this BO may be mapped in, or NULL; holds a
	 * reference (dropped with the BO). Set once at creation.
	 */
	struct tyrc_vm *exclusive_vm;
};

int tyrc_gem_init(struct tyrc_device *dev)
{
	struct tyrc_gem_mgr *mgr = calloc(1, sizeof(*mgr));

	if (!mgr)
		return -ENOMEM;
	tyrc_mutex_init(&mgr->lock);
	tyrc_list_init(&mgr->objects);
	tyrc_list_init(&mgr->offsets);
	dev->drm.gem = mgr;
	return 0;
}

void tyrc_gem_fini(struct tyrc_device *dev)
{
	struct tyrc_gem_mgr *mgr = dev->drm.gem;

	if (!mgr)
		return;
	TYRC_WARN_ON(!tyrc_list_empty(&mgr->objects));
	tyrc_mutex_destroy(&mgr->lock);
	free(mgr);
	dev->drm.gem = NULL;
}

static void tyrc_gem_free_pages(struct tyrc_gem_object *bo)
{
	struct tyrc_ram *ram = bo->dev->platform.ram;

	for (u32 i = 0; i < bo->nr_blocks; i++)
		tyrc_ram_free_pages(ram, bo->pages[i], TYRC_GEM_BLOCK_ORDER);
	for (u32 i = 0; i < bo->nr_pages; i++)
		tyrc_ram_free_pages(ram, bo->pages[bo->nr_blocks + i], 0);
	free(bo->pages);
}

/* Fill @bo->pages: 2 MiB blocks while they fit and RAM has them, then pages. */
static int tyrc_gem_alloc_pages(struct tyrc_gem_object *bo)
{
	struct tyrc_ram *ram = bo->dev->platform.ram;
	u64 want_blocks = bo->size / TYRC_GEM_BLOCK_SIZE;
	u64 rest, max_entries = bo->size / TYRC_PAGE_SIZE;
	int ret;

	if (max_entries > UINT32_MAX || max_entries > tyrc_ram_free_page_count(ram))
		return -ENOMEM;
	bo->pages = malloc(max_entries * sizeof(*bo->pages));
	if (!bo->pages)
		return -ENOMEM;
	while (bo->nr_blocks < want_blocks &&
	       !tyrc_ram_alloc_pages(ram, TYRC_GEM_BLOCK_ORDER, TYRC_GFP_ZERO,
				     &bo->pages[bo->nr_blocks]))
		bo->nr_blocks++;
	rest = (bo->size - (u64)bo->nr_blocks * TYRC_GEM_BLOCK_SIZE) / TYRC_PAGE_SIZE;
	while (bo->nr_pages < rest) {
		ret = tyrc_ram_alloc_pages(ram, 0, TYRC_GFP_ZERO,
					   &bo->pages[bo->nr_blocks + bo->nr_pages]);
		if (ret) {
			tyrc_gem_free_pages(bo);
			return ret;
		}
		bo->nr_pages++;
	}
	return 0;
}

int tyrc_gem_create(struct tyrc_device *dev, u64 size, u32 flags, struct tyrc_file *creator,
		    struct tyrc_gem_object **out)
{
	struct tyrc_gem_mgr *mgr = dev->drm.gem;
	struct tyrc_gem_object *bo;
	int ret;

	if (!size || size > UINT64_MAX - (TYRC_PAGE_SIZE - 1))
		return -EINVAL;
	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	tyrc_kref_init(&bo->refcount);
	bo->dev = dev;
	bo->size = (size + TYRC_PAGE_SIZE - 1) & ~(u64)(TYRC_PAGE_SIZE - 1);
	bo->flags = flags;
	if (creator)
		bo->creator = creator->client;
	tyrc_list_init(&bo->offset_link);
	ret = tyrc_gem_alloc_pages(bo);
	if (ret) {
		free(bo);
		return ret;
	}
	tyrc_mutex_lock(&mgr->lock);
	tyrc_list_add_tail(&bo->link, &mgr->objects);
	tyrc_mutex_unlock(&mgr->lock);
	*out = bo;
	return 0;
}

struct tyrc_gem_object *tyrc_gem_get(struct tyrc_gem_object *bo)
{
	if (bo)
		tyrc_kref_get(&bo->refcount);
	return bo;
}

static void tyrc_gem_release(struct tyrc_kref *kref)
{
	struct tyrc_gem_object *bo = container_of(kref, struct tyrc_gem_object, refcount);
	struct tyrc_gem_mgr *mgr = bo->dev->drm.gem;

	/* Unlinking releases the mmap offset: a lookup can no longer find it. */
	tyrc_mutex_lock(&mgr->lock);
	tyrc_list_del_init(&bo->link);
	tyrc_list_del_init(&bo->offset_link);
	tyrc_mutex_unlock(&mgr->lock);
	tyrc_gem_free_pages(bo);
	tyrc_vm_put(bo->exclusive_vm);
	free(bo->label);
	free(bo);
}

void tyrc_gem_set_exclusive_vm(struct tyrc_gem_object *bo, struct tyrc_vm *vm)
{
	TYRC_BUG_ON(bo->exclusive_vm);
	bo->exclusive_vm = tyrc_vm_get(vm);
}

const struct tyrc_vm *tyrc_gem_exclusive_vm(const struct tyrc_gem_object *bo)
{
	return bo->exclusive_vm;
}

void tyrc_gem_put(struct tyrc_gem_object *bo)
{
	if (bo)
		tyrc_kref_put(&bo->refcount, tyrc_gem_release);
}

u64 tyrc_gem_size(const struct tyrc_gem_object *bo)
{
	return bo->size;
}

u32 tyrc_gem_flags(const struct tyrc_gem_object *bo)
{
	return bo->flags;
}

int tyrc_gem_phys(const struct tyrc_gem_object *bo, u64 offset, u64 *phys, u64 *contig)
{
	u64 big = (u64)bo->nr_blocks * TYRC_GEM_BLOCK_SIZE;

	if (offset >= bo->size)
		return -EINVAL;
	if (offset < big) {
		u64 in = offset % TYRC_GEM_BLOCK_SIZE;

		*phys = bo->pages[offset / TYRC_GEM_BLOCK_SIZE] + in;
		*contig = TYRC_GEM_BLOCK_SIZE - in;
	} else {
		u64 in = (offset - big) % TYRC_PAGE_SIZE;

		*phys = bo->pages[bo->nr_blocks + (offset - big) / TYRC_PAGE_SIZE] + in;
		*contig = TYRC_PAGE_SIZE - in;
	}
	return 0;
}

int tyrc_gem_handle_create(struct tyrc_file *file, struct tyrc_gem_object *bo, u32 *handle)
{
	int ret;

	/* Handles start at 1 (idr_alloc(&file->object_idr, obj, 1, 0)). */
	ret = tyrc_xa_alloc(&file->gem_handles, handle, tyrc_gem_get(bo), 1, INT32_MAX);
	if (ret) {
		tyrc_gem_put(bo);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return 0;
}

struct tyrc_gem_object *tyrc_gem_lookup(struct tyrc_file *file, u32 handle)
{
	struct tyrc_gem_object *bo;

	tyrc_xa_lock(&file->gem_handles);
	bo = tyrc_gem_get(tyrc_xa_load_locked(&file->gem_handles, handle));
	tyrc_xa_unlock(&file->gem_handles);
	return bo;
}

int tyrc_gem_handle_delete(struct tyrc_file *file, u32 handle)
{
	struct tyrc_gem_object *bo = tyrc_xa_erase(&file->gem_handles, handle);

	/* drm_gem_handle_delete(): an unknown handle is -EINVAL. */
	if (!bo)
		return -EINVAL;
	tyrc_gem_put(bo);
	return 0;
}

void tyrc_gem_file_release(struct tyrc_file *file)
{
	struct tyrc_gem_object *bo;
	u32 handle;

	tyrc_xa_for_each(&file->gem_handles, handle, bo)
		tyrc_gem_put(tyrc_xa_erase(&file->gem_handles, handle));
}

int tyrc_gem_mmap_offset(struct tyrc_gem_object *bo, u64 *offset)
{
	struct tyrc_gem_mgr *mgr = bo->dev->drm.gem;
	struct tyrc_list_head *pos = &mgr->offsets;
	struct tyrc_gem_object *other;
	u64 start = TYRC_GEM_MMAP_OFFSET_START;
	int ret = 0;

	tyrc_mutex_lock(&mgr->lock);
	if (bo->mmap_offset)
		goto out;
	/* First fit in the sorted list (drm_mm's bottom-up search). */
	tyrc_list_for_each_entry(other, &mgr->offsets, offset_link) {
		if (other->mmap_offset - start >= bo->size)
			break;
		start = other->mmap_offset + other->size;
		pos = &other->offset_link;
	}
	if (start + bo->size > TYRC_GEM_MMAP_OFFSET_START + TYRC_GEM_MMAP_OFFSET_SIZE) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	bo->mmap_offset = start;
	tyrc_list_add(&bo->offset_link, pos);
out:
	*offset = bo->mmap_offset;
out_unlock:
	tyrc_mutex_unlock(&mgr->lock);
	return ret;
}

void tyrc_gem_set_label(struct tyrc_gem_object *bo, char *label)
{
	struct tyrc_gem_mgr *mgr = bo->dev->drm.gem;
	char *old;

	tyrc_mutex_lock(&mgr->lock);
	old = bo->label;
	bo->label = label;
	tyrc_mutex_unlock(&mgr->lock);
	free(old);
}

/* drm_vma_offset_lookup_locked(): the BO whose offset range holds [@offset, @offset + @len). */
static struct tyrc_gem_object *tyrc_gem_lookup_offset(struct tyrc_gem_mgr *mgr, u64 offset, u64 len)
{
	struct tyrc_gem_object *bo, *found = NULL;

	tyrc_mutex_lock(&mgr->lock);
	tyrc_list_for_each_entry(bo, &mgr->offsets, offset_link) {
		if (offset < bo->mmap_offset)
			break;
		if (offset - bo->mmap_offset < bo->size) {
			if (len <= bo->size - (offset - bo->mmap_offset) &&
			    tyrc_kref_get_unless_zero(&bo->refcount))
				found = bo;
			break;
		}
	}
	tyrc_mutex_unlock(&mgr->lock);
	return found;
}

/* drm_vma_node_is_allowed(): does @file hold a handle to @bo? */
static bool tyrc_gem_file_allowed(struct tyrc_file *file, struct tyrc_gem_object *bo)
{
	struct tyrc_gem_object *entry;
	u32 handle;

	/* Only compared, never dereferenced: no reference needed. */
	tyrc_xa_for_each(&file->gem_handles, handle, entry)
		if (entry == bo)
			return true;
	return false;
}

/* The physical ranges of [@offset, @offset + @len) of @bo, contiguous pages merged. */
static int tyrc_gem_ranges(struct tyrc_gem_object *bo, u64 offset, u64 len,
			   struct tyrc_vm_area *vma)
{
	u64 max = (bo->nr_blocks + bo->nr_pages) + 1, done = 0;
	struct tyrc_vm_area_range *r = calloc(max, sizeof(*r));
	u32 n = 0;

	if (!r)
		return -ENOMEM;
	while (done < len) {
		u64 phys, contig;

		tyrc_gem_phys(bo, offset + done, &phys, &contig);
		contig = tyrc_min(contig, len - done);
		if (n && r[n - 1].phys + r[n - 1].len == phys) {
			r[n - 1].len += contig;
		} else {
			r[n].phys = phys;
			r[n].len = contig;
			n++;
		}
		done += contig;
	}
	vma->ranges = r;
	vma->nr_ranges = n;
	return 0;
}

int tyrc_gem_mmap(struct tyrc_file *file, struct tyrc_vm_area *vma)
{
	struct tyrc_gem_object *bo;
	int ret;

	bo = tyrc_gem_lookup_offset(file->dev->drm.gem, vma->offset, vma->len);
	if (!bo)
		return -EINVAL;
	if (!tyrc_gem_file_allowed(file, bo)) {
		ret = -EACCES;
		goto err_put;
	}
	/* panthor_gem_mmap(); drm_gem_shmem_mmap() refuses copy-on-write mappings. */
	if ((bo->flags & DRM_PANTHOR_BO_NO_MMAP) || !(vma->flags & MAP_SHARED)) {
		ret = -EINVAL;
		goto err_put;
	}
	ret = tyrc_gem_ranges(bo, vma->offset - bo->mmap_offset, vma->len, vma);
	if (ret)
		goto err_put;
	vma->prot_mask = PROT_READ | PROT_WRITE | PROT_EXEC;
	vma->private = bo;
	return 0;

err_put:
	tyrc_gem_put(bo);
	return ret;
}

void tyrc_gem_vma_close(struct tyrc_vm_area *vma)
{
	tyrc_gem_put(vma->private);
	vma->private = NULL;
}

unsigned int tyrc_drm_gem_stats(struct tyrc_device *dev, struct tyrc_drm_gem_stat *out,
				unsigned int max)
{
	struct tyrc_gem_mgr *mgr = dev->drm.gem;
	struct tyrc_gem_object *bo;
	unsigned int n = 0;

	tyrc_mutex_lock(&mgr->lock);
	tyrc_list_for_each_entry(bo, &mgr->objects, link) {
		if (n < max) {
			struct tyrc_drm_gem_stat *st = &out[n];

			memset(st, 0, sizeof(*st));
			st->size = bo->size;
			st->mmap_offset = bo->mmap_offset;
			st->flags = bo->flags;
			st->refcount = tyrc_kref_read(&bo->refcount);
			st->creator = bo->creator;
			st->has_label = bo->label != NULL;
			if (bo->label)
				snprintf(st->label, sizeof(st->label), "%s", bo->label);
		}
		n++;
	}
	tyrc_mutex_unlock(&mgr->lock);
	return n;
}

void tyrc_gem_file_stats(struct tyrc_file *file, struct tyrc_gem_file_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	for (u32 handle = 0; tyrc_xa_find(&file->gem_handles, &handle); handle++) {
		/* Our own reference: a GEM_CLOSE may race with the fdinfo read. */
		struct tyrc_gem_object *bo = tyrc_gem_lookup(file, handle);

		if (!bo)
			continue;
		/*
		 * drm_gem_object_is_shared_for_memory_stats() counts a BO as
		 * shared once a second handle or a dma-buf exists; neither can
		 * exist yet, so every BO is private to its one handle.
		 */
		stats->private += bo->size;
		stats->resident += bo->size;
		stats->nr_objects++;
		tyrc_gem_put(bo);
	}
}
