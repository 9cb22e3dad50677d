/* Shared parts of rulec doc: the Markdown and HTML writer (doc_out.c)
 * and conditions in words (doc_expr.c). */
#ifndef ECORULE_DOC_INTERNAL_H
#define ECORULE_DOC_INTERNAL_H

#include <stdio.h>

#include "doc.h"
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

/* Write `e`, a checked expression, in words of the message language:
 * fact labels for facts, the unit or county attribute's label for
 * attributes, literals as written. */
void doc_expr_words(FILE *out, const model *m, const ast_expr *e);
/* The same into a new malloc'ed string. */
char *doc_expr_string(const model *m, const ast_expr *e);
/* The items of a set literal in words, without its braces, in a new
 * malloc'ed string. */
char *doc_set_items_string(const model *m, const ast_expr *set);
/* Write a date as 2021年10月1日 in Chinese, 2021-10-01 in English. */
void doc_put_date(FILE *out, int32_t days);

#endif
