/* The bytecode file format and the instruction set, shared by the
 * compiler's writer and the runtime's loader, verifier, VM and
 * disassembler. docs/bytecode.md describes the same format for readers.
 *
 * All integers are little-endian. Offsets are from the start of the file
 * unless stated otherwise. */
#ifndef ECORULE_BYTECODE_H
#define ECORULE_BYTECODE_H

#include <stdint.h>

#define BC_MAGIC "ECRB"
#define BC_VERSION_MAJOR 1
#define BC_VERSION_MINOR 0
#define BC_HEADER_SIZE 32
#define BC_DIR_ENTRY_SIZE 12
#define BC_NONE 0xFFFFFFFFu /* an absent index or offset */

/* Header, 32 bytes:
 *   0  magic "ECRB"
 *   4  u16 major version, u16 minor version
 *   8  u32 flags (0)
 *  12  u32 section count
 *  16  u32 file size
 *  20  u32 CRC-32 (zlib crc32) of the whole file with this field zeroed
 *  24  u32 reserved (0), u32 reserved (0)
 * The section directory follows: per section u32 kind, u32 offset,
 * u32 size. Each kind appears at most once; sections do not overlap. */

/* Section kinds, as four-character codes read little-endian. */
#define BC_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define BC_SEC_STRINGS   BC_FOURCC('S', 'T', 'R', 'S')
#define BC_SEC_CONSTS    BC_FOURCC('C', 'O', 'N', 'S')
#define BC_SEC_ENUMS     BC_FOURCC('E', 'N', 'U', 'M')
#define BC_SEC_FACTS     BC_FOURCC('F', 'A', 'C', 'T')
#define BC_SEC_ATTRS     BC_FOURCC('A', 'T', 'T', 'R')
#define BC_SEC_INDUSTRY  BC_FOURCC('I', 'N', 'D', 'U')
#define BC_SEC_COUNTIES  BC_FOURCC('C', 'N', 'T', 'Y')
#define BC_SEC_UNITS     BC_FOURCC('U', 'N', 'I', 'T')
#define BC_SEC_RULES     BC_FOURCC('R', 'U', 'L', 'E')
#define BC_SEC_CODE      BC_FOURCC('C', 'O', 'D', 'E')
#define BC_SEC_SOURCES   BC_FOURCC('S', 'R', 'C', 'S')

/* Section layouts (every section starts with u32 count):
 *
 * STRS  count; u32 offsets[count + 1] relative to the byte area; byte area.
 *       String i is bytes [offsets[i], offsets[i+1]), valid UTF-8, no NUL.
 * CONS  count; entries of 16 bytes: u8 kind (bc_const_kind), 3 pad bytes,
 *       then 12 payload bytes:
 *         DEC     i64 coefficient, i32 scale (value = coef * 10^-scale)
 *         RATIO   i64 numerator, i32 denominator (> 0), for unit scaling
 *         DATE    i32 days since 1970-01-01
 *         STRING  u32 string id
 *         CODE    u32 string id (digits only)
 *         ENUM    u32 enum index, u32 value index
 *         SET     u32 enum index, u64 bits (little-endian, unaligned)
 *         BOOL    u32 0 or 1
 *         INDSET  u32 industry-set index
 *         COUNTY  u32 county index
 *         CLASS   u32 er_unit_class
 * ENUM  count; per enum: u32 name, u32 value count (<= 64), u32 value names[].
 * FACT  count; per fact, 20 bytes: u32 path, u32 label, u8 er_fact_type,
 *       3 pad, u32 enum index (or BC_NONE), u32 unit spelling (or BC_NONE).
 *       The loader parses the unit spelling to learn the fact's unit.
 * ATTR  count; per attribute, 24 bytes: u8 owner (0 unit, 1 county),
 *       u8 er_fact_type, 2 pad, u32 name, u32 label, u32 enum index,
 *       u32 unit spelling, u32 reserved.
 * INDU  count; per set: u32 name (BC_NONE for an anonymous set), u32 code
 *       count, u32 code strings[] (the set's members, nested sets already
 *       expanded into their codes).
 * CNTY  count; per county: u32 name, u32 code string, u32 value count,
 *       then per value: u32 attribute index, u32 constant index.
 * UNIT  count; per unit: u32 code string, u32 name, u32 county index,
 *       u32 er_unit_class, u32 area constant (or BC_NONE), u32 value count,
 *       then per value: u32 attribute index, u32 constant index.
 * SRCS  count; per source file: u32 path string.
 * RULE  count; per rule, a fixed part of 18 u32 words:
 *         id, title, dimension, verdict, flags (bc_rule_flag), from, until,
 *         message, source file, line, column,
 *         condition code offset (BC_NONE: always true),
 *         ensure code offset (BC_NONE: none),
 *         class mask (bit c set: class c in scope; 0: no class scope),
 *         scope unit count, scope county count, basis count, read count,
 *       then u32 part count, u32 let count, u32 override count,
 *       then arrays: scope units (unit indices), scope counties (county
 *       indices), basis (string ids), facts read (fact indices), message
 *       parts (per part: u32 text string or BC_NONE, u32 code offset or
 *       BC_NONE, u32 unit spelling or BC_NONE), lets (per let: u32 name,
 *       u32 code offset, u32 unit spelling or BC_NONE), overrides (rule
 *       indices).
 * CODE  the instruction bytes. Each code offset in RULE starts a fragment
 *       that leaves one value and ends with OP_RET; jumps are forward and
 *       stay inside their fragment. */

typedef enum bc_const_kind {
	BC_CONST_DEC = 1,
	BC_CONST_RATIO = 2,
	BC_CONST_DATE = 3,
	BC_CONST_STRING = 4,
	BC_CONST_CODE = 5,
	BC_CONST_ENUM = 6,
	BC_CONST_SET = 7,
	BC_CONST_BOOL = 8,
	BC_CONST_INDSET = 9,
	BC_CONST_COUNTY = 10,
	BC_CONST_CLASS = 11
} bc_const_kind;

typedef enum bc_rule_flag {
	BC_RULE_HAS_FROM = 1,
	BC_RULE_HAS_UNTIL = 2
} bc_rule_flag;

/* Fields of the project's control unit, the operand of OP_UNIT. */
typedef enum bc_unit_field {
	BC_UNIT_SELF = 0,   /* ER_K_UNIT */
	BC_UNIT_CLASS = 1,  /* ER_K_CLASS */
	BC_UNIT_COUNTY = 2, /* ER_K_COUNTY */
	BC_UNIT_AREA = 3,   /* ER_K_DEC, 平方公里 */
	BC_UNIT_NAME = 4,   /* ER_K_STRING */
	BC_UNIT_FIELD_COUNT = 5
} bc_unit_field;

/* The instruction set, defined once. Columns: name, operand bytes, values
 * popped, values pushed, what it does. Operands are little-endian; u16
 * operands index the fact, attribute or industry table, u32 operands the
 * constant table, and jump operands are u16 byte distances forward from
 * the end of the jump instruction. Every comparison and arithmetic
 * operation yields unknown when an operand is unknown. */
#define BC_OPCODES(X)                                                                 \
	X(OP_TRUE,        0, 0, 1, "push true")                                       \
	X(OP_FALSE,       0, 0, 1, "push false")                                      \
	X(OP_CONST,       4, 0, 1, "push constant u32")                               \
	X(OP_FACT,        2, 0, 1, "push fact u16 of the record, unknown if absent")  \
	X(OP_KNOWN,       2, 0, 1, "push whether fact u16 is present (never unknown)") \
	X(OP_UNIT,        1, 0, 1, "push field u8 (bc_unit_field) of the project's unit") \
	X(OP_UNIT_ATTR,   2, 0, 1, "push attribute u16 of the project's unit")        \
	X(OP_COUNTY_ATTR, 2, 0, 1, "push attribute u16 of the project's county")      \
	X(OP_NOT,         0, 1, 1, "three-valued not")                                \
	X(OP_AND,         0, 2, 1, "three-valued and")                                \
	X(OP_OR,          0, 2, 1, "three-valued or")                                 \
	X(OP_JFALSE,      2, 0, 0, "jump u16 forward if the top is false, keeping it") \
	X(OP_JTRUE,       2, 0, 0, "jump u16 forward if the top is true, keeping it") \
	X(OP_EQ,          0, 2, 1, "equal: operands of one kind")                    \
	X(OP_NE,          0, 2, 1, "not equal")                                       \
	X(OP_LT,          0, 2, 1, "less than: decimals or dates")                    \
	X(OP_LE,          0, 2, 1, "less than or equal")                              \
	X(OP_GT,          0, 2, 1, "greater than")                                    \
	X(OP_GE,          0, 2, 1, "greater than or equal")                           \
	X(OP_ADD,         0, 2, 1, "decimal add, overflow fails the rule")            \
	X(OP_SUB,         0, 2, 1, "decimal subtract")                                \
	X(OP_MUL,         0, 2, 1, "decimal multiply")                                \
	X(OP_DIV,         0, 2, 1, "decimal divide, inexact or by zero fails")        \
	X(OP_NEG,         0, 1, 1, "decimal negate")                                  \
	X(OP_SCALE,       4, 1, 1, "multiply a decimal by ratio constant u32 exactly") \
	X(OP_IN_SET,      0, 2, 1, "enum (below) is in set (top)")                    \
	X(OP_HAS,         0, 2, 1, "set (below) contains enum (top)")                 \
	X(OP_CODE_IN,     0, 2, 1, "industry code (below) is in industry set (top)")  \
	X(OP_RET,         0, 1, 0, "end the fragment with the top value")

typedef enum bc_opcode {
#define BC_ENUM_ENTRY(name, operand_bytes, pops, pushes, doc) name,
	BC_OPCODES(BC_ENUM_ENTRY)
#undef BC_ENUM_ENTRY
	BC_OPCODE_COUNT
} bc_opcode;

/* Deepest stack a fragment may use; the verifier rejects deeper code. */
#define BC_MAX_STACK 64

#endif
