#!/usr/bin/env bash
# Print a PostgreSQL URL for the test suite, or nothing.
# Uses a server already on 127.0.0.1:5432 (trust auth, database `test`); in CI, installs and
# starts Debian's PostgreSQL when none is there. Progress goes to stderr.
set -uo pipefail

port_open() { python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(2); sys.exit(s.connect_ex(("127.0.0.1",5432)))'; }

if port_open; then
  echo "postgresql+psycopg://postgres@127.0.0.1:5432/test"
  exit 0
fi
if [ "${CI:-}" != "true" ]; then exit 0; fi

echo "no PostgreSQL on 127.0.0.1:5432: installing Debian's" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql; } >&2 || exit 0
version=$(ls /etc/postgresql | sort -V | tail -n 1)
$SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
for _ in $(seq 1 20); do port_open && break; sleep 0.5; done
$SUDO runuser -u postgres -- psql -qc "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='mbc') THEN CREATE ROLE mbc LOGIN SUPERUSER PASSWORD 'mbc'; END IF; END\$\$;" >&2 || exit 0
$SUDO runuser -u postgres -- createdb -O mbc mbc_test >&2 2>/dev/null || true
echo "postgresql+psycopg://mbc:mbc@127.0.0.1:5432/mbc_test"
