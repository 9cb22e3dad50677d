#!/usr/bin/env python3
"""Print bench/run.sh's results as a Markdown table.

usage: summarize.py TIMES CALLGRIND OUTPUT_BYTES N VN COMPILE_MS BYTECODE_BYTES

TIMES has one row per round and program: round, program, wall time in
nanoseconds, maximum RSS in KiB (GNU time %M) and exit status. CALLGRIND
has a program and its instruction count per row, and may be empty.
OUTPUT_BYTES has a program and the size of its output on VN records.

A ratio A / B is computed in each round from the two runs of that round,
and the median of those per-round ratios is reported, which cancels most
of a shared machine's drift between rounds.
"""
import csv
import statistics
import sys

NAMES = {
    "rulevm_json": "rulevm eval, JSON out",
    "rulevm_text": "rulevm eval, text out",
    "rulevm_csv": "rulevm eval, CSV out",
    "lua": "Lua 5.4 + lua-cjson",
    "c_ref": "C reference (jansson)",
    "yajl_parse": "yajl parse only (lower bound)",
    "cat": "cat (I/O lower bound)",
}
RATIOS = [
    ("rulevm_json", "lua"), ("rulevm_json", "c_ref"), ("rulevm_json", "yajl_parse"),
    ("rulevm_text", "lua"), ("rulevm_text", "c_ref"), ("rulevm_text", "yajl_parse"),
    ("rulevm_csv", "lua"), ("rulevm_csv", "c_ref"), ("rulevm_csv", "yajl_parse"),
]


def read_times(path):
    """Return {program: {round: (seconds, rss_mib)}}."""
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            seconds = int(row["wall_ns"]) / 1e9
            rss = int(row["max_rss_kib"]) / 1024
            runs.setdefault(row["program"], {})[int(row["round"])] = (seconds, rss)
    return runs


def read_counts(path):
    """Return {program: count} from rows of program and a whole number."""
    counts = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 2 and fields[1].isdigit():
                counts[fields[0]] = int(fields[1])
    return counts


def main():
    if len(sys.argv) != 8:
        sys.stderr.write(__doc__)
        sys.exit(2)
    times_path, callgrind_path, bytes_path, n, vn, compile_ms, bytecode_bytes = sys.argv[1:]
    n, vn = int(n), int(vn)
    runs = read_times(times_path)
    output_bytes = read_counts(bytes_path)
    rounds = max(len(r) for r in runs.values())

    print("## %d records, %d rounds (median, min-max)\n" % (n, rounds))
    print("| program | wall s | records/s | peak RSS MiB | output bytes/record |")
    print("|---|---|---|---|---|")
    for program, name in NAMES.items():
        if program not in runs:
            continue
        wall = [s for s, _ in runs[program].values()]
        rss = [m for _, m in runs[program].values()]
        median = statistics.median(wall)
        size = output_bytes.get(program)
        print("| %s | %.3f (%.3f-%.3f) | %s | %.1f | %s |" % (
            name, median, min(wall), max(wall),
            "{:,.0f}".format(n / median) if median > 0 else "-", statistics.median(rss),
            "%.0f" % (size / vn) if size is not None else "-"))

    print("\n## Ratios of wall time, median of per-round ratios (min-max)\n")
    print("| A / B | ratio |")
    print("|---|---|")
    for a, b in RATIOS:
        if a not in runs or b not in runs:
            continue
        common = sorted(set(runs[a]) & set(runs[b]))
        ratios = [runs[a][r][0] / runs[b][r][0] for r in common]
        print("| %s / %s | %.2f (%.2f-%.2f) |" % (
            NAMES[a], NAMES[b], statistics.median(ratios), min(ratios), max(ratios)))

    counts = read_counts(callgrind_path)
    if counts:
        print("\n## Instructions (callgrind, %d records)\n" % vn)
        print("| program | instructions | per record |")
        print("|---|---|---|")
        for program, name in NAMES.items():
            if program in counts:
                count = counts[program]
                print("| %s | %s | %.1f k |" % (name, "{:,}".format(count), count / vn / 1000))

    print("\nCompile of rules/bench/bench.rule: %s ms (median of 11), bytecode %s bytes."
          % (compile_ms, bytecode_bytes))


if __name__ == "__main__":
    main()
