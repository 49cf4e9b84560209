#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh <command…>
#
# Runs the command with a throwaway PostgreSQL cluster: initdb into a temporary folder, start it on
# a free loopback port, export TEST_PG_URL=postgres://giliran@127.0.0.1:<port>/postgres, run the
# command (TEST_PG_BINDIR names the server's bin folder: pg_dump, pg_restore), then stop the
# cluster and delete the folder (also on failure or Ctrl-C). The exit code
# is the command's. As root (CI), the cluster runs as the `postgres` system user, since PostgreSQL
# refuses to run as root. With TEST_PG_URL already set, the command runs against that server.
#
# The cluster is for tests only: fsync is off (nothing here survives the run anyway).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/with-postgres.sh <command…>" >&2
  exit 2
fi

if [ -n "${TEST_PG_URL:-}" ]; then
  exec "$@"
fi

# The newest installed server binaries (Debian: /usr/lib/postgresql/<major>/bin), else PATH.
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir="$d"; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL is not installed (no initdb/pg_ctl). Install it: apt-get install -y postgresql" >&2
  exit 1
fi

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
dir="$(mktemp -d "${TMPDIR:-/tmp}/giliran-pg.XXXXXX")"

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root, but there is no 'postgres' system user to run the server as" >&2
    exit 1
  fi
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

stop_cluster() {
  local code=$?
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$code"
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" --username=giliran --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }

opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w -t 60 start >/dev/null; then
  cat "$dir/server.log" >&2 || true
  echo "with-postgres: the PostgreSQL server did not start" >&2
  exit 1
fi

export TEST_PG_URL="postgres://giliran@127.0.0.1:$port/postgres"
# The client tools of the same version (pg_dump, pg_restore, psql), for tests that use them.
export TEST_PG_BINDIR="$bindir"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $dir)" >&2
"$@"
