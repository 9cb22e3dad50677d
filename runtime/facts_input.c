/* Decoding of fact input to UTF-8: byte-order mark, GB18030 detection and
 * conversion with iconv, in chunks so memory stays flat. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"

#define INPUT_RAW_SIZE 65536
/* GB18030 to UTF-8 grows a text by at most half (2 bytes become 3). */
#define INPUT_OUT_SIZE (2 * INPUT_RAW_SIZE)

struct facts_input {
	FILE *in;
	const char *name;
	facts_encoding encoding;
	int started;          /* the first chunk has been read */
	int eof;
	iconv_t cd;           /* (iconv_t)-1 unless converting */
	unsigned long long raw_offset; /* input bytes consumed before raw[0] */
	/* A byte that is not valid GB18030, reported once the bytes decoded
	 * before it have been read. */
	int bad_byte;
	unsigned long long bad_offset;
	char raw[INPUT_RAW_SIZE];
	size_t raw_len;
	char out[INPUT_OUT_SIZE];
	size_t out_pos, out_len;
	char *back;           /* decoded bytes put back, read first */
	size_t back_pos, back_len;
};

static void input_error(er_error *err, er_status status, const char *format, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->status = status;
	va_start(ap, format);
	vsnprintf(err->message, sizeof err->message, format, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 prefix of text; stops before an incomplete
 * sequence at the end, which *incomplete then reports. */
static size_t input_utf8_prefix(const char *text, size_t len, int *incomplete)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	*incomplete = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t need;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= len) {
				*incomplete = 1;
				return i;
			}
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and code points past U+10FFFF. */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return i;
}

/* Length of text without a last multi-byte character that the end cuts
 * short; looks at the last three bytes only. */
static size_t input_whole_chars(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t back = 0;

	while (back < 3 && back < len && (s[len - 1 - back] & 0xC0) == 0x80)
		back++;
	if (back < len) {
		unsigned char lead = s[len - 1 - back];
		size_t need = 0;

		if (lead >= 0xF0)
			need = 3;
		else if (lead >= 0xE0)
			need = 2;
		else if (lead >= 0xC0)
			need = 1;

		if (need > back)
			return len - 1 - back;
	}
	return len;
}

int facts_utf8_valid(const char *text, size_t len)
{
	int incomplete;

	return input_utf8_prefix(text, len, &incomplete) == len;
}

facts_input *facts_input_open(FILE *in, facts_encoding encoding, const char *name, er_error *err)
{
	facts_input *input = calloc(1, sizeof *input);

	if (input == NULL) {
		input_error(err, ER_E_NOMEM, "%s", _("out of memory"));
		return NULL;
	}
	input->in = in;
	input->name = name != NULL ? name : "-";
	input->encoding = encoding;
	input->cd = (iconv_t)-1;
	return input;
}

void facts_input_close(facts_input *input)
{
	if (input == NULL)
		return;
	if (input->cd != (iconv_t)-1)
		iconv_close(input->cd);
	free(input->back);
	free(input);
}

int facts_input_is_gb18030(const facts_input *input)
{
	return input->cd != (iconv_t)-1;
}

/* Read more raw bytes; returns -1 on a read error. */
static int input_fill_raw(facts_input *input, er_error *err)
{
	size_t n;

	if (input->eof || input->raw_len == sizeof input->raw)
		return 0;
	n = fread(input->raw + input->raw_len, 1, sizeof input->raw - input->raw_len, input->in);
	if (n == 0) {
		if (ferror(input->in)) {
			input_error(err, ER_E_IO, _("%s: read failed: %s"), input->name, strerror(errno));
			return -1;
		}
		input->eof = 1;
	}
	input->raw_len += n;
	return 0;
}

static void input_consume_raw(facts_input *input, size_t count)
{
	memmove(input->raw, input->raw + count, input->raw_len - count);
	input->raw_len -= count;
	input->raw_offset += count;
}

/* Reject input that is not text (a spreadsheet workbook, UTF-16 text or
 * other binary data) with a message that says how to save it as CSV. */
static int input_check_text(const facts_input *input, er_error *err)
{
	const char *raw = input->raw;
	size_t len = input->raw_len;
	const char *zero;

	if ((len >= 4 && memcmp(raw, "PK\3\4", 4) == 0) ||
	    (len >= 8 && memcmp(raw, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)) {
		input_error(err, ER_E_INPUT,
			    _("%s: this looks like an Excel workbook (.xlsx or .xls), not CSV or JSON "
			      "text; save it in Excel as \"CSV UTF-8\" and give the CSV file"),
			    input->name);
		return -1;
	}
	if (len >= 2 && (memcmp(raw, "\xff\xfe", 2) == 0 || memcmp(raw, "\xfe\xff", 2) == 0)) {
		input_error(err, ER_E_INPUT,
			    _("%s: this is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV "
			      "UTF-8\" instead"),
			    input->name);
		return -1;
	}
	zero = memchr(raw, '\0', len);
	if (zero != NULL) {
		input_error(err, ER_E_INPUT,
			    _("%s: this looks like a binary file, not CSV or JSON text (byte %llu is "
			      "zero); save the data as CSV or JSON"),
			    input->name, (unsigned long long)(zero - raw));
		return -1;
	}
	return 0;
}

/* Decide the encoding from the first chunk: a BOM means UTF-8; otherwise,
 * in automatic mode, bytes that are not valid UTF-8 mean GB18030. */
static int input_start(facts_input *input, er_error *err)
{
	int gb18030 = input->encoding == FACTS_ENC_GB18030;

	input->started = 1;
	if (input_check_text(input, err) != 0)
		return -1;
	if (input->raw_len >= 3 && memcmp(input->raw, "\xef\xbb\xbf", 3) == 0) {
		input_consume_raw(input, 3);
		gb18030 = 0;
	} else if (input->encoding == FACTS_ENC_AUTO) {
		int incomplete;
		size_t valid = input_utf8_prefix(input->raw, input->raw_len, &incomplete);

		gb18030 = valid < input->raw_len && !(incomplete && !input->eof);
	}
	if (gb18030) {
		input->cd = iconv_open("UTF-8", "GB18030");
		if (input->cd == (iconv_t)-1) {
			input_error(err, ER_E_INPUT,
				    _("%s: cannot convert from GB18030: iconv has no converter for it"),
				    input->name);
			return -1;
		}
	}
	return 0;
}

/* Decode raw bytes into out; out is empty on entry. */
static int input_decode(facts_input *input, er_error *err)
{
	if (input->cd == (iconv_t)-1) {
		size_t count = input->raw_len;

		/* Hold back a character cut by the chunk's end. The bytes are
		 * not validated here: the JSON parser and the CSV reader check
		 * the UTF-8 of every value they use. */
		if (!input->eof)
			count = input_whole_chars(input->raw, input->raw_len);
		memcpy(input->out, input->raw, count);
		input->out_len = count;
		input_consume_raw(input, count);
		return 0;
	}

	char *from = input->raw;
	size_t from_left = input->raw_len;
	char *to = input->out;
	size_t to_left = sizeof input->out;

	if (iconv(input->cd, &from, &from_left, &to, &to_left) == (size_t)-1) {
		int e = errno;
		unsigned long long at = input->raw_offset + (unsigned long long)(from - input->raw);

		if (e == EILSEQ || (e == EINVAL && input->eof)) {
			input->bad_byte = 1;
			input->bad_offset = at;
			if (to_left == sizeof input->out) {
				input_error(err, ER_E_INPUT,
					    _("%s: byte %llu is not valid GB18030; give the right encoding "
					      "with --encoding"),
					    input->name, at);
				return -1;
			}
		}
		/* E2BIG: out is full; EINVAL: a character continues in the next chunk. */
	}
	input->out_len = sizeof input->out - to_left;
	input_consume_raw(input, input->raw_len - from_left);
	return 0;
}

/* Make decoded bytes available; returns 0 at the end, 1 when there are
 * some, -1 on an error. */
static int input_ready(facts_input *input, er_error *err)
{
	while (input->out_pos == input->out_len) {
		input->out_pos = input->out_len = 0;
		if (input->bad_byte) {
			input_error(err, ER_E_INPUT,
				    _("%s: byte %llu is not valid GB18030; give the right encoding "
				      "with --encoding"),
				    input->name, input->bad_offset);
			return -1;
		}
		if (input_fill_raw(input, err) != 0)
			return -1;
		if (!input->started && input_start(input, err) != 0)
			return -1;
		if (input->raw_len == 0 && input->eof)
			return 0;
		if (input_decode(input, err) != 0)
			return -1;
		if (input->out_len == 0 && input->eof && input->raw_len > 0) {
			/* Only an incomplete character is left. */
			memcpy(input->out, input->raw, input->raw_len);
			input->out_len = input->raw_len;
			input_consume_raw(input, input->raw_len);
		}
	}
	return 1;
}

int facts_input_unread(facts_input *input, const char *text, size_t len)
{
	size_t left = input->back_len - input->back_pos;
	char *back = malloc(left + len + 1);

	if (back == NULL)
		return -1;
	memcpy(back, text, len);
	if (left > 0)
		memcpy(back + len, input->back + input->back_pos, left);
	free(input->back);
	input->back = back;
	input->back_pos = 0;
	input->back_len = left + len;
	return 0;
}

/* Read from the bytes put back; they hold whole characters. */
static size_t input_read_back(facts_input *input, char *buf, size_t size)
{
	size_t count = input->back_len - input->back_pos;

	if (count > size) {
		count = size;
		while (count > 0 && ((unsigned char)input->back[input->back_pos + count] & 0xC0) == 0x80)
			count--;
		if (count == 0)
			count = size;
	}
	memcpy(buf, input->back + input->back_pos, count);
	input->back_pos += count;
	return count;
}

size_t facts_input_read(facts_input *input, char *buf, size_t size, er_error *err)
{
	size_t count;
	int ready;

	if (input->back_pos < input->back_len)
		return input_read_back(input, buf, size);
	ready = input_ready(input, err);

	if (ready <= 0)
		return ready == 0 ? 0 : (size_t)-1;
	count = input->out_len - input->out_pos;
	if (count > size) {
		count = size;
		/* Keep whole characters together. */
		while (count > 0 && ((unsigned char)input->out[input->out_pos + count] & 0xC0) == 0x80)
			count--;
		if (count == 0)
			count = size;
	}
	memcpy(buf, input->out + input->out_pos, count);
	input->out_pos += count;
	return count;
}

void facts_input_name_record(const facts_input *input, size_t record, er_error *err)
{
	if (!input->bad_byte || err == NULL)
		return;
	if (record == 0)
		input_error(err, ER_E_INPUT,
			    _("%s: header row: byte %llu is not valid GB18030; give the right "
			      "encoding with --encoding"),
			    input->name, input->bad_offset);
	else
		input_error(err, ER_E_INPUT,
			    _("%s: record %zu: byte %llu is not valid GB18030; give the right "
			      "encoding with --encoding"),
			    input->name, record, input->bad_offset);
}

int facts_input_peek(facts_input *input, er_error *err)
{
	if (input_ready(input, err) <= 0)
		return -1;
	for (size_t i = input->out_pos; i < input->out_len; i++) {
		char c = input->out[i];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return (unsigned char)c;
	}
	return -1;
}

int facts_parse_format(const char *name, facts_format *format)
{
	if (strcmp(name, "json") == 0)
		*format = FACTS_JSON;
	else if (strcmp(name, "jsonl") == 0 || strcmp(name, "ndjson") == 0)
		*format = FACTS_JSONL;
	else if (strcmp(name, "csv") == 0)
		*format = FACTS_CSV;
	else if (strcmp(name, "auto") == 0)
		*format = FACTS_AUTO;
	else
		return -1;
	return 0;
}

int facts_parse_encoding(const char *name, facts_encoding *encoding)
{
	static const char *const utf8[] = { "utf-8", "utf8", "UTF-8", "UTF8" };
	static const char *const gb[] = { "gb18030", "GB18030", "gbk", "GBK", "gb2312", "GB2312", "cp936" };

	if (strcmp(name, "auto") == 0) {
		*encoding = FACTS_ENC_AUTO;
		return 0;
	}
	for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++) {
		if (strcmp(name, utf8[i]) == 0) {
			*encoding = FACTS_ENC_UTF8;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++) {
		if (strcmp(name, gb[i]) == 0) {
			*encoding = FACTS_ENC_GB18030;
			return 0;
		}
	}
	return -1;
}

er_status facts_read(const er_program *program, FILE *in, const facts_options *options,
		     er_error *err)
{
	facts_input *input;
	facts_options chosen = *options;
	er_status status;

	if (err != NULL) {
		err->status = ER_OK;
		err->message[0] = '\0';
	}
	input = facts_input_open(in, options->encoding, options->name, err);
	if (input == NULL)
		return err != NULL ? err->status : ER_E_NOMEM;
	if (chosen.format == FACTS_AUTO) {
		int c = facts_input_peek(input, err);

		if (c == -1 && err != NULL && err->status != ER_OK) {
			facts_input_close(input);
			return err->status;
		}
		chosen.format = c == '{' || c == '[' || c == -1 ? FACTS_JSON : FACTS_CSV;
	}
	if (chosen.format == FACTS_CSV)
		status = facts_read_csv(program, input, &chosen, err);
	else
		status = facts_read_json(program, input, &chosen, err);
	facts_input_close(input);
	return status;
}

int facts_warned_add(facts_warned *warned, const char *key, size_t len)
{
	char *copy;

	for (size_t i = 0; i < warned->count; i++)
		if (warned->lens[i] == len && memcmp(warned->keys[i], key, len) == 0)
			return 0;
	if (warned->count == FACTS_WARNED_MAX)
		return 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, key, len);
	copy[len] = '\0';
	warned->keys[warned->count] = copy;
	warned->lens[warned->count++] = len;
	return 1;
}

void facts_warned_free(facts_warned *warned)
{
	for (size_t i = 0; i < warned->count; i++)
		free(warned->keys[i]);
	warned->count = 0;
}
