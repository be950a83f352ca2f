/* SPDX-License-Identifier: MIT */
/*
 * MCU test fixture shared by the firmware-emulation tests (test_model_mcu.c,
 * test_model_csg.c): a model booting a firmware image loaded into AS 0 the
 * way a driver loads it, and accessors for the shared section. The includer
 * defines BOOT_NS and RESP_NS (its configured MCU latencies) first.
 */
#ifndef MCU_TEST_H
#define MCU_TEST_H

#include "mmu_test.h"
#include "tyrc_fw_iface.h"
#include "tyrc_fw_image.h"

#if !defined(BOOT_NS) || !defined(RESP_NS)
#error "define BOOT_NS and RESP_NS before including mcu_test.h"
#endif

#define SHARED_VA CSF_MCU_SHARED_REGION_START
#define SHARED_SIZE 0x10000u
#define VERSION_1_1_0 0x01010000u

/* PTE permission restrictions. */
#define PTE_NX (PTE_UXN | PTE_PXN)

/** struct mcu_fixture - a model fixture plus the MCU's view of the loaded image. */
struct mcu_fixture {
	struct model_fixture f;
	/** @root: AS 0 level-0 table. */
	u64 root;
	/** @shared: host view of the shared section (contiguous 64 KiB), NULL if not loaded. */
	u8 *shared;
};

/** enum load_defect - one defect the loader puts in the MCU's memory. */
enum load_defect {
	LOAD_OK = 0,
	LOAD_CODE_NX,
	LOAD_NO_DATA,
	LOAD_NO_SHARED,
	LOAD_SHARED_RO,
	LOAD_DATA_RO,
};

static inline int mcu_setup(void **state)
{
	struct mcu_fixture *mf = calloc(1, sizeof(*mf));

	if (!mf)
		return -1;
	tyrc_model_config_init_g610(&mf->f.cfg);
	mf->f.cfg.soft_reset_ns = 0;
	mf->f.cfg.hard_reset_ns = 0;
	mf->f.cfg.cache_flush_ns = 0;
	mf->f.cfg.as_command_ns = 0;
	mf->f.cfg.mcu_boot_ns = BOOT_NS;
	mf->f.cfg.mcu_response_ns = RESP_NS;
	fixture_create(&mf->f);
	*state = mf;
	return 0;
}

static inline int mcu_teardown(void **state)
{
	struct mcu_fixture *mf = *state;

	fixture_destroy(&mf->f);
	free(mf);
	return 0;
}

/* ---- Loading an image the way a driver does ---- */

static inline void *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	void *buf;
	long len;

	if (!fp)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*size = (size_t)len;
	return buf;
}

static inline unsigned int order_for(u32 size)
{
	unsigned int order = 0;

	while ((TYRC_PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* Map one section into AS 0 (contiguous pages), copy its data; apply @defect. */
static inline void load_section(struct mcu_fixture *mf, const u8 *file,
				const struct tyrc_fw_section *s, enum load_defect defect)
{
	struct model_fixture *f = &mf->f;
	u32 size = s->va_end - s->va_start;
	bool is_shared = s->va_start == SHARED_VA;
	bool is_data = s->va_start == TYRC_FW_DATA_VA;
	u64 extra = 0;
	u64 pa;

	if (!size || (is_shared && defect == LOAD_NO_SHARED))
		return;
	pa = ram_alloc(f, order_for(size));
	if (!(is_data && defect == LOAD_NO_DATA))
		memcpy(ram_ptr(f, pa), file + s->data_start, s->data_end - s->data_start);
	if (s->read_only || (is_shared && defect == LOAD_SHARED_RO) ||
	    (is_data && defect == LOAD_DATA_RO))
		extra |= PTE_AP_RDONLY;
	if (s->no_exec || (s->va_start == 0 && defect == LOAD_CODE_NX))
		extra |= PTE_NX;
	for (u32 off = 0; off < size; off += TYRC_PAGE_SIZE)
		pt_map_page(f, mf->root, s->va_start + off, PTE_PAGE(pa + off) | extra);
	if (is_shared)
		mf->shared = ram_ptr(f, pa);
}

/*
 * Parse the image at $@env_var with the driver's parser, load it into AS 0 and
 * enable AS 0. Return: false if the variable or the file is missing.
 */
static inline bool load_image(struct mcu_fixture *mf, const char *env_var, enum load_defect defect)
{
	const char *path = getenv(env_var);
	struct tyrc_fw_image img;
	char err[128];
	size_t size;
	u8 *file;

	if (!path)
		return false;
	file = read_file(path, &size);
	if (!file)
		return false;
	if (tyrc_fw_image_parse(file, size, &img, err, sizeof(err)))
		fail_msg("image %s rejected: %s", path, err);
	mf->root = pt_new_table(&mf->f);
	for (unsigned int i = 0; i < img.section_count; i++)
		load_section(mf, file, &img.sections[i], defect);
	tyrc_fw_image_fini(&img);
	free(file);
	as_enable(&mf->f, 0, mf->root, TEST_TRANSCFG);
	return true;
}

static inline void load_ours(struct mcu_fixture *mf, enum load_defect defect)
{
	if (!load_image(mf, "TYRC_FW_IMAGE", defect))
		fail_msg("our firmware image not found ($TYRC_FW_IMAGE=%s)",
			 getenv("TYRC_FW_IMAGE") ? getenv("TYRC_FW_IMAGE") : "unset");
}

/* ---- The host's view of the shared section ---- */

static inline u32 *sh_ptr(struct mcu_fixture *mf, u32 va)
{
	assert_non_null(mf->shared);
	assert_true(va >= SHARED_VA && va + 4 <= SHARED_VA + SHARED_SIZE && !(va & 3));
	return (u32 *)(mf->shared + (va - SHARED_VA));
}

static inline u32 sh_rd(struct mcu_fixture *mf, u32 va)
{
	return __atomic_load_n(sh_ptr(mf, va), __ATOMIC_ACQUIRE);
}

static inline void sh_wr(struct mcu_fixture *mf, u32 va, u32 value)
{
	__atomic_store_n(sh_ptr(mf, va), value, __ATOMIC_RELEASE);
}

#define GLB_CTRL_VA(field) (SHARED_VA + (u32)offsetof(struct csf_glb_control, field))
#define GLB_IN_VA(mf, field) \
	(sh_rd(mf, GLB_CTRL_VA(input_va)) + (u32)offsetof(struct csf_glb_input, field))
#define GLB_OUT_VA(mf, field) \
	(sh_rd(mf, GLB_CTRL_VA(output_va)) + (u32)offsetof(struct csf_glb_output, field))

/* Ring doorbell @id (first word of its page). */
static inline void ring(struct mcu_fixture *mf, unsigned int id)
{
	wr(&mf->f, CSF_DOORBELL(id), 1);
}

/* MCU_CONTROL = AUTO and wait for GLOBAL_IF (JOB_INT mask all ones, as panthor). */
static inline u64 boot(struct mcu_fixture *mf)
{
	u64 when;

	wr(&mf->f, JOB_INT_CLEAR, ~0u);
	wr(&mf->f, JOB_INT_MASK, ~0u);
	wr(&mf->f, MCU_CONTROL, MCU_CONTROL_AUTO);
	when = poll32(&mf->f, JOB_INT_RAWSTAT, JOB_INT_GLOBAL_IF, JOB_INT_GLOBAL_IF);
	assert_int_equal(rd(&mf->f, MCU_STATUS), MCU_STATUS_ENABLED);
	assert_int_equal(sh_rd(mf, GLB_CTRL_VA(version)), VERSION_1_1_0);
	wr(&mf->f, JOB_INT_CLEAR, ~0u);
	return when;
}

#endif /* MCU_TEST_H */
