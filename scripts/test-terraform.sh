#!/usr/bin/env bash
# test-terraform.sh: check and exercise the Terraform modules against a throw-away OpenBao/Vault.
#
#   1. OpenTofu + the hashicorp/vault provider from scripts/lib/ensure-tofu.sh (built once, cached)
#   2. a fresh dev server on a free loopback port (binary from scripts/lib/ensure-bao.sh)
#   3. tofu fmt -check -recursive terraform/
#   4. tofu init + validate for every module and for examples/complete
#   5. tofu apply of examples/complete as Terraform's own AppRole (auth_login, terraform-policy.hcl), then checks through the broker's own AppRole login:
#      it can sign an EC P-256 CSR on pki-tenants/acme/sign/agent with the tenant's SPIFFE ID
#      (and nothing outside its policy), read the tenant declarations, sign with the JWT key
#   6. enroll_agents_with_broker (placeholder, see below)
#   7. tofu plan -detailed-exitcode must report no changes
#   8. tofu destroy, and the mounts are gone
#   9. pki-root in intermediate mode: CSR out, certificate of an offline root (openssl) in,
#      a tenant below it whose agents chain to the offline root; no drift; destroy
#
# All Terraform work happens in a temporary copy of terraform/ and vault-policies/ (state, lock
# files and .terraform/ included), so the checkout stays clean. The server is killed on exit.
# Last line: "test-terraform: N passed, M failed"; the exit code is non-zero when M > 0.
#
# Environment: IB_CACHE_DIR (build cache, see ensure-tofu.sh), KEEP_WORKDIR=1 (keep the temp dir).

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PASSED=0
FAILED=0
WORK=""
BAO_PID=""

log() { printf '\n==> %s\n' "$*" >&2; }
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL  %s\n' "$*"; }
# check "description" command...: runs the command, records the outcome.
check() {
  local what="$1"
  shift
  if "$@" >"$WORK/last.out" 2>&1; then
    pass "$what"
  else
    fail "$what"
    sed 's/^/        /' "$WORK/last.out" | tail -n 40
  fi
}
# check_fails "description" command...: the command must fail (a denied request, say).
check_fails() {
  local what="$1"
  shift
  if "$@" >"$WORK/last.out" 2>&1; then
    fail "$what (it succeeded)"
    sed 's/^/        /' "$WORK/last.out" | tail -n 20
  else
    pass "$what"
  fi
}

cleanup() {
  local rc=$?
  [[ -n "${BROKER_PID:-}" ]] && kill "$BROKER_PID" 2>/dev/null || true
  if [[ -n "$BAO_PID" ]] && kill -0 "$BAO_PID" 2>/dev/null; then
    kill "$BAO_PID" 2>/dev/null || true
    wait "$BAO_PID" 2>/dev/null || true
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${KEEP_WORKDIR:-0}" == 1 || $rc -ne 0 ]]; then
      printf 'test-terraform: work directory kept: %s\n' "$WORK" >&2
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

json_get() { # json_get FILE PYTHON-EXPR-ON-d
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# The real broker on the apply's outputs: it logs in with the AppRole Terraform made, syncs the
# tenants Terraform declared in KV (BROKER_TENANTS_SOURCE=api,vault-kv), and enrolls one agent in
# each; every certificate must chain to the root Terraform created.
# ---------------------------------------------------------------------------------------------
BROKER_PID=""
enroll_agents_with_broker() {
  local jar="$REPO/broker/target/broker.jar" port url tenant id out
  if [[ ! -f "$jar" ]]; then
    log "building the broker"
    (cd "$REPO" && mvn -B -q -ntp -DskipTests package) || { fail "broker build"; return; }
  fi
  # A throwaway TLS identity for the broker's own HTTPS (not part of what Terraform provisions).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=tf-test-tls-ca \
    -keyout "$WORK/tls-ca.key" -out "$WORK/tls-ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$WORK/tls.key" -out "$WORK/tls.csr" 2>/dev/null
  openssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/tls-ca.pem" -CAkey "$WORK/tls-ca.key" -CAcreateserial -days 1 \
    -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n') -out "$WORK/tls.crt" 2>/dev/null
  port="$(free_port)"
  url="https://localhost:$port"
  (
    cd "$WORK"
    exec env -u VAULT_TOKEN -u BAO_TOKEN VAULT_ADDR="$VAULT_ADDR" \
      BROKER_VAULT_APPROLE_ROLE_ID="$ROLE_ID" BROKER_VAULT_APPROLE_SECRET_ID_FILE="$SECRET_ID_FILE" \
      BROKER_TLS_CERT_FILE="$WORK/tls.crt" BROKER_TLS_KEY_FILE="$WORK/tls.key" BROKER_PORT="$port" \
      BROKER_DB_URL="jdbc:h2:mem:tf;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1" \
      BROKER_TENANTS_SOURCE=api,vault-kv MALLOC_ARENA_MAX=2 java @"$REPO/broker/jvm.options" -jar "$jar"
  ) >"$WORK/broker.log" 2>&1 &
  BROKER_PID=$!
  local i
  for ((i = 0; i < 120; i++)); do
    curl -fsS --cacert "$WORK/tls-ca.pem" "$url/health" >/dev/null 2>&1 && break
    kill -0 "$BROKER_PID" 2>/dev/null || break
    sleep 0.5
  done
  check "broker starts with the apply's AppRole outputs" curl -fsS --cacert "$WORK/tls-ca.pem" "$url/health"
  for tenant in $(json_get "$TENANTS_JSON" '" ".join(sorted(d))'); do
    check "broker synced tenant $tenant from its KV declaration" \
      curl -fsS --cacert "$WORK/tls-ca.pem" -H "X-Vault-Token: $ROOT_TOKEN" "$url/api/v1/tenants/$tenant"
    out="$WORK/agent-$tenant"
    mkdir -p "$out"
    id="$(curl -fsS --cacert "$WORK/tls-ca.pem" -H "X-Vault-Token: $ROOT_TOKEN" -H 'Content-Type: application/json' \
      -d '{"max_uses": 1}' "$url/api/v1/tenants/$tenant/enrollment-tokens" | json_get /dev/stdin 'd["token"]')" || true
    openssl ecparam -name prime256v1 -genkey -noout -out "$out/agent.key" 2>/dev/null
    openssl req -new -key "$out/agent.key" -subj /CN=agent -out "$out/agent.csr"
    python3 -c 'import json,sys; print(json.dumps({"token": sys.argv[1], "csr": open(sys.argv[2]).read()}))' \
      "$id" "$out/agent.csr" >"$out/request.json"
    check "agent of $tenant enrolls through the broker" \
      bash -c "curl -fsS --cacert '$WORK/tls-ca.pem' -H 'Content-Type: application/json' --data-binary @'$out/request.json' \
        '$url/api/v1/agent-enrollment/exchange' >'$out/response.json'"
    json_get "$out/response.json" 'd["certificate"]' >"$out/agent.crt" 2>/dev/null || true
    json_get "$out/response.json" '"".join(c if c.endswith("\n") else c + "\n" for c in d["ca_chain"])' >"$out/chain.pem" 2>/dev/null || true
    check "agent certificate of $tenant chains to the Terraform root" \
      openssl verify -CAfile "$ROOT_CA_FILE" -untrusted "$out/chain.pem" "$out/agent.crt"
  done
  kill "$BROKER_PID" 2>/dev/null || true
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ib-test-terraform.XXXXXX")"

# --- 1. tools ---------------------------------------------------------------------------------
log "OpenTofu and the Vault provider (scripts/lib/ensure-tofu.sh)"
# shellcheck source=lib/ensure-tofu.sh
source "$REPO/scripts/lib/ensure-tofu.sh"
TOFU="$TOFU_BIN"
tofu_version="$("$TOFU" version)"
printf '%s\n' "${tofu_version%%$'\n'*}" >&2

log "OpenBao / Vault binary (scripts/lib/ensure-bao.sh)"
BAO="$(bash "$REPO/scripts/lib/ensure-bao.sh")"
"$BAO" version >&2

# --- 2. dev server ----------------------------------------------------------------------------
PORT="$(free_port)"
ROOT_TOKEN="root-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export VAULT_ADDR="http://127.0.0.1:$PORT"
export BAO_ADDR="$VAULT_ADDR"
unset VAULT_NAMESPACE BAO_NAMESPACE VAULT_CACERT BAO_CACERT 2>/dev/null || true
log "starting a dev server on $VAULT_ADDR"
"$BAO" server -dev -dev-no-store-token -dev-root-token-id="$ROOT_TOKEN" \
  -dev-listen-address="127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
BAO_PID=$!
for _ in $(seq 1 100); do
  if VAULT_TOKEN="$ROOT_TOKEN" BAO_TOKEN="$ROOT_TOKEN" "$BAO" status >/dev/null 2>&1; then break; fi
  if ! kill -0 "$BAO_PID" 2>/dev/null; then
    cat "$WORK/server.log" >&2
    echo "test-terraform: the dev server exited" >&2
    exit 1
  fi
  sleep 0.2
done
export VAULT_TOKEN="$ROOT_TOKEN" BAO_TOKEN="$ROOT_TOKEN"
check "dev server answers on $VAULT_ADDR" "$BAO" status

# The copy the Terraform commands run in (relative paths between terraform/ and
# vault-policies/ are kept).
mkdir -p "$WORK/repo"
tar -C "$REPO" --exclude=.terraform --exclude='*.tfstate' --exclude='*.tfstate.*' \
  --exclude=.terraform.lock.hcl --exclude='*.tfplan' -cf - terraform vault-policies |
  tar -C "$WORK/repo" -xf -
export TF_IN_AUTOMATION=1 TF_INPUT=0

# --- 3. fmt -----------------------------------------------------------------------------------
log "tofu fmt -check -recursive terraform/"
check "tofu fmt -check -recursive terraform/" "$TOFU" fmt -check -recursive -diff "$REPO/terraform"

# --- 4. init + validate -----------------------------------------------------------------------
log "tofu init + validate (every module and the example)"
for dir in "$WORK"/repo/terraform/modules/* "$WORK/repo/terraform/examples/complete"; do
  name="${dir#"$WORK"/repo/}"
  check "tofu init $name" "$TOFU" -chdir="$dir" init -backend=false -input=false -no-color
  check "tofu validate $name" "$TOFU" -chdir="$dir" validate -no-color
done

# --- 5. apply ---------------------------------------------------------------------------------
EX="$WORK/repo/terraform/examples/complete"
export TF_VAR_vault_addr="$VAULT_ADDR"

# Two people for the acme admin group, made before the apply (root token, as an IdP would):
# alice's entity has metadata tenant=acme, mallory's has none. Both go into the group through
# the example's tenant_admin_entity_ids.
log "identity entities for the tenant-admin checks"
ADMIN_PW="pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$BAO" auth enable userpass >/dev/null
USERPASS_ACCESSOR="$("$BAO" read -field=accessor sys/auth/userpass)"
for who in alice mallory; do
  if [[ $who == alice ]]; then meta=(metadata=tenant=acme); else meta=(); fi
  eid="$("$BAO" write -field=id identity/entity name="$who" "${meta[@]}")"
  "$BAO" write identity/entity-alias name="$who" canonical_id="$eid" mount_accessor="$USERPASS_ACCESSOR" >/dev/null
  "$BAO" write auth/userpass/users/"$who" password="$ADMIN_PW" >/dev/null
  printf -v "ENTITY_${who^^}" '%s' "$eid"
done
export TF_VAR_tenant_admin_entity_ids="{\"acme\": [\"$ENTITY_ALICE\", \"$ENTITY_MALLORY\"]}"

# Terraform runs with its own least-privilege identity (terraform-policy.hcl), logged in by the
# provider itself through an auth_login block with an AppRole of its own (docs/terraform.md),
# with no token in the environment: never the root token.
log "Terraform's own AppRole (policy terraform/examples/complete/terraform-policy.hcl, auth_login)"
check "write policy identity-broker-terraform" \
  "$BAO" policy write identity-broker-terraform "$EX/terraform-policy.hcl"
"$BAO" auth enable -path=terraform-approle approle >/dev/null
"$BAO" write auth/terraform-approle/role/terraform token_policies=identity-broker-terraform \
  token_ttl=30m token_max_ttl=1h >/dev/null
TF_ROLE_ID="$("$BAO" read -field=role_id auth/terraform-approle/role/terraform/role-id)"
TF_SECRET_ID="$("$BAO" write -f -field=secret_id auth/terraform-approle/role/terraform/secret-id)"
# An override file in the temporary copy only: it adds the login to the example's provider block.
cat >"$EX/provider_override.tf" <<EOF
provider "vault" {
  auth_login {
    path = "auth/terraform-approle/login"
    parameters = {
      role_id   = "$TF_ROLE_ID"
      secret_id = "$TF_SECRET_ID"
    }
  }
}
EOF
tf() { env -u VAULT_TOKEN -u BAO_TOKEN "$TOFU" "$@"; }
log "tofu apply examples/complete"
if ! tf -chdir="$EX" apply -auto-approve -input=false -no-color >"$WORK/apply.log" 2>&1; then
  fail "tofu apply examples/complete"
  tail -n 60 "$WORK/apply.log"
  printf '\ntest-terraform: %d passed, %d failed\n' "$PASSED" "$FAILED"
  exit 1
fi
pass "tofu apply examples/complete ($(grep -o 'Apply complete! Resources: [0-9]* added' "$WORK/apply.log" || echo '?'))"

"$TOFU" -chdir="$EX" output -json >"$WORK/outputs.json"
ROLE_ID="$("$TOFU" -chdir="$EX" output -raw role_id)"
SECRET_ID_FILE="$WORK/broker-secret-id"
(umask 077 && "$TOFU" -chdir="$EX" output -raw secret_id >"$SECRET_ID_FILE")
TENANTS_JSON="$WORK/tenants.json"
"$TOFU" -chdir="$EX" output -json tenants >"$TENANTS_JSON"
ROOT_CA_FILE="$WORK/root-ca.pem"
"$TOFU" -chdir="$EX" output -raw root_ca_certificate >"$ROOT_CA_FILE"

check "output secret_id is marked sensitive" \
  test "$(json_get "$WORK/outputs.json" 'd["secret_id"]["sensitive"]')" = True
check "output tenants lists acme and globex" \
  test "$(json_get "$TENANTS_JSON" '",".join(sorted(d))')" = "acme,globex"
check "tenant acme: mount pki-tenants/acme, role agent" \
  test "$(json_get "$TENANTS_JSON" 'd["acme"]["pki_mount"] + " " + d["acme"]["pki_role"]')" = "pki-tenants/acme agent"

TD_ACME="$(json_get "$TENANTS_JSON" 'd["acme"]["trust_domain"]')"
TD_GLOBEX="$(json_get "$TENANTS_JSON" 'd["globex"]["trust_domain"]')"

log "checks as the broker (AppRole login with the apply's outputs)"
BROKER_TOKEN=""
if env -u VAULT_TOKEN -u BAO_TOKEN "$BAO" write -format=json auth/approle/login \
  role_id="$ROLE_ID" secret_id=@"$SECRET_ID_FILE" >"$WORK/login.json" 2>"$WORK/login.err"; then
  BROKER_TOKEN="$(json_get "$WORK/login.json" 'd["auth"]["client_token"]')"
  pass "AppRole login with role_id + secret_id outputs"
  check "broker token has exactly the identity-broker policy (+ default)" \
    test "$(json_get "$WORK/login.json" '",".join(sorted(d["auth"]["token_policies"]))')" = "default,identity-broker"
  check "broker token TTL is 3600 s" \
    test "$(json_get "$WORK/login.json" 'd["auth"]["lease_duration"]')" = 3600
else
  fail "AppRole login with role_id + secret_id outputs"
  cat "$WORK/login.err"
fi

as_broker() { VAULT_TOKEN="$BROKER_TOKEN" BAO_TOKEN="$BROKER_TOKEN" "$BAO" "$@"; }

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/agent.key" 2>/dev/null
openssl req -new -key "$WORK/agent.key" -subj "/CN=ignored-by-the-role" -out "$WORK/agent.csr" 2>/dev/null
SPIFFE_ACME="spiffe://$TD_ACME/tenant/acme/agent/test"

if as_broker write -format=json pki-tenants/acme/sign/agent csr=@"$WORK/agent.csr" \
  uri_sans="$SPIFFE_ACME" >"$WORK/sign.json" 2>"$WORK/sign.err"; then
  pass "broker signs an EC P-256 CSR on pki-tenants/acme/sign/agent with $SPIFFE_ACME"
  json_get "$WORK/sign.json" 'd["data"]["certificate"]' >"$WORK/agent.pem"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; print("\n".join(d.get("ca_chain") or [d["issuing_ca"]]))' \
    "$WORK/sign.json" >"$WORK/chain.pem"
  openssl x509 -in "$WORK/agent.pem" -noout -text >"$WORK/agent.txt"
  check "certificate: the single URI SAN is $SPIFFE_ACME" \
    bash -c "grep -A1 'Subject Alternative Name' '$WORK/agent.txt' | tail -n 1 | grep -qx '[[:space:]]*URI:$SPIFFE_ACME'"
  check "certificate: CA:FALSE" grep -q 'CA:FALSE' "$WORK/agent.txt"
  check "certificate: critical key usage Digital Signature only" \
    bash -c "grep -A1 'X509v3 Key Usage: critical' '$WORK/agent.txt' | tail -n 1 | grep -qx '[[:space:]]*Digital Signature'"
  check "certificate: EKU clientAuth + serverAuth" \
    bash -c "grep -A1 'Extended Key Usage' '$WORK/agent.txt' | tail -n 1 | grep -q 'TLS Web Client Authentication' &&
             grep -A1 'Extended Key Usage' '$WORK/agent.txt' | tail -n 1 | grep -q 'TLS Web Server Authentication'"
  check "certificate: the CSR's CN is not used" bash -c "! grep -q 'ignored-by-the-role' '$WORK/agent.txt'"
  check "certificate: OCSP and CRL URLs point at pki-tenants/acme" \
    bash -c "grep -q 'URI:$VAULT_ADDR/v1/pki-tenants/acme/crl' '$WORK/agent.txt' && grep -q 'OCSP - URI:$VAULT_ADDR/v1/pki-tenants/acme/ocsp' '$WORK/agent.txt'"
  check "certificate chains to the root CA output (tenant intermediate in ca_chain)" \
    openssl verify -CAfile "$ROOT_CA_FILE" -untrusted "$WORK/chain.pem" "$WORK/agent.pem"
else
  fail "broker signs an EC P-256 CSR on pki-tenants/acme/sign/agent with $SPIFFE_ACME"
  cat "$WORK/sign.err"
fi

check_fails "acme's role refuses globex's SPIFFE ID" \
  as_broker write pki-tenants/acme/sign/agent csr=@"$WORK/agent.csr" \
  uri_sans="spiffe://$TD_GLOBEX/tenant/globex/agent/test"
check_fails "acme's role refuses a DNS name" \
  as_broker write pki-tenants/acme/sign/agent csr=@"$WORK/agent.csr" \
  uri_sans="$SPIFFE_ACME" common_name=agent.acme.example
check "broker signs on pki-tenants/globex/sign/agent too" \
  as_broker write pki-tenants/globex/sign/agent csr=@"$WORK/agent.csr" \
  uri_sans="spiffe://$TD_GLOBEX/tenant/globex/agent/test"
check_fails "broker may not sign-verbatim" \
  as_broker write pki-tenants/acme/sign-verbatim/agent csr=@"$WORK/agent.csr"
check_fails "broker may not issue (Vault-generated keys)" \
  as_broker write pki-tenants/acme/issue/agent uri_sans="$SPIFFE_ACME"
check_fails "broker may not sign on the root mount" \
  as_broker write pki-root/root/sign-intermediate csr=@"$WORK/agent.csr"
check_fails "broker may not change the role" \
  as_broker write pki-tenants/acme/roles/agent allow_any_name=true
check "broker reads the tenant declaration identity-broker-kv/tenants/acme" \
  bash -c "VAULT_TOKEN='$BROKER_TOKEN' BAO_TOKEN='$BROKER_TOKEN' '$BAO' kv get -format=json identity-broker-kv/tenants/acme >'$WORK/decl.json'"
check "declaration has display_name, trust_domain, pki_mount, pki_role" \
  test "$(json_get "$WORK/decl.json" '",".join(sorted(d["data"]["data"])) + " " + d["data"]["data"]["pki_mount"] + " " + d["data"]["data"]["trust_domain"]')" \
  = "display_name,pki_mount,pki_role,trust_domain pki-tenants/acme $TD_ACME"
check "broker lists the tenant declarations" \
  bash -c "VAULT_TOKEN='$BROKER_TOKEN' BAO_TOKEN='$BROKER_TOKEN' '$BAO' kv list identity-broker-kv/tenants | grep -qx globex"
check "broker signs with the transit key identity-broker-jwt" \
  as_broker write transit/sign/identity-broker-jwt/sha2-256 input="$(printf 'header.payload' | base64)"
check "transit key identity-broker-jwt is ecdsa-p256" \
  bash -c "VAULT_TOKEN='$BROKER_TOKEN' BAO_TOKEN='$BROKER_TOKEN' '$BAO' read -field=type transit/keys/identity-broker-jwt | grep -qx ecdsa-p256"
check "broker signs with the transit key identity-broker-jwt-svid" \
  as_broker write transit/sign/identity-broker-jwt-svid/sha2-256 input="$(printf 'header.payload' | base64)"
check "transit key identity-broker-jwt-svid is ecdsa-p256" \
  bash -c "VAULT_TOKEN='$BROKER_TOKEN' BAO_TOKEN='$BROKER_TOKEN' '$BAO' read -field=type transit/keys/identity-broker-jwt-svid | grep -qx ecdsa-p256"
check_fails "broker may not read sys/ (policies)" as_broker policy read identity-broker

log "admin groups and policies (root token)"
check "policies identity-broker, tenant-admin, platform-admin, auditor exist" \
  bash -c "'$BAO' policy list | sort | tr '\n' ' ' | grep -q 'auditor .*identity-broker .*platform-admin .*tenant-admin'"
check "group identity-broker-tenant-acme-admins: policy tenant-admin, metadata tenant=acme" \
  bash -c "'$BAO' read -format=json identity/group/name/identity-broker-tenant-acme-admins |
    python3 -c 'import json,sys; d=json.load(sys.stdin)[\"data\"]; assert d[\"policies\"]==[\"tenant-admin\"], d; assert d[\"metadata\"]=={\"tenant\":\"acme\"}, d'"

log "tenant admins (templated tenant-admin policy through the admin group)"
caps() { # caps USER PATH: the user's capabilities on a path, as the broker would ask
  local tok
  tok="$(env -u VAULT_TOKEN -u BAO_TOKEN "$BAO" write -field=token auth/userpass/login/"$1" password="$ADMIN_PW")"
  VAULT_TOKEN="$tok" BAO_TOKEN="$tok" "$BAO" token capabilities "$2"
}
check "alice (group member, entity metadata tenant=acme) can read identity-broker/tenants/acme" \
  bash -c "[[ \"\$1\" == read ]]" _ "$(caps alice identity-broker/tenants/acme)"
check "alice may create acme enrollment tokens" \
  bash -c "[[ \"\$1\" == *create* ]]" _ "$(caps alice identity-broker/tenants/acme/enrollment-tokens)"
check "alice cannot read identity-broker/tenants/globex" \
  bash -c "[[ \"\$1\" == deny ]]" _ "$(caps alice identity-broker/tenants/globex)"
check "mallory (group member, no entity metadata) gets nothing on acme" \
  bash -c "[[ \"\$1\" == deny ]]" _ "$(caps mallory identity-broker/tenants/acme)"

# --- 6. the broker itself (placeholder) -------------------------------------------------------
export VAULT_ADDR ROLE_ID SECRET_ID_FILE TENANTS_JSON ROOT_CA_FILE WORK
enroll_agents_with_broker

# --- 7. no drift ------------------------------------------------------------------------------
log "tofu plan -detailed-exitcode (must be 0: no changes)"
set +e
tf -chdir="$EX" plan -detailed-exitcode -input=false -no-color >"$WORK/plan.log" 2>&1
plan_rc=$?
set -e
if [[ $plan_rc -eq 0 ]]; then
  pass "tofu plan after apply: no changes"
else
  fail "tofu plan after apply: exit $plan_rc (2 = changes pending)"
  grep -E '^\s+[-+~]|will be|must be|Error' "$WORK/plan.log" | head -n 60
fi

# --- 8. destroy -------------------------------------------------------------------------------
log "tofu destroy"
if tf -chdir="$EX" destroy -auto-approve -input=false -no-color >"$WORK/destroy.log" 2>&1; then
  pass "tofu destroy examples/complete ($(grep -o 'Destroy complete! Resources: [0-9]* destroyed' "$WORK/destroy.log" || echo '?'))"
else
  fail "tofu destroy examples/complete"
  tail -n 40 "$WORK/destroy.log"
fi
check "mounts pki-root/, pki-tenants/*, transit/, identity-broker-kv/ are gone" \
  bash -c "! '$BAO' secrets list | grep -Eq '^(pki-root|pki-tenants/|transit|identity-broker-kv)/'"
check "AppRole auth method is gone" bash -c "! '$BAO' auth list | grep -q '^approle/'"

# --- 9. pki-root in intermediate mode under an offline root ----------------------------------
# A small root module made here: pki-root with mode = "intermediate" at pki-platform, and one
# tenant below it once the offline root (openssl, standing in for an HSM ceremony) has signed.
log "pki-root intermediate mode: CSR out, offline-root certificate in, tenant below (root token)"
OFF="$WORK/repo/terraform/test-offline-root"
mkdir -p "$OFF"
cat >"$OFF/main.tf" <<'TF'
terraform {
  required_providers {
    vault = { source = "hashicorp/vault" }
  }
}
provider "vault" {}
variable "vault_addr" { type = string }
variable "signed_certificate" {
  type    = string
  default = null
}
module "platform" {
  source             = "../modules/pki-root"
  path               = "pki-platform"
  mode               = "intermediate"
  common_name        = "Identity Broker Platform Intermediate CA"
  vault_addr         = var.vault_addr
  signed_certificate = var.signed_certificate
}
resource "vault_mount" "kv" {
  path    = "offline-test-kv"
  type    = "kv"
  options = { version = "2" }
}
module "tenant" {
  source          = "../modules/tenant"
  count           = module.platform.ready ? 1 : 0
  tenant_id       = "initech"
  display_name    = "Initech"
  trust_domain    = "initech.example"
  root_mount_path = module.platform.path
  vault_addr      = var.vault_addr
  kv_mount        = vault_mount.kv.path
}
output "ready" { value = module.platform.ready }
output "csr" { value = module.platform.csr }
TF
check "offline-root config: init" "$TOFU" -chdir="$OFF" init -input=false -no-color
check "offline-root config: first apply (CSR only)" "$TOFU" -chdir="$OFF" apply -auto-approve -input=false -no-color
check "offline-root config: not ready before the signed certificate is imported" \
  test "$("$TOFU" -chdir="$OFF" output -raw ready)" = false
"$TOFU" -chdir="$OFF" output -raw csr >"$WORK/platform.csr"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 30 \
  -subj "/CN=Offline Test Root" -keyout "$WORK/offline-root.key" -out "$WORK/offline-root.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:1\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >"$WORK/platform.ext"
openssl x509 -req -in "$WORK/platform.csr" -CA "$WORK/offline-root.pem" -CAkey "$WORK/offline-root.key" \
  -CAcreateserial -days 20 -extfile "$WORK/platform.ext" -out "$WORK/platform.pem" 2>/dev/null
TF_VAR_signed_certificate="$(cat "$WORK/platform.pem" "$WORK/offline-root.pem")"
export TF_VAR_signed_certificate
check "offline-root config: second apply (import signed certificate, tenant initech)" \
  "$TOFU" -chdir="$OFF" apply -auto-approve -input=false -no-color
check "offline-root config: ready" test "$("$TOFU" -chdir="$OFF" output -raw ready)" = true
if "$BAO" write -format=json pki-tenants/initech/sign/agent csr=@"$WORK/agent.csr" \
  uri_sans="spiffe://initech.example/tenant/initech/agent/test" >"$WORK/sign-initech.json" 2>"$WORK/last.out"; then
  json_get "$WORK/sign-initech.json" 'd["data"]["certificate"]' >"$WORK/initech-agent.pem"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; print("\n".join(d.get("ca_chain") or [d["issuing_ca"]]))' \
    "$WORK/sign-initech.json" >"$WORK/initech-chain.pem"
  check "agent of a tenant below the platform intermediate chains to the offline root" \
    openssl verify -CAfile "$WORK/offline-root.pem" -untrusted "$WORK/initech-chain.pem" "$WORK/initech-agent.pem"
else
  fail "sign on pki-tenants/initech/sign/agent"
  cat "$WORK/last.out"
fi
check "offline-root config: plan shows no changes" \
  "$TOFU" -chdir="$OFF" plan -detailed-exitcode -input=false -no-color
check "offline-root config: destroy" "$TOFU" -chdir="$OFF" destroy -auto-approve -input=false -no-color
unset TF_VAR_signed_certificate

printf '\ntest-terraform: %d passed, %d failed\n' "$PASSED" "$FAILED"
[[ $FAILED -eq 0 ]]
