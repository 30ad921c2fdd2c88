"""SVG figures printed wide enough for their labels to keep the edition's smallest
text size (large print: 16 pt), read from the print HTML and the built PDFs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from pipeline import Settings, build
from pipeline.config import EDITIONS
from pipeline.printed.figures import svg_text, with_figures_readable
from helpers import FIXTURES

FIXTURE = FIXTURES / "figure-and-tables-leaflet"


@pytest.fixture(scope="module")
def knee(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figures") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    out = folder.parent / "out"
    build(folder / "knee-exercises.md", Settings(formats=("pdf",), editions=tuple(EDITIONS), out_dir=out))
    return out


def figure_sizes(pdf: Path) -> list[float]:
    """The sizes of the text the structure tree places in figures (an SVG's labels)."""
    with pdfplumber.open(pdf) as document:
        return [round(c["size"], 2) for page in document.pages for c in page.chars
                if c.get("tag") == "Figure" and c["text"].strip()]


def test_the_smallest_label_and_the_drawing_width_are_read_from_the_svg():
    text = svg_text(FIXTURE / "pain-scale.svg")
    assert (text.smallest, text.width) == (11, 240)
    assert text.width_for(16) == pytest.approx(349.09, abs=0.01)


def test_sizes_in_styles_ems_and_points_are_inherited(tmp_path):
    svg = tmp_path / "sizes.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200"><g style="font-size: 20px">'
                   '<text>a<tspan font-size="0.5em">b</tspan></text></g><text font-size="9pt">c</text>'
                   '</svg>', encoding="utf-8")
    assert (svg_text(svg).smallest, svg_text(svg).width) == (10, 200)


def test_the_large_print_html_asks_for_the_width_that_makes_the_labels_16_pt():
    body = '<p><img src="pain-scale.svg" style="width:45.0%" alt="A pain scale" /></p>'
    widened = with_figures_readable(body, FIXTURE, EDITIONS["large-print"].min_text_pt)
    (style,) = re.findall(r'style="([^"]*)"', widened)
    assert style == "width:45.0%; min-width: min(349.1pt, 100%)"
    # 16 pt labels: 11 user units of 240 across 349.1 pt
    assert 11 * 349.1 / 240 >= 16
    assert with_figures_readable('<img src="photo.png" alt="x" />', FIXTURE, 16) == \
        '<img src="photo.png" alt="x" />'


@pytest.mark.parametrize("output, edition", [
    ("knee-exercises.large-print.pdf", "large-print"), ("knee-exercises.pdf", "standard"),
    ("knee-exercises.a5.pdf", "booklet")])
def test_a_figure_asked_at_45_percent_prints_its_labels_at_the_editions_minimum(knee, output, edition):
    sizes = figure_sizes(knee / output)
    assert sizes, "the figure's labels are not text in the PDF"
    assert min(sizes) >= EDITIONS[edition].min_text_pt
