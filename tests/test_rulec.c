/* Command tests of rulec: run the built binary (env RULEC, default
 * build/bin/rulec) on a good and a bad rule set and check exit codes,
 * output files and the disassembly. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static const char *rulec(void)
{
	return test_rulec();
}

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_rulec.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run rulec with `args`, stdout to OUT and stderr to ERR in the temp
 * directory; returns the exit status. */
static int run(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s --lang en %s >'%s/out' 2>'%s/err'", rulec(), args, tmpdir, tmpdir);
	int status = system(cmd);
	ck_assert_msg(WIFEXITED(status), "rulec did not exit normally: %s", cmd);
	return WEXITSTATUS(status);
}

static char *slurp(const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int ch;
	while ((ch = fgetc(f)) != EOF)
		fputc(ch, mem);
	fclose(mem);
	fclose(f);
	return buf;
}

static int exists(const char *name)
{
	char path[128];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return stat(path, &st) == 0;
}

START_TEST(compile_good_writes_file)
{
	make_tmpdir();
	char args[256];
	snprintf(args, sizeof args, "compile tests/data/good.rule -o '%s/good.erb'", tmpdir);
	ck_assert_int_eq(run(args), 0);
	ck_assert(exists("good.erb"));
	remove_tmpdir();
}
END_TEST

START_TEST(compile_bad_writes_nothing)
{
	make_tmpdir();
	char args[256];
	snprintf(args, sizeof args, "compile tests/data/bad.rule -o '%s/bad.erb'", tmpdir);
	ck_assert_int_eq(run(args), 1);
	ck_assert(!exists("bad.erb"));
	char *err = slurp("err");
	ck_assert_msg(strstr(err, "E0202") != NULL, "stderr: %s", err);
	ck_assert_msg(strstr(err, "tests/data/bad.rule:7:") != NULL, "stderr: %s", err);
	free(err);
	remove_tmpdir();
}
END_TEST

START_TEST(compile_bad_keeps_old_output)
{
	make_tmpdir();
	char path[128];
	snprintf(path, sizeof path, "%s/old.erb", tmpdir);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("old", f);
	fclose(f);
	char args[256];
	snprintf(args, sizeof args, "compile tests/data/bad.rule -o '%s'", path);
	ck_assert_int_eq(run(args), 1);
	char *old = slurp("old.erb");
	ck_assert_str_eq(old, "old");
	free(old);
	remove_tmpdir();
}
END_TEST

START_TEST(check_exit_codes)
{
	make_tmpdir();
	ck_assert_int_eq(run("check tests/data/good.rule"), 0);
	ck_assert_int_eq(run("check tests/data/bad.rule"), 1);
	ck_assert_int_eq(run("check"), 2);
	ck_assert_int_eq(run("frobnicate tests/data/good.rule"), 2);
	ck_assert_int_eq(run("check --diagnostics xml tests/data/good.rule"), 2);
	ck_assert_int_eq(run("check tests/data/no_such_file.rule"), 4);
	remove_tmpdir();
}
END_TEST

START_TEST(json_diagnostics_on_stdout)
{
	make_tmpdir();
	ck_assert_int_eq(run("check --diagnostics json tests/data/bad.rule"), 1);
	char *out = slurp("out");
	ck_assert_msg(out[0] == '[' || out[0] == '{', "stdout: %s", out);
	ck_assert_msg(strstr(out, "E0202") != NULL, "stdout: %s", out);
	free(out);
	remove_tmpdir();
}
END_TEST

/* An empty JSON diagnostics array is "[]". For verbs that print no
 * diagnostics list, --diagnostics json or sarif is a usage error. */
START_TEST(json_diagnostics_scope)
{
	make_tmpdir();
	ck_assert_int_eq(run("check --diagnostics json tests/data/good.rule"), 0);
	char *out = slurp("out");
	ck_assert_str_eq(out, "[]\n");
	free(out);
	static const char *const rejected[] = {
		"fmt --diagnostics json tests/data/good.rule",
		"doc --diagnostics json tests/data/good.rule",
		"doc --diagnostics sarif tests/data/good.rule",
		"dis --diagnostics json x.erb",
		"explain --diagnostics json W0001",
	};
	for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
		ck_assert_int_eq(run(rejected[i]), 2);
		char *err = slurp("err");
		ck_assert_msg(strstr(err, "applies to compile, check and lint only") != NULL, "%s: %s", rejected[i],
			      err);
		free(err);
		out = slurp("out");
		ck_assert_str_eq(out, "");
		free(out);
	}
	remove_tmpdir();
}
END_TEST

/* A verb without its argument gets a usage error naming what it needs. */
START_TEST(missing_argument_names_it)
{
	static const char *const cases[][2] = {
		{ "explain", "'explain' needs a diagnostic code" },
		{ "fmt", "'fmt' needs one or more rule files" },
		{ "dis", "'dis' needs a bytecode file" },
		{ "doc", "'doc' needs a rule file or a bytecode file" },
		{ "lint", "'lint' needs a rule file" },
	};
	make_tmpdir();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(run(cases[i][0]), 2);
		char *err = slurp("err");
		ck_assert_msg(strstr(err, cases[i][1]) != NULL, "%s: %s", cases[i][0], err);
		free(err);
	}
	remove_tmpdir();
}
END_TEST

START_TEST(dis_shows_rules_and_positions)
{
	make_tmpdir();
	char args[256];
	snprintf(args, sizeof args, "compile tests/data/good.rule -o '%s/good.erb'", tmpdir);
	ck_assert_int_eq(run(args), 0);
	snprintf(args, sizeof args, "dis '%s/good.erb'", tmpdir);
	ck_assert_int_eq(run(args), 0);
	char *out = slurp("out");
	ck_assert_msg(strstr(out, "good.offset") != NULL, "dis: %s", out);
	ck_assert_msg(strstr(out, "good.rule:6") != NULL, "dis has no source position: %s", out);
	free(out);
	remove_tmpdir();
}
END_TEST

START_TEST(dis_rejects_damaged_file)
{
	make_tmpdir();
	char args[256];
	snprintf(args, sizeof args, "compile tests/data/good.rule -o '%s/good.erb'", tmpdir);
	ck_assert_int_eq(run(args), 0);
	/* Flip one byte past the header: the checksum no longer matches. */
	char path[128];
	snprintf(path, sizeof path, "%s/good.erb", tmpdir);
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 40, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, 40, SEEK_SET);
	fputc(ch ^ 0xFF, f);
	fclose(f);
	snprintf(args, sizeof args, "dis '%s'", path);
	ck_assert_int_eq(run(args), 3);
	remove_tmpdir();
}
END_TEST

START_TEST(explain_and_help)
{
	make_tmpdir();
	ck_assert_int_eq(run("explain E0202"), 0);
	char *out = slurp("out");
	ck_assert_msg(strstr(out, "dimension mismatch") != NULL, "explain: %s", out);
	free(out);
	ck_assert_int_eq(run("explain E9999"), 2);
	ck_assert_int_eq(run("--help"), 0);
	ck_assert_int_eq(run("compile --help"), 0);
	ck_assert_int_eq(run("--version"), 0);
	remove_tmpdir();
}
END_TEST

static Suite *rulec_suite(void)
{
	Suite *s = suite_create("rulec");
	TCase *tc = tcase_create("command");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, compile_good_writes_file);
	tcase_add_test(tc, compile_bad_writes_nothing);
	tcase_add_test(tc, compile_bad_keeps_old_output);
	tcase_add_test(tc, check_exit_codes);
	tcase_add_test(tc, json_diagnostics_on_stdout);
	tcase_add_test(tc, json_diagnostics_scope);
	tcase_add_test(tc, missing_argument_names_it);
	tcase_add_test(tc, dis_shows_rules_and_positions);
	tcase_add_test(tc, dis_rejects_damaged_file);
	tcase_add_test(tc, explain_and_help);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rulec_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
