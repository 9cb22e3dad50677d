#!/bin/sh
# Run each Check test binary named on the command line and print one
# closing line, "N passed, N failed", summed over all of them. Exits
# non-zero when any test failed or any binary crashed.
passed=0
failed=0
status=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	# Check prints "NN%: Checks: C, Failures: F, Errors: E".
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: [0-9]+' | tail -n 1)
	if [ -z "$line" ]; then
		echo "error: $bin printed no Check summary (exit status $rc)" >&2
		failed=$((failed + 1))
		status=1
		continue
	fi
	checks=$(printf '%s\n' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
	failures=$(printf '%s\n' "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
	errors=$(printf '%s\n' "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
	bad=$((failures + errors))
	passed=$((passed + checks - bad))
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] || [ "$bad" -ne 0 ]; then
		status=1
	fi
done
echo "$passed passed, $failed failed"
exit $status
