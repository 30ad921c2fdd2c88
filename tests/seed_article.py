"""The seed article: the sentences every format must keep, word for word and in order.

Extract the article's sentences from the seed web-page text, for comparison.

The seed (``fixtures/seed-sciatica-massage-article.txt``) is the plain text of
the web page the article was taken from.  The Markdown source must keep every
sentence of the article word for word and in order, so the tests compare the
sentences listed here with the text pandoc renders from the Markdown.  The seed
is page text, not article text, so it is cleaned up first, by these rules:

* **Only the article.**  Keep the lines from ``Introduction`` up to (not
  including) ``Website | + posts``.  Everything outside that range is page
  chrome (title line, "Photo of author", byline, author bio, the page's own
  reference list, "Leave a Comment"), which the article does not contain.
* **Titles are not sentences.**  Section titles become Markdown headings whose
  exact rendering is pandoc's business, so they are skipped.  A section title
  is a line that does not end in ``.`` or ``:`` and whose words are all
  capitalised except minor words ("What is Sciatica Massage?").  FAQ questions
  ("Is sciatica massage painful?") are in sentence case, so they are kept: the
  article must keep them too.
* **Tables.**  Extraction dropped the cell separators.  A table header line is
  one glued onto ``Description`` ("BenefitDescription"); it is a heading, not
  a sentence.  The lines below it, up to the next blank line, are rows whose
  two cells are glued where a lowercase letter meets an uppercase one
  ("Reduce PainMassage can ...").  Each row is split at the first such place;
  the label ("Reduce Pain") is kept as an item of its own, the description is
  split into sentences.  The split is done in table rows only, because
  elsewhere lowercase-uppercase is legitimate ("PhD").
* **Bullets.**  The ``"  • "`` mark is layout; the bullet text is kept.
* **Note tooltips.**  The page inserted each note's text into the sentence
  that cites it: ``blood flow[1]Hernandez-Reif M, ... 131-45..``.  A tooltip
  runs from ``[n]`` up to and including either ``Continue reading`` (a
  truncated note) or the page range with its period (``131-45.``).  Removing
  it leaves the sentence with exactly one final period (checked by eye for all
  three notes; :func:`article_sentences` also refuses leftovers).
* **Sentences** end at ``.``, ``?`` or ``!`` followed by whitespace or the end
  of the line.
* **Normalisation** (:func:`normalise_text`): Unicode NFKC (the tooltips' no-break
  spaces and ellipses, and whatever a renderer or PDF extractor substitutes),
  then runs of whitespace collapsed to single spaces, so that comparisons do
  not depend on line wrapping.  Curly apostrophes and en dashes are unchanged
  by NFKC, so they are compared exactly.
"""

from __future__ import annotations

import pathlib
import re
import unicodedata

import pytest

from building import FIXTURES

SEED_PATH = FIXTURES / "seed-sciatica-massage-article.txt"

ARTICLE_START = "Introduction"
ARTICLE_END = "Website | + posts"
BULLET_MARK = "  \u2022 "

NOTE_TOOLTIP = re.compile(r"\[\d+\].*?(?:Continue reading|\d+-\d+\.)")
TABLE_HEADER = re.compile(r"[a-z]Description$")
GLUED_CELLS = re.compile(r"^(.*?[a-z])([A-Z].*)$")
SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+")
WORD = re.compile(r"[^\W\d_][\w’'-]*")
MINOR_WORDS = frozenset(
    "a an and as at by for from in is of on or the to with".split()
)


def normalise_text(text: str) -> str:
    """NFKC-normalise *text* and collapse whitespace runs to single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def article_sentences(seed_path: pathlib.Path) -> list[str]:
    """Return the article's sentences and table labels from *seed_path*, in order."""
    items: list[str] = []
    for chunk in _article_chunks(_article_lines(seed_path)):
        items.extend(_sentences(chunk))
    return items


def _article_lines(seed_path: pathlib.Path) -> list[str]:
    """The seed lines from the article start up to (not including) the end marker."""
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    return lines[lines.index(ARTICLE_START) : lines.index(ARTICLE_END)]


def _article_chunks(lines: list[str]) -> list[str]:
    """Turn seed lines into text chunks: paragraphs, bullet texts, table cells.

    Titles and table header lines are dropped; see the module docstring.
    """
    chunks: list[str] = []
    in_table = False
    for line in lines:
        if not line.strip():
            in_table = False
        elif in_table:
            chunks.extend(_split_row(line))
        elif TABLE_HEADER.search(line):
            in_table = True
        elif line.startswith(BULLET_MARK):
            chunks.append(line[len(BULLET_MARK) :])
        elif not _is_section_title(line):
            chunks.append(line)
    return chunks


def _split_row(row: str) -> list[str]:
    """Split a glued table row into its label cell and its description cell."""
    match = GLUED_CELLS.match(row)
    if match is None:
        raise ValueError(f"table row without a glued cell boundary: {row!r}")
    return [match.group(1), match.group(2)]


def _is_section_title(line: str) -> bool:
    """True for a title-case line without a final period or colon."""
    if line.rstrip().endswith((".", ":")):
        return False
    return all(w[0].isupper() or w.lower() in MINOR_WORDS for w in WORD.findall(line))


def _sentences(chunk: str) -> list[str]:
    """Remove note tooltips from *chunk*, then split it into normalised sentences."""
    text = NOTE_TOOLTIP.sub("", chunk)
    if re.search(r"\[\d+\]|(?<!\.)\.\.(?!\.)", text):
        raise ValueError(f"note tooltip not cleanly removed: {text!r}")
    return [s for s in (normalise_text(p) for p in SENTENCE_BREAK.split(text)) if s]


def assert_in_order(items: list[str], text: str, where: str) -> None:
    """Each item must occur in ``text`` after the previous one; say where it breaks if not."""
    position = 0
    for index, item in enumerate(items):
        found = text.find(item, position)
        if found == -1:
            if item in text:
                pytest.fail(f"{where}: item #{index} is out of order (found only earlier): {item!r}")
            pytest.fail(f"{where}: item #{index} is missing: {item!r}\n{where_it_breaks(item, text)}")
        position = found + len(item)


def where_it_breaks(item: str, text: str) -> str:
    """The longest start of ``item`` that the text has, and what the text has after it."""
    words = item.split(" ")
    for length in range(len(words) - 1, 0, -1):
        start = " ".join(words[:length])
        found = text.find(start)
        if found != -1:
            return (f"the text has {start!r} but then continues "
                    f"{text[found + len(start):found + len(start) + 80]!r}")
    return "the text does not even have its first word"
