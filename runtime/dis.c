/* er_program_disassemble: a readable listing of a loaded bytecode file. */
#include <stdio.h>

#include "program.h"
#include "vm.h"

static const char *type_name(uint8_t type)
{
	static const char *const names[] = {
		"boolean", "integer", "number", "quantity", "date", "string",
		"code", "unit", "enum", "set", "industries",
	};
	return type < sizeof names / sizeof names[0] ? names[type] : "?";
}

static const char *const class_names[3] = { "优先保护", "重点管控", "一般管控" };

/* `s` between double quotes, with quotes, backslashes and control
 * characters escaped as in rule source, so that each item of the listing
 * stays on one line. */
static void print_quoted(const char *s, FILE *out)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_const(const er_program *p, uint32_t index, FILE *out)
{
	const pr_const *c = &p->consts[index];
	char buf[256];

	if (c->kind == BC_CONST_RATIO) {
		fprintf(out, "ratio %lld/%ld", (long long)c->num, (long)c->den);
		return;
	}
	er_format_value(p, &c->value, NULL, buf, sizeof buf);
	switch (c->value.kind) {
	case ER_K_STRING: print_quoted(buf, out); break;
	case ER_K_CODE: fprintf(out, "code %s", buf); break;
	case ER_K_INDSET: fprintf(out, "industries %s", buf); break;
	default: fputs(buf, out); break;
	}
}

static uint32_t read_u32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The header fields and the section directory, read from the file the
 * loader has verified. */
static void print_header(const er_program *p, FILE *out)
{
	uint32_t count = read_u32(p->data + 12);

	fprintf(out, "ecorule bytecode %u.%u, %zu bytes, flags %u, crc32 %08x\n", (unsigned)p->major,
		(unsigned)p->minor, p->size, (unsigned)read_u32(p->data + 8), (unsigned)read_u32(p->data + 20));
	fprintf(out, "sections %u\n", (unsigned)count);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *entry = p->data + BC_HEADER_SIZE + (size_t)i * BC_DIR_ENTRY_SIZE;
		char name[5];
		fprintf(out, "  %s  offset %u  size %u\n", pr_section_name(read_u32(entry), name),
			(unsigned)read_u32(entry + 4), (unsigned)read_u32(entry + 8));
	}
}

/* The constant pool, each entry with its kind (bc_const_kind). */
static void print_consts(const er_program *p, FILE *out)
{
	static const char *const kinds[] = { "?", "dec", "ratio", "date", "string", "code", "enum",
					     "set", "bool", "indset", "county", "class" };

	fprintf(out, "constants %u\n", (unsigned)p->const_count);
	for (uint32_t i = 0; i < p->const_count; i++) {
		uint8_t kind = p->consts[i].kind;
		fprintf(out, "  %u %s ", (unsigned)i, kind < sizeof kinds / sizeof kinds[0] ? kinds[kind] : "?");
		print_const(p, i, out);
		fputc('\n', out);
	}
}

/* The attribute values of county or unit `row` in `values`. */
static void print_values(const er_program *p, const uint32_t *values, uint32_t row, FILE *out)
{
	for (uint32_t k = 0; k < p->attr_count; k++) {
		uint32_t c = values[(size_t)row * p->attr_count + k];
		if (c == BC_NONE)
			continue;
		fprintf(out, " %s=", p->strings[p->attrs[k].name]);
		print_const(p, c, out);
	}
}

/* The operand of an instruction, decoded to a name. */
static void print_operand(const er_program *p, uint8_t op, uint32_t x, uint32_t next, FILE *out)
{
	static const char *const fields[BC_UNIT_FIELD_COUNT] = { "self", "class", "county",
								 "area", "name" };

	switch (op) {
	case OP_CONST:
	case OP_SCALE:
		fprintf(out, "%u  ; ", (unsigned)x);
		print_const(p, x, out);
		break;
	case OP_FACT:
	case OP_KNOWN:
		fprintf(out, "%u  ; %s", (unsigned)x, p->facts[x].path);
		break;
	case OP_UNIT:
		fprintf(out, "%u  ; %s", (unsigned)x, x < BC_UNIT_FIELD_COUNT ? fields[x] : "?");
		break;
	case OP_UNIT_ATTR:
	case OP_COUNTY_ATTR:
		fprintf(out, "%u  ; %s.%s", (unsigned)x, op == OP_UNIT_ATTR ? "unit" : "county",
			p->strings[p->attrs[x].name]);
		break;
	case OP_JFALSE:
	case OP_JTRUE:
		fprintf(out, "%u  ; to %u", (unsigned)x, (unsigned)(next + x));
		break;
	default:
		break;
	}
}

/* Print one verified fragment, up to the OP_RET that no jump passes. */
static void print_fragment(const er_program *p, const char *what, uint32_t start, FILE *out)
{
	uint32_t pc = start, last_target = start;

	fprintf(out, "    %s @%u:\n", what, (unsigned)start);
	while (pc < p->code_size) {
		uint8_t op = p->code[pc];
		uint8_t bytes;
		uint32_t x = 0, next, i;

		if (op >= BC_OPCODE_COUNT)
			break;
		bytes = vm_operand_bytes[op];
		if (p->code_size - pc - 1 < bytes)
			break;
		for (i = 0; i < bytes; i++)
			x |= (uint32_t)p->code[pc + 1 + i] << (8 * i);
		next = pc + 1 + bytes;
		fprintf(out, "      %6u  %-15s ", (unsigned)pc, vm_opcode_names[op]);
		print_operand(p, op, x, next, out);
		fputc('\n', out);
		if ((op == OP_JFALSE || op == OP_JTRUE) && next + x > last_target)
			last_target = next + x;
		if (op == OP_RET && next > last_target)
			break;
		pc = next;
	}
}

static void print_tables(const er_program *p, FILE *out)
{
	uint32_t i, k;

	fprintf(out, "enums %u\n", (unsigned)p->enum_count);
	for (i = 0; i < p->enum_count; i++) {
		fprintf(out, "  %u %s {", (unsigned)i, p->strings[p->enums[i].name]);
		for (k = 0; k < p->enums[i].size; k++)
			fprintf(out, "%s %s", k ? "," : "", p->strings[p->enums[i].values[k]]);
		fputs(" }\n", out);
	}
	fprintf(out, "facts %u\n", (unsigned)p->fact_count);
	for (i = 0; i < p->fact_count; i++) {
		const er_fact_info *f = &p->facts[i];
		fprintf(out, "  %u %s : %s", (unsigned)i, f->path, type_name((uint8_t)f->type));
		if (f->unit_text)
			fprintf(out, " %s", f->unit_text);
		if (f->enum_index != BC_NONE)
			fprintf(out, " %s", p->strings[p->enums[f->enum_index].name]);
		fputs("  label ", out);
		print_quoted(f->label, out);
		fputc('\n', out);
	}
	fprintf(out, "attributes %u\n", (unsigned)p->attr_count);
	for (i = 0; i < p->attr_count; i++) {
		const pr_attr *a = &p->attrs[i];
		fprintf(out, "  %u %s.%s : %s", (unsigned)i, a->owner ? "county" : "unit",
			p->strings[a->name], type_name(a->type));
		if (a->unit_text != BC_NONE)
			fprintf(out, " %s", p->strings[a->unit_text]);
		fputs("  label ", out);
		print_quoted(p->strings[a->label], out);
		fputc('\n', out);
	}
	fprintf(out, "industry sets %u\n", (unsigned)p->indset_count);
	for (i = 0; i < p->indset_count; i++) {
		const pr_indset *s = &p->indsets[i];
		fprintf(out, "  %u %s =", (unsigned)i, s->name != BC_NONE ? p->strings[s->name] : "-");
		for (k = 0; k < s->count; k++)
			fprintf(out, "%s %s", k ? "," : "", p->strings[s->codes[k]]);
		fputc('\n', out);
	}
	fprintf(out, "counties %u\n", (unsigned)p->county_count);
	for (i = 0; i < p->county_count; i++) {
		fprintf(out, "  %u %s code %s", (unsigned)i, p->strings[p->counties[i].name],
			p->strings[p->counties[i].code]);
		print_values(p, p->county_values, i, out);
		fputc('\n', out);
	}
	fprintf(out, "units %u\n", (unsigned)p->unit_count);
	for (i = 0; i < p->unit_count; i++) {
		const pr_unit *u = &p->units[i];
		fprintf(out, "  %u %s ", (unsigned)i, p->strings[u->code]);
		print_quoted(p->strings[u->name], out);
		fprintf(out, " county %s class %u (%s)", p->strings[p->counties[u->county].name],
			(unsigned)u->klass + 1, u->klass < 3 ? class_names[u->klass] : "?");
		if (u->area != BC_NONE) {
			fputs(" area ", out);
			print_const(p, u->area, out);
		}
		print_values(p, p->unit_values, i, out);
		fputc('\n', out);
	}
	fprintf(out, "sources %u\n", (unsigned)p->source_count);
	for (i = 0; i < p->source_count; i++)
		fprintf(out, "  %u %s\n", (unsigned)i, p->strings[p->sources[i]]);
}

static void print_rule(const er_program *p, uint32_t i, FILE *out)
{
	const er_rule_info *r = &p->rules[i];
	const pr_rule *rc = &p->rule_code[i];
	char date[11];
	uint32_t k;

	fprintf(out, "  rule %u %s  ; %s:%u:%u\n", (unsigned)i, r->id,
		r->source_file ? r->source_file : "?", (unsigned)r->line, (unsigned)r->col);
	fputs("    title ", out);
	print_quoted(r->title, out);
	fprintf(out, "\n    dimension %s, verdict %s\n",
		er_dimension_name(r->dimension), er_verdict_name(r->verdict));
	if (r->has_from) {
		er_date_format(r->from, date);
		fprintf(out, "    from %s\n", date);
	}
	if (r->has_until) {
		er_date_format(r->until, date);
		fprintf(out, "    until %s\n", date);
	}
	for (k = 0; k < 3; k++)
		if (rc->class_mask & (1u << k))
			fprintf(out, "    scope class %u (%s)\n", (unsigned)k + 1, class_names[k]);
	for (k = 0; k < rc->unit_count; k++)
		fprintf(out, "    scope unit %s\n", p->strings[p->units[rc->units[k]].code]);
	for (k = 0; k < rc->county_count; k++)
		fprintf(out, "    scope county %s\n", p->strings[p->counties[rc->counties[k]].name]);
	for (k = 0; k < r->basis.count; k++) {
		fputs("    basis ", out);
		print_quoted(r->basis.items[k], out);
		fputc('\n', out);
	}
	for (k = 0; k < rc->override_count; k++)
		fprintf(out, "    overrides %s\n", p->rules[rc->overrides[k]].id);
	if (r->facts_read_count > 0) {
		fputs("    reads", out);
		for (k = 0; k < r->facts_read_count; k++)
			fprintf(out, "%s %s", k ? "," : "", p->facts[r->facts_read[k]].path);
		fputc('\n', out);
	}
	if (rc->condition != BC_NONE)
		print_fragment(p, "when", rc->condition, out);
	if (rc->ensure != BC_NONE)
		print_fragment(p, "ensure", rc->ensure, out);
	for (k = 0; k < rc->part_count; k++) {
		const pr_part *part = &rc->parts[k];
		if (part->text != BC_NONE) {
			fputs("    text ", out);
			print_quoted(p->strings[part->text], out);
			fputc('\n', out);
		} else {
			char what[300];
			if (part->unit_text != BC_NONE)
				snprintf(what, sizeof what, "value %u (%s)", (unsigned)k, p->strings[part->unit_text]);
			else
				snprintf(what, sizeof what, "value %u", (unsigned)k);
			print_fragment(p, what, part->code, out);
		}
	}
	for (k = 0; k < rc->let_count; k++) {
		char what[600];
		if (rc->lets[k].unit_text != BC_NONE)
			snprintf(what, sizeof what, "let %s (%s)", p->strings[rc->lets[k].name],
				 p->strings[rc->lets[k].unit_text]);
		else
			snprintf(what, sizeof what, "let %s", p->strings[rc->lets[k].name]);
		print_fragment(p, what, rc->lets[k].code, out);
	}
}

void er_program_disassemble(const er_program *p, FILE *out)
{
	uint32_t i;

	print_header(p, out);
	fprintf(out, "strings %u, constants %u, code %u bytes\n", (unsigned)p->string_count,
		(unsigned)p->const_count, (unsigned)p->code_size);
	print_consts(p, out);
	print_tables(p, out);
	fprintf(out, "rules %u\n", (unsigned)p->rule_count);
	for (i = 0; i < p->rule_count; i++)
		print_rule(p, i, out);
}
