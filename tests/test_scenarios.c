/* The Jincheng rule set's own scenarios: every scenario passes and every
 * rule applies in at least one of them. Runs the library's scenario runner
 * on the compiled rule set (env RULESET, default build/jincheng.erb). */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ecorule.h"
#include "i18n.h"
#include "scenario.h"
#include "support.h"

START_TEST(scenarios_all_pass_full_coverage)
{
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	glob_t files;
	scn_options options = {0};
	scn_summary summary;
	int32_t as_of;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	ck_assert_int_eq(glob("rules/jincheng/scenarios/*.json", 0, NULL, &files), 0);
	ck_assert_uint_gt(files.gl_pathc, 0);
	ck_assert_int_eq(er_date_parse("2023-06-01", 10, &as_of), 0);
	options.default_as_of = as_of;

	ck_assert_int_eq(scn_run_files(program, files.gl_pathv, files.gl_pathc, &options, stdout,
				       &summary), ER_OK);
	scn_print_coverage(program, &summary, 1, stdout);
	printf("scenarios: %zu passed, %zu failed\n", summary.passed, summary.failed);

	ck_assert_uint_eq(summary.file_errors, 0);
	ck_assert_uint_eq(summary.failed, 0);
	ck_assert_uint_gt(summary.passed, 0);
	ck_assert_uint_eq(summary.rules_covered, summary.rules_total);

	scn_summary_free(&summary);
	globfree(&files);
	er_program_free(program);
}
END_TEST

/* A deliberately wrong expectation must fail, so a passing run means
 * something. */
START_TEST(scenario_wrong_decision_fails)
{
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	char path[] = "/tmp/ecorule-scenario-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char *files[1];
	scn_options options = {0};
	scn_summary summary;
	char *out_text = NULL;
	size_t out_len = 0;
	FILE *out;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[{\"name\": \"wrong\", \"as_of\": \"2023-06-01\", \"facts\": {\"id\": \"W1\"},"
	      " \"expect\": {\"decision\": \"不予准入\", \"applies\": [\"no.such.rule\"]}}]", f);
	fclose(f);
	files[0] = path;
	out = open_memstream(&out_text, &out_len);
	ck_assert_ptr_nonnull(out);

	ck_assert_int_eq(scn_run_files(program, files, 1, &options, out, &summary), ER_OK);
	fclose(out);
	ck_assert_uint_eq(summary.failed, 1);
	ck_assert_uint_eq(summary.passed, 0);
	ck_assert_ptr_nonnull(strstr(out_text, "FAIL"));
	ck_assert_ptr_nonnull(strstr(out_text, "no.such.rule"));

	free(out_text);
	scn_summary_free(&summary);
	remove(path);
	er_program_free(program);
}
END_TEST

/* A key the format does not define fails the scenario, and the message
 * names the key: a misspelt expectation must not pass silently. */
START_TEST(scenario_unknown_keys_fail)
{
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	char path[] = "/tmp/ecorule-scenario-XXXXXX";
	int fd = mkstemp(path);
	char *files[1] = { path };
	scn_options options = {0};
	scn_summary summary;
	char *out_text = NULL;
	size_t out_len = 0;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[{\"name\": \"typo\", \"as_of\": \"2023-06-01\", \"facts\": {\"id\": \"T1\"}, \"comment\": 1,"
	      " \"expect\": {\"decisoin\": \"不予准入\", \"aplies\": [\"no.such.rule\"]}}]", f);
	fclose(f);
	FILE *out = open_memstream(&out_text, &out_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(scn_run_files(program, files, 1, &options, out, &summary), ER_OK);
	fclose(out);
	ck_assert_uint_eq(summary.failed, 1);
	ck_assert_ptr_nonnull(strstr(out_text, "unknown key \"decisoin\" in \"expect\""));
	ck_assert_ptr_nonnull(strstr(out_text, "unknown key \"aplies\" in \"expect\""));
	ck_assert_ptr_nonnull(strstr(out_text, "unknown key \"comment\" in the scenario"));

	free(out_text);
	scn_summary_free(&summary);
	remove(path);
	er_program_free(program);
}
END_TEST

/* The command a reviewer runs gives the same verdict, exit status 0. */
START_TEST(rulevm_test_command_passes)
{
	const char *rulevm = test_rulevm();
	char command[1024];
	int status;

	snprintf(command, sizeof command,
		 "%s test --as-of 2023-06-01 --min-coverage 100 %s rules/jincheng/scenarios/*.json"
		 " > /dev/null", rulevm, test_ruleset());
	status = system(command);
	ck_assert_int_ne(status, -1);
	ck_assert_int_eq(WEXITSTATUS(status), 0);

	/* One file alone leaves most rules uncovered, so it fails with status 1. */
	snprintf(command, sizeof command,
		 "%s test --as-of 2023-06-01 --min-coverage 100 %s rules/jincheng/scenarios/b_units.json"
		 " > /dev/null", rulevm, test_ruleset());
	status = system(command);
	ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

/* The benchmark's rule set passes its own scenarios with every rule
 * covered, so the benchmark times rules proved to decide correctly. */
START_TEST(bench_rules_pass_scenarios)
{
	const char *rulevm = test_rulevm();
	const char *bench = getenv("BENCH_RULESET");
	char command[1024];
	int status;

	if (!bench || !*bench)
		bench = "build/bench.erb";
	snprintf(command, sizeof command,
		 "%s test --as-of 2023-06-01 --min-coverage 100 %s rules/bench/scenarios/*.json > /dev/null",
		 rulevm, bench);
	status = system(command);
	ck_assert_int_ne(status, -1);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scenarios");
	TCase *tc = tcase_create("jincheng");
	SRunner *sr;
	int failed;

	er_i18n_init("en");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, scenarios_all_pass_full_coverage);
	tcase_add_test(tc, scenario_wrong_decision_fails);
	tcase_add_test(tc, scenario_unknown_keys_fail);
	tcase_add_test(tc, rulevm_test_command_passes);
	tcase_add_test(tc, bench_rules_pass_scenarios);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
