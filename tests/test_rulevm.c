/* Tests of the rulevm command as a user runs it: exit statuses 0 to 7, a
 * damaged bytecode file rejected with a message, and batches evaluated
 * with several threads giving the output of one. */
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

static size_t count_lines_starting(const char *text, const char *prefix)
{
	size_t count = 0;

	for (const char *line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
		count += strncmp(line, prefix, strlen(prefix)) == 0;
		if (strchr(line, '\n') == NULL)
			break;
	}
	return count;
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

/* In Chinese every message of rulevm starts "rulevm：" with the
 * full-width colon: usage errors, load errors and input errors alike. */
START_TEST(chinese_prefix_consistent)
{
	char *err;

	write_text("book.xlsx", "PK\3\4");
	run("%s eval --lang zh --bom --format json %s < /dev/null 2> %s/zh.err", rulevm(),
	    bytecode_path, work_dir);
	run("%s eval --lang zh %s/missing.erb < /dev/null 2>> %s/zh.err", rulevm(), work_dir, work_dir);
	run("%s eval --lang zh %s %s/missing.json 2>> %s/zh.err", rulevm(), bytecode_path, work_dir,
	    work_dir);
	run("%s eval --lang zh %s %s/book.xlsx 2>> %s/zh.err", rulevm(), bytecode_path, work_dir,
	    work_dir);
	err = read_text("zh.err");
	ck_assert_msg(strstr(err, "rulevm: ") == NULL, "an ASCII colon after rulevm: %s", err);
	ck_assert_uint_eq(count_lines_starting(err, "rulevm："), 4);
	ck_assert_ptr_nonnull(strstr(err, "Excel"));
	free(err);
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
	ck_assert_int_eq(run("echo '{\"id\": \"S\"}' | %s eval --format jsonl --as-of 2024-01-01 %s - "
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
	ck_assert_int_eq(run("%s eval --lang en --format jsonl --as-of 2024-01-01 %s %s > %s/out.json "
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
	ck_assert_msg(strstr(with_err, "3000 records evaluated, ") != NULL, "got: %s", with_err);
	ck_assert_ptr_nonnull(strstr(with_err, " records/s, 0 with errors\n"));
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

/* ---- Batches: --jobs, --fail-on, --summary, formats ---- */

#define EXAMPLES "examples/*.json"
#define BATCH_RECORDS 20000
#define ALONE_RECORDS 200

static const char *gen_records(void)
{
	const char *value = getenv("GEN_RECORDS");

	return value != NULL && *value != '\0' ? value : "build/tests/gen_records";
}

static char *read_whole(const char *name, size_t *size)
{
	char path[400];
	char *text;

	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	text = test_read_file(path, size);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

/* Assert that two output files of the work directory are byte-identical. */
static void assert_same_files(const char *a, const char *b)
{
	size_t size_a, size_b;
	char *text_a = read_whole(a, &size_a);
	char *text_b = read_whole(b, &size_b);
	size_t i = 0;

	while (i < size_a && i < size_b && text_a[i] == text_b[i])
		i++;
	ck_assert_msg(size_a == size_b && i == size_a, "%s and %s differ from byte %zu (sizes %zu, %zu)",
		      a, b, i, size_a, size_b);
	free(text_a);
	free(text_b);
}

/* Whether every progress line in `text` ends before anything else is
 * written: the text after "with errors" is a line end or an erase. */
static int progress_lines_ended(const char *text)
{
	for (const char *p = strstr(text, "with errors"); p != NULL; p = strstr(p + 1, "with errors")) {
		const char *after = p + strlen("with errors");

		if (*after != '\n' && *after != '\r')
			return 0;
	}
	return 1;
}

/* A record error after the progress line was drawn starts a line of its
 * own: in a file the progress line is ended first, on a terminal it is
 * erased and drawn again after the message. The input waits a second
 * first, so that the line is drawn at record 1024. */
START_TEST(progress_line_cleared_for_messages)
{
	char *err;

	/* 2000 valid records, then a broken one: the only message. */
	ck_assert_int_eq(run("for i in $(seq 2000); do cat examples/main_zone_bank_service_centre.json; "
			     "done > %s/progress.jsonl && printf '{\"id\": \"BAD\",\\n' "
			     ">> %s/progress.jsonl", work_dir, work_dir),
			 0);
	ck_assert_int_eq(run("(sleep 1; cat %s/progress.jsonl) | %s eval --lang en --progress "
			     "--format jsonl %s > /dev/null 2> %s/progress.err",
			     work_dir, rulevm(), test_ruleset(), work_dir),
			 3);
	err = read_text("progress.err");
	ck_assert_msg(strstr(err, "records evaluated") != NULL, "no progress line: %s", err);
	ck_assert_msg(strstr(err, "with errors\nrulevm: standard input: record 2001") != NULL,
		      "got: %s", err);
	ck_assert_msg(progress_lines_ended(err), "a message is glued to the progress line: %s", err);
	free(err);
	ck_assert_int_eq(run("script -qec \"sh -c '(sleep 1; cat %s/progress.jsonl) | %s eval "
			     "--lang en --format jsonl %s > /dev/null'\" /dev/null > %s/progress.tty",
			     work_dir, rulevm(), test_ruleset(), work_dir),
			 3);
	err = read_text("progress.tty");
	ck_assert_msg(strstr(err, "with errors\r\033[Krulevm: standard input: record 2001") != NULL,
		      "got: %s", err);
	ck_assert_msg(progress_lines_ended(err), "a message is glued to the progress line: %s", err);
	free(err);
}
END_TEST

/* 20,000 Jincheng-shaped records, some invalid: the reports on standard
 * output and the messages on standard error are the same, byte for byte,
 * with 1, 2 and 4 threads. */
START_TEST(jobs_output_identical)
{
	ck_assert_int_eq(run("%s %s %d jsonl > %s/batch.jsonl", gen_records(), test_ruleset(),
			     BATCH_RECORDS, work_dir), 0);
	for (int jobs = 1; jobs <= 4; jobs *= 2) {
		ck_assert_int_eq(run("%s eval --lang en -j %d --format csv --as-of 2024-01-01 %s "
				     "%s/batch.jsonl > %s/jobs%d.csv 2> %s/jobs%d.err",
				     rulevm(), jobs, test_ruleset(), work_dir, work_dir, jobs, work_dir, jobs),
				 3);
	}
	assert_same_files("jobs1.csv", "jobs2.csv");
	assert_same_files("jobs1.csv", "jobs4.csv");
	assert_same_files("jobs1.err", "jobs2.err");
	assert_same_files("jobs1.err", "jobs4.err");

	size_t size;
	char *csv = read_whole("jobs1.csv", &size);
	size_t rows = 0;

	for (size_t i = 0; i < size; i++)
		rows += csv[i] == '\n';
	ck_assert_uint_eq(rows, BATCH_RECORDS + 1);
	free(csv);
	char *err = read_whole("jobs4.err", &size);

	/* Record 997 is invalid, and the messages come in record order. */
	ck_assert_msg(strstr(err, "record 997 (G0000997)") != NULL, "got: %.300s", err);
	size_t last = 0, messages = 0;

	for (const char *p = strstr(err, ": record "); p != NULL; p = strstr(p + 1, ": record ")) {
		size_t number = strtoul(p + strlen(": record "), NULL, 10);

		ck_assert_uint_ge(number, last);
		last = number;
		messages++;
	}
	ck_assert_uint_ge(messages, 2);
	free(err);
}
END_TEST

/* With several inputs every format names each record's file; with one
 * it names none. */
START_TEST(several_inputs_named)
{
	static const struct {
		const char *format;
		const char *first, *second;
	} cases[] = {
		{ "jsonl", "{\"input\":\"examples/bagong_coking_expansion.json\",\"record\":1,",
		  "{\"input\":\"-\",\"record\":1," },
		{ "json", "{\"input\":\"examples/bagong_coking_expansion.json\",\"record\":1,",
		  "{\"input\":\"-\",\"record\":1," },
		{ "csv", "\n\"examples/bagong_coking_expansion.json\",\"1\",\"EX-A06\",",
		  "\n\"-\",\"1\",\"EX-A02\"," },
		{ "text", "examples/bagong_coking_expansion.json: record 1 (EX-A06): ",
		  "\n-: record 1 (EX-A02): " },
		{ "html", "<h2>Project 1: EX-A06 (examples/bagong_coking_expansion.json, record 1)</h2>",
		  "<h2>Project 2: EX-A02 (-, record 1)</h2>" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out;

		ck_assert_int_eq(run("%s eval --lang en -j 2 --format %s --as-of 2024-01-01 %s "
				     "examples/bagong_coking_expansion.json - "
				     "< examples/jinjiang_machinery_plant_so2.json > %s/two.out",
				     rulevm(), cases[i].format, test_ruleset(), work_dir),
				 0);
		out = read_text("two.out");
		ck_assert_msg(strstr(out, cases[i].first) != NULL, "%s: got %.400s", cases[i].format, out);
		ck_assert_msg(strstr(out, cases[i].second) != NULL, "%s: got %.400s", cases[i].format,
			      out);
		free(out);
		ck_assert_int_eq(run("%s eval --lang en --format %s --as-of 2024-01-01 %s "
				     "examples/bagong_coking_expansion.json > %s/one.out",
				     rulevm(), cases[i].format, test_ruleset(), work_dir),
				 0);
		out = read_text("one.out");
		ck_assert_msg(strstr(out, "examples/") == NULL && strstr(out, "\"input\"") == NULL,
			      "%s: one input is named: %.400s", cases[i].format, out);
		free(out);
	}
	ck_assert_int_eq(run("%s eval --lang en --format csv --as-of 2024-01-01 %s "
			     "examples/bagong_coking_expansion.json - < /dev/null > %s/two.csv",
			     rulevm(), test_ruleset(), work_dir),
			 0);
	char *csv = read_text("two.csv");

	ck_assert_int_eq(strncmp(csv, "\"input\",\"record\",\"id\",", 21), 0);
	free(csv);
}
END_TEST

/* Every report format gives the same output with several threads, over
 * two input files, the second CSV. */
START_TEST(jobs_every_format_identical)
{
	static const char *const formats[] = { "text", "json", "jsonl", "csv", "html" };

	ck_assert_int_eq(run("%s --distinct 997 %s 1500 jsonl > %s/part.jsonl", gen_records(),
			     test_ruleset(), work_dir), 0);
	/* Rows 501 to 1200 include record 997, which is invalid. */
	ck_assert_int_eq(run("%s --first 501 %s 700 csv > %s/part.csv", gen_records(), test_ruleset(),
			     work_dir), 0);
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		for (int jobs = 1; jobs <= 3; jobs += 2) {
			ck_assert_int_eq(run("%s eval --lang zh -j%d --format %s --as-of 2024-01-01 %s "
					     "%s/part.jsonl %s/part.csv > %s/%s%d.out 2> %s/%s%d.err",
					     rulevm(), jobs, formats[f], test_ruleset(), work_dir, work_dir,
					     work_dir, formats[f], jobs, work_dir, formats[f], jobs),
					 3);
		}
		char one[64], three[64];

		snprintf(one, sizeof one, "%s1.out", formats[f]);
		snprintf(three, sizeof three, "%s3.out", formats[f]);
		assert_same_files(one, three);
		snprintf(one, sizeof one, "%s1.err", formats[f]);
		snprintf(three, sizeof three, "%s3.err", formats[f]);
		assert_same_files(one, three);
	}
	/* The warning about the CSV file's 项目名称 column comes after the
	 * messages about the JSON file's records. */
	size_t size;
	char *err = read_whole("csv3.err", &size);
	const char *warning = strstr(err, "项目名称");

	ck_assert_ptr_nonnull(warning);
	ck_assert_ptr_nonnull(strstr(err, "part.jsonl"));
	ck_assert(strstr(err, "part.jsonl") < warning);
	free(err);
}
END_TEST

/* Inputs that take every path of the parallel JSON Lines reader; see
 * tests/data/jobs/edges.awk. */
static const char *const jobs_edge_inputs[] = {
	"edges.jsonl", "edges_gb.jsonl", "deep.jsonl", "bad_gb.jsonl", "long.jsonl",
};

static void jobs_make_edge_inputs(void)
{
	const char *awk = "awk -f tests/data/jobs/edges.awk";

	ck_assert_int_eq(run("%s %s 3000 jsonl > %s/base.jsonl", gen_records(), test_ruleset(),
			     work_dir), 0);
	/* A byte-order mark, and no '\n' after the last line. */
	ck_assert_int_eq(run("%s -v bom=1 %s/base.jsonl | head -c -1 > %s/edges.jsonl", awk, work_dir,
			     work_dir), 0);
	ck_assert_int_eq(run("%s %s/base.jsonl | iconv -f UTF-8 -t GB18030 > %s/edges_gb.jsonl", awk,
			     work_dir, work_dir), 0);
	/* Nesting past the limit stops the reading (line 2380 once the
	 * other edges are in). */
	ck_assert_int_eq(run("%s -v deep=1 %s/base.jsonl > %s/deep.jsonl", awk, work_dir, work_dir), 0);
	/* A byte that is not GB18030 stops it in record 2500. */
	ck_assert_int_eq(run("iconv -f UTF-8 -t GB18030 %s/base.jsonl > %s/gb.jsonl && "
			     "{ head -n 2499 %s/gb.jsonl; printf '{\"id\":\\200\\n'; "
			     "tail -n +2500 %s/gb.jsonl; } > %s/bad_gb.jsonl",
			     work_dir, work_dir, work_dir, work_dir, work_dir), 0);
	/* A line of 5 MB, longer than a piece may grow. */
	ck_assert_int_eq(run("{ head -n 2600 %s/base.jsonl; printf '{\"pad\":\"'; "
			     "head -c 5000000 /dev/zero | tr '\\0' x; printf '\"}\\n'; "
			     "tail -n +2601 %s/base.jsonl; } > %s/long.jsonl",
			     work_dir, work_dir, work_dir), 0);
}

/* Blank lines, broken records, a record spread over lines, a missing
 * closing brace, a byte-order mark, GB18030, no final '\n', limits and
 * decoding errors: the same reports, messages and exit status with 1, 2
 * and 4 threads. */
START_TEST(jobs_jsonl_edges_identical)
{
	static const char *const formats[] = { "text", "csv", "jsonl" };
	/* A message the last run of each input must print. Records without
	 * an id take their number, counted over every piece. */
	static const char *const expected[] = {
		"edges.jsonl: record 1801 (1801): line 1874: expected an object for a project",
		"edges_gb.jsonl: record 1801 (1801): line 1874: expected an object for a project",
		"deep.jsonl: line 2380: arrays and objects nest more than 64 levels deep",
		"bad_gb.jsonl: record 2500: byte 4884178 is not valid GB18030",
		"{\"record\":2601,\"id\":\"2601\",",
	};

	jobs_make_edge_inputs();
	for (size_t i = 0; i < sizeof jobs_edge_inputs / sizeof jobs_edge_inputs[0]; i++) {
		for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
			for (int jobs = 1; jobs <= 4; jobs *= 2) {
				ck_assert_int_eq(run("%s eval --lang en -j %d --format %s --as-of 2024-01-01 %s "
						     "%s/%s > %s/edge%d.out 2> %s/edge%d.err",
						     rulevm(), jobs, formats[f], test_ruleset(), work_dir,
						     jobs_edge_inputs[i], work_dir, jobs, work_dir, jobs),
						 3);
			}
			assert_same_files("edge1.out", "edge2.out");
			assert_same_files("edge1.out", "edge4.out");
			assert_same_files("edge1.err", "edge2.err");
			assert_same_files("edge1.err", "edge4.err");
		}
		size_t size;
		char *out = read_whole("edge4.out", &size);
		char *err = read_whole("edge4.err", &size);

		ck_assert_msg(strstr(err, expected[i]) != NULL || strstr(out, expected[i]) != NULL,
			      "%s: no \"%s\" in: %.400s", jobs_edge_inputs[i], expected[i], err);
		free(out);
		free(err);
	}
}
END_TEST

/* Each of 200 records evaluated alone gives the object it has in the
 * batch, but for its record number. */
START_TEST(batch_equals_records_alone)
{
	size_t size;
	char *batch, *line;
	int checked = 0;

	ck_assert_int_eq(run("%s %s %d jsonl > %s/alone.jsonl", gen_records(), test_ruleset(),
			     ALONE_RECORDS, work_dir), 0);
	ck_assert_int_eq(run("%s eval -j 2 --format jsonl --as-of 2024-01-01 %s %s/alone.jsonl "
			     "> %s/alone_batch.jsonl", rulevm(), test_ruleset(), work_dir, work_dir), 0);
	ck_assert_int_eq(run("for n in $(seq 1 %d); do %s --first $n %s 1 jsonl | "
			     "%s eval --format jsonl --as-of 2024-01-01 %s -; done > %s/alone_each.jsonl",
			     ALONE_RECORDS, gen_records(), test_ruleset(), rulevm(), test_ruleset(),
			     work_dir), 0);
	batch = read_whole("alone_batch.jsonl", &size);
	char *each = read_whole("alone_each.jsonl", &size);
	char *each_line = each, *batch_next;

	for (line = batch; *line != '\0'; line = batch_next) {
		char *end = strchr(line, '\n'), *each_end = strchr(each_line, '\n');
		char prefix[64];

		ck_assert_ptr_nonnull(end);
		ck_assert_ptr_nonnull(each_end);
		*end = *each_end = '\0';
		batch_next = end + 1;
		checked++;
		snprintf(prefix, sizeof prefix, "{\"record\":%d,", checked);
		ck_assert_int_eq(strncmp(line, prefix, strlen(prefix)), 0);
		ck_assert_int_eq(strncmp(each_line, "{\"record\":1,", 12), 0);
		ck_assert_msg(strcmp(line + strlen(prefix), each_line + 12) == 0,
			      "record %d differs alone", checked);
		each_line = each_end + 1;
	}
	ck_assert_int_eq(checked, ALONE_RECORDS);
	free(batch);
	free(each);
}
END_TEST

/* --fail-on gives 5, 6 or 7 by the strictest decision it names that some
 * project has; invalid records give 3 before them. */
START_TEST(fail_on_statuses)
{
	const char *ruleset = test_ruleset();
	const char *eval = "eval --as-of 2024-01-01 --no-summary";

	ck_assert_int_eq(run("%s %s %s " EXAMPLES " > /dev/null", rulevm(), eval, ruleset), 0);
	ck_assert_int_eq(run("%s %s --fail-on forbid %s " EXAMPLES " > /dev/null", rulevm(), eval,
			     ruleset), 5);
	ck_assert_int_eq(run("%s %s --fail-on restrict %s " EXAMPLES " > /dev/null", rulevm(), eval,
			     ruleset), 6);
	ck_assert_int_eq(run("%s %s --fail-on undecided %s " EXAMPLES " > /dev/null", rulevm(), eval,
			     ruleset), 7);
	ck_assert_int_eq(run("%s %s --fail-on undecided,restrict %s " EXAMPLES " > /dev/null", rulevm(),
			     eval, ruleset), 6);
	ck_assert_int_eq(run("%s %s --fail-on=undecided --fail-on forbid %s " EXAMPLES " > /dev/null",
			     rulevm(), eval, ruleset), 5);
	/* The report codes are aliases, and blanks around items are allowed. */
	ck_assert_int_eq(run("%s %s --fail-on rejected %s " EXAMPLES " > /dev/null", rulevm(), eval,
			     ruleset), 5);
	ck_assert_int_eq(run("%s %s --fail-on 'needs_information, restricted' %s " EXAMPLES
			     " > /dev/null", rulevm(), eval, ruleset), 6);
	ck_assert_int_eq(run("%s %s --fail-on needs_information %s " EXAMPLES " > /dev/null",
			     rulevm(), eval, ruleset), 7);
	/* examples/main_zone_bank_service_centre.json is admitted. */
	ck_assert_int_eq(run("%s %s --fail-on forbid,restrict,undecided,error %s "
			     "examples/main_zone_bank_service_centre.json > /dev/null",
			     rulevm(), eval, ruleset), 0);
	ck_assert_int_eq(run("%s %s --fail-on forbid %s " EXAMPLES " %s > /dev/null 2>&1", rulevm(),
			     eval, ruleset, RECORDS), 3);
	ck_assert_int_eq(run("%s %s --fail-on error %s %s > /dev/null 2>&1", rulevm(), eval, ruleset,
			     RECORDS), 3);
	ck_assert_int_eq(run("%s %s --fail-on forbid,sometimes %s " EXAMPLES " > /dev/null 2> %s/err.txt",
			     rulevm(), eval, ruleset, work_dir), 2);
	char *err = read_text("err.txt");

	ck_assert_msg(strstr(err, "'sometimes'") != NULL, "got: %s", err);
	free(err);
}
END_TEST

/* --summary counts the projects per decision and the invalid records on
 * standard error; --no-summary prints nothing. */
START_TEST(summary_on_request)
{
	ck_assert_int_eq(run("%s eval --lang en --summary --as-of 2024-01-01 %s " EXAMPLES " %s "
			     "> /dev/null 2> %s/summary.txt",
			     rulevm(), test_ruleset(), RECORDS, work_dir), 3);
	char *err = read_text("summary.txt");

	ck_assert_msg(strstr(err, "rulevm: summary: 12 records, 1 of them invalid\n"
				  "  rejected: 3\n  restricted: 1\n  conditionally admitted: 1\n"
				  "  admitted: 1\n  needs information: 5\n") != NULL, "got: %s", err);
	free(err);
	ck_assert_int_eq(run("%s eval --no-summary --as-of 2024-01-01 %s " EXAMPLES " > /dev/null "
			     "2> %s/summary.txt", rulevm(), test_ruleset(), work_dir), 0);
	err = read_text("summary.txt");
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

/* --bom begins a CSV or HTML report with a byte-order mark and is
 * refused for JSON; --jobs takes a whole number from 1 to 256. */
START_TEST(bom_and_jobs_options)
{
	ck_assert_int_eq(run("%s eval --bom --format csv --as-of 2024-01-01 %s " EXAMPLES " > %s/bom.csv",
			     rulevm(), test_ruleset(), work_dir), 0);
	char *csv = read_text("bom.csv");

	ck_assert_int_eq(strncmp(csv, "\xef\xbb\xbf\"", 4), 0);
	free(csv);
	/* HTML may begin with a byte-order mark; browsers then read it as UTF-8. */
	ck_assert_int_eq(run("%s eval --bom --format html --as-of 2024-01-01 %s " EXAMPLES
			     " > %s/bom.html", rulevm(), test_ruleset(), work_dir), 0);
	csv = read_text("bom.html");
	ck_assert_int_eq(strncmp(csv, "\xef\xbb\xbf<!DOCTYPE", 12), 0);
	free(csv);
	ck_assert_int_eq(run("%s eval --bom --format json %s < /dev/null 2> /dev/null", rulevm(),
			     test_ruleset()), 2);
	ck_assert_int_eq(run("%s eval -j 0 %s < /dev/null 2> /dev/null", rulevm(), test_ruleset()), 2);
	ck_assert_int_eq(run("%s eval --jobs 257 %s < /dev/null 2> /dev/null", rulevm(), test_ruleset()), 2);
	ck_assert_int_eq(run("%s eval --jobs=two %s < /dev/null 2> /dev/null", rulevm(), test_ruleset()), 2);
	ck_assert_int_eq(run("%s eval -j %s < /dev/null 2> /dev/null", rulevm(), test_ruleset()), 2);
	ck_assert_int_eq(run("%s eval -j8 --jobs=3 --format json %s < /dev/null > %s/empty.json",
			     rulevm(), test_ruleset(), work_dir), 0);
	char *json = read_text("empty.json");

	ck_assert_str_eq(json, "[]\n");
	free(json);
}
END_TEST

static Suite *rulevm_suite(void)
{
	Suite *suite = suite_create("rulevm");
	TCase *tc = tcase_create("command");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, chinese_prefix_consistent);
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

	TCase *batch = tcase_create("batch");

	/* Under the sanitizers the 20,000-record runs take a while. */
	tcase_set_timeout(batch, 600);
	tcase_add_test(batch, jobs_output_identical);
	tcase_add_test(batch, progress_line_cleared_for_messages);
	tcase_add_test(batch, jobs_every_format_identical);
	tcase_add_test(batch, several_inputs_named);
	tcase_add_test(batch, jobs_jsonl_edges_identical);
	tcase_add_test(batch, batch_equals_records_alone);
	tcase_add_test(batch, fail_on_statuses);
	tcase_add_test(batch, summary_on_request);
	tcase_add_test(batch, bom_and_jobs_options);
	suite_add_tcase(suite, batch);
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
