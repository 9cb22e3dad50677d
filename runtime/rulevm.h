/* Pieces of the rulevm command shared by its command files: exit
 * statuses, option parsing and loading the bytecode file. Part of the
 * rulevm program only, not of libecorule. */
#ifndef ECORULE_RULEVM_H
#define ECORULE_RULEVM_H

#include "ecorule.h"
#include "facts.h"

/* Exit statuses, as listed in --help and docs/rulevm.md. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,     /* rulevm test: a scenario failed */
	EXIT_USAGE = 2,
	EXIT_INVALID = 3,    /* a damaged bytecode file, or invalid fact records */
	EXIT_IO = 4,         /* I/O error or out of memory */
	EXIT_REJECTED = 5,   /* eval --fail-on forbid: a project is 不予准入 */
	EXIT_RESTRICTED = 6, /* eval --fail-on restrict: a project is 受限准入 */
	EXIT_UNDECIDED = 7   /* eval --fail-on undecided: a project is 待补充信息 */
};

/* Print the exit statuses for --help. */
void rulevm_print_exit_codes(void);
/* Print "rulevm: " and the message to standard error, then where to find
 * help for `command` (NULL: rulevm itself). Returns EXIT_USAGE. */
int rulevm_usage_error(const char *command, const char *format, const char *arg);
/* Match "--name VALUE" and "--name=VALUE" at argv[*i]; advances *i past
 * the value. Returns 1 and sets *value, 0 when argv[*i] is another
 * option, -1 when the value is missing. */
int rulevm_option(int argc, char **argv, int *i, const char *name, const char **value);
/* Exit status for a status of the library. */
int rulevm_exit_for(er_status status);
/* Load and verify a bytecode file; on failure prints why and sets
 * *exit_status. */
er_program *rulevm_load(const char *path, int *exit_status);

/* rulevm eval, in rulevm_eval.c. */
int rulevm_eval(int argc, char **argv);
/* The input format a file name's extension suggests, or FACTS_AUTO. */
facts_format rulevm_input_format(const char *path);
/* A fact reader's warning about a whole input, printed on standard error. */
void rulevm_on_warning(const char *message, void *data);

#endif
