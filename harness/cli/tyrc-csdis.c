// SPDX-License-Identifier: MIT
/*
 * tyrc-csdis - disassemble a CS v10 instruction stream.
 *
 *   tyrc-csdis FILE      FILE is a binary stream of little-endian u64 words
 *   tyrc-csdis [-]       hex words on stdin, whitespace separated
 *                        (an optional "0x" prefix is accepted)
 *
 * Prints one line per instruction: byte address, the word, the text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tyrc_cs_isa.h"

static void print_word(u64 addr, u64 word)
{
	char text[256];

	tyrc_cs_disasm(word, text, sizeof(text));
	printf("%06" PRIx64 ":  %016" PRIx64 "  %s\n", addr, word, text);
}

static int dis_binary(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char b[8];
	u64 addr = 0;
	size_t n;

	if (!f) {
		fprintf(stderr, "tyrc-csdis: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = fread(b, 1, sizeof(b), f)) == sizeof(b)) {
		u64 word = 0;
		int i;

		for (i = 7; i >= 0; i--)
			word = word << 8 | b[i];
		print_word(addr, word);
		addr += 8;
	}
	fclose(f);
	if (n) {
		fprintf(stderr, "tyrc-csdis: %s: %zu trailing bytes\n", path, n);
		return 1;
	}
	return 0;
}

static int dis_hex(FILE *in)
{
	char tok[64];
	u64 addr = 0;

	while (fscanf(in, "%63s", tok) == 1) {
		char *end;
		u64 word;

		errno = 0;
		word = strtoull(tok, &end, 16);
		if (errno || *end || end == tok) {
			fprintf(stderr, "tyrc-csdis: not a hex word: %s\n", tok);
			return 1;
		}
		print_word(addr, word);
		addr += 8;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))) {
		fprintf(stderr, "usage: tyrc-csdis [FILE | -]\n"
				"  FILE: binary stream (little-endian u64 "
				"words); none or -: hex words on stdin\n");
		return argc > 2 ? 2 : 0;
	}
	if (argc == 2 && strcmp(argv[1], "-"))
		return dis_binary(argv[1]);
	return dis_hex(stdin);
}
