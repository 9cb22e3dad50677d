/* The VM: runs one verified code fragment over a record's facts, with
 * three-valued logic and the provenance of unknown values. Internal to
 * the runtime.
 *
 * Provenance: an unknown value's `why` is 0 (no known cause) or a node
 * number + 1 in the scratch arena. A leaf names the absent fact (or
 * VM_WHY_DATA: an attribute the reference data does not set); an inner
 * node joins two causes. The arena lives as long as the scratch space
 * and is emptied by vm_scratch_reset. A known value has no cause, so its
 * `why` contains the enumeration index where the value is of kind ER_K_ENUM
 * or ER_K_SET, and 0 otherwise. */
#ifndef ECORULE_VM_H
#define ECORULE_VM_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"

/* Leaf value for "the reference data lacks this attribute". */
#define VM_WHY_DATA 0xFFFFFFFEu

/* Per-opcode tables generated from BC_OPCODES. */
extern const char *const vm_opcode_names[BC_OPCODE_COUNT];
extern const uint8_t vm_operand_bytes[BC_OPCODE_COUNT];
extern const uint8_t vm_pops[BC_OPCODE_COUNT];
extern const uint8_t vm_pushes[BC_OPCODE_COUNT];

typedef struct vm_node {
	uint32_t left;  /* leaf: the fact index or VM_WHY_DATA; inner: a why */
	uint32_t right; /* leaf: BC_NONE; inner: a why */
} vm_node;

/* Scratch space kept between evaluations so steady state allocates
 * nothing. Owned by er_result.scratch; freed by vm_scratch_free. */
typedef struct vm_scratch {
	vm_node *nodes;
	uint32_t node_count, node_cap;
	uint32_t *marks;     /* per fact: the generation that last saw it */
	size_t mark_cap;
	uint32_t generation;
	uint32_t *walk;      /* stack for walking provenance trees */
	size_t walk_cap;
} vm_scratch;

vm_scratch *vm_scratch_new(void);
void vm_scratch_free(vm_scratch *s);
/* Forget every node. */
void vm_scratch_reset(vm_scratch *s);

/* Provenance of two unknown causes together; 0 on out of memory only if
 * both are 0. Returns ER_OK or ER_E_NOMEM through *status. */
uint32_t vm_join(vm_scratch *s, uint32_t a, uint32_t b, er_status *status);
/* A leaf naming fact `fact` (or VM_WHY_DATA). */
uint32_t vm_leaf(vm_scratch *s, uint32_t fact, er_status *status);

/* Start a new set of distinct facts for vm_collect (marks every fact as
 * unseen); `fact_count` sizes the mark array. */
er_status vm_begin_collect(vm_scratch *s, size_t fact_count);
/* Append to (*list, *count, *cap) the facts under `why` that are not yet
 * in the current set; sets *data_missing when a VM_WHY_DATA leaf is
 * found. */
er_status vm_collect(vm_scratch *s, uint32_t why, uint32_t **list, size_t *count, size_t *cap,
		     int *data_missing);

/* Run the fragment at code offset `offset` and store the value it
 * returns. Returns ER_OK, a rule failure (ER_E_OVERFLOW, ER_E_INEXACT,
 * ER_E_DIVZERO, ER_E_INPUT for a record slot of the wrong kind), or
 * ER_E_NOMEM. The program must have been verified. */
er_status vm_run(const er_program *p, const er_record *rec, uint32_t offset, vm_scratch *s,
		 er_value *out);

/* Grow an array of `size`-byte items to hold at least `need`. */
int vm_grow(void **array, size_t *cap, size_t need, size_t size);

/* Helpers of the VM that the explainer shares, so both read values the
 * same way. vm_dec_status maps a decimal status to a library status. */
er_status vm_dec_status(er_dec_status st);
/* Whether two known values of one kind are equal. */
int vm_values_equal(const er_value *a, const er_value *b);
/* Returns -1, 0 or 1 for two known decimals or dates. */
int vm_values_order(const er_value *a, const er_value *b);
/* Whether one of the codes of industry set `set` is a prefix of `code`. */
int vm_code_in_set(const er_program *p, const er_value *code, uint32_t set);
/* Whether the project's unit fact is absent, so anything about the unit
 * is unknown. */
int vm_unit_unknown(const er_program *p, const er_record *rec);

#endif
