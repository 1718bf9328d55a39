#!/usr/bin/env bash
# Starts `lotse serve` on a prepared database, prints the time from the
# process start to the first /readyz 200, runs loadscale against it with
# the given flags and prints the server's peak RSS.
#
#   scripts/loadscale/run.sh BINARY "--data DIR | --database URL" [loadscale flags...]
set -euo pipefail
bin="$1"; db="$2"; shift 2
port=$((20000 + RANDOM % 20000))
log="$(mktemp)"
start=$(date +%s.%N)
# shellcheck disable=SC2086
"$bin" serve $db --addr "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 6000); do
	curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
	kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
	sleep 0.01
done
ready=$(echo "$(date +%s.%N) - $start" | bc)
echo "ready after ${ready} s"
"${LOADSCALE:-loadscale}" -url "http://127.0.0.1:$port" "$@"
echo "server peak RSS $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB"
