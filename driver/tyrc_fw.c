// SPDX-License-Identifier: MIT
/* CSF firmware: load, map into the MCU VM, boot, global interface, watchdog, halt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyrc/firmware.h>
#include "tyrc_device.h"
#include "tyrc_fw.h"
#include "tyrc_fw_format.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"
#include "tyrc_gpu_regs.h"
#include "tyrc_irq.h"
#include "tyrc_job_regs.h"
#include "tyrc_kva.h"
#include "tyrc_mmu.h"
#include "tyrc_pgtable.h"
#include "tyrc_sched.h"

/* Global interface programming (panthor_fw.c). */
#define TYRC_FW_POWEROFF_TIMER_US 10000
#define TYRC_FW_IDLE_TIMER_US 800
#define TYRC_FW_PROGRESS_TIMER ((5u * 500u * 1024u * 1024u) >> 10)
#define TYRC_FW_GLB_IRQ_MASK                                                             \
	(GLB_CFG_ALLOC_EN | GLB_PING | GLB_CFG_PROGRESS_TIMER | GLB_CFG_POWEROFF_TIMER | \
	 GLB_IDLE_EN | GLB_IDLE)
/* Requests global init waits for; COUNTER_EN since driver 1.6. */
#define TYRC_FW_GLB_INIT_REQS \
	(GLB_CFG_ALLOC_EN | GLB_CFG_POWEROFF_TIMER | GLB_CFG_PROGRESS_TIMER | GLB_COUNTER_EN)
/* CSG slots: at most one per distinct firmware priority (panthor's MAX_CSG_PRIO + 1). */
#define TYRC_FW_MAX_CSG_SLOTS 16u
/* MCU status polls: 10 us steps (halt), as panthor. */
#define TYRC_FW_POLL_US 10

/** struct tyrc_fw_mem - one section's pages in the MCU VM. */
struct tyrc_fw_mem {
	const struct tyrc_fw_section *section;
	u32 npages;
	/** @pages: physical page of each 4 KiB of the section. */
	u64 *pages;
};

/** struct tyrc_fw_iface - host pointers to one interface's blocks in the shared section. */
struct tyrc_fw_iface {
	const void *control;
	void *input;
	const void *output;
};

/** struct tyrc_fw - the firmware and its interfaces. */
struct tyrc_fw {
	struct tyrc_device *dev;
	const struct tyrc_firmware *blob;
	struct tyrc_fw_image img;
	/** @vm: the MCU VM, bound to AS 0 while the firmware runs. */
	struct tyrc_mmu_vm *vm;
	bool vm_active;
	struct tyrc_fw_mem *mem;
	unsigned int nmem;
	/** @shared: host view (vmap) of the shared section; @shared_va/@shared_size its MCU range. */
	u8 *shared;
	u32 shared_va;
	u32 shared_size;
	/** @irq: the JOB interrupt block (firmware interrupts). */
	struct tyrc_irq irq;
	bool irq_requested;
	/** @wq: woken on every JOB interrupt: boot, acks, events. */
	struct tyrc_waitqueue wq;
	/** @booted: GLOBAL_IF seen since the last boot request (read with READ_ONCE). */
	bool booted;
	/** @req_lock: serialises host updates of GLB_REQ. Taken after @iface_lock. */
	struct tyrc_mutex req_lock;
	/**
	 * @iface_lock: protects @glb, @csg, @cs, @group_num, @stream_num and
	 * @cs_features, which every boot re-publishes, against readers on other
	 * threads (JOB IRQ handler, info queries). The booting thread itself
	 * reads them without it.
	 */
	struct tyrc_mutex iface_lock;
	struct tyrc_fw_iface glb;
	struct tyrc_fw_iface *csg;
	/** @cs: @group_num × @stream_num CS interfaces, CSG-major. */
	struct tyrc_fw_iface *cs;
	u32 group_num;
	u32 stream_num;
	u32 cs_features;
	/** @workq: ordered queue for the watchdog. */
	struct tyrc_workqueue *workq;
	struct tyrc_delayed_work ping_work;
	/** @watchdog_on: the ping work may (re)arm itself (read with READ_ONCE). */
	bool watchdog_on;
	/** @ping_count: acknowledged pings (atomic). */
	u32 ping_count;
	/** @kva: the MCU auto window (own lock), sections reserved; NULL before load. */
	struct tyrc_kva_range *kva;
};

static struct tyrc_fw *to_fw(struct tyrc_device *dev)
{
	return dev->fw;
}

/* Host pointer for an MCU VA range inside the shared section, or NULL. */
static void *tyrc_fw_shared_ptr(struct tyrc_fw *fw, u32 va, u32 size)
{
	if (va < fw->shared_va || size > fw->shared_size ||
	    va - fw->shared_va > fw->shared_size - size)
		return NULL;
	return fw->shared + (va - fw->shared_va);
}

static u32 tyrc_fw_prot(const struct tyrc_fw_section *s)
{
	u32 prot = TYRC_PROT_READ;

	if (!s->read_only)
		prot |= TYRC_PROT_WRITE;
	if (s->no_exec)
		prot |= TYRC_PROT_NOEXEC;
	if (!s->uncached)
		prot |= TYRC_PROT_CACHE;
	return prot;
}

/* (Re)write a section's contents: the file's data, then zeroes if ZERO. */
static void tyrc_fw_fill_section(struct tyrc_fw *fw, struct tyrc_fw_mem *mem)
{
	const struct tyrc_fw_section *s = mem->section;
	struct tyrc_ram *ram = fw->dev->platform.ram;
	u32 data_len = s->data_end - s->data_start;

	for (u32 i = 0; i < mem->npages; i++) {
		u8 *page = tyrc_ram_phys_to_virt(ram, mem->pages[i]);
		u32 off = i * TYRC_PAGE_SIZE;
		u32 copy = off < data_len ? tyrc_min(data_len - off, (u32)TYRC_PAGE_SIZE) : 0;

		memcpy(page, fw->blob->data + s->data_start + off, copy);
		if (s->zero_fill)
			memset(page + copy, 0, TYRC_PAGE_SIZE - copy);
	}
}

static int tyrc_fw_load_section(struct tyrc_fw *fw, struct tyrc_fw_mem *mem)
{
	const struct tyrc_fw_section *s = mem->section;
	struct tyrc_ram *ram = fw->dev->platform.ram;
	int ret;

	mem->npages = (s->va_end - s->va_start) / TYRC_PAGE_SIZE;
	mem->pages = calloc(mem->npages ? mem->npages : 1, sizeof(*mem->pages));
	if (!mem->pages)
		return -ENOMEM;
	for (u32 i = 0; i < mem->npages; i++) {
		ret = tyrc_ram_alloc_pages(ram, 0, TYRC_GFP_ZERO, &mem->pages[i]);
		if (ret)
			return ret;
		ret = tyrc_mmu_vm_map(fw->vm, s->va_start + (u64)i * TYRC_PAGE_SIZE, mem->pages[i],
				      TYRC_PAGE_SIZE, tyrc_fw_prot(s));
		if (ret)
			return ret;
	}
	tyrc_fw_fill_section(fw, mem);

	if (s->shared) {
		fw->shared = tyrc_ram_vmap(ram, mem->pages, mem->npages);
		if (!fw->shared)
			return -ENOMEM;
		fw->shared_va = s->va_start;
		fw->shared_size = s->va_end - s->va_start;
	}
	return 0;
}

static void tyrc_fw_free_sections(struct tyrc_fw *fw)
{
	struct tyrc_ram *ram = fw->dev->platform.ram;

	for (unsigned int m = 0; m < fw->nmem; m++) {
		struct tyrc_fw_mem *mem = &fw->mem[m];

		for (u32 i = 0; mem->pages && i < mem->npages && mem->pages[i]; i++) {
			tyrc_mmu_vm_unmap(fw->vm, mem->section->va_start + (u64)i * TYRC_PAGE_SIZE,
					  TYRC_PAGE_SIZE);
			tyrc_ram_free_pages(ram, mem->pages[i], 0);
		}
		free(mem->pages);
	}
	free(fw->mem);
	fw->mem = NULL;
	fw->nmem = 0;
}

/* Reserve (or give back) the part of every section inside the MCU auto window. */
static void tyrc_fw_kva_sections(struct tyrc_fw *fw, bool reserve)
{
	for (unsigned int i = 0; i < fw->nmem; i++) {
		const struct tyrc_fw_section *s = fw->mem[i].section;
		u64 start = tyrc_max((u64)s->va_start, (u64)TYRC_FW_KVA_START);
		u64 end = tyrc_min((u64)s->va_end, (u64)TYRC_FW_KVA_END);

		if (start >= end)
			continue;
		if (reserve)
			TYRC_WARN_ON(tyrc_kva_range_reserve(fw->kva, start, end - start));
		else
			TYRC_WARN_ON(tyrc_kva_range_free(fw->kva, start, end - start));
	}
}

static int tyrc_fw_kva_init(struct tyrc_fw *fw)
{
	int ret = tyrc_kva_range_create(TYRC_FW_KVA_START, TYRC_FW_KVA_END - TYRC_FW_KVA_START,
					&fw->kva);

	if (ret)
		return ret;
	tyrc_fw_kva_sections(fw, true);
	return 0;
}

static int tyrc_fw_load(struct tyrc_fw *fw)
{
	struct tyrc_device *dev = fw->dev;
	char name[64], err[160];
	int ret;

	snprintf(name, sizeof(name), "arm/mali/arch%u.%u/mali_csffw.bin",
		 (u32)FIELD_GET(GPU_ID_ARCH_MAJOR, dev->gpu_info.gpu_id),
		 (u32)FIELD_GET(GPU_ID_ARCH_MINOR, dev->gpu_info.gpu_id));
	ret = tyrc_request_firmware(&fw->blob, name, dev->cfg.firmware_path);
	if (ret) {
		tyrc_err("firmware %s: %s", name,
			 ret == -ENOENT ? "not found on the firmware search path" : strerror(-ret));
		return ret;
	}
	ret = tyrc_fw_image_parse(fw->blob->data, fw->blob->size, &fw->img, err, sizeof(err));
	if (ret) {
		tyrc_err("firmware %s: invalid image: %s", fw->blob->path, err);
		return ret;
	}
	tyrc_info("firmware %s: %u sections, git_sha: %s", fw->blob->path, fw->img.section_count,
		  fw->img.has_git_sha ? fw->img.git_sha : "(none)");

	ret = tyrc_mmu_vm_create(dev, TYRC_MMU_MCU_VA_SIZE, true, &fw->vm);
	if (ret)
		return ret;
	fw->mem = calloc(fw->img.section_count ? fw->img.section_count : 1, sizeof(*fw->mem));
	if (!fw->mem)
		return -ENOMEM;
	for (unsigned int i = 0; i < fw->img.section_count; i++) {
		fw->mem[i].section = &fw->img.sections[i];
		fw->nmem = i + 1;
		ret = tyrc_fw_load_section(fw, &fw->mem[i]);
		if (ret) {
			tyrc_err("firmware: cannot place section %u at 0x%x: %s", i,
				 fw->img.sections[i].va_start, strerror(-ret));
			return ret;
		}
	}
	return tyrc_fw_kva_init(fw);
}

struct tyrc_mmu_vm *tyrc_fw_mcu_vm(struct tyrc_device *dev)
{
	return to_fw(dev)->vm;
}

struct tyrc_kva_range *tyrc_fw_kva(struct tyrc_device *dev)
{
	return to_fw(dev)->kva;
}

static void tyrc_fw_irq_handler(struct tyrc_device *dev, u32 status)
{
	struct tyrc_fw *fw = to_fw(dev);

	if (status & JOB_INT_GLOBAL_IF) {
		tyrc_mutex_lock(&fw->iface_lock);
		if (!READ_ONCE(fw->booted)) {
			WRITE_ONCE(fw->booted, true);
		} else if (fw->glb.output) {
			const struct csf_glb_output *out = fw->glb.output;
			struct csf_glb_input *in = fw->glb.input;
			u32 events;

			/* Acknowledge firmware events by copying their ack bits into req. */
			tyrc_mutex_lock(&fw->req_lock);
			events = (READ_ONCE(in->req) ^ READ_ONCE(out->ack)) & GLB_EVT_MASK;
			if (events)
				WRITE_ONCE(in->req, csf_req_set_field(READ_ONCE(in->req),
								      READ_ONCE(out->ack), events));
			tyrc_mutex_unlock(&fw->req_lock);
		}
		tyrc_mutex_unlock(&fw->iface_lock);
	}
	if (status & ~JOB_INT_GLOBAL_IF)
		tyrc_sched_report_irq(dev, status & ~JOB_INT_GLOBAL_IF);
	tyrc_wake_up_all(&fw->wq);
}

static void tyrc_fw_ring_glb(struct tyrc_fw *fw)
{
	tyrc_iowrite32(fw->dev->iomem, CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
}

/* Toggle the request bits @reqs and set the level bits @mask to @val, in one GLB_REQ write. */
static void tyrc_fw_glb_request(struct tyrc_fw *fw, u32 reqs, u32 val, u32 mask)
{
	const struct csf_glb_output *out = fw->glb.output;
	struct csf_glb_input *in = fw->glb.input;
	u32 req;

	tyrc_mutex_lock(&fw->req_lock);
	req = csf_req_toggle(READ_ONCE(in->req), READ_ONCE(out->ack), reqs);
	WRITE_ONCE(in->req, csf_req_set_field(req, val, mask));
	tyrc_mutex_unlock(&fw->req_lock);
	tyrc_fw_ring_glb(fw);
}

static bool tyrc_fw_glb_acked(struct tyrc_fw *fw, u32 mask)
{
	const struct csf_glb_output *out = fw->glb.output;
	const struct csf_glb_input *in = fw->glb.input;

	return !csf_req_pending(READ_ONCE(in->req), READ_ONCE(out->ack), mask);
}

static int tyrc_fw_glb_wait(struct tyrc_fw *fw, u32 mask, u32 timeout_ms, const char *what)
{
	if (tyrc_wait_event_timeout(&fw->wq, tyrc_fw_glb_acked(fw, mask),
				    (u64)timeout_ms * NSEC_PER_MSEC))
		return 0;
	tyrc_err("firmware: %s not acknowledged within %u ms (req 0x%x ack 0x%x)", what, timeout_ms,
		 READ_ONCE(((struct csf_glb_input *)fw->glb.input)->req),
		 READ_ONCE(((const struct csf_glb_output *)fw->glb.output)->ack));
	return -ETIMEDOUT;
}

/* Arch-timer ticks in units of 1024, rounded up (panthor's conversion). */
static u32 tyrc_fw_timer_ticks(struct tyrc_fw *fw, u64 us)
{
	u64 rate = fw->dev->platform.timestamp_frequency_hz;
	u64 ticks = (us * rate + 1000000ULL * 1024 - 1) / (1000000ULL * 1024);

	return (u32)tyrc_min(ticks, (u64)GLB_TIMER_VAL);
}

static int tyrc_fw_boot(struct tyrc_fw *fw)
{
	struct tyrc_device *dev = fw->dev;
	u32 timeout_ms = dev->cfg.fw_boot_timeout_ms;

	WRITE_ONCE(fw->booted, false);
	tyrc_iowrite32(dev->iomem, MCU_CONTROL, MCU_CONTROL_AUTO);
	if (tyrc_wait_event_timeout(&fw->wq, READ_ONCE(fw->booted),
				    (u64)timeout_ms * NSEC_PER_MSEC))
		return 0;
	/* Like panthor, trust RAWSTAT if the interrupt itself got lost. */
	if (tyrc_ioread32(dev->iomem, JOB_INT_RAWSTAT) & JOB_INT_GLOBAL_IF) {
		WRITE_ONCE(fw->booted, true);
		return 0;
	}
	tyrc_err("firmware: MCU did not boot within %u ms (MCU_STATUS %u)", timeout_ms,
		 tyrc_ioread32(dev->iomem, MCU_STATUS));
	return -ETIMEDOUT;
}

/* Resolve one interface's input/output VAs; both must lie in the shared section. */
static int tyrc_fw_iface_resolve(struct tyrc_fw *fw, struct tyrc_fw_iface *iface,
				 const void *control, u32 input_va, u32 output_va, u32 in_size,
				 u32 out_size, const char *what)
{
	iface->control = control;
	iface->input = tyrc_fw_shared_ptr(fw, input_va, in_size);
	iface->output = tyrc_fw_shared_ptr(fw, output_va, out_size);
	if (!iface->input || !iface->output) {
		tyrc_err("firmware: %s input 0x%x / output 0x%x outside the shared section", what,
			 input_va, output_va);
		return -EINVAL;
	}
	return 0;
}

/* Read and check the interface tables the firmware published (panthor's checks). */
static int tyrc_fw_parse_ifaces(struct tyrc_fw *fw)
{
	const struct csf_glb_control *glb = tyrc_fw_shared_ptr(fw, fw->shared_va, sizeof(*glb));
	const struct csf_csg_control *csg0 = NULL;
	u32 version, group_stride;
	int ret;

	if (!glb)
		return -EINVAL;
	version = READ_ONCE(glb->version);
	if (!version) {
		tyrc_err("firmware: interface version 0 (the firmware did not boot properly)");
		return -EINVAL;
	}
	ret = tyrc_fw_iface_resolve(fw, &fw->glb, glb, READ_ONCE(glb->input_va),
				    READ_ONCE(glb->output_va), sizeof(struct csf_glb_input),
				    sizeof(struct csf_glb_output), "GLB");
	if (ret)
		return ret;

	fw->group_num = READ_ONCE(glb->group_num);
	group_stride = READ_ONCE(glb->group_stride);
	if (fw->group_num < CSF_MIN_GROUPS || fw->group_num > CSF_MAX_GROUPS) {
		tyrc_err("firmware: %u groups (want %u..%u)", fw->group_num, CSF_MIN_GROUPS,
			 CSF_MAX_GROUPS);
		return -EINVAL;
	}
	fw->csg = calloc(fw->group_num, sizeof(*fw->csg));
	if (!fw->csg)
		return -ENOMEM;

	for (u32 i = 0; i < fw->group_num; i++) {
		const struct csf_csg_control *csg = tyrc_fw_shared_ptr(
			fw, fw->shared_va + CSF_CSG_CONTROL_OFFSET + i * group_stride,
			sizeof(*csg));
		u32 stream_stride;

		if (!csg || group_stride < sizeof(*csg)) {
			tyrc_err("firmware: CSG %u control block outside the shared section", i);
			return -EINVAL;
		}
		ret = tyrc_fw_iface_resolve(fw, &fw->csg[i], csg, READ_ONCE(csg->input_va),
					    READ_ONCE(csg->output_va), sizeof(struct csf_csg_input),
					    sizeof(struct csf_csg_output), "CSG");
		if (ret)
			return ret;
		if (!csg0) {
			csg0 = csg;
			fw->stream_num = READ_ONCE(csg->stream_num);
			if (fw->stream_num < CSF_MIN_STREAMS || fw->stream_num > CSF_MAX_STREAMS) {
				tyrc_err("firmware: %u streams per group (want %u..%u)",
					 fw->stream_num, CSF_MIN_STREAMS, CSF_MAX_STREAMS);
				return -EINVAL;
			}
			fw->cs = calloc((size_t)fw->group_num * fw->stream_num, sizeof(*fw->cs));
			if (!fw->cs)
				return -ENOMEM;
		} else if (READ_ONCE(csg->features) != READ_ONCE(csg0->features) ||
			   READ_ONCE(csg->suspend_size) != READ_ONCE(csg0->suspend_size) ||
			   READ_ONCE(csg->protm_suspend_size) !=
				   READ_ONCE(csg0->protm_suspend_size) ||
			   READ_ONCE(csg->stream_num) != fw->stream_num) {
			tyrc_err("firmware: CSG %u differs from CSG 0", i);
			return -EINVAL;
		}

		stream_stride = READ_ONCE(csg->stream_stride);
		for (u32 j = 0; j < fw->stream_num; j++) {
			const struct csf_cs_control *cs =
				(const void *)((const u8 *)csg + CSF_CS_CONTROL_OFFSET +
					       (size_t)j * stream_stride);
			u32 cs_va = fw->shared_va + (u32)((const u8 *)cs - fw->shared);

			if (stream_stride < sizeof(*cs) ||
			    !tyrc_fw_shared_ptr(fw, cs_va, sizeof(*cs))) {
				tyrc_err(
					"firmware: CS %u.%u control block outside the shared section",
					i, j);
				return -EINVAL;
			}
			if (!i && !j)
				fw->cs_features = READ_ONCE(cs->features);
			else if (READ_ONCE(cs->features) != fw->cs_features) {
				tyrc_err("firmware: CS %u.%u features differ", i, j);
				return -EINVAL;
			}
			ret = tyrc_fw_iface_resolve(
				fw, &fw->cs[i * fw->stream_num + j], cs, READ_ONCE(cs->input_va),
				READ_ONCE(cs->output_va), sizeof(struct csf_cs_input),
				sizeof(struct csf_cs_output), "CS");
			if (ret)
				return ret;
		}
	}
	tyrc_info("firmware: interface v%u.%u.%u, %u groups x %u streams, features 0x%x, "
		  "instrumentation features 0x%x",
		  CSF_IFACE_VERSION_MAJOR(version), CSF_IFACE_VERSION_MINOR(version),
		  CSF_IFACE_VERSION_PATCH(version), fw->group_num, fw->stream_num,
		  READ_ONCE(glb->features), READ_ONCE(glb->instr_features));
	return 0;
}

/* Program the global interface: cores, timers, interrupts, idle notifications. */
static int tyrc_fw_glb_init(struct tyrc_fw *fw)
{
	struct csf_glb_input *in = fw->glb.input;

	WRITE_ONCE(in->core_en_mask, fw->dev->gpu_info.shader_present);
	WRITE_ONCE(in->poweroff_timer, tyrc_fw_timer_ticks(fw, TYRC_FW_POWEROFF_TIMER_US));
	WRITE_ONCE(in->progress_timer, TYRC_FW_PROGRESS_TIMER);
	WRITE_ONCE(in->idle_timer, tyrc_fw_timer_ticks(fw, TYRC_FW_IDLE_TIMER_US));
	WRITE_ONCE(in->ack_irq_mask, TYRC_FW_GLB_IRQ_MASK);
	tyrc_fw_glb_request(fw, TYRC_FW_GLB_INIT_REQS, GLB_IDLE_EN, GLB_IDLE_EN);
	return tyrc_fw_glb_wait(fw, TYRC_FW_GLB_INIT_REQS | GLB_IDLE_EN,
				fw->dev->cfg.fw_req_timeout_ms, "global interface setup");
}

int tyrc_fw_ping(struct tyrc_device *dev)
{
	struct tyrc_fw *fw = to_fw(dev);
	int ret;

	tyrc_fw_glb_request(fw, GLB_PING, 0, 0);
	ret = tyrc_fw_glb_wait(fw, GLB_PING, dev->cfg.fw_ping_timeout_ms, "PING");
	if (!ret)
		__atomic_fetch_add(&fw->ping_count, 1, __ATOMIC_RELAXED);
	return ret;
}

struct csf_csg_input *tyrc_fw_csg_input(struct tyrc_device *dev, u32 slot)
{
	return to_fw(dev)->csg[slot].input;
}

const struct csf_csg_output *tyrc_fw_csg_output(struct tyrc_device *dev, u32 slot)
{
	return to_fw(dev)->csg[slot].output;
}

struct csf_cs_input *tyrc_fw_cs_input(struct tyrc_device *dev, u32 slot, u32 cs)
{
	struct tyrc_fw *fw = to_fw(dev);

	return fw->cs[slot * fw->stream_num + cs].input;
}

const struct csf_cs_output *tyrc_fw_cs_output(struct tyrc_device *dev, u32 slot, u32 cs)
{
	struct tyrc_fw *fw = to_fw(dev);

	return fw->cs[slot * fw->stream_num + cs].output;
}

void tyrc_fw_ring_csg_doorbells(struct tyrc_device *dev, u32 mask)
{
	struct tyrc_fw *fw = to_fw(dev);
	const struct csf_glb_output *out = fw->glb.output;
	struct csf_glb_input *in = fw->glb.input;

	tyrc_mutex_lock(&fw->req_lock);
	WRITE_ONCE(in->doorbell_req,
		   csf_req_toggle(READ_ONCE(in->doorbell_req), READ_ONCE(out->doorbell_ack), mask));
	tyrc_mutex_unlock(&fw->req_lock);
	tyrc_fw_ring_glb(fw);
}

static bool tyrc_fw_csg_acked(struct tyrc_fw *fw, u32 slot, u32 mask)
{
	const struct csf_csg_input *in = fw->csg[slot].input;
	const struct csf_csg_output *out = fw->csg[slot].output;

	return !csf_req_pending(READ_ONCE(in->req), READ_ONCE(out->ack), mask);
}

int tyrc_fw_csg_wait_acked(struct tyrc_device *dev, u32 slot, u32 mask, u32 timeout_ms)
{
	struct tyrc_fw *fw = to_fw(dev);

	if (tyrc_wait_event_timeout(&fw->wq, tyrc_fw_csg_acked(fw, slot, mask),
				    (u64)timeout_ms * NSEC_PER_MSEC))
		return 0;
	tyrc_err("firmware: CSG %u request 0x%x not acknowledged within %u ms", slot, mask,
		 timeout_ms);
	return -ETIMEDOUT;
}

static void tyrc_fw_ping_work(struct tyrc_work *work)
{
	struct tyrc_fw *fw = container_of(tyrc_to_delayed_work(work), struct tyrc_fw, ping_work);

	if (tyrc_fw_ping(fw->dev)) {
		tyrc_err("firmware: watchdog ping missed, resetting the GPU");
		WRITE_ONCE(fw->watchdog_on, false);
		tyrc_device_schedule_reset(fw->dev);
		return;
	}
	if (READ_ONCE(fw->watchdog_on))
		tyrc_queue_delayed_work(fw->workq, &fw->ping_work,
					(u64)fw->dev->cfg.fw_ping_interval_ms * NSEC_PER_MSEC);
}

static void tyrc_fw_watchdog_start(struct tyrc_fw *fw)
{
	if (!fw->dev->cfg.fw_ping_interval_ms)
		return;
	WRITE_ONCE(fw->watchdog_on, true);
	tyrc_mod_delayed_work(fw->workq, &fw->ping_work,
			      (u64)fw->dev->cfg.fw_ping_interval_ms * NSEC_PER_MSEC);
}

static void tyrc_fw_watchdog_stop(struct tyrc_fw *fw)
{
	WRITE_ONCE(fw->watchdog_on, false);
	tyrc_cancel_delayed_work_sync(&fw->ping_work);
}

/* Boot the MCU, check its tables, program it and start the watchdog. */
static int tyrc_fw_start(struct tyrc_fw *fw)
{
	int ret;

	tyrc_mutex_lock(&fw->iface_lock);
	free(fw->csg);
	free(fw->cs);
	fw->csg = NULL;
	fw->cs = NULL;
	fw->glb = (struct tyrc_fw_iface){ 0 };
	fw->group_num = fw->stream_num = fw->cs_features = 0;
	tyrc_mutex_unlock(&fw->iface_lock);

	tyrc_irq_resume(&fw->irq, ~0u);
	ret = tyrc_fw_boot(fw);
	if (!ret) {
		tyrc_mutex_lock(&fw->iface_lock);
		ret = tyrc_fw_parse_ifaces(fw);
		tyrc_mutex_unlock(&fw->iface_lock);
	}
	if (!ret)
		ret = tyrc_fw_glb_init(fw);
	if (!ret)
		tyrc_fw_watchdog_start(fw);
	return ret;
}

/* Stop the MCU: MCU_CONTROL = DISABLE, wait for DISABLED. */
static int tyrc_fw_mcu_disable(struct tyrc_fw *fw)
{
	struct tyrc_device *dev = fw->dev;
	u32 status;
	int ret;

	tyrc_iowrite32(dev->iomem, MCU_CONTROL, MCU_CONTROL_DISABLE);
	ret = tyrc_ioread32_poll_timeout(dev->iomem, MCU_STATUS, status,
					 status == MCU_STATUS_DISABLED, TYRC_FW_POLL_US,
					 dev->cfg.fw_req_timeout_ms * 1000);
	if (ret)
		tyrc_err("firmware: MCU did not stop (MCU_STATUS %u)", status);
	return ret;
}

int tyrc_fw_suspend(struct tyrc_device *dev)
{
	struct tyrc_fw *fw = to_fw(dev);
	u32 status;
	int ret;

	tyrc_fw_watchdog_stop(fw);
	tyrc_fw_glb_request(fw, 0, GLB_HALT, GLB_HALT);
	ret = tyrc_ioread32_poll_timeout(dev->iomem, MCU_STATUS, status, status == MCU_STATUS_HALT,
					 TYRC_FW_POLL_US, dev->cfg.fw_halt_timeout_ms * 1000);
	if (ret)
		tyrc_err("firmware: MCU did not halt (MCU_STATUS %u)", status);
	tyrc_fw_mcu_disable(fw);
	tyrc_irq_suspend(&fw->irq);
	return ret;
}

int tyrc_fw_resume(struct tyrc_device *dev)
{
	struct tyrc_fw *fw = to_fw(dev);

	/* Fast restart: the sections are intact, only HALT must go before booting. */
	if (fw->glb.input)
		WRITE_ONCE(((struct csf_glb_input *)fw->glb.input)->req,
			   READ_ONCE(((struct csf_glb_input *)fw->glb.input)->req) & ~GLB_HALT);
	return tyrc_fw_start(fw);
}

void tyrc_fw_pre_reset(struct tyrc_device *dev, bool hung)
{
	struct tyrc_fw *fw = to_fw(dev);

	tyrc_fw_watchdog_stop(fw);
	if (!hung && fw->glb.input)
		tyrc_fw_suspend(dev);
	else
		tyrc_fw_mcu_disable(fw);
	tyrc_irq_suspend(&fw->irq);
}

int tyrc_fw_post_reset(struct tyrc_device *dev)
{
	struct tyrc_fw *fw = to_fw(dev);

	/* Slow reset: every section goes back to what the image says. */
	for (unsigned int m = 0; m < fw->nmem; m++)
		tyrc_fw_fill_section(fw, &fw->mem[m]);
	return tyrc_fw_start(fw);
}

int tyrc_fw_init(struct tyrc_device *dev)
{
	struct tyrc_fw *fw;
	int ret;

	fw = calloc(1, sizeof(*fw));
	if (!fw)
		return -ENOMEM;
	fw->dev = dev;
	tyrc_mutex_init(&fw->req_lock);
	tyrc_mutex_init(&fw->iface_lock);
	tyrc_waitqueue_init(&fw->wq);
	tyrc_delayed_work_init(&fw->ping_work, tyrc_fw_ping_work);
	dev->fw = fw;

	fw->workq = tyrc_workqueue_create("tyrc-fw", 1);
	if (!fw->workq) {
		ret = -ENOMEM;
		goto err_fini;
	}
	ret = tyrc_fw_load(fw);
	if (ret)
		goto err_fini;
	ret = tyrc_mmu_vm_activate(fw->vm);
	if (ret)
		goto err_fini;
	fw->vm_active = true;

	ret = tyrc_irq_request(dev, &fw->irq, dev->platform.irq_job, JOB_INT_RAWSTAT, ~0u,
			       tyrc_fw_irq_handler);
	if (ret)
		goto err_fini;
	fw->irq_requested = true;

	ret = tyrc_fw_start(fw);
	if (ret)
		goto err_fini;
	return 0;

err_fini:
	tyrc_fw_fini(dev);
	return ret;
}

void tyrc_fw_fini(struct tyrc_device *dev)
{
	struct tyrc_fw *fw = to_fw(dev);

	if (!fw)
		return;
	if (fw->workq)
		tyrc_fw_watchdog_stop(fw);
	if (fw->irq_requested) {
		/* A clean unplug halts a running MCU first, as panthor does. */
		if (fw->glb.input && READ_ONCE(fw->booted))
			tyrc_fw_suspend(dev);
		else
			tyrc_fw_mcu_disable(fw);
		tyrc_irq_release(&fw->irq);
	}
	/* Only now: the halt above cancels the watchdog on this queue again. */
	if (fw->workq)
		tyrc_workqueue_destroy(fw->workq);
	if (fw->vm_active)
		tyrc_mmu_vm_deactivate(fw->vm);
	tyrc_ram_vunmap(fw->shared, fw->shared_size / TYRC_PAGE_SIZE);
	if (fw->kva) {
		tyrc_fw_kva_sections(fw, false);
		tyrc_kva_range_destroy(fw->kva);
	}
	if (fw->vm) {
		tyrc_fw_free_sections(fw);
		tyrc_mmu_vm_destroy(fw->vm);
	}
	tyrc_fw_image_fini(&fw->img);
	tyrc_release_firmware(fw->blob);
	free(fw->csg);
	free(fw->cs);
	tyrc_waitqueue_destroy(&fw->wq);
	tyrc_mutex_destroy(&fw->iface_lock);
	tyrc_mutex_destroy(&fw->req_lock);
	free(fw);
	dev->fw = NULL;
}

void tyrc_fw_get_info(struct tyrc_device *dev, struct tyrc_fw_info *info)
{
	struct tyrc_fw *fw = to_fw(dev);
	const struct csf_glb_control *glb;

	*info = (struct tyrc_fw_info){ .git_sha = "" };
	if (!fw)
		return;
	info->git_sha = fw->img.has_git_sha ? fw->img.git_sha : "";
	info->path = fw->blob ? fw->blob->path : NULL;
	info->section_count = fw->img.section_count;
	info->ping_count = __atomic_load_n(&fw->ping_count, __ATOMIC_RELAXED);

	tyrc_mutex_lock(&fw->iface_lock);
	glb = fw->glb.control;
	if (glb) {
		info->iface_version = READ_ONCE(glb->version);
		info->instr_features = READ_ONCE(glb->instr_features);
		info->group_num = fw->group_num;
		info->stream_num = fw->stream_num;
		info->cs_reg_count = (u32)FIELD_GET(CS_FEATURES_WORK_REGS, fw->cs_features) + 1;
		info->scoreboard_count = (u32)FIELD_GET(CS_FEATURES_SCOREBOARDS, fw->cs_features);
	}
	if (glb && fw->csg && fw->csg[0].control) {
		const struct csf_csg_control *csg = fw->csg[0].control;

		info->suspend_size = READ_ONCE(csg->suspend_size);
		info->protm_suspend_size = READ_ONCE(csg->protm_suspend_size);
	}
	tyrc_mutex_unlock(&fw->iface_lock);
}

void tyrc_fw_csif_info(struct tyrc_device *dev, struct drm_panthor_csif_info *info)
{
	struct tyrc_fw_info fi;

	tyrc_fw_get_info(dev, &fi);
	*info = (struct drm_panthor_csif_info){
		.csg_slot_count = tyrc_min(fi.group_num, TYRC_FW_MAX_CSG_SLOTS),
		.cs_slot_count = fi.stream_num,
		.cs_reg_count = fi.cs_reg_count,
		.scoreboard_slot_count = fi.scoreboard_count,
		.unpreserved_cs_reg_count = CSF_UNPRESERVED_CS_REGS,
	};
}
