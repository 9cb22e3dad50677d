/* Check tests of the VM (runtime/vm.c): three-valued logic with the
 * provenance of unknowns, comparisons, decimal failures, sets, codes and
 * reference data. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bcasm.h"
#include "vm.h"

enum { F_A, F_B, F_X, F_Y, F_UNIT, F_ZONES, F_CODE, FACTS };

typedef struct fixture {
	er_program *p;
	uint32_t and_, or_, not_, short_and, add, div, gt, has, code_in, attr, scale;
	er_record rec;
	er_value slots[FACTS];
	uint8_t present[FACTS];
	vm_scratch *s;
} fixture;

static fixture fx;

static void setup(void)
{
	static const char *const zones[] = { "泉域", "禁煤区" };
	static const char *const codes[] = { "25", "3391" };
	bcasm *a = bcasm_new();
	uint32_t zone_enum = bcasm_enum(a, "区域", zones, 2);
	uint32_t county, unit, attr, set, c_zone, c_set, ratio, j;
	uint8_t *data;
	size_t size;
	er_error err;
	bcasm_rule r;

	bcasm_fact(a, "a", "甲", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_fact(a, "b", "乙", ER_FT_BOOLEAN, BC_NONE, NULL);
	bcasm_fact(a, "x", "x", ER_FT_NUMBER, BC_NONE, NULL);
	bcasm_fact(a, "y", "y", ER_FT_NUMBER, BC_NONE, NULL);
	bcasm_fact(a, "unit", "单元", ER_FT_UNIT, BC_NONE, NULL);
	bcasm_fact(a, "zones", "区域", ER_FT_SET, zone_enum, NULL);
	bcasm_fact(a, "code", "行业", ER_FT_CODE, BC_NONE, NULL);
	attr = bcasm_attr(a, 0, ER_FT_BOOLEAN, "超标", "超标", BC_NONE, NULL);
	set = bcasm_indset(a, NULL, codes, 2);
	county = bcasm_county(a, "城区", "140502");
	unit = bcasm_unit(a, "ZH14050220001", "开发区", county, ER_CLASS_KEY, BC_NONE);
	bcasm_unit(a, "ZH14050230002", "一般区", county, ER_CLASS_GENERAL, BC_NONE);
	bcasm_unit_value(a, unit, attr, bcasm_const(a, BC_CONST_BOOL, 1, 0));
	c_zone = bcasm_const(a, BC_CONST_ENUM, zone_enum, 1);
	c_set = bcasm_const(a, BC_CONST_INDSET, set, 0);
	ratio = bcasm_ratio(a, 1, 4);

#define BIN(field, op)                               \
	fx.field = bcasm_here(a);                    \
	bcasm_op16(a, OP_FACT, F_A);                 \
	bcasm_op16(a, OP_FACT, F_B);                 \
	bcasm_op(a, op);                             \
	bcasm_op(a, OP_RET)
	BIN(and_, OP_AND);
	BIN(or_, OP_OR);
#undef BIN
	fx.not_ = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_A);
	bcasm_op(a, OP_NOT);
	bcasm_op(a, OP_RET);
	fx.short_and = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_A);
	j = bcasm_jump(a, OP_JFALSE);
	bcasm_op16(a, OP_FACT, F_B);
	bcasm_op(a, OP_AND);
	bcasm_land(a, j);
	bcasm_op(a, OP_RET);
#define ARITH(field, op)                             \
	fx.field = bcasm_here(a);                    \
	bcasm_op16(a, OP_FACT, F_X);                 \
	bcasm_op16(a, OP_FACT, F_Y);                 \
	bcasm_op(a, op);                             \
	bcasm_op(a, OP_RET)
	ARITH(add, OP_ADD);
	ARITH(div, OP_DIV);
	ARITH(gt, OP_GT);
#undef ARITH
	fx.has = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_ZONES);
	bcasm_op32(a, OP_CONST, c_zone);
	bcasm_op(a, OP_HAS);
	bcasm_op(a, OP_RET);
	fx.code_in = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_CODE);
	bcasm_op32(a, OP_CONST, c_set);
	bcasm_op(a, OP_CODE_IN);
	bcasm_op(a, OP_RET);
	fx.attr = bcasm_here(a);
	bcasm_op16(a, OP_UNIT_ATTR, (uint16_t)attr);
	bcasm_op(a, OP_RET);
	fx.scale = bcasm_here(a);
	bcasm_op16(a, OP_FACT, F_X);
	bcasm_op32(a, OP_SCALE, ratio);
	bcasm_op(a, OP_RET);

	/* One rule referencing every fragment, so all are verified. */
	{
		bcasm_let lets[] = {
			{ "and", fx.and_, NULL }, { "or", fx.or_, NULL }, { "not", fx.not_, NULL },
			{ "short", fx.short_and, NULL }, { "add", fx.add, NULL },
			{ "div", fx.div, NULL }, { "gt", fx.gt, NULL }, { "has", fx.has, NULL },
			{ "code", fx.code_in, NULL }, { "attr", fx.attr, NULL },
			{ "scale", fx.scale, NULL },
		};
		memset(&r, 0, sizeof r);
		r.id = "all";
		r.condition = BC_NONE;
		r.ensure = BC_NONE;
		r.lets = lets;
		r.let_count = sizeof lets / sizeof lets[0];
		bcasm_rule_add(a, &r);
	}
	data = bcasm_finish(a, &size);
	bcasm_free(a);
	fx.p = er_program_load(data, size, &err);
	free(data);
	ck_assert_msg(fx.p != NULL, "%s", err.message);
	memset(&fx.rec, 0, sizeof fx.rec);
	memset(fx.slots, 0, sizeof fx.slots);
	memset(fx.present, 0, sizeof fx.present);
	fx.rec.program = fx.p;
	fx.rec.slots = fx.slots;
	fx.rec.present = fx.present;
	fx.rec.unit_index = BC_NONE;
	fx.rec.unit_class = -1;
	fx.rec.county_index = BC_NONE;
	fx.s = vm_scratch_new();
	ck_assert_ptr_nonnull(fx.s);
}

static void teardown(void)
{
	vm_scratch_free(fx.s);
	er_program_free(fx.p);
}

/* Truth values of a test: false, true, or absent. */
enum { F = 0, T = 1, U = 2 };

static void set_bool(uint32_t fact, int t)
{
	fx.present[fact] = t != U;
	memset(&fx.slots[fact], 0, sizeof fx.slots[fact]);
	fx.slots[fact].kind = ER_K_BOOL;
	fx.slots[fact].truth = t == T ? ER_TRUE : ER_FALSE;
}

static void set_dec(uint32_t fact, int64_t coef, int32_t scale)
{
	fx.present[fact] = 1;
	memset(&fx.slots[fact], 0, sizeof fx.slots[fact]);
	fx.slots[fact].kind = ER_K_DEC;
	fx.slots[fact].as.dec.coef = coef;
	fx.slots[fact].as.dec.scale = scale;
}

static er_value run(uint32_t offset)
{
	er_value v;
	vm_scratch_reset(fx.s);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, offset, fx.s, &v), ER_OK);
	return v;
}

/* The missing facts of an unknown value as a bit mask. */
static unsigned missing_mask(const er_value *v, int *data_missing)
{
	uint32_t *list = NULL;
	size_t count = 0, cap = 0, i;
	unsigned mask = 0;

	*data_missing = 0;
	ck_assert_int_eq(vm_begin_collect(fx.s, FACTS), ER_OK);
	ck_assert_int_eq(vm_collect(fx.s, v->why, &list, &count, &cap, data_missing), ER_OK);
	for (i = 0; i < count; i++)
		mask |= 1u << list[i];
	free(list);
	return mask;
}

static int truth_of(const er_value *v)
{
	if (v->unknown)
		return U;
	return v->truth == ER_TRUE ? T : F;
}

START_TEST(and_or_not_truth_tables)
{
	/* [a][b] -> result, and the facts an unknown result names. */
	static const int and_table[3][3] = { { F, F, F }, { F, T, U }, { F, U, U } };
	static const int or_table[3][3] = { { F, T, U }, { T, T, T }, { U, T, U } };
	static const int not_table[3] = { T, F, U };
	int a, b, data;

	for (a = 0; a < 3; a++) {
		for (b = 0; b < 3; b++) {
			er_value v;
			unsigned expect_missing = (a == U ? 1u << F_A : 0) | (b == U ? 1u << F_B : 0);
			set_bool(F_A, a);
			set_bool(F_B, b);

			v = run(fx.and_);
			ck_assert_msg(truth_of(&v) == and_table[a][b], "%d and %d", a, b);
			if (v.unknown)
				ck_assert_uint_eq(missing_mask(&v, &data), expect_missing);
			v = run(fx.short_and);
			ck_assert_msg(truth_of(&v) == and_table[a][b], "%d and %d, short-circuit", a, b);
			if (v.unknown)
				ck_assert_uint_eq(missing_mask(&v, &data), expect_missing);
			v = run(fx.or_);
			ck_assert_msg(truth_of(&v) == or_table[a][b], "%d or %d", a, b);
			if (v.unknown)
				ck_assert_uint_eq(missing_mask(&v, &data), expect_missing);
		}
		set_bool(F_A, a);
		{
			er_value v = run(fx.not_);
			ck_assert_int_eq(truth_of(&v), not_table[a]);
			if (v.unknown)
				ck_assert_uint_eq(missing_mask(&v, &data), 1u << F_A);
		}
	}
}
END_TEST

START_TEST(false_and_unknown_has_no_cause)
{
	er_value v;
	set_bool(F_A, F);
	set_bool(F_B, U);
	v = run(fx.and_);
	ck_assert(!v.unknown);
	ck_assert_int_eq(v.truth, ER_FALSE);
	ck_assert_uint_eq(v.why, 0);
}
END_TEST

START_TEST(arithmetic_and_comparison)
{
	er_value v;
	int data;

	set_dec(F_X, 1, 1);  /* 0.1 */
	set_dec(F_Y, 20, 2); /* 0.20 */
	v = run(fx.add);
	ck_assert(!v.unknown);
	ck_assert_int_eq(er_dec_cmp(v.as.dec, er_dec_normalize((er_dec){ 3, 1 })), 0);
	v = run(fx.gt);
	ck_assert_int_eq(truth_of(&v), F);
	set_dec(F_Y, 1, 1);
	v = run(fx.gt);
	ck_assert_int_eq(truth_of(&v), F); /* equal is not greater */

	fx.present[F_Y] = 0;
	v = run(fx.gt);
	ck_assert_int_eq(truth_of(&v), U);
	ck_assert_uint_eq(missing_mask(&v, &data), 1u << F_Y);
	fx.present[F_X] = 0;
	v = run(fx.add);
	ck_assert(v.unknown);
	ck_assert_uint_eq(missing_mask(&v, &data), (1u << F_X) | (1u << F_Y));
}
END_TEST

START_TEST(decimal_failures)
{
	er_value v;
	set_dec(F_X, 1, 0);
	set_dec(F_Y, 3, 0);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, fx.div, fx.s, &v), ER_E_INEXACT);
	set_dec(F_Y, 0, 0);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, fx.div, fx.s, &v), ER_E_DIVZERO);
	set_dec(F_X, INT64_MAX, 0);
	set_dec(F_Y, 1, 0);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, fx.add, fx.s, &v), ER_E_OVERFLOW);
	set_dec(F_X, 2, 0);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, fx.scale, fx.s, &v), ER_OK);
	ck_assert_int_eq(er_dec_cmp(v.as.dec, (er_dec){ 5, 1 }), 0);
	/* A slot of the wrong kind is an input error, not a crash. */
	set_bool(F_X, T);
	ck_assert_int_eq(vm_run(fx.p, &fx.rec, fx.add, fx.s, &v), ER_E_INPUT);
}
END_TEST

START_TEST(sets_and_codes)
{
	er_value v;
	fx.present[F_ZONES] = 1;
	fx.slots[F_ZONES].kind = ER_K_SET;
	fx.slots[F_ZONES].as.bits = 2; /* 禁煤区 */
	v = run(fx.has);
	ck_assert_int_eq(truth_of(&v), T);
	fx.slots[F_ZONES].as.bits = 1;
	v = run(fx.has);
	ck_assert_int_eq(truth_of(&v), F);

	fx.present[F_CODE] = 1;
	fx.slots[F_CODE].kind = ER_K_CODE;
	fx.slots[F_CODE].as.str.ptr = "2521";
	fx.slots[F_CODE].as.str.len = 4;
	v = run(fx.code_in);
	ck_assert_int_eq(truth_of(&v), T);
	fx.slots[F_CODE].as.str.ptr = "339";
	fx.slots[F_CODE].as.str.len = 3;
	v = run(fx.code_in);
	ck_assert_int_eq(truth_of(&v), F); /* 3391 is not a prefix of 339 */
}
END_TEST

START_TEST(unit_attributes)
{
	er_value v;
	int data;

	/* Unit fact absent: unknown because of it. */
	v = run(fx.attr);
	ck_assert(v.unknown);
	ck_assert_uint_eq(missing_mask(&v, &data), 1u << F_UNIT);
	ck_assert_int_eq(data, 0);
	/* The unit sets the attribute. */
	fx.present[F_UNIT] = 1;
	fx.slots[F_UNIT].kind = ER_K_UNIT;
	fx.rec.unit_index = 0;
	fx.rec.unit_class = ER_CLASS_KEY;
	fx.rec.county_index = 0;
	v = run(fx.attr);
	ck_assert_int_eq(truth_of(&v), T);
	/* A unit that does not set it: reference data missing, no fact. */
	fx.rec.unit_index = 1;
	v = run(fx.attr);
	ck_assert(v.unknown);
	ck_assert_uint_eq(missing_mask(&v, &data), 0);
	ck_assert_int_eq(data, 1);
}
END_TEST

static Suite *vm_suite(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, and_or_not_truth_tables);
	tcase_add_test(tc, false_and_unknown_has_no_cause);
	tcase_add_test(tc, arithmetic_and_comparison);
	tcase_add_test(tc, decimal_failures);
	tcase_add_test(tc, sets_and_codes);
	tcase_add_test(tc, unit_attributes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vm_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
