/* The reference evaluator (see ref_eval.h): a direct recursive walk over
 * the checked AST. Each case follows a sentence of docs/language.md, and
 * plainness matters here more than speed. */
#include <stdlib.h>
#include <string.h>

#include "ref_eval.h"
#include "units.h"

/* A value and, when it is unknown, its causes. */
typedef struct ref_value {
	er_value v;
	ref_why why;
} ref_value;

/* The project's control unit, worked out from its code. */
typedef struct ref_unit {
	int known;              /* the unit fact is present */
	uint32_t unit;          /* declared unit, or BC_NONE */
	int unit_class;         /* -1 when the code gives none */
	uint32_t county;        /* BC_NONE when no county has the code */
	const char *code;
} ref_unit;

typedef struct ref_ctx {
	const model *m;
	const er_record *rec;
	const model_rule *rule;
	ref_unit unit;
} ref_ctx;

void ref_result_init(ref_result *result)
{
	memset(result, 0, sizeof *result);
}

void ref_result_free(ref_result *result)
{
	free(result->rules);
	free(result->values);
	memset(result, 0, sizeof *result);
}

int ref_why_has(const ref_why *why, uint32_t fact)
{
	return fact < REF_MAX_FACTS && (why->facts[fact / 64] >> (fact % 64) & 1);
}

static void why_add_fact(ref_why *why, uint32_t fact)
{
	why->facts[fact / 64] |= (uint64_t)1 << (fact % 64);
}

static void why_union(ref_why *into, const ref_why *from)
{
	for (size_t i = 0; i < REF_MAX_FACTS / 64; i++)
		into->facts[i] |= from->facts[i];
	into->data |= from->data;
}

static er_status from_dec_status(er_dec_status st)
{
	switch (st) {
	case ER_DEC_OK: return ER_OK;
	case ER_DEC_OVERFLOW: return ER_E_OVERFLOW;
	case ER_DEC_INEXACT: return ER_E_INEXACT;
	case ER_DEC_DIVZERO: return ER_E_DIVZERO;
	default: return ER_E_INPUT;
	}
}

/* ---- Values ---- */

static void set_known(ref_value *out, er_kind kind)
{
	memset(out, 0, sizeof *out);
	out->v.kind = (uint8_t)kind;
}

static void set_bool(ref_value *out, int truth)
{
	set_known(out, ER_K_BOOL);
	out->v.truth = truth ? ER_TRUE : ER_FALSE;
}

/* An unknown value of `kind` caused by `why`. */
static void set_unknown(ref_value *out, er_kind kind, const ref_why *why)
{
	memset(out, 0, sizeof *out);
	out->v.kind = (uint8_t)kind;
	out->v.unknown = 1;
	if (why)
		out->why = *why;
}

/* Unknown because the unit fact is absent. A schema with no unit fact
 * has the gap in the rule set itself, so it counts as reference data. */
static void set_unit_unknown(ref_ctx *c, ref_value *out, er_kind kind)
{
	set_unknown(out, kind, NULL);
	if (c->m->unit_fact == BC_NONE)
		out->why.data = 1;
	else
		why_add_fact(&out->why, c->m->unit_fact);
}

static void set_data_unknown(ref_value *out, er_kind kind)
{
	set_unknown(out, kind, NULL);
	out->why.data = 1;
}

static int is_false(const ref_value *v)
{
	return !v->v.unknown && v->v.truth == ER_FALSE;
}

static int is_true(const ref_value *v)
{
	return !v->v.unknown && v->v.truth == ER_TRUE;
}

/* A constant of the model as a value (reference data and set literals). */
static void const_value(const model *m, uint32_t index, ref_value *out)
{
	const model_const *k = &m->consts.items[index];

	memset(out, 0, sizeof *out);
	switch (k->kind) {
	case BC_CONST_DEC:
		out->v.kind = ER_K_DEC;
		out->v.as.dec = k->dec;
		break;
	case BC_CONST_DATE:
		out->v.kind = ER_K_DATE;
		out->v.as.date = k->date;
		break;
	case BC_CONST_STRING:
	case BC_CONST_CODE:
		out->v.kind = k->kind == BC_CONST_STRING ? ER_K_STRING : ER_K_CODE;
		out->v.as.str.ptr = k->text;
		out->v.as.str.len = (uint32_t)strlen(k->text);
		break;
	case BC_CONST_ENUM:
		out->v.kind = ER_K_ENUM;
		out->v.as.index = k->value;
		break;
	case BC_CONST_SET:
		out->v.kind = ER_K_SET;
		out->v.as.bits = k->bits;
		break;
	case BC_CONST_BOOL:
		out->v.kind = ER_K_BOOL;
		out->v.truth = k->index ? ER_TRUE : ER_FALSE;
		break;
	case BC_CONST_INDSET:
		out->v.kind = ER_K_INDSET;
		out->v.as.index = k->index;
		break;
	case BC_CONST_COUNTY:
		out->v.kind = ER_K_COUNTY;
		out->v.as.index = k->index;
		break;
	default:
		out->v.kind = ER_K_CLASS;
		out->v.as.index = k->index;
		break;
	}
}

/* ---- The project's unit ---- */

static uint32_t county_by_code(const model *m, const char *division)
{
	for (uint32_t i = 0; i < m->counties.count; i++)
		if (m->counties.items[i].code && strncmp(m->counties.items[i].code, division, 6) == 0)
			return i;
	return BC_NONE;
}

/* A declared unit gives its own class and county. Any other code gives
 * its class digit and the county of its division code, if declared. */
static void resolve_unit(const model *m, const er_record *rec, ref_unit *u)
{
	memset(u, 0, sizeof *u);
	u->unit = BC_NONE;
	u->unit_class = -1;
	u->county = BC_NONE;
	if (m->unit_fact == BC_NONE || !rec->present[m->unit_fact])
		return;
	u->known = 1;
	u->code = rec->unit_code;
	for (uint32_t i = 0; i < m->units.count; i++) {
		if (strcmp(m->units.items[i].code, rec->unit_code) == 0) {
			u->unit = i;
			u->unit_class = m->units.items[i].unit_class;
			u->county = m->units.items[i].county;
			return;
		}
	}
	if (strlen(rec->unit_code) == 13 && rec->unit_code[8] >= '1' && rec->unit_code[8] <= '3')
		u->unit_class = rec->unit_code[8] - '1';
	if (strlen(rec->unit_code) >= 8)
		u->county = county_by_code(m, rec->unit_code + 2);
}

/* ---- Expressions ---- */

static er_status eval(ref_ctx *c, const ast_expr *e, ref_value *out);

static er_unit type_unit(const er_type *t)
{
	return t->has_unit ? t->unit : er_unit_one();
}

/* A number or quantity literal: its digits in its own unit, converted
 * into the unit the checker gave it from its context. */
static er_status literal(const ast_expr *e, ref_value *out)
{
	er_unit from = er_unit_one(), to = type_unit(&e->type);
	int64_t num, den;
	er_dec value;

	set_known(out, ER_K_DEC);
	if (er_dec_parse(e->text, strlen(e->text), &value) != ER_DEC_OK)
		return ER_E_INPUT;
	if (e->kind == EXPR_QUANTITY && er_unit_parse(e->unit, strlen(e->unit), &from) < 0)
		return ER_E_INPUT;
	if (er_unit_ratio(&from, &to, &num, &den) < 0)
		return ER_E_INPUT;
	return from_dec_status(er_dec_scale(value, num, den, &out->v.as.dec));
}

static er_status fact(ref_ctx *c, uint32_t f, ref_value *out)
{
	const er_record *rec = c->rec;
	const model_slot_type *t = &c->m->facts.items[f].t;
	static const er_kind kinds[] = {
		[ER_FT_BOOLEAN] = ER_K_BOOL, [ER_FT_INTEGER] = ER_K_DEC, [ER_FT_NUMBER] = ER_K_DEC,
		[ER_FT_QUANTITY] = ER_K_DEC, [ER_FT_DATE] = ER_K_DATE, [ER_FT_STRING] = ER_K_STRING,
		[ER_FT_CODE] = ER_K_CODE, [ER_FT_UNIT] = ER_K_UNIT, [ER_FT_ENUM] = ER_K_ENUM,
		[ER_FT_SET] = ER_K_SET, [ER_FT_INDUSTRIES] = ER_K_INDSET,
	};

	if (!rec->present[f] || rec->slots[f].unknown) {
		set_unknown(out, kinds[t->type], NULL);
		why_add_fact(&out->why, f);
		return ER_OK;
	}
	set_known(out, kinds[t->type]);
	out->v = rec->slots[f];
	out->v.why = 0;
	return ER_OK;
}

/* A built-in field of the unit: code, class, county, area or name. */
static er_status unit_field(ref_ctx *c, uint32_t field, ref_value *out)
{
	static const er_kind kinds[BC_UNIT_FIELD_COUNT] = {
		ER_K_UNIT, ER_K_CLASS, ER_K_COUNTY, ER_K_DEC, ER_K_STRING,
	};
	const ref_unit *u = &c->unit;
	const model_unit *mu = u->unit != BC_NONE ? &c->m->units.items[u->unit] : NULL;

	if (!u->known) {
		set_unit_unknown(c, out, kinds[field]);
		return ER_OK;
	}
	set_known(out, kinds[field]);
	switch (field) {
	case BC_UNIT_SELF:
		if (!mu)
			break;
		out->v.as.index = u->unit;
		return ER_OK;
	case BC_UNIT_CLASS:
		if (u->unit_class < 0)
			break;
		out->v.as.index = (uint32_t)u->unit_class;
		return ER_OK;
	case BC_UNIT_COUNTY:
		if (u->county == BC_NONE)
			break;
		out->v.as.index = u->county;
		return ER_OK;
	case BC_UNIT_AREA:
		if (!mu || mu->area == BC_NONE)
			break;
		const_value(c->m, mu->area, out);
		return ER_OK;
	default:
		if (!mu || !mu->name)
			break;
		out->v.as.str.ptr = mu->name;
		out->v.as.str.len = (uint32_t)strlen(mu->name);
		return ER_OK;
	}
	set_data_unknown(out, kinds[field]);
	return ER_OK;
}

/* A declared attribute of the unit or of its county. */
static er_status attribute(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	const ref_unit *u = &c->unit;
	er_kind kind = e->type.kind;
	const model_value *values = NULL;
	size_t count = 0;

	if (!u->known) {
		set_unit_unknown(c, out, kind);
		return ER_OK;
	}
	if (e->kind == EXPR_UNIT_ATTR && u->unit != BC_NONE) {
		values = c->m->units.items[u->unit].values.items;
		count = c->m->units.items[u->unit].values.count;
	} else if (e->kind == EXPR_COUNTY_ATTR && u->county != BC_NONE) {
		values = c->m->counties.items[u->county].values.items;
		count = c->m->counties.items[u->county].values.count;
	}
	for (size_t i = 0; i < count; i++) {
		if (values[i].attr == e->index) {
			const_value(c->m, values[i].constant, out);
			return ER_OK;
		}
	}
	set_data_unknown(out, kind);
	return ER_OK;
}

static er_status name(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	switch (e->ref) {
	case REF_FACT:
		return fact(c, e->index, out);
	case REF_LET:
		return eval(c, c->rule->lets.items[e->index].value, out);
	case REF_ENUM_VALUE:
		set_known(out, ER_K_ENUM);
		out->v.as.index = e->index;
		return ER_OK;
	case REF_INDUSTRY:
		set_known(out, ER_K_INDSET);
		out->v.as.index = e->index;
		return ER_OK;
	case REF_COUNTY:
		set_known(out, ER_K_COUNTY);
		out->v.as.index = e->index;
		return ER_OK;
	case REF_CLASS:
		set_known(out, ER_K_CLASS);
		out->v.as.index = e->index;
		return ER_OK;
	case REF_UNIT:
		set_known(out, ER_K_UNIT);
		out->v.as.index = e->index;
		return ER_OK;
	default:
		return ER_E_INPUT;
	}
}

static er_status set_literal(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	if (e->type.kind == ER_K_INDSET) {
		const_value(c->m, e->index, out);
		return ER_OK;
	}
	set_known(out, ER_K_SET);
	for (const ast_list *l = e->items; l; l = l->next) {
		const ast_expr *item = l->item;
		out->v.as.bits |= (uint64_t)1 << item->index;
	}
	return ER_OK;
}

/* Three-valued and/or: the deciding value wins, and the right operand
 * is not evaluated when the left one decides. */
static er_status logic(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	int is_and = e->op == BIN_AND;
	ref_value a, b;
	er_status st = eval(c, e->lhs, &a);

	if (st != ER_OK)
		return st;
	if (is_and ? is_false(&a) : is_true(&a)) {
		*out = a;
		return ER_OK;
	}
	st = eval(c, e->rhs, &b);
	if (st != ER_OK)
		return st;
	if (is_and ? is_false(&b) : is_true(&b)) {
		*out = b;
		return ER_OK;
	}
	if (!a.v.unknown && !b.v.unknown) {
		set_bool(out, is_and);
		return ER_OK;
	}
	set_unknown(out, ER_K_BOOL, NULL);
	if (a.v.unknown)
		why_union(&out->why, &a.why);
	if (b.v.unknown)
		why_union(&out->why, &b.why);
	return ER_OK;
}

static int same_factor(const er_unit *a, const er_unit *b)
{
	int64_t num, den;
	return er_unit_ratio(a, b, &num, &den) == 0 && num == den;
}

/* Whether the right operand of a decimal operation is converted into the
 * left operand's unit first: for comparisons, sums and differences of
 * one dimension in two units, and for products and quotients of two
 * quantities of one dimension. */
static int needs_scale(const ast_expr *e)
{
	er_unit ua = type_unit(&e->lhs->type), ub = type_unit(&e->rhs->type);

	if (e->lhs->type.kind != ER_K_DEC || e->rhs->type.kind != ER_K_DEC)
		return 0;
	if (same_factor(&ua, &ub) || !er_unit_same_dimension(&ua, &ub))
		return 0;
	if (e->op == BIN_MUL || e->op == BIN_DIV)
		return e->lhs->type.has_unit && e->rhs->type.has_unit;
	return 1;
}

static int values_equal(const er_value *a, const er_value *b)
{
	switch (a->kind) {
	case ER_K_BOOL: return a->truth == b->truth;
	case ER_K_DEC: return er_dec_cmp(a->as.dec, b->as.dec) == 0;
	case ER_K_DATE: return a->as.date == b->as.date;
	case ER_K_STRING:
	case ER_K_CODE:
		return a->as.str.len == b->as.str.len && memcmp(a->as.str.ptr, b->as.str.ptr, a->as.str.len) == 0;
	case ER_K_SET: return a->as.bits == b->as.bits;
	default: return a->as.index == b->as.index;
	}
}

static int order(const er_value *a, const er_value *b)
{
	if (a->kind == ER_K_DEC)
		return er_dec_cmp(a->as.dec, b->as.dec);
	return (a->as.date > b->as.date) - (a->as.date < b->as.date);
}

/* An industry code is in a set when one of the set's codes is a prefix
 * of it. */
static int code_in(const model *m, const er_value *code, uint32_t set)
{
	const model_industry *ind = &m->industries.items[set];

	for (size_t i = 0; i < ind->codes.count; i++) {
		size_t n = strlen(ind->codes.items[i]);
		if (n <= code->as.str.len && memcmp(ind->codes.items[i], code->as.str.ptr, n) == 0)
			return 1;
	}
	return 0;
}

/* Both operands known: the operation itself. */
static er_status apply(ref_ctx *c, const ast_expr *e, const er_value *a, const er_value *b, ref_value *out)
{
	er_dec r;
	er_dec_status ds;

	switch (e->op) {
	case BIN_EQ: set_bool(out, values_equal(a, b)); return ER_OK;
	case BIN_NE: set_bool(out, !values_equal(a, b)); return ER_OK;
	case BIN_LT: set_bool(out, order(a, b) < 0); return ER_OK;
	case BIN_LE: set_bool(out, order(a, b) <= 0); return ER_OK;
	case BIN_GT: set_bool(out, order(a, b) > 0); return ER_OK;
	case BIN_GE: set_bool(out, order(a, b) >= 0); return ER_OK;
	case BIN_HAS: set_bool(out, b->as.index < 64 && (a->as.bits >> b->as.index & 1)); return ER_OK;
	case BIN_IN:
		if (a->kind == ER_K_CODE)
			set_bool(out, code_in(c->m, a, b->as.index));
		else
			set_bool(out, a->as.index < 64 && (b->as.bits >> a->as.index & 1));
		return ER_OK;
	case BIN_ADD: ds = er_dec_add(a->as.dec, b->as.dec, &r); break;
	case BIN_SUB: ds = er_dec_sub(a->as.dec, b->as.dec, &r); break;
	case BIN_MUL: ds = er_dec_mul(a->as.dec, b->as.dec, &r); break;
	default: ds = er_dec_div(a->as.dec, b->as.dec, &r); break;
	}
	if (ds != ER_DEC_OK)
		return from_dec_status(ds);
	set_known(out, ER_K_DEC);
	out->v.as.dec = r;
	return ER_OK;
}

static int is_arith(ast_binop op)
{
	return op == BIN_ADD || op == BIN_SUB || op == BIN_MUL || op == BIN_DIV;
}

/* Any other binary operation: both operands are evaluated, left first,
 * and an unknown operand makes the result unknown. */
static er_status binary(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	ref_value a, b;
	er_status st;

	if (e->op == BIN_AND || e->op == BIN_OR)
		return logic(c, e, out);
	st = eval(c, e->lhs, &a);
	if (st == ER_OK)
		st = eval(c, e->rhs, &b);
	if (st != ER_OK)
		return st;
	if (!b.v.unknown && needs_scale(e)) {
		er_unit from = type_unit(&e->rhs->type), to = type_unit(&e->lhs->type);
		int64_t num, den;
		if (er_unit_ratio(&from, &to, &num, &den) < 0)
			return ER_E_INPUT;
		st = from_dec_status(er_dec_scale(b.v.as.dec, num, den, &b.v.as.dec));
		if (st != ER_OK)
			return st;
	}
	if (a.v.unknown || b.v.unknown) {
		set_unknown(out, is_arith(e->op) ? ER_K_DEC : ER_K_BOOL, NULL);
		if (a.v.unknown)
			why_union(&out->why, &a.why);
		if (b.v.unknown)
			why_union(&out->why, &b.why);
		return ER_OK;
	}
	return apply(c, e, &a.v, &b.v, out);
}

static er_status eval(ref_ctx *c, const ast_expr *e, ref_value *out)
{
	er_status st;

	switch (e->kind) {
	case EXPR_NUMBER:
		if (e->type.kind == ER_K_CODE) {
			set_known(out, ER_K_CODE);
			out->v.as.str.ptr = e->text;
			out->v.as.str.len = (uint32_t)strlen(e->text);
			return ER_OK;
		}
		return literal(e, out);
	case EXPR_QUANTITY:
		return literal(e, out);
	case EXPR_DATE:
		set_known(out, ER_K_DATE);
		out->v.as.date = e->date;
		return ER_OK;
	case EXPR_STRING:
		set_known(out, ER_K_STRING);
		out->v.as.str.ptr = e->text;
		out->v.as.str.len = (uint32_t)strlen(e->text);
		return ER_OK;
	case EXPR_BOOL:
		set_bool(out, e->boolean);
		return ER_OK;
	case EXPR_NAME:
		return name(c, e, out);
	case EXPR_UNIT_ATTR:
		if (e->index == BC_NONE)
			return unit_field(c, e->enum_index, out);
		return attribute(c, e, out);
	case EXPR_COUNTY_ATTR:
		return attribute(c, e, out);
	case EXPR_SET:
		return set_literal(c, e, out);
	case EXPR_KNOWN:
		set_bool(out, c->rec->present[e->lhs->index] && !c->rec->slots[e->lhs->index].unknown);
		return ER_OK;
	case EXPR_NOT:
		st = eval(c, e->lhs, out);
		if (st == ER_OK && !out->v.unknown)
			out->v.truth = out->v.truth == ER_TRUE ? ER_FALSE : ER_TRUE;
		return st;
	case EXPR_NEG:
		st = eval(c, e->lhs, out);
		if (st == ER_OK && !out->v.unknown)
			st = from_dec_status(er_dec_neg(out->v.as.dec, &out->v.as.dec));
		return st;
	case EXPR_BINARY:
		return binary(c, e, out);
	}
	return ER_E_INPUT;
}

/* ---- Rules ---- */

static int in_force(const ast_rule *a, int32_t as_of)
{
	return (!a->has_from || as_of >= a->from) && (!a->has_until || as_of <= a->until);
}

static int class_from_name(const char *name)
{
	static const char *const names[3][2] = {
		{ "优先保护", "priority" }, { "重点管控", "key" }, { "一般管控", "general" },
	};
	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i][0]) == 0 || strcmp(name, names[i][1]) == 0)
			return i;
	return -1;
}

/* Whether one scope clause admits the project's (known) unit: one of
 * its names matches. */
static int clause_admits(const model *m, const ast_scope *s, const ref_unit *u)
{
	for (const ast_list *l = s->names; l; l = l->next) {
		const char *n = ((const ast_ident *)l->item)->text;
		switch (s->kind) {
		case SCOPE_UNIT:
			if (strcmp(n, u->code) == 0)
				return 1;
			break;
		case SCOPE_CLASS:
			if (u->unit_class >= 0 && class_from_name(n) == u->unit_class)
				return 1;
			break;
		case SCOPE_COUNTY:
			if (u->county != BC_NONE && strcmp(m->counties.items[u->county].name, n) == 0)
				return 1;
			break;
		}
	}
	return 0;
}

/* Several scope clauses must all hold. */
static int scope_admits(const model *m, const ast_rule *a, const ref_unit *u)
{
	for (const ast_list *l = a->scopes; l; l = l->next)
		if (!clause_admits(m, l->item, u))
			return 0;
	return 1;
}

/* The condition: when, and not each unless, stopping at the first false
 * value (so later clauses are not evaluated). */
static er_status condition(ref_ctx *c, const ast_rule *a, ref_value *cond)
{
	set_bool(cond, 1);
	if (a->when) {
		er_status st = eval(c, a->when, cond);
		if (st != ER_OK)
			return st;
	}
	for (const ast_list *l = a->unless; l && !is_false(cond); l = l->next) {
		ref_value u;
		er_status st = eval(c, l->item, &u);
		if (st != ER_OK)
			return st;
		if (is_true(&u)) {
			set_bool(cond, 0);
		} else if (u.v.unknown) {
			ref_why why = cond->v.unknown ? cond->why : (ref_why){ 0 };
			why_union(&why, &u.why);
			set_unknown(cond, ER_K_BOOL, &why);
		}
	}
	return ER_OK;
}

static er_decision verdict_decision(er_verdict v)
{
	switch (v) {
	case ER_VERDICT_FORBID: return ER_DECISION_REJECTED;
	case ER_VERDICT_RESTRICT: return ER_DECISION_RESTRICTED;
	case ER_VERDICT_REQUIRE:
	case ER_VERDICT_EXIT: return ER_DECISION_CONDITIONAL;
	default: return ER_DECISION_ADMIT;
	}
}

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*items, n * size);
	if (!p)
		return -1;
	*items = p;
	*cap = n;
	return 0;
}

/* The values of the message parts (text parts: an unknown placeholder)
 * and then of the lets. */
static er_status rule_values(ref_ctx *c, ref_result *res, ref_rule_result *rr)
{
	const model_rule *r = c->rule;
	size_t n = r->parts.count + r->lets.count;

	if (grow((void **)&res->values, &res->value_cap, res->value_count + n, sizeof *res->values) < 0)
		return ER_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const ast_expr *e = i < r->parts.count ? r->parts.items[i].expr : r->lets.items[i - r->parts.count].value;
		ref_value v;
		set_unknown(&v, ER_K_BOOL, NULL);
		if (e) {
			er_status st = eval(c, e, &v);
			if (st != ER_OK)
				return st;
		}
		res->values[res->value_count + i] = v.v;
	}
	rr->values_first = res->value_count;
	rr->values_count = n;
	res->value_count += n;
	return ER_OK;
}

/* Apply the ensure clause. An applying rule is met, violated or attached,
 * and an undetermined one could reject unless the clause is known true. */
static er_status ensure(ref_ctx *c, const ast_rule *a, ref_rule_result *rr)
{
	ref_value ok;
	er_status st;

	if (!a->ensure)
		return ER_OK;
	st = eval(c, a->ensure, &ok);
	if (st != ER_OK)
		return st;
	if (rr->outcome == ER_OUT_APPLIES) {
		if (ok.v.unknown) {
			rr->check = ER_CHECK_ATTACHED;
			rr->missing = ok.why;
		} else {
			rr->check = is_true(&ok) ? ER_CHECK_MET : ER_CHECK_VIOLATED;
		}
		return ER_OK;
	}
	if (!is_true(&ok))
		rr->potential = ER_DECISION_REJECTED;
	if (ok.v.unknown)
		why_union(&rr->missing, &ok.why);
	return ER_OK;
}

static er_status eval_rule(ref_ctx *c, ref_result *res, uint32_t index, int32_t as_of)
{
	const model_rule *r = &c->m->rules.items[index];
	const ast_rule *a = r->ast;
	int scoped = a->scopes != NULL;
	ref_value cond;
	ref_rule_result *rr;
	er_status st;

	if (!in_force(a, as_of))
		return ER_OK;
	if (scoped && c->unit.known && !scope_admits(c->m, a, &c->unit))
		return ER_OK;
	c->rule = r;
	st = condition(c, a, &cond);
	if (st == ER_OK && is_false(&cond))
		return ER_OK;
	if (grow((void **)&res->rules, &res->rule_cap, res->rule_count + 1, sizeof *res->rules) < 0)
		return ER_E_NOMEM;
	rr = &res->rules[res->rule_count++];
	memset(rr, 0, sizeof *rr);
	rr->rule = index;
	if (st != ER_OK) {
		rr->outcome = ER_OUT_FAILED;
		rr->error = st;
		return ER_OK;
	}
	/* A scoped rule with the unit unknown is in scope only maybe. */
	if (scoped && !c->unit.known) {
		ref_value maybe;
		set_unit_unknown(c, &maybe, ER_K_BOOL);
		if (!cond.v.unknown)
			memset(&cond.why, 0, sizeof cond.why);
		why_union(&maybe.why, &cond.why);
		cond = maybe;
	}
	rr->outcome = cond.v.unknown ? ER_OUT_UNDETERMINED : ER_OUT_APPLIES;
	if (cond.v.unknown) {
		rr->missing = cond.why;
		rr->potential = verdict_decision(a->verdict);
	}
	st = ensure(c, a, rr);
	if (st == ER_OK)
		st = rule_values(c, res, rr);
	if (st == ER_E_NOMEM)
		return st;
	if (st != ER_OK) {
		rr->outcome = ER_OUT_FAILED;
		rr->check = ER_CHECK_NONE;
		rr->error = st;
	}
	return ER_OK;
}

/* The strictest determined outcome decides, unless an undetermined rule
 * could be stricter or a rule failed (and the project is not already
 * rejected): then information is needed. */
static void decide(const model *m, ref_result *res)
{
	er_decision settled = ER_DECISION_ADMIT;
	int needs_info = 0;

	for (size_t i = 0; i < res->rule_count; i++) {
		const ref_rule_result *rr = &res->rules[i];
		if (rr->outcome != ER_OUT_APPLIES)
			continue;
		er_decision d = rr->check == ER_CHECK_VIOLATED ? ER_DECISION_REJECTED
							       : verdict_decision(m->rules.items[rr->rule].ast->verdict);
		if (d > settled)
			settled = d;
	}
	for (size_t i = 0; i < res->rule_count; i++) {
		const ref_rule_result *rr = &res->rules[i];
		if (rr->outcome == ER_OUT_FAILED && settled != ER_DECISION_REJECTED)
			needs_info = 1;
		if (rr->outcome == ER_OUT_UNDETERMINED && rr->potential > settled) {
			needs_info = 1;
			why_union(&res->needed, &rr->missing);
		}
	}
	res->needed.data = 0;
	res->settled = settled;
	res->decision = needs_info ? ER_DECISION_NEEDS_INFO : settled;
}

int ref_eval(const model *m, const er_record *record, int32_t as_of, ref_result *result)
{
	ref_ctx c;

	result->rule_count = 0;
	result->value_count = 0;
	memset(&result->needed, 0, sizeof result->needed);
	if (m->facts.count > REF_MAX_FACTS)
		return -1;
	memset(&c, 0, sizeof c);
	c.m = m;
	c.rec = record;
	resolve_unit(m, record, &c.unit);
	for (uint32_t i = 0; i < m->rules.count; i++)
		if (eval_rule(&c, result, i, as_of) != ER_OK)
			return -1;
	decide(m, result);
	return 0;
}
