#!/bin/sh
# Side-by-side benchmark: rulevm against the tools a user could pick
# instead, on the 30 rules of rules/bench/bench.rule over generated project
# records. docs/bench.md explains the method and records the figures.
#
# Steps, in one run:
#   1. build the peers (C reference with jansson, yajl parse-only) in $DATA;
#   2. generate data in $DATA, never in the repository;
#   3. run the rule set's scenarios, then check agreement on VN records
#      with every field present: rulevm's decision, applying rules and
#      offsets against the C reference and Lua (stops on any difference);
#   4. time the compile of the rule set;
#   5. time 1 warm-up round and ROUNDS rounds over N records. Each round
#      runs every program once in turn: rulevm with JSON and text out, Lua,
#      the C reference, yajl parse-only and cat. A ratio is the median of
#      the per-round ratios;
#   6. with CALLGRIND=1 (default), count instructions per record with
#      valgrind's callgrind on VN records;
#   7. time the compile and the evaluation of larger rule sets: the 30
#      rules plus, for each of SCALE_UNITS extra units, a copy of the 25
#      unscoped rules scoped to that unit.
#
# usage: sh bench/run.sh            (from any folder; paths are relative to
#                                    the repository's top folder)
# env:   N=200000       records for the timed rounds
#        QUICK=1        a short run: N=20000, ROUNDS=3, no callgrind, no scale step
#        ROUNDS=5       counted rounds
#        VN=10000       records for the agreement check and callgrind
#        SEED=20210630  generator seed
#        CALLGRIND=1    0 skips the instruction counts
#        SCALE_UNITS="100 1000 4300"   extra units of the scale step, 25 rules
#                       each; empty skips it (4300 units need about 0.5 GiB)
#        DATA=/tmp/ecorule-bench   data, peer binaries and result files
#        RULEC, RULEVM  the binaries (default build/bin/rulec, build/bin/rulevm)
#        INSTALL=1      apt-get install the peers' Debian packages first
set -eu

cd "$(dirname "$0")/.."
BENCH=bench
if [ "${QUICK:-0}" = 1 ]; then
	N=${N:-20000}
	ROUNDS=${ROUNDS:-3}
	CALLGRIND=${CALLGRIND:-0}
	SCALE_UNITS=${SCALE_UNITS-}
fi
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
VN=${VN:-10000}
SEED=${SEED:-20210630}
CALLGRIND=${CALLGRIND:-1}
SCALE_UNITS=${SCALE_UNITS-100 1000 4300}
DATA=${DATA:-/tmp/ecorule-bench}
RULEC=${RULEC:-build/bin/rulec}
RULEVM=${RULEVM:-build/bin/rulevm}

case $DATA in
"$PWD"/* | [!/]*)
	echo "error: DATA=$DATA is inside the repository or relative; use a folder under /tmp" >&2
	exit 2
	;;
esac

if [ "${INSTALL:-0}" = 1 ]; then
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update
	$SUDO apt-get install -y lua5.4 lua-cjson libjansson-dev libyajl-dev time valgrind python3
fi
missing=""
for tool in cc python3 lua5.4 sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time"
if [ "$CALLGRIND" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	missing="$missing valgrind"
fi
if [ -n "$missing" ]; then
	echo "error: missing$missing; run with INSTALL=1 to install the Debian packages" >&2
	exit 1
fi
lua5.4 -e 'require "cjson"' 2>/dev/null || {
	echo "error: lua-cjson is not installed for Lua 5.4; run with INSTALL=1" >&2
	exit 1
}
for bin in "$RULEC" "$RULEVM"; do
	[ -x "$bin" ] || { echo "error: $bin not found; run make first" >&2; exit 1; }
done

mkdir -p "$DATA"
BC=$DATA/bench.erb

echo "== build the peers into $DATA"
cc -O2 -Wall -o "$DATA/ref" "$BENCH/peers/c/ref.c" -ljansson -lm
cc -O2 -Wall -o "$DATA/parse_yajl" "$BENCH/peers/c/parse_yajl.c" -lyajl
"$RULEC" compile rules/bench/bench.rule -o "$BC"

# The language reserves `industry` and `county` as keywords, so the rule
# set reads those two keys as `sector` and `district`. rulevm's copy of the
# data renames them, and a record keeps its byte count when it has both
# keys or neither.
rename_keys() {
	sed 's/"industry":/"sector":/; s/"county":/"district":/' "$1" > "$2"
}

echo "== data (seed $SEED): $VN complete records for the check, $N for timing"
python3 "$BENCH/gen_facts.py" --complete "$VN" "$SEED" > "$DATA/check.jsonl"
python3 "$BENCH/gen_facts.py" "$VN" "$SEED" > "$DATA/partial.jsonl"
python3 "$BENCH/gen_facts.py" "$N" "$SEED" > "$DATA/facts.jsonl"
for base in check partial facts; do
	rename_keys "$DATA/$base.jsonl" "$DATA/$base.vm.jsonl"
done

echo "== the rule set's scenarios (rules/bench/scenarios)"
"$RULEVM" test "$BC" rules/bench/scenarios/*.json

echo "== agreement on $VN complete records (decision, applying rules, offsets)"
"$DATA/ref" < "$DATA/check.jsonl" > "$DATA/check_ref.tsv"
lua5.4 "$BENCH/peers/lua/rules.lua" < "$DATA/check.jsonl" > "$DATA/check_lua.tsv"
"$RULEVM" eval "$BC" --input jsonl --format jsonl < "$DATA/check.vm.jsonl" > "$DATA/check_vm.json"
python3 "$BENCH/to_peer_lines.py" < "$DATA/check_vm.json" > "$DATA/check_vm.tsv"
for peer in ref lua; do
	if cmp -s "$DATA/check_vm.tsv" "$DATA/check_$peer.tsv"; then
		echo "rulevm and $peer agree on all $VN records"
	else
		differing=$(paste "$DATA/check_vm.tsv" "$DATA/check_$peer.tsv" |
			awk -F'\t' '$2 != $6 || $3 != $7 || $4 != $8' | wc -l)
		echo "error: rulevm and $peer differ on $differing of $VN records;" \
			"compare $DATA/check_vm.tsv with $DATA/check_$peer.tsv" >&2
		exit 1
	fi
done

# With absent fields the products differ by design: rulevm reports
# 待补充信息 where a missing fact could make the decision stricter, and
# three-valued logic decides some rules the peers skip.
echo "== decisions on $VN records with absent fields (rulevm against the C reference)"
"$DATA/ref" < "$DATA/partial.jsonl" > "$DATA/partial_ref.tsv"
"$RULEVM" eval "$BC" --input jsonl --format jsonl < "$DATA/partial.vm.jsonl" > "$DATA/partial_vm.json" || true
python3 "$BENCH/to_peer_lines.py" < "$DATA/partial_vm.json" > "$DATA/partial_vm.tsv"
paste "$DATA/partial_vm.tsv" "$DATA/partial_ref.tsv" | awk -F'\t' '
	{ key = ($2 == $6) ? "same decision" : "rulevm " $2 ", C reference " $6; count[key]++ }
	END { for (k in count) printf "%7d  %s\n", count[k], k }' | sort -rn

echo "== compile time of rules/bench/bench.rule (median of 11 runs)"
: > "$DATA/compile_ns.txt"
i=0
while [ "$i" -lt 11 ]; do
	t0=$(date +%s%N)
	"$RULEC" compile rules/bench/bench.rule -o "$DATA/compile_probe.erb"
	t1=$(date +%s%N)
	echo $((t1 - t0)) >> "$DATA/compile_ns.txt"
	i=$((i + 1))
done
COMPILE_MS=$(sort -n "$DATA/compile_ns.txt" | sed -n 6p | awk '{ printf "%.1f", $1 / 1e6 }')
BC_BYTES=$(wc -c < "$BC")
echo "compile: $COMPILE_MS ms, bytecode $BC_BYTES bytes"

# command_for NAME prints the shell command that runs program NAME over the
# timed data.
command_for() {
	case $1 in
	rulevm_json) echo "$RULEVM eval $BC --input jsonl --format jsonl < $DATA/facts.vm.jsonl" ;;
	rulevm_text) echo "$RULEVM eval $BC --input jsonl --format text < $DATA/facts.vm.jsonl" ;;
	rulevm_csv) echo "$RULEVM eval $BC --input jsonl --format csv < $DATA/facts.vm.jsonl" ;;
	lua) echo "lua5.4 $BENCH/peers/lua/rules.lua < $DATA/facts.jsonl" ;;
	c_ref) echo "$DATA/ref < $DATA/facts.jsonl" ;;
	yajl_parse) echo "$DATA/parse_yajl < $DATA/facts.jsonl" ;;
	cat) echo "cat $DATA/facts.jsonl" ;;
	*) echo "unknown program $1" >&2; exit 2 ;;
	esac
}
PROGRAMS="rulevm_json rulevm_text lua c_ref yajl_parse cat"
# CSV output (one row per project) is the closest to the peers' one line
# per record; time it when this rulevm offers it.
if "$RULEVM" eval "$BC" --input jsonl --format csv < /dev/null > /dev/null 2>&1; then
	PROGRAMS="rulevm_json rulevm_text rulevm_csv lua c_ref yajl_parse cat"
fi

# The programs write reports of different sizes, and writing is part of
# the timed work: measure each one's output on the VN partial records.
OUT_BYTES=$DATA/output_bytes.tsv
: > "$OUT_BYTES"
for program in $PROGRAMS; do
	cmd=$(command_for "$program" | sed "s|$DATA/facts|$DATA/partial|")
	bytes=$(sh -c "exec $cmd" | wc -c) || true
	printf '%s\t%s\n' "$program" "$bytes" >> "$OUT_BYTES"
done

echo "== timing: $N records, 1 warm-up round + $ROUNDS rounds of: $PROGRAMS"
TIMES=$DATA/times.tsv
printf 'round\tprogram\twall_ns\tmax_rss_kib\texit\n' > "$TIMES"
round=0
while [ "$round" -le "$ROUNDS" ]; do
	for program in $PROGRAMS; do
		cmd=$(command_for "$program")
		t0=$(date +%s%N)
		# Generated records are all valid, so any non-zero exit is a failure.
		status=0
		/usr/bin/time -f '%M' -o "$DATA/rss.txt" sh -c "exec $cmd > /dev/null" || status=$?
		t1=$(date +%s%N)
		if [ "$status" -ne 0 ]; then
			echo "error: '$cmd' exited with status $status" >&2
			exit 1
		fi
		# Round 0 is the warm-up and is not recorded.
		[ "$round" -gt 0 ] && printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$program" \
			$((t1 - t0)) "$(tail -n 1 "$DATA/rss.txt")" "$status" >> "$TIMES"
	done
	[ "$round" -gt 0 ] && echo "round $round of $ROUNDS done"
	round=$((round + 1))
done

CG=$DATA/callgrind.tsv
: > "$CG"
if [ "$CALLGRIND" = 1 ]; then
	echo "== instructions (valgrind --tool=callgrind) on $VN records"
	for program in $PROGRAMS; do
		[ "$program" = cat ] && continue
		cmd=$(command_for "$program" | sed "s|$DATA/facts|$DATA/partial|")
		sh -c "exec valgrind --tool=callgrind --callgrind-out-file=$DATA/callgrind.$program.out $cmd" \
			> /dev/null 2> "$DATA/callgrind.$program.log"
		collected=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$DATA/callgrind.$program.log")
		printf '%s\t%s\n' "$program" "$collected" >> "$CG"
		echo "$program: $collected instructions"
	done
	echo "(callgrind_annotate $DATA/callgrind.rulevm_json.out lists the functions)"
fi

python3 "$BENCH/summarize.py" "$TIMES" "$CG" "$OUT_BYTES" "$N" "$VN" "$COMPILE_MS" "$BC_BYTES" > "$DATA/results.md"

# Scale: the rule set plus 25 rules scoped to each of U extra units that no
# record names. Compile time and size grow with U; evaluating the VN
# complete records should not, since no copy is in scope for them.
if [ -n "$SCALE_UNITS" ]; then
	echo "== scale: extra units $SCALE_UNITS, evaluation of $VN complete records, text out"
	{
		printf '\n## Scale: rules scoped to units that no record names (%s complete records, text out)\n\n' "$VN"
		echo "| extra units | rules | compile s | compile peak RSS MiB | bytecode KiB | eval s (median of 3) | eval peak RSS MiB |"
		echo "|---|---|---|---|---|---|---|"
	} >> "$DATA/results.md"
	for units in 0 $SCALE_UNITS; do
		if [ "$units" = 0 ]; then
			scaled_bc=$BC
			rules=30
			compile_s=$(echo "$COMPILE_MS" | awk '{ printf "%.3f", $1 / 1000 }')
			compile_rss=-
		else
			rules=$(python3 "$BENCH/scale_rules.py" "$units" "$DATA/scale$units" | awk '{ print $3 }')
			scaled_bc=$DATA/scale$units.erb
			t0=$(date +%s%N)
			/usr/bin/time -f '%M' -o "$DATA/rss.txt" \
				"$RULEC" compile "$DATA/scale$units/scaled.rule" -o "$scaled_bc"
			t1=$(date +%s%N)
			compile_s=$(echo "$t0 $t1" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }')
			compile_rss=$(awk '{ printf "%.0f", $1 / 1024 }' "$DATA/rss.txt")
		fi
		: > "$DATA/scale_eval.txt"
		for run in 1 2 3; do
			t0=$(date +%s%N)
			/usr/bin/time -f '%M' -o "$DATA/rss.txt" sh -c \
				"exec $RULEVM eval $scaled_bc --input jsonl --format text < $DATA/check.vm.jsonl > /dev/null"
			t1=$(date +%s%N)
			echo "$t0 $t1 $(tail -n 1 "$DATA/rss.txt")" >> "$DATA/scale_eval.txt"
		done
		eval_s=$(awk '{ print ($2 - $1) / 1e9 }' "$DATA/scale_eval.txt" | sort -n | sed -n 2p)
		eval_rss=$(awk '{ print $3 }' "$DATA/scale_eval.txt" | sort -n | sed -n 2p)
		printf '| %s | %s | %s | %s | %.0f | %.3f | %.0f |\n' "$units" "$rules" "$compile_s" \
			"$compile_rss" "$(wc -c < "$scaled_bc" | awk '{ print $1 / 1024 }')" \
			"$eval_s" "$(echo "$eval_rss" | awk '{ print $1 / 1024 }')" >> "$DATA/results.md"
		echo "extra units $units: $rules rules, compile $compile_s s, eval $eval_s s"
	done
fi

echo "== results"
cat "$DATA/results.md"
echo "== raw times in $TIMES, table in $DATA/results.md"
