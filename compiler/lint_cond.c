/* Conditions in disjunctive normal form, and the satisfiability and
 * entailment tests of the linter. */
#include "lint_cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Building normal forms ---- */

static lint_conj *push_conj(lint_dnf *d)
{
	return (lint_conj *)model_grow((void **)&d->conjs, &d->count, &d->cap, sizeof *d->conjs);
}

static lint_lit *push_lit(lint_conj *c)
{
	return (lint_lit *)model_grow((void **)&c->lits, &c->count, &c->cap, sizeof *c->lits);
}

void lint_dnf_free(lint_dnf *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->conjs[i].lits);
	free(d->conjs);
	memset(d, 0, sizeof *d);
}

static lint_dnf dnf_false(void)
{
	lint_dnf d;
	memset(&d, 0, sizeof d);
	return d;
}

static lint_dnf dnf_true(void)
{
	lint_dnf d = dnf_false();
	push_conj(&d);
	return d;
}

static lint_dnf dnf_single(const lint_lit *lit)
{
	lint_dnf d = dnf_true();
	*push_lit(&d.conjs[0]) = *lit;
	return d;
}

static lint_dnf dnf_overflow(void)
{
	lint_dnf d = dnf_false();
	d.overflow = 1;
	return d;
}

/* The disjunction of a and b; takes both. */
static lint_dnf dnf_or(lint_dnf a, lint_dnf b)
{
	if (a.overflow || b.overflow || a.count + b.count > LINT_MAX_DISJUNCTS) {
		lint_dnf_free(&a);
		lint_dnf_free(&b);
		return dnf_overflow();
	}
	for (size_t i = 0; i < b.count; i++)
		*push_conj(&a) = b.conjs[i];
	free(b.conjs);
	return a;
}

lint_dnf lint_dnf_and(const lint_dnf *a, const lint_dnf *b)
{
	if (a->overflow || b->overflow || a->count * b->count > LINT_MAX_DISJUNCTS)
		return dnf_overflow();
	lint_dnf r = dnf_false();
	for (size_t i = 0; i < a->count; i++) {
		for (size_t j = 0; j < b->count; j++) {
			lint_conj *c = push_conj(&r);
			for (size_t k = 0; k < a->conjs[i].count; k++)
				*push_lit(c) = a->conjs[i].lits[k];
			for (size_t k = 0; k < b->conjs[j].count; k++)
				*push_lit(c) = b->conjs[j].lits[k];
		}
	}
	return r;
}

static const model_slot_type *slot_type(const model *m, uint32_t slot)
{
	if (slot & LINT_SLOT_ATTR)
		return &m->attrs.items[slot & ~LINT_SLOT_ATTR].t;
	return &m->facts.items[slot].t;
}

/* All values a slot of this type can hold, as a mask. */
static uint64_t slot_all_values(const model *m, uint32_t slot)
{
	const model_slot_type *t = slot_type(m, slot);
	if (t->type == ER_FT_BOOLEAN)
		return 3;
	if (t->type == ER_FT_ENUM && t->enum_index < m->enums.count) {
		size_t n = m->enums.items[t->enum_index].values.count;
		return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
	}
	return ~(uint64_t)0;
}

static int slot_of(const ast_expr *e, uint32_t *slot)
{
	if (e->kind == EXPR_NAME && e->ref == REF_FACT) {
		*slot = e->index;
		return 1;
	}
	if ((e->kind == EXPR_UNIT_ATTR || e->kind == EXPR_COUNTY_ATTR) && e->index != BC_NONE) {
		*slot = LINT_SLOT_ATTR | e->index;
		return 1;
	}
	return 0;
}

static ast_binop flip_op(ast_binop op)
{
	switch (op) {
	case BIN_LT: return BIN_GT;
	case BIN_LE: return BIN_GE;
	case BIN_GT: return BIN_LT;
	case BIN_GE: return BIN_LE;
	default: return op;
	}
}

static ast_binop negate_op(ast_binop op)
{
	switch (op) {
	case BIN_EQ: return BIN_NE;
	case BIN_NE: return BIN_EQ;
	case BIN_LT: return BIN_GE;
	case BIN_LE: return BIN_GT;
	case BIN_GT: return BIN_LE;
	case BIN_GE: return BIN_LT;
	default: return op;
	}
}

static int is_comparison(ast_binop op)
{
	return op == BIN_EQ || op == BIN_NE || op == BIN_LT || op == BIN_LE || op == BIN_GT || op == BIN_GE;
}

/* Classify a comparison `slot op constant`; returns 0 when it is not one
 * the tests understand. */
static int classify_comparison(model *m, const ast_expr *e, int negate, lint_lit *lit)
{
	uint32_t slot;
	const ast_expr *other;
	ast_binop op = e->op;
	if (slot_of(e->lhs, &slot)) {
		other = e->rhs;
	} else if (slot_of(e->rhs, &slot)) {
		other = e->lhs;
		op = flip_op(op);
	} else {
		return 0;
	}
	uint32_t k = model_expr_const(m, other);
	if (k == BC_NONE)
		return 0;
	const model_const c = m->consts.items[k];
	const model_slot_type *t = slot_type(m, slot);
	if (negate)
		op = negate_op(op);
	lit->slot = slot;

	if (c.kind == BC_CONST_DEC && (t->type == ER_FT_INTEGER || t->type == ER_FT_NUMBER ||
				       t->type == ER_FT_QUANTITY)) {
		lit->kind = LIT_CMP;
		lit->op = op;
		lit->value = c.dec;
		return 1;
	}
	if (c.kind == BC_CONST_DATE && t->type == ER_FT_DATE) {
		lit->kind = LIT_CMP;
		lit->op = op;
		lit->value = er_dec_from_int(c.date);
		return 1;
	}
	if ((op != BIN_EQ && op != BIN_NE) || c.kind == BC_CONST_DEC)
		return 0;
	if (c.kind == BC_CONST_ENUM && t->type == ER_FT_ENUM && c.value < 64) {
		uint64_t bit = (uint64_t)1 << c.value;
		lit->kind = LIT_ENUM;
		lit->mask = op == BIN_EQ ? bit : slot_all_values(m, slot) & ~bit;
		return 1;
	}
	if (c.kind == BC_CONST_BOOL && t->type == ER_FT_BOOLEAN) {
		lit->kind = LIT_BOOL;
		lit->truth = (op == BIN_EQ) == (c.index != 0);
		return 1;
	}
	return 0;
}

/* Classify an atom (anything but and, or, not and boolean literals). */
static void classify_atom(model *m, const ast_expr *e, int negate, lint_lit *lit)
{
	memset(lit, 0, sizeof *lit);
	lit->expr = e;
	uint32_t slot;

	if (slot_of(e, &slot) && slot_type(m, slot)->type == ER_FT_BOOLEAN) {
		lit->kind = LIT_BOOL;
		lit->slot = slot;
		lit->truth = !negate;
		return;
	}
	if (e->kind == EXPR_KNOWN && slot_of(e->lhs, &slot)) {
		lit->kind = LIT_KNOWN;
		lit->slot = slot;
		lit->negated = negate;
		return;
	}
	if (e->kind == EXPR_BINARY && is_comparison(e->op) && classify_comparison(m, e, negate, lit))
		return;
	if (e->kind == EXPR_BINARY && e->op == BIN_IN && slot_of(e->lhs, &slot) &&
	    slot_type(m, slot)->type == ER_FT_ENUM) {
		uint32_t k = model_expr_const(m, e->rhs);
		if (k != BC_NONE && m->consts.items[k].kind == BC_CONST_SET) {
			uint64_t bits = m->consts.items[k].bits;
			lit->kind = LIT_ENUM;
			lit->slot = slot;
			lit->mask = negate ? slot_all_values(m, slot) & ~bits : bits;
			return;
		}
	}
	if (e->kind == EXPR_BINARY && e->op == BIN_IN && slot_of(e->lhs, &slot) &&
	    slot_type(m, slot)->type == ER_FT_CODE) {
		uint32_t k = model_expr_const(m, e->rhs);
		if (k != BC_NONE && m->consts.items[k].kind == BC_CONST_INDSET &&
		    m->consts.items[k].index < m->industries.count) {
			lit->kind = LIT_INDUSTRY;
			lit->slot = slot;
			lit->set = m->consts.items[k].index;
			lit->negated = negate;
			return;
		}
	}
	if (e->kind == EXPR_BINARY && e->op == BIN_HAS && slot_of(e->lhs, &slot) &&
	    slot_type(m, slot)->type == ER_FT_SET) {
		uint32_t k = model_expr_const(m, e->rhs);
		if (k != BC_NONE && m->consts.items[k].kind == BC_CONST_ENUM && m->consts.items[k].value < 64) {
			lit->kind = LIT_HAS;
			lit->slot = slot;
			lit->mask = (uint64_t)1 << m->consts.items[k].value;
			lit->negated = negate;
			return;
		}
	}
	memset(lit, 0, sizeof *lit);
	lit->expr = e;
	lit->kind = LIT_OPAQUE;
	lit->negated = negate;
	lit->slot = UINT32_MAX;
}

lint_dnf lint_dnf_of(model *m, const ast_expr *e, int negate)
{
	if (!e)
		return negate ? dnf_false() : dnf_true();
	if (e->kind == EXPR_NOT)
		return lint_dnf_of(m, e->lhs, !negate);
	if (e->kind == EXPR_BOOL)
		return (e->boolean != 0) != negate ? dnf_true() : dnf_false();
	if (e->kind == EXPR_BINARY && (e->op == BIN_AND || e->op == BIN_OR)) {
		lint_dnf a = lint_dnf_of(m, e->lhs, negate);
		lint_dnf b = lint_dnf_of(m, e->rhs, negate);
		/* De Morgan's laws are valid in three-valued logic too. */
		if ((e->op == BIN_AND) != (negate != 0)) {
			lint_dnf r = lint_dnf_and(&a, &b);
			lint_dnf_free(&a);
			lint_dnf_free(&b);
			return r;
		}
		return dnf_or(a, b);
	}
	lint_lit lit;
	classify_atom(m, e, negate, &lit);
	return dnf_single(&lit);
}

lint_dnf lint_dnf_applies(model *m, const ast_rule *rule)
{
	lint_dnf d = lint_dnf_of(m, rule->when, 0);
	for (const ast_list *l = rule->unless; l; l = l->next) {
		lint_dnf u = lint_dnf_of(m, l->item, 1);
		lint_dnf r = lint_dnf_and(&d, &u);
		lint_dnf_free(&d);
		lint_dnf_free(&u);
		d = r;
	}
	return d;
}

/* ---- Structural equality of expressions ---- */

static int same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_expr(const ast_expr *a, const ast_expr *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->kind != b->kind || !same_text(a->text, b->text) || !same_text(a->unit, b->unit))
		return 0;
	if (a->date != b->date || a->boolean != b->boolean || a->ref != b->ref || a->index != b->index ||
	    a->enum_index != b->enum_index)
		return 0;
	if (a->kind == EXPR_BINARY && a->op != b->op)
		return 0;
	if (!same_expr(a->lhs, b->lhs) || !same_expr(a->rhs, b->rhs))
		return 0;
	const ast_list *x = a->items, *y = b->items;
	for (; x && y; x = x->next, y = y->next)
		if (!same_expr(x->item, y->item))
			return 0;
	return x == NULL && y == NULL;
}

/* ---- Domains ---- */

/* What a conjunction demands of one slot. */
typedef struct lint_dom {
	int known, absent;
	int has_lo, lo_incl, has_hi, hi_incl, has_eq, eq_conflict;
	er_dec lo, hi, eq;
	uint64_t mask;         /* enum and boolean values allowed */
	uint64_t required;     /* set values that must be present */
	uint64_t excluded;     /* set values that must be absent */
	size_t ne_count;
} lint_dom;

static void dom_build(const model *m, const lint_conj *c, uint32_t slot, lint_dom *d)
{
	memset(d, 0, sizeof *d);
	d->mask = slot_all_values(m, slot);
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_OPAQUE || l->slot != slot)
			continue;
		if (l->kind == LIT_KNOWN && l->negated) {
			d->absent = 1;
			continue;
		}
		d->known = 1;
		switch (l->kind) {
		case LIT_CMP:
			switch (l->op) {
			case BIN_EQ:
				if (d->has_eq && er_dec_cmp(d->eq, l->value) != 0)
					d->eq_conflict = 1;
				d->has_eq = 1;
				d->eq = l->value;
				break;
			case BIN_NE:
				d->ne_count++;
				break;
			case BIN_LT:
			case BIN_LE: {
				int cmp = d->has_hi ? er_dec_cmp(l->value, d->hi) : -1;
				if (cmp < 0 || (cmp == 0 && l->op == BIN_LT)) {
					d->has_hi = 1;
					d->hi = l->value;
					d->hi_incl = l->op == BIN_LE;
				}
				break;
			}
			default: {
				int cmp = d->has_lo ? er_dec_cmp(l->value, d->lo) : 1;
				if (cmp > 0 || (cmp == 0 && l->op == BIN_GT)) {
					d->has_lo = 1;
					d->lo = l->value;
					d->lo_incl = l->op == BIN_GE;
				}
				break;
			}
			}
			break;
		case LIT_ENUM:
			d->mask &= l->mask;
			break;
		case LIT_BOOL:
			d->mask &= (uint64_t)1 << (l->truth ? 1 : 0);
			break;
		case LIT_HAS:
			if (l->negated)
				d->excluded |= l->mask;
			else
				d->required |= l->mask;
			break;
		default:
			break;
		}
	}
}

static int in_bounds(const lint_dom *d, er_dec v)
{
	if (d->has_lo) {
		int cmp = er_dec_cmp(v, d->lo);
		if (cmp < 0 || (cmp == 0 && !d->lo_incl))
			return 0;
	}
	if (d->has_hi) {
		int cmp = er_dec_cmp(v, d->hi);
		if (cmp > 0 || (cmp == 0 && !d->hi_incl))
			return 0;
	}
	return 1;
}

/* Whether some `slot != v` literal of c excludes v. */
static int excluded_point(const lint_conj *c, uint32_t slot, er_dec v)
{
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_CMP && l->slot == slot && l->op == BIN_NE && er_dec_cmp(l->value, v) == 0)
			return 1;
	}
	return 0;
}

/* The single value a domain allows, if its bounds pin one. */
static int dom_point(const lint_dom *d, er_dec *v)
{
	if (d->has_eq) {
		*v = d->eq;
		return 1;
	}
	if (d->has_lo && d->has_hi && d->lo_incl && d->hi_incl && er_dec_cmp(d->lo, d->hi) == 0) {
		*v = d->lo;
		return 1;
	}
	return 0;
}

static int dom_empty(const lint_conj *c, uint32_t slot, const lint_dom *d)
{
	if ((d->known && d->absent) || d->eq_conflict || d->mask == 0 || (d->required & d->excluded))
		return 1;
	if (d->has_lo && d->has_hi) {
		int cmp = er_dec_cmp(d->lo, d->hi);
		if (cmp > 0 || (cmp == 0 && !(d->lo_incl && d->hi_incl)))
			return 1;
	}
	er_dec point;
	if (dom_point(d, &point) && (!in_bounds(d, point) || excluded_point(c, slot, point)))
		return 1;
	return 0;
}

/* ---- Industry sets ----
 *
 * A project code is a string of 2 to 4 digits, and it is in a set when
 * one of the set's codes is a prefix of it. The constraints of a
 * conjunction on one code slot are sets it must be in and sets it must
 * not be in. If some code x meets them, then the longest code of the
 * required sets that is a prefix of x meets them too. So the codes of the
 * required sets are the candidates: the slot can be satisfied exactly
 * when some candidate can. Without a required set the only candidate is
 * the empty prefix, and the slot is taken as satisfiable. */

/* Whether some code of industry set `set` is a prefix of `code`. */
static int industry_matches(const model *m, uint32_t set, const char *code)
{
	const model_industry *ind = &m->industries.items[set];
	for (size_t i = 0; i < ind->codes.count; i++) {
		const char *prefix = ind->codes.items[i];
		if (strncmp(prefix, code, strlen(prefix)) == 0)
			return 1;
	}
	return 0;
}

/* Whether `code` meets every industry literal of c on `slot`. */
static int industry_allowed(const model *m, const lint_conj *c, uint32_t slot, const char *code)
{
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_INDUSTRY && l->slot == slot && industry_matches(m, l->set, code) == l->negated)
			return 0;
	}
	return 1;
}

/* Whether some negated industry literal of c on `slot` excludes `code`
 * and so every code that starts with it. */
static int industry_excluded(const model *m, const lint_conj *c, uint32_t slot, const char *code)
{
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_INDUSTRY && l->slot == slot && l->negated && industry_matches(m, l->set, code))
			return 1;
	}
	return 0;
}

/* Whether every code the candidate `code` stands for (the codes that
 * start with it and meet c) satisfies the industry literal `l`. */
static int industry_candidate_entails(const model *m, const lint_conj *c, const char *code, const lint_lit *l)
{
	if (industry_matches(m, l->set, code))
		return !l->negated;
	if (!l->negated)
		return 0;
	/* A longer code of the set that starts with the candidate must be
	 * excluded by c, or it is a code c allows inside the set. */
	const model_industry *ind = &m->industries.items[l->set];
	size_t n = strlen(code);
	for (size_t i = 0; i < ind->codes.count; i++) {
		const char *s = ind->codes.items[i];
		if (strncmp(code, s, n) == 0 && !industry_excluded(m, c, l->slot, s))
			return 0;
	}
	return 1;
}

/* Test each candidate of `slot` that meets c against `goal` (none when
 * NULL): returns 0 at the first that does not entail it, else 1. When it
 * returns 1 and `any` is not NULL, *any is set to whether a candidate met c. */
static int industry_each_candidate(const model *m, const lint_conj *c, uint32_t slot, const lint_lit *goal, int *any)
{
	int required = 0, met = 0;
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind != LIT_INDUSTRY || l->slot != slot || l->negated)
			continue;
		required = 1;
		const model_industry *ind = &m->industries.items[l->set];
		for (size_t k = 0; k < ind->codes.count; k++) {
			const char *code = ind->codes.items[k];
			if (!industry_allowed(m, c, slot, code))
				continue;
			met = 1;
			if (goal && !industry_candidate_entails(m, c, code, goal))
				return 0;
		}
	}
	if (!required) {
		met = 1;
		if (goal && !industry_candidate_entails(m, c, "", goal))
			return 0;
	}
	if (any)
		*any = met;
	return 1;
}

/* Whether no code meets the industry literals of c on `slot`. */
static int industry_empty(const model *m, const lint_conj *c, uint32_t slot)
{
	int any = 1;
	industry_each_candidate(m, c, slot, NULL, &any);
	return !any;
}

int lint_conj_unsat(const model *m, const lint_conj *c, uint32_t *slot)
{
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_OPAQUE) {
			for (size_t j = i + 1; j < c->count; j++) {
				const lint_lit *o = &c->lits[j];
				if (o->kind == LIT_OPAQUE && o->negated != l->negated && same_expr(o->expr, l->expr)) {
					*slot = UINT32_MAX;
					return 1;
				}
			}
			continue;
		}
		/* Test each slot once, at its first literal. */
		size_t first = 0;
		while (first < i && (c->lits[first].kind == LIT_OPAQUE || c->lits[first].slot != l->slot))
			first++;
		if (first < i)
			continue;
		lint_dom d;
		dom_build(m, c, l->slot, &d);
		if (dom_empty(c, l->slot, &d) || industry_empty(m, c, l->slot)) {
			*slot = l->slot;
			return 1;
		}
	}
	return 0;
}

int lint_dnf_unsat(const model *m, const lint_dnf *d)
{
	if (d->overflow)
		return 0;
	uint32_t slot;
	for (size_t i = 0; i < d->count; i++)
		if (!lint_conj_unsat(m, &d->conjs[i], &slot))
			return 0;
	return 1;
}

/* Whether literal l is true whenever c is. */
static int entails_lit(const model *m, const lint_conj *c, const lint_lit *l)
{
	if (l->kind == LIT_OPAQUE) {
		for (size_t i = 0; i < c->count; i++) {
			const lint_lit *o = &c->lits[i];
			if (o->kind == LIT_OPAQUE && o->negated == l->negated && same_expr(o->expr, l->expr))
				return 1;
		}
		return 0;
	}
	lint_dom d;
	dom_build(m, c, l->slot, &d);
	if (l->kind == LIT_KNOWN)
		return l->negated ? d.absent : d.known;
	if (!d.known)
		return 0;

	switch (l->kind) {
	case LIT_CMP: {
		er_dec point;
		if (dom_point(&d, &point)) {
			int cmp = er_dec_cmp(point, l->value);
			switch (l->op) {
			case BIN_EQ: return cmp == 0;
			case BIN_NE: return cmp != 0;
			case BIN_LT: return cmp < 0;
			case BIN_LE: return cmp <= 0;
			case BIN_GT: return cmp > 0;
			default: return cmp >= 0;
			}
		}
		int lo = d.has_lo ? er_dec_cmp(d.lo, l->value) : 0;
		int hi = d.has_hi ? er_dec_cmp(d.hi, l->value) : 0;
		int above = d.has_lo && (lo > 0 || (lo == 0 && !d.lo_incl));
		int below = d.has_hi && (hi < 0 || (hi == 0 && !d.hi_incl));
		switch (l->op) {
		case BIN_GT: return above;
		case BIN_GE: return d.has_lo && lo >= 0;
		case BIN_LT: return below;
		case BIN_LE: return d.has_hi && hi <= 0;
		case BIN_NE: return above || below || excluded_point(c, l->slot, l->value);
		default: return 0;
		}
	}
	case LIT_ENUM:
		return (d.mask & ~l->mask) == 0;
	case LIT_BOOL:
		return (d.mask & ~((uint64_t)1 << (l->truth ? 1 : 0))) == 0;
	case LIT_HAS:
		return l->negated ? (d.excluded & l->mask) != 0 : (d.required & l->mask) != 0;
	case LIT_INDUSTRY:
		return industry_each_candidate(m, c, l->slot, l, NULL);
	default:
		return 0;
	}
}

int lint_conj_entails(const model *m, const lint_conj *c, const lint_dnf *f)
{
	if (f->overflow)
		return 0;
	for (size_t i = 0; i < f->count; i++) {
		const lint_conj *d = &f->conjs[i];
		size_t k = 0;
		while (k < d->count && entails_lit(m, c, &d->lits[k]))
			k++;
		if (k == d->count)
			return 1;
	}
	return 0;
}

int lint_conj_witness(const model *m, const lint_conj *c)
{
	uint32_t slot;
	if (lint_conj_unsat(m, c, &slot))
		return 0;
	for (size_t i = 0; i < c->count; i++) {
		const lint_lit *l = &c->lits[i];
		if (l->kind == LIT_OPAQUE || (l->slot & LINT_SLOT_ATTR))
			return 0;
		er_fact_type type = slot_type(m, l->slot)->type;
		if (l->kind != LIT_CMP || (type != ER_FT_INTEGER && type != ER_FT_DATE))
			continue;
		/* Whole-valued slots need a whole value in range. */
		lint_dom d;
		dom_build(m, c, l->slot, &d);
		er_dec point, width;
		if (dom_point(&d, &point)) {
			if (!er_dec_is_integer(point))
				return 0;
			continue;
		}
		if (!d.has_lo || !d.has_hi)
			continue;
		if (er_dec_sub(d.hi, d.lo, &width) != ER_DEC_OK ||
		    er_dec_cmp(width, er_dec_from_int((int64_t)d.ne_count + 2)) <= 0)
			return 0;
	}
	return 1;
}

const char *lint_slot_name(const model *m, uint32_t slot, char *buf, size_t size)
{
	if (slot == UINT32_MAX) {
		snprintf(buf, size, "?");
	} else if (slot & LINT_SLOT_ATTR) {
		const model_attr *a = &m->attrs.items[slot & ~LINT_SLOT_ATTR];
		snprintf(buf, size, "%s.%s", a->owner == OWNER_UNIT ? "unit" : "county", a->name);
	} else {
		snprintf(buf, size, "%s", m->facts.items[slot].path);
	}
	return buf;
}
