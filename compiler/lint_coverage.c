/* Scenario coverage for the linter: compile the rule set in memory, run
 * scenario files against it, and warn about rules none of them makes
 * apply. */
#include "lint.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ecorule.h"
#include "emit.h"
#include "i18n.h"
#include "scenario.h"

typedef MODEL_VEC(char *) path_vec;

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_json_suffix(const char *name)
{
	size_t len = strlen(name);
	return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

/* Append `path`, or the *.json files of the folder `path` in name order.
 * Returns 0 or a LINT_SCENARIOS_* status. */
static int add_path(path_vec *files, const char *path, FILE *err)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(err, _("rulec: cannot read %s: %s\n"), path, strerror(errno));
		return LINT_SCENARIOS_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		*MODEL_PUSH(*files) = model_xstrdup(path);
		return 0;
	}
	DIR *dir = opendir(path);
	if (!dir) {
		fprintf(err, _("rulec: cannot read %s: %s\n"), path, strerror(errno));
		return LINT_SCENARIOS_IO;
	}
	size_t first = files->count;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.' || !has_json_suffix(entry->d_name))
			continue;
		size_t size = strlen(path) + strlen(entry->d_name) + 2;
		char *full = model_xmalloc(size);
		snprintf(full, size, "%s/%s", path, entry->d_name);
		*MODEL_PUSH(*files) = full;
	}
	closedir(dir);
	if (files->count == first) {
		fprintf(err, _("rulec: the folder %s holds no *.json scenario file\n"), path);
		return LINT_SCENARIOS_INVALID;
	}
	qsort(files->items + first, files->count - first, sizeof *files->items, compare_paths);
	return 0;
}

/* scn_options.on_fail: an error E0501 for the failing scenario, with a
 * note for each difference. Scenario files are not sources, so the
 * diagnostic has no location; its message names the file. */
static void report_failure(void *context, const char *file, const char *name, const char *differences)
{
	diag_list *list = context;
	src_span nowhere;
	memset(&nowhere, 0, sizeof nowhere);
	diag_error(list, DIAG_E0501, nowhere, _("scenario '%s' in %s fails"), name, file);
	for (const char *line = differences; *line;) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);
		diag_note(list, nowhere, "%.*s", len, line);
		line += len + (end != NULL);
	}
}

long lint_coverage(driver *dr, char *const *paths, size_t path_count, int32_t as_of, FILE *err)
{
	long warnings = LINT_SCENARIOS_IO;
	path_vec files;
	memset(&files, 0, sizeof files);
	uint8_t *bytes = NULL;
	size_t size = 0;
	er_program *program = NULL;
	scn_summary summary;
	memset(&summary, 0, sizeof summary);
	char *log = NULL;
	size_t log_size = 0;
	FILE *log_stream = NULL;

	for (size_t i = 0; i < path_count; i++) {
		int st = add_path(&files, paths[i], err);
		if (st < 0) {
			warnings = st;
			goto done;
		}
	}

	emit_bytes(&dr->m, &bytes, &size);
	er_error load_error;
	program = er_program_load(bytes, size, &load_error);
	if (!program) {
		fprintf(err, "%s%s\n", _("rulec: "), load_error.message);
		goto done;
	}

	/* Failing scenarios become errors through report_failure; files
	 * that cannot be read or parsed stop the linter. */
	log_stream = open_memstream(&log, &log_size);
	if (!log_stream) {
		fprintf(err, "%s%s\n", _("rulec: "), _("out of memory"));
		goto done;
	}
	scn_options options;
	memset(&options, 0, sizeof options);
	options.default_as_of = as_of;
	options.program = "rulec";
	options.on_fail = report_failure;
	options.context = &dr->diags;
	er_status st = scn_run_files(program, files.items, files.count, &options, log_stream, &summary);
	fclose(log_stream);
	log_stream = NULL;
	if (st != ER_OK) {
		fprintf(err, "%s%s\n", _("rulec: "), _("out of memory"));
		goto done;
	}
	if (summary.io_errors > 0 || summary.file_errors > 0) {
		warnings = summary.io_errors > 0 ? LINT_SCENARIOS_IO : LINT_SCENARIOS_INVALID;
		goto done;
	}

	warnings = 0;
	for (size_t i = 0; i < summary.rules_total && i < dr->m.rules.count; i++) {
		if (summary.covered[i])
			continue;
		const model_rule *r = &dr->m.rules.items[i];
		/* The writer keeps the model's rule order; check it anyway. */
		if (strcmp(er_program_rule(program, i)->id, r->id) != 0)
			continue;
		diag_warning(&dr->diags, DIAG_W0010, r->ast->id_span, "no scenario makes rule '%s' apply", r->id);
		warnings++;
	}

done:
	if (log_stream)
		fclose(log_stream);
	free(log);
	scn_summary_free(&summary);
	er_program_free(program);
	free(bytes);
	for (size_t i = 0; i < files.count; i++)
		free(files.items[i]);
	free(files.items);
	return warnings;
}
