/* The front end's driver: run the scanner and parser over a source file,
 * split messages into interpolated parts, and resolve import paths. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parser.h"
#include "lexer.h"
#include "i18n.h"

static void parse_out_of_memory(void)
{
	ast_out_of_memory();
}

/* Set up ctx and a scanner over text (len bytes), which starts at `pos`
 * and byte `offset` of file `file`. */
static void parse_begin(parse_ctx *ctx, ast_arena *arena, src_table *sources, diag_list *diags,
			uint32_t file, const char *text, size_t len, src_pos pos, size_t offset)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->arena = arena;
	ctx->sources = sources;
	ctx->diags = diags;
	ctx->file = file;
	ctx->pos = pos;
	ctx->offset = offset;
	yyscan_t scanner;
	if (lexlex_init_extra(ctx, &scanner) != 0)
		parse_out_of_memory();
	ctx->scanner = scanner;
	lex_scan_bytes(text, (int)len, scanner);
}

static void parse_end(parse_ctx *ctx)
{
	lexlex_destroy(ctx->scanner);
	ctx->scanner = NULL;
}

/* Report a file larger than SRC_MAX_FILE_BYTES, or else its first
 * malformed UTF-8 byte; returns 0 when the file can be scanned. */
static int parse_check_input(src_table *sources, uint32_t file, diag_list *diags)
{
	size_t size;
	const char *text = src_text(sources, file, &size);
	if (size > SRC_MAX_FILE_BYTES) {
		diag_error(diags, DIAG_E0015, diag_span_at((src_pos){ file, 1, 1 }),
			   "file '%s' is larger than %u bytes (64 MiB), the limit for a rule file; "
			   "split it with import",
			   src_path(sources, file), SRC_MAX_FILE_BYTES);
		return -1;
	}
	size_t bad = src_utf8_check(text, size);
	if (bad == SRC_UTF8_OK)
		return 0;
	src_span span = diag_span_at(src_pos_at(sources, file, bad));
	diag_error(diags, DIAG_E0002, span,
		   "invalid UTF-8 byte 0x%02X at byte offset %zu; save the file as UTF-8",
		   (unsigned)(unsigned char)text[bad], bad);
	return -1;
}

ast_file *parse_file(ast_arena *arena, src_table *sources, uint32_t file_index, diag_list *diags)
{
	ast_file *file = ast_alloc(arena, sizeof *file);
	file->file = file_index;
	if (parse_check_input(sources, file_index, diags) != 0)
		return file;

	size_t size;
	const char *text = src_text(sources, file_index, &size);
	parse_ctx ctx;
	src_pos start = { file_index, 1, 1 };
	parse_begin(&ctx, arena, sources, diags, file_index, text, size, start, 0);
	ctx.result = file;
	ctx.start_token = START_FILE;
	yyparse(&ctx);
	parse_end(&ctx);
	return file;
}

ast_file *parse_string(ast_arena *arena, src_table *sources, const char *path, const char *text,
		       diag_list *diags)
{
	uint32_t index = src_add(sources, path, text, strlen(text));
	return parse_file(arena, sources, index, diags);
}

ast_file *parse_load(ast_arena *arena, src_table *sources, const char *path, src_span import_span,
		     diag_list *diags)
{
	uint32_t index = src_find(sources, path);
	if (index == SRC_NONE && src_load(sources, path, &index) != 0) {
		diag_error(diags, DIAG_E0011, import_span, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	return parse_file(arena, sources, index, diags);
}

size_t parse_tokens(ast_arena *arena, src_table *sources, uint32_t file_index, diag_list *diags,
		    parse_token **tokens)
{
	*tokens = NULL;
	if (parse_check_input(sources, file_index, diags) != 0)
		return 0;
	size_t size;
	const char *text = src_text(sources, file_index, &size);
	parse_ctx ctx;
	src_pos start = { file_index, 1, 1 };
	parse_begin(&ctx, arena, sources, diags, file_index, text, size, start, 0);

	/* The list grows in *tokens too, so that it stays reachable when an
	 * allocation fails and the compiler exits (LeakSanitizer checks). */
	size_t count = 0, cap = 64;
	parse_token *list = *tokens = malloc(cap * sizeof *list);
	if (list == NULL)
		parse_out_of_memory();
	for (;;) {
		YYSTYPE value;
		YYLTYPE location;
		memset(&value, 0, sizeof value);
		int kind = lexlex(&value, &location, ctx.scanner);
		if (kind == 0)
			break;
		if (count == cap) {
			cap *= 2;
			parse_token *grown = realloc(list, cap * sizeof *list);
			if (grown == NULL)
				parse_out_of_memory();
			list = *tokens = grown;
		}
		parse_token *token = &list[count++];
		memset(token, 0, sizeof *token);
		token->kind = kind;
		token->span = location;
		switch (kind) {
		case IDENT: case PATH: case UNIT_ATTR: case COUNTY_ATTR:
		case NUMBER: case RULE_ID: case UNIT_NAME:
			token->text = value.text;
			break;
		case QUANTITY:
			token->text = value.qty.digits;
			token->unit = value.qty.unit;
			break;
		case DATE:
			token->date = value.date;
			break;
		case STRING:
			token->text = value.str.text;
			break;
		default:
			break;
		}
	}
	parse_end(&ctx);
	parse_token *copy = ast_alloc(arena, (count ? count : 1) * sizeof *copy);
	if (count > 0)
		memcpy(copy, list, count * sizeof *list);
	free(list);
	*tokens = copy;
	return count;
}

char *parse_decode_string(parse_ctx *ctx, const char *raw, size_t len, src_pos pos, int report)
{
	char *out = ast_alloc(ctx->arena, len + 1);
	size_t n = 0;
	src_pos at = pos;
	for (size_t i = 0; i < len; i++) {
		char c = raw[i];
		if (c == '\\' && i + 1 < len) {
			char decoded;
			switch (raw[i + 1]) {
			case '"': decoded = '"'; break;
			case '\\': decoded = '\\'; break;
			case 'n': decoded = '\n'; break;
			case 't': decoded = '\t'; break;
			case '{': decoded = '{'; break;
			case '}': decoded = '}'; break;
			default: decoded = 0; break;
			}
			if (decoded != 0) {
				out[n++] = decoded;
				i++;
				at.col += 2;
				continue;
			}
			if (report) {
				uint32_t cp = 0;
				size_t clen = src_utf8_decode(raw + i + 1, len - i - 1, &cp);
				src_span span = { at, at };
				span.end.col += 2;
				diag_error(ctx->diags, DIAG_E0005, span,
					   "invalid escape '\\%.*s' in string; write '\\\\' for a backslash",
					   (int)(clen ? clen : 1), raw + i + 1);
			}
		}
		out[n++] = c;
		if (((unsigned char)c & 0xC0) != 0x80)
			at.col++;
	}
	out[n] = '\0';
	return out;
}

/* Parse one interpolated expression that sits at `pos` and byte `offset`
 * of the file; NULL after a syntax error, which is reported. */
static ast_expr *parse_interpolation(parse_ctx *outer, const char *text, size_t len, src_pos pos,
				     size_t offset)
{
	parse_ctx ctx;
	parse_begin(&ctx, outer->arena, outer->sources, outer->diags, outer->file, text, len, pos, offset);
	ctx.start_token = START_EXPR;
	ctx.in_interpolation = 1;
	int status = yyparse(&ctx);
	parse_end(&ctx);
	return status == 0 ? ctx.expr_result : NULL;
}

static ast_list *parse_add_text_part(parse_ctx *ctx, ast_list *parts, const char *raw, size_t len,
				     src_pos pos)
{
	if (len == 0)
		return parts;
	ast_message_part *part = ast_alloc(ctx->arena, sizeof *part);
	part->text = parse_decode_string(ctx, raw, len, pos, 0);
	return ast_list_append(ctx->arena, parts, part);
}

static src_pos parse_pos_after(src_pos pos, const char *text, size_t len)
{
	pos.col += (uint32_t)src_utf8_length(text, len);
	return pos;
}

ast_list *parse_message_parts(parse_ctx *ctx, const parse_str *message)
{
	const char *raw = message->raw;
	size_t len = message->raw_len;
	ast_list *parts = NULL;
	size_t literal = 0; /* start of the pending literal text */
	size_t i = 0;
	while (i < len) {
		if (raw[i] == '\\') {
			i += i + 1 < len ? 2 : 1;
			continue;
		}
		if (raw[i] == '}') {
			src_span span = diag_span_at(parse_pos_after(message->raw_pos, raw, i));
			diag_error(ctx->diags, DIAG_E0013, span,
				   "unmatched '}' in message; write '\\}' for a literal brace");
			i++;
			continue;
		}
		if (raw[i] != '{') {
			i++;
			continue;
		}
		/* Find the matching brace; set literals may nest inside.
		 * NOTE: the expression is parsed from the raw text, so a string
		 * literal inside {...} cannot contain a quote or a brace. */
		size_t close = i + 1;
		int depth = 1;
		for (; close < len; close++) {
			if (raw[close] == '{')
				depth++;
			else if (raw[close] == '}' && --depth == 0)
				break;
		}
		src_pos open_pos = parse_pos_after(message->raw_pos, raw, i);
		if (close >= len) {
			diag_error(ctx->diags, DIAG_E0013, diag_span_at(open_pos),
				   "unclosed '{' in message; write '\\{' for a literal brace");
			break;
		}
		parts = parse_add_text_part(ctx, parts, raw + literal, i - literal,
					    parse_pos_after(message->raw_pos, raw, literal));
		size_t start = i + 1;
		size_t blank = start;
		while (blank < close && (raw[blank] == ' ' || raw[blank] == '\t'))
			blank++;
		if (blank == close) {
			src_span span = { open_pos, parse_pos_after(open_pos, raw + i, close + 1 - i) };
			diag_error(ctx->diags, DIAG_E0013, span,
				   "empty '{}' in message; put an expression inside or write '\\{\\}'");
		} else {
			src_pos expr_pos = open_pos;
			expr_pos.col++;
			ast_expr *expr = parse_interpolation(ctx, raw + start, close - start, expr_pos,
							     message->raw_offset + start);
			if (expr != NULL) {
				ast_message_part *part = ast_alloc(ctx->arena, sizeof *part);
				part->expr = expr;
				parts = ast_list_append(ctx->arena, parts, part);
			}
		}
		i = close + 1;
		literal = i;
	}
	parts = parse_add_text_part(ctx, parts, raw + literal, len - literal,
				    parse_pos_after(message->raw_pos, raw, literal));
	return parts;
}

ast_list *parse_import_paths(ast_arena *arena, const src_table *sources, const ast_file *file)
{
	ast_list *imports = NULL;
	const char *importer = src_path(sources, file->file);
	for (const ast_list *node = file->decls; node != NULL; node = node->next) {
		const ast_decl *decl = node->item;
		if (decl->kind != DECL_IMPORT)
			continue;
		ast_ident *ident = ast_alloc(arena, sizeof *ident);
		ident->text = parse_resolve_path(arena, importer, decl->as.import_path);
		ident->span = decl->span;
		imports = ast_list_append(arena, imports, ident);
	}
	return imports;
}

char *parse_resolve_path(ast_arena *arena, const char *importer, const char *path)
{
	/* Join: the importer's folder, then the path. */
	size_t folder = 0;
	if (path[0] != '/') {
		const char *slash = strrchr(importer, '/');
		if (slash != NULL)
			folder = (size_t)(slash - importer) + 1;
	}
	size_t path_len = strlen(path);
	char *joined = ast_alloc(arena, folder + path_len + 1);
	memcpy(joined, importer, folder);
	memcpy(joined + folder, path, path_len + 1);

	/* Normalise in place: segment by segment, dropping "." and empty
	 * segments, and letting ".." remove the segment before it. */
	int absolute = joined[0] == '/';
	char *out = ast_alloc(arena, strlen(joined) + 2);
	size_t n = 0;
	size_t removable = 0; /* segments in out that ".." may remove */
	if (absolute)
		out[n++] = '/';
	const char *p = joined;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		const char *end = p;
		while (*end != '\0' && *end != '/')
			end++;
		size_t seg = (size_t)(end - p);
		if (seg == 0 || (seg == 1 && p[0] == '.')) {
			/* Nothing to keep. */
		} else if (seg == 2 && p[0] == '.' && p[1] == '.' && removable > 0) {
			/* Remove the last kept segment and its slash. */
			while (n > (size_t)absolute && out[n - 1] != '/')
				n--;
			if (n > (size_t)absolute)
				n--;
			removable--;
		} else if (seg == 2 && p[0] == '.' && p[1] == '.' && absolute) {
			/* "/.." is "/". */
		} else {
			if (n > (size_t)absolute)
				out[n++] = '/';
			memcpy(out + n, p, seg);
			n += seg;
			if (!(seg == 2 && p[0] == '.' && p[1] == '.'))
				removable++;
		}
		p = end;
	}
	if (n == 0)
		out[n++] = '.';
	out[n] = '\0';
	return out;
}
