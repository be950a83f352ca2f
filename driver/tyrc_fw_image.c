// SPDX-License-Identifier: MIT
/*
 * Firmware image parser: header, entry walk, IFACE sections, build info,
 * then the whole-image checks (overlaps, shared section). Every read goes
 * through fw_read(), which checks the range against the buffer first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyrc_fw_image.h"

/* Parse state; @img is the caller's, filled as we go. */
struct fw_parser {
	const u8 *data;
	size_t size;
	struct tyrc_fw_image *img;
	unsigned int sections_cap;
	bool have_shared;
	char *err;
	size_t err_len;
};

static int __attribute__((format(printf, 2, 3))) fw_fail(struct fw_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->err_len) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->err_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Copy @len bytes at file offset @off, if [@off, @off + @len) lies in @limit bytes. */
static bool fw_read(const struct fw_parser *p, u64 off, void *out, size_t len, u64 limit)
{
	if (limit > p->size || off > limit || len > limit - off)
		return false;
	memcpy(out, p->data + off, len);
	return true;
}

static int fw_add_section(struct fw_parser *p, const struct tyrc_fw_section *s)
{
	struct tyrc_fw_image *img = p->img;

	if (img->section_count == p->sections_cap) {
		unsigned int cap = p->sections_cap ? p->sections_cap * 2 : 8;
		struct tyrc_fw_section *n = realloc(img->sections, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		img->sections = n;
		p->sections_cap = cap;
	}
	img->sections[img->section_count++] = *s;
	return 0;
}

/* IFACE entry at @off; its body and name are [@off + 4, @off + @esz). */
static int fw_parse_iface(struct fw_parser *p, u32 off, u32 esz)
{
	struct tyrc_fw_iface_body b;
	struct tyrc_fw_section s;
	u32 name_off = off + TYRC_FW_IFACE_ENTRY_MIN_SIZE;
	u32 name_len;

	if (esz < TYRC_FW_IFACE_ENTRY_MIN_SIZE)
		return fw_fail(
			p, "entry at 0x%x: IFACE entry size %u smaller than its body (%u bytes)",
			off, esz, TYRC_FW_IFACE_ENTRY_MIN_SIZE);
	if (!fw_read(p, (u64)off + 4, &b, sizeof(b), (u64)off + esz))
		return fw_fail(p, "entry at 0x%x: IFACE body past the end of the file", off);

	if (b.data_end < b.data_start)
		return fw_fail(p, "entry at 0x%x: section data_end 0x%x < data_start 0x%x", off,
			       b.data_end, b.data_start);
	if (b.va_end < b.va_start)
		return fw_fail(p, "entry at 0x%x: section va_end 0x%x < va_start 0x%x", off,
			       b.va_end, b.va_start);
	if (b.data_end > p->size)
		return fw_fail(
			p,
			"entry at 0x%x: section data range 0x%x-0x%x outside the file (0x%zx bytes)",
			off, b.data_start, b.data_end, p->size);
	if (!IS_ALIGNED(b.va_start, TYRC_FW_MCU_PAGE_SIZE) ||
	    !IS_ALIGNED(b.va_end, TYRC_FW_MCU_PAGE_SIZE))
		return fw_fail(p, "entry at 0x%x: section VA range 0x%x-0x%x not 4 KiB aligned",
			       off, b.va_start, b.va_end);
	if (b.flags & ~TYRC_FW_IFACE_SUPPORTED_FLAGS)
		return fw_fail(p, "entry at 0x%x: section flags 0x%x have unknown bits 0x%x", off,
			       b.flags, b.flags & ~TYRC_FW_IFACE_SUPPORTED_FLAGS);
	if (b.flags & TYRC_FW_IFACE_PROT) {
		/* panthor warns and ignores protected-mode sections. */
		p->img->prot_sections++;
		p->img->notes |= TYRC_FW_NOTE_PROT_SKIPPED;
		return 0;
	}
	if (b.data_end - b.data_start > b.va_end - b.va_start)
		return fw_fail(
			p,
			"entry at 0x%x: section data (0x%x bytes) larger than the section at 0x%x (0x%x bytes)",
			off, b.data_end - b.data_start, b.va_start, b.va_end - b.va_start);
	if (b.va_start == CSF_MCU_SHARED_REGION_START) {
		if (!(b.flags & TYRC_FW_IFACE_SHARED))
			return fw_fail(p, "entry at 0x%x: section at 0x%08x lacks the SHARED flag",
				       off, CSF_MCU_SHARED_REGION_START);
		if (p->have_shared)
			return fw_fail(p,
				       "entry at 0x%x: second section at the shared region 0x%08x",
				       off, CSF_MCU_SHARED_REGION_START);
		if (b.va_end == b.va_start)
			return fw_fail(p, "entry at 0x%x: shared section at 0x%08x is empty", off,
				       CSF_MCU_SHARED_REGION_START);
	}

	memset(&s, 0, sizeof(s));
	/* The name fills the rest of the entry; keep it up to the first NUL. */
	name_len = esz - TYRC_FW_IFACE_ENTRY_MIN_SIZE;
	if (name_len && fw_read(p, name_off, s.name, name_len, (u64)off + esz))
		s.name[strnlen(s.name, name_len)] = '\0';
	s.flags = b.flags;
	s.va_start = b.va_start;
	s.va_end = b.va_end;
	s.data_start = b.data_start;
	s.data_end = b.data_end;
	s.read_only = !(b.flags & TYRC_FW_IFACE_WR);
	s.no_exec = !(b.flags & TYRC_FW_IFACE_EX);
	s.uncached = tyrc_fw_iface_cache_mode(b.flags) != TYRC_FW_IFACE_CACHE_MODE_CACHED;
	s.shared = !!(b.flags & TYRC_FW_IFACE_SHARED);
	s.zero_fill = !!(b.flags & TYRC_FW_IFACE_ZERO);

	if (b.va_start == CSF_MCU_SHARED_REGION_START) {
		p->img->shared_index = p->img->section_count;
		p->have_shared = true;
	}
	return fw_add_section(p, &s);
}

/* BUILD_INFO_METADATA entry: only a too-short entry fails; bad text is a note. */
static int fw_parse_build_info(struct fw_parser *p, u32 off, u32 esz)
{
	struct tyrc_fw_image *img = p->img;
	struct tyrc_fw_build_info_body b;
	const char *text;
	size_t len;

	if (esz < TYRC_FW_BUILD_INFO_ENTRY_MIN_SIZE)
		return fw_fail(
			p,
			"entry at 0x%x: BUILD_INFO_METADATA entry size %u smaller than its body (%u bytes)",
			off, esz, TYRC_FW_BUILD_INFO_ENTRY_MIN_SIZE);
	if (!fw_read(p, (u64)off + 4, &b, sizeof(b), (u64)off + esz))
		return fw_fail(
			p, "entry at 0x%x: BUILD_INFO_METADATA body past the end of the file", off);

	img->has_build_info = true;
	if ((u64)b.meta_start + b.meta_size > p->size) {
		img->notes |= TYRC_FW_NOTE_BUILD_INFO_CORRUPT;
		return 0;
	}
	text = (const char *)p->data + b.meta_start;
	/* Not "git_sha: " text: metadata we do not understand, ignored as in panthor. */
	if (b.meta_size < TYRC_FW_GIT_SHA_PREFIX_LEN ||
	    memcmp(text, TYRC_FW_GIT_SHA_PREFIX, TYRC_FW_GIT_SHA_PREFIX_LEN))
		return 0;
	if (b.meta_size == TYRC_FW_GIT_SHA_PREFIX_LEN || text[b.meta_size - 1] != '\0') {
		img->notes |= TYRC_FW_NOTE_BUILD_INFO_UNTERMINATED;
		return 0;
	}
	text += TYRC_FW_GIT_SHA_PREFIX_LEN;
	len = strnlen(text, b.meta_size - TYRC_FW_GIT_SHA_PREFIX_LEN);
	if (len > TYRC_FW_GIT_SHA_MAX)
		len = TYRC_FW_GIT_SHA_MAX;
	memcpy(img->git_sha, text, len);
	img->git_sha[len] = '\0';
	img->has_git_sha = true;
	return 0;
}

static int fw_parse_entry(struct fw_parser *p, u32 off, u32 end, u32 *next)
{
	u32 ehdr, esz, type;

	if (!fw_read(p, off, &ehdr, sizeof(ehdr), end))
		return fw_fail(p,
			       "entry at 0x%x: entry header past the end of the entry area (0x%x)",
			       off, end);
	esz = tyrc_fw_entry_size(ehdr);
	type = tyrc_fw_entry_type(ehdr);
	if (!esz)
		return fw_fail(p, "entry at 0x%x: entry size 0 (type %u)", off, type);
	if (esz % TYRC_FW_ENTRY_ALIGN)
		return fw_fail(p, "entry at 0x%x: entry size %u not a multiple of 4 (type %u)", off,
			       esz, type);
	if (esz > end - off)
		return fw_fail(
			p,
			"entry at 0x%x: entry size %u runs past the end of the entry area (0x%x)",
			off, esz, end);
	*next = off + esz;
	p->img->entry_count++;

	switch (type) {
	case TYRC_FW_ENTRY_IFACE:
		return fw_parse_iface(p, off, esz);
	case TYRC_FW_ENTRY_BUILD_INFO_METADATA:
		return fw_parse_build_info(p, off, esz);
	case TYRC_FW_ENTRY_CONFIG:
	case TYRC_FW_ENTRY_FUTF_TEST:
	case TYRC_FW_ENTRY_TRACE_BUFFER:
	case TYRC_FW_ENTRY_TIMELINE_METADATA:
		/* Known to panthor, and ignored by it whatever OPTIONAL says. */
		p->img->skipped_entries++;
		return 0;
	default:
		break;
	}
	if (ehdr & TYRC_FW_ENTRY_OPTIONAL) {
		p->img->skipped_entries++;
		return 0;
	}
	return fw_fail(p, "entry at 0x%x: unknown non-optional entry type %u", off, type);
}

struct fw_range {
	u32 start;
	u32 end;
	unsigned int index;
};

static int fw_range_cmp(const void *a, const void *b)
{
	const struct fw_range *ra = a;
	const struct fw_range *rb = b;

	if (ra->start != rb->start)
		return ra->start < rb->start ? -1 : 1;
	return ra->index < rb->index ? -1 : ra->index > rb->index;
}

/* No two non-empty sections may share an MCU page. */
static int fw_check_overlaps(struct fw_parser *p)
{
	const struct tyrc_fw_image *img = p->img;
	struct fw_range *r;
	unsigned int i, n = 0;
	int ret = 0;

	if (img->section_count < 2)
		return 0;
	r = malloc(img->section_count * sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < img->section_count; i++) {
		const struct tyrc_fw_section *s = &img->sections[i];

		if (s->va_end == s->va_start)
			continue;
		r[n].start = s->va_start;
		r[n].end = s->va_end;
		r[n].index = i;
		n++;
	}
	qsort(r, n, sizeof(*r), fw_range_cmp);
	for (i = 1; i < n; i++) {
		const struct fw_range *a = &r[i - 1];
		const struct fw_range *b = &r[i];

		if (a->end <= b->start)
			continue;
		if (a->index > b->index) {
			const struct fw_range *t = a;

			a = b;
			b = t;
		}
		ret = fw_fail(p, "sections %u (VA 0x%x-0x%x) and %u (VA 0x%x-0x%x) overlap",
			      a->index, a->start, a->end, b->index, b->start, b->end);
		break;
	}
	free(r);
	return ret;
}

int tyrc_fw_image_parse(const void *data, size_t size, struct tyrc_fw_image *img, char *err,
			size_t err_len)
{
	struct fw_parser p = {
		.data = data,
		.size = size,
		.img = img,
		.err = err,
		.err_len = err_len,
	};
	struct tyrc_fw_header hdr;
	u32 off;
	int ret;

	if (err && err_len)
		err[0] = '\0';
	if (!img)
		return -EINVAL;
	memset(img, 0, sizeof(*img));
	if (!data && size)
		return fw_fail(&p, "no image data");

	if (!fw_read(&p, 0, &hdr, sizeof(hdr), size))
		return fw_fail(&p, "file too small for the header (%zu bytes, need %zu)", size,
			       sizeof(hdr));
	if (hdr.magic != TYRC_FW_MAGIC)
		return fw_fail(&p, "bad magic 0x%08x (expected 0x%08x)", hdr.magic, TYRC_FW_MAGIC);
	if (hdr.major != TYRC_FW_HEADER_MAJOR)
		return fw_fail(&p, "unsupported header version %u.%u (expected %u.x)", hdr.major,
			       hdr.minor, TYRC_FW_HEADER_MAJOR);
	if (hdr.size > size)
		return fw_fail(
			&p, "header size 0x%x past the end of the file (0x%zx bytes): truncated?",
			hdr.size, size);
	img->minor = hdr.minor;
	img->major = hdr.major;
	img->version_hash = hdr.version_hash;
	img->entries_end = hdr.size;

	for (off = TYRC_FW_ENTRIES_OFFSET; off < hdr.size;) {
		u32 next = hdr.size;

		ret = fw_parse_entry(&p, off, hdr.size, &next);
		if (ret)
			goto err_fini;
		off = next;
	}

	ret = fw_check_overlaps(&p);
	if (ret)
		goto err_fini;
	if (!p.have_shared) {
		ret = fw_fail(&p, "no shared section at 0x%08x", CSF_MCU_SHARED_REGION_START);
		goto err_fini;
	}
	return 0;

err_fini:
	if (ret == -ENOMEM && err && err_len && !err[0])
		snprintf(err, err_len, "out of memory");
	tyrc_fw_image_fini(img);
	return ret;
}

void tyrc_fw_image_fini(struct tyrc_fw_image *img)
{
	if (!img)
		return;
	free(img->sections);
	memset(img, 0, sizeof(*img));
}

const struct tyrc_fw_section *tyrc_fw_image_shared(const struct tyrc_fw_image *img)
{
	if (!img || img->shared_index >= img->section_count)
		return NULL;
	return &img->sections[img->shared_index];
}

const struct tyrc_fw_section *tyrc_fw_image_find(const struct tyrc_fw_image *img, u32 va)
{
	unsigned int i;

	for (i = 0; img && i < img->section_count; i++) {
		const struct tyrc_fw_section *s = &img->sections[i];

		if (va >= s->va_start && va < s->va_end)
			return s;
	}
	return NULL;
}
