"""The EPUB's fonts: the faces of the leaflet's font stack it uses, subset to its characters.

A reading system may have no font for Urdu's Nastaliq or for Ethiopic, and
draws boxes; so the EPUB carries the fonts of its stack (``styles/fonts.css``,
read by ``printed/fonts.py``), as the PDF does. Only the families that draw
one of the leaflet's characters come in (the first of the stack that has each
character, as a renderer picks them), each face subset to the characters its
family draws: an EPUB in Chinese carries a few hundred of the CJK font's
65,000 glyphs, not its 19 MB. A small stylesheet after ``epub.css`` declares
them (``@font-face``) and sets the leaflet's text in them; a reader who picks
another font in the reading system still gets it.

Subsetting is HarfBuzz's (``libharfbuzz-subset``, pinned in
``tools/install-fonts.sh``), through its C library: a tenth of a second a
face, where fontTools takes seconds for a CJK or Nastaliq font. Every OpenType
layout feature is kept, since joining Arabic letters, Nastaliq's contextual
forms and Indic conjuncts depend on them. The subset of the same characters is
the same bytes, and is kept for the life of the process.
"""
from __future__ import annotations

import ctypes
import functools
import io
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SetupError
from ..printed.fonts import FontFace
from ..printed.glyph_coverage import needs_glyph
from ..printed.native_libraries import find_library

FONT_FOLDER = "fonts"  # pandoc puts --epub-embed-font files in EPUB/fonts/, the CSS in EPUB/styles/
STYLESHEET_NAME = "leaflet-fonts.css"
FACE_NAMES = {(400, "normal"): "Regular", (700, "normal"): "Bold",
              (400, "italic"): "Italic", (700, "italic"): "BoldItalic"}
HB_SUBSET_FLAGS_NO_HINTING = 0x1  # hinting is for screens at small sizes of old rasterisers
HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6
HB_MEMORY_MODE_DUPLICATE = 0
WEB_FONT_SUFFIXES = (".woff", ".woff2")  # a clinic's own, in styles/fonts/

if TYPE_CHECKING:
    from ..theme.folder import Theme


def epub_font_arguments(text: str, lang: str, theme: Theme, scratch: Path) -> list[str]:
    """pandoc arguments (--epub-embed-font=..., --css=...) for the leaflet's fonts, subset to `text`."""
    stack = theme.font_stack(lang)
    families = stack.faces(theme.folder)
    drawn = characters_by_family(text, families)
    folder = scratch / FONT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    arguments, rules, used = [], [], []
    for faces in families:
        characters = drawn.get(faces[0].family)
        if not characters:
            continue
        used.append(faces[0].family)
        for face in sorted(faces, key=lambda face: (face.weight, face.style)):
            data = subset_font(face.path, face.index, " " + characters)
            name = font_file_name(face, data)
            (folder / name).write_bytes(data)
            arguments.append(f"--epub-embed-font={folder / name}")
            rules.append(font_face_rule(face, name))
    if not used:
        return []
    stylesheet = scratch / STYLESHEET_NAME
    families_css = ", ".join(f'"{family}"' for family in used)
    stylesheet.write_text("\n".join([*rules, f"body {{ font-family: {families_css}; }}", ""]),
                          encoding="utf-8")
    return [*arguments, f"--css={stylesheet}"]


def characters_by_family(text: str, families: tuple[tuple[FontFace, ...], ...]) -> dict[str, str]:
    """Each character that needs a glyph, given to the first family whose regular face
    draws it (a character no family draws is the glyph check's to report, not ours).
    The characters of each family come sorted, so the same text gives the same subsets."""
    wanted = set()
    for char in unicodedata.normalize("NFC", text):
        wanted.add(char)
        wanted.update(unicodedata.normalize("NFD", char))
    regulars = [min(faces, key=lambda face: (face.style != "normal", abs(face.weight - 400)))
                for faces in families]
    drawn: dict[str, list[str]] = {}
    for char in sorted(wanted):
        if not needs_glyph(char):
            continue
        face = next((face for face in regulars if face.draws(ord(char))), None)
        if face is not None:
            drawn.setdefault(face.family, []).append(char)
    return {family: "".join(chars) for family, chars in drawn.items()}


def font_file_name(face: FontFace, data: bytes) -> str:
    stem = "".join(face.family.split())
    kind = FACE_NAMES.get((face.weight, face.style), f"{face.weight}{face.style}")
    return f"{stem}-{kind}.{'otf' if data[:4] == b'OTTO' else 'ttf'}"


def font_face_rule(face: FontFace, name: str) -> str:
    return (f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f'font-style: {face.style}; src: url("../{FONT_FOLDER}/{name}"); }}')


# --- HarfBuzz's subsetter ------------------------------------------------------------------

@functools.cache
def harfbuzz():
    name = find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise SetupError(f"HarfBuzz's font subsetter cannot be loaded ({error}): the EPUB's "
                         "fonts are subset with it",
                         hint="install the fonts and their subsetter: bash tools/install-fonts.sh "
                              "(make does it)") from None
    pointer = ctypes.c_void_p
    for function, result, arguments in (
            ("hb_blob_create_from_file", pointer, [ctypes.c_char_p]),
            ("hb_blob_create", pointer,
             [ctypes.c_char_p, ctypes.c_uint, ctypes.c_int, pointer, pointer]),
            ("hb_blob_get_length", ctypes.c_uint, [pointer]),
            ("hb_blob_get_data", ctypes.c_void_p, [pointer, ctypes.POINTER(ctypes.c_uint)]),
            ("hb_blob_destroy", None, [pointer]),
            ("hb_face_create", pointer, [pointer, ctypes.c_uint]),
            ("hb_face_reference_blob", pointer, [pointer]),
            ("hb_face_destroy", None, [pointer]),
            ("hb_subset_input_create_or_fail", pointer, []),
            ("hb_subset_input_unicode_set", pointer, [pointer]),
            ("hb_subset_input_set", pointer, [pointer, ctypes.c_int]),
            ("hb_subset_input_set_flags", None, [pointer, ctypes.c_uint]),
            ("hb_subset_input_destroy", None, [pointer]),
            ("hb_subset_or_fail", pointer, [pointer, pointer]),
            ("hb_set_add", None, [pointer, ctypes.c_uint32]),
            ("hb_set_clear", None, [pointer]),
            ("hb_set_invert", None, [pointer])):
        getattr(lib, function).restype = result
        getattr(lib, function).argtypes = arguments
    return lib


@functools.lru_cache(maxsize=64)
def subset_font(path: Path, index: int, characters: str) -> bytes:
    """The face ``index`` of the font file, with only the glyphs ``characters`` need
    (and those its layout features reach from them)."""
    lib = harfbuzz()
    if path.suffix.lower() in WEB_FONT_SUFFIXES:
        sfnt = decompressed(path)
        blob = lib.hb_blob_create(sfnt, len(sfnt), HB_MEMORY_MODE_DUPLICATE, None, None)
    else:
        blob = lib.hb_blob_create_from_file(str(path).encode())
    face = lib.hb_face_create(blob, index)
    request = lib.hb_subset_input_create_or_fail()
    subset = None
    try:
        if not lib.hb_blob_get_length(blob) or not request:
            raise SetupError(f"the font file {path} cannot be read for the EPUB",
                             hint="install the fonts again: bash tools/install-fonts.sh")
        unicodes = lib.hb_subset_input_unicode_set(request)
        for char in sorted(set(characters)):
            lib.hb_set_add(unicodes, ord(char))
        features = lib.hb_subset_input_set(request, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG)
        lib.hb_set_clear(features)
        lib.hb_set_invert(features)  # every feature
        lib.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS_NO_HINTING)
        subset = lib.hb_subset_or_fail(face, request)
        if not subset:
            raise SetupError(f"HarfBuzz could not subset the font {path} for the EPUB",
                             hint="install the fonts again: bash tools/install-fonts.sh")
        return blob_bytes(lib, subset)
    finally:
        if subset:
            lib.hb_face_destroy(subset)
        lib.hb_subset_input_destroy(request)
        lib.hb_face_destroy(face)
        lib.hb_blob_destroy(blob)


def decompressed(path: Path) -> bytes:
    """A clinic's WOFF or WOFF2 file as the plain OpenType font HarfBuzz reads."""
    from fontTools.ttLib import TTFont
    out = io.BytesIO()
    with TTFont(path, recalcTimestamp=False) as font:
        font.flavor = None
        font.save(out)
    return out.getvalue()


def blob_bytes(lib, face: int) -> bytes:
    blob = lib.hb_face_reference_blob(face)
    try:
        length = ctypes.c_uint()
        data = lib.hb_blob_get_data(blob, ctypes.byref(length))
        return ctypes.string_at(data, length.value)
    finally:
        lib.hb_blob_destroy(blob)
