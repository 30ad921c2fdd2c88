"""The article's structure, as a screen reader meets it: images described,
headings in order, tables with header rows, links that say where they go.
Each finding names the line of the source."""
from __future__ import annotations

import re

from ..pandoc.ast import elements, stringify, walk
from ..article.model import Article
from .findings import ERROR, WARNING, Report

AREA = "accessibility"
BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
TITLE_LEVEL = 1  # the leaflet's title is the only level-1 heading; the article starts at 2


def check_structure(doc: dict, article: Article, report: Report) -> None:
    check_image_descriptions(doc, article, report)
    check_heading_levels(doc, article, report)
    check_table_headers(doc, article, report)
    check_link_texts(doc, article, report)


def at_line(article: Article, needle: str) -> str:
    line = article.line_of(needle) if needle else None
    return f"line {line}" if line else "the article"


def check_image_descriptions(doc: dict, article: Article, report: Report) -> None:
    for image in elements(doc["blocks"], "Image"):
        target = image["c"][2][0]
        if not stringify(image["c"][1]).strip():
            report.add(ERROR, AREA, f"the image '{target}' has no text alternative",
                       at_line(article, target),
                       f"describe it between the brackets: ![What the picture shows]({target})")


def check_heading_levels(doc: dict, article: Article, report: Report) -> None:
    previous = TITLE_LEVEL
    for header in elements(doc["blocks"], "Header"):
        level, text = header["c"][0], stringify(header["c"][2])
        if level > previous + 1:
            report.add(WARNING, AREA, f"the heading '{text}' skips from level {previous} "
                       f"to level {level}", at_line(article, text),
                       f"make it a level-{previous + 1} heading ({'#' * (previous + 1)} {text})")
        previous = level


def check_table_headers(doc: dict, article: Article, report: Report) -> None:
    for table in elements(doc["blocks"], "Table"):
        head_rows = table["c"][3][1]
        has_header = any(stringify(cell[4]).strip() for row in head_rows for cell in row[1])
        if not has_header:
            first_cell = first_body_cell_text(table)
            report.add(WARNING, AREA, f"the table starting '{first_cell[:40]}' has no header row",
                       at_line(article, first_cell[:30]),
                       "give the table a first row of column names and a |---| line under it")


def first_body_cell_text(table: dict) -> str:
    for body in table["c"][4]:
        for row in body[3]:
            for cell in row[1]:
                text = stringify(cell[4]).strip()
                if text:
                    return text
    return ""


def check_link_texts(doc: dict, article: Article, report: Report) -> None:
    def visit(element: dict) -> None:
        if element["t"] != "Link" or "citation-link" in element["c"][0][1]:
            return
        text = stringify(element["c"][1]).strip()
        if BARE_URL.match(text):
            report.add(WARNING, AREA, f"the link text is a bare address ({text})",
                       at_line(article, text),
                       f"say where it goes: [NHS advice on sciatica]({element['c'][2][0]})")
    walk(doc["blocks"], visit)
