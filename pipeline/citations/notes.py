"""Where a rendered citation goes in the text: footnotes, and the punctuation around them.

After rendering, pandoc's citeproc (``Text.Pandoc.Citeproc``) places the
citations in the document by three rules, which this module repeats so that
a leaflet reads the same whichever engine rendered its citations:

1. In a note style (CSL ``class="note"``, Chicago notes and others) a
   citation in the text becomes a footnote, its first letter capitalized
   ("see" → "See"). With the author in the text (``@key says``) the author
   stays in the text and the rest of the citation goes into the footnote.
2. A citation inside a footnote (``^[... [@key] ...]``) does not make a
   footnote in a footnote: it stays in the footnote's text, in parentheses
   and without its final period, unless it opens the footnote; with the
   author in the text, the rest follows after a comma.
3. A footnote citation after a space loses the space, and punctuation after
   it moves in front of it ("text [@key]." → "text.¹"); a citation printed as
   a superscript loses the space before it ("flow [@key]" → "flow¹"); a period
   after a citation that already ends in one is dropped.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..pandoc.ast import stringify

END_PUNCTUATION = ".,;:!?"
RIGHT_QUOTES = ("\u201d", "\u2019", "\u00bb")
SPACES = ("Space", "SoftBreak")


@dataclass
class RenderedCitation:
    """One citation as the engine rendered it, with the author apart when it goes in the text."""

    body: list[dict]
    author: list[dict] | None = None  # `@key says`: the names that stand in the text

    def in_text(self) -> list[dict]:
        """The citation as it reads in the text of an in-text or numeric style."""
        if self.author is None:
            return self.body
        return self.author + ([{"t": "Space"}] if self.body else []) + self.body


@dataclass(frozen=True)
class Place:
    """Where a citation stands: inside a footnote or not, first in it, what follows it."""

    in_note: bool = False
    opens_note: bool = False
    following: tuple = ()


# --- rules 1 and 2: footnotes -----------------------------------------------------------------

def as_footnotes(blocks: list, cites: list[dict], rendered: list[RenderedCitation]) -> list[list[dict]]:
    """The inlines of each citation of a note style, placed by rules 1 and 2."""
    places = citation_places(blocks)
    result = []
    for cite, citation in zip(cites, rendered):
        place = places.get(id(cite), Place())
        result.append(in_footnote(citation, place) if place.in_note else as_footnote(citation))
    return result


def as_footnote(citation: RenderedCitation) -> list[dict]:
    author = citation.author or []
    if not citation.body:
        return author
    return author + [{"t": "Note", "c": [{"t": "Para", "c": capitalize_first(citation.body)}]}]


def in_footnote(citation: RenderedCitation, place: Place) -> list[dict]:
    if citation.author is not None:
        body = citation.body if needs_period(place.following) else remove_final_period(citation.body)
        if not citation.body:
            return citation.author
        separator = [{"t": "Str", "c": ","}, {"t": "Space"}] if citation.author else []
        return citation.author + separator + body
    if place.opens_note or not citation.body:
        return citation.body
    return [{"t": "Str", "c": "("}, *remove_final_period(citation.body), {"t": "Str", "c": ")"}]


def citation_places(blocks: list) -> dict[int, Place]:
    """Every Cite inside a footnote, by ``id()``, with its place."""
    places: dict[int, Place] = {}

    def visit(node: object, in_note: bool) -> None:
        if isinstance(node, list):
            for index, child in enumerate(node):
                if isinstance(child, dict) and child.get("t") == "Cite" and in_note:
                    places[id(child)] = Place(True, False, tuple(node[index + 1:]))
                visit(child, in_note)
        elif isinstance(node, dict):
            if node.get("t") == "Note":
                opening = opening_cite(node["c"])
                visit(node["c"], True)
                if opening is not None:
                    places[id(opening)] = Place(True, True, places[id(opening)].following)
                return
            for value in node.values():
                visit(value, in_note)

    visit(blocks, False)
    return places


def note_numbers(blocks: list) -> dict[int, int]:
    """The footnote number of every Cite of a note style, by ``id()``, as pandoc numbers the
    footnotes: a citation in the text makes a footnote of its own, one inside the author's
    footnote is in that footnote. Read by the `position` rules (first-reference-note-number,
    near-note, ibid after a note of several citations)."""
    numbers: dict[int, int] = {}
    count = 0

    def visit(node: object, note: int | None) -> None:
        nonlocal count
        if isinstance(node, list):
            for child in node:
                visit(child, note)
        elif isinstance(node, dict):
            if node.get("t") == "Note":
                count += 1
                visit(node["c"], count)
                return
            if node.get("t") == "Cite":
                if note is None:
                    count += 1
                numbers[id(node)] = note if note is not None else count
            for value in node.values():
                visit(value, note)

    visit(blocks, None)
    return numbers


def opening_cite(note_blocks: list) -> dict | None:
    """The citation a one-paragraph footnote starts with, unless its author is in the text."""
    if len(note_blocks) != 1 or note_blocks[0]["t"] != "Para" or not note_blocks[0]["c"]:
        return None
    first = note_blocks[0]["c"][0]
    if first["t"] == "Cite" and first["c"][0] and first["c"][0][0]["citationMode"]["t"] != "AuthorInText":
        return first
    return None


def needs_period(following: tuple) -> bool:
    """An author-in-text citation keeps its period at the end of the note or before a capital."""
    for node in following:
        if node["t"] in SPACES:
            continue
        return node["t"] == "Str" and node["c"][:1].isupper()
    return True


def capitalize_first(inlines: list[dict]) -> list[dict]:
    """CSL 1.0.2 "capitalize-first" on the footnote text: its first letter, if lower case."""
    if inlines and inlines[0]["t"] == "Str":
        text = inlines[0]["c"]
        if text[:1].islower():
            return [{"t": "Str", "c": text[0].upper() + text[1:]}, *inlines[1:]]
    elif inlines and inlines[0]["t"] in ("Emph", "Strong", "SmallCaps", "Span"):
        first = inlines[0]
        if first["t"] == "Span":
            return [{"t": "Span", "c": [first["c"][0], capitalize_first(first["c"][1])]}, *inlines[1:]]
        return [{"t": first["t"], "c": capitalize_first(first["c"])}, *inlines[1:]]
    return inlines


def remove_final_period(inlines: list[dict]) -> list[dict]:
    """The citation without its final period (inside markup and before a closing quote too)."""
    if not inlines:
        return inlines
    *init, last = inlines
    kind = last["t"]
    if kind == "Span":
        return [*init, {"t": "Span", "c": [last["c"][0], remove_final_period(last["c"][1])]}]
    if kind in ("Emph", "Strong", "SmallCaps"):
        return [*init, {"t": kind, "c": remove_final_period(last["c"])}]
    if kind == "Str":
        text = last["c"]
        if text.endswith("."):
            return [*init, {"t": "Str", "c": text[:-1]}]
        if text.endswith(RIGHT_QUOTES):
            before = [*init, {"t": "Str", "c": text[:-1]}] if text[:-1] else init
            return [*remove_final_period(before), {"t": "Str", "c": text[-1]}]
    return inlines


# --- rule 3: spaces and punctuation around note citations ---------------------------------------

def place_citations(blocks: list, *, notes_after_punctuation: bool) -> None:
    """Apply rule 3 to every list of inlines that holds a citation, in place."""
    def visit(node: object) -> None:
        if isinstance(node, list):
            if any(isinstance(child, dict) and child.get("t") == "Cite" for child in node):
                node[:] = move_punctuation(node, notes_after_punctuation)
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            for value in node.values():
                visit(value)
    visit(blocks)


def move_punctuation(inlines: list[dict], move: bool) -> list[dict]:
    out: list[dict] = []
    rest = list(inlines)
    while rest:
        x = rest[0]
        if x["t"] in SPACES:
            out.append(x)
            rest = rest[1:]
        elif len(rest) >= 3 and rest[1]["t"] in SPACES and is_note_citation(rest[2]):
            # 'x [^1],' -> 'x,[^1]'
            cite, following = rest[2], rest[3:]
            punctuation = leading_punctuation(following)
            if move and punctuation:
                out += [x, {"t": "Str", "c": punctuation}, cite]
                rest = drop_leading_punctuation(following)
            else:
                out += [x, cite]
                rest = following
        elif (move and x["t"] == "Cite" and x["c"][1] and is_note_like(x["c"][1][-1])
              and starts_with_end_punctuation(rest[1:])):
            # 'x[^1],' -> 'x,[^1]'
            *before, note = x["c"][1]
            punctuation = leading_punctuation(rest[1:])
            added = [] if ends_with_punctuation(before) else [{"t": "Str", "c": punctuation}]
            out.append({"t": "Cite", "c": [x["c"][0], before + added + [note]]})
            rest = drop_leading_punctuation(rest[1:])
        elif (x["t"] == "Cite" and len(rest) > 1 and rest[1] == {"t": "Str", "c": "."}
              and stringify(x["c"][1]).endswith(".")):
            out.append(x)
            rest = rest[2:]
        else:
            out.append(x)
            rest = rest[1:]
    return out


def is_note_like(node: dict) -> bool:
    """pandoc treats a superscript citation like a footnote when placing it."""
    return node["t"] in ("Note", "Superscript")


def is_note_citation(node: dict) -> bool:
    return node["t"] == "Cite" and len(node["c"][1]) == 1 and is_note_like(node["c"][1][0])


def is_punctuation(char: str) -> bool:
    """Unicode punctuation, except the dashes notes and quotes do not move around."""
    return unicodedata.category(char).startswith("P") and char not in "\u2014\u2013"


def leading_punctuation(inlines: list[dict]) -> str:
    text = stringify(inlines)
    end = 0
    while end < len(text) and is_punctuation(text[end]):
        end += 1
    return text[:end]


def starts_with_end_punctuation(inlines: list[dict]) -> bool:
    return stringify(inlines)[:1] in tuple(END_PUNCTUATION)


def ends_with_punctuation(inlines: list[dict]) -> bool:
    text = stringify(inlines)
    if not text:
        return True
    if len(text) > 1 and is_punctuation(text[-1]) and text[-2] in END_PUNCTUATION:
        return True  # '.)' and '."'
    return text[-1] in END_PUNCTUATION


def drop_leading_punctuation(inlines: list[dict]) -> list[dict]:
    rest = list(inlines)
    while rest and rest[0]["t"] == "Str":
        text = rest[0]["c"]
        stripped = 0
        while stripped < len(text) and is_punctuation(text[stripped]):
            stripped += 1
        kept = text[stripped:]
        if kept:
            return [{"t": "Str", "c": kept}, *rest[1:]]
        rest = rest[1:]
    return rest
