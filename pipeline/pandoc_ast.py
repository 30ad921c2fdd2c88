"""Stage 2: pandoc, and the few helpers the other stages need to read and
change its JSON AST.

pandoc comes from the ``pypandoc-binary`` wheel, so it is the same version
on every machine. It is called directly (not through ``pypandoc.convert_*``)
so that a hanging pandoc hits a time limit and its messages reach the user.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pypandoc

from .errors import RenderError, SourceError

# pandoc's markdown, minus the extensions that would fetch or run things.
MARKDOWN_FORMAT = "markdown"


def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], input_text: str | None, timeout: float, *, what: str,
               file: Path | None = None, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> str:
    """Run pandoc with ``args``; return its standard output."""
    command = [pandoc_path(), *args]
    try:
        result = subprocess.run(
            command, input=input_text.encode("utf-8") if input_text is not None else None,
            capture_output=True, timeout=timeout, cwd=cwd,
            env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        raise RenderError(f"pandoc took longer than {timeout:g} s {what} and was stopped",
                          file=file, hint="look for very long lines or deeply nested lists "
                          "near the last change") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit code {result.returncode}"
        raise RenderError(f"pandoc failed {what}: {message}", file=file,
                          hint="fix the Markdown near the place pandoc names")
    return result.stdout.decode("utf-8")


def markdown_to_ast(markdown: str, path: Path, timeout: float) -> dict:
    """Parse the article body (front matter already blanked) into pandoc's AST."""
    output = run_pandoc(["--from", MARKDOWN_FORMAT, "--to", "json"], markdown, timeout,
                        what="reading the article", file=path)
    try:
        return json.loads(output)
    except json.JSONDecodeError:  # pragma: no cover - pandoc always writes JSON
        raise SourceError("pandoc could not read the article", file=path) from None


def ast_to_html(doc: dict, timeout: float, *, file: Path | None = None) -> str:
    """The HTML body for the print template."""
    return run_pandoc(["--from", "json", "--to", "html5", "--wrap=none"], json.dumps(doc), timeout,
                      what="writing HTML", file=file)


# --- reading and changing the AST ----------------------------------------------------------------

def walk(node: object, visit: Callable[[dict], None]) -> None:
    """Call ``visit`` on every element (dict with a ``t``) under ``node``, in document order."""
    if isinstance(node, dict):
        if "t" in node:
            visit(node)
        for value in node.values():
            walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            walk(value, visit)


def elements(node: object, kind: str) -> Iterator[dict]:
    """Every element of type ``kind`` under ``node``, in document order."""
    found: list[dict] = []
    walk(node, lambda element: found.append(element) if element["t"] == kind else None)
    return iter(found)


def stringify(node: object) -> str:
    """Plain text of inlines or blocks, as pandoc's own ``stringify``."""
    parts: list[str] = []

    def visit(element: dict) -> None:
        kind = element["t"]
        if kind == "Str":
            parts.append(element["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(element["c"][1])

    walk(node, visit)
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


def meta_map(entries: dict[str, dict]) -> dict:
    return {"t": "MetaMap", "c": entries}
