/* Report writers: one project's decision, the rules that apply grouped by
 * dimension, the missing facts and the record's errors, as text for a
 * terminal, as JSON (one array, or one object per line; schema in
 * docs/output.md), as one CSV row per record for a spreadsheet, or as one
 * printable HTML page per batch.
 *
 * A report is report_begin, report_write once per record, report_end.
 * Several writers may render parts of one report into separate streams
 * (rulevm eval --jobs): report_writer_redirect sets where a writer's
 * part starts, and only the writer of the whole stream calls
 * report_begin and report_end. The HTML page keeps every record until
 * report_end and cannot be rendered in parts.
 *
 * Ownership: a writer borrows the stream and the program, which must
 * outlive it; report_writer_free releases only the writer. Writers share
 * no mutable state, so threads may use different writers at once. */
#ifndef ECORULE_REPORT_H
#define ECORULE_REPORT_H

#include <stdio.h>

#include "ecorule.h"

typedef enum report_format {
	REPORT_TEXT = 0,
	REPORT_JSON = 1,  /* one JSON array of record objects */
	REPORT_CSV = 2,   /* one row per record after a header row */
	REPORT_JSONL = 3, /* one record object per line */
	REPORT_HTML = 4   /* one page, written by report_end */
} report_format;

typedef struct report_writer report_writer;

/* Returns NULL when out of memory. */
report_writer *report_writer_new(FILE *out, report_format format, const er_program *program);
void report_writer_free(report_writer *writer);

/* Write what comes before the first record: a UTF-8 byte-order mark when
 * `bom` is 1, then the CSV header row or the JSON array's opening bracket.
 * A byte-order mark helps spreadsheets but is not valid JSON, so rulevm
 * allows it only for CSV and text. Returns 0, or -1 when writing failed. */
int report_begin(report_writer *writer, int bom);
/* Write the report of one record. `result` is NULL for a record with
 * errors, which was not evaluated. Returns 0, or -1 when writing failed or
 * memory ran out. */
int report_write(report_writer *writer, const er_record *record, const er_result *result);
/* Write what comes after the last record: the JSON array's closing
 * bracket, or the whole HTML page. Returns 0, or -1 when writing failed. */
int report_end(report_writer *writer);
/* Write from now on into `out`, as if `records_before` records had been
 * written before: the JSON array puts a comma before every record but the
 * first of the whole report. */
void report_writer_redirect(report_writer *writer, FILE *out, size_t records_before);
/* Name the input file of the records written next, for a report over
 * several inputs; NULL (the default) names none. JSON and JSONL objects
 * then get an "input" member, text and HTML headings the file name, the
 * HTML index and CSV rows an input column (name one before report_begin
 * for the CSV header's). `input` is borrowed until the next call. */
void report_writer_set_input(report_writer *writer, const char *input);

/* Name the rule set file and the evaluation date for the formats that
 * print them (HTML). `ruleset` is borrowed and must outlive the writer. */
void report_writer_set_batch(report_writer *writer, const char *ruleset, int32_t as_of);

/* Stable names for the JSON output, never translated: "rejected",
 * "forbid", "layout", "applies", "met", … */
const char *report_decision_code(er_decision decision);
const char *report_verdict_code(er_verdict verdict);
const char *report_dimension_code(er_dimension dimension);
const char *report_outcome_code(er_outcome outcome);
const char *report_check_code(er_check check);
/* The Chinese words, never translated: "不予准入", "禁止", "空间布局约束". */
const char *report_decision_zh(er_decision decision);
const char *report_verdict_zh(er_verdict verdict);
const char *report_dimension_zh(er_dimension dimension);
/* The English words of a decision, never translated: "rejected",
 * "conditional admission", … */
const char *report_decision_en(er_decision decision);

/* A value as report text, malloc'ed; NULL when out of memory.
 * report_fact_text formats a value of fact `fact` and lists a set's value
 * names joined by "、" (empty for the empty set). */
char *report_value_text(const er_program *program, const er_value *value, const char *unit_text);
char *report_fact_text(const er_program *program, uint32_t fact, const er_value *value);

/* The writers, selected by report_write. */
int report_text_record(FILE *out, const er_program *program, const char *input,
		       const er_record *record, const er_result *result);
int report_csv_header(FILE *out, int with_input);
int report_csv_record(FILE *out, const er_program *program, const char *input,
		      const er_record *record, const er_result *result);
typedef struct report_json report_json;
report_json *report_json_new(FILE *out, const er_program *program);
void report_json_free(report_json *json);
void report_json_redirect(report_json *json, FILE *out);
void report_json_set_input(report_json *json, const char *input);
/* Write one record object; `prefix` (e.g. ",\n") goes before it and
 * `suffix` (e.g. "\n") after it. */
int report_json_record(report_json *json, const er_record *record, const er_result *result,
		       const char *prefix, const char *suffix);
typedef struct report_html report_html;
report_html *report_html_new(FILE *out, const er_program *program);
void report_html_free(report_html *html);
void report_html_set_batch(report_html *html, const char *ruleset, int32_t as_of);
void report_html_set_input(report_html *html, const char *input);
/* Buffer one record's summary row and section in temporary files; -1
 * when a temporary file cannot be made or written, or memory ran out. */
int report_html_record(report_html *html, const er_record *record, const er_result *result);
int report_html_finish(report_html *html);

#endif
