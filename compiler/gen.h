/* The code generator: one code fragment per rule condition, ensure
 * clause, message part and let, appended to the model's CODE section.
 *
 * Ownership: gen_program borrows the model and the diagnostics list and
 * writes its results into the model. */
#ifndef ECORULE_GEN_H
#define ECORULE_GEN_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

/* Generate the code of every rule of a model the checker accepted. Sets
 * each rule's code offsets and facts read, and the model's max_stack.
 * Reports a fragment deeper than BC_MAX_STACK, a jump past 65535 bytes or
 * a table index past 65535 to `d`; returns the number of such errors. */
size_t gen_program(model *m, diag_list *d);

#endif
