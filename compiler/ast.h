/* The abstract syntax tree of .rule files, shared by the parser, the
 * checker and the code generator.
 *
 * Ownership: every node, list and string hangs off one ast_arena and is
 * freed with it; nothing in the tree is freed on its own. Strings are
 * NUL-terminated UTF-8 copied into the arena. */
#ifndef ECORULE_AST_H
#define ECORULE_AST_H

#include <stddef.h>
#include <stdint.h>

#include "../runtime/types.h"

/* A source position: file index into the source table, 1-based line, and
 * 1-based column counted in characters (not bytes). */
typedef struct src_pos {
	uint32_t file;
	uint32_t line;
	uint32_t col;
} src_pos;

/* A span from the first character to the character after the last. */
typedef struct src_span {
	src_pos begin;
	src_pos end;
} src_span;

typedef struct ast_arena ast_arena;

ast_arena *ast_arena_new(void);
void ast_arena_free(ast_arena *arena);
/* Print "rulec: out of memory" and exit with status 4: the one policy
 * of the compiler for a failed allocation. Exiting rather than aborting
 * lets the allocation-failure test tell this path from a crash. */
_Noreturn void ast_out_of_memory(void);

/* Allocate zeroed memory that lives as long as the arena; exits through
 * the out-of-memory policy above when no memory is left. */
void *ast_alloc(ast_arena *arena, size_t size);
char *ast_strdup(ast_arena *arena, const char *s, size_t len);

/* A generic singly linked list; `item` points at the node it carries. */
typedef struct ast_list {
	void *item;
	struct ast_list *next;
} ast_list;

ast_list *ast_list_append(ast_arena *arena, ast_list *list, void *item);
size_t ast_list_length(const ast_list *list);

/* ---- Expressions ---- */

typedef enum ast_expr_kind {
	EXPR_NUMBER,   /* text: digits; unit: NULL */
	EXPR_QUANTITY, /* text: digits; unit: the unit text as written */
	EXPR_DATE,     /* date */
	EXPR_STRING,   /* text */
	EXPR_BOOL,     /* boolean */
	EXPR_NAME,     /* path: a fact, a let name, an enum value, a set, … */
	EXPR_UNIT_ATTR,   /* path: attribute name after `unit.` */
	EXPR_COUNTY_ATTR, /* path: attribute name after `county.` */
	EXPR_SET,      /* items: list of ast_expr */
	EXPR_KNOWN,    /* lhs: the EXPR_NAME whose presence is tested */
	EXPR_NOT,      /* lhs */
	EXPR_NEG,      /* lhs */
	EXPR_BINARY    /* op, lhs, rhs */
} ast_expr_kind;

typedef enum ast_binop {
	BIN_OR, BIN_AND,
	BIN_EQ, BIN_NE, BIN_LT, BIN_LE, BIN_GT, BIN_GE,
	BIN_IN, BIN_HAS,
	BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV
} ast_binop;

/* What a name resolved to; filled in by the checker. */
typedef enum ast_ref_kind {
	REF_NONE,
	REF_FACT,      /* index: fact number */
	REF_LET,       /* index: let number within the rule */
	REF_ENUM_VALUE,/* index: value number; enum_index: the enumeration */
	REF_INDUSTRY,  /* index: industry set number */
	REF_COUNTY,    /* index: county number */
	REF_CLASS,     /* index: er_unit_class */
	REF_UNIT       /* index: unit number */
} ast_ref_kind;

typedef struct ast_expr {
	ast_expr_kind kind;
	src_span span;
	const char *text;  /* number digits, string contents, or dotted path */
	const char *unit;  /* unit text of a quantity literal */
	int32_t date;      /* days since 1970-01-01 for EXPR_DATE */
	int boolean;
	ast_binop op;
	struct ast_expr *lhs;
	struct ast_expr *rhs;
	ast_list *items;
	uint32_t depth;    /* nesting levels, parentheses included (parser) */
	/* Filled by the checker. */
	er_type type;
	ast_ref_kind ref;
	uint32_t index;
	uint32_t enum_index;
} ast_expr;

/* ---- Declarations ---- */

typedef enum ast_type_kind {
	TYPE_BOOLEAN, TYPE_INTEGER, TYPE_NUMBER, TYPE_QUANTITY, TYPE_DATE,
	TYPE_STRING, TYPE_CODE, TYPE_UNIT, TYPE_ENUM, TYPE_SET, TYPE_INDUSTRIES
} ast_type_kind;

typedef struct ast_type {
	ast_type_kind kind;
	src_span span;
	const char *unit;      /* TYPE_QUANTITY: unit text */
	const char *enum_name; /* TYPE_ENUM, TYPE_SET: the enumeration's name */
} ast_type;

typedef struct ast_enum {
	src_span span;
	const char *name;
	ast_list *values;      /* list of ast_ident */
} ast_enum;

/* A name with its place, used in lists of enum values, scopes, codes. */
typedef struct ast_ident {
	src_span span;
	const char *text;
} ast_ident;

typedef struct ast_fact {
	src_span span;
	const char *path;
	ast_type type;
	const char *label;
} ast_fact;

typedef enum ast_owner { OWNER_UNIT, OWNER_COUNTY } ast_owner;

typedef struct ast_attribute {
	src_span span;
	ast_owner owner;
	const char *name;
	ast_type type;
	const char *label;
} ast_attribute;

typedef struct ast_industry {
	src_span span;
	const char *name;
	ast_list *members;     /* list of ast_ident: codes (digits) or set names */
} ast_industry;

/* One `name value` line inside a county or unit block. Built-in fields
 * (code, name, county, class, area) are stored under their English name. */
typedef struct ast_field {
	src_span span;
	const char *name;
	ast_expr *value;
} ast_field;

typedef struct ast_county {
	src_span span;
	const char *name;
	ast_list *fields;      /* list of ast_field */
} ast_county;

typedef struct ast_unit {
	src_span span;
	const char *code;
	ast_list *fields;      /* list of ast_field */
} ast_unit;

typedef enum ast_scope_kind { SCOPE_UNIT, SCOPE_CLASS, SCOPE_COUNTY } ast_scope_kind;

typedef struct ast_scope {
	src_span span;
	ast_scope_kind kind;
	ast_list *names;       /* list of ast_ident */
} ast_scope;

typedef struct ast_let {
	src_span span;
	const char *name;
	ast_expr *value;
} ast_let;

/* allow CODE "reason": a lint warning switched off for one rule. */
typedef struct ast_allow {
	src_span span;
	const char *code;      /* as written, e.g. "W0006" */
	src_span code_span;
	const char *reason;
} ast_allow;

/* A message string split into literal text and interpolated expressions. */
typedef struct ast_message_part {
	const char *text;      /* literal text, or NULL for an expression */
	ast_expr *expr;
} ast_message_part;

typedef struct ast_rule {
	src_span span;
	src_span id_span;
	const char *id;
	const char *title;
	int has_dimension;
	er_dimension dimension;
	src_span dimension_span;
	ast_list *scopes;      /* list of ast_scope */
	ast_expr *when;        /* NULL: always */
	ast_list *unless;      /* list of ast_expr */
	ast_list *lets;        /* list of ast_let */
	int has_verdict;
	er_verdict verdict;
	src_span verdict_span;
	const char *message;   /* the string as written, escapes decoded */
	ast_list *message_parts; /* list of ast_message_part */
	ast_expr *ensure;      /* NULL: none */
	ast_list *basis;       /* list of ast_ident (text is the basis) */
	int has_from, has_until;
	int32_t from, until;   /* days since 1970-01-01 */
	src_span from_span, until_span;
	ast_list *overrides;   /* list of ast_ident */
	ast_list *allows;      /* list of ast_allow */
} ast_rule;

typedef enum ast_decl_kind {
	DECL_IMPORT, DECL_ENUM, DECL_FACT, DECL_ATTRIBUTE, DECL_INDUSTRY,
	DECL_COUNTY, DECL_UNIT, DECL_RULE
} ast_decl_kind;

typedef struct ast_decl {
	ast_decl_kind kind;
	src_span span;
	union {
		const char *import_path;
		ast_enum *enumeration;
		ast_fact *fact;
		ast_attribute *attribute;
		ast_industry *industry;
		ast_county *county;
		ast_unit *unit;
		ast_rule *rule;
	} as;
} ast_decl;

/* One parsed file. */
typedef struct ast_file {
	uint32_t file;         /* index in the source table */
	ast_list *decls;       /* list of ast_decl */
} ast_file;

#endif
