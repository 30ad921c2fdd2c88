"""The pandoc AST: walking it, reading its text, and making the few elements
the other stages add."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

def walk(node: object, visit: Callable[[dict], None]) -> None:
    """Call ``visit`` on every element (dict with a ``t``) under ``node``, in document order."""
    if type(node) is dict:
        if "t" in node:
            visit(node)
        values = node.values()
    elif type(node) is list:
        values = node
    else:
        return
    # A build walks the AST a dozen times: strings and numbers, half of what it holds,
    # are skipped here rather than in a call each (a third faster).
    for value in values:
        kind = type(value)
        if kind is dict or kind is list:
            walk(value, visit)


def elements(node: object, kind: str) -> Iterator[dict]:
    """Every element of type ``kind`` under ``node``, in document order."""
    found: list[dict] = []
    walk(node, lambda element: found.append(element) if element["t"] == kind else None)
    return iter(found)


QUOTATION_MARKS = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def stringify(node: object, *, quotes: bool = False) -> str:
    """Plain text of inlines or blocks, as pandoc's own ``stringify``; with ``quotes``,
    a ``Quoted`` element's quotation marks are text too, as a reader sees them."""
    parts: list[str] = []

    def visit(element: object) -> None:
        if isinstance(element, list):
            for child in element:
                visit(child)
            return
        if not isinstance(element, dict):
            return
        kind = element.get("t")
        if kind == "Str":
            parts.append(element["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(element["c"][1])
        elif kind == "Quoted" and quotes:
            opening, closing = QUOTATION_MARKS[element["c"][0]["t"]]
            parts.append(opening)
            visit(element["c"][1])
            parts.append(closing)
            return
        for value in element.values():
            visit(value)

    visit(node)
    return "".join(parts)


def text_inlines(text: str) -> list[dict]:
    """``Str``/``Space`` inlines for plain ``text``."""
    inlines: list[dict] = []
    for index, word in enumerate(re.split(r"\s+", text.strip())):
        if index:
            inlines.append({"t": "Space"})
        if word:
            inlines.append({"t": "Str", "c": word})
    return inlines


def attr(identifier: str = "", classes: list[str] | None = None,
         attributes: list[list[str]] | None = None) -> list:
    return [identifier, classes or [], attributes or []]


def meta_inlines(text: str) -> dict:
    return {"t": "MetaInlines", "c": text_inlines(text)}


def meta_string(text: str) -> dict:
    return {"t": "MetaString", "c": text}


def meta_list(items: list[dict]) -> dict:
    return {"t": "MetaList", "c": items}



# Elements that hold others and so make the text one level deeper: lists, quotes, divs,
# notes, tables, and emphasis, links and spans. Paragraphs and headings do not count: every
# piece of text sits in one.
NESTING_ELEMENTS = frozenset({
    "BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Div", "Figure", "Table", "Note",
    "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted",
    "Cite", "Link", "Image", "Span"})


def first_too_deep(node: object, limit: int) -> list[dict] | None:
    """The nesting elements from the outside in to the first one nested more than ``limit``
    deep, or None. Iterative, unlike everything else here: it runs before anything walks a
    document that could be too deep for recursion."""
    stack: list[tuple[object, tuple[dict, ...]]] = [(node, ())]
    while stack:
        value, outer = stack.pop()
        if type(value) is dict:
            if value.get("t") in NESTING_ELEMENTS:
                outer = (*outer, value)
                if len(outer) > limit:
                    return list(outer)
            children = value.values()
        elif type(value) is list:
            children = value
        else:
            continue
        stack.extend((child, outer) for child in reversed(list(children))
                     if type(child) is dict or type(child) is list)
    return None


def first_text(node: object) -> str | None:
    """The first ``Str`` under ``node``, found without recursion."""
    stack = [node]
    while stack:
        value = stack.pop()
        if type(value) is dict and value.get("t") == "Str":
            return value["c"]
        children = value.values() if type(value) is dict else value if type(value) is list else ()
        stack.extend(reversed(list(children)))
    return None
