/* Tests of the fact readers: JSON objects, arrays and JSON Lines with a
 * broken line, nested keys, skipped keys, CSV with labels, a BOM and
 * GB18030 input. */
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytecode.h"
#include "ecorule.h"
#include "facts.h"
#include "i18n.h"
#include "support.h"

#define RULES "tests/data/facts/rules.rule"
#define MAX_SEEN 16

static char bytecode_path[] = "/tmp/ecorule_test_facts_XXXXXX";
static er_program *program;

/* What the reader delivered, copied out of the reused record. */
typedef struct seen_record {
	size_t number;
	char id[128];
	size_t error_count;
	char first_error[512];
	char first_field[128];
	int nature_present;
	uint32_t nature;
	char so2[ER_DEC_TEXT_MAX];   /* "" when absent */
	uint64_t zones;
	int zones_present;
	char name[128];
} seen_record;

static seen_record seen[MAX_SEEN];
static size_t seen_count;
static size_t warning_count;
static char last_warning[512];

static uint32_t fact(const char *path)
{
	return er_program_find_fact(program, path, strlen(path));
}

static int on_record(er_record *record, void *context)
{
	seen_record *s;
	uint32_t nature = fact("project.nature"), so2 = fact("emission.new.SO2");
	uint32_t zones = fact("site.zones"), name = fact("project.name");

	(void)context;
	ck_assert_uint_lt(seen_count, MAX_SEEN);
	s = &seen[seen_count++];
	memset(s, 0, sizeof *s);
	s->number = record->number;
	snprintf(s->id, sizeof s->id, "%s", record->id);
	s->error_count = record->error_count;
	if (record->error_count > 0) {
		snprintf(s->first_error, sizeof s->first_error, "%s", record->errors[0].message);
		snprintf(s->first_field, sizeof s->first_field, "%s", record->errors[0].field);
	}
	s->nature_present = record->present[nature];
	s->nature = record->slots[nature].as.index;
	if (record->present[so2])
		er_dec_format(er_dec_normalize(record->slots[so2].as.dec), s->so2);
	s->zones_present = record->present[zones];
	s->zones = record->slots[zones].as.bits;
	if (record->present[name])
		snprintf(s->name, sizeof s->name, "%.*s", (int)record->slots[name].as.str.len,
			 record->slots[name].as.str.ptr);
	return 0;
}

static void on_warning(const char *message, void *context)
{
	(void)context;
	warning_count++;
	snprintf(last_warning, sizeof last_warning, "%s", message);
}

static void setup(void)
{
	er_error err = { .status = ER_OK };

	er_i18n_init("en");
	program = er_program_load_file(bytecode_path, &err);
	ck_assert_msg(program != NULL, "loading %s failed: %s", bytecode_path, err.message);
	seen_count = 0;
	warning_count = 0;
}

static void teardown(void)
{
	er_program_free(program);
}

/* Read `size` bytes of input in the given format and encoding. */
static er_status read_bytes(const char *data, size_t size, facts_format format,
			    facts_encoding encoding, er_error *err)
{
	FILE *in = fmemopen((void *)data, size, "rb");
	facts_options options = {
		.format = format,
		.encoding = encoding,
		.name = "input",
		.on_record = on_record,
		.on_warning = on_warning,
	};
	er_status status;

	ck_assert_ptr_nonnull(in);
	status = facts_read(program, in, &options, err);
	fclose(in);
	return status;
}

static er_status read_text(const char *text, facts_format format)
{
	er_error err = { .status = ER_OK };

	return read_bytes(text, strlen(text), format, FACTS_ENC_AUTO, &err);
}

static uint32_t enum_value(const char *path, const char *name)
{
	return er_program_find_enum_value(program, er_program_fact(program, fact(path))->enum_index,
					  name, strlen(name));
}

START_TEST(json_single_object)
{
	const char *text = "{\"id\": \"P1\", \"project\": {\"nature\": \"新建\", \"name\": \"焦化厂\"},"
			   " \"emission\": {\"new\": {\"SO2\": \"2 万吨/年\"}}}";

	ck_assert_int_eq(read_text(text, FACTS_JSON), ER_OK);
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_uint_eq(seen[0].number, 1);
	ck_assert_str_eq(seen[0].id, "P1");
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_int_eq(seen[0].nature_present, 1);
	ck_assert_uint_eq(seen[0].nature, enum_value("project.nature", "新建"));
	ck_assert_str_eq(seen[0].so2, "20000");
	ck_assert_str_eq(seen[0].name, "焦化厂");
}

START_TEST(json_array_of_objects)
{
	const char *text = "[{\"id\": \"A\", \"project\": {\"nature\": \"改建\"}},\n"
			   " {\"项目编号\": \"B\", \"emission\": {\"new\": {\"SO2\": 5}}},\n"
			   " {}]";

	ck_assert_int_eq(read_text(text, FACTS_AUTO), ER_OK);
	ck_assert_uint_eq(seen_count, 3);
	ck_assert_str_eq(seen[0].id, "A");
	ck_assert_str_eq(seen[1].id, "B");
	ck_assert_str_eq(seen[1].so2, "5");
	ck_assert_str_eq(seen[2].id, "3");
	ck_assert_uint_eq(seen[2].number, 3);
	ck_assert_int_eq(seen[2].nature_present, 0);
}

START_TEST(jsonl_broken_line_in_middle)
{
	const char *text = "{\"id\": \"L1\", \"project\": {\"nature\": \"新建\"}}\n"
			   "{\"id\": \"L2\", \"project\": {\"nature\": \"新建\"}, oops}\n"
			   "{\"id\": \"L3\", \"emission\": {\"new\": {\"SO2\": 1.5e1}}}\n"
			   "\n"
			   "{\"id\": \"L4\", \"project\": {\"nature\": \"扩建\"\n"
			   "{\"id\": \"L5\"}\n";

	ck_assert_int_eq(read_text(text, FACTS_JSONL), ER_OK);
	ck_assert_uint_eq(seen_count, 5);
	ck_assert_str_eq(seen[0].id, "L1");
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_uint_eq(seen[1].number, 2);
	ck_assert_str_eq(seen[1].id, "L2");
	ck_assert_uint_eq(seen[1].error_count, 1);
	ck_assert_msg(strncmp(seen[1].first_error, "line 2: invalid JSON", 20) == 0, "got: %s",
		      seen[1].first_error);
	ck_assert_uint_eq(seen[2].number, 3);
	ck_assert_str_eq(seen[2].id, "L3");
	ck_assert_uint_eq(seen[2].error_count, 0);
	ck_assert_str_eq(seen[2].so2, "15");
	/* L4 lacks its closing braces; L5 on the next line is still read. */
	ck_assert_uint_eq(seen[3].number, 4);
	ck_assert_uint_eq(seen[3].error_count, 1);
	ck_assert_msg(strncmp(seen[3].first_error, "line 6: invalid JSON", 20) == 0, "got: %s",
		      seen[3].first_error);
	ck_assert_uint_eq(seen[4].number, 5);
	ck_assert_str_eq(seen[4].id, "L5");
	ck_assert_uint_eq(seen[4].error_count, 0);
}

START_TEST(json_truncated_at_end)
{
	ck_assert_int_eq(read_text("{\"id\": \"T\", \"project\": {", FACTS_JSON), ER_OK);
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_uint_eq(seen[0].error_count, 1);
	ck_assert_msg(strstr(seen[0].first_error, "ends inside") != NULL, "got: %s", seen[0].first_error);
}

START_TEST(json_unknown_keys_skipped)
{
	const char *text = "{\"extra\": {\"deep\": [1, {\"project\": {\"nature\": \"扩建\"}}]},"
			   " \"project\": {\"nature\": \"新建\", \"owner\": {\"name\": \"x\"}, \"tags\": [\"a\"]},"
			   " \"notes\": null, \"count\": 3}";

	ck_assert_int_eq(read_text(text, FACTS_JSON), ER_OK);
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_uint_eq(seen[0].nature, enum_value("project.nature", "新建"));
	/* One warning each for extra, project.owner, project.tags and count;
	 * none for a null. */
	ck_assert_uint_eq(warning_count, 4);
	ck_assert_str_eq(last_warning, "input: record 1: key \"count\" names no fact of the rule "
				       "set; it is ignored, with everything under it");
}

/* A misspelt key is warned about once per input, not once per record. */
START_TEST(json_unknown_key_warned_once)
{
	ck_assert_int_eq(read_text("{\"id\": \"A\", \"projet\": {\"nature\": \"新建\"}}\n"
				   "{\"项目编号\": \"B\", \"projet\": {\"nature\": \"扩建\"}}\n",
				   FACTS_JSON),
			 ER_OK);
	ck_assert_uint_eq(seen_count, 2);
	ck_assert_uint_eq(warning_count, 1);
	ck_assert_str_eq(last_warning, "input: record 1: key \"projet\" names no fact of the rule "
				       "set; it is ignored, with everything under it");
}

START_TEST(json_labels_and_sets)
{
	const char *text = "{\"建设性质\": \"扩建\", \"site\": {\"zones\": [\"禁煤区\", \"城市规划区\"]},"
			   " \"新增二氧化硫排放量\": \"3 吨/年\"}";
	uint64_t expected = (uint64_t)1 << enum_value("site.zones", "禁煤区") |
			    (uint64_t)1 << enum_value("site.zones", "城市规划区");

	ck_assert_int_eq(read_text(text, FACTS_JSON), ER_OK);
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_uint_eq(seen[0].nature, enum_value("project.nature", "扩建"));
	ck_assert_int_eq(seen[0].zones_present, 1);
	ck_assert_uint_eq(seen[0].zones, expected);
	ck_assert_str_eq(seen[0].so2, "3");
}

START_TEST(json_empty_set_is_known)
{
	ck_assert_int_eq(read_text("{\"site\": {\"zones\": []}}", FACTS_JSON), ER_OK);
	ck_assert_int_eq(seen[0].zones_present, 1);
	ck_assert_uint_eq(seen[0].zones, 0);
}

START_TEST(json_bad_values_reported)
{
	const char *text = "{\"id\": \"E\", \"emission\": {\"new\": {\"SO2\": \"fifty\"}},"
			   " \"project\": {\"nature\": [\"新建\"]}, \"site\": {\"zones\": {\"a\": 1}}}";

	ck_assert_int_eq(read_text(text, FACTS_JSON), ER_OK);
	ck_assert_uint_eq(seen[0].error_count, 3);
	ck_assert_str_eq(seen[0].first_field, "emission.new.SO2");
	ck_assert_str_eq(seen[0].first_error, "\"fifty\" is not a quantity in 吨/年");
}

/* Error messages that name the expected input: a boolean in quotes,
 * thousands separators, an unfilled placeholder of rulevm ask --template. */
START_TEST(json_value_hints)
{
	const char *text =
		"{\"project\": {\"water_supply_related\": \"true\"}}\n"
		"{\"emission\": {\"new\": {\"SO2\": \"1,000\"}}}\n"
		"{\"project\": {\"staff\": \"12，345\"}}\n"
		"{\"project\": {\"reuse_rate\": \"1,5\"}}\n"
		"{\"site\": {\"unit\": {\"fill_in\": \"所在环境管控单元\", \"type\": \"code\"}}}\n"
		"{\"site\": {\"unit\": {}}}\n";

	ck_assert_int_eq(read_text(text, FACTS_JSONL), ER_OK);
	ck_assert_uint_eq(seen_count, 6);
	for (size_t i = 0; i < seen_count; i++)
		ck_assert_uint_eq(seen[i].error_count, 1);
	ck_assert_str_eq(seen[0].first_error, "\"true\" is a string here, not a boolean: write true or "
					      "false without quotes, or \"是\" or \"否\"");
	ck_assert_str_eq(seen[1].first_error, "\"1,000\": thousands separators are not accepted; write "
					      "the number without them (1000, not 1,000)");
	ck_assert_str_eq(seen[2].first_error, "\"12，345\": thousands separators are not accepted; "
					      "write the number without them (1000, not 1,000)");
	ck_assert_str_eq(seen[3].first_error, "\"1,5\" is not a number");
	ck_assert_str_eq(seen[4].first_field, "site.unit");
	ck_assert_str_eq(seen[4].first_error, "\"所在环境管控单元\" was not filled in: replace the "
					      "template's {\"fill_in\": …} with a value, or delete the line");
	ck_assert_str_eq(seen[5].first_error, "expected a single value, found an object");
}
END_TEST

/* A workbook, UTF-16 text or binary data is refused as a whole, with
 * what to do instead. */
START_TEST(binary_input_refused)
{
	static const struct {
		const char *bytes;
		size_t size;
		const char *says;
	} cases[] = {
		{ "PK\3\4\24\0\6\0", 8, "input: this looks like an Excel workbook" },
		{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0", 9, "input: this looks like an Excel workbook" },
		{ "\xff\xfei\0d\0", 6, "input: this is UTF-16 text" },
		{ "id,x\n\0\1\2", 8, "input: this looks like a binary file, not CSV or JSON text "
					"(byte 5 is zero)" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		er_error err = { .status = ER_OK };

		ck_assert_int_eq(read_bytes(cases[i].bytes, cases[i].size, FACTS_AUTO, FACTS_ENC_AUTO,
					    &err),
				 ER_E_INPUT);
		ck_assert_msg(strncmp(err.message, cases[i].says, strlen(cases[i].says)) == 0,
			      "case %zu: %s", i, err.message);
		ck_assert_uint_eq(seen_count, 0);
	}
}
END_TEST

START_TEST(json_scalar_record_rejected)
{
	ck_assert_int_eq(read_text("{\"id\": \"ok\"}\n42\n{\"id\": \"next\"}\n", FACTS_JSONL), ER_OK);
	ck_assert_uint_eq(seen_count, 3);
	ck_assert_uint_eq(seen[1].error_count, 1);
	ck_assert_str_eq(seen[2].id, "next");
}

START_TEST(json_empty_input)
{
	ck_assert_int_eq(read_text("", FACTS_JSON), ER_OK);
	ck_assert_int_eq(read_text("  \n\n", FACTS_JSONL), ER_OK);
	ck_assert_uint_eq(seen_count, 0);
}

/* Totals over a large input, whose records are not kept. */
typedef struct record_totals {
	size_t delivered, broken, last_number;
	int numbers_in_order;
} record_totals;

static int count_record(er_record *record, void *context)
{
	record_totals *totals = context;

	totals->delivered++;
	totals->broken += record->error_count > 0;
	if (record->number != totals->last_number + 1)
		totals->numbers_in_order = 0;
	totals->last_number = record->number;
	return 0;
}

START_TEST(json_large_input_in_chunks)
{
	/* Enough records for several 64 KiB chunks, one of them broken. */
	size_t count = 6000, used = 0, cap = count * 80;
	char *text = malloc(cap);
	record_totals totals = { .numbers_in_order = 1 };
	facts_options options = { .format = FACTS_JSONL, .name = "big", .on_record = count_record,
				  .context = &totals };
	er_error err = { .status = ER_OK };
	FILE *in;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 1; i <= count; i++) {
		int n = i == 3000 ? snprintf(text + used, cap - used, "{\"id\": \"R%zu\", \n", i)
				  : snprintf(text + used, cap - used,
					     "{\"id\": \"R%zu\", \"project\": {\"name\": \"项目%zu\"}}\n",
					     i, i);

		used += (size_t)n;
	}
	ck_assert_uint_gt(used, 3 * 65536);
	in = fmemopen(text, used, "rb");
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(facts_read(program, in, &options, &err), ER_OK);
	fclose(in);
	free(text);
	ck_assert_uint_eq(totals.delivered, count);
	ck_assert_uint_eq(totals.broken, 1);
	ck_assert_uint_eq(totals.last_number, count);
	ck_assert_int_eq(totals.numbers_in_order, 1);
}

/* A Chinese character cut by the end of a 64 KiB read is held back and
 * joined with its rest, at each of its three possible cuts. */
START_TEST(json_character_across_read_boundary)
{
	for (size_t cut = 1; cut <= 2; cut++) {
		size_t size = 65536 + 4096, used = 0;
		char *text = malloc(size);
		record_totals totals = { .numbers_in_order = 1 };
		facts_options options = { .format = FACTS_JSONL, .name = "cut", .on_record = count_record,
					  .context = &totals };
		er_error err = { .status = ER_OK };
		const char *head = "{\"id\": \"";
		FILE *in;

		ck_assert_ptr_nonnull(text);
		/* One record whose id is padding, ending so that the 3-byte 项
		 * starts `cut` bytes before offset 65536. */
		memcpy(text, head, strlen(head));
		used = strlen(head);
		while (used < 65536 - cut)
			text[used++] = 'x';
		memcpy(text + used, "项\"}\n", strlen("项\"}\n"));
		used += strlen("项\"}\n");
		used += (size_t)snprintf(text + used, size - used, "{\"id\": \"R2\"}\n");
		in = fmemopen(text, used, "rb");
		ck_assert_ptr_nonnull(in);
		ck_assert_int_eq(facts_read(program, in, &options, &err), ER_OK);
		fclose(in);
		free(text);
		ck_assert_uint_eq(totals.delivered, 2);
		ck_assert_uint_eq(totals.broken, 0);
	}
}
END_TEST

START_TEST(csv_labels_bom_and_sets)
{
	const char *text = "\xef\xbb\xbf" "项目编号,建设性质,emission.new.SO2,所在区域,备注,项目名称\n"
			   "C1,新建,5 吨/年,禁煤区、城市规划区,x,\"焦化, \"\"一期\"\"\"\n"
			   "C2,,,,,\n"
			   "C3,拆除,2,,,\n";

	ck_assert_int_eq(read_text(text, FACTS_CSV), ER_OK);
	ck_assert_uint_eq(warning_count, 1);
	ck_assert_str_eq(last_warning,
			 "input: column \"备注\" names no fact of the rule set; it is ignored");
	ck_assert_uint_eq(seen_count, 3);
	ck_assert_str_eq(seen[0].id, "C1");
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_uint_eq(seen[0].nature, enum_value("project.nature", "新建"));
	ck_assert_str_eq(seen[0].so2, "5");
	ck_assert_uint_eq(seen[0].zones, (uint64_t)1 << enum_value("site.zones", "禁煤区") |
						 (uint64_t)1 << enum_value("site.zones", "城市规划区"));
	ck_assert_str_eq(seen[0].name, "焦化, \"一期\"");
	/* Empty cells are absent, not empty values. */
	ck_assert_int_eq(seen[1].nature_present, 0);
	ck_assert_str_eq(seen[1].so2, "");
	ck_assert_int_eq(seen[1].zones_present, 0);
	ck_assert_uint_eq(seen[2].number, 3);
	ck_assert_uint_eq(seen[2].error_count, 1);
	ck_assert_str_eq(seen[2].first_field, "建设性质");
}

/* Rows of empty cells, as Excel saves empty rows, are skipped like blank
 * lines and not counted. A row with only a surplus cell is not empty. */
START_TEST(csv_empty_rows_skipped)
{
	const char *text = "\xef\xbb\xbf" "id,project.nature,备注\r\n"
			   "X,新建,\r\n"
			   ",,\r\n"
			   " , ,\t\r\n"
			   "\r\n"
			   "Y,扩建,\r\n"
			   ",,,z\r\n";

	ck_assert_int_eq(read_text(text, FACTS_CSV), ER_OK);
	ck_assert_uint_eq(seen_count, 3);
	ck_assert_str_eq(seen[0].id, "X");
	ck_assert_str_eq(seen[1].id, "Y");
	ck_assert_uint_eq(seen[1].number, 2);
	ck_assert_uint_eq(seen[2].number, 3);
	ck_assert_uint_eq(seen[2].error_count, 1);
}
END_TEST

START_TEST(csv_auto_detected)
{
	ck_assert_int_eq(read_text("id,project.nature\nX,扩建\n", FACTS_AUTO), ER_OK);
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_str_eq(seen[0].id, "X");
}

START_TEST(csv_extra_fields_reported)
{
	ck_assert_int_eq(read_text("id,project.nature\nX,新建,surplus\n", FACTS_CSV), ER_OK);
	ck_assert_uint_eq(seen[0].error_count, 1);
	ck_assert_str_eq(seen[0].first_error, "the row has 3 fields, but the header has 2 columns");
}

START_TEST(csv_header_without_facts)
{
	er_error err = { .status = ER_OK };
	const char *text = "a,b\n1,2\n";

	ck_assert_int_eq(read_bytes(text, strlen(text), FACTS_CSV, FACTS_ENC_AUTO, &err), ER_E_INPUT);
	ck_assert_ptr_nonnull(strstr(err.message, "header row"));
	ck_assert_uint_eq(seen_count, 0);
}

/* Convert UTF-8 text to GB18030 with iconv; the caller frees the result. */
static char *to_gb18030(const char *text, size_t *size)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t in_left = strlen(text), out_left = in_left * 2 + 4;
	char *out = malloc(out_left), *in = (char *)text, *to = out;

	ck_assert_ptr_nonnull(out);
	ck_assert(cd != (iconv_t)-1);
	ck_assert(iconv(cd, &in, &in_left, &to, &out_left) != (size_t)-1);
	iconv_close(cd);
	*size = (size_t)(to - out);
	return out;
}

START_TEST(csv_gb18030_detected)
{
	size_t size;
	char *data = to_gb18030("项目编号,建设性质,项目名称\nG1,改建,阳城县焦化厂\n", &size);
	er_error err = { .status = ER_OK };

	ck_assert_int_eq(read_bytes(data, size, FACTS_CSV, FACTS_ENC_AUTO, &err), ER_OK);
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_str_eq(seen[0].id, "G1");
	ck_assert_uint_eq(seen[0].error_count, 0);
	ck_assert_uint_eq(seen[0].nature, enum_value("project.nature", "改建"));
	ck_assert_str_eq(seen[0].name, "阳城县焦化厂");
	free(data);
}

START_TEST(csv_gb18030_requested)
{
	size_t size;
	char *data = to_gb18030("id,项目名称\nG2,晋城\n", &size);
	er_error err = { .status = ER_OK };

	ck_assert_int_eq(read_bytes(data, size, FACTS_CSV, FACTS_ENC_GB18030, &err), ER_OK);
	ck_assert_str_eq(seen[0].name, "晋城");
	free(data);
}

START_TEST(csv_invalid_utf8_when_forced)
{
	size_t size;
	char *data = to_gb18030("id,项目名称\nG3,晋城\n", &size);
	er_error err = { .status = ER_OK };

	/* GB18030 bytes read as UTF-8 on request: the header is rejected. */
	ck_assert_int_eq(read_bytes(data, size, FACTS_CSV, FACTS_ENC_UTF8, &err), ER_E_INPUT);
	ck_assert_str_eq(err.message, "input: the header row is not valid UTF-8; give the file's "
				      "encoding with --encoding");
	ck_assert_uint_eq(seen_count, 0);
	free(data);
}

/* A byte that is not valid GB18030 stops the input with an error naming
 * the record it interrupts and its byte offset; the records before it
 * are delivered. */
START_TEST(gb18030_invalid_byte_names_record)
{
	size_t size;
	char *data = to_gb18030("id,项目名称\nG1,晋城\nG2,XX\n", &size);
	er_error err = { .status = ER_OK };

	/* Header 12 bytes, row 1 8 bytes, then "G2,": byte 23 is the first X. */
	ck_assert_uint_eq(size, 26);
	data[23] = '\x81';
	data[24] = ' ';
	ck_assert_int_eq(read_bytes(data, size, FACTS_CSV, FACTS_ENC_GB18030, &err), ER_E_INPUT);
	ck_assert_str_eq(err.message, "input: record 2: byte 23 is not valid GB18030; give the right "
				      "encoding with --encoding");
	ck_assert_uint_eq(seen_count, 1);
	ck_assert_str_eq(seen[0].name, "晋城");

	/* In the header row. */
	memcpy(data, "\x81 ", 2);
	ck_assert_int_eq(read_bytes(data, size, FACTS_CSV, FACTS_ENC_GB18030, &err), ER_E_INPUT);
	ck_assert_str_eq(err.message, "input: header row: byte 0 is not valid GB18030; give the right "
				      "encoding with --encoding");
	free(data);

	/* JSON Lines: the second record, at byte 18. */
	char json[] = "{\"id\":\"A\"}\n{\"id\":\"XX\"}\n";

	json[18] = '\x81';
	json[19] = ' ';
	seen_count = 0;
	ck_assert_int_eq(read_bytes(json, strlen(json), FACTS_JSONL, FACTS_ENC_GB18030, &err),
			 ER_E_INPUT);
	ck_assert_str_eq(err.message, "input: record 2: byte 18 is not valid GB18030; give the right "
				      "encoding with --encoding");
	ck_assert_uint_eq(seen_count, 1);
}
END_TEST

START_TEST(format_and_encoding_names)
{
	facts_format format;
	facts_encoding encoding;

	ck_assert_int_eq(facts_parse_format("jsonl", &format), 0);
	ck_assert_int_eq(format, FACTS_JSONL);
	ck_assert_int_eq(facts_parse_format("xml", &format), -1);
	ck_assert_int_eq(facts_parse_encoding("GBK", &encoding), 0);
	ck_assert_int_eq(encoding, FACTS_ENC_GB18030);
	ck_assert_int_eq(facts_parse_encoding("latin1", &encoding), -1);
}

static int stop_after_first(er_record *record, void *context)
{
	(void)record;
	++*(int *)context;
	return 1;
}

START_TEST(callback_stops_reader)
{
	const char *text = "{\"id\": 1}\n{\"id\": 2}\n";
	int calls = 0;
	FILE *in = fmemopen((void *)text, strlen(text), "rb");
	facts_options options = { .format = FACTS_JSONL, .on_record = stop_after_first,
				  .context = &calls };
	er_error err = { .status = ER_OK };

	ck_assert_int_eq(facts_read(program, in, &options, &err), ER_OK);
	ck_assert_int_eq(calls, 1);
	fclose(in);
}

/* A copy keeps its values, strings and errors when the original is
 * reset and filled with another record, as the batches of --jobs need. */
START_TEST(record_copy_independent)
{
	er_record *from = er_record_new(program);
	er_record *to = er_record_new(program);
	uint32_t name = fact("project.name"), industry = fact("project.industry");
	uint32_t so2 = fact("emission.new.SO2");
	char text[ER_DEC_TEXT_MAX];

	ck_assert_ptr_nonnull(from);
	ck_assert_ptr_nonnull(to);
	from->number = 7;
	snprintf(from->id, sizeof from->id, "R7");
	ck_assert_int_eq(er_record_set_text(from, name, "name", "焦化厂扩建", strlen("焦化厂扩建"), 1), ER_OK);
	ck_assert_int_eq(er_record_set_text(from, industry, "industry", "C2521", 5, 1), ER_OK);
	ck_assert_int_eq(er_record_set_text(from, so2, "so2", "12.5", 4, 0), ER_OK);
	ck_assert_int_eq(er_record_set_text(from, fact("project.staff"), "staff", "many", 4, 1),
			 ER_E_INPUT);
	ck_assert_int_eq(er_record_copy(to, from), ER_OK);

	er_record_reset(from);
	ck_assert_int_eq(er_record_set_text(from, name, "name", "another project, longer name",
					    strlen("another project, longer name"), 1), ER_OK);

	ck_assert_uint_eq(to->number, 7);
	ck_assert_str_eq(to->id, "R7");
	ck_assert_int_eq(to->present[name], 1);
	ck_assert_int_eq(to->slots[name].as.str.len, strlen("焦化厂扩建"));
	ck_assert_int_eq(memcmp(to->slots[name].as.str.ptr, "焦化厂扩建", strlen("焦化厂扩建")), 0);
	ck_assert_int_eq(memcmp(to->slots[industry].as.str.ptr, "2521", 4), 0);
	er_dec_format(to->slots[so2].as.dec, text);
	ck_assert_str_eq(text, "12.5");
	ck_assert_uint_eq(to->error_count, 1);
	ck_assert_str_eq(to->errors[0].field, "staff");
	er_record_free(from);
	er_record_free(to);
}
END_TEST

/* Keys are compared by their whole length: a key with a NUL inside
 * (JSON "\u0000") is neither another key's twin nor read past the end
 * of a shorter one. Found by fuzz_facts_json. */
START_TEST(warned_keys_with_nul)
{
	facts_warned warned = { 0 };

	ck_assert_int_eq(facts_warned_add(&warned, "project.unit", 12), 1);
	ck_assert_int_eq(facts_warned_add(&warned, "project.unit\0x14059910t", 24), 1);
	ck_assert_int_eq(facts_warned_add(&warned, "project.unit\0x14059910t", 24), 0);
	ck_assert_int_eq(facts_warned_add(&warned, "project.unit", 12), 0);
	ck_assert_int_eq(facts_warned_add(&warned, "project", 7), 1);
	ck_assert_uint_eq(warned.count, 3);
	facts_warned_free(&warned);
}
END_TEST

static Suite *facts_suite(void)
{
	Suite *suite = suite_create("facts");
	TCase *json = tcase_create("json");
	TCase *csv = tcase_create("csv");

	tcase_add_checked_fixture(json, setup, teardown);
	tcase_add_test(json, json_single_object);
	tcase_add_test(json, json_array_of_objects);
	tcase_add_test(json, jsonl_broken_line_in_middle);
	tcase_add_test(json, json_truncated_at_end);
	tcase_add_test(json, json_unknown_keys_skipped);
	tcase_add_test(json, json_unknown_key_warned_once);
	tcase_add_test(json, warned_keys_with_nul);
	tcase_add_test(json, json_value_hints);
	tcase_add_test(json, binary_input_refused);
	tcase_add_test(json, json_labels_and_sets);
	tcase_add_test(json, json_empty_set_is_known);
	tcase_add_test(json, json_bad_values_reported);
	tcase_add_test(json, json_scalar_record_rejected);
	tcase_add_test(json, json_empty_input);
	tcase_add_test(json, json_large_input_in_chunks);
	tcase_add_test(json, json_character_across_read_boundary);
	tcase_add_test(json, callback_stops_reader);
	suite_add_tcase(suite, json);

	tcase_add_checked_fixture(csv, setup, teardown);
	tcase_add_test(csv, csv_labels_bom_and_sets);
	tcase_add_test(csv, csv_empty_rows_skipped);
	tcase_add_test(csv, csv_auto_detected);
	tcase_add_test(csv, csv_extra_fields_reported);
	tcase_add_test(csv, csv_header_without_facts);
	tcase_add_test(csv, csv_gb18030_detected);
	tcase_add_test(csv, csv_gb18030_requested);
	tcase_add_test(csv, csv_invalid_utf8_when_forced);
	tcase_add_test(csv, format_and_encoding_names);
	tcase_add_test(csv, record_copy_independent);
	tcase_add_test(csv, gb18030_invalid_byte_names_record);
	suite_add_tcase(suite, csv);
	return suite;
}

int main(void)
{
	SRunner *runner;
	int failed;

	if (test_compile_rules(RULES, bytecode_path) != 0) {
		fprintf(stderr, "test_facts: compiling %s failed\n", RULES);
		unlink(bytecode_path);
		printf("0%%: Checks: 1, Failures: 1, Errors: 0\n");
		return EXIT_FAILURE;
	}
	runner = srunner_create(facts_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	unlink(bytecode_path);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
