"""Translations as linked leaflets: ``source/<stem>.<lang>.md`` next to ``<stem>.md``.

A translation is an article of its own, whose front matter names its source and the
source's version it was translated from::

    lang: pl
    translation-of: sciatica-massage.md
    translated-from-version: "2.0"

The source leaflet lists the languages it is also available in (found here, from the
files next to it, never from a list someone must keep up to date). A translation made
from an older version than the source's current one is a warning when it is built
(``warn_if_out_of_date``), and in ``make check``, which also lists a source's translations
that are behind it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import DEFAULT_LANG
from ..theme.strings import Strings
from .front_matter import fields_of, load_article
from .model import Article

if TYPE_CHECKING:
    from ..theme.folder import Theme

log = logging.getLogger(__name__)


def translations_of(article: Article) -> tuple[Article, ...]:
    """The translations next to ``article``: each ``<stem>.*.md`` whose
    ``translation-of`` names it, in the order of their file names."""
    found = []
    for candidate in sorted(article.folder.glob(f"{article.stem}.*.md")):
        if names_as_source(candidate, article.path):
            found.append(load_article(candidate))
    return tuple(found)


def names_as_source(candidate: Path, source: Path) -> bool:
    """Whether ``candidate``'s front matter says it is a translation of ``source`` (read
    leniently: a file that cannot be read is no translation of anything)."""
    try:
        fields = fields_of(candidate)
    except Exception:  # a broken neighbour is reported when it is built or checked itself
        return False
    return str(fields.get("translation-of", "")).strip() == source.name


def is_out_of_date(translation: Article, source: Article) -> bool:
    """Made from another version than the source's current one."""
    return (source.version is not None
            and translation.translated_from_version != source.version)


def warn_if_out_of_date(translation: Article) -> None:
    """At build time: a translation made from an older version of its source than the
    current one, so that whoever builds it learns that its patients may read advice the
    source has since changed (only the source's ``version:`` is read, not the whole file)."""
    if translation.translation_of is None:
        return
    current = fields_of(translation.translation_of).get("version")
    if current is None or str(current).strip() == str(translation.translated_from_version).strip():
        return
    log.warning("%s, line %s: the translation is out of date: it was made from version %s of "
                "%s, which is now version %s; translate the changes since, then write "
                "'translated-from-version: \"%s\"'", translation.path,
                translation.line_of_field("translated-from-version"),
                translation.translated_from_version, translation.translation_of.name,
                str(current).strip(), str(current).strip())


def translated_from(article: Article, words: Strings, theme: Theme) -> str | None:
    """"Translated from the English leaflet, version 2.0", in the translation's language
    (``words``); for a source in another language, that language's own name."""
    if article.translation_of is None:
        return None
    source_lang = str(fields_of(article.translation_of).get("lang") or DEFAULT_LANG).strip()
    if source_lang.split("-")[0].lower() == "en":
        return words.word("translated-from", version=article.translated_from_version)
    return words.word("translated-from-other", version=article.translated_from_version,
                      language=own_name(source_lang, theme))


def translation_languages(article: Article, theme: Theme) -> tuple[tuple[str, str], ...]:
    """Each translation's language tag and its name in its own script ("pl", "Polski"),
    from that language's strings file."""
    return tuple((t.lang, own_name(t.lang, theme)) for t in translations_of(article))


def own_name(lang: str, theme: Theme) -> str:
    """The language's name in its own script; its tag where it has no strings file yet
    (English's "English" would name the wrong language)."""
    strings = theme.words(lang)
    if strings.file.stem == "en" and lang.split("-")[0].lower() != "en":
        return lang
    return strings.word("language-name")
