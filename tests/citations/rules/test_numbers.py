"""Numbers: CSL 1.0.2, "Number", page locators, the citation number (``rules.numbers``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.engine import render_citations
from pipeline.pandoc.run import markdown_to_ast

from rule_styles import cite, cite_texts, citation_only, item, render_markdown, write_style


def test_number_renders_hyphenated_number_variables(tmp_path: Path) -> None:
    """cs:number renders any number variable ("number-of-pages", "collection-number") with its
    label (numbers.number_variable_by_its_name)."""
    layout = ('<group delimiter=" "><number variable="number-of-pages"/><label variable="number-of-pages" form="short"/>'
              '</group><number variable="collection-number" form="roman" prefix=", no. "/>')
    assert cite(tmp_path, layout, [item(**{"number-of-pages": "1008", "collection-number": "4"})]) == "1008 p., no. iv"


@pytest.mark.parametrize("range_format, expected", [
    ("expanded", "pp. 475–476"), ("minimal", "pp. 475–6"), ("chicago", "pp. 475–76")])
def test_page_range_format_applies_to_a_page_locator(tmp_path: Path, range_format: str, expected: str) -> None:
    body = citation_only('<group delimiter=" "><label variable="locator" form="short"/>'
                         '<text variable="locator"/></group>')
    doc = render_markdown(tmp_path, body, "[@item, pp. 475-476]", [item()], cls="in-text")
    assert cite_texts(doc) == ["pp. 475–476"]  # without page-range-format: only the dash
    style = write_style(tmp_path, body, attrs=f' page-range-format="{range_format}"')
    doc = render_citations(markdown_to_ast("[@item, pp. 475-476]", tmp_path / "a.md", 60), [item()], style,
                           lang="en-US")
    assert cite_texts(doc) == [expected]


def test_strip_periods_on_the_citation_number(tmp_path: Path) -> None:
    """"strip-periods": the citation number has none to strip (citeproc-py failed on it)."""
    layout = '<text variable="citation-number" strip-periods="true" prefix="(" suffix=")"/>'
    assert cite(tmp_path, layout, [item()]) == "(1)"


def test_an_ampersand_in_a_page_value_is_printed_once(tmp_path: Path) -> None:
    """CSL 1.0.2, "Number": "1 & 2" is a list of two pages (``number_value_unescaped``)."""
    layout = '<text variable="page"/>'
    assert cite(tmp_path, layout, [item(page="142-145 & 235")]) == "142–145 & 235"
    assert cite(tmp_path, layout, [item(page="1 & 2 <3>")]) == "1 & 2 <3>"


def test_an_escaped_hyphen_is_one_number_with_a_plain_hyphen(tmp_path: Path) -> None:
    """"327\\-30" is no range: a plain hyphen and a singular label (``escaped_hyphen_kept``)."""
    layout = '<group delimiter=" "><label variable="page"/><text variable="page"/></group>'
    assert cite(tmp_path, layout, [item(page="327\\-30")]) == "page 327-30"
    assert cite(tmp_path, layout, [item(page="327-30")]) == "pages 327–30"


def test_words_joined_by_a_hyphen_are_one_number_and_roman_numerals_a_range(tmp_path: Path) -> None:
    """CSL 1.0.2, "Number": a range is of numbers; "Michaelson-Morely" keeps its hyphen and a
    singular label, "i-ix" is a range (``hyphens_that_are_no_range``)."""
    layout = '<group delimiter=" "><label variable="page"/><text variable="page"/></group>'
    assert cite(tmp_path, layout, [item(page="Michaelson-Morely")]) == "page Michaelson-Morely"
    assert cite(tmp_path, layout, [item(page="i-ix")]) == "pages i–ix"


def test_a_range_in_any_locator_is_a_range_of_numbers(tmp_path: Path) -> None:
    body = citation_only('<text variable="locator"/>')
    doc = render_markdown(tmp_path, body, "[@item, chap. 200 - 201]", [item()])
    assert cite_texts(doc) == ["200–201"]
