/* The document of rulec doc: allocation helpers shared by its two front
 * ends, and its release. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

static void out_of_memory(void)
{
	fputs("rulec: out of memory\n", stderr);
	exit(4);
}

void *doc_alloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *doc_grow(void *items, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		out_of_memory();
	size_t bytes = count * size;
	void *p = realloc(items, bytes > 0 ? bytes : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *doc_strdup(const char *text)
{
	char *copy = strdup(text ? text : "");
	if (!copy)
		out_of_memory();
	return copy;
}

uint32_t *doc_index_copy(const uint32_t *items, size_t count)
{
	uint32_t *copy = doc_alloc(count, sizeof *copy);
	if (count > 0)
		memcpy(copy, items, count * sizeof *copy);
	return copy;
}

void doc_strs_push(doc_strs *list, char *owned)
{
	list->items = doc_grow(list->items, list->count + 1, sizeof *list->items);
	list->items[list->count++] = owned;
}

void doc_fields_push(doc_fields *list, const char *label, char *owned_value)
{
	list->items = doc_grow(list->items, list->count + 1, sizeof *list->items);
	list->items[list->count].label = doc_strdup(label);
	list->items[list->count].value = owned_value;
	list->count++;
}

const char *doc_relative_path(const char *path, const char *main_path)
{
	const char *slash = strrchr(main_path, '/');
	size_t base_len = slash ? (size_t)(slash - main_path) + 1 : 0;
	if (base_len > 0 && strncmp(path, main_path, base_len) == 0)
		return path + base_len;
	return path;
}

char *doc_source_string(const char *path, const char *main_path, unsigned line)
{
	doc_buf b;
	doc_buf_open(&b);
	fprintf(b.f, "%s:%u", doc_relative_path(path, main_path), line);
	return doc_buf_close(&b);
}

const char *doc_class_word(int unit_class)
{
	static const char *const words[3] = { "优先保护", "重点管控", "一般管控" };
	return unit_class >= 0 && unit_class < 3 ? words[unit_class] : "?";
}

static void strs_free(doc_strs *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
}

static void fields_free(doc_fields *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].label);
		free(list->items[i].value);
	}
	free(list->items);
}

static void rule_free(doc_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->requirement);
	free(r->when);
	strs_free(&r->unless);
	strs_free(&r->computed);
	free(r->ensure);
	free(r->units);
	free(r->counties);
	strs_free(&r->basis);
	strs_free(&r->overrides);
	strs_free(&r->allows);
	free(r->source);
}

void doc_set_free(doc_set *set)
{
	for (size_t i = 0; i < set->rule_count; i++)
		rule_free(&set->rules[i]);
	free(set->rules);
	for (size_t i = 0; i < set->unit_count; i++) {
		free(set->units[i].code);
		free(set->units[i].name);
		fields_free(&set->units[i].fields);
	}
	free(set->units);
	for (size_t i = 0; i < set->county_count; i++) {
		free(set->counties[i].name);
		fields_free(&set->counties[i].fields);
	}
	free(set->counties);
	fields_free(&set->industries);
	free(set->input);
	memset(set, 0, sizeof *set);
}
