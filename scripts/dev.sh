#!/usr/bin/env bash
# Runs the broker for development: a dev Vault (OpenBao) configured with a demo tenant, the
# broker built if needed and started on https://localhost:8443 with an embedded H2 database
# under ./data. Prints the commands of a first enrollment. Ctrl-C stops the broker (the dev
# Vault keeps running; `scripts/vault-dev.sh stop` stops it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/vault-dev.sh
state="${IB_STATE_DIR:-$root/.tools/dev-vault}"
set -a
# shellcheck disable=SC1091
. "$state/env"
set +a

jar="broker/target/broker.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find broker/src pom.xml broker/pom.xml -newer "$jar" -type f -print -quit)" ]]; then
  echo "dev.sh: building the broker"
  mvn -B -q -ntp -DskipTests package
fi

# The broker authenticates to Vault with its AppRole, exactly as in production.
unset VAULT_TOKEN
export BROKER_PORT="${BROKER_PORT:-8443}"
mkdir -p data
# JVM sizing and malloc arenas: see broker/jvm.options and docs/operations.md.
MALLOC_ARENA_MAX=2 java @broker/jvm.options -jar "$jar" &
broker_pid=$!
trap 'kill "$broker_pid" 2>/dev/null || true' EXIT INT TERM

url="https://localhost:$BROKER_PORT"
for _ in $(seq 1 120); do
  curl -fsS --cacert "$IB_ROOT_CA_FILE" "$url/health" >/dev/null 2>&1 && break
  kill -0 "$broker_pid" 2>/dev/null || { echo "dev.sh: the broker exited" >&2; exit 1; }
  sleep 0.5
done

# The demo tenant: created once (a 409 on later runs is fine).
curl -sS --cacert "$IB_ROOT_CA_FILE" -o /dev/null -X POST "$url/api/v1/tenants" \
  -H "Authorization: Bearer $IB_PLATFORM_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"id\": \"acme\", \"display_name\": \"Acme Corp\", \"trust_domain\": \"$IB_TRUST_DOMAIN\"}" || true

cat <<MSG

Identity Broker is running at $url (Vault: $VAULT_ADDR, database: ./data)
Tenant 'acme' is ready. Its admin's Vault token is in $state/env (IB_ADMIN_TOKEN_ACME).

First enrollment, in another terminal:
  scripts/enroll-example.sh      (writes the agent's key and secret under .tools/agents/acme/)
or by hand, step by step through token, introspection, rotation, revocation and the audit
trail: README.md, "Protocol reference" (with  set -a; . $state/env; set +a  and  B=$url).

Ctrl-C stops the broker.
MSG
wait "$broker_pid"
