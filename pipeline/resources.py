"""Images and links the article points at: only local files inside the
article's folder are used; nothing is fetched from the network unless the
user asks for it with ``--allow-remote``."""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from .config import Settings
from .errors import SourceError
from .pandoc_ast import elements, stringify
from .source import Article

log = logging.getLogger(__name__)

REMOTE_SCHEMES = ("http", "https", "ftp")
# Raw HTML tags whose attribute makes pandoc's EPUB writer (or a browser) fetch a file.
FETCHING_TAG = re.compile(
    r"<(?:img|source|video|audio|track|link|script|iframe|embed|object|input)\b[^>]*?"
    r"\b(?:src|href|data|poster|srcset)\s*=\s*[\"']?\s*(?:https?:|ftp:|//)[^>]*>"
    r"(?:\s*</(?:script|iframe|object|video|audio)>)?", re.IGNORECASE)


def is_remote(target: str) -> bool:
    return urlsplit(target).scheme.lower() in REMOTE_SCHEMES or target.startswith("//")


def check_resources(doc: dict, article: Article, settings: Settings) -> dict:
    """Every file the outputs would pull in: local ones checked, remote ones left out."""
    check_images(doc, article, settings)
    if not settings.allow_remote:
        leave_out_remote_raw_html(doc, article)
    return doc


def leave_out_remote_raw_html(doc: dict, article: Article) -> None:
    """Raw HTML that would fetch from the network (``<img src="https://...">``) is removed."""
    for raw in [*elements(doc["blocks"], "RawInline"), *elements(doc["blocks"], "RawBlock")]:
        fmt, html = raw["c"]
        if fmt.lower() not in ("html", "html5", "html4"):
            continue
        for match in FETCHING_TAG.finditer(html):
            log.warning("%s, line %s: left out %s: the build does not use the network "
                        "(save the file next to the article, or pass --allow-remote)",
                        article.path, article.line_of(match.group(0)[:40]), match.group(0))
        raw["c"][1] = FETCHING_TAG.sub("", html)


def check_images(doc: dict, article: Article, settings: Settings) -> dict:
    """Refuse images outside the article's folder; leave out remote ones (with a warning)."""
    folder = article.folder.resolve()
    for image in elements(doc["blocks"], "Image"):
        target = image["c"][2][0]
        line = article.line_of(target)
        if not stringify(image["c"][1]).strip():
            log.warning("%s, line %s: the image '%s' has no description for readers who cannot "
                        "see it: write one between the brackets, ![like this](%s)",
                        article.path, line, target, target)
        if is_remote(target):
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
