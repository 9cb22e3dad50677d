/* Tests of rulevm explain and rulevm ask: golden outputs in Chinese and
 * English on a small rule set and on the Jincheng set, the explainer's
 * outcomes against er_eval over every Jincheng scenario, and a template
 * round trip. ECORULE_UPDATE_GOLDEN=1 rewrites the golden files from the
 * current output. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "bcasm.h"
#include "ecorule.h"
#include "explain.h"
#include "facts.h"
#include "i18n.h"
#include "program.h"
#include "support.h"

#define RULES "tests/data/explain/rules.rule"
#define RECORDS "tests/data/explain/records.jsonl"
#define GOLDEN_DIR "tests/golden/explain/"
#define AS_OF "2024-01-01"

static char bytecode_path[] = "/tmp/ecorule_test_explain_XXXXXX";
static char work_dir[] = "/tmp/ecorule_test_explain_dir_XXXXXX";

static void setup(void)
{
	ck_assert_int_eq(test_compile_rules(RULES, bytecode_path), 0);
	ck_assert_ptr_nonnull(mkdtemp(work_dir));
}

static void teardown(void)
{
	char command[512];

	unlink(bytecode_path);
	snprintf(command, sizeof command, "rm -rf '%s'", work_dir);
	ck_assert_int_eq(system(command), 0);
}

/* Run rulevm with `args` (a shell fragment), standard output into
 * work_dir/NAME; returns the exit status, or -1 after a crash. */
static int run_rulevm(const char *name, const char *format, ...)
{
	char args[1024], command[2048];
	va_list ap;
	int status;

	va_start(ap, format);
	vsnprintf(args, sizeof args, format, ap);
	va_end(ap);
	snprintf(command, sizeof command, "%s %s > '%s/%s' 2> '%s/%s.err'", test_rulevm(), args,
		 work_dir, name, work_dir, name);
	status = system(command);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static char *work_file(const char *name)
{
	char path[512];
	char *text;

	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

/* Compare work_dir/NAME with the golden file NAME, naming the first line
 * that differs. */
static void check_golden(const char *name)
{
	char path[256];
	char *output = work_file(name);
	char *golden;
	size_t size = strlen(output), golden_size = 0;

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

/* Run `rulevm ARGS` expecting exit status 0 and compare with NAME. */
static void golden_run(const char *name, const char *args)
{
	int status = run_rulevm(name, "%s", args);

	ck_assert_msg(status == 0, "rulevm %s exited with %d", args, status);
	check_golden(name);
}

#define SMALL(args) args " --as-of " AS_OF " %s " RECORDS

START_TEST(explain_forbidden_zh)
{
	char args[512];

	/* The first record: two forbid rules apply. */
	snprintf(args, sizeof args, SMALL("explain --lang zh"), bytecode_path);
	golden_run("forbidden.zh.txt", args);
}
END_TEST

START_TEST(explain_forbidden_en)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("explain --lang en --id E1"), bytecode_path);
	golden_run("forbidden.en.txt", args);
}
END_TEST

START_TEST(explain_exception_holds)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("explain --lang zh --id E2"), bytecode_path);
	golden_run("exception.zh.txt", args);
	snprintf(args, sizeof args, SMALL("explain --lang en --id E2 --rule spring.forbid"),
		 bytecode_path);
	golden_run("exception.en.txt", args);
}
END_TEST

START_TEST(explain_undetermined)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("explain --lang zh --id E3"), bytecode_path);
	golden_run("undetermined.zh.txt", args);
	snprintf(args, sizeof args, SMALL("explain --lang en --id E3"), bytecode_path);
	golden_run("undetermined.en.txt", args);
	snprintf(args, sizeof args, SMALL("explain --format json --id E3"), bytecode_path);
	golden_run("undetermined.json", args);

	/* As in eval's JSON: null for a rule without ensure, and Chinese as
	 * UTF-8, not \u escapes. */
	char *json = work_file("undetermined.json");

	ck_assert_ptr_null(strstr(json, "\"check\":\"none\""));
	ck_assert_ptr_nonnull(strstr(json, "\"check\":null"));
	ck_assert_ptr_null(strstr(json, "\\u"));
	ck_assert_ptr_nonnull(strstr(json, "泉域"));
	free(json);
}
END_TEST

/* The fourth record gives no unit and a zero divisor. */
START_TEST(explain_failure_without_unit)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("explain --lang en --id E4"), bytecode_path);
	golden_run("no_unit.en.txt", args);
	snprintf(args, sizeof args, SMALL("explain --lang zh --id E4"), bytecode_path);
	golden_run("no_unit.zh.txt", args);
	snprintf(args, sizeof args, SMALL("ask --lang en --id E4"), bytecode_path);
	golden_run("ask_failed.en.txt", args);
}
END_TEST

START_TEST(explain_rule_out_of_scope)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("explain --lang en --rule general.guide"), bytecode_path);
	golden_run("out_of_scope.en.txt", args);
	snprintf(args, sizeof args, SMALL("explain --lang zh --rule general.guide"), bytecode_path);
	golden_run("out_of_scope.zh.txt", args);
}
END_TEST

START_TEST(ask_undecided)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("ask --lang zh --id E3"), bytecode_path);
	golden_run("ask.zh.txt", args);
	snprintf(args, sizeof args, SMALL("ask --lang en --id E3"), bytecode_path);
	golden_run("ask.en.txt", args);
	snprintf(args, sizeof args, SMALL("ask --format json --id E3"), bytecode_path);
	golden_run("ask.json", args);
	snprintf(args, sizeof args, SMALL("ask --template --lang zh --id E3"), bytecode_path);
	golden_run("template.zh.json", args);
}
END_TEST

/* In the fifth record two rules lack 所在区域 and one rule each the
 * other facts, so 所在区域 comes first and the rest in fact order. */
START_TEST(ask_ranks_by_rule_count)
{
	char args[512];
	char *text;
	const char *zones, *nature, *water, *industry;

	snprintf(args, sizeof args, SMALL("ask --lang en --id E5"), bytecode_path);
	golden_run("ranked.en.txt", args);
	text = work_file("ranked.en.txt");
	zones = strstr(text, "(site.zones)");
	nature = strstr(text, "(project.nature)");
	water = strstr(text, "(project.water_supply_related)");
	industry = strstr(text, "(project.industry)");
	ck_assert_ptr_nonnull(zones);
	ck_assert_ptr_nonnull(nature);
	ck_assert_ptr_nonnull(water);
	ck_assert_ptr_nonnull(industry);
	ck_assert_msg(zones < nature, "zones is listed after nature");
	ck_assert_msg(nature < water, "nature is listed after water");
	ck_assert_msg(water < industry, "water is listed after industry");
	free(text);
}
END_TEST

START_TEST(ask_settled_exits_0)
{
	char args[512];

	snprintf(args, sizeof args, SMALL("ask --lang zh --id E1"), bytecode_path);
	golden_run("settled.zh.txt", args);
	snprintf(args, sizeof args, SMALL("ask --lang en --id E2"), bytecode_path);
	golden_run("settled.en.txt", args);
}
END_TEST

START_TEST(usage_errors)
{
	ck_assert_int_eq(run_rulevm("out", "explain --help"), 0);
	ck_assert_int_eq(run_rulevm("out", "ask --help"), 0);
	ck_assert_int_eq(run_rulevm("out", "explain --rule no.such.rule %s " RECORDS, bytecode_path), 2);
	ck_assert_int_eq(run_rulevm("out", "explain --format csv %s " RECORDS, bytecode_path), 2);
	ck_assert_int_eq(run_rulevm("out", "ask --rule spring.forbid %s " RECORDS, bytecode_path), 2);
	ck_assert_int_eq(run_rulevm("out", "explain --id NONE %s " RECORDS, bytecode_path), 3);
	ck_assert_int_eq(run_rulevm("out", "ask %s /nonexistent.json", bytecode_path), 4);
}
END_TEST

START_TEST(invalid_record_exit_3)
{
	char *errors;

	ck_assert_int_eq(run_rulevm("bad", "explain --lang en %s - < tests/data/facts/report.jsonl "
				    "--id R5", bytecode_path), 3);
	errors = work_file("bad.err");
	ck_assert_ptr_nonnull(strstr(errors, "record 5 (R5), field \"project.nature\""));
	free(errors);
}
END_TEST

/* ---- Template round trip ---- */

/* A value that fills the placeholder of `fact`, as JSON. */
static void fill_value(FILE *out, const er_program *program, uint32_t fact)
{
	const er_fact_info *f = er_program_fact(program, fact);

	switch (f->type) {
	case ER_FT_BOOLEAN: fputs("true", out); return;
	case ER_FT_QUANTITY: fprintf(out, "\"0 %s\"", f->unit_text); return;
	case ER_FT_INTEGER:
	case ER_FT_NUMBER: fputs("0", out); return;
	case ER_FT_DATE: fputs("\"2024-01-01\"", out); return;
	case ER_FT_ENUM: xp_json_string(out, er_program_enum_value(program, f->enum_index, 0)); return;
	case ER_FT_SET: fputs("[]", out); return;
	case ER_FT_CODE: fputs("\"9999\"", out); return;
	default: fputs("\"filled\"", out); return;
	}
}

/* Write the template's JSON object with every placeholder object
 * replaced by a value of its fact's type. */
static void fill_template(const er_program *program, const char *template, const char *path)
{
	char error[256];
	yajl_val root = yajl_tree_parse(template, error, sizeof error);
	FILE *out = fopen(path, "wb");
	size_t filled = 0;

	ck_assert_msg(root != NULL && YAJL_IS_OBJECT(root), "the template is not an object: %s", error);
	ck_assert_ptr_nonnull(out);
	fputc('{', out);
	for (size_t i = 0; i < root->u.object.len; i++) {
		const char *key = root->u.object.keys[i];
		yajl_val v = root->u.object.values[i];

		if (i > 0)
			fputc(',', out);
		xp_json_string(out, key);
		fputc(':', out);
		if (YAJL_IS_OBJECT(v)) {
			uint32_t fact = er_program_find_fact(program, key, strlen(key));

			ck_assert_msg(fact != BC_NONE, "placeholder for an unknown fact %s", key);
			fill_value(out, program, fact);
			filled++;
		} else if (YAJL_IS_STRING(v)) {
			xp_json_string(out, YAJL_GET_STRING(v));
		} else if (YAJL_IS_NUMBER(v)) {
			fputs(YAJL_GET_NUMBER(v), out);
		} else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
			fputs(YAJL_IS_TRUE(v) ? "true" : "false", out);
		} else {
			ck_assert_msg(YAJL_IS_ARRAY(v), "unexpected value for %s", key);
			fputc('[', out);
			for (size_t k = 0; k < v->u.array.len; k++) {
				if (k > 0)
					fputc(',', out);
				xp_json_string(out, YAJL_GET_STRING(v->u.array.values[k]));
			}
			fputc(']', out);
		}
	}
	fputs("}\n", out);
	fclose(out);
	ck_assert_msg(filled > 0, "the template has no placeholder");
	yajl_tree_free(root);
}

/* Ask for a template, check that evaluating it unfilled fails with an
 * error per placeholder, fill it, and check the decision is settled. */
static void template_round_trip(const char *bytecode, const char *records, const char *id)
{
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(bytecode, &err);
	char filled_path[512], args[1024];
	char *template, *errors, *report;

	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	ck_assert_int_eq(run_rulevm("before.txt", "ask --lang en --as-of %s --id %s %s %s", AS_OF, id,
				    bytecode, records), 0);
	report = work_file("before.txt");
	ck_assert_ptr_nonnull(strstr(report, "待补充信息"));
	free(report);

	snprintf(args, sizeof args, "ask --template --lang en --as-of %s --id %s %s %s", AS_OF, id,
		 bytecode, records);
	ck_assert_int_eq(run_rulevm("template.json", "%s", args), 0);
	template = work_file("template.json");

	/* Unfilled, every placeholder is an invalid value reported as not filled in. */
	ck_assert_int_eq(run_rulevm("unfilled.txt", "eval --lang en --as-of %s %s %s/template.json",
				    AS_OF, bytecode, work_dir), 3);
	errors = work_file("unfilled.txt.err");
	ck_assert_ptr_nonnull(strstr(errors, "was not filled in: replace the template's"));
	ck_assert_ptr_null(strstr(errors, "expected a single value, found an object"));
	free(errors);

	snprintf(filled_path, sizeof filled_path, "%s/filled.json", work_dir);
	fill_template(program, template, filled_path);
	ck_assert_int_eq(run_rulevm("filled.txt", "eval --lang en --as-of %s %s %s", AS_OF, bytecode,
				    filled_path), 0);
	report = work_file("filled.txt");
	ck_assert_msg(strstr(report, "待补充信息") == NULL, "still undecided after filling:\n%s", report);
	free(report);

	ck_assert_int_eq(run_rulevm("filled_ask.txt", "ask --lang en --as-of %s %s %s", AS_OF, bytecode,
				    filled_path), 0);
	report = work_file("filled_ask.txt");
	ck_assert_ptr_nonnull(strstr(report, "The decision is settled"));
	free(report);
	free(template);
	er_program_free(program);
}

START_TEST(template_round_trip_small)
{
	template_round_trip(bytecode_path, RECORDS, "E3");
}
END_TEST

START_TEST(template_round_trip_jincheng)
{
	template_round_trip(test_ruleset(), "examples/mishan_auto_parts_missing_emissions.json", "EX-A05");
}
END_TEST

/* ---- Jincheng ---- */

START_TEST(jincheng_forbidden)
{
	char args[512];

	snprintf(args, sizeof args,
		 "explain --lang zh --as-of " AS_OF " --rule class.key.capacity %s "
		 "examples/bagong_coking_expansion.json", test_ruleset());
	golden_run("jincheng_forbidden.zh.txt", args);
	snprintf(args, sizeof args,
		 "explain --lang en --as-of " AS_OF " --rule class.key.capacity %s "
		 "examples/bagong_coking_expansion.json", test_ruleset());
	golden_run("jincheng_forbidden.en.txt", args);
}
END_TEST

START_TEST(jincheng_exception)
{
	char args[512];

	snprintf(args, sizeof args,
		 "explain --lang en --as-of " AS_OF " --rule city.layout.5 %s "
		 "examples/jinjiang_machinery_plant_so2.json", test_ruleset());
	golden_run("jincheng_exception.en.txt", args);
	snprintf(args, sizeof args,
		 "explain --lang zh --as-of " AS_OF " --rule city.layout.5 %s "
		 "examples/jinjiang_machinery_plant_so2.json", test_ruleset());
	golden_run("jincheng_exception.zh.txt", args);
}
END_TEST

START_TEST(jincheng_ask)
{
	char args[512];

	snprintf(args, sizeof args,
		 "ask --lang zh --as-of " AS_OF " %s examples/mishan_auto_parts_missing_emissions.json",
		 test_ruleset());
	golden_run("jincheng_ask.zh.txt", args);
	snprintf(args, sizeof args,
		 "ask --lang en --as-of " AS_OF " %s examples/mishan_auto_parts_missing_emissions.json",
		 test_ruleset());
	golden_run("jincheng_ask.en.txt", args);

	/* Twelve facts: the numbers are right-aligned, so the sub-lines of
	 * items 1 and 10 start in the same column. */
	char *text = work_file("jincheng_ask.en.txt");

	ck_assert_ptr_nonnull(strstr(text, "\n   1. "));
	ck_assert_ptr_nonnull(strstr(text, "\n  10. "));
	ck_assert_ptr_null(strstr(text, "\n     type: "));
	ck_assert_ptr_nonnull(strstr(text, "\n      type: "));
	free(text);
}
END_TEST

/* E6 lacks four facts, each by one rule: 行业代码 and 排放速率 are the
 * only facts their rules lack, so they come before 建设性质 and 与供水有关,
 * which come first in fact order but settle spring.forbid only together. */
START_TEST(ask_ranks_alone_first)
{
	char args[512];
	char *text;

	snprintf(args, sizeof args,
		 "ask --lang en --as-of " AS_OF " %s tests/data/explain/alone.jsonl", bytecode_path);
	golden_run("alone.en.txt", args);
	text = work_file("alone.en.txt");
	ck_assert_ptr_nonnull(strstr(text, "1. 行业代码"));
	ck_assert_ptr_nonnull(strstr(text, "2. 排放速率"));
	ck_assert_ptr_nonnull(strstr(text, "3. 建设性质"));
	free(text);
}
END_TEST

/* ---- The explainer against er_eval ---- */

typedef struct agree_run {
	const er_program *program;
	int32_t as_of;
	size_t records, rules;
} agree_run;

/* Every rule er_eval lists appears with its outcome, and the trees give
 * the same outcome as er_eval for every rule that did not fail. */
static int check_agreement(er_record *record, void *context)
{
	agree_run *run = context;
	xp_explanation x;

	ck_assert_msg(record->error_count == 0, "record %s has errors: %s", record->id,
		      record->errors[0].message);
	xp_explanation_init(&x);
	ck_assert_int_eq(xp_explain(run->program, record, run->as_of, BC_NONE, &x), ER_OK);
	for (size_t i = 0; i < x.result.rule_count; i++) {
		uint32_t rule = x.result.rules[i].rule;
		size_t k = 0;

		while (k < x.rule_count && x.rules[k].rule != rule)
			k++;
		ck_assert_msg(k < x.rule_count, "rule %s of record %s is not explained",
			      er_program_rule(run->program, rule)->id, record->id);
		ck_assert_uint_eq(x.rules[k].result_index, i);
	}
	for (size_t k = 0; k < x.rule_count; k++) {
		const xp_rule *r = &x.rules[k];

		ck_assert_msg(r->decompiled, "rule %s was not decompiled",
			      er_program_rule(run->program, r->rule)->id);
		if (r->outcome == XP_FAILED)
			continue;
		ck_assert_msg(r->traced == r->outcome, "rule %s of record %s: explained as %d, evaluated as %d",
			      er_program_rule(run->program, r->rule)->id, record->id, (int)r->traced,
			      (int)r->outcome);
		run->rules++;
	}
	run->records++;
	xp_explanation_free(&x);
	return 0;
}

/* Write a yajl tree back as JSON. */
static void write_json(FILE *out, yajl_val v)
{
	if (YAJL_IS_OBJECT(v)) {
		fputc('{', out);
		for (size_t i = 0; i < v->u.object.len; i++) {
			if (i > 0)
				fputc(',', out);
			xp_json_string(out, v->u.object.keys[i]);
			fputc(':', out);
			write_json(out, v->u.object.values[i]);
		}
		fputc('}', out);
	} else if (YAJL_IS_ARRAY(v)) {
		fputc('[', out);
		for (size_t i = 0; i < v->u.array.len; i++) {
			if (i > 0)
				fputc(',', out);
			write_json(out, v->u.array.values[i]);
		}
		fputc(']', out);
	} else if (YAJL_IS_STRING(v)) {
		xp_json_string(out, YAJL_GET_STRING(v));
	} else if (YAJL_IS_NUMBER(v)) {
		fputs(YAJL_GET_NUMBER(v), out);
	} else {
		fputs(YAJL_IS_TRUE(v) ? "true" : YAJL_IS_FALSE(v) ? "false" : "null", out);
	}
}

/* Feed one JSON text of records to check_agreement. */
static void agree_on_text(agree_run *run, const char *text, const char *name)
{
	er_error err = { .status = ER_OK };
	FILE *in = fmemopen((void *)text, strlen(text), "rb");
	facts_options options = { .format = FACTS_JSON, .name = name, .on_record = check_agreement,
				  .context = run };

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(facts_read(run->program, in, &options, &err), ER_OK);
	fclose(in);
}

static void agree_on_scenarios(agree_run *run, const char *path)
{
	char *text = test_read_file(path, NULL), error[256];
	yajl_val root;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	root = yajl_tree_parse(text, error, sizeof error);
	ck_assert_msg(root != NULL && YAJL_IS_ARRAY(root), "%s: %s", path, error);
	for (size_t i = 0; i < root->u.array.len; i++) {
		const char *as_of_path[] = { "as_of", NULL }, *facts_path[] = { "facts", NULL };
		yajl_val scenario = root->u.array.values[i];
		yajl_val as_of = yajl_tree_get(scenario, as_of_path, yajl_t_string);
		yajl_val facts = yajl_tree_get(scenario, facts_path, yajl_t_object);
		char *record = NULL;
		size_t size = 0;
		FILE *out = open_memstream(&record, &size);

		ck_assert_ptr_nonnull(facts);
		run->as_of = er_date_today();
		if (as_of != NULL) {
			const char *date = YAJL_GET_STRING(as_of);

			ck_assert_ptr_nonnull(date);
			ck_assert_int_eq(er_date_parse(date, strlen(date), &run->as_of), 0);
		}
		write_json(out, facts);
		fclose(out);
		agree_on_text(run, record, path);
		free(record);
	}
	yajl_tree_free(root);
	free(text);
}

START_TEST(explainer_agrees_with_eval)
{
	static const char *const scenarios[] = {
		"rules/jincheng/scenarios/a_basin.json", "rules/jincheng/scenarios/a_city.json",
		"rules/jincheng/scenarios/a_class.json", "rules/jincheng/scenarios/a_class_outside_table.json",
		"rules/jincheng/scenarios/a_projects.json", "rules/jincheng/scenarios/audit.json",
		"rules/jincheng/scenarios/b_list.json", "rules/jincheng/scenarios/b_units.json",
		"rules/jincheng/scenarios/near_miss.json", "rules/jincheng/scenarios/projects.json",
		"rules/jincheng/scenarios/review_a.json", "rules/jincheng/scenarios/review_b.json",
	};
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(test_ruleset(), &err);
	agree_run run = { 0 };

	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	ck_assert_int_eq(er_i18n_init("en"), 0);
	run.program = program;
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		agree_on_scenarios(&run, scenarios[i]);
	ck_assert_uint_gt(run.records, 100);
	ck_assert_uint_gt(run.rules, 1000);
	er_program_free(program);
}
END_TEST

/* Every rule of the Jincheng set decompiles, whatever the record. */
START_TEST(every_jincheng_rule_decompiles)
{
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(test_ruleset(), &err);
	er_record *record;
	xp_explanation x;

	ck_assert_ptr_nonnull(program);
	record = er_record_new(program);
	ck_assert_ptr_nonnull(record);
	xp_explanation_init(&x);
	/* Without the unit fact every rule is in scope. */
	ck_assert_int_eq(xp_explain(program, record, er_date_today(), BC_NONE, &x), ER_OK);
	ck_assert_uint_eq(x.rule_count, er_program_rule_count(program));
	for (size_t k = 0; k < x.rule_count; k++)
		ck_assert_msg(x.rules[k].decompiled || x.rules[k].outcome == XP_NOT_IN_FORCE,
			      "rule %s was not decompiled", er_program_rule(program, x.rules[k].rule)->id);
	xp_explanation_free(&x);
	er_record_free(record);
	er_program_free(program);
}
END_TEST

/* A condition higher than the explainer's limit is shown without trees,
 * with the outcome er_eval gives. */
START_TEST(deep_condition_without_trees)
{
	uint8_t *data;
	size_t data_size;
	er_error err = { .status = ER_OK };
	er_program *program;
	er_record *record;
	xp_explanation x;
	uint32_t fact;
	char *text = NULL;
	size_t size = 0;
	FILE *memory;

	data = bcasm_deep_chain(2100, &data_size);
	program = er_program_load(data, data_size, &err);
	free(data);
	ck_assert_msg(program != NULL, "loading the rule set failed: %s", err.message);
	record = er_record_new(program);
	ck_assert_ptr_nonnull(record);
	fact = er_program_find_fact(program, "n", 1);
	ck_assert_int_eq(er_record_set_text(record, fact, "n", "5", 1, 0), ER_OK);
	xp_explanation_init(&x);
	ck_assert_int_eq(xp_explain(program, record, er_date_today(), BC_NONE, &x), ER_OK);
	ck_assert_uint_eq(x.rule_count, 1);
	ck_assert_int_eq(x.rules[0].decompiled, 0);
	ck_assert_int_eq(x.rules[0].outcome, XP_APPLIES);
	memory = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(memory);
	ck_assert_int_eq(er_i18n_init("en"), 0);
	ck_assert_int_eq(xp_write_text(memory, &x), 0);
	fclose(memory);
	ck_assert_ptr_nonnull(strstr(text, "only its outcome is shown"));
	free(text);
	xp_explanation_free(&x);
	er_record_free(record);
	er_program_free(program);
}
END_TEST

static Suite *explain_suite(void)
{
	Suite *suite = suite_create("explain");
	TCase *golden = tcase_create("golden");
	TCase *agree = tcase_create("agreement");

	tcase_add_checked_fixture(golden, setup, teardown);
	tcase_set_timeout(golden, 60);
	tcase_add_test(golden, explain_forbidden_zh);
	tcase_add_test(golden, explain_forbidden_en);
	tcase_add_test(golden, explain_exception_holds);
	tcase_add_test(golden, explain_undetermined);
	tcase_add_test(golden, explain_rule_out_of_scope);
	tcase_add_test(golden, explain_failure_without_unit);
	tcase_add_test(golden, ask_undecided);
	tcase_add_test(golden, ask_ranks_by_rule_count);
	tcase_add_test(golden, ask_ranks_alone_first);
	tcase_add_test(golden, ask_settled_exits_0);
	tcase_add_test(golden, usage_errors);
	tcase_add_test(golden, invalid_record_exit_3);
	tcase_add_test(golden, deep_condition_without_trees);
	tcase_add_test(golden, template_round_trip_small);
	tcase_add_test(golden, template_round_trip_jincheng);
	tcase_add_test(golden, jincheng_forbidden);
	tcase_add_test(golden, jincheng_exception);
	tcase_add_test(golden, jincheng_ask);
	suite_add_tcase(suite, golden);

	tcase_set_timeout(agree, 120);
	tcase_add_test(agree, explainer_agrees_with_eval);
	tcase_add_test(agree, every_jincheng_rule_decompiles);
	suite_add_tcase(suite, agree);
	return suite;
}

int main(void)
{
	SRunner *runner = srunner_create(explain_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
