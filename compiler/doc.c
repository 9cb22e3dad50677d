/* rulec doc: the structure of the rendered admission list. Rules without
 * a scope form the general requirements. Rules scoped by class or county
 * only form one part per distinct scope, and rules scoped to control
 * units appear under each unit they name. Each part lists its rules by
 * dimension in the order of the document, so the same rule set always
 * gives the same text. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "ecorule.h"
#include "i18n.h"

typedef struct doc_ctx {
	doc_out d;
	const doc_set *set;
	unsigned char *anchored; /* per rule: its HTML id is taken */
} doc_ctx;

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
static char *scope_words(const doc_set *set, const doc_rule *r)
{
	if (!r->has_scope)
		return NULL;
	doc_buf b;
	doc_buf_open(&b);
	int parts = 0;
	if (r->unit_count > 0) {
		doc_buf list;
		doc_buf_open(&list);
		for (size_t i = 0; i < r->unit_count; i++)
			fprintf(list.f, "%s%s", i ? separator() : "", set->units[r->units[i]].code);
		char *text = doc_buf_close(&list);
		fprintf(b.f, _("control units %s"), text);
		free(text);
		parts++;
	}
	char *classes = NULL, *counties = NULL;
	if (r->class_mask != 0) {
		doc_buf list;
		doc_buf_open(&list);
		int n = 0;
		for (int c = 0; c < 3; c++)
			if (r->class_mask & (1u << c))
				fprintf(list.f, "%s%s", n++ ? separator() : "", doc_class_word(c));
		classes = doc_buf_close(&list);
	}
	if (r->county_count > 0) {
		doc_buf list;
		doc_buf_open(&list);
		for (size_t i = 0; i < r->county_count; i++)
			fprintf(list.f, "%s%s", i ? separator() : "", set->counties[r->counties[i]].name);
		counties = doc_buf_close(&list);
	}
	if (classes || counties)
		fprintf(b.f, "%s", parts ? clause_separator() : "");
	/* One phrase for classes and counties together: "重点管控 units in
	 * 泽州县", not two clauses side by side. */
	if (classes && counties)
		fprintf(b.f, _("%s units in %s"), classes, counties);
	else if (classes)
		fprintf(b.f, _("%s units"), classes);
	else if (counties)
		fprintf(b.f, _("counties %s"), counties);
	free(classes);
	free(counties);
	return doc_buf_close(&b);
}

static char *dates_words(const doc_rule *r)
{
	char from[32] = "", until[32] = "";
	FILE *f;
	if (r->has_from && (f = fmemopen(from, sizeof from, "w")) != NULL) {
		doc_put_date(f, r->from);
		fclose(f);
	}
	if (r->has_until && (f = fmemopen(until, sizeof until, "w")) != NULL) {
		doc_put_date(f, r->until);
		fclose(f);
	}
	doc_buf b;
	doc_buf_open(&b);
	if (r->has_from && r->has_until)
		fprintf(b.f, _("from %s until %s"), from, until);
	else if (r->has_from)
		fprintf(b.f, _("from %s"), from);
	else
		fprintf(b.f, _("until %s"), until);
	return doc_buf_close(&b);
}

static void field_list(doc_ctx *ctx, const char *label, const doc_strs *list, const char *sep)
{
	if (list->count == 0)
		return;
	doc_buf b;
	doc_buf_open(&b);
	for (size_t i = 0; i < list->count; i++)
		fprintf(b.f, "%s%s", i ? sep : "", list->items[i]);
	char *text = doc_buf_close(&b);
	doc_out_field(&ctx->d, label, text);
	free(text);
}

static void field_owned(doc_ctx *ctx, const char *label, char *text)
{
	doc_out_field(&ctx->d, label, text);
	free(text);
}

static void rule_fields(doc_ctx *ctx, const doc_rule *r, int show_scope)
{
	doc_out_field(&ctx->d, _("Verdict"), er_verdict_name(r->verdict));
	doc_out_field(&ctx->d, _("Requirement"), r->requirement);
	if (r->when)
		doc_out_field(&ctx->d, _("Applies when"), r->when);
	else
		doc_out_field(&ctx->d, _("Applies when"), _("always, within its scope"));
	for (size_t i = 0; i < r->unless.count; i++)
		doc_out_field(&ctx->d, _("Except when"), r->unless.items[i]);
	for (size_t i = 0; i < r->computed.count; i++)
		doc_out_field(&ctx->d, _("Computed"), r->computed.items[i]);
	if (r->ensure)
		doc_out_field(&ctx->d, _("Must meet"), r->ensure);
	/* Under its unit, a rule scoped to that unit alone needs no scope line. */
	int unit_only = r->unit_count == 1 && r->class_mask == 0 && r->county_count == 0;
	if (show_scope && r->has_scope && !unit_only)
		field_owned(ctx, _("Scope"), scope_words(ctx->set, r));
	if (r->has_from || r->has_until)
		field_owned(ctx, _("In force"), dates_words(r));
	field_list(ctx, _("Basis"), &r->basis, clause_separator());
	field_list(ctx, _("Takes precedence over"), &r->overrides, separator());
	for (size_t i = 0; i < r->allows.count; i++)
		doc_out_field(&ctx->d, _("Lint warning allowed"), r->allows.items[i]);
	doc_out_field(&ctx->d, _("Source"), r->source);
}

static void render_rule(doc_ctx *ctx, const doc_rule *r, int level, int show_scope)
{
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, "%s %s", r->id, r->title);
	char *heading = doc_buf_close(&b);
	/* A rule listed under several units gets its id at the first. */
	size_t index = (size_t)(r - ctx->set->rules);
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
typedef int (*rule_filter)(const doc_ctx *ctx, const doc_rule *r, const void *key);

/* Render the rules `keep` selects, by dimension under headings of
 * `level`, their own headings one level deeper. Returns how many. */
static size_t render_dimensions(doc_ctx *ctx, int level, rule_filter keep, const void *key, int show_scope)
{
	size_t total = 0;
	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		int headed = 0;
		for (size_t i = 0; i < ctx->set->rule_count; i++) {
			const doc_rule *r = &ctx->set->rules[i];
			if ((int)r->dimension != dim || !keep(ctx, r, key))
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

static int is_general(const doc_ctx *ctx, const doc_rule *r, const void *key)
{
	return !r->has_scope;
}

/* Whether `r` is scoped by class or county only, with a scope that
 * reads as `words`. */
static int scope_reads(const doc_set *set, const doc_rule *r, const char *words)
{
	if (!r->has_scope || r->unit_count > 0)
		return 0;
	char *own = scope_words(set, r);
	int same = strcmp(own, words) == 0;
	free(own);
	return same;
}

static int has_scope_words(const doc_ctx *ctx, const doc_rule *r, const void *key)
{
	return scope_reads(ctx->set, r, key);
}

static int names_unit(const doc_ctx *ctx, const doc_rule *r, const void *key)
{
	uint32_t unit = *(const uint32_t *)key;
	for (size_t i = 0; i < r->unit_count; i++)
		if (r->units[i] == unit)
			return 1;
	return 0;
}

/* The distinct scopes of rules scoped by class or county only, in the
 * order of their first rule; a malloc'ed array of `*count` owned strings. */
static char **scope_groups(const doc_set *set, size_t *count)
{
	char **groups = NULL;
	*count = 0;
	for (size_t i = 0; i < set->rule_count; i++) {
		const doc_rule *r = &set->rules[i];
		if (!r->has_scope || r->unit_count > 0)
			continue;
		char *words = scope_words(set, r);
		int seen = 0;
		for (size_t g = 0; g < *count && !seen; g++)
			seen = strcmp(groups[g], words) == 0;
		if (seen) {
			free(words);
			continue;
		}
		groups = doc_grow(groups, *count + 1, sizeof *groups);
		groups[(*count)++] = words;
	}
	return groups;
}

/* Whether a rule scoped by class or county only can apply in unit `u`. */
static int scope_admits_unit(const doc_rule *r, const doc_unit *u)
{
	if (r->class_mask != 0 && (u->unit_class < 0 || !(r->class_mask & (1u << u->unit_class))))
		return 0;
	if (r->county_count == 0)
		return 1;
	for (size_t i = 0; i < r->county_count; i++)
		if (r->counties[i] == u->county)
			return 1;
	return 0;
}

/* The scope groups whose rules can apply in unit `u`, as one list. */
static char *unit_also_applies(const doc_set *set, char **groups, size_t group_count, const doc_unit *u)
{
	doc_buf b;
	doc_buf_open(&b);
	int n = 0;
	for (size_t g = 0; g < group_count; g++) {
		for (size_t i = 0; i < set->rule_count; i++) {
			const doc_rule *r = &set->rules[i];
			if (scope_admits_unit(r, u) && scope_reads(set, r, groups[g])) {
				fprintf(b.f, "%s%s", n++ ? separator() : "", groups[g]);
				break;
			}
		}
	}
	return doc_buf_close(&b);
}

static void data_fields(doc_ctx *ctx, const doc_fields *fields)
{
	doc_out_fields_begin(&ctx->d, NULL);
	for (size_t i = 0; i < fields->count; i++)
		doc_out_field(&ctx->d, fields->items[i].label, fields->items[i].value);
	doc_out_fields_end(&ctx->d);
}

static void render_units(doc_ctx *ctx, char **groups, size_t group_count)
{
	const doc_set *set = ctx->set;
	doc_out_heading(&ctx->d, 2, _("Control units"), "units");
	for (uint32_t u = 0; u < set->unit_count; u++) {
		const doc_unit *unit = &set->units[u];
		doc_buf b;
		doc_buf_open(&b);
		fprintf(b.f, "%s %s", unit->code, unit->name ? unit->name : "");
		char *heading = doc_buf_close(&b);
		doc_out_heading(&ctx->d, 3, heading, unit->code);
		free(heading);
		data_fields(ctx, &unit->fields);

		char *also = unit_also_applies(set, groups, group_count, unit);
		int own = 0;
		for (size_t i = 0; i < set->rule_count && !own; i++)
			own = names_unit(ctx, &set->rules[i], &u);
		doc_buf_open(&b);
		if (own && *also)
			fprintf(b.f, _("Besides the requirements below, the general requirements apply here, and "
				       "those for %s."), also);
		else if (own)
			fputs(_("Besides the requirements below, the general requirements apply here."), b.f);
		else if (*also)
			fprintf(b.f, _("The list states no requirements of this unit's own; the general "
				       "requirements apply here, and those for %s."), also);
		else
			fputs(_("The list states no requirements of this unit's own; the general requirements "
				"apply here."), b.f);
		free(also);
		char *text = doc_buf_close(&b);
		doc_out_paragraph(&ctx->d, text);
		free(text);
		render_dimensions(ctx, 4, names_unit, &u, 1);
	}
}

static void render_reference(doc_ctx *ctx)
{
	const doc_set *set = ctx->set;
	if (set->county_count > 0) {
		doc_out_heading(&ctx->d, 2, _("Counties"), "counties");
		for (size_t i = 0; i < set->county_count; i++) {
			doc_out_heading(&ctx->d, 3, set->counties[i].name, NULL);
			data_fields(ctx, &set->counties[i].fields);
		}
	}
	if (set->industries.count == 0)
		return;
	doc_out_heading(&ctx->d, 2, _("Industry sets (GB/T 4754-2017 codes)"), "industries");
	data_fields(ctx, &set->industries);
}

int doc_set_write(const doc_set *set, doc_format format, FILE *out)
{
	doc_ctx ctx = { .d = { format, out, er_i18n_is_chinese() ? "zh-CN" : "en" }, .set = set };
	ctx.anchored = doc_alloc(set->rule_count + 1, 1);

	doc_out_begin(&ctx.d, _("Ecological environment admission list"));
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, _("Rendered by rulec doc from %s. Rules: %zu. Control units: %zu."), set->input, set->rule_count,
		set->unit_count);
	char *intro = doc_buf_close(&b);
	doc_out_paragraph(&ctx.d, intro);
	free(intro);

	doc_out_heading(&ctx.d, 2, _("General requirements"), "general");
	doc_out_paragraph(&ctx.d, _("These requirements apply in every control unit."));
	if (render_dimensions(&ctx, 3, is_general, NULL, 0) == 0)
		doc_out_paragraph(&ctx.d, _("The rule set has no rule without a scope."));

	size_t group_count;
	char **groups = scope_groups(set, &group_count);
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

int doc_render(const driver *dr, const char *main_path, doc_format format, FILE *out)
{
	doc_set set;
	doc_set_from_model(&set, &dr->m, main_path);
	int status = doc_set_write(&set, format, out);
	doc_set_free(&set);
	return status;
}

int doc_render_program(const er_program *program, const char *path, doc_format format, FILE *out)
{
	doc_set set;
	doc_set_from_program(&set, program, path);
	int status = doc_set_write(&set, format, out);
	doc_set_free(&set);
	return status;
}
