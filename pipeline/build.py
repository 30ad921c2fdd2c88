"""Runs the stages for one article and writes its outputs.

source → pandoc AST → resources checked → citations → printed editions
(HTML + WeasyPrint, one PDF per edition, the booklet imposed) and EPUB
(pandoc) → page previews if asked. Any ``PipelineError`` leaves with the
article's file attached, and each output is written atomically.

The two outputs overlap: pandoc writes the EPUB while WeasyPrint lays out
the PDF, and a cold build imports WeasyPrint in a helper process while this
one reads the article (``pdf.pdf_writer``).
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DEFAULT_CSL, Settings
from .errors import PipelineError, RenderError
from .printed.editions import EDITIONS
from .files import atomic_output, checked_before_replacing
from .pandoc.run import PANDOC, Pandoc
from .printed.pdf import PROCESS_WRITER, PdfWriter, pdf_writer
from .processes import captured_logs, replay
from .live_preview.reread import Misread

# The stages are imported where they are used, not here: ``import pipeline`` stays
# light, so a cold build starts its PDF helper (which imports WeasyPrint) a fifth of
# a second sooner, and loads citeproc-py, Jinja2 and YAML while the helper works.
if TYPE_CHECKING:
    from markupsafe import Markup

    from .epub.writer import PendingEpub
    from .article.front_matter import Article

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")


def build(source: Path, settings: Settings, writer: PdfWriter | None = None,
          pandoc: Pandoc = PANDOC) -> list[Path]:
    """Build every requested format of one article; return the files written.
    The live preview passes its own ``writer`` and ``pandoc``, which keep what they
    did for the previous build (see relayout.py and reread.py)."""
    source = Path(source)
    try:
        with warnings_held(pandoc), checked_before_replacing(pandoc.confirm), \
                pdf_writer(settings, source, first_edition_stylesheets(settings), writer) as pdf:
            try:
                article, doc = prepare(source, settings, pandoc)
                return write_outputs(doc, article, settings, pdf, pandoc)
            except Exception:
                pandoc.confirm()  # the fault may be a spliced answer's: Misread, if so
                raise
            finally:
                pandoc.abandon()
    except Misread:  # a spliced answer was wrong; pandoc's whole ones are now at hand
        return build(source, settings, writer, pandoc)
    except PipelineError as error:
        raise error.located(source)


@contextlib.contextmanager
def warnings_held(pandoc: Pandoc) -> Iterator[None]:
    """While a build goes on pandoc's spliced answers, its warnings wait until the
    answers are confirmed: if one was wrong, they were about a document that does not
    exist, and the build that starts again gives the right ones."""
    if not pandoc.splices:
        yield
        return
    try:
        with captured_logs() as records:
            try:
                yield
            except Misread:
                records.clear()
                raise
    finally:
        replay(records)


def first_edition_stylesheets(settings: Settings) -> list[Path]:
    return EDITIONS[settings.editions[0]].stylesheets(settings) if "pdf" in settings.formats else []


def write_outputs(doc: dict, article: Article, settings: Settings, writer: PdfWriter,
                  pandoc: Pandoc = PANDOC) -> list[Path]:
    """PDF and EPUB in the order asked for. The PDF's HTML comes first (a cold build's
    helper is waiting for it); then pandoc starts on the EPUB, to run while WeasyPrint
    lays out the PDF."""
    from .epub.writer import started_epub
    from .printed.html import html_body
    body = html_body(doc, article, settings, pandoc) if "pdf" in settings.formats else None
    with contextlib.ExitStack() as running:
        epub = (running.enter_context(started_epub(doc, article, settings))
                if "epub" in settings.formats else None)
        written = []
        for fmt in settings.formats:
            if fmt == "pdf":
                written += write_print_editions(doc, article, settings, writer, body)
            else:
                written.append(write_epub_output(epub, article, settings))
    if settings.preview:
        from .printed.page_pictures import write_previews  # pypdfium2 loads only for previews
        pdfs = [path for path in written if path.suffix == ".pdf"]
        written += write_previews(pdfs, settings.out_dir, article.stem)
    return written


def write_epub_output(epub: PendingEpub, article: Article, settings: Settings) -> Path:
    target = settings.out_dir / f"{article.stem}.epub"
    write_output(target, epub.write)
    return target


def write_print_editions(doc: dict, article: Article, settings: Settings,
                         writer: PdfWriter = PROCESS_WRITER, body: Markup | None = None) -> list[Path]:
    from .printed.html import html_body, render_html
    if body is None:
        body = html_body(doc, article, settings)
    written = []
    for name in settings.editions:
        edition = EDITIONS[name]
        html = render_html(body, article, settings, name)
        target = edition.target(settings.out_dir, article.stem)
        write_output(target, lambda path: writer.write(html, path, article, settings,
                                                       edition.stylesheets(settings)))
        written.append(target)
        imposed = edition.imposed_target(settings.out_dir, article.stem)
        if imposed is not None:
            from .printed.imposition import impose_booklet  # pypdf loads only for the booklet
            write_output(imposed, lambda path: impose_booklet(target, path))
            written.append(imposed)
    return written


def write_output(target: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a temporary file that then replaces ``target`` in one step."""
    progress.info("writing %s", target)
    try:
        with atomic_output(target) as temporary:
            write(temporary)
    except OSError as error:
        raise RenderError(f"cannot write {target}: {error.strerror or error}",
                          hint="check that the output folder exists, is a folder, "
                               "and that you may write to it") from error


def prepare(source: Path, settings: Settings, pandoc: Pandoc = PANDOC) -> tuple[Article, dict]:
    """Everything both outputs share: the article and its AST with citations rendered."""
    from .citations.engine import process_citations
    from .citations.styles import resolve_style
    from .article.references import load_references
    from .article.safety import check_resources
    from .article.front_matter import load_article
    progress.info("%s: reading", source.name)
    article = load_article(source)
    doc = pandoc.read(article.markdown, article.path, settings.pandoc_timeout)
    doc = check_resources(doc, article, settings)
    style_name = settings.csl or article.csl or DEFAULT_CSL
    try:
        style = resolve_style(style_name, article.folder, settings.styles_dir)
    except PipelineError as error:
        if settings.csl:  # from --csl: the article's own 'csl:' line is not at fault
            raise error.located("--csl")
        raise error.located(article.path, article.line_of_field("csl"))
    references = load_references(article.bibliography, settings.pandoc_timeout)
    progress.info("%s: rendering citations with %s", source.name, style.name)
    return article, process_citations(doc, article, references, style)


