/* Fact records: binding input text to fact slots, converted to each
 * fact's declared type, with one error per bad value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "ecorule.h"
#include "i18n.h"
#include "units.h"

/* Errors kept in a fresh record, so that at least one always fits even
 * when growing the array fails. */
#define RECORD_INITIAL_ERRORS 4
/* Maximum length in bytes of an input value quoted in an error message. */
#define RECORD_QUOTE_MAX 80

static er_kind record_kind_of(er_fact_type type)
{
	switch (type) {
	case ER_FT_BOOLEAN:
		return ER_K_BOOL;
	case ER_FT_INTEGER:
	case ER_FT_NUMBER:
	case ER_FT_QUANTITY:
		return ER_K_DEC;
	case ER_FT_DATE:
		return ER_K_DATE;
	case ER_FT_CODE:
		return ER_K_CODE;
	case ER_FT_UNIT:
		return ER_K_UNIT;
	case ER_FT_ENUM:
		return ER_K_ENUM;
	case ER_FT_SET:
		return ER_K_SET;
	case ER_FT_STRING:
	case ER_FT_INDUSTRIES:
	default:
		return ER_K_STRING;
	}
}

/* Copy at most size - 1 bytes of text into buf, cutting at a UTF-8
 * character boundary, and append "…" when text was cut. */
static void record_copy_cut(char *buf, size_t size, const char *text, size_t len, size_t limit)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t max = size - 1;
	int cut = 0;

	if (limit < max)
		max = limit;
	if (len > max) {
		cut = 1;
		len = max >= sizeof ellipsis - 1 ? max - (sizeof ellipsis - 1) : 0;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(buf, text, len);
	if (cut && len + sizeof ellipsis - 1 <= size - 1) {
		memcpy(buf + len, ellipsis, sizeof ellipsis - 1);
		len += sizeof ellipsis - 1;
	}
	buf[len] = '\0';
}

er_record *er_record_new(const er_program *program)
{
	size_t count = er_program_fact_count(program);
	er_record *record = calloc(1, sizeof *record);

	if (record == NULL)
		return NULL;
	record->program = program;
	/* calloc(0) may return NULL, so one spare slot keeps the checks simple. */
	record->slots = calloc(count + 1, sizeof *record->slots);
	record->present = calloc(count + 1, 1);
	record->errors = calloc(RECORD_INITIAL_ERRORS, sizeof *record->errors);
	if (record->slots == NULL || record->present == NULL || record->errors == NULL) {
		er_record_free(record);
		return NULL;
	}
	record->error_cap = RECORD_INITIAL_ERRORS;
	er_record_reset(record);
	return record;
}

void er_record_free(er_record *record)
{
	if (record == NULL)
		return;
	free(record->slots);
	free(record->present);
	free(record->text);
	free(record->errors);
	free(record);
}

void er_record_reset(er_record *record)
{
	size_t count = er_program_fact_count(record->program);

	for (size_t i = 0; i < count; i++) {
		const er_fact_info *info = er_program_fact(record->program, i);
		er_value *slot = &record->slots[i];

		memset(slot, 0, sizeof *slot);
		slot->kind = (uint8_t)record_kind_of(info->type);
		slot->unknown = 1;
		slot->why = (uint32_t)i;
	}
	memset(record->present, 0, count);
	record->id[0] = '\0';
	record->number = 0;
	record->unit_index = BC_NONE;
	record->unit_class = -1;
	record->county_index = BC_NONE;
	record->unit_code[0] = '\0';
	record->text_len = 0;
	record->error_count = 0;
}

/* Grow to->text and to->errors to hold what `from` holds. */
static er_status record_reserve_copy(er_record *to, const er_record *from)
{
	if (to->text_cap < from->text_len) {
		char *text = malloc(from->text_len);

		if (text == NULL)
			return ER_E_NOMEM;
		free(to->text);
		to->text = text;
		to->text_cap = from->text_len;
	}
	if (to->error_cap < from->error_count) {
		er_field_error *errors = realloc(to->errors, from->error_count * sizeof *errors);

		if (errors == NULL)
			return ER_E_NOMEM;
		to->errors = errors;
		to->error_cap = from->error_count;
	}
	return ER_OK;
}

er_status er_record_copy(er_record *to, const er_record *from)
{
	size_t count = er_program_fact_count(from->program);

	if (record_reserve_copy(to, from) != ER_OK) {
		er_record_reset(to);
		to->number = from->number;
		memcpy(to->id, from->id, sizeof to->id);
		er_record_add_error(to, BC_NONE, "", _("out of memory"));
		return ER_E_NOMEM;
	}
	memcpy(to->slots, from->slots, count * sizeof *to->slots);
	memcpy(to->present, from->present, count);
	if (from->text_len > 0)
		memcpy(to->text, from->text, from->text_len);
	to->text_len = from->text_len;
	/* String slots point into the text buffer: point them at the copy. */
	for (size_t i = 0; i < count; i++) {
		er_value *slot = &to->slots[i];

		if (to->present[i] && (slot->kind == ER_K_STRING || slot->kind == ER_K_CODE))
			slot->as.str.ptr = to->text + (slot->as.str.ptr - from->text);
	}
	if (from->error_count > 0)
		memcpy(to->errors, from->errors, from->error_count * sizeof *to->errors);
	to->error_count = from->error_count;
	memcpy(to->id, from->id, sizeof to->id);
	to->number = from->number;
	to->unit_index = from->unit_index;
	to->unit_class = from->unit_class;
	to->county_index = from->county_index;
	memcpy(to->unit_code, from->unit_code, sizeof to->unit_code);
	return ER_OK;
}

void er_record_add_error(er_record *record, uint32_t fact, const char *field, const char *message)
{
	er_field_error *error;

	if (record->error_count == record->error_cap) {
		size_t cap = record->error_cap * 2;
		er_field_error *grown = realloc(record->errors, cap * sizeof *grown);

		if (grown == NULL) {
			/* Keep the record marked invalid: overwrite the last error. */
			record->error_count--;
		} else {
			record->errors = grown;
			record->error_cap = cap;
		}
	}
	error = &record->errors[record->error_count++];
	error->fact = fact;
	record_copy_cut(error->field, sizeof error->field, field != NULL ? field : "",
			field != NULL ? strlen(field) : 0, sizeof error->field);
	record_copy_cut(error->message, sizeof error->message, message, strlen(message),
			sizeof error->message);
}

/* Record an error from a printf format and return ER_E_INPUT. */
static er_status record_fail(er_record *record, uint32_t fact, const char *field,
			     const char *format, ...)
{
	char message[sizeof record->errors[0].message];
	va_list ap;

	va_start(ap, format);
	vsnprintf(message, sizeof message, format, ap);
	va_end(ap);
	er_record_add_error(record, fact, field, message);
	return ER_E_INPUT;
}

/* Copy text into record->text and return where it lives. Growing moves
 * the buffer, so every string slot already set is pointed at the copy
 * before the old buffer is freed. */
static er_status record_store_text(er_record *record, const char *text, size_t len,
				   const char **out)
{
	if (record->text_cap - record->text_len < len + 1) {
		size_t cap = record->text_cap != 0 ? record->text_cap : 256;
		size_t count = er_program_fact_count(record->program);
		char *grown;

		while (cap - record->text_len < len + 1) {
			if (cap > SIZE_MAX / 2)
				return ER_E_NOMEM;
			cap *= 2;
		}
		grown = malloc(cap);
		if (grown == NULL)
			return ER_E_NOMEM;
		if (record->text_len > 0)
			memcpy(grown, record->text, record->text_len);
		for (size_t i = 0; i < count; i++) {
			er_value *slot = &record->slots[i];

			if (record->present[i] && (slot->kind == ER_K_STRING || slot->kind == ER_K_CODE))
				slot->as.str.ptr = grown + (slot->as.str.ptr - record->text);
		}
		free(record->text);
		record->text = grown;
		record->text_cap = cap;
	}
	memcpy(record->text + record->text_len, text, len);
	record->text[record->text_len + len] = '\0';
	*out = record->text + record->text_len;
	record->text_len += len + 1;
	return ER_OK;
}

static int record_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim ASCII white space and the ideographic space U+3000 at both ends. */
static void record_trim(const char **text, size_t *len)
{
	const char *s = *text;
	size_t n = *len;

	for (;;) {
		if (n > 0 && record_is_space(s[0])) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n > 0 && record_is_space(s[n - 1]))
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	*text = s;
	*len = n;
}

static int record_equals(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(text, word, len) == 0;
}

static int record_equals_nocase(const char *text, size_t len, const char *word)
{
	if (strlen(word) != len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

/* Parse a decimal, also in the exponent form JSON numbers may take
 * ("1.5e3"); the result is exact or an error. */
static er_dec_status record_parse_decimal(const char *text, size_t len, er_dec *out)
{
	size_t mantissa_len = len;
	long exponent = 0;
	er_dec value;
	er_dec_status status;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == 'e' || text[i] == 'E') {
			size_t j = i + 1;
			int negative = 0;

			mantissa_len = i;
			if (j < len && (text[j] == '+' || text[j] == '-'))
				negative = text[j++] == '-';
			if (j == len)
				return ER_DEC_SYNTAX;
			for (; j < len; j++) {
				if (text[j] < '0' || text[j] > '9')
					return ER_DEC_SYNTAX;
				exponent = exponent * 10 + (text[j] - '0');
				if (exponent > 2 * ER_DEC_MAX_SCALE)
					return ER_DEC_OVERFLOW;
			}
			if (negative)
				exponent = -exponent;
			break;
		}
	}
	status = er_dec_parse(text, mantissa_len, &value);
	if (status != ER_DEC_OK)
		return status;
	while (exponent != 0 && status == ER_DEC_OK) {
		if (exponent > 0) {
			status = er_dec_scale(value, 10, 1, &value);
			exponent--;
		} else {
			status = er_dec_scale(value, 1, 10, &value);
			exponent++;
		}
	}
	if (status != ER_DEC_OK)
		return status;
	*out = er_dec_normalize(value);
	return ER_DEC_OK;
}

/* Length of the leading "[+-]digits[.digits][e[+-]digits]" of text, or
 * 0. No unit spelling starts with an exponent, so "1.5e3 吨/年" is
 * 1500 吨/年. */
static size_t record_number_prefix(const char *text, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (text[i] == '+' || text[i] == '-'))
		i++;
	while (i < len && text[i] >= '0' && text[i] <= '9') {
		i++;
		digits++;
	}
	if (i < len && text[i] == '.') {
		i++;
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (digits > 0 && i + 1 < len && (text[i] == 'e' || text[i] == 'E')) {
		size_t j = i + 1;

		if (j < len && (text[j] == '+' || text[j] == '-'))
			j++;
		if (j < len && text[j] >= '0' && text[j] <= '9') {
			while (j < len && text[j] >= '0' && text[j] <= '9')
				j++;
			i = j;
		}
	}
	return digits > 0 ? i : 0;
}

static void record_set_slot(er_record *record, uint32_t fact, const er_value *value)
{
	er_value *slot = &record->slots[fact];
	uint32_t why = slot->why;

	*slot = *value;
	slot->unknown = 0;
	slot->why = why;
	record->present[fact] = 1;
}

/* Whether text writes a number with thousands separators, as Excel shows
 * them: digits, then "," or "，" and three digits. */
static int record_has_thousands(const char *text, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (text[i] == '+' || text[i] == '-'))
		i++;
	while (i < len && text[i] >= '0' && text[i] <= '9') {
		i++;
		digits++;
	}
	if (digits == 0 || digits > 3 || i == len)
		return 0;
	if (text[i] == ',')
		i++;
	else if (len - i >= strlen("，") && memcmp(text + i, "，", strlen("，")) == 0)
		i += strlen("，");
	else
		return 0;
	for (size_t k = 0; k < 3; k++, i++)
		if (i >= len || text[i] < '0' || text[i] > '9')
			return 0;
	return i == len || text[i] < '0' || text[i] > '9';
}

static er_status record_fail_thousands(er_record *record, uint32_t fact, const char *field,
				       char *quoted)
{
	return record_fail(record, fact, field,
			   _("\"%s\": thousands separators are not accepted; write the number without "
			     "them (1000, not 1,000)"),
			   quoted);
}

static er_status record_set_boolean(er_record *record, uint32_t fact, const char *field,
				    const char *text, size_t len, int is_string, char *quoted)
{
	er_value value = { .kind = ER_K_BOOL };

	if (record_equals(text, len, "是") ||
	    (!is_string && record_equals_nocase(text, len, "true"))) {
		value.truth = ER_TRUE;
	} else if (record_equals(text, len, "否") ||
		   (!is_string && record_equals_nocase(text, len, "false"))) {
		value.truth = ER_FALSE;
	} else if (is_string && (record_equals_nocase(text, len, "true") ||
				 record_equals_nocase(text, len, "false"))) {
		return record_fail(record, fact, field,
				   _("\"%s\" is a string here, not a boolean: write true or false "
				     "without quotes, or \"是\" or \"否\""),
				   quoted);
	} else {
		return record_fail(record, fact, field,
				   _("\"%s\" is not a boolean: expected true, false, \"是\" or \"否\""),
				   quoted);
	}
	record_set_slot(record, fact, &value);
	return ER_OK;
}

static er_status record_set_decimal(er_record *record, uint32_t fact, const char *field,
				    const er_fact_info *info, const char *text, size_t len,
				    char *quoted)
{
	er_value value = { .kind = ER_K_DEC };
	er_dec_status status = record_parse_decimal(text, len, &value.as.dec);

	if (status == ER_DEC_OVERFLOW)
		return record_fail(record, fact, field, _("\"%s\" is too large"), quoted);
	if (status != ER_DEC_OK && record_has_thousands(text, len))
		return record_fail_thousands(record, fact, field, quoted);
	if (status != ER_DEC_OK)
		return record_fail(record, fact, field,
				   info->type == ER_FT_INTEGER ? _("\"%s\" is not an integer")
							       : _("\"%s\" is not a number"),
				   quoted);
	if (info->type == ER_FT_INTEGER && !er_dec_is_integer(value.as.dec))
		return record_fail(record, fact, field, _("\"%s\" is not an integer"), quoted);
	record_set_slot(record, fact, &value);
	return ER_OK;
}

/* A quantity: a bare number in the fact's unit, or a number followed by
 * a unit of the same dimension, converted exactly. */
static er_status record_set_quantity(er_record *record, uint32_t fact, const char *field,
				     const er_fact_info *info, const char *text, size_t len,
				     int is_string, char *quoted)
{
	const char *unit_text = info->unit_text != NULL ? info->unit_text : "";
	er_value value = { .kind = ER_K_DEC };
	er_dec whole;
	/* A JSON number may use the exponent form, which carries no unit. */
	size_t number_len = !is_string && record_parse_decimal(text, len, &whole) == ER_DEC_OK
				    ? len
				    : record_number_prefix(text, len);
	const char *rest = text + number_len;
	size_t rest_len = len - number_len;
	er_dec_status status;

	if (number_len == 0)
		return record_fail(record, fact, field, _("\"%s\" is not a quantity in %s"),
				   quoted, unit_text);
	if (record_has_thousands(text, len))
		return record_fail_thousands(record, fact, field, quoted);
	record_trim(&rest, &rest_len);
	/* The declared unit, as most records write it, converts by 1: skip
	 * parsing it, which costs more than the rest of the value. */
	if (rest_len == strlen(unit_text) && memcmp(rest, unit_text, rest_len) == 0)
		rest_len = 0;
	status = record_parse_decimal(text, number_len, &value.as.dec);
	if (status == ER_DEC_OVERFLOW)
		return record_fail(record, fact, field, _("\"%s\" is too large"), quoted);
	if (status != ER_DEC_OK)
		return record_fail(record, fact, field, _("\"%s\" is not a quantity in %s"),
				   quoted, unit_text);

	if (rest_len > 0) {
		er_unit given;
		int64_t num, den;

		if (er_unit_parse(rest, rest_len, &given) != 0) {
			char unit_quoted[RECORD_QUOTE_MAX + 4];

			record_copy_cut(unit_quoted, sizeof unit_quoted, rest, rest_len,
					RECORD_QUOTE_MAX);
			return record_fail(record, fact, field,
					   _("\"%s\": unknown unit \"%s\", expected a quantity in %s"),
					   quoted, unit_quoted, unit_text);
		}
		if (!er_unit_same_dimension(&given, &info->unit) ||
		    er_unit_ratio(&given, &info->unit, &num, &den) != 0)
			return record_fail(record, fact, field,
					   _("\"%s\" cannot be converted to %s: the dimensions differ"),
					   quoted, unit_text);
		status = er_dec_scale(value.as.dec, num, den, &value.as.dec);
		if (status == ER_DEC_INEXACT)
			return record_fail(record, fact, field,
					   _("\"%s\" cannot be converted exactly to %s"),
					   quoted, unit_text);
		if (status != ER_DEC_OK)
			return record_fail(record, fact, field, _("\"%s\" is too large"), quoted);
		value.as.dec = er_dec_normalize(value.as.dec);
	}
	record_set_slot(record, fact, &value);
	return ER_OK;
}

static er_status record_set_date(er_record *record, uint32_t fact, const char *field,
				 const char *text, size_t len, char *quoted)
{
	er_value value = { .kind = ER_K_DATE };

	if (er_date_parse(text, len, &value.as.date) != 0)
		return record_fail(record, fact, field,
				   _("\"%s\" is not a date: expected YYYY-MM-DD or YYYY年M月D日"),
				   quoted);
	record_set_slot(record, fact, &value);
	return ER_OK;
}

static er_status record_set_string(er_record *record, uint32_t fact, er_kind kind,
				   const char *text, size_t len)
{
	er_value value = { .kind = (uint8_t)kind };
	const char *stored;

	if (len > UINT32_MAX || record_store_text(record, text, len, &stored) != ER_OK)
		return ER_E_NOMEM;
	value.as.str.ptr = stored;
	value.as.str.len = (uint32_t)len;
	record_set_slot(record, fact, &value);
	return ER_OK;
}

/* GB/T 4754-2017: an optional section letter, then 2 to 4 digits; only
 * the digits are stored, because rules match codes by digit prefix. */
static er_status record_set_code(er_record *record, uint32_t fact, const char *field,
				 const char *text, size_t len, char *quoted)
{
	const char *digits = text;
	size_t count = len;

	if (count > 0 && ((digits[0] >= 'A' && digits[0] <= 'T') ||
			  (digits[0] >= 'a' && digits[0] <= 't'))) {
		digits++;
		count--;
	}
	for (size_t i = 0; i < count; i++)
		if (digits[i] < '0' || digits[i] > '9')
			count = 0;
	if (count < 2 || count > 4)
		return record_fail(record, fact, field,
				   _("\"%s\" is not a GB/T 4754 industry code: expected an optional "
				     "section letter and 2 to 4 digits, such as \"C2521\""),
				   quoted);
	return record_set_string(record, fact, ER_K_CODE, digits, count);
}

/* A control-unit code: "ZH", the 6-digit division code, the class digit
 * and a 4-digit serial. A code outside the unit table is still valid and
 * gives its class and, when the division is known, its county. */
static er_status record_set_unit(er_record *record, uint32_t fact, const char *field,
				 const char *text, size_t len, char *quoted)
{
	const er_program *program = record->program;
	er_value value = { .kind = ER_K_UNIT };
	int well_formed = len == 13 && text[0] == 'Z' && text[1] == 'H';
	char class_digit;

	for (size_t i = 2; well_formed && i < len; i++)
		if (text[i] < '0' || text[i] > '9')
			well_formed = 0;
	if (!well_formed)
		return record_fail(record, fact, field,
				   _("\"%s\" is not a control-unit code: expected ZH and 11 digits, "
				     "such as \"ZH14052220003\""),
				   quoted);
	class_digit = text[8];
	if (class_digit < '1' || class_digit > '3')
		return record_fail(record, fact, field,
				   _("\"%s\" is not a control-unit code: the class digit %c is not "
				     "1, 2 or 3"),
				   quoted, class_digit);

	value.as.index = er_program_find_unit(program, text, len);
	record_set_slot(record, fact, &value);
	memcpy(record->unit_code, text, len);
	record->unit_code[len] = '\0';
	record->unit_index = value.as.index;
	record->unit_class = class_digit - '1';
	record->county_index = er_program_find_county_code(program, text + 2, 6);
	return ER_OK;
}

/* Write the value names of an enumeration, separated by "、", into buf. */
static void record_enum_names(const er_program *program, uint32_t enum_index, char *buf,
			      size_t size)
{
	size_t count = er_program_enum_size(program, enum_index);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		const char *name = er_program_enum_value(program, enum_index, (uint32_t)i);
		int n = snprintf(buf + used, size - used, "%s%s", i > 0 ? "、" : "", name);

		if (n < 0 || (size_t)n >= size - used) {
			/* Cut at the last whole name. */
			buf[used] = '\0';
			if (used + 4 < size)
				memcpy(buf + used, "\xe2\x80\xa6", 4);
			return;
		}
		used += (size_t)n;
	}
}

static er_status record_find_enum(er_record *record, uint32_t fact, const char *field,
				  const er_fact_info *info, const char *text, size_t len,
				  uint32_t *value)
{
	char quoted[RECORD_QUOTE_MAX + 4];
	char names[256];

	*value = er_program_find_enum_value(record->program, info->enum_index, text, len);
	if (*value != BC_NONE && *value < 64)
		return ER_OK;
	record_copy_cut(quoted, sizeof quoted, text, len, RECORD_QUOTE_MAX);
	record_enum_names(record->program, info->enum_index, names, sizeof names);
	return record_fail(record, fact, field, _("\"%s\" is not a value of %s: expected one of %s"),
			   quoted, er_program_enum_name(record->program, info->enum_index), names);
}

/* Length of the separator of set items at text, or 0: ";", "；", "、". */
static size_t record_set_separator(const char *text, size_t len)
{
	if (len >= 1 && text[0] == ';')
		return 1;
	if (len >= 3 && (memcmp(text, "\xef\xbc\x9b", 3) == 0 || memcmp(text, "\xe3\x80\x81", 3) == 0))
		return 3;
	return 0;
}

/* A whole set in one text: items separated by ";", "；" or "、". Empty
 * text gives the empty set. */
static er_status record_set_set(er_record *record, uint32_t fact, const char *field,
				const er_fact_info *info, const char *text, size_t len)
{
	er_value value = { .kind = ER_K_SET };
	size_t start = 0, i = 0;
	er_status status = ER_OK;

	while (i <= len) {
		size_t sep = i < len ? record_set_separator(text + i, len - i) : 0;

		if (i == len || sep > 0) {
			const char *item = text + start;
			size_t item_len = i - start;
			uint32_t bit;

			record_trim(&item, &item_len);
			if (item_len > 0) {
				if (record_find_enum(record, fact, field, info, item, item_len, &bit) == ER_OK)
					value.as.bits |= (uint64_t)1 << bit;
				else
					status = ER_E_INPUT;
			}
			if (i == len)
				break;
			i += sep;
			start = i;
		} else {
			i++;
		}
	}
	if (status == ER_OK)
		record_set_slot(record, fact, &value);
	return status;
}

er_status er_record_set_text(er_record *record, uint32_t fact, const char *field,
			     const char *text, size_t len, int is_string)
{
	const er_fact_info *info;
	char quoted[RECORD_QUOTE_MAX + 4];

	if (fact >= er_program_fact_count(record->program))
		return ER_E_INPUT;
	info = er_program_fact(record->program, fact);
	if (field == NULL)
		field = info->path;
	if (info->type != ER_FT_STRING)
		record_trim(&text, &len);
	record_copy_cut(quoted, sizeof quoted, text, len, RECORD_QUOTE_MAX);

	switch (info->type) {
	case ER_FT_BOOLEAN:
		return record_set_boolean(record, fact, field, text, len, is_string, quoted);
	case ER_FT_INTEGER:
	case ER_FT_NUMBER:
		return record_set_decimal(record, fact, field, info, text, len, quoted);
	case ER_FT_QUANTITY:
		return record_set_quantity(record, fact, field, info, text, len, is_string, quoted);
	case ER_FT_DATE:
		return record_set_date(record, fact, field, text, len, quoted);
	case ER_FT_CODE:
		return record_set_code(record, fact, field, text, len, quoted);
	case ER_FT_UNIT:
		return record_set_unit(record, fact, field, text, len, quoted);
	case ER_FT_ENUM: {
		er_value value = { .kind = ER_K_ENUM };
		er_status status = record_find_enum(record, fact, field, info, text, len,
						    &value.as.index);

		if (status == ER_OK)
			record_set_slot(record, fact, &value);
		return status;
	}
	case ER_FT_SET:
		return record_set_set(record, fact, field, info, text, len);
	case ER_FT_STRING:
		return record_set_string(record, fact, ER_K_STRING, text, len);
	case ER_FT_INDUSTRIES:
	default:
		return record_fail(record, fact, field, _("\"%s\": this fact cannot be set from a record"),
				   quoted);
	}
}

er_status er_record_add_to_set(er_record *record, uint32_t fact, const char *field,
			       const char *text, size_t len)
{
	const er_fact_info *info;
	uint32_t bit;
	er_value value = { .kind = ER_K_SET };

	if (fact >= er_program_fact_count(record->program))
		return ER_E_INPUT;
	info = er_program_fact(record->program, fact);
	if (field == NULL)
		field = info->path;
	if (info->type != ER_FT_SET)
		return er_record_set_text(record, fact, field, text, len, 1);
	record_trim(&text, &len);
	if (record_find_enum(record, fact, field, info, text, len, &bit) != ER_OK)
		return ER_E_INPUT;
	if (record->present[fact])
		value.as.bits = record->slots[fact].as.bits;
	value.as.bits |= (uint64_t)1 << bit;
	record_set_slot(record, fact, &value);
	return ER_OK;
}
