/* rulec doc tests. tests/golden/doc/NAME.rule renders to NAME.LANG.md and
 * NAME.LANG.html for LANG zh and en; the shipped rendering of
 * rules/jincheng in docs/ equals what rulec doc prints now; HTML escapes
 * the rules' text; bad input gets the documented exit status.
 * UPDATE_GOLDEN=1 writes the golden files instead of comparing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define GOLDEN_DIR "tests/golden/doc"

/* Run rulec with `args` and return its standard output; *status gets the
 * exit status. Standard error goes to /dev/null. */
static char *run_rulec(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", test_rulec(), args);
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(mem);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(mem);
	int rc = pclose(p);
	ck_assert_msg(WIFEXITED(rc), "rulec did not exit normally: %s", cmd);
	*status = WEXITSTATUS(rc);
	return text;
}

static int update_golden(void)
{
	const char *v = getenv("UPDATE_GOLDEN");
	return v && strcmp(v, "1") == 0;
}

/* Compare (or with UPDATE_GOLDEN=1 write) `expected_path` with `actual`. */
static void compare_file(const char *expected_path, const char *actual, int update)
{
	if (update) {
		FILE *f = fopen(expected_path, "wb");
		ck_assert_msg(f != NULL, "cannot write %s", expected_path);
		fputs(actual, f);
		fclose(f);
		return;
	}
	char *expected = test_read_file(expected_path, NULL);
	ck_assert_msg(expected != NULL, "missing %s", expected_path);
	ck_assert_msg(strcmp(actual, expected) == 0,
		      "%s differs from rulec doc's output; run make doc-rules or UPDATE_GOLDEN=1 if the change is "
		      "intended\n--- actual\n%.2000s", expected_path, actual);
	free(expected);
}

static const char *const langs[] = { "zh", "en" };
static const char *const formats[] = { "md", "html" };

START_TEST(golden_small_set)
{
	for (size_t l = 0; l < 2; l++) {
		for (size_t f = 0; f < 2; f++) {
			char args[256], expected[256];
			snprintf(args, sizeof args, "--lang %s doc --format %s %s/small.rule", langs[l], formats[f],
				 GOLDEN_DIR);
			snprintf(expected, sizeof expected, "%s/small.%s.%s", GOLDEN_DIR, langs[l], formats[f]);
			int status;
			char *out = run_rulec(args, &status);
			ck_assert_msg(status == 0, "rulec %s exited with %d", args, status);
			compare_file(expected, out, update_golden());
			free(out);
		}
	}
}
END_TEST

/* The rendering of rules/jincheng shipped in docs/ cannot go stale:
 * make doc-rules writes these files with the same commands. */
START_TEST(shipped_jincheng_current)
{
	static const struct {
		const char *lang, *format, *path;
	} shipped[] = {
		{ "zh", "md", "docs/jincheng-rules.zh-CN.md" },
		{ "en", "md", "docs/jincheng-rules.md" },
		{ "zh", "html", "docs/jincheng-rules.zh-CN.html" },
		{ "en", "html", "docs/jincheng-rules.html" },
	};
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		char args[256];
		snprintf(args, sizeof args, "--lang %s doc --format %s rules/jincheng/main.rule", shipped[i].lang,
			 shipped[i].format);
		int status;
		char *out = run_rulec(args, &status);
		ck_assert_int_eq(status, 0);
		compare_file(shipped[i].path, out, 0);
		free(out);
	}
}
END_TEST

START_TEST(html_escapes_rule_text)
{
	int status;
	char *out = run_rulec("--lang zh doc --format html " GOLDEN_DIR "/small.rule", &status);
	ck_assert_int_eq(status, 0);
	/* The title "中水回用率 <85% & \"达标\"的标注" and the message. */
	ck_assert_ptr_nonnull(strstr(out, "中水回用率 &lt;85% &amp; &quot;达标&quot;的标注"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;b&gt;&amp; &quot;严格&quot; &#39;x&#39;&lt;/b&gt;"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 《规划环评》"));
	ck_assert_ptr_null(strstr(out, "<b>"));
	ck_assert_ptr_null(strstr(out, "<script"));
	/* Self-contained: no external resources. */
	ck_assert_ptr_null(strstr(out, "http:"));
	ck_assert_ptr_null(strstr(out, "https:"));
	ck_assert_ptr_null(strstr(out, " src="));
	ck_assert_ptr_null(strstr(out, "<link"));
	free(out);
}
END_TEST

START_TEST(markdown_escapes_markup)
{
	int status;
	char *out = run_rulec("--lang en doc " GOLDEN_DIR "/small.rule", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "\\<script>alert(1)\\</script> & 《规划环评》"));
	ck_assert_ptr_null(strstr(out, " <b>"));
	free(out);
}
END_TEST

START_TEST(output_is_deterministic)
{
	int status;
	char *first = run_rulec("--lang zh doc --format html rules/jincheng/main.rule", &status);
	ck_assert_int_eq(status, 0);
	char *second = run_rulec("--lang zh doc --format html rules/jincheng/main.rule", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(first, second);
	free(first);
	free(second);
}
END_TEST

START_TEST(bad_input_exit_status)
{
	int status;
	free(run_rulec("doc --format pdf " GOLDEN_DIR "/small.rule", &status));
	ck_assert_int_eq(status, 2);
	free(run_rulec("doc build/jincheng.erb", &status));
	ck_assert_int_eq(status, 2);
	free(run_rulec("doc tests/data/bad.rule", &status));
	ck_assert_int_eq(status, 1);
	free(run_rulec("doc /nonexistent/x.rule", &status));
	ck_assert_int_eq(status, 4);
	free(run_rulec("compile --format html " GOLDEN_DIR "/small.rule", &status));
	ck_assert_int_eq(status, 2);
	char *help = run_rulec("--lang en doc --help", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(help, "--format html"));
	free(help);
}
END_TEST

static Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("doc");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, golden_small_set);
	tcase_add_test(tc, shipped_jincheng_current);
	tcase_add_test(tc, html_escapes_rule_text);
	tcase_add_test(tc, markdown_escapes_markup);
	tcase_add_test(tc, output_is_deterministic);
	tcase_add_test(tc, bad_input_exit_status);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
