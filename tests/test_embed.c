/* Tests of the embedding API: er_record_read_json, evaluation of one
 * program from several threads at once, and the example program
 * examples/embed/screen.c built against an installed libecorule with
 * pkg-config alone, as docs/embedding.md shows it. */
#include <check.h>
#include <glob.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bytecode.h"
#include "ecorule.h"
#include "i18n.h"
#include "support.h"

#define RULES "tests/data/facts/rules.rule"
#define EXAMPLE "examples/embed/screen.c"
#define GOLDEN_DIR "tests/golden/embed/"
#define AS_OF "2024-01-01"

static char bytecode_path[] = "/tmp/ecorule_test_embed_XXXXXX";
static char work_dir[] = "/tmp/ecorule_test_embed_dir_XXXXXX";
static er_program *program;

static er_record *read_json(const char *text, er_status expected)
{
	er_record *record = er_record_new(program);

	ck_assert_ptr_nonnull(record);
	ck_assert_int_eq(er_record_read_json(record, text, strlen(text)), expected);
	return record;
}

static uint32_t fact(const char *path)
{
	uint32_t index = er_program_find_fact(program, path, strlen(path));

	ck_assert_uint_ne(index, BC_NONE);
	return index;
}

START_TEST(read_json_sets_facts)
{
	er_record *record = read_json("{\"id\": \"P1\", \"project\": {\"nature\": \"新建\"}, "
				      "\"新增二氧化硫排放量\": \"2 万吨/年\", \"unknown\": {\"a\": [1]}, "
				      "\"site\": {\"zones\": [\"禁煤区\"], \"unit\": null}}",
				      ER_OK);

	ck_assert_str_eq(record->id, "P1");
	ck_assert_uint_eq(record->number, 1);
	ck_assert_uint_eq(record->error_count, 0);
	ck_assert(record->present[fact("project.nature")]);
	ck_assert(record->present[fact("emission.new.SO2")]);
	ck_assert(record->present[fact("site.zones")]);
	ck_assert(!record->present[fact("site.unit")]);
	ck_assert(!record->present[fact("project.staff")]);
	er_record_free(record);
}
END_TEST

/* A bad value is an error of its field; the other fields are still set. */
START_TEST(read_json_field_error)
{
	er_record *record = read_json("{\"id\": \"P2\", \"project\": {\"nature\": \"拆除\", "
				      "\"staff\": 12}}",
				      ER_E_INPUT);

	ck_assert_uint_eq(record->error_count, 1);
	ck_assert_str_eq(record->errors[0].field, "project.nature");
	ck_assert_uint_eq(record->errors[0].fact, fact("project.nature"));
	ck_assert_ptr_nonnull(strstr(record->errors[0].message, "拆除"));
	ck_assert(record->present[fact("project.staff")]);
	er_record_free(record);
}
END_TEST

/* Malformed JSON, text that is not one object, and text after the object
 * are errors of the record as a whole, with an empty field. */
START_TEST(read_json_whole_text_errors)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "{\"id\": \"P3\",\n \"project\": {\"nature\": }}", "line 2: invalid JSON" },
		{ "{\"id\": \"P3\", \"project\": {", "the input ends inside the record" },
		{ "", "found an empty text" },
		{ "  \n ", "found an empty text" },
		{ "[{\"id\": \"P3\"}]", "found another JSON value" },
		{ "\"P3\"", "found another JSON value" },
		{ "{\"id\": \"P3\"} {\"id\": \"P4\"}", "found more text after it" },
		{ "{\"id\": \"P3\"} x", "found more text after it" },
	};

	ck_assert_int_eq(er_i18n_init("en"), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		er_record *record = read_json(cases[i].text, ER_E_INPUT);

		ck_assert_uint_ge(record->error_count, 1);
		ck_assert_str_eq(record->errors[record->error_count - 1].field, "");
		ck_assert_uint_eq(record->errors[record->error_count - 1].fact, BC_NONE);
		ck_assert_msg(strstr(record->errors[record->error_count - 1].message,
				     cases[i].message) != NULL,
			      "case %zu: message \"%s\" lacks \"%s\"", i,
			      record->errors[record->error_count - 1].message, cases[i].message);
		er_record_free(record);
	}
}
END_TEST

/* A byte-order mark and white space around the object are allowed, and
 * reading again into the same record clears the earlier facts. */
START_TEST(read_json_reuses_record)
{
	const char *first = "\xef\xbb\xbf {\"id\": \"A\", \"project\": {\"staff\": 3}}\n\n";
	const char *second = "{\"project\": {\"nature\": \"扩建\"}}";
	er_record *record = read_json(first, ER_OK);

	ck_assert_str_eq(record->id, "A");
	ck_assert(record->present[fact("project.staff")]);
	ck_assert_int_eq(er_record_read_json(record, second, strlen(second)), ER_OK);
	ck_assert_str_eq(record->id, "1");
	ck_assert(!record->present[fact("project.staff")]);
	ck_assert(record->present[fact("project.nature")]);
	er_record_free(record);
}
END_TEST

/* ---- Threads ---- */

#define THREADS 4
#define ROUNDS 200

/* One record's decision and the ids of its listed rules, as text. */
static char *summarize(const er_program *rules, const char *json, int32_t as_of)
{
	er_record *record = er_record_new(rules);
	er_result result;
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	er_result_init(&result);
	if (record == NULL || out == NULL ||
	    er_record_read_json(record, json, strlen(json)) != ER_OK ||
	    er_eval(rules, record, as_of, &result) != ER_OK) {
		if (out != NULL)
			fclose(out);
		free(text);
		er_record_free(record);
		er_result_free(&result);
		return NULL;
	}
	fprintf(out, "%s %d", record->id, (int)result.decision);
	for (size_t i = 0; i < result.rule_count; i++)
		fprintf(out, " %s/%d", er_program_rule(rules, result.rules[i].rule)->id,
			(int)result.rules[i].outcome);
	for (size_t i = 0; i < result.needed_count; i++)
		fprintf(out, " ?%u", result.needed[i]);
	fclose(out);
	er_result_free(&result);
	er_record_free(record);
	return text;
}

typedef struct thread_work {
	const er_program *rules;
	char **inputs;
	char **expected;
	size_t count;
	int32_t as_of;
	size_t mismatches;
} thread_work;

static void *thread_evaluate(void *arg)
{
	thread_work *work = arg;

	for (int round = 0; round < ROUNDS; round++) {
		size_t i = (size_t)round % work->count;
		char *got = summarize(work->rules, work->inputs[i], work->as_of);

		if (got == NULL || strcmp(got, work->expected[i]) != 0)
			work->mismatches++;
		free(got);
	}
	return NULL;
}

/* Several threads evaluate the Jincheng examples over one program at
 * once and get what one thread gets. */
START_TEST(threads_share_program)
{
	er_error err = { .status = ER_OK };
	er_program *rules = er_program_load_file(test_ruleset(), &err);
	glob_t files;
	thread_work work[THREADS];
	pthread_t threads[THREADS];
	char *inputs[32], *expected[32];
	size_t count;
	int32_t as_of;

	ck_assert_msg(rules != NULL, "loading %s failed: %s", test_ruleset(), err.message);
	ck_assert_int_eq(er_date_parse(AS_OF, strlen(AS_OF), &as_of), 0);
	ck_assert_int_eq(glob("examples/*.json", 0, NULL, &files), 0);
	count = files.gl_pathc < 32 ? files.gl_pathc : 32;
	ck_assert_uint_ge(count, 2);
	for (size_t i = 0; i < count; i++) {
		inputs[i] = test_read_file(files.gl_pathv[i], NULL);
		ck_assert_ptr_nonnull(inputs[i]);
		expected[i] = summarize(rules, inputs[i], as_of);
		ck_assert_ptr_nonnull(expected[i]);
	}
	for (int t = 0; t < THREADS; t++) {
		work[t] = (thread_work){ rules, inputs, expected, count, as_of, 0 };
		ck_assert_int_eq(pthread_create(&threads[t], NULL, thread_evaluate, &work[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
		ck_assert_uint_eq(work[t].mismatches, 0);
	}
	for (size_t i = 0; i < count; i++) {
		free(inputs[i]);
		free(expected[i]);
	}
	globfree(&files);
	er_program_free(rules);
}
END_TEST

/* ---- The installed example ---- */

/* Run a shell command; returns its exit status, or -1 when it did not
 * exit normally. */
static int run(const char *format, ...)
{
	char command[4096];
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

/* The install that make test prepared (env EMBED_PREFIX). */
static const char *embed_prefix(void)
{
	const char *prefix = getenv("EMBED_PREFIX");

	return prefix != NULL ? prefix : "build/embed-prefix";
}

static char *work_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	return test_read_file(path, NULL);
}

/* The environment of a command that runs the example: the installed
 * library and catalogue, and Chinese messages. */
#define RUN_ENV "LD_LIBRARY_PATH=%s/lib ECORULE_LOCALEDIR=%s/share/locale LANGUAGE= LC_ALL= " \
		"LC_MESSAGES= LANG=zh_CN.UTF-8"

/* Build the example with pkg-config's flags and the build's sanitizer
 * options only; returns the compiler's exit status. */
static int build_example(void)
{
	const char *cflags = getenv("EMBED_CFLAGS");

	return run("PKG_CONFIG_PATH=%s/lib/pkgconfig cc %s -Wall -Wextra -Werror -o %s/screen " EXAMPLE
		   " $(PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --cflags --libs ecorule) 2> %s/cc.log",
		   embed_prefix(), cflags != NULL ? cflags : "", work_dir, embed_prefix(), work_dir);
}

START_TEST(pkg_config_names_libraries)
{
	char *libs, *static_libs;

	ck_assert_int_eq(run("PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --libs ecorule > %s/libs",
			     embed_prefix(), work_dir), 0);
	ck_assert_int_eq(run("PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --static --libs ecorule "
			     "> %s/static", embed_prefix(), work_dir), 0);
	libs = work_file("libs");
	static_libs = work_file("static");
	ck_assert_ptr_nonnull(libs);
	ck_assert_ptr_nonnull(static_libs);
	ck_assert_ptr_nonnull(strstr(libs, "-lecorule"));
	ck_assert_ptr_null(strstr(libs, "-lyajl"));
	ck_assert_ptr_nonnull(strstr(static_libs, "-lecorule"));
	ck_assert_ptr_nonnull(strstr(static_libs, "-lyajl"));
	ck_assert_ptr_nonnull(strstr(static_libs, "-lcsv"));
	ck_assert_ptr_nonnull(strstr(static_libs, "-lz"));
	ck_assert_ptr_nonnull(strstr(static_libs, "-lpthread"));
	free(libs);
	free(static_libs);
}
END_TEST

/* Compare a file of the work directory with a golden file. */
static void check_golden(const char *name, const char *golden_name)
{
	char path[256];
	char *output = work_file(name);
	char *golden;

	snprintf(path, sizeof path, GOLDEN_DIR "%s", golden_name);
	ck_assert_ptr_nonnull(output);
	if (getenv("ECORULE_UPDATE_GOLDEN") != NULL) {
		FILE *out = fopen(path, "wb");

		ck_assert_ptr_nonnull(out);
		fputs(output, out);
		fclose(out);
	}
	golden = test_read_file(path, NULL);
	ck_assert_msg(golden != NULL, "missing golden file %s", path);
	ck_assert_msg(strcmp(output, golden) == 0,
		      "%s differs from the output; run with ECORULE_UPDATE_GOLDEN=1 to see the new "
		      "output in the file", path);
	free(golden);
	free(output);
}

/* Two projects as arguments, each decided in its own thread, and a third
 * with an invalid value: the reports come out in argument order and the
 * exit status is 3. */
START_TEST(example_decides_arguments)
{
	char *log;

	ck_assert_msg(build_example() == 0, "building " EXAMPLE " failed: %s",
		      (log = work_file("cc.log")) != NULL ? log : "");
	ck_assert_int_eq(run(RUN_ENV " %s/screen --as-of " AS_OF " %s "
			     "\"$(cat examples/bajiakou_spring_zone_warehouse.json)\" "
			     "\"$(cat examples/jinjiang_machinery_plant_so2.json)\" "
			     "'{\"id\": \"X1\", \"project\": {\"nature\": \"拆除\"}}' > %s/args.txt",
			     embed_prefix(), embed_prefix(), work_dir, test_ruleset(), work_dir),
			 3);
	check_golden("args.txt", "screen_args.zh.txt");
}
END_TEST

/* One project on standard input, with facts missing. */
START_TEST(example_reads_stdin)
{
	ck_assert_int_eq(build_example(), 0);
	ck_assert_int_eq(run(RUN_ENV " %s/screen --as-of " AS_OF " %s "
			     "< examples/mishan_auto_parts_missing_emissions.json > %s/stdin.txt",
			     embed_prefix(), embed_prefix(), work_dir, test_ruleset(), work_dir),
			 0);
	check_golden("stdin.txt", "screen_stdin.zh.txt");
	ck_assert_int_eq(run(RUN_ENV " %s/screen %s/missing.erb < /dev/null 2> /dev/null",
			     embed_prefix(), embed_prefix(), work_dir, work_dir),
			 1);
}
END_TEST

/* A copy of the install, moved away from the PREFIX it was built for,
 * whose catalogue prefixes every translation with "@@": rulevm and the
 * shared library find it without ECORULE_LOCALEDIR, and
 * ECORULE_LOCALEDIR still wins over it. */
START_TEST(moved_install_finds_catalogue)
{
	char *out;

	ck_assert_int_eq(build_example(), 0);
	ck_assert_int_eq(run("rm -rf %s/moved && cp -a %s %s/moved && awk "
			     "'/^msgstr \"/ && seen++ { sub(/^msgstr \"/, \"msgstr \\\"@@\") } 1' "
			     "po/zh_CN.po > %s/marker.po && msgfmt -o "
			     "%s/moved/share/locale/zh_CN/LC_MESSAGES/ecorule.mo %s/marker.po",
			     work_dir, embed_prefix(), work_dir, work_dir, work_dir, work_dir),
			 0);
	ck_assert_int_eq(run("env -u ECORULE_LOCALEDIR %s/moved/bin/rulevm --lang zh --help "
			     "> %s/moved.txt", work_dir, work_dir),
			 0);
	out = work_file("moved.txt");
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strncmp(out, "@@", 2) == 0, "not the moved catalogue: %.80s", out);
	free(out);
	ck_assert_int_eq(run("env -u ECORULE_LOCALEDIR LD_LIBRARY_PATH=%s/moved/lib LANGUAGE= "
			     "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 %s/screen --as-of " AS_OF " %s "
			     "< examples/mishan_auto_parts_missing_emissions.json > %s/lib.txt",
			     work_dir, work_dir, test_ruleset(), work_dir),
			 0);
	out = work_file("lib.txt");
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "@@") != NULL, "not the moved catalogue: %.80s", out);
	free(out);
	ck_assert_int_eq(run("ECORULE_LOCALEDIR=%s/share/locale %s/moved/bin/rulevm --lang zh "
			     "--help > %s/env.txt", embed_prefix(), work_dir, work_dir),
			 0);
	out = work_file("env.txt");
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strstr(out, "@@") == NULL && strstr(out, "用法") != NULL,
		      "ECORULE_LOCALEDIR not used: %.80s", out);
	free(out);
}
END_TEST

/* Both pages of docs/embedding show the example's whole text. */
START_TEST(docs_include_example)
{
	static const char *const docs[] = { "docs/embedding.md", "docs/embedding.zh-CN.md" };
	char *example = test_read_file(EXAMPLE, NULL);

	ck_assert_ptr_nonnull(example);
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		char *doc = test_read_file(docs[i], NULL);

		ck_assert_msg(doc != NULL, "cannot read %s", docs[i]);
		ck_assert_msg(strstr(doc, example) != NULL, "%s does not contain %s verbatim",
			      docs[i], EXAMPLE);
		free(doc);
	}
	free(example);
}
END_TEST

static Suite *embed_suite(void)
{
	Suite *suite = suite_create("embed");
	TCase *api = tcase_create("api");
	TCase *example = tcase_create("example");

	tcase_add_test(api, read_json_sets_facts);
	tcase_add_test(api, read_json_field_error);
	tcase_add_test(api, read_json_whole_text_errors);
	tcase_add_test(api, read_json_reuses_record);
	tcase_add_test(api, threads_share_program);
	tcase_set_timeout(api, 60);
	suite_add_tcase(suite, api);
	tcase_add_test(example, pkg_config_names_libraries);
	tcase_add_test(example, example_decides_arguments);
	tcase_add_test(example, example_reads_stdin);
	tcase_add_test(example, docs_include_example);
	tcase_add_test(example, moved_install_finds_catalogue);
	tcase_set_timeout(example, 60);
	suite_add_tcase(suite, example);
	return suite;
}

int main(void)
{
	er_error err = { .status = ER_OK };
	SRunner *runner;
	int failed;

	if (test_compile_rules(RULES, bytecode_path) != 0 || mkdtemp(work_dir) == NULL ||
	    (program = er_program_load_file(bytecode_path, &err)) == NULL) {
		fprintf(stderr, "test_embed: preparing %s failed: %s\n", RULES, err.message);
		unlink(bytecode_path);
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		return EXIT_FAILURE;
	}
	runner = srunner_create(embed_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	er_program_free(program);
	unlink(bytecode_path);
	run("rm -rf %s", work_dir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
