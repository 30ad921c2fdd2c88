"""The clinic's published site (``pipeline/release/site.py``, ``opds.py``): written from
real leaflets, read the way patients, e-readers and browsers read it.

Three leaflets are built once for the module from ``fixtures/epub-leaflet`` (an English
one in every edition and format, braille, MP3 and narrated EPUB too, with a ``url:``;
its French translation, in PDF and EPUB; its easy read version; one whose title,
description and topics are hostile markup), laid out as a release folder, and a
fourth, withdrawn one is passed along to be left out. The browser tests open the
site over a loopback HTTP server in Debian's headless chromium
(``tools/site-browser.js``, with axe-core and puppeteer-core from ``make tools``).
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import posixpath
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml
from building import FIXTURES, PROJECT_ROOT, warnings_recorded
from lxml import etree

from pipeline.article.clinic import load_clinic
from pipeline.article.front_matter import load_article
from pipeline.build import build
from pipeline.config import FORMATS, Settings
from pipeline.outputs import build_names
from pipeline.printed.page_pictures import page_pictures, save_png
from pipeline.article.model import Approval
from pipeline.release.catalogue import WITHDRAWN, ReleasedLeaflet, release_files
from pipeline.release.site import SiteError, write_site

TODAY = dt.date(2026, 12, 1)
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
URL = "https://leaflets.example.org/sciatica-exercises"

ATOM = "http://www.w3.org/2005/Atom"
OPDS_NS = {"a": ATOM, "dc": "http://purl.org/dc/terms/"}
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"

BROWSER_RUNNER = PROJECT_ROOT / "tools" / "site-browser.js"
AXE = PROJECT_ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/lib/chromium/chromium")
BROWSER_TIMEOUT = 120


@dataclass(frozen=True)
class Leaflet:
    """How one test leaflet differs from the fixture, and what its release holds."""

    stem: str
    front_matter: dict[str, str]  # fixture line → replacement
    editions: tuple[str, ...]
    kinds: tuple[str, ...]  # the release's files (catalogue.file_kinds())
    formats: tuple[str, ...] = FORMATS  # what the build writes


EVERY_KIND = ("pdf", "large-print", "booklet", "a5", "epub", "brf", "mp3", "narrated-epub", "cover")
# What the site calls each download (styles/templates/site/_words.html).
LABELS = {
    "pdf": "Standard print (PDF)", "large-print": "Large print (PDF)",
    "booklet": "Booklet to print and fold (PDF)", "a5": "A5 pages (PDF)", "epub": "E-book (EPUB)",
    "narrated-epub": "Audio with text (EPUB 3, read aloud with each sentence highlighted)",
    "mp3": "Audio (MP3)", "brf": "Braille (BRF, for a braille display or embosser)",
}
MEDIA_TYPES = {"pdf": "application/pdf", "large-print": "application/pdf", "booklet": "application/pdf",
               "a5": "application/pdf", "epub": "application/epub+zip",
               "narrated-epub": "application/epub+zip", "mp3": "audio/mpeg", "brf": "text/plain"}
EPUB_KINDS = {"epub": "", "narrated-epub": " (audio with text)"}  # entry in the feed: title after


LEAFLETS = (
    Leaflet("sciatica-exercises", {}, ("standard", "large-print", "booklet"), EVERY_KIND, build_names()),
    Leaflet("sciatica-exercises-fr", {
        "title: Exercises for Sciatica": "title: Exercices pour la sciatique",
        "subtitle: What to do at home": "subtitle: Que faire à la maison",
        "lang: en-GB": "lang: fr",
        "keywords: [sciatica, exercise]": "keywords: [sciatique, exercice]",
        "description: Gentle exercises that ease sciatica pain.":
            "description: Des exercices doux qui soulagent la douleur.",
    }, ("standard",), ("pdf", "epub", "cover")),
    Leaflet("sciatica-exercises-easy-read", {
        "title: Exercises for Sciatica": "title: Moving with sciatica",
        "subtitle: What to do at home": "subtitle: Easy read",
        "lang: en-GB": "lang: en-GB\neasy-read: true",
        "keywords: [sciatica, exercise]": "keywords: [walking]",
        "description: Gentle exercises that ease sciatica pain.": "description: Moving helps your back.",
    }, ("standard",), ("pdf", "epub", "cover")),
    Leaflet("hostile", {
        "title: Exercises for Sciatica": f"title: '{SCRIPT}'",
        "subtitle: What to do at home": f"subtitle: '{ATTRIBUTE}'",
        "lang: en-GB": "lang: en-US",
        "keywords: [sciatica, exercise]": f"keywords: ['{SCRIPT}', '{ATTRIBUTE}']",
        "description: Gentle exercises that ease sciatica pain.": f"description: '{ATTRIBUTE}'",
    }, ("standard",), ("pdf", "epub", "cover")),
)


@dataclass(frozen=True)
class Site:
    root: Path  # what is served: release/ and site/ side by side
    release_dir: Path
    site_dir: Path
    leaflets: tuple[ReleasedLeaflet, ...]  # the released ones
    withdrawn: ReleasedLeaflet
    written: tuple[Path, ...]

    def leaflet(self, stem: str) -> ReleasedLeaflet:
        return next(leaflet for leaflet in self.leaflets if leaflet.stem == stem)

    def pages(self) -> list[Path]:
        return sorted(self.site_dir.glob("*.html"))



@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("published")
    sources, out, release_dir = root / "sources", root / "built", root / "release"
    release_dir.mkdir()
    with warnings_recorded() as kept:
        released = tuple(release(leaflet, sources, out, release_dir) for leaflet in LEAFLETS)
    assert kept.messages == [], "the test leaflets build without warnings"
    english, french, easy_read, hostile = released
    english = replace(english, url=URL, translations=(("fr", french.stem),),
                      approvals=(Approval("Dr Ana Smith", "Clinical lead", dt.date(2026, 11, 26)),))
    french = replace(french, translation_of=english.stem)
    easy_read = replace(easy_read, easy_read_of=english.stem)
    withdrawn = replace(hostile, stem="withdrawn-leaflet", title="A withdrawn leaflet",
                        state=WITHDRAWN, lapsed=dt.date(2026, 11, 1), files={})
    leaflets = (english, french, easy_read, hostile)
    site_dir = root / "site"
    written = write_site([hostile, withdrawn, easy_read, french, english], site_dir, release_dir,
                         today=TODAY)
    return Site(root, release_dir, site_dir, leaflets, withdrawn, tuple(written))


def release(leaflet: Leaflet, sources: Path, out: Path, release_dir: Path) -> ReleasedLeaflet:
    """Build one test leaflet and put its files in the release folder."""
    folder = sources / leaflet.stem
    shutil.copytree(FIXTURES / "epub-leaflet", folder)
    fixture = folder / "sciatica-exercises.md"
    text = fixture.read_text(encoding="utf-8")
    for line, replacement in leaflet.front_matter.items():
        assert line in text, f"the fixture has changed: no {line!r}"
        text = text.replace(line, replacement)
    source = folder / f"{leaflet.stem}.md"
    fixture.unlink()
    source.write_text(text, encoding="utf-8")
    build(source, Settings(out_dir=out, editions=leaflet.editions, formats=leaflet.formats))
    files = {kind: name for kind, name in release_files(leaflet.stem).items() if kind in leaflet.kinds}
    for kind, name in files.items():
        if kind != "cover":
            shutil.copyfile(out / name, release_dir / name)
    save_png(page_pictures(out / files["pdf"])[0], release_dir / files["cover"])
    article = load_article(source)
    return ReleasedLeaflet(
        stem=leaflet.stem, title=article.title, subtitle=article.subtitle,
        description=article.description, keywords=tuple(article.keywords), lang=article.lang,
        authors=tuple(author.name for author in article.authors), version=article.version,
        date=article.date, review_date=dt.date(2027, 11, 25), url=None, files=files,
        source=source.name)


def html_page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def feed(site: Site) -> etree._Element:
    return etree.fromstring((site.site_dir / "opds.xml").read_bytes())


def resolved(site: Site, page: Path, reference: str) -> Path:
    """The file a relative link of ``page`` names, checked to stay in the served folder."""
    parts = urlsplit(reference)
    assert not parts.scheme and not parts.netloc, f"{page.name}: {reference!r} is not relative"
    assert not parts.path.startswith("/"), f"{page.name}: {reference!r} is absolute"
    relative = page.parent.relative_to(site.root).as_posix()
    target = posixpath.normpath(posixpath.join(relative, unquote(parts.path or page.name)))
    assert not target.startswith(".."), f"{page.name}: {reference!r} leaves the published folder"
    return site.root / target


# --- the e-reader catalogue -------------------------------------------------------------------

def test_the_catalogue_is_an_opds_acquisition_feed(site):
    root = feed(site)
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.findtext("a:id", namespaces=OPDS_NS).startswith("urn:uuid:")
    assert root.findtext("a:title", namespaces=OPDS_NS) == "Patient leaflets"
    assert root.findtext("a:updated", namespaces=OPDS_NS) == "2026-12-01T00:00:00Z"
    assert root.findtext("a:author/a:name", namespaces=OPDS_NS)
    for rel in ("self", "start"):
        (link,) = root.findall(f"a:link[@rel='{rel}']", OPDS_NS)
        assert link.get("type") == ACQUISITION_FEED
        assert resolved(site, site.site_dir / "opds.xml", link.get("href")) == site.site_dir / "opds.xml"


def test_each_released_epub_is_an_entry_that_downloads_it(site):
    entries = feed(site).findall("a:entry", OPDS_NS)
    by_title = {entry.findtext("a:title", namespaces=OPDS_NS): entry for entry in entries}
    epubs = [(leaflet, kind) for leaflet in site.leaflets for kind in EPUB_KINDS if kind in leaflet.files]
    assert sorted(by_title) == sorted(leaflet.title + EPUB_KINDS[kind] for leaflet, kind in epubs)
    assert "Exercises for Sciatica (audio with text)" in by_title  # the narrated EPUB: its own entry
    assert site.withdrawn.title not in by_title
    ids = [entry.findtext("a:id", namespaces=OPDS_NS) for entry in entries]
    assert len(set(ids)) == len(ids) and all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    for leaflet, kind in epubs:
        entry = by_title[leaflet.title + EPUB_KINDS[kind]]
        assert entry.findtext("dc:language", namespaces=OPDS_NS) == leaflet.lang
        assert entry.findtext("a:summary", namespaces=OPDS_NS) == leaflet.description
        assert entry.findtext("a:updated", namespaces=OPDS_NS) == f"{leaflet.date.isoformat()}T00:00:00Z"
        assert [name.text for name in entry.findall("a:author/a:name", OPDS_NS)] == list(leaflet.authors)
        (acquisition,) = entry.findall("a:link[@rel='http://opds-spec.org/acquisition']", OPDS_NS)
        assert acquisition.get("type") == "application/epub+zip"
        epub = resolved(site, site.site_dir / "opds.xml", acquisition.get("href"))
        assert epub.read_bytes() == (site.release_dir / leaflet.files[kind]).read_bytes()
        (image,) = entry.findall("a:link[@rel='http://opds-spec.org/image']", OPDS_NS)
        assert image.get("type") == "image/png"
        cover = resolved(site, site.site_dir / "opds.xml", image.get("href"))
        assert cover.read_bytes() == (site.release_dir / f"{leaflet.stem}.cover.png").read_bytes()


def test_the_same_release_writes_the_same_site(site, tmp_path):
    again = tmp_path / "site"
    written = write_site(list(site.leaflets), again, site.release_dir, today=TODAY)
    names = sorted(path.relative_to(again).as_posix() for path in written)
    assert names == sorted(path.relative_to(site.site_dir).as_posix() for path in site.written)
    for name in names:
        assert (again / name).read_bytes() == (site.site_dir / name).read_bytes(), name


def test_a_leaflet_no_longer_released_leaves_the_site(site, tmp_path):
    again = tmp_path / "site"
    write_site(list(site.leaflets), again, site.release_dir, today=TODAY)
    (again / "status.html").write_text("the release's own page", encoding="utf-8")
    write_site([site.leaflet("sciatica-exercises")], again, site.release_dir, today=TODAY)
    assert not (again / "hostile.html").exists()
    assert not (again / "files" / "hostile.epub").exists()
    assert (again / "status.html").exists(), "files the site did not write are left alone"
    titles = [entry.findtext("a:title", namespaces=OPDS_NS)
              for entry in etree.parse(again / "opds.xml").findall("a:entry", OPDS_NS)]
    assert titles == ["Exercises for Sciatica", "Exercises for Sciatica (audio with text)"]


def test_a_leaflet_named_like_a_page_of_the_site_is_refused(site, tmp_path):
    index = replace(site.leaflet("hostile"), stem="Index", source="Index.md")
    with pytest.raises(SiteError) as raised:
        write_site([index], tmp_path / "site", site.release_dir, today=TODAY)
    message = str(raised.value)
    assert message.startswith("Index.md: a leaflet named 'Index' would replace the site's own")
    assert "rename the article" in message


def test_a_file_missing_from_the_release_is_named(site, tmp_path):
    missing = replace(site.leaflet("hostile"), files={"epub": "not-there.epub"})
    with pytest.raises(SiteError) as raised:
        write_site([missing], tmp_path / "site", site.release_dir, today=TODAY)
    assert str(raised.value).startswith(f"{site.release_dir / 'not-there.epub'}: the release "
                                        "folder has no not-there.epub (epub)")


# --- the pages --------------------------------------------------------------------------------

def test_every_link_and_picture_resolves_inside_the_published_folder(site):
    outside = []
    for page in site.pages():
        tree = html_page(page)
        for element in tree.iter():
            for attribute in ("href", "src"):
                reference = element.get(attribute)
                if reference is None:
                    continue
                if reference == URL:  # the leaflet's own online copy, under its QR code
                    assert page.name == "sciatica-exercises.html"
                    outside.append(reference)
                    continue
                target = resolved(site, page, reference)
                assert target.is_file(), f"{page.name}: {attribute}={reference!r} goes nowhere"
                fragment = urlsplit(reference).fragment
                if fragment:
                    assert html_page(target).get_element_by_id(fragment) is not None
    assert outside == [URL]


def test_the_index_lists_every_released_leaflet(site):
    index = html_page(site.site_dir / "index.html")
    assert index.get("lang") == "en"
    assert len(index.findall(".//h1")) == 1
    items = index.xpath("//ul[@id='leaflets']/li")
    titles = [item.findtext(".//h2/a") for item in items]
    assert sorted(titles) == sorted(leaflet.title for leaflet in site.leaflets)
    english = items[titles.index("Exercises for Sciatica")]
    text = english.text_content()
    for expected in ("Gentle exercises that ease sciatica pain.", "sciatica, exercise", "English",
                     "25 November 2027"):
        assert expected in text
    (english_name,) = english.xpath(".//dd/span[@lang='en']")  # en-GB and en-US: English
    assert english_name.text == "English" and english_name.get("dir") == "ltr"
    (french_link,) = english.xpath(".//a[@hreflang='fr']")
    assert french_link.get("href") == "sciatica-exercises-fr.html"
    assert french_link.text == "Français" and french_link.get("lang") == "fr"
    assert index.xpath("//label[@for='search']") and index.xpath("//input[@id='search']")


def test_a_leaflet_page_offers_every_format_its_picture_and_its_qr_code(site):
    page = html_page(site.site_dir / "sciatica-exercises.html")
    assert page.get("lang") == "en-GB"
    (heading,) = page.findall(".//h1")
    assert heading.text_content() == "Exercises for Sciatica" and heading.get("lang") == "en-GB"
    (cover,) = page.xpath("//img[@class='cover']")
    assert "Exercises for Sciatica" in cover.get("alt")
    assert cover.get("src") == "files/sciatica-exercises.cover.png"
    downloads = [link.get("href") for link in page.xpath("//a[@download]")]
    english = [f"files/{name}" for kind, name in release_files("sciatica-exercises").items()
               if kind != "cover"]
    assert len(english) == 8  # the four PDFs, the EPUB, the narrated EPUB, the MP3 and the BRF
    french = ["files/sciatica-exercises-fr.pdf", "files/sciatica-exercises-fr.epub"]
    easy_read = ["files/sciatica-exercises-easy-read.pdf", "files/sciatica-exercises-easy-read.epub"]
    assert sorted(downloads) == sorted(english + french + easy_read)
    (own,) = page.xpath("//section[@aria-labelledby='downloads-heading']/ul[@class='downloads']")
    offered = {link.get("href"): (link.text.strip(), link.get("type")) for link in own.iter("a")}
    assert offered == {f"files/{name}": (LABELS[kind], MEDIA_TYPES[kind])
                       for kind, name in release_files("sciatica-exercises").items() if kind != "cover"}
    for name in english + french:
        assert (site.site_dir / name).read_bytes() == (site.release_dir / Path(name).name).read_bytes()
    (qr,) = page.xpath("//svg[@class='qr-code']")
    assert qr.findtext("title") == f"QR code for {URL}"
    assert "Dr Ana Smith, Clinical lead" in page.text_content()


def test_a_leaflet_and_its_easy_read_version_link_to_each_other(site):
    full = html_page(site.site_dir / "sciatica-exercises.html")
    (section,) = full.xpath("//section[@aria-labelledby='easy-read-heading']")
    (link,) = section.xpath(".//p/a")
    assert link.get("href") == "sciatica-exercises-easy-read.html" and link.get("hreflang") == "en-GB"
    assert link.text_content() == "Moving with sciatica: Easy read"
    easy = html_page(site.site_dir / "sciatica-exercises-easy-read.html")
    (back,) = easy.xpath("//section[@aria-labelledby='full-version-heading']//a")
    assert back.get("href") == "sciatica-exercises.html" and back.text_content() == "Exercises for Sciatica"
    assert easy.xpath("//section[@aria-labelledby='easy-read-heading']") == []
    assert html_page(site.site_dir / "hostile.html").xpath("//section[@aria-labelledby='easy-read-heading']") == []


def test_a_leaflet_without_an_address_has_no_qr_code(site):
    page = html_page(site.site_dir / "hostile.html")
    assert page.xpath("//svg") == []
    assert "QR code" not in page.text_content()


def test_a_translation_links_back_to_the_original(site):
    page = html_page(site.site_dir / "sciatica-exercises-fr.html")
    (heading,) = page.findall(".//h1")
    assert heading.get("lang") == "fr"
    (original,) = page.xpath("//h3/a[@hreflang='en-GB']")
    assert original.get("href") == "sciatica-exercises.html"


def test_nothing_an_article_says_runs_on_the_site(site):
    for page in site.pages():
        tree = html_page(page)
        scripts = [(script.get("src"), script.text) for script in tree.iter("script")]
        assert scripts in ([], [("search.js", None)]), f"{page.name}: {scripts}"
        assert tree.xpath("//*[@onerror or @onload or @onclick]") == [], page.name
        assert tree.xpath("//img[@src='x']") == [], page.name
    hostile = html_page(site.site_dir / "hostile.html")
    assert hostile.find(".//h1").text_content() == SCRIPT
    assert hostile.xpath("//p[@class='description']")[0].text_content() == ATTRIBUTE
    assert hostile.xpath("//p[@class='subtitle']")[0].text_content() == ATTRIBUTE
    assert f"{SCRIPT}, {ATTRIBUTE}" in hostile.text_content()
    index = html_page(site.site_dir / "index.html")
    assert SCRIPT in [title.text_content() for title in index.xpath("//ul[@id='leaflets']//h2")]
    (entry,) = [entry for entry in feed(site).findall("a:entry", OPDS_NS)
                if entry.findtext("a:title", namespaces=OPDS_NS) == SCRIPT]
    assert entry.findtext("a:summary", namespaces=OPDS_NS) == ATTRIBUTE


# --- in a real browser ------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 (the standard library's name)
        pass


@pytest.fixture(scope="module")
def served(site):
    """The published folder over HTTP on loopback; the browser reaches it as localhost
    (tools/chromium-for-ace resolves no other name, and no address)."""
    handler = functools.partial(QuietHandler, directory=str(site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def in_browser(url: str, profile: Path, typed: str | None = None) -> dict:
    """What tools/site-browser.js saw on ``url`` (after typing ``typed`` into the search)."""
    missing = [str(path) for path in (AXE, CHROMIUM) if not path.exists()]
    assert not missing, f"not installed: {', '.join(missing)}; run: make tools"
    assert shutil.which("node"), "Node.js is not on PATH; it comes with npm (make tools needs it)"
    command = ["node", str(BROWSER_RUNNER), url, str(profile)] + ([typed] if typed is not None else [])
    result = subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"the browser could not open {url}:\n{result.stderr[-3000:]}"
    seen = json.loads(result.stdout)
    assert seen["consoleErrors"] == [], f"{url}: {seen['consoleErrors']}"
    # Only what browsers ask every server for, which the site does not have.
    assert all(line.endswith("/favicon.ico") for line in seen["badResponses"]), seen["badResponses"]
    return seen


def axe_report(seen: dict) -> str:
    return "\n".join(f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                     f"{', '.join(violation['targets'])}" for violation in seen["violations"])


def assert_focus_ring(focus: dict, text: str) -> None:
    assert focus["text"] == text and focus["onScreen"], focus
    assert focus["outlineStyle"] == "solid" and float(focus["outlineWidth"].removesuffix("px")) >= 2, focus


def test_the_index_passes_axe_and_its_search_filters_what_the_reader_types(site, served, tmp_path):
    seen = in_browser(served + "index.html", tmp_path / "profile", typed="sciatique")
    assert seen["violations"] == [], "axe found on index.html:\n" + axe_report(seen)
    assert seen["searchVisible"]
    assert seen["shown"] == ["Exercices pour la sciatique"]
    assert seen["status"] == "1 of 4 leaflets match your search."
    # Tab from the search box: the one leaflet found, with a ring round it.
    assert_focus_ring(seen["focus"], "Exercices pour la sciatique")


def test_the_search_reads_the_address_and_finds_topics_and_summaries(site, served, tmp_path):
    seen = in_browser(served + "index.html?q=Exercise%20PAIN", tmp_path / "profile")
    assert seen["shown"] == ["Exercises for Sciatica"]  # "exercise" a topic, "pain" the summary
    nothing = in_browser(served + "index.html?q=zzz", tmp_path / "other-profile")
    assert nothing["shown"] == []
    assert nothing["status"].startswith("No leaflet matches")


@pytest.mark.parametrize("page", ["sciatica-exercises.html", "hostile.html"])
def test_a_leaflet_page_passes_axe(site, served, tmp_path, page):
    seen = in_browser(served + page, tmp_path / "profile")
    assert seen["violations"] == [], f"axe found on {page}:\n" + axe_report(seen)
    assert_focus_ring(seen["focus"], "Skip to the content")  # the first Tab shows the skip link


# --- the site in the reader's language (issue 21) ---------------------------------------------
# The community-languages fixture (an English leaflet and its Somali, Tamil, Tigrinya, Farsi,
# Pashto and Gujarati translations), built as PDF and EPUB, published with the clinic
# profile of fixtures/clinic-leaflet: each page in its leaflet's language and script.

COMMUNITY = FIXTURES / "community-languages"
COMMUNITY_LANGUAGES = ("so", "ta", "ti", "fa", "ps", "gu")
STRINGS = PROJECT_ROOT / "styles" / "strings"


@pytest.fixture(scope="module")
def language_site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("languages")
    out, release_dir = root / "built", root / "release"
    release_dir.mkdir()
    released = []
    with warnings_recorded():  # Tigrinya and Somali have no CSL locale: test_community_languages
        for source in sorted(COMMUNITY.glob("*.md")):
            build(source, Settings(out_dir=out, formats=("pdf", "epub")))
            article = load_article(source)
            files = {kind: name for kind, name in release_files(article.stem).items()
                     if kind in ("pdf", "epub", "cover")}
            for kind, name in files.items():
                if kind != "cover":
                    shutil.copyfile(out / name, release_dir / name)
            save_png(page_pictures(out / files["pdf"])[0], release_dir / files["cover"])
            released.append(ReleasedLeaflet(
                stem=article.stem, title=article.title, subtitle=article.subtitle,
                description=article.description, keywords=tuple(article.keywords), lang=article.lang,
                authors=tuple(author.name for author in article.authors), version=article.version,
                date=article.date, review_date=article.review_date, url=URL, files=files,
                approvals=article.approvals, source=source.name,
                translation_of="sciatica-massage" if article.translation_of else None,
                translations=tuple((t, f"sciatica-massage.{t}") for t in COMMUNITY_LANGUAGES
                                   if not article.translation_of)))
    clinic = load_clinic("riverside.yaml", FIXTURES / "clinic-leaflet" / "sciatica-exercises.md", None)
    site_dir = root / "site"
    written = write_site(released, site_dir, release_dir, today=TODAY, clinic=clinic)
    return Site(root, release_dir, site_dir, tuple(released), released[0], tuple(written))


def site_words(lang: str) -> dict:
    """The strings file of ``lang``, by its whole tag (zh-CN), else its language (en-GB: en)."""
    path = STRINGS / f"{lang}.yaml"
    path = path if path.is_file() else STRINGS / f"{lang.split('-')[0]}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def english_site_words() -> list[str]:
    """The site's English words for a leaflet's page: its site-* and site-formats keys and
    the labels it shares with the leaflet, without the places the pipeline fills in."""
    english = site_words("en")
    texts = [*english["site-formats"].values(), english["version"], english["produced"],
             english["review-date"], english["approved-by"], english["online-copy-heading"]]
    texts += [text for key, text in english.items() if key.startswith("site-") and isinstance(text, str)]
    return sorted({part.strip(" .,:?") for text in texts for part in re.split(r"\{\w+\}", text)
                   if len(part.strip(" .,:?")) > 3})


@pytest.mark.parametrize("lang", COMMUNITY_LANGUAGES)
def test_a_leaflet_page_is_in_the_leaflets_language_and_script(language_site, lang):
    page = html_page(language_site.site_dir / f"sciatica-massage.{lang}.html")
    words = site_words(lang)
    assert page.get("lang") == lang
    assert page.get("dir") == ("rtl" if lang in ("fa", "ps") else None)
    text = page.text_content()
    for key in ("site-download", "site-other-languages", "site-skip-link", "site-all-leaflets",
                "review-date", "online-copy-heading"):
        assert words[key] in text, key
    names = [link.text for link in page.xpath("//section[@aria-labelledby='downloads-heading']//a")]
    assert names == [words["site-formats"]["pdf"], words["site-formats"]["epub"]]
    assert [english for english in english_site_words() if english in text] == []
    # The other languages, each named in itself and marked as itself.
    for other in page.xpath("//section[@aria-labelledby='languages-heading']/h3"):
        other_lang = other.get("lang")
        assert other.findtext("span[@class='language']") == f"({site_words(other_lang)['language-name']})"
        assert other.get("dir") == ("rtl" if other_lang in ("fa", "ps") else "ltr")
    (language,) = page.xpath("//dd/span[@lang]")
    assert (language.get("lang"), language.text) == (lang, words["language-name"])


def test_the_index_offers_a_way_in_by_language(language_site):
    index = html_page(language_site.site_dir / "index.html")
    links = index.xpath("//nav[@aria-labelledby='languages-heading']//a")
    assert sorted(link.get("lang") for link in links) == sorted(("en", *COMMUNITY_LANGUAGES))
    for link in links:
        lang = link.get("lang")
        assert link.text == site_words(lang)["language-name"]
        assert link.get("hreflang") == lang and link.get("dir") == ("rtl" if lang in ("fa", "ps") else "ltr")
        page = html_page(resolved(language_site, language_site.site_dir / "index.html", link.get("href")))
        assert page.get("lang") == lang
        assert page.findtext(".//h1") == site_words(lang)["site-leaflets-in"].format(
            language=link.text)
        (leaflet,) = page.xpath("//ul[@class='leaflets']/li//a")
        assert leaflet.get("href") == ("sciatica-massage.html" if lang == "en"
                                       else f"sciatica-massage.{lang}.html")


def test_the_site_carries_the_clinics_name_logo_and_colour(language_site):
    for page in sorted(language_site.site_dir.glob("*.html")):
        tree = html_page(page)
        (name,) = tree.xpath("//p[@class='site-name']/a")
        assert name.text_content() == "Riverside Physiotherapy", page.name
        (logo,) = name.xpath("img[@class='clinic-logo']")
        assert logo.get("alt") == ""  # the name beside it says whose it is
        assert resolved(language_site, page, logo.get("src")).read_bytes() == \
            (FIXTURES / "clinic-leaflet" / "riverside-logo.svg").read_bytes()
        assert tree.xpath("//link[@rel='stylesheet']/@href") == ["site.css", "clinic.css"]
    assert (language_site.site_dir / "clinic.css").read_text(encoding="utf-8") == \
        ":root { --brand: #0b5d7a; }\n"


@pytest.fixture(scope="module")
def served_languages(language_site):
    handler = functools.partial(QuietHandler, directory=str(language_site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("page", ["index.html", "sciatica-massage.fa.html", "sciatica-massage.ti.html",
                                  "index.ps.html"])
def test_a_page_in_another_language_passes_axe(language_site, served_languages, tmp_path, page):
    seen = in_browser(served_languages + page, tmp_path / "profile")
    assert seen["violations"] == [], f"axe found on {page}:\n" + axe_report(seen)
    lang = page.split(".")[-2] if page.count(".") > 1 else "en"
    assert_focus_ring(seen["focus"], site_words(lang)["site-skip-link"])
