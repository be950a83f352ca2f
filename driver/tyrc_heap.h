/* SPDX-License-Identifier: MIT */
/*
 * DOC: heap layer (tiler heaps)
 *
 * A tiler heap (panthor_heap) is the memory the tiler writes its
 * polygon lists into: a chain of chunks the GPU walks, and a 32-byte heap
 * context the firmware and the tiler use to track it. Userspace creates
 * heaps with TILER_HEAP_CREATE and hands the context VA and the first
 * chunk to its command streams; when the tiler runs out, the firmware
 * raises TILER_OOM and the scheduler asks this layer for one more chunk
 * (tyrc_heap_grow()).
 *
 * Heaps live in a per-VM pool (panthor_heap_pool), created on the first
 * TILER_HEAP_CREATE for the VM (tyrc_vm_get_heap_pool()) and destroyed with
 * the VM (VM_DESTROY, or the last reference for VMs never destroyed through
 * the uAPI). A pool holds up to TYRC_MAX_HEAPS_PER_POOL heaps, ids
 * 0..127; the uAPI handle is vm_id << 16 | id. All the heap contexts of a
 * pool sit in one kernel BO, one per GPU L2 cache line, so the CPU zeroing
 * one never shares a line with a context the GPU is updating.
 *
 * Chunks are kernel BOs (tyrc_kva.h) in the VM's kernel range: cached, not
 * executable, never mappable by userspace. Each starts with a 64-byte
 * header {u64 next; u32 reserved[14]}, zeroed. Chunks made at creation are
 * chained through @next, each new one pointing at the previous one with
 * the encoding the tiler expects, (VA & ~0xfff) | (chunk_size >> 12); the
 * last one made is the head userspace receives. Chunks made by
 * tyrc_heap_grow() are not chained by the driver: the firmware links the
 * chunk whose encoded VA it is given into the heap context itself.
 *
 * Lifetime: the pool is counted (tyrc_heap_pool_get/put); the VM holds one
 * reference until it destroys the pool. The pool does not reference the
 * VM (panthor's weak pointer): the VM outlives it by construction, and a
 * destroyed pool forgets the VM, frees every heap and answers -EINVAL
 * from then on, so late users holding a pool reference are harmless.
 *
 * Locking: @lock of a pool guards its heaps (the id map, every heap's
 * chunk list and count) and its destroyed state. It is held while a chunk
 * is allocated and mapped (grow, return, destroy), so it is taken before
 * the kva range lock and the mmu-layer locks. It is never held when the
 * VM's op_lock is taken: lock order is vm op_lock (pool creation only) →
 * pool lock → kva range lock → mmu-layer locks.
 */
#ifndef TYRC_HEAP_H
#define TYRC_HEAP_H

#include <tyrc/types.h>

struct tyrc_device;
struct tyrc_file;
struct tyrc_heap_pool;
struct tyrc_vm;

/* Heaps per VM (MAX_HEAPS_PER_POOL): ids 0..127. */
#define TYRC_MAX_HEAPS_PER_POOL 128u
/* Bytes of a heap context the driver initialises (zeroes). */
#define TYRC_HEAP_CTX_SIZE 32u
/* Chunk size limits of TILER_HEAP_CREATE. */
#define TYRC_HEAP_MIN_CHUNK_SIZE 0x20000u
#define TYRC_HEAP_MAX_CHUNK_SIZE 0x800000u

/**
 * tyrc_heap_pool_create() - an empty pool for @vm and its context BO.
 * @dev: the device.
 * @vm: the VM the pool's objects go into; not referenced: the VM must
 *      destroy the pool (tyrc_heap_pool_destroy()) before it goes.
 * @out: receives the pool (one reference, the VM's).
 *
 * Meant for tyrc_vm_get_heap_pool(), which serialises creation with the
 * VM's destruction. Context: process; takes the kva and mmu-layer locks.
 * Return: 0, -ENOMEM or an error of tyrc_kbo_create().
 */
int tyrc_heap_pool_create(struct tyrc_device *dev, struct tyrc_vm *vm, struct tyrc_heap_pool **out);

/** tyrc_heap_pool_get() - take a reference (NULL-tolerant). Return: @pool. */
struct tyrc_heap_pool *tyrc_heap_pool_get(struct tyrc_heap_pool *pool);

/** tyrc_heap_pool_put() - drop a reference (NULL-tolerant); the last one frees the pool. */
void tyrc_heap_pool_put(struct tyrc_heap_pool *pool);

/**
 * tyrc_heap_pool_destroy() - free every heap and the context BO, forget the
 * VM, and drop the VM's reference. NULL is ignored.
 *
 * Called by the VM when it is destroyed or released; the GPU may still
 * reference the heaps, and then faults, as with panthor. Holders of other
 * references see a pool without heaps: create, destroy, grow and return
 * fail with -EINVAL. Context: process; takes the pool lock (waits for a
 * grow in progress).
 */
void tyrc_heap_pool_destroy(struct tyrc_heap_pool *pool);

/**
 * tyrc_heap_create() - a heap with @initial_chunk_count chunks (panthor_heap_create()).
 * @pool: the VM's pool.
 * @initial_chunk_count: chunks made now; 1..@max_chunks.
 * @chunk_size: bytes per chunk, 4 KiB aligned, in [128 KiB, 8 MiB].
 * @max_chunks: tyrc_heap_grow() refuses beyond this many chunks.
 * @target_in_flight: tyrc_heap_grow() refuses while more render passes are
 *                    in flight than this (the firmware waits for fragment
 *                    jobs to free memory instead).
 * @id: receives the heap id (0..127).
 * @ctx_va: receives the GPU VA of the heap context (zeroed).
 * @first_chunk_va: receives the plain GPU VA of the head chunk.
 *
 * Context: process; allocates the chunks without the pool lock, then takes
 * it to publish the heap. Return: 0; -EINVAL (arguments, destroyed pool);
 * -EBUSY (128 heaps already, xa_alloc()'s answer); -ENOMEM.
 */
int tyrc_heap_create(struct tyrc_heap_pool *pool, u32 initial_chunk_count, u32 chunk_size,
		     u32 max_chunks, u32 target_in_flight, u32 *id, u64 *ctx_va,
		     u64 *first_chunk_va);

/**
 * tyrc_heap_destroy() - free heap @id and its chunks.
 * Context: process; takes the pool lock. Return: 0, or -EINVAL for an
 * unknown id (or a destroyed pool).
 */
int tyrc_heap_destroy(struct tyrc_heap_pool *pool, u32 id);

/**
 * tyrc_heap_grow() - one more chunk for the heap whose context is at
 * @heap_ctx_va in @vm (panthor_heap_grow(), for the firmware's TILER_OOM).
 * @vm: the VM of the group that raised the event; the caller holds a
 *      reference.
 * @heap_ctx_va: the event's heap context address.
 * @renderpasses_in_flight: render passes started but not finished by the
 *                          fragment jobs (the event's vt_start - frag_end).
 * @pending_frag_count: fragment jobs waiting; accepted for panthor's
 *                      signature, not used by its policy either.
 * @new_chunk_link: receives the new chunk encoded for the firmware,
 *                  (VA & ~0xfff) | (chunk_size >> 12).
 *
 * The chunk is zeroed, unchained (the firmware links it) and becomes the
 * head of the heap's chunk list.
 *
 * Context: process, e.g. the scheduler's work item, without the scheduler
 * lock held. It sleeps: it takes the VM's op_lock briefly, then the pool
 * lock across the allocation (board RAM, VA, page tables with their TLB
 * flush, all of which wait only on the MMU hardware, never on a fence or
 * on the scheduler), as panthor allocates from its tiler-OOM work. A grow
 * in progress delays VM destruction and the heap calls of the same VM,
 * nothing else.
 *
 * Return: 0; -ENOMEM when growth is refused (more render passes in flight
 * than the heap's target, max_chunks reached) or memory ran out — the
 * caller then hands 0 to the firmware, which falls back to waiting for
 * fragment jobs or to the userspace exception handler; -EINVAL when @vm
 * has no heap at @heap_ctx_va (no pool, destroyed pool, unknown or
 * misaligned address).
 */
int tyrc_heap_grow(struct tyrc_vm *vm, u64 heap_ctx_va, u32 renderpasses_in_flight,
		   u32 pending_frag_count, u64 *new_chunk_link);

/**
 * tyrc_heap_return_chunk() - give back a chunk tyrc_heap_grow() made but the
 * firmware never received (panthor_heap_return_chunk(): the group was
 * scheduled out before the answer could be written).
 * @vm: as for tyrc_heap_grow().
 * @heap_ctx_va: the heap context the chunk was made for.
 * @chunk_va: the chunk's VA or its encoded link (the low 12 bits are ignored).
 *
 * Context: as tyrc_heap_grow(). Return: 0, or -EINVAL if @vm has no heap at
 * @heap_ctx_va or that heap has no chunk at @chunk_va.
 */
int tyrc_heap_return_chunk(struct tyrc_vm *vm, u64 heap_ctx_va, u64 chunk_va);

/**
 * tyrc_heap_pool_size() - bytes of every chunk of every heap plus the
 * context BO (panthor_heap_pool_size(), for fdinfo's internal memory).
 * Context: process; takes the pool lock. Return: 0 for a destroyed pool.
 */
u64 tyrc_heap_pool_size(struct tyrc_heap_pool *pool);

/* ioctl handlers, for the driver ioctl table. */
int tyrc_ioctl_tiler_heap_create(struct tyrc_file *file, void *data);
int tyrc_ioctl_tiler_heap_destroy(struct tyrc_file *file, void *data);

#endif /* TYRC_HEAP_H */
