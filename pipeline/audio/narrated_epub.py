"""``--to narrated-epub``: an EPUB 3 with media overlays, read aloud by the e-reader
(Thorium, Apple Books) with each sentence highlighted as it is spoken.

pandoc's EPUB3 writer makes the book, as for ``<stem>.epub`` (``epub/writer.py``),
from the narration's copy of the AST, in which every spoken sentence is a span
with an id; the title page gets ids on its title, subtitle and authors. After the
spoken version line come the e-book's own details that the narration does not say
(the other formats, what a translation was translated from, "This leaflet is also
available in: Polski · العربية"), made by the EPUB's ``leaflet_details``; they are
shown, not read aloud (language names in their own scripts are not for the
leaflet's voice). Then the
package gets the MP3 (``audio/leaflet.mp3``, the same as ``--to mp3``), one SMIL
file per content document with a ``<par>`` per sentence, the ``media-overlay``
attributes, ``media:duration`` for the whole and each overlay, and
``media:active-class``, whose look is in ``styles/narrated-epub.css``. The clips
follow one another without gaps (each runs to the next sentence's start), so the
durations are the sums of the clips. Last, the ZIP is made reproducible by the
EPUB writer's own ``accessible_and_reproducible``.
"""
from __future__ import annotations

import dataclasses
import io
import json
import posixpath
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from ..article.model import Article
from ..article.media import with_media_embedded
from ..article.translations import translated_from, translation_languages
from ..epub.writer import (STYLESHEET, accessible_and_reproducible, sandboxed, approvals_block, draft_notice,
                           epub_document, leaflet_details, render_cover, sign_off_words)
from ..files import source_date_epoch
from ..leaflet import LeafletBuild
from ..pandoc.ast import meta_list, meta_string
from ..pandoc.run import start_pandoc
from ..theme.folder import Theme
from ..theme.strings import Strings
from .mp3 import SpokenLeaflet, spoken_leaflet
from .narration import AUTHOR_ID, TITLE_PAGE_IDS

NARRATION_STYLESHEET = "narrated-epub.css"
ACTIVE_CLASS = "-epub-media-overlay-active"  # styled in styles/narrated-epub.css
AUDIO_HREF = "audio/leaflet.mp3"  # relative to the package document
OVERLAY_FOLDER = "overlays"
OPF_NS = "http://www.idpf.org/2007/opf"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SMIL_NS = "http://www.w3.org/ns/SMIL"
EPUB_NS = "http://www.idpf.org/2007/ops"


def write(leaflet: LeafletBuild, path: Path) -> None:
    spoken = spoken_leaflet(leaflet)
    with tempfile.TemporaryDirectory(prefix="leaflet-narrated-epub-") as scratch:
        book = Path(scratch) / "book.epub"
        stylesheet = write_book(leaflet, spoken, Path(scratch), book)
        path.write_bytes(accessible_and_reproducible(with_media_overlays(book.read_bytes(), spoken),
                                                     leaflet.words, stylesheet,
                                                     source_date_epoch(leaflet.article.date)))


def write_book(leaflet: LeafletBuild, spoken: SpokenLeaflet, scratch: Path, target: Path) -> bytes:
    """pandoc's EPUB, as ``epub/writer.py`` makes it (in pandoc's sandbox), from the
    narration's blocks; returns the stylesheet to put in it (``writer.sandboxed``)."""
    article, settings, theme = leaflet.article, leaflet.settings, leaflet.theme
    stylesheets = [theme.checked_stylesheet(name) for name in (STYLESHEET, NARRATION_STYLESHEET)]
    cover = scratch / "cover.svg"
    cover.write_text(render_cover(article, theme, leaflet.words), encoding="utf-8")
    arguments = ["--from", "json", "--to", "epub3", "--output", str(target),
                 "--epub-cover-image", str(cover), "--toc-depth", "3"]
    for stylesheet in stylesheets:
        arguments += ["--css", str(stylesheet)]
    arguments, stylesheet = sandboxed(arguments, scratch, network=settings.allow_remote)
    document = with_media_embedded(narrated_document(leaflet, spoken), article.folder)
    start_pandoc(arguments, json.dumps(document),
                 settings.pandoc_timeout, what="writing the narrated EPUB", file=article.path,
                 cwd=scratch,
                 env={"SOURCE_DATE_EPOCH": str(source_date_epoch(article.date))}).result()
    return stylesheet


def narrated_document(leaflet: LeafletBuild, spoken: SpokenLeaflet) -> dict:
    """The EPUB's document with the narration's blocks: a draft's notice (shown, as in the
    e-book: the title, spoken first, carries it), its version line, the e-book's other
    details (``unspoken_details``), the article with its sentence spans,
    who signed it off, then the review date and "End of leaflet" that close the narration."""
    article, words = leaflet.article, leaflet.words
    sign_off = sign_off_words(leaflet.theme, words)
    book = epub_document(leaflet.doc, article, sign_off, words)
    told = spoken.narration
    # A draft's notice opens the text as in the e-book; the title spoken first says it already.
    book["blocks"] = (draft_notice(article, sign_off) + told.opening_blocks
                      + unspoken_details(article, leaflet.theme, words) + told.body_blocks
                      + approvals_block(article, sign_off) + told.closing_blocks)
    meta = book["meta"]
    meta["accessModes"] = meta_list([*meta["accessModes"]["c"], meta_string("auditory")])
    meta["accessModeSufficient"] = meta_list([*meta["accessModeSufficient"]["c"], meta_string("auditory")])
    meta["accessibilityFeatures"] = meta_list([*meta["accessibilityFeatures"]["c"],
                                               meta_string("synchronizedAudioText")])
    return book


def unspoken_details(article: Article, theme: Theme, words: Strings) -> list:
    """The EPUB's details block (``epub.writer.leaflet_details``) without the version and
    the review date, which the narration says in blocks of its own: the other formats,
    "Translated from ..." and "This leaflet is also available in: ...", as the e-book has
    them."""
    unsaid = dataclasses.replace(article, version=None, review_date=None)
    return leaflet_details(unsaid, words, translated_from(article, words, theme),
                           translation_languages(article, theme))


# --- the package ------------------------------------------------------------------------------

def with_media_overlays(epub: bytes, leaflet: SpokenLeaflet) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(epub))
    files = {name: source.read(name) for name in source.namelist()}
    opf_name = package_document_name(files["META-INF/container.xml"])
    opf = etree.fromstring(files[opf_name])
    base = posixpath.dirname(opf_name)
    documents = {item.get("href"): item for item in opf.iterfind(f"{{{OPF_NS}}}manifest/{{{OPF_NS}}}item")
                 if item.get("media-type") == "application/xhtml+xml" and "nav" not in (item.get("properties") or "").split()}
    where: dict[str, str] = {}  # element id → the href of the document that has it
    for href in documents:
        name = posixpath.join(base, href)
        page = etree.fromstring(files[name])
        if mark_title_page(page):
            files[name] = serialised_xhtml(page)
        for element_id in page.xpath("//@id"):
            where.setdefault(str(element_id), href)
    clips = clips_by_document(leaflet, where)
    for href, document_clips in clips.items():
        overlay_href = f"{OVERLAY_FOLDER}/{posixpath.splitext(posixpath.basename(href))[0]}.smil"
        files[posixpath.join(base, overlay_href)] = smil(href, overlay_href, document_clips)
        add_overlay(opf, documents[href], overlay_href, sum(end - begin for _, begin, end in document_clips))
    add_audio(opf, leaflet.duration_ms)
    files[posixpath.join(base, AUDIO_HREF)] = leaflet.mp3
    files[opf_name] = etree.tostring(opf, xml_declaration=True, encoding="UTF-8")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return output.getvalue()


def package_document_name(container: bytes) -> str:
    return etree.fromstring(container).xpath("//*[local-name()='rootfile']/@full-path")[0]


def mark_title_page(page: etree._Element) -> bool:
    """Ids on the title page's title, subtitle and authors, which the narration reads first."""
    marked = False
    for element_id, (tag, css_class) in TITLE_PAGE_IDS.items():
        for element in page.iterfind(f".//{{{XHTML_NS}}}{tag}[@class='{css_class}']"):
            element.set("id", element_id)
            marked = True
    for number, element in enumerate(page.iterfind(f".//{{{XHTML_NS}}}p[@class='author']"), start=1):
        element.set("id", AUTHOR_ID.format(number=number))
        marked = True
    return marked


def serialised_xhtml(page: etree._Element) -> bytes:
    return etree.tostring(page.getroottree(), xml_declaration=True, encoding="UTF-8",
                          doctype="<!DOCTYPE html>")


def clips_by_document(leaflet: SpokenLeaflet, where: dict[str, str]) -> dict[str, list[tuple[str, int, int]]]:
    """For each content document, its sentences' (element id, clip begin, clip end) in ms,
    in the narration's order."""
    clips: dict[str, list[tuple[str, int, int]]] = {}
    for sentence, timing in zip(leaflet.narration.sentences, leaflet.timings):
        if sentence.element_id not in where:  # the narration and the book are made together
            raise RuntimeError(f"the narrated EPUB has no element {sentence.element_id!r} "
                               f"for {sentence.text!r}")
        begin, end = (round(samples * 1000 / leaflet.sample_rate) for samples in (timing.start, timing.end))
        clips.setdefault(where[sentence.element_id], []).append((sentence.element_id, begin, end))
    return clips


def smil(document_href: str, overlay_href: str, clips: list[tuple[str, int, int]]) -> bytes:
    text_href = posixpath.relpath(document_href, posixpath.dirname(overlay_href))
    audio_href = posixpath.relpath(AUDIO_HREF, posixpath.dirname(overlay_href))
    root = etree.Element(f"{{{SMIL_NS}}}smil", nsmap={None: SMIL_NS, "epub": EPUB_NS}, version="3.0")
    body = etree.SubElement(root, f"{{{SMIL_NS}}}body")
    for number, (element_id, begin, end) in enumerate(clips, start=1):
        par = etree.SubElement(body, f"{{{SMIL_NS}}}par", id=f"par{number}")
        etree.SubElement(par, f"{{{SMIL_NS}}}text", src=f"{text_href}#{element_id}")
        etree.SubElement(par, f"{{{SMIL_NS}}}audio", src=audio_href,
                         clipBegin=clock(begin), clipEnd=clock(end))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def clock(ms: int) -> str:
    """A SMIL full clock value: 0:01:02.345."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def add_overlay(opf: etree._Element, item: etree._Element, overlay_href: str, duration_ms: int) -> None:
    overlay_id = f"{item.get('id')}_overlay"
    item.set("media-overlay", overlay_id)
    manifest_item(opf, overlay_id, overlay_href, "application/smil+xml")
    metadata_entry(opf, clock(duration_ms), refines=f"#{overlay_id}")


def add_audio(opf: etree._Element, duration_ms: int) -> None:
    manifest_item(opf, "narration_audio", AUDIO_HREF, "audio/mpeg")
    metadata_entry(opf, clock(duration_ms))
    metadata_entry(opf, ACTIVE_CLASS, property_name="media:active-class")


def manifest_item(opf: etree._Element, item_id: str, href: str, media_type: str) -> None:
    manifest = opf.find(f"{{{OPF_NS}}}manifest")
    item = etree.SubElement(manifest, f"{{{OPF_NS}}}item", id=item_id, href=href)
    item.set("media-type", media_type)
    item.tail = "\n    "


def metadata_entry(opf: etree._Element, value: str, *, refines: str | None = None,
                   property_name: str = "media:duration") -> None:
    metadata = opf.find(f"{{{OPF_NS}}}metadata")
    meta = etree.SubElement(metadata, f"{{{OPF_NS}}}meta", property=property_name)
    if refines:
        meta.set("refines", refines)
    meta.text = value
    meta.tail = "\n    "
