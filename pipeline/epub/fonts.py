"""The EPUB's fonts: the leaflet's font stack, subset to the characters it uses.

A stub for now (no fonts embedded); filled in with the font stacks of styles/fonts.css.
"""
from __future__ import annotations

from pathlib import Path


def epub_font_arguments(text: str, lang: str, styles_dir: Path, scratch: Path) -> list[str]:
    """pandoc arguments (--epub-embed-font=..., --css=...) for the leaflet's fonts, subset to `text`."""
    return []
