"""The braille-ready file: translated back by liblouis, it must still say what
the article says.

The BRF is read as an embosser reads it (pages at form feeds, lines at CR LF,
the page-number line of each page left out, a word split with the braille
hyphen joined again) and liblouis translates it back with the same table. Its
words are compared with the article's (case ignored, punctuation ignored, in
order); more than ``BRAILLE_MAX_WORD_LOSS`` of them missing is an error that
quotes the first passage lost. The file's shape (cells a line, lines a page,
characters) is checked too.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..braille.liblouis import BRAILLE_ASCII, backward, table_for_language
from ..braille.text import print_blocks
from ..config import (BRAILLE_CELLS_PER_LINE, BRAILLE_LINES_PER_PAGE, BRAILLE_MAX_WORD_LOSS,
                      BRAILLE_ONE_WAY_TABLES, BRAILLE_QUOTED_WORDS)
from ..errors import PipelineError
from .findings import ERROR, NOT_RUN, Report

if TYPE_CHECKING:
    from ..article.front_matter import Article

AREA = "braille"
BRF_CHARACTERS = frozenset(BRAILLE_ASCII)
SPLIT_WORD = re.compile(r"(\S)-$")


def braille_can_be_built(article: Article, report: Report) -> bool:
    """Whether the leaflet's language has a braille table; if not, the report says so."""
    if table_for_language(article.lang) is not None:
        return True
    report.add(NOT_RUN, AREA, f"no braille is made for the language '{article.lang}': "
               "liblouis has no table for it here", f"{article.path.name}: lang",
               "add the language's table to BRAILLE_TABLES in pipeline/config.py, if liblouis has one")
    return False


def check_brf(brf: Path, doc: dict, article: Article, report: Report) -> None:
    pages = read_pages(brf)
    check_shape(pages, brf, report)
    table = table_for_language(article.lang)
    if table is None or table in BRAILLE_ONE_WAY_TABLES:
        report.add(NOT_RUN, AREA, f"liblouis cannot translate the braille table {table} back "
                   "reliably, so the braille was not compared with the article", brf.name,
                   "have a braille reader proofread it")
        return
    try:
        back = backward(text_lines(pages), table)
    except PipelineError as error:
        report.add(NOT_RUN, AREA, f"the braille could not be translated back: {error.message}",
                   brf.name, error.hint or "")
        return
    check_words(article_words(doc, article), words(" ".join(back)), brf, report)


def read_pages(brf: Path) -> list[list[str]]:
    text = brf.read_bytes().decode("latin-1")
    return [page.split("\r\n")[:-1] if page.endswith("\r\n") else page.split("\r\n")
            for page in text.split("\f")]


def check_shape(pages: list[list[str]], brf: Path, report: Report) -> None:
    for number, page in enumerate(pages, start=1):
        if len(page) > BRAILLE_LINES_PER_PAGE:
            report.add(ERROR, AREA, f"page {number} has {len(page)} lines, more than "
                       f"{BRAILLE_LINES_PER_PAGE}", brf.name, "build the BRF with the pipeline")
        for line in page:
            strange = sorted(set(line) - BRF_CHARACTERS)
            if len(line) > BRAILLE_CELLS_PER_LINE or strange:
                report.add(ERROR, AREA, f"page {number} has a line of {len(line)} cells"
                           + (f" with characters that are not Braille ASCII: {strange}" if strange else
                              f", more than {BRAILLE_CELLS_PER_LINE}") + f": {line!r}",
                           brf.name, "build the BRF with the pipeline")
                return


def text_lines(pages: list[list[str]]) -> list[str]:
    """The lines that hold text (not the page numbers), a split word joined again."""
    lines: list[str] = []
    for page in pages:
        for line in page[:-1]:
            if lines and SPLIT_WORD.search(lines[-1]) and line[:1].strip():
                lines[-1] = lines[-1][:-1] + line.strip()
            elif line.strip():
                lines.append(line.strip())
    return lines


def article_words(doc: dict, article: Article) -> list[str]:
    """The article's words as the braille should hold them: title, subtitle, body, references."""
    texts = [article.title, article.subtitle or ""] + [block.text for block in print_blocks(doc["blocks"])]
    return [word for text in texts for word in text.split()]


def words(text: str) -> list[str]:
    return text.split()


def comparable(word: str) -> str:
    """A word with case and punctuation ignored."""
    return "".join(character for character in word.casefold() if character.isalnum())


def check_words(expected: list[str], found: list[str], brf: Path, report: Report) -> None:
    """An error when more than the allowed share of ``expected`` is missing from ``found``."""
    wanted = [(word, comparable(word)) for word in expected if comparable(word)]
    matcher = difflib.SequenceMatcher(None, [key for _, key in wanted],
                                      [comparable(word) for word in found if comparable(word)],
                                      autojunk=False)
    lost = [(start, end) for tag, start, end, _, _ in matcher.get_opcodes() if tag in ("delete", "replace")]
    missing = sum(end - start for start, end in lost)
    if not wanted or missing / len(wanted) <= BRAILLE_MAX_WORD_LOSS:
        return
    start, end = lost[0]
    passage = " ".join(word for word, _ in wanted[start:min(end, start + BRAILLE_QUOTED_WORDS)])
    report.add(ERROR, AREA, f"translated back, the braille has lost {missing} of the article's "
               f"{len(wanted)} words ({missing / len(wanted):.1%}, more than "
               f"{BRAILLE_MAX_WORD_LOSS:.0%}); the first passage lost: \u201c{passage}\u201d", brf.name,
               "look for characters braille has no sign for in that passage (symbols, another "
               "script) and write them in words; if the text is plain, report it with the leaflet")
