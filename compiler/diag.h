/* Diagnostics: errors, warnings and their notes, collected for a whole
 * compilation and printed as GCC-style text, JSON or SARIF 2.1.0.
 *
 * Ownership: a diag_list owns the formatted messages it collects; free
 * them with diag_list_free. The source table passed to the printers is
 * borrowed. Out of memory aborts with a message, as everywhere in the
 * compiler.
 *
 * Messages: pass the format as an English msgid; diag_error, diag_warning
 * and diag_note translate it with _() before formatting, so xgettext needs
 * --keyword=diag_error:4 --keyword=diag_warning:4 --keyword=diag_note:3. */
#ifndef ECORULE_DIAG_H
#define ECORULE_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "ast.h"
#include "source.h"

typedef enum diag_code {
#define DIAG_CODE(code, title, explanation) DIAG_##code,
#include "diag_codes.def"
#undef DIAG_CODE
	DIAG_CODE_COUNT
} diag_code;

typedef enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING
} diag_severity;

typedef struct diag_note_entry {
	src_span span;        /* span.begin.line == 0: no location */
	char *message;
} diag_note_entry;

typedef struct diag {
	diag_severity severity;
	diag_code code;
	src_span span;        /* span.begin.line == 0: no location */
	char *message;
	diag_note_entry *notes;
	size_t note_count;
	/* A warning an allow clause switched off: the rule's id and the
	 * clause's reason (owned); NULL when not suppressed. */
	char *suppressed_rule;
	char *justification;
} diag;

typedef struct diag_list {
	diag *items;
	size_t count, cap;
	size_t error_count;
	size_t warning_count;  /* suppressed warnings not included */
	size_t suppressed_count;
} diag_list;

void diag_list_init(diag_list *list);
void diag_list_free(diag_list *list);

#if defined(__GNUC__)
#define DIAG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DIAG_PRINTF(f, a)
#endif

void diag_error(diag_list *list, diag_code code, src_span span, const char *fmt, ...)
	DIAG_PRINTF(4, 5);
void diag_warning(diag_list *list, diag_code code, src_span span, const char *fmt, ...)
	DIAG_PRINTF(4, 5);
/* Attach a note to the diagnostic reported last; ignored when there is
 * none. Pass a zero span for a note without a location. */
void diag_note(diag_list *list, src_span span, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_verror(diag_list *list, diag_code code, src_span span, const char *fmt, va_list ap);

size_t diag_error_count(const diag_list *list);

/* Mark warning `index` as switched off by an allow clause of rule
 * `rule` with reason `reason` (both copied). Writers then print it as a
 * note naming the rule and the reason, and it no longer counts as a
 * warning. */
void diag_suppress(diag_list *list, size_t index, const char *rule, const char *reason);

/* The code as text ("E0201"), its short title and explanation (English
 * msgids, untranslated); NULL for a value outside the table. */
const char *diag_code_name(diag_code code);
const char *diag_code_title(diag_code code);
const char *diag_code_explanation(diag_code code);
/* The code named `name` ("E0201", case-insensitive), or DIAG_CODE_COUNT. */
diag_code diag_code_find(const char *name);

/* A span covering one position, for callers that only have a point. */
src_span diag_span_at(src_pos pos);

/* Writers: GCC-style text with the source line and a caret placed by
 * display width; a JSON array; a SARIF 2.1.0 log. Each returns 0, or -1
 * when writing to `out` failed. */
int diag_print_text(const diag_list *list, const src_table *sources, FILE *out);
int diag_print_json(const diag_list *list, const src_table *sources, FILE *out);
int diag_print_sarif(const diag_list *list, const src_table *sources, FILE *out);

#endif
