"""The leaflet's typefaces: the font stacks of ``styles/fonts.css`` and the font files behind them.

Fonts are chosen per script in a stylesheet, not discovered from the machine
(STYLE.md). ``styles/fonts.css`` holds a stack per language (``:lang(ur) {
font-family: "Noto Nastaliq Urdu", ... }``, ``:root`` for the rest); three
readers use it:

- the PDF: WeasyPrint gets it after the leaflet's other stylesheets
  (``pdf.py``), with the @font-face rules of ``font_face_css`` for the fonts
  that are files of ours: Atkinson Hyperlegible from its PyPI package, and a
  clinic's own in ``styles/fonts/`` (``Family-Bold.ttf`` is that family's bold);
- the glyph check (``glyph_coverage.py``): ``font_stack`` is the stack of the
  last rule that matches a language tag, each family resolved to its faces,
  each face able to say which characters it draws;
- the EPUB (``epub/fonts.py``), which embeds the faces, subset.

The other families (Debian's fonts-noto-core and fonts-noto-cjk, pinned and
installed by ``tools/install-fonts.sh``) are named, not given as @font-face:
WeasyPrint's fontconfig finds them by family name, and picks the right face of
a collection (the CJK file holds the JP, KR, SC, TC and HK faces). An
@font-face ``src: local(...)`` would make WeasyPrint copy the whole 19 MB
collection once a process and give all five faces the one family name, so
Simplified Chinese could get the Japanese forms. Here the same fontconfig is
asked, through its C library (``installed_faces``): its cache already holds
each font's character set, so checking a leaflet's characters reads nothing of
a font file. A family a stack names that fontconfig does not have is an error:
no stack silently becomes whatever the machine has. Answers are cached for the
life of the process.
"""
from __future__ import annotations

import ctypes
import functools
import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SetupError, StyleError
from .native_libraries import find_library

FONT_STYLESHEET = "fonts.css"
CLINIC_FONTS_FOLDER = "fonts"
PACKAGED_FAMILIES = {"Atkinson Hyperlegible": "fontpkg_atkinson_hyperlegible"}  # family: its PyPI package
FACE_SUFFIX = re.compile(r"-(?P<face>Regular|Bold|Italic|BoldItalic)$", re.IGNORECASE)
INSTALL_HINT = ("install the fonts the project names: `bash tools/install-fonts.sh` (make does it); "
                "or put the font's files in styles/fonts/, or take it out of the stack")


@dataclass(frozen=True)
class FontFace:
    """One face of a family: its file (and face number within a collection), weight and
    style, and whether it draws a character."""

    family: str
    path: Path
    index: int
    weight: int  # 400 or 700
    style: str  # "normal" or "italic"
    draws: Callable[[int], bool] = field(compare=False, repr=False)


@dataclass(frozen=True)
class FontStack:
    """The families a language's text is set in, first choice first, from ``fonts.css``."""

    lang: str
    families: tuple[str, ...]
    file: Path
    line: int  # of the rule the stack comes from

    def faces(self, theme_dir: Path) -> tuple[tuple[FontFace, ...], ...]:
        """Each family's faces; a family that is not installed is a ``StyleError``."""
        return tuple(family_faces(family, theme_dir, self.file, self.line)
                     for family in self.families)

    def regular_faces(self, theme_dir: Path) -> tuple[FontFace, ...]:
        """The regular face of each family, in the stack's order."""
        return tuple(regular(faces) for faces in self.faces(theme_dir))

    def face_for(self, char: str, theme_dir: Path) -> FontFace | None:
        """The face that draws ``char``, as a renderer picks it: the first that has it."""
        return next((face for face in self.regular_faces(theme_dir) if face.draws(ord(char))), None)


def font_stylesheet(theme_dir: Path) -> Path:
    return theme_dir / FONT_STYLESHEET


# --- the stacks of fonts.css ------------------------------------------------------------------

def font_stack(lang: str, theme_dir: Path) -> FontStack:
    """The stack for the language tag ``lang``: the last ``:lang()`` rule matching it (CSS
    :lang(zh) matches zh-CN), else the ``:root`` rule."""
    path = font_stylesheet(theme_dir)
    stat = path.stat() if path.is_file() else None
    if stat is None:
        raise StyleError("the font stylesheet is missing", file=path,
                         hint="restore it from the project (git checkout styles/fonts.css)")
    chosen = None
    for ranges, families, line in stack_rules(path, stat.st_mtime_ns, stat.st_size):
        if ranges is None or any(lang_matches(lang, tag) for tag in ranges):
            chosen = (families, line)
    if chosen is None:
        raise StyleError("the font stylesheet has no ':root { font-family: ... }' rule, the stack "
                         "for every language without one of its own", file=path,
                         hint="restore it from the project (git checkout styles/fonts.css)")
    return FontStack(lang, chosen[0], path, chosen[1])


def lang_matches(lang: str, tag: str) -> bool:
    """CSS :lang(tag): the same tag, or one that starts with it and a hyphen."""
    lang, tag = lang.lower().replace("_", "-"), tag.lower()
    return lang == tag or lang.startswith(tag + "-")


@functools.lru_cache(maxsize=8)
def stack_rules(path: Path, _mtime: int, _size: int) -> tuple:
    """(language tags or None for :root, families, line) of each rule that sets
    ``font-family`` with only :root or :lang() selectors, in the file's order."""
    import tinycss2
    rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    found = []
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        families = font_families(rule.content)
        selectors = [lang_selector(tokens) for tokens in split_on_commas(rule.prelude)]
        if families and selectors and "other" not in selectors:
            is_root = "root" in selectors
            tags = None if is_root else tuple(selectors)
            found.append((tags, families, rule.source_line))
    return tuple(found)


def split_on_commas(tokens: list) -> list[list]:
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        elif token.type not in ("whitespace", "comment"):
            parts[-1].append(token)
    return parts


def lang_selector(tokens: list) -> str:
    """'root' for :root or html, the tag of :lang(tag), else 'other'."""
    if len(tokens) == 1 and tokens[0].type == "ident" and tokens[0].lower_value == "html":
        return "root"
    if len(tokens) != 2 or tokens[0].type != "literal" or tokens[0].value != ":":
        return "other"
    second = tokens[1]
    if second.type == "ident" and second.lower_value == "root":
        return "root"
    if second.type == "function" and second.lower_name == "lang":
        arguments = [t for t in second.arguments if t.type not in ("whitespace", "comment")]
        if len(arguments) == 1 and arguments[0].type in ("ident", "string"):
            return arguments[0].value
    return "other"


def font_families(content: list) -> tuple[str, ...]:
    """The families of a rule's ``font-family`` declaration (the last one), if any."""
    import tinycss2
    families: tuple[str, ...] = ()
    for declaration in tinycss2.parse_blocks_contents(content, skip_comments=True,
                                                      skip_whitespace=True):
        if declaration.type == "declaration" and declaration.lower_name == "font-family":
            names = []
            for part in split_on_commas(declaration.value):
                if len(part) == 1 and part[0].type == "string":
                    names.append(part[0].value)
                elif part and all(t.type == "ident" for t in part):
                    names.append(" ".join(t.value for t in part))
            families = tuple(names)
    return families


# --- the faces behind a family ---------------------------------------------------------------

def family_faces(family: str, theme_dir: Path, stylesheet: Path | None = None,
                 line: int | None = None) -> tuple[FontFace, ...]:
    """The faces of ``family``: our files first (a clinic's font of the same name as an
    installed one wins, as in the PDF, whose @font-face rules come first), else fontconfig's."""
    faces = file_faces(theme_dir).get(family.lower()) or installed_faces(family)
    if not faces:
        raise StyleError(f"the font {family!r} is not installed, so the leaflet cannot be set in it",
                         file=stylesheet or font_stylesheet(theme_dir), line=line, hint=INSTALL_HINT)
    return faces


def regular(faces: tuple[FontFace, ...]) -> FontFace:
    """The upright regular face, or the nearest there is."""
    return min(faces, key=lambda face: (face.style != "normal", abs(face.weight - 400)))


def file_faces(theme_dir: Path) -> dict[str, tuple[FontFace, ...]]:
    """Faces given as files of ours (PyPI packages, styles/fonts/), by lower-case family."""
    folder = (theme_dir / CLINIC_FONTS_FOLDER).resolve()
    return dict(faces_of_files(packaged_font_files() + tuple(clinic_font_files(folder))))


@functools.cache
def faces_of_files(files: tuple[tuple[str, int, str, Path], ...]) -> tuple:
    by_family: dict[str, list[FontFace]] = {}
    for family, weight, style, path in files:
        by_family.setdefault(family.lower(), []).append(
            FontFace(family, path, 0, weight, style, cmap_of(path).__contains__))
    return tuple((family, tuple(faces)) for family, faces in by_family.items())


class LazyCmap:
    """A font file's characters, read the first time one is asked for: by fontconfig,
    as for the installed fonts (a few milliseconds, where fontTools takes ten times that)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.charset: int | None = None

    def __contains__(self, codepoint: int) -> bool:
        lib, _ = fontconfig()
        if self.charset is None:
            self.charset = file_charset(lib, self.path)
        return bool(self.charset) and bool(lib.FcCharSetHasChar(self.charset, codepoint))


def file_charset(lib, path: Path) -> int:
    """The character set of the first face of a font file (0 if it cannot be read); its
    pattern is kept for the life of the process, as the charset points into it."""
    count = ctypes.c_int()
    pattern = lib.FcFreeTypeQuery(str(path).encode("utf-8", "surrogateescape"), 0, None,
                                  ctypes.byref(count))
    charset = ctypes.c_void_p()
    if not pattern or lib.FcPatternGetCharSet(pattern, b"charset", 0,
                                              ctypes.byref(charset)) != FC_RESULT_MATCH:
        return 0
    return charset.value or 0


@functools.cache
def cmap_of(path: Path) -> LazyCmap:
    return LazyCmap(path)


@functools.cache
def packaged_font_files() -> tuple[tuple[str, int, str, Path], ...]:
    """(family, weight, style, file) of each face of the fonts from PyPI, from each
    package's metadata.json (fontpkg's format, schema 1). Read directly: fontpkg's
    registry would first scan every installed package's entry points, a tenth of a
    second a build."""
    faces = []
    for name, module_name in PACKAGED_FAMILIES.items():
        root = Path(importlib.import_module(module_name).ROOT)
        meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        for entry in meta["files"]:
            faces.append((name, int(entry.get("weight") or 400), entry.get("style", "normal"),
                          (root / entry["path"]).resolve()))
    return tuple(faces)


def font_dirs() -> tuple[Path, ...]:
    """Folders WeasyPrint may read font files from (for @font-face)."""
    return tuple(sorted({path.parent for *_, path in packaged_font_files()}))


def font_face_css(theme_dir: Path) -> str:
    """@font-face rules for the fonts that are files of ours (not fontconfig's)."""
    faces = list(packaged_font_files()) + list(clinic_font_files(theme_dir / CLINIC_FONTS_FOLDER))
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


# --- fontconfig, as WeasyPrint sees it ---------------------------------------------------------

FC_RESULT_MATCH = 0
FC_WEIGHT_REGULAR_RANGE = range(50, 111)  # book, regular, medium
FC_WEIGHT_BOLD_RANGE = range(180, 211)  # bold, extra bold


class FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@functools.cache
def fontconfig():
    """The fontconfig library and its configuration (the system's and the user's fonts,
    read from fontconfig's cache), once a process."""
    name = find_library("fontconfig") or "libfontconfig.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise SetupError(f"fontconfig's library cannot be loaded ({error})",
                         hint="install fontconfig (WeasyPrint needs it too): apt-get install "
                              "libfontconfig1") from None
    pointer = ctypes.c_void_p
    for function, result, arguments in (
            ("FcInitLoadConfigAndFonts", pointer, []),
            ("FcPatternCreate", pointer, []),
            ("FcPatternAddString", ctypes.c_int, [pointer, ctypes.c_char_p, ctypes.c_char_p]),
            ("FcPatternDestroy", None, [pointer]),
            ("FcObjectSetCreate", pointer, []),
            ("FcObjectSetAdd", ctypes.c_int, [pointer, ctypes.c_char_p]),
            ("FcObjectSetDestroy", None, [pointer]),
            ("FcFontList", ctypes.POINTER(FcFontSet), [pointer, pointer, pointer]),
            ("FcPatternGetString", ctypes.c_int,
             [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]),
            ("FcPatternGetInteger", ctypes.c_int,
             [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]),
            ("FcPatternGetCharSet", ctypes.c_int,
             [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(pointer)]),
            ("FcCharSetHasChar", ctypes.c_int, [pointer, ctypes.c_uint32]),
            ("FcFreeTypeQuery", pointer,
             [ctypes.c_char_p, ctypes.c_uint, pointer, ctypes.POINTER(ctypes.c_int)])):
        getattr(lib, function).restype = result
        getattr(lib, function).argtypes = arguments
    return lib, lib.FcInitLoadConfigAndFonts()


@functools.cache
def installed_faces(family: str) -> tuple[FontFace, ...]:
    """The regular, bold and italic faces fontconfig has of exactly ``family``. The font
    set is kept for the life of the process: the character sets point into it."""
    lib, config = fontconfig()
    pattern = lib.FcPatternCreate()
    objects = lib.FcObjectSetCreate()
    try:
        lib.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        for name in (b"file", b"index", b"weight", b"slant", b"style", b"charset"):
            lib.FcObjectSetAdd(objects, name)
        listed = lib.FcFontList(config, pattern, objects)
    finally:
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
    if not listed:
        return ()
    faces: dict[tuple[int, str], FontFace] = {}
    for font in sorted((face_of(lib, listed.contents.fonts[i], family)
                        for i in range(listed.contents.nfont)),
                       key=lambda face: (str(face.path), face.index) if face else ("", 0)):
        if font is not None:
            faces.setdefault((font.weight, font.style), font)
    return tuple(faces.values())


def face_of(lib, pattern: int, family: str) -> FontFace | None:
    """A fontconfig pattern as a FontFace, if it is a regular or bold weight."""
    text, number, charset = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_void_p()
    if lib.FcPatternGetString(pattern, b"file", 0, ctypes.byref(text)) != FC_RESULT_MATCH:
        return None
    path = Path(text.value.decode("utf-8", "surrogateescape"))
    index = number.value if lib.FcPatternGetInteger(pattern, b"index", 0, ctypes.byref(number)) \
        == FC_RESULT_MATCH else 0
    if lib.FcPatternGetInteger(pattern, b"weight", 0, ctypes.byref(number)) != FC_RESULT_MATCH:
        return None
    fc_weight = number.value
    weight = (400 if fc_weight in FC_WEIGHT_REGULAR_RANGE
              else 700 if fc_weight in FC_WEIGHT_BOLD_RANGE else None)
    # Some fonts' weight class says regular where their style name says Bold (Noto
    # Nastaliq Urdu 2.000's bold): the name is what fontconfig and Pango choose by.
    if weight == 400 and lib.FcPatternGetString(pattern, b"style", 0, ctypes.byref(text)) \
            == FC_RESULT_MATCH and "bold" in text.value.decode("utf-8", "replace").lower().split():
        weight = 700
    slant = number.value if lib.FcPatternGetInteger(pattern, b"slant", 0, ctypes.byref(number)) \
        == FC_RESULT_MATCH else 0
    if weight is None or lib.FcPatternGetCharSet(pattern, b"charset", 0,
                                                 ctypes.byref(charset)) != FC_RESULT_MATCH:
        return None
    held = charset.value
    return FontFace(family, path, index, weight, "italic" if slant else "normal",
                    lambda codepoint: bool(lib.FcCharSetHasChar(held, codepoint)))
