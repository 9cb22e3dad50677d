/* Scenario tests: read scenario files (yajl's tree parser, since they are
 * small), feed each scenario's facts through the ordinary JSON fact
 * reader, evaluate, and compare with what the scenario expects. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "bytecode.h"
#include "facts.h"
#include "i18n.h"
#include "scenario.h"

/* One scenario being checked; differences are collected as lines. */
typedef struct scn_case {
	const er_program *program;
	const char *file;
	const char *name;
	yajl_val expect;
	int32_t as_of;
	er_result *result;
	unsigned char *covered;
	char *diff;              /* malloc'ed lines describing differences */
	size_t diff_len;
	const char *indent;      /* before each line of diff */
	int evaluated;
	er_status status;
} scn_case;

static void scn_append(scn_case *sc, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *grown;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grown = realloc(sc->diff, sc->diff_len + strlen(sc->indent) + (size_t)n + 2);
	if (!grown) {
		sc->status = ER_E_NOMEM;
		return;
	}
	sc->diff = grown;
	size_t indent = strlen(sc->indent);
	memcpy(sc->diff + sc->diff_len, sc->indent, indent);
	sc->diff_len += indent;
	va_start(ap, fmt);
	vsnprintf(sc->diff + sc->diff_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sc->diff_len += (size_t)n;
	sc->diff[sc->diff_len++] = '\n';
	sc->diff[sc->diff_len] = '\0';
}

static uint32_t scn_find_rule(const er_program *program, const char *id)
{
	size_t i, n = er_program_rule_count(program);

	for (i = 0; i < n; i++)
		if (strcmp(er_program_rule(program, i)->id, id) == 0)
			return (uint32_t)i;
	return BC_NONE;
}

static const er_rule_result *scn_rule_result(const er_result *result, uint32_t rule)
{
	size_t i;

	for (i = 0; i < result->rule_count; i++)
		if (result->rules[i].rule == rule)
			return &result->rules[i];
	return NULL;
}

/* The decision word of the scenario file: Chinese, or the code the JSON
 * report writes (docs/output.md). */
static int scn_parse_decision(const char *text, er_decision *out)
{
	static const struct {
		const char *zh, *en;
		er_decision decision;
	} words[] = {
		{"准入", "admitted", ER_DECISION_ADMIT},
		{"有条件准入", "conditional", ER_DECISION_CONDITIONAL},
		{"受限准入", "restricted", ER_DECISION_RESTRICTED},
		{"不予准入", "rejected", ER_DECISION_REJECTED},
		{"待补充信息", "needs_information", ER_DECISION_NEEDS_INFO},
		{"待补充信息", "needs-information", ER_DECISION_NEEDS_INFO},
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(text, words[i].zh) == 0 || strcmp(text, words[i].en) == 0) {
			*out = words[i].decision;
			return 0;
		}
	}
	return -1;
}

static const char *scn_outcome_word(const er_rule_result *rr)
{
	if (!rr)
		return _("does not apply");
	switch (rr->outcome) {
	case ER_OUT_APPLIES:
		return _("applies");
	case ER_OUT_UNDETERMINED:
		return _("undetermined");
	default:
		return _("failed");
	}
}

/* Check one list of rule ids against the outcome each must have:
 * want = ER_OUT_APPLIES / ER_OUT_UNDETERMINED, or -1 for "does not apply". */
static void scn_check_rules(scn_case *sc, const char *key, int want)
{
	yajl_val list = yajl_tree_get(sc->expect, (const char *[]){key, NULL}, yajl_t_array);
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->u.array.len; i++) {
		const char *id = YAJL_GET_STRING(list->u.array.values[i]);
		uint32_t rule;
		const er_rule_result *rr;
		int ok;

		if (!id) {
			scn_append(sc, _("\"%s\" item %zu is not a string"), key, i + 1);
			continue;
		}
		rule = scn_find_rule(sc->program, id);
		if (rule == BC_NONE) {
			scn_append(sc, _("rule %s: no such rule in the rule set"), id);
			continue;
		}
		rr = scn_rule_result(sc->result, rule);
		ok = want < 0 ? rr == NULL : rr != NULL && (int)rr->outcome == want;
		if (!ok) {
			const char *expected = want < 0 ? _("does not apply")
				: want == ER_OUT_APPLIES ? _("applies") : _("undetermined");
			scn_append(sc, _("rule %s: expected: %s; got: %s"), id, expected,
				   scn_outcome_word(rr));
		}
	}
}

static void scn_check_decision(scn_case *sc)
{
	yajl_val v = yajl_tree_get(sc->expect, (const char *[]){"decision", NULL}, yajl_t_string);
	er_decision want;

	if (!v)
		return;
	if (scn_parse_decision(YAJL_GET_STRING(v), &want) != 0) {
		scn_append(sc, _("unknown decision \"%s\" (expected 不予准入, 受限准入, 有条件准入, 准入 or 待补充信息)"),
			   YAJL_GET_STRING(v));
		return;
	}
	if (want != sc->result->decision)
		scn_append(sc, _("decision: expected: %s; got: %s"), er_decision_name(want),
			   er_decision_name(sc->result->decision));
}

/* Find the value of let `name` of a listed rule, formatted with its unit. */
static int scn_format_let(scn_case *sc, const er_rule_result *rr, const char *name, char *buf,
			  size_t size)
{
	const er_rule_info *info = er_program_rule(sc->program, rr->rule);
	size_t i;

	for (i = 0; i < info->let_count; i++) {
		er_rule_let let = er_program_rule_let(sc->program, rr->rule, i);
		const er_value *v;

		if (strcmp(let.name, name) != 0)
			continue;
		if (rr->values_count < info->let_count)
			return -1;
		v = &sc->result->values[rr->values_first + rr->values_count - info->let_count + i];
		er_format_value(sc->program, v, let.unit_text, buf, size);
		return 0;
	}
	return -1;
}

static void scn_check_values(scn_case *sc)
{
	yajl_val rules = yajl_tree_get(sc->expect, (const char *[]){"values", NULL}, yajl_t_object);
	size_t i, j;

	if (!rules)
		return;
	for (i = 0; i < rules->u.object.len; i++) {
		const char *id = rules->u.object.keys[i];
		yajl_val lets = rules->u.object.values[i];
		uint32_t rule = scn_find_rule(sc->program, id);
		const er_rule_result *rr;

		if (rule == BC_NONE) {
			scn_append(sc, _("rule %s: no such rule in the rule set"), id);
			continue;
		}
		rr = scn_rule_result(sc->result, rule);
		if (!rr) {
			scn_append(sc, _("rule %s: expected values, but the rule does not apply"), id);
			continue;
		}
		if (!YAJL_IS_OBJECT(lets))
			continue;
		for (j = 0; j < lets->u.object.len; j++) {
			const char *name = lets->u.object.keys[j];
			const char *want = YAJL_GET_STRING(lets->u.object.values[j]);
			char got[256];

			if (scn_format_let(sc, rr, name, got, sizeof got) != 0) {
				scn_append(sc, _("rule %s: no computed value named %s"), id, name);
				continue;
			}
			if (!want || strcmp(want, got) != 0)
				scn_append(sc, _("rule %s, %s: expected: %s; got: %s"), id, name,
					   want ? want : "?", got);
		}
	}
}

static int scn_fact_missing(const er_result *result, uint32_t fact)
{
	size_t i;

	for (i = 0; i < result->missing_count; i++)
		if (result->missing[i] == fact)
			return 1;
	return 0;
}

static void scn_check_missing(scn_case *sc)
{
	yajl_val list = yajl_tree_get(sc->expect, (const char *[]){"missing", NULL}, yajl_t_array);
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->u.array.len; i++) {
		const char *path = YAJL_GET_STRING(list->u.array.values[i]);
		uint32_t fact;

		if (!path)
			continue;
		fact = er_program_find_fact(sc->program, path, strlen(path));
		if (fact == BC_NONE)
			scn_append(sc, _("missing fact %s: no such fact in the schema"), path);
		else if (!scn_fact_missing(sc->result, fact))
			scn_append(sc, _("expected %s to be reported missing; it was not"), path);
	}
}

/* A failure line for each key of `object` that is not in `known`
 * (NULL-terminated); `message` takes the key. */
static void scn_check_keys(scn_case *sc, yajl_val object, const char *const *known, const char *message)
{
	for (size_t i = 0; object && i < object->u.object.len; i++) {
		const char *key = object->u.object.keys[i];
		size_t k = 0;
		while (known[k] && strcmp(known[k], key) != 0)
			k++;
		if (!known[k])
			scn_append(sc, message, key);
	}
}

static void scn_check_all_keys(scn_case *sc, yajl_val scenario)
{
	static const char *const scenario_keys[] = { "name", "as_of", "facts", "expect", NULL };
	static const char *const expect_keys[] = { "decision", "applies", "not_applies", "undetermined",
						   "values", "missing", NULL };
	scn_check_keys(sc, scenario, scenario_keys,
		       _("unknown key \"%s\" in the scenario (expected name, as_of, facts or expect)"));
	scn_check_keys(sc, sc->expect, expect_keys,
		       _("unknown key \"%s\" in \"expect\" (expected decision, applies, not_applies, "
			 "undetermined, values or missing)"));
}

/* The fact reader's callback: evaluate the scenario's one record. */
static int scn_on_record(er_record *record, void *context)
{
	scn_case *sc = context;
	size_t i;

	if (sc->evaluated++) {
		scn_append(sc, _("\"facts\" holds more than one record"));
		return 1;
	}
	if (record->error_count) {
		for (i = 0; i < record->error_count; i++)
			scn_append(sc, _("invalid fact: %s"), record->errors[i].message);
		return 0;
	}
	sc->status = er_eval(sc->program, record, sc->as_of, sc->result);
	if (sc->status != ER_OK)
		return 1;
	for (i = 0; i < sc->result->rule_count; i++)
		if (sc->result->rules[i].outcome == ER_OUT_APPLIES)
			sc->covered[sc->result->rules[i].rule] = 1;
	scn_check_decision(sc);
	scn_check_rules(sc, "applies", ER_OUT_APPLIES);
	scn_check_rules(sc, "not_applies", -1);
	scn_check_rules(sc, "undetermined", ER_OUT_UNDETERMINED);
	scn_check_values(sc);
	scn_check_missing(sc);
	return 0;
}

/* Write a yajl tree back as JSON text, so the facts go through the same
 * reader as any other record. */
static int scn_gen(yajl_gen g, yajl_val v)
{
	size_t i;

	switch (v->type) {
	case yajl_t_string:
		return yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
	case yajl_t_number:
		return yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	case yajl_t_true:
		return yajl_gen_bool(g, 1);
	case yajl_t_false:
		return yajl_gen_bool(g, 0);
	case yajl_t_null:
		return yajl_gen_null(g);
	case yajl_t_array:
		if (yajl_gen_array_open(g) != yajl_gen_status_ok)
			return -1;
		for (i = 0; i < v->u.array.len; i++)
			if (scn_gen(g, v->u.array.values[i]) != yajl_gen_status_ok)
				return -1;
		return yajl_gen_array_close(g);
	case yajl_t_object:
		if (yajl_gen_map_open(g) != yajl_gen_status_ok)
			return -1;
		for (i = 0; i < v->u.object.len; i++) {
			const char *k = v->u.object.keys[i];
			if (yajl_gen_string(g, (const unsigned char *)k, strlen(k)) != yajl_gen_status_ok ||
			    scn_gen(g, v->u.object.values[i]) != yajl_gen_status_ok)
				return -1;
		}
		return yajl_gen_map_close(g);
	default:
		return -1;
	}
}

static void scn_feed_facts(scn_case *sc, yajl_val facts)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *text;
	size_t len;
	FILE *in;
	facts_options opts = {0};
	er_error err = {0};

	if (!g) {
		sc->status = ER_E_NOMEM;
		return;
	}
	if (scn_gen(g, facts) != yajl_gen_status_ok ||
	    yajl_gen_get_buf(g, &text, &len) != yajl_gen_status_ok) {
		scn_append(sc, _("\"facts\" could not be read"));
		yajl_gen_free(g);
		return;
	}
	in = fmemopen((void *)text, len, "r");
	if (!in) {
		sc->status = ER_E_NOMEM;
		yajl_gen_free(g);
		return;
	}
	opts.format = FACTS_JSON;
	opts.encoding = FACTS_ENC_UTF8;
	opts.name = sc->file;
	opts.on_record = scn_on_record;
	opts.context = sc;
	if (facts_read(sc->program, in, &opts, &err) != ER_OK)
		scn_append(sc, "%s", err.message);
	else if (!sc->evaluated)
		scn_append(sc, _("\"facts\" holds no record"));
	fclose(in);
	yajl_gen_free(g);
}

static er_status scn_run_one(const er_program *program, const char *file, yajl_val scenario,
			     size_t number, const scn_options *options, er_result *result,
			     FILE *out, scn_summary *summary)
{
	scn_case sc = {0};
	yajl_val name = yajl_tree_get(scenario, (const char *[]){"name", NULL}, yajl_t_string);
	yajl_val as_of = yajl_tree_get(scenario, (const char *[]){"as_of", NULL}, yajl_t_string);
	yajl_val facts = yajl_tree_get(scenario, (const char *[]){"facts", NULL}, yajl_t_object);
	char fallback[32];
	const char *as_of_text;

	sc.program = program;
	sc.file = file;
	sc.result = result;
	sc.covered = summary->covered;
	sc.as_of = options->default_as_of;
	sc.expect = yajl_tree_get(scenario, (const char *[]){"expect", NULL}, yajl_t_object);
	snprintf(fallback, sizeof fallback, "#%zu", number);
	sc.name = name ? YAJL_GET_STRING(name) : fallback;
	sc.indent = options->on_fail ? "" : "      ";
	scn_check_all_keys(&sc, scenario);

	as_of_text = as_of ? YAJL_GET_STRING(as_of) : NULL;
	if (as_of_text && er_date_parse(as_of_text, strlen(as_of_text), &sc.as_of) != 0)
		scn_append(&sc, _("\"as_of\" is not a date: %s"), as_of_text);
	else if (!facts)
		scn_append(&sc, _("the scenario has no \"facts\" object"));
	else if (!sc.expect)
		scn_append(&sc, _("the scenario has no \"expect\" object"));
	else
		scn_feed_facts(&sc, facts);

	if (sc.status == ER_E_NOMEM) {
		free(sc.diff);
		return ER_E_NOMEM;
	}
	if (sc.diff_len) {
		summary->failed++;
		if (options->on_fail)
			options->on_fail(options->context, file, sc.name, sc.diff);
		else
			fprintf(out, "%s  %s: %s\n%s", _("FAIL"), file, sc.name, sc.diff);
	} else {
		summary->passed++;
		if (options->verbose)
			fprintf(out, "%s  %s: %s\n", _("PASS"), file, sc.name);
	}
	free(sc.diff);
	return ER_OK;
}

static char *scn_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *grown = realloc(buf, cap = (n + 4096 + 1) * 2);
			if (!grown) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static er_status scn_run_file(const er_program *program, const char *file,
			      const scn_options *options, er_result *result, FILE *out,
			      scn_summary *summary)
{
	size_t len, i;
	char *text = scn_slurp(file, &len);
	char errbuf[512];
	yajl_val root;
	er_status st = ER_OK;
	const char *prog = options->program ? options->program : "rulevm";

	if (!text) {
		if (errno == ENOMEM)
			return ER_E_NOMEM;
		fprintf(stderr, _("%s: cannot read scenario file %s: %s\n"), prog, file, strerror(errno));
		summary->io_errors++;
		return ER_OK;
	}
	root = yajl_tree_parse(text, errbuf, sizeof errbuf);
	free(text);
	if (!root || !YAJL_IS_ARRAY(root)) {
		fprintf(stderr, _("%s: %s is not a JSON array of scenarios: %s\n"), prog, file,
			root ? _("the top level is not an array") : errbuf);
		summary->file_errors++;
		yajl_tree_free(root);
		return ER_OK;
	}
	for (i = 0; i < root->u.array.len && st == ER_OK; i++) {
		yajl_val scenario = root->u.array.values[i];
		if (!YAJL_IS_OBJECT(scenario)) {
			fprintf(stderr, _("%s: %s: scenario %zu is not an object\n"), prog, file, i + 1);
			summary->file_errors++;
			continue;
		}
		st = scn_run_one(program, file, scenario, i + 1, options, result, out, summary);
	}
	yajl_tree_free(root);
	return st;
}

er_status scn_run_files(const er_program *program, char *const *files, size_t file_count,
			const scn_options *options, FILE *out, scn_summary *summary)
{
	er_result result;
	size_t i, n = er_program_rule_count(program);
	er_status st = ER_OK;

	memset(summary, 0, sizeof *summary);
	summary->rules_total = n;
	summary->covered = calloc(n ? n : 1, 1);
	if (!summary->covered)
		return ER_E_NOMEM;
	er_result_init(&result);
	for (i = 0; i < file_count && st == ER_OK; i++)
		st = scn_run_file(program, files[i], options, &result, out, summary);
	er_result_free(&result);
	for (i = 0; i < n; i++)
		summary->rules_covered += summary->covered[i];
	return st;
}

void scn_print_coverage(const er_program *program, const scn_summary *summary,
			int show_uncovered, FILE *out)
{
	size_t i;
	double pct = summary->rules_total
		? 100.0 * (double)summary->rules_covered / (double)summary->rules_total : 100.0;

	fprintf(out, _("rule coverage: %zu of %zu rules applied in some scenario (%.1f%%)\n"),
		summary->rules_covered, summary->rules_total, pct);
	if (!show_uncovered)
		return;
	for (i = 0; i < summary->rules_total; i++) {
		const er_rule_info *info;

		if (summary->covered[i])
			continue;
		info = er_program_rule(program, i);
		fprintf(out, _("  not covered: %s (%s:%u)\n"), info->id, info->source_file,
			(unsigned)info->line);
	}
}

void scn_summary_free(scn_summary *summary)
{
	free(summary->covered);
	summary->covered = NULL;
}
