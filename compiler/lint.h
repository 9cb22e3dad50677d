/* The linter: warnings (W-codes) about a rule set that checked without
 * errors. Rules that can never apply, exceptions that never or always
 * hold, rules shadowed by a stricter rule, overlapping rules with
 * conflicting verdicts, unused declarations, and rules no scenario test
 * makes apply.
 *
 * Ownership: the linter borrows the driver and adds its warnings to
 * dr->diags. Out of memory exits with status 4, as everywhere in the
 * compiler. */
#ifndef ECORULE_LINT_H
#define ECORULE_LINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "driver.h"

/* Add every static lint warning of the rule set in `dr` to dr->diags.
 * The driver must have built the set without errors. Returns the number
 * of warnings added. */
size_t lint_rule_set(driver *dr);

/* Add W0011 (a threshold of a rule's condition that its message states
 * differently) and W0012 (a percentage outside 0-100%) to dr->diags.
 * lint_rule_set calls it. Returns the number of warnings added. */
size_t lint_messages(driver *dr);

/* Add W0014 for every industry code of an industry set, a rule or a
 * unit or county field that GB/T 4754-2017 does not define. lint_rule_set
 * calls it. Returns the number of warnings added. */
size_t lint_industry_codes(driver *dr);

/* What lint_coverage returns when the scenarios could not be run. */
enum {
	LINT_SCENARIOS_IO = -1,      /* a file could not be read, or memory ran out */
	LINT_SCENARIOS_INVALID = -2  /* not a scenario file, or a folder without *.json */
};

/* Compile the rule set in memory, run the scenario files and folders in
 * `paths` (a folder stands for the *.json files in it) against it, add
 * an error E0501 for each failing scenario, and warn (W0010) about every
 * rule that no scenario makes apply. Scenarios without "as_of" are
 * evaluated on `as_of`. Files that cannot be read or are no scenario
 * files are described on `err`. Returns the number of warnings added,
 * or LINT_SCENARIOS_IO or LINT_SCENARIOS_INVALID. */
long lint_coverage(driver *dr, char *const *paths, size_t path_count, int32_t as_of, FILE *err);

/* Apply the allow clauses of the rules to the warnings in dr->diags: a
 * warning at a place inside a rule with allow CODE for its code is
 * marked suppressed (diag_suppress). Each allow clause that suppressed
 * nothing becomes a warning W0015, except allow W0010 when no scenarios
 * ran (`scenarios_ran` 0). Call it once, after lint_rule_set and
 * lint_coverage. Returns the number of warnings left unsuppressed. */
size_t lint_apply_allows(driver *dr, int scenarios_ran);

/* Whether an allow clause may name `code`: the warnings lint reports
 * about one rule. lint_allowable_list names them for messages. */
int lint_allowable(diag_code code);
const char *lint_allowable_list(void);

#endif
