"""Styles citeproc-py cannot render: pandoc's own citeproc renders them instead.

citeproc-py fails inside on a few percent of the CSL styles it ships (an
``AttributeError`` deep in its model). Rather than stop the build, the
citation stage sends the document to ``pandoc --citeproc`` with the same CSL
file, the same references (written to a temporary CSL-JSON file) and the same
language, and takes from pandoc's answer the content of each ``Cite`` and the
entries of the reference list. Where a citation goes in the text
(footnotes, punctuation) is left to ``notes.py``, as for citeproc-py.
"""
from __future__ import annotations

import json
import tempfile
import traceback
from pathlib import Path

from lxml import etree

from .csl_styles import ResolvedCslStyle
from ..errors import CitationError, RenderError
from ..pandoc.run import run_pandoc
from ..pandoc.ast import elements


def render_with_pandoc(doc: dict, references: list[dict], style: ResolvedCslStyle, *, lang: str,
                       nocite: tuple[str, ...], timeout: float) -> tuple[list[list[dict]], list[dict]]:
    """The inlines of each ``Cite`` of ``doc`` (in document order), and the bibliography entries."""
    with tempfile.TemporaryDirectory(prefix="leaflet-citeproc-") as folder:
        bibliography = Path(folder) / "references.json"
        bibliography.write_text(json.dumps(references, ensure_ascii=False), encoding="utf-8")
        request = {**doc, "meta": citeproc_meta(bibliography, style, lang, nocite)}
        try:
            output = run_pandoc(["--from", "json", "--to", "json", "--citeproc"],
                                json.dumps(request), timeout,
                                what="rendering the citations with pandoc's citeproc")
        except RenderError as error:
            raise CitationError(
                f"the citation style '{style.name}' can be rendered neither by citeproc-py nor by "
                f"pandoc's citeproc ({error.message})", file=style.path,
                hint="choose another style with 'csl:' (for example american-medical-association)"
            ) from None
    rendered = json.loads(output)
    cites = [cite["c"][1] for cite in elements(rendered["blocks"], "Cite")]
    refs = next((div for div in elements(rendered["blocks"], "Div") if div["c"][0][0] == "refs"), None)
    entries = [block for block in (refs["c"][1] if refs else [])
               if block["t"] == "Div" and "csl-entry" in block["c"][0][1]]
    return cites, entries


def citeproc_meta(bibliography: Path, style: ResolvedCslStyle, lang: str,
                  nocite: tuple[str, ...]) -> dict:
    """Only what pandoc's citeproc reads: the document's own metadata stays out of it.

    ``notes-after-punctuation`` is off so that pandoc leaves the text around
    the citations alone; ``notes.py`` moves punctuation for both engines.
    """
    meta = {
        "bibliography": {"t": "MetaString", "c": str(bibliography)},
        "csl": {"t": "MetaString", "c": str(style.path)},
        "lang": {"t": "MetaString", "c": lang},
        "notes-after-punctuation": {"t": "MetaBool", "c": False},
    }
    if nocite:
        meta["nocite"] = {"t": "MetaInlines", "c": [nocite_cite(key) for key in nocite]}
    return meta


def nocite_cite(key: str) -> dict:
    citation = {"citationId": key, "citationPrefix": [], "citationSuffix": [],
                "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0, "citationHash": 0}
    return {"t": "Cite", "c": [[citation], [{"t": "Str", "c": f"@{key}"}]]}


def unsupported(error: BaseException, style: ResolvedCslStyle) -> str:
    """What citeproc-py failed on: the CSL element it was rendering, and the error."""
    element = None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, etree.ElementBase) and candidate.sourceline is not None:
            element = candidate
    reason = f"{type(error).__name__}: {error}"
    if element is None:
        return f"it ({reason})"
    tag = etree.QName(element).localname
    attributes = "".join(f' {name}="{value}"' for name, value in element.attrib.items())
    return f"<{tag}{attributes}> on line {element.sourceline} of {style.path.name} ({reason})"
