/* The checked rule set as tables: what the checker builds from the AST
 * and what the code generator and the bytecode writer consume.
 *
 * Ownership: a model owns its arrays and frees them with model_free.
 * Strings (names, labels, messages, codes) are borrowed from the AST
 * arena, which must outlive the model, except the strings the model
 * makes itself (expanded industry codes, composed unit spellings), which
 * it owns. Out of memory prints a message and exits with status 4. */
#ifndef ECORULE_MODEL_H
#define ECORULE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "bytecode.h"
#include "dec.h"
#include "types.h"

/* A growable array of any element type: `items`, `count`, `cap`. */
#define MODEL_VEC(type) \
	struct {                \
		type *items;    \
		size_t count;   \
		size_t cap;     \
	}

/* Append a zeroed element to a MODEL_VEC and return a pointer to it. */
#define MODEL_PUSH(vec) \
	((__typeof__((vec).items))model_grow((void **)&(vec).items, &(vec).count, &(vec).cap, sizeof *(vec).items))

void *model_grow(void **items, size_t *count, size_t *cap, size_t size);
void *model_xmalloc(size_t size);
char *model_xstrdup(const char *s);

/* A constant of the CONS section. STRING and CODE constants keep their
 * text; the writer interns it into the string table. */
typedef struct model_const {
	bc_const_kind kind;
	er_dec dec;              /* DEC */
	int64_t num;             /* RATIO numerator */
	int64_t den;             /* RATIO denominator (> 0) */
	int32_t date;            /* DATE */
	const char *text;        /* STRING, CODE */
	uint32_t index;          /* ENUM: enum; INDSET, COUNTY, CLASS: the index; BOOL: 0/1 */
	uint32_t value;          /* ENUM: value index */
	uint64_t bits;           /* SET */
} model_const;

typedef struct model_enum {
	const char *name;
	src_span span;
	MODEL_VEC(const char *) values;
	MODEL_VEC(src_span) value_spans;
} model_enum;

/* A fact or an attribute: its declared type, with the unit for
 * quantities and the enumeration for enums and sets. */
typedef struct model_slot_type {
	er_fact_type type;
	uint32_t enum_index;     /* BC_NONE unless ER_FT_ENUM or ER_FT_SET */
	const char *unit_text;   /* ER_FT_QUANTITY: the unit as written */
	er_unit unit;
} model_slot_type;

typedef struct model_fact {
	const ast_fact *ast;
	const char *path;
	const char *label;
	src_span span;
	model_slot_type t;
} model_fact;

typedef struct model_attr {
	const ast_attribute *ast;
	ast_owner owner;
	const char *name;
	const char *label;
	src_span span;
	model_slot_type t;
} model_attr;

/* An industry set with its members expanded into GB/T 4754 codes. */
typedef struct model_industry {
	const char *name;        /* NULL for a set made from a literal list */
	src_span span;
	const ast_industry *ast; /* NULL for an anonymous set */
	int state;               /* expansion: 0 not started, 1 running, 2 done */
	MODEL_VEC(char *) codes; /* owned */
} model_industry;

/* One attribute value of a county or a unit. */
typedef struct model_value {
	uint32_t attr;
	uint32_t constant;
} model_value;

typedef struct model_county {
	const ast_county *ast;
	const char *name;
	const char *code;        /* the 6-digit division code, or NULL */
	src_span span;
	MODEL_VEC(model_value) values;
} model_county;

typedef struct model_unit {
	const ast_unit *ast;
	const char *code;
	const char *name;
	src_span span;
	uint32_t county;         /* county index, or BC_NONE */
	int unit_class;          /* er_unit_class, or -1 when missing */
	uint32_t area;           /* constant index, or BC_NONE */
	MODEL_VEC(model_value) values;
} model_unit;

typedef struct model_part {
	const char *text;        /* literal text, or NULL */
	ast_expr *expr;          /* the value, or NULL */
	uint32_t code;           /* code offset, filled by gen */
} model_part;

typedef struct model_let {
	const char *name;
	src_span span;
	ast_expr *value;
	uint32_t code;           /* code offset, filled by gen */
} model_let;

typedef struct model_rule {
	const ast_rule *ast;
	const char *id;
	uint32_t file;           /* source file index of the rule */
	MODEL_VEC(uint32_t) scope_units;
	MODEL_VEC(uint32_t) scope_counties;
	uint32_t class_mask;     /* bit c: class c in scope; 0: no class scope */
	int has_scope;
	MODEL_VEC(model_let) lets;
	MODEL_VEC(model_part) parts;
	MODEL_VEC(uint32_t) overrides;
	/* Filled by gen. */
	uint32_t cond_code;      /* BC_NONE: always true */
	uint32_t ensure_code;    /* BC_NONE: no ensure */
	MODEL_VEC(uint32_t) facts_read;
} model_rule;

/* The whole checked rule set. */
typedef struct model {
	MODEL_VEC(const char *) sources; /* source paths, by file index */
	MODEL_VEC(model_const) consts;
	uint32_t *const_slots;   /* hash of consts: index + 1, or 0 */
	size_t const_slot_count;
	MODEL_VEC(model_enum) enums;
	MODEL_VEC(model_fact) facts;
	MODEL_VEC(model_attr) attrs;
	MODEL_VEC(model_industry) industries;
	MODEL_VEC(model_county) counties;
	MODEL_VEC(model_unit) units;
	MODEL_VEC(model_rule) rules;
	uint32_t unit_fact;      /* the fact of type unit, or BC_NONE */
	/* Filled by gen: the CODE section and its deepest stack. */
	MODEL_VEC(uint8_t) code;
	uint32_t max_stack;
	MODEL_VEC(char *) owned; /* strings the model made */
} model;

void model_init(model *m);
void model_free(model *m);

/* Add a constant, or return the index of an equal one already there. */
uint32_t model_const_add(model *m, const model_const *c);

/* What the checker leaves in a checked expression, beyond ast.h:
 *   - literals (EXPR_NUMBER, EXPR_QUANTITY, EXPR_DATE, EXPR_STRING,
 *     EXPR_SET) store in `index` the constant of their value, already
 *     converted into the unit the context needs;
 *   - EXPR_UNIT_ATTR of a built-in field (code, name, county, class,
 *     area) stores BC_NONE in `index` and the bc_unit_field in
 *     `enum_index`;
 *   - EXPR_BINARY stores in `index` zero, or one plus the RATIO constant
 *     that converts the right operand into the left operand's unit (the
 *     generator emits OP_SCALE for it).
 * The constant a checked literal or constant name (enum value, county,
 * class, industry set, boolean) stands for, or BC_NONE when the
 * expression is not constant. */
uint32_t model_expr_const(model *m, const ast_expr *e);
/* Keep a malloc'ed string until model_free, and return it. */
char *model_keep(model *m, char *s);

#endif
