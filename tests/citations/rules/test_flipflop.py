"""Italics within italics set in roman (``rules.flipflop``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.engine import html_to_inlines
from pipeline.citations.rules.flipflop import flip_nested_formatting

from rule_styles import item, render_markdown


@pytest.mark.parametrize("html, flipped", [
    ("<i>Life of <i>Homo sapiens</i></i>",
     '<i>Life of <span style="font-style:normal;">Homo sapiens</span></i>'),
    ("<i>One <i>Two <i>Three</i></i></i>",
     '<i>One <span style="font-style:normal;">Two <i>Three</i></span></i>'),
    ("<b>A <b>B</b></b> <i>C</i>", '<b>A <span style="font-weight:normal;">B</span></b> <i>C</i>'),
    ("<i>A</i> <i>B</i>", "<i>A</i> <i>B</i>"),
    ("Two</i> Three", "Two&lt;/i&gt; Three"),
])
def test_formatting_within_the_same_formatting_flips_to_normal(html: str, flipped: str) -> None:
    assert flip_nested_formatting(html) == flipped


def test_an_italic_name_in_an_italic_title_reads_in_roman_in_the_leaflet(tmp_path: Path) -> None:
    body = '<citation><layout><text variable="title" font-style="italic"/></layout></citation>'
    doc = render_markdown(tmp_path, body, "[@item]", [item(title="Life of <i>Homo sapiens</i>")])
    cite = next(node for node in doc["blocks"][0]["c"] if node["t"] == "Cite")
    emph = cite["c"][1][0]["c"][1][0]  # the link's content: the italic title
    assert emph["t"] == "Emph"
    assert emph["c"][-1] == {"t": "Span", "c": [["", ["csl-no-emph"], []],
                                                 [{"t": "Str", "c": "Homo"}, {"t": "Space"},
                                                  {"t": "Str", "c": "sapiens"}]]}
    assert html_to_inlines('<span style="font-weight: normal;">x</span>')[0]["c"][0][1] == ["csl-no-strong"]


def test_a_style_s_font_style_normal_undoes_italics_only_where_they_are_on(tmp_path: Path) -> None:
    """CSL 1.0.2, "Formatting": font-style="normal" inside an italic group reads in roman; with
    no italics around it there is nothing to undo (``font_style_normal_written``)."""
    body = ('<citation><layout><group delimiter="; "><text variable="title" font-style="normal"/>'
            '<group font-style="italic"><text variable="title" font-style="normal"/>'
            '<text variable="title" prefix=" "/></group></group></layout></citation>')
    doc = render_markdown(tmp_path, body, "[@item]", [item(title="T")])
    cite = next(node for node in doc["blocks"][0]["c"] if node["t"] == "Cite")
    link = cite["c"][1][0]["c"][1]  # the link's content
    assert link == [{"t": "Str", "c": "T;"}, {"t": "Space"},
                    {"t": "Emph", "c": [{"t": "Span", "c": [["", ["csl-no-emph"], []], [{"t": "Str", "c": "T"}]]},
                                        {"t": "Space"}, {"t": "Str", "c": "T"}]}]
