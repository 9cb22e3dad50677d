/* The grammar of .rule files: declarations, rule clauses in any order,
 * and expressions. Every action makes one builder call; the builders sit
 * at the end of this file. Error recovery resynchronises at declarations
 * and at rule clauses, so one run reports every syntax error of a file. */

%code requires {
#include "ast.h"
#include "parse.h"

/* A location spans from the first token's begin to the last token's end;
 * an empty rule sits at the end of what came before it. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
	do {                                                         \
		if (N) {                                             \
			(Cur).begin = YYRHSLOC(Rhs, 1).begin;        \
			(Cur).end = YYRHSLOC(Rhs, N).end;            \
		} else {                                             \
			(Cur).begin = YYRHSLOC(Rhs, 0).end;          \
			(Cur).end = YYRHSLOC(Rhs, 0).end;            \
		}                                                    \
	} while (0)
}

%code provides {
/* The flex scanner (generated with prefix "lex"). */
int lexlex(YYSTYPE *value, YYLTYPE *location, void *scanner);
int yyparse(parse_ctx *ctx);
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "i18n.h"

/* The parser's stacks grow on the heap up to YYMAXDEPTH entries. Running
 * out of memory there exits as everywhere in the compiler, so bison's
 * "memory exhausted" can only mean that the stack limit was reached. An
 * expression within PARSE_MAX_DEPTH levels needs at most a few entries
 * per level, far fewer than YYMAXDEPTH. */
#define YYMAXDEPTH 10000
#define YYMALLOC parse_stack_alloc
#define YYFREE free
static void *parse_stack_alloc(size_t size);

static int yylex(YYSTYPE *value, YYLTYPE *location, parse_ctx *ctx);
static void yyerror(YYLTYPE *location, parse_ctx *ctx, const char *message);

static void add_decl(parse_ctx *ctx, ast_decl *decl);
static ast_decl *new_decl(parse_ctx *ctx, ast_decl_kind kind, src_span span);
static ast_ident *new_ident(parse_ctx *ctx, const char *text, src_span span);
static ast_list *append(parse_ctx *ctx, ast_list *list, void *item);
static ast_expr *new_expr(parse_ctx *ctx, ast_expr_kind kind, src_span span);
static ast_expr *new_text_expr(parse_ctx *ctx, ast_expr_kind kind, const char *text, src_span span);
static ast_expr *new_binary(parse_ctx *ctx, ast_binop op, ast_expr *lhs, ast_expr *rhs, src_span span);
static ast_expr *new_unary(parse_ctx *ctx, ast_expr_kind kind, ast_expr *operand, src_span span);
static ast_expr *new_quantity(parse_ctx *ctx, parse_qty qty, src_span span);
static ast_expr *new_date(parse_ctx *ctx, int32_t date, src_span span);
static ast_expr *new_negative(parse_ctx *ctx, ast_expr *literal, src_span span);
static ast_expr *new_set(parse_ctx *ctx, ast_list *items, src_span span);
static ast_expr *new_paren(parse_ctx *ctx, ast_expr *inner);
static ast_type simple_type(ast_type_kind kind, src_span span);
static ast_type named_type(ast_type_kind kind, const char *name, const char *unit, src_span span);
static ast_decl *new_fact(parse_ctx *ctx, const char *path, ast_type type, const char *label, src_span span);
static ast_decl *new_attribute(parse_ctx *ctx, ast_owner owner, const char *name, ast_type type,
			       const char *label, src_span span);
static ast_decl *new_enum(parse_ctx *ctx, const char *name, ast_list *values, src_span span);
static ast_decl *new_industry(parse_ctx *ctx, const char *name, ast_list *members, src_span span);
static void open_block(parse_ctx *ctx, const char *kind, const char *name, src_span span);
static ast_decl *close_block(parse_ctx *ctx, ast_decl_kind kind, const char *name, ast_list *fields,
			     src_span span);
static ast_field *new_field(parse_ctx *ctx, const char *name, ast_expr *value, src_span span);
static void open_rule(parse_ctx *ctx, const char *id, src_span span);
static ast_decl *close_rule(parse_ctx *ctx, src_span span);
static void unclosed_rule(parse_ctx *ctx);
static void rule_title(parse_ctx *ctx, const char *title, src_span span);
static void rule_dimension(parse_ctx *ctx, const char *name, src_span name_span, src_span span);
static void rule_scope(parse_ctx *ctx, ast_scope_kind kind, ast_list *names, src_span span);
static void rule_when(parse_ctx *ctx, ast_expr *condition, src_span span);
static void rule_unless(parse_ctx *ctx, ast_expr *condition);
static void rule_let(parse_ctx *ctx, const char *name, ast_expr *value, src_span span);
static void rule_verdict(parse_ctx *ctx, er_verdict verdict, const parse_str *message, src_span span);
static void rule_ensure(parse_ctx *ctx, ast_expr *requirement, src_span span);
static void rule_basis(parse_ctx *ctx, const char *basis, src_span span);
static void rule_date(parse_ctx *ctx, int until, int32_t date, src_span span);
static void rule_overrides(parse_ctx *ctx, ast_list *ids);
static void rule_allow(parse_ctx *ctx, const char *code, src_span code_span, const char *reason, src_span span);
}

%define api.pure full
%define api.location.type {src_span}
%locations
/* "custom" so that messages quote the token as written and are
 * translated by our catalogue; the content is what "detailed" gives. */
%define parse.error custom
/* Consult the lookahead wherever a state has a choice, so that a stray
 * token inside a rule is an error there, not the end of the rule. */
%define lr.default-reduction consistent
/* Explore the expected tokens from the state the lookahead really meets,
 * so that "(a == b 5" expects ")", "and" or "or", not a clause keyword. */
%define parse.lac full
%expect 0
%parse-param {parse_ctx *ctx}
%lex-param {parse_ctx *ctx}

%union {
	const char *text;
	parse_str str;
	parse_qty qty;
	int32_t date;
	int number;
	ast_expr *expr;
	ast_list *list;
	ast_decl *decl;
	ast_ident *ident;
	ast_field *field;
	ast_type type;
}

%token END 0 "end of file"
%token <text> IDENT "identifier"
%token <text> PATH "dotted path"
%token <text> UNIT_ATTR "unit attribute"
%token <text> COUNTY_ATTR "county attribute"
%token <text> NUMBER "number"
%token <qty> QUANTITY "quantity"
%token <date> DATE "date"
%token <str> STRING "string"
%token <text> RULE_ID "rule id"
%token <text> UNIT_NAME "unit of measure"
%token EQ "'=='"
%token NE "'!='"
%token LE "'<='"
%token GE "'>='"
%token START_FILE "start of file"
%token START_EXPR "start of expression"

%token KW_IMPORT "'import'"
%token KW_ENUM "'enum'"
%token KW_FACT "'fact'"
%token KW_ATTRIBUTE "'attribute'"
%token KW_LABEL "'label'"
%token KW_INDUSTRY "'industry'"
%token KW_COUNTY "'county'"
%token KW_UNIT "'unit'"
%token KW_CLASS "'class'"
%token KW_NAME "'name'"
%token KW_AREA "'area'"
%token KW_CODE "'code'"
%token KW_BOOLEAN "'boolean'"
%token KW_INTEGER "'integer'"
%token KW_NUMBER "'number'"
%token KW_QUANTITY "'quantity'"
%token KW_DATE "'date'"
%token KW_STRING "'string'"
%token KW_SET "'set'"
%token KW_OF "'of'"
%token KW_INDUSTRIES "'industries'"
%token KW_TRUE "'true'"
%token KW_FALSE "'false'"
%token KW_KNOWN "'known'"
%token KW_RULE "'rule'"
%token KW_TITLE "'title'"
%token KW_DIMENSION "'dimension'"
%token KW_SCOPE "'scope'"
%token KW_WHEN "'when'"
%token KW_UNLESS "'unless'"
%token KW_LET "'let'"
%token KW_ENSURE "'ensure'"
%token KW_BASIS "'basis'"
%token KW_FROM "'from'"
%token KW_UNTIL "'until'"
%token KW_OVERRIDES "'overrides'"
%token KW_ALLOW "'allow'"
%token KW_FORBID "'forbid'"
%token KW_RESTRICT "'restrict'"
%token KW_REQUIRE "'require'"
%token KW_EXIT "'exit'"
%token KW_GUIDE "'guide'"
%token KW_AND "'and'"
%token KW_OR "'or'"
%token KW_NOT "'not'"
%token KW_IN "'in'"
%token KW_HAS "'has'"
%token KW_SCENARIO "'scenario'"

%type <decl> decl import enum fact attribute industry county unit rule
%type <text> path field_name
%type <type> type
%type <list> ident_list member_list fields rule_id_list expr_list opt_expr_list
%type <ident> member
%type <expr> expr primary literal field_value
%type <number> verdict scope_kind
%type <text> opt_label
%type <field> field

%precedence UNCLOSED
%precedence error
%left KW_OR
%left KW_AND
%precedence KW_NOT
%nonassoc EQ NE '<' LE '>' GE KW_IN KW_HAS
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

start:
	  START_FILE decls
	| START_EXPR expr              { ctx->expr_result = $2; }
	;

decls:
	  %empty
	| decls decl                   { add_decl(ctx, $2); }
	;

decl:
	  import
	| enum
	| fact
	| attribute
	| industry
	| county
	| unit
	| rule
	| error                        { $$ = NULL; ctx->rule = NULL; ctx->block_kind = NULL; }
	;

import:
	  KW_IMPORT STRING             { $$ = new_decl(ctx, DECL_IMPORT, @$); $$->as.import_path = $2.text; }
	;

enum:
	  KW_ENUM IDENT '{' ident_list '}'  { $$ = new_enum(ctx, $2, $4, @$); }
	| KW_ENUM IDENT '{' '}'             { $$ = new_enum(ctx, $2, NULL, @$); }
	;

ident_list:
	  IDENT                        { $$ = append(ctx, NULL, new_ident(ctx, $1, @1)); }
	| ident_list ',' IDENT         { $$ = append(ctx, $1, new_ident(ctx, $3, @3)); }
	;

path:
	  IDENT
	| PATH
	;

fact:
	  KW_FACT path ':' type opt_label   { $$ = new_fact(ctx, $2, $4, $5, @$); }
	;

attribute:
	  KW_ATTRIBUTE UNIT_ATTR ':' type opt_label    { $$ = new_attribute(ctx, OWNER_UNIT, $2, $4, $5, @$); }
	| KW_ATTRIBUTE COUNTY_ATTR ':' type opt_label  { $$ = new_attribute(ctx, OWNER_COUNTY, $2, $4, $5, @$); }
	;

opt_label:
	  %empty                       { $$ = NULL; }
	| KW_LABEL STRING              { $$ = $2.text; }
	;

type:
	  KW_BOOLEAN                   { $$ = simple_type(TYPE_BOOLEAN, @$); }
	| KW_INTEGER                   { $$ = simple_type(TYPE_INTEGER, @$); }
	| KW_NUMBER                    { $$ = simple_type(TYPE_NUMBER, @$); }
	| KW_QUANTITY UNIT_NAME        { $$ = named_type(TYPE_QUANTITY, NULL, $2, @$); }
	| KW_DATE                      { $$ = simple_type(TYPE_DATE, @$); }
	| KW_STRING                    { $$ = simple_type(TYPE_STRING, @$); }
	| KW_CODE                      { $$ = simple_type(TYPE_CODE, @$); }
	| KW_UNIT                      { $$ = simple_type(TYPE_UNIT, @$); }
	| KW_INDUSTRIES                { $$ = simple_type(TYPE_INDUSTRIES, @$); }
	| IDENT                        { $$ = named_type(TYPE_ENUM, $1, NULL, @$); }
	| KW_SET KW_OF IDENT           { $$ = named_type(TYPE_SET, $3, NULL, @$); }
	| KW_SET IDENT                 { $$ = named_type(TYPE_SET, $2, NULL, @$); }
	;

industry:
	  KW_INDUSTRY IDENT '=' member_list  { $$ = new_industry(ctx, $2, $4, @$); }
	;

member_list:
	  member                       { $$ = append(ctx, NULL, $1); }
	| member_list ',' member       { $$ = append(ctx, $1, $3); }
	;

member:
	  NUMBER                       { $$ = new_ident(ctx, $1, @1); }
	| IDENT                        { $$ = new_ident(ctx, $1, @1); }
	;

county:
	  KW_COUNTY IDENT '{'          { open_block(ctx, N_("county"), $2, @$); }
	  fields '}'                   { $$ = close_block(ctx, DECL_COUNTY, $2, $5, @$); }
	;

unit:
	  KW_UNIT IDENT '{'            { open_block(ctx, N_("unit"), $2, @$); }
	  fields '}'                   { $$ = close_block(ctx, DECL_UNIT, $2, $5, @$); }
	;

fields:
	  %empty                       { $$ = NULL; }
	| fields field                 { $$ = $2 ? append(ctx, $1, $2) : $1; }
	;

field:
	  field_name field_value       { $$ = new_field(ctx, $1, $2, @$); }
	| error                        { $$ = NULL; }
	;

field_name:
	  IDENT
	| KW_CODE                      { $$ = "code"; }
	| KW_NAME                      { $$ = "name"; }
	| KW_COUNTY                    { $$ = "county"; }
	| KW_CLASS                     { $$ = "class"; }
	| KW_AREA                      { $$ = "area"; }
	;

field_value:
	  literal
	| path                         { $$ = new_text_expr(ctx, EXPR_NAME, $1, @$); }
	| '{' opt_expr_list '}'        { $$ = new_set(ctx, $2, @$); }
	| '-' NUMBER                   { $$ = new_negative(ctx, new_text_expr(ctx, EXPR_NUMBER, $2, @2), @$); }
	| '-' QUANTITY                 { $$ = new_negative(ctx, new_quantity(ctx, $2, @2), @$); }
	;

/* A rule whose '}' is missing ends at the next declaration; the action
 * reports it, and the precedence makes an error inside the rule recover
 * as a clause rather than end the rule. */
rule:
	  rule_head '{' clauses '}'    { $$ = close_rule(ctx, @$); }
	| rule_head '{' clauses %prec UNCLOSED  { unclosed_rule(ctx); $$ = close_rule(ctx, @$); }
	;

rule_head:
	  KW_RULE RULE_ID              { open_rule(ctx, $2, @2); }
	| KW_RULE error                { open_rule(ctx, NULL, @1); }
	;

clauses:
	  %empty
	| clauses clause
	;

/* Each clause recovers from an error inside it at the next clause or at
 * the rule's '}'. */
clause:
	  KW_TITLE STRING              { rule_title(ctx, $2.text, @$); }
	| KW_DIMENSION IDENT           { rule_dimension(ctx, $2, @2, @$); }
	| KW_SCOPE scope_kind ident_list  { rule_scope(ctx, (ast_scope_kind)$2, $3, @$); }
	| KW_WHEN expr                 { rule_when(ctx, $2, @$); }
	| KW_UNLESS expr               { rule_unless(ctx, $2); }
	| KW_LET IDENT '=' expr        { rule_let(ctx, $2, $4, @$); }
	| verdict STRING               { rule_verdict(ctx, (er_verdict)$1, &$2, @$); }
	| KW_ENSURE expr               { rule_ensure(ctx, $2, @$); }
	| KW_BASIS STRING              { rule_basis(ctx, $2.text, @2); }
	| KW_FROM DATE                 { rule_date(ctx, 0, $2, @$); }
	| KW_UNTIL DATE                { rule_date(ctx, 1, $2, @$); }
	| KW_OVERRIDES rule_id_list    { rule_overrides(ctx, $2); }
	| KW_ALLOW IDENT STRING        { rule_allow(ctx, $2, @2, $3.text, @$); }
	| KW_TITLE error
	| KW_DIMENSION error
	| KW_SCOPE error
	| KW_WHEN error
	| KW_UNLESS error
	| KW_LET error
	| verdict error
	| KW_ENSURE error
	| KW_BASIS error
	| KW_FROM error
	| KW_UNTIL error
	| KW_OVERRIDES error
	| KW_ALLOW error
	| error                        { }
	;

scope_kind:
	  KW_UNIT                      { $$ = SCOPE_UNIT; }
	| KW_CLASS                     { $$ = SCOPE_CLASS; }
	| KW_COUNTY                    { $$ = SCOPE_COUNTY; }
	;

verdict:
	  KW_FORBID                    { $$ = ER_VERDICT_FORBID; }
	| KW_RESTRICT                  { $$ = ER_VERDICT_RESTRICT; }
	| KW_REQUIRE                   { $$ = ER_VERDICT_REQUIRE; }
	| KW_EXIT                      { $$ = ER_VERDICT_EXIT; }
	| KW_GUIDE                     { $$ = ER_VERDICT_GUIDE; }
	;

rule_id_list:
	  RULE_ID                      { $$ = append(ctx, NULL, new_ident(ctx, $1, @1)); }
	| rule_id_list ',' RULE_ID     { $$ = append(ctx, $1, new_ident(ctx, $3, @3)); }
	;

expr:
	  expr KW_OR expr              { $$ = new_binary(ctx, BIN_OR, $1, $3, @$); }
	| expr KW_AND expr             { $$ = new_binary(ctx, BIN_AND, $1, $3, @$); }
	| KW_NOT expr                  { $$ = new_unary(ctx, EXPR_NOT, $2, @$); }
	| expr EQ expr                 { $$ = new_binary(ctx, BIN_EQ, $1, $3, @$); }
	| expr NE expr                 { $$ = new_binary(ctx, BIN_NE, $1, $3, @$); }
	| expr '<' expr                { $$ = new_binary(ctx, BIN_LT, $1, $3, @$); }
	| expr LE expr                 { $$ = new_binary(ctx, BIN_LE, $1, $3, @$); }
	| expr '>' expr                { $$ = new_binary(ctx, BIN_GT, $1, $3, @$); }
	| expr GE expr                 { $$ = new_binary(ctx, BIN_GE, $1, $3, @$); }
	| expr KW_IN expr              { $$ = new_binary(ctx, BIN_IN, $1, $3, @$); }
	| expr KW_HAS expr             { $$ = new_binary(ctx, BIN_HAS, $1, $3, @$); }
	| expr '+' expr                { $$ = new_binary(ctx, BIN_ADD, $1, $3, @$); }
	| expr '-' expr                { $$ = new_binary(ctx, BIN_SUB, $1, $3, @$); }
	| expr '*' expr                { $$ = new_binary(ctx, BIN_MUL, $1, $3, @$); }
	| expr '/' expr                { $$ = new_binary(ctx, BIN_DIV, $1, $3, @$); }
	| '-' expr %prec UMINUS        { $$ = new_unary(ctx, EXPR_NEG, $2, @$); }
	| primary
	;

primary:
	  literal
	| path                         { $$ = new_text_expr(ctx, EXPR_NAME, $1, @$); }
	| UNIT_ATTR                    { $$ = new_text_expr(ctx, EXPR_UNIT_ATTR, $1, @$); }
	| COUNTY_ATTR                  { $$ = new_text_expr(ctx, EXPR_COUNTY_ATTR, $1, @$); }
	| '{' opt_expr_list '}'        { $$ = new_set(ctx, $2, @$); }
	| KW_KNOWN '(' path ')'        { $$ = new_unary(ctx, EXPR_KNOWN, new_text_expr(ctx, EXPR_NAME, $3, @3), @$); }
	| '(' expr ')'                 { $$ = new_paren(ctx, $2); }
	;

literal:
	  NUMBER                       { $$ = new_text_expr(ctx, EXPR_NUMBER, $1, @$); }
	| QUANTITY                     { $$ = new_quantity(ctx, $1, @$); }
	| DATE                         { $$ = new_date(ctx, $1, @$); }
	| STRING                       { $$ = new_text_expr(ctx, EXPR_STRING, $1.text, @$); }
	| KW_TRUE                      { $$ = new_expr(ctx, EXPR_BOOL, @$); $$->boolean = 1; }
	| KW_FALSE                     { $$ = new_expr(ctx, EXPR_BOOL, @$); $$->boolean = 0; }
	;

opt_expr_list:
	  %empty                       { $$ = NULL; }
	| expr_list
	;

expr_list:
	  expr                         { $$ = append(ctx, NULL, $1); }
	| expr_list ',' expr           { $$ = append(ctx, $1, $3); }
	;

%%

static int yylex(YYSTYPE *value, YYLTYPE *location, parse_ctx *ctx)
{
	int token = lexlex(value, location, ctx->scanner);
	ctx->last_token = token;
	ctx->last_span = *location;
	ctx->last_offset = ctx->token_offset;
	ctx->last_len = ctx->offset - ctx->token_offset;
	if (token == END)
		ctx->last_len = 0;
	return token;
}

static void *parse_stack_alloc(size_t size)
{
	void *p = malloc(size);
	if (p == NULL)
		ast_out_of_memory();
	return p;
}

static void report_too_deep(parse_ctx *ctx, src_span span)
{
	if (ctx->depth_reported)
		return;
	ctx->depth_reported = 1;
	diag_error(ctx->diags, DIAG_E0014, span,
		   "expression nested more than %d levels deep; split it with let or write "
		   "alternatives as a set", PARSE_MAX_DEPTH);
}

static void yyerror(YYLTYPE *location, parse_ctx *ctx, const char *message)
{
	/* Bison calls this only for its own failure, "memory exhausted",
	 * which here means the stack reached YYMAXDEPTH (see above). */
	(void)message;
	report_too_deep(ctx, *location);
}

static int starts_declaration(yysymbol_kind_t symbol)
{
	switch (symbol) {
	case YYSYMBOL_YYEOF:
	case YYSYMBOL_KW_IMPORT:
	case YYSYMBOL_KW_ENUM:
	case YYSYMBOL_KW_FACT:
	case YYSYMBOL_KW_ATTRIBUTE:
	case YYSYMBOL_KW_INDUSTRY:
	case YYSYMBOL_KW_RULE:
		return 1;
	case YYSYMBOL_KW_UNIT:
	case YYSYMBOL_KW_COUNTY:
		return 1;
	default:
		return 0;
	}
}

/* The lookahead as written, cut to at most 24 characters, for messages. */
static void quote_lookahead(const parse_ctx *ctx, char *buf, size_t size)
{
	size_t text_size;
	const char *text = src_text(ctx->sources, ctx->file, &text_size);
	size_t len = ctx->last_len;
	if (ctx->last_offset > text_size || len > text_size - ctx->last_offset)
		len = 0;
	text += ctx->last_offset;
	size_t bytes = 0, chars = 0;
	while (bytes < len && chars < 24) {
		bytes++;
		while (bytes < len && ((unsigned char)text[bytes] & 0xC0) == 0x80)
			bytes++;
		chars++;
	}
	snprintf(buf, size, "'%.*s%s'", (int)bytes, text, bytes < len ? "..." : "");
}

static int yyreport_syntax_error(const yypcontext_t *pctx, parse_ctx *ctx)
{
	yysymbol_kind_t lookahead = yypcontext_token(pctx);
	src_span span = *yypcontext_location(pctx);

	if (ctx->block_kind != NULL && starts_declaration(lookahead) &&
	    lookahead != YYSYMBOL_KW_COUNTY) {
		diag_error(ctx->diags, DIAG_E0007, span,
			   "expected '}' to close %s '%s' opened at line %u", _(ctx->block_kind),
			   ctx->block_name, (unsigned)ctx->block_open.begin.line);
		diag_note(ctx->diags, ctx->block_open, "%s '%s' opened here", _(ctx->block_kind),
			  ctx->block_name);
		return 0;
	}

	char found[128];
	if (lookahead == YYSYMBOL_YYEOF && ctx->in_interpolation)
		snprintf(found, sizeof found, "'}'");
	else if (lookahead == YYSYMBOL_YYEOF)
		snprintf(found, sizeof found, "%s", _("end of file"));
	else
		quote_lookahead(ctx, found, sizeof found);

	/* Name at most five expected tokens; past that the list says little. */
	enum { MAX_EXPECTED = 5 };
	yysymbol_kind_t expected[YYNTOKENS];
	int count = yypcontext_expected_tokens(pctx, expected, YYNTOKENS);
	if (ctx->rule != NULL) {
		/* A rule may end without its '}' (reported on its own), but
		 * suggesting the next declaration there would mislead. */
		int kept = 0;
		for (int i = 0; i < count; i++)
			if (!starts_declaration(expected[i]))
				expected[kept++] = expected[i];
		count = kept;
	}
	if (count <= 0) {
		diag_error(ctx->diags, DIAG_E0001, span, "unexpected %s", found);
		return 0;
	}
	for (int i = 0; i < count; i++) {
		if (expected[i] == YYSYMBOL_IDENT && count > MAX_EXPECTED) {
			diag_error(ctx->diags, DIAG_E0001, span, "unexpected %s; expected an expression", found);
			return 0;
		}
	}
	int shown = count > MAX_EXPECTED ? MAX_EXPECTED : count;
	char list[512];
	size_t used = 0;
	list[0] = '\0';
	for (int i = 0; i < shown && used < sizeof list; i++) {
		const char *sep = i == 0 ? "" : (i == count - 1 ? _(" or ") : _(", "));
		int n = snprintf(list + used, sizeof list - used, "%s%s", sep,
				 _(yysymbol_name(expected[i])));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (shown < count && used < sizeof list)
		snprintf(list + used, sizeof list - used, "%s", _(", ..."));
	diag_error(ctx->diags, DIAG_E0001, span, "unexpected %s; expected %s", found, list);
	return 0;
}

/* ---- Builders ---- */

static void add_decl(parse_ctx *ctx, ast_decl *decl)
{
	if (decl == NULL)
		return;
	/* Keep a tail pointer: a rule set file can hold thousands of rules. */
	ast_list *node = ast_alloc(ctx->arena, sizeof *node);
	node->item = decl;
	if (ctx->decls_tail == NULL)
		ctx->result->decls = node;
	else
		ctx->decls_tail->next = node;
	ctx->decls_tail = node;
}

static ast_decl *new_decl(parse_ctx *ctx, ast_decl_kind kind, src_span span)
{
	ast_decl *decl = ast_alloc(ctx->arena, sizeof *decl);
	decl->kind = kind;
	decl->span = span;
	return decl;
}

static ast_ident *new_ident(parse_ctx *ctx, const char *text, src_span span)
{
	ast_ident *ident = ast_alloc(ctx->arena, sizeof *ident);
	ident->text = text;
	ident->span = span;
	return ident;
}

static ast_list *append(parse_ctx *ctx, ast_list *list, void *item)
{
	return ast_list_append(ctx->arena, list, item);
}

static ast_expr *new_expr(parse_ctx *ctx, ast_expr_kind kind, src_span span)
{
	ast_expr *expr = ast_alloc(ctx->arena, sizeof *expr);
	expr->kind = kind;
	expr->span = span;
	expr->depth = 1;
	return expr;
}

/* Set the depth of `expr` one past `child_depth`. Past PARSE_MAX_DEPTH,
 * report E0014 and return `fallback`, a subtree within the limit, so that
 * no later pass recurses deeper. */
static ast_expr *within_depth(parse_ctx *ctx, ast_expr *expr, uint32_t child_depth,
			      ast_expr *fallback)
{
	expr->depth = child_depth + 1;
	if (expr->depth <= PARSE_MAX_DEPTH)
		return expr;
	report_too_deep(ctx, expr->span);
	return fallback;
}

static ast_expr *new_text_expr(parse_ctx *ctx, ast_expr_kind kind, const char *text, src_span span)
{
	ast_expr *expr = new_expr(ctx, kind, span);
	expr->text = text;
	return expr;
}

static ast_expr *new_binary(parse_ctx *ctx, ast_binop op, ast_expr *lhs, ast_expr *rhs, src_span span)
{
	ast_expr *expr = new_expr(ctx, EXPR_BINARY, span);
	expr->op = op;
	expr->lhs = lhs;
	expr->rhs = rhs;
	return within_depth(ctx, expr, lhs->depth > rhs->depth ? lhs->depth : rhs->depth, lhs);
}

static ast_expr *new_unary(parse_ctx *ctx, ast_expr_kind kind, ast_expr *operand, src_span span)
{
	ast_expr *expr = new_expr(ctx, kind, span);
	expr->lhs = operand;
	return within_depth(ctx, expr, operand->depth, operand);
}

static ast_expr *new_set(parse_ctx *ctx, ast_list *items, src_span span)
{
	ast_expr *set = new_expr(ctx, EXPR_SET, span);
	uint32_t deepest = 0;
	for (ast_list *item = items; item != NULL; item = item->next) {
		const ast_expr *member = item->item;
		if (member->depth > deepest)
			deepest = member->depth;
	}
	set->items = items;
	if (within_depth(ctx, set, deepest, NULL) == set)
		return set;
	set->items = NULL;
	set->depth = 1;
	return set;
}

/* Parentheses build no node but count as a level. */
static ast_expr *new_paren(parse_ctx *ctx, ast_expr *inner)
{
	if (inner->depth < PARSE_MAX_DEPTH)
		inner->depth++;
	else
		report_too_deep(ctx, inner->span);
	return inner;
}

static ast_expr *new_quantity(parse_ctx *ctx, parse_qty qty, src_span span)
{
	ast_expr *expr = new_expr(ctx, EXPR_QUANTITY, span);
	expr->text = qty.digits;
	expr->unit = qty.unit;
	return expr;
}

static ast_expr *new_date(parse_ctx *ctx, int32_t date, src_span span)
{
	ast_expr *expr = new_expr(ctx, EXPR_DATE, span);
	expr->date = date;
	return expr;
}

/* A negative literal in reference data: the minus joins the digits, so
 * "-3" stays a literal there, as in a fact record. */
static ast_expr *new_negative(parse_ctx *ctx, ast_expr *literal, src_span span)
{
	size_t len = strlen(literal->text);
	char *text = ast_alloc(ctx->arena, len + 2);
	text[0] = '-';
	memcpy(text + 1, literal->text, len + 1);
	literal->text = text;
	literal->span = span;
	return literal;
}

static ast_type simple_type(ast_type_kind kind, src_span span)
{
	ast_type type;
	memset(&type, 0, sizeof type);
	type.kind = kind;
	type.span = span;
	return type;
}

static ast_type named_type(ast_type_kind kind, const char *name, const char *unit, src_span span)
{
	ast_type type = simple_type(kind, span);
	type.enum_name = name;
	type.unit = unit;
	return type;
}

static ast_decl *new_fact(parse_ctx *ctx, const char *path, ast_type type, const char *label, src_span span)
{
	ast_decl *decl = new_decl(ctx, DECL_FACT, span);
	ast_fact *fact = ast_alloc(ctx->arena, sizeof *fact);
	fact->span = span;
	fact->path = path;
	fact->type = type;
	fact->label = label;
	decl->as.fact = fact;
	return decl;
}

static ast_decl *new_attribute(parse_ctx *ctx, ast_owner owner, const char *name, ast_type type,
			       const char *label, src_span span)
{
	ast_decl *decl = new_decl(ctx, DECL_ATTRIBUTE, span);
	ast_attribute *attribute = ast_alloc(ctx->arena, sizeof *attribute);
	attribute->span = span;
	attribute->owner = owner;
	attribute->name = name;
	attribute->type = type;
	attribute->label = label;
	decl->as.attribute = attribute;
	return decl;
}

static ast_decl *new_enum(parse_ctx *ctx, const char *name, ast_list *values, src_span span)
{
	ast_decl *decl = new_decl(ctx, DECL_ENUM, span);
	ast_enum *enumeration = ast_alloc(ctx->arena, sizeof *enumeration);
	enumeration->span = span;
	enumeration->name = name;
	enumeration->values = values;
	decl->as.enumeration = enumeration;
	return decl;
}

static ast_decl *new_industry(parse_ctx *ctx, const char *name, ast_list *members, src_span span)
{
	ast_decl *decl = new_decl(ctx, DECL_INDUSTRY, span);
	ast_industry *industry = ast_alloc(ctx->arena, sizeof *industry);
	industry->span = span;
	industry->name = name;
	industry->members = members;
	decl->as.industry = industry;
	return decl;
}

static void open_block(parse_ctx *ctx, const char *kind, const char *name, src_span span)
{
	ctx->block_kind = kind;
	ctx->block_name = name;
	ctx->block_open = span;
}

static ast_decl *close_block(parse_ctx *ctx, ast_decl_kind kind, const char *name, ast_list *fields,
			     src_span span)
{
	ctx->block_kind = NULL;
	ast_decl *decl = new_decl(ctx, kind, span);
	if (kind == DECL_COUNTY) {
		ast_county *county = ast_alloc(ctx->arena, sizeof *county);
		county->span = span;
		county->name = name;
		county->fields = fields;
		decl->as.county = county;
	} else {
		ast_unit *unit = ast_alloc(ctx->arena, sizeof *unit);
		unit->span = span;
		unit->code = name;
		unit->fields = fields;
		decl->as.unit = unit;
	}
	return decl;
}

static ast_field *new_field(parse_ctx *ctx, const char *name, ast_expr *value, src_span span)
{
	ast_field *field = ast_alloc(ctx->arena, sizeof *field);
	field->span = span;
	field->name = name;
	field->value = value;
	return field;
}

static void open_rule(parse_ctx *ctx, const char *id, src_span span)
{
	ast_rule *rule = ast_alloc(ctx->arena, sizeof *rule);
	rule->id = id;
	rule->id_span = span;
	ctx->rule = rule;
	ctx->rule_open = span;
	memset(&ctx->title_span, 0, sizeof ctx->title_span);
	memset(&ctx->when_span, 0, sizeof ctx->when_span);
	memset(&ctx->ensure_span, 0, sizeof ctx->ensure_span);
}

static void unclosed_rule(parse_ctx *ctx)
{
	const char *id = ctx->rule->id ? ctx->rule->id : "?";
	diag_error(ctx->diags, DIAG_E0007, ctx->last_span,
		   "expected '}' to close rule '%s' opened at line %u", id,
		   (unsigned)ctx->rule_open.begin.line);
	diag_note(ctx->diags, ctx->rule_open, "rule '%s' opened here", id);
}

static ast_decl *close_rule(parse_ctx *ctx, src_span span)
{
	ast_rule *rule = ctx->rule;
	ctx->rule = NULL;
	if (rule == NULL || rule->id == NULL)
		return NULL;
	rule->span = span;
	ast_decl *decl = new_decl(ctx, DECL_RULE, span);
	decl->as.rule = rule;
	return decl;
}

/* Report a second clause of a kind that a rule may have once. */
static int duplicate_clause(parse_ctx *ctx, int seen, src_span first, const char *clause, src_span span)
{
	if (!seen)
		return 0;
	diag_error(ctx->diags, DIAG_E0012, span, "duplicate '%s' clause in rule '%s'", _(clause),
		   ctx->rule->id ? ctx->rule->id : "?");
	diag_note(ctx->diags, first, "first '%s' clause here", _(clause));
	return 1;
}

static void rule_title(parse_ctx *ctx, const char *title, src_span span)
{
	ast_rule *rule = ctx->rule;
	if (duplicate_clause(ctx, rule->title != NULL, ctx->title_span, N_("title"), span))
		return;
	rule->title = title;
	ctx->title_span = span;
}

static const struct {
	const char *name;
	er_dimension dimension;
} dimension_names[] = {
	{ "空间布局约束", ER_DIM_LAYOUT },
	{ "layout", ER_DIM_LAYOUT },
	{ "污染物排放管控", ER_DIM_EMISSION },
	{ "emission", ER_DIM_EMISSION },
	{ "环境风险防控", ER_DIM_RISK },
	{ "risk", ER_DIM_RISK },
	{ "资源利用效率", ER_DIM_RESOURCE },
	{ "resource", ER_DIM_RESOURCE },
};

static void rule_dimension(parse_ctx *ctx, const char *name, src_span name_span, src_span span)
{
	ast_rule *rule = ctx->rule;
	if (duplicate_clause(ctx, rule->has_dimension, rule->dimension_span, N_("dimension"), span))
		return;
	for (size_t i = 0; i < sizeof dimension_names / sizeof dimension_names[0]; i++) {
		if (strcmp(name, dimension_names[i].name) == 0) {
			rule->has_dimension = 1;
			rule->dimension = dimension_names[i].dimension;
			rule->dimension_span = span;
			return;
		}
	}
	diag_error(ctx->diags, DIAG_E0008, name_span,
		   "unknown dimension '%s'; expected 空间布局约束 (layout), 污染物排放管控 (emission), "
		   "环境风险防控 (risk) or 资源利用效率 (resource)", name);
}

static void rule_scope(parse_ctx *ctx, ast_scope_kind kind, ast_list *names, src_span span)
{
	ast_scope *scope = ast_alloc(ctx->arena, sizeof *scope);
	scope->span = span;
	scope->kind = kind;
	scope->names = names;
	ctx->rule->scopes = append(ctx, ctx->rule->scopes, scope);
}

static void rule_when(parse_ctx *ctx, ast_expr *condition, src_span span)
{
	if (duplicate_clause(ctx, ctx->rule->when != NULL, ctx->when_span, N_("when"), span))
		return;
	ctx->rule->when = condition;
	ctx->when_span = span;
}

static void rule_unless(parse_ctx *ctx, ast_expr *condition)
{
	ctx->rule->unless = append(ctx, ctx->rule->unless, condition);
}

static void rule_let(parse_ctx *ctx, const char *name, ast_expr *value, src_span span)
{
	ast_let *let = ast_alloc(ctx->arena, sizeof *let);
	let->span = span;
	let->name = name;
	let->value = value;
	ctx->rule->lets = append(ctx, ctx->rule->lets, let);
}

static void rule_verdict(parse_ctx *ctx, er_verdict verdict, const parse_str *message, src_span span)
{
	ast_rule *rule = ctx->rule;
	if (duplicate_clause(ctx, rule->has_verdict, rule->verdict_span, N_("verdict"), span))
		return;
	rule->has_verdict = 1;
	rule->verdict = verdict;
	rule->verdict_span = span;
	rule->message = message->text;
	rule->message_parts = parse_message_parts(ctx, message);
}

static void rule_ensure(parse_ctx *ctx, ast_expr *requirement, src_span span)
{
	if (duplicate_clause(ctx, ctx->rule->ensure != NULL, ctx->ensure_span, N_("ensure"), span))
		return;
	ctx->rule->ensure = requirement;
	ctx->ensure_span = span;
}

static void rule_basis(parse_ctx *ctx, const char *basis, src_span span)
{
	ctx->rule->basis = append(ctx, ctx->rule->basis, new_ident(ctx, basis, span));
}

static void rule_date(parse_ctx *ctx, int until, int32_t date, src_span span)
{
	ast_rule *rule = ctx->rule;
	if (until) {
		if (duplicate_clause(ctx, rule->has_until, rule->until_span, N_("until"), span))
			return;
		rule->has_until = 1;
		rule->until = date;
		rule->until_span = span;
	} else {
		if (duplicate_clause(ctx, rule->has_from, rule->from_span, N_("from"), span))
			return;
		rule->has_from = 1;
		rule->from = date;
		rule->from_span = span;
	}
}

static void rule_overrides(parse_ctx *ctx, ast_list *ids)
{
	ast_list **tail = &ctx->rule->overrides;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = ids;
}

static void rule_allow(parse_ctx *ctx, const char *code, src_span code_span, const char *reason, src_span span)
{
	ast_allow *allow = ast_alloc(ctx->arena, sizeof *allow);
	allow->span = span;
	allow->code = code;
	allow->code_span = code_span;
	allow->reason = reason;
	ctx->rule->allows = append(ctx, ctx->rule->allows, allow);
}
