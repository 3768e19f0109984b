#!/bin/sh
# Re-copy the vendored front-end assets from node_modules.
# Run from anywhere after `npm ci --ignore-scripts` at the repository top;
# package.json / package-lock.json pin the exact versions and integrity hashes.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/node_modules"
dest="$root/static/vendor"

if [ ! -d "$src/htmx.org" ]; then
    echo "update.sh: $src/htmx.org is missing; run 'npm ci --ignore-scripts' first" >&2
    exit 1
fi

mkdir -p "$dest/htmx"
cp "$src/htmx.org/dist/htmx.min.js" "$dest/htmx/htmx.min.js"
cp "$src/htmx.org/LICENSE" "$dest/htmx/LICENSE"

version=$(node -p "require('$src/htmx.org/package.json').version")
echo "htmx.org $version copied to static/vendor/htmx/"
sha256sum "$dest/htmx/htmx.min.js" | sed "s|$root/||"
