/* Conditions in words from bytecode: the expression trees that the
 * explainer decompiles from a rule's verified code, written in the words
 * doc_expr.c uses for source, with fact labels in place of fact indices.
 * The code keeps no literal as written: a constant is shown converted
 * into the unit of the operand it meets, as the compiler stored it. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "i18n.h"
#include "program.h"

/* Binding strength, as in doc_expr.c: a weaker subexpression is bracketed. */
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

static void words(FILE *out, const xp_explanation *x, uint32_t index, const char *unit, int context);
static void put_constant(FILE *out, const er_program *p, const er_value *v, const char *unit);

static int precedence(const xp_node *n)
{
	switch (n->op) {
	case OP_OR: return PREC_OR;
	case OP_AND: return PREC_AND;
	case OP_NOT: return PREC_NOT;
	case OP_KNOWN: return PREC_TEST;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
	case OP_IN_SET: case OP_HAS: case OP_CODE_IN:
		return PREC_TEST;
	case OP_ADD: case OP_SUB: return PREC_SUM;
	case OP_MUL: case OP_DIV: return PREC_PRODUCT;
	case OP_NEG: return PREC_NEG;
	}
	return PREC_ATOM;
}

/* The er_kind of the value a node computes. */
static uint8_t node_kind(const xp_explanation *x, const xp_node *n)
{
	static const uint8_t unit_kinds[BC_UNIT_FIELD_COUNT] = {
		ER_K_UNIT, ER_K_CLASS, ER_K_COUNTY, ER_K_DEC, ER_K_STRING,
	};
	const er_program *p = x->program;
	switch (n->op) {
	case OP_CONST: return p->consts[n->operand].value.kind;
	case OP_FACT: return p->fact_kinds[n->operand];
	case OP_UNIT: return n->operand < BC_UNIT_FIELD_COUNT ? unit_kinds[n->operand] : ER_K_STRING;
	case OP_UNIT_ATTR:
	case OP_COUNTY_ATTR: return p->attrs[n->operand].kind;
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_NEG: case OP_SCALE:
		return ER_K_DEC;
	}
	return ER_K_BOOL;
}

static char *words_string(const xp_explanation *x, uint32_t index, const char *unit, int context)
{
	doc_buf b;
	doc_buf_open(&b);
	words(b.f, x, index, unit, context);
	return doc_buf_close(&b);
}

char *doc_tree_string(const xp_explanation *x, uint32_t root)
{
	return words_string(x, root, NULL, 0);
}

/* Length of the named industry set whose codes, in order, equal those
 * of `s` from position `at`, the longest such set first, or 0; *name
 * gets its name. */
static uint32_t named_run(const er_program *p, const pr_indset *s, uint32_t at, const char **name)
{
	uint32_t best = 0;
	for (uint32_t i = 0; i < p->indset_count; i++) {
		const pr_indset *named = &p->indsets[i];
		if (named->name == BC_NONE || named->count <= best || named->count > s->count - at)
			continue;
		uint32_t k = 0;
		while (k < named->count && named->codes[k] == s->codes[at + k])
			k++;
		if (k == named->count) {
			best = k;
			*name = p->strings[named->name];
		}
	}
	return best;
}

/* An industry set in words. The compiler flattens a list such as
 * `{钢铁, 焦化, 2521}` into one unnamed set of codes, each member's codes
 * in turn and without repeats. So each run of codes equal to a named
 * set's codes is shown by that set's name, and the other codes as codes.
 * Every reading covers the same codes, whichever names it picks. */
static void put_indset(FILE *out, const er_program *p, uint32_t set)
{
	const pr_indset *s = &p->indsets[set];
	const char *sep = er_i18n_is_chinese() ? "、" : ", ";
	if (s->name != BC_NONE) {
		fputs(p->strings[s->name], out);
		return;
	}
	for (uint32_t at = 0; at < s->count;) {
		const char *name = NULL;
		uint32_t run = named_run(p, s, at, &name);
		fputs(at ? sep : "", out);
		if (run > 0) {
			fputs(name, out);
			at += run;
		} else {
			fputs(p->strings[s->codes[at]], out);
			at++;
		}
	}
}

char *doc_value_string(const er_program *p, const er_value *v, const char *unit)
{
	doc_buf b;
	doc_buf_open(&b);
	put_constant(b.f, p, v, unit);
	return doc_buf_close(&b);
}

static void put_constant(FILE *out, const er_program *p, const er_value *v, const char *unit)
{
	char small[256];
	switch (v->kind) {
	case ER_K_DATE:
		doc_put_date(out, v->as.date);
		return;
	case ER_K_STRING:
		fprintf(out, er_i18n_is_chinese() ? "“%.*s”" : "\"%.*s\"", (int)v->as.str.len, v->as.str.ptr);
		return;
	case ER_K_CLASS:
		fputs(doc_class_word((int)v->as.index), out);
		return;
	case ER_K_INDSET:
		put_indset(out, p, v->as.index);
		return;
	case ER_K_DEC:
		break;
	default:
		unit = NULL;
		break;
	}
	size_t n = er_format_value(p, v, unit, small, sizeof small);
	if (n < sizeof small) {
		fputs(small, out);
		return;
	}
	char *big = doc_alloc(n + 1, 1);
	er_format_value(p, v, unit, big, n + 1);
	fputs(big, out);
	free(big);
}

static void put_unit_field(FILE *out, uint32_t field)
{
	switch (field) {
	case BC_UNIT_SELF: fputs(_("the unit's code"), out); return;
	case BC_UNIT_CLASS: fputs(_("the unit's class"), out); return;
	case BC_UNIT_COUNTY: fputs(_("the unit's county"), out); return;
	case BC_UNIT_AREA: fputs(_("the unit's area"), out); return;
	}
	fputs(_("the unit's name"), out);
}

static const char *fact_label(const er_program *p, uint32_t fact)
{
	const char *label = p->facts[fact].label;
	return label && *label ? label : p->facts[fact].path;
}

static void put_leaf(FILE *out, const xp_explanation *x, const xp_node *n, const char *unit)
{
	const er_program *p = x->program;
	const char *label;
	switch (n->op) {
	case OP_TRUE:
	case OP_FALSE:
		fputs(n->op == OP_TRUE ? _("true") : _("false"), out);
		return;
	case OP_CONST:
		put_constant(out, p, &p->consts[n->operand].value, unit);
		return;
	case OP_FACT:
		fputs(fact_label(p, n->operand), out);
		return;
	case OP_UNIT:
		put_unit_field(out, n->operand);
		return;
	case OP_UNIT_ATTR:
	case OP_COUNTY_ATTR:
		label = p->strings[p->attrs[n->operand].label];
		if (!*label)
			label = p->strings[p->attrs[n->operand].name];
		fprintf(out, n->op == OP_UNIT_ATTR ? _("the unit's %s") : _("the county's %s"), label);
		return;
	}
	fputs("?", out);
}

/* The format of a binary operator: "%s" for each operand. */
static const char *binary_format(const xp_explanation *x, const xp_node *n)
{
	uint8_t kind = node_kind(x, &x->nodes[n->lhs]);
	int numeric = kind == ER_K_DEC || kind == ER_K_DATE;
	switch (n->op) {
	case OP_OR: return _("%s or %s");
	case OP_AND: return _("%s and %s");
	case OP_EQ: return numeric ? "%s = %s" : _("%s is %s");
	case OP_NE: return numeric ? "%s ≠ %s" : _("%s is not %s");
	case OP_LT: return "%s < %s";
	case OP_LE: return "%s ≤ %s";
	case OP_GT: return "%s > %s";
	case OP_GE: return "%s ≥ %s";
	case OP_IN_SET:
		return x->nodes[n->rhs].op == OP_CONST ? _("%s is one of %s") : _("%s is in %s");
	case OP_CODE_IN: return _("%s is in %s");
	case OP_HAS: return _("%s includes %s");
	case OP_ADD: return "%s + %s";
	case OP_SUB: return "%s - %s";
	case OP_MUL: return "%s × %s";
	case OP_DIV: return "%s ÷ %s";
	}
	return "%s ? %s";
}

static void put_binary(FILE *out, const xp_explanation *x, const xp_node *n, const char *unit)
{
	int prec = precedence(n);
	/* Arithmetic and comparisons group to the left, so a right operand of
	 * equal strength keeps its brackets: a - (b - c). */
	int right = prec >= PREC_TEST ? prec + 1 : prec;
	const char *left_unit = xp_node_unit(x, n->lhs), *right_unit = xp_node_unit(x, n->rhs);
	/* A factor of a product or quotient is a plain number unless it has
	 * its own unit: it takes no unit from the other operand. */
	if (n->op == OP_MUL || n->op == OP_DIV)
		left_unit = right_unit = unit = NULL;
	char *lhs = words_string(x, n->lhs, right_unit ? right_unit : unit, prec == PREC_TEST ? PREC_SUM : prec);
	char *rhs = words_string(x, n->rhs, left_unit ? left_unit : unit, right);
	fprintf(out, binary_format(x, n), lhs, rhs);
	free(lhs);
	free(rhs);
}

/* Write node `index` in words; `unit` is the unit a constant inside it
 * takes, and `context` the binding strength around it. */
static void words(FILE *out, const xp_explanation *x, uint32_t index, const char *unit, int context)
{
	const xp_node *n = &x->nodes[index];
	if (n->op == OP_SCALE) {
		/* A unit conversion the compiler added: invisible in words. */
		words(out, x, n->lhs, NULL, context);
		return;
	}
	int bracket = precedence(n) < context;
	if (bracket)
		fputs(er_i18n_is_chinese() ? "（" : "(", out);

	char *inner;
	const er_program *p = x->program;
	switch (n->op) {
	case OP_NOT:
		inner = words_string(x, n->lhs, NULL, PREC_ATOM);
		fprintf(out, _("not %s"), inner);
		free(inner);
		break;
	case OP_KNOWN:
		fprintf(out, _("%s is known"), fact_label(p, n->operand));
		break;
	case OP_NEG:
		fputc('-', out);
		words(out, x, n->lhs, unit, PREC_NEG);
		break;
	default:
		if (n->lhs != BC_NONE && n->rhs != BC_NONE)
			put_binary(out, x, n, unit);
		else
			put_leaf(out, x, n, unit);
		break;
	}

	if (bracket)
		fputs(er_i18n_is_chinese() ? "）" : ")", out);
}
