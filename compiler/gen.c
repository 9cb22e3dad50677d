/* Code generation: expressions into stack code, with short-circuit
 * jumps, unit scaling, inlined lets and a depth count per fragment. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* Static stack effects of the opcodes, from the one X-macro table. */
static const int8_t op_pops[] = {
#define GEN_POPS(name, operand_bytes, pops, pushes, doc) pops,
	BC_OPCODES(GEN_POPS)
#undef GEN_POPS
};
static const int8_t op_pushes[] = {
#define GEN_PUSHES(name, operand_bytes, pops, pushes, doc) pushes,
	BC_OPCODES(GEN_PUSHES)
#undef GEN_PUSHES
};

typedef struct gen {
	model *m;
	diag_list *d;
	size_t errors;
	model_rule *rule;
	src_span where;      /* the span of the fragment, for errors */
	int depth, max_depth;
	int failed;          /* an error was reported for this fragment */
	int inlining;        /* let inlining depth, against runaway nesting */
} gen;

static void gen_error(gen *g, src_span span, const char *message)
{
	if (g->failed)
		return;
	diag_error(g->d, DIAG_E0308, span, "%s", message);
	g->errors++;
	g->failed = 1;
}

static void emit_u8(gen *g, uint8_t byte)
{
	*MODEL_PUSH(g->m->code) = byte;
}

/* Instructions address facts and attributes with a u16 operand. */
#define FACT_TOO_FAR _("this is fact number %u of the rule set, but instructions address at most 65536 facts")
#define ATTR_TOO_FAR _("this is attribute number %u of its kind, but instructions address at most 65536 attributes")

/* Emit a u16 operand. `too_large` is the translated message, with a %u
 * for the index, reported when the index does not fit. */
static void emit_u16(gen *g, uint32_t value, src_span span, const char *too_large)
{
	if (value > 0xFFFF) {
		char message[256];

		snprintf(message, sizeof message, too_large, (unsigned)value + 1);
		gen_error(g, span, message);
	}
	emit_u8(g, (uint8_t)(value & 0xFF));
	emit_u8(g, (uint8_t)(value >> 8));
}

static void emit_op(gen *g, bc_opcode op)
{
	emit_u8(g, (uint8_t)op);
	g->depth += op_pushes[op] - op_pops[op];
	if (g->depth > g->max_depth)
		g->max_depth = g->depth;
}

static void emit_const(gen *g, uint32_t index)
{
	emit_op(g, OP_CONST);
	for (int i = 0; i < 4; i++)
		emit_u8(g, (uint8_t)(index >> (8 * i)));
}

static void note_fact_read(gen *g, uint32_t fact)
{
	model_rule *r = g->rule;
	for (size_t i = 0; i < r->facts_read.count; i++)
		if (r->facts_read.items[i] == fact)
			return;
	*MODEL_PUSH(r->facts_read) = fact;
}

/* Emit a forward jump and return the offset of its operand. */
static size_t emit_jump(gen *g, bc_opcode op)
{
	emit_op(g, op);
	size_t at = g->m->code.count;
	emit_u8(g, 0);
	emit_u8(g, 0);
	return at;
}

static void patch_jump(gen *g, size_t at, src_span span)
{
	size_t distance = g->m->code.count - (at + 2);
	if (distance > 0xFFFF)
		gen_error(g, span, _("a condition is too long: a jump spans more than 65535 bytes of code"));
	g->m->code.items[at] = (uint8_t)(distance & 0xFF);
	g->m->code.items[at + 1] = (uint8_t)(distance >> 8);
}

static void gen_expr(gen *g, const ast_expr *e);

static void gen_binary(gen *g, const ast_expr *e)
{
	if (e->op == BIN_AND || e->op == BIN_OR) {
		/* The jump keeps the deciding value as the result; otherwise
		 * both values are combined, which gives three-valued logic. */
		gen_expr(g, e->lhs);
		size_t at = emit_jump(g, e->op == BIN_AND ? OP_JFALSE : OP_JTRUE);
		gen_expr(g, e->rhs);
		emit_op(g, e->op == BIN_AND ? OP_AND : OP_OR);
		patch_jump(g, at, e->span);
		return;
	}

	gen_expr(g, e->lhs);
	gen_expr(g, e->rhs);
	if (e->index) {
		emit_op(g, OP_SCALE);
		uint32_t k = e->index - 1;
		for (int i = 0; i < 4; i++)
			emit_u8(g, (uint8_t)(k >> (8 * i)));
	}
	static const bc_opcode ops[] = {
		[BIN_EQ] = OP_EQ, [BIN_NE] = OP_NE, [BIN_LT] = OP_LT, [BIN_LE] = OP_LE,
		[BIN_GT] = OP_GT, [BIN_GE] = OP_GE, [BIN_HAS] = OP_HAS, [BIN_ADD] = OP_ADD,
		[BIN_SUB] = OP_SUB, [BIN_MUL] = OP_MUL, [BIN_DIV] = OP_DIV,
	};
	if (e->op == BIN_IN)
		emit_op(g, e->lhs->type.kind == ER_K_CODE ? OP_CODE_IN : OP_IN_SET);
	else
		emit_op(g, ops[e->op]);
}

static void gen_name(gen *g, const ast_expr *e)
{
	if (e->ref == REF_FACT) {
		emit_op(g, OP_FACT);
		emit_u16(g, e->index, e->span, FACT_TOO_FAR);
		note_fact_read(g, e->index);
		return;
	}
	if (e->ref == REF_LET) {
		/* Lets are inlined: the value is computed where it is used. */
		if (++g->inlining > 32) {
			gen_error(g, e->span, _("let values are nested more than 32 deep"));
			emit_op(g, OP_FALSE);
		} else {
			gen_expr(g, g->rule->lets.items[e->index].value);
		}
		g->inlining--;
		return;
	}
	uint32_t k = model_expr_const(g->m, e);
	emit_const(g, k == BC_NONE ? 0 : k);
}

static void gen_expr(gen *g, const ast_expr *e)
{
	switch (e->kind) {
	case EXPR_NUMBER:
	case EXPR_QUANTITY:
	case EXPR_DATE:
	case EXPR_STRING:
	case EXPR_SET:
		emit_const(g, e->index);
		return;
	case EXPR_BOOL:
		emit_op(g, e->boolean ? OP_TRUE : OP_FALSE);
		return;
	case EXPR_NAME:
		gen_name(g, e);
		return;
	case EXPR_UNIT_ATTR:
		if (g->m->unit_fact != BC_NONE)
			note_fact_read(g, g->m->unit_fact);
		if (e->index == BC_NONE) {
			emit_op(g, OP_UNIT);
			emit_u8(g, (uint8_t)e->enum_index);
		} else {
			emit_op(g, OP_UNIT_ATTR);
			emit_u16(g, e->index, e->span, ATTR_TOO_FAR);
		}
		return;
	case EXPR_COUNTY_ATTR:
		if (g->m->unit_fact != BC_NONE)
			note_fact_read(g, g->m->unit_fact);
		emit_op(g, OP_COUNTY_ATTR);
		emit_u16(g, e->index, e->span, ATTR_TOO_FAR);
		return;
	case EXPR_KNOWN:
		emit_op(g, OP_KNOWN);
		emit_u16(g, e->lhs->index, e->span, FACT_TOO_FAR);
		note_fact_read(g, e->lhs->index);
		return;
	case EXPR_NOT:
		gen_expr(g, e->lhs);
		emit_op(g, OP_NOT);
		return;
	case EXPR_NEG:
		gen_expr(g, e->lhs);
		emit_op(g, OP_NEG);
		return;
	case EXPR_BINARY:
		gen_binary(g, e);
		return;
	}
}

static void begin_fragment(gen *g, src_span span)
{
	g->where = span;
	g->depth = 0;
	g->max_depth = 0;
	g->failed = 0;
}

static uint32_t end_fragment(gen *g, uint32_t start)
{
	emit_op(g, OP_RET);
	if (g->max_depth > BC_MAX_STACK) {
		diag_error(g->d, DIAG_E0308, g->where, "%s", _("this expression is nested too deeply for the evaluator"));
		g->errors++;
	}
	if ((uint32_t)g->max_depth > g->m->max_stack)
		g->m->max_stack = (uint32_t)g->max_depth;
	return start;
}

static uint32_t gen_fragment(gen *g, const ast_expr *e)
{
	uint32_t start = (uint32_t)g->m->code.count;
	begin_fragment(g, e->span);
	gen_expr(g, e);
	return end_fragment(g, start);
}

/* The condition: when AND NOT unless_1 AND NOT unless_2 …, stopping at
 * the first false value. */
static uint32_t gen_condition(gen *g, const ast_rule *a)
{
	if (!a->when && !a->unless)
		return BC_NONE;
	uint32_t start = (uint32_t)g->m->code.count;
	begin_fragment(g, a->when ? a->when->span : ((const ast_expr *)a->unless->item)->span);

	MODEL_VEC(size_t) jumps = { 0 };
	int have_value = 0;
	if (a->when) {
		gen_expr(g, a->when);
		have_value = 1;
	}
	for (const ast_list *l = a->unless; l; l = l->next) {
		if (have_value)
			*MODEL_PUSH(jumps) = emit_jump(g, OP_JFALSE);
		gen_expr(g, l->item);
		emit_op(g, OP_NOT);
		if (have_value)
			emit_op(g, OP_AND);
		have_value = 1;
	}
	for (size_t i = 0; i < jumps.count; i++)
		patch_jump(g, jumps.items[i], a->span);
	free(jumps.items);
	return end_fragment(g, start);
}

static void gen_rule(gen *g, model_rule *r)
{
	const ast_rule *a = r->ast;
	g->rule = r;
	/* The unit fact decides the scope, so a scoped rule reads it. */
	if (r->has_scope && g->m->unit_fact != BC_NONE)
		note_fact_read(g, g->m->unit_fact);
	r->cond_code = gen_condition(g, a);
	r->ensure_code = a->ensure ? gen_fragment(g, a->ensure) : BC_NONE;
	for (size_t i = 0; i < r->parts.count; i++)
		if (r->parts.items[i].expr)
			r->parts.items[i].code = gen_fragment(g, r->parts.items[i].expr);
	for (size_t i = 0; i < r->lets.count; i++)
		r->lets.items[i].code = gen_fragment(g, r->lets.items[i].value);
}

size_t gen_program(model *m, diag_list *d)
{
	gen g;
	memset(&g, 0, sizeof g);
	g.m = m;
	g.d = d;
	for (size_t i = 0; i < m->rules.count; i++)
		gen_rule(&g, &m->rules.items[i]);
	return g.errors;
}
