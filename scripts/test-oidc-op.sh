#!/usr/bin/env bash
# Builds the OpenID Provider the single sign-on tests run against (zitadel's
# example OP, a real OP process with test users) into a cache folder, once,
# and prints the binary's path for LOTSE_OIDC_OP:
#
#   export LOTSE_OIDC_OP="$(scripts/test-oidc-op.sh)"
#
# The cache folder is $LOTSE_TOOLS (default ~/.cache/lotse-tools); the
# version is pinned here. Building needs the Go module proxy (about 10 s).
set -euo pipefail

version=v3.52.0
tools="${LOTSE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/lotse-tools}"
dir="$tools/zitadel-oidc-op-$version"
bin="$dir/server"
if [[ ! -x "$bin" ]]; then
	mkdir -p "$dir"
	GOBIN="$dir" go install "github.com/zitadel/oidc/v3/example/server@$version" >&2
fi
echo "$bin"
