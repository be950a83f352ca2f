/* SPDX-License-Identifier: MIT */
/*
 * DOC: groups
 *
 * A struct tyrc_group is one scheduling group as GROUP_CREATE makes it
 * (panthor_group): up to TYRC_GROUP_MAX_QUEUES queues sharing one VM,
 * core masks and a priority. Everything panthor allocates per group is
 * allocated at creation, as kernel BOs (tyrc_kva.h):
 *
 * - in the group's VM kernel range: one ring buffer per queue
 *   (ringbuf_size bytes), the sync-object array (16 bytes per queue,
 *   {u64 seqno; u32 status; u32 pad}) and per queue the profiling slots
 *   (struct tyrc_ring_profile_slot, ringbuf_size / 128 of them), all
 *   uncached, no-exec, host-mapped;
 * - in the MCU VM's auto window: one 8 KiB interface-page object per queue
 *   (input page then output page; uncached, no-exec, host-mapped), the CSG
 *   suspend buffer and the protected-mode suspend buffer (the firmware's
 *   sizes; a size of 0 allocates nothing).
 *
 * Each group has its scheduling state (tyrc_sched.h), created with it;
 * GROUP_SUBMIT (tyrc_sched.c) queues jobs on it, GROUP_GET_STATE reports
 * what the scheduler recorded, and GROUP_DESTROY (or the file's release)
 * kills it synchronously before dropping the pool's reference.
 *
 * Per-file pool: handles 1..TYRC_MAX_GROUPS_PER_FILE (panthor_group_pool);
 * the pool holds one reference per group, lookups return a new one. A group
 * holds a reference on its VM: VM_DESTROY leaves a group's kernel BOs
 * mapped, the VM goes when its last group does.
 *
 * Locking: the pool's xarray lock makes lookup + get atomic against
 * GROUP_DESTROY. A group's objects and parameters are immutable between
 * create and release; its state belongs to the scheduler.
 */
#ifndef TYRC_GROUP_H
#define TYRC_GROUP_H

#include <tyrc/types.h>

struct tyrc_file;
struct tyrc_group;
struct tyrc_kbo;
struct tyrc_sched_group;
struct tyrc_vm;

/* Group handles per file (MAX_GROUPS_PER_POOL). */
#define TYRC_MAX_GROUPS_PER_FILE 128u
/* Queues per group the uAPI accepts (MAX_CS_PER_CSG). */
#define TYRC_GROUP_MAX_QUEUES 32u
/* Bytes of a queue's interface-page object in the MCU VM: input + output page. */
#define TYRC_GROUP_QUEUE_IFACE_SIZE 0x2000u
/* Bytes of one sync object: {u64 seqno; u32 status; u32 pad}. */
#define TYRC_GROUP_SYNCOBJ_SIZE 16u
/*
 * Ring bytes per profiling slot: a queue has one slot per smallest
 * non-empty job block (16 instructions) its ring can hold, so a job in
 * flight always owns its slot.
 */
#define TYRC_GROUP_PROFILE_RING_BYTES 128u

/**
 * struct tyrc_group_params - what GROUP_CREATE asked for (validated).
 * @priority: enum drm_panthor_group_priority.
 * @max_compute_cores: @max_fragment_cores: @max_tiler_cores: endpoint limits.
 * @compute_core_mask: @fragment_core_mask: @tiler_core_mask: allowed cores.
 * @queue_priority: per queue, 0..15 (15 highest).
 */
struct tyrc_group_params {
	u8 priority;
	u8 max_compute_cores;
	u8 max_fragment_cores;
	u8 max_tiler_cores;
	u64 compute_core_mask;
	u64 fragment_core_mask;
	u64 tiler_core_mask;
	u8 queue_priority[TYRC_GROUP_MAX_QUEUES];
};

/**
 * tyrc_group_pool_create() - give @file an empty group pool (at open).
 * Return: 0 or -ENOMEM.
 */
int tyrc_group_pool_create(struct tyrc_file *file);

/**
 * tyrc_group_pool_destroy() - destroy every group of @file and the pool
 * (file release, before the VM pool). Context: process.
 */
void tyrc_group_pool_destroy(struct tyrc_file *file);

/**
 * tyrc_group_pool_kernel_bytes() - bytes of kernel objects @file's groups
 * hold (rings, queue interface pages, sync objects, profiling slots,
 * suspend buffers): the per-file kernel memory fdinfo reports.
 * @resident_only: count only groups bound to a CSG slot now (fdinfo's
 * panthor-active-memory).
 * Context: process; takes the scheduler lock per group.
 */
u64 tyrc_group_pool_kernel_bytes(struct tyrc_file *file, bool resident_only);

/**
 * tyrc_group_lookup() - the group with @handle in @file's pool.
 * Return: a new reference, or NULL.
 */
struct tyrc_group *tyrc_group_lookup(struct tyrc_file *file, u32 handle);

/** tyrc_group_get() - take a reference (NULL-tolerant). Return: @group. */
struct tyrc_group *tyrc_group_get(struct tyrc_group *group);

/**
 * tyrc_group_put() - drop a reference (NULL-tolerant); the last one frees
 * every kernel BO of the group, then drops its VM reference.
 * Context: process.
 */
void tyrc_group_put(struct tyrc_group *group);

/** tyrc_group_device() - the device. */
struct tyrc_device *tyrc_group_device(struct tyrc_group *group);
/** tyrc_group_params() - the creation parameters. */
const struct tyrc_group_params *tyrc_group_params(struct tyrc_group *group);
/** tyrc_group_sched() - the group's scheduling state. */
struct tyrc_sched_group *tyrc_group_sched(struct tyrc_group *group);
/** tyrc_group_vm() - the group's VM (no new reference). */
struct tyrc_vm *tyrc_group_vm(struct tyrc_group *group);
/** tyrc_group_queue_count() - number of queues. */
u32 tyrc_group_queue_count(struct tyrc_group *group);
/** tyrc_group_ringbuf() - queue @i's ring buffer (group VM), NULL if no such queue. */
struct tyrc_kbo *tyrc_group_ringbuf(struct tyrc_group *group, u32 i);
/** tyrc_group_profile_slots() - queue @i's profiling slots (group VM), NULL if no such queue. */
struct tyrc_kbo *tyrc_group_profile_slots(struct tyrc_group *group, u32 i);
/** tyrc_group_file() - the file that created the group (valid while the group is alive). */
struct tyrc_file *tyrc_group_file(struct tyrc_group *group);
/** tyrc_group_queue_iface() - queue @i's interface pages (MCU VM), NULL if no such queue. */
struct tyrc_kbo *tyrc_group_queue_iface(struct tyrc_group *group, u32 i);
/** tyrc_group_syncobjs() - the sync-object array (group VM). */
struct tyrc_kbo *tyrc_group_syncobjs(struct tyrc_group *group);
/** tyrc_group_suspend_buf() - the CSG suspend buffer (MCU VM), NULL if the size is 0. */
struct tyrc_kbo *tyrc_group_suspend_buf(struct tyrc_group *group);
/** tyrc_group_protm_suspend_buf() - the protected suspend buffer (MCU VM) or NULL. */
struct tyrc_kbo *tyrc_group_protm_suspend_buf(struct tyrc_group *group);

/* ioctl handlers, for the driver ioctl table. */
int tyrc_ioctl_group_create(struct tyrc_file *file, void *data);
int tyrc_ioctl_group_destroy(struct tyrc_file *file, void *data);
int tyrc_ioctl_group_get_state(struct tyrc_file *file, void *data);

#endif /* TYRC_GROUP_H */
