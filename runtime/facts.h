/* Fact readers: stream project records from JSON, JSON Lines or CSV into
 * one reused er_record, one callback per completed record. Internal to
 * the runtime and rulevm; not installed.
 *
 * Ownership: the readers borrow the program, the stream and the options.
 * The record passed to the callback belongs to the reader and is valid
 * only during the call; the reader resets it for the next record. */
#ifndef ECORULE_FACTS_H
#define ECORULE_FACTS_H

#include <stddef.h>
#include <stdio.h>

#include "ecorule.h"

typedef enum facts_format {
	FACTS_AUTO = 0, /* by the first non-blank byte: '{' or '[' JSON, else CSV */
	FACTS_JSON,     /* one object, an array of objects, or concatenated objects */
	FACTS_JSONL,    /* one object per line; the same reader as FACTS_JSON */
	FACTS_CSV
} facts_format;

/* Limits of the readers. Input past one of them stops the reader with
 * ER_E_INPUT and a message that names the place and the limit. */
#define FACTS_MAX_JSON_DEPTH 64              /* nested JSON arrays and objects */
#define FACTS_MAX_RECORD_BYTES (16u << 20)   /* one JSON record, from '{' to '}' */
#define FACTS_MAX_FIELD_BYTES (1u << 20)     /* one CSV field */

typedef enum facts_encoding {
	FACTS_ENC_AUTO = 0, /* UTF-8, or GB18030 when the input is not valid UTF-8 */
	FACTS_ENC_UTF8,
	FACTS_ENC_GB18030   /* also reads GBK and GB2312, its subsets */
} facts_encoding;

/* Called once per record, valid or not: a record with errors has
 * record->error_count > 0 and must not be evaluated. Returns 0 to go on;
 * any other value stops the reader, which then returns ER_OK. */
typedef int (*facts_record_fn)(er_record *record, void *context);

/* Called with a translated warning about the input as a whole, such as a
 * CSV column that names no fact. */
typedef void (*facts_warning_fn)(const char *message, void *context);

/* Called, when set, instead of on_warning for a key of a JSON record that
 * names no fact: once per key and reader, with the reader's number of the
 * record it first appears in. rulevm eval --jobs counts keys over the
 * pieces of an input with it. */
typedef void (*facts_unknown_key_fn)(const char *key, size_t record, void *context);

typedef struct facts_options {
	facts_format format;
	facts_encoding encoding;
	const char *name;           /* input name for messages, e.g. a file name */
	facts_record_fn on_record;
	facts_warning_fn on_warning; /* may be NULL */
	facts_unknown_key_fn on_unknown_key; /* may be NULL */
	void *context;              /* passed to every callback */
	/* Resuming an input part-way (JSON only): the line of its next byte
	 * (0: line 1) and the records read before it. */
	size_t start_line, start_number;
} facts_options;

/* Read every record of `in`. Returns ER_OK when the input was read to its
 * end, even when some records had errors. Otherwise returns ER_E_IO on a
 * read error, ER_E_NOMEM, or ER_E_INPUT when the input as a whole cannot
 * be read (a CSV header that names no fact, bytes that are not valid in
 * the encoding), with the reason in err. */
er_status facts_read(const er_program *program, FILE *in, const facts_options *options,
		     er_error *err);

typedef struct facts_input facts_input;

/* The readers of each format, over an opened decoder. */
er_status facts_read_json(const er_program *program, facts_input *input,
			  const facts_options *options, er_error *err);
/* The distinct keys an input has been warned about, so that each gets one
 * warning. Zero-initialised; keeps at most FACTS_WARNED_MAX keys. */
#define FACTS_WARNED_MAX 64
typedef struct facts_warned {
	char *keys[FACTS_WARNED_MAX];
	size_t lens[FACTS_WARNED_MAX]; /* a key may hold a NUL (JSON "\u0000") */
	size_t count;
} facts_warned;

/* Whether the key is new to `warned` (and now added): 1 yes, 0 already
 * there or the set is full, -1 out of memory. */
int facts_warned_add(facts_warned *warned, const char *key, size_t len);
void facts_warned_free(facts_warned *warned);
/* The warning about a JSON key that names no fact, in `buf`. */
void facts_unknown_key_message(char *buf, size_t size, const char *input, size_t record,
			       const char *key);

er_status facts_read_csv(const er_program *program, facts_input *input,
			 const facts_options *options, er_error *err);

/* A piece of JSON Lines: whole lines, cut where a line that ends with '}'
 * meets one that begins with '{' (the readers of --jobs parse pieces at
 * once). Its records are numbered from 1, and those without an id of
 * their own get the id FACTS_ID_UNNUMBERED, so that the caller can
 * number them once the count of records before the piece is known. */
typedef struct facts_json_piece {
	const char *text;
	size_t len;
	size_t first_line; /* line of text[0] in the input */
	int last;          /* the input ends with the piece */
	size_t records;    /* out: records delivered */
	int clean;         /* out: the piece ends between two records, and read
			    * without error: what follows it reads the same
			    * from a new reader */
} facts_json_piece;

/* A byte that no UTF-8 text holds, so no id given in the input. */
#define FACTS_ID_UNNUMBERED "\xff"

/* Read the records of a piece through options->on_record. Returns ER_OK,
 * or what would stop facts_read_json, with the reason in err. */
er_status facts_read_json_piece(const er_program *program, const facts_options *options,
				facts_json_piece *piece, er_error *err);

/* Parse a format or encoding name as given on the command line ("json",
 * "jsonl", "csv"; "utf-8", "gb18030", "gbk"). Returns 0, or -1 for an
 * unknown name. */
int facts_parse_format(const char *name, facts_format *format);
int facts_parse_encoding(const char *name, facts_encoding *encoding);

/* ---- Decoded input, shared by the readers ---- */

/* A facts_input is a byte stream decoded to UTF-8: a leading UTF-8
 * byte-order mark is dropped, and GB18030 input is converted with iconv. */

/* Open a decoder over `in`. Returns NULL when out of memory, with the
 * reason in err. */
facts_input *facts_input_open(FILE *in, facts_encoding encoding, const char *name, er_error *err);
void facts_input_close(facts_input *input);
/* Read up to `size` bytes of UTF-8 into buf. Returns the count, 0 at the
 * end of the input, or (size_t)-1 on an error described in err. A chunk
 * never ends inside a UTF-8 character, unless the input itself does. */
size_t facts_input_read(facts_input *input, char *buf, size_t size, er_error *err);
/* After facts_input_read failed on a byte that is not valid GB18030,
 * name in err's message the record being read (0: the CSV header row)
 * beside the byte's offset. The bytes before that byte have all been
 * read, so the record is the one the reader had started. */
void facts_input_name_record(const facts_input *input, size_t record, er_error *err);
/* Put decoded bytes back in front of what is left to read, for another
 * reader to start over from them. Returns 0, or -1 when out of memory. */
int facts_input_unread(facts_input *input, const char *text, size_t len);
/* Whether the decoder converts from GB18030 (chosen or detected). */
int facts_input_is_gb18030(const facts_input *input);
/* The first byte that is not white space in the decoded bytes already
 * buffered (the first chunk at least), without consuming anything; -1
 * when there is none or on an error. */
int facts_input_peek(facts_input *input, er_error *err);

/* Whether text is valid UTF-8. */
int facts_utf8_valid(const char *text, size_t len);

#endif
