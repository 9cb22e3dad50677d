/* libFuzzer harness for the whole compiler: arbitrary bytes as one .rule
 * file are parsed, checked, linted and compiled to bytecode, and the
 * bytecode is handed to the runtime's loader.
 *
 * A bytecode file that rulec writes always verifies: when the compiler
 * reports no error but the loader rejects its output, the harness aborts.
 * A program that loads is disassembled and evaluated on an empty record. */
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "driver.h"
#include "ecorule.h"
#include "emit.h"
#include "fuzz_common.h"
#include "lint.h"
#include "parse.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compile the input as the driver does, lint it when it has no errors,
 * and return the error count; *bytes receives the bytecode when it is 0. */
static size_t compile_and_lint(const uint8_t *data, size_t size, uint8_t **bytes,
			       size_t *bytecode_size)
{
	driver dr;
	ast_file *file;
	uint32_t index;
	size_t errors;

	*bytes = NULL;
	*bytecode_size = 0;
	driver_init(&dr);
	index = src_add(dr.sources, "fuzz.rule", (const char *)data, size);
	file = parse_file(dr.arena, dr.sources, index, &dr.diags);
	parse_import_paths(dr.arena, dr.sources, file);
	*MODEL_PUSH(dr.files) = file;
	errors = driver_build(&dr);
	if (errors == 0) {
		lint_rule_set(&dr);
		emit_bytes(&dr.m, bytes, bytecode_size);
	}
	diag_print_text(&dr.diags, dr.sources, fuzz_sink());
	driver_free(&dr);
	return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *bytes;
	size_t bytecode_size;
	er_program *program;
	er_record *record;
	er_error err;

	if (compile_and_lint(data, size, &bytes, &bytecode_size) != 0)
		return 0;

	program = er_program_load(bytes, bytecode_size, &err);
	free(bytes);
	if (program == NULL) {
		fprintf(stderr, "fuzz_compile: rulec accepted the input but its bytecode does not load: %s\n",
			err.message);
		abort();
	}
	er_program_disassemble(program, fuzz_sink());
	record = er_record_new(program);
	if (record != NULL) {
		fuzz_evaluate(program, record);
		er_record_free(record);
	}
	er_program_free(program);
	return 0;
}
