/* Formatter tests. Every tests/golden/fmt/NAME.rule formats to
 * NAME.expected, and formatting is idempotent. For those inputs and for
 * every file of rules/jincheng, the formatted text parses to the same
 * AST as the original, compared through a printed form without spans.
 * UPDATE_GOLDEN=1 writes the .expected files instead of comparing. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fmt.h"
#include "i18n.h"
#include "parse.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/fmt"

/* ---- A printed form of the AST, without spans ---- */

static void dump_expr(FILE *out, const ast_expr *e)
{
	if (!e) {
		fputs("-", out);
		return;
	}
	fprintf(out, "(%d op%d [%s] [%s] %d %d", (int)e->kind, e->kind == EXPR_BINARY ? (int)e->op : -1,
		e->text ? e->text : "", e->unit ? e->unit : "", (int)e->date, e->boolean);
	if (e->lhs) {
		fputc(' ', out);
		dump_expr(out, e->lhs);
	}
	if (e->rhs) {
		fputc(' ', out);
		dump_expr(out, e->rhs);
	}
	for (const ast_list *l = e->items; l; l = l->next) {
		fputc(' ', out);
		dump_expr(out, l->item);
	}
	fputc(')', out);
}

static void dump_idents(FILE *out, const ast_list *l)
{
	for (; l; l = l->next)
		fprintf(out, " <%s>", ((const ast_ident *)l->item)->text);
	fputc('\n', out);
}

static void dump_type(FILE *out, const ast_type *t)
{
	fprintf(out, "type %d [%s] [%s]\n", (int)t->kind, t->unit ? t->unit : "", t->enum_name ? t->enum_name : "");
}

static void dump_fields(FILE *out, const ast_list *l)
{
	for (; l; l = l->next) {
		const ast_field *f = l->item;
		fprintf(out, "field %s ", f->name);
		dump_expr(out, f->value);
		fputc('\n', out);
	}
}

static void dump_rule(FILE *out, const ast_rule *r)
{
	fprintf(out, "rule %s title [%s] dim %d:%d verdict %d:%d [%s]\n", r->id, r->title ? r->title : "",
		r->has_dimension, (int)r->dimension, r->has_verdict, (int)r->verdict, r->message ? r->message : "");
	for (const ast_list *l = r->scopes; l; l = l->next) {
		const ast_scope *s = l->item;
		fprintf(out, "scope %d", (int)s->kind);
		dump_idents(out, s->names);
	}
	fputs("when ", out);
	dump_expr(out, r->when);
	for (const ast_list *l = r->unless; l; l = l->next) {
		fputs("\nunless ", out);
		dump_expr(out, l->item);
	}
	for (const ast_list *l = r->lets; l; l = l->next) {
		const ast_let *let = l->item;
		fprintf(out, "\nlet %s ", let->name);
		dump_expr(out, let->value);
	}
	for (const ast_list *l = r->message_parts; l; l = l->next) {
		const ast_message_part *p = l->item;
		fprintf(out, "\npart [%s] ", p->text ? p->text : "");
		dump_expr(out, p->expr);
	}
	fputs("\nensure ", out);
	dump_expr(out, r->ensure);
	fprintf(out, "\ndates %d:%d %d:%d\nbasis", r->has_from, (int)r->from, r->has_until, (int)r->until);
	dump_idents(out, r->basis);
	fputs("overrides", out);
	dump_idents(out, r->overrides);
}

static void dump_decl(FILE *out, const ast_decl *d)
{
	fprintf(out, "decl %d\n", (int)d->kind);
	switch (d->kind) {
	case DECL_IMPORT:
		fprintf(out, "import %s\n", d->as.import_path);
		break;
	case DECL_ENUM:
		fprintf(out, "enum %s", d->as.enumeration->name);
		dump_idents(out, d->as.enumeration->values);
		break;
	case DECL_FACT:
		fprintf(out, "fact %s [%s]\n", d->as.fact->path, d->as.fact->label ? d->as.fact->label : "");
		dump_type(out, &d->as.fact->type);
		break;
	case DECL_ATTRIBUTE:
		fprintf(out, "attribute %d %s [%s]\n", (int)d->as.attribute->owner, d->as.attribute->name,
			d->as.attribute->label ? d->as.attribute->label : "");
		dump_type(out, &d->as.attribute->type);
		break;
	case DECL_INDUSTRY:
		fprintf(out, "industry %s", d->as.industry->name);
		dump_idents(out, d->as.industry->members);
		break;
	case DECL_COUNTY:
		fprintf(out, "county %s\n", d->as.county->name);
		dump_fields(out, d->as.county->fields);
		break;
	case DECL_UNIT:
		fprintf(out, "unit %s\n", d->as.unit->code);
		dump_fields(out, d->as.unit->fields);
		break;
	case DECL_RULE:
		dump_rule(out, d->as.rule);
		break;
	}
}

/* The printed AST of `text`, or NULL on syntax errors (malloc'ed). */
static char *ast_of(const char *text)
{
	ast_arena *arena = ast_arena_new();
	src_table *sources = src_table_new();
	diag_list diags;
	diag_list_init(&diags);
	ast_file *file = parse_string(arena, sources, "input.rule", text, &diags);
	char *dump = NULL;
	if (diag_error_count(&diags) == 0) {
		size_t size = 0;
		FILE *out = open_memstream(&dump, &size);
		ck_assert_ptr_nonnull(out);
		for (const ast_list *l = file->decls; l; l = l->next)
			dump_decl(out, l->item);
		fclose(out);
	}
	diag_list_free(&diags);
	src_table_free(sources);
	ast_arena_free(arena);
	return dump;
}

/* Format `path`, check that the result parses to the same AST and that
 * formatting it again changes nothing; returns the formatted text. */
static char *format_checked(const char *path)
{
	char *text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	char *once = fmt_text(path, text, stderr);
	ck_assert_msg(once != NULL, "%s: fmt failed", path);
	char *twice = fmt_text(path, once, stderr);
	ck_assert_msg(twice != NULL, "%s: formatted text does not parse", path);
	ck_assert_msg(strcmp(once, twice) == 0, "%s: fmt is not idempotent\n--- once\n%s--- twice\n%s", path, once,
		      twice);

	char *before = ast_of(text), *after = ast_of(once);
	ck_assert_ptr_nonnull(before);
	ck_assert_ptr_nonnull(after);
	ck_assert_msg(strcmp(before, after) == 0, "%s: formatting changed the AST", path);
	free(before);
	free(after);
	free(twice);
	free(text);
	return once;
}

START_TEST(golden_layout)
{
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_msg(dir != NULL, "cannot open %s; run the tests from the repository root", GOLDEN_DIR);
	int update = getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0;
	size_t inputs = 0;
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (!test_ends_with(ent->d_name, ".rule"))
			continue;
		inputs++;
		char path[512], expected_path[512];
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, ent->d_name);
		snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(path) - 5), path);
		char *actual = format_checked(path);
		if (update) {
			FILE *f = fopen(expected_path, "wb");
			ck_assert_ptr_nonnull(f);
			fputs(actual, f);
			fclose(f);
			free(actual);
			continue;
		}
		char *expected = test_read_file(expected_path, NULL);
		ck_assert_msg(expected != NULL, "missing %s", expected_path);
		ck_assert_msg(strcmp(actual, expected) == 0, "%s: layout differs\n--- expected\n%s--- actual\n%s", path,
			      expected, actual);
		free(expected);
		free(actual);
	}
	closedir(dir);
	ck_assert_uint_ge(inputs, 2);
}
END_TEST

static void check_folder(const char *folder, size_t *count)
{
	DIR *dir = opendir(folder);
	ck_assert_msg(dir != NULL, "cannot open %s", folder);
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (!test_ends_with(ent->d_name, ".rule"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", folder, ent->d_name);
		free(format_checked(path));
		(*count)++;
	}
	closedir(dir);
}

START_TEST(jincheng_keeps_ast)
{
	size_t count = 0;
	check_folder("rules/jincheng", &count);
	check_folder("rules/jincheng/units", &count);
	ck_assert_uint_ge(count, 20);
}
END_TEST

START_TEST(comments_kept)
{
	char *out = fmt_text("t.rule",
			     "# head\nfact x : number   # trailing\n\n\n# before\nfact y : number\n# tail\n", NULL);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "# head\nfact x : number  # trailing\n\n# before\nfact y : number\n# tail\n");
	free(out);
}
END_TEST

START_TEST(syntax_error_gives_null)
{
	ck_assert_ptr_null(fmt_text("t.rule", "rule r.1 { title }\n", NULL));
}
END_TEST

static const char *rulec(void)
{
	return test_rulec();
}

static int run_rulec(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s --lang en %s >/dev/null 2>&1", rulec(), args);
	int status = system(cmd);
	ck_assert_msg(WIFEXITED(status), "rulec did not exit normally: %s", cmd);
	return WEXITSTATUS(status);
}

START_TEST(command_check_and_write)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/test_fmt.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("fact   x:number\n", f);
	fclose(f);

	char args[256];
	snprintf(args, sizeof args, "fmt --check %s", path);
	ck_assert_int_eq(run_rulec(args), 1);
	snprintf(args, sizeof args, "fmt --write %s", path);
	ck_assert_int_eq(run_rulec(args), 0);
	char *text = test_read_file(path, NULL);
	ck_assert_str_eq(text, "fact x : number\n");
	free(text);
	snprintf(args, sizeof args, "fmt --check %s", path);
	ck_assert_int_eq(run_rulec(args), 0);
	snprintf(args, sizeof args, "fmt --check --write %s", path);
	ck_assert_int_eq(run_rulec(args), 2);
	ck_assert_int_eq(run_rulec("fmt /nonexistent/x.rule"), 4);
	unlink(path);
}
END_TEST

/* A temporary folder holding one unformatted rule file x.rule. */
static void make_unformatted(char *dir, size_t size, char *file, size_t file_size)
{
	snprintf(dir, size, "/tmp/test_fmt_write.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, file_size, "%s/x.rule", dir);
	FILE *f = fopen(file, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("fact   x:number\n", f);
	fclose(f);
}

/* The number of entries in `dir` besides . and .. */
static int folder_entries(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *ent;
	while ((ent = readdir(d)) != NULL)
		n += strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void remove_folder(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' && rm -rf '%s'", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(write_keeps_mode_and_link)
{
	char dir[64], file[128], link[128], args[256];
	make_unformatted(dir, sizeof dir, file, sizeof file);
	ck_assert_int_eq(chmod(file, 0640), 0);
	snprintf(link, sizeof link, "%s/link.rule", dir);
	ck_assert_int_eq(symlink("x.rule", link), 0);

	snprintf(args, sizeof args, "fmt -w %s", link);
	ck_assert_int_eq(run_rulec(args), 0);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert_msg(S_ISLNK(st.st_mode), "fmt -w replaced the symbolic link by a file");
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	char *text = test_read_file(file, NULL);
	ck_assert_str_eq(text, "fact x : number\n");
	free(text);
	ck_assert_int_eq(folder_entries(dir), 2);
	remove_folder(dir);
}
END_TEST

/* A write that fails half-way (the file size limit is 0 bytes, so
 * write() fails with EFBIG) leaves the file as it was and no temporary
 * file behind. This works for root too, unlike a read-only folder. */
START_TEST(write_failure_keeps_original)
{
	char dir[64], file[128], cmd[512];
	make_unformatted(dir, sizeof dir, file, sizeof file);
	/* Only rulec runs under the limit; its messages reach a pipe, which
	 * the limit does not cover. */
	snprintf(cmd, sizeof cmd, "(trap '' XFSZ; ulimit -f 0; exec %s --lang en fmt -w %s) 2>&1; echo \"exit=$?\"",
		 rulec(), file);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char out[1024];
	size_t len = fread(out, 1, sizeof out - 1, p);
	out[len] = '\0';
	pclose(p);
	ck_assert_msg(strstr(out, "exit=4") != NULL, "output: %s", out);
	ck_assert_msg(strstr(out, "writing a temporary file in its folder failed") && strstr(out, "the file is unchanged"),
		      "output: %s", out);
	char *text = test_read_file(file, NULL);
	ck_assert_str_eq(text, "fact   x:number\n");
	free(text);
	ck_assert_int_eq(folder_entries(dir), 1);
	remove_folder(dir);
}
END_TEST

/* In a folder the user may not write to, fmt -w fails with a message
 * and the file stays as it was. Root may write anywhere, so as root the
 * test checks only that formatting succeeds. */
START_TEST(write_readonly_folder)
{
	char dir[64], file[128], args[256];
	make_unformatted(dir, sizeof dir, file, sizeof file);
	ck_assert_int_eq(chmod(dir, 0555), 0);
	snprintf(args, sizeof args, "fmt -w %s", file);
	int status = run_rulec(args);
	char *text = test_read_file(file, NULL);
	if (geteuid() == 0) {
		ck_assert_int_eq(status, 0);
		ck_assert_str_eq(text, "fact x : number\n");
	} else {
		ck_assert_int_eq(status, 4);
		ck_assert_str_eq(text, "fact   x:number\n");
		ck_assert_int_eq(folder_entries(dir), 1);
	}
	free(text);
	remove_folder(dir);
}
END_TEST

/* The rule sets in the repository stay in the canonical layout, so a
 * reviewer's diff shows only what changed in meaning. */
START_TEST(rule_sets_formatted)
{
	ck_assert_int_eq(run_rulec("fmt --check rules/jincheng/*.rule rules/jincheng/units/*.rule "
				   "rules/bench/*.rule"), 0);
	ck_assert_int_eq(run_rulec("lint --werror --scenarios rules/jincheng/scenarios rules/jincheng/main.rule"), 0);
}
END_TEST

/* The indented block after `heading` in the Markdown file `path`, with
 * its four-space indentation removed (malloc'ed). */
static char *quoted_block(const char *path, const char *heading)
{
	char *text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	const char *at = strstr(text, heading);
	ck_assert_msg(at != NULL, "%s has no heading %s", path, heading);
	at = strchr(at, '\n') + 1;
	while (*at == '\n')
		at++;
	char *block = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&block, &size);
	size_t blank_lines = 0;
	while (*at == '\n' || strncmp(at, "    ", 4) == 0) {
		const char *end = strchr(at, '\n');
		if (!end)
			break;
		if (*at == '\n') {
			blank_lines++;
		} else {
			for (; blank_lines > 0; blank_lines--)
				fputc('\n', out);
			fwrite(at + 4, 1, (size_t)(end - at - 4) + 1, out);
		}
		at = end + 1;
	}
	fclose(out);
	free(text);
	return block;
}

/* The READMEs' first rule is examples/demo.rule verbatim, and that file
 * is in the canonical layout and compiles. */
START_TEST(readme_example_formatted)
{
	char *demo = test_read_file("examples/demo.rule", NULL);
	ck_assert_ptr_nonnull(demo);
	char *en = quoted_block("README.md", "## A first rule");
	char *zh = quoted_block("README.zh-CN.md", "## 第一条规则");
	ck_assert_str_eq(en, demo);
	ck_assert_str_eq(zh, demo);
	ck_assert_int_eq(run_rulec("fmt --check examples/demo.rule"), 0);
	ck_assert_int_eq(run_rulec("check examples/demo.rule"), 0);
	free(demo);
	free(en);
	free(zh);
}
END_TEST

static Suite *fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("fmt");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, golden_layout);
	tcase_add_test(tc, jincheng_keeps_ast);
	tcase_add_test(tc, comments_kept);
	tcase_add_test(tc, syntax_error_gives_null);
	tcase_add_test(tc, command_check_and_write);
	tcase_add_test(tc, write_keeps_mode_and_link);
	tcase_add_test(tc, write_failure_keeps_original);
	tcase_add_test(tc, write_readonly_folder);
	tcase_add_test(tc, rule_sets_formatted);
	tcase_add_test(tc, readme_example_formatted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *sr = srunner_create(fmt_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
