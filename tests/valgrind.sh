#!/bin/sh
# Run rulec and rulevm under valgrind memcheck on the Jincheng and bench
# rule sets, the examples and the test and fuzz data, and fail when
# valgrind reports any error or a definite or indirect leak. The tools'
# own exit statuses are not checked here (the other tests do that), only
# that no run ended by a signal.
#
# Environment: RULEC and RULEVM, the binaries (default build/bin/...).
RULEC=${RULEC:-build/bin/rulec}
RULEVM=${RULEVM:-build/bin/rulevm}
ERROR_STATUS=99

tmp=$(mktemp -d /tmp/ecorule_valgrind.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
runs=0
failed=0

# Run one command under memcheck, its output discarded. A failing run
# prints valgrind's log.
check() {
	runs=$((runs + 1))
	valgrind --quiet --error-exitcode=$ERROR_STATUS --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--log-file="$tmp/log" "$@" >/dev/null 2>"$tmp/stderr" </dev/null
	status=$?
	if [ "$status" -eq "$ERROR_STATUS" ] || [ "$status" -ge 128 ]; then
		failed=$((failed + 1))
		echo "valgrind: FAILED (exit status $status): $*"
		cat "$tmp/log"
		tail -n 5 "$tmp/stderr"
	fi
}

jincheng=$tmp/jincheng.erb
bench=$tmp/bench.erb
rich=$tmp/rich.erb
facts=$tmp/facts.erb

# rulec: compile, check with every diagnostics format, lint, fmt, dis.
check "$RULEC" compile rules/jincheng/main.rule -o "$jincheng"
check "$RULEC" compile rules/bench/bench.rule -o "$bench"
check "$RULEC" compile tests/fuzz/corpus/fuzz_parse/rich.rule -o "$rich"
check "$RULEC" compile tests/data/facts/rules.rule -o "$facts"
for f in tests/data/*.rule tests/data/*/*.rule; do
	for d in text json sarif; do
		check "$RULEC" check --diagnostics $d "$f"
	done
done
check "$RULEC" --lang zh check tests/data/bad.rule
check "$RULEC" check --lint rules/jincheng/main.rule
check "$RULEC" lint rules/jincheng/main.rule --scenarios rules/jincheng/scenarios
check "$RULEC" --lang zh lint rules/bench/bench.rule
check "$RULEC" fmt rules/jincheng/*.rule rules/jincheng/units/*.rule rules/bench/*.rule
check "$RULEC" fmt tests/fuzz/corpus/fuzz_parse/rich.rule tests/data/bad.rule
check "$RULEC" dis "$jincheng"
check "$RULEC" dis "$rich"
check "$RULEC" explain E0014

# rulevm: info, eval in each report format and language, test.
[ -f "$jincheng" ] || { echo "valgrind: $jincheng was not compiled"; exit 1; }
check "$RULEVM" info "$jincheng"
check "$RULEVM" --lang zh info "$bench"
for format in text json csv; do
	check "$RULEVM" eval --as-of 2024-06-01 --format $format "$jincheng" examples/*.json
done
check "$RULEVM" eval --lang zh --as-of 2024-06-01 "$jincheng" examples/*.json
check "$RULEVM" eval --as-of 2024-06-01 --format json "$facts" tests/data/facts/report.jsonl
check "$RULEVM" eval --as-of 2024-06-01 "$rich" tests/fuzz/corpus/fuzz_facts_json/*.json*
check "$RULEVM" eval --as-of 2024-06-01 --format csv "$rich" tests/fuzz/corpus/fuzz_facts_csv/*.csv
check "$RULEVM" eval --encoding gb18030 "$rich" tests/fuzz/corpus/fuzz_facts_csv/gb18030_crlf.csv
check "$RULEVM" test --as-of 2024-06-01 --uncovered "$jincheng" rules/jincheng/scenarios/*.json
check "$RULEVM" --lang zh test --verbose "$bench" rules/bench/scenarios/bench.json

echo "valgrind: $runs runs, $failed failed"
[ "$failed" -eq 0 ]
