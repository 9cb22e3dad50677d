/* HTML report: one self-contained, printable page per batch. The page
 * opens with a summary (projects per decision, then one row per project),
 * so the summary rows and the project sections are buffered in two
 * temporary files while the records stream, and report_html_finish writes
 * the page. Memory stays flat however many records there are. Every text
 * from the rule set or the input is escaped; the page has inline CSS and
 * no scripts or external resources. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "i18n.h"
#include "report.h"

/* Decisions in the order the summary lists them: strictest first, then
 * 准入, and 待补充信息 last, the order of the README and docs/output.md. */
static const er_decision html_decision_order[] = {
	ER_DECISION_REJECTED, ER_DECISION_RESTRICTED, ER_DECISION_CONDITIONAL,
	ER_DECISION_ADMIT, ER_DECISION_NEEDS_INFO,
};
#define HTML_DECISIONS (sizeof html_decision_order / sizeof html_decision_order[0])

struct report_html {
	FILE *out;
	const er_program *program;
	FILE *rows;          /* summary table rows, one <tr> per record */
	FILE *sections;      /* one <section> per record */
	const char *ruleset; /* name shown in the page head, or NULL */
	int has_as_of;
	int32_t as_of;
	size_t records;
	size_t invalid;
	size_t by_decision[ER_DECISION_NEEDS_INFO + 1];
	const char *input;   /* see report_writer_set_input */
	int with_input;      /* some record named its input: show the column */
};

static const char html_style[] =
	"@page{size:A4;margin:16mm 14mm}\n"
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
	"\"PingFang SC\",sans-serif;font-size:10.5pt;line-height:1.5;color:#111;"
	"max-width:62em;margin:2em auto;padding:0 1em}\n"
	"h1{font-size:1.6em;margin:0 0 .2em}\n"
	"h2{font-size:1.25em;border-bottom:2px solid #333;padding-bottom:.15em;margin:1.6em 0 .5em}\n"
	"h3{font-size:1.05em;margin:1em 0 .3em}\n"
	"h3::first-letter{text-transform:uppercase}\n"
	"table{border-collapse:collapse;margin:.4em 0 1em}\n"
	"table.projects{width:100%}\n"
	"th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#eee;white-space:nowrap}\n"
	"td.n{text-align:right}\n"
	"thead{display:table-header-group}\n"
	"tr{break-inside:avoid}\n"
	".meta{color:#444;margin:0}\n"
	".decision{font-weight:bold;white-space:nowrap}\n"
	".rejected,.invalid{color:#a00}\n"
	".restricted{color:#b45000}\n"
	".conditional{color:#0050a0}\n"
	".admitted{color:#070}\n"
	".needs_information{color:#555}\n"
	".rule{border-left:3px solid #999;padding:.1em .8em;margin:.5em 0;break-inside:avoid}\n"
	".rule p{margin:.2em 0}\n"
	".verdict{font-weight:bold}\n"
	".rule-id{font-family:monospace}\n"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.2em 0}\n"
	"dt{color:#444}\n"
	"dd{margin:0}\n"
	"ul{margin:.2em 0;padding-left:1.5em}\n"
	"a{color:inherit}\n"
	"@media print{\n"
	"body{max-width:none;margin:0;padding:0;font-size:10pt}\n"
	"section.project{break-before:page}\n"
	"a{text-decoration:none}\n"
	"th{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"h2,h3{break-after:avoid}\n"
	"}\n";

void report_html_set_input(report_html *html, const char *input)
{
	html->input = input;
	if (input != NULL)
		html->with_input = 1;
}

report_html *report_html_new(FILE *out, const er_program *program)
{
	report_html *html = calloc(1, sizeof *html);

	if (html == NULL)
		return NULL;
	html->out = out;
	html->program = program;
	return html;
}

void report_html_free(report_html *html)
{
	if (html == NULL)
		return;
	if (html->rows != NULL)
		fclose(html->rows);
	if (html->sections != NULL)
		fclose(html->sections);
	free(html);
}

void report_html_set_batch(report_html *html, const char *ruleset, int32_t as_of)
{
	html->ruleset = ruleset;
	html->as_of = as_of;
	html->has_as_of = 1;
}

/* ---- Escaping ---- */

/* Write one byte escaped, so that text is safe in element content and in
 * quoted attribute values. C0 control characters other than tab, newline
 * and carriage return are not allowed in HTML, so each becomes U+FFFD. */
static void html_byte(FILE *out, unsigned char c)
{
	switch (c) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs("&quot;", out); break;
	case '\'': fputs("&#39;", out); break;
	default:
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			fputs("\xef\xbf\xbd", out);
		else
			putc(c, out);
		break;
	}
}

/* Whether html_byte writes the byte as it is. */
static int html_plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

/* Write text escaped, with one fwrite per run of plain bytes: a page of a
 * large batch is mostly such runs. */
static void html_text(FILE *out, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *run = p;

		while (*p != '\0' && html_plain((unsigned char)*p))
			p++;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), out);
		if (*p != '\0')
			html_byte(out, (unsigned char)*p++);
	}
}

/* Write a translated message with its arguments, all escaped, without a
 * buffer, so a long label or message needs no allocation.
 * NOTE: only %s, %zu and %% are read, in order, which is all the
 * messages of this file and their translations use. Another conversion
 * is written as "?". */
static void html_textf(FILE *out, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	for (const char *p = format; *p != '\0'; p++) {
		if (*p != '%') {
			html_byte(out, (unsigned char)*p);
		} else if (p[1] == 's') {
			const char *arg = va_arg(ap, const char *);

			html_text(out, arg != NULL ? arg : "?");
			p++;
		} else if (p[1] == 'z' && p[2] == 'u') {
			fprintf(out, "%zu", va_arg(ap, size_t));
			p += 2;
		} else if (p[1] == '%') {
			putc('%', out);
			p++;
		} else {
			putc('?', out);
			if (p[1] == '\0')
				break;
		}
	}
	va_end(ap);
}

/* ---- Pieces of a record ---- */

/* The decision as the page shows it: the Chinese word, and in English the
 * English words after it, as the text report does. */
static void html_decision(FILE *out, er_decision decision)
{
	fprintf(out, "<span class=\"decision %s\">", report_decision_code(decision));
	if (er_i18n_is_chinese())
		html_text(out, report_decision_zh(decision));
	else
		html_textf(out, "%s (%s)", report_decision_zh(decision), report_decision_en(decision));
	fputs("</span>", out);
}

static void html_fact_name(FILE *out, const er_fact_info *info)
{
	html_textf(out, _("%s (%s)"), info->label, info->path);
}

static void html_term(FILE *out, const char *term)
{
	fputs("<dt>", out);
	html_text(out, term);
	fputs("</dt><dd>", out);
}

/* Terms of the project's control unit: code and name, county and class.
 * Nothing when the rule set has no fact of type unit. */
static void html_unit(FILE *out, const er_program *program, const er_record *record)
{
	uint32_t fact = er_program_unit_fact(program);
	uint32_t unit = record->unit_index;
	uint32_t county = record->county_index;
	er_value class_value = { .kind = ER_K_CLASS };
	const char *county_name;
	char class_text[64];

	if (fact == BC_NONE)
		return;
	html_term(out, _("Control unit"));
	if (!record->present[fact] || record->slots[fact].unknown) {
		const er_fact_info *info = er_program_fact(program, fact);

		html_textf(out, _("unknown, because %s (%s) is absent"), info->label, info->path);
		fputs("</dd>\n", out);
		return;
	}
	if (unit != BC_NONE) {
		county = er_program_unit_county(program, unit);
		class_value.as.index = (uint32_t)er_program_unit_class(program, unit);
		html_textf(out, "%s %s", er_program_unit_code(program, unit),
			   er_program_unit_name(program, unit));
	} else {
		class_value.as.index = record->unit_class >= 0 ? (uint32_t)record->unit_class : 3;
		html_textf(out, _("%s, not in the unit table"), record->unit_code);
	}
	fputs("</dd>\n", out);
	county_name = er_program_county_name(program, county);
	er_format_value(program, &class_value, NULL, class_text, sizeof class_text);
	html_term(out, _("County"));
	html_text(out, county_name != NULL ? county_name : "?");
	fputs("</dd>\n", out);
	html_term(out, _("Class"));
	html_text(out, class_text);
	fputs("</dd>\n", out);
}

/* The verdict of a rule with the result of its ensure check. */
static void html_rule_head(FILE *out, const er_program *program, const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);

	fprintf(out, "<p><span class=\"verdict %s\">", report_verdict_code(info->verdict));
	html_text(out, er_verdict_name(info->verdict));
	switch (rr->check) {
	case ER_CHECK_MET:
		html_text(out, _(", requirement met"));
		break;
	case ER_CHECK_VIOLATED:
		html_text(out, _(", requirement violated"));
		break;
	case ER_CHECK_ATTACHED:
		html_text(out, _(", attached as a condition"));
		break;
	case ER_CHECK_NONE:
		break;
	}
	fputs("</span> <span class=\"rule-id\">", out);
	html_text(out, info->id);
	fputs("</span> ", out);
	html_text(out, info->title);
	fputs("</p>\n", out);
}

/* The computed values (lets) of a rule, "name = value" joined by "; ". */
static void html_rule_values(FILE *out, const er_program *program, const er_result *result,
			     const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);
	uint32_t first;

	if (info->let_count == 0 || rr->values_count < info->let_count)
		return;
	first = rr->values_first + rr->values_count - (uint32_t)info->let_count;
	html_term(out, _("Computed values"));
	for (size_t k = 0; k < info->let_count; k++) {
		er_rule_let let = er_program_rule_let(program, rr->rule, k);
		char *value = report_value_text(program, &result->values[first + k], let.unit_text);

		if (k > 0)
			html_text(out, _("; "));
		html_textf(out, "%s = %s", let.name, value != NULL ? value : "?");
		free(value);
	}
	fputs("</dd>\n", out);
}

/* One rule: verdict, id and title, then message, computed values, basis,
 * and for a rule that is not settled the facts it lacks. Returns -1 when
 * memory ran out. */
static int html_rule(FILE *out, const er_program *program, const er_result *result,
		     const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);
	char *message = er_format_message(program, result, rr);

	fputs("<div class=\"rule\">\n", out);
	html_rule_head(out, program, rr);
	fputs("<dl>\n", out);
	html_term(out, _("Requirement"));
	html_text(out, message != NULL ? message : info->message);
	fputs("</dd>\n", out);
	free(message);
	html_rule_values(out, program, result, rr);
	for (size_t k = 0; k < info->basis.count; k++) {
		html_term(out, _("Basis"));
		html_text(out, info->basis.items[k]);
		fputs("</dd>\n", out);
	}
	if (rr->outcome == ER_OUT_FAILED) {
		html_term(out, _("Error"));
		html_text(out, er_status_name(rr->error));
		fputs("</dd>\n", out);
	}
	if (rr->missing_count > 0) {
		html_term(out, _("Missing"));
		for (uint32_t k = 0; k < rr->missing_count; k++) {
			if (k > 0)
				html_text(out, _("; "));
			html_fact_name(out, er_program_fact(program, result->missing[rr->missing_first + k]));
		}
		fputs("</dd>\n", out);
	}
	if (rr->data_missing) {
		html_term(out, _("Reference data"));
		html_text(out, _("the unit table gives no value for an attribute this rule reads, so no "
				 "fact of the project can settle it"));
		fputs("</dd>\n", out);
	}
	fputs("</dl>\n</div>\n", out);
	return message == NULL ? -1 : 0;
}

static void html_heading3(FILE *out, const char *text)
{
	fputs("<h3>", out);
	html_text(out, text);
	fputs("</h3>\n", out);
}

/* The rules of one outcome; for ER_OUT_APPLIES grouped by dimension in
 * the order of the admission list. */
static int html_rules(FILE *out, const er_program *program, const er_result *result,
		      er_outcome outcome, const char *heading)
{
	int rc = 0;

	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		int printed = 0;

		for (size_t i = 0; i < result->rule_count; i++) {
			const er_rule_result *rr = &result->rules[i];
			const er_rule_info *info = er_program_rule(program, rr->rule);

			if (rr->outcome != outcome)
				continue;
			if (outcome == ER_OUT_APPLIES && (int)info->dimension != dim)
				continue;
			if (!printed)
				html_heading3(out, outcome == ER_OUT_APPLIES
						   ? er_dimension_name((er_dimension)dim) : heading);
			printed = 1;
			if (html_rule(out, program, result, rr) != 0)
				rc = -1;
		}
		if (outcome != ER_OUT_APPLIES)
			break;
	}
	return rc;
}

static void html_errors(FILE *out, const er_record *record)
{
	fputs("<ul class=\"errors\">\n", out);
	for (size_t i = 0; i < record->error_count; i++) {
		const er_field_error *error = &record->errors[i];

		fputs("<li>", out);
		if (error->field[0] != '\0')
			html_textf(out, _("field \"%s\": %s"), error->field, error->message);
		else
			html_text(out, error->message);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

/* The section of one record. */
static int html_section(report_html *html, const er_record *record, const er_result *result)
{
	FILE *out = html->sections;
	const er_program *program = html->program;
	int rc = 0;

	fprintf(out, "<section class=\"project\" id=\"record-%zu\">\n<h2>", html->records);
	if (html->input != NULL)
		html_textf(out, _("Project %zu: %s (%s, record %zu)"), html->records, record->id,
			   html->input, record->number);
	else
		html_textf(out, _("Project %zu: %s"), html->records, record->id);
	fputs("</h2>\n<dl class=\"head\">\n", out);
	html_term(out, _("Decision"));
	if (result == NULL) {
		fputs("<span class=\"decision invalid\">", out);
		html_text(out, _("invalid input, not evaluated"));
		fputs("</span></dd>\n</dl>\n", out);
		html_errors(out, record);
		fputs("</section>\n", out);
		return 0;
	}
	html_decision(out, result->decision);
	fputs("</dd>\n", out);
	html_unit(out, program, record);
	fputs("</dl>\n", out);

	if (html_rules(out, program, result, ER_OUT_APPLIES, NULL) != 0 ||
	    html_rules(out, program, result, ER_OUT_UNDETERMINED, _("Undetermined rules")) != 0 ||
	    html_rules(out, program, result, ER_OUT_FAILED, _("Rules that failed to evaluate")) != 0)
		rc = -1;
	if (result->needed_count > 0) {
		html_heading3(out, _("Missing facts that would settle the decision"));
		fputs("<ul>\n", out);
		for (size_t i = 0; i < result->needed_count; i++) {
			fputs("<li>", out);
			html_fact_name(out, er_program_fact(program, result->needed[i]));
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (result->rule_count == 0) {
		fputs("<p>", out);
		html_text(out, _("No rule applies."));
		fputs("</p>\n", out);
	}
	fputs("</section>\n", out);
	return rc;
}

/* The record's row of the summary table: number, id, unit, decision and
 * the counts of its rules by outcome, missing facts and errors. */
static void html_row(report_html *html, const er_record *record, const er_result *result)
{
	FILE *out = html->rows;
	const er_program *program = html->program;
	size_t outcomes[3] = { 0, 0, 0 };

	fprintf(out, "<tr><td class=\"n\"><a href=\"#record-%zu\">%zu</a></td><td>", html->records,
		html->records);
	html_text(out, record->id);
	fputs("</td><td>", out);
	if (html->with_input) {
		if (html->input != NULL)
			html_textf(out, _("%s, record %zu"), html->input, record->number);
		fputs("</td><td>", out);
	}
	/* An invalid record has no unit, as in the JSON report. */
	if (result != NULL && record->unit_code[0] != '\0') {
		html_text(out, record->unit_code);
		if (record->unit_index != BC_NONE) {
			fputs(" ", out);
			html_text(out, er_program_unit_name(program, record->unit_index));
		}
	}
	fputs("</td><td>", out);
	if (result != NULL) {
		html_decision(out, result->decision);
		for (size_t i = 0; i < result->rule_count; i++)
			if ((unsigned)result->rules[i].outcome < 3)
				outcomes[result->rules[i].outcome]++;
	} else {
		fputs("<span class=\"decision invalid\">", out);
		html_text(out, _("invalid input"));
		fputs("</span>", out);
	}
	fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
		     "<td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
		outcomes[ER_OUT_APPLIES], outcomes[ER_OUT_UNDETERMINED], outcomes[ER_OUT_FAILED],
		result != NULL ? result->needed_count : 0, record->error_count);
}

int report_html_record(report_html *html, const er_record *record, const er_result *result)
{
	int rc;

	if (html->rows == NULL && (html->rows = tmpfile()) == NULL)
		return -1;
	if (html->sections == NULL && (html->sections = tmpfile()) == NULL)
		return -1;
	html->records++;
	if (result == NULL)
		html->invalid++;
	else if ((unsigned)result->decision <= ER_DECISION_NEEDS_INFO)
		html->by_decision[result->decision]++;
	html_row(html, record, result);
	rc = html_section(html, record, result);
	if (ferror(html->rows) || ferror(html->sections))
		return -1;
	return rc;
}

/* ---- The page ---- */

static void html_head(report_html *html)
{
	FILE *out = html->out;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		er_i18n_is_chinese() ? "zh-CN" : "en");
	fputs("<title>", out);
	html_text(out, _("Environmental admission screening report"));
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", html_style);
	html_text(out, _("Environmental admission screening report"));
	fputs("</h1>\n", out);
	if (html->ruleset != NULL) {
		fputs("<p class=\"meta\">", out);
		html_textf(out, _("Rule set: %s"), html->ruleset);
		fputs("</p>\n", out);
	}
	if (html->has_as_of) {
		char date[16];

		er_date_format(html->as_of, date);
		fputs("<p class=\"meta\">", out);
		html_textf(out, _("Evaluation date: %s"), date);
		fputs("</p>\n", out);
	}
}

/* The table of projects per decision, with the invalid records and the
 * total. */
static void html_counts(report_html *html)
{
	FILE *out = html->out;

	fputs("<table class=\"counts\">\n<thead><tr><th>", out);
	html_text(out, _("Decision"));
	fputs("</th><th>", out);
	html_text(out, _("Projects"));
	fputs("</th></tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < HTML_DECISIONS; i++) {
		er_decision decision = html_decision_order[i];

		fputs("<tr><td>", out);
		html_decision(out, decision);
		fprintf(out, "</td><td class=\"n\">%zu</td></tr>\n", html->by_decision[decision]);
	}
	fputs("<tr><td><span class=\"decision invalid\">", out);
	html_text(out, _("Records with errors"));
	fprintf(out, "</span></td><td class=\"n\">%zu</td></tr>\n", html->invalid);
	fputs("<tr><th>", out);
	html_text(out, _("Total"));
	fprintf(out, "</th><th class=\"n\">%zu</th></tr>\n</tbody>\n</table>\n", html->records);
}

static void html_th(FILE *out, const char *label)
{
	fputs("<th>", out);
	html_text(out, label);
	fputs("</th>", out);
}

/* Copy a buffered part of the page to the output. */
static int html_copy(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;

	if (from == NULL)
		return 0;
	if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

int report_html_finish(report_html *html)
{
	FILE *out = html->out;

	html_head(html);
	fputs("<h2>", out);
	html_text(out, _("Summary"));
	fputs("</h2>\n", out);
	html_counts(html);
	if (html->records > 0) {
		fputs("<table class=\"projects\">\n<thead><tr>", out);
		html_th(out, _("No."));
		html_th(out, _("Project ID"));
		if (html->with_input)
			html_th(out, _("Input file"));
		html_th(out, _("Control unit"));
		html_th(out, _("Decision"));
		html_th(out, _("Applying rules"));
		html_th(out, _("Undetermined"));
		html_th(out, _("Failed"));
		html_th(out, _("Missing facts"));
		html_th(out, _("Errors"));
		fputs("</tr></thead>\n<tbody>\n", out);
		if (html_copy(html->rows, out) != 0)
			return -1;
		fputs("</tbody>\n</table>\n", out);
	}
	if (html_copy(html->sections, out) != 0)
		return -1;
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
