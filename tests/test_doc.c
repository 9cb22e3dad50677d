/* rulec doc tests. tests/golden/doc/NAME.rule renders to NAME.LANG.md and
 * NAME.LANG.html for LANG zh and en, and compiled to bytecode it renders
 * to NAME.erb.LANG.md. The shipped rendering of rules/jincheng in docs/
 * equals what rulec doc prints now. The bytecode rendering of the
 * Jincheng set agrees with the source rendering on every rule's verdict,
 * dates, basis and scope. HTML escapes the rules' text, and bad input
 * gets the documented exit status.
 * UPDATE_GOLDEN=1 writes the golden files instead of comparing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bcasm.h"
#include "doc_internal.h"
#include "driver.h"
#include "i18n.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/doc"

/* Run rulec with `args` and return its standard output; *status gets the
 * exit status. Standard error goes to /dev/null. */
static char *run_rulec(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", test_rulec(), args);
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(mem);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(mem);
	int rc = pclose(p);
	ck_assert_msg(WIFEXITED(rc), "rulec did not exit normally: %s", cmd);
	*status = WEXITSTATUS(rc);
	return text;
}

/* A folder for the bytecode files of one test, removed by teardown. */
static char work_dir[] = "/tmp/ecorule-test-doc-XXXXXX"; /* no Markdown markup */

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(work_dir));
}

static void teardown(void)
{
	char command[256];
	snprintf(command, sizeof command, "rm -rf '%s'", work_dir);
	ck_assert_int_eq(system(command), 0);
}

/* Compile `rules` into work_dir/NAME and return that path (static storage). */
static const char *compile_into_work_dir(const char *rules, const char *name)
{
	static char path[512];
	char command[1024];
	snprintf(path, sizeof path, "%s/%s", work_dir, name);
	snprintf(command, sizeof command, "%s compile %s -o %s", test_rulec(), rules, path);
	ck_assert_msg(system(command) == 0, "cannot compile %s", rules);
	return path;
}

/* Remove every "work_dir/" from `text`, so the paths of bytecode files
 * read the same in every run. */
static void strip_work_dir(char *text)
{
	char prefix[sizeof work_dir + 1];
	snprintf(prefix, sizeof prefix, "%s/", work_dir);
	size_t n = strlen(prefix);
	char *at;
	while ((at = strstr(text, prefix)) != NULL)
		memmove(at, at + n, strlen(at + n) + 1);
}

static void write_bytes(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, size, f), size);
	ck_assert_int_eq(fclose(f), 0);
}

static int update_golden(void)
{
	const char *v = getenv("UPDATE_GOLDEN");
	return v && strcmp(v, "1") == 0;
}

/* Compare (or with UPDATE_GOLDEN=1 write) `expected_path` with `actual`. */
static void compare_file(const char *expected_path, const char *actual, int update)
{
	if (update) {
		FILE *f = fopen(expected_path, "wb");
		ck_assert_msg(f != NULL, "cannot write %s", expected_path);
		fputs(actual, f);
		fclose(f);
		return;
	}
	char *expected = test_read_file(expected_path, NULL);
	ck_assert_msg(expected != NULL, "missing %s", expected_path);
	ck_assert_msg(strcmp(actual, expected) == 0,
		      "%s differs from rulec doc's output; run make doc-rules or UPDATE_GOLDEN=1 if the change is "
		      "intended\n--- actual\n%.2000s", expected_path, actual);
	free(expected);
}

static const char *const langs[] = { "zh", "en" };
static const char *const formats[] = { "md", "html" };

START_TEST(golden_small_set)
{
	for (size_t l = 0; l < 2; l++) {
		for (size_t f = 0; f < 2; f++) {
			char args[256], expected[256];
			snprintf(args, sizeof args, "--lang %s doc --format %s %s/small.rule", langs[l], formats[f],
				 GOLDEN_DIR);
			snprintf(expected, sizeof expected, "%s/small.%s.%s", GOLDEN_DIR, langs[l], formats[f]);
			int status;
			char *out = run_rulec(args, &status);
			ck_assert_msg(status == 0, "rulec %s exited with %d", args, status);
			compare_file(expected, out, update_golden());
			free(out);
		}
	}
}
END_TEST

/* The rendering of rules/jincheng shipped in docs/ cannot go stale:
 * make doc-rules writes these files with the same commands. */
START_TEST(shipped_jincheng_current)
{
	static const struct {
		const char *lang, *format, *path;
	} shipped[] = {
		{ "zh", "md", "docs/jincheng-rules.zh-CN.md" },
		{ "en", "md", "docs/jincheng-rules.md" },
		{ "zh", "html", "docs/jincheng-rules.zh-CN.html" },
		{ "en", "html", "docs/jincheng-rules.html" },
	};
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		char args[256];
		snprintf(args, sizeof args, "--lang %s doc --format %s rules/jincheng/main.rule", shipped[i].lang,
			 shipped[i].format);
		int status;
		char *out = run_rulec(args, &status);
		ck_assert_int_eq(status, 0);
		compare_file(shipped[i].path, out, 0);
		free(out);
	}
}
END_TEST

START_TEST(html_escapes_rule_text)
{
	int status;
	char *out = run_rulec("--lang zh doc --format html " GOLDEN_DIR "/small.rule", &status);
	ck_assert_int_eq(status, 0);
	/* The title "中水回用率 <85% & \"达标\"的标注" and the message. */
	ck_assert_ptr_nonnull(strstr(out, "中水回用率 &lt;85% &amp; &quot;达标&quot;的标注"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;b&gt;&amp; &quot;严格&quot; &#39;x&#39;&lt;/b&gt;"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 《规划环评》"));
	ck_assert_ptr_null(strstr(out, "<b>"));
	ck_assert_ptr_null(strstr(out, "<script"));
	/* Self-contained: no external resources. */
	ck_assert_ptr_null(strstr(out, "http:"));
	ck_assert_ptr_null(strstr(out, "https:"));
	ck_assert_ptr_null(strstr(out, " src="));
	ck_assert_ptr_null(strstr(out, "<link"));
	free(out);
}
END_TEST

START_TEST(markdown_escapes_markup)
{
	int status;
	char *out = run_rulec("--lang en doc " GOLDEN_DIR "/small.rule", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "\\<script>alert(1)\\</script> & 《规划环评》"));
	ck_assert_ptr_null(strstr(out, " <b>"));
	free(out);
}
END_TEST

START_TEST(output_is_deterministic)
{
	int status;
	char *first = run_rulec("--lang zh doc --format html rules/jincheng/main.rule", &status);
	ck_assert_int_eq(status, 0);
	char *second = run_rulec("--lang zh doc --format html rules/jincheng/main.rule", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(first, second);
	free(first);
	free(second);
}
END_TEST

START_TEST(golden_small_bytecode)
{
	const char *erb = compile_into_work_dir(GOLDEN_DIR "/small.rule", "small.erb");
	for (size_t l = 0; l < 2; l++) {
		char args[768], expected[256];
		snprintf(args, sizeof args, "--lang %s doc %s", langs[l], erb);
		snprintf(expected, sizeof expected, "%s/small.erb.%s.md", GOLDEN_DIR, langs[l]);
		int status;
		char *out = run_rulec(args, &status);
		ck_assert_msg(status == 0, "rulec %s exited with %d", args, status);
		strip_work_dir(out);
		compare_file(expected, out, update_golden());
		free(out);
	}
}
END_TEST

START_TEST(bytecode_html_escapes)
{
	const char *erb = compile_into_work_dir(GOLDEN_DIR "/small.rule", "small.erb");
	char args[768];
	snprintf(args, sizeof args, "--lang zh doc --format html %s", erb);
	int status;
	char *out = run_rulec(args, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 《规划环评》"));
	ck_assert_ptr_null(strstr(out, "<script"));
	ck_assert_ptr_null(strstr(out, "<b>"));
	free(out);
}
END_TEST

static void assert_strs_equal(const char *id, const char *what, const doc_strs *a, const doc_strs *b)
{
	ck_assert_msg(a->count == b->count, "rule %s: %zu %s in source, %zu in bytecode", id, a->count, what,
		      b->count);
	for (size_t i = 0; i < a->count; i++)
		ck_assert_msg(strcmp(a->items[i], b->items[i]) == 0, "rule %s: %s '%s' in source, '%s' in bytecode",
			      id, what, a->items[i], b->items[i]);
}

static void assert_indices_equal(const char *id, const char *what, const uint32_t *a, size_t na,
				 const uint32_t *b, size_t nb)
{
	ck_assert_msg(na == nb, "rule %s: %zu %s in source, %zu in bytecode", id, na, what, nb);
	for (size_t i = 0; i < na; i++)
		ck_assert_msg(a[i] == b[i], "rule %s: %s %zu differs", id, what, i);
}

/* The source and bytecode front ends agree, rule by rule, on everything
 * the bytecode keeps as data: ids, titles, verdicts, texts, dimensions,
 * dates, basis, overrides, scope and source positions. */
START_TEST(jincheng_bytecode_matches_source)
{
	ck_assert_int_eq(er_i18n_init("zh"), 0);
	driver dr;
	driver_init(&dr);
	ck_assert_int_ge(driver_load_file(&dr, "rules/jincheng/main.rule"), 0);
	ck_assert_uint_eq(driver_build(&dr), 0);
	doc_set source;
	doc_set_from_model(&source, &dr.m, "rules/jincheng/main.rule");

	er_error err;
	er_program *program = er_program_load_file(test_ruleset(), &err);
	ck_assert_msg(program != NULL, "%s: %s", test_ruleset(), err.message);
	doc_set compiled;
	doc_set_from_program(&compiled, program, test_ruleset());

	ck_assert_uint_eq(source.rule_count, compiled.rule_count);
	ck_assert_uint_gt(source.rule_count, 100);
	for (size_t i = 0; i < source.rule_count; i++) {
		const doc_rule *a = &source.rules[i], *b = &compiled.rules[i];
		ck_assert_str_eq(a->id, b->id);
		ck_assert_msg(strcmp(a->title, b->title) == 0, "rule %s: title differs", a->id);
		ck_assert_msg(a->verdict == b->verdict, "rule %s: verdict differs", a->id);
		ck_assert_msg(a->dimension == b->dimension, "rule %s: dimension differs", a->id);
		ck_assert_msg(a->has_from == b->has_from && (!a->has_from || a->from == b->from),
			      "rule %s: start date differs", a->id);
		ck_assert_msg(a->has_until == b->has_until && (!a->has_until || a->until == b->until),
			      "rule %s: end date differs", a->id);
		assert_strs_equal(a->id, "basis", &a->basis, &b->basis);
		assert_strs_equal(a->id, "overrides", &a->overrides, &b->overrides);
		ck_assert_msg(a->has_scope == b->has_scope && a->class_mask == b->class_mask,
			      "rule %s: scope differs", a->id);
		assert_indices_equal(a->id, "scope units", a->units, a->unit_count, b->units, b->unit_count);
		assert_indices_equal(a->id, "scope counties", a->counties, a->county_count, b->counties,
				     b->county_count);
		ck_assert_msg(strcmp(a->source, b->source) == 0, "rule %s: source %s, bytecode %s", a->id, a->source,
			      b->source);
		ck_assert_msg((a->when == NULL) == (b->when == NULL), "rule %s: condition present in one only",
			      a->id);
		ck_assert_msg((a->ensure == NULL) == (b->ensure == NULL), "rule %s: ensure present in one only",
			      a->id);
		ck_assert_msg(strstr(b->requirement, "rulec dis") == NULL, "rule %s: message not decompiled", a->id);
		/* A message without values reads the same; values differ where
		 * they name a let. */
		if (strchr(a->requirement, '{') == NULL)
			ck_assert_msg(strcmp(a->requirement, b->requirement) == 0, "rule %s: text differs", a->id);
	}
	ck_assert_uint_eq(source.unit_count, compiled.unit_count);
	for (size_t u = 0; u < source.unit_count; u++) {
		ck_assert_str_eq(source.units[u].code, compiled.units[u].code);
		ck_assert_int_eq(source.units[u].unit_class, compiled.units[u].unit_class);
		ck_assert_uint_eq(source.units[u].county, compiled.units[u].county);
	}
	ck_assert_uint_eq(source.county_count, compiled.county_count);
	for (size_t c = 0; c < source.county_count; c++)
		ck_assert_str_eq(source.counties[c].name, compiled.counties[c].name);

	doc_set_free(&source);
	doc_set_free(&compiled);
	er_program_free(program);
	driver_free(&dr);
}
END_TEST

/* "# ID " as a Markdown heading writes it, with markup characters
 * escaped, into `out`. */
static void markdown_heading(char *out, size_t size, const char *id)
{
	size_t n = 0;
	out[n++] = '#';
	out[n++] = ' ';
	for (const char *p = id; *p && n + 3 < size; p++) {
		if (strchr("\\`*_[]<", *p))
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n++] = ' ';
	out[n] = '\0';
}

/* One field of a rule in a Markdown rendering: the text after
 * "- **LABEL**: " up to the line's end, or "" when the rule has none. */
static char *rule_field(const char *rule_block, const char *label)
{
	char key[64];
	snprintf(key, sizeof key, "- **%s**: ", label);
	const char *end = strstr(rule_block + 1, "\n#");
	const char *at = strstr(rule_block, key);
	if (!at || (end && at > end))
		return strdup("");
	at += strlen(key);
	return strndup(at, strcspn(at, "\n"));
}

/* The whole Jincheng set from bytecode renders in both languages and
 * formats, names every rule, and its Markdown shows for each rule the
 * verdict, dates and basis of the source rendering. */
START_TEST(jincheng_bytecode_renders)
{
	er_error err;
	er_program *program = er_program_load_file(test_ruleset(), &err);
	ck_assert_msg(program != NULL, "%s: %s", test_ruleset(), err.message);
	for (size_t l = 0; l < 2; l++) {
		for (size_t f = 0; f < 2; f++) {
			char args[512];
			snprintf(args, sizeof args, "--lang %s doc --format %s %s", langs[l], formats[f],
				 test_ruleset());
			int status;
			char *out = run_rulec(args, &status);
			ck_assert_msg(status == 0, "rulec %s exited with %d", args, status);
			for (size_t i = 0; i < er_program_rule_count(program); i++) {
				char anchor[256];
				const char *id = er_program_rule(program, i)->id;
				if (f == 1)
					snprintf(anchor, sizeof anchor, "id=\"rule-%s\"", id);
				else
					markdown_heading(anchor, sizeof anchor, id);
				ck_assert_msg(strstr(out, anchor) != NULL, "rulec %s: rule %s missing", args, id);
			}
			free(out);
		}
	}

	int status;
	char args[512];
	snprintf(args, sizeof args, "--lang en doc %s", test_ruleset());
	char *compiled = run_rulec(args, &status);
	ck_assert_int_eq(status, 0);
	char *source = run_rulec("--lang en doc rules/jincheng/main.rule", &status);
	ck_assert_int_eq(status, 0);
	static const char *const labels[] = { "Verdict", "In force", "Basis", "Scope", "Takes precedence over" };
	for (size_t i = 0; i < er_program_rule_count(program); i++) {
		char heading[256];
		const char *id = er_program_rule(program, i)->id;
		markdown_heading(heading, sizeof heading, id);
		const char *a = strstr(source, heading), *b = strstr(compiled, heading);
		ck_assert_msg(a && b, "rule %s missing", id);
		for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
			char *want = rule_field(a, labels[k]), *got = rule_field(b, labels[k]);
			ck_assert_msg(strcmp(want, got) == 0, "rule %s: %s is '%s' from source, '%s' from bytecode", id,
				      labels[k], want, got);
			free(want);
			free(got);
		}
	}
	free(compiled);
	free(source);
	er_program_free(program);
}
END_TEST

/* Run rulec with `args` and return its standard error; *status gets the
 * exit status. */
static char *run_rulec_stderr(const char *args, int *status)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s 2>&1 >/dev/null", test_rulec(), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(mem);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(mem);
	int rc = pclose(p);
	ck_assert_msg(WIFEXITED(rc), "rulec did not exit normally: %s", cmd);
	*status = WEXITSTATUS(rc);
	return text;
}

/* A damaged file gets the loader's message and status 3. */
START_TEST(damaged_bytecode_exit_status)
{
	const char *erb = compile_into_work_dir(GOLDEN_DIR "/small.rule", "small.erb");
	size_t size;
	char *data = test_read_file(erb, &size);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_gt(size, 64);

	/* A byte inverted in the middle (the checksum fails), in the magic,
	 * and a file cut short. */
	static const struct {
		const char *name;
		size_t keep;    /* bytes kept, 0: all */
		int flip_magic; /* invert the first byte instead of a middle one */
	} cases[] = {
		{ "flipped.erb", 0, 0 },
		{ "magic.erb", 0, 1 },
		{ "truncated.erb", 40, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512], args[768];
		size_t n = cases[i].keep ? cases[i].keep : size;
		char *copy = malloc(size);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, data, size);
		if (!cases[i].keep)
			copy[cases[i].flip_magic ? 0 : size / 2] ^= 0xFF;
		snprintf(path, sizeof path, "%s/%s", work_dir, cases[i].name);
		write_bytes(path, copy, n);

		er_error err;
		er_program *program = er_program_load((const uint8_t *)copy, n, &err);
		ck_assert_msg(program == NULL, "%s: the loader accepted a damaged file", cases[i].name);
		snprintf(args, sizeof args, "doc %s", path);
		int status;
		char *message = run_rulec_stderr(args, &status);
		ck_assert_msg(status == 3, "%s: exit status %d", cases[i].name, status);
		ck_assert_msg(strstr(message, err.message) != NULL, "%s: stderr '%s' lacks the loader's '%s'",
			      cases[i].name, message, err.message);
		free(message);
		free(copy);
	}
	free(data);

	int status;
	free(run_rulec("doc /nonexistent/x.erb", &status));
	ck_assert_int_eq(status, 4);
}
END_TEST

/* A condition too deep for the decompiler is named as such, and the
 * rest of the rule is rendered. */
START_TEST(deep_condition_note)
{
	size_t size;
	uint8_t *data = bcasm_deep_chain(2100, &size);
	char erb[512], args[768];
	snprintf(erb, sizeof erb, "%s/deep.erb", work_dir);
	write_bytes(erb, data, size);
	free(data);
	snprintf(args, sizeof args, "--lang en doc %s", erb);
	int status;
	char *text = run_rulec(args, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(text, "- **Applies when**: (compiled into code that rulec doc cannot write"));
	ck_assert_ptr_nonnull(strstr(text, "- **Basis**: test"));
	free(text);
}
END_TEST

/* A program assembled by hand: unit fields, constants of each kind,
 * arithmetic with a unit conversion, and a condition whose jumps no
 * compiled rule has, which the decompiler cannot read back. */
static uint8_t *assemble_program(size_t *size)
{
	bcasm *a = bcasm_new();
	bcasm_fact(a, "unit", "所在单元", ER_FT_UNIT, BC_NONE, NULL);
	uint32_t q = bcasm_fact(a, "q", "新增排放量", ER_FT_QUANTITY, BC_NONE, "吨/年");
	uint32_t d = bcasm_fact(a, "d", "投产日期", ER_FT_DATE, BC_NONE, NULL);
	uint32_t county = bcasm_county(a, "城区", "140502");
	bcasm_unit(a, "ZH14050220001", "开发区", county, ER_CLASS_KEY, BC_NONE);
	uint32_t key = bcasm_const(a, BC_CONST_CLASS, ER_CLASS_KEY, 0);
	uint32_t chengqu = bcasm_const(a, BC_CONST_COUNTY, county, 0);
	uint32_t name = bcasm_const(a, BC_CONST_STRING, bcasm_str(a, "开发区"), 0);
	int32_t day;
	ck_assert_int_eq(er_date_parse("2021-10-01", 10, &day), 0);
	uint32_t date = bcasm_const(a, BC_CONST_DATE, (uint32_t)day, 0);
	uint32_t five = bcasm_dec(a, 5, 0);
	uint32_t two = bcasm_dec(a, 2, 0);
	uint32_t ratio = bcasm_ratio(a, 1000, 1);

	/* class is 重点管控 and county is 城区 and name is "开发区" and
	 * -q < 5 and (d ≥ date or not known(q)) */
	uint32_t cond = bcasm_here(a);
	bcasm_op8(a, OP_UNIT, BC_UNIT_CLASS);
	bcasm_op32(a, OP_CONST, key);
	bcasm_op(a, OP_EQ);
	bcasm_op8(a, OP_UNIT, BC_UNIT_COUNTY);
	bcasm_op32(a, OP_CONST, chengqu);
	bcasm_op(a, OP_EQ);
	bcasm_op(a, OP_AND);
	bcasm_op8(a, OP_UNIT, BC_UNIT_NAME);
	bcasm_op32(a, OP_CONST, name);
	bcasm_op(a, OP_EQ);
	bcasm_op(a, OP_AND);
	bcasm_op16(a, OP_FACT, (uint16_t)q);
	bcasm_op(a, OP_NEG);
	bcasm_op32(a, OP_CONST, five);
	bcasm_op(a, OP_LT);
	bcasm_op(a, OP_AND);
	bcasm_op16(a, OP_FACT, (uint16_t)d);
	bcasm_op32(a, OP_CONST, date);
	bcasm_op(a, OP_GE);
	bcasm_op16(a, OP_KNOWN, (uint16_t)q);
	bcasm_op(a, OP_NOT);
	bcasm_op(a, OP_OR);
	bcasm_op(a, OP_AND);
	bcasm_op(a, OP_RET);

	/* (q × 1000) ÷ 2 - 5: a message value */
	uint32_t value = bcasm_here(a);
	bcasm_op16(a, OP_FACT, (uint16_t)q);
	bcasm_op32(a, OP_SCALE, ratio);
	bcasm_op32(a, OP_CONST, two);
	bcasm_op(a, OP_DIV);
	bcasm_op32(a, OP_CONST, five);
	bcasm_op(a, OP_SUB);
	bcasm_op(a, OP_RET);

	/* true, a jump over `or false` that no `and` closes */
	uint32_t odd = bcasm_here(a);
	bcasm_op(a, OP_TRUE);
	uint32_t jump = bcasm_jump(a, OP_JFALSE);
	bcasm_op(a, OP_FALSE);
	bcasm_op(a, OP_OR);
	bcasm_land(a, jump);
	bcasm_op(a, OP_RET);

	bcasm_part parts[] = { { "需削减 ", BC_NONE, NULL }, { NULL, value, "吨/年" } };
	bcasm_rule r;
	memset(&r, 0, sizeof r);
	r.id = "hand.1";
	r.title = "手写规则";
	r.message = "需削减 {x}";
	r.basis = "测试依据";
	r.dimension = ER_DIM_EMISSION;
	r.verdict = ER_VERDICT_REQUIRE;
	r.condition = cond;
	r.ensure = BC_NONE;
	r.parts = parts;
	r.part_count = 2;
	bcasm_rule_add(a, &r);
	r.id = "hand.2";
	r.condition = odd;
	r.parts = NULL;
	r.part_count = 0;
	r.message = "无法还原的条件";
	bcasm_rule_add(a, &r);
	uint8_t *data = bcasm_finish(a, size);
	bcasm_free(a);
	return data;
}

START_TEST(assembled_program_words)
{
	size_t size;
	uint8_t *data = assemble_program(&size);
	er_error err;
	er_program *program = er_program_load(data, size, &err);
	ck_assert_msg(program != NULL, "the loader rejected the assembled file: %s", err.message);
	er_program_free(program);
	char path[512], args[768];
	snprintf(path, sizeof path, "%s/hand.erb", work_dir);
	write_bytes(path, data, size);
	free(data);

	snprintf(args, sizeof args, "--lang en doc %s", path);
	int status;
	char *out = run_rulec(args, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "- **Applies when**: the unit's class is 重点管控 and the unit's county is 城区 "
				     "and the unit's name is \"开发区\" and -新增排放量 \\< 5 吨/年 and (投产日期 ≥ "
				     "2021-10-01 or not (新增排放量 is known))\n"));
	ck_assert_ptr_nonnull(strstr(out, "- **Requirement**: 需削减 {新增排放量 ÷ 2 - 5}\n"));
	ck_assert_ptr_nonnull(strstr(out, "#### hand.2 手写规则\n\n- **Verdict**: require\n"
				     "- **Requirement**: 无法还原的条件\n"
				     "- **Applies when**: (compiled into code that rulec doc cannot write in words; "
				     "rulec dis shows the code)\n"));
	ck_assert_ptr_nonnull(strstr(out, "- **Class**: 重点管控\n"));
	free(out);
}
END_TEST

START_TEST(bad_input_exit_status)
{
	int status;
	free(run_rulec("doc --format pdf " GOLDEN_DIR "/small.rule", &status));
	ck_assert_int_eq(status, 2);
	free(run_rulec("doc tests/data/bad.rule", &status));
	ck_assert_int_eq(status, 1);
	free(run_rulec("doc /nonexistent/x.rule", &status));
	ck_assert_int_eq(status, 4);
	free(run_rulec("compile --format html " GOLDEN_DIR "/small.rule", &status));
	ck_assert_int_eq(status, 2);
	char *help = run_rulec("--lang en doc --help", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(help, "--format html"));
	free(help);
}
END_TEST

static Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("doc");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, golden_small_set);
	tcase_add_test(tc, shipped_jincheng_current);
	tcase_add_test(tc, html_escapes_rule_text);
	tcase_add_test(tc, markdown_escapes_markup);
	tcase_add_test(tc, output_is_deterministic);
	tcase_add_test(tc, bad_input_exit_status);
	suite_add_tcase(s, tc);

	TCase *bytecode = tcase_create("bytecode");
	tcase_set_timeout(bytecode, 120);
	tcase_add_checked_fixture(bytecode, setup, teardown);
	tcase_add_test(bytecode, golden_small_bytecode);
	tcase_add_test(bytecode, bytecode_html_escapes);
	tcase_add_test(bytecode, jincheng_bytecode_matches_source);
	tcase_add_test(bytecode, jincheng_bytecode_renders);
	tcase_add_test(bytecode, damaged_bytecode_exit_status);
	tcase_add_test(bytecode, deep_condition_note);
	tcase_add_test(bytecode, assembled_program_words);
	suite_add_tcase(s, bytecode);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
