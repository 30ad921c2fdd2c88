"""Reading order: the article's paragraphs, in the order a screen reader reads
them from the PDF.

A screen reader follows a tagged PDF's structure tree, not the layout of its
pages, so the PDF's text is read in the tree's order (in the pages' order only
when the PDF has no tree, which the PDF/UA check, ``pdfua.py``, reports on its own). Each prose
paragraph of the article is found there by its opening words, and every
paragraph must come after the one before it.

Both sides are compared as a screen reader meets them, like with like:

- Each marked-content sequence is read in the order its glyphs are drawn, line
  by line. A right-to-left line (Arabic, Urdu, Hebrew) is drawn left to right,
  so it is turned back into the order it is read in: its glyphs reversed, a run
  of Latin letters or digits inside it kept in its own direction (the bidi rule
  for a right-to-left line). A glyph that stands for several letters (a lam-alef
  ligature) keeps them in their order.
- Only letters and digits count (NFKC-folded, so Arabic presentation forms are
  their letters; case folded; vowel signs and other combining marks left out,
  since a font draws them before, above or after their letter), and spaces do
  not count: quotation marks, dashes, line breaks, a space a PDF reader guesses
  inside a Nastaliq word do not count.

A PDF's text layer (ToUnicode) maps each drawn glyph to one piece of text, and a
script drawn with one glyph for several letters, or one letter from several
glyphs (Devanagari conjuncts, Nastaliq's dots shared between letters), reads
back with letters lost or changed. A paragraph that is not found letter for
letter but whose opening reads back closely enough (``CLOSE_ENOUGH``) is there,
in its place; the PDF is then reported once for misspelling it, which is what a
screen reader would say. A paragraph that is not there at all, or that comes
before the one before it, is an error.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
from pdfplumber.structure import PDFStructTree, StructTreeMissing

from ..config import OPENING_WORDS, SHORTEST_OPENING_WORDS
from ..pandoc.ast import stringify
from .findings import ERROR, WARNING, Report
from .readability import OPENING, is_reference_list

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
# How much of an opening's letters must read back, in order (difflib's ratio), for the
# paragraph to count as there but misspelled by the PDF's text layer. Measured on the
# translated-leaflet fixtures: Nastaliq Urdu reads back at 0.75 to 0.85, Devanagari and
# Arabic at 0.9 or more; an opening that is not in the PDF matches some other passage
# at 0.5 or less.
CLOSE_ENOUGH = 0.7
RIGHT_TO_LEFT = frozenset({"R", "AL"})
OWN_DIRECTION = frozenset({"L", "EN", "AN"})  # a run kept as it is inside a right-to-left line
FOR_SCREEN_READERS = ("give screen-reader users the EPUB, whose text is the article's own; the "
                      "PDF's text layer maps each drawn glyph to one piece of text, which loses "
                      "letters in scripts that draw a letter from several glyphs")


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
    """Report the first paragraph the PDF does not hold, the first one a screen reader
    reads before the paragraph that comes before it in the article, and (once) a text
    layer that misspells the paragraphs it holds."""
    text = comparable(reading_order_text(document))
    places = {opening: find(comparable(opening.words), text) for opening in openings}
    missing = [opening for opening in openings if places[opening] is None]
    if missing:
        report.add(ERROR, AREA, "the article's text cannot be extracted in reading order: "
                   f"the paragraph starting {missing[0]} is not in the PDF's text", where,
                   "check that no text is drawn as an image, and that no style in styles/ "
                   "hides it")
    present = [opening for opening in openings if places[opening] is not None]
    misspelt = [opening for opening in present if places[opening].likeness < 1]
    if misspelt:
        worst = min(misspelt, key=lambda opening: places[opening].likeness)
        report.add(WARNING, AREA, f"the PDF's text layer misspells {len(misspelt)} of the "
                   f"{len(present)} paragraphs a screen reader would read: the paragraph starting "
                   f"{worst} reads back with {1 - places[worst].likeness:.0%} of its letters wrong "
                   "or missing", where, FOR_SCREEN_READERS)
    cursor, previous = 0, None
    for opening in present:
        found = find(comparable(opening.words), text, cursor)
        if found is None:  # it is in the text, but only before the paragraph before it
            report.add(ERROR, AREA, f"a screen reader reads the paragraph starting {opening} "
                       f"before the one starting {previous}, which comes before it in the "
                       "article", where, FIX_THE_ORDER)
            return
        cursor, previous = found.start + 1, opening


@dataclass(frozen=True)
class Place:
    start: int  # where the opening's letters begin in the PDF's letters
    likeness: float  # 1 when letter for letter; difflib's ratio when read back close enough


def find(letters: str, text: str, start: int = 0) -> Place | None:
    """Where ``letters`` first are in ``text`` from ``start``, letter for letter; else the
    passage most like them, if it is ``CLOSE_ENOUGH``."""
    if not letters:
        return None
    exact = text.find(letters, start)
    if exact >= 0:
        return Place(exact, 1.0)
    best = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(letters)
    for begin in range(start, max(start, len(text) - len(letters)) + 1):
        matcher.set_seq1(text[begin:begin + len(letters)])
        floor = best.likeness if best else CLOSE_ENOUGH
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        likeness = matcher.ratio()
        if likeness >= floor and (best is None or likeness > best.likeness):
            best = Place(begin, likeness)
    return best


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
    pieces: list[str] = []

    def visit(element) -> None:
        for mcid in element.mcids or ():
            pieces.append(text_of(marked.get((element.page_number, mcid), [])))
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
