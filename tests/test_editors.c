/* Editor support tests. The keywords the Vim syntax file and the VS Code
 * grammar highlight must equal the keywords the scanner accepts, in both
 * spellings, as the keyword table of grammar/lexer.l lists them. So a new
 * keyword cannot be left out of either. The extension's JSON files must
 * parse. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "support.h"

#define VIM_SYNTAX "editors/vim/syntax/ecorule.vim"
#define VIM_FTDETECT "editors/vim/ftdetect/ecorule.vim"
#define VSCODE_DIR "editors/vscode"
#define MAX_WORDS 256

typedef struct word_set {
	char *words[MAX_WORDS];
	size_t count;
} word_set;

static void word_set_add(word_set *set, const char *word, size_t len)
{
	for (size_t i = 0; i < set->count; i++)
		if (strlen(set->words[i]) == len && memcmp(set->words[i], word, len) == 0)
			return;
	ck_assert_uint_lt(set->count, MAX_WORDS);
	set->words[set->count] = strndup(word, len);
	ck_assert_ptr_nonnull(set->words[set->count]);
	set->count++;
}

static int word_set_has(const word_set *set, const char *word)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->words[i], word) == 0)
			return 1;
	return 0;
}

static void word_set_free(word_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->words[i]);
	set->count = 0;
}

/* Fail with the words of `want` missing from `got` and the extra ones. */
static void assert_same_words(const word_set *want, const word_set *got, const char *what)
{
	char missing[2048] = "", extra[2048] = "";
	for (size_t i = 0; i < want->count; i++)
		if (!word_set_has(got, want->words[i]))
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing), " %s", want->words[i]);
	for (size_t i = 0; i < got->count; i++)
		if (!word_set_has(want, got->words[i]))
			snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " %s", got->words[i]);
	ck_assert_msg(missing[0] == '\0' && extra[0] == '\0',
		      "%s: keywords of grammar/lexer.l missing:%s; words that are not keywords:%s", what, missing,
		      extra);
}

/* The keyword table of the scanner: lines { "english", "chinese", KW_… }
 * or { "english", NULL, KW_… } between "lex_keywords[] = {" and "};". */
static void scanner_keywords(word_set *set)
{
	char *text = test_read_file("grammar/lexer.l", NULL);
	ck_assert_msg(text != NULL, "cannot read grammar/lexer.l; run the tests from the repository root");
	const char *p = strstr(text, "lex_keywords[] = {");
	ck_assert_ptr_nonnull(p);
	const char *end = strstr(p, "\n};");
	ck_assert_ptr_nonnull(end);
	for (p = strchr(p, '\n'); p && p < end; p = strchr(p + 1, '\n')) {
		const char *q = p + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '{')
			continue;
		for (int column = 0; column < 2; column++) {
			q = strpbrk(q, "\"N,");
			ck_assert_ptr_nonnull(q);
			if (*q == '"') {
				const char *close = strchr(q + 1, '"');
				ck_assert_ptr_nonnull(close);
				word_set_add(set, q + 1, (size_t)(close - q - 1));
				q = close + 1;
			} else if (*q == 'N') {
				q += 4; /* NULL */
			}
			q = strchr(q, ',');
			ck_assert_ptr_nonnull(q);
			q++;
		}
	}
	free(text);
	ck_assert_uint_ge(set->count, 80);
}

/* Words of every `syntax keyword GROUP word…` line but the comment tags. */
static void vim_keywords(word_set *set)
{
	char *text = test_read_file(VIM_SYNTAX, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", VIM_SYNTAX);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char group[64];
		int used = 0;
		if (sscanf(line, "syntax keyword %63s %n", group, &used) != 1 || used == 0)
			continue;
		if (strcmp(group, "ecoruleTodo") == 0)
			continue;
		for (const char *w = line + used; *w;) {
			size_t len = strcspn(w, " \t");
			if (len > 0)
				word_set_add(set, w, len);
			w += len;
			w += strspn(w, " \t");
		}
	}
	free(text);
}

static yajl_val parse_json_file(const char *path)
{
	char *text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	char error[256] = "";
	yajl_val tree = yajl_tree_parse(text, error, sizeof error);
	ck_assert_msg(tree != NULL, "%s is not valid JSON: %s", path, error);
	free(text);
	return tree;
}

/* The text of a JSON string; fails the test for any other value. */
static const char *json_string(yajl_val value)
{
	const char *text = YAJL_IS_STRING(value) ? value->u.string : NULL;
	ck_assert_ptr_nonnull(text);
	return text;
}

/* The alternatives of "(?:a|b|…)" in each match of repository.keywords. */
static void textmate_keywords(word_set *set)
{
	yajl_val grammar = parse_json_file(VSCODE_DIR "/syntaxes/ecorule.tmLanguage.json");
	const char *path[] = { "repository", "keywords", "patterns", NULL };
	yajl_val patterns = yajl_tree_get(grammar, path, yajl_t_array);
	ck_assert_msg(patterns != NULL, "the grammar has no repository.keywords.patterns array");
	for (size_t i = 0; i < YAJL_GET_ARRAY(patterns)->len; i++) {
		const char *match_path[] = { "match", NULL };
		yajl_val match = yajl_tree_get(YAJL_GET_ARRAY(patterns)->values[i], match_path, yajl_t_string);
		ck_assert_ptr_nonnull(match);
		const char *open = strstr(json_string(match), "(?:");
		ck_assert_msg(open != NULL, "keyword pattern %zu has no (?:…) group", i);
		const char *w = open + 3;
		const char *close = strchr(w, ')');
		ck_assert_ptr_nonnull(close);
		while (w < close) {
			size_t len = strcspn(w, "|)");
			word_set_add(set, w, len);
			w += len + (w[len] == '|');
		}
	}
	yajl_tree_free(grammar);
}

START_TEST(vim_keywords_match_scanner)
{
	word_set scanner = { .count = 0 }, vim = { .count = 0 };
	scanner_keywords(&scanner);
	vim_keywords(&vim);
	assert_same_words(&scanner, &vim, VIM_SYNTAX);
	word_set_free(&scanner);
	word_set_free(&vim);
}
END_TEST

START_TEST(vscode_keywords_match_scanner)
{
	word_set scanner = { .count = 0 }, textmate = { .count = 0 };
	scanner_keywords(&scanner);
	textmate_keywords(&textmate);
	assert_same_words(&scanner, &textmate, "the VS Code grammar");
	word_set_free(&scanner);
	word_set_free(&textmate);
}
END_TEST

START_TEST(vscode_json_parses)
{
	yajl_tree_free(parse_json_file(VSCODE_DIR "/language-configuration.json"));
	yajl_val package = parse_json_file(VSCODE_DIR "/package.json");
	const char *language_path[] = { "contributes", "languages", NULL };
	yajl_val languages = yajl_tree_get(package, language_path, yajl_t_array);
	ck_assert_ptr_nonnull(languages);
	ck_assert_uint_eq(YAJL_GET_ARRAY(languages)->len, 1);
	const char *extension_path[] = { "extensions", NULL };
	yajl_val extensions = yajl_tree_get(YAJL_GET_ARRAY(languages)->values[0], extension_path, yajl_t_array);
	ck_assert_ptr_nonnull(extensions);
	ck_assert_str_eq(json_string(YAJL_GET_ARRAY(extensions)->values[0]), ".rule");

	/* Every file package.json names exists. */
	const char *grammar_path[] = { "contributes", "grammars", NULL };
	yajl_val grammars = yajl_tree_get(package, grammar_path, yajl_t_array);
	ck_assert_ptr_nonnull(grammars);
	const char *file_path[] = { "path", NULL };
	yajl_val file = yajl_tree_get(YAJL_GET_ARRAY(grammars)->values[0], file_path, yajl_t_string);
	ck_assert_ptr_nonnull(file);
	char path[256];
	snprintf(path, sizeof path, "%s/%s", VSCODE_DIR, json_string(file));
	yajl_tree_free(parse_json_file(path));
	const char *config_path[] = { "configuration", NULL };
	yajl_val config = yajl_tree_get(YAJL_GET_ARRAY(languages)->values[0], config_path, yajl_t_string);
	ck_assert_ptr_nonnull(config);
	snprintf(path, sizeof path, "%s/%s", VSCODE_DIR, json_string(config));
	yajl_tree_free(parse_json_file(path));
	yajl_tree_free(package);
}
END_TEST

START_TEST(vim_detects_rule_files)
{
	char *text = test_read_file(VIM_FTDETECT, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", VIM_FTDETECT);
	ck_assert_ptr_nonnull(strstr(text, "*.rule"));
	ck_assert_ptr_nonnull(strstr(text, "setfiletype ecorule"));
	free(text);
}
END_TEST

static Suite *editors_suite(void)
{
	Suite *s = suite_create("editors");
	TCase *tc = tcase_create("editors");
	tcase_add_test(tc, vim_keywords_match_scanner);
	tcase_add_test(tc, vscode_keywords_match_scanner);
	tcase_add_test(tc, vscode_json_parses);
	tcase_add_test(tc, vim_detects_rule_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(editors_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
