#!/usr/bin/env python3
"""Write a large rule set for the scale test of bench/run.sh.

usage: scale_rules.py UNITS OUT_DIR

Writes OUT_DIR/scaled.rule, which imports a copy of rules/bench/schema.rule
and rules/bench/bench.rule and adds UNITS extra control units of class
重点管控 in 阳城县. Each extra unit gets its own copy of every unscoped
benchmark rule, scoped to that unit, with the id `U<serial>.<id>`. The
extra units use serials 1000 and up, which the data generator never
writes (its serials stay below 100), so no generated record is in the
scope of a copy. The copies therefore cost compile time and bytecode size,
and they show whether evaluating a record costs more as rules are added
that cannot apply to it.
"""
import os
import re
import shutil
import sys

RULE_START = re.compile(r"^rule (\S+) \{$", re.M)


def unscoped_rules(text):
    """Return the rule blocks of text that have no scope clause."""
    starts = [m.start() for m in RULE_START.finditer(text)]
    blocks = []
    for i, start in enumerate(starts):
        end = text.index("\n}\n", start) + 3
        block = text[start:end]
        if not re.search(r"^\s+scope\b", block, re.M):
            blocks.append(block)
    return blocks


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    units, out_dir = int(sys.argv[1]), sys.argv[2]
    if not 0 < units <= 9000:
        sys.stderr.write("error: UNITS must be between 1 and 9000, got %d\n" % units)
        sys.exit(2)
    here = os.path.dirname(os.path.abspath(__file__))
    rules_dir = os.path.join(here, "..", "rules", "bench")
    os.makedirs(out_dir, exist_ok=True)
    for name in ("schema.rule", "bench.rule"):
        shutil.copy(os.path.join(rules_dir, name), os.path.join(out_dir, name))
    with open(os.path.join(rules_dir, "bench.rule"), encoding="utf-8") as f:
        blocks = unscoped_rules(f.read())

    with open(os.path.join(out_dir, "scaled.rule"), "w", encoding="utf-8") as out:
        out.write('import "bench.rule"\n\n')
        for serial in range(1000, 1000 + units):
            code = "ZH1405222%04d" % serial
            out.write('unit %s {\n  name "扩展单元 %d"  county 阳城县  class 重点管控\n}\n\n'
                      % (code, serial))
            for block in blocks:
                copy = RULE_START.sub(lambda m: "rule U%d.%s {\n  scope     unit %s"
                                      % (serial, m.group(1), code), block, count=1)
                out.write(copy + "\n")
    print("%d units, %d rules" % (units, units * len(blocks) + 30))


if __name__ == "__main__":
    main()
