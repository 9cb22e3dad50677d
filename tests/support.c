/* Helpers shared by the Check tests (see support.h). */
#include <stdio.h>
#include <stdlib.h>
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
