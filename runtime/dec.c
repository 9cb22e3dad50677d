/* Exact decimal arithmetic over a 64-bit coefficient and a scale.
 *
 * Every operation computes its exact result in 128-bit integers and then
 * fits it into an er_dec: trailing zeros are dropped when the scale or the
 * coefficient would not fit, and what still does not fit is an error.
 * Callers pass values whose scale lies in [0, ER_DEC_MAX_SCALE]; the
 * bytecode loader checks that of every constant. */
#include "dec.h"

#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static const uint64_t pow10_table[ER_DEC_MAX_SCALE + 1] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull, 10000000000000ull,
	100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
};

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Fit magnitude q with sign neg and scale s (which may exceed the
 * maximum) into an er_dec, dropping trailing zeros where needed. */
static er_dec_status fit(u128 q, int neg, int32_t s, er_dec *out)
{
	const u128 limit = neg ? (u128)1 << 63 : ((u128)1 << 63) - 1;

	while (s > ER_DEC_MAX_SCALE) {
		if (q % 10 != 0)
			return ER_DEC_INEXACT;
		q /= 10;
		s--;
	}
	while (s < 0) {
		if (q > limit / 10)
			return ER_DEC_OVERFLOW;
		q *= 10;
		s++;
	}
	while (q > limit && s > 0 && q % 10 == 0) {
		q /= 10;
		s--;
	}
	if (q > limit)
		return ER_DEC_OVERFLOW;
	if (q == 0)
		neg = 0;
	/* q <= 2^63 here, so the negation below cannot overflow. */
	out->coef = neg ? (int64_t)(0 - (uint64_t)q) : (int64_t)q;
	out->scale = s;
	return ER_DEC_OK;
}

/* Divide magnitude n at scale s by d > 0, extending the quotient by
 * decimal digits until the division is exact or the scale runs out. */
static er_dec_status quotient(u128 n, int neg, int32_t s, u128 d, er_dec *out)
{
	const u128 limit = (u128)1 << 63;
	const int32_t whole = s > 0 ? s : 0; /* the scale of the integer part */
	u128 q = n / d;
	u128 r = n % d;

	while (r != 0) {
		if (s >= ER_DEC_MAX_SCALE)
			return ER_DEC_INEXACT;
		/* Too many digits: in the integer part the value does not fit, in
		 * the fraction it does not terminate within 64 bits. */
		if (q > limit)
			return s > whole ? ER_DEC_INEXACT : ER_DEC_OVERFLOW;
		/* r < d <= 2^127 / 10 is guaranteed by the callers' operand sizes. */
		q = q * 10 + (r * 10) / d;
		r = (r * 10) % d;
		s++;
	}
	return fit(q, neg, s, out);
}

er_dec er_dec_from_int(int64_t value)
{
	er_dec d = { value, 0 };
	return d;
}

er_dec_status er_dec_parse(const char *text, size_t len, er_dec *out)
{
	size_t i = 0;
	int neg = 0;
	int digits = 0;
	int32_t scale = 0;
	int seen_point = 0;
	u128 q = 0;

	if (i < len && (text[i] == '-' || text[i] == '+')) {
		neg = text[i] == '-';
		i++;
	}
	for (; i < len; i++) {
		char c = text[i];
		if (c == '.') {
			if (seen_point)
				return ER_DEC_SYNTAX;
			seen_point = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return ER_DEC_SYNTAX;
		digits++;
		/* Stop growing at 2^100: any such value overflows anyway, but
		 * trailing zeros of a long fraction may still be dropped by fit. */
		if (q > ((u128)1 << 100))
			return ER_DEC_OVERFLOW;
		q = q * 10 + (u128)(c - '0');
		if (seen_point) {
			if (scale > 1000)
				return ER_DEC_OVERFLOW;
			scale++;
		}
	}
	/* Digits must stand on both sides of a point: "5." and ".5" are
	 * rejected. */
	if (digits == 0 || (seen_point && (scale == 0 || digits == scale)))
		return ER_DEC_SYNTAX;
	return fit(q, neg, scale, out);
}

er_dec er_dec_normalize(er_dec value)
{
	while (value.scale > 0 && value.coef % 10 == 0) {
		value.coef /= 10;
		value.scale--;
	}
	return value;
}

/* The coefficient raised to scale `to` (>= its own), exactly. Magnitudes
 * stay below 2^63 * 10^18 < 2^124. */
static i128 align(er_dec v, int32_t to)
{
	return (i128)v.coef * (i128)pow10_table[to - v.scale];
}

int er_dec_cmp(er_dec a, er_dec b)
{
	int32_t s = a.scale > b.scale ? a.scale : b.scale;
	i128 x = align(a, s);
	i128 y = align(b, s);

	return (x > y) - (x < y);
}

static er_dec_status from_i128(i128 v, int32_t s, er_dec *out)
{
	int neg = v < 0;
	u128 q = neg ? (u128)0 - (u128)v : (u128)v;
	return fit(q, neg, s, out);
}

er_dec_status er_dec_add(er_dec a, er_dec b, er_dec *out)
{
	int32_t s = a.scale > b.scale ? a.scale : b.scale;
	return from_i128(align(a, s) + align(b, s), s, out);
}

er_dec_status er_dec_sub(er_dec a, er_dec b, er_dec *out)
{
	int32_t s = a.scale > b.scale ? a.scale : b.scale;
	return from_i128(align(a, s) - align(b, s), s, out);
}

er_dec_status er_dec_mul(er_dec a, er_dec b, er_dec *out)
{
	u128 q = (u128)magnitude(a.coef) * magnitude(b.coef);
	int neg = (a.coef < 0) != (b.coef < 0);
	return fit(q, neg, a.scale + b.scale, out);
}

er_dec_status er_dec_div(er_dec a, er_dec b, er_dec *out)
{
	int neg = (a.coef < 0) != (b.coef < 0);

	if (b.coef == 0)
		return ER_DEC_DIVZERO;
	return quotient(magnitude(a.coef), neg, a.scale - b.scale, magnitude(b.coef), out);
}

er_dec_status er_dec_neg(er_dec a, er_dec *out)
{
	if (a.coef == INT64_MIN)
		return ER_DEC_OVERFLOW;
	out->coef = -a.coef;
	out->scale = a.scale;
	return ER_DEC_OK;
}

er_dec_status er_dec_scale(er_dec a, int64_t num, int64_t den, er_dec *out)
{
	int neg = (a.coef < 0) != (num < 0);

	if (den <= 0)
		return ER_DEC_DIVZERO;
	return quotient((u128)magnitude(a.coef) * magnitude(num), neg, a.scale,
			(u128)(uint64_t)den, out);
}

int er_dec_is_integer(er_dec value)
{
	return er_dec_normalize(value).scale == 0;
}

size_t er_dec_format(er_dec value, char *buf)
{
	char digits[24];
	size_t n = 0;
	size_t len = 0;
	uint64_t m;

	value = er_dec_normalize(value);
	m = magnitude(value.coef);
	do {
		digits[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m != 0);
	while (n <= (size_t)value.scale)
		digits[n++] = '0';
	if (value.coef < 0)
		buf[len++] = '-';
	while (n > (size_t)value.scale)
		buf[len++] = digits[--n];
	if (value.scale > 0) {
		buf[len++] = '.';
		while (n > 0)
			buf[len++] = digits[--n];
	}
	buf[len] = '\0';
	return len;
}
