#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server on loopback, then stops it.
#   scripts/with-postgres.sh <command...>
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[[ -x "$PGBIN/initdb" ]] || { echo "PostgreSQL is not installed (run scripts/setup-system.sh test)" >&2; exit 1; }
# A free loopback port unless one is given, so two runs on one machine never collide.
PORT=${HEARTH_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
DATA=$(mktemp -d /tmp/hearth-pg.XXXXXX)
RUN_AS=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$DATA"
  RUN_AS=(runuser -u postgres --)
fi
stop() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap stop EXIT
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"${RUN_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE ROLE hearth LOGIN CREATEDB" \
  -c "CREATE DATABASE hearth OWNER hearth" >/dev/null
export DATABASE_URL="postgres://hearth@127.0.0.1:$PORT/hearth"
"$@"
