"""The leaflet's typefaces, as @font-face rules for WeasyPrint.

Atkinson Hyperlegible comes from its PyPI package (so no system install is
needed); a clinic can add its own .ttf/.otf files to ``styles/fonts/``: a
file named ``Family-Bold.ttf`` or ``Family-Italic.otf`` becomes that family's
bold or italic face. The stylesheet only names families.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import fontpkg

PACKAGED_FAMILIES = ("Atkinson Hyperlegible",)
FACE_SUFFIX = re.compile(r"-(?P<face>Regular|Bold|Italic|BoldItalic)$", re.IGNORECASE)


@functools.cache
def packaged_font_files() -> tuple[tuple[str, int, str, Path], ...]:
    faces = []
    for name in PACKAGED_FAMILIES:
        for font in fontpkg.family(name).files:
            faces.append((name, font.weight or 400, font.style, font.path))
    return tuple(faces)


def font_dirs() -> tuple[Path, ...]:
    """Folders WeasyPrint may read font files from."""
    return tuple(sorted({path.parent for *_, path in packaged_font_files()}))


def font_face_css(styles_dir: Path) -> str:
    faces = list(packaged_font_files()) + list(clinic_font_files(styles_dir / "fonts"))
    return "\n".join(
        f'@font-face {{ font-family: "{name}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{path.as_uri()}"); }}'
        for name, weight, style, path in faces)


def clinic_font_files(folder: Path):
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".ttf", ".otf", ".woff", ".woff2"):
            continue
        match = FACE_SUFFIX.search(path.stem)
        face = match["face"].lower() if match else "regular"
        family = path.stem[:match.start()] if match else path.stem
        yield (family, 700 if "bold" in face else 400,
               "italic" if "italic" in face else "normal", path.resolve())
