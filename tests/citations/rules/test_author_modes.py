"""pandoc's citation modes: "[-@key]" and "@key says" (``rules.author_modes``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import SMITH, cite_texts, citation_only, render_markdown


AUTHOR_DATE = citation_only(
    '<group delimiter=", "><names variable="author"><name form="short"/>'
    '<substitute><text variable="title"/></substitute></names>'
    '<date variable="issued"><date-part name="year"/></date></group>', )


def test_suppress_author_leaves_out_the_first_names(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, AUTHOR_DATE, "[-@smith]", [SMITH])
    assert cite_texts(doc) == ["2001"]


def test_suppress_author_does_not_substitute_the_title(tmp_path: Path) -> None:
    anonymous = {**SMITH, "author": []}
    doc = render_markdown(tmp_path, AUTHOR_DATE, "[-@smith]", [anonymous])
    assert cite_texts(doc) == ["2001"]


def test_author_in_text_puts_the_names_before_the_rest(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, AUTHOR_DATE.replace("<layout>", '<layout prefix="(" suffix=")">'),
                          "@smith says", [SMITH])
    assert cite_texts(doc) == ["Smith (2001)"]
