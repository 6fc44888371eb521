#!/usr/bin/env bash
# The whole suite: every test on SQLite and, when MBC_TEST_DATABASE_URL names a PostgreSQL
# database, every test that uses a database again on PostgreSQL (but the Chromium journeys, which
# the database does not change).
#
# With no arguments the suite runs as three processes side by side: the SQLite tests without a
# browser, the Chromium journeys (on SQLite) and the PostgreSQL pass. Each spends much of its time
# waiting (on Chromium, on its database, on the disk), so three of them keep two cores busy and the
# suite takes about half as long as one process would. Each pass has its own temporary folder;
# their outputs are printed one after another. With arguments (a file, -k, -x ...) the chosen
# tests run in one SQLite process, and on PostgreSQL beside it when a URL is set.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
POSTGRESQL_URL="${MBC_TEST_DATABASE_URL:-}"

if [ "$#" -gt 0 ] && [ -z "$POSTGRESQL_URL" ]; then
  exec "$BIN/pytest" "$@"
fi

work="$(mktemp -d -t mbc-test-passes.XXXXXX)"
names=()
pids=()

start() {  # start NAME ENV... -- PYTEST-ARGS...: one pass in the background, logged to its file
  local name="$1"
  shift
  local env=()
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  mkdir -p "$work/$name"
  env "${env[@]}" "$BIN/pytest" -p no:cacheprovider --basetemp="$work/$name/tmp" "$@" \
    >"$work/$name/log" 2>&1 &
  names+=("$name")
  pids+=("$!")
}

if [ "$#" -gt 0 ]; then
  start sqlite MBC_TEST_DATABASE_URL= -- "$@"
else
  # each pass names its slowest tests, so a run that nears ten minutes says where the time went
  start sqlite MBC_TEST_DATABASE_URL= -- -m "not browser" --durations=15
  start chromium MBC_TEST_DATABASE_URL= -- -m browser --durations=15
fi
if [ -n "$POSTGRESQL_URL" ]; then
  [ "$#" -gt 0 ] && chosen=("$@") || chosen=(--durations=15)
  start postgresql MBC_TEST_DATABASE_URL="$POSTGRESQL_URL" MBC_TEST_DB_ONLY=1 -- "${chosen[@]}"
fi
echo "== running side by side: ${names[*]} (each pass's output follows when all have ended)"

status=0
summary=()
for i in "${!names[@]}"; do
  wait "${pids[$i]}"
  code=$?
  # 5 is "no test collected": a pass the chosen arguments leave empty has nothing to fail
  [ "$code" -eq 5 ] && code=0
  [ "$code" -ne 0 ] && status=1
  summary+=("${names[$i]}: exit $code")
done
for name in "${names[@]}"; do
  echo "== ${name}"
  cat "$work/$name/log"
done
rm -rf "$work"
echo "== ${summary[*]}"
exit "$status"
