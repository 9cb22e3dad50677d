/* The test assembler of tests/bcasm.h. */
#include "bcasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct buf {
	uint8_t *d;
	size_t n, cap;
} buf;

#define MAX_VALUES 16

typedef struct entity_values {
	uint32_t count;
	uint32_t attr[MAX_VALUES], constant[MAX_VALUES];
} entity_values;

struct bcasm {
	char **strings;
	uint32_t string_count, string_cap;
	buf consts, enums, facts, attrs, indsets, counties, units, rules, code;
	uint32_t const_count, enum_count, fact_count, attr_count, indset_count, county_count,
		unit_count, rule_count;
	/* Counties and units are written at the end, with their values. */
	entity_values county_values[64], unit_values[64];
};

static void *check_alloc(void *p)
{
	if (!p) {
		fputs("bcasm: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void put(buf *b, const void *data, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		b->d = check_alloc(realloc(b->d, cap));
		b->cap = cap;
	}
	memcpy(b->d + b->n, data, n);
	b->n += n;
}

static void put8(buf *b, uint8_t x)
{
	put(b, &x, 1);
}

static void put16(buf *b, uint16_t x)
{
	put8(b, (uint8_t)x);
	put8(b, (uint8_t)(x >> 8));
}

static void put32(buf *b, uint32_t x)
{
	put16(b, (uint16_t)x);
	put16(b, (uint16_t)(x >> 16));
}

static void put64(buf *b, uint64_t x)
{
	put32(b, (uint32_t)x);
	put32(b, (uint32_t)(x >> 32));
}

static void set32(uint8_t *at, uint32_t x)
{
	at[0] = (uint8_t)x;
	at[1] = (uint8_t)(x >> 8);
	at[2] = (uint8_t)(x >> 16);
	at[3] = (uint8_t)(x >> 24);
}

bcasm *bcasm_new(void)
{
	return check_alloc(calloc(1, sizeof(bcasm)));
}

void bcasm_free(bcasm *a)
{
	uint32_t i;

	if (!a)
		return;
	for (i = 0; i < a->string_count; i++)
		free(a->strings[i]);
	free(a->strings);
	free(a->consts.d);
	free(a->enums.d);
	free(a->facts.d);
	free(a->attrs.d);
	free(a->indsets.d);
	free(a->counties.d);
	free(a->units.d);
	free(a->rules.d);
	free(a->code.d);
	free(a);
}

uint32_t bcasm_str(bcasm *a, const char *s)
{
	uint32_t i;

	for (i = 0; i < a->string_count; i++)
		if (strcmp(a->strings[i], s) == 0)
			return i;
	if (a->string_count == a->string_cap) {
		a->string_cap = a->string_cap ? a->string_cap * 2 : 32;
		a->strings = check_alloc(realloc(a->strings, a->string_cap * sizeof *a->strings));
	}
	a->strings[a->string_count] = check_alloc(strdup(s));
	return a->string_count++;
}

static uint32_t str_or_none(bcasm *a, const char *s)
{
	return s ? bcasm_str(a, s) : BC_NONE;
}

static void const_head(bcasm *a, bc_const_kind kind)
{
	put8(&a->consts, (uint8_t)kind);
	put8(&a->consts, 0);
	put16(&a->consts, 0);
}

uint32_t bcasm_dec(bcasm *a, int64_t coef, int32_t scale)
{
	const_head(a, BC_CONST_DEC);
	put64(&a->consts, (uint64_t)coef);
	put32(&a->consts, (uint32_t)scale);
	return a->const_count++;
}

uint32_t bcasm_ratio(bcasm *a, int64_t num, int32_t den)
{
	const_head(a, BC_CONST_RATIO);
	put64(&a->consts, (uint64_t)num);
	put32(&a->consts, (uint32_t)den);
	return a->const_count++;
}

uint32_t bcasm_const(bcasm *a, bc_const_kind kind, uint32_t x, uint32_t y)
{
	const_head(a, kind);
	put32(&a->consts, x);
	put32(&a->consts, y);
	put32(&a->consts, 0);
	return a->const_count++;
}

uint32_t bcasm_set(bcasm *a, uint32_t enum_index, uint64_t bits)
{
	const_head(a, BC_CONST_SET);
	put32(&a->consts, enum_index);
	put64(&a->consts, bits);
	return a->const_count++;
}

uint32_t bcasm_enum(bcasm *a, const char *name, const char *const *values, uint32_t n)
{
	uint32_t i;

	put32(&a->enums, bcasm_str(a, name));
	put32(&a->enums, n);
	for (i = 0; i < n; i++)
		put32(&a->enums, bcasm_str(a, values[i]));
	return a->enum_count++;
}

uint32_t bcasm_fact(bcasm *a, const char *path, const char *label, er_fact_type type,
		    uint32_t enum_index, const char *unit)
{
	put32(&a->facts, bcasm_str(a, path));
	put32(&a->facts, bcasm_str(a, label));
	put8(&a->facts, (uint8_t)type);
	put8(&a->facts, 0);
	put16(&a->facts, 0);
	put32(&a->facts, enum_index);
	put32(&a->facts, str_or_none(a, unit));
	return a->fact_count++;
}

uint32_t bcasm_attr(bcasm *a, int owner, er_fact_type type, const char *name, const char *label,
		    uint32_t enum_index, const char *unit)
{
	put8(&a->attrs, (uint8_t)owner);
	put8(&a->attrs, (uint8_t)type);
	put16(&a->attrs, 0);
	put32(&a->attrs, bcasm_str(a, name));
	put32(&a->attrs, bcasm_str(a, label));
	put32(&a->attrs, enum_index);
	put32(&a->attrs, str_or_none(a, unit));
	put32(&a->attrs, 0);
	return a->attr_count++;
}

uint32_t bcasm_indset(bcasm *a, const char *name, const char *const *codes, uint32_t n)
{
	uint32_t i;

	put32(&a->indsets, str_or_none(a, name));
	put32(&a->indsets, n);
	for (i = 0; i < n; i++)
		put32(&a->indsets, bcasm_str(a, codes[i]));
	return a->indset_count++;
}

uint32_t bcasm_county(bcasm *a, const char *name, const char *code)
{
	put32(&a->counties, bcasm_str(a, name));
	put32(&a->counties, bcasm_str(a, code));
	return a->county_count++;
}

static void add_value(entity_values *v, uint32_t attr, uint32_t constant)
{
	if (v->count == MAX_VALUES) {
		fputs("bcasm: too many values\n", stderr);
		abort();
	}
	v->attr[v->count] = attr;
	v->constant[v->count++] = constant;
}

void bcasm_county_value(bcasm *a, uint32_t county, uint32_t attr, uint32_t constant)
{
	add_value(&a->county_values[county], attr, constant);
}

uint32_t bcasm_unit(bcasm *a, const char *code, const char *name, uint32_t county,
		    er_unit_class klass, uint32_t area)
{
	put32(&a->units, bcasm_str(a, code));
	put32(&a->units, bcasm_str(a, name));
	put32(&a->units, county);
	put32(&a->units, (uint32_t)klass);
	put32(&a->units, area);
	return a->unit_count++;
}

void bcasm_unit_value(bcasm *a, uint32_t unit, uint32_t attr, uint32_t constant)
{
	add_value(&a->unit_values[unit], attr, constant);
}

uint32_t bcasm_here(bcasm *a)
{
	return (uint32_t)a->code.n;
}

void bcasm_op(bcasm *a, bc_opcode op)
{
	put8(&a->code, (uint8_t)op);
}

void bcasm_op8(bcasm *a, bc_opcode op, uint8_t x)
{
	put8(&a->code, (uint8_t)op);
	put8(&a->code, x);
}

void bcasm_op16(bcasm *a, bc_opcode op, uint16_t x)
{
	put8(&a->code, (uint8_t)op);
	put16(&a->code, x);
}

void bcasm_op32(bcasm *a, bc_opcode op, uint32_t x)
{
	put8(&a->code, (uint8_t)op);
	put32(&a->code, x);
}

uint32_t bcasm_jump(bcasm *a, bc_opcode op)
{
	bcasm_op16(a, op, 0);
	return (uint32_t)a->code.n - 2;
}

void bcasm_land(bcasm *a, uint32_t jump)
{
	uint32_t distance = (uint32_t)a->code.n - (jump + 2);
	a->code.d[jump] = (uint8_t)distance;
	a->code.d[jump + 1] = (uint8_t)(distance >> 8);
}

void bcasm_raw(bcasm *a, const uint8_t *bytes, size_t n)
{
	put(&a->code, bytes, n);
}

uint32_t bcasm_rule_add(bcasm *a, const bcasm_rule *r)
{
	buf *b = &a->rules;
	uint32_t i;

	put32(b, bcasm_str(a, r->id));
	put32(b, bcasm_str(a, r->title ? r->title : r->id));
	put32(b, (uint32_t)r->dimension);
	put32(b, (uint32_t)r->verdict);
	put32(b, (r->has_from ? BC_RULE_HAS_FROM : 0) | (r->has_until ? BC_RULE_HAS_UNTIL : 0));
	put32(b, (uint32_t)r->from);
	put32(b, (uint32_t)r->until);
	put32(b, bcasm_str(a, r->message ? r->message : ""));
	put32(b, 0); /* source file: test.rule */
	put32(b, 1 + a->rule_count);
	put32(b, 1);
	put32(b, r->condition);
	put32(b, r->ensure);
	put32(b, r->class_mask);
	put32(b, r->unit_count);
	put32(b, r->county_count);
	put32(b, 1);
	put32(b, 0);
	put32(b, r->part_count);
	put32(b, r->let_count);
	put32(b, 0);
	for (i = 0; i < r->unit_count; i++)
		put32(b, r->units[i]);
	for (i = 0; i < r->county_count; i++)
		put32(b, r->counties[i]);
	put32(b, bcasm_str(a, r->basis ? r->basis : "test basis"));
	for (i = 0; i < r->part_count; i++) {
		put32(b, str_or_none(a, r->parts[i].text));
		put32(b, r->parts[i].code);
		put32(b, str_or_none(a, r->parts[i].unit));
	}
	for (i = 0; i < r->let_count; i++) {
		put32(b, bcasm_str(a, r->lets[i].name));
		put32(b, r->lets[i].code);
		put32(b, str_or_none(a, r->lets[i].unit));
	}
	return a->rule_count++;
}

static void entities(buf *out, const buf *fixed, size_t fixed_size, uint32_t count,
		     const entity_values *values)
{
	uint32_t i, k;

	for (i = 0; i < count; i++) {
		put(out, fixed->d + i * fixed_size, fixed_size);
		put32(out, values[i].count);
		for (k = 0; k < values[i].count; k++) {
			put32(out, values[i].attr[k]);
			put32(out, values[i].constant[k]);
		}
	}
}

void bcasm_fix_crc(uint8_t *data, size_t size)
{
	static const uint8_t zero[4] = { 0, 0, 0, 0 };
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, data, 20);
	crc = crc32(crc, zero, 4);
	crc = crc32(crc, data + 24, (uInt)(size - 24));
	set32(data + 20, (uint32_t)crc);
}

uint8_t *bcasm_finish(bcasm *a, size_t *size)
{
	enum { SECTIONS = 11 };
	buf sec[SECTIONS];
	uint32_t kinds[SECTIONS] = {
		BC_SEC_STRINGS, BC_SEC_CONSTS, BC_SEC_ENUMS, BC_SEC_FACTS, BC_SEC_ATTRS,
		BC_SEC_INDUSTRY, BC_SEC_COUNTIES, BC_SEC_UNITS, BC_SEC_SOURCES, BC_SEC_RULES,
		BC_SEC_CODE,
	};
	buf file = { NULL, 0, 0 };
	uint32_t i, offset, source = bcasm_str(a, "test.rule");
	size_t area = 0;

	memset(sec, 0, sizeof sec);
	/* STRS */
	put32(&sec[0], a->string_count);
	for (i = 0; i <= a->string_count; i++) {
		put32(&sec[0], (uint32_t)area);
		if (i < a->string_count)
			area += strlen(a->strings[i]);
	}
	for (i = 0; i < a->string_count; i++)
		put(&sec[0], a->strings[i], strlen(a->strings[i]));
#define COUNTED(k, count, b)          \
	put32(&sec[k], (count));      \
	if ((b).n)                    \
		put(&sec[k], (b).d, (b).n)
	COUNTED(1, a->const_count, a->consts);
	COUNTED(2, a->enum_count, a->enums);
	COUNTED(3, a->fact_count, a->facts);
	COUNTED(4, a->attr_count, a->attrs);
	COUNTED(5, a->indset_count, a->indsets);
	put32(&sec[6], a->county_count);
	entities(&sec[6], &a->counties, 8, a->county_count, a->county_values);
	put32(&sec[7], a->unit_count);
	entities(&sec[7], &a->units, 20, a->unit_count, a->unit_values);
	put32(&sec[8], 1);
	put32(&sec[8], source);
	COUNTED(9, a->rule_count, a->rules);
#undef COUNTED
	if (a->code.n)
		put(&sec[10], a->code.d, a->code.n);

	put(&file, BC_MAGIC, 4);
	put16(&file, BC_VERSION_MAJOR);
	put16(&file, BC_VERSION_MINOR);
	put32(&file, 0);
	put32(&file, SECTIONS);
	put32(&file, 0); /* size, set below */
	put32(&file, 0); /* CRC, set below */
	put32(&file, 0);
	put32(&file, 0);
	offset = BC_HEADER_SIZE + SECTIONS * BC_DIR_ENTRY_SIZE;
	for (i = 0; i < SECTIONS; i++) {
		put32(&file, kinds[i]);
		put32(&file, offset);
		put32(&file, (uint32_t)sec[i].n);
		offset += (uint32_t)sec[i].n;
	}
	for (i = 0; i < SECTIONS; i++) {
		if (sec[i].n)
			put(&file, sec[i].d, sec[i].n);
		free(sec[i].d);
	}
	set32(file.d + 16, (uint32_t)file.n);
	bcasm_fix_crc(file.d, file.n);
	*size = file.n;
	return file.d;
}

int bcasm_find_section(const uint8_t *data, size_t size, uint32_t kind, uint32_t *offset,
		       uint32_t *section_size)
{
	uint32_t count, i;

	if (size < BC_HEADER_SIZE)
		return -1;
	count = (uint32_t)data[12] | (uint32_t)data[13] << 8 | (uint32_t)data[14] << 16 |
		(uint32_t)data[15] << 24;
	for (i = 0; i < count; i++) {
		const uint8_t *e = data + BC_HEADER_SIZE + (size_t)i * BC_DIR_ENTRY_SIZE;
		uint32_t k = (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 |
			     (uint32_t)e[3] << 24;
		if (k == kind) {
			*offset = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 |
				  (uint32_t)e[7] << 24;
			*section_size = (uint32_t)e[8] | (uint32_t)e[9] << 8 |
					(uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
			return 0;
		}
	}
	return -1;
}

uint8_t *bcasm_deep_chain(size_t terms, size_t *size)
{
	bcasm *a = bcasm_new();
	uint32_t n = bcasm_fact(a, "n", "次数", ER_FT_INTEGER, BC_NONE, NULL);
	uint32_t cond = bcasm_here(a);
	bcasm_rule r;

	for (size_t i = 0; i < terms; i++) {
		bcasm_op16(a, OP_FACT, (uint16_t)n);
		bcasm_op32(a, OP_CONST, bcasm_dec(a, -(int64_t)i, 0));
		bcasm_op(a, OP_GT);
		if (i > 0)
			bcasm_op(a, OP_AND);
	}
	bcasm_op(a, OP_RET);
	memset(&r, 0, sizeof r);
	r.id = "deep";
	r.title = "deep";
	r.message = "deep";
	r.basis = "test";
	r.dimension = ER_DIM_LAYOUT;
	r.verdict = ER_VERDICT_GUIDE;
	r.condition = cond;
	r.ensure = BC_NONE;
	bcasm_rule_add(a, &r);
	uint8_t *data = bcasm_finish(a, size);
	bcasm_free(a);
	return data;
}
