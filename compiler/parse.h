/* The front end's entry points: parse a .rule file or string into an
 * ast_file, list its imports, and (for tests) list its tokens.
 *
 * Ownership: every node, string and list the parser returns lives in the
 * arena passed in. The source table and diagnostics list are borrowed;
 * parse_string registers its text in the table, which copies it. */
#ifndef ECORULE_PARSE_H
#define ECORULE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "source.h"

/* Parse file `file_index` of the source table. Syntax errors go to diags,
 * and the returned file contains every declaration that parsed (possibly
 * none). A file that is not UTF-8 gets one E0002 diagnostic and no
 * declarations. Never returns NULL. */
ast_file *parse_file(ast_arena *arena, src_table *sources, uint32_t file_index,
		     diag_list *diags);
/* Register `text` under `path` in the table and parse it. */
ast_file *parse_string(ast_arena *arena, src_table *sources, const char *path,
		       const char *text, diag_list *diags);

/* Read `path` into the table, unless it is there already, and parse it.
 * When the file cannot be read, report E0011 at `import_span` and return
 * NULL. Pass a zero span for a file named on the command line. */
ast_file *parse_load(ast_arena *arena, src_table *sources, const char *path,
		     src_span import_span, diag_list *diags);

/* The imports of a parsed file, in order, as ast_ident items whose text is
 * the path resolved against the importing file's folder and whose span is
 * the import declaration. Returns NULL when the file imports nothing. */
ast_list *parse_import_paths(ast_arena *arena, const src_table *sources,
			     const ast_file *file);
/* Join `path` to the folder of `importer` unless it is absolute, and
 * remove "." and "dir/.." segments, so that one file always gets the same
 * path however it is reached (symbolic links are not followed). */
char *parse_resolve_path(ast_arena *arena, const char *importer, const char *path);

/* One token, for tests of the scanner. `kind` is a token number from the
 * generated parser.h (KW_RULE, IDENT, QUANTITY, ...). */
typedef struct parse_token {
	int kind;
	src_span span;
	const char *text;  /* identifier, path, digits, decoded string, unit spelling */
	const char *unit;  /* QUANTITY: the unit as written */
	int32_t date;      /* DATE: days since 1970-01-01 */
} parse_token;

/* Scan file `file_index` to the end; sets *tokens to an arena array and
 * returns the number of tokens, the end of file not counted. */
size_t parse_tokens(ast_arena *arena, src_table *sources, uint32_t file_index,
		    diag_list *diags, parse_token **tokens);

/* ---- Shared by grammar/lexer.l, grammar/parser.y and parse.c only ---- */

/* A string token: its decoded text and where its raw contents (between
 * the quotes, escapes not decoded) lie, for splitting a message. */
typedef struct parse_str {
	const char *text;
	const char *raw;
	size_t raw_len;
	src_pos raw_pos;
	size_t raw_offset;
} parse_str;

typedef struct parse_qty {
	const char *digits;
	const char *unit;
} parse_qty;

/* State of one scan and parse. `scanner` is the flex scanner (yyscan_t). */
typedef struct parse_ctx {
	ast_arena *arena;
	src_table *sources;
	diag_list *diags;
	uint32_t file;
	void *scanner;

	/* Scanner: the position and byte offset of the next character, and
	 * of the token being matched. */
	src_pos pos;
	size_t offset;
	src_pos token_pos;
	size_t token_offset;
	int start_token;       /* returned before the first real token */
	int in_interpolation;  /* scanning a {expr} of a message */
	/* The token returned last (the lookahead when a syntax error is
	 * found), and where its text lies in the file, for messages. */
	int last_token;
	src_span last_span;
	size_t last_offset, last_len;

	/* Parser. */
	ast_file *result;
	ast_list *decls_tail;
	ast_expr *expr_result;
	ast_rule *rule;        /* the rule being parsed, or NULL */
	src_span rule_open;    /* its `rule ID {` */
	src_span title_span, when_span, ensure_span;
	const char *block_kind; /* "unit" or "county" while in its block */
	const char *block_name;
	src_span block_open;
	int depth_reported;    /* E0014 was reported for this file */
} parse_ctx;

/* The deepest expression the parser builds. Every later pass (checker,
 * linter, code generator, formatter) recurses over expressions, so this
 * bound keeps their stack use small; deeper nesting is reported as
 * E0014. Changing it means changing the E0014 explanation too. */
#define PARSE_MAX_DEPTH 256

/* The maximum length of a string literal, in bytes between the quotes
 * (E0016). */
#define PARSE_MAX_STRING_BYTES 65535

/* Decode the escapes of a string's raw contents into the arena. Invalid
 * escapes are reported (when `report`) at their place, which `pos` gives
 * for raw[0], and kept as written. */
char *parse_decode_string(parse_ctx *ctx, const char *raw, size_t len, src_pos pos, int report);
/* Split a verdict's message into literal parts and interpolated
 * expressions, each parsed in place; errors are reported where the
 * expression text sits in the file. */
ast_list *parse_message_parts(parse_ctx *ctx, const parse_str *message);

#endif
