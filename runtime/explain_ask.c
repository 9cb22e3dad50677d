/* rulevm ask: the missing facts that would settle an undecided project,
 * most useful first, as text, as JSON, or as a fact file to fill in. */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "i18n.h"
#include "program.h"
#include "report.h"

/* Whether an undetermined rule could change the decision, so that its
 * missing facts are worth asking for (as er_eval decides). */
static int rule_matters(const er_result *result, const er_rule_result *rr)
{
	return rr->outcome == ER_OUT_UNDETERMINED && rr->potential > result->settled;
}

static int compare_questions(const void *a, const void *b)
{
	const xp_question *qa = a, *qb = b;

	if ((qa->settles > 0) != (qb->settles > 0))
		return qa->settles > 0 ? -1 : 1;
	if (qa->rule_count != qb->rule_count)
		return qa->rule_count > qb->rule_count ? -1 : 1;
	return (qa->fact > qb->fact) - (qa->fact < qb->fact);
}

er_status xp_questions(const er_result *result, xp_question **questions, size_t *count)
{
	xp_question *q = calloc(result->needed_count ? result->needed_count : 1, sizeof *q);

	*questions = q;
	*count = 0;
	if (q == NULL)
		return ER_E_NOMEM;
	for (size_t i = 0; i < result->needed_count; i++) {
		q[i].fact = result->needed[i];
		for (size_t r = 0; r < result->rule_count; r++) {
			const er_rule_result *rr = &result->rules[r];

			if (!rule_matters(result, rr))
				continue;
			for (uint32_t k = 0; k < rr->missing_count; k++)
				if (result->missing[rr->missing_first + k] == q[i].fact) {
					q[i].rule_count++;
					/* The rule's only gap: knowing the fact settles it. */
					if (rr->missing_count == 1 && !rr->data_missing)
						q[i].settles++;
					break;
				}
		}
	}
	qsort(q, result->needed_count, sizeof *q, compare_questions);
	*count = result->needed_count;
	return ER_OK;
}

/* The type of a fact in words, with its unit: "quantity in 吨/年". */
static void put_type(FILE *o, const er_program *p, const er_fact_info *f)
{
	switch (f->type) {
	case ER_FT_BOOLEAN: fputs(_("boolean: true or false"), o); return;
	case ER_FT_INTEGER: fputs(_("integer"), o); return;
	case ER_FT_NUMBER: fputs(_("number"), o); return;
	case ER_FT_QUANTITY: fprintf(o, _("quantity in %s"), f->unit_text); return;
	case ER_FT_DATE: fputs(_("date: YYYY-MM-DD"), o); return;
	case ER_FT_STRING: fputs(_("text"), o); return;
	case ER_FT_CODE: fputs(_("industry code of GB/T 4754-2017, such as C2521"), o); return;
	case ER_FT_UNIT: fputs(_("control-unit code, ZH and 11 digits"), o); return;
	case ER_FT_ENUM: fprintf(o, _("one value of %s"), er_program_enum_name(p, f->enum_index)); return;
	case ER_FT_SET: fprintf(o, _("a list of values of %s"), er_program_enum_name(p, f->enum_index)); return;
	case ER_FT_INDUSTRIES: break;
	}
	fputs("?", o);
}

static const char *type_code(er_fact_type type)
{
	static const char *const codes[] = { "boolean", "integer", "number", "quantity", "date",
					     "string", "code", "unit", "enum", "set", "industries" };

	return (unsigned)type < sizeof codes / sizeof codes[0] ? codes[type] : "unknown";
}

/* The ids of the rules that matter and lack fact `fact`. */
static void put_rule_ids(FILE *o, const er_program *p, const er_result *result, uint32_t fact,
			 int json)
{
	int first = 1;

	for (size_t r = 0; r < result->rule_count; r++) {
		const er_rule_result *rr = &result->rules[r];

		if (!rule_matters(result, rr))
			continue;
		for (uint32_t k = 0; k < rr->missing_count; k++) {
			if (result->missing[rr->missing_first + k] != fact)
				continue;
			if (!first)
				fputs(json ? "," : _(", "), o);
			if (json)
				xp_json_string(o, er_program_rule(p, rr->rule)->id);
			else
				fputs(er_program_rule(p, rr->rule)->id, o);
			first = 0;
			break;
		}
	}
}

static void put_values(FILE *o, const er_program *p, const er_fact_info *f, int json)
{
	size_t n = er_program_enum_size(p, f->enum_index);

	for (size_t i = 0; i < n; i++) {
		const char *name = er_program_enum_value(p, f->enum_index, (uint32_t)i);

		if (i > 0)
			fputs(json ? "," : _(", "), o);
		if (json)
			xp_json_string(o, name);
		else
			fputs(name, o);
	}
}

static void put_record_header(FILE *o, const er_record *record, const er_result *result)
{
	char number[32], decision[128];

	if (er_i18n_is_chinese())
		snprintf(decision, sizeof decision, "%s", report_decision_zh(result->decision));
	else
		snprintf(decision, sizeof decision, "%s (%s)", report_decision_zh(result->decision),
			 er_decision_name(result->decision));
	snprintf(number, sizeof number, "%zu", record->number);
	if (strcmp(number, record->id) == 0)
		fprintf(o, _("Record %zu: %s\n"), record->number, decision);
	else
		fprintf(o, _("Record %zu (%s): %s\n"), record->number, record->id, decision);
}

/* Rules that failed, or that the reference data cannot settle. No fact
 * settles them, so ask lists them apart. */
static void put_unanswerable(FILE *o, const er_program *p, const er_result *result)
{
	for (size_t r = 0; r < result->rule_count; r++) {
		const er_rule_result *rr = &result->rules[r];
		const char *id = er_program_rule(p, rr->rule)->id;

		if (rr->outcome == ER_OUT_FAILED && result->settled != ER_DECISION_REJECTED)
			fprintf(o, _("  rule %s failed to evaluate (%s); no fact settles it\n"), id,
				er_status_name(rr->error));
		else if (rule_matters(result, rr) && rr->data_missing)
			fprintf(o, _("  rule %s reads a value the unit table does not give; no fact of "
				     "the project settles it\n"), id);
	}
}

int xp_ask_text(FILE *out, const er_program *program, const er_record *record,
		const er_result *result)
{
	xp_question *q;
	size_t count;

	put_record_header(out, record, result);
	if (result->decision != ER_DECISION_NEEDS_INFO) {
		fprintf(out, "  %s\n\n", _("The decision is settled: no fact is missing."));
		return ferror(out) ? -1 : 0;
	}
	if (xp_questions(result, &q, &count) != ER_OK)
		return -1;
	if (count > 0)
		fprintf(out, "  %s\n", _("Missing facts: first those that alone would settle a rule, "
					 "then those that more undetermined rules lack:"));
	/* Numbers right-aligned to the widest, sub-lines under the text. */
	int width = snprintf(NULL, 0, "%zu", count);
	int indent = 2 + width + 2;

	for (size_t i = 0; i < count; i++) {
		const er_fact_info *f = er_program_fact(program, q[i].fact);

		fprintf(out, "  %*zu. ", width, i + 1);
		fprintf(out, _("%s (%s)"), f->label, f->path);
		fprintf(out, "\n%*s", indent, "");
		fputs(_("type: "), out);
		put_type(out, program, f);
		fputc('\n', out);
		if (f->type == ER_FT_ENUM || f->type == ER_FT_SET) {
			fprintf(out, "%*s%s", indent, "", _("values: "));
			put_values(out, program, f, 0);
			fputc('\n', out);
		}
		fprintf(out, "%*s%s", indent, "", _("rules that lack it: "));
		put_rule_ids(out, program, result, q[i].fact, 0);
		fputc('\n', out);
	}
	put_unanswerable(out, program, result);
	fputc('\n', out);
	free(q);
	return ferror(out) ? -1 : 0;
}

int xp_ask_json(FILE *out, const er_program *program, const er_record *record,
		const er_result *result)
{
	xp_question *q = NULL;
	size_t count = 0;

	if (result->decision == ER_DECISION_NEEDS_INFO &&
	    xp_questions(result, &q, &count) != ER_OK)
		return -1;
	fputs("{\"id\":", out);
	xp_json_string(out, record->id);
	fprintf(out, ",\"record\":%zu,\"decision\":", record->number);
	xp_json_string(out, report_decision_code(result->decision));
	fputs(",\"missing\":[", out);
	for (size_t i = 0; i < count; i++) {
		const er_fact_info *f = er_program_fact(program, q[i].fact);

		fputs(i > 0 ? ",{\"path\":" : "{\"path\":", out);
		xp_json_string(out, f->path);
		fputs(",\"label\":", out);
		xp_json_string(out, f->label);
		fputs(",\"type\":", out);
		xp_json_string(out, type_code(f->type));
		if (f->unit_text != NULL) {
			fputs(",\"unit\":", out);
			xp_json_string(out, f->unit_text);
		}
		if (f->type == ER_FT_ENUM || f->type == ER_FT_SET) {
			fputs(",\"values\":[", out);
			put_values(out, program, f, 1);
			fputc(']', out);
		}
		fputs(",\"rules\":[", out);
		put_rule_ids(out, program, result, q[i].fact, 1);
		fputs("]}", out);
	}
	fputs("]}\n", out);
	free(q);
	return ferror(out) ? -1 : 0;
}

/* ---- Template ---- */

/* A known fact's value as JSON the fact readers accept back. */
static void template_value(FILE *o, const er_program *p, const er_record *record, uint32_t fact)
{
	const er_fact_info *f = er_program_fact(p, fact);
	const er_value *v = &record->slots[fact];
	char *text;

	switch (f->type) {
	case ER_FT_BOOLEAN:
		fputs(v->truth == ER_TRUE ? "true" : "false", o);
		return;
	case ER_FT_UNIT:
		xp_json_string(o, record->unit_code);
		return;
	case ER_FT_SET:
		fputc('[', o);
		for (uint32_t i = 0, first = 1; i < 64 && i < er_program_enum_size(p, f->enum_index); i++) {
			if (!(v->as.bits >> i & 1))
				continue;
			if (!first)
				fputc(',', o);
			xp_json_string(o, er_program_enum_value(p, f->enum_index, i));
			first = 0;
		}
		fputc(']', o);
		return;
	default:
		break;
	}
	text = report_fact_text(p, fact, v);
	xp_json_string(o, text != NULL ? text : "");
	free(text);
}

/* A placeholder for a missing fact: an object, which no fact accepts, so
 * an unfilled template is reported field by field. */
static void template_placeholder(FILE *o, const er_program *p, uint32_t fact)
{
	const er_fact_info *f = er_program_fact(p, fact);
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);

	if (m == NULL)
		return;
	put_type(m, p, f);
	fclose(m);
	fputs("{\"fill_in\":", o);
	xp_json_string(o, f->label);
	fputs(",\"type\":", o);
	xp_json_string(o, text);
	free(text);
	if (f->type == ER_FT_ENUM || f->type == ER_FT_SET) {
		fputs(",\"values\":[", o);
		put_values(o, p, f, 1);
		fputc(']', o);
	}
	fputc('}', o);
}

int xp_ask_template(FILE *out, const er_program *program, const er_record *record,
		    const er_result *result)
{
	xp_question *q = NULL;
	size_t count = 0;

	if (result->decision == ER_DECISION_NEEDS_INFO &&
	    xp_questions(result, &q, &count) != ER_OK)
		return -1;
	fputs("{\n  \"id\": ", out);
	xp_json_string(out, record->id);
	for (uint32_t f = 0; f < er_program_fact_count(program); f++) {
		if (!record->present[f] || record->slots[f].unknown)
			continue;
		fputs(",\n  ", out);
		xp_json_string(out, er_program_fact(program, f)->path);
		fputs(": ", out);
		template_value(out, program, record, f);
	}
	for (size_t i = 0; i < count; i++) {
		fputs(",\n  ", out);
		xp_json_string(out, er_program_fact(program, q[i].fact)->path);
		fputs(": ", out);
		template_placeholder(out, program, q[i].fact);
	}
	fputs("\n}\n", out);
	free(q);
	return ferror(out) ? -1 : 0;
}
