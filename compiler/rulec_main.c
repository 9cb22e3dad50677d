/* rulec: compile, check, lint, format and disassemble ecorule rule sets,
 * and explain diagnostic codes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc.h"
#include "driver.h"
#include "ecorule.h"
#include "emit.h"
#include "fmt.h"
#include "i18n.h"
#include "lint.h"

#ifndef ECORULE_VERSION
#define ECORULE_VERSION "0.1.0"
#endif

/* Exit codes, shared with rulevm. */
enum {
	EXIT_OK = 0,
	EXIT_ERRORS = 1,  /* the rule set has errors */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_INVALID = 3, /* a damaged or unsupported bytecode file */
	EXIT_IO = 4       /* I/O error or out of memory */
};

typedef enum diag_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF } diag_format;

typedef struct options {
	const char *lang;
	diag_format format;
	const char *output;
	const char *input;
	char **args;             /* every argument after the verb; borrowed from argv */
	size_t arg_count;
	int lint;                /* check --lint */
	int werror;              /* lint --werror: warnings fail */
	char **scenarios;        /* lint --scenarios, borrowed from argv */
	size_t scenario_count;
	int32_t as_of;
	int fmt_write, fmt_check;
	const char *doc_format;  /* doc --format: "md" or "html", NULL for md */
} options;

static void print_usage(FILE *out)
{
	fputs(_("Usage: rulec [OPTION...] VERB [ARG...]\n"
		"\n"
		"Verbs:\n"
		"  compile FILE [-o OUT]  check a rule set and write its bytecode file\n"
		"                         (default OUT: FILE with the extension .erb)\n"
		"  check FILE [--lint]    check a rule set without writing anything\n"
		"  lint FILE              check a rule set and report lint warnings\n"
		"  fmt FILE...            print rule files in the canonical layout\n"
		"  doc FILE [--format md|html]\n"
		"                         render a rule set (.rule or .erb) as an\n"
		"                         admission list\n"
		"  dis FILE.erb           print a bytecode file with its source positions\n"
		"  explain CODE           describe a diagnostic code such as E0201\n"
		"\n"
		"Options:\n"
		"  --lang zh|en           language of messages (default: from the locale)\n"
		"  --diagnostics text|json|sarif\n"
		"                         format of the diagnostics of compile, check and\n"
		"                         lint (default: text on stderr; json and sarif\n"
		"                         go to stdout)\n"
		"  --help                 print this help, or a verb's help after the verb\n"
		"  --version              print the version\n"
		"\n"
		"Exit status:\n"
		"  0  success\n"
		"  1  the rule set has errors (lint and check --lint with --werror:\n"
		"     also warnings; fmt --check: a file is not in the canonical layout)\n"
		"  2  usage error (bad command line)\n"
		"  3  a damaged or unsupported bytecode file\n"
		"  4  I/O error or out of memory\n"),
	      out);
}

static void print_verb_help(const char *verb)
{
	if (strcmp(verb, "compile") == 0)
		fputs(_("Usage: rulec compile FILE [-o OUT] [--diagnostics text|json|sarif]\n"
			"\n"
			"Read FILE and every file it imports, check them as one rule set,\n"
			"and write the bytecode file OUT (default: FILE with the extension\n"
			".erb). Nothing is written when there are errors, and an existing\n"
			"OUT is then left as it was. Exit status 0, or 1 on errors, 2 on a\n"
			"bad command line, 4 when a file cannot be read or written.\n"),
		      stdout);
	else if (strcmp(verb, "check") == 0)
		fputs(_("Usage: rulec check FILE [--lint [--werror]] [--diagnostics text|json|sarif]\n"
			"\n"
			"Read FILE and every file it imports and report all errors, without\n"
			"writing a bytecode file. With --lint, also report the warnings of\n"
			"rulec lint; they change the exit status only with --werror. Exit\n"
			"status 0, or 1 on errors (and with --werror on warnings), 2 on a bad\n"
			"command line, 4 when FILE cannot be read.\n"),
		      stdout);
	else if (strcmp(verb, "lint") == 0)
		fputs(_("Usage: rulec lint FILE [--werror] [--scenarios PATH]... [--as-of DATE]\n"
			"                 [--diagnostics text|json|sarif]\n"
			"\n"
			"Check the rule set FILE and report lint warnings (W0001-W0015): rules\n"
			"that can never apply (contradictory bounds, disjoint sets or industry\n"
			"sets, a scope without units), exceptions that never or always hold,\n"
			"rules shadowed by a stricter rule, overlapping rules with conflicting\n"
			"verdicts and no overrides, a message whose threshold differs from the\n"
			"condition's, percentages outside 0-100%, unused facts, industry sets,\n"
			"attributes and imports, codes that are not GB/T 4754-2017 industry\n"
			"codes, and allow clauses that suppress nothing. rulec explain CODE\n"
			"describes each warning.\n"
			"\n"
			"A rule switches one warning off with a clause allow CODE \"reason\"\n"
			"(允许 CODE \"理由\"); lint then prints a note with the rule, the code\n"
			"and the reason instead of the warning.\n"
			"\n"
			"  --werror          exit with status 1 when a warning remains\n"
			"  --scenarios PATH  also run the scenario file PATH, or every *.json\n"
			"                    file in the folder PATH: each failing scenario is\n"
			"                    an error (E0501), each rule that no scenario\n"
			"                    makes apply a warning (W0010); may be repeated\n"
			"  --as-of DATE      evaluation date of scenarios without \"as_of\"\n"
			"                    (YYYY-MM-DD; default: today)\n"
			"\n"
			"Exit status 0 when there are no errors (and, with --werror, no\n"
			"warnings), 1 otherwise, 2 on a bad command line, 3 when a scenario\n"
			"file is not valid, 4 when a file cannot be read.\n"),
		      stdout);
	else if (strcmp(verb, "fmt") == 0)
		fputs(_("Usage: rulec fmt [-w | --write | --check] FILE...\n"
			"\n"
			"Print each rule file in the canonical layout on standard output:\n"
			"two-space indentation, rule clauses aligned, single spaces between\n"
			"tokens, at most one blank line between declarations. Comments, the\n"
			"line breaks inside conditions and lists, and the choice of English\n"
			"or Chinese keywords are kept. Files are formatted one by one; imports\n"
			"are not followed.\n"
			"\n"
			"  -w, --write  rewrite each file in place instead of printing it; the\n"
			"               new text goes to a temporary file in the same folder,\n"
			"               which is synced and renamed over the file, keeping its\n"
			"               permissions, so on any error the file stays as it was\n"
			"  --check      print nothing; list the files that are not formatted\n"
			"\n"
			"Exit status 0, or 1 when a file has syntax errors or (with --check)\n"
			"is not formatted, 2 on a bad command line, 4 when a file cannot be\n"
			"read or written.\n"),
		      stdout);
	else if (strcmp(verb, "doc") == 0)
		fputs(_("Usage: rulec doc FILE [--format md|html] [--lang zh|en]\n"
			"\n"
			"Check the rule set FILE (a .rule file and its imports), or load and\n"
			"verify the bytecode file FILE (ending in .erb), and print it in the\n"
			"form of an admission list: the general requirements, the\n"
			"requirements of each class or county scope, then each control unit\n"
			"with its attributes and its own requirements, all by dimension. Each\n"
			"requirement shows its verdict, its text, its condition and\n"
			"exceptions in words with the facts' labels, its effective dates, its\n"
			"basis and its source position. --lang selects the language of the\n"
			"words around the rules' own text.\n"
			"\n"
			"  --format md    Markdown (the default)\n"
			"  --format html  one self-contained, printable HTML page\n"
			"\n"
			"From a bytecode file, conditions are decompiled from the code: a\n"
			"literal shows in the unit it was converted to, and a let as its\n"
			"expression. Exit status 0, or 1 when the rule set has errors, 2 on a\n"
			"bad command line, 3 when the bytecode file is damaged or of an\n"
			"unsupported version, 4 when a file cannot be read or the output\n"
			"cannot be written.\n"),
		      stdout);
	else if (strcmp(verb, "dis") == 0)
		fputs(_("Usage: rulec dis FILE.erb\n"
			"\n"
			"Load and verify a bytecode file and print its header, tables, and\n"
			"each rule's code with the rule's source position. Exit status 0,\n"
			"or 3 when the file is damaged or of an unsupported version, 4 when\n"
			"it cannot be read.\n"),
		      stdout);
	else
		fputs(_("Usage: rulec explain CODE\n"
			"\n"
			"Print the title and explanation of a diagnostic code, e.g.\n"
			"rulec explain E0201. Exit status 0, or 2 for an unknown code.\n"),
		      stdout);
}

static int usage_error(const char *message, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *message, ...)
{
	va_list ap;
	va_start(ap, message);
	fputs(_("rulec: "), stderr);
	vfprintf(stderr, message, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", _("Try 'rulec --help' for more information."));
	return EXIT_USAGE;
}

/* The usage error for a verb given no argument: what that verb needs. */
static int missing_argument(const char *verb)
{
	if (strcmp(verb, "explain") == 0)
		return usage_error("%s", _("'explain' needs a diagnostic code, e.g. rulec explain W0006"));
	if (strcmp(verb, "fmt") == 0)
		return usage_error("%s", _("'fmt' needs one or more rule files"));
	if (strcmp(verb, "dis") == 0)
		return usage_error("%s", _("'dis' needs a bytecode file (FILE.erb)"));
	if (strcmp(verb, "doc") == 0)
		return usage_error("%s", _("'doc' needs a rule file or a bytecode file (FILE.erb)"));
	return usage_error(_("'%s' needs a rule file"), verb);
}

static int print_diagnostics(const driver *dr, diag_format format)
{
	switch (format) {
	case FORMAT_JSON:
		return diag_print_json(&dr->diags, dr->sources, stdout);
	case FORMAT_SARIF:
		return diag_print_sarif(&dr->diags, dr->sources, stdout);
	default:
		return diag_print_text(&dr->diags, dr->sources, stderr);
	}
}

/* A default output path: FILE without ".rule", plus ".erb". */
static char *default_output(const char *input)
{
	size_t len = strlen(input);
	if (len > 5 && strcmp(input + len - 5, ".rule") == 0)
		len -= 5;
	char *out = malloc(len + 5);
	if (!out)
		return NULL;
	memcpy(out, input, len);
	memcpy(out + len, ".erb", 5);
	return out;
}

/* compile (write_output 1), check (0) and lint (-1). Warnings fail only
 * with --werror. */
static int run_compile(const options *opt, int write_output)
{
	driver dr;
	driver_init(&dr);
	int status = EXIT_OK;
	char *output = NULL;

	if (driver_load_file(&dr, opt->input) < 0) {
		print_diagnostics(&dr, opt->format);
		status = EXIT_IO;
		goto done;
	}
	size_t errors = driver_build(&dr);
	size_t warnings = 0;
	if (errors == 0 && opt->lint)
		warnings = lint_rule_set(&dr);
	/* A scenario file that cannot be run gives the exit status rulevm
	 * test gives it: 4 when unreadable, 3 when invalid. The other warnings
	 * are still reported, with the allow clauses applied. */
	int scenarios_ran = 0;
	if (errors == 0 && opt->lint && opt->scenario_count > 0) {
		long covered = lint_coverage(&dr, opt->scenarios, opt->scenario_count, opt->as_of, stderr);
		if (covered == LINT_SCENARIOS_IO)
			status = EXIT_IO;
		else if (covered == LINT_SCENARIOS_INVALID)
			status = EXIT_INVALID;
		scenarios_ran = covered >= 0;
		errors = diag_error_count(&dr.diags);
	}
	if (opt->lint && (errors == 0 || scenarios_ran))
		warnings = lint_apply_allows(&dr, scenarios_ran);
	if (print_diagnostics(&dr, opt->format) < 0) {
		fprintf(stderr, "%s%s\n", _("rulec: "), _("cannot write the diagnostics"));
		status = EXIT_IO;
		goto done;
	}
	if (status != EXIT_OK)
		goto done;
	if (errors || (warnings && opt->werror)) {
		status = EXIT_ERRORS;
		goto done;
	}
	if (write_output <= 0)
		goto done;

	output = opt->output ? NULL : default_output(opt->input);
	const char *path = opt->output ? opt->output : output;
	if (!path) {
		fprintf(stderr, "%s%s\n", _("rulec: "), _("out of memory"));
		status = EXIT_IO;
		goto done;
	}
	if (emit_file(&dr.m, path) < 0) {
		fprintf(stderr, _("rulec: cannot write %s: %s\n"), path, strerror(errno));
		status = EXIT_IO;
	}

done:
	free(output);
	driver_free(&dr);
	return status;
}

/* Whether the file at `path` begins with text rather than the magic
 * "ECRB": its first bytes hold no NUL and no control character other
 * than tab, line feed and carriage return. */
static int looks_like_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n == 0 || (n >= 4 && memcmp(buf, "ECRB", 4) == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r') || buf[i] == 0x7f)
			return 0;
	return 1;
}

static int run_dis(const options *opt)
{
	er_error err;
	er_program *program = er_program_load_file(opt->input, &err);
	if (!program) {
		fprintf(stderr, "%s%s\n", _("rulec: "), err.message);
		if (err.status == ER_E_FORMAT && looks_like_text(opt->input))
			fprintf(stderr,
				_("rulec: note: %s looks like rule source, not bytecode; compile it with 'rulec compile %s -o FILE.erb' and give dis the .erb file\n"),
				opt->input, opt->input);
		return err.status == ER_E_IO || err.status == ER_E_NOMEM ? EXIT_IO : EXIT_INVALID;
	}
	er_program_disassemble(program, stdout);
	er_program_free(program);
	if (fflush(stdout) != 0)
		return EXIT_IO;
	return EXIT_OK;
}

/* rulec doc FILE.erb: the loader's message and status 3 for a damaged
 * file, as dis gives. */
static int run_doc_bytecode(const options *opt, doc_format format)
{
	er_error err;
	er_program *program = er_program_load_file(opt->input, &err);
	if (!program) {
		fprintf(stderr, "%s%s\n", _("rulec: "), err.message);
		return err.status == ER_E_IO || err.status == ER_E_NOMEM ? EXIT_IO : EXIT_INVALID;
	}
	int status = EXIT_OK;
	if (doc_render_program(program, opt->input, format, stdout) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s%s\n", _("rulec: "), _("cannot write the document to standard output"));
		status = EXIT_IO;
	}
	er_program_free(program);
	return status;
}

static int run_doc(const options *opt)
{
	doc_format format = DOC_MARKDOWN;
	if (opt->doc_format && strcmp(opt->doc_format, "html") == 0)
		format = DOC_HTML;
	else if (opt->doc_format && strcmp(opt->doc_format, "md") != 0)
		return usage_error(_("invalid --format '%s': expected md or html"), opt->doc_format);
	size_t len = strlen(opt->input);
	if (len > 4 && strcmp(opt->input + len - 4, ".erb") == 0)
		return run_doc_bytecode(opt, format);

	driver dr;
	driver_init(&dr);
	int status = EXIT_OK;
	if (driver_load_file(&dr, opt->input) < 0) {
		print_diagnostics(&dr, opt->format);
		status = EXIT_IO;
	} else if (driver_build(&dr) > 0) {
		print_diagnostics(&dr, opt->format);
		status = EXIT_ERRORS;
	} else if (doc_render(&dr, opt->input, format, stdout) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s%s\n", _("rulec: "), _("cannot write the document to standard output"));
		status = EXIT_IO;
	}
	driver_free(&dr);
	return status;
}

static int run_explain(const char *name)
{
	diag_code code = diag_code_find(name);
	if (code == DIAG_CODE_COUNT)
		return usage_error(_("unknown diagnostic code '%s'; codes look like E0201"), name);
	printf("%s: %s\n\n%s\n", diag_code_name(code), _(diag_code_title(code)), _(diag_code_explanation(code)));
	return EXIT_OK;
}

static int run_fmt(const options *opt)
{
	int status = EXIT_OK;
	for (size_t i = 0; i < opt->arg_count; i++) {
		fmt_mode mode = FMT_PRINT;
		if (opt->fmt_write)
			mode = FMT_WRITE;
		else if (opt->fmt_check)
			mode = FMT_CHECK;
		int rc = fmt_file(opt->args[i], mode, stdout, stderr);
		if (rc == FMT_IO_ERROR)
			status = EXIT_IO;
		else if (rc != FMT_OK && status == EXIT_OK)
			status = EXIT_ERRORS;
	}
	if (fflush(stdout) != 0)
		status = EXIT_IO;
	return status;
}

/* Parse the command line into `opt` (whose args and scenarios arrays
 * hold argc entries) and run the verb. */
static int run(int argc, char **argv, options *opt)
{
	const char *verb = NULL;
	int help = 0;
	int as_of_set = 0;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			help = 1;
		} else if (strcmp(arg, "--version") == 0) {
			printf("rulec (ecorule) %s\n", ECORULE_VERSION);
			return EXIT_OK;
		} else if (strcmp(arg, "--lang") == 0) {
			if (i + 1 >= argc)
				return usage_error(_("option '%s' needs a value: zh or en"), arg);
			i++;
		} else if (strncmp(arg, "--lang=", 7) == 0) {
			continue;
		} else if (strcmp(arg, "--diagnostics") == 0 || strncmp(arg, "--diagnostics=", 14) == 0) {
			const char *value = arg[13] == '=' ? arg + 14 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value)
				return usage_error(_("option '%s' needs a value: text, json or sarif"), "--diagnostics");
			if (strcmp(value, "text") == 0)
				opt->format = FORMAT_TEXT;
			else if (strcmp(value, "json") == 0)
				opt->format = FORMAT_JSON;
			else if (strcmp(value, "sarif") == 0)
				opt->format = FORMAT_SARIF;
			else
				return usage_error(_("invalid --diagnostics '%s': expected text, json or sarif"), value);
		} else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
			if (i + 1 >= argc)
				return usage_error(_("option '%s' needs a file name"), arg);
			opt->output = argv[++i];
		} else if (strcmp(arg, "--lint") == 0) {
			opt->lint = 1;
		} else if (strcmp(arg, "--werror") == 0) {
			opt->werror = 1;
		} else if (strcmp(arg, "--scenarios") == 0) {
			if (i + 1 >= argc)
				return usage_error(_("option '%s' needs a file or folder name"), arg);
			opt->scenarios[opt->scenario_count++] = argv[++i];
		} else if (strcmp(arg, "--as-of") == 0) {
			if (i + 1 >= argc)
				return usage_error(_("option '%s' needs a date such as 2021-10-01"), arg);
			const char *value = argv[++i];
			if (er_date_parse(value, strlen(value), &opt->as_of) != 0)
				return usage_error(_("invalid --as-of '%s': expected a date such as 2021-10-01"), value);
			as_of_set = 1;
		} else if (strcmp(arg, "--format") == 0) {
			if (i + 1 >= argc)
				return usage_error(_("option '%s' needs a value: md or html"), arg);
			opt->doc_format = argv[++i];
		} else if (strcmp(arg, "--write") == 0 || strcmp(arg, "-w") == 0) {
			opt->fmt_write = 1;
		} else if (strcmp(arg, "--check") == 0) {
			opt->fmt_check = 1;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return usage_error(_("unknown option '%s'"), arg);
		} else if (!verb) {
			verb = arg;
		} else {
			opt->args[opt->arg_count++] = argv[i];
		}
	}
	if (!as_of_set)
		opt->as_of = er_date_today();

	if (!verb) {
		if (help) {
			print_usage(stdout);
			return EXIT_OK;
		}
		print_usage(stderr);
		return EXIT_USAGE;
	}
	int is_compile = strcmp(verb, "compile") == 0, is_check = strcmp(verb, "check") == 0;
	int is_dis = strcmp(verb, "dis") == 0, is_explain = strcmp(verb, "explain") == 0;
	int is_lint = strcmp(verb, "lint") == 0, is_fmt = strcmp(verb, "fmt") == 0;
	int is_doc = strcmp(verb, "doc") == 0;
	if (!is_compile && !is_check && !is_dis && !is_explain && !is_lint && !is_fmt && !is_doc)
		return usage_error(_("unknown verb '%s'; verbs are compile, check, lint, fmt, doc, dis and explain"),
				   verb);
	if (help) {
		print_verb_help(verb);
		return EXIT_OK;
	}
	if (opt->arg_count == 0)
		return missing_argument(verb);
	if (opt->arg_count > 1 && !is_fmt)
		return usage_error(_("unexpected argument '%s'"), opt->args[1]);
	opt->input = opt->args[0];
	if (opt->output && !is_compile)
		return usage_error(_("option -o applies to compile only, not to '%s'"), verb);
	if (opt->lint && !is_check)
		return usage_error(_("option --lint applies to check only, not to '%s'"), verb);
	if (opt->werror && !is_lint && !(is_check && opt->lint))
		return usage_error(_("option --werror applies to lint and check --lint only, not to '%s'"), verb);
	if ((opt->scenario_count > 0 || as_of_set) && !is_lint)
		return usage_error(_("options --scenarios and --as-of apply to lint only, not to '%s'"), verb);
	if ((opt->fmt_write || opt->fmt_check) && !is_fmt)
		return usage_error(_("options --write and --check apply to fmt only, not to '%s'"), verb);
	if (opt->format != FORMAT_TEXT && !is_compile && !is_check && !is_lint)
		return usage_error(_("option --diagnostics %s applies to compile, check and lint only, not to '%s'"),
				   opt->format == FORMAT_JSON ? "json" : "sarif", verb);
	if (opt->doc_format && !is_doc)
		return usage_error(_("option --format applies to doc only, not to '%s'"), verb);
	if (opt->fmt_write && opt->fmt_check)
		return usage_error(_("options --write and --check of '%s' exclude each other; give one"), verb);

	if (is_explain)
		return run_explain(opt->input);
	if (is_dis)
		return run_dis(opt);
	if (is_fmt)
		return run_fmt(opt);
	if (is_doc)
		return run_doc(opt);
	if (is_lint) {
		opt->lint = 1;
		return run_compile(opt, -1);
	}
	return run_compile(opt, is_compile);
}

int main(int argc, char **argv)
{
	options opt;
	memset(&opt, 0, sizeof opt);

	/* --lang must take effect before any message, so find it first. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			opt.lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			opt.lang = argv[i] + 7;
	}
	if (er_i18n_init(opt.lang) < 0) {
		er_i18n_init(NULL);
		return usage_error(_("invalid --lang '%s': expected zh or en"), opt.lang);
	}

	opt.args = calloc((size_t)argc, sizeof *opt.args);
	opt.scenarios = calloc((size_t)argc, sizeof *opt.scenarios);
	int status;
	if (!opt.args || !opt.scenarios) {
		fprintf(stderr, "%s%s\n", _("rulec: "), _("out of memory"));
		status = EXIT_IO;
	} else {
		status = run(argc, argv, &opt);
	}
	free(opt.args);
	free(opt.scenarios);
	return status;
}
