"""The leaflet as plain text: its title, then each block's words, a blank line between."""
from __future__ import annotations

from pathlib import Path

from ..pandoc.ast import stringify


def write(doc: dict, article, settings, path: Path) -> None:
    blocks = [article.title, *(stringify(block, quotes=True) for block in doc["blocks"])]
    path.write_text("\n\n".join(block for block in blocks if block.strip()) + "\n", encoding="utf-8")
