/* Text of values and of rule messages for reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "program.h"

/* Output with snprintf semantics: writes what fits, counts everything. */
typedef struct out_buf {
	char *buf;
	size_t size;
	size_t len;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len - 1;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void puts_(out_buf *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_class(out_buf *o, uint32_t klass)
{
	static const char *const names[3] = { N_("priority protection"), N_("key control"),
					       N_("general control") };
	puts_(o, klass < 3 ? _(names[klass]) : "?");
}

static void put_indset(out_buf *o, const er_program *p, uint32_t index, const char *sep)
{
	const pr_indset *s;
	uint32_t i;

	if (index >= p->indset_count) {
		puts_(o, "?");
		return;
	}
	s = &p->indsets[index];
	if (s->name != BC_NONE) {
		puts_(o, p->strings[s->name]);
		return;
	}
	for (i = 0; i < s->count; i++) {
		if (i > 0)
			puts_(o, sep);
		puts_(o, p->strings[s->codes[i]]);
	}
}

/* Whether a unit is written right after the number, as in 85% or 5‰. */
static int unit_is_attached(const char *unit_text)
{
	return strcmp(unit_text, "%") == 0 || strcmp(unit_text, "％") == 0 ||
	       strcmp(unit_text, "‰") == 0;
}

size_t er_format_value(const er_program *p, const er_value *v, const char *unit_text, char *buf,
		       size_t size)
{
	out_buf o = { buf, size, 0 };
	const char *sep = er_i18n_is_chinese() ? "、" : ", ";
	char text[ER_DEC_TEXT_MAX];

	if (v->unknown) {
		puts_(&o, "?");
		goto done;
	}
	switch (v->kind) {
	case ER_K_BOOL:
		puts_(&o, v->truth == ER_TRUE ? _("true") : _("false"));
		break;
	case ER_K_DEC:
		er_dec_format(v->as.dec, text);
		puts_(&o, text);
		if (unit_text) {
			if (!unit_is_attached(unit_text))
				puts_(&o, " ");
			puts_(&o, unit_text);
		}
		break;
	case ER_K_DATE:
		er_date_format(v->as.date, text);
		puts_(&o, text);
		break;
	case ER_K_STRING:
	case ER_K_CODE:
		put(&o, v->as.str.ptr, v->as.str.len);
		break;
	case ER_K_ENUM: {
		/* A known enum or set value carries its enumeration in `why`. */
		const char *name = er_program_enum_value(p, v->why, v->as.index);
		if (name) {
			puts_(&o, name);
		} else {
			snprintf(text, sizeof text, "#%u", (unsigned)v->as.index);
			puts_(&o, text);
		}
		break;
	}
	case ER_K_SET: {
		unsigned i, first = 1;
		for (i = 0; i < 64; i++) {
			const char *name;
			if (!(v->as.bits >> i & 1))
				continue;
			if (!first)
				puts_(&o, sep);
			first = 0;
			name = er_program_enum_value(p, v->why, i);
			if (name) {
				puts_(&o, name);
			} else {
				snprintf(text, sizeof text, "#%u", i);
				puts_(&o, text);
			}
		}
		break;
	}
	case ER_K_UNIT:
		puts_(&o, v->as.index < p->unit_count ? p->strings[p->units[v->as.index].code] : "?");
		break;
	case ER_K_COUNTY:
		puts_(&o, v->as.index < p->county_count ? p->strings[p->counties[v->as.index].name]
							 : "?");
		break;
	case ER_K_CLASS:
		put_class(&o, v->as.index);
		break;
	case ER_K_INDSET:
		put_indset(&o, p, v->as.index, sep);
		break;
	default:
		puts_(&o, "?");
		break;
	}
done:
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

char *er_format_message(const er_program *p, const er_result *result,
			const er_rule_result *rr)
{
	const pr_rule *rc;
	char *text = NULL;
	size_t len = 0, cap = 0;
	uint32_t i;

	if (rr->rule >= p->rule_count)
		return NULL;
	rc = &p->rule_code[rr->rule];
	if (rc->part_count == 0)
		return strdup(p->rules[rr->rule].message);
	for (i = 0; i < rc->part_count; i++) {
		const pr_part *part = &rc->parts[i];
		char small[128];
		const char *piece;
		size_t n;
		char *big = NULL;

		if (part->text != BC_NONE) {
			piece = p->strings[part->text];
			n = p->string_lens[part->text];
		} else if (i < rr->values_count) {
			const er_value *v = &result->values[rr->values_first + i];
			const char *unit = pr_string_or_null(p, part->unit_text);
			n = er_format_value(p, v, unit, small, sizeof small);
			piece = small;
			if (n >= sizeof small) {
				big = malloc(n + 1);
				if (!big) {
					free(text);
					return NULL;
				}
				er_format_value(p, v, unit, big, n + 1);
				piece = big;
			}
		} else {
			piece = "?";
			n = 1;
		}
		if (len + n + 1 > cap) {
			size_t ncap = (len + n + 1) * 2;
			char *t = realloc(text, ncap);
			if (!t) {
				free(big);
				free(text);
				return NULL;
			}
			text = t;
			cap = ncap;
		}
		memcpy(text + len, piece, n);
		len += n;
		text[len] = '\0';
		free(big);
	}
	return text;
}
