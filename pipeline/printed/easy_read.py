"""Easy read rows: in a leaflet with ``easy-read: true``, each paragraph that
begins with a picture (``![description](picture.svg) Words…``) becomes a row,
the picture on one side and its words on the other, which ``leaflet.css``
lays out (``.easy-read-row``). In a right-to-left language the row carries
``dir="rtl"``, so that the picture stands on the right, where reading starts.
"""
from __future__ import annotations

from ..pandoc.ast import attr
from ..pandoc.bidi import is_right_to_left

ROW, PICTURE, WORDS = "easy-read-row", "easy-read-picture", "easy-read-words"


def with_easy_read_rows(doc: dict, lang: str) -> dict:
    """``doc`` with each paragraph that opens with a picture made a row; ``doc`` itself
    is unchanged."""
    direction = [["dir", "rtl"]] if is_right_to_left(lang) else []
    return {**doc, "blocks": [as_row(block, direction) if opens_with_picture(block) else block
                              for block in doc["blocks"]]}


def opens_with_picture(block: dict) -> bool:
    return block["t"] == "Para" and bool(block["c"]) and block["c"][0]["t"] == "Image"


def as_row(block: dict, direction: list[list[str]]) -> dict:
    picture, *words = block["c"]
    while words and words[0]["t"] in ("Space", "SoftBreak", "LineBreak"):
        words.pop(0)
    return {"t": "Div", "c": [attr(classes=[ROW], attributes=direction), [
        {"t": "Div", "c": [attr(classes=[PICTURE]), [{"t": "Plain", "c": [picture]}]]},
        {"t": "Div", "c": [attr(classes=[WORDS]), [{"t": "Para", "c": words}]]},
    ]]}
