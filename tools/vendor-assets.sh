#!/usr/bin/env bash
# Bring in the browser assets the HTML book loads, so that it renders with no
# network: MathJax 3, require.js and the Jupyter widget manager (html-manager),
# pinned in package.json / package-lock.json. They are copied into
# book/_vendor/ (git-ignored), which Sphinx copies into _static/ of the site.
# `npm ci` also installs the dev dependency axe-core (the accessibility
# checker the browser test injects from node_modules/axe-core/axe.min.js):
# it is never copied into the site.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is required (Node.js) to fetch the book's browser assets" >&2; exit 1; }
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
dest=book/_vendor
rm -rf "$dest"
mkdir -p "$dest/mathjax" "$dest/html-manager"
cp -r node_modules/mathjax/es5/. "$dest/mathjax/"
cp node_modules/requirejs/require.js "$dest/require.js"
# the AMD embedder plus the font files its CSS refers to (same folder)
find node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 -type f \
  \( -name 'embed-amd.js' -o -name '*.woff' -o -name '*.woff2' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) \
  -exec cp {} "$dest/html-manager/" \;
test -f node_modules/axe-core/axe.min.js || { echo "axe-core is missing from node_modules" >&2; exit 1; }
touch "$dest/.stamp"
echo "browser assets in $dest"
