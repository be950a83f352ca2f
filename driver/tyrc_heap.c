// SPDX-License-Identifier: MIT
/*
 * Tiler heaps: the per-VM heap pool, heap creation and destruction, growth
 * on the firmware's TILER_OOM, and the TILER_HEAP_CREATE / _DESTROY ioctls
 * with panthor's checks in panthor's order (panthor-uapi.md §8). See
 * tyrc_heap.h.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_heap.h"
#include "tyrc_kva.h"
#include "tyrc_pgtable.h"
#include "tyrc_vm.h"

/* Kernel BOs of a heap: cached, never executed (panthor's NOEXEC kernel BOs). */
#define TYRC_HEAP_PROT (TYRC_PROT_READ | TYRC_PROT_WRITE | TYRC_PROT_CACHE | TYRC_PROT_NOEXEC)
/* The low 12 bits of a chunk link carry the chunk size in 4 KiB pages. */
#define TYRC_HEAP_LINK_VA_MASK GENMASK_ULL(63, 12)
#define TYRC_HEAP_LINK_SIZE_SHIFT 12
/* The handle's low 16 bits are the heap id, the rest the VM id. */
#define TYRC_HEAP_HANDLE_VM_SHIFT 16
#define TYRC_HEAP_HANDLE_ID_MASK GENMASK(15, 0)
/*
 * No Mali has L2 lines above 4 KiB; a larger log2 could only come from a
 * broken identity read and would blow up the context BO.
 */
#define TYRC_HEAP_MAX_LINE_LOG2 12u

/**
 * struct tyrc_heap_chunk_header - what the tiler reads at the start of a chunk.
 * @next: link to the next chunk, (VA & ~0xfff) | (size >> 12), 0 at the end.
 * @reserved: must be zero.
 */
struct tyrc_heap_chunk_header {
	u64 next;
	u32 reserved[14];
};
static_assert(sizeof(struct tyrc_heap_chunk_header) == 64, "64-byte chunk header");

/** struct tyrc_heap_chunk - one chunk of a heap. */
struct tyrc_heap_chunk {
	/** @node: entry in tyrc_heap::chunks, newest first. */
	struct tyrc_list_head node;
	/** @bo: the chunk's memory in the VM's kernel range (owned). */
	struct tyrc_kbo *bo;
};

/**
 * struct tyrc_heap - one tiler heap. Once published in its pool, every
 * field but the constants is guarded by the pool's lock.
 */
struct tyrc_heap {
	/** @chunks: the chunks, head (newest) first. */
	struct tyrc_list_head chunks;
	/** @chunk_size: bytes per chunk (constant). */
	u32 chunk_size;
	/** @max_chunks: growth stops at this many chunks (constant). */
	u32 max_chunks;
	/** @target_in_flight: growth stops above this many render passes in flight (constant). */
	u32 target_in_flight;
	/** @chunk_count: entries of @chunks. */
	u32 chunk_count;
};

/** struct tyrc_heap_pool - the heaps of one VM (see tyrc_heap.h). */
struct tyrc_heap_pool {
	/** @refcount: the VM's reference and those of callers in progress. */
	struct tyrc_kref refcount;
	/** @dev: the device (not referenced; outlives every VM). */
	struct tyrc_device *dev;
	/**
	 * @lock: guards @vm, @heaps (insertion, removal, each heap's chunk
	 * list and count) and @ctxs.
	 */
	struct tyrc_mutex lock;
	/** @vm: the VM (not referenced); NULL once the pool is destroyed (@lock). */
	struct tyrc_vm *vm;
	/** @heaps: id (0..TYRC_MAX_HEAPS_PER_POOL - 1) → struct tyrc_heap (owned; @lock). */
	struct tyrc_xa heaps;
	/** @ctxs: every heap context, @ctx_stride apart, host-mapped (owned; NULL once destroyed). */
	struct tyrc_kbo *ctxs;
	/** @ctx_stride: bytes between contexts: TYRC_HEAP_CTX_SIZE rounded up to an L2 line. */
	u32 ctx_stride;
};

/* TYRC_HEAP_CTX_SIZE rounded up to the GPU's L2 line (panthor_heap_ctx_stride()). */
static u32 tyrc_heap_ctx_stride(struct tyrc_device *dev)
{
	u32 log2 = FIELD_GET(GPU_L2_FEATURES_LINE_SIZE, dev->gpu_info.l2_features);

	return ALIGN_UP(TYRC_HEAP_CTX_SIZE, 1u << tyrc_min(log2, TYRC_HEAP_MAX_LINE_LOG2));
}

/* The encoding of a chunk in a header's @next and in the firmware's answer. */
static u64 tyrc_heap_chunk_link(const struct tyrc_heap *heap, const struct tyrc_heap_chunk *chunk)
{
	return (tyrc_kbo_va(chunk->bo) & TYRC_HEAP_LINK_VA_MASK) |
	       (heap->chunk_size >> TYRC_HEAP_LINK_SIZE_SHIFT);
}

/*
 * Allocate a chunk of @heap in @vm and put it at the head of the chunk
 * list. @chain points its header at the previous head (creation); grown
 * chunks are left unchained for the firmware to link. The caller owns
 * @heap: it holds the pool lock, or the heap is not published yet.
 */
static int tyrc_heap_chunk_alloc(struct tyrc_device *dev, struct tyrc_vm *vm,
				 struct tyrc_heap *heap, bool chain)
{
	struct tyrc_heap_chunk_header *hdr;
	struct tyrc_heap_chunk *chunk;
	int ret;

	chunk = calloc(1, sizeof(*chunk));
	if (!chunk)
		return -ENOMEM;
	ret = tyrc_kbo_create(dev, tyrc_vm_mmu(vm), tyrc_vm_kva(vm), heap->chunk_size,
			      TYRC_HEAP_PROT, 0, &chunk->bo);
	if (ret) {
		free(chunk);
		return ret;
	}
	/* The header is in the first page: write it through the linear map. */
	hdr = tyrc_ram_phys_to_virt(dev->platform.ram, tyrc_kbo_page(chunk->bo, 0));
	memset(hdr, 0, sizeof(*hdr));
	if (chain && !tyrc_list_empty(&heap->chunks))
		hdr->next = tyrc_heap_chunk_link(
			heap, tyrc_list_first_entry(&heap->chunks, struct tyrc_heap_chunk, node));
	tyrc_list_add(&chunk->node, &heap->chunks);
	heap->chunk_count++;
	return 0;
}

static void tyrc_heap_chunk_free(struct tyrc_heap *heap, struct tyrc_heap_chunk *chunk)
{
	tyrc_list_del_init(&chunk->node);
	heap->chunk_count--;
	tyrc_kbo_destroy(chunk->bo);
	free(chunk);
}

/* Free @heap and its chunks; it is unpublished (or its pool lock is held). */
static void tyrc_heap_free(struct tyrc_heap *heap)
{
	struct tyrc_heap_chunk *chunk, *tmp;

	tyrc_list_for_each_entry_safe(chunk, tmp, &heap->chunks, node)
		tyrc_heap_chunk_free(heap, chunk);
	free(heap);
}

int tyrc_heap_pool_create(struct tyrc_device *dev, struct tyrc_vm *vm, struct tyrc_heap_pool **out)
{
	struct tyrc_heap_pool *pool;
	int ret;

	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->dev = dev;
	pool->vm = vm;
	pool->ctx_stride = tyrc_heap_ctx_stride(dev);
	ret = tyrc_kbo_create(dev, tyrc_vm_mmu(vm), tyrc_vm_kva(vm),
			      (u64)TYRC_MAX_HEAPS_PER_POOL * pool->ctx_stride, TYRC_HEAP_PROT,
			      TYRC_KBO_VMAP, &pool->ctxs);
	if (ret) {
		free(pool);
		return ret;
	}
	tyrc_kref_init(&pool->refcount);
	tyrc_mutex_init(&pool->lock);
	tyrc_xa_init(&pool->heaps);
	*out = pool;
	return 0;
}

static void tyrc_heap_pool_release(struct tyrc_kref *kref)
{
	struct tyrc_heap_pool *pool = container_of(kref, struct tyrc_heap_pool, refcount);

	/* Destroyed before the VM's reference went: no heap, no context BO. */
	tyrc_xa_destroy(&pool->heaps);
	tyrc_mutex_destroy(&pool->lock);
	free(pool);
}

struct tyrc_heap_pool *tyrc_heap_pool_get(struct tyrc_heap_pool *pool)
{
	if (pool)
		tyrc_kref_get(&pool->refcount);
	return pool;
}

void tyrc_heap_pool_put(struct tyrc_heap_pool *pool)
{
	if (pool)
		tyrc_kref_put(&pool->refcount, tyrc_heap_pool_release);
}

void tyrc_heap_pool_destroy(struct tyrc_heap_pool *pool)
{
	struct tyrc_heap *heap;
	u32 id;

	if (!pool)
		return;
	tyrc_mutex_lock(&pool->lock);
	tyrc_xa_for_each(&pool->heaps, id, heap) {
		tyrc_xa_erase(&pool->heaps, id);
		tyrc_heap_free(heap);
	}
	tyrc_kbo_destroy(pool->ctxs);
	pool->ctxs = NULL;
	pool->vm = NULL;
	tyrc_mutex_unlock(&pool->lock);
	tyrc_heap_pool_put(pool);
}

int tyrc_heap_create(struct tyrc_heap_pool *pool, u32 initial_chunk_count, u32 chunk_size,
		     u32 max_chunks, u32 target_in_flight, u32 *id, u64 *ctx_va,
		     u64 *first_chunk_va)
{
	struct tyrc_heap *heap;
	struct tyrc_vm *vm;
	u32 heap_id;
	int ret;

	if (!initial_chunk_count || initial_chunk_count > max_chunks)
		return -EINVAL;
	if (!IS_ALIGNED(chunk_size, SZ_4K) || chunk_size < TYRC_HEAP_MIN_CHUNK_SIZE ||
	    chunk_size > TYRC_HEAP_MAX_CHUNK_SIZE)
		return -EINVAL;

	/* Our own VM reference: the pool may be destroyed while we allocate. */
	tyrc_mutex_lock(&pool->lock);
	vm = tyrc_vm_get(pool->vm);
	tyrc_mutex_unlock(&pool->lock);
	if (!vm)
		return -EINVAL;

	heap = calloc(1, sizeof(*heap));
	if (!heap) {
		ret = -ENOMEM;
		goto err_put_vm;
	}
	tyrc_list_init(&heap->chunks);
	heap->chunk_size = chunk_size;
	heap->max_chunks = max_chunks;
	heap->target_in_flight = target_in_flight;
	for (u32 i = 0; i < initial_chunk_count; i++) {
		ret = tyrc_heap_chunk_alloc(pool->dev, vm, heap, true);
		if (ret)
			goto err_free_heap;
	}

	tyrc_mutex_lock(&pool->lock);
	if (!pool->vm)
		ret = -EINVAL;
	else
		ret = tyrc_xa_alloc(&pool->heaps, &heap_id, heap, 0, TYRC_MAX_HEAPS_PER_POOL - 1);
	if (!ret) {
		u64 offset = (u64)heap_id * pool->ctx_stride;

		memset((u8 *)tyrc_kbo_vaddr(pool->ctxs) + offset, 0, pool->ctx_stride);
		*id = heap_id;
		*ctx_va = tyrc_kbo_va(pool->ctxs) + offset;
		*first_chunk_va = tyrc_kbo_va(
			tyrc_list_first_entry(&heap->chunks, struct tyrc_heap_chunk, node)->bo);
	}
	tyrc_mutex_unlock(&pool->lock);
	if (ret)
		goto err_free_heap;
	tyrc_vm_put(vm);
	return 0;

err_free_heap:
	tyrc_heap_free(heap);
err_put_vm:
	tyrc_vm_put(vm);
	return ret;
}

int tyrc_heap_destroy(struct tyrc_heap_pool *pool, u32 id)
{
	struct tyrc_heap *heap;

	tyrc_mutex_lock(&pool->lock);
	heap = tyrc_xa_erase(&pool->heaps, id);
	if (heap)
		tyrc_heap_free(heap);
	tyrc_mutex_unlock(&pool->lock);
	return heap ? 0 : -EINVAL;
}

/* The heap whose context is exactly at @ctx_va, or NULL. */
static struct tyrc_heap *tyrc_heap_find_locked(struct tyrc_heap_pool *pool, u64 ctx_va)
{
	u64 offset;

	tyrc_lockdep_assert_held(&pool->lock);
	if (!pool->vm || ctx_va < tyrc_kbo_va(pool->ctxs))
		return NULL;
	offset = ctx_va - tyrc_kbo_va(pool->ctxs);
	if (offset % pool->ctx_stride || offset / pool->ctx_stride >= TYRC_MAX_HEAPS_PER_POOL)
		return NULL;
	return tyrc_xa_load(&pool->heaps, (u32)(offset / pool->ctx_stride));
}

int tyrc_heap_grow(struct tyrc_vm *vm, u64 heap_ctx_va, u32 renderpasses_in_flight,
		   u32 pending_frag_count, u64 *new_chunk_link)
{
	struct tyrc_heap_pool *pool;
	struct tyrc_heap *heap;
	int ret;

	/* Only the render passes in flight decide, as in panthor's policy. */
	(void)pending_frag_count;
	if (tyrc_vm_get_heap_pool(vm, false, &pool))
		return -EINVAL;
	tyrc_mutex_lock(&pool->lock);
	heap = tyrc_heap_find_locked(pool, heap_ctx_va);
	if (!heap) {
		ret = -EINVAL;
		goto out_unlock;
	}
	/*
	 * Enough render passes in flight, or the heap at its limit: the
	 * firmware finds memory another way (waits for fragment jobs to
	 * release chunks, or calls the userspace exception handler).
	 */
	if (renderpasses_in_flight > heap->target_in_flight ||
	    heap->chunk_count >= heap->max_chunks) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = tyrc_heap_chunk_alloc(pool->dev, pool->vm, heap, false);
	if (!ret)
		*new_chunk_link = tyrc_heap_chunk_link(
			heap, tyrc_list_first_entry(&heap->chunks, struct tyrc_heap_chunk, node));

out_unlock:
	tyrc_mutex_unlock(&pool->lock);
	tyrc_heap_pool_put(pool);
	return ret;
}

int tyrc_heap_return_chunk(struct tyrc_vm *vm, u64 heap_ctx_va, u64 chunk_va)
{
	struct tyrc_heap_chunk *chunk, *tmp;
	struct tyrc_heap_pool *pool;
	struct tyrc_heap *heap;
	int ret = -EINVAL;

	if (tyrc_vm_get_heap_pool(vm, false, &pool))
		return -EINVAL;
	chunk_va &= TYRC_HEAP_LINK_VA_MASK;
	tyrc_mutex_lock(&pool->lock);
	heap = tyrc_heap_find_locked(pool, heap_ctx_va);
	if (heap) {
		tyrc_list_for_each_entry_safe(chunk, tmp, &heap->chunks, node) {
			if (tyrc_kbo_va(chunk->bo) == chunk_va) {
				tyrc_heap_chunk_free(heap, chunk);
				ret = 0;
				break;
			}
		}
	}
	tyrc_mutex_unlock(&pool->lock);
	tyrc_heap_pool_put(pool);
	return ret;
}

u64 tyrc_heap_pool_size(struct tyrc_heap_pool *pool)
{
	struct tyrc_heap *heap;
	u64 size = 0;
	u32 id;

	tyrc_mutex_lock(&pool->lock);
	if (pool->vm) {
		tyrc_xa_for_each(&pool->heaps, id, heap)
			size += (u64)heap->chunk_size * heap->chunk_count;
		size += tyrc_kbo_size(pool->ctxs);
	}
	tyrc_mutex_unlock(&pool->lock);
	return size;
}

/*
 * panthor_ioctl_tiler_heap_create(): the VM, then its pool (created on
 * first use, even if the arguments turn out wrong, as panthor does), then
 * the heap's own checks.
 */
int tyrc_ioctl_tiler_heap_create(struct tyrc_file *file, void *data)
{
	struct drm_panthor_tiler_heap_create *args = data;
	struct tyrc_heap_pool *pool;
	struct tyrc_vm *vm;
	u64 ctx_va, chunk_va;
	u32 id;
	int ret;

	vm = tyrc_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;
	ret = tyrc_vm_get_heap_pool(vm, true, &pool);
	if (ret)
		goto out_put_vm;
	ret = tyrc_heap_create(pool, args->initial_chunk_count, args->chunk_size, args->max_chunks,
			       args->target_in_flight, &id, &ctx_va, &chunk_va);
	if (!ret) {
		args->handle = args->vm_id << TYRC_HEAP_HANDLE_VM_SHIFT | id;
		args->tiler_heap_ctx_gpu_va = ctx_va;
		args->first_heap_chunk_gpu_va = chunk_va;
	}
	tyrc_heap_pool_put(pool);
out_put_vm:
	tyrc_vm_put(vm);
	return ret;
}

int tyrc_ioctl_tiler_heap_destroy(struct tyrc_file *file, void *data)
{
	struct drm_panthor_tiler_heap_destroy *args = data;
	struct tyrc_heap_pool *pool;
	struct tyrc_vm *vm;
	int ret;

	if (args->pad)
		return -EINVAL;
	vm = tyrc_vm_lookup(file, args->handle >> TYRC_HEAP_HANDLE_VM_SHIFT);
	if (!vm)
		return -EINVAL;
	ret = tyrc_vm_get_heap_pool(vm, false, &pool);
	if (!ret) {
		ret = tyrc_heap_destroy(pool, args->handle & TYRC_HEAP_HANDLE_ID_MASK);
		tyrc_heap_pool_put(pool);
	}
	tyrc_vm_put(vm);
	return ret;
}
