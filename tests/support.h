/* Helpers shared by the Check tests: where the built tools and the
 * compiled rule sets are, and compiling a rule file for a test. The
 * paths come from the environment `make test` sets, with the defaults of
 * a normal build. */
#ifndef ECORULE_TEST_SUPPORT_H
#define ECORULE_TEST_SUPPORT_H

#include <stddef.h>

/* The rulec and rulevm binaries (env RULEC, RULEVM). */
const char *test_rulec(void);
const char *test_rulevm(void);

/* The compiled Jincheng rule set (env RULESET). */
const char *test_ruleset(void);

/* Compile `rules` with rulec into a new temporary file named from
 * `path_template` (ending in XXXXXX, rewritten in place). Returns 0, or
 * -1 when the file cannot be made or rulec fails. */
int test_compile_rules(const char *rules, char *path_template);

/* The whole file as a NUL-terminated string in malloc'ed storage, with
 * its length in *size when size is not NULL; NULL when it cannot be read. */
char *test_read_file(const char *path, size_t *size);

/* Whether s ends with suffix. */
int test_ends_with(const char *s, const char *suffix);

#endif
