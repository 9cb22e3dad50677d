/* The loader's reading of the RULE section: each rule's fixed part and
 * its arrays, with every reference checked against its table. */
#include <stdlib.h>

#include "i18n.h"
#include "load.h"

static int read_code_offset(ld_reader *r, uint32_t *v)
{
	return ld_index(r, r->program->code_size, 1,
			_("expected a code offset within the CODE section"), v);
}

static int read_dates(ld_reader *r, er_rule_info *info, uint32_t flags)
{
	uint32_t from, until;

	if (ld_u32(r, &from) != 0 || ld_u32(r, &until) != 0)
		return -1;
	info->has_from = (flags & BC_RULE_HAS_FROM) != 0;
	info->has_until = (flags & BC_RULE_HAS_UNTIL) != 0;
	info->from = (int32_t)from;
	info->until = (int32_t)until;
	return 0;
}

/* Read one rule; `words` and the other cursors advance through the
 * backing stores, which the caller sized from the section size. */
static int read_rule(ld_reader *r, uint32_t index, uint32_t **words, pr_part **parts,
		     pr_let **lets, const char ***basis)
{
	er_program *p = r->program;
	er_rule_info *info = &p->rules[index];
	pr_rule *rc = &p->rule_code[index];
	uint32_t id, title, dimension, verdict, flags, message, source, basis_count, read_count;
	uint32_t k;
	er_unit unit;
	size_t at;

	if (ld_string(r, 0, &id) != 0 || ld_string(r, 0, &title) != 0 ||
	    ld_index(r, ER_DIM_COUNT, 0, _("expected a dimension from 0 to 3"), &dimension) != 0 ||
	    ld_index(r, ER_VERDICT_COUNT, 0, _("expected a verdict from 0 to 4"), &verdict) != 0)
		return -1;
	at = r->pos;
	if (ld_u32(r, &flags) != 0)
		return -1;
	if (flags & ~(uint32_t)(BC_RULE_HAS_FROM | BC_RULE_HAS_UNTIL)) {
		r->pos = at;
		ld_fail(r, _("expected rule flags of known bits only"));
		return -1;
	}
	if (read_dates(r, info, flags) != 0 || ld_string(r, 0, &message) != 0 ||
	    ld_index(r, p->source_count, 1, _("expected a source-file index"), &source) != 0 ||
	    ld_u32(r, &info->line) != 0 || ld_u32(r, &info->col) != 0 ||
	    read_code_offset(r, &rc->condition) != 0 || read_code_offset(r, &rc->ensure) != 0)
		return -1;
	at = r->pos;
	if (ld_u32(r, &rc->class_mask) != 0)
		return -1;
	if (rc->class_mask > 7) {
		r->pos = at;
		ld_fail(r, _("expected a class mask of bits 0 to 2"));
		return -1;
	}
	if (ld_count(r, 4, &rc->unit_count) != 0 || ld_count(r, 4, &rc->county_count) != 0 ||
	    ld_count(r, 4, &basis_count) != 0 || ld_count(r, 4, &read_count) != 0 ||
	    ld_count(r, 12, &rc->part_count) != 0 || ld_count(r, 12, &rc->let_count) != 0 ||
	    ld_count(r, 4, &rc->override_count) != 0)
		return -1;

	rc->units = *words;
	for (k = 0; k < rc->unit_count; k++)
		if (ld_index(r, p->unit_count, 0, _("expected a unit index"), (*words)++) != 0)
			return -1;
	rc->counties = *words;
	for (k = 0; k < rc->county_count; k++)
		if (ld_index(r, p->county_count, 0, _("expected a county index"), (*words)++) != 0)
			return -1;
	rc->basis = *basis;
	for (k = 0; k < basis_count; k++) {
		uint32_t s;
		if (ld_string(r, 0, &s) != 0)
			return -1;
		*(*basis)++ = p->strings[s];
	}
	rc->facts_read = *words;
	for (k = 0; k < read_count; k++)
		if (ld_index(r, p->fact_count, 0, _("expected a fact index"), (*words)++) != 0)
			return -1;
	rc->parts = *parts;
	for (k = 0; k < rc->part_count; k++) {
		pr_part *part = (*parts)++;
		if (ld_string(r, 1, &part->text) != 0 || read_code_offset(r, &part->code) != 0 ||
		    ld_unit_text(r, &part->unit_text, &unit) != 0)
			return -1;
		if ((part->text == BC_NONE) == (part->code == BC_NONE)) {
			r->pos -= 12;
			ld_fail(r, _("expected a message part with either text or code"));
			return -1;
		}
	}
	rc->lets = *lets;
	for (k = 0; k < rc->let_count; k++) {
		pr_let *let = (*lets)++;
		if (ld_string(r, 0, &let->name) != 0 || ld_index(r, p->code_size, 0,
				_("expected a code offset within the CODE section"), &let->code) != 0 ||
		    ld_unit_text(r, &let->unit_text, &unit) != 0)
			return -1;
	}
	rc->overrides = *words;
	for (k = 0; k < rc->override_count; k++)
		if (ld_index(r, p->rule_count, 0, _("expected a rule index"), (*words)++) != 0)
			return -1;

	info->id = p->strings[id];
	info->title = p->strings[title];
	info->dimension = (er_dimension)dimension;
	info->verdict = (er_verdict)verdict;
	info->message = p->strings[message];
	info->source_file = pr_string_or_null(p, source == BC_NONE ? BC_NONE : p->sources[source]);
	info->has_ensure = rc->ensure != BC_NONE;
	info->basis.items = rc->basis;
	info->basis.count = basis_count;
	info->facts_read = rc->facts_read;
	info->facts_read_count = read_count;
	info->part_count = rc->part_count;
	info->let_count = rc->let_count;
	return 0;
}

void ld_load_rules(ld_reader *r)
{
	er_program *p = r->program;
	size_t words = (r->end - r->pos) / 4;
	uint32_t count, i;
	uint32_t *word_cursor;
	pr_part *part_cursor;
	pr_let *let_cursor;
	const char **basis_cursor;

	/* 21 words of fixed part per rule. */
	if (ld_count(r, 84, &count) != 0)
		return;
	p->rules = calloc(count ? count : 1, sizeof *p->rules);
	p->rule_code = calloc(count ? count : 1, sizeof *p->rule_code);
	p->rule_words = malloc((words ? words : 1) * sizeof *p->rule_words);
	p->rule_parts = malloc((words / 3 + 1) * sizeof *p->rule_parts);
	p->rule_lets = malloc((words / 3 + 1) * sizeof *p->rule_lets);
	p->rule_basis = malloc((words ? words : 1) * sizeof *p->rule_basis);
	if (!p->rules || !p->rule_code || !p->rule_words || !p->rule_parts || !p->rule_lets ||
	    !p->rule_basis) {
		r->nomem = 1;
		return;
	}
	/* Overrides refer to rules by index, so the count is set first. */
	p->rule_count = count;
	word_cursor = p->rule_words;
	part_cursor = p->rule_parts;
	let_cursor = p->rule_lets;
	basis_cursor = p->rule_basis;
	for (i = 0; i < count; i++)
		if (read_rule(r, i, &word_cursor, &part_cursor, &let_cursor, &basis_cursor) != 0)
			return;
	if (!r->failed && r->pos != r->end)
		ld_fail(r, _("unexpected bytes after the last entry of the section"));
}
