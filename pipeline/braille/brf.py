"""The braille-ready file: ``write(leaflet, path)`` for ``--to brf``.

A BRF is North American Braille ASCII (one character a cell, 0x20-0x5F), lines
ended by CR LF and pages separated by a form feed: what embossers and braille
displays read. A title page (title, subtitle, version, review date) comes first,
then the article, its references last; a draft's title page opens with the draft
notice (the strings file's ``draft-mark``, in the leaflet's language), whatever the
article says. The braille is liblouis's, in the table ``styles/braille.yaml`` gives
the article's language (``tables.py``); a language without one is an error naming
it, never an English transcription.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError
from .layout import LaidOut, lay_out_block, paginate, with_page_numbers
from .liblouis import characters_without_braille, forward
from .tables import TABLES_FILE, BrailleTable, table_for_language
from .text import TITLE, PrintBlock, print_blocks

if TYPE_CHECKING:
    from ..article.model import Article
    from ..leaflet import LeafletBuild
    from ..theme.folder import Theme
    from ..theme.strings import Strings

LINE_END = "\r\n"
PAGE_BREAK = "\f"
CHARACTERS_NAMED = 12
# Print that a line break must not cut with a hyphen (layout.py): a digit (numbers, DOIs,
# phone numbers), an e-mail address, a web address.
CODES = re.compile(r"\d|@|://|\bwww\.", re.ASCII)
log = logging.getLogger(__name__)


def write(leaflet: LeafletBuild, path: Path) -> None:
    """Fill ``path`` with the article in braille (the build makes it ``<stem>.brf``)."""
    path.write_bytes(brf_text(leaflet).encode("ascii"))


def brf_text(leaflet: LeafletBuild) -> str:
    article = leaflet.article
    braille_code = braille_table(article, leaflet.theme)
    table = braille_code.table
    title_page, body = title_page_blocks(article, leaflet.words), print_blocks(leaflet.doc["blocks"])
    texts = [block.text for block in title_page + body]
    warn_of_characters_without_braille(texts, braille_code, article)
    braille = forward(texts, table)
    laid_out = [lay_out_block(block.kind, cells, block.level, codes=bool(CODES.search(block.text)))
                for block, cells in zip(title_page + body, braille)]
    laid_out[len(title_page) - 1] = LaidOut(laid_out[len(title_page) - 1].lines, new_page_after=True)
    pages = paginate(laid_out)
    numbers = forward([str(number) for number in range(1, len(pages) + 1)], table)
    return PAGE_BREAK.join("".join(line + LINE_END for line in page)
                           for page in with_page_numbers(pages, numbers))


def braille_table(article: Article, theme: Theme) -> BrailleTable:
    """liblouis's table for the article's language, or the error that names the language."""
    table = table_for_language(article.lang, theme.folder)
    if table is None:
        raise SourceError(
            f"there is no braille table for the language '{article.lang}'",
            file=article.path, line=article.line_of_field("lang"),
            hint="correct the 'lang:' line, or leave out --to brf for this leaflet; the languages "
                 f"braille can be written in are listed in {theme.folder / TABLES_FILE}, "
                 "where a language liblouis has a table for can be added")
    return table


def warn_of_characters_without_braille(texts: list[str], table: BrailleTable,
                                       article: Article) -> None:
    """A warning naming the characters the table has no braille for (an Urdu table has no
    Latin letters for the references): the BRF holds their code numbers instead."""
    missing = characters_without_braille(texts, table.table)
    if missing:
        named = ", ".join(f"'{character}' (U+{ord(character):04X})" for character in missing[:CHARACTERS_NAMED])
        more = f" and {len(missing) - CHARACTERS_NAMED} more" if len(missing) > CHARACTERS_NAMED else ""
        log.warning("%s: the braille table %s has no braille for %d of the article's characters: "
                    "%s%s; the braille-ready file spells out their code numbers instead, which a "
                    "braille reader cannot read", article.path, table, len(missing), named, more)


def title_page_blocks(article: Article, strings: Strings) -> list[PrintBlock]:
    """The draft notice of a draft, title, subtitle, version and review date, each centred,
    a blank line between."""
    lines = [strings.word("draft-mark")] if article.is_draft else []
    lines += [article.title, article.subtitle]
    if article.version:
        lines.append(f"{strings.word('version')} {article.version}")
    if article.review_date:
        lines.append(f"{strings.word('review-date')}: {strings.long_date(article.review_date)}")
    return [PrintBlock(TITLE, line) for line in lines if line]
