/* Differential test: the VM (er_eval over bytecode compiled by rulec)
 * against the reference evaluator (ref_eval.c over the checked AST). It
 * runs random rule sets and records from gen_random.c, random records
 * for the Jincheng rule set, and fixed cases of the mismatches found.
 *
 * Environment: DIFF_CASES sets the number of records of random rule sets
 * (default 3000, or 400 under AddressSanitizer), and a third as many
 * Jincheng records run too. DIFF_SEED sets the first seed (default 1).
 * Each seed makes one rule set and DIFF_PER_SET records for it. A
 * mismatch prints the seed, the differences, the record and the rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "ecorule.h"
#include "facts.h"
#include "gen_random.h"
#include "ref_eval.h"
#include "support.h"

#define DIFF_PER_SET 50

#if defined(__SANITIZE_ADDRESS__)
#define DIFF_DEFAULT_CASES 400
#else
#define DIFF_DEFAULT_CASES 3000
#endif

/* One rule set under test: its compiled program and its checked model. */
typedef struct diff_set {
	const char *rules;       /* the source text */
	er_program *program;
	driver dr;
	int has_driver;
	char dir[32];            /* temporary folder of the two files, or "" */
	char rule_path[256];
	char erb_path[256];
} diff_set;

/* The state of one pass over a rule set's records. */
typedef struct diff_run {
	diff_set *set;
	uint64_t seed;
	const char *records;     /* JSON Lines */
	int32_t as_of;
	er_result vm;
	ref_result ref;
	size_t evaluated;
	int expect;              /* the decision every record must get, or -1 */
	gen_text failure;        /* empty while everything agrees */
} diff_run;

/* What the records exercised, summed over a run, for the long mode's
 * closing lines. */
typedef struct diff_stats {
	size_t decisions[ER_DECISION_NEEDS_INFO + 1];
	size_t outcomes[ER_OUT_FAILED + 1];
	size_t errors[ER_E_INPUT + 1];
	size_t checks[ER_CHECK_ATTACHED + 1];
	size_t data_missing;
} diff_stats;

static diff_stats stats;

static void count_result(const er_result *res)
{
	stats.decisions[res->decision]++;
	for (size_t i = 0; i < res->rule_count; i++) {
		const er_rule_result *rr = &res->rules[i];
		stats.outcomes[rr->outcome]++;
		if (rr->outcome == ER_OUT_FAILED)
			stats.errors[rr->error]++;
		else
			stats.checks[rr->check]++;
		stats.data_missing += rr->data_missing;
	}
}

static void print_stats(void)
{
	printf("diff: decisions: admitted %zu, conditional %zu, restricted %zu, rejected %zu, needs information %zu\n",
	       stats.decisions[ER_DECISION_ADMIT], stats.decisions[ER_DECISION_CONDITIONAL],
	       stats.decisions[ER_DECISION_RESTRICTED], stats.decisions[ER_DECISION_REJECTED],
	       stats.decisions[ER_DECISION_NEEDS_INFO]);
	printf("diff: listed rules: applies %zu, undetermined %zu (%zu for lack of reference data), failed %zu "
	       "(overflow %zu, inexact %zu, division by zero %zu)\n",
	       stats.outcomes[ER_OUT_APPLIES], stats.outcomes[ER_OUT_UNDETERMINED], stats.data_missing,
	       stats.outcomes[ER_OUT_FAILED], stats.errors[ER_E_OVERFLOW], stats.errors[ER_E_INEXACT],
	       stats.errors[ER_E_DIVZERO]);
	printf("diff: ensure: met %zu, violated %zu, attached %zu\n", stats.checks[ER_CHECK_MET],
	       stats.checks[ER_CHECK_VIOLATED], stats.checks[ER_CHECK_ATTACHED]);
}

static int env_int(const char *name, long long fallback, long long *out)
{
	const char *v = getenv(name);
	char *end;

	*out = fallback;
	if (v == NULL || *v == '\0')
		return 0;
	*out = strtoll(v, &end, 10);
	return *end == '\0' && *out >= 0 ? 0 : -1;
}

/* Load the bytecode at s->erb_path, and check the rules at s->rule_path
 * (with the text s->rules when it is not NULL) in-process too, for the
 * reference evaluator. */
static int diff_set_load(diff_set *s, gen_text *failure)
{
	er_error err;
	int loaded;

	s->program = er_program_load_file(s->erb_path, &err);
	if (!s->program) {
		gen_text_printf(failure, "cannot load the compiled rules: %s\n", err.message);
		return -1;
	}
	driver_init(&s->dr);
	s->has_driver = 1;
	loaded = s->rules ? driver_load_string(&s->dr, s->rule_path, s->rules) : driver_load_file(&s->dr, s->rule_path);
	if (loaded != 0 || driver_build(&s->dr) != 0) {
		gen_text_printf(failure, "the in-process checker rejected rules rulec accepted\n");
		return -1;
	}
	if (s->dr.m.facts.count != er_program_fact_count(s->program) ||
	    s->dr.m.rules.count != er_program_rule_count(s->program)) {
		gen_text_printf(failure, "the model and the program disagree on the number of facts or rules\n");
		return -1;
	}
	return 0;
}

/* Write the rules to a file in a new temporary folder, compile them with
 * rulec and load both forms. */
static int diff_set_open(diff_set *s, const char *rules, gen_text *failure)
{
	FILE *f;

	memset(s, 0, sizeof *s);
	s->rules = rules;
	strcpy(s->dir, "/tmp/ecorule-diff-XXXXXX");
	if (mkdtemp(s->dir) == NULL) {
		gen_text_printf(failure, "cannot create a temporary folder\n");
		return -1;
	}
	snprintf(s->rule_path, sizeof s->rule_path, "%s/rules.rule", s->dir);
	snprintf(s->erb_path, sizeof s->erb_path, "%s/rules.erbXXXXXX", s->dir);
	if ((f = fopen(s->rule_path, "w")) == NULL) {
		gen_text_printf(failure, "cannot create %s\n", s->rule_path);
		return -1;
	}
	fputs(rules, f);
	fclose(f);
	if (test_compile_rules(s->rule_path, s->erb_path) != 0) {
		gen_text_printf(failure, "rulec rejected the generated rules (its messages are above)\n");
		return -1;
	}
	return diff_set_load(s, failure);
}

static void diff_set_close(diff_set *s)
{
	if (s->program)
		er_program_free(s->program);
	if (s->has_driver)
		driver_free(&s->dr);
	if (s->dir[0]) {
		unlink(s->rule_path);
		unlink(s->erb_path);
		rmdir(s->dir);
	}
}

/* ---- Comparison ---- */

static int value_equal(const er_value *a, const er_value *b)
{
	if (a->unknown || b->unknown)
		return a->unknown == b->unknown;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case ER_K_BOOL: return a->truth == b->truth;
	case ER_K_DEC: return er_dec_cmp(a->as.dec, b->as.dec) == 0;
	case ER_K_DATE: return a->as.date == b->as.date;
	case ER_K_STRING:
	case ER_K_CODE:
		return a->as.str.len == b->as.str.len && memcmp(a->as.str.ptr, b->as.str.ptr, a->as.str.len) == 0;
	case ER_K_SET: return a->as.bits == b->as.bits;
	default: return a->as.index == b->as.index;
	}
}

static void describe_value(const er_program *p, const er_value *v, char *buf, size_t size)
{
	er_value copy = *v;

	/* er_format_value names set and enum values through `why`; the
	 * numbers alone are enough to compare. */
	if (copy.kind == ER_K_ENUM || copy.kind == ER_K_SET) {
		snprintf(buf, size, copy.unknown ? "?" : "#%llu",
			 (unsigned long long)(copy.kind == ER_K_SET ? copy.as.bits : copy.as.index));
		return;
	}
	er_format_value(p, &copy, NULL, buf, size);
}

static void describe_facts(const er_program *p, const ref_why *why, gen_text *out)
{
	gen_text_printf(out, "{");
	for (uint32_t f = 0; f < er_program_fact_count(p); f++)
		if (ref_why_has(why, f))
			gen_text_printf(out, " %s", er_program_fact(p, f)->path);
	gen_text_printf(out, " }%s", why->data ? " + reference data" : "");
}

static void facts_of(const uint32_t *list, size_t count, ref_why *why)
{
	memset(why, 0, sizeof *why);
	for (size_t i = 0; i < count; i++)
		why->facts[list[i] / 64] |= (uint64_t)1 << (list[i] % 64);
}

static int why_equal(const ref_why *a, const ref_why *b)
{
	return memcmp(a->facts, b->facts, sizeof a->facts) == 0;
}

/* Compare one listed rule; append what differs to `out`. */
static void compare_rule(const er_program *p, const er_result *vm, const er_rule_result *v,
			 const ref_result *ref, const ref_rule_result *r, gen_text *out)
{
	const char *id = er_program_rule(p, v->rule)->id;
	ref_why missing;

	if (v->outcome != r->outcome) {
		gen_text_printf(out, "rule %s: outcome VM %d, reference %d\n", id, v->outcome, r->outcome);
		return;
	}
	if (v->outcome == ER_OUT_FAILED) {
		if (v->error != r->error)
			gen_text_printf(out, "rule %s: error VM %s, reference %s\n", id, er_status_name(v->error),
					er_status_name(r->error));
		return;
	}
	if (v->check != r->check)
		gen_text_printf(out, "rule %s: ensure VM %d, reference %d\n", id, v->check, r->check);
	if (v->outcome == ER_OUT_UNDETERMINED && v->potential != r->potential)
		gen_text_printf(out, "rule %s: potential VM %d, reference %d\n", id, v->potential, r->potential);
	facts_of(vm->missing + v->missing_first, v->missing_count, &missing);
	missing.data = v->data_missing;
	if (!why_equal(&missing, &r->missing) || missing.data != r->missing.data) {
		gen_text_printf(out, "rule %s: missing facts VM ", id);
		describe_facts(p, &missing, out);
		gen_text_printf(out, ", reference ");
		describe_facts(p, &r->missing, out);
		gen_text_printf(out, "\n");
	}
	if (v->values_count != r->values_count) {
		gen_text_printf(out, "rule %s: %u values in VM, %zu in reference\n", id, v->values_count,
				r->values_count);
		return;
	}
	for (size_t k = 0; k < r->values_count; k++) {
		const er_value *a = &vm->values[v->values_first + k], *b = &ref->values[r->values_first + k];
		char ta[128], tb[128];
		if (value_equal(a, b))
			continue;
		describe_value(p, a, ta, sizeof ta);
		describe_value(p, b, tb, sizeof tb);
		gen_text_printf(out, "rule %s: value %zu VM %s, reference %s\n", id, k, ta, tb);
	}
}

/* Append every difference between the two results to `out`. */
static void compare_results(const er_program *p, const er_result *vm, const ref_result *ref, gen_text *out)
{
	ref_why needed;

	if (vm->decision != ref->decision || vm->settled != ref->settled)
		gen_text_printf(out, "decision VM %s (settled %s), reference %s (settled %s)\n",
				er_decision_name(vm->decision), er_decision_name(vm->settled),
				er_decision_name(ref->decision), er_decision_name(ref->settled));
	facts_of(vm->needed, vm->needed_count, &needed);
	if (!why_equal(&needed, &ref->needed)) {
		gen_text_printf(out, "needed facts VM ");
		describe_facts(p, &needed, out);
		gen_text_printf(out, ", reference ");
		describe_facts(p, &ref->needed, out);
		gen_text_printf(out, "\n");
	}
	size_t i = 0, k = 0;
	while (i < vm->rule_count || k < ref->rule_count) {
		if (k == ref->rule_count || (i < vm->rule_count && vm->rules[i].rule < ref->rules[k].rule)) {
			gen_text_printf(out, "rule %s listed by the VM only\n", er_program_rule(p, vm->rules[i].rule)->id);
			i++;
		} else if (i == vm->rule_count || ref->rules[k].rule < vm->rules[i].rule) {
			gen_text_printf(out, "rule %s listed by the reference only\n",
					er_program_rule(p, ref->rules[k].rule)->id);
			k++;
		} else {
			compare_rule(p, vm, &vm->rules[i], ref, &ref->rules[k], out);
			i++;
			k++;
		}
	}
}

/* The line of `records` with 1-based number `n`. */
static void append_line(gen_text *out, const char *records, size_t n)
{
	const char *line = records;

	for (size_t i = 1; i < n && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		return;
	const char *end = strchr(line, '\n');
	gen_text_printf(out, "%.*s\n", (int)(end ? end - line : (long)strlen(line)), line);
}

static int on_record(er_record *rec, void *context)
{
	diff_run *run = context;
	const er_program *p = run->set->program;
	gen_text diff = { 0 };

	if (rec->error_count > 0) {
		gen_text_printf(&run->failure, "record %zu was rejected: %s: %s\n", rec->number, rec->errors[0].field,
				rec->errors[0].message);
	} else if (er_eval(p, rec, run->as_of, &run->vm) != ER_OK ||
		   ref_eval(&run->set->dr.m, rec, run->as_of, &run->ref) != 0) {
		gen_text_printf(&run->failure, "record %zu: an evaluator ran out of memory\n", rec->number);
	} else {
		compare_results(p, &run->vm, &run->ref, &diff);
		if (run->expect >= 0 && run->vm.decision != (er_decision)run->expect)
			gen_text_printf(&diff, "decision %s, expected %s\n", er_decision_name(run->vm.decision),
					er_decision_name((er_decision)run->expect));
		run->evaluated++;
		count_result(&run->vm);
		if (diff.len == 0)
			return 0;
		gen_text_printf(&run->failure, "%s", diff.text);
	}
	gen_text_free(&diff);
	gen_text_printf(&run->failure, "record: ");
	append_line(&run->failure, run->records, rec->number);
	return 1;
}

/* Evaluate every record of `records` with both evaluators; on the first
 * difference, fill run->failure. */
static void diff_records(diff_run *run)
{
	facts_options opt;
	er_error err;
	FILE *in = fmemopen((void *)run->records, strlen(run->records), "r");

	if (!in) {
		gen_text_printf(&run->failure, "fmemopen failed\n");
		return;
	}
	memset(&opt, 0, sizeof opt);
	opt.format = FACTS_JSONL;
	opt.encoding = FACTS_ENC_UTF8;
	opt.name = "records";
	opt.on_record = on_record;
	opt.context = run;
	if (facts_read(run->set->program, in, &opt, &err) != ER_OK && run->failure.len == 0)
		gen_text_printf(&run->failure, "reading the records failed: %s\n", err.message);
	fclose(in);
}

/* Compare the evaluators on `records` for an opened set (`opened` is 0)
 * and the VM's decision with `expect` unless it is -1, then close the
 * set. Returns the number of records evaluated, or -1 after printing a
 * reproducible report. */
static long diff_set_run(diff_set *set, int opened, gen_text *failure, uint64_t seed, const char *records,
			 int32_t as_of, int expect)
{
	diff_run run;
	long result;

	memset(&run, 0, sizeof run);
	run.set = set;
	run.seed = seed;
	run.records = records;
	run.as_of = as_of;
	run.expect = expect;
	run.failure = *failure;
	er_result_init(&run.vm);
	ref_result_init(&run.ref);
	if (opened == 0)
		diff_records(&run);
	result = run.failure.len ? -1 : (long)run.evaluated;
	if (result < 0 && set->rules)
		fprintf(stderr, "== differential test mismatch, seed %llu (DIFF_SEED=%llu DIFF_CASES=%d)\n%s"
			"== rules:\n%s== end\n",
			(unsigned long long)seed, (unsigned long long)seed, DIFF_PER_SET, run.failure.text, set->rules);
	else if (result < 0)
		fprintf(stderr, "== differential test mismatch, seed %llu, rules %s\n%s== end\n",
			(unsigned long long)seed, set->rule_path, run.failure.text);
	gen_text_free(&run.failure);
	er_result_free(&run.vm);
	ref_result_free(&run.ref);
	diff_set_close(set);
	return result;
}

/* The same for a rule set given as text, compiled for this case. */
static long diff_case(uint64_t seed, const char *rules, const char *records, int32_t as_of, int expect)
{
	diff_set set;
	gen_text failure = { 0 };
	int opened = diff_set_open(&set, rules, &failure);

	return diff_set_run(&set, opened, &failure, seed, records, as_of, expect);
}

/* ---- Fixed cases: each mismatch the random test found ---- */

#define FIXED_SCHEMA \
	"enum 区域 { 泉域, 园区 }\n" \
	"fact p.unit : unit label \"单元\"\n" \
	"fact p.so2 : quantity 吨/年\n" \
	"fact p.nox : quantity 千克/小时\n" \
	"county 城区 { code 140502 }\n" \
	"county 泽州县 { code 140525 }\n" \
	"unit ZH14050220001 { name \"主区\" county 城区 class 重点管控 }\n" \
	"unit ZH14050230003 { county 城区 class 一般管控 }\n" \
	"unit ZH14052520004 { county 泽州县 class 重点管控 }\n"

typedef struct fixed_case {
	const char *name;
	const char *rules;       /* appended to FIXED_SCHEMA */
	const char *record;
	er_decision expect;
} fixed_case;

static const fixed_case fixed_cases[] = {
	/* A unit declared without a name: unit.name is unknown, as a missing
	 * area is, so the rule is undetermined for lack of reference data. */
	{ "unit without name",
	  "rule R0 { title \"t\" dimension layout when unit.name == \"主区\" forbid \"x\" basis \"b\" }\n",
	  "{\"p\":{\"unit\":\"ZH14050230003\"}}\n", ER_DECISION_NEEDS_INFO },
	/* Two scope clauses of one kind must both hold: only 重点管控 is in
	 * both, so a 一般管控 unit is out of scope. */
	{ "class scopes intersect",
	  "rule R0 { title \"t\" dimension layout scope class 一般管控, 重点管控 scope class 重点管控\n"
	  "  forbid \"x\" basis \"b\" }\n",
	  "{\"p\":{\"unit\":\"ZH14050230003\"}}\n", ER_DECISION_ADMIT },
	{ "unit scopes intersect",
	  "rule R0 { title \"t\" dimension layout scope unit ZH14050220001, ZH14050230003\n"
	  "  scope unit ZH14050220001 forbid \"x\" basis \"b\" }\n",
	  "{\"p\":{\"unit\":\"ZH14050230003\"}}\n", ER_DECISION_ADMIT },
	{ "county scopes intersect",
	  "rule R0 { title \"t\" dimension layout scope county 城区, 泽州县 scope county 城区\n"
	  "  forbid \"x\" basis \"b\" }\n",
	  "{\"p\":{\"unit\":\"ZH14052520004\"}}\n", ER_DECISION_ADMIT },
};

START_TEST(fixed_case_agrees)
{
	const fixed_case *c = &fixed_cases[_i];
	gen_text rules = { 0 };

	gen_text_printf(&rules, "%s%s", FIXED_SCHEMA, c->rules);
	long n = diff_case(0, rules.text, c->record, 19889 /* 2024-06-15 */, (int)c->expect);
	gen_text_free(&rules);
	ck_assert_msg(n == 1, "fixed case '%s' failed (details above)", c->name);
}
END_TEST

START_TEST(random_rule_sets_agree)
{
	long long cases, first;
	size_t done = 0;

	ck_assert_msg(env_int("DIFF_CASES", DIFF_DEFAULT_CASES, &cases) == 0, "DIFF_CASES is not a count");
	ck_assert_msg(env_int("DIFF_SEED", 1, &first) == 0, "DIFF_SEED is not a number");
	for (uint64_t seed = (uint64_t)first; done < (size_t)cases; seed++) {
		gen_rng rng;
		gen_text rules = { 0 }, records = { 0 };
		gen_rng_seed(&rng, seed);
		gen_rule_set(&rng, 3 + gen_rng_below(&rng, 8), &rules);
		for (size_t i = 0; i < DIFF_PER_SET && done + i < (size_t)cases; i++)
			gen_record(&rng, i + 1, &records);
		long n = diff_case(seed, rules.text, records.text, gen_as_of(&rng), -1);
		gen_text_free(&rules);
		gen_text_free(&records);
		ck_assert_msg(n >= 0, "VM and reference differ for seed %llu (details above)", (unsigned long long)seed);
		ck_assert_msg(n > 0, "no record of seed %llu was evaluated", (unsigned long long)seed);
		done += (size_t)n;
	}
	if (getenv("DIFF_CASES"))
		printf("diff: %zu records agree, seeds %lld to %lld\n", done, first,
		       first + (long long)(done + DIFF_PER_SET - 1) / DIFF_PER_SET - 1);
	if (getenv("DIFF_CASES"))
		print_stats();
}
END_TEST

/* Random records against the Jincheng rule set, which `make test`
 * compiles into RULESET. */
START_TEST(jincheng_records_agree)
{
	static const int32_t days[] = { 18628 /* 2021-01-01 */, 19889 /* 2024-06-15 */, 20454 /* 2026-01-01 */ };
	long long cases, first;
	size_t done = 0;

	ck_assert_msg(env_int("DIFF_CASES", DIFF_DEFAULT_CASES, &cases) == 0, "DIFF_CASES is not a count");
	ck_assert_msg(env_int("DIFF_SEED", 1, &first) == 0, "DIFF_SEED is not a number");
	cases = cases >= 3 ? cases / 3 : 1;
	for (uint64_t seed = (uint64_t)first; done < (size_t)cases; seed++) {
		diff_set set;
		gen_text failure = { 0 }, records = { 0 };
		gen_rng rng;
		int opened;

		memset(&set, 0, sizeof set);
		snprintf(set.rule_path, sizeof set.rule_path, "rules/jincheng/main.rule");
		snprintf(set.erb_path, sizeof set.erb_path, "%s", test_ruleset());
		opened = diff_set_load(&set, &failure);
		gen_rng_seed(&rng, seed);
		for (size_t i = 0; i < DIFF_PER_SET && done + i < (size_t)cases && set.program; i++)
			gen_record_for(&rng, set.program, i + 1, &records);
		long n = diff_set_run(&set, opened, &failure, seed, records.text, days[seed % 3], -1);
		gen_text_free(&records);
		ck_assert_msg(n > 0, "VM and reference differ on the Jincheng rules, seed %llu (details above)",
			      (unsigned long long)seed);
		done += (size_t)n;
	}
	if (getenv("DIFF_CASES"))
		printf("diff: %zu Jincheng records agree\n", done);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *fixed = tcase_create("fixed");
	TCase *random_sets = tcase_create("random");
	long long cases;

	/* Long campaigns (DIFF_CASES) run without Check's time limit. */
	if (getenv("DIFF_CASES") && env_int("DIFF_CASES", 0, &cases) == 0)
		tcase_set_timeout(random_sets, 0);
	else
		tcase_set_timeout(random_sets, 60);
	tcase_add_loop_test(fixed, fixed_case_agrees, 0, (int)(sizeof fixed_cases / sizeof *fixed_cases));
	suite_add_tcase(s, fixed);
	tcase_add_test(random_sets, random_rule_sets_agree);
	tcase_add_test(random_sets, jincheng_records_agree);
	suite_add_tcase(s, random_sets);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(diff_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
