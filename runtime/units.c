/* Physical units: the table of unit words, compound spellings, and exact
 * conversion factors kept as reduced rationals. */
#include "units.h"

#include <string.h>

/* Base dimensions, the order of er_unit.exp. */
enum { DIM_MASS = 0, DIM_LENGTH = 1, DIM_TIME = 2, DIM_COAL = 3 };

typedef struct unit_word {
	const char *text;
	int8_t exp[ER_BASE_DIMS]; /* mass, length, time, coal */
	int64_t num, den;         /* one of it in kg, m, s, kgce */
} unit_word;

#define MASS { 1, 0, 0, 0 }
#define LENGTH { 0, 1, 0, 0 }
#define VOLUME { 0, 3, 0, 0 }
#define AREA { 0, 2, 0, 0 }
#define TIME { 0, 0, 1, 0 }
#define COAL { 0, 0, 0, 1 }
#define POWER { 1, 2, -3, 0 }
#define NONE { 0, 0, 0, 0 }

/* Every spelling of every unit word. Area and volume words built from a
 * length ("平方米", "m²", "km2", "立方米") are not listed: the parser
 * forms them from the length word with 平方/立方 before it or ²/³/2/3
 * after it. */
static const unit_word words[] = {
	{ "克", MASS, 1, 1000 },
	{ "g", MASS, 1, 1000 },
	{ "千克", MASS, 1, 1 },
	{ "公斤", MASS, 1, 1 },
	{ "kg", MASS, 1, 1 },
	{ "吨", MASS, 1000, 1 },
	{ "t", MASS, 1000, 1 },
	{ "万吨", MASS, 10000000, 1 },
	{ "万t", MASS, 10000000, 1 },
	{ "毫克", MASS, 1, 1000000 },
	{ "mg", MASS, 1, 1000000 },
	{ "微克", MASS, 1, 1000000000 },
	{ "μg", MASS, 1, 1000000000 },  /* Greek small mu */
	{ "µg", MASS, 1, 1000000000 },  /* micro sign */

	{ "米", LENGTH, 1, 1 },
	{ "m", LENGTH, 1, 1 },
	{ "千米", LENGTH, 1000, 1 },
	{ "公里", LENGTH, 1000, 1 },
	{ "km", LENGTH, 1000, 1 },
	{ "hm", LENGTH, 100, 1 },  /* so that hm² is the hectare */
	{ "厘米", LENGTH, 1, 100 },
	{ "cm", LENGTH, 1, 100 },
	{ "毫米", LENGTH, 1, 1000 },
	{ "mm", LENGTH, 1, 1000 },

	{ "公顷", AREA, 10000, 1 },
	{ "亩", AREA, 2000, 3 },  /* 1 亩 = 666.66… m², exactly 2000/3 */

	{ "升", VOLUME, 1, 1000 },
	{ "L", VOLUME, 1, 1000 },
	{ "毫升", VOLUME, 1, 1000000 },
	{ "mL", VOLUME, 1, 1000000 },
	{ "万立方米", VOLUME, 10000, 1 },

	{ "秒", TIME, 1, 1 },
	{ "s", TIME, 1, 1 },
	{ "分钟", TIME, 60, 1 },
	{ "min", TIME, 60, 1 },
	{ "小时", TIME, 3600, 1 },
	{ "h", TIME, 3600, 1 },
	{ "天", TIME, 86400, 1 },
	{ "日", TIME, 86400, 1 },
	{ "d", TIME, 86400, 1 },
	{ "年", TIME, 31536000, 1 }, /* 365 days */
	{ "a", TIME, 31536000, 1 },

	{ "%", NONE, 1, 100 },
	{ "％", NONE, 1, 100 },
	{ "百分比", NONE, 1, 100 },
	{ "‰", NONE, 1, 1000 },
	{ "个", NONE, 1, 1 },
	{ "台", NONE, 1, 1 },
	{ "辆", NONE, 1, 1 },
	{ "套", NONE, 1, 1 },

	{ "千克标准煤", COAL, 1, 1 },
	{ "kgce", COAL, 1, 1 },
	{ "吨标准煤", COAL, 1000, 1 },
	{ "tce", COAL, 1000, 1 },
	{ "万吨标准煤", COAL, 10000000, 1 },

	{ "瓦", POWER, 1, 1 },
	{ "W", POWER, 1, 1 },
	{ "千瓦", POWER, 1000, 1 },
	{ "kW", POWER, 1000, 1 },
	{ "兆瓦", POWER, 1000000, 1 },
	{ "MW", POWER, 1000000, 1 },
	{ "万千瓦", POWER, 10000000, 1 },
};

typedef unsigned __int128 u128;

static u128 gcd(u128 a, u128 b)
{
	while (b != 0) {
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Reduce the positive rational n/d and store it; -1 when a part does not
 * fit in int64. */
static int set_ratio(u128 n, u128 d, int64_t *num, int64_t *den)
{
	u128 g = gcd(n, d);

	if (g == 0)
		return -1;
	n /= g;
	d /= g;
	if (n > INT64_MAX || d > INT64_MAX || n == 0)
		return -1;
	*num = (int64_t)n;
	*den = (int64_t)d;
	return 0;
}

er_unit er_unit_one(void)
{
	er_unit u;
	memset(&u, 0, sizeof u);
	u.num = 1;
	u.den = 1;
	return u;
}

static int combine(const er_unit *a, const er_unit *b, int sign, er_unit *out)
{
	er_unit r;
	int i;

	for (i = 0; i < ER_BASE_DIMS; i++) {
		int e = a->exp[i] + sign * b->exp[i];
		if (e < INT8_MIN || e > INT8_MAX)
			return -1;
		r.exp[i] = (int8_t)e;
	}
	if (sign > 0) {
		if (set_ratio((u128)a->num * (u128)b->num, (u128)a->den * (u128)b->den,
			      &r.num, &r.den) != 0)
			return -1;
	} else if (set_ratio((u128)a->num * (u128)b->den, (u128)a->den * (u128)b->num,
			     &r.num, &r.den) != 0) {
		return -1;
	}
	*out = r;
	return 0;
}

int er_unit_mul(const er_unit *a, const er_unit *b, er_unit *out)
{
	return combine(a, b, 1, out);
}

int er_unit_div(const er_unit *a, const er_unit *b, er_unit *out)
{
	return combine(a, b, -1, out);
}

int er_unit_same_dimension(const er_unit *a, const er_unit *b)
{
	return memcmp(a->exp, b->exp, sizeof a->exp) == 0;
}

int er_unit_is_dimensionless(const er_unit *unit)
{
	int i;
	for (i = 0; i < ER_BASE_DIMS; i++)
		if (unit->exp[i] != 0)
			return 0;
	return 1;
}

int er_unit_ratio(const er_unit *from, const er_unit *to, int64_t *num, int64_t *den)
{
	if (!er_unit_same_dimension(from, to) || from->num <= 0 || from->den <= 0 ||
	    to->num <= 0 || to->den <= 0)
		return -1;
	return set_ratio((u128)from->num * (u128)to->den, (u128)from->den * (u128)to->num,
			 num, den);
}

static int starts_with(const char *text, size_t len, const char *word, size_t *wlen)
{
	size_t n = strlen(word);
	if (n > len || memcmp(text, word, n) != 0)
		return 0;
	*wlen = n;
	return 1;
}

/* Match the longest unit word at the start of text; return its length,
 * or 0 when none matches. */
static size_t match_word(const char *text, size_t len, const unit_word **found)
{
	size_t best = 0;
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n;
		if (starts_with(text, len, words[i].text, &n) && n > best) {
			best = n;
			*found = &words[i];
		}
	}
	return best;
}

static int power(const er_unit *base, int k, er_unit *out)
{
	er_unit r = *base;
	int i;

	for (i = 1; i < k; i++)
		if (er_unit_mul(&r, base, &r) != 0)
			return -1;
	*out = r;
	return 0;
}

/* One factor: an optional 平方/立方, a unit word, an optional power
 * suffix. Returns its length, or 0 when none starts here. */
static size_t parse_factor(const char *text, size_t len, er_unit *out)
{
	const unit_word *word = NULL;
	size_t pos = 0;
	size_t n;
	int k = 1;
	er_unit u;

	if (starts_with(text, len, "平方", &n)) {
		k = 2;
		pos = n;
	} else if (starts_with(text, len, "立方", &n)) {
		k = 3;
		pos = n;
	}
	n = match_word(text + pos, len - pos, &word);
	if (n == 0)
		return 0;
	pos += n;
	memcpy(u.exp, word->exp, sizeof u.exp);
	u.num = word->num;
	u.den = word->den;
	if (k > 1) {
		/* 平方 and 立方 apply to lengths only: 平方米, 立方米, 平方公里. */
		er_unit metre = { LENGTH, 1, 1 };
		if (!er_unit_same_dimension(&u, &metre))
			return 0;
	} else if (starts_with(text + pos, len - pos, "²", &n) ||
		   starts_with(text + pos, len - pos, "2", &n)) {
		k = 2;
		pos += n;
	} else if (starts_with(text + pos, len - pos, "³", &n) ||
		   starts_with(text + pos, len - pos, "3", &n)) {
		k = 3;
		pos += n;
	}
	if (power(&u, k, out) != 0)
		return 0;
	return pos;
}

/* Parse the longest prefix of text that is a unit spelling; returns its
 * length (0 if none) and stores the unit of that prefix. */
static size_t scan(const char *text, size_t len, er_unit *out)
{
	er_unit acc;
	size_t end;
	size_t n = parse_factor(text, len, &acc);

	if (n == 0)
		return 0;
	end = n;
	while (end < len) {
		er_unit f;
		size_t sep;
		int divide;
		if (starts_with(text + end, len - end, "/", &sep)) {
			divide = 1;
		} else if (starts_with(text + end, len - end, "·", &sep) ||
			   starts_with(text + end, len - end, "*", &sep)) {
			divide = 0;
		} else {
			break;
		}
		n = parse_factor(text + end + sep, len - end - sep, &f);
		if (n == 0)
			break;
		if ((divide ? er_unit_div(&acc, &f, &acc) : er_unit_mul(&acc, &f, &acc)) != 0)
			break;
		end += sep + n;
	}
	*out = acc;
	return end;
}

int er_unit_parse(const char *text, size_t len, er_unit *out)
{
	er_unit u;

	if (len == 0 || scan(text, len, &u) != len)
		return -1;
	*out = u;
	return 0;
}

size_t er_unit_prefix(const char *text, size_t len)
{
	er_unit u;
	return scan(text, len, &u);
}
