#!/usr/bin/env bash
# agent-soak.sh: ib-agent's rotation soak. Starts its own dev OpenBao and broker on free loopback
# ports, gives tenant "acme" a role of a few seconds' certificate lifetime, enrolls an agent with
# scripts/ib-agent, runs the daemon, and keeps an mTLS client busy against a test server
# (openssl s_server) that trusts the agent's bundle, re-reading the files for every connection.
# Prints the failed-request count, the daemon's resident memory over time and the time from
# start to a served socket. Exit 0 when there was no failed request.
#
#   scripts/agent-soak.sh [--rotations N] [--ttl 6s] [--renew-at 0.6667] [--keep]
#
# Needs java, curl, openssl, python3; builds the jars when missing (mvn package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
log() { printf 'agent-soak: %s\n' "$*" >&2; }
die() { printf 'agent-soak: error: %s\n' "$*" >&2; exit 1; }

rotations=100 ttl=6s renew_at=0.6667 keep=0
while (($#)); do
  case "$1" in
    --rotations) rotations="$2"; shift ;;
    --ttl) ttl="$2"; shift ;;
    --renew-at) renew_at="$2"; shift ;;
    --keep) keep=1 ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
for tool in java curl openssl python3; do command -v "$tool" >/dev/null || die "$tool is required"; done

if [[ ! -f broker/target/broker.jar || ! -f agent/target/ib-agent.jar ]]; then
  log "building broker.jar and ib-agent.jar (mvn -pl broker,agent package -DskipTests)"
  mvn -B -q -ntp -pl broker,agent -DskipTests package
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ib-agent-soak.XXXXXX")"
vault_state="$work/vault" broker_pid="" agent_pid="" server_pid="" vault_port=""
cleanup() {
  local rc=$?
  for pid in "$agent_pid" "$server_pid" "$broker_pid"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  sleep 1
  [[ -n "$vault_port" ]] && VAULT_DEV_PORT="$vault_port" IB_STATE_DIR="$vault_state" bash scripts/vault-dev.sh stop >/dev/null 2>&1 || true
  if ((keep)) || ((rc != 0)); then log "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_pair() {
  python3 - <<'PY'
import socket, sys
for _ in range(50):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); sys.exit(0)
    except OSError:
        pass
    finally:
        s.close(); t.close()
sys.exit("no free port pair")
PY
}
now_ms() { date +%s%3N; }

vault_port="$(free_pair)"
log "dev OpenBao on 127.0.0.1:$vault_port"
VAULT_DEV_PORT="$vault_port" IB_STATE_DIR="$vault_state" IB_DEV_TENANTS=acme bash scripts/vault-dev.sh >"$work/vault-dev.out" 2>&1 \
  || { cat "$work/vault-dev.out" >&2; die "vault-dev.sh failed"; }
set -a; . "$vault_state/env"; set +a
# set_role_ttl TTL: certificates of TTL, backdated 1 s instead of 30 s (lifetime TTL + 1 s). A role
# write replaces the whole role: read it, change three fields, write it back.
set_role_ttl() {
  curl -fsS -H "X-Vault-Token: $VAULT_TOKEN" "$VAULT_ADDR/v1/pki-tenants/acme/roles/agent" |
    python3 -c 'import json,sys; d={k:v for k,v in json.load(sys.stdin)["data"].items() if v is not None}; d.update(ttl=sys.argv[1], max_ttl=sys.argv[1], not_before_duration="1s"); print(json.dumps(d))' "$1" |
    curl -fsS -o /dev/null -H "X-Vault-Token: $VAULT_TOKEN" -X POST --data-binary @- "$VAULT_ADDR/v1/pki-tenants/acme/roles/agent"
}
# The enrolled certificate lives 60 s, so a slow start cannot outrun it; every renewal gets TTL.
set_role_ttl 60s

# The broker and the daemon run from copies of the jars, so a rebuild during the soak cannot pull them away.
cp broker/target/broker.jar "$work/broker.jar"
cp agent/target/ib-agent.jar "$work/ib-agent.jar"
export IB_AGENT_JAR="$work/ib-agent.jar"
broker_port="$(free_port)"
mkdir -p "$work/broker"
(
  cd "$work/broker"
  unset VAULT_TOKEN JAVA_TOOL_OPTIONS
  export BROKER_PORT="$broker_port" BROKER_ROTATION_GRACE=1m
  export BROKER_DB_URL="jdbc:h2:file:$work/db/broker;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=20000"
  exec java @"$root/broker/jvm.options" -jar "$work/broker.jar"
) >"$work/broker.log" 2>&1 &
broker_pid=$!
B="https://localhost:$broker_port"
for _ in $(seq 1 180); do
  curl -fsS -m 2 --cacert "$IB_ROOT_CA_FILE" "$B/health" >/dev/null 2>&1 && break
  kill -0 "$broker_pid" 2>/dev/null || { tail -30 "$work/broker.log" >&2; die "the broker exited"; }
  sleep 0.5
done
code="$(curl -sS -m 30 --cacert "$IB_ROOT_CA_FILE" -o "$work/tenant.json" -w '%{http_code}' -X POST "$B/api/v1/tenants" \
  -H "Authorization: Bearer $IB_PLATFORM_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"id\":\"acme\",\"display_name\":\"Acme\",\"trust_domain\":\"$IB_TRUST_DOMAIN\"}")"
[[ "$code" == 201 ]] || die "creating tenant acme answered $code: $(cat "$work/tenant.json")"
code="$(curl -sS -m 30 --cacert "$IB_ROOT_CA_FILE" -o "$work/token.json" -w '%{http_code}' -X POST "$B/api/v1/tenants/acme/enrollment-tokens" \
  -H "Authorization: Bearer $IB_ADMIN_TOKEN_ACME" -H 'Content-Type: application/json' \
  -d '{"ttl_seconds":600,"max_uses":1,"agent_name":"soak","scopes":["orders.read"]}')"
[[ "$code" == 201 ]] || die "issuing an enrollment token answered $code: $(cat "$work/token.json")"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/token.json" >"$work/token"

dir="$work/agent"
log "enrolling into $dir"
scripts/ib-agent enroll --broker "$B" --ca-file "$IB_ROOT_CA_FILE" --token-file "$work/token" --dir "$dir" >/dev/null
set_role_ttl "$ttl"

# The relying party: requires a client certificate chaining to the agent's bundle (read once).
server_port="$(free_port)"
openssl s_server -quiet -accept "127.0.0.1:$server_port" -cert "$BROKER_TLS_CERT_FILE" -key "$BROKER_TLS_KEY_FILE" \
  -CAfile "$dir/svid_bundle.pem" -Verify 2 -verify_return_error -www >"$work/server.log" 2>&1 &
server_pid=$!

t0="$(now_ms)"
scripts/ib-agent run --dir "$dir" --renew-at "$renew_at" --exec "true" >"$work/agent.log" 2>&1 &
agent_pid=$!
until [[ -S "$dir/agent.sock" ]]; do
  kill -0 "$agent_pid" 2>/dev/null || { cat "$work/agent.log" >&2; die "the daemon exited"; }
  sleep 0.01
done
socket_ms=$(($(now_ms) - t0))
log "socket served $socket_ms ms after start; waiting for $rotations rotations"

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$agent_pid/status"; }
count_rotations() { grep -c ' rotated serial=' "$work/agent.log" || true; }
ok=0 failed=0 last_report=0 rss_max=0
rss_series=()
while :; do
  done_rotations="$(count_rotations)"
  ((done_rotations >= rotations)) && break
  kill -0 "$agent_pid" 2>/dev/null || { tail -20 "$work/agent.log" >&2; die "the daemon exited"; }
  # Resolve 'current' once per connection: certificate and key from the same version (docs/agent.md).
  v="$(readlink -f "$dir/current")"
  if curl -fsS -m 5 --cacert "$IB_ROOT_CA_FILE" --cert "$v/svid.pem" --key "$v/svid_key.pem" \
      "https://localhost:$server_port/" -o /dev/null 2>>"$work/client-errors.log"; then
    ok=$((ok + 1))
  else
    failed=$((failed + 1))
  fi
  if ((done_rotations >= last_report + 10)); then
    last_report=$done_rotations
    r="$(rss_kib)"; ((r > rss_max)) && rss_max=$r
    rss_series+=("$done_rotations:$((r / 1024))MiB")
    log "rotations=$done_rotations requests ok=$ok failed=$failed rss=$((r / 1024)) MiB"
  fi
  sleep 0.05
done
r="$(rss_kib)"; ((r > rss_max)) && rss_max=$r
cat <<EOF
rotations:          $(count_rotations)
requests ok:        $ok
failed requests:    $failed
socket served after: ${socket_ms} ms
daemon RSS at end:  $((r / 1024)) MiB (max sampled $((rss_max / 1024)) MiB)
RSS by rotations:   ${rss_series[*]}
certificate ttl:    $ttl (+1 s backdating), renewal at $renew_at of the lifetime
EOF
((failed == 0))
