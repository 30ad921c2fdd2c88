"""Page furniture as artifacts: the one place the pipeline changes how WeasyPrint tags a PDF.

WeasyPrint 70 marks the text of every page margin box (our running header and
footer: a draft's mark, the title, the version, "Page 1 of 6") as a tagged /Span
with an MCID, builds structure elements for it and never links them into the
structure tree (``weasyprint/pdf/tags.py``, ``_build_box_tree``'s MarginBox branch:
"it could be included in tree as Artifact, but that's only allowed in PDF 2.0").
The marks are then neither real content a screen reader reaches nor artifacts it
may skip, and the validator does not notice. PDF 1.7 does allow it: page furniture
is an /Artifact of /Type /Pagination (ISO 32000-1, 14.8.2.2), which is what this
module makes of it:

- drawing: ``weasyprint.document.draw_page`` is wrapped to note, before a page is
  drawn, every box inside its margin boxes; for those boxes, ``Stream.marked``
  writes ``/Artifact <</Type /Pagination /Subtype /Header>> BDC`` (``/Footer`` for
  the bottom margin, no subtype at the sides) instead of a tagged /Span, and
  leaves them out of the stream's tags;
- tagging: ``weasyprint.pdf.tags._build_box_tree`` passes over margin boxes, which
  then have nothing in the structure tree and no entry in the parent tree.

What the furniture says is not lost to a screen reader: the draft's notice is real
content at the top of the first page (``styles/templates/leaflet.html``), the title,
version and review date are in the title block.

The wrapped functions are WeasyPrint's own, so another WeasyPrint release is refused
(``check_weasyprint_version``, like citeproc-py's in ``citations/rules``): a drawing
function that changed would write untagged or doubly tagged pages without a word.
The actual text of glyph runs (``/ActualText``) is another module's concern.
"""
from __future__ import annotations

import contextlib
import sys

from ..errors import SetupError

WEASYPRINT_VERSION = "70.0"  # pinned in pyproject.toml too
FURNITURE = "_leaflet_page_furniture"  # the stream's attribute: id(box) -> artifact subtype
SUBTYPES = {"top": "/Header", "bottom": "/Footer"}  # by the margin box's @top-... / @bottom-...
INSTALLED = {"done": False}


def check_weasyprint_version(found: str | None = None, *,
                             relies: str = "tags page headers and footers through",
                             where: str = "pipeline/printed/tagging.py",
                             otherwise: str = "would write PDFs a screen reader cannot trust") -> None:
    """Refuse a WeasyPrint other than ``WEASYPRINT_VERSION`` (``found``: the one loaded;
    WeasyPrint is imported by now). The words say what relies on its drawing."""
    if found is None:
        found = sys.modules["weasyprint"].__version__
    if found != WEASYPRINT_VERSION:
        raise SetupError(
            f"WeasyPrint {found} is installed, but the pipeline {relies} "
            f"WeasyPrint {WEASYPRINT_VERSION}'s drawing ({where}), and {otherwise} with another",
            hint=f"run `.venv/bin/pip install weasyprint=={WEASYPRINT_VERSION}` in the pipeline's "
                 "folder (or delete .venv and run `make setup`)")


def install() -> None:
    """Put the furniture tagging in place, once per process (WeasyPrint is imported)."""
    if INSTALLED["done"]:
        return
    check_weasyprint_version()
    import weasyprint.document
    from weasyprint.pdf import stream, tags

    weasyprint.document.draw_page = noting_furniture(weasyprint.document.draw_page)
    stream.Stream.marked = furniture_as_artifacts(stream.Stream.marked)
    tags._build_box_tree = without_margin_boxes(tags._build_box_tree)
    INSTALLED["done"] = True


def noting_furniture(draw_page):
    from weasyprint.formatting_structure.boxes import MarginBox

    def draw_page_noting_furniture(page, stream):
        furniture = {}
        for margin in page.children:
            if isinstance(margin, MarginBox):
                side = margin.at_keyword.removeprefix("@").split("-")[0]
                for box in margin.descendants():
                    furniture[id(box)] = SUBTYPES.get(side)
        setattr(stream, FURNITURE, furniture)
        try:
            return draw_page(page, stream)
        finally:
            setattr(stream, FURNITURE, {})

    return draw_page_noting_furniture


def furniture_as_artifacts(marked):
    import pydyf

    @contextlib.contextmanager
    def marked_or_artifact(stream, box, tag):
        furniture = getattr(stream, FURNITURE, {})
        if stream._tags is None or id(box) not in furniture:
            with marked(stream, box, tag):
                yield
            return
        properties = pydyf.Dictionary({"Type": "/Pagination"})
        if furniture[id(box)]:
            properties["Subtype"] = furniture[id(box)]
        stream.begin_marked_content("Artifact", properties)
        try:
            yield
        finally:
            stream.end_marked_content()

    return marked_or_artifact


def without_margin_boxes(build_box_tree):
    from weasyprint.formatting_structure.boxes import MarginBox

    def build_box_tree_without_margin_boxes(box, *args):
        if isinstance(box, MarginBox):
            return iter(())
        return build_box_tree(box, *args)

    return build_box_tree_without_margin_boxes
