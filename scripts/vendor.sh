#!/usr/bin/env bash
# Copy the pinned front-end files from node_modules into static/vendor (committed), and axe-core
# into tests/browser/vendor. Run through `make vendor` after changing package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/@uswds/uswds/dist
dst=static/vendor/uswds
rm -rf "$dst" && mkdir -p "$dst"/{css,js,img,fonts}
cp "$src/css/uswds.min.css" "$dst/css/"
cp "$src/js/uswds.min.js" "$src/js/uswds-init.min.js" "$dst/js/"
# Only the images and fonts the stylesheet refers to.
grep -o 'url(\.\./[^)]*)' "$src/css/uswds.min.css" | sed 's/^url(\.\.\///; s/)$//' | sort -u |
  while read -r rel; do
    mkdir -p "$dst/$(dirname "$rel")"
    cp "$src/$rel" "$dst/$rel"
  done
# Icons the templates use directly.
for rel in img/usa-icons-bg/search--white.svg; do
  mkdir -p "$dst/$(dirname "$rel")"; cp "$src/$rel" "$dst/$rel"
done
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
# Charts (outcomes dashboard): vega-embed finds vega and vega-lite as globals.
mkdir -p static/vendor/vega
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
  node_modules/vega-embed/build/vega-embed.min.js static/vendor/vega/
mkdir -p tests/browser/vendor
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
{
  echo "Vendored by scripts/vendor.sh from the npm registry:"
  for p in @uswds/uswds htmx.org axe-core vega vega-lite vega-embed; do
    printf '%s %s\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version")"
  done
} > static/vendor/VERSIONS.txt
