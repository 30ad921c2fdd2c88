"""The print PDF, laid out by WeasyPrint.

Stylesheets come from ``styles/`` (each edition names its own, see
``editions.py``). The PDF is tagged (PDF/UA-1), its fonts embedded and
subset, its metadata taken from the HTML head. Its text layer (what extraction and
screen readers read back) is put right while WeasyPrint draws: ``text_layer.py``.

A ``PdfWriter`` keeps WeasyPrint's font set-up and the parsed stylesheets
between leaflets, so a library build or a live preview pays for them once.
A cold one-leaflet build starts a ``PdfHelper`` first: a forked process that
imports WeasyPrint (a fifth of a second) and sets up the fonts on the other
core while this one reads the article and renders the citations. The build hands
it the HTML before it starts pandoc on the EPUB (``while_writing``), and tells it
when the HTML is a moment away (``expect_html``): a helper that is ready by then
waits for it rather than lay out its sample page.
"""
from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import logging
import multiprocessing
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from ..config import Settings
from .deferred_imports import defer_seldom_used_imports
from .hyphenation import remember_hyphenation_patterns
from .native_libraries import remember_c_declarations, remembered_library_lookups
from .text_layer import TEXT_LAYER
from ..files import fixed_source_date
from ..processes import captured_logs, failure, replay, with_remote_traceback
from ..theme.stylesheets import check_stylesheet

if TYPE_CHECKING:
    from ..article.model import Article

# zlib's level for the PDF's streams (text, fonts). pydyf uses 9; on the sciatica
# leaflet 6 compresses in 6 ms instead of 17 ms, for a file 2% larger.
PDF_COMPRESSION_LEVEL = 6
# Parsed stylesheets a PDF writer keeps (three editions, two paper sizes, a clinic's
# edits), and layouts the live preview keeps: the oldest go first.
KEPT_STYLESHEET_SETS = 8
# With --allow-remote, how long WeasyPrint waits for a remote image or stylesheet.
REMOTE_FETCH_TIMEOUT_SECONDS = 10

log = logging.getLogger(__name__)


class NotActionableForAuthors(logging.Filter):
    """Drops two kinds of WeasyPrint messages: the advice to install HarfBuzz-Subset
    (for system administrators: fontTools subsets fonts without it, only more
    slowly), and "Failed to load" for files our fetcher refused on purpose, which
    it has already explained in a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "HarfBuzz-Subset" not in message and REFUSED not in message


logging.getLogger("weasyprint").addFilter(NotActionableForAuthors())

PDF_VARIANT = "pdf/ua-1"
REFUSED = "refused by the leaflet pipeline"


# What a leaflet is made of, on one page: headings, bold, italic, a link, a citation
# number, a list, a table and a reference list (see ``PdfWriter.rehearse``).
REHEARSAL_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Rehearsal</title></head><body><header class="title-block"><h1 class="title">Title</h1>
<p class="subtitle">Subtitle</p></header><main><h2 id="a">Heading</h2><h3>Smaller heading</h3>
<p>Text with <strong>bold</strong>, <em>italic</em>, <a href="#a">a link</a> and a
citation<sup>1</sup>.</p><ul><li>One item</li></ul><ol><li>Another</li></ol>
<table><caption>Caption</caption><thead><tr><th>Head</th></tr></thead><tbody><tr><td>Cell</td>
</tr></tbody></table><blockquote><p>Quote</p></blockquote><div id="refs" class="references csl-bib-body">
<div class="csl-entry"><div class="csl-left-margin">1. </div><div class="csl-right-inline">Reference.
</div></div></div></main></body></html>"""


def import_weasyprint():
    """WeasyPrint, imported on first use (EPUB-only builds never pay for it), with its C
    libraries located from the cache (see native_libraries.py)."""
    if "weasyprint" not in sys.modules:
        gc.disable()  # an import makes many objects and no garbage: collecting is wasted
        try:
            remember_c_declarations()
            defer_seldom_used_imports()
            with remembered_library_lookups():
                import weasyprint  # noqa: F401
            remember_hyphenation_patterns()
        finally:
            gc.enable()
        # Its modules live as long as the process: the collector need not walk them on
        # every collection during layout (which makes a few hundred thousand objects).
        gc.freeze()
    # Also when something else imported WeasyPrint first: the same bytes either way.
    import pydyf
    pydyf.zlib = STREAM_COMPRESSION
    from .tagging import install as tag_page_furniture_as_artifacts
    tag_page_furniture_as_artifacts()
    return sys.modules["weasyprint"]


class StreamCompression:
    """zlib as pydyf (WeasyPrint's PDF writer) sees it: streams compressed at
    ``PDF_COMPRESSION_LEVEL`` rather than the level pydyf asks for."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args, **kwargs):
        return zlib.compressobj(PDF_COMPRESSION_LEVEL, *args, **kwargs)


STREAM_COMPRESSION = StreamCompression()


def weasyprint_imported() -> bool:
    return "weasyprint" in sys.modules


@dataclass
class PreparedStyles:
    font_config: object  # weasyprint.text.fonts.FontConfiguration
    stylesheets: list  # weasyprint.CSS, the font faces first


class LayoutMemory(Protocol):
    """What a writer may be lent to lay out again only what changed since the last
    layout of the same leaflet (the live preview lends one)."""

    def reusing(self, key: tuple) -> contextlib.AbstractContextManager:
        """While one document with this key (leaflet, stylesheets) is laid out."""

    def forget(self) -> None:
        """Every layout kept so far is stale."""


class PdfWriter:
    """Writes PDFs in this process, keeping the font set-up and parsed stylesheets.

    A stylesheet set is reused only while its files are unchanged (the key holds
    their sizes and modification times) and only if parsing it logged nothing,
    so that every build still shows every warning about its own files.

    With ``layouts`` it also starts each layout from the last one of the same
    leaflet and stylesheets, as the ``LayoutMemory`` decides."""

    def __init__(self, *, layouts: LayoutMemory | None = None) -> None:
        self.prepared: dict[tuple, PreparedStyles] = {}
        self.layouts = layouts

    def write(self, html: str, target: Path, article: Article, settings: Settings,
              stylesheet_files: list[Path]) -> None:
        weasyprint = import_weasyprint()
        files = checked(stylesheet_files)
        key = styles_key(files, settings, article.folder)
        styles = self.styles(files, settings, article.folder, article.path, key)
        document = weasyprint.HTML(string=html, base_url=str(article.folder) + "/",
                                   url_fetcher=fetcher_for(article.folder, settings, article.path))
        with fixed_source_date(article.date), self.layout_reuse(key, article), TEXT_LAYER.active():
            document.write_pdf(
                target, stylesheets=styles.stylesheets, font_config=styles.font_config,
                pdf_variant=PDF_VARIANT, pdf_identifier=stable_identifier(html),
                uncompressed_pdf=False)

    def while_writing(self, task: Callable[[], object]) -> None:
        """Work to do while the next PDF is written. This process writes it itself, so the
        work is done first (a ``PdfHelper`` does it once it has handed the PDF over)."""
        task()

    def expect_html(self) -> None:
        """The HTML of the next PDF is a moment away (only a ``PdfHelper`` cares)."""

    def layout_reuse(self, styles: tuple, article: Article) -> contextlib.AbstractContextManager:
        """The leaflet's last layout with these very stylesheets (``styles_key``), to
        start from, if the writer was lent a memory of layouts."""
        if self.layouts is None:
            return contextlib.nullcontext()
        return self.layouts.reusing((str(article.path), styles))

    def forget(self) -> None:
        """Start afresh: something the layouts or stylesheets may depend on without
        naming it in the HTML or CSS (an image, a font file) has changed."""
        self.prepared.clear()
        if self.layouts is not None:
            self.layouts.forget()

    def styles(self, files: list[Path], settings: Settings, folder: Path, source: Path,
               key: tuple | None = None) -> PreparedStyles:
        key = key or styles_key(files, settings, folder)
        if key in self.prepared:
            return self.prepared[key]
        with captured_logs() as records:
            prepared = parse_styles(files, settings, folder, source)
        replay(records)
        if not records:
            kept_at_most(self.prepared, key, prepared)
        return prepared

    def warm_up(self, files: list[Path], settings: Settings, folder: Path, source: Path) -> None:
        """Import WeasyPrint and parse the stylesheets before there is anything to lay out.
        Only a head start: whatever goes wrong here goes wrong again, and is reported,
        when the PDF is written."""
        import_weasyprint()
        with contextlib.suppress(Exception), captured_logs():
            self.styles(checked(files), settings, folder, source)

    def rehearse(self, files: list[Path], settings: Settings, folder: Path, source: Path) -> None:
        """Lay out and write a one-page sample with the leaflet's stylesheets, and throw it
        away. A process's first PDF costs a third of a second more than the next (fonts
        loaded into Pango, cffi parsing the C types WeasyPrint asks for, modules imported
        on first use); paid here, it is off the critical path. Nothing of the sample
        reaches a real PDF: each PDF is made from its own document's pages and fonts."""
        weasyprint = import_weasyprint()
        with contextlib.suppress(Exception), captured_logs(), TEXT_LAYER.active():
            styles = self.styles(checked(files), settings, folder, source)
            weasyprint.HTML(string=REHEARSAL_HTML, base_url=str(folder) + "/",
                            url_fetcher=fetcher_for(folder, settings, source)).write_pdf(
                stylesheets=styles.stylesheets, font_config=styles.font_config,
                pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def kept_at_most(kept: dict, key: tuple, value: object) -> None:
    """Add ``value``, letting go of the oldest entries beyond ``KEPT_STYLESHEET_SETS``."""
    while len(kept) >= KEPT_STYLESHEET_SETS:
        del kept[next(iter(kept))]
    kept[key] = value


PROCESS_WRITER = PdfWriter()
# WeasyPrint's font set-up cleans up after itself in __del__, which fails if it runs
# while the interpreter is tearing down its modules: let go of it before that.
atexit.register(PROCESS_WRITER.prepared.clear)


def parse_styles(files: list[Path], settings: Settings, folder: Path, source: Path) -> PreparedStyles:
    """The @font-face rules first, then the leaflet's stylesheets, then the font stacks
    (``styles/fonts.css``, see fonts.py): last, so the fonts it names win over any
    stylesheet's."""
    from .fonts import font_face_css
    weasyprint = import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = fetcher_for(folder, settings, source)
    font_config = FontConfiguration()
    return PreparedStyles(font_config, [
        weasyprint.CSS(string=font_face_css(settings.theme_dir), font_config=font_config,
                       url_fetcher=fetcher),
        *(weasyprint.CSS(filename=path, font_config=font_config, url_fetcher=fetcher)
          for path in with_font_stacks(files, settings))])


def with_font_stacks(files: list[Path], settings: Settings) -> list[Path]:
    from .fonts import font_stylesheet
    return checked([*files, font_stylesheet(settings.theme_dir)])


def styles_key(files: list[Path], settings: Settings, folder: Path) -> tuple:
    """Everything parsed stylesheets depend on, down to each file's version."""
    from .fonts import font_face_css
    versions = []
    for path in with_font_stacks(files, settings):
        stat = path.stat()
        versions.append((str(path), stat.st_mtime_ns, stat.st_size))
    return (tuple(versions), font_face_css(settings.theme_dir), str(folder.resolve()),
            str(settings.theme_dir.resolve()), settings.allow_remote)


def fetcher_for(folder: Path, settings: Settings, source: Path):
    import_weasyprint()
    from weasyprint import URLFetcher
    return local_fetcher(URLFetcher, allowed_roots(folder, settings), settings.allow_remote, source)


# What the build sends a helper when the HTML is a few hundredths of a second away:
# sooner than a rehearsal (a tenth) would end, and a rehearsal saves only about half of it.
HTML_EXPECTED = "html expected"


class PdfHelper:
    """A forked process that writes this build's PDFs, warmed up while this process
    prepares the HTML. Its log records and errors come back here (processes.py)."""

    def __init__(self, warm_up_files: list[Path], settings: Settings, source: Path) -> None:
        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child_end, self.connection, warm_up_files, settings, source),
            name="pdf-helper", daemon=True)
        self.process.start()
        child_end.close()
        self.tasks: list[Callable[[], object]] = []

    def while_writing(self, task: Callable[[], object]) -> None:
        """Work for this process to do while the helper writes the next PDF."""
        self.tasks.append(task)

    def expect_html(self) -> None:
        """Tell the helper: if it is ready, it waits for the HTML rather than rehearse.
        Only a hint: a helper that is gone is reported by ``write``, as it was before."""
        with contextlib.suppress(OSError):
            self.connection.send(HTML_EXPECTED)

    def write(self, html: str, target: Path, article: Article, settings: Settings,
              stylesheet_files: list[Path]) -> None:
        try:
            self.connection.send((html, target, article, settings, stylesheet_files))
            while self.tasks:
                self.tasks.pop(0)()
            records, outcome = self.connection.recv()
        except BaseException:  # stopped (Ctrl-C, SIGTERM): the helper must not go on writing
            self.close()
            raise
        replay(records)
        if outcome is not None:
            error, text = outcome
            raise with_remote_traceback(error, text)

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def serve(connection, parent_end, warm_up_files: list[Path], settings: Settings,
          source: Path) -> None:
    """The helper's life: warm up, then write each PDF asked for until the parent hangs up."""
    parent_end.close()  # so that the parent's end closing (even by its death) ends the loop
    writer = PdfWriter()
    writer.warm_up(warm_up_files, settings, source.parent, source)
    if not connection.poll():  # the HTML is not even on its way: time to rehearse
        writer.rehearse(warm_up_files, settings, source.parent, source)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request == HTML_EXPECTED:
            continue
        with captured_logs() as records:
            try:
                writer.write(*request)
                outcome = None
            except BaseException as error:
                outcome = failure(error)
        connection.send((records, outcome))


HELPER = {"started": False}


def helper_worth_starting() -> bool:
    """Only for the first build of a process that has not imported WeasyPrint and may have
    children (a library's pool workers may not, and have WeasyPrint already). A program
    that builds again imports WeasyPrint itself the second time, and stays warm."""
    return (not weasyprint_imported() and not HELPER["started"]
            and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods())


@contextlib.contextmanager
def pdf_writer(settings: Settings, source: Path, first_stylesheets: list[Path],
               kept: PdfWriter | None = None):
    """The writer for one build: the caller's own (the live preview's), this process's
    when WeasyPrint is already here (a library worker, the tests), else a helper that
    starts now, in parallel."""
    if kept is not None:
        yield kept
        return
    if not first_stylesheets or not helper_worth_starting():
        yield PROCESS_WRITER
        return
    HELPER["started"] = True
    helper = PdfHelper(first_stylesheets, settings, Path(source))
    try:
        yield helper
    finally:
        helper.close()


def checked(paths: list[Path]) -> list[Path]:
    for path in paths:
        check_stylesheet(path)
    return paths


def stable_identifier(html: str) -> bytes:
    """The PDF /ID: the same for the same leaflet, so builds are byte-identical."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def allowed_roots(folder: Path, settings: Settings) -> tuple[Path, ...]:
    from .fonts import font_dirs
    # Resolved like the paths they are compared with: a virtualenv reached through a
    # symlink (a git worktree's .venv) must not refuse its own fonts.
    return (folder.resolve(), settings.theme_dir.resolve(), *(path.resolve() for path in font_dirs()))


def local_fetcher(base: type, roots: tuple[Path, ...], allow_remote: bool, source: Path):
    """A WeasyPrint URL fetcher that reads only the article's folder, styles/ and
    the packaged fonts, and goes on the network only when the user allowed it."""

    class LocalFetcher(base):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname  # loaded by WeasyPrint already
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    if path.suffix.lower() == ".svg":  # never the author's file: its drawing only
                        from weasyprint.urls import URLFetcherResponse
                        from ..article.svg import cleaned
                        return URLFetcherResponse(url, cleaned(path),
                                                  {"Content-Type": "image/svg+xml"})
                    return super().fetch(url, headers)
                log.warning("%s: not reading %s: only files in the article's folder and "
                            "styles/ are used", source, path)
                raise ValueError(f"{path}: {REFUSED}")
            if allow_remote:
                return super().fetch(url, headers)
            log.warning("%s: not fetching %s: the build does not use the network "
                        "(save the file next to the article, or pass --allow-remote)", source, url)
            raise ValueError(f"{url}: {REFUSED}")

    return LocalFetcher(timeout=REMOTE_FETCH_TIMEOUT_SECONDS)
