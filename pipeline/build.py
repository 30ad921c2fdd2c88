"""Runs the stages for one article and writes its outputs.

source → pandoc AST → images checked → citations → PDF (HTML + WeasyPrint)
and EPUB (pandoc). Any ``PipelineError`` leaves with the article's file
attached, and each output is written atomically.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .citations import process_citations
from .config import DEFAULT_CSL, Settings
from .csl_styles import resolve_style
from .epub import write_epub
from .errors import PipelineError, RenderError
from .html_render import render_html
from .outputs import atomic_output
from .pandoc_ast import markdown_to_ast
from .pdf import write_pdf
from .references import load_references
from .resources import check_resources
from .source import Article, load_article

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")


def build(source: Path, settings: Settings) -> list[Path]:
    """Build every requested format of one article; return the files written."""
    source = Path(source)
    try:
        article, doc = prepare(source, settings)
        written = []
        for fmt in settings.formats:
            target = settings.out_dir / f"{article.stem}.{fmt}"
            progress.info("%s: writing %s", source.name, target)
            try:
                with atomic_output(target) as temporary:
                    WRITERS[fmt](doc, article, temporary, settings)
            except OSError as error:
                raise RenderError(f"cannot write {target}: {error.strerror or error}",
                                  hint="check that the output folder exists, is a folder, "
                                       "and that you may write to it") from error
            written.append(target)
        return written
    except PipelineError as error:
        raise error.located(source)


def prepare(source: Path, settings: Settings) -> tuple[Article, dict]:
    """Everything both outputs share: the article and its AST with citations rendered."""
    progress.info("%s: reading", source.name)
    article = load_article(source)
    doc = markdown_to_ast(article.markdown, article.path, settings.pandoc_timeout)
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


def write_pdf_output(doc: dict, article: Article, target: Path, settings: Settings) -> None:
    write_pdf(render_html(doc, article, settings), target, article, settings)


WRITERS = {"pdf": write_pdf_output, "epub": write_epub}
