"""The templates in ``styles/templates/`` (the print page, the EPUB cover, the check
report), and the filters they write the pipeline's own words with.

Jinja2 compiles a template to Python code on first use; the code is kept in the cache
folder (``TemplateCodeCache``), keyed on the template's file and checked against the
sha1 of its text, so a clinic's edit is compiled again and the next process does not
compile an unchanged one (a few hundredths of a second a build: the page, the EPUB's
cover and sign-off)."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
from pathlib import Path

import jinja2

from ..config import CACHE_DIR

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@functools.lru_cache(maxsize=8)
def template_environment(folder: Path) -> jinja2.Environment:
    """One environment per templates folder and process, so a library or the live preview
    compiles each template once; Jinja2 reloads a template whose file has changed."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=TemplateCodeCache(CACHE_DIR / "templates"))
    environment.filters["long_date"] = long_date
    environment.filters["in_words"] = in_words
    return environment


class TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's own cache of compiled templates in a folder of files; one that cannot be
    read or written is no cache, never an error (the template is compiled as before)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or not Jinja2's: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


def long_date(value: dt.date | None) -> str:
    """25 November 2026: unambiguous wherever the leaflet is read."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def in_words(items: list[str] | tuple[str, ...]) -> str:
    """large print, an A5 booklet or an EPUB e-book: a list as a sentence says it."""
    *rest, last = items or [""]
    return f"{', '.join(rest)} or {last}" if rest else last
