"""The live preview: ``watch`` builds, then rebuilds whenever a watched file is saved.

Real builds in this process. The watch loop takes its ``sleep`` as an argument;
the tests pass one that saves files between polls, as an author would, and
count polls with ``rounds``, so nothing depends on how fast the machine is.
Stopping it is tested on a real ``python -m pipeline watch`` too.
"""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.__main__ import stopped_cleanly
from pipeline.config import Settings
from pipeline.live_preview.watch import watch, watched_files
from building import FIXTURES, PROJECT_ROOT
from reading_pdf import pdf_body_text

FIXTURE = FIXTURES / "epub-leaflet"


def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "leaflets"
    shutil.copytree(FIXTURE, folder)
    (folder / "other-article.md").write_text("---\ntitle: Another\n---\n", encoding="utf-8")
    return folder / "sciatica-exercises.md"


def epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8") for name in package.namelist()
                       if name.endswith(".xhtml"))


def saving(edits: dict[int, callable]):
    """A ``sleep`` that runs ``edits[n]`` at the n-th call (a poll or a settle wait)."""
    calls = {"n": 0}

    def sleep(seconds: float) -> None:
        calls["n"] += 1
        if calls["n"] in edits:
            edits[calls["n"]]()

    return sleep


def test_a_save_rebuilds_and_a_broken_save_is_survived(tmp_path, capsys):
    article = leaflet(tmp_path)
    out = tmp_path / "out"
    epub = out / "sciatica-exercises.epub"
    good = article.read_text(encoding="utf-8")
    edited = good.replace("Gentle movement eases", "Gentle walking eases")
    broken = good.replace("title: Exercises for Sciatica", "title: [Exercises")
    read = {}  # what the EPUB said just before each of the later saves

    def save(text: str, before: str):
        return lambda: (read.__setitem__(before, epub_text(epub)),
                        article.write_text(text, encoding="utf-8"))

    sleep = saving({2: save(edited, "the edit"), 5: save(broken, "the broken save"),
                    8: save(good, "the undo")})
    assert watch(article, Settings(formats=("epub",), out_dir=out), rounds=9, sleep=sleep) == 0
    output = capsys.readouterr()
    lines = [re.sub(r"\d+\.\d\d s", "T s", line) for line in output.out.splitlines()]
    assert lines[0] == "built sciatica-exercises.epub in T s"
    assert lines[1].startswith(f"watching {article} and ")
    assert lines[2:] == ["rebuilt sciatica-exercises.epub in T s",
                         "failed after T s; fix it and save again",
                         "rebuilt sciatica-exercises.epub in T s"]
    assert f"error: {article}, line 2: the front matter is not valid YAML" in output.err
    assert "Gentle movement eases" in read["the edit"]
    assert "Gentle walking eases" in read["the broken save"]  # the edit was rebuilt
    assert read["the undo"] == read["the broken save"]  # the broken save left it as it was
    assert "Gentle movement eases" in epub_text(epub)  # and the undo was rebuilt too


def test_saving_the_references_rebuilds_with_them(tmp_path, capsys):
    article = leaflet(tmp_path)
    out = tmp_path / "out"
    references = article.parent / "references.json"
    renamed = references.read_text(encoding="utf-8").replace('"Kumar"', '"Kumarr"')
    sleep = saving({2: lambda: references.write_text(renamed, encoding="utf-8")})
    watch(article, Settings(formats=("epub",), out_dir=out), rounds=3, sleep=sleep)
    assert capsys.readouterr().out.count("rebuilt") == 1
    assert "Kumarr" in epub_text(out / "sciatica-exercises.epub")


def test_other_articles_and_the_outputs_are_not_watched(tmp_path):
    article = leaflet(tmp_path)
    names = {path.name for path in watched_files(article, Settings(out_dir=article.parent))}
    assert names == {"sciatica-exercises.md"} | {
        path.relative_to(Settings().theme_dir).name
        for path in Settings().theme_dir.rglob("*") if path.is_file()}
    names = {path.name for path in watched_files(article, Settings(out_dir=tmp_path / "out"))}
    assert "references.json" in names and "other-article.md" not in names


def test_a_pdf_preview_rebuilds_in_the_same_process(tmp_path, capsys):
    article = leaflet(tmp_path)
    out = tmp_path / "out"
    text = article.read_text(encoding="utf-8")
    sleep = saving({1: lambda: article.write_text(text.replace("Gentle", "Easy"), encoding="utf-8")})
    watch(article, Settings(formats=("pdf",), out_dir=out), rounds=2, sleep=sleep)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" in ")[0] for line in lines if "built" in line] == [
        "built sciatica-exercises.pdf", "rebuilt sciatica-exercises.pdf"]
    words = " ".join(pdf_body_text(out / "sciatica-exercises.pdf").split())
    assert "Easy movement eases" in words and "Gentle movement eases" not in words


def session_processes(session: int) -> list[str]:
    """The command lines of the processes still in ``session`` (the watch's children too)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def test_sigterm_ends_a_running_watch_at_once_and_leaves_no_process(tmp_path):
    """As a script stops it (make bench): SIGTERM as soon as "rebuilt" is read, while the
    watch collects the garbage of the rebuild, WeasyPrint's font set-ups among it."""
    article = leaflet(tmp_path)
    watcher = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", str(article), "--to", "pdf",
         "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)  # its own session: what is left of it can be found
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout],
                              daemon=True)
    reader.start()
    said = []

    def wait_for(start: str) -> None:
        while not said or not said[-1].startswith(start):
            said.append(lines.get(timeout=120))

    try:
        wait_for("watching")
        article.write_text(article.read_text(encoding="utf-8").replace("Gentle", "Easy"),
                           encoding="utf-8")
        wait_for("rebuilt")
        watcher.terminate()
        stopped = time.monotonic()
        assert watcher.wait(timeout=10) == 0
        took = time.monotonic() - stopped
    finally:
        if watcher.poll() is None:
            os.killpg(watcher.pid, signal.SIGKILL)
            watcher.wait()
        reader.join(timeout=10)
        watcher.stdout.close()
    wait_for("stopped watching")
    assert took < 5, f"the watch took {took:.1f} s to stop"
    assert session_processes(watcher.pid) == []
    assert not any("Traceback" in line for line in said), said


# Python reports the exception the finalizer dropped, as this test means it to happen.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_stop_dropped_by_a_finalizer_still_ends_the_watch(tmp_path, capsys):
    """Python prints an exception raised in a finalizer and goes on: a SIGTERM that arrives
    while one runs (an object let go of between polls) stops the watch at the next poll."""
    article = leaflet(tmp_path)

    class StopsWhenLetGo:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)

    polls = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:
            StopsWhenLetGo()  # let go of at once: its finalizer runs here

    with stopped_cleanly():
        assert watch(article, Settings(formats=("epub",), out_dir=tmp_path / "out"),
                     rounds=20, sleep=sleep) == 0
    assert len(polls) == 2
    assert capsys.readouterr().out.splitlines()[-1] == "stopped watching"
