/* Helpers shared by the fuzz harnesses: the embedded rule set, its
 * compilation, and one evaluation pass over a record. */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "driver.h"
#include "emit.h"
#include "parse.h"
#include "source.h"

/* One fact of every type a record can set, reference data with unit and
 * county attributes, and rules that use scopes, dates, lets, ensure,
 * interpolated messages and overrides. The parser's seed
 * tests/fuzz/corpus/fuzz_parse/rich.rule contains the same text. */
const char fuzz_rules_text[] =
	"# A rule set that uses every kind of declaration, for the fuzz harnesses:\n"
	"# the fact readers run against the program compiled from this text.\n"
	"enum 建设性质 { 新建, 改建, 扩建 }\n"
	"enum 区域 { 延河泉域重点保护区, 城市规划区, 禁煤区 }\n"
	"enum 要素类型 { 大气高排放区, 土壤污染风险重点管控区 }\n"
	"\n"
	"fact project.nature : 建设性质 label \"建设性质\"\n"
	"fact emission.new.SO2 : quantity 吨/年 label \"新增二氧化硫排放量\"\n"
	"fact emission.rate : quantity 千克/小时 label \"排放速率\"\n"
	"fact site.zones : set of 区域 label \"所在区域\"\n"
	"fact project.industry : code label \"行业代码\"\n"
	"fact site.unit : unit label \"所在环境管控单元\"\n"
	"fact project.water_supply_related : boolean label \"与供水有关\"\n"
	"fact project.start : date label \"开工日期\"\n"
	"fact project.name : string label \"项目名称\"\n"
	"fact project.staff : integer label \"职工人数\"\n"
	"fact project.reuse_rate : number label \"中水回用率\"\n"
	"\n"
	"industry 焦化 = 2521\n"
	"industry 钢铁 = 31\n"
	"industry 两高 = 焦化, 钢铁, 3011\n"
	"\n"
	"attribute unit.elements : set of 要素类型 label \"涉及要素类型\"\n"
	"attribute unit.主导产业 : industries label \"主导产业\"\n"
	"attribute unit.PM25超标倍数 : number label \"PM2.5 超标倍数\"\n"
	"attribute county.大气超标 : boolean label \"环境空气质量不达标\"\n"
	"\n"
	"county 城区 { code 140502  大气超标 true }\n"
	"county 阳城县 { code 140522 }\n"
	"\n"
	"unit ZH14050220001 {\n"
	"  name     \"晋城经济技术开发区主区\"\n"
	"  county   城区\n"
	"  class    重点管控\n"
	"  area     20.26 平方公里\n"
	"  elements { 大气高排放区, 土壤污染风险重点管控区 }\n"
	"  主导产业  { 两高 }\n"
	"  PM25超标倍数 0.35\n"
	"}\n"
	"\n"
	"unit ZH14052220003 {\n"
	"  name   \"阳城县重点管控单元\"\n"
	"  county 阳城县\n"
	"  class  重点管控\n"
	"  area   10 平方公里\n"
	"}\n"
	"\n"
	"rule spring.forbid {\n"
	"  title     \"延河泉域重点保护区内禁止无关建设项目\"\n"
	"  dimension 空间布局约束\n"
	"  scope     unit ZH14052220003\n"
	"  when      site.zones has 延河泉域重点保护区 and project.nature in { 新建, 改建, 扩建 }\n"
	"  unless    project.water_supply_related\n"
	"  forbid    \"在片区延河泉域重点保护区范围内，禁止新、改、扩建与供水设施和保护水源无关的建设项目\"\n"
	"  basis     \"《山西省泉域水资源保护条例》（2010 修订）\"\n"
	"}\n"
	"\n"
	"rule so2.offset {\n"
	"  title     \"大气超标县区新增二氧化硫倍量削减\"\n"
	"  dimension 污染物排放管控\n"
	"  scope     county 城区, 阳城县\n"
	"  when      county.大气超标 and emission.new.SO2 > 0 吨/年\n"
	"  let       削减量 = 2 * emission.new.SO2\n"
	"  require   \"需削减 SO2 {削减量}，排放速率 {emission.rate}\"\n"
	"  basis     \"《晋城市 2021 年空气质量巩固提升行动计划》（晋市政办〔2021〕9 号）\"\n"
	"  from      2021-01-01\n"
	"  until     2030-12-31\n"
	"}\n"
	"\n"
	"rule coking.restrict {\n"
	"  title     \"严格控制两高项目\"\n"
	"  dimension 污染物排放管控\n"
	"  scope     class 重点管控\n"
	"  when      project.industry in 两高 or project.industry in unit.主导产业\n"
	"  restrict  \"严格控制新建两高项目（{project.name}）\"\n"
	"  basis     \"《晋城市“三线一单”生态环境分区管控实施方案》\"\n"
	"}\n"
	"\n"
	"rule water.reuse {\n"
	"  title     \"中水回用率达到 85% 及以上\"\n"
	"  dimension 资源利用效率\n"
	"  when      project.nature == 新建 and project.start >= 2022-01-01\n"
	"  ensure    project.reuse_rate >= 0.85\n"
	"  require   \"中水回用率达到 85% 及以上，当前 {project.reuse_rate}\"\n"
	"  basis     \"《晋城市“三线一单”生态环境分区管控实施方案》\"\n"
	"}\n"
	"\n"
	"rule rate.limit {\n"
	"  title     \"排放速率不得超过 2 千克/小时\"\n"
	"  dimension 环境风险防控\n"
	"  when      emission.rate > 2 千克/小时 or unit.PM25超标倍数 > 0.3\n"
	"  let       每人 = emission.rate / project.staff\n"
	"  forbid    \"排放速率 {emission.rate} 超过 2 千克/小时，单元面积 {unit.area}\"\n"
	"  basis     \"《大气污染物综合排放标准》（GB 16297-1996）\"\n"
	"}\n"
	"\n"
	"rule elements.guide {\n"
	"  title     \"大气高排放区引导\"\n"
	"  dimension 空间布局约束\n"
	"  when      unit.elements has 大气高排放区 and not known(project.name)\n"
	"  guide     \"请补充项目名称\"\n"
	"  basis     \"《晋城市“三线一单”生态环境分区管控实施方案》\"\n"
	"  overrides rate.limit\n"
	"}\n";

FILE *fuzz_sink(void)
{
	static FILE *sink;

	if (sink == NULL) {
		sink = fopen("/dev/null", "w");
		if (sink == NULL) {
			perror("fuzz: /dev/null");
			abort();
		}
	}
	return sink;
}

/* Parse one file held in memory, then check it and generate its code as
 * the driver does. Imports are not followed, so no file is read. */
size_t fuzz_compile(const char *path, const char *text, size_t size, FILE *diagnostics,
		    int all_formats, uint8_t **bytes, size_t *bytecode_size)
{
	driver dr;
	ast_file *file;
	uint32_t index;
	size_t errors;

	*bytes = NULL;
	*bytecode_size = 0;
	driver_init(&dr);
	index = src_add(dr.sources, path, text, size);
	file = parse_file(dr.arena, dr.sources, index, &dr.diags);
	/* Resolving import paths reads nothing, so it is safe on any input. */
	parse_import_paths(dr.arena, dr.sources, file);
	*MODEL_PUSH(dr.files) = file;
	errors = driver_build(&dr);
	if (diagnostics != NULL)
		diag_print_text(&dr.diags, dr.sources, diagnostics);
	if (diagnostics != NULL && all_formats) {
		diag_print_json(&dr.diags, dr.sources, diagnostics);
		diag_print_sarif(&dr.diags, dr.sources, diagnostics);
	}
	if (errors == 0)
		emit_bytes(&dr.m, bytes, bytecode_size);
	driver_free(&dr);
	return errors;
}

/* Compile the rule file named by ECORULE_FUZZ_RULES with its imports. */
static size_t compile_file(const char *path, uint8_t **bytes, size_t *bytecode_size)
{
	driver dr;
	size_t errors;

	*bytes = NULL;
	*bytecode_size = 0;
	driver_init(&dr);
	if (driver_load_file(&dr, path) < 0) {
		diag_print_text(&dr.diags, dr.sources, stderr);
		driver_free(&dr);
		return 1;
	}
	errors = driver_build(&dr);
	diag_print_text(&dr.diags, dr.sources, stderr);
	if (errors == 0)
		emit_bytes(&dr.m, bytes, bytecode_size);
	driver_free(&dr);
	return errors;
}

const er_program *fuzz_program(void)
{
	static er_program *program;
	const char *path = getenv("ECORULE_FUZZ_RULES");
	uint8_t *bytes;
	size_t size, errors;
	er_error err;

	if (program != NULL)
		return program;
	if (path != NULL && path[0] != '\0')
		errors = compile_file(path, &bytes, &size);
	else
		errors = fuzz_compile("fuzz_rules.rule", fuzz_rules_text, strlen(fuzz_rules_text),
				      stderr, 0, &bytes, &size);
	if (errors != 0) {
		fprintf(stderr, "fuzz: the rule set has %zu errors\n", errors);
		abort();
	}
	program = er_program_load(bytes, size, &err);
	free(bytes);
	if (program == NULL) {
		fprintf(stderr, "fuzz: the compiled rule set does not load: %s\n", err.message);
		abort();
	}
	return program;
}

/* Format every value of one rule result, then its message. */
static void format_rule_result(const er_program *program, const er_result *result,
			       const er_rule_result *rule_result)
{
	char buf[256];
	char *message;

	for (uint32_t i = 0; i < rule_result->values_count; i++) {
		const er_value *value = &result->values[rule_result->values_first + i];
		er_format_value(program, value, NULL, buf, sizeof buf);
		/* A small buffer tests truncation, as snprintf callers rely on. */
		er_format_value(program, value, NULL, buf, 3);
	}
	message = er_format_message(program, result, rule_result);
	if (message != NULL) {
		fputs(message, fuzz_sink());
		free(message);
	}
}

void fuzz_evaluate(const er_program *program, const er_record *record)
{
	static const char *const dates[] = { "2020-06-01", "2024-06-01", "2031-06-01" };
	er_result result;

	er_result_init(&result);
	for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
		int32_t as_of;
		er_status status;

		if (er_date_parse(dates[d], strlen(dates[d]), &as_of) != 0)
			abort();
		status = er_eval(program, record, as_of, &result);
		if (status != ER_OK && status != ER_E_NOMEM) {
			fprintf(stderr, "fuzz: er_eval returned %s\n", er_status_name(status));
			abort();
		}
		if (status != ER_OK)
			continue;
		for (size_t i = 0; i < result.rule_count; i++)
			format_rule_result(program, &result, &result.rules[i]);
	}
	er_result_free(&result);
}

static int fuzz_on_record(er_record *record, void *context)
{
	(void)context;
	if (record->error_count == 0) {
		fuzz_evaluate(record->program, record);
		return 0;
	}
	for (size_t i = 0; i < record->error_count; i++)
		fprintf(fuzz_sink(), "%s: %s\n", record->errors[i].field, record->errors[i].message);
	return 0;
}

static void fuzz_on_warning(const char *message, void *context)
{
	(void)context;
	fputs(message, fuzz_sink());
}

/* Take the reader's options from a leading control byte, 0x00-0x08 or
 * 0x0E-0x1F, which no seed starts with because none is white space. Its
 * low two bits pick the encoding, bit 2 puts a UTF-8 byte-order mark
 * before the rest, and bit 3 reads JSON as JSON Lines. */
static void choose_options(const uint8_t **data, size_t *size, facts_options *options,
			   int *bom)
{
	static const facts_encoding encodings[] = {
		FACTS_ENC_AUTO, FACTS_ENC_UTF8, FACTS_ENC_GB18030, FACTS_ENC_AUTO,
	};
	uint8_t selector;

	*bom = 0;
	if (*size == 0 || (**data > 0x08 && **data < 0x0E) || **data > 0x1F)
		return;
	selector = **data;
	(*data)++;
	(*size)--;
	options->encoding = encodings[selector & 3];
	*bom = (selector & 4) != 0;
	if ((selector & 8) != 0 && options->format == FACTS_JSON)
		options->format = FACTS_JSONL;
}

void fuzz_read_facts(const uint8_t *data, size_t size, facts_format format, const char *name)
{
	static const uint8_t utf8_bom[3] = { 0xEF, 0xBB, 0xBF };
	const er_program *program = fuzz_program();
	facts_options options;
	uint8_t *text;
	size_t text_size;
	int bom;
	er_error err;
	FILE *in;

	memset(&options, 0, sizeof options);
	options.format = format;
	options.encoding = FACTS_ENC_AUTO;
	options.name = name;
	options.on_record = fuzz_on_record;
	options.on_warning = fuzz_on_warning;
	choose_options(&data, &size, &options, &bom);

	text_size = size + (bom ? sizeof utf8_bom : 0);
	/* fmemopen rejects an empty buffer on some C libraries. */
	if (text_size == 0)
		return;
	text = malloc(text_size);
	if (text == NULL)
		return;
	if (bom)
		memcpy(text, utf8_bom, sizeof utf8_bom);
	memcpy(text + (bom ? sizeof utf8_bom : 0), data, size);
	in = fmemopen(text, text_size, "rb");
	if (in != NULL) {
		facts_read(program, in, &options, &err);
		fclose(in);
	}
	free(text);
}
