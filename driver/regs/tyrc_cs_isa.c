// SPDX-License-Identifier: MIT
/*
 * CS v10 instruction tables: the generic encoder and decoder, the field
 * descriptors and the builder's labels. Everything here is generated from
 * TYRC_CS_OPCODES in tyrc_cs_isa.h.
 */
#include "tyrc_cs_isa.h"

#include <tyrc/types.h>

#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Per-opcode descriptor arrays, each ended by a NULL name. */
#define DESC(O, o, F, f, st, w, k) \
	{ .name = #f,              \
	  .start = (st),           \
	  .width = (w),            \
	  .kind = TYRC_CS_##k,     \
	  .offset = offsetof(struct tyrc_cs_instr, o.f) },
#define OP_DESC(O, o, num, FL) \
	static const struct tyrc_cs_field_desc fields_##o[] = { FL(DESC, O, o){ .name = NULL } };
TYRC_CS_OPCODES(OP_DESC)
#undef OP_DESC
#undef DESC

struct op_info {
	const char *name;
	const struct tyrc_cs_field_desc *fields;
	unsigned int count;
	/* Payload bits covered by a field. */
	u64 used;
};

#define USED(O, o, F, f, st, w, k) | TYRC_CS_FIELD_MASK(O, F)
#define OP_INFO(O, o, num, FL)                        \
	[num] = { .name = #O,                         \
		  .fields = fields_##o,               \
		  .count = ARRAY_LEN(fields_##o) - 1, \
		  .used = 0 FL(USED, O, o) },
static const struct op_info op_infos[256] = { TYRC_CS_OPCODES(OP_INFO) };
#undef OP_INFO
#undef USED

const char *tyrc_cs_op_name(u32 opcode)
{
	return opcode < ARRAY_LEN(op_infos) ? op_infos[opcode].name : NULL;
}

const struct tyrc_cs_field_desc *tyrc_cs_op_fields(u32 opcode, unsigned int *count)
{
	if (opcode >= ARRAY_LEN(op_infos) || !op_infos[opcode].name) {
		*count = 0;
		return NULL;
	}
	*count = op_infos[opcode].count;
	return op_infos[opcode].fields;
}

u64 tyrc_cs_encode(const struct tyrc_cs_instr *in)
{
	switch (in->opcode) {
#define OP_ENCODE(O, o, num, FL) \
	case TYRC_CS_OP_##O:     \
		return tyrc_cs_pack_##o(&in->o);
		TYRC_CS_OPCODES(OP_ENCODE)
#undef OP_ENCODE
	default:
		return TYRC_CS_BAD_WORD;
	}
}

int tyrc_cs_decode(u64 word, struct tyrc_cs_instr *out)
{
	u32 opcode = word >> TYRC_CS_OPCODE_SHIFT;
	const struct op_info *info = &op_infos[opcode];
	u8 *base = (u8 *)out;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->opcode = opcode;
	if (!info->name) {
		out->status = TYRC_CS_INVALID_OPCODE;
		return -EINVAL;
	}

	for (i = 0; i < info->count; i++) {
		const struct tyrc_cs_field_desc *d = &info->fields[i];
		u64 v = (word >> d->start) & (BIT_ULL(d->width) - 1);

		switch (d->kind) {
		case TYRC_CS_SIMM:
			if (v & BIT_ULL(d->width - 1))
				v |= ~(BIT_ULL(d->width) - 1);
			break;
		case TYRC_CS_REG32:
			if (v >= TYRC_CS_NUM_REGS && out->status == TYRC_CS_VALID)
				out->status = TYRC_CS_INVALID_REGISTER;
			break;
		case TYRC_CS_REG64:
			if ((v + 1 >= TYRC_CS_NUM_REGS || (v & 1)) && out->status == TYRC_CS_VALID)
				out->status = TYRC_CS_INVALID_REGISTER;
			break;
		}
		memcpy(base + d->offset, &v, sizeof(v));
	}

	out->reserved = word & ~TYRC_CS_OPCODE_MASK & ~info->used;
	if (out->reserved)
		out->status = TYRC_CS_INVALID_RESERVED;
	return out->status == TYRC_CS_VALID ? 0 : -EINVAL;
}

void tyrc_cs_builder_init(struct tyrc_cs_builder *b, u64 *buf, u32 capacity)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->capacity = capacity;
}

void tyrc_cs_label_init(struct tyrc_cs_label *l)
{
	memset(l, 0, sizeof(*l));
	l->target = -1;
}

/* BRANCH at @at to @target: the offset counts from the next instruction. */
static void patch_branch(struct tyrc_cs_builder *b, u32 at, s32 target)
{
	s32 offset = target - ((s32)at + 1);
	struct tyrc_cs_instr in;
	u64 word;

	tyrc_cs_decode(b->buf[at], &in);
	in.branch.offset = offset;
	word = tyrc_cs_encode(&in);
	if (word == TYRC_CS_BAD_WORD)
		tyrc_cs_builder_error(b, -EINVAL);
	else
		b->buf[at] = word;
}

void tyrc_cs_label_bind(struct tyrc_cs_builder *b, struct tyrc_cs_label *l)
{
	u32 i;

	if (l->target >= 0) {
		tyrc_cs_builder_error(b, -EINVAL);
		return;
	}
	l->target = (s32)b->len;
	for (i = 0; i < l->nr_fixups; i++) {
		if (!b->error)
			patch_branch(b, l->fixups[i], l->target);
	}
	b->pending -= l->nr_fixups;
	l->nr_fixups = 0;
}

void tyrc_cs_branch_label(struct tyrc_cs_builder *b, enum tyrc_cs_branch_cond cond,
			  unsigned int value, struct tyrc_cs_label *l)
{
	s32 at;

	if (l->target < 0 && l->nr_fixups >= TYRC_CS_LABEL_MAX_FIXUPS) {
		tyrc_cs_builder_error(b, -EINVAL);
		return;
	}
	at = tyrc_cs_emit(b, tyrc_cs_branch(cond, value, 0));
	if (at < 0)
		return;
	if (l->target >= 0) {
		patch_branch(b, (u32)at, l->target);
	} else {
		l->fixups[l->nr_fixups++] = (u32)at;
		b->pending++;
	}
}

int tyrc_cs_builder_finish(const struct tyrc_cs_builder *b, u32 *size)
{
	if (size)
		*size = b->len * 8;
	if (b->error)
		return b->error;
	return b->pending ? -EINVAL : 0;
}
