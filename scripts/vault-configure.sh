#!/usr/bin/env bash
# vault-configure.sh: configure a running Vault/OpenBao (dev) server for the Identity Broker.
#
# Idempotent: safe to run again against the same server (existing mounts, CAs, keys and a
# still-valid AppRole secret_id are kept; roles and policies are rewritten; admin tokens are
# fresh on every run).
#
# Input (environment):
#   VAULT_ADDR, VAULT_TOKEN   server address and a root token (required)
#   IB_STATE_DIR              absolute path for outputs (required)
#   IB_DEV_TENANTS            tenants, space- or comma-separated (default "acme globex")
#   IB_TRUST_DOMAIN           SPIFFE trust domain (default example.org)
#   IB_BROKER_TOKEN_TTL       token_ttl of the broker's AppRole (default 1h)
#
# Output in $IB_STATE_DIR:
#   env                       KEY=value lines, sourceable (contains tokens: mode 600)
#   root-ca.pem               dev root CA
#   broker-tls.crt/.key       broker HTTPS certificate (leaf + issuing CA) and PKCS#8 key
#   broker-secret-id          the broker's AppRole secret_id (mode 600)
#   <tenant>-admin.password   userpass password of each tenant admin (mode 600)
set -euo pipefail
shopt -s inherit_errexit

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
POLICY_DIR="$REPO_ROOT/vault-policies"

log() { printf 'vault-configure: %s\n' "$*" >&2; }
die() { printf 'vault-configure: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- inputs

VAULT_ADDR="${VAULT_ADDR:-${BAO_ADDR:-}}"
VAULT_TOKEN="${VAULT_TOKEN:-${BAO_TOKEN:-}}"
[[ -n "$VAULT_ADDR" ]] || die "VAULT_ADDR is not set"
[[ -n "$VAULT_TOKEN" ]] || die "VAULT_TOKEN (a root token) is not set"
[[ -n "${IB_STATE_DIR:-}" ]] || die "IB_STATE_DIR is not set (absolute path for the outputs)"
[[ "$IB_STATE_DIR" == /* ]] || die "IB_STATE_DIR must be an absolute path: $IB_STATE_DIR"
VAULT_ADDR="${VAULT_ADDR%/}"
export VAULT_ADDR VAULT_TOKEN BAO_ADDR="$VAULT_ADDR" BAO_TOKEN="$VAULT_TOKEN"
# The CLI must not pick up a namespace or a different token from the caller's environment.
unset VAULT_NAMESPACE BAO_NAMESPACE

TRUST_DOMAIN="${IB_TRUST_DOMAIN:-example.org}"
BROKER_TOKEN_TTL="${IB_BROKER_TOKEN_TTL:-1h}"
# Split on spaces/commas, drop duplicates, keep order.
read -r -a TENANTS <<<"$(printf '%s' "${IB_DEV_TENANTS:-acme globex}" | tr ',' ' ' |
  awk '{ for (i = 1; i <= NF; i++) if (!seen[$i]++) printf "%s ", $i }')"
((${#TENANTS[@]} > 0)) || die "IB_DEV_TENANTS is empty"
for t in "${TENANTS[@]}"; do
  [[ "$t" =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || die "invalid tenant id '$t' (want [a-z0-9][a-z0-9-]{0,62})"
done
[[ "$TRUST_DOMAIN" =~ ^[a-z0-9._-]+$ ]] || die "invalid IB_TRUST_DOMAIN '$TRUST_DOMAIN'"

command -v openssl >/dev/null || die "openssl is required"
PY="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)" || die "python3 is required"

# shellcheck source-path=SCRIPTDIR source=lib/ensure-bao.sh
source "$SCRIPT_DIR/lib/ensure-bao.sh" || die "no Vault/OpenBao binary (see above)"
V="$VAULT_BIN"

mkdir -p "$IB_STATE_DIR"
chmod 700 "$IB_STATE_DIR"
umask 077

# ---------------------------------------------------------------- helpers

# list_mounts secrets|auth: "path/ type accessor" lines, one per mount.
list_mounts() {
  local json
  json="$("$V" "$1" list -format=json)" || return 1
  printf '%s' "$json" | "$PY" -c '
import json, sys
for path, m in json.load(sys.stdin).items():
    print(path, m.get("type", ""), m.get("accessor", ""))
'
}
# Mount tables, read once (the auth table again after userpass is enabled, for its accessor).
SECRETS_TABLE="$(list_mounts secrets)" ||
  die "cannot list secrets engines at $VAULT_ADDR (is the server up and VAULT_TOKEN a root token?)"
AUTH_TABLE="$(list_mounts auth)" || die "cannot list auth methods"

# mount_field TABLE PATH N: field N (2 = type, 3 = accessor) of the mount at PATH/ ("" if none).
mount_field() {
  printf '%s\n' "$1" | awk -v p="$2/" -v n="$3" '$1 == p { print $n }'
}

# ensure_secrets PATH TYPE [enable args...]: enable unless mounted; MOUNT_CREATED=1 if enabled now.
ensure_secrets() {
  local path="$1" type="$2" have
  shift 2
  have="$(mount_field "$SECRETS_TABLE" "$path" 2)"
  MOUNT_CREATED=0
  if [[ -z "$have" ]]; then
    "$V" secrets enable -path="$path" "$@" "$type" >/dev/null
    MOUNT_CREATED=1
    log "enabled $type at $path/"
  elif [[ "$have" != "$type" ]]; then
    die "a '$have' engine is already mounted at $path/ (want $type)"
  fi
}

# ensure_auth PATH TYPE: the same for auth methods.
ensure_auth() {
  local path="$1" type="$2" have
  have="$(mount_field "$AUTH_TABLE" "$path" 2)"
  MOUNT_CREATED=0
  if [[ -z "$have" ]]; then
    "$V" auth enable -path="$path" "$type" >/dev/null
    MOUNT_CREATED=1
    log "enabled auth $type at $path/"
  elif [[ "$have" != "$type" ]]; then
    die "a '$have' auth method is already mounted at $path/ (want $type)"
  fi
}

count_certs() { grep -c -- '-----BEGIN CERTIFICATE-----' || true; }

# write_file PATH: atomically replace PATH with stdin (mode 600 via umask).
write_file() {
  local tmp
  tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$1"
}

TMPD="$(mktemp -d)"
trap 'rm -rf "$TMPD"' EXIT

# ---------------------------------------------------------------- background jobs
# Every CLI call costs ~0.1 s of process start-up, so independent steps run as background
# jobs, in two phases: (1) root CA, transit, policies, AppRole, userpass mount; (2) what
# needs the root CA or the userpass mount. A job reports failure through its exit status.

JOB_PIDS=()
JOB_NAMES=()
spawn() { # NAME FUNCTION [ARGS...]
  local name="$1"
  shift
  ("$@") &
  JOB_PIDS+=("$!")
  JOB_NAMES+=("$name")
}
wait_jobs() {
  local i failed=()
  for i in "${!JOB_PIDS[@]}"; do
    wait "${JOB_PIDS[$i]}" || failed+=("${JOB_NAMES[$i]}")
  done
  JOB_PIDS=()
  JOB_NAMES=()
  ((${#failed[@]} == 0)) || die "failed: ${failed[*]}"
}

# ---------------------------------------------------------------- 1. root PKI

setup_root() {
  local pem=""
  ensure_secrets pki-root pki -max-lease-ttl=87600h
  "$V" write pki-root/config/urls \
    issuing_certificates="$VAULT_ADDR/v1/pki-root/ca" \
    crl_distribution_points="$VAULT_ADDR/v1/pki-root/crl" >/dev/null
  if ((!MOUNT_CREATED)); then
    pem="$("$V" read -field=certificate pki-root/cert/ca 2>/dev/null || true)"
  fi
  if [[ "$(printf '%s' "$pem" | count_certs)" -lt 1 ]]; then
    pem="$("$V" write -field=certificate pki-root/root/generate/internal \
      common_name="Identity Broker Dev Root CA" issuer_name=dev-root \
      key_type=ec key_bits=256 ttl=87600h)"
    log "generated root CA 'Identity Broker Dev Root CA' in pki-root/"
  fi
  printf '%s\n' "$pem" | write_file "$IB_STATE_DIR/root-ca.pem"
  chmod 644 "$IB_STATE_DIR/root-ca.pem"
}

# ---------------------------------------------------------------- 2. tenant intermediates

setup_tenant_pki() { # TENANT
  local t="$1" mount="pki-tenants/$1" chain=""
  ensure_secrets "$mount" pki -max-lease-ttl=43800h
  "$V" write "$mount/config/urls" \
    issuing_certificates="$VAULT_ADDR/v1/$mount/ca" \
    crl_distribution_points="$VAULT_ADDR/v1/$mount/crl" \
    ocsp_servers="$VAULT_ADDR/v1/$mount/ocsp" >/dev/null

  if ((!MOUNT_CREATED)); then
    chain="$("$V" read -field=ca_chain "$mount/cert/ca_chain" 2>/dev/null || true)"
  fi
  # No default issuer, or one without its root in the chain: (re)build the intermediate.
  if [[ "$(printf '%s' "$chain" | count_certs)" -lt 2 ]]; then
    "$V" write -field=csr "$mount/intermediate/generate/internal" \
      common_name="Identity Broker Dev $t Intermediate CA" \
      key_type=ec key_bits=256 >"$TMPD/$t.csr"
    # format=pem_bundle: "certificate" holds the intermediate followed by the root, so
    # set-signed imports both and the mount's ca_chain is intermediate + root.
    "$V" write -field=certificate pki-root/root/sign-intermediate csr=@"$TMPD/$t.csr" \
      common_name="Identity Broker Dev $t Intermediate CA" ttl=43800h format=pem_bundle \
      >"$TMPD/$t.chain.pem"
    [[ "$(count_certs <"$TMPD/$t.chain.pem")" -ge 2 ]] || die "sign-intermediate returned no chain for $t"
    "$V" write "$mount/intermediate/set-signed" certificate=@"$TMPD/$t.chain.pem" >/dev/null
    log "created intermediate CA for tenant $t in $mount/"
  fi

  # X.509-SVID profile: the broker decides the single URI SAN; nothing comes from the CSR.
  "$V" write "$mount/roles/agent" \
    allowed_uri_sans="spiffe://$TRUST_DOMAIN/tenant/$t/agent/*" \
    allow_any_name=false \
    allowed_domains="" \
    allow_bare_domains=false \
    allow_subdomains=false \
    allow_glob_domains=false \
    allow_wildcard_certificates=false \
    allow_localhost=false \
    allow_ip_sans=false \
    enforce_hostnames=true \
    require_cn=false \
    use_csr_common_name=false \
    use_csr_sans=false \
    basic_constraints_valid_for_non_ca=true \
    key_usage=DigitalSignature \
    ext_key_usage=ClientAuth,ServerAuth \
    server_flag=true \
    client_flag=true \
    code_signing_flag=false \
    email_protection_flag=false \
    key_type=any \
    ttl=24h \
    max_ttl=24h \
    no_store=false \
    generate_lease=false \
    not_before_duration=30s >/dev/null
}

# ---------------------------------------------------------------- 3. broker HTTPS certificate

TLS_CRT="$IB_STATE_DIR/broker-tls.crt"
TLS_KEY="$IB_STATE_DIR/broker-tls.key"

setup_broker_tls() {
  "$V" write pki-root/roles/broker-server \
    allowed_domains=localhost \
    allow_bare_domains=true \
    allow_subdomains=false \
    allow_localhost=true \
    allow_ip_sans=true \
    key_type=ec key_bits=256 \
    server_flag=true client_flag=false \
    ttl=720h max_ttl=720h >/dev/null

  # Keep a certificate that is present, valid for more than 24h and issued by this server's
  # root (a restarted dev server has a new root).
  if [[ -s "$TLS_CRT" && -s "$TLS_KEY" ]] &&
    openssl x509 -in "$TLS_CRT" -noout -checkend 86400 >/dev/null 2>&1 &&
    openssl verify -CAfile "$IB_STATE_DIR/root-ca.pem" "$TLS_CRT" >/dev/null 2>&1; then
    return 0
  fi
  "$V" write -format=json pki-root/issue/broker-server common_name=localhost ip_sans=127.0.0.1 \
    ttl=720h private_key_format=pkcs8 >"$TMPD/tls.json"
  "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))["data"]
with open(sys.argv[2], "w") as f:
    f.write(d["certificate"].strip() + "\n" + d["issuing_ca"].strip() + "\n")
with open(sys.argv[3], "w") as f:
    f.write(d["private_key"].strip() + "\n")
' "$TMPD/tls.json" "$TMPD/tls.crt" "$TMPD/tls.key.raw"
  rm -f "$TMPD/tls.json"
  if grep -q -- '-----BEGIN PRIVATE KEY-----' "$TMPD/tls.key.raw"; then
    cp "$TMPD/tls.key.raw" "$TMPD/tls.key"
  else # SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"): convert to PKCS#8
    openssl pkcs8 -topk8 -nocrypt -in "$TMPD/tls.key.raw" -out "$TMPD/tls.key"
  fi
  rm -f "$TMPD/tls.key.raw"
  write_file "$TLS_KEY" <"$TMPD/tls.key"
  write_file "$TLS_CRT" <"$TMPD/tls.crt"
  chmod 644 "$TLS_CRT"
  rm -f "$TMPD/tls.key"
  log "issued broker TLS certificate for localhost / 127.0.0.1"
}

# ---------------------------------------------------------------- 4. transit

setup_transit() {
  ensure_secrets transit transit
  if ((MOUNT_CREATED)) || ! "$V" read transit/keys/identity-broker-jwt >/dev/null 2>&1; then
    "$V" write transit/keys/identity-broker-jwt type=ecdsa-p256 >/dev/null
    log "created transit key identity-broker-jwt (ecdsa-p256)"
  fi
  # JWT-SVIDs get a key of their own, so access tokens and JWT-SVIDs never verify as each other.
  if ((MOUNT_CREATED)) || ! "$V" read transit/keys/identity-broker-jwt-svid >/dev/null 2>&1; then
    "$V" write transit/keys/identity-broker-jwt-svid type=ecdsa-p256 >/dev/null
    log "created transit key identity-broker-jwt-svid (ecdsa-p256)"
  fi
}

# Tenant declarations the broker syncs when broker.tenants.source includes vault-kv.
setup_kv() {
  ensure_secrets identity-broker-kv kv -version=2
}

# ---------------------------------------------------------------- 5. policies

shopt -s nullglob
POLICY_FILES=("$POLICY_DIR"/*.hcl)
shopt -u nullglob
((${#POLICY_FILES[@]} > 0)) || die "no policies in $POLICY_DIR"
POLICY_NAMES=()
for f in "${POLICY_FILES[@]}"; do
  POLICY_NAMES+=("$(basename "$f" .hcl)")
done

write_policy() { # NAME FILE
  "$V" policy write "$1" "$2" >/dev/null
}

# ---------------------------------------------------------------- 6. broker AppRole

SECRET_ID_FILE="$IB_STATE_DIR/broker-secret-id"

setup_approle() {
  local role_id secret_accessor="" secret_id
  local uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  ensure_auth approle approle
  "$V" write auth/approle/role/identity-broker \
    token_policies=identity-broker \
    token_ttl="$BROKER_TOKEN_TTL" \
    token_max_ttl=24h \
    secret_id_ttl=0 \
    secret_id_num_uses=0 \
    bind_secret_id=true >/dev/null
  role_id="$("$V" read -field=role_id auth/approle/role/identity-broker/role-id)"
  [[ "$role_id" =~ $uuid_re ]] || die "could not read the AppRole role_id"
  printf '%s' "$role_id" >"$TMPD/role_id"

  # Keep an existing secret_id only while the server still knows it (a dev server forgets
  # everything on restart). Looking up an unknown secret_id answers 204, for which the CLI
  # prints "Success! ..." instead of the field: hence the format check.
  if ((!MOUNT_CREATED)) && [[ -s "$SECRET_ID_FILE" ]]; then
    secret_accessor="$("$V" write -field=secret_id_accessor \
      auth/approle/role/identity-broker/secret-id/lookup secret_id=@"$SECRET_ID_FILE" 2>/dev/null || true)"
  fi
  if [[ ! "$secret_accessor" =~ $uuid_re ]]; then
    secret_id="$("$V" write -f -field=secret_id auth/approle/role/identity-broker/secret-id)"
    [[ -n "$secret_id" ]] || die "could not generate an AppRole secret_id"
    printf '%s' "$secret_id" | write_file "$SECRET_ID_FILE"
    log "generated a new AppRole secret_id"
  fi
}

# ---------------------------------------------------------------- 7. admins

setup_userpass() {
  ensure_auth userpass userpass
}

# userpass_login USER PWFILE: print "token entity_id" (nothing if the login fails).
userpass_login() {
  { "$V" write -format=json "auth/userpass/login/$1" password=@"$2" 2>/dev/null || true; } |
    "$PY" -c '
import json, sys
try:
    a = json.load(sys.stdin)["auth"]
    print(a["client_token"], a.get("entity_id") or "-")
except Exception:
    pass
'
}

setup_admin() { # TENANT
  local t="$1" user="$1-admin" pwfile="$IB_STATE_DIR/$1-admin.password"
  local entity_state entity_id entity_status login token login_entity

  # Identity entity: the templated tenant-admin policy reads metadata.tenant from it. It must
  # exist, with its userpass alias, before the first login (a login without an alias would
  # create an anonymous entity instead).
  entity_state="$({ "$V" read -format=json "identity/entity/name/$user" 2>/dev/null || true; } | "$PY" -c '
import json, sys
raw = sys.stdin.read()
if not raw.strip():
    print("- missing")
    sys.exit()
d = json.loads(raw)["data"]
ok = (d.get("metadata") or {}).get("tenant") == sys.argv[1] and (d.get("policies") or []) == ["tenant-admin"]
alias = any(a.get("mount_accessor") == sys.argv[2] and a.get("name") == sys.argv[3] for a in (d.get("aliases") or []))
print(d["id"], ("ok" if ok else "stale") + ("" if alias else "-noalias"))
' "$t" "$USERPASS_ACCESSOR" "$user")"
  entity_id="${entity_state%% *}"
  entity_status="${entity_state#* }"
  if [[ "$entity_status" == missing ]]; then
    entity_id="$(printf '{"metadata":{"tenant":"%s"},"policies":["tenant-admin"]}' "$t" |
      "$V" write -field=id "identity/entity/name/$user" -)"
  elif [[ "$entity_status" == stale* ]]; then
    printf '{"metadata":{"tenant":"%s"},"policies":["tenant-admin"]}' "$t" |
      "$V" write "identity/entity/name/$user" - >/dev/null
  fi
  [[ "$entity_id" =~ ^[0-9a-f-]{36}$ ]] || die "could not set up identity entity $user"
  if [[ "$entity_status" == missing || "$entity_status" == *-noalias ]]; then
    "$V" write identity/entity-alias name="$user" canonical_id="$entity_id" \
      mount_accessor="$USERPASS_ACCESSOR" >/dev/null ||
      die "could not alias $user (userpass) to entity $user (does another entity own the alias?)"
  fi

  # Log in with the stored password; (re)create the user when that fails (first run, or a
  # dev server that was restarted and forgot it).
  login=""
  if [[ -s "$pwfile" && "$entity_status" != missing ]]; then
    login="$(userpass_login "$user" "$pwfile")"
  fi
  if [[ -z "$login" ]]; then
    [[ -s "$pwfile" ]] || openssl rand -hex 24 | tr -d '\n' | write_file "$pwfile"
    "$V" write "auth/userpass/users/$user" password=@"$pwfile" \
      token_ttl=24h token_max_ttl=24h >/dev/null
    login="$(userpass_login "$user" "$pwfile")"
  fi
  chmod 600 "$pwfile"
  [[ -n "$login" ]] || die "userpass login of $user failed"
  token="${login%% *}"
  login_entity="${login#* }"
  [[ "$login_entity" == "$entity_id" ]] ||
    die "the login token of $user carries entity '$login_entity', not $entity_id: the templated policy would not apply"
  printf '%s' "$token" >"$TMPD/admin-token.$t"
}

orphan_token() { # POLICY DISPLAY_NAME OUTFILE
  local token
  token="$("$V" token create -field=token -orphan -ttl=24h -policy="$1" -display-name="$2")"
  [[ -n "$token" ]] || die "token create -policy=$1 returned no token"
  printf '%s' "$token" >"$3"
}

# ---------------------------------------------------------------- run

# Phase 1: independent of each other.
spawn "root PKI" setup_root
spawn transit setup_transit
spawn "tenant declarations" setup_kv
for i in "${!POLICY_FILES[@]}"; do
  spawn "policy ${POLICY_NAMES[$i]}" write_policy "${POLICY_NAMES[$i]}" "${POLICY_FILES[$i]}"
done
spawn approle setup_approle
spawn "userpass mount" setup_userpass
wait_jobs

USERPASS_ACCESSOR="$(mount_field "$AUTH_TABLE" userpass 3)"
if [[ -z "$USERPASS_ACCESSOR" ]]; then # enabled just now
  AUTH_TABLE="$(list_mounts auth)"
  USERPASS_ACCESSOR="$(mount_field "$AUTH_TABLE" userpass 3)"
fi
[[ -n "$USERPASS_ACCESSOR" ]] || die "could not find the userpass mount accessor"

# Phase 2: needs the root CA, the policies or the userpass mount.
for t in "${TENANTS[@]}"; do
  spawn "tenant $t PKI" setup_tenant_pki "$t"
done
spawn "broker TLS" setup_broker_tls
for t in "${TENANTS[@]}"; do
  spawn "tenant $t admin" setup_admin "$t"
done
spawn "platform admin token" orphan_token platform-admin platform-admin "$TMPD/token.platform"
spawn "auditor token" orphan_token auditor auditor "$TMPD/token.auditor"
spawn "no-policy token" orphan_token default nopolicy "$TMPD/token.nopolicy"
wait_jobs

ROLE_ID="$(cat "$TMPD/role_id")"
PLATFORM_ADMIN_TOKEN="$(cat "$TMPD/token.platform")"
AUDITOR_TOKEN="$(cat "$TMPD/token.auditor")"
NOPOLICY_TOKEN="$(cat "$TMPD/token.nopolicy")"

# ---------------------------------------------------------------- 8. env file

tenants_csv="$(IFS=,; printf '%s' "${TENANTS[*]}")"
{
  echo "# Written by scripts/vault-configure.sh. Contains secrets: keep private."
  echo "VAULT_ADDR=$VAULT_ADDR"
  echo "VAULT_TOKEN=$VAULT_TOKEN"
  echo "BROKER_VAULT_APPROLE_ROLE_ID=$ROLE_ID"
  echo "BROKER_VAULT_APPROLE_SECRET_ID_FILE=$SECRET_ID_FILE"
  echo "BROKER_TLS_CERT_FILE=$TLS_CRT"
  echo "BROKER_TLS_KEY_FILE=$TLS_KEY"
  echo "IB_ROOT_CA_FILE=$IB_STATE_DIR/root-ca.pem"
  echo "IB_TRUST_DOMAIN=$TRUST_DOMAIN"
  echo "IB_TENANTS=$tenants_csv"
  for t in "${TENANTS[@]}"; do
    var="$(printf '%s' "$t" | tr 'a-z-' 'A-Z_')"
    echo "IB_ADMIN_TOKEN_$var=$(cat "$TMPD/admin-token.$t")"
  done
  echo "IB_PLATFORM_ADMIN_TOKEN=$PLATFORM_ADMIN_TOKEN"
  echo "IB_AUDITOR_TOKEN=$AUDITOR_TOKEN"
  echo "IB_NOPOLICY_TOKEN=$NOPOLICY_TOKEN"
} >"$TMPD/env"
if grep -v '^#' "$TMPD/env" | grep -q '[[:space:]"'"'"'$`\\]'; then
  die "internal: a value for the env file contains whitespace or shell metacharacters"
fi
write_file "$IB_STATE_DIR/env" <"$TMPD/env"

# ---------------------------------------------------------------- summary

cat <<EOF
vault-configure: done ($VAULT_ADDR)
  root CA          pki-root/                 -> $IB_STATE_DIR/root-ca.pem
  tenants          $(for t in "${TENANTS[@]}"; do printf 'pki-tenants/%s/ (role agent) ' "$t"; done)
  trust domain     $TRUST_DOMAIN
  transit key      transit/keys/identity-broker-jwt (ecdsa-p256)
  JWT-SVID key     transit/keys/identity-broker-jwt-svid (ecdsa-p256)
  policies         ${POLICY_NAMES[*]}
  broker AppRole   auth/approle/role/identity-broker (secret_id in $SECRET_ID_FILE)
  broker TLS       $TLS_CRT, $TLS_KEY
  env file         $IB_STATE_DIR/env
EOF
