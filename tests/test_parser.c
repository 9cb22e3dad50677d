/* Check tests of the parser: the examples of docs/language.md as AST
 * shapes, precedence, every clause, error recovery and messages. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ecorule.h"
#include "i18n.h"
#include "parse.h"

typedef struct parsed {
	ast_arena *arena;
	src_table *sources;
	diag_list diags;
	ast_file *file;
} parsed;

static void parse_text(parsed *p, const char *text)
{
	p->arena = ast_arena_new();
	p->sources = src_table_new();
	diag_list_init(&p->diags);
	p->file = parse_string(p->arena, p->sources, "test.rule", text, &p->diags);
}

static void parsed_free(parsed *p)
{
	diag_list_free(&p->diags);
	src_table_free(p->sources);
	ast_arena_free(p->arena);
}

static ast_decl *decl_at(const parsed *p, size_t index)
{
	const ast_list *node = p->file->decls;
	for (size_t i = 0; i < index && node != NULL; i++)
		node = node->next;
	ck_assert_ptr_nonnull(node);
	return node->item;
}

static void *item_at(const ast_list *list, size_t index)
{
	for (size_t i = 0; i < index && list != NULL; i++)
		list = list->next;
	ck_assert_ptr_nonnull(list);
	return list->item;
}

static const char layout_example[] =
	"rule ZH14052220003.layout.2 {\n"
	"  title     \"延河泉域重点保护区内禁止无关建设项目\"\n"
	"  dimension 空间布局约束\n"
	"  scope     unit ZH14052220003\n"
	"  when      site.zones has 延河泉域重点保护区\n"
	"            and project.nature in { 新建, 改建, 扩建 }\n"
	"  unless    project.water_supply_related\n"
	"  forbid    \"在片区延河泉域重点保护区范围内，禁止新、改、扩建与供水设施和保护水源无关的建设项目\"\n"
	"  basis     \"《山西省泉域水资源保护条例》（2010 修订）\"\n"
	"}\n";

START_TEST(english_rule_example)
{
	parsed p;
	parse_text(&p, layout_example);
	ck_assert_uint_eq(p.diags.count, 0);
	ck_assert_uint_eq(ast_list_length(p.file->decls), 1);
	ast_decl *decl = decl_at(&p, 0);
	ck_assert_int_eq(decl->kind, DECL_RULE);
	ast_rule *rule = decl->as.rule;
	ck_assert_str_eq(rule->id, "ZH14052220003.layout.2");
	ck_assert_uint_eq(rule->id_span.begin.line, 1);
	ck_assert_uint_eq(rule->id_span.begin.col, 6);
	ck_assert_str_eq(rule->title, "延河泉域重点保护区内禁止无关建设项目");
	ck_assert(rule->has_dimension);
	ck_assert_int_eq(rule->dimension, ER_DIM_LAYOUT);

	ck_assert_uint_eq(ast_list_length(rule->scopes), 1);
	ast_scope *scope = item_at(rule->scopes, 0);
	ck_assert_int_eq(scope->kind, SCOPE_UNIT);
	ck_assert_str_eq(((ast_ident *)item_at(scope->names, 0))->text, "ZH14052220003");

	ast_expr *when = rule->when;
	ck_assert_int_eq(when->kind, EXPR_BINARY);
	ck_assert_int_eq(when->op, BIN_AND);
	ck_assert_int_eq(when->lhs->op, BIN_HAS);
	ck_assert_str_eq(when->lhs->lhs->text, "site.zones");
	ck_assert_int_eq(when->lhs->rhs->kind, EXPR_NAME);
	ck_assert_str_eq(when->lhs->rhs->text, "延河泉域重点保护区");
	ck_assert_int_eq(when->rhs->op, BIN_IN);
	ck_assert_int_eq(when->rhs->rhs->kind, EXPR_SET);
	ck_assert_uint_eq(ast_list_length(when->rhs->rhs->items), 3);
	ck_assert_uint_eq(when->span.begin.line, 5);
	ck_assert_uint_eq(when->span.end.line, 6);

	ck_assert_uint_eq(ast_list_length(rule->unless), 1);
	ck_assert(rule->has_verdict);
	ck_assert_int_eq(rule->verdict, ER_VERDICT_FORBID);
	ck_assert_uint_eq(ast_list_length(rule->message_parts), 1);
	ck_assert_uint_eq(ast_list_length(rule->basis), 1);
	ck_assert_str_eq(((ast_ident *)item_at(rule->basis, 0))->text,
			 "《山西省泉域水资源保护条例》（2010 修订）");
	ck_assert_uint_eq(rule->span.begin.line, 1);
	ck_assert_uint_eq(rule->span.end.line, 10);
	parsed_free(&p);
}
END_TEST

static const char chinese_example[] =
	"规则 城区.倍量削减 {\n"
	"  标题 \"大气超标县区新增主要大气污染物倍量削减\"\n"
	"  维度 污染物排放管控\n"
	"  范围 县区 城区, 泽州县\n"
	"  当   县区.大气超标 且 排放.新增.SO2 > 0 吨/年\n"
	"  计算 削减量 = 2 * 排放.新增.SO2\n"
	"  要求 \"主要污染物实施区域倍量削减（2:1）：需削减 SO2 {削减量}\"\n"
	"  依据 \"《晋城市 2021 年空气质量巩固提升行动计划》（晋市政办〔2021〕9 号）\"\n"
	"}\n";

START_TEST(chinese_rule_example)
{
	parsed p;
	parse_text(&p, chinese_example);
	ck_assert_uint_eq(p.diags.count, 0);
	ast_rule *rule = decl_at(&p, 0)->as.rule;
	ck_assert_str_eq(rule->id, "城区.倍量削减");
	ck_assert_int_eq(rule->dimension, ER_DIM_EMISSION);
	ast_scope *scope = item_at(rule->scopes, 0);
	ck_assert_int_eq(scope->kind, SCOPE_COUNTY);
	ck_assert_uint_eq(ast_list_length(scope->names), 2);
	ck_assert_str_eq(((ast_ident *)item_at(scope->names, 1))->text, "泽州县");

	ck_assert_int_eq(rule->when->op, BIN_AND);
	ck_assert_int_eq(rule->when->lhs->kind, EXPR_COUNTY_ATTR);
	ck_assert_str_eq(rule->when->lhs->text, "大气超标");
	ast_expr *cmp = rule->when->rhs;
	ck_assert_int_eq(cmp->op, BIN_GT);
	ck_assert_int_eq(cmp->rhs->kind, EXPR_QUANTITY);
	ck_assert_str_eq(cmp->rhs->text, "0");
	ck_assert_str_eq(cmp->rhs->unit, "吨/年");

	ast_let *let = item_at(rule->lets, 0);
	ck_assert_str_eq(let->name, "削减量");
	ck_assert_int_eq(let->value->op, BIN_MUL);

	ck_assert_int_eq(rule->verdict, ER_VERDICT_REQUIRE);
	ck_assert_str_eq(rule->message, "主要污染物实施区域倍量削减（2:1）：需削减 SO2 {削减量}");
	ck_assert_uint_eq(ast_list_length(rule->message_parts), 2);
	ast_message_part *text = item_at(rule->message_parts, 0);
	ck_assert_str_eq(text->text, "主要污染物实施区域倍量削减（2:1）：需削减 SO2 ");
	ast_message_part *value = item_at(rule->message_parts, 1);
	ck_assert_ptr_null(value->text);
	ck_assert_int_eq(value->expr->kind, EXPR_NAME);
	ck_assert_str_eq(value->expr->text, "削减量");
	/* Line 7: the '{' is character 34, after "  要求 \"" and 27 characters. */
	ck_assert_uint_eq(value->expr->span.begin.line, 7);
	ck_assert_uint_eq(value->expr->span.begin.col, 35);
	parsed_free(&p);
}
END_TEST

START_TEST(declarations_of_every_kind)
{
	parsed p;
	parse_text(&p,
		   "import \"schema.rule\"\n"
		   "导入 \"units/bagong.rule\"\n"
		   "enum 建设性质 { 新建, 改建, 扩建, 技术改造 }\n"
		   "fact project.nature : 建设性质 label \"建设性质\"\n"
		   "fact emission.new.SO2 : quantity 吨/年 label \"新增二氧化硫排放量\"\n"
		   "事实 项目.单元 : 单元 标签 \"所在环境管控单元\"\n"
		   "fact site.zones : set of 区域\n"
		   "fact 行业代码 : 集合 区域\n"
		   "attribute unit.elements : set of 要素类型 label \"涉及要素类型\"\n"
		   "attribute unit.主导产业 : industries\n"
		   "attribute county.大气超标 : boolean label \"环境空气质量不达标\"\n"
		   "industry 铸造 = 3391, 3392\n"
		   "industry 两高 = 钢铁, 焦化, 3011\n"
		   "county 城区 { code 140502  大气超标 true }\n"
		   "unit ZH14050220001 {\n"
		   "  name     \"晋城经济技术开发区主区\"\n"
		   "  县区     城区\n"
		   "  class    重点管控\n"
		   "  area     20.26 平方公里\n"
		   "  elements { 大气高排放区, 土壤污染风险重点管控区 }\n"
		   "  PM25超标倍数 -0.5\n"
		   "}\n");
	ck_assert_uint_eq(p.diags.count, 0);
	ck_assert_uint_eq(ast_list_length(p.file->decls), 15);
	ck_assert_str_eq(decl_at(&p, 1)->as.import_path, "units/bagong.rule");
	ast_enum *e = decl_at(&p, 2)->as.enumeration;
	ck_assert_str_eq(e->name, "建设性质");
	ck_assert_uint_eq(ast_list_length(e->values), 4);

	ast_fact *nature = decl_at(&p, 3)->as.fact;
	ck_assert_str_eq(nature->path, "project.nature");
	ck_assert_int_eq(nature->type.kind, TYPE_ENUM);
	ck_assert_str_eq(nature->type.enum_name, "建设性质");
	ck_assert_str_eq(nature->label, "建设性质");
	ast_fact *so2 = decl_at(&p, 4)->as.fact;
	ck_assert_int_eq(so2->type.kind, TYPE_QUANTITY);
	ck_assert_str_eq(so2->type.unit, "吨/年");
	ck_assert_int_eq(decl_at(&p, 5)->as.fact->type.kind, TYPE_UNIT);
	ck_assert_int_eq(decl_at(&p, 6)->as.fact->type.kind, TYPE_SET);
	ck_assert_ptr_null(decl_at(&p, 6)->as.fact->label);
	ck_assert_str_eq(decl_at(&p, 7)->as.fact->type.enum_name, "区域");

	ast_attribute *elements = decl_at(&p, 8)->as.attribute;
	ck_assert_int_eq(elements->owner, OWNER_UNIT);
	ck_assert_str_eq(elements->name, "elements");
	ck_assert_int_eq(decl_at(&p, 9)->as.attribute->type.kind, TYPE_INDUSTRIES);
	ck_assert_int_eq(decl_at(&p, 10)->as.attribute->owner, OWNER_COUNTY);

	ast_industry *two = decl_at(&p, 12)->as.industry;
	ck_assert_uint_eq(ast_list_length(two->members), 3);
	ck_assert_str_eq(((ast_ident *)item_at(two->members, 2))->text, "3011");

	ast_county *county = decl_at(&p, 13)->as.county;
	ck_assert_str_eq(county->name, "城区");
	ast_field *code = item_at(county->fields, 0);
	ck_assert_str_eq(code->name, "code");
	ck_assert_str_eq(code->value->text, "140502");
	ast_field *exceeds = item_at(county->fields, 1);
	ck_assert_str_eq(exceeds->name, "大气超标");
	ck_assert_int_eq(exceeds->value->kind, EXPR_BOOL);

	ast_unit *unit = decl_at(&p, 14)->as.unit;
	ck_assert_str_eq(unit->code, "ZH14050220001");
	ck_assert_uint_eq(ast_list_length(unit->fields), 6);
	ck_assert_str_eq(((ast_field *)item_at(unit->fields, 1))->name, "county");
	ast_field *area = item_at(unit->fields, 3);
	ck_assert_str_eq(area->name, "area");
	ck_assert_int_eq(area->value->kind, EXPR_QUANTITY);
	ck_assert_str_eq(area->value->unit, "平方公里");
	ck_assert_int_eq(((ast_field *)item_at(unit->fields, 4))->value->kind, EXPR_SET);
	ast_field *negative = item_at(unit->fields, 5);
	ck_assert_str_eq(negative->value->text, "-0.5");
	parsed_free(&p);
}
END_TEST

static ast_expr *when_of(const char *condition, parsed *p)
{
	char text[512];
	snprintf(text, sizeof text,
		 "rule R { when %s\n forbid \"x\" basis \"b\" }\n", condition);
	parse_text(p, text);
	ck_assert_uint_eq(p->diags.count, 0);
	return decl_at(p, 0)->as.rule->when;
}

START_TEST(precedence_of_operators)
{
	parsed p;
	ast_expr *e = when_of("a or b and not c == 1 + 2 * -3", &p);
	ck_assert_int_eq(e->op, BIN_OR);
	ck_assert_str_eq(e->lhs->text, "a");
	ast_expr *and = e->rhs;
	ck_assert_int_eq(and->op, BIN_AND);
	ck_assert_int_eq(and->rhs->kind, EXPR_NOT);
	ast_expr *eq = and->rhs->lhs;
	ck_assert_int_eq(eq->op, BIN_EQ);
	ck_assert_int_eq(eq->rhs->op, BIN_ADD);
	ast_expr *mul = eq->rhs->rhs;
	ck_assert_int_eq(mul->op, BIN_MUL);
	ck_assert_int_eq(mul->rhs->kind, EXPR_NEG);
	parsed_free(&p);

	e = when_of("(a 或 b) 且 x - y - z >= 3 千克", &p);
	ck_assert_int_eq(e->op, BIN_AND);
	ck_assert_int_eq(e->lhs->op, BIN_OR);
	ck_assert_int_eq(e->rhs->op, BIN_GE);
	ck_assert_int_eq(e->rhs->lhs->op, BIN_SUB);
	ck_assert_int_eq(e->rhs->lhs->lhs->op, BIN_SUB);
	parsed_free(&p);

	e = when_of("已知(project.x) and project.code in 化工 and unit.class == 重点管控", &p);
	ck_assert_int_eq(e->lhs->lhs->kind, EXPR_KNOWN);
	ck_assert_str_eq(e->lhs->lhs->lhs->text, "project.x");
	ck_assert_int_eq(e->lhs->rhs->op, BIN_IN);
	ck_assert_int_eq(e->rhs->lhs->kind, EXPR_UNIT_ATTR);
	ck_assert_str_eq(e->rhs->lhs->text, "class");
	parsed_free(&p);
}
END_TEST

START_TEST(every_clause_in_any_order)
{
	parsed p;
	parse_text(&p,
		   "rule X.1 {\n"
		   "  basis \"b1\"\n"
		   "  until 2025年12月31日\n"
		   "  ensure project.rate >= 85%\n"
		   "  require \"回用率 {project.rate} 须达到 85% \\{注\\}\"\n"
		   "  overrides X.2, Y-3\n"
		   "  scope class 重点管控\n"
		   "  scope unit A, B\n"
		   "  from 2021-10-01\n"
		   "  let 量 = 2 * x\n"
		   "  unless a\n"
		   "  unless b\n"
		   "  dimension resource\n"
		   "  title \"t\"\n"
		   "  basis \"b2\"\n"
		   "}\n");
	ck_assert_uint_eq(p.diags.count, 0);
	ast_rule *rule = decl_at(&p, 0)->as.rule;
	ck_assert_int_eq(rule->dimension, ER_DIM_RESOURCE);
	ck_assert(rule->has_from);
	ck_assert(rule->has_until);
	int32_t from, until;
	er_date_parse("2021-10-01", 10, &from);
	er_date_parse("2025-12-31", 10, &until);
	ck_assert_int_eq(rule->from, from);
	ck_assert_int_eq(rule->until, until);
	ck_assert_ptr_nonnull(rule->ensure);
	ck_assert_int_eq(rule->ensure->op, BIN_GE);
	ck_assert_int_eq(rule->verdict, ER_VERDICT_REQUIRE);
	ck_assert_str_eq(rule->message, "回用率 {project.rate} 须达到 85% {注}");
	ck_assert_uint_eq(ast_list_length(rule->message_parts), 3);
	ck_assert_str_eq(((ast_message_part *)item_at(rule->message_parts, 2))->text, " 须达到 85% {注}");
	ck_assert_uint_eq(ast_list_length(rule->overrides), 2);
	ck_assert_str_eq(((ast_ident *)item_at(rule->overrides, 1))->text, "Y-3");
	ck_assert_uint_eq(ast_list_length(rule->scopes), 2);
	ck_assert_int_eq(((ast_scope *)item_at(rule->scopes, 0))->kind, SCOPE_CLASS);
	ck_assert_uint_eq(ast_list_length(rule->lets), 1);
	ck_assert_uint_eq(ast_list_length(rule->unless), 2);
	ck_assert_uint_eq(ast_list_length(rule->basis), 2);
	ck_assert_str_eq(rule->title, "t");
	parsed_free(&p);
}
END_TEST

START_TEST(verdict_keywords)
{
	static const struct {
		const char *word;
		er_verdict verdict;
	} cases[] = {
		{ "forbid", ER_VERDICT_FORBID }, { "限制", ER_VERDICT_RESTRICT },
		{ "require", ER_VERDICT_REQUIRE }, { "退出", ER_VERDICT_EXIT },
		{ "引导", ER_VERDICT_GUIDE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "rule R { %s \"m\" }", cases[i].word);
		parsed p;
		parse_text(&p, text);
		ck_assert_uint_eq(p.diags.count, 0);
		ck_assert_int_eq(decl_at(&p, 0)->as.rule->verdict, cases[i].verdict);
		parsed_free(&p);
	}
}
END_TEST

START_TEST(three_errors_three_diagnostics)
{
	parsed p;
	parse_text(&p,
		   "fact a : boolean\n"
		   "rule A { when a and forbid \"x\" basis \"b\" }\n"
		   "rule B { title 3 basis \"b\" }\n"
		   "fact : boolean\n"
		   "rule C { forbid \"y\" basis \"b\" }\n");
	ck_assert_uint_eq(p.diags.count, 3);
	ck_assert_uint_eq(p.diags.items[0].span.begin.line, 2);
	ck_assert_uint_eq(p.diags.items[1].span.begin.line, 3);
	ck_assert_uint_eq(p.diags.items[2].span.begin.line, 4);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(p.diags.items[i].code, DIAG_E0001);
	ck_assert_str_eq(p.diags.items[1].message, "unexpected '3'; expected string");
	/* Declarations around the errors still parse. */
	ck_assert_uint_eq(ast_list_length(p.file->decls), 4);
	ck_assert_str_eq(decl_at(&p, 3)->as.rule->id, "C");
	parsed_free(&p);
}
END_TEST

START_TEST(unclosed_rule_message)
{
	parsed p;
	parse_text(&p,
		   "rule ZH1.a {\n"
		   "  forbid \"x\"\n"
		   "  basis \"b\"\n"
		   "rule ZH1.b { forbid \"y\" basis \"b\" }\n");
	ck_assert_uint_eq(p.diags.count, 1);
	ck_assert_int_eq(p.diags.items[0].code, DIAG_E0007);
	ck_assert_str_eq(p.diags.items[0].message, "expected '}' to close rule 'ZH1.a' opened at line 1");
	ck_assert_uint_eq(p.diags.items[0].span.begin.line, 4);
	ck_assert_uint_eq(p.diags.items[0].note_count, 1);
	ck_assert_uint_eq(p.diags.items[0].notes[0].span.begin.line, 1);
	ck_assert_uint_eq(ast_list_length(p.file->decls), 2);
	parsed_free(&p);

	parse_text(&p, "rule ZH1.a {\n  forbid \"x\"\n");
	ck_assert_uint_eq(p.diags.count, 1);
	ck_assert_int_eq(p.diags.items[0].code, DIAG_E0007);
	parsed_free(&p);
}
END_TEST

START_TEST(duplicate_clause_and_bad_dimension)
{
	parsed p;
	parse_text(&p, "rule R {\n title \"a\"\n title \"b\"\n dimension 维度错\n}\n");
	ck_assert_uint_eq(p.diags.count, 2);
	ck_assert_int_eq(p.diags.items[0].code, DIAG_E0012);
	ck_assert_uint_eq(p.diags.items[0].notes[0].span.begin.line, 2);
	ck_assert_int_eq(p.diags.items[1].code, DIAG_E0008);
	ck_assert_uint_eq(p.diags.items[1].span.begin.col, 12);
	parsed_free(&p);
}
END_TEST

START_TEST(interpolation_errors_in_place)
{
	parsed p;
	parse_text(&p, "rule R {\n  forbid \"值 {x +} 与 {y\"\n}\n");
	ck_assert_uint_eq(p.diags.count, 2);
	ck_assert_int_eq(p.diags.items[0].code, DIAG_E0001);
	ck_assert_uint_eq(p.diags.items[0].span.begin.line, 2);
	ck_assert_uint_eq(p.diags.items[0].span.begin.col, 17);
	ck_assert_int_eq(p.diags.items[1].code, DIAG_E0013);
	ck_assert_uint_eq(p.diags.items[1].span.begin.col, 21);
	parsed_free(&p);
}
END_TEST

START_TEST(import_paths_resolved)
{
	ast_arena *arena = ast_arena_new();
	ck_assert_str_eq(parse_resolve_path(arena, "rules/jincheng/main.rule", "schema.rule"),
			 "rules/jincheng/schema.rule");
	ck_assert_str_eq(parse_resolve_path(arena, "rules/jincheng/main.rule", "../x/./y.rule"),
			 "rules/x/y.rule");
	ck_assert_str_eq(parse_resolve_path(arena, "main.rule", "units/a.rule"), "units/a.rule");
	ck_assert_str_eq(parse_resolve_path(arena, "a/main.rule", "../../b.rule"), "../b.rule");
	ck_assert_str_eq(parse_resolve_path(arena, "a/main.rule", "/abs/b.rule"), "/abs/b.rule");
	ck_assert_str_eq(parse_resolve_path(arena, "/r/a/main.rule", "../../../b.rule"), "/b.rule");
	ast_arena_free(arena);

	parsed p;
	p.arena = ast_arena_new();
	p.sources = src_table_new();
	diag_list_init(&p.diags);
	p.file = parse_string(p.arena, p.sources, "rules/main.rule",
			      "import \"schema.rule\"\nfact x : boolean\n导入 \"units/a.rule\"\n", &p.diags);
	ast_list *imports = parse_import_paths(p.arena, p.sources, p.file);
	ck_assert_uint_eq(ast_list_length(imports), 2);
	ck_assert_str_eq(((ast_ident *)item_at(imports, 0))->text, "rules/schema.rule");
	ast_ident *second = item_at(imports, 1);
	ck_assert_str_eq(second->text, "rules/units/a.rule");
	ck_assert_uint_eq(second->span.begin.line, 3);
	parsed_free(&p);
}
END_TEST

START_TEST(missing_file_reported)
{
	ast_arena *arena = ast_arena_new();
	src_table *sources = src_table_new();
	diag_list diags;
	diag_list_init(&diags);
	src_span none = { { 0, 0, 0 }, { 0, 0, 0 } };
	ck_assert_ptr_null(parse_load(arena, sources, "/nonexistent/x.rule", none, &diags));
	ck_assert_uint_eq(diags.count, 1);
	ck_assert_int_eq(diags.items[0].code, DIAG_E0011);
	diag_list_free(&diags);
	src_table_free(sources);
	ast_arena_free(arena);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *suite = suite_create("parser");
	TCase *tc = tcase_create("ast");
	tcase_add_test(tc, english_rule_example);
	tcase_add_test(tc, chinese_rule_example);
	tcase_add_test(tc, declarations_of_every_kind);
	tcase_add_test(tc, precedence_of_operators);
	tcase_add_test(tc, every_clause_in_any_order);
	tcase_add_test(tc, verdict_keywords);
	tcase_add_test(tc, three_errors_three_diagnostics);
	tcase_add_test(tc, unclosed_rule_message);
	tcase_add_test(tc, duplicate_clause_and_bad_dimension);
	tcase_add_test(tc, interpolation_errors_in_place);
	tcase_add_test(tc, import_paths_resolved);
	tcase_add_test(tc, missing_file_reported);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	er_i18n_init("en");
	SRunner *runner = srunner_create(parser_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
