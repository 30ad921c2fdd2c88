"""Images and links the article points at: only local files inside the
article's folder are used; nothing is fetched from the network unless the
user asks for it with ``--allow-remote``."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import Settings
from .errors import SourceError
from .pandoc_ast import elements, stringify
from .source import Article

log = logging.getLogger(__name__)


def check_images(doc: dict, article: Article, settings: Settings) -> dict:
    """Refuse images outside the article's folder; leave out remote ones (with a warning)."""
    folder = article.folder.resolve()
    for image in elements(doc["blocks"], "Image"):
        target = image["c"][2][0]
        line = article.line_of(target)
        if urlsplit(target).scheme in ("http", "https", "ftp"):
            if settings.allow_remote:
                continue
            log.warning("%s, line %s: the remote image %s is left out: the build does not use "
                        "the network (save the image next to the article, or pass --allow-remote)",
                        article.path, line, target)
            image["t"], image["c"] = "Span", [["", ["missing-image"], []],
                                              [{"t": "Str", "c": f"[{stringify(image['c'][1]) or 'image'}]"}]]
            continue
        path = (folder / unquote(urlsplit(target).path)).resolve()
        if not path.is_relative_to(folder):
            raise SourceError(f"the image '{target}' is outside the article's folder",
                              file=article.path, line=line,
                              hint=f"copy the image into {article.folder} and refer to it by its name")
        if not path.is_file():
            raise SourceError(f"the image '{target}' does not exist", file=article.path, line=line,
                              hint=f"check the file name; images are looked up in {article.folder}")
    return doc
