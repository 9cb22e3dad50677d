/* The source table: every file the compiler reads, by index, with its
 * lines, UTF-8 validation and the display width used to place carets.
 *
 * Ownership: the table owns the path and text of each file it loads or
 * registers (both are copied). Pointers returned by src_path, src_text and
 * src_line borrow from the table and live until src_table_free. Out of
 * memory aborts with a message, as everywhere in the compiler. */
#ifndef ECORULE_SOURCE_H
#define ECORULE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"

/* Returned by src_find for a path the table does not hold. */
#define SRC_NONE UINT32_MAX
/* Returned by src_utf8_check for text that is well-formed. */
#define SRC_UTF8_OK SIZE_MAX

typedef struct src_table src_table;

src_table *src_table_new(void);
void src_table_free(src_table *table);

/* The maximum size of a rule file. src_load stops reading one byte past
 * it, and the parser reports the file as too large (E0015). */
#define SRC_MAX_FILE_BYTES (64u << 20)

/* Read the file at `path` into the table. Returns 0 and sets *index, or -1
 * with errno set when the file cannot be read. A leading UTF-8 byte order
 * mark is dropped, so byte offsets count from the first byte after it. */
int src_load(src_table *table, const char *path, uint32_t *index);
/* Register an in-memory buffer under `path` (copied) and return its index. */
uint32_t src_add(src_table *table, const char *path, const char *text, size_t size);
/* Index of the file registered under exactly this path, or SRC_NONE. */
uint32_t src_find(const src_table *table, const char *path);

size_t src_count(const src_table *table);
const char *src_path(const src_table *table, uint32_t index);
/* The whole text, NUL-terminated; *size (if not NULL) gets its length. */
const char *src_text(const src_table *table, uint32_t index, size_t *size);
/* Number of lines; a final line without a newline counts. */
uint32_t src_line_count(const src_table *table, uint32_t index);
/* Text of 1-based line `line` without its "\n" or "\r\n", and its length;
 * NULL when the line does not exist. */
const char *src_line(const src_table *table, uint32_t index, uint32_t line, size_t *len);
/* Position (line, column in characters) of a byte offset in the file. */
src_pos src_pos_at(const src_table *table, uint32_t index, size_t offset);

/* Decode one UTF-8 sequence at s (len bytes available). Returns its
 * length and sets *cp, or 0 when the bytes are not a well-formed sequence
 * (overlong forms, surrogates and values past U+10FFFF are rejected). */
size_t src_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Byte offset of the first malformed UTF-8 sequence, or SRC_UTF8_OK. */
size_t src_utf8_check(const char *text, size_t size);
/* Number of characters (code points) in well-formed UTF-8 text. */
size_t src_utf8_length(const char *text, size_t size);

/* Columns a character takes in a terminal: 2 for East Asian wide and
 * fullwidth characters, 0 for combining diacritical marks (U+0300-U+036F)
 * and zero-width characters, 1 otherwise. */
int src_char_width(uint32_t cp);
/* Display width of the first `chars` characters of a line. A tab moves to
 * the next multiple of 8, as terminals do, and diag_print_text expands
 * tabs in the quoted line the same way so that carets line up. */
size_t src_display_width(const char *line, size_t len, size_t chars);

#endif
