/* rulevm: evaluate a compiled rule set over project fact records, and
 * describe what a bytecode file holds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bytecode.h"
#include "ecorule.h"
#include "explain.h"
#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "scenario.h"

#define RULEVM_VERSION "0.1.0"

/* Exit statuses, as listed in --help and docs/rulevm.md. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,   /* rulevm test: a scenario failed */
	EXIT_USAGE = 2,
	EXIT_INVALID = 3,  /* a damaged bytecode file, or invalid fact records */
	EXIT_IO = 4        /* I/O error or out of memory */
};

static void rulevm_print_exit_codes(void)
{
	fputs(_("Exit status:\n"
		"  0  success\n"
		"  1  rulevm test: a scenario failed, or the rule coverage is below\n"
		"     --min-coverage\n"
		"  2  usage error (bad command line)\n"
		"  3  invalid input: a damaged or unsupported bytecode file, or some fact\n"
		"     records were invalid (the others were still evaluated and printed)\n"
		"  4  I/O error or out of memory\n"),
	      stdout);
}

static void rulevm_usage_main(void)
{
	fputs(_("Usage: rulevm COMMAND [OPTION]...\n"
		"Evaluate a compiled ecorule rule set over project fact records.\n"
		"\n"
		"Commands:\n"
		"  eval BYTECODE [FILE]...  decide each project in the fact files\n"
		"  explain BYTECODE [FILE]  show why each rule applies to a project or not\n"
		"  ask BYTECODE [FILE]      list the facts an undecided project still needs\n"
		"  info BYTECODE            show what a bytecode file holds\n"
		"  test BYTECODE FILE...    run scenario files and report rule coverage\n"
		"\n"
		"Options:\n"
		"  --lang zh|en   language of messages and reports (default: the locale)\n"
		"  --help         show this help, or a command's with COMMAND --help\n"
		"  --version      show the version\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

static void rulevm_usage_eval(void)
{
	fputs(_("Usage: rulevm eval [OPTION]... BYTECODE [FILE]...\n"
		"Decide each project record in the FILEs (standard input when there is no\n"
		"FILE or FILE is \"-\") with the rule set compiled into BYTECODE.\n"
		"\n"
		"Options:\n"
		"  --format text|json|csv|html\n"
		"                         report format (default text); json writes one\n"
		"                         object per record and line, csv one row per\n"
		"                         record after a header row, html one printable\n"
		"                         page for the batch, see docs/output.md\n"
		"  --input json|jsonl|csv input format (default: by the file extension,\n"
		"                         else by the first character of the input)\n"
		"  --encoding utf-8|gb18030\n"
		"                         input encoding (default: UTF-8, or GB18030 when\n"
		"                         the input is not valid UTF-8)\n"
		"  --as-of YYYY-MM-DD     evaluation date: selects the rules in force\n"
		"                         (default today)\n"
		"  --lang zh|en           language of messages and reports\n"
		"  --progress, --no-progress\n"
		"                         show a running count of records on standard\n"
		"                         error (default: when it is a terminal)\n"
		"  --help                 show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

static void rulevm_usage_info(void)
{
	fputs(_("Usage: rulevm info [OPTION]... BYTECODE\n"
		"Show what a bytecode file holds: its version, the counts of facts, rules,\n"
		"control units and counties, the fact table with labels and types, and the\n"
		"rules by dimension.\n"
		"\n"
		"Options:\n"
		"  --lang zh|en   language of the listing\n"
		"  --help         show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

static void rulevm_usage_test(void)
{
	fputs(_("Usage: rulevm test [OPTION]... BYTECODE FILE...\n"
		"Run the scenarios of each FILE (a JSON array of scenarios, see\n"
		"docs/scenarios.md) against BYTECODE: print each failing scenario with what\n"
		"differs, a line \"N passed, N failed\", and the rule coverage.\n"
		"\n"
		"Options:\n"
		"  --as-of YYYY-MM-DD       date for scenarios without \"as_of\" (default today)\n"
		"  --min-coverage PERCENT   fail when fewer rules than this applied in some\n"
		"                           scenario (default 0)\n"
		"  --uncovered              list the rules no scenario made apply\n"
		"  --verbose                print passing scenarios too\n"
		"  --lang zh|en             language of the report\n"
		"  --help                   show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

static int rulevm_usage_error(const char *command, const char *format, const char *arg)
{
	fputs("rulevm: ", stderr);
	fprintf(stderr, format, arg);
	fputc('\n', stderr);
	if (command != NULL)
		fprintf(stderr, _("Try 'rulevm %s --help' for more information.\n"), command);
	else
		fputs(_("Try 'rulevm --help' for more information.\n"), stderr);
	return EXIT_USAGE;
}

/* Match "--name VALUE" and "--name=VALUE" at argv[*i]; advances *i past
 * the value. Returns 1 and sets *value, 0 when argv[*i] is another
 * option, -1 when the value is missing. */
static int rulevm_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, len) != 0)
		return 0;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return 1;
	}
	if (arg[len] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*i += 1;
	*value = argv[*i];
	return 1;
}

/* Exit status for a status of the library. */
static int rulevm_exit_for(er_status status)
{
	switch (status) {
	case ER_OK:
		return EXIT_OK;
	case ER_E_NOMEM:
	case ER_E_IO:
		return EXIT_IO;
	default:
		return EXIT_INVALID;
	}
}

static er_program *rulevm_load(const char *path, int *exit_status)
{
	er_error err = { .status = ER_OK };
	er_program *program = er_program_load_file(path, &err);

	if (program == NULL) {
		fprintf(stderr, "rulevm: %s\n", err.message[0] != '\0' ? err.message : path);
		*exit_status = err.status == ER_OK ? EXIT_INVALID : rulevm_exit_for(err.status);
	}
	return program;
}

typedef struct eval_context {
	const er_program *program;
	report_writer *writer;
	er_result result;
	int32_t as_of;
	const char *input; /* name of the input being read, for messages */
	int invalid;       /* some record had errors */
	int write_failed;
	int out_of_memory;
	int progress;          /* show a record count on standard error */
	size_t records;        /* records read so far, over every input */
	struct timespec shown; /* when the count was last shown */
} eval_context;

/* Show how many records are done, at most twice a second, on one line
 * of standard error that the next update overwrites. */
static void eval_show_progress(eval_context *context, int final)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && (now.tv_sec - context->shown.tv_sec) * 1000000000L +
			      (now.tv_nsec - context->shown.tv_nsec) < 500000000L)
		return;
	context->shown = now;
	fputc('\r', stderr);
	fprintf(stderr, _("rulevm: %zu records evaluated"), context->records);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static int eval_on_record(er_record *record, void *data)
{
	eval_context *context = data;

	context->records++;
	if (context->progress && context->records % 1024 == 0)
		eval_show_progress(context, 0);

	if (record->error_count > 0) {
		context->invalid = 1;
		for (size_t i = 0; i < record->error_count; i++) {
			const er_field_error *error = &record->errors[i];

			if (error->field[0] != '\0')
				fprintf(stderr, _("rulevm: %s: record %zu (%s), field \"%s\": %s\n"),
					context->input, record->number, record->id, error->field,
					error->message);
			else
				fprintf(stderr, _("rulevm: %s: record %zu (%s): %s\n"), context->input,
					record->number, record->id, error->message);
		}
		if (report_write(context->writer, record, NULL) != 0) {
			context->write_failed = 1;
			return 1;
		}
		return 0;
	}
	if (er_eval(context->program, record, context->as_of, &context->result) != ER_OK) {
		context->out_of_memory = 1;
		return 1;
	}
	if (report_write(context->writer, record, &context->result) != 0) {
		context->write_failed = 1;
		return 1;
	}
	return 0;
}

static void eval_on_warning(const char *message, void *data)
{
	(void)data;
	fprintf(stderr, _("rulevm: warning: %s\n"), message);
}

/* The input format a file name suggests, or FACTS_AUTO. */
static facts_format eval_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return FACTS_AUTO;
	if (strcmp(dot, ".json") == 0)
		return FACTS_JSON;
	if (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".ndjson") == 0)
		return FACTS_JSONL;
	if (strcmp(dot, ".csv") == 0)
		return FACTS_CSV;
	return FACTS_AUTO;
}

static int rulevm_eval(int argc, char **argv)
{
	const char *format_name = "text", *input_name = NULL, *encoding_name = NULL;
	const char *as_of_text = NULL, *bytecode = NULL, *lang;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t file_count = 0;
	facts_format input_format = FACTS_AUTO;
	facts_encoding encoding = FACTS_ENC_AUTO;
	report_format format;
	eval_context context = { 0 };
	int progress = isatty(STDERR_FILENO);
	er_program *program = NULL;
	int status = EXIT_OK, no_more_options = 0;

	if (files == NULL) {
		fprintf(stderr, "rulevm: %s\n", _("out of memory"));
		return EXIT_IO;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int matched;

		if (no_more_options || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (bytecode == NULL)
				bytecode = arg;
			else
				files[file_count++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			no_more_options = 1;
			continue;
		}
		if (strcmp(arg, "--help") == 0) {
			rulevm_usage_eval();
			free(files);
			return EXIT_OK;
		}
		if (strcmp(arg, "--progress") == 0 || strcmp(arg, "--no-progress") == 0) {
			progress = arg[2] == 'p';
			continue;
		}
		if ((matched = rulevm_option(argc, argv, &i, "--format", &format_name)) ||
		    (matched = rulevm_option(argc, argv, &i, "--input", &input_name)) ||
		    (matched = rulevm_option(argc, argv, &i, "--encoding", &encoding_name)) ||
		    (matched = rulevm_option(argc, argv, &i, "--as-of", &as_of_text)) ||
		    (matched = rulevm_option(argc, argv, &i, "--lang", &lang))) {
			if (matched < 0) {
				free(files);
				return rulevm_usage_error("eval", _("option '%s' needs a value"), arg);
			}
			continue;
		}
		free(files);
		return rulevm_usage_error("eval", _("unknown option '%s'"), arg);
	}

	if (strcmp(format_name, "text") == 0) {
		format = REPORT_TEXT;
	} else if (strcmp(format_name, "json") == 0) {
		format = REPORT_JSON;
	} else if (strcmp(format_name, "csv") == 0) {
		format = REPORT_CSV;
	} else if (strcmp(format_name, "html") == 0) {
		format = REPORT_HTML;
	} else {
		free(files);
		return rulevm_usage_error("eval", _("unknown report format '%s': use text, json, csv or html"),
					  format_name);
	}
	if (input_name != NULL && facts_parse_format(input_name, &input_format) != 0) {
		free(files);
		return rulevm_usage_error("eval", _("unknown input format '%s': use json, jsonl or csv"),
					  input_name);
	}
	if (encoding_name != NULL && facts_parse_encoding(encoding_name, &encoding) != 0) {
		free(files);
		return rulevm_usage_error("eval", _("unknown encoding '%s': use utf-8 or gb18030"),
					  encoding_name);
	}
	if (as_of_text != NULL) {
		if (er_date_parse(as_of_text, strlen(as_of_text), &context.as_of) != 0) {
			free(files);
			return rulevm_usage_error("eval", _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
						  as_of_text);
		}
	} else {
		context.as_of = er_date_today();
	}
	if (bytecode == NULL) {
		free(files);
		return rulevm_usage_error("eval", "%s", _("missing BYTECODE: name a file compiled by rulec"));
	}
	if (file_count == 0)
		files[file_count++] = "-";

	/* The whole rule set is verified before any record is read. */
	program = rulevm_load(bytecode, &status);
	if (program == NULL) {
		free(files);
		return status;
	}
	context.program = program;
	context.progress = progress;
	clock_gettime(CLOCK_MONOTONIC, &context.shown);
	er_result_init(&context.result);
	context.writer = report_writer_new(stdout, format, program);
	if (context.writer == NULL) {
		fprintf(stderr, "rulevm: %s\n", _("out of memory"));
		status = EXIT_IO;
		goto out;
	}
	report_writer_set_batch(context.writer, bytecode, context.as_of);

	for (size_t f = 0; f < file_count; f++) {
		const char *path = files[f];
		int is_stdin = strcmp(path, "-") == 0;
		FILE *in = is_stdin ? stdin : fopen(path, "rb");
		facts_options options = {
			.format = input_name != NULL ? input_format
						     : (is_stdin ? FACTS_AUTO : eval_format_of(path)),
			.encoding = encoding,
			.name = is_stdin ? _("standard input") : path,
			.on_record = eval_on_record,
			.on_warning = eval_on_warning,
			.context = &context,
		};
		er_error err = { .status = ER_OK };
		er_status read_status;

		context.input = options.name;
		if (in == NULL) {
			fprintf(stderr, _("rulevm: cannot open %s: %s\n"), path, strerror(errno));
			status = EXIT_IO;
			continue;
		}
		read_status = facts_read(program, in, &options, &err);
		if (!is_stdin)
			fclose(in);
		if (read_status != ER_OK) {
			fprintf(stderr, "rulevm: %s\n", err.message);
			if (rulevm_exit_for(read_status) > status)
				status = rulevm_exit_for(read_status);
		}
		if (context.out_of_memory || context.write_failed)
			break;
	}
	if (!context.out_of_memory && !context.write_failed &&
	    report_writer_finish(context.writer) != 0)
		context.write_failed = 1;
	if (fflush(stdout) != 0)
		context.write_failed = 1;
	if (context.progress && context.records >= 1024)
		eval_show_progress(&context, 1);
	if (context.out_of_memory) {
		fprintf(stderr, "rulevm: %s\n", _("out of memory"));
		status = EXIT_IO;
	} else if (context.write_failed) {
		fprintf(stderr, _("rulevm: writing the report failed: %s\n"), strerror(errno));
		status = EXIT_IO;
	} else if (context.invalid && status < EXIT_INVALID) {
		status = EXIT_INVALID;
	}

out:
	report_writer_free(context.writer);
	er_result_free(&context.result);
	er_program_free(program);
	free(files);
	return status;
}

/* The schema's spelling of a fact's type, with its unit or enumeration:
 * the Chinese keywords when messages are Chinese, as docs/language.md
 * gives both. */
static void info_print_type(const er_program *program, const er_fact_info *fact)
{
	static const char *const names[][2] = {
		[ER_FT_BOOLEAN] = { "boolean", "布尔" },
		[ER_FT_INTEGER] = { "integer", "整数" },
		[ER_FT_NUMBER] = { "number", "数值" },
		[ER_FT_QUANTITY] = { "quantity", "数量" },
		[ER_FT_DATE] = { "date", "日期" },
		[ER_FT_STRING] = { "string", "文本" },
		[ER_FT_CODE] = { "code", "代码" },
		[ER_FT_UNIT] = { "unit", "单元" },
		[ER_FT_ENUM] = { "", "" },
		[ER_FT_SET] = { "set of", "集合" },
		[ER_FT_INDUSTRIES] = { "industries", "行业集合" },
	};
	int zh = er_i18n_is_chinese();

	if ((unsigned)fact->type >= sizeof names / sizeof names[0])
		return;
	switch (fact->type) {
	case ER_FT_QUANTITY:
		printf("%s %s", names[fact->type][zh], fact->unit_text != NULL ? fact->unit_text : "");
		break;
	case ER_FT_ENUM:
		fputs(er_program_enum_name(program, fact->enum_index), stdout);
		break;
	case ER_FT_SET:
		printf("%s %s", names[fact->type][zh], er_program_enum_name(program, fact->enum_index));
		break;
	default:
		fputs(names[fact->type][zh], stdout);
		break;
	}
}

/* The version in the header of the file, which the loader has already
 * verified. */
static int info_read_version(const char *path, unsigned *major, unsigned *minor)
{
	unsigned char header[8];
	FILE *in = fopen(path, "rb");
	size_t n;

	if (in == NULL)
		return -1;
	n = fread(header, 1, sizeof header, in);
	fclose(in);
	if (n != sizeof header)
		return -1;
	*major = header[4] | (unsigned)header[5] << 8;
	*minor = header[6] | (unsigned)header[7] << 8;
	return 0;
}

static int rulevm_info(int argc, char **argv)
{
	const char *bytecode = NULL, *lang;
	er_program *program;
	int status = EXIT_OK;
	unsigned major = 0, minor = 0;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int matched;

		if (arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (bytecode != NULL)
				return rulevm_usage_error("info", _("unexpected argument '%s'"), arg);
			bytecode = arg;
			continue;
		}
		if (strcmp(arg, "--help") == 0) {
			rulevm_usage_info();
			return EXIT_OK;
		}
		if ((matched = rulevm_option(argc, argv, &i, "--lang", &lang)) != 0) {
			if (matched < 0)
				return rulevm_usage_error("info", _("option '%s' needs a value"), arg);
			continue;
		}
		return rulevm_usage_error("info", _("unknown option '%s'"), arg);
	}
	if (bytecode == NULL)
		return rulevm_usage_error("info", "%s", _("missing BYTECODE: name a file compiled by rulec"));

	program = rulevm_load(bytecode, &status);
	if (program == NULL)
		return status;

	size_t fact_count = er_program_fact_count(program);
	size_t rule_count = er_program_rule_count(program);

	printf(_("File: %s\n"), bytecode);
	if (info_read_version(bytecode, &major, &minor) == 0)
		printf(_("Bytecode version: %u.%u\n"), major, minor);
	printf(_("Facts: %zu, rules: %zu, control units: %zu, counties: %zu\n"), fact_count,
	       rule_count, er_program_unit_count(program), er_program_county_count(program));

	printf("\n%s\n", _("Facts (path, label, type):"));
	for (size_t i = 0; i < fact_count; i++) {
		const er_fact_info *fact = er_program_fact(program, i);

		printf("  %s  %s  ", fact->path, fact->label);
		info_print_type(program, fact);
		putchar('\n');
	}

	printf("\n%s\n", _("Rules by dimension:"));
	for (int dim = 0; dim < ER_DIM_COUNT; dim++) {
		size_t count = 0;

		for (size_t i = 0; i < rule_count; i++)
			count += (int)er_program_rule(program, i)->dimension == dim;
		printf(_("  %s (%zu)\n"), er_dimension_name((er_dimension)dim), count);
		for (size_t i = 0; i < rule_count; i++) {
			const er_rule_info *rule = er_program_rule(program, i);

			if ((int)rule->dimension == dim)
				printf("    [%s] %s  %s\n", er_verdict_name(rule->verdict), rule->id,
				       rule->title);
		}
	}
	er_program_free(program);
	if (fflush(stdout) != 0) {
		fprintf(stderr, _("rulevm: writing the listing failed: %s\n"), strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

/* rulevm test: run scenario files and report rule coverage. */
static int rulevm_test(int argc, char **argv)
{
	const char *as_of_text = NULL, *min_text = NULL, *bytecode = NULL, *lang;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t file_count = 0;
	scn_options options = { 0 };
	scn_summary summary;
	int show_uncovered = 0, status;
	double min_coverage = 0, coverage;
	er_program *program;
	er_status st;

	if (files == NULL) {
		fprintf(stderr, "rulevm: %s\n", _("out of memory"));
		return EXIT_IO;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int matched;

		if (arg[0] != '-') {
			if (bytecode == NULL)
				bytecode = arg;
			else
				files[file_count++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--help") == 0) {
			rulevm_usage_test();
			free(files);
			return EXIT_OK;
		}
		if (strcmp(arg, "--verbose") == 0) {
			options.verbose = 1;
			continue;
		}
		if (strcmp(arg, "--uncovered") == 0) {
			show_uncovered = 1;
			continue;
		}
		if ((matched = rulevm_option(argc, argv, &i, "--as-of", &as_of_text)) ||
		    (matched = rulevm_option(argc, argv, &i, "--min-coverage", &min_text)) ||
		    (matched = rulevm_option(argc, argv, &i, "--lang", &lang))) {
			if (matched < 0) {
				free(files);
				return rulevm_usage_error("test", _("option '%s' needs a value"), arg);
			}
			continue;
		}
		free(files);
		return rulevm_usage_error("test", _("unknown option '%s'"), arg);
	}
	options.default_as_of = er_date_today();
	if (as_of_text != NULL &&
	    er_date_parse(as_of_text, strlen(as_of_text), &options.default_as_of) != 0) {
		free(files);
		return rulevm_usage_error("test", _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
					  as_of_text);
	}
	if (min_text != NULL) {
		char *end;

		errno = 0;
		min_coverage = strtod(min_text, &end);
		if (errno != 0 || end == min_text || *end != '\0' || min_coverage < 0 ||
		    min_coverage > 100) {
			free(files);
			return rulevm_usage_error("test",
				_("invalid coverage '%s' for --min-coverage: use a percentage from 0 to 100"),
				min_text);
		}
	}
	if (bytecode == NULL || file_count == 0) {
		free(files);
		return rulevm_usage_error("test", "%s", _("missing bytecode file or scenario files"));
	}
	program = rulevm_load(bytecode, &status);
	if (program == NULL) {
		free(files);
		return status;
	}

	st = scn_run_files(program, files, file_count, &options, stdout, &summary);
	if (st != ER_OK) {
		fprintf(stderr, "rulevm: %s\n", _("out of memory"));
		er_program_free(program);
		free(files);
		return EXIT_IO;
	}
	printf(_("%zu passed, %zu failed\n"), summary.passed, summary.failed);
	scn_print_coverage(program, &summary, show_uncovered, stdout);
	coverage = summary.rules_total
		? 100.0 * (double)summary.rules_covered / (double)summary.rules_total : 100.0;
	if (summary.io_errors)
		status = EXIT_IO;
	else if (summary.file_errors)
		status = EXIT_INVALID;
	else if (summary.failed || coverage < min_coverage)
		status = EXIT_FAILED;
	else
		status = EXIT_OK;
	if (coverage < min_coverage)
		printf(_("rule coverage %.1f%% is below the required %.1f%%\n"), coverage, min_coverage);
	scn_summary_free(&summary);
	er_program_free(program);
	free(files);
	return status;
}

static void rulevm_usage_explain(void)
{
	fputs(_("Usage: rulevm explain [OPTION]... BYTECODE [FILE]\n"
		"Explain the evaluation of one project record of FILE (standard input when\n"
		"there is no FILE or FILE is \"-\"): for every rule in scope of the project's\n"
		"control unit, its result, the reason, the sub-conditions that decided it\n"
		"with the fact values read, the exceptions checked, and the missing facts.\n"
		"\n"
		"Options:\n"
		"  --id ID                explain the record with this id (default: the first)\n"
		"  --rule RULE_ID         explain only this rule, in scope or not\n"
		"  --format text|json     output format (default text)\n"
		"  --as-of YYYY-MM-DD     evaluation date (default today)\n"
		"  --lang zh|en           language of messages and labels\n"
		"  --help                 show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

static void rulevm_usage_ask(void)
{
	fputs(_("Usage: rulevm ask [OPTION]... BYTECODE [FILE]\n"
		"For one project record of FILE (standard input when there is no FILE or\n"
		"FILE is \"-\") whose decision is 待补充信息, list the missing facts that would\n"
		"settle it with their label, path, type, unit and allowed values, those that\n"
		"more undetermined rules lack first. A settled project is reported as such,\n"
		"with exit status 0.\n"
		"\n"
		"Options:\n"
		"  --id ID                ask about the record with this id (default: the first)\n"
		"  --template             write a JSON fact file to fill in instead: the known\n"
		"                         facts, and each missing fact as an object to replace\n"
		"                         with its value; left unfilled, it is an invalid value\n"
		"  --format text|json     output format without --template (default text)\n"
		"  --as-of YYYY-MM-DD     evaluation date (default today)\n"
		"  --lang zh|en           language of messages and labels\n"
		"  --help                 show this help\n"
		"\n"),
	      stdout);
	rulevm_print_exit_codes();
}

/* Options and state of rulevm explain and rulevm ask, which act on one
 * record of the input. */
typedef struct pick_context {
	const er_program *program;
	const char *command;   /* "explain" or "ask" */
	const char *id;        /* the record wanted, or NULL for the first */
	const char *input;     /* name of the input, for messages */
	uint32_t rule;         /* explain --rule, or BC_NONE */
	int json, template;
	int32_t as_of;
	int found, status;
} pick_context;

static int pick_act(pick_context *context, er_record *record)
{
	xp_explanation x;
	er_result result;
	er_status st;
	int written;

	if (strcmp(context->command, "explain") == 0) {
		xp_explanation_init(&x);
		st = xp_explain(context->program, record, context->as_of, context->rule, &x);
		if (st != ER_OK)
			written = -1;
		else if (context->json)
			written = xp_write_json(stdout, &x);
		else
			written = xp_write_text(stdout, &x);
		xp_explanation_free(&x);
		return written;
	}
	er_result_init(&result);
	st = er_eval(context->program, record, context->as_of, &result);
	if (st != ER_OK)
		written = -1;
	else if (context->template)
		written = xp_ask_template(stdout, context->program, record, &result);
	else if (context->json)
		written = xp_ask_json(stdout, context->program, record, &result);
	else
		written = xp_ask_text(stdout, context->program, record, &result);
	er_result_free(&result);
	return written;
}

static int pick_on_record(er_record *record, void *data)
{
	pick_context *context = data;

	if (context->id != NULL && strcmp(record->id, context->id) != 0)
		return 0;
	context->found = 1;
	if (record->error_count > 0) {
		for (size_t i = 0; i < record->error_count; i++) {
			const er_field_error *error = &record->errors[i];

			if (error->field[0] != '\0')
				fprintf(stderr, _("rulevm: %s: record %zu (%s), field \"%s\": %s\n"),
					context->input, record->number, record->id, error->field,
					error->message);
			else
				fprintf(stderr, _("rulevm: %s: record %zu (%s): %s\n"), context->input,
					record->number, record->id, error->message);
		}
		context->status = EXIT_INVALID;
		return 1;
	}
	if (pick_act(context, record) != 0) {
		fprintf(stderr, _("rulevm: writing the report failed: %s\n"), strerror(errno));
		context->status = EXIT_IO;
	}
	return 1;
}

/* Read FILE (or standard input) through pick_on_record; report a record
 * id that is not there. */
static int rulevm_pick_read(const er_program *program, const char *file, pick_context *context)
{
	int is_stdin = file == NULL || strcmp(file, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen(file, "rb");
	facts_options options = {
		.format = is_stdin ? FACTS_AUTO : eval_format_of(file),
		.name = is_stdin ? _("standard input") : file,
		.on_record = pick_on_record,
		.on_warning = eval_on_warning,
		.context = context,
	};
	er_error err = { .status = ER_OK };
	er_status st;

	context->input = options.name;
	if (in == NULL) {
		fprintf(stderr, _("rulevm: cannot open %s: %s\n"), file, strerror(errno));
		return EXIT_IO;
	}
	st = facts_read(program, in, &options, &err);
	if (!is_stdin)
		fclose(in);
	if (st != ER_OK) {
		fprintf(stderr, "rulevm: %s\n", err.message);
		return rulevm_exit_for(st);
	}
	if (!context->found) {
		if (context->id != NULL)
			fprintf(stderr, _("rulevm: no record with id '%s' found in %s\n"), context->id, options.name);
		else
			fprintf(stderr, _("rulevm: %s contains no records\n"), options.name);
		return EXIT_INVALID;
	}
	if (fflush(stdout) != 0 && context->status == EXIT_OK) {
		fprintf(stderr, _("rulevm: writing the report failed: %s\n"), strerror(errno));
		return EXIT_IO;
	}
	return context->status;
}

/* rulevm explain and rulevm ask: read FILE up to the record wanted and
 * explain it, or list what it lacks. */
static int rulevm_pick(int argc, char **argv)
{
	const char *command = argv[0], *bytecode = NULL, *file = NULL, *lang;
	const char *format_name = "text", *as_of_text = NULL, *rule_id = NULL;
	int is_explain = strcmp(command, "explain") == 0;
	pick_context context = { .command = command, .rule = BC_NONE };

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		int matched;

		if (arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (bytecode == NULL)
				bytecode = arg;
			else if (file == NULL)
				file = arg;
			else
				return rulevm_usage_error(command, _("unexpected argument '%s'"), arg);
			continue;
		}
		if (strcmp(arg, "--help") == 0) {
			if (is_explain)
				rulevm_usage_explain();
			else
				rulevm_usage_ask();
			return EXIT_OK;
		}
		if (!is_explain && strcmp(arg, "--template") == 0) {
			context.template = 1;
			continue;
		}
		if ((matched = rulevm_option(argc, argv, &i, "--id", &context.id)) ||
		    (matched = rulevm_option(argc, argv, &i, "--format", &format_name)) ||
		    (matched = rulevm_option(argc, argv, &i, "--as-of", &as_of_text)) ||
		    (matched = rulevm_option(argc, argv, &i, "--lang", &lang)) ||
		    (is_explain && (matched = rulevm_option(argc, argv, &i, "--rule", &rule_id)))) {
			if (matched < 0)
				return rulevm_usage_error(command, _("option '%s' needs a value"), arg);
			continue;
		}
		return rulevm_usage_error(command, _("unknown option '%s'"), arg);
	}
	if (strcmp(format_name, "json") == 0)
		context.json = 1;
	else if (strcmp(format_name, "text") != 0)
		return rulevm_usage_error(command, _("unknown output format '%s': use text or json"),
					  format_name);
	context.as_of = er_date_today();
	if (as_of_text != NULL && er_date_parse(as_of_text, strlen(as_of_text), &context.as_of) != 0)
		return rulevm_usage_error(command, _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
					  as_of_text);
	if (bytecode == NULL)
		return rulevm_usage_error(command, "%s", _("missing BYTECODE: name a file compiled by rulec"));

	int status = EXIT_OK;
	er_program *program = rulevm_load(bytecode, &status);

	if (program == NULL)
		return status;
	context.program = program;
	if (rule_id != NULL && (context.rule = xp_find_rule(program, rule_id)) == BC_NONE) {
		fprintf(stderr, _("rulevm: rule '%s' not found in %s; 'rulevm info' lists the rules\n"),
			rule_id, bytecode);
		er_program_free(program);
		return EXIT_USAGE;
	}
	status = rulevm_pick_read(program, file, &context);
	er_program_free(program);
	return status;
}

/* The value of --lang anywhere on the command line, or NULL. */
static const char *rulevm_find_lang(int argc, char **argv, int *bad)
{
	const char *lang = NULL;

	*bad = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else if (strcmp(argv[i], "--lang") == 0) {
			if (i + 1 >= argc) {
				*bad = 1;
				return NULL;
			}
			lang = argv[++i];
		}
	}
	return lang;
}

int main(int argc, char **argv)
{
	int bad_lang;
	const char *lang = rulevm_find_lang(argc, argv, &bad_lang);

	if (er_i18n_init(lang) != 0) {
		er_i18n_init(NULL);
		return rulevm_usage_error(NULL, _("unknown language '%s': use zh or en"), lang);
	}
	if (bad_lang)
		return rulevm_usage_error(NULL, _("option '%s' needs a value"), "--lang");

	/* --lang may come before the command too. */
	int command = 1;

	while (command < argc && strncmp(argv[command], "--lang", 6) == 0)
		command += strcmp(argv[command], "--lang") == 0 ? 2 : 1;
	if (command >= argc)
		return rulevm_usage_error(NULL, "%s", _("missing command: use eval, explain, ask, info or test"));
	if (strcmp(argv[command], "--help") == 0 || strcmp(argv[command], "-h") == 0) {
		rulevm_usage_main();
		return EXIT_OK;
	}
	if (strcmp(argv[command], "--version") == 0) {
		printf("rulevm %s (bytecode %d.%d)\n", RULEVM_VERSION, BC_VERSION_MAJOR,
		       BC_VERSION_MINOR);
		return EXIT_OK;
	}
	if (strcmp(argv[command], "eval") == 0)
		return rulevm_eval(argc - command, argv + command);
	if (strcmp(argv[command], "info") == 0)
		return rulevm_info(argc - command, argv + command);
	if (strcmp(argv[command], "explain") == 0 || strcmp(argv[command], "ask") == 0)
		return rulevm_pick(argc - command, argv + command);
	if (strcmp(argv[command], "test") == 0)
		return rulevm_test(argc - command, argv + command);
	return rulevm_usage_error(NULL, _("unknown command '%s': use eval, explain, ask, info or test"),
				  argv[command]);
}
