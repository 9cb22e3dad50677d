/* Shared parts of rulec doc: the document both front ends fill (source
 * in doc_model.c, bytecode in doc_program.c), its writer (doc.c,
 * doc_out.c) and conditions in words (doc_expr.c, doc_tree.c). */
#ifndef ECORULE_DOC_INTERNAL_H
#define ECORULE_DOC_INTERNAL_H

#include <stdio.h>

#include "doc.h"
#include "ecorule.h"
#include "explain.h"
#include "model.h"

/* A document being written: the format and the stream. Text passed to
 * the doc_out_* functions is plain UTF-8; they escape it for the format. */
typedef struct doc_out {
	doc_format format;
	FILE *out;
	const char *lang;   /* "zh-CN" or "en", for the HTML page */
} doc_out;

void doc_out_begin(doc_out *d, const char *title);
void doc_out_end(doc_out *d);
/* A heading of `level` 1-5; `anchor`, when not NULL, becomes the HTML id. */
void doc_out_heading(doc_out *d, int level, const char *text, const char *anchor);
void doc_out_paragraph(doc_out *d, const char *text);
/* A list of "label: value" fields, as a Markdown list or an HTML
 * definition list; `css_class` names the HTML block (NULL for none). */
void doc_out_fields_begin(doc_out *d, const char *css_class);
void doc_out_field(doc_out *d, const char *label, const char *value);
void doc_out_fields_end(doc_out *d);

/* A growable string built with open_memstream. */
typedef struct doc_buf {
	char *text;
	size_t len;
	FILE *f;
} doc_buf;

void doc_buf_open(doc_buf *b);
/* Close the stream and return the text, which the caller frees. */
char *doc_buf_close(doc_buf *b);

/* ---- The document: what both front ends fill and the writer renders ---- */

/* A growable array of owned strings. */
typedef struct doc_strs {
	char **items;
	size_t count;
} doc_strs;

/* A "label: value" line of a unit or county block; both strings owned. */
typedef struct doc_field {
	char *label;
	char *value;
} doc_field;

typedef struct doc_fields {
	doc_field *items;
	size_t count;
} doc_fields;

/* One requirement, every text already in words of the message language. */
typedef struct doc_rule {
	char *id;
	char *title;
	er_dimension dimension;
	er_verdict verdict;
	char *requirement;     /* the message, values as {words} */
	char *when;            /* NULL: no condition */
	doc_strs unless;       /* each exception */
	doc_strs computed;     /* "name = value" per let */
	char *ensure;          /* NULL: none */
	int has_scope;
	uint32_t *units;       /* indices into doc_set.units */
	size_t unit_count;
	uint32_t class_mask;   /* bit c: class c in scope */
	uint32_t *counties;    /* indices into doc_set.counties */
	size_t county_count;
	int has_from, has_until;
	int32_t from, until;   /* days since 1970-01-01 */
	doc_strs basis;
	doc_strs overrides;    /* rule ids */
	doc_strs allows;       /* per allow clause: code, title and reason in
				  words; none from bytecode, which has no allows */
	char *source;          /* "file:line", relative to the main file's folder */
} doc_rule;

typedef struct doc_unit {
	char *code;
	char *name;            /* NULL: none */
	int unit_class;        /* er_unit_class, or -1 */
	uint32_t county;       /* index into doc_set.counties, or BC_NONE */
	doc_fields fields;     /* county, class, area and attributes */
} doc_unit;

typedef struct doc_county {
	char *name;
	doc_fields fields;     /* division code and attributes */
} doc_county;

/* The whole admission list. */
typedef struct doc_set {
	char *input;           /* the path the document was rendered from */
	doc_rule *rules;
	size_t rule_count;
	doc_unit *units;
	size_t unit_count;
	doc_county *counties;
	size_t county_count;
	doc_fields industries; /* named industry sets and their members */
} doc_set;

/* Fill `set` from a checked rule set (doc_model.c) or from a verified
 * bytecode program (doc_program.c). Both exit with status 4 when memory
 * runs out. */
void doc_set_from_model(doc_set *set, const model *m, const char *main_path);
void doc_set_from_program(doc_set *set, const er_program *p, const char *path);
void doc_set_free(doc_set *set);
/* Render `set` (doc.c). Returns 0, or -1 when writing to `out` failed. */
int doc_set_write(const doc_set *set, doc_format format, FILE *out);

/* Allocation helpers that exit with status 4 when memory runs out. */
void *doc_alloc(size_t count, size_t size);
void *doc_grow(void *items, size_t count, size_t size);
char *doc_strdup(const char *text);
uint32_t *doc_index_copy(const uint32_t *items, size_t count);
void doc_strs_push(doc_strs *list, char *owned);
void doc_fields_push(doc_fields *list, const char *label, char *owned_value);
/* The path relative to the folder of `main_path`, when it lies there. */
const char *doc_relative_path(const char *path, const char *main_path);
/* "file:line" as a new string, the file relative to `main_path`'s folder. */
char *doc_source_string(const char *path, const char *main_path, unsigned line);
/* The class as the admission lists name it (优先保护, 重点管控, 一般管控). */
const char *doc_class_word(int unit_class);

/* Write `e`, a checked expression, in words of the message language:
 * fact labels for facts, the unit or county attribute's label for
 * attributes, literals as written. */
void doc_expr_words(FILE *out, const model *m, const ast_expr *e);
/* The same into a new malloc'ed string. */
char *doc_expr_string(const model *m, const ast_expr *e);
/* The items of a set literal in words, without its braces, in a new
 * malloc'ed string. */
char *doc_set_items_string(const model *m, const ast_expr *set);
/* A decompiled expression tree of `x` (rooted at node `root`) in the
 * same words, as a new malloc'ed string. Constants take the unit of the
 * operand they meet, because the compiler converted them into it. */
char *doc_tree_string(const xp_explanation *x, uint32_t root);
/* A value of the program in the same words: dates as doc_put_date
 * writes them, strings in quotes, sets as their items without braces,
 * decimals followed by `unit` when it is not NULL. A new malloc'ed string. */
char *doc_value_string(const er_program *p, const er_value *v, const char *unit);
/* Write a date as 2021年10月1日 in Chinese, 2021-10-01 in English. */
void doc_put_date(FILE *out, int32_t days);

#endif
