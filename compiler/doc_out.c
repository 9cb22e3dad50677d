/* The writer of rulec doc: Markdown, or one HTML page with its style
 * inline and no scripts or external resources. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

void doc_buf_open(doc_buf *b)
{
	b->text = NULL;
	b->len = 0;
	b->f = open_memstream(&b->text, &b->len);
	if (!b->f) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}
}

char *doc_buf_close(doc_buf *b)
{
	if (fclose(b->f) != 0 || !b->text) {
		fputs("rulec: out of memory\n", stderr);
		exit(4);
	}
	b->f = NULL;
	return b->text;
}

/* Characters that Markdown could read as markup or as an entity inside
 * a line get a backslash. A line break inside a message becomes a space,
 * so it cannot end a list item. */
static void put_markdown(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			fputc(' ', out);
			continue;
		}
		/* '&' only where it could start an entity such as &lt;. */
		int entity = *p == '&' &&
			     ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '#');
		if (strchr("\\`*_[]<", *p) || entity)
			fputc('\\', out);
		fputc(*p, out);
	}
}

static void put_html(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		case '\n': fputs("<br>", out); break;
		default: fputc(*p, out);
		}
	}
}

static void put_text(doc_out *d, const char *text)
{
	if (d->format == DOC_HTML)
		put_html(d->out, text);
	else
		put_markdown(d->out, text);
}

/* The page's style: readable on screen, and on paper without breaking a
 * requirement across pages. */
static const char html_style[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;"
	"max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}\n"
	"h1{font-size:1.6em;border-bottom:2px solid #444}\n"
	"h2{font-size:1.35em;border-bottom:1px solid #888;margin-top:2em}\n"
	"h3{font-size:1.15em;margin-top:1.6em}\n"
	"h4,h5{font-size:1em;margin:1.2em 0 .3em}\n"
	"h1,h2,h3,h4,h5{break-after:avoid;page-break-after:avoid}\n"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:0 0 1em;"
	"break-inside:avoid;page-break-inside:avoid}\n"
	"dl.rule{border-left:3px solid #999;padding-left:.8em}\n"
	"dt{font-weight:bold;color:#444}\n"
	"dd{margin:0}\n"
	"@media print{body{max-width:none;margin:0}a{color:inherit}}\n";

void doc_out_begin(doc_out *d, const char *title)
{
	if (d->format == DOC_MARKDOWN) {
		fputs("# ", d->out);
		put_text(d, title);
		fputs("\n\n", d->out);
		return;
	}
	fprintf(d->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", d->lang);
	put_text(d, title);
	fprintf(d->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", html_style);
	put_text(d, title);
	fputs("</h1>\n", d->out);
}

void doc_out_end(doc_out *d)
{
	if (d->format == DOC_HTML)
		fputs("</body>\n</html>\n", d->out);
}

void doc_out_heading(doc_out *d, int level, const char *text, const char *anchor)
{
	if (d->format == DOC_MARKDOWN) {
		for (int i = 0; i < level; i++)
			fputc('#', d->out);
		fputc(' ', d->out);
		put_text(d, text);
		fputs("\n\n", d->out);
		return;
	}
	fprintf(d->out, "<h%d", level);
	if (anchor) {
		fputs(" id=\"", d->out);
		put_text(d, anchor);
		fputc('"', d->out);
	}
	fputc('>', d->out);
	put_text(d, text);
	fprintf(d->out, "</h%d>\n", level);
}

void doc_out_paragraph(doc_out *d, const char *text)
{
	if (d->format == DOC_HTML)
		fputs("<p>", d->out);
	put_text(d, text);
	fputs(d->format == DOC_HTML ? "</p>\n" : "\n\n", d->out);
}

void doc_out_fields_begin(doc_out *d, const char *css_class)
{
	if (d->format == DOC_MARKDOWN)
		return;
	if (css_class)
		fprintf(d->out, "<dl class=\"%s\">\n", css_class);
	else
		fputs("<dl>\n", d->out);
}

void doc_out_field(doc_out *d, const char *label, const char *value)
{
	if (d->format == DOC_MARKDOWN) {
		fputs("- **", d->out);
		put_text(d, label);
		fputs("**", d->out);
		/* A full-width colon after a Chinese label, as Chinese forms write it. */
		fputs(strcmp(d->lang, "en") == 0 ? ": " : "：", d->out);
		put_text(d, value);
		fputc('\n', d->out);
		return;
	}
	fputs("<dt>", d->out);
	put_text(d, label);
	fputs("</dt><dd>", d->out);
	put_text(d, value);
	fputs("</dd>\n", d->out);
}

void doc_out_fields_end(doc_out *d)
{
	fputs(d->format == DOC_HTML ? "</dl>\n" : "\n", d->out);
}
