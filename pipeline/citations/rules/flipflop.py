"""Italics within italics: the inner text set in roman ("flip-flop").

CSL 1.0.2, "Formatting" and "Rich Text Markup": `font-style="italic"` sets a
piece in italics, as `<i>` does in the data. A title in italics that holds
an italic name (a species, a ship: "<i>Life of <i>Homo sapiens</i></i>")
must show the inner words in roman, or they are lost in the italics; this is
how citeproc-js and pandoc's citeproc render it (the CSL test suite's
"flipflop" fixtures), and likewise bold within bold and small caps within
small caps. ``flip_nested_formatting`` rewrites the rendered HTML once a
citation or entry is whole (``settling``): an italic, bold or small-caps tag
opened inside the same formatting becomes a span that sets it back to
normal, and one opened inside that span italic again. The citation stage
reads the spans as pandoc's citeproc writes them (``csl-no-emph``,
``csl-no-strong``, ``csl-no-smallcaps``), which the leaflet's stylesheets set.

A style's own ``font-style="normal"`` (CSL 1.0.2, "Formatting") sets roman
what an enclosing element set in italics: citeproc-py printed nothing for
it, so the italics went on. It is written as the same span
(``font_style_normal_written``) and kept only inside italics; elsewhere
there is nothing to undo, and it goes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from citeproc.formatter.html import TagWrapper

TAG = re.compile(r"<(/?)(i|b|span)(\s[^>]*)?>")
SMALL_CAPS = "font-variant:small-caps"
NORMAL = {"italic": '<span style="font-style:normal;">',
          "bold": '<span style="font-weight:normal;">',
          "small-caps": '<span style="font-variant:normal;">'}
OPENED = {"italic": "<i>", "bold": "<b>", "small-caps": f'<span style="{SMALL_CAPS};">'}


@dataclass
class Opened:
    kind: str | None  # "italic", "bold", "small-caps", or None for another span
    closer: str
    was_on: bool = False


class NormalStyle(TagWrapper):
    tag = "span"
    attributes = {"style": "font-style:normal;"}


def font_style_normal_written(font_style):
    def style(self, text):
        if self.get("font-style") == "normal":
            return NormalStyle(text)
        return font_style(self, text)
    return style


def flip_nested_formatting(rendered: str) -> str:
    if "<" not in rendered:
        return rendered
    on = {kind: False for kind in NORMAL}
    stack: list[Opened] = []
    out: list[str] = []
    position = 0
    for match in TAG.finditer(rendered):
        out.append(rendered[position:match.start()])
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2), match.group(3) or ""
        if closing:
            if not stack:  # a closing tag the data never opened is text ("TwoF</i> Three")
                out.append(match.group().replace("<", "&lt;").replace(">", "&gt;"))
                continue
            opened = stack.pop()
            out.append(opened.closer)
            if opened.kind:
                on[opened.kind] = opened.was_on
            continue
        if name == "span" and attributes.replace(" ", "") == 'style="font-style:normal;"':
            # the style's own roman: undoes italics that are on, else nothing to undo
            stack.append(Opened("italic", "</span>" if on["italic"] else "", on["italic"]))
            out.append(NORMAL["italic"] if on["italic"] else "")
            on["italic"] = False
            continue
        kind = formatting_kind(name, attributes)
        if kind is None:
            stack.append(Opened(None, f"</{name}>"))
            out.append(match.group())
            continue
        stack.append(Opened(kind, "</span>" if on[kind] or name == "span" else f"</{name}>", on[kind]))
        out.append(NORMAL[kind] if on[kind] else match.group())
        on[kind] = not on[kind]
    out.append(rendered[position:])
    return "".join(out)


def formatting_kind(name: str, attributes: str) -> str | None:
    if name == "i":
        return "italic"
    if name == "b":
        return "bold"
    if SMALL_CAPS in attributes.replace(" ", ""):
        return "small-caps"
    return None
