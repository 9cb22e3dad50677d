#!/usr/bin/env python3
"""Write docs/benchmarks.md and docs/benchmarks.zh-CN.md from the result
files of one bench/run.sh run.

usage: write_page.py DATA EN.md ZH.md

DATA contains times.tsv, jincheng.tsv, vm_alone.tsv, memory.tsv, scale.tsv,
callgrind.tsv, output_bytes.tsv, agreement.tsv, absent.tsv,
facts_misc.tsv and machine.tsv. A ratio of two programs is computed in
each round from time per record, and the median over the rounds is
reported with its range.
"""
import csv
import os
import statistics
import sys

NAMES = {
    "rulevm_csv": ("rulevm eval, CSV out", "rulevm eval，CSV 输出"),
    "rulevm_json": ("rulevm eval, JSON out", "rulevm eval，JSON 输出"),
    "rulevm_jobs2": ("rulevm eval --jobs 2, CSV out", "rulevm eval --jobs 2，CSV 输出"),
    "yajl_parse": ("yajl parse only (lower bound)", "仅 yajl 解析（下限）"),
    "cat": ("cat (I/O lower bound)", "cat（读文件下限）"),
    "lua": ("Lua 5.4 + lua-cjson", "Lua 5.4 + lua-cjson"),
    "c_ref": ("C with jansson", "C + jansson"),
    "jq": ("jq", "jq"),
    "clips": ("CLIPS (facts converted beforehand)", "CLIPS（事实预先转换）"),
    "node": ("json-rules-engine on Node.js", "Node.js 上的 json-rules-engine"),
}


def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row]


def read_map(path):
    return {row[0]: row[1] for row in read_rows(path) if len(row) >= 2}


def read_rounds(path):
    """{program: {round: Run}}: time per record by CPU and by wall clock."""
    runs = {}
    rows = read_rows(path)
    for row in rows[1:]:
        if len(row) != 6 or not row[0].isdigit():
            continue
        rnd, program = int(row[0]), row[1]
        records, wall, cpu, rss = int(row[2]), int(row[3]), int(row[4]), int(row[5])
        runs.setdefault(program, {})[rnd] = {
            "cpu": cpu / 1e9 / records, "wall": wall / 1e9 / records, "wall_s": wall / 1e9,
            "cpu_s": cpu / 1e9, "records": records, "rss": rss / 1024}
    return runs


def ratio(runs, a, b, key="cpu"):
    """Median, min and max over rounds of per-record time of a / b."""
    if a not in runs or b not in runs:
        return None
    common = sorted(set(runs[a]) & set(runs[b]))
    values = [runs[a][r][key] / runs[b][r][key] for r in common if runs[b][r][key] > 0]
    return (statistics.median(values), min(values), max(values)) if values else None


def fmt_int(x):
    return "{:,}".format(int(round(x)))


def fmt_ratio(r):
    return "%.2f (%.2f–%.2f)" % r if r else "–"


class Page:
    def __init__(self, data):
        self.d = data
        self.m = read_map(os.path.join(data, "machine.tsv"))
        self.runs = read_rounds(os.path.join(data, "times.tsv"))
        self.jruns = read_rounds(os.path.join(data, "jincheng.tsv"))
        self.jinfo = {r[0]: r[1:] for r in read_rows(os.path.join(data, "jincheng.tsv"))
                      if r[0] in ("bytes", "rules")}
        self.jdec = [(r[1], int(r[2])) for r in read_rows(os.path.join(data, "jincheng.tsv"))
                     if r[0] == "decision"]
        self.vm = {}
        for r in read_rows(os.path.join(data, "vm_alone.tsv")):
            self.vm.setdefault(r[0], {})[r[1]] = r[2]
        self.mem = read_rows(os.path.join(data, "memory.tsv"))
        self.scale = read_rows(os.path.join(data, "scale.tsv"))[1:]
        self.cg = read_map(os.path.join(data, "callgrind.tsv"))
        self.out_bytes = read_map(os.path.join(data, "output_bytes.tsv"))
        self.agree = read_rows(os.path.join(data, "agreement.tsv"))
        self.absent = read_rows(os.path.join(data, "absent.tsv"))
        self.misc = read_map(os.path.join(data, "facts_misc.tsv"))
        self.n = int(self.m.get("N", "0"))
        self.vn = int(self.m.get("VN", "1"))

    # ---- targets ----
    def targets(self, zh):
        rows = []
        r = ratio(self.runs, "rulevm_csv", "yajl_parse")
        if r:
            rows.append((("rulevm end to end (CSV) / yajl parse alone", "rulevm 端到端（CSV）/ 仅 yajl 解析")[zh],
                         "≤ 1.25", "%.2f" % r[0], r[0] <= 1.25, r[0] / 1.25))
        r = ratio(self.runs, "lua", "rulevm_csv")
        if r:
            rows.append((("Lua + lua-cjson / rulevm (CSV)", "Lua + lua-cjson / rulevm（CSV）")[zh],
                         "≥ 4", "%.2f" % r[0], r[0] >= 4, 4 / r[0]))
        r = ratio(self.runs, "jq", "rulevm_csv")
        if r:
            rows.append((("jq / rulevm (CSV), per record", "jq / rulevm（CSV），按每条记录")[zh],
                         "≥ 50", "%.1f" % r[0], r[0] >= 50, 50 / r[0]))
        r = ratio(self.runs, "rulevm_csv", "rulevm_jobs2", "wall")
        if r:
            rows.append((("throughput of --jobs 2 / one job", "--jobs 2 吞吐量 / 单作业")[zh],
                         "≈ 2 (≥ 1.8)", "%.2f" % r[0], r[0] >= 1.8, 1.8 / r[0]))
        else:
            rows.append((("throughput of --jobs 2 / one job", "--jobs 2 吞吐量 / 单作业")[zh],
                         "≈ 2 (≥ 1.8)", ("not measured: this rulevm has no --jobs",
                                          "未测：本版 rulevm 没有 --jobs")[zh], None, None))
        big = [s for s in self.scale if s[0] == "107713"]
        if big:
            ns = float(big[0][6])
            rows.append((("107,713 conditions: evaluation per typical project (CPU time)",
                          "107,713 条条件：典型项目的评估时间（CPU 时间）")[zh],
                         "< 20 µs", "%.1f µs" % (ns / 1000), ns < 20000, ns / 20000))
            cs = int(big[0][2]) / 1e9
            rows.append((("107,713 conditions: compile (CPU time)", "107,713 条条件：编译（CPU 时间）")[zh],
                         "< 3 s", "%.2f s" % cs, cs < 3, cs / 3))
        csv_mem = [(int(b), int(kib)) for b, fmt, kib in self.mem if fmt == "csv"]
        if len(csv_mem) >= 2:
            lo, hi = min(k for _, k in csv_mem), max(k for _, k in csv_mem)
            rows.append((("peak memory, batches of %s to %s records" % (fmt_int(csv_mem[0][0]), fmt_int(csv_mem[-1][0])),
                          "峰值内存，%s 至 %s 条记录的批次" % (fmt_int(csv_mem[0][0]), fmt_int(csv_mem[-1][0])))[zh],
                         ("flat", "持平")[zh], "%.1f–%.1f MiB" % (lo / 1024, hi / 1024), hi <= lo * 1.25, hi / lo))
        out = ["| %s | %s | %s | %s |" % (("target", "goal", "measured", "result"),
                                          ("目标", "要求", "实测", "结果"))[zh],
               "|---|---|---|---|"]
        for name, goal, got, ok, factor in rows:
            if ok is None:
                verdict = "–"
            elif ok:
                verdict = ("met", "达到")[zh]
            else:
                verdict = ("missed by %.2f×" % factor, "未达到，差 %.2f 倍" % factor)[zh]
            out.append("| %s | %s | %s | %s |" % (name, goal, got, verdict))
        return "\n".join(out)

    # ---- tables ----
    def machine(self, zh):
        m = self.m
        labels = (("CPU", "cores", "memory", "OS", "kernel", "compiler", "load average at the end",
                   "packages", "json-rules-engine (npm)", "commit", "date", "duration"),
                  ("CPU", "核数", "内存", "操作系统", "内核", "编译器", "结束时的平均负载",
                   "软件包", "json-rules-engine（npm）", "提交", "日期", "用时"))[zh]
        pkgs = ", ".join("%s %s" % (k[4:], v) for k, v in m.items() if k.startswith("pkg_"))
        values = ["%s, %s MHz (`/proc/cpuinfo`)" % (m.get("cpu"), m.get("cpu_mhz")), m.get("cores"),
                  "%s GiB" % m.get("memory_gib"), m.get("os"), m.get("kernel"), "`%s`, `-O2 -g`" % m.get("cc"),
                  m.get("load"), pkgs, m.get("json_rules_engine"), m.get("commit"), m.get("started"),
                  "%s s" % m.get("seconds")]
        out = ["| | |", "|---|---|"]
        out += ["| %s | %s |" % (k, v) for k, v in zip(labels, values)]
        return "\n".join(out)

    def timing(self, zh):
        head = (("program", "records", "CPU µs per record, median (min–max)", "wall s, median (min–max)",
                 "wall µs per record", "peak RSS MiB", "output bytes/record"),
                ("程序", "记录数", "每条记录 CPU µs，中位数（最小–最大）", "耗时 s，中位数（最小–最大）",
                 "每条记录耗时 µs", "峰值 RSS MiB", "每条记录输出字节"))[zh]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for program, names in NAMES.items():
            if program not in self.runs:
                continue
            vals = list(self.runs[program].values())
            cpus = [v["cpu"] * 1e6 for v in vals]
            walls = [v["wall_s"] for v in vals]
            records = vals[0]["records"]
            size = self.out_bytes.get(program)
            label = names[zh]
            if records != self.n:
                label += " ¹"
            out.append("| %s | %s | %.2f (%.2f–%.2f) | %.3f (%.3f–%.3f) | %.2f | %.1f | %s |" % (
                label, fmt_int(records), statistics.median(cpus), min(cpus), max(cpus),
                statistics.median(walls), min(walls), max(walls),
                statistics.median(v["wall"] for v in vals) * 1e6,
                statistics.median(v["rss"] for v in vals),
                "%.0f" % (int(size) / self.vn) if size and size.isdigit() else "–"))
        return "\n".join(out)

    def ratios(self, zh):
        pairs = [("rulevm_csv", "yajl_parse"), ("rulevm_json", "yajl_parse"), ("lua", "rulevm_csv"),
                 ("c_ref", "rulevm_csv"), ("jq", "rulevm_csv"), ("clips", "rulevm_csv"),
                 ("node", "rulevm_csv"), ("rulevm_csv", "rulevm_jobs2"), ("yajl_parse", "cat")]
        out = ["| A / B | %s | %s |" % (("CPU time per record", "wall time per record"),
                                        ("每条记录 CPU 时间之比", "每条记录耗时之比"))[zh],
               "|---|---|---|"]
        for a, b in pairs:
            r, w = ratio(self.runs, a, b), ratio(self.runs, a, b, "wall")
            if r:
                out.append("| %s / %s | %s | %s |" % (NAMES[a][zh], NAMES[b][zh], fmt_ratio(r), fmt_ratio(w)))
        return "\n".join(out)

    def callgrind(self, zh):
        if not self.cg:
            return ("Not measured in this run (`CALLGRIND=0`).", "本次运行未测（`CALLGRIND=0`）。")[zh]
        out = ["| %s | %s | %s |" % (("program", "instructions", "per record"), ("程序", "指令数", "每条记录"))[zh],
               "|---|---|---|"]
        for program, count in self.cg.items():
            if count.isdigit():
                out.append("| %s | %s | %.1f k |" % (NAMES[program][zh], fmt_int(int(count)),
                                                     int(count) / self.vn / 1000))
        return "\n".join(out)

    def agreement(self, zh):
        peers = ", ".join(NAMES[p][zh] for p, _ in self.agree)
        return (("rulevm and %s agree on all %s complete records: the same decision, the same "
                 "applying rules and the same offsets." % (peers, fmt_int(self.vn))),
                ("rulevm 与 %s 在全部 %s 条字段齐全的记录上一致：决定相同，适用的规则相同，削减量相同。"
                 % (peers, fmt_int(self.vn))))[zh]

    def absent_table(self, zh):
        out = ["| rulevm | Lua | %s |" % ("records", "记录数")[zh], "|---|---|---|"]
        for count, a, b in self.absent:
            if a == "same":
                a = b = ("same decision", "决定相同")[zh]
            out.append("| %s | %s | %s |" % (a, b, fmt_int(int(count))))
        return "\n".join(out)

    def vm_table(self, zh):
        head = (("rule set", "records bound", "rules listed per project", "ns per project, median of 5 (min–max)"),
                ("规则集", "绑定的记录数", "每个项目列出的规则", "每个项目 ns，5 轮中位数（最小–最大）"))[zh]
        out = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
        names = {"bench": ("30 SPEC rules (`rules/bench`)", "30 条 SPEC 规则（`rules/bench`）"),
                 "jincheng": ("Jincheng set (`rules/jincheng`)", "晋城规则集（`rules/jincheng`）")}
        for key, v in self.vm.items():
            out.append("| %s | %s | %s | %s (%s–%s) |" % (
                names.get(key, (key, key))[zh], fmt_int(int(v["records"])), v["rules_listed_per_project"],
                fmt_int(float(v["ns_per_project_median"])), fmt_int(float(v["ns_per_project_min"])),
                fmt_int(float(v["ns_per_project_max"]))))
        return "\n".join(out)

    def jincheng(self, zh):
        if "rulevm_csv" not in self.jruns or "yajl_parse" not in self.jruns:
            return ""
        vals = list(self.jruns["rulevm_csv"].values())
        records = vals[0]["records"]
        per = statistics.median(v["cpu"] for v in vals)
        wall = statistics.median(v["wall"] for v in vals)
        yp = statistics.median(v["cpu"] for v in self.jruns["yajl_parse"].values())
        r = ratio(self.jruns, "rulevm_csv", "yajl_parse")
        size = int(self.jinfo["bytes"][0])
        rules = self.jinfo["rules"][0]
        decisions = ", ".join("%s %s" % (d, fmt_int(c)) for d, c in sorted(self.jdec, key=lambda x: -x[1]))
        rss = statistics.median(v["rss"] for v in vals)
        if zh:
            return ("%s 条记录（平均每条 %.0f 字节，共 %.0f MiB），%s 条规则。rulevm eval 以 CSV 输出，"
                    "每条记录 CPU %.2f µs（耗时 %.2f µs），峰值 RSS %.1f MiB；同一文件仅 yajl 解析每条 CPU %.2f µs；"
                    "二者 CPU 时间之比 %s。决定分布（决定代码）：%s。" % (
                        fmt_int(records), size / records, size / 2**20, rules, per * 1e6, wall * 1e6, rss,
                        yp * 1e6, fmt_ratio(r), decisions))
        return ("%s records (%.0f bytes each on average, %.0f MiB in all), %s rules. rulevm eval with CSV "
                "output takes %.2f µs of CPU per record (%.2f µs of wall time) at a peak RSS of %.1f MiB. "
                "yajl parsing alone takes %.2f µs of CPU per record of the same file, so the ratio of "
                "CPU times is %s. Decisions (decision codes): %s." % (
                    fmt_int(records), size / records, size / 2**20, rules, per * 1e6, wall * 1e6, rss,
                    yp * 1e6, fmt_ratio(r), decisions))

    def memory(self, zh):
        out = ["| %s | CSV | JSON |" % ("records in the batch", "批次记录数")[zh], "|---|---|---|"]
        by = {}
        for b, fmt, kib in self.mem:
            by.setdefault(int(b), {})[fmt] = int(kib) / 1024
        for b in sorted(by):
            out.append("| %s | %.1f MiB | %.1f MiB |" % (fmt_int(b), by[b].get("csv", 0), by[b].get("json", 0)))
        return "\n".join(out)

    def scale_table(self, zh):
        head = (("conditions (rules)", "compile s (CPU s)", "compile peak RSS MiB", "bytecode MiB", "load ms",
                 "CPU ns per project, median (min–max)", "rules listed per project",
                 "rulevm eval end to end, CPU µs per record", "eval peak RSS MiB"),
                ("条件（规则）数", "编译 s（CPU s）", "编译峰值 RSS MiB", "字节码 MiB", "加载 ms",
                 "每个项目 CPU ns，中位数（最小–最大）", "每个项目列出的规则",
                 "rulevm eval 端到端，每条记录 CPU µs", "评估峰值 RSS MiB"))[zh]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for s in self.scale:
            (cond, cns, ccpu, crss, size, load, ns, lo, hi, listed, ens, ecpu, erss, recs) = s
            out.append("| %s | %.2f (%.2f) | %.0f | %.1f | %s | %s (%s–%s) | %s | %.1f | %.0f |" % (
                fmt_int(int(cond)), int(cns) / 1e9, int(ccpu) / 1e9, int(crss) / 1024, int(size) / 2**20,
                load, fmt_int(float(ns)), fmt_int(float(lo)), fmt_int(float(hi)), listed,
                int(ecpu) / 1e3 / int(recs), int(erss) / 1024))
        return "\n".join(out)


def fill(template, page, zh):
    m = page.m
    values = {
        "targets": page.targets(zh), "machine": page.machine(zh), "timing": page.timing(zh),
        "ratios": page.ratios(zh), "callgrind": page.callgrind(zh), "agreement": page.agreement(zh),
        "absent": page.absent_table(zh), "vm": page.vm_table(zh), "jincheng": page.jincheng(zh),
        "memory": page.memory(zh), "scale": page.scale_table(zh),
        "n": fmt_int(page.n), "rounds": m.get("ROUNDS"), "slow_n": fmt_int(int(m.get("SLOW_N", 0))),
        "node_n": fmt_int(int(m.get("NODE_N", 0))), "vn": fmt_int(page.vn),
        "vm_n": fmt_int(int(m.get("VM_N", 0))), "jn": fmt_int(int(m.get("JN", 0))),
        "seed": m.get("SEED"), "bench_compile_ms": "%.1f" % (int(page.misc.get("bench_compile_ns", 0)) / 1e6),
        "bench_bytes": fmt_int(int(page.misc.get("bench_bytecode_bytes", 0))),
        "quick": ("`make bench QUICK=1`", "`make bench QUICK=1`")[zh] if m.get("QUICK") == "1" else "`make bench`",
    }
    return template.format(**values)


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    data, en_path, zh_path = sys.argv[1:]
    page = Page(data)
    here = os.path.dirname(os.path.abspath(__file__))
    for path, name, zh in ((en_path, "page.en.md", 0), (zh_path, "page.zh-CN.md", 1)):
        with open(os.path.join(here, name), encoding="utf-8") as f:
            template = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(fill(template, page, zh))


if __name__ == "__main__":
    main()
