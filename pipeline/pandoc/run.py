"""Stage 2: pandoc, and the few helpers the other stages need to read and
change its JSON AST.

pandoc comes from the ``pypandoc-binary`` wheel, so it is the same version
on every machine. It is called directly (not through ``pypandoc.convert_*``)
so that a hanging pandoc hits a time limit and its messages reach the user.
``start_pandoc`` runs one in the background (the EPUB is written while
WeasyPrint lays out the PDF). The article's reading and its print HTML are asked
of a pandoc kept running (``session.py``), which answers the same, sooner.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Protocol

from ..errors import SourceError
from ..limits import MAX_NESTING_DEPTH
from .ast import first_text, first_too_deep
from .command import check_exit, pandoc_command, timed_out
from .session import SESSION, Question

# pandoc's markdown, minus the extensions that would fetch or run things. Every pandoc
# runs in its sandbox: it reads no file but those its command line names (none here;
# the EPUB writer's are in epub/writer.py), whatever the article asks of it.
MARKDOWN_FORMAT = "markdown"
READ_ARGS = ["--sandbox", "--from", MARKDOWN_FORMAT, "--to", "json"]
HTML_ARGS = ["--sandbox", "--from", "json", "--to", "html5", "--wrap=none"]


def run_pandoc(args: list[str], input_text: str | None, timeout: float, *, what: str,
               file: Path | None = None, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> str:
    """Run pandoc with ``args``; return its standard output."""
    command = [*pandoc_command(), *args]
    try:
        result = subprocess.run(
            command, input=input_text.encode("utf-8") if input_text is not None else None,
            capture_output=True, timeout=timeout, cwd=cwd,
            env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        raise timed_out(timeout, what, file) from None
    check_exit(result.returncode, result.stderr, what, file)
    return result.stdout.decode("utf-8")


class PandocRun:
    """A pandoc started now, whose answer is collected later by ``result``.
    Its input is a file rather than a pipe, so it runs without waiting for us."""

    def __init__(self, args: list[str], input_text: str, timeout: float, *, what: str,
                 file: Path | None, cwd: Path | None, env: dict[str, str] | None) -> None:
        self.timeout, self.what, self.file = timeout, what, file
        self.started = time.monotonic()
        with tempfile.TemporaryFile() as stdin:
            stdin.write(input_text.encode("utf-8"))
            stdin.seek(0)
            self.process = subprocess.Popen(
                [*pandoc_command(), *args], stdin=stdin, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, cwd=cwd, env={**os.environ, **(env or {})})

    def result(self) -> str:
        remaining = max(0.0, self.timeout - (time.monotonic() - self.started))
        try:
            stdout, stderr = self.process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            self.stop()
            raise timed_out(self.timeout, self.what, self.file) from None
        check_exit(self.process.returncode, stderr, self.what, self.file)
        return stdout.decode("utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        # Closed, not read to their end: a child pandoc left (a wrapper script's) may hold them.
        for pipe in (self.process.stdout, self.process.stderr):
            pipe.close()


def start_pandoc(args: list[str], input_text: str, timeout: float, *, what: str,
                 file: Path | None = None, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> PandocRun:
    """Like ``run_pandoc``, but returns at once; ``.result()`` waits for the answer."""
    return PandocRun(args, input_text, timeout, what=what, file=file, cwd=cwd, env=env)


def markdown_to_ast(markdown: str, path: Path, timeout: float) -> dict:
    """Parse the article body (front matter already blanked) into pandoc's AST."""
    return PandocReading(markdown, path, timeout).result()


class Reading(Protocol):
    """pandoc reading an article: ``result`` waits for the AST; ``stop``, once it is not
    wanted (or has been given), lets pandoc go."""

    def result(self) -> dict: ...

    def stop(self) -> None: ...


class PandocReading:
    """pandoc reading the article body (front matter already blanked) from now on: the
    running one's answer (``session.py``), or a one-shot run's."""

    def __init__(self, markdown: str, path: Path, timeout: float) -> None:
        refuse_if_plainly_too_deep(markdown, path)
        self.markdown, self.path = markdown, path
        what = "reading the article"
        self.answer: Question | PandocRun = (
            SESSION.asking("read", markdown, timeout, doing=what, file=path) if SESSION.usable()
            else start_pandoc(READ_ARGS, markdown, timeout, what=what, file=path))

    def result(self) -> dict:
        return parse_ast(self.answer.result(), self.markdown, self.path)

    def stop(self) -> None:
        self.answer.stop()


class ReadAlready:
    """A reading whose AST was there when it was asked for."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc

    def result(self) -> dict:
        return self.doc

    def stop(self) -> None:
        """Nothing is running."""


def refuse_if_plainly_too_deep(markdown: str, path: Path) -> None:
    """Nesting plain from the list and quote markers is refused before pandoc reads it:
    pandoc would take minutes over it."""
    if first_line_nested_too_deep(markdown, OBVIOUSLY_TOO_DEEP) is not None:
        raise nesting_too_deep(markdown, path, None)


def parse_ast(output: str, markdown: str, path: Path) -> dict:
    """pandoc's JSON for ``markdown``, refused if it nests deeper than ``MAX_NESTING_DEPTH``:
    every later stage (the walkers here, citations, WeasyPrint) recurses into it, so this one
    check, made without recursion, keeps them all within Python's stack."""
    try:
        doc = json.loads(output)
    except RecursionError:  # nested hundreds of levels: too deep for even the parser
        raise nesting_too_deep(markdown, path, text_deep_in_json(output)) from None
    except json.JSONDecodeError:  # pragma: no cover - pandoc always writes JSON
        raise SourceError("pandoc could not read the article", file=path) from None
    too_deep = first_too_deep(doc.get("blocks", []), MAX_NESTING_DEPTH)
    if too_deep is not None:
        raise nesting_too_deep(markdown, path, first_text(too_deep[-1]))
    return doc


def nesting_too_deep(markdown: str, path: Path, deepest_text: str | None) -> SourceError:
    line = first_line_nested_too_deep(markdown, MAX_NESTING_DEPTH)
    if line is None and deepest_text:
        line = next((number for number, text in enumerate(markdown.split("\n"), start=1)
                     if deepest_text in text), None)
    return SourceError(
        f"lists, block quotes or emphasis are nested more than {MAX_NESTING_DEPTH} levels deep "
        "here; a leaflet needs three or four at most, and the pipeline reads at most "
        f"{MAX_NESTING_DEPTH}", file=path, line=line,
        hint="indent the inner list items less (or remove some '>' from the start of the "
             "quoted lines), or split the list into several shorter ones")


# Nesting the markers show so plainly that pandoc need not be asked (it takes a minute
# over a few hundred block quotes): a false alarm would need 80 nested list items.
OBVIOUSLY_TOO_DEEP = 4 * MAX_NESTING_DEPTH
JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
JSON_STR = re.compile(r'\{"t":"Str","c":("(?:[^"\\]|\\.)*")')


def text_deep_in_json(output: str) -> str | None:
    """The first text deeper than the parser could go in pandoc's JSON, found without
    parsing it, so that the line can be found from it."""
    depth = 0
    for token in JSON_TOKEN.finditer(output):
        bracket = token.group()
        depth += 1 if bracket in "[{" else -1 if bracket in "]}" else 0
        if depth > 20 * MAX_NESTING_DEPTH:  # deeper than any document that passes
            found = JSON_STR.search(output, token.start())
            return json.loads(found.group(1)) if found else None
    return None


# How a line of Markdown opens block quotes, list items and fenced divs.
QUOTE_MARKER = re.compile(r" {0,3}> ?")
LIST_ITEM = re.compile(r"( *)(?:[-*+]|\(?(?:\d+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)])(?: +|$)")
FENCE = re.compile(r" {0,3}(```|~~~)")
DIV_OPENING = re.compile(r" {0,3}:{3,}[ \t]*[^:\s]")
DIV_CLOSING = re.compile(r" {0,3}:{3,}[ \t]*$")


def first_line_nested_too_deep(markdown: str, limit: int) -> int | None:
    """The first line whose block quotes, list items and divs (as their markers and
    indentation show) go more than ``limit`` deep: where the author can see the problem.
    An estimate (pandoc alone knows the structure), found without recursion."""
    item_indents: list[int] = []  # of the list items the current line is inside
    divs, fenced = 0, False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            continue
        quotes = 0
        while (marker := QUOTE_MARKER.match(line)) is not None:
            quotes, line = quotes + 1, line[marker.end():]
        if DIV_CLOSING.match(line):
            divs = max(0, divs - 1)
            continue
        if DIV_OPENING.match(line):
            divs += 1
        item = LIST_ITEM.match(line)
        indent = len(item.group(1)) if item else len(line) - len(line.lstrip(" "))
        while item_indents and item_indents[-1] >= indent + (0 if item else 1):
            item_indents.pop()
        if item:
            item_indents.append(indent)
        if quotes + divs + len(item_indents) > limit:
            return number
    return None


def ast_to_html(doc: dict, timeout: float, *, file: Path | None = None) -> str:
    """The HTML body for the print template."""
    if SESSION.usable():
        return SESSION.ask("html", json.dumps(doc), timeout, doing="writing HTML", file=file)
    return run_pandoc(HTML_ARGS, json.dumps(doc), timeout, what="writing HTML", file=file)


class Pandoc:
    """How a build has pandoc read the article and write its HTML: straight through,
    the whole document each time. A layer on top of the build may lend it another
    (``build.Shortcuts``; the live preview's reuses the previous build's answers)."""

    def start(self) -> None:
        """Start the pandoc that will answer, so that it starts while the build loads."""
        if SESSION.usable():
            SESSION.start()

    def read(self, markdown: str, path: Path, timeout: float) -> dict:
        return self.start_reading(markdown, path, timeout).result()

    def start_reading(self, markdown: str, path: Path, timeout: float) -> Reading:
        """pandoc starts reading now; the build loads its later stages meanwhile. (The one
        method a subclass overrides to read otherwise: ``read`` goes through it.)"""
        return PandocReading(markdown, path, timeout)

    def html(self, doc: dict, timeout: float, file: Path | None = None) -> str:
        return ast_to_html(doc, timeout, file=file)


PANDOC = Pandoc()
