"""CSL-JSON text: its markup, quotation marks and apostrophes (``rules.values``)."""
from __future__ import annotations

from pathlib import Path

from pipeline.citations.rules.values import CLOSE_QUOTE, OPEN_QUOTE, escaped, mark_quotes

from rule_styles import cite, item


def test_markup_characters_in_data_are_text_and_rich_text_tags_are_kept() -> None:
    assert escaped("<https://x.org> & <i>Spine</i>") == \
        "&lt;https://x.org&gt; &amp; <i>Spine</i>"


def test_straight_quotes_in_data_become_quote_marks_and_apostrophes() -> None:
    marked = mark_quotes("Simons' \"new\" method, O'Brien's")
    assert marked == f"Simons\u2019 {OPEN_QUOTE}new{CLOSE_QUOTE} method, O\u2019Brien\u2019s"


def test_url_in_angle_brackets_survives_as_text(tmp_path: Path) -> None:
    layout = '<text variable="URL" prefix="Available at: &lt;" suffix="&gt;."/>'
    assert cite(tmp_path, layout, [item(URL="https://x.org/a?b=1&c=2")]) == \
        "Available at: <https://x.org/a?b=1&c=2>."


def test_typographic_quotes_in_data_nest_as_the_locales_quotes(tmp_path: Path) -> None:
    """A title quoting “something” inside a quoted title takes the inner quotes; an
    apostrophe (’) and an opening straight quote never closed ('09) stay apostrophes."""
    layout = '<text variable="title" quotes="true"/>'
    assert cite(tmp_path, layout, [item(title="My “Amazing” Title, O’Brien’s, ETFA '09")]) == \
        "“My ‘Amazing’ Title, O’Brien’s, ETFA ’09”"
    assert mark_quotes("‘a’ “b”", typographic=False) == "‘a’ “b”"


def test_the_short_small_caps_tag_in_data_is_small_caps() -> None:
    assert escaped("<sc>Guide</sc> & more") == \
        '<span style="font-variant:small-caps;">Guide</span> &amp; more'
