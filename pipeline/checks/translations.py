"""Translations (front matter ``translation-of``): is each one made from the source's
current version? A translation says so of itself; a source lists its translations and
names those that are behind it. An out-of-date translation is a warning (an error with
``--strict``): its patients read advice the source may since have changed.

A leaflet in a language without the pipeline's words (no ``styles/strings/<lang>.yaml``,
or one without every key of ``en.yaml``) is an error: its draft notice, "Page 1 of 2",
"Review date" and "References" would reach patients in English."""
from __future__ import annotations

from pathlib import Path

from ..article.front_matter import load_article
from ..article.model import Article
from ..article.translations import is_out_of_date, translations_of
from ..theme.strings import missing_words, missing_words_hint, missing_words_message
from .findings import ERROR, INFO, WARNING, Report

AREA = "translations"


def check_translations(article: Article, report: Report) -> None:
    if article.translation_of is not None:
        check_translation_is_current(article, load_article(article.translation_of), report)
    translations = translations_of(article)
    if translations:
        report_translations(article, translations, report)


def check_own_words(article: Article, theme_dir: Path, report: Report) -> None:
    """The words the pipeline adds, in the leaflet's language: its strings file, complete."""
    missing = missing_words(article.lang, theme_dir)
    if missing is None:
        return
    report.add(ERROR, AREA, missing_words_message(article.lang, *missing),
               f"front matter 'lang' (line {article.line_of_field('lang')})",
               missing_words_hint(*missing))


def check_translation_is_current(translation: Article, source: Article, report: Report) -> None:
    if not is_out_of_date(translation, source):
        return
    line = translation.line_of_field("translated-from-version")
    report.add(WARNING, AREA,
               f"the translation is out of date: it was made from version "
               f"{translation.translated_from_version} of {source.path.name}, which is now "
               f"version {source.version}",
               f"front matter 'translated-from-version' (line {line})",
               f"translate the changes of {source.path.name} since version "
               f"{translation.translated_from_version}, then write "
               f"'translated-from-version: \"{source.version}\"'")


def report_translations(source: Article, translations: tuple[Article, ...], report: Report) -> None:
    listed = ", ".join(f"{t.lang} ({t.path.name}, from version {t.translated_from_version})"
                       for t in translations)
    report.add(INFO, AREA, f"the leaflet is translated into {listed}",
               "the translations next to it", "")
    for translation in translations:
        if is_out_of_date(translation, source):
            report.add(WARNING, AREA,
                       f"the {translation.lang} translation {translation.path.name} is out of "
                       f"date: it was made from version {translation.translated_from_version}, "
                       f"this leaflet is version {source.version}",
                       f"front matter 'version' (line {source.line_of_field('version')})",
                       f"have {translation.path.name} brought up to version {source.version}")
