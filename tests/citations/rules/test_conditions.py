"""CSL 1.0.2, "Choose" (``rules.conditions``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.conditions import NUMERIC

from rule_styles import cite, cite_texts, citation_only, item, render_markdown


def test_choose_disambiguate_is_false_without_an_ambiguity(tmp_path: Path) -> None:
    layout = ('<choose><if disambiguate="true"><text variable="title"/></if>'
              '<else><text value="plain"/></else></choose>')
    assert cite(tmp_path, layout, [item(title="T")]) == "plain"


@pytest.mark.parametrize("value, numeric", [
    ("33", True), ("475-476", True), ("2, 4", True), ("2 & 4", True), ("2nd", True), ("D2", True),
    ("L2d", True), ("second", False), ("2nd edition", False), ("preface", False)])
def test_choose_is_numeric_follows_the_definition(value: str, numeric: bool) -> None:
    assert bool(NUMERIC.match(value)) is numeric


def test_choose_is_numeric_tests_the_locator(tmp_path: Path) -> None:
    body = citation_only('<choose><if is-numeric="locator"><text value="numeric"/></if>'
                         '<else><text value="not numeric"/></else></choose>')
    doc = render_markdown(tmp_path, body, "[@item, p. 33] [@item, chap. intro]", [item()])
    assert cite_texts(doc) == ["numeric", "not numeric"]


@pytest.mark.parametrize("match, expected", [("any", "yes"), ("all", "no"), ("none", "no")])
def test_choose_match_combines_every_condition(tmp_path: Path, match: str, expected: str) -> None:
    layout = (f'<choose><if type="book" variable="volume" match="{match}"><text value="yes"/></if>'
              '<else><text value="no"/></else></choose>')
    assert cite(tmp_path, layout, [item()]) == expected


@pytest.mark.parametrize("match, expected", [("all", "URL"), ("any", "URL"), ("none", "none")])
def test_choose_type_tests_whether_the_type_is_one_of_the_given_types(tmp_path: Path, match: str,
                                                                     expected: str) -> None:
    """"type": one condition, true when the item's type is among the listed ones (conditions.render_if_with_all_conditions)."""
    layout = (f'<choose><if type="post webpage" variable="URL" match="{match}"><text value="URL"/></if>'
              '<else><text value="none"/></else></choose>')
    assert cite(tmp_path, layout, [item(type="webpage", URL="https://example.org")]) == expected
