#!/bin/sh
# Print the machine and tool versions of a benchmark run as NAME<TAB>VALUE
# lines, for bench/write_page.py.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mhz=$(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
printf 'cpu\t%s\n' "${cpu:-unknown}"
printf 'cpu_mhz\t%s\n' "${mhz:-unknown}"
printf 'cores\t%s\n' "$(nproc)"
printf 'memory_gib\t%s\n' "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
printf 'os\t%s\n' "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
printf 'kernel\t%s\n' "$(uname -r)"
printf 'load\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'cc\t%s\n' "$(cc --version 2>/dev/null | head -n 1)"
printf 'python\t%s\n' "$(python3 --version 2>&1)"
version() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo -
}
for pkg in libyajl2 lua5.4 lua-cjson libjansson4 jq clips nodejs valgrind time; do
	printf 'pkg_%s\t%s\n' "$pkg" "$(version "$pkg")"
done
jre=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' "${DATA:-/tmp/ecorule-bench}/node/node_modules/json-rules-engine/package.json" 2>/dev/null | head -n 1)
printf 'json_rules_engine\t%s\n' "${jre:--}"
