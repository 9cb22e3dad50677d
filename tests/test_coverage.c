/* The coverage tables (docs/coverage.zh-CN.md, docs/coverage.md) and the
 * compiled Jincheng rule set agree: every rule id a table names exists,
 * and every rule of the set is named in each table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"
#include "i18n.h"
#include "support.h"

/* The column of a coverage row that contains rule ids or the reason. */
#define RULE_COLUMN 6

static int is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* Whether a token looks like a rule id: ASCII words joined by dots, with
 * at least one dot and a letter first. */
static int looks_like_rule_id(const char *token, size_t len)
{
	size_t i;
	int dots = 0;

	if (len < 3 || !((token[0] >= 'a' && token[0] <= 'z') || (token[0] >= 'A' && token[0] <= 'Z')))
		return 0;
	if (token[len - 1] == '.')
		return 0;
	/* A file name such as data.rule names where rules live, not a rule. */
	if (len > 5 && memcmp(token + len - 5, ".rule", 5) == 0)
		return 0;
	for (i = 0; i < len; i++)
		dots += token[i] == '.';
	return dots > 0;
}

static uint32_t find_rule(const er_program *program, const char *id, size_t len)
{
	size_t i, n = er_program_rule_count(program);

	for (i = 0; i < n; i++) {
		const char *rid = er_program_rule(program, i)->id;
		if (strlen(rid) == len && memcmp(rid, id, len) == 0)
			return (uint32_t)i;
	}
	return 0xFFFFFFFFu;
}

/* Return the text of cell `column` (1-based) of a Markdown table row, or
 * NULL when the row has fewer cells. */
static const char *row_cell(const char *line, int column, size_t *len)
{
	const char *p = line;
	int cell = 0;

	if (*p != '|')
		return NULL;
	while (*p) {
		const char *start;
		if (*p != '|')
			return NULL;
		start = ++p;
		while (*p && *p != '|' && *p != '\n')
			p++;
		if (++cell == column) {
			*len = (size_t)(p - start);
			return start;
		}
		if (*p != '|')
			return NULL;
	}
	return NULL;
}

/* Check one table; returns the number of problems, printed as found. */
static int check_table(const er_program *program, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = er_program_rule_count(program);
	unsigned char *named = calloc(n ? n : 1, 1);
	char *line = NULL;
	size_t cap = 0;
	int problems = 0;
	size_t lineno = 0, i;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_ptr_nonnull(named);
	while (getline(&line, &cap, f) > 0) {
		size_t len, k;
		const char *cell;

		lineno++;
		cell = row_cell(line, RULE_COLUMN, &len);
		if (!cell)
			continue;
		for (k = 0; k < len;) {
			size_t start = k;
			uint32_t rule;

			while (k < len && is_id_char(cell[k]))
				k++;
			if (k == start) {
				k++;
				continue;
			}
			if (!looks_like_rule_id(cell + start, k - start))
				continue;
			rule = find_rule(program, cell + start, k - start);
			if (rule == 0xFFFFFFFFu) {
				printf("%s:%zu: rule %.*s is not in the rule set\n", path, lineno,
				       (int)(k - start), cell + start);
				problems++;
			} else {
				named[rule] = 1;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (!named[i]) {
			printf("%s: rule %s is missing from the table\n", path,
			       er_program_rule(program, i)->id);
			problems++;
		}
	}
	free(line);
	free(named);
	fclose(f);
	return problems;
}

START_TEST(coverage_tables_match_rule_set)
{
	static const char *const tables[] = {"docs/coverage.zh-CN.md", "docs/coverage.md"};
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	size_t t;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	ck_assert_uint_gt(er_program_rule_count(program), 0);
	for (t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		int problems = check_table(program, tables[t]);
		ck_assert_msg(problems == 0, "%s: %d rule ids do not match the rule set", tables[t],
			      problems);
	}
	er_program_free(program);
}
END_TEST

/* The check itself must notice an id the set does not have. */
START_TEST(coverage_unknown_id_detected)
{
	er_error err = {0};
	er_program *program = er_program_load_file(test_ruleset(), &err);
	char path[] = "/tmp/ecorule-coverage-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_msg(program != NULL, "cannot load %s: %s", test_ruleset(), err.message);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("| a | b | c | d | e | no.such.id, data.rule | g |\n", f);
	fclose(f);
	/* One unknown id, plus every rule of the set missing from this table. */
	ck_assert_int_eq(check_table(program, path), 1 + (int)er_program_rule_count(program));
	remove(path);
	er_program_free(program);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("coverage");
	TCase *tc = tcase_create("tables");
	SRunner *sr;
	int failed;

	er_i18n_init("en");
	tcase_add_test(tc, coverage_tables_match_rule_set);
	tcase_add_test(tc, coverage_unknown_id_detected);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
