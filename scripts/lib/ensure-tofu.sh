#!/usr/bin/env bash
# ensure-tofu.sh: build OpenTofu and the hashicorp/vault provider from source (Go module proxy
# only: no GitHub release downloads, no Terraform/OpenTofu registry), lay the provider out as a
# filesystem mirror, and write a CLI configuration that installs providers from that mirror only.
#
# Everything lives in a versioned cache directory, so a second run builds nothing:
#   ${IB_CACHE_DIR:-$HOME/.cache/identity-broker}/tofu-<tofu ver>-vault-<provider ver>/
#     bin/tofu, bin/terraform-provider-vault          the binaries
#     go/ (GOPATH, GOMODCACHE), gocache/               Go's caches for these two builds only,
#                                                      removed after a successful build unless
#                                                      IB_TOFU_KEEP_GO_CACHE=1
#     mirror/registry.terraform.io/hashicorp/vault/<ver>/<os>_<arch>/terraform-provider-vault_v<ver>
#     mirror/registry.opentofu.org/hashicorp/vault/<ver>/<os>_<arch>/terraform-provider-vault_v<ver>
#     tofu.tfrc                                        the CLI configuration (TF_CLI_CONFIG_FILE)
#
# Executed:  prints `export TOFU_BIN=...` and `export TF_CLI_CONFIG_FILE=...` on stdout, so
#            `eval "$(bash scripts/lib/ensure-tofu.sh)"` sets both (build logs go to stderr).
# Sourced:   defines ensure_tofu, runs it and exports TOFU_BIN, TF_CLI_CONFIG_FILE and
#            IB_TOFU_DIR (prints nothing on stdout). Returns non-zero on failure.
#
# Versions (override with the environment variables):
#   IB_TOFU_VERSION                 OpenTofu tag built from github.com/opentofu/opentofu
#   IB_VAULT_PROVIDER_VERSION       the version the provider is published under in the mirror
#   IB_VAULT_PROVIDER_GO_VERSION    the Go module version of github.com/hashicorp/terraform-provider-vault
#
# Why the provider's Go version is a pseudo-version: terraform-provider-vault tags v2.x and later
# without a /vN module-path suffix, so Go cannot fetch those tags by name; only pseudo-versions
# (v1.9.1-0.<date>-<commit>) reach them, and the module proxy available here serves only the ones
# somebody has fetched before. v1.9.1-0.20220225202911-91f40a2aed19 is the commit of the
# provider's 3.3.1 release (its CHANGELOG heads with "3.3.1 (February 25, 2022)"); it is the
# newest one this machine's proxy serves. The Terraform modules in terraform/ are written to the
# subset of the provider that is the same from 3.3.1 to 5.x, so a real registry install of a
# current release works too.

IB_TOFU_VERSION="${IB_TOFU_VERSION:-1.12.6}"
IB_VAULT_PROVIDER_VERSION="${IB_VAULT_PROVIDER_VERSION:-3.3.1}"
IB_VAULT_PROVIDER_GO_VERSION="${IB_VAULT_PROVIDER_GO_VERSION:-v1.9.1-0.20220225202911-91f40a2aed19}"

_ensure_tofu_log() { printf 'ensure-tofu: %s\n' "$*" >&2; }

# Build one Go main package into "$bin_out".
#   $1 module path, $2 module version, $3 package path inside the module ("" = module root),
#   $4 output binary, $5 extra -ldflags
# First `go install module/pkg@version`; when Go refuses that (the module's go.mod has replace
# directives, or declares another module path), fall back to `go mod download` of the module
# and `go build` inside its (read-only) module-cache copy, where its go.mod is the main module.
_ensure_tofu_go_build() {
  local module="$1" version="$2" pkg="$3" bin_out="$4" ldflags="$5"
  local target="$module" dir name
  [[ -n "$pkg" ]] && target="$module/$pkg"
  name="$(basename "$bin_out")"

  _ensure_tofu_log "building $target@$version (go install) ..."
  rm -f "$GOBIN/$(basename "$target")"
  if go install -trimpath -ldflags="$ldflags" "$target@$version" >&2; then
    if [[ "$GOBIN/$(basename "$target")" != "$bin_out" ]]; then
      mv -f "$GOBIN/$(basename "$target")" "$bin_out"
    fi
    return 0
  fi

  _ensure_tofu_log "go install of $target@$version failed; building inside the module cache copy instead"
  dir="$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  if [[ -z "$dir" || ! -f "$dir/go.mod" ]]; then
    _ensure_tofu_log "error: go mod download $module@$version gave no module directory"
    return 1
  fi
  (
    cd "$dir" &&
      go build -trimpath -mod=readonly -ldflags="$ldflags" -o "$bin_out.tmp" "./${pkg}"
  ) >&2 || { rm -f "$bin_out.tmp"; _ensure_tofu_log "error: go build of $name failed"; return 1; }
  mv -f "$bin_out.tmp" "$bin_out"
}

_ensure_tofu_build() {
  local root="$1"
  mkdir -p "$root/bin" "$root/go" "$root/gocache"
  (
    export GOPATH="$root/go"
    export GOMODCACHE="$root/go/pkg/mod"
    export GOCACHE="$root/gocache"
    export GOBIN="$root/bin"
    # Two cores on the project's machines: keep the compiler from starving everything else.
    export GOFLAGS="${IB_TOFU_GOFLAGS:--p=2 -buildvcs=false}"
    export GOTOOLCHAIN=local
    export CGO_ENABLED=0
    # The module proxy only; never fall back to cloning from GitHub.
    local proxy
    proxy="$(go env GOPROXY)"
    proxy="${proxy%,direct}"; proxy="${proxy%|direct}"
    [[ -z "$proxy" || "$proxy" == direct || "$proxy" == off ]] && proxy=https://proxy.golang.org
    export GOPROXY="${IB_TOFU_GOPROXY:-$proxy}"
    export GONOSUMDB="" GOPRIVATE="" GONOPROXY=""

    if [[ ! -x "$root/bin/tofu" ]]; then
      # version.dev=no: a release build ("OpenTofu v1.12.6", not "v1.12.6-dev").
      _ensure_tofu_go_build github.com/opentofu/opentofu "v$IB_TOFU_VERSION" cmd/tofu \
        "$root/bin/tofu" "-s -w -X github.com/opentofu/opentofu/version.dev=no" || exit 1
    fi
    if [[ ! -x "$root/bin/terraform-provider-vault" ]]; then
      _ensure_tofu_go_build github.com/hashicorp/terraform-provider-vault \
        "$IB_VAULT_PROVIDER_GO_VERSION" "" "$root/bin/terraform-provider-vault" "-s -w" || exit 1
    fi
  )
}

# After a successful build only the two binaries matter: drop Go's module and build caches
# (several GB) unless IB_TOFU_KEEP_GO_CACHE=1.
_ensure_tofu_prune() {
  local root="$1"
  [[ "${IB_TOFU_KEEP_GO_CACHE:-0}" == 1 ]] && return 0
  _ensure_tofu_log "removing the Go caches of the build (set IB_TOFU_KEEP_GO_CACHE=1 to keep them)"
  GOPATH="$root/go" GOMODCACHE="$root/go/pkg/mod" GOCACHE="$root/gocache" GOTOOLCHAIN=local \
    go clean -modcache -cache >/dev/null 2>&1 || true
  chmod -R u+w "$root/go" "$root/gocache" 2>/dev/null || true
  rm -rf "$root/go" "$root/gocache"
}

_ensure_tofu_mirror() {
  local root="$1" platform host dir
  platform="$(go env GOOS 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')_$(go env GOARCH 2>/dev/null || echo amd64)"
  for host in registry.terraform.io registry.opentofu.org; do
    dir="$root/mirror/$host/hashicorp/vault/$IB_VAULT_PROVIDER_VERSION/$platform"
    mkdir -p "$dir"
    # A copy, not a link: OpenTofu hashes the unpacked directory into .terraform.lock.hcl.
    if ! cmp -s "$root/bin/terraform-provider-vault" "$dir/terraform-provider-vault_v$IB_VAULT_PROVIDER_VERSION"; then
      cp -f "$root/bin/terraform-provider-vault" "$dir/terraform-provider-vault_v$IB_VAULT_PROVIDER_VERSION"
      chmod 0755 "$dir/terraform-provider-vault_v$IB_VAULT_PROVIDER_VERSION"
    fi
  done

  local cfg="$root/tofu.tfrc" tmp
  tmp="$(mktemp "$root/.tofu.tfrc.XXXXXX")"
  cat >"$tmp" <<EOF
# Written by scripts/lib/ensure-tofu.sh. Providers come from the local filesystem mirror only;
# no registry is ever contacted.
provider_installation {
  filesystem_mirror {
    path    = "$root/mirror"
    include = ["registry.terraform.io/hashicorp/vault", "registry.opentofu.org/hashicorp/vault"]
  }
  direct {
    exclude = ["*/*/*"]
  }
}
EOF
  if cmp -s "$tmp" "$cfg"; then rm -f "$tmp"; else mv -f "$tmp" "$cfg"; fi
}

ensure_tofu() {
  local cache_root root lockfile
  cache_root="${IB_CACHE_DIR:-$HOME/.cache/identity-broker}"
  root="$cache_root/tofu-$IB_TOFU_VERSION-vault-$IB_VAULT_PROVIDER_VERSION"

  if [[ ! -x "$root/bin/tofu" || ! -x "$root/bin/terraform-provider-vault" ]]; then
    if ! command -v go >/dev/null 2>&1; then
      _ensure_tofu_log "error: go is not on PATH (needed to build OpenTofu and the Vault provider)"
      return 1
    fi
    mkdir -p "$root" || { _ensure_tofu_log "error: cannot create $root"; return 1; }
    lockfile="$cache_root/.tofu-$IB_TOFU_VERSION-vault-$IB_VAULT_PROVIDER_VERSION.lock"
    (
      # Serialise concurrent builds (two test scripts started at once).
      if command -v flock >/dev/null 2>&1; then
        exec 9>"$lockfile"
        flock -w 3600 9 || { _ensure_tofu_log "error: timed out waiting for $lockfile"; exit 1; }
      fi
      if [[ -x "$root/bin/tofu" && -x "$root/bin/terraform-provider-vault" ]]; then
        exit 0
      fi
      local start=$SECONDS
      _ensure_tofu_log "building OpenTofu v$IB_TOFU_VERSION and terraform-provider-vault $IB_VAULT_PROVIDER_VERSION into $root (several minutes, once) ..."
      _ensure_tofu_build "$root" || exit 1
      _ensure_tofu_log "built in $((SECONDS - start)) s"
      _ensure_tofu_prune "$root"
    ) || return 1
  fi

  _ensure_tofu_mirror "$root" || { _ensure_tofu_log "error: could not lay out the provider mirror"; return 1; }

  TOFU_BIN="$root/bin/tofu"
  TF_CLI_CONFIG_FILE="$root/tofu.tfrc"
  IB_TOFU_DIR="$root"
  export TOFU_BIN TF_CLI_CONFIG_FILE IB_TOFU_DIR
  # OpenTofu and Terraform both honour these: no version checks against the internet.
  export CHECKPOINT_DISABLE=1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_tofu
  printf 'export TOFU_BIN=%q\n' "$TOFU_BIN"
  printf 'export TF_CLI_CONFIG_FILE=%q\n' "$TF_CLI_CONFIG_FILE"
else
  ensure_tofu || return 1
fi
