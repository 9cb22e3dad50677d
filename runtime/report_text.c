/* Text report for a terminal or a printout, and the stable names shared
 * with the JSON report. */
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "i18n.h"
#include "report.h"

struct report_writer {
	FILE *out;
	report_format format;
	const er_program *program;
	report_json *json;
	report_html *html;
	size_t records;      /* records written so far, see report_writer_redirect */
	const char *input;   /* see report_writer_set_input */
};

const char *report_decision_code(er_decision decision)
{
	switch (decision) {
	case ER_DECISION_ADMIT:
		return "admitted";
	case ER_DECISION_CONDITIONAL:
		return "conditional";
	case ER_DECISION_RESTRICTED:
		return "restricted";
	case ER_DECISION_REJECTED:
		return "rejected";
	case ER_DECISION_NEEDS_INFO:
		return "needs_information";
	}
	return "unknown";
}

const char *report_decision_zh(er_decision decision)
{
	switch (decision) {
	case ER_DECISION_ADMIT:
		return "准入";
	case ER_DECISION_CONDITIONAL:
		return "有条件准入";
	case ER_DECISION_RESTRICTED:
		return "受限准入";
	case ER_DECISION_REJECTED:
		return "不予准入";
	case ER_DECISION_NEEDS_INFO:
		return "待补充信息";
	}
	return "?";
}

const char *report_verdict_code(er_verdict verdict)
{
	static const char *const codes[ER_VERDICT_COUNT] = { "guide", "exit", "require", "restrict",
							      "forbid" };

	return (unsigned)verdict < ER_VERDICT_COUNT ? codes[verdict] : "unknown";
}

const char *report_verdict_zh(er_verdict verdict)
{
	static const char *const words[ER_VERDICT_COUNT] = { "引导", "退出", "要求", "限制", "禁止" };

	return (unsigned)verdict < ER_VERDICT_COUNT ? words[verdict] : "?";
}

const char *report_dimension_code(er_dimension dimension)
{
	static const char *const codes[ER_DIM_COUNT] = { "layout", "emission", "risk", "resource" };

	return (unsigned)dimension < ER_DIM_COUNT ? codes[dimension] : "unknown";
}

const char *report_dimension_zh(er_dimension dimension)
{
	static const char *const words[ER_DIM_COUNT] = { "空间布局约束", "污染物排放管控",
							  "环境风险防控", "资源利用效率" };

	return (unsigned)dimension < ER_DIM_COUNT ? words[dimension] : "?";
}

const char *report_outcome_code(er_outcome outcome)
{
	switch (outcome) {
	case ER_OUT_APPLIES:
		return "applies";
	case ER_OUT_UNDETERMINED:
		return "undetermined";
	case ER_OUT_FAILED:
		return "failed";
	}
	return "unknown";
}

const char *report_check_code(er_check check)
{
	switch (check) {
	case ER_CHECK_NONE:
		return "none";
	case ER_CHECK_MET:
		return "met";
	case ER_CHECK_VIOLATED:
		return "violated";
	case ER_CHECK_ATTACHED:
		return "attached";
	}
	return "unknown";
}

const char *report_decision_en(er_decision decision)
{
	switch (decision) {
	case ER_DECISION_ADMIT:
		return "admitted";
	case ER_DECISION_CONDITIONAL:
		return "conditional admission";
	case ER_DECISION_RESTRICTED:
		return "restricted admission";
	case ER_DECISION_REJECTED:
		return "rejected";
	case ER_DECISION_NEEDS_INFO:
		return "needs information";
	}
	return "?";
}

char *report_value_text(const er_program *program, const er_value *value, const char *unit_text)
{
	char buf[256];
	size_t need = er_format_value(program, value, unit_text, buf, sizeof buf);
	char *text = malloc(need + 1);

	if (text == NULL)
		return NULL;
	if (need < sizeof buf)
		memcpy(text, buf, need + 1);
	else
		er_format_value(program, value, unit_text, text, need + 1);
	return text;
}

char *report_fact_text(const er_program *program, uint32_t fact, const er_value *value)
{
	const er_fact_info *info = er_program_fact(program, fact);

	if (value->unknown)
		return report_value_text(program, value, info->unit_text);
	/* A value carries no enumeration index, so the fact supplies it. */
	if (info->type == ER_FT_ENUM) {
		const char *name = value->as.index < er_program_enum_size(program, info->enum_index)
					   ? er_program_enum_value(program, info->enum_index, value->as.index)
					   : "?";
		char *text = malloc(strlen(name) + 1);

		if (text != NULL)
			memcpy(text, name, strlen(name) + 1);
		return text;
	}
	if (info->type != ER_FT_SET)
		return report_value_text(program, value, info->unit_text);

	/* A set's value names, in declaration order, joined by "、". */
	size_t size = 1;
	size_t count = er_program_enum_size(program, info->enum_index);
	char *text;

	for (size_t i = 0; i < count && i < 64; i++)
		if (value->as.bits & (uint64_t)1 << i)
			size += strlen(er_program_enum_value(program, info->enum_index, (uint32_t)i)) + 3;
	text = malloc(size);
	if (text == NULL)
		return NULL;
	text[0] = '\0';
	for (size_t i = 0; i < count && i < 64; i++) {
		if (value->as.bits & (uint64_t)1 << i) {
			if (text[0] != '\0')
				strcat(text, "、");
			strcat(text, er_program_enum_value(program, info->enum_index, (uint32_t)i));
		}
	}
	return text;
}

/* Print a value; `fact` is its fact, or BC_NONE for a computed value. */
static void text_print_value(FILE *out, const er_program *program, uint32_t fact,
			     const er_value *value, const char *unit_text)
{
	char *text;

	if (value->kind == ER_K_BOOL && !value->unknown) {
		fputs(value->truth == ER_TRUE ? _("true") : _("false"), out);
		return;
	}
	text = fact != BC_NONE ? report_fact_text(program, fact, value)
			       : report_value_text(program, value, unit_text);
	if (text == NULL) {
		fputs("?", out);
		return;
	}
	fputs(text[0] != '\0' ? text : _("(none)"), out);
	free(text);
}

static void text_print_fact_name(FILE *out, const er_fact_info *info)
{
	/* "新增二氧化硫排放量（emission.new.SO2）" in Chinese, with ASCII
	 * brackets in English. */
	fprintf(out, _("%s (%s)"), info->label, info->path);
}

static void text_print_header(FILE *out, const char *input, const er_record *record,
			      const char *status)
{
	char number[32];
	int plain;

	snprintf(number, sizeof number, "%zu", record->number);
	plain = strcmp(number, record->id) == 0;
	if (input != NULL && plain)
		fprintf(out, _("%s: record %zu: %s\n"), input, record->number, status);
	else if (input != NULL)
		fprintf(out, _("%s: record %zu (%s): %s\n"), input, record->number, record->id, status);
	else if (plain)
		fprintf(out, _("Record %zu: %s\n"), record->number, status);
	else
		fprintf(out, _("Record %zu (%s): %s\n"), record->number, record->id, status);
}

static void text_print_errors(FILE *out, const er_record *record)
{
	for (size_t i = 0; i < record->error_count; i++) {
		const er_field_error *error = &record->errors[i];

		if (error->field[0] != '\0')
			fprintf(out, _("  field \"%s\": %s\n"), error->field, error->message);
		else
			fprintf(out, "  %s\n", error->message);
	}
}

static void text_print_rule_head(FILE *out, const er_program *program, const er_result *result,
				 const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);

	fprintf(out, "    [%s", er_verdict_name(info->verdict));
	switch (rr->check) {
	case ER_CHECK_MET:
		fputs(_(", requirement met"), out);
		break;
	case ER_CHECK_VIOLATED:
		fputs(_(", requirement violated"), out);
		break;
	case ER_CHECK_ATTACHED:
		fputs(_(", attached as a condition"), out);
		break;
	case ER_CHECK_NONE:
		break;
	}
	fprintf(out, "] %s %s\n", info->id, info->title);
	(void)result;
}

/* Message, computed values, basis and facts read of one rule. */
static void text_print_rule_body(FILE *out, const er_program *program, const er_record *record,
				 const er_result *result, const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);
	char *message = er_format_message(program, result, rr);

	if (message != NULL) {
		fprintf(out, "        %s\n", message);
		free(message);
	}
	if (info->let_count > 0 && rr->values_count >= info->let_count) {
		uint32_t first = rr->values_first + rr->values_count - (uint32_t)info->let_count;

		fprintf(out, "        %s", _("computed: "));
		for (size_t k = 0; k < info->let_count; k++) {
			er_rule_let let = er_program_rule_let(program, rr->rule, k);

			fprintf(out, "%s%s = ", k > 0 ? _("; ") : "", let.name);
			text_print_value(out, program, BC_NONE, &result->values[first + k], let.unit_text);
		}
		fputc('\n', out);
	}
	for (size_t k = 0; k < info->basis.count; k++)
		fprintf(out, _("        basis: %s\n"), info->basis.items[k]);
	if (info->facts_read_count > 0) {
		fprintf(out, "        %s", _("facts read: "));
		for (size_t k = 0; k < info->facts_read_count; k++) {
			uint32_t fact = info->facts_read[k];
			const er_fact_info *fact_info = er_program_fact(program, fact);

			if (k > 0)
				fputs(_("; "), out);
			text_print_fact_name(out, fact_info);
			fputs(" = ", out);
			if (record->present[fact] && fact == er_program_unit_fact(program))
				fputs(record->unit_code, out);
			else if (record->present[fact])
				text_print_value(out, program, fact, &record->slots[fact], NULL);
			else
				fputs(_("(absent)"), out);
		}
		fputc('\n', out);
	}
	if (rr->missing_count > 0) {
		fprintf(out, "        %s", _("missing: "));
		for (uint32_t k = 0; k < rr->missing_count; k++) {
			if (k > 0)
				fputs(_("; "), out);
			text_print_fact_name(out, er_program_fact(program, result->missing[rr->missing_first + k]));
		}
		fputc('\n', out);
	}
	if (rr->data_missing)
		fprintf(out, "        %s\n",
			_("reference data: the unit table gives no value for an attribute this rule "
			  "reads, so no fact of the project can settle it"));
}

/* The value of attribute `attr` for the project's unit or county, into
 * *value; 0 when the unit table sets none. */
static int text_attr_value(const er_program *program, uint32_t unit, uint32_t county, uint32_t attr,
			   const er_attr_info *info, er_value *value)
{
	if (info->owner == ER_ATTR_UNIT)
		return unit != BC_NONE && er_program_unit_value(program, unit, attr, value);
	return county != BC_NONE && er_program_county_value(program, county, attr, value);
}

/* The project's control unit: code, name, county, class and area from the
 * unit table, then every unit and county attribute the table sets for it.
 * For a code missing from the table, the county and class read from the
 * code. Nothing is printed when the rule set has no fact of type unit. */
static void text_print_unit(FILE *out, const er_program *program, const er_record *record)
{
	uint32_t fact = er_program_unit_fact(program);
	uint32_t unit = record->unit_index;
	uint32_t county = record->county_index;
	const char *county_name;
	char class_text[64], area_text[64];
	er_value class_value = { .kind = ER_K_CLASS };

	if (fact == BC_NONE)
		return;
	if (!record->present[fact] || record->slots[fact].unknown) {
		char name[512];
		const er_fact_info *info = er_program_fact(program, fact);

		snprintf(name, sizeof name, _("%s (%s)"), info->label, info->path);
		fprintf(out, _("  Control unit: unknown, because %s is absent\n"), name);
		return;
	}

	if (unit != BC_NONE) {
		er_value area;

		county = er_program_unit_county(program, unit);
		class_value.as.index = (uint32_t)er_program_unit_class(program, unit);
		if (er_program_unit_area(program, unit, &area))
			er_format_value(program, &area, "平方公里", area_text, sizeof area_text);
		else
			snprintf(area_text, sizeof area_text, "%s", _("(none)"));
		fprintf(out, _("  Control unit: %s %s\n"), er_program_unit_code(program, unit),
			er_program_unit_name(program, unit));
	} else {
		class_value.as.index = record->unit_class >= 0 ? (uint32_t)record->unit_class : 3;
		fprintf(out, _("  Control unit: %s, not in the unit table; its county and class are "
			       "read from the code\n"),
			record->unit_code);
	}
	county_name = er_program_county_name(program, county);
	er_format_value(program, &class_value, NULL, class_text, sizeof class_text);
	if (unit != BC_NONE)
		fprintf(out, _("    county: %s; class: %s; area: %s\n"), county_name != NULL ? county_name : "?",
			class_text, area_text);
	else
		fprintf(out, _("    county: %s; class: %s\n"), county_name != NULL ? county_name : "?", class_text);

	for (uint32_t attr = 0; attr < er_program_attr_count(program); attr++) {
		er_attr_info info;
		er_value value;
		char path[256];

		if (er_program_attr(program, attr, &info) != 0 ||
		    !text_attr_value(program, unit, county, attr, &info, &value))
			continue;
		snprintf(path, sizeof path, "%s.%s", info.owner == ER_ATTR_UNIT ? "unit" : "county", info.name);
		fputs("    ", out);
		fprintf(out, _("%s (%s)"), info.label, path);
		fputs(" = ", out);
		text_print_value(out, program, BC_NONE, &value, info.unit_text);
		fputc('\n', out);
	}
}

int report_text_record(FILE *out, const er_program *program, const char *input,
		       const er_record *record, const er_result *result)
{
	if (result == NULL) {
		text_print_header(out, input, record, _("invalid input, not evaluated"));
		text_print_errors(out, record);
		fputc('\n', out);
		return ferror(out) ? -1 : 0;
	}

	char decision[128];

	if (er_i18n_is_chinese())
		snprintf(decision, sizeof decision, "%s", report_decision_zh(result->decision));
	else
		snprintf(decision, sizeof decision, "%s (%s)", report_decision_zh(result->decision),
			 report_decision_en(result->decision));
	text_print_header(out, input, record, decision);
	text_print_unit(out, program, record);

	/* Rules that apply, by dimension in the order of the admission list. */
	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		int printed = 0;

		for (size_t i = 0; i < result->rule_count; i++) {
			const er_rule_result *rr = &result->rules[i];
			const er_rule_info *info = er_program_rule(program, rr->rule);

			if (rr->outcome != ER_OUT_APPLIES || (int)info->dimension != dim)
				continue;
			if (!printed)
				fprintf(out, "  %s\n", er_dimension_name((er_dimension)dim));
			printed = 1;
			text_print_rule_head(out, program, result, rr);
			text_print_rule_body(out, program, record, result, rr);
		}
	}

	for (int pass = 0; pass < 2; pass++) {
		er_outcome listed = pass == 0 ? ER_OUT_UNDETERMINED : ER_OUT_FAILED;
		int printed = 0;

		for (size_t i = 0; i < result->rule_count; i++) {
			const er_rule_result *rr = &result->rules[i];

			if (rr->outcome != listed)
				continue;
			if (!printed)
				fprintf(out, "  %s\n", pass == 0 ? _("Undetermined rules") : _("Rules that failed to evaluate"));
			printed = 1;
			text_print_rule_head(out, program, result, rr);
			if (pass == 1)
				fprintf(out, _("        error: %s\n"), er_status_name(rr->error));
			text_print_rule_body(out, program, record, result, rr);
		}
	}

	if (result->needed_count > 0) {
		fprintf(out, "  %s\n", _("Missing facts that would settle the decision"));
		for (size_t i = 0; i < result->needed_count; i++) {
			fputs("    ", out);
			text_print_fact_name(out, er_program_fact(program, result->needed[i]));
			fputc('\n', out);
		}
	}
	if (result->rule_count == 0)
		fprintf(out, "  %s\n", _("No rule applies."));
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

report_writer *report_writer_new(FILE *out, report_format format, const er_program *program)
{
	report_writer *writer = calloc(1, sizeof *writer);

	if (writer == NULL)
		return NULL;
	writer->out = out;
	writer->format = format;
	writer->program = program;
	if (format == REPORT_JSON || format == REPORT_JSONL) {
		writer->json = report_json_new(out, program);
		if (writer->json == NULL) {
			free(writer);
			return NULL;
		}
	}
	if (format == REPORT_HTML) {
		writer->html = report_html_new(out, program);
		if (writer->html == NULL) {
			free(writer);
			return NULL;
		}
	}
	return writer;
}

void report_writer_free(report_writer *writer)
{
	if (writer == NULL)
		return;
	report_json_free(writer->json);
	report_html_free(writer->html);
	free(writer);
}

void report_writer_redirect(report_writer *writer, FILE *out, size_t records_before)
{
	writer->out = out;
	writer->records = records_before;
	if (writer->json != NULL)
		report_json_redirect(writer->json, out);
}

int report_begin(report_writer *writer, int bom)
{
	if (bom && fputs("\xef\xbb\xbf", writer->out) == EOF)
		return -1;
	switch (writer->format) {
	case REPORT_CSV:
		return report_csv_header(writer->out, writer->input != NULL);
	case REPORT_JSON:
		return fputc('[', writer->out) == EOF ? -1 : 0;
	case REPORT_TEXT:
	case REPORT_JSONL:
	case REPORT_HTML:
		break;
	}
	return 0;
}

int report_write(report_writer *writer, const er_record *record, const er_result *result)
{
	size_t before = writer->records++;

	switch (writer->format) {
	case REPORT_JSON:
		return report_json_record(writer->json, record, result, before == 0 ? "\n" : ",\n", "");
	case REPORT_JSONL:
		return report_json_record(writer->json, record, result, "", "\n");
	case REPORT_HTML:
		return report_html_record(writer->html, record, result);
	case REPORT_CSV:
		return report_csv_record(writer->out, writer->program, writer->input, record, result);
	case REPORT_TEXT:
		break;
	}
	return report_text_record(writer->out, writer->program, writer->input, record, result);
}

int report_end(report_writer *writer)
{
	switch (writer->format) {
	case REPORT_JSON:
		return fputs(writer->records > 0 ? "\n]\n" : "]\n", writer->out) == EOF ? -1 : 0;
	case REPORT_HTML:
		return report_html_finish(writer->html);
	case REPORT_TEXT:
	case REPORT_JSONL:
	case REPORT_CSV:
		break;
	}
	return 0;
}

void report_writer_set_input(report_writer *writer, const char *input)
{
	writer->input = input;
	if (writer->json != NULL)
		report_json_set_input(writer->json, input);
	if (writer->html != NULL)
		report_html_set_input(writer->html, input);
}

void report_writer_set_batch(report_writer *writer, const char *ruleset, int32_t as_of)
{
	if (writer->html != NULL)
		report_html_set_batch(writer->html, ruleset, as_of);
}
