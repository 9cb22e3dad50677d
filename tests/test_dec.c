/* Check tests of exact decimal arithmetic (runtime/dec.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"

static er_dec parse(const char *text)
{
	er_dec d;
	ck_assert_int_eq(er_dec_parse(text, strlen(text), &d), ER_DEC_OK);
	return d;
}

static void check_text(er_dec d, const char *expected)
{
	char buf[ER_DEC_TEXT_MAX];
	er_dec_format(d, buf);
	ck_assert_str_eq(buf, expected);
}

START_TEST(add_point_one_point_two)
{
	er_dec sum;
	ck_assert_int_eq(er_dec_add(parse("0.1"), parse("0.2"), &sum), ER_DEC_OK);
	ck_assert_int_eq(er_dec_cmp(sum, parse("0.3")), 0);
	check_text(sum, "0.3");
}
END_TEST

START_TEST(trailing_zeros_compare_equal)
{
	ck_assert_int_eq(er_dec_cmp(parse("10"), parse("10.00")), 0);
	check_text(parse("10.00"), "10");
	check_text(er_dec_normalize(parse("10.500")), "10.5");
	ck_assert(er_dec_is_integer(parse("10.00")));
	ck_assert(!er_dec_is_integer(parse("10.01")));
}
END_TEST

START_TEST(add_and_mul_overflow)
{
	er_dec max = er_dec_from_int(INT64_MAX);
	er_dec min = er_dec_from_int(INT64_MIN);
	er_dec out;
	ck_assert_int_eq(er_dec_add(max, er_dec_from_int(1), &out), ER_DEC_OVERFLOW);
	ck_assert_int_eq(er_dec_sub(min, er_dec_from_int(1), &out), ER_DEC_OVERFLOW);
	ck_assert_int_eq(er_dec_mul(max, er_dec_from_int(2), &out), ER_DEC_OVERFLOW);
	ck_assert_int_eq(er_dec_neg(min, &out), ER_DEC_OVERFLOW);
	ck_assert_int_eq(er_dec_add(max, er_dec_from_int(-1), &out), ER_DEC_OK);
	ck_assert_int_eq(out.coef, INT64_MAX - 1);
	/* Aligning 1 to scale 18 next to a large integer overflows only the
	 * scale, which the sum can drop again. */
	ck_assert_int_eq(er_dec_add(parse("1000000000000000000"), parse("0.000000000000000000"),
				    &out), ER_DEC_OK);
	check_text(out, "1000000000000000000");
}
END_TEST

START_TEST(mul_scales)
{
	er_dec out;
	ck_assert_int_eq(er_dec_mul(parse("1.5"), parse("2"), &out), ER_DEC_OK);
	check_text(out, "3");
	ck_assert_int_eq(er_dec_mul(parse("-0.25"), parse("0.4"), &out), ER_DEC_OK);
	check_text(out, "-0.1");
	/* 1e-10 * 1e-10 needs scale 20. */
	ck_assert_int_eq(er_dec_mul(parse("0.0000000001"), parse("0.0000000001"), &out),
			 ER_DEC_INEXACT);
}
END_TEST

START_TEST(div_exact_and_inexact)
{
	er_dec out;
	ck_assert_int_eq(er_dec_div(er_dec_from_int(1), er_dec_from_int(4), &out), ER_DEC_OK);
	check_text(out, "0.25");
	ck_assert_int_eq(er_dec_div(er_dec_from_int(1), er_dec_from_int(3), &out), ER_DEC_INEXACT);
	ck_assert_int_eq(er_dec_div(er_dec_from_int(1), er_dec_from_int(0), &out), ER_DEC_DIVZERO);
	ck_assert_int_eq(er_dec_div(parse("3"), parse("0.03"), &out), ER_DEC_OK);
	check_text(out, "100");
	ck_assert_int_eq(er_dec_div(parse("-7.5"), parse("2.5"), &out), ER_DEC_OK);
	check_text(out, "-3");
	ck_assert_int_eq(er_dec_div(er_dec_from_int(INT64_MAX), parse("0.1"), &out),
			 ER_DEC_OVERFLOW);
}
END_TEST

START_TEST(cmp_across_wide_scales)
{
	er_dec big = er_dec_from_int(INT64_MAX);
	er_dec tiny = parse("0.000000000000000001");
	er_dec neg_big = er_dec_from_int(INT64_MIN);
	ck_assert_int_eq(er_dec_cmp(big, tiny), 1);
	ck_assert_int_eq(er_dec_cmp(tiny, big), -1);
	ck_assert_int_eq(er_dec_cmp(neg_big, tiny), -1);
	ck_assert_int_eq(er_dec_cmp(parse("9.223372036854775807"), er_dec_from_int(9)), 1);
	ck_assert_int_eq(er_dec_cmp(parse("-0.5"), parse("-0.50")), 0);
	ck_assert_int_eq(er_dec_cmp(parse("-0.5"), parse("-0.4")), -1);
}
END_TEST

START_TEST(scale_by_ratio)
{
	er_dec out;
	/* 1 吨 = 1000 千克; 1 亩 = 2000/3 平方米. */
	ck_assert_int_eq(er_dec_scale(parse("1.5"), 1000, 1, &out), ER_DEC_OK);
	check_text(out, "1500");
	ck_assert_int_eq(er_dec_scale(parse("3"), 2000, 3, &out), ER_DEC_OK);
	check_text(out, "2000");
	ck_assert_int_eq(er_dec_scale(parse("1"), 2000, 3, &out), ER_DEC_INEXACT);
	ck_assert_int_eq(er_dec_scale(parse("1"), 1, 0, &out), ER_DEC_DIVZERO);
}
END_TEST

START_TEST(parse_errors)
{
	static const char *bad[] = { "", "-", "1e3", "1.2.3", ".5", "5.", "abc", "1 ", "--1", "0x10" };
	er_dec d;
	size_t i;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(er_dec_parse(bad[i], strlen(bad[i]), &d) == ER_DEC_SYNTAX,
			      "\"%s\" parsed", bad[i]);
	ck_assert_int_eq(er_dec_parse("99999999999999999999", 20, &d), ER_DEC_OVERFLOW);
	ck_assert_int_eq(er_dec_parse("0.0000000000000000001", 21, &d), ER_DEC_INEXACT);
}
END_TEST

START_TEST(parse_and_format_round_trip)
{
	static const char *texts[] = { "0", "-12.5", "3", "100", "0.001", "-9223372036854775808",
				       "9223372036854775807", "0.000000000000000001" };
	size_t i;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		check_text(parse(texts[i]), texts[i]);
	check_text(parse("+7"), "7");
	check_text(parse("-0.0"), "0");
}
END_TEST

static Suite *dec_suite(void)
{
	Suite *s = suite_create("dec");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, add_point_one_point_two);
	tcase_add_test(tc, trailing_zeros_compare_equal);
	tcase_add_test(tc, add_and_mul_overflow);
	tcase_add_test(tc, mul_scales);
	tcase_add_test(tc, div_exact_and_inexact);
	tcase_add_test(tc, cmp_across_wide_scales);
	tcase_add_test(tc, scale_by_ratio);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, parse_and_format_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dec_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
