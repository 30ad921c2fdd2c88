"""CSL 1.0.2, "Disambiguation" and "Choose": the `disambiguate` condition
(``rules.disambiguation``, read by ``rules.conditions``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import item, names, render

AUTHOR_THEN_TITLE = """<citation><layout delimiter="; "><group delimiter=", ">
  <names variable="author"><name form="short"/></names>
  <choose><if disambiguate="true"><text variable="title"/></if></choose>
  <choose><if disambiguate="true"><text variable="edition" prefix="ed. "/></if></choose>
</group></layout></citation>
<bibliography><layout><group delimiter=", ">
  <names variable="author"><name form="short"/></names>
  <choose><if disambiguate="true"><text variable="title"/></if></choose>
</group></layout></bibliography>"""


def works(*titles_and_editions: tuple[str, str]) -> list[dict]:
    return [item(id=f"w{number}", title=title, edition=edition, author=names("Ann Smith"))
            for number, (title, edition) in enumerate(titles_and_editions)]


def test_disambiguate_tests_true_only_for_cites_that_read_alike(tmp_path: Path) -> None:
    items = works(("Backs", "1"), ("Necks", "1")) + [
        item(id="other", title="Knees", edition="1", author=names("Bob Jones"))]
    citations, _ = render(tmp_path, AUTHOR_THEN_TITLE, items)
    assert citations == ["Smith, Backs", "Smith, Necks", "Jones"]


def test_disambiguate_conditions_are_taken_one_after_the_other(tmp_path: Path) -> None:
    """The second condition (the edition) only where the first (the title) did not tell."""
    items = works(("Backs", "1"), ("Works", "2"), ("Works", "3"))
    citations, _ = render(tmp_path, AUTHOR_THEN_TITLE, items)
    assert citations == ["Smith, Backs", "Smith, Works, ed. 2", "Smith, Works, ed. 3"]


def test_disambiguate_in_the_bibliography_reflects_the_cites(tmp_path: Path) -> None:
    items = works(("Backs", "1"), ("Necks", "1")) + [
        item(id="other", title="Knees", author=names("Bob Jones"))]
    _, entries = render(tmp_path, AUTHOR_THEN_TITLE, items)
    assert sorted(entries) == ["Jones", "Smith, Backs", "Smith, Necks"]


AUTHOR_DATE = """<citation disambiguate-add-year-suffix="true"{names}><layout delimiter="; ">
  <group delimiter=" "><names variable="author"><name form="short"/></names>
  <date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date>{explicit}</group>
</layout></citation>
<bibliography><sort><key variable="title"/></sort><layout>
  <text variable="title"/></layout></bibliography>"""


def dated(key: str, title: str, person: str = "Ann Smith", year: int = 2020) -> dict:
    return item(id=key, title=title, author=names(person), issued={"date-parts": [[year]]})


def test_year_suffixes_follow_the_order_of_the_bibliography(tmp_path: Path) -> None:
    items = [dated("late", "Zebra"), dated("early", "Apple"), dated("other", "Knee", year=2021)]
    citations, _ = render(tmp_path, AUTHOR_DATE.format(names="", explicit=""), items)
    assert citations == ["Smith (2020b)", "Smith (2020a)", "Smith (2021)"]


def test_an_explicit_year_suffix_variable_takes_the_suffix(tmp_path: Path) -> None:
    body = AUTHOR_DATE.format(names="", explicit='<text variable="year-suffix" prefix="/"/>')
    citations, _ = render(tmp_path, body, [dated("a", "Apple"), dated("b", "Berry")])
    assert citations == ["Smith (2020) /a", "Smith (2020) /b"]


def test_no_year_suffix_where_the_names_would_tell_the_works_apart(tmp_path: Path) -> None:
    """add-givenname comes first in the specification, and is not done: the cites stay."""
    body = AUTHOR_DATE.format(names=' disambiguate-add-givenname="true"', explicit="")
    citations, _ = render(tmp_path, body, [dated("a", "Apple", "Ann Smith"),
                                           dated("b", "Berry", "Bob Smith")])
    assert citations == ["Smith (2020)", "Smith (2020)"]


def test_year_suffix_letters_go_on_after_z() -> None:
    from pipeline.citations.rules.disambiguation import suffix_letters
    assert [suffix_letters(n) for n in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]
