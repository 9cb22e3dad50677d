/* A small assembler for tests: builds a valid bytecode file from tables
 * and code written by hand, so the loader, verifier and VM can be tested
 * without the compiler. Test-only; out of memory aborts the test. */
#ifndef ECORULE_TESTS_BCASM_H
#define ECORULE_TESTS_BCASM_H

#include <stddef.h>
#include <stdint.h>

#include "bytecode.h"
#include "types.h"

typedef struct bcasm bcasm;

typedef struct bcasm_part {
	const char *text;  /* literal text, or NULL for a value */
	uint32_t code;     /* code offset of the value, or BC_NONE */
	const char *unit;  /* display unit or NULL */
} bcasm_part;

typedef struct bcasm_let {
	const char *name;
	uint32_t code;
	const char *unit;
} bcasm_let;

typedef struct bcasm_rule {
	const char *id, *title, *message, *basis;
	er_dimension dimension;
	er_verdict verdict;
	int has_from, has_until;
	int32_t from, until;
	uint32_t condition, ensure;  /* code offsets or BC_NONE */
	uint32_t class_mask;
	const uint32_t *units;
	uint32_t unit_count;
	const uint32_t *counties;
	uint32_t county_count;
	const bcasm_part *parts;
	uint32_t part_count;
	const bcasm_let *lets;
	uint32_t let_count;
} bcasm_rule;

bcasm *bcasm_new(void);
void bcasm_free(bcasm *a);

uint32_t bcasm_str(bcasm *a, const char *s);
uint32_t bcasm_dec(bcasm *a, int64_t coef, int32_t scale);
uint32_t bcasm_ratio(bcasm *a, int64_t num, int32_t den);
/* DATE, STRING, CODE (x: string id), BOOL, INDSET, COUNTY, CLASS: one word
 * x; ENUM: x enum index, y value index. */
uint32_t bcasm_const(bcasm *a, bc_const_kind kind, uint32_t x, uint32_t y);
uint32_t bcasm_set(bcasm *a, uint32_t enum_index, uint64_t bits);

uint32_t bcasm_enum(bcasm *a, const char *name, const char *const *values, uint32_t n);
uint32_t bcasm_fact(bcasm *a, const char *path, const char *label, er_fact_type type,
		    uint32_t enum_index, const char *unit);
uint32_t bcasm_attr(bcasm *a, int owner, er_fact_type type, const char *name, const char *label,
		    uint32_t enum_index, const char *unit);
uint32_t bcasm_indset(bcasm *a, const char *name, const char *const *codes, uint32_t n);
uint32_t bcasm_county(bcasm *a, const char *name, const char *code);
void bcasm_county_value(bcasm *a, uint32_t county, uint32_t attr, uint32_t constant);
uint32_t bcasm_unit(bcasm *a, const char *code, const char *name, uint32_t county,
		    er_unit_class klass, uint32_t area);
void bcasm_unit_value(bcasm *a, uint32_t unit, uint32_t attr, uint32_t constant);

/* Code: the current offset, instructions with 0, 1, 2 or 4 operand bytes,
 * forward jumps patched when their target is reached, and raw bytes. */
uint32_t bcasm_here(bcasm *a);
void bcasm_op(bcasm *a, bc_opcode op);
void bcasm_op8(bcasm *a, bc_opcode op, uint8_t x);
void bcasm_op16(bcasm *a, bc_opcode op, uint16_t x);
void bcasm_op32(bcasm *a, bc_opcode op, uint32_t x);
uint32_t bcasm_jump(bcasm *a, bc_opcode op);
void bcasm_land(bcasm *a, uint32_t jump);
void bcasm_raw(bcasm *a, const uint8_t *bytes, size_t n);

uint32_t bcasm_rule_add(bcasm *a, const bcasm_rule *rule);

/* The file, malloc'ed; the caller frees it. */
uint8_t *bcasm_finish(bcasm *a, size_t *size);

/* A whole file with an integer fact `n` (label 次数) and one guide rule
 * `deep` whose condition is `n > 0 and n > -1 and … ` with `terms`
 * comparisons joined by OP_AND: deeper than the compiler's nesting limit
 * lets a source file be, for the decompiler's own limit. malloc'ed. */
uint8_t *bcasm_deep_chain(size_t terms, size_t *size);
/* Recompute the CRC-32 field after a test changed the file. */
void bcasm_fix_crc(uint8_t *data, size_t size);
/* Offset and size of the section of `kind` in a finished file; -1 if
 * absent. */
int bcasm_find_section(const uint8_t *data, size_t size, uint32_t kind, uint32_t *offset,
		       uint32_t *section_size);

#endif
