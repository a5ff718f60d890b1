#!/usr/bin/env bash
# Checks the Prometheus alert rules and runs their unit tests with promtool, then checks that the
# Grafana dashboard is valid JSON whose queries name only the broker's documented metrics.
# promtool comes from scripts/lib/ensure-promtool.sh (installed when missing); if it cannot be had,
# this script fails with the reason: a missing promtool never passes silently.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/deploy/prometheus"
PASSED=0
FAILED=0
check() {
  local name="$1"; shift
  if "$@" >"${TMPDIR:-/tmp}/test-alerts.$$.out" 2>&1; then
    PASSED=$((PASSED + 1)); echo "ok   $name"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $name"; cat "${TMPDIR:-/tmp}/test-alerts.$$.out"
  fi
}

if ! promtool="$(bash "$root/scripts/lib/ensure-promtool.sh")"; then
  echo "test-alerts: promtool is not available (see above)" >&2
  printf '\ntest-alerts: 0 passed, 1 failed\n'
  exit 1
fi
echo "test-alerts: $("$promtool" --version 2>&1 | head -1)"

check "promtool check rules alerts.yml" "$promtool" check rules alerts.yml
check "promtool test rules alerts-test.yml" "$promtool" test rules alerts-test.yml
check "dashboard uses only documented broker metrics" python3 - "$root" <<'PY'
import json, re, sys, pathlib
root = pathlib.Path(sys.argv[1])
documented = set()
for line in (root / "docs/operations.md").read_text().splitlines():
    if line.startswith("| `broker_"):
        documented.update(re.findall(r"`(broker_[a-z0-9_]+)`", line.split("|")[1]))
def base(name):
    return re.sub(r"_(bucket|count|sum|max)$", "", name)
problems = []
for path in [root / "deploy/grafana/identity-broker.json", root / "deploy/prometheus/alerts.yml"]:
    text = path.read_text()
    if path.suffix == ".json":
        json.loads(text)
    used = set(re.findall(r"\bbroker_[a-z0-9_]+", text))
    if not used:
        problems.append(f"{path.name}: no broker metric used")
    for name in sorted(used):
        if name not in documented and base(name) not in documented:
            problems.append(f"{path.name}: {name} is not in the metrics table of docs/operations.md")
print("\n".join(problems) or f"{len(documented)} documented metrics")
sys.exit(1 if problems else 0)
PY
rm -f "${TMPDIR:-/tmp}/test-alerts.$$.out"
printf '\ntest-alerts: %d passed, %d failed\n' "$PASSED" "$FAILED"
[[ $FAILED -eq 0 ]]
