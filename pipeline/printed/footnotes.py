"""Footnotes at the foot of the page that cites them, in every printed edition.

pandoc's HTML writer collects notes at the end of the document (after the
references), where a reader of paper never looks. Here, before pandoc writes the
print HTML, each ``Note`` becomes a ``<span class="footnote">`` holding its text
where its mark stands; ``leaflet.css`` floats it into the page's ``@footnote``
area (``float: footnote``), and WeasyPrint prints the mark and numbers the notes
through the leaflet — with letters where the citations are superscript numbers
(``citations/note_marks.py``).

A note's paragraphs become spans too (``footnote-paragraph``, shown as blocks):
a span sits inside the paragraph that cites it, where only inline content is
allowed. The EPUB is written from the untouched AST, so e-readers get pandoc's
``epub:type="footnote"`` asides, which they show in place.
"""
from __future__ import annotations

from ..citations.note_marks import notes_are_lettered
from ..pandoc.ast import attr, stringify

FOOTNOTE_CLASS = "footnote"
PARAGRAPH_CLASS = "footnote-paragraph"
LETTERED_CLASS = "lettered"  # marked a, b, c: the citations are superscript numbers
# Blocks whose inlines are a paragraph of the note's text; the other blocks that hold
# blocks are looked into, and anything else (a table, a code block) is kept as its text.
INLINE_BLOCKS = ("Para", "Plain", "Header")


def with_footnotes_in_place(doc: dict) -> dict:
    """``doc`` with every note as a ``footnote`` span at its mark; ``doc`` itself is
    unchanged (the EPUB is written from it). Without notes, ``doc`` itself."""
    if not has_notes(doc["blocks"]):
        return doc
    classes = [FOOTNOTE_CLASS, LETTERED_CLASS] if notes_are_lettered(doc) else [FOOTNOTE_CLASS]
    return {**doc, "blocks": replaced_notes(doc["blocks"], classes)}


def has_notes(node: object) -> bool:
    if isinstance(node, dict):
        return node.get("t") == "Note" or any(has_notes(value) for value in node.values())
    if isinstance(node, list):
        return any(has_notes(item) for item in node)
    return False


def replaced_notes(node: object, classes: list[str]) -> object:
    """A copy of ``node`` with each ``Note`` made a span; what holds no note is shared."""
    if isinstance(node, dict):
        if node.get("t") == "Note":
            return footnote_span(node["c"], classes)
        return {key: replaced_notes(value, classes) for key, value in node.items()}
    if isinstance(node, list):
        return [replaced_notes(item, classes) for item in node]
    return node


def footnote_span(blocks: list[dict], classes: list[str]) -> dict:
    paragraphs = note_paragraphs(blocks)
    if len(paragraphs) == 1:
        content = paragraphs[0]
    else:
        content = [{"t": "Span", "c": [attr(classes=[PARAGRAPH_CLASS]), inlines]}
                   for inlines in paragraphs]
    return {"t": "Span", "c": [attr(classes=classes), content]}


def note_paragraphs(blocks: list[dict]) -> list[list[dict]]:
    """The note's text as runs of inlines, one a paragraph (or list item, or line)."""
    paragraphs: list[list[dict]] = []
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in INLINE_BLOCKS:
            paragraphs.append(content[2] if kind == "Header" else content)
        elif kind == "LineBlock":
            paragraphs.extend(content)
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            for item in items:
                paragraphs.extend(note_paragraphs(item))
        elif kind == "BlockQuote":
            paragraphs.extend(note_paragraphs(content))
        elif kind == "Div":
            paragraphs.extend(note_paragraphs(content[1]))
        elif kind != "HorizontalRule":
            text = stringify(block)
            if text.strip():
                paragraphs.append([{"t": "Str", "c": text}])
    return paragraphs or [[]]
