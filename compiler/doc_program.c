/* rulec doc from bytecode: fill the document from a verified program.
 * Rule texts, dates, scope, basis and reference data come from the
 * program's tables. Conditions, exceptions, computed values and message
 * values are decompiled from the code by the explainer, so they read as
 * the code computes them. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "i18n.h"
#include "program.h"

static const char *undecompiled(void)
{
	return _("(compiled into code that rulec doc cannot write in words; rulec dis shows the code)");
}

/* The fragment at `offset` in words, or the note that it cannot be read
 * back. The trees of earlier fragments are dropped first. */
static char *fragment_words(xp_explanation *x, uint32_t offset)
{
	uint32_t root;
	x->node_count = 0;
	er_status st = xp_decompile(x, offset, &root);
	if (st == ER_E_NOMEM) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}
	return st == ER_OK ? doc_tree_string(x, root) : doc_strdup(undecompiled());
}

static char *message_words(xp_explanation *x, uint32_t rule)
{
	const er_program *p = x->program;
	const pr_rule *rc = &p->rule_code[rule];
	if (rc->part_count == 0)
		return doc_strdup(p->rules[rule].message);
	doc_buf b;
	doc_buf_open(&b);
	for (uint32_t i = 0; i < rc->part_count; i++) {
		const pr_part *part = &rc->parts[i];
		if (part->text != BC_NONE) {
			fputs(p->strings[part->text], b.f);
		} else if (part->code != BC_NONE) {
			char *value = fragment_words(x, part->code);
			fprintf(b.f, "{%s}", value);
			free(value);
		}
	}
	return doc_buf_close(&b);
}

/* The condition, exceptions and ensure clause, decompiled. */
static void fill_clauses(doc_rule *d, xp_explanation *x, uint32_t rule)
{
	const pr_rule *rc = &x->program->rule_code[rule];
	xp_rule r;
	x->node_count = 0;
	x->link_count = 0;
	if (xp_decompile_rule(x, rule, &r) != ER_OK) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}
	if (!r.decompiled) {
		d->when = rc->condition != BC_NONE ? doc_strdup(undecompiled()) : NULL;
		d->ensure = rc->ensure != BC_NONE ? doc_strdup(undecompiled()) : NULL;
		return;
	}
	d->when = r.when != BC_NONE ? doc_tree_string(x, r.when) : NULL;
	for (uint32_t k = 0; k < r.unless_count; k++)
		doc_strs_push(&d->unless, doc_tree_string(x, x->links[r.unless_first + k]));
	d->ensure = r.ensure != BC_NONE ? doc_tree_string(x, r.ensure) : NULL;
}

static void fill_rule(doc_rule *d, xp_explanation *x, uint32_t rule, const char *main_path)
{
	const er_program *p = x->program;
	const er_rule_info *info = &p->rules[rule];
	const pr_rule *rc = &p->rule_code[rule];

	d->id = doc_strdup(info->id);
	d->title = doc_strdup(info->title);
	d->dimension = info->dimension;
	d->verdict = info->verdict;
	d->requirement = message_words(x, rule);
	fill_clauses(d, x, rule);
	for (uint32_t i = 0; i < rc->let_count; i++) {
		char *value = fragment_words(x, rc->lets[i].code);
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, "%s = %s", p->strings[rc->lets[i].name], value);
		free(value);
		doc_strs_push(&d->computed, doc_buf_close(&b));
	}
	d->has_scope = rc->unit_count > 0 || rc->county_count > 0 || rc->class_mask != 0;
	d->units = doc_index_copy(rc->units, rc->unit_count);
	d->unit_count = rc->unit_count;
	d->class_mask = rc->class_mask;
	d->counties = doc_index_copy(rc->counties, rc->county_count);
	d->county_count = rc->county_count;
	d->has_from = info->has_from;
	d->has_until = info->has_until;
	d->from = info->from;
	d->until = info->until;
	for (size_t i = 0; i < info->basis.count; i++)
		doc_strs_push(&d->basis, doc_strdup(info->basis.items[i]));
	for (uint32_t i = 0; i < rc->override_count; i++)
		doc_strs_push(&d->overrides, doc_strdup(p->rules[rc->overrides[i]].id));
	d->source = doc_source_string(info->source_file ? info->source_file : "", main_path, (unsigned)info->line);
}

/* The attributes the table sets for unit or county `owner`, in
 * declaration order, as "label: value" fields. */
static void attribute_fields(doc_fields *out, const er_program *p, uint32_t owner, er_attr_owner kind)
{
	for (uint32_t a = 0; a < p->attr_count; a++) {
		er_attr_info info;
		er_value value;
		if (er_program_attr(p, a, &info) != 0 || info.owner != kind)
			continue;
		int set = kind == ER_ATTR_UNIT ? er_program_unit_value(p, owner, a, &value)
					       : er_program_county_value(p, owner, a, &value);
		if (!set)
			continue;
		const char *label = info.label && *info.label ? info.label : info.name;
		doc_fields_push(out, label, doc_value_string(p, &value, info.unit_text));
	}
}

static void fill_unit(doc_unit *d, const er_program *p, uint32_t u)
{
	const char *name = er_program_unit_name(p, u);
	d->code = doc_strdup(er_program_unit_code(p, u));
	d->name = name && *name ? doc_strdup(name) : NULL;
	d->unit_class = er_program_unit_class(p, u);
	d->county = er_program_unit_county(p, u);
	if (d->county != BC_NONE)
		doc_fields_push(&d->fields, _("County"), doc_strdup(er_program_county_name(p, d->county)));
	if (d->unit_class >= 0)
		doc_fields_push(&d->fields, _("Class"), doc_strdup(doc_class_word(d->unit_class)));
	er_value area;
	if (er_program_unit_area(p, u, &area))
		doc_fields_push(&d->fields, _("Area"), doc_value_string(p, &area, "平方公里"));
	attribute_fields(&d->fields, p, u, ER_ATTR_UNIT);
}

static void fill_industries(doc_fields *out, const er_program *p)
{
	const char *sep = er_i18n_is_chinese() ? "、" : ", ";
	for (uint32_t i = 0; i < p->indset_count; i++) {
		const pr_indset *s = &p->indsets[i];
		if (s->name == BC_NONE)
			continue;
		doc_buf b;
		doc_buf_open(&b);
		for (uint32_t k = 0; k < s->count; k++)
			fprintf(b.f, "%s%s", k ? sep : "", p->strings[s->codes[k]]);
		doc_fields_push(out, p->strings[s->name], doc_buf_close(&b));
	}
}

void doc_set_from_program(doc_set *set, const er_program *p, const char *path)
{
	/* Source positions are shown relative to the main file's folder, as
	 * for source; the main file is the first the program lists. */
	const char *main_path = p->source_count > 0 ? p->strings[p->sources[0]] : "";
	xp_explanation x;

	memset(set, 0, sizeof *set);
	set->input = doc_strdup(path);
	xp_explanation_init(&x);
	x.program = p;
	set->rules = doc_alloc(p->rule_count, sizeof *set->rules);
	set->rule_count = p->rule_count;
	for (uint32_t i = 0; i < p->rule_count; i++)
		fill_rule(&set->rules[i], &x, i, main_path);
	xp_explanation_free(&x);

	set->units = doc_alloc(p->unit_count, sizeof *set->units);
	set->unit_count = p->unit_count;
	for (uint32_t u = 0; u < p->unit_count; u++)
		fill_unit(&set->units[u], p, u);

	set->counties = doc_alloc(p->county_count, sizeof *set->counties);
	set->county_count = p->county_count;
	for (uint32_t c = 0; c < p->county_count; c++) {
		doc_county *d = &set->counties[c];
		d->name = doc_strdup(er_program_county_name(p, c));
		doc_fields_push(&d->fields, _("Division code"), doc_strdup(p->strings[p->counties[c].code]));
		attribute_fields(&d->fields, p, c, ER_ATTR_COUNTY);
	}
	fill_industries(&set->industries, p);
}
