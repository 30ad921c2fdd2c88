"""Footnote marks a patient can tell from citation marks.

In a style whose citations are superscript numbers (AMA, the default; Vancouver
superscript; Nature), a footnote numbered the same way looks like a source:
"weeks¹" is reference 1 and "heal.¹" is footnote 1. In such a leaflet the
footnotes are marked with lower-case letters instead (a, b, c, ... z, aa, ab,
as CSS's ``lower-alpha`` counts), in the printed editions (the mark in the text
and at the foot of the page: ``leaflet.css``, class ``lettered``) and in the EPUB
(pandoc's footnote marks, and a label at the start of each note, which pandoc
leaves unnumbered: ``epub/writer.py``).

Why letters rather than symbols (*, †, ‡, §): letters are what a patient already
reads, a screen reader says "a" where it may skip "†" or call it "dagger", and they
never run out, where a seventh symbol has to be doubled (**, ††), which few readers
know to follow. And in a health leaflet † is read as "deceased". Where the citations
are not superscript numbers — author-date "(Lee 2020)", numbers in brackets "[1]", or
a note style whose citations are footnotes themselves — the notes keep their numbers.
"""
from __future__ import annotations

from ..pandoc.ast import elements


def notes_are_lettered(doc: dict) -> bool:
    """Whether ``doc`` (citations rendered) has footnotes and citations printed as
    superscripts, so that its footnotes are marked with letters."""
    if next(elements(doc["blocks"], "Note"), None) is None:
        return False
    return any(next(elements(cite["c"][1], "Superscript"), None) is not None
               for cite in elements(doc["blocks"], "Cite"))


def letter(number: int) -> str:
    """The mark of note ``number`` (from 1): a ... z, aa ... az, ba ..., as CSS's
    ``lower-alpha`` counts, so the EPUB's marks are the PDF's."""
    mark = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        mark = chr(ord("a") + rest) + mark
    return mark
