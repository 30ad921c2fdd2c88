"""The HTML report of `make check`: the reading-grade chart, the pages as pictures,
and nothing of the article's that could run. One real `check` of a small leaflet,
read back with lxml."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pypdf
import pytest
from PIL import Image

from pipeline.__main__ import EXIT_OK, main
from pipeline.checks.charts import grade_chart
from building import FIXTURES

STEM = "sciatica-exercises"
HOSTILE = "<script>alert(1)</script> & signs"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> Path:
    """A leaflet whose last heading is markup, checked once; the output folder."""
    root = tmp_path_factory.mktemp("report")
    folder = root / "leaflets"
    shutil.copytree(FIXTURES / "clinic-leaflet", folder)
    article = folder / f"{STEM}.md"
    text = article.read_text(encoding="utf-8").replace(
        'version: "1.0"', 'version: "1.0"\nreview-date: 2030-01-01\nalternative-formats: [large print]')
    escaped = HOSTILE.replace("<", "\\<").replace(">", "\\>")
    article.write_text(text + f"\n## {escaped}\n\nIntervertebral disc herniation necessitates "
                       "comprehensive multidisciplinary physiotherapeutic evaluation, "
                       "considering neurological symptomatology, radiological investigations "
                       "and individualised rehabilitation programmes.\n", encoding="utf-8")
    out = root / "out"
    stale = out / f"{STEM}.report-pages" / "page-99.png"  # from a longer leaflet, once
    stale.parent.mkdir(parents=True)
    stale.write_bytes(PNG_SIGNATURE)
    assert main(["check", str(article), "--out", str(out)]) == EXIT_OK
    return out


@pytest.fixture(scope="module")
def page(checked):
    return lxml.html.fromstring((checked / f"{STEM}.report.html").read_bytes())


@pytest.fixture(scope="module")
def readability(checked) -> dict:
    return json.loads((checked / f"{STEM}.report.json").read_text(encoding="utf-8"))["readability"]


def test_the_chart_has_one_bar_per_section_with_its_grade_against_the_target_line(page, readability):
    chart, = page.xpath('//svg[contains(@class, "grade-chart")]')
    assert chart.get("role") == "img"
    sections = readability["sections"]
    groups = chart.xpath('.//g[contains(@class, "section")]')
    assert [group.xpath("./text")[0].text for group in groups] == [s["title"] for s in sections]
    bars = [group.xpath("./rect")[0] for group in groups]
    assert [float(bar.get("data-grade")) for bar in bars] == [s["flesch_kincaid_grade"] for s in sections]
    target = readability["target_grade"]
    line, = chart.xpath('.//line[contains(@class, "target")]')
    assert float(line.get("data-grade")) == target
    per_grade = float(line.get("x1")) / target
    for bar, section in zip(bars, sections):
        assert float(bar.get("width")) == pytest.approx(max(section["flesch_kincaid_grade"], 0) * per_grade,
                                                        abs=0.02)
    over = [s for s in sections if s["flesch_kincaid_grade"] > target]
    assert over and len(over) < len(sections)  # the hard section is over, the others not
    for group, section in zip(groups, sections):
        label = group.xpath("./text")[1].text_content()
        is_over = section["flesch_kincaid_grade"] > target
        assert ("above target" in label) is is_over  # in words, not only in colour
        assert ("over" in group.get("class").split()) is is_over
    title = chart.xpath("./title")[0].text_content()
    assert f"{len(sections)} sections" in title and f"{len(over)} above it" in title
    assert chart.get("aria-labelledby") == chart.xpath("./title")[0].get("id")


def test_the_charts_numbers_are_a_table_too(page, readability):
    rows = page.xpath('//table[caption[contains(., "Readability")]]/tbody/tr')
    cells = {row[0].text_content(): row[3].text_content() for row in rows}
    for section in readability["sections"]:
        assert cells[section["title"]] == str(section["flesch_kincaid_grade"])


def test_the_pages_are_small_pngs_beside_the_report_one_per_pdf_page(checked, page):
    count = len(pypdf.PdfReader(checked / f"{STEM}.pdf").pages)
    images = page.xpath('//ul[contains(@class, "pages")]//img')
    assert len(images) == count
    for number, image in enumerate(images, start=1):
        assert image.get("alt") == f"Page {number} of {count}"
        assert image.get("src") == f"{STEM}.report-pages/page-{number}.png"
        picture = checked / image.get("src")
        assert picture.read_bytes().startswith(PNG_SIGNATURE)
        with Image.open(picture) as opened:
            assert opened.format == "PNG"
            assert opened.size == (int(image.get("width")), int(image.get("height")))
            assert opened.width < opened.height  # a portrait page, small
    assert sorted(p.name for p in (checked / f"{STEM}.report-pages").iterdir()) == sorted(
        f"page-{n}.png" for n in range(1, count + 1))  # the stale page-99 is gone


def test_a_heading_made_of_markup_is_only_text(checked, page):
    assert page.xpath("//script") == []
    source = (checked / f"{STEM}.report.html").read_text(encoding="utf-8")
    assert "<script" not in source
    label = page.xpath('//svg//g[contains(@class, "section")]/text')
    assert HOSTILE in [text.text for text in label]
    assert HOSTILE in [cell.text_content() for cell in page.xpath("//td")]


def test_a_chart_of_nothing_is_none_and_a_grade_below_zero_is_an_empty_bar():
    assert grade_chart([], 6) is None
    chart = grade_chart([{"title": "Easy", "sentences": 1, "flesch_kincaid_grade": -1.5},
                         {"title": "Hard", "sentences": 3, "flesch_kincaid_grade": 11.2}], 6)
    easy, hard = chart.bars
    assert easy.length == 0 and not easy.over and hard.over
    assert chart.over == (hard,)
    assert hard.length / hard.grade == pytest.approx(chart.target_x / chart.target, abs=0.01)


def test_the_pdf_ua_result_of_every_edition_stands_beside_epubcheck_and_ace(checked, page):
    """One row a file and checker: each PDF edition and the imposed booklet against PDF/UA-1
    (all 104 rules), the EPUB against EPUBCheck and Ace; the JSON has the same figures."""
    rows = [[cell.text_content().strip() for cell in row.xpath("td")]
            for row in page.xpath('//h2[text()="Accessibility validators"]/following-sibling::table[1]//tbody/tr')]
    pdf_rows = {row[0]: row[2:] for row in rows if row[1] == "PDF/UA-1 (page-validation)"}
    assert pdf_rows == {
        f"{STEM}.pdf (standard)": ["passed: 104 of 104 rules passed", "none"],
        f"{STEM}.large-print.pdf (large-print)": ["passed: 104 of 104 rules passed", "none"],
        f"{STEM}.a5.pdf (booklet)": ["passed: 104 of 104 rules passed", "none"],
        f"{STEM}.booklet.pdf (booklet, imposed)": ["passed: 104 of 104 rules passed", "none"]}
    assert [(row[0], row[1]) for row in rows if row[1] in ("EPUBCheck", "DAISY Ace")] == [
        (f"{STEM}.epub", "EPUBCheck"), (f"{STEM}.epub", "DAISY Ace")]
    report = json.loads((checked / f"{STEM}.report.json").read_text(encoding="utf-8"))
    assert {name: (result["rules_passed"], result["failures"]) for name, result in report["pdf_ua"].items()} \
        == {f"{STEM}{suffix}.pdf": (104, []) for suffix in ("", ".large-print", ".a5", ".booklet")}
