"""``python -m pipeline cite BIBLIOGRAPHY --csl STYLE [STYLE ...] [--to text|html]``.

How an author compares citation styles before choosing one: a sample of each. For each style:

    == STYLE
    cite: (Kumar et al., 2013) | (Kamali et al., 2014)
    bib: Kamali, F., Panahi, F., ...
    bib: Kumar, S., Beaton, K., ...

The ``cite:`` line holds the in-text citation of every entry, in the
bibliography file's order (the first entry is cited first, so numeric styles
number the entries in that order), separated by `` | ``; a footnote style
shows the footnote's text. Then one ``bib:`` line per entry of the reference
list, in the style's order. A style that fails prints ``error: ...`` under
its header, and the next style follows.

It is the build's own code path: ``load_references``, ``resolve_csl_style`` and
``render_citations`` (citeproc-py, or pandoc's citeproc for a style
citeproc-py cannot render), so what the sample shows is what a leaflet prints.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from .engine import render_citations
from ..config import DEFAULT_LANG, PANDOC_TIMEOUT_SECONDS, THEME_DIR
from .csl_styles import resolve_csl_style
from ..errors import PipelineError
from ..pandoc.run import run_pandoc
from ..pandoc.ast import attr, elements, stringify
from ..article.references import load_references

CITATION_SEPARATOR = " | "
# pandoc-api-version of the JSON AST the document is written in (pandoc 3.x).
PANDOC_API_VERSION = [1, 23, 1]


def sample_lines(bibliography: Path, csl_names: Sequence[str], *, to: str = "text",
            lang: str = DEFAULT_LANG, folder: Path | None = None,
            timeout: float = PANDOC_TIMEOUT_SECONDS) -> Iterator[str | PipelineError]:
    """The sample's lines, style after style; a style that fails yields its error.

    A ``.csl`` path is looked up in ``folder`` (default: the current folder)
    and in ``styles/csl/``, as the build looks next to the article.
    """
    references = load_references((Path(bibliography),), timeout)
    folder = Path.cwd() if folder is None else folder
    for name in csl_names:
        yield f"== {name}"
        try:
            style = resolve_csl_style(name, folder, THEME_DIR)
            doc = render_citations(sample_document(references), references, style,
                                   lang=lang, timeout=timeout)
            yield from style_lines(doc, to, timeout)
        except PipelineError as error:
            yield error


def sample_document(references: list[dict]) -> dict:
    """A pandoc document citing every entry once, one paragraph each, then the reference list."""
    blocks = [{"t": "Para", "c": [cite(item["id"], number)]}
              for number, item in enumerate(references, start=1)]
    blocks.append({"t": "Div", "c": [attr("refs"), []]})
    return {"pandoc-api-version": PANDOC_API_VERSION, "meta": {}, "blocks": blocks}


def cite(key: str, note_number: int) -> dict:
    citation = {"citationId": key, "citationPrefix": [], "citationSuffix": [],
                "citationMode": {"t": "NormalCitation"}, "citationNoteNum": note_number,
                "citationHash": 0}
    return {"t": "Cite", "c": [[citation], [{"t": "Str", "c": f"[@{key}]"}]]}


def rendered_parts(doc: dict) -> tuple[list[list[dict]], list[list[dict]]]:
    """The inlines of each citation, and of each bibliography entry, of a rendered document."""
    citations = [copy.deepcopy(node["c"][1]) for node in elements(doc["blocks"], "Cite")]
    refs = next((div for div in elements(doc["blocks"], "Div") if div["c"][0][0] == "refs"), None)
    entries = [entry_inlines(block) for block in (refs["c"][1] if refs else [])
               if block["t"] == "Div" and "csl-entry" in block["c"][0][1]]
    return citations, entries


def entry_inlines(entry: dict) -> list[dict]:
    inlines: list[dict] = []
    for block in entry["c"][1]:
        if block["t"] in ("Para", "Plain"):
            inlines += ([{"t": "Space"}] if inlines else []) + block["c"]
    return inlines


def style_lines(doc: dict, to: str, timeout: float) -> list[str]:
    citations, entries = rendered_parts(doc)
    citations = [footnotes_inline(inlines) for inlines in citations]
    texts = (as_html(citations + entries, timeout) if to == "html"
             else [plain_text(inlines) for inlines in citations + entries])
    cited, listed = texts[:len(citations)], texts[len(citations):]
    return ["cite: " + CITATION_SEPARATOR.join(cited)] + [f"bib: {entry}" for entry in listed]


def footnotes_inline(inlines: list[dict]) -> list[dict]:
    """A footnote citation shown where it is anchored: its text, not a note mark."""
    shown: list[dict] = []
    for node in inlines:
        if node["t"] == "Note":
            shown += [part for block in node["c"] if block["t"] in ("Para", "Plain")
                      for part in block["c"]]
        else:
            shown.append(node)
    return shown


def plain_text(inlines: list[dict]) -> str:
    """The text as a reader sees it: quotes included, whitespace collapsed."""
    return re.sub(r"\s+", " ", stringify(inlines, quotes=True)).strip()


def as_html(lines: list[list[dict]], timeout: float) -> list[str]:
    """Each list of inlines as one line of HTML, written by pandoc as the build writes it."""
    doc = {"pandoc-api-version": PANDOC_API_VERSION, "meta": {},
           "blocks": [{"t": "Div", "c": [attr(f"line-{number}"), [{"t": "Plain", "c": inlines}]]}
                      for number, inlines in enumerate(lines)]}
    html = run_pandoc(["--sandbox", "--from", "json", "--to", "html5", "--wrap=none"], json.dumps(doc), timeout,
                      what="writing the sample as HTML")
    found = dict(re.findall(r'<div id="line-(\d+)">\n?(.*?)\n?</div>', html, flags=re.S))
    return [" ".join(found.get(str(number), "").split()) for number in range(len(lines))]

