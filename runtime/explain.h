/* Explanations of one project's evaluation: for each rule in scope, its
 * outcome and the sub-conditions that decided it, and for an undecided
 * project the missing facts that would settle it. Internal to the
 * runtime and rulevm; not installed.
 *
 * The explainer never touches the VM's dispatch loop. It decompiles a
 * rule's verified code fragments into expression trees and evaluates
 * them with the same three-valued semantics, keeping every node's value,
 * so `rulevm eval` pays nothing for it. The outcome it reports is the
 * one er_eval computes; the trees only show why.
 *
 * Ownership: xp_explain fills an xp_explanation the caller releases
 * with xp_explanation_free; it borrows the program and the record,
 * which must outlive it. */
#ifndef ECORULE_EXPLAIN_H
#define ECORULE_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "ecorule.h"

typedef enum xp_outcome {
	XP_APPLIES = 0,
	XP_DOES_NOT_APPLY = 1,
	XP_UNDETERMINED = 2,
	XP_FAILED = 3,
	XP_NOT_IN_FORCE = 4,   /* in scope, but not in force on the date */
	XP_NOT_IN_SCOPE = 5    /* only for a rule named with --rule */
} xp_outcome;

/* One instruction of a fragment as a tree node, with its value. */
typedef struct xp_node {
	uint8_t op;            /* bc_opcode */
	uint8_t evaluated;     /* 0: skipped by a short circuit, or not run */
	uint8_t short_circuit; /* OP_AND, OP_OR: compiled with a jump */
	uint8_t failed;        /* the rule failed while this node was evaluated */
	uint32_t operand;      /* fact, attribute, constant or unit field */
	uint32_t lhs, rhs;     /* child nodes, or BC_NONE */
	uint32_t target;       /* short circuit: the code offset the jump lands on */
	uint32_t height;       /* 1 for a leaf, else 1 + the higher child's */
	er_value value;
} xp_node;

typedef struct xp_rule {
	uint32_t rule;
	xp_outcome outcome;    /* as er_eval decided it */
	xp_outcome traced;     /* as the trees evaluate it */
	er_status error;       /* XP_FAILED: the rule's failure */
	er_check check;        /* XP_APPLIES: the ensure clause's result */
	/* Index into er_result.rules of er_eval's entry, or BC_NONE when
	 * er_eval did not list the rule (it does not apply or is not in
	 * force). */
	uint32_t result_index;
	int scope_unknown;     /* the unit fact is absent and the rule is scoped */
	int decompiled;        /* 0: a fragment has a shape the explainer does
				* not know, so no trees are shown */
	uint32_t condition_root; /* the whole condition, or BC_NONE: none */
	uint32_t when;         /* its `when` part, or BC_NONE: no condition */
	uint32_t unless_first, unless_count; /* into xp_explanation.links */
	uint32_t ensure;       /* root node, or BC_NONE */
} xp_rule;

typedef struct xp_explanation {
	const er_program *program;
	const er_record *record;
	int32_t as_of;
	er_result result;      /* er_eval's result for the record */
	xp_rule *rules;
	size_t rule_count, rule_cap;
	xp_node *nodes;
	size_t node_count, node_cap;
	uint32_t *links;       /* exception roots */
	size_t link_count, link_cap;
} xp_explanation;

void xp_explanation_init(xp_explanation *x);
void xp_explanation_free(xp_explanation *x);

/* Evaluate the record and explain every rule in scope of its control
 * unit (every rule when the unit fact is absent), in rule order, or only
 * rule `only` when it is not BC_NONE. Returns ER_OK or ER_E_NOMEM. */
er_status xp_explain(const er_program *program, const er_record *record, int32_t as_of,
		     uint32_t only, xp_explanation *x);

/* Decompile rule `rule` of x->program (which the caller sets) into trees
 * appended to x->nodes, filling r's condition_root, when, unless,
 * ensure and decompiled fields without evaluating anything. Returns
 * ER_OK (r->decompiled is 0 for a shape the explainer does not know) or
 * ER_E_NOMEM. */
er_status xp_decompile_rule(xp_explanation *x, uint32_t rule, xp_rule *r);
/* Decompile the verified fragment at code offset `offset`, such as a
 * message value or a let, into *root. Returns ER_OK, ER_E_NOMEM, or
 * ER_E_FORMAT for a shape the explainer does not know. */
er_status xp_decompile(xp_explanation *x, uint32_t offset, uint32_t *root);

/* Index of the rule with this id, or BC_NONE. */
uint32_t xp_find_rule(const er_program *program, const char *id);
/* Returns the display unit of decimal node `index`, or NULL. A constant
 * has no unit of its own: it is shown in the unit of the operand it is
 * compared or added with, because the compiler converts literals into
 * that unit. */
const char *xp_node_unit(const xp_explanation *x, uint32_t index);

/* Write the explanation as text for a terminal, or as one JSON object
 * (schema in docs/rulevm.md). Return 0, or -1 when writing failed or
 * memory ran out. */
int xp_write_text(FILE *out, const xp_explanation *x);
int xp_write_json(FILE *out, const xp_explanation *x);

/* ---- rulevm ask ---- */

/* A fact that would help settle an undecided project, with the number
 * of undetermined rules that lack it, and of those it alone would settle
 * (it is the only fact they lack). */
typedef struct xp_question {
	uint32_t fact;
	uint32_t rule_count;
	uint32_t settles;
} xp_question;

/* The facts of result->needed, considering only the undetermined rules
 * that could change the decision: first those that alone would settle
 * such a rule, then by how many such rules lack each, most first, ties
 * in fact order, into *questions (malloc'ed, *count entries). Returns
 * ER_OK or ER_E_NOMEM. */
er_status xp_questions(const er_result *result, xp_question **questions, size_t *count);

/* Write the questions for one record as text or as one JSON object, or
 * a fact file to fill in: the record's known facts, then each missing
 * fact with a placeholder object that the fact readers reject, so an
 * unfilled template fails with an error naming every field still to
 * fill. Return 0, or -1 when writing failed or memory ran out. */
int xp_ask_text(FILE *out, const er_program *program, const er_record *record,
		const er_result *result);
int xp_ask_json(FILE *out, const er_program *program, const er_record *record,
		const er_result *result);
int xp_ask_template(FILE *out, const er_program *program, const er_record *record,
		    const er_result *result);

/* Write `text` as a JSON string with its quotes. */
void xp_json_string(FILE *out, const char *text);

#endif
