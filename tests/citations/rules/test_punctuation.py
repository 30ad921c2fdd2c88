"""CSL 1.0.2, "Affixes" and "Delimiter": the marks where pieces meet (``rules.punctuation``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.punctuation import collapse_duplicate_periods, settle
from pipeline.citations.rules.values import SEAM

from rule_styles import cite, item, names


def test_affixes_are_only_rendered_if_the_element_produces_output(tmp_path: Path) -> None:
    layout = '<text variable="title"/><text variable="volume" prefix="; vol. " suffix="."/>'
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


def test_delimiter_delimits_only_non_empty_pieces(tmp_path: Path) -> None:
    layout = ('<group delimiter=", "><text variable="title"/><text variable="volume"/>'
              '<text variable="page"/></group>')
    assert cite(tmp_path, layout, [item(title="T", page="12")]) == "T, 12"


def test_affix_punctuation_meeting_a_suffix_is_not_doubled(tmp_path: Path) -> None:
    """"et al." + suffix "." reads "et al.", not "et al.."."""
    layout = ('<names variable="author" suffix="."><name form="short" et-al-min="2" et-al-use-first="1"/>'
              '</names><text variable="title" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T", author=names("Ann Doe", "Bob Roe"))]) == "Doe et al. T"


def test_a_piece_starting_with_punctuation_takes_no_delimiter(tmp_path: Path) -> None:
    layout = ('<group delimiter=" "><text variable="title"/><text variable="volume" prefix=", "/></group>')
    assert cite(tmp_path, layout, [item(title="T", volume="6")]) == "T, 6"


@pytest.mark.parametrize("before, after, expected", [
    ("al.", ".", "al."), ("x;", ".", "x;"), ("x:", "?", "x?"), ("x ", ",", "x,"), ("x.", ",", "x.,")])
def test_punctuation_at_a_seam_is_settled_by_the_table(before: str, after: str, expected: str) -> None:
    assert settle(before + SEAM + after) == expected


def test_an_escaped_angle_bracket_is_not_a_semicolon_at_a_seam() -> None:
    """"&gt;" ends in ";" only as HTML: "<URL>" + ". Accessed" keeps its period."""
    rendered = "&lt;https://x.org&gt;" + SEAM + ". Accessed"
    assert settle(rendered) == "&lt;https://x.org&gt;. Accessed"


def test_duplicate_period_across_markup_is_collapsed() -> None:
    assert collapse_duplicate_periods("Field T, et al.</i>. Lower") == "Field T, et al.</i> Lower"
    assert collapse_duplicate_periods("wait... and") == "wait... and"
