"""Markdown that pandoc could not make sense of, and leaves in the text as written.

A footnote mark with no note (``[^crutch]``), a link to a reference nobody
defined (``[the leaflet][nope]``) and emphasis that is never closed
(``*take two tablets``) all print as raw Markdown in the patient's leaflet,
and pandoc builds them without a word. Each is an error naming its line, and so
is a footnote that is defined but never used: the note the author wrote is
missing from the leaflet.

How they are found: in pandoc's AST such leftovers are plain text (``Str``)
holding ``[^``, ``][`` or a ``*``/``_`` run at the edge of a word. The same
characters typed on purpose are escaped in the source (``\\[^``, ``\\*``), so a
leftover counts only where the source has it unescaped; its line is the first
such line. Footnote definitions are read from the source (pandoc keeps no
trace of an unused one in its AST; it only warns).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import SourceError

NOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
REFERENCE_LINK = re.compile(r"\]\[([^\]]*)\]")
# A run of * or _ opening a word ("*unclosed", "__also"), or of * closing one ("here**"):
# pandoc reads an underscore inside a word as a letter, so only a * can close one.
OPENING_RUN = re.compile(r"^(\*+|_+)(\w+|[^\s*_])")
CLOSING_RUN = re.compile(r"(\w+|[^\s*_\\])(\*+)[^\w*]*$")
NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
FENCE = re.compile(r"^ {0,3}(```+|~~~+)")


def check_no_leftover_markdown(doc: dict, markdown: str, path: Path) -> None:
    """Raise ``SourceError`` at the first line where Markdown was left as text, or where a
    footnote is defined but never used."""
    problems = [*leftovers_in_text(doc, markdown), *unused_notes(markdown)]
    if problems:
        line, message, hint = min(problems, key=lambda problem: problem[0])
        more = f" ({len(problems) - 1} more such problem(s) after it)" if len(problems) > 1 else ""
        raise SourceError(message + more, file=path, line=line, hint=hint)


def leftovers_in_text(doc: dict, markdown: str) -> Iterator[tuple[int, str, str]]:
    lines = markdown.split("\n")
    for text in texts_outside_citations(doc["blocks"]):
        for needle, message, hint in suspicious(text):
            line = line_typed_unescaped(lines, needle)
            if line is not None:
                yield line, message, hint


def texts_outside_citations(blocks: list) -> set[str]:
    """The text of every ``Str``, except in citations (``[@key, p. 3]`` as written, which
    the citation stage replaces)."""
    texts: set[str] = set()
    stack: list[object] = [blocks]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                texts.add(node["c"])
            elif kind != "Cite" and isinstance(node.get("c"), (list, dict)):
                stack.append(node["c"])
    return texts


def suspicious(text: str) -> Iterator[tuple[str, str, str]]:
    """What in one piece of text looks like Markdown pandoc left alone: the characters
    to look for in the source, the message and how to fix it."""
    for mark in NOTE_MARK.finditer(text):
        yield (mark.group(), f"the footnote mark '{mark.group()}' has no footnote, so it would "
               "print as it is written",
               f"add the note on a line of its own: '[^{mark.group(1)}]: The note's text.', "
               f"or check the spelling of the mark (to print it as it is, write \\[^{mark.group(1)}])")
    for link in REFERENCE_LINK.finditer(text):
        label = link.group(1)
        shown = f"[...][{label}]" if label else text
        yield (link.group(), f"the link '{shown}' refers to '{label or text[1:-3]}', which no "
               "line defines, so it would print as it is written",
               f"add a line '[{label or '...'}]: https://...' with the address, or write the "
               "link as [text](https://...)")
    if (opening := OPENING_RUN.match(text)) is not None:
        run = opening.group(1)
        yield (opening.group(), f"'{run}' opens emphasis in '{text}' that is never closed, so "
               f"it would print as it is written",
               f"close it with '{run}' after the last word to emphasise (on the same paragraph), "
               f"or write \\{run[0]} for a {'star' if run[0] == '*' else 'underscore'} itself")
    if (closing := CLOSING_RUN.search(text)) is not None:
        run = closing.group(2)
        yield (text[closing.start():closing.end(2)], f"'{run}' closes emphasis in '{text}' that "
               "was never opened, so it would print as it is written",
               f"open it with '{run}' before the first word to emphasise, or write \\* for a "
               "star itself")


def line_typed_unescaped(lines: list[str], needle: str) -> int | None:
    """The first line outside code blocks where ``needle`` is typed with no backslash
    before its Markdown characters."""
    pattern = re.compile("".join(
        (r"(?<!\\)" + re.escape(character)) if character in "[]*_^" else re.escape(character)
        for character in needle))
    if needle[0] in "*_":  # the whole run: '*two' is not the end of '**two'
        pattern = re.compile(f"(?<!{re.escape(needle[0])})" + pattern.pattern)
    if needle[-1] in "*_":
        pattern = re.compile(pattern.pattern + f"(?!{re.escape(needle[-1])})")
    for number, line in lines_outside_code(lines):
        if pattern.search(line):
            return number
    return None


def lines_outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        opening = FENCE.match(line)
        if opening is not None:
            if fence is None:
                fence = opening.group(1)[0] * 3
            elif opening.group(1).startswith(fence):
                fence = None
            continue
        if fence is None:
            yield number, line


def unused_notes(markdown: str) -> Iterator[tuple[int, str, str]]:
    lines = list(lines_outside_code(markdown.split("\n")))
    defined: dict[str, int] = {}
    for number, line in lines:
        definition = NOTE_DEFINITION.match(line)
        if definition is not None:
            defined.setdefault(definition.group(1), number)
    if not defined:
        return
    used = set()
    for _, line in lines:
        start = NOTE_DEFINITION.match(line)
        rest = line[start.end():] if start else line
        used.update(mark.group(1) for mark in NOTE_MARK.finditer(rest)
                    if mark.start() == 0 or rest[mark.start() - 1] != "\\")
    for label, number in defined.items():
        if label not in used:
            yield (number, f"the footnote '[^{label}]' is written but never used, so it would "
                   "not be in the leaflet",
                   f"put the mark [^{label}] in the text where the note belongs, or remove "
                   "the note")
