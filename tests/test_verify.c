/* Check tests of the bytecode loader and verifier (runtime/load*.c,
 * runtime/verify.c), on files built with tests/bcasm. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bcasm.h"
#include "ecorule.h"

/* A small valid program: an enum, facts of several types, a unit table
 * and three rules whose code uses jumps, constants and attributes. */
static uint8_t *valid_file(size_t *size)
{
	static const char *const natures[] = { "新建", "改建", "扩建" };
	static const char *const codes[] = { "2521", "31" };
	bcasm *a = bcasm_new();
	uint32_t nature = bcasm_enum(a, "建设性质", natures, 3);
	uint32_t f_unit = bcasm_fact(a, "project.unit", "所在单元", ER_FT_UNIT, BC_NONE, NULL);
	uint32_t f_nature = bcasm_fact(a, "project.nature", "建设性质", ER_FT_ENUM, nature, NULL);
	uint32_t f_so2 = bcasm_fact(a, "emission.SO2", "二氧化硫排放量", ER_FT_QUANTITY, BC_NONE, "吨/年");
	uint32_t f_code = bcasm_fact(a, "project.industry", "行业代码", ER_FT_CODE, BC_NONE, NULL);
	uint32_t attr = bcasm_attr(a, 0, ER_FT_NUMBER, "PM25超标倍数", "PM2.5 超标倍数", BC_NONE, NULL);
	uint32_t set = bcasm_indset(a, "两高", codes, 2);
	uint32_t county = bcasm_county(a, "阳城县", "140522");
	uint32_t area = bcasm_dec(a, 2026, 2);
	uint32_t unit = bcasm_unit(a, "ZH14052220003", "阳城县重点管控单元", county, ER_CLASS_KEY, area);
	uint32_t zero = bcasm_dec(a, 0, 0);
	uint32_t new_or_ext = bcasm_set(a, nature, 5);
	uint32_t c_set = bcasm_const(a, BC_CONST_INDSET, set, 0);
	uint32_t ratio = bcasm_ratio(a, 1000, 1);
	uint32_t cond1, cond2, value, j;
	uint32_t scope[1];
	bcasm_part parts[2];
	bcasm_rule r;
	uint8_t *data;

	bcasm_unit_value(a, unit, attr, bcasm_dec(a, 15, 1));
	(void)f_unit;
	/* nature in {新建, 扩建} and SO2 > 0 */
	cond1 = bcasm_here(a);
	bcasm_op16(a, OP_FACT, (uint16_t)f_nature);
	bcasm_op32(a, OP_CONST, new_or_ext);
	bcasm_op(a, OP_IN_SET);
	j = bcasm_jump(a, OP_JFALSE);
	bcasm_op16(a, OP_FACT, (uint16_t)f_so2);
	bcasm_op32(a, OP_CONST, zero);
	bcasm_op(a, OP_GT);
	bcasm_op(a, OP_AND);
	bcasm_land(a, j);
	bcasm_op(a, OP_RET);
	/* industry in 两高 or unit.PM25超标倍数 >= 0 */
	cond2 = bcasm_here(a);
	bcasm_op16(a, OP_FACT, (uint16_t)f_code);
	bcasm_op32(a, OP_CONST, c_set);
	bcasm_op(a, OP_CODE_IN);
	j = bcasm_jump(a, OP_JTRUE);
	bcasm_op16(a, OP_UNIT_ATTR, (uint16_t)attr);
	bcasm_op32(a, OP_CONST, zero);
	bcasm_op(a, OP_GE);
	bcasm_op(a, OP_OR);
	bcasm_land(a, j);
	bcasm_op(a, OP_RET);
	/* SO2 in kg/a */
	value = bcasm_here(a);
	bcasm_op16(a, OP_FACT, (uint16_t)f_so2);
	bcasm_op32(a, OP_SCALE, ratio);
	bcasm_op(a, OP_RET);

	memset(&r, 0, sizeof r);
	r.id = "rule.forbid";
	r.verdict = ER_VERDICT_FORBID;
	r.condition = cond1;
	r.ensure = BC_NONE;
	r.message = "禁止";
	bcasm_rule_add(a, &r);
	r.id = "rule.require";
	r.verdict = ER_VERDICT_REQUIRE;
	r.condition = cond2;
	scope[0] = unit;
	r.units = scope;
	r.unit_count = 1;
	parts[0] = (bcasm_part){ "排放 ", BC_NONE, NULL };
	parts[1] = (bcasm_part){ NULL, value, "千克/年" };
	r.parts = parts;
	r.part_count = 2;
	bcasm_rule_add(a, &r);
	data = bcasm_finish(a, size);
	bcasm_free(a);
	return data;
}

START_TEST(valid_file_loads)
{
	size_t size;
	uint8_t *data = valid_file(&size);
	er_error err;
	er_program *p = er_program_load(data, size, &err);

	ck_assert_msg(p != NULL, "%s", err.message);
	ck_assert_uint_eq(er_program_rule_count(p), 2);
	ck_assert_uint_eq(er_program_fact_count(p), 4);
	ck_assert_uint_eq(er_program_find_fact(p, "emission.SO2", 12), 2);
	ck_assert_uint_eq(er_program_find_fact(p, "建设性质", strlen("建设性质")), 1);
	ck_assert_uint_eq(er_program_find_fact(p, "nothing", 7), BC_NONE);
	ck_assert_uint_eq(er_program_unit_fact(p), 0);
	ck_assert_uint_eq(er_program_find_unit(p, "ZH14052220003", 13), 0);
	ck_assert_uint_eq(er_program_find_county_code(p, "140522", 6), 0);
	ck_assert_uint_eq(er_program_find_enum_value(p, 0, "扩建", strlen("扩建")), 2);
	ck_assert_str_eq(er_program_fact(p, 2)->unit_text, "吨/年");
	ck_assert_str_eq(er_program_rule(p, 1)->id, "rule.require");
	ck_assert_str_eq(er_program_rule_part(p, 1, 1).unit_text, "千克/年");
	er_program_free(p);
	free(data);
}
END_TEST

START_TEST(every_truncation_fails)
{
	size_t size, n;
	uint8_t *data = valid_file(&size);

	for (n = 0; n < size; n++) {
		er_error err;
		uint8_t *copy = malloc(n ? n : 1);
		er_program *p;
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, data, n);
		p = er_program_load(copy, n, &err);
		ck_assert_msg(p == NULL, "a file truncated to %zu bytes loaded", n);
		ck_assert_int_eq(err.status, ER_E_FORMAT);
		ck_assert(err.message[0] != '\0');
		free(copy);
	}
	free(data);
}
END_TEST

/* Evaluate an empty record, to show a loaded file runs without harm. */
static void eval_empty(const er_program *p)
{
	size_t n = er_program_fact_count(p);
	er_value *slots = calloc(n + 1, sizeof *slots);
	uint8_t *present = calloc(n + 1, 1);
	er_record rec;
	er_result res;

	ck_assert_ptr_nonnull(slots);
	ck_assert_ptr_nonnull(present);
	memset(&rec, 0, sizeof rec);
	rec.program = p;
	rec.slots = slots;
	rec.present = present;
	rec.unit_index = BC_NONE;
	rec.unit_class = -1;
	rec.county_index = BC_NONE;
	er_result_init(&res);
	ck_assert_int_eq(er_eval(p, &rec, 18901, &res), ER_OK);
	er_result_free(&res);
	free(slots);
	free(present);
}

START_TEST(every_flipped_byte_fails)
{
	size_t size, i;
	uint8_t *data = valid_file(&size);
	size_t loaded = 0;

	for (i = 0; i < size; i++) {
		er_error err;
		er_program *p;
		data[i] ^= 0xFF;
		p = er_program_load(data, size, &err);
		ck_assert_msg(p == NULL, "a file with byte %zu flipped loaded", i);
		/* With the checksum made right again, the loader and verifier
		 * must still reject cleanly or load a file that runs safely. */
		if (i < 20 || i >= 24) {
			uint8_t saved[4];
			memcpy(saved, data + 20, 4);
			bcasm_fix_crc(data, size);
			p = er_program_load(data, size, &err);
			if (p) {
				loaded++;
				eval_empty(p);
				er_program_free(p);
			} else {
				ck_assert(err.message[0] != '\0');
			}
			memcpy(data + 20, saved, 4);
		}
		data[i] ^= 0xFF;
	}
	/* Flipping bytes of string text, for one, leaves a valid file. */
	ck_assert_uint_gt(loaded, 0);
	free(data);
}
END_TEST

/* Build a file with one fact x (decimal), one boolean b, and a rule
 * whose condition is the code `emit` writes. */
typedef void (*emit_fn)(bcasm *a);

static er_program *load_with(emit_fn emit, er_error *err)
{
	bcasm *a = bcasm_new();
	bcasm_rule r;
	uint8_t *data;
	size_t size;
	er_program *p;

	bcasm_fact(a, "x", "x", ER_FT_NUMBER, BC_NONE, NULL);
	bcasm_fact(a, "b", "b", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_dec(a, 1, 0);
	memset(&r, 0, sizeof r);
	r.id = "hostile";
	r.condition = 0;
	r.ensure = BC_NONE;
	emit(a);
	bcasm_rule_add(a, &r);
	data = bcasm_finish(a, &size);
	bcasm_free(a);
	p = er_program_load(data, size, err);
	free(data);
	return p;
}

static void expect_rejected(emit_fn emit, const char *fragment)
{
	er_error err;
	er_program *p = load_with(emit, &err);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(err.status, ER_E_FORMAT);
	ck_assert_msg(strstr(err.message, fragment) != NULL, "message \"%s\" lacks \"%s\"",
		      err.message, fragment);
	ck_assert_msg(strstr(err.message, "CODE") != NULL, "message \"%s\" names no section",
		      err.message);
}

static void emit_good(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op(a, OP_RET);
}

static void emit_jump_out(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op16(a, OP_JFALSE, 500);
	bcasm_op(a, OP_RET);
}

static void emit_jump_middle(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op16(a, OP_JFALSE, 1); /* into the operand of OP_FACT below */
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op(a, OP_AND);
	bcasm_op(a, OP_RET);
}

static void emit_underflow(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op(a, OP_AND);
	bcasm_op(a, OP_RET);
}

static void emit_overflow(bcasm *a)
{
	int i;
	for (i = 0; i < BC_MAX_STACK + 1; i++)
		bcasm_op(a, OP_TRUE);
	for (i = 0; i < BC_MAX_STACK; i++)
		bcasm_op(a, OP_AND);
	bcasm_op(a, OP_RET);
}

static void emit_wrong_kinds(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 0); /* a decimal */
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op(a, OP_AND);
	bcasm_op(a, OP_RET);
}

static void emit_compare_kinds(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 0);
	bcasm_op16(a, OP_FACT, 1);
	bcasm_op(a, OP_LT);
	bcasm_op(a, OP_RET);
}

static void emit_returns_decimal(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 0);
	bcasm_op(a, OP_RET);
}

static void emit_two_values_at_ret(bcasm *a)
{
	bcasm_op(a, OP_TRUE);
	bcasm_op(a, OP_TRUE);
	bcasm_op(a, OP_RET);
}

static void emit_const_out_of_range(bcasm *a)
{
	bcasm_op32(a, OP_CONST, 99);
	bcasm_op32(a, OP_CONST, 0);
	bcasm_op(a, OP_EQ);
	bcasm_op(a, OP_RET);
}

static void emit_fact_out_of_range(bcasm *a)
{
	bcasm_op16(a, OP_FACT, 7);
	bcasm_op(a, OP_RET);
}

static void emit_unknown_opcode(bcasm *a)
{
	static const uint8_t bad[] = { 0xEE };
	bcasm_raw(a, bad, 1);
}

static void emit_no_ret(bcasm *a)
{
	bcasm_op(a, OP_TRUE);
}

static void emit_paths_disagree(bcasm *a)
{
	/* b JTRUE L; x; L: — one path has a boolean on top, the other a
	 * decimal above it. */
	uint32_t j;
	bcasm_op16(a, OP_FACT, 1);
	j = bcasm_jump(a, OP_JTRUE);
	bcasm_op16(a, OP_FACT, 0);
	bcasm_land(a, j);
	bcasm_op(a, OP_RET);
}

START_TEST(hostile_code_rejected)
{
	er_error err;
	er_program *p = load_with(emit_good, &err);
	ck_assert_msg(p != NULL, "%s", err.message);
	er_program_free(p);

	expect_rejected(emit_jump_out, "jump target");
	expect_rejected(emit_jump_middle, "inside one");
	expect_rejected(emit_underflow, "underflow");
	expect_rejected(emit_overflow, "overflow");
	expect_rejected(emit_wrong_kinds, "boolean operands");
	expect_rejected(emit_compare_kinds, "one kind");
	expect_rejected(emit_returns_decimal, "return");
	expect_rejected(emit_two_values_at_ret, "exactly one value");
	expect_rejected(emit_const_out_of_range, "constant index");
	expect_rejected(emit_fact_out_of_range, "fact index");
	expect_rejected(emit_unknown_opcode, "known opcode");
	expect_rejected(emit_no_ret, "OP_RET");
	expect_rejected(emit_paths_disagree, "every path");
}
END_TEST

static void put32(uint8_t *at, uint32_t x)
{
	at[0] = (uint8_t)x;
	at[1] = (uint8_t)(x >> 8);
	at[2] = (uint8_t)(x >> 16);
	at[3] = (uint8_t)(x >> 24);
}

START_TEST(overlapping_sections_rejected)
{
	size_t size;
	uint8_t *data = valid_file(&size);
	er_error err;
	uint32_t i;

	/* Point the second directory entry at the first section. */
	memcpy(data + BC_HEADER_SIZE + BC_DIR_ENTRY_SIZE + 4, data + BC_HEADER_SIZE + 4, 4);
	bcasm_fix_crc(data, size);
	ck_assert_ptr_null(er_program_load(data, size, &err));
	ck_assert_msg(strstr(err.message, "overlaps") != NULL, "%s", err.message);
	free(data);

	/* A section reaching past the end of the file. */
	data = valid_file(&size);
	for (i = 0; i < 11; i++)
		put32(data + BC_HEADER_SIZE + i * BC_DIR_ENTRY_SIZE + 8, 0x7FFFFFF0u);
	bcasm_fix_crc(data, size);
	ck_assert_ptr_null(er_program_load(data, size, &err));
	ck_assert_int_eq(err.status, ER_E_FORMAT);
	free(data);
}
END_TEST

START_TEST(huge_counts_rejected)
{
	static const uint32_t kinds[] = { BC_SEC_STRINGS, BC_SEC_CONSTS, BC_SEC_ENUMS, BC_SEC_FACTS,
					  BC_SEC_ATTRS, BC_SEC_INDUSTRY, BC_SEC_COUNTIES,
					  BC_SEC_UNITS, BC_SEC_SOURCES, BC_SEC_RULES };
	size_t k;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t size;
		uint8_t *data = valid_file(&size);
		uint32_t offset, len;
		er_error err;
		ck_assert_int_eq(bcasm_find_section(data, size, kinds[k], &offset, &len), 0);
		put32(data + offset, 0xFFFFFFF0u);
		bcasm_fix_crc(data, size);
		ck_assert_ptr_null(er_program_load(data, size, &err));
		ck_assert_int_eq(err.status, ER_E_FORMAT);
		free(data);
	}
}
END_TEST

START_TEST(header_checks)
{
	size_t size;
	uint8_t *data = valid_file(&size);
	er_error err;

	data[4] = 2; /* major version 2 */
	bcasm_fix_crc(data, size);
	ck_assert_ptr_null(er_program_load(data, size, &err));
	ck_assert_int_eq(err.status, ER_E_VERSION);
	data[4] = 1;
	data[0] = 'X';
	bcasm_fix_crc(data, size);
	ck_assert_ptr_null(er_program_load(data, size, &err));
	ck_assert_int_eq(err.status, ER_E_FORMAT);
	ck_assert_msg(strstr(err.message, "magic") != NULL, "%s", err.message);
	free(data);
}
END_TEST

START_TEST(disassembly_names_things)
{
	size_t size;
	uint8_t *data = valid_file(&size);
	er_error err;
	er_program *p = er_program_load(data, size, &err);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(out);
	er_program_disassemble(p, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "OP_IN_SET"));
	ck_assert_ptr_nonnull(strstr(text, "emission.SO2"));
	ck_assert_ptr_nonnull(strstr(text, "unit.PM25超标倍数"));
	ck_assert_ptr_nonnull(strstr(text, "rule.require"));
	ck_assert_ptr_nonnull(strstr(text, "test.rule:2:1"));
	ck_assert_ptr_nonnull(strstr(text, "ratio 1000/1"));
	free(text);
	er_program_free(p);
	free(data);
}
END_TEST

static Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, valid_file_loads);
	tcase_add_test(tc, every_truncation_fails);
	tcase_add_test(tc, every_flipped_byte_fails);
	tcase_add_test(tc, hostile_code_rejected);
	tcase_add_test(tc, overlapping_sections_rejected);
	tcase_add_test(tc, huge_counts_rejected);
	tcase_add_test(tc, header_checks);
	tcase_add_test(tc, disassembly_names_things);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(verify_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
