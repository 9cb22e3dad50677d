/* Declarations and reference data: enumerations, facts, attributes,
 * industry sets, counties and control units. */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

#include "units.h"

static void duplicate(chk *c, const chk_entry *first, const char *name, src_span span)
{
	chk_error(c, DIAG_E0102, span, _("duplicate declaration of '%s'"), name);
	chk_note(c, first->span, _("'%s' is first declared here"), name);
}

static void collect_enum(chk *c, ast_enum *a)
{
	const chk_entry *first = chk_names_add(c, CHK_ENUM, a->name, (uint32_t)c->m->enums.count, a->span);
	if (first) {
		duplicate(c, first, a->name, a->span);
		return;
	}
	model_enum *en = MODEL_PUSH(c->m->enums);
	en->name = a->name;
	en->span = a->span;
	for (ast_list *l = a->values; l; l = l->next) {
		const ast_ident *v = l->item;
		int dup = 0;
		for (size_t i = 0; i < en->values.count; i++) {
			if (strcmp(en->values.items[i], v->text) == 0) {
				chk_error(c, DIAG_E0102, v->span, _("duplicate value '%s' in enumeration '%s'"), v->text,
					  a->name);
				chk_note(c, en->value_spans.items[i], _("'%s' is first declared here"), v->text);
				dup = 1;
				break;
			}
		}
		if (dup)
			continue;
		*MODEL_PUSH(en->values) = v->text;
		*MODEL_PUSH(en->value_spans) = v->span;
	}
	if (en->values.count > 64)
		chk_error(c, DIAG_E0206, a->span, _("enumeration '%s' has %zu values; at most 64 are allowed"), a->name,
			  en->values.count);
}

static void collect_fact(chk *c, ast_fact *a)
{
	const chk_entry *first = chk_names_add(c, CHK_FACT, a->path, (uint32_t)c->m->facts.count, a->span);
	if (first) {
		duplicate(c, first, a->path, a->span);
		return;
	}
	model_fact *f = MODEL_PUSH(c->m->facts);
	f->ast = a;
	f->path = a->path;
	f->label = a->label;
	f->span = a->span;
}

static int is_builtin_field(ast_owner owner, const char *name)
{
	static const char *const unit_fields[] = { "code", "name", "county", "class", "area",
						   "代码", "名称", "县区", "类别", "面积" };
	static const char *const county_fields[] = { "code", "name", "代码", "名称" };
	const char *const *list = owner == OWNER_UNIT ? unit_fields : county_fields;
	size_t count = owner == OWNER_UNIT ? 10 : 4;
	for (size_t i = 0; i < count; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

static void collect_attribute(chk *c, ast_attribute *a)
{
	if (is_builtin_field(a->owner, a->name)) {
		chk_error(c, DIAG_E0102, a->span, _("'%s' is a built-in field and cannot be declared again"), a->name);
		return;
	}
	chk_name_kind kind = a->owner == OWNER_UNIT ? CHK_UNIT_ATTR : CHK_COUNTY_ATTR;
	const chk_entry *first = chk_names_add(c, kind, a->name, (uint32_t)c->m->attrs.count, a->span);
	if (first) {
		duplicate(c, first, a->name, a->span);
		return;
	}
	model_attr *attr = MODEL_PUSH(c->m->attrs);
	attr->ast = a;
	attr->owner = a->owner;
	attr->name = a->name;
	attr->label = a->label;
	attr->span = a->span;
}

static void collect_industry(chk *c, ast_industry *a)
{
	const chk_entry *first = chk_names_add(c, CHK_INDUSTRY, a->name, (uint32_t)c->m->industries.count, a->span);
	if (first) {
		duplicate(c, first, a->name, a->span);
		return;
	}
	model_industry *ind = MODEL_PUSH(c->m->industries);
	ind->name = a->name;
	ind->span = a->span;
	ind->ast = a;
}

static void collect_county(chk *c, ast_county *a)
{
	const chk_entry *first = chk_names_add(c, CHK_COUNTY, a->name, (uint32_t)c->m->counties.count, a->span);
	if (first) {
		duplicate(c, first, a->name, a->span);
		return;
	}
	model_county *county = MODEL_PUSH(c->m->counties);
	county->ast = a;
	county->name = a->name;
	county->span = a->span;
}

static void collect_unit(chk *c, ast_unit *a)
{
	const chk_entry *first = chk_names_add(c, CHK_UNIT, a->code, (uint32_t)c->m->units.count, a->span);
	if (first) {
		duplicate(c, first, a->code, a->span);
		return;
	}
	model_unit *u = MODEL_PUSH(c->m->units);
	u->ast = a;
	u->code = a->code;
	u->span = a->span;
	u->county = BC_NONE;
	u->unit_class = -1;
	u->area = BC_NONE;
}

static void collect_rule(chk *c, ast_rule *a)
{
	const chk_entry *first = chk_names_add(c, CHK_RULE, a->id, (uint32_t)c->m->rules.count, a->id_span);
	if (first) {
		chk_error(c, DIAG_E0301, a->id_span, _("duplicate rule id '%s'"), a->id);
		chk_note(c, first->span, _("rule '%s' is first defined here"), a->id);
		return;
	}
	model_rule *r = MODEL_PUSH(c->m->rules);
	r->ast = a;
	r->id = a->id;
	r->file = a->id_span.begin.file;
	r->cond_code = BC_NONE;
	r->ensure_code = BC_NONE;
}

void chk_collect(chk *c, ast_file *const *files, size_t file_count)
{
	for (size_t i = 0; i < file_count; i++) {
		for (ast_list *l = files[i]->decls; l; l = l->next) {
			ast_decl *d = l->item;
			switch (d->kind) {
			case DECL_IMPORT:
				break;
			case DECL_ENUM:
				collect_enum(c, d->as.enumeration);
				break;
			case DECL_FACT:
				collect_fact(c, d->as.fact);
				break;
			case DECL_ATTRIBUTE:
				collect_attribute(c, d->as.attribute);
				break;
			case DECL_INDUSTRY:
				collect_industry(c, d->as.industry);
				break;
			case DECL_COUNTY:
				collect_county(c, d->as.county);
				break;
			case DECL_UNIT:
				collect_unit(c, d->as.unit);
				break;
			case DECL_RULE:
				collect_rule(c, d->as.rule);
				break;
			}
		}
	}
}

/* ---- Types of facts and attributes ---- */

static int resolve_type(chk *c, const ast_type *a, model_slot_type *t)
{
	static const er_fact_type kinds[] = {
		[TYPE_BOOLEAN] = ER_FT_BOOLEAN, [TYPE_INTEGER] = ER_FT_INTEGER, [TYPE_NUMBER] = ER_FT_NUMBER,
		[TYPE_QUANTITY] = ER_FT_QUANTITY, [TYPE_DATE] = ER_FT_DATE, [TYPE_STRING] = ER_FT_STRING,
		[TYPE_CODE] = ER_FT_CODE, [TYPE_UNIT] = ER_FT_UNIT, [TYPE_ENUM] = ER_FT_ENUM,
		[TYPE_SET] = ER_FT_SET, [TYPE_INDUSTRIES] = ER_FT_INDUSTRIES,
	};
	t->type = kinds[a->kind];
	t->enum_index = BC_NONE;
	if (a->kind == TYPE_QUANTITY) {
		t->unit_text = a->unit;
		if (!a->unit || er_unit_parse(a->unit, strlen(a->unit), &t->unit) < 0) {
			chk_error(c, DIAG_E0203, a->span, _("unknown unit '%s'"), a->unit ? a->unit : "");
			return -1;
		}
	}
	if (a->kind == TYPE_ENUM || a->kind == TYPE_SET) {
		const chk_entry *e = chk_names_find(c, CHK_ENUM, a->enum_name);
		if (!e) {
			chk_error(c, DIAG_E0101, a->span, _("undeclared enumeration '%s'"), a->enum_name);
			const char *close = chk_names_suggest(c, CHK_ENUM, a->enum_name);
			if (close)
				chk_note(c, a->span, _("did you mean '%s'?"), close);
			return -1;
		}
		t->enum_index = e->index;
	}
	return 0;
}

static void resolve_fact_types(chk *c)
{
	for (size_t i = 0; i < c->m->facts.count; i++) {
		model_fact *f = &c->m->facts.items[i];
		resolve_type(c, &f->ast->type, &f->t);
		if (f->t.type == ER_FT_INDUSTRIES) {
			chk_error(c, DIAG_E0201, f->ast->type.span,
				  _("type industries is for reference data only; declare the fact as code"));
			continue;
		}
		if (f->t.type != ER_FT_UNIT)
			continue;
		if (c->m->unit_fact != BC_NONE) {
			const model_fact *first = &c->m->facts.items[c->m->unit_fact];
			chk_error(c, DIAG_E0404, f->span, _("fact '%s' is a second fact of type unit"), f->path);
			chk_note(c, first->span, _("'%s' is the first fact of type unit"), first->path);
			continue;
		}
		c->m->unit_fact = (uint32_t)i;
	}
	for (size_t i = 0; i < c->m->attrs.count; i++) {
		model_attr *a = &c->m->attrs.items[i];
		if (resolve_type(c, &a->ast->type, &a->t) == 0 && a->t.type == ER_FT_UNIT)
			chk_error(c, DIAG_E0201, a->ast->type.span, _("an attribute cannot have type unit"));
	}
}

/* ---- Industry sets ---- */

/* The code part of a GB/T 4754 code as written ("C2521" or "2521"), or
 * NULL when it is not a code. */
static const char *industry_digits(const char *text)
{
	const char *p = text;
	if (*p >= 'A' && *p <= 'T')
		p++;
	size_t n = strlen(p);
	if (n < 2 || n > 4)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return NULL;
	return p;
}

static int looks_like_code(const char *text)
{
	return (*text >= '0' && *text <= '9') || (*text >= 'A' && *text <= 'T' && text[1] >= '0' && text[1] <= '9');
}

static void add_code(model_industry *ind, const char *digits)
{
	for (size_t i = 0; i < ind->codes.count; i++)
		if (strcmp(ind->codes.items[i], digits) == 0)
			return;
	*MODEL_PUSH(ind->codes) = model_xstrdup(digits);
}

static int expand_industry(chk *c, uint32_t index);

/* Add one member (a code or a set name) to the set `into`. */
static int add_member(chk *c, uint32_t into, const char *text, src_span span)
{
	if (looks_like_code(text)) {
		const char *digits = industry_digits(text);
		if (!digits) {
			chk_error(c, DIAG_E0407, span,
				  _("invalid industry code '%s': expected 2 to 4 digits of GB/T 4754-2017"), text);
			return -1;
		}
		add_code(&c->m->industries.items[into], digits);
		return 0;
	}
	const chk_entry *e = chk_names_find(c, CHK_INDUSTRY, text);
	if (!e) {
		chk_error(c, DIAG_E0101, span, _("undeclared industry set '%s'"), text);
		const char *close = chk_names_suggest(c, CHK_INDUSTRY, text);
		if (close)
			chk_note(c, span, _("did you mean '%s'?"), close);
		return -1;
	}
	if (expand_industry(c, e->index) < 0)
		return -1;
	/* The vector may have moved while expanding; index afresh. */
	model_industry *from = &c->m->industries.items[e->index];
	for (size_t i = 0; i < from->codes.count; i++)
		add_code(&c->m->industries.items[into], from->codes.items[i]);
	return 0;
}

static int expand_industry(chk *c, uint32_t index)
{
	model_industry *ind = &c->m->industries.items[index];
	if (ind->state == 2 || !ind->ast)
		return 0;
	if (ind->state == 1) {
		chk_error(c, DIAG_E0107, ind->span, _("industry set '%s' contains itself"), ind->name);
		return -1;
	}
	ind->state = 1;
	int bad = 0;
	for (ast_list *l = ind->ast->members; l; l = l->next) {
		const ast_ident *member = l->item;
		if (add_member(c, index, member->text, member->span) < 0)
			bad = 1;
	}
	c->m->industries.items[index].state = 2;
	return bad ? -1 : 0;
}

uint32_t chk_industry_from_exprs(chk *c, ast_list *items, src_span span)
{
	uint32_t index = (uint32_t)c->m->industries.count;
	model_industry *ind = MODEL_PUSH(c->m->industries);
	ind->span = span;
	ind->state = 2;
	int bad = 0;
	for (ast_list *l = items; l; l = l->next) {
		const ast_expr *e = l->item;
		if (e->kind != EXPR_NAME && e->kind != EXPR_NUMBER) {
			chk_error(c, DIAG_E0201, e->span, _("an industry list holds industry set names and codes only"));
			bad = 1;
			continue;
		}
		if (add_member(c, index, e->text, e->span) < 0)
			bad = 1;
	}
	return bad ? BC_NONE : index;
}

/* ---- Counties and units ---- */

/* Check the value of one attribute field and return its constant. */
static uint32_t attribute_value(chk *c, const model_attr *a, ast_expr *value)
{
	er_type want = chk_slot_er_type(c, &a->t);
	char what[256];
	snprintf(what, sizeof what, _("the value of '%s'"), a->name);

	/* A single name stands for a one-element set or industry list. */
	if ((want.kind == ER_K_SET || want.kind == ER_K_INDSET) && value->kind == EXPR_NAME) {
		ast_list one = { value, NULL };
		ast_expr set = *value;
		set.kind = EXPR_SET;
		set.items = &one;
		if (chk_expr(c, NULL, &set, &want) < 0 || chk_coerce(c, &set, &want, what) < 0)
			return BC_NONE;
		return set.index;
	}
	if (chk_expr(c, NULL, value, &want) < 0 || chk_coerce(c, value, &want, what) < 0)
		return BC_NONE;
	uint32_t k = model_expr_const(c->m, value);
	if (k == BC_NONE) {
		chk_error(c, DIAG_E0201, value->span, _("%s needs a constant value"), what);
		return BC_NONE;
	}
	if (a->t.type == ER_FT_INTEGER && !er_dec_is_integer(c->m->consts.items[k].dec)) {
		chk_error(c, DIAG_E0205, value->span, _("'%s' is an integer attribute; %s has a fractional part"),
			  a->name, value->text ? value->text : "");
		return BC_NONE;
	}
	return k;
}

/* Fields of a county or unit block that name declared attributes. */
static void attribute_field(chk *c, ast_owner owner, ast_field *f, void *values_vec)
{
	MODEL_VEC(model_value) *values = values_vec;
	chk_name_kind kind = owner == OWNER_UNIT ? CHK_UNIT_ATTR : CHK_COUNTY_ATTR;
	const chk_entry *e = chk_names_find(c, kind, f->name);
	if (!e) {
		chk_error(c, DIAG_E0101, f->span,
			  owner == OWNER_UNIT ? _("undeclared unit attribute '%s'") : _("undeclared county attribute '%s'"),
			  f->name);
		const char *close = chk_names_suggest(c, kind, f->name);
		if (close)
			chk_note(c, f->span, _("did you mean '%s'?"), close);
		return;
	}
	for (size_t i = 0; i < values->count; i++) {
		if (values->items[i].attr == e->index) {
			chk_error(c, DIAG_E0102, f->span, _("field '%s' is set twice"), f->name);
			return;
		}
	}
	uint32_t k = attribute_value(c, &c->m->attrs.items[e->index], f->value);
	if (k == BC_NONE)
		return;
	model_value *v = MODEL_PUSH(*values);
	v->attr = e->index;
	v->constant = k;
}

static int field_is(const ast_field *f, const char *en, const char *zh)
{
	return strcmp(f->name, en) == 0 || strcmp(f->name, zh) == 0;
}

static void check_county(chk *c, uint32_t index)
{
	model_county *county = &c->m->counties.items[index];
	for (ast_list *l = county->ast->fields; l; l = l->next) {
		ast_field *f = l->item;
		if (field_is(f, "code", "代码")) {
			const char *text = f->value->text;
			if (f->value->kind != EXPR_NUMBER || !text || strlen(text) != 6 || strspn(text, "0123456789") != 6) {
				chk_error(c, DIAG_E0405, f->value->span,
					  _("county code of '%s' must be a 6-digit division code"), county->name);
				continue;
			}
			county->code = text;
			continue;
		}
		if (field_is(f, "name", "名称"))
			continue;
		attribute_field(c, OWNER_COUNTY, f, &c->m->counties.items[index].values);
		county = &c->m->counties.items[index];
	}
}

static void check_unit_code(chk *c, model_unit *u, src_span class_span, src_span county_span)
{
	const char *code = u->code;
	if (strncmp(code, "ZH", 2) != 0 || strlen(code) != 13 || strspn(code + 2, "0123456789") != 11) {
		chk_error(c, DIAG_E0401, u->ast->span,
			  _("malformed unit code '%s': expected ZH followed by 11 digits"), code);
		return;
	}
	if (u->unit_class >= 0 && code[8] - '1' != u->unit_class) {
		static const char *const class_names[] = { "优先保护", "重点管控", "一般管控" };
		chk_error(c, DIAG_E0402, u->ast->span,
			  _("unit code '%s' has class digit %c, but its class is %s (digit %d)"), code, code[8],
			  class_names[u->unit_class], u->unit_class + 1);
		chk_note(c, class_span, _("the class is set here"));
	}
	if (u->county != BC_NONE) {
		const model_county *county = &c->m->counties.items[u->county];
		if (county->code && strncmp(code + 2, county->code, 6) != 0) {
			chk_error(c, DIAG_E0403, u->ast->span,
				  _("unit code '%s' has division code %.6s, but county '%s' has code %s"), code,
				  code + 2, county->name, county->code);
			chk_note(c, county_span, _("the county is set here"));
			chk_note(c, county->span, _("county '%s' is declared here"), county->name);
		}
	}
}

static void check_unit(chk *c, uint32_t index)
{
	model_unit *u = &c->m->units.items[index];
	src_span class_span = u->span, county_span = u->span;
	int has_class = 0, has_county = 0;
	for (ast_list *l = u->ast->fields; l; l = l->next) {
		ast_field *f = l->item;
		ast_expr *v = f->value;
		if (field_is(f, "name", "名称")) {
			if (v->kind != EXPR_STRING)
				chk_error(c, DIAG_E0201, v->span, _("a unit's name must be a string"));
			else
				u->name = v->text;
		} else if (field_is(f, "class", "类别")) {
			has_class = 1;
			class_span = f->span;
			int cls = v->kind == EXPR_NAME ? chk_class_from_name(v->text) : -1;
			if (cls < 0)
				chk_error(c, DIAG_E0106, v->span,
					  _("unknown unit class; expected 优先保护, 重点管控 or 一般管控"));
			else
				u->unit_class = cls;
		} else if (field_is(f, "county", "县区")) {
			has_county = 1;
			county_span = f->span;
			const chk_entry *e = v->kind == EXPR_NAME ? chk_names_find(c, CHK_COUNTY, v->text) : NULL;
			if (!e) {
				chk_error(c, DIAG_E0101, v->span, _("undeclared county '%s'"), v->text ? v->text : "");
				if (v->text) {
					const char *close = chk_names_suggest(c, CHK_COUNTY, v->text);
					if (close)
						chk_note(c, v->span, _("did you mean '%s'?"), close);
				}
			} else {
				u->county = e->index;
			}
		} else if (field_is(f, "area", "面积")) {
			er_type want;
			memset(&want, 0, sizeof want);
			want.kind = ER_K_DEC;
			want.has_unit = 1;
			want.unit_text = "平方公里";
			er_unit_parse("平方公里", strlen("平方公里"), &want.unit);
			if (chk_expr(c, NULL, v, &want) == 0 && chk_coerce(c, v, &want, _("the area")) == 0)
				u->area = model_expr_const(c->m, v);
		} else if (field_is(f, "code", "代码")) {
			chk_error(c, DIAG_E0102, f->span, _("a unit's code is written after the unit keyword"));
		} else {
			attribute_field(c, OWNER_UNIT, f, &c->m->units.items[index].values);
		}
		u = &c->m->units.items[index];
	}
	if (!has_class)
		chk_error(c, DIAG_E0406, u->span, _("unit '%s' has no class"), u->code);
	if (!has_county)
		chk_error(c, DIAG_E0406, u->span, _("unit '%s' has no county"), u->code);
	check_unit_code(c, u, class_span, county_span);
}

void chk_reference_data(chk *c)
{
	resolve_fact_types(c);
	size_t named = c->m->industries.count;
	for (size_t i = 0; i < named; i++)
		expand_industry(c, (uint32_t)i);
	for (size_t i = 0; i < c->m->counties.count; i++)
		check_county(c, (uint32_t)i);
	for (size_t i = 0; i < c->m->units.count; i++)
		check_unit(c, (uint32_t)i);
}
