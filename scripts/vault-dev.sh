#!/usr/bin/env bash
# vault-dev.sh: start (or reuse) a local Vault/OpenBao dev server and configure it for the broker.
#
#   scripts/vault-dev.sh          start a dev server on 127.0.0.1:$VAULT_DEV_PORT unless one is
#                                 already healthy there, then run scripts/vault-configure.sh
#   scripts/vault-dev.sh stop     stop the dev server this script started
#
# Environment:
#   VAULT_DEV_PORT        listen port (default 8200; a dev server also binds PORT+1 for cluster traffic)
#   VAULT_DEV_ROOT_TOKEN  root token id of the dev server (default "root")
#   IB_STATE_DIR          server log/pid and configure outputs (default <repo>/.tools/dev-vault)
#   IB_DEV_TENANTS, IB_TRUST_DOMAIN, IB_BROKER_TOKEN_TTL: passed on to vault-configure.sh
#
# A dev server keeps everything in memory: after a restart, run this script again (it
# recreates the CAs, the AppRole secret_id and the admin users, and rewrites the env file).
# Then:  set -a; . "$IB_STATE_DIR/env"; set +a
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"

log() { printf 'vault-dev: %s\n' "$*" >&2; }
die() { printf 'vault-dev: error: %s\n' "$*" >&2; exit 1; }

PORT="${VAULT_DEV_PORT:-8200}"
ROOT_TOKEN="${VAULT_DEV_ROOT_TOKEN:-root}"
STATE_DIR="${IB_STATE_DIR:-$REPO_ROOT/.tools/dev-vault}"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "VAULT_DEV_PORT must be a port number: $PORT"
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd -P)"
PID_FILE="$STATE_DIR/vault.pid"
LOG_FILE="$STATE_DIR/vault.log"
ADDR="http://127.0.0.1:$PORT"

# healthy: the server at ADDR answers sys/health with 200 (initialized, unsealed, active).
healthy() {
  local code
  code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$ADDR/v1/sys/health" 2>/dev/null || true)"
  [[ "$code" == 200 ]]
}

# our_pid: the pid in PID_FILE if that process is still our dev server.
our_pid() {
  local pid
  [[ -s "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the process must be a dev server on our address.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-dev-listen-address=127.0.0.1:$PORT" || return 1
  printf '%s\n' "$pid"
}

stop_server() {
  local pid i
  if ! pid="$(our_pid)"; then
    log "no dev server started by this script is running (pid file: $PID_FILE)"
    rm -f "$PID_FILE"
    return 0
  fi
  kill "$pid"
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "dev server (pid $pid) did not stop on TERM; sending KILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped dev server (pid $pid) on $ADDR"
}

command -v curl >/dev/null || die "curl is required"

case "${1:-start}" in
  stop)
    stop_server
    exit 0
    ;;
  start | "") ;;
  -h | --help | help)
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
    ;;
  *) die "unknown command '$1' (usage: $0 [start|stop])" ;;
esac

# shellcheck source-path=SCRIPTDIR source=lib/ensure-bao.sh
source "$SCRIPT_DIR/lib/ensure-bao.sh" || die "no Vault/OpenBao binary (see above)"

export VAULT_ADDR="$ADDR" VAULT_TOKEN="$ROOT_TOKEN"
export BAO_ADDR="$ADDR" BAO_TOKEN="$ROOT_TOKEN"

if healthy; then
  # Reuse it, but only if our root token works there (it may be someone else's server).
  "$VAULT_BIN" token lookup >/dev/null 2>&1 ||
    die "a Vault is already running at $ADDR, but VAULT_DEV_ROOT_TOKEN is not valid for it (stop it, or set VAULT_DEV_PORT)"
  log "reusing the dev server already running at $ADDR"
else
  if pid="$(our_pid)"; then
    # Ours, but not healthy (still starting, or wedged): give it the same bounded wait below.
    log "dev server (pid $pid) is running but not healthy yet"
  else
    log "starting $("$VAULT_BIN" version | head -n 1) dev server on $ADDR (log: $LOG_FILE)"
    # setsid: a Ctrl-C in the calling terminal must not stop the background server.
    # -dev-no-store-token: do not overwrite the developer's ~/.vault-token.
    launcher=(nohup)
    command -v setsid >/dev/null && launcher+=(setsid)
    (
      cd "$STATE_DIR"
      exec "${launcher[@]}" "$VAULT_BIN" server -dev \
        -dev-root-token-id="$ROOT_TOKEN" \
        -dev-listen-address="127.0.0.1:$PORT" \
        -dev-no-store-token \
        </dev/null >"$LOG_FILE" 2>&1
    ) &
    pid=$!
    printf '%s\n' "$pid" >"$PID_FILE"
  fi
  for ((i = 0; i < 80; i++)); do # ~20 s
    healthy && break
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail -n 20 "$LOG_FILE" >&2 || true
      die "the dev server exited during start-up (is port $PORT in use?); log: $LOG_FILE"
    fi
    sleep 0.25
  done
  healthy || die "the dev server at $ADDR did not become healthy within 20 s; log: $LOG_FILE"
  log "dev server is up (pid $pid)"
fi

IB_STATE_DIR="$STATE_DIR" "$SCRIPT_DIR/vault-configure.sh"

ACME_TOKEN="$(sed -n 's/^IB_ADMIN_TOKEN_ACME=//p' "$STATE_DIR/env")"
cat <<EOF

Vault dev server: $ADDR (root token: \$VAULT_DEV_ROOT_TOKEN, default "root")
Env file:         $STATE_DIR/env
  load it with:   set -a; . "$STATE_DIR/env"; set +a
EOF
if [[ -n "$ACME_TOKEN" ]]; then
  printf 'acme tenant-admin token: %s\n' "$ACME_TOKEN"
fi
printf 'Stop with:        %s stop\n' "$0"
