"""What the rule tests share: a small style per test, rendered by the real citeproc-py.

Each test writes a small style (a ``cs:citation`` and often a
``cs:bibliography`` layout that exercise one rule), renders a few CSL-JSON
items through the real citeproc-py with our rules installed (the build's
own ``render_citations``), and asserts the exact text. The tests are named
after the rule, one file per module of ``pipeline/citations/rules/``; the
function that implements a rule is named in the test's docstring where the
name alone does not tell. Where pandoc's citeproc takes part (note
placement, the fallback), it is the real pandoc.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.citations.engine import render_citations
from pipeline.citations.sample import plain_text, rendered_parts, sample_document
from pipeline.citations.csl_styles import ResolvedCslStyle
from pipeline.pandoc.ast import elements
from pipeline.pandoc.run import markdown_to_ast


STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0" default-locale="en-US"{attrs}>
  <info><title>Rule test</title><id>rule-test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {body}
</style>
"""


SMITH = {"id": "smith", "type": "article-journal", "title": "A study of backs",
         "author": [{"family": "Smith", "given": "John"}],
         "container-title": "Spine", "issued": {"date-parts": [[2001, 1, 5]]},
         "volume": "6", "page": "733-741"}


def names(*people: str) -> list[dict]:
    """'Given Family' strings as CSL-JSON names."""
    return [{"given": person.rsplit(" ", 1)[0], "family": person.rsplit(" ", 1)[1]} for person in people]


def item(**fields) -> dict:
    return {"id": "item", "type": "book", **fields}


def write_style(folder: Path, body: str, *, cls: str = "in-text", attrs: str = "") -> ResolvedCslStyle:
    path = folder / "rule-test.csl"
    path.write_text(STYLE.format(cls=cls, attrs=attrs, body=body), encoding="utf-8")
    return ResolvedCslStyle("rule-test", path, None)


def citation_only(layout: str, **citation_attributes: str) -> str:
    attributes = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in citation_attributes.items())
    return f"<citation{attributes}><layout>{layout}</layout></citation>"


def render(folder: Path, body: str, items: list[dict], *, cls: str = "in-text", attrs: str = "",
           lang: str = "en-US") -> tuple[list[str], list[str]]:
    """Each item cited once, in order, then the bibliography: their plain text."""
    style = write_style(folder, body, cls=cls, attrs=attrs)
    doc = render_citations(sample_document(items), items, style, lang=lang)
    citations, entries = rendered_parts(doc)
    return [plain_text(inlines) for inlines in citations], [plain_text(inlines) for inlines in entries]


def cite(folder: Path, layout: str, items: list[dict], **citation_attributes: str) -> str:
    """The citation of the first item, with a citation layout only."""
    return render(folder, citation_only(layout, **citation_attributes), items)[0][0]


def render_markdown(folder: Path, body: str, markdown: str, items: list[dict], *,
                    cls: str = "in-text") -> dict:
    """A Markdown text with pandoc's citation syntax, rendered; the document."""
    style = write_style(folder, body, cls=cls)
    doc = markdown_to_ast(markdown, folder / "article.md", 60)
    return render_citations(doc, items, style, lang="en-US")


def cite_texts(doc: dict) -> list[str]:
    return [plain_text(node["c"][1]) for node in elements(doc["blocks"], "Cite")]
