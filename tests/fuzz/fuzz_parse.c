/* libFuzzer harness for the front end: arbitrary bytes as one .rule file
 * go through the scanner, the parser, the checker and the code generator.
 * Whatever the compiler accepts must load, verify, disassemble and
 * evaluate, so a rejected or crashing compiled program is a failure. */
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "diag.h"
#include "ecorule.h"
#include "fuzz_common.h"
#include "parse.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Scan the input on its own, as the token tests do, so that scanner
 * states the parser never reaches (after a syntax error) are covered. */
static void scan_tokens(const uint8_t *data, size_t size)
{
	ast_arena *arena = ast_arena_new();
	src_table *sources = src_table_new();
	diag_list diags;
	parse_token *tokens;
	uint32_t index;

	diag_list_init(&diags);
	index = src_add(sources, "fuzz.rule", (const char *)data, size);
	parse_tokens(arena, sources, index, &diags, &tokens);
	diag_list_free(&diags);
	src_table_free(sources);
	ast_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *bytes;
	size_t bytecode_size;
	er_program *program;
	er_record *record;
	er_error err;

	scan_tokens(data, size);
	if (fuzz_compile("fuzz.rule", (const char *)data, size, fuzz_sink(), 1, &bytes,
			 &bytecode_size) != 0)
		return 0;

	program = er_program_load(bytes, bytecode_size, &err);
	free(bytes);
	if (program == NULL) {
		fprintf(stderr, "fuzz_parse: rulec accepted the input but its bytecode does not load: %s\n",
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
