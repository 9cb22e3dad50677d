/* The bytecode writer: sections, string interning, header and CRC. */
#include "emit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* A byte buffer written little-endian whatever the host order. */
typedef struct emit_buf {
	MODEL_VEC(uint8_t) b;
} emit_buf;

static void buf_bytes(emit_buf *buf, const void *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		*MODEL_PUSH(buf->b) = ((const uint8_t *)data)[i];
}

static void buf_u8(emit_buf *buf, uint8_t v)
{
	*MODEL_PUSH(buf->b) = v;
}

static void buf_u32(emit_buf *buf, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf_u8(buf, (uint8_t)(v >> (8 * i)));
}

static void buf_u64(emit_buf *buf, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		buf_u8(buf, (uint8_t)(v >> (8 * i)));
}

static void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The string table: an open-addressing hash set over the strings in
 * insertion order, which gives each its id. */
typedef struct emit_strings {
	MODEL_VEC(const char *) list;
	uint32_t *slots;          /* id + 1, or 0 for empty */
	size_t slot_count;
} emit_strings;

static uint32_t hash_string(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void strings_rehash(emit_strings *t)
{
	size_t count = t->slot_count ? t->slot_count * 2 : 64;
	free(t->slots);
	t->slots = model_xmalloc(count * sizeof *t->slots);
	memset(t->slots, 0, count * sizeof *t->slots);
	t->slot_count = count;
	for (size_t i = 0; i < t->list.count; i++) {
		size_t j = hash_string(t->list.items[i]) & (count - 1);
		while (t->slots[j])
			j = (j + 1) & (count - 1);
		t->slots[j] = (uint32_t)i + 1;
	}
}

static uint32_t intern(emit_strings *t, const char *s)
{
	if (!s)
		return BC_NONE;
	if ((t->list.count + 1) * 2 > t->slot_count)
		strings_rehash(t);
	size_t j = hash_string(s) & (t->slot_count - 1);
	while (t->slots[j]) {
		uint32_t id = t->slots[j] - 1;
		if (strcmp(t->list.items[id], s) == 0)
			return id;
		j = (j + 1) & (t->slot_count - 1);
	}
	*MODEL_PUSH(t->list) = s;
	t->slots[j] = (uint32_t)t->list.count;
	return (uint32_t)t->list.count - 1;
}

static void write_consts(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->consts.count);
	for (size_t i = 0; i < m->consts.count; i++) {
		const model_const *c = &m->consts.items[i];
		size_t start = out->b.count;
		buf_u8(out, (uint8_t)c->kind);
		buf_u8(out, 0);
		buf_u8(out, 0);
		buf_u8(out, 0);
		switch (c->kind) {
		case BC_CONST_DEC:
			buf_u64(out, (uint64_t)c->dec.coef);
			buf_u32(out, (uint32_t)c->dec.scale);
			break;
		case BC_CONST_RATIO:
			buf_u64(out, (uint64_t)c->num);
			buf_u32(out, (uint32_t)c->den);
			break;
		case BC_CONST_DATE:
			buf_u32(out, (uint32_t)c->date);
			break;
		case BC_CONST_STRING:
		case BC_CONST_CODE:
			buf_u32(out, intern(strs, c->text));
			break;
		case BC_CONST_ENUM:
			buf_u32(out, c->index);
			buf_u32(out, c->value);
			break;
		case BC_CONST_SET:
			buf_u32(out, c->index);
			buf_u64(out, c->bits);
			break;
		case BC_CONST_BOOL:
		case BC_CONST_INDSET:
		case BC_CONST_COUNTY:
		case BC_CONST_CLASS:
			buf_u32(out, c->index);
			break;
		}
		while (out->b.count < start + 16)
			buf_u8(out, 0);
	}
}

static void write_enums(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->enums.count);
	for (size_t i = 0; i < m->enums.count; i++) {
		const model_enum *e = &m->enums.items[i];
		buf_u32(out, intern(strs, e->name));
		buf_u32(out, (uint32_t)e->values.count);
		for (size_t v = 0; v < e->values.count; v++)
			buf_u32(out, intern(strs, e->values.items[v]));
	}
}

static void write_facts(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->facts.count);
	for (size_t i = 0; i < m->facts.count; i++) {
		const model_fact *f = &m->facts.items[i];
		buf_u32(out, intern(strs, f->path));
		buf_u32(out, intern(strs, f->label ? f->label : f->path));
		buf_u8(out, (uint8_t)f->t.type);
		buf_u8(out, 0);
		buf_u8(out, 0);
		buf_u8(out, 0);
		buf_u32(out, f->t.enum_index);
		buf_u32(out, intern(strs, f->t.unit_text));
	}
}

static void write_attrs(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->attrs.count);
	for (size_t i = 0; i < m->attrs.count; i++) {
		const model_attr *a = &m->attrs.items[i];
		buf_u8(out, a->owner == OWNER_COUNTY ? 1 : 0);
		buf_u8(out, (uint8_t)a->t.type);
		buf_u8(out, 0);
		buf_u8(out, 0);
		buf_u32(out, intern(strs, a->name));
		buf_u32(out, intern(strs, a->label ? a->label : a->name));
		buf_u32(out, a->t.enum_index);
		buf_u32(out, intern(strs, a->t.unit_text));
		buf_u32(out, 0);
	}
}

static void write_industries(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->industries.count);
	for (size_t i = 0; i < m->industries.count; i++) {
		const model_industry *ind = &m->industries.items[i];
		buf_u32(out, intern(strs, ind->name));
		buf_u32(out, (uint32_t)ind->codes.count);
		for (size_t c = 0; c < ind->codes.count; c++)
			buf_u32(out, intern(strs, ind->codes.items[c]));
	}
}

static void write_values(const model_value *values, size_t count, emit_buf *out)
{
	buf_u32(out, (uint32_t)count);
	for (size_t v = 0; v < count; v++) {
		buf_u32(out, values[v].attr);
		buf_u32(out, values[v].constant);
	}
}

static void write_counties(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->counties.count);
	for (size_t i = 0; i < m->counties.count; i++) {
		const model_county *c = &m->counties.items[i];
		buf_u32(out, intern(strs, c->name));
		buf_u32(out, intern(strs, c->code ? c->code : ""));
		write_values(c->values.items, c->values.count, out);
	}
}

static void write_units(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->units.count);
	for (size_t i = 0; i < m->units.count; i++) {
		const model_unit *u = &m->units.items[i];
		buf_u32(out, intern(strs, u->code));
		buf_u32(out, intern(strs, u->name ? u->name : ""));
		buf_u32(out, u->county);
		buf_u32(out, u->unit_class < 0 ? BC_NONE : (uint32_t)u->unit_class);
		buf_u32(out, u->area);
		write_values(u->values.items, u->values.count, out);
	}
}

static void write_sources(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->sources.count);
	for (size_t i = 0; i < m->sources.count; i++)
		buf_u32(out, intern(strs, m->sources.items[i]));
}

static const char *unit_spelling(const ast_expr *e)
{
	if (e && e->type.kind == ER_K_DEC && e->type.has_unit)
		return e->type.unit_text;
	return NULL;
}

static void write_rule(const model_rule *r, emit_strings *strs, emit_buf *out)
{
	const ast_rule *a = r->ast;
	uint32_t flags = (a->has_from ? BC_RULE_HAS_FROM : 0) | (a->has_until ? BC_RULE_HAS_UNTIL : 0);

	buf_u32(out, intern(strs, r->id));
	buf_u32(out, intern(strs, a->title ? a->title : ""));
	buf_u32(out, (uint32_t)a->dimension);
	buf_u32(out, (uint32_t)a->verdict);
	buf_u32(out, flags);
	buf_u32(out, a->has_from ? (uint32_t)a->from : 0);
	buf_u32(out, a->has_until ? (uint32_t)a->until : 0);
	buf_u32(out, intern(strs, a->message ? a->message : ""));
	buf_u32(out, a->id_span.begin.file);
	buf_u32(out, a->id_span.begin.line);
	buf_u32(out, a->id_span.begin.col);
	buf_u32(out, r->cond_code);
	buf_u32(out, r->ensure_code);
	buf_u32(out, r->class_mask);
	buf_u32(out, (uint32_t)r->scope_units.count);
	buf_u32(out, (uint32_t)r->scope_counties.count);
	buf_u32(out, (uint32_t)ast_list_length(a->basis));
	buf_u32(out, (uint32_t)r->facts_read.count);
	buf_u32(out, (uint32_t)r->parts.count);
	buf_u32(out, (uint32_t)r->lets.count);
	buf_u32(out, (uint32_t)r->overrides.count);

	for (size_t i = 0; i < r->scope_units.count; i++)
		buf_u32(out, r->scope_units.items[i]);
	for (size_t i = 0; i < r->scope_counties.count; i++)
		buf_u32(out, r->scope_counties.items[i]);
	for (const ast_list *l = a->basis; l; l = l->next)
		buf_u32(out, intern(strs, ((const ast_ident *)l->item)->text));
	for (size_t i = 0; i < r->facts_read.count; i++)
		buf_u32(out, r->facts_read.items[i]);
	for (size_t i = 0; i < r->parts.count; i++) {
		const model_part *p = &r->parts.items[i];
		buf_u32(out, intern(strs, p->text));
		buf_u32(out, p->expr ? p->code : BC_NONE);
		buf_u32(out, intern(strs, unit_spelling(p->expr)));
	}
	for (size_t i = 0; i < r->lets.count; i++) {
		const model_let *l = &r->lets.items[i];
		buf_u32(out, intern(strs, l->name));
		buf_u32(out, l->code);
		buf_u32(out, intern(strs, unit_spelling(l->value)));
	}
	for (size_t i = 0; i < r->overrides.count; i++)
		buf_u32(out, r->overrides.items[i]);
}

static void write_rules(const model *m, emit_strings *strs, emit_buf *out)
{
	buf_u32(out, (uint32_t)m->rules.count);
	for (size_t i = 0; i < m->rules.count; i++)
		write_rule(&m->rules.items[i], strs, out);
}

static void write_strings(const emit_strings *strs, emit_buf *out)
{
	uint32_t offset = 0;
	buf_u32(out, (uint32_t)strs->list.count);
	for (size_t i = 0; i < strs->list.count; i++) {
		buf_u32(out, offset);
		offset += (uint32_t)strlen(strs->list.items[i]);
	}
	buf_u32(out, offset);
	for (size_t i = 0; i < strs->list.count; i++)
		buf_bytes(out, strs->list.items[i], strlen(strs->list.items[i]));
}

enum { SECTION_COUNT = 11 };

void emit_bytes(const model *m, uint8_t **out, size_t *size)
{
	emit_strings strs = { 0 };
	emit_buf sec[SECTION_COUNT];
	uint32_t kinds[SECTION_COUNT] = {
		BC_SEC_STRINGS, BC_SEC_CONSTS, BC_SEC_ENUMS, BC_SEC_FACTS,
		BC_SEC_ATTRS, BC_SEC_INDUSTRY, BC_SEC_COUNTIES, BC_SEC_UNITS,
		BC_SEC_SOURCES, BC_SEC_RULES, BC_SEC_CODE
	};
	memset(sec, 0, sizeof sec);

	/* Every section but STRS first, so the string table is complete. */
	write_consts(m, &strs, &sec[1]);
	write_enums(m, &strs, &sec[2]);
	write_facts(m, &strs, &sec[3]);
	write_attrs(m, &strs, &sec[4]);
	write_industries(m, &strs, &sec[5]);
	write_counties(m, &strs, &sec[6]);
	write_units(m, &strs, &sec[7]);
	write_sources(m, &strs, &sec[8]);
	write_rules(m, &strs, &sec[9]);
	buf_bytes(&sec[10], m->code.items, m->code.count);
	write_strings(&strs, &sec[0]);

	/* Sections start on 4-byte boundaries; the gaps are zero. */
	size_t offsets[SECTION_COUNT];
	size_t total = BC_HEADER_SIZE + SECTION_COUNT * BC_DIR_ENTRY_SIZE;
	for (int i = 0; i < SECTION_COUNT; i++) {
		total = (total + 3) & ~(size_t)3;
		offsets[i] = total;
		total += sec[i].b.count;
	}

	uint8_t *file = model_xmalloc(total);
	memset(file, 0, total);
	memcpy(file, BC_MAGIC, 4);
	file[4] = BC_VERSION_MAJOR & 0xff;
	file[5] = BC_VERSION_MAJOR >> 8;
	file[6] = BC_VERSION_MINOR & 0xff;
	file[7] = BC_VERSION_MINOR >> 8;
	put_u32(file + 12, SECTION_COUNT);
	put_u32(file + 16, (uint32_t)total);
	for (int i = 0; i < SECTION_COUNT; i++) {
		uint8_t *dir = file + BC_HEADER_SIZE + (size_t)i * BC_DIR_ENTRY_SIZE;
		put_u32(dir, kinds[i]);
		put_u32(dir + 4, (uint32_t)offsets[i]);
		put_u32(dir + 8, (uint32_t)sec[i].b.count);
		if (sec[i].b.count)
			memcpy(file + offsets[i], sec[i].b.items, sec[i].b.count);
		free(sec[i].b.items);
	}
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, file, (uInt)total);
	put_u32(file + 20, (uint32_t)crc);

	free(strs.list.items);
	free(strs.slots);
	*out = file;
	*size = total;
}

int emit_file(const model *m, const char *path)
{
	uint8_t *data;
	size_t size;
	emit_bytes(m, &data, &size);

	size_t len = strlen(path) + 16;
	char *tmp = model_xmalloc(len);
	snprintf(tmp, len, "%s.tmpXXXXXX", path);
	int saved = 0;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		saved = errno;
		goto fail;
	}
	/* mkstemp creates the file with mode 0600; give it the mode an
	 * ordinary new file would get under the current umask. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		goto fail;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		saved = errno;
		close(fd);
		unlink(tmp);
		goto fail;
	}
	size_t written = fwrite(data, 1, size, f);
	if (written != size || fflush(f) != 0) {
		saved = errno ? errno : EIO;
		fclose(f);
		unlink(tmp);
		goto fail;
	}
	if (fclose(f) != 0) {
		saved = errno;
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		goto fail;
	}
	free(tmp);
	free(data);
	return 0;

fail:
	free(tmp);
	free(data);
	errno = saved;
	return -1;
}
