"""Easy read's own furniture (styles/leaflet.css "easy read's own furniture", the template's
easy read words): read from the built PDFs of ``fixtures/easy-read-leaflet`` (with a
review date, a citation and a sign-off added), every glyph on every page, the title
block and footer included, at 14 pt or more (16 pt in large print), the text at 16 pt
or more (18 pt), and the dates in plain words: "Made on", "We will check this again on",
never "Produced" or "Review date".
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from pipeline import Settings, build
from pipeline.printed.editions import EDITIONS
from building import FIXTURES
from reading_pdf import pdf_page_texts
from reading_epub import epub_text

FIXTURE = FIXTURES / "easy-read-leaflet"
STEM = "sciatica-exercises.easy-read"
# By the output's suffix: the least size of any glyph, and of the text's words.
LEAST_SIZES = {"pdf": (14, 16), "a5.pdf": (14, 16), "large-print.pdf": (16, 18)}
ADDED_FRONT_MATTER = """review-date: 2027-11-25
bibliography: references.json
approved-by:
  - {name: Dr Ann Lee, role: Clinical lead, date: 2026-11-25, version: "1.0"}
"""
TEXT_WORDS = "Moving a little"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The easy read leaflet's PDFs, by suffix ("pdf", "a5.pdf", "large-print.pdf")."""
    folder = tmp_path_factory.mktemp("easy-read-furniture") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    article = folder / f"{STEM}.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("easy-read: true\n", "easy-read: true\n" + ADDED_FRONT_MATTER, 1)
    text = text.replace("The pain often gets better.", "The pain often gets better [@kumar2013].", 1)
    article.write_text(text, encoding="utf-8")
    written = build(article, Settings(formats=("pdf",), editions=tuple(EDITIONS),
                                      out_dir=folder.parent / "out"))
    return {path.name.removeprefix(f"{STEM}."): path for path in written}


def sizes(pdf: Path) -> list[tuple[float, str, int]]:
    """(size, glyph, page) of every glyph that is not a space."""
    with pdfplumber.open(pdf) as document:
        return [(round(char["size"], 1), char["text"], page.page_number)
                for page in document.pages for char in page.chars if char["text"].strip()]


@pytest.mark.parametrize("suffix", LEAST_SIZES)
def test_nothing_on_an_easy_read_page_is_small(built, suffix):
    least, _ = LEAST_SIZES[suffix]
    glyphs = sizes(built[suffix])
    small = [glyph for glyph in glyphs if glyph[0] < least]
    assert not small, small[:20]
    # What was measured: the title block, the footer, the references and the sign-off.
    text = "\n".join(pdf_page_texts(built[suffix]))
    for part in ("Made on 25 November 2026", "Version 1.0", "Kumar", "Approved by"):
        assert part in text, (suffix, part)


@pytest.mark.parametrize("suffix", LEAST_SIZES)
def test_the_text_is_at_the_easy_read_size(built, suffix):
    _, least = LEAST_SIZES[suffix]
    with pdfplumber.open(built[suffix]) as document:
        page = document.pages[0]
        found = page.search(TEXT_WORDS)
        assert found, suffix
        words = [char for char in page.chars
                 if found[0]["top"] - 1 <= char["top"] <= found[0]["bottom"] and char["text"].strip()
                 and found[0]["x0"] - 1 <= char["x0"] <= found[0]["x1"]]
    assert words and min(round(char["size"], 1) for char in words) >= least, suffix


@pytest.mark.parametrize("suffix", LEAST_SIZES)
def test_the_title_block_and_footer_say_it_in_plain_words(built, suffix):
    pages = pdf_page_texts(built[suffix])
    text = "\n".join(pages)
    assert "Made on 25 November 2026" in text
    for word in ("Produced", "Review date"):
        assert word not in text, (suffix, word)
    # The footer of every page ends with when the leaflet is checked again.
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == "We will check this again on 25 November 2027", (suffix, number, lines[-3:])


def test_the_easy_read_epub_says_the_review_date_in_plain_words(tmp_path):
    folder = tmp_path / "leaflet"
    shutil.copytree(FIXTURE, folder)
    article = folder / f"{STEM}.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "easy-read: true\n", "easy-read: true\nreview-date: 2027-11-25\n", 1), encoding="utf-8")
    [epub] = build(article, Settings(formats=("epub",), out_dir=tmp_path / "out"))
    text = epub_text(epub)
    assert "We will check this again on 25 November 2027." in text
    assert "Review date" not in text
