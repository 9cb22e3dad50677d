/* Random well-typed rule sets and fact records for the differential test
 * of the VM against the reference evaluator (test_diff.c).
 *
 * Every rule set shares one schema, which declares a fact of each type,
 * enumerations, industry sets, unit and county attributes, counties and
 * units (gen_schema). The rules are random: nested and/or/not,
 * comparisons with literals in convertible units, membership, lets,
 * unless, scopes, from/until, overrides, every verdict and ensure.
 * Records are JSON Lines with random values, absent facts and boundary
 * values. The same seed gives the same text.
 *
 * Ownership: gen_text buffers own their storage; free it with
 * gen_text_free. */
#ifndef ECORULE_GEN_RANDOM_H
#define ECORULE_GEN_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* A growable NUL-terminated string. Out of memory aborts the test. */
typedef struct gen_text {
	char *text;
	size_t len, cap;
} gen_text;

void gen_text_free(gen_text *t);
void gen_text_printf(gen_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A small deterministic generator (xorshift64*). */
typedef struct gen_rng {
	uint64_t state;
} gen_rng;

void gen_rng_seed(gen_rng *rng, uint64_t seed);
uint64_t gen_rng_next(gen_rng *rng);
/* A number in [0, n). */
uint32_t gen_rng_below(gen_rng *rng, uint32_t n);

/* A random evaluation date, as days since 1970-01-01, on or around the
 * dates the generated from/until clauses use. */
int32_t gen_as_of(gen_rng *rng);

/* Append a whole rule set (schema and `rule_count` random rules) to out. */
void gen_rule_set(gen_rng *rng, size_t rule_count, gen_text *out);

/* Append one JSON object with id `id` and random facts, and a newline. */
void gen_record(gen_rng *rng, size_t id, gen_text *out);

/* Append one JSON object with id `id` and random values for the facts of
 * any compiled rule set, such as rules/jincheng, and a newline. */
struct er_program;
void gen_record_for(gen_rng *rng, const struct er_program *program, size_t id, gen_text *out);

#endif
