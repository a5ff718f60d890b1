#!/usr/bin/env bash
# Enrolls one agent the way an agent would, with openssl and curl:
#   1. a tenant admin issues a one-time enrollment token (Vault token auth),
#   2. the agent makes a key and a CSR locally (the key never leaves the agent),
#   3. the agent trades token + CSR for its Vault-signed SPIFFE certificate and agent secret.
# Environment (defaults fit scripts/dev.sh):
#   BROKER_URL (https://localhost:8443), TENANT (acme), ADMIN_TOKEN (the tenant admin's Vault token,
#   default IB_ADMIN_TOKEN_ACME from the dev env file), CA_FILE (root CA that signed the broker's
#   TLS certificate), OUT_DIR (where the agent's files go, default <repo>/.tools/agents/<tenant>,
#   ignored by git; a directory inside the checkout that git does not ignore is refused, so a key
#   or secret never lands in a tracked path).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="${IB_STATE_DIR:-$root/.tools/dev-vault}/env"
if [[ -f "$env_file" ]]; then
  # shellcheck disable=SC1090
  set -a; . "$env_file"; set +a
fi
BROKER_URL="${BROKER_URL:-https://localhost:8443}"
TENANT="${TENANT:-acme}"
tenant_var="IB_ADMIN_TOKEN_$(printf '%s' "$TENANT" | tr 'a-z-' 'A-Z_')"
ADMIN_TOKEN="${ADMIN_TOKEN:-${!tenant_var:-}}"
CA_FILE="${CA_FILE:-${IB_ROOT_CA_FILE:-}}"
OUT_DIR="${OUT_DIR:-$root/.tools/agents/$TENANT}"
[[ -n "$ADMIN_TOKEN" ]] || { echo "set ADMIN_TOKEN (a Vault token with create on identity-broker/tenants/$TENANT/enrollment-tokens)" >&2; exit 2; }
[[ -n "$CA_FILE" ]] || { echo "set CA_FILE (the CA that signed the broker's TLS certificate)" >&2; exit 2; }
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

created=""; [[ -d "$OUT_DIR" ]] || created=1
mkdir -p "$OUT_DIR"
chmod 700 "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd -P)"
case "$OUT_DIR/" in
  "$(cd "$root" && pwd -P)/"*)
    if ! git -C "$root" check-ignore -q "$OUT_DIR/agent.key"; then
      [[ -z "$created" ]] || rmdir "$OUT_DIR"
      echo "OUT_DIR $OUT_DIR is inside the checkout and not ignored by git: choose another (default .tools/agents/$TENANT)" >&2
      exit 2
    fi ;;
esac
echo "agent files go to $OUT_DIR (mode 700)"

echo "1. tenant admin issues a single-use enrollment token for $TENANT"
token="$(curl -fsS --cacert "$CA_FILE" -X POST "$BROKER_URL/api/v1/tenants/$TENANT/enrollment-tokens" \
  -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"ttl_seconds": 600, "max_uses": 1, "agent_name": "example-agent", "scopes": ["orders.read"]}' | json token)"

echo "2. agent generates an EC P-256 key and a CSR (no SAN: the broker assigns the identity)"
openssl ecparam -name prime256v1 -genkey -noout -out "$OUT_DIR/agent.key" 2>/dev/null
chmod 600 "$OUT_DIR/agent.key"
openssl req -new -key "$OUT_DIR/agent.key" -subj "/CN=example-agent" -out "$OUT_DIR/agent.csr"

echo "3. agent exchanges token + CSR"
python3 - "$token" "$OUT_DIR/agent.csr" >"$OUT_DIR/request.json" <<'PY'
import json, sys
print(json.dumps({"token": sys.argv[1], "csr": open(sys.argv[2]).read()}))
PY
curl -fsS --cacert "$CA_FILE" -X POST "$BROKER_URL/api/v1/agent-enrollment/exchange" \
  -H 'Content-Type: application/json' --data-binary "@$OUT_DIR/request.json" >"$OUT_DIR/response.json"
rm -f "$OUT_DIR/request.json"
chmod 600 "$OUT_DIR/response.json"
python3 - "$OUT_DIR" <<'PY'
import json, os, sys
out = sys.argv[1]
r = json.load(open(os.path.join(out, "response.json")))
open(os.path.join(out, "agent.crt"), "w").write(r["certificate"])
open(os.path.join(out, "ca-chain.pem"), "w").write("".join(c if c.endswith("\n") else c + "\n" for c in r["ca_chain"]))
fd = os.open(os.path.join(out, "agent.secret"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, r["agent_secret"].encode()); os.close(fd)
open(os.path.join(out, "agent.id"), "w").write(r["agent_id"] + "\n")
print("   agent_id:      ", r["agent_id"])
print("   spiffe_id:     ", r["spiffe_id"])
print("   serial_number: ", r["serial_number"])
print("   x5t#S256:      ", r["x5t#S256"])
print("   not_after:     ", r["not_after"])
PY
rm -f "$OUT_DIR/response.json"
openssl verify -CAfile "$CA_FILE" -untrusted "$OUT_DIR/ca-chain.pem" "$OUT_DIR/agent.crt"
echo "files in $OUT_DIR: agent.id agent.key agent.crt ca-chain.pem agent.secret (the secret is shown nowhere else)"
