"""The registry of outputs: every format a leaflet is written in, declared once.

Three things are named apart:

- a **format** is what a patient gets: standard print, large print, the A5 booklet, the
  EPUB, the narrated EPUB, the MP3, braille (BRF). A clinic names formats in its
  profile's ``formats:`` and ``release --formats``, by ``name`` or by one of the words it
  uses for it (``aliases``).
- an **edition** is a printed variant: the three printed formats are the editions of the
  PDF (``--to pdf --edition standard,large-print,booklet``); how each looks and the sizes
  ``make check`` holds it to are ``printed/editions.py``.
- a **file** is what is written: ``<stem><suffix>`` in the output folder. A format
  writes one file or more (the booklet: the sheets to print and the A5 pages to proof),
  each with a ``kind``, its key in ``release.json``, on the site and in the strings
  files' ``site-formats``.

The subpackage that writes a format registers it (``register``), in its ``__init__.py``,
which ``pipeline/__init__.py`` imports: ``printed`` the editions, ``epub`` the EPUB,
``braille`` the BRF, ``audio`` the MP3 and the narrated EPUB. A writer is a plain
function that imports its tools when it is called, so registering stays light. The
build, the freshness stamps, the library's name-clash check, the release (catalogue,
site, OPDS, status) and ``make check`` all read this registry, in the order formats were
registered; nothing else spells a suffix. Adding a format is one module that writes it
and one ``register`` call (in the manner of Sphinx's ``app.add_builder``).

This module imports nothing of the pipeline: every layer may read it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# (leaflet, path): fill ``path`` with the leaflet in the format. ``leaflet`` is the
# leaflet's build (``leaflet.LeafletBuild``: its article, document, settings, theme and words),
# made once by the build and handed to every writer.
Writer = Callable[[Any, Path], None]


@dataclass(frozen=True)
class OutputFile:
    """One file a format writes, ``<stem><suffix>`` in the output folder."""

    kind: str  # its key in release.json, on the site and in the strings' `site-formats`
    suffix: str  # after the leaflet's stem: ".large-print.pdf"
    media_type: str  # as the site and the e-reader catalogue serve it
    label: str  # how an error names it: "large-print edition"
    imposed: bool = False  # the sheets to print, imposed from the format's other file

    def name(self, stem: str) -> str:
        return f"{stem}{self.suffix}"

    def path(self, out_dir: Path, stem: str) -> Path:
        return out_dir / self.name(stem)


@dataclass(frozen=True)
class Format:
    """What a patient gets, as the pipeline writes it."""

    name: str  # as a clinic's profile and `release --formats` name it
    files: tuple[OutputFile, ...]
    aliases: tuple[str, ...] = ()  # other words a clinic writes for it ("braille")
    edition: str | None = None  # a printed edition: written by `--to pdf` (printed/editions.py)
    # Writes the format's one file. None for the PDF editions and the EPUB, which the build
    # writes itself (one HTML for every edition; pandoc run beside WeasyPrint).
    write: Writer | None = None
    table_word: str | None = None  # its word in `status`'s FILES column; None: left out
    site_rank: int = 0  # where a leaflet page offers it: print, reading, listening, braille

    @property
    def build_name(self) -> str:
        """Its name to `build --to`: ``pdf`` for every printed edition."""
        return "pdf" if self.edition is not None else self.name


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Declare a format. Its name, aliases and files' kinds and suffixes must be new."""
    taken_words = {word for known in _FORMATS.values() for word in (known.name, *known.aliases)}
    taken_files = {(file.kind, file.suffix.casefold()) for known in _FORMATS.values()
                   for file in known.files}
    for word in (fmt.name, *fmt.aliases):
        if word in taken_words:
            raise ValueError(f"a format called {word!r} is registered already")
    for file in fmt.files:
        if any(file.kind == kind or file.suffix.casefold() == suffix for kind, suffix in taken_files):
            raise ValueError(f"the file {file.kind!r} ({file.suffix}) of the format {fmt.name!r} "
                             "is another format's")
    _FORMATS[fmt.name] = fmt
    return fmt


def formats() -> tuple[Format, ...]:
    """Every format, in the order registered."""
    return tuple(_FORMATS.values())


def format_names() -> tuple[str, ...]:
    """What a clinic hands its patients, by name (a profile's ``formats:``)."""
    return tuple(_FORMATS)


def format_named(name: str) -> Format:
    return _FORMATS[name]


def aliases() -> dict[str, str]:
    """Each other word a clinic may write for a format, with the format's name."""
    return {alias: fmt.name for fmt in _FORMATS.values() for alias in fmt.aliases}


def edition_format(edition: str) -> Format:
    """The format that is the printed ``edition``."""
    return next(fmt for fmt in _FORMATS.values() if fmt.edition == edition)


def build_names() -> tuple[str, ...]:
    """What ``build --to`` may name: ``pdf`` (the editions), then each other format."""
    return tuple(dict.fromkeys(fmt.build_name for fmt in _FORMATS.values()))


def output_files() -> tuple[tuple[Format, OutputFile], ...]:
    """Every file a leaflet may have, with its format, in the order registered."""
    return tuple((fmt, file) for fmt in _FORMATS.values() for file in fmt.files)
