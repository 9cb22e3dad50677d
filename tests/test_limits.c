/* Limits of the compiler, the loader and the fact readers: each input
 * past a limit gets its error with the value and the limit, and no pass
 * overflows the C stack. The big inputs are generated here. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "bytecode.h"
#include "diag.h"
#include "driver.h"
#include "ecorule.h"
#include "emit.h"
#include "facts.h"
#include "fmt.h"
#include "lint.h"
#include "parse.h"
#include "source.h"

/* How deep the generated nesting goes: far past PARSE_MAX_DEPTH. At a
 * few hundred bytes of stack per level (an estimate), a pass recursing
 * once per level would need tens of MiB, more than the usual 8 MiB. */
#define DEEP 100000

/* A growable string for generated sources. */
typedef struct text_buf {
	char *data;
	size_t len, cap;
} text_buf;

static void text_add(text_buf *t, const char *format, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = t->cap - t->len;

		va_start(ap, format);
		n = vsnprintf(t->data != NULL ? t->data + t->len : NULL, room, format, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if ((size_t)n < room)
			break;
		t->cap = (t->cap + (size_t)n + 1) * 2;
		t->data = realloc(t->data, t->cap);
		ck_assert_ptr_nonnull(t->data);
	}
	t->len += (size_t)n;
}

static void text_repeat(text_buf *t, const char *piece, size_t times)
{
	for (size_t i = 0; i < times; i++)
		text_add(t, "%s", piece);
}

/* Two facts (a.flag, a.n) and one rule whose condition is `when_head`,
 * then `repeated` written `times` times, then `when_tail`. */
static char *rule_with_condition(const char *when_head, const char *repeated, size_t times,
				 const char *when_tail)
{
	text_buf t = { 0 };

	text_add(&t, "fact a.flag : boolean\nfact a.n : integer\n"
		     "rule a.deep {\n  title \"deep\"\n  dimension 空间布局约束\n  when ");
	text_add(&t, "%s", when_head);
	text_repeat(&t, repeated, times);
	text_add(&t, "%s\n  forbid \"no\"\n  basis \"test\"\n}\n", when_tail);
	return t.data;
}

/* Compile `text` through every pass (check, lint, gen, emit) and the
 * formatter. Returns the number of diagnostics with `code`. */
static size_t compile_count(const char *text, diag_code code, size_t *errors)
{
	driver dr;
	size_t found = 0;
	char *formatted;

	driver_init(&dr);
	ck_assert_int_eq(driver_load_string(&dr, "limits.rule", text), 0);
	*errors = driver_build(&dr);
	if (*errors == 0) {
		uint8_t *bytes;
		size_t size;

		lint_rule_set(&dr);
		emit_bytes(&dr.m, &bytes, &size);
		free(bytes);
	}
	for (size_t i = 0; i < dr.diags.count; i++)
		found += dr.diags.items[i].code == code;
	driver_free(&dr);

	formatted = fmt_text("limits.rule", text, NULL);
	free(formatted);
	return found;
}

static void assert_too_deep(char *text)
{
	size_t errors;

	ck_assert_uint_eq(compile_count(text, DIAG_E0014, &errors), 1);
	ck_assert_uint_ge(errors, 1);
	free(text);
}

START_TEST(nested_parentheses_rejected)
{
	text_buf t = { 0 };

	text_repeat(&t, "(", DEEP);
	text_add(&t, "a.flag");
	text_repeat(&t, ")", DEEP);
	assert_too_deep(rule_with_condition("", t.data, 1, ""));
	free(t.data);
}
END_TEST

START_TEST(nested_not_rejected)
{
	assert_too_deep(rule_with_condition("", "not ", DEEP, "a.flag"));
}
END_TEST

START_TEST(long_and_chain_rejected)
{
	assert_too_deep(rule_with_condition("a.flag", " and a.flag", DEEP, ""));
}
END_TEST

START_TEST(nested_sets_rejected)
{
	text_buf t = { 0 };

	text_repeat(&t, "{", DEEP);
	text_add(&t, "1");
	text_repeat(&t, "}", DEEP);
	assert_too_deep(rule_with_condition("a.n in ", t.data, 1, ""));
	free(t.data);
}
END_TEST

START_TEST(nested_negation_in_message_rejected)
{
	text_buf t = { 0 };
	size_t errors;

	text_add(&t, "fact a.n : integer\nrule a.deep {\n  title \"deep\"\n"
		     "  dimension 空间布局约束\n  when a.n > 1\n  forbid \"{");
	text_repeat(&t, "-", DEEP);
	text_add(&t, "a.n}\"\n  basis \"test\"\n}\n");
	ck_assert_uint_eq(compile_count(t.data, DIAG_E0014, &errors), 1);
	free(t.data);
}
END_TEST

/* Nesting just within the limit goes through every pass without E0014. */
START_TEST(nesting_at_limit_accepted)
{
	text_buf t = { 0 };
	size_t errors;

	/* The rule's condition: PARSE_MAX_DEPTH - 1 parentheses around a name. */
	text_repeat(&t, "(", PARSE_MAX_DEPTH - 1);
	text_add(&t, "a.flag");
	text_repeat(&t, ")", PARSE_MAX_DEPTH - 1);
	char *text = rule_with_condition("", t.data, 1, "");
	ck_assert_uint_eq(compile_count(text, DIAG_E0014, &errors), 0);
	ck_assert_uint_eq(errors, 0);
	free(text);
	free(t.data);

	text = rule_with_condition("a.flag", " or a.flag", PARSE_MAX_DEPTH - 1, "");
	ck_assert_uint_eq(compile_count(text, DIAG_E0014, &errors), 0);
	ck_assert_uint_eq(errors, 0);
	free(text);
}
END_TEST

START_TEST(large_file_rejected)
{
	char path[] = "/tmp/ecorule_test_limits_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	driver dr;
	const char *message;
	char line[64];

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	/* A comment line of 64 bytes, repeated one line past the limit. */
	memset(line, '#', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	for (size_t i = 0; i <= SRC_MAX_FILE_BYTES / sizeof line; i++)
		ck_assert_uint_eq(fwrite(line, 1, sizeof line, f), sizeof line);
	ck_assert_int_eq(fclose(f), 0);

	driver_init(&dr);
	ck_assert_int_eq(driver_load_file(&dr, path), 0);
	unlink(path);
	ck_assert_uint_eq(dr.diags.count, 1);
	ck_assert_int_eq(dr.diags.items[0].code, DIAG_E0015);
	message = dr.diags.items[0].message;
	ck_assert_msg(strstr(message, "67108864") != NULL, "message: %s", message);
	driver_free(&dr);
}
END_TEST

START_TEST(long_string_rejected)
{
	for (size_t len = PARSE_MAX_STRING_BYTES; len <= PARSE_MAX_STRING_BYTES + 1; len++) {
		text_buf t = { 0 };
		size_t errors;

		text_add(&t, "fact a.name : string label \"");
		text_repeat(&t, "x", len);
		text_add(&t, "\"\n");
		ck_assert_uint_eq(compile_count(t.data, DIAG_E0016, &errors),
				  len > PARSE_MAX_STRING_BYTES);
		free(t.data);
	}
}
END_TEST

/* Instructions address facts with 16 bits: fact 65536 compiles, 65537
 * is reported with its number. */
START_TEST(fact_index_limit)
{
	for (size_t facts = 65536; facts <= 65537; facts++) {
		text_buf t = { 0 };
		driver dr;
		size_t errors;

		for (size_t i = 0; i < facts; i++)
			text_add(&t, "fact f.x%zu : boolean\n", i);
		text_add(&t, "rule a.last {\n  title \"t\"\n  dimension 空间布局约束\n"
			     "  when f.x%zu\n  forbid \"no\"\n  basis \"test\"\n}\n", facts - 1);
		driver_init(&dr);
		ck_assert_int_eq(driver_load_string(&dr, "facts.rule", t.data), 0);
		errors = driver_build(&dr);
		if (facts == 65536) {
			ck_assert_uint_eq(errors, 0);
		} else {
			ck_assert_uint_eq(errors, 1);
			ck_assert_int_eq(dr.diags.items[0].code, DIAG_E0308);
			ck_assert_msg(strstr(dr.diags.items[0].message, "65537") != NULL, "message: %s",
				      dr.diags.items[0].message);
		}
		driver_free(&dr);
		free(t.data);
	}
}
END_TEST

/* ---- Runtime: loader and fact readers ---- */

static er_program *compile_program(const char *text)
{
	driver dr;
	uint8_t *bytes;
	size_t size;
	er_error err;
	er_program *program;

	driver_init(&dr);
	ck_assert_int_eq(driver_load_string(&dr, "limits.rule", text), 0);
	ck_assert_uint_eq(driver_build(&dr), 0);
	emit_bytes(&dr.m, &bytes, &size);
	driver_free(&dr);
	program = er_program_load(bytes, size, &err);
	ck_assert_msg(program != NULL, "load: %s", err.message);
	free(bytes);
	return program;
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A count far past what its section contains is rejected before any
 * allocation, and the message gives the count and the room left. */
START_TEST(section_count_rejected)
{
	driver dr;
	uint8_t *bytes;
	size_t size;
	uint32_t sections;
	er_error err;
	int patched = 0;

	driver_init(&dr);
	ck_assert_int_eq(driver_load_string(&dr, "limits.rule",
					    "fact a.flag : boolean label \"标志\"\n"), 0);
	ck_assert_uint_eq(driver_build(&dr), 0);
	emit_bytes(&dr.m, &bytes, &size);
	driver_free(&dr);

	sections = get_u32(bytes + 12);
	for (uint32_t i = 0; i < sections; i++) {
		const uint8_t *entry = bytes + BC_HEADER_SIZE + (size_t)i * BC_DIR_ENTRY_SIZE;

		if (get_u32(entry) == BC_SEC_FACTS) {
			put_u32(bytes + get_u32(entry + 4), 100000000);
			patched = 1;
		}
	}
	ck_assert(patched);
	put_u32(bytes + 20, 0);
	put_u32(bytes + 20, (uint32_t)crc32(crc32(0L, Z_NULL, 0), bytes, (uInt)size));

	ck_assert_ptr_null(er_program_load(bytes, size, &err));
	ck_assert_int_eq(err.status, ER_E_FORMAT);
	ck_assert_msg(strstr(err.message, "100000000") != NULL, "message: %s", err.message);
	free(bytes);
}
END_TEST

static size_t records_read;

static int count_record(er_record *record, void *context)
{
	(void)record;
	(void)context;
	records_read++;
	return 0;
}

/* Read `text` as `format` against a one-fact program; returns the status
 * and leaves the message in err. */
static er_status read_facts(const char *text, size_t len, facts_format format, er_error *err)
{
	er_program *program = compile_program("fact a.name : string label \"名称\"\n");
	facts_options options = { .format = format, .name = "input", .on_record = count_record };
	FILE *in = fmemopen((void *)text, len, "rb");
	er_status status;

	ck_assert_ptr_nonnull(in);
	records_read = 0;
	memset(err, 0, sizeof *err);
	status = facts_read(program, in, &options, err);
	fclose(in);
	er_program_free(program);
	return status;
}

START_TEST(json_depth_limit)
{
	for (int depth = FACTS_MAX_JSON_DEPTH; depth <= FACTS_MAX_JSON_DEPTH + 1; depth++) {
		text_buf t = { 0 };
		er_error err;
		er_status status;

		/* A record whose skipped key contains `depth` - 1 nested arrays. */
		text_add(&t, "{\"other\": ");
		text_repeat(&t, "[", (size_t)depth - 1);
		text_repeat(&t, "]", (size_t)depth - 1);
		text_add(&t, "}\n");
		status = read_facts(t.data, t.len, FACTS_JSON, &err);
		if (depth == FACTS_MAX_JSON_DEPTH) {
			ck_assert_int_eq(status, ER_OK);
			ck_assert_uint_eq(records_read, 1);
		} else {
			ck_assert_int_eq(status, ER_E_INPUT);
			ck_assert_msg(strstr(err.message, "input: line 1:") != NULL &&
					      strstr(err.message, "64") != NULL,
				      "message: %s", err.message);
		}
		free(t.data);
	}
}
END_TEST

START_TEST(json_deep_nesting_rejected)
{
	text_buf t = { 0 };
	er_error err;

	text_repeat(&t, "[", DEEP);
	text_repeat(&t, "]", DEEP);
	ck_assert_int_eq(read_facts(t.data, t.len, FACTS_JSON, &err), ER_E_INPUT);
	free(t.data);
}
END_TEST

START_TEST(json_record_size_limit)
{
	text_buf t = { 0 };
	er_error err;

	text_add(&t, "{\"a.name\": \"small\"}\n{\"a.name\": \"");
	text_repeat(&t, "0123456789abcdef", FACTS_MAX_RECORD_BYTES / 16);
	text_add(&t, "\"}\n");
	ck_assert_int_eq(read_facts(t.data, t.len, FACTS_JSON, &err), ER_E_INPUT);
	ck_assert_uint_eq(records_read, 1);
	ck_assert_msg(strstr(err.message, "input: line 2: record 2") != NULL &&
			      strstr(err.message, "16777216") != NULL,
		      "message: %s", err.message);
	free(t.data);
}
END_TEST

START_TEST(csv_field_size_limit)
{
	for (size_t len = FACTS_MAX_FIELD_BYTES; len <= FACTS_MAX_FIELD_BYTES + 1; len++) {
		text_buf t = { 0 };
		er_error err;
		er_status status;

		text_add(&t, "a.name\nsmall\n");
		text_repeat(&t, "x", len);
		text_add(&t, "\n");
		status = read_facts(t.data, t.len, FACTS_CSV, &err);
		if (len == FACTS_MAX_FIELD_BYTES) {
			ck_assert_int_eq(status, ER_OK);
			ck_assert_uint_eq(records_read, 2);
		} else {
			ck_assert_int_eq(status, ER_E_INPUT);
			ck_assert_uint_eq(records_read, 1);
			ck_assert_msg(strstr(err.message, "input: record 2:") != NULL &&
					      strstr(err.message, "1048576") != NULL,
				      "message: %s", err.message);
		}
		free(t.data);
	}
}
END_TEST

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *compiler = tcase_create("compiler");
	TCase *runtime = tcase_create("runtime");

	/* Generated inputs of up to 64 MiB, slower under the sanitizers. */
	tcase_set_timeout(compiler, 300);
	tcase_set_timeout(runtime, 300);
	tcase_add_test(compiler, nested_parentheses_rejected);
	tcase_add_test(compiler, nested_not_rejected);
	tcase_add_test(compiler, long_and_chain_rejected);
	tcase_add_test(compiler, nested_sets_rejected);
	tcase_add_test(compiler, nested_negation_in_message_rejected);
	tcase_add_test(compiler, nesting_at_limit_accepted);
	tcase_add_test(compiler, large_file_rejected);
	tcase_add_test(compiler, long_string_rejected);
	tcase_add_test(compiler, fact_index_limit);
	tcase_add_test(runtime, section_count_rejected);
	tcase_add_test(runtime, json_depth_limit);
	tcase_add_test(runtime, json_deep_nesting_rejected);
	tcase_add_test(runtime, json_record_size_limit);
	tcase_add_test(runtime, csv_field_size_limit);
	suite_add_tcase(s, compiler);
	suite_add_tcase(s, runtime);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(limits_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
