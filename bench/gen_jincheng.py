#!/usr/bin/env python3
"""Deterministic generator of project records in the Jincheng rule set's
own schema (rules/jincheng), as JSON Lines, for the benchmark.

usage: gen_jincheng.py N SEED [RULES_DIR] > facts.jsonl

It reads the facts, enumerations, industry sets and control units from
the .rule files of RULES_DIR (default rules/jincheng next to this
folder), so the records follow the rule set as it is. Same N, SEED and
rule files give byte-identical output; the first K records of N are the
records of K. Per record:
- the unit is one of the set's units (40 %), or a unit code of the city
  that the table does not list, with a class digit of 1, 2 or 3 (60 %);
- the industry code is a code of one of the set's industry sets, often
  lengthened to a 4-digit class (70 %), or any 4-digit code (30 %);
- every other fact is absent with probability 0.10; booleans are true with probability 0.15,
  quantities are drawn in the fact's unit over ranges that cross the
  list's thresholds, sets hold 0 to 2 values.
"""
import json
import os
import random
import re
import sys

FACT = re.compile(r"^fact\s+(\S+)\s*:\s*(set of\s+)?(\S+)(?:\s+(\S+))?\s+label\b", re.M)
ENUM = re.compile(r"^enum\s+(\S+)\s*\{([^}]*)\}", re.M | re.S)
INDUSTRY = re.compile(r"^industry\s+\S+\s*=\s*([^#\n]+)", re.M)
UNIT = re.compile(r"^unit\s+(ZH\d{11})\b", re.M)
COUNTIES = ["140502", "140521", "140522", "140524", "140525", "140581"]
ABSENT = 0.10


def read_rules(folder):
    text = ""
    for name in sorted(os.listdir(folder)):
        if name.endswith(".rule"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text += re.sub(r"#[^\n]*", "", f.read()) + "\n"
    enums = {m.group(1): [v.strip() for v in m.group(2).split(",") if v.strip()]
             for m in ENUM.finditer(text)}
    facts = [(m.group(1), bool(m.group(2)), m.group(3), m.group(4)) for m in FACT.finditer(text)]
    codes = sorted({c.strip() for m in INDUSTRY.finditer(text) for c in m.group(1).split(",")
                    if re.fullmatch(r"[A-Z]?\d{2,4}", c.strip())})
    units = sorted(set(UNIT.findall(text)))
    return enums, facts, codes, units


def industry_code(rng, codes):
    if codes and rng.random() < 0.7:
        code = rng.choice(codes).lstrip("ABCDEFGHIJKLMNOPQRST")
        while len(code) < 4 and rng.random() < 0.6:
            code += str(rng.randrange(10))
        return code
    return "%04d" % rng.randrange(100, 10000)


def unit_code(rng, units):
    if units and rng.random() < 0.4:
        return rng.choice(units)
    return "ZH%s%d%04d" % (rng.choice(COUNTIES), rng.randrange(1, 4), rng.randrange(1, 40))


def quantity(rng, unit):
    if unit == "%":
        return "%d%%" % rng.randrange(40, 101)
    top = {"米": 3000, "公里": 40, "千克/小时": 5, "万吨/年": 300, "mg/L": 200}.get(unit, 400)
    return "%s %s" % (round(rng.uniform(0, top), 2 if top < 10 else 1), unit)


def value(rng, fact, enums, codes, units):
    path, is_set, type_name, unit = fact
    if type_name == "unit":
        return unit_code(rng, units)
    if type_name == "code":
        return industry_code(rng, codes)
    if is_set:
        return rng.sample(enums[type_name], min(len(enums[type_name]), rng.randrange(3)))
    if type_name == "boolean":
        return rng.random() < 0.15
    if type_name == "integer":
        return rng.randrange(0, 4000)
    if type_name == "number":
        return round(rng.uniform(0, 500), 1)
    if type_name == "quantity":
        return quantity(rng, unit)
    if type_name == "date":
        return "20%02d-%02d-01" % (rng.randrange(15, 30), rng.randrange(1, 13))
    if type_name == "string":
        return "项目%d" % rng.randrange(1000)
    if type_name in enums:
        return rng.choice(enums[type_name])
    return None


def put(record, keys, v):
    node = record
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = v


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        sys.exit(2)
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    folder = sys.argv[3] if len(sys.argv) == 4 else os.path.join(here, "..", "rules", "jincheng")
    enums, facts, codes, units = read_rules(folder)
    if not facts:
        sys.stderr.write("error: no fact declarations in %s\n" % folder)
        sys.exit(1)
    rng = random.Random(seed)
    paths = [fact[0].split(".") for fact in facts]
    out = sys.stdout.buffer
    lines = []
    for i in range(1, n + 1):
        record = {"id": "JCR%07d" % i}
        for fact, keys in zip(facts, paths):
            absent = rng.random() < ABSENT
            v = value(rng, fact, enums, codes, units)
            if not absent and v is not None:
                put(record, keys, v)
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        if len(lines) == 1000 or i == n:
            out.write(("\n".join(lines) + "\n").encode("utf-8"))
            lines = []


if __name__ == "__main__":
    main()
