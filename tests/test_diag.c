/* Check tests of diagnostics and the source table: golden text output
 * for every tests/golden/syntax/NAME.rule, JSON and SARIF writers, carets
 * under wide characters, and UTF-8 helpers. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "i18n.h"
#include "parse.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/syntax"

/* Parse `path` and return what `print` writes for its diagnostics. */
static char *diagnostics_of(const char *path, int (*print)(const diag_list *, const src_table *, FILE *))
{
	ast_arena *arena = ast_arena_new();
	src_table *sources = src_table_new();
	diag_list diags;
	diag_list_init(&diags);
	src_span none = { { 0, 0, 0 }, { 0, 0, 0 } };
	parse_load(arena, sources, path, none, &diags);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(print(&diags, sources, out), 0);
	fclose(out);
	diag_list_free(&diags);
	src_table_free(sources);
	ast_arena_free(arena);
	return text;
}

START_TEST(golden_syntax_diagnostics)
{
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_msg(dir != NULL, "cannot open %s; run the test from the repository root", GOLDEN_DIR);
	size_t checked = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		size_t len = strlen(entry->d_name);
		if (len < 6 || strcmp(entry->d_name + len - 5, ".rule") != 0)
			continue;
		char input[512], expected_path[512];
		snprintf(input, sizeof input, "%s/%s", GOLDEN_DIR, entry->d_name);
		snprintf(expected_path, sizeof expected_path, "%s/%.*s.expected", GOLDEN_DIR,
			 (int)(len - 5), entry->d_name);
		char *expected = test_read_file(expected_path, NULL);
		ck_assert_msg(expected != NULL, "missing %s", expected_path);
		char *actual = diagnostics_of(input, diag_print_text);
		ck_assert_msg(strcmp(expected, actual) == 0, "%s differs:\n--- expected\n%s--- actual\n%s",
			      input, expected, actual);
		free(expected);
		free(actual);
		checked++;
	}
	closedir(dir);
	ck_assert_uint_ge(checked, 5);
}
END_TEST

START_TEST(caret_under_chinese_text)
{
	src_table *sources = src_table_new();
	const char *text = "  当 项目.性质 > 2 千克\n";
	uint32_t file = src_add(sources, "rules/x.rule", text, strlen(text));
	diag_list diags;
	diag_list_init(&diags);
	src_span span = { { file, 1, 13 }, { file, 1, 17 } };
	diag_error(&diags, DIAG_E0001, span, "cannot compare %s with %s", "吨/年", "千克");
	src_span decl = { { file, 1, 5 }, { file, 1, 10 } };
	diag_note(&diags, decl, "'%s' declared here", "项目.性质");
	char *out = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&out, &size);
	diag_print_text(&diags, sources, fp);
	fclose(fp);
	ck_assert_str_eq(out,
			 "rules/x.rule:1:13: error[E0001]: cannot compare 吨/年 with 千克\n"
			 "    1 |   当 项目.性质 > 2 千克\n"
			 "      |                  ^~~~~~\n"
			 "rules/x.rule:1:5: note: '项目.性质' declared here\n");
	free(out);
	diag_list_free(&diags);
	src_table_free(sources);
}
END_TEST

START_TEST(tabs_expand_to_eight)
{
	const char line[] = "\tab\t中c";
	ck_assert_uint_eq(src_display_width(line, strlen(line), 1), 8);
	ck_assert_uint_eq(src_display_width(line, strlen(line), 3), 10);
	ck_assert_uint_eq(src_display_width(line, strlen(line), 4), 16);
	ck_assert_uint_eq(src_display_width(line, strlen(line), 5), 18);
	ck_assert_int_eq(src_char_width(0xFF0C), 2);
	ck_assert_int_eq(src_char_width(0x4E2D), 2);
	ck_assert_int_eq(src_char_width(0x20000), 2);
	ck_assert_int_eq(src_char_width('a'), 1);
	ck_assert_int_eq(src_char_width(0x0301), 0);
}
END_TEST

START_TEST(source_lines_and_positions)
{
	src_table *sources = src_table_new();
	const char text[] = "\xEF\xBB\xBF" "一二\r\nabc\n\nlast";
	uint32_t file = src_add(sources, "a.rule", text, sizeof text - 1);
	ck_assert_uint_eq(src_line_count(sources, file), 4);
	size_t len;
	const char *line = src_line(sources, file, 1, &len);
	ck_assert_uint_eq(len, 6);
	ck_assert(memcmp(line, "一二", 6) == 0);
	line = src_line(sources, file, 4, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_ptr_null(src_line(sources, file, 5, &len));
	src_pos pos = src_pos_at(sources, file, 3);
	ck_assert_uint_eq(pos.line, 1);
	ck_assert_uint_eq(pos.col, 2);
	pos = src_pos_at(sources, file, 9);
	ck_assert_uint_eq(pos.line, 2);
	ck_assert_uint_eq(pos.col, 2);
	ck_assert_uint_eq(src_find(sources, "a.rule"), file);
	ck_assert_uint_eq(src_find(sources, "b.rule"), SRC_NONE);
	src_table_free(sources);
}
END_TEST

START_TEST(utf8_check_finds_offset)
{
	ck_assert_uint_eq(src_utf8_check("ab中", 5), SRC_UTF8_OK);
	ck_assert_uint_eq(src_utf8_check("ab\xE4\xB8", 4), 2);
	ck_assert_uint_eq(src_utf8_check("\xED\xA0\x80", 3), 0);  /* surrogate */
	ck_assert_uint_eq(src_utf8_check("x\xF4\x90\x80\x80", 5), 1); /* past U+10FFFF */
	uint32_t cp;
	ck_assert_uint_eq(src_utf8_decode("\xF0\xA0\x80\x80", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x20000);
}
END_TEST

START_TEST(code_table_lookup)
{
	ck_assert_str_eq(diag_code_name(DIAG_E0007), "E0007");
	ck_assert_int_eq(diag_code_find("e0007"), DIAG_E0007);
	ck_assert_int_eq(diag_code_find("E9999"), DIAG_CODE_COUNT);
	ck_assert_ptr_null(diag_code_name(DIAG_CODE_COUNT));
	for (unsigned i = 0; i < DIAG_CODE_COUNT; i++) {
		ck_assert_ptr_nonnull(diag_code_title((diag_code)i));
		ck_assert_ptr_nonnull(diag_code_explanation((diag_code)i));
	}
}
END_TEST

static const char *object_string(yajl_val object, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(object, path, yajl_t_string);
	return v ? YAJL_GET_STRING(v) : NULL;
}

static long long object_integer(yajl_val object, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(object, path, yajl_t_number);
	ck_assert_msg(v != NULL && YAJL_IS_INTEGER(v), "no integer '%s'", key);
	return YAJL_GET_INTEGER(v);
}

static yajl_val object_member(yajl_val object, const char *key, yajl_type type)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(object, path, type);
	ck_assert_msg(v != NULL, "no member '%s' of the expected type", key);
	return v;
}

START_TEST(json_output_fields)
{
	char *text = diagnostics_of(GOLDEN_DIR "/unclosed_rule.rule", diag_print_json);
	char error[256];
	yajl_val root = yajl_tree_parse(text, error, sizeof error);
	ck_assert_msg(root != NULL, "invalid JSON: %s", error);
	ck_assert(YAJL_IS_ARRAY(root));
	ck_assert_uint_eq(YAJL_GET_ARRAY(root)->len, 1);
	yajl_val d = YAJL_GET_ARRAY(root)->values[0];
	ck_assert_str_eq(object_string(d, "file"), GOLDEN_DIR "/unclosed_rule.rule");
	ck_assert_int_eq(object_integer(d, "line"), 6);
	ck_assert_int_eq(object_integer(d, "column"), 1);
	ck_assert_int_eq(object_integer(d, "end_line"), 6);
	ck_assert_int_eq(object_integer(d, "end_column"), 5);
	ck_assert_str_eq(object_string(d, "severity"), "error");
	ck_assert_str_eq(object_string(d, "code"), "E0007");
	ck_assert_ptr_nonnull(strstr(object_string(d, "message"), "ZH14052220003.layout.2"));
	yajl_val notes = object_member(d, "notes", yajl_t_array);
	ck_assert_uint_eq(YAJL_GET_ARRAY(notes)->len, 1);
	yajl_val note = YAJL_GET_ARRAY(notes)->values[0];
	ck_assert_int_eq(object_integer(note, "line"), 1);
	ck_assert_ptr_nonnull(object_string(note, "message"));
	yajl_tree_free(root);
	free(text);
}
END_TEST

START_TEST(sarif_output_fields)
{
	char *text = diagnostics_of(GOLDEN_DIR "/chinese_caret.rule", diag_print_sarif);
	char error[256];
	yajl_val root = yajl_tree_parse(text, error, sizeof error);
	ck_assert_msg(root != NULL, "invalid JSON: %s", error);
	ck_assert_str_eq(object_string(root, "version"), "2.1.0");
	ck_assert_ptr_nonnull(object_string(root, "$schema"));
	yajl_val runs = object_member(root, "runs", yajl_t_array);
	ck_assert_uint_eq(YAJL_GET_ARRAY(runs)->len, 1);
	yajl_val run = YAJL_GET_ARRAY(runs)->values[0];

	const char *driver_path[] = { "tool", "driver", NULL };
	yajl_val driver = yajl_tree_get(run, driver_path, yajl_t_object);
	ck_assert_ptr_nonnull(driver);
	ck_assert_str_eq(object_string(driver, "name"), "rulec");
	yajl_val rules = object_member(driver, "rules", yajl_t_array);
	ck_assert_uint_eq(YAJL_GET_ARRAY(rules)->len, DIAG_CODE_COUNT);
	yajl_val first_rule = YAJL_GET_ARRAY(rules)->values[0];
	ck_assert_str_eq(object_string(first_rule, "id"), "E0001");
	const char *short_path[] = { "shortDescription", "text", NULL };
	ck_assert_ptr_nonnull(yajl_tree_get(first_rule, short_path, yajl_t_string));

	yajl_val results = object_member(run, "results", yajl_t_array);
	ck_assert_uint_eq(YAJL_GET_ARRAY(results)->len, 2);
	yajl_val result = YAJL_GET_ARRAY(results)->values[1];
	ck_assert_str_eq(object_string(result, "ruleId"), "E0003");
	ck_assert_int_eq(object_integer(result, "ruleIndex"), DIAG_E0003);
	ck_assert_str_eq(object_string(result, "level"), "error");
	const char *message_path[] = { "message", "text", NULL };
	ck_assert_ptr_nonnull(yajl_tree_get(result, message_path, yajl_t_string));
	yajl_val locations = object_member(result, "locations", yajl_t_array);
	yajl_val location = YAJL_GET_ARRAY(locations)->values[0];
	const char *uri_path[] = { "physicalLocation", "artifactLocation", "uri", NULL };
	yajl_val uri = yajl_tree_get(location, uri_path, yajl_t_string);
	ck_assert_ptr_nonnull(uri);
	ck_assert_str_eq(YAJL_GET_STRING(uri), GOLDEN_DIR "/chinese_caret.rule");
	const char *line_path[] = { "physicalLocation", "region", "startLine", NULL };
	const char *col_path[] = { "physicalLocation", "region", "startColumn", NULL };
	ck_assert_int_eq(YAJL_GET_INTEGER(yajl_tree_get(location, line_path, yajl_t_number)), 5);
	ck_assert_int_eq(YAJL_GET_INTEGER(yajl_tree_get(location, col_path, yajl_t_number)), 19);
	yajl_tree_free(root);
	free(text);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *suite = suite_create("diag");
	TCase *tc = tcase_create("output");
	tcase_add_test(tc, golden_syntax_diagnostics);
	tcase_add_test(tc, caret_under_chinese_text);
	tcase_add_test(tc, tabs_expand_to_eight);
	tcase_add_test(tc, source_lines_and_positions);
	tcase_add_test(tc, utf8_check_finds_offset);
	tcase_add_test(tc, code_table_lookup);
	tcase_add_test(tc, json_output_fields);
	tcase_add_test(tc, sarif_output_fields);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *runner = srunner_create(diag_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
