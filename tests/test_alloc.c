/* Allocation failure: the runtime reports ER_E_NOMEM and never crashes
 * or leaks when any one allocation fails. The test binary is linked with
 * --wrap for malloc, calloc and realloc (see the Makefile), so the n-th
 * allocation made by our code can be made to fail. Allocations inside
 * shared libraries such as yajl are not wrapped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"
#include "facts.h"
#include "i18n.h"
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
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
