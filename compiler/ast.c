/* The AST arena: bump allocation in chunks, strings and lists in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

/* Chunk sizes double from this size up to 1 MiB. A request larger than
 * the next chunk size gets a chunk of exactly its size. */
#define ARENA_FIRST_CHUNK 8192

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	/* Aligned for any object the compiler stores. */
	_Alignas(max_align_t) unsigned char data[];
} arena_chunk;

struct ast_arena {
	arena_chunk *chunks;
	size_t next_size;
};

void ast_out_of_memory(void)
{
	fputs("rulec: out of memory\n", stderr);
	exit(4);
}

static void arena_out_of_memory(size_t size)
{
	fprintf(stderr, "rulec: out of memory (allocating %zu bytes)\n", size);
	exit(4);
}

ast_arena *ast_arena_new(void)
{
	ast_arena *arena = calloc(1, sizeof *arena);
	if (arena == NULL)
		arena_out_of_memory(sizeof *arena);
	arena->next_size = ARENA_FIRST_CHUNK;
	return arena;
}

void ast_arena_free(ast_arena *arena)
{
	if (arena == NULL)
		return;
	arena_chunk *chunk = arena->chunks;
	while (chunk != NULL) {
		arena_chunk *next = chunk->next;
		free(chunk);
		chunk = next;
	}
	free(arena);
}

void *ast_alloc(ast_arena *arena, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	size_t rounded = (size + align - 1) & ~(align - 1);
	if (rounded < size)
		arena_out_of_memory(size);
	if (rounded == 0)
		rounded = align;

	arena_chunk *chunk = arena->chunks;
	if (chunk == NULL || chunk->size - chunk->used < rounded) {
		size_t chunk_size = arena->next_size;
		if (chunk_size < rounded)
			chunk_size = rounded;
		if (chunk_size > SIZE_MAX - sizeof *chunk)
			arena_out_of_memory(size);
		chunk = malloc(sizeof *chunk + chunk_size);
		if (chunk == NULL)
			arena_out_of_memory(size);
		chunk->size = chunk_size;
		chunk->used = 0;
		chunk->next = arena->chunks;
		arena->chunks = chunk;
		if (arena->next_size < (1u << 20))
			arena->next_size *= 2;
	}
	void *p = chunk->data + chunk->used;
	chunk->used += rounded;
	memset(p, 0, size);
	return p;
}

char *ast_strdup(ast_arena *arena, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		arena_out_of_memory(len);
	char *copy = ast_alloc(arena, len + 1);
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/* Appending walks the list, so building a list of n items costs O(n^2).
 * The parser appends declarations through a tail pointer, so only short
 * lists (clauses, set items, fields) come through here. */
ast_list *ast_list_append(ast_arena *arena, ast_list *list, void *item)
{
	ast_list *node = ast_alloc(arena, sizeof *node);
	node->item = item;
	if (list == NULL)
		return node;
	ast_list *tail = list;
	while (tail->next != NULL)
		tail = tail->next;
	tail->next = node;
	return list;
}

size_t ast_list_length(const ast_list *list)
{
	size_t n = 0;
	for (; list != NULL; list = list->next)
		n++;
	return n;
}
