#!/usr/bin/env bash
# ensure-go-tool.sh: build a Go command from the Go module proxy (or a small Go module kept in
# this repository) into a versioned cache, once, and print the binary's path on stdout.
#
#   ensure-go-tool.sh module PKG VERSION     e.g. github.com/spiffe/spiffe-helper/cmd/spiffe-helper v0.11.0
#   ensure-go-tool.sh dir DIR                a main module in the repository (go.mod + go.sum committed)
#
# Binaries live in ${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/go-tools/<name>-<version>/ (for
# `dir`, the version is a hash of the module's files, so an edit rebuilds). Logs go to stderr.
# Exit codes: 0 built or cached; 3 Go is not installed (callers skip with a message); 1 the build
# failed.
#
# Why not `go install pkg@version`: for several modules (spiffe-helper, spire, globalsign/est,
# smallstep certificates) the proxy here refuses version listing, and `go install` with a version
# fails on that. A scratch module that pins the command as a tool (`go get -tool pkg@version`) and
# then `go install pkg` inside it resolves the exact version without listing.
set -euo pipefail

log() { printf 'ensure-go-tool: %s\n' "$*" >&2; }

command -v go >/dev/null 2>&1 || { log "Go is not installed"; exit 3; }
cache="${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/go-tools"
export CGO_ENABLED="${CGO_ENABLED:-0}" GOFLAGS="${GOFLAGS:--buildvcs=false}"

mode="${1:-}"
case "$mode" in
  module)
    pkg="${2:?package path}"; version="${3:?version}"
    name="$(basename "$pkg")"
    out="$cache/$name-$version"
    if [[ -x "$out/bin/$name" ]]; then printf '%s\n' "$out/bin/$name"; exit 0; fi
    log "building $pkg@$version into $out (once)"
    scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$out/bin"
    (
      cd "$scratch"
      go mod init ib-go-tool-scratch >/dev/null 2>&1
      go get -tool "$pkg@$version" >&2
      GOBIN="$out/bin.tmp" go install "$pkg" >&2
    ) || { log "build of $pkg@$version failed"; rm -rf "$out/bin.tmp"; exit 1; }
    mv -f "$out/bin.tmp/$name" "$out/bin/$name" && rm -rf "$out/bin.tmp"
    printf '%s\n' "$out/bin/$name"
    ;;
  dir)
    dir="$(cd "${2:?module directory}" && pwd -P)"
    name="$(basename "$dir")"
    hash="$(cd "$dir" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 \
      | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
    out="$cache/$name-$hash"
    if [[ -x "$out/bin/$name" ]]; then printf '%s\n' "$out/bin/$name"; exit 0; fi
    log "building $dir into $out (once)"
    mkdir -p "$out/bin"
    (cd "$dir" && go build -trimpath -o "$out/bin/$name.tmp" .) >&2 \
      || { log "build of $dir failed"; rm -f "$out/bin/$name.tmp"; exit 1; }
    mv -f "$out/bin/$name.tmp" "$out/bin/$name"
    printf '%s\n' "$out/bin/$name"
    ;;
  *)
    log "usage: ensure-go-tool.sh module PKG VERSION | ensure-go-tool.sh dir DIR"; exit 2 ;;
esac
