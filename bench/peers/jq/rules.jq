# jq peer: the 30 benchmark rules (rules/bench/bench.rule, docs/benchmarks.md).   usage: jq -n -r -f rules.jq facts.jsonl
# (-n + inputs: the constant sets are built once, not once per record)
# One output line per record: id TAB verdict TAB fired TAB offsets.
# Absent fields: every rule first checks has(...) for each field it reads ("and" short-circuits).

def set(a): reduce a[] as $k ({}; .[$k] = true);
def NEWBUILD: set(["新建", "改建", "扩建"]);
def NEW_EXP: set(["新建", "扩建"]);
def CAP5: set(["钢铁", "焦化", "铸造", "水泥", "平板玻璃"]);
def CITY4: set(["钢铁", "铸造", "水泥", "有色金属冶炼"]);
def SOIL8: set(["有色金属矿采选", "有色金属冶炼", "化工", "焦化", "电镀", "制革", "农药", "铅蓄电池"]);
def HEAVY8: set(["钢铁", "建材", "水泥", "平板玻璃", "铸造", "有色金属冶炼", "化工", "焦化"]);
def NONIND: set(["餐饮", "物流", "金融服务", "大数据", "旅游"]);
def CHEM2: set(["化工", "煤化工"]);
def CHEM3: set(["化工", "煤化工", "制药"]);
def NO_CROSS: set(["城区", "泽州县", "高平市"]);
def POSITIONING: {
  "ZH14050220001": set(["光电制造", "金融服务"]),
  "ZH14050220002": set(["光电制造", "装备制造", "大数据"]),
  "ZH14050220003": set(["制药", "装备制造", "新能源", "物流"]),
  "ZH14052520001": set(["铸造", "装备制造"]),
  "ZH14052220001": set(["电力", "煤化工"]),
  "ZH14052220002": set(["陶瓷"]),
  "ZH14052220003": set(["新能源", "煤层气", "物流"]),
  "ZH14058120001": set(["新能源汽车", "汽车零部件"]),
  "ZH14058120002": set(["新能源", "新材料"]),
  "ZH14058120003": set(["建材"]),
  "ZH14052120001": set(["煤层气", "装备制造", "新材料"])
};
def VERDICT: ["forbid", "require", "forbid", "forbid", "forbid", "forbid", "forbid", "forbid", "forbid", "restrict",
              "restrict", "restrict", "restrict", "forbid", "require", "restrict", "restrict", "require", "require", "require",
              "require", "require", "require", "forbid", "require", "require", "advise", "advise", "forbid", "require"];

NEWBUILD as $NEWBUILD | NEW_EXP as $NEW_EXP | CAP5 as $CAP5 | CITY4 as $CITY4 | SOIL8 as $SOIL8 |
HEAVY8 as $HEAVY8 | NONIND as $NONIND | CHEM2 as $CHEM2 | CHEM3 as $CHEM3 | NO_CROSS as $NO_CROSS |
POSITIONING as $POS | VERDICT as $V |
inputs | . as $r |
[
  # R01
  ((has("unit_class") and has("industry") and has("adds_capacity")) and .unit_class == "重点管控" and $CAP5[.industry] and .adds_capacity == true),
  # R02
  ((has("unit_class") and has("industry") and has("adds_capacity")) and .unit_class == "重点管控" and $CAP5[.industry] and .adds_capacity == false),
  # R03
  ((has("in_city_planning_area") and has("industry") and has("construction_type") and has("adds_capacity")) and .in_city_planning_area == true
     and $CITY4[.industry] and ((.construction_type == "技术改造" and .adds_capacity == false) | not)),
  # R04
  ((has("in_yanhe_spring_key_zone") and has("construction_type") and has("water_supply_related")) and .in_yanhe_spring_key_zone == true
     and $NEWBUILD[.construction_type] and .water_supply_related == false),
  # R05
  ((has("distance_to_danhe_m") and has("construction_type") and has("high_water_pollution")) and .distance_to_danhe_m <= 1000
     and $NEWBUILD[.construction_type] and .high_water_pollution == true),
  # R06
  ((has("in_qinhe_protection_zone") and has("new_outfall")) and .in_qinhe_protection_zone == true and .new_outfall == true),
  # R07
  ((has("in_qinhe_protection_zone") and has("construction_type") and has("industry")) and .in_qinhe_protection_zone == true
     and $NEWBUILD[.construction_type] and ($NONIND[.industry] | not)),
  # R08
  ((has("new_outfall") and has("distance_to_danhe_m")) and .new_outfall == true and .distance_to_danhe_m <= 200),
  # R09
  ((has("industry") and has("construction_type") and has("in_industrial_park")) and $CHEM2[.industry] and .construction_type == "新建"
     and .in_industrial_park == false),
  # R10
  ((has("in_priority_farmland_zone") and has("construction_type") and has("industry")) and .in_priority_farmland_zone == true
     and $NEW_EXP[.construction_type] and $SOIL8[.industry]),
  # R11
  ((has("unit_class") and has("construction_type") and has("industry")) and .unit_class == "优先保护" and $NEW_EXP[.construction_type]
     and ($NONIND[.industry] | not)),
  # R12
  ((has("industry") and has("construction_type") and has("so2_t_a") and has("nox_t_a")) and $HEAVY8[.industry] and $NEWBUILD[.construction_type]
     and (.so2_t_a + .nox_t_a) >= 100),
  # R13
  ((has("unit_code") and has("uses_groundwater")) and (.unit_code == "ZH14052220001" or .unit_code == "ZH14052120001")
     and .uses_groundwater == true),
  # R14
  ((has("unit_code") and has("uses_groundwater")) and (.unit_code == "ZH14058120002" or .unit_code == "ZH14058120003")
     and .uses_groundwater == true),
  # R15
  ((has("unit_code") and has("reuse_rate_pct")) and (.unit_code == "ZH14058120002" or .unit_code == "ZH14058120003")
     and .reuse_rate_pct < 85),
  # R16
  ((has("unit_code") and has("industry")) and $POS[.unit_code] != null and ($POS[.unit_code][.industry] | not)),
  # R17
  ((has("unit_code") and has("high_water_pollution")) and .unit_code == "ZH14052220003" and .high_water_pollution == true),
  # R18
  (has("vocs_rate_kg_h") and .vocs_rate_kg_h >= 2),
  # R19
  (has("seal_points") and .seal_points >= 2000),
  # R20
  ((has("annual_freight_10k_t") and has("truck_standard")) and .annual_freight_10k_t >= 150
     and .truck_standard != "国六" and .truck_standard != "新能源"),
  # R21
  ((has("in_city_planning_area") and has("industry") and has("truck_standard")) and .in_city_planning_area == true
     and (.industry == "电力" or .industry == "钢铁") and .truck_standard != "新能源"),
  # R22
  ((has("pm25_exceeds") and has("construction_type") and has("so2_t_a")) and .pm25_exceeds == true and $NEWBUILD[.construction_type]
     and .so2_t_a > 0),
  # R23
  ((has("pm25_exceeds") and has("construction_type") and has("nox_t_a")) and .pm25_exceeds == true and $NEWBUILD[.construction_type]
     and .nox_t_a > 0),
  # R24
  ((has("county") and has("so2_t_a") and has("nox_t_a") and has("offset_source_county")) and $NO_CROSS[.county]
     and (.so2_t_a + .nox_t_a) > 0 and .offset_source_county != .county),
  # R25
  ((has("industry") and has("construction_type")) and $SOIL8[.industry] and $NEWBUILD[.construction_type]),
  # R26
  ((has("industry") and has("vocs_rate_kg_h")) and $CHEM3[.industry] and .vocs_rate_kg_h > 0),
  # R27
  (has("industry") and (.industry == "焦化" or .industry == "水泥")),
  # R28
  ((has("industry") and has("in_industrial_park") and has("construction_type")) and $CHEM2[.industry] and .in_industrial_park == true
     and .construction_type == "新建"),
  # R29
  ((has("in_city_planning_area") and has("industry")) and .in_city_planning_area == true
     and (.industry == "露天矿" or .industry == "采石场")),
  # R30
  ((has("industry") and has("in_city_planning_area")) and .industry == "加油站" and .in_city_planning_area == true)
] as $f
| [range(0; 30) | select($f[.])] as $idx
| ([$idx[] | $V[.]]) as $vs
| (if any($vs[]; . == "forbid") then "forbid"
   elif any($vs[]; . == "restrict") then "restrict"
   elif any($vs[]; . == "require") then "require"
   else "pass" end) as $verdict
| (if ($idx | length) == 0 then "-"
   else [$idx[] | "R" + (if . < 9 then "0" else "" end) + (. + 1 | tostring)] | join(",") end) as $fired
| ([(if $f[21] then "SO2=" + ($r.so2_t_a * 2000 | round | tostring) else empty end),
    (if $f[22] then "NOx=" + ($r.nox_t_a * 2000 | round | tostring) else empty end)]
   | if length == 0 then "-" else join(";") end) as $off
| "\($r.id)\t\($verdict)\t\($fired)\t\($off)"
