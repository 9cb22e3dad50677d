/* The explanation as text and as JSON: per rule its outcome, the reason,
 * and the sub-conditions that decided it with the values they read. */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "i18n.h"
#include "program.h"
#include "report.h"

/* ---- Words ---- */

static const char *outcome_word(xp_outcome outcome)
{
	switch (outcome) {
	case XP_APPLIES: return _("applies");
	case XP_DOES_NOT_APPLY: return _("does not apply");
	case XP_UNDETERMINED: return _("undetermined");
	case XP_FAILED: return _("failed to evaluate");
	case XP_NOT_IN_FORCE: return _("not in force on the evaluation date");
	case XP_NOT_IN_SCOPE: return _("not in scope of the project's control unit");
	}
	return "?";
}

static const char *outcome_code(xp_outcome outcome)
{
	static const char *const codes[] = { "applies", "does_not_apply", "undetermined", "failed",
					     "not_in_force", "not_in_scope" };

	return (unsigned)outcome < sizeof codes / sizeof codes[0] ? codes[outcome] : "unknown";
}

/* The truth of a condition node: holds, does not hold, unknown, failed
 * to evaluate, or not checked when a short circuit skipped it. */
static const char *truth_word(const xp_node *n)
{
	if (n->failed)
		return _("failed to evaluate");
	if (!n->evaluated)
		return _("not checked");
	if (n->value.unknown)
		return _("unknown");
	return n->value.truth == ER_TRUE ? _("holds") : _("does not hold");
}

static const char *truth_code(const xp_node *n)
{
	if (n->failed)
		return "failed";
	if (!n->evaluated)
		return "not_checked";
	if (n->value.unknown)
		return "unknown";
	return n->value.truth == ER_TRUE ? "true" : "false";
}

static const char *operator_text(uint8_t op)
{
	switch (op) {
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	/* The rule language's own keywords, as docs/language.md spells
	 * them in each language. */
	case OP_IN_SET:
	case OP_CODE_IN: return _("in");
	case OP_HAS: return _("has");
	case OP_AND: return _("and");
	case OP_OR: return _("or");
	}
	return "?";
}

/* ---- Expression text ---- */

static int is_logic(const xp_node *n)
{
	return n->op == OP_AND || n->op == OP_OR || n->op == OP_NOT;
}

static void put_value(FILE *o, const xp_explanation *x, const er_value *v, const char *unit)
{
	char *text;

	if (v->kind == ER_K_SET && !v->unknown) {
		text = report_value_text(x->program, v, NULL);
		fprintf(o, "{%s}", text != NULL ? text : "?");
		free(text);
		return;
	}
	text = report_value_text(x->program, v, unit);
	fputs(text != NULL ? text : "?", o);
	free(text);
}

/* "label (value)", or "label (absent)" for an unknown value. */
static void put_named(FILE *o, const xp_explanation *x, const char *label, const xp_node *n,
		      const char *unit)
{
	char *text = NULL;

	if (!n->evaluated || n->failed || n->value.unknown) {
		fprintf(o, _("%s (%s)"), label, n->evaluated && !n->failed ? _("absent") : "?");
		return;
	}
	if (n->op == OP_FACT)
		text = report_fact_text(x->program, n->operand, &n->value);
	else
		text = report_value_text(x->program, &n->value, unit);
	if (text == NULL)
		fprintf(o, _("%s (%s)"), label, "?");
	else
		fprintf(o, _("%s (%s)"), label, text[0] != '\0' ? text : _("none"));
	free(text);
}

static const char *unit_field_label(uint32_t field)
{
	switch (field) {
	case BC_UNIT_SELF: return _("control unit");
	case BC_UNIT_CLASS: return _("unit class");
	case BC_UNIT_COUNTY: return _("county");
	case BC_UNIT_AREA: return _("unit area");
	}
	return _("unit name");
}

static void put_expr(FILE *o, const xp_explanation *x, uint32_t index, const char *hint);

static void put_leaf(FILE *o, const xp_explanation *x, const xp_node *n, const char *hint)
{
	const er_program *p = x->program;

	switch (n->op) {
	case OP_TRUE:
	case OP_FALSE:
		fputs(n->op == OP_TRUE ? _("true") : _("false"), o);
		return;
	case OP_CONST:
		/* From the program, since a failure may have stopped the
		 * evaluation before this operand. */
		put_value(o, x, &p->consts[n->operand].value, hint);
		return;
	case OP_FACT:
		put_named(o, x, p->facts[n->operand].label, n, NULL);
		return;
	case OP_KNOWN:
		fprintf(o, _("known(%s)"), p->facts[n->operand].label);
		return;
	case OP_UNIT:
		put_named(o, x, unit_field_label(n->operand), n, xp_node_unit(x, (uint32_t)(n - x->nodes)));
		return;
	default:
		put_named(o, x, p->strings[p->attrs[n->operand].label], n,
			  pr_string_or_null(p, p->attrs[n->operand].unit_text));
		return;
	}
}

/* The text of an expression: facts and attributes with the values read,
 * constants in the unit of the operand they meet. */
static void put_expr(FILE *o, const xp_explanation *x, uint32_t index, const char *hint)
{
	const xp_node *n = &x->nodes[index];

	if (n->lhs == BC_NONE) {
		put_leaf(o, x, n, hint);
		return;
	}
	if (n->op == OP_SCALE) {
		put_expr(o, x, n->lhs, NULL);
		return;
	}
	if (n->op == OP_NOT || n->op == OP_NEG) {
		fputs(n->op == OP_NOT ? _("not ") : "-", o);
		put_expr(o, x, n->lhs, hint);
		return;
	}
	int nested = (n->op >= OP_ADD && n->op <= OP_DIV) || is_logic(n);
	const char *left = xp_node_unit(x, n->lhs), *right = xp_node_unit(x, n->rhs);

	/* A factor of a product or quotient is a plain number unless it has
	 * its own unit: it takes no unit from the other operand. */
	if (n->op == OP_MUL || n->op == OP_DIV)
		left = right = hint = NULL;

	if (nested)
		fputc('(', o);
	put_expr(o, x, n->lhs, right != NULL ? right : hint);
	fprintf(o, " %s ", operator_text(n->op));
	put_expr(o, x, n->rhs, left != NULL ? left : hint);
	if (nested)
		fputc(')', o);
}

/* ---- Condition outlines for the text report ---- */

/* Collect the operands of a chain of one logic operator, left to right. */
static size_t flatten(const xp_explanation *x, uint32_t index, uint8_t op, uint32_t *out, size_t max,
		      size_t count)
{
	const xp_node *n = &x->nodes[index];

	if (n->op != op || count + 2 > max) {
		if (count < max)
			out[count++] = index;
		return count;
	}
	count = flatten(x, n->lhs, op, out, max, count);
	return flatten(x, n->rhs, op, out, max, count);
}

#define MAX_OPERANDS 256

static void put_line(FILE *o, int indent, const char *text, const xp_node *n)
{
	fprintf(o, "%*s", indent * 2, "");
	fprintf(o, _("%s: %s"), text, truth_word(n));
	fputc('\n', o);
}

/* Print the sub-conditions that decided node `index`. For a false
 * conjunction, print its first false conjunct, and for a true
 * disjunction its first true operand. Otherwise print every checked
 * operand. */
static void put_outline(FILE *o, const xp_explanation *x, uint32_t index, int indent, int top)
{
	const xp_node *n = &x->nodes[index];
	uint32_t operands[MAX_OPERANDS];
	size_t count, shown = 0;

	if (n->op == OP_NOT && is_logic(&x->nodes[n->lhs])) {
		put_line(o, indent, _("not"), n);
		put_outline(o, x, n->lhs, indent + 1, 0);
		return;
	}
	if (n->op != OP_AND && n->op != OP_OR) {
		char *text = NULL;
		size_t size = 0;
		FILE *m = open_memstream(&text, &size);

		if (m == NULL)
			return;
		put_expr(m, x, index, NULL);
		fclose(m);
		put_line(o, indent, text, n);
		free(text);
		return;
	}

	count = flatten(x, index, n->op, operands, MAX_OPERANDS, 0);
	uint8_t decider = n->op == OP_AND ? ER_FALSE : ER_TRUE;

	if (n->evaluated && !n->value.unknown && n->value.truth == decider) {
		for (size_t i = 0; i < count; i++) {
			const xp_node *c = &x->nodes[operands[i]];

			if (c->evaluated && !c->value.unknown && c->value.truth == decider) {
				put_outline(o, x, operands[i], indent, 0);
				return;
			}
		}
	}
	/* Under its clause's heading, a conjunction needs no heading of its
	 * own. */
	if (top && n->op == OP_AND)
		indent--;
	else
		put_line(o, indent, n->op == OP_AND ? _("all of") : _("any of"), n);
	for (size_t i = 0; i < count; i++)
		if (x->nodes[operands[i]].evaluated) {
			put_outline(o, x, operands[i], indent + 1, 0);
			shown++;
		}
	if (shown == 0)
		put_line(o, indent + 1, _("(no operand was checked)"), n);
}

/* ---- Text ---- */

static const er_rule_result *result_of(const xp_explanation *x, const xp_rule *r)
{
	return r->result_index == BC_NONE ? NULL : &x->result.rules[r->result_index];
}

static int exception_holds(const xp_explanation *x, const xp_rule *r)
{
	for (uint32_t k = 0; k < r->unless_count; k++) {
		const xp_node *u = &x->nodes[x->links[r->unless_first + k]];

		if (u->evaluated && !u->value.unknown && u->value.truth == ER_TRUE)
			return 1;
	}
	return 0;
}

/* The reason a rule in scope is not in force on the evaluation date. */
static void put_dates(FILE *o, const er_rule_info *info)
{
	char from[16], until[16];

	er_date_format(info->from, from);
	er_date_format(info->until, until);
	if (info->has_from && info->has_until)
		fprintf(o, _("reason: in force from %s until %s"), from, until);
	else if (info->has_from)
		fprintf(o, _("reason: in force from %s"), from);
	else
		fprintf(o, _("reason: in force until %s"), until);
}

static void put_reason(FILE *o, const xp_explanation *x, const xp_rule *r)
{
	const er_rule_info *info = er_program_rule(x->program, r->rule);
	const xp_node *condition = r->condition_root != BC_NONE ? &x->nodes[r->condition_root] : NULL;

	fputs("    ", o);
	switch (r->outcome) {
	case XP_APPLIES:
		fputs(r->condition_root == BC_NONE ? _("reason: the rule has no condition, so it applies "
						       "wherever it is in scope")
						   : _("reason: the condition holds and no exception holds"),
		      o);
		break;
	case XP_DOES_NOT_APPLY:
		fputs(exception_holds(x, r) ? _("reason: an exception holds")
					    : _("reason: the condition does not hold"), o);
		break;
	case XP_UNDETERMINED:
		if (r->scope_unknown && (condition == NULL || !condition->value.unknown))
			fputs(_("reason: the control unit is not given, so the rule may be in scope"), o);
		else
			fputs(_("reason: the result depends on facts that are absent"), o);
		break;
	case XP_FAILED:
		fprintf(o, _("reason: the evaluation failed: %s"), er_status_name(r->error));
		break;
	case XP_NOT_IN_FORCE:
		put_dates(o, info);
		break;
	case XP_NOT_IN_SCOPE:
		fputs(_("reason: the rule's scope does not include the project's control unit"), o);
		break;
	}
	fputc('\n', o);
}

static void put_missing(FILE *o, const xp_explanation *x, const xp_rule *r)
{
	const er_rule_result *rr = result_of(x, r);

	if (rr == NULL || (rr->missing_count == 0 && !rr->data_missing))
		return;
	if (rr->missing_count > 0) {
		fprintf(o, "    %s", _("missing: "));
		for (uint32_t k = 0; k < rr->missing_count; k++) {
			const er_fact_info *f = er_program_fact(x->program,
								x->result.missing[rr->missing_first + k]);

			if (k > 0)
				fputs(_("; "), o);
			fprintf(o, _("%s (%s)"), f->label, f->path);
		}
		fputc('\n', o);
	}
	if (rr->data_missing)
		fprintf(o, "    %s\n",
			_("reference data: the unit table gives no value for an attribute this rule "
			  "reads, so no fact of the project can settle it"));
}

static void put_parts(FILE *o, const xp_explanation *x, const xp_rule *r)
{
	if (!r->decompiled) {
		fprintf(o, "    %s\n", _("(the rule's code has a form the explainer does not know, "
					    "so only its outcome is shown)"));
		return;
	}
	if (r->when != BC_NONE) {
		put_line(o, 2, _("condition (when)"), &x->nodes[r->when]);
		put_outline(o, x, r->when, 3, 1);
	}
	for (uint32_t k = 0; k < r->unless_count; k++) {
		uint32_t u = x->links[r->unless_first + k];
		char label[128];

		snprintf(label, sizeof label, _("exception %u (unless)"), (unsigned)(k + 1));
		put_line(o, 2, label, &x->nodes[u]);
		if (x->nodes[u].evaluated)
			put_outline(o, x, u, 3, 1);
	}
	if (r->ensure != BC_NONE && x->nodes[r->ensure].evaluated) {
		put_line(o, 2, _("requirement (ensure)"), &x->nodes[r->ensure]);
		put_outline(o, x, r->ensure, 3, 1);
	}
}

static void put_rule(FILE *o, const xp_explanation *x, const xp_rule *r)
{
	const er_rule_info *info = er_program_rule(x->program, r->rule);

	fprintf(o, "  [%s] %s %s\n", er_verdict_name(info->verdict), info->id, info->title);
	fprintf(o, _("    result: %s"), outcome_word(r->outcome));
	if (r->outcome == XP_APPLIES && r->check == ER_CHECK_MET)
		fputs(_(", requirement met"), o);
	else if (r->outcome == XP_APPLIES && r->check == ER_CHECK_VIOLATED)
		fputs(_(", requirement violated"), o);
	else if (r->outcome == XP_APPLIES && r->check == ER_CHECK_ATTACHED)
		fputs(_(", attached as a condition"), o);
	fputc('\n', o);
	put_reason(o, x, r);
	if (r->outcome != XP_NOT_IN_FORCE && r->outcome != XP_NOT_IN_SCOPE)
		put_parts(o, x, r);
	put_missing(o, x, r);
}

static void put_header(FILE *o, const xp_explanation *x)
{
	const er_record *rec = x->record;
	char number[32], decision[128], date[16];

	if (er_i18n_is_chinese())
		snprintf(decision, sizeof decision, "%s", report_decision_zh(x->result.decision));
	else
		snprintf(decision, sizeof decision, "%s (%s)", report_decision_zh(x->result.decision),
			 er_decision_name(x->result.decision));
	snprintf(number, sizeof number, "%zu", rec->number);
	if (strcmp(number, rec->id) == 0)
		fprintf(o, _("Record %zu: %s\n"), rec->number, decision);
	else
		fprintf(o, _("Record %zu (%s): %s\n"), rec->number, rec->id, decision);
	er_date_format(x->as_of, date);
	fprintf(o, _("  evaluation date: %s\n"), date);
	if (x->program->unit_fact == BC_NONE)
		return;
	if (rec->present[x->program->unit_fact])
		fprintf(o, _("  control unit: %s\n"), rec->unit_code);
	else
		fprintf(o, "  %s\n", _("control unit: not given, so every rule is listed"));
}

int xp_write_text(FILE *out, const xp_explanation *x)
{
	put_header(out, x);
	if (x->rule_count == 0)
		fprintf(out, "  %s\n", _("No rule is in scope of the project's control unit."));
	for (size_t i = 0; i < x->rule_count; i++)
		put_rule(out, x, &x->rules[i]);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

void xp_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *s = (const unsigned char *)text; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static const char *op_code(uint8_t op)
{
	switch (op) {
	case OP_AND: return "and";
	case OP_OR: return "or";
	case OP_NOT: return "not";
	case OP_FACT: return "fact";
	case OP_KNOWN: return "known";
	case OP_CONST:
	case OP_TRUE:
	case OP_FALSE: return "constant";
	case OP_UNIT: return "unit";
	case OP_UNIT_ATTR: return "unit_attribute";
	case OP_COUNTY_ATTR: return "county_attribute";
	case OP_IN_SET:
	case OP_CODE_IN: return "in";
	case OP_HAS: return "has";
	case OP_NEG: return "neg";
	case OP_SCALE: return "convert";
	}
	return operator_text(op);
}

/* A node as {"op", "text", "result", "fact", "operands"}; `hint` is the
 * unit a constant node is shown in. */
static void json_node(FILE *o, const xp_explanation *x, uint32_t index, const char *hint)
{
	const xp_node *n = &x->nodes[index];
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);

	fputs("{\"op\":", o);
	xp_json_string(o, op_code(n->op));
	if (m != NULL) {
		put_expr(m, x, index, hint);
		fclose(m);
		fputs(",\"text\":", o);
		xp_json_string(o, text);
		free(text);
	}
	if (n->value.kind == ER_K_BOOL || is_logic(n) || n->failed) {
		fputs(",\"result\":", o);
		xp_json_string(o, truth_code(n));
	}
	if (n->op == OP_FACT || n->op == OP_KNOWN) {
		fputs(",\"fact\":", o);
		xp_json_string(o, x->program->facts[n->operand].path);
	}
	if (n->lhs != BC_NONE) {
		int factors = n->op == OP_MUL || n->op == OP_DIV;
		const char *left = NULL, *right = NULL;

		/* As in put_expr: a constant takes the other operand's unit,
		 * except as a factor of a product or quotient. */
		if (!factors) {
			left = xp_node_unit(x, n->lhs);
			right = n->rhs == BC_NONE ? NULL : xp_node_unit(x, n->rhs);
			if (left == NULL)
				left = hint;
			if (right == NULL)
				right = hint;
		}
		fputs(",\"operands\":[", o);
		json_node(o, x, n->lhs, right);
		if (n->rhs != BC_NONE) {
			fputc(',', o);
			json_node(o, x, n->rhs, left);
		}
		fputc(']', o);
	}
	fputc('}', o);
}

static void json_tree(FILE *o, const char *key, const xp_explanation *x, uint32_t root)
{
	fprintf(o, ",\"%s\":", key);
	if (root == BC_NONE)
		fputs("null", o);
	else
		json_node(o, x, root, NULL);
}

static void json_rule(FILE *o, const xp_explanation *x, const xp_rule *r)
{
	const er_rule_info *info = er_program_rule(x->program, r->rule);
	const er_rule_result *rr = result_of(x, r);

	fputs("{\"id\":", o);
	xp_json_string(o, info->id);
	fputs(",\"verdict\":", o);
	xp_json_string(o, report_verdict_code(info->verdict));
	fputs(",\"outcome\":", o);
	xp_json_string(o, outcome_code(r->outcome));
	if (r->outcome == XP_APPLIES) {
		/* null without an ensure clause, as in eval's JSON. */
		fputs(",\"check\":", o);
		if (r->check == ER_CHECK_NONE)
			fputs("null", o);
		else
			xp_json_string(o, report_check_code(r->check));
	}
	if (r->outcome == XP_FAILED) {
		fputs(",\"error\":", o);
		xp_json_string(o, er_status_name(r->error));
	}
	fprintf(o, ",\"explained\":%s", r->decompiled ? "true" : "false");
	if (r->outcome != XP_NOT_IN_FORCE && r->outcome != XP_NOT_IN_SCOPE && r->decompiled) {
		json_tree(o, "condition", x, r->when);
		fputs(",\"exceptions\":[", o);
		for (uint32_t k = 0; k < r->unless_count; k++) {
			if (k > 0)
				fputc(',', o);
			json_node(o, x, x->links[r->unless_first + k], NULL);
		}
		fputc(']', o);
		json_tree(o, "ensure", x, r->ensure != BC_NONE && x->nodes[r->ensure].evaluated
						  ? r->ensure : BC_NONE);
	}
	fputs(",\"missing\":[", o);
	for (uint32_t k = 0; rr != NULL && k < rr->missing_count; k++) {
		if (k > 0)
			fputc(',', o);
		xp_json_string(o, er_program_fact(x->program, x->result.missing[rr->missing_first + k])->path);
	}
	fputs("]}", o);
}

int xp_write_json(FILE *out, const xp_explanation *x)
{
	char date[16];

	er_date_format(x->as_of, date);
	fputs("{\"id\":", out);
	xp_json_string(out, x->record->id);
	fprintf(out, ",\"record\":%zu,\"as_of\":\"%s\",\"decision\":", x->record->number, date);
	xp_json_string(out, report_decision_code(x->result.decision));
	fputs(",\"rules\":[", out);
	for (size_t i = 0; i < x->rule_count; i++) {
		if (i > 0)
			fputc(',', out);
		json_rule(out, x, &x->rules[i]);
	}
	fputs("]}\n", out);
	return ferror(out) ? -1 : 0;
}
