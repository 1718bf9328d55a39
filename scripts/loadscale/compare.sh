#!/usr/bin/env bash
# Runs the same loadscale workloads against two builds on the same
# database, one after the other for each workload (baseline first), so
# that both meet the same moment of a shared machine:
#
#   scripts/loadscale/compare.sh BASE NEW "--data DIR | --database URL" [loadscale flags...]
#
# Prints one table row per workload and build. Each build is started
# once per workload (a cold start each time), warmed up for a second by
# loadscale itself. WORKLOADS="a b" runs only those workloads.
set -euo pipefail
base="$1"; new="$2"; db="$3"; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
workloads="${WORKLOADS:-$("${LOADSCALE:-loadscale}" -list "$@")}"
echo "| workload | build | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
for w in $workloads; do
	for b in "$base" "$new"; do
		row=$(LOADSCALE="${LOADSCALE:-loadscale}" "$here/run.sh" "$b" "$db" "$@" -only "$w" | grep "^| $w ")
		echo "$row" | sed "s#^| $w |#| $w | $(basename "$b") |#"
	done
done
