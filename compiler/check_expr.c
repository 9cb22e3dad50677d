/* Expression checking: name resolution, static types, and units. */
#include "check_internal.h"

#include <stdio.h>
#include <string.h>

#include "units.h"

static er_type kind_type(er_kind kind)
{
	er_type t;
	memset(&t, 0, sizeof t);
	t.kind = kind;
	return t;
}

static int fail(ast_expr *e)
{
	e->type = kind_type(CHK_K_ERROR);
	return -1;
}

static int is_error(const ast_expr *e)
{
	return e->type.kind == CHK_K_ERROR;
}

er_type chk_slot_er_type(const chk *c, const model_slot_type *t)
{
	er_type r = kind_type(ER_K_DEC);
	switch (t->type) {
	case ER_FT_BOOLEAN:
		r.kind = ER_K_BOOL;
		break;
	case ER_FT_INTEGER:
	case ER_FT_NUMBER:
		break;
	case ER_FT_QUANTITY:
		r.has_unit = 1;
		r.unit = t->unit;
		r.unit_text = t->unit_text;
		break;
	case ER_FT_DATE:
		r.kind = ER_K_DATE;
		break;
	case ER_FT_STRING:
		r.kind = ER_K_STRING;
		break;
	case ER_FT_CODE:
		r.kind = ER_K_CODE;
		break;
	case ER_FT_UNIT:
		r.kind = ER_K_UNIT;
		break;
	case ER_FT_ENUM:
		r.kind = ER_K_ENUM;
		r.enum_index = t->enum_index;
		break;
	case ER_FT_SET:
		r.kind = ER_K_SET;
		r.enum_index = t->enum_index;
		break;
	case ER_FT_INDUSTRIES:
		r.kind = ER_K_INDSET;
		break;
	}
	(void)c;
	return r;
}

const char *chk_unit_name(const er_type *t)
{
	if (!t->has_unit)
		return _("no unit");
	if (t->unit_text)
		return t->unit_text;
	return _("a derived unit");
}

const char *chk_type_name(const chk *c, const er_type *t, char *buf, size_t size)
{
	const char *enum_name = "";
	if ((t->kind == ER_K_ENUM || t->kind == ER_K_SET) && t->enum_index < c->m->enums.count)
		enum_name = c->m->enums.items[t->enum_index].name;
	switch (t->kind) {
	case ER_K_BOOL:
		snprintf(buf, size, "%s", _("boolean"));
		break;
	case ER_K_DEC:
		if (t->has_unit)
			snprintf(buf, size, _("quantity in %s"), chk_unit_name(t));
		else
			snprintf(buf, size, "%s", _("number"));
		break;
	case ER_K_DATE:
		snprintf(buf, size, "%s", _("date"));
		break;
	case ER_K_STRING:
		snprintf(buf, size, "%s", _("string"));
		break;
	case ER_K_CODE:
		snprintf(buf, size, "%s", _("industry code"));
		break;
	case ER_K_ENUM:
		snprintf(buf, size, _("value of enumeration '%s'"), enum_name);
		break;
	case ER_K_SET:
		snprintf(buf, size, _("set of '%s'"), enum_name);
		break;
	case ER_K_UNIT:
		snprintf(buf, size, "%s", _("control unit"));
		break;
	case ER_K_COUNTY:
		snprintf(buf, size, "%s", _("county"));
		break;
	case ER_K_CLASS:
		snprintf(buf, size, "%s", _("unit class"));
		break;
	case ER_K_INDSET:
		snprintf(buf, size, "%s", _("industry set"));
		break;
	default:
		snprintf(buf, size, "%s", _("invalid expression"));
		break;
	}
	return buf;
}

/* ---- Literals ---- */

static int is_literal(const ast_expr *e)
{
	if (e->kind == EXPR_NEG)
		return is_literal(e->lhs);
	return e->kind == EXPR_NUMBER || e->kind == EXPR_QUANTITY;
}

static uint32_t add_dec(chk *c, er_dec value)
{
	model_const k;
	memset(&k, 0, sizeof k);
	k.kind = BC_CONST_DEC;
	k.dec = value;
	return model_const_add(c->m, &k);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Convert the literal `e` (a number or quantity, maybe negated) into
 * `unit` exactly, replacing its constant. */
static int convert_literal(chk *c, ast_expr *e, const er_type *target)
{
	if (e->kind == EXPR_NEG) {
		if (convert_literal(c, e->lhs, target) < 0)
			return fail(e);
		e->type = e->lhs->type;
		return 0;
	}
	er_unit from = e->type.has_unit ? e->type.unit : er_unit_one();
	er_unit to = target->has_unit ? target->unit : er_unit_one();
	int64_t num, den;
	er_dec value = c->m->consts.items[e->index].dec, out;
	if (er_unit_ratio(&from, &to, &num, &den) < 0 || er_dec_scale(value, num, den, &out) != ER_DEC_OK) {
		chk_error(c, DIAG_E0204, e->span,
			  _("%s %s cannot be converted exactly into %s; write the value in %s"),
			  e->text, chk_unit_name(&e->type), chk_unit_name(target), chk_unit_name(target));
		return fail(e);
	}
	e->index = add_dec(c, out);
	e->type = *target;
	return 0;
}

/* Report a bare number where a quantity in `unit` is expected. */
static void no_unit_error(chk *c, const ast_expr *literal, const er_type *unit)
{
	const ast_expr *digits = literal;
	while (digits->kind == EXPR_NEG)
		digits = digits->lhs;
	chk_error(c, DIAG_E0209, literal->span, _("the number %s%s has no unit; write it with its unit, e.g. %s%s %s"),
		  literal->kind == EXPR_NEG ? "-" : "", digits->text, literal->kind == EXPR_NEG ? "-" : "",
		  digits->text, chk_unit_name(unit));
}

static int same_factor(const er_unit *a, const er_unit *b)
{
	int64_t num, den;
	return er_unit_ratio(a, b, &num, &den) == 0 && num == den;
}

/* Bring two decimal operands of a comparison or sum to one unit: convert
 * a literal side, or ask gen to scale the right operand. Returns 0 and
 * sets *result to the common type, or -1 after an error. */
static int unify_units(chk *c, ast_expr *e, ast_expr *lhs, ast_expr *rhs, er_type *result)
{
	er_unit ua = lhs->type.has_unit ? lhs->type.unit : er_unit_one();
	er_unit ub = rhs->type.has_unit ? rhs->type.unit : er_unit_one();

	/* A bare number beside a quantity is almost always a forgotten unit
	 * (is 85 beside a percentage 85 % or 8500 %?), so it is an error. */
	const ast_expr *bare = NULL, *other = NULL;
	if (is_literal(lhs) && !lhs->type.has_unit && rhs->type.has_unit) {
		bare = lhs;
		other = rhs;
	} else if (is_literal(rhs) && !rhs->type.has_unit && lhs->type.has_unit) {
		bare = rhs;
		other = lhs;
	}
	if (bare) {
		no_unit_error(c, bare, &other->type);
		return -1;
	}
	if (!er_unit_same_dimension(&ua, &ub)) {
		chk_error(c, DIAG_E0202, e->span, _("dimension mismatch: %s and %s measure different things"),
			  chk_unit_name(&lhs->type), chk_unit_name(&rhs->type));
		return -1;
	}

	*result = lhs->type;
	if (same_factor(&ua, &ub)) {
		if (!result->has_unit)
			*result = rhs->type;
		return 0;
	}
	if (is_literal(rhs))
		return convert_literal(c, rhs, &lhs->type);
	if (is_literal(lhs)) {
		*result = rhs->type;
		return convert_literal(c, lhs, &rhs->type);
	}
	model_const k;
	memset(&k, 0, sizeof k);
	k.kind = BC_CONST_RATIO;
	if (er_unit_ratio(&ub, &ua, &k.num, &k.den) < 0 || k.den > INT32_MAX) {
		chk_error(c, DIAG_E0204, e->span, _("cannot convert %s into %s exactly"), chk_unit_name(&rhs->type),
			  chk_unit_name(&lhs->type));
		return -1;
	}
	e->index = model_const_add(c->m, &k) + 1;
	return 0;
}

int chk_coerce(chk *c, ast_expr *e, const er_type *target, const char *what)
{
	char found[128], expected[128];
	if (is_error(e))
		return -1;
	if (e->type.kind != target->kind ||
	    ((target->kind == ER_K_ENUM || target->kind == ER_K_SET) && e->type.enum_index != target->enum_index)) {
		chk_error(c, DIAG_E0201, e->span, _("type mismatch in %s: expected %s, found %s"), what,
			  chk_type_name(c, target, expected, sizeof expected),
			  chk_type_name(c, &e->type, found, sizeof found));
		return fail(e);
	}
	if (target->kind != ER_K_DEC)
		return 0;
	er_unit ua = target->has_unit ? target->unit : er_unit_one();
	er_unit ub = e->type.has_unit ? e->type.unit : er_unit_one();
	if (target->has_unit && !e->type.has_unit && is_literal(e)) {
		no_unit_error(c, e, target);
		return fail(e);
	}
	if (!er_unit_same_dimension(&ua, &ub)) {
		chk_error(c, DIAG_E0202, e->span, _("dimension mismatch in %s: expected %s, found %s"), what,
			  chk_unit_name(target), chk_unit_name(&e->type));
		return fail(e);
	}
	if (same_factor(&ua, &ub)) {
		e->type = *target;
		return 0;
	}
	if (!is_literal(e)) {
		chk_error(c, DIAG_E0201, e->span, _("%s needs a constant value"), what);
		return fail(e);
	}
	return convert_literal(c, e, target);
}

/* ---- Names ---- */

static int find_enum_value(const model_enum *en, const char *name)
{
	for (size_t v = 0; v < en->values.count; v++)
		if (strcmp(en->values.items[v], name) == 0)
			return (int)v;
	return -1;
}

static int resolve_enum_value(chk *c, ast_expr *e, uint32_t enum_index)
{
	const model_enum *en = &c->m->enums.items[enum_index];
	int v = find_enum_value(en, e->text);
	if (v < 0)
		return -1;
	e->ref = REF_ENUM_VALUE;
	e->index = (uint32_t)v;
	e->enum_index = enum_index;
	e->type = kind_type(ER_K_ENUM);
	e->type.enum_index = enum_index;
	return 0;
}

static void suggest(chk *c, src_span span, chk_name_kind kind, const char *name)
{
	const char *close = chk_names_suggest(c, kind, name);
	if (close)
		chk_note(c, span, _("did you mean '%s'?"), close);
}

static int resolve_name(chk *c, chk_rule_ctx *rc, ast_expr *e, const er_type *want)
{
	const char *name = e->text;

	if (want && (want->kind == ER_K_ENUM || want->kind == ER_K_SET) && want->enum_index < c->m->enums.count &&
	    resolve_enum_value(c, e, want->enum_index) == 0)
		return 0;

	if (rc) {
		for (size_t i = 0; i < rc->rule->lets.count; i++) {
			model_let *let = &rc->rule->lets.items[i];
			if (strcmp(let->name, name) != 0)
				continue;
			if (i >= rc->visible_lets) {
				chk_error(c, DIAG_E0105, e->span, _("'%s' is used before its let clause defines it"), name);
				chk_note(c, let->span, _("'%s' is defined here"), name);
				return fail(e);
			}
			e->ref = REF_LET;
			e->index = (uint32_t)i;
			e->type = let->value->type;
			return is_error(let->value) ? -1 : 0;
		}
	}

	const chk_entry *entry = chk_names_find(c, CHK_FACT, name);
	if (entry) {
		e->ref = REF_FACT;
		e->index = entry->index;
		e->type = chk_slot_er_type(c, &c->m->facts.items[entry->index].t);
		return 0;
	}
	/* The expected kind picks first among classes, counties and sets,
	 * which may share a name. */
	if (want && want->kind == ER_K_COUNTY && (entry = chk_names_find(c, CHK_COUNTY, name))) {
		e->ref = REF_COUNTY;
		e->index = entry->index;
		e->type = kind_type(ER_K_COUNTY);
		return 0;
	}
	if (want && want->kind == ER_K_INDSET && (entry = chk_names_find(c, CHK_INDUSTRY, name))) {
		e->ref = REF_INDUSTRY;
		e->index = entry->index;
		e->type = kind_type(ER_K_INDSET);
		return 0;
	}
	int cls = chk_class_from_name(name);
	if (cls >= 0) {
		e->ref = REF_CLASS;
		e->index = (uint32_t)cls;
		e->type = kind_type(ER_K_CLASS);
		return 0;
	}
	if ((entry = chk_names_find(c, CHK_INDUSTRY, name))) {
		e->ref = REF_INDUSTRY;
		e->index = entry->index;
		e->type = kind_type(ER_K_INDSET);
		return 0;
	}
	if ((entry = chk_names_find(c, CHK_COUNTY, name))) {
		e->ref = REF_COUNTY;
		e->index = entry->index;
		e->type = kind_type(ER_K_COUNTY);
		return 0;
	}
	if ((entry = chk_names_find(c, CHK_UNIT, name))) {
		e->ref = REF_UNIT;
		e->index = entry->index;
		e->type = kind_type(ER_K_UNIT);
		return 0;
	}

	if (want && (want->kind == ER_K_ENUM || want->kind == ER_K_SET) && want->enum_index < c->m->enums.count) {
		const model_enum *en = &c->m->enums.items[want->enum_index];
		chk_error(c, DIAG_E0103, e->span, _("'%s' is not a value of enumeration '%s'"), name, en->name);
		chk_note(c, en->span, _("enumeration '%s' is declared here"), en->name);
		return fail(e);
	}

	/* Without an expected enumeration, a value name must be unique. */
	uint32_t found = BC_NONE, found_count = 0;
	for (size_t i = 0; i < c->m->enums.count; i++) {
		if (find_enum_value(&c->m->enums.items[i], name) >= 0) {
			if (found == BC_NONE)
				found = (uint32_t)i;
			found_count++;
		}
	}
	if (found_count == 1)
		return resolve_enum_value(c, e, found);
	if (found_count > 1) {
		chk_error(c, DIAG_E0104, e->span,
			  _("'%s' is a value of several enumerations; compare it with a fact to say which"), name);
		return fail(e);
	}

	chk_error(c, DIAG_E0101, e->span, _("undeclared name '%s'"), name);
	const char *close = chk_names_suggest(c, CHK_FACT, name);
	if (!close)
		close = chk_names_suggest(c, CHK_INDUSTRY, name);
	if (!close)
		close = chk_names_suggest(c, CHK_COUNTY, name);
	if (close)
		chk_note(c, e->span, _("did you mean '%s'?"), close);
	return fail(e);
}

/* unit.A and county.A: built-in fields first, then declared attributes. */
static int resolve_attr(chk *c, chk_rule_ctx *rc, ast_expr *e)
{
	int is_unit = e->kind == EXPR_UNIT_ATTR;
	const char *name = e->text;

	if (!rc) {
		chk_error(c, DIAG_E0201, e->span, _("reference data cannot read unit or county attributes"));
		return fail(e);
	}
	if (c->m->unit_fact == BC_NONE) {
		chk_error(c, DIAG_E0108, e->span,
			  _("'%s.%s' needs the project's control unit, but no fact of type unit is "
			    "declared"),
			  is_unit ? "unit" : "county", name);
		return fail(e);
	}
	if (is_unit) {
		static const struct {
			const char *en, *zh;
			er_kind kind;
		} builtins[] = {
			{ "code", "代码", ER_K_UNIT }, { "name", "名称", ER_K_STRING },
			{ "county", "县区", ER_K_COUNTY }, { "class", "类别", ER_K_CLASS },
			{ "area", "面积", ER_K_DEC },
		};
		for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
			if (strcmp(name, builtins[i].en) != 0 && strcmp(name, builtins[i].zh) != 0)
				continue;
			e->ref = REF_NONE;
			e->index = BC_NONE;
			/* enum_index carries the bc_unit_field for gen. */
			static const bc_unit_field fields[] = {
				BC_UNIT_SELF, BC_UNIT_NAME, BC_UNIT_COUNTY, BC_UNIT_CLASS, BC_UNIT_AREA
			};
			e->enum_index = fields[i];
			e->type = kind_type(builtins[i].kind);
			if (builtins[i].kind == ER_K_DEC) {
				e->type.has_unit = 1;
				e->type.unit_text = "平方公里";
				er_unit_parse("平方公里", strlen("平方公里"), &e->type.unit);
			}
			return 0;
		}
	} else if (!strcmp(name, "code") || !strcmp(name, "代码") || !strcmp(name, "name") ||
		   !strcmp(name, "名称")) {
		chk_error(c, DIAG_E0201, e->span, _("county.%s cannot be read in a rule; use unit.county or scope county"),
			  name);
		return fail(e);
	}

	chk_name_kind kind = is_unit ? CHK_UNIT_ATTR : CHK_COUNTY_ATTR;
	const chk_entry *entry = chk_names_find(c, kind, name);
	if (!entry) {
		chk_error(c, DIAG_E0101, e->span, is_unit ? _("undeclared unit attribute '%s'") :
			  _("undeclared county attribute '%s'"), name);
		suggest(c, e->span, kind, name);
		return fail(e);
	}
	e->ref = REF_NONE;
	e->index = entry->index;
	e->enum_index = BC_NONE;
	e->type = chk_slot_er_type(c, &c->m->attrs.items[entry->index].t);
	return 0;
}

/* ---- Sets ---- */

static int check_set_literal(chk *c, ast_expr *e, const er_type *want)
{
	model_const k;
	memset(&k, 0, sizeof k);
	if (want && want->kind == ER_K_INDSET) {
		uint32_t set = chk_industry_from_exprs(c, e->items, e->span);
		if (set == BC_NONE)
			return fail(e);
		k.kind = BC_CONST_INDSET;
		k.index = set;
		e->index = model_const_add(c->m, &k);
		e->type = kind_type(ER_K_INDSET);
		return 0;
	}
	if (!want || want->kind != ER_K_SET || want->enum_index >= c->m->enums.count) {
		chk_error(c, DIAG_E0201, e->span,
			  _("a set { … } is only valid after 'in' or as the value of a set attribute"));
		return fail(e);
	}
	int bad = 0;
	for (ast_list *l = e->items; l; l = l->next) {
		ast_expr *item = l->item;
		if (item->kind != EXPR_NAME) {
			chk_error(c, DIAG_E0201, item->span, _("a set of '%s' holds value names only"),
				  c->m->enums.items[want->enum_index].name);
			bad = 1;
			continue;
		}
		if (resolve_enum_value(c, item, want->enum_index) < 0) {
			const model_enum *en = &c->m->enums.items[want->enum_index];
			chk_error(c, DIAG_E0103, item->span, _("'%s' is not a value of enumeration '%s'"), item->text,
				  en->name);
			chk_note(c, en->span, _("enumeration '%s' is declared here"), en->name);
			bad = 1;
			continue;
		}
		k.bits |= (uint64_t)1 << item->index;
	}
	if (bad)
		return fail(e);
	k.kind = BC_CONST_SET;
	k.index = want->enum_index;
	e->index = model_const_add(c->m, &k);
	e->type = *want;
	return 0;
}

/* ---- Operators ---- */

static int expect_kind(chk *c, ast_expr *e, er_kind kind, const char *what)
{
	if (is_error(e))
		return -1;
	if (e->type.kind == kind)
		return 0;
	er_type want = kind_type(kind);
	char expected[128], found[128];
	chk_error(c, DIAG_E0201, e->span, _("type mismatch in %s: expected %s, found %s"), what,
		  chk_type_name(c, &want, expected, sizeof expected), chk_type_name(c, &e->type, found, sizeof found));
	return -1;
}

/* Whether the meaning of a name depends on the other operand: a name
 * that is neither a let nor a fact is an enum value, class or county
 * resolved from the other side's type. */
static int needs_context(chk *c, chk_rule_ctx *rc, const ast_expr *e)
{
	if (e->kind == EXPR_SET)
		return 1;
	if (e->kind != EXPR_NAME)
		return 0;
	if (rc)
		for (size_t i = 0; i < rc->rule->lets.count; i++)
			if (strcmp(rc->rule->lets.items[i].name, e->text) == 0)
				return 0;
	return chk_names_find(c, CHK_FACT, e->text) == NULL;
}

static const char *op_text(ast_binop op)
{
	static const char *const text[] = {
		"or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "has", "+", "-", "*", "/"
	};
	return text[op];
}

static int check_comparison(chk *c, chk_rule_ctx *rc, ast_expr *e)
{
	ast_expr *first = e->lhs, *second = e->rhs;
	if (needs_context(c, rc, e->lhs) && !needs_context(c, rc, e->rhs)) {
		first = e->rhs;
		second = e->lhs;
	}
	if (chk_expr(c, rc, first, NULL) < 0)
		return fail(e);
	if (chk_expr(c, rc, second, &first->type) < 0)
		return fail(e);

	ast_expr *lhs = e->lhs, *rhs = e->rhs;
	char a[128], b[128];
	if (lhs->type.kind != rhs->type.kind ||
	    ((lhs->type.kind == ER_K_ENUM) && lhs->type.enum_index != rhs->type.enum_index)) {
		chk_error(c, DIAG_E0201, e->span, _("type mismatch: cannot compare %s with %s"),
			  chk_type_name(c, &lhs->type, a, sizeof a), chk_type_name(c, &rhs->type, b, sizeof b));
		return fail(e);
	}
	er_kind kind = lhs->type.kind;
	int ordered = e->op == BIN_LT || e->op == BIN_LE || e->op == BIN_GT || e->op == BIN_GE;
	if ((ordered && kind != ER_K_DEC && kind != ER_K_DATE) || kind == ER_K_SET || kind == ER_K_INDSET) {
		chk_error(c, DIAG_E0201, e->span, _("operator '%s' does not apply to %s"), op_text(e->op),
			  chk_type_name(c, &lhs->type, a, sizeof a));
		return fail(e);
	}
	if (kind == ER_K_UNIT && (lhs->ref == REF_UNIT || rhs->ref == REF_UNIT)) {
		chk_error(c, DIAG_E0201, e->span, _("a control unit cannot be compared with a unit code; use 'scope unit'"));
		return fail(e);
	}
	if (kind == ER_K_DEC) {
		er_type common;
		if (unify_units(c, e, lhs, rhs, &common) < 0)
			return fail(e);
	}
	e->type = kind_type(ER_K_BOOL);
	return 0;
}

static int check_in(chk *c, chk_rule_ctx *rc, ast_expr *e)
{
	char a[128];
	if (chk_expr(c, rc, e->lhs, NULL) < 0)
		return fail(e);
	er_type want;
	if (e->lhs->type.kind == ER_K_ENUM) {
		want = kind_type(ER_K_SET);
		want.enum_index = e->lhs->type.enum_index;
	} else if (e->lhs->type.kind == ER_K_CODE) {
		want = kind_type(ER_K_INDSET);
	} else {
		chk_error(c, DIAG_E0201, e->lhs->span,
			  _("'in' needs an enumeration value or an industry code on its left, found %s"),
			  chk_type_name(c, &e->lhs->type, a, sizeof a));
		return fail(e);
	}
	if (chk_expr(c, rc, e->rhs, &want) < 0 || chk_coerce(c, e->rhs, &want, _("the right side of 'in'")) < 0)
		return fail(e);
	e->type = kind_type(ER_K_BOOL);
	return 0;
}

static int check_has(chk *c, chk_rule_ctx *rc, ast_expr *e)
{
	char a[128];
	if (chk_expr(c, rc, e->lhs, NULL) < 0)
		return fail(e);
	if (e->lhs->type.kind != ER_K_SET) {
		chk_error(c, DIAG_E0201, e->lhs->span, _("'has' needs a set on its left, found %s"),
			  chk_type_name(c, &e->lhs->type, a, sizeof a));
		return fail(e);
	}
	er_type want = kind_type(ER_K_ENUM);
	want.enum_index = e->lhs->type.enum_index;
	if (chk_expr(c, rc, e->rhs, &want) < 0 || chk_coerce(c, e->rhs, &want, _("the right side of 'has'")) < 0)
		return fail(e);
	e->type = kind_type(ER_K_BOOL);
	return 0;
}

static int check_arith(chk *c, chk_rule_ctx *rc, ast_expr *e)
{
	int bad = chk_expr(c, rc, e->lhs, NULL) < 0;
	bad |= chk_expr(c, rc, e->rhs, NULL) < 0;
	if (bad)
		return fail(e);
	const char *what = _("arithmetic");
	if (expect_kind(c, e->lhs, ER_K_DEC, what) < 0 || expect_kind(c, e->rhs, ER_K_DEC, what) < 0)
		return fail(e);

	if (e->op == BIN_ADD || e->op == BIN_SUB) {
		er_type common;
		if (unify_units(c, e, e->lhs, e->rhs, &common) < 0)
			return fail(e);
		e->type = common;
		return 0;
	}

	er_type lt = e->lhs->type, rt = e->rhs->type;
	if (!lt.has_unit || !rt.has_unit) {
		/* A plain number scales the other operand, whose unit stays. */
		e->type = lt.has_unit ? lt : rt;
		if (e->op == BIN_DIV && rt.has_unit) {
			/* number / quantity: the unit inverts. */
			er_unit one = er_unit_one();
			e->type = kind_type(ER_K_DEC);
			e->type.has_unit = 1;
			if (er_unit_div(&one, &rt.unit, &e->type.unit) < 0)
				goto overflow;
		}
		return 0;
	}
	/* Two quantities of one dimension: convert the right one into the
	 * left one's unit first, so a ratio of them is a plain number. */
	if (er_unit_same_dimension(&lt.unit, &rt.unit) && !same_factor(&lt.unit, &rt.unit)) {
		er_type common;
		if (unify_units(c, e, e->lhs, e->rhs, &common) < 0)
			return fail(e);
		lt = e->lhs->type;
		rt = lt;
	}
	e->type = kind_type(ER_K_DEC);
	e->type.has_unit = 1;
	int rc_unit = e->op == BIN_MUL ? er_unit_mul(&lt.unit, &rt.unit, &e->type.unit) :
					 er_unit_div(&lt.unit, &rt.unit, &e->type.unit);
	if (rc_unit < 0)
		goto overflow;
	er_unit one = er_unit_one();
	if (er_unit_is_dimensionless(&e->type.unit) && same_factor(&e->type.unit, &one)) {
		e->type.has_unit = 0;
		e->type.unit = one;
	}
	/* NOTE: a product or quotient of two units has no spelling; messages
	 * print its value without a unit. */
	e->type.unit_text = NULL;
	return 0;

overflow:
	chk_error(c, DIAG_E0204, e->span, _("the unit of this expression is out of range"));
	return fail(e);
}

int chk_expr(chk *c, chk_rule_ctx *rc, ast_expr *e, const er_type *want)
{
	model_const k;
	memset(&k, 0, sizeof k);
	e->type = kind_type(CHK_K_ERROR);

	switch (e->kind) {
	case EXPR_NUMBER:
		if (want && want->kind == ER_K_CODE) {
			if (!all_digits(e->text) || strlen(e->text) < 2 || strlen(e->text) > 4) {
				chk_error(c, DIAG_E0407, e->span,
					  _("invalid industry code '%s': expected 2 to 4 digits of GB/T 4754-2017"), e->text);
				return fail(e);
			}
			k.kind = BC_CONST_CODE;
			k.text = e->text;
			e->index = model_const_add(c->m, &k);
			e->type = kind_type(ER_K_CODE);
			return 0;
		}
		/* fall through */
	case EXPR_QUANTITY:
		k.kind = BC_CONST_DEC;
		if (er_dec_parse(e->text, strlen(e->text), &k.dec) != ER_DEC_OK) {
			chk_error(c, DIAG_E0204, e->span, _("the number %s does not fit in 18 significant digits"), e->text);
			return fail(e);
		}
		e->type = kind_type(ER_K_DEC);
		if (e->kind == EXPR_QUANTITY) {
			if (er_unit_parse(e->unit, strlen(e->unit), &e->type.unit) < 0) {
				chk_error(c, DIAG_E0203, e->span, _("unknown unit '%s'"), e->unit);
				return fail(e);
			}
			e->type.has_unit = 1;
			e->type.unit_text = e->unit;
		}
		e->index = model_const_add(c->m, &k);
		return 0;
	case EXPR_DATE:
		k.kind = BC_CONST_DATE;
		k.date = e->date;
		e->index = model_const_add(c->m, &k);
		e->type = kind_type(ER_K_DATE);
		return 0;
	case EXPR_STRING:
		k.kind = BC_CONST_STRING;
		k.text = e->text;
		e->index = model_const_add(c->m, &k);
		e->type = kind_type(ER_K_STRING);
		return 0;
	case EXPR_BOOL:
		e->type = kind_type(ER_K_BOOL);
		return 0;
	case EXPR_NAME:
		return resolve_name(c, rc, e, want);
	case EXPR_UNIT_ATTR:
	case EXPR_COUNTY_ATTR:
		return resolve_attr(c, rc, e);
	case EXPR_SET:
		return check_set_literal(c, e, want);
	case EXPR_KNOWN:
		if (e->lhs->kind != EXPR_NAME || chk_expr(c, rc, e->lhs, NULL) < 0 || e->lhs->ref != REF_FACT) {
			if (!is_error(e->lhs))
				chk_error(c, DIAG_E0208, e->lhs->span, _("known() takes a fact"));
			return fail(e);
		}
		e->type = kind_type(ER_K_BOOL);
		return 0;
	case EXPR_NOT:
		if (chk_expr(c, rc, e->lhs, NULL) < 0 || expect_kind(c, e->lhs, ER_K_BOOL, _("'not'")) < 0)
			return fail(e);
		e->type = kind_type(ER_K_BOOL);
		return 0;
	case EXPR_NEG:
		if (chk_expr(c, rc, e->lhs, NULL) < 0 || expect_kind(c, e->lhs, ER_K_DEC, _("negation")) < 0)
			return fail(e);
		e->type = e->lhs->type;
		return 0;
	case EXPR_BINARY:
		break;
	}

	e->index = 0;
	switch (e->op) {
	case BIN_AND:
	case BIN_OR: {
		const char *what = e->op == BIN_AND ? _("'and'") : _("'or'");
		int bad = chk_expr(c, rc, e->lhs, NULL) < 0 || expect_kind(c, e->lhs, ER_K_BOOL, what) < 0;
		bad |= chk_expr(c, rc, e->rhs, NULL) < 0 || expect_kind(c, e->rhs, ER_K_BOOL, what) < 0;
		if (bad)
			return fail(e);
		e->type = kind_type(ER_K_BOOL);
		return 0;
	}
	case BIN_EQ:
	case BIN_NE:
	case BIN_LT:
	case BIN_LE:
	case BIN_GT:
	case BIN_GE:
		return check_comparison(c, rc, e);
	case BIN_IN:
		return check_in(c, rc, e);
	case BIN_HAS:
		return check_has(c, rc, e);
	case BIN_ADD:
	case BIN_SUB:
	case BIN_MUL:
	case BIN_DIV:
		return check_arith(c, rc, e);
	}
	return fail(e);
}

void chk_condition(chk *c, chk_rule_ctx *rc, ast_expr *e, const char *clause)
{
	if (chk_expr(c, rc, e, NULL) < 0)
		return;
	expect_kind(c, e, ER_K_BOOL, clause);
}
