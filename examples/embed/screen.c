/* screen: decide construction projects with libecorule.
 *
 *   screen [--as-of YYYY-MM-DD] RULES.erb [JSON]...
 *
 * Loads and verifies the compiled rule set once, then decides each
 * project given as a JSON object: one per argument, each in a thread of
 * its own, or one from standard input when there is no argument. The
 * rules in force on the --as-of date (default today) apply. For each
 * project it prints the decision, the applying rules with their
 * messages and basis, the undetermined rules, and the missing facts.
 * Exit status: 0 when every project was decided, 1 for a usage error, a
 * rule set that cannot be loaded or out of memory, 3 when a project's
 * facts are invalid.
 *
 * Build: cc screen.c $(pkg-config --cflags --libs ecorule) -o screen */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ecorule/ecorule.h>

/* One project: its JSON text, and its report once evaluated. */
typedef struct job {
	const er_program *program;
	const char *json;
	int32_t as_of;
	char *report;       /* malloc'ed report text */
	size_t report_size;
	int started;        /* evaluated in a thread of its own */
	int invalid;        /* the facts were invalid */
	int failed;         /* out of memory */
} job;

static void print_fact(FILE *out, const er_program *program, uint32_t fact)
{
	const er_fact_info *info = er_program_fact(program, fact);

	fprintf(out, "    %s (%s)\n", info->label, info->path);
}

static void print_rule(FILE *out, const er_program *program, const er_result *result,
		       const er_rule_result *rr)
{
	const er_rule_info *info = er_program_rule(program, rr->rule);
	char *message = er_format_message(program, result, rr);

	fprintf(out, "  [%s] %s %s\n", er_verdict_name(info->verdict), info->id, info->title);
	if (message != NULL)
		fprintf(out, "      %s\n", message);
	free(message);
	for (size_t i = 0; i < info->basis.count; i++)
		fprintf(out, "      %s\n", info->basis.items[i]);
}

/* Write the report of one evaluated record. */
static void print_report(FILE *out, const er_program *program, const er_record *record,
			 const er_result *result)
{
	fprintf(out, "%s: %s\n", record->id, er_decision_name(result->decision));
	for (size_t i = 0; i < result->rule_count; i++)
		if (result->rules[i].outcome == ER_OUT_APPLIES)
			print_rule(out, program, result, &result->rules[i]);
	for (size_t i = 0; i < result->rule_count; i++) {
		const er_rule_result *rr = &result->rules[i];
		const char *id = er_program_rule(program, rr->rule)->id;

		if (rr->outcome == ER_OUT_UNDETERMINED)
			fprintf(out, "  undetermined: %s\n", id);
		else if (rr->outcome == ER_OUT_FAILED)
			fprintf(out, "  failed: %s (%s)\n", id, er_status_name(rr->error));
	}
	if (result->needed_count > 0)
		fputs("  missing facts:\n", out);
	for (size_t i = 0; i < result->needed_count; i++)
		print_fact(out, program, result->needed[i]);
}

/* Decide one project; the thread body. Each thread has its own record
 * and result, and shares only the program, which no call changes. */
static void *decide(void *arg)
{
	job *j = arg;
	FILE *out = open_memstream(&j->report, &j->report_size);
	er_record *record = er_record_new(j->program);
	er_result result;
	er_status status;

	er_result_init(&result);
	if (out == NULL || record == NULL) {
		j->failed = 1;
		goto done;
	}
	status = er_record_read_json(record, j->json, strlen(j->json));
	if (status == ER_E_INPUT) {
		j->invalid = 1;
		fprintf(out, "%s: invalid\n", record->id);
		for (size_t i = 0; i < record->error_count; i++) {
			const er_field_error *error = &record->errors[i];

			if (error->field[0] != '\0')
				fprintf(out, "  %s: %s\n", error->field, error->message);
			else
				fprintf(out, "  %s\n", error->message);
		}
	} else if (status != ER_OK || er_eval(j->program, record, j->as_of, &result) != ER_OK) {
		j->failed = 1;
	} else {
		print_report(out, j->program, record, &result);
	}
done:
	if (out != NULL)
		fclose(out);
	er_result_free(&result);
	er_record_free(record);
	return NULL;
}

/* The whole of standard input as a string; NULL when out of memory. */
static char *read_stdin(void)
{
	size_t size = 0, cap = 4096;
	char *text = malloc(cap);
	size_t n;

	while (text != NULL && (n = fread(text + size, 1, cap - size - 1, stdin)) > 0) {
		size += n;
		if (cap - size - 1 == 0) {
			char *grown = realloc(text, cap * 2);

			if (grown == NULL)
				free(text);
			text = grown;
			cap *= 2;
		}
	}
	if (text != NULL)
		text[size] = '\0';
	return text;
}

int main(int argc, char **argv)
{
	er_error err;
	er_program *program;
	char *input = NULL;
	int32_t as_of = er_date_today();
	int first = 1, count;
	job *jobs;
	pthread_t *threads;
	int status = 0;

	if (argc > 2 && strcmp(argv[1], "--as-of") == 0) {
		if (er_date_parse(argv[2], strlen(argv[2]), &as_of) != 0) {
			fprintf(stderr, "screen: invalid date '%s': use YYYY-MM-DD\n", argv[2]);
			return 1;
		}
		first = 3;
	}
	if (argc <= first) {
		fputs("usage: screen [--as-of YYYY-MM-DD] RULES.erb [JSON]...\n", stderr);
		return 1;
	}
	count = argc > first + 1 ? argc - first - 1 : 1;
	er_set_language(NULL);
	program = er_program_load_file(argv[first], &err);
	if (program == NULL) {
		fprintf(stderr, "screen: %s\n", err.message);
		return 1;
	}
	if (argc == first + 1 && (input = read_stdin()) == NULL) {
		fputs("screen: out of memory\n", stderr);
		er_program_free(program);
		return 1;
	}
	jobs = calloc((size_t)count, sizeof *jobs);
	threads = calloc((size_t)count, sizeof *threads);
	for (int i = 0; jobs != NULL && threads != NULL && i < count; i++) {
		jobs[i].program = program;
		jobs[i].json = input != NULL ? input : argv[first + 1 + i];
		jobs[i].as_of = as_of;
		jobs[i].started = pthread_create(&threads[i], NULL, decide, &jobs[i]) == 0;
		if (!jobs[i].started)
			decide(&jobs[i]);
	}
	/* Reports come out in the order of the arguments. */
	for (int i = 0; jobs != NULL && threads != NULL && i < count; i++) {
		if (jobs[i].started)
			pthread_join(threads[i], NULL);
		if (jobs[i].report != NULL)
			fwrite(jobs[i].report, 1, jobs[i].report_size, stdout);
		if (jobs[i].failed)
			fputs("screen: out of memory\n", stderr);
		if (jobs[i].invalid && status == 0)
			status = 3;
		if (jobs[i].failed)
			status = 1;
		free(jobs[i].report);
	}
	if (jobs == NULL || threads == NULL) {
		fputs("screen: out of memory\n", stderr);
		status = 1;
	}
	free(jobs);
	free(threads);
	free(input);
	er_program_free(program);
	return status;
}
