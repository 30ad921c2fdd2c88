"""Stage 6 (``make check``): one gate for accessibility, readability and the
patient-information standard.

It builds every output of a leaflet (all printed editions, the EPUB and the
braille-ready file),
then checks the source, the front matter and the built files, and returns
one report. Errors fail the gate; warnings fail it only with ``--strict``,
and so does a check that could not run.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..build import prepare, write_outputs
from ..config import EDITIONS, FORMATS, Settings
from ..pandoc.ast import elements, stringify
from ..printed.pdf import PROCESS_WRITER
from .article_structure import check_structure
from .easy_read import check_easy_read
from .braille import braille_can_be_built, check_brf
from .epub import check_epub
from .findings import ERROR, INFO, NOT_RUN, WARNING, Finding, Report
from .patient_information import check_patient_information
from .pdf import check_pdf
from .pdfua import check_pdfua
from .readability import check_readability
from .reading_order import paragraph_openings
from .translations import check_own_words, check_translations

__all__ = ["ERROR", "INFO", "NOT_RUN", "WARNING", "Finding", "Report", "check_leaflet"]


def check_leaflet(source: Path, settings: Settings, today: dt.date | None = None) -> Report:
    """Build every output of ``source`` into ``settings.out_dir`` and check it all."""
    settings = dataclasses.replace(settings, formats=FORMATS, editions=tuple(EDITIONS), page_pictures=False)
    article, doc = prepare(Path(source), settings)
    report = Report(leaflet=Path(source))
    if braille_can_be_built(article, report, settings.styles_dir):  # the braille-ready file too, where the language has a table
        settings = dataclasses.replace(settings, formats=(*settings.formats, "brf"))
    cites = next(elements(doc["blocks"], "Cite"), None) is not None or bool(article.nocite)
    check_patient_information(article, cites, report, today or dt.date.today())
    check_structure(doc, article, report)
    check_readability(doc, article, report)
    check_easy_read(doc, article, report)
    check_translations(article, report)
    check_own_words(article, settings.styles_dir, report)

    written = write_outputs(doc, article, settings, PROCESS_WRITER)
    epub = next(path for path in written if path.suffix == ".epub")
    openings = paragraph_openings(doc)
    figure_files = {stringify(image["c"][1]): image["c"][2][0] for image in elements(doc["blocks"], "Image")}
    for edition in EDITIONS.values():
        check_pdf(edition.target(settings.out_dir, article.stem), edition, openings, report,
                  figure_files, settings.styles_dir)
        imposed = edition.imposed_target(settings.out_dir, article.stem)
        if imposed is not None:  # the same pages as the edition's, imposed: PDF/UA only
            check_pdfua(imposed, f"{edition.name}, imposed", settings.styles_dir, report)
    check_epub(epub, report)
    brf = next((path for path in written if path.suffix == ".brf"), None)
    if brf is not None:
        check_brf(brf, doc, article, report, settings.styles_dir)
    report.outputs = [str(path) for path in written]
    return report
