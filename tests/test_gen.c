/* Code generator tests: compile small rule sets in memory, load the
 * bytes with the runtime's loader, evaluate hand-set records, and check
 * decisions and computed values. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "ecorule.h"
#include "emit.h"
#include "i18n.h"

static const char *const schema =
	"enum 建设性质 { 新建, 改建, 扩建 }\n"
	"enum 区域 { 泉域, 城市规划区 }\n"
	"fact project.nature : 建设性质 label \"建设性质\"\n"
	"fact project.industry : code label \"行业代码\"\n"
	"fact site.zones : set of 区域 label \"所在区域\"\n"
	"fact emission.new.SO2 : quantity 吨/年 label \"新增二氧化硫排放量\"\n"
	"fact emission.rate : quantity 千克/小时 label \"排放速率\"\n"
	"fact emission.annual : quantity 吨/年 label \"年排放量\"\n"
	"industry 焦化 = 2521\n"
	"industry 钢铁 = 31\n"
	"industry 两高 = 焦化, 钢铁\n";

typedef struct compiled {
	er_program *program;
	er_record *record;
	er_result result;
} compiled;

/* Compile schema + rules; fail the test on any diagnostic. */
static void compile(compiled *c, const char *rules)
{
	size_t len = strlen(schema) + strlen(rules) + 1;
	char *text = malloc(len);
	ck_assert_ptr_nonnull(text);
	snprintf(text, len, "%s%s", schema, rules);

	driver dr;
	driver_init(&dr);
	driver_load_string(&dr, "test.rule", text);
	size_t errors = driver_build(&dr);
	if (errors) {
		diag_print_text(&dr.diags, dr.sources, stderr);
	}
	ck_assert_uint_eq(errors, 0);

	uint8_t *bytes;
	size_t size;
	emit_bytes(&dr.m, &bytes, &size);
	er_error err;
	c->program = er_program_load(bytes, size, &err);
	ck_assert_msg(c->program != NULL, "load failed: %s", err.message);
	free(bytes);
	driver_free(&dr);
	free(text);

	c->record = er_record_new(c->program);
	ck_assert_ptr_nonnull(c->record);
	er_result_init(&c->result);
}

static void set_fact(compiled *c, const char *path, const char *value)
{
	uint32_t fact = er_program_find_fact(c->program, path, strlen(path));
	ck_assert_msg(fact != BC_NONE, "no fact %s", path);
	er_status st = er_record_set_text(c->record, fact, path, value, strlen(value), 1);
	ck_assert_msg(st == ER_OK, "cannot set %s to %s", path, value);
}

static er_decision evaluate(compiled *c)
{
	int32_t as_of;
	ck_assert_int_eq(er_date_parse("2022-06-01", 10, &as_of), 0);
	ck_assert_int_eq(er_eval(c->program, c->record, as_of, &c->result), ER_OK);
	return c->result.decision;
}

static void release(compiled *c)
{
	er_result_free(&c->result);
	er_record_free(c->record);
	er_program_free(c->program);
}

static const char *const offset_rule =
	"rule r.offset {\n"
	"  title     \"倍量削减\"\n"
	"  dimension 污染物排放管控\n"
	"  when      emission.new.SO2 > 0 吨/年\n"
	"  let       削减量 = 2 * emission.new.SO2\n"
	"  require   \"需削减 SO2 {削减量}\"\n"
	"  basis     \"依据\"\n"
	"}\n";

START_TEST(offset_doubles_new_emission)
{
	compiled c;
	compile(&c, offset_rule);
	set_fact(&c, "emission.new.SO2", "50 吨/年");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_CONDITIONAL);
	ck_assert_uint_eq(c.result.rule_count, 1);

	const er_rule_result *rr = &c.result.rules[0];
	char *message = er_format_message(c.program, &c.result, rr);
	ck_assert_ptr_nonnull(message);
	ck_assert_msg(strstr(message, "100 吨/年") != NULL, "message: %s", message);
	free(message);

	/* The let's value follows the message parts' values. */
	const er_value *let = &c.result.values[rr->values_first + rr->values_count - 1];
	char buf[64];
	er_format_value(c.program, let, "吨/年", buf, sizeof buf);
	ck_assert_str_eq(buf, "100 吨/年");
	release(&c);
}
END_TEST

START_TEST(offset_absent_fact_needs_info)
{
	compiled c;
	compile(&c, offset_rule);
	ck_assert_int_eq(evaluate(&c), ER_DECISION_NEEDS_INFO);
	release(&c);
}
END_TEST

static const char *const rate_rules =
	"rule r.rate {\n"
	"  title \"速率\"  dimension 污染物排放管控\n"
	"  when  emission.rate >= 2 千克/小时\n"
	"  forbid \"超过速率\"  basis \"依据\"\n"
	"}\n"
	"rule r.annual {\n"
	"  title \"年量\"  dimension 污染物排放管控\n"
	"  when  emission.annual >= 2 千克/小时\n"
	"  restrict \"超过年量\"  basis \"依据\"\n"
	"}\n";

START_TEST(literal_in_fact_unit_inclusive)
{
	compiled c;
	compile(&c, rate_rules);
	set_fact(&c, "emission.rate", "2");
	set_fact(&c, "emission.annual", "0 吨/年");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	release(&c);

	compile(&c, rate_rules);
	set_fact(&c, "emission.rate", "1.99");
	set_fact(&c, "emission.annual", "0 吨/年");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_ADMIT);
	release(&c);
}
END_TEST

START_TEST(literal_converted_to_tonnes_per_year)
{
	/* 2 kg/h is 17.52 t/a over a year of 8760 hours. */
	compiled c;
	compile(&c, rate_rules);
	set_fact(&c, "emission.rate", "0");
	set_fact(&c, "emission.annual", "17.52 吨/年");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_RESTRICTED);
	release(&c);

	compile(&c, rate_rules);
	set_fact(&c, "emission.rate", "0");
	set_fact(&c, "emission.annual", "17.51");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_ADMIT);
	release(&c);
}
END_TEST

START_TEST(facts_of_two_units_scaled)
{
	static const char *const rules =
		"rule r.cmp {\n"
		"  title \"比较\"  dimension 污染物排放管控\n"
		"  when  emission.annual >= emission.rate\n"
		"  forbid \"年量不低于速率\"  basis \"依据\"\n"
		"}\n";
	compiled c;
	compile(&c, rules);
	set_fact(&c, "emission.annual", "17.52");
	set_fact(&c, "emission.rate", "2");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	release(&c);

	compile(&c, rules);
	set_fact(&c, "emission.annual", "17.51");
	set_fact(&c, "emission.rate", "2");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_ADMIT);
	release(&c);
}
END_TEST

START_TEST(decimal_sums_exact)
{
	compiled c;
	compile(&c,
		"rule r.sum {\n"
		"  title \"精确\"  dimension 资源利用效率\n"
		"  when  0.1 + 0.2 == 0.3 and 10 == 10.00\n"
		"  forbid \"精确相等\"  basis \"依据\"\n"
		"}\n");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	release(&c);
}
END_TEST

static const char *const logic_rules =
	"rule r.zone {\n"
	"  title \"泉域\"  dimension 空间布局约束\n"
	"  when  site.zones has 泉域 and project.nature in { 新建, 扩建 }\n"
	"  unless project.industry in { 3391, 钢铁 }\n"
	"  forbid \"禁止\"  basis \"依据\"\n"
	"}\n"
	"rule r.industry {\n"
	"  title \"两高\"  dimension 空间布局约束\n"
	"  when  project.industry in 两高\n"
	"  restrict \"限制\"  basis \"依据\"\n"
	"}\n";

START_TEST(enum_set_and_industry_tests)
{
	compiled c;
	compile(&c, logic_rules);
	set_fact(&c, "project.nature", "新建");
	set_fact(&c, "project.industry", "2521");
	uint32_t zones = er_program_find_fact(c.program, "site.zones", strlen("site.zones"));
	ck_assert_int_eq(er_record_add_to_set(c.record, zones, "site.zones", "泉域", strlen("泉域")), ER_OK);
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	release(&c);

	/* 3110 is in 钢铁 (31), so the exception holds; 两高 restricts. */
	compile(&c, logic_rules);
	set_fact(&c, "project.nature", "新建");
	set_fact(&c, "project.industry", "3110");
	zones = er_program_find_fact(c.program, "site.zones", strlen("site.zones"));
	ck_assert_int_eq(er_record_add_to_set(c.record, zones, "site.zones", "泉域", strlen("泉域")), ER_OK);
	ck_assert_int_eq(evaluate(&c), ER_DECISION_RESTRICTED);
	release(&c);

	compile(&c, logic_rules);
	set_fact(&c, "project.nature", "改建");
	set_fact(&c, "project.industry", "1310");
	zones = er_program_find_fact(c.program, "site.zones", strlen("site.zones"));
	ck_assert_int_eq(er_record_add_to_set(c.record, zones, "site.zones", "泉域", strlen("泉域")), ER_OK);
	ck_assert_int_eq(evaluate(&c), ER_DECISION_ADMIT);
	release(&c);
}
END_TEST

START_TEST(ensure_violated_rejects)
{
	static const char *const rules =
		"rule r.ensure {\n"
		"  title \"限值\"  dimension 污染物排放管控\n"
		"  require \"排放不超过 10 吨/年\"\n"
		"  ensure emission.new.SO2 <= 10 吨/年\n"
		"  basis \"依据\"\n"
		"}\n";
	compiled c;
	compile(&c, rules);
	set_fact(&c, "emission.new.SO2", "10.5");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	ck_assert_int_eq(c.result.rules[0].check, ER_CHECK_VIOLATED);
	release(&c);

	compile(&c, rules);
	set_fact(&c, "emission.new.SO2", "10");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_CONDITIONAL);
	ck_assert_int_eq(c.result.rules[0].check, ER_CHECK_MET);
	release(&c);
}
END_TEST

/* A unit attribute the unit table leaves unset keeps a rule undetermined.
 * The result marks the reference data as lacking and names no fact. */
START_TEST(unset_attribute_reported_as_data)
{
	compiled c;
	compile(&c,
		"fact project.unit : unit label \"所在单元\"\n"
		"attribute unit.地表水超标 : boolean label \"地表水超标\"\n"
		"county 城区 { code 140502 }\n"
		"unit ZH14050220001 { name \"主区\" county 城区 class 重点管控 地表水超标 true }\n"
		"unit ZH14050220002 { name \"金匠\" county 城区 class 重点管控 }\n"
		"rule water.offset {\n"
		"  title \"超标流域倍量削减\"\n"
		"  dimension 污染物排放管控\n"
		"  when unit.地表水超标\n"
		"  forbid \"禁止\"\n"
		"  basis \"依据\"\n"
		"}\n");

	set_fact(&c, "project.unit", "ZH14050220001");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_REJECTED);
	ck_assert_uint_eq(c.result.rules[0].data_missing, 0);

	er_record_reset(c.record);
	set_fact(&c, "project.unit", "ZH14050220002");
	ck_assert_int_eq(evaluate(&c), ER_DECISION_NEEDS_INFO);
	ck_assert_uint_eq(c.result.rule_count, 1);
	ck_assert_int_eq(c.result.rules[0].outcome, ER_OUT_UNDETERMINED);
	ck_assert_uint_eq(c.result.rules[0].data_missing, 1);
	ck_assert_uint_eq(c.result.rules[0].missing_count, 0);
	release(&c);
}
END_TEST

START_TEST(constants_shared)
{
	driver dr;
	driver_init(&dr);
	driver_load_string(&dr, "shared.rule",
			   "fact a : quantity 吨/年 label \"甲\"\n"
			   "rule r.1 { title \"一\" dimension 资源利用效率 when a > 5 吨/年 forbid \"x\" basis \"依据\" }\n"
			   "rule r.2 { title \"二\" dimension 资源利用效率 when a < 5 吨/年 forbid \"x\" basis \"依据\" }\n");
	ck_assert_uint_eq(driver_build(&dr), 0);
	size_t decs = 0;
	for (size_t i = 0; i < dr.m.consts.count; i++)
		if (dr.m.consts.items[i].kind == BC_CONST_DEC)
			decs++;
	ck_assert_uint_eq(decs, 1);
	ck_assert_uint_ge(dr.m.max_stack, 2);
	driver_free(&dr);
}
END_TEST

static Suite *gen_suite(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("eval");
	tcase_add_test(tc, offset_doubles_new_emission);
	tcase_add_test(tc, offset_absent_fact_needs_info);
	tcase_add_test(tc, literal_in_fact_unit_inclusive);
	tcase_add_test(tc, literal_converted_to_tonnes_per_year);
	tcase_add_test(tc, facts_of_two_units_scaled);
	tcase_add_test(tc, decimal_sums_exact);
	tcase_add_test(tc, enum_set_and_industry_tests);
	tcase_add_test(tc, ensure_violated_rejects);
	tcase_add_test(tc, constants_shared);
	tcase_add_test(tc, unset_attribute_reported_as_data);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *sr = srunner_create(gen_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
