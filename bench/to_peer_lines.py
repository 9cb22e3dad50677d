#!/usr/bin/env python3
"""Convert rulevm's JSON Lines report into the peers' line format.

usage: to_peer_lines.py < report.jsonl > lines.tsv

Each output line is `id<TAB>verdict<TAB>fired<TAB>offsets`, as the peer
tools of the benchmark print it.

- verdict: forbid, restrict, require or pass, from the decision codes
  rejected, restricted, conditional and admitted. Any other decision is
  printed as its own code (needs_information, or `invalid` for a record
  with errors), so it shows up as a disagreement.
- fired: the sorted ids of the rules whose outcome is `applies`, joined
  by commas, or `-`.
- offsets: `SO2=<kg/a>` and `NOx=<kg/a>` from the `let` values of R22
  and R23, which the rule set computes in 吨/年, or `-`.
"""
import json
import sys
from decimal import Decimal

VERDICT = {
    "rejected": "forbid",
    "restricted": "restrict",
    "conditional": "require",
    "admitted": "pass",
}


def kilograms_per_year(text):
    """Convert a value such as '6.57 吨/年' to whole kg/a (6570), or raise ValueError."""
    number, unit = text.split(" ", 1)
    if unit != "吨/年":
        raise ValueError("unexpected unit in %r" % text)
    kg = Decimal(number) * 1000
    if kg != kg.to_integral_value():
        raise ValueError("not a whole number of kilograms: %r" % text)
    return int(kg)


def main():
    out = sys.stdout
    for line in sys.stdin:
        report = json.loads(line)
        decision = report.get("decision") or "invalid"
        verdict = VERDICT.get(decision, decision)
        fired = sorted(r["id"] for r in report["rules"] if r["outcome"] == "applies")
        offsets = []
        for rule in report["rules"]:
            if rule["outcome"] != "applies":
                continue
            for name in ("SO2", "NOx"):
                value = rule["values"].get(name)
                if value is not None:
                    offsets.append((name, kilograms_per_year(value)))
        # The peers print SO2 before NOx.
        offsets.sort(key=lambda item: item[0] != "SO2")
        out.write("%s\t%s\t%s\t%s\n" % (
            report["id"], verdict, ",".join(fired) or "-",
            ";".join("%s=%d" % item for item in offsets) or "-"))


if __name__ == "__main__":
    main()
