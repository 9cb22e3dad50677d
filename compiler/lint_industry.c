/* W0014: industry codes that GB/T 4754-2017 does not define, in industry
 * sets, in rules and in the industry lists of units and counties. */
#include "lint.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct gbt_division {
	char section;
	const char *code;
	const char *name;
	int classes_listed;
} gbt_division;

static const gbt_division divisions[] = {
#define GBT4754_DIVISION(section, code, name, listed) { section, code, name, listed },
#define GBT4754_CLASS(code)
#include "gbt4754.def"
#undef GBT4754_DIVISION
#undef GBT4754_CLASS
};

static const char *const classes[] = {
#define GBT4754_DIVISION(section, code, name, listed)
#define GBT4754_CLASS(code) code,
#include "gbt4754.def"
#undef GBT4754_DIVISION
#undef GBT4754_CLASS
};

enum { DIVISION_COUNT = sizeof divisions / sizeof divisions[0], CLASS_COUNT = sizeof classes / sizeof classes[0] };

static const gbt_division *find_division(const char *digits)
{
	for (size_t i = 0; i < DIVISION_COUNT; i++)
		if (strncmp(divisions[i].code, digits, 2) == 0)
			return &divisions[i];
	return NULL;
}

/* Whether some listed class starts with `digits` (3 or 4 of them). */
static int class_prefix_exists(const char *digits)
{
	size_t n = strlen(digits);
	size_t lo = 0, hi = CLASS_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(classes[mid], digits, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < CLASS_COUNT && strncmp(classes[lo], digits, n) == 0;
}

typedef enum code_problem {
	CODE_OK,
	CODE_NO_DIVISION,
	CODE_WRONG_SECTION,
	CODE_NO_GROUP,
	CODE_NO_CLASS
} code_problem;

/* Classify `text` (a code as written, "2521" or "C2521") against the
 * table, and store its division in *division when that exists. Text that
 * is not 2 to 4 digits after an optional letter is not a code, so it is
 * CODE_OK here. */
static code_problem check_text(const char *text, const gbt_division **division)
{
	const char *digits = text;
	char section = 0;
	*division = NULL;
	if (*digits >= 'A' && *digits <= 'Z')
		section = *digits++;
	size_t n = strlen(digits);
	if (n < 2 || n > 4 || strspn(digits, "0123456789") != n)
		return CODE_OK;
	*division = find_division(digits);
	if (!*division)
		return CODE_NO_DIVISION;
	if (section && section != (*division)->section)
		return CODE_WRONG_SECTION;
	if (n > 2 && (*division)->classes_listed && !class_prefix_exists(digits))
		return n == 3 ? CODE_NO_GROUP : CODE_NO_CLASS;
	return CODE_OK;
}

static size_t check_code(diag_list *d, const char *text, src_span span)
{
	const gbt_division *div;
	switch (check_text(text, &div)) {
	case CODE_OK:
		return 0;
	case CODE_NO_DIVISION:
		diag_warning(d, DIAG_W0014, span,
			     "industry code '%s' is not a GB/T 4754-2017 code: its division does not exist (divisions are 01-97)",
			     text);
		return 1;
	case CODE_WRONG_SECTION:
		diag_warning(d, DIAG_W0014, span, "industry code '%s' has the wrong section letter: division %s is in section %c",
			     text, div->code, div->section);
		break;
	case CODE_NO_GROUP:
		diag_warning(d, DIAG_W0014, span, "industry code '%s' is not a group (中类) of GB/T 4754-2017", text);
		break;
	case CODE_NO_CLASS:
		diag_warning(d, DIAG_W0014, span, "industry code '%s' is not a class (小类) of GB/T 4754-2017", text);
		break;
	}
	diag_note(d, span, "division %s is %s", div->code, div->name);
	return 1;
}

static int looks_like_code(const char *text)
{
	return text && ((text[0] >= '0' && text[0] <= '9') || (text[0] >= 'A' && text[0] <= 'Z' && text[1] >= '0' &&
								 text[1] <= '9'));
}

/* Codes in a rule expression: code literals, and the codes of industry
 * lists written in place. */
static size_t check_expr_codes(diag_list *d, const ast_expr *e)
{
	if (!e)
		return 0;
	size_t n = 0;
	if ((e->kind == EXPR_NUMBER || e->kind == EXPR_NAME) && e->type.kind == ER_K_CODE && looks_like_code(e->text))
		n += check_code(d, e->text, e->span);
	if (e->kind == EXPR_SET && e->type.kind == ER_K_INDSET) {
		for (const ast_list *l = e->items; l; l = l->next) {
			const ast_expr *item = l->item;
			if (looks_like_code(item->text))
				n += check_code(d, item->text, item->span);
		}
		return n;
	}
	n += check_expr_codes(d, e->lhs);
	n += check_expr_codes(d, e->rhs);
	for (const ast_list *l = e->items; l; l = l->next)
		n += check_expr_codes(d, l->item);
	return n;
}

/* Codes in the fields of a unit or county whose attribute has type
 * industries. */
static size_t check_field_codes(const model *m, diag_list *d, ast_owner owner, const ast_list *fields)
{
	size_t n = 0;
	for (const ast_list *l = fields; l; l = l->next) {
		const ast_field *f = l->item;
		int industries = 0;
		for (size_t i = 0; i < m->attrs.count && !industries; i++)
			industries = m->attrs.items[i].owner == owner && strcmp(m->attrs.items[i].name, f->name) == 0 &&
				     m->attrs.items[i].t.type == ER_FT_INDUSTRIES;
		if (!industries || !f->value)
			continue;
		if (looks_like_code(f->value->text))
			n += check_code(d, f->value->text, f->value->span);
		for (const ast_list *i = f->value->items; i; i = i->next) {
			const ast_expr *item = i->item;
			if (looks_like_code(item->text))
				n += check_code(d, item->text, item->span);
		}
	}
	return n;
}

size_t lint_industry_codes(driver *dr)
{
	const model *m = &dr->m;
	diag_list *d = &dr->diags;
	size_t n = 0;
	for (size_t i = 0; i < m->industries.count; i++) {
		const ast_industry *ind = m->industries.items[i].ast;
		for (const ast_list *l = ind ? ind->members : NULL; l; l = l->next) {
			const ast_ident *id = l->item;
			if (looks_like_code(id->text))
				n += check_code(d, id->text, id->span);
		}
	}
	for (size_t i = 0; i < m->units.count; i++)
		n += check_field_codes(m, d, OWNER_UNIT, m->units.items[i].ast->fields);
	for (size_t i = 0; i < m->counties.count; i++)
		n += check_field_codes(m, d, OWNER_COUNTY, m->counties.items[i].ast->fields);
	for (size_t i = 0; i < m->rules.count; i++) {
		const ast_rule *a = m->rules.items[i].ast;
		n += check_expr_codes(d, a->when);
		n += check_expr_codes(d, a->ensure);
		for (const ast_list *l = a->unless; l; l = l->next)
			n += check_expr_codes(d, l->item);
		for (const ast_list *l = a->lets; l; l = l->next)
			n += check_expr_codes(d, ((const ast_let *)l->item)->value);
	}
	return n;
}
