/* Exact decimal arithmetic: a value is coef * 10^-scale with a signed
 * 64-bit coefficient and 0 <= scale <= ER_DEC_MAX_SCALE. Results that do
 * not fit, or a division that is not exact, are errors, never rounded or
 * wrapped. */
#ifndef ECORULE_DEC_H
#define ECORULE_DEC_H

#include <stddef.h>
#include <stdint.h>

#define ER_DEC_MAX_SCALE 18

typedef struct er_dec {
	int64_t coef;
	int32_t scale;
} er_dec;

/* Status of a decimal operation; 0 is success. */
typedef enum er_dec_status {
	ER_DEC_OK = 0,
	ER_DEC_OVERFLOW = 1,
	ER_DEC_INEXACT = 2,
	ER_DEC_DIVZERO = 3,
	ER_DEC_SYNTAX = 4
} er_dec_status;

er_dec er_dec_from_int(int64_t value);
/* Parse an optionally signed decimal ("-12.50", "3", "1e3" is rejected). */
er_dec_status er_dec_parse(const char *text, size_t len, er_dec *out);
/* Remove trailing zeros of the fraction: 10.00 becomes 10. */
er_dec er_dec_normalize(er_dec value);
/* -1, 0 or 1; exact even where the scales differ widely. */
int er_dec_cmp(er_dec a, er_dec b);
er_dec_status er_dec_add(er_dec a, er_dec b, er_dec *out);
er_dec_status er_dec_sub(er_dec a, er_dec b, er_dec *out);
er_dec_status er_dec_mul(er_dec a, er_dec b, er_dec *out);
/* Exact quotient, or ER_DEC_INEXACT when it does not terminate within
 * ER_DEC_MAX_SCALE digits. */
er_dec_status er_dec_div(er_dec a, er_dec b, er_dec *out);
er_dec_status er_dec_neg(er_dec a, er_dec *out);
/* Multiply by the ratio num/den (den > 0) exactly. */
er_dec_status er_dec_scale(er_dec a, int64_t num, int64_t den, er_dec *out);
int er_dec_is_integer(er_dec value);
/* Write the shortest exact text ("0.3", "-12", "100") and a NUL; returns
 * the length. buf needs ER_DEC_TEXT_MAX bytes. */
#define ER_DEC_TEXT_MAX 48
size_t er_dec_format(er_dec value, char *buf);

#endif
