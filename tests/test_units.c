/* Check tests of unit spellings and exact conversions (runtime/units.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static er_unit unit(const char *text)
{
	er_unit u;
	ck_assert_msg(er_unit_parse(text, strlen(text), &u) == 0, "\"%s\" is not a unit", text);
	return u;
}

static void check_ratio(const char *from, const char *to, int64_t num, int64_t den)
{
	er_unit a = unit(from);
	er_unit b = unit(to);
	int64_t n, d;
	ck_assert_msg(er_unit_ratio(&a, &b, &n, &d) == 0, "%s to %s", from, to);
	ck_assert_msg(n == num && d == den, "%s to %s: %lld/%lld, expected %lld/%lld", from, to,
		      (long long)n, (long long)d, (long long)num, (long long)den);
}

START_TEST(chinese_and_symbols_equal)
{
	static const char *pairs[][2] = {
		{ "千克", "kg" }, { "公斤", "kg" }, { "吨", "t" }, { "万吨", "万t" },
		{ "克", "g" }, { "米", "m" }, { "千米", "km" }, { "公里", "km" },
		{ "厘米", "cm" }, { "毫米", "mm" }, { "平方米", "m²" }, { "平方米", "m2" },
		{ "平方千米", "km²" }, { "平方公里", "km2" }, { "公顷", "hm²" },
		{ "立方米", "m³" }, { "立方米", "m3" }, { "升", "L" }, { "毫升", "mL" },
		{ "秒", "s" }, { "分钟", "min" }, { "小时", "h" }, { "天", "d" }, { "日", "d" },
		{ "年", "a" }, { "%", "百分比" }, { "吨标准煤", "tce" }, { "千瓦", "kW" },
		{ "兆瓦", "MW" }, { "千克/小时", "kg/h" }, { "吨/年", "t/a" },
		{ "万吨/年", "万t/a" }, { "毫克/升", "mg/L" }, { "毫克/立方米", "mg/m³" },
		{ "微克/立方米", "μg/m³" }, { "立方米/日", "m³/d" }, { "个", "台" },
	};
	size_t i;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		check_ratio(pairs[i][0], pairs[i][1], 1, 1);
}
END_TEST

START_TEST(conversion_ratios)
{
	check_ratio("万吨/年", "t/a", 10000, 1);
	/* 1 kg/h over a 365-day year is 8760 kg = 8.76 t. */
	check_ratio("kg/h", "t/a", 219, 25);
	check_ratio("亩", "m²", 2000, 3);
	check_ratio("公顷", "亩", 15, 1);
	check_ratio("‰", "%", 1, 10);
	check_ratio("万千瓦", "kW", 10000, 1);
	check_ratio("千瓦", "kg·m²/s³", 1000, 1);
	check_ratio("万立方米", "m3", 10000, 1);
	check_ratio("万吨标准煤", "吨标准煤", 10000, 1);
}
END_TEST

START_TEST(dimension_mismatch)
{
	er_unit t = unit("吨"), m = unit("米"), ta = unit("t/a"), pct = unit("%");
	int64_t n, d;
	ck_assert_int_eq(er_unit_ratio(&t, &m, &n, &d), -1);
	ck_assert_int_eq(er_unit_ratio(&t, &ta, &n, &d), -1);
	ck_assert(!er_unit_same_dimension(&t, &ta));
	ck_assert(er_unit_is_dimensionless(&pct));
	ck_assert(!er_unit_is_dimensionless(&t));
	ck_assert(er_unit_same_dimension(&ta, &(er_unit){ { 1, 0, -1, 0 }, 1, 1 }));
}
END_TEST

START_TEST(not_units)
{
	static const char *bad[] = { "", "且", "吨/", "/年", "平方吨", "kg/", "x", "吨 /年", "ton" };
	er_unit u;
	size_t i;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(er_unit_parse(bad[i], strlen(bad[i]), &u) == -1, "\"%s\" parsed", bad[i]);
}
END_TEST

START_TEST(prefix_longest)
{
	const char *text = "吨/年且";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), strlen("吨/年"));
	text = "mg/L以下";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), strlen("mg/L"));
	text = "吨/且";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), strlen("吨"));
	text = "米以内";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), strlen("米"));
	text = "万吨/年";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), strlen(text));
	text = "且吨";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), 0);
	text = "%)";
	ck_assert_uint_eq(er_unit_prefix(text, strlen(text)), 1);
}
END_TEST

START_TEST(mul_div_and_one)
{
	er_unit t = unit("t"), a = unit("a"), ta = unit("t/a"), prod, one = er_unit_one();
	ck_assert_int_eq(er_unit_div(&t, &a, &prod), 0);
	ck_assert(er_unit_same_dimension(&prod, &ta));
	ck_assert_int_eq(er_unit_mul(&ta, &a, &prod), 0);
	ck_assert(er_unit_same_dimension(&prod, &t));
	ck_assert(er_unit_is_dimensionless(&one));
	ck_assert_int_eq(one.num, 1);
	ck_assert_int_eq(one.den, 1);
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, chinese_and_symbols_equal);
	tcase_add_test(tc, conversion_ratios);
	tcase_add_test(tc, dimension_mismatch);
	tcase_add_test(tc, not_units);
	tcase_add_test(tc, prefix_longest);
	tcase_add_test(tc, mul_div_and_one);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
