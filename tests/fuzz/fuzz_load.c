/* libFuzzer harness for the runtime's loader: arbitrary bytes as a
 * bytecode file go through er_program_load (header, sections, verifier),
 * and a program that loads is disassembled, rendered by rulec doc,
 * queried through every accessor and evaluated on an empty record and
 * on a filled one.
 *
 * Before loading, the harness writes the input's real size and CRC-32
 * into the header, because random mutations would almost never keep the
 * checksum right and the loader would reject them before reading any
 * section. The size and checksum checks themselves are covered by the
 * verifier tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bytecode.h"
#include "doc.h"
#include "ecorule.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Set the file size field and the CRC-32 of a header-sized or longer
 * input, as rulec would have written them. */
static void fix_header(uint8_t *bytes, size_t size)
{
	uLong crc;

	if (size < BC_HEADER_SIZE || size > UINT32_MAX)
		return;
	put_u32(bytes + 16, (uint32_t)size);
	put_u32(bytes + 20, 0);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, bytes, (uInt)size);
	put_u32(bytes + 20, (uint32_t)crc);
}

/* Look each name up again and check that it leads back to the same
 * entry: the loader's hash tables must agree with its arrays. A file
 * with duplicate names may resolve to the first of them, so only the
 * name found is compared. */
static void query_tables(const er_program *program)
{
	size_t facts = er_program_fact_count(program);
	size_t enums = er_program_enum_count(program);
	size_t rules = er_program_rule_count(program);
	size_t units = er_program_unit_count(program);
	size_t counties = er_program_county_count(program);

	for (size_t i = 0; i < facts; i++) {
		const er_fact_info *info = er_program_fact(program, i);
		uint32_t found = er_program_find_fact(program, info->path, strlen(info->path));

		if (found == BC_NONE || strcmp(er_program_fact(program, found)->path, info->path) != 0) {
			fprintf(stderr, "fuzz_load: fact %zu \"%s\" is not found by its path\n", i,
				info->path);
			abort();
		}
	}
	for (uint32_t e = 0; e < enums; e++) {
		size_t values = er_program_enum_size(program, e);

		fputs(er_program_enum_name(program, e), fuzz_sink());
		for (uint32_t v = 0; v < values; v++) {
			const char *name = er_program_enum_value(program, e, v);
			uint32_t found = er_program_find_enum_value(program, e, name, strlen(name));

			if (found == BC_NONE ||
			    strcmp(er_program_enum_value(program, e, found), name) != 0) {
				fprintf(stderr, "fuzz_load: value \"%s\" of enum %u is not found by its name\n",
					name, e);
				abort();
			}
		}
	}
	for (size_t r = 0; r < rules; r++) {
		const er_rule_info *info = er_program_rule(program, r);

		fprintf(fuzz_sink(), "%s %s %s\n", info->id, info->title, info->message);
		for (size_t p = 0; p < info->part_count; p++) {
			er_rule_part part = er_program_rule_part(program, r, p);
			if (part.text != NULL)
				fputs(part.text, fuzz_sink());
		}
		for (size_t l = 0; l < info->let_count; l++)
			fputs(er_program_rule_let(program, r, l).name, fuzz_sink());
	}
	for (uint32_t u = 0; u < units; u++) {
		const char *code = er_program_unit_code(program, u);

		fputs(er_program_unit_name(program, u), fuzz_sink());
		if (er_program_find_unit(program, code, strlen(code)) == BC_NONE) {
			fprintf(stderr, "fuzz_load: unit \"%s\" is not found by its code\n", code);
			abort();
		}
	}
	for (uint32_t c = 0; c < counties; c++)
		fputs(er_program_county_name(program, c), fuzz_sink());
}

/* Give every fact a value of its type, so that the code reading facts
 * runs on values and not only on unknowns. Values the record rejects
 * are left absent. */
static void fill_record(const er_program *program, er_record *record)
{
	size_t facts = er_program_fact_count(program);

	for (uint32_t i = 0; i < facts; i++) {
		const er_fact_info *info = er_program_fact(program, i);
		const char *text = "1";
		char quantity[160];

		switch (info->type) {
		case ER_FT_BOOLEAN: text = "true"; break;
		case ER_FT_INTEGER: text = "42"; break;
		case ER_FT_NUMBER: text = "0.5"; break;
		case ER_FT_QUANTITY:
			snprintf(quantity, sizeof quantity, "3 %s",
				 info->unit_text != NULL ? info->unit_text : "");
			text = quantity;
			break;
		case ER_FT_DATE: text = "2024-02-29"; break;
		case ER_FT_STRING: text = "项目"; break;
		case ER_FT_CODE: text = "C2521"; break;
		case ER_FT_UNIT:
			text = er_program_unit_count(program) > 0 ? er_program_unit_code(program, 0)
								  : "ZH14052220003";
			break;
		case ER_FT_ENUM:
		case ER_FT_SET:
			if (info->enum_index >= er_program_enum_count(program) ||
			    er_program_enum_size(program, info->enum_index) == 0)
				continue;
			text = er_program_enum_value(program, info->enum_index, 0);
			break;
		default: break;
		}
		if (info->type == ER_FT_SET)
			er_record_add_to_set(record, i, info->path, text, strlen(text));
		else
			er_record_set_text(record, i, info->path, text, strlen(text), 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *bytes = malloc(size > 0 ? size : 1);
	er_program *program;
	er_record *record;
	er_error err;

	if (bytes == NULL)
		return 0;
	memcpy(bytes, data, size);
	fix_header(bytes, size);
	program = er_program_load(bytes, size, &err);
	free(bytes);
	if (program == NULL) {
		if (err.status == ER_OK || err.message[0] == '\0' ||
		    memchr(err.message, '\0', sizeof err.message) == NULL) {
			fprintf(stderr, "fuzz_load: a rejected file has no status or message\n");
			abort();
		}
		return 0;
	}

	er_program_disassemble(program, fuzz_sink());
	doc_render_program(program, "fuzz.erb", DOC_MARKDOWN, fuzz_sink());
	query_tables(program);
	record = er_record_new(program);
	if (record != NULL) {
		fuzz_evaluate(program, record);
		fill_record(program, record);
		fuzz_evaluate(program, record);
		er_record_free(record);
	}
	er_program_free(program);
	return 0;
}
