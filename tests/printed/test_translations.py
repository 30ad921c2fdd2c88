"""Translations as linked leaflets (``<stem>.<lang>.md``, front matter ``translation-of``),
and the pipeline's own words in the leaflet's language (``styles/strings/<lang>.yaml``).

``fixtures/translated-leaflet`` holds an English source (version 2.0) and its Polish
translation made from that version; both are built once for the module.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline import Settings, build
from pipeline.article.front_matter import load_article
from pipeline.article.translations import translations_of
from pipeline.build import prepare
from pipeline.checks.findings import INFO, WARNING, Report
from pipeline.checks.readability import check_readability
from pipeline.checks.translations import check_translations
from pipeline.errors import SourceError
from helpers import FIXTURES, NS, PROJECT_ROOT, epub_nav, epub_text, pdf_text

FIXTURE = FIXTURES / "translated-leaflet"
SOURCE = "sciatica-exercises.md"
POLISH = "sciatica-exercises.pl.md"
STRINGS = PROJECT_ROOT / "styles" / "strings"
LANGUAGES = ("pl", "ro", "pt", "ar", "ur", "fa", "zh-CN", "bn", "pa", "cy")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The source's and the translation's PDF and EPUB, by file name."""
    out = tmp_path_factory.mktemp("out")
    written = [*build(FIXTURE / SOURCE, Settings(out_dir=out)),
               *build(FIXTURE / POLISH, Settings(out_dir=out))]
    return {path.name: path for path in written}


def translated(folder: Path, replacements: dict[str, str], name: str = POLISH) -> Path:
    """A copy of the fixture with lines of ``name`` replaced."""
    shutil.copytree(FIXTURE, folder)
    article = folder / name
    text = article.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    article.write_text(text, encoding="utf-8")
    return article


# --- the strings files ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_strings_file_has_every_english_key(lang):
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    words = yaml.safe_load((STRINGS / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert set(words) == set(english)
    assert len(words["months"]) == 12
    assert words["language-name"] != english["language-name"]
    # The page footer puts the words around counter(page), then counter(pages).
    assert words["page-of"].index("{page}") < words["page-of"].index("{pages}")
    for key, text in english.items():
        if isinstance(text, str):
            assert set(re.findall(r"\{\w+\}", words[key])) == set(re.findall(r"\{\w+\}", text)), key


# --- the leaflets --------------------------------------------------------------------------------

def test_the_source_finds_its_translations():
    assert [t.path.name for t in translations_of(load_article(FIXTURE / SOURCE))] == [POLISH]


def test_the_source_says_which_languages_it_is_also_in(outputs):
    assert "This leaflet is also available in: Polski" in pdf_text(outputs["sciatica-exercises.pdf"])
    assert "This leaflet is also available in: Polski." in epub_text(outputs["sciatica-exercises.epub"])


def test_the_translation_says_what_it_was_translated_from(outputs):
    line = "Tłumaczenie z języka angielskiego, wersja ulotki 2.0"
    assert line in pdf_text(outputs["sciatica-exercises.pl.pdf"])
    assert line in epub_text(outputs["sciatica-exercises.pl.epub"])


def test_the_polish_leaflet_has_polish_labels_and_no_english_ones(outputs):
    text = pdf_text(outputs["sciatica-exercises.pl.pdf"])
    for polish in ("Wersja 2.0", "Data przeglądu 25 listopada 2027", "Opracowano 25 listopada 2026",
                   "Strona 1 z 1", "Bibliografia", "Zatwierdzenie", "Inne formaty."):
        assert polish in text
    for english in ("Version", "Review date", "Produced", "Page 1 of", "References",
                    "Approved by", "Other formats", "November"):
        assert english not in text


def test_the_polish_epub_has_polish_labels(outputs):
    epub = outputs["sciatica-exercises.pl.epub"]
    text = epub_text(epub)
    assert "Wersja 2.0. Data przeglądu: 25 listopada 2027." in text
    assert "Bibliografia" in text and "References" not in text
    assert "".join(epub_nav(epub).find(".//x:h1", NS).itertext()) == "Spis treści"


# --- make check ----------------------------------------------------------------------------------

def test_an_up_to_date_translation_is_not_reported():
    report = Report(leaflet=FIXTURE / POLISH)
    check_translations(load_article(FIXTURE / POLISH), report)
    assert report.findings == []


def test_a_translation_of_an_older_version_is_out_of_date(tmp_path):
    translated(tmp_path / "leaflets", {'version: "2.0"': 'version: "2.1"'}, name=SOURCE)
    report = Report(leaflet=tmp_path / "leaflets" / POLISH)
    check_translations(load_article(tmp_path / "leaflets" / POLISH), report)
    [finding] = report.findings
    assert finding.severity == WARNING
    assert "version 2.0" in finding.message and "version 2.1" in finding.message
    assert "line 8" in finding.where
    assert not report.failed(strict=False) and report.failed(strict=True)


def test_the_source_lists_its_translations_and_those_out_of_date(tmp_path):
    source = translated(tmp_path / "leaflets", {'version: "2.0"': 'version: "2.1"'}, name=SOURCE)
    report = Report(leaflet=source)
    check_translations(load_article(source), report)
    listed, behind = report.findings
    assert listed.severity == INFO and "pl (sciatica-exercises.pl.md, from version 2.0)" in listed.message
    assert behind.severity == WARNING
    assert "sciatica-exercises.pl.md" in behind.message and "2.1" in behind.message


# --- bad front matter ----------------------------------------------------------------------------

@pytest.mark.parametrize("replacements, message, line", [
    ({"translation-of: sciatica-exercises.md": "translation-of: sciatica.md"},
     "there is no file 'sciatica.md' next to the article", 7),
    ({"lang: pl": "lang: en"}, "is in the same language as this translation", 7),
    ({"lang: pl": "lang: polish!"}, "'polish!' is not a language tag", 6),
    ({'translated-from-version: "2.0"\n': ""}, "a translation needs 'translated-from-version:'", 7),
])
def test_a_bad_translation_is_a_clear_error(tmp_path, replacements, message, line):
    article = translated(tmp_path / "leaflets", replacements)
    with pytest.raises(SourceError) as caught:
        load_article(article)
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.hint


def test_a_version_translated_from_needs_a_source(tmp_path):
    article = translated(tmp_path / "leaflets", {"translation-of: sciatica-exercises.md\n": ""})
    with pytest.raises(SourceError) as caught:
        load_article(article)
    assert "only a translation has this field" in caught.value.message
    assert caught.value.line == 7


# --- readability --------------------------------------------------------------------------------

def test_readability_is_not_measured_with_english_formulas_in_another_language(tmp_path):
    article = tmp_path / "leaflet.ar.md"
    article.write_text("---\ntitle: تمارين\nlang: ar\n---\n\n## لماذا الحركة\n\n"
                       "الحركة اللطيفة تخفف الألم عند معظم الناس.\n", encoding="utf-8")
    parsed, doc = prepare(article, Settings())
    report = Report(leaflet=article)
    check_readability(doc, parsed, report)
    [finding] = report.findings
    assert finding.severity == INFO
    assert finding.message.startswith("readability not measured for Arabic (ar)")
    assert finding.where == "front matter 'lang' (line 3)"
    assert report.readability == {"language": "ar", "measured": False}
    assert not report.failed(strict=True)


def test_polish_readability_is_measured_with_polish_rules():
    parsed, doc = prepare(FIXTURE / POLISH, Settings())
    report = Report(leaflet=FIXTURE / POLISH)
    check_readability(doc, parsed, report)
    assert report.readability["language"] == "pl_PL"
    assert report.readability["article"]["words"] > 0
