/* Shared by the fuzz harnesses: the rule set the fact readers run
 * against, a sink for disassembly and diagnostics, and one evaluation
 * pass that formats every result.
 *
 * Ownership: fuzz_program and fuzz_sink return objects that live until
 * the process exits; callers must not free them. */
#ifndef ECORULE_FUZZ_COMMON_H
#define ECORULE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ecorule.h"
#include "facts.h"

/* The program compiled from the rule set embedded in fuzz_common.c, or
 * from the .rule file named by the environment variable
 * ECORULE_FUZZ_RULES when it is set (its imports are read from disk).
 * The rule set is compiled on the first call. When it does not compile
 * or load, the call prints why and aborts, because every input would
 * otherwise be tested against nothing. */
const er_program *fuzz_program(void);

/* The embedded rule set, as .rule source text. */
extern const char fuzz_rules_text[];

/* A stream that discards what is written to it (/dev/null); aborts when
 * it cannot be opened. */
FILE *fuzz_sink(void);

/* Evaluate `record` on three dates (before, inside and after the date
 * ranges of the embedded rules) and format every rule's message and
 * every value into the sink. Aborts when the VM reports anything but
 * ER_OK or ER_E_NOMEM, since er_eval promises only those. */
void fuzz_evaluate(const er_program *program, const er_record *record);

/* Read `data` as fact records of `format` against fuzz_program(),
 * evaluating each valid record and printing every error message of an
 * invalid one into the sink, so that ASan catches a message without its
 * terminating NUL. A leading control byte other than white space selects
 * the encoding (automatic, UTF-8, GB18030), a UTF-8 byte-order mark and
 * JSON Lines; see choose_options in fuzz_common.c. */
void fuzz_read_facts(const uint8_t *data, size_t size, facts_format format, const char *name);

/* Compile .rule source text held in memory (no imports are followed)
 * into bytecode. Returns the number of errors. When it is 0, *bytes and
 * *bytecode_size receive a malloc'ed bytecode file the caller frees.
 * Diagnostics are printed to `diagnostics` when it is not NULL, as text
 * and, when `all_formats` is set, also as JSON and SARIF. */
size_t fuzz_compile(const char *path, const char *text, size_t size, FILE *diagnostics,
		    int all_formats, uint8_t **bytes, size_t *bytecode_size);

#endif
