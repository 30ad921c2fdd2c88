#!/usr/bin/env bash
# Installs what the published site's tests (tests/release/test_site.py) run the
# site's pages with, in .tools/axe (never globally):
#   - axe-core, the accessibility engine, injected into each page;
#   - puppeteer-core, which drives Debian's chromium (tools/chromium-for-ace,
#     installed by tools/install-ace.sh) over the DevTools protocol.
# Both are pinned, with every package under them, by tools/axe/package-lock.json
# (npm ci installs exactly that); --ignore-scripts, as for Ace, so that nothing
# tries to download a browser. Safe to run again: an install that matches the
# lock file is left alone.
# `make tools` runs it; on its own: bash tools/install-axe.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCK_DIR=$ROOT/tools/axe
PREFIX=$ROOT/.tools/axe
AXE=$PREFIX/node_modules/axe-core/axe.min.js

say() { printf 'install-axe: %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
    say "error: npm is not on PATH; axe-core and puppeteer-core need Node.js 20 or later and npm 10 or later."
    exit 1
fi

# npm ci records what it installed in node_modules/.package-lock.json; when the
# lock file has not changed since, there is nothing to do.
if [[ -f $AXE && -f $PREFIX/node_modules/.package-lock.json ]] \
        && cmp -s "$LOCK_DIR/package-lock.json" "$PREFIX/package-lock.json"; then
    say "axe-core and puppeteer-core are installed"
else
    say "installing axe-core and puppeteer-core (tools/axe/package-lock.json) into .tools/axe"
    mkdir -p "$PREFIX"
    cp "$LOCK_DIR/package.json" "$LOCK_DIR/package-lock.json" "$PREFIX/"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix "$PREFIX"
fi

# It must run, so that a broken install fails here and not in the middle of a test.
node -e 'require(process.argv[1]); require(process.argv[2])' \
    "$PREFIX/node_modules/axe-core" "$PREFIX/node_modules/puppeteer-core"
say "ready: axe-core $(node -p 'require(process.argv[1]).version' "$PREFIX/node_modules/axe-core/package.json"), puppeteer-core $(node -p 'require(process.argv[1]).version' "$PREFIX/node_modules/puppeteer-core/package.json")"
