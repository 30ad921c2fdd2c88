"""CSL 1.0.2, "Group", "Label" and "Substitute" (``rules.groups``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rule_styles import cite, citation_only, item, names, render


GROUP = ('<group delimiter=" " prefix="(" suffix=")"><text term="retrieved"/><text term="from"/>'
         '<text variable="URL"/></group>')


def test_group_is_suppressed_when_every_variable_it_calls_is_empty(tmp_path: Path) -> None:
    layout = '<group delimiter=" "><text variable="title"/>' + GROUP + '</group>'
    assert cite(tmp_path, layout, [item(title="Back pain")]) == "Back pain"
    assert cite(tmp_path, layout, [item(title="Back pain", URL="https://x.org")]) == \
        "Back pain (retrieved from https://x.org)"


def test_group_with_only_terms_is_printed(tmp_path: Path) -> None:
    """Condition a) of the rule: no variable is called, so the group is not suppressed."""
    assert cite(tmp_path, '<group delimiter=" "><text term="in"/><text term="and"/></group>', [item()]) == "in and"


def test_group_suppression_counts_variables_called_through_a_macro(tmp_path: Path) -> None:
    body = ('<macro name="place"><text variable="publisher-place"/></macro>'
            + citation_only('<group delimiter=": "><text term="in"/><text macro="place"/></group>'
                            '<text variable="title" prefix="[" suffix="]"/>'))
    assert render(tmp_path, body, [item(title="T")])[0] == ["[T]"]


def test_group_suppression_ignores_the_branch_that_was_not_chosen(tmp_path: Path) -> None:
    """A group whose chosen branch prints only a term, its variable empty, is suppressed."""
    layout = ('<group prefix="(" suffix=")" delimiter=" "><choose><if variable="genre">'
              '<text variable="genre"/></if><else><text variable="medium"/><text term="edition"/>'
              '</else></choose></group><text variable="title"/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


def test_choose_inside_a_group_takes_the_group_delimiter(tmp_path: Path) -> None:
    layout = ('<group delimiter=", "><text variable="title"/><choose><if type="book">'
              '<text variable="publisher"/><text variable="publisher-place"/></if></choose></group>')
    assert cite(tmp_path, layout, [item(title="T", publisher="P", **{"publisher-place": "L"})]) == "T, P, L"


def test_a_non_empty_nested_group_counts_as_a_non_empty_variable(tmp_path: Path) -> None:
    """"a non-empty nested cs:group is treated as a non-empty variable for the purposes of
    determining suppression of the outer cs:group" (groups.render_group)."""
    layout = ('<group delimiter=", "><group delimiter=" "><text term="in"/><text term="and"/></group>'
              '<text variable="container-title"/></group><text variable="title" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "in and T"


def test_substituted_variables_are_suppressed_in_the_rest_of_the_output(tmp_path: Path) -> None:
    """"Substituted variables are suppressed in the rest of the output ... considered empty for the
    purposes of determining whether to suppress an enclosing cs:group" (groups.render_substitute)."""
    layout = ('<group delimiter=". "><names variable="composer"><name form="short"/><substitute>'
              '<names variable="author"/></substitute></names>'
              '<group delimiter=" "><text value="by"/><names variable="author"><name form="short"/></names></group>'
              '<text variable="title"/></group>')
    assert cite(tmp_path, layout, [item(title="T", author=names("Ann Doe"))]) == "Doe. T"


def test_a_name_variable_is_substituted_once_within_the_substitute_itself(tmp_path: Path) -> None:
    """"Substituted variables are suppressed in the rest of the output": a substitute macro that
    prints the editors with a short label, then again with a long one, prints them once
    (groups.rendered_in_substitute)."""
    body = ('<macro name="editor"><names variable="editor"><name/><label form="short" prefix=" "/></names>'
            '<names variable="editor"><name/><label prefix=" "/></names></macro>'
            + citation_only('<names variable="translator"><name/><substitute><text macro="editor"/>'
                            '</substitute></names><text variable="title" prefix=". "/>'))
    assert render(tmp_path, body, [item(title="T", editor=names("Ann Doe"))])[0] == ["Ann Doe ed. T"]


def test_shorthand_names_in_a_substitute_choose_inherit_name_and_label(tmp_path: Path) -> None:
    """The shorthand cs:names "inherits the attributes values set on the cs:name ... of the original
    cs:names element", also inside a cs:choose of the cs:substitute (groups.substituted_for)."""
    layout = ('<names variable="container-author"><name form="short" and="text"/><label form="short" prefix=", "/>'
              '<substitute><choose><if type="chapter"><names variable="editor"/></if></choose></substitute></names>')
    chapter = item(type="chapter", editor=names("Ann Doe", "Bob Roe"))
    assert cite(tmp_path, layout, [chapter]) == "Doe and Roe, eds."


def test_label_is_only_rendered_if_the_variable_is_non_empty(tmp_path: Path) -> None:
    layout = ('<text variable="title"/><label variable="page" form="short" prefix=" "/>'
              '<text variable="page" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


@pytest.mark.parametrize("page, expected", [("5", "p. 5"), ("1-9", "pp. 1–9"), ("2, 4", "pp. 2, 4")])
def test_label_plural_contextual_follows_the_number_of_numbers(tmp_path: Path, page: str, expected: str) -> None:
    layout = '<group delimiter=" "><label variable="page" form="short"/><text variable="page"/></group>'
    assert cite(tmp_path, layout, [item(page=page)]) == expected
