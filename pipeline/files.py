"""Writing outputs without ever leaving a half-written file.

A build writes to a temporary file next to the target and renames it into
place only when the stage succeeded, so a failed build leaves the previous
good PDF or EPUB untouched, and a reader never opens a partial one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# A temporary output file this old belongs to a build that was killed (a running build
# writes its file within seconds); younger ones may be another build's.
STALE_PART_SECONDS = 600
# What follows the target's name in the name of a temporary file ``atomic_output`` made:
# mkstemp's eight random characters.
PART_TAIL = re.compile(r"[a-z0-9_]{8}\.part")
# Folder → when this process listed it, and the temporary files it then held. A folder is
# listed once in STALE_PART_SECONDS, not at every file written into it: a release writes
# hundreds of files into one folder, and listing it each time made that grow with the
# square of the library.
PARTS_SEEN: dict[Path, tuple[float, list[str]]] = {}


@contextlib.contextmanager
def atomic_output(target: Path, *, before_replacing: Callable[[], None] | None = None
                  ) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target`` in one step.
    ``before_replacing`` runs first: if it raises, ``target`` is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    temporary: Path | None = None
    held = hold_stop_signals()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        temporary = Path(name)
        os.close(handle)
        release_stop_signals(held)  # a stop from here on finds the file's name, and removes it
        yield temporary
        if before_replacing is not None:
            before_replacing()
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        release_stop_signals(held)
        if temporary is not None:
            temporary.unlink(missing_ok=True)


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def hold_stop_signals() -> set | None:
    """Ctrl-C and SIGTERM wait while the temporary file is created and named: a stop
    arriving between the two would leave a file nobody knows to remove. Returns the
    signal mask to restore (None where signals cannot be held)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def release_stop_signals(held: set | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def remove_stale_parts(target: Path) -> None:
    """``target``'s temporary files left by a build that was killed outright (SIGKILL,
    power cut); never another file's."""
    now = time.time()
    prefix = f".{target.name}."
    for name in parts_in(target.parent, now):
        if name.startswith(prefix) and PART_TAIL.fullmatch(name, len(prefix)):
            part = target.parent / name
            with contextlib.suppress(OSError):
                if now - part.lstat().st_mtime > STALE_PART_SECONDS:
                    part.unlink()


def parts_in(folder: Path, now: float) -> list[str]:
    """The names of the temporary files in ``folder``, as this process last listed it."""
    seen = PARTS_SEEN.get(folder)
    if seen is None or now - seen[0] >= STALE_PART_SECONDS:
        try:
            names = [entry.name for entry in os.scandir(folder)
                     if entry.name.startswith(".") and entry.name.endswith(".part")]
        except OSError:
            names = []
        seen = PARTS_SEEN[folder] = (now, names)
    return seen[1]


def source_date_epoch(date: dt.date | None) -> int:
    """The timestamp every tool stamps into an output: SOURCE_DATE_EPOCH when the
    user set it, else the article's date, so the same article gives the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = date or dt.date(1980, 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


@contextlib.contextmanager
def fixed_source_date(date: dt.date | None) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH for in-process tools (fontTools stamps subset fonts with it)."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(date))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
