"""The templates in ``styles/templates/`` (the print page, the EPUB cover, the check
report), and the filters they write the pipeline's own words with."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import jinja2

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@functools.lru_cache(maxsize=8)
def template_environment(folder: Path) -> jinja2.Environment:
    """One environment per templates folder and process, so a library or the live preview
    compiles each template once; Jinja2 reloads a template whose file has changed."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["long_date"] = long_date
    environment.filters["in_words"] = in_words
    return environment


def long_date(value: dt.date | None) -> str:
    """25 November 2026: unambiguous wherever the leaflet is read."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def in_words(items: list[str] | tuple[str, ...]) -> str:
    """large print, an A5 booklet or an EPUB e-book: a list as a sentence says it."""
    *rest, last = items or [""]
    return f"{', '.join(rest)} or {last}" if rest else last
