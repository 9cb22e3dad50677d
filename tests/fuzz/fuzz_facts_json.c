/* libFuzzer harness for the JSON and JSON Lines fact reader: arbitrary
 * bytes are read as fact records against the embedded rule set (see
 * fuzz_common.c), and every record without errors is evaluated. */
#include <stdio.h>
#include <string.h>

#include "ecorule.h"
#include "facts.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Evaluate a valid record. For an invalid one, print every message, so
 * that ASan catches a message without its terminating NUL. */
static int on_record(er_record *record, void *context)
{
	(void)context;
	if (record->error_count == 0) {
		fuzz_evaluate(record->program, record);
		return 0;
	}
	for (size_t i = 0; i < record->error_count; i++)
		fprintf(fuzz_sink(), "%s: %s\n", record->errors[i].field, record->errors[i].message);
	return 0;
}

static void on_warning(const char *message, void *context)
{
	(void)context;
	fputs(message, fuzz_sink());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const er_program *program = fuzz_program();
	facts_options options;
	er_error err;
	FILE *in;

	/* fmemopen rejects an empty buffer on some C libraries. */
	if (size == 0)
		return 0;
	in = fmemopen((void *)data, size, "rb");
	if (in == NULL)
		return 0;
	memset(&options, 0, sizeof options);
	options.format = FACTS_JSON;
	options.encoding = FACTS_ENC_AUTO;
	options.name = "fuzz.json";
	options.on_record = on_record;
	options.on_warning = on_warning;
	facts_read(program, in, &options, &err);
	fclose(in);
	return 0;
}
