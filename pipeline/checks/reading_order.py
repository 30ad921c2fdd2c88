"""Reading order: the article's paragraphs, in the order a screen reader reads
them from the PDF.

A screen reader follows a tagged PDF's structure tree, not the layout of its
pages, so the PDF's text is read in the tree's order (in the pages' order only
when the PDF has no tree, which the PDF/UA check, ``pdfua.py``, reports on its own). Each prose
paragraph of the article is found there by its opening words, and every
paragraph must come after the one before it.

Both sides are compared as a screen reader meets them, like with like:

- Each marked-content sequence is read as its text: the ``/ActualText`` the
  pipeline writes for a line whose glyphs do not map one for one back to its
  characters (Nastaliq, Devanagari, Tamil and Bengali conjuncts, Arabic marks
  and ligatures: ``printed/text_layer.py``), else its glyphs' own text. Both
  are in the order the glyphs are drawn, line by line. A right-to-left line
  (Arabic, Urdu, Hebrew) is drawn left to right, so it is turned back into the
  order it is read in: reversed, a run of Latin letters or digits inside it
  kept in its own direction (the bidi rule for a right-to-left line), as
  ``pdftotext`` and pdfium do.
- Only letters and digits count (NFKC-folded, so Arabic presentation forms are
  their letters; case folded; vowel signs and other combining marks left out),
  and spaces do not count: quotation marks, dashes and line breaks do not count.

Each paragraph's opening must be there letter for letter: a paragraph that is
not there, or that comes before the one before it, is an error.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
import pypdf
from pypdf.generic import ContentStream, DictionaryObject
from pdfplumber.structure import PDFStructTree, StructTreeMissing

from ..pandoc.ast import stringify
from .findings import ERROR, Report
from .readability import OPENING, is_reference_list

# Reading order: each paragraph is found in the PDF by its first words; shorter
# paragraphs ("Yes.") occur too often in other text to place them.
OPENING_WORDS = 6
SHORTEST_OPENING_WORDS = 3


def keep_enclosing_mcids() -> None:
    """Make pdfplumber give a character drawn in a marked-content sequence nested inside
    one with an MCID (a right-to-left line's ActualText for pdfium, ``printed/text_layer.py``)
    the enclosing MCID, as PDF/UA reads it: pdfplumber (0.11) forgets it there. Done once,
    for every reader of characters by MCID (the checks here and in ``pdf.py``, the tests)."""
    device = pdfplumber.page.PDFPageAggregatorWithMarkedContent
    if getattr(device, "keeps_enclosing_mcids", False):
        return

    def begin_tag(self, tag, props=None) -> None:
        self.__dict__.setdefault("enclosing_marks", []).append((self.cur_tag, self.cur_mcid))
        self.cur_tag = pdfplumber.utils.decode_text(tag.name)
        if isinstance(props, dict) and "MCID" in props:
            self.cur_mcid = props["MCID"]
        elif self.cur_mcid is None or self.cur_tag == "Artifact":
            self.cur_mcid = None

    def end_tag(self) -> None:
        marks = self.__dict__.get("enclosing_marks")
        self.cur_tag, self.cur_mcid = marks.pop() if marks else (None, None)

    device.begin_tag, device.end_tag = begin_tag, end_tag
    device.keeps_enclosing_mcids = True


keep_enclosing_mcids()

AREA = "PDF"
# Scripts written without spaces between words: each character counts as a word.
UNSPACED = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f"
            "\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff")
OPENING_UNIT = re.compile(f"[{UNSPACED}]|[^\\s{UNSPACED}]+")
# Where a paragraph's printed words stop matching its source: a citation or a
# footnote prints a marker (a number) that is not in the article's words, and an
# image's description is not in the text at all.
OPENING_STOPS = ("Cite", "Note", "Image")
FIX_THE_ORDER = ("build the PDF with the pipeline, and check that no style in styles/ moves "
                 "text with 'float', 'position' or 'order'")
RIGHT_TO_LEFT = frozenset({"R", "AL"})
OWN_DIRECTION = frozenset({"L", "EN", "AN"})  # a run kept as it is inside a right-to-left line


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
                words, count = opening_words(block["c"])
                if count >= SHORTEST_OPENING_WORDS:
                    openings.append(Opening(words, section))
            elif block["t"] == "BlockQuote":
                visit(block["c"])
            elif block["t"] == "Div" and not is_reference_list(block):
                visit(block["c"][1])

    visit(doc["blocks"])
    return openings


def opening_words(inlines: list[dict]) -> tuple[str, int]:
    """The paragraph's first words, up to the first citation, footnote or image, and how
    many words that is. In Chinese, Japanese or Thai each character counts as a word."""
    before: list[dict] = []
    for inline in inlines:
        if inline.get("t") in OPENING_STOPS:
            break
        before.append(inline)
    text = " ".join(stringify(before).split())
    units = list(OPENING_UNIT.finditer(text))[:OPENING_WORDS]
    return (text[:units[-1].end()] if units else ""), len(units)


def check_reading_order(document: pdfplumber.PDF, openings: Sequence[Opening], where: str,
                        report: Report) -> None:
    """Report the first paragraph the PDF does not hold, and the first one a screen
    reader reads before the paragraph that comes before it in the article."""
    text = comparable(reading_order_text(document))
    missing = [opening for opening in openings if text.find(comparable(opening.words)) < 0
               or not comparable(opening.words)]
    if missing:
        report.add(ERROR, AREA, "the article's text cannot be extracted in reading order: "
                   f"the paragraph starting {missing[0]} is not in the PDF's text", where,
                   "check that no text is drawn as an image, and that no style in styles/ "
                   "hides it")
    cursor, previous = 0, None
    for opening in (opening for opening in openings if opening not in missing):
        found = text.find(comparable(opening.words), cursor)
        if found < 0:  # it is in the text, but only before the paragraph before it
            report.add(ERROR, AREA, f"a screen reader reads the paragraph starting {opening} "
                       f"before the one starting {previous}, which comes before it in the "
                       "article", where, FIX_THE_ORDER)
            return
        cursor, previous = found + 1, opening


def comparable(text: str) -> str:
    """Letters and digits only, case folded, without combining marks or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(character for character in folded
                   if character.isalnum() and not unicodedata.category(character).startswith("M"))


def reading_order_text(document: pdfplumber.PDF) -> str:
    """The PDF's text in the order of its structure tree; in the pages' order when
    it has no structure tree."""
    try:
        tree = PDFStructTree(document)
    except StructTreeMissing:
        return " ".join(text_of(page.chars) for page in document.pages)
    marked = marked_content_chars(document)
    actual = actual_texts(document)
    pieces: list[str] = []

    def visit(element) -> None:
        for mcid in element.mcids or ():
            key = (element.page_number, mcid)
            if key in actual:
                pieces.append(read_in_order([{"text": character} for character in actual[key]]))
            else:
                pieces.append(text_of(marked.get(key, [])))
        for child in element.children:
            visit(child)

    for element in tree:
        visit(element)
    return " ".join(pieces)


def text_of(chars: Sequence[dict]) -> str:
    """Characters in the order they are drawn, as lines read in their own direction."""
    return " ".join(read_in_order(line) for line in drawn_lines(chars))


def drawn_lines(chars: Sequence[dict]) -> list[list[dict]]:
    """Characters in the order they are drawn, cut into lines where the next one starts
    further down and back towards the left (every line is drawn left to right)."""
    lines: list[list[dict]] = []
    for char in chars:
        if lines and not (char["x0"] < lines[-1][-1]["x0"] - char["size"]
                          and char["top"] > lines[-1][-1]["top"]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def read_in_order(line: list[dict]) -> str:
    """A line's text in reading order: a right-to-left line reversed, glyph by glyph,
    with each run of Latin letters or digits in it kept as drawn."""
    if not is_right_to_left(line):
        return "".join(char["text"] for char in line)
    ordered: list[dict] = []
    run: list[dict] = []  # a run in its own direction, with the neutral characters inside it
    for char in reversed(line):
        direction = strong_direction(char["text"])
        if direction in OWN_DIRECTION or (run and direction is None):
            run.append(char)
            continue
        ordered += flushed(run)
        ordered.append(char)
    ordered += flushed(run)
    return "".join(char["text"] for char in ordered)


def flushed(run: list[dict]) -> list[dict]:
    """A left-to-right run met backwards, put back in its order (neutral characters
    after its last letter or digit stay where they are); ``run`` is emptied."""
    end = len(run)
    while end and strong_direction(run[end - 1]["text"]) is None:
        end -= 1
    ordered = run[:end][::-1] + run[end:]
    run.clear()
    return ordered


def strong_direction(text: str) -> str | None:
    return next((unicodedata.bidirectional(character) for character in text
                 if unicodedata.bidirectional(character) in RIGHT_TO_LEFT | OWN_DIRECTION), None)


def is_right_to_left(line: list[dict]) -> bool:
    """More right-to-left letters than left-to-right ones."""
    classes = [unicodedata.bidirectional(character) for char in line for character in char["text"]]
    return sum(c in RIGHT_TO_LEFT for c in classes) > sum(c == "L" for c in classes)


def marked_content_chars(document: pdfplumber.PDF) -> dict[tuple[int, int], list[dict]]:
    """The characters of each marked-content sequence, by (page number, MCID): what
    the structure tree's elements point at."""
    marked: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for page in document.pages:
        for char in page.chars:
            if char.get("mcid") is not None:
                marked[(page.page_number, char["mcid"])].append(char)
    return marked


def actual_texts(document: pdfplumber.PDF) -> dict[tuple[int, int], str]:
    """The ``/ActualText`` of each marked-content sequence that has one, by (page number,
    MCID): the text a reader takes instead of the glyphs' own."""
    found: dict[tuple[int, int], str] = {}
    # A reader of its own: pdfminer reads the same file as it goes.
    reader = pypdf.PdfReader(document.path) if document.path else pypdf.PdfReader(document.stream)
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        if contents is None:
            continue
        for operands, operator in ContentStream(contents, reader).operations:
            if operator != b"BDC" or len(operands) != 2:
                continue
            properties = operands[1]
            if (isinstance(properties, DictionaryObject) and "/MCID" in properties
                    and "/ActualText" in properties):
                found[(number, int(properties["/MCID"]))] = str(properties["/ActualText"])
    return found
