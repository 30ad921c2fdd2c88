"""CSL 1.0.2, "Whitespace": `second-field-align` (``rules.layout``)."""
from __future__ import annotations

from pathlib import Path

from pipeline.citations.engine import render_citations
from pipeline.citations.sample import sample_document
from pipeline.pandoc.ast import elements, stringify

from rule_styles import item, write_style


def test_second_field_align_sets_the_first_field_apart(tmp_path: Path) -> None:
    body = ('<citation><layout><text variable="citation-number"/></layout></citation>'
            '<bibliography second-field-align="flush"><layout>'
            '<text variable="citation-number" suffix=". "/><text variable="title"/></layout></bibliography>')
    style = write_style(tmp_path, body)
    doc = render_citations(sample_document([item(title="T")]), [item(title="T")], style, lang="en-US")
    entry = next(div for div in elements(doc["blocks"], "Div") if "csl-entry" in div["c"][0][1])
    spans = [(span["c"][0][1], stringify(span["c"][1])) for span in elements(entry, "Span")]
    assert spans == [(["csl-left-margin"], "1. "), (["csl-right-inline"], "T")]
