/* Loading a rule set across its imports, then checking and generating. */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "gen.h"
#include "parse.h"

void driver_init(driver *dr)
{
	memset(dr, 0, sizeof *dr);
	dr->arena = ast_arena_new();
	dr->sources = src_table_new();
	diag_list_init(&dr->diags);
	model_init(&dr->m);
}

void driver_free(driver *dr)
{
	model_free(&dr->m);
	free(dr->files.items);
	diag_list_free(&dr->diags);
	src_table_free(dr->sources);
	ast_arena_free(dr->arena);
	memset(dr, 0, sizeof *dr);
}

/* Parse the imports of `file`, depth first, and then list `file` itself,
 * so that a file's declarations come after those of the files it
 * imports and "first declared here" points into the imported file. A file
 * already in the source table is not read again, so cycles end. */
static void load_tree(driver *dr, ast_file *file)
{
	ast_list *paths = parse_import_paths(dr->arena, dr->sources, file);
	for (ast_list *l = paths; l; l = l->next) {
		const ast_ident *import = l->item;
		if (src_find(dr->sources, import->text) != SRC_NONE)
			continue;
		ast_file *imported = parse_load(dr->arena, dr->sources, import->text, import->span, &dr->diags);
		if (imported)
			load_tree(dr, imported);
	}
	*MODEL_PUSH(dr->files) = file;
}

int driver_load_file(driver *dr, const char *path)
{
	src_span none;
	memset(&none, 0, sizeof none);
	ast_file *file = parse_load(dr->arena, dr->sources, path, none, &dr->diags);
	if (!file)
		return -1;
	load_tree(dr, file);
	return 0;
}

int driver_load_string(driver *dr, const char *path, const char *text)
{
	load_tree(dr, parse_string(dr->arena, dr->sources, path, text, &dr->diags));
	return 0;
}

size_t driver_build(driver *dr)
{
	for (size_t i = 0; i < src_count(dr->sources); i++)
		*MODEL_PUSH(dr->m.sources) = src_path(dr->sources, (uint32_t)i);

	/* Syntax errors leave holes in the tree (a rule without the title
	 * that failed to parse), so checking it would report errors that
	 * only follow from them. */
	if (diag_error_count(&dr->diags) != 0)
		return diag_error_count(&dr->diags);
	check_rule_set(dr->files.items, dr->files.count, &dr->m, &dr->diags);
	if (diag_error_count(&dr->diags) == 0)
		gen_program(&dr->m, &dr->diags);
	return diag_error_count(&dr->diags);
}
