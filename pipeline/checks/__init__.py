"""Stage 6 (``make check``): one gate for accessibility, readability and the
patient-information standard.

It builds every format of a leaflet that it has a check for (``FORMAT_CHECKS``,
keyed by the formats of the registry, ``outputs.py``: all printed editions, the EPUB
and, where the language has a braille table, the braille-ready file), then checks the
source, the front matter and the built files, and returns one report. Errors fail
the gate; warnings fail it only with ``--strict``, and so does a check that could not
run.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import prepare, write_outputs
from ..config import Settings
from ..leaflet import leaflet_build
from ..outputs import Format, OutputFile, formats
from ..pandoc.ast import elements, stringify
from ..printed.editions import EDITIONS
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

if TYPE_CHECKING:
    from ..article.model import Article

__all__ = ["ERROR", "INFO", "NOT_RUN", "WARNING", "Finding", "Report", "check_leaflet"]


@dataclass
class Built:
    """What a format's check is given: the leaflet, as built into ``settings.out_dir``."""

    article: Article
    doc: dict
    settings: Settings
    report: Report
    openings: list
    figure_files: dict[str, str]

    def path(self, file: OutputFile) -> Path:
        return file.path(self.settings.out_dir, self.article.stem)


def check_printed(fmt: Format, built: Built) -> None:
    """A printed edition: its clear print, reading order and PDF/UA; the imposed sheets are the
    same pages, so PDF/UA only."""
    edition = EDITIONS[fmt.edition]
    for file in sorted(fmt.files, key=lambda file: file.imposed):  # the pages before the sheets
        if file.imposed:
            check_pdfua(built.path(file), f"{edition.name}, imposed", built.settings.theme_dir,
                        built.report)
        else:
            check_pdf(built.path(file), edition, built.openings, built.report, built.figure_files,
                      built.settings.theme_dir)


def check_epub_format(fmt: Format, built: Built) -> None:
    (file,) = fmt.files
    check_epub(built.path(file), built.report)


def check_brf_format(fmt: Format, built: Built) -> None:
    (file,) = fmt.files
    check_brf(built.path(file), built.doc, built.article, built.report, built.settings.theme_dir)


# How `make check` looks at each format it builds, by the format's name (a printed edition by
# check_printed). A format not here is not built by `make check` (the audio: eSpeak NG and
# LAME take a minute, and what the voice says is tested in tests/audio/).
FORMAT_CHECKS: dict[str, Callable[[Format, Built], None]] = {
    "epub": check_epub_format, "brf": check_brf_format,
}


def checker_of(fmt: Format) -> Callable[[Format, Built], None] | None:
    return check_printed if fmt.edition is not None else FORMAT_CHECKS.get(fmt.name)


def check_leaflet(source: Path, settings: Settings, today: dt.date | None = None) -> Report:
    """Build every checked format of ``source`` into ``settings.out_dir`` and check it all."""
    checked = [fmt for fmt in formats() if checker_of(fmt) is not None]
    article, doc = prepare(Path(source), settings)
    report = Report(leaflet=Path(source))
    if not braille_can_be_built(article, report, settings.theme_dir):  # where the language has a table
        checked = [fmt for fmt in checked if fmt.name != "brf"]
    settings = dataclasses.replace(settings, formats=tuple(dict.fromkeys(fmt.build_name for fmt in checked)),
                                   editions=tuple(fmt.edition for fmt in checked if fmt.edition),
                                   page_pictures=False)
    cites = next(elements(doc["blocks"], "Cite"), None) is not None or bool(article.nocite)
    check_patient_information(article, cites, report, today or dt.date.today())
    check_structure(doc, article, report)
    check_readability(doc, article, report)
    check_easy_read(doc, article, report)
    check_translations(article, report)
    check_own_words(article, settings.theme_dir, report)

    written = write_outputs(leaflet_build(article, doc, settings), PROCESS_WRITER)
    figure_files = {stringify(image["c"][1]): image["c"][2][0] for image in elements(doc["blocks"], "Image")}
    built = Built(article, doc, settings, report, paragraph_openings(doc), figure_files)
    for fmt in checked:
        checker_of(fmt)(fmt, built)
    report.outputs = [str(path) for path in written]
    return report
