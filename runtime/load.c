/* The bytecode loader: reads a whole file per runtime/bytecode.h,
 * distrusting every byte, into an er_program, then has the code verified
 * and the rule indexes built. Header and table sections are read here;
 * the rule table in load_rules.c. */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "i18n.h"
#include "units.h"

/* ---- Reading within a section ---- */

void ld_fail(ld_reader *r, const char *expected)
{
	if (r->failed)
		return;
	r->failed = 1;
	pr_format_error(r->err, ER_E_FORMAT, r->section, r->pos, expected);
}

int ld_u32(ld_reader *r, uint32_t *v)
{
	const uint8_t *b;

	if (r->failed)
		return -1;
	if (r->end - r->pos < 4) {
		ld_fail(r, _("the section ends in the middle of an entry"));
		return -1;
	}
	b = r->data + r->pos;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	r->pos += 4;
	return 0;
}

static int ld_u8(ld_reader *r, uint8_t *v)
{
	if (r->failed)
		return -1;
	if (r->end - r->pos < 1) {
		ld_fail(r, _("the section ends in the middle of an entry"));
		return -1;
	}
	*v = r->data[r->pos++];
	return 0;
}

static int ld_u64(ld_reader *r, uint64_t *v)
{
	uint32_t lo, hi;
	if (ld_u32(r, &lo) != 0 || ld_u32(r, &hi) != 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int ld_skip_zero(ld_reader *r, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		uint8_t b;
		if (ld_u8(r, &b) != 0)
			return -1;
		if (b != 0) {
			r->pos--;
			ld_fail(r, _("expected a zero padding byte"));
			return -1;
		}
	}
	return 0;
}

/* Read a count of entries that each take at least min_size bytes, so that
 * a huge count fails here instead of in an allocation. */
int ld_count(ld_reader *r, size_t min_size, uint32_t *count)
{
	size_t at = r->pos;
	if (ld_u32(r, count) != 0)
		return -1;
	if (*count > (r->end - r->pos) / min_size) {
		char message[160];

		snprintf(message, sizeof message,
			 _("a count of %u entries of at least %zu bytes each, but the section has %zu "
			   "bytes left"),
			 *count, min_size, r->end - r->pos);
		r->pos = at;
		ld_fail(r, message);
		return -1;
	}
	return 0;
}

/* Read a reference that must be below limit, or BC_NONE where allowed. */
int ld_index(ld_reader *r, uint32_t limit, int none_ok, const char *expected, uint32_t *v)
{
	size_t at = r->pos;
	if (ld_u32(r, v) != 0)
		return -1;
	if ((*v == BC_NONE && none_ok) || *v < limit)
		return 0;
	r->pos = at;
	ld_fail(r, expected);
	return -1;
}

int ld_string(ld_reader *r, int none_ok, uint32_t *v)
{
	return ld_index(r, r->program->string_count, none_ok,
			_("expected a string id within the string table"), v);
}

/* A string id whose text is a unit spelling; stores the parsed unit. */
int ld_unit_text(ld_reader *r, uint32_t *v, er_unit *unit)
{
	const er_program *p = r->program;
	size_t at = r->pos;

	if (ld_string(r, 1, v) != 0)
		return -1;
	if (*v == BC_NONE)
		return 0;
	if (er_unit_parse(p->strings[*v], p->string_lens[*v], unit) != 0) {
		r->pos = at;
		ld_fail(r, _("expected a unit spelling such as 吨/年"));
		return -1;
	}
	return 0;
}

static void ld_expect_end(ld_reader *r)
{
	if (!r->failed && r->pos != r->end)
		ld_fail(r, _("unexpected bytes after the last entry of the section"));
}

/* ---- Sections ---- */

static int utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t len, k;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static void load_strings(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i, prev = 0;
	size_t table, area, area_size;

	if (ld_count(r, 4, &count) != 0)
		return;
	if (count == UINT32_MAX || (size_t)count + 1 > (r->end - r->pos) / 4) {
		ld_fail(r, _("the count is larger than the section can hold"));
		return;
	}
	table = r->pos;
	area = table + ((size_t)count + 1) * 4;
	area_size = r->end - area;
	p->strings = calloc((size_t)count + 1, sizeof *p->strings);
	p->string_lens = calloc((size_t)count + 1, sizeof *p->string_lens);
	p->string_store = malloc(area_size + count + 1);
	if (!p->strings || !p->string_lens || !p->string_store) {
		r->nomem = 1;
		return;
	}
	for (i = 0; i <= count; i++) {
		uint32_t off;
		if (ld_u32(r, &off) != 0)
			return;
		if (off < prev || off > area_size || (i == 0 && off != 0)) {
			r->pos -= 4;
			ld_fail(r, _("expected string offsets in ascending order within the byte area"));
			return;
		}
		if (i > 0) {
			uint32_t len = off - prev;
			char *dst = p->string_store + prev + (i - 1);
			if (!utf8_valid(r->data + area + prev, len)) {
				r->pos = area + prev;
				ld_fail(r, _("expected valid UTF-8 text without NUL bytes"));
				return;
			}
			memcpy(dst, r->data + area + prev, len);
			dst[len] = '\0';
			p->strings[i - 1] = dst;
			p->string_lens[i - 1] = len;
		}
		prev = off;
	}
	if (prev != area_size) {
		r->pos = area + prev;
		ld_fail(r, _("unexpected bytes after the last entry of the section"));
		return;
	}
	p->string_count = count;
	r->pos = r->end;
}

static void load_enums(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i, used = 0;
	size_t avail;

	if (ld_count(r, 8, &count) != 0)
		return;
	avail = (r->end - r->pos) / 4;
	p->enums = calloc(count ? count : 1, sizeof *p->enums);
	p->enum_values = calloc(avail ? avail : 1, sizeof *p->enum_values);
	if (!p->enums || !p->enum_values) {
		r->nomem = 1;
		return;
	}
	for (i = 0; i < count; i++) {
		pr_enum *e = &p->enums[i];
		uint32_t size, k;
		size_t at;
		if (ld_string(r, 0, &e->name) != 0)
			return;
		at = r->pos;
		if (ld_u32(r, &size) != 0)
			return;
		if (size > 64 || size > (r->end - r->pos) / 4) {
			r->pos = at;
			ld_fail(r, _("expected an enumeration of at most 64 values"));
			return;
		}
		e->size = size;
		e->values = p->enum_values + used;
		for (k = 0; k < size; k++)
			if (ld_string(r, 0, &p->enum_values[used++]) != 0)
				return;
	}
	p->enum_count = count;
	ld_expect_end(r);
}

static void load_industry_sets(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 8, &count) != 0)
		return;
	p->indsets = calloc(count ? count : 1, sizeof *p->indsets);
	if (!p->indsets) {
		r->nomem = 1;
		return;
	}
	p->indset_count = count;
	for (i = 0; i < count; i++) {
		pr_indset *s = &p->indsets[i];
		uint32_t k;
		if (ld_string(r, 1, &s->name) != 0 || ld_count(r, 4, &s->count) != 0)
			return;
		s->codes = malloc(((size_t)s->count + 1) * sizeof *s->codes);
		if (!s->codes) {
			r->nomem = 1;
			return;
		}
		for (k = 0; k < s->count; k++) {
			size_t at = r->pos;
			if (ld_string(r, 0, &s->codes[k]) != 0)
				return;
			if (!ld_is_digits(p, s->codes[k])) {
				r->pos = at;
				ld_fail(r, _("expected an industry code of digits only"));
				return;
			}
		}
	}
	ld_expect_end(r);
}

int ld_is_digits(const er_program *p, uint32_t id)
{
	const char *s = p->strings[id];
	uint32_t i, n = p->string_lens[id];

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void load_consts(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 16, &count) != 0)
		return;
	p->consts = calloc(count ? count : 1, sizeof *p->consts);
	if (!p->consts) {
		r->nomem = 1;
		return;
	}
	p->const_count = count;
	for (i = 0; i < count; i++) {
		pr_const *c = &p->consts[i];
		er_value *v = &c->value;
		size_t start = r->pos;
		uint32_t a, b;
		uint64_t bits;

		if (ld_u8(r, &c->kind) != 0 || ld_skip_zero(r, 3) != 0)
			return;
		switch (c->kind) {
		case BC_CONST_DEC:
		case BC_CONST_RATIO:
			if (ld_u64(r, &bits) != 0 || ld_u32(r, &a) != 0)
				return;
			if (c->kind == BC_CONST_DEC) {
				if ((int32_t)a < 0 || (int32_t)a > ER_DEC_MAX_SCALE) {
					r->pos -= 4;
					ld_fail(r, _("expected a decimal scale from 0 to 18"));
					return;
				}
				v->kind = ER_K_DEC;
				v->as.dec.coef = (int64_t)bits;
				v->as.dec.scale = (int32_t)a;
			} else {
				if ((int64_t)bits <= 0 || (int32_t)a <= 0) {
					r->pos -= 12;
					ld_fail(r, _("expected a ratio with a positive numerator and denominator"));
					return;
				}
				c->num = (int64_t)bits;
				c->den = (int32_t)a;
			}
			break;
		case BC_CONST_DATE:
			if (ld_u32(r, &a) != 0)
				return;
			/* 0001-01-01 to 9999-12-31 */
			if ((int32_t)a < -719162 || (int32_t)a > 2932896) {
				r->pos -= 4;
				ld_fail(r, _("expected a date between the years 1 and 9999"));
				return;
			}
			v->kind = ER_K_DATE;
			v->as.date = (int32_t)a;
			break;
		case BC_CONST_STRING:
		case BC_CONST_CODE:
			if (ld_string(r, 0, &a) != 0)
				return;
			if (c->kind == BC_CONST_CODE && !ld_is_digits(p, a)) {
				r->pos -= 4;
				ld_fail(r, _("expected an industry code of digits only"));
				return;
			}
			v->kind = c->kind == BC_CONST_CODE ? ER_K_CODE : ER_K_STRING;
			v->as.str.ptr = p->strings[a];
			v->as.str.len = p->string_lens[a];
			break;
		case BC_CONST_ENUM:
		case BC_CONST_SET:
			if (ld_index(r, p->enum_count, 0, _("expected an enumeration index"), &a) != 0)
				return;
			if (c->kind == BC_CONST_ENUM) {
				if (ld_index(r, p->enums[a].size, 0,
					     _("expected a value index within the enumeration"), &b) != 0)
					return;
				v->kind = ER_K_ENUM;
				v->as.index = b;
			} else {
				uint32_t size = p->enums[a].size;
				if (ld_u64(r, &bits) != 0)
					return;
				if (size < 64 && (bits >> size) != 0) {
					r->pos -= 8;
					ld_fail(r, _("expected set bits within the size of the enumeration"));
					return;
				}
				v->kind = ER_K_SET;
				v->as.bits = bits;
			}
			/* Known enum and set values carry their enumeration in `why`
			 * (see vm.h), so reports can name their values. */
			v->why = a;
			break;
		case BC_CONST_BOOL:
			if (ld_index(r, 2, 0, _("expected a boolean 0 or 1"), &a) != 0)
				return;
			v->kind = ER_K_BOOL;
			v->truth = a ? ER_TRUE : ER_FALSE;
			break;
		case BC_CONST_INDSET:
			if (ld_index(r, p->indset_count, 0, _("expected an industry-set index"), &a) != 0)
				return;
			v->kind = ER_K_INDSET;
			v->as.index = a;
			break;
		case BC_CONST_COUNTY:
			if (ld_index(r, r->county_count, 0, _("expected a county index"), &a) != 0)
				return;
			v->kind = ER_K_COUNTY;
			v->as.index = a;
			break;
		case BC_CONST_CLASS:
			if (ld_index(r, 3, 0, _("expected a unit class from 0 to 2"), &a) != 0)
				return;
			v->kind = ER_K_CLASS;
			v->as.index = a;
			break;
		default:
			r->pos = start;
			ld_fail(r, _("expected a known constant kind"));
			return;
		}
		/* The payload is 12 bytes whatever the kind uses of it. */
		r->pos = start + 16;
	}
	ld_expect_end(r);
}

static void load_facts(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 20, &count) != 0)
		return;
	p->facts = calloc(count ? count : 1, sizeof *p->facts);
	p->fact_kinds = calloc(count ? count : 1, 1);
	p->fact_names = calloc(count ? (size_t)count * 2 : 1, sizeof *p->fact_names);
	if (!p->facts || !p->fact_kinds || !p->fact_names || pr_hash_init(&p->fact_hash, (size_t)count * 2) != ER_OK) {
		r->nomem = 1;
		return;
	}
	p->fact_count = count;
	for (i = 0; i < count; i++) {
		er_fact_info *f = &p->facts[i];
		uint32_t path, label, enum_index, unit;
		uint8_t type;
		er_kind kind;
		size_t at;

		if (ld_string(r, 0, &path) != 0 || ld_string(r, 0, &label) != 0)
			return;
		at = r->pos;
		if (ld_u8(r, &type) != 0 || ld_skip_zero(r, 3) != 0)
			return;
		if (type == ER_FT_INDUSTRIES || pr_kind_of_type((er_fact_type)type, &kind) != 0) {
			r->pos = at;
			ld_fail(r, _("expected a fact type"));
			return;
		}
		if (type == ER_FT_UNIT) {
			if (p->unit_fact != BC_NONE) {
				r->pos = at;
				ld_fail(r, _("expected at most one fact of type unit"));
				return;
			}
			p->unit_fact = i;
		}
		if (ld_index(r, p->enum_count, 1, _("expected an enumeration index"), &enum_index) != 0)
			return;
		if ((enum_index == BC_NONE) == (type == ER_FT_ENUM || type == ER_FT_SET)) {
			r->pos -= 4;
			ld_fail(r, _("expected an enumeration index exactly for enum and set facts"));
			return;
		}
		f->unit = er_unit_one();
		if (ld_unit_text(r, &unit, &f->unit) != 0)
			return;
		if ((unit == BC_NONE) == (type == ER_FT_QUANTITY)) {
			r->pos -= 4;
			ld_fail(r, _("expected a unit spelling exactly for quantity facts"));
			return;
		}
		p->fact_names[2 * i] = path;
		p->fact_names[2 * i + 1] = label;
		f->path = p->strings[path];
		f->label = p->strings[label];
		f->type = (er_fact_type)type;
		f->enum_index = enum_index;
		f->unit_text = pr_string_or_null(p, unit);
		p->fact_kinds[i] = (uint8_t)kind;
	}
	/* Paths first, so a label never hides another fact's path. */
	for (i = 0; i < count; i++)
		pr_hash_insert(p, &p->fact_hash, p->fact_names[2 * i], i);
	for (i = 0; i < count; i++)
		pr_hash_insert(p, &p->fact_hash, p->fact_names[2 * i + 1], i);
	ld_expect_end(r);
}

static void load_attrs(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 24, &count) != 0)
		return;
	p->attrs = calloc(count ? count : 1, sizeof *p->attrs);
	if (!p->attrs) {
		r->nomem = 1;
		return;
	}
	p->attr_count = count;
	for (i = 0; i < count; i++) {
		pr_attr *a = &p->attrs[i];
		size_t at = r->pos;
		er_kind kind;
		er_unit unit;
		uint32_t reserved;

		if (ld_u8(r, &a->owner) != 0 || ld_u8(r, &a->type) != 0 || ld_skip_zero(r, 2) != 0)
			return;
		if (a->owner > 1 || pr_kind_of_type((er_fact_type)a->type, &kind) != 0) {
			r->pos = at;
			ld_fail(r, _("expected an attribute owner (0 unit, 1 county) and a type"));
			return;
		}
		a->kind = (uint8_t)kind;
		if (ld_string(r, 0, &a->name) != 0 || ld_string(r, 0, &a->label) != 0 ||
		    ld_index(r, p->enum_count, 1, _("expected an enumeration index"), &a->enum_index) != 0)
			return;
		if ((a->enum_index == BC_NONE) == (a->type == ER_FT_ENUM || a->type == ER_FT_SET)) {
			r->pos -= 4;
			ld_fail(r, _("expected an enumeration index exactly for enum and set attributes"));
			return;
		}
		if (ld_unit_text(r, &a->unit_text, &unit) != 0)
			return;
		if (a->unit_text != BC_NONE && a->type != ER_FT_QUANTITY) {
			r->pos -= 4;
			ld_fail(r, _("expected a unit spelling only for quantity attributes"));
			return;
		}
		if (ld_u32(r, &reserved) != 0)
			return;
	}
	ld_expect_end(r);
}

/* Whether constant c can be a value of attribute a. */
static int const_fits_attr(const er_program *p, const pr_const *c, const pr_attr *a)
{
	if (c->kind == BC_CONST_RATIO || c->value.kind != a->kind)
		return 0;
	if (a->kind == ER_K_ENUM || a->kind == ER_K_SET) {
		/* The constant's enumeration is not kept after loading; its value
		 * must at least lie within the attribute's enumeration. */
		uint32_t size = p->enums[a->enum_index].size;
		if (a->kind == ER_K_ENUM)
			return c->value.as.index < size;
		return size >= 64 || (c->value.as.bits >> size) == 0;
	}
	return 1;
}

/* Read `count` (attribute, constant) pairs into row[attr_count]. */
static void load_values(ld_reader *r, uint8_t owner, uint32_t *row)
{
	er_program *p = r->program;
	uint32_t count, k;

	if (ld_count(r, 8, &count) != 0)
		return;
	for (k = 0; k < count; k++) {
		uint32_t attr, cst;
		if (ld_index(r, p->attr_count, 0, _("expected an attribute index"), &attr) != 0)
			return;
		if (p->attrs[attr].owner != owner || row[attr] != BC_NONE) {
			r->pos -= 4;
			ld_fail(r, owner == 0 ? _("expected a unit attribute set at most once")
					      : _("expected a county attribute set at most once"));
			return;
		}
		if (ld_index(r, p->const_count, 0, _("expected a constant index"), &cst) != 0)
			return;
		if (!const_fits_attr(p, &p->consts[cst], &p->attrs[attr])) {
			r->pos -= 4;
			ld_fail(r, _("expected a constant of the attribute's type"));
			return;
		}
		row[attr] = cst;
	}
}

static uint32_t *new_value_rows(size_t rows, size_t attrs)
{
	size_t n = rows * attrs, i;
	uint32_t *v;

	if (attrs != 0 && n / attrs != rows)
		return NULL;
	v = malloc((n ? n : 1) * sizeof *v);
	if (v)
		for (i = 0; i < n; i++)
			v[i] = BC_NONE;
	return v;
}

static void load_counties(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 12, &count) != 0)
		return;
	p->counties = calloc(count ? count : 1, sizeof *p->counties);
	p->county_values = new_value_rows(count, p->attr_count);
	if (!p->counties || !p->county_values) {
		r->nomem = 1;
		return;
	}
	p->county_count = count;
	for (i = 0; i < count; i++) {
		pr_county *c = &p->counties[i];
		if (ld_string(r, 0, &c->name) != 0 || ld_string(r, 0, &c->code) != 0)
			return;
		load_values(r, 1, p->county_values + (size_t)i * p->attr_count);
		if (r->failed)
			return;
	}
	ld_expect_end(r);
}

static void load_units(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 24, &count) != 0)
		return;
	p->units = calloc(count ? count : 1, sizeof *p->units);
	p->unit_values = new_value_rows(count, p->attr_count);
	if (!p->units || !p->unit_values || pr_hash_init(&p->unit_hash, count) != ER_OK) {
		r->nomem = 1;
		return;
	}
	p->unit_count = count;
	for (i = 0; i < count; i++) {
		pr_unit *u = &p->units[i];
		if (ld_string(r, 0, &u->code) != 0 || ld_string(r, 0, &u->name) != 0 ||
		    ld_index(r, p->county_count, 0, _("expected a county index"), &u->county) != 0 ||
		    ld_index(r, 3, 0, _("expected a unit class from 0 to 2"), &u->klass) != 0 ||
		    ld_index(r, p->const_count, 1, _("expected a constant index"), &u->area) != 0)
			return;
		if (u->area != BC_NONE && p->consts[u->area].kind != BC_CONST_DEC) {
			r->pos -= 4;
			ld_fail(r, _("expected a decimal constant for the area"));
			return;
		}
		load_values(r, 0, p->unit_values + (size_t)i * p->attr_count);
		if (r->failed)
			return;
		pr_hash_insert(p, &p->unit_hash, u->code, i);
	}
	ld_expect_end(r);
}

static void load_sources(ld_reader *r)
{
	er_program *p = r->program;
	uint32_t count, i;

	if (ld_count(r, 4, &count) != 0)
		return;
	p->sources = calloc(count ? count : 1, sizeof *p->sources);
	if (!p->sources) {
		r->nomem = 1;
		return;
	}
	p->source_count = count;
	for (i = 0; i < count; i++)
		if (ld_string(r, 0, &p->sources[i]) != 0)
			return;
	ld_expect_end(r);
}

/* ---- Header and directory ---- */

static uint32_t get_u32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

typedef struct dir_entry {
	uint32_t kind, offset, size;
} dir_entry;

static int by_offset(const void *a, const void *b)
{
	const dir_entry *x = a, *y = b;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

static const uint32_t section_order[] = {
	BC_SEC_STRINGS, BC_SEC_ENUMS, BC_SEC_INDUSTRY, BC_SEC_CONSTS, BC_SEC_FACTS, BC_SEC_ATTRS,
	BC_SEC_COUNTIES, BC_SEC_UNITS, BC_SEC_SOURCES, BC_SEC_CODE, BC_SEC_RULES,
};
#define SECTION_KINDS (sizeof section_order / sizeof section_order[0])

static er_status check_header(const uint8_t *data, size_t size, dir_entry *dir, er_error *err)
{
	uint32_t count, i, crc_field;
	uLong crc;
	static const uint8_t zero[4] = { 0, 0, 0, 0 };
	size_t dir_end;
	dir_entry sorted[SECTION_KINDS];
	uint32_t sorted_count = 0;

	if (size < BC_HEADER_SIZE) {
		pr_format_error(err, ER_E_FORMAT, "header", size,
				_("the file is shorter than the 32-byte header"));
		return ER_E_FORMAT;
	}
	if (memcmp(data, BC_MAGIC, 4) != 0) {
		pr_format_error(err, ER_E_FORMAT, "header", 0,
				_("expected the magic \"ECRB\" of an ecorule bytecode file"));
		return ER_E_FORMAT;
	}
	if ((data[4] | data[5] << 8) != BC_VERSION_MAJOR) {
		snprintf(err->message, sizeof err->message,
			 _("unsupported bytecode version %u.%u: this runtime reads version %d.x; "
			   "compile the rules again with a matching rulec"),
			 (unsigned)(data[4] | data[5] << 8), (unsigned)(data[6] | data[7] << 8),
			 BC_VERSION_MAJOR);
		err->status = ER_E_VERSION;
		return ER_E_VERSION;
	}
	if (get_u32(data + 16) != size) {
		pr_format_error(err, ER_E_FORMAT, "header", 16,
				_("the declared file size differs from the actual size (truncated or extended file)"));
		return ER_E_FORMAT;
	}
	crc_field = get_u32(data + 20);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, data, 20);
	crc = crc32(crc, zero, 4);
	crc = crc32(crc, data + 24, (uInt)(size - 24));
	if ((uint32_t)crc != crc_field) {
		pr_format_error(err, ER_E_FORMAT, "header", 20,
				_("the CRC-32 checksum does not match: the file is damaged"));
		return ER_E_FORMAT;
	}
	if (get_u32(data + 8) != 0 || get_u32(data + 24) != 0 || get_u32(data + 28) != 0) {
		pr_format_error(err, ER_E_FORMAT, "header", 8,
				_("expected zero flags and reserved fields"));
		return ER_E_FORMAT;
	}
	count = get_u32(data + 12);
	if (count > (size - BC_HEADER_SIZE) / BC_DIR_ENTRY_SIZE) {
		pr_format_error(err, ER_E_FORMAT, "header", 12,
				_("the section count is larger than the file can hold"));
		return ER_E_FORMAT;
	}
	dir_end = BC_HEADER_SIZE + (size_t)count * BC_DIR_ENTRY_SIZE;
	for (i = 0; i < count; i++) {
		const uint8_t *e = data + BC_HEADER_SIZE + (size_t)i * BC_DIR_ENTRY_SIZE;
		dir_entry d = { get_u32(e), get_u32(e + 4), get_u32(e + 8) };
		size_t at = (size_t)(e - data);
		size_t k;
		if (d.offset < dir_end || d.offset > size || d.size > size - d.offset) {
			pr_format_error(err, ER_E_FORMAT, "directory", at + 4,
					_("expected a section within the file, after the directory"));
			return ER_E_FORMAT;
		}
		for (k = 0; k < SECTION_KINDS; k++)
			if (section_order[k] == d.kind)
				break;
		if (k == SECTION_KINDS)
			continue; /* unknown kinds are skipped, for later minor versions */
		if (dir[k].kind != 0) {
			pr_format_error(err, ER_E_FORMAT, "directory", at,
					_("a section kind appears twice"));
			return ER_E_FORMAT;
		}
		dir[k] = d;
		sorted[sorted_count++] = d;
	}
	qsort(sorted, sorted_count, sizeof sorted[0], by_offset);
	for (i = 1; i < sorted_count; i++) {
		if ((size_t)sorted[i - 1].offset + sorted[i - 1].size > sorted[i].offset) {
			char name[5];
			pr_format_error(err, ER_E_FORMAT, pr_section_name(sorted[i].kind, name),
					sorted[i].offset, _("the section overlaps the one before it"));
			return ER_E_FORMAT;
		}
	}
	return ER_OK;
}

static void reader_open(ld_reader *r, const dir_entry *d)
{
	pr_section_name(d->kind, r->section_buf);
	r->section = r->section_buf;
	r->pos = d->offset;
	r->end = (size_t)d->offset + d->size;
}

/* The count field of a section, or 0 when the section is absent or too
 * short; the section's own loader reports the latter. */
static uint32_t peek_count(const uint8_t *data, const dir_entry *d)
{
	return d->kind != 0 && d->size >= 4 ? get_u32(data + d->offset) : 0;
}

er_program *er_program_load(const uint8_t *data, size_t size, er_error *err)
{
	dir_entry dir[SECTION_KINDS];
	er_program *p = NULL;
	ld_reader r;
	er_status st;
	size_t k;

	memset(dir, 0, sizeof dir);
	err->status = ER_OK;
	err->message[0] = '\0';
	if (size > UINT32_MAX) {
		pr_format_error(err, ER_E_FORMAT, "header", 16,
				_("the file is larger than 4 GiB, the limit of the format"));
		return NULL;
	}
	if (check_header(data, size, dir, err) != ER_OK)
		return NULL;

	p = calloc(1, sizeof *p);
	if (!p)
		goto nomem;
	p->unit_fact = BC_NONE;
	p->data = malloc(size);
	if (!p->data)
		goto nomem;
	memcpy(p->data, data, size);
	p->size = size;
	p->major = (uint16_t)(data[4] | data[5] << 8);
	p->minor = (uint16_t)(data[6] | data[7] << 8);

	memset(&r, 0, sizeof r);
	r.data = p->data;
	r.program = p;
	r.err = err;
	/* Counties are referenced by constants, which county values reference
	 * in turn; the county count is taken before either is read. */
	r.county_count = peek_count(p->data, &dir[6]);
	for (k = 0; k < SECTION_KINDS; k++) {
		if (dir[k].kind == 0) {
			if (section_order[k] == BC_SEC_STRINGS) {
				/* No strings: an empty table keeps the accessors simple. */
				p->strings = calloc(1, sizeof *p->strings);
				p->string_lens = calloc(1, sizeof *p->string_lens);
				p->string_store = calloc(1, 1);
				if (!p->strings || !p->string_lens || !p->string_store)
					goto nomem;
			}
			if (section_order[k] == BC_SEC_FACTS &&
			    pr_hash_init(&p->fact_hash, 0) != ER_OK)
				goto nomem;
			if (section_order[k] == BC_SEC_UNITS && pr_hash_init(&p->unit_hash, 0) != ER_OK)
				goto nomem;
			continue;
		}
		reader_open(&r, &dir[k]);
		switch (k) {
		case 0: load_strings(&r); break;
		case 1: load_enums(&r); break;
		case 2: load_industry_sets(&r); break;
		case 3: load_consts(&r); break;
		case 4: load_facts(&r); break;
		case 5: load_attrs(&r); break;
		case 6: load_counties(&r); break;
		case 7: load_units(&r); break;
		case 8: load_sources(&r); break;
		case 9:
			p->code = p->data + dir[k].offset;
			p->code_size = dir[k].size;
			break;
		case 10: ld_load_rules(&r); break;
		}
		if (r.nomem)
			goto nomem;
		if (r.failed)
			goto fail;
	}
	if (p->county_count != r.county_count) {
		pr_format_error(err, ER_E_FORMAT, "CNTY", dir[6].offset,
				_("the county count differs from the one constants were checked against"));
		goto fail;
	}
	st = pr_verify(p, err);
	if (st != ER_OK)
		goto fail;
	if (pr_build_index(p) != ER_OK)
		goto nomem;
	return p;

nomem:
	err->status = ER_E_NOMEM;
	snprintf(err->message, sizeof err->message, "%s",
		 _("out of memory while loading the bytecode file"));
fail:
	er_program_free(p);
	return NULL;
}

er_program *er_program_load_file(const char *path, er_error *err)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	er_program *p;

	if (!f) {
		err->status = ER_E_IO;
		snprintf(err->message, sizeof err->message, _("cannot open %s: %s"), path,
			 strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nbuf = ncap > cap ? realloc(buf, ncap) : NULL;
			if (!nbuf) {
				free(buf);
				fclose(f);
				err->status = ER_E_NOMEM;
				snprintf(err->message, sizeof err->message, _("out of memory while reading %s"),
					 path);
				return NULL;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err->status = ER_E_IO;
		snprintf(err->message, sizeof err->message, _("cannot read %s: %s"), path,
			 strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	p = er_program_load(buf, len, err);
	free(buf);
	return p;
}
