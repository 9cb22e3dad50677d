/* The driver: loads a rule set (the main file and every file it imports,
 * each once), then checks it and generates its code into a model.
 *
 * Ownership: a driver owns its arena, source table, diagnostics, parsed
 * files and model; driver_free releases them all. */
#ifndef ECORULE_DRIVER_H
#define ECORULE_DRIVER_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "model.h"
#include "source.h"

typedef struct driver {
	ast_arena *arena;
	src_table *sources;
	diag_list diags;
	MODEL_VEC(ast_file *) files; /* imports before their importers */
	model m;
} driver;

void driver_init(driver *dr);
void driver_free(driver *dr);

/* Parse the file at `path` and, transitively, its imports, each path
 * relative to the importing file. An unreadable import is reported at the
 * import's span. Returns 0, or -1 when the main file cannot be read
 * (reported as E0011 with no location). */
int driver_load_file(driver *dr, const char *path);
/* The same for a main file given in memory under the name `path`; its
 * imports are read from disk relative to `path`. */
int driver_load_string(driver *dr, const char *path, const char *text);

/* Check the loaded files and generate code into dr->m. Returns the
 * number of errors in dr->diags, syntax errors included; when it is not
 * zero, the model must not be written. */
size_t driver_build(driver *dr);

#endif
