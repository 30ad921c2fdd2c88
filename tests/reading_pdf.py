"""Reading a built PDF as a reader (or a reader's software) gets it.

Read built leaflets the way a reader (or a reader's software) gets them.

PDF text comes in two kinds:

* :func:`pdf_text` is pypdf's plain extraction, page after page: what
  copy-and-paste gives, superscripts included ("blood flow1.").
* :func:`pdf_body_text` is what a screen reader reads: the tagged PDF's
  logical structure (the structure tree, in its order) with the running
  footers and the superscript citation numbers left out.  Content-stream
  order is not reading order everywhere: WeasyPrint paints floats (the
  reference numbers "1." "2." "3.") before the text around them, so a
  sentence that runs over a page break would be cut by them.  The structure
  tree puts each number before its own reference.

A superscript is a character noticeably smaller than the character before it
and sitting higher.  The footer of a page is everything from the line that
says "Page N of M" down, so neither footer nor page size needs to be known in
advance.
"""

from __future__ import annotations

import functools
import io
import pathlib
import re
from dataclasses import dataclass

import pdfplumber
import pypdf

from pipeline.printed.text_layer import NO_TEXT_OF_ITS_OWN

PAGE_NUMBER_LINE = r"Page \d+ of \d+"
SUPERSCRIPT_SIZE_RATIO = 0.95  # smaller than the text before it (large print: 16 pt after 18 pt)
FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


# --- PDF: text --------------------------------------------------------------------------------------

def pdf_page_texts(path: pathlib.Path) -> list[str]:
    """pypdf's plain text of each page (superscripts and footers included), without the
    invisible joiner a glyph with no text of its own maps to (pypdf reads no ActualText:
    pipeline/printed/text_layer.py)."""
    return [page.extract_text().replace(NO_TEXT_OF_ITS_OWN, "")
            for page in pypdf.PdfReader(path).pages]


def pdf_text(path: pathlib.Path) -> str:
    """pypdf's plain text of the whole document."""
    return "\n".join(pdf_page_texts(path))


@functools.cache
def pdf_body_text(path: pathlib.Path) -> str:
    """The text in reading order (structure tree), without footers and superscripts."""
    with pdfplumber.open(path) as pdf:
        chars = {}
        for page in pdf.pages:
            footer_top = _footer_top(page)
            for char in page.chars:
                if footer_top is None or char["top"] < footer_top:
                    chars.setdefault((page.page_number, char["mcid"]), []).append(char)
        ordered = [char for key in _reading_order(pdf.structure_tree) for char in chars.pop(key, [])]
    return _join_chars(_without_superscripts(ordered)).replace(NO_TEXT_OF_ITS_OWN, "")


def pdf_footers(path: pathlib.Path) -> list[str]:
    """The footer text of each page: from the "Page N of M" line to the foot of the page."""
    with pdfplumber.open(path) as pdf:
        footers = []
        for page in pdf.pages:
            top = _footer_top(page)
            footers.append("" if top is None else
                           page.crop((0, top, page.width, page.height)).extract_text())
        return footers


def _footer_top(page) -> float | None:
    matches = page.search(PAGE_NUMBER_LINE, regex=True)
    return matches[-1]["top"] - 1 if matches else None


def _reading_order(tree: list[dict], page: int | None = None):
    """(page number, MCID) of every marked-content item, depth first, as tagged."""
    for node in tree:
        node_page = node.get("page_number", page)
        for mcid in node.get("mcids") or ():
            yield node_page, mcid
        yield from _reading_order(node.get("children") or [], node_page)


def _without_superscripts(chars: list[dict]) -> list[dict]:
    kept: list[dict] = []
    for char in chars:
        if kept and _is_superscript(char, kept[-1]):
            # The number's width is no gap between the word and what follows it.
            kept[-1] = {**kept[-1], "x1": char["x1"]}
            continue
        kept.append(char)
    return kept


def _is_superscript(char: dict, before: dict) -> bool:
    smaller = char["size"] < SUPERSCRIPT_SIZE_RATIO * before["size"]
    raised = char["bottom"] < before["bottom"] - 0.1 * before["size"]
    return smaller and raised and char["page_number"] == before["page_number"]


def _join_chars(chars: list[dict]) -> str:
    """Characters to text: a new line where the baseline changes, a space across a gap."""
    pieces: list[str] = []
    previous = None
    for char in chars:
        if previous is not None:
            same_line = (char["page_number"] == previous["page_number"]
                         and abs(char["bottom"] - previous["bottom"]) < 0.3 * previous["size"])
            if not same_line:
                pieces.append("\n")
            elif char["x0"] - previous["x1"] > 0.25 * previous["size"]:
                pieces.append(" ")
        pieces.append(char["text"])
        previous = char
    # A line that ends in a word's own hyphen ("Re-" / "education") is one word.
    return re.sub(r"(?<=[^\W\d_]-)\n(?=[^\W\d_])", "", "".join(pieces))


# --- PDF: structure, fonts, links --------------------------------------------------------------------

@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool


def pdf_fonts(path: pathlib.Path) -> list[PdfFont]:
    """Every font the pages use, with whether its program is embedded."""
    fonts: dict[str, PdfFont] = {}
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for font in (font_dict.get_object().values() if font_dict else ()):
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in FONT_FILE_KEYS)
            fonts[str(font["/BaseFont"])] = PdfFont(str(font["/BaseFont"]).lstrip("/"), embedded)
    return list(fonts.values())


def is_subset(font_name: str) -> bool:
    return SUBSET_PREFIX.match(font_name) is not None


def body_chars(path: pathlib.Path) -> tuple[float, list[str]]:
    """The most common character size on page 1 (pt) and the fonts set in it."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    sizes = [round(c["size"], 2) for c in chars]
    size = max(set(sizes), key=sizes.count)
    return size, sorted({c["fontname"] for c in chars if round(c["size"], 2) == size})


def body_line_lengths(path: pathlib.Path) -> list[int]:
    """Characters in each full line of body text (at the body size, over 80 % of the
    longest such line, so that the last line of a paragraph does not count)."""
    size, _fonts = body_chars(path)
    lengths = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                if {round(c["size"], 2) for c in line["chars"]} == {size}:
                    lengths.append(len(line["text"]))
    return [n for n in lengths if n >= 0.8 * max(lengths)]


def pdf_link_annotations(path: pathlib.Path) -> list[dict]:
    """Every /Link annotation, in page order, as a plain dict with its page number."""
    links = []
    for number, page in enumerate(pypdf.PdfReader(path).pages, start=1):
        for annotation in page.get("/Annots") or ():
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                action = annotation.get("/A")
                links.append({
                    "page": number,
                    "rect": [float(v) for v in annotation["/Rect"]],
                    "dest": annotation.get("/Dest") or (action.get("/D") if action else None),
                    "uri": action.get("/URI") if action else None,
                })
    return links


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    """The bookmark titles, depth first."""
    def flatten(items):
        for item in items:
            if isinstance(item, list):
                yield from flatten(item)
            else:
                yield str(item.title)
    return list(flatten(reader.outline))


def pdf_object_differences(first: pathlib.Path, second: pathlib.Path) -> list[str]:
    """Which objects of two PDFs differ, and where, in words (for a failure message)."""
    a, b = pypdf.PdfReader(first), pypdf.PdfReader(second)
    report = []
    if a.trailer.get("/ID") != b.trailer.get("/ID"):
        report.append(f"trailer /ID: {list(a.trailer.get('/ID') or [])} vs {list(b.trailer.get('/ID') or [])}")
    font_files = _font_files(a)
    size = max(int(a.trailer["/Size"]), int(b.trailer["/Size"]))
    for number in range(1, size):
        try:
            obj_a, obj_b = a.get_object(number), b.get_object(number)
        except Exception as error:  # a missing object is itself a difference
            report.append(f"object {number}: cannot compare ({error})")
            continue
        raw_a, raw_b = _serialised(obj_a), _serialised(obj_b)
        if raw_a == raw_b:
            continue
        what = font_files.get(number, type(obj_a).__name__)
        if isinstance(obj_a, pypdf.generic.StreamObject) and obj_a.get("/Type") == "/XRef":
            what = "cross-reference stream: object offsets, moved by any object above that changed length"
        data_a = obj_a.get_data() if hasattr(obj_a, "get_data") else None
        data_b = obj_b.get_data() if hasattr(obj_b, "get_data") else None
        if data_a is not None and data_b is not None and len(data_a) == len(data_b):
            offsets = [i for i in range(len(data_a)) if data_a[i] != data_b[i]]
            report.append(f"object {number} ({what}): decoded stream differs at bytes "
                          f"{offsets[:12]}{_font_tables(data_a, data_b, offsets)}")
        else:
            report.append(f"object {number} ({what}) differs")
    return report


def _serialised(obj) -> bytes:
    stream = io.BytesIO()
    obj.write_to_stream(stream)
    return stream.getvalue() + (obj.get_data() if hasattr(obj, "get_data") else b"")


def _font_files(reader: pypdf.PdfReader) -> dict[int, str]:
    names = {}
    for font in pdf_font_descriptors(reader):
        for key in FONT_FILE_KEYS:
            if key in font:
                names[font.raw_get(key).idnum] = f"{key[1:]} of {font['/FontName'][1:]}"
    return names


def pdf_font_descriptors(reader: pypdf.PdfReader) -> list:
    descriptors = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        if isinstance(obj, pypdf.generic.DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
            descriptors.append(obj)
    return descriptors


def _font_tables(data_a: bytes, data_b: bytes, offsets: list[int]) -> str:
    """For an embedded TrueType font: which tables hold the differing bytes."""
    try:
        from fontTools.ttLib import TTFont
        font_a, font_b = TTFont(io.BytesIO(data_a)), TTFont(io.BytesIO(data_b))
    except Exception:
        return ""
    places = set()
    for offset in offsets:
        tags = [tag for tag, entry in font_a.reader.tables.items()
                if entry.offset <= offset < entry.offset + entry.length]
        places.update(tags or ["table directory (checksums)"])
    detail = f"; font tables {sorted(places)}"
    if "head" in places and font_a["head"].modified != font_b["head"].modified:
        detail += (f"; head.modified {font_a['head'].modified} vs {font_b['head'].modified} "
                   "(seconds since 1904: the build time)")
    return detail
