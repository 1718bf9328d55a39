#!/usr/bin/env bash
# Refreshes the vendored front-end assets in internal/web/static/vendor/
# from the npm registry (built files only, no build step):
#
#   kern/  <- @kern-ux/native: dist/kern.min.css, dist/fonts/fira-sans.css,
#             the Fira Sans .woff2 files that fira-sans.css references, LICENSE.md
#   htmx/  <- htmx.org: dist/htmx.min.js, LICENSE
#   hash-wasm/ <- hash-wasm: dist/argon2.umd.min.js, LICENSE (the login
#             form's argon2id, "server relief")
#
# To update: change the versions AND integrity hashes below
# (npm view PACKAGE@VERSION dist.integrity), run this script, review the diff,
# and update the versions in internal/web/static/vendor/README.md.
# Running it again with the same pins reproduces the same files.
set -euo pipefail

KERN_PKG="@kern-ux/native"
KERN_VERSION="2.7.2"
KERN_INTEGRITY="sha512-TN0Mqbasp7S1IOqurXickde8MDj5hIcgT4s3f1i33wyv2iVgA1dTO/FoQyi6rgM9KYTYkIthl9k72g7fBUUvHg=="

HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

HASHWASM_PKG="hash-wasm"
HASHWASM_VERSION="4.13.0"
HASHWASM_INTEGRITY="sha512-GrWl7wsV46fKIXQZB5ebskLZLAmKL6d9RS0fspCxDeQyjoNu1AfTJTMLPOJyfzaQm0ldFiwFN21/w+sE/kgEFQ=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/internal/web/static/vendor"

for tool in npm node tar; do
  command -v "$tool" >/dev/null 2>&1 || { echo "update-vendor: '$tool' is required" >&2; exit 1; }
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch PKG VERSION INTEGRITY -> prints the extracted package directory
fetch() {
  local pkg="$1" version="$2" integrity="$3" tgz out actual
  out="$TMP/$(echo "$pkg" | tr -c 'a-zA-Z0-9.\n' '_')"
  mkdir -p "$out"
  if ! tgz="$(cd "$TMP" && npm pack "$pkg@$version" --pack-destination "$TMP" --loglevel=error 2>"$TMP/npm.log" | tail -n 1)" \
     || [[ -z "$tgz" || ! -f "$TMP/$tgz" ]]; then
    echo "update-vendor: npm pack $pkg@$version failed:" >&2
    cat "$TMP/npm.log" >&2
    exit 1
  fi
  actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$TMP/$tgz")"
  if [[ "$actual" != "$integrity" ]]; then
    echo "update-vendor: integrity mismatch for $pkg@$version" >&2
    echo "  expected $integrity" >&2
    echo "  got      $actual" >&2
    exit 1
  fi
  tar -xzf "$TMP/$tgz" -C "$out"
  echo "$out/package"
}

# copy SRC DST: plain file copy with normalised mode (mtime is irrelevant to git)
copy() {
  mkdir -p "$(dirname "$2")"
  install -m 0644 "$1" "$2"
}

# css_urls FILE -> every url(...) target in FILE, one per line, quotes stripped
css_urls() {
  grep -oE "url\(\s*(\"[^\"]*\"|'[^']*'|[^)\"']*)\s*\)" "$1" \
    | sed -E "s/^url\(\s*//; s/\s*\)$//; s/^[\"'](.*)[\"']$/\1/" || true
}

# check_css_urls DIR: every non-data: url(...) in every .css under DIR must be
# a relative path to a file that exists under DIR; no @import, no remote URLs.
check_css_urls() {
  local dir="$1" css url path bad=0 n=0
  while IFS= read -r -d '' css; do
    if grep -qE '@import' "$css"; then
      echo "update-vendor: $css contains @import" >&2; bad=1
    fi
    while IFS= read -r url; do
      [[ -z "$url" || "$url" == data:* ]] && continue
      n=$((n + 1))
      if [[ "$url" == *://* || "$url" == //* || "$url" == /* ]]; then
        echo "update-vendor: $css: non-relative url($url)" >&2; bad=1; continue
      fi
      path="${url%%[?#]*}"
      path="$(cd "$(dirname "$css")" && realpath -m -- "$path")"
      if [[ "$path" != "$(realpath "$dir")"/* || ! -f "$path" ]]; then
        echo "update-vendor: $css: url($url) does not resolve to a vendored file" >&2; bad=1
      fi
    done < <(css_urls "$css")
  done < <(find "$dir" -name '*.css' -print0 | sort -z)
  [[ $bad -eq 0 ]] || exit 1
  echo "update-vendor: url check ok ($n file urls in $(realpath --relative-to="$ROOT" "$dir"))"
}

# --- KERN UX -----------------------------------------------------------------
KERN_SRC="$(fetch "$KERN_PKG" "$KERN_VERSION" "$KERN_INTEGRITY")"
KERN_DST="$VENDOR/kern"
rm -rf "$KERN_DST"
copy "$KERN_SRC/dist/kern.min.css"       "$KERN_DST/kern.min.css"
copy "$KERN_SRC/dist/fonts/fira-sans.css" "$KERN_DST/fonts/fira-sans.css"
copy "$KERN_SRC/LICENSE.md"              "$KERN_DST/LICENSE.md"
# Only the font files that fira-sans.css actually references (10 of the 34 shipped).
while IFS= read -r url; do
  [[ "$url" == data:* ]] && continue
  rel="${url#./}"
  copy "$KERN_SRC/dist/fonts/$rel" "$KERN_DST/fonts/$rel"
done < <(css_urls "$KERN_SRC/dist/fonts/fira-sans.css")
# kern.min.css itself only uses data: URIs today; should a release start
# referencing files, the check below fails and this script needs updating.
check_css_urls "$KERN_DST"

# --- htmx --------------------------------------------------------------------
HTMX_SRC="$(fetch "$HTMX_PKG" "$HTMX_VERSION" "$HTMX_INTEGRITY")"
HTMX_DST="$VENDOR/htmx"
rm -rf "$HTMX_DST"
copy "$HTMX_SRC/dist/htmx.min.js" "$HTMX_DST/htmx.min.js"
copy "$HTMX_SRC/LICENSE"          "$HTMX_DST/LICENSE"
grep -q "version:\"$HTMX_VERSION\"" "$HTMX_DST/htmx.min.js" \
  || { echo "update-vendor: htmx.min.js does not report version $HTMX_VERSION" >&2; exit 1; }

# --- hash-wasm (argon2id only) ------------------------------------------------
HASHWASM_SRC="$(fetch "$HASHWASM_PKG" "$HASHWASM_VERSION" "$HASHWASM_INTEGRITY")"
HASHWASM_DST="$VENDOR/hash-wasm"
rm -rf "$HASHWASM_DST"
copy "$HASHWASM_SRC/dist/argon2.umd.min.js" "$HASHWASM_DST/argon2.umd.min.js"
copy "$HASHWASM_SRC/LICENSE"                "$HASHWASM_DST/LICENSE"

echo "update-vendor: vendored $KERN_PKG@$KERN_VERSION, $HTMX_PKG@$HTMX_VERSION and $HASHWASM_PKG@$HASHWASM_VERSION into $(realpath --relative-to="$ROOT" "$VENDOR")"
