/* Physical units: the table of unit words in Chinese and in symbols,
 * parsing of compound spellings such as "千克/小时" or "mg/L", and exact
 * conversion between units of one dimension. */
#ifndef ECORULE_UNITS_H
#define ECORULE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "types.h"

/* Parse a whole unit spelling ("万吨/年", "t/a", "%", "平方公里", "kg/h",
 * "mg/L", "m³", "m3"). Returns 0 and fills out, or -1 when the text is not
 * a unit. */
int er_unit_parse(const char *text, size_t len, er_unit *out);
/* Length in bytes of the longest prefix of text that is a unit spelling,
 * ending at a character boundary; 0 when no prefix is. */
size_t er_unit_prefix(const char *text, size_t len);
/* Whether two units measure the same dimension. */
int er_unit_same_dimension(const er_unit *a, const er_unit *b);
/* Whether the unit is dimensionless (%, ‰, 个, or none). */
int er_unit_is_dimensionless(const er_unit *unit);
/* The dimensionless unit with factor 1. */
er_unit er_unit_one(void);
/* Product and quotient of two units; -1 when a factor overflows. */
int er_unit_mul(const er_unit *a, const er_unit *b, er_unit *out);
int er_unit_div(const er_unit *a, const er_unit *b, er_unit *out);
/* The exact ratio num/den (reduced, den > 0) that converts a value in
 * `from` into `to`; -1 when the dimensions differ or it overflows. */
int er_unit_ratio(const er_unit *from, const er_unit *to, int64_t *num, int64_t *den);

#endif
