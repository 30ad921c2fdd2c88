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

The file is parsed as ``images.py`` checks it (no entities, no DTD, no
network), and written back without its DOCTYPE.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

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
    """The drawing of ``tree`` (parsed and checked by ``images.check_svg``) without
    anything active; ``SourceError`` if it refers to another file."""
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise SourceError(f"the SVG image '{name}' is not an SVG drawing",
                          hint="export the drawing again as SVG from your drawing program")
    removed = cleaned_attributes(root, name)
    unvisited = [root]
    while unvisited:  # without recursion: images.py bounds the depth, not the stack
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


@functools.lru_cache(maxsize=64)
def cleaned_file(path: Path, modified_ns: int, size: int) -> bytes:
    """The cleaned bytes of the SVG file at ``path``, remembered while the file is unchanged
    (``modified_ns`` and ``size`` are its stat's: a changed file is cleaned again)."""
    from .images import parsed_svg  # the same checks as the article's pictures
    return clean_svg(parsed_svg(path, path.name), path.name).data


def cleaned(path: Path) -> bytes:
    """The SVG at ``path`` as every output receives it."""
    status = path.stat()
    return cleaned_file(path, status.st_mtime_ns, status.st_size)
