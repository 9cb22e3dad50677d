/* Conditions in words for rulec doc: a checked expression written the way
 * an admission list states it, "新增二氧化硫排放量 > 0 吨/年 且 建设性质 为
 * 新建", with fact labels in place of paths. */
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "doc_internal.h"
#include "ecorule.h"
#include "i18n.h"

/* Binding strength: a subexpression weaker than its context is bracketed. */
enum {
	PREC_OR = 1,
	PREC_AND,
	PREC_NOT,
	PREC_TEST,    /* comparisons, in, has, known */
	PREC_SUM,
	PREC_PRODUCT,
	PREC_NEG,
	PREC_ATOM
};

static void words(FILE *out, const model *m, const ast_expr *e, int context);

static int precedence(const ast_expr *e)
{
	switch (e->kind) {
	case EXPR_NOT: return PREC_NOT;
	case EXPR_KNOWN: return PREC_TEST;
	case EXPR_NEG: return PREC_NEG;
	case EXPR_BINARY:
		switch (e->op) {
		case BIN_OR: return PREC_OR;
		case BIN_AND: return PREC_AND;
		case BIN_ADD: case BIN_SUB: return PREC_SUM;
		case BIN_MUL: case BIN_DIV: return PREC_PRODUCT;
		default: return PREC_TEST;
		}
	default: return PREC_ATOM;
	}
}

/* The words of `e` as a new string, bracketed when weaker than `context`. */
static char *words_string(const model *m, const ast_expr *e, int context)
{
	doc_buf b;
	doc_buf_open(&b);
	words(b.f, m, e, context);
	return doc_buf_close(&b);
}

char *doc_expr_string(const model *m, const ast_expr *e)
{
	return words_string(m, e, 0);
}

void doc_expr_words(FILE *out, const model *m, const ast_expr *e)
{
	words(out, m, e, 0);
}

static const char *list_separator(void)
{
	return er_i18n_is_chinese() ? "、" : ", ";
}

void doc_put_date(FILE *out, int32_t days)
{
	char iso[16];
	er_date_format(days, iso);
	if (!er_i18n_is_chinese()) {
		fputs(iso, out);
		return;
	}
	int year = 0, month = 0, day = 0;
	if (sscanf(iso, "%d-%d-%d", &year, &month, &day) == 3)
		fprintf(out, "%d年%d月%d日", year, month, day);
	else
		fputs(iso, out);
}

static const char *fact_label(const model *m, uint32_t index)
{
	const model_fact *f = &m->facts.items[index];
	return f->label ? f->label : f->path;
}

static void put_unit_attr(FILE *out, const model *m, const ast_expr *e)
{
	if (e->kind == EXPR_UNIT_ATTR && e->index == BC_NONE) {
		switch ((bc_unit_field)e->enum_index) {
		case BC_UNIT_SELF: fputs(_("the unit's code"), out); return;
		case BC_UNIT_CLASS: fputs(_("the unit's class"), out); return;
		case BC_UNIT_COUNTY: fputs(_("the unit's county"), out); return;
		case BC_UNIT_AREA: fputs(_("the unit's area"), out); return;
		case BC_UNIT_NAME: fputs(_("the unit's name"), out); return;
		case BC_UNIT_FIELD_COUNT: break;
		}
	}
	ast_owner owner = e->kind == EXPR_UNIT_ATTR ? OWNER_UNIT : OWNER_COUNTY;
	const char *label = e->text;
	for (size_t i = 0; i < m->attrs.count; i++) {
		const model_attr *a = &m->attrs.items[i];
		if (a->owner == owner && strcmp(a->name, e->text) == 0 && a->label)
			label = a->label;
	}
	fprintf(out, owner == OWNER_UNIT ? _("the unit's %s") : _("the county's %s"), label);
}

static void put_set_items(FILE *out, const model *m, const ast_expr *set)
{
	for (const ast_list *l = set->items; l; l = l->next) {
		words(out, m, l->item, PREC_ATOM);
		if (l->next)
			fputs(list_separator(), out);
	}
}

char *doc_set_items_string(const model *m, const ast_expr *set)
{
	doc_buf b;
	doc_buf_open(&b);
	put_set_items(b.f, m, set);
	return doc_buf_close(&b);
}

static void put_literal(FILE *out, const model *m, const ast_expr *e)
{
	switch (e->kind) {
	case EXPR_NUMBER:
		fputs(e->text, out);
		break;
	case EXPR_QUANTITY:
		/* 85% and 5‰ read without a space, other units with one. */
		fprintf(out, strcmp(e->unit, "%") == 0 || strcmp(e->unit, "‰") == 0 ? "%s%s" : "%s %s", e->text,
			e->unit);
		break;
	case EXPR_DATE:
		doc_put_date(out, e->date);
		break;
	case EXPR_STRING:
		fprintf(out, er_i18n_is_chinese() ? "“%s”" : "\"%s\"", e->text);
		break;
	case EXPR_BOOL:
		fputs(e->boolean ? _("true") : _("false"), out);
		break;
	case EXPR_NAME:
		fputs(e->ref == REF_FACT ? fact_label(m, e->index) : e->text, out);
		break;
	case EXPR_UNIT_ATTR:
	case EXPR_COUNTY_ATTR:
		put_unit_attr(out, m, e);
		break;
	case EXPR_SET:
		fputs("{", out);
		put_set_items(out, m, e);
		fputs("}", out);
		break;
	default:
		break;
	}
}

/* The format of a binary operator: "%s" for each operand. */
static const char *binary_format(const ast_expr *e)
{
	int numeric = e->lhs->type.kind == ER_K_DEC || e->lhs->type.kind == ER_K_DATE;
	switch (e->op) {
	case BIN_OR: return _("%s or %s");
	case BIN_AND: return _("%s and %s");
	case BIN_EQ: return numeric ? "%s = %s" : _("%s is %s");
	case BIN_NE: return numeric ? "%s ≠ %s" : _("%s is not %s");
	case BIN_LT: return "%s < %s";
	case BIN_LE: return "%s ≤ %s";
	case BIN_GT: return "%s > %s";
	case BIN_GE: return "%s ≥ %s";
	case BIN_IN:
		return e->rhs->kind == EXPR_SET && e->lhs->type.kind == ER_K_ENUM ? _("%s is one of %s")
										   : _("%s is in %s");
	case BIN_HAS: return _("%s includes %s");
	case BIN_ADD: return "%s + %s";
	case BIN_SUB: return "%s - %s";
	case BIN_MUL: return "%s × %s";
	case BIN_DIV: return "%s ÷ %s";
	}
	return "%s ? %s";
}

static void put_binary(FILE *out, const model *m, const ast_expr *e)
{
	int prec = precedence(e);
	/* Arithmetic and comparisons group to the left, so a right operand of
	 * equal strength keeps its brackets: a - (b - c). */
	int right = prec >= PREC_TEST ? prec + 1 : prec;
	char *lhs = words_string(m, e->lhs, prec == PREC_TEST ? PREC_SUM : prec);
	char *rhs;
	if (e->op == BIN_IN && e->rhs->kind == EXPR_SET) {
		rhs = doc_set_items_string(m, e->rhs);
	} else {
		rhs = words_string(m, e->rhs, right);
	}
	fprintf(out, binary_format(e), lhs, rhs);
	free(lhs);
	free(rhs);
}

static void words(FILE *out, const model *m, const ast_expr *e, int context)
{
	int prec = precedence(e);
	int bracket = prec < context;
	if (bracket)
		fputs(er_i18n_is_chinese() ? "（" : "(", out);

	char *inner;
	switch (e->kind) {
	case EXPR_NOT:
		inner = words_string(m, e->lhs, PREC_ATOM);
		fprintf(out, _("not %s"), inner);
		free(inner);
		break;
	case EXPR_KNOWN:
		inner = words_string(m, e->lhs, PREC_ATOM);
		fprintf(out, _("%s is known"), inner);
		free(inner);
		break;
	case EXPR_NEG:
		fputc('-', out);
		words(out, m, e->lhs, PREC_NEG);
		break;
	case EXPR_BINARY:
		put_binary(out, m, e);
		break;
	default:
		put_literal(out, m, e);
		break;
	}

	if (bracket)
		fputs(er_i18n_is_chinese() ? "）" : ")", out);
}
