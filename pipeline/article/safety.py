"""Stage 2b: what the article pulls in, made safe before either output is written.

- Images: only files inside the article's folder, which must exist and be
  readable images; an SVG may not refer to other files. Remote images are
  left out with a warning unless the user passes ``--allow-remote``.
- Raw HTML: ``<script>``, ``<iframe>``, ``<object>`` and ``<embed>`` are
  removed, and so are event-handler attributes (``onclick=``) and
  ``javascript:`` links, each with a warning naming the line. Tags that would
  fetch from the network are left out unless ``--allow-remote``. Empty
  elements are closed (``<br>`` becomes ``<br />``) for the EPUB's XHTML.
- Links to local files (``[see](page 2.html)``) and to anchors nothing
  carries (``[see](#nowhere)``) keep their text and lose the link: they
  would go nowhere on screen, and the EPUB would not be valid.

A leaflet is read on paper and in e-readers: nothing in it needs to run.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Settings
from ..errors import SourceError
from .images import check_image_file
from ..pandoc.ast import elements, stringify, walk
from .front_matter import Article

log = logging.getLogger(__name__)

REMOTE_SCHEMES = ("http", "https", "ftp")
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
HTML_FORMATS = ("html", "html5", "html4")
# Elements that run code or embed other documents: removed with what they hold.
ACTIVE_ELEMENT = re.compile(
    r"<(script|iframe|object|embed|applet|frame|frameset|noembed)\b[^>]*>.*?</\1\s*>"
    r"|</?(?:script|iframe|object|embed|applet|frame|frameset|noembed|param)\b[^>]*>",
    re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
SCRIPT_URL = re.compile(
    r"""\s+(?:href|src|action|formaction|xlink:href)\s*=\s*(["']?)\s*(?:javascript|vbscript):[^>]*?\1(?=[\s/>])""",
    re.IGNORECASE)
# HTML's empty elements as authors type them (<br>, <hr>): the EPUB is XHTML, where
# pandoc copies raw HTML as it stands and an unclosed <br> makes the file unreadable.
VOID_ELEMENT = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b((?:\s[^<>]*?)?)\s*/?>",
    re.IGNORECASE)
# Tags whose attribute makes pandoc's EPUB writer (or a browser) fetch a file.
FETCHING_TAG = re.compile(
    r"<(?:img|source|video|audio|track|link|input)\b[^>]*?"
    r"\b(?:src|href|data|poster)\s*=\s*[\"']?\s*([^\"'\s>]+)[^>]*>", re.IGNORECASE)


def made_safe(doc: dict, article: Article, settings: Settings) -> dict:
    """``doc`` with everything active removed and its links made to go somewhere (changed
    in place, and returned); every file the outputs would pull in checked."""
    make_raw_html_safe(doc, article, settings)
    drop_script_links(doc, article)
    drop_local_file_links(doc, article)
    rename_identifiers_pandoc_writes(doc)
    drop_links_to_missing_anchors(doc, article)
    drop_event_handler_attributes(doc, article)
    check_images(doc, article, settings)
    return doc


# --- images -----------------------------------------------------------------------------------------

def is_remote(target: str) -> bool:
    return urlsplit(target).scheme.lower() in REMOTE_SCHEMES or target.startswith("//")


def check_images(doc: dict, article: Article, settings: Settings) -> None:
    for image in elements(doc["blocks"], "Image"):
        target = image["c"][2][0]
        line = article.line_of(target)
        if not stringify(image["c"][1]).strip():
            log.warning("%s, line %s: the image '%s' has no description for readers who cannot "
                        "see it: write one between the brackets, ![like this](%s)",
                        article.path, line, target, target)
        if not is_remote(target):
            check_local_file(target, article, line, "image")
        elif not settings.allow_remote:
            log.warning("%s, line %s: the remote image %s is left out: the build does not use "
                        "the network (save the image next to the article, or pass --allow-remote)",
                        article.path, line, target)
            description = stringify(image["c"][1]) or "image"
            image["t"], image["c"] = "Span", [["", ["missing-image"], []],
                                              [{"t": "Str", "c": f"[{description}]"}]]


def check_local_file(target: str, article: Article, line: int | None, what: str) -> Path:
    """The file ``target`` names, if it is inside the article's folder and readable."""
    folder = article.folder.resolve()
    path = (folder / unquote(urlsplit(target).path)).resolve()
    if not path.is_relative_to(folder):
        raise SourceError(f"the {what} '{target}' is outside the article's folder",
                          file=article.path, line=line,
                          hint=f"copy the {what} into {article.folder} and refer to it by its name")
    if not path.is_file():
        raise SourceError(f"the {what} '{target}' does not exist", file=article.path, line=line,
                          hint=f"check the file name; files are looked up in {article.folder}")
    if what == "image":
        try:
            check_image_file(path, target)
        except SourceError as error:
            raise error.located(article.path, line)
    return path


# --- raw HTML and links -------------------------------------------------------------------------------

def raw_html_elements(doc: dict) -> list[dict]:
    return [raw for kind in ("RawInline", "RawBlock") for raw in elements(doc["blocks"], kind)
            if raw["c"][0].lower() in HTML_FORMATS]


def make_raw_html_safe(doc: dict, article: Article, settings: Settings) -> None:
    for raw in raw_html_elements(doc):
        html = raw["c"][1]
        html = removed(ACTIVE_ELEMENT, html, article,
                       "removed {found}: a leaflet does not run scripts or embed other pages")
        html = removed(EVENT_HANDLER, html, article,
                       "removed the attribute{found}: a leaflet does not run scripts")
        html = removed(SCRIPT_URL, html, article,
                       "removed the link{found}: a leaflet does not run scripts")
        html = checked_fetching_tags(html, article, settings)
        raw["c"][1] = VOID_ELEMENT.sub(lambda tag: f"<{tag[1].lower()}{tag[2].rstrip()} />", html)


def removed(pattern: re.Pattern, html: str, article: Article, message: str) -> str:
    for match in pattern.finditer(html):
        found = match.group(0)
        log.warning("%s, line %s: " + message.format(found=shorten(found)),
                    article.path, article.line_of(found.strip()[:30]))
    return pattern.sub("", html)


def checked_fetching_tags(html: str, article: Article, settings: Settings) -> str:
    """Local files in raw HTML are checked like images; remote ones are left out."""
    def check(match: re.Match) -> str:
        tag, target = match.group(0), match.group(1)
        line = article.line_of(tag.strip()[:30])
        if is_remote(target):
            if settings.allow_remote:
                return tag
            log.warning("%s, line %s: left out %s: the build does not use the network "
                        "(save the file next to the article, or pass --allow-remote)",
                        article.path, line, shorten(tag))
            return ""
        if urlsplit(target).scheme or target.startswith("#"):
            return tag
        check_local_file(target, article, line, "image" if tag.lower().startswith("<img") else "file")
        return tag
    return FETCHING_TAG.sub(check, html)


def drop_script_links(doc: dict, article: Article) -> None:
    """A Markdown link to ``javascript:...`` keeps its text and loses the link."""
    for link in list(elements(doc["blocks"], "Link")):
        target = link["c"][2][0]
        if urlsplit(target.strip()).scheme.lower() in SCRIPT_SCHEMES:
            log.warning("%s, line %s: removed the link to %s: a leaflet does not run scripts",
                        article.path, article.line_of(target), shorten(target))
            unlink(link)


def drop_local_file_links(doc: dict, article: Article) -> None:
    """A Markdown link to a file (``[see](page 2.html)``) keeps its text and loses
    the link: the file is in neither the printed leaflet nor the EPUB, where a link
    to it would be broken (EPUBCheck counts it an error)."""
    for link in list(elements(doc["blocks"], "Link")):
        target = link["c"][2][0].strip()
        if urlsplit(target).scheme or target.startswith(("#", "//")) or not target:
            continue
        log.warning("%s, line %s: removed the link to the file %s: a reader of the leaflet "
                    "or the EPUB cannot open it; link to its web address (https://...) instead",
                    article.path, link_line(article, target), shorten(unquote(target)))
        unlink(link)


def drop_links_to_missing_anchors(doc: dict, article: Article) -> None:
    """A link to ``#somewhere`` that no heading or block carries goes nowhere (and is an
    EPUBCheck error): it keeps its text and loses the link."""
    defined = set()
    walk(doc["blocks"], lambda element: defined.add(element_identifier(element)))
    for link in list(elements(doc["blocks"], "Link")):
        target = link["c"][2][0].strip()
        if not target.startswith("#") or unquote(target[1:]) in defined:
            continue
        log.warning("%s, line %s: removed the link to %s: no heading has that identifier; "
                    "to link to a heading, write its title in lower case with hyphens for spaces, "
                    "as in [see below](#what-to-do-at-home)",
                    article.path, link_line(article, target), shorten(target))
        unlink(link)


def unlink(link: dict) -> None:
    """The link becomes a span: its text and attributes stay, its target goes."""
    link["t"], link["c"] = "Span", [link["c"][0], link["c"][1]]


def link_line(article: Article, target: str) -> int | None:
    """The line of a link: pandoc writes a space in its target as %20, the author did not."""
    return article.line_of(f"({target}") or article.line_of(f"({unquote(target)}") \
        or article.line_of(unquote(target))


# Identifiers pandoc's HTML and EPUB writers give the footnotes, and the one the
# reference list is placed by: a heading called "Footnotes" or "Refs" would take them
# too, and an identifier used twice makes the EPUB invalid.
WRITER_IDENTIFIER = re.compile(r"footnotes|fn\d+|fnref\d+|refs")


def rename_identifiers_pandoc_writes(doc: dict) -> None:
    """Give the author's elements that carry a writer's identifier another one, and
    point the article's own links to them at the new one."""
    renamed: dict[str, str] = {}

    def rename(element: dict) -> None:
        old = element_identifier(element)
        if old is None or not WRITER_IDENTIFIER.fullmatch(old):
            return
        if element["t"] == "Div" and old == "refs":
            return  # the author's ::: {#refs} is where the list goes: it keeps its name
        renamed[old] = element["c"][ATTRIBUTE_POSITION[element["t"]]][0] = f"{old}-section"

    walk(doc["blocks"], rename)
    for link in elements(doc["blocks"], "Link"):
        target = link["c"][2][0]
        if target.startswith("#") and target[1:] in renamed:
            link["c"][2][0] = "#" + renamed[target[1:]]


def element_identifier(element: dict) -> str | None:
    position = ATTRIBUTE_POSITION.get(element["t"])
    return element["c"][position][0] if position is not None else None


def drop_event_handler_attributes(doc: dict, article: Article) -> None:
    """``::: {onclick="..."}`` and the like: attributes pandoc keeps on Divs and Spans."""
    def visit(element: dict) -> None:
        attributes = element_attributes(element)
        if attributes is None:
            return
        for name, value in [pair for pair in attributes if pair[0].lower().startswith("on")]:
            log.warning("%s, line %s: removed the attribute %s: a leaflet does not run scripts",
                        article.path, article.line_of(value), name)
            attributes.remove([name, value])
    walk(doc["blocks"], visit)


# Where each element type that has an Attr keeps it in its content.
ATTRIBUTE_POSITION = {"Div": 0, "Span": 0, "Code": 0, "CodeBlock": 0, "Link": 0, "Image": 0,
                      "Table": 0, "Figure": 0, "Header": 1}


def element_attributes(element: dict) -> list | None:
    """The key-value list of an element's Attr, for the element types that have one."""
    position = ATTRIBUTE_POSITION.get(element["t"])
    if position is None:
        return None
    return element["c"][position][2]


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
