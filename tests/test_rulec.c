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

/* Every code of the diagnostic table, in table order. */
static const char *const diag_codes[] = {
#define DIAG_CODE(code, title, explanation) #code,
#include "diag_codes.def"
#undef DIAG_CODE
};

/* Declarations that the examples of the explanations assume. Each
 * example that is a list of declarations is appended to it and
 * compiled. */
static const char example_preamble[] =
	"enum 建设性质 { 新建, 改建, 扩建, 技术改造 }\n"
	"fact project.nature : 建设性质 label \"建设性质\"\n"
	"fact project.industry : code label \"国民经济行业代码\"\n"
	"fact emission.new.SO2 : quantity 吨/年 label \"新增二氧化硫排放量\"\n"
	"industry 焦化 = 2521\n"
	"county 城区 { code 140502 }\n";

/* Codes whose examples are declarations that still cannot be checked
 * here. E0011 imports a path relative to a folder the test does not
 * build. The scanner reports the unit of the E0203 example as a syntax
 * error first, as its explanation states. The W0014 example declares
 * the set 焦化, which the preamble already declares. */
static const char *const examples_not_compiled[] = { "E0011", "E0203", "W0014" };

/* Run `rulec --lang LANG explain CODE` and return its output. */
static char *explain_text(const char *lang, const char *code)
{
	char args[64];
	snprintf(args, sizeof args, "explain %s", code);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s --lang %s %s >'%s/out' 2>'%s/err'", rulec(), lang, args, tmpdir, tmpdir);
	int status = system(cmd);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "failed: %s", cmd);
	return slurp("out");
}

/* Whether a line of `text` starts with `heading`. */
static int has_heading(const char *text, const char *heading)
{
	size_t len = strlen(heading);
	for (const char *line = text; line != NULL; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, heading, len) == 0)
			return 1;
	}
	return 0;
}

/* Return the lines indented by four spaces that follow the line that is
 * exactly `heading`, without the indent, as a new string. Returns NULL
 * when there is no such line or no indented line after it. */
static char *example_block(const char *text, const char *heading)
{
	size_t len = strlen(heading);
	const char *p = text;
	while (p != NULL && !(strncmp(p, heading, len) == 0 && p[len] == '\n'))
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (p == NULL)
		return NULL;
	p += len + 1;
	char *block = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&block, &size);
	ck_assert_ptr_nonnull(out);
	while (strncmp(p, "    ", 4) == 0) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		fprintf(out, "%.*s\n", (int)(n - 4), p + 4);
		p += n + (end != NULL);
	}
	fclose(out);
	if (size == 0) {
		free(block);
		return NULL;
	}
	return block;
}

/* Whether `block` is a list of complete declarations: it starts with a
 * declaration keyword or a comment and elides nothing with "...". */
static int is_declarations(const char *block)
{
	static const char *const starts[] = { "rule ", "enum ", "fact ", "attribute ", "industry ",
					      "county ", "unit ", "import ", "# " };
	if (strstr(block, "...") != NULL)
		return 0;
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
		if (strncmp(block, starts[i], strlen(starts[i])) == 0)
			return 1;
	return 0;
}

/* Check the preamble followed by `block` with `rulec check` (E codes) or
 * `rulec lint` (W codes). Returns the exit status, and leaves stderr in
 * the file ERR of the temp directory. */
static int check_example(const char *code, const char *block)
{
	char path[128];
	snprintf(path, sizeof path, "%s/example.rule", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(example_preamble, f);
	fputs(block, f);
	fclose(f);
	char args[256];
	snprintf(args, sizeof args, "%s '%s'", code[0] == 'W' ? "lint" : "check", path);
	return run(args);
}

START_TEST(explain_has_examples_in_both_languages)
{
	make_tmpdir();
	for (size_t i = 0; i < sizeof diag_codes / sizeof diag_codes[0]; i++) {
		char *en = explain_text("en", diag_codes[i]);
		ck_assert_msg(has_heading(en, "Wrong:"), "%s has no 'Wrong:' heading:\n%s", diag_codes[i], en);
		ck_assert_msg(has_heading(en, "Corrected:"), "%s has no 'Corrected:' heading:\n%s", diag_codes[i], en);
		free(en);
		char *zh = explain_text("zh", diag_codes[i]);
		ck_assert_msg(has_heading(zh, "错误写法："), "%s has no '错误写法：' heading in Chinese:\n%s",
			      diag_codes[i], zh);
		ck_assert_msg(has_heading(zh, "改正后："), "%s has no '改正后：' heading in Chinese:\n%s",
			      diag_codes[i], zh);
		free(zh);
	}
	remove_tmpdir();
}
END_TEST

static int example_not_compiled(const char *code)
{
	for (size_t i = 0; i < sizeof examples_not_compiled / sizeof examples_not_compiled[0]; i++)
		if (strcmp(code, examples_not_compiled[i]) == 0)
			return 1;
	return 0;
}

/* The wrong example of each explanation that is made of declarations
 * reports its own code, and the corrected one checks without it. */
START_TEST(explain_examples_compile)
{
	make_tmpdir();
	size_t compiled = 0;
	for (size_t i = 0; i < sizeof diag_codes / sizeof diag_codes[0]; i++) {
		const char *code = diag_codes[i];
		char *en = explain_text("en", code);
		char *wrong = example_block(en, "Wrong:");
		char *corrected = example_block(en, "Corrected:");
		free(en);
		if (wrong && corrected && is_declarations(wrong) && is_declarations(corrected) &&
		    !example_not_compiled(code)) {
			char tag[16];
			snprintf(tag, sizeof tag, "[%s]", code);

			check_example(code, wrong);
			char *err = slurp("err");
			ck_assert_msg(strstr(err, tag) != NULL, "wrong example of %s does not report it:\n%s%s",
				      code, wrong, err);
			free(err);

			int status = check_example(code, corrected);
			err = slurp("err");
			ck_assert_msg(strstr(err, tag) == NULL, "corrected example of %s still reports it:\n%s%s",
				      code, corrected, err);
			if (code[0] == 'E')
				ck_assert_msg(status == 0, "corrected example of %s fails:\n%s%s", code, corrected, err);
			free(err);
			compiled++;
		}
		free(wrong);
		free(corrected);
	}
	/* 38 codes have such examples today; fewer means one was lost. */
	ck_assert_uint_ge(compiled, 38);
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
	tcase_add_test(tc, explain_has_examples_in_both_languages);
	tcase_add_test(tc, explain_examples_compile);
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
