#!/usr/bin/env bash
# Installs the typefaces the leaflets are set in, from Debian, and HarfBuzz's font
# subsetter:
#   - fonts-noto-core: Noto Sans (Latin, Greek, Cyrillic), Noto Sans Arabic, Noto
#     Nastaliq Urdu, Noto Sans Hebrew, Devanagari, Bengali, Gurmukhi, Gujarati, Tamil,
#     Ethiopic and Thai, and Noto Sans Symbols 1 and 2;
#   - fonts-noto-cjk: Noto Sans CJK, one collection with the Simplified Chinese,
#     Traditional Chinese, Hong Kong, Japanese and Korean faces;
#   - libharfbuzz-subset0: subsets the fonts embedded in the PDF (WeasyPrint) and the
#     EPUB (pipeline/epub/fonts.py) to the characters a leaflet uses;
#   - fontconfig: how WeasyPrint and the pipeline find the fonts by family name.
# styles/fonts.css says which font sets which language. Atkinson Hyperlegible, the
# Latin font, comes from PyPI (pyproject.toml). The versions are Debian 12's
# (bookworm), pinned below so that the same article gives the same PDF everywhere.
# Safe to run again: whatever is already installed at that version is left alone.
# The Makefile runs it before any build (.tools/fonts.installed); on its own:
# bash tools/install-fonts.sh
set -euo pipefail

PACKAGES=(
    "fonts-noto-core=20201225-1"
    "fonts-noto-cjk=1:20220127+repack1-1"
    "libharfbuzz-subset0=6.0.0+dfsg-3"
    "fontconfig=2.14.1-4"
)
# One family a script, checked after the install: fontconfig must find each by name.
FAMILIES=(
    "Noto Sans" "Noto Sans Arabic" "Noto Nastaliq Urdu" "Noto Sans Hebrew"
    "Noto Sans Devanagari" "Noto Sans Bengali" "Noto Sans Gurmukhi" "Noto Sans Gujarati"
    "Noto Sans Tamil" "Noto Sans Ethiopic" "Noto Sans Thai" "Noto Sans CJK SC" "Noto Sans CJK TC"
    "Noto Sans Symbols" "Noto Sans Symbols 2"
)

say() { printf 'install-fonts: %s\n' "$*" >&2; }

check_families() {
    local family missing_families=()
    for family in "${FAMILIES[@]}"; do
        [[ -n $(fc-list ":family=$family" family 2>/dev/null) ]] || missing_families+=("$family")
    done
    if [[ ${#missing_families[@]} -gt 0 ]]; then
        say "error: fontconfig does not find ${missing_families[*]} after the install;"
        say "  run 'fc-cache -f' as root, then this script again"
        return 1
    fi
}

missing=()
for package in "${PACKAGES[@]}"; do
    name=${package%%=*} version=${package#*=}
    installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || true)
    [[ $installed == "$version" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    check_families
    say "the Noto fonts for every script and HarfBuzz's subsetter are installed"
    exit 0
fi
COMMAND="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    say "error: ${missing[*]} not installed, and installing needs root. Run:"
    say "  sudo sh -c '$COMMAND'"
    exit 1
fi
say "installing ${missing[*]}"
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; }; then
    say "error: apt-get could not install them (its messages are above). The command was:"
    say "  $COMMAND"
    exit 1
fi
check_families
say "ready: $(fc-list ':family=Noto Sans CJK SC' family | head -1 | cut -d, -f1) and ${#FAMILIES[@]} families in all"
