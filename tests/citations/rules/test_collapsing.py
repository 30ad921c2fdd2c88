"""CSL 1.0.2, "Cite Grouping, Cite Collapsing" (``rules.collapsing``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import cite_texts, item, names, render_markdown

NUMBERS = ('<citation collapse="citation-number"{after}><sort><key variable="citation-number"/></sort>'
           '<layout delimiter=", " prefix="[" suffix="]"><text variable="citation-number"/></layout>'
           '</citation>')
ITEMS = [item(id=key, title=key) for key in "abcde"]
FIRST_CITES = "[@a] [@b] [@c] [@d] [@e] "


def test_collapse_citation_number_makes_ranges_of_three_or_more(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NUMBERS.format(after=""),
                          FIRST_CITES + "[@c; @a; @b; @e] [@a; @b; @d]", ITEMS)
    assert cite_texts(doc)[5:] == ["[1–3, 5]", "[1, 2, 4]"]


def test_collapse_uses_the_after_collapse_delimiter(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NUMBERS.format(after=' after-collapse-delimiter="; "'),
                          FIRST_CITES + "[@a; @b; @c; @e]", ITEMS)
    assert cite_texts(doc)[5:] == ["[1–3; 5]"]


def test_a_cite_with_a_locator_is_not_collapsed(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NUMBERS.format(after=""), FIRST_CITES + "[@a; @b, p. 4; @c]", ITEMS)
    assert cite_texts(doc)[5:] == ["[1, 2, 3]"]


YEARS = ('<citation collapse="year"{extra}><layout delimiter="; " prefix="(" suffix=")">'
         '<group delimiter=" "><names variable="author"><name form="short"/></names>'
         '<date variable="issued"><date-part name="year"/></date></group></layout></citation>')
WORKS = [item(id="s1", author=names("Ann Smith"), issued={"date-parts": [[2000]]}),
         item(id="j1", author=names("Bob Jones"), issued={"date-parts": [[1999]]}),
         item(id="s2", author=names("Ann Smith"), issued={"date-parts": [[2001]]})]


def test_collapse_year_groups_cites_by_names_and_prints_the_names_once(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, YEARS.format(extra=""), "[@s1; @j1; @s2]", WORKS)
    assert cite_texts(doc) == ["(Smith 2000, 2001; Jones 1999)"]


def test_cite_group_delimiter_and_after_collapse_delimiter(tmp_path: Path) -> None:
    extra = ' cite-group-delimiter="/" after-collapse-delimiter=" | "'
    doc = render_markdown(tmp_path, YEARS.format(extra=extra), "[@s1; @j1; @s2]", WORKS)
    assert cite_texts(doc) == ["(Smith 2000/2001 | Jones 1999)"]


def test_cite_grouping_without_collapse_keeps_the_names(tmp_path: Path) -> None:
    body = YEARS.replace(' collapse="year"', ' cite-group-delimiter=", "').format(extra="")
    doc = render_markdown(tmp_path, body, "[@s1; @j1; @s2]", WORKS)
    assert cite_texts(doc) == ["(Smith 2000, Smith 2001; Jones 1999)"]


SUFFIXES = ('<citation collapse="{collapse}" disambiguate-add-year-suffix="true" year-suffix-delimiter=",">'
            '<layout delimiter="; "><group delimiter=" "><names variable="author"><name form="short"/></names>'
            '<date variable="issued"><date-part name="year"/></date></group></layout></citation>')
SAME_YEAR = [item(id=f"w{number}", title=f"T{number}", author=names("Ann Smith"),
                  issued={"date-parts": [[2000]]}) for number in range(4)]


def test_collapse_year_suffix_prints_the_year_once(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, SUFFIXES.format(collapse="year-suffix"),
                          "[@w0; @w1; @w2; @w3] [@w0; @w2]", SAME_YEAR)
    assert cite_texts(doc) == ["Smith 2000a,b,c,d", "Smith 2000a,c"]


def test_collapse_year_suffix_ranged_makes_ranges_of_three_or_more(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, SUFFIXES.format(collapse="year-suffix-ranged"),
                          "[@w0; @w1; @w2; @w3] [@w0; @w2; @w3]", SAME_YEAR)
    assert cite_texts(doc) == ["Smith 2000a–d", "Smith 2000a,c,d"]


def test_year_suffixes_are_delimited_by_the_cite_group_delimiter_where_the_style_sets_one(tmp_path: Path) -> None:
    """Without year-suffix-delimiter, the suffixes of a cite group take the cite-group-delimiter
    ("the delimiter for cites within a cite group"), else the layout's (``year_suffix_delimiter``)."""
    grouped = SUFFIXES.replace(' year-suffix-delimiter=","', ' cite-group-delimiter=", "')
    plain = SUFFIXES.replace(' year-suffix-delimiter=","', "")
    assert cite_texts(render_markdown(tmp_path, grouped.format(collapse="year-suffix"),
                                      "[@w0; @w1]", SAME_YEAR)) == ["Smith 2000a, b"]
    assert cite_texts(render_markdown(tmp_path, plain.format(collapse="year-suffix"),
                                      "[@w0; @w1]", SAME_YEAR)) == ["Smith 2000a; b"]


def test_cites_without_names_collapse_their_year_suffixes(tmp_path: Path) -> None:
    """Cites that print the year alone have identical (empty) names: "1965a,b" (``NO_NAMES``)."""
    years_only = SUFFIXES.replace('<names variable="author"><name form="short"/></names>', "")
    doc = render_markdown(tmp_path, years_only.format(collapse="year-suffix"), "[@w0; @w1]", SAME_YEAR)
    assert cite_texts(doc) == ["2000a,b"]


def test_after_collapsed_year_suffixes_comes_the_after_collapse_delimiter(tmp_path: Path) -> None:
    """"Smith 2000a–c; 2001": the next cite of the group follows the collapsed suffixes with
    the after-collapse-delimiter (default: the layout's), not the cite-group-delimiter."""
    later = item(id="w9", title="T9", author=names("Ann Smith"), issued={"date-parts": [[2001]]})
    doc = render_markdown(tmp_path, SUFFIXES.format(collapse="year-suffix-ranged"),
                          "[@w0; @w1; @w2; @w9] [@w0; @w9]", SAME_YEAR + [later])
    assert cite_texts(doc) == ["Smith 2000a–c; 2001", "Smith 2000a, 2001"]
