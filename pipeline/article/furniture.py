"""The pipeline's own parts of a leaflet, which an article may not forge or hide.

The approvals, the DRAFT mark, the footer, the contact box and the clinic's
banner are elements of the templates (``styles/templates/``) with classes
and identifiers the stylesheets (``styles/*.css``) place and style. An
article that gave its own text one of those classes (``::: {.approvals}``,
``[x]{.draft-mark}``, a raw ``<div class="approvals">`` that pandoc reads as
a div) would print as the pipeline's: "Approved by" on a leaflet nobody
signed, or a running string that replaces the DRAFT mark. So the classes and
identifiers are read from the leaflet's templates and stylesheets themselves
(``LEAFLET_STYLES``: a clinic that adds a class to its template is covered too) and ``safety.py`` takes them off the
article's elements, with a warning.

A few classes the stylesheets style are the article's to use, as pandoc's
Markdown makes them (``[text]{.smallcaps}``): ``ARTICLE_CLASSES``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

# Classes pandoc's Markdown gives the article's own text, which styles/ may style.
ARTICLE_CLASSES = frozenset({"smallcaps", "underline", "mark", "unnumbered", "unlisted"})
# Classes the pipeline writes from Python rather than from a template.
WRITTEN_BY_THE_PIPELINE = frozenset({"approvals", "leaflet-details", "missing-image", "draft",
                                     "draft-mark", "draft-notice"})
# What a leaflet is made of: its templates and stylesheets (not the site's or the reports').
LEAFLET_STYLES = ("templates/leaflet.html", "templates/sign-off.html", "templates/cover.svg",
                  "leaflet.css", "epub.css", "narrated-epub.css", "fonts.css")
# A class or identifier in a template (class="a b", id="c") or a stylesheet (.a, #c).
TEMPLATE_CLASSES = re.compile(r'\bclass="([^"{}]*)')
TEMPLATE_IDS = re.compile(r'\bid="([^"{}]+)"')
CSS_CLASS = re.compile(r"(?<![\w-])\.(-?[_a-zA-Z][\w-]*)")
CSS_ID = re.compile(r"(?<![\w&-])#(-?[_a-zA-Z][\w-]*)")
CSS_COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', re.DOTALL)
CSS_DECLARATIONS = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Furniture:
    classes: frozenset[str]
    ids: frozenset[str]


def furniture(theme_dir: Path) -> Furniture:
    """The classes and identifiers of the pipeline's own elements in ``theme_dir``."""
    files = [theme_dir / name for name in LEAFLET_STYLES]
    stamps = tuple((str(path), path.stat().st_mtime_ns) for path in files if path.is_file())
    return furniture_of(stamps)


@functools.lru_cache(maxsize=8)
def furniture_of(stamps: tuple[tuple[str, int], ...]) -> Furniture:
    classes, ids = set(WRITTEN_BY_THE_PIPELINE), set()
    for name, _ in stamps:
        text = Path(name).read_text(encoding="utf-8", errors="replace")
        if name.endswith(".css"):
            selectors = CSS_DECLARATIONS.sub("{}", CSS_COMMENT_OR_STRING.sub("", text))
            classes.update(CSS_CLASS.findall(selectors))
            ids.update(CSS_ID.findall(selectors))
        else:
            classes.update(word for found in TEMPLATE_CLASSES.findall(text) for word in found.split())
            ids.update(TEMPLATE_IDS.findall(text))
    return Furniture(frozenset(classes - ARTICLE_CLASSES), frozenset(ids - {"refs"}))
