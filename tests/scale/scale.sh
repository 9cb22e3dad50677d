#!/bin/sh
# Scale test of rulevm eval over the Jincheng rule set (make test-scale):
#
# 1. 1,000,000 JSON Lines records, streamed from gen_records into rulevm,
#    and 10,000 the same way: the peak RSS of the large run must stay
#    within 25% (plus 2 MB) of the small run's.
# 2. 100,000 CSV rows as Excel writes a Chinese sheet (GBK, CRLF, quoted
#    cells with commas and line breaks, Chinese labels in the header row),
#    from a file, with the encoding detected, against 10,000 rows.
# 3. For about a hundred records of each batch, spread over the whole run
#    and including invalid ones, evaluating the record alone gives the
#    same CSV row as in the batch (but for the record number).
#
# Environment: RULEVM, RULESET (the compiled Jincheng rules), GEN_RECORDS;
# SCALE_RECORDS and SCALE_ROWS change the sizes, SCALE_JOBS the threads
# (default 2). Prints each measurement; exits 1 when a check fails.
set -eu

RULEVM=${RULEVM:-build/bin/rulevm}
RULESET=${RULESET:-build/jincheng.erb}
GEN_RECORDS=${GEN_RECORDS:-build/tests/gen_records}
RECORDS=${SCALE_RECORDS:-1000000}
ROWS=${SCALE_ROWS:-100000}
JOBS=${SCALE_JOBS:-2}
SMALL=10000
# Records repeat the facts of this many distinct records, so that
# writing the input costs little next to evaluating it.
DISTINCT=10000
SAMPLES=100
AS_OF=2024-01-01

work=$(mktemp -d /tmp/ecorule_scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# The record numbers to check one by one: SAMPLES spread over 1..COUNT,
# the first and last, and 997, which gen_records makes invalid.
samples() {
	awk -v count="$1" -v samples="$SAMPLES" 'BEGIN {
		step = int(count / samples) + 1
		for (n = 1; n <= count; n += step) print n
		print count
		if (count >= 997) print 997
	}' | sort -n -u
}

# Run rulevm over FORMAT input from standard input or FILE, write the peak
# RSS in KB to $work/rss, the exit status to $work/status, the CSV rows of
# the sampled records to $work/rows and the decision counts to stdout.
evaluate() {
	format=$1
	sample_file=$2
	shift 2
	{
		status=0
		/usr/bin/time -f %M -o "$work/rss" "$RULEVM" eval --as-of "$AS_OF" -j "$JOBS" \
			--no-progress --no-summary --format csv --input "$format" "$RULESET" "$@" \
			2> "$work/stderr" || status=$?
		echo "$status" > "$work/status"
	} | awk -F, -v samples="$sample_file" -v rows="$work/rows" '
		BEGIN { while ((getline n < samples) > 0) want["\"" n "\""] = 1 }
		NR == 1 { next }
		{ count[$4]++; total++ }
		($1 in want) { print > rows }
		END { for (c in count) printf "  %s %d\n", c, count[c]; printf "  total %d\n", total }'
}

# Evaluate each sampled record alone and compare its row with the batch's.
check_alone() {
	format=$1
	label=$2
	checked=0
	while read -r n; do
		batch_row=$(awk -F, -v n="\"$n\"" '$1 == n' "$work/rows" | cut -d, -f2-)
		if [ "$format" = csv ]; then
			alone_row=$("$GEN_RECORDS" --distinct "$DISTINCT" --first "$n" "$RULESET" 1 csv |
				iconv -f UTF-8 -t GBK |
				"$RULEVM" eval --as-of "$AS_OF" --format csv --input csv "$RULESET" - 2>/dev/null |
				sed -n 2p | cut -d, -f2-)
		else
			alone_row=$("$GEN_RECORDS" --distinct "$DISTINCT" --first "$n" "$RULESET" 1 jsonl |
				"$RULEVM" eval --as-of "$AS_OF" --format csv --input jsonl "$RULESET" - 2>/dev/null |
				sed -n 2p | cut -d, -f2-)
		fi
		if [ -z "$batch_row" ] || [ "$batch_row" != "$alone_row" ]; then
			fail "$label record $n: batch row '$batch_row' differs from the row alone '$alone_row'"
		fi
		checked=$((checked + 1))
	done < "$work/samples"
	echo "$label: $checked records evaluated alone, each as in the batch"
}

check_rss() {
	label=$1
	small=$2
	large=$3
	echo "$label: peak RSS $small KB at $SMALL records, $large KB at the full count"
	if [ "$large" -gt $((small + small / 4 + 2048)) ]; then
		fail "$label: peak RSS grew from $small KB to $large KB"
	fi
}

check_status() {
	label=$1
	status=$(cat "$work/status")
	# Status 3: gen_records makes one record in 997 invalid.
	if [ "$status" != 3 ]; then
		fail "$label: rulevm exited with status $status, expected 3 (invalid records); stderr:"
		head -n 5 "$work/stderr"
	fi
}

# 1. JSON Lines, streamed.
for count in "$SMALL" "$RECORDS"; do
	samples "$count" > "$work/samples"
	start=$(date +%s)
	echo "JSON Lines, $count records, $JOBS threads:"
	"$GEN_RECORDS" --distinct "$DISTINCT" "$RULESET" "$count" jsonl |
		evaluate jsonl "$work/samples" -
	echo "  $(($(date +%s) - start)) s"
	check_status "JSON Lines $count"
	tail -n 1 "$work/rss" > "$work/rss.jsonl.$count"
done
check_rss "JSON Lines" "$(cat "$work/rss.jsonl.$SMALL")" "$(cat "$work/rss.jsonl.$RECORDS")"
check_alone jsonl "JSON Lines"

# 2. CSV as Excel writes it, from a GBK file.
for count in "$SMALL" "$ROWS"; do
	"$GEN_RECORDS" --distinct "$DISTINCT" "$RULESET" "$count" csv | iconv -f UTF-8 -t GBK > "$work/sheet.csv"
	samples "$count" > "$work/samples"
	start=$(date +%s)
	echo "GBK CSV, $count rows, $JOBS threads:"
	evaluate csv "$work/samples" "$work/sheet.csv"
	echo "  $(($(date +%s) - start)) s"
	check_status "GBK CSV $count"
	tail -n 1 "$work/rss" > "$work/rss.csv.$count"
done
check_rss "GBK CSV" "$(cat "$work/rss.csv.$SMALL")" "$(cat "$work/rss.csv.$ROWS")"
check_alone csv "GBK CSV"

if [ "$failed" -ne 0 ]; then
	echo "scale test failed"
	exit 1
fi
echo "scale test passed"
