"""Each reference in its own language: the language it is written in, its direction, and
the CSL locale its dates and terms ("9 Jun", "Available from") are printed in.

A reference's language is its CSL-JSON ``language`` field where that is a language tag
("en", "pt-BR"); else the language of the article the leaflet was made from: for a
translation (front matter ``translation-of``) the source article's, since its references
were cited in that language (an English paper cited in an English leaflet stays English
in the Arabic translation); else the leaflet's own.

An entry whose language is not the leaflet's carries ``lang`` and ``dir`` on its ``Div``:
pandoc writes them on the entry's element, so a screen reader switches voice for it,
WeasyPrint and e-readers set it as one unit in its own direction
(``pandoc.bidi`` leaves such an entry whole), and the stylesheets align it to its own side.
"""
from __future__ import annotations

import re

from ..article.front_matter import fields_of
from ..article.model import Article
from ..errors import PipelineError
from ..pandoc.bidi import is_right_to_left

# A BCP 47 tag as the CSL-JSON ``language`` field holds it; Zotero also writes names
# ("English"), which say nothing a locale can be chosen by, so they count as no language.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")


def references_language(article: Article) -> str:
    """The language a reference without its own ``language`` is written in: the source
    article's for a translation, else the leaflet's."""
    if article.translation_of is None:
        return article.lang
    try:
        source_lang = str(fields_of(article.translation_of).get("lang") or "").strip()
    except PipelineError:  # the source's own problems are reported when it is built
        return article.lang
    return source_lang if LANGUAGE_TAG.match(source_lang) else article.lang


def entry_language(item: dict, default: str) -> str:
    """The reference's own language tag, or ``default``."""
    value = item.get("language")
    if isinstance(value, str) and LANGUAGE_TAG.match(value.strip()):
        return value.strip()
    return default


def same_language(first: str, second: str) -> bool:
    return first.lower() == second.lower()


def entry_languages(references: list[dict], default: str) -> dict[str, str]:
    """Each reference's language, by the id its entry's ``Div`` is named after."""
    return {str(item["id"]): entry_language(item, default) for item in references}


def marked_in_language(entries: list[dict], languages: dict[str, str], lang: str) -> list[dict]:
    """``entries`` (the bibliography's ``Div``s, ``ref-<id>``), each in a language other than
    the leaflet's ``lang`` with ``lang`` and ``dir`` attributes."""
    for entry in entries:
        identifier, _, attributes = entry["c"][0]
        language = languages.get(identifier.removeprefix("ref-"))
        if language is None or same_language(language, lang):
            continue
        direction = "rtl" if is_right_to_left(language) else "ltr"
        kept = [pair for pair in attributes if pair[0] not in ("lang", "dir")]
        entry["c"][0][2] = [*kept, ["lang", language], ["dir", direction]]
    return entries
