"""Every default a user can change in one place: the command line, the Makefile and the
front matter all end up in one frozen ``Settings`` object.

Besides those defaults, only what several subpackages share is here. A limit, timeout or
threshold that one part of the pipeline uses lives beside the code that uses it (the
braille page in ``braille/layout.py``, the audio's pauses in ``audio/narration.py``...);
the limits on what an article may make the pipeline decode are in ``limits.py``, and the
printed editions in ``printed/editions.py``."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Where the clinic's theme (the styles/ folder: its templates, stylesheets, fonts and
# strings) and the default output folder are. The code says "theme" for that folder, as
# "style" alone would also mean the CSL citation style; the folder keeps its name, which
# clinics know. In a checkout (the tests, `make`, an editable install) the package sits
# next to the repository's styles/, which a clinic edits, and output/. An installed copy
# (`pip install .`) lives in site-packages, where neither exists: the wheel carries a copy
# of styles/ as pipeline/_styles/ (setup.py; pipeline/theme/ is the code that reads it),
# and output goes to output/ in the folder the command is run from, as nothing of the
# user's belongs in site-packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_THEME_DIR = Path(__file__).resolve().parent / "_styles"
INSTALLED = PACKAGED_THEME_DIR.is_dir()
THEME_DIR = PACKAGED_THEME_DIR if INSTALLED else PROJECT_ROOT / "styles"
OUTPUT_DIR = Path("output") if INSTALLED else PROJECT_ROOT / "output"
# Answers that do not depend on any article (where the C libraries are), kept
# between runs and keyed on what they depend on: always safe to delete.
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "leaflet-pipeline"

# What a build writes unless told otherwise (`make` builds these). Every format a build can
# write, and what a clinic may hand its patients, is in the registry of outputs (outputs.py).
FORMATS = ("pdf", "epub")
# What `python -m pipeline cite --to` writes the style preview as.
CITE_FORMATS = ("text", "html")
PAPER_SIZES = ("a4", "letter")
DEFAULT_EDITIONS = ("standard",)  # the printed editions of the PDF: printed/editions.py

DEFAULT_CSL = "american-medical-association"
DEFAULT_LANG = "en-US"
DEFAULT_PAPER = "a4"

# Pandoc normally answers in well under a second; a minute means it hangs.
PANDOC_TIMEOUT_SECONDS = 60

# Building many leaflets (`build source/*.md`): one process per core.
LIBRARY_JOBS = os.cpu_count() or 1

# Front-matter fields the pipeline reads (article/front_matter.py; the check gate fails a
# leaflet on a misspelt one). Keys are compared after lower-casing and turning underscores
# into hyphens, so `review_date` means `review-date`.
KNOWN_FRONT_MATTER_FIELDS = (
    "title", "subtitle", "author", "lang", "date", "version", "review-date",
    "keywords", "description", "bibliography", "csl", "nocite",
    "clinic", "reference", "url", "alternative-formats", "target-grade", "max-grade",
    "approved-by", "easy-read", "easy-read-of",
    "translation-of", "translated-from-version",
)

# A review date this close gives a warning in the check gate (pipeline/checks/) and
# shows as "due" in `status` (pipeline/release/).
REVIEW_WARNING_DAYS = 90

# Text needs this contrast against what is behind it: WCAG 2.1 AA, normal-size text.
# The check gate measures the PDF against it (checks/pdf.py); the clinic profile's
# colour is held to it too (article/clinic.py).
MIN_TEXT_CONTRAST = 4.5

# EPUBCheck's Java, started once an EPUB for a run of a few seconds: the quick first-tier
# compiler and the serial collector halve its time (15 s to 8 s a leaflet here), and its
# findings are the same. Both the check gate and the release's EPUB gate start it.
EPUBCHECK_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@dataclass(frozen=True)
class Settings:
    """What one run should produce, with which theme (the styles/ folder), and how: the command line, the
    Makefile and the tests all make one of these."""

    formats: tuple[str, ...] = FORMATS
    out_dir: Path = OUTPUT_DIR
    csl: str | None = None  # overrides the article's `csl:` when given
    paper: str = DEFAULT_PAPER
    theme_dir: Path = THEME_DIR
    editions: tuple[str, ...] = DEFAULT_EDITIONS
    page_pictures: bool = False  # PNG pictures of every page, and a contact sheet
    allow_remote: bool = False
    pandoc_timeout: float = PANDOC_TIMEOUT_SECONDS
    jobs: int = LIBRARY_JOBS  # leaflets built at once by `build` with several articles
    strict: bool = False  # `check`: warnings, and checks that could not run, fail the gate
    debug: bool = False  # tracebacks and every step on stderr
