"""Saddle-stitch imposition: A5 pages two-up on A4 landscape sheets.

Printed double-sided (flip on the short edge), the sheets stacked and folded
in the middle give a booklet in reading order. The page count is padded to a
multiple of four with blank pages at the end, never in the middle of the text.

For n pages (n a multiple of 4), sheet k (from 0) carries, left and right:
front: n-1-2k and 2k; back: 2k+1 and n-2-2k (pages counted from 0).

A right-to-left leaflet (Arabic, Hebrew...: its PDF's /Lang) is bound on the
right, so that its pages turn from left to right: every side is mirrored, the
cover on the left half of the first sheet and the pages running the other way.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from ..pandoc.bidi import is_right_to_left

A4_LANDSCAPE = (841.89, 595.28)  # points


def saddle_stitch_order(page_count: int, bound_on_the_right: bool = False) -> list[tuple[int, int]]:
    """(left, right) page indexes for each side of each sheet, in printing order; bound on
    the right, each side's two pages change places."""
    if page_count % 4:
        raise ValueError("a saddle-stitched booklet has a multiple of four pages")
    sides = []
    for sheet in range(page_count // 4):
        sides.append((page_count - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, page_count - 2 - 2 * sheet))
    if bound_on_the_right:
        return [(right, left) for left, right in sides]
    return sides


def impose_booklet(a5_pdf: Path, target: Path) -> None:
    """Write ``target``: the pages of ``a5_pdf`` imposed for folding into a booklet, bound on
    the side its language starts from."""
    reader = PdfReader(a5_pdf)
    pages = list(reader.pages)
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    padded = pages + [None] * (-len(pages) % 4)
    writer = PdfWriter()
    sheet_width, sheet_height = A4_LANDSCAPE
    for left, right in saddle_stitch_order(len(padded), is_right_to_left(document_language(reader))):
        sheet = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for slot, index in enumerate((left, right)):
            if padded[index] is not None:
                x = slot * sheet_width / 2 + (sheet_width / 2 - width) / 2
                y = (sheet_height - height) / 2
                sheet.merge_transformed_page(padded[index], Transformation().translate(x, y))
        writer.add_page(sheet)
    writer.add_metadata({key: value for key, value in (reader.metadata or {}).items()})
    with open(target, "wb") as handle:
        writer.write(handle)


def document_language(reader: PdfReader) -> str:
    """The PDF's /Lang (WeasyPrint writes the page's lang there), or "" if it has none."""
    return str(reader.trailer["/Root"].get("/Lang", ""))
