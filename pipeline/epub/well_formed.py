"""Every EPUB is well-formed XML before it is written.

An e-reader refuses a whole book whose content document, package document,
navigation or cover is not well-formed XML, and a reader with a screen reader
then has no leaflet at all. The pipeline keeps such text out (control
characters: ``article/characters.py``; raw HTML: ``article/safety.py``), and
this check, run on the finished package, catches whatever still gets through:
it parses each XML file in it with lxml, a strict parser, and an EPUB that
fails is an error, so the previous good EPUB stays in place (``files.py``).
EPUBCheck (run by ``make check`` and before a release) says more; this is the
build's own gate, a few milliseconds a leaflet.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..errors import RenderError

# The files of an EPUB that are XML: content documents, the package document, the EPUB 2
# table of contents, SVG images and covers, container.xml, media overlays (.smil).
XML_SUFFIXES = (".xhtml", ".html", ".htm", ".opf", ".ncx", ".svg", ".xml", ".smil")


def xml_parser() -> etree.XMLParser:
    """Strict, and reading nothing beyond the bytes it is given: no DTD, no entities
    from outside, no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           recover=False, huge_tree=False)


def check_well_formed(epub: bytes, what: str = "the EPUB") -> None:
    """Raise ``RenderError`` naming the first file in the package ``epub`` that is not
    well-formed XML, with the line and what the parser found."""
    with zipfile.ZipFile(io.BytesIO(epub)) as package:
        for name in package.namelist():
            if not name.lower().endswith(XML_SUFFIXES):
                continue
            data = package.read(name)
            try:
                etree.fromstring(data, xml_parser())
            except etree.XMLSyntaxError as error:
                raise not_well_formed(what, name, error, data) from None


def not_well_formed(what: str, name: str, error: etree.XMLSyntaxError, data: bytes) -> RenderError:
    return RenderError(
        f"{what} would not be well-formed XML, so e-readers would refuse it: {name}: "
        f"{error.msg}{excerpt(data, error.lineno, error.offset)}; the previous EPUB is left "
        "as it was",
        hint="look in the article for what that line of the EPUB holds: an invisible "
             "character pasted into the text, or raw HTML; remove it and build again")


EXCERPT_CHARS = 60  # either side of where the parser stopped


def excerpt(data: bytes, line: int | None, column: int | None) -> str:
    """The text around where the parser stopped, for the author to find in the article."""
    lines = data.decode("utf-8", "replace").split("\n")
    if not line or line > len(lines):
        return ""
    text, at = lines[line - 1], max(0, (column or 1) - 1)
    near = text[max(0, at - EXCERPT_CHARS):at + EXCERPT_CHARS].strip()
    shown = "".join(character if character.isprintable() else f"<U+{ord(character):04X}>"
                    for character in near)
    return f", in {shown!r}" if shown else ""
