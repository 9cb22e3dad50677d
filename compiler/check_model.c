/* The model's tables: growth, constants with de-duplication, freeing. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	ast_out_of_memory();
}

void *model_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *model_xstrdup(const char *s)
{
	size_t len = strlen(s);
	char *copy = model_xmalloc(len + 1);
	memcpy(copy, s, len + 1);
	return copy;
}

void *model_grow(void **items, size_t *count, size_t *cap, size_t size)
{
	if (*count == *cap) {
		size_t next = *cap ? *cap * 2 : 8;
		void *p = realloc(*items, next * size);
		if (!p)
			out_of_memory();
		*items = p;
		*cap = next;
	}
	void *slot = (char *)*items + *count * size;
	memset(slot, 0, size);
	(*count)++;
	return slot;
}

void model_init(model *m)
{
	memset(m, 0, sizeof *m);
	m->unit_fact = BC_NONE;
}

void model_free(model *m)
{
	free(m->sources.items);
	free(m->consts.items);
	free(m->const_slots);
	for (size_t i = 0; i < m->enums.count; i++) {
		free(m->enums.items[i].values.items);
		free(m->enums.items[i].value_spans.items);
	}
	free(m->enums.items);
	free(m->facts.items);
	free(m->attrs.items);
	for (size_t i = 0; i < m->industries.count; i++) {
		model_industry *ind = &m->industries.items[i];
		for (size_t c = 0; c < ind->codes.count; c++)
			free(ind->codes.items[c]);
		free(ind->codes.items);
	}
	free(m->industries.items);
	for (size_t i = 0; i < m->counties.count; i++)
		free(m->counties.items[i].values.items);
	free(m->counties.items);
	for (size_t i = 0; i < m->units.count; i++)
		free(m->units.items[i].values.items);
	free(m->units.items);
	for (size_t i = 0; i < m->rules.count; i++) {
		model_rule *r = &m->rules.items[i];
		free(r->scope_units.items);
		free(r->scope_counties.items);
		free(r->lets.items);
		free(r->parts.items);
		free(r->overrides.items);
		free(r->facts_read.items);
	}
	free(m->rules.items);
	free(m->code.items);
	for (size_t i = 0; i < m->owned.count; i++)
		free(m->owned.items[i]);
	free(m->owned.items);
	memset(m, 0, sizeof *m);
	m->unit_fact = BC_NONE;
}

char *model_keep(model *m, char *s)
{
	*MODEL_PUSH(m->owned) = s;
	return s;
}

static int const_equal(const model_const *a, const model_const *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case BC_CONST_DEC:
		/* Same coefficient and scale: 10 and 10.00 stay two constants,
		 * because a message prints each as written. */
		return a->dec.coef == b->dec.coef && a->dec.scale == b->dec.scale;
	case BC_CONST_RATIO:
		return a->num == b->num && a->den == b->den;
	case BC_CONST_DATE:
		return a->date == b->date;
	case BC_CONST_STRING:
	case BC_CONST_CODE:
		return strcmp(a->text, b->text) == 0;
	case BC_CONST_ENUM:
		return a->index == b->index && a->value == b->value;
	case BC_CONST_SET:
		return a->index == b->index && a->bits == b->bits;
	case BC_CONST_BOOL:
	case BC_CONST_INDSET:
	case BC_CONST_COUNTY:
	case BC_CONST_CLASS:
		return a->index == b->index;
	}
	return 0;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 1099511628211ull;
}

static uint64_t const_hash(const model_const *c)
{
	uint64_t h = mix(14695981039346656037ull, (uint64_t)c->kind);
	switch (c->kind) {
	case BC_CONST_DEC:
		return mix(mix(h, (uint64_t)c->dec.coef), (uint64_t)c->dec.scale);
	case BC_CONST_RATIO:
		return mix(mix(h, (uint64_t)c->num), (uint64_t)c->den);
	case BC_CONST_DATE:
		return mix(h, (uint64_t)(uint32_t)c->date);
	case BC_CONST_STRING:
	case BC_CONST_CODE:
		for (const char *s = c->text; *s; s++)
			h = mix(h, (uint8_t)*s);
		return h;
	case BC_CONST_SET:
		return mix(mix(h, c->index), c->bits);
	default:
		return mix(mix(h, c->index), c->value);
	}
}

static void const_rehash(model *m)
{
	size_t count = m->const_slot_count ? m->const_slot_count * 2 : 256;
	free(m->const_slots);
	m->const_slots = model_xmalloc(count * sizeof *m->const_slots);
	memset(m->const_slots, 0, count * sizeof *m->const_slots);
	m->const_slot_count = count;
	for (size_t i = 0; i < m->consts.count; i++) {
		size_t j = const_hash(&m->consts.items[i]) & (count - 1);
		while (m->const_slots[j])
			j = (j + 1) & (count - 1);
		m->const_slots[j] = (uint32_t)i + 1;
	}
}

uint32_t model_const_add(model *m, const model_const *c)
{
	if ((m->consts.count + 1) * 2 > m->const_slot_count)
		const_rehash(m);
	size_t mask = m->const_slot_count - 1;
	size_t j = const_hash(c) & mask;
	while (m->const_slots[j]) {
		uint32_t id = m->const_slots[j] - 1;
		if (const_equal(&m->consts.items[id], c))
			return id;
		j = (j + 1) & mask;
	}
	*MODEL_PUSH(m->consts) = *c;
	m->const_slots[j] = (uint32_t)m->consts.count;
	return (uint32_t)m->consts.count - 1;
}

uint32_t model_expr_const(model *m, const ast_expr *e)
{
	model_const c;
	memset(&c, 0, sizeof c);
	switch (e->kind) {
	case EXPR_NUMBER:
	case EXPR_QUANTITY:
	case EXPR_DATE:
	case EXPR_STRING:
	case EXPR_SET:
		return e->index;
	case EXPR_BOOL:
		c.kind = BC_CONST_BOOL;
		c.index = e->boolean ? 1 : 0;
		return model_const_add(m, &c);
	case EXPR_NEG: {
		uint32_t inner = model_expr_const(m, e->lhs);
		if (inner == BC_NONE || m->consts.items[inner].kind != BC_CONST_DEC)
			return BC_NONE;
		c.kind = BC_CONST_DEC;
		if (er_dec_neg(m->consts.items[inner].dec, &c.dec) != ER_DEC_OK)
			return BC_NONE;
		return model_const_add(m, &c);
	}
	case EXPR_NAME:
		switch (e->ref) {
		case REF_ENUM_VALUE:
			c.kind = BC_CONST_ENUM;
			c.index = e->enum_index;
			c.value = e->index;
			break;
		case REF_INDUSTRY:
			c.kind = BC_CONST_INDSET;
			c.index = e->index;
			break;
		case REF_COUNTY:
			c.kind = BC_CONST_COUNTY;
			c.index = e->index;
			break;
		case REF_CLASS:
			c.kind = BC_CONST_CLASS;
			c.index = e->index;
			break;
		default:
			return BC_NONE;
		}
		return model_const_add(m, &c);
	default:
		return BC_NONE;
	}
}
