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


def test_given_names_come_before_year_suffixes(tmp_path: Path) -> None:
    """Step 2 (add-givenname) tells the works apart, so step 3 adds no suffix."""
    body = AUTHOR_DATE.format(names=' disambiguate-add-givenname="true"', explicit="")
    citations, _ = render(tmp_path, body, [dated("a", "Apple", "Ann Smith"),
                                           dated("b", "Berry", "Bob Smith")])
    assert citations == ["Ann Smith (2020)", "Bob Smith (2020)"]


# --- Steps 1 and 2: add names, add given names --------------------------------------------------

ET_AL = """<citation et-al-min="3" et-al-use-first="1"{options}><layout delimiter="; ">
  <group delimiter=" "><names variable="author">
    <name form="short" initialize-with=". " and="symbol" delimiter=", "/></names>
  <date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date></group>
</layout></citation>"""


def test_add_names_shows_names_until_the_cites_differ(tmp_path: Path) -> None:
    """add_names: "Smith et al." twice becomes the first two names; a third item that reads
    unlike them keeps its "et al."."""
    items = [item(id="a", author=names("Ann Smith", "Bob Brown", "Cy Jones"), issued={"date-parts": [[1980]]}),
             item(id="b", author=names("Ann Smith", "Dan Benson", "Cy Jones"), issued={"date-parts": [[1980]]}),
             item(id="c", author=names("Eve Roe", "Bob Brown", "Cy Jones"), issued={"date-parts": [[1980]]})]
    citations, _ = render(tmp_path, ET_AL.format(options=' disambiguate-add-names="true"'), items)
    assert citations == ["Smith, Brown, et al. (1980)", "Smith, Benson, et al. (1980)", "Roe et al. (1980)"]


def test_add_names_that_cannot_tell_the_works_apart_add_none(tmp_path: Path) -> None:
    same = names("Ann Smith", "Bob Brown", "Cy Jones")
    items = [item(id="a", author=same, issued={"date-parts": [[1980]]}),
             item(id="b", author=same, issued={"date-parts": [[1980]]})]
    citations, _ = render(tmp_path, ET_AL.format(options=' disambiguate-add-names="true"'), items)
    assert citations == ["Smith et al. (1980)", "Smith et al. (1980)"]


def test_by_cite_expands_given_names_of_ambiguous_cites_only(tmp_path: Path) -> None:
    """by_cite_name_hints: initials where they differ, the full given name where they do not;
    the other Roe, in a cite of its own, stays short."""
    items = [item(id="a", author=names("John Doe"), issued={"date-parts": [[1980]]}),
             item(id="b", author=names("Jack Doe"), issued={"date-parts": [[1980]]}),
             item(id="c", author=names("Ann Roe"), issued={"date-parts": [[1980]]}),
             item(id="d", author=names("Bob Roe"), issued={"date-parts": [[1981]]}),
             item(id="e", author=names("Ann Lee"), issued={"date-parts": [[1980]]}),
             item(id="f", author=names("Bob Lee"), issued={"date-parts": [[1980]]})]
    citations, _ = render(tmp_path, ET_AL.format(options=' disambiguate-add-givenname="true"'), items)
    assert citations == ["John Doe (1980)", "Jack Doe (1980)", "Roe (1980)", "Roe (1981)",
                         "A. Lee (1980)", "B. Lee (1980)"]


def test_all_names_expands_every_name_that_shares_a_family_name(tmp_path: Path) -> None:
    """global_name_hints: the two Roes differ in their years, but all-names expands them."""
    items = [item(id="c", author=names("Ann Roe"), issued={"date-parts": [[1980]]}),
             item(id="d", author=names("Bob Roe"), issued={"date-parts": [[1981]]})]
    options = ' disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"'
    citations, _ = render(tmp_path, ET_AL.format(options=options), items)
    assert citations == ["A. Roe (1980)", "B. Roe (1981)"]


def test_with_initials_rules_stop_at_initials(tmp_path: Path) -> None:
    items = [item(id="a", author=names("John Doe"), issued={"date-parts": [[1980]]}),
             item(id="b", author=names("Jack Doe"), issued={"date-parts": [[1981]]})]
    options = ' disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names-with-initials"'
    citations, _ = render(tmp_path, ET_AL.format(options=options), items)
    assert citations == ["Doe (1980)", "Doe (1981)"]


def test_primary_name_expands_the_first_name_only(tmp_path: Path) -> None:
    items = [item(id="a", author=names("Ann Asthma", "Bob Cold"), issued={"date-parts": [[1980]]}),
             item(id="b", author=names("Art Asthma", "Ben Cold"), issued={"date-parts": [[1995]]})]
    options = ' disambiguate-add-givenname="true" givenname-disambiguation-rule="primary-name"'
    citations, _ = render(tmp_path, ET_AL.format(options=options), items)
    assert citations == ["Ann Asthma & Cold (1980)", "Art Asthma & Cold (1995)"]


def test_initials_spaced_differently_are_one_name(tmp_path: Path) -> None:
    """name_identity: "J. J. Doe" and "J.J. Doe" are the same person, not to be told apart."""
    items = [item(id="a", author=[{"family": "Doe", "given": "J. J."}], issued={"date-parts": [[1980]]}),
             item(id="b", author=[{"family": "Doe", "given": "J.J."}], issued={"date-parts": [[1981]]})]
    options = ' disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"'
    citations, _ = render(tmp_path, ET_AL.format(options=options), items)
    assert citations == ["Doe (1980)", "Doe (1981)"]


def test_names_are_expanded_in_cites_not_in_the_bibliography(tmp_path: Path) -> None:
    body = ET_AL.format(options=' disambiguate-add-givenname="true"') + """
<bibliography><layout><names variable="author"><name form="short"/></names></layout></bibliography>"""
    items = [item(id="a", author=names("John Doe"), issued={"date-parts": [[1980]]}),
             item(id="b", author=names("Jack Doe"), issued={"date-parts": [[1980]]})]
    citations, entries = render(tmp_path, body, items)
    assert citations == ["John Doe (1980)", "Jack Doe (1980)"]
    assert entries == ["Doe", "Doe"]


def test_year_suffix_letters_go_on_after_z() -> None:
    from pipeline.citations.rules.disambiguation import suffix_letters
    assert [suffix_letters(n) for n in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def test_add_names_splits_a_set_in_two_and_year_suffixes_finish(tmp_path: Path) -> None:
    """add_names: three names tell the three-author works from the four-author ones (which
    end in "et al."); year-suffixes then tell each pair apart, one series a pair."""
    three, four = names("Ann Smith", "Bob Jones", "Cy Brown"), names("Ann Smith", "Bob Jones", "Cy Brown",
                                                                      "Dan Green")
    items = [item(id=key, author=people, issued={"date-parts": [[1986]]})
             for key, people in (("a", three), ("b", three), ("c", four), ("d", four))]
    options = ' disambiguate-add-names="true" disambiguate-add-year-suffix="true"'
    citations, _ = render(tmp_path, ET_AL.format(options=options), items)
    assert citations == ["Smith, Jones, & Brown (1986a)", "Smith, Jones, & Brown (1986b)",
                         "Smith, Jones, Brown, et al. (1986a)", "Smith, Jones, Brown, et al. (1986b)"]


def test_an_implicit_year_suffix_is_printed_once_a_cite(tmp_path: Path) -> None:
    """date_with_implicit_year_suffix: after the first date that prints the year only."""
    body = """<citation disambiguate-add-year-suffix="true"><layout delimiter="; "><group delimiter=" ">
  <names variable="author"><name form="short"/></names>
  <date variable="issued"><date-part name="year"/></date>
  <date variable="issued" prefix="[" suffix="]"><date-part name="year"/></date></group>
</layout></citation>"""
    citations, _ = render(tmp_path, body, [dated("a", "Apple"), dated("b", "Berry")])
    assert citations == ["Smith 2020a [2020]", "Smith 2020b [2020]"]


LABELS = """<citation disambiguate-add-year-suffix="true"><layout delimiter="; ">
  <text variable="citation-label"/></layout></citation>"""


def test_citation_label_is_made_from_names_and_year_where_the_item_has_none(tmp_path: Path) -> None:
    """``citation_label``: four letters of one author, two of two or three, one of four or more."""
    items = [dated("one", "A", "Ann Asthma", 1900),
             item(id="two", author=names("Bob Bronchitis", "Cy Cholera"), issued={"date-parts": [[1998]]}),
             item(id="many", author=names("Di Dip", "Ed Eczema", "Flo Fever", "Gus Goiter", "Hal Hiccup"),
                  issued={"date-parts": [[1926]]}),
             item(id="given", author=names("Ann Asthma"), issued={"date-parts": [[1900]]},
                  **{"citation-label": "Spiff"})]
    citations, _ = render(tmp_path, LABELS, items)
    assert citations == ["Asth00", "BrCh98", "DEFG26", "Spiff"]


def test_citation_labels_that_read_alike_take_year_suffixes(tmp_path: Path) -> None:
    """label_with_implicit_year_suffix: "Aalt02a", "Aalt02b"."""
    items = [dated("a", "Apple", "Alan Aalto", 2002), dated("b", "Berry", "Alan Aalto", 2002)]
    citations, _ = render(tmp_path, LABELS, items)
    assert citations == ["Aalt02a", "Aalt02b"]


def test_cites_that_read_alike_once_cited_before_are_told_apart_too(tmp_path: Path) -> None:
    """alike_cites: "Baur, Fröberg, Baur, et al. 2000" and "Baur, Schileyko & Baur 2000" both
    read "Baur et al. 2000" when cited again (et-al-subsequent-min), so they take suffixes."""
    body = """<citation disambiguate-add-year-suffix="true" et-al-min="3" et-al-use-first="3"
  et-al-subsequent-min="1" et-al-subsequent-use-first="1"><layout delimiter="; ">
  <names variable="author"><name form="short" and="symbol" delimiter=", " delimiter-precedes-last="never"/></names>
  <date variable="issued" prefix=" "><date-part name="year"/></date></layout></citation>"""
    items = [item(id="a", author=names("Ann Baur", "Bob Fröberg", "Cy Baur", "Di Low"), issued={"date-parts": [[2000]]}),
             item(id="b", author=names("Ann Baur", "Ed Schileyko", "Cy Baur"), issued={"date-parts": [[2000]]})]
    citations, _ = render(tmp_path, body, items)
    assert citations == ["Baur, Fröberg, Baur, et al. 2000a", "Baur, Schileyko & Baur 2000b"]


def test_a_made_citation_label_is_a_sort_key_too(tmp_path: Path) -> None:
    body = LABELS + """<bibliography><sort><key variable="citation-label"/></sort><layout>
  <text variable="citation-label"/></layout></bibliography>"""
    items = [dated("roe", "A", "Jo Roe", 1978), dated("doe", "B", "Jo Doe", 1965),
             item(id="von", author=[{"family": "von Dipheria", "given": "Doug"}], issued={"date-parts": [[1926]]})]
    _, entries = render(tmp_path, body, items)
    assert entries == ["Diph26", "Doe65", "Roe78"]
