"""A clinic's whole library at once: ``python -m pipeline build source/*.md``.

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
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .build import build
from .config import Settings
from .errors import PipelineError
from .processes import captured_logs, die_with_parent, failure, replay, with_remote_traceback


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
