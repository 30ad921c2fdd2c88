"""A term that opens a sentence in a footnote is capitalized (``rules.capitals``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pandoc.ast import elements, stringify

from rule_styles import citation_only, item, render_markdown

IBID = citation_only('<choose><if position="first"><text variable="title"/></if>'
                     '<else><text term="ibid"/></else></choose>')


@pytest.mark.parametrize("second, note", [
    ("[He said it twice. @a]", "He said it twice. Ibid."),
    ("[He said “Please work.” @a]", "He said “Please work.” Ibid."),
    ("[cf. @a]", "Cf. ibid."),  # one word: an abbreviation; the footnote's first letter is capitalized
    ("[see @a]", "See ibid."),
])
def test_a_term_after_a_prefix_ending_a_sentence_is_capitalized(tmp_path: Path, second: str,
                                                                 note: str) -> None:
    doc = render_markdown(tmp_path, IBID, f"One [@a]. Two {second}.", [item(id="a", title="Alpha")],
                          cls="note")
    assert [stringify(node["c"]) for node in elements(doc["blocks"], "Note")] == ["Alpha", note]


def test_a_term_opening_a_citation_in_an_authors_footnote_is_capitalized(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, IBID, "One [@a]. Two.^[[@a]]", [item(id="a", title="Alpha")],
                          cls="note")
    assert [stringify(node["c"]) for node in elements(doc["blocks"], "Note")] == ["Alpha", "Ibid."]


def test_an_in_text_style_keeps_the_term_as_written(tmp_path: Path) -> None:
    body = citation_only('<text term="and"/>')
    doc = render_markdown(tmp_path, body, "One [@a].", [item(id="a")])
    assert stringify(next(elements(doc["blocks"], "Cite"))["c"][1]) == "and"
