/* The checker: resolves names, computes static types with units, checks
 * rule structure and reference data, and builds the model.
 *
 * Ownership: check_rule_set borrows the parsed files and the diagnostics
 * list. The AST arena must outlive the model, because the model borrows
 * its strings and the checker writes types and resolved names into the
 * AST's expressions. */
#ifndef ECORULE_CHECKER_H
#define ECORULE_CHECKER_H

#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "model.h"

/* Check the declarations of all files, in order, as one rule set, and
 * fill `m` (initialized by the caller). Reports every error to `d` and
 * returns how many errors were reported. */
size_t check_rule_set(ast_file *const *files, size_t file_count, model *m, diag_list *d);

#endif
