#!/usr/bin/env bash
# Installs the programs the accessible formats are made with, from Debian:
#   - liblouis (lou_translate and its tables): the braille-ready file, --to brf;
#   - eSpeak NG (the voice the NVDA screen reader ships with) and LAME: the
#     audio leaflet, --to mp3, and the narrated EPUB, --to narrated-epub;
#   - poppler's pdftotext: the tests read each PDF's text back with it, as
#     Evince, Okular and Linux screen readers do (tests/printed/test_text_layer.py).
#     A newer poppler may read the ActualText written for pdfium instead: see
#     pipeline/printed/text_layer.py before moving its pin.
# The versions are Debian 12's (bookworm), pinned below so that the same article
# gives the same braille and the same audio everywhere. Safe to run again:
# whatever is already installed at that version is left alone.
# `make tools` runs it; on its own: bash tools/install-formats.sh
set -euo pipefail

PACKAGES=(
    "liblouis-bin=3.24.0-1"
    "liblouis-data=3.24.0-1"
    "espeak-ng=1.51+dfsg-10+deb12u2"
    "lame=3.100-6"
    "poppler-utils=22.12.0-2+deb12u3"
)

say() { printf 'install-formats: %s\n' "$*" >&2; }

missing=()
for package in "${PACKAGES[@]}"; do
    name=${package%%=*} version=${package#*=}
    installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || true)
    [[ $installed == "$version" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    say "liblouis, eSpeak NG, LAME and pdftotext are installed"
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
for program in lou_translate espeak-ng lame pdftotext; do
    command -v "$program" >/dev/null || { say "error: $program is missing after the install"; exit 1; }
done
say "ready: $(lou_translate --version | head -1), $(espeak-ng --version), $(lame --version | head -1)"
