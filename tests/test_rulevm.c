/* Tests of the rulevm command as a user runs it: exit statuses 0, 2, 3
 * and 4, and a damaged bytecode file rejected with a message. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define RULES "tests/data/facts/rules.rule"
#define RECORDS "tests/data/facts/report.jsonl"

static char work_dir[] = "/tmp/ecorule_test_rulevm_XXXXXX";
static char bytecode_path[300];

static const char *rulevm(void)
{
	return test_rulevm();
}

/* Run a shell command; returns its exit status, or -1 when it did not
 * exit normally (a crash). */
static int run(const char *format, ...)
{
	char command[2048];
	va_list ap;
	int status;

	va_start(ap, format);
	vsnprintf(command, sizeof command, format, ap);
	va_end(ap);
	status = system(command);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static char *read_text(const char *name)
{
	char path[400];
	FILE *in;
	char *text = calloc(1, 65536);
	size_t n;

	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	in = fopen(path, "rb");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(text);
	n = fread(text, 1, 65535, in);
	text[n] = '\0';
	fclose(in);
	return text;
}

static void write_text(const char *name, const char *text)
{
	char path[400];
	FILE *out;

	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	out = fopen(path, "wb");
	ck_assert_ptr_nonnull(out);
	fputs(text, out);
	fclose(out);
}

START_TEST(help_and_version)
{
	ck_assert_int_eq(run("%s --help > /dev/null", rulevm()), 0);
	ck_assert_int_eq(run("%s eval --help > /dev/null", rulevm()), 0);
	ck_assert_int_eq(run("%s info --help > /dev/null", rulevm()), 0);
	ck_assert_int_eq(run("%s --version > /dev/null", rulevm()), 0);
}
END_TEST

START_TEST(usage_errors_exit_2)
{
	ck_assert_int_eq(run("%s 2> /dev/null", rulevm()), 2);
	ck_assert_int_eq(run("%s frobnicate 2> /dev/null", rulevm()), 2);
	ck_assert_int_eq(run("%s eval 2> /dev/null", rulevm()), 2);
	ck_assert_int_eq(run("%s eval --format xml %s < /dev/null 2> /dev/null", rulevm(), bytecode_path), 2);
	ck_assert_int_eq(run("%s eval --as-of 2021-13-01 %s < /dev/null 2> /dev/null", rulevm(),
			     bytecode_path), 2);
	ck_assert_int_eq(run("%s eval --bogus %s 2> /dev/null", rulevm(), bytecode_path), 2);
	ck_assert_int_eq(run("%s --lang fr eval %s 2> /dev/null", rulevm(), bytecode_path), 2);
}
END_TEST

START_TEST(eval_valid_records_exit_0)
{
	write_text("good.json", "{\"id\": \"G\", \"project\": {\"nature\": \"扩建\"}, "
				"\"site\": {\"zones\": []}}\n");
	ck_assert_int_eq(run("%s eval --lang en --as-of 2024-01-01 %s %s/good.json > %s/out.txt",
			     rulevm(), bytecode_path, work_dir, work_dir),
			 0);
	char *out = read_text("out.txt");

	ck_assert_msg(strstr(out, "Record 1 (G): ") != NULL, "got: %s", out);
	free(out);
}
END_TEST

START_TEST(eval_from_stdin_as_json)
{
	ck_assert_int_eq(run("echo '{\"id\": \"S\"}' | %s eval --format json --as-of 2024-01-01 %s - "
			     "> %s/out.json",
			     rulevm(), bytecode_path, work_dir),
			 0);
	char *out = read_text("out.json");

	ck_assert_msg(strncmp(out, "{\"record\":1,\"id\":\"S\"", 20) == 0, "got: %s", out);
	free(out);
}
END_TEST

START_TEST(eval_invalid_record_exit_3)
{
	/* Record 5 of the file is invalid; the other five are still printed. */
	ck_assert_int_eq(run("%s eval --lang en --format json --as-of 2024-01-01 %s %s > %s/out.json "
			     "2> %s/err.txt",
			     rulevm(), bytecode_path, RECORDS, work_dir, work_dir),
			 3);
	char *out = read_text("out.json");
	char *err = read_text("err.txt");
	size_t lines = 0;

	for (const char *p = out; *p != '\0'; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 6);
	ck_assert_msg(strstr(err, "report.jsonl: record 5 (R5), field \"emission.new.SO2\": \"fifty\" "
				  "is not a quantity in 吨/年") != NULL,
		      "got: %s", err);
	free(out);
	free(err);
}
END_TEST

START_TEST(damaged_bytecode_exit_3)
{
	char damaged[400];
	FILE *file;
	long size;

	snprintf(damaged, sizeof damaged, "%s/damaged.erb", work_dir);
	ck_assert_int_eq(run("cp %s %s", bytecode_path, damaged), 0);
	file = fopen(damaged, "r+b");
	ck_assert_ptr_nonnull(file);
	fseek(file, 0, SEEK_END);
	size = ftell(file);
	/* Flip one byte in the middle of the file. */
	fseek(file, size / 2, SEEK_SET);
	int c = fgetc(file);
	fseek(file, size / 2, SEEK_SET);
	fputc(c ^ 0x5A, file);
	fclose(file);

	ck_assert_int_eq(run("%s eval %s < /dev/null > /dev/null 2> %s/err.txt", rulevm(), damaged,
			     work_dir),
			 3);
	char *err = read_text("err.txt");

	ck_assert_msg(strncmp(err, "rulevm: ", 8) == 0 && strlen(err) > 20, "got: %s", err);
	free(err);
	ck_assert_int_eq(run("%s info %s > /dev/null 2>&1", rulevm(), damaged), 3);
}
END_TEST

START_TEST(truncated_and_foreign_files_exit_3)
{
	ck_assert_int_eq(run("head -c 40 %s > %s/short.erb", bytecode_path, work_dir), 0);
	ck_assert_int_eq(run("%s eval %s/short.erb < /dev/null > /dev/null 2>&1", rulevm(), work_dir), 3);
	ck_assert_int_eq(run("%s info %s > /dev/null 2>&1", rulevm(), RULES), 3);
	ck_assert_int_eq(run("%s info /dev/null > /dev/null 2>&1", rulevm()), 3);
}
END_TEST

START_TEST(missing_files_exit_4)
{
	ck_assert_int_eq(run("%s info %s/no-such.erb > /dev/null 2>&1", rulevm(), work_dir), 4);
	ck_assert_int_eq(run("%s eval %s %s/no-such.json > /dev/null 2>&1", rulevm(), bytecode_path,
			     work_dir),
			 4);
}
END_TEST

START_TEST(info_lists_tables)
{
	ck_assert_int_eq(run("%s info --lang en %s > %s/info.txt", rulevm(), bytecode_path, work_dir), 0);
	char *out = read_text("info.txt");

	ck_assert_ptr_nonnull(strstr(out, "Bytecode version: 1."));
	ck_assert_ptr_nonnull(strstr(out, "emission.new.SO2  新增二氧化硫排放量  quantity 吨/年"));
	ck_assert_ptr_nonnull(strstr(out, "site.zones  所在区域  set of 区域"));
	ck_assert_ptr_nonnull(strstr(out, "spring.forbid"));
	free(out);
}
END_TEST

START_TEST(chinese_messages)
{
	ck_assert_int_eq(run("%s eval --lang zh --as-of 2024-01-01 %s %s > /dev/null 2> %s/err.txt",
			     rulevm(), bytecode_path, RECORDS, work_dir),
			 3);
	char *err = read_text("err.txt");

	ck_assert_msg(strstr(err, "记录 5（R5），字段“emission.new.SO2”：“fifty”不是以 吨/年 计的数量")
			      != NULL,
		      "got: %s", err);
	free(err);
}
END_TEST

/* A batch shows its running count on standard error with --progress and
 * nothing with --no-progress; the reports on standard output are the same. */
START_TEST(progress_on_request)
{
	char path[400];
	FILE *out;

	snprintf(path, sizeof path, "%s/batch.jsonl", work_dir);
	out = fopen(path, "wb");
	ck_assert_ptr_nonnull(out);
	for (int i = 1; i <= 3000; i++)
		fprintf(out, "{\"id\": \"B%d\"}\n", i);
	fclose(out);

	ck_assert_int_eq(run("%s eval --lang en --progress --format csv %s %s > %s/with.csv 2> %s/with.err",
			     rulevm(), bytecode_path, path, work_dir, work_dir),
			 0);
	ck_assert_int_eq(run("%s eval --lang en --no-progress --format csv %s %s > %s/without.csv "
			     "2> %s/without.err",
			     rulevm(), bytecode_path, path, work_dir, work_dir),
			 0);
	char *with_err = read_text("with.err");
	char *without_err = read_text("without.err");
	ck_assert_ptr_nonnull(strstr(with_err, "3000 records evaluated"));
	ck_assert_str_eq(without_err, "");
	char *with_out = read_text("with.csv");
	char *without_out = read_text("without.csv");
	ck_assert_str_eq(with_out, without_out);
	free(with_err);
	free(without_err);
	free(with_out);
	free(without_out);
}
END_TEST

START_TEST(csv_input_by_extension)
{
	write_text("in.csv", "项目编号,建设性质,所在区域\nK1,新建,禁煤区\n");
	ck_assert_int_eq(run("%s eval --lang en --as-of 2024-01-01 %s %s/in.csv > %s/out.txt", rulevm(),
			     bytecode_path, work_dir, work_dir),
			 0);
	char *out = read_text("out.txt");

	ck_assert_msg(strstr(out, "Record 1 (K1): ") != NULL, "got: %s", out);
	free(out);
}
END_TEST

static Suite *rulevm_suite(void)
{
	Suite *suite = suite_create("rulevm");
	TCase *tc = tcase_create("command");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, eval_valid_records_exit_0);
	tcase_add_test(tc, eval_from_stdin_as_json);
	tcase_add_test(tc, eval_invalid_record_exit_3);
	tcase_add_test(tc, damaged_bytecode_exit_3);
	tcase_add_test(tc, truncated_and_foreign_files_exit_3);
	tcase_add_test(tc, missing_files_exit_4);
	tcase_add_test(tc, info_lists_tables);
	tcase_add_test(tc, chinese_messages);
	tcase_add_test(tc, csv_input_by_extension);
	tcase_add_test(tc, progress_on_request);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	const char *rulec = test_rulec();
	SRunner *runner;
	int failed;

	if (mkdtemp(work_dir) == NULL) {
		perror("test_rulevm: mkdtemp");
		return EXIT_FAILURE;
	}
	snprintf(bytecode_path, sizeof bytecode_path, "%s/rules.erb", work_dir);
	if (run("%s compile %s -o %s", rulec, RULES, bytecode_path) != 0) {
		fprintf(stderr, "test_rulevm: compiling %s failed\n", RULES);
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		run("rm -rf %s", work_dir);
		return EXIT_FAILURE;
	}
	runner = srunner_create(rulevm_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	run("rm -rf %s", work_dir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
