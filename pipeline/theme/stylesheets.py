"""Checking the stylesheets in styles/ before a renderer sees them.

WeasyPrint and e-readers skip CSS they cannot parse without a word, so a
clinic's typo would silently change the leaflet. A syntax error is
therefore an error naming the file and the line.
"""
from __future__ import annotations

import functools
from pathlib import Path

import tinycss2

from ..errors import StyleError


def check_stylesheet(path: Path) -> None:
    if not path.is_file():
        raise StyleError("a stylesheet is missing", file=path,
                         hint="restore it from the project (git checkout styles/)")
    problem = first_syntax_error(path, path.stat().st_mtime_ns)
    if problem is not None:
        line, message = problem
        raise StyleError(f"the stylesheet has a syntax error ({message})", file=path, line=line,
                         hint="check the braces { }, colons and semicolons on that line and the "
                              "one before")


@functools.cache
def first_syntax_error(path: Path, _mtime: int) -> tuple[int, str] | None:
    """(line, message) of the first CSS syntax error; cached per file version."""
    text = path.read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return next(iter(syntax_errors(rules)), None)


def syntax_errors(nodes: list):
    """Parse errors in rules, declarations and nested blocks (@media, @page margin boxes)."""
    for node in nodes:
        if node.type == "error":
            yield node.source_line, node.message
        elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
            yield from syntax_errors(tinycss2.parse_blocks_contents(
                node.content, skip_comments=True, skip_whitespace=True))
