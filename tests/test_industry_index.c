/* Check tests of the industry dimension of the rule index
 * (runtime/load_industry.c): which rules get an industry key, and that
 * evaluating with the index gives exactly what evaluating without it
 * gives, on generated Jincheng records. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bcasm.h"
#include "ecorule.h"
#include "program.h"
#include "support.h"

/* Write `rules` to a file, compile it and load the bytecode. */
static er_program *load_rules(const char *rules)
{
	char src[] = "/tmp/ecorule-test-industry-XXXXXX.rule";
	char path[] = "/tmp/ecorule-test-industry-XXXXXX";
	int fd = mkstemps(src, 5);
	FILE *out;
	er_error err;
	er_program *p;

	ck_assert_int_ge(fd, 0);
	out = fdopen(fd, "w");
	ck_assert_ptr_nonnull(out);
	fputs(rules, out);
	fclose(out);
	ck_assert_int_eq(test_compile_rules(src, path), 0);
	unlink(src);
	p = er_program_load_file(path, &err);
	unlink(path);
	ck_assert_msg(p != NULL, "%s", err.message);
	return p;
}

static uint32_t rule_named(const er_program *p, const char *id)
{
	uint32_t i;

	for (i = 0; i < p->rule_count; i++)
		if (strcmp(p->rules[i].id, id) == 0)
			return i;
	ck_abort_msg("no rule %s", id);
	return BC_NONE;
}

static const char keyed_rules[] =
	"enum 建设性质 { 新建, 扩建 }\n"
	"fact project.industry : code label \"行业代码\"\n"
	"fact project.nature : 建设性质 label \"建设性质\"\n"
	"fact project.so2 : number label \"二氧化硫\"\n"
	"fact project.nox : number label \"氮氧化物\"\n"
	"industry 焦化 = 2521\n"
	"industry 铸造 = 3391, 3392\n"
	"rule K1 { title \"t\" dimension 空间布局约束\n"
	"  when project.nature in { 新建 } and project.industry in 焦化 forbid \"m\" basis \"b\" }\n"
	"rule K2 { title \"t\" dimension 空间布局约束\n"
	"  when project.industry in 铸造 and project.nature in { 新建 } forbid \"m\" basis \"b\" }\n"
	"rule K3 { title \"t\" dimension 空间布局约束\n"
	"  when project.so2 + project.nox > 10 and project.industry in 焦化 forbid \"m\" basis \"b\" }\n"
	"rule K4 { title \"t\" dimension 空间布局约束\n"
	"  when project.industry in 焦化 or project.nature in { 扩建 } forbid \"m\" basis \"b\" }\n"
	"rule K5 { title \"t\" dimension 空间布局约束\n"
	"  when project.nature in { 新建 } unless project.industry in 铸造 forbid \"m\" basis \"b\" }\n";

/* A conjunct `industry in S` keys the rule; arithmetic before it, an `or`
 * or a negation does not. */
START_TEST(keys_only_plain_conjuncts)
{
	er_program *p = load_rules(keyed_rules);

	ck_assert_uint_ne(p->ind_fact, BC_NONE);
	ck_assert_uint_ne(p->rule_indset[rule_named(p, "K1")], BC_NONE);
	ck_assert_uint_ne(p->rule_indset[rule_named(p, "K2")], BC_NONE);
	ck_assert_uint_eq(p->rule_indset[rule_named(p, "K3")], BC_NONE);
	ck_assert_uint_eq(p->rule_indset[rule_named(p, "K4")], BC_NONE);
	ck_assert_uint_eq(p->rule_indset[rule_named(p, "K5")], BC_NONE);
	er_program_free(p);
}
END_TEST

/* A file in which `a JTRUE(end) code-in AND` is true whenever `a` is,
 * whatever the code: the index must not key it, while the compiler's
 * shape `a JFALSE(end) code-in AND` is keyed. */
START_TEST(crafted_jump_not_keyed)
{
	static const char *const codes[] = { "2521" };
	bcasm *a = bcasm_new();
	uint32_t set, fact_code, fact_a, frag[2];
	uint8_t *data;
	size_t size, i;
	er_error err;
	er_program *p;
	er_record *rec;
	er_result res;
	int32_t as_of;

	fact_code = bcasm_fact(a, "industry", "行业代码", ER_FT_CODE, BC_NONE, NULL);
	fact_a = bcasm_fact(a, "a", "甲", ER_FT_BOOLEAN, BC_NONE, NULL);
	set = bcasm_const(a, BC_CONST_INDSET, bcasm_indset(a, "焦化", codes, 1), 0);
	for (i = 0; i < 2; i++) {
		uint32_t jump;
		frag[i] = bcasm_here(a);
		bcasm_op16(a, OP_FACT, (uint16_t)fact_a);
		jump = bcasm_jump(a, i == 0 ? OP_JFALSE : OP_JTRUE);
		bcasm_op16(a, OP_FACT, (uint16_t)fact_code);
		bcasm_op32(a, OP_CONST, set);
		bcasm_op(a, OP_CODE_IN);
		bcasm_op(a, OP_AND);
		bcasm_land(a, jump);
		bcasm_op(a, OP_RET);
	}
	for (i = 0; i < 2; i++) {
		bcasm_rule r;
		memset(&r, 0, sizeof r);
		r.id = i == 0 ? "PLAIN" : "CRAFTED";
		r.verdict = ER_VERDICT_FORBID;
		r.condition = frag[i];
		r.ensure = BC_NONE;
		bcasm_rule_add(a, &r);
	}
	data = bcasm_finish(a, &size);
	bcasm_free(a);
	p = er_program_load(data, size, &err);
	free(data);
	ck_assert_msg(p != NULL, "%s", err.message);
	ck_assert_uint_ne(p->rule_indset[0], BC_NONE);
	ck_assert_uint_eq(p->rule_indset[1], BC_NONE);

	/* With a true and a code outside the set, only CRAFTED applies. */
	rec = er_record_new(p);
	ck_assert_int_eq(er_record_set_text(rec, fact_code, "industry", "3011", 4, 1), ER_OK);
	ck_assert_int_eq(er_record_set_text(rec, fact_a, "a", "true", 4, 0), ER_OK);
	ck_assert_int_eq(er_date_parse("2024-01-01", 10, &as_of), 0);
	er_result_init(&res);
	ck_assert_int_eq(er_eval(p, rec, as_of, &res), ER_OK);
	ck_assert_uint_eq(res.rule_count, 1);
	ck_assert_uint_eq(res.rules[0].rule, 1);
	ck_assert_int_eq(res.rules[0].outcome, ER_OUT_APPLIES);
	er_result_free(&res);
	er_record_free(rec);
	er_program_free(p);
}
END_TEST

/* ---- Differential check on the Jincheng rule set ---- */

static uint32_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

/* An industry code: a code of some set, maybe lengthened, or a random one. */
static void pick_code(const er_program *p, char *buf, size_t size)
{
	if (p->indset_count > 0 && rng(4) != 0) {
		const pr_indset *s = &p->indsets[rng(p->indset_count)];
		if (s->count > 0) {
			snprintf(buf, size, "%s%s", p->strings[s->codes[rng(s->count)]],
				 rng(2) ? "" : "1");
			return;
		}
	}
	snprintf(buf, size, "%u", 1000 + rng(9000));
}

static void set_fact(er_record *rec, const er_program *p, uint32_t f)
{
	const er_fact_info *fi = er_program_fact(p, f);
	char buf[64];

	switch (fi->type) {
	case ER_FT_BOOLEAN: snprintf(buf, sizeof buf, "%s", rng(2) ? "true" : "false"); break;
	case ER_FT_INTEGER:
	case ER_FT_NUMBER: snprintf(buf, sizeof buf, "%u", rng(3000)); break;
	case ER_FT_QUANTITY: snprintf(buf, sizeof buf, "%u %s", rng(3000), fi->unit_text); break;
	case ER_FT_DATE: snprintf(buf, sizeof buf, "20%02u-06-01", 15 + rng(15)); break;
	case ER_FT_CODE: pick_code(p, buf, sizeof buf); break;
	case ER_FT_UNIT:
		snprintf(buf, sizeof buf, "%s",
			 er_program_unit_code(p, rng((uint32_t)er_program_unit_count(p))));
		break;
	case ER_FT_ENUM:
	case ER_FT_SET:
		snprintf(buf, sizeof buf, "%s",
			 er_program_enum_value(p, fi->enum_index,
					       rng((uint32_t)er_program_enum_size(p, fi->enum_index))));
		break;
	default: return;
	}
	if (fi->type == ER_FT_SET)
		er_record_add_to_set(rec, f, fi->path, buf, strlen(buf));
	else
		er_record_set_text(rec, f, fi->path, buf, strlen(buf), 1);
}

static void fill_record(er_record *rec, const er_program *p, uint32_t absent_in_10)
{
	uint32_t f, n = (uint32_t)er_program_fact_count(p);

	er_record_reset(rec);
	for (f = 0; f < n; f++)
		if (rng(10) >= absent_in_10)
			set_fact(rec, p, f);
}

static void assert_same(const er_result *a, const er_result *b, size_t record)
{
	size_t i;

	ck_assert_msg(a->decision == b->decision, "record %zu: decision %d against %d", record,
		      a->decision, b->decision);
	ck_assert_msg(a->rule_count == b->rule_count, "record %zu: %zu rules against %zu", record,
		      a->rule_count, b->rule_count);
	for (i = 0; i < a->rule_count; i++) {
		ck_assert_uint_eq(a->rules[i].rule, b->rules[i].rule);
		ck_assert_int_eq(a->rules[i].outcome, b->rules[i].outcome);
		ck_assert_int_eq(a->rules[i].check, b->rules[i].check);
		ck_assert_uint_eq(a->rules[i].missing_count, b->rules[i].missing_count);
	}
	ck_assert_uint_eq(a->needed_count, b->needed_count);
}

START_TEST(index_matches_full_scan_on_jincheng)
{
	er_error err;
	er_program *p = er_program_load_file(test_ruleset(), &err);
	er_record *rec;
	er_result with, without;
	uint32_t fact, keyed = 0, i;
	int32_t as_of;
	size_t n;

	ck_assert_msg(p != NULL, "%s", err.message);
	ck_assert_uint_ne(p->ind_fact, BC_NONE);
	for (i = 0; i < p->rule_count; i++)
		keyed += p->rule_indset[i] != BC_NONE;
	ck_assert_uint_gt(keyed, 10);
	fact = p->ind_fact;
	ck_assert_int_eq(er_date_parse("2023-01-01", 10, &as_of), 0);
	rec = er_record_new(p);
	er_result_init(&with);
	er_result_init(&without);
	rng_state = 20210630;
	for (n = 0; n < 3000; n++) {
		fill_record(rec, p, (uint32_t)(n % 4));
		ck_assert_int_eq(er_eval(p, rec, as_of, &with), ER_OK);
		p->ind_fact = BC_NONE;
		ck_assert_int_eq(er_eval(p, rec, as_of, &without), ER_OK);
		p->ind_fact = fact;
		assert_same(&with, &without, n);
	}
	er_result_free(&with);
	er_result_free(&without);
	er_record_free(rec);
	er_program_free(p);
}
END_TEST

Suite *industry_index_suite(void)
{
	Suite *s = suite_create("industry_index");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, keys_only_plain_conjuncts);
	tcase_add_test(tc, crafted_jump_not_keyed);
	tcase_add_test(tc, index_matches_full_scan_on_jincheng);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(industry_index_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
