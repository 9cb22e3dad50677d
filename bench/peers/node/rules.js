// node + json-rules-engine (npm) peer: the 30 benchmark rules (rules/bench/bench.rule, docs/benchmarks.md).
// usage: NODE_PATH=DIR/node_modules node rules.js < facts.jsonl   (bench/run.sh runs npm ci into DIR)
//
// Each record's keys are passed to engine.run() as runtime facts. Absent keys are undefined facts
// (allowUndefinedFacts); every rule starts with a custom `present` check on each field it reads.
// The offsets are engine-computed facts substituted into event params (replaceFactsInEventParams).
'use strict';
const readline = require('readline');
const { Engine } = require('json-rules-engine');

const NEWBUILD = ['新建', '改建', '扩建'];
const NEW_EXP = ['新建', '扩建'];
const CAP5 = ['钢铁', '焦化', '铸造', '水泥', '平板玻璃'];
const CITY4 = ['钢铁', '铸造', '水泥', '有色金属冶炼'];
const SOIL8 = ['有色金属矿采选', '有色金属冶炼', '化工', '焦化', '电镀', '制革', '农药', '铅蓄电池'];
const HEAVY8 = ['钢铁', '建材', '水泥', '平板玻璃', '铸造', '有色金属冶炼', '化工', '焦化'];
const NONIND = ['餐饮', '物流', '金融服务', '大数据', '旅游'];
const CHEM2 = ['化工', '煤化工'];
const CHEM3 = ['化工', '煤化工', '制药'];
const NO_CROSS = ['城区', '泽州县', '高平市'];
const POSITIONING = {
  ZH14050220001: ['光电制造', '金融服务'],
  ZH14050220002: ['光电制造', '装备制造', '大数据'],
  ZH14050220003: ['制药', '装备制造', '新能源', '物流'],
  ZH14052520001: ['铸造', '装备制造'],
  ZH14052220001: ['电力', '煤化工'],
  ZH14052220002: ['陶瓷'],
  ZH14052220003: ['新能源', '煤层气', '物流'],
  ZH14058120001: ['新能源汽车', '汽车零部件'],
  ZH14058120002: ['新能源', '新材料'],
  ZH14058120003: ['建材'],
  ZH14052120001: ['煤层气', '装备制造', '新材料'],
};

const c = (fact, operator, value) => ({ fact, operator, value });
const eq = (f, v) => c(f, 'equal', v);
const isIn = (f, v) => c(f, 'in', v);
const notIn = (f, v) => c(f, 'notIn', v);
// rule(id, verdict, reads, conditions[, params])
function rule(id, verdict, reads, conds, params) {
  return {
    name: id,
    conditions: { all: [...reads.map((f) => c(f, 'present', true)), ...conds] },
    event: { type: verdict, params: Object.assign({ id }, params || {}) },
  };
}

const RULES = [
  rule('R01', 'forbid', ['unit_class', 'industry', 'adds_capacity'],
    [eq('unit_class', '重点管控'), isIn('industry', CAP5), eq('adds_capacity', true)]),
  rule('R02', 'require', ['unit_class', 'industry', 'adds_capacity'],
    [eq('unit_class', '重点管控'), isIn('industry', CAP5), eq('adds_capacity', false)]),
  rule('R03', 'forbid', ['in_city_planning_area', 'industry', 'construction_type', 'adds_capacity'],
    [eq('in_city_planning_area', true), isIn('industry', CITY4),
      { not: { all: [eq('construction_type', '技术改造'), eq('adds_capacity', false)] } }]),
  rule('R04', 'forbid', ['in_yanhe_spring_key_zone', 'construction_type', 'water_supply_related'],
    [eq('in_yanhe_spring_key_zone', true), isIn('construction_type', NEWBUILD), eq('water_supply_related', false)]),
  rule('R05', 'forbid', ['distance_to_danhe_m', 'construction_type', 'high_water_pollution'],
    [c('distance_to_danhe_m', 'lessThanInclusive', 1000), isIn('construction_type', NEWBUILD),
      eq('high_water_pollution', true)]),
  rule('R06', 'forbid', ['in_qinhe_protection_zone', 'new_outfall'],
    [eq('in_qinhe_protection_zone', true), eq('new_outfall', true)]),
  rule('R07', 'forbid', ['in_qinhe_protection_zone', 'construction_type', 'industry'],
    [eq('in_qinhe_protection_zone', true), isIn('construction_type', NEWBUILD), notIn('industry', NONIND)]),
  rule('R08', 'forbid', ['new_outfall', 'distance_to_danhe_m'],
    [eq('new_outfall', true), c('distance_to_danhe_m', 'lessThanInclusive', 200)]),
  rule('R09', 'forbid', ['industry', 'construction_type', 'in_industrial_park'],
    [isIn('industry', CHEM2), eq('construction_type', '新建'), eq('in_industrial_park', false)]),
  rule('R10', 'restrict', ['in_priority_farmland_zone', 'construction_type', 'industry'],
    [eq('in_priority_farmland_zone', true), isIn('construction_type', NEW_EXP), isIn('industry', SOIL8)]),
  rule('R11', 'restrict', ['unit_class', 'construction_type', 'industry'],
    [eq('unit_class', '优先保护'), isIn('construction_type', NEW_EXP), notIn('industry', NONIND)]),
  rule('R12', 'restrict', ['industry', 'construction_type', 'so2_t_a', 'nox_t_a'],
    [isIn('industry', HEAVY8), isIn('construction_type', NEWBUILD), c('air_sum', 'greaterThanInclusive', 100)]),
  rule('R13', 'restrict', ['unit_code', 'uses_groundwater'],
    [isIn('unit_code', ['ZH14052220001', 'ZH14052120001']), eq('uses_groundwater', true)]),
  rule('R14', 'forbid', ['unit_code', 'uses_groundwater'],
    [isIn('unit_code', ['ZH14058120002', 'ZH14058120003']), eq('uses_groundwater', true)]),
  rule('R15', 'require', ['unit_code', 'reuse_rate_pct'],
    [isIn('unit_code', ['ZH14058120002', 'ZH14058120003']), c('reuse_rate_pct', 'lessThan', 85)]),
  rule('R16', 'restrict', ['unit_code', 'industry'],
    [{ any: Object.entries(POSITIONING).map(([code, pos]) => ({ all: [eq('unit_code', code), notIn('industry', pos)] })) }]),
  rule('R17', 'restrict', ['unit_code', 'high_water_pollution'],
    [eq('unit_code', 'ZH14052220003'), eq('high_water_pollution', true)]),
  rule('R18', 'require', ['vocs_rate_kg_h'], [c('vocs_rate_kg_h', 'greaterThanInclusive', 2)]),
  rule('R19', 'require', ['seal_points'], [c('seal_points', 'greaterThanInclusive', 2000)]),
  rule('R20', 'require', ['annual_freight_10k_t', 'truck_standard'],
    [c('annual_freight_10k_t', 'greaterThanInclusive', 150), notIn('truck_standard', ['国六', '新能源'])]),
  rule('R21', 'require', ['in_city_planning_area', 'industry', 'truck_standard'],
    [eq('in_city_planning_area', true), isIn('industry', ['电力', '钢铁']), c('truck_standard', 'notEqual', '新能源')]),
  rule('R22', 'require', ['pm25_exceeds', 'construction_type', 'so2_t_a'],
    [eq('pm25_exceeds', true), isIn('construction_type', NEWBUILD), c('so2_t_a', 'greaterThan', 0)],
    { offset: 'SO2', value: { fact: 'so2_offset' } }),
  rule('R23', 'require', ['pm25_exceeds', 'construction_type', 'nox_t_a'],
    [eq('pm25_exceeds', true), isIn('construction_type', NEWBUILD), c('nox_t_a', 'greaterThan', 0)],
    { offset: 'NOx', value: { fact: 'nox_offset' } }),
  rule('R24', 'forbid', ['county', 'so2_t_a', 'nox_t_a', 'offset_source_county'],
    [isIn('county', NO_CROSS), c('air_sum', 'greaterThan', 0),
      c('offset_source_county', 'notEqual', { fact: 'county' })]),
  rule('R25', 'require', ['industry', 'construction_type'],
    [isIn('industry', SOIL8), isIn('construction_type', NEWBUILD)]),
  rule('R26', 'require', ['industry', 'vocs_rate_kg_h'],
    [isIn('industry', CHEM3), c('vocs_rate_kg_h', 'greaterThan', 0)]),
  rule('R27', 'advise', ['industry'], [isIn('industry', ['焦化', '水泥'])]),
  rule('R28', 'advise', ['industry', 'in_industrial_park', 'construction_type'],
    [isIn('industry', CHEM2), eq('in_industrial_park', true), eq('construction_type', '新建')]),
  rule('R29', 'forbid', ['in_city_planning_area', 'industry'],
    [eq('in_city_planning_area', true), isIn('industry', ['露天矿', '采石场'])]),
  rule('R30', 'require', ['industry', 'in_city_planning_area'],
    [eq('industry', '加油站'), eq('in_city_planning_area', true)]),
];

const engine = new Engine([], { allowUndefinedFacts: true, replaceFactsInEventParams: true });
engine.addOperator('present', (factValue) => factValue !== undefined);
for (const r of RULES) engine.addRule(r);
// computed facts (evaluated lazily by the engine, cached per run)
engine.addFact('air_sum', async (params, almanac) => {
  const s = await almanac.factValue('so2_t_a');
  const n = await almanac.factValue('nox_t_a');
  return s === undefined || n === undefined ? undefined : s + n;
});
engine.addFact('so2_offset', async (params, almanac) => Math.round((await almanac.factValue('so2_t_a')) * 2000));
engine.addFact('nox_offset', async (params, almanac) => Math.round((await almanac.factValue('nox_t_a')) * 2000));

const RANK = { forbid: 3, restrict: 2, require: 1, advise: 0 };
const NAME = ['pass', 'require', 'restrict', 'forbid'];

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buf = [];
  for await (const line of rl) {
    if (line === '') continue;
    const rec = JSON.parse(line);
    const { events } = await engine.run(rec);
    events.sort((a, b) => (a.params.id < b.params.id ? -1 : a.params.id > b.params.id ? 1 : 0));
    let worst = 0;
    const ids = [];
    const offs = [];
    for (const e of events) {
      ids.push(e.params.id);
      if (RANK[e.type] > worst) worst = RANK[e.type];
      if (e.params.offset) offs.push(e.params.offset + '=' + e.params.value);
    }
    buf.push(rec.id + '\t' + NAME[worst] + '\t' + (ids.length ? ids.join(',') : '-') + '\t' +
      (offs.length ? offs.join(';') : '-') + '\n');
    if (buf.length >= 1024) {
      if (!process.stdout.write(buf.join(''))) await new Promise((r) => process.stdout.once('drain', r));
      buf = [];
    }
  }
  if (buf.length) process.stdout.write(buf.join(''));
}

main().catch((e) => { console.error(e); process.exit(1); });
