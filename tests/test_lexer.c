/* Check tests of the scanner: keywords in both languages, identifiers,
 * paths, quantities, dates, strings, character columns and bad input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"
#include "i18n.h"
#include "parse.h"
#include "parser.h"

typedef struct scan {
	ast_arena *arena;
	src_table *sources;
	diag_list diags;
	parse_token *tokens;
	size_t count;
} scan;

static void scan_text(scan *s, const char *text)
{
	s->arena = ast_arena_new();
	s->sources = src_table_new();
	diag_list_init(&s->diags);
	uint32_t file = src_add(s->sources, "test.rule", text, strlen(text));
	s->count = parse_tokens(s->arena, s->sources, file, &s->diags, &s->tokens);
}

static void scan_free(scan *s)
{
	diag_list_free(&s->diags);
	src_table_free(s->sources);
	ast_arena_free(s->arena);
}

static int32_t date_of(const char *text)
{
	int32_t days = 0;
	ck_assert_int_eq(er_date_parse(text, strlen(text), &days), 0);
	return days;
}

START_TEST(keywords_english_and_chinese)
{
	static const struct {
		const char *text;
		int kind;
	} cases[] = {
		{ "import", KW_IMPORT }, { "导入", KW_IMPORT },
		{ "enum", KW_ENUM }, { "枚举", KW_ENUM },
		{ "fact", KW_FACT }, { "事实", KW_FACT },
		{ "attribute", KW_ATTRIBUTE }, { "属性", KW_ATTRIBUTE },
		{ "label", KW_LABEL }, { "标签", KW_LABEL },
		{ "industry", KW_INDUSTRY }, { "行业", KW_INDUSTRY },
		{ "industries", KW_INDUSTRIES }, { "行业集合", KW_INDUSTRIES },
		{ "county", KW_COUNTY }, { "县区", KW_COUNTY },
		{ "unit", KW_UNIT }, { "单元", KW_UNIT },
		{ "class", KW_CLASS }, { "类别", KW_CLASS },
		{ "set", KW_SET }, { "集合", KW_SET }, { "of", KW_OF },
		{ "true", KW_TRUE }, { "是", KW_TRUE },
		{ "false", KW_FALSE }, { "否", KW_FALSE },
		{ "known", KW_KNOWN }, { "已知", KW_KNOWN },
		{ "title", KW_TITLE }, { "标题", KW_TITLE },
		{ "dimension", KW_DIMENSION }, { "维度", KW_DIMENSION },
		{ "scope", KW_SCOPE }, { "范围", KW_SCOPE },
		{ "when", KW_WHEN }, { "当", KW_WHEN },
		{ "unless", KW_UNLESS }, { "除外", KW_UNLESS },
		{ "let", KW_LET }, { "计算", KW_LET },
		{ "ensure", KW_ENSURE }, { "须满足", KW_ENSURE },
		{ "basis", KW_BASIS }, { "依据", KW_BASIS },
		{ "from", KW_FROM }, { "自", KW_FROM },
		{ "until", KW_UNTIL }, { "至", KW_UNTIL },
		{ "forbid", KW_FORBID }, { "禁止", KW_FORBID },
		{ "restrict", KW_RESTRICT }, { "限制", KW_RESTRICT },
		{ "require", KW_REQUIRE }, { "要求", KW_REQUIRE },
		{ "exit", KW_EXIT }, { "退出", KW_EXIT },
		{ "guide", KW_GUIDE }, { "引导", KW_GUIDE },
		{ "and", KW_AND }, { "且", KW_AND },
		{ "or", KW_OR }, { "或", KW_OR },
		{ "not", KW_NOT }, { "非", KW_NOT },
		{ "in", KW_IN }, { "属于", KW_IN },
		{ "has", KW_HAS }, { "包含", KW_HAS },
		{ "scenario", KW_SCENARIO }, { "场景", KW_SCENARIO },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		scan s;
		scan_text(&s, cases[i].text);
		ck_assert_msg(s.count == 1, "'%s': %zu tokens", cases[i].text, s.count);
		ck_assert_msg(s.tokens[0].kind == cases[i].kind, "'%s': kind %d", cases[i].text,
			      s.tokens[0].kind);
		ck_assert_uint_eq(s.diags.count, 0);
		scan_free(&s);
	}
}
END_TEST

START_TEST(keyword_prefix_is_identifier)
{
	scan s;
	scan_text(&s, "当前值 rules 是否");
	ck_assert_uint_eq(s.count, 3);
	ck_assert_int_eq(s.tokens[0].kind, IDENT);
	ck_assert_str_eq(s.tokens[0].text, "当前值");
	ck_assert_int_eq(s.tokens[1].kind, IDENT);
	ck_assert_int_eq(s.tokens[2].kind, IDENT);
	scan_free(&s);
}
END_TEST

START_TEST(rule_ids_after_rule_keyword)
{
	scan s;
	scan_text(&s, "rule ZH14052220003.layout.2 {\n规则 城区.倍量削减{ overrides A-1.x, 2.b }");
	ck_assert_uint_eq(s.count, 11);
	ck_assert_int_eq(s.tokens[0].kind, KW_RULE);
	ck_assert_int_eq(s.tokens[1].kind, RULE_ID);
	ck_assert_str_eq(s.tokens[1].text, "ZH14052220003.layout.2");
	ck_assert_int_eq(s.tokens[2].kind, '{');
	ck_assert_int_eq(s.tokens[3].kind, KW_RULE);
	ck_assert_int_eq(s.tokens[4].kind, RULE_ID);
	ck_assert_str_eq(s.tokens[4].text, "城区.倍量削减");
	ck_assert_int_eq(s.tokens[5].kind, '{');
	ck_assert_int_eq(s.tokens[6].kind, KW_OVERRIDES);
	ck_assert_int_eq(s.tokens[7].kind, RULE_ID);
	ck_assert_str_eq(s.tokens[7].text, "A-1.x");
	ck_assert_int_eq(s.tokens[8].kind, ',');
	ck_assert_int_eq(s.tokens[9].kind, RULE_ID);
	ck_assert_str_eq(s.tokens[9].text, "2.b");
	ck_assert_int_eq(s.tokens[10].kind, '}');
	ck_assert_uint_eq(s.diags.count, 0);
	scan_free(&s);
}
END_TEST

START_TEST(identifiers_and_paths)
{
	scan s;
	scan_text(&s, "项目性质 SO2 PM2_5 _x 排放.新增.SO2 单元.PM25超标倍数 county.大气超标 unit.class");
	ck_assert_uint_eq(s.count, 8);
	ck_assert_int_eq(s.tokens[0].kind, IDENT);
	ck_assert_str_eq(s.tokens[0].text, "项目性质");
	ck_assert_int_eq(s.tokens[1].kind, IDENT);
	ck_assert_str_eq(s.tokens[2].text, "PM2_5");
	ck_assert_int_eq(s.tokens[3].kind, IDENT);
	ck_assert_int_eq(s.tokens[4].kind, PATH);
	ck_assert_str_eq(s.tokens[4].text, "排放.新增.SO2");
	ck_assert_int_eq(s.tokens[5].kind, UNIT_ATTR);
	ck_assert_str_eq(s.tokens[5].text, "PM25超标倍数");
	ck_assert_int_eq(s.tokens[6].kind, COUNTY_ATTR);
	ck_assert_str_eq(s.tokens[6].text, "大气超标");
	ck_assert_int_eq(s.tokens[7].kind, UNIT_ATTR);
	ck_assert_str_eq(s.tokens[7].text, "class");
	scan_free(&s);
}
END_TEST

START_TEST(quantities_with_and_without_space)
{
	scan s;
	scan_text(&s, "2 千克/小时 2kg/h 85% 1000 米 0.5 mg/L");
	ck_assert_uint_eq(s.count, 5);
	const char *digits[] = { "2", "2", "85", "1000", "0.5" };
	const char *units[] = { "千克/小时", "kg/h", "%", "米", "mg/L" };
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(s.tokens[i].kind, QUANTITY);
		ck_assert_str_eq(s.tokens[i].text, digits[i]);
		ck_assert_str_eq(s.tokens[i].unit, units[i]);
	}
	ck_assert_uint_eq(s.diags.count, 0);
	scan_free(&s);
}
END_TEST

START_TEST(quantity_then_keyword)
{
	scan s;
	scan_text(&s, "150 万吨/年且 x");
	ck_assert_uint_eq(s.count, 3);
	ck_assert_int_eq(s.tokens[0].kind, QUANTITY);
	ck_assert_str_eq(s.tokens[0].text, "150");
	ck_assert_str_eq(s.tokens[0].unit, "万吨/年");
	ck_assert_int_eq(s.tokens[1].kind, KW_AND);
	ck_assert_uint_eq(s.tokens[1].span.begin.col, 9);
	ck_assert_int_eq(s.tokens[2].kind, IDENT);
	scan_free(&s);
}
END_TEST

START_TEST(number_before_word_stays_number)
{
	scan s;
	scan_text(&s, "5 and 2 * x 3)");
	ck_assert_uint_eq(s.count, 7);
	ck_assert_int_eq(s.tokens[0].kind, NUMBER);
	ck_assert_str_eq(s.tokens[0].text, "5");
	ck_assert_int_eq(s.tokens[1].kind, KW_AND);
	ck_assert_int_eq(s.tokens[2].kind, NUMBER);
	ck_assert_int_eq(s.tokens[3].kind, '*');
	ck_assert_int_eq(s.tokens[4].kind, IDENT);
	ck_assert_int_eq(s.tokens[5].kind, NUMBER);
	ck_assert_int_eq(s.tokens[6].kind, ')');
	scan_free(&s);
}
END_TEST

START_TEST(dates_in_both_forms)
{
	scan s;
	scan_text(&s, "2021-10-01 2021年10月1日 2022-01-05}");
	ck_assert_uint_eq(s.count, 4);
	ck_assert_int_eq(s.tokens[0].kind, DATE);
	ck_assert_int_eq(s.tokens[0].date, date_of("2021-10-01"));
	ck_assert_int_eq(s.tokens[1].kind, DATE);
	ck_assert_int_eq(s.tokens[1].date, date_of("2021-10-01"));
	ck_assert_uint_eq(s.tokens[1].span.begin.col, 12);
	ck_assert_uint_eq(s.tokens[1].span.end.col, 22);
	ck_assert_int_eq(s.tokens[2].kind, DATE);
	ck_assert_int_eq(s.tokens[2].date, date_of("2022-01-05"));
	ck_assert_int_eq(s.tokens[3].kind, '}');
	ck_assert_uint_eq(s.diags.count, 0);
	scan_free(&s);
}
END_TEST

START_TEST(impossible_date_is_error)
{
	scan s;
	scan_text(&s, "from 2021-02-30");
	ck_assert_uint_eq(s.count, 2);
	ck_assert_int_eq(s.tokens[1].kind, DATE);
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0006);
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "2021-02-30"));
	scan_free(&s);
}
END_TEST

START_TEST(string_escapes_decoded)
{
	scan s;
	scan_text(&s, "\"a\\\"b\\\\c\\nd\\te\\{f\\}，中\"");
	ck_assert_uint_eq(s.count, 1);
	ck_assert_int_eq(s.tokens[0].kind, STRING);
	ck_assert_str_eq(s.tokens[0].text, "a\"b\\c\nd\te{f}，中");
	ck_assert_uint_eq(s.diags.count, 0);
	scan_free(&s);
}
END_TEST

START_TEST(invalid_escape_reported_in_place)
{
	scan s;
	scan_text(&s, "\"中文\\q\"");
	ck_assert_uint_eq(s.count, 1);
	ck_assert_str_eq(s.tokens[0].text, "中文\\q");
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0005);
	ck_assert_uint_eq(s.diags.items[0].span.begin.col, 4);
	ck_assert_uint_eq(s.diags.items[0].span.end.col, 6);
	scan_free(&s);
}
END_TEST

START_TEST(unterminated_string_reported)
{
	scan s;
	scan_text(&s, "title \"abc\nwhen");
	ck_assert_uint_eq(s.count, 3);
	ck_assert_int_eq(s.tokens[1].kind, STRING);
	ck_assert_str_eq(s.tokens[1].text, "abc");
	ck_assert_int_eq(s.tokens[2].kind, KW_WHEN);
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0004);
	scan_free(&s);
}
END_TEST

START_TEST(columns_count_characters)
{
	scan s;
	scan_text(&s, "项目 x\n  \"中文\" y # 注释\n\t排放.SO2");
	ck_assert_uint_eq(s.count, 5);
	ck_assert_uint_eq(s.tokens[0].span.begin.line, 1);
	ck_assert_uint_eq(s.tokens[0].span.begin.col, 1);
	ck_assert_uint_eq(s.tokens[0].span.end.col, 3);
	ck_assert_uint_eq(s.tokens[1].span.begin.col, 4);
	ck_assert_uint_eq(s.tokens[2].span.begin.line, 2);
	ck_assert_uint_eq(s.tokens[2].span.begin.col, 3);
	ck_assert_uint_eq(s.tokens[2].span.end.col, 7);
	ck_assert_uint_eq(s.tokens[3].span.begin.col, 8);
	ck_assert_uint_eq(s.tokens[4].span.begin.line, 3);
	ck_assert_uint_eq(s.tokens[4].span.begin.col, 2);
	ck_assert_uint_eq(s.tokens[4].span.end.col, 8);
	scan_free(&s);
}
END_TEST

START_TEST(malformed_utf8_names_offset)
{
	scan s;
	scan_text(&s, "fact x\nab \xC3\x28 cd");
	ck_assert_uint_eq(s.count, 0);
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0002);
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "byte offset 10"));
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "0xC3"));
	ck_assert_uint_eq(s.diags.items[0].span.begin.line, 2);
	ck_assert_uint_eq(s.diags.items[0].span.begin.col, 4);
	scan_free(&s);
}
END_TEST

START_TEST(overlong_utf8_rejected)
{
	scan s;
	scan_text(&s, "x \xC0\xAF");
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0002);
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "byte offset 2"));
	scan_free(&s);
}
END_TEST

START_TEST(fullwidth_punctuation_suggests_ascii)
{
	scan s;
	scan_text(&s, "新建，改建（x）：y；");
	ck_assert_uint_eq(s.diags.count, 5);
	for (size_t i = 0; i < s.diags.count; i++)
		ck_assert_int_eq(s.diags.items[i].code, DIAG_E0003);
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "'，'"));
	ck_assert_ptr_nonnull(strstr(s.diags.items[0].message, "','"));
	ck_assert_uint_eq(s.diags.items[0].span.begin.col, 3);
	ck_assert_ptr_nonnull(strstr(s.diags.items[1].message, "'('"));
	ck_assert_ptr_nonnull(strstr(s.diags.items[3].message, "':'"));
	ck_assert_ptr_nonnull(strstr(s.diags.items[4].message, "';'"));
	/* The ASCII forms that are tokens stand in, so parsing goes on. */
	int kinds[] = { IDENT, ',', IDENT, '(', IDENT, ')', ':', IDENT };
	ck_assert_uint_eq(s.count, 8);
	for (size_t i = 0; i < 8; i++)
		ck_assert_int_eq(s.tokens[i].kind, kinds[i]);
	ck_assert_str_eq(s.tokens[0].text, "新建");
	scan_free(&s);
}
END_TEST

START_TEST(stray_ascii_character)
{
	scan s;
	scan_text(&s, "a ; b");
	ck_assert_uint_eq(s.count, 2);
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0009);
	ck_assert_uint_eq(s.diags.items[0].span.begin.col, 3);
	scan_free(&s);
}
END_TEST

START_TEST(quantity_type_unit)
{
	scan s;
	scan_text(&s, "quantity 吨/年 label 数量 mg/L\nquantity 斤斤 x");
	ck_assert_uint_eq(s.count, 8);
	ck_assert_int_eq(s.tokens[0].kind, KW_QUANTITY);
	ck_assert_int_eq(s.tokens[1].kind, UNIT_NAME);
	ck_assert_str_eq(s.tokens[1].text, "吨/年");
	ck_assert_int_eq(s.tokens[2].kind, KW_LABEL);
	ck_assert_int_eq(s.tokens[3].kind, KW_QUANTITY);
	ck_assert_str_eq(s.tokens[4].text, "mg/L");
	ck_assert_int_eq(s.tokens[6].kind, UNIT_NAME);
	ck_assert_str_eq(s.tokens[6].text, "斤斤");
	ck_assert_int_eq(s.tokens[7].kind, IDENT);
	ck_assert_uint_eq(s.diags.count, 1);
	ck_assert_int_eq(s.diags.items[0].code, DIAG_E0010);
	scan_free(&s);
}
END_TEST

START_TEST(operators_and_comments)
{
	scan s;
	scan_text(&s, "== != <= >= < > = + - * / : # comment == \n,");
	int kinds[] = { EQ, NE, LE, GE, '<', '>', '=', '+', '-', '*', '/', ':', ',' };
	ck_assert_uint_eq(s.count, 13);
	for (size_t i = 0; i < 13; i++)
		ck_assert_int_eq(s.tokens[i].kind, kinds[i]);
	scan_free(&s);
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *suite = suite_create("lexer");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, keywords_english_and_chinese);
	tcase_add_test(tc, keyword_prefix_is_identifier);
	tcase_add_test(tc, rule_ids_after_rule_keyword);
	tcase_add_test(tc, identifiers_and_paths);
	tcase_add_test(tc, quantities_with_and_without_space);
	tcase_add_test(tc, quantity_then_keyword);
	tcase_add_test(tc, number_before_word_stays_number);
	tcase_add_test(tc, dates_in_both_forms);
	tcase_add_test(tc, impossible_date_is_error);
	tcase_add_test(tc, string_escapes_decoded);
	tcase_add_test(tc, invalid_escape_reported_in_place);
	tcase_add_test(tc, unterminated_string_reported);
	tcase_add_test(tc, columns_count_characters);
	tcase_add_test(tc, malformed_utf8_names_offset);
	tcase_add_test(tc, overlong_utf8_rejected);
	tcase_add_test(tc, fullwidth_punctuation_suggests_ascii);
	tcase_add_test(tc, stray_ascii_character);
	tcase_add_test(tc, quantity_type_unit);
	tcase_add_test(tc, operators_and_comments);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *runner = srunner_create(lexer_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
