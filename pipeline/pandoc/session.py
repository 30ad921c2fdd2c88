"""One pandoc kept running for a process's builds: it reads articles into the AST and
writes the print HTML, answering over a pipe (``pandoc lua``: pandoc's own Lua, with
its ``pandoc.read`` and ``pandoc.write``).

Why: a pandoc started for one small answer spends most of its time starting (mapping
its 160 MB program, filling its fresh heap) rather than reading; the same answer from a
pandoc that is already running takes a third of the time. A cold build starts this one
at once, so that it starts while Python loads the rest; a library's worker keeps its
own for all its leaflets. The live preview asks it the small questions of its splices
(``live_preview/reread.py``).

What it may read is what the one-shot ``pandoc --sandbox`` may: the Markdown reader
runs in pandoc's sandbox (``pandoc.read``'s fourth argument: no files), and the JSON
reader and the HTML writer (a fragment, nothing embedded) read no files at all. The
answers are byte for byte those of ``pandoc --from markdown --to json`` and
``pandoc --from json --to html5 --wrap=none``.

Each process has its own: after a fork the child starts another rather than share the
parent's pipes. A request that takes longer than its time limit stops this pandoc (the
next request starts a new one), as does one that runs out of memory (``+RTS -M``), and
either gives the same error as the one-shot pandoc. pandoc's warnings are dropped, as
the one-shot run's are. If our process dies, pandoc reads the end of its input and stops.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import selectors
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import RenderError
from . import command
from .command import failure, timed_out

# The program pandoc runs: a request is "<what> <length>\n" and that many bytes; the
# answer "ok <length>\n" or "error <length>\n" and that many bytes. It reads pandoc's
# "markdown", as ``run.READ_ARGS`` does. (Warming it up with a made-up article first
# costs more than it saves the first answer.)
PROGRAM = r"""
local answers = {
  read = function(text) return pandoc.write(pandoc.read(text, "markdown", {}, {}), "json") end,
  html = function(text) return pandoc.write(pandoc.read(text, "json"), "html5", {wrap_text = "none"}) end,
}
io.stdout:setvbuf("full")
while true do
  local header = io.read("l")
  if not header then break end
  local what, length = header:match("^(%a+) (%d+)$")
  local text = io.read(tonumber(length) or 0) or ""
  local ok, answer = pcall(answers[what] or error, text)
  answer = ok and answer .. "\n" or tostring(answer)
  io.write((ok and "ok " or "error ") .. #answer .. "\n", answer)
  io.flush()
end
"""


class SessionEnded(Exception):
    """pandoc stopped between two answers (killed, or out of memory)."""


class PandocSession:
    """The process's running pandoc, started when first needed (or by ``start``)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.owner = 0  # the process that started it: a forked child starts its own
        self.command: list[str] = []
        self.errors: tempfile._TemporaryFileWrapper | None = None  # pandoc's stderr
        self.lock = threading.Lock()

    @staticmethod
    def usable() -> bool:
        """Only the pinned pandoc is known to read and write as the one-shot runs do."""
        return command.pandoc_path() == command.bundled_pandoc()

    def start(self) -> None:
        wanted = [*command.pandoc_command(), "lua", "-e", PROGRAM]
        if self.running() and self.command == wanted:
            return
        self.stop()
        self.errors = tempfile.TemporaryFile(mode="a+b")  # appended to; emptied after each answer
        self.process = subprocess.Popen(wanted, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors)
        self.owner, self.command = os.getpid(), wanted
        atexit.unregister(self.stop)  # registered once, however often it is started
        atexit.register(self.stop)

    def running(self) -> bool:
        return self.process is not None and self.owner == os.getpid() and self.process.poll() is None

    def ask(self, what: str, text: str, timeout: float, *, doing: str, file: Path | None) -> str:
        """pandoc's answer to ``what`` (``read`` or ``html``) about ``text``; ``doing`` says
        what it was doing in an error message."""
        return self.asking(what, text, timeout, doing=doing, file=file).result()

    def asking(self, what: str, text: str, timeout: float, *, doing: str,
               file: Path | None) -> Question:
        """Ask now, for the answer to be collected later (``Question.result``): pandoc
        works on it while this process does something else. Until then, no other question
        can be asked of it."""
        data = text.encode("utf-8")
        self.lock.acquire()
        question = Question(self, time.monotonic() + timeout, timeout, doing, file)
        try:
            with question.failures():
                self.start()
                send(self.process.stdin.fileno(), f"{what} {len(data)}\n".encode() + data,
                     question.deadline)
        except BaseException:
            question.stop()  # a question sent halfway would be read with the next one
            raise
        return question

    def answer(self, deadline: float) -> tuple[bytes, bytes]:
        reader = AnswerReader(self.process.stdout.fileno(), deadline)
        status, _, length = reader.line().partition(b" ")
        return status, reader.exactly(int(length))

    def stopped(self, doing: str, file: Path | None) -> RenderError:
        """pandoc stopped: the one-shot run's error for what it left on stderr."""
        with contextlib.suppress(subprocess.TimeoutExpired):  # its output ended: it is stopping
            self.process.wait(timeout=5)  # and then what it said on stderr is complete
        self.errors.seek(0)
        said = self.errors.read()
        self.stop()
        return failure(said or b"pandoc stopped", doing, file)

    def stop(self) -> None:
        """Stop this process's pandoc; a forked child only lets go of its parent's."""
        if self.process is not None:
            if self.owner == os.getpid():
                self.process.kill()
                self.process.wait()
            else:
                self.process.returncode = -1  # not ours to wait for
            for pipe in (self.process.stdin, self.process.stdout, self.errors):
                with contextlib.suppress(OSError):
                    pipe.close()
        self.process = None


class Question:
    """A question asked of the session, its answer not yet read. Whatever happens, it
    ends in ``result`` or ``stop``, which let the next question be asked."""

    def __init__(self, session: PandocSession, deadline: float, timeout: float, doing: str,
                 file: Path | None) -> None:
        self.session, self.deadline, self.timeout = session, deadline, timeout
        self.doing, self.file = doing, file
        self.open = True

    def result(self) -> str:
        try:
            with self.failures():
                status, answer = self.session.answer(self.deadline)
        except BaseException:  # Ctrl-C too: what is left of the answer is no one's
            self.stop()
            raise
        self.session.errors.seek(0)
        self.session.errors.truncate()
        self.close()
        if status != b"ok":
            raise failure(answer, self.doing, self.file)
        return answer.decode("utf-8")

    def stop(self) -> None:
        """Its answer is no longer wanted: pandoc is stopped (the next question starts
        another), since the answer it is writing would be read as the next one's."""
        if self.open:
            self.session.stop()
            self.close()

    def close(self) -> None:
        if self.open:
            self.open = False
            self.session.lock.release()

    @contextlib.contextmanager
    def failures(self) -> Iterator[None]:
        """pandoc's hanging or stopping, as the one-shot run's errors."""
        try:
            yield
        except TimeoutError:
            self.session.stop()
            raise timed_out(self.timeout, self.doing, self.file) from None
        except SessionEnded:
            raise self.session.stopped(self.doing, self.file) from None


def send(fd: int, data: bytes, deadline: float) -> None:
    """Write ``data`` to pandoc's input pipe, giving up at ``deadline`` (a pandoc that
    hangs stops reading, and a pipe holds only 64 kB)."""
    os.set_blocking(fd, False)
    view = memoryview(data)
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_WRITE)
        while view:
            if not selector.select(max(0.0, deadline - time.monotonic())):
                raise TimeoutError
            try:
                view = view[os.write(fd, view):]
            except BrokenPipeError:
                raise SessionEnded from None


class AnswerReader:
    """Reads pandoc's answer from its output pipe, giving up at ``deadline``."""

    def __init__(self, fd: int, deadline: float) -> None:
        self.fd, self.deadline, self.buffer = fd, deadline, b""

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            self.more()
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def exactly(self, length: int) -> bytes:
        chunks, have = [self.buffer], len(self.buffer)
        self.buffer = b""
        while have < length:
            chunk = self.read_some()
            chunks.append(chunk)
            have += len(chunk)
        return b"".join(chunks)

    def more(self) -> None:
        self.buffer += self.read_some()

    def read_some(self) -> bytes:
        with selectors.DefaultSelector() as selector:
            selector.register(self.fd, selectors.EVENT_READ)
            if not selector.select(max(0.0, self.deadline - time.monotonic())):
                raise TimeoutError
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            raise SessionEnded
        return chunk


SESSION = PandocSession()
