"""CSL 1.0.2, "Choose", the `position` test, and first-reference-note-number (``rules.positions``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pandoc.ast import elements, stringify

from rule_styles import citation_only, item, render_markdown

ITEMS = [item(id="a", title="Alpha"), item(id="b", title="Beta")]

POSITIONS = citation_only(
    '<choose><if position="first"><text variable="title"/></if>'
    '<else-if position="ibid-with-locator"><text value="ibid-loc"/></else-if>'
    '<else-if position="ibid"><text value="ibid"/></else-if>'
    '<else><text value="subsequent"/></else></choose>'
    '<text variable="locator" prefix=" "/>').replace("<layout>", '<layout delimiter="; ">')


def note_texts(doc: dict) -> list[str]:
    return [stringify(note["c"]) for note in elements(doc["blocks"], "Note")]


def test_position_ibid_follows_on_the_same_item_and_its_locator(tmp_path: Path) -> None:
    markdown = ("One [@a]. Two [@a]. Three [@a, p. 4]. Four [@a, p. 4]. Five [@a]. "
                "Six [@b]. Seven [@a].")
    doc = render_markdown(tmp_path, POSITIONS, markdown, ITEMS, cls="note")
    # Without a locator after one with a locator, "Ibid." would claim the same page.
    assert note_texts(doc) == ["Alpha", "Ibid", "Ibid-loc 4", "Ibid 4", "Subsequent", "Beta",
                               "Subsequent"]


def test_position_ibid_within_one_citation(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, POSITIONS, "Text [@a; @a; @b].", ITEMS, cls="note")
    assert note_texts(doc) == ["Alpha; ibid; Beta"]


def test_position_ibid_needs_the_whole_previous_note_to_cite_the_item(tmp_path: Path) -> None:
    """A footnote of the author's with two citations is one note: what follows it is not ibid
    of its last citation (``preceding_cites``)."""
    markdown = "Text.^[See [@a] and [@b].] Then [@b]."
    doc = render_markdown(tmp_path, POSITIONS, markdown, ITEMS, cls="note")
    assert note_texts(doc)[-1] == "Subsequent"


def test_position_near_note_has_a_default_distance(tmp_path: Path) -> None:
    """near-note-distance defaults to 5 (citeproc-py failed on a style that did not set it)."""
    body = citation_only('<choose><if position="near-note"><text value="near"/></if>'
                         '<else><text value="far"/></else></choose>')
    markdown = "A [@a]. " + "B [@b]. " * 5 + "C [@a]. D [@a]."
    doc = render_markdown(tmp_path, body, markdown, ITEMS, cls="note")
    # @a in note 7 is six notes after note 1; the repeated @b are each one note after the last.
    assert note_texts(doc) == ["Far", "Far", "Near", "Near", "Near", "Near", "Far", "Near"]


def test_first_reference_note_number_counts_the_authors_footnotes(tmp_path: Path) -> None:
    body = citation_only('<text variable="title"/><group prefix=", "><text value="n"/>'
                         '<text variable="first-reference-note-number" prefix=" "/></group>')
    markdown = "Text.^[An aside of the author.] A [@a]. B [@b]. C [@a]."
    doc = render_markdown(tmp_path, body, markdown, ITEMS, cls="note")
    assert note_texts(doc) == ["An aside of the author.", "Alpha", "Beta", "Alpha, n 2"]


def test_a_position_given_with_the_cite_item_is_taken_as_given() -> None:
    """A processor told the positions (citeproc-js's numbers: 1 subsequent, 2 ibid, 3
    ibid-with-locator) does not find them itself (``GIVEN_POSITIONS``); without, it does."""
    from citeproc import CitationItem

    from pipeline.citations.rules.positions import position
    with pytest.warns(UserWarning, match="unsupported: position"):  # citeproc-py keeps it all the same
        subsequent, ibid = CitationItem("a", position=1), CitationItem("a", position=3)
    assert position(subsequent, []) == {"subsequent"}
    assert position(ibid, []) == {"subsequent", "ibid", "ibid-with-locator"}
    assert position(CitationItem("a"), []) == {"first"}
