#!/bin/sh
# Print the HTML report of the Jincheng examples to PDF in headless
# Chromium, as an evaluator prints it from a browser, and check the PDF:
# Chromium exits 0 and logs nothing about the page (console messages,
# failed loads), and the PDF's text contains the decision words, a project
# id and a rule's basis. Run by `make test-html`, which sets RULEVM and
# RULESET; prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/ecorule_html_print.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
passed=0
failed=0

check() {
	# check NAME COMMAND...: count the result of one check.
	name=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $name" >&2
		failed=$((failed + 1))
	fi
}

"$RULEVM" eval --lang zh --format html --as-of 2024-01-01 "$RULESET" examples/*.json \
	> "$work/report.html" 2> "$work/rulevm.log"
rc=$?
check "rulevm eval --format html exits 0 (was $rc)" test "$rc" -eq 0

# --no-pdf-header-footer keeps the date and file URL out of the PDF text.
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--enable-logging=stderr --v=0 \
	--print-to-pdf="$work/report.pdf" "file://$work/report.html" \
	> "$work/chromium.log" 2>&1
rc=$?
check "chromium exits 0 (was $rc)" test "$rc" -eq 0
check "chromium wrote the PDF" test -s "$work/report.pdf"

# Chromium logs its own start-up problems on a machine without D-Bus or a
# GPU, so only lines about the page count. Those are console messages,
# script errors, failed loads, and any line naming the page's file.
page_lines=$(grep -E 'CONSOLE|Uncaught|net::ERR_|Failed to load|Refused to' "$work/chromium.log";
	grep -F "$work/report.html" "$work/chromium.log")
if [ -n "$page_lines" ]; then
	printf '%s\n' "$page_lines" >&2
fi
check "chromium logged no error for the page" test -z "$page_lines"

pdftotext -enc UTF-8 "$work/report.pdf" "$work/report.txt" 2> "$work/pdftotext.log"
rc=$?
check "pdftotext exits 0 (was $rc)" test "$rc" -eq 0
for word in 生态环境准入研判报告 不予准入 受限准入 有条件准入 待补充信息 空间布局约束 \
	EX-A01 EX-A05 ZH14052220003 《山西省泉域水资源保护条例》; do
	check "the PDF text contains $word" grep -qF "$word" "$work/report.txt"
done

if [ "$failed" -ne 0 ]; then
	echo "the page, Chromium's log and the PDF text were in $work; kept as /tmp/ecorule_html_print.failed" >&2
	rm -rf /tmp/ecorule_html_print.failed
	cp -r "$work" /tmp/ecorule_html_print.failed
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
