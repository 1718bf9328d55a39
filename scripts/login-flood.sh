#!/usr/bin/env bash
# Fires N parallel API logins at a fresh `lotse serve --demo` (SQLite) and
# prints the server's peak resident memory and the status codes it answered.
# Used for the login-limit figures in docs/benchmarks.md:
#
#   scripts/login-flood.sh BINARY [N] [unknown|known]
#
# unknown: every login names a different address that has no account;
# known: every login names anna@futurehausen.example with a wrong password.
set -euo pipefail
bin="$1"; n="${2:-80}"; mode="${3:-unknown}"
dir="$(mktemp -d)"; port=$((20000 + RANDOM % 20000))
"$bin" serve --demo --data "$dir" --addr "127.0.0.1:$port" >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
peak=0
( while kill -0 $pid 2>/dev/null; do
	awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null >"$dir/hwm" || true; sleep 0.05
done ) &
watcher=$!
before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
seq "$n" | xargs -P "$n" -I{} sh -c '
	if [ "$1" = unknown ]; then email="nobody{}@nowhere.example"; else email="anna@futurehausen.example"; fi
	curl -s -o /dev/null -w "%{http_code}\n" -H "Content-Type: application/json" \
		-d "{\"email\":\"$email\",\"password\":\"falsch-falsch\"}" "http://127.0.0.1:$2/api/v1/auth/login"
' _ "$mode" "$port" | sort | uniq -c | tr '\n' ' '
sleep 0.3
kill $watcher 2>/dev/null || true
peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "| mode $mode, $n parallel | RSS before ${before} kB | peak ${peak} kB |"
