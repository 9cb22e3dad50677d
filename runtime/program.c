/* Accessors of a loaded program (the er_program_* functions of
 * ecorule.h), its hash tables, and freeing it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "program.h"

int pr_kind_of_type(er_fact_type type, er_kind *kind)
{
	switch (type) {
	case ER_FT_BOOLEAN: *kind = ER_K_BOOL; return 0;
	case ER_FT_INTEGER:
	case ER_FT_NUMBER:
	case ER_FT_QUANTITY: *kind = ER_K_DEC; return 0;
	case ER_FT_DATE: *kind = ER_K_DATE; return 0;
	case ER_FT_STRING: *kind = ER_K_STRING; return 0;
	case ER_FT_CODE: *kind = ER_K_CODE; return 0;
	case ER_FT_UNIT: *kind = ER_K_UNIT; return 0;
	case ER_FT_ENUM: *kind = ER_K_ENUM; return 0;
	case ER_FT_SET: *kind = ER_K_SET; return 0;
	case ER_FT_INDUSTRIES: *kind = ER_K_INDSET; return 0;
	}
	return -1;
}

const char *pr_section_name(uint32_t kind, char buf[5])
{
	int i;
	for (i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)(kind >> (8 * i));
		buf[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	}
	buf[4] = '\0';
	return buf;
}

void pr_format_error(er_error *err, er_status status, const char *section, size_t offset,
		     const char *expected)
{
	err->status = status;
	snprintf(err->message, sizeof err->message,
		 _("invalid bytecode file: %s section, byte offset %zu: %s"), section, offset, expected);
}

/* ---- Hash tables (FNV-1a, linear probing) ---- */

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

er_status pr_hash_init(pr_hash *h, size_t entries)
{
	size_t n = 8, i;

	while (n < entries * 2) {
		if (n > ((size_t)1 << 30))
			return ER_E_NOMEM;
		n *= 2;
	}
	h->slots = malloc(n * sizeof *h->slots);
	if (!h->slots)
		return ER_E_NOMEM;
	for (i = 0; i < n; i++)
		h->slots[i].value = BC_NONE;
	h->mask = (uint32_t)(n - 1);
	return ER_OK;
}

void pr_hash_insert(const er_program *p, pr_hash *h, uint32_t string, uint32_t value)
{
	uint32_t i = hash_bytes(p->strings[string], p->string_lens[string]) & h->mask;

	while (h->slots[i].value != BC_NONE) {
		uint32_t other = h->slots[i].string;
		if (p->string_lens[other] == p->string_lens[string] &&
		    memcmp(p->strings[other], p->strings[string], p->string_lens[string]) == 0)
			return;
		i = (i + 1) & h->mask;
	}
	h->slots[i].string = string;
	h->slots[i].value = value;
}

uint32_t pr_hash_find(const er_program *p, const pr_hash *h, const char *key, size_t len)
{
	uint32_t i;

	if (!h->slots)
		return BC_NONE;
	i = hash_bytes(key, len) & h->mask;
	while (h->slots[i].value != BC_NONE) {
		uint32_t s = h->slots[i].string;
		if (p->string_lens[s] == len && memcmp(p->strings[s], key, len) == 0)
			return h->slots[i].value;
		i = (i + 1) & h->mask;
	}
	return BC_NONE;
}

/* ---- Freeing ---- */

void er_program_free(er_program *p)
{
	uint32_t i;

	if (!p)
		return;
	free(p->data);
	free(p->strings);
	free(p->string_lens);
	free(p->string_store);
	free(p->consts);
	free(p->enums);
	free(p->enum_values);
	free(p->facts);
	free(p->fact_kinds);
	free(p->fact_names);
	free(p->fact_hash.slots);
	free(p->attrs);
	if (p->indsets)
		for (i = 0; i < p->indset_count; i++)
			free(p->indsets[i].codes);
	free(p->indsets);
	free(p->counties);
	free(p->county_values);
	free(p->units);
	free(p->unit_values);
	free(p->unit_hash.slots);
	free(p->sources);
	free(p->rules);
	free(p->rule_code);
	free(p->rule_words);
	free(p->rule_parts);
	free(p->rule_lets);
	free(p->rule_basis);
	free(p->index_rules);
	free(p->by_class_county);
	free(p->by_unit);
	free(p->rule_indset);
	free(p->ind_keys.slots);
	free(p->ind_key_lists);
	free(p->ind_keyed);
	free(p->ind_base);
	free(p->ind_rules);
	free(p);
}

/* ---- Accessors ---- */

size_t er_program_fact_count(const er_program *p)
{
	return p->fact_count;
}

const er_fact_info *er_program_fact(const er_program *p, size_t index)
{
	return index < p->fact_count ? &p->facts[index] : NULL;
}

uint32_t er_program_find_fact(const er_program *p, const char *name, size_t len)
{
	return pr_hash_find(p, &p->fact_hash, name, len);
}

uint32_t er_program_unit_fact(const er_program *p)
{
	return p->unit_fact;
}

size_t er_program_enum_count(const er_program *p)
{
	return p->enum_count;
}

const char *er_program_enum_name(const er_program *p, uint32_t enum_index)
{
	return enum_index < p->enum_count ? p->strings[p->enums[enum_index].name] : NULL;
}

size_t er_program_enum_size(const er_program *p, uint32_t enum_index)
{
	return enum_index < p->enum_count ? p->enums[enum_index].size : 0;
}

const char *er_program_enum_value(const er_program *p, uint32_t enum_index, uint32_t value)
{
	if (enum_index >= p->enum_count || value >= p->enums[enum_index].size)
		return NULL;
	return p->strings[p->enums[enum_index].values[value]];
}

uint32_t er_program_find_enum_value(const er_program *p, uint32_t enum_index, const char *name,
				    size_t len)
{
	const pr_enum *e;
	uint32_t i;

	if (enum_index >= p->enum_count)
		return BC_NONE;
	e = &p->enums[enum_index];
	for (i = 0; i < e->size; i++) {
		uint32_t s = e->values[i];
		if (p->string_lens[s] == len && memcmp(p->strings[s], name, len) == 0)
			return i;
	}
	return BC_NONE;
}

size_t er_program_rule_count(const er_program *p)
{
	return p->rule_count;
}

const er_rule_info *er_program_rule(const er_program *p, size_t index)
{
	return index < p->rule_count ? &p->rules[index] : NULL;
}

er_rule_part er_program_rule_part(const er_program *p, size_t rule, size_t part)
{
	er_rule_part out = { NULL, NULL };

	if (rule < p->rule_count && part < p->rule_code[rule].part_count) {
		const pr_part *src = &p->rule_code[rule].parts[part];
		out.text = pr_string_or_null(p, src->text);
		out.unit_text = pr_string_or_null(p, src->unit_text);
	}
	return out;
}

er_rule_let er_program_rule_let(const er_program *p, size_t rule, size_t let)
{
	er_rule_let out = { NULL, NULL };

	if (rule < p->rule_count && let < p->rule_code[rule].let_count) {
		const pr_let *src = &p->rule_code[rule].lets[let];
		out.name = p->strings[src->name];
		out.unit_text = pr_string_or_null(p, src->unit_text);
	}
	return out;
}

size_t er_program_unit_count(const er_program *p)
{
	return p->unit_count;
}

uint32_t er_program_find_unit(const er_program *p, const char *code, size_t len)
{
	return pr_hash_find(p, &p->unit_hash, code, len);
}

const char *er_program_unit_code(const er_program *p, uint32_t unit)
{
	return unit < p->unit_count ? p->strings[p->units[unit].code] : NULL;
}

const char *er_program_unit_name(const er_program *p, uint32_t unit)
{
	return unit < p->unit_count ? p->strings[p->units[unit].name] : NULL;
}

size_t er_program_county_count(const er_program *p)
{
	return p->county_count;
}

const char *er_program_county_name(const er_program *p, uint32_t county)
{
	return county < p->county_count ? p->strings[p->counties[county].name] : NULL;
}

uint32_t er_program_find_county_code(const er_program *p, const char *code, size_t len)
{
	uint32_t i;

	for (i = 0; i < p->county_count; i++) {
		uint32_t s = p->counties[i].code;
		if (p->string_lens[s] == len && memcmp(p->strings[s], code, len) == 0)
			return i;
	}
	return BC_NONE;
}

/* ---- Reference data ---- */

uint32_t er_program_unit_county(const er_program *p, uint32_t unit)
{
	return unit < p->unit_count ? p->units[unit].county : BC_NONE;
}

int er_program_unit_class(const er_program *p, uint32_t unit)
{
	return unit < p->unit_count ? (int)p->units[unit].klass : -1;
}

int er_program_unit_area(const er_program *p, uint32_t unit, er_value *area)
{
	if (unit >= p->unit_count || p->units[unit].area == BC_NONE)
		return 0;
	*area = p->consts[p->units[unit].area].value;
	return 1;
}

size_t er_program_attr_count(const er_program *p)
{
	return p->attr_count;
}

int er_program_attr(const er_program *p, uint32_t attr, er_attr_info *info)
{
	const pr_attr *a;

	if (attr >= p->attr_count)
		return -1;
	a = &p->attrs[attr];
	info->owner = a->owner == 0 ? ER_ATTR_UNIT : ER_ATTR_COUNTY;
	info->name = p->strings[a->name];
	info->label = p->strings[a->label];
	info->type = (er_fact_type)a->type;
	info->enum_index = a->enum_index;
	info->unit_text = pr_string_or_null(p, a->unit_text);
	return 0;
}

/* The constant that row `row` of `rows` sets for `attr`, or BC_NONE. */
static uint32_t attr_constant(const er_program *p, const uint32_t *rows, uint32_t row_count,
			      uint32_t row, uint32_t attr, uint8_t owner)
{
	if (row >= row_count || attr >= p->attr_count || p->attrs[attr].owner != owner)
		return BC_NONE;
	return rows[(size_t)row * p->attr_count + attr];
}

int er_program_unit_value(const er_program *p, uint32_t unit, uint32_t attr, er_value *value)
{
	uint32_t c = attr_constant(p, p->unit_values, p->unit_count, unit, attr, 0);

	if (c == BC_NONE)
		return 0;
	*value = p->consts[c].value;
	return 1;
}

int er_program_county_value(const er_program *p, uint32_t county, uint32_t attr, er_value *value)
{
	uint32_t c = attr_constant(p, p->county_values, p->county_count, county, attr, 1);

	if (c == BC_NONE)
		return 0;
	*value = p->consts[c].value;
	return 1;
}
