/* rulec doc: the structure of the rendered admission list. Rules without
 * a scope form the general requirements. Rules scoped by class or county
 * only form one part per distinct scope, and rules scoped to control
 * units appear under each unit they name. Each part lists its rules by
 * dimension in source order, so the same rule set always gives the same
 * text. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "ecorule.h"
#include "i18n.h"

typedef struct doc_ctx {
	doc_out d;
	const driver *dr;
	const model *m;
	const char *base;   /* folder of the main file, with its '/', or "" */
	size_t base_len;
	unsigned char *anchored; /* per rule: its HTML id is taken */
} doc_ctx;

static const char *const class_words[3] = { "优先保护", "重点管控", "一般管控" };

static const char *dimension_heading(er_dimension dim)
{
	switch (dim) {
	case ER_DIM_LAYOUT: return _("Spatial layout constraints");
	case ER_DIM_EMISSION: return _("Pollutant emission control");
	case ER_DIM_RISK: return _("Environmental risk prevention");
	case ER_DIM_RESOURCE: return _("Resource use efficiency");
	case ER_DIM_COUNT: break;
	}
	return "?";
}

static const char *separator(void)
{
	return er_i18n_is_chinese() ? "、" : ", ";
}

static const char *clause_separator(void)
{
	return er_i18n_is_chinese() ? "；" : "; ";
}

/* ---- Words for one rule ---- */

/* The rule's scope in words, or NULL when it has none. */
static char *scope_words(const model *m, const model_rule *r)
{
	if (!r->has_scope)
		return NULL;
	doc_buf b;
	doc_buf_open(&b);
	int parts = 0;
	if (r->scope_units.count > 0) {
		doc_buf list;
		doc_buf_open(&list);
		for (size_t i = 0; i < r->scope_units.count; i++)
			fprintf(list.f, "%s%s", i ? separator() : "", m->units.items[r->scope_units.items[i]].code);
		char *text = doc_buf_close(&list);
		fprintf(b.f, _("control units %s"), text);
		free(text);
		parts++;
	}
	if (r->class_mask != 0) {
		doc_buf list;
		doc_buf_open(&list);
		int n = 0;
		for (int c = 0; c < 3; c++)
			if (r->class_mask & (1u << c))
				fprintf(list.f, "%s%s", n++ ? separator() : "", class_words[c]);
		char *text = doc_buf_close(&list);
		fprintf(b.f, "%s", parts++ ? clause_separator() : "");
		fprintf(b.f, _("%s units"), text);
		free(text);
	}
	if (r->scope_counties.count > 0) {
		doc_buf list;
		doc_buf_open(&list);
		for (size_t i = 0; i < r->scope_counties.count; i++)
			fprintf(list.f, "%s%s", i ? separator() : "",
				m->counties.items[r->scope_counties.items[i]].name);
		char *text = doc_buf_close(&list);
		fprintf(b.f, "%s", parts++ ? clause_separator() : "");
		fprintf(b.f, _("counties %s"), text);
		free(text);
	}
	return doc_buf_close(&b);
}

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

static char *dates_words(const ast_rule *a)
{
	char from[32] = "", until[32] = "";
	FILE *f;
	if (a->has_from && (f = fmemopen(from, sizeof from, "w")) != NULL) {
		doc_put_date(f, a->from);
		fclose(f);
	}
	if (a->has_until && (f = fmemopen(until, sizeof until, "w")) != NULL) {
		doc_put_date(f, a->until);
		fclose(f);
	}
	doc_buf b;
	doc_buf_open(&b);
	if (a->has_from && a->has_until)
		fprintf(b.f, _("from %s until %s"), from, until);
	else if (a->has_from)
		fprintf(b.f, _("from %s"), from);
	else
		fprintf(b.f, _("until %s"), until);
	return doc_buf_close(&b);
}

static void field_list(doc_ctx *ctx, const char *label, const ast_list *idents, const char *sep)
{
	if (!idents)
		return;
	doc_buf b;
	doc_buf_open(&b);
	for (const ast_list *l = idents; l; l = l->next)
		fprintf(b.f, "%s%s", l == idents ? "" : sep, ((const ast_ident *)l->item)->text);
	char *text = doc_buf_close(&b);
	doc_out_field(&ctx->d, label, text);
	free(text);
}

static void field_expr(doc_ctx *ctx, const char *label, const ast_expr *e)
{
	char *text = doc_expr_string(ctx->m, e);
	doc_out_field(&ctx->d, label, text);
	free(text);
}

static void field_owned(doc_ctx *ctx, const char *label, char *text)
{
	doc_out_field(&ctx->d, label, text);
	free(text);
}

static void rule_fields(doc_ctx *ctx, const model_rule *r, int show_scope)
{
	const ast_rule *a = r->ast;
	doc_out_field(&ctx->d, _("Verdict"), er_verdict_name(a->verdict));
	field_owned(ctx, _("Requirement"), message_words(ctx->m, r));
	if (a->when)
		field_expr(ctx, _("Applies when"), a->when);
	else
		doc_out_field(&ctx->d, _("Applies when"), _("always, within its scope"));
	for (const ast_list *l = a->unless; l; l = l->next)
		field_expr(ctx, _("Except when"), l->item);
	for (size_t i = 0; i < r->lets.count; i++) {
		char *value = doc_expr_string(ctx->m, r->lets.items[i].value);
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, "%s = %s", r->lets.items[i].name, value);
		free(value);
		field_owned(ctx, _("Computed"), doc_buf_close(&b));
	}
	if (a->ensure)
		field_expr(ctx, _("Must meet"), a->ensure);
	/* Under its unit, a rule scoped to that unit alone needs no scope line. */
	int unit_only = r->scope_units.count == 1 && r->class_mask == 0 && r->scope_counties.count == 0;
	if (show_scope && r->has_scope && !unit_only)
		field_owned(ctx, _("Scope"), scope_words(ctx->m, r));
	if (a->has_from || a->has_until)
		field_owned(ctx, _("In force"), dates_words(a));
	field_list(ctx, _("Basis"), a->basis, clause_separator());
	field_list(ctx, _("Takes precedence over"), a->overrides, separator());

	const char *path = ctx->m->sources.items[r->file];
	if (ctx->base_len > 0 && strncmp(path, ctx->base, ctx->base_len) == 0)
		path += ctx->base_len;
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, "%s:%u", path, (unsigned)a->span.begin.line);
	field_owned(ctx, _("Source"), doc_buf_close(&b));
}

static void render_rule(doc_ctx *ctx, const model_rule *r, int level, int show_scope)
{
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, "%s %s", r->id, r->ast->title ? r->ast->title : "");
	char *heading = doc_buf_close(&b);
	/* A rule listed under several units gets its id at the first. */
	size_t index = (size_t)(r - ctx->m->rules.items);
	doc_buf_open(&b);
	fprintf(b.f, "rule-%s", r->id);
	char *anchor = doc_buf_close(&b);
	doc_out_heading(&ctx->d, level, heading, ctx->anchored[index] ? NULL : anchor);
	ctx->anchored[index] = 1;
	free(heading);
	free(anchor);
	doc_out_fields_begin(&ctx->d, "rule");
	rule_fields(ctx, r, show_scope);
	doc_out_fields_end(&ctx->d);
}

/* ---- Parts of the list ---- */

/* Which rules a part holds. */
typedef int (*rule_filter)(const doc_ctx *ctx, const model_rule *r, const void *key);

/* Render the rules `keep` selects, by dimension under headings of
 * `level`, their own headings one level deeper. Returns how many. */
static size_t render_dimensions(doc_ctx *ctx, int level, rule_filter keep, const void *key, int show_scope)
{
	size_t total = 0;
	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		int headed = 0;
		for (size_t i = 0; i < ctx->m->rules.count; i++) {
			const model_rule *r = &ctx->m->rules.items[i];
			if ((int)r->ast->dimension != dim || !keep(ctx, r, key))
				continue;
			if (!headed)
				doc_out_heading(&ctx->d, level, dimension_heading((er_dimension)dim), NULL);
			headed = 1;
			render_rule(ctx, r, level + 1, show_scope);
			total++;
		}
	}
	return total;
}

static int is_general(const doc_ctx *ctx, const model_rule *r, const void *key)
{
	return !r->has_scope;
}

/* Whether `r` is scoped by class or county only, with a scope that
 * reads as `words`. */
static int scope_reads(const model *m, const model_rule *r, const char *words)
{
	if (!r->has_scope || r->scope_units.count > 0)
		return 0;
	char *own = scope_words(m, r);
	int same = strcmp(own, words) == 0;
	free(own);
	return same;
}

static int has_scope_words(const doc_ctx *ctx, const model_rule *r, const void *key)
{
	return scope_reads(ctx->m, r, key);
}

static int names_unit(const doc_ctx *ctx, const model_rule *r, const void *key)
{
	uint32_t unit = *(const uint32_t *)key;
	for (size_t i = 0; i < r->scope_units.count; i++)
		if (r->scope_units.items[i] == unit)
			return 1;
	return 0;
}

/* The distinct scopes of rules scoped by class or county only, in the
 * order of their first rule; a malloc'ed array of `*count` owned strings. */
static char **scope_groups(const model *m, size_t *count)
{
	char **groups = NULL;
	*count = 0;
	for (size_t i = 0; i < m->rules.count; i++) {
		const model_rule *r = &m->rules.items[i];
		if (!r->has_scope || r->scope_units.count > 0)
			continue;
		char *words = scope_words(m, r);
		int seen = 0;
		for (size_t g = 0; g < *count && !seen; g++)
			seen = strcmp(groups[g], words) == 0;
		if (seen) {
			free(words);
			continue;
		}
		char **grown = realloc(groups, (*count + 1) * sizeof *groups);
		if (!grown) {
			fputs("rulec: out of memory\n", stderr);
			exit(4);
		}
		groups = grown;
		groups[(*count)++] = words;
	}
	return groups;
}

/* Whether a rule scoped by class or county only can apply in unit `u`. */
static int scope_admits_unit(const model *m, const model_rule *r, const model_unit *u)
{
	if (r->class_mask != 0 && (u->unit_class < 0 || !(r->class_mask & (1u << u->unit_class))))
		return 0;
	if (r->scope_counties.count == 0)
		return 1;
	for (size_t i = 0; i < r->scope_counties.count; i++)
		if (r->scope_counties.items[i] == u->county)
			return 1;
	return 0;
}

/* The scope groups whose rules can apply in unit `u`, as one list. */
static char *unit_also_applies(const model *m, char **groups, size_t group_count, const model_unit *u)
{
	doc_buf b;
	doc_buf_open(&b);
	int n = 0;
	for (size_t g = 0; g < group_count; g++) {
		for (size_t i = 0; i < m->rules.count; i++) {
			const model_rule *r = &m->rules.items[i];
			if (scope_admits_unit(m, r, u) && scope_reads(m, r, groups[g])) {
				fprintf(b.f, "%s%s", n++ ? separator() : "", groups[g]);
				break;
			}
		}
	}
	return doc_buf_close(&b);
}

static const char *unit_attr_label(const model *m, ast_owner owner, const char *name)
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
static void data_fields(doc_ctx *ctx, ast_owner owner, const ast_list *fields)
{
	doc_out_fields_begin(&ctx->d, NULL);
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
			label = unit_attr_label(ctx->m, owner, f->name);
		if (f->value->kind == EXPR_SET)
			field_owned(ctx, label, doc_set_items_string(ctx->m, f->value));
		else
			field_expr(ctx, label, f->value);
	}
	doc_out_fields_end(&ctx->d);
}

static void render_units(doc_ctx *ctx, char **groups, size_t group_count)
{
	const model *m = ctx->m;
	doc_out_heading(&ctx->d, 2, _("Control units"), "units");
	for (uint32_t u = 0; u < m->units.count; u++) {
		const model_unit *unit = &m->units.items[u];
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, "%s %s", unit->code, unit->name ? unit->name : "");
		char *heading = doc_buf_close(&b);
		doc_out_heading(&ctx->d, 3, heading, unit->code);
		free(heading);
		data_fields(ctx, OWNER_UNIT, unit->ast->fields);

		char *also = unit_also_applies(m, groups, group_count, unit);
		doc_buf_open(&b);
		if (*also)
			fprintf(b.f, _("Besides the requirements below, the general requirements apply here, and "
				       "those for %s."), also);
		else
			fputs(_("Besides the requirements below, the general requirements apply here."), b.f);
		free(also);
		char *text = doc_buf_close(&b);
		doc_out_paragraph(&ctx->d, text);
		free(text);
		if (render_dimensions(ctx, 4, names_unit, &u, 1) == 0)
			doc_out_paragraph(&ctx->d, _("The list states no requirements of this unit's own."));
	}
}

static void render_reference(doc_ctx *ctx)
{
	const model *m = ctx->m;
	if (m->counties.count > 0) {
		doc_out_heading(&ctx->d, 2, _("Counties"), "counties");
		for (size_t i = 0; i < m->counties.count; i++) {
			doc_out_heading(&ctx->d, 3, m->counties.items[i].name, NULL);
			data_fields(ctx, OWNER_COUNTY, m->counties.items[i].ast->fields);
		}
	}
	int any = 0;
	for (size_t i = 0; i < m->industries.count; i++) {
		const model_industry *ind = &m->industries.items[i];
		if (!ind->name || !ind->ast)
			continue;
		if (!any) {
			doc_out_heading(&ctx->d, 2, _("Industry sets (GB/T 4754-2017 codes)"), "industries");
			doc_out_fields_begin(&ctx->d, NULL);
		}
		any = 1;
		doc_buf b;
		doc_buf_open(&b);
		for (const ast_list *l = ind->ast->members; l; l = l->next)
			fprintf(b.f, "%s%s", l == ind->ast->members ? "" : separator(), ((const ast_ident *)l->item)->text);
		field_owned(ctx, ind->name, doc_buf_close(&b));
	}
	if (any)
		doc_out_fields_end(&ctx->d);
}

int doc_render(const driver *dr, const char *main_path, doc_format format, FILE *out)
{
	doc_ctx ctx = { .d = { format, out, er_i18n_is_chinese() ? "zh-CN" : "en" }, .dr = dr, .m = &dr->m };
	const char *slash = strrchr(main_path, '/');
	ctx.base = main_path;
	ctx.base_len = slash ? (size_t)(slash - main_path) + 1 : 0;
	const model *m = ctx.m;
	ctx.anchored = calloc(m->rules.count + 1, 1);
	if (!ctx.anchored) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}

	doc_out_begin(&ctx.d, _("Ecological environment admission list"));
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, _("Rendered by rulec doc from %s. Rules: %zu. Control units: %zu."), main_path, m->rules.count,
		m->units.count);
	char *intro = doc_buf_close(&b);
	doc_out_paragraph(&ctx.d, intro);
	free(intro);

	doc_out_heading(&ctx.d, 2, _("General requirements"), "general");
	doc_out_paragraph(&ctx.d, _("These requirements apply in every control unit."));
	if (render_dimensions(&ctx, 3, is_general, NULL, 0) == 0)
		doc_out_paragraph(&ctx.d, _("The rule set has no rule without a scope."));

	size_t group_count;
	char **groups = scope_groups(m, &group_count);
	if (group_count > 0)
		doc_out_heading(&ctx.d, 2, _("Requirements by class and county"), "scoped");
	for (size_t g = 0; g < group_count; g++) {
		doc_out_heading(&ctx.d, 3, groups[g], NULL);
		render_dimensions(&ctx, 4, has_scope_words, groups[g], 0);
	}
	render_units(&ctx, groups, group_count);
	for (size_t g = 0; g < group_count; g++)
		free(groups[g]);
	free(groups);

	render_reference(&ctx);
	doc_out_end(&ctx.d);
	free(ctx.anchored);
	return ferror(out) ? -1 : 0;
}
