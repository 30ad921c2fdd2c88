"""The EPUB's fonts (``pipeline/epub/fonts.py``): a face subset to the same characters gives
the same bytes, so the same leaflet gives the same EPUB. What the built EPUBs carry, for
every script, is read from them in ``printed/test_fonts.py``, on the builds made there
for the PDF.
"""
from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from pipeline.epub.fonts import subset_font
from pipeline.printed.fonts import installed_faces


def test_the_same_characters_give_the_same_subset_bytes():
    face = next(face for face in installed_faces("Noto Nastaliq Urdu") if face.weight == 400)
    first = subset_font.__wrapped__(face.path, face.index, " یہ ورزشیں")
    assert first == subset_font.__wrapped__(face.path, face.index, " یہ ورزشیں")
    assert TTFont(io.BytesIO(first))["name"].getBestFamilyName() == "Noto Nastaliq Urdu"
