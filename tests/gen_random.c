/* Random rule sets and records for the differential test (see
 * gen_random.h). Numeric expressions carry their static unit, so that
 * each literal is written in a unit that converts exactly into the unit
 * of the other operand (otherwise the compiler rightly rejects it). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "ecorule.h"
#include "gen_random.h"
#include "units.h"

/* ---- Text and random numbers ---- */

void gen_text_free(gen_text *t)
{
	free(t->text);
	memset(t, 0, sizeof *t);
}

void gen_text_printf(gen_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(t->text, cap);
		if (!p) {
			fprintf(stderr, "gen_random: out of memory\n");
			abort();
		}
		t->text = p;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->text + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void gen_rng_seed(gen_rng *rng, uint64_t seed)
{
	rng->state = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (rng->state == 0)
		rng->state = 1;
	gen_rng_next(rng);
}

uint64_t gen_rng_next(gen_rng *rng)
{
	uint64_t x = rng->state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng->state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

uint32_t gen_rng_below(gen_rng *rng, uint32_t n)
{
	return n ? (uint32_t)(gen_rng_next(rng) % n) : 0;
}

#define PICK(rng, array) ((array)[gen_rng_below((rng), sizeof(array) / sizeof *(array))])

int32_t gen_as_of(gen_rng *rng)
{
	/* 2024-06-14, -15 and -16 lie on the bounds of the rules' dates;
	 * 2023-01-01 and 2025-01-01 are the first and last of them. */
	static const int32_t days[] = { 19888, 19889, 19889, 19890, 19358, 20089 };
	return PICK(rng, days);
}

/* ---- The schema ---- */

static const char schema[] =
	"enum 性质 { 新建, 改建, 扩建, 技术改造 }\n"
	"enum 区域 { 泉域, 规划区, 禁煤区, 园区 }\n"
	"fact p.flag : boolean label \"标志\"\n"
	"fact p.flag2 : 布尔\n"
	"fact p.count : integer label \"数量\"\n"
	"fact p.ratio : number\n"
	"fact p.so2 : quantity 吨/年 label \"二氧化硫\"\n"
	"fact p.nox : quantity 千克/小时\n"
	"fact p.area : quantity 平方公里\n"
	"fact p.land : 数量 公顷\n"
	"fact p.eff : quantity %\n"
	"fact p.start : date\n"
	"fact p.name : string\n"
	"fact p.nature : 性质 label \"建设性质\"\n"
	"fact p.zones : set of 区域\n"
	"fact p.industry : code\n"
	"fact p.unit : unit label \"环境管控单元\"\n"
	"industry 焦化 = 2521\n"
	"industry 铸造 = 3391, 3392\n"
	"industry 两高 = 25, 3011, 焦化\n"
	"industry 化工 = 26\n"
	"attribute unit.rate : number label \"超标倍数\"\n"
	"attribute unit.elements : set of 区域\n"
	"attribute unit.主导产业 : industries\n"
	"attribute county.超标 : boolean\n"
	"county 城区 { code 140502 超标 true }\n"
	"county 泽州县 { code 140525 }\n"
	"unit ZH14050220001 { name \"主区\" county 城区 class 重点管控 area 20.26 平方公里\n"
	"  rate 1.5 elements { 泉域, 园区 } 主导产业 { 焦化, 3011 } }\n"
	"unit ZH14050210002 { name \"保护区\" county 城区 class 优先保护 area 2000 公顷 }\n"
	"unit ZH14052530003 { county 泽州县 class 一般管控 rate -0.25 主导产业 两高 }\n"
	"unit ZH14052520004 { name \"园区\" county 泽州县 class 重点管控 elements 禁煤区 }\n";

static const char *const units_declared[] = {
	"ZH14050220001", "ZH14050210002", "ZH14052530003", "ZH14052520004",
};
static const char *const counties[] = { "城区", "泽州县" };
static const char *const classes[] = { "优先保护", "重点管控", "一般管控", "priority", "key", "general" };
static const char *const natures[] = { "新建", "改建", "扩建", "技术改造" };
static const char *const zones[] = { "泉域", "规划区", "禁煤区", "园区" };
static const char *const names[] = { "甲", "乙", "主区", "" };

/* ---- Numeric types ---- */

/* Dimension groups: 0 dimensionless, 1 mass per time, 2 area. */
enum { GROUP_NONE, GROUP_RATE, GROUP_AREA, GROUP_COUNT };

typedef struct num_type {
	int group;
	int has_unit;
	const char *spelling; /* has_unit: the unit as written */
} num_type;

static const char *const spellings[GROUP_COUNT][7] = {
	{ "%", "‰", "%", "‰", "%", "‰", "%" },
	{ "吨/年", "万吨/年", "千克/小时", "t/a", "kg/h", "千克/年", "吨/天" },
	{ "平方公里", "公顷", "km2", "平方米", "亩", "hm2", "平方公里" },
};

typedef struct num_fact {
	const char *path;
	num_type type;
} num_fact;

static const num_fact num_facts[] = {
	{ "p.count", { GROUP_NONE, 0, NULL } },
	{ "p.ratio", { GROUP_NONE, 0, NULL } },
	{ "unit.rate", { GROUP_NONE, 0, NULL } },
	{ "p.eff", { GROUP_NONE, 1, "%" } },
	{ "p.so2", { GROUP_RATE, 1, "吨/年" } },
	{ "p.nox", { GROUP_RATE, 1, "千克/小时" } },
	{ "p.area", { GROUP_AREA, 1, "平方公里" } },
	{ "p.land", { GROUP_AREA, 1, "公顷" } },
	{ "unit.area", { GROUP_AREA, 1, "平方公里" } },
};

static const char *const literal_values[] = {
	"0", "1", "2.5", "100", "0.75", "8.76", "1000000", "12.125", "3", "20.26", "0.5",
};

static er_unit unit_of(const num_type *t)
{
	er_unit u = er_unit_one();
	if (t->has_unit && er_unit_parse(t->spelling, strlen(t->spelling), &u) < 0)
		abort();
	return u;
}

/* Whether `value` written in `from` converts exactly into `to`. */
static int converts_exactly(const char *value, const num_type *from, const num_type *to)
{
	er_unit a = unit_of(from), b = unit_of(to);
	int64_t num, den;
	er_dec d, out;

	if (er_unit_ratio(&a, &b, &num, &den) < 0)
		return 0;
	return er_dec_parse(value, strlen(value), &d) == ER_DEC_OK && er_dec_scale(d, num, den, &out) == ER_DEC_OK;
}

/* ---- Rules ---- */

#define MAX_LETS 3

typedef struct gen_let {
	char name[24];
	num_type type;
} gen_let;

typedef struct gen_state {
	gen_rng *rng;
	gen_let lets[MAX_LETS];
	size_t let_count;
	int bool_let;  /* 1: the rule has the boolean let `b0` */
	int chinese; /* 1: write this rule's keywords in Chinese */
} gen_state;

static const char *kw(gen_state *g, const char *en, const char *zh)
{
	return g->chinese ? zh : en;
}

/* A literal of `group`: written in a unit that converts exactly into
 * `target` when given, else in any unit of the group. */
static void gen_literal(gen_state *g, int group, const num_type *target, gen_text *out, num_type *type)
{
	const char *value = PICK(g->rng, literal_values);

	for (int attempt = 0; attempt < 4; attempt++) {
		num_type t = { group, 1, spellings[group][gen_rng_below(g->rng, 7)] };
		if (group == GROUP_NONE && gen_rng_below(g->rng, 2) && !(target && target->has_unit))
			t.has_unit = 0;
		if (target && !converts_exactly(value, &t, target))
			continue;
		*type = t;
		if (t.has_unit)
			gen_text_printf(out, gen_rng_below(g->rng, 2) ? "%s %s" : "%s%s", value, t.spelling);
		else
			gen_text_printf(out, "%s", value);
		return;
	}
	/* The target's own unit always fits. */
	*type = *target;
	if (target->has_unit)
		gen_text_printf(out, "%s %s", value, target->spelling);
	else
		gen_text_printf(out, "%s", value);
}

static void gen_number(gen_state *g, int group, int depth, gen_text *out, num_type *type);
static void gen_condition(gen_state *g, int depth, gen_text *out);

/* A dimensionless expression with no unit: a multiplier or divisor. */
static void gen_plain(gen_state *g, gen_text *out)
{
	static const char *const plain[] = { "p.count", "p.ratio", "unit.rate", "2", "0.5", "3", "0", "1.25" };
	gen_text_printf(out, "%s", PICK(g->rng, plain));
}

/* A leaf: a fact or attribute of the group, or a let of it. */
static void gen_number_leaf(gen_state *g, int group, gen_text *out, num_type *type)
{
	size_t lets[MAX_LETS], n = 0;

	for (size_t i = 0; i < g->let_count; i++)
		if (g->lets[i].type.group == group)
			lets[n++] = i;
	if (n > 0 && gen_rng_below(g->rng, 3) == 0) {
		const gen_let *l = &g->lets[lets[gen_rng_below(g->rng, (uint32_t)n)]];
		gen_text_printf(out, "%s", l->name);
		*type = l->type;
		return;
	}
	for (;;) {
		const num_fact *f = &PICK(g->rng, num_facts);
		if (f->type.group != group)
			continue;
		gen_text_printf(out, "%s", f->path);
		*type = f->type;
		return;
	}
}

/* A sum or difference: both operands of the group, one maybe a literal
 * converted into the other's unit. */
static void gen_sum(gen_state *g, int group, int depth, gen_text *out, num_type *type)
{
	const char *op = gen_rng_below(g->rng, 2) ? "+" : "-";
	gen_text a = { 0 }, b = { 0 };
	num_type ta, tb;

	switch (gen_rng_below(g->rng, 3)) {
	case 0: /* expression op literal */
		gen_number(g, group, depth - 1, &a, &ta);
		gen_literal(g, group, &ta, &b, &tb);
		*type = ta;
		break;
	case 1: /* literal op expression: the literal takes the right unit */
		gen_number(g, group, depth - 1, &b, &tb);
		gen_literal(g, group, &tb, &a, &ta);
		*type = tb;
		break;
	default: /* two expressions, maybe in two units */
		gen_number(g, group, depth - 1, &a, &ta);
		gen_number(g, group, depth - 1, &b, &tb);
		*type = ta;
		break;
	}
	gen_text_printf(out, "(%s %s %s)", a.text, op, b.text);
	gen_text_free(&a);
	gen_text_free(&b);
}

static void gen_number(gen_state *g, int group, int depth, gen_text *out, num_type *type)
{
	uint32_t choice = depth > 0 ? gen_rng_below(g->rng, 8) : 0;
	gen_text a = { 0 }, b = { 0 };
	num_type ta;

	switch (choice) {
	case 1:
	case 2:
		gen_sum(g, group, depth, out, type);
		return;
	case 3: /* a plain number scales the quantity, which keeps its unit */
		gen_number(g, group, depth - 1, &a, type);
		gen_plain(g, &b);
		if (gen_rng_below(g->rng, 2))
			gen_text_printf(out, "(%s * %s)", b.text, a.text);
		else
			gen_text_printf(out, "(%s %s %s)", a.text, gen_rng_below(g->rng, 2) ? "*" : "/", b.text);
		break;
	case 4:
		gen_number(g, group, depth - 1, &a, type);
		gen_text_printf(out, "-(%s)", a.text);
		break;
	case 5:
		if (group == GROUP_NONE) {
			/* The ratio of two quantities of one dimension is a number. */
			int inner = 1 + (int)gen_rng_below(g->rng, 2);
			gen_number_leaf(g, inner, &a, &ta);
			gen_number(g, inner, depth - 1, &b, &ta);
			gen_text_printf(out, "(%s / %s)", a.text, b.text);
			type->group = GROUP_NONE;
			type->has_unit = 0;
			type->spelling = NULL;
			break;
		}
		/* fall through */
	default:
		gen_number_leaf(g, group, out, type);
		break;
	}
	gen_text_free(&a);
	gen_text_free(&b);
}

static const char *comparison_op(gen_state *g)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	return PICK(g->rng, ops);
}

static void gen_comparison(gen_state *g, int depth, gen_text *out)
{
	int group = (int)gen_rng_below(g->rng, GROUP_COUNT);
	gen_text a = { 0 }, b = { 0 };
	num_type ta, tb;

	switch (gen_rng_below(g->rng, 4)) {
	case 0:
	case 1:
		gen_number(g, group, depth, &a, &ta);
		gen_literal(g, group, &ta, &b, &tb);
		break;
	case 2:
		gen_number(g, group, depth, &b, &tb);
		gen_literal(g, group, &tb, &a, &ta);
		break;
	default:
		gen_number(g, group, depth, &a, &ta);
		gen_number(g, group, depth, &b, &tb);
		break;
	}
	gen_text_printf(out, "%s %s %s", a.text, comparison_op(g), b.text);
	gen_text_free(&a);
	gen_text_free(&b);
}

static const char *gen_date(gen_state *g)
{
	static const char *const dates[] = {
		"2023-01-01", "2024-06-14", "2024-06-15", "2024年6月16日", "2025-01-01", "2021年10月1日",
	};
	return PICK(g->rng, dates);
}

static const char *gen_code(gen_state *g)
{
	static const char *const codes[] = { "2521", "25", "252", "3391", "26", "3011", "44" };
	return PICK(g->rng, codes);
}

/* An atom of a condition. */
static void gen_atom(gen_state *g, int depth, gen_text *out)
{
	if (g->bool_let && gen_rng_below(g->rng, 6) == 0) {
		gen_text_printf(out, "b0");
		return;
	}
	switch (gen_rng_below(g->rng, 18)) {
	case 16:
		/* 'not' binds more loosely than a comparison. */
		gen_text_printf(out, "%s p.nature == %s", kw(g, "not", "非"), PICK(g->rng, natures));
		return;
	case 17:
		gen_text_printf(out, "%s %s p.start", gen_date(g), comparison_op(g));
		return;
	case 0:
	case 1:
	case 2:
		gen_comparison(g, depth, out);
		return;
	case 3:
		gen_text_printf(out, "p.start %s %s", comparison_op(g), gen_date(g));
		return;
	case 4:
		gen_text_printf(out, "p.nature %s %s", gen_rng_below(g->rng, 2) ? "==" : "!=", PICK(g->rng, natures));
		return;
	case 5:
		gen_text_printf(out, "p.nature %s { %s, %s }", kw(g, "in", "属于"), PICK(g->rng, natures),
				PICK(g->rng, natures));
		return;
	case 6:
		gen_text_printf(out, "%s %s %s", gen_rng_below(g->rng, 3) ? "p.zones" : "unit.elements",
				kw(g, "has", "包含"), PICK(g->rng, zones));
		return;
	case 7: {
		static const char *const sets[] = { "焦化", "铸造", "两高", "化工", "unit.主导产业" };
		static const char *const named[] = { "焦化", "铸造", "两高", "化工" };
		if (gen_rng_below(g->rng, 2))
			gen_text_printf(out, "p.industry %s %s", kw(g, "in", "属于"), PICK(g->rng, sets));
		else
			gen_text_printf(out, "p.industry %s { %s, %s }", kw(g, "in", "属于"), gen_code(g),
					PICK(g->rng, named));
		return;
	}
	case 8:
		gen_text_printf(out, "p.name %s \"%s\"", gen_rng_below(g->rng, 2) ? "==" : "!=", PICK(g->rng, names));
		return;
	case 9: {
		static const char *const bools[] = { "p.flag", "p.flag2", "p.flag == p.flag2", "p.flag != true",
						     "county.超标", "p.flag2 == 否" };
		gen_text_printf(out, "%s", PICK(g->rng, bools));
		return;
	}
	case 10: {
		static const char *const facts[] = { "p.flag", "p.so2", "p.nature", "p.zones", "p.unit", "p.start" };
		gen_text_printf(out, "%s(%s)", kw(g, "known", "已知"), PICK(g->rng, facts));
		return;
	}
	case 11:
		gen_text_printf(out, "%s", gen_rng_below(g->rng, 2) ? kw(g, "true", "是") : kw(g, "false", "否"));
		return;
	case 12:
		gen_text_printf(out, "unit.class %s %s", gen_rng_below(g->rng, 2) ? "==" : "!=", PICK(g->rng, classes));
		return;
	case 13:
		gen_text_printf(out, "unit.county == %s", PICK(g->rng, counties));
		return;
	case 14:
		gen_text_printf(out, "unit.name == \"%s\"", PICK(g->rng, names));
		return;
	default:
		gen_text_printf(out, "p.industry == %s", gen_code(g));
		return;
	}
}

static void gen_condition(gen_state *g, int depth, gen_text *out)
{
	gen_text a = { 0 }, b = { 0 };

	switch (depth > 0 ? gen_rng_below(g->rng, 6) : 5) {
	case 0:
	case 1:
		gen_condition(g, depth - 1, &a);
		gen_condition(g, depth - 1, &b);
		gen_text_printf(out, "(%s %s %s)", a.text, kw(g, "and", "且"), b.text);
		break;
	case 2:
		gen_condition(g, depth - 1, &a);
		gen_condition(g, depth - 1, &b);
		gen_text_printf(out, "(%s %s %s)", a.text, kw(g, "or", "或"), b.text);
		break;
	case 3:
		gen_condition(g, depth - 1, &a);
		gen_text_printf(out, "%s (%s)", kw(g, "not", "非"), a.text);
		break;
	default:
		gen_atom(g, depth > 0 ? 1 : 0, out);
		break;
	}
	gen_text_free(&a);
	gen_text_free(&b);
}

static void gen_scopes(gen_state *g, gen_text *out)
{
	uint32_t clauses = gen_rng_below(g->rng, 5);

	/* A second clause of the first one's kind repeats one of its names,
	 * because clauses of one kind with no name in common are an error. */
	uint32_t first_kind = 3;
	const char *first_name = NULL;

	/* No scope in 2 of 5 rules, one clause in 2 of 5, two in 1 of 5. */
	if (clauses < 2)
		clauses = 0;
	else if (clauses < 4)
		clauses = 1;
	else
		clauses = 2;
	for (uint32_t i = 0; i < clauses; i++) {
		uint32_t kind = gen_rng_below(g->rng, 3), n = 1 + gen_rng_below(g->rng, 2);
		gen_text_printf(out, "  %s %s ", kw(g, "scope", "范围"),
				kind == 0 ? kw(g, "unit", "单元") : kind == 1 ? kw(g, "class", "类别") : kw(g, "county", "县区"));
		for (uint32_t k = 0; k < n; k++) {
			const char *name = kind == 0 ? PICK(g->rng, units_declared) :
					   kind == 1 ? PICK(g->rng, classes) : PICK(g->rng, counties);
			if (k == 0 && kind == first_kind)
				name = first_name;
			if (i == 0 && k == 0)
				first_name = name;
			gen_text_printf(out, "%s%s", k ? ", " : "", name);
		}
		if (i == 0)
			first_kind = kind;
		gen_text_printf(out, "\n");
	}
}

static void gen_lets(gen_state *g, gen_text *out)
{
	g->let_count = gen_rng_below(g->rng, MAX_LETS + 1);
	for (size_t i = 0; i < g->let_count; i++) {
		gen_let *l = &g->lets[i];
		gen_text value = { 0 };
		int group = (int)gen_rng_below(g->rng, GROUP_COUNT);

		/* A let may use only the lets before it. */
		size_t visible = g->let_count;
		g->let_count = i;
		if (gen_rng_below(g->rng, 5) == 0)
			gen_literal(g, group, NULL, &value, &l->type);
		else
			gen_number(g, group, 2, &value, &l->type);
		g->let_count = visible;
		snprintf(l->name, sizeof l->name, "v%zu", i);
		gen_text_printf(out, "  %s %s = %s\n", kw(g, "let", "计算"), l->name, value.text);
		gen_text_free(&value);
	}
	g->bool_let = 0;
	if (gen_rng_below(g->rng, 4) == 0) {
		gen_text value = { 0 };
		gen_condition(g, 1, &value);
		gen_text_printf(out, "  %s b0 = %s\n", kw(g, "let", "计算"), value.text);
		gen_text_free(&value);
		g->bool_let = 1;
	}
}

/* The verdict's text, with up to three interpolated values. */
static void gen_message(gen_state *g, gen_text *out)
{
	static const char *const values[] = { "p.nature", "p.start", "p.flag", "p.zones", "unit.county",
					      "unit.class", "p.industry", "p.so2", "unit.area", "unit.name" };
	uint32_t n = gen_rng_below(g->rng, 4);

	gen_text_printf(out, "\"要求");
	for (uint32_t i = 0; i < n; i++) {
		gen_text value = { 0 };
		num_type t;
		switch (gen_rng_below(g->rng, 3)) {
		case 0:
			if (g->let_count > 0) {
				gen_text_printf(&value, "%s", g->lets[gen_rng_below(g->rng, (uint32_t)g->let_count)].name);
				break;
			}
			/* fall through */
		case 1:
			gen_number(g, (int)gen_rng_below(g->rng, GROUP_COUNT), 1, &value, &t);
			break;
		default:
			gen_text_printf(&value, "%s", g->bool_let && gen_rng_below(g->rng, 4) == 0 ? "b0" :
					PICK(g->rng, values));
			break;
		}
		gen_text_printf(out, " 值%u：{%s}", i, value.text);
		gen_text_free(&value);
	}
	gen_text_printf(out, "\"");
}

static void gen_dates(gen_state *g, gen_text *out)
{
	static const char *const dates[] = { "2023-01-01", "2024-06-14", "2024年6月15日", "2024-06-16", "2025年1月1日" };
	uint32_t from = gen_rng_below(g->rng, 8), until = gen_rng_below(g->rng, 8);

	if (from < 5)
		gen_text_printf(out, "  %s %s\n", kw(g, "from", "自"), dates[from]);
	if (until < 5 && (from >= 5 || until >= from))
		gen_text_printf(out, "  %s %s\n", kw(g, "until", "至"), dates[until]);
}

static void gen_rule(gen_state *g, size_t index, gen_text *out)
{
	static const char *const verdicts[][2] = {
		{ "forbid", "禁止" }, { "restrict", "限制" }, { "require", "要求" }, { "exit", "退出" }, { "guide", "引导" },
	};
	static const char *const dimensions[] = { "空间布局约束", "emission", "环境风险防控", "resource" };
	uint32_t verdict = gen_rng_below(g->rng, 5);
	gen_text cond = { 0 };

	g->chinese = gen_rng_below(g->rng, 4) == 0;
	gen_text_printf(out, "%s R%zu {\n", kw(g, "rule", "规则"), index);
	gen_text_printf(out, "  %s \"规则 %zu\"\n", kw(g, "title", "标题"), index);
	gen_text_printf(out, "  %s %s\n", kw(g, "dimension", "维度"), PICK(g->rng, dimensions));
	gen_scopes(g, out);
	gen_lets(g, out);
	if (gen_rng_below(g->rng, 5) != 0) {
		gen_condition(g, 2, &cond);
		gen_text_printf(out, "  %s %s\n", kw(g, "when", "当"), cond.text);
		cond.len = 0;
	}
	for (uint32_t n = gen_rng_below(g->rng, 3); n > 0; n--) {
		gen_condition(g, 1, &cond);
		gen_text_printf(out, "  %s %s\n", kw(g, "unless", "除外"), cond.text);
		cond.len = 0;
	}
	gen_text_printf(out, "  %s ", verdicts[verdict][g->chinese]);
	gen_message(g, out);
	gen_text_printf(out, "\n");
	if (verdict == 2 && gen_rng_below(g->rng, 5) < 3) {
		gen_condition(g, 1, &cond);
		gen_text_printf(out, "  %s %s\n", kw(g, "ensure", "须满足"), cond.text);
	}
	gen_text_printf(out, "  %s \"依据 %zu\"\n", kw(g, "basis", "依据"), index);
	gen_dates(g, out);
	if (index > 0 && gen_rng_below(g->rng, 4) == 0)
		gen_text_printf(out, "  %s R%u\n", kw(g, "overrides", "优先于"), gen_rng_below(g->rng, (uint32_t)index));
	gen_text_printf(out, "}\n");
	gen_text_free(&cond);
}

void gen_rule_set(gen_rng *rng, size_t rule_count, gen_text *out)
{
	gen_state g;

	memset(&g, 0, sizeof g);
	g.rng = rng;
	gen_text_printf(out, "%s", schema);
	for (size_t i = 0; i < rule_count; i++)
		gen_rule(&g, i, out);
}

/* ---- Records ---- */

static void gen_number_value(gen_rng *rng, gen_text *out)
{
	static const char *const values[] = {
		"0", "1", "-1", "2.5", "100", "0.75", "8.76", "1000000", "3", "0.001", "12.125", "20.26",
		"999999999999999999", "-999999999999999999", "0.000000000000000001", "123456789012.345678",
	};
	gen_text_printf(out, "%s", PICK(rng, values));
}

static void gen_value(gen_rng *rng, const char *field, gen_text *out)
{
	static const char *const codes[] = { "2521", "C2521", "252", "3391", "C3392", "3011", "2611", "4411", "25" };
	static const char *const units[] = {
		"ZH14050220001", "ZH14050210002", "ZH14052530003", "ZH14052520004",
		"ZH14050220099", "ZH14058130001", "ZH14052510007",
	};
	static const char *const dates[] = { "2021-10-01", "2024-06-15", "2024年6月14日", "2025-01-01", "2024-06-16" };

	if (strcmp(field, "flag") == 0 || strcmp(field, "flag2") == 0) {
		static const char *const bools[] = { "true", "false", "\"是\"", "\"否\"" };
		gen_text_printf(out, "%s", PICK(rng, bools));
	} else if (strcmp(field, "count") == 0) {
		static const char *const ints[] = { "0", "1", "-1", "5", "100", "\"42\"", "999999999999999999" };
		gen_text_printf(out, "%s", PICK(rng, ints));
	} else if (strcmp(field, "so2") == 0 && gen_rng_below(rng, 3) == 0) {
		static const char *const texts[] = { "\"2 万吨/年\"", "\"150 吨/年\"", "\"0.5 万吨/年\"", "\"12 kg/h\"" };
		gen_text_printf(out, "%s", PICK(rng, texts));
	} else if (strcmp(field, "eff") == 0 && gen_rng_below(rng, 2) == 0) {
		gen_text_printf(out, "\"%s%%\"", gen_rng_below(rng, 2) ? "85" : "0.5");
	} else if (strcmp(field, "start") == 0) {
		gen_text_printf(out, "\"%s\"", PICK(rng, dates));
	} else if (strcmp(field, "name") == 0) {
		gen_text_printf(out, "\"%s\"", PICK(rng, names));
	} else if (strcmp(field, "nature") == 0) {
		gen_text_printf(out, "\"%s\"", PICK(rng, natures));
	} else if (strcmp(field, "zones") == 0) {
		uint32_t bits = gen_rng_below(rng, 16), first = 1;
		gen_text_printf(out, "[");
		for (uint32_t i = 0; i < 4; i++) {
			if (bits >> i & 1) {
				gen_text_printf(out, "%s\"%s\"", first ? "" : ", ", zones[i]);
				first = 0;
			}
		}
		gen_text_printf(out, "]");
	} else if (strcmp(field, "industry") == 0) {
		gen_text_printf(out, "\"%s\"", PICK(rng, codes));
	} else if (strcmp(field, "unit") == 0) {
		gen_text_printf(out, "\"%s\"", PICK(rng, units));
	} else {
		gen_number_value(rng, out);
	}
}

void gen_record(gen_rng *rng, size_t id, gen_text *out)
{
	static const char *const fields[] = {
		"flag", "flag2", "count", "ratio", "so2", "nox", "area", "land", "eff",
		"start", "name", "nature", "zones", "industry", "unit",
	};
	int first = 1;
	/* Some records leave out many facts, most leave out a few. */
	uint32_t absent = gen_rng_below(rng, 4) == 0 ? 60 : 20;

	gen_text_printf(out, "{\"id\":\"r%zu\",\"p\":{", id);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (gen_rng_below(rng, 100) < absent)
			continue;
		gen_text_printf(out, "%s\"%s\":", first ? "" : ",", fields[i]);
		/* null is another way to leave a fact out. */
		if (gen_rng_below(rng, 20) == 0)
			gen_text_printf(out, "null");
		else
			gen_value(rng, fields[i], out);
		first = 0;
	}
	gen_text_printf(out, "}}\n");
}

/* ---- Records for any rule set ---- */

static void gen_any_value(gen_rng *rng, const er_program *p, const er_fact_info *f, gen_text *out)
{
	static const char *const amounts[] = {
		"0", "0.5", "1", "2", "10", "50", "85", "100", "150", "200", "500", "1000", "5000",
		"10000", "1000000", "999999999999999999", "-1", "0.001",
	};
	static const char *const codes[] = {
		"2521", "2511", "3110", "3120", "3011", "2614", "2619", "3391", "4411", "4419", "2211",
		"2710", "1311", "C3130", "2662", "3360", "4610", "0511", "2520", "3311",
	};
	static const char *const dates[] = { "2020-01-01", "2021-10-01", "2024-06-15", "2026-01-01" };

	switch (f->type) {
	case ER_FT_BOOLEAN:
		gen_text_printf(out, "%s", gen_rng_below(rng, 2) ? "true" : "false");
		break;
	case ER_FT_INTEGER:
		gen_text_printf(out, "%d", (int)gen_rng_below(rng, 2000) - 10);
		break;
	case ER_FT_NUMBER:
	case ER_FT_QUANTITY:
		gen_text_printf(out, "%s", PICK(rng, amounts));
		break;
	case ER_FT_DATE:
		gen_text_printf(out, "\"%s\"", PICK(rng, dates));
		break;
	case ER_FT_STRING:
		gen_text_printf(out, "\"%s\"", PICK(rng, names));
		break;
	case ER_FT_CODE:
		gen_text_printf(out, "\"%s\"", PICK(rng, codes));
		break;
	case ER_FT_UNIT: {
		size_t n = er_program_unit_count(p);
		if (n == 0 || gen_rng_below(rng, 8) == 0)
			gen_text_printf(out, "\"ZH14050%u20999\"", gen_rng_below(rng, 3));
		else
			gen_text_printf(out, "\"%s\"", er_program_unit_code(p, (uint32_t)gen_rng_below(rng, (uint32_t)n)));
		break;
	}
	case ER_FT_ENUM: {
		size_t n = er_program_enum_size(p, f->enum_index);
		gen_text_printf(out, "\"%s\"", er_program_enum_value(p, f->enum_index, gen_rng_below(rng, (uint32_t)n)));
		break;
	}
	default: { /* ER_FT_SET */
		size_t n = er_program_enum_size(p, f->enum_index);
		int first = 1;
		gen_text_printf(out, "[");
		for (uint32_t v = 0; v < n; v++) {
			if (gen_rng_below(rng, 4) != 0)
				continue;
			gen_text_printf(out, "%s\"%s\"", first ? "" : ",", er_program_enum_value(p, f->enum_index, v));
			first = 0;
		}
		gen_text_printf(out, "]");
		break;
	}
	}
}

void gen_record_for(gen_rng *rng, const er_program *program, size_t id, gen_text *out)
{
	uint32_t absent = gen_rng_below(rng, 4) == 0 ? 70 : 30;

	gen_text_printf(out, "{\"id\":\"r%zu\"", id);
	for (size_t i = 0; i < er_program_fact_count(program); i++) {
		const er_fact_info *f = er_program_fact(program, i);
		if (gen_rng_below(rng, 100) < absent)
			continue;
		gen_text_printf(out, ",\"%s\":", f->path);
		gen_any_value(rng, program, f, out);
	}
	gen_text_printf(out, "}\n");
}
