"""CSL 1.0.2, "Name": name lists and initials (``rules.names``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.names import initialize

from rule_styles import cite, cite_texts, citation_only, item, names, render, render_markdown


NAMES = '<names variable="author"><name {attrs}/></names>'


def test_name_et_al_use_first_with_delimiter_precedes_et_al_contextual(tmp_path: Path) -> None:
    """`et-al-min`/`et-al-use-first`: one name and a space before "et al.", two names and the delimiter."""
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low")
    one = cite(tmp_path, NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="1"'), [item(author=authors)])
    two = cite(tmp_path, NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="2"'), [item(author=authors)])
    assert (one, two) == ("Doe et al.", "Doe, Roe, et al.")


@pytest.mark.parametrize("precedes, two, three", [
    ("contextual", "Doe and Roe", "Doe, Roe, and Poe"),
    ("always", "Doe, and Roe", "Doe, Roe, and Poe"),
    ("never", "Doe and Roe", "Doe, Roe and Poe"),
])
def test_name_delimiter_precedes_last(tmp_path: Path, precedes: str, two: str, three: str) -> None:
    layout = NAMES.format(attrs=f'form="short" and="text" delimiter-precedes-last="{precedes}"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe"))]) == two
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == three


def test_name_delimiter_precedes_last_after_inverted_name(tmp_path: Path) -> None:
    """Spec example: with name-as-sort-order="first", "Doe, J., and T. Williams"."""
    layout = NAMES.format(attrs='and="text" delimiter-precedes-last="after-inverted-name" '
                                'name-as-sort-order="first" initialize-with=". "')
    assert cite(tmp_path, layout, [item(author=names("John Doe", "Tom Williams"))]) == "Doe, J., and T. Williams"
    assert cite(tmp_path, layout, [item(author=names("John Doe", "Sam Smith", "Tom Williams"))]) == \
        "Doe, J., S. Smith and T. Williams"


def test_name_affixes_surround_each_name(tmp_path: Path) -> None:
    """cs:name "describe[s] the formatting of individual names": its affixes go around each name,
    the delimiter, "and" and "et al." between and after them (names.render_name_list)."""
    layout = NAMES.format(attrs='form="short" and="text" prefix="[" suffix="]" et-al-min="4" et-al-use-first="3"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "[Doe], [Roe], and [Poe]"
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low")
    assert cite(tmp_path, layout, [item(author=authors)]) == "[Doe], [Roe], [Poe], et al."
    spaced = NAMES.format(attrs='form="short" suffix=" "')  # the space goes before the delimiter's comma
    assert cite(tmp_path, spaced + '<text variable="title"/>', [item(title="T", author=names("Ann Doe", "Bob Roe"))]) == \
        "Doe, Roe T"


def test_name_without_and_the_delimiter_separates_the_last_name(tmp_path: Path) -> None:
    """"if ``and`` is not set, the name delimiter is always used"."""
    layout = NAMES.format(attrs='form="short" delimiter-precedes-last="never"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe"))]) == "Doe, Roe"


def test_name_et_al_use_last_adds_ellipsis_and_the_last_name(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='form="short" et-al-min="5" et-al-use-first="2" et-al-use-last="true"')
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low", "Ed Fox")
    assert cite(tmp_path, layout, [item(author=authors)]) == "Doe, Roe, … Fox"


def test_name_et_al_use_last_needs_two_more_names_than_are_shown(tmp_path: Path) -> None:
    """"only possible when the original name list has at least two more names than the truncated
    name list": with one more, the list ends in "et al." (names.render_name_list)."""
    layout = NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="2" et-al-use-last="true"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "Doe, Roe, et al."


def test_name_as_sort_order_all_with_sort_separator(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='name-as-sort-order="all" sort-separator=" " initialize-with=""')
    assert cite(tmp_path, layout, [item(author=names("Andrea D. Furlan", "Marta Giraldo"))]) == \
        "Furlan AD, Giraldo M"


def test_name_initialize_false_keeps_given_names_but_adds_the_mark_to_initials(tmp_path: Path) -> None:
    """Spec example: "James T Kirk" becomes "James T. Kirk"."""
    layout = NAMES.format(attrs='initialize="false" initialize-with=". "')
    assert cite(tmp_path, layout, [item(author=names("James T Kirk"))]) == "James T. Kirk"
    assert cite(tmp_path, layout, [item(author=names("Daniel C. Cherkin"))]) == "Daniel C. Cherkin"


def test_initialize_is_inherited_from_the_bibliography_calling_the_macro(tmp_path: Path) -> None:
    """Inheritable name options set on cs:bibliography apply to a cs:name in a macro it calls
    (names.name_option)."""
    body = ('<macro name="editors"><names variable="editor"><name initialize-with="."/></names></macro>'
            + citation_only('<text variable="title"/>')
            + '<bibliography initialize="false"><layout><text macro="editors"/></layout></bibliography>')
    assert render(tmp_path, body, [item(title="T", editor=names("J. Larry Jameson"))])[1] == ["J.Larry Jameson"]


@pytest.mark.parametrize("hyphen, expected", [("true", "J.-L. Picard"), ("false", "J. L. Picard")])
def test_initialize_with_hyphen(tmp_path: Path, hyphen: str, expected: str) -> None:
    layout = NAMES.format(attrs='initialize-with=". "')
    rendered = render(tmp_path, citation_only(layout), [item(author=names("Jean-Luc Picard"))],
                      attrs=f' initialize-with-hyphen="{hyphen}"')
    assert rendered[0] == [expected]


def test_name_form_short_keeps_the_non_dropping_particle(tmp_path: Path) -> None:
    gogh = [{"given": "Vincent", "non-dropping-particle": "van", "family": "Gogh"}]
    assert cite(tmp_path, NAMES.format(attrs='form="short"'), [item(author=gogh)]) == "van Gogh"


@pytest.mark.parametrize("demote, expected", [
    ("display-and-sort", "Gogh, Vincent van"), ("never", "van Gogh, Vincent")])
def test_name_part_order_demote_non_dropping_particle(tmp_path: Path, demote: str, expected: str) -> None:
    gogh = [{"given": "Vincent", "non-dropping-particle": "van", "family": "Gogh"}]
    rendered = render(tmp_path, citation_only(NAMES.format(attrs='name-as-sort-order="all"')),
                      [item(author=gogh)], attrs=f' demote-non-dropping-particle="{demote}"')
    assert rendered[0] == [expected]


def test_name_form_count_counts_the_names_that_would_be_printed(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='form="count" et-al-min="4" et-al-use-first="2"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "3"
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low"))]) == "2"


def test_name_part_formatting_applies_to_the_family_name(tmp_path: Path) -> None:
    layout = ('<names variable="author"><name><name-part name="family" text-case="uppercase"/>'
              '</name></names>')
    assert cite(tmp_path, layout, [item(author=names("Jane Doe"))]) == "Jane DOE"


def test_a_literal_name_is_printed_as_given(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='name-as-sort-order="all" initialize-with="."')
    assert cite(tmp_path, layout, [item(author=[{"literal": "World Health Organization"}])]) == \
        "World Health Organization"


def test_name_et_al_subsequent_min_applies_to_later_cites(tmp_path: Path) -> None:
    layout = ('<names variable="author"><name form="short" et-al-min="5" et-al-use-first="1" '
              'et-al-subsequent-min="3" et-al-subsequent-use-first="1"/></names>')
    doc = render_markdown(tmp_path, citation_only(layout), "[@item] and [@item]",
                          [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))])
    assert cite_texts(doc) == ["Doe, Roe, Poe", "Doe et al."]


@pytest.mark.parametrize("given, mark, expected", [
    ("John Edward", ". ", "J. E."), ("J.E.", ".", "J.E."), ("Jean-Luc", ". ", "J.-L."),
    ("Jean-luc", ". ", "J."), ("Charles de", ". ", "C. de"), ("THomas", ".", "Th.")])
def test_initialize_with_splits_given_names_as_pandoc_does(given: str, mark: str, expected: str) -> None:
    assert initialize(given, mark) == expected


def test_name_count_adds_up_the_names_of_every_variable(tmp_path: Path) -> None:
    """form="count" in a cs:names of two variables: one number, the total (``format_name_list``)."""
    layout = '<names variable="author editor"><name form="count"/></names>'
    work = item(author=names("Ann Doe", "Bob Roe", "Cy Poe"), editor=names("Di Low", "Ed Lee"))
    assert cite(tmp_path, layout, [work]) == "5"


def test_name_in_a_script_without_spaces_reads_family_then_given(tmp_path: Path) -> None:
    """CSL 1.0.2, "Name-part Order": "我妻栄", not "栄 我妻" (``romanesque``)."""
    work = item(author=[{"family": "我妻", "given": "栄"}])
    assert cite(tmp_path, NAMES.format(attrs=""), [work]) == "我妻栄"
    assert cite(tmp_path, NAMES.format(attrs='name-as-sort-order="all"'), [work]) == "我妻栄"


def test_name_comma_suffix(tmp_path: Path) -> None:
    """CSL-JSON's "comma-suffix": the suffix after a comma in display order."""
    work = item(author=[{"family": "Doe", "given": "Jeffrey", "suffix": "Jr.", "comma-suffix": True}])
    assert cite(tmp_path, NAMES.format(attrs=""), [work]) == "Jeffrey Doe, Jr."


def test_name_part_affix_ending_in_a_space_takes_no_second_space(tmp_path: Path) -> None:
    layout = '<names variable="author"><name><name-part name="given" suffix="\u00a0"/></name></names>'
    # (the plain text reads the no-break space as a space: one space, not two)
    assert cite(tmp_path, layout, [item(author=names("John Doe"))]).replace("\u00a0", " ") == "John Doe"


def test_after_inverted_name_is_not_after_an_organisation(tmp_path: Path) -> None:
    """"after-inverted-name": a literal name is never inverted, so no delimiter after it."""
    layout = NAMES.format(attrs='name-as-sort-order="all" and="symbol" delimiter=", " '
                                'delimiter-precedes-last="after-inverted-name"')
    work = item(author=[{"literal": "Productivity Commission"}, {"literal": "Treasury"}])
    assert cite(tmp_path, layout, [work]) == "Productivity Commission & Treasury"


def test_et_al_min_without_et_al_use_first_truncates_nothing(tmp_path: Path) -> None:
    """et-al-use-first on cs:citation is not inherited by the bibliography's cs:name, and
    et-al-min alone says nothing about where to cut (``use_first_set``)."""
    body = """<citation et-al-use-first="1"><layout><text variable="title"/></layout></citation>
<bibliography><layout><names variable="author"><name et-al-min="3" delimiter=", "/></names></layout></bibliography>"""
    _, entries = render(tmp_path, body, [item(title="T", author=names("Ann Doe", "Bob Roe", "Cy Poe"))])
    assert entries == ["Ann Doe, Bob Roe, Cy Poe"]


@pytest.mark.parametrize("variable", ["container-author", "reviewed-author", "director"])
def test_name_variables_of_csl_1_0_2_are_names(tmp_path: Path, variable: str) -> None:
    """A name variable of two words, or one citeproc-py 0.11 does not know, prints its names."""
    layout = f'<names variable="{variable}"><name form="short"/></names>'
    assert cite(tmp_path, layout, [item(**{variable: names("Ann Doe", "Bob Roe")})]) == "Doe, Roe"


@pytest.mark.parametrize("given, initials", [("<b>John</b> Quiggly", "<b>J.</b> Q."),
                                             ("<b>John</b>-Quiggly", "<b>J.</b>-Q."),
                                             ("<b>J</b> Q", "<b>J.</b> Q.")])
def test_initials_keep_the_markup_of_their_word(given: str, initials: str) -> None:
    """``initialize_marked_up``: the tags are not letters; the mark goes inside, the space after."""
    assert initialize(given, ". ") == initials


def test_an_et_al_term_of_white_space_only_prints_nothing(tmp_path: Path) -> None:
    """A locale's term written across lines with no text (``et_al_text``): no "et al.", no gap."""
    body = """<locale xml:lang="en"><terms><term name="and others">
      </term></terms></locale>
<citation><layout><names variable="author" suffix=". "><name et-al-min="2" et-al-use-first="1"/>
  <et-al term="and others"/></names><text variable="title"/></layout></citation>"""
    citations, _ = render(tmp_path, body, [item(title="Title", author=names("Ann Doe", "Bob Roe"))])
    assert citations == ["Ann Doe. Title"]


@pytest.mark.parametrize(("terms", "cited"), [
    ('<term name="and">ו&#8200;</term>', "Ann Doeו Bob Roe"),
    ('<term name="and">和</term>', "Ann Doe和Bob Roe"),
    ('<term name="and">and</term>', "Ann Doe and Bob Roe"),
    ('<term name="and">și</term>', "Ann Doe și Bob Roe"),
])
def test_the_and_term_is_spaced_only_on_a_side_that_needs_a_space(tmp_path: Path, terms: str, cited: str) -> None:
    """"Name-part Order": names in scripts written without spaces; Hebrew's "and" is the letter vav
    joined to the next name; a term ending in a space of its own takes none more (``spaced_edge``;
    pandoc reads the punctuation space as a space)."""
    body = f"""<locale xml:lang="en"><terms>{terms}</terms></locale>
<citation><layout><names variable="author"><name and="text"/></names></layout></citation>"""
    citations, _ = render(tmp_path, body, [item(author=names("Ann Doe", "Bob Roe"))])
    assert citations == [cited]


def test_an_et_al_term_in_a_script_without_spaces_keeps_its_space(tmp_path: Path) -> None:
    """The "et-al" term "等" after a name: a space before it, as pandoc's citeproc prints it."""
    body = """<locale xml:lang="en"><terms><term name="et-al">等</term></terms></locale>
<citation><layout><names variable="author"><name et-al-min="2" et-al-use-first="1"/><et-al/></names>
  <text variable="title" prefix="; "/></layout></citation>"""
    citations, _ = render(tmp_path, body, [item(title="T", author=names("Ann Doe", "Bob Roe"))])
    assert citations == ["Ann Doe 等; T"]
