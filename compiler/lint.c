/* The static lint passes: rules that can never apply, exceptions that
 * never or always hold, shadowed rules, conflicting overlaps, and unused
 * facts, industry sets and attributes. */
#include "lint.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "lint_cond.h"
#include "parse.h"

/* What the pairwise passes need to know of one rule. */
typedef struct lint_rule {
	model_rule *r;
	const ast_rule *a;
	lint_dnf when;
	lint_dnf *not_unless;  /* per unless clause: its negation */
	size_t unless_count;
	lint_dnf applies;      /* when and no exception */
	unsigned char *scope;  /* admitted scope positions; NULL: unscoped */
	int never;             /* already reported as never applying */
	int level;             /* decision level of the verdict */
	uint32_t group;        /* index of its scope group */
} lint_rule;

/* Rules with the same scope. The pairwise passes compare a rule only with
 * the rules of groups whose scope contains its own, which keeps them
 * near linear when most rules are scoped to a few units each. */
typedef struct lint_group {
	const unsigned char *scope; /* shared by its rules; NULL: unscoped */
	size_t first;          /* first admitted position; positions when none */
	uint32_t *rules;       /* ascending rule indices */
	size_t count, cap;
	uint32_t *wider;       /* groups whose scope contains this one's */
	size_t wider_count;
	int wider_known;       /* wider has been computed */
} lint_group;

typedef struct lint_ctx {
	model *m;
	src_table *sources;
	ast_file *const *files;
	size_t files_count;
	diag_list *d;
	lint_rule *rules;
	size_t positions;      /* declared units, then (class, county slot) pairs */
	size_t warnings;
	lint_group *groups;
	size_t group_count;
} lint_ctx;

/* Zeroed memory; out of memory exits through model_xmalloc. */
static void *lint_zalloc(size_t count, size_t size)
{
	size_t bytes = count * size;
	void *p = model_xmalloc(bytes);
	memset(p, 0, bytes ? bytes : 1);
	return p;
}

/* The decision a verdict leads to: guide 0, require and exit 1,
 * restrict 2, forbid 3. */
static int verdict_level(er_verdict v)
{
	switch (v) {
	case ER_VERDICT_FORBID: return 3;
	case ER_VERDICT_RESTRICT: return 2;
	case ER_VERDICT_REQUIRE:
	case ER_VERDICT_EXIT: return 1;
	default: return 0;
	}
}

static const char *verdict_word(er_verdict v)
{
	static const char *const words[] = { N_("guide"), N_("exit"), N_("require"), N_("restrict"),
					     N_("forbid") };
	return (unsigned)v < sizeof words / sizeof words[0] ? _(words[v]) : "?";
}

/* ---- Scopes ---- */

static int county_admits(const model_rule *r, uint32_t county)
{
	if (r->scope_counties.count == 0)
		return 1;
	for (size_t i = 0; i < r->scope_counties.count; i++)
		if (r->scope_counties.items[i] == county)
			return 1;
	return 0;
}

static int class_admits(const model_rule *r, int cls)
{
	return r->class_mask == 0 || (cls >= 0 && ((r->class_mask >> cls) & 1u) != 0);
}

/* The positions a rule's scope admits, as the runtime's index matches
 * them: each declared unit, and for unit codes missing from the table,
 * each pair of class and county (the last county slot standing for a
 * county not in the table). NULL for an unscoped rule. */
static unsigned char *scope_positions(const lint_ctx *c, const model_rule *r)
{
	if (r->scope_units.count == 0 && r->scope_counties.count == 0 && r->class_mask == 0)
		return NULL;
	unsigned char *pos = lint_zalloc(c->positions, 1);
	const model *m = c->m;
	if (r->scope_units.count > 0) {
		for (size_t i = 0; i < r->scope_units.count; i++) {
			const model_unit *u = &m->units.items[r->scope_units.items[i]];
			if (class_admits(r, u->unit_class) && county_admits(r, u->county))
				pos[r->scope_units.items[i]] = 1;
		}
		return pos;
	}
	for (size_t i = 0; i < m->units.count; i++) {
		const model_unit *u = &m->units.items[i];
		pos[i] = (unsigned char)(class_admits(r, u->unit_class) && county_admits(r, u->county));
	}
	size_t slots = m->counties.count + 1;
	for (int cls = 0; cls < 3; cls++) {
		if (!class_admits(r, cls))
			continue;
		for (size_t s = 0; s < slots; s++) {
			int admits = s < m->counties.count ? county_admits(r, (uint32_t)s) : r->scope_counties.count == 0;
			pos[m->units.count + (size_t)cls * slots + s] = (unsigned char)admits;
		}
	}
	return pos;
}

static int scope_empty(const lint_ctx *c, const unsigned char *s)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < c->positions; i++)
		if (s[i])
			return 0;
	return 1;
}

/* Whether every position scope `inner` admits, `outer` admits too. */
static int scope_within(const lint_ctx *c, const unsigned char *inner, const unsigned char *outer)
{
	if (!outer)
		return 1;
	if (!inner)
		return 0;
	for (size_t i = 0; i < c->positions; i++)
		if (inner[i] && !outer[i])
			return 0;
	return 1;
}

static int scope_same(const lint_ctx *c, const unsigned char *a, const unsigned char *b)
{
	return scope_within(c, a, b) && scope_within(c, b, a);
}

/* ---- Dates ---- */

static int in_force_within(const ast_rule *inner, const ast_rule *outer)
{
	if (outer->has_from && (!inner->has_from || inner->from < outer->from))
		return 0;
	if (outer->has_until && (!inner->has_until || inner->until > outer->until))
		return 0;
	return 1;
}

static int in_force_overlap(const ast_rule *a, const ast_rule *b)
{
	int has_from = a->has_from || b->has_from, has_until = a->has_until || b->has_until;
	int32_t from = a->has_from && (!b->has_from || a->from > b->from) ? a->from : b->from;
	int32_t until = a->has_until && (!b->has_until || a->until < b->until) ? a->until : b->until;
	return !has_from || !has_until || from <= until;
}

/* ---- Rules that can never apply ---- */

static void warn_scope(lint_ctx *c, lint_rule *lr)
{
	const ast_rule *a = lr->a;
	const ast_scope *first = a->scopes ? a->scopes->item : NULL;
	diag_warning(c->d, DIAG_W0002, first ? first->span : a->id_span,
		     "rule '%s' can never apply: no control unit lies in all of its scopes", a->id);
	for (const ast_list *l = a->scopes; l; l = l->next) {
		const ast_scope *s = l->item;
		diag_note(c->d, s->span, "scope clause here");
	}
	for (size_t i = 0; i < lr->r->scope_units.count; i++) {
		const model_unit *u = &c->m->units.items[lr->r->scope_units.items[i]];
		diag_note(c->d, u->span, "control unit '%s' is declared here", u->code);
	}
	c->warnings++;
	lr->never = 1;
}

/* Add a note at each literal of `conj` that takes part in the conflict
 * on `slot`, skipping expressions already noted. */
static void note_conflict(lint_ctx *c, const lint_conj *conj, uint32_t slot, const ast_expr **noted,
			  size_t *noted_count, size_t noted_cap)
{
	char name[256];
	for (size_t i = 0; i < conj->count; i++) {
		const lint_lit *l = &conj->lits[i];
		if (slot == UINT32_MAX ? l->kind != LIT_OPAQUE : (l->kind == LIT_OPAQUE || l->slot != slot))
			continue;
		size_t k = 0;
		while (k < *noted_count && noted[k] != l->expr)
			k++;
		if (k < *noted_count || *noted_count == noted_cap)
			continue;
		noted[(*noted_count)++] = l->expr;
		if (slot == UINT32_MAX)
			diag_note(c->d, l->expr->span, "this condition is required both to hold and not to hold");
		else
			diag_note(c->d, l->expr->span, "condition on '%s'", lint_slot_name(c->m, slot, name, sizeof name));
	}
}

static void warn_contradiction(lint_ctx *c, lint_rule *lr)
{
	const ast_rule *a = lr->a;
	char name[256];
	uint32_t slot = UINT32_MAX;
	lint_conj_unsat(c->m, &lr->when.conjs[0], &slot);
	if (lr->when.count == 1 && slot != UINT32_MAX)
		diag_warning(c->d, DIAG_W0001, a->when->span,
			     "rule '%s' can never apply: its conditions on '%s' contradict each other", a->id,
			     lint_slot_name(c->m, slot, name, sizeof name));
	else
		diag_warning(c->d, DIAG_W0001, a->when->span,
			     "rule '%s' can never apply: its condition can never be true", a->id);
	enum { MAX_NOTES = 16 };
	const ast_expr *noted[MAX_NOTES];
	size_t noted_count = 0;
	for (size_t i = 0; i < lr->when.count; i++) {
		if (lint_conj_unsat(c->m, &lr->when.conjs[i], &slot))
			note_conflict(c, &lr->when.conjs[i], slot, noted, &noted_count, MAX_NOTES);
	}
	c->warnings++;
	lr->never = 1;
}

/* Whether every satisfiable disjunct of `d` entails `f`; false when d
 * has no satisfiable disjunct or overflowed. */
static int dnf_entails(const model *m, const lint_dnf *d, const lint_dnf *f)
{
	if (d->overflow)
		return 0;
	int any = 0;
	uint32_t slot;
	for (size_t i = 0; i < d->count; i++) {
		if (lint_conj_unsat(m, &d->conjs[i], &slot))
			continue;
		if (!lint_conj_entails(m, &d->conjs[i], f))
			return 0;
		any = 1;
	}
	return any;
}

static void check_exceptions(lint_ctx *c, lint_rule *lr)
{
	const ast_rule *a = lr->a;
	size_t i = 0;
	for (const ast_list *l = a->unless; l; l = l->next, i++) {
		const ast_expr *u = l->item;
		lint_dnf holds = lint_dnf_of(c->m, u, 0);
		lint_dnf both = lint_dnf_and(&lr->when, &holds);
		if (lint_dnf_unsat(c->m, &both)) {
			if (a->when) {
				diag_warning(c->d, DIAG_W0003, u->span,
					     "this exception of rule '%s' can never hold when its condition does", a->id);
				diag_note(c->d, a->when->span, "the condition is here");
			} else {
				diag_warning(c->d, DIAG_W0003, u->span, "this exception of rule '%s' can never hold",
					     a->id);
			}
			c->warnings++;
		} else if (dnf_entails(c->m, &lr->when, &holds)) {
			if (a->when) {
				diag_warning(c->d, DIAG_W0004, u->span,
					     "rule '%s' can never apply: this exception holds whenever its condition does",
					     a->id);
				diag_note(c->d, a->when->span, "the condition is here");
			} else {
				diag_warning(c->d, DIAG_W0004, u->span,
					     "rule '%s' can never apply: this exception always holds", a->id);
			}
			c->warnings++;
			lr->never = 1;
		}
		lint_dnf_free(&both);
		lint_dnf_free(&holds);
	}
	if (!lr->never && a->unless && lint_dnf_unsat(c->m, &lr->applies)) {
		const ast_expr *first = a->unless->item;
		diag_warning(c->d, DIAG_W0004, first->span,
			     "rule '%s' can never apply: its exceptions together hold whenever its condition does",
			     a->id);
		for (const ast_list *l = a->unless->next; l; l = l->next)
			diag_note(c->d, ((const ast_expr *)l->item)->span, "exception here");
		c->warnings++;
		lr->never = 1;
	}
}

static void check_never_applies(lint_ctx *c, lint_rule *lr)
{
	if (scope_empty(c, lr->scope)) {
		warn_scope(c, lr);
		return;
	}
	if (lr->a->when && lint_dnf_unsat(c->m, &lr->when)) {
		warn_contradiction(c, lr);
		return;
	}
	check_exceptions(c, lr);
}

/* ---- Pairs of rules ---- */

/* Whether rule `a` applies whenever rule `b` does. */
static int applies_whenever(const lint_ctx *c, const lint_rule *a, const lint_rule *b)
{
	if (!scope_within(c, b->scope, a->scope) || !in_force_within(b->a, a->a))
		return 0;
	if (!dnf_entails(c->m, &b->applies, &a->when))
		return 0;
	for (size_t i = 0; i < a->unless_count; i++)
		if (!dnf_entails(c->m, &b->applies, &a->not_unless[i]))
			return 0;
	return 1;
}

static int overrides(const model_rule *r, uint32_t other);

/* The groups whose scope contains group g's, computed on first use. */
static const lint_group *wider_groups(lint_ctx *c, uint32_t g)
{
	lint_group *gb = &c->groups[g];

	if (gb->wider_known)
		return gb;
	gb->wider = lint_zalloc(c->group_count, sizeof *gb->wider);
	for (size_t i = 0; i < c->group_count; i++) {
		const lint_group *ga = &c->groups[i];

		/* A wider scope must admit the first position of this one. */
		if (ga->scope && gb->first < c->positions && !ga->scope[gb->first])
			continue;
		if (scope_within(c, gb->scope, ga->scope))
			gb->wider[gb->wider_count++] = (uint32_t)i;
	}
	gb->wider_known = 1;
	return gb;
}

static void check_shadowed(lint_ctx *c, lint_rule *b, uint32_t b_index)
{
	/* A guide rule never decides, so only restrict, require and exit
	 * rules can be made pointless by a stricter one. */
	if (b->level == 0 || b->level == 3)
		return;
	const lint_group *gb = wider_groups(c, b->group);
	lint_rule *found = NULL;
	uint32_t found_index = 0;

	/* The first stricter rule in rule order, over every wider group. */
	for (size_t g = 0; g < gb->wider_count; g++) {
		const lint_group *ga = &c->groups[gb->wider[g]];
		for (size_t k = 0; k < ga->count; k++) {
			uint32_t i = ga->rules[k];
			lint_rule *a = &c->rules[i];
			if (found && i >= found_index)
				break;
			if (a == b || a->never || a->level <= b->level)
				continue;
			/* A stricter rule that overrides this one states the
			 * precedence on purpose: both rules stay, and the report
			 * shows both. */
			if (overrides(a->r, b_index) || !applies_whenever(c, a, b))
				continue;
			found = a;
			found_index = i;
			break;
		}
	}
	if (!found)
		return;
	diag_warning(c->d, DIAG_W0005, b->a->id_span,
		     "rule '%s' (%s) adds nothing to any decision: the stricter rule '%s' (%s) applies whenever it does",
		     b->a->id, verdict_word(b->a->verdict), found->a->id, verdict_word(found->a->verdict));
	diag_note(c->d, found->a->id_span, "rule '%s' is declared here", found->a->id);
	c->warnings++;
}

static int overrides(const model_rule *r, uint32_t other)
{
	for (size_t i = 0; i < r->overrides.count; i++)
		if (r->overrides.items[i] == other)
			return 1;
	return 0;
}

/* Whether two literals constrain the same thing: the same slot, or for
 * set facts the same value of the same slot (has A and has B are
 * unrelated questions). Industry sets are no common subject: a guide rule
 * for all of 工业 (divisions 06-46) and a rule for one class are about
 * different things, so they do not make a conflict on their own. */
static int same_subject(const lint_lit *x, const lint_lit *y)
{
	if (x->kind == LIT_OPAQUE || y->kind == LIT_OPAQUE || x->slot != y->slot)
		return 0;
	if (x->kind == LIT_INDUSTRY || y->kind == LIT_INDUSTRY)
		return 0;
	if (x->kind == LIT_HAS && y->kind == LIT_HAS)
		return (x->mask & y->mask) != 0;
	return 1;
}

static int share_subject(const lint_conj *a, const lint_conj *b)
{
	for (size_t i = 0; i < a->count; i++)
		for (size_t j = 0; j < b->count; j++)
			if (same_subject(&a->lits[i], &b->lits[j]))
				return 1;
	return 0;
}

/* Whether some record built from facts makes both rules apply through
 * conditions that constrain a common fact. Rules about unrelated facts
 * always overlap somewhere, so those overlaps are not reported. */
static int both_can_apply(const lint_ctx *c, const lint_rule *a, const lint_rule *b)
{
	lint_dnf both = lint_dnf_and(&a->applies, &b->applies);
	int found = 0;
	for (size_t i = 0; i < both.count && !found; i++) {
		const lint_conj *ca = &a->applies.conjs[i / b->applies.count];
		const lint_conj *cb = &b->applies.conjs[i % b->applies.count];
		found = share_subject(ca, cb) && lint_conj_witness(c->m, &both.conjs[i]);
	}
	lint_dnf_free(&both);
	return found;
}

static void check_conflicts(lint_ctx *c, lint_rule *b, uint32_t b_index)
{
	/* Conflicting rules share their scope, so they share a group. */
	const lint_group *group = &c->groups[b->group];

	for (size_t k = 0; k < group->count && group->rules[k] < b_index; k++) {
		uint32_t i = group->rules[k];
		lint_rule *a = &c->rules[i];
		if (a->never)
			continue;
		int conflict = (a->level >= 2 && b->level == 0 && b->a->verdict == ER_VERDICT_GUIDE) ||
			       (b->level >= 2 && a->level == 0 && a->a->verdict == ER_VERDICT_GUIDE);
		if (!conflict || overrides(a->r, b_index) || overrides(b->r, i))
			continue;
		if (!scope_same(c, a->scope, b->scope) || !in_force_overlap(a->a, b->a) || !both_can_apply(c, a, b))
			continue;
		diag_warning(c->d, DIAG_W0006, b->a->id_span,
			     "rules '%s' (%s) and '%s' (%s) can apply to the same project and neither overrides the other",
			     b->a->id, verdict_word(b->a->verdict), a->a->id, verdict_word(a->a->verdict));
		diag_note(c->d, a->a->id_span, "rule '%s' is declared here", a->a->id);
		diag_note(c->d, b->a->id_span,
			  "add 'overrides %s' to rule '%s', or 'overrides %s' to rule '%s', whichever should prevail",
			  a->a->id, b->a->id, b->a->id, a->a->id);
		c->warnings++;
	}
}

/* ---- Unused declarations ---- */

/* The source index of the file an import declaration names, or
 * UINT32_MAX when it was not loaded. */
static uint32_t lint_import_target(const lint_ctx *c, const ast_file *file, const ast_decl *decl)
{
	const char *importer = src_path(c->sources, file->file);
	ast_arena *scratch = ast_arena_new();
	char *path = parse_resolve_path(scratch, importer, decl->as.import_path);
	uint32_t target = src_find(c->sources, path);
	ast_arena_free(scratch);
	return target == SRC_NONE ? UINT32_MAX : target;
}

typedef struct lint_use {
	unsigned char *facts, *attrs, *industries;
} lint_use;

static void mark_industry_name(const model *m, lint_use *use, const char *name)
{
	if (!name)
		return;
	for (size_t i = 0; i < m->industries.count; i++) {
		if (m->industries.items[i].name && strcmp(m->industries.items[i].name, name) == 0) {
			use->industries[i] = 1;
			return;
		}
	}
}

static void mark_expr(const model *m, lint_use *use, const ast_expr *e)
{
	if (!e)
		return;
	if (e->kind == EXPR_NAME && e->ref == REF_FACT && e->index < m->facts.count)
		use->facts[e->index] = 1;
	if (e->kind == EXPR_NAME && e->ref == REF_INDUSTRY && e->index < m->industries.count)
		use->industries[e->index] = 1;
	if ((e->kind == EXPR_UNIT_ATTR || e->kind == EXPR_COUNTY_ATTR) && e->index < m->attrs.count)
		use->attrs[e->index] = 1;
	if (e->kind == EXPR_SET && e->type.kind == ER_K_INDSET)
		for (const ast_list *l = e->items; l; l = l->next)
			mark_industry_name(m, use, ((const ast_expr *)l->item)->text);
	mark_expr(m, use, e->lhs);
	mark_expr(m, use, e->rhs);
	for (const ast_list *l = e->items; l; l = l->next)
		mark_expr(m, use, l->item);
}

/* Names in reference data values: an industries attribute lists sets
 * by name, unresolved in the AST, so any name that is a set counts. */
static void mark_field_names(const model *m, lint_use *use, const ast_list *fields)
{
	for (const ast_list *l = fields; l; l = l->next) {
		const ast_expr *v = ((const ast_field *)l->item)->value;
		if (v && v->kind == EXPR_NAME)
			mark_industry_name(m, use, v->text);
		for (const ast_list *i = v ? v->items : NULL; i; i = i->next)
			mark_industry_name(m, use, ((const ast_expr *)i->item)->text);
	}
}

static const ast_file *file_by_source(const lint_ctx *c, uint32_t source)
{
	for (size_t i = 0; i < c->files_count; i++)
		if (c->files[i]->file == source)
			return c->files[i];
	return NULL;
}

/* Whether file `f` declares anything other than imports. Every kind of
 * declaration counts as use: an enumeration or set that only other
 * declarations name is still needed to compile them, and unused facts,
 * sets and attributes get their own warnings (W0007-W0009). */
static int file_declares(const lint_ctx *c, uint32_t f)
{
	const ast_file *file = file_by_source(c, f);
	for (const ast_list *l = file ? file->decls : NULL; l; l = l->next)
		if (((const ast_decl *)l->item)->kind != DECL_IMPORT)
			return 1;
	return 0;
}

/* Whether file `f` or a file it imports, directly or through others,
 * declares something: a file that only imports others gathers them and
 * is used through them. `seen` guards import cycles. */
static int import_used(const lint_ctx *c, uint32_t f, unsigned char *seen)
{
	if (f >= src_count(c->sources) || seen[f])
		return 0;
	seen[f] = 1;
	if (file_declares(c, f))
		return 1;
	const ast_file *file = file_by_source(c, f);
	for (const ast_list *l = file ? file->decls : NULL; l; l = l->next) {
		const ast_decl *decl = l->item;
		if (decl->kind != DECL_IMPORT)
			continue;
		uint32_t target = lint_import_target(c, file, decl);
		if (target != UINT32_MAX && import_used(c, target, seen))
			return 1;
	}
	return 0;
}

/* W0013 at each import of a file that, with the files it imports,
 * declares nothing. */
static void check_unused_imports(lint_ctx *c)
{
	for (size_t i = 0; i < c->files_count; i++) {
		const ast_file *file = c->files[i];
		for (const ast_list *l = file->decls; l; l = l->next) {
			const ast_decl *decl = l->item;
			if (decl->kind != DECL_IMPORT)
				continue;
			uint32_t target = lint_import_target(c, file, decl);
			if (target == UINT32_MAX)
				continue;
			unsigned char *seen = lint_zalloc(src_count(c->sources) + 1, 1);
			int used = import_used(c, target, seen);
			free(seen);
			if (used)
				continue;
			diag_warning(c->d, DIAG_W0013, decl->span,
				     "import of '%s' is unused: neither the file nor its imports declare anything",
				     decl->as.import_path);
			src_span start = { { target, 1, 1 }, { target, 1, 2 } };
			diag_note(c->d, start, "the imported file starts here");
			c->warnings++;
		}
	}
}

static int all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void check_unused(lint_ctx *c)
{
	const model *m = c->m;
	lint_use use;
	use.facts = lint_zalloc(m->facts.count + 1, 1);
	use.attrs = lint_zalloc(m->attrs.count + 1, 1);
	use.industries = lint_zalloc(m->industries.count + 1, 1);

	for (size_t i = 0; i < m->rules.count; i++) {
		const ast_rule *a = m->rules.items[i].ast;
		mark_expr(m, &use, a->when);
		mark_expr(m, &use, a->ensure);
		for (const ast_list *l = a->unless; l; l = l->next)
			mark_expr(m, &use, l->item);
		for (const ast_list *l = a->lets; l; l = l->next)
			mark_expr(m, &use, ((const ast_let *)l->item)->value);
		for (const ast_list *l = a->message_parts; l; l = l->next)
			mark_expr(m, &use, ((const ast_message_part *)l->item)->expr);
	}
	for (size_t i = 0; i < m->units.count; i++)
		mark_field_names(m, &use, m->units.items[i].ast->fields);
	for (size_t i = 0; i < m->counties.count; i++)
		mark_field_names(m, &use, m->counties.items[i].ast->fields);

	/* An attribute that a unit or county sets is reference data, and
	 * every report shows it for the project's unit, so it is used even
	 * when no rule reads it. */
	for (size_t i = 0; i < m->units.count; i++)
		for (size_t k = 0; k < m->units.items[i].values.count; k++)
			if (m->units.items[i].values.items[k].attr < m->attrs.count)
				use.attrs[m->units.items[i].values.items[k].attr] = 1;
	for (size_t i = 0; i < m->counties.count; i++)
		for (size_t k = 0; k < m->counties.items[i].values.count; k++)
			if (m->counties.items[i].values.items[k].attr < m->attrs.count)
				use.attrs[m->counties.items[i].values.items[k].attr] = 1;

	/* A set named as a member of a used set is used. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < m->industries.count; i++) {
			const model_industry *ind = &m->industries.items[i];
			if (!use.industries[i] || !ind->ast || use.industries[i] == 2)
				continue;
			use.industries[i] = 2;
			changed = 1;
			for (const ast_list *l = ind->ast->members; l; l = l->next) {
				const ast_ident *id = l->item;
				if (!all_digits(id->text))
					mark_industry_name(m, &use, id->text);
			}
		}
	}

	for (size_t i = 0; i < m->facts.count; i++) {
		if (use.facts[i] || i == m->unit_fact)
			continue;
		diag_warning(c->d, DIAG_W0007, m->facts.items[i].span, "fact '%s' is declared but no rule reads it",
			     m->facts.items[i].path);
		c->warnings++;
	}
	for (size_t i = 0; i < m->industries.count; i++) {
		const model_industry *ind = &m->industries.items[i];
		if (use.industries[i] || !ind->name || !ind->ast)
			continue;
		diag_warning(c->d, DIAG_W0008, ind->span,
			     "industry set '%s' is declared but no rule, control unit or used set refers to it",
			     ind->name);
		c->warnings++;
	}
	for (size_t i = 0; i < m->attrs.count; i++) {
		if (use.attrs[i])
			continue;
		const model_attr *a = &m->attrs.items[i];
		diag_warning(c->d, DIAG_W0009, a->span,
			     "attribute '%s.%s' is declared but no rule reads it and no unit or county sets it",
			     a->owner == OWNER_UNIT ? "unit" : "county", a->name);
		c->warnings++;
	}
	check_unused_imports(c);
	free(use.facts);
	free(use.attrs);
	free(use.industries);
}

/* ---- Scope groups ---- */

static uint32_t scope_hash(const lint_ctx *c, const unsigned char *scope)
{
	uint32_t h = 2166136261u;

	if (!scope)
		return 0;
	for (size_t i = 0; i < c->positions; i++)
		h = (h ^ scope[i]) * 16777619u;
	return h | 1;
}

/* Put each rule into the group of rules with its exact scope. */
static void group_rules(lint_ctx *c)
{
	size_t n = c->m->rules.count;
	size_t slots = 16;
	uint32_t *table;

	while (slots < 2 * n + 2)
		slots *= 2;
	table = lint_zalloc(slots, sizeof *table); /* group index + 1, or 0 */
	c->groups = lint_zalloc(n + 1, sizeof *c->groups);
	for (size_t i = 0; i < n; i++) {
		lint_rule *lr = &c->rules[i];
		size_t j = scope_hash(c, lr->scope) & (slots - 1);
		lint_group *g;

		while (table[j] && !scope_same(c, c->groups[table[j] - 1].scope, lr->scope))
			j = (j + 1) & (slots - 1);
		if (!table[j]) {
			g = &c->groups[c->group_count];
			g->scope = lr->scope;
			g->first = c->positions;
			for (size_t p = 0; lr->scope && p < c->positions; p++) {
				if (lr->scope[p]) {
					g->first = p;
					break;
				}
			}
			table[j] = (uint32_t)++c->group_count;
		}
		g = &c->groups[table[j] - 1];
		if (g->count == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 4;
			uint32_t *grown = lint_zalloc(g->cap, sizeof *grown);
			if (g->count)
				memcpy(grown, g->rules, g->count * sizeof *grown);
			free(g->rules);
			g->rules = grown;
		}
		g->rules[g->count++] = (uint32_t)i;
		lr->group = table[j] - 1;
	}
	free(table);
}

/* ---- Driver ---- */

size_t lint_rule_set(driver *dr)
{
	lint_ctx c;
	memset(&c, 0, sizeof c);
	c.m = &dr->m;
	c.d = &dr->diags;
	c.sources = dr->sources;
	c.files = dr->files.items;
	c.files_count = dr->files.count;
	model *m = c.m;
	c.positions = m->units.count + 3 * (m->counties.count + 1);
	size_t n = m->rules.count;
	c.rules = lint_zalloc(n, sizeof *c.rules);

	for (size_t i = 0; i < n; i++) {
		lint_rule *lr = &c.rules[i];
		lr->r = &m->rules.items[i];
		lr->a = lr->r->ast;
		lr->level = verdict_level(lr->a->verdict);
		lr->when = lint_dnf_of(m, lr->a->when, 0);
		lr->unless_count = ast_list_length(lr->a->unless);
		lr->not_unless = lint_zalloc(lr->unless_count, sizeof *lr->not_unless);
		size_t k = 0;
		for (const ast_list *l = lr->a->unless; l; l = l->next)
			lr->not_unless[k++] = lint_dnf_of(m, l->item, 1);
		lr->applies = lint_dnf_applies(m, lr->a);
		lr->scope = scope_positions(&c, lr->r);
	}

	group_rules(&c);
	for (size_t i = 0; i < n; i++)
		check_never_applies(&c, &c.rules[i]);
	/* NOTE: the pairwise passes stay quadratic among rules of one scope,
	 * such as many unscoped rules. */
	for (size_t i = 0; i < n; i++) {
		if (c.rules[i].never)
			continue;
		check_shadowed(&c, &c.rules[i], (uint32_t)i);
		check_conflicts(&c, &c.rules[i], (uint32_t)i);
	}
	check_unused(&c);
	c.warnings += lint_messages(dr);
	c.warnings += lint_industry_codes(dr);

	for (size_t i = 0; i < n; i++) {
		lint_rule *lr = &c.rules[i];
		lint_dnf_free(&lr->when);
		lint_dnf_free(&lr->applies);
		for (size_t k = 0; k < lr->unless_count; k++)
			lint_dnf_free(&lr->not_unless[k]);
		free(lr->not_unless);
		free(lr->scope);
	}
	for (size_t g = 0; g < c.group_count; g++) {
		free(c.groups[g].rules);
		free(c.groups[g].wider);
	}
	free(c.groups);
	free(c.rules);
	return c.warnings;
}
