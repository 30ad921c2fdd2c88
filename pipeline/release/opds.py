"""The clinic's e-reader catalogue: ``site/opds.xml``, an OPDS 1.2 acquisition feed.

OPDS 1.2 is an Atom feed (RFC 4287) whose entries are publications. KOReader,
Thorium and other reading apps subscribe to it and download from it. The feed has
its id, title, updated, author, and ``self`` and ``start`` links of the
acquisition-feed type; each released EPUB is one entry with its title, authors,
``dc:language``, ``dc:issued``, summary (the leaflet's description), topics as
categories, a cover image and an acquisition link to the EPUB. A leaflet's narrated
EPUB (read aloud, with the text highlighted) is an entry of its own after it, its
title followed by the variant's words ("Exercises for Sciatica (audio with text)"),
so an e-reader's list tells the two apart.

Why it is written this way:

- Every link is relative to the feed, so the site folder can be served from
  anywhere (an e-reader resolves them against the feed's own address).
- Ids are ``urn:uuid:`` uuid5 names of the leaflet's stem (and of the feed), so an
  e-reader recognises a leaflet again after an update; ``updated`` is the leaflet's
  ``date:`` (the release day when it has none) and the feed's is the release day,
  the day its list of leaflets was decided. Same input, same bytes.
- It is built with lxml, which escapes whatever an article says; characters XML
  cannot hold at all (control characters) are left out first.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from lxml import etree

from .catalogue import ReleasedLeaflet

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/terms/"  # OPDS 1.2 uses DCMI Metadata Terms
OPDS_NS = "http://opds-spec.org/2010/catalog"
NSMAP = {None: ATOM_NS, "dc": DC_NS, "opds": OPDS_NS}

ACQUISITION_FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUISITION_REL = "http://opds-spec.org/acquisition"
IMAGE_REL = "http://opds-spec.org/image"
THUMBNAIL_REL = "http://opds-spec.org/image/thumbnail"
EPUB_TYPE = "application/epub+zip"
FEED_NAME = "opds.xml"

# The namespace of the catalogue's uuid5 ids: fixed, so that ids never change.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:leaflet-pipeline:opds")
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One released EPUB in the catalogue; hrefs are relative to the feed."""

    leaflet: ReleasedLeaflet
    epub_href: str
    cover_href: str | None = None
    cover_type: str = "image/png"
    page_href: str | None = None  # the leaflet's page on the site
    variant: str | None = None  # another EPUB of the leaflet: its kind ("narrated-epub")
    variant_words: str = ""  # what the variant is, after the title: "audio with text"

    @property
    def title(self) -> str:
        if self.variant and self.variant_words:
            return f"{self.leaflet.title} ({self.variant_words})"
        return self.leaflet.title


def entry_id(stem: str, variant: str | None = None) -> str:
    """The leaflet's entry's id, or its variant's (never the words: a clinic may edit those)."""
    name = f"leaflet:{stem}" + (f"\0{variant}" if variant else "")
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"


def feed_id() -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'catalogue')}"


def opds_feed(entries: list[FeedEntry], *, title: str, author: str, today: dt.date) -> bytes:
    """The whole feed as UTF-8 XML, entries in the order given."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap=NSMAP)
    text(feed, "id", feed_id())
    text(feed, "title", title)
    text(feed, "updated", timestamp(today))
    author_element = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    text(author_element, "name", author)
    link(feed, "self", FEED_NAME, ACQUISITION_FEED_TYPE)
    link(feed, "start", FEED_NAME, ACQUISITION_FEED_TYPE)
    for entry in entries:
        add_entry(feed, entry, today)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def add_entry(feed: etree._Element, entry: FeedEntry, today: dt.date) -> None:
    leaflet = entry.leaflet
    element = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
    text(element, "title", entry.title)
    text(element, "id", entry_id(leaflet.stem, entry.variant))
    text(element, "updated", timestamp(leaflet.date or today))
    for name in leaflet.authors:
        author = etree.SubElement(element, f"{{{ATOM_NS}}}author")
        text(author, "name", name)
    text(element, "language", leaflet.lang, DC_NS)
    if leaflet.date is not None:
        text(element, "issued", leaflet.date.isoformat(), DC_NS)
    for keyword in leaflet.keywords:
        category = etree.SubElement(element, f"{{{ATOM_NS}}}category")
        category.set("term", xml_text(keyword))
        category.set("label", xml_text(keyword))
    if leaflet.description:
        text(element, "summary", leaflet.description).set("type", "text")
    if entry.cover_href is not None:
        link(element, IMAGE_REL, entry.cover_href, entry.cover_type)
        link(element, THUMBNAIL_REL, entry.cover_href, entry.cover_type)
    if entry.page_href is not None:
        link(element, "alternate", entry.page_href, "text/html")
    link(element, ACQUISITION_REL, entry.epub_href, EPUB_TYPE)


def text(parent: etree._Element, name: str, value: str, namespace: str = ATOM_NS) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    element.text = xml_text(value)
    return element


def link(parent: etree._Element, rel: str, href: str, media_type: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}link")
    element.set("rel", rel)
    element.set("href", href)
    element.set("type", media_type)
    return element


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (lxml would refuse them)."""
    return NOT_XML.sub("", str(value))


def timestamp(day: dt.date) -> str:
    """Atom's RFC 3339 date-time: the start of the day, UTC."""
    return f"{day.isoformat()}T00:00:00Z"
