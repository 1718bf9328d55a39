#!/usr/bin/env bash
# Starts `lotse serve` on a prepared database, prints the time from the
# process start to the first /readyz 200, runs loadscale against it with
# the given flags and prints the server's peak RSS.
#
#   scripts/loadscale/run.sh BINARY "--data DIR | --database URL" [loadscale flags...]
#
# INSTANCES=2 starts two servers on the same database (PostgreSQL, or the
# same SQLite folder); the booking clients are spread over both
# (-book-urls), the other workloads go to the first.
set -euo pipefail
bin="$1"; db="$2"; shift 2
n="${INSTANCES:-1}"
first=$((20000 + RANDOM % 20000))
pids=(); logs=(); urls=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done; rm -f "${logs[@]}"' EXIT
start=$(date +%s.%N)
for i in $(seq 0 $((n - 1))); do
	port=$((first + i))
	log="$(mktemp)"
	# shellcheck disable=SC2086
	"$bin" serve $db --addr "127.0.0.1:$port" >"$log" 2>&1 &
	pids+=($!); logs+=("$log"); urls+=("http://127.0.0.1:$port")
	for _ in $(seq 6000); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
		kill -0 "${pids[$i]}" 2>/dev/null || { cat "$log"; exit 1; }
		sleep 0.01
	done
	ready=$(echo "$(date +%s.%N) - $start" | bc)
	echo "instance $((i + 1)) ready after ${ready} s"
	start=$(date +%s.%N)
done
more=()
if [ "$n" -gt 1 ]; then
	more=(-book-urls "$(IFS=,; echo "${urls[*]}")")
fi
"${LOADSCALE:-loadscale}" -url "${urls[0]}" "${more[@]}" "$@"
for i in "${!pids[@]}"; do
	echo "server $((i + 1)) peak RSS $(awk '/VmHWM/ {print $2}' "/proc/${pids[$i]}/status") kB"
done
