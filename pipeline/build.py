"""Runs the stages for one article and writes its outputs.

source → pandoc AST → made safe → citations → printed editions (HTML +
WeasyPrint, one PDF per edition, the booklet imposed) and EPUB (pandoc) →
page pictures if asked. Any ``PipelineError`` leaves with the article's file
attached, and each output is written atomically.

The two outputs overlap: pandoc writes the EPUB while WeasyPrint lays out
the PDF, and a cold build imports WeasyPrint in a helper process while this
one reads the article (``printed.pdf.pdf_writer``).

A layer on top of the build may lend it ``Shortcuts`` to go faster (the live
preview does, ``live_preview.shortcuts``): its own way of asking pandoc, whose
answers may be provisional, and its own PDF writer. The build confirms such
answers before any output replaces the previous one, and starts again when
``confirm`` raises ``Rebuild``. An ordinary build lends nothing (``PLAIN``).
"""
from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DEFAULT_CSL, Settings
from .errors import PipelineError, RenderError, UsageError
from .files import atomic_output
from .leaflet import LeafletBuild, leaflet_build
from .outputs import format_named
from .printed.editions import EDITIONS
from .pandoc.run import PANDOC, Pandoc
from .printed.pdf import PROCESS_WRITER, PdfWriter, pdf_writer
from .processes import captured_logs, replay
from .theme.folder import Theme

# The stages are imported where they are used, not here: ``import pipeline`` stays
# light, so a cold build starts its PDF helper (which imports WeasyPrint) a fifth of
# a second sooner, and loads citeproc-py, Jinja2 and YAML while the helper works.
if TYPE_CHECKING:
    from markupsafe import Markup

    from .article.model import Article
    from .epub.writer import PendingEpub

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")


class Rebuild(Exception):
    """Raised by ``Shortcuts.confirm``: an answer lent to this build was not the one
    a plain build gets. The build starts again; the shortcuts then know better."""


class Shortcuts:
    """What a layer on top of the build lends it to go faster. This plain default
    lends nothing: pandoc reads and writes the whole article, every answer is final,
    and the PDF is written by this process (or a helper it starts)."""

    provisional = False  # whether an answer may be withdrawn by ``confirm``

    def __init__(self, *, pandoc: Pandoc = PANDOC, pdf_writer: PdfWriter | None = None) -> None:
        self.pandoc = pandoc
        self.pdf_writer = pdf_writer  # None: the build chooses (``printed.pdf.pdf_writer``)

    def confirm(self) -> None:
        """Raise ``Rebuild`` if an answer given to this build was wrong; these never are."""

    def abandon(self) -> None:
        """The build stopped: forget what it asked. Nothing is left over here."""


PLAIN = Shortcuts()


def build(source: Path, settings: Settings, shortcuts: Shortcuts = PLAIN) -> list[Path]:
    """Build every requested format of one article; return the files written."""
    source = Path(source)
    shortcuts.pandoc.start()
    try:
        with warnings_held(shortcuts), pdf_writer(settings, source, first_edition_stylesheets(settings),
                                                   shortcuts.pdf_writer) as pdf:
            try:
                article, doc = prepare(source, settings, shortcuts.pandoc)
                return write_outputs(leaflet_build(article, doc, settings), pdf, shortcuts)
            except Exception:
                shortcuts.confirm()  # the fault may be a provisional answer's: Rebuild, if so
                raise
            finally:
                shortcuts.abandon()
    except Rebuild:
        return build(source, settings, shortcuts)
    except PipelineError as error:
        raise error.located(source)


@contextlib.contextmanager
def warnings_held(shortcuts: Shortcuts) -> Iterator[None]:
    """While a build goes on provisional answers, its warnings wait until the answers
    are confirmed: if one was wrong, they were about a document that does not exist,
    and the build that starts again gives the right ones."""
    if not shortcuts.provisional:
        yield
        return
    try:
        with captured_logs() as records:
            try:
                yield
            except Rebuild:
                records.clear()
                raise
    finally:
        replay(records)


def first_edition_stylesheets(settings: Settings) -> list[Path]:
    """What the PDF helper may parse before the article is read (its theme is the build's)."""
    if "pdf" not in settings.formats:
        return []
    return Theme(settings.theme_dir).edition_stylesheets(settings.editions[0], settings.paper)


def write_outputs(leaflet: LeafletBuild, writer: PdfWriter, shortcuts: Shortcuts = PLAIN) -> list[Path]:
    """PDF and EPUB in the order asked for. The PDF's HTML comes first (a cold build's
    helper is waiting for it); then pandoc starts on the EPUB, to run while WeasyPrint
    lays out the PDF (once the helper has the HTML, or just before the layout in this
    process: ``PdfWriter.while_writing``)."""
    from .epub.writer import started_epub
    from .printed.html import html_body
    article, settings = leaflet.article, leaflet.settings
    if "pdf" in settings.formats:
        writer.expect_html()
    if "pdf" in settings.formats or "epub" in settings.formats:
        from .printed.glyph_coverage import check_glyph_coverage
        check_glyph_coverage(leaflet)  # no character printed as an empty box
    body = html_body(leaflet, shortcuts.pandoc) if "pdf" in settings.formats else None
    with contextlib.ExitStack() as running:
        # Started once, by whichever comes first: the PDF writer's ``while_writing`` or
        # the EPUB's own turn.
        epub = functools.cache(lambda: running.enter_context(started_epub(leaflet)))
        if "epub" in settings.formats and "pdf" in settings.formats:
            writer.while_writing(epub)  # a helper writing the PDF need not wait for it
        written = []
        for fmt in settings.formats:
            if fmt == "pdf":
                written += write_print_editions(leaflet, writer, body, shortcuts)
            elif fmt == "epub":
                written.append(write_epub_output(epub(), article, settings, shortcuts))
            else:
                written.append(write_other_format(fmt, leaflet, shortcuts))
    if settings.page_pictures:
        from .printed.page_pictures import write_page_pictures  # pypdfium2 loads only for pictures
        pdfs = [path for path in written if path.suffix == ".pdf"]  # of every edition
        written += write_page_pictures(pdfs, settings.out_dir, article.stem)
    return written


def write_other_format(fmt: str, leaflet: LeafletBuild, shortcuts: Shortcuts = PLAIN) -> Path:
    """A format its subpackage writes (``outputs.Format.write``) into the temporary file
    that becomes its one file. The writer imports its tools (liblouis, eSpeak NG, ...)
    only when its format is asked for."""
    registered = format_named(fmt)
    (file,) = registered.files
    target = file.path(leaflet.settings.out_dir, leaflet.article.stem)
    write_output(target, lambda path: registered.write(leaflet, path), shortcuts)
    return target


def write_epub_output(epub: PendingEpub, article: Article, settings: Settings,
                      shortcuts: Shortcuts = PLAIN) -> Path:
    (file,) = format_named("epub").files
    target = file.path(settings.out_dir, article.stem)
    write_output(target, epub.write, shortcuts)
    return target


def write_print_editions(leaflet: LeafletBuild, writer: PdfWriter = PROCESS_WRITER,
                         body: Markup | None = None, shortcuts: Shortcuts = PLAIN) -> list[Path]:
    from .printed.html import html_body, render_html
    article, settings = leaflet.article, leaflet.settings
    if body is None:
        body = html_body(leaflet)
    written = []
    for name in settings.editions:
        edition = EDITIONS[name]
        html = render_html(body, leaflet, name)
        target = edition.target(settings.out_dir, article.stem)
        stylesheets = leaflet.theme.edition_stylesheets(name, settings.paper)
        write_output(target, lambda path: writer.write(html, path, article, settings, stylesheets),
                     shortcuts)
        written.append(target)
        imposed = edition.imposed_target(settings.out_dir, article.stem)
        if imposed is not None:
            from .printed.imposition import impose_booklet  # pypdf loads only for the booklet
            write_output(imposed, lambda path: impose_booklet(target, path), shortcuts)
            written.append(imposed)
    return written


def write_output(target: Path, write: Callable[[Path], None], shortcuts: Shortcuts = PLAIN) -> None:
    """``write`` fills a temporary file that then replaces ``target`` in one step, once
    the answers the output was made from are confirmed."""
    progress.info("writing %s", target)
    try:
        with atomic_output(target, before_replacing=shortcuts.confirm) as temporary:
            write(temporary)
    except OSError as error:
        raise RenderError(f"cannot write {target}: {error.strerror or error}",
                          hint="check that the output folder exists, is a folder, "
                               "and that you may write to it") from error


def prepare(source: Path, settings: Settings, pandoc: Pandoc = PANDOC) -> tuple[Article, dict]:
    """Everything both outputs share: the article and its AST, made safe, with citations rendered."""
    from .article.front_matter import load_article
    progress.info("%s: reading", source.name)
    article = load_article(source)
    reading = pandoc.start_reading(article.markdown, article.path, settings.pandoc_timeout)
    try:
        # In a process's first build, the later stages load while pandoc reads.
        from .article.characters import warn_of_removed, without_control_characters_in
        from .article.leftover_markdown import check_no_leftover_markdown
        from .article.references import load_references
        from .article.safety import made_safe, with_reference_links_made_safe
        from .article.translations import warn_if_out_of_date
        from .citations.engine import process_citations
        from .citations.csl_styles import resolve_csl_style
        load_output_stages(settings)
        warn_if_out_of_date(article)
        doc = reading.result()
    finally:
        reading.stop()
    check_no_leftover_markdown(doc, article.markdown, article.path)  # no raw '[^note]' printed
    doc = made_safe(doc, article, settings)
    csl_name = settings.csl or article.csl or DEFAULT_CSL
    try:
        csl_style = resolve_csl_style(csl_name, article.folder, settings.theme_dir)
    except PipelineError as error:
        if settings.csl:  # from --csl: the article's own 'csl:' line is not at fault
            raise UsageError(error.message, hint=error.hint, option=f"--csl {settings.csl!r}") from None
        raise error.located(article.path, article.line_of_field("csl"))
    references = load_references(article.bibliography, settings.pandoc_timeout)
    progress.info("%s: rendering citations with %s", source.name, csl_style.name)
    references_heading = Theme(settings.theme_dir).words(article.lang).word("references")
    doc = process_citations(doc, article, references, csl_style, references_heading)
    doc, removed = without_control_characters_in(doc)  # pandoc makes them of '&#27;'
    warn_of_removed(removed, article.markdown, article.path)
    return article, with_reference_links_made_safe(doc, article)  # a reference's URL too


def load_output_stages(settings: Settings) -> None:
    """Import what writes the formats asked for, ahead of its use (``prepare`` does it
    while pandoc reads). The other formats' writers import their tools when they write."""
    if "pdf" in settings.formats or "epub" in settings.formats:
        from .printed import glyph_coverage  # noqa: F401
    if "pdf" in settings.formats:
        from .printed import html  # noqa: F401
    if "epub" in settings.formats:
        from .epub import writer  # noqa: F401
