#!/usr/bin/env bash
# Makes promtool (Prometheus' rule checker and rule unit-test runner) available, idempotently, and
# prints its path. promtool on PATH wins; else Debian's `prometheus` package (which carries it) is
# installed with apt-get (root only; `apt-get update` first when apt knows no candidate); else it
# is built from the Go module proxy with scripts/lib/ensure-go-tool.sh. Fails with the reason when
# none of these works: a missing promtool never lets the alert tests pass silently.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { printf 'ensure-promtool: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi
[[ -x /usr/bin/promtool ]] && { echo /usr/bin/promtool; exit 0; }

candidate() { apt-cache policy prometheus 2>/dev/null | awk '/Candidate:/ {print $2}'; }
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  c="$(candidate)"
  if [[ -z "$c" || "$c" == "(none)" ]]; then
    log "apt-get update (no candidate for prometheus yet)"
    apt-get update -qq >&2 || log "apt-get update failed"
    c="$(candidate)"
  fi
  if [[ -n "$c" && "$c" != "(none)" ]]; then
    log "installing Debian's prometheus $c (for promtool) with apt-get"
    # policy-rc.d keeps the package from starting a Prometheus server on this machine.
    if DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends prometheus >/dev/null; then
      command -v promtool >/dev/null 2>&1 && { command -v promtool; exit 0; }
      [[ -x /usr/bin/promtool ]] && { echo /usr/bin/promtool; exit 0; }
    fi
    log "apt-get could not install prometheus"
  fi
fi

# Last resort: build promtool from the Go module proxy (pinned), cached like the other Go tools.
if path="$(bash "$root/scripts/lib/ensure-go-tool.sh" module github.com/prometheus/prometheus/cmd/promtool v0.54.1 2>&1 | tail -1)" \
   && [[ -x "$path" ]]; then
  echo "$path"; exit 0
fi
die "promtool is not available: not on PATH, Debian's prometheus package could not be installed (needs root and apt), and it could not be built with Go"
