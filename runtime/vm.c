/* The VM's dispatch loop over the instruction set of runtime/bytecode.h.
 * It compiles as computed goto, or as a switch when ER_DISPATCH_SWITCH is
 * defined. The verifier has checked operands, stack depth and kinds, so
 * the loop checks only what depends on the record: absent facts and
 * decimal results. */
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define NAME_ENTRY(name, operand_bytes, pops, pushes, doc) #name,
#define OPERAND_ENTRY(name, operand_bytes, pops, pushes, doc) operand_bytes,
#define POPS_ENTRY(name, operand_bytes, pops, pushes, doc) pops,
#define PUSHES_ENTRY(name, operand_bytes, pops, pushes, doc) pushes,
const char *const vm_opcode_names[BC_OPCODE_COUNT] = { BC_OPCODES(NAME_ENTRY) };
const uint8_t vm_operand_bytes[BC_OPCODE_COUNT] = { BC_OPCODES(OPERAND_ENTRY) };
const uint8_t vm_pops[BC_OPCODE_COUNT] = { BC_OPCODES(POPS_ENTRY) };
const uint8_t vm_pushes[BC_OPCODE_COUNT] = { BC_OPCODES(PUSHES_ENTRY) };

/* ---- Scratch space and provenance ---- */

int vm_grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *a;

	if (need <= *cap)
		return 1;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return 0;
		n *= 2;
	}
	a = realloc(*array, n * size);
	if (!a)
		return 0;
	*array = a;
	*cap = n;
	return 1;
}

vm_scratch *vm_scratch_new(void)
{
	return calloc(1, sizeof(vm_scratch));
}

void vm_scratch_free(vm_scratch *s)
{
	if (!s)
		return;
	free(s->nodes);
	free(s->marks);
	free(s->walk);
	free(s);
}

void vm_scratch_reset(vm_scratch *s)
{
	s->node_count = 0;
}

static uint32_t new_node(vm_scratch *s, uint32_t left, uint32_t right, er_status *status)
{
	if (s->node_count == s->node_cap) {
		size_t cap = s->node_cap;
		if (s->node_cap >= UINT32_MAX / 2 ||
		    !vm_grow((void **)&s->nodes, &cap, (size_t)s->node_count + 1, sizeof *s->nodes)) {
			*status = ER_E_NOMEM;
			return 0;
		}
		s->node_cap = (uint32_t)cap;
	}
	s->nodes[s->node_count].left = left;
	s->nodes[s->node_count].right = right;
	return ++s->node_count;
}

uint32_t vm_leaf(vm_scratch *s, uint32_t fact, er_status *status)
{
	return new_node(s, fact, BC_NONE, status);
}

uint32_t vm_join(vm_scratch *s, uint32_t a, uint32_t b, er_status *status)
{
	if (a == 0 || a == b)
		return b;
	if (b == 0)
		return a;
	return new_node(s, a, b, status);
}

er_status vm_begin_collect(vm_scratch *s, size_t fact_count)
{
	/* One more mark for VM_WHY_DATA. */
	size_t need = fact_count + 1;
	if (s->mark_cap < need) {
		uint32_t *m = realloc(s->marks, need * sizeof *m);
		if (!m)
			return ER_E_NOMEM;
		memset(m, 0, need * sizeof *m);
		s->marks = m;
		s->mark_cap = need;
		s->generation = 0;
	}
	if (++s->generation == 0) {
		memset(s->marks, 0, s->mark_cap * sizeof *s->marks);
		s->generation = 1;
	}
	return ER_OK;
}

er_status vm_collect(vm_scratch *s, uint32_t why, uint32_t **list, size_t *count, size_t *cap,
		     int *data_missing)
{
	size_t top = 0;

	if (why == 0)
		return ER_OK;
	if (!vm_grow((void **)&s->walk, &s->walk_cap, 1, sizeof *s->walk))
		return ER_E_NOMEM;
	s->walk[top++] = why;
	while (top > 0) {
		const vm_node *n = &s->nodes[s->walk[--top] - 1];
		if (n->right == BC_NONE) {
			size_t slot = n->left == VM_WHY_DATA ? s->mark_cap - 1 : n->left;
			if (s->marks[slot] == s->generation)
				continue;
			s->marks[slot] = s->generation;
			if (n->left == VM_WHY_DATA) {
				*data_missing = 1;
				continue;
			}
			if (!vm_grow((void **)list, cap, *count + 1, sizeof **list))
				return ER_E_NOMEM;
			(*list)[(*count)++] = n->left;
			continue;
		}
		if (!vm_grow((void **)&s->walk, &s->walk_cap, top + 2, sizeof *s->walk))
			return ER_E_NOMEM;
		/* Right first, so facts come out left to right. */
		s->walk[top++] = n->right;
		s->walk[top++] = n->left;
	}
	return ER_OK;
}

/* ---- Slow paths ---- */

er_status vm_dec_status(er_dec_status st)
{
	switch (st) {
	case ER_DEC_OK: return ER_OK;
	case ER_DEC_OVERFLOW: return ER_E_OVERFLOW;
	case ER_DEC_INEXACT: return ER_E_INEXACT;
	case ER_DEC_DIVZERO: return ER_E_DIVZERO;
	case ER_DEC_SYNTAX: break;
	}
	return ER_E_INPUT;
}

/* Whether two known values of one kind are equal. */
int vm_values_equal(const er_value *a, const er_value *b)
{
	switch (a->kind) {
	case ER_K_BOOL: return a->truth == b->truth;
	case ER_K_DEC: return er_dec_cmp(a->as.dec, b->as.dec) == 0;
	case ER_K_DATE: return a->as.date == b->as.date;
	case ER_K_STRING:
	case ER_K_CODE:
		return a->as.str.len == b->as.str.len &&
		       memcmp(a->as.str.ptr, b->as.str.ptr, a->as.str.len) == 0;
	case ER_K_SET: return a->as.bits == b->as.bits;
	default: return a->as.index == b->as.index;
	}
}

/* -1, 0 or 1 for two known decimals or dates. */
int vm_values_order(const er_value *a, const er_value *b)
{
	if (a->kind == ER_K_DEC)
		return er_dec_cmp(a->as.dec, b->as.dec);
	return (a->as.date > b->as.date) - (a->as.date < b->as.date);
}

/* Whether an industry code lies in a set: one of the set's codes is a
 * prefix of it. */
int vm_code_in_set(const er_program *p, const er_value *code, uint32_t set)
{
	const pr_indset *s = &p->indsets[set];
	uint32_t i;

	for (i = 0; i < s->count; i++) {
		uint32_t id = s->codes[i];
		uint32_t n = p->string_lens[id];
		if (n <= code->as.str.len && memcmp(p->strings[id], code->as.str.ptr, n) == 0)
			return 1;
	}
	return 0;
}

static er_status arith(uint8_t op, er_dec a, er_dec b, er_dec *out)
{
	switch (op) {
	case OP_ADD: return vm_dec_status(er_dec_add(a, b, out));
	case OP_SUB: return vm_dec_status(er_dec_sub(a, b, out));
	case OP_MUL: return vm_dec_status(er_dec_mul(a, b, out));
	default: return vm_dec_status(er_dec_div(a, b, out));
	}
}

/* Whether the project's unit fact is absent (so anything about the unit
 * is unknown because of that fact). */
int vm_unit_unknown(const er_program *p, const er_record *rec)
{
	return p->unit_fact == BC_NONE || !rec->present[p->unit_fact];
}

/* Push the value of field `field` of the project's unit. */
static er_status unit_field(const er_program *p, const er_record *rec, uint32_t field,
			    vm_scratch *s, er_value *v)
{
	static const uint8_t kinds[BC_UNIT_FIELD_COUNT] = {
		ER_K_UNIT, ER_K_CLASS, ER_K_COUNTY, ER_K_DEC, ER_K_STRING,
	};
	er_status st = ER_OK;
	uint32_t u = rec->unit_index;

	memset(v, 0, sizeof *v);
	v->kind = kinds[field];
	if (vm_unit_unknown(p, rec)) {
		v->unknown = 1;
		v->why = vm_leaf(s, p->unit_fact == BC_NONE ? VM_WHY_DATA : p->unit_fact, &st);
		return st;
	}
	switch (field) {
	case BC_UNIT_SELF:
		if (u == BC_NONE)
			goto data;
		v->as.index = u;
		return ER_OK;
	case BC_UNIT_CLASS:
		if (rec->unit_class < 0 || rec->unit_class > 2)
			goto data;
		v->as.index = (uint32_t)rec->unit_class;
		return ER_OK;
	case BC_UNIT_COUNTY:
		if (rec->county_index >= p->county_count)
			goto data;
		v->as.index = rec->county_index;
		return ER_OK;
	case BC_UNIT_AREA:
		if (u >= p->unit_count || p->units[u].area == BC_NONE)
			goto data;
		*v = p->consts[p->units[u].area].value;
		return ER_OK;
	default:
		/* The writer stores a unit declared without a name as "". */
		if (u >= p->unit_count || p->string_lens[p->units[u].name] == 0)
			goto data;
		v->as.str.ptr = p->strings[p->units[u].name];
		v->as.str.len = p->string_lens[p->units[u].name];
		return ER_OK;
	}
data:
	v->unknown = 1;
	v->why = vm_leaf(s, VM_WHY_DATA, &st);
	return st;
}

/* Push attribute `attr` of the project's unit or county. */
static er_status attribute(const er_program *p, const er_record *rec, uint32_t attr, int county,
			   vm_scratch *s, er_value *v)
{
	er_status st = ER_OK;
	uint32_t owner = county ? rec->county_index : rec->unit_index;
	uint32_t limit = county ? p->county_count : p->unit_count;
	const uint32_t *rows = county ? p->county_values : p->unit_values;
	uint32_t c;

	memset(v, 0, sizeof *v);
	v->kind = p->attrs[attr].kind;
	v->unknown = 1;
	if (vm_unit_unknown(p, rec)) {
		v->why = vm_leaf(s, p->unit_fact == BC_NONE ? VM_WHY_DATA : p->unit_fact, &st);
		return st;
	}
	if (owner >= limit)
		goto data;
	c = rows[(size_t)owner * p->attr_count + attr];
	if (c == BC_NONE)
		goto data;
	*v = p->consts[c].value;
	return ER_OK;
data:
	v->why = vm_leaf(s, VM_WHY_DATA, &st);
	return st;
}

/* ---- Dispatch ---- */

#ifdef ER_DISPATCH_SWITCH
#define VM_DISPATCH() switch (code[pc++])
#define VM_CASE(op) case op:
#define VM_NEXT() continue
#define VM_LOOP for (;;)
#else
#define VM_DISPATCH() goto *labels[code[pc++]];
#define VM_CASE(op) L_##op:
#define VM_NEXT() goto *labels[code[pc++]]
#define VM_LOOP
#endif

#define U16(at) ((uint32_t)code[at] | (uint32_t)code[(at) + 1] << 8)
#define U32(at) (U16(at) | (uint32_t)code[(at) + 2] << 16 | (uint32_t)code[(at) + 3] << 24)
#define TOP (stack[sp - 1])
#define BELOW (stack[sp - 2])

/* Make `dst` (of kind `kind`) unknown because of a and/or b. */
#define SET_UNKNOWN(dst, kind_, a_why, b_why)                   \
	do {                                                     \
		uint32_t why_ = vm_join(s, (a_why), (b_why), &st); \
		memset(&(dst), 0, sizeof(dst));                    \
		(dst).kind = (kind_);                              \
		(dst).unknown = 1;                                 \
		(dst).why = why_;                                  \
		if (st != ER_OK)                                   \
			goto failure;                              \
	} while (0)

/* `t` may read `dst`, so it is computed before `dst` is cleared. */
#define SET_BOOL(dst, t)                        \
	do {                                     \
		uint8_t truth_ = (uint8_t)(t);       \
		memset(&(dst), 0, sizeof(dst));      \
		(dst).kind = ER_K_BOOL;              \
		(dst).truth = truth_;                \
	} while (0)

/* Either operand unknown: the result of a binary operation is unknown. */
#define BINARY_UNKNOWN(kind_)                                                  \
	if (BELOW.unknown || TOP.unknown) {                                     \
		SET_UNKNOWN(BELOW, kind_, BELOW.unknown ? BELOW.why : 0,          \
			    TOP.unknown ? TOP.why : 0);                           \
		sp--;                                                           \
		VM_NEXT();                                                      \
	}

er_status vm_run(const er_program *p, const er_record *rec, uint32_t offset, vm_scratch *s,
		 er_value *out)
{
#ifndef ER_DISPATCH_SWITCH
#define LABEL_ENTRY(name, operand_bytes, pops, pushes, doc) &&L_##name,
	static void *const labels[BC_OPCODE_COUNT] = { BC_OPCODES(LABEL_ENTRY) };
#undef LABEL_ENTRY
#endif
	const uint8_t *code = p->code;
	er_value stack[BC_MAX_STACK];
	uint32_t pc = offset;
	uint32_t sp = 0;
	er_status st = ER_OK;

	VM_LOOP {
		VM_DISPATCH() {
		VM_CASE(OP_TRUE)
			SET_BOOL(stack[sp], ER_TRUE);
			sp++;
			VM_NEXT();
		VM_CASE(OP_FALSE)
			SET_BOOL(stack[sp], ER_FALSE);
			sp++;
			VM_NEXT();
		VM_CASE(OP_CONST)
			stack[sp++] = p->consts[U32(pc)].value;
			pc += 4;
			VM_NEXT();
		VM_CASE(OP_FACT) {
			uint32_t f = U16(pc);
			pc += 2;
			if (!rec->present[f] || rec->slots[f].unknown) {
				SET_UNKNOWN(stack[sp], p->fact_kinds[f], vm_leaf(s, f, &st), 0);
			} else {
				if (rec->slots[f].kind != p->fact_kinds[f]) {
					st = ER_E_INPUT;
					goto failure;
				}
				uint32_t e = p->facts[f].enum_index;
				stack[sp] = rec->slots[f];
				stack[sp].why = e == BC_NONE ? 0 : e;
			}
			sp++;
			VM_NEXT();
		}
		VM_CASE(OP_KNOWN) {
			uint32_t f = U16(pc);
			pc += 2;
			SET_BOOL(stack[sp], rec->present[f] && !rec->slots[f].unknown ? ER_TRUE : ER_FALSE);
			sp++;
			VM_NEXT();
		}
		VM_CASE(OP_UNIT)
			st = unit_field(p, rec, code[pc], s, &stack[sp]);
			pc += 1;
			if (st != ER_OK)
				goto failure;
			sp++;
			VM_NEXT();
		VM_CASE(OP_UNIT_ATTR)
			st = attribute(p, rec, U16(pc), 0, s, &stack[sp]);
			pc += 2;
			if (st != ER_OK)
				goto failure;
			sp++;
			VM_NEXT();
		VM_CASE(OP_COUNTY_ATTR)
			st = attribute(p, rec, U16(pc), 1, s, &stack[sp]);
			pc += 2;
			if (st != ER_OK)
				goto failure;
			sp++;
			VM_NEXT();
		VM_CASE(OP_NOT)
			if (!TOP.unknown)
				TOP.truth = TOP.truth == ER_TRUE ? ER_FALSE : ER_TRUE;
			VM_NEXT();
		VM_CASE(OP_AND)
			/* A known false decides, with no cause; otherwise any unknown
			 * makes the result unknown, joining the causes. */
			if ((!BELOW.unknown && BELOW.truth == ER_FALSE) ||
			    (!TOP.unknown && TOP.truth == ER_FALSE))
				SET_BOOL(BELOW, ER_FALSE);
			else if (BELOW.unknown || TOP.unknown)
				SET_UNKNOWN(BELOW, ER_K_BOOL, BELOW.unknown ? BELOW.why : 0,
					    TOP.unknown ? TOP.why : 0);
			sp--;
			VM_NEXT();
		VM_CASE(OP_OR)
			if ((!BELOW.unknown && BELOW.truth == ER_TRUE) ||
			    (!TOP.unknown && TOP.truth == ER_TRUE))
				SET_BOOL(BELOW, ER_TRUE);
			else if (BELOW.unknown || TOP.unknown)
				SET_UNKNOWN(BELOW, ER_K_BOOL, BELOW.unknown ? BELOW.why : 0,
					    TOP.unknown ? TOP.why : 0);
			sp--;
			VM_NEXT();
		VM_CASE(OP_JFALSE)
			pc += 2;
			if (!TOP.unknown && TOP.truth == ER_FALSE)
				pc += U16(pc - 2);
			VM_NEXT();
		VM_CASE(OP_JTRUE)
			pc += 2;
			if (!TOP.unknown && TOP.truth == ER_TRUE)
				pc += U16(pc - 2);
			VM_NEXT();
		VM_CASE(OP_EQ)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_equal(&BELOW, &TOP) ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_NE)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_equal(&BELOW, &TOP) ? ER_FALSE : ER_TRUE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_LT)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_order(&BELOW, &TOP) < 0 ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_LE)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_order(&BELOW, &TOP) <= 0 ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_GT)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_order(&BELOW, &TOP) > 0 ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_GE)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_values_order(&BELOW, &TOP) >= 0 ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_ADD)
		VM_CASE(OP_SUB)
		VM_CASE(OP_MUL)
		VM_CASE(OP_DIV) {
			er_dec r;
			BINARY_UNKNOWN(ER_K_DEC);
			st = arith(code[pc - 1], BELOW.as.dec, TOP.as.dec, &r);
			if (st != ER_OK)
				goto failure;
			BELOW.as.dec = r;
			sp--;
			VM_NEXT();
		}
		VM_CASE(OP_NEG)
			if (!TOP.unknown) {
				st = vm_dec_status(er_dec_neg(TOP.as.dec, &TOP.as.dec));
				if (st != ER_OK)
					goto failure;
			}
			VM_NEXT();
		VM_CASE(OP_SCALE) {
			const pr_const *ratio = &p->consts[U32(pc)];
			pc += 4;
			if (!TOP.unknown) {
				st = vm_dec_status(er_dec_scale(TOP.as.dec, ratio->num, ratio->den,
							     &TOP.as.dec));
				if (st != ER_OK)
					goto failure;
			}
			VM_NEXT();
		}
		VM_CASE(OP_IN_SET)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, BELOW.as.index < 64 && (TOP.as.bits >> BELOW.as.index & 1)
						? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_HAS)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, TOP.as.index < 64 && (BELOW.as.bits >> TOP.as.index & 1)
						? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_CODE_IN)
			BINARY_UNKNOWN(ER_K_BOOL);
			SET_BOOL(BELOW, vm_code_in_set(p, &BELOW, TOP.as.index) ? ER_TRUE : ER_FALSE);
			sp--;
			VM_NEXT();
		VM_CASE(OP_RET)
			*out = TOP;
			return ER_OK;
		}
#ifdef ER_DISPATCH_SWITCH
		/* Unreachable for verified code: every opcode has a case. */
		st = ER_E_INPUT;
		goto failure;
#endif
	}
failure:
	return st;
}
