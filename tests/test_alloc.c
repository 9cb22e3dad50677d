/* Allocation failure: the runtime reports ER_E_NOMEM and never crashes
 * or leaks when any one allocation fails, and the compiler exits with
 * "out of memory" and status 4. The test binary is linked with --wrap
 * for malloc, calloc and realloc (see the Makefile), so the n-th
 * allocation made by our code can be made to fail. Allocations inside
 * shared libraries such as yajl are not wrapped. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "ecorule.h"
#include "emit.h"
#include "facts.h"
#include "fmt.h"
#include "i18n.h"
#include "lint.h"
#include "support.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);

/* Allocations made since arming, and the one to fail (0: none). */
static long alloc_count;
static long alloc_fail_at;

static int alloc_should_fail(void)
{
	return alloc_fail_at > 0 && ++alloc_count == alloc_fail_at;
}

void *__wrap_malloc(size_t size)
{
	return alloc_should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	return alloc_should_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	return alloc_should_fail() ? NULL : __real_realloc(ptr, size);
}

static void alloc_arm(long fail_at)
{
	alloc_count = 0;
	alloc_fail_at = fail_at;
}

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	data = __real_malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return data;
}

/* Failing each allocation of the loader in turn gives NULL with
 * ER_E_NOMEM; with no failure, the file loads. */
START_TEST(load_reports_each_failure)
{
	size_t size;
	unsigned char *data = slurp(test_ruleset(), &size);
	long n, failures = 0;

	for (n = 1;; n++) {
		er_error err = {0};
		er_program *p;

		alloc_arm(n);
		p = er_program_load(data, size, &err);
		alloc_arm(0);
		if (p) {
			er_program_free(p);
			/* The n-th allocation was never reached: every earlier one
			 * has been failed once. */
			if (alloc_count < n)
				break;
			continue;
		}
		ck_assert_msg(err.status == ER_E_NOMEM, "allocation %ld: status %d (%s)", n,
			      err.status, err.message);
		failures++;
	}
	printf("loader: %ld allocations failed in turn\n", failures);
	ck_assert_int_gt(failures, 10);
	free(data);
}
END_TEST

typedef struct eval_run {
	const er_program *program;
	er_result result;
	er_status status;
	size_t records;
} eval_run;

static int on_record(er_record *record, void *context)
{
	eval_run *run = context;
	int32_t as_of = 0;

	run->records++;
	if (record->error_count)
		return 0;
	er_date_parse("2023-06-01", 10, &as_of);
	run->status = er_eval(run->program, record, as_of, &run->result);
	if (run->status == ER_OK && run->result.rule_count) {
		char *message = er_format_message(run->program, &run->result, &run->result.rules[0]);
		if (!message)
			run->status = ER_E_NOMEM;
		free(message);
	}
	return run->status != ER_OK;
}

/* Reading, evaluating and formatting a record: every failed allocation
 * surfaces as ER_E_NOMEM (or as a record error), never as a crash. */
START_TEST(eval_reports_each_failure)
{
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	long n, failures = 0;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	for (n = 1; n < 100000; n++) {
		FILE *in = fopen("examples/jinjiang_machinery_plant_so2.json", "r");
		facts_options opts = {0};
		eval_run run = {0};
		er_status st;

		ck_assert_ptr_nonnull(in);
		run.program = program;
		er_result_init(&run.result);
		opts.format = FACTS_JSON;
		opts.encoding = FACTS_ENC_UTF8;
		opts.name = "example";
		opts.on_record = on_record;
		opts.context = &run;

		alloc_arm(n);
		st = facts_read(program, in, &opts, &err);
		alloc_arm(0);
		fclose(in);
		er_result_free(&run.result);
		if (st == ER_OK && run.status == ER_OK && run.records == 1 && alloc_count < n)
			break;
		ck_assert_msg(st == ER_E_NOMEM || run.status == ER_E_NOMEM || st == ER_OK,
			      "allocation %ld: reader status %d, eval status %d", n, st, run.status);
		failures++;
	}
	printf("reader and evaluator: %ld allocations failed in turn\n", failures);
	ck_assert_int_gt(failures, 3);
	er_program_free(program);
}
END_TEST

/* A rule set that uses every kind of declaration and clause. */
#define RICH_RULES "tests/fuzz/corpus/fuzz_parse/rich.rule"

/* Exit statuses of one compile child besides the compiler's 4. */
enum { COMPILE_DONE = 0, COMPILE_IGNORED_FAILURE = 3 };

/* Parse, check, lint, generate, emit and format `text`, the way rulec
 * compile, lint and fmt do. */
static void compile_all(const char *text)
{
	driver dr;
	uint8_t *bytes = NULL;
	size_t size;
	char *formatted;

	driver_init(&dr);
	driver_load_string(&dr, RICH_RULES, text);
	if (driver_build(&dr) == 0) {
		lint_rule_set(&dr);
		emit_bytes(&dr.m, &bytes, &size);
	}
	free(bytes);
	driver_free(&dr);
	formatted = fmt_text(RICH_RULES, text, NULL);
	free(formatted);
}

/* Compile with allocation n failing, in a child process whose stderr
 * goes to `err_path`. Returns the child's exit status, or 128 + the
 * signal that ended it. */
static int compile_failing_at(const char *text, long n, const char *err_path)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		alloc_arm(n);
		compile_all(text);
		alloc_arm(0);
		/* Reaching here, allocation n either never happened or failed
		 * without the compiler noticing. */
		_exit(alloc_count < n ? COMPILE_DONE : COMPILE_IGNORED_FAILURE);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Compiling: every failed allocation ends in "rulec: out of memory" and
 * exit status 4, never a crash. Under SANITIZE=1, LeakSanitizer checks
 * at that exit that nothing allocated so far was lost; it would change
 * the exit status. */
START_TEST(compile_reports_each_failure)
{
	size_t size;
	char *text = test_read_file(RICH_RULES, &size);
	char err_path[] = "/tmp/ecorule_test_alloc_XXXXXX";
	int fd = mkstemp(err_path);
	long n, failures = 0;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (n = 1; n < 1000000; n++) {
		int status = compile_failing_at(text, n, err_path);
		char *err;

		if (status == COMPILE_DONE)
			break;
		err = test_read_file(err_path, &size);
		ck_assert_msg(status == 4, "allocation %ld: exit status %d, stderr:\n%s", n, status,
			      err != NULL ? err : "");
		ck_assert_msg(err != NULL && strstr(err, "rulec: out of memory") != NULL,
			      "allocation %ld: stderr: %s", n, err != NULL ? err : "");
		free(err);
		failures++;
	}
	unlink(err_path);
	printf("compiler: %ld allocations failed in turn\n", failures);
	ck_assert_int_gt(failures, 100);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("failure");
	SRunner *sr;
	int failed;

	er_i18n_init("en");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, load_reports_each_failure);
	tcase_add_test(tc, eval_reports_each_failure);
	tcase_add_test(tc, compile_reports_each_failure);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
