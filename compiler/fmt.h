/* The formatter: prints a .rule file in the canonical layout, keeping
 * its comments, the line breaks its author put inside conditions and
 * lists, and the author's choice of English or Chinese keywords.
 *
 * The layout: declarations at column 1 with at most one blank line
 * between them (kept where the source had one); two-space indentation
 * in blocks; a rule's clause keywords padded to the widest keyword of
 * the rule plus one column, so the clause bodies line up; unit and
 * county fields padded to nine columns; single spaces between tokens,
 * none inside parentheses or before commas; continuation lines aligned
 * with the start of the expression or of the innermost open bracket;
 * trailing comments of consecutive lines aligned two columns past the
 * longest line. Widths count display columns, so a Chinese character
 * takes two.
 *
 * Ownership: fmt_text returns a malloc'ed string the caller frees. Out
 * of memory exits with status 4, as everywhere in the compiler. */
#ifndef ECORULE_FMT_H
#define ECORULE_FMT_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "source.h"

typedef enum fmt_mode {
	FMT_PRINT,   /* write the canonical text to `out` */
	FMT_WRITE,   /* rewrite the file in place when it changes */
	FMT_CHECK    /* name the file on `out` when it is not canonical */
} fmt_mode;

/* Results of fmt_file. */
enum {
	FMT_OK = 0,
	FMT_SYNTAX_ERROR = 1,  /* the file does not parse; diagnostics went to `err` */
	FMT_UNFORMATTED = 2,   /* FMT_CHECK only: the file is not canonical */
	FMT_IO_ERROR = 3       /* the file could not be read or written */
};

/* Format file `file` of the source table. Returns the canonical text, or
 * NULL when the file has syntax errors (reported to `diags`). */
char *fmt_source(src_table *sources, uint32_t file, diag_list *diags);

/* Format the text `text`, registered under `path`; syntax errors are
 * printed to `err` when it is not NULL. Returns NULL on syntax errors. */
char *fmt_text(const char *path, const char *text, FILE *err);

/* Replace the file at `path` with `text` atomically: write a temporary
 * file in the same folder with the file's permission bits, sync it, and
 * rename it over the file (over the file a symbolic link points at,
 * keeping the link). On any error the file is unchanged, no temporary
 * file is left, and the message goes to `err`. Returns 0 or -1. */
int fmt_write_file(const char *path, const char *text, FILE *err);

/* Format the file at `path` in the way `mode` selects; messages go to `err`. */
int fmt_file(const char *path, fmt_mode mode, FILE *out, FILE *err);

#endif
