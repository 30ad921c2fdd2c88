"""The bibliography's own text: its markup, quotation marks and apostrophes.

CSL-JSON text may carry a few HTML-like tags (``<i>``, ``<b>``, ``<sup>``,
``<sub>``, ``<span class="nocase">``, small caps), which pandoc's citeproc
renders as formatting; any other ``<``, ``>`` or ``&`` is text. citeproc-py
passed values (and affixes, such as ABNT's ``prefix="Disponível em: &lt;"``)
into its HTML unescaped, so a URL in angle brackets vanished as a "tag".

CSL 1.0.2, "Quotes": quotation marks are terms of the locale ("open-quote",
"close-quote", and "open-inner-quote"/"close-inner-quote" for quotes within
quotes, Appendix II). A title that quotes something in its data (`A "new"
method`, `the 'gate' theory`) is quoted with the same terms, and flips to the
inner ones inside a quoted title; an apostrophe typed as a straight quote
(`Simons' manual`, `O'Brien`) is the typographic one (’). This is how
pandoc's citeproc and citeproc-js read CSL-JSON text; citeproc-py printed
the straight marks as typed.

The values are prepared before citeproc-py reads them: a quotation in the
data becomes a pair of private-use marks, the same marks ``cs:text
quotes="true"`` writes (see ``quotes``), and the marks are turned into
the locale's quotation marks, by depth, once the citation or entry is
rendered.
"""
from __future__ import annotations

import html
import re

from .citation_label import with_citation_label
from .name_parts import parsed_name

OPEN_QUOTE = "\ue002"
CLOSE_QUOTE = "\ue003"
QUOTE_MARKS = OPEN_QUOTE + CLOSE_QUOTE
# Where two rendered pieces were joined (see ``punctuation``).
SEAM = "\ue004"
RENDERING_MARKS = QUOTE_MARKS + SEAM
# A run of the tags citeproc-py's HTML formatter writes (none, or several), as a pattern:
# the string-level rules look through them ("al.</i>." is a doubled period).
TAGS_PATTERN = r"(?:</?[a-z]+(?:\s[^>]*)?>)*"
APOSTROPHE = "\u2019"
STRAIGHT_QUOTES = "\"'"
TYPOGRAPHIC_QUOTES = "\u201c\u201d\u2018\u2019"
# Fields that are identifiers or codes, not text: their quotes are left alone.
LITERAL_FIELDS = frozenset({"id", "type", "language", "URL", "DOI", "ISBN", "ISSN", "PMID",
                            "PMCID", "call-number", "citation-key", "citation-label"})
OPENS_AFTER = frozenset(" \t\n([{\u2014\u2013-/")


# The markup CSL-JSON text and CSL affixes may carry (citeproc-js's "rich text" tags).
RICH_TEXT_TAG = re.compile(
    r'&lt;(/?(?:i|b|sup|sub|sc)|span class="nocase"|'
    r'span style="font-variant:\s*small-caps;?"|/span)&gt;')


# citeproc-js's short tag for small caps, written as the span CSL 1.0.2 ("Rich Text
# Markup") names, which the citation stage reads as small caps.
SMALL_CAPS_TAGS = {"sc": '<span style="font-variant:small-caps;">', "/sc": "</span>"}


def escaped(text: str) -> str:
    """Text for citeproc-py's HTML: markup characters escaped, rich-text tags kept."""
    escaped_text = html.escape(text, quote=False)
    return RICH_TEXT_TAG.sub(lambda match: rich_text_tag(html.unescape(match.group(1))), escaped_text)


def rich_text_tag(tag: str) -> str:
    return SMALL_CAPS_TAGS.get(tag, f"<{tag}>")


def prepared_references(references: list[dict]) -> list[dict]:
    """Copies of the CSL-JSON items with the quotation marks of their text marked (and a
    citation-label, ``citation_label``)."""
    return [prepared_item(with_citation_label(item)) for item in references]


def prepared_item(item: dict) -> dict:
    prepared = {}
    for field, value in item.items():
        if field in ("id", "type", "language"):
            prepared[field] = value
        elif field in LITERAL_FIELDS and isinstance(value, str):
            prepared[field] = escaped(value)
        elif isinstance(value, str):
            prepared[field] = mark_quotes(escaped(value))
        elif isinstance(value, list) and all(isinstance(name, dict) for name in value):
            prepared[field] = [{part: mark_quotes(escaped(text)) if isinstance(text, str) else text
                                for part, text in parsed_name(name).items()} for name in value]
        else:
            prepared[field] = value
    return prepared


def mark_quotes(text: str, typographic: bool = True) -> str:
    """Straight quotation marks as quote marks (paired) or apostrophes; with ``typographic``,
    the typographic ones as quote marks too, so that they nest as the locale's do."""
    if not any(mark in text for mark in STRAIGHT_QUOTES + (TYPOGRAPHIC_QUOTES if typographic else "")):
        return text
    out: list[str] = []
    open_marks: list[tuple[str, int]] = []  # (which straight mark opened, where in out)
    for index, char in enumerate(text):
        if typographic and char in TYPOGRAPHIC_QUOTES:
            out.append(typographic_quote(char, open_marks, len(out)))
            continue
        if char not in STRAIGHT_QUOTES:
            out.append(char)
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char == "'" and before.isalnum() and (after.isalnum() or not is_open(open_marks, "'")):
            out.append(APOSTROPHE)  # Simons' / O'Brien / it's
        elif is_open(open_marks, char) and not before.isspace():
            open_marks.pop()
            out.append(CLOSE_QUOTE)
        elif before in OPENS_AFTER or before in QUOTE_MARKS or index == 0:
            open_marks.append((char, len(out)))
            out.append(OPEN_QUOTE)
        else:
            out.append(APOSTROPHE if char == "'" else char)
    for char, position in open_marks:  # never closed: not a quotation after all
        out[position] = {"'": APOSTROPHE, '"': "\u201c"}.get(char, char)  # '09, 'tis
    return "".join(out)


def typographic_quote(char: str, open_marks: list[tuple[str, int]], position: int) -> str:
    """“ and ‘ open a quotation, ” closes one “ opened, ’ one ‘ opened (else it is an
    apostrophe, as in O’Brien)."""
    if char in "\u201c\u2018":
        open_marks.append((char, position))
        return OPEN_QUOTE
    opener = "\u201c" if char == "\u201d" else "\u2018"
    if is_open(open_marks, opener):
        open_marks.pop()
        return CLOSE_QUOTE
    return char


def is_open(open_marks: list[tuple[str, int]], char: str) -> bool:
    return bool(open_marks) and open_marks[-1][0] == char


def resolve_quotes(rendered: str, outer: tuple[str, str], inner: tuple[str, str]) -> str:
    """The quote marks as the locale's quotation marks: outer ones, inner ones within them."""
    if OPEN_QUOTE not in rendered and CLOSE_QUOTE not in rendered:
        return rendered
    out: list[str] = []
    depth = 0
    for char in rendered:
        if char == OPEN_QUOTE:
            out.append((outer if depth % 2 == 0 else inner)[0])
            depth += 1
        elif char == CLOSE_QUOTE:
            depth = max(depth - 1, 0)
            out.append((outer if depth % 2 == 0 else inner)[1])
        else:
            out.append(char)
    return "".join(out)
