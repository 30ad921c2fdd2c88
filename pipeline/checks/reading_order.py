"""Reading order: the article's paragraphs, in the order a screen reader reads
them from the PDF.

A screen reader follows a tagged PDF's structure tree, not the layout of its
pages, so the PDF's text is read in the tree's order (in the pages' order only
when the PDF has no tree, which ``check_tags`` reports on its own). Each prose
paragraph of the article is found there by its opening words, and every
paragraph must come after the one before it.

Both sides are compared as words only (letters and digits, case folded,
ligatures split): quotation marks, dashes and line breaks do not count.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
from pdfplumber.structure import PDFStructTree, StructTreeMissing
from pdfplumber.utils import extract_text

from ..config import OPENING_WORDS, SHORTEST_OPENING_WORDS
from ..pandoc.ast import stringify
from .findings import ERROR, Report
from .readability import OPENING, is_reference_list

AREA = "PDF"
WORD = re.compile(r"\w+")
# Where a paragraph's printed words stop matching its source: a citation or a
# footnote prints a marker (a number) that is not in the article's words, and an
# image's description is not in the text at all.
OPENING_STOPS = ("Cite", "Note", "Image")
FIX_THE_ORDER = ("build the PDF with the pipeline, and check that no style in styles/ moves "
                 "text with 'float', 'position' or 'order'")


@dataclass(frozen=True)
class Opening:
    """The first words of one paragraph of the article, and where it is."""

    words: str  # as the article writes them
    section: str  # the heading the paragraph is under (OPENING before the first)

    def __str__(self) -> str:
        return f"“{self.words}” (section '{self.section}')"


def paragraph_openings(doc: dict) -> list[Opening]:
    """The opening words of every prose paragraph, in the article's order. Lists,
    tables and the reference list are not prose; a paragraph too short to be
    told from other text is left out."""
    openings: list[Opening] = []
    section = OPENING

    def visit(blocks: list[dict]) -> None:
        nonlocal section
        for block in blocks:
            if block["t"] == "Header":
                section = stringify(block["c"][2])
            elif block["t"] == "Para":
                words = opening_words(block["c"])
                if len(words) >= SHORTEST_OPENING_WORDS:
                    openings.append(Opening(" ".join(words), section))
            elif block["t"] == "BlockQuote":
                visit(block["c"])
            elif block["t"] == "Div" and not is_reference_list(block):
                visit(block["c"][1])

    visit(doc["blocks"])
    return openings


def opening_words(inlines: list[dict]) -> list[str]:
    """The paragraph's first words, up to the first citation, footnote or image."""
    before: list[dict] = []
    for inline in inlines:
        if inline.get("t") in OPENING_STOPS:
            break
        before.append(inline)
    return stringify(before).split()[:OPENING_WORDS]


def check_reading_order(document: pdfplumber.PDF, openings: Sequence[Opening], where: str,
                        report: Report) -> None:
    """Report the first paragraph whose words the PDF does not hold, and the first one
    a screen reader reads before the paragraph that comes before it in the article."""
    text = comparable(reading_order_text(document))
    present = [opening for opening in openings if comparable(opening.words) in text]
    missing = [opening for opening in openings if opening not in present]
    if missing:
        report.add(ERROR, AREA, "the article's text cannot be extracted in reading order: "
                   f"the paragraph starting {missing[0]} is not in the PDF's text", where,
                   "check that no text is drawn as an image")
    cursor, previous = 0, None
    for opening in present:
        found = text.find(comparable(opening.words), cursor)
        if found < 0:  # it is in the text, but only before the paragraph before it
            report.add(ERROR, AREA, f"a screen reader reads the paragraph starting {opening} "
                       f"before the one starting {previous}, which comes before it in the "
                       "article", where, FIX_THE_ORDER)
            return
        cursor, previous = found + 1, opening


def comparable(text: str) -> str:
    """Words only, case folded, each between spaces: ' walk a little '."""
    words = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return f" {' '.join(words)} " if words else ""


def reading_order_text(document: pdfplumber.PDF) -> str:
    """The PDF's text in the order of its structure tree; in the pages' order when
    it has no structure tree."""
    try:
        tree = PDFStructTree(document)
    except StructTreeMissing:
        return " ".join(page.extract_text() or "" for page in document.pages)
    marked = marked_content_chars(document)
    pieces: list[str] = []

    def visit(element) -> None:
        for mcid in element.mcids or ():
            pieces.append(extract_text(marked.get((element.page_number, mcid), [])))
        for child in element.children:
            visit(child)

    for element in tree:
        visit(element)
    return " ".join(pieces)


def marked_content_chars(document: pdfplumber.PDF) -> dict[tuple[int, int], list[dict]]:
    """The characters of each marked-content sequence, by (page number, MCID): what
    the structure tree's elements point at."""
    marked: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for page in document.pages:
        for char in page.chars:
            if char.get("mcid") is not None:
                marked[(page.page_number, char["mcid"])].append(char)
    return marked
