"""Where citations go in the text: footnotes and superscripts (``pipeline.citations.notes``)."""
from __future__ import annotations

from pathlib import Path

from pipeline.citations.notes import remove_final_period
from pipeline.pandoc.ast import elements, stringify

from rule_styles import SMITH, citation_only, render_markdown


NOTE_STYLE = citation_only('<group delimiter=", "><text variable="title" text-case="lowercase"/>'
                           '<text variable="page"/></group>', ) \
    .replace("<layout>", '<layout suffix=".">')


def note_texts(doc: dict) -> list[str]:
    return [stringify(note["c"]) for note in elements(doc["blocks"], "Note")]


def test_note_style_citation_becomes_a_footnote_with_its_first_letter_capitalized(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Massage helps [@smith].", [SMITH], cls="note")
    para = doc["blocks"][0]["c"]
    assert stringify(para[:-1]) == "Massage helps."
    assert note_texts(doc) == ["A study of backs, 733–741."]


def test_note_style_citation_inside_a_footnote_stays_in_it_in_parentheses(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Text.^[As shown [@smith], it helps.]", [SMITH], cls="note")
    assert note_texts(doc) == ["As shown (a study of backs, 733–741), it helps."]


def test_note_style_citation_opening_a_footnote_is_printed_as_is(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Text.^[[@smith]]", [SMITH], cls="note")
    assert note_texts(doc) == ["a study of backs, 733–741."]


def test_superscript_citation_follows_the_word_without_a_space(tmp_path: Path) -> None:
    body = citation_only('<text variable="citation-number" vertical-align="sup"/>')
    doc = render_markdown(tmp_path, body, "Massage helps [@smith].", [SMITH])
    para = doc["blocks"][0]["c"]
    assert [node["t"] for node in para] == ["Str", "Space", "Str", "Cite", "Str"]
    assert stringify(para) == "Massage helps1."


def test_remove_final_period_looks_inside_markup_and_before_a_closing_quote() -> None:
    inlines = [{"t": "Emph", "c": [{"t": "Str", "c": "“Title.”"}]}]
    assert stringify(remove_final_period(inlines)) == "“Title”"
