#!/usr/bin/env python3
"""Deterministic generator of Jincheng project fact records (JSON Lines).

usage: gen_facts.py N SEED > facts.jsonl

Standard library only. Same N and SEED -> byte-identical output (checked with CPython 3.11.7;
other versions should agree as long as random.Random's algorithms are unchanged). The first K
records of N are the records of K (one random stream). Each non-id field is absent with
probability 0.03; about 2 % of records per threshold carry an exact threshold value
(2.0 kg/h, 2000 seals, 85 %, 150e4 t, 1000 m / 200 m, SO2+NOx = 100). docs/bench.md lists the fields.
"""
import json
import random
import sys

COUNTY_CODE = {
    "城区": "140502", "沁水县": "140521", "阳城县": "140522",
    "陵川县": "140524", "泽州县": "140525", "高平市": "140581",
}
COUNTIES = list(COUNTY_CODE)
COUNTY_W = [22, 10, 18, 8, 22, 20]

PARKS = {  # unit_code -> (county, positioning)
    "ZH14050220001": ("城区", ["光电制造", "金融服务"]),
    "ZH14050220002": ("城区", ["光电制造", "装备制造", "大数据"]),
    "ZH14050220003": ("城区", ["制药", "装备制造", "新能源", "物流"]),
    "ZH14052520001": ("泽州县", ["铸造", "装备制造"]),
    "ZH14052220001": ("阳城县", ["电力", "煤化工"]),
    "ZH14052220002": ("阳城县", ["陶瓷"]),
    "ZH14052220003": ("阳城县", ["新能源", "煤层气", "物流"]),
    "ZH14058120001": ("高平市", ["新能源汽车", "汽车零部件"]),
    "ZH14058120002": ("高平市", ["新能源", "新材料"]),
    "ZH14058120003": ("高平市", ["建材"]),
    "ZH14052120001": ("沁水县", ["煤层气", "装备制造", "新材料"]),
}
PARK_CODES = list(PARKS)

# industry -> weight
INDUSTRY_W = {
    "钢铁": 5, "焦化": 5, "铸造": 6, "水泥": 4, "平板玻璃": 2, "建材": 5, "陶瓷": 3,
    "有色金属冶炼": 2, "有色金属矿采选": 2, "化工": 6, "煤化工": 5, "制药": 4, "农药": 1,
    "电镀": 2, "制革": 1, "铅蓄电池": 1, "电力": 4, "新能源": 5, "煤层气": 5,
    "装备制造": 7, "光电制造": 3, "新能源汽车": 2, "汽车零部件": 3, "新材料": 4,
    "工业涂装": 3, "包装印刷": 2, "露天矿": 2, "采石场": 2, "物流": 4, "餐饮": 3,
    "金融服务": 1, "大数据": 1, "旅游": 2, "加油站": 3,
}
INDUSTRIES = list(INDUSTRY_W)
INDUSTRY_WS = [INDUSTRY_W[k] for k in INDUSTRIES]

HEAVY = {"钢铁", "焦化", "铸造", "水泥", "平板玻璃", "建材", "陶瓷", "有色金属冶炼",
         "有色金属矿采选", "化工", "煤化工", "电力", "农药"}
VOC_IND = {"化工", "煤化工", "制药", "农药", "工业涂装", "包装印刷", "焦化", "加油站"}
WET_IND = {"化工", "煤化工", "焦化", "制药", "电镀", "制革", "农药", "有色金属冶炼", "电力"}
FREIGHT_IND = {"钢铁", "焦化", "水泥", "电力", "煤化工", "建材", "铸造", "平板玻璃",
               "有色金属冶炼", "物流", "煤层气"}

CTYPES = ["新建", "改建", "扩建", "技术改造"]
CTYPE_W = [40, 15, 25, 20]
ADDS_P = {"新建": 0.85, "改建": 0.35, "扩建": 0.95, "技术改造": 0.25}
TRUCKS = ["国三", "国四", "国五", "国六", "新能源"]
TRUCK_W = [5, 15, 30, 40, 10]

FIELDS = [
    "unit_code", "unit_class", "county", "industry", "construction_type", "adds_capacity",
    "in_city_planning_area", "in_industrial_park", "in_yanhe_spring_key_zone",
    "water_supply_related", "in_qinhe_protection_zone", "new_outfall", "distance_to_danhe_m",
    "high_water_pollution", "in_priority_farmland_zone", "uses_groundwater", "reuse_rate_pct",
    "vocs_rate_kg_h", "seal_points", "annual_freight_10k_t", "truck_standard", "pm25_exceeds",
    "so2_t_a", "nox_t_a", "offset_source_county",
]
ABSENT_P = 0.03


def record(r, i):
    cls = r.choices(["优先保护", "重点管控", "一般管控"], [15, 50, 35])[0]
    park = None
    if cls == "重点管控" and r.random() < 0.55:
        park = r.choice(PARK_CODES)
        county = PARKS[park][0]
        code = park
    else:
        county = r.choices(COUNTIES, COUNTY_W)[0]
        digit = {"优先保护": "1", "重点管控": "2", "一般管控": "3"}[cls]
        serial = r.randint(10, 60) if cls == "重点管控" else r.randint(1, 40)
        code = "ZH%s%s%04d" % (COUNTY_CODE[county], digit, serial)

    if park is not None and r.random() < 0.7:
        industry = r.choice(PARKS[park][1])
    else:
        industry = r.choices(INDUSTRIES, INDUSTRY_WS)[0]
    heavy = industry in HEAVY

    ctype = r.choices(CTYPES, CTYPE_W)[0]
    adds = r.random() < ADDS_P[ctype]
    in_park = park is not None or r.random() < (0.35 if heavy else 0.2)
    in_city = r.random() < (0.18 if park is None else 0.35)

    if park == "ZH14052220003":
        yanhe = r.random() < 0.4
    elif county in ("阳城县", "沁水县"):
        yanhe = r.random() < 0.1
    else:
        yanhe = r.random() < 0.01
    water_rel = r.random() < 0.12
    qinhe = r.random() < (0.06 if county in ("沁水县", "阳城县", "泽州县") else 0.01)
    outfall = r.random() < (0.25 if industry in WET_IND else 0.08)

    if county in ("高平市", "泽州县", "城区", "陵川县") and r.random() < 0.25:
        dist = round(r.uniform(0, 1500), 1)
    else:
        dist = round(r.uniform(200, 30000), 1)
    hwp = r.random() < (0.45 if industry in WET_IND else 0.08)
    farmland = r.random() < 0.08
    gw = r.random() < 0.18
    reuse = round(r.uniform(40, 99.9), 1)

    if industry in VOC_IND:
        vocs = 0.0 if r.random() < 0.1 else round(r.uniform(0.05, 6.0), 3)
        seals = r.randint(100, 5000)
    else:
        vocs = 0.0 if r.random() < 0.4 else round(r.uniform(0.001, 1.5), 3)
        seals = r.randint(0, 900)

    if industry in FREIGHT_IND:
        freight = round(r.uniform(5, 600), 1)
    else:
        freight = round(r.uniform(0, 160), 1)
    truck = r.choices(TRUCKS, TRUCK_W)[0]

    pm25 = r.random() < (0.5 if county == "陵川县" else 0.85)
    if heavy:
        so2 = 0.0 if r.random() < 0.08 else round(r.uniform(0.5, 90), 3)
        nox = 0.0 if r.random() < 0.08 else round(r.uniform(0.5, 120), 3)
    else:
        so2 = 0.0 if r.random() < 0.3 else round(r.uniform(0.001, 12), 3)
        nox = 0.0 if r.random() < 0.3 else round(r.uniform(0.001, 15), 3)
    src = county if r.random() < 0.88 else r.choice(COUNTIES)

    # exact threshold values, so that >= versus > mistakes show up
    if r.random() < 0.02:
        dist = r.choice([1000.0, 200.0])
    if r.random() < 0.02:
        reuse = 85.0
    if r.random() < 0.02:
        vocs = 2.0
    if r.random() < 0.02:
        seals = 2000
    if r.random() < 0.02:
        freight = 150.0
    if r.random() < 0.02:
        so2, nox = r.choice([(40.0, 60.0), (33.3, 66.7), (0.1, 99.9), (50.5, 49.5)])

    vals = {
        "unit_code": code, "unit_class": cls, "county": county, "industry": industry,
        "construction_type": ctype, "adds_capacity": adds, "in_city_planning_area": in_city,
        "in_industrial_park": in_park, "in_yanhe_spring_key_zone": yanhe,
        "water_supply_related": water_rel, "in_qinhe_protection_zone": qinhe,
        "new_outfall": outfall, "distance_to_danhe_m": dist, "high_water_pollution": hwp,
        "in_priority_farmland_zone": farmland, "uses_groundwater": gw, "reuse_rate_pct": reuse,
        "vocs_rate_kg_h": vocs, "seal_points": seals, "annual_freight_10k_t": freight,
        "truck_standard": truck, "pm25_exceeds": pm25, "so2_t_a": so2, "nox_t_a": nox,
        "offset_source_county": src,
    }
    rec = {"id": "JC%07d" % i}
    for f in FIELDS:
        if r.random() >= ABSENT_P:
            rec[f] = vals[f]
    return rec


def main():
    global ABSENT_P
    args = sys.argv[1:]
    if args and args[0] == "--complete":
        ABSENT_P = 0.0  # every field present: for comparing against products that report absent facts as unknown
        args = args[1:]
    if len(args) != 2:
        sys.stderr.write("usage: gen_facts.py [--complete] N SEED > facts.jsonl\n")
        sys.exit(2)
    n, seed = int(args[0]), int(args[1])
    r = random.Random(seed)
    out = sys.stdout
    buf = []
    for i in range(1, n + 1):
        buf.append(json.dumps(record(r, i), ensure_ascii=False, separators=(",", ":")))
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf = []
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
