"""An SVG picture cleaned to a drawing before any output carries it.

An SVG is a document, not only a picture: it can hold ``<script>``, event
handlers (``onload=``), ``<foreignObject>`` (a whole HTML page), animations
that rewrite its links, and references to other files. The PDF, the EPUB
and the site get the SVG this module writes, never the author's file:

- elements: only those of the allow-list ``DRAWING_ELEMENTS`` (shapes, text,
  gradients, clipping, filters, ``<style>``); anything else is removed with
  what it holds. Drawing programs' own elements (Inkscape's, Illustrator's
  metadata) go silently; active ones (``ACTIVE``) with a warning; a link
  (``<a>``) loses its target and keeps its drawing;
- attributes: none named ``on...``; only SVG's own, ``xml:`` and
  ``xlink:href``;
- references (``href``, ``xlink:href``, CSS ``url()``, ``@import``): only to
  the drawing's own ``#id``, or a PNG, JPEG or GIF picture embedded as
  ``data:``. Anything else names another file: the SVG is refused
  (``SourceError``), as a picture with silently missing parts would mislead.

The file is read here (``parsed_svg``, for the article's pictures in
``images.py`` and for every output alike): no entities, no DTD, no network,
its depth and size bounded; and written back without its DOCTYPE.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..limits import MAX_DATA_NESTING_DEPTH, MAX_SVG_ELEMENTS
from ..errors import SourceError
from .urls import css_urls, normalised, shortened

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
DRAWING_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
})
# Removed with a warning: what would run, or show another document, or change the drawing's links.
ACTIVE = frozenset({"script", "foreignObject", "animate", "animateMotion",
                    "animateTransform", "set", "discard", "iframe", "handler", "listener",
                    "feImage"})
# Embedded pictures an <image> may carry: raster only (an embedded SVG would need cleaning too).
EMBEDDED_PICTURE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z", re.IGNORECASE)
INTERNAL = re.compile(r"#[^\s'\"()]*\Z")
PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True)
class CleanSvg:
    data: bytes
    removed: tuple[str, ...]  # what was active and taken out, for the author's warning


def clean_svg(tree: etree._ElementTree, name: str) -> CleanSvg:
    """The drawing of ``tree`` (parsed and checked by ``parsed_svg``) without
    anything active; ``SourceError`` if it refers to another file."""
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise SourceError(f"the SVG image '{name}' is not an SVG drawing",
                          hint="export the drawing again as SVG from your drawing program")
    removed = cleaned_attributes(root, name)
    unvisited = [root]
    while unvisited:  # without recursion: parsed_svg bounds the depth, not the stack
        for element in list(unvisited.pop()):
            if not isinstance(element.tag, str):  # comments and processing instructions
                remove(element)
                continue
            qname = etree.QName(element)
            if qname == etree.QName(SVG, "a"):  # a link: the drawing stays, the link goes
                removed.append("<a>")
                element.tag = qname = etree.QName(SVG, "g")
                element.attrib.clear()
            if qname.namespace != SVG or qname.localname not in DRAWING_ELEMENTS:
                if qname.localname in ACTIVE:
                    removed.append(f"<{qname.localname}>")
                remove(element)
                continue
            removed += cleaned_attributes(element, name)
            if qname.localname == "style":
                check_references(element.text or "", name)
            unvisited.append(element)
    # The element is gone; its namespace declaration may stay, harmlessly.
    data = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanSvg(data, tuple(dict.fromkeys(removed)))


def remove(element: etree._Element) -> None:
    """Take ``element`` out with what it holds, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def cleaned_attributes(element: etree._Element, name: str) -> list[str]:
    removed = []
    for attribute, value in list(element.attrib.items()):
        qname = etree.QName(attribute)
        if qname.localname.lower().startswith("on"):
            removed.append(f"{qname.localname}=")
            del element.attrib[attribute]
        elif qname.namespace not in (None, XML) and attribute != f"{{{XLINK}}}href":
            del element.attrib[attribute]  # a drawing program's own (inkscape:label, ...)
        elif qname.localname == "href":
            check_reference(value, name, picture=etree.QName(element).localname == "image")
        else:
            check_references(value, name)
    return removed


def check_reference(value: str, name: str, picture: bool = False) -> None:
    clean = normalised(value)
    if INTERNAL.match(clean) or picture and EMBEDDED_PICTURE.match(clean):
        return
    raise refers_to_another_file(value, name)


def check_references(text: str, name: str) -> None:
    """The ``url()`` and ``@import`` of a style or attribute: only the drawing's own."""
    if "url" not in text.lower() and "@import" not in text.lower():
        return
    for url in css_urls(text):
        if not INTERNAL.match(normalised(url)):
            raise refers_to_another_file(url, name)
    if "@import" in text.lower():
        raise refers_to_another_file("@import", name)


def refers_to_another_file(value: str, name: str) -> SourceError:
    return SourceError(f"the SVG image '{name}' refers to another file ({shortened(value)})",
                       hint="embed everything in the SVG, or export it as PNG")


# --- the file: read, refused if it cannot be drawn safely, cleaned ----------------------------

def parsed_svg(path: Path, name: str) -> etree._ElementTree:
    """The SVG's tree, refused if it is not XML, declares entities that read files or
    multiply, or is too deep or too large."""
    # Entities are not expanded, no DTD or network is read; libxml2's own limits
    # (depth 256, entity amplification) stay on: huge_tree is off.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        raise svg_syntax_problem(error, name) from None
    check_svg_entities(tree, name)
    check_svg_shape(tree.getroot(), name)
    return tree


def svg_syntax_problem(error: etree.XMLSyntaxError, name: str) -> SourceError:
    """libxml2's words for its limits are a programmer's: say what they mean."""
    message = error.msg or str(error)
    if "Excessive depth" in message:
        return svg_too_deep(name, error.lineno)
    if "amplification" in message or "entity reference loop" in message.lower():
        return svg_entities_expand(name)
    return SourceError(f"the SVG image '{name}' is not valid XML: {message}",
                       hint="export the drawing again as SVG from your drawing program")


def svg_too_deep(name: str, line: int | None) -> SourceError:
    where = f" (line {line} of the SVG)" if line else ""
    return SourceError(
        f"the SVG image '{name}' nests its elements more than {MAX_DATA_NESTING_DEPTH} levels "
        f"deep{where}; a drawing needs a few", hint="ungroup the drawing in your drawing program "
        "and export it again as SVG, or export it as PNG")


def svg_entities_expand(name: str) -> SourceError:
    return SourceError(
        f"the SVG image '{name}' declares entities that are made of other entities, which "
        "would expand to an enormous text (a 'billion laughs' file)",
        hint="export the drawing again as SVG from your drawing program, or export it as PNG")


def check_svg_entities(tree: etree._ElementTree, name: str) -> None:
    """Drawing programs declare entities as short names for their namespaces; an entity made
    of entities only multiplies text, and one read from a file would read that file."""
    dtd = tree.docinfo.internalDTD
    for entity in dtd.iterentities() if dtd is not None else ():
        if entity.system_url or entity.orig and "&" in entity.orig:
            if entity.system_url:
                raise SourceError(f"the SVG image '{name}' refers to another file "
                                  f"({entity.system_url})",
                                  hint="embed everything in the SVG, or export it as PNG")
            raise svg_entities_expand(name)


def check_svg_shape(root: etree._Element, name: str) -> None:
    """WeasyPrint draws an SVG by recursing into it, and pandoc copies it into the EPUB:
    a tree too deep or too large is refused here, counted without recursion."""
    count = depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        count, depth = count + 1, depth + 1
        if depth > MAX_DATA_NESTING_DEPTH:
            raise svg_too_deep(name, element.sourceline)
        if count > MAX_SVG_ELEMENTS:
            raise SourceError(
                f"the SVG image '{name}' has more than {MAX_SVG_ELEMENTS:,} elements; a drawing "
                "for a leaflet has a few thousand", hint="simplify the drawing in your drawing "
                "program (fewer points and shapes), or export it as PNG")


@functools.lru_cache(maxsize=64)
def cleaned_file(path: Path, modified_ns: int, size: int) -> bytes:
    """The cleaned bytes of the SVG file at ``path``, remembered while the file is unchanged
    (``modified_ns`` and ``size`` are its stat's: a changed file is cleaned again)."""
    return clean_svg(parsed_svg(path, path.name), path.name).data


def cleaned(path: Path) -> bytes:
    """The SVG at ``path`` as every output receives it."""
    status = path.stat()
    return cleaned_file(path, status.st_mtime_ns, status.st_size)
