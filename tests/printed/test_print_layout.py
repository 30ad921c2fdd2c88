"""How the printed leaflet is laid out, read back from the PDF's characters:
clear-print emphasis, references in a smaller size, no heading stranded at
the foot of a page, table header rows repeated on every page of a table."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from pipeline import Settings, build
from building import FIXTURES

FIXTURE = FIXTURES / "epub-leaflet"
LONG_TABLE_ROWS = 45


def lines_of(page) -> list[dict]:
    """Text lines of a page above its footer ("Page N of M" and below)."""
    lines = page.extract_text_lines(return_chars=True)
    footer = next((line["top"] for line in lines if line["text"].startswith("Page ")), page.height)
    footer = min([footer] + [line["top"] for line in lines
                             if line["top"] >= footer - 2])  # the footer's left column
    return [line for line in lines if line["top"] < footer - 2]


def line_size(line: dict) -> float:
    return Counter(round(c["size"], 1) for c in line["chars"]).most_common(1)[0][0]


def body_size(pdf) -> float:
    sizes = Counter(round(c["size"], 1) for page in pdf.pages for c in page.chars)
    return sizes.most_common(1)[0][0]


@pytest.fixture(scope="module")
def layout_pdf(tmp_path_factory) -> Path:
    """A leaflet with emphasis and a table long enough to run over a page break."""
    folder = tmp_path_factory.mktemp("layout") / "leaflets"
    shutil.copytree(FIXTURE, folder)
    article = next(folder.glob("*.md"))
    rows = "\n".join(f"| Exercise {n} | Hold for {n} seconds and breathe out slowly. |"
                     for n in range(1, LONG_TABLE_ROWS + 1))
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nThis is *really* important and **very** important.\n\n"
                     f"| Exercise name | What to do |\n|---|---|\n{rows}\n")
    (pdf,) = build(article, Settings(formats=("pdf",), out_dir=folder.parent / "out"))
    return pdf


def test_emphasis_is_bold_not_italic(layout_pdf):
    with pdfplumber.open(layout_pdf) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    for word in ("really", "very"):
        start = text.index(f"{word} important")
        fonts = {c["fontname"] for c in chars[start:start + len(word)]}
        assert all("Bold" in font and "Italic" not in font for font in fonts), (word, fonts)


def test_a_table_that_breaks_repeats_its_header_row(layout_pdf):
    with pdfplumber.open(layout_pdf) as pdf:
        pages = [[line["text"] for line in lines_of(page)] for page in pdf.pages]
    with_rows = [lines for lines in pages if any(t.startswith("Exercise ") and t[9:10].isdigit()
                                                 for t in lines)]
    assert len(with_rows) >= 2, "the table does not run over a page break"
    for lines in with_rows:
        assert any(t.startswith("Exercise name") for t in lines), lines[:3]


def test_references_are_smaller_than_the_body_text(a4_build):
    with pdfplumber.open(a4_build.pdf) as pdf:
        size = body_size(pdf)
        lines = [line for page in pdf.pages for line in lines_of(page)]
    start = max(i for i, line in enumerate(lines) if line["text"] == "References")
    # The statement of other formats follows the list, in body text: it is for every reader.
    end = next(i for i, line in enumerate(lines) if line["text"].startswith("Other formats."))
    assert end > start + 1
    reference_sizes = {line_size(line) for line in lines[start + 1:end]}
    assert reference_sizes and max(reference_sizes) < size, (reference_sizes, size)


def test_no_heading_stands_alone_at_the_foot_of_a_page(a4_build):
    with pdfplumber.open(a4_build.pdf) as pdf:
        size = body_size(pdf)
        for number, page in enumerate(pdf.pages[:-1], start=1):
            last = lines_of(page)[-1]
            assert line_size(last) <= size, f"page {number} ends with the heading {last['text']!r}"
