/* Shared state and helpers of the checker's files: check_decl.c
 * (declarations and reference data), check_expr.c (expression types and
 * units) and check_rule.c (rules). Not for use outside the checker. */
#ifndef ECORULE_CHECK_INTERNAL_H
#define ECORULE_CHECK_INTERNAL_H

#include <stdarg.h>

#include "checker.h"
#include "i18n.h"

/* What a name in the global namespace denotes. */
typedef enum chk_name_kind {
	CHK_ENUM, CHK_FACT, CHK_INDUSTRY, CHK_COUNTY, CHK_UNIT, CHK_RULE,
	CHK_UNIT_ATTR, CHK_COUNTY_ATTR
} chk_name_kind;

typedef struct chk_entry {
	const char *name;
	chk_name_kind kind;
	uint32_t index;
	src_span span;
} chk_entry;

/* A hash table from (kind group, name) to a declaration. Declarations
 * share one namespace, rule ids have their own, and unit and county
 * attributes one each. */
typedef struct chk_names {
	chk_entry *slots;
	size_t slot_count;
	size_t count;
} chk_names;

/* The rule being checked, for let names. */
typedef struct chk_rule_ctx {
	model_rule *rule;
	size_t visible_lets; /* lets 0 .. visible_lets-1 may be referenced */
} chk_rule_ctx;

typedef struct chk {
	model *m;
	diag_list *d;
	size_t errors;
	chk_names names;
} chk;

/* Report an error with `code` at `span`. The caller translates the
 * format with _(), so the message is formatted once, in the user's
 * language. */
void chk_error(chk *c, diag_code code, src_span span, const char *fmt, ...);
void chk_note(chk *c, src_span span, const char *fmt, ...);

/* Names. chk_names_add returns NULL when added, or the entry already
 * there under the same group and name. */
const chk_entry *chk_names_add(chk *c, chk_name_kind kind, const char *name, uint32_t index,
			       src_span span);
const chk_entry *chk_names_find(const chk *c, chk_name_kind kind, const char *name);
/* The declared name of `kind` closest to `name` by edit distance, for a
 * "did you mean" note, or NULL when none is close. */
const char *chk_names_suggest(const chk *c, chk_name_kind kind, const char *name);

/* Class names: 优先保护/priority, 重点管控/key, 一般管控/general. Returns
 * the er_unit_class or -1. */
int chk_class_from_name(const char *name);

/* The static type of a fact or attribute's declared type. */
er_type chk_slot_er_type(const chk *c, const model_slot_type *t);

/* A poison type that suppresses errors about an expression already
 * reported. */
#define CHK_K_ERROR ER_K_COUNT

/* Check an expression in a rule (rule_ctx non-NULL) or in reference data
 * (rule_ctx NULL), compute its type into e->type, and resolve its names.
 * `want` is the type the context expects, used to resolve enum values,
 * classes, counties and industry sets; it may be NULL. Returns 0, or -1
 * after reporting an error (then e->type.kind is CHK_K_ERROR). */
int chk_expr(chk *c, chk_rule_ctx *rule_ctx, ast_expr *e, const er_type *want);

/* Require a boolean expression, as for when, unless and ensure. */
void chk_condition(chk *c, chk_rule_ctx *rule_ctx, ast_expr *e, const char *clause);


/* Check that a checked expression `e` fits the type `target` (same kind,
 * same enumeration, same dimension), converting a literal into the
 * target's unit. `what` names the place for the message. Returns 0, or
 * -1 after reporting an error. */
int chk_coerce(chk *c, ast_expr *e, const er_type *target, const char *what);

/* Build an anonymous industry set from a list of expressions naming sets
 * and codes. Returns its index, or BC_NONE after reporting errors. */
uint32_t chk_industry_from_exprs(chk *c, ast_list *items, src_span span);

/* Declarations, in check_decl.c. */
void chk_collect(chk *c, ast_file *const *files, size_t file_count);
void chk_reference_data(chk *c);
/* Rules, in check_rule.c. */
void chk_rules(chk *c);

/* A display spelling of a type's unit for messages. */
const char *chk_unit_name(const er_type *t);
/* A display name of a type, translated, for messages. */
const char *chk_type_name(const chk *c, const er_type *t, char *buf, size_t size);

#endif
