#!/usr/bin/env bash
# Prints the path of a versitygw binary (a real S3 server over a local
# folder, for the file store's tests), building it with `go install` from
# the module proxy when the tool folder does not have it yet (about 90 s;
# cached afterwards). Use it as
#   export LOTSE_VERSITYGW="$(scripts/test-tools-s3.sh)"
# The tool folder is $LOTSE_TOOLS, default $HOME/.cache/lotse-tools.
set -euo pipefail

version=v1.8.0
tools="${LOTSE_TOOLS:-$HOME/.cache/lotse-tools}"
bin="$tools/versitygw-$version/versitygw"

if [[ ! -x "$bin" ]]; then
	mkdir -p "$(dirname "$bin")"
	echo "building versitygw $version into $(dirname "$bin") (about 90 s)" >&2
	GOBIN="$(dirname "$bin")" CGO_ENABLED=0 go install "github.com/versity/versitygw/cmd/versitygw@$version" >&2
fi
"$bin" --version >/dev/null
echo "$bin"
