/* rulec dis tests. The listing of tests/golden/doc/small.rule, compiled,
 * equals tests/golden/dis/small.dis: header, section directory,
 * constants, tables, reference data, and each rule's code with its
 * source position. Compiling and disassembling the same source twice
 * gives the same bytes and the same text. Strings are escaped, and a
 * source file given to dis gets a hint.
 * UPDATE_GOLDEN=1 writes the golden file instead of comparing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define SOURCE "tests/golden/doc/small.rule"
#define GOLDEN "tests/golden/dis/small.dis"
#define ESCAPE_SOURCE "tests/golden/dis/escape.rule"

/* Compile SOURCE into a new temporary file named in `path` (64 bytes). */
static void compile_source(char *path)
{
	snprintf(path, 64, "/tmp/test_dis.XXXXXX");
	ck_assert_msg(test_compile_rules(SOURCE, path) == 0, "rulec compile %s failed", SOURCE);
}

/* The standard output of `rulec --lang en dis FILE`, which must exit 0. */
static char *disassemble(const char *file)
{
	char cmd[512], out_path[64];
	snprintf(out_path, sizeof out_path, "/tmp/test_dis_out.XXXXXX");
	int fd = mkstemp(out_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "%s --lang en dis '%s' >'%s'", test_rulec(), file, out_path);
	int status = system(cmd);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "failed: %s", cmd);
	char *text = test_read_file(out_path, NULL);
	ck_assert_ptr_nonnull(text);
	unlink(out_path);
	return text;
}

START_TEST(listing_matches_golden)
{
	char erb[64];
	compile_source(erb);
	char *actual = disassemble(erb);
	unlink(erb);
	const char *update = getenv("UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(GOLDEN, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(actual, f);
		fclose(f);
	}
	char *expected = test_read_file(GOLDEN, NULL);
	ck_assert_msg(expected != NULL, "missing %s", GOLDEN);
	ck_assert_msg(strcmp(actual, expected) == 0, "%s differs\n--- actual\n%s", GOLDEN, actual);
	free(expected);
	free(actual);
}
END_TEST

START_TEST(listing_has_every_part)
{
	char erb[64];
	compile_source(erb);
	char *out = disassemble(erb);
	unlink(erb);
	static const char *const parts[] = {
		"ecorule bytecode 1.0,", "crc32 ", "sections 11\n", "  STRS  offset ", "  CODE  offset ",
		"constants ", "  0 bool true\n", "enums 2\n", "facts 10\n",
		"  6 emission.new.SO2 : quantity 吨/年  label \"新增二氧化硫排放量\"\n", "attributes 3\n",
		"industry sets ", "counties 2\n", "  0 阳城县 code 140522 大气超标=true\n", "units 2\n",
		" area 4.04 ", "sources 1\n  0 " SOURCE "\n", "rules 6\n",
		"  rule 1 city.emission.1  ; " SOURCE ":54:6\n", "    from 2021-10-01\n",
		"    scope class 1 (优先保护)\n", "    scope county 阳城县\n", "    overrides county.guide.1\n",
		"    reads ", "    when @", "    ensure @", "    let 削减量 (吨/年) @", "OP_FACT", "OP_RET",
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		ck_assert_msg(strstr(out, parts[i]) != NULL, "dis lacks \"%s\":\n%s", parts[i], out);
	free(out);
}
END_TEST

START_TEST(same_source_same_listing)
{
	char first[64], second[64];
	compile_source(first);
	compile_source(second);
	size_t first_size, second_size;
	char *a = test_read_file(first, &first_size);
	char *b = test_read_file(second, &second_size);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(first_size, second_size);
	ck_assert_msg(memcmp(a, b, first_size) == 0, "two compilations of %s differ", SOURCE);
	free(a);
	free(b);
	char *text_a = disassemble(first);
	char *text_b = disassemble(second);
	ck_assert_str_eq(text_a, text_b);
	free(text_a);
	free(text_b);
	unlink(first);
	unlink(second);
}
END_TEST

/* Quotes, backslashes, tabs and line breaks in strings are escaped, so
 * that each item of the listing stays on one line. */
START_TEST(strings_are_escaped)
{
	char erb[64];
	snprintf(erb, sizeof erb, "/tmp/test_dis.XXXXXX");
	ck_assert_int_eq(test_compile_rules(ESCAPE_SOURCE, erb), 0);
	char *out = disassemble(erb);
	unlink(erb);
	static const char *const lines[] = {
		"  1 project.nature : enum 建设性质  label \"建设\\t性质\"\n",
		"  0 ZH14050220001 \"开发区 \\\"南区\\\"\" county 城区 class 2 (重点管控)\n",
		"    title \"标题 \\\"引号\\\" 与 \\\\ 反斜杠\"\n",
		"    basis \"依据\\n第二段\"\n",
		"    text \"第一行\\n第二行\"\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(strstr(out, lines[i]) != NULL, "dis lacks \"%s\":\n%s", lines[i], out);
	ck_assert_ptr_null(strstr(out, "第一行\n"));
	free(out);
}
END_TEST

/* Given rule source, dis adds a hint to the loader's message. */
START_TEST(source_file_gets_a_hint)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s --lang en dis '%s' 2>&1 >/dev/null", test_rulec(), ESCAPE_SOURCE);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char text[2048];
	size_t n = fread(text, 1, sizeof text - 1, p);
	text[n] = '\0';
	int status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit status %d", status);
	ck_assert_ptr_nonnull(strstr(text, "expected the magic \"ECRB\""));
	ck_assert_ptr_nonnull(strstr(text, "rulec: note: " ESCAPE_SOURCE " looks like rule source, not bytecode"));
}
END_TEST

static Suite *dis_suite(void)
{
	Suite *s = suite_create("dis");
	TCase *tc = tcase_create("dis");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, listing_matches_golden);
	tcase_add_test(tc, listing_has_every_part);
	tcase_add_test(tc, same_source_same_listing);
	tcase_add_test(tc, strings_are_escaped);
	tcase_add_test(tc, source_file_gets_a_hint);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dis_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
