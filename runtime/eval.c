/* er_eval: what each rule does to one project, and the decision (see
 * "What a rule does to a project" in docs/language.md).
 *
 * Result layout: er_result.values holds, per listed rule, one value per
 * message part (text parts hold an unused unknown value) and then one per
 * let, so a rule's lets are its last let_count values. Buffers are reused
 * between records; steady state allocates nothing. */
#include <stdlib.h>
#include <string.h>

#include "vm.h"

void er_result_init(er_result *result)
{
	memset(result, 0, sizeof *result);
}

void er_result_free(er_result *result)
{
	free(result->rules);
	free(result->missing);
	free(result->values);
	free(result->needed);
	vm_scratch_free(result->scratch);
	memset(result, 0, sizeof *result);
}

/* The decision a rule's verdict gives when it applies. */
static er_decision verdict_decision(er_verdict v)
{
	switch (v) {
	case ER_VERDICT_FORBID: return ER_DECISION_REJECTED;
	case ER_VERDICT_RESTRICT: return ER_DECISION_RESTRICTED;
	case ER_VERDICT_REQUIRE:
	case ER_VERDICT_EXIT: return ER_DECISION_CONDITIONAL;
	default: return ER_DECISION_ADMIT;
	}
}

/* The strictest decision a rule could give: a checked requirement can be
 * violated, which rejects the project. */

static int in_force(const er_rule_info *info, int32_t as_of)
{
	return !(info->has_from && as_of < info->from) && !(info->has_until && as_of > info->until);
}

/* Evaluation state of one record. */
typedef struct eval_ctx {
	const er_program *p;
	const er_record *rec;
	er_result *res;
	vm_scratch *s;
	int32_t as_of;
	int unit_unknown;
} eval_ctx;

static er_rule_result *add_rule(er_result *res, uint32_t rule)
{
	er_rule_result *rr;

	if (!vm_grow((void **)&res->rules, &res->rule_cap, res->rule_count + 1, sizeof *res->rules))
		return NULL;
	rr = &res->rules[res->rule_count++];
	memset(rr, 0, sizeof *rr);
	rr->rule = rule;
	return rr;
}

/* Store the values of the message parts and lets. A failure of one of
 * them fails the rule. */
static er_status eval_values(eval_ctx *c, uint32_t rule, er_rule_result *rr)
{
	const pr_rule *rc = &c->p->rule_code[rule];
	er_result *res = c->res;
	size_t n = (size_t)rc->part_count + rc->let_count;
	size_t i;

	rr->values_first = (uint32_t)res->value_count;
	rr->values_count = 0;
	if (!vm_grow((void **)&res->values, &res->value_cap, res->value_count + n,
		     sizeof *res->values))
		return ER_E_NOMEM;
	for (i = 0; i < n; i++) {
		er_value *v = &res->values[res->value_count + i];
		uint32_t code = i < rc->part_count ? rc->parts[i].code : rc->lets[i - rc->part_count].code;
		memset(v, 0, sizeof *v);
		v->unknown = 1;
		if (code != BC_NONE) {
			er_status st = vm_run(c->p, c->rec, code, c->s, v);
			if (st != ER_OK)
				return st;
		}
	}
	res->value_count += n;
	rr->values_count = (uint32_t)n;
	return ER_OK;
}

/* Record the facts under `why` as the rule's missing facts. */
static er_status note_missing(eval_ctx *c, er_rule_result *rr, uint32_t why)
{
	er_result *res = c->res;
	int data_missing = 0;
	er_status st = vm_begin_collect(c->s, c->p->fact_count);

	rr->missing_first = (uint32_t)res->missing_count;
	if (st == ER_OK)
		st = vm_collect(c->s, why, &res->missing, &res->missing_count, &res->missing_cap,
				&data_missing);
	rr->missing_count = (uint32_t)(res->missing_count - rr->missing_first);
	if (data_missing)
		rr->data_missing = 1;
	return st;
}

/* Drop repeated facts from a rule's missing facts, keeping the first. */
static void dedupe_missing(er_result *res, er_rule_result *rr)
{
	uint32_t *m = res->missing + rr->missing_first;
	uint32_t i, j, kept = 0;

	for (i = 0; i < rr->missing_count; i++) {
		for (j = 0; j < kept && m[j] != m[i]; j++)
			;
		if (j == kept)
			m[kept++] = m[i];
	}
	res->missing_count -= rr->missing_count - kept;
	rr->missing_count = kept;
}

/* The strictest decision an undetermined rule could give. A checked
 * requirement could reject the project unless its ensure clause is
 * already known to hold. When the clause is unknown, its missing facts
 * could also settle the rule, so they join the rule's missing facts. */
static er_status eval_potential(eval_ctx *c, er_rule_result *rr)
{
	const er_program *p = c->p;
	const pr_rule *rc = &p->rule_code[rr->rule];
	er_decision verdict = verdict_decision(p->rules[rr->rule].verdict);
	er_value ok;
	er_status st;
	uint32_t first = rr->missing_first;

	rr->potential = verdict;
	if (rc->ensure == BC_NONE)
		return ER_OK;
	rr->potential = ER_DECISION_REJECTED;
	st = vm_run(p, c->rec, rc->ensure, c->s, &ok);
	if (st != ER_OK)
		return st;
	if (!ok.unknown) {
		if (ok.truth == ER_TRUE)
			rr->potential = verdict;
		return ER_OK;
	}
	/* Append the ensure clause's missing facts after the condition's. */
	st = note_missing(c, rr, ok.why);
	if (st != ER_OK)
		return st;
	rr->missing_count += rr->missing_first - first;
	rr->missing_first = first;
	dedupe_missing(c->res, rr);
	return ER_OK;
}

static er_status eval_rule(eval_ctx *c, uint32_t rule, int scoped)
{
	const er_program *p = c->p;
	const pr_rule *rc = &p->rule_code[rule];
	er_value cond;
	er_rule_result *rr;
	er_status st = ER_OK;
	size_t mark = c->res->rule_count;

	if (!in_force(&p->rules[rule], c->as_of))
		return ER_OK;
	vm_scratch_reset(c->s);
	memset(&cond, 0, sizeof cond);
	cond.kind = ER_K_BOOL;
	cond.truth = ER_TRUE;
	if (rc->condition != BC_NONE) {
		st = vm_run(p, c->rec, rc->condition, c->s, &cond);
		if (st == ER_E_NOMEM)
			return st;
	}
	if (st == ER_OK && !cond.unknown && cond.truth == ER_FALSE)
		return ER_OK;
	/* With the unit fact absent, a scoped rule is in scope only maybe:
	 * `scope and condition`, with the unit fact as the scope's cause. */
	if (st == ER_OK && scoped && c->unit_unknown) {
		er_status js = ER_OK;
		uint32_t leaf = vm_leaf(c->s, p->unit_fact == BC_NONE ? VM_WHY_DATA : p->unit_fact, &js);
		cond.why = vm_join(c->s, cond.unknown ? cond.why : 0, leaf, &js);
		cond.unknown = 1;
		if (js != ER_OK)
			return js;
	}

	rr = add_rule(c->res, rule);
	if (!rr)
		return ER_E_NOMEM;
	if (st != ER_OK) {
		rr->outcome = ER_OUT_FAILED;
		rr->error = st;
		return ER_OK;
	}
	if (cond.unknown) {
		rr->outcome = ER_OUT_UNDETERMINED;
		st = note_missing(c, rr, cond.why);
		if (st == ER_OK)
			st = eval_potential(c, rr);
	} else {
		rr->outcome = ER_OUT_APPLIES;
		if (rc->ensure != BC_NONE) {
			er_value ok;
			st = vm_run(p, c->rec, rc->ensure, c->s, &ok);
			if (st == ER_OK) {
				if (ok.unknown) {
					rr->check = ER_CHECK_ATTACHED;
					st = note_missing(c, rr, ok.why);
				} else {
					rr->check = ok.truth == ER_TRUE ? ER_CHECK_MET : ER_CHECK_VIOLATED;
				}
			}
		}
	}
	if (st == ER_OK)
		st = eval_values(c, rule, rr);
	if (st == ER_E_NOMEM) {
		c->res->rule_count = mark;
		return st;
	}
	if (st != ER_OK) {
		rr->outcome = ER_OUT_FAILED;
		rr->check = ER_CHECK_NONE;
		rr->error = st;
	}
	return ER_OK;
}

/* A list of rule indices in ascending order. */
typedef struct ev_list {
	const uint32_t *rules;
	uint32_t count;
} ev_list;

/* At most three lists, each as a base list and one keyed list per prefix
 * of the industry code. */
#define EV_MAX_LISTS (3 * (PR_IND_MAX_KEY + 1))

/* Run the rules of ascending lists, in rule order, each rule once. */
static er_status eval_lists(eval_ctx *c, ev_list *lists, size_t n)
{
	uint32_t last = BC_NONE;

	for (;;) {
		size_t best = n;
		size_t i;
		uint32_t rule;
		er_status st;
		for (i = 0; i < n; i++)
			if (lists[i].count > 0 && (best == n || lists[i].rules[0] < lists[best].rules[0]))
				best = i;
		if (best == n)
			return ER_OK;
		rule = lists[best].rules[0];
		lists[best].rules++;
		lists[best].count--;
		if (rule == last)
			continue;
		last = rule;
		/* The unit is known here, so every listed rule is in scope. */
		st = eval_rule(c, rule, 0);
		if (st != ER_OK)
			return st;
	}
}

/* The project's industry code for the index, or NULL when unknown. */
static const er_value *index_code(const er_program *p, const er_record *rec)
{
	const er_value *v;

	if (p->ind_fact == BC_NONE || !rec->present[p->ind_fact])
		return NULL;
	v = &rec->slots[p->ind_fact];
	return v->unknown || v->kind != ER_K_CODE ? NULL : v;
}

static size_t add_list(const uint32_t *rules, pr_range r, ev_list *out, size_t n)
{
	if (r.count == 0)
		return n;
	out[n].rules = rules + r.first;
	out[n].count = r.count;
	return n + 1;
}

/* The keyed list of list `list` under key `key`, or an empty range. */
static pr_range keyed_list(const er_program *p, uint32_t key, uint32_t list)
{
	const pr_keyed *k = p->ind_keyed + p->ind_key_lists[key].first;
	uint32_t lo = 0, hi = p->ind_key_lists[key].count;
	pr_range none = { 0, 0 };

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (k[mid].list == list)
			return k[mid].rules;
		if (k[mid].list < list)
			lo = mid + 1;
		else
			hi = mid;
	}
	return none;
}

/* The lists a project with a known unit visits: every rule of `scoped`
 * without an industry code, or with the code's rules only. ids[i] is the
 * number of scoped[i] in the industry index (see er_program.ind_base). */
static size_t gather_lists(const er_program *p, const er_record *rec,
			   const pr_range *const *scoped, const uint32_t *ids, size_t count,
			   ev_list *out)
{
	const er_value *code = index_code(p, rec);
	size_t n = 0, i, len;

	if (!code) {
		for (i = 0; i < count; i++)
			n = add_list(p->index_rules, *scoped[i], out, n);
		return n;
	}
	for (i = 0; i < count; i++)
		n = add_list(p->ind_rules, p->ind_base[ids[i]], out, n);
	for (len = 1; len <= code->as.str.len && len <= p->ind_max_len; len++) {
		uint32_t key = pr_hash_find(p, &p->ind_keys, code->as.str.ptr, len);
		if (key == BC_NONE)
			continue;
		for (i = 0; i < count; i++)
			n = add_list(p->ind_rules, keyed_list(p, key, ids[i]), out, n);
	}
	return n;
}

/* Whether the project's known industry code rules out the rule. */
static int industry_excludes(const er_program *p, const er_record *rec, uint32_t rule)
{
	const er_value *code;

	if (p->ind_fact == BC_NONE || p->rule_indset[rule] == BC_NONE)
		return 0;
	code = index_code(p, rec);
	return code && !pr_code_in_set(p, code->as.str.ptr, code->as.str.len, p->rule_indset[rule]);
}

/* Compute the decision and the facts that would settle it. */
static er_status decide(eval_ctx *c)
{
	er_result *res = c->res;
	const er_program *p = c->p;
	er_decision settled = ER_DECISION_ADMIT;
	int needs_info = 0;
	size_t i;
	er_status st;

	for (i = 0; i < res->rule_count; i++) {
		const er_rule_result *rr = &res->rules[i];
		er_decision d;
		if (rr->outcome != ER_OUT_APPLIES)
			continue;
		d = rr->check == ER_CHECK_VIOLATED ? ER_DECISION_REJECTED
						    : verdict_decision(p->rules[rr->rule].verdict);
		if (d > settled)
			settled = d;
	}
	st = vm_begin_collect(c->s, p->fact_count);
	if (st != ER_OK)
		return st;
	for (i = 0; i < res->rule_count; i++) {
		const er_rule_result *rr = &res->rules[i];
		uint32_t k;
		if (rr->outcome == ER_OUT_FAILED && settled != ER_DECISION_REJECTED)
			needs_info = 1;
		if (rr->outcome != ER_OUT_UNDETERMINED || rr->potential <= settled)
			continue;
		needs_info = 1;
		for (k = 0; k < rr->missing_count; k++) {
			uint32_t f = res->missing[rr->missing_first + k];
			if (c->s->marks[f] == c->s->generation)
				continue;
			c->s->marks[f] = c->s->generation;
			if (!vm_grow((void **)&res->needed, &res->needed_cap, res->needed_count + 1,
				     sizeof *res->needed))
				return ER_E_NOMEM;
			res->needed[res->needed_count++] = f;
		}
	}
	res->settled = settled;
	res->decision = needs_info ? ER_DECISION_NEEDS_INFO : settled;
	return ER_OK;
}

er_status er_eval(const er_program *program, const er_record *record, int32_t as_of,
		  er_result *result)
{
	eval_ctx c;
	const pr_range *scoped[3];
	uint32_t ids[3], slots;
	ev_list lists[EV_MAX_LISTS];
	size_t n = 0;
	er_status st;

	result->rule_count = 0;
	result->missing_count = 0;
	result->value_count = 0;
	result->needed_count = 0;
	result->decision = ER_DECISION_ADMIT;
	result->settled = ER_DECISION_ADMIT;
	if (!result->scratch) {
		result->scratch = vm_scratch_new();
		if (!result->scratch)
			return ER_E_NOMEM;
	}
	c.p = program;
	c.rec = record;
	c.res = result;
	c.s = result->scratch;
	c.as_of = as_of;
	c.unit_unknown = program->unit_fact == BC_NONE || !record->present[program->unit_fact];

	if (c.unit_unknown) {
		/* Every rule could be in scope: run them all. */
		uint32_t i;
		for (i = 0; i < program->rule_count; i++) {
			const pr_rule *rc = &program->rule_code[i];
			int scoped_rule = rc->unit_count || rc->county_count || rc->class_mask;
			if (industry_excludes(program, record, i))
				continue;
			st = eval_rule(&c, i, scoped_rule);
			if (st != ER_OK)
				return st;
		}
		return decide(&c);
	}
	slots = 3 * (program->county_count + 1);
	ids[n] = 0;
	scoped[n++] = &program->unscoped;
	if (record->unit_class >= 0 && record->unit_class <= 2) {
		uint32_t slot = record->county_index < program->county_count ? record->county_index
									      : program->county_count;
		slot += (uint32_t)record->unit_class * (program->county_count + 1);
		ids[n] = 1 + slot;
		scoped[n++] = &program->by_class_county[slot];
	}
	if (record->unit_index < program->unit_count) {
		ids[n] = 1 + slots + record->unit_index;
		scoped[n++] = &program->by_unit[record->unit_index];
	}
	st = eval_lists(&c, lists, gather_lists(program, record, scoped, ids, n, lists));
	if (st != ER_OK)
		return st;
	return decide(&c);
}
