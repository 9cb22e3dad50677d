/* Linter tests: every tests/golden/lint/NAME.rule is checked and linted,
 * and its text warnings compared with NAME.expected (empty for an input
 * that must give no warning). Warnings located in the shared schema.inc
 * (its unused declarations) are left out, except for inputs named
 * unused*. UPDATE_GOLDEN=1 writes the .expected files instead of
 * comparing. Also: scenario coverage (W0010), failing scenarios (E0501),
 * scenario files that cannot be run, and the exit status of rulec lint. */
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
	if (*errors == 0) {
		lint_rule_set(&dr);
		lint_apply_allows(&dr, 0);
	}
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
		"W0001", "W0002", "W0003", "W0004", "W0005", "W0006", "W0007", "W0008", "W0009",
		"W0011", "W0012", "W0013", "W0014", "W0015"
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
	ck_assert_int_eq(run_rulec("lint " GOLDEN_DIR "/conflict.rule"), 0);
	ck_assert_int_eq(run_rulec("lint --werror " GOLDEN_DIR "/conflict.rule"), 1);
	ck_assert_int_eq(run_rulec("lint --werror " GOLDEN_DIR "/conflict.rule --diagnostics sarif"), 1);
	ck_assert_int_eq(run_rulec("check --lint --werror " GOLDEN_DIR "/conflict.rule"), 1);
	ck_assert_int_eq(run_rulec("compile --werror " GOLDEN_DIR "/conflict.rule"), 2);
	/* A suppressed warning does not fail --werror; a stale allow does. */
	const char *allowed = temp_file(
		"fact x : number label \"x\"\n"
		"rule a.forbid {\n  title \"禁止\"\n  dimension 空间布局约束\n  when x > 10\n"
		"  forbid \"禁止\"\n  basis \"依据\"\n}\n"
		"rule b.guide {\n  title \"引导\"\n  dimension 空间布局约束\n  when x > 5\n"
		"  guide \"鼓励\"\n  basis \"依据\"\n  allow W0006 \"原文两条并存\"\n}\n");
	snprintf(args, sizeof args, "lint --werror %s", allowed);
	ck_assert_int_eq(run_rulec(args), 0);
	unlink(allowed);
	ck_assert_int_eq(run_rulec("lint --werror " GOLDEN_DIR "/allow.rule"), 1);
	ck_assert_int_eq(run_rulec("lint --scenarios /nonexistent " GOLDEN_DIR "/conflict.rule"), 4);
	ck_assert_int_eq(run_rulec("lint --as-of tomorrow " GOLDEN_DIR "/conflict.rule"), 2);
	ck_assert_int_eq(run_rulec("check --scenarios x " GOLDEN_DIR "/conflict.rule"), 2);
	ck_assert_int_eq(run_rulec("lint --help"), 0);
	unlink(clean);
}
END_TEST

/* Output of `rulec ARGS` on stdout (malloc'ed). */
static char *rulec_stdout(const char *env, const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s %s", env, rulec(), args);
	if (!strstr(args, "2>&1"))
		strncat(cmd, " 2>/dev/null", sizeof cmd - strlen(cmd) - 1);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, n, out);
	pclose(p);
	fclose(out);
	return text;
}

/* Compare `actual` with the golden file `path` (or write it when
 * UPDATE_GOLDEN=1). */
static void compare_golden(const char *actual, const char *path)
{
	if (getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0) {
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(actual, f);
		fclose(f);
		return;
	}
	char *expected = test_read_file(path, NULL);
	ck_assert_msg(expected != NULL, "missing %s", path);
	ck_assert_msg(strcmp(actual, expected) == 0, "%s differs\n--- expected\n%s--- actual\n%s", path, expected,
		      actual);
	free(expected);
}

START_TEST(json_and_sarif_goldens)
{
	char *json = rulec_stdout("", "--lang en lint --diagnostics json " GOLDEN_DIR "/allow.rule");
	compare_golden(json, GOLDEN_DIR "/allow.json.expected");
	ck_assert_ptr_nonnull(strstr(json, "\"justification\""));
	free(json);
	char *sarif = rulec_stdout("", "--lang en lint --diagnostics sarif " GOLDEN_DIR "/allow.rule");
	compare_golden(sarif, GOLDEN_DIR "/allow.sarif.expected");
	ck_assert_ptr_nonnull(strstr(sarif, "\"suppressions\""));
	free(sarif);
}
END_TEST

/* SARIF of several warning kinds and a suppression validates against the
 * OASIS SARIF 2.1.0 schema (tests/data), with python3-jsonschema. */
START_TEST(sarif_validates_against_schema)
{
	char *sarif = rulec_stdout("", "--lang en lint --diagnostics sarif " GOLDEN_DIR "/sarif_kinds.rule");
	ck_assert_ptr_nonnull(strstr(sarif, "\"suppressions\""));
	char path[] = "/tmp/test_lint_sarif.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	fputs(sarif, f);
	fclose(f);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import json, sys, jsonschema; "
		 "schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2])); "
		 "jsonschema.Draft4Validator.check_schema(schema); "
		 "jsonschema.Draft4Validator(schema).validate(log); "
		 "kinds = {r[\"ruleId\"] for r in log[\"runs\"][0][\"results\"]}; "
		 "sys.exit(0 if len(kinds) >= 4 else 3)' tests/data/sarif-schema-2.1.0.json %s",
		 path);
	int status = system(cmd);
	unlink(path);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "SARIF output does not validate against the SARIF 2.1.0 schema (status %d)", status);
	free(sarif);
}
END_TEST

/* Output of `rulec --lang en ARGS 2>&1` (malloc'ed) and its exit status. */
static char *rulec_output(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s --lang en %s 2>&1", rulec(), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, n, out);
	int st = pclose(p);
	fclose(out);
	ck_assert_msg(WIFEXITED(st), "rulec did not exit normally: %s", cmd);
	*status = WEXITSTATUS(st);
	return text;
}

/* A failing scenario is an error E0501 with its differences as notes,
 * and lint exits with 1 without --werror. */
START_TEST(failing_scenarios_are_errors)
{
	int status;
	char *text = rulec_output("lint " GOLDEN_DIR "/conflict.rule --scenarios " GOLDEN_DIR "/scenarios/failing.json",
				  &status);
	ck_assert_int_eq(status, 1);
	compare_golden(text, GOLDEN_DIR "/scenarios/failing.expected");
	free(text);
}
END_TEST

/* Scenario files that cannot be run: the status rulevm test gives
 * (4 unreadable, 3 invalid), a message naming rulec, and the other
 * warnings still reported with the allow clauses applied. */
START_TEST(bad_scenario_files)
{
	int status;
	char *text = rulec_output("lint " GOLDEN_DIR "/allow.rule --scenarios /nonexistent/s.json", &status);
	ck_assert_int_eq(status, 4);
	ck_assert_msg(strstr(text, "rulec: cannot read /nonexistent/s.json") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "note[W0006]: suppressed in rule 'b.guide'") != NULL, "%s", text);
	free(text);

	text = rulec_output("lint " GOLDEN_DIR "/allow.rule --scenarios " GOLDEN_DIR "/scenarios/malformed.json.txt",
			    &status);
	ck_assert_int_eq(status, 3);
	ck_assert_msg(strstr(text, "rulec: " GOLDEN_DIR "/scenarios/malformed.json.txt is not a JSON array") != NULL,
		      "%s", text);
	ck_assert_msg(strstr(text, "rulevm") == NULL, "%s", text);
	ck_assert_msg(strstr(text, "note[W0006]: suppressed in rule 'b.guide'") != NULL, "%s", text);
	free(text);

	text = rulec_output("lint " GOLDEN_DIR "/conflict.rule --scenarios " GOLDEN_DIR "/scenarios_empty", &status);
	ck_assert_int_eq(status, 3);
	ck_assert_msg(strstr(text, "rulec: the folder " GOLDEN_DIR "/scenarios_empty holds no *.json scenario file") !=
			      NULL,
		      "%s", text);
	ck_assert_msg(strstr(text, "W0010") == NULL, "%s", text);
	free(text);
}
END_TEST

/* New messages follow LANG and --lang. */
START_TEST(messages_follow_language)
{
	char *zh = rulec_stdout("LANGUAGE= LC_ALL= LANG=zh_CN.UTF-8", "lint " GOLDEN_DIR "/allow.rule 2>&1");
	ck_assert_msg(strstr(zh, "但 lint 未报告") != NULL, "W0015 not in Chinese:\n%s", zh);
	ck_assert_msg(strstr(zh, "已在规则“b.guide”中抑制") != NULL, "suppression note not in Chinese:\n%s", zh);
	ck_assert_msg(strstr(zh, "注[W0006]：") != NULL, "no full-width colon after the code:\n%s", zh);
	ck_assert_msg(strstr(zh, "警告[W0015]：") != NULL, "no full-width colon after the code:\n%s", zh);
	ck_assert_msg(strstr(zh, "]:") == NULL, "an ASCII colon after a code:\n%s", zh);
	free(zh);
	char *forced = rulec_stdout("LANG=C LC_ALL=C", "--lang zh lint --diagnostics json " GOLDEN_DIR
				    "/message_threshold.rule");
	ck_assert_msg(strstr(forced, "的条件阈值为") != NULL, "W0011 not in Chinese:\n%s", forced);
	free(forced);
	char *en = rulec_stdout("LANG=C LC_ALL=C", "lint --diagnostics json " GOLDEN_DIR "/message_threshold.rule");
	ck_assert_ptr_nonnull(strstr(en, "but its message states"));
	free(en);
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
	tcase_add_test(tc, json_and_sarif_goldens);
	tcase_add_test(tc, sarif_validates_against_schema);
	tcase_add_test(tc, messages_follow_language);
	tcase_add_test(tc, failing_scenarios_are_errors);
	tcase_add_test(tc, bad_scenario_files);
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
