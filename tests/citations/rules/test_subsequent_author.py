"""CSL 1.0.2, "Reference Grouping": `subsequent-author-substitute` (``rules.subsequent_author``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rule_styles import item, names, render

BIBLIOGRAPHY = """<citation><layout><text variable="title"/></layout></citation>
<bibliography subsequent-author-substitute="---"{rule}><layout><group delimiter=", ">
  <names variable="author"><name and="text" delimiter=", "/><label form="short" prefix=" (" suffix=")"/>
    <substitute><text variable="title"/></substitute></names>
  <text variable="title"/>
</group></layout></bibliography>"""


def entries(tmp_path: Path, rule: str, *authors: list[dict]) -> list[str]:
    items = [item(id=f"w{number}", title=f"Work {number}", author=people)
             for number, people in enumerate(authors)]
    return render(tmp_path, BIBLIOGRAPHY.format(rule=f' subsequent-author-substitute-rule="{rule}"'
                                                if rule else ""), items)[1]


def test_the_same_names_as_the_entry_before_are_replaced_whole(tmp_path: Path) -> None:
    """complete-all, the default: the list, "and" included, becomes the substitute; the entry
    after an entry that was substituted compares with the names, not with "---"."""
    pair = names("Ann Doe", "Bob Roe")
    assert entries(tmp_path, "", pair, pair, pair, names("Ann Doe")) == [
        "Ann Doe and Bob Roe, Work 0", "---, Work 1", "---, Work 2", "Ann Doe, Work 3"]


def test_complete_each_replaces_each_name(tmp_path: Path) -> None:
    pair = names("Ann Doe", "Bob Roe")
    assert entries(tmp_path, "complete-each", pair, pair) == ["Ann Doe and Bob Roe, Work 0",
                                                              "--- and ---, Work 1"]


@pytest.mark.parametrize("rule, second", [("partial-each", "---, ---, and Cy Poe, Work 1"),
                                          ("partial-first", "---, Bob Roe, and Cy Poe, Work 1")])
def test_partial_rules_replace_the_names_that_match_from_the_first(tmp_path: Path, rule: str,
                                                                   second: str) -> None:
    assert entries(tmp_path, rule, names("Ann Doe", "Bob Roe"), names("Ann Doe", "Bob Roe", "Cy Poe")) == [
        "Ann Doe and Bob Roe, Work 0", second]


def test_a_substituted_title_that_repeats_is_replaced(tmp_path: Path) -> None:
    """No author: the title substitutes (and is not printed again); the same title next is
    replaced."""
    items = [item(id="a", title="Same"), item(id="b", title="Same"), item(id="c", title="Other")]
    assert render(tmp_path, BIBLIOGRAPHY.format(rule=""), items)[1] == ["Same", "---", "Other"]


def test_the_first_names_printed_count_and_an_organisation_reads_as_written(tmp_path: Path) -> None:
    """An editor list that prints nothing is not "the first cs:names rendered"; "Beijing Zoo" as
    a family name and as a literal name are the same author."""
    body = """<citation><layout><text variable="title"/></layout></citation>
<bibliography subsequent-author-substitute="---"><layout><group delimiter=". ">
  <names variable="editor"><name/></names>
  <names variable="author"><name/></names>
  <text variable="title"/>
</group></layout></bibliography>"""
    items = [item(id="a", title="One", author=[{"family": "Beijing Zoo"}]),
             item(id="b", title="Two", author=[{"literal": "Beijing Zoo"}])]
    assert render(tmp_path, body, items)[1] == ["Beijing Zoo. One", "---. Two"]


def test_names_hidden_by_et_al_do_not_count(tmp_path: Path) -> None:
    """complete-all compares the names printed: two lists that differ after "et al." match."""
    body = """<citation><layout><text variable="title"/></layout></citation>
<bibliography subsequent-author-substitute="---" et-al-min="3" et-al-use-first="1"><layout>
  <group delimiter=". "><names variable="author"><name/></names><text variable="title"/></group>
</layout></bibliography>"""
    items = [item(id="a", title="One", author=names("Ann Doe", "Bob Roe", "Cy Poe")),
             item(id="b", title="Two", author=names("Ann Doe", "Di Low", "Ed Lee"))]
    assert render(tmp_path, body, items)[1] == ["Ann Doe et al. One", "---. Two"]
