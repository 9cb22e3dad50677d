/* Tests of the HTML batch report: golden pages in Chinese and English
 * (a record with errors among them), the control-unit terms, escaping of
 * texts from the rule set and the input, a page with nothing external in
 * it, and `rulevm eval --format html` as a user runs it.
 * ECORULE_UPDATE_GOLDEN=1 rewrites the golden files from the output. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecorule.h"
#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "support.h"

#define RULES "tests/data/facts/rules.rule"
#define RECORDS "tests/data/facts/report.jsonl"
#define UNIT_RULES "tests/data/report/units.rule"
#define UNIT_RECORDS "tests/data/report/units.jsonl"
#define ESCAPE_RULES "tests/data/report/html_escapes.rule"
#define ESCAPE_RECORDS "tests/data/report/html_escapes.jsonl"
#define GOLDEN_DIR "tests/golden/html/"
#define AS_OF "2024-01-01"

static char bytecode_path[] = "/tmp/ecorule_test_html_XXXXXX";
static char unit_bytecode_path[] = "/tmp/ecorule_test_html_units_XXXXXX";
static char escape_bytecode_path[] = "/tmp/ecorule_test_html_escapes_XXXXXX";

typedef struct html_run {
	const er_program *program;
	report_writer *writer;
	er_result result;
	int32_t as_of;
} html_run;

static int html_record(er_record *record, void *context)
{
	html_run *run = context;

	if (record->error_count > 0) {
		ck_assert_int_eq(report_write(run->writer, record, NULL), 0);
		return 0;
	}
	ck_assert_int_eq(er_eval(run->program, record, run->as_of, &run->result), ER_OK);
	ck_assert_int_eq(report_write(run->writer, record, &run->result), 0);
	return 0;
}

/* The whole page for `records` over `bytecode` in one language,
 * malloc'ed. The page names the rule set "rules.erb", so the golden
 * files do not depend on the temporary file's name. */
static char *render(const char *bytecode, const char *records, const char *lang, size_t *size)
{
	er_error err = { .status = ER_OK };
	er_program *program;
	html_run run = { 0 };
	char *text = NULL;
	FILE *out = open_memstream(&text, size);
	FILE *in = fopen(records, "rb");
	facts_options options = { .format = FACTS_JSONL, .name = records, .on_record = html_record,
				  .context = &run };

	ck_assert_int_eq(er_i18n_init(lang), 0);
	program = er_program_load_file(bytecode, &err);
	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(er_date_parse(AS_OF, strlen(AS_OF), &run.as_of), 0);
	run.program = program;
	er_result_init(&run.result);
	run.writer = report_writer_new(out, REPORT_HTML, program);
	ck_assert_ptr_nonnull(run.writer);
	report_writer_set_batch(run.writer, "rules.erb", run.as_of);
	ck_assert_int_eq(report_begin(run.writer, 0), 0);
	ck_assert_int_eq(facts_read(program, in, &options, &err), ER_OK);
	ck_assert_int_eq(report_end(run.writer), 0);
	report_writer_free(run.writer);
	er_result_free(&run.result);
	er_program_free(program);
	fclose(in);
	fclose(out);
	return text;
}

/* Compare the page with the golden file, naming the first line that
 * differs. */
static void check_golden(const char *bytecode, const char *records, const char *name,
			 const char *lang)
{
	char path[256];
	size_t size, golden_size = 0;
	char *output = render(bytecode, records, lang, &size);
	char *golden;

	snprintf(path, sizeof path, GOLDEN_DIR "%s", name);
	if (getenv("ECORULE_UPDATE_GOLDEN") != NULL) {
		FILE *out = fopen(path, "wb");

		ck_assert_ptr_nonnull(out);
		fwrite(output, 1, size, out);
		fclose(out);
	}
	golden = test_read_file(path, &golden_size);
	ck_assert_msg(golden != NULL, "missing golden file %s", path);
	if (size != golden_size || memcmp(output, golden, size) != 0) {
		size_t line = 1, i = 0;

		while (i < size && i < golden_size && output[i] == golden[i])
			line += output[i++] == '\n';
		ck_abort_msg("%s differs from the output at line %zu; run with "
			     "ECORULE_UPDATE_GOLDEN=1 to see the new output in the file",
			     path, line);
	}
	free(golden);
	free(output);
}

/* How often needle occurs in haystack. */
static size_t count_of(const char *haystack, const char *needle)
{
	size_t count = 0;

	for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
		count++;
	return count;
}

/* Whether the page has an attribute such as onload="…": " on", letters,
 * then "=". */
static int has_event_handler(const char *page)
{
	for (const char *p = strstr(page, " on"); p != NULL; p = strstr(p + 1, " on")) {
		const char *q = p + 3;

		while (*q >= 'a' && *q <= 'z')
			q++;
		if (q > p + 3 && *q == '=')
			return 1;
	}
	return 0;
}

START_TEST(html_report_chinese)
{
	check_golden(bytecode_path, RECORDS, "report.zh.html", "zh");
}
END_TEST

START_TEST(html_report_english)
{
	check_golden(bytecode_path, RECORDS, "report.en.html", "en");
}
END_TEST

START_TEST(html_units_chinese)
{
	size_t size;
	char *page = render(unit_bytecode_path, UNIT_RECORDS, "zh", &size);

	check_golden(unit_bytecode_path, UNIT_RECORDS, "units.zh.html", "zh");
	/* The invalid record U7 names a unit, but its row shows none, and a
	 * decision is never broken across lines. */
	ck_assert_ptr_nonnull(strstr(page, "<td>U7</td><td></td>"));
	ck_assert_ptr_nonnull(strstr(page, ".decision{font-weight:bold;white-space:nowrap}"));
	free(page);
}
END_TEST

/* The summary counts each decision once per record, the invalid record
 * among them, and every record gets a row and a section. */
START_TEST(html_summary_counts)
{
	size_t size;
	char *page = render(bytecode_path, RECORDS, "zh", &size);

	ck_assert_ptr_nonnull(page);
	ck_assert_uint_eq(count_of(page, "<section class=\"project\""), 6);
	ck_assert_uint_eq(count_of(page, "<tr><td class=\"n\"><a href=\"#record-"), 6);
	ck_assert_ptr_nonnull(strstr(page, "输入有误的记录</span></td><td class=\"n\">1</td>"));
	ck_assert_ptr_nonnull(strstr(page, "<tr><th>合计</th><th class=\"n\">6</th></tr>"));
	ck_assert_ptr_nonnull(strstr(page, "<li>字段“emission.new.SO2”："));
	free(page);
}
END_TEST

/* Ids, titles, messages, bases, labels and input values reach the page
 * only escaped. */
START_TEST(html_escapes_texts)
{
	size_t size;
	char *page = render(escape_bytecode_path, ESCAPE_RECORDS, "en", &size);

	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_null(strstr(page, "<script"));
	ck_assert_ptr_null(strstr(page, "<i>"));
	ck_assert_ptr_null(strstr(page, "<a href=\"x\""));
	ck_assert_ptr_null(strstr(page, "<拆除>"));
	ck_assert_ptr_null(strstr(page, "R2<&>"));
	ck_assert_ptr_nonnull(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
	ck_assert_ptr_nonnull(strstr(page, "a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;"));
	ck_assert_ptr_nonnull(strstr(page, "&lt;a href=&quot;x&quot;&gt;basis&lt;/a&gt; &amp; more"));
	ck_assert_ptr_nonnull(strstr(page, "<h2>Project 1: &lt;i&gt;&amp;&quot;R1&quot;&lt;/i&gt;</h2>"));
	ck_assert_ptr_nonnull(strstr(page, "<td>R2&lt;&amp;&gt;</td>"));
	ck_assert_ptr_nonnull(strstr(page, "&quot;&lt;拆除&gt;&amp;&quot; is not a value of 性质"));
	free(page);
}
END_TEST

/* The page loads nothing and runs nothing: no scripts, no external
 * references, no event handlers. */
START_TEST(html_self_contained)
{
	size_t size;
	char *page = render(bytecode_path, RECORDS, "en", &size);

	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_null(strstr(page, "<script"));
	ck_assert_ptr_null(strstr(page, "<link"));
	ck_assert_ptr_null(strstr(page, "<img"));
	ck_assert_ptr_null(strstr(page, "src="));
	ck_assert_ptr_null(strstr(page, "url("));
	ck_assert_ptr_null(strstr(page, "@import"));
	ck_assert_ptr_null(strstr(page, "http"));
	ck_assert_msg(!has_event_handler(page), "the page has an event handler attribute");
	ck_assert_ptr_nonnull(strstr(page, "@media print"));
	ck_assert(strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	ck_assert(test_ends_with(page, "</body>\n</html>\n"));
	free(page);
}
END_TEST

/* C0 control characters are not allowed in HTML, so an id carrying one
 * shows U+FFFD in its place. */
START_TEST(html_control_characters_replaced)
{
	char records[] = "/tmp/ecorule_test_html_records_XXXXXX";
	int fd = mkstemp(records);
	const char *input = "{\"id\": \"A\\u0001B\", \"project\": {\"nature\": \"扩建\"}}\n";
	size_t size;
	char *page;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, input, strlen(input)), (ssize_t)strlen(input));
	close(fd);
	page = render(escape_bytecode_path, records, "en", &size);
	unlink(records);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "<td>A\xef\xbf\xbd" "B</td>"));
	ck_assert_ptr_null(memchr(page, 0x01, size));
	free(page);
}
END_TEST

/* An empty batch still gives a whole page with a zero summary. */
START_TEST(html_empty_batch)
{
	char records[] = "/tmp/ecorule_test_html_empty_XXXXXX";
	int fd = mkstemp(records);
	size_t size;
	char *page;

	ck_assert_int_ge(fd, 0);
	close(fd);
	page = render(bytecode_path, records, "zh", &size);
	unlink(records);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "<tr><th>合计</th><th class=\"n\">0</th></tr>"));
	ck_assert_ptr_null(strstr(page, "<section"));
	ck_assert(test_ends_with(page, "</body>\n</html>\n"));
	free(page);
}
END_TEST

/* Run a shell command; returns its exit status, or -1 when it did not
 * exit normally. */
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

/* rulevm writes the whole page even when a record is invalid, and exits
 * with 3 for it; an unknown format is a usage error naming html. */
START_TEST(rulevm_eval_format_html)
{
	char out_path[] = "/tmp/ecorule_test_html_out_XXXXXX";
	int fd = mkstemp(out_path);
	size_t size;
	char *page;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(run("%s eval --lang zh --format html --as-of " AS_OF " %s " RECORDS
			     " > %s 2> /dev/null",
			     test_rulevm(), bytecode_path, out_path),
			 3);
	page = test_read_file(out_path, &size);
	ck_assert_ptr_nonnull(page);
	ck_assert(strncmp(page, "<!DOCTYPE html>", 15) == 0);
	ck_assert(test_ends_with(page, "</html>\n"));
	ck_assert_ptr_nonnull(strstr(page, "研判日期：2024-01-01"));
	ck_assert_uint_eq(count_of(page, "<section class=\"project\""), 6);
	free(page);
	ck_assert_int_eq(run("%s eval --lang en --format xml %s " RECORDS " > /dev/null 2> %s",
			     test_rulevm(), bytecode_path, out_path),
			 2);
	page = test_read_file(out_path, &size);
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(strstr(page, "use text, json, jsonl, csv or html"));
	free(page);
	unlink(out_path);
}
END_TEST

static Suite *html_suite(void)
{
	Suite *suite = suite_create("html");
	TCase *tc = tcase_create("html");

	tcase_add_test(tc, html_report_chinese);
	tcase_add_test(tc, html_report_english);
	tcase_add_test(tc, html_units_chinese);
	tcase_add_test(tc, html_summary_counts);
	tcase_add_test(tc, html_escapes_texts);
	tcase_add_test(tc, html_self_contained);
	tcase_add_test(tc, html_control_characters_replaced);
	tcase_add_test(tc, html_empty_batch);
	tcase_add_test(tc, rulevm_eval_format_html);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	SRunner *runner;
	int failed;

	if (test_compile_rules(RULES, bytecode_path) != 0 ||
	    test_compile_rules(UNIT_RULES, unit_bytecode_path) != 0 ||
	    test_compile_rules(ESCAPE_RULES, escape_bytecode_path) != 0) {
		fprintf(stderr, "test_html: compiling the test rule sets failed\n");
		unlink(bytecode_path);
		unlink(unit_bytecode_path);
		unlink(escape_bytecode_path);
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		return EXIT_FAILURE;
	}
	runner = srunner_create(html_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	unlink(bytecode_path);
	unlink(unit_bytecode_path);
	unlink(escape_bytecode_path);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
