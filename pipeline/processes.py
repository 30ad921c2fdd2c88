"""Work done in another process, reported as if it had been done here.

A forked process (the PDF helper, the library's workers) cannot write to
this process's log handlers (pytest's ``caplog`` included), and an exception
it raises must reach the caller with its file and line. So the worker keeps
its log records and errors, and sends them back; ``replay`` hands the records
to this process's loggers, which print them as usual.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import pickle
import signal
import subprocess
import traceback
from collections.abc import Iterator

from .errors import RenderError, SetupError


class Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(portable(record))


def portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message rendered, so that it pickles whatever its arguments were."""
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
    record.msg, record.args, record.exc_info = record.getMessage(), None, None
    return record


@contextlib.contextmanager
def captured_logs() -> Iterator[list[logging.LogRecord]]:
    """Inside a worker process: records go into the yielded list instead of the
    handlers inherited from the parent (which would print them a second time)."""
    root = logging.getLogger()
    collector = Collector()
    inherited = root.handlers[:]
    root.handlers = [collector]
    try:
        yield collector.records
    finally:
        root.handlers = inherited


def replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


class RemoteTraceback(Exception):
    """The traceback of a bug in a worker process, shown as the cause of the error."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"\n\"\"\"\n{self.text}\"\"\""


def with_remote_traceback(error: BaseException, text: str) -> BaseException:
    error.__cause__ = RemoteTraceback(text)
    return error


def failure(error: BaseException) -> tuple[BaseException, str]:
    """What a worker sends back for ``error``: the error and its traceback as text."""
    text = "".join(traceback.format_exception(error))
    try:  # an error that cannot travel between processes is reported as a RuntimeError
        pickle.loads(pickle.dumps(error))
    except Exception:
        error = RuntimeError(f"{type(error).__name__}: {error}")
    return error, text


# --- the outside programs a format is made with ------------------------------------------------

def run_tool(command: list[str], *, name: str, doing: str, purpose: str, timeout: float,
             install_hint: str, stdin: bytes | None = None) -> bytes:
    """Run ``command`` (eSpeak NG, LAME, ...) and return what it wrote. A program that is
    missing is the installation's problem (``SetupError``: ``name`` is not installed, it
    ``purpose``); one that hangs or fails, the build's, each said in words."""
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise SetupError(f"{name} is not installed: it {purpose}", hint=install_hint) from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"{name} did not finish {doing} in {timeout:g} s",
                          hint="try again; if it keeps happening, report it with the article") from None
    if done.returncode != 0:
        raise RenderError(f"{name} failed {doing}: {done.stderr.decode('utf-8', 'replace').strip()}",
                          hint=install_hint)
    return done.stdout


# --- processes that must not outlive the one that started them ---------------------------------

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None = None) -> None:
    """In a child process (a library worker, EPUBCheck's Java): be killed when the parent
    dies, however it dies (SIGKILL included), rather than write on for seconds into a
    release that is gone. Linux's ``prctl(PR_SET_PDEATHSIG)``; elsewhere nothing. A parent
    (``parent``: its pid, as the parent knew it) already gone by the time this runs is
    caught by the ``getppid`` check after it."""
    parent = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
