"""`make check` on printed editions with figures and tables: the body size is read from
the tagged paragraphs, and a figure whose labels stay under the edition's smallest size
is named with its size and the size it needs. On PDFs the pipeline builds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from pipeline import Settings, build
from pipeline.checks import ERROR, Report
from pipeline.checks.pdf import body_size, check_pdf
from pipeline.checks.reading_order import paragraph_openings
from pipeline.printed.editions import EDITIONS
from pipeline.pandoc.run import markdown_to_ast
from pipeline.article.front_matter import load_article
from building import FIXTURES

FIXTURE = FIXTURES / "figure-and-tables-leaflet"
TINY_LABELS = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60" viewBox="0 0 400 60">
  <text x="5" y="20" font-size="4">0</text><text x="100" y="20" font-size="4">early morning</text>
  <text x="200" y="20" font-size="4">midday</text><text x="300" y="20" font-size="4">night</text>
</svg>
"""
TINY_ARTICLE = """---
title: When the pain is worst
lang: en-GB
---

## A day of pain

Most people find that the pain is worst early in the morning and eases later on.

![Pain through the day, from morning to night](day.svg)

Walk a little every day, and stop if the pain gets worse.
"""


def large_print_report(article: Path, out: Path) -> Report:
    build(article, Settings(formats=("pdf",), editions=("large-print",), out_dir=out))
    loaded = load_article(article)
    doc = markdown_to_ast(loaded.markdown, article, 60)
    pdf = EDITIONS["large-print"].target(out, article.stem)
    report = Report(article)
    check_pdf(pdf, EDITIONS["large-print"], paragraph_openings(doc), report,
              {"Pain through the day, from morning to night": "day.svg"})
    return report


@pytest.fixture(scope="module")
def knee_large_print(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("body") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    out = folder.parent / "out"
    build(folder / "knee-exercises.md", Settings(formats=("pdf",), editions=("large-print",), out_dir=out))
    return out / "knee-exercises.large-print.pdf"


def test_the_body_size_of_a_short_leaflet_with_tables_comes_from_its_paragraphs(knee_large_print):
    # Tables, references, footers and notes at 16 pt outnumber this leaflet's prose:
    # the commonest size of long lines, the old rule, takes them for the body.
    with pdfplumber.open(knee_large_print) as document:
        assert body_size(document) == 16
    report = Report(knee_large_print)
    check_pdf(knee_large_print, EDITIONS["large-print"], [], report)
    assert report.measurements[knee_large_print.name]["body_pt"] == 18
    assert [f.message for f in report.findings if f.severity == ERROR] == []


def test_a_figure_whose_labels_cannot_reach_16_pt_is_named_with_its_size_and_the_size_needed(tmp_path):
    (tmp_path / "day.svg").write_text(TINY_LABELS, encoding="utf-8")
    article = tmp_path / "pain-day.md"
    article.write_text(TINY_ARTICLE, encoding="utf-8")
    report = large_print_report(article, tmp_path / "out")
    errors = [(f.message, f.hint) for f in report.findings if f.severity == ERROR]
    (message, hint), = errors  # only the figure: the general smallest-text rule leaves it out
    assert message.startswith("the figure “Pain through the day, from morning to night” (day.svg) "
                              "on page 2 prints its smallest text at ")  # its landscape page
    assert "; the large-print edition needs 16 pt, and the figure cannot be printed wider than " \
           "a landscape page" in message
    printed = float(message.split("smallest text at ")[1].split(" pt")[0])
    # 4 units across 400, printed on a landscape A4 page 785 pt wide (10 mm off each edge)
    assert 7.5 < printed < 8
    assert hint.startswith(f"make the figure's smallest labels {16 / printed:.1f} times larger")
