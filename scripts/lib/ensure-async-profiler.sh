#!/usr/bin/env bash
# ensure-async-profiler.sh: find or install async-profiler's JVM agent library for linux-x64.
#
# The library comes from Maven Central (tools.profiler:async-profiler:3.0, whose jar carries the
# native libraries), fetched once with Maven into
# ${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/async-profiler-3.0/.
# scripts/bench.sh --profiler async loads it into the running broker with `jcmd JVMTI.agent_load`.
#
# Prints the library's path on stdout (all other output goes to stderr); exits 1 with the reason
# where it cannot be had (another platform, no Maven, no network).
set -euo pipefail

version="${IB_ASYNC_PROFILER_VERSION:-3.0}"
cache="${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/async-profiler-$version"
lib="$cache/linux-x64/libasyncProfiler.so"

log() { printf 'ensure-async-profiler: %s\n' "$*" >&2; }

if [[ -f "$lib" ]]; then
  printf '%s\n' "$lib"
  exit 0
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  log "only linux-x64 is set up here (this is $(uname -s)-$(uname -m))"
  exit 1
fi
command -v mvn >/dev/null || { log "needs Maven (mvn) to fetch tools.profiler:async-profiler:$version"; exit 1; }
command -v unzip >/dev/null || command -v python3 >/dev/null || { log "needs unzip or python3"; exit 1; }

artifact="tools.profiler:async-profiler:$version"
log "fetching $artifact with Maven"
mvn -B -q -ntp dependency:get -Dartifact="$artifact" -Dtransitive=false >&2 \
  || { log "Maven could not fetch $artifact"; exit 1; }
jar="${IB_M2_REPO:-$HOME/.m2/repository}/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[[ -f "$jar" ]] || { log "fetched, but $jar is not there"; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if command -v unzip >/dev/null; then
  unzip -q -o "$jar" 'linux-x64/*' -d "$tmp"
else
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith("linux-x64/")]' "$jar" "$tmp"
fi
[[ -f "$tmp/linux-x64/libasyncProfiler.so" ]] || { log "$jar carries no linux-x64/libasyncProfiler.so"; exit 1; }
mkdir -p "$cache"
rm -rf "$cache/linux-x64"
mv "$tmp/linux-x64" "$cache/linux-x64"
log "installed $lib"
printf '%s\n' "$lib"
