/* Linter tests: every tests/golden/lint/NAME.rule is checked and linted,
 * and its text warnings compared with NAME.expected (empty for an input
 * that must give no warning). Warnings located in the shared schema.inc
 * (its unused declarations) are left out, except for inputs named
 * unused*. UPDATE_GOLDEN=1 writes the .expected files instead of
 * comparing. Also: scenario coverage (W0010) and the exit status of
 * rulec lint. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "ecorule.h"
#include "i18n.h"
#include "lint.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/lint"

/* Text of the diagnostics of `dr`, without those in *.inc files unless
 * `keep_inc` (malloc'ed). */
static char *warnings_text(driver *dr, int keep_inc)
{
	diag_list shown = dr->diags;
	diag *kept = malloc((dr->diags.count + 1) * sizeof *kept);
	ck_assert_ptr_nonnull(kept);
	size_t n = 0;
	for (size_t i = 0; i < dr->diags.count; i++) {
		const diag *d = &dr->diags.items[i];
		const char *path = d->span.begin.line ? src_path(dr->sources, d->span.begin.file) : "";
		if (keep_inc || !test_ends_with(path, ".inc"))
			kept[n++] = *d;
	}
	shown.items = kept;
	shown.count = n;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(out);
	diag_print_text(&shown, dr->sources, out);
	fclose(out);
	free(kept);
	return text;
}

/* Check and lint `path`; returns its warnings as text (malloc'ed). */
static char *lint_of(const char *path, int keep_inc, size_t *errors)
{
	driver dr;
	driver_init(&dr);
	ck_assert_int_eq(driver_load_file(&dr, path), 0);
	*errors = driver_build(&dr);
	if (*errors == 0)
		lint_rule_set(&dr);
	char *text = warnings_text(&dr, keep_inc);
	driver_free(&dr);
	return text;
}

START_TEST(golden_warnings)
{
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_msg(dir != NULL, "cannot open %s; run the tests from the repository root", GOLDEN_DIR);
	int update = getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0;
	size_t inputs = 0;
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (!test_ends_with(ent->d_name, ".rule"))
			continue;
		inputs++;
		char path[512], expected_path[512];
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, ent->d_name);
		snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(path) - 5), path);

		size_t errors;
		char *actual = lint_of(path, strncmp(ent->d_name, "unused", 6) == 0, &errors);
		ck_assert_msg(errors == 0, "%s: %zu errors\n%s", path, errors, actual);
		if (update) {
			FILE *f = fopen(expected_path, "wb");
			ck_assert_ptr_nonnull(f);
			fputs(actual, f);
			fclose(f);
			free(actual);
			continue;
		}
		char *expected = test_read_file(expected_path, NULL);
		ck_assert_msg(expected != NULL, "missing %s", expected_path);
		ck_assert_msg(strcmp(actual, expected) == 0, "%s: warnings differ\n--- expected\n%s--- actual\n%s", path,
			      expected, actual);
		free(expected);
		free(actual);
	}
	closedir(dir);
	ck_assert_uint_ge(inputs, 10);
}
END_TEST

/* Every static warning code has a golden input that shows it. */
START_TEST(golden_codes_covered)
{
	static const char *const codes[] = {
		"W0001", "W0002", "W0003", "W0004", "W0005", "W0006", "W0007", "W0008", "W0009"
	};
	char *all = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&all, &size);
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_ptr_nonnull(dir);
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (!test_ends_with(ent->d_name, ".expected"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, ent->d_name);
		char *text = test_read_file(path, NULL);
		ck_assert_ptr_nonnull(text);
		fputs(text, out);
		free(text);
	}
	closedir(dir);
	fclose(out);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_msg(strstr(all, codes[i]) != NULL, "no golden warning has code %s", codes[i]);
	free(all);
}
END_TEST

START_TEST(near_misses_give_nothing)
{
	size_t errors;
	char *text = lint_of(GOLDEN_DIR "/near_misses.rule", 0, &errors);
	ck_assert_uint_eq(errors, 0);
	ck_assert_str_eq(text, "");
	free(text);
}
END_TEST

/* Write `text` to a new temporary file and return its path (static). */
static const char *temp_file(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/test_lint.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(coverage_reports_unexercised_rule)
{
	const char *scenarios = temp_file(
		"[{\"name\": \"x 为 12\", \"as_of\": \"2023-01-01\",\n"
		"  \"facts\": {\"id\": \"S1\", \"x\": 12, \"project\": {\"nature\": \"改建\"}},\n"
		"  \"expect\": {\"applies\": [\"a.forbid\"]}}]\n");
	driver dr;
	driver_init(&dr);
	ck_assert_int_eq(driver_load_file(&dr, GOLDEN_DIR "/conflict.rule"), 0);
	ck_assert_uint_eq(driver_build(&dr), 0);
	char *paths[] = { (char *)scenarios };
	FILE *err = tmpfile();
	ck_assert_ptr_nonnull(err);
	long warnings = lint_coverage(&dr, paths, 1, er_date_today(), err);
	fclose(err);
	ck_assert_int_eq(warnings, 1);
	const diag *d = &dr.diags.items[dr.diags.count - 1];
	ck_assert_int_eq(d->code, DIAG_W0010);
	ck_assert_ptr_nonnull(strstr(d->message, "b.guide"));
	driver_free(&dr);
	unlink(scenarios);
}
END_TEST

START_TEST(coverage_unreadable_file_fails)
{
	driver dr;
	driver_init(&dr);
	ck_assert_int_eq(driver_load_file(&dr, GOLDEN_DIR "/conflict.rule"), 0);
	ck_assert_uint_eq(driver_build(&dr), 0);
	char *paths[] = { "/nonexistent/scenarios.json" };
	FILE *err = tmpfile();
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(lint_coverage(&dr, paths, 1, er_date_today(), err), -1);
	fclose(err);
	driver_free(&dr);
}
END_TEST

static const char *rulec(void)
{
	return test_rulec();
}

static int run_rulec(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s --lang en %s >/dev/null 2>&1", rulec(), args);
	int status = system(cmd);
	ck_assert_msg(WIFEXITED(status), "rulec did not exit normally: %s", cmd);
	return WEXITSTATUS(status);
}

START_TEST(lint_exit_status)
{
	/* A set with nothing to report: every declaration used, no conflict. */
	const char *clean = temp_file(
		"fact x : number label \"x\"\n"
		"rule r.1 {\n"
		"  title     \"x 超过 10\"\n"
		"  dimension 空间布局约束\n"
		"  when      x > 10\n"
		"  forbid    \"禁止\"\n"
		"  basis     \"依据\"\n"
		"}\n");
	char args[256];
	snprintf(args, sizeof args, "lint %s", clean);
	ck_assert_int_eq(run_rulec(args), 0);
	snprintf(args, sizeof args, "check --lint %s", GOLDEN_DIR "/conflict.rule");
	ck_assert_int_eq(run_rulec(args), 0);
	ck_assert_int_eq(run_rulec("lint " GOLDEN_DIR "/conflict.rule"), 1);
	ck_assert_int_eq(run_rulec("lint " GOLDEN_DIR "/conflict.rule --diagnostics sarif"), 1);
	ck_assert_int_eq(run_rulec("lint --scenarios /nonexistent " GOLDEN_DIR "/conflict.rule"), 4);
	ck_assert_int_eq(run_rulec("lint --as-of tomorrow " GOLDEN_DIR "/conflict.rule"), 2);
	ck_assert_int_eq(run_rulec("check --scenarios x " GOLDEN_DIR "/conflict.rule"), 2);
	ck_assert_int_eq(run_rulec("lint --help"), 0);
	unlink(clean);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, golden_warnings);
	tcase_add_test(tc, golden_codes_covered);
	tcase_add_test(tc, near_misses_give_nothing);
	tcase_add_test(tc, coverage_reports_unexercised_rule);
	tcase_add_test(tc, coverage_unreadable_file_fails);
	tcase_add_test(tc, lint_exit_status);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *sr = srunner_create(lint_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
