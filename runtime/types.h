/* Enumerations and small value types shared by the compiler, the
 * bytecode file and the VM. The numeric values are written into bytecode
 * files, so they never change; new members go at the end. */
#ifndef ECORULE_TYPES_H
#define ECORULE_TYPES_H

#include <stdint.h>

/* The four dimensions of an admission list. */
typedef enum er_dimension {
	ER_DIM_LAYOUT = 0,   /* 空间布局约束 */
	ER_DIM_EMISSION = 1, /* 污染物排放管控 */
	ER_DIM_RISK = 2,     /* 环境风险防控 */
	ER_DIM_RESOURCE = 3, /* 资源利用效率 */
	ER_DIM_COUNT = 4
} er_dimension;

/* Verdicts, numbered from the least to the most strict. */
typedef enum er_verdict {
	ER_VERDICT_GUIDE = 0,    /* 引导 */
	ER_VERDICT_EXIT = 1,     /* 退出 */
	ER_VERDICT_REQUIRE = 2,  /* 要求 */
	ER_VERDICT_RESTRICT = 3, /* 限制 */
	ER_VERDICT_FORBID = 4,   /* 禁止 */
	ER_VERDICT_COUNT = 5
} er_verdict;

/* Decisions, numbered from the least to the most strict, except that
 * ER_DECISION_NEEDS_INFO is decided separately (see docs/language.md). */
typedef enum er_decision {
	ER_DECISION_ADMIT = 0,       /* 准入 */
	ER_DECISION_CONDITIONAL = 1, /* 有条件准入 */
	ER_DECISION_RESTRICTED = 2,  /* 受限准入 */
	ER_DECISION_REJECTED = 3,    /* 不予准入 */
	ER_DECISION_NEEDS_INFO = 4   /* 待补充信息 */
} er_decision;

/* Control-unit classes; the value plus one is the class digit of a code. */
typedef enum er_unit_class {
	ER_CLASS_PRIORITY = 0, /* 优先保护, digit 1 */
	ER_CLASS_KEY = 1,      /* 重点管控, digit 2 */
	ER_CLASS_GENERAL = 2   /* 一般管控, digit 3 */
} er_unit_class;

/* Three-valued truth. */
typedef enum er_truth {
	ER_FALSE = 0,
	ER_TRUE = 1,
	ER_UNKNOWN = 2
} er_truth;

/* Declared type of a fact or attribute, as written in the schema. */
typedef enum er_fact_type {
	ER_FT_BOOLEAN = 0,
	ER_FT_INTEGER = 1,
	ER_FT_NUMBER = 2,
	ER_FT_QUANTITY = 3,
	ER_FT_DATE = 4,
	ER_FT_STRING = 5,
	ER_FT_CODE = 6,       /* GB/T 4754-2017 industry code */
	ER_FT_UNIT = 7,       /* control-unit code */
	ER_FT_ENUM = 8,
	ER_FT_SET = 9,        /* set of enum values */
	ER_FT_INDUSTRIES = 10 /* list of industry codes; reference data only */
} er_fact_type;

/* Kind of a value on the VM stack; also the static type kind the
 * checker computes for an expression. */
typedef enum er_kind {
	ER_K_BOOL = 0,
	ER_K_DEC = 1,      /* exact decimal; number, integer or quantity */
	ER_K_DATE = 2,
	ER_K_STRING = 3,
	ER_K_CODE = 4,     /* industry code, as a string id */
	ER_K_ENUM = 5,
	ER_K_SET = 6,      /* bit set of enum values */
	ER_K_UNIT = 7,     /* index into the unit table */
	ER_K_COUNTY = 8,   /* index into the county table */
	ER_K_CLASS = 9,    /* er_unit_class */
	ER_K_INDSET = 10,  /* index into the industry-set table */
	ER_K_COUNT = 11
} er_kind;

/* Number of base dimensions a physical unit is built from: mass,
 * length, time, and standard-coal equivalent (吨标准煤 is energy, but
 * the field counts it as its own base). */
#define ER_BASE_DIMS 4

/* A physical unit: exponents of the base dimensions and the exact factor
 * num/den that converts one of it into the base units (kg, m, s, kgce). */
typedef struct er_unit {
	int8_t exp[ER_BASE_DIMS];
	int64_t num;
	int64_t den;
} er_unit;

/* Static type of an expression. */
typedef struct er_type {
	er_kind kind;
	uint32_t enum_index; /* ER_K_ENUM, ER_K_SET */
	int has_unit;        /* ER_K_DEC: a quantity (else dimensionless) */
	er_unit unit;        /* ER_K_DEC with has_unit */
	const char *unit_text; /* display spelling of `unit`, or NULL */
} er_type;

#endif
