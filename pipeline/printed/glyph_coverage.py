"""No character of a leaflet prints as an empty box: a font of its stack draws each one.

A renderer that finds no font for a character draws the font's ``.notdef`` glyph
(an empty box) or takes whatever font the machine has; neither belongs in a
leaflet a patient reads. So before anything is laid out, every character of
the text that ends up in the leaflet (the article's text and its front matter,
the reference list, the pipeline's own words from the language's strings file)
is looked up in the leaflet's font stack (``styles/fonts.css``, read by
``fonts.py``), and the first one that no font has stops the build with a
``SourceError``: the character and its Unicode name, its code point, the script
it belongs to, and the file and line it is on (the article's, else the
bibliography's or the strings file's).

Characters that no font needs to draw are not looked up: spaces, line breaks,
control and format characters (bidi marks and isolates, zero-width joiners, the
soft hyphen) and variation selectors. A character the fonts lack but that the
shaper builds from parts they have (an accented letter written precomposed,
whose base letter and combining accent a font has) passes.

Only the regular faces are asked (bold faces of the same families have the same
characters); the answers come from fontconfig's cache, so a check costs
milliseconds, once a process for the fonts and once a build for the text.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError
from ..pandoc.ast import walk
from .fonts import FontFace, FontStack

if TYPE_CHECKING:
    from ..article.model import Article
    from ..leaflet import LeafletBuild

NO_GLYPH_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}
VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0), range(0x180B, 0x1810))
SCRIPTS_WITHOUT_NAME = {
    "Zyyy": "Common (symbols and emoji)",
    "Zinh": "Inherited (combining marks)",
    "Zzzz": "Unknown (unassigned)",
}
TEXT_FIELDS_SKIPPED = {"path", "markdown", "field_lines", "bibliography", "easy_read_of",
                       "translation_of", "logo", "colour", "lang", "csl", "nocite"}


def check_glyph_coverage(leaflet: LeafletBuild) -> None:
    """Raise a ``SourceError`` for the first character of the leaflet no font of its
    stack can draw (a ``StyleError`` if a font the stack names is not installed)."""
    article, words = leaflet.article, leaflet.words
    stack = leaflet.theme.font_stack(article.lang)
    faces = stack.regular_faces(leaflet.theme.folder)
    texts = [*document_texts(leaflet.doc), *article_texts(article), *strings_in(words.words)]
    missing = first_undrawable(texts, faces)
    if missing is not None:
        raise undrawable_error(missing, article, stack, [words.file])


def first_undrawable(texts: Iterable[str], faces: tuple[FontFace, ...]) -> str | None:
    """The first character, in reading order, that needs a glyph and that no face draws."""
    seen: set[str] = set()
    for text in texts:
        for char in unicodedata.normalize("NFC", text):
            if char in seen:
                continue
            seen.add(char)
            if needs_glyph(char) and not drawable(char, faces):
                return char
    return None


def needs_glyph(char: str) -> bool:
    codepoint = ord(char)
    if any(codepoint in selectors for selectors in VARIATION_SELECTORS):
        return False
    return unicodedata.category(char) not in NO_GLYPH_CATEGORIES


def drawable(char: str, faces: tuple[FontFace, ...]) -> bool:
    """A face has the character, or every part of its canonical decomposition (the
    shaper then draws the base letter and its mark)."""
    if any(face.draws(ord(char)) for face in faces):
        return True
    parts = unicodedata.normalize("NFD", char)
    return parts != char and all(not needs_glyph(part) or any(face.draws(ord(part)) for face in faces)
                                 for part in parts)


def document_texts(doc: dict) -> Iterator[str]:
    """The text of the AST as printed: words, code, maths (citations are rendered by now,
    so the reference list is in it)."""
    found: list[str] = []

    def visit(element: dict) -> None:
        kind = element["t"]
        if kind == "Str":
            found.append(element["c"])
        elif kind in ("Code", "CodeBlock", "Math"):
            found.append(element["c"][1])

    walk(doc, visit)
    return iter(found)


def article_texts(article: Article) -> Iterator[str]:
    """Every text of the front matter that may print: title, subtitle, authors, clinic,
    approvals, description, keywords, ..."""
    for item in dataclasses.fields(article):
        if item.name not in TEXT_FIELDS_SKIPPED:
            yield from strings_in(getattr(article, item.name))


def strings_in(value: object) -> Iterator[str]:
    """Every string inside a value (dataclasses, mappings, lists), but not file paths."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name not in TEXT_FIELDS_SKIPPED:
                yield from strings_in(getattr(value, item.name))
    elif isinstance(value, dict):
        for entry in value.values():
            yield from strings_in(entry)
    elif isinstance(value, (list, tuple)):
        for entry in value:
            yield from strings_in(entry)


def script_of(char: str) -> str:
    """The Unicode script's name (Cuneiform, Arabic), or what a script-less one is."""
    from fontTools import unicodedata as font_unicodedata
    code = font_unicodedata.script(char)
    return SCRIPTS_WITHOUT_NAME.get(code) or font_unicodedata.script_name(code, default=code)


def undrawable_error(char: str, article: Article, stack: FontStack,
                     other_files: list[Path]) -> SourceError:
    file, line = where_written(char, article, other_files)
    name = unicodedata.name(char, "no name")
    script = script_of(char)
    fonts = ", ".join(f'"{family}"' for family in stack.families)
    return SourceError(
        f"no font of the stack for '{article.lang}' draws the character {char!r} "
        f"(U+{ord(char):04X} {name}, script: {script}), so it would print as an empty box; "
        f"the stack is {fonts}",
        file=file, line=line,
        hint=f"remove or replace the character; or add a font that draws {script} text to the "
             f"stack for '{article.lang}' in {stack.file} (line {stack.line}): a family "
             f"tools/install-fonts.sh installs, or one whose files you put in styles/fonts/")


def where_written(char: str, article: Article, other_files: list[Path]) -> tuple[Path, int | None]:
    """The file and line the character is first written on: the article (front matter
    included), else a bibliography file, else the strings file."""
    for path in (article.path, *article.bibliography, *other_files):
        line = line_with(path, char)
        if line is not None:
            return path, line
    return article.path, None


def line_with(path: Path, char: str) -> int | None:
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if char in line:
            return number
    return None
