/* The CSV report: one row per project for a spreadsheet, with a header
 * row first. Cells are quoted by libcsv; lists inside a cell are joined
 * by "; ". The columns are listed in docs/output.md. */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "bytecode.h"
#include "i18n.h"
#include "report.h"

/* A growing cell; on out of memory it stays marked failed. */
typedef struct csv_cell {
	char *text;
	size_t len, cap;
	int failed;
} csv_cell;

static void cell_add(csv_cell *cell, const char *text)
{
	size_t n = strlen(text);

	if (cell->failed)
		return;
	if (cell->len + n + 1 > cell->cap) {
		size_t cap = (cell->len + n + 1) * 2;
		char *grown = realloc(cell->text, cap);
		if (grown == NULL) {
			cell->failed = 1;
			return;
		}
		cell->text = grown;
		cell->cap = cap;
	}
	memcpy(cell->text + cell->len, text, n + 1);
	cell->len += n;
}

/* Add an item to a list cell, with "; " before every item but the first. */
static void cell_item(csv_cell *cell, const char *text)
{
	if (cell->len > 0)
		cell_add(cell, "; ");
	cell_add(cell, text);
}

static int write_cell(FILE *out, const char *text, int last)
{
	if (csv_fwrite(out, text, strlen(text)) != 0)
		return -1;
	return fputc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

int report_csv_header(FILE *out, int with_input)
{
	const char *columns[] = {
		_("record"), _("id"), _("decision"), _("decision code"), _("forbid rules applying"),
		_("restrict rules applying"), _("require rules applying"), _("exit rules applying"),
		_("guide rules applying"), _("rejecting rules"),
		_("restricting rules"), _("conditions"), _("computed values"),
		_("undetermined rules"), _("missing facts"), _("errors"),
	};
	size_t n = sizeof columns / sizeof columns[0];

	if (with_input && write_cell(out, _("input"), 0) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (write_cell(out, columns[i], i + 1 == n) != 0)
			return -1;
	return 0;
}

/* Sort the rules of a result into the list cells by what they do. */
static void fill_rule_cells(const er_program *program, const er_result *result,
			    csv_cell *reject, csv_cell *restrict_, csv_cell *conditions,
			    csv_cell *values, csv_cell *undetermined)
{
	for (size_t i = 0; i < result->rule_count; i++) {
		const er_rule_result *rr = &result->rules[i];
		const er_rule_info *info = er_program_rule(program, rr->rule);

		if (rr->outcome != ER_OUT_APPLIES) {
			cell_item(undetermined, info->id);
			continue;
		}
		if (rr->check == ER_CHECK_VIOLATED || info->verdict == ER_VERDICT_FORBID)
			cell_item(reject, info->id);
		else if (info->verdict == ER_VERDICT_RESTRICT)
			cell_item(restrict_, info->id);
		else if (info->verdict == ER_VERDICT_REQUIRE || info->verdict == ER_VERDICT_EXIT)
			cell_item(conditions, info->id);
		if (info->let_count == 0 || rr->values_count < info->let_count)
			continue;
		for (size_t k = 0; k < info->let_count; k++) {
			er_rule_let let = er_program_rule_let(program, rr->rule, k);
			const er_value *v = &result->values[rr->values_first + rr->values_count -
							    info->let_count + k];
			char text[256], item[512];

			er_format_value(program, v, let.unit_text, text, sizeof text);
			snprintf(item, sizeof item, "%s %s = %s", info->id, let.name, text);
			cell_item(values, item);
		}
	}
}

/* The applying rules' counts per verdict, strictest first, as text. */
static void count_verdicts(const er_program *program, const er_result *result,
			   char counts[ER_VERDICT_COUNT][24])
{
	size_t count[ER_VERDICT_COUNT] = { 0 };

	for (size_t i = 0; result != NULL && i < result->rule_count; i++) {
		const er_rule_result *rr = &result->rules[i];

		if (rr->outcome == ER_OUT_APPLIES)
			count[er_program_rule(program, rr->rule)->verdict]++;
	}
	for (int v = 0; v < ER_VERDICT_COUNT; v++) {
		if (result != NULL)
			snprintf(counts[v], sizeof counts[v], "%zu", count[ER_VERDICT_COUNT - 1 - v]);
		else
			counts[v][0] = '\0';
	}
}

int report_csv_record(FILE *out, const er_program *program, const char *input,
		      const er_record *record, const er_result *result)
{
	char counts[ER_VERDICT_COUNT][24];
	csv_cell cells[7] = {{0}};
	csv_cell *reject = &cells[0], *restrict_ = &cells[1], *conditions = &cells[2];
	csv_cell *values = &cells[3], *undetermined = &cells[4], *missing = &cells[5];
	csv_cell *errors = &cells[6];
	char number[32];
	int rc = 0;

	snprintf(number, sizeof number, "%zu", record->number);
	count_verdicts(program, result, counts);
	for (size_t i = 0; i < record->error_count; i++) {
		const er_field_error *e = &record->errors[i];
		char item[600];

		if (e->field[0] != '\0')
			/* "%s：%s" in Chinese. */
			snprintf(item, sizeof item, _("%s: %s"), e->field, e->message);
		else
			snprintf(item, sizeof item, "%s", e->message);
		cell_item(errors, item);
	}
	if (result != NULL) {
		fill_rule_cells(program, result, reject, restrict_, conditions, values, undetermined);
		for (size_t i = 0; i < result->needed_count; i++)
			cell_item(missing, er_program_fact(program, result->needed[i])->label);
	}
	for (size_t i = 0; i < 7; i++)
		if (cells[i].failed)
			rc = -1;
	if (rc == 0) {
		const char *decision = result ? report_decision_zh(result->decision) : _("invalid input");
		const char *code = result ? report_decision_code(result->decision) : "invalid";
		const char *row[] = {
			number, record->id, decision, code,
			counts[0], counts[1], counts[2], counts[3], counts[4], reject->text ? reject->text : "", restrict_->text ? restrict_->text : "",
			conditions->text ? conditions->text : "", values->text ? values->text : "",
			undetermined->text ? undetermined->text : "", missing->text ? missing->text : "",
			errors->text ? errors->text : "",
		};
		size_t n = sizeof row / sizeof row[0];

		if (input != NULL)
			rc = write_cell(out, input, 0);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = write_cell(out, row[i], i + 1 == n);
	}
	for (size_t i = 0; i < 7; i++)
		free(cells[i].text);
	return rc;
}
