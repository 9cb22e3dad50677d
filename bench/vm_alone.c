/* The VM alone: nanoseconds per project of er_eval with the facts already
 * bound. Reads up to MAX records of a JSON Lines file into their own
 * er_record each, then times ROUNDS passes of er_eval over all of them
 * and prints the per-pass figures and their median. Reading, binding and
 * reporting are outside the timed loop. Times are the process's CPU
 * time, which a loaded machine disturbs less than the wall clock. It also prints the time
 * er_program_load_file took.
 *
 * usage: vm_alone BYTECODE FACTS.jsonl [MAX [ROUNDS [YYYY-MM-DD]]]
 * Built and run by bench/run.sh against build/lib/libecorule.a. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecorule.h"
#include "facts.h"

typedef struct bound {
	const er_program *program;
	er_record **records;
	size_t count, max, rejected;
} bound;

/* Copy a record whose values point into its own text buffer. */
static er_record *copy_record(const er_record *src)
{
	size_t facts = er_program_fact_count(src->program), i;
	er_record *r = er_record_new(src->program);
	char *text = malloc(src->text_len + 1);

	if (!r || !text) {
		fprintf(stderr, "vm_alone: out of memory\n");
		exit(4);
	}
	memcpy(text, src->text, src->text_len);
	text[src->text_len] = '\0';
	memcpy(r->slots, src->slots, facts * sizeof *r->slots);
	memcpy(r->present, src->present, facts);
	for (i = 0; i < facts; i++) {
		er_value *v = &r->slots[i];
		if ((v->kind == ER_K_STRING || v->kind == ER_K_CODE) && v->as.str.ptr >= src->text &&
		    v->as.str.ptr < src->text + src->text_len)
			v->as.str.ptr = text + (v->as.str.ptr - src->text);
	}
	free(r->text);
	r->text = text;
	r->text_len = src->text_len;
	r->text_cap = src->text_len + 1;
	memcpy(r->id, src->id, sizeof r->id);
	memcpy(r->unit_code, src->unit_code, sizeof r->unit_code);
	r->number = src->number;
	r->unit_index = src->unit_index;
	r->unit_class = src->unit_class;
	r->county_index = src->county_index;
	return r;
}

static int on_record(er_record *record, void *context)
{
	bound *b = context;

	if (record->error_count > 0) {
		b->rejected++;
		return 0;
	}
	b->records[b->count++] = copy_record(record);
	return b->count < b->max ? 0 : 1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	er_error err;
	er_program *p;
	bound b = { 0 };
	facts_options opt = { 0 };
	FILE *in;
	er_result res;
	int rounds, r;
	int32_t as_of;
	double *ns, load_ns;
	size_t i, listed = 0;

	if (argc < 3 || argc > 6) {
		fprintf(stderr, "usage: vm_alone BYTECODE FACTS.jsonl [MAX [ROUNDS [YYYY-MM-DD]]]\n");
		return 2;
	}
	b.max = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
	rounds = argc > 4 ? atoi(argv[4]) : 5;
	if (b.max == 0 || rounds < 1 ||
	    er_date_parse(argc > 5 ? argv[5] : "2024-01-01", argc > 5 ? strlen(argv[5]) : 10, &as_of) != 0) {
		fprintf(stderr, "vm_alone: MAX and ROUNDS must be positive, the date YYYY-MM-DD\n");
		return 2;
	}
	load_ns = now_ns();
	p = er_program_load_file(argv[1], &err);
	load_ns = now_ns() - load_ns;
	if (!p) {
		fprintf(stderr, "vm_alone: %s: %s\n", argv[1], err.message);
		return 3;
	}
	in = fopen(argv[2], "rb");
	b.program = p;
	b.records = malloc(b.max * sizeof *b.records);
	ns = malloc(rounds * sizeof *ns);
	if (!in || !b.records || !ns) {
		fprintf(stderr, "vm_alone: cannot open %s or out of memory\n", argv[2]);
		return 4;
	}
	opt.format = FACTS_JSONL;
	opt.name = argv[2];
	opt.on_record = on_record;
	opt.context = &b;
	if (facts_read(p, in, &opt, &err) != ER_OK) {
		fprintf(stderr, "vm_alone: %s: %s\n", argv[2], err.message);
		return 3;
	}
	fclose(in);
	er_result_init(&res);
	for (r = 0; r <= rounds; r++) {
		double t0 = now_ns();
		for (i = 0; i < b.count; i++) {
			if (er_eval(p, b.records[i], as_of, &res) != ER_OK) {
				fprintf(stderr, "vm_alone: er_eval failed on record %zu\n", i + 1);
				return 4;
			}
			if (r == 0)
				listed += res.rule_count;
		}
		/* Pass 0 warms the caches and is not counted. */
		if (r > 0)
			ns[r - 1] = (now_ns() - t0) / (double)b.count;
	}
	qsort(ns, rounds, sizeof *ns, cmp_double);
	printf("load_ms\t%.2f\n", load_ns / 1e6);
	printf("records\t%zu\nrejected\t%zu\nrounds\t%d\nrules_listed_per_project\t%.2f\n"
	       "ns_per_project_median\t%.1f\nns_per_project_min\t%.1f\nns_per_project_max\t%.1f\n",
	       b.count, b.rejected, rounds, (double)listed / (double)(b.count ? b.count : 1),
	       ns[rounds / 2], ns[0], ns[rounds - 1]);
	er_result_free(&res);
	for (i = 0; i < b.count; i++)
		er_record_free(b.records[i]);
	free(b.records);
	free(ns);
	er_program_free(p);
	return 0;
}
