/* Internal interface of the bytecode loader, shared by load.c and
 * load_rules.c: a bounded reader over one section of the file. */
#ifndef ECORULE_LOAD_H
#define ECORULE_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

typedef struct ld_reader {
	const uint8_t *data;   /* the whole file */
	size_t pos, end;       /* the unread part of the current section */
	const char *section;   /* its name, for messages */
	char section_buf[5];
	er_program *program;
	er_error *err;
	uint32_t county_count; /* taken from CNTY before constants are read */
	int failed;            /* err is filled */
	int nomem;
} ld_reader;

/* Every reader function returns 0, or -1 after recording the failure in
 * the reader, naming the byte offset it was reading. */
void ld_fail(ld_reader *r, const char *expected);
int ld_u32(ld_reader *r, uint32_t *v);
int ld_skip_zero(ld_reader *r, size_t n);
int ld_count(ld_reader *r, size_t min_size, uint32_t *count);
int ld_index(ld_reader *r, uint32_t limit, int none_ok, const char *expected, uint32_t *v);
int ld_string(ld_reader *r, int none_ok, uint32_t *v);
int ld_unit_text(ld_reader *r, uint32_t *v, er_unit *unit);
int ld_is_digits(const er_program *p, uint32_t id);

/* Read the RULE section (load_rules.c). */
void ld_load_rules(ld_reader *r);

#endif
