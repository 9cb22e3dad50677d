/* Replays the fuzz corpora and crash reproducers of tests/fuzz/ through
 * the gcc-built replay binaries: every input must run to its end, one
 * process per input, so that a crash names the input that caused it. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const harnesses[] = {
	"fuzz_parse", "fuzz_compile", "fuzz_load", "fuzz_facts_json", "fuzz_facts_csv",
	"fuzz_fmt",
};
#define HARNESS_COUNT (sizeof harnesses / sizeof harnesses[0])

/* Failing inputs, listed in the assertion message. */
static char failures[4096];
static size_t failure_count;
static size_t input_count;

static const char *build_dir(void)
{
	const char *b = getenv("B");

	return b != NULL && b[0] != '\0' ? b : "build";
}

/* Run `replay` on one input with its output sent to /dev/null. Returns
 * the exit status, or 128 + the signal number when it was killed. */
static int run_replay(const char *replay, const char *input)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null_fd = open("/dev/null", O_WRONLY);

		if (null_fd >= 0) {
			dup2(null_fd, STDOUT_FILENO);
			dup2(null_fd, STDERR_FILENO);
		}
		execl(replay, replay, input, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void note_failure(const char *input, int status)
{
	size_t used = strlen(failures);

	failure_count++;
	snprintf(failures + used, sizeof failures - used, "\n  %s (status %d)", input, status);
}

/* Replay each regular file of `dir_path`. A directory that does not
 * exist counts as one with no inputs. */
static void replay_directory(const char *replay, const char *dir_path)
{
	DIR *dir = opendir(dir_path);
	struct dirent *entry;

	if (dir == NULL) {
		ck_assert_msg(errno == ENOENT, "cannot open %s: %s", dir_path, strerror(errno));
		return;
	}
	while ((entry = readdir(dir)) != NULL) {
		char path[1024];
		struct stat st;
		int status;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		input_count++;
		status = run_replay(replay, path);
		if (status != 0)
			note_failure(path, status);
	}
	closedir(dir);
}

START_TEST(replay_harness_inputs)
{
	const char *harness = harnesses[_i];
	char replay[512], corpus[512], crashes[512], seeds[512];

	snprintf(replay, sizeof replay, "%s/fuzz/replay/%s", build_dir(), harness);
	ck_assert_msg(access(replay, X_OK) == 0, "missing replay binary %s: run make test", replay);
	snprintf(corpus, sizeof corpus, "tests/fuzz/corpus/%s", harness);
	snprintf(crashes, sizeof crashes, "tests/fuzz/crashes/%s", harness);
	snprintf(seeds, sizeof seeds, "%s/fuzz/seeds/%s", build_dir(), harness);

	failures[0] = '\0';
	failure_count = 0;
	input_count = 0;
	replay_directory(replay, corpus);
	replay_directory(replay, crashes);
	replay_directory(replay, seeds);

	ck_assert_msg(input_count > 0, "%s: no inputs in %s", harness, corpus);
	ck_assert_msg(failure_count == 0, "%s: %zu of %zu inputs failed:%s", harness, failure_count,
		      input_count, failures);
}
END_TEST

/* Every corpus seed for the fact readers must be read by its reader
 * without a crash even when replayed through another harness: the
 * readers share one decoder. */
START_TEST(replay_cross_format)
{
	char replay[512];

	snprintf(replay, sizeof replay, "%s/fuzz/replay/fuzz_facts_csv", build_dir());
	failures[0] = '\0';
	failure_count = 0;
	input_count = 0;
	replay_directory(replay, "tests/fuzz/corpus/fuzz_facts_json");
	snprintf(replay, sizeof replay, "%s/fuzz/replay/fuzz_facts_json", build_dir());
	replay_directory(replay, "tests/fuzz/corpus/fuzz_facts_csv");
	ck_assert_uint_gt(input_count, 0);
	ck_assert_msg(failure_count == 0, "%zu of %zu inputs failed:%s", failure_count, input_count,
		      failures);
}
END_TEST

static Suite *fuzz_replay_suite(void)
{
	Suite *s = suite_create("fuzz_replay");
	TCase *tc = tcase_create("replay");

	/* One process per input, under ASan in SANITIZE=1 builds. */
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, replay_harness_inputs, 0, (int)HARNESS_COUNT);
	tcase_add_test(tc, replay_cross_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fuzz_replay_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
