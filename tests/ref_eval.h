/* A reference evaluator for differential tests: walks the checked AST of
 * a model and computes what er_eval computes, written from the rules in
 * docs/language.md without the code generator or the VM.
 *
 * It reuses runtime/dec.c and runtime/units.c for decimal arithmetic and
 * unit ratios, which have their own unit tests (test_dec, test_units).
 *
 * Ownership: a ref_result owns its arrays; ref_result_free releases
 * them. String values borrow from the model's AST arena or the record. */
#ifndef ECORULE_REF_EVAL_H
#define ECORULE_REF_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecorule.h"
#include "model.h"

/* The largest schema the reference evaluator handles. */
#define REF_MAX_FACTS 256

/* The causes of an unknown value: the absent facts, and whether the
 * reference data lacks a value. */
typedef struct ref_why {
	uint64_t facts[REF_MAX_FACTS / 64];
	int data;
} ref_why;

typedef struct ref_rule_result {
	uint32_t rule;
	er_outcome outcome;
	er_check check;
	er_status error;        /* ER_OUT_FAILED */
	er_decision potential;  /* ER_OUT_UNDETERMINED */
	ref_why missing;
	size_t values_first, values_count; /* message parts, then lets */
} ref_rule_result;

typedef struct ref_result {
	er_decision decision;
	er_decision settled;
	ref_rule_result *rules;
	size_t rule_count, rule_cap;
	er_value *values;
	size_t value_count, value_cap;
	ref_why needed;
} ref_result;

void ref_result_init(ref_result *result);
void ref_result_free(ref_result *result);

/* Evaluate every rule of `m` in force on `as_of` for `record`, whose
 * fact indices are the model's. Returns 0, or -1 when the schema has more
 * than REF_MAX_FACTS facts or memory runs out. */
int ref_eval(const model *m, const er_record *record, int32_t as_of, ref_result *result);

/* Whether fact `fact` is among the causes. */
int ref_why_has(const ref_why *why, uint32_t fact);

#endif
