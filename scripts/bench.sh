#!/usr/bin/env bash
# bench.sh: the broker against raw Vault and against step-ca in RA mode on the same Vault, side by
# side in one run (issues 7 and 15).
#
#   scripts/bench.sh [--quick] [--rsa] [--profile] [--keep] [load-generator options]
#   scripts/bench.sh --render [FILE.json]   re-render the markdown next to FILE.json (default docs/performance.json)
#
# Builds broker/target/broker.jar if needed and step-ca v0.30.2 from the Go module proxy into the
# versioned cache (scripts/lib/ensure-go-tool.sh; without Go, scenario (p) is reported as not
# measured, with the reason), starts its own dev OpenBao/Vault (scripts/vault-dev.sh on a free
# loopback port, own state directory) and the broker (H2 in a temporary directory, AppRole login,
# HTTPS on a free loopback port), creates tenant acme through the API, then compiles and runs the
# load generator, the package scripts/bench/loadgen (Main, Runner, one class per scenario, Report,
# JfrSummary):
#   (a) raw Vault pki-tenants/acme/sign/agent  vs  (p) step-ca POST /1.0/sign (RA mode, VaultCAS
#       on pki-tenants/acme/sign/step-ca, its own AppRole, JWK one-time tokens)  vs  (b) broker
#       enrollment exchange, alternating in rounds at each concurrency; leaves of all three checked
#       equivalent once per run
#   (c) token issuance over mTLS vs raw transit sign, (d) introspection
#   (e) the broker's resident memory at the end
# It prints a table and writes docs/performance.json with every figure and docs/performance.md
# rendered from it (a --quick run writes target/bench/performance-quick.{json,md} instead, so smoke
# runs never replace the recorded figures).
#
# Options:
#   --quick               ~1 s warm-up + 3 s per cell (develop the harness; figures are noisy)
#   --rsa                 RSA-2048 CSRs instead of EC P-256
#   --profile             after the measured cells, record the broker with JFR during exchanges at
#                         concurrency 32 and print where its time goes (target/bench/*.jfr, *.profile.txt)
#   --profile-at N        the same at concurrency N (implies --profile)
#   --profile-scenario S  profile scenario S instead: b (exchange, default), c (token) or d (introspection)
#   --jfr-settings NAME   JFR settings for the profile: profile (default) or default (less overhead)
#   --profiler NAME       jfr (default) or async: async-profiler's CPU timer instead of JFR (every thread, GC and JIT
#                         included; scripts/lib/ensure-async-profiler.sh fetches it with Maven)
#   --db NAME             the broker's database: h2 (default, an H2 file, as scripts/dev.sh runs it) or postgres:
#                         a PostgreSQL cluster of the run's own on loopback, with fsync on (as production runs it;
#                         scripts/lib/ensure-postgres.sh installs it with apt-get when missing), whose CPU per request
#                         gets a column of its own. Write its report elsewhere: --out docs/performance-postgres.md
#   --keep                keep the temporary directory (logs, H2 database, Vault state)
#   --duration S          measured seconds per cell (default 15, quick 3)
#   --rounds N            split them into N windows that alternate with the paired cell's (default 3, quick 1)
#   --warmup S            warm-up seconds per cell (default 4, quick 1)
#   --concurrency LIST    default 1,8,32
#   --scenarios LIST      subset of a,b,c,d,p (default all)
#   --csrs N              distinct CSRs to cycle (default 1024 EC, 64 RSA)
#   --max-requests N      cap per measured window (default 40000)
#   --out FILE            where to write the markdown report (the JSON goes next to it, FILE with .json)
#   --artifacts DIR       where --profile and --quick write (default target/bench)
# Environment:
#   BENCH_BROKER_JAVA_OPTS  JVM options for the broker (default @broker/jvm.options, as scripts/dev.sh runs
#                           it, with MALLOC_ARENA_MAX=2; "none" for a bare `java -jar`)
#   BENCH_BROKER_JAR        run this broker jar instead of building broker/target/broker.jar (before/after
#                           comparisons of a change)
#   BENCH_DB_URL            JDBC URL for the broker instead of a fresh H2 file (e.g. a PostgreSQL from
#                           scripts/lib/ensure-postgres.sh; use an empty database, the run leaves rows behind)
#   BENCH_LOADGEN_JAVA_OPTS JVM options for the load generator (default -XX:+UseSerialGC -Xmx512m)
#   BENCH_STEP_CA_BIN       a step-ca binary to use for (p) instead of building v0.30.2
#   VAULT_BIN               a vault/bao binary to use (else PATH, else .tools/bin/bao, see scripts/lib/ensure-bao.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

log() { printf 'bench.sh: %s\n' "$*" >&2; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 1; }

keep=0
db=h2
profiling=0
profiler=jfr
render=""
scenarios="a,b,c,d,p"
pass=()
command_line="scripts/bench.sh${*:+ $*}"
while (($#)); do
  case "$1" in
    -h | --help)
      awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
      exit 0
      ;;
    --keep) keep=1 ;;
    --db)
      (($# >= 2)) || die "$1 needs a value"
      [[ "$2" == h2 || "$2" == postgres ]] || die "--db is h2 or postgres"
      db="$2"
      shift
      ;;
    --render)
      render="${2:-docs/performance.json}"
      [[ $# -ge 2 ]] && shift
      ;;
    --quick | --rsa | --ec | --profile)
      [[ "$1" == --profile ]] && profiling=1
      pass+=("$1")
      ;;
    --profiler)
      (($# >= 2)) || die "$1 needs a value"
      [[ "$2" == jfr || "$2" == async ]] || die "--profiler is jfr or async"
      profiler="$2"
      profiling=1
      [[ " ${pass[*]} " == *" --profile "* ]] || pass+=(--profile)
      shift
      ;;
    --duration | --rounds | --warmup | --concurrency | --scenarios | --csrs | --max-requests | --out | --profile-at | --profile-scenario | --artifacts | --jfr-settings)
      (($# >= 2)) || die "$1 needs a value"
      [[ "$1" == --profile-at || "$1" == --profile-scenario || "$1" == --jfr-settings ]] && profiling=1
      [[ "$1" == --scenarios ]] && scenarios="$2"
      pass+=("$1" "$2")
      shift
      ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done

for tool in java curl python3; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# ------------------------------------------------------------------ build

if [[ -n "${BENCH_BROKER_JAR:-}" ]]; then
  jar="$(cd "$(dirname "$BENCH_BROKER_JAR")" && pwd -P)/$(basename "$BENCH_BROKER_JAR")"
  [[ -f "$jar" ]] || die "BENCH_BROKER_JAR=$BENCH_BROKER_JAR does not exist"
  log "broker jar: $jar (BENCH_BROKER_JAR)"
else
  jar="$root/broker/target/broker.jar"
  if [[ ! -f "$jar" ]] || [[ -n "$(find broker/src/main pom.xml broker/pom.xml -newer "$jar" -type f -print -quit)" ]]; then
    log "building the broker (mvn -B -q -DskipTests package)"
    mvn -B -q -ntp -DskipTests package
  fi
  [[ -f "$jar" ]] || die "no $jar after the build"
fi

# The load generator: a small package compiled against the jar (Jackson, BouncyCastle).
# (Per run, so that two runs on one checkout do not compile over each other.)
loadgen_classes="$(mktemp -d "${TMPDIR:-/tmp}/ib-bench-loadgen.XXXXXX")"
trap 'rm -rf "$loadgen_classes"' EXIT
javac -nowarn -d "$loadgen_classes" -cp "$jar" scripts/bench/loadgen/*.java || die "compiling scripts/bench/loadgen failed"

if [[ -n "$render" ]]; then
  [[ -f "$render" ]] || die "--render: no $render"
  java -cp "$jar:$loadgen_classes" loadgen.Main render "$render" "${render%.json}.md"
  log "rendered ${render%.json}.md from $render"
  exit 0
fi

# step-ca for (p): pinned, built once into the versioned cache.
step_ca_bin="${BENCH_STEP_CA_BIN:-}"
step_ca_missing=""
if [[ ",$scenarios," == *,p,* && -z "$step_ca_bin" ]]; then
  rc=0
  step_ca_bin="$(bash scripts/lib/ensure-go-tool.sh module github.com/smallstep/certificates/cmd/step-ca v0.30.2)" || rc=$?
  case "$rc" in
    0) log "step-ca: $step_ca_bin"; export BENCH_STEP_CA_VERSION=v0.30.2 ;;
    3) step_ca_bin=""; step_ca_missing="Go is not installed, so step-ca v0.30.2 could not be built (scripts/lib/ensure-go-tool.sh)" ;;
    *) step_ca_bin=""; step_ca_missing="building step-ca v0.30.2 failed (scripts/lib/ensure-go-tool.sh exit $rc)" ;;
  esac
fi

# ------------------------------------------------------------------ temporary state, clean-up

work="$(mktemp -d "${TMPDIR:-/tmp}/ib-bench.XXXXXX")"
vault_state="$work/vault"
broker_pid=""
vault_port=""
pg_base=""
pg_port=""

cleanup() {
  local rc=$?
  rm -rf "$loadgen_classes"
  if [[ -n "$broker_pid" ]] && kill -0 "$broker_pid" 2>/dev/null; then
    kill "$broker_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$broker_pid" 2>/dev/null || true
  fi
  if [[ -n "$vault_port" ]]; then
    VAULT_DEV_PORT="$vault_port" IB_STATE_DIR="$vault_state" bash scripts/vault-dev.sh stop >/dev/null 2>&1 || true
  fi
  if [[ -n "$pg_base" ]]; then
    IB_PG_BASE="$pg_base" IB_PG_PORT="$pg_port" bash scripts/lib/ensure-postgres.sh stop >/dev/null 2>&1 || true
    ((keep || rc != 0)) || rm -rf "$pg_base"
  fi
  if ((keep)); then
    log "kept $work (broker.log, vault/vault.log, db/)"
  elif ((rc != 0)); then
    log "failed; logs kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port [PAIR]: a free loopback TCP port (with PAIR, PORT+1 free too: a dev Vault binds both).
free_port() {
  python3 - "${1:-}" <<'PY'
import socket, sys
pair = sys.argv[1] == "pair"
for _ in range(50):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    ok = port < 65535
    if ok and pair:
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", port + 1))
        except OSError:
            ok = False
        t.close()
    s.close()
    if ok:
        print(port); sys.exit(0)
sys.exit("no free port")
PY
}

# ------------------------------------------------------------------ Vault

vault_port="$(free_port pair)"
log "starting a dev Vault on 127.0.0.1:$vault_port (state: $vault_state)"
VAULT_DEV_PORT="$vault_port" IB_STATE_DIR="$vault_state" IB_DEV_TENANTS=acme \
  bash scripts/vault-dev.sh >"$work/vault-dev.out" 2>&1 || { cat "$work/vault-dev.out" >&2; die "vault-dev.sh failed"; }
set -a
# shellcheck disable=SC1091
. "$vault_state/env"
set +a
vault_pid="$(cat "$vault_state/vault.pid" 2>/dev/null || echo 0)"
vault_bin="$(bash scripts/lib/ensure-bao.sh 2>/dev/null)" || vault_bin=""
vault_version="$([[ -n "$vault_bin" ]] && "$vault_bin" version 2>/dev/null | head -n 1 || echo unknown)"

# ------------------------------------------------------------------ broker

broker_port="$(free_port)"
broker_java_opts="${BENCH_BROKER_JAVA_OPTS:-@$root/broker/jvm.options}"
[[ "$broker_java_opts" == none ]] && broker_java_opts=""
# The broker runs in its own directory: anchor relative @argfiles at the checkout.
resolved=()
for opt in $broker_java_opts; do
  [[ "$opt" == @* && "$opt" != @/* ]] && opt="@$root/${opt#@}"
  resolved+=("$opt")
done
broker_java_opts="${resolved[*]}"
# Starting JFR in a running JVM retransforms classes and deoptimises compiled code, which slowed the
# profiled window several-fold; started with the JVM (and stopped by the load generator before measuring),
# JFR is set up once and the later profile records a broker in its normal state.
if ((profiling)) && [[ "$profiler" == async ]]; then
  async_lib="$(bash "$root/scripts/lib/ensure-async-profiler.sh")" || die "--profiler async: async-profiler is not available here"
  pass+=(--async-profiler "$async_lib")
elif ((profiling)); then
  broker_java_opts="$broker_java_opts -XX:StartFlightRecording=name=ib-launch,settings=default"
fi
mkdir -p "$work/broker" "$work/db"
broker_url="https://127.0.0.1:$broker_port"
db_url="${BENCH_DB_URL:-jdbc:h2:file:$work/db/broker;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000;QUERY_CACHE_SIZE=64;CACHE_SIZE=2048;RETENTION_TIME=5000}"
db_label="H2 file in $work/db"
db_pid=0
[[ -n "${BENCH_DB_URL:-}" ]] && db_label="${BENCH_DB_URL%%\?*} (BENCH_DB_URL)"
if [[ "$db" == postgres ]]; then
  [[ -z "${BENCH_DB_URL:-}" ]] || die "--db postgres starts a PostgreSQL of its own: unset BENCH_DB_URL"
  # Its own cluster, so that its CPU is the broker's load alone; under /tmp, where the postgres user can reach it.
  pg_base="$(mktemp -d /tmp/ib-bench-pg.XXXXXX)"
  pg_port="$(free_port)"
  IB_PG_BASE="$pg_base" IB_PG_PORT="$pg_port" IB_PG_FSYNC=on bash scripts/lib/ensure-postgres.sh >/dev/null 2>"$work/postgres.out" \
    || { cat "$work/postgres.out" >&2; die "PostgreSQL did not start (scripts/lib/ensure-postgres.sh)"; }
  db_pid="$(head -n 1 "$pg_base/data/postmaster.pid")"
  db_url="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres"
  db_label="PostgreSQL $(cat "$pg_base/data/PG_VERSION") on loopback, its own cluster for this run (fsync on, synchronous_commit on, otherwise defaults)"
fi
log "starting the broker on $broker_url ($db_label)"
# shellcheck disable=SC2086
(
  cd "$work/broker"
  unset VAULT_TOKEN JAVA_TOOL_OPTIONS
  export BROKER_PORT="$broker_port" MICRONAUT_SERVER_HOST=127.0.0.1
  export BROKER_DB_URL="$db_url"
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  exec java $broker_java_opts -jar "$jar"
) >"$work/broker.log" 2>&1 &
broker_pid=$!

for _ in $(seq 1 180); do
  curl -fsS -m 2 --cacert "$IB_ROOT_CA_FILE" "$broker_url/health" >/dev/null 2>&1 && break
  kill -0 "$broker_pid" 2>/dev/null || { tail -n 30 "$work/broker.log" >&2; die "the broker exited during start-up"; }
  sleep 0.5
done
curl -fsS -m 2 --cacert "$IB_ROOT_CA_FILE" "$broker_url/health" >/dev/null || die "the broker did not become healthy in 90 s"

code="$(curl -sS -m 20 --cacert "$IB_ROOT_CA_FILE" -o "$work/tenant.json" -w '%{http_code}' -X POST "$broker_url/api/v1/tenants" \
  -H "Authorization: Bearer $IB_PLATFORM_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"id\": \"acme\", \"display_name\": \"Acme Corp\", \"trust_domain\": \"$IB_TRUST_DOMAIN\"}")"
[[ "$code" == 201 ]] || die "creating tenant acme answered $code: $(cat "$work/tenant.json")"
log "tenant acme created; running the load generator"

# ------------------------------------------------------------------ load generator

export BENCH_BROKER_URL="$broker_url" BENCH_BROKER_PID="$broker_pid" BENCH_VAULT_PID="$vault_pid" BENCH_DB_PID="$db_pid" BENCH_TENANT=acme
export BENCH_CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
export BENCH_JAVA_VERSION="$(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')"
export BENCH_VAULT_VERSION="$vault_version" BENCH_COMMAND="$command_line"
export BENCH_WORK_DIR="$work" BENCH_STEP_CA_BIN="$step_ca_bin" BENCH_STEP_CA_MISSING="$step_ca_missing"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export BENCH_BROKER_JAVA_OPTS="${broker_java_opts/#@$root\//@}" BENCH_DB_LABEL="${db_label%% in /*}"
[[ -n "${BENCH_BROKER_JAR:-}" ]] && export BENCH_BROKER_JAR_LABEL="$jar"
# shellcheck disable=SC2086
env -u JAVA_TOOL_OPTIONS java ${BENCH_LOADGEN_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m} -cp "$jar:$loadgen_classes" \
  loadgen.Main "${pass[@]}"
