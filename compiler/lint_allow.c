/* allow clauses: lint warnings a rule switches off with a written reason,
 * and the allow clauses that switch nothing off (W0015). */
#include "lint.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

/* Warnings that lint reports about one rule, at a place inside it. The
 * others (unused declarations and imports, W0015 itself) concern no
 * rule, so no rule can allow them. */
static const diag_code allowable[] = {
	DIAG_W0001, DIAG_W0002, DIAG_W0003, DIAG_W0004, DIAG_W0005, DIAG_W0006,
	DIAG_W0010, DIAG_W0011, DIAG_W0012, DIAG_W0014
};

int lint_allowable(diag_code code)
{
	for (size_t i = 0; i < sizeof allowable / sizeof allowable[0]; i++)
		if (allowable[i] == code)
			return 1;
	return 0;
}

const char *lint_allowable_list(void)
{
	return "W0001, W0002, W0003, W0004, W0005, W0006, W0010, W0011, W0012, W0014";
}

static int pos_before(src_pos a, src_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

static int span_inside(src_span inner, src_span outer)
{
	return inner.begin.line != 0 && inner.begin.file == outer.begin.file && !pos_before(inner.begin, outer.begin) &&
	       pos_before(inner.begin, outer.end);
}

/* One allow clause and whether it switched a warning off. */
typedef struct allow_entry {
	const model_rule *rule;
	const ast_allow *allow;
	diag_code code;
	int used;
} allow_entry;

/* The allow clause for `code` of the rule whose block contains `span`. */
static allow_entry *find_allow(allow_entry *entries, size_t count, diag_code code, src_span span)
{
	for (size_t i = 0; i < count; i++)
		if (entries[i].code == code && span_inside(span, entries[i].rule->ast->span))
			return &entries[i];
	return NULL;
}

size_t lint_apply_allows(driver *dr, int scenarios_ran)
{
	const model *m = &dr->m;
	size_t count = 0;
	for (size_t i = 0; i < m->rules.count; i++)
		count += ast_list_length(m->rules.items[i].ast->allows);
	allow_entry *entries = calloc(count + 1, sizeof *entries);
	if (!entries) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}
	size_t n = 0;
	for (size_t i = 0; i < m->rules.count; i++) {
		for (const ast_list *l = m->rules.items[i].ast->allows; l; l = l->next) {
			entries[n].rule = &m->rules.items[i];
			entries[n].allow = l->item;
			entries[n].code = diag_code_find(entries[n].allow->code);
			n++;
		}
	}

	diag_list *list = &dr->diags;
	size_t original = list->count;
	for (size_t i = 0; i < original && count > 0; i++) {
		const diag *d = &list->items[i];
		if (d->severity != DIAG_WARNING || d->suppressed_rule || !lint_allowable(d->code))
			continue;
		allow_entry *e = find_allow(entries, count, d->code, d->span);
		/* An overlap (W0006) concerns two rules; either may allow it.
		 * Its first note is at the other rule. */
		if (!e && d->code == DIAG_W0006 && d->note_count > 0)
			e = find_allow(entries, count, d->code, d->notes[0].span);
		if (!e)
			continue;
		e->used = 1;
		diag_suppress(list, i, e->rule->id, e->allow->reason);
	}

	for (size_t i = 0; i < count; i++) {
		const allow_entry *e = &entries[i];
		if (e->used || (e->code == DIAG_W0010 && !scenarios_ran))
			continue;
		const char *code = diag_code_name(e->code);
		diag_warning(list, DIAG_W0015, e->allow->span, "rule '%s' allows %s, but lint reports no %s about it",
			     e->rule->id, code, code);
		diag_note(list, e->rule->ast->id_span, "rule '%s' is declared here", e->rule->id);
	}
	free(entries);
	return list->warning_count;
}
