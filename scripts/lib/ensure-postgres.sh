#!/usr/bin/env bash
# Makes a PostgreSQL server available for the tests, idempotently, and prints its JDBC URL.
# Uses initdb/pg_ctl from PATH or /usr/lib/postgresql/*/bin; installs Debian's `postgresql`
# through apt-get when missing. The cluster lives under <repo>/.tools/postgres (data, log,
# socket; /tmp/identity-broker-postgres when the postgres user cannot reach the checkout), listens on 127.0.0.1:${IB_PG_PORT:-55432} only, trusts loopback connections (it is a
# throwaway test cluster) and runs as the `postgres` OS user when invoked as root (PostgreSQL
# refuses to run as root). Fails with a message when no server can be started: nothing is skipped.
#   ensure-postgres.sh         start if needed; print jdbc:postgresql://127.0.0.1:PORT/postgres
#   ensure-postgres.sh stop    stop it
# IB_PG_BASE puts the cluster in a directory of the caller's choosing (scripts/bench.sh gives each run
# its own); IB_PG_FSYNC=on keeps fsync on, as a production server has it (the tests' cluster turns it
# off: they kill processes, not machines, and a committed transaction is in the OS's cache either way).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${IB_PG_PORT:-55432}"
base="${IB_PG_BASE:-$root/.tools/postgres}"
data="$base/data"
log() { printf 'ensure-postgres: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

find_bin() {
  local name="$1" dir
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$dir/$name" ]] && { printf '%s\n' "$dir/$name"; return 0; }
  done
  return 1
}

if ! initdb="$(find_bin initdb)" || ! pg_ctl="$(find_bin pg_ctl)"; then
  [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed and this is not root: install the Debian package 'postgresql'"
  log "installing PostgreSQL with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || die "apt-get could not install postgresql"
  initdb="$(find_bin initdb)" && pg_ctl="$(find_bin pg_ctl)" || die "postgresql installed but initdb/pg_ctl not found"
fi

as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as_owner=(runuser -u postgres --)
  # The server runs as `postgres`, which may not be able to traverse the checkout (e.g. under
  # /root): then the cluster lives in a directory of its own under /tmp instead.
  if [[ -z "${IB_PG_BASE:-}" ]] && ! runuser -u postgres -- test -x "$root"; then
    base="${TMPDIR:-/tmp}/identity-broker-postgres"
    data="$base/data"
  fi
fi

if [[ "${1:-}" == "stop" ]]; then
  [[ -f "$data/postmaster.pid" ]] && "${as_owner[@]}" "$pg_ctl" -D "$data" -m fast stop >/dev/null || true
  exit 0
fi

# A server already answering on the port (another checkout's cluster, say) serves as well:
# the tests create a fresh database for each use.
if pg_isready="$(find_bin pg_isready)" && "$pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
  printf 'jdbc:postgresql://127.0.0.1:%s/postgres\n' "$port"
  exit 0
fi

mkdir -p "$base"
if [[ "$(id -u)" == 0 ]]; then chown postgres: "$base"; chmod 700 "$base"; fi
if [[ ! -f "$data/PG_VERSION" ]]; then
  log "creating a test cluster in $data"
  "${as_owner[@]}" "$initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$base/initdb.log" 2>&1 \
    || { cat "$base/initdb.log" >&2; die "initdb failed"; }
fi

fsync=off
[[ "${IB_PG_FSYNC:-off}" == on ]] && fsync=on
if ! "${as_owner[@]}" "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
  "${as_owner[@]}" "$pg_ctl" -D "$data" -l "$base/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$base -c max_connections=300 -c fsync=$fsync" \
    start >/dev/null || { tail -n 20 "$base/server.log" >&2; die "PostgreSQL did not start on 127.0.0.1:$port"; }
  log "PostgreSQL started on 127.0.0.1:$port (fsync=$fsync)"
fi
printf 'jdbc:postgresql://127.0.0.1:%s/postgres\n' "$port"
