/* Check tests of date parsing and formatting (runtime/date.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"

static int32_t date(const char *text)
{
	int32_t days;
	ck_assert_msg(er_date_parse(text, strlen(text), &days) == 0, "\"%s\" rejected", text);
	return days;
}

START_TEST(epoch_and_known_days)
{
	ck_assert_int_eq(date("1970-01-01"), 0);
	ck_assert_int_eq(date("1970-01-02"), 1);
	ck_assert_int_eq(date("1969-12-31"), -1);
	ck_assert_int_eq(date("2000-03-01"), 11017);
	ck_assert_int_eq(date("2021-10-01"), 18901);
}
END_TEST

START_TEST(chinese_form_equals_iso)
{
	ck_assert_int_eq(date("2021年10月1日"), date("2021-10-01"));
	ck_assert_int_eq(date("2022年1月01日"), date("2022-01-01"));
}
END_TEST

START_TEST(leap_years)
{
	ck_assert_int_eq(date("2024-02-29") + 1, date("2024-03-01"));
	ck_assert_int_eq(date("2000-02-29") + 1, date("2000-03-01"));
	ck_assert_int_eq(date("2023-02-28") + 1, date("2023-03-01"));
}
END_TEST

START_TEST(invalid_dates)
{
	static const char *bad[] = { "", "2023-02-29", "1900-02-29", "2021-13-01", "2021-00-10",
				     "2021-04-31", "2021-4-1", "21-04-01", "2021-04-01x",
				     "2021年13月1日", "2021年2月30日", "2021年10月1", "0000-01-01",
				     "2021/10/01", "20210-01-01" };
	int32_t days;
	size_t i;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(er_date_parse(bad[i], strlen(bad[i]), &days) == -1, "\"%s\" accepted",
			      bad[i]);
}
END_TEST

START_TEST(format_round_trip)
{
	static const char *texts[] = { "1970-01-01", "2021-10-01", "2024-02-29", "0001-01-01",
				       "9999-12-31", "1900-03-01" };
	char buf[11];
	size_t i;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		er_date_format(date(texts[i]), buf);
		ck_assert_str_eq(buf, texts[i]);
	}
}
END_TEST

START_TEST(today_is_plausible)
{
	/* After 2024-01-01 and before 2200-01-01. */
	int32_t today = er_date_today();
	ck_assert_int_gt(today, date("2024-01-01"));
	ck_assert_int_lt(today, date("2200-01-01"));
}
END_TEST

static Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, epoch_and_known_days);
	tcase_add_test(tc, chinese_form_equals_iso);
	tcase_add_test(tc, leap_years);
	tcase_add_test(tc, invalid_dates);
	tcase_add_test(tc, format_round_trip);
	tcase_add_test(tc, today_is_plausible);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(date_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
