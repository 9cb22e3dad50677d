/* Checker tests: every tests/golden/check/NAME.rule is compiled and its
 * text diagnostics compared with NAME.expected (empty for a valid set).
 * UPDATE_GOLDEN=1 writes the .expected files instead of comparing. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "i18n.h"
#include "support.h"

#define GOLDEN_DIR "tests/golden/check"

/* Compile `path` and return its text diagnostics (malloc'ed). */
static char *diagnostics_of(const char *path, size_t *errors)
{
	driver dr;
	driver_init(&dr);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(out);
	if (driver_load_file(&dr, path) == 0)
		driver_build(&dr);
	*errors = diag_error_count(&dr.diags);
	diag_print_text(&dr.diags, dr.sources, out);
	fclose(out);
	driver_free(&dr);
	return text;
}

static int is_input(const char *name)
{
	size_t len = strlen(name);
	return len > 5 && strcmp(name + len - 5, ".rule") == 0;
}

START_TEST(golden_diagnostics)
{
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_msg(dir != NULL, "cannot open %s; run the tests from the repository root", GOLDEN_DIR);
	int update = getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0;
	size_t inputs = 0;
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		if (!is_input(ent->d_name))
			continue;
		inputs++;
		char path[512], expected_path[512];
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, ent->d_name);
		snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(path) - 5), path);

		size_t errors;
		char *actual = diagnostics_of(path, &errors);
		if (update) {
			FILE *f = fopen(expected_path, "wb");
			ck_assert_ptr_nonnull(f);
			fputs(actual, f);
			fclose(f);
			free(actual);
			continue;
		}
		size_t size;
		char *expected = test_read_file(expected_path, &size);
		ck_assert_msg(expected != NULL, "missing %s", expected_path);
		ck_assert_msg(strcmp(actual, expected) == 0, "%s: diagnostics differ\n--- expected\n%s--- actual\n%s",
			      path, expected, actual);
		if (strncmp(ent->d_name, "ok_", 3) == 0)
			ck_assert_msg(errors == 0, "%s: a valid input gave %zu errors", path, errors);
		else
			ck_assert_msg(errors > 0, "%s: an invalid input gave no error", path);
		free(expected);
		free(actual);
	}
	closedir(dir);
	ck_assert_uint_ge(inputs, 20);
}
END_TEST

/* Every error code the checker reports has its own golden input, so a
 * diagnostic that changes wording shows up as a golden difference. */
START_TEST(golden_codes_covered)
{
	static const char *const codes[] = {
		"E0101", "E0102", "E0103", "E0106", "E0107", "E0201", "E0202", "E0204", "E0205", "E0206",
		"E0208", "E0209", "E0301", "E0302", "E0303", "E0304", "E0305", "E0306", "E0307", "E0401",
		"E0402", "E0403", "E0404", "E0011",
	};
	DIR *dir = opendir(GOLDEN_DIR);
	ck_assert_ptr_nonnull(dir);
	char *all = calloc(1, 1);
	size_t all_len = 0;
	struct dirent *ent;
	while ((ent = readdir(dir)) != NULL) {
		size_t len = strlen(ent->d_name);
		if (len < 9 || strcmp(ent->d_name + len - 9, ".expected") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, ent->d_name);
		size_t size;
		char *text = test_read_file(path, &size);
		ck_assert_ptr_nonnull(text);
		all = realloc(all, all_len + size + 1);
		ck_assert_ptr_nonnull(all);
		memcpy(all + all_len, text, size + 1);
		all_len += size;
		free(text);
	}
	closedir(dir);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_msg(strstr(all, codes[i]) != NULL, "no golden diagnostic has code %s", codes[i]);
	free(all);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("golden");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, golden_diagnostics);
	tcase_add_test(tc, golden_codes_covered);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *sr = srunner_create(check_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
