/* JSON report: one object per record, written with yajl_gen; the
 * writer in report_text.c lays the objects out as an array or as lines.
 * The schema is documented in docs/output.md and changes only by adding
 * keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "program.h"
#include "report.h"

/* A string of the program (a title, a basis, a label), escaped once as
 * a JSON string with its quotes, keyed by its address. */
typedef struct json_escaped {
	const char *text;
	char *json;
	size_t len;
} json_escaped;

struct report_json {
	FILE *out;
	const er_program *program;
	yajl_gen gen;
	int failed;  /* a write or an allocation failed */
	json_escaped *escaped;  /* open-addressing table, NULL text: empty */
	size_t escaped_count, escaped_cap;
	const char *input;  /* see report_writer_set_input */
};

void report_json_set_input(report_json *json, const char *input)
{
	json->input = input;
}

report_json *report_json_new(FILE *out, const er_program *program)
{
	report_json *json = calloc(1, sizeof *json);

	if (json == NULL)
		return NULL;
	json->out = out;
	json->program = program;
	json->gen = yajl_gen_alloc(NULL);
	if (json->gen == NULL) {
		free(json);
		return NULL;
	}
	/* yajl_gen keeps each record in its own buffer, written with one
	 * fwrite per record: a write per token cost more than the evaluation. */
	yajl_gen_config(json->gen, yajl_gen_validate_utf8, 1);
	return json;
}

void report_json_redirect(report_json *json, FILE *out)
{
	json->out = out;
}

void report_json_free(report_json *json)
{
	if (json == NULL)
		return;
	yajl_gen_free(json->gen);
	for (size_t i = 0; i < json->escaped_cap; i++)
		free(json->escaped[i].json);
	free(json->escaped);
	free(json);
}

static void json_string(report_json *json, const char *text)
{
	if (text == NULL) {
		yajl_gen_null(json->gen);
		return;
	}
	/* Input text is valid UTF-8 once read; this guards the output anyway. */
	if (yajl_gen_string(json->gen, (const unsigned char *)text, strlen(text)) ==
	    yajl_gen_invalid_string)
		yajl_gen_string(json->gen, (const unsigned char *)"\xef\xbf\xbd", 3);
}

/* Escape text as yajl_gen does (quotes, backslash, control characters;
 * UTF-8 bytes as they are), with the surrounding quotes. */
static char *json_escape(const char *text, size_t *len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(text), used = 0;
	char *out = malloc(6 * n + 3);

	if (out == NULL)
		return NULL;
	out[used++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		const char *esc = NULL;

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\f': esc = "\\f"; break;
		case '\b': esc = "\\b"; break;
		default: break;
		}
		if (esc != NULL) {
			out[used++] = esc[0];
			out[used++] = esc[1];
		} else if (c < 0x20) {
			memcpy(out + used, "\\u00", 4);
			out[used + 4] = hex[c >> 4];
			out[used + 5] = hex[c & 15];
			used += 6;
		} else {
			out[used++] = (char)c;
		}
	}
	out[used++] = '"';
	*len = used;
	return out;
}

/* Write a string the program owns, escaping it only the first time it is
 * written: titles, bases and labels repeat in every record of a batch.
 * yajl_gen_number writes its bytes as given, in a value's place. */
static void json_const(report_json *json, const char *text)
{
	size_t slot;

	if (text == NULL) {
		yajl_gen_null(json->gen);
		return;
	}
	if (2 * (json->escaped_count + 1) > json->escaped_cap) {
		size_t cap = json->escaped_cap ? 2 * json->escaped_cap : 256;
		json_escaped *grown = calloc(cap, sizeof *grown);

		if (grown == NULL) {
			json_string(json, text);
			return;
		}
		for (size_t i = 0; i < json->escaped_cap; i++) {
			json_escaped *e = &json->escaped[i];
			if (e->text == NULL)
				continue;
			slot = ((uintptr_t)e->text >> 3) & (cap - 1);
			while (grown[slot].text != NULL)
				slot = (slot + 1) & (cap - 1);
			grown[slot] = *e;
		}
		free(json->escaped);
		json->escaped = grown;
		json->escaped_cap = cap;
	}
	slot = ((uintptr_t)text >> 3) & (json->escaped_cap - 1);
	while (json->escaped[slot].text != NULL && json->escaped[slot].text != text)
		slot = (slot + 1) & (json->escaped_cap - 1);
	if (json->escaped[slot].text == NULL) {
		size_t len;
		char *escaped = json_escape(text, &len);

		if (escaped == NULL) {
			json_string(json, text);
			return;
		}
		json->escaped[slot].text = text;
		json->escaped[slot].json = escaped;
		json->escaped[slot].len = len;
		json->escaped_count++;
	}
	yajl_gen_number(json->gen, json->escaped[slot].json, json->escaped[slot].len);
}

static void json_key(report_json *json, const char *key)
{
	yajl_gen_string(json->gen, (const unsigned char *)key, strlen(key));
}

/* A value as text ("200 吨/年", "2021-10-01", "新建"), or null when it is
 * unknown. */
static void json_value(report_json *json, const er_value *value, const char *unit_text)
{
	char *text;

	if (value->unknown) {
		yajl_gen_null(json->gen);
		return;
	}
	if (value->kind == ER_K_BOOL) {
		yajl_gen_bool(json->gen, value->truth == ER_TRUE);
		return;
	}
	text = report_value_text(json->program, value, unit_text);
	if (text == NULL) {
		json->failed = 1;
		yajl_gen_null(json->gen);
		return;
	}
	json_string(json, text);
	free(text);
}

/* Write the names of the values in set `bits` of enumeration
 * `enum_index`, as an array. */
static void json_set_names(report_json *json, uint32_t enum_index, uint64_t bits)
{
	yajl_gen_array_open(json->gen);
	for (size_t i = 0; i < er_program_enum_size(json->program, enum_index) && i < 64; i++)
		if (bits & (uint64_t)1 << i)
			json_const(json, er_program_enum_value(json->program, enum_index, (uint32_t)i));
	yajl_gen_array_close(json->gen);
}

/* A fact's value: text as json_value gives, or for a set an array of its
 * value names. */
static void json_fact_value(report_json *json, uint32_t fact, const er_value *value)
{
	const er_fact_info *info = er_program_fact(json->program, fact);

	if (value->unknown || value->kind == ER_K_BOOL) {
		json_value(json, value, info->unit_text);
		return;
	}
	if (info->type != ER_FT_SET) {
		char *text = report_fact_text(json->program, fact, value);

		if (text == NULL) {
			json->failed = 1;
			yajl_gen_null(json->gen);
			return;
		}
		json_string(json, text);
		free(text);
		return;
	}
	json_set_names(json, info->enum_index, value->as.bits);
}

static void json_fact_ref(report_json *json, uint32_t fact)
{
	const er_fact_info *info = er_program_fact(json->program, fact);

	yajl_gen_map_open(json->gen);
	json_key(json, "path");
	json_const(json, info->path);
	json_key(json, "label");
	json_const(json, info->label);
	yajl_gen_map_close(json->gen);
}

static void json_rule(report_json *json, const er_record *record, const er_result *result,
		      const er_rule_result *rr)
{
	const er_program *program = json->program;
	const er_rule_info *info = er_program_rule(program, rr->rule);
	yajl_gen gen = json->gen;
	char *message;

	yajl_gen_map_open(gen);
	json_key(json, "id");
	json_const(json, info->id);
	json_key(json, "title");
	json_const(json, info->title);
	json_key(json, "dimension");
	json_string(json, report_dimension_code(info->dimension));
	json_key(json, "dimension_name");
	json_string(json, report_dimension_zh(info->dimension));
	json_key(json, "verdict");
	json_string(json, report_verdict_code(info->verdict));
	json_key(json, "verdict_name");
	json_string(json, report_verdict_zh(info->verdict));
	json_key(json, "outcome");
	json_string(json, report_outcome_code(rr->outcome));
	json_key(json, "check");
	if (rr->check == ER_CHECK_NONE)
		yajl_gen_null(gen);
	else
		json_string(json, report_check_code(rr->check));
	if (rr->outcome == ER_OUT_FAILED) {
		json_key(json, "error");
		json_string(json, er_status_name(rr->error));
	}

	json_key(json, "message");
	message = er_format_message(program, result, rr);
	if (message == NULL)
		json->failed = 1;
	json_string(json, message != NULL ? message : info->message);
	free(message);

	json_key(json, "values");
	yajl_gen_map_open(gen);
	if (info->let_count > 0 && rr->values_count >= info->let_count) {
		uint32_t first = rr->values_first + rr->values_count - (uint32_t)info->let_count;

		for (size_t k = 0; k < info->let_count; k++) {
			er_rule_let let = er_program_rule_let(program, rr->rule, k);

			json_key(json, let.name);
			json_value(json, &result->values[first + k], let.unit_text);
		}
	}
	yajl_gen_map_close(gen);

	json_key(json, "basis");
	yajl_gen_array_open(gen);
	for (size_t k = 0; k < info->basis.count; k++)
		json_const(json, info->basis.items[k]);
	yajl_gen_array_close(gen);

	json_key(json, "facts_read");
	yajl_gen_array_open(gen);
	for (size_t k = 0; k < info->facts_read_count; k++) {
		uint32_t fact = info->facts_read[k];
		const er_fact_info *fact_info = er_program_fact(program, fact);

		yajl_gen_map_open(gen);
		json_key(json, "path");
		json_const(json, fact_info->path);
		json_key(json, "label");
		json_const(json, fact_info->label);
		json_key(json, "value");
		if (record->present[fact] && fact == er_program_unit_fact(json->program))
			json_string(json, record->unit_code);
		else if (record->present[fact])
			json_fact_value(json, fact, &record->slots[fact]);
		else
			yajl_gen_null(gen);
		yajl_gen_map_close(gen);
	}
	yajl_gen_array_close(gen);

	json_key(json, "missing");
	yajl_gen_array_open(gen);
	for (uint32_t k = 0; k < rr->missing_count; k++)
		json_fact_ref(json, result->missing[rr->missing_first + k]);
	yajl_gen_array_close(gen);
	json_key(json, "reference_data_missing");
	yajl_gen_bool(gen, rr->data_missing);

	json_key(json, "source");
	yajl_gen_map_open(gen);
	json_key(json, "file");
	json_const(json, info->source_file);
	json_key(json, "line");
	yajl_gen_integer(gen, info->line);
	json_key(json, "column");
	yajl_gen_integer(gen, info->col);
	yajl_gen_map_close(gen);
	yajl_gen_map_close(gen);
}

/* Rules in report order: those that apply by dimension, then the
 * undetermined ones, then those that failed. */
static void json_rules(report_json *json, const er_record *record, const er_result *result)
{
	yajl_gen_array_open(json->gen);
	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		for (size_t i = 0; i < result->rule_count; i++) {
			const er_rule_result *rr = &result->rules[i];

			if (rr->outcome == ER_OUT_APPLIES &&
			    (int)er_program_rule(json->program, rr->rule)->dimension == dim)
				json_rule(json, record, result, rr);
		}
	}
	for (size_t i = 0; i < result->rule_count; i++)
		if (result->rules[i].outcome == ER_OUT_UNDETERMINED)
			json_rule(json, record, result, &result->rules[i]);
	for (size_t i = 0; i < result->rule_count; i++)
		if (result->rules[i].outcome == ER_OUT_FAILED)
			json_rule(json, record, result, &result->rules[i]);
	yajl_gen_array_close(json->gen);
}

/* Stable code and Chinese name of a unit class, never translated. */
static const char *json_class_code(int unit_class)
{
	static const char *const codes[3] = { "priority_protection", "key_control", "general_control" };

	return unit_class >= 0 && unit_class < 3 ? codes[unit_class] : NULL;
}

static const char *json_class_zh(int unit_class)
{
	static const char *const words[3] = { "优先保护", "重点管控", "一般管控" };

	return unit_class >= 0 && unit_class < 3 ? words[unit_class] : NULL;
}

/* An attribute's value: as json_value gives, or for a set an array of
 * its value names. */
static void json_attr_value(report_json *json, const er_attr_info *info, const er_value *value)
{
	const er_program *program = json->program;

	/* An industry list is an array too: of its set's name, or of the
	 * GB/T 4754 codes of a set written as a list. A joined string would
	 * depend on --lang through its separator. */
	if (info->type == ER_FT_INDUSTRIES && !value->unknown && value->as.index < program->indset_count) {
		const pr_indset *set = &program->indsets[value->as.index];

		yajl_gen_array_open(json->gen);
		if (set->name != BC_NONE)
			json_string(json, pr_string(program, set->name));
		for (uint32_t i = 0; set->name == BC_NONE && i < set->count; i++)
			json_string(json, pr_string(program, set->codes[i]));
		yajl_gen_array_close(json->gen);
		return;
	}
	if (info->type != ER_FT_SET || value->unknown) {
		json_value(json, value, info->unit_text);
		return;
	}
	json_set_names(json, info->enum_index, value->as.bits);
}

/* The project's control unit (schema in docs/output.md), or null when the
 * rule set has no unit fact or the record does not give it. */
static void json_unit(report_json *json, const er_record *record)
{
	const er_program *program = json->program;
	yajl_gen gen = json->gen;
	uint32_t fact = er_program_unit_fact(program);
	uint32_t unit = record->unit_index;
	uint32_t county = record->county_index;
	int unit_class = record->unit_class;
	er_value area;
	int has_area = 0;

	if (fact == BC_NONE || !record->present[fact] || record->slots[fact].unknown) {
		yajl_gen_null(gen);
		return;
	}
	if (unit != BC_NONE) {
		county = er_program_unit_county(program, unit);
		unit_class = er_program_unit_class(program, unit);
		has_area = er_program_unit_area(program, unit, &area);
	}

	yajl_gen_map_open(gen);
	json_key(json, "code");
	json_string(json, record->unit_code);
	json_key(json, "name");
	json_string(json, er_program_unit_name(program, unit));
	json_key(json, "in_unit_table");
	yajl_gen_bool(gen, unit != BC_NONE);
	json_key(json, "county");
	json_string(json, er_program_county_name(program, county));
	json_key(json, "class");
	json_string(json, json_class_code(unit_class));
	json_key(json, "class_name");
	json_string(json, json_class_zh(unit_class));
	json_key(json, "area");
	if (has_area)
		json_value(json, &area, "平方公里");
	else
		yajl_gen_null(gen);

	json_key(json, "attributes");
	yajl_gen_array_open(gen);
	for (uint32_t attr = 0; attr < er_program_attr_count(program); attr++) {
		er_attr_info info;
		er_value value;
		int set;
		char path[256];

		if (er_program_attr(program, attr, &info) != 0)
			continue;
		if (info.owner == ER_ATTR_UNIT)
			set = unit != BC_NONE && er_program_unit_value(program, unit, attr, &value);
		else
			set = county != BC_NONE && er_program_county_value(program, county, attr, &value);
		if (!set)
			continue;
		snprintf(path, sizeof path, "%s.%s", info.owner == ER_ATTR_UNIT ? "unit" : "county", info.name);
		yajl_gen_map_open(gen);
		json_key(json, "path");
		json_string(json, path);
		json_key(json, "label");
		json_string(json, info.label);
		json_key(json, "value");
		json_attr_value(json, &info, &value);
		yajl_gen_map_close(gen);
	}
	yajl_gen_array_close(gen);
	yajl_gen_map_close(gen);
}

int report_json_record(report_json *json, const er_record *record, const er_result *result,
		       const char *prefix, const char *suffix)
{
	yajl_gen gen = json->gen;
	const unsigned char *text;
	size_t len;

	yajl_gen_map_open(gen);
	if (json->input != NULL) {
		json_key(json, "input");
		json_string(json, json->input);
	}
	json_key(json, "record");
	yajl_gen_integer(gen, (long long)record->number);
	json_key(json, "id");
	json_string(json, record->id);
	json_key(json, "valid");
	yajl_gen_bool(gen, result != NULL);
	json_key(json, "decision");
	if (result != NULL)
		json_string(json, report_decision_code(result->decision));
	else
		yajl_gen_null(gen);
	json_key(json, "decision_name");
	if (result != NULL)
		json_string(json, report_decision_zh(result->decision));
	else
		yajl_gen_null(gen);

	json_key(json, "unit");
	if (result != NULL)
		json_unit(json, record);
	else
		yajl_gen_null(gen);

	json_key(json, "rules");
	if (result != NULL) {
		json_rules(json, record, result);
	} else {
		yajl_gen_array_open(gen);
		yajl_gen_array_close(gen);
	}

	json_key(json, "missing_facts");
	yajl_gen_array_open(gen);
	for (size_t i = 0; result != NULL && i < result->needed_count; i++)
		json_fact_ref(json, result->needed[i]);
	yajl_gen_array_close(gen);

	json_key(json, "errors");
	yajl_gen_array_open(gen);
	for (size_t i = 0; i < record->error_count; i++) {
		const er_field_error *error = &record->errors[i];

		yajl_gen_map_open(gen);
		json_key(json, "field");
		json_string(json, error->field[0] != '\0' ? error->field : NULL);
		json_key(json, "path");
		json_string(json, error->fact < er_program_fact_count(json->program)
					  ? er_program_fact(json->program, error->fact)->path
					  : NULL);
		json_key(json, "message");
		json_string(json, error->message);
		yajl_gen_map_close(gen);
	}
	yajl_gen_array_close(gen);
	yajl_gen_map_close(gen);

	if (yajl_gen_get_buf(gen, &text, &len) != yajl_gen_status_ok ||
	    fputs(prefix, json->out) == EOF || fwrite(text, 1, len, json->out) != len ||
	    fputs(suffix, json->out) == EOF)
		json->failed = 1;
	yajl_gen_clear(gen);
	yajl_gen_reset(gen, NULL);
	if (json->failed || ferror(json->out)) {
		json->failed = 0;
		return -1;
	}
	return 0;
}
