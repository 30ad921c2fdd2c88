"""Figures whose labels keep the edition's smallest text size.

An SVG figure's labels are text, scaled with the figure: a figure printed at
half the text width prints its 11-unit labels at 9 pt. Each edition promises
nothing under its ``min_text_pt`` (large print: 16 pt), so each SVG ``<img>``
of the print HTML is given a ``min-width``: the width at which its smallest
label reaches that size. A figure wider than the text reaches into the side
margins, centred on the page (negative margins, which WeasyPrint works out
against the text width), but never closer than ``PRINTABLE_INSET_PT`` to the
paper's edge; one wider still has a landscape page of its own (its ``<figure>``
gets the class ``landscape-figure``, which the page stylesheets give the named
page ``landscape-figure``), as wide as that page's printable area lets it be. A
figure that still prints small labels is named by ``make check``
(``checks/pdf.py``). An image that is not a figure of its own (in a table cell,
beside easy read words) grows only as far as its box.

The SVG is read with lxml without entities, DTDs or the network, and only up
to ``MAX_FIGURE_SVG_BYTES``; ``article/images.py`` has refused worse already.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..limits import MAX_FIGURE_SVG_BYTES

if TYPE_CHECKING:
    from lxml import etree

# An <img>, with the <figure> it opens where it is a figure's (pandoc's <figure><img ...>).
IMG_TAG = re.compile(r"(?P<figure><figure\b[^>]*>\s*)?(?P<img><img\b[^>]*>)")
FIGURE_CLASS = re.compile(r'\sclass="([^"]*)"')
LANDSCAPE_CLASS = "landscape-figure"
MM_PT = 72 / 25.4
# Printers leave up to about 5 mm of each edge unprinted; a figure keeps twice that off it.
PRINTABLE_INSET_PT = 10 * MM_PT
# The pages' widths (portrait, landscape) in pt: the paper of --paper (styles/paper/), and
# the A5 booklet's own (styles/editions/booklet.css).
PAGE_WIDTHS_PT = {"a4": (595.28, 841.89), "letter": (612.0, 792.0), "a5": (419.53, 595.28)}
ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
FONT_SIZE_IN_STYLE = re.compile(r"(?:^|;)\s*font-size\s*:\s*([^;]+)")
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in|em|%)?\s*$")
# User units (CSS px) per unit; em and % are relative to the inherited size.
UNITS = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
DEFAULT_FONT_SIZE = 16.0  # SVG's initial font-size, in user units
PT_PER_PX = 0.75
TEXT_ELEMENTS = ("text", "tspan", "textPath")


@dataclass(frozen=True)
class SvgText:
    """The smallest label of an SVG and the width it is drawn across, in user units."""

    smallest: float
    width: float

    def printed_pt(self, width_pt: float) -> float:
        """The smallest label's size when the figure is printed ``width_pt`` wide."""
        return self.smallest * width_pt / self.width

    def width_for(self, size_pt: float) -> float:
        """The printed width (pt) at which the smallest label is ``size_pt``."""
        return size_pt * self.width / self.smallest


def with_figures_readable(body: str, folder: Path, min_text_pt: float, page: str = "a4") -> str:
    """``body`` with each local SVG image made wide enough for its labels to print at
    ``min_text_pt``: within the text, across the page's printable width, or on a landscape
    page of ``page`` size (a key of ``PAGE_WIDTHS_PT``), as far as each allows."""
    portrait, landscape = (width - 2 * PRINTABLE_INSET_PT for width in PAGE_WIDTHS_PT[page])

    def readable(match: re.Match) -> str:
        figure, tag = match.group("figure") or "", match.group("img")
        text = svg_local_text(tag, folder)
        if text is None:
            return match.group(0)
        wanted = text.width_for(min_text_pt)
        if not figure:  # in a table cell or beside words: as wide as its box lets it be
            return with_style(tag, f"min-width: min({wanted:.1f}pt, 100%)")
        if wanted > portrait:
            return with_class(figure, LANDSCAPE_CLASS) + widened(tag, min(wanted, landscape))
        return figure + widened(tag, min(wanted, portrait))
    return IMG_TAG.sub(readable, body)


def svg_local_text(tag: str, folder: Path) -> SvgText | None:
    attributes = dict(ATTRIBUTE.findall(tag))
    path = local_svg(html.unescape(attributes.get("src", "")), folder)
    return svg_text(path) if path else None


def widened(tag: str, width_pt: float) -> str:
    """``tag`` at least ``width_pt`` wide; wider than the text, it reaches into both side
    margins alike, so it stays centred on the page."""
    overhang = f"min(0pt, calc((100% - {width_pt:.1f}pt) / 2))"
    return with_style(tag, f"min-width: {width_pt:.1f}pt; margin-left: {overhang}; "
                           f"margin-right: {overhang}")


def with_style(tag: str, rule: str) -> str:
    attributes = dict(ATTRIBUTE.findall(tag))
    if "style" in attributes:
        style = attributes["style"].rstrip("; ")
        return tag.replace(f'style="{attributes["style"]}"', f'style="{style}; {rule}"', 1)
    return tag.replace("<img", f'<img style="{rule}"', 1)


def with_class(tag: str, name: str) -> str:
    """The opening ``tag`` with the class ``name`` added."""
    found = FIGURE_CLASS.search(tag)
    if found:
        return tag.replace(found.group(0), f' class="{found.group(1)} {name}"', 1)
    return tag.replace(">", f' class="{name}">', 1)


def local_svg(src: str, folder: Path) -> Path | None:
    """The SVG file in the article's folder that ``src`` names, if it is one."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path.lower().endswith(".svg"):
        return None
    path = (folder / unquote(parts.path)).resolve()
    return path if path.is_relative_to(folder.resolve()) and path.is_file() else None


def svg_text(path: Path) -> SvgText | None:
    """The SVG's smallest label and drawing width; None without text, or when the file
    cannot be read safely (the build reports bad SVGs on its own)."""
    from lxml import etree  # only for a leaflet with SVG figures
    try:
        if path.stat().st_size > MAX_FIGURE_SVG_BYTES:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(path.read_bytes(), parser)
    except (OSError, etree.XMLSyntaxError):
        return None
    width = drawing_width(root)
    sizes = [font_size(element) for element in root.iter()
             if isinstance(element.tag, str) and etree.QName(element).localname in TEXT_ELEMENTS
             and (element.text or "").strip()]
    sizes = [size for size in sizes if size > 0]
    if width is None or not sizes:
        return None
    return SvgText(min(sizes), width)


def drawing_width(root: etree._Element) -> float | None:
    """The width of the SVG's user space: the viewBox's, else the width attribute's."""
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width = float(view_box[2])
        except ValueError:
            width = 0
        return width if width > 0 else None
    width = length(root.get("width"), DEFAULT_FONT_SIZE)
    return width if width and width > 0 else None


def font_size(element: etree._Element) -> float:
    """The element's computed font-size in user units (inherited, em and % resolved)."""
    chain = [element, *element.iterancestors()][::-1]
    size = DEFAULT_FONT_SIZE
    for node in chain:
        declared = declared_font_size(node)
        if declared is not None:
            size = length(declared, size) or size
    return size


def declared_font_size(node: etree._Element) -> str | None:
    """The style attribute wins over the presentation attribute, as in CSS."""
    match = FONT_SIZE_IN_STYLE.search(node.get("style") or "")
    return match.group(1) if match else node.get("font-size")


def length(value: str | None, inherited: float) -> float | None:
    match = LENGTH.match(value or "")
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit == "em":
        return number * inherited
    if unit == "%":
        return number * inherited / 100
    return number * UNITS[unit]
