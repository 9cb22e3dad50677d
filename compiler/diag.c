/* Diagnostics: collection, and the text, JSON and SARIF writers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "diag.h"
#include "i18n.h"

static const struct {
	const char *name;
	const char *title;
	const char *explanation;
} diag_table[] = {
#define DIAG_CODE(code, title, explanation) { #code, title, explanation },
#include "diag_codes.def"
#undef DIAG_CODE
};

static void diag_out_of_memory(void)
{
	ast_out_of_memory();
}

void diag_list_init(diag_list *list)
{
	memset(list, 0, sizeof *list);
}

void diag_list_free(diag_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].message);
		for (size_t j = 0; j < list->items[i].note_count; j++)
			free(list->items[i].notes[j].message);
		free(list->items[i].notes);
		free(list->items[i].suppressed_rule);
		free(list->items[i].justification);
	}
	free(list->items);
	memset(list, 0, sizeof *list);
}

/* Format a translated message into malloc'ed storage. */
static char *diag_format(const char *fmt, va_list ap)
{
	const char *translated = _(fmt);
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, translated, copy);
	va_end(copy);
	if (n < 0)
		n = 0;
	char *text = malloc((size_t)n + 1);
	if (text == NULL)
		diag_out_of_memory();
	vsnprintf(text, (size_t)n + 1, translated, ap);
	return text;
}

static void diag_add(diag_list *list, diag_severity severity, diag_code code,
		     src_span span, const char *fmt, va_list ap)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		diag *items = realloc(list->items, cap * sizeof *items);
		if (items == NULL)
			diag_out_of_memory();
		list->items = items;
		list->cap = cap;
	}
	diag *d = &list->items[list->count++];
	memset(d, 0, sizeof *d);
	d->severity = severity;
	d->code = code;
	d->span = span;
	d->message = diag_format(fmt, ap);
	if (severity == DIAG_ERROR)
		list->error_count++;
	else
		list->warning_count++;
}

void diag_verror(diag_list *list, diag_code code, src_span span, const char *fmt, va_list ap)
{
	diag_add(list, DIAG_ERROR, code, span, fmt, ap);
}

void diag_error(diag_list *list, diag_code code, src_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_add(list, DIAG_ERROR, code, span, fmt, ap);
	va_end(ap);
}

void diag_warning(diag_list *list, diag_code code, src_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_add(list, DIAG_WARNING, code, span, fmt, ap);
	va_end(ap);
}

void diag_note(diag_list *list, src_span span, const char *fmt, ...)
{
	if (list->count == 0)
		return;
	diag *d = &list->items[list->count - 1];
	diag_note_entry *notes = realloc(d->notes, (d->note_count + 1) * sizeof *notes);
	if (notes == NULL)
		diag_out_of_memory();
	d->notes = notes;
	va_list ap;
	va_start(ap, fmt);
	notes[d->note_count].span = span;
	notes[d->note_count].message = diag_format(fmt, ap);
	va_end(ap);
	d->note_count++;
}

size_t diag_error_count(const diag_list *list)
{
	return list->error_count;
}

static char *diag_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);
	if (copy == NULL)
		diag_out_of_memory();
	return memcpy(copy, s, n);
}

void diag_suppress(diag_list *list, size_t index, const char *rule, const char *reason)
{
	diag *d = &list->items[index];
	if (d->severity != DIAG_WARNING || d->suppressed_rule != NULL)
		return;
	d->suppressed_rule = diag_strdup(rule);
	d->justification = diag_strdup(reason);
	list->warning_count--;
	list->suppressed_count++;
}

const char *diag_code_name(diag_code code)
{
	return (unsigned)code < DIAG_CODE_COUNT ? diag_table[code].name : NULL;
}

const char *diag_code_title(diag_code code)
{
	return (unsigned)code < DIAG_CODE_COUNT ? diag_table[code].title : NULL;
}

const char *diag_code_explanation(diag_code code)
{
	return (unsigned)code < DIAG_CODE_COUNT ? diag_table[code].explanation : NULL;
}

diag_code diag_code_find(const char *name)
{
	for (unsigned i = 0; i < DIAG_CODE_COUNT; i++) {
		const char *a = diag_table[i].name, *b = name;
		while (*a != '\0' && toupper((unsigned char)*b) == *a) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0')
			return (diag_code)i;
	}
	return DIAG_CODE_COUNT;
}

src_span diag_span_at(src_pos pos)
{
	src_span span = { pos, pos };
	span.end.col++;
	return span;
}

/* ---- Text ---- */

static const char *diag_severity_word(diag_severity severity)
{
	return severity == DIAG_ERROR ? _("error") : _("warning");
}

/* Print the line with tabs expanded to the next multiple of 8, the same
 * rule src_display_width follows. */
static void diag_print_line(FILE *out, const char *line, size_t len)
{
	size_t width = 0;
	for (size_t i = 0; i < len;) {
		if (line[i] == '\t') {
			size_t next = (width / 8 + 1) * 8;
			for (; width < next; width++)
				fputc(' ', out);
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = src_utf8_decode(line + i, len - i, &cp);
		if (n == 0) {
			fputc('?', out);
			width++;
			i++;
			continue;
		}
		fwrite(line + i, 1, n, out);
		width += (size_t)src_char_width(cp);
		i += n;
	}
	fputc('\n', out);
}

/* Quote the source line of a span and underline the span: '^' under its
 * first character and '~' under the rest of it on that line. */
static void diag_print_excerpt(FILE *out, const src_table *sources, src_span span)
{
	size_t len;
	const char *line = src_line(sources, span.begin.file, span.begin.line, &len);
	if (line == NULL)
		return;
	size_t chars = src_utf8_length(line, len);
	size_t col = span.begin.col ? span.begin.col - 1 : 0;
	if (col > chars)
		col = chars;
	size_t end_col;
	if (span.end.line > span.begin.line)
		end_col = chars;
	else
		end_col = span.end.col ? span.end.col - 1 : col;
	if (end_col > chars)
		end_col = chars;
	size_t start_width = src_display_width(line, len, col);
	size_t end_width = src_display_width(line, len, end_col);

	int gutter = fprintf(out, "%5u | ", (unsigned)span.begin.line) - 3;
	diag_print_line(out, line, len);
	fprintf(out, "%*s | ", gutter, "");
	for (size_t i = 0; i < start_width; i++)
		fputc(' ', out);
	fputc('^', out);
	for (size_t i = start_width + 1; i < end_width; i++)
		fputc('~', out);
	fputc('\n', out);
}

static void diag_print_place(FILE *out, const src_table *sources, src_span span)
{
	if (span.begin.line == 0)
		/* TRANSLATORS: the program name before a diagnostic that has no
		   place in a file; Chinese uses a full-width colon. */
		fputs(_("rulec: "), out);
	else
		fprintf(out, "%s:%u:%u: ", src_path(sources, span.begin.file),
			(unsigned)span.begin.line, (unsigned)span.begin.col);
}

int diag_print_text(const diag_list *list, const src_table *sources, FILE *out)
{
	for (size_t i = 0; i < list->count; i++) {
		const diag *d = &list->items[i];
		diag_print_place(out, sources, d->span);
		if (d->suppressed_rule) {
			/* TRANSLATORS: severity word and code before a message,
			   "warning[W0001]: "; Chinese uses a full-width colon. */
			fprintf(out, _("%s[%s]: "), _("note"), diag_code_name(d->code));
			fprintf(out, _("suppressed in rule '%s': %s"), d->suppressed_rule, d->justification);
			fputc('\n', out);
			continue;
		}
		fprintf(out, _("%s[%s]: "), diag_severity_word(d->severity), diag_code_name(d->code));
		fprintf(out, "%s\n", d->message);
		if (d->span.begin.line != 0)
			diag_print_excerpt(out, sources, d->span);
		for (size_t j = 0; j < d->note_count; j++) {
			diag_print_place(out, sources, d->notes[j].span);
			/* TRANSLATORS: "note: " before a note's message; Chinese
			   uses a full-width colon. */
			fprintf(out, _("%s: "), _("note"));
			fprintf(out, "%s\n", d->notes[j].message);
		}
	}
	return ferror(out) ? -1 : 0;
}

/* ---- JSON and SARIF ---- */

static void diag_yajl_write(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, (FILE *)ctx);
}

static yajl_gen diag_gen_new(FILE *out)
{
	yajl_gen gen = yajl_gen_alloc(NULL);
	if (gen == NULL)
		diag_out_of_memory();
	yajl_gen_config(gen, yajl_gen_beautify, 1);
	yajl_gen_config(gen, yajl_gen_indent_string, "  ");
	yajl_gen_config(gen, yajl_gen_print_callback, diag_yajl_write, (void *)out);
	return gen;
}

static void gen_str(yajl_gen gen, const char *s)
{
	yajl_gen_string(gen, (const unsigned char *)s, strlen(s));
}

static void gen_key_str(yajl_gen gen, const char *key, const char *value)
{
	gen_str(gen, key);
	gen_str(gen, value);
}

static void gen_key_int(yajl_gen gen, const char *key, long long value)
{
	gen_str(gen, key);
	yajl_gen_integer(gen, value);
}

/* file, line, column, end_line, end_column of a span; null values for a
 * diagnostic without a location. */
static void gen_json_place(yajl_gen gen, const src_table *sources, src_span span)
{
	if (span.begin.line == 0) {
		const char *keys[] = { "file", "line", "column", "end_line", "end_column" };
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			gen_str(gen, keys[i]);
			yajl_gen_null(gen);
		}
		return;
	}
	gen_key_str(gen, "file", src_path(sources, span.begin.file));
	gen_key_int(gen, "line", span.begin.line);
	gen_key_int(gen, "column", span.begin.col);
	gen_key_int(gen, "end_line", span.end.line);
	gen_key_int(gen, "end_column", span.end.col);
}

int diag_print_json(const diag_list *list, const src_table *sources, FILE *out)
{
	/* yajl's beautifier would print an empty array on three lines. */
	if (list->count == 0) {
		fputs("[]\n", out);
		return ferror(out) ? -1 : 0;
	}
	yajl_gen gen = diag_gen_new(out);
	yajl_gen_array_open(gen);
	for (size_t i = 0; i < list->count; i++) {
		const diag *d = &list->items[i];
		yajl_gen_map_open(gen);
		gen_json_place(gen, sources, d->span);
		gen_key_str(gen, "severity", d->severity == DIAG_ERROR ? "error" : "warning");
		gen_key_str(gen, "code", diag_code_name(d->code));
		gen_key_str(gen, "message", d->message);
		if (d->suppressed_rule) {
			gen_str(gen, "suppressed");
			yajl_gen_map_open(gen);
			gen_key_str(gen, "rule", d->suppressed_rule);
			gen_key_str(gen, "justification", d->justification);
			yajl_gen_map_close(gen);
		}
		gen_str(gen, "notes");
		yajl_gen_array_open(gen);
		for (size_t j = 0; j < d->note_count; j++) {
			yajl_gen_map_open(gen);
			gen_json_place(gen, sources, d->notes[j].span);
			gen_key_str(gen, "message", d->notes[j].message);
			yajl_gen_map_close(gen);
		}
		yajl_gen_array_close(gen);
		yajl_gen_map_close(gen);
	}
	yajl_gen_array_close(gen);
	yajl_gen_free(gen);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* Percent-encode a path into a relative URI reference (RFC 3986): bytes
 * other than unreserved characters and '/' become %XX. */
static char *diag_path_uri(const char *path)
{
	size_t len = strlen(path);
	char *uri = malloc(len * 3 + 1);
	if (uri == NULL)
		diag_out_of_memory();
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			uri[n++] = (char)c;
		} else {
			snprintf(uri + n, 4, "%%%02X", c);
			n += 3;
		}
	}
	uri[n] = '\0';
	return uri;
}

static void gen_sarif_location(yajl_gen gen, const src_table *sources, src_span span)
{
	gen_str(gen, "physicalLocation");
	yajl_gen_map_open(gen);
	gen_str(gen, "artifactLocation");
	yajl_gen_map_open(gen);
	char *uri = diag_path_uri(src_path(sources, span.begin.file));
	gen_key_str(gen, "uri", uri);
	free(uri);
	yajl_gen_map_close(gen);
	gen_str(gen, "region");
	yajl_gen_map_open(gen);
	gen_key_int(gen, "startLine", span.begin.line);
	gen_key_int(gen, "startColumn", span.begin.col);
	if (span.end.line >= span.begin.line && span.end.col > 0) {
		gen_key_int(gen, "endLine", span.end.line);
		gen_key_int(gen, "endColumn", span.end.col);
	}
	yajl_gen_map_close(gen);
	yajl_gen_map_close(gen);
}

static void gen_sarif_rules(yajl_gen gen)
{
	gen_str(gen, "rules");
	yajl_gen_array_open(gen);
	for (unsigned i = 0; i < DIAG_CODE_COUNT; i++) {
		yajl_gen_map_open(gen);
		gen_key_str(gen, "id", diag_table[i].name);
		gen_str(gen, "shortDescription");
		yajl_gen_map_open(gen);
		gen_key_str(gen, "text", _(diag_table[i].title));
		yajl_gen_map_close(gen);
		gen_str(gen, "fullDescription");
		yajl_gen_map_open(gen);
		gen_key_str(gen, "text", _(diag_table[i].explanation));
		yajl_gen_map_close(gen);
		yajl_gen_map_close(gen);
	}
	yajl_gen_array_close(gen);
}

static void gen_sarif_result(yajl_gen gen, const src_table *sources, const diag *d)
{
	yajl_gen_map_open(gen);
	gen_key_str(gen, "ruleId", diag_code_name(d->code));
	gen_key_int(gen, "ruleIndex", (long long)d->code);
	gen_key_str(gen, "level", d->severity == DIAG_ERROR ? "error" : "warning");
	gen_str(gen, "message");
	yajl_gen_map_open(gen);
	gen_key_str(gen, "text", d->message);
	yajl_gen_map_close(gen);
	if (d->span.begin.line != 0) {
		gen_str(gen, "locations");
		yajl_gen_array_open(gen);
		yajl_gen_map_open(gen);
		gen_sarif_location(gen, sources, d->span);
		yajl_gen_map_close(gen);
		yajl_gen_array_close(gen);
	}
	/* Notes with a place become related locations; SARIF has no other
	 * home for them, so notes without one are dropped from this format. */
	size_t related = 0;
	for (size_t j = 0; j < d->note_count; j++)
		if (d->notes[j].span.begin.line != 0)
			related++;
	if (related > 0) {
		gen_str(gen, "relatedLocations");
		yajl_gen_array_open(gen);
		for (size_t j = 0; j < d->note_count; j++) {
			if (d->notes[j].span.begin.line == 0)
				continue;
			yajl_gen_map_open(gen);
			gen_key_int(gen, "id", (long long)j);
			gen_sarif_location(gen, sources, d->notes[j].span);
			gen_str(gen, "message");
			yajl_gen_map_open(gen);
			gen_key_str(gen, "text", d->notes[j].message);
			yajl_gen_map_close(gen);
			yajl_gen_map_close(gen);
		}
		yajl_gen_array_close(gen);
	}
	if (d->suppressed_rule) {
		gen_str(gen, "suppressions");
		yajl_gen_array_open(gen);
		yajl_gen_map_open(gen);
		gen_key_str(gen, "kind", "inSource");
		gen_key_str(gen, "justification", d->justification);
		yajl_gen_map_close(gen);
		yajl_gen_array_close(gen);
	}
	yajl_gen_map_close(gen);
}

int diag_print_sarif(const diag_list *list, const src_table *sources, FILE *out)
{
	yajl_gen gen = diag_gen_new(out);
	yajl_gen_map_open(gen);
	gen_key_str(gen, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	gen_key_str(gen, "version", "2.1.0");
	gen_str(gen, "runs");
	yajl_gen_array_open(gen);
	yajl_gen_map_open(gen);

	gen_str(gen, "tool");
	yajl_gen_map_open(gen);
	gen_str(gen, "driver");
	yajl_gen_map_open(gen);
	gen_key_str(gen, "name", "rulec");
	gen_sarif_rules(gen);
	yajl_gen_map_close(gen);
	yajl_gen_map_close(gen);

	/* Columns count characters, as in the text output. */
	gen_key_str(gen, "columnKind", "unicodeCodePoints");
	gen_str(gen, "results");
	yajl_gen_array_open(gen);
	for (size_t i = 0; i < list->count; i++)
		gen_sarif_result(gen, sources, &list->items[i]);
	yajl_gen_array_close(gen);

	yajl_gen_map_close(gen);
	yajl_gen_array_close(gen);
	yajl_gen_map_close(gen);
	yajl_gen_free(gen);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
