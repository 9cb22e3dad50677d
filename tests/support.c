/* Helpers shared by the Check tests (see support.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static const char *env_or(const char *name, const char *fallback)
{
	const char *value = getenv(name);

	return value != NULL && *value != '\0' ? value : fallback;
}

const char *test_rulec(void)
{
	return env_or("RULEC", "build/bin/rulec");
}

const char *test_rulevm(void)
{
	return env_or("RULEVM", "build/bin/rulevm");
}

const char *test_ruleset(void)
{
	return env_or("RULESET", "build/jincheng.erb");
}

int test_compile_rules(const char *rules, char *path_template)
{
	char command[1024];
	int fd = mkstemp(path_template);

	if (fd < 0)
		return -1;
	close(fd);
	snprintf(command, sizeof command, "%s compile %s -o %s", test_rulec(), rules, path_template);
	return system(command) == 0 ? 0 : -1;
}

char *test_read_file(const char *path, size_t *size)
{
	FILE *in = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, got;

	if (in == NULL)
		return NULL;
	do {
		if (cap - len < 4097) {
			char *grown = realloc(text, cap = cap ? cap * 2 : 8192);

			if (grown == NULL) {
				free(text);
				fclose(in);
				return NULL;
			}
			text = grown;
		}
		got = fread(text + len, 1, cap - len - 1, in);
		len += got;
	} while (got > 0);
	fclose(in);
	text[len] = '\0';
	if (size != NULL)
		*size = len;
	return text;
}

int test_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}
