/* Calendar dates as days since 1970-01-01 in the proleptic Gregorian
 * calendar: parsing, formatting and today's date. */
#include "ecorule.h"

#include <string.h>
#include <time.h>

static int is_leap(int32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int32_t y, int32_t m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d, by the usual era arithmetic over 400-year
 * cycles that start on March 1st. */
static int32_t days_from_civil(int32_t y, int32_t m, int32_t d)
{
	int32_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int32_t *y, int32_t *m, int32_t *d)
{
	int32_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

/* Read between min and max ASCII digits at text[*pos]. */
static int read_number(const char *text, size_t len, size_t *pos, int min, int max,
		       int32_t *value)
{
	int n = 0;
	int32_t v = 0;

	while (*pos < len && n < max && text[*pos] >= '0' && text[*pos] <= '9') {
		v = v * 10 + (text[*pos] - '0');
		(*pos)++;
		n++;
	}
	if (n < min)
		return -1;
	if (*pos < len && text[*pos] >= '0' && text[*pos] <= '9')
		return -1;
	*value = v;
	return 0;
}

static int expect(const char *text, size_t len, size_t *pos, const char *word)
{
	size_t n = strlen(word);
	if (len - *pos < n || memcmp(text + *pos, word, n) != 0)
		return -1;
	*pos += n;
	return 0;
}

int er_date_parse(const char *text, size_t len, int32_t *days)
{
	size_t pos = 0;
	int32_t y, m, d;

	if (read_number(text, len, &pos, 4, 4, &y) != 0)
		return -1;
	if (pos < len && text[pos] == '-') {
		pos++;
		if (read_number(text, len, &pos, 2, 2, &m) != 0 || expect(text, len, &pos, "-") != 0 ||
		    read_number(text, len, &pos, 2, 2, &d) != 0)
			return -1;
	} else {
		if (expect(text, len, &pos, "年") != 0 || read_number(text, len, &pos, 1, 2, &m) != 0 ||
		    expect(text, len, &pos, "月") != 0 || read_number(text, len, &pos, 1, 2, &d) != 0 ||
		    expect(text, len, &pos, "日") != 0)
			return -1;
	}
	if (pos != len || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void er_date_format(int32_t days, char *buf)
{
	int32_t y, m, d;

	/* Keep the year within four digits so the text fits in 11 bytes. */
	if (days < days_from_civil(1, 1, 1) || days > days_from_civil(9999, 12, 31)) {
		memcpy(buf, "\?\?\?\?-\?\?-\?\?", 11);
		return;
	}
	civil_from_days(days, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int32_t er_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return (int32_t)(now / 86400);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
