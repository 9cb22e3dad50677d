/* The source table: files by index, line starts, UTF-8 and display width. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

typedef struct src_file {
	char *path;
	char *text;        /* NUL-terminated */
	size_t size;
	size_t *line_starts; /* byte offset of each line's first byte */
	uint32_t line_count;
} src_file;

struct src_table {
	src_file *files;
	size_t count;
	size_t cap;
};

static void *src_xrealloc(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		goto fail;
	void *q = realloc(p, count * size == 0 ? 1 : count * size);
	if (q == NULL)
		goto fail;
	return q;
fail:
	ast_out_of_memory();
}

src_table *src_table_new(void)
{
	src_table *table = src_xrealloc(NULL, 1, sizeof *table);
	memset(table, 0, sizeof *table);
	return table;
}

void src_table_free(src_table *table)
{
	if (table == NULL)
		return;
	for (size_t i = 0; i < table->count; i++) {
		free(table->files[i].path);
		free(table->files[i].text);
		free(table->files[i].line_starts);
	}
	free(table->files);
	free(table);
}

/* The array grows in file->line_starts, so that it stays reachable when
 * an allocation fails and the compiler exits (LeakSanitizer checks). */
static void src_index_lines(src_file *file)
{
	size_t cap = 64, count = 0;
	size_t *starts = file->line_starts = src_xrealloc(NULL, cap, sizeof *starts);
	starts[count++] = 0;
	for (size_t i = 0; i < file->size; i++) {
		if (file->text[i] != '\n' || i + 1 == file->size)
			continue;
		if (count == cap) {
			cap *= 2;
			starts = file->line_starts = src_xrealloc(starts, cap, sizeof *starts);
		}
		starts[count++] = i + 1;
	}
	file->line_count = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
}

uint32_t src_add(src_table *table, const char *path, const char *text, size_t size)
{
	if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		size -= 3;
	}
	if (table->count == table->cap) {
		table->cap = table->cap ? table->cap * 2 : 8;
		table->files = src_xrealloc(table->files, table->cap, sizeof *table->files);
	}
	src_file *file = &table->files[table->count];
	size_t path_len = strlen(path);
	file->path = src_xrealloc(NULL, path_len + 1, 1);
	memcpy(file->path, path, path_len + 1);
	file->text = src_xrealloc(NULL, size + 1, 1);
	if (size > 0)
		memcpy(file->text, text, size);
	file->text[size] = '\0';
	file->size = size;
	src_index_lines(file);
	return (uint32_t)table->count++;
}

int src_load(src_table *table, const char *path, uint32_t *index)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	char *buf = NULL;
	size_t size = 0, cap = 0;
	while (size <= SRC_MAX_FILE_BYTES) {
		if (cap - size < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = src_xrealloc(buf, cap, 1);
		}
		size_t n = fread(buf + size, 1, cap - size, fp);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		int saved = errno ? errno : EIO;
		fclose(fp);
		free(buf);
		errno = saved;
		return -1;
	}
	fclose(fp);
	*index = src_add(table, path, buf, size);
	free(buf);
	return 0;
}

uint32_t src_find(const src_table *table, const char *path)
{
	for (size_t i = 0; i < table->count; i++)
		if (strcmp(table->files[i].path, path) == 0)
			return (uint32_t)i;
	return SRC_NONE;
}

size_t src_count(const src_table *table)
{
	return table->count;
}

const char *src_path(const src_table *table, uint32_t index)
{
	return index < table->count ? table->files[index].path : "<unknown>";
}

const char *src_text(const src_table *table, uint32_t index, size_t *size)
{
	if (index >= table->count) {
		if (size != NULL)
			*size = 0;
		return "";
	}
	if (size != NULL)
		*size = table->files[index].size;
	return table->files[index].text;
}

uint32_t src_line_count(const src_table *table, uint32_t index)
{
	return index < table->count ? table->files[index].line_count : 0;
}

const char *src_line(const src_table *table, uint32_t index, uint32_t line, size_t *len)
{
	if (index >= table->count)
		return NULL;
	const src_file *file = &table->files[index];
	if (line == 0 || line > file->line_count)
		return NULL;
	size_t begin = file->line_starts[line - 1];
	size_t end = begin;
	while (end < file->size && file->text[end] != '\n')
		end++;
	if (end > begin && file->text[end - 1] == '\r')
		end--;
	*len = end - begin;
	return file->text + begin;
}

src_pos src_pos_at(const src_table *table, uint32_t index, size_t offset)
{
	src_pos pos = { index, 1, 1 };
	if (index >= table->count)
		return pos;
	const src_file *file = &table->files[index];
	if (offset > file->size)
		offset = file->size;
	/* Binary search for the last line starting at or before offset. */
	size_t lo = 0, hi = file->line_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (file->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	pos.line = (uint32_t)(lo + 1);
	size_t col = 1;
	for (size_t i = file->line_starts[lo]; i < offset; i++)
		if (((unsigned char)file->text[i] & 0xC0) != 0x80)
			col++;
	pos.col = (uint32_t)col;
	return pos;
}

size_t src_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t n;
	uint32_t c, min;
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		n = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		n = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		n = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t src_utf8_check(const char *text, size_t size)
{
	size_t i = 0;
	while (i < size) {
		if ((unsigned char)text[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = src_utf8_decode(text + i, size - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return SRC_UTF8_OK;
}

size_t src_utf8_length(const char *text, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < size; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int src_char_width(uint32_t cp)
{
	/* Combining diacritical marks and zero-width characters. */
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    cp == 0xFEFF)
		return 0;
	/* East Asian Wide (W) and Fullwidth (F) blocks. */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t src_display_width(const char *line, size_t len, size_t chars)
{
	size_t width = 0, i = 0;
	for (size_t c = 0; c < chars && i < len; c++) {
		if (line[i] == '\t') {
			width = (width / 8 + 1) * 8;
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = src_utf8_decode(line + i, len - i, &cp);
		if (n == 0) {
			/* A malformed byte shows as one replacement column. */
			width++;
			i++;
			continue;
		}
		width += (size_t)src_char_width(cp);
		i += n;
	}
	return width;
}
