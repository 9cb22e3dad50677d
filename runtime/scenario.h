/* Scenario tests: named projects with the decision, rules and values the
 * regulation demands for them, run against a compiled rule set, with the
 * rule coverage they reach. The file format is in docs/scenarios.md.
 *
 * Ownership: the runner borrows the program and the output stream. */
#ifndef ECORULE_SCENARIO_H
#define ECORULE_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

#include "ecorule.h"

typedef struct scn_options {
	int32_t default_as_of;   /* for scenarios without "as_of" */
	int verbose;             /* print passing scenarios too */
	const char *program;     /* names the program in file errors; NULL: rulevm */
	/* When set, called for each failing scenario instead of printing it.
	 * `differences` contains one line per difference, each ending in a
	 * line feed, without indentation. */
	void (*on_fail)(void *context, const char *file, const char *name, const char *differences);
	void *context;
} scn_options;

typedef struct scn_summary {
	size_t passed;
	size_t failed;
	size_t file_errors;      /* files that are not valid scenario files */
	size_t io_errors;        /* files that could not be opened or read */
	size_t rules_total;
	size_t rules_covered;    /* rules some scenario made apply */
	unsigned char *covered;  /* per rule: 1 when some scenario made it apply */
} scn_summary;

/* Run every scenario of every file, printing one line per failure (with
 * what differs) and, in verbose mode, per pass. A key the format does
 * not define, in a scenario or in its "expect", fails the scenario. Returns ER_OK, or
 * ER_E_NOMEM; unreadable files count in summary->file_errors. */
er_status scn_run_files(const er_program *program, char *const *files, size_t file_count,
			const scn_options *options, FILE *out, scn_summary *summary);

/* Print the coverage line and, when asked, the uncovered rules. */
void scn_print_coverage(const er_program *program, const scn_summary *summary,
			int show_uncovered, FILE *out);
void scn_summary_free(scn_summary *summary);

#endif
