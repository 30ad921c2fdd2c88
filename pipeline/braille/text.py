"""The article as print blocks, in reading order, before any braille.

Each block is one unit a transcriber lays out on its own: a heading, a
paragraph, a list item, one row of a table, one reference. A table becomes
its rows, each read as "header: value" pairs ("Treatment: Strengthening
exercise. How strong is the evidence: Strong."), which a reader follows
line by line where a grid of cells would not fit 40 cells. A citation keeps
its rendered text; a superscript number becomes "[1]" after a space, so that
it does not run into the word before it and the reader can look it up in
the references, which come last as in print.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..pandoc.ast import stringify

# The kinds of block, each laid out in its own way (layout.py).
TITLE, HEADING, PARAGRAPH, ITEM, ROW, REFERENCE = "title", "heading", "paragraph", "item", "row", "reference"
BULLET = "\u2022"
SENTENCE_ENDS = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class PrintBlock:
    kind: str
    text: str
    level: int = 0  # a heading's level; how deep a list item is nested


def print_blocks(blocks: list[dict]) -> list[PrintBlock]:
    """Every block of the article's body, as the blocks braille lays out."""
    found: list[PrintBlock] = []
    for block in blocks:
        found += blocks_of(block, depth=0)
    return [block for block in found if block.text]


def blocks_of(block: dict, depth: int) -> list[PrintBlock]:
    kind, content = block["t"], block.get("c")
    if kind == "Header":
        return [PrintBlock(HEADING, inline_text(content[2]), level=content[0])]
    if kind in ("Para", "Plain"):
        return [PrintBlock(PARAGRAPH, inline_text(content))]
    if kind == "LineBlock":
        return [PrintBlock(PARAGRAPH, inline_text(line)) for line in content]
    if kind == "CodeBlock":
        return [PrintBlock(PARAGRAPH, line) for line in content[1].splitlines()]
    if kind == "BulletList":
        return list_items([f"{BULLET} "] * len(content), content, depth)
    if kind == "OrderedList":
        start = content[0][0]
        return list_items([f"{start + n}. " for n in range(len(content[1]))], content[1], depth)
    if kind == "DefinitionList":
        return [PrintBlock(ITEM, f"{inline_text(term)}: " + " ".join(
            blocks_text(definition) for definition in definitions), level=depth)
            for term, definitions in content]
    if kind == "Table":
        return table_rows(content)
    if kind == "Div" and "csl-entry" in content[0][1]:
        return [PrintBlock(REFERENCE, blocks_text(content[1]))]
    if kind in ("Div", "BlockQuote"):
        return [found for child in (content[1] if kind == "Div" else content)
                for found in blocks_of(child, depth)]
    if kind == "Figure":
        caption = blocks_text(content[1][1])
        inner = [found for child in content[2] for found in blocks_of(child, depth)]
        return inner + ([PrintBlock(PARAGRAPH, caption)] if caption else [])
    return []  # HorizontalRule, RawBlock: nothing a reader reads


def list_items(markers: list[str], items: list[list[dict]], depth: int) -> list[PrintBlock]:
    """One line (and its run-overs) an item; a list inside an item follows it, one deeper."""
    found = []
    for marker, item in zip(markers, items):
        own = [block for block in item if block["t"] in ("Para", "Plain")]
        found.append(PrintBlock(ITEM, marker + " ".join(inline_text(block["c"]) for block in own),
                                level=depth))
        for block in item:
            if block["t"] not in ("Para", "Plain"):
                found += blocks_of(block, depth + 1)
    return found


def table_rows(content: list) -> list[PrintBlock]:
    """Each body row as "header: value" pairs; a table without a header row, its cells."""
    _, caption, _, head, bodies, foot = content
    headers = [cell_text(cell) for row in head[1][:1] for cell in row[1]]
    rows = [row for body in bodies for row in (*body[2], *body[3])] + list(foot[1])
    found = [PrintBlock(PARAGRAPH, blocks_text(caption[1]))]
    for row in rows:
        cells = [cell_text(cell) for cell in row[1]]
        pairs = [f"{header}: {value}" if header else value
                 for header, value in zip(headers + [""] * len(cells), cells) if value]
        found.append(PrintBlock(ROW, " ".join(ended(pair) for pair in pairs)))
    return found


def cell_text(cell: list) -> str:
    return blocks_text(cell[4])


def ended(text: str) -> str:
    """A cell's text as a sentence, so that the next "header:" does not run on from it."""
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."


def blocks_text(blocks: list[dict]) -> str:
    return " ".join(inline_text(block["c"]) if block["t"] in ("Para", "Plain") else
                    " ".join(found.text for found in blocks_of(block, 0)) for block in blocks)


def inline_text(inlines: list) -> str:
    """Plain text of inlines, a citation set apart from the word before it."""
    parts = []
    for inline in inlines:
        if inline.get("t") == "Cite":
            parts.append(citation_text(inline["c"][1]))
        elif inline.get("t") == "Note":
            continue  # a footnote's text is not read in the middle of a sentence
        else:
            parts.append(stringify(inline, quotes=True))
    return " ".join("".join(parts).split())


def citation_text(rendered: list) -> str:
    text = stringify(rendered).strip()
    if rendered and all(inline.get("t") == "Superscript" for inline in rendered):
        return f" [{text}]"
    return text
