"""A clinic's whole library at once: ``python -m pipeline build source`` (or
``source/*.md``).

A folder stands for every article directly in it (``library_sources``). Every
source's file name is checked first (``check_file_name``), and two leaflets of
one build whose outputs would have the same name (``x.md`` and
``x.large-print.md``, or names that differ only in case) are refused before
anything is built (``check_distinct_outputs``; ``release`` refuses them too).

The leaflets are shared out over one worker process per core
(``Settings.jobs``, by default ``config.LIBRARY_JOBS``). Each worker imports WeasyPrint once and keeps its
font set-up and parsed stylesheets from one leaflet to the next
(``pdf.PdfWriter``), which is where most of the saving over one process per
leaflet comes from. A worker's warnings and errors come back to this
process (``processes.py``), so they read exactly as in a one-leaflet build,
and one bad leaflet does not stop the others.

On a terminal a progress bar on stderr shows how far the library is and
which leaflet is being built; elsewhere (make, CI, a log file) it stays
quiet. Either way the run ends with one summary line.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.util
import os
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .build import build
from .config import Settings
from .errors import PipelineError, SourceError, UsageError
from .freshness import output_names
from .pandoc.session import SESSION
from .processes import captured_logs, die_with_parent, failure, replay, with_remote_traceback


# A leaflet's longest output name adds about 40 characters to its name (".large-print.pdf",
# and the temporary file it is written to first); most file systems allow 255 bytes.
MAX_NAME_BYTES = 200


def leaflets_of(paths: Sequence[Path]) -> tuple[list[Path], set[Path]]:
    """The articles to build or check: each path, and for a folder every article in it.
    Also returns the ones that came from a folder (a build leaves those alone when they
    are up to date). Names are checked, and clashing outputs refused, before anything
    is built."""
    sources: list[Path] = []
    from_folders: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = library_sources(path)
            sources += found
            from_folders.update(found)
        else:
            check_file_name(path)
            sources.append(path)
    unique: dict[Path, Path] = {}
    for source in sources:  # the same article named twice (or in its folder too) is built once
        unique.setdefault(source.resolve(), source)
    sources = list(unique.values())
    check_distinct_outputs(sources)
    return sources, from_folders


def library_sources(folder: Path) -> list[Path]:
    """Every leaflet of a library (``*.md`` directly in ``folder``, translations too), in a
    stable order, with names this pipeline can use and outputs of their own. Hidden files
    are not leaflets: macOS leaves ``._x.md`` beside ``x.md`` on shared drives, and
    editors leave their own (as make's wildcard, the shell's ``*`` skips them)."""
    if not folder.is_dir():
        raise UsageError("this is not a folder of leaflets: give the folder the articles are in",
                         option=f"SOURCE_DIR {str(folder)!r}")
    sources = sorted(path for path in folder.glob("*.md")
                     if path.is_file() and not path.name.startswith("."))
    for source in sources:
        check_file_name(source)
    check_distinct_outputs(sources)
    return sources


def check_file_name(source: Path) -> None:
    """Any name a clinic can give a file is fine (spaces, quotes, ``;``, ``$``, accents,
    any script, a leading ``-``); a line break or other control character, bytes that are
    not UTF-8 or a name too long for the outputs' names are refused."""
    name = source.name
    problem = None
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in name):
        problem = "has bytes that are not UTF-8 text"
    elif any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in name):
        problem = "has a line break, tab or other control character in it"
    elif len(name.encode("utf-8")) > MAX_NAME_BYTES:
        problem = f"is longer than {MAX_NAME_BYTES} bytes, too long for its outputs' names"
    if problem is not None:
        shown = name.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        raise SourceError(f"the file name {shown!r} {problem}", file=source.parent,
                          hint="rename the file: letters and digits of any script, spaces, "
                               "'-', '_' and '.' are all fine")


def check_distinct_outputs(sources: Sequence[Path]) -> None:
    """Two leaflets that would write a file of the same name into the output folder (one
    called after another and a format's suffix, ``x.md`` and ``x.large-print.md``, or two
    names that differ only in case or in how an accent is encoded: one file on macOS and
    Windows, one address on the site) are refused, naming both."""
    owners: dict[str, tuple[Path, str, str]] = {}
    for source in sources:
        for name, what in output_names(source.stem).items():
            key = unicodedata.normalize("NFC", name).casefold()
            other, other_name, other_what = owners.setdefault(key, (source, name, what))
            if other != source:
                raise outputs_clash(source, what, other, other_what, other_name)


def outputs_clash(source: Path, what: str, other: Path, other_what: str, name: str) -> SourceError:
    if source.stem == other.stem:
        return SourceError(
            f"this leaflet has the same name as {other}, so both would write {name} and every "
            "other output of that name; nothing was built", file=source,
            hint="rename one of them, or build them into different output folders (--out)")
    if stem_key(source) == stem_key(other):
        return SourceError(
            f"this leaflet has the same name as {other} (they differ only in upper and lower "
            "case or accents), so they would be one file on macOS and Windows and one address "
            "on the published site", file=source, hint=f"rename one of {other.name} and {source.name}")
    renamed, kept = (source, other) if len(source.stem) > len(other.stem) else (other, source)
    return SourceError(
        f"this leaflet and {other} would write the same file, {name} (the {what} of "
        f"{source.name} and the {other_what} of {other.name}); nothing was built",
        file=source,
        hint=f"rename {renamed.name}, for instance to {renamed.stem.replace('.', '-')}.md: a "
             f"leaflet's name may not be another's ({kept.stem}) followed by the suffix of a "
             "format or edition")


def stem_key(path: Path) -> str:
    return unicodedata.normalize("NFC", path.stem).casefold()


@dataclass
class Outcome:
    """What building one leaflet gave: its files, or the problem in it."""

    source: Path
    written: list[Path] = field(default_factory=list)
    error: PipelineError | None = None
    records: list[logging.LogRecord] = field(default_factory=list)
    bug: tuple[BaseException, str] | None = None  # not the user's fault: shown with a traceback


@dataclass
class Summary:
    built: int = 0
    failed: int = 0
    files: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        leaflets = "leaflet" if self.built + self.failed == 1 else "leaflets"
        return (f"built {self.built} of {self.built + self.failed} {leaflets} ({self.files} files), "
                f"{self.failed} failed, in {self.seconds:.1f} s")


def build_library(sources: Sequence[Path], settings: Settings, report: Callable[[Outcome], None],
                  *, stream: TextIO | None = None) -> Summary:
    """Build every source, ``settings.jobs`` at a time; ``report`` is called with each outcome
    as it arrives (the command line prints the files written and the errors)."""
    jobs = settings.jobs
    started = time.perf_counter()
    summary = Summary()
    bar = ProgressBar([Path(source) for source in sources], stream or sys.stderr, min(jobs, len(sources)))
    for outcome in outcomes(sources, settings, jobs):
        bar.finished(outcome.source)
        with bar.hidden():
            replay(outcome.records)
            if outcome.bug is not None:
                error, text = outcome.bug
                raise with_remote_traceback(error, text)
            report(outcome)
        summary.built += outcome.error is None
        summary.failed += outcome.error is not None
        summary.files += len(outcome.written)
    bar.close()
    summary.seconds = time.perf_counter() - started
    return summary


def outcomes(sources: Sequence[Path], settings: Settings, jobs: int):
    """Each leaflet's outcome, in the order they finish."""
    paths = [Path(source) for source in sources]
    workers = max(1, min(jobs, len(paths)))
    if workers == 1:  # no pool to start and feed
        yield from (outcome_of(path, settings) for path in paths)
        return
    context = multiprocessing.get_context("fork")  # workers share this process's loaded code
    pool = context.Pool(workers, initializer=start_worker, initargs=(settings, os.getpid()))
    try:
        yield from pool.imap_unordered(build_in_worker, [(path, settings) for path in paths],
                                       chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()  # SIGTERM: each worker stops like an interrupted build, cleaning up
        raise
    finally:
        pool.join()


def start_worker(settings: Settings, parent: int) -> None:
    die_with_parent(parent)  # a killed release or build takes its workers with it
    # A worker leaves without running atexit: its pandoc is stopped (and waited for) here.
    multiprocessing.util.Finalize(None, SESSION.stop, exitpriority=0)
    if "pdf" in settings.formats:
        from .printed.pdf import import_weasyprint
        import_weasyprint()


def build_in_worker(task: tuple[Path, Settings]) -> Outcome:
    return outcome_of(*task)


def outcome_of(source: Path, settings: Settings) -> Outcome:
    """Build one leaflet: what it wrote, or the problem in it, and what it logged."""
    outcome = Outcome(source)
    with captured_logs() as records:
        try:
            outcome.written = build(source, settings)
        except PipelineError as error:
            outcome.error = error
        except Exception as error:  # a bug: reported with its traceback by the caller
            outcome.bug = failure(error)
    outcome.records = records
    return outcome


class ProgressBar:
    """``[#######.......]  12/50  building leaflet-13.md`` on a terminal; nothing elsewhere."""

    WIDTH = 24

    def __init__(self, sources: list[Path], stream: TextIO, in_flight: int) -> None:
        self.pending = list(sources)
        self.total = len(sources)
        self.stream = stream
        self.in_flight = max(1, in_flight)
        self.shown = bool(getattr(stream, "isatty", lambda: False)()) and self.total > 1
        self.draw()

    def finished(self, source: Path) -> None:
        if source in self.pending:
            self.pending.remove(source)
        self.draw()

    def draw(self) -> None:
        if not self.shown:
            return
        done = self.total - len(self.pending)
        filled = self.WIDTH * done // self.total
        # Leaflets go to the workers in order, so the oldest unfinished ones are being built.
        building = ", ".join(path.name for path in self.pending[:self.in_flight])
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:>{len(str(self.total))}}/{self.total}"
        if building:
            line += f"  building {building}"
        columns = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + line[:columns].ljust(columns))
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (shutil.get_terminal_size().columns - 1) + "\r")
            self.stream.flush()

    @contextlib.contextmanager
    def hidden(self) -> Iterator[None]:
        """Take the bar off the line while something else is printed, then put it back."""
        self.clear()
        yield
        self.draw()

    def close(self) -> None:
        self.clear()
