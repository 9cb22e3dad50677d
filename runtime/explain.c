/* The explainer's analysis: decompile a rule's code fragments into
 * expression trees, evaluate them node by node with the VM's
 * three-valued semantics, and split a condition into its `when` part and
 * its `unless` exceptions. */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "vm.h"

/* Highest tree the explainer builds, so that its recursive walks stay
 * well within the C stack; a higher fragment is explained without trees.
 * The compiler's stack limit of 64 bounds most trees far below this, but
 * a long chain of `and` is as high as it is long. */
#define XP_MAX_DEPTH 2000

void xp_explanation_init(xp_explanation *x)
{
	memset(x, 0, sizeof *x);
	er_result_init(&x->result);
}

void xp_explanation_free(xp_explanation *x)
{
	er_result_free(&x->result);
	free(x->rules);
	free(x->nodes);
	free(x->links);
	memset(x, 0, sizeof *x);
}

uint32_t xp_find_rule(const er_program *program, const char *id)
{
	for (size_t i = 0; i < er_program_rule_count(program); i++)
		if (strcmp(er_program_rule(program, i)->id, id) == 0)
			return (uint32_t)i;
	return BC_NONE;
}

/* ---- Decompiling ---- */

static uint32_t read_u16(const uint8_t *code, uint32_t at)
{
	return (uint32_t)code[at] | (uint32_t)code[at + 1] << 8;
}

static uint32_t read_u32(const uint8_t *code, uint32_t at)
{
	return read_u16(code, at) | read_u16(code, at + 2) << 16;
}

static uint32_t new_node(xp_explanation *x, uint8_t op, uint32_t operand)
{
	xp_node *n;

	if (!vm_grow((void **)&x->nodes, &x->node_cap, x->node_count + 1, sizeof *x->nodes))
		return BC_NONE;
	n = &x->nodes[x->node_count];
	memset(n, 0, sizeof *n);
	n->op = op;
	n->operand = operand;
	n->lhs = BC_NONE;
	n->rhs = BC_NONE;
	return (uint32_t)x->node_count++;
}

/* Set and return the height of node `n` from its children's, so that
 * the recursive walks over a tree are bounded. */
static uint32_t set_height(xp_explanation *x, uint32_t n)
{
	xp_node *node = &x->nodes[n];
	uint32_t h = 0;

	if (node->lhs != BC_NONE)
		h = x->nodes[node->lhs].height;
	if (node->rhs != BC_NONE && x->nodes[node->rhs].height > h)
		h = x->nodes[node->rhs].height;
	node->height = h + 1;
	return node->height;
}

/* A short-circuit jump waiting for the `and` or `or` that consumes the
 * value it keeps. */
typedef struct pending_jump {
	uint8_t op;       /* OP_JFALSE or OP_JTRUE */
	uint32_t depth;   /* stack depth at the jump */
	uint32_t kept;    /* the node whose value the jump keeps */
	uint32_t target;  /* code offset it lands on */
} pending_jump;

/* Whether the `and` or `or` ending at `end` closes `jump` as the
 * compiler writes it. The jump lands right after the operator, or on a
 * jump of the same kind to the same place, which the next operator of
 * the chain closes in turn (`when A unless B unless C`). */
static int closes_jump(const uint8_t *code, uint32_t end, const pending_jump *jump)
{
	if (jump->target == end)
		return 1;
	return code[end] == jump->op && end + 3 + read_u16(code, end + 1) == jump->target;
}

/* Build the tree of the verified fragment at `offset` and set *root and
 * *ret (the offset of its OP_RET). Returns ER_OK, ER_E_NOMEM, or
 * ER_E_FORMAT for a shape the compiler does not write. */
static er_status decompile(xp_explanation *x, uint32_t offset, uint32_t *root, uint32_t *ret)
{
	const uint8_t *code = x->program->code;
	uint32_t stack[BC_MAX_STACK];
	pending_jump jumps[BC_MAX_STACK];
	uint32_t sp = 0, jp = 0, pc = offset;

	for (;;) {
		uint8_t op = code[pc];
		uint32_t at = pc + 1;
		uint32_t n;

		pc = at + vm_operand_bytes[op];
		if (op == OP_RET) {
			if (sp != 1 || jp != 0)
				return ER_E_FORMAT;
			*root = stack[0];
			*ret = at - 1;
			return ER_OK;
		}
		if (op == OP_JFALSE || op == OP_JTRUE) {
			if (jp == BC_MAX_STACK)
				return ER_E_FORMAT;
			if (sp == 0)
				return ER_E_FORMAT;
			jumps[jp].op = op;
			jumps[jp].depth = sp;
			jumps[jp].kept = stack[sp - 1];
			jumps[jp].target = pc + read_u16(code, at);
			jp++;
			continue;
		}
		switch (vm_operand_bytes[op]) {
		case 1: n = new_node(x, op, code[at]); break;
		case 2: n = new_node(x, op, read_u16(code, at)); break;
		case 4: n = new_node(x, op, read_u32(code, at)); break;
		default: n = new_node(x, op, 0); break;
		}
		if (n == BC_NONE)
			return ER_E_NOMEM;
		if (vm_pops[op] > sp)
			return ER_E_FORMAT;
		if (vm_pops[op] == 2) {
			x->nodes[n].rhs = stack[--sp];
			x->nodes[n].lhs = stack[--sp];
		} else if (vm_pops[op] == 1) {
			x->nodes[n].lhs = stack[--sp];
		}
		if (set_height(x, n) > XP_MAX_DEPTH)
			return ER_E_FORMAT;
		if ((op == OP_AND || op == OP_OR) && jp > 0 && jumps[jp - 1].depth == sp + 1) {
			/* The operator must combine the very value the jump kept,
			 * so that a short circuit of the tree is the jump. */
			if (jumps[jp - 1].op != (op == OP_AND ? OP_JFALSE : OP_JTRUE) ||
			    x->nodes[n].lhs != jumps[jp - 1].kept || !closes_jump(code, pc, &jumps[jp - 1]))
				return ER_E_FORMAT;
			x->nodes[n].short_circuit = 1;
			x->nodes[n].target = jumps[jp - 1].target;
			jp--;
		}
		if (sp == BC_MAX_STACK)
			return ER_E_FORMAT;
		stack[sp++] = n;
	}
}

/* ---- Evaluating ---- */

typedef struct eval_state {
	xp_explanation *x;
	er_status failure;  /* the first rule failure, as the VM stops at it */
} eval_state;

static void set_bool(er_value *v, int truth)
{
	memset(v, 0, sizeof *v);
	v->kind = ER_K_BOOL;
	v->truth = truth ? ER_TRUE : ER_FALSE;
}

static void set_unknown(er_value *v, uint8_t kind)
{
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->unknown = 1;
}

/* A field of the project's unit (OP_UNIT), unknown when the unit fact is
 * absent or the unit table lacks it. */
static void unit_field(const er_program *p, const er_record *rec, uint32_t field, er_value *v)
{
	static const uint8_t kinds[BC_UNIT_FIELD_COUNT] = {
		ER_K_UNIT, ER_K_CLASS, ER_K_COUNTY, ER_K_DEC, ER_K_STRING,
	};
	uint32_t u = rec->unit_index;

	set_unknown(v, kinds[field]);
	if (vm_unit_unknown(p, rec))
		return;
	switch (field) {
	case BC_UNIT_SELF:
		if (u != BC_NONE)
			v->as.index = u, v->unknown = 0;
		return;
	case BC_UNIT_CLASS:
		if (rec->unit_class >= 0 && rec->unit_class <= 2)
			v->as.index = (uint32_t)rec->unit_class, v->unknown = 0;
		return;
	case BC_UNIT_COUNTY:
		if (rec->county_index < p->county_count)
			v->as.index = rec->county_index, v->unknown = 0;
		return;
	case BC_UNIT_AREA:
		if (u < p->unit_count && p->units[u].area != BC_NONE)
			*v = p->consts[p->units[u].area].value;
		return;
	default:
		if (u < p->unit_count) {
			v->as.str.ptr = p->strings[p->units[u].name];
			v->as.str.len = p->string_lens[p->units[u].name];
			v->unknown = 0;
		}
		return;
	}
}

static void attribute(const er_program *p, const er_record *rec, uint32_t attr, int county,
		      er_value *v)
{
	uint32_t owner = county ? rec->county_index : rec->unit_index;
	uint32_t limit = county ? p->county_count : p->unit_count;
	const uint32_t *rows = county ? p->county_values : p->unit_values;

	set_unknown(v, p->attrs[attr].kind);
	if (vm_unit_unknown(p, rec) || owner >= limit)
		return;
	if (rows[(size_t)owner * p->attr_count + attr] != BC_NONE)
		*v = p->consts[rows[(size_t)owner * p->attr_count + attr]].value;
}

static void eval_node(eval_state *s, uint32_t index, int depth);

static void eval_leaf(eval_state *s, xp_node *n)
{
	const er_program *p = s->x->program;
	const er_record *rec = s->x->record;

	switch (n->op) {
	case OP_TRUE:
	case OP_FALSE:
		set_bool(&n->value, n->op == OP_TRUE);
		return;
	case OP_CONST:
		n->value = p->consts[n->operand].value;
		return;
	case OP_FACT:
		if (!rec->present[n->operand] || rec->slots[n->operand].unknown) {
			set_unknown(&n->value, p->fact_kinds[n->operand]);
			return;
		}
		if (rec->slots[n->operand].kind != p->fact_kinds[n->operand]) {
			s->failure = ER_E_INPUT;
			return;
		}
		n->value = rec->slots[n->operand];
		n->value.why = p->facts[n->operand].enum_index == BC_NONE ? 0
									  : p->facts[n->operand].enum_index;
		return;
	case OP_KNOWN:
		set_bool(&n->value, rec->present[n->operand] && !rec->slots[n->operand].unknown);
		return;
	case OP_UNIT:
		unit_field(p, rec, n->operand, &n->value);
		return;
	default:
		attribute(p, rec, n->operand, n->op == OP_COUNTY_ATTR, &n->value);
		return;
	}
}

/* Three-valued and/or: `decider` is the truth that decides alone. */
static void eval_logic(eval_state *s, xp_node *n, int depth, uint8_t decider)
{
	xp_explanation *x = s->x;
	const er_value *a, *b;

	eval_node(s, n->lhs, depth + 1);
	if (s->failure != ER_OK)
		return;
	a = &x->nodes[n->lhs].value;
	if (n->short_circuit && !a->unknown && a->truth == decider) {
		n->value = *a;
		return;
	}
	eval_node(s, n->rhs, depth + 1);
	if (s->failure != ER_OK)
		return;
	a = &x->nodes[n->lhs].value;
	b = &x->nodes[n->rhs].value;
	if ((!a->unknown && a->truth == decider) || (!b->unknown && b->truth == decider))
		set_bool(&n->value, decider == ER_TRUE);
	else if (a->unknown || b->unknown)
		set_unknown(&n->value, ER_K_BOOL);
	else
		set_bool(&n->value, decider != ER_TRUE);
}

static void eval_binary(eval_state *s, xp_node *n)
{
	const er_value *a = &s->x->nodes[n->lhs].value;
	const er_value *b = &s->x->nodes[n->rhs].value;
	er_dec r;

	if (a->unknown || b->unknown) {
		set_unknown(&n->value, n->op >= OP_ADD && n->op <= OP_DIV ? ER_K_DEC : ER_K_BOOL);
		return;
	}
	switch (n->op) {
	case OP_EQ: set_bool(&n->value, vm_values_equal(a, b)); return;
	case OP_NE: set_bool(&n->value, !vm_values_equal(a, b)); return;
	case OP_LT: set_bool(&n->value, vm_values_order(a, b) < 0); return;
	case OP_LE: set_bool(&n->value, vm_values_order(a, b) <= 0); return;
	case OP_GT: set_bool(&n->value, vm_values_order(a, b) > 0); return;
	case OP_GE: set_bool(&n->value, vm_values_order(a, b) >= 0); return;
	case OP_IN_SET:
		set_bool(&n->value, a->as.index < 64 && (b->as.bits >> a->as.index & 1));
		return;
	case OP_HAS:
		set_bool(&n->value, b->as.index < 64 && (a->as.bits >> b->as.index & 1));
		return;
	case OP_CODE_IN:
		set_bool(&n->value, vm_code_in_set(s->x->program, a, b->as.index));
		return;
	case OP_ADD: s->failure = vm_dec_status(er_dec_add(a->as.dec, b->as.dec, &r)); break;
	case OP_SUB: s->failure = vm_dec_status(er_dec_sub(a->as.dec, b->as.dec, &r)); break;
	case OP_MUL: s->failure = vm_dec_status(er_dec_mul(a->as.dec, b->as.dec, &r)); break;
	default: s->failure = vm_dec_status(er_dec_div(a->as.dec, b->as.dec, &r)); break;
	}
	if (s->failure != ER_OK) {
		set_unknown(&n->value, ER_K_DEC);
		return;
	}
	n->value = *a;
	n->value.as.dec = r;
}

static void eval_unary(eval_state *s, xp_node *n)
{
	const er_program *p = s->x->program;

	n->value = s->x->nodes[n->lhs].value;
	if (n->value.unknown)
		return;
	if (n->op == OP_NOT)
		n->value.truth = n->value.truth == ER_TRUE ? ER_FALSE : ER_TRUE;
	else if (n->op == OP_NEG)
		s->failure = vm_dec_status(er_dec_neg(n->value.as.dec, &n->value.as.dec));
	else
		s->failure = vm_dec_status(er_dec_scale(n->value.as.dec, p->consts[n->operand].num,
						      p->consts[n->operand].den, &n->value.as.dec));
}

static void eval_node_body(eval_state *s, uint32_t index, int depth);

/* Evaluate node `index` in the VM's order: left operand, right operand,
 * operator. Stops at the first failure, as the VM does, and marks the
 * nodes it was evaluating as failed. */
static void eval_node(eval_state *s, uint32_t index, int depth)
{
	eval_node_body(s, index, depth);
	if (s->failure != ER_OK)
		s->x->nodes[index].failed = 1;
}

static void eval_node_body(eval_state *s, uint32_t index, int depth)
{
	xp_node *n = &s->x->nodes[index];

	if (depth > XP_MAX_DEPTH) {
		s->failure = ER_E_FORMAT;
		return;
	}
	n->evaluated = 1;
	if (n->op == OP_AND || n->op == OP_OR) {
		eval_logic(s, n, depth, n->op == OP_AND ? ER_FALSE : ER_TRUE);
		return;
	}
	if (n->lhs == BC_NONE) {
		eval_leaf(s, n);
		return;
	}
	eval_node(s, n->lhs, depth + 1);
	if (s->failure != ER_OK)
		return;
	if (n->rhs == BC_NONE) {
		eval_unary(s, &s->x->nodes[index]);
		return;
	}
	eval_node(s, n->rhs, depth + 1);
	if (s->failure == ER_OK)
		eval_binary(s, &s->x->nodes[index]);
}

/* ---- Rules ---- */

static int in_force(const er_rule_info *info, int32_t as_of)
{
	return !(info->has_from && as_of < info->from) && !(info->has_until && as_of > info->until);
}

/* Split the condition tree into the `when` part and the exceptions. The
 * compiler writes `when W unless U1 unless U2` as `W and not U1 and not
 * U2` with every jump landing on the fragment's OP_RET, so each trailing
 * `and not U` whose jump lands there is an exception.
 * NOTE: `when A and not B` compiles to the same code as
 * `when A unless B`, so the explainer shows B as an exception. */
static er_status split_condition(xp_explanation *x, xp_rule *r, uint32_t ret)
{
	uint32_t node = r->condition_root, count = 0;
	size_t first = x->link_count;

	while (x->nodes[node].op == OP_AND && x->nodes[node].short_circuit &&
	       x->nodes[node].target == ret && x->nodes[x->nodes[node].rhs].op == OP_NOT) {
		if (!vm_grow((void **)&x->links, &x->link_cap, x->link_count + 1, sizeof *x->links))
			return ER_E_NOMEM;
		x->links[x->link_count++] = x->nodes[x->nodes[node].rhs].lhs;
		count++;
		node = x->nodes[node].lhs;
	}
	/* The chain was walked from the last exception back: reverse it. */
	for (uint32_t i = 0; i < count / 2; i++) {
		uint32_t t = x->links[first + i];

		x->links[first + i] = x->links[first + count - 1 - i];
		x->links[first + count - 1 - i] = t;
	}
	r->when = node;
	r->unless_first = (uint32_t)first;
	r->unless_count = count;
	return ER_OK;
}

static er_status build_rule(xp_explanation *x, xp_rule *r)
{
	const pr_rule *rc = &x->program->rule_code[r->rule];
	uint32_t ret;
	er_status st = ER_OK;

	r->condition_root = BC_NONE;
	r->when = BC_NONE;
	r->ensure = BC_NONE;
	r->decompiled = 1;
	if (rc->condition != BC_NONE) {
		st = decompile(x, rc->condition, &r->condition_root, &ret);
		if (st == ER_OK)
			st = split_condition(x, r, ret);
	}
	if (st == ER_OK && rc->ensure != BC_NONE)
		st = decompile(x, rc->ensure, &r->ensure, &ret);
	if (st == ER_E_FORMAT) {
		r->decompiled = 0;
		r->condition_root = BC_NONE;
		r->when = BC_NONE;
		r->ensure = BC_NONE;
		r->unless_count = 0;
		return ER_OK;
	}
	return st;
}

er_status xp_decompile_rule(xp_explanation *x, uint32_t rule, xp_rule *r)
{
	memset(r, 0, sizeof *r);
	r->rule = rule;
	r->result_index = BC_NONE;
	return build_rule(x, r);
}

er_status xp_decompile(xp_explanation *x, uint32_t offset, uint32_t *root)
{
	uint32_t ret;

	return decompile(x, offset, root, &ret);
}

/* Evaluate the trees and derive the outcome they give, as er_eval does
 * before it computes the message values. */
static void trace_rule(xp_explanation *x, xp_rule *r)
{
	eval_state s = { x, ER_OK };
	int unknown = r->scope_unknown;

	if (r->condition_root != BC_NONE) {
		const er_value *cond;

		eval_node(&s, r->condition_root, 0);
		cond = &x->nodes[r->condition_root].value;
		if (s.failure == ER_OK && !cond->unknown && cond->truth == ER_FALSE) {
			r->traced = XP_DOES_NOT_APPLY;
			return;
		}
		unknown |= s.failure == ER_OK && cond->unknown;
	}
	if (s.failure == ER_OK && r->ensure != BC_NONE)
		eval_node(&s, r->ensure, 0);
	if (s.failure == ER_E_FORMAT) {
		/* Too deep to walk: show the outcome without trees. */
		r->decompiled = 0;
		r->traced = r->outcome;
		return;
	}
	if (s.failure != ER_OK)
		r->traced = XP_FAILED;
	else
		r->traced = unknown ? XP_UNDETERMINED : XP_APPLIES;
}

/* Mark in `marks` the rules er_eval visits for the record: those of the
 * index lists of its unit, or every rule when the unit fact is absent. */
static void mark_in_scope(const er_program *p, const er_record *rec, uint8_t *marks)
{
	pr_range lists[3];
	size_t n = 0;

	if (vm_unit_unknown(p, rec)) {
		memset(marks, 1, p->rule_count);
		return;
	}
	lists[n++] = p->unscoped;
	if (rec->unit_class >= 0 && rec->unit_class <= 2) {
		uint32_t slot = rec->county_index < p->county_count ? rec->county_index : p->county_count;

		lists[n++] = p->by_class_county[(size_t)rec->unit_class * (p->county_count + 1) + slot];
	}
	if (rec->unit_index < p->unit_count)
		lists[n++] = p->by_unit[rec->unit_index];
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < lists[i].count; k++)
			marks[p->index_rules[lists[i].first + k]] = 1;
}

static xp_outcome outcome_of(const er_rule_result *rr)
{
	switch (rr->outcome) {
	case ER_OUT_APPLIES: return XP_APPLIES;
	case ER_OUT_UNDETERMINED: return XP_UNDETERMINED;
	case ER_OUT_FAILED: break;
	}
	return XP_FAILED;
}

static er_status explain_rule(xp_explanation *x, uint32_t rule, int in_scope)
{
	const er_program *p = x->program;
	const pr_rule *rc = &p->rule_code[rule];
	xp_rule *r;
	er_status st;

	if (!vm_grow((void **)&x->rules, &x->rule_cap, x->rule_count + 1, sizeof *x->rules))
		return ER_E_NOMEM;
	r = &x->rules[x->rule_count++];
	memset(r, 0, sizeof *r);
	r->rule = rule;
	r->result_index = BC_NONE;
	r->condition_root = BC_NONE;
	r->when = BC_NONE;
	r->ensure = BC_NONE;
	r->decompiled = 1;
	r->scope_unknown = vm_unit_unknown(p, x->record) &&
			   (rc->unit_count || rc->county_count || rc->class_mask);
	if (!in_scope) {
		r->outcome = r->traced = XP_NOT_IN_SCOPE;
		return ER_OK;
	}
	if (!in_force(&p->rules[rule], x->as_of)) {
		r->outcome = r->traced = XP_NOT_IN_FORCE;
		return ER_OK;
	}
	r->outcome = XP_DOES_NOT_APPLY;
	for (size_t i = 0; i < x->result.rule_count; i++) {
		const er_rule_result *rr = &x->result.rules[i];

		if (rr->rule != rule)
			continue;
		r->result_index = (uint32_t)i;
		r->outcome = outcome_of(rr);
		r->check = rr->check;
		r->error = rr->error;
	}
	st = build_rule(x, r);
	if (st == ER_OK)
		trace_rule(x, r);
	return st;
}

er_status xp_explain(const er_program *program, const er_record *record, int32_t as_of,
		     uint32_t only, xp_explanation *x)
{
	uint8_t *marks;
	er_status st;

	x->program = program;
	x->record = record;
	x->as_of = as_of;
	x->rule_count = 0;
	x->node_count = 0;
	x->link_count = 0;
	st = er_eval(program, record, as_of, &x->result);
	if (st != ER_OK)
		return st;
	marks = calloc(program->rule_count ? program->rule_count : 1, 1);
	if (marks == NULL)
		return ER_E_NOMEM;
	mark_in_scope(program, record, marks);
	for (uint32_t i = 0; i < program->rule_count && st == ER_OK; i++) {
		if (only != BC_NONE && i != only)
			continue;
		if (only == BC_NONE && !marks[i])
			continue;
		st = explain_rule(x, i, marks[i]);
	}
	free(marks);
	return st;
}

/* The display unit of a decimal node, or NULL. A constant takes the
 * unit of the operand it is compared or added with, because the
 * compiler converts literals into that operand's unit. */
const char *xp_node_unit(const xp_explanation *x, uint32_t index)
{
	const er_program *p = x->program;
	const xp_node *n = &x->nodes[index];
	const char *u;

	switch (n->op) {
	case OP_FACT: return p->facts[n->operand].unit_text;
	case OP_UNIT_ATTR:
	case OP_COUNTY_ATTR: return pr_string_or_null(p, p->attrs[n->operand].unit_text);
	case OP_UNIT: return n->operand == BC_UNIT_AREA ? "平方公里" : NULL;
	case OP_NEG: return xp_node_unit(x, n->lhs);
	case OP_ADD:
	case OP_SUB:
		u = xp_node_unit(x, n->lhs);
		return u != NULL ? u : xp_node_unit(x, n->rhs);
	/* NOTE: the bytecode keeps no unit for constants, so `x * 2 年` is
	 * taken to be in x's unit, and a constant compared with it is shown
	 * in that unit. */
	case OP_MUL:
		if (x->nodes[n->lhs].op == OP_CONST)
			return xp_node_unit(x, n->rhs);
		return x->nodes[n->rhs].op == OP_CONST ? xp_node_unit(x, n->lhs) : NULL;
	case OP_DIV:
		return x->nodes[n->rhs].op == OP_CONST ? xp_node_unit(x, n->lhs) : NULL;
	}
	return NULL;
}
