/* Rule indexes of a loaded program, so that a project's evaluation visits
 * only the rules whose scope can admit its control unit. */
#include <stdlib.h>

#include "program.h"

static int county_admits(const pr_rule *rc, uint32_t county)
{
	uint32_t k;

	if (rc->county_count == 0)
		return 1;
	for (k = 0; k < rc->county_count; k++)
		if (rc->counties[k] == county)
			return 1;
	return 0;
}

static int class_admits(const pr_rule *rc, uint32_t klass)
{
	return rc->class_mask == 0 || (rc->class_mask >> klass & 1) != 0;
}

/* Pass over every rule and call `add` for each list that admits it; the
 * first pass counts, the second fills. */
typedef void (*add_fn)(er_program *p, pr_range *range, uint32_t rule);

static void count_entry(er_program *p, pr_range *range, uint32_t rule)
{
	(void)p;
	(void)rule;
	range->count++;
}

static void fill_entry(er_program *p, pr_range *range, uint32_t rule)
{
	/* A unit listed twice in one scope is added once. */
	if (range->count > 0 && p->index_rules[range->first + range->count - 1] == rule)
		return;
	p->index_rules[range->first + range->count++] = rule;
}

static void visit(er_program *p, add_fn add)
{
	uint32_t slots = p->county_count + 1;
	uint32_t i, k, c, s;

	for (i = 0; i < p->rule_count; i++) {
		const pr_rule *rc = &p->rule_code[i];
		if (rc->unit_count == 0 && rc->county_count == 0 && rc->class_mask == 0) {
			add(p, &p->unscoped, i);
		} else if (rc->unit_count > 0) {
			for (k = 0; k < rc->unit_count; k++) {
				const pr_unit *u = &p->units[rc->units[k]];
				if (class_admits(rc, u->klass) && county_admits(rc, u->county))
					add(p, &p->by_unit[rc->units[k]], i);
			}
		} else {
			for (c = 0; c < 3; c++) {
				if (!class_admits(rc, c))
					continue;
				/* Slot county_count is a code whose county is not in the
				 * table: only rules without a county scope admit it. */
				for (s = 0; s < slots; s++)
					if (s < p->county_count ? county_admits(rc, s) : rc->county_count == 0)
						add(p, &p->by_class_county[c * slots + s], i);
			}
		}
	}
}

er_status pr_build_index(er_program *p)
{
	size_t slots = (size_t)p->county_count + 1;
	size_t lists = 3 * slots;
	size_t total, i;

	p->by_class_county = calloc(lists, sizeof *p->by_class_county);
	p->by_unit = calloc(p->unit_count ? p->unit_count : 1, sizeof *p->by_unit);
	if (!p->by_class_county || !p->by_unit)
		return ER_E_NOMEM;
	visit(p, count_entry);

	total = p->unscoped.count;
	p->unscoped.first = 0;
	for (i = 0; i < lists; i++) {
		p->by_class_county[i].first = (uint32_t)total;
		total += p->by_class_county[i].count;
		if (total > UINT32_MAX)
			return ER_E_NOMEM;
	}
	for (i = 0; i < p->unit_count; i++) {
		p->by_unit[i].first = (uint32_t)total;
		total += p->by_unit[i].count;
		if (total > UINT32_MAX)
			return ER_E_NOMEM;
	}
	p->index_rules = malloc((total ? total : 1) * sizeof *p->index_rules);
	if (!p->index_rules)
		return ER_E_NOMEM;

	p->unscoped.count = 0;
	for (i = 0; i < lists; i++)
		p->by_class_county[i].count = 0;
	for (i = 0; i < p->unit_count; i++)
		p->by_unit[i].count = 0;
	visit(p, fill_entry);
	return pr_build_industry_index(p);
}
