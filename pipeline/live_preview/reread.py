"""The live preview's shortcut for pandoc: after an edit, ask it about the changed part only.

pandoc takes about 45 ms to read the sciatica article and 20 ms to write its
HTML, a quarter of a preview rebuild. After a one-word edit, almost all of
its answer would be what it said last time. ``SplicingPandoc`` keeps the
previous answers and:

- reading: finds the paragraph (the lines between blank lines) the edit is
  in, has pandoc read that paragraph before and after the edit on its own,
  and, if the "before" blocks are found in the previous AST, puts the
  "after" blocks in their place;
- writing HTML: finds the top-level blocks that differ from the previous
  build's, has pandoc write them before and after, and, if the "before"
  HTML is found once in the previous HTML, puts the "after" HTML there.

Meanwhile pandoc reads (and writes) the whole document on the other core, at
a lower priority than the layout and the EPUB. The build goes on with the
spliced answers, and ``confirm``, called before
any output replaces the previous one (``build.write_output``), compares
them with pandoc's whole answers. If one differs (a paragraph that means
something else on its own: a footnote defined elsewhere, a heading whose
identifier another heading already took), the build raises ``Misread`` and
``build`` starts again from pandoc's whole answers. The outputs are thus
always exactly what a full build writes; the splice only saves the wait.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..build import Rebuild
from ..pandoc.run import (HTML_ARGS, READ_ARGS, Pandoc, PandocRun, ReadAlready, ast_to_html,
                          markdown_to_ast, parse_ast, refuse_if_plainly_too_deep, run_pandoc,
                          start_pandoc)

# The live preview's check of its spliced pandoc answers: pandoc's whole answers are only
# waited for at the end, and a lower priority keeps them from slowing down the layout
# (with two cores, three pandoc runs and WeasyPrint share them).
CHECK_NICENESS = 10

# citationNoteNum counts citations and notes through the whole document: a paragraph
# read on its own counts from 1, so the number is compared apart and shifted.
NOTE_NUMBER = "citationNoteNum"


# Stands between the two parts pandoc is given to write in one run.
MARKER = "<!-- leaflet-pipeline: edited part -->"
MARKER_BLOCK = {"t": "RawBlock", "c": ["html", MARKER]}

class Misread(Rebuild):
    """A spliced answer was not pandoc's: the build must start again."""


@dataclass
class Pending:
    """A spliced answer given to the build, and pandoc's whole answer on its way."""
    kind: str  # "read" or "html"
    question: str  # the markdown, or the AST's JSON
    spliced: str  # the answer the build got: the AST's JSON, or the HTML
    run: PandocRun  # pandoc, giving its whole answer

    def agrees(self, answer: str) -> bool:
        if self.kind == "read":  # pandoc writes its JSON otherwise than Python: compare the trees
            return json.loads(answer) == json.loads(self.spliced)
        return answer == self.spliced


class SplicingPandoc(Pandoc):
    """pandoc for a process that builds the same article again and again."""

    def __init__(self) -> None:
        # The last whole answers pandoc gave, by kind: (question, answer).
        self.last: dict[str, tuple[str, str]] = {}
        self.pending: list[Pending] = []
        self.splicing = True  # off for the build after a misread
        self.confirmed: list[str] = []  # what the last confirmed build had spliced, for tests
        self.misreads = 0

    def start_reading(self, markdown: str, path: Path, timeout: float) -> ReadAlready:
        self.abandon()
        self.confirmed = []
        refuse_if_plainly_too_deep(markdown, path)  # the same limits as a plain build's read
        return ReadAlready(parse_ast(self.ask(
            "read", markdown, READ_ARGS, "reading the article", path, timeout,
            lambda old_markdown, old_json: spliced_read(old_markdown, old_json, markdown, path,
                                                        timeout)),
            markdown, path))

    def html(self, doc: dict, timeout: float, file: Path | None = None) -> str:
        return self.ask("html", json.dumps(doc), HTML_ARGS, "writing HTML", file, timeout,
                        lambda old_json, old_html: spliced_html(old_json, old_html, doc, timeout))

    def ask(self, kind: str, question: str, args: list[str], what: str, file: Path | None,
            timeout: float, splice: Callable[[str, str], str | None]) -> str:
        """pandoc's answer to ``question``: the last one if it is the same question; else,
        if ``splice`` can make it from the last one, that (pandoc's whole answer is asked
        for meanwhile, for ``confirm``); else pandoc's whole answer, waited for."""
        if kind in self.last and self.last[kind][0] == question:
            return self.last[kind][1]
        spliced = splice(*self.last[kind]) if self.splicing and kind in self.last else None
        if spliced is None:
            self.last[kind] = (question, run_pandoc(args, question, timeout, what=what, file=file))
            return self.last[kind][1]
        run = start_pandoc(args, question, timeout, what=what, file=file)
        # Checking may take the time left over: the PDF's layout and the EPUB go first.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, run.process.pid, CHECK_NICENESS)
        self.pending.append(Pending(kind, question, spliced, run))
        return spliced

    def confirm(self) -> None:
        """Wait for pandoc's whole answers; raise ``Misread`` if a spliced one differs.
        The next build then gets pandoc's whole answers, and nothing spliced."""
        pending, self.pending = self.pending, []
        try:
            for spliced in pending:
                answer = spliced.run.result()  # raises pandoc's own error, if any
                self.last[spliced.kind] = (spliced.question, answer)
                if not spliced.agrees(answer):
                    self.splicing = False
                    self.misreads += 1
                    raise Misread(spliced.kind)
        finally:
            for spliced in pending:
                spliced.run.stop()
        self.splicing = True
        if pending:
            self.confirmed = [spliced.kind for spliced in pending]

    def abandon(self) -> None:
        """The build stopped before confirming: pandoc's whole answers are not needed."""
        for spliced in self.pending:
            spliced.run.stop()
        self.pending = []


# --- reading: the changed paragraph ---------------------------------------------------------------

def spliced_read(old_markdown: str, old_json: str, markdown: str, path: Path,
                 timeout: float) -> str | None:
    """The previous AST (as JSON) with the edited paragraph read again, or None if it
    cannot be placed (the edit spans more, or the paragraph reads differently on its own).
    The paragraph is read as a build reads the article (by the pandoc kept running, where
    it can be: a pandoc started for a paragraph spends most of its time starting)."""
    # Two questions, not one with both: in one, a heading in both would have its
    # identifier changed in the second, as a repeated heading's is.
    try:
        old_blocks, new_blocks = (markdown_to_ast(chunk, path, timeout)["blocks"]
                                  for chunk in changed_paragraphs(old_markdown, markdown))
    except Exception:  # noqa: BLE001 - the whole reading will say what is wrong
        return None
    if not old_blocks:
        return None
    doc = json.loads(old_json)
    at = find_blocks(doc["blocks"], old_blocks)
    if at is None or not renumbered(new_blocks, old_blocks, doc["blocks"][at:at + len(old_blocks)]):
        return None
    doc["blocks"][at:at + len(old_blocks)] = new_blocks
    return json.dumps(doc)


def renumbered(new_blocks: list, old_blocks: list, in_document: list) -> bool:
    """Give the new blocks' citations the note numbers they have in the document; False
    if that would change the numbers of the citations after them."""
    first_new, first_old = first_note_number(new_blocks), first_note_number(old_blocks)
    if first_new is None or first_old is None:
        return first_new is None and first_old is None
    shift_note_numbers(new_blocks, first_note_number(in_document) - first_new)
    return count_note_numbers(new_blocks) == count_note_numbers(old_blocks)


def changed_paragraphs(old: str, new: str) -> tuple[str, str]:
    """The lines an edit changed, widened to blank lines on both sides, before and after."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    start, tail = common_ends(old_lines, new_lines)
    while start > 0 and old_lines[start - 1].strip():
        start -= 1
    while tail > 0 and old_lines[len(old_lines) - tail].strip():
        tail -= 1
    return ("\n".join(old_lines[start:len(old_lines) - tail]),
            "\n".join(new_lines[start:len(new_lines) - tail]))


def common_ends(old: list, new: list) -> tuple[int, int]:
    """How many items the two lists share at the start, and then at the end."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < min(len(old), len(new)) - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return start, tail


def find_blocks(blocks: list, wanted: list) -> int | None:
    """Where ``wanted`` appears, once, as consecutive blocks (note numbers aside)."""
    found = [index for index in range(len(blocks) - len(wanted) + 1)
             if all(alike(blocks[index + offset], block) for offset, block in enumerate(wanted))]
    return found[0] if len(found) == 1 else None


def alike(a: object, b: object) -> bool:
    """Equal, but for citation note numbers."""
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(key == NOTE_NUMBER or alike(a[key], b[key]) for key in a))
    if isinstance(a, list):
        return (isinstance(b, list) and len(a) == len(b)
                and all(alike(x, y) for x, y in zip(a, b)))
    return a == b


def note_number_holders(node: object) -> list[dict]:
    found: list[dict] = []

    def visit(value: object) -> None:
        if isinstance(value, dict):
            if NOTE_NUMBER in value:
                found.append(value)
            for child in value.values():
                visit(child)
        elif isinstance(value, list):
            for child in value:
                visit(child)

    visit(node)
    return found


def first_note_number(blocks: list) -> int | None:
    holders = note_number_holders(blocks)
    return holders[0][NOTE_NUMBER] if holders else None


def count_note_numbers(blocks: list) -> int:
    return len({holder[NOTE_NUMBER] for holder in note_number_holders(blocks)})


def shift_note_numbers(blocks: list, by: int) -> None:
    for holder in note_number_holders(blocks):
        holder[NOTE_NUMBER] += by


# --- writing HTML: the changed blocks --------------------------------------------------------------

def spliced_html(old_json: str, old_html: str, doc: dict, timeout: float) -> str | None:
    """The previous HTML with the changed blocks written again, or None if they cannot
    be found in it once."""
    old = json.loads(old_json)
    if old.get("meta") != doc.get("meta"):
        return None
    old_blocks, blocks = old["blocks"], doc["blocks"]
    start, tail = common_ends(old_blocks, blocks)
    before = old_blocks[start:len(old_blocks) - tail]
    after = blocks[start:len(blocks) - tail]
    if not before or not after:
        return None  # a pure insertion or deletion: nothing to find, or to put in its place
    marked = {**doc, "meta": {}, "blocks": [*before, MARKER_BLOCK, *after]}
    try:
        parts = ast_to_html(marked, timeout).split(f"\n{MARKER}\n")
    except Exception:  # noqa: BLE001 - the whole writing will say what is wrong
        return None
    if len(parts) != 2:
        return None
    old_part, new_part = parts[0], parts[1].removesuffix("\n")
    if not old_part.strip() or old_html.count(old_part) != 1:
        return None
    return old_html.replace(old_part, new_part)
