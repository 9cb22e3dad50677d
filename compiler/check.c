/* The checker's entry point, its name tables and its diagnostics. */
#include "check_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void chk_error(chk *c, diag_code code, src_span span, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	diag_error(c->d, code, span, "%s", text);
	c->errors++;
}

void chk_note(chk *c, src_span span, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	diag_note(c->d, span, "%s", text);
}

/* Kinds that share one namespace hash to the same group. */
static int name_group(chk_name_kind kind)
{
	switch (kind) {
	case CHK_RULE:
		return 1;
	case CHK_UNIT_ATTR:
		return 2;
	case CHK_COUNTY_ATTR:
		return 3;
	default:
		return 0;
	}
}

static uint32_t hash_name(int group, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)group;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static chk_entry *names_slot(const chk_names *t, chk_name_kind kind, const char *name)
{
	int group = name_group(kind);
	size_t mask = t->slot_count - 1;
	size_t j = hash_name(group, name) & mask;
	while (t->slots[j].name) {
		if (name_group(t->slots[j].kind) == group && strcmp(t->slots[j].name, name) == 0)
			return &t->slots[j];
		j = (j + 1) & mask;
	}
	return &t->slots[j];
}

static void names_grow(chk_names *t)
{
	chk_names next = { 0 };
	next.slot_count = t->slot_count ? t->slot_count * 2 : 256;
	next.slots = model_xmalloc(next.slot_count * sizeof *next.slots);
	memset(next.slots, 0, next.slot_count * sizeof *next.slots);
	for (size_t i = 0; i < t->slot_count; i++) {
		if (!t->slots[i].name)
			continue;
		*names_slot(&next, t->slots[i].kind, t->slots[i].name) = t->slots[i];
		next.count++;
	}
	free(t->slots);
	*t = next;
}

const chk_entry *chk_names_add(chk *c, chk_name_kind kind, const char *name, uint32_t index,
			       src_span span)
{
	if ((c->names.count + 1) * 2 > c->names.slot_count)
		names_grow(&c->names);
	chk_entry *slot = names_slot(&c->names, kind, name);
	if (slot->name)
		return slot;
	slot->name = name;
	slot->kind = kind;
	slot->index = index;
	slot->span = span;
	c->names.count++;
	return NULL;
}

const chk_entry *chk_names_find(const chk *c, chk_name_kind kind, const char *name)
{
	if (!c->names.slot_count)
		return NULL;
	const chk_entry *slot = names_slot(&c->names, kind, name);
	if (!slot->name || slot->kind != kind)
		return NULL;
	return slot;
}

/* Decode the UTF-8 code points of s into out (at most max); returns the
 * count. Invalid bytes count as one code point each. */
static size_t code_points(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n < max) {
		uint32_t cp = *p;
		int extra = 0;
		if (cp >= 0xF0)
			extra = 3;
		else if (cp >= 0xE0)
			extra = 2;
		else if (cp >= 0xC0)
			extra = 1;
		p++;
		for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++)
			cp = (cp << 6) | (*p & 0x3F);
		out[n++] = cp;
	}
	return n;
}

/* Levenshtein distance over code points, so a Chinese character counts
 * as one edit. Names longer than 64 characters are compared by their
 * first 64. */
static size_t edit_distance(const char *a, const char *b)
{
	uint32_t ca[64], cb[64];
	size_t na = code_points(a, ca, 64), nb = code_points(b, cb, 64);
	size_t row[65];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag_prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t best = diag_prev + (ca[i - 1] != cb[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag_prev = up;
		}
	}
	return row[nb];
}

const char *chk_names_suggest(const chk *c, chk_name_kind kind, const char *name)
{
	uint32_t tmp[64];
	size_t len = code_points(name, tmp, 64);
	/* Allow one edit in short names and a third of the length in long. */
	size_t limit = len <= 3 ? 1 : len / 3;
	const char *best = NULL;
	size_t best_distance = limit + 1;
	for (size_t i = 0; i < c->names.slot_count; i++) {
		const chk_entry *e = &c->names.slots[i];
		if (!e->name || e->kind != kind)
			continue;
		size_t d = edit_distance(name, e->name);
		if (d < best_distance || (d == best_distance && best && strcmp(e->name, best) < 0)) {
			best = e->name;
			best_distance = d;
		}
	}
	return best_distance <= limit ? best : NULL;
}

int chk_class_from_name(const char *name)
{
	static const char *const names[3][2] = {
		{ "优先保护", "priority" },
		{ "重点管控", "key" },
		{ "一般管控", "general" },
	};
	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i][0]) == 0 || strcmp(name, names[i][1]) == 0)
			return i;
	return -1;
}

size_t check_rule_set(ast_file *const *files, size_t file_count, model *m, diag_list *d)
{
	chk c;
	memset(&c, 0, sizeof c);
	c.m = m;
	c.d = d;

	chk_collect(&c, files, file_count);
	chk_reference_data(&c);
	chk_rules(&c);

	free(c.names.slots);
	return c.errors;
}
