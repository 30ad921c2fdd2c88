"""Stage 2b: what the article pulls in, made safe before either output is written.

- Every URL is judged by ``urls.py``. An image, or any file a raw HTML tag
  names (``src``, ``srcset``, ``poster``, ``data``, CSS ``url()``), must be a
  file inside the article's folder: a ``file:`` URL, an absolute path, ``..``
  out of the folder or a symbolic link out of it is an error naming the
  line. Remote images are left out with a warning unless the user passes
  ``--allow-remote``.
- Images must be readable pictures; an SVG is cleaned of anything active
  (``svg.py``), with a warning saying what went.
- Raw HTML goes through the allow-list of ``raw_html.py`` (``nh3``); raw
  blocks in any other format (```` ```{=latex} ````, ``{=epub3}``) are left
  out with a warning. Links survive only to ``http``, ``https``, ``mailto``
  and ``tel`` and to the article's own headings.
- The article carries no CSS (``style`` attributes, ``<style>``), and none of
  its elements may take a class or identifier of the pipeline's own parts
  (``furniture.py``): an article cannot print an approval or hide the DRAFT
  mark.
- Links to local files (``[see](page 2.html)``) and to anchors nothing
  carries (``[see](#nowhere)``) keep their text and lose the link: they
  would go nowhere on screen, and the EPUB would not be valid.

A leaflet is read on paper and in e-readers: nothing in it needs to run.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import Settings
from ..errors import SourceError
from .furniture import Furniture, furniture
from .images import check_image_file
from . import raw_html, urls
from ..pandoc.ast import elements, stringify
from .model import Article

log = logging.getLogger(__name__)

HTML_FORMATS = ("html", "html5", "html4")
# Attributes pandoc would write on an element as they stand: the ones that fetch or restyle.
FETCHING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "href", "background",
                                 "xlink:href", "action", "formaction", "style"})


def made_safe(doc: dict, article: Article, settings: Settings) -> dict:
    """``doc`` with everything active removed and its links made to go somewhere (changed
    in place, and returned); every file the outputs would pull in checked."""
    own_parts = furniture(settings.theme_dir)
    found = surveyed(doc["blocks"])
    if found.raw_lists:
        drop_raw_in_other_formats(found, article)
        if make_raw_html_safe(found, article, settings, own_parts):
            found = surveyed(doc["blocks"])  # a <script>...</script> took elements with it
    drop_disallowed_links(found, article)
    drop_local_file_links(found, article)
    rename_identifiers_pandoc_writes(found, own_parts.ids)
    drop_links_to_missing_anchors(found, article)
    drop_unsafe_attributes(found, article, settings, own_parts)
    check_images(found, article, settings)
    return doc


@dataclass
class Survey:
    """What the passes below look at, found in one walk of the document (a build's
    time is dear): links, images, elements with attributes, lists holding raw content."""
    links: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    attributed: list[dict] = field(default_factory=list)
    raw_lists: list[list] = field(default_factory=list)

    def live_links(self) -> list[dict]:
        return [link for link in self.links if link["t"] == "Link"]  # not unlinked since


def surveyed(blocks: list) -> Survey:
    found = Survey()

    def visit_list(items: list) -> None:
        holds_raw = False
        for value in items:
            kind = type(value)
            if kind is dict:
                holds_raw = visit_dict(value) or holds_raw
            elif kind is list:
                visit_list(value)
        if holds_raw:
            found.raw_lists.append(items)

    def visit_dict(element: dict) -> bool:
        tag = element.get("t")
        if tag == "Link":
            found.links.append(element)
        elif tag == "Image":
            found.images.append(element)
        if tag in ATTRIBUTE_POSITION:
            found.attributed.append(element)
        for value in element.values():
            kind = type(value)
            if kind is list:
                visit_list(value)
            elif kind is dict:
                visit_dict(value)
        return tag == "RawInline" or tag == "RawBlock"

    visit_list(blocks)
    return found


# --- images -----------------------------------------------------------------------------------------

def check_images(found: Survey, article: Article, settings: Settings) -> None:
    for image in found.images:
        target = image["c"][2][0]
        line = article.line_of(target)
        if not stringify(image["c"][1]).strip():
            log.warning("%s, line %s: the image '%s' has no description for readers who cannot "
                        "see it: write one between the brackets, ![like this](%s)",
                        article.path, line, target, target)
        if not urls.is_remote(target):
            check_local_file(target, article, line, "image")
        elif not settings.allow_remote:
            warn_remote_left_out(article, line, f"the remote image {target} is left out")
            description = stringify(image["c"][1]) or "image"
            image["t"], image["c"] = "Span", [["", ["missing-image"], []],
                                              [{"t": "Str", "c": f"[{description}]"}]]


def warn_remote_left_out(article: Article, line: int | None, what: str) -> None:
    log.warning("%s, line %s: %s: the build does not use the network (save the file next "
                "to the article, or pass --allow-remote)", article.path, line, what)


def check_local_file(target: str, article: Article, line: int | None, what: str,
                     must_exist: bool = True) -> Path | None:
    """The file ``target`` names, if it is inside the article's folder and readable (an
    image: a picture; an SVG: cleaned, with a warning for what cleaning takes out).
    ``must_exist`` false: only that it would not be outside (for a tag that goes anyway)."""
    try:
        path = urls.local_file(target, article.folder, what)
    except SourceError as error:
        if not must_exist and "does not exist" in error.message:
            return None
        raise error.located(article.path, line)
    if what == "image":
        try:
            removed = check_image_file(path, target)
        except SourceError as error:
            raise error.located(article.path, line)
        if removed:
            log.warning("%s, line %s: removed %s from the SVG image '%s': a leaflet does not run "
                        "scripts", article.path, line, ", ".join(removed), target)
    return path


# --- raw HTML -----------------------------------------------------------------------------------------

def drop_raw_in_other_formats(found: Survey, article: Article) -> None:
    """A raw block in LaTeX, reveal.js, EPUB... would reach whichever writer takes that
    format as its own, past the HTML allow-list: it is left out."""
    for items in found.raw_lists:
        kept = []
        for item in items:
            if type(item) is dict and item.get("t") in ("RawInline", "RawBlock") \
                    and item["c"][0].lower() not in HTML_FORMATS:
                fmt, text = item["c"]
                log.warning("%s, line %s: left out a raw '%s' block (%s): a leaflet's raw "
                            "content may be HTML only; write it in Markdown",
                            article.path, raw_line(article, text), fmt, shorten(text))
                continue
            kept.append(item)
        items[:] = kept


def raw_line(article: Article, text: str) -> int | None:
    for line in text.strip().split("\n"):
        if line.strip():
            return article.line_of(line.strip()[:30])
    return None


def make_raw_html_safe(found: Survey, article: Article, settings: Settings,
                       own_parts: Furniture) -> bool:
    """Each piece of raw HTML through ``raw_html.sanitised``; whether anything else went
    with a ``<script>`` or ``<style>``."""
    def keep_image(src: str) -> bool:
        return not urls.is_remote(src) or settings.allow_remote

    took_elements = False
    for items in found.raw_lists:
        dropping: str | None = None
        kept = []
        for item in items:
            if type(item) is not dict or item.get("t") not in ("RawInline", "RawBlock") \
                    or item["c"][0].lower() not in HTML_FORMATS:
                if dropping is None:
                    kept.append(item)
                else:
                    took_elements = True
                continue
            text = item["c"][1]
            piece = raw_html.sanitised(text, keep_image=keep_image, reserved_ids=own_parts.ids)
            line = raw_line(article, text)
            if dropping is not None:
                if piece.closes == dropping:
                    dropping = None
                continue
            check_named_files(piece, article, settings, line)
            for finding in piece.findings:
                log.warning("%s, line %s: removed %s: %s", article.path, line, finding.what,
                            finding.why)
            dropping, opened_on = piece.opens_dropped, line
            if piece.html:
                item["c"] = ["html", piece.html]
                kept.append(item)
        if dropping is not None:
            log.warning("%s, line %s: the <%s> here is never closed: what follows it in the "
                        "same paragraph or section is left out too; remove it", article.path,
                        opened_on, dropping)
        items[:] = kept
    return took_elements


def check_named_files(piece: raw_html.SanitisedPiece, article: Article, settings: Settings,
                      line: int | None) -> None:
    """Every file a raw tag names is inside the article's folder (an error otherwise, even
    for a tag that goes: it says what the author meant to put in the leaflet)."""
    for tag, attribute, url in piece.urls:
        check_named_file(url, article, settings, line, attribute,
                         shown=tag == "img" and attribute == "src")


def check_named_file(url: str, article: Article, settings: Settings, line: int | None,
                     attribute: str, shown: bool = False) -> None:
    """``url``, named by ``attribute`` (``link`` for a link), names no file outside the
    article's folder; ``shown``: it is an image the leaflet shows, which must exist."""
    if urls.scheme(url) == "file":
        what = "link" if attribute == "link" else "image" if shown else "file"
        raise SourceError(f"the {what} '{shorten(url)}' names a file of this computer, outside "
                          "the article's folder", file=article.path, line=line,
                          hint="link to a web address (https://...) instead" if what == "link"
                          else f"copy the file into {article.folder} and refer to it by its name")
    if attribute == "link":
        return
    if urls.is_remote(url):
        if not settings.allow_remote:
            warn_remote_left_out(article, line, f"left out {shorten(url, 100)}")
        return
    if urls.scheme(url) and not shown:
        return  # data:, about: ... in a tag or style that goes anyway: it reads no file
    check_local_file(url, article, line, "image" if shown else "file", must_exist=shown)


def drop_disallowed_links(found: Survey, article: Article) -> None:
    """A Markdown link keeps its text and loses its target unless it goes to the web, an
    email or telephone address, a heading, or (``drop_local_file_links``) a file; a link
    to ``file:`` is an error, as it names a file of the machine that builds the leaflet."""
    for link in found.live_links():
        target = link["c"][2][0]
        if urls.link_scheme_allowed(target) or urls.is_local_reference(target):
            continue
        line = link_line(article, target)
        if urls.scheme(target) == "file":
            raise SourceError(f"the link '{shorten(target)}' names a file of this computer",
                              file=article.path, line=line,
                              hint="link to a web address (https://...) instead")
        log.warning("%s, line %s: removed the link to %s: %s", article.path, line,
                    shorten(target), raw_html.link_reason(target))
        unlink(link)


def with_reference_links_made_safe(doc: dict, article: Article) -> dict:
    """The same rule for the links the citations add (a reference's URL or DOI, from the
    article's bibliography): a link to anything but the web, email or a telephone goes,
    keeping its text. Returns ``doc``, changed in place."""
    for link in list(elements(doc["blocks"], "Link")):
        target = link["c"][2][0]
        if urls.link_scheme_allowed(target):
            continue
        log.warning("%s: removed the link to %s from the references: %s",
                    ", ".join(map(str, article.bibliography)) or article.path, shorten(target),
                    raw_html.link_reason(target))
        unlink(link)
    return doc


def drop_local_file_links(found: Survey, article: Article) -> None:
    """A Markdown link to a file (``[see](page 2.html)``) keeps its text and loses
    the link: the file is in neither the printed leaflet nor the EPUB, where a link
    to it would be broken (EPUBCheck counts it an error)."""
    for link in found.live_links():
        target = link["c"][2][0].strip()
        if urlsplit(target).scheme or target.startswith(("#", "//")) or not target:
            continue
        log.warning("%s, line %s: removed the link to the file %s: a reader of the leaflet "
                    "or the EPUB cannot open it; link to its web address (https://...) instead",
                    article.path, link_line(article, target), shorten(unquote(target)))
        unlink(link)


def drop_links_to_missing_anchors(found: Survey, article: Article) -> None:
    """A link to ``#somewhere`` that no heading or block carries goes nowhere (and is an
    EPUBCheck error): it keeps its text and loses the link."""
    defined = {element_identifier(element) for element in found.attributed}
    for link in found.live_links():
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


def rename_identifiers_pandoc_writes(found: Survey, reserved: frozenset[str] = frozenset()) -> None:
    """Give the author's elements that carry a writer's identifier, or one of the
    pipeline's own elements (``reserved``: ``#contact-us``), another one, and point
    the article's own links to them at the new one."""
    renamed: dict[str, str] = {}

    def rename(element: dict) -> None:
        old = element_identifier(element)
        if old is None or not (WRITER_IDENTIFIER.fullmatch(old) or old in reserved):
            return
        if element["t"] == "Div" and old == "refs":
            return  # the author's ::: {#refs} is where the list goes: it keeps its name
        renamed[old] = element["c"][ATTRIBUTE_POSITION[element["t"]]][0] = f"{old}-section"

    for element in found.attributed:
        rename(element)
    for link in found.live_links():
        target = link["c"][2][0]
        if target.startswith("#") and target[1:] in renamed:
            link["c"][2][0] = "#" + renamed[target[1:]]


def element_identifier(element: dict) -> str | None:
    position = ATTRIBUTE_POSITION.get(element["t"])
    return element["c"][position][0] if position is not None else None


def drop_unsafe_attributes(found: Survey, article: Article, settings: Settings,
                           own_parts: Furniture) -> None:
    """Attributes pandoc keeps on Divs, Spans, headings... (``::: {onclick="..."}``,
    ``[x]{style="..."}``, ``::: {.approvals}``, and a raw ``<div>`` pandoc reads as a Div):
    no handlers, no CSS, no URLs, and no class of the pipeline's own parts."""
    def visit(element: dict) -> None:
        position = ATTRIBUTE_POSITION.get(element["t"])
        if position is None:
            return
        _, classes, attributes = element["c"][position]
        for name, value in list(attributes):
            why = attribute_problem(name)
            if why:
                line = article.line_of(value) if value else article.line_of(name)
                named = urls.css_urls(value) if name.lower() == "style" else \
                    [value] if name.lower() in FETCHING_ATTRIBUTES else []
                for url in named:
                    check_named_file(url, article, settings, line, name.lower())
                log.warning("%s, line %s: removed the attribute %s=\"%s\": %s", article.path,
                            line, name, shorten(value), why)
                attributes.remove([name, value])
        for name in [name for name in classes if name in own_parts.classes]:
            log.warning("%s, line %s: removed the class '%s': the pipeline's own parts of the "
                        "leaflet (the approvals, the DRAFT mark, the footer) use it, and an "
                        "article cannot print or hide them", article.path,
                        attribute_line(article, name), name)
            classes.remove(name)
    for element in found.attributed:
        visit(element)


def attribute_line(article: Article, name: str) -> int | None:
    """The line of a class in ``{.name}``, else in ``class="name"`` (a raw div pandoc read),
    not in a stylesheet's text."""
    escaped = re.escape(name)
    for written in (r"\{[^{}]*\." + escaped + r"(?![\w-])",
                    r"class=[\"'][^\"']*\b" + escaped + r"(?![\w-])"):
        for number, line in enumerate(article.markdown.split("\n"), start=1):
            if re.search(written, line):
                return number
    return article.line_of(name)


def attribute_problem(name: str) -> str | None:
    lowered = name.lower()
    if lowered.startswith("on"):
        return "a leaflet does not run scripts"
    if lowered == "style":
        return "a leaflet carries no CSS of its own (a clinic restyles leaflets in styles/)"
    if lowered in FETCHING_ATTRIBUTES:
        return "a leaflet's elements name no files (use an image: ![description](file.png))"
    return None


# Where each element type that has an Attr keeps it in its content.
ATTRIBUTE_POSITION = {"Div": 0, "Span": 0, "Code": 0, "CodeBlock": 0, "Link": 0, "Image": 0,
                      "Table": 0, "Figure": 0, "Header": 1}


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
