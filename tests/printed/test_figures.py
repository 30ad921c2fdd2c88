"""SVG figures printed wide enough for their labels to keep the edition's smallest
text size (large print: 16 pt), read from the print HTML and the built PDFs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.structure import PDFStructTree

from pipeline import Settings, build
from pipeline.checks import ERROR, Report
from pipeline.checks.pdf import check_pdf
from pipeline.printed.editions import EDITIONS
from pipeline.printed.figures import svg_text, with_figures_readable
from building import FIXTURES

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


# --- figures wider than the text: into the margins, then a landscape page of their own -------------

# The held-out kind of figure: 480 units wide, 16-unit labels (14.2 pt at the large-print
# text width, 425 pt); and one that needs more than a portrait page (11-unit labels: 698 pt).
WIDE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">
  <rect x="10" y="10" width="460" height="40" fill="#e6eef1" stroke="#0b4f6c"/>
  <g font-family="DejaVu Sans, sans-serif" font-size="{size}" fill="#1a1a1a">
    <text x="10" y="80">0 no pain</text><text x="360" y="80">10 worst</text>
    <text x="200" y="110">middle</text>
  </g>
</svg>
"""
WIDE = "A wide pain scale with 16-unit labels"
WIDER = "A wide pain scale with 11-unit labels"
WIDE_SECTION = f"""## Two more scales

![{WIDE}](wide.svg)

![{WIDER}](wider.svg)

Some words after the scales.

## References
"""
MM = 72 / 25.4
PRINTABLE_INSET = 10 * MM  # printed/figures.py: a figure keeps 10 mm off the paper's edge


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> Path:
    """The knee leaflet with the two wide figures, in large print."""
    folder = tmp_path_factory.mktemp("wide-figures") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    (folder / "wide.svg").write_text(WIDE_SVG.format(size=16), encoding="utf-8")
    (folder / "wider.svg").write_text(WIDE_SVG.format(size=11), encoding="utf-8")
    article = folder / "knee-exercises.md"
    article.write_text(article.read_text(encoding="utf-8").replace("## References\n", WIDE_SECTION),
                       encoding="utf-8")
    out = folder.parent / "out"
    build(article, Settings(formats=("pdf",), editions=("large-print",), out_dir=out))
    return EDITIONS["large-print"].target(out, "knee-exercises")


def figure_chars(pdf: Path, description: str) -> list[tuple[object, dict]]:
    """(page, glyph) of each label of the figure with ``description``, from the tagged PDF."""
    with pdfplumber.open(pdf) as document:
        found = []

        def visit(element) -> None:
            if element.type == "Figure" and element.alt_text == description:
                marks.update((element.page_number, mcid) for mcid in element.mcids or [])
            for child in element.children:
                visit(child)
        marks: set = set()
        for element in PDFStructTree(document):
            visit(element)
        for page in document.pages:
            found += [((page.width, page.height, page.page_number), char) for char in page.chars
                      if (page.page_number, char["mcid"]) in marks and char["text"].strip()]
        return found


def test_a_figure_too_wide_for_the_text_reaches_into_the_margins_at_16_pt(wide):
    chars = figure_chars(wide, WIDE)
    assert chars
    assert min(round(char["size"], 1) for _, char in chars) >= 16
    (width, height, _), = {page for page, _ in chars}
    assert width < height  # on the portrait page
    left, right = min(char["x0"] for _, char in chars), max(char["x1"] for _, char in chars)
    assert left < 30 * MM  # into the left margin (the text starts 30 mm in)
    assert left > PRINTABLE_INSET and right < width - PRINTABLE_INSET


def test_a_figure_too_wide_for_the_page_has_a_landscape_page_at_16_pt(wide):
    chars = figure_chars(wide, WIDER)
    assert chars
    assert min(round(char["size"], 1) for _, char in chars) >= 16
    (width, height, number), = {page for page, _ in chars}
    assert width > height
    with pdfplumber.open(wide) as document:
        after = document.pages[number]  # the page after: portrait again, with the text
        assert after.width < after.height
        assert "Some words after the scales." in after.extract_text()


def test_make_check_finds_no_figure_too_small(wide):
    report = Report(wide)
    check_pdf(wide, EDITIONS["large-print"], [], report)
    assert [f.message for f in report.findings if f.severity == ERROR and "figure" in f.message] == []
