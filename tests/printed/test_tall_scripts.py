"""Nastaliq (Urdu) with the line spacing it needs (styles/fonts.css, styles/epub.css): in
every printed edition no glyph of a line touches a glyph of the next, in the title, the
text, the references and the page's footer alike; the EPUB gives Urdu at least 1.8.

Glyph boxes are pdfium's (tight around the drawn outline); a line is the glyphs whose
origins follow one another within ``SAME_LINE_EMS`` (Nastaliq steps down a word).
Built once for the module: an Urdu leaflet with a title long enough to wrap, in every
edition and as EPUB.
"""
from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import tinycss2

from pipeline import Settings, build
from pipeline.printed.editions import EDITIONS
from building import FIXTURES, warnings_recorded
from reading_epub import epub_entries, epub_read

# Between glyph origins on one Nastaliq line, in ems of the glyph: the script steps down a
# word by up to about half an em; the next line is 2.1 em away.
SAME_LINE_EMS = 0.6
LEAST_EPUB_LINE_HEIGHT = 1.8
TRANSLATED = FIXTURES / "translated-leaflet"
URDU = """---
title: کمر کے نچلے حصے اور ٹانگ کے درد کے لیے آسان ورزشیں اور روزمرہ کی احتیاطیں
author:
  - name: جین ڈو
lang: ur
date: 2026-11-25
version: "2.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
---

## حرکت کیوں ضروری ہے؟

زیادہ تر لوگوں میں ہلکی پھلکی حرکت سے عرق النساء کا درد کم ہو جاتا ہے [@kumar2013]۔ ہر روز تھوڑا سا پیدل چلیں، اور اگر درد بڑھ جائے تو رک جائیں۔ آہستہ آہستہ چلنا شروع کریں اور ہر دن تھوڑا سا زیادہ چلیں۔

## کیا کریں؟

اپنی کمر پر لیٹ جائیں اور آہستہ سے ایک گھٹنا اپنے سینے کی طرف کھینچیں۔ یہ ورزش پانچ بار دہرائیں، اور اگر درد ٹانگ میں نیچے تک جائے تو ڈاکٹر سے بات کریں۔
"""


@pytest.fixture(scope="module")
def urdu(tmp_path_factory) -> dict[str, Path]:
    """The Urdu leaflet's outputs, by suffix ("pdf", "large-print.pdf", "a5.pdf", "epub"...)."""
    folder = tmp_path_factory.mktemp("urdu")
    shutil.copy(TRANSLATED / "references.json", folder)
    source = folder / "exercises.ur.md"
    source.write_text(URDU, encoding="utf-8")
    with warnings_recorded() as recorder:
        written = build(source, Settings(formats=("pdf", "epub"), editions=tuple(EDITIONS),
                                         out_dir=folder / "out"))
    assert len(recorder.messages) == 1 and "no CSL locale for Urdu" in recorder.messages[0]
    return {path.name.removeprefix("exercises.ur."): path for path in written}


def glyph_lines(page) -> list[list[tuple[float, float, float, float]]]:
    """The page's glyph boxes (left, bottom, right, top), line by line from the top."""
    text = page.get_textpage()
    glyphs = []
    for index in range(text.count_chars()):
        if not text.get_text_range(index, 1).strip():
            continue
        box = text.get_charbox(index)
        x, y = ctypes.c_double(), ctypes.c_double()
        pdfium_raw.FPDFText_GetCharOrigin(text, index, x, y)
        if box[2] > box[0] and box[3] > box[1]:
            glyphs.append((y.value, pdfium_raw.FPDFText_GetFontSize(text, index), box))
    glyphs.sort(key=lambda glyph: -glyph[0])
    lines: list[list[tuple[float, float, float, float]]] = []
    last = None
    for origin, size, box in glyphs:
        if last is None or last - origin > SAME_LINE_EMS * size:
            lines.append([])
        lines[-1].append(box)
        last = origin
    return lines


def touching(upper: list, lower: list) -> list[tuple]:
    return [(a, b) for a in upper for b in lower
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


@pytest.mark.parametrize("suffix", ["pdf", "large-print.pdf", "a5.pdf"])
def test_no_nastaliq_line_touches_the_next(urdu, suffix):
    document = pdfium.PdfDocument(urdu[suffix])
    lines_checked = 0
    for number in range(len(document)):
        lines = glyph_lines(document[number])
        lines_checked += len(lines)
        for upper, lower in zip(lines, lines[1:]):
            assert not touching(upper, lower), (suffix, number + 1)
    assert lines_checked >= 12  # the wrapped title, the text, the footer


def test_the_wrapped_title_and_the_footer_have_more_than_one_line(urdu):
    """What the test above measures: a title of two lines and a footer of three (large print)."""
    document = pdfium.PdfDocument(urdu["large-print.pdf"])
    lines = glyph_lines(document[0])
    page_height = document[0].get_height()
    footer = [line for line in lines if max(box[3] for box in line) < 45 * 72 / 25.4]
    title = [line for line in lines if min(box[1] for box in line) > page_height - 75 * 72 / 25.4]
    assert len(footer) == 3, len(footer)
    assert len(title) >= 2, len(title)


def line_heights_for(css: str, language: str) -> list[float]:
    """The line heights the stylesheet gives a selector naming ``:lang(language)``."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule" or f":lang({language})" not in tinycss2.serialize(rule.prelude):
            continue
        for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                          skip_whitespace=True):
            if declaration.type == "declaration" and declaration.lower_name == "line-height":
                numbers = [token.value for token in declaration.value if token.type == "number"]
                found += numbers
    return found


def test_the_epub_gives_urdu_the_line_height_nastaliq_needs(urdu):
    epub = urdu["epub"]
    css = "\n".join(epub_read(epub, entry.filename).decode("utf-8") for entry in epub_entries(epub)
                    if entry.filename.endswith(".css"))
    heights = line_heights_for(css, "ur")
    assert heights and min(heights) >= LEAST_EPUB_LINE_HEIGHT, heights


@pytest.fixture(scope="module")
def urdu_easy_read(tmp_path_factory) -> dict[str, Path]:
    """The easy read fixture as an Urdu leaflet with a review date: four footer lines."""
    folder = tmp_path_factory.mktemp("urdu-easy-read") / "leaflet"
    shutil.copytree(FIXTURES / "easy-read-leaflet", folder)
    source = folder / "sciatica-exercises.easy-read.md"
    text = source.read_text(encoding="utf-8").replace("lang: en-GB", "lang: ur").replace(
        "easy-read: true\n", "easy-read: true\nreview-date: 2027-11-25\n").replace(
        "title: Exercises for Sciatica", "title: عرق النساء کے لیے ورزشیں")
    source.write_text(text, encoding="utf-8")
    written = build(source, Settings(formats=("pdf",), editions=tuple(EDITIONS), out_dir=folder / "out"))
    return {path.name.removeprefix("sciatica-exercises.easy-read."): path for path in written}


@pytest.mark.parametrize("suffix", ["pdf", "large-print.pdf", "a5.pdf"])
def test_an_urdu_easy_read_footer_is_apart_and_on_the_page(urdu_easy_read, suffix):
    document = pdfium.PdfDocument(urdu_easy_read[suffix])
    for number in range(len(document)):
        lines = glyph_lines(document[number])
        for upper, lower in zip(lines, lines[1:]):
            assert not touching(upper, lower), (suffix, number + 1)
        # The last footer line stays off the paper's edge (printed/figures.py's 10 mm).
        assert min(box[1] for box in lines[-1]) > 10 * 72 / 25.4, (suffix, number + 1)
