#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the test suite and print its URL.
# Installs Debian's postgresql package when the server is missing.
set -euo pipefail

port="${PGTEST_PORT:-54329}"
dir="${PGTEST_DIR:-/tmp/mentorbot-pgtest}"

initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
fi
bin=$(dirname "$initdb")

run_as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

if [ -f "$dir/data/postmaster.pid" ]; then
  run_as_postgres "$bin/pg_ctl -D $dir/data -m fast stop" >&2 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = "0" ] && chown postgres "$dir"
run_as_postgres "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
run_as_postgres "$bin/pg_ctl -D $dir/data -l $dir/server.log -w \
  -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >&2
run_as_postgres "$bin/createdb -h 127.0.0.1 -p $port -U postgres mentorbot_test"
echo "postgres://postgres@127.0.0.1:$port/mentorbot_test"
