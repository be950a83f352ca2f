// SPDX-License-Identifier: MIT
/*
 * CS v10 disassembler: one line per instruction, operands from the field
 * descriptors of tyrc_cs_isa.h (no per-opcode printing code).
 */
#include "tyrc_cs_isa.h"

#include <tyrc/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t len;
	int n;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	size_t used = (size_t)o->n < o->len ? (size_t)o->n : o->len;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(o->len ? o->buf + used : NULL, o->len ? o->len - used : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->n += r;
}

static const char *const status_text[] = {
	[TYRC_CS_VALID] = "valid",
	[TYRC_CS_INVALID_OPCODE] = "unknown opcode",
	[TYRC_CS_INVALID_RESERVED] = "reserved bits set",
	[TYRC_CS_INVALID_REGISTER] = "bad register",
};

int tyrc_cs_disasm(u64 word, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len };
	const struct tyrc_cs_field_desc *fields;
	struct tyrc_cs_instr in;
	unsigned int count, i;
	int ret;

	if (len)
		buf[0] = '\0';
	ret = tyrc_cs_decode(word, &in);
	if (in.status == TYRC_CS_INVALID_OPCODE) {
		put(&o, "INVALID opcode=0x%02x payload=0x%014llx", in.opcode,
		    (unsigned long long)(word & ~TYRC_CS_OPCODE_MASK));
		return o.n;
	}

	put(&o, "%s", tyrc_cs_op_name(in.opcode));
	fields = tyrc_cs_op_fields(in.opcode, &count);
	for (i = count; i-- > 0;) {
		const struct tyrc_cs_field_desc *d = &fields[i];
		u64 v;

		memcpy(&v, (const u8 *)&in + d->offset, sizeof(v));
		/* NOP's payload is noise unless something is in it. */
		if (in.opcode == TYRC_CS_OP_NOP && !v)
			continue;
		switch (d->kind) {
		case TYRC_CS_REG32:
			put(&o, " %s=r%llu", d->name, (unsigned long long)v);
			break;
		case TYRC_CS_REG64:
			put(&o, " %s=d%llu", d->name, (unsigned long long)v);
			break;
		case TYRC_CS_SIMM:
			put(&o, " %s=%lld", d->name, (long long)(s64)v);
			break;
		default:
			if (v < 10)
				put(&o, " %s=%llu", d->name, (unsigned long long)v);
			else
				put(&o, " %s=0x%llx", d->name, (unsigned long long)v);
			break;
		}
	}
	if (ret) {
		put(&o, " (invalid: %s", status_text[in.status]);
		if (in.status == TYRC_CS_INVALID_RESERVED)
			put(&o, " 0x%llx", (unsigned long long)in.reserved);
		put(&o, ")");
	}
	return o.n;
}
