/* libecorule: load a compiled rule set, bind project facts, evaluate,
 * and write the decision. The one public header of the runtime; see
 * docs/embedding.md for a complete program.
 *
 * Ownership: functions named *_new or *_load return objects the caller
 * frees with the matching *_free. Pointers returned by accessors borrow
 * from the program or record they came from and live as long as it.
 * Out of memory is reported as ER_E_NOMEM, never by aborting.
 *
 * Threads: a loaded er_program is never changed, so any number of
 * threads may read and evaluate it at once, each with its own er_record
 * and er_result. A record or a result must not be used by two threads at
 * once. er_set_language changes process-wide state (the environment
 * variable LANGUAGE and the locale), so call it once before starting
 * threads. Every other function is safe to call from any thread. */
#ifndef ECORULE_H
#define ECORULE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "types.h"
#include "dec.h"

typedef enum er_status {
	ER_OK = 0,
	ER_E_NOMEM,     /* out of memory */
	ER_E_IO,        /* a file could not be read or written */
	ER_E_FORMAT,    /* a bytecode file is damaged or not a bytecode file */
	ER_E_VERSION,   /* a bytecode file of an unsupported version */
	ER_E_OVERFLOW,  /* a decimal result does not fit */
	ER_E_INEXACT,   /* a division or unit conversion is not exact */
	ER_E_DIVZERO,   /* division by zero */
	ER_E_INPUT      /* a fact record or value is invalid */
} er_status;

/* An error with a translated, complete message for the user. */
typedef struct er_error {
	er_status status;
	char message[512];
} er_error;

/* ---- Programs ---- */

typedef struct er_program er_program;

/* Load and verify a whole bytecode file before anything runs. On failure
 * returns NULL and fills err with what is wrong and where (byte offset,
 * section). `data` is copied; the caller keeps ownership of it. */
er_program *er_program_load(const uint8_t *data, size_t size, er_error *err);
er_program *er_program_load_file(const char *path, er_error *err);
void er_program_free(er_program *program);

typedef struct er_fact_info {
	const char *path;       /* e.g. "emission.new.SO2" */
	const char *label;      /* e.g. "新增二氧化硫排放量" */
	er_fact_type type;
	uint32_t enum_index;    /* ER_FT_ENUM, ER_FT_SET; else BC_NONE */
	const char *unit_text;  /* ER_FT_QUANTITY: the declared unit; else NULL */
	er_unit unit;           /* ER_FT_QUANTITY: the parsed unit */
} er_fact_info;

typedef struct er_basis_list {
	const char *const *items;
	size_t count;
} er_basis_list;

typedef struct er_rule_info {
	const char *id;
	const char *title;
	er_dimension dimension;
	er_verdict verdict;
	int has_from, has_until;
	int32_t from, until;    /* days since 1970-01-01, inclusive */
	const char *message;    /* the message with {…} placeholders as written */
	const char *source_file;
	uint32_t line, col;
	int has_ensure;
	er_basis_list basis;
	const uint32_t *facts_read; /* fact indices the rule's code reads */
	size_t facts_read_count;
	size_t part_count;      /* message parts, see er_rule_part */
	size_t let_count;       /* computed values, see er_rule_let */
} er_rule_info;

typedef struct er_rule_part {
	const char *text;       /* literal text, or NULL for a value */
	const char *unit_text;  /* the value's display unit, or NULL */
} er_rule_part;

typedef struct er_rule_let {
	const char *name;
	const char *unit_text;
} er_rule_let;

size_t er_program_fact_count(const er_program *program);
const er_fact_info *er_program_fact(const er_program *program, size_t index);
/* Index of the fact with this path or label, or BC_NONE (0xFFFFFFFF). */
uint32_t er_program_find_fact(const er_program *program, const char *name, size_t len);
/* The fact of type ER_FT_UNIT, or BC_NONE when the schema has none. */
uint32_t er_program_unit_fact(const er_program *program);

size_t er_program_enum_count(const er_program *program);
const char *er_program_enum_name(const er_program *program, uint32_t enum_index);
size_t er_program_enum_size(const er_program *program, uint32_t enum_index);
const char *er_program_enum_value(const er_program *program, uint32_t enum_index, uint32_t value);
/* Index of the value named `name`, or BC_NONE. */
uint32_t er_program_find_enum_value(const er_program *program, uint32_t enum_index,
				    const char *name, size_t len);

size_t er_program_rule_count(const er_program *program);
const er_rule_info *er_program_rule(const er_program *program, size_t index);
er_rule_part er_program_rule_part(const er_program *program, size_t rule, size_t part);
er_rule_let er_program_rule_let(const er_program *program, size_t rule, size_t let);

size_t er_program_unit_count(const er_program *program);
/* Index of the unit with this code, or BC_NONE. */
uint32_t er_program_find_unit(const er_program *program, const char *code, size_t len);
const char *er_program_unit_code(const er_program *program, uint32_t unit);
const char *er_program_unit_name(const er_program *program, uint32_t unit);
size_t er_program_county_count(const er_program *program);
const char *er_program_county_name(const er_program *program, uint32_t county);
/* Index of the county whose 6-digit division code is `code`, or BC_NONE. */
uint32_t er_program_find_county_code(const er_program *program, const char *code, size_t len);

/* Print a readable listing of the whole file: header, tables, and each
 * rule's code with its source position. */
void er_program_disassemble(const er_program *program, FILE *out);

/* ---- Values and records ---- */

/* A value on the VM stack or in a record slot. `why` is internal to the
 * VM: the provenance of an unknown value. */
typedef struct er_value {
	uint8_t kind;    /* er_kind */
	uint8_t unknown; /* 1: the value is unknown */
	uint8_t truth;   /* ER_K_BOOL: ER_FALSE or ER_TRUE */
	uint32_t why;
	union {
		er_dec dec;
		int32_t date;
		uint32_t index;  /* enum value, unit, county, class, industry set */
		uint64_t bits;   /* ER_K_SET */
		struct {
			const char *ptr;
			uint32_t len;
		} str;           /* ER_K_STRING, ER_K_CODE */
	} as;
} er_value;

/* A problem with one field of one record. */
typedef struct er_field_error {
	uint32_t fact;          /* fact index, or BC_NONE for the record itself */
	char field[128];        /* the key or column as written */
	char message[384];      /* translated, names the value and what was expected */
} er_field_error;

/* One project's facts, bound to slots by fact index. */
typedef struct er_record {
	const er_program *program;
	char id[128];           /* the record's "id", or its number */
	size_t number;          /* 1-based position in its input */
	er_value *slots;        /* one per fact; absent slots are unknown */
	uint8_t *present;       /* 1 where a value was given */
	/* The project's unit, resolved when the unit fact is set. A code that
	 * is not in the unit table still gives a class and maybe a county. */
	uint32_t unit_index;    /* BC_NONE: not in the table or unknown */
	int unit_class;         /* er_unit_class, or -1: unknown */
	uint32_t county_index;  /* BC_NONE: unknown */
	char unit_code[16];     /* the unit code as given, or "" */
	char *text;             /* storage for string and code values */
	size_t text_len, text_cap;
	er_field_error *errors;
	size_t error_count, error_cap;
} er_record;

er_record *er_record_new(const er_program *program);
void er_record_free(er_record *record);
/* Forget every value and error, keeping the allocations. */
void er_record_reset(er_record *record);
/* Make `to` an independent copy of `from` (values, text and errors), so
 * that `from` can be reset and reused. Both belong to the same program.
 * Reuses and grows the allocations of `to`. Returns ER_OK, or ER_E_NOMEM
 * after which `to` has no values and one error. */
er_status er_record_copy(er_record *to, const er_record *from);

/* Set fact `fact` from the text of one input value, converted to the
 * fact's type: "true", "是", "2021-10-01", "200 万吨/年", an enum name,
 * an industry code. `is_string` is 1 when the input was a JSON string
 * (so "true" the string is not a boolean). On a bad value, records an
 * er_field_error naming `field` and the value, and returns ER_E_INPUT. */
er_status er_record_set_text(er_record *record, uint32_t fact, const char *field,
			     const char *text, size_t len, int is_string);
/* Add one element to a set fact (a JSON array item). */
er_status er_record_add_to_set(er_record *record, uint32_t fact, const char *field,
			       const char *text, size_t len);
/* Record an error about the record as a whole (e.g. invalid JSON). */
void er_record_add_error(er_record *record, uint32_t fact, const char *field,
			 const char *message);
/* Reset the record and fill it from one JSON object given as text,
 * with the rules of the JSON fact reader. Nested objects give dotted
 * paths, and a key may be a fact's label. "id" or "项目编号" names the
 * record. Keys that name no fact are skipped, and null leaves a fact
 * absent. A leading UTF-8 byte-order mark is skipped. Returns ER_OK;
 * ER_E_INPUT when the record has errors, each in record->errors with the
 * field it concerns (an empty field for malformed JSON, for text that is
 * not one object, or for text after the object); or ER_E_NOMEM. A record
 * with errors must not be evaluated. */
er_status er_record_read_json(er_record *record, const char *text, size_t len);

/* ---- Reference data: the unit table and its attributes ---- */

/* The county (BC_NONE when out of range) and class (er_unit_class, or -1
 * when out of range) that the unit table gives for a unit. */
uint32_t er_program_unit_county(const er_program *program, uint32_t unit);
int er_program_unit_class(const er_program *program, uint32_t unit);
/* Fill *area with the unit's area in 平方公里 (an ER_K_DEC value) and
 * return 1, or return 0 when the table gives no area. */
int er_program_unit_area(const er_program *program, uint32_t unit, er_value *area);

typedef enum er_attr_owner {
	ER_ATTR_UNIT = 0,       /* read as unit.NAME */
	ER_ATTR_COUNTY = 1      /* read as county.NAME */
} er_attr_owner;

/* A unit or county attribute as the rule set declares it. */
typedef struct er_attr_info {
	er_attr_owner owner;
	const char *name;       /* e.g. "PM25超标倍数", without "unit." */
	const char *label;      /* e.g. "2018 年 PM2.5 年均浓度超标倍数" */
	er_fact_type type;
	uint32_t enum_index;    /* ER_FT_ENUM, ER_FT_SET; else BC_NONE */
	const char *unit_text;  /* ER_FT_QUANTITY: the declared unit; else NULL */
} er_attr_info;

size_t er_program_attr_count(const er_program *program);
/* Fill *info for attribute `attr` and return 0, or return -1 when `attr`
 * is out of range. */
int er_program_attr(const er_program *program, uint32_t attr, er_attr_info *info);
/* Fill *value with the value the unit table sets for unit attribute
 * `attr` of unit `unit` and return 1. Return 0 when the table sets none,
 * when either index is out of range, or when `attr` is a county
 * attribute. Set and enumeration values carry their enumeration index in
 * `why`, so er_format_value names their values. */
int er_program_unit_value(const er_program *program, uint32_t unit, uint32_t attr, er_value *value);
/* The same for county attribute `attr` of county `county`. */
int er_program_county_value(const er_program *program, uint32_t county, uint32_t attr,
			    er_value *value);


/* ---- Evaluation ---- */

typedef enum er_outcome {
	ER_OUT_APPLIES = 0,
	ER_OUT_UNDETERMINED = 1,
	ER_OUT_FAILED = 2
} er_outcome;

typedef enum er_check {
	ER_CHECK_NONE = 0,      /* no ensure clause */
	ER_CHECK_MET = 1,
	ER_CHECK_VIOLATED = 2,
	ER_CHECK_ATTACHED = 3   /* the value is unknown: attached as a condition */
} er_check;

/* A rule that applies, could apply, or failed, for one record. Rules that
 * do not apply are not listed. */
typedef struct er_rule_result {
	uint32_t rule;
	er_outcome outcome;
	er_check check;
	er_status error;        /* ER_OUT_FAILED: what went wrong */
	uint32_t missing_first, missing_count; /* into er_result.missing */
	uint32_t values_first, values_count;   /* into er_result.values: the
						* message parts' values, then the lets */
	/* ER_OUT_UNDETERMINED: the strictest decision the rule could give if
	 * it applied, after its ensure clause (when known) is taken into
	 * account. */
	er_decision potential;
	/* 1 when the reference data (the unit table) lacks a value the rule
	 * read, so no fact of the record can settle it. */
	uint8_t data_missing;
} er_rule_result;

typedef struct er_result {
	er_decision decision;
	/* The decision the determined rules alone give. */
	er_decision settled;
	er_rule_result *rules;
	size_t rule_count, rule_cap;
	uint32_t *missing;      /* fact indices, per rule */
	size_t missing_count, missing_cap;
	er_value *values;
	size_t value_count, value_cap;
	/* Fact indices that would settle the decision, without repeats. */
	uint32_t *needed;
	size_t needed_count, needed_cap;
	/* Scratch space of the VM, kept between records. */
	void *scratch;
} er_result;

void er_result_init(er_result *result);
void er_result_free(er_result *result);

/* Evaluate every rule in force on `as_of` (days since 1970-01-01) and in
 * scope for the record's unit. Returns ER_E_NOMEM only; rule failures are
 * reported in the result. Several threads may evaluate over one program at
 * once, each with its own record and result, because evaluation only reads
 * the program. */
er_status er_eval(const er_program *program, const er_record *record, int32_t as_of,
		  er_result *result);

/* ---- Text ---- */

/* Format a value for a report: decimals without trailing zeros, then the
 * unit if given; dates as YYYY-MM-DD; enum values by name; unknown as "?".
 * Writes at most size bytes including the NUL; returns the length the full
 * text needs, as snprintf does. */
size_t er_format_value(const er_program *program, const er_value *value,
		       const char *unit_text, char *buf, size_t size);
/* The rule's message with its values interpolated, in malloc'ed storage
 * the caller frees; NULL when out of memory. */
char *er_format_message(const er_program *program, const er_result *result,
			const er_rule_result *rule_result);

/* Parse "YYYY-MM-DD" or "YYYY年M月D日" into days since 1970-01-01.
 * Returns 0 on success, -1 on a malformed or impossible date. */
int er_date_parse(const char *text, size_t len, int32_t *days);
/* Write YYYY-MM-DD and a NUL into buf (at least 11 bytes). */
void er_date_format(int32_t days, char *buf);
/* Today's date in local time, as days since 1970-01-01. */
int32_t er_date_today(void);

/* Select the language of messages, of field errors and of the names
 * below: "zh" or "en", or NULL to follow the locale (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG). English until called. Call once, before starting
 * threads. Returns 0, or -1 for another value. */
int er_set_language(const char *lang);

/* Words of the decision, verdict, and dimension, in the language that
 * er_set_language selected. */
const char *er_decision_name(er_decision decision);
const char *er_verdict_name(er_verdict verdict);
const char *er_dimension_name(er_dimension dimension);
const char *er_status_name(er_status status);

#endif
