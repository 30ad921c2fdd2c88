"""Writing direction: which languages are written right to left, and, in a
right-to-left leaflet, the Latin runs (URLs, citations, reference entries,
number ranges) marked as left to right, so that each keeps its own order.

The Unicode bidi algorithm gets most mixed text right on its own, but not the
edges of a Latin run: the slash that ends a URL, the "–" of "10–20", the
full stop of a reference entry take the paragraph's direction and move to the
wrong end. A run marked ``dir="ltr"`` (a ``Span``) is laid out as a unit in
its own direction, both by WeasyPrint (which gives the run its own Pango
layout) and by e-readers (HTML isolates every element with ``dir``).
Unicode's isolate characters (U+2066-U+2069) are not used: WeasyPrint 70
ignores them where a line breaks inside the run, and they would end up in
copied text, braille and speech.

Punctuation at the edges of a run that stands inside right-to-left text stays
outside it (``(Kumar 2013).`` → ``(`` + run + ``).``), so that it belongs to
the sentence, and a sentence's full stop ends it on the left.
"""
from __future__ import annotations

import re
import unicodedata

from .ast import attr, stringify

# Languages written right to left, by their primary subtag (BCP 47), and the scripts
# (a tag's script subtag, as in ku-Arab or pa-Arab) that make any language right to left.
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "he"})
RIGHT_TO_LEFT_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"})

LEFT_TO_RIGHT_MARK = [["dir", "ltr"]]
# Kept outside a run: what opens or closes the sentence or clause around it.
OPENING = "([{\"'\u201c\u2018\u00ab"
CLOSING = ".,;:!?)]}\"'\u201d\u2019\u00bb\u2026\u060c\u061b\u061f\u06d4"
# Numbers in groups ("10–20", "0113 496 0000", "2013;15:131"): the algorithm alone sets
# the groups right to left, "20–10".
NUMBER_GROUPS = re.compile(r"[0-9]\W+[0-9]")
# Inlines that are never part of a run: their text is not the sentence's.
RUN_BREAKERS = frozenset({"Note", "Image", "RawInline", "Math", "LineBreak"})
SPACES = frozenset({"Space", "SoftBreak"})
# Spans that pandoc writes as blocks (a reference's number and text), only while they have
# nothing but their class: never put inside another span, nor marked; their words are.
BLOCK_SPAN_CLASSES = frozenset({"csl-block", "csl-left-margin", "csl-right-inline", "csl-indent"})
INLINES = frozenset({"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript",
                     "SmallCaps", "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak",
                     "Math", "RawInline", "Link", "Image", "Note", "Span"})


def is_right_to_left(lang: str) -> bool:
    """Whether a BCP 47 tag names a language written right to left."""
    primary, *subtags = lang.lower().split("-")
    scripts = [tag for tag in subtags if len(tag) == 4 and tag.isalpha()]
    if scripts:
        return scripts[0] in RIGHT_TO_LEFT_SCRIPTS
    return primary in RIGHT_TO_LEFT_LANGUAGES


def keeps_own_direction(text: str) -> bool:
    """Whether ``text`` inside right-to-left text must be marked left to right: it has
    letters written left to right or numbers in groups, and nothing written right to left."""
    kinds = {unicodedata.bidirectional(char) for char in text}
    if kinds & {"R", "AL"}:
        return False
    return "L" in kinds or bool(NUMBER_GROUPS.search(text))


def with_latin_runs_isolated(node: object) -> object:
    """A copy of ``node`` (a document, blocks or inlines) with each left-to-right run
    inside right-to-left text in a ``Span`` with ``dir="ltr"``; ``node`` is unchanged."""
    if isinstance(node, list):
        if node and all(isinstance(item, dict) and item.get("t") in INLINES for item in node):
            return isolated_inlines(node)
        return [with_latin_runs_isolated(item) for item in node]
    if isinstance(node, dict):
        if node.get("t") == "Image":
            return node  # its description becomes an attribute, not laid-out text
        if is_set_left_to_right(node):
            return node  # a unit in its own direction already (a reference in English)
        return {key: with_latin_runs_isolated(value) for key, value in node.items()}
    return node


def is_set_left_to_right(node: dict) -> bool:
    """A ``Div`` or ``Span`` that carries ``dir="ltr"`` itself."""
    if node.get("t") not in ("Div", "Span"):
        return False
    return ["dir", "ltr"] in node["c"][0][2]


def isolated_inlines(inlines: list[dict]) -> list[dict]:
    kinds = [kind_of(inline) for inline in inlines]
    among_right_to_left = "rtl" in kinds
    result: list[dict] = []
    index = 0
    while index < len(inlines):
        if kinds[index] == "block":
            result.append(with_words_marked(inlines[index])
                          if keeps_own_direction(stringify(inlines[index]))
                          else with_latin_runs_isolated(inlines[index]))
            index += 1
            continue
        end = run_end(kinds, index)
        if end is None:
            inline = inlines[index]
            result.append(inline if kinds[index] in ("latin", "number", "neutral", "space")
                          else with_latin_runs_isolated(inline))
            index += 1
            continue
        result.extend(isolated_run(inlines[index:end], among_right_to_left))
        index = end
    return result


def kind_of(inline: dict) -> str:
    """"space", "break", "block", "rtl", "latin", "number" (European digits, no letters)
    or "neutral"."""
    kind = inline["t"]
    if kind in SPACES:
        return "space"
    if kind in RUN_BREAKERS:
        return "break"
    if kind == "Span" and BLOCK_SPAN_CLASSES.intersection(inline["c"][0][1]):
        return "block"
    text = stringify(inline)
    kinds = {unicodedata.bidirectional(char) for char in text}
    if kinds & {"R", "AL"}:
        return "rtl"
    if "L" in kinds:
        return "latin"
    return "number" if "EN" in kinds else "neutral"


def run_end(kinds: list[str], start: int) -> int | None:
    """The end (exclusive) of the run starting at ``start``: from a Latin or number inline
    to the last such inline before right-to-left text or a break; None if none starts here."""
    if kinds[start] not in ("latin", "number"):
        return None
    end = start + 1
    for index in range(start + 1, len(kinds)):
        if kinds[index] in ("rtl", "break", "block"):
            break
        if kinds[index] in ("latin", "number"):
            end = index + 1
    return end


def isolated_run(run: list[dict], among_right_to_left: bool) -> list[dict]:
    """``run`` marked left to right if it needs to be (``keeps_own_direction``).
    Inside right-to-left text its edge punctuation stays outside; a lone ``Span`` gets
    the mark itself."""
    before, run, after = edge_punctuation(run) if among_right_to_left else ([], run, [])
    text = stringify(run)
    if not run or not keeps_own_direction(text):
        return [*before, *run, *after]
    if len(run) == 1 and run[0]["t"] == "Span":
        return [*before, marked_left_to_right(run[0]), *after]
    return [*before, {"t": "Span", "c": [attr(attributes=LEFT_TO_RIGHT_MARK), run]}, *after]


def with_words_marked(span: dict) -> dict:
    """A block span whose words are all in a span marked left to right."""
    words = span["c"][1]
    return {"t": "Span", "c": [span["c"][0], [{"t": "Span", "c": [attr(attributes=LEFT_TO_RIGHT_MARK),
                                                                   words]}]]}


def marked_left_to_right(span: dict) -> dict:
    identifier, classes, attributes = span["c"][0]
    return {"t": "Span", "c": [[identifier, classes, [*attributes, *LEFT_TO_RIGHT_MARK]], span["c"][1]]}


def edge_punctuation(run: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Opening punctuation at the start of ``run`` and closing punctuation at its end, split
    off the ``Str`` they are in."""
    run = list(run)
    before: list[dict] = []
    after: list[dict] = []
    if run and run[0]["t"] == "Str":
        text = run[0]["c"]
        stripped = text.lstrip(OPENING)
        if stripped != text:
            before = [{"t": "Str", "c": text[:len(text) - len(stripped)]}]
            run[0] = {"t": "Str", "c": stripped}
    if run and run[-1]["t"] == "Str":
        text = run[-1]["c"]
        stripped = text.rstrip(CLOSING)
        if stripped != text:
            after = [{"t": "Str", "c": text[len(stripped):]}]
            run[-1] = {"t": "Str", "c": stripped}
    run = [inline for inline in run if not (inline["t"] == "Str" and not inline["c"])]
    return before, run, after
