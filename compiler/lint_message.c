/* Thresholds in rule texts: a quantity in a message that no threshold of
 * the condition matches (W0011), and percentages outside 0-100% in a
 * condition or a message (W0012). */
#include "lint.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "units.h"

/* A quantity as written: its value in its own unit, and where it is. */
typedef struct lint_qty {
	er_dec value;
	er_unit unit;
	const char *text;      /* message: the number and unit as written (borrowed) */
	size_t text_len;
	const ast_expr *expr;  /* condition: the literal */
	int negated;
	src_span span;
} lint_qty;

typedef MODEL_VEC(lint_qty) lint_qty_vec;

/* Whether `u` is a share of a whole: percent (1/100) or per mille
 * (1/1000), in any of their spellings. */
static int is_share(const er_unit *u)
{
	return er_unit_is_dimensionless(u) && u->num == 1 && (u->den == 100 || u->den == 1000);
}

/* Whether two quantities can be compared: one dimension, and for
 * dimensionless units the same factor, so 85% is not compared with 2 台. */
static int comparable(const er_unit *a, const er_unit *b)
{
	if (!er_unit_same_dimension(a, b))
		return 0;
	if (er_unit_is_dimensionless(a))
		return a->num == b->num && a->den == b->den;
	return 1;
}

/* Whether two comparable quantities are equal after exact conversion. */
static int same_amount(const lint_qty *a, const lint_qty *b)
{
	int64_t num, den;
	er_dec converted;
	if (er_unit_ratio(&a->unit, &b->unit, &num, &den) == 0 &&
	    er_dec_scale(a->value, num, den, &converted) == ER_DEC_OK)
		return er_dec_cmp(converted, b->value) == 0;
	if (er_unit_ratio(&b->unit, &a->unit, &num, &den) == 0 &&
	    er_dec_scale(b->value, num, den, &converted) == ER_DEC_OK)
		return er_dec_cmp(converted, a->value) == 0;
	return 0;
}

/* A quantity literal, negated when under a unary minus. */
static int literal_qty(const ast_expr *e, int negated, lint_qty *q)
{
	if (e->kind != EXPR_QUANTITY || !e->unit)
		return 0;
	if (er_dec_parse(e->text, strlen(e->text), &q->value) != ER_DEC_OK ||
	    er_unit_parse(e->unit, strlen(e->unit), &q->unit) < 0)
		return 0;
	if (negated && er_dec_neg(q->value, &q->value) != ER_DEC_OK)
		return 0;
	q->text = NULL;
	q->text_len = 0;
	q->expr = e;
	q->negated = negated;
	q->span = e->span;
	return 1;
}

static int is_comparison(ast_binop op)
{
	return op == BIN_EQ || op == BIN_NE || op == BIN_LT || op == BIN_LE || op == BIN_GT || op == BIN_GE;
}

/* Collect the quantity literals of `e`: all of them into `all`, and
 * those compared directly with something into `thresholds`. */
static void collect_literals(const ast_expr *e, int negated, lint_qty_vec *all, lint_qty_vec *thresholds)
{
	if (!e)
		return;
	lint_qty q;
	if (literal_qty(e, negated, &q)) {
		*MODEL_PUSH(*all) = q;
		return;
	}
	if (e->kind == EXPR_BINARY && is_comparison(e->op)) {
		const ast_expr *sides[2] = { e->lhs, e->rhs };
		for (int i = 0; i < 2; i++)
			if (literal_qty(sides[i], 0, &q))
				*MODEL_PUSH(*thresholds) = q;
	}
	collect_literals(e->lhs, e->kind == EXPR_NEG ? !negated : 0, all, thresholds);
	collect_literals(e->rhs, 0, all, thresholds);
	for (const ast_list *l = e->items; l; l = l->next)
		collect_literals(l->item, 0, all, thresholds);
}

static int ascii_word_byte(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t skip_spaces(const char *text, size_t len, size_t i)
{
	while (i < len && text[i] == ' ')
		i++;
	return i;
}

/* The end of the number (digits, optionally a point and more digits)
 * that starts at `i`. */
static size_t number_end(const char *text, size_t len, size_t i)
{
	while (i < len && text[i] >= '0' && text[i] <= '9')
		i++;
	if (i + 1 < len && text[i] == '.' && text[i + 1] >= '0' && text[i + 1] <= '9') {
		i++;
		while (i < len && text[i] >= '0' && text[i] <= '9')
			i++;
	}
	return i;
}

/* The length of the unit spelling at `i` that does not run on into
 * ASCII letters, or 0. */
static size_t unit_at(const char *text, size_t len, size_t i)
{
	size_t unit_len = er_unit_prefix(text + i, len - i);
	if (unit_len > 0 && i + unit_len < len && ascii_word_byte(text[i + unit_len - 1]) &&
	    ascii_word_byte(text[i + unit_len]))
		return 0;
	return unit_len;
}

/* The length of the range separator at `i` ("2~10", "2-10", "2至10"), or 0. */
static size_t range_separator(const char *text, size_t len, size_t i)
{
	static const char *const separators[] = { "~", "-", "\xEF\xBD\x9E" /* ～ */, "\xE2\x80\x93" /* – */,
						  "\xE2\x80\x94" /* — */, "\xEF\xBC\x8D" /* － */,
						  "\xE8\x87\xB3" /* 至 */, "\xE5\x88\xB0" /* 到 */ };
	for (size_t k = 0; k < sizeof separators / sizeof separators[0]; k++) {
		size_t n = strlen(separators[k]);
		if (n <= len - i && memcmp(text + i, separators[k], n) == 0)
			return n;
	}
	return 0;
}

/* One amount of a message: a number, optional spaces and a unit. A range
 * is two such amounts joined by a separator, where only the upper end
 * needs the unit ("2~10 千克/小时", "2 千克/小时至10 千克/小时"). */
typedef struct message_amount {
	size_t start, end;           /* the text read, range included */
	size_t lo_end, hi_start, hi_end;
	size_t lo_unit, lo_unit_len; /* lo_unit_len 0: the lower end has no unit */
	size_t hi_unit, hi_unit_len; /* hi_unit_len 0: not a range */
} message_amount;

/* Read the amount whose number starts at `start`; returns whether it has
 * a unit. Without one, a->lo_end is where its number ends. */
static int read_amount(const char *text, size_t len, size_t start, message_amount *a)
{
	memset(a, 0, sizeof *a);
	a->start = start;
	a->lo_end = number_end(text, len, start);
	a->lo_unit = skip_spaces(text, len, a->lo_end);
	a->lo_unit_len = unit_at(text, len, a->lo_unit);
	a->end = a->lo_unit_len ? a->lo_unit + a->lo_unit_len : a->lo_end;

	size_t sep = skip_spaces(text, len, a->end);
	size_t sep_len = range_separator(text, len, sep);
	size_t hi = skip_spaces(text, len, sep + sep_len);
	if (sep_len > 0 && hi < len && text[hi] >= '0' && text[hi] <= '9') {
		size_t hi_end = number_end(text, len, hi);
		size_t hi_unit = skip_spaces(text, len, hi_end);
		size_t hi_unit_len = unit_at(text, len, hi_unit);
		if (hi_unit_len > 0) {
			a->hi_start = hi;
			a->hi_end = hi_end;
			a->hi_unit = hi_unit;
			a->hi_unit_len = hi_unit_len;
			a->end = hi_unit + hi_unit_len;
		}
	}
	return a->lo_unit_len > 0 || a->hi_unit_len > 0;
}

/* Add the quantity `number` in `unit` to `out`, negated when `negative`,
 * showing `a`'s whole text. */
static void push_amount(const char *text, size_t number, size_t number_end, size_t unit, size_t unit_len,
			int negative, const message_amount *a, src_span span, lint_qty_vec *out)
{
	lint_qty q;
	if (er_dec_parse(text + number, number_end - number, &q.value) != ER_DEC_OK ||
	    er_unit_parse(text + unit, unit_len, &q.unit) < 0)
		return;
	if (negative && er_dec_neg(q.value, &q.value) != ER_DEC_OK)
		return;
	q.text = text + a->start;
	q.text_len = a->end - a->start;
	q.expr = NULL;
	q.negated = 0;
	q.span = span;
	*MODEL_PUSH(*out) = q;
}

/* Whether the byte before `i` continues a word or a number, so that a
 * number at `i` is part of it (SO2, PM2.5). */
static int continues_word(const char *text, size_t i)
{
	return i > 0 && (ascii_word_byte(text[i - 1]) || text[i - 1] == '.');
}

/* Quantities in the literal text of a message: a number that does not
 * continue a word or a number (SO2, PM2.5, GB 3095-2012 are skipped),
 * optional spaces, then a unit spelling that does not run on into ASCII
 * letters. A '-' that follows no word or number is a minus sign ("下降
 * -5%"). Both ends of a range are quantities in the range's unit. Each
 * gets the span of the verdict clause. */
static void scan_message_text(const char *text, src_span span, lint_qty_vec *out)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len;) {
		if (text[i] < '0' || text[i] > '9' || continues_word(text, i)) {
			i++;
			continue;
		}
		int negative = i > 0 && text[i - 1] == '-';
		if (negative && (continues_word(text, i - 1) || (i > 1 && text[i - 2] == '-'))) {
			i++; /* the end of a range or a standard's year: GB 3095-2012 */
			continue;
		}
		message_amount a;
		if (!read_amount(text, len, i, &a)) {
			i = a.lo_end;
			continue;
		}
		if (negative)
			a.start = i - 1;
		if (a.lo_unit_len > 0)
			push_amount(text, i, a.lo_end, a.lo_unit, a.lo_unit_len, negative, &a, span, out);
		else
			push_amount(text, i, a.lo_end, a.hi_unit, a.hi_unit_len, negative, &a, span, out);
		if (a.hi_unit_len > 0)
			push_amount(text, a.hi_start, a.hi_end, a.hi_unit, a.hi_unit_len, 0, &a, span, out);
		i = a.end;
	}
}

/* Format a condition's quantity literal as written: "85%" and "2 kg/h",
 * with no space before a percent or per-mille sign (W0011 and W0012
 * print it alike). */
static void format_literal(const lint_qty *q, char *buf, size_t size)
{
	const char *unit = q->expr->unit;
	int glued = strcmp(unit, "%") == 0 || strcmp(unit, "\xEF\xBC\x85" /* ％ */) == 0 ||
		    strcmp(unit, "\xE2\x80\xB0" /* ‰ */) == 0;
	snprintf(buf, size, "%s%s%s%s", q->negated ? "-" : "", q->expr->text, glued ? "" : " ", unit);
}

static void warn_percent(diag_list *d, const lint_qty *q, const char *id)
{
	if (q->text) {
		diag_warning(d, DIAG_W0012, q->span, "the message of rule '%s' states %.*s, a percentage outside 0-100%%",
			     id, (int)q->text_len, q->text);
		return;
	}
	char literal[128];
	format_literal(q, literal, sizeof literal);
	diag_warning(d, DIAG_W0012, q->span, "rule '%s' uses %s, a percentage outside 0-100%%", id, literal);
}

/* A share below 0, or above the whole: 100% or 1000‰. */
static int percent_out_of_range(const lint_qty *q)
{
	if (!is_share(&q->unit))
		return 0;
	return er_dec_cmp(q->value, er_dec_from_int(0)) < 0 ||
	       er_dec_cmp(q->value, er_dec_from_int((int64_t)q->unit.den)) > 0;
}

/* W0011: each threshold whose dimension the message speaks of must be
 * one of the message's quantities of that dimension. */
static size_t check_thresholds(diag_list *d, const ast_rule *a, const lint_qty_vec *thresholds,
			       const lint_qty_vec *stated)
{
	size_t warnings = 0;
	for (size_t i = 0; i < thresholds->count; i++) {
		const lint_qty *t = &thresholds->items[i];
		const lint_qty *first = NULL;
		int matched = 0;
		for (size_t k = 0; k < stated->count && !matched; k++) {
			const lint_qty *m = &stated->items[k];
			if (!comparable(&t->unit, &m->unit))
				continue;
			if (!first)
				first = m;
			matched = same_amount(t, m);
		}
		if (!first || matched)
			continue;
		char threshold[128];
		format_literal(t, threshold, sizeof threshold);
		diag_warning(d, DIAG_W0011, t->span,
			     "rule '%s' tests %s here, but its message states %.*s and no equal amount", a->id,
			     threshold, (int)first->text_len, first->text);
		diag_note(d, a->verdict_span, "the message is here");
		warnings++;
	}
	return warnings;
}

size_t lint_messages(driver *dr)
{
	size_t warnings = 0;
	diag_list *d = &dr->diags;
	for (size_t r = 0; r < dr->m.rules.count; r++) {
		const ast_rule *a = dr->m.rules.items[r].ast;
		lint_qty_vec all, thresholds, stated;
		memset(&all, 0, sizeof all);
		memset(&thresholds, 0, sizeof thresholds);
		memset(&stated, 0, sizeof stated);

		collect_literals(a->when, 0, &all, &thresholds);
		for (const ast_list *l = a->unless; l; l = l->next)
			collect_literals(l->item, 0, &all, &thresholds);
		collect_literals(a->ensure, 0, &all, &thresholds);
		for (const ast_list *l = a->lets; l; l = l->next)
			collect_literals(((const ast_let *)l->item)->value, 0, &all, &thresholds);
		for (const ast_list *l = a->message_parts; l; l = l->next) {
			const ast_message_part *p = l->item;
			if (p->text)
				scan_message_text(p->text, a->verdict_span, &stated);
			else
				collect_literals(p->expr, 0, &all, &thresholds);
		}

		for (size_t i = 0; i < all.count; i++) {
			if (percent_out_of_range(&all.items[i])) {
				warn_percent(d, &all.items[i], a->id);
				warnings++;
			}
		}
		for (size_t i = 0; i < stated.count; i++) {
			if (percent_out_of_range(&stated.items[i])) {
				warn_percent(d, &stated.items[i], a->id);
				warnings++;
			}
		}
		warnings += check_thresholds(d, a, &thresholds, &stated);
		free(all.items);
		free(thresholds.items);
		free(stated.items);
	}
	return warnings;
}
