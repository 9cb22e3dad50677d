/* The formatter: re-lays out a file's tokens, declaration by declaration,
 * with the comments the scanner skips put back by position. The parse
 * gives the declarations and fields; the tokens give every keyword as
 * written, so English and Chinese spellings survive. */
#include "fmt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "model.h"
#include "parse.h"
#include "parser.h"

/* Unit and county field names are padded to this many columns. */
#define FMT_FIELD_WIDTH 9

typedef struct fmt_comment {
	size_t begin, end;     /* bytes of "# ..." without the line end */
	uint32_t line;
	int trailing;          /* a token precedes it on its line */
} fmt_comment;

typedef struct fmt_line {
	char *code;            /* indentation and tokens, or an own-line comment */
	size_t code_len;
	const char *comment;   /* a trailing comment, borrowed from the source */
	size_t comment_len;
	int blank;
} fmt_line;

typedef struct fmt {
	const char *text;
	size_t size;
	const src_table *sources;
	uint32_t file;
	parse_token *tokens;
	size_t token_count;
	size_t *begin, *end;   /* byte offsets of each token */
	MODEL_VEC(size_t) line_starts;
	MODEL_VEC(fmt_comment) comments;
	size_t next_comment;

	MODEL_VEC(fmt_line) lines;
	MODEL_VEC(char) cur;   /* the line being built */
	size_t cur_indent;     /* its indentation, in columns */
	const char *cur_comment;
	size_t cur_comment_len;
	int block_start;       /* nothing emitted yet in the current block */
	int pending_break;     /* the next token starts a new line */
	size_t prev_token;     /* last token emitted, or SIZE_MAX */
	MODEL_VEC(size_t) cont; /* continuation columns of open brackets */
} fmt;

/* ---- Text helpers ---- */

static size_t display_width(const char *s, size_t len)
{
	size_t width = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = src_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			cp = '?';
		}
		width += (size_t)src_char_width(cp);
		i += n;
	}
	return width;
}

static void cur_append(fmt *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		*MODEL_PUSH(f->cur) = s[i];
}

static void cur_spaces(fmt *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*MODEL_PUSH(f->cur) = ' ';
}

static size_t cur_width(const fmt *f)
{
	return display_width(f->cur.items, f->cur.count);
}

/* Whether the current line contains more than its indentation. */
static int cur_has_code(const fmt *f)
{
	return f->cur.count > f->cur_indent;
}

/* Finish the current line, if it has anything, and start one indented
 * by `indent` columns. */
static void new_line(fmt *f, size_t indent)
{
	if (cur_has_code(f) || f->cur_comment) {
		size_t len = f->cur.count;
		while (len > 0 && f->cur.items[len - 1] == ' ')
			len--;
		fmt_line *line = MODEL_PUSH(f->lines);
		line->code = model_xmalloc(len + 1);
		memcpy(line->code, f->cur.items, len);
		line->code[len] = '\0';
		line->code_len = len;
		line->comment = f->cur_comment;
		line->comment_len = f->cur_comment_len;
	}
	f->cur.count = 0;
	f->cur_comment = NULL;
	cur_spaces(f, indent);
	f->cur_indent = indent;
	f->pending_break = 0;
}

static void blank_line(fmt *f)
{
	if (f->lines.count == 0 || f->lines.items[f->lines.count - 1].blank)
		return;
	MODEL_PUSH(f->lines)->blank = 1;
}

/* ---- Positions ---- */

static size_t offset_of(const fmt *f, src_pos pos)
{
	if (pos.line == 0 || pos.line > f->line_starts.count)
		return f->size;
	size_t at = f->line_starts.items[pos.line - 1];
	for (uint32_t col = 1; col < pos.col && at < f->size && f->text[at] != '\n'; col++) {
		at++;
		while (at < f->size && ((unsigned char)f->text[at] & 0xC0) == 0x80)
			at++;
	}
	return at;
}

/* Whether source line `line` holds only white space. */
static int line_is_blank(const fmt *f, uint32_t line)
{
	if (line == 0 || line > f->line_starts.count)
		return 0;
	for (size_t i = f->line_starts.items[line - 1]; i < f->size && f->text[i] != '\n'; i++)
		if (f->text[i] != ' ' && f->text[i] != '\t' && f->text[i] != '\r')
			return 0;
	return 1;
}

/* The first token at or after byte `offset`. */
static size_t token_at(const fmt *f, size_t offset)
{
	size_t lo = 0, hi = f->token_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->begin[mid] < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Collect the comments: each '#' in the gaps between tokens runs to the
 * end of its line. */
static void find_comments(fmt *f)
{
	size_t gap = 0;
	for (size_t t = 0; t <= f->token_count; t++) {
		size_t stop = t < f->token_count ? f->begin[t] : f->size;
		for (size_t i = gap; i < stop; i++) {
			if (f->text[i] != '#')
				continue;
			size_t e = i;
			while (e < f->size && f->text[e] != '\n')
				e++;
			size_t end = e;
			while (end > i && (f->text[end - 1] == '\r' || f->text[end - 1] == ' ' || f->text[end - 1] == '\t'))
				end--;
			fmt_comment *c = MODEL_PUSH(f->comments);
			c->begin = i;
			c->end = end;
			c->line = src_pos_at(f->sources, f->file, i).line;
			c->trailing = t > 0 && f->tokens[t - 1].span.end.line == c->line;
			i = e;
		}
		if (t < f->token_count)
			gap = f->end[t];
	}
}

/* ---- Comments and line starts ---- */

/* Emit the comments before byte `offset`: trailing ones at the end of the
 * current line, own-line ones on lines of their own at `indent`. Blank
 * lines before own-line comments are kept when `blanks` is set. After a
 * comment, the next token starts a new line. */
static void flush_comments(fmt *f, size_t offset, size_t indent, int blanks)
{
	while (f->next_comment < f->comments.count && f->comments.items[f->next_comment].begin < offset) {
		const fmt_comment *c = &f->comments.items[f->next_comment++];
		if (c->trailing && cur_has_code(f) && !f->cur_comment) {
			f->cur_comment = f->text + c->begin;
			f->cur_comment_len = c->end - c->begin;
		} else {
			new_line(f, indent);
			if (blanks && !f->block_start && line_is_blank(f, c->line - 1))
				blank_line(f);
			cur_append(f, f->text + c->begin, c->end - c->begin);
			new_line(f, indent);
			f->block_start = 0;
		}
		f->pending_break = 1;
	}
}

/* Start a statement (a declaration, clause or field) at token `t` on a
 * new line indented by `indent`, keeping one blank line where the source
 * has one. */
static void begin_statement(fmt *f, size_t t, size_t indent)
{
	flush_comments(f, f->begin[t], indent, 1);
	new_line(f, indent);
	if (!f->block_start && line_is_blank(f, f->tokens[t].span.begin.line - 1))
		blank_line(f);
	f->block_start = 0;
	f->cont.count = 0;
	*MODEL_PUSH(f->cont) = indent;
}

/* ---- Tokens ---- */

static void append_token(fmt *f, size_t t)
{
	const char *s = f->text + f->begin[t];
	size_t len = f->end[t] - f->begin[t];
	const parse_token *tok = &f->tokens[t];
	if (tok->kind == QUANTITY && tok->text && tok->unit) {
		/* One space between a number and its unit where there was any. */
		size_t digits = strlen(tok->text);
		int spaced = digits < len && (s[digits] == ' ' || s[digits] == '\t');
		cur_append(f, tok->text, digits);
		if (spaced)
			cur_append(f, " ", 1);
		cur_append(f, tok->unit, strlen(tok->unit));
		return;
	}
	cur_append(f, s, len);
}

static int is_operator_kind(int kind)
{
	switch (kind) {
	case '(': case ',': case '{': case '=': case '<': case '>': case EQ: case NE: case LE: case GE:
	case '+': case '-': case '*': case '/': case ':':
	case KW_AND: case KW_OR: case KW_NOT: case KW_IN: case KW_HAS:
		return 1;
	default:
		return 0;
	}
}

/* Whether a space separates token `t` from the token before it in the
 * same run (`first` is the run's first token). */
static int space_before(const fmt *f, size_t t, size_t first)
{
	int kind = f->tokens[t].kind;
	if (t == first)
		return 1;
	int prev = f->tokens[t - 1].kind;
	if (kind == ')' || kind == ',' || prev == '(')
		return 0;
	if (kind == '(' && prev == KW_KNOWN)
		return 0;
	if (kind == '}' && prev == '{')
		return 0;
	/* No space after a unary minus. */
	if (prev == '-' && (t - 1 == first || is_operator_kind(f->tokens[t - 2].kind)))
		return 0;
	return 1;
}

static int is_logical(int kind)
{
	return kind == KW_AND || kind == KW_OR;
}

/* Whether the source breaks the line between tokens t-1 and t. */
static int source_break(const fmt *f, size_t t)
{
	return t > 0 && f->tokens[t].span.begin.line > f->tokens[t - 1].span.end.line;
}

/* Whether the author's line break before token t is kept. Breaks after
 * 'and' and 'or' move before them; breaks next to brackets and before
 * commas go. */
static int keep_break(const fmt *f, size_t t, size_t first, size_t last)
{
	int kind = f->tokens[t].kind;
	if (t == first)
		return 0;
	if (is_logical(kind) && t + 1 <= last && source_break(f, t + 1))
		return 1;
	if (!source_break(f, t))
		return 0;
	int prev = f->tokens[t - 1].kind;
	if (kind == ')' || kind == '}' || kind == ',' || prev == '(' || prev == '{' || is_logical(prev))
		return 0;
	return 1;
}

/* Emit tokens first..last on the current line, in expression layout:
 * spacing by token kinds, and the author's line breaks kept where
 * keep_break returns true. Continuation lines align with the innermost
 * open bracket or with the column where the run started. */
static void emit_run(fmt *f, size_t first, size_t last)
{
	size_t base = f->cont.count;
	for (size_t t = first; t <= last && t < f->token_count; t++) {
		size_t indent = f->cont.items[f->cont.count - 1];
		flush_comments(f, f->begin[t], indent, 0);
		if (keep_break(f, t, first, last))
			f->pending_break = 1;
		if (f->pending_break) {
			new_line(f, indent);
		} else if (t != first && cur_has_code(f) && space_before(f, t, first)) {
			cur_append(f, " ", 1);
		}
		append_token(f, t);
		f->prev_token = t;

		int kind = f->tokens[t].kind;
		if (kind == '(') {
			*MODEL_PUSH(f->cont) = cur_width(f);
		} else if (kind == '{') {
			*MODEL_PUSH(f->cont) = cur_width(f) + 1;
		} else if ((kind == ')' || kind == '}') && f->cont.count > base) {
			f->cont.count--;
		}
	}
	f->cont.count = base;
}

/* Start a run at the current column: continuation lines align with it. */
static void run_at_column(fmt *f, size_t first, size_t last)
{
	if (cur_has_code(f) && f->tokens[first].kind != ',')
		cur_append(f, " ", 1);
	*MODEL_PUSH(f->cont) = cur_width(f);
	emit_run(f, first, last);
	f->cont.count--;
}

/* ---- Declarations ---- */

static int has_comment_between(const fmt *f, size_t begin, size_t end)
{
	for (size_t i = f->next_comment; i < f->comments.count; i++)
		if (f->comments.items[i].begin >= begin && f->comments.items[i].begin < end)
			return 1;
	return 0;
}

/* The token that closes the brace opened at `open`. */
static size_t matching_brace(const fmt *f, size_t open, size_t last)
{
	int depth = 0;
	for (size_t t = open; t <= last; t++) {
		if (f->tokens[t].kind == '{')
			depth++;
		else if (f->tokens[t].kind == '}' && --depth == 0)
			return t;
	}
	return last;
}

static size_t find_kind(const fmt *f, size_t first, size_t last, int kind)
{
	for (size_t t = first; t <= last; t++)
		if (f->tokens[t].kind == kind)
			return t;
	return last;
}

/* enum N { a, b, ... }: on one line when the source has it on one line. */
static void format_enum(fmt *f, size_t first, size_t last)
{
	size_t open = find_kind(f, first, last, '{');
	size_t close = matching_brace(f, open, last);
	int one_line = f->tokens[open].span.begin.line == f->tokens[close].span.begin.line &&
		       !has_comment_between(f, f->begin[open], f->end[close]);
	begin_statement(f, first, 0);
	run_at_column(f, first, open - 1);
	if (one_line || open + 1 == close) {
		run_at_column(f, open, close);
		return;
	}
	cur_append(f, " {", 2);
	f->block_start = 1;
	begin_statement(f, open + 1, 2);
	emit_run(f, open + 1, close - 1);
	flush_comments(f, f->begin[close], 2, 1);
	new_line(f, 0);
	append_token(f, close);
	f->prev_token = close;
}

/* county N { f v ... } and unit C { f v ... }: fields one per line, or
 * on one line separated by two spaces when the source has the block on
 * one line. */
static void format_block(fmt *f, const ast_decl *decl, size_t first, size_t last)
{
	size_t open = find_kind(f, first, last, '{');
	size_t close = matching_brace(f, open, last);
	const ast_list *fields = decl->kind == DECL_UNIT ? decl->as.unit->fields : decl->as.county->fields;
	int one_line = f->tokens[open].span.begin.line == f->tokens[close].span.begin.line &&
		       !has_comment_between(f, f->begin[open], f->end[close]);
	begin_statement(f, first, 0);
	run_at_column(f, first, open - 1);
	cur_append(f, " {", 2);
	f->block_start = 1;

	size_t t = open + 1;
	for (const ast_list *l = fields; l; l = l->next) {
		const ast_field *field = l->item;
		size_t name = token_at(f, offset_of(f, field->span.begin));
		size_t end = token_at(f, offset_of(f, field->span.end));
		if (name >= close || end <= name)
			continue;
		if (one_line) {
			cur_append(f, l == fields ? " " : "  ", l == fields ? 1 : 2);
		} else {
			begin_statement(f, name, 2);
		}
		append_token(f, name);
		size_t width = display_width(f->text + f->begin[name], f->end[name] - f->begin[name]);
		cur_spaces(f, one_line || width + 1 >= FMT_FIELD_WIDTH ? 1 : FMT_FIELD_WIDTH - width);
		*MODEL_PUSH(f->cont) = cur_width(f);
		emit_run(f, name + 1, end - 1);
		f->cont.count--;
		t = end;
	}
	(void)t;
	if (one_line) {
		cur_append(f, fields ? " }" : "}", fields ? 2 : 1);
		return;
	}
	flush_comments(f, f->begin[close], 2, 1);
	new_line(f, 0);
	append_token(f, close);
}

static int is_clause_keyword(int kind)
{
	switch (kind) {
	case KW_TITLE: case KW_DIMENSION: case KW_SCOPE: case KW_WHEN: case KW_UNLESS: case KW_LET:
	case KW_ENSURE: case KW_BASIS: case KW_FROM: case KW_UNTIL: case KW_OVERRIDES: case KW_ALLOW:
	case KW_FORBID: case KW_RESTRICT: case KW_REQUIRE: case KW_EXIT: case KW_GUIDE:
		return 1;
	default:
		return 0;
	}
}

/* rule ID { clauses }: clause keywords padded to the widest keyword of
 * the rule plus one column. */
static void format_rule(fmt *f, size_t first, size_t last)
{
	size_t open = find_kind(f, first, last, '{');
	size_t close = last;
	size_t pad = 0;
	for (size_t t = open + 1; t < close; t++) {
		if (!is_clause_keyword(f->tokens[t].kind))
			continue;
		size_t width = display_width(f->text + f->begin[t], f->end[t] - f->begin[t]);
		if (width + 1 > pad)
			pad = width + 1;
	}
	begin_statement(f, first, 0);
	run_at_column(f, first, open);
	f->block_start = 1;

	for (size_t t = open + 1; t < close;) {
		size_t next = t + 1;
		while (next < close && !is_clause_keyword(f->tokens[next].kind))
			next++;
		begin_statement(f, t, 2);
		append_token(f, t);
		f->prev_token = t;
		if (next > t + 1) {
			size_t width = display_width(f->text + f->begin[t], f->end[t] - f->begin[t]);
			cur_spaces(f, pad > width ? pad - width : 1);
			*MODEL_PUSH(f->cont) = cur_width(f);
			emit_run(f, t + 1, next - 1);
			f->cont.count--;
		}
		t = next;
	}
	flush_comments(f, f->begin[close], 2, 1);
	new_line(f, 0);
	append_token(f, close);
	f->prev_token = close;
}

static void format_decl(fmt *f, const ast_decl *decl)
{
	size_t first = token_at(f, offset_of(f, decl->span.begin));
	size_t end = token_at(f, offset_of(f, decl->span.end));
	if (first >= f->token_count || end <= first)
		return;
	size_t last = end - 1;
	switch (decl->kind) {
	case DECL_ENUM:
		format_enum(f, first, last);
		break;
	case DECL_COUNTY:
	case DECL_UNIT:
		format_block(f, decl, first, last);
		break;
	case DECL_RULE:
		format_rule(f, first, last);
		break;
	default:
		/* import, fact, attribute, industry: one statement whose
		 * continuation lines (industry lists) indent by two. */
		begin_statement(f, first, 0);
		f->cont.items[0] = 2;
		emit_run(f, first, last);
		break;
	}
	f->block_start = 0;
}

/* ---- Output ---- */

/* Join the lines, aligning the trailing comments of consecutive lines
 * two columns past the widest of them. */
static char *join_lines(const fmt *f)
{
	MODEL_VEC(char) out;
	memset(&out, 0, sizeof out);
	size_t n = f->lines.count;
	while (n > 0 && f->lines.items[n - 1].blank)
		n--;
	for (size_t i = 0; i < n;) {
		size_t run = i;
		size_t column = 0;
		while (run < n && f->lines.items[run].comment && f->lines.items[run].code_len > 0) {
			size_t w = display_width(f->lines.items[run].code, f->lines.items[run].code_len);
			if (w > column)
				column = w;
			run++;
		}
		if (run == i)
			run = i + 1;
		for (size_t k = i; k < run; k++) {
			const fmt_line *line = &f->lines.items[k];
			for (size_t c = 0; c < line->code_len; c++)
				*MODEL_PUSH(out) = line->code[c];
			if (line->comment) {
				size_t w = display_width(line->code, line->code_len);
				size_t spaces = line->code_len > 0 ? column + 2 - w : 0;
				for (size_t s = 0; s < spaces; s++)
					*MODEL_PUSH(out) = ' ';
				for (size_t c = 0; c < line->comment_len; c++)
					*MODEL_PUSH(out) = line->comment[c];
			}
			*MODEL_PUSH(out) = '\n';
		}
		i = run;
	}
	*MODEL_PUSH(out) = '\0';
	return out.items;
}

char *fmt_source(src_table *sources, uint32_t file, diag_list *diags)
{
	ast_arena *arena = ast_arena_new();
	size_t errors = diag_error_count(diags);
	ast_file *parsed = parse_file(arena, sources, file, diags);
	if (diag_error_count(diags) != errors) {
		ast_arena_free(arena);
		return NULL;
	}

	fmt f;
	memset(&f, 0, sizeof f);
	f.sources = sources;
	f.file = file;
	f.text = src_text(sources, file, &f.size);
	f.prev_token = SIZE_MAX;
	f.token_count = parse_tokens(arena, sources, file, diags, &f.tokens);
	*MODEL_PUSH(f.line_starts) = 0;
	for (size_t i = 0; i < f.size; i++)
		if (f.text[i] == '\n')
			*MODEL_PUSH(f.line_starts) = i + 1;
	f.begin = model_xmalloc((f.token_count + 1) * sizeof *f.begin);
	f.end = model_xmalloc((f.token_count + 1) * sizeof *f.end);
	for (size_t t = 0; t < f.token_count; t++) {
		f.begin[t] = offset_of(&f, f.tokens[t].span.begin);
		f.end[t] = offset_of(&f, f.tokens[t].span.end);
	}
	find_comments(&f);

	f.block_start = 1;
	*MODEL_PUSH(f.cont) = 0;
	for (const ast_list *l = parsed->decls; l; l = l->next)
		format_decl(&f, l->item);
	flush_comments(&f, f.size + 1, 0, 1);
	new_line(&f, 0);
	char *result = join_lines(&f);

	for (size_t i = 0; i < f.lines.count; i++)
		free(f.lines.items[i].code);
	free(f.lines.items);
	free(f.cur.items);
	free(f.cont.items);
	free(f.comments.items);
	free(f.line_starts.items);
	free(f.begin);
	free(f.end);
	ast_arena_free(arena);
	return result;
}

char *fmt_text(const char *path, const char *text, FILE *err)
{
	src_table *sources = src_table_new();
	diag_list diags;
	diag_list_init(&diags);
	uint32_t file = src_add(sources, path, text, strlen(text));
	char *result = fmt_source(sources, file, &diags);
	if (!result && err)
		diag_print_text(&diags, sources, err);
	diag_list_free(&diags);
	src_table_free(sources);
	return result;
}

int fmt_file(const char *path, fmt_mode mode, FILE *out, FILE *err)
{
	src_table *sources = src_table_new();
	diag_list diags;
	diag_list_init(&diags);
	int status = FMT_OK;
	char *result = NULL;
	uint32_t file;

	if (src_load(sources, path, &file) != 0) {
		fprintf(err, _("rulec: cannot read %s: %s\n"), path, strerror(errno));
		status = FMT_IO_ERROR;
		goto done;
	}
	result = fmt_source(sources, file, &diags);
	if (!result) {
		diag_print_text(&diags, sources, err);
		status = FMT_SYNTAX_ERROR;
		goto done;
	}
	size_t size;
	const char *text = src_text(sources, file, &size);
	int same = strlen(result) == size && memcmp(result, text, size) == 0;
	switch (mode) {
	case FMT_PRINT:
		fputs(result, out);
		break;
	case FMT_CHECK:
		if (!same) {
			fprintf(out, "%s\n", path);
			status = FMT_UNFORMATTED;
		}
		break;
	case FMT_WRITE:
		if (!same && fmt_write_file(path, result, err) != 0)
			status = FMT_IO_ERROR;
		break;
	}

done:
	free(result);
	diag_list_free(&diags);
	src_table_free(sources);
	return status;
}
