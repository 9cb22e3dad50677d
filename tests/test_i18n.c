/* Tests of message translation: both languages forced, and the choice
 * that follows the environment. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* A message of the runtime with its Chinese in po/zh_CN.po. */
#define KNOWN_MSGID "out of memory"
#define KNOWN_ZH "内存不足"

START_TEST(forced_chinese)
{
	ck_assert_int_eq(er_i18n_init("zh"), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 1);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_ZH);
}
END_TEST

START_TEST(forced_english)
{
	ck_assert_int_eq(er_i18n_init("en"), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 0);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_MSGID);
}
END_TEST

START_TEST(forced_chinese_under_c_locale)
{
	/* CI machines have only C and C.UTF-8; Chinese must work there. */
	setenv("LC_ALL", "C", 1);
	unsetenv("LANGUAGE");
	ck_assert_int_eq(er_i18n_init("zh"), 0);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_ZH);
}
END_TEST

START_TEST(environment_selects_chinese)
{
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "zh_CN.UTF-8", 1);
	ck_assert_int_eq(er_i18n_init(NULL), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 1);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_ZH);
}
END_TEST

START_TEST(environment_selects_english)
{
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("LANG", "zh_CN.UTF-8", 1);
	ck_assert_int_eq(er_i18n_init(""), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 0);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_MSGID);
}
END_TEST

START_TEST(language_variable_wins)
{
	setenv("LANGUAGE", "zh_CN:en", 1);
	setenv("LC_ALL", "C", 1);
	ck_assert_int_eq(er_i18n_init(NULL), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 1);
}
END_TEST

START_TEST(forced_chinese_then_locale)
{
	/* Forcing Chinese must not leave the user's LANGUAGE changed. */
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	ck_assert_int_eq(er_i18n_init("zh"), 0);
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_ZH);
	ck_assert_int_eq(er_i18n_init(NULL), 0);
	ck_assert_int_eq(er_i18n_is_chinese(), 0);
	ck_assert_ptr_null(getenv("LANGUAGE"));
	ck_assert_str_eq(_(KNOWN_MSGID), KNOWN_MSGID);
}
END_TEST

START_TEST(unknown_language_rejected)
{
	ck_assert_int_eq(er_i18n_init("fr"), -1);
}
END_TEST

START_TEST(empty_msgid_unchanged)
{
	/* gettext maps "" to the catalogue header; the runtime must not. */
	er_i18n_init("zh");
	ck_assert_str_eq(_(""), "");
}
END_TEST

static Suite *i18n_suite(void)
{
	Suite *suite = suite_create("i18n");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, forced_chinese);
	tcase_add_test(tc, forced_english);
	tcase_add_test(tc, forced_chinese_under_c_locale);
	tcase_add_test(tc, environment_selects_chinese);
	tcase_add_test(tc, environment_selects_english);
	tcase_add_test(tc, language_variable_wins);
	tcase_add_test(tc, forced_chinese_then_locale);
	tcase_add_test(tc, unknown_language_rejected);
	tcase_add_test(tc, empty_msgid_unchanged);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(i18n_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
