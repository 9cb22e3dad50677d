/* JSON and JSON Lines fact reader on yajl's event parser: each value goes
 * straight into its fact slot, keys no fact uses are skipped with their
 * subtrees, and no document tree is built. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "bytecode.h"
#include "facts.h"
#include "i18n.h"

#define JSON_CHUNK_SIZE 65536

/* One open map or array on the way from the top level to the current
 * value. */
typedef struct json_frame {
	int is_map;
	size_t path_len;  /* length of the dotted path of the container */
	uint32_t set_fact; /* arrays: the set fact their items go to, or BC_NONE */
} json_frame;

/* A fact path prefix ("emission" of "emission.new.SO2"): the keys whose
 * objects the reader descends into. */
typedef struct json_prefix {
	const char *text;
	size_t len;
} json_prefix;

typedef struct json_reader {
	const er_program *program;
	const facts_options *options;
	er_record *record;
	yajl_handle parser;
	er_status status;     /* ER_E_NOMEM once allocation failed */
	int stopped;          /* the callback asked to stop */

	json_prefix *prefixes; /* open-addressing hash set */
	size_t prefix_cap;

	char *path;           /* dotted path of the current key */
	size_t path_len, path_cap;
	json_frame *frames;
	size_t depth, frame_cap;
	size_t skip_depth;    /* > 0: inside a skipped subtree */
	size_t record_depth;  /* depth of the current record's object, 0: none */
	int top_array;        /* the top-level value is an array of records */
	size_t number;        /* records started so far */
	facts_warned unknown; /* keys warned about as naming no fact */
	uint32_t object_fact; /* a fact given an object, until its first key */

	/* Line numbers: the current chunk, and a cursor of counted newlines. */
	const char *chunk;
	size_t chunk_len;
	size_t chunk_line;    /* line of chunk[0], 1-based */
	size_t scan_pos, scan_line;
	size_t record_line;   /* line where the current or last record began */
	size_t feed_base;     /* offset in chunk of the text given to yajl */
	size_t chunk_start;   /* offset of chunk[0] in the decoded input */
	size_t record_start;  /* offset of the current record's '{' */
	int chunk_at_line;    /* chunk[0] begins a line */
	int piece;            /* reading a piece: ids wait for the record numbers */
	char failure[512];    /* why reading stopped with ER_E_INPUT */
} json_reader;

static uint64_t json_hash(const char *text, size_t len)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211u;
	}
	return h;
}

static int json_prefix_slot(const json_reader *reader, const char *text, size_t len, size_t *slot)
{
	size_t i = (size_t)json_hash(text, len) & (reader->prefix_cap - 1);

	while (reader->prefixes[i].text != NULL) {
		if (reader->prefixes[i].len == len && memcmp(reader->prefixes[i].text, text, len) == 0) {
			*slot = i;
			return 1;
		}
		i = (i + 1) & (reader->prefix_cap - 1);
	}
	*slot = i;
	return 0;
}

static int json_is_prefix(const json_reader *reader, const char *text, size_t len)
{
	size_t slot;

	return json_prefix_slot(reader, text, len, &slot);
}

/* Collect every proper prefix of every fact path that ends before a '.'. */
static er_status json_build_prefixes(json_reader *reader)
{
	size_t count = er_program_fact_count(reader->program);
	size_t dots = 0;

	for (size_t i = 0; i < count; i++)
		for (const char *p = er_program_fact(reader->program, i)->path; *p != '\0'; p++)
			dots += *p == '.';
	reader->prefix_cap = 16;
	while (reader->prefix_cap < dots * 2 + 2)
		reader->prefix_cap *= 2;
	reader->prefixes = calloc(reader->prefix_cap, sizeof *reader->prefixes);
	if (reader->prefixes == NULL)
		return ER_E_NOMEM;
	for (size_t i = 0; i < count; i++) {
		const char *path = er_program_fact(reader->program, i)->path;

		for (const char *p = path; *p != '\0'; p++) {
			size_t slot;

			if (*p == '.' && !json_prefix_slot(reader, path, (size_t)(p - path), &slot)) {
				reader->prefixes[slot].text = path;
				reader->prefixes[slot].len = (size_t)(p - path);
			}
		}
	}
	return ER_OK;
}

/* Line of byte `offset` of the current chunk. */
static size_t json_line_at(json_reader *reader, size_t offset)
{
	if (offset > reader->chunk_len)
		offset = reader->chunk_len;
	while (reader->scan_pos < offset) {
		const char *nl = memchr(reader->chunk + reader->scan_pos, '\n', offset - reader->scan_pos);

		if (nl == NULL) {
			reader->scan_pos = offset;
			break;
		}
		reader->scan_pos = (size_t)(nl - reader->chunk) + 1;
		reader->scan_line++;
	}
	if (offset < reader->scan_pos) {
		size_t line = reader->scan_line;

		for (size_t i = offset; i < reader->scan_pos; i++)
			line -= reader->chunk[i] == '\n';
		return line;
	}
	return reader->scan_line;
}

/* Offset in the current chunk of the last token yajl consumed. */
static size_t json_token_offset(json_reader *reader)
{
	size_t consumed = yajl_get_bytes_consumed(reader->parser);

	return reader->feed_base + (consumed > 0 ? consumed - 1 : 0);
}

/* Offset of the token yajl rejected. yajl may stop before or after it,
 * so skip white space from the last consumed byte. */
static size_t json_error_offset(json_reader *reader)
{
	size_t offset = json_token_offset(reader);

	while (offset + 1 < reader->chunk_len &&
	       (reader->chunk[offset] == ' ' || reader->chunk[offset] == '\t' ||
		reader->chunk[offset] == '\r' || reader->chunk[offset] == '\n'))
		offset++;
	return offset;
}

static int json_fail_nomem(json_reader *reader)
{
	reader->status = ER_E_NOMEM;
	return 0;
}

/* Stop on a map or array that opens past FACTS_MAX_JSON_DEPTH levels;
 * skipped subtrees count too, since yajl keeps a stack for them. */
static int json_too_deep(json_reader *reader)
{
	if (reader->depth + reader->skip_depth < FACTS_MAX_JSON_DEPTH)
		return 0;
	snprintf(reader->failure, sizeof reader->failure,
		 _("%s: line %zu: arrays and objects nest more than %d levels deep, the limit"),
		 reader->options->name != NULL ? reader->options->name : "-",
		 json_line_at(reader, json_token_offset(reader)), FACTS_MAX_JSON_DEPTH);
	reader->status = ER_E_INPUT;
	return 1;
}

/* Stop when the record being read has grown past FACTS_MAX_RECORD_BYTES
 * by chunk offset `end`. yajl buffers a string or number until it ends,
 * so the check runs after every chunk as well as at the record's end.
 * Returns 1 when the limit is exceeded. */
static int json_record_too_large(json_reader *reader, size_t end)
{
	size_t read = reader->chunk_start + end - reader->record_start;

	if (reader->record_depth == 0 || read <= FACTS_MAX_RECORD_BYTES)
		return 0;
	snprintf(reader->failure, sizeof reader->failure,
		 _("%s: line %zu: record %zu is larger than %u bytes, the limit for one record"),
		 reader->options->name != NULL ? reader->options->name : "-", reader->record_line,
		 reader->number, FACTS_MAX_RECORD_BYTES);
	reader->status = ER_E_INPUT;
	return 1;
}

static int json_push(json_reader *reader, int is_map, uint32_t set_fact)
{
	json_frame *frame;

	if (reader->depth == reader->frame_cap) {
		size_t cap = reader->frame_cap != 0 ? reader->frame_cap * 2 : 16;
		json_frame *grown = realloc(reader->frames, cap * sizeof *grown);

		if (grown == NULL)
			return 0;
		reader->frames = grown;
		reader->frame_cap = cap;
	}
	frame = &reader->frames[reader->depth++];
	frame->is_map = is_map;
	frame->path_len = reader->path_len;
	frame->set_fact = set_fact;
	return 1;
}

/* Start the next record: reset it and number it. A piece's records get
 * FACTS_ID_UNNUMBERED as their id until the caller knows their numbers. */
static void json_number_record(json_reader *reader)
{
	er_record_reset(reader->record);
	reader->number++;
	reader->record->number = reader->number;
	if (reader->piece)
		snprintf(reader->record->id, sizeof reader->record->id, "%s", FACTS_ID_UNNUMBERED);
	else
		snprintf(reader->record->id, sizeof reader->record->id, "%zu", reader->number);
}

static void json_start_record(json_reader *reader)
{
	json_number_record(reader);
	reader->record_depth = reader->depth + 1;
	reader->record_line = json_line_at(reader, json_token_offset(reader));
	reader->record_start = reader->chunk_start + json_token_offset(reader);
	reader->path_len = 0;
}

/* Hand the finished record to the caller. Returns 0 when the caller asked
 * to stop. */
static int json_deliver(json_reader *reader)
{
	reader->record_depth = 0;
	if (reader->options->on_record(reader->record, reader->options->context) != 0) {
		reader->stopped = 1;
		return 0;
	}
	return 1;
}

/* Add a record error from a printf format; the field is the current path. */
static void json_record_error(json_reader *reader, uint32_t fact, const char *format, ...)
{
	char message[sizeof reader->record->errors[0].message];
	va_list ap;

	va_start(ap, format);
	vsnprintf(message, sizeof message, format, ap);
	va_end(ap);
	er_record_add_error(reader->record, fact, reader->path, message);
}

/* The fact the current path names, or BC_NONE. */
static uint32_t json_current_fact(json_reader *reader)
{
	return er_program_find_fact(reader->program, reader->path, reader->path_len);
}

void facts_unknown_key_message(char *buf, size_t size, const char *input, size_t record,
			       const char *key)
{
	snprintf(buf, size,
		 _("%s: record %zu: key \"%s\" names no fact of the rule set; it is ignored, with "
		   "everything under it"),
		 input != NULL ? input : "-", record, key);
}

/* Warn once per input about the current key, which names no fact. Called
 * only after the fact lookup missed, so known keys cost nothing. */
static int json_unknown_key(json_reader *reader)
{
	const facts_options *options = reader->options;
	char message[512];
	int added;

	if (options->on_warning == NULL && options->on_unknown_key == NULL)
		return 1;
	added = facts_warned_add(&reader->unknown, reader->path, reader->path_len);
	if (added < 0)
		return json_fail_nomem(reader);
	if (added == 0)
		return 1;
	if (options->on_unknown_key != NULL) {
		options->on_unknown_key(reader->path, reader->number, options->context);
		return 1;
	}
	facts_unknown_key_message(message, sizeof message, options->name, reader->number,
				  reader->path);
	options->on_warning(message, options->context);
	return 1;
}

/* Bind one scalar at the current position. `text` is NULL for null. */
static int json_scalar(json_reader *reader, const char *text, size_t len, int is_string)
{
	json_frame *frame;

	if (reader->skip_depth > 0)
		return 1;
	if (reader->record_depth == 0) {
		/* A scalar where a record should start. */
		size_t saved = reader->path_len;

		json_number_record(reader);
		reader->record_line = json_line_at(reader, json_token_offset(reader));
		reader->path_len = 0;
		reader->path[0] = '\0';
		json_record_error(reader, BC_NONE, _("line %zu: expected an object for a project, "
						     "found a single value"),
				  reader->record_line);
		reader->path_len = saved;
		return json_deliver(reader);
	}
	if (text == NULL)
		return 1;
	frame = &reader->frames[reader->depth - 1];
	if (!frame->is_map) {
		er_status status = er_record_add_to_set(reader->record, frame->set_fact, reader->path,
							text, len);

		return status == ER_E_NOMEM ? json_fail_nomem(reader) : 1;
	}

	int is_id = reader->depth == reader->record_depth &&
		    ((reader->path_len == 2 && memcmp(reader->path, "id", 2) == 0) ||
		     (reader->path_len == strlen("项目编号") &&
		      memcmp(reader->path, "项目编号", reader->path_len) == 0));

	if (is_id) {
		size_t n = len < sizeof reader->record->id - 1 ? len : sizeof reader->record->id - 1;

		while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(reader->record->id, text, n);
		reader->record->id[n] = '\0';
	}

	uint32_t fact = json_current_fact(reader);

	if (fact == BC_NONE && !is_id)
		return json_unknown_key(reader);
	if (fact != BC_NONE &&
	    er_record_set_text(reader->record, fact, reader->path, text, len, is_string) == ER_E_NOMEM)
		return json_fail_nomem(reader);
	return 1;
}

static int json_on_null(void *context)
{
	return json_scalar(context, NULL, 0, 0);
}

static int json_on_boolean(void *context, int value)
{
	return value ? json_scalar(context, "true", 4, 0) : json_scalar(context, "false", 5, 0);
}

static int json_on_number(void *context, const char *text, size_t len)
{
	return json_scalar(context, text, len, 0);
}

static int json_on_string(void *context, const unsigned char *text, size_t len)
{
	return json_scalar(context, (const char *)text, len, 1);
}

/* The error of a fact given an object whose first key is `key`: an
 * unfilled placeholder of `rulevm ask --template`, or another object. */
static void json_object_error(json_reader *reader, const char *key, size_t len)
{
	uint32_t fact = reader->object_fact;
	const er_fact_info *info = er_program_fact(reader->program, fact);
	const char *name = info->label != NULL && info->label[0] != '\0' ? info->label : info->path;

	reader->object_fact = BC_NONE;
	if (len == strlen("fill_in") && memcmp(key, "fill_in", len) == 0)
		json_record_error(reader, fact,
				  _("\"%s\" was not filled in: replace the template's {\"fill_in\": …} "
				    "with a value, or delete the line"),
				  name);
	else
		json_record_error(reader, fact, _("expected a single value, found an object"));
}

static int json_on_start_map(void *context)
{
	json_reader *reader = context;

	if (json_too_deep(reader))
		return 0;
	if (reader->skip_depth > 0) {
		reader->skip_depth++;
		return 1;
	}
	if (reader->record_depth == 0) {
		if (reader->depth == 0 || (reader->depth == 1 && reader->top_array)) {
			json_start_record(reader);
			return json_push(reader, 1, BC_NONE) ? 1 : json_fail_nomem(reader);
		}
		reader->skip_depth = 1;
		return 1;
	}
	if (!reader->frames[reader->depth - 1].is_map ||
	    !json_is_prefix(reader, reader->path, reader->path_len)) {
		uint32_t fact = reader->frames[reader->depth - 1].is_map ? json_current_fact(reader)
									 : BC_NONE;

		reader->skip_depth = 1;
		/* Reported at its first key, which distinguishes a template's
		 * placeholder from other objects. */
		reader->object_fact = fact;
		if (fact == BC_NONE && reader->frames[reader->depth - 1].is_map)
			return json_unknown_key(reader);
		return 1;
	}
	return json_push(reader, 1, BC_NONE) ? 1 : json_fail_nomem(reader);
}

static int json_on_map_key(void *context, const unsigned char *key, size_t len)
{
	json_reader *reader = context;
	size_t base, need;

	if (reader->skip_depth == 1 && reader->object_fact != BC_NONE)
		json_object_error(reader, (const char *)key, len);
	if (reader->skip_depth > 0)
		return 1;
	base = reader->frames[reader->depth - 1].path_len;
	need = base + 1 + len + 1;
	if (need > reader->path_cap) {
		size_t cap = reader->path_cap * 2;
		char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(reader->path, cap);
		if (grown == NULL)
			return json_fail_nomem(reader);
		reader->path = grown;
		reader->path_cap = cap;
	}
	reader->path_len = base;
	if (reader->depth > reader->record_depth)
		reader->path[reader->path_len++] = '.';
	memcpy(reader->path + reader->path_len, key, len);
	reader->path_len += len;
	reader->path[reader->path_len] = '\0';
	return 1;
}

static int json_on_end_map(void *context)
{
	json_reader *reader = context;

	if (reader->skip_depth == 1 && reader->object_fact != BC_NONE)
		json_object_error(reader, "", 0);
	if (reader->skip_depth > 0) {
		reader->skip_depth--;
		return 1;
	}
	reader->depth--;
	reader->path_len = reader->frames[reader->depth].path_len;
	reader->path[reader->path_len] = '\0';
	if (reader->record_depth != 0 && reader->depth == reader->record_depth - 1) {
		if (json_record_too_large(reader, json_token_offset(reader) + 1))
			return 0;
		return json_deliver(reader);
	}
	return 1;
}

static int json_on_start_array(void *context)
{
	json_reader *reader = context;
	uint32_t fact;

	if (json_too_deep(reader))
		return 0;
	if (reader->skip_depth > 0) {
		reader->skip_depth++;
		return 1;
	}
	if (reader->record_depth == 0) {
		if (reader->depth == 0) {
			reader->top_array = 1;
			return json_push(reader, 0, BC_NONE) ? 1 : json_fail_nomem(reader);
		}
		reader->skip_depth = 1;
		return 1;
	}
	fact = reader->frames[reader->depth - 1].is_map ? json_current_fact(reader) : BC_NONE;
	if (fact == BC_NONE) {
		reader->skip_depth = 1;
		return reader->frames[reader->depth - 1].is_map ? json_unknown_key(reader) : 1;
	}
	if (er_program_fact(reader->program, fact)->type != ER_FT_SET) {
		json_record_error(reader, fact, _("expected a single value, found a list"));
		reader->skip_depth = 1;
		return 1;
	}
	/* An empty list is the empty set, which is a known value. */
	if (er_record_set_text(reader->record, fact, reader->path, "", 0, 1) == ER_E_NOMEM)
		return json_fail_nomem(reader);
	return json_push(reader, 0, fact) ? 1 : json_fail_nomem(reader);
}

static int json_on_end_array(void *context)
{
	json_reader *reader = context;

	if (reader->skip_depth > 0) {
		reader->skip_depth--;
		return 1;
	}
	reader->depth--;
	if (reader->depth == 0)
		reader->top_array = 0;
	return 1;
}

static const yajl_callbacks json_callbacks = {
	.yajl_null = json_on_null,
	.yajl_boolean = json_on_boolean,
	.yajl_number = json_on_number,
	.yajl_string = json_on_string,
	.yajl_start_map = json_on_start_map,
	.yajl_map_key = json_on_map_key,
	.yajl_end_map = json_on_end_map,
	.yajl_start_array = json_on_start_array,
	.yajl_end_array = json_on_end_array,
};

static int json_new_parser(json_reader *reader)
{
	if (reader->parser != NULL)
		yajl_free(reader->parser);
	reader->parser = yajl_alloc(&json_callbacks, NULL, reader);
	if (reader->parser == NULL)
		return 0;
	yajl_config(reader->parser, yajl_allow_multiple_values, 1);
	reader->depth = 0;
	reader->skip_depth = 0;
	reader->object_fact = BC_NONE;
	reader->record_depth = 0;
	reader->top_array = 0;
	reader->path_len = 0;
	reader->path[0] = '\0';
	return 1;
}

/* Report malformed JSON at chunk offset `offset`, in the record being read
 * or in a record of its own, and deliver that record. */
static int json_report_syntax(json_reader *reader, size_t offset, int at_end)
{
	unsigned char *detail = yajl_get_error(reader->parser, 0, NULL, 0);
	char reason[160] = "";
	size_t line = json_line_at(reader, offset);

	if (detail != NULL) {
		const char *text = (const char *)detail;

		/* yajl writes "parse error: REASON\n" or "lexical error: …". */
		snprintf(reason, sizeof reason, "%s", text);
		reason[strcspn(reason, "\n")] = '\0';
		yajl_free_error(reader->parser, detail);
	}
	if (reader->record_depth == 0) {
		json_number_record(reader);
		reader->record_line = line;
	} else if (at_end) {
		line = reader->record_line;
	}
	if (at_end)
		json_record_error(reader, BC_NONE, _("line %zu: invalid JSON, the input ends inside "
						     "the record that starts here (%s)"),
				  line, reason);
	else if (line != reader->record_line)
		json_record_error(reader, BC_NONE,
				  _("line %zu: invalid JSON in the record that starts on line %zu (%s)"),
				  line, reader->record_line, reason);
	else
		json_record_error(reader, BC_NONE, _("line %zu: invalid JSON (%s)"), line, reason);
	reader->path_len = 0;
	reader->record->errors[reader->record->error_count - 1].field[0] = '\0';
	return json_deliver(reader);
}

/* Resynchronising: the states while looking for a line that starts a new
 * object. */
enum { JSON_SYNCED = 0, JSON_SEEK_NEWLINE, JSON_SEEK_BRACE };

/* Scan from `from` for the start of the next line whose first character
 * other than blanks is '{'. Returns its offset, or chunk_len when the
 * chunk ends first (the state carries over). */
static size_t json_resync(json_reader *reader, size_t from, int *state)
{
	size_t i = from;

	while (i < reader->chunk_len) {
		char c = reader->chunk[i];

		if (*state == JSON_SEEK_NEWLINE) {
			if (c == '\n')
				*state = JSON_SEEK_BRACE;
			i++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			i++;
		} else if (c == '{') {
			*state = JSON_SYNCED;
			return i;
		} else {
			*state = c == '\n' ? JSON_SEEK_BRACE : JSON_SEEK_NEWLINE;
			i++;
		}
	}
	return i;
}

/* Choose the offset to resume at after a syntax error at `offset`: the
 * start of that line when it begins a new object after the record that
 * broke, else the next line that does. */
static void json_after_error(json_reader *reader, size_t offset, size_t *resume, int *state)
{
	size_t line = json_line_at(reader, offset);
	size_t start = offset;

	while (start > 0 && reader->chunk[start - 1] != '\n')
		start--;
	if (line > reader->record_line && (start > 0 || reader->chunk_at_line)) {
		size_t i = start;

		while (i < reader->chunk_len && (reader->chunk[i] == ' ' || reader->chunk[i] == '\t'))
			i++;
		if (i < reader->chunk_len && reader->chunk[i] == '{' && i <= offset) {
			*resume = i;
			*state = JSON_SYNCED;
			return;
		}
	}
	*state = JSON_SEEK_NEWLINE;
	*resume = json_resync(reader, offset + 1 <= reader->chunk_len ? offset + 1 : offset, state);
}

/* Allocate what a reader needs beside its program and options. Returns
 * ER_OK or ER_E_NOMEM. */
static er_status json_reader_open(json_reader *reader)
{
	reader->status = ER_OK;
	reader->record = er_record_new(reader->program);
	reader->path_cap = 256;
	reader->path = malloc(reader->path_cap);
	if (reader->record == NULL || reader->path == NULL || json_build_prefixes(reader) != ER_OK ||
	    !json_new_parser(reader))
		return ER_E_NOMEM;
	return ER_OK;
}

static void json_reader_close(json_reader *reader)
{
	if (reader->parser != NULL)
		yajl_free(reader->parser);
	facts_warned_free(&reader->unknown);
	er_record_free(reader->record);
	free(reader->prefixes);
	free(reader->frames);
	free(reader->path);
}

/* Parse one chunk of decoded input, whose first byte is at line `line`
 * and input offset `start`, resynchronising after syntax errors; *state
 * carries over between chunks. Returns ER_OK (also when the callback
 * asked to stop) or the status that ends the reading. */
static er_status json_feed(json_reader *reader, const char *chunk, size_t len, size_t line,
			   size_t start, int *state)
{
	size_t pos = 0;

	reader->chunk = chunk;
	reader->chunk_len = len;
	reader->chunk_start = start;
	reader->chunk_line = line;
	reader->scan_pos = 0;
	reader->scan_line = line;
	while (pos < len && !reader->stopped) {
		yajl_status st;
		size_t offset;

		if (*state != JSON_SYNCED) {
			pos = json_resync(reader, pos, state);
			if (*state != JSON_SYNCED)
				break;
			if (!json_new_parser(reader))
				return ER_E_NOMEM;
		}
		reader->feed_base = pos;
		st = yajl_parse(reader->parser, (const unsigned char *)chunk + pos, len - pos);
		if (reader->status != ER_OK)
			return reader->status;
		if (st == yajl_status_ok || reader->stopped)
			break;
		offset = json_error_offset(reader);
		if (!json_report_syntax(reader, offset, 0))
			break;
		json_after_error(reader, offset, &pos, state);
		if (*state == JSON_SYNCED && !json_new_parser(reader))
			return ER_E_NOMEM;
	}
	if (!reader->stopped)
		json_record_too_large(reader, len);
	return reader->status;
}

/* The end of the input, on line `line`: finish the last value. */
static void json_finish(json_reader *reader, int state, size_t line)
{
	yajl_status st;

	if (state != JSON_SYNCED || reader->stopped)
		return;
	reader->chunk_len = 0;
	reader->scan_pos = 0;
	reader->chunk_line = reader->scan_line = line;
	reader->feed_base = 0;
	st = yajl_complete_parse(reader->parser);
	if (reader->status != ER_OK || reader->stopped)
		return;
	/* Between two values the end is fine; elsewhere the input was cut
	 * inside a record or an array. */
	if (st == yajl_status_error && (reader->record_depth != 0 || reader->depth != 0))
		json_report_syntax(reader, 0, 1);
}

/* Copy the reason of a stop into err. */
static er_status json_fail(const json_reader *reader, er_status status, er_error *err)
{
	/* A decoding error has already filled err; the reader's own stops
	 * (limits) have their reason in reader->failure. */
	if (status == ER_E_INPUT && err != NULL && reader->failure[0] != '\0') {
		err->status = ER_E_INPUT;
		snprintf(err->message, sizeof err->message, "%s", reader->failure);
	}
	if (status == ER_E_NOMEM && err != NULL) {
		err->status = ER_E_NOMEM;
		snprintf(err->message, sizeof err->message, "%s", _("out of memory"));
	}
	return status;
}

er_status facts_read_json(const er_program *program, facts_input *input,
			  const facts_options *options, er_error *err)
{
	json_reader reader = { .program = program, .options = options, .chunk_at_line = 1 };
	char *chunk = malloc(JSON_CHUNK_SIZE);
	int state = JSON_SYNCED;
	er_status status = json_reader_open(&reader);
	size_t next_line = options->start_line > 0 ? options->start_line : 1, chunk_start = 0;

	reader.number = options->start_number;
	if (chunk == NULL)
		status = ER_E_NOMEM;
	while (status == ER_OK) {
		size_t len = facts_input_read(input, chunk, JSON_CHUNK_SIZE, err);

		if (len == (size_t)-1) {
			facts_input_name_record(input, reader.number + (reader.record_depth == 0), err);
			status = err != NULL ? err->status : ER_E_IO;
			break;
		}
		if (len == 0) {
			json_finish(&reader, state, next_line);
			status = reader.status;
			break;
		}
		status = json_feed(&reader, chunk, len, next_line, chunk_start, &state);
		if (status != ER_OK || reader.stopped)
			break;
		chunk_start += len;
		next_line = json_line_at(&reader, len);
		reader.chunk_at_line = chunk[len - 1] == '\n';
	}
	json_fail(&reader, status, err);
	json_reader_close(&reader);
	free(chunk);
	return status;
}

er_status facts_read_json_piece(const er_program *program, const facts_options *options,
				facts_json_piece *piece, er_error *err)
{
	json_reader reader = { .program = program, .options = options, .chunk_at_line = 1,
			       .piece = 1 };
	int state = JSON_SYNCED;
	er_status status = json_reader_open(&reader);

	piece->clean = 0;
	if (status == ER_OK)
		status = json_feed(&reader, piece->text, piece->len, piece->first_line, 0, &state);
	if (status == ER_OK && piece->last && !reader.stopped) {
		json_finish(&reader, state, json_line_at(&reader, piece->len));
		status = reader.status;
	}
	piece->records = reader.number;
	/* Between two records, as a reader that starts afresh is: the text
	 * after the piece then reads the same whether or not this piece came
	 * first. */
	piece->clean = status == ER_OK && !reader.stopped && reader.skip_depth == 0 &&
		       reader.record_depth == 0 && reader.depth == 0 &&
		       (state == JSON_SYNCED || state == JSON_SEEK_BRACE);
	json_fail(&reader, status, err);
	json_reader_close(&reader);
	return status;
}

/* ---- One record from a JSON text (the embedding API) ---- */

/* Count the delivered record and stop the parser after it. */
static int json_take_one(er_record *record, void *context)
{
	(void)record;
	*(size_t *)context += 1;
	return 1;
}

static int json_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Start the record over as record 1 and add an error about the whole
 * text. */
static void json_whole_text_error(er_record *record, const char *message)
{
	er_record_reset(record);
	record->number = 1;
	snprintf(record->id, sizeof record->id, "1");
	er_record_add_error(record, BC_NONE, "", message);
}

/* Parse the text, whose first character other than white space is '{',
 * into the reader's record, and return the offset where parsing stopped. */
static size_t json_parse_one(json_reader *reader, const char *text, size_t len, size_t *delivered)
{
	yajl_status st;

	reader->chunk = text;
	reader->chunk_len = len;
	reader->chunk_line = 1;
	reader->scan_line = 1;
	st = yajl_parse(reader->parser, (const unsigned char *)text, len);
	if (reader->status != ER_OK || *delivered > 0)
		return yajl_get_bytes_consumed(reader->parser);
	if (st == yajl_status_error) {
		json_report_syntax(reader, json_error_offset(reader), 0);
		return len;
	}
	/* The text ends inside the object. */
	st = yajl_complete_parse(reader->parser);
	if (reader->status == ER_OK && *delivered == 0)
		json_report_syntax(reader, 0, 1);
	return len;
}

er_status er_record_read_json(er_record *record, const char *text, size_t len)
{
	size_t delivered = 0, bom = 0, start, end;
	facts_options options = { .format = FACTS_JSON, .name = "", .on_record = json_take_one,
				  .context = &delivered };
	json_reader reader = { .program = record->program, .options = &options, .record = record,
			       .status = ER_OK };
	er_status status;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		bom = 3;
	start = bom;
	while (start < len && json_is_space(text[start]))
		start++;
	if (start == len || text[start] != '{') {
		json_whole_text_error(record, start == len
			? _("expected a JSON object for a project, found an empty text")
			: _("expected a JSON object for a project, found another JSON value"));
		return record->error_count > 0 ? ER_E_INPUT : ER_E_NOMEM;
	}

	reader.path_cap = 256;
	reader.path = malloc(reader.path_cap);
	if (reader.path == NULL || json_build_prefixes(&reader) != ER_OK || !json_new_parser(&reader)) {
		status = ER_E_NOMEM;
		goto out;
	}
	/* From the byte-order mark on, so the line numbers of messages count
	 * every line of the text. */
	end = bom + json_parse_one(&reader, text + bom, len - bom, &delivered);
	status = reader.status;
	if (status != ER_OK)
		goto out;
	while (end < len && json_is_space(text[end]))
		end++;
	if (delivered > 0 && end < len)
		er_record_add_error(record, BC_NONE, "",
				    _("expected one JSON object for a project, found more text after it"));
	status = record->error_count > 0 ? ER_E_INPUT : ER_OK;

out:
	if (reader.parser != NULL)
		yajl_free(reader.parser);
	free(reader.prefixes);
	free(reader.frames);
	free(reader.path);
	return status;
}
