/* The loaded program: the tables of a verified bytecode file in the form
 * the VM, the evaluator and the disassembler read. Internal to the
 * runtime; embedders use the accessors of ecorule.h.
 *
 * Ownership: the program owns every array below and the copy of the file
 * they point into; all of it is freed by er_program_free. */
#ifndef ECORULE_PROGRAM_H
#define ECORULE_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "bytecode.h"
#include "ecorule.h"

/* A constant of the CONS section, decoded. RATIO constants keep their
 * fraction in num/den and are read only by OP_SCALE. */
typedef struct pr_const {
	uint8_t kind;    /* bc_const_kind */
	er_value value;  /* every kind but RATIO */
	int64_t num;     /* RATIO */
	int32_t den;
} pr_const;

typedef struct pr_enum {
	uint32_t name;         /* string id */
	uint32_t size;         /* <= 64 */
	const uint32_t *values; /* string ids, `size` of them, inside
				 * er_program.enum_values */
} pr_enum;

typedef struct pr_attr {
	uint8_t owner;         /* 0 unit, 1 county */
	uint8_t type;          /* er_fact_type */
	uint8_t kind;          /* er_kind of its values */
	uint32_t name, label;  /* string ids */
	uint32_t enum_index;   /* or BC_NONE */
	uint32_t unit_text;    /* string id or BC_NONE */
} pr_attr;

typedef struct pr_indset {
	uint32_t name;         /* string id or BC_NONE */
	uint32_t count;
	uint32_t *codes;       /* string ids */
} pr_indset;

typedef struct pr_county {
	uint32_t name, code;   /* string ids */
} pr_county;

typedef struct pr_unit {
	uint32_t code, name;   /* string ids */
	uint32_t county;       /* county index */
	uint32_t klass;        /* er_unit_class */
	uint32_t area;         /* constant index or BC_NONE */
} pr_unit;

typedef struct pr_part {
	uint32_t text;         /* string id or BC_NONE */
	uint32_t code;         /* code offset or BC_NONE */
	uint32_t unit_text;    /* string id or BC_NONE */
} pr_part;

typedef struct pr_let {
	uint32_t name;
	uint32_t code;
	uint32_t unit_text;
} pr_let;

typedef struct pr_rule {
	uint32_t condition;    /* code offset or BC_NONE */
	uint32_t ensure;       /* code offset or BC_NONE */
	uint32_t class_mask;   /* bits 0..2, 0: no class scope */
	uint32_t unit_count, county_count, part_count, let_count, override_count;
	uint32_t *units;       /* unit indices in scope */
	uint32_t *counties;    /* county indices in scope */
	pr_part *parts;
	pr_let *lets;
	uint32_t *overrides;   /* rule indices */
	uint32_t *facts_read;
	const char **basis;
} pr_rule;

/* A list of rule indices in ascending order, as a range of
 * er_program.index_rules. */
typedef struct pr_range {
	uint32_t first, count;
} pr_range;

/* The maximum length of an industry code that serves as a key of the
 * industry index. A rule whose set has a longer code is not keyed. */
#define PR_IND_MAX_KEY 15

/* The rules of one list that an industry key admits, as a range of
 * er_program.ind_rules. */
typedef struct pr_keyed {
	uint32_t list;
	pr_range rules;
} pr_keyed;

/* Open-addressing hash table from a string of the program to an index. */
typedef struct pr_hash_slot {
	uint32_t string;       /* string id of the key */
	uint32_t value;        /* BC_NONE: empty slot */
} pr_hash_slot;

typedef struct pr_hash {
	pr_hash_slot *slots;
	uint32_t mask;         /* slot count - 1 */
} pr_hash;

struct er_program {
	uint8_t *data;         /* the whole file, copied */
	size_t size;
	uint16_t major, minor;

	uint32_t string_count;
	const char **strings;  /* NUL-terminated copies */
	uint32_t *string_lens;
	char *string_store;

	uint32_t const_count;
	pr_const *consts;

	uint32_t enum_count;
	pr_enum *enums;
	uint32_t *enum_values; /* backing store of every pr_enum.values */

	uint32_t fact_count;
	er_fact_info *facts;
	uint8_t *fact_kinds;   /* er_kind per fact */
	uint32_t *fact_names;  /* per fact: path and label string ids */
	pr_hash fact_hash;     /* paths and labels */
	uint32_t unit_fact;    /* or BC_NONE */

	uint32_t attr_count;
	pr_attr *attrs;

	uint32_t indset_count;
	pr_indset *indsets;

	uint32_t county_count;
	pr_county *counties;
	uint32_t *county_values; /* [county * attr_count + attr]: constant or BC_NONE */

	uint32_t unit_count;
	pr_unit *units;
	uint32_t *unit_values;   /* [unit * attr_count + attr]: constant or BC_NONE */
	pr_hash unit_hash;

	uint32_t source_count;
	uint32_t *sources;     /* string ids */

	uint32_t rule_count;
	er_rule_info *rules;
	pr_rule *rule_code;
	/* Backing stores of the rules' arrays. */
	uint32_t *rule_words;
	pr_part *rule_parts;
	pr_let *rule_lets;
	const char **rule_basis;

	const uint8_t *code;   /* the CODE section inside data */
	uint32_t code_size;

	/* Rule indexes. `unscoped` lists the rules with no scope. Per class
	 * and county slot, by_class_county lists the rules scoped by class or
	 * county only; the slot is the county index, or county_count for a
	 * code whose county is not in the table. Per unit, by_unit lists the
	 * unit-scoped rules that admit it. */
	uint32_t *index_rules;
	pr_range unscoped;
	pr_range *by_class_county; /* 3 * (county_count + 1) */
	pr_range *by_unit;         /* unit_count */

	/* The industry dimension (load_industry.c). A rule whose condition
	 * is `… and <ind_fact> in <industry set> and …` cannot apply to a
	 * project whose code is known and lies outside the set. rule_indset
	 * contains that set per rule, or BC_NONE. For a project with a known
	 * code, the lists above are replaced by ind_base (their rules
	 * without such a set; list 0 is `unscoped`, then come the class and
	 * county slots, then the units) and,
	 * per prefix of the code that is a code of some set, the keyed
	 * rules of the same list. */
	uint32_t ind_fact;         /* or BC_NONE: no industry dimension */
	uint32_t ind_max_len;      /* maximum length of a code used as a key */
	uint32_t *rule_indset;     /* rule_count */
	pr_hash ind_keys;          /* code string -> key index */
	pr_range *ind_key_lists;   /* per key: range of ind_keyed */
	pr_keyed *ind_keyed;       /* sorted by key, then list */
	pr_range *ind_base;        /* per list */
	uint32_t *ind_rules;       /* backing store of ind_base and ind_keyed */
};

/* A string by id; the caller has checked the id. */
static inline const char *pr_string(const er_program *p, uint32_t id)
{
	return p->strings[id];
}

/* The same, or NULL for BC_NONE. */
static inline const char *pr_string_or_null(const er_program *p, uint32_t id)
{
	return id == BC_NONE ? NULL : p->strings[id];
}

/* The er_kind of a fact or attribute of the given type. */
int pr_kind_of_type(er_fact_type type, er_kind *kind);

/* Allocate a table for up to `entries` keys. */
er_status pr_hash_init(pr_hash *h, size_t entries);
/* Add a key; a key already present keeps its first value. */
void pr_hash_insert(const er_program *p, pr_hash *h, uint32_t string, uint32_t value);
/* The value of the key, or BC_NONE. */
uint32_t pr_hash_find(const er_program *p, const pr_hash *h, const char *key, size_t len);

/* Verify every code fragment the rules reference (verify.c); on failure
 * fills err and returns ER_E_FORMAT. */
er_status pr_verify(const er_program *p, er_error *err);

/* Build the rule indexes (load_index.c). */
er_status pr_build_index(er_program *p);

/* Split the lists by industry (load_industry.c); called by
 * pr_build_index once the lists are built. */
er_status pr_build_industry_index(er_program *p);
/* Whether an industry code lies in industry set `set` (one of the set's
 * codes is a prefix of it). */
int pr_code_in_set(const er_program *p, const char *code, size_t len, uint32_t set);

/* Format a loader or verifier failure into err: the section, the byte
 * offset in the file and what was expected, translated. */
void pr_format_error(er_error *err, er_status status, const char *section, size_t offset,
		     const char *expected);

/* The four-character name of a section kind, e.g. "CODE". */
const char *pr_section_name(uint32_t kind, char buf[5]);

#endif
