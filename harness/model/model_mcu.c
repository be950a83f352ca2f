// SPDX-License-Identifier: MIT
/*
 * DOC: MCU and firmware boot
 *
 * The CSF firmware is emulated, not executed: the MCU is a state machine
 * (enum model_mcu_state) that sees memory only as the real one does, through
 * address space 0 (model_mmu_translate_locked() / model_mmu_access_locked()
 * on AS 0: live configuration, TLB, faults), and talks to the host only
 * through the shared section, MCU_STATUS, JOB_INT and doorbells. This file
 * holds MCU_CONTROL, the boot, the doorbell pages and the MCU's memory
 * accessors; the global interface it serves once booted is model_glb.c.
 *
 * MCU_CONTROL. ENABLE (1) and AUTO (2) behave alike (the model has no MCU
 * power management): from DISABLED, HALT or FATAL they start a boot that
 * ends mcu_boot_ns later; written while the MCU boots or runs they only
 * change the register. DISABLE (0) stops the MCU at once: a pending boot,
 * doorbell response or idle timer is cancelled and MCU_STATUS reads
 * DISABLED. Other values are ignored (debug log). Every MCU_STATUS change
 * raises GPU_INT MCU_STATUS_CHANGED. A GPU reset stops the MCU when it
 * starts and returns MCU_CONTROL/MCU_STATUS to DISABLED when it completes;
 * while it runs nothing of the MCU progresses.
 *
 * Boot. At the end of the boot delay the MCU reads its reset block at VA 0
 * (the first 64 bytes) with a data read, then:
 *
 * - Our image (a valid struct tyrc_fw_ident there): the block's
 *   iface_version must be 1.1.0, the one the emulation implements; the same
 *   bytes are fetched again as instructions (EXECUTE access: the code
 *   section must be executable); the data section at TYRC_FW_DATA_VA must
 *   read back the seed (TYRC_FW_DATA_SEED_MAGIC then byte i = i) followed
 *   by zeroes up to TYRC_FW_SECTION_SIZE, and be writable.
 * - Arm's image (no identification block): its shared section already holds
 *   tables (GLB control with version 0). They are accepted if plausible —
 *   group_num 3..31, stream_num 8..32, strides large enough for the blocks,
 *   every input/output block inside the shared section — and the MCU then
 *   boots "in the emulated way": it keeps the image's layout, group and
 *   stream counts and its GLB features/instr_features (0x71 in arch10.8),
 *   fills in what the real firmware computes at boot (CSG suspend sizes, CS
 *   features, as below) and writes version 1.1.0. VA 0 of Arm's image is not
 *   executable (its code runs at 0x00800000), so no fetch is checked there.
 *
 * In both cases every page of the shared section (the 64 KiB at
 * CSF_MCU_SHARED_REGION_START) must be mapped writable. Writability is
 * probed by translating for a write, which changes nothing. If a check
 * fails the MCU refuses to boot: a warning names the reason, MCU_STATUS
 * becomes FATAL and no JOB_INT is raised (panthor then times out waiting for
 * GLOBAL_IF and logs MCU_STATUS). An access that faults also records the
 * MMU fault on AS 0, as the real MCU's would. An access that stalls on AS
 * 0's locked region makes the MCU retry the boot MODEL_MCU_RETRY_NS later.
 *
 * On success the MCU writes the tables (our image) or completes them (Arm's),
 * sets the GLB output halt_status to 0, writes the GLB control `version`
 * last — it is what tells the host the tables are ready — then MCU_STATUS =
 * ENABLED and JOB_INT GLOBAL_IF, whatever the GLB ack_irq_mask says (panthor
 * waits for that interrupt before it programs the mask). The GLB output
 * `ack` is left as it is in memory: zero after a slow reset reloaded the
 * section, the values before the halt on a fast reboot, so the host's view
 * of pending requests stays consistent. Each boot reads everything again.
 *
 * Values published (csf-firmware.md §3): version 1.1.0, GLB features 0,
 * perfcnt_size 0, instr_features 0x71 (Arm's arch10.8 image); 8 CSGs with
 * features 0, suspend_size 32 KiB (a 4 KiB record per CS: registers, call
 * stack, scoreboards and in-flight operations; model_csg_suspend.c) and
 * protm_suspend_size 16 KiB (protected mode is not modelled), 8 CSs
 * each with features WORK_REGS 95 (96 registers), SCOREBOARDS 8, COMPUTE,
 * FRAGMENT and TILER.
 *
 * Shared-section map of our image (offsets from 0x04000000; the host
 * writes only the input blocks, each group of blocks on its own pages):
 *
 *   0x0000  GLB control                      0x20
 *   0x1000  CSG i control, stride 0xa0:      0x40 + 8 CS controls of 0xc
 *   0x2000  GLB input                        page
 *   0x3000  GLB output                       page
 *   0x4000  CSG i input, stride 0x100        8 x 0x58 used
 *   0x5000  CSG i output, stride 0x100       8 x 0x20 used
 *   0x6000  CS (i, j) input at 0x6000 + (8i + j) x 0x80
 *   0x8000  CS (i, j) output at 0x8000 + (8i + j) x 0x100
 *   0xc000  free, up to 0x10000
 *
 * Memory ordering: the host reads the shared section through its own CPU
 * mapping of the same RAM while the MCU writes it, so every table and
 * output word is written, and every input word read, as one 32-bit atomic
 * access (release stores, acquire loads), the discipline the page-table
 * walker uses for descriptors.
 *
 * Doorbells. A write of any value to the first word of doorbell page i
 * rings doorbell i. Doorbell 0 asks the running MCU to serve the GLB input
 * (model_glb.c); rung while the MCU is not running it is ignored. The queue
 * doorbells 1..15 wake the queues bound to them (model_csg.c).
 */
#include <stdarg.h>
#include <stdio.h>

#include "model_csg.h"
#include "tyrc_fw_format.h"

/* The interface version the emulation implements. */
#define MCU_IFACE_VERSION CSF_IFACE_VERSION(1, 1, 0)

#define MCU_SHARED_VA CSF_MCU_SHARED_REGION_START
#define MCU_SHARED_SIZE TYRC_FW_SECTION_SIZE

/* Our shared-section map (see the DOC above); offsets from MCU_SHARED_VA. */
#define MCU_GROUP_NUM 8u
#define MCU_STREAM_NUM 8u
#define MCU_STREAM_STRIDE ((u32)sizeof(struct csf_cs_control))
#define MCU_GROUP_STRIDE (CSF_CS_CONTROL_OFFSET + MCU_STREAM_NUM * MCU_STREAM_STRIDE)
#define MCU_GLB_INPUT 0x2000u
#define MCU_GLB_OUTPUT 0x3000u
#define MCU_CSG_INPUT 0x4000u
#define MCU_CSG_OUTPUT 0x5000u
#define MCU_CSG_BLOCK_STRIDE 0x100u
#define MCU_CS_INPUT 0x6000u
#define MCU_CS_INPUT_STRIDE 0x80u
#define MCU_CS_OUTPUT 0x8000u
#define MCU_CS_OUTPUT_STRIDE 0x100u
#define MCU_MAP_END (MCU_CS_OUTPUT + MCU_GROUP_NUM * MCU_STREAM_NUM * MCU_CS_OUTPUT_STRIDE)

static_assert(MCU_GROUP_STRIDE == 0xa0, "CSG control stride");
static_assert(CSF_CSG_CONTROL_OFFSET + MCU_GROUP_NUM * MCU_GROUP_STRIDE <= MCU_GLB_INPUT,
	      "CSG controls fit before the GLB input");
static_assert(sizeof(struct csf_glb_input) <= MCU_GLB_OUTPUT - MCU_GLB_INPUT, "GLB input");
static_assert(sizeof(struct csf_csg_input) <= MCU_CSG_BLOCK_STRIDE, "CSG input stride");
static_assert(sizeof(struct csf_csg_output) <= MCU_CSG_BLOCK_STRIDE, "CSG output stride");
static_assert(MCU_CSG_INPUT + MCU_GROUP_NUM * MCU_CSG_BLOCK_STRIDE <= MCU_CSG_OUTPUT, "CSG in");
static_assert(MCU_CSG_OUTPUT + MCU_GROUP_NUM * MCU_CSG_BLOCK_STRIDE <= MCU_CS_INPUT, "CSG out");
static_assert(sizeof(struct csf_cs_input) <= MCU_CS_INPUT_STRIDE, "CS input stride");
static_assert(sizeof(struct csf_cs_output) <= MCU_CS_OUTPUT_STRIDE, "CS output stride");
static_assert(MCU_CS_INPUT + MCU_GROUP_NUM * MCU_STREAM_NUM * MCU_CS_INPUT_STRIDE <= MCU_CS_OUTPUT,
	      "CS inputs fit before the CS outputs");
static_assert(MCU_MAP_END <= MCU_SHARED_SIZE, "the map fits the shared section");

/* Values the firmware publishes (see the DOC above). */
#define MCU_GLB_FEATURES 0u
#define MCU_INSTR_FEATURES 0x71u
#define MCU_CSG_FEATURES 0u
#define MCU_SUSPEND_SIZE MODEL_CSG_SUSPEND_SIZE
#define MCU_PROTM_SUSPEND_SIZE 0x4000u
#define MCU_CS_FEATURES                                                      \
	((u32)FIELD_PREP(CS_FEATURES_WORK_REGS, 95) |                        \
	 (u32)FIELD_PREP(CS_FEATURES_SCOREBOARDS, 8) | CS_FEATURES_COMPUTE | \
	 CS_FEATURES_FRAGMENT | CS_FEATURES_TILER)

/* Field addresses of the control blocks. */
#define GLB_CTRL(field) \
	(MCU_SHARED_VA + CSF_GLB_CONTROL_OFFSET + (u32)offsetof(struct csf_glb_control, field))
#define CSG_CTRL(base, field) ((base) + (u32)offsetof(struct csf_csg_control, field))
#define CS_CTRL(base, field) ((base) + (u32)offsetof(struct csf_cs_control, field))

/* Reason buffer of a refused boot. */
#define MCU_WHY_LEN 160u

/* ---- The MCU's memory accessors (AS 0) ---- */

/* Host address of the aligned u32 at MCU VA @va for a @type access, or NULL with *@err set. */
static u32 *model_mcu_word_locked(struct tyrc_model *m, u32 va, enum model_access type, int *err)
{
	u64 pa;
	int ret;

	if (*err)
		return NULL;
	if (va & 3) {
		*err = -EINVAL;
		return NULL;
	}
	ret = model_mmu_translate_locked(m, 0, va, type, &pa);
	if (ret) {
		*err = ret;
		return NULL;
	}
	return tyrc_ram_phys_to_virt(m->ram, pa);
}

/**
 * model_mcu_rd32_locked() - the MCU reads the u32 at @va through AS 0.
 * @m: the model.
 * @va: MCU VA, 4-byte aligned.
 * @err: sticky error: nothing is accessed if *@err is set; receives -EAGAIN
 *	(AS 0 locked region), -EFAULT (MMU fault recorded) or -EINVAL.
 *
 * Context: model lock held.
 * Return: the value (acquire load), 0 on error.
 */
u32 model_mcu_rd32_locked(struct tyrc_model *m, u32 va, int *err)
{
	u32 *p = model_mcu_word_locked(m, va, MODEL_ACCESS_READ, err);

	return p ? __atomic_load_n(p, __ATOMIC_ACQUIRE) : 0;
}

/**
 * model_mcu_wr32_locked() - the MCU writes @value to the u32 at @va through AS 0.
 * @m: the model.
 * @va: MCU VA, 4-byte aligned.
 * @value: the value (release store).
 * @err: sticky error, as model_mcu_rd32_locked().
 *
 * Context: model lock held.
 */
void model_mcu_wr32_locked(struct tyrc_model *m, u32 va, u32 value, int *err)
{
	u32 *p = model_mcu_word_locked(m, va, MODEL_ACCESS_WRITE, err);

	if (p)
		__atomic_store_n(p, value, __ATOMIC_RELEASE);
}

/* Probe that [@va, @va + @size) is mapped for @type, page by page, without accessing it. */
static int model_mcu_probe_locked(struct tyrc_model *m, u32 va, u32 size, enum model_access type)
{
	for (u64 page = va; page < (u64)va + size; page += TYRC_PAGE_SIZE) {
		u64 pa;
		int ret = model_mmu_translate_locked(m, 0, page, type, &pa);

		if (ret)
			return ret;
	}
	return 0;
}

/* ---- Status ---- */

/** model_mcu_set_status_locked() - set MCU_STATUS, raising MCU_STATUS_CHANGED on a change. */
void model_mcu_set_status_locked(struct tyrc_model *m, u32 status)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (m->mcu.status == status)
		return;
	m->mcu.status = status;
	model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_GPU], GPU_IRQ_MCU_STATUS_CHANGED);
}

/* Stop everything the MCU had scheduled. */
static void model_mcu_stop_locked(struct tyrc_model *m)
{
	model_glb_stop_locked(m);
	model_csg_stop_locked(m);
	m->mcu.arm_image = false;
}

/**
 * model_mcu_fatal_locked() - the MCU stops with MCU_STATUS FATAL; the reason
 * is logged as a warning.
 */
void model_mcu_fatal_locked(struct tyrc_model *m, const char *fmt, ...)
{
	char why[MCU_WHY_LEN];
	va_list ap;

	tyrc_lockdep_assert_held(&m->lock);
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	tyrc_warn("model: MCU: %s; MCU_STATUS = FATAL", why);
	model_mcu_stop_locked(m);
	m->mcu.state = MODEL_MCU_FATAL;
	model_mcu_set_status_locked(m, MCU_STATUS_FATAL);
}

/* ---- Boot checks ---- */

/* Check our data section: seed, zero tail, writable. Return: 0, -EAGAIN or -EINVAL (@why). */
static int model_mcu_check_data_locked(struct tyrc_model *m, char *why)
{
	u8 page[TYRC_PAGE_SIZE];
	int ret;

	for (u32 off = 0; off < TYRC_FW_SECTION_SIZE; off += TYRC_PAGE_SIZE) {
		ret = model_mmu_access_locked(m, 0, TYRC_FW_DATA_VA + off, page, sizeof(page),
					      MODEL_ACCESS_READ);
		if (ret == -EAGAIN)
			return ret;
		if (ret) {
			snprintf(why, MCU_WHY_LEN, "data section at 0x%08x not readable (+0x%x)",
				 TYRC_FW_DATA_VA, off);
			return -EINVAL;
		}
		for (u32 i = 0; i < sizeof(page); i++) {
			u32 at = off + i;
			u8 expect = 0;

			if (at < sizeof(TYRC_FW_DATA_SEED_MAGIC))
				expect = (u8)TYRC_FW_DATA_SEED_MAGIC[at];
			else if (at < TYRC_FW_DATA_SEED_LEN)
				expect = (u8)at;
			if (page[i] != expect) {
				snprintf(why, MCU_WHY_LEN,
					 "data section at 0x%08x not loaded: byte +0x%x is 0x%02x, "
					 "expected 0x%02x",
					 TYRC_FW_DATA_VA, at, page[i], expect);
				return -EINVAL;
			}
		}
	}
	ret = model_mcu_probe_locked(m, TYRC_FW_DATA_VA, TYRC_FW_SECTION_SIZE, MODEL_ACCESS_WRITE);
	if (ret == -EAGAIN)
		return ret;
	if (ret) {
		snprintf(why, MCU_WHY_LEN, "data section at 0x%08x not writable", TYRC_FW_DATA_VA);
		return -EINVAL;
	}
	return 0;
}

/* Our image: interface version, executable code, loaded data. */
static int model_mcu_check_tyrc_locked(struct tyrc_model *m, const struct tyrc_fw_ident *id,
				       char *why)
{
	struct tyrc_fw_ident fetched;
	int ret;

	if (id->iface_version != MCU_IFACE_VERSION) {
		snprintf(why, MCU_WHY_LEN,
			 "firmware \"%s\" asks for interface %u.%u.%u, the MCU implements 1.1.0",
			 id->fw_version, CSF_IFACE_VERSION_MAJOR(id->iface_version),
			 CSF_IFACE_VERSION_MINOR(id->iface_version),
			 CSF_IFACE_VERSION_PATCH(id->iface_version));
		return -EINVAL;
	}
	ret = model_mmu_access_locked(m, 0, TYRC_FW_IDENT_VA, &fetched, sizeof(fetched),
				      MODEL_ACCESS_EXECUTE);
	if (ret == -EAGAIN)
		return ret;
	if (ret) {
		snprintf(why, MCU_WHY_LEN, "code at VA 0x%08x is not executable", TYRC_FW_IDENT_VA);
		return -EINVAL;
	}
	return model_mcu_check_data_locked(m, why);
}

/* [@va, @va + @size) lies inside the shared section. */
static bool model_mcu_in_shared(u32 va, u32 size)
{
	return va >= MCU_SHARED_VA && (u64)va + size <= (u64)MCU_SHARED_VA + MCU_SHARED_SIZE;
}

/*
 * Arm's image: check the tables its shared section ships (see the DOC).
 * Fills @m->mcu's layout. Return: 0, -EAGAIN or -EINVAL (@why).
 */
static int model_mcu_check_arm_locked(struct tyrc_model *m, char *why)
{
	u32 group_num, group_stride, glb_in, glb_out;
	int err = 0;

	group_num = model_mcu_rd32_locked(m, GLB_CTRL(group_num), &err);
	group_stride = model_mcu_rd32_locked(m, GLB_CTRL(group_stride), &err);
	glb_in = model_mcu_rd32_locked(m, GLB_CTRL(input_va), &err);
	glb_out = model_mcu_rd32_locked(m, GLB_CTRL(output_va), &err);
	if (err)
		goto unreadable;
	if (group_num < CSF_MIN_GROUPS || group_num > CSF_MAX_GROUPS ||
	    group_stride < CSF_CS_CONTROL_OFFSET ||
	    !model_mcu_in_shared(MCU_SHARED_VA + CSF_CSG_CONTROL_OFFSET,
				 group_num * group_stride) ||
	    !model_mcu_in_shared(glb_in, sizeof(struct csf_glb_input)) ||
	    !model_mcu_in_shared(glb_out, sizeof(struct csf_glb_output))) {
		snprintf(why, MCU_WHY_LEN,
			 "no identification block at VA 0 and no plausible GLB control block "
			 "(group_num %u, group_stride 0x%x, input 0x%08x, output 0x%08x)",
			 group_num, group_stride, glb_in, glb_out);
		return -EINVAL;
	}
	for (u32 i = 0; i < group_num; i++) {
		u32 csg = MCU_SHARED_VA + CSF_CSG_CONTROL_OFFSET + i * group_stride;
		u32 stream_num = model_mcu_rd32_locked(m, CSG_CTRL(csg, stream_num), &err);
		u32 stream_stride = model_mcu_rd32_locked(m, CSG_CTRL(csg, stream_stride), &err);
		u32 in = model_mcu_rd32_locked(m, CSG_CTRL(csg, input_va), &err);
		u32 out = model_mcu_rd32_locked(m, CSG_CTRL(csg, output_va), &err);

		if (err)
			goto unreadable;
		if (stream_num < CSF_MIN_STREAMS || stream_num > CSF_MAX_STREAMS ||
		    stream_stride < sizeof(struct csf_cs_control) ||
		    CSF_CS_CONTROL_OFFSET + stream_num * stream_stride > group_stride ||
		    !model_mcu_in_shared(in, sizeof(struct csf_csg_input)) ||
		    !model_mcu_in_shared(out, sizeof(struct csf_csg_output))) {
			snprintf(why, MCU_WHY_LEN,
				 "implausible CSG %u control block (stream_num %u, stride 0x%x, "
				 "input 0x%08x, output 0x%08x)",
				 i, stream_num, stream_stride, in, out);
			return -EINVAL;
		}
		for (u32 j = 0; j < stream_num; j++) {
			u32 cs = csg + CSF_CS_CONTROL_OFFSET + j * stream_stride;

			in = model_mcu_rd32_locked(m, CS_CTRL(cs, input_va), &err);
			out = model_mcu_rd32_locked(m, CS_CTRL(cs, output_va), &err);
			if (err)
				goto unreadable;
			if (!model_mcu_in_shared(in, sizeof(struct csf_cs_input)) ||
			    !model_mcu_in_shared(out, sizeof(struct csf_cs_output))) {
				snprintf(why, MCU_WHY_LEN,
					 "CSG %u CS %u blocks outside the shared section "
					 "(input 0x%08x, output 0x%08x)",
					 i, j, in, out);
				return -EINVAL;
			}
		}
	}
	m->mcu.group_num = group_num;
	m->mcu.glb_input = glb_in;
	m->mcu.glb_output = glb_out;
	return 0;

unreadable:
	if (err == -EAGAIN)
		return err;
	snprintf(why, MCU_WHY_LEN, "no identification block at VA 0 and no readable tables");
	return -EINVAL;
}

/* ---- Publishing the tables ---- */

/* Our image: write every control block (all but the GLB version). Return: 0 or an access error. */
static int model_mcu_write_tables_locked(struct tyrc_model *m)
{
	int err = 0;

	model_mcu_wr32_locked(m, GLB_CTRL(features), MCU_GLB_FEATURES, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(input_va), MCU_SHARED_VA + MCU_GLB_INPUT, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(output_va), MCU_SHARED_VA + MCU_GLB_OUTPUT, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(group_num), MCU_GROUP_NUM, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(group_stride), MCU_GROUP_STRIDE, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(perfcnt_size), 0, &err);
	model_mcu_wr32_locked(m, GLB_CTRL(instr_features), MCU_INSTR_FEATURES, &err);
	for (u32 i = 0; i < MCU_GROUP_NUM; i++) {
		u32 csg = MCU_SHARED_VA + CSF_CSG_CONTROL_OFFSET + i * MCU_GROUP_STRIDE;

		model_mcu_wr32_locked(m, CSG_CTRL(csg, features), MCU_CSG_FEATURES, &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, input_va),
				      MCU_SHARED_VA + MCU_CSG_INPUT + i * MCU_CSG_BLOCK_STRIDE,
				      &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, output_va),
				      MCU_SHARED_VA + MCU_CSG_OUTPUT + i * MCU_CSG_BLOCK_STRIDE,
				      &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, suspend_size), MCU_SUSPEND_SIZE, &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, protm_suspend_size), MCU_PROTM_SUSPEND_SIZE,
				      &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, stream_num), MCU_STREAM_NUM, &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, stream_stride), MCU_STREAM_STRIDE, &err);
		for (u32 j = 0; j < MCU_STREAM_NUM; j++) {
			u32 cs = csg + CSF_CS_CONTROL_OFFSET + j * MCU_STREAM_STRIDE;
			u32 idx = i * MCU_STREAM_NUM + j;

			model_mcu_wr32_locked(m, CS_CTRL(cs, features), MCU_CS_FEATURES, &err);
			model_mcu_wr32_locked(
				m, CS_CTRL(cs, input_va),
				MCU_SHARED_VA + MCU_CS_INPUT + idx * MCU_CS_INPUT_STRIDE, &err);
			model_mcu_wr32_locked(
				m, CS_CTRL(cs, output_va),
				MCU_SHARED_VA + MCU_CS_OUTPUT + idx * MCU_CS_OUTPUT_STRIDE, &err);
		}
	}
	if (err)
		return err;
	m->mcu.group_num = MCU_GROUP_NUM;
	m->mcu.glb_input = MCU_SHARED_VA + MCU_GLB_INPUT;
	m->mcu.glb_output = MCU_SHARED_VA + MCU_GLB_OUTPUT;
	return 0;
}

/* Arm's image: fill in what its firmware computes at boot (layout already checked). */
static int model_mcu_complete_arm_tables_locked(struct tyrc_model *m)
{
	u32 group_stride;
	int err = 0;

	group_stride = model_mcu_rd32_locked(m, GLB_CTRL(group_stride), &err);
	for (u32 i = 0; i < m->mcu.group_num && !err; i++) {
		u32 csg = MCU_SHARED_VA + CSF_CSG_CONTROL_OFFSET + i * group_stride;
		u32 stream_num = model_mcu_rd32_locked(m, CSG_CTRL(csg, stream_num), &err);
		u32 stream_stride = model_mcu_rd32_locked(m, CSG_CTRL(csg, stream_stride), &err);

		model_mcu_wr32_locked(m, CSG_CTRL(csg, features), MCU_CSG_FEATURES, &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, suspend_size), MCU_SUSPEND_SIZE, &err);
		model_mcu_wr32_locked(m, CSG_CTRL(csg, protm_suspend_size), MCU_PROTM_SUSPEND_SIZE,
				      &err);
		for (u32 j = 0; j < stream_num && !err; j++)
			model_mcu_wr32_locked(
				m,
				CS_CTRL(csg + CSF_CS_CONTROL_OFFSET + j * stream_stride, features),
				MCU_CS_FEATURES, &err);
	}
	return err;
}

/* ---- Boot ---- */

/* The boot delay elapsed: check the image and publish the interface (see the DOC). */
static void model_mcu_boot_locked(struct tyrc_model *m, u64 now)
{
	struct tyrc_fw_ident id;
	char why[MCU_WHY_LEN] = "";
	bool arm;
	int ret;

	ret = model_mmu_access_locked(m, 0, TYRC_FW_IDENT_VA, &id, sizeof(id), MODEL_ACCESS_READ);
	if (ret == -EAGAIN)
		goto retry;
	if (ret) {
		model_mcu_fatal_locked(m, "cannot read its reset block at VA 0x%08x through AS 0",
				       TYRC_FW_IDENT_VA);
		return;
	}
	arm = !tyrc_fw_ident_valid(&id);
	if (!arm) {
		ret = model_mcu_check_tyrc_locked(m, &id, why);
		if (ret == -EAGAIN)
			goto retry;
		if (ret)
			goto refuse;
	}
	ret = model_mcu_probe_locked(m, MCU_SHARED_VA, MCU_SHARED_SIZE, MODEL_ACCESS_WRITE);
	if (ret == -EAGAIN)
		goto retry;
	if (ret) {
		snprintf(why, sizeof(why), "shared section at 0x%08x missing or not writable",
			 MCU_SHARED_VA);
		goto refuse;
	}
	if (arm) {
		ret = model_mcu_check_arm_locked(m, why);
		if (ret == -EAGAIN)
			goto retry;
		if (ret)
			goto refuse;
		ret = model_mcu_complete_arm_tables_locked(m);
	} else {
		ret = model_mcu_write_tables_locked(m);
	}
	if (!ret)
		ret = model_glb_boot_locked(m);
	if (!ret)
		model_mcu_wr32_locked(m, GLB_CTRL(version), MCU_IFACE_VERSION, &ret);
	if (ret == -EAGAIN)
		goto retry;
	if (ret) {
		snprintf(why, sizeof(why), "cannot write the interface tables (%d)", ret);
		goto refuse;
	}

	m->mcu.arm_image = arm;
	m->mcu.state = MODEL_MCU_RUNNING;
	tyrc_dbg("model: MCU booted %s, interface 1.1.0, %u groups",
		 arm ? "Arm's image in the emulated way" : id.fw_version, m->mcu.group_num);
	model_mcu_set_status_locked(m, MCU_STATUS_ENABLED);
	model_irq_block_raise_locked(m, &m->irq[TYRC_MODEL_IRQ_JOB], JOB_INT_GLOBAL_IF);
	return;

refuse:
	model_mcu_fatal_locked(m, "refuses to boot: %s", why);
	return;
retry:
	m->mcu.boot_deadline = now + MODEL_MCU_RETRY_NS;
}

/* ---- Registers, doorbells, events ---- */

/*
 * model_mcu_reset_locked() - MCU registers and state to reset values. A hang
 * set with the test hook ends here too: a GPU reset is how a driver revives
 * a stuck MCU, and the watchdog tests rely on that recovery.
 */
void model_mcu_reset_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	m->mcu = (struct model_mcu){
		.control = MCU_CONTROL_DISABLE,
		.status = MCU_STATUS_DISABLED,
		.state = MODEL_MCU_OFF,
	};
}

/** model_mcu_abort_locked() - a GPU reset starts: the MCU stops (registers reset at completion). */
void model_mcu_abort_locked(struct tyrc_model *m)
{
	tyrc_lockdep_assert_held(&m->lock);
	model_mcu_stop_locked(m);
	m->mcu.state = MODEL_MCU_OFF;
}

/** model_mcu_control_write_locked() - MCU_CONTROL written with @value at @now. */
void model_mcu_control_write_locked(struct tyrc_model *m, u32 value, u64 now)
{
	struct model_mcu *mcu = &m->mcu;

	tyrc_lockdep_assert_held(&m->lock);
	switch (value) {
	case MCU_CONTROL_DISABLE:
		mcu->control = value;
		model_mcu_stop_locked(m);
		mcu->state = MODEL_MCU_OFF;
		model_mcu_set_status_locked(m, MCU_STATUS_DISABLED);
		break;
	case MCU_CONTROL_ENABLE:
	case MCU_CONTROL_AUTO:
		mcu->control = value;
		if (mcu->state == MODEL_MCU_BOOTING || mcu->state == MODEL_MCU_RUNNING)
			break;
		model_mcu_stop_locked(m);
		mcu->state = MODEL_MCU_BOOTING;
		mcu->boot_deadline = now + m->cfg.mcu_boot_ns;
		break;
	default:
		tyrc_dbg("model: MCU_CONTROL 0x%x ignored (not a valid mode)", value);
		break;
	}
}

/** model_mcu_doorbell_locked() - doorbell @id rang at @now. */
void model_mcu_doorbell_locked(struct tyrc_model *m, unsigned int id, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (m->mcu.state != MODEL_MCU_RUNNING || m->gpu.reset_pending) {
		tyrc_dbg("model: doorbell %u rung while the MCU is not running, ignored", id);
		return;
	}
	if (id != CSF_GLB_DOORBELL_ID)
		model_csg_queue_doorbell_locked(m, id, now);
	else
		model_glb_doorbell_locked(m, now);
}

/** model_mcu_run_events_locked() - boot and serve the GLB interface if due by @now. */
void model_mcu_run_events_locked(struct tyrc_model *m, u64 now)
{
	tyrc_lockdep_assert_held(&m->lock);
	if (m->gpu.reset_pending)
		return;
	if (m->mcu.state == MODEL_MCU_BOOTING && m->mcu.boot_deadline <= now)
		model_mcu_boot_locked(m, now);
	if (m->mcu.state == MODEL_MCU_RUNNING)
		model_glb_run_events_locked(m, now);
}

/** model_mcu_next_deadline_locked() - earliest pending MCU event, or MODEL_NO_DEADLINE. */
u64 model_mcu_next_deadline_locked(struct tyrc_model *m)
{
	if (m->gpu.reset_pending)
		return MODEL_NO_DEADLINE;
	if (m->mcu.state == MODEL_MCU_BOOTING)
		return m->mcu.boot_deadline;
	if (m->mcu.state == MODEL_MCU_RUNNING)
		return model_glb_next_deadline_locked(m);
	return MODEL_NO_DEADLINE;
}

void tyrc_model_mcu_set_unresponsive(struct tyrc_model *model, bool unresponsive)
{
	tyrc_mutex_lock(&model->lock);
	model->mcu.unresponsive = unresponsive;
	if (unresponsive)
		model_glb_stop_locked(model);
	tyrc_mutex_unlock(&model->lock);
}
