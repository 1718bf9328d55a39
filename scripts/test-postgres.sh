#!/usr/bin/env bash
# Starts and stops a throw-away PostgreSQL cluster for tests, from Debian's
# postgresql package (PostgreSQL 15 by default; set PG_BIN to use another).
#
#   scripts/test-postgres.sh start DIR PORT   # prints the server URL
#   scripts/test-postgres.sh stop DIR
#
# The cluster lives in DIR, listens on 127.0.0.1:PORT only, trusts every local
# connection and trades durability for speed (fsync off): never keep data in
# it. Tests take the printed URL from LOTSE_TEST_POSTGRES:
#
#   export LOTSE_TEST_POSTGRES=$(scripts/test-postgres.sh start /tmp/lotse-pg 5433)
#
# initdb refuses to run as root, so as root the cluster belongs to the user
# postgres (created by the Debian package).
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
	for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
		if [[ -x "$d/initdb" ]]; then
			PG_BIN="$d"
			break
		fi
	done
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
	echo "test-postgres: no PostgreSQL server found (apt-get install postgresql, or set PG_BIN)" >&2
	exit 1
fi

usage() {
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
}

# as_owner runs a command as the cluster's owner: postgres when we are root,
# ourselves otherwise.
as_owner() {
	if [[ "$(id -u)" == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	local dir="$1" port="$2"
	[[ "$port" =~ ^[0-9]+$ ]] || usage
	mkdir -p "$dir"
	dir="$(cd "$dir" && pwd)"
	if [[ "$(id -u)" == 0 ]]; then
		chown postgres: "$dir"
	fi
	chmod 700 "$dir"
	local data="$dir/data"
	if [[ ! -f "$data/PG_VERSION" ]]; then
		as_owner "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			exit 1
		}
		# Trust, and only over TCP on 127.0.0.1 (and the socket in DIR).
		cat >"$data/pg_hba.conf" <<-EOF
			local all all                trust
			host  all all 127.0.0.1/32   trust
		EOF
	fi
	as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	local i
	for i in $(seq 1 60); do
		if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
			echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			return 0
		fi
		sleep 0.5
	done
	echo "test-postgres: server on port $port did not become ready; log:" >&2
	cat "$dir/server.log" >&2
	exit 1
}

stop() {
	local dir="$1"
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
	fi
}

case "${1:-}" in
start)
	[[ $# == 3 ]] || usage
	start "$2" "$3"
	;;
stop)
	[[ $# == 2 ]] || usage
	stop "$2"
	;;
*)
	usage
	;;
esac
