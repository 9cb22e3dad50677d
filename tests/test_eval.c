/* Check tests of er_eval (runtime/eval.c): decisions, needs-information,
 * checked requirements, failures, dates and scope. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bcasm.h"
#include "ecorule.h"

enum { F_UNIT, F_A, F_B, F_C, F_RATE, F_Y, FACTS };

/* What a test rule looks like; each field selects generated code. */
enum { WHEN_ALWAYS, WHEN_A, WHEN_B, WHEN_C };
enum { SCOPE_NONE, SCOPE_UNIT0, SCOPE_CLASS_GENERAL, SCOPE_COUNTY_YANGCHENG };

typedef struct spec {
	const char *id;
	er_verdict verdict;
	int when;
	int ensure;     /* rate >= 85 */
	int let_div;    /* let q = rate / y */
	int scope;
	const char *from, *until;
} spec;

static er_program *build(const spec *specs, size_t n)
{
	bcasm *a = bcasm_new();
	uint32_t c85, yangcheng, chengqu, unit0, when_code[4], ensure_code, div_code;
	uint32_t county_scope[1], unit_scope[1];
	uint8_t *data;
	size_t size, i;
	er_error err;
	er_program *p;

	bcasm_fact(a, "unit", "所在单元", ER_FT_UNIT, BC_NONE, NULL);
	bcasm_fact(a, "a", "甲", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_fact(a, "b", "乙", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_fact(a, "c", "丙", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_fact(a, "rate", "中水回用率", ER_FT_QUANTITY, BC_NONE, "%");
	bcasm_fact(a, "y", "y", ER_FT_NUMBER, BC_NONE, NULL);
	c85 = bcasm_dec(a, 85, 0);
	chengqu = bcasm_county(a, "城区", "140502");
	yangcheng = bcasm_county(a, "阳城县", "140522");
	unit0 = bcasm_unit(a, "ZH14050220001", "开发区", chengqu, ER_CLASS_KEY, BC_NONE);
	bcasm_unit(a, "ZH14052230001", "阳城一般区", yangcheng, ER_CLASS_GENERAL, BC_NONE);

	when_code[WHEN_ALWAYS] = BC_NONE;
	for (i = WHEN_A; i <= WHEN_C; i++) {
		when_code[i] = bcasm_here(a);
		bcasm_op16(a, OP_FACT, (uint16_t)(F_A + i - WHEN_A));
		bcasm_op(a, OP_RET);
	}
	ensure_code = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_RATE);
	bcasm_op32(a, OP_CONST, c85);
	bcasm_op(a, OP_GE);
	bcasm_op(a, OP_RET);
	div_code = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_RATE);
	bcasm_op16(a, OP_FACT, F_Y);
	bcasm_op(a, OP_DIV);
	bcasm_op(a, OP_RET);
	unit_scope[0] = unit0;
	county_scope[0] = yangcheng;

	for (i = 0; i < n; i++) {
		const spec *s = &specs[i];
		bcasm_rule r;
		bcasm_let let = { "q", div_code, NULL };
		memset(&r, 0, sizeof r);
		r.id = s->id;
		r.verdict = s->verdict;
		r.condition = when_code[s->when];
		r.ensure = s->ensure ? ensure_code : BC_NONE;
		if (s->let_div) {
			r.lets = &let;
			r.let_count = 1;
		}
		if (s->scope == SCOPE_UNIT0) {
			r.units = unit_scope;
			r.unit_count = 1;
		} else if (s->scope == SCOPE_CLASS_GENERAL) {
			r.class_mask = 1u << ER_CLASS_GENERAL;
		} else if (s->scope == SCOPE_COUNTY_YANGCHENG) {
			r.counties = county_scope;
			r.county_count = 1;
		}
		if (s->from) {
			r.has_from = 1;
			ck_assert_int_eq(er_date_parse(s->from, strlen(s->from), &r.from), 0);
		}
		if (s->until) {
			r.has_until = 1;
			ck_assert_int_eq(er_date_parse(s->until, strlen(s->until), &r.until), 0);
		}
		bcasm_rule_add(a, &r);
	}
	data = bcasm_finish(a, &size);
	bcasm_free(a);
	p = er_program_load(data, size, &err);
	free(data);
	ck_assert_msg(p != NULL, "%s", err.message);
	return p;
}

/* A record built by hand, without the fact readers. */
typedef struct test_record {
	er_record rec;
	er_value slots[FACTS];
	uint8_t present[FACTS];
} test_record;

static void record_init(test_record *t, const er_program *p)
{
	memset(t, 0, sizeof *t);
	t->rec.program = p;
	t->rec.slots = t->slots;
	t->rec.present = t->present;
	t->rec.unit_index = BC_NONE;
	t->rec.unit_class = -1;
	t->rec.county_index = BC_NONE;
}

enum { F = 0, T = 1, U = 2 };

static void set_bool(test_record *t, uint32_t fact, int v)
{
	t->present[fact] = v != U;
	t->slots[fact].kind = ER_K_BOOL;
	t->slots[fact].truth = v == T ? ER_TRUE : ER_FALSE;
}

static void set_dec(test_record *t, uint32_t fact, int64_t value)
{
	t->present[fact] = 1;
	t->slots[fact].kind = ER_K_DEC;
	t->slots[fact].as.dec = er_dec_from_int(value);
}

static void set_unit(test_record *t, const char *code)
{
	const er_program *p = t->rec.program;
	t->present[F_UNIT] = 1;
	t->slots[F_UNIT].kind = ER_K_UNIT;
	t->rec.unit_index = er_program_find_unit(p, code, strlen(code));
	t->slots[F_UNIT].as.index = t->rec.unit_index;
	t->rec.unit_class = code[8] - '1';
	t->rec.county_index = er_program_find_county_code(p, code + 2, 6);
}

static int32_t day(const char *text)
{
	int32_t d;
	ck_assert_int_eq(er_date_parse(text, strlen(text), &d), 0);
	return d;
}

static const er_rule_result *find(const er_program *p, const er_result *res, const char *id)
{
	size_t i;
	for (i = 0; i < res->rule_count; i++)
		if (strcmp(er_program_rule(p, res->rules[i].rule)->id, id) == 0)
			return &res->rules[i];
	return NULL;
}

static const spec ladder[] = {
	{ "forbid", ER_VERDICT_FORBID, WHEN_A, 0, 0, SCOPE_NONE, NULL, NULL },
	{ "restrict", ER_VERDICT_RESTRICT, WHEN_B, 0, 0, SCOPE_NONE, NULL, NULL },
	{ "require", ER_VERDICT_REQUIRE, WHEN_C, 0, 0, SCOPE_NONE, NULL, NULL },
	{ "guide", ER_VERDICT_GUIDE, WHEN_ALWAYS, 0, 0, SCOPE_NONE, NULL, NULL },
};

START_TEST(decision_is_strictest_verdict)
{
	static const struct { int a, b, c; er_decision d; } cases[] = {
		{ T, T, T, ER_DECISION_REJECTED },   { F, T, T, ER_DECISION_RESTRICTED },
		{ F, F, T, ER_DECISION_CONDITIONAL }, { F, F, F, ER_DECISION_ADMIT },
	};
	er_program *p = build(ladder, 4);
	test_record t;
	er_result res;
	size_t i;

	er_result_init(&res);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		record_init(&t, p);
		set_bool(&t, F_A, cases[i].a);
		set_bool(&t, F_B, cases[i].b);
		set_bool(&t, F_C, cases[i].c);
		ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
		ck_assert_msg(res.decision == cases[i].d, "case %zu: decision %d", i, res.decision);
		ck_assert_ptr_nonnull(find(p, &res, "guide"));
		ck_assert_uint_eq(res.needed_count, 0);
	}
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(needs_information_only_when_stricter)
{
	er_program *p = build(ladder, 4);
	test_record t;
	er_result res;
	const er_rule_result *rr;

	er_result_init(&res);
	/* a unknown, b true: forbid could be stricter than restricted. */
	record_init(&t, p);
	set_bool(&t, F_B, T);
	set_bool(&t, F_C, F);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);
	ck_assert_int_eq(res.settled, ER_DECISION_RESTRICTED);
	ck_assert_uint_eq(res.needed_count, 1);
	ck_assert_uint_eq(res.needed[0], F_A);
	rr = find(p, &res, "forbid");
	ck_assert_ptr_nonnull(rr);
	ck_assert_int_eq(rr->outcome, ER_OUT_UNDETERMINED);
	ck_assert_uint_eq(rr->missing_count, 1);

	/* a true, b and c unknown: nothing could be stricter than rejected. */
	record_init(&t, p);
	set_bool(&t, F_A, T);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_REJECTED);
	ck_assert_uint_eq(res.needed_count, 0);
	ck_assert_int_eq(find(p, &res, "restrict")->outcome, ER_OUT_UNDETERMINED);

	/* Everything unknown: b and c do not matter while a could forbid...
	 * but each could raise the decision above admitted, so all are needed. */
	record_init(&t, p);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);
	ck_assert_uint_eq(res.needed_count, 3);
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(ensure_met_violated_attached)
{
	static const spec specs[] = {
		{ "reuse", ER_VERDICT_REQUIRE, WHEN_ALWAYS, 1, 0, SCOPE_NONE, NULL, NULL },
	};
	er_program *p = build(specs, 1);
	test_record t;
	er_result res;

	er_result_init(&res);
	record_init(&t, p);
	set_dec(&t, F_RATE, 90);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].check, ER_CHECK_MET);
	ck_assert_int_eq(res.decision, ER_DECISION_CONDITIONAL);

	set_dec(&t, F_RATE, 85); /* 及以上 includes 85 */
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].check, ER_CHECK_MET);

	set_dec(&t, F_RATE, 80);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].check, ER_CHECK_VIOLATED);
	ck_assert_int_eq(res.decision, ER_DECISION_REJECTED);

	record_init(&t, p);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].check, ER_CHECK_ATTACHED);
	ck_assert_int_eq(res.decision, ER_DECISION_CONDITIONAL);
	ck_assert_uint_eq(res.rules[0].missing_count, 1);
	ck_assert_uint_eq(res.missing[res.rules[0].missing_first], F_RATE);
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(undetermined_ensure_could_reject)
{
	static const spec specs[] = {
		{ "reuse", ER_VERDICT_REQUIRE, WHEN_C, 1, 0, SCOPE_NONE, NULL, NULL },
		{ "limit", ER_VERDICT_RESTRICT, WHEN_B, 0, 0, SCOPE_NONE, NULL, NULL },
	};
	er_program *p = build(specs, 2);
	test_record t;
	er_result res;

	er_result_init(&res);
	record_init(&t, p);
	set_bool(&t, F_B, T);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);
	/* Either the condition's fact or the checked value settles it. */
	ck_assert_uint_eq(res.needed_count, 2);
	ck_assert_uint_eq(res.needed[0], F_C);
	ck_assert_uint_eq(res.needed[1], F_RATE);
	ck_assert_int_eq(res.rules[0].potential, ER_DECISION_REJECTED);

	/* A requirement known to be met could give no more than its verdict,
	 * which is not stricter than the restriction already settled. */
	set_dec(&t, F_RATE, 90);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].outcome, ER_OUT_UNDETERMINED);
	ck_assert_int_eq(res.rules[0].potential, ER_DECISION_CONDITIONAL);
	ck_assert_int_eq(res.decision, ER_DECISION_RESTRICTED);
	ck_assert_uint_eq(res.needed_count, 0);

	/* A requirement known to be violated could still reject. */
	set_dec(&t, F_RATE, 80);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);
	ck_assert_uint_eq(res.needed_count, 1);
	ck_assert_uint_eq(res.needed[0], F_C);
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(failed_rule_needs_information)
{
	static const spec specs[] = {
		{ "offset", ER_VERDICT_REQUIRE, WHEN_ALWAYS, 0, 1, SCOPE_NONE, NULL, NULL },
		{ "forbid", ER_VERDICT_FORBID, WHEN_A, 0, 0, SCOPE_NONE, NULL, NULL },
	};
	er_program *p = build(specs, 2);
	test_record t;
	er_result res;
	char *message;

	er_result_init(&res);
	record_init(&t, p);
	set_bool(&t, F_A, F);
	set_dec(&t, F_RATE, 10);
	set_dec(&t, F_Y, 4);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_CONDITIONAL);
	ck_assert_uint_eq(res.rules[0].values_count, 1);
	ck_assert_int_eq(er_dec_cmp(res.values[res.rules[0].values_first].as.dec, (er_dec){ 25, 1 }), 0);
	message = er_format_message(p, &res, &res.rules[0]);
	ck_assert_ptr_nonnull(message);
	free(message);

	set_dec(&t, F_Y, 0);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.rules[0].outcome, ER_OUT_FAILED);
	ck_assert_int_eq(res.rules[0].error, ER_E_DIVZERO);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);

	set_bool(&t, F_A, T);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_REJECTED);
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(as_of_selects_rules_in_force)
{
	static const spec specs[] = {
		{ "dated", ER_VERDICT_EXIT, WHEN_ALWAYS, 0, 0, SCOPE_NONE, "2021-10-01", "2022-12-31" },
	};
	static const struct { const char *day; int listed; } cases[] = {
		{ "2021-09-30", 0 }, { "2021-10-01", 1 }, { "2022-12-31", 1 }, { "2023-01-01", 0 },
	};
	er_program *p = build(specs, 1);
	test_record t;
	er_result res;
	size_t i;

	er_result_init(&res);
	record_init(&t, p);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(er_eval(p, &t.rec, day(cases[i].day), &res), ER_OK);
		ck_assert_msg(res.rule_count == (size_t)cases[i].listed, "on %s", cases[i].day);
		ck_assert_int_eq(res.decision,
				 cases[i].listed ? ER_DECISION_CONDITIONAL : ER_DECISION_ADMIT);
	}
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(scope_by_unit_class_county)
{
	static const spec specs[] = {
		{ "by-unit", ER_VERDICT_REQUIRE, WHEN_ALWAYS, 0, 0, SCOPE_UNIT0, NULL, NULL },
		{ "by-class", ER_VERDICT_REQUIRE, WHEN_ALWAYS, 0, 0, SCOPE_CLASS_GENERAL, NULL, NULL },
		{ "by-county", ER_VERDICT_RESTRICT, WHEN_ALWAYS, 0, 0, SCOPE_COUNTY_YANGCHENG, NULL,
		  NULL },
		{ "everywhere", ER_VERDICT_GUIDE, WHEN_ALWAYS, 0, 0, SCOPE_NONE, NULL, NULL },
	};
	static const struct {
		const char *code;
		int unit, klass, county;
	} cases[] = {
		{ "ZH14050220001", 1, 0, 0 }, /* unit 0: 城区, 重点管控 */
		{ "ZH14052230001", 0, 1, 1 }, /* in the table: 阳城县, 一般管控 */
		{ "ZH14052230099", 0, 1, 1 }, /* not in the table, same class and county */
		{ "ZH14052220099", 0, 0, 1 }, /* not in the table, 重点管控 */
		{ "ZH99999930001", 0, 1, 0 }, /* unknown county */
	};
	er_program *p = build(specs, 4);
	test_record t;
	er_result res;
	size_t i;

	er_result_init(&res);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		record_init(&t, p);
		set_unit(&t, cases[i].code);
		ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
		ck_assert_msg((find(p, &res, "by-unit") != NULL) == cases[i].unit, "%s", cases[i].code);
		ck_assert_msg((find(p, &res, "by-class") != NULL) == cases[i].klass, "%s",
			      cases[i].code);
		ck_assert_msg((find(p, &res, "by-county") != NULL) == cases[i].county, "%s",
			      cases[i].code);
		ck_assert_ptr_nonnull(find(p, &res, "everywhere"));
		ck_assert_int_ne(res.decision, ER_DECISION_NEEDS_INFO);
	}

	/* No unit: the scoped rules are undetermined, missing the unit fact. */
	record_init(&t, p);
	ck_assert_int_eq(er_eval(p, &t.rec, day("2024-01-01"), &res), ER_OK);
	ck_assert_int_eq(res.decision, ER_DECISION_NEEDS_INFO);
	ck_assert_int_eq(find(p, &res, "by-county")->outcome, ER_OUT_UNDETERMINED);
	ck_assert_int_eq(find(p, &res, "everywhere")->outcome, ER_OUT_APPLIES);
	ck_assert_uint_eq(res.needed_count, 1);
	ck_assert_uint_eq(res.needed[0], F_UNIT);
	er_result_free(&res);
	er_program_free(p);
}
END_TEST

START_TEST(names_and_values_format)
{
	er_value v;
	char buf[64];
	memset(&v, 0, sizeof v);
	v.kind = ER_K_DEC;
	v.as.dec = (er_dec){ 10000, 2 };
	ck_assert_uint_eq(er_format_value(NULL, &v, "吨/年", buf, sizeof buf), strlen("100 吨/年"));
	ck_assert_str_eq(buf, "100 吨/年");
	v.as.dec = (er_dec){ 85, 0 };
	er_format_value(NULL, &v, "%", buf, sizeof buf);
	ck_assert_str_eq(buf, "85%");
	ck_assert_uint_eq(er_format_value(NULL, &v, "%", buf, 2), 3);
	ck_assert_str_eq(buf, "8");
	v.unknown = 1;
	er_format_value(NULL, &v, "%", buf, sizeof buf);
	ck_assert_str_eq(buf, "?");
	ck_assert_str_ne(er_decision_name(ER_DECISION_NEEDS_INFO), "?");
	ck_assert_str_ne(er_verdict_name(ER_VERDICT_FORBID), "?");
	ck_assert_str_ne(er_dimension_name(ER_DIM_RISK), "?");
	ck_assert_str_ne(er_status_name(ER_E_INEXACT), "?");
}
END_TEST

static Suite *eval_suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, decision_is_strictest_verdict);
	tcase_add_test(tc, needs_information_only_when_stricter);
	tcase_add_test(tc, ensure_met_violated_attached);
	tcase_add_test(tc, undetermined_ensure_could_reject);
	tcase_add_test(tc, failed_rule_needs_information);
	tcase_add_test(tc, as_of_selects_rules_in_force);
	tcase_add_test(tc, scope_by_unit_class_county);
	tcase_add_test(tc, names_and_values_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(eval_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
