#!/usr/bin/env bash
# The whole suite: every test on SQLite and, when MBC_TEST_DATABASE_URL names a PostgreSQL
# database, every test that uses a database again on PostgreSQL. The two passes run side by side
# (each is one Python process, mostly waiting on its own database), which keeps the suite well
# under ten minutes; the PostgreSQL pass's output is printed after the SQLite pass's.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if [ -z "${MBC_TEST_DATABASE_URL:-}" ]; then
  exec "$BIN/pytest" "$@"
fi

log="$(mktemp -t mbc-postgresql-pass.XXXXXX.log)"
MBC_TEST_DB_ONLY=1 "$BIN/pytest" -p no:cacheprovider "$@" >"$log" 2>&1 &
postgresql=$!
echo "== SQLite: every test (the PostgreSQL pass runs beside it; its output follows)"
MBC_TEST_DATABASE_URL= "$BIN/pytest" "$@"
sqlite_status=$?
wait "$postgresql"
postgresql_status=$?
echo "== PostgreSQL: every test that uses the database"
cat "$log"
rm -f "$log"
echo "== SQLite pass: exit $sqlite_status; PostgreSQL pass: exit $postgresql_status"
[ "$sqlite_status" -eq 0 ] && [ "$postgresql_status" -eq 0 ]
