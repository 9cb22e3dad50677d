/* Tests of er_record_*: converting input text to each fact type, good and
 * bad values, quantities with units, and control-unit codes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytecode.h"
#include "ecorule.h"
#include "i18n.h"
#include "support.h"

#define RULES "tests/data/facts/rules.rule"

static char bytecode_path[] = "/tmp/ecorule_test_record_XXXXXX";
static er_program *program;
static er_record *record;

/* Compile the test rule set once, before the tests fork. */
static void setup(void)
{
	er_error err = { .status = ER_OK };

	er_i18n_init("en");
	program = er_program_load_file(bytecode_path, &err);
	ck_assert_msg(program != NULL, "loading %s failed: %s", bytecode_path, err.message);
	record = er_record_new(program);
	ck_assert_ptr_nonnull(record);
}

static void teardown(void)
{
	er_record_free(record);
	er_program_free(program);
}

static uint32_t fact(const char *path)
{
	uint32_t index = er_program_find_fact(program, path, strlen(path));

	ck_assert_msg(index != BC_NONE, "no fact %s", path);
	return index;
}

static er_status set(const char *path, const char *text, int is_string)
{
	return er_record_set_text(record, fact(path), path, text, strlen(text), is_string);
}

static void assert_dec(const char *path, const char *expected)
{
	char buf[ER_DEC_TEXT_MAX];
	uint32_t index = fact(path);

	ck_assert_int_eq(record->present[index], 1);
	ck_assert_int_eq(record->slots[index].kind, ER_K_DEC);
	er_dec_format(er_dec_normalize(record->slots[index].as.dec), buf);
	ck_assert_str_eq(buf, expected);
}

static void assert_last_error(const char *field, const char *message)
{
	ck_assert_uint_gt(record->error_count, 0);
	ck_assert_str_eq(record->errors[record->error_count - 1].field, field);
	ck_assert_str_eq(record->errors[record->error_count - 1].message, message);
}

START_TEST(boolean_values)
{
	uint32_t index = fact("project.water_supply_related");

	ck_assert_int_eq(set("project.water_supply_related", "是", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].truth, ER_TRUE);
	ck_assert_int_eq(set("project.water_supply_related", "否", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].truth, ER_FALSE);
	ck_assert_int_eq(set("project.water_supply_related", "true", 0), ER_OK);
	ck_assert_int_eq(record->slots[index].truth, ER_TRUE);
	ck_assert_int_eq(set("project.water_supply_related", "false", 0), ER_OK);
	ck_assert_int_eq(record->slots[index].truth, ER_FALSE);
	ck_assert_int_eq(record->slots[index].unknown, 0);
	ck_assert_uint_eq(record->error_count, 0);
}

START_TEST(boolean_string_true_rejected)
{
	/* "true" as a JSON string is text, not a boolean. */
	ck_assert_int_eq(set("project.water_supply_related", "true", 1), ER_E_INPUT);
	assert_last_error("project.water_supply_related",
			  "\"true\" is a string here, not a boolean: write true or false without "
			  "quotes, or \"是\" or \"否\"");
	ck_assert_int_eq(set("project.water_supply_related", "maybe", 0), ER_E_INPUT);
	assert_last_error("project.water_supply_related",
			  "\"maybe\" is not a boolean: expected true, false, \"是\" or \"否\"");
	ck_assert_int_eq(record->present[fact("project.water_supply_related")], 0);
}

START_TEST(integer_values)
{
	ck_assert_int_eq(set("project.staff", "120", 0), ER_OK);
	assert_dec("project.staff", "120");
	ck_assert_int_eq(set("project.staff", "1.2e2", 0), ER_OK);
	assert_dec("project.staff", "120");
	ck_assert_int_eq(set("project.staff", " 7 ", 1), ER_OK);
	assert_dec("project.staff", "7");
	ck_assert_int_eq(set("project.staff", "1.5", 0), ER_E_INPUT);
	assert_last_error("project.staff", "\"1.5\" is not an integer");
	ck_assert_int_eq(set("project.staff", "many", 1), ER_E_INPUT);
}

START_TEST(number_values)
{
	ck_assert_int_eq(set("project.reuse_rate", "0.85", 0), ER_OK);
	assert_dec("project.reuse_rate", "0.85");
	ck_assert_int_eq(set("project.reuse_rate", "85e-2", 0), ER_OK);
	assert_dec("project.reuse_rate", "0.85");
	ck_assert_int_eq(set("project.reuse_rate", "abc", 1), ER_E_INPUT);
	assert_last_error("project.reuse_rate", "\"abc\" is not a number");
	ck_assert_int_eq(set("project.reuse_rate", "1e400", 0), ER_E_INPUT);
	assert_last_error("project.reuse_rate", "\"1e400\" is too large");
}

START_TEST(quantity_bare_number)
{
	/* A bare number is in the fact's declared unit, 吨/年. */
	ck_assert_int_eq(set("emission.new.SO2", "200", 0), ER_OK);
	assert_dec("emission.new.SO2", "200");
	ck_assert_int_eq(set("emission.new.SO2", "12.5", 1), ER_OK);
	assert_dec("emission.new.SO2", "12.5");
}

START_TEST(quantity_with_units)
{
	ck_assert_int_eq(set("emission.new.SO2", "200 万吨/年", 1), ER_OK);
	assert_dec("emission.new.SO2", "2000000");
	ck_assert_int_eq(set("emission.new.SO2", "3 吨/年", 1), ER_OK);
	assert_dec("emission.new.SO2", "3");
	ck_assert_int_eq(set("emission.rate", "2kg/h", 1), ER_OK);
	assert_dec("emission.rate", "2");
	ck_assert_int_eq(set("emission.rate", "500 克/小时", 1), ER_OK);
	assert_dec("emission.rate", "0.5");
	ck_assert_uint_eq(record->error_count, 0);
}

START_TEST(quantity_inexact_conversion)
{
	/* 1 吨/年 is 1000/8760 千克/小时, which has no exact decimal. */
	ck_assert_int_eq(set("emission.rate", "1 吨/年", 1), ER_E_INPUT);
	assert_last_error("emission.rate", "\"1 吨/年\" cannot be converted exactly to 千克/小时");
	ck_assert_int_eq(record->present[fact("emission.rate")], 0);
}

START_TEST(quantity_bad_values)
{
	ck_assert_int_eq(set("emission.new.SO2", "fifty", 1), ER_E_INPUT);
	assert_last_error("emission.new.SO2", "\"fifty\" is not a quantity in 吨/年");
	ck_assert_int_eq(set("emission.new.SO2", "5 米", 1), ER_E_INPUT);
	assert_last_error("emission.new.SO2", "\"5 米\" cannot be converted to 吨/年: the dimensions differ");
	ck_assert_int_eq(set("emission.new.SO2", "5 furlongs", 1), ER_E_INPUT);
	assert_last_error("emission.new.SO2",
			  "\"5 furlongs\": unknown unit \"furlongs\", expected a quantity in 吨/年");
	ck_assert_uint_eq(record->error_count, 3);
}

START_TEST(date_values)
{
	uint32_t index = fact("project.start");
	int32_t expected;

	ck_assert_int_eq(er_date_parse("2021-10-01", 10, &expected), 0);
	ck_assert_int_eq(set("project.start", "2021-10-01", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].as.date, expected);
	ck_assert_int_eq(set("project.start", "2021年10月1日", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].as.date, expected);
	ck_assert_int_eq(set("project.start", "2021-02-30", 1), ER_E_INPUT);
	assert_last_error("project.start",
			  "\"2021-02-30\" is not a date: expected YYYY-MM-DD or YYYY年M月D日");
}

START_TEST(string_values_survive_growth)
{
	uint32_t name = fact("project.name");
	uint32_t code = fact("project.industry");
	char long_text[3000];

	ck_assert_int_eq(set("project.industry", "C2521", 1), ER_OK);
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	/* Growing the text store moves it; the code set before must follow. */
	ck_assert_int_eq(set("project.name", long_text, 1), ER_OK);
	ck_assert_uint_eq(record->slots[name].as.str.len, sizeof long_text - 1);
	ck_assert_int_eq(memcmp(record->slots[name].as.str.ptr, long_text, sizeof long_text - 1), 0);
	ck_assert_uint_eq(record->slots[code].as.str.len, 4);
	ck_assert_int_eq(memcmp(record->slots[code].as.str.ptr, "2521", 4), 0);
}

START_TEST(string_keeps_spaces)
{
	uint32_t name = fact("project.name");

	ck_assert_int_eq(set("project.name", " 焦化 \"厂\" ", 1), ER_OK);
	ck_assert_uint_eq(record->slots[name].as.str.len, strlen(" 焦化 \"厂\" "));
}

START_TEST(code_values)
{
	uint32_t index = fact("project.industry");

	ck_assert_int_eq(set("project.industry", "C2521", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].kind, ER_K_CODE);
	ck_assert_uint_eq(record->slots[index].as.str.len, 4);
	ck_assert_int_eq(memcmp(record->slots[index].as.str.ptr, "2521", 4), 0);
	ck_assert_int_eq(set("project.industry", "31", 0), ER_OK);
	ck_assert_uint_eq(record->slots[index].as.str.len, 2);
	ck_assert_int_eq(set("project.industry", "25211", 1), ER_E_INPUT);
	ck_assert_int_eq(set("project.industry", "C", 1), ER_E_INPUT);
	ck_assert_int_eq(set("project.industry", "Z2521", 1), ER_E_INPUT);
	assert_last_error("project.industry",
			  "\"Z2521\" is not a GB/T 4754 industry code: expected an optional section "
			  "letter and 2 to 4 digits, such as \"C2521\"");
}

START_TEST(unit_in_table)
{
	uint32_t index = fact("site.unit");

	ck_assert_int_eq(set("site.unit", "ZH14052220003", 1), ER_OK);
	ck_assert_uint_ne(record->unit_index, BC_NONE);
	ck_assert_str_eq(er_program_unit_code(program, record->unit_index), "ZH14052220003");
	ck_assert_int_eq(record->slots[index].as.index, record->unit_index);
	ck_assert_int_eq(record->unit_class, ER_CLASS_KEY);
	ck_assert_uint_ne(record->county_index, BC_NONE);
	ck_assert_str_eq(er_program_county_name(program, record->county_index), "阳城县");
}

START_TEST(unit_outside_table)
{
	/* Not in the table: still a class, and a county from the division. */
	ck_assert_int_eq(set("site.unit", "ZH14052230099", 1), ER_OK);
	ck_assert_uint_eq(record->unit_index, BC_NONE);
	ck_assert_int_eq(record->unit_class, ER_CLASS_GENERAL);
	ck_assert_str_eq(er_program_county_name(program, record->county_index), "阳城县");
	/* The code itself is kept, so reports can name it. */
	ck_assert_str_eq(record->unit_code, "ZH14052230099");

	ck_assert_int_eq(set("site.unit", "ZH99999910001", 1), ER_OK);
	ck_assert_uint_eq(record->unit_index, BC_NONE);
	ck_assert_int_eq(record->unit_class, ER_CLASS_PRIORITY);
	ck_assert_uint_eq(record->county_index, BC_NONE);
	ck_assert_uint_eq(record->error_count, 0);
}

START_TEST(unit_malformed)
{
	ck_assert_int_eq(set("site.unit", "ZH1405222000", 1), ER_E_INPUT);
	ck_assert_int_eq(set("site.unit", "XX14052220003", 1), ER_E_INPUT);
	ck_assert_int_eq(set("site.unit", "ZH14052240003", 1), ER_E_INPUT);
	assert_last_error("site.unit",
			  "\"ZH14052240003\" is not a control-unit code: the class digit 4 is not 1, 2 or 3");
	ck_assert_int_eq(record->unit_class, -1);
}

START_TEST(enum_values)
{
	uint32_t index = fact("project.nature");

	ck_assert_int_eq(set("project.nature", "扩建", 1), ER_OK);
	ck_assert_int_eq(record->slots[index].kind, ER_K_ENUM);
	ck_assert_str_eq(er_program_enum_value(program, er_program_fact(program, index)->enum_index,
					       record->slots[index].as.index),
			 "扩建");
	ck_assert_int_eq(set("project.nature", "拆除", 1), ER_E_INPUT);
	assert_last_error("project.nature",
			  "\"拆除\" is not a value of 建设性质: expected one of 新建、改建、扩建");
}

START_TEST(set_values)
{
	uint32_t index = fact("site.zones");
	uint32_t enum_index = er_program_fact(program, index)->enum_index;
	uint32_t ban = er_program_find_enum_value(program, enum_index, "禁煤区", strlen("禁煤区"));
	uint32_t city = er_program_find_enum_value(program, enum_index, "城市规划区",
						   strlen("城市规划区"));

	ck_assert_int_eq(set("site.zones", "", 1), ER_OK);
	ck_assert_int_eq(record->present[index], 1);
	ck_assert_uint_eq(record->slots[index].as.bits, 0);
	ck_assert_int_eq(er_record_add_to_set(record, index, "site.zones", "禁煤区", strlen("禁煤区")),
			 ER_OK);
	ck_assert_uint_eq(record->slots[index].as.bits, (uint64_t)1 << ban);

	ck_assert_int_eq(set("site.zones", "禁煤区;城市规划区", 1), ER_OK);
	ck_assert_uint_eq(record->slots[index].as.bits, ((uint64_t)1 << ban) | ((uint64_t)1 << city));
	ck_assert_int_eq(set("site.zones", "城市规划区、禁煤区", 1), ER_OK);
	ck_assert_uint_eq(record->slots[index].as.bits, ((uint64_t)1 << ban) | ((uint64_t)1 << city));

	ck_assert_int_eq(set("site.zones", "禁煤区、湿地", 1), ER_E_INPUT);
	ck_assert_int_eq(er_record_add_to_set(record, index, "site.zones", "湿地", strlen("湿地")),
			 ER_E_INPUT);
	ck_assert_uint_eq(record->error_count, 2);
}

START_TEST(reset_forgets_values)
{
	uint32_t index = fact("project.nature");

	set("project.nature", "新建", 1);
	set("project.nature", "拆除", 1);
	set("site.unit", "ZH14052220003", 1);
	er_record_reset(record);
	ck_assert_int_eq(record->present[index], 0);
	ck_assert_int_eq(record->slots[index].unknown, 1);
	ck_assert_uint_eq(record->error_count, 0);
	ck_assert_uint_eq(record->unit_index, BC_NONE);
	ck_assert_int_eq(record->unit_class, -1);
}

START_TEST(many_errors_kept)
{
	for (int i = 0; i < 100; i++)
		set("project.staff", "x", 1);
	ck_assert_uint_eq(record->error_count, 100);
	er_record_add_error(record, BC_NONE, NULL, "whole record");
	assert_last_error("", "whole record");
}

START_TEST(long_value_cut_in_message)
{
	char text[400];

	memset(text, 'z', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	ck_assert_int_eq(set("project.staff", text, 1), ER_E_INPUT);
	ck_assert_ptr_nonnull(strstr(record->errors[0].message, "\xe2\x80\xa6"));
	ck_assert_uint_lt(strlen(record->errors[0].message), sizeof record->errors[0].message);
}

START_TEST(chinese_error_message)
{
	er_i18n_init("zh");
	ck_assert_int_eq(set("emission.new.SO2", "fifty", 1), ER_E_INPUT);
	assert_last_error("emission.new.SO2", "“fifty”不是以 吨/年 计的数量");
}

static Suite *record_suite(void)
{
	Suite *suite = suite_create("record");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, boolean_values);
	tcase_add_test(tc, boolean_string_true_rejected);
	tcase_add_test(tc, integer_values);
	tcase_add_test(tc, number_values);
	tcase_add_test(tc, quantity_bare_number);
	tcase_add_test(tc, quantity_with_units);
	tcase_add_test(tc, quantity_inexact_conversion);
	tcase_add_test(tc, quantity_bad_values);
	tcase_add_test(tc, date_values);
	tcase_add_test(tc, string_values_survive_growth);
	tcase_add_test(tc, string_keeps_spaces);
	tcase_add_test(tc, code_values);
	tcase_add_test(tc, unit_in_table);
	tcase_add_test(tc, unit_outside_table);
	tcase_add_test(tc, unit_malformed);
	tcase_add_test(tc, enum_values);
	tcase_add_test(tc, set_values);
	tcase_add_test(tc, reset_forgets_values);
	tcase_add_test(tc, many_errors_kept);
	tcase_add_test(tc, long_value_cut_in_message);
	tcase_add_test(tc, chinese_error_message);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	SRunner *runner;
	int failed;

	if (test_compile_rules(RULES, bytecode_path) != 0) {
		fprintf(stderr, "test_record: compiling %s failed\n", RULES);
		unlink(bytecode_path);
		/* Print a Check summary line so tests/run.sh counts the failure. */
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		return EXIT_FAILURE;
	}
	runner = srunner_create(record_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	unlink(bytecode_path);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
