#!/usr/bin/env bash
# Installs what the EPUB accessibility check (pipeline/ace.py) runs:
#   - Debian's chromium, for Ace's Puppeteer: Puppeteer's own browser download
#     cannot work here, where only the package registries are reachable;
#   - the DAISY Ace checker, @daisy/ace-cli at the version pinned below,
#     inside the project in .tools/ace (never globally), with npm's
#     --ignore-scripts so that Puppeteer does not try to download a browser.
# Safe to run again: whatever is already there is left alone.
# `make tools` runs it; on its own: bash tools/install-ace.sh
set -euo pipefail

ACE_VERSION=1.4.6  # pipeline/checks/ace.py reports the version it ran; tests/checks/test_ace.py expects this one
CHROMIUM=/usr/lib/chromium/chromium  # what tools/chromium-for-ace runs; Debian's package "chromium"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=$ROOT/.tools/ace
ACE=$PREFIX/node_modules/.bin/ace-cli  # npm names it after the package
INSTALLED_JSON=$PREFIX/node_modules/@daisy/ace-cli/package.json
APT_COMMAND="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium"

say() { printf 'install-ace: %s\n' "$*" >&2; }

# 1. Chromium, from Debian.
if [[ -x $CHROMIUM ]]; then
    say "chromium is installed"
elif [[ $(id -u) -ne 0 ]]; then
    say "error: chromium is not installed ($CHROMIUM is missing) and installing it needs root. Run:"
    say "  sudo sh -c '$APT_COMMAND'"
    say "and then this script again: bash tools/install-ace.sh"
    exit 1
else
    say "installing Debian's chromium"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }; then
        say "error: apt-get could not install chromium (its messages are above). The command was:"
        say "  $APT_COMMAND"
        exit 1
    fi
fi

# 2. Ace, pinned, in .tools/ace.
if ! command -v npm >/dev/null 2>&1; then
    say "error: npm is not on PATH; Ace $ACE_VERSION needs Node.js 20 or later and npm 10 or later."
    exit 1
fi
installed=""
if [[ -f $INSTALLED_JSON ]]; then
    installed=$(node -p 'require(process.argv[1]).version' "$INSTALLED_JSON" 2>/dev/null || true)
fi
if [[ $installed == "$ACE_VERSION" && -x $ACE ]]; then
    say "@daisy/ace-cli $ACE_VERSION is installed"
else
    say "installing @daisy/ace-cli $ACE_VERSION into .tools/ace"
    mkdir -p "$PREFIX"
    npm install --ignore-scripts --no-audit --no-fund --save-exact --loglevel=error \
        --prefix "$PREFIX" "@daisy/ace-cli@$ACE_VERSION"
fi

# 3. Both must start, so that a broken install fails here and not in the middle of a check.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ! timeout 60 "$ROOT/tools/chromium-for-ace" --headless=new --user-data-dir="$scratch/profile" \
        --dump-dom about:blank 2>"$scratch/log" | grep -q '<body>'; then
    cat "$scratch/log" >&2
    say "error: chromium does not start headless (its messages are above)"
    exit 1
fi
say "ready: Ace $("$ACE" --version), $("$CHROMIUM" --version)"
