"""Every default in one place: the command line, the Makefile and the front
matter all end up in one frozen ``Settings`` object."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STYLES_DIR = PROJECT_ROOT / "styles"
OUTPUT_DIR = PROJECT_ROOT / "output"
# Answers that do not depend on any article (where the C libraries are), kept
# between runs and keyed on what they depend on: always safe to delete.
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "leaflet-pipeline"

FORMATS = ("pdf", "epub")
# What `python -m pipeline cite --to` writes the style preview as.
CITE_FORMATS = ("text", "html")
PAPER_SIZES = ("a4", "letter")
# Printed editions of the PDF (see pipeline/editions.py and styles/editions/).
EDITIONS = ("standard", "large-print", "booklet")
DEFAULT_EDITIONS = ("standard",)

DEFAULT_CSL = "american-medical-association"
DEFAULT_LANG = "en-US"
DEFAULT_PAPER = "a4"
# Title of the reference list when the article does not give its own heading.
DEFAULT_REFERENCES_HEADING = "References"

# Pandoc normally answers in well under a second; a minute means it hangs.
PANDOC_TIMEOUT_SECONDS = 60
# pandoc's Haskell runtime collects garbage after every 4 MB it allocates; a larger
# allocation area makes each pandoc run 10-15% faster and changes nothing it writes.
PANDOC_RTS_OPTIONS = ("+RTS", "-A64m", "-RTS")

# zlib's level for the PDF's streams (text, fonts). pydyf uses 9; on the sciatica
# leaflet 6 compresses in 6 ms instead of 17 ms, for a file 2% larger.
PDF_COMPRESSION_LEVEL = 6

# Building many leaflets (`build source/*.md`): one process per core.
LIBRARY_JOBS = os.cpu_count() or 1
# `watch`: how often the article, its references and styles/ are looked at. A
# look at a dozen files takes 0.2 ms (2% of a core at this rate); a short
# interval keeps the preview quick.
WATCH_POLL_SECONDS = 0.01
# A save arrives in pieces (editors write, then rename): wait this long after the
# last change before building, so a half-written file is not read.
WATCH_SETTLE_SECONDS = 0.005

# A leaflet is a few pages; 1 MB of Markdown is about 500 printed pages. Larger
# files are refused before they are read, so memory and time stay bounded.
MAX_ARTICLE_BYTES = 1_000_000

# Front-matter fields the pipeline reads. Keys are compared after lower-casing
# and turning underscores into hyphens, so `review_date` means `review-date`.
KNOWN_FRONT_MATTER_FIELDS = (
    "title", "subtitle", "author", "lang", "date", "version", "review-date",
    "keywords", "description", "bibliography", "csl", "nocite",
    "clinic", "reference", "url", "alternative-formats", "target-grade", "max-grade",
)

# The check gate (pipeline/checks/): a review date this close gives a warning;
# readability above this US school grade gives a warning unless the article
# sets its own 'target-grade' (NHS guidance: reading age 9-11, about grade 6).
REVIEW_WARNING_DAYS = 90
DEFAULT_TARGET_GRADE = 8


@dataclass(frozen=True)
class Settings:
    """What one build run should produce, and from which styles."""

    formats: tuple[str, ...] = FORMATS
    out_dir: Path = OUTPUT_DIR
    csl: str | None = None  # overrides the article's `csl:` when given
    paper: str = DEFAULT_PAPER
    styles_dir: Path = STYLES_DIR
    editions: tuple[str, ...] = DEFAULT_EDITIONS
    preview: bool = False  # PNG pictures of every page, and a contact sheet
    allow_remote: bool = False
    pandoc_timeout: float = PANDOC_TIMEOUT_SECONDS
