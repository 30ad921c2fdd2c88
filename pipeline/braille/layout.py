"""Braille cells into lines and pages, as a transcriber lays them out (BANA,
"Braille Formats" 2016, in the simple form a leaflet needs).

- Lines are wrapped in braille, not in print (contractions change lengths), at
  the spaces between braille words; a word longer than a line is split, its
  first part ending with the braille hyphen. A number is never split (its
  second part would lose the number sign and read as letters: "30489" as
  "30" and "dhi"), and a block holding a web address, an e-mail address, a DOI
  or a number (``codes=True``) has its long words split without a hyphen, which
  a reader would take for part of the address: after a "/", "." or "-", or
  before a number, where one is near the end of the line.
- A paragraph starts in cell 3 and runs over to cell 1; a list item, a table
  row and a reference start in cell 1 (deeper list items further in) and run
  over two cells further in, so that each one's start stands out.
- Headings have a blank line before them; levels 1 and 2 are centred, deeper
  ones start in cell 5. A heading is kept on the page of the line after it.
- Each page has ``BRAILLE_LINES_PER_PAGE`` lines; the last holds only the
  braille page number, at its right end (BANA puts the braille page number at
  the right of the last line). The title page is page 1 and is followed by a
  new page.
"""
from __future__ import annotations

from dataclasses import dataclass

from .text import HEADING, ITEM, PARAGRAPH, REFERENCE, ROW, TITLE

# The braille-ready file (BRF) an embosser or a braille display reads: North American Braille
# ASCII, one character a cell, laid out as BANA's "Braille Formats" lays out a page.
BRAILLE_CELLS_PER_LINE = 40
BRAILLE_LINES_PER_PAGE = 25  # the last of them holds the braille page number, at its right end
BRAILLE_PARAGRAPH_INDENT = 2  # cells before a paragraph's first line (it starts in cell 3)
BRAILLE_RUNOVER_INDENT = 2  # cells before the second and later lines of a list item, row, reference
BRAILLE_MINOR_HEADING_INDENT = 4  # a heading of level 3 or deeper starts in cell 5

BRAILLE_HYPHEN = "-"  # dots 3-6
NUMBER_SIGN = "#"  # dots 3-4-5-6: the digits a-j follow it
# What a number is made of after its number sign: the digits (a-j), and the comma (dot 2)
# and full stop (dots 2-5-6) between digits.
NUMBER_CELLS = frozenset("ABCDEFGHIJ14")
# A long word of a block with codes is split after one of these (hyphen, full stop, the
# slash's second cell) where it can be: the places a reader expects an address to break.
BREAK_AFTER = frozenset("-4/")
# How far back from the end of a line a better place to split is looked for, in cells.
BREAK_SEARCH_CELLS = 12
CENTRED_HEADING_LEVELS = (1, 2)


@dataclass(frozen=True)
class LaidOut:
    """A block's lines, and how it sits among the others."""

    lines: list[str]
    blank_before: bool = False
    keep_with_next: bool = False
    new_page_after: bool = False


def lay_out_block(kind: str, braille: str, level: int = 0,
                  width: int = BRAILLE_CELLS_PER_LINE, codes: bool = False) -> LaidOut:
    """``codes``: the block's print holds an address or a number (see the module's docstring)."""
    if kind == TITLE:
        return LaidOut(centred(braille, width, codes), blank_before=True)
    if kind == HEADING and level in CENTRED_HEADING_LEVELS:
        return LaidOut(centred(braille, width, codes), blank_before=True, keep_with_next=True)
    if kind == HEADING:
        indent = BRAILLE_MINOR_HEADING_INDENT
        return LaidOut(wrapped(braille, width, indent, indent, codes), blank_before=True,
                       keep_with_next=True)
    if kind == PARAGRAPH:
        return LaidOut(wrapped(braille, width, BRAILLE_PARAGRAPH_INDENT, 0, codes))
    if kind in (ITEM, ROW, REFERENCE):
        first = min(level * BRAILLE_RUNOVER_INDENT, width // 2)
        return LaidOut(wrapped(braille, width, first, first + BRAILLE_RUNOVER_INDENT, codes))
    raise ValueError(f"no layout for a block of kind {kind!r}")


def wrapped(braille: str, width: int, first_indent: int, runover_indent: int,
            codes: bool = False) -> list[str]:
    """Braille ASCII in lines of at most ``width`` cells, broken between words."""
    lines: list[str] = []
    line = " " * first_indent
    for word in braille.split():
        room = width - len(line)
        if line.strip() and len(word) + 1 <= room:
            line += " " + word
            continue
        if line.strip():
            lines.append(line)
            line = " " * runover_indent
        in_number = False  # the word goes on inside a number split at the last line's end
        while len(line) + len(word) > width:  # longer than a whole line: split it
            mark = "" if codes else BRAILLE_HYPHEN
            room = width - len(line) - len(mark)
            numeric = number_cells(word, room, in_number)
            cut = split_point(word, room, numeric, prefer_breaks=codes)
            lines.append(line + word[:cut] + mark)
            line, word = " " * runover_indent, word[cut:]
            in_number = numeric[cut]
            if in_number:  # a number longer than a line: its rest opens with the number sign again
                word = NUMBER_SIGN + word
                in_number = False
        line += word
    if line.strip():
        lines.append(line)
    return lines


def split_point(word: str, room: int, numeric: list[bool], prefer_breaks: bool) -> int:
    """Where to split ``word`` to fit ``room`` cells: never inside a number (``numeric``, from
    ``number_cells``) where it can be helped; with ``prefer_breaks``, after a break character
    or before a number near the end of the room."""
    allowed = [cut for cut in range(room, 0, -1) if not numeric[cut]]
    if prefer_breaks:
        nearby = [cut for cut in allowed if cut > room - BREAK_SEARCH_CELLS
                  and (word[cut - 1] in BREAK_AFTER or word[cut] == NUMBER_SIGN)]
        allowed = nearby or allowed
    return allowed[0] if allowed else room  # a number longer than a line: nothing better


def number_cells(word: str, room: int, in_number: bool = False) -> list[bool]:
    """For each of the first ``room + 1`` cells of ``word``: whether it goes on a number begun
    by a number sign before it (a split before it would cut the number). Only as far as the
    room: a word as long as a hostile article is looked at a line at a time."""
    found = []
    for cell in word[:room + 1]:
        after_sign = bool(found) and word[len(found) - 1] == NUMBER_SIGN
        in_number = cell in NUMBER_CELLS and (in_number or after_sign)
        found.append(in_number)
    return found + [False] * (room + 1 - len(found))


def centred(braille: str, width: int, codes: bool = False) -> list[str]:
    return [" " * ((width - len(line)) // 2) + line for line in wrapped(braille, width, 0, 0, codes)]


def paginate(blocks: list[LaidOut], lines_per_page: int = BRAILLE_LINES_PER_PAGE) -> list[list[str]]:
    """The blocks' lines in pages of ``lines_per_page - 1`` lines of text (the last line of
    each page is the page number's). A blank line at the top of a page is left out."""
    room = lines_per_page - 1
    pages: list[list[str]] = [[]]
    for block in blocks:
        page = pages[-1]
        blank = block.blank_before and bool(page)
        needed = int(blank) + len(block.lines) + int(block.keep_with_next)
        if block.keep_with_next and page and len(page) + needed > room:
            pages.append([])
            blank = False
        for line in [""] * blank + block.lines:
            if len(pages[-1]) == room:
                pages.append([])
                if not line:
                    continue
            pages[-1].append(line)
        if block.new_page_after:
            pages.append([])
    if not pages[-1] and len(pages) > 1:
        pages.pop()
    return pages


def with_page_numbers(pages: list[list[str]], numbers: list[str],
                      lines_per_page: int = BRAILLE_LINES_PER_PAGE,
                      width: int = BRAILLE_CELLS_PER_LINE) -> list[list[str]]:
    """Each page filled to its last line, which holds its braille page number at the right."""
    numbered = []
    for page, number in zip(pages, numbers, strict=True):
        lines = [line.rstrip() for line in page] + [""] * (lines_per_page - 1 - len(page))
        numbered.append(lines + [number.rjust(width)])
    return numbered
