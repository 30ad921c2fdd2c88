"""Saddle-stitch imposition: A5 pages two-up on A4 landscape sheets, still tagged.

Printed double-sided (flip on the short edge), the sheets stacked and folded
in the middle give a booklet in reading order. The page count is padded to a
multiple of four with blank pages at the end, never in the middle of the text.

For n pages (n a multiple of 4), sheet k (from 0) carries, left and right:
front: n-1-2k and 2k; back: 2k+1 and n-2-2k (pages counted from 0).

A right-to-left leaflet (Arabic, Hebrew...: its PDF's /Lang) is bound on the
right, so that its pages turn from left to right: every side is mirrored, the
cover on the left half of the first sheet and the pages running the other way.

The booklet is as accessible as the A5 PDF it is made from (PDF/UA-1, checked by
``make check``): the A5 file is copied whole (its structure tree, /Lang, XMP
metadata with the title and the PDF/UA identifier, /MarkInfo, viewer preferences,
outline and named destinations), and only its pages are replaced by sheets. Each A5
page becomes a Form XObject drawn on its sheet, which keeps the page's content
stream as it is, marked content and all, under the page's own /StructParents key:
the parent tree needs no change. The structure tree then points at each marked
sequence through the sheet it is drawn on and the XObject holding it (an MCR with
/Pg and /Stm, ISO 32000-1 14.7.4.2); links move to the sheet, their rectangles and
every destination moved by the page's place on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject,
                           IndirectObject, NameObject, NumberObject, PdfObject)

from ..pandoc.bidi import is_right_to_left

A4_LANDSCAPE = (841.89, 595.28)  # points
MAX_STRUCTURE_DEPTH = 500  # far beyond a leaflet's tree; a loop in a broken file stops here


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


@dataclass(frozen=True)
class Placement:
    """Where an A5 page went: the sheet, the XObject that holds its content, its offset."""

    sheet: IndirectObject
    form: IndirectObject
    dx: float
    dy: float


def impose_booklet(a5_pdf: Path, target: Path) -> None:
    """Write ``target``: the pages of ``a5_pdf`` imposed for folding into a booklet, bound on
    the side its language starts from, with the A5 file's tags, metadata and links."""
    writer = PdfWriter(clone_from=a5_pdf)
    pages = list(writer.pages)
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    padded = list(range(len(pages))) + [None] * (-len(pages) % 4)
    sheet_width, sheet_height = A4_LANDSCAPE
    tree = writer.root_object["/Pages"]
    placements: dict[int, Placement] = {}
    sheets = ArrayObject()
    order = saddle_stitch_order(len(padded), is_right_to_left(document_language(writer)))
    for left, right in order:
        sheet = DictionaryObject({
            NameObject("/Type"): NameObject("/Page"), NameObject("/Parent"): tree.indirect_reference,
            NameObject("/MediaBox"): ArrayObject(FloatObject(v) for v in (0, 0, sheet_width, sheet_height))})
        sheet_ref = writer._add_object(sheet)
        forms, drawing, annotations = DictionaryObject(), [], ArrayObject()
        for slot, index in enumerate((left, right)):
            if padded[index] is None:
                continue
            page = pages[index]
            dx = slot * sheet_width / 2 + (sheet_width / 2 - width) / 2
            dy = (sheet_height - height) / 2
            form = writer._add_object(page_as_form(page))
            name = f"/Page{index + 1}"
            forms[NameObject(name)] = form
            drawing.append(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q")
            placements[page.indirect_reference.idnum] = Placement(sheet_ref, form, dx, dy)
            for annotation in page.get("/Annots", ()):
                annotations.append(moved_annotation(annotation, sheet_ref, dx, dy))
        content = DecodedStreamObject()
        content.set_data("\n".join(drawing).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
        if annotations:
            sheet[NameObject("/Annots")] = annotations
            sheet[NameObject("/Tabs")] = NameObject("/S")  # in structure order, as on the A5 page
        sheets.append(sheet_ref)
    tree[NameObject("/Kids")] = sheets
    tree[NameObject("/Count")] = NumberObject(len(sheets))
    structure = writer.root_object.get("/StructTreeRoot")
    if structure is not None:
        point_structure_at_sheets(structure.get_object(), placements)
    move_destinations(writer, placements)
    for sheet in sheets:
        for annotation in sheet.get_object().get("/Annots", ()):
            move_destination_of(annotation.get_object(), placements)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with open(target, "wb") as handle:
        writer.write(handle)


def page_as_form(page) -> DecodedStreamObject:
    """The page's content as a Form XObject: its resources, its box, its transparency group
    and its /StructParents key, so that the marked content inside keeps its place in the
    structure tree's parent tree."""
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form = form.flate_encode()
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(float(v)) for v in page.mediabox)
    form[NameObject("/Resources")] = page.get("/Resources", DictionaryObject())
    for key in ("/Group", "/StructParents"):
        if key in page:
            form[NameObject(key)] = page[key]
    return form


def moved_annotation(reference: IndirectObject, sheet: IndirectObject, dx: float, dy: float) -> PdfObject:
    annotation = reference.get_object()
    if "/Rect" in annotation:
        x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
        annotation[NameObject("/Rect")] = ArrayObject(
            FloatObject(v) for v in (x1 + dx, y1 + dy, x2 + dx, y2 + dy))
    if "/QuadPoints" in annotation:
        annotation[NameObject("/QuadPoints")] = ArrayObject(
            FloatObject(float(v) + (dx if i % 2 == 0 else dy)) for i, v in enumerate(annotation["/QuadPoints"]))
    if "/P" in annotation:
        annotation[NameObject("/P")] = sheet
    return reference


def point_structure_at_sheets(root: DictionaryObject, placements: dict[int, Placement]) -> None:
    """Every structure element, marked-content reference and object reference that named an
    A5 page names the sheet it is on now; a marked-content sequence also names the XObject
    that holds it (/Stm)."""
    seen: set[int] = set()
    pending = [(root.get("/K"), None, 0)]
    while pending:
        node, page, depth = pending.pop()
        if node is None or depth > MAX_STRUCTURE_DEPTH:
            continue
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
        item = node.get_object()
        if isinstance(item, ArrayObject):
            pending.extend((kid, page, depth + 1) for kid in item)
            continue
        if not isinstance(item, DictionaryObject):
            continue
        own_page = item.raw_get("/Pg") if "/Pg" in item else None
        if isinstance(own_page, IndirectObject):
            page = own_page.idnum
            if page in placements:
                item[NameObject("/Pg")] = placements[page].sheet
        kind = item.get("/Type")
        if kind == "/MCR" and page in placements:
            item[NameObject("/Stm")] = placements[page].form
            item[NameObject("/Pg")] = placements[page].sheet
            continue
        if kind == "/OBJR":
            continue
        kids = item.raw_get("/K") if "/K" in item else None
        if kids is None:
            continue
        if isinstance(kids, int):  # one MCID on the element's page
            item[NameObject("/K")] = as_marked_content_reference(kids, page, placements)
        elif isinstance(kids.get_object(), ArrayObject):  # MCIDs, MCRs, OBJRs and elements
            listed = kids.get_object()
            for index, kid in enumerate(listed):
                listed[index] = as_marked_content_reference(kid, page, placements)
                if not isinstance(listed[index], int):
                    pending.append((listed[index], page, depth + 1))
        else:  # one element or reference
            pending.append((kids, page, depth + 1))


def as_marked_content_reference(kid: PdfObject, page: int | None,
                                 placements: dict[int, Placement]) -> PdfObject:
    """An MCID kid (a number, meaning "on the element's page") as an MCR naming the sheet and
    the XObject, which a number cannot."""
    if not isinstance(kid, int) or page not in placements:
        return kid
    return DictionaryObject({
        NameObject("/Type"): NameObject("/MCR"), NameObject("/MCID"): NumberObject(kid),
        NameObject("/Pg"): placements[page].sheet, NameObject("/Stm"): placements[page].form})


def move_destinations(writer: PdfWriter, placements: dict[int, Placement]) -> None:
    """Named destinations, the outline's and links' own: to the sheet, at the page's place."""
    names = writer.root_object.get("/Names", {}).get("/Dests")
    if names is not None:
        visit_name_tree(names.get_object(), placements)
    outline = writer.root_object.get("/Outlines")
    if outline is not None:
        outline = outline.get_object()
        item = outline.raw_get("/First") if "/First" in outline else None
        seen: set[int] = set()
        stack = [item] if item is not None else []
        while stack:
            reference = stack.pop()
            if reference.idnum in seen:
                continue
            seen.add(reference.idnum)
            entry = reference.get_object()
            move_destination_of(entry, placements)
            stack.extend(entry.raw_get(key) for key in ("/Next", "/First") if key in entry)


def visit_name_tree(node: DictionaryObject, placements: dict[int, Placement], depth: int = 0) -> None:
    if depth > MAX_STRUCTURE_DEPTH:
        return
    pairs = node.get("/Names")
    if pairs is not None:
        for index in range(1, len(pairs), 2):
            target = pairs[index].get_object()
            if isinstance(target, DictionaryObject):
                move_destination_of(target, placements)
            else:
                moved_destination(target, placements)
    for kid in node.get("/Kids", ()):
        visit_name_tree(kid.get_object(), placements, depth + 1)


def move_destination_of(entry: DictionaryObject, placements: dict[int, Placement]) -> None:
    for holder, key in ((entry, "/Dest"), (entry.get("/A"), "/D")):
        if holder is None:
            continue
        holder = holder.get_object()
        if isinstance(holder.get(key), ArrayObject):
            moved_destination(holder[key], placements)


def moved_destination(destination: ArrayObject, placements: dict[int, Placement]) -> None:
    """[page /XYZ left top zoom] (or /FitH top, /FitR ...) to the sheet, offset by the page's place."""
    if not destination or not isinstance(destination[0], IndirectObject):
        return
    placement = placements.get(destination[0].idnum)
    if placement is None:
        return
    destination[0] = placement.sheet
    kind = destination[1] if len(destination) > 1 else None
    offsets = {"/XYZ": "xy", "/FitH": "y", "/FitBH": "y", "/FitV": "x", "/FitBV": "x", "/FitR": "xyxy"}
    for position, axis in enumerate(offsets.get(kind, ""), start=2):
        if position < len(destination) and isinstance(destination[position], (int, float)):
            shift = placement.dx if axis == "x" else placement.dy
            destination[position] = FloatObject(float(destination[position]) + shift)


def document_language(writer: PdfWriter) -> str:
    """The PDF's /Lang (WeasyPrint writes the page's lang there), or "" if it has none."""
    return str(writer.root_object.get("/Lang", ""))
