/* The bytecode writer: serializes a checked and generated model into the
 * file format of runtime/bytecode.h.
 *
 * Ownership: emit_bytes returns a malloc'ed buffer the caller frees. */
#ifndef ECORULE_EMIT_H
#define ECORULE_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Serialize the model (after gen_program) into *out and *size. */
void emit_bytes(const model *m, uint8_t **out, size_t *size);

/* Write the bytecode file to `path` through a temporary file in the same
 * directory, renamed over `path` only once it is complete. Returns 0, or
 * -1 with errno set; on failure `path` is left as it was. */
int emit_file(const model *m, const char *path);

#endif
