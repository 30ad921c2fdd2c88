"""The braille-ready file: translated back by liblouis, it must still say what
the article says.

The BRF is read as an embosser reads it (pages at form feeds, lines at CR LF,
the page-number line of each page left out, a word split with the braille
hyphen joined again) and liblouis translates it back with the same table. Its
words are compared with the article's (case ignored, punctuation ignored, in
order); more than ``BRAILLE_MAX_WORD_LOSS`` of them missing is an error that
quotes the first passage lost. The file's shape (cells a line, lines a page,
characters) is checked too.

Like is compared with like:

- Digits are digits in any script: Arabic braille reads "1" back as "١".
- A word that reads back nearly as written (``SAME_WORD``) is kept: one braille
  sign can stand for two letters (Arabic's hamza on its seat or on its own).
- In a leaflet in another script (Arabic, Urdu), words in Latin letters (the
  references) are written in Latin braille, which the language's table reads
  back as its own letters; they are compared with the braille read back by
  ``LATIN_BACK_TABLE`` instead.
- A character the table has no braille for is reported on its own, by name,
  since liblouis writes its code number in its place (``'\\x002e'``); the words
  holding one are left out of the word count rather than counted lost twice.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from ..braille.liblouis import BRAILLE_ASCII, backward, characters_without_braille
from ..braille.tables import TABLES_FILE, table_for_language
from ..braille.text import print_blocks
from ..braille.layout import BRAILLE_CELLS_PER_LINE, BRAILLE_LINES_PER_PAGE
from ..config import THEME_DIR
from ..errors import PipelineError
from .findings import ERROR, NOT_RUN, Report

if TYPE_CHECKING:
    from ..article.model import Article

# `make check` translates the BRF back: more than this share of the article's words missing
# is an error, which quotes up to BRAILLE_QUOTED_WORDS words of the first passage lost.
BRAILLE_MAX_WORD_LOSS = 0.02
BRAILLE_QUOTED_WORDS = 12

AREA = "braille"
BRF_CHARACTERS = frozenset(BRAILLE_ASCII)
SPLIT_WORD = re.compile(r"(\S)-$")
# Latin braille inside a leaflet in another script is read back with this table
# (uncontracted: the other tables write Latin letters one cell a letter).
LATIN_BACK_TABLE = "en-ueb-g1.ctb"
# A word read back with at least this share of its letters in order (difflib's ratio)
# is the same word: "النسائ" for "النساء" is 0.83; two different words are rarely 0.6.
SAME_WORD = 0.8
CHARACTERS_QUOTED = 12
# Letters that one braille sign stands for: compared as the first.
SAME_LETTER = {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"}


def braille_can_be_built(article: Article, report: Report, theme_dir: Path = THEME_DIR) -> bool:
    """Whether the leaflet's language has a braille table; if not, the report says so."""
    if table_for_language(article.lang, theme_dir) is not None:
        return True
    report.add(NOT_RUN, AREA, f"no braille is made for the language '{article.lang}': "
               "liblouis has no table for it here", f"{article.path.name}: lang",
               f"add the language's table to {theme_dir / TABLES_FILE}, if liblouis has one")
    return False


def check_brf(brf: Path, doc: dict, article: Article, report: Report,
              theme_dir: Path = THEME_DIR) -> None:
    """The BRF's shape, the characters its table has no braille for, and its words read
    back against the article's."""
    pages = read_pages(brf)
    check_shape(pages, brf, report)
    braille_code = table_for_language(article.lang, theme_dir)
    if braille_code is None or not braille_code.back_translates:
        report.add(NOT_RUN, AREA, f"liblouis cannot translate the braille table {braille_code} back "
                   "reliably, so the braille was not compared with the article", brf.name,
                   "have a braille reader proofread it")
        return
    table = braille_code.table
    expected = article_words(doc, article)
    lines = text_lines(pages)
    try:
        untranslatable = characters_without_braille(expected, table)
        back = words(" ".join(backward(lines, table)))
        latin = [word for word in expected if is_latin(word)]
        in_latin = words(" ".join(backward(lines, LATIN_BACK_TABLE))) \
            if latin and not mostly_latin(expected) else []
    except PipelineError as error:
        report.add(NOT_RUN, AREA, f"the braille could not be translated back: {error.message}",
                   brf.name, error.hint or "")
        return
    if untranslatable:
        report_characters_without_braille(untranslatable, braille_code.name, brf, report)
        expected = [word for word in expected if not set(word) & set(untranslatable)]
    if in_latin:
        native = [word for word in expected if not is_latin(word)]
        check_words(native, back, brf, report,
                    also=([word for word in expected if is_latin(word)], in_latin))
    else:
        check_words(expected, back, brf, report)


def report_characters_without_braille(characters: list[str], table: str, brf: Path,
                                      report: Report) -> None:
    shown = ", ".join(f"'{character}' (U+{ord(character):04X})"
                      for character in characters[:CHARACTERS_QUOTED])
    more = f" and {len(characters) - CHARACTERS_QUOTED} more" if len(characters) > CHARACTERS_QUOTED else ""
    report.add(ERROR, AREA, f"the braille table {table} has no braille for {len(characters)} of the "
               f"article's characters: {shown}{more}; the BRF spells out their code numbers "
               "instead, which a braille reader cannot read", brf.name,
               "write those characters in words, or leave them out of this language's leaflet, or "
               f"choose a table that has them in styles/{TABLES_FILE}")


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


def is_latin(word: str) -> bool:
    """A word whose letters are all Latin ("Kumar", "EPUB")."""
    letters = [character for character in word if character.isalpha()]
    return bool(letters) and all(unicodedata.name(character, "").startswith("LATIN")
                                 for character in letters)


def mostly_latin(expected: list[str]) -> bool:
    return sum(map(is_latin, expected)) * 2 > len(expected)


def comparable(word: str) -> str:
    """A word with case, punctuation and combining marks ignored (a letter with its nukta
    reads back as one character, ਫ਼), its digits as ASCII digits, and the Arabic and Persian
    forms of one letter as one (Persian braille reads ی and ک back as Arabic's ي and ك: one
    braille sign for both)."""
    return "".join(str(unicodedata.digit(character)) if unicodedata.digit(character, None) is not None
                   else SAME_LETTER.get(character, character)
                   for character in unicodedata.normalize("NFD", word.casefold()) if character.isalnum())


def check_words(expected: list[str], found: list[str], brf: Path, report: Report,
                also: tuple[list[str], list[str]] | None = None) -> None:
    """An error when more than the allowed share of ``expected`` is missing from ``found``;
    ``also`` is a second (expected, found) pair counted with it (the Latin words of a
    leaflet in another script, and the braille read back in Latin)."""
    pairs = [(expected, found)] + ([also] if also else [])
    lost: list[list[str]] = []
    total = 0
    for wanted_words, found_words in pairs:
        wanted = [(word, comparable(word)) for word in wanted_words if comparable(word)]
        total += len(wanted)
        lost += lost_passages(wanted, [comparable(word) for word in found_words if comparable(word)])
    missing = sum(len(passage) for passage in lost)
    if not total or missing / total <= BRAILLE_MAX_WORD_LOSS:
        return
    passage = " ".join(lost[0][:BRAILLE_QUOTED_WORDS])
    report.add(ERROR, AREA, f"translated back, the braille has lost {missing} of the article's "
               f"{total} words ({missing / total:.1%}, more than "
               f"{BRAILLE_MAX_WORD_LOSS:.0%}); the first passage lost: \u201c{passage}\u201d", brf.name,
               "look for characters braille has no sign for in that passage (symbols, another "
               "script) and write them in words; if the text is plain, report it with the leaflet")


def lost_passages(wanted: list[tuple[str, str]], found: list[str]) -> list[list[str]]:
    """The runs of ``wanted`` words (as written, and comparable) not in ``found``, in order; a
    word read back as nearly the same word (``SAME_WORD``) is not lost."""
    matcher = difflib.SequenceMatcher(None, [key for _, key in wanted], found, autojunk=False)
    passages = []
    for tag, start, end, found_start, found_end in matcher.get_opcodes():
        if tag not in ("delete", "replace"):
            continue
        candidates = found[found_start:found_end]
        passage = [word for index, (word, key) in enumerate(wanted[start:end])
                   if not (index < len(candidates) and is_same_word(key, candidates[index]))]
        if passage:
            passages.append(passage)
    return passages


def is_same_word(written: str, read_back: str) -> bool:
    return difflib.SequenceMatcher(None, written, read_back, autojunk=False).ratio() >= SAME_WORD
