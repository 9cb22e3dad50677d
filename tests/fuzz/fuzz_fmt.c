/* libFuzzer harness for the formatter: arbitrary bytes as one .rule file.
 * When the input parses, its formatted text must parse too, and
 * formatting that text again must give it back unchanged. Anything else
 * aborts with both texts on stderr. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The offset of the first byte where `a` and `b` differ. */
static size_t first_difference(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* fmt_text reads a NUL-terminated string, so the input ends at its
	 * first NUL byte. */
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	char *once = fmt_text("fuzz.rule", text, NULL);
	free(text);
	if (once == NULL)
		return 0;

	char *twice = fmt_text("fuzz.rule", once, stderr);
	if (twice == NULL) {
		fprintf(stderr, "fuzz_fmt: the formatted text does not parse:\n%s\n", once);
		abort();
	}
	if (strcmp(once, twice) != 0) {
		size_t at = first_difference(once, twice);
		fprintf(stderr,
			"fuzz_fmt: formatting is not idempotent; the texts differ at byte %zu\n"
			"--- formatted once\n%s\n--- formatted twice\n%s\n",
			at, once, twice);
		abort();
	}
	free(once);
	free(twice);
	return 0;
}
