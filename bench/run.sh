#!/bin/sh
# make bench: rulevm beside the tools a user could pick instead, the
# Jincheng rule set, the VM alone and city-sized rule sets, in one run on
# one machine. docs/benchmarks.md explains the method; bench/write_page.py
# writes that page (and its Chinese twin) from this run's results.
#
# Steps:
#   1. build the peers and bench/vm_alone.c in $DATA, generate the data;
#   2. check agreement on VN complete records: rulevm's decision, rules and
#      offsets against every installed peer (stops on any difference);
#   3. time 1 warm-up round and ROUNDS rounds; each round runs every
#      program once in turn. rulevm, Lua, C and the lower bounds read N
#      records, jq and CLIPS the first SLOW_N, json-rules-engine the first
#      NODE_N; a ratio is the median of the per-round ratios of time per
#      record;
#   4. count instructions with callgrind on VN records (CALLGRIND=1);
#   5. the VM alone: ns per project with the facts bound (vm_alone);
#   6. peak memory of rulevm eval across batch sizes (BATCHES);
#   7. the Jincheng rule set over JN generated records of its own schema;
#   8. city-sized rule sets of SCALE conditions (bench/scale_city.py).
#
# usage: sh bench/run.sh   (paths are relative to the repository's top folder)
# env:   N=1000000      records of the SPEC rules' timed rounds
#        QUICK=1        a short run: N=50000, JN=20000, SLOW_N=2000, NODE_N=500,
#                       ROUNDS=3, no callgrind, SCALE="1000 10000"
#        ROUNDS=3       counted rounds
#        SLOW_N=20000   records for jq and CLIPS;  NODE_N=5000 for json-rules-engine
#        VN=10000       records for the agreement check and callgrind
#        VM_N=100000    records bound by vm_alone
#        JN=1000000     Jincheng-shaped records
#        SCALE="1000 10000 107713"   conditions of the city-sized sets
#        BATCHES="1000 100000"       batch sizes of the memory step (N is added)
#        SEED=20210630  generator seed
#        CALLGRIND=1    0 skips the instruction counts
#        DATA=/tmp/ecorule-bench   data, peer binaries and result files
#        RULEC, RULEVM, LIB   the binaries and libecorule.a (default build/)
#        INSTALL=1      install the peers' Debian packages and npm package first
#        PAGE=1         0 leaves docs/benchmarks*.md alone
set -eu

cd "$(dirname "$0")/.."
BENCH=bench
if [ "${QUICK:-0}" = 1 ]; then
	N=${N:-50000}
	JN=${JN:-20000}
	SLOW_N=${SLOW_N:-2000}
	NODE_N=${NODE_N:-500}
	VM_N=${VM_N:-20000}
	CALLGRIND=${CALLGRIND:-0}
	SCALE=${SCALE-1000 10000}
	BATCHES=${BATCHES-1000}
fi
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
SLOW_N=${SLOW_N:-20000}
NODE_N=${NODE_N:-5000}
VN=${VN:-10000}
VM_N=${VM_N:-100000}
JN=${JN:-1000000}
SCALE=${SCALE-1000 10000 107713}
BATCHES=${BATCHES-1000 100000}
SEED=${SEED:-20210630}
CALLGRIND=${CALLGRIND:-1}
DATA=${DATA:-/tmp/ecorule-bench}
RULEC=${RULEC:-build/bin/rulec}
RULEVM=${RULEVM:-build/bin/rulevm}
LIB=${LIB:-build/lib/libecorule.a}
START=$(date +%s)

case $DATA in
"$PWD"/* | [!/]*)
	echo "error: DATA=$DATA is inside the repository or relative; use a folder under /tmp" >&2
	exit 2
	;;
esac
for n in N ROUNDS SLOW_N NODE_N VN VM_N JN; do
	eval "v=\$$n"
	case $v in '' | *[!0-9]* | 0)
		echo "error: $n=$v is not a positive whole number" >&2
		exit 2
		;;
	esac
done
[ "$SLOW_N" -le "$N" ] && [ "$NODE_N" -le "$N" ] && [ "$VN" -le "$N" ] || {
	echo "error: SLOW_N, NODE_N and VN must not exceed N=$N" >&2
	exit 2
}

mkdir -p "$DATA"
if [ "${INSTALL:-0}" = 1 ]; then
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	# A Node.js from another source brings its own npm, which Debian's
	# npm package conflicts with: install Node.js only when it is missing.
	node_pkgs=""
	command -v npm >/dev/null 2>&1 || node_pkgs="nodejs npm"
	$SUDO apt-get update
	$SUDO apt-get install -y lua5.4 lua-cjson libjansson-dev libyajl-dev jq clips $node_pkgs \
		time valgrind python3
	mkdir -p "$DATA/node"
	cp "$BENCH/peers/node/package.json" "$BENCH/peers/node/package-lock.json" "$DATA/node/"
	(cd "$DATA/node" && npm ci --no-audit --no-fund)
fi
missing=""
for tool in cc python3 lua5.4; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time"
if [ "$CALLGRIND" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	missing="$missing valgrind"
fi
lua5.4 -e 'require "cjson"' 2>/dev/null || missing="$missing lua-cjson"
if [ -n "$missing" ]; then
	echo "error: missing$missing; run with INSTALL=1 to install the Debian packages" >&2
	exit 1
fi
for bin in "$RULEC" "$RULEVM" "$LIB"; do
	[ -e "$bin" ] || { echo "error: $bin not found; run make first" >&2; exit 1; }
done

BC=$DATA/bench.erb
JBC=$DATA/jincheng.erb
# Which optional peers are installed: jq, CLIPS, json-rules-engine, jansson.
PEERS=""
command -v jq >/dev/null 2>&1 && PEERS="$PEERS jq"
command -v clips >/dev/null 2>&1 && PEERS="$PEERS clips"
[ -d "$DATA/node/node_modules/json-rules-engine" ] && command -v node >/dev/null 2>&1 &&
	PEERS="$PEERS node"
echo '#include <jansson.h>' | cc -E - >/dev/null 2>&1 && PEERS="$PEERS c_ref"
echo "== installed optional peers:${PEERS:- none} (INSTALL=1 installs jq, CLIPS, json-rules-engine, jansson)"
has_peer() {
	case " $PEERS " in *" $1 "*) return 0 ;; esac
	return 1
}

echo "== build the peers and vm_alone into $DATA"
cc -O2 -Wall -o "$DATA/parse_yajl" "$BENCH/peers/c/parse_yajl.c" -lyajl
has_peer c_ref && cc -O2 -Wall -o "$DATA/ref" "$BENCH/peers/c/ref.c" -ljansson -lm
cc -O2 -g -Wall -Wextra -std=c11 -D_POSIX_C_SOURCE=200809L -Iruntime -o "$DATA/vm_alone" \
	"$BENCH/vm_alone.c" "$LIB" -lyajl -lcsv -lz -lm
"$RULEC" compile rules/bench/bench.rule -o "$BC"
"$RULEC" compile rules/jincheng/main.rule -o "$JBC"

# The language reserves `industry` and `county` as keywords, so the rule
# set reads those two keys as `sector` and `district`; rulevm's copy of
# the data renames them (not timed).
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
head -n "$SLOW_N" "$DATA/facts.jsonl" > "$DATA/slow.jsonl"
head -n "$NODE_N" "$DATA/facts.jsonl" > "$DATA/node.jsonl"
if has_peer clips; then
	python3 "$BENCH/peers/clips/json2clips.py" < "$DATA/check.jsonl" > "$DATA/check.clp"
	python3 "$BENCH/peers/clips/json2clips.py" < "$DATA/slow.jsonl" > "$DATA/slow.clp"
fi

echo "== the rule set's scenarios (rules/bench/scenarios)"
"$RULEVM" test "$BC" rules/bench/scenarios/*.json

# peer_command NAME BASE prints the command that runs peer NAME over
# $DATA/BASE.jsonl (CLIPS: BASE.clp), writing the peers' lines.
peer_command() {
	case $1 in
	lua) echo "lua5.4 $BENCH/peers/lua/rules.lua < $DATA/$2.jsonl" ;;
	c_ref) echo "$DATA/ref < $DATA/$2.jsonl" ;;
	jq) echo "jq -n -r -f $BENCH/peers/jq/rules.jq $DATA/$2.jsonl" ;;
	clips) echo "clips -f2 $BENCH/peers/clips/rules.clp < $DATA/$2.clp" ;;
	node) echo "env NODE_PATH=$DATA/node/node_modules node $BENCH/peers/node/rules.js < $DATA/$2.jsonl" ;;
	*) echo "unknown peer $1" >&2; exit 2 ;;
	esac
}

echo "== agreement on $VN complete records (decision, applying rules, offsets)"
"$RULEVM" eval "$BC" --input jsonl --format jsonl < "$DATA/check.vm.jsonl" > "$DATA/check_vm.json"
python3 "$BENCH/to_peer_lines.py" < "$DATA/check_vm.json" > "$DATA/check_vm.tsv"
AGREE=$DATA/agreement.tsv
: > "$AGREE"
for peer in lua $PEERS; do
	sh -c "exec $(peer_command "$peer" check)" > "$DATA/check_$peer.tsv"
	if cmp -s "$DATA/check_vm.tsv" "$DATA/check_$peer.tsv"; then
		echo "rulevm and $peer agree on all $VN records"
		printf '%s\t%s\n' "$peer" "$VN" >> "$AGREE"
	else
		echo "error: rulevm and $peer differ; compare $DATA/check_vm.tsv with $DATA/check_$peer.tsv" >&2
		exit 1
	fi
done

echo "== decisions on $VN records with absent fields (rulevm against Lua)"
lua5.4 "$BENCH/peers/lua/rules.lua" < "$DATA/partial.jsonl" > "$DATA/partial_peer.tsv"
"$RULEVM" eval "$BC" --input jsonl --format jsonl < "$DATA/partial.vm.jsonl" > "$DATA/partial_vm.json" || true
python3 "$BENCH/to_peer_lines.py" < "$DATA/partial_vm.json" > "$DATA/partial_vm.tsv"
paste "$DATA/partial_vm.tsv" "$DATA/partial_peer.tsv" | awk -F'\t' '
	{ key = ($2 == $6) ? "same\tsame" : $2 "\t" $6; count[key]++ }
	END { for (k in count) printf "%d\t%s\n", count[k], k }' | sort -rn > "$DATA/absent.tsv"
cat "$DATA/absent.tsv"

# median_of FILE: the median of the numbers of FILE, one per line.
median_of() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# time_ns CMD: run CMD under GNU time with its output to /dev/null, and
# fail on a non-zero exit. It sets WALL (ns), CPU (user + system ns, 10 ms
# resolution) and RSS (KiB). A process on a loaded machine waits for a
# core, so CPU time measures the work more steadily than wall time does.
time_ns() {
	t0=$(date +%s%N)
	status=0
	/usr/bin/time -f '%M %U %S' -o "$DATA/rss.txt" sh -c "exec $1 > /dev/null" || status=$?
	t1=$(date +%s%N)
	if [ "$status" -ne 0 ]; then
		echo "error: '$1' exited with status $status" >&2
		exit 1
	fi
	WALL=$((t1 - t0))
	RSS=$(tail -n 1 "$DATA/rss.txt" | cut -d' ' -f1)
	CPU=$(tail -n 1 "$DATA/rss.txt" | awk '{ printf "%.0f", ($2 + $3) * 1e9 }')
}

echo "== compile time of rules/bench/bench.rule (median of 11 runs)"
: > "$DATA/compile_ns.txt"
i=0
while [ "$i" -lt 11 ]; do
	time_ns "$RULEC compile rules/bench/bench.rule -o $DATA/compile_probe.erb"
	echo "$WALL" >> "$DATA/compile_ns.txt"
	i=$((i + 1))
done
printf 'bench_compile_ns\t%s\nbench_bytecode_bytes\t%s\n' "$(median_of "$DATA/compile_ns.txt")" \
	"$(wc -c < "$BC")" > "$DATA/facts_misc.tsv"

# program_command NAME prints the command that runs program NAME over the
# timed data; program_records NAME the records it reads.
program_command() {
	case $1 in
	rulevm_csv) echo "$RULEVM eval $BC --input jsonl --format csv < $DATA/facts.vm.jsonl" ;;
	rulevm_json) echo "$RULEVM eval $BC --input jsonl --format jsonl < $DATA/facts.vm.jsonl" ;;
	rulevm_jobs2) echo "$RULEVM eval $BC --jobs 2 --input jsonl --format csv < $DATA/facts.vm.jsonl" ;;
	yajl_parse) echo "$DATA/parse_yajl < $DATA/facts.jsonl" ;;
	cat) echo "cat $DATA/facts.jsonl" ;;
	lua | c_ref) peer_command "$1" facts ;;
	jq | clips) peer_command "$1" slow ;;
	node) peer_command "$1" node ;;
	*) echo "unknown program $1" >&2; exit 2 ;;
	esac
}
program_records() {
	case $1 in
	jq | clips) echo "$SLOW_N" ;;
	node) echo "$NODE_N" ;;
	*) echo "$N" ;;
	esac
}
PROGRAMS="rulevm_csv rulevm_json"
# Time --jobs 2 when this rulevm's eval lists the option in its help.
if "$RULEVM" eval --help 2>/dev/null | grep -q -- --jobs; then
	PROGRAMS="$PROGRAMS rulevm_jobs2"
fi
PROGRAMS="$PROGRAMS yajl_parse cat lua$PEERS"

OUT_BYTES=$DATA/output_bytes.tsv
: > "$OUT_BYTES"
for program in $PROGRAMS; do
	cmd=$(program_command "$program" |
		sed "s|$DATA/facts\.|$DATA/partial.|; s|$DATA/slow\.jsonl|$DATA/partial.jsonl|; s|$DATA/node\.jsonl|$DATA/partial.jsonl|")
	[ "$program" = clips ] && cmd=$(peer_command clips check)
	bytes=$(sh -c "exec $cmd" | wc -c) || true
	printf '%s\t%s\n' "$program" "$bytes" >> "$OUT_BYTES"
done

echo "== timing: 1 warm-up round + $ROUNDS rounds of: $PROGRAMS"
TIMES=$DATA/times.tsv
printf 'round\tprogram\trecords\twall_ns\tcpu_ns\tmax_rss_kib\n' > "$TIMES"
round=0
while [ "$round" -le "$ROUNDS" ]; do
	for program in $PROGRAMS; do
		time_ns "$(program_command "$program")"
		# Round 0 is the warm-up and is not recorded.
		[ "$round" -gt 0 ] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$program" \
			"$(program_records "$program")" "$WALL" "$CPU" "$RSS" >> "$TIMES"
	done
	echo "round $round of $ROUNDS done"
	round=$((round + 1))
done

CG=$DATA/callgrind.tsv
: > "$CG"
if [ "$CALLGRIND" = 1 ]; then
	echo "== instructions (valgrind --tool=callgrind) on $VN records"
	for program in rulevm_csv rulevm_json yajl_parse lua c_ref; do
		case " $PROGRAMS " in *" $program "*) ;; *) continue ;; esac
		cmd=$(program_command "$program" | sed "s|$DATA/facts\.|$DATA/partial.|")
		sh -c "exec valgrind --tool=callgrind --callgrind-out-file=$DATA/callgrind.$program.out $cmd" \
			> /dev/null 2> "$DATA/callgrind.$program.log"
		collected=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$DATA/callgrind.$program.log")
		printf '%s\t%s\n' "$program" "$collected" >> "$CG"
		echo "$program: $collected instructions"
	done
fi

echo "== the VM alone: er_eval with the facts bound, $VM_N records"
VM=$DATA/vm_alone.tsv
: > "$VM"
head -n "$VM_N" "$DATA/facts.vm.jsonl" > "$DATA/vm.jsonl"
"$DATA/vm_alone" "$BC" "$DATA/vm.jsonl" "$VM_N" 5 | sed 's/^/bench\t/' >> "$VM"

echo "== peak memory of rulevm eval across batch sizes"
MEM=$DATA/memory.tsv
: > "$MEM"
for batch in $BATCHES $N; do
	[ "$batch" -le "$N" ] || continue
	head -n "$batch" "$DATA/facts.vm.jsonl" > "$DATA/batch.jsonl"
	for format in csv json; do
		time_ns "$RULEVM eval $BC --input jsonl --format $format < $DATA/batch.jsonl"
		printf '%s\t%s\t%s\n' "$batch" "$format" "$RSS" >> "$MEM"
	done
done
rm -f "$DATA/batch.jsonl"

echo "== the Jincheng rule set over $JN records of its own schema"
JT=$DATA/jincheng.tsv
python3 "$BENCH/gen_jincheng.py" "$JN" "$SEED" > "$DATA/jincheng.jsonl"
printf 'round\tprogram\trecords\twall_ns\tcpu_ns\tmax_rss_kib\n' > "$JT"
round=0
while [ "$round" -le "$ROUNDS" ]; do
	for program in rulevm_csv yajl_parse; do
		if [ "$program" = rulevm_csv ]; then
			cmd="$RULEVM eval $JBC --input jsonl --format csv < $DATA/jincheng.jsonl"
		else
			cmd="$DATA/parse_yajl < $DATA/jincheng.jsonl"
		fi
		time_ns "$cmd"
		[ "$round" -gt 0 ] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$program" "$JN" "$WALL" "$CPU" "$RSS" >> "$JT"
	done
	round=$((round + 1))
done
"$RULEVM" eval "$JBC" --input jsonl --format csv < "$DATA/jincheng.jsonl" |
	awk -F'","' 'NR > 1 { n[$4]++ } END { for (d in n) printf "decision\t%s\t%d\n", d, n[d] }' >> "$JT"
printf 'bytes\t%s\nrules\t%s\n' "$(wc -c < "$DATA/jincheng.jsonl")" \
	"$("$RULEVM" info "$JBC" --lang en | sed -n 's/.*rules: \([0-9]*\).*/\1/p')" >> "$JT"
head -n "$VM_N" "$DATA/jincheng.jsonl" > "$DATA/vm_j.jsonl"
"$DATA/vm_alone" "$JBC" "$DATA/vm_j.jsonl" "$VM_N" 5 | sed 's/^/jincheng\t/' >> "$VM"
rm -f "$DATA/vm_j.jsonl"

SC=$DATA/scale.tsv
printf 'conditions\tcompile_ns\tcompile_cpu_ns\tcompile_rss_kib\tbytecode_bytes\tload_ms\tns_per_project\tns_min\tns_max\trules_listed\teval_ns\teval_cpu_ns\teval_rss_kib\trecords\n' > "$SC"
if [ -n "$SCALE" ]; then
	echo "== city-sized rule sets: $SCALE conditions"
	SR=20000
	python3 "$BENCH/scale_city.py" records "$SR" "$SEED" > "$DATA/city.jsonl"
	for conditions in $SCALE; do
		python3 "$BENCH/scale_city.py" rules "$conditions" "$DATA/city$conditions.rule"
		time_ns "$RULEC compile $DATA/city$conditions.rule -o $DATA/city$conditions.erb"
		compile_ns=$WALL
		compile_cpu=$CPU
		compile_rss=$RSS
		"$DATA/vm_alone" "$DATA/city$conditions.erb" "$DATA/city.jsonl" "$SR" 3 > "$DATA/vm_city.txt"
		field() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$DATA/vm_city.txt"; }
		time_ns "$RULEVM eval $DATA/city$conditions.erb --input jsonl --format csv < $DATA/city.jsonl"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$conditions" \
			"$compile_ns" "$compile_cpu" "$compile_rss" "$(wc -c < "$DATA/city$conditions.erb")" \
			"$(field load_ms)" "$(field ns_per_project_median)" "$(field ns_per_project_min)" \
			"$(field ns_per_project_max)" "$(field rules_listed_per_project)" "$WALL" "$CPU" "$RSS" \
			"$SR" >> "$SC"
		echo "$conditions conditions: compile $((compile_ns / 1000000)) ms," \
			"$(field ns_per_project_median) ns per project"
	done
fi

sh "$BENCH/machine.sh" > "$DATA/machine.tsv"
printf 'started\t%s\nseconds\t%s\ncommit\t%s\nN\t%s\nROUNDS\t%s\nSLOW_N\t%s\nNODE_N\t%s\nVN\t%s\nVM_N\t%s\nJN\t%s\nSEED\t%s\nQUICK\t%s\n' \
	"$(date -u -d "@$START" '+%Y-%m-%d %H:%M UTC')" "$(($(date +%s) - START))" \
	"$(git rev-parse --short HEAD 2>/dev/null || echo -)" "$N" "$ROUNDS" "$SLOW_N" "$NODE_N" \
	"$VN" "$VM_N" "$JN" "$SEED" "${QUICK:-0}" >> "$DATA/machine.tsv"
if [ "${PAGE:-1}" = 1 ]; then
	python3 "$BENCH/write_page.py" "$DATA" docs/benchmarks.md docs/benchmarks.zh-CN.md
	echo "== wrote docs/benchmarks.md and docs/benchmarks.zh-CN.md"
fi
echo "== results in $DATA (times.tsv, jincheng.tsv, scale.tsv, vm_alone.tsv, memory.tsv)"
