/* Rules: required clauses, scopes, dates, lets, conditions, messages and
 * overrides. */
#include "check_internal.h"
#include "lint.h"

#include <stdlib.h>
#include <string.h>

typedef MODEL_VEC(uint32_t) index_vec;

/* Keep in `list` only the indices that `clause` also holds. */
static void intersect(uint32_t *list, size_t *count, const uint32_t *clause, size_t clause_count)
{
	size_t kept = 0;
	for (size_t i = 0; i < *count; i++) {
		size_t k = 0;
		while (k < clause_count && clause[k] != list[i])
			k++;
		if (k < clause_count)
			list[kept++] = list[i];
	}
	*count = kept;
}

/* Resolve the names of one scope clause: a class mask, or unit or
 * county indices in `names`. Returns the number of unresolved names. */
static size_t scope_clause(chk *c, const ast_scope *s, uint32_t *mask, index_vec *names)
{
	size_t bad = 0;
	for (ast_list *n = s->names; n; n = n->next) {
		const ast_ident *id = n->item;
		if (s->kind == SCOPE_CLASS) {
			int cls = chk_class_from_name(id->text);
			if (cls < 0) {
				chk_error(c, DIAG_E0106, id->span,
					  _("unknown unit class '%s' in scope; expected 优先保护, 重点管控 or 一般管控"),
					  id->text);
				bad++;
				continue;
			}
			*mask |= 1u << cls;
			continue;
		}
		chk_name_kind kind = s->kind == SCOPE_UNIT ? CHK_UNIT : CHK_COUNTY;
		const chk_entry *e = chk_names_find(c, kind, id->text);
		if (!e) {
			chk_error(c, DIAG_E0106, id->span,
				  kind == CHK_UNIT ? _("scope names undeclared control unit '%s'") :
						     _("scope names undeclared county '%s'"),
				  id->text);
			const char *close = chk_names_suggest(c, kind, id->text);
			if (close)
				chk_note(c, id->span, _("did you mean '%s'?"), close);
			bad++;
			continue;
		}
		*MODEL_PUSH(*names) = e->index;
	}
	return bad;
}

/* Several scope clauses must all hold, so clauses of one kind intersect:
 * `scope class 优先保护, 重点管控` and `scope class 重点管控` leave 重点管控.
 * An empty intersection would leave a rule that is never in scope. */
static void check_scopes(chk *c, model_rule *r)
{
	int seen[3] = { 0, 0, 0 };
	size_t bad = 0;
	const ast_scope *last[3] = { NULL, NULL, NULL };

	if (r->ast->scopes && c->m->unit_fact == BC_NONE)
		chk_error(c, DIAG_E0108, ((const ast_scope *)r->ast->scopes->item)->span,
			  _("rule '%s' has a scope, but no fact of type unit is declared to place "
			    "a project in a control unit"),
			  r->ast->id);
	for (ast_list *l = r->ast->scopes; l; l = l->next) {
		const ast_scope *s = l->item;
		uint32_t mask = 0;
		index_vec names = { 0 };
		r->has_scope = 1;
		bad += scope_clause(c, s, &mask, &names);
		if (s->kind == SCOPE_CLASS)
			r->class_mask = seen[s->kind] ? r->class_mask & mask : mask;
		else if (s->kind == SCOPE_UNIT && !seen[s->kind])
			for (size_t i = 0; i < names.count; i++)
				*MODEL_PUSH(r->scope_units) = names.items[i];
		else if (s->kind == SCOPE_UNIT)
			intersect(r->scope_units.items, &r->scope_units.count, names.items, names.count);
		else if (!seen[s->kind])
			for (size_t i = 0; i < names.count; i++)
				*MODEL_PUSH(r->scope_counties) = names.items[i];
		else
			intersect(r->scope_counties.items, &r->scope_counties.count, names.items, names.count);
		free(names.items);
		seen[s->kind] = 1;
		last[s->kind] = s;
	}
	if (bad)
		return;
	for (int k = 0; k < 3; k++) {
		size_t left = r->scope_counties.count;
		if (k == SCOPE_CLASS)
			left = r->class_mask;
		else if (k == SCOPE_UNIT)
			left = r->scope_units.count;
		if (seen[k] && left == 0)
			chk_error(c, DIAG_E0310, last[k]->span,
				  _("rule '%s' is never in scope: no name is in every scope clause of this kind"),
				  r->ast->id);
	}
}

static void check_required(chk *c, model_rule *r)
{
	const ast_rule *a = r->ast;
	if (!a->title)
		chk_error(c, DIAG_E0302, a->id_span, _("rule '%s' has no title clause"), a->id);
	if (!a->has_dimension)
		chk_error(c, DIAG_E0303, a->id_span, _("rule '%s' has no dimension clause"), a->id);
	if (!a->has_verdict)
		chk_error(c, DIAG_E0304, a->id_span,
			  _("rule '%s' has no verdict clause (forbid, restrict, require, exit or guide)"), a->id);
	if (!a->basis)
		chk_error(c, DIAG_E0305, a->id_span, _("rule '%s' has no basis clause"), a->id);
	if (a->ensure && a->has_verdict && a->verdict != ER_VERDICT_REQUIRE) {
		chk_error(c, DIAG_E0306, a->ensure->span, _("an ensure clause needs a require verdict"));
		chk_note(c, a->verdict_span, _("the verdict is here"));
	}
	if (a->has_from && a->has_until && a->until < a->from) {
		chk_error(c, DIAG_E0307, a->until_span, _("rule '%s' is in force until a date before it comes into force"),
			  a->id);
		chk_note(c, a->from_span, _("it comes into force here"));
	}
}

static void check_lets(chk *c, chk_rule_ctx *rc)
{
	model_rule *r = rc->rule;
	for (ast_list *l = r->ast->lets; l; l = l->next) {
		ast_let *a = l->item;
		for (size_t i = 0; i < r->lets.count; i++) {
			if (strcmp(r->lets.items[i].name, a->name) == 0) {
				chk_error(c, DIAG_E0102, a->span, _("let name '%s' is defined twice in this rule"), a->name);
				chk_note(c, r->lets.items[i].span, _("'%s' is first declared here"), a->name);
				break;
			}
		}
		model_let *let = MODEL_PUSH(r->lets);
		let->name = a->name;
		let->span = a->span;
		let->value = a->value;
		let->code = BC_NONE;
	}
	for (size_t i = 0; i < r->lets.count; i++) {
		rc->visible_lets = i;
		chk_expr(c, rc, r->lets.items[i].value, NULL);
	}
	rc->visible_lets = r->lets.count;
}

/* The allow clause of rule `a` before `until` for `code` (codes match
 * whatever their letter case), or NULL. */
static const ast_allow *earlier_allow(const ast_rule *a, const ast_list *until, diag_code code)
{
	for (const ast_list *l = a->allows; l && l != until; l = l->next)
		if (diag_code_find(((const ast_allow *)l->item)->code) == code)
			return l->item;
	return NULL;
}

/* allow CODE "reason": CODE must be a warning that lint reports about a
 * rule, only once per rule, and the reason must state why. The code is
 * matched whatever its letter case (allow w0001 is allow W0001). */
static void check_allows(chk *c, const ast_rule *a)
{
	for (const ast_list *l = a->allows; l; l = l->next) {
		const ast_allow *allow = l->item;
		diag_code code = diag_code_find(allow->code);
		if (code == DIAG_CODE_COUNT || !lint_allowable(code)) {
			chk_error(c, DIAG_E0309, allow->code_span,
				  _("'%s' is not a warning that can be allowed in a rule"), allow->code);
			chk_note(c, allow->code_span, _("allowable codes: %s"), lint_allowable_list());
			continue;
		}
		const ast_allow *earlier = earlier_allow(a, l, code);
		if (earlier) {
			chk_error(c, DIAG_E0309, allow->code_span,
				  _("rule '%s' allows %s twice: give one allow clause per code, with one reason"), a->id,
				  diag_code_name(code));
			chk_note(c, earlier->span, _("the first allow %s is here"), diag_code_name(code));
			continue;
		}
		const char *p = allow->reason;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			chk_error(c, DIAG_E0309, allow->span, _("allow %s needs a reason: write why the warning does not apply"),
				  diag_code_name(code));
	}
}

static void check_rule(chk *c, model_rule *r)
{
	const ast_rule *a = r->ast;
	chk_rule_ctx rc = { r, 0 };

	check_required(c, r);
	check_scopes(c, r);
	check_lets(c, &rc);
	if (a->when)
		chk_condition(c, &rc, a->when, _("the when clause"));
	for (ast_list *l = a->unless; l; l = l->next)
		chk_condition(c, &rc, l->item, _("an unless clause"));
	if (a->ensure)
		chk_condition(c, &rc, a->ensure, _("the ensure clause"));
	check_allows(c, a);
	for (ast_list *l = a->message_parts; l; l = l->next) {
		ast_message_part *p = l->item;
		model_part *part = MODEL_PUSH(r->parts);
		part->text = p->text;
		part->expr = p->expr;
		part->code = BC_NONE;
		if (p->expr)
			chk_expr(c, &rc, p->expr, NULL);
	}
}

static void check_overrides(chk *c, model_rule *r)
{
	for (ast_list *l = r->ast->overrides; l; l = l->next) {
		const ast_ident *id = l->item;
		const chk_entry *e = chk_names_find(c, CHK_RULE, id->text);
		if (!e) {
			chk_error(c, DIAG_E0101, id->span, _("overrides names undeclared rule '%s'"), id->text);
			const char *close = chk_names_suggest(c, CHK_RULE, id->text);
			if (close)
				chk_note(c, id->span, _("did you mean '%s'?"), close);
			continue;
		}
		*MODEL_PUSH(r->overrides) = e->index;
	}
}

void chk_rules(chk *c)
{
	for (size_t i = 0; i < c->m->rules.count; i++)
		check_rule(c, &c->m->rules.items[i]);
	for (size_t i = 0; i < c->m->rules.count; i++)
		check_overrides(c, &c->m->rules.items[i]);
}
