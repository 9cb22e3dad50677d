/* libFuzzer harness for the CSV fact reader: arbitrary bytes are read as
 * fact records against the embedded rule set (see fuzz_common.c), and
 * every record without errors is evaluated. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_facts(data, size, FACTS_CSV, "fuzz.csv");
	return 0;
}
