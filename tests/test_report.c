/* Golden tests of the text and JSON reports over two small rule sets
 * compiled by rulec: one with a fact of every type, and one whose unit
 * table sets unit and county attributes for the control-unit section.
 * Also the reference-data accessors of ecorule.h. ECORULE_UPDATE_GOLDEN=1
 * rewrites the golden files from the current output. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>
#include <unistd.h>

#include "ecorule.h"
#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "support.h"

#define RULES "tests/data/facts/rules.rule"
#define RECORDS "tests/data/facts/report.jsonl"
#define GOLDEN_DIR "tests/golden/report/"
#define UNIT_RULES "tests/data/report/units.rule"
#define UNIT_RECORDS "tests/data/report/units.jsonl"
#define AS_OF "2024-01-01"

static char bytecode_path[] = "/tmp/ecorule_test_report_XXXXXX";
static char unit_bytecode_path[] = "/tmp/ecorule_test_report_units_XXXXXX";

typedef struct report_run {
	const er_program *program;
	report_writer *writer;
	er_result result;
	int32_t as_of;
} report_run;

static int report_record(er_record *record, void *context)
{
	report_run *run = context;

	if (record->error_count > 0) {
		ck_assert_int_eq(report_write(run->writer, record, NULL), 0);
		return 0;
	}
	ck_assert_int_eq(er_eval(run->program, record, run->as_of, &run->result), ER_OK);
	ck_assert_int_eq(report_write(run->writer, record, &run->result), 0);
	return 0;
}

/* The whole report of `records` over the bytecode file `bytecode`, in
 * one format and language, malloc'ed. */
static char *render_file(const char *bytecode, const char *records, report_format format,
			 const char *lang, size_t *size)
{
	er_error err = { .status = ER_OK };
	er_program *program;
	report_run run = { 0 };
	char *text = NULL;
	FILE *out = open_memstream(&text, size);
	FILE *in = fopen(records, "rb");
	facts_options options = { .format = FACTS_JSONL, .name = records, .on_record = report_record,
				  .context = &run };

	ck_assert_int_eq(er_i18n_init(lang), 0);
	program = er_program_load_file(bytecode, &err);
	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(er_date_parse(AS_OF, strlen(AS_OF), &run.as_of), 0);
	run.program = program;
	er_result_init(&run.result);
	run.writer = report_writer_new(out, format, program);
	ck_assert_ptr_nonnull(run.writer);
	ck_assert_int_eq(report_begin(run.writer, 0), 0);
	ck_assert_int_eq(facts_read(program, in, &options, &err), ER_OK);
	ck_assert_int_eq(report_end(run.writer), 0);
	report_writer_free(run.writer);
	er_result_free(&run.result);
	er_program_free(program);
	fclose(in);
	fclose(out);
	return text;
}

static char *render(report_format format, const char *lang, size_t *size)
{
	return render_file(bytecode_path, RECORDS, format, lang, size);
}

/* Compare the report of `records` with the golden file, naming the
 * first line that differs. */
static void check_golden_of(const char *bytecode, const char *records, const char *name,
			    report_format format, const char *lang)
{
	char path[256];
	size_t size, golden_size = 0;
	char *output = render_file(bytecode, records, format, lang, &size);
	char *golden;

	snprintf(path, sizeof path, GOLDEN_DIR "%s", name);
	if (getenv("ECORULE_UPDATE_GOLDEN") != NULL) {
		FILE *out = fopen(path, "wb");

		ck_assert_ptr_nonnull(out);
		fwrite(output, 1, size, out);
		fclose(out);
	}
	golden = test_read_file(path, &golden_size);
	ck_assert_msg(golden != NULL, "missing golden file %s", path);
	if (size != golden_size || memcmp(output, golden, size) != 0) {
		size_t line = 1, i = 0;

		while (i < size && i < golden_size && output[i] == golden[i])
			line += output[i++] == '\n';
		ck_abort_msg("%s differs from the output at line %zu; run with "
			     "ECORULE_UPDATE_GOLDEN=1 to see the new output in the file",
			     path, line);
	}
	free(golden);
	free(output);
}

static void check_golden(const char *name, report_format format, const char *lang)
{
	check_golden_of(bytecode_path, RECORDS, name, format, lang);
}

START_TEST(text_report_chinese)
{
	check_golden("report.zh.txt", REPORT_TEXT, "zh");
}
END_TEST

START_TEST(text_report_english)
{
	check_golden("report.en.txt", REPORT_TEXT, "en");
}
END_TEST

START_TEST(json_report)
{
	check_golden("report.jsonl", REPORT_JSONL, "en");
}
END_TEST

START_TEST(csv_report_chinese)
{
	check_golden("report.zh.csv", REPORT_CSV, "zh");
}
END_TEST

/* Each CSV row has the header's number of cells, however the cells are
 * quoted, so a spreadsheet lines them up. */
START_TEST(csv_report_rows_aligned)
{
	size_t size;
	char *text = render(REPORT_CSV, "en", &size);
	size_t header_cells = 0, cells = 1, rows = 0;
	int quoted = 0;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < size; i++) {
		char c = text[i];
		if (c == '"') {
			quoted = !quoted;
		} else if (!quoted && c == ',') {
			cells++;
		} else if (!quoted && c == '\n') {
			if (rows == 0)
				header_cells = cells;
			ck_assert_uint_eq(cells, header_cells);
			rows++;
			cells = 1;
		}
	}
	ck_assert_int_eq(quoted, 0);
	ck_assert_uint_eq(header_cells, 16);
	ck_assert_uint_gt(rows, 2);
	free(text);
}
END_TEST

/* Titles, bases and labels are escaped once and reused: quotes,
 * backslashes and newlines must come back unchanged, record after record. */
START_TEST(json_constants_escaped)
{
	char path[] = "/tmp/ecorule_test_escapes_XXXXXX";
	char records[] = "/tmp/ecorule_test_escapes_records_XXXXXX";
	int fd = mkstemp(records);
	size_t size;
	char *text, *line;

	ck_assert_int_eq(test_compile_rules("tests/data/report/escapes.rule", path), 0);
	ck_assert_int_ge(fd, 0);
	const char *input = "{\"x\":\"a\"}\n{\"x\":\"a\"}\n";
	ck_assert_int_eq(write(fd, input, strlen(input)), (ssize_t)strlen(input));
	close(fd);
	text = render_file(path, records, REPORT_JSONL, "en", &size);
	ck_assert_ptr_nonnull(text);
	line = text;
	for (int n = 0; n < 2; n++) {
		char *end = strchr(line, '\n');
		char error[256];
		yajl_val root, rule;
		const char *title_path[] = { "title", NULL };
		const char *label_path[] = { "label", NULL };

		ck_assert_ptr_nonnull(end);
		*end = '\0';
		root = yajl_tree_parse(line, error, sizeof error);
		ck_assert_msg(root != NULL, "record %d is not JSON: %s", n + 1, error);
		rule = YAJL_GET_ARRAY(yajl_tree_get(root, (const char *[]){ "rules", NULL }, yajl_t_array))
			       ->values[0];
		ck_assert_str_eq(YAJL_GET_STRING(yajl_tree_get(rule, title_path, yajl_t_string)), "t\"q\\");
		ck_assert_str_eq(YAJL_GET_STRING(YAJL_GET_ARRAY(yajl_tree_get(rule, (const char *[]){ "basis", NULL },
									      yajl_t_array))->values[0]),
				 "b\n2");
		ck_assert_str_eq(YAJL_GET_STRING(yajl_tree_get(
					 YAJL_GET_ARRAY(yajl_tree_get(rule, (const char *[]){ "facts_read", NULL },
								       yajl_t_array))->values[0],
					 label_path, yajl_t_string)),
				 "标\"签\\x");
		yajl_tree_free(root);
		line = end + 1;
	}
	free(text);
	unlink(path);
	unlink(records);
}
END_TEST

START_TEST(json_report_lines_parse)
{
	/* Every line is one object with the keys docs/output.md promises. */
	size_t size;
	char *output = render(REPORT_JSONL, "zh", &size);
	size_t lines = 0;
	static const char *const keys[] = { "\"record\":", "\"id\":", "\"valid\":", "\"decision\":",
					     "\"decision_name\":", "\"rules\":", "\"missing_facts\":",
					     "\"errors\":" };

	for (char *line = strtok(output, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		lines++;
		ck_assert_int_eq(line[0], '{');
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			ck_assert_msg(strstr(line, keys[k]) != NULL, "line %zu lacks %s", lines, keys[k]);
	}
	ck_assert_uint_eq(lines, 6);
	free(output);
}
END_TEST

START_TEST(unit_section_text_chinese)
{
	check_golden_of(unit_bytecode_path, UNIT_RECORDS, "units.zh.txt", REPORT_TEXT, "zh");
}
END_TEST

START_TEST(unit_section_text_english)
{
	check_golden_of(unit_bytecode_path, UNIT_RECORDS, "units.en.txt", REPORT_TEXT, "en");
}
END_TEST

START_TEST(unit_section_json)
{
	check_golden_of(unit_bytecode_path, UNIT_RECORDS, "units.jsonl", REPORT_JSONL, "en");
}
END_TEST

/* The JSON of the unit section does not depend on the language. */
START_TEST(unit_section_json_same_in_chinese)
{
	size_t size_en, size_zh;
	char *english = render_file(unit_bytecode_path, UNIT_RECORDS, REPORT_JSONL, "en", &size_en);
	char *chinese = render_file(unit_bytecode_path, UNIT_RECORDS, REPORT_JSONL, "zh", &size_zh);
	const char *unit_en = strstr(english, "\"unit\":");
	const char *unit_zh = strstr(chinese, "\"unit\":");
	const char *rules_en = strstr(english, "\"rules\":");

	ck_assert_ptr_nonnull(unit_en);
	ck_assert_ptr_nonnull(unit_zh);
	ck_assert_ptr_nonnull(rules_en);
	ck_assert_int_eq(strncmp(unit_en, unit_zh, (size_t)(rules_en - unit_en)), 0);
	free(english);
	free(chinese);
}
END_TEST

/* The JSON format is one array whose elements are the JSON Lines
 * format's objects, in the same order. */
START_TEST(json_array_holds_lines)
{
	size_t array_size, lines_size;
	char *array = render(REPORT_JSON, "en", &array_size);
	char *lines = render(REPORT_JSONL, "en", &lines_size);
	char error[256];
	yajl_val root = yajl_tree_parse(array, error, sizeof error);
	size_t n = 0;

	ck_assert_msg(root != NULL, "the JSON report is not one JSON document: %s", error);
	ck_assert(YAJL_IS_ARRAY(root));
	ck_assert_int_eq(strncmp(array, "[\n{", 3), 0);
	ck_assert(test_ends_with(array, "}\n]\n"));
	/* Element i is line i, written after "[\n" or ",\n". */
	const char *element = array + 2;
	for (char *line = strtok(lines, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		size_t len = strlen(line);

		ck_assert_msg(strncmp(element, line, len) == 0, "element %zu differs from its line", n);
		element += len + 2;
		n++;
	}
	ck_assert_uint_eq(YAJL_GET_ARRAY(root)->len, n);
	ck_assert_uint_eq(n, 6);
	yajl_tree_free(root);
	free(array);
	free(lines);
}
END_TEST

/* An empty JSON report is an empty array; an empty CSV report has its
 * header row only; report_begin writes the byte-order mark on request. */
START_TEST(empty_reports_and_bom)
{
	char *text = NULL;
	size_t size = 0;
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(bytecode_path, &err);
	FILE *out;
	report_writer *writer;

	ck_assert_ptr_nonnull(program);
	out = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(out);
	writer = report_writer_new(out, REPORT_JSON, program);
	ck_assert_int_eq(report_begin(writer, 0), 0);
	ck_assert_int_eq(report_end(writer), 0);
	report_writer_free(writer);
	writer = report_writer_new(out, REPORT_CSV, program);
	ck_assert_int_eq(report_begin(writer, 1), 0);
	ck_assert_int_eq(report_end(writer), 0);
	report_writer_free(writer);
	fclose(out);
	ck_assert_int_eq(strncmp(text, "[]\n\xef\xbb\xbf\"record\",", 15), 0);
	ck_assert_int_eq(text[size - 1], '\n');
	/* The header row is the only line after the array. */
	ck_assert_ptr_eq(strchr(text + 3, '\n'), text + size - 1);
	free(text);
	er_program_free(program);
}
END_TEST

/* The CSV counts the applying rules per verdict, strictest first, and
 * leaves the counts empty for an invalid record. */
START_TEST(csv_counts_per_verdict)
{
	size_t size;
	char *text = render(REPORT_CSV, "en", &size);
	char *row;
	int checked = 0;

	ck_assert_ptr_nonnull(strstr(text, "\"forbid rules applying\",\"restrict rules applying\","
					  "\"require rules applying\",\"exit rules applying\","
					  "\"guide rules applying\""));
	for (row = strtok(text, "\n"); row != NULL; row = strtok(NULL, "\n")) {
		unsigned forbid, restrict_, require, exit_, guide;
		char code[32];

		if (sscanf(row, "\"%*[^\"]\",\"%*[^\"]\",\"%*[^\"]\",\"%31[^\"]\",\"%u\",\"%u\",\"%u\",\"%u\",\"%u\"",
			   code, &forbid, &restrict_, &require, &exit_, &guide) == 6) {
			checked++;
			if (strcmp(code, "rejected") == 0)
				ck_assert_uint_gt(forbid, 0);
			if (strcmp(code, "restricted") == 0)
				ck_assert_uint_gt(restrict_, 0);
			if (strcmp(code, "admitted") == 0)
				ck_assert_uint_eq(forbid + restrict_ + require + exit_, 0);
		} else if (strstr(row, "\"invalid\"") != NULL) {
			ck_assert_ptr_nonnull(strstr(row, "\"invalid\",\"\",\"\",\"\",\"\",\"\","));
		}
	}
	ck_assert_int_gt(checked, 2);
	free(text);
}
END_TEST

/* Index of a unit or county attribute by name, or 0xFFFFFFFF. */
static uint32_t attr_index(const er_program *program, er_attr_owner owner, const char *name)
{
	for (uint32_t i = 0; i < er_program_attr_count(program); i++) {
		er_attr_info info;

		if (er_program_attr(program, i, &info) == 0 && info.owner == owner && strcmp(info.name, name) == 0)
			return i;
	}
	return 0xFFFFFFFFu;
}

START_TEST(reference_data_accessors)
{
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(unit_bytecode_path, &err);
	uint32_t unit, county, ratio, share, smog, farmland;
	er_attr_info info;
	er_value value, area;
	char text[64];

	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	ck_assert_uint_eq(er_program_attr_count(program), 7);
	ck_assert_int_eq(er_program_attr(program, 7, &info), -1);

	unit = er_program_find_unit(program, "ZH14052220003", 13);
	ck_assert_uint_ne(unit, 0xFFFFFFFFu);
	county = er_program_unit_county(program, unit);
	ck_assert_str_eq(er_program_county_name(program, county), "阳城县");
	ck_assert_int_eq(er_program_unit_class(program, unit), ER_CLASS_KEY);
	ck_assert_int_eq(er_program_unit_area(program, unit, &area), 1);
	er_format_value(program, &area, "平方公里", text, sizeof text);
	ck_assert_str_eq(text, "4.039971 平方公里");

	share = attr_index(program, ER_ATTR_UNIT, "居住用地占比");
	ck_assert_uint_ne(share, 0xFFFFFFFFu);
	ck_assert_int_eq(er_program_attr(program, share, &info), 0);
	ck_assert_str_eq(info.label, "居住用地占比");
	ck_assert_int_eq(info.type, ER_FT_QUANTITY);
	ck_assert_str_eq(info.unit_text, "%");
	ck_assert_int_eq(er_program_unit_value(program, unit, share, &value), 1);
	er_format_value(program, &value, info.unit_text, text, sizeof text);
	ck_assert_str_eq(text, "15.7%");

	ratio = attr_index(program, ER_ATTR_UNIT, "PM25超标倍数");
	ck_assert_int_eq(er_program_unit_value(program, unit, ratio, &value), 1);
	er_format_value(program, &value, NULL, text, sizeof text);
	ck_assert_str_eq(text, "0.4");

	/* Not set, out of range, or of the other owner: no value. */
	farmland = attr_index(program, ER_ATTR_UNIT, "基本农田");
	ck_assert_int_eq(er_program_unit_value(program, unit, farmland, &value), 0);
	ck_assert_int_eq(er_program_unit_value(program, 99, share, &value), 0);
	smog = attr_index(program, ER_ATTR_COUNTY, "大气超标");
	ck_assert_uint_ne(smog, 0xFFFFFFFFu);
	ck_assert_int_eq(er_program_unit_value(program, unit, smog, &value), 0);
	ck_assert_int_eq(er_program_county_value(program, county, share, &value), 0);

	ck_assert_int_eq(er_program_county_value(program, county, smog, &value), 1);
	ck_assert_int_eq(value.kind, ER_K_BOOL);
	ck_assert_int_eq(value.truth, ER_TRUE);
	county = er_program_unit_county(program, er_program_find_unit(program, "ZH14052420001", 13));
	ck_assert_str_eq(er_program_county_name(program, county), "陵川县");
	ck_assert_int_eq(er_program_county_value(program, county, smog, &value), 0);

	ck_assert_uint_eq(er_program_unit_county(program, 99), 0xFFFFFFFFu);
	ck_assert_int_eq(er_program_unit_class(program, 99), -1);
	ck_assert_int_eq(er_program_unit_area(program, 99, &area), 0);
	er_program_free(program);
}
END_TEST

START_TEST(stable_names)
{
	ck_assert_str_eq(report_decision_code(ER_DECISION_REJECTED), "rejected");
	ck_assert_str_eq(report_decision_zh(ER_DECISION_NEEDS_INFO), "待补充信息");
	ck_assert_str_eq(report_verdict_code(ER_VERDICT_FORBID), "forbid");
	ck_assert_str_eq(report_verdict_zh(ER_VERDICT_EXIT), "退出");
	ck_assert_str_eq(report_dimension_code(ER_DIM_RESOURCE), "resource");
	ck_assert_str_eq(report_dimension_zh(ER_DIM_LAYOUT), "空间布局约束");
	ck_assert_str_eq(report_outcome_code(ER_OUT_UNDETERMINED), "undetermined");
	ck_assert_str_eq(report_check_code(ER_CHECK_ATTACHED), "attached");
}
END_TEST

START_TEST(enum_value_named_by_its_fact)
{
	/* An er_value carries no enumeration index: a value of the second
	 * enumeration must still print with that enumeration's names. */
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(bytecode_path, &err);
	er_record *record;
	uint32_t fact;
	char *text;

	ck_assert_ptr_nonnull(program);
	record = er_record_new(program);
	ck_assert_ptr_nonnull(record);
	fact = er_program_find_fact(program, "site.main_zone", strlen("site.main_zone"));
	ck_assert_uint_ne(fact, 0xFFFFFFFFu);
	ck_assert_int_eq(er_record_set_text(record, fact, NULL, "禁煤区", strlen("禁煤区"), 1), ER_OK);
	text = report_fact_text(program, fact, &record->slots[fact]);
	ck_assert_str_eq(text, "禁煤区");
	free(text);
	er_record_free(record);
	er_program_free(program);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *suite = suite_create("report");
	TCase *tc = tcase_create("golden");

	tcase_add_test(tc, text_report_chinese);
	tcase_add_test(tc, text_report_english);
	tcase_add_test(tc, json_report);
	tcase_add_test(tc, json_report_lines_parse);
	tcase_add_test(tc, json_constants_escaped);
	tcase_add_test(tc, csv_report_chinese);
	tcase_add_test(tc, csv_report_rows_aligned);
	tcase_add_test(tc, json_array_holds_lines);
	tcase_add_test(tc, empty_reports_and_bom);
	tcase_add_test(tc, csv_counts_per_verdict);
	tcase_add_test(tc, unit_section_text_chinese);
	tcase_add_test(tc, unit_section_text_english);
	tcase_add_test(tc, unit_section_json);
	tcase_add_test(tc, unit_section_json_same_in_chinese);
	tcase_add_test(tc, reference_data_accessors);
	tcase_add_test(tc, stable_names);
	tcase_add_test(tc, enum_value_named_by_its_fact);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	SRunner *runner;
	int failed;

	if (test_compile_rules(RULES, bytecode_path) != 0 ||
	    test_compile_rules(UNIT_RULES, unit_bytecode_path) != 0) {
		fprintf(stderr, "test_report: compiling %s or %s failed\n", RULES, UNIT_RULES);
		unlink(bytecode_path);
		unlink(unit_bytecode_path);
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		return EXIT_FAILURE;
	}
	runner = srunner_create(report_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	unlink(bytecode_path);
	unlink(unit_bytecode_path);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
