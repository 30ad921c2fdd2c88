"""The live preview: ``python -m pipeline watch SOURCE.md`` (``make watch``).

Builds the leaflet, then looks at its files every ``WATCH_POLL_SECONDS`` and
builds again whenever one is saved: the article, anything else in its folder
that an article can use (references, clinic profile, logo, images, a .csl
file; other articles are left out) and everything in ``styles/``. Polling
file times needs no extra dependency and sees every editor's way of saving.

The process stays warm. WeasyPrint is imported once and keeps its fonts and
parsed stylesheets (``printed.pdf.PdfWriter``) and each leaflet's last layout, so a
rebuild after an edit lays out again only the pages the edit touched
(``relayout.py``); pandoc's last answers are kept, so it reads and writes
again only the paragraph the edit changed (``reread.py``). When anything but
the article changes (an image, a font, the references), the layouts are
forgotten and the next layout is a full one. The build is lent all of this
as ``build.Shortcuts`` (``shortcuts.py``).

A broken save prints the error, as a build would, and the watch goes on; the
next good save builds again. One line per build goes to standard output
(``built ...``, ``rebuilt ...``), errors to standard error. Ctrl-C or SIGTERM
stops it, at once or, if the stop lands in a finalizer (which drops the
exception), at the next poll.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..build import PLAIN, Shortcuts, build
from ..config import Settings
from ..errors import PipelineError
from ..files import STOP_SIGNALS, hold_stop_signals, release_stop_signals
from .shortcuts import PreviewShortcuts

# `watch`: how often the article, its references and styles/ are looked at. A
# look at a dozen files takes 0.2 ms (2% of a core at this rate); a short
# interval keeps the preview quick.
WATCH_POLL_SECONDS = 0.01
# A save arrives in pieces (editors write, then rename): wait this long after the
# last change before building, so a half-written file is not read.
WATCH_SETTLE_SECONDS = 0.005

log = logging.getLogger(__name__)

Snapshot = dict[Path, tuple[int, int] | None]


def watch(source: Path, settings: Settings, *, rounds: int | None = None,
          poll: float = WATCH_POLL_SECONDS, sleep: Callable[[float], None] = time.sleep) -> int:
    """Build, then rebuild on every change until Ctrl-C; exit code 0.
    ``rounds`` (for tests) stops after that many polls."""
    source = Path(source)
    shortcuts = PreviewShortcuts(settings)
    seen = snapshot(watched_files(source, settings))
    with stops_remembered() as stop_asked:
        with garbage_collected_after():
            build_and_say(source, settings, "built", shortcuts)
        print(f"watching {source} and {len(seen) - 1} other files; Ctrl-C to stop", flush=True)
        polls, interrupted = 0, False
        try:
            while not stop_asked() and (rounds is None or polls < rounds):
                polls += 1
                sleep(poll)
                now = snapshot(watched_files(source, settings))
                if now == seen:
                    continue
                saved = settled(source, settings, now, sleep)
                if changed_besides(source, seen, saved):
                    shortcuts.forget_layouts()
                seen = saved
                with garbage_collected_after():
                    build_and_say(source, settings, "rebuilt", shortcuts)
        except KeyboardInterrupt:
            interrupted = True
        if interrupted or stop_asked():
            print("stopped watching", flush=True)
    return 0


@contextlib.contextmanager
def stops_remembered() -> Iterator[Callable[[], bool]]:
    """Ctrl-C and SIGTERM still raise ``KeyboardInterrupt``, and are also remembered, for
    the loop to see. The exception alone can be lost: raised in a finalizer (WeasyPrint's
    ``FontConfiguration.__del__``, run by the collection after a rebuild, just when a
    script that waits for "rebuilt" stops the watch), Python prints it as "Exception
    ignored" and goes on, and the watch would run until killed."""
    asked: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    # Not a signal started ignored (nohup), nor one whose handler Python cannot put back.
    previous = {signum: handler for signum in STOP_SIGNALS
                if (handler := signal.getsignal(signum)) not in (signal.SIG_IGN, None)}

    def remember(signum: int, frame: object) -> None:
        asked.append(signum)
        if callable(previous[signum]):
            previous[signum](signum, frame)  # the command line's: raises KeyboardInterrupt
        raise KeyboardInterrupt

    for signum in previous:
        signal.signal(signum, remember)
    try:
        yield lambda: bool(asked)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def settled(source: Path, settings: Settings, now: Snapshot,
            sleep: Callable[[float], None]) -> Snapshot:
    """Wait until a save has finished (no change for a moment); return what was saved."""
    while True:
        sleep(WATCH_SETTLE_SECONDS)
        later = snapshot(watched_files(source, settings))
        if later == now:
            return now
        now = later


@contextlib.contextmanager
def garbage_collected_after() -> Iterator[None]:
    """No garbage collection during a build, a full one after it has said it is done.
    The kept layouts make a full collection take 30 ms, which would fall in the middle
    of a rebuild; between saves the process has nothing else to do."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        # A stop during the collection waits until it is over: it would otherwise land in
        # a finalizer, which prints it as "Exception ignored" and drops it.
        held = hold_stop_signals()
        try:
            gc.collect()
        finally:
            release_stop_signals(held)


def changed_besides(source: Path, before: Snapshot, after: Snapshot) -> bool:
    """Whether a file other than the article was saved, added or removed."""
    return {path: state for path, state in before.items() if path != source} != {
        path: state for path, state in after.items() if path != source}


def build_and_say(source: Path, settings: Settings, verb: str,
                  shortcuts: Shortcuts = PLAIN) -> bool:
    """One build; its outcome on one line. Never raises for a problem in the files."""
    started = time.perf_counter()
    try:
        written = build(source, settings, shortcuts)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        print(f"failed after {time.perf_counter() - started:.2f} s; fix it and save again",
              flush=True)
        return False
    except Exception:  # a bug in the pipeline: shown in full, and the preview goes on
        log.exception("the build failed with a bug; please report this traceback")
        return False
    names = ", ".join(path.name for path in written)
    print(f"{verb} {names} in {time.perf_counter() - started:.2f} s", flush=True)
    return True


def watched_files(source: Path, settings: Settings) -> list[Path]:
    """The article, what else its folder holds (but other articles), and styles/.
    Not the outputs, if they go to the article's folder: each build would set off the next."""
    folder = source.parent
    files = [source]
    if folder.is_dir() and folder.resolve() != settings.out_dir.resolve():
        files += sorted(path for path in folder.iterdir()
                        if path.is_file() and path.suffix.lower() != ".md"
                        and not path.name.startswith("."))
    if settings.theme_dir.is_dir():
        files += sorted(path for path in settings.theme_dir.rglob("*")
                        if path.is_file() and not path.name.startswith("."))
    return files


def snapshot(files: list[Path]) -> Snapshot:
    """Each file's modification time and size; None for one that is gone (mid-save)."""
    state: Snapshot = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            state[path] = None
        else:
            state[path] = (stat.st_mtime_ns, stat.st_size)
    return state
