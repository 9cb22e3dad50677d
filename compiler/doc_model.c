/* rulec doc from source: fill the document from a checked rule set, with
 * conditions, literals and data fields as the source writes them. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc_internal.h"
#include "i18n.h"

/* The requirement's text with each interpolated value in words, in braces. */
static char *message_words(const model *m, const model_rule *r)
{
	doc_buf b;
	doc_buf_open(&b);
	for (size_t i = 0; i < r->parts.count; i++) {
		const model_part *p = &r->parts.items[i];
		if (p->text) {
			fputs(p->text, b.f);
		} else if (p->expr) {
			fputc('{', b.f);
			doc_expr_words(b.f, m, p->expr);
			fputc('}', b.f);
		}
	}
	return doc_buf_close(&b);
}

static void ident_list(doc_strs *out, const ast_list *idents)
{
	for (const ast_list *l = idents; l; l = l->next)
		doc_strs_push(out, doc_strdup(((const ast_ident *)l->item)->text));
}

/* Each allow clause as "W0006 overlapping rules with conflicting
 * verdicts: reason", so that a reader sees the interpretation the rule
 * writer recorded. */
static void allow_list(doc_strs *out, const ast_list *allows)
{
	for (const ast_list *l = allows; l; l = l->next) {
		const ast_allow *allow = l->item;
		diag_code code = diag_code_find(allow->code);
		const char *name = code < DIAG_CODE_COUNT ? diag_code_name(code) : allow->code;
		const char *title = code < DIAG_CODE_COUNT ? _(diag_code_title(code)) : "";
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, _("%s %s: %s"), name, title, allow->reason);
		doc_strs_push(out, doc_buf_close(&b));
	}
}

static void fill_rule(doc_rule *d, const model *m, const model_rule *r, const char *main_path)
{
	const ast_rule *a = r->ast;
	d->id = doc_strdup(r->id);
	d->title = doc_strdup(a->title);
	d->dimension = a->dimension;
	d->verdict = a->verdict;
	d->requirement = message_words(m, r);
	d->when = a->when ? doc_expr_string(m, a->when) : NULL;
	for (const ast_list *l = a->unless; l; l = l->next)
		doc_strs_push(&d->unless, doc_expr_string(m, l->item));
	for (size_t i = 0; i < r->lets.count; i++) {
		char *value = doc_expr_string(m, r->lets.items[i].value);
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, "%s = %s", r->lets.items[i].name, value);
		free(value);
		doc_strs_push(&d->computed, doc_buf_close(&b));
	}
	d->ensure = a->ensure ? doc_expr_string(m, a->ensure) : NULL;
	d->has_scope = r->has_scope;
	d->units = doc_index_copy(r->scope_units.items, r->scope_units.count);
	d->unit_count = r->scope_units.count;
	d->class_mask = r->class_mask;
	d->counties = doc_index_copy(r->scope_counties.items, r->scope_counties.count);
	d->county_count = r->scope_counties.count;
	d->has_from = a->has_from;
	d->has_until = a->has_until;
	d->from = a->from;
	d->until = a->until;
	ident_list(&d->basis, a->basis);
	ident_list(&d->overrides, a->overrides);
	allow_list(&d->allows, a->allows);
	d->source = doc_source_string(m->sources.items[r->file], main_path, (unsigned)a->span.begin.line);
}

static const char *attr_label(const model *m, ast_owner owner, const char *name)
{
	for (size_t i = 0; i < m->attrs.count; i++) {
		const model_attr *a = &m->attrs.items[i];
		if (a->owner == owner && strcmp(a->name, name) == 0)
			return a->label ? a->label : a->name;
	}
	return name;
}

/* The fields of a county or unit block as written, but its name and code,
 * which head it. */
static void data_fields(doc_fields *out, const model *m, ast_owner owner, const ast_list *fields)
{
	for (const ast_list *l = fields; l; l = l->next) {
		const ast_field *f = l->item;
		const char *label;
		if (strcmp(f->name, "name") == 0 || (owner == OWNER_UNIT && strcmp(f->name, "code") == 0))
			continue;
		if (strcmp(f->name, "code") == 0)
			label = _("Division code");
		else if (strcmp(f->name, "county") == 0)
			label = _("County");
		else if (strcmp(f->name, "class") == 0)
			label = _("Class");
		else if (strcmp(f->name, "area") == 0)
			label = _("Area");
		else
			label = attr_label(m, owner, f->name);
		if (f->value->kind == EXPR_SET)
			doc_fields_push(out, label, doc_set_items_string(m, f->value));
		else
			doc_fields_push(out, label, doc_expr_string(m, f->value));
	}
}

static void fill_industries(doc_fields *out, const model *m)
{
	const char *sep = er_i18n_is_chinese() ? "、" : ", ";
	for (size_t i = 0; i < m->industries.count; i++) {
		const model_industry *ind = &m->industries.items[i];
		if (!ind->name || !ind->ast)
			continue;
		doc_buf b;
		doc_buf_open(&b);
		for (const ast_list *l = ind->ast->members; l; l = l->next)
			fprintf(b.f, "%s%s", l == ind->ast->members ? "" : sep, ((const ast_ident *)l->item)->text);
		doc_fields_push(out, ind->name, doc_buf_close(&b));
	}
}

void doc_set_from_model(doc_set *set, const model *m, const char *main_path)
{
	memset(set, 0, sizeof *set);
	set->input = doc_strdup(main_path);
	set->rules = doc_alloc(m->rules.count, sizeof *set->rules);
	set->rule_count = m->rules.count;
	for (size_t i = 0; i < m->rules.count; i++)
		fill_rule(&set->rules[i], m, &m->rules.items[i], main_path);

	set->units = doc_alloc(m->units.count, sizeof *set->units);
	set->unit_count = m->units.count;
	for (size_t i = 0; i < m->units.count; i++) {
		const model_unit *u = &m->units.items[i];
		doc_unit *d = &set->units[i];
		d->code = doc_strdup(u->code);
		d->name = u->name ? doc_strdup(u->name) : NULL;
		d->unit_class = u->unit_class;
		d->county = u->county;
		data_fields(&d->fields, m, OWNER_UNIT, u->ast->fields);
	}

	set->counties = doc_alloc(m->counties.count, sizeof *set->counties);
	set->county_count = m->counties.count;
	for (size_t i = 0; i < m->counties.count; i++) {
		set->counties[i].name = doc_strdup(m->counties.items[i].name);
		data_fields(&set->counties[i].fields, m, OWNER_COUNTY, m->counties.items[i].ast->fields);
	}
	fill_industries(&set->industries, m);
}
