/* libFuzzer harness for the front end's first stages: arbitrary bytes as
 * one .rule file go through the scanner on its own, then through the
 * scanner and the parser, and the diagnostics are printed as text, JSON
 * and SARIF. fuzz_compile runs the later stages. */
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "diag.h"
#include "fuzz_common.h"
#include "parse.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ast_arena *arena = ast_arena_new();
	src_table *sources = src_table_new();
	diag_list diags;
	parse_token *tokens;
	ast_file *file;
	uint32_t index;

	diag_list_init(&diags);
	index = src_add(sources, "fuzz.rule", (const char *)data, size);

	/* The token scan covers scanner states the parser never reaches
	 * after a syntax error. */
	parse_tokens(arena, sources, index, &diags, &tokens);
	file = parse_file(arena, sources, index, &diags);
	/* Resolving import paths reads nothing, so it is safe on any input. */
	parse_import_paths(arena, sources, file);

	diag_print_text(&diags, sources, fuzz_sink());
	diag_print_json(&diags, sources, fuzz_sink());
	diag_print_sarif(&diags, sources, fuzz_sink());
	diag_list_free(&diags);
	src_table_free(sources);
	ast_arena_free(arena);
	return 0;
}
