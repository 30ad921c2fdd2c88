"""Easy read rows, read from the built PDFs: each picture (its Figure's box in the
tagged PDF) beside the first words of its row, on the left, or on the right in a
right-to-left language; at least 4 cm wide; the words at 16 pt or more."""
from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.structure import PDFStructTree

from pipeline import Settings, build
from pipeline.printed.editions import EDITIONS
from building import FIXTURES

FIXTURE = FIXTURES / "easy-read-leaflet"
STEM = "sciatica-exercises.easy-read"
PT_PER_PX = 0.75  # WeasyPrint writes a Figure's /BBox in CSS pixels from the page's top left
CM = 72 / 2.54
# (the picture's description, the row's first words)
ROWS = [("A person walking", "Moving a little"), ("A warm pack with heat coming off it", "A warm pack"),
        ("A red stop sign", "Stop if the"), ("A person resting in bed", "Rest for a"),
        ("A mobile phone", "Call your doctor")]


def built(tmp_path_factory, lang: str | None = None) -> Path:
    folder = tmp_path_factory.mktemp("easy-read") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    article = folder / f"{STEM}.md"
    if lang:
        article.write_text(article.read_text(encoding="utf-8").replace("lang: en-GB", f"lang: {lang}"),
                           encoding="utf-8")
    out = folder.parent / "out"
    build(article, Settings(formats=("pdf",), editions=tuple(EDITIONS), out_dir=out))
    return out


@pytest.fixture(scope="module")
def left_to_right(tmp_path_factory) -> Path:
    return built(tmp_path_factory)


@pytest.fixture(scope="module")
def right_to_left(tmp_path_factory) -> Path:
    return built(tmp_path_factory, "ar")


def picture_boxes(pdf: Path) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """(page, (x0, top, x1, bottom) in pt) of each figure, by its description."""
    boxes = {}
    with pdfplumber.open(pdf) as document:
        def visit(element) -> None:
            if element.type == "Figure":
                box = tuple(v * PT_PER_PX for v in element.attributes["BBox"])
                boxes.setdefault(element.alt_text, (element.page_number, box))
            for child in element.children:
                visit(child)
        for element in PDFStructTree(document):
            visit(element)
    return boxes


def first_words(pdf: Path, words: str) -> tuple[int, dict]:
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            found = page.search(words, return_chars=True)
            if found:
                return page.page_number, found[0]
    raise AssertionError(f"{words!r} is not in {pdf.name}")


OUTPUTS = {"standard": f"{STEM}.pdf", "large-print": f"{STEM}.large-print.pdf", "booklet": f"{STEM}.a5.pdf"}


@pytest.mark.parametrize("edition", OUTPUTS)
@pytest.mark.parametrize("description, words", ROWS)
def test_each_picture_stands_left_of_its_words_on_the_same_row(left_to_right, edition, description, words):
    pdf = left_to_right / OUTPUTS[edition]
    page, (x0, top, x1, bottom) = picture_boxes(pdf)[description]
    words_page, found = first_words(pdf, words)
    assert words_page == page
    assert found["x0"] > x1  # the words start right of the picture
    assert top < found["top"] < bottom  # on the picture's row
    assert x1 - x0 >= 4 * CM - 0.5
    assert min(c["size"] for c in found["chars"]) >= 16 - 0.01


@pytest.mark.parametrize("description, words", ROWS)
def test_a_right_to_left_leaflet_mirrors_the_rows(right_to_left, description, words):
    pdf = right_to_left / OUTPUTS["standard"]
    page, (x0, top, x1, bottom) = picture_boxes(pdf)[description]
    words_page, found = first_words(pdf, words)
    assert words_page == page
    assert found["x1"] < x0  # the words end left of the picture
    assert top < found["top"] < bottom


def test_the_pictures_take_a_third_of_the_text_width(left_to_right):
    boxes = picture_boxes(left_to_right / OUTPUTS["standard"])
    widths = {round(x1 - x0) for _page, (x0, _top, x1, _bottom) in boxes.values()}
    assert widths == {round(0.33 * (595.28 - 2 * 30 * 72 / 25.4))}  # A4 less 30 mm margins
