/* Conditions as the linter reasons about them. A checked boolean
 * expression becomes a disjunctive normal form over literals, and each
 * literal constrains one slot (a fact, or a unit or county attribute).
 * The lint warnings rest on the satisfiability and entailment tests here.
 *
 * The tests are sound for three-valued logic: a literal is true only
 * when its slot is known, so "unsatisfiable" means the conjunction is
 * never true, and "c entails l" means l is true whenever c is true.
 * Slots are treated as independent, and numbers and dates as real
 * values, so the tests miss some facts (x > 1 and x < 2 on an integer)
 * but never claim a false one.
 *
 * Ownership: a lint_dnf owns its conjunctions and literal arrays (free
 * them with lint_dnf_free); literals borrow their expressions from the
 * AST. Out of memory exits with status 4, as everywhere in the compiler. */
#ifndef ECORULE_LINT_COND_H
#define ECORULE_LINT_COND_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "dec.h"
#include "model.h"

/* Past this many disjuncts a normal form is given up, and the condition
 * is treated as one the linter cannot analyse. */
#define LINT_MAX_DISJUNCTS 256

/* A slot number: a fact index, or LINT_SLOT_ATTR plus an attribute index. */
#define LINT_SLOT_ATTR 0x80000000u

typedef enum lint_lit_kind {
	LIT_CMP,     /* slot op value, for numbers, quantities and dates */
	LIT_ENUM,    /* enum slot's value lies in `mask` */
	LIT_BOOL,    /* boolean slot equals `value` */
	LIT_HAS,     /* set slot contains the value bit `mask` (negated: lacks it) */
	LIT_KNOWN,   /* known(slot) (negated: the slot is absent) */
	LIT_INDUSTRY, /* code slot is in the industry set `set` (negated: is not) */
	LIT_OPAQUE   /* any other expression, compared by structure */
} lint_lit_kind;

typedef struct lint_lit {
	lint_lit_kind kind;
	int negated;           /* LIT_HAS, LIT_KNOWN, LIT_INDUSTRY, LIT_OPAQUE */
	uint32_t slot;         /* all kinds but LIT_OPAQUE */
	ast_binop op;          /* LIT_CMP: BIN_EQ, BIN_NE, BIN_LT, BIN_LE, BIN_GT, BIN_GE */
	er_dec value;          /* LIT_CMP: a date is its day number */
	uint64_t mask;         /* LIT_ENUM, LIT_HAS */
	uint32_t set;          /* LIT_INDUSTRY: index into the model's industries */
	int truth;             /* LIT_BOOL */
	const ast_expr *expr;  /* the atom as written, for notes */
} lint_lit;

typedef struct lint_conj {
	lint_lit *lits;
	size_t count, cap;
} lint_conj;

typedef struct lint_dnf {
	lint_conj *conjs;      /* no conjunctions: false; one empty: true */
	size_t count, cap;
	int overflow;          /* too large: nothing may be concluded */
} lint_dnf;

/* Normal form of `e` (of `not e` when `negate`); NULL stands for true.
 * `m` is the checked model the expression's constants index into. */
lint_dnf lint_dnf_of(model *m, const ast_expr *e, int negate);
/* The normal form of a rule's applicability: its when clause and the
 * negation of each unless clause. */
lint_dnf lint_dnf_applies(model *m, const ast_rule *rule);
/* The conjunction of two normal forms: its disjunct i * b->count + j
 * joins disjunct i of a and disjunct j of b. */
lint_dnf lint_dnf_and(const lint_dnf *a, const lint_dnf *b);
void lint_dnf_free(lint_dnf *d);

/* Whether `c` can never be true. When it cannot, *slot gets the slot
 * whose constraints conflict, or UINT32_MAX for an expression and its
 * negation. */
int lint_conj_unsat(const model *m, const lint_conj *c, uint32_t *slot);
/* Whether every disjunct of `d` is unsatisfiable (false when d overflowed). */
int lint_dnf_unsat(const model *m, const lint_dnf *d);
/* Whether `f` is true whenever `c` is (false when f overflowed). */
int lint_conj_entails(const model *m, const lint_conj *c, const lint_dnf *f);
/* Whether `c` is satisfiable by a record built from facts alone: it has
 * no attribute or opaque literal and no conflict, and every integer or
 * date slot has a whole value in its range. */
int lint_conj_witness(const model *m, const lint_conj *c);

/* The name of a slot: a fact path, or unit.A / county.A. */
const char *lint_slot_name(const model *m, uint32_t slot, char *buf, size_t size);

#endif
