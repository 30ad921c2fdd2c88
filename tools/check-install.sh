#!/usr/bin/env bash
# Checks that a real (non-editable) install works: `pip install .` into a fresh
# virtual environment, then a build of source/sciatica-massage.md run from
# another folder, far from the checkout, with the styles that ship inside the
# installed package. Fails, saying what was missing, unless the PDF and the
# EPUB are written and the PDF's text holds the leaflet's title.
# `make install-check` runs it (and .ci/run, on a clean clone);
# on its own: bash tools/check-install.sh [REPOSITORY]  (default: this one)
#
# The install is made from a copy of the repository's files (those git tracks
# or would track: nothing ignored), so that nothing is written into the
# checkout and no build/ left by an earlier install can slip files into the
# wheel that the tree no longer has.
set -euo pipefail

PYTHON=${PYTHON:-python3}
ARTICLE=sciatica-massage.md
REPO=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)

say() { printf 'check-install: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/src      # what `pip install .` is run in
venv=$work/venv    # the fresh virtual environment
articles=$work/articles  # the copy of source/
elsewhere=$work/elsewhere  # the folder the build is run from
out=$work/out
mkdir -p "$src" "$articles" "$elsewhere"
# Nothing of the checkout's on the installed copy's sys.path.
unset PYTHONPATH

[[ -f $REPO/source/$ARTICLE ]] || fail "no $REPO/source/$ARTICLE to build"
# The fonts every leaflet is set in are the project's own dependency, installed by it.
bash "$REPO/tools/install-fonts.sh" || fail "the fonts are not installed (tools/install-fonts.sh, above)"

# 1. The repository's files, as a clone would have them.
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
    # (less the tracked files deleted from the work tree)
    git -C "$REPO" ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' file; do if [[ -e $REPO/$file ]]; then printf '%s\0' "$file"; fi; done \
        | tar -C "$REPO" --null -T - -cf - | tar -C "$src" -xf - \
        || fail "could not copy the repository's files from $REPO to $src"
else
    cp -R "$REPO/." "$src" || fail "could not copy $REPO to $src"
fi

# 2. A fresh venv and a non-editable install.
# --no-compile: byte-compiling every dependency up front takes half the time
# of the install; the build compiles what it imports.
say "installing into a fresh venv: pip install ."
"$PYTHON" -m venv "$venv" || fail "could not make a virtual environment with $PYTHON"
py=$venv/bin/python
(cd "$src" && "$py" -m pip install --quiet --no-compile .) || fail "pip install . failed (its messages are above)"

# 3. The article, copied to a folder of its own, built from a third folder.
cp -R "$REPO/source/." "$articles"
cd "$elsewhere"
"$py" -m pipeline --help >/dev/null || fail "python -m pipeline --help failed in the installed copy"
"$py" - "$venv" <<'EOF' || fail "the installed copy does not use its own packaged styles (above)"
import sys
from pathlib import Path

import pipeline
from pipeline import config

venv = Path(sys.argv[1]).resolve()
package = Path(pipeline.__file__).resolve().parent
if venv not in package.parents:
    sys.exit(f"pipeline was imported from {package}, not from the fresh venv {venv}")
if not (config.THEME_DIR / "leaflet.css").is_file():
    sys.exit(f"no leaflet.css in config.THEME_DIR = {config.THEME_DIR}")
if package not in config.THEME_DIR.resolve().parents:
    sys.exit(f"config.THEME_DIR = {config.THEME_DIR} is not inside the installed package {package}")
EOF
say "building $ARTICLE from $elsewhere"
"$py" -m pipeline build "$articles/$ARTICLE" --to pdf,epub --out "$out" \
    || fail "python -m pipeline build failed in the installed copy (its messages are above)"

# 4. Both files, the title in the PDF's text (pypdf: a dependency of the pipeline), and
# its fonts: subsets of the stack's in the packaged styles/fonts.css, none of the machine's.
stem=${ARTICLE%.md}
for file in "$out/$stem.pdf" "$out/$stem.epub"; do
    [[ -s $file ]] || fail "the build wrote no $(basename "$file") (looked for $file)"
done
title=$("$py" - "$out/$stem.pdf" "$articles/$ARTICLE" <<'EOF'
import sys

import yaml
from pypdf import PdfReader

pdf, article = sys.argv[1:]
front_matter = open(article, encoding="utf-8").read().split("\n---", 1)[0].removeprefix("---")
title = " ".join(str(yaml.safe_load(front_matter)["title"]).split())
text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages).split())
if title not in text:
    sys.exit(f"the PDF's text does not hold the title {title!r}; it begins: {text[:300]!r}")
from pipeline import config
from pipeline.printed.fonts import font_stack

families = [family.replace(" ", "-") for family in font_stack("en", config.THEME_DIR).families]
for page in PdfReader(pdf).pages:
    for font in page["/Resources"]["/Font"].get_object().values():
        prefix, _, name = str(font.get_object()["/BaseFont"]).lstrip("/").partition("+")
        if len(prefix) != 6 or not any(name == f or name.startswith(f + "-") for f in families):
            sys.exit(f"the PDF embeds {prefix}+{name}: not a subset of a font of styles/fonts.css")
print(title)
EOF
) || fail "the PDF $out/$stem.pdf lacks the leaflet's title (above)"

say "OK: pip install . in a fresh venv built $stem.pdf (titled \"$title\") and $stem.epub from outside the checkout"
