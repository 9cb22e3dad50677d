/* The bytecode verifier: checks every code fragment a rule references
 * before anything runs. It decodes each fragment once, front to back,
 * computing the kind of every stack slot along all paths (jumps only go
 * forward, so one pass reaches every path into an instruction before the
 * instruction itself). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "vm.h"

/* The abstract state at one program point. */
typedef struct vf_state {
	uint32_t depth;
	uint8_t kinds[BC_MAX_STACK];
} vf_state;

/* A state waiting at the target of a forward jump. */
typedef struct vf_pending {
	uint32_t target;
	vf_state state;
} vf_pending;

typedef struct verifier {
	const er_program *p;
	er_error *err;
	const char *rule_id;
	vf_pending *pending;  /* sorted by target */
	size_t pending_count, pending_cap;
	int nomem;
} verifier;

static const char *kind_name(uint8_t kind)
{
	static const char *const names[ER_K_COUNT] = {
		N_("boolean"), N_("decimal"), N_("date"), N_("string"), N_("industry code"),
		N_("enum value"), N_("set"), N_("unit"), N_("county"), N_("unit class"),
		N_("industry set"),
	};
	return kind < ER_K_COUNT ? _(names[kind]) : "?";
}

/* Record a failure at code offset pc: expected the instruction expected. */
static er_status fail(verifier *v, uint32_t pc, const char *expected)
{
	char detail[384];
	uint8_t op = pc < v->p->code_size ? v->p->code[pc] : 0;

	snprintf(detail, sizeof detail, _("rule %s, %s at code offset %u: %s"), v->rule_id,
		 op < BC_OPCODE_COUNT ? vm_opcode_names[op] : "?", (unsigned)pc, expected);
	pr_format_error(v->err, ER_E_FORMAT, "CODE",
			(size_t)(v->p->code - v->p->data) + pc, detail);
	return ER_E_FORMAT;
}

static uint32_t operand(const uint8_t *code, uint32_t at, uint8_t bytes)
{
	uint32_t x = 0;
	uint8_t i;
	for (i = 0; i < bytes; i++)
		x |= (uint32_t)code[at + i] << (8 * i);
	return x;
}

/* Add the state of a jump to `target`; states meeting at one target must
 * agree. */
static er_status add_pending(verifier *v, uint32_t pc, uint32_t target, const vf_state *st)
{
	size_t i = v->pending_count;

	while (i > 0 && v->pending[i - 1].target > target)
		i--;
	if (i > 0 && v->pending[i - 1].target == target) {
		const vf_state *o = &v->pending[i - 1].state;
		if (o->depth != st->depth || memcmp(o->kinds, st->kinds, st->depth) != 0)
			return fail(v, pc, _("expected the same stack depth and kinds on every path "
					     "into the jump target"));
		return ER_OK;
	}
	if (!vm_grow((void **)&v->pending, &v->pending_cap, v->pending_count + 1,
		     sizeof *v->pending)) {
		v->nomem = 1;
		return ER_E_NOMEM;
	}
	memmove(&v->pending[i + 1], &v->pending[i], (v->pending_count - i) * sizeof *v->pending);
	v->pending[i].target = target;
	v->pending[i].state = *st;
	v->pending_count++;
	return ER_OK;
}

/* Check the operands an opcode pops (in stack order, deepest first). */
static er_status check_pops(verifier *v, uint32_t pc, uint8_t op, const vf_state *st)
{
	const uint8_t *k = st->kinds + st->depth - vm_pops[op];
	char expected[256];

	switch (op) {
	case OP_JFALSE:
	case OP_JTRUE:
		/* Jumps pop nothing but test the top, which they keep. */
		if (st->depth == 0)
			return fail(v, pc, _("expected a value on the stack (stack underflow)"));
		if (st->kinds[st->depth - 1] != ER_K_BOOL)
			goto boolean;
		return ER_OK;
	case OP_NOT:
		if (k[0] != ER_K_BOOL)
			goto boolean;
		return ER_OK;
	case OP_AND:
	case OP_OR:
		if (k[0] != ER_K_BOOL || k[1] != ER_K_BOOL)
			goto boolean;
		return ER_OK;
	case OP_EQ:
	case OP_NE:
		if (k[0] != k[1])
			goto same;
		return ER_OK;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if (k[0] != k[1])
			goto same;
		if (k[0] != ER_K_DEC && k[0] != ER_K_DATE) {
			snprintf(expected, sizeof expected, _("expected decimals or dates to order, found %s"),
				 kind_name(k[0]));
			return fail(v, pc, expected);
		}
		return ER_OK;
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
		if (k[0] != ER_K_DEC || k[1] != ER_K_DEC)
			goto decimal;
		return ER_OK;
	case OP_NEG:
	case OP_SCALE:
		if (k[0] != ER_K_DEC)
			goto decimal;
		return ER_OK;
	case OP_IN_SET:
		if (k[0] != ER_K_ENUM || k[1] != ER_K_SET)
			return fail(v, pc, _("expected an enum value and a set"));
		return ER_OK;
	case OP_HAS:
		if (k[0] != ER_K_SET || k[1] != ER_K_ENUM)
			return fail(v, pc, _("expected a set and an enum value"));
		return ER_OK;
	case OP_CODE_IN:
		if (k[0] != ER_K_CODE || k[1] != ER_K_INDSET)
			return fail(v, pc, _("expected an industry code and an industry set"));
		return ER_OK;
	default:
		return ER_OK;
	}
boolean:
	return fail(v, pc, _("expected boolean operands"));
decimal:
	return fail(v, pc, _("expected decimal operands"));
same:
	snprintf(expected, sizeof expected, _("expected operands of one kind, found %s and %s"),
		 kind_name(k[0]), kind_name(k[1]));
	return fail(v, pc, expected);
}

/* The kind an instruction pushes, after checking its operand field. */
static er_status pushed_kind(verifier *v, uint32_t pc, uint8_t op, uint32_t x, uint8_t *kind)
{
	const er_program *p = v->p;
	static const uint8_t unit_fields[BC_UNIT_FIELD_COUNT] = {
		ER_K_UNIT, ER_K_CLASS, ER_K_COUNTY, ER_K_DEC, ER_K_STRING,
	};

	switch (op) {
	case OP_CONST:
		if (x >= p->const_count)
			return fail(v, pc, _("expected a constant index within the constant table"));
		if (p->consts[x].kind == BC_CONST_RATIO)
			return fail(v, pc, _("expected a constant that is a value, not a ratio"));
		*kind = p->consts[x].value.kind;
		return ER_OK;
	case OP_SCALE:
		if (x >= p->const_count || p->consts[x].kind != BC_CONST_RATIO)
			return fail(v, pc, _("expected the index of a ratio constant"));
		*kind = ER_K_DEC;
		return ER_OK;
	case OP_FACT:
	case OP_KNOWN:
		if (x >= p->fact_count)
			return fail(v, pc, _("expected a fact index within the fact table"));
		*kind = op == OP_FACT ? p->fact_kinds[x] : ER_K_BOOL;
		return ER_OK;
	case OP_UNIT:
		if (x >= BC_UNIT_FIELD_COUNT)
			return fail(v, pc, _("expected a unit field from 0 to 4"));
		*kind = unit_fields[x];
		return ER_OK;
	case OP_UNIT_ATTR:
	case OP_COUNTY_ATTR:
		if (x >= p->attr_count || p->attrs[x].owner != (op == OP_COUNTY_ATTR))
			return fail(v, pc, op == OP_UNIT_ATTR
					   ? _("expected the index of a unit attribute")
					   : _("expected the index of a county attribute"));
		*kind = p->attrs[x].kind;
		return ER_OK;
	case OP_TRUE:
	case OP_FALSE:
	case OP_NOT:
	case OP_AND:
	case OP_OR:
	case OP_EQ:
	case OP_NE:
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
	case OP_IN_SET:
	case OP_HAS:
	case OP_CODE_IN:
		*kind = ER_K_BOOL;
		return ER_OK;
	default:
		*kind = ER_K_DEC; /* arithmetic */
		return ER_OK;
	}
}

/* Verify the fragment at `start`, which must return a value of kind
 * `expect` (or any kind when expect is ER_K_COUNT). */
static er_status verify_fragment(verifier *v, uint32_t start, uint8_t expect)
{
	const er_program *p = v->p;
	const uint8_t *code = p->code;
	vf_state st;
	int reachable = 1;
	uint32_t pc = start;

	st.depth = 0;
	v->pending_count = 0;
	for (;;) {
		uint8_t op, bytes, kind = ER_K_BOOL;
		uint32_t x = 0, next;
		er_status rc;

		/* Merge the states of jumps that land here. */
		while (v->pending_count > 0 && v->pending[0].target <= pc) {
			vf_pending *j = &v->pending[0];
			if (j->target < pc)
				return fail(v, j->target, _("expected a jump target at the start of an "
							    "instruction, not inside one"));
			if (reachable && (j->state.depth != st.depth ||
					  memcmp(j->state.kinds, st.kinds, st.depth) != 0))
				return fail(v, pc, _("expected the same stack depth and kinds on every "
						     "path into the jump target"));
			st = j->state;
			reachable = 1;
			memmove(&v->pending[0], &v->pending[1],
				(v->pending_count - 1) * sizeof *v->pending);
			v->pending_count--;
		}
		if (!reachable) {
			if (v->pending_count == 0)
				return ER_OK;
			return fail(v, pc, _("expected no unreachable code after OP_RET"));
		}
		if (pc >= p->code_size)
			return fail(v, pc, _("expected OP_RET before the end of the CODE section"));
		op = code[pc];
		if (op >= BC_OPCODE_COUNT)
			return fail(v, pc, _("expected a known opcode"));
		bytes = vm_operand_bytes[op];
		if (p->code_size - pc - 1 < bytes)
			return fail(v, pc, _("expected the operand within the CODE section"));
		x = operand(code, pc + 1, bytes);
		next = pc + 1 + bytes;

		if (st.depth < vm_pops[op])
			return fail(v, pc, _("expected more values on the stack (stack underflow)"));
		rc = check_pops(v, pc, op, &st);
		if (rc != ER_OK)
			return rc;

		if (op == OP_JFALSE || op == OP_JTRUE) {
			uint32_t target = next + x;
			if (target >= p->code_size)
				return fail(v, pc, _("expected a jump target within the CODE section"));
			rc = add_pending(v, pc, target, &st);
			if (rc != ER_OK)
				return rc;
		} else if (op == OP_RET) {
			if (st.depth != 1)
				return fail(v, pc, _("expected exactly one value on the stack at OP_RET"));
			if (expect != ER_K_COUNT && st.kinds[0] != expect) {
				char expected[256];
				snprintf(expected, sizeof expected, _("expected the fragment to return a %s, found %s"),
					 kind_name(expect), kind_name(st.kinds[0]));
				return fail(v, pc, expected);
			}
			reachable = 0;
		} else {
			rc = pushed_kind(v, pc, op, x, &kind);
			if (rc != ER_OK)
				return rc;
			st.depth -= vm_pops[op];
			if (vm_pushes[op] > 0) {
				if (st.depth >= BC_MAX_STACK)
					return fail(v, pc, _("expected at most 64 values on the stack "
							     "(stack overflow)"));
				st.kinds[st.depth++] = kind;
			}
		}
		pc = next;
	}
}

er_status pr_verify(const er_program *p, er_error *err)
{
	verifier v;
	er_status rc = ER_OK;
	uint32_t i, k;

	memset(&v, 0, sizeof v);
	v.p = p;
	v.err = err;
	for (i = 0; i < p->rule_count && rc == ER_OK; i++) {
		const pr_rule *r = &p->rule_code[i];
		v.rule_id = p->rules[i].id;
		if (r->condition != BC_NONE)
			rc = verify_fragment(&v, r->condition, ER_K_BOOL);
		if (rc == ER_OK && r->ensure != BC_NONE)
			rc = verify_fragment(&v, r->ensure, ER_K_BOOL);
		for (k = 0; k < r->part_count && rc == ER_OK; k++)
			if (r->parts[k].code != BC_NONE)
				rc = verify_fragment(&v, r->parts[k].code, ER_K_COUNT);
		for (k = 0; k < r->let_count && rc == ER_OK; k++)
			rc = verify_fragment(&v, r->lets[k].code, ER_K_COUNT);
	}
	free(v.pending);
	if (v.nomem) {
		err->status = ER_E_NOMEM;
		snprintf(err->message, sizeof err->message, "%s",
			 _("out of memory while verifying the bytecode file"));
		return ER_E_NOMEM;
	}
	return rc;
}
