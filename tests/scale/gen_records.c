/* gen_records: write deterministic project fact records shaped by a
 * compiled rule set's fact schema, for the batch and scale tests.
 *
 *   gen_records [--seed N] [--first N] [--distinct K] BYTECODE COUNT jsonl|csv
 *
 * writes COUNT records numbered from --first (default 1), with ids
 * "G0000001" by number. Each record draws every fact of the schema from
 * its own pseudo-random stream, seeded by --seed (default 1) and the
 * record's number, so record N is the same whatever COUNT and --first
 * are. With --distinct K, record N takes the facts of record
 * (N - 1) mod K + 1 and its own id, written from a cache of K records,
 * which makes long batches cheap to write. About one fact in six is absent, quantities carry their
 * declared unit, enumerations and sets use the schema's value names, unit
 * codes come from the unit table. One record in 997 has an invalid
 * quantity, so batches exercise the error path.
 *
 * jsonl writes one nested JSON object per line, by fact path. csv writes
 * what Excel writes for a Chinese sheet, in UTF-8: a header row of the
 * facts' Chinese labels, CRLF line ends, cells quoted only when they contain
 * a comma, a quote or a line break (the 项目名称 column, which names no
 * fact, contains all three), set values joined by "、". Convert it with
 * iconv to GBK for an Excel-like file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"

#define GEN_INVALID_EVERY 997

/* GB/T 4754-2017 codes the Jincheng rules name, and a few others. */
static const char *const industry_codes[] = {
	"2521", "2522", "3011", "3041", "3110", "3120", "3391", "3392", "2614", "2619",
	"3670", "4411", "4414", "0610", "1713", "C2511", "2710", "3511", "5920", "7820",
};

typedef struct gen_random {
	uint64_t state;
} gen_random;

/* splitmix64: a small generator whose streams are independent per seed. */
static uint64_t gen_next(gen_random *random)
{
	uint64_t z = (random->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t gen_below(gen_random *random, size_t n)
{
	return (size_t)(gen_next(random) % n);
}

/* A value as text into buf, and whether it is a JSON string (1), a bare
 * JSON literal (0) or a set (2: buf contains the names joined by "、"). */
static int gen_value(const er_program *program, const er_fact_info *fact, gen_random *random,
		     int invalid, char *buf, size_t size)
{
	switch (fact->type) {
	case ER_FT_BOOLEAN:
		snprintf(buf, size, "%s", gen_below(random, 2) ? "true" : "false");
		return 0;
	case ER_FT_INTEGER:
		snprintf(buf, size, "%zu", gen_below(random, 5000));
		return 0;
	case ER_FT_NUMBER:
		snprintf(buf, size, "%zu.%zu", gen_below(random, 100), gen_below(random, 10));
		return 0;
	case ER_FT_QUANTITY:
		if (invalid)
			snprintf(buf, size, "fifty %s", fact->unit_text);
		else if (gen_below(random, 3) > 0)
			snprintf(buf, size, "0 %s", fact->unit_text);
		else if (strcmp(fact->unit_text, "%") == 0)
			snprintf(buf, size, "%zu.%zu%%", gen_below(random, 100), gen_below(random, 10));
		else
			snprintf(buf, size, "%zu.%02zu %s", gen_below(random, 3000), gen_below(random, 100),
				 fact->unit_text);
		return 1;
	case ER_FT_DATE:
		snprintf(buf, size, "%zu-%02zu-%02zu", 2015 + gen_below(random, 11),
			 1 + gen_below(random, 12), 1 + gen_below(random, 28));
		return 1;
	case ER_FT_CODE:
	case ER_FT_INDUSTRIES:
		snprintf(buf, size, "%s",
			 industry_codes[gen_below(random, sizeof industry_codes / sizeof industry_codes[0])]);
		return 1;
	case ER_FT_UNIT:
		snprintf(buf, size, "%s",
			 er_program_unit_code(program,
					      (uint32_t)gen_below(random, er_program_unit_count(program))));
		return 1;
	case ER_FT_ENUM:
		snprintf(buf, size, "%s",
			 er_program_enum_value(program, fact->enum_index,
					       (uint32_t)gen_below(random, er_program_enum_size(
										  program, fact->enum_index))));
		return 1;
	case ER_FT_SET: {
		size_t n = gen_below(random, 5) < 3 ? 0 : 1 + gen_below(random, 2), used = 0;
		size_t values = er_program_enum_size(program, fact->enum_index);

		buf[0] = '\0';
		for (size_t k = 0; k < n && values > 0; k++) {
			const char *name = er_program_enum_value(program, fact->enum_index,
								 (uint32_t)gen_below(random, values));

			if (strstr(buf, name) != NULL)
				continue;
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used > 0 ? "、" : "", name);
			if (used >= size)
				break;
		}
		return 2;
	}
	case ER_FT_STRING:
	default:
		snprintf(buf, size, "说明 %zu", gen_below(random, 1000));
		return 1;
	}
}

#define GEN_MAX_DEPTH 8

/* Split path at its dots into at most GEN_MAX_DEPTH segments. */
static int gen_segments(const char *path, const char **start, size_t *len)
{
	int n = 0;

	while (n < GEN_MAX_DEPTH) {
		const char *dot = strchr(path, '.');

		start[n] = path;
		len[n] = dot != NULL ? (size_t)(dot - path) : strlen(path);
		n++;
		if (dot == NULL)
			break;
		path = dot + 1;
	}
	return n;
}

/* Write a set, held as names joined by "、", as a JSON array. */
static void gen_json_set(FILE *out, const char *names)
{
	const char *sep = "、";
	const char *p = names;

	fputc('[', out);
	while (*p != '\0') {
		const char *end = strstr(p, sep);
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		fprintf(out, "%s\"%.*s\"", p == names ? "" : ",", (int)len, p);
		p += len;
		if (end != NULL)
			p += strlen(sep);
	}
	fputc(']', out);
}

/* Facts in path order, so that facts sharing a prefix nest together. */
static const er_program *sort_program;

static int gen_by_path(const void *a, const void *b)
{
	const er_fact_info *fa = er_program_fact(sort_program, *(const size_t *)a);
	const er_fact_info *fb = er_program_fact(sort_program, *(const size_t *)b);

	return strcmp(fa->path, fb->path);
}

/* Open JSON objects of the record being written, one per path segment. */
typedef struct gen_nesting {
	const char *start[GEN_MAX_DEPTH];
	size_t len[GEN_MAX_DEPTH];
	int open;                      /* objects open below the record's */
	int members[GEN_MAX_DEPTH + 1]; /* members written at each level */
} gen_nesting;

/* Close and open objects so that the next member is written inside the
 * objects that `path` names, and write its key. */
static void gen_json_key(FILE *out, gen_nesting *nest, const char *path)
{
	const char *start[GEN_MAX_DEPTH];
	size_t len[GEN_MAX_DEPTH];
	int n = gen_segments(path, start, len), common = 0;

	while (common < nest->open && common < n - 1 && nest->len[common] == len[common] &&
	       memcmp(nest->start[common], start[common], len[common]) == 0)
		common++;
	for (; nest->open > common; nest->open--)
		fputc('}', out);
	for (; nest->open < n - 1; nest->open++) {
		fprintf(out, "%s\"%.*s\":{", nest->members[nest->open]++ > 0 ? "," : "",
			(int)len[nest->open], start[nest->open]);
		nest->start[nest->open] = start[nest->open];
		nest->len[nest->open] = len[nest->open];
		nest->members[nest->open + 1] = 0;
	}
	fprintf(out, "%s\"%.*s\":", nest->members[nest->open]++ > 0 ? "," : "", (int)len[n - 1],
		start[n - 1]);
}

/* Write the members of record `number` after its id, and the closing
 * brace and newline. */
static void gen_json_record(FILE *out, const er_program *program, const size_t *order,
			    size_t number, uint64_t seed)
{
	gen_random random = { seed * 1000003u + number };
	size_t count = er_program_fact_count(program);
	size_t invalid_fact = number % GEN_INVALID_EVERY == 0 ? gen_below(&random, count) : SIZE_MAX;
	gen_nesting nest = { .open = 0, .members = { 1 } };
	char value[1024];

	for (size_t k = 0; k < count; k++) {
		const er_fact_info *fact = er_program_fact(program, order[k]);
		int invalid = order[k] == invalid_fact && fact->type == ER_FT_QUANTITY;
		int kind = gen_value(program, fact, &random, invalid, value, sizeof value);

		if (!invalid && gen_below(&random, 6) == 0)
			continue;
		gen_json_key(out, &nest, fact->path);
		if (kind == 2)
			gen_json_set(out, value);
		else if (kind == 1)
			fprintf(out, "\"%s\"", value);
		else
			fputs(value, out);
	}
	for (; nest.open > 0; nest.open--)
		fputc('}', out);
	fputs("}\n", out);
}

/* Write a CSV cell as Excel does: quoted only when it must be. */
static void gen_csv_cell(FILE *out, const char *text, int first)
{
	if (!first)
		fputc(',', out);
	if (strpbrk(text, ",\"\r\n") == NULL) {
		fputs(text, out);
		return;
	}
	fputc('"', out);
	for (; *text != '\0'; text++) {
		if (*text == '"')
			fputc('"', out);
		fputc(*text, out);
	}
	fputc('"', out);
}

static void gen_csv_header(FILE *out, const er_program *program)
{
	gen_csv_cell(out, "项目编号", 1);
	gen_csv_cell(out, "项目名称", 0);
	for (size_t i = 0; i < er_program_fact_count(program); i++)
		gen_csv_cell(out, er_program_fact(program, i)->label, 0);
	fputs("\r\n", out);
}

/* Write the cells of record `number` after its id, and the CRLF. */
static void gen_csv_record(FILE *out, const er_program *program, size_t number, uint64_t seed)
{
	gen_random random = { seed * 1000003u + number };
	size_t count = er_program_fact_count(program);
	size_t invalid_fact = number % GEN_INVALID_EVERY == 0 ? gen_below(&random, count) : SIZE_MAX;
	char value[1024];

	if (number % 3 == 0)
		snprintf(value, sizeof value, "晋城\"%zu号\"项目，一期,二期\r\n扩建", number);
	else
		snprintf(value, sizeof value, "晋城%zu号项目", number);
	gen_csv_cell(out, value, 1);
	for (size_t i = 0; i < count; i++) {
		const er_fact_info *fact = er_program_fact(program, i);
		int invalid = i == invalid_fact && fact->type == ER_FT_QUANTITY;

		gen_value(program, fact, &random, invalid, value, sizeof value);
		if (fact->type == ER_FT_BOOLEAN)
			snprintf(value, sizeof value, "%s", strcmp(value, "true") == 0 ? "是" : "否");
		if (!invalid && gen_below(&random, 6) == 0)
			value[0] = '\0';
		gen_csv_cell(out, value, 0);
	}
	fputs("\r\n", out);
}

/* The generator's command line. */
typedef struct gen_args {
	const char *bytecode;
	size_t count, first, distinct;
	uint64_t seed;
	int csv;
} gen_args;

static int gen_parse_number(const char *text, size_t *value)
{
	char *end;

	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	*value = strtoul(text, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int gen_parse_args(int argc, char **argv, gen_args *args)
{
	const char *positional[3];
	int count = 0;
	size_t seed = 1;

	args->first = 1;
	for (int i = 1; i < argc; i++) {
		size_t *target = NULL;

		if (strcmp(argv[i], "--seed") == 0)
			target = &seed;
		else if (strcmp(argv[i], "--first") == 0)
			target = &args->first;
		else if (strcmp(argv[i], "--distinct") == 0)
			target = &args->distinct;
		else if (count < 3)
			positional[count++] = argv[i];
		else
			return -1;
		if (target != NULL && gen_parse_number(argv[++i < argc ? i : argc - 1], target) != 0)
			return -1;
	}
	if (count != 3 || gen_parse_number(positional[1], &args->count) != 0 || args->first == 0 ||
	    (strcmp(positional[2], "jsonl") != 0 && strcmp(positional[2], "csv") != 0))
		return -1;
	args->bytecode = positional[0];
	args->csv = strcmp(positional[2], "csv") == 0;
	args->seed = seed;
	return 0;
}

/* Write record `stream`'s text after the id; from the cache when one is
 * given (entries filled on first use, NULL when caching failed). */
static void gen_body(FILE *out, const er_program *program, const size_t *order, const gen_args *args,
		     size_t stream, char **cache, size_t *cache_len)
{
	char **text = cache != NULL ? &cache[stream - 1] : NULL;
	FILE *to = out;

	if (text != NULL && *text != NULL) {
		fwrite(*text, 1, cache_len[stream - 1], out);
		return;
	}
	if (text != NULL) {
		to = open_memstream(text, &cache_len[stream - 1]);
		if (to == NULL)
			to = out;
	}
	if (args->csv)
		gen_csv_record(to, program, stream, args->seed);
	else
		gen_json_record(to, program, order, stream, args->seed);
	if (to != out) {
		fclose(to);
		fwrite(*text, 1, cache_len[stream - 1], out);
	}
}

int main(int argc, char **argv)
{
	er_error err = { .status = ER_OK };
	er_program *program;
	gen_args args = { 0 };
	size_t *order, *cache_len = NULL;
	char **cache = NULL;

	if (gen_parse_args(argc, argv, &args) != 0) {
		fputs("usage: gen_records [--seed N] [--first N] [--distinct K] BYTECODE COUNT jsonl|csv\n",
		      stderr);
		return 2;
	}
	program = er_program_load_file(args.bytecode, &err);
	if (program == NULL) {
		fprintf(stderr, "gen_records: %s\n", err.message);
		return 1;
	}
	order = calloc(er_program_fact_count(program) + 1, sizeof *order);
	if (args.distinct > 0) {
		cache = calloc(args.distinct, sizeof *cache);
		cache_len = calloc(args.distinct, sizeof *cache_len);
	}
	if (order == NULL || (args.distinct > 0 && (cache == NULL || cache_len == NULL))) {
		fputs("gen_records: out of memory\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < er_program_fact_count(program); i++)
		order[i] = i;
	sort_program = program;
	qsort(order, er_program_fact_count(program), sizeof *order, gen_by_path);

	if (args.csv)
		gen_csv_header(stdout, program);
	for (size_t n = args.first; n < args.first + args.count; n++) {
		size_t stream = args.distinct > 0 ? (n - 1) % args.distinct + 1 : n;

		if (args.csv)
			printf("G%07zu,", n);
		else
			printf("{\"id\":\"G%07zu\"", n);
		gen_body(stdout, program, order, &args, stream, cache, cache_len);
	}
	for (size_t i = 0; i < args.distinct; i++)
		free(cache[i]);
	free(cache);
	free(cache_len);
	free(order);
	er_program_free(program);
	if (fflush(stdout) != 0) {
		perror("gen_records: write failed");
		return 1;
	}
	return 0;
}
