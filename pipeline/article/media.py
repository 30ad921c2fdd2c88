"""The article's pictures handed to pandoc's EPUB writer as data, not as file names.

pandoc writes the EPUB in its sandbox (``--sandbox``): it reads no file but
the few the command line names, so it cannot be made to read one of the
machine's. The pictures it puts in the book come to it in the document
itself, as ``data:`` URLs of the bytes ``safety.py`` checked (an SVG
cleaned, ``svg.py``); pandoc stores each as ``EPUB/media/fileN.<ext>`` and
links to it there, as it would have from the file.
"""
from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
from pathlib import Path

from ..pandoc.ast import elements
from . import svg, urls

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
# The src of an <img> as raw_html.py writes it: always in double quotes.
IMG_SOURCE = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


def with_media_embedded(doc: dict, folder: Path) -> dict:
    """A copy of ``doc`` whose local pictures (Markdown images and raw ``<img>``) are
    ``data:`` URLs; ``doc`` itself is unchanged. Remote pictures (``--allow-remote``)
    keep their address."""
    if not any(local_pictures(doc)):
        return doc
    embedded = json.loads(json.dumps(doc))  # a deep copy, a few times faster than copy's
    cache: dict[str, str] = {}
    for image in elements(embedded["blocks"], "Image"):
        target = image["c"][2][0]
        if urls.is_local_reference(target):
            image["c"][2][0] = data_url(target, folder, cache)
    for raw in raw_html(embedded):
        raw["c"][1] = IMG_SOURCE.sub(
            lambda tag: tag[1] + html.escape(data_url(html.unescape(tag[2]), folder, cache))
            + tag[3] if urls.is_local_reference(html.unescape(tag[2])) else tag[0], raw["c"][1])
    return embedded


def local_pictures(doc: dict):
    for image in elements(doc["blocks"], "Image"):
        yield urls.is_local_reference(image["c"][2][0])
    for raw in raw_html(doc):
        yield "<img" in raw["c"][1]


def raw_html(doc: dict) -> list[dict]:
    return [raw for kind in ("RawInline", "RawBlock") for raw in elements(doc["blocks"], kind)
            if raw["c"][0] == "html"]


def data_url(target: str, folder: Path, cache: dict[str, str]) -> str:
    """The picture ``target`` names in ``folder`` (checked by ``safety.py`` already) as a
    ``data:`` URL."""
    if target not in cache:
        path = urls.local_file(target, folder, "image")
        media_type = MEDIA_TYPES.get(path.suffix.lower()) or \
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = svg.cleaned(path) if media_type == "image/svg+xml" else path.read_bytes()
        cache[target] = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
    return cache[target]
