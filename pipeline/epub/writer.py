"""The EPUB, written by pandoc's EPUB3 writer.

pandoc gets the same AST as the PDF (citations already rendered), the
reader-friendly ``styles/epub.css``, a cover made from the
``styles/templates/cover.svg`` template and the EPUB Accessibility 1.1
metadata, and the leaflet's fonts subset to its text (``fonts.py``). A
right-to-left leaflet's spine runs right to left (pandoc's
``page-progression-direction``) and its Latin runs are marked left to right
(``pandoc/bidi.py``). pandoc's title page shows the date as the language
writes it (the ``date`` variable; the package keeps the ISO date). Afterwards
the package document gets the conformance claim pandoc does not write, the
landmarks pandoc names in English ("Cover", "Title Page") get the language's
words, every content document of a right-to-left book gets ``dir="rtl"``
(pandoc's template has no place for it), and the ZIP is rewritten with fixed
timestamps and order so the same article always gives the same bytes. Every XML
file in the package is then parsed (``well_formed.py``): an EPUB that is not
well-formed is an error, never written.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import json
import re
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

from markupsafe import Markup

from ..citations.note_marks import letter, notes_are_lettered
from ..errors import StyleError
from ..leaflet import LeafletBuild
from ..theme.folder import Theme
from ..theme.strings import Strings
from ..files import source_date_epoch
from ..pandoc.run import start_pandoc
from ..pandoc.ast import attr, elements, meta_inlines, meta_list, meta_string, stringify, text_inlines
from ..pandoc.bidi import is_right_to_left, with_latin_runs_isolated
from ..article.model import Article
from ..article.media import with_media_embedded
from ..article.translations import translated_from, translation_languages
from .fonts import epub_font_arguments
from .well_formed import check_well_formed

STYLESHEET = "epub.css"
PANDOC_STYLESHEET = "EPUB/styles/stylesheet1.css"  # where pandoc puts the book's one stylesheet
COVER_TEMPLATE = "cover.svg"
SIGN_OFF_TEMPLATE = "sign-off.html"  # the words of a draft's title and of "Approved by"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry
IDENTIFIER_NAMESPACE = uuid.UUID("6f0c7e1c-53c5-4b0f-9a5e-2f1a2d7c9b10")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
ACCESSIBILITY_SUMMARY = (
    "This leaflet is a reflowable EPUB: the reader can enlarge and restyle its text. "
    "It has a table of contents, headings in order and tables with header rows{images}. "
    "It has no known hazards.")
RIGHT_TO_LEFT_SPINE = re.compile(r'<spine\b[^>]*\bpage-progression-direction="rtl"')
HTML_ELEMENT = re.compile(r"<html\b")
# The links pandoc writes in English in the navigation document's landmarks, and the cover's
# entry in the package document's guide, by the strings file key of the words they get.
LANDMARK_LINK = re.compile(r'(<a\b[^>]*\bepub:type="(cover|titlepage)"[^>]*>)[^<]*(</a>)')
GUIDE_COVER = re.compile(r'(<reference\b[^>]*\btype="cover"[^>]*\btitle=")[^"]*(")')
MODIFIED = re.compile(r'(<meta property="dcterms:modified">)[^<]*(</meta>)')
LANDMARK_KEYS = {"cover": "cover", "titlepage": "title-page"}
# pandoc's footnote marks and notes (EPUB 3): <a ... class="footnote-ref" ...>1</a>, and
# <aside epub:type="footnote" ... id="fn1"><p>
NOTE_MARK = re.compile(r'(<a\b[^>]*\bclass="footnote-ref"[^>]*>)(\d+)(</a>)')
NOTE_START = re.compile(r'<aside\b[^>]*\bid="fn(\d+)"[^>]*>\s*<p>')
SUPERSCRIPT_CITATION = re.compile(r'<span\b[^>]*\bclass="citation"[^>]*>\s*<sup>')
# Where the language names go in "also available in: {languages}" until each is set as a
# span of its own language: a character no strings file holds (a Unicode noncharacter).
LANGUAGES_PLACE = "\uffff"


class PendingEpub:
    """pandoc writing the EPUB into a scratch folder, started before the PDF is laid out;
    ``write`` waits for it and stores the finished package."""

    def __init__(self, leaflet: LeafletBuild, scratch: Path) -> None:
        article, settings, theme, words = leaflet.article, leaflet.settings, leaflet.theme, leaflet.words
        stylesheet = theme.checked_stylesheet(STYLESHEET)
        cover = scratch / "cover.svg"
        cover.write_text(render_cover(article, theme, words), encoding="utf-8")
        self.words = words
        book = epub_document(leaflet.doc, article, sign_off_words(theme, words), words,
                             translated_from(article, words, theme),
                             translation_languages(article, theme))
        self.lettered_notes = notes_are_lettered(leaflet.doc)
        self.written = scratch / "book.epub"
        arguments, self.stylesheets = sandboxed(
            ["--from", "json", "--to", "epub3", "--output", str(self.written),
             "--css", str(stylesheet), "--epub-cover-image", str(cover), "--toc-depth", "3",
             *title_page_date(article, words),
             *epub_font_arguments(stringify(book), article.lang, theme, scratch)],
            scratch, network=settings.allow_remote)
        self.modified = source_date_epoch(article.date)
        self.pandoc = start_pandoc(
            arguments, json.dumps(book), settings.pandoc_timeout,
            what="writing the EPUB", file=article.path, cwd=scratch,
            env={"SOURCE_DATE_EPOCH": str(self.modified)})

    def write(self, target: Path) -> None:
        self.pandoc.result()
        target.write_bytes(accessible_and_reproducible(self.written.read_bytes(), self.words,
                                                       self.stylesheets, self.modified,
                                                       lettered_notes=self.lettered_notes))


def sandboxed(arguments: list[str], scratch: Path, network: bool = False) -> tuple[list[str], bytes]:
    """pandoc's EPUB arguments for its sandbox (``--sandbox``), where it reads only the
    fonts (``--epub-embed-font``) and, from a defaults file, the cover: every picture comes
    in the document (``article/media.py``), and the stylesheets (``--css``, which the
    sandbox cannot read) are returned, joined, for ``accessible_and_reproducible`` to put
    in the package in place of pandoc's own. ``network`` (``--allow-remote``): pandoc may
    fetch the remote pictures, and so runs outside the sandbox, in ``scratch``, where
    no file of the article's is."""
    kept, stylesheets, cover = [], [], None
    pending = iter(arguments)
    for argument in pending:
        if argument in ("--css", "--epub-cover-image"):
            value = next(pending)
        elif argument.startswith(("--css=", "--epub-cover-image=")):
            argument, value = argument.split("=", 1)
        else:
            kept.append(argument)
            continue
        if argument == "--css":
            stylesheets.append(Path(value).read_bytes())
        else:
            cover = value
    if cover is not None:
        # pandoc's sandbox lets it read a cover named in a defaults file, not on the command line.
        defaults = scratch / "cover-defaults.yaml"
        defaults.write_text(json.dumps({"epub-cover-image": cover}), encoding="utf-8")
        kept += ["--defaults", str(defaults)]
    kept += ["--resource-path", str(scratch)] if network else ["--sandbox"]
    return kept, b"\n".join(stylesheets)


@contextlib.contextmanager
def started_epub(leaflet: LeafletBuild) -> Iterator[PendingEpub]:
    """Start pandoc now; whatever happens, it is stopped and its scratch folder removed."""
    with tempfile.TemporaryDirectory(prefix="leaflet-epub-") as scratch:
        pending = PendingEpub(leaflet, Path(scratch))
        try:
            yield pending
        finally:
            pending.pandoc.stop()


def epub_document(doc: dict, article: Article, sign_off, words: Strings,
                  translated: str | None = None,
                  languages: tuple[tuple[str, str], ...] = ()) -> dict:
    """The AST with the metadata pandoc's EPUB writer reads; ``sign_off`` is the sign-off
    template's module (``sign_off_words``), ``words`` the language's strings, ``translated``
    a translation's "Translated from ..." line, ``languages`` a source's translations
    (``translation_languages``)."""
    # Only the metadata and the list of blocks change: copies of those two leave ``doc``
    # as the PDF saw it, without copying the whole tree.
    book = {**doc, "meta": dict(doc.get("meta", {}))}
    meta = book["meta"]
    meta["title"] = meta_inlines(plain(sign_off.title(article)))
    if article.subtitle:
        meta["subtitle"] = meta_inlines(article.subtitle)
    if article.authors:
        meta["author"] = meta_list([meta_inlines(a.display_name_in(words)) for a in article.authors])
    meta["lang"] = meta_string(article.lang)
    meta["toc-title"] = meta_inlines(words.word("contents"))
    meta["identifier"] = meta_string(identifier(article))
    if article.date:
        meta["date"] = meta_string(article.date.isoformat())
    if article.description:
        meta["description"] = meta_inlines(article.description)
    if article.keywords:
        meta["subject"] = meta_list([meta_inlines(word) for word in article.keywords])
    meta.update(accessibility_metadata(*image_descriptions(doc)))
    book["blocks"] = (draft_notice(article, sign_off) + leaflet_details(article, words, translated, languages)
                      + doc["blocks"] + approvals_block(article, sign_off))
    if is_right_to_left(article.lang):
        meta["page-progression-direction"] = meta_string("rtl")
        book["blocks"] = with_latin_runs_isolated(book["blocks"])
    return with_media_embedded(book, article.folder)  # pandoc reads no file (``sandboxed``)


def title_page_date(article: Article, words: Strings) -> list[str]:
    """pandoc's title page shows the ``date`` variable where one is set, its metadata's
    otherwise; the package document's dc:date stays the metadata's ISO date, as EPUB asks."""
    return ["--variable", f"date={words.long_date(article.date)}"] if article.date else []


def draft_notice(article: Article, sign_off) -> list[dict]:
    """A draft says so first, in the text a reader (and a screen reader) starts from, as
    the printed leaflet's first paragraph does; the words are the sign-off template's."""
    if not article.is_draft:
        return []
    notice = {"t": "Para", "c": [{"t": "Strong", "c": text_inlines(plain(str(sign_off.draft_mark)))}]}
    return [{"t": "Div", "c": [["", ["draft-mark"], []], [notice]]}]


def approvals_block(article: Article, sign_off) -> list[dict]:
    """Who signed the leaflet off, at its end, as the printed leaflet has it."""
    if not article.approvals:
        return []
    heading = {"t": "Para", "c": [{"t": "Strong", "c": text_inlines(str(sign_off.approved_by))}]}
    entries = [[{"t": "Plain", "c": text_inlines(plain(sign_off.approval(signed)))}]
               for signed in article.approvals]
    return [{"t": "Div", "c": [["", ["approvals"], []],
                               [heading, {"t": "BulletList", "c": entries}]]}]


def sign_off_words(theme: Theme, words: Strings):
    """The sign-off template's words and macros (``draft_mark``, ``title``, ``approval``),
    in the language of ``words``."""
    template_dir = theme.template_folder()
    try:
        template = theme.templates().get_template(SIGN_OFF_TEMPLATE)
        return template.make_module({"words": words})
    except Exception as error:  # a missing or broken template is the clinic's to fix
        raise StyleError(f"cannot use the sign-off template: {error}",
                         file=template_dir / SIGN_OFF_TEMPLATE,
                         hint="restore it from the project (git checkout styles/)") from None


def plain(rendered: str) -> str:
    """A macro's words as text: the template escapes them for HTML."""
    return Markup(rendered).unescape().strip()


def accessibility_metadata(with_images: bool, all_described: bool) -> dict:
    """EPUB Accessibility 1.1 discovery metadata, true of what this pipeline writes:
    `alternativeText` only when every image has a description."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if with_images and all_described:
        features.append("alternativeText")
    summary = ACCESSIBILITY_SUMMARY.format(
        images=", and every image has a text alternative" if with_images and all_described else "")
    return {
        "accessModes": meta_list([meta_string(m) for m in
                                  (["textual", "visual"] if with_images else ["textual"])]),
        "accessModeSufficient": meta_list([meta_string("textual")]),
        "accessibilityFeatures": meta_list([meta_string(f) for f in features]),
        "accessibilityHazards": meta_list([meta_string("none")]),
        "accessibilitySummary": meta_string(summary),
    }


def leaflet_details(article: Article, words: Strings, translated: str | None = None,
                    languages: tuple[tuple[str, str], ...] = ()) -> list[dict]:
    """Version, review date and other formats: what the printed leaflet carries in its
    footer and at its end; a translation says what it was translated from. Each is a
    sentence in the language's punctuation ('details-version', 'sentence', ...)."""
    sentences = []
    if article.version:
        sentences.append(words.word("details-version", version=article.version))
    if article.review_date and article.easy_read:  # in plain words, as the printed leaflet
        sentences.append(words.word("sentence", text=words.word(
            "easy-read-check-again-on", date=words.long_date(article.review_date))))
    elif article.review_date:
        sentences.append(words.word("details-review-date", date=words.long_date(article.review_date)))
    if article.alternative_formats:
        sentences.append(words.word("epub-other-formats",
                                    formats=words.in_words(article.alternative_formats)))
    if translated:
        sentences.append(words.word("sentence", text=translated))
    if languages:
        sentences.append(words.word("sentence", text=words.word(
            "also-available-in", languages=LANGUAGES_PLACE)))
    if not sentences:
        return []
    before, _, after = words.word("sentence-gap").join(sentences).partition(LANGUAGES_PLACE)
    inlines = spaced_inlines(before) + language_names(languages) + spaced_inlines(after)
    paragraph = {"t": "Para", "c": inlines}
    return [{"t": "Div", "c": [["", ["leaflet-details"], []], [paragraph]]}]


def language_names(languages: tuple[tuple[str, str], ...]) -> list[dict]:
    """"Polski · العربية": each name a span in its own language and direction, so that a
    screen reader says it with that language's voice and the e-reader sets it in its font."""
    inlines: list[dict] = []
    for lang, name in languages:
        if inlines:
            inlines += [{"t": "Space"}, {"t": "Str", "c": "·"}, {"t": "Space"}]
        direction = "rtl" if is_right_to_left(lang) else "ltr"
        inlines.append({"t": "Span", "c": [attr(attributes=[["lang", lang], ["dir", direction]]),
                                           text_inlines(name)]})
    return inlines


def spaced_inlines(text: str) -> list[dict]:
    """``text_inlines``, keeping a space at either end (where a span follows or precedes)."""
    if not text:
        return []
    inlines = text_inlines(text)
    if text[0].isspace():
        inlines.insert(0, {"t": "Space"})
    if text[-1].isspace() and text.strip():
        inlines.append({"t": "Space"})
    return inlines


def identifier(article: Article) -> str:
    """Derived from the leaflet's file name and title: stable across builds and versions."""
    return "urn:uuid:" + str(uuid.uuid5(IDENTIFIER_NAMESPACE, f"{article.stem}\n{article.title}"))


def render_cover(article: Article, theme: Theme, words: Strings) -> str:
    """The cover picture, in the language of ``words``."""
    template_dir = theme.template_folder()
    try:
        template = theme.templates().get_template(COVER_TEMPLATE)
    except Exception as error:  # a missing or broken template is the clinic's to fix
        raise StyleError(f"cannot use the cover template: {error}",
                         file=template_dir / COVER_TEMPLATE,
                         hint="restore it from the project (git checkout styles/)") from None
    return template.render(article=article, words=words,
                           right_to_left=is_right_to_left(article.lang))


def image_descriptions(doc: dict) -> tuple[bool, bool]:
    """Whether the article has images, and whether every one has alternative text."""
    images = list(elements(doc["blocks"], "Image"))
    return bool(images), all(stringify(image["c"][1]).strip() for image in images)


def accessible_and_reproducible(epub: bytes, words: Strings | None = None,
                                stylesheet: bytes | None = None, modified: int | None = None, *,
                                lettered_notes: bool | None = None) -> bytes:
    """Add the accessibility conformance claim to the package document, the language's
    words (``words``) to the landmarks, ``dir="rtl"`` to every content document of a book
    whose spine runs right to left, the leaflet's ``stylesheet`` in place of pandoc's and
    the ``modified`` time (SOURCE_DATE_EPOCH, which pandoc's sandbox does not read) in
    the package document (``sandboxed``), and rewrite the ZIP with fixed timestamps,
    ``mimetype`` first and stored, as EPUB requires. (Without ``words`` the landmarks keep
    pandoc's English: the narrated EPUB, ``audio/narrated_epub.py``, is yet to pass them.)
    With ``lettered_notes`` the footnotes are marked a, b, c (``citations/note_marks.py``);
    ``None`` decides from the package's text, as the narrated EPUB's writer leaves it to."""
    source = zipfile.ZipFile(io.BytesIO(epub))
    names = source.namelist()
    ordered = ["mimetype"] + [name for name in names if name != "mimetype"]
    right_to_left = any(RIGHT_TO_LEFT_SPINE.search(source.read(name).decode("utf-8"))
                        for name in names if name.endswith(".opf"))
    if lettered_notes is None:
        lettered_notes = superscript_citations_and_notes(source)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name in ordered:
            data = source.read(name)
            if name.endswith(".opf"):
                data = data.decode("utf-8")
                if words:
                    data = guide_in_language(data, words)
                if modified is not None:
                    data = with_modified_time(data, modified)
                data = with_conformance_claim(data).encode("utf-8")
            elif name == PANDOC_STYLESHEET and stylesheet is not None:
                data = stylesheet
            elif name.endswith(".xhtml"):
                data = data.decode("utf-8")
                if words:
                    data = landmarks_in_language(data, words)
                if right_to_left:
                    data = right_to_left_document(data)
                if lettered_notes:
                    data = with_lettered_notes(data)
                data = data.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, data)
    check_well_formed(output.getvalue())  # the narrated EPUB passes here too
    return output.getvalue()


def with_modified_time(opf: str, epoch: int) -> str:
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return MODIFIED.sub(lambda meta: meta[1] + stamp + meta[2], opf, count=1)


def superscript_citations_and_notes(package: zipfile.ZipFile) -> bool:
    """Whether the book's citations are superscripts and it has footnotes (as
    ``note_marks.notes_are_lettered`` decides from the AST)."""
    texts = [package.read(name).decode("utf-8") for name in package.namelist()
             if name.endswith(".xhtml")]
    return (any(SUPERSCRIPT_CITATION.search(text) for text in texts)
            and any(NOTE_MARK.search(text) for text in texts))


def with_lettered_notes(xhtml: str) -> str:
    """pandoc's footnote marks (``<a class="footnote-ref">1</a>``) as letters, and each
    note, which pandoc leaves without a mark, opening with its letter, as the printed
    leaflet's notes do: a reader who reaches the notes at the end finds which is which."""
    xhtml = NOTE_MARK.sub(lambda mark: mark[1] + letter(int(mark[2])) + mark[3], xhtml)
    return NOTE_START.sub(lambda note: f'{note[0]}<span class="footnote-label">'
                                       f'{letter(int(note[1]))}.</span> ', xhtml)


def landmarks_in_language(xhtml: str, words: Strings) -> str:
    """The navigation document's "Cover" and "Title Page" (pandoc's English) in the
    leaflet's language; other documents have no landmarks and are unchanged."""
    def in_language(link: re.Match) -> str:
        return link[1] + html.escape(words.word(LANDMARK_KEYS[link[2]]), quote=False) + link[3]
    return LANDMARK_LINK.sub(in_language, xhtml)


def guide_in_language(opf: str, words: Strings) -> str:
    """The EPUB 2 guide's cover entry, which pandoc titles "Cover", in the leaflet's language."""
    title = html.escape(words.word("cover"), quote=False).replace('"', "&quot;")
    return GUIDE_COVER.sub(lambda entry: entry[1] + title + entry[2], opf)


def right_to_left_document(xhtml: str) -> str:
    """The content document laid out right to left, as its spine runs."""
    return HTML_ELEMENT.sub('<html dir="rtl"', xhtml, count=1)


def with_conformance_claim(opf: str) -> str:
    """pandoc writes the schema.org accessibility fields; the conformance claim it does not."""
    claim = f'<meta property="dcterms:conformsTo">{html.escape(CONFORMS_TO, quote=False)}</meta>'
    return opf.replace("</metadata>", f"  {claim}\n  </metadata>", 1)
