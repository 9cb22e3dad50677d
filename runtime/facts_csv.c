/* CSV fact reader on libcsv: a header row of fact paths or labels, then
 * one project per row. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "bytecode.h"
#include "facts.h"
#include "i18n.h"

#define CSV_CHUNK_SIZE 65536

/* What a header cell names. */
typedef struct csv_column {
	uint32_t fact;   /* BC_NONE: no fact */
	int is_id;       /* the "id" or "项目编号" column */
	char *name;      /* the header as written */
} csv_column;

typedef struct csv_reader {
	const er_program *program;
	const facts_options *options;
	er_record *record;
	int is_gb18030;
	er_status status;
	int stopped;

	csv_column *columns;
	size_t column_count, column_cap;
	int in_header;
	size_t cell;       /* index of the next cell in the row */
	char failure[512]; /* why the input as a whole cannot be read */
	size_t number;     /* data rows so far */
	int row_filled;    /* a cell of the current row is not empty */
} csv_reader;

static void csv_trim(const char **text, size_t *len)
{
	while (*len > 0 && ((*text)[0] == ' ' || (*text)[0] == '\t')) {
		(*text)++;
		(*len)--;
	}
	while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t' ||
			    (*text)[*len - 1] == '\r'))
		(*len)--;
}

static void csv_warn(csv_reader *reader, const char *format, ...)
{
	char message[512];
	va_list ap;

	if (reader->options->on_warning == NULL)
		return;
	va_start(ap, format);
	vsnprintf(message, sizeof message, format, ap);
	va_end(ap);
	reader->options->on_warning(message, reader->options->context);
}

static void csv_record_error(csv_reader *reader, const char *field, const char *format, ...)
{
	char message[sizeof reader->record->errors[0].message];
	va_list ap;

	va_start(ap, format);
	vsnprintf(message, sizeof message, format, ap);
	va_end(ap);
	er_record_add_error(reader->record, BC_NONE, field, message);
}

static void csv_header_cell(csv_reader *reader, const char *text, size_t len)
{
	csv_column *column;

	if (reader->column_count == reader->column_cap) {
		size_t cap = reader->column_cap != 0 ? reader->column_cap * 2 : 16;
		csv_column *grown = realloc(reader->columns, cap * sizeof *grown);

		if (grown == NULL) {
			reader->status = ER_E_NOMEM;
			return;
		}
		reader->columns = grown;
		reader->column_cap = cap;
	}
	csv_trim(&text, &len);
	if (!reader->is_gb18030 && !facts_utf8_valid(text, len)) {
		snprintf(reader->failure, sizeof reader->failure,
			 _("%s: the header row is not valid UTF-8; give the file's encoding with "
			   "--encoding"),
			 reader->options->name != NULL ? reader->options->name : "-");
		reader->status = ER_E_INPUT;
		return;
	}
	column = &reader->columns[reader->column_count];
	column->name = malloc(len + 1);
	if (column->name == NULL) {
		reader->status = ER_E_NOMEM;
		return;
	}
	reader->column_count++;
	memcpy(column->name, text, len);
	column->name[len] = '\0';
	column->is_id = strcmp(column->name, "id") == 0 || strcmp(column->name, "项目编号") == 0;
	column->fact = er_program_find_fact(reader->program, text, len);
	if (column->fact == BC_NONE && !column->is_id && len > 0)
		csv_warn(reader, _("%s: column \"%s\" names no fact of the rule set; it is ignored"),
			 reader->options->name != NULL ? reader->options->name : "-", column->name);
}

static void csv_start_row(csv_reader *reader)
{
	er_record_reset(reader->record);
	reader->number++;
	reader->record->number = reader->number;
	snprintf(reader->record->id, sizeof reader->record->id, "%zu", reader->number);
}

static void csv_data_cell(csv_reader *reader, const char *text, size_t len)
{
	const csv_column *column;
	size_t index = reader->cell;

	if (index == 0)
		csv_start_row(reader);
	csv_trim(&text, &len);
	if (len > 0)
		reader->row_filled = 1;
	if (index >= reader->column_count)
		return;
	column = &reader->columns[index];
	if (len == 0 || (column->fact == BC_NONE && !column->is_id))
		return;
	if (!reader->is_gb18030 && !facts_utf8_valid(text, len)) {
		csv_record_error(reader, column->name,
				 _("the value is not valid UTF-8; give the file's encoding with "
				   "--encoding"));
		return;
	}
	if (column->is_id) {
		size_t n = len < sizeof reader->record->id - 1 ? len : sizeof reader->record->id - 1;

		while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(reader->record->id, text, n);
		reader->record->id[n] = '\0';
	}
	if (column->fact != BC_NONE &&
	    er_record_set_text(reader->record, column->fact, column->name, text, len, 0) == ER_E_NOMEM)
		reader->status = ER_E_NOMEM;
}

/* Stop on a field of at least `len` bytes when that passes
 * FACTS_MAX_FIELD_BYTES. Returns 1 when it does. */
static int csv_field_too_long(csv_reader *reader, size_t len)
{
	const char *name = reader->options->name != NULL ? reader->options->name : "-";

	if (len <= FACTS_MAX_FIELD_BYTES)
		return 0;
	if (reader->in_header)
		snprintf(reader->failure, sizeof reader->failure,
			 _("%s: a field of the header row is at least %zu bytes long; the limit is %u bytes"),
			 name, len, FACTS_MAX_FIELD_BYTES);
	else
		snprintf(reader->failure, sizeof reader->failure,
			 _("%s: record %zu: a field is at least %zu bytes long; the limit is %u bytes"),
			 name, reader->number + (reader->cell == 0), len, FACTS_MAX_FIELD_BYTES);
	reader->status = ER_E_INPUT;
	return 1;
}

static void csv_on_cell(void *data, size_t len, void *context)
{
	csv_reader *reader = context;
	const char *text = data != NULL ? data : "";

	if (reader->stopped || reader->status != ER_OK || csv_field_too_long(reader, len))
		return;
	if (reader->in_header)
		csv_header_cell(reader, text, len);
	else
		csv_data_cell(reader, text, len);
	reader->cell++;
}

static void csv_on_row(int terminator, void *context)
{
	csv_reader *reader = context;
	size_t cells = reader->cell;

	reader->cell = 0;
	if (reader->stopped || reader->status != ER_OK)
		return;
	if (reader->in_header) {
		size_t known = 0;

		reader->in_header = 0;
		for (size_t i = 0; i < reader->column_count; i++)
			known += reader->columns[i].fact != BC_NONE || reader->columns[i].is_id;
		if (known == 0)
			reader->status = ER_E_INPUT;
		return;
	}
	if (cells == 0)
		return;
	/* A row of empty cells (",,,," as spreadsheets save their empty
	 * rows) is skipped like a blank line and does not count. */
	if (!reader->row_filled) {
		reader->number--;
		return;
	}
	reader->row_filled = 0;
	if (cells > reader->column_count)
		csv_record_error(reader, "",
				 _("the row has %zu fields, but the header has %zu columns"),
				 cells, reader->column_count);
	if (reader->options->on_record(reader->record, reader->options->context) != 0)
		reader->stopped = 1;
}

er_status facts_read_csv(const er_program *program, facts_input *input,
			 const facts_options *options, er_error *err)
{
	csv_reader reader = { .program = program, .options = options, .status = ER_OK,
			      .in_header = 1 };
	struct csv_parser parser;
	int parser_ready = 0;
	char *chunk = malloc(CSV_CHUNK_SIZE);
	er_status status = ER_OK;
	const char *name = options->name != NULL ? options->name : "-";

	reader.record = er_record_new(program);
	if (chunk == NULL || reader.record == NULL || csv_init(&parser, 0) != 0) {
		status = ER_E_NOMEM;
		goto out;
	}
	parser_ready = 1;

	for (;;) {
		size_t len = facts_input_read(input, chunk, CSV_CHUNK_SIZE, err);

		if (len == (size_t)-1) {
			/* A row's number counts from its first complete cell. */
			facts_input_name_record(input, reader.in_header ? 0
						: reader.number + (reader.cell == 0), err);
			status = err != NULL ? err->status : ER_E_IO;
			goto out;
		}
		reader.is_gb18030 = facts_input_is_gb18030(input);
		if (len == 0) {
			csv_fini(&parser, csv_on_cell, csv_on_row, &reader);
			break;
		}
		if (csv_parse(&parser, chunk, len, csv_on_cell, csv_on_row, &reader) != len &&
		    csv_error(&parser) == CSV_ENOMEM)
			reader.status = ER_E_NOMEM;
		/* libcsv keeps an unfinished field in its buffer until it ends. */
		if (reader.status == ER_OK)
			csv_field_too_long(&reader, parser.entry_pos);
		if (reader.status != ER_OK || reader.stopped)
			break;
	}
	status = reader.status;
	if (status == ER_E_INPUT && err != NULL && reader.failure[0] != '\0') {
		err->status = ER_E_INPUT;
		snprintf(err->message, sizeof err->message, "%s", reader.failure);
	} else if (status == ER_E_INPUT && err != NULL) {
		err->status = ER_E_INPUT;
		snprintf(err->message, sizeof err->message,
			 _("%s: no column of the header row names a fact of the rule set; the first "
			   "row must hold fact paths or labels"),
			 name);
	}

out:
	if (status == ER_E_NOMEM && err != NULL) {
		err->status = ER_E_NOMEM;
		snprintf(err->message, sizeof err->message, "%s: %s", name, _("out of memory"));
	}
	if (parser_ready)
		csv_free(&parser);
	for (size_t i = 0; i < reader.column_count; i++)
		free(reader.columns[i].name);
	free(reader.columns);
	er_record_free(reader.record);
	free(chunk);
	return status;
}
