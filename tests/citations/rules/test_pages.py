"""CSL 1.0.2, "Appendix V: Page Range Formats" (``rules.pages``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.pages import formatted_range

from rule_styles import item, render


@pytest.mark.parametrize("pages, expanded, minimal, minimal_two, chicago, chicago_16", [
    ("3-10", "3–10", "3–10", "3–10", "3–10", "3–10"),
    ("71-72", "71–72", "71–2", "71–72", "71–72", "71–72"),
    ("100-4", "100–104", "100–4", "100–04", "100–104", "100–104"),
    ("107-108", "107–108", "107–8", "107–08", "107–8", "107–8"),
    ("321-28", "321–328", "321–8", "321–28", "321–28", "321–28"),
    ("1496-504", "1496–1504", "1496–504", "1496–504", "1496–1504", "1496–504"),
    ("11564-11568", "11564–11568", "11564–8", "11564–68", "11564–68", "11564–68"),
])
def test_page_range_formats_follow_the_appendix(pages, expanded, minimal, minimal_two, chicago,
                                                chicago_16) -> None:
    got = [formatted_range(pages, form, "–")
           for form in ("expanded", "minimal", "minimal-two", "chicago", "chicago-16")]
    assert got == [expanded, minimal, minimal_two, chicago, chicago_16]


@pytest.mark.parametrize("pages, expected", [
    ("N110 - N5", "N110–N115"),  # one prefix on both pages: kept on both
    ("N110 - 5", "N110-5"),  # different prefixes: no range to shorten, kept as written
    ("110 - N6", "110-N6"),
    ("xxv-xxviii", "xxv–xxviii"),  # no numbers: only the delimiter
])
def test_page_prefixes_in_an_expanded_range(pages: str, expected: str) -> None:
    assert formatted_range(pages, "expanded", "–") == expected


def test_the_style_page_range_format_applies_to_the_page_variable(tmp_path: Path) -> None:
    body = '<citation><layout><text variable="page"/></layout></citation>'
    pages = [item(id="a", page="1100-23, 1536-538"), item(id="b", page="100-4")]
    citations, _ = render(tmp_path, body, pages, attrs=' page-range-format="chicago"')
    assert citations == ["1100–1123, 1536–38", "100–104"]


def test_without_page_range_format_the_range_is_not_shortened(tmp_path: Path) -> None:
    body = '<citation><layout><text variable="page"/></layout></citation>'
    citations, _ = render(tmp_path, body, [item(page="733-741")])
    assert citations == ["733–741"]
