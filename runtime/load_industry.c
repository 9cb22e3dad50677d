/* The industry dimension of the rule index: which rules a project with a
 * known industry code can skip, and the lists it visits instead.
 *
 * A rule's condition is read as a tree of its top-level `and`s. Take a
 * leaf `F in S`, with F an industry-code fact and S a constant industry
 * set. It is false for every project whose code for F is known and
 * outside S, so the whole condition is false too, and the rule can
 * neither apply nor be undetermined. The leaf is used only when nothing that can fail the rule
 * (arithmetic) runs before it, so skipping never hides a failed rule, and
 * only when the bytecode has exactly the shape the compiler gives an
 * `and`, so that a crafted file cannot make the index disagree with the
 * VM. */
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "vm.h"

/* A value of the condition's stack as a node of its expression tree. */
typedef struct ind_node {
	uint8_t op;
	uint32_t start, end;   /* code offsets: first instruction, after the last */
	uint32_t operand;
	uint32_t left, right;  /* node indices, BC_NONE when absent */
} ind_node;

typedef struct ind_tree {
	const er_program *p;
	ind_node *nodes;
	size_t count, cap;
	uint32_t frag_start, frag_end;
	uint32_t first_fail;   /* offset of the first instruction that can fail */
} ind_tree;

static uint32_t read_operand(const uint8_t *code, uint32_t at, uint8_t bytes)
{
	uint32_t x = 0;
	uint8_t i;

	for (i = 0; i < bytes; i++)
		x |= (uint32_t)code[at + i] << (8 * i);
	return x;
}

static int can_fail(uint8_t op)
{
	return op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_NEG ||
	       op == OP_SCALE;
}

/* Build the tree of a verified fragment; returns the root or BC_NONE. */
static uint32_t build_tree(ind_tree *t, uint32_t start)
{
	const uint8_t *code = t->p->code;
	uint32_t stack[BC_MAX_STACK];
	uint32_t sp = 0, pc = start;

	t->count = 0;
	t->frag_start = start;
	t->first_fail = BC_NONE;
	for (;;) {
		uint8_t op = code[pc], bytes = vm_operand_bytes[op];
		uint32_t next = pc + 1 + bytes;
		ind_node *n;

		if (op == OP_RET) {
			t->frag_end = pc;
			return sp == 1 ? stack[0] : BC_NONE;
		}
		if (can_fail(op) && t->first_fail == BC_NONE)
			t->first_fail = pc;
		if (op == OP_JFALSE || op == OP_JTRUE) {
			pc = next;
			continue;
		}
		if (sp < vm_pops[op] || vm_pushes[op] != 1 || vm_pops[op] > 2)
			return BC_NONE;
		if (t->count == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			ind_node *grown = realloc(t->nodes, cap * sizeof *grown);
			if (!grown)
				return BC_NONE;
			t->nodes = grown;
			t->cap = cap;
		}
		n = &t->nodes[t->count];
		n->op = op;
		n->operand = read_operand(code, pc + 1, bytes);
		n->end = next;
		n->right = vm_pops[op] == 2 ? stack[--sp] : BC_NONE;
		n->left = vm_pops[op] >= 1 ? stack[--sp] : BC_NONE;
		n->start = n->left != BC_NONE ? t->nodes[n->left].start : pc;
		stack[sp++] = (uint32_t)t->count++;
		pc = next;
	}
}

/* Whether no jump inside [start, end) lands beyond end. */
static int closed(const ind_tree *t, uint32_t start, uint32_t end)
{
	const uint8_t *code = t->p->code;
	uint32_t pc = start;

	while (pc < end) {
		uint8_t op = code[pc];
		uint32_t next = pc + 1 + vm_operand_bytes[op];
		if ((op == OP_JFALSE || op == OP_JTRUE) && next + read_operand(code, pc + 1, 2) > end)
			return 0;
		pc = next;
	}
	return 1;
}

/* Whether node `and` is `left JFALSE(to the end) right AND`, with no
 * other jump leaving either side. */
static int plain_and(const ind_tree *t, const ind_node *and)
{
	const uint8_t *code = t->p->code;
	const ind_node *l = &t->nodes[and->left], *r = &t->nodes[and->right];
	uint32_t jump = l->end;

	return jump + 3 == r->start && code[jump] == OP_JFALSE &&
	       jump + 3 + read_operand(code, jump + 1, 2) == and->end &&
	       closed(t, l->start, l->end) && closed(t, r->start, r->end);
}

/* Whether node n is `fact in <constant industry set>`; sets *fact and
 * *set. */
static int industry_leaf(const ind_tree *t, const ind_node *n, uint32_t *fact, uint32_t *set)
{
	const er_program *p = t->p;
	const ind_node *l, *r;

	if (n->op != OP_CODE_IN)
		return 0;
	l = &t->nodes[n->left];
	r = &t->nodes[n->right];
	if (l->op != OP_FACT || r->op != OP_CONST || r->operand >= p->const_count ||
	    p->consts[r->operand].kind != BC_CONST_INDSET)
		return 0;
	*fact = l->operand;
	*set = p->consts[r->operand].value.as.index;
	return 1;
}

/* The first usable industry leaf of the tree under node i whose fact is
 * `want` (BC_NONE: any); sets *fact and returns the set, or BC_NONE. */
static uint32_t find_leaf(const ind_tree *t, uint32_t i, uint32_t want, uint32_t *fact)
{
	const ind_node *n = &t->nodes[i];
	uint32_t f, set;

	if (n->op == OP_AND) {
		if (!plain_and(t, n))
			return BC_NONE;
		set = find_leaf(t, n->left, want, fact);
		return set != BC_NONE ? set : find_leaf(t, n->right, want, fact);
	}
	if (!industry_leaf(t, n, &f, &set) || (want != BC_NONE && f != want))
		return BC_NONE;
	if (t->first_fail != BC_NONE && t->first_fail < n->start)
		return BC_NONE;
	*fact = f;
	return set;
}

static uint32_t rule_leaf(ind_tree *t, uint32_t rule, uint32_t want, uint32_t *fact)
{
	uint32_t root, cond = t->p->rule_code[rule].condition;

	if (cond == BC_NONE)
		return BC_NONE;
	root = build_tree(t, cond);
	if (root == BC_NONE || t->nodes[root].end != t->frag_end)
		return BC_NONE;
	return find_leaf(t, root, want, fact);
}

/* Whether every code of the set can serve as a key. */
static int keyable(const er_program *p, uint32_t set)
{
	const pr_indset *s = &p->indsets[set];
	uint32_t i;

	if (s->count == 0)
		return 0;
	for (i = 0; i < s->count; i++)
		if (p->string_lens[s->codes[i]] == 0 || p->string_lens[s->codes[i]] > PR_IND_MAX_KEY)
			return 0;
	return 1;
}

/* Choose the fact most rules filter on and note each rule's set. */
static er_status find_filters(er_program *p)
{
	ind_tree t = { 0 };
	uint32_t *votes = calloc(p->fact_count ? p->fact_count : 1, sizeof *votes);
	uint32_t i, f, best = BC_NONE;

	p->rule_indset = malloc((p->rule_count ? p->rule_count : 1) * sizeof *p->rule_indset);
	if (!votes || !p->rule_indset) {
		free(votes);
		return ER_E_NOMEM;
	}
	t.p = p;
	for (i = 0; i < p->rule_count; i++)
		if (rule_leaf(&t, i, BC_NONE, &f) != BC_NONE && f < p->fact_count)
			votes[f]++;
	for (f = 0; f < p->fact_count; f++)
		if (votes[f] > 0 && (best == BC_NONE || votes[f] > votes[best]))
			best = f;
	p->ind_fact = best;
	for (i = 0; i < p->rule_count; i++) {
		uint32_t set = best == BC_NONE ? BC_NONE : rule_leaf(&t, i, best, &f);
		p->rule_indset[i] = set != BC_NONE && keyable(p, set) ? set : BC_NONE;
	}
	free(t.nodes);
	free(votes);
	return ER_OK;
}

int pr_code_in_set(const er_program *p, const char *code, size_t len, uint32_t set)
{
	const pr_indset *s = &p->indsets[set];
	uint32_t i;

	for (i = 0; i < s->count; i++) {
		uint32_t id = s->codes[i];
		uint32_t n = p->string_lens[id];
		if (n <= len && memcmp(p->strings[id], code, n) == 0)
			return 1;
	}
	return 0;
}

/* One (key, list, rule) entry of the keyed lists. */
typedef struct ind_entry {
	uint32_t key, list, rule;
} ind_entry;

static int entry_cmp(const void *a, const void *b)
{
	const ind_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return (x->rule > y->rule) - (x->rule < y->rule);
}

static const pr_range *list_at(const er_program *p, uint32_t list)
{
	uint32_t lists = 3 * (p->county_count + 1);

	if (list == 0)
		return &p->unscoped;
	if (list <= lists)
		return &p->by_class_county[list - 1];
	return &p->by_unit[list - 1 - lists];
}

/* The key of a set's code, added to the key table when new. */
static uint32_t key_of(er_program *p, uint32_t code, uint32_t *key_count)
{
	uint32_t k = pr_hash_find(p, &p->ind_keys, p->strings[code], p->string_lens[code]);

	if (k != BC_NONE)
		return k;
	pr_hash_insert(p, &p->ind_keys, code, *key_count);
	if (p->string_lens[code] > p->ind_max_len)
		p->ind_max_len = p->string_lens[code];
	return (*key_count)++;
}

/* Count the keyed entries and the base rules of every list. */
static size_t count_entries(const er_program *p, uint32_t list_count, size_t *base)
{
	size_t keyed = 0;
	uint32_t l, k;

	*base = 0;
	for (l = 0; l < list_count; l++) {
		const pr_range *r = list_at(p, l);
		for (k = 0; k < r->count; k++) {
			uint32_t set = p->rule_indset[p->index_rules[r->first + k]];
			if (set == BC_NONE)
				(*base)++;
			else
				keyed += p->indsets[set].count;
		}
	}
	return keyed;
}

/* Fill the base lists and the entries of the keyed lists. */
static void fill_lists(er_program *p, uint32_t list_count, ind_entry *entries,
		       uint32_t *key_count)
{
	size_t e = 0, b = 0;
	uint32_t l, k, c;

	for (l = 0; l < list_count; l++) {
		const pr_range *r = list_at(p, l);
		p->ind_base[l].first = (uint32_t)b;
		for (k = 0; k < r->count; k++) {
			uint32_t rule = p->index_rules[r->first + k];
			uint32_t set = p->rule_indset[rule];
			if (set == BC_NONE) {
				p->ind_rules[b++] = rule;
				continue;
			}
			for (c = 0; c < p->indsets[set].count; c++) {
				entries[e].key = key_of(p, p->indsets[set].codes[c], key_count);
				entries[e].list = l;
				entries[e++].rule = rule;
			}
		}
		p->ind_base[l].count = (uint32_t)(b - p->ind_base[l].first);
	}
}

/* Turn the sorted entries into per-key runs of per-list ranges. A set
 * that names one code twice gives one entry. */
static er_status group_entries(er_program *p, const ind_entry *entries, size_t n, size_t base,
			       uint32_t key_count)
{
	size_t i, w = base, groups = 0;

	p->ind_key_lists = calloc(key_count ? key_count : 1, sizeof *p->ind_key_lists);
	p->ind_keyed = malloc((n ? n : 1) * sizeof *p->ind_keyed);
	if (!p->ind_key_lists || !p->ind_keyed)
		return ER_E_NOMEM;
	for (i = 0; i < n; i++) {
		const ind_entry *x = &entries[i], *prev = i > 0 ? &entries[i - 1] : NULL;
		if (prev && entry_cmp(x, prev) == 0)
			continue;
		p->ind_rules[w] = x->rule;
		if (prev && x->key == prev->key && x->list == prev->list) {
			p->ind_keyed[groups - 1].rules.count++;
			w++;
			continue;
		}
		if (!prev || x->key != prev->key)
			p->ind_key_lists[x->key].first = (uint32_t)groups;
		p->ind_key_lists[x->key].count++;
		p->ind_keyed[groups].list = x->list;
		p->ind_keyed[groups].rules.first = (uint32_t)w++;
		p->ind_keyed[groups++].rules.count = 1;
	}
	return ER_OK;
}

er_status pr_build_industry_index(er_program *p)
{
	uint32_t list_count = 1 + 3 * (p->county_count + 1) + p->unit_count;
	uint32_t key_count = 0;
	size_t base, keyed;
	ind_entry *entries;
	er_status st = find_filters(p);

	if (st != ER_OK || p->ind_fact == BC_NONE)
		return st;
	keyed = count_entries(p, list_count, &base);
	if (pr_hash_init(&p->ind_keys, keyed) != ER_OK)
		return ER_E_NOMEM;
	p->ind_base = malloc(list_count * sizeof *p->ind_base);
	p->ind_rules = malloc((base + keyed ? base + keyed : 1) * sizeof *p->ind_rules);
	entries = malloc((keyed ? keyed : 1) * sizeof *entries);
	if (!p->ind_base || !p->ind_rules || !entries || base + keyed > UINT32_MAX) {
		free(entries);
		return ER_E_NOMEM;
	}
	fill_lists(p, list_count, entries, &key_count);
	qsort(entries, keyed, sizeof *entries, entry_cmp);
	st = group_entries(p, entries, keyed, base, key_count);
	free(entries);
	return st;
}
