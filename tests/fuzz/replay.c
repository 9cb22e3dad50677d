/* A main() for the fuzz harnesses without libFuzzer: feeds each file
 * named on the command line, and each file of each directory named, to
 * LLVMFuzzerTestOneInput once, so that gcc builds replay the corpora and
 * the crash reproducers as regression tests.
 *
 * Exit status: 0 when every input ran to its end, 2 when an input could
 * not be read. A crashing input ends the process by its signal, and an
 * input that runs longer than REPLAY_SECONDS is ended by SIGALRM. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPLAY_SECONDS 60

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read the whole file; returns 0, or -1 with errno set. */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *in = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (in == NULL)
		return -1;
	for (;;) {
		size_t n;

		if (len == cap) {
			size_t new_cap = cap ? cap * 2 : 4096;
			uint8_t *grown = realloc(buf, new_cap);

			if (grown == NULL) {
				free(buf);
				fclose(in);
				errno = ENOMEM;
				return -1;
			}
			buf = grown;
			cap = new_cap;
		}
		n = fread(buf + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in)) {
		int saved = errno;

		free(buf);
		fclose(in);
		errno = saved;
		return -1;
	}
	fclose(in);
	*data = buf;
	*size = len;
	return 0;
}

static int replay_file(const char *path)
{
	uint8_t *data;
	size_t size;

	if (read_file(path, &data, &size) < 0) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
	alarm(REPLAY_SECONDS);
	LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	free(data);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every regular file of a directory, in name order, skipping
 * names that start with a dot. Returns the number of files replayed, or
 * -1 when one could not be read. */
static long replay_directory(const char *dir_path)
{
	DIR *dir = opendir(dir_path);
	struct dirent *entry;
	char **names = NULL;
	size_t count = 0, cap = 0;
	long replayed = 0;

	if (dir == NULL) {
		fprintf(stderr, "replay: cannot open %s: %s\n", dir_path, strerror(errno));
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		if (count == cap) {
			size_t new_cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, new_cap * sizeof *names);

			if (grown == NULL)
				goto nomem;
			names = grown;
			cap = new_cap;
		}
		names[count] = strdup(entry->d_name);
		if (names[count] == NULL)
			goto nomem;
		count++;
	}
	closedir(dir);
	dir = NULL;
	qsort(names, count, sizeof *names, by_name);

	for (size_t i = 0; i < count && replayed >= 0; i++) {
		size_t len = strlen(dir_path) + strlen(names[i]) + 2;
		char *path = malloc(len);
		struct stat st;

		if (path == NULL)
			goto nomem;
		snprintf(path, len, "%s/%s", dir_path, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			replayed = replay_file(path) < 0 ? -1 : replayed + 1;
		free(path);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return replayed;

nomem:
	fprintf(stderr, "replay: out of memory while listing %s\n", dir_path);
	if (dir != NULL)
		closedir(dir);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return -1;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "Usage: %s FILE_OR_DIRECTORY...\n"
			"Run the fuzz harness once on each file, and on each file of each directory.\n",
			argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot read %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode))
			n = replay_directory(argv[i]);
		else
			n = replay_file(argv[i]) < 0 ? -1 : 1;
		if (n < 0)
			return 2;
		total += n;
	}
	printf("replayed %ld inputs\n", total);
	return 0;
}
