// SPDX-License-Identifier: MIT
/*
 * The first scheduler: jobs, queue rings, CSG slots, firmware events and
 * GROUP_SUBMIT. See tyrc_sched.h for the rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tyrc/kernel.h>
#include "panthor_drm.h"
#include "tyrc_device.h"
#include "tyrc_fw.h"
#include "tyrc_fw_iface.h"
#include "tyrc_group.h"
#include "tyrc_heap.h"
#include "tyrc_job_regs.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"
#include "tyrc_pwr.h"
#include "tyrc_ring.h"
#include "tyrc_sched.h"
#include "tyrc_submit.h"
#include "tyrc_uobj.h"
#include "tyrc_vm.h"

/* CSG slots the scheduler uses at most (panthor: MAX_CSGS). */
#define TYRC_SCHED_MAX_SLOTS 16u
/* latest_flush bits userspace may not set (panthor_job_create()). */
#define TYRC_SCHED_FLUSH_ID_RSVD GENMASK(30, 24)
/* Lowest exception code of the MMU's faults (GPU_BUS_FAULT); the others are 0xc0+. */
#define TYRC_SCHED_EXC_BUS_FAULT 0x80u
/* CS events and requests the scheduler handles. */
#define TYRC_SCHED_CS_IRQ_MASK (CS_FATAL | CS_FAULT | CS_TILER_OOM)

struct tyrc_job;

/** struct tyrc_sched_queue - one queue's scheduling state. */
struct tyrc_sched_queue {
	/** @sg: the owner. */
	struct tyrc_sched_group *sg;
	/** @index: queue index in the group, CS index in the slot. */
	u32 index;
	/** @ring: the ring as the kernel writes it (lock). */
	struct tyrc_ring ring;
	/** @iface: the queue's input and output pages (MCU VM). */
	struct tyrc_kbo *iface;
	/** @sync_seqno: host view of the queue's sync object seqno. */
	u64 *sync_seqno;
	/** @sync_va: its GPU VA in the group's VM. */
	u64 sync_va;
	/** @fence_ctx: fence context of the queue's job fences. */
	u64 fence_ctx;
	/** @fence_seqno: seqno of the last armed job fence (lock). */
	u64 fence_seqno;
	/** @emitted: sync seqno the last job written to the ring brings (lock). */
	u64 emitted;
	/** @profile: host view of the queue's profiling slots. */
	struct tyrc_ring_profile_slot *profile;
	/** @profile_va: their GPU VA. */
	u64 profile_va;
	/** @profile_count: number of slots. */
	u32 profile_count;
	/** @profile_next: slot the next profiled job takes (lock). */
	u32 profile_next;
	/** @pending: armed jobs not yet in the ring, in order (lock). */
	struct tyrc_list_head pending;
	/** @inflight: jobs in the ring (or empty ones), not yet complete, in order (lock). */
	struct tyrc_list_head inflight;
	/**
	 * @timeout_at: when the queue times out, while its timer runs: it has
	 * ring work and its group is resident, or evicted while blocked in a
	 * SYNC_WAIT; 0 while paused or idle (lock).
	 */
	u64 timeout_at;
	/** @timeout_left: what is left of the timeout while paused (lock). */
	u64 timeout_left;
	/** @oom_pending: the firmware raised TILER_OOM and waits for a chunk (lock). */
	bool oom_pending;
};

/** struct tyrc_sched_group - a group's scheduling state. */
struct tyrc_sched_group {
	/** @sched: the device scheduler. */
	struct tyrc_sched *sched;
	/** @group: the group (not referenced: it owns us). */
	struct tyrc_group *group;
	/** @link: entry in &tyrc_sched.groups while alive (lock). */
	struct tyrc_list_head link;
	/** @slot: CSG slot, or -1 when not resident (lock). */
	int slot;
	/** @vm_active: the VM's AS use taken for residency (lock). */
	bool vm_active;
	/** @started: the firmware saved its state once: bind with RESUME, not START (lock). */
	bool started;
	/** @rr_key: when it last got a slot; the older first in a rotation (lock). */
	u64 rr_key;
	/** @fw_priority: the unique endpoint priority of its slot (lock). */
	u32 fw_priority;
	/**
	 * @blocked: every queue with work waits in a SYNC_WAIT (seen at a
	 * tick): not runnable until a sync update or the next tick (lock).
	 */
	bool blocked;
	/** @dead: no more jobs run or are accepted (lock). */
	bool dead;
	/** @state: DRM_PANTHOR_GROUP_STATE_* (lock). */
	u32 state;
	/** @fatal_queues: queues that hit a fatal error (lock). */
	u32 fatal_queues;
	/** @fault_queues: fatal events seen, not yet acted upon (lock). */
	u32 fault_queues;
	/** @timed_out: the firmware's progress timer fired (lock). */
	bool timed_out;
	/** @vm_faulted: a CS fault came from the MMU (translation or bus fault) (lock). */
	bool vm_faulted;
	/** @queue_count: entries of @queues. */
	u32 queue_count;
	struct tyrc_sched_queue queues[];
};

/** struct tyrc_job - one queue submission. */
struct tyrc_job {
	/** @node: in the queue's pending or inflight list, or a done list (lock). */
	struct tyrc_list_head node;
	struct tyrc_sched_queue *queue;
	/** @ring_job: the wrapper's inputs. */
	struct tyrc_ring_job ring_job;
	/** @done: the job fence; raw memory until armed. */
	struct tyrc_dma_fence *done;
	bool armed;
	/** @deps: what it waits for; deps.unsignalled under the lock. */
	struct tyrc_job_deps deps;
	/** @detached: removed from its queue; callbacks ignore it (lock). */
	bool detached;
	/** @sync_target: the queue sync seqno that completes the job. */
	u64 sync_target;
	/** @profile_slot: the job's profiling slot, when ring_job.profile is set. */
	u32 profile_slot;
	/** @ring_start: ring offset of the job's block (replayed from there after a reset). */
	u64 ring_start;
	/** @ring_end: ring insert offset after the job's block (0 for an empty job). */
	u64 ring_end;
	/** @error: set on the fence before signalling. */
	int error;
};

/** struct tyrc_sched - the device's scheduler. */
struct tyrc_sched {
	struct tyrc_device *dev;
	/** @lock: see the DOC. */
	struct tyrc_mutex lock;
	/** @wq: ordered queue running @work. */
	struct tyrc_workqueue *wq;
	/** @work: does everything; delayed to wake for job timeouts. */
	struct tyrc_delayed_work work;
	/** @slot_count: CSG slots used. */
	u32 slot_count;
	/** @stream_count: CSs per slot. */
	u32 stream_count;
	/** @cs_reg_count: CS work registers (for the ring wrapper). */
	u32 cs_reg_count;
	/** @slots: the group resident in each slot (lock). */
	struct tyrc_sched_group *slots[TYRC_SCHED_MAX_SLOTS];
	/** @groups: every live group, in creation order (lock). */
	struct tyrc_list_head groups;
	/** @irq_pending: CSG slots the JOB interrupt reported (atomic). */
	u32 irq_pending;
	/** @stopped: across a reset: nothing touches the firmware (lock). */
	bool stopped;
	/** @tick_at: next rotation of same-priority groups, 0 when none is needed (lock). */
	u64 tick_at;
	/** @sync_update: a sync update arrived since the last pass (lock). */
	bool sync_update;
	/** @pm_suspended: runtime-suspended: GPU off, firmware halted (lock). */
	bool pm_suspended;
	/** @pm_idle_at: when an idle GPU suspends, 0 while there is work (lock). */
	u64 pm_idle_at;
	/** @pm_cycles: runtime suspends so far (atomic; tests and info). */
	u32 pm_cycles;
};

static struct tyrc_sched *to_sched(struct tyrc_device *dev)
{
	return dev->sched;
}

static const char *tyrc_job_fence_driver_name(struct tyrc_dma_fence *fence)
{
	return TYRC_DRIVER_NAME;
}

static const char *tyrc_job_fence_timeline_name(struct tyrc_dma_fence *fence)
{
	return "queue-fence";
}

static const struct tyrc_dma_fence_ops tyrc_job_fence_ops = {
	.get_driver_name = tyrc_job_fence_driver_name,
	.get_timeline_name = tyrc_job_fence_timeline_name,
};

static void tyrc_sched_kick(struct tyrc_sched *sched)
{
	tyrc_mod_delayed_work(sched->wq, &sched->work, 0);
}

/* ---- Jobs ---- */

static void tyrc_job_free(struct tyrc_job *job)
{
	tyrc_job_deps_fini(&job->deps);
	if (job->armed)
		tyrc_dma_fence_put(job->done);
	else
		free(job->done);
	free(job);
}

/*
 * Signal and free the jobs of @done (taken off their queues under the
 * lock, in fence order). Called without the lock: callbacks take it.
 */
static void tyrc_sched_finish_jobs(struct tyrc_list_head *done)
{
	struct tyrc_job *job, *tmp;

	tyrc_list_for_each_entry_safe(job, tmp, done, node) {
		tyrc_list_del_init(&job->node);
		tyrc_job_deps_unhook(&job->deps);
		if (job->error)
			tyrc_dma_fence_set_error(job->done, job->error);
		tyrc_dma_fence_signal(job->done);
		tyrc_job_free(job);
	}
}

static void tyrc_job_dep_cb(struct tyrc_dma_fence *fence, struct tyrc_dma_fence_cb *cb)
{
	struct tyrc_job *job = container_of(tyrc_job_dep_set(cb), struct tyrc_job, deps);
	struct tyrc_sched *sched = job->queue->sg->sched;
	bool ready;

	tyrc_mutex_lock(&sched->lock);
	ready = !--job->deps.unsignalled && !job->detached;
	tyrc_mutex_unlock(&sched->lock);
	if (ready)
		tyrc_sched_kick(sched);
}

/* ---- Slots ---- */

/* Program CS @q of @slot for START or RESUME (cs_slot_prog_locked()). */
static void tyrc_sched_prog_cs(struct tyrc_sched *sched, struct tyrc_sched_queue *q, u32 slot)
{
	struct csf_cs_input *in = tyrc_fw_cs_input(sched->dev, slot, q->index);
	const struct tyrc_group_params *p = tyrc_group_params(q->sg->group);
	struct csf_queue_input *qin = tyrc_kbo_vaddr(q->iface);
	u64 iface_va = tyrc_kbo_va(q->iface);

	/* A fresh START runs from the queue's extract: what we know was consumed. */
	WRITE_ONCE(qin->extract, q->ring.extract);
	__atomic_store_n(&qin->insert, q->ring.insert, __ATOMIC_RELEASE);
	WRITE_ONCE(in->ringbuf_base, q->ring.gpu_va);
	WRITE_ONCE(in->ringbuf_size, q->ring.size);
	WRITE_ONCE(in->ringbuf_input, iface_va);
	WRITE_ONCE(in->ringbuf_output, iface_va + CSF_QUEUE_OUTPUT_PAGE_OFFSET);
	WRITE_ONCE(in->heap_start, 0);
	WRITE_ONCE(in->heap_end, 0);
	WRITE_ONCE(in->config, FIELD_PREP(CS_CONFIG_PRIORITY, p->queue_priority[q->index]) |
				       FIELD_PREP(CS_CONFIG_DOORBELL, slot + 1));
	WRITE_ONCE(in->ack_irq_mask, TYRC_SCHED_CS_IRQ_MASK);
	WRITE_ONCE(in->req, csf_req_set_field(READ_ONCE(in->req), CS_STATE_START, CS_STATE_MASK));
}

static u32 tyrc_sched_endpoint_req(struct tyrc_sched_group *sg)
{
	const struct tyrc_group_params *p = tyrc_group_params(sg->group);

	return FIELD_PREP(CSG_EP_COMPUTE_CORES, p->max_compute_cores) |
	       FIELD_PREP(CSG_EP_FRAGMENT_CORES, p->max_fragment_cores) |
	       FIELD_PREP(CSG_EP_TILER_CORES, p->max_tiler_cores) |
	       FIELD_PREP(CSG_EP_PRIORITY, sg->fw_priority);
}

/*
 * Put @sg's VM on an AS and write the START (or RESUME) request of @slot
 * (csg_slot_prog_locked()); the caller rings and waits for a batch.
 */
static int tyrc_sched_prog_csg_locked(struct tyrc_sched *sched, struct tyrc_sched_group *sg,
				      u32 slot)
{
	struct tyrc_device *dev = sched->dev;
	struct tyrc_mmu_vm *mmu = tyrc_vm_mmu(tyrc_group_vm(sg->group));
	const struct tyrc_group_params *p = tyrc_group_params(sg->group);
	struct tyrc_kbo *suspend = tyrc_group_suspend_buf(sg->group);
	struct tyrc_kbo *protm = tyrc_group_protm_suspend_buf(sg->group);
	const struct csf_csg_output *out = tyrc_fw_csg_output(dev, slot);
	struct csf_csg_input *in = tyrc_fw_csg_input(dev, slot);
	u32 req, cs_mask = 0;
	int ret;

	ret = tyrc_mmu_vm_activate(mmu);
	if (ret)
		return ret;
	for (u32 i = 0; i < sg->queue_count; i++) {
		tyrc_sched_prog_cs(sched, &sg->queues[i], slot);
		cs_mask |= BIT(i);
	}
	WRITE_ONCE(in->allow_compute, p->compute_core_mask);
	WRITE_ONCE(in->allow_fragment, p->fragment_core_mask);
	WRITE_ONCE(in->allow_other, (u32)p->tiler_core_mask);
	WRITE_ONCE(in->endpoint_req, tyrc_sched_endpoint_req(sg));
	WRITE_ONCE(in->suspend_buf, suspend ? tyrc_kbo_va(suspend) : 0);
	WRITE_ONCE(in->protm_suspend_buf, protm ? tyrc_kbo_va(protm) : 0);
	WRITE_ONCE(in->config, (u32)tyrc_mmu_vm_as(mmu));
	WRITE_ONCE(in->ack_irq_mask, CSG_EVT_MASK | CSG_REQ_MASK);
	WRITE_ONCE(in->doorbell_req, csf_req_toggle(READ_ONCE(in->doorbell_req),
						    READ_ONCE(out->doorbell_ack), cs_mask));
	req = csf_req_toggle(READ_ONCE(in->req), READ_ONCE(out->ack), CSG_ENDPOINT_CONFIG);
	WRITE_ONCE(in->req, csf_req_set_field(req, sg->started ? CSG_STATE_RESUME : CSG_STATE_START,
					      CSG_STATE_MASK));
	sg->slot = (int)slot;
	sg->vm_active = true;
	sched->slots[slot] = sg;
	return 0;
}

/* Ring the CSG doorbells of @mask and wait for @reqs on each. Return: 0 or -ETIMEDOUT. */
static int tyrc_sched_csg_commit_locked(struct tyrc_sched *sched, u32 mask, u32 reqs)
{
	struct tyrc_device *dev = sched->dev;
	int ret = 0;

	if (!mask)
		return 0;
	tyrc_fw_ring_csg_doorbells(dev, mask);
	for (u32 s = 0; s < sched->slot_count; s++)
		if (mask & BIT(s) &&
		    tyrc_fw_csg_wait_acked(dev, s, reqs, dev->cfg.fw_req_timeout_ms))
			ret = -ETIMEDOUT;
	if (ret)
		/* The firmware stopped answering: only a reset brings it back. */
		tyrc_device_schedule_reset(dev);
	return ret;
}

/* @sg leaves its slot (its request, if any, already acknowledged). */
static void tyrc_sched_release_slot_locked(struct tyrc_sched *sched, struct tyrc_sched_group *sg)
{
	if (sg->slot < 0)
		return;
	if (sg->vm_active)
		tyrc_mmu_vm_deactivate(tyrc_vm_mmu(tyrc_group_vm(sg->group)));
	sg->vm_active = false;
	sched->slots[sg->slot] = NULL;
	sg->slot = -1;
}

/* Request @state (SUSPEND or TERMINATE) of @sg's slot; the caller commits. Return: its slot bit. */
static u32 tyrc_sched_request_stop_locked(struct tyrc_sched *sched, struct tyrc_sched_group *sg,
					  u32 state)
{
	struct csf_csg_input *in = tyrc_fw_csg_input(sched->dev, (u32)sg->slot);

	WRITE_ONCE(in->req, csf_req_set_field(READ_ONCE(in->req), state, CSG_STATE_MASK));
	return BIT(sg->slot);
}

/* ---- Events ---- */

/* Acknowledge CSG @slot's events and CS interrupts (sched_process_csg_irq_locked()). */
static void tyrc_sched_process_csg_irq_locked(struct tyrc_sched *sched, u32 slot)
{
	struct tyrc_device *dev = sched->dev;
	struct tyrc_sched_group *sg = sched->slots[slot];
	struct csf_csg_input *in = tyrc_fw_csg_input(dev, slot);
	const struct csf_csg_output *out = tyrc_fw_csg_output(dev, slot);
	u32 req = READ_ONCE(in->req), ack = READ_ONCE(out->ack);
	u32 cs_irq_req = READ_ONCE(out->cs_irq_req), cs_irqs, events;

	events = (req ^ ack) & CSG_EVT_MASK;
	if (events)
		WRITE_ONCE(in->req, csf_req_set_field(req, ack, CSG_EVT_MASK));
	if (events & CSG_SYNC_UPDATE)
		sched->sync_update = true;
	if (events & CSG_PROGRESS_TIMER_EVENT && sg) {
		/* No progress for the firmware's progress timeout: a hang (panthor). */
		tyrc_dbg("sched: CSG %u progress timer expired", slot);
		sg->timed_out = true;
	}
	cs_irqs = cs_irq_req ^ READ_ONCE(in->cs_irq_ack);
	for (u32 j = 0; j < sched->stream_count && cs_irqs; j++) {
		struct csf_cs_input *cin;
		const struct csf_cs_output *cout;
		u32 creq, cack, cs_events;

		if (!(cs_irqs & BIT(j)))
			continue;
		cin = tyrc_fw_cs_input(dev, slot, j);
		cout = tyrc_fw_cs_output(dev, slot, j);
		creq = READ_ONCE(cin->req);
		cack = READ_ONCE(cout->ack);
		cs_events = (creq ^ cack) & TYRC_SCHED_CS_IRQ_MASK;
		if (cs_events & (CS_FATAL | CS_FAULT)) {
			bool fatal = cs_events & CS_FATAL;
			u32 type = fatal ? READ_ONCE(cout->fatal) : READ_ONCE(cout->fault);

			tyrc_dbg("sched: CSG %u CS %u %s, exception 0x%x, info 0x%llx", slot, j,
				 fatal ? "FATAL" : "FAULT", (u32)FIELD_GET(CS_EXCEPTION_TYPE, type),
				 (unsigned long long)(fatal ? READ_ONCE(cout->fatal_info) :
							      READ_ONCE(cout->fault_info)));
			if (sg && j < sg->queue_count)
				sg->fault_queues |= BIT(j);
			/*
			 * The MMU's exception codes (bus fault 0x80, translation,
			 * permission, access-flag and address-size faults from
			 * 0xc0): the fault was the VM's. Seen here, it does not
			 * depend on the MMU interrupt having been handled first.
			 */
			if (sg && FIELD_GET(CS_EXCEPTION_TYPE, type) >= TYRC_SCHED_EXC_BUS_FAULT)
				sg->vm_faulted = true;
		}
		if (cs_events & CS_TILER_OOM && sg && j < sg->queue_count)
			sg->queues[j].oom_pending = true;
		/* TILER_OOM is acknowledged with its answer (tyrc_sched_handle_oom()). */
		cs_events &= ~CS_TILER_OOM;
		if (cs_events)
			WRITE_ONCE(cin->req, csf_req_set_field(creq, cack, cs_events));
	}
	if (cs_irqs)
		WRITE_ONCE(in->cs_irq_ack, cs_irq_req);
}

/* ---- Per-group work ---- */

/*
 * Add a finished job's profiling samples to its file's GPU usage (the
 * fdinfo drm-engine / drm-cycles counters), as panthor's
 * update_fdinfo_stats().
 */
static void tyrc_sched_job_account(struct tyrc_sched_queue *q, const struct tyrc_job *job)
{
	const struct tyrc_ring_profile_slot *slot = &q->profile[job->profile_slot];
	struct tyrc_file *file = tyrc_group_file(q->sg->group);
	u64 hz = q->sg->sched->dev->platform.timestamp_frequency_hz;

	/* Timestamps count the system timer: fdinfo wants nanoseconds. */
	if (job->ring_job.profile & TYRC_RING_PROFILE_TIMESTAMP && hz)
		__atomic_fetch_add(&file->stats.engine_ns,
				   (READ_ONCE(slot->time_after) - READ_ONCE(slot->time_before)) *
					   NSEC_PER_SEC / hz,
				   __ATOMIC_RELAXED);
	if (job->ring_job.profile & TYRC_RING_PROFILE_CYCLES)
		__atomic_fetch_add(&file->stats.cycles,
				   READ_ONCE(slot->cycles_after) - READ_ONCE(slot->cycles_before),
				   __ATOMIC_RELAXED);
}

/* @q made progress at @now: its timeout starts over (running or paused). */
static void tyrc_sched_queue_progress(struct tyrc_sched *sched, struct tyrc_sched_queue *q, u64 now)
{
	u64 timeout_ns = (u64)sched->dev->cfg.job_timeout_ms * NSEC_PER_MSEC;

	q->timeout_left = timeout_ns;
	if (q->timeout_at)
		q->timeout_at = now + timeout_ns;
}

/* Move @q's finished jobs to @done (their sync seqno reached). */
static void tyrc_sched_queue_complete_locked(struct tyrc_sched *sched, struct tyrc_sched_queue *q,
					     u64 now, struct tyrc_list_head *done)
{
	u64 seqno = __atomic_load_n(q->sync_seqno, __ATOMIC_ACQUIRE);
	struct tyrc_job *job, *tmp;

	tyrc_list_for_each_entry_safe(job, tmp, &q->inflight, node) {
		if (job->sync_target > seqno)
			break;
		if (job->ring_end) {
			tyrc_sched_job_account(q, job);
			tyrc_ring_update_extract(&q->ring, job->ring_end);
			/* Progress: the queue's timeout starts over. */
			tyrc_sched_queue_progress(sched, q, now);
		}
		tyrc_list_del_init(&job->node);
		tyrc_list_add_tail(&job->node, done);
	}
}

/*
 * Write @q's ready jobs into its ring while it has room.
 * Return: whether anything was written.
 */
static bool tyrc_sched_queue_emit_locked(struct tyrc_sched_queue *q)
{
	struct tyrc_job *job, *tmp;
	bool wrote = false;

	tyrc_list_for_each_entry_safe(job, tmp, &q->pending, node) {
		u64 start = q->ring.insert, insert;

		if (job->deps.unsignalled)
			break;
		if (job->ring_job.stream_size) {
			int ret;

			/* The device's profiling mask when the job enters the ring. */
			job->ring_job.profile =
				__atomic_load_n(&q->sg->sched->dev->profiling, __ATOMIC_RELAXED) &
				(TYRC_RING_PROFILE_CYCLES | TYRC_RING_PROFILE_TIMESTAMP);
			job->profile_slot = q->profile_next;
			job->ring_job.profile_addr =
				q->profile_va + job->profile_slot * sizeof(*q->profile);
			ret = tyrc_ring_emit_job(&q->ring, &job->ring_job, &insert);

			if (ret == -ENOSPC)
				break; /* again once earlier jobs completed */
			if (ret) {
				/* Validated at submit time; fail the job, not the queue. */
				job->error = ret;
				job->sync_target = q->emitted;
			} else {
				job->sync_target = ++q->emitted;
				if (job->ring_job.profile)
					q->profile_next = (q->profile_next + 1) % q->profile_count;
				job->ring_start = start;
				job->ring_end = insert;
				wrote = true;
			}
		} else {
			job->sync_target = q->emitted;
		}
		tyrc_list_del_init(&job->node);
		tyrc_list_add_tail(&job->node, &q->inflight);
	}
	if (wrote) {
		struct csf_queue_input *qin = tyrc_kbo_vaddr(q->iface);

		__atomic_store_n(&qin->insert, q->ring.insert, __ATOMIC_RELEASE);
	}
	return wrote;
}

static bool tyrc_sched_queue_busy(const struct tyrc_sched_queue *q)
{
	return q->ring.insert != q->ring.extract;
}

/* Unfinished ring work: the group needs a slot. */
static bool tyrc_sched_group_busy(const struct tyrc_sched_group *sg)
{
	for (u32 i = 0; i < sg->queue_count; i++)
		if (tyrc_sched_queue_busy(&sg->queues[i]))
			return true;
	return false;
}

static bool tyrc_sched_group_runnable(const struct tyrc_sched_group *sg)
{
	return !sg->dead && !sg->blocked && tyrc_sched_group_busy(sg);
}

/*
 * Start, pause or stop each queue's timeout from its state: it runs while
 * the queue has ring work and its group is resident or blocked in a
 * SYNC_WAIT (so external signalling is time-boxed), and is paused while
 * the group waits for a slot.
 */
static void tyrc_sched_update_timeouts_locked(struct tyrc_sched *sched, struct tyrc_sched_group *sg,
					      u64 now)
{
	u64 timeout_ns = (u64)sched->dev->cfg.job_timeout_ms * NSEC_PER_MSEC;

	for (u32 i = 0; i < sg->queue_count; i++) {
		struct tyrc_sched_queue *q = &sg->queues[i];

		if (!tyrc_sched_queue_busy(q)) {
			q->timeout_at = 0;
			q->timeout_left = timeout_ns;
		} else if (sg->slot >= 0 || sg->blocked) {
			if (!q->timeout_at)
				q->timeout_at = now + q->timeout_left;
		} else if (q->timeout_at) {
			q->timeout_left = q->timeout_at > now ? q->timeout_at - now : 1;
			q->timeout_at = 0;
		}
	}
}

static bool tyrc_sched_group_timed_out(const struct tyrc_sched_group *sg, u64 now)
{
	if (sg->timed_out)
		return true;
	for (u32 i = 0; i < sg->queue_count; i++)
		if (sg->queues[i].timeout_at && now >= sg->queues[i].timeout_at)
			return true;
	return false;
}

/*
 * Kill @sg: record @state / @fatal, terminate it on its slot unless the
 * firmware is gone, and move every unfinished job to @done with its error.
 */
static void tyrc_sched_kill_locked(struct tyrc_sched *sched, struct tyrc_sched_group *sg, u32 state,
				   u32 fatal, bool terminate, struct tyrc_list_head *done)
{
	sg->state |= state;
	sg->fatal_queues |= fatal;
	sg->dead = true;
	if (sg->slot >= 0 && terminate)
		tyrc_sched_csg_commit_locked(
			sched, tyrc_sched_request_stop_locked(sched, sg, CSG_STATE_TERMINATE),
			CSG_STATE_MASK);
	tyrc_sched_release_slot_locked(sched, sg);
	for (u32 i = 0; i < sg->queue_count; i++) {
		struct tyrc_sched_queue *q = &sg->queues[i];
		int error = -ECANCELED;
		struct tyrc_job *job, *tmp;

		if (sg->fatal_queues & BIT(i))
			error = -EINVAL;
		else if (sg->state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT &&
			 !(sg->state & DRM_PANTHOR_GROUP_STATE_INNOCENT))
			error = -ETIMEDOUT;
		tyrc_list_for_each_entry_safe(job, tmp, &q->inflight, node) {
			job->error = job->error ? job->error : error;
			tyrc_list_del_init(&job->node);
			tyrc_list_add_tail(&job->node, done);
		}
		tyrc_list_for_each_entry_safe(job, tmp, &q->pending, node) {
			job->error = error;
			job->detached = true;
			tyrc_list_del_init(&job->node);
			tyrc_list_add_tail(&job->node, done);
		}
		q->ring.extract = q->ring.insert;
		q->timeout_at = 0;
	}
}

/* ---- Policy ---- */

/* Does @a go before @b: higher group priority, then the longer wait for a slot. */
static bool tyrc_sched_before(const struct tyrc_sched_group *a, const struct tyrc_sched_group *b)
{
	u8 pa = tyrc_group_params(a->group)->priority, pb = tyrc_group_params(b->group)->priority;

	return pa != pb ? pa > pb : a->rr_key < b->rr_key;
}

/* Sort @v (@n groups) with tyrc_sched_before(): insertion sort, n is small. */
static void tyrc_sched_sort(struct tyrc_sched_group **v, u32 n)
{
	for (u32 i = 1; i < n; i++) {
		struct tyrc_sched_group *g = v[i];
		u32 j = i;

		for (; j && tyrc_sched_before(g, v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = g;
	}
}

static bool tyrc_sched_wanted(struct tyrc_sched_group **want, u32 n, struct tyrc_sched_group *sg)
{
	for (u32 i = 0; i < n; i++)
		if (want[i] == sg)
			return true;
	return false;
}

/*
 * Which groups should be resident (tick_ctx_init() + the picking of
 * panthor's tick): on a tick, the best runnable groups by priority then
 * round robin; between ticks resident runnable groups keep their slots,
 * free slots go to the best waiting groups, and a waiting group of higher
 * priority than a resident one takes that one's slot at once.
 * Return: the number of groups in @want (at most slot_count), sorted.
 */
static u32 tyrc_sched_pick_locked(struct tyrc_sched *sched, bool tick,
				  struct tyrc_sched_group **want, u32 *nr_runnable)
{
	struct tyrc_sched_group *sg, **waiting;
	u32 n = 0, nw = 0, total = 0;

	tyrc_list_for_each_entry(sg, &sched->groups, link)
		total++;
	waiting = calloc(total ? total : 1, sizeof(*waiting));
	/* Without memory nobody new gets a slot this pass; the next retries. */
	tyrc_list_for_each_entry(sg, &sched->groups, link) {
		if (!tyrc_sched_group_runnable(sg))
			continue;
		if (sg->slot >= 0 && !tick)
			want[n++] = sg;
		else if (waiting)
			waiting[nw++] = sg;
	}
	*nr_runnable = n + nw;
	if (!waiting)
		return n;
	tyrc_sched_sort(waiting, nw);
	tyrc_sched_sort(want, n);
	for (u32 w = 0; w < nw; w++) {
		if (n < sched->slot_count) {
			want[n++] = waiting[w];
		} else if (tyrc_group_params(waiting[w]->group)->priority >
			   tyrc_group_params(want[n - 1]->group)->priority) {
			/* Preemption: the lowest resident one waits instead. */
			want[n - 1] = waiting[w];
		} else {
			break;
		}
		tyrc_sched_sort(want, n);
	}
	free(waiting);
	/* Idle or blocked residents keep a slot nobody else wants. */
	tyrc_list_for_each_entry(sg, &sched->groups, link)
		if (n < sched->slot_count && sg->slot >= 0 && !sg->dead &&
		    !tyrc_sched_wanted(want, n, sg))
			want[n++] = sg;
	return n;
}

/*
 * SUSPEND the groups of the slots in @mask in one batch: the firmware saves
 * their streams, they RESUME when they get a slot again. If the firmware
 * does not answer they stay where they are: the coming reset replays them.
 * Return: 0 or -ETIMEDOUT.
 */
static int tyrc_sched_suspend_slots_locked(struct tyrc_sched *sched, u32 mask, u64 now)
{
	int ret;

	for (u32 s = 0; s < sched->slot_count; s++)
		if (mask & BIT(s))
			tyrc_sched_request_stop_locked(sched, sched->slots[s], CSG_STATE_SUSPEND);
	ret = tyrc_sched_csg_commit_locked(sched, mask, CSG_STATE_MASK);
	if (ret)
		return ret;
	for (u32 s = 0; s < sched->slot_count; s++) {
		struct tyrc_sched_group *sg = sched->slots[s];

		if (!(mask & BIT(s)))
			continue;
		sg->started = true;
		tyrc_sched_release_slot_locked(sched, sg);
		tyrc_sched_update_timeouts_locked(sched, sg, now);
	}
	return 0;
}

/* The slots that hold a group. */
static u32 tyrc_sched_resident_mask_locked(struct tyrc_sched *sched)
{
	u32 mask = 0;

	for (u32 s = 0; s < sched->slot_count; s++)
		if (sched->slots[s])
			mask |= BIT(s);
	return mask;
}

/*
 * Every AS is in use: SUSPEND one resident group with nothing to run (one
 * tyrc_sched_pick_locked() kept only because its slot was free), so its
 * VM's AS can go to a group that has work. Return: whether one went.
 */
static bool tyrc_sched_evict_idle_locked(struct tyrc_sched *sched, u64 now)
{
	for (u32 s = 0; s < sched->slot_count; s++) {
		struct tyrc_sched_group *sg = sched->slots[s];

		if (sg && !tyrc_sched_group_runnable(sg))
			return !tyrc_sched_suspend_slots_locked(sched, BIT(s), now);
	}
	return false;
}

/*
 * Make the resident set what tyrc_sched_pick_locked() wants: SUSPEND the
 * groups that lose their slot (in one batch), give the unique firmware
 * priorities (15 for the best), then START/RESUME the newcomers (in one
 * batch) and update the endpoint of residents whose priority changed.
 */
static void tyrc_sched_apply_locked(struct tyrc_sched *sched, bool tick, u64 now)
{
	struct tyrc_sched_group *want[TYRC_SCHED_MAX_SLOTS], *sg;
	u32 n, nr_runnable, mask = 0, prio_mask = 0;

	n = tyrc_sched_pick_locked(sched, tick, want, &nr_runnable);

	/* Out: idle, blocked, dead (already gone) or preempted groups. */
	for (u32 s = 0; s < sched->slot_count; s++) {
		sg = sched->slots[s];
		if (sg && !tyrc_sched_wanted(want, n, sg))
			mask |= BIT(s);
	}
	if (tyrc_sched_suspend_slots_locked(sched, mask, now))
		return; /* a reset is coming */

	/* In: newcomers get free slots; every resident a distinct priority. */
	mask = 0;
	for (u32 i = 0; i < n; i++) {
		u32 fw_priority = CSG_EP_PRIORITY >> 28;

		sg = want[i];
		fw_priority -= tyrc_min(i, fw_priority);
		if (sg->slot >= 0) {
			if (sg->fw_priority != fw_priority) {
				u32 slot = (u32)sg->slot;
				struct csf_csg_input *in = tyrc_fw_csg_input(sched->dev, slot);
				const struct csf_csg_output *out =
					tyrc_fw_csg_output(sched->dev, slot);

				sg->fw_priority = fw_priority;
				WRITE_ONCE(in->endpoint_req, tyrc_sched_endpoint_req(sg));
				WRITE_ONCE(in->req,
					   csf_req_toggle(READ_ONCE(in->req), READ_ONCE(out->ack),
							  CSG_ENDPOINT_CONFIG));
				prio_mask |= BIT(slot);
			}
			continue;
		}
		/* An idle group evicted for its AS above stays out. */
		if (!tyrc_sched_group_runnable(sg))
			continue;
		for (u32 s = 0; s < sched->slot_count; s++) {
			int ret;

			if (sched->slots[s])
				continue;
			sg->fw_priority = fw_priority;
			ret = tyrc_sched_prog_csg_locked(sched, sg, s);
			if (ret == -EBUSY && tyrc_sched_evict_idle_locked(sched, now))
				ret = tyrc_sched_prog_csg_locked(sched, sg, s);
			/* Still no AS: it waits for the next pass. */
			if (!ret) {
				sg->rr_key = now;
				mask |= BIT(s);
			}
			break;
		}
	}
	if (!tyrc_sched_csg_commit_locked(sched, mask | prio_mask,
					  CSG_STATE_MASK | CSG_ENDPOINT_CONFIG))
		for (u32 s = 0; s < sched->slot_count; s++)
			if (mask & BIT(s))
				tyrc_sched_update_timeouts_locked(sched, sched->slots[s], now);

	/*
	 * Rotation is needed while runnable groups outnumber the slots, and
	 * re-checks while a blocked group waits off-slot (a CPU write to its
	 * sync object raises no event).
	 */
	tyrc_list_for_each_entry(sg, &sched->groups, link)
		if (sg->blocked && sg->slot < 0 && !sg->dead)
			nr_runnable = sched->slot_count + 1;
	sched->tick_at = nr_runnable > sched->slot_count ?
				 (tick || !sched->tick_at ?
					  now + (u64)sched->dev->cfg.sched_tick_ms * NSEC_PER_MSEC :
					  sched->tick_at) :
				 0;
}

/*
 * At a tick: resident groups whose every queue with work waits in a
 * SYNC_WAIT are blocked, and give their slot to runnable groups; a sync
 * update or the next tick makes them runnable again (panthor re-evaluates
 * the wait; we let the firmware do it once resident).
 */
static void tyrc_sched_find_blocked_locked(struct tyrc_sched *sched)
{
	u32 mask = 0;

	for (u32 s = 0; s < sched->slot_count; s++) {
		const struct csf_csg_output *out = tyrc_fw_csg_output(sched->dev, s);
		struct csf_csg_input *in = tyrc_fw_csg_input(sched->dev, s);

		if (!sched->slots[s])
			continue;
		WRITE_ONCE(in->req, csf_req_toggle(READ_ONCE(in->req), READ_ONCE(out->ack),
						   CSG_STATUS_UPDATE));
		mask |= BIT(s);
	}
	if (tyrc_sched_csg_commit_locked(sched, mask, CSG_STATUS_UPDATE))
		return;
	for (u32 s = 0; s < sched->slot_count; s++) {
		struct tyrc_sched_group *sg = sched->slots[s];
		bool blocked = false;

		if (!sg)
			continue;
		for (u32 i = 0; i < sg->queue_count; i++) {
			const struct csf_cs_output *o = tyrc_fw_cs_output(sched->dev, s, i);

			if (!tyrc_sched_queue_busy(&sg->queues[i]))
				continue;
			if ((READ_ONCE(o->status_blocked_reason) & 0xf) != CS_BLOCKED_SYNC_WAIT ||
			    READ_ONCE(o->status_scoreboards)) {
				blocked = false;
				break;
			}
			blocked = true;
		}
		sg->blocked = blocked;
	}
}

/*
 * Answer one TILER_OOM (panthor's tiler_oom_work): grow the heap named by
 * the event outside the lock (growing allocates and flushes the MMU), then
 * hand the firmware the new chunk, or 0 when growth is refused, acknowledge
 * the event and let the stream go on. A group that left its slot meanwhile
 * gets the event again once resumed; its chunk goes back to the heap.
 * Return: whether one was handled (call again).
 */
static bool tyrc_sched_handle_oom(struct tyrc_sched *sched)
{
	struct tyrc_sched_group *sg, *found = NULL;
	u64 ctx = 0, link = 0;
	u32 queue = 0, in_flight = 0, slot = 0;
	struct tyrc_group *group;
	struct tyrc_vm *vm;
	int ret;

	tyrc_mutex_lock(&sched->lock);
	tyrc_list_for_each_entry(sg, &sched->groups, link) {
		for (u32 i = 0; i < sg->queue_count && !found; i++) {
			const struct csf_cs_output *o;

			if (!sg->queues[i].oom_pending)
				continue;
			sg->queues[i].oom_pending = false;
			if (sg->dead || sg->slot < 0 || sched->stopped)
				continue;
			slot = (u32)sg->slot;
			o = tyrc_fw_cs_output(sched->dev, slot, i);
			ctx = READ_ONCE(o->heap_address);
			in_flight = READ_ONCE(o->heap_vt_start) - READ_ONCE(o->heap_frag_end);
			queue = i;
			found = sg;
		}
		if (found)
			break;
	}
	if (!found) {
		tyrc_mutex_unlock(&sched->lock);
		return false;
	}
	group = tyrc_group_get(found->group);
	vm = tyrc_vm_get(tyrc_group_vm(group));
	tyrc_mutex_unlock(&sched->lock);

	ret = tyrc_heap_grow(vm, ctx, in_flight, 0, &link);
	if (ret)
		link = 0;

	tyrc_mutex_lock(&sched->lock);
	if (ret == -EINVAL) {
		/* No heap there: a broken stream, as panthor marks the queue fatal. */
		found->fault_queues |= BIT(queue);
	} else if (!found->dead && found->slot == (int)slot && !sched->stopped) {
		struct csf_cs_input *cin = tyrc_fw_cs_input(sched->dev, slot, queue);
		const struct csf_cs_output *cout = tyrc_fw_cs_output(sched->dev, slot, queue);
		struct csf_csg_input *in = tyrc_fw_csg_input(sched->dev, slot);
		const struct csf_csg_output *out = tyrc_fw_csg_output(sched->dev, slot);

		WRITE_ONCE(cin->heap_start, link);
		WRITE_ONCE(cin->heap_end, link);
		WRITE_ONCE(cin->req, csf_req_set_field(READ_ONCE(cin->req), READ_ONCE(cout->ack),
						       CS_TILER_OOM));
		WRITE_ONCE(in->doorbell_req,
			   csf_req_toggle(READ_ONCE(in->doorbell_req), READ_ONCE(out->doorbell_ack),
					  BIT(queue)));
		tyrc_fw_ring_csg_doorbells(sched->dev, BIT(slot));
		link = 0;
		/* An answered OOM is progress: the queue's timeout starts over. */
		tyrc_sched_queue_progress(sched, &found->queues[queue], tyrc_ktime_get_ns());
	}
	tyrc_mutex_unlock(&sched->lock);
	if (link)
		tyrc_heap_return_chunk(vm, ctx, link);
	tyrc_vm_put(vm);
	tyrc_group_put(group);
	if (ret == -EINVAL)
		tyrc_sched_kick(sched);
	return true;
}

/* Any ring work left anywhere: the GPU must be up. */
static bool tyrc_sched_any_work_locked(struct tyrc_sched *sched)
{
	struct tyrc_sched_group *sg;

	tyrc_list_for_each_entry(sg, &sched->groups, link)
		if (!sg->dead && tyrc_sched_group_busy(sg))
			return true;
	return false;
}

/*
 * Runtime suspend (panthor_device_suspend()): SUSPEND the resident groups
 * so the firmware saves their streams, halt the MCU, stop the MMU's
 * register sequences, power the L2 down.
 */
static void tyrc_sched_pm_suspend_locked(struct tyrc_sched *sched, u64 now)
{
	struct tyrc_device *dev = sched->dev;

	if (tyrc_sched_suspend_slots_locked(sched, tyrc_sched_resident_mask_locked(sched), now))
		return; /* a reset is coming instead */
	if (tyrc_fw_suspend(dev)) {
		tyrc_device_schedule_reset(dev);
		return;
	}
	tyrc_mmu_suspend(dev);
	tyrc_pwr_suspend(dev);
	sched->pm_suspended = true;
	__atomic_fetch_add(&sched->pm_cycles, 1, __ATOMIC_RELAXED);
	tyrc_dbg("sched: GPU runtime-suspended after %u ms idle", dev->cfg.autosuspend_ms);
}

/* Runtime resume: L2 on, address spaces programmed again, the MCU restarted. */
static int tyrc_sched_pm_resume_locked(struct tyrc_sched *sched)
{
	struct tyrc_device *dev = sched->dev;
	int ret = tyrc_pwr_resume(dev);

	if (!ret)
		ret = tyrc_mmu_post_reset(dev);
	if (!ret)
		ret = tyrc_fw_resume(dev);
	if (ret) {
		tyrc_err("sched: runtime resume failed (%d): resetting the GPU", ret);
		tyrc_device_schedule_reset(dev);
		return ret;
	}
	sched->pm_suspended = false;
	return 0;
}

static void tyrc_sched_work(struct tyrc_work *work)
{
	struct tyrc_sched *sched =
		container_of(tyrc_to_delayed_work(work), struct tyrc_sched, work);
	struct tyrc_device *dev = sched->dev;
	u64 now = tyrc_ktime_get_ns(), next = UINT64_MAX;
	struct tyrc_sched_group *sg;
	struct tyrc_list_head done;
	bool tick;
	u32 irqs;

	tyrc_list_init(&done);
	tyrc_mutex_lock(&sched->lock);
	if (sched->stopped) {
		tyrc_mutex_unlock(&sched->lock);
		return;
	}
	irqs = __atomic_exchange_n(&sched->irq_pending, 0, __ATOMIC_ACQ_REL);
	for (u32 s = 0; s < sched->slot_count; s++)
		if (irqs & BIT(s))
			tyrc_sched_process_csg_irq_locked(sched, s);
	tick = sched->tick_at && now >= sched->tick_at;

	tyrc_list_for_each_entry(sg, &sched->groups, link) {
		if (sg->dead)
			continue;
		for (u32 i = 0; i < sg->queue_count; i++)
			tyrc_sched_queue_complete_locked(sched, &sg->queues[i], now, &done);
		if (sg->fault_queues) {
			struct tyrc_vm *vm = tyrc_group_vm(sg->group);

			/* A CS fault with an MMU fault on its VM: the VM is unusable too. */
			if (sg->vm_faulted || tyrc_mmu_vm_has_unhandled_fault(tyrc_vm_mmu(vm)))
				tyrc_vm_mark_unusable(vm);
			tyrc_sched_kill_locked(sched, sg, DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
					       sg->fault_queues, true, &done);
			continue;
		}
		if (tyrc_sched_group_timed_out(sg, now)) {
			tyrc_warn("sched: a queue made no progress for %u ms: its group times out",
				  dev->cfg.job_timeout_ms);
			tyrc_sched_kill_locked(sched, sg, DRM_PANTHOR_GROUP_STATE_TIMEDOUT, 0, true,
					       &done);
			continue;
		}
		if (sched->sync_update || tick)
			sg->blocked = false;
		for (u32 i = 0; i < sg->queue_count; i++) {
			struct tyrc_sched_queue *q = &sg->queues[i];

			if (tyrc_sched_queue_emit_locked(q) && sg->slot >= 0)
				tyrc_iowrite32(dev->iomem, CSF_DOORBELL(sg->slot + 1), 1);
			/* Empty jobs behind completed work finish now. */
			tyrc_sched_queue_complete_locked(sched, q, now, &done);
		}
	}
	sched->sync_update = false;
	if (tyrc_sched_any_work_locked(sched)) {
		sched->pm_idle_at = 0;
		if (sched->pm_suspended && tyrc_sched_pm_resume_locked(sched)) {
			tyrc_mutex_unlock(&sched->lock);
			tyrc_sched_finish_jobs(&done);
			return;
		}
	} else if (!sched->pm_suspended && dev->cfg.autosuspend_ms) {
		if (!sched->pm_idle_at)
			sched->pm_idle_at = now + (u64)dev->cfg.autosuspend_ms * NSEC_PER_MSEC;
		else if (now >= sched->pm_idle_at)
			tyrc_sched_pm_suspend_locked(sched, now);
	}
	if (sched->pm_suspended) {
		sched->pm_idle_at = 0;
		sched->tick_at = 0;
		tyrc_mutex_unlock(&sched->lock);
		tyrc_sched_finish_jobs(&done);
		return;
	}
	if (tick)
		tyrc_sched_find_blocked_locked(sched);
	tyrc_sched_apply_locked(sched, tick, now);
	tyrc_list_for_each_entry(sg, &sched->groups, link) {
		if (sg->dead)
			continue;
		tyrc_sched_update_timeouts_locked(sched, sg, now);
		for (u32 i = 0; i < sg->queue_count; i++)
			if (sg->queues[i].timeout_at)
				next = tyrc_min(next, sg->queues[i].timeout_at);
	}
	if (sched->tick_at)
		next = tyrc_min(next, sched->tick_at);
	if (sched->pm_idle_at)
		next = tyrc_min(next, sched->pm_idle_at);
	if (next != UINT64_MAX)
		tyrc_queue_delayed_work(sched->wq, &sched->work, next > now ? next - now : 0);
	tyrc_mutex_unlock(&sched->lock);
	tyrc_sched_finish_jobs(&done);
	while (tyrc_sched_handle_oom(sched))
		;
}

/* ---- Device ---- */

int tyrc_sched_init(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = calloc(1, sizeof(*sched));
	struct tyrc_fw_info fi;

	if (!sched)
		return -ENOMEM;
	tyrc_fw_get_info(dev, &fi);
	sched->dev = dev;
	sched->slot_count = tyrc_min(fi.group_num, TYRC_SCHED_MAX_SLOTS);
	sched->stream_count = fi.stream_num;
	sched->cs_reg_count = fi.cs_reg_count;
	tyrc_mutex_init(&sched->lock);
	tyrc_list_init(&sched->groups);
	tyrc_delayed_work_init(&sched->work, tyrc_sched_work);
	sched->wq = tyrc_workqueue_create("tyrc-sched", 1);
	if (!sched->wq) {
		tyrc_mutex_destroy(&sched->lock);
		free(sched);
		return -ENOMEM;
	}
	dev->sched = sched;
	return 0;
}

void tyrc_sched_fini(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);

	if (!sched)
		return;
	if (!tyrc_list_empty(&sched->groups))
		tyrc_err("sched: groups left at teardown");
	tyrc_cancel_delayed_work_sync(&sched->work);
	/* The firmware layer halts a running MCU next: power a suspended GPU up. */
	tyrc_mutex_lock(&sched->lock);
	if (sched->pm_suspended)
		tyrc_sched_pm_resume_locked(sched);
	tyrc_mutex_unlock(&sched->lock);
	tyrc_workqueue_destroy(sched->wq);
	tyrc_mutex_destroy(&sched->lock);
	free(sched);
	dev->sched = NULL;
}

void tyrc_sched_pre_reset(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);
	u64 now = tyrc_ktime_get_ns();
	struct tyrc_sched_group *sg;
	struct tyrc_list_head done;

	if (!sched)
		return;
	tyrc_list_init(&done);
	tyrc_mutex_lock(&sched->lock);
	sched->stopped = true;
	tyrc_list_for_each_entry(sg, &sched->groups, link) {
		if (sg->dead || sg->slot < 0)
			continue;
		/*
		 * The firmware loses what the resident group was doing: its
		 * unfinished jobs run again from the start of the oldest one,
		 * on a fresh START after the reset. Suspended groups keep
		 * their saved state and RESUME.
		 */
		tyrc_sched_release_slot_locked(sched, sg);
		sg->started = false;
		for (u32 i = 0; i < sg->queue_count; i++) {
			struct tyrc_sched_queue *q = &sg->queues[i];
			struct tyrc_job *job;

			tyrc_sched_queue_complete_locked(sched, q, now, &done);
			q->ring.extract = q->ring.insert;
			tyrc_list_for_each_entry(job, &q->inflight, node) {
				if (job->ring_end) {
					q->ring.extract = job->ring_start;
					break;
				}
			}
		}
	}
	__atomic_store_n(&sched->irq_pending, 0, __ATOMIC_RELEASE);
	tyrc_mutex_unlock(&sched->lock);
	tyrc_sched_finish_jobs(&done);
}

void tyrc_sched_post_reset(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);

	if (!sched)
		return;
	tyrc_mutex_lock(&sched->lock);
	sched->stopped = false;
	/* A reset (or resume) brought the GPU and the firmware up. */
	sched->pm_suspended = false;
	sched->pm_idle_at = 0;
	tyrc_mutex_unlock(&sched->lock);
	tyrc_sched_kick(sched);
}

void tyrc_sched_suspend(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);
	u64 now = tyrc_ktime_get_ns();

	if (!sched)
		return;
	tyrc_mutex_lock(&sched->lock);
	if (sched->pm_suspended) {
		/* Runtime-suspended already: power up so the caller's halt finds an MCU. */
		tyrc_sched_pm_resume_locked(sched);
	}
	tyrc_sched_suspend_slots_locked(sched, tyrc_sched_resident_mask_locked(sched), now);
	sched->stopped = true;
	tyrc_mutex_unlock(&sched->lock);
	tyrc_cancel_delayed_work_sync(&sched->work);
}

u32 tyrc_sched_pm_cycles(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);

	return sched ? __atomic_load_n(&sched->pm_cycles, __ATOMIC_RELAXED) : 0;
}

bool tyrc_sched_pm_suspended(struct tyrc_device *dev)
{
	struct tyrc_sched *sched = to_sched(dev);
	bool suspended;

	if (!sched)
		return false;
	tyrc_mutex_lock(&sched->lock);
	suspended = sched->pm_suspended;
	tyrc_mutex_unlock(&sched->lock);
	return suspended;
}

void tyrc_sched_report_irq(struct tyrc_device *dev, u32 csg_mask)
{
	struct tyrc_sched *sched = to_sched(dev);

	if (!sched)
		return;
	__atomic_fetch_or(&sched->irq_pending, csg_mask, __ATOMIC_RELEASE);
	tyrc_sched_kick(sched);
}

/* ---- Groups ---- */

int tyrc_sched_group_create(struct tyrc_group *group, struct tyrc_sched_group **out)
{
	struct tyrc_device *dev = tyrc_group_device(group);
	struct tyrc_sched *sched = to_sched(dev);
	u32 count = tyrc_group_queue_count(group);
	struct tyrc_kbo *syncobjs = tyrc_group_syncobjs(group);
	struct tyrc_sched_group *sg;

	if (!sched)
		return -ENODEV;
	sg = calloc(1, sizeof(*sg) + count * sizeof(sg->queues[0]));
	if (!sg)
		return -ENOMEM;
	sg->sched = sched;
	sg->group = group;
	sg->slot = -1;
	sg->queue_count = count;
	for (u32 i = 0; i < count; i++) {
		struct tyrc_sched_queue *q = &sg->queues[i];
		struct tyrc_kbo *ring = tyrc_group_ringbuf(group, i);
		int ret;

		q->sg = sg;
		q->index = i;
		q->iface = tyrc_group_queue_iface(group, i);
		q->sync_seqno =
			(u64 *)((u8 *)tyrc_kbo_vaddr(syncobjs) + i * TYRC_GROUP_SYNCOBJ_SIZE);
		q->sync_va = tyrc_kbo_va(syncobjs) + i * TYRC_GROUP_SYNCOBJ_SIZE;
		q->fence_ctx = tyrc_dma_fence_context_alloc(1);
		q->timeout_left = (u64)dev->cfg.job_timeout_ms * NSEC_PER_MSEC;
		q->profile = tyrc_kbo_vaddr(tyrc_group_profile_slots(group, i));
		q->profile_va = tyrc_kbo_va(tyrc_group_profile_slots(group, i));
		q->profile_count = (u32)(tyrc_kbo_size(ring) / TYRC_GROUP_PROFILE_RING_BYTES);
		tyrc_list_init(&q->pending);
		tyrc_list_init(&q->inflight);
		ret = tyrc_ring_init(&q->ring, tyrc_kbo_vaddr(ring), tyrc_kbo_va(ring),
				     (u32)tyrc_kbo_size(ring), sched->cs_reg_count, 0);
		if (ret) {
			free(sg);
			return ret;
		}
	}
	tyrc_mutex_lock(&sched->lock);
	tyrc_list_add_tail(&sg->link, &sched->groups);
	tyrc_mutex_unlock(&sched->lock);
	*out = sg;
	return 0;
}

void tyrc_sched_group_destroy(struct tyrc_sched_group *sg)
{
	struct tyrc_sched *sched;
	struct tyrc_list_head done;

	if (!sg)
		return;
	sched = sg->sched;
	tyrc_list_init(&done);
	tyrc_mutex_lock(&sched->lock);
	if (!sg->dead)
		tyrc_sched_kill_locked(sched, sg, 0, 0, !sched->stopped, &done);
	else
		tyrc_sched_release_slot_locked(sched, sg);
	tyrc_list_del_init(&sg->link);
	tyrc_mutex_unlock(&sched->lock);
	tyrc_sched_finish_jobs(&done);
	/* Its slot may go to a group that waits. */
	tyrc_sched_kick(sched);
}

void tyrc_sched_group_free(struct tyrc_sched_group *sg)
{
	free(sg);
}

bool tyrc_sched_group_resident(struct tyrc_sched_group *sg)
{
	bool resident;

	tyrc_mutex_lock(&sg->sched->lock);
	resident = sg->slot >= 0;
	tyrc_mutex_unlock(&sg->sched->lock);
	return resident;
}

void tyrc_sched_group_get_state(struct tyrc_sched_group *sg, u32 *state, u32 *fatal_queues)
{
	tyrc_mutex_lock(&sg->sched->lock);
	*state = sg->state;
	*fatal_queues = sg->fatal_queues;
	tyrc_mutex_unlock(&sg->sched->lock);
}

/* ---- GROUP_SUBMIT ---- */

/* panthor_job_create()'s checks of one queue submission. */
static int tyrc_sched_check_submit(const struct drm_panthor_queue_submit *qs,
				   struct tyrc_sched_group *sg)
{
	if (qs->pad)
		return -EINVAL;
	if ((qs->stream_size == 0) != (qs->stream_addr == 0))
		return -EINVAL;
	if (qs->stream_addr & (TYRC_RING_STREAM_ALIGN - 1) || qs->stream_size & 7)
		return -EINVAL;
	if (qs->latest_flush & TYRC_SCHED_FLUSH_ID_RSVD)
		return -EINVAL;
	if (qs->queue_index >= sg->queue_count)
		return -EINVAL;
	return 0;
}

static int tyrc_job_create(struct tyrc_sched_group *sg, const struct drm_panthor_queue_submit *qs,
			   u32 nr_deps, struct tyrc_job **out)
{
	struct tyrc_sched_queue *q = &sg->queues[qs->queue_index];
	struct tyrc_job *job = calloc(1, sizeof(*job));

	if (!job)
		return -ENOMEM;
	tyrc_list_init(&job->node);
	job->queue = q;
	job->ring_job = (struct tyrc_ring_job){
		.stream_addr = qs->stream_addr,
		.stream_size = qs->stream_size,
		.latest_flush = qs->latest_flush,
		.sync_addr = q->sync_va,
	};
	job->done = calloc(1, sizeof(*job->done));
	if (!job->done || tyrc_job_deps_alloc(&job->deps, nr_deps)) {
		tyrc_job_free(job);
		return -ENOMEM;
	}
	*out = job;
	return 0;
}

/* Arm every job, hand its fence to @ctx and queue it. Called with the lock. */
static void tyrc_sched_push_locked(struct tyrc_submit_ctx *ctx, struct tyrc_job **jobs, u32 count)
{
	for (u32 j = 0; j < count; j++) {
		struct tyrc_job *job = jobs[j];
		struct tyrc_sched_queue *q = job->queue;

		tyrc_dma_fence_init64(job->done, &tyrc_job_fence_ops, NULL, q->fence_ctx,
				      ++q->fence_seqno);
		job->armed = true;
		tyrc_submit_ctx_set_job_fence(ctx, j, job->done);
		tyrc_list_add_tail(&job->node, &q->pending);
		/* The callback takes the lock: it cannot run before we unlock. */
		tyrc_submit_ctx_hook_deps(ctx, j, &job->deps, tyrc_job_dep_cb);
	}
}

static int tyrc_sched_submit(struct tyrc_file *file, struct tyrc_group *group,
			     const struct drm_panthor_queue_submit *qs, u32 count)
{
	struct tyrc_sched_group *sg = tyrc_group_sched(group);
	struct tyrc_sched *sched = sg->sched;
	struct tyrc_submit_ctx ctx;
	struct tyrc_job **jobs;
	bool pushed = false;
	int ret;

	jobs = calloc(count, sizeof(*jobs));
	if (!jobs)
		return -ENOMEM;
	ret = tyrc_submit_ctx_init(&ctx, file, count);
	if (ret)
		goto out_free;
	for (u32 j = 0; j < count; j++) {
		ret = tyrc_sched_check_submit(&qs[j], sg);
		if (ret)
			goto out;
		ret = tyrc_submit_ctx_add_syncs(&ctx, j, &qs[j].syncs);
		if (ret)
			goto out;
		ret = tyrc_job_create(sg, &qs[j], tyrc_submit_ctx_wait_count(&ctx, j), &jobs[j]);
		if (ret)
			goto out;
	}
	ret = tyrc_submit_ctx_prepare(&ctx);
	if (ret)
		goto out;

	tyrc_mutex_lock(&sched->lock);
	if (sg->dead) {
		/* A fatal error, a timeout or GROUP_DESTROY came first (group_can_run()). */
		tyrc_mutex_unlock(&sched->lock);
		ret = -EINVAL;
		goto out;
	}
	tyrc_sched_push_locked(&ctx, jobs, count);
	tyrc_mutex_unlock(&sched->lock);
	pushed = true; /* the queues own the jobs now */
	tyrc_sched_kick(sched);
	/* Nothing can fail from here. */
	tyrc_submit_ctx_publish(&ctx);

out:
	tyrc_submit_ctx_cleanup(&ctx);
out_free:
	for (u32 j = 0; j < count && !pushed; j++)
		if (jobs[j])
			tyrc_job_free(jobs[j]);
	free(jobs);
	return ret;
}

int tyrc_ioctl_group_submit(struct tyrc_file *file, void *data)
{
	struct drm_panthor_group_submit *args = data;
	struct drm_panthor_queue_submit *qs = NULL;
	struct tyrc_group *group;
	int ret;

	if (args->pad)
		return -EINVAL;
	if (!args->queue_submits.count)
		return 0;
	ret = tyrc_uobj_get_array(
		(void **)&qs, sizeof(*qs), TYRC_OFFSETOFEND(struct drm_panthor_queue_submit, syncs),
		args->queue_submits.stride, args->queue_submits.count, args->queue_submits.array);
	if (ret)
		return ret;
	group = tyrc_group_lookup(file, args->group_handle);
	if (!group) {
		free(qs);
		return -EINVAL;
	}
	ret = tyrc_sched_submit(file, group, qs, args->queue_submits.count);
	tyrc_group_put(group);
	free(qs);
	return ret;
}
