/* rulec doc: renders a checked rule set back into the form of an
 * admission list (生态环境准入清单), as Markdown or as one self-contained
 * HTML page. Requirements are grouped into the general requirements
 * (rules without a scope), the requirements of a class or county scope,
 * and each control unit's own requirements, each part by dimension.
 * Conditions, exceptions and computed values are written out in words
 * of the message language, with fact labels in place of paths.
 *
 * Ownership: doc_render borrows the driver and doc_render_program the
 * program; the output is written to `out` as it is produced. Out of
 * memory exits with status 4, as everywhere in the compiler. */
#ifndef ECORULE_DOC_H
#define ECORULE_DOC_H

#include <stdio.h>

#include "driver.h"
#include "ecorule.h"

typedef enum doc_format { DOC_MARKDOWN, DOC_HTML } doc_format;

/* Render the rule set that `dr` has loaded and built without errors.
 * `main_path` is the main file as given on the command line; source
 * positions are printed relative to its folder. Returns 0, or -1 when
 * writing to `out` failed. */
int doc_render(const driver *dr, const char *main_path, doc_format format, FILE *out);

/* Render the verified bytecode program `program` loaded from `path` in
 * the same form. Conditions, exceptions and computed values are
 * decompiled from the code, so they read as the code computes them, not
 * as the source wrote them. Returns 0, or -1 when writing failed. */
int doc_render_program(const er_program *program, const char *path, doc_format format, FILE *out);

#endif
