"""Releases run for real as separate processes: two at once, and killed ones (issue 19).

Each test runs ``python -m pipeline release`` in a child process on a small library (PDF
and EPUB only). To kill a release at a known step, the test sets the release's test hook
(``publish.PAUSE_VARIABLE``: ``POINT:SECONDS``), waits for ``paused at POINT`` on its
stderr, and sends SIGKILL: nothing of the release runs after that, as with a power cut.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from building import FIXTURES, PROJECT_ROOT
from pipeline.release.publish import LOCK_WAIT_SECONDS, PAUSE_VARIABLE

TODAY = "2027-03-01"
SIGNED = '  - {{name: Ann Lead, role: Clinical lead, date: 2026-12-01, version: "{version}"}}\n'
STARTUP_SECONDS = 120  # a release's start, on a busy machine
# Killed with their parent, workers go at once; left to themselves, they would build on
# for seconds (and write into the build folder of a release that is gone).
WORKERS_GONE_SECONDS = 1.0


def leaflet(folder: Path, stem: str, version: str = "1.0", note: str = "") -> None:
    text = (FIXTURES / "epub-leaflet" / "sciatica-exercises.md").read_text(encoding="utf-8")
    text = text.replace('version: "1.0"\n', f'version: "{version}"\nreview-date: 2028-01-01\n'
                        f'approved-by:\n{SIGNED.format(version=version)}')
    (folder / f"{stem}.md").write_text(text + note, encoding="utf-8")


def make_library(folder: Path, stems: tuple[str, ...] = ("exercises",)) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "epub-leaflet" / "references.json", folder)
    for stem in stems:
        leaflet(folder, stem)
    return folder


def command(source: Path, out: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "release", str(source), "--out", str(out),
            "--today", TODAY, "--formats", "pdf,epub", *more]


def start(source: Path, out: Path, *more: str, pause: str | None = None) -> subprocess.Popen:
    environment = {**os.environ}
    environment.pop(PAUSE_VARIABLE, None)
    if pause is not None:
        environment[PAUSE_VARIABLE] = pause
    return subprocess.Popen(command(source, out, *more), cwd=PROJECT_ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(source: Path, out: Path, *more: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name != PAUSE_VARIABLE}
    return subprocess.run(command(source, out, *more), cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)


def wait_for_pause(process: subprocess.Popen, point: str) -> None:
    """Read the release's stderr until it says it paused at ``point``."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if line.strip() == f"paused at {point}":
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"the release did not reach {point}: {process.communicate()}")


def killed(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()


def published_whole(out: Path) -> dict:
    """``release/`` and ``site/`` are there, and hold every file ``release.json`` lists."""
    listed = json.loads((out / "release" / "release.json").read_text(encoding="utf-8"))
    for item in listed["leaflets"]:
        for name in item["files"].values():
            assert (out / "release" / name).is_file(), name
            assert (out / "site" / "files" / name).is_file(), name
        if item["state"] == "released":
            assert (out / "site" / f"{item['stem']}.html").is_file()
    assert (out / "site" / "index.html").is_file() and (out / "site" / "status.html").is_file()
    return {item["stem"]: item for item in listed["leaflets"]}


def leftovers(out: Path) -> list[str]:
    """Scratch a killed release may leave: folders not published, links not renamed, parts."""
    published = (out / ".published").resolve()
    found = [path.name for path in (out / ".releases").iterdir() if path.resolve() != published]
    found += [path.name for path in out.glob(".*.new")] + [path.name for path in out.glob(".release.new-*")]
    found += [path.name for path in (out / "build").glob(".*.part")]
    found += [path.name for path in (out.parent / "archive").glob("*/.*.new-*")]
    return found


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("concurrent")
    source, out = make_library(root / "source"), root / "out"
    done = run(source, out)
    assert done.returncode == 0, done.stderr
    return source, out


@pytest.fixture
def library(released, tmp_path) -> tuple[Path, Path]:
    source, out = released
    shutil.copytree(source, tmp_path / "source")
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    shutil.copytree(out.parent / "archive", tmp_path / "archive")
    return tmp_path / "source", tmp_path / "out"


def test_a_second_release_into_the_same_folder_waits_then_says_why_it_did_not_start(library):
    source, out = library
    first = start(source, out, pause=f"building:{LOCK_WAIT_SECONDS + 60}")
    try:
        wait_for_pause(first, "building")
        started = time.monotonic()
        second = run(source, out)
        waited = time.monotonic() - started
    finally:
        killed(first)
    assert second.returncode == 1, second.stderr
    assert second.stderr.startswith(f"error: {out}: another release is writing into {out} "
                                     f"(process {first.pid}), so this one did not start")
    assert "How to fix: wait for the other release to finish" in second.stderr
    assert "Traceback" not in second.stderr and waited >= LOCK_WAIT_SECONDS
    done = run(source, out)  # the lock went with the killed release
    assert done.returncode == 0, done.stderr


def test_a_second_release_that_finds_the_first_finishing_waits_for_it(library):
    source, out = library
    first = start(source, out, pause="building:3")
    wait_for_pause(first, "building")
    second = run(source, out)
    assert first.wait(timeout=300) == 0, first.communicate()
    first.stdout.close()
    first.stderr.close()
    assert second.returncode == 0, second.stderr
    published_whole(out)


@pytest.mark.parametrize("point", ["building", "archived", "written", "switched"])
def test_a_release_killed_at_any_step_leaves_a_whole_library_and_the_next_one_finishes(library, point):
    source, out = library
    leaflet(source, "exercises", version="1.1", note="\nRest when you need to.\n")
    process = start(source, out, pause=f"{point}:120")
    wait_for_pause(process, point)
    killed(process)
    state = published_whole(out)  # old or new, but whole
    assert state["exercises"]["version"] == ("1.1" if point == "switched" else "1.0")
    if point == "written":  # the new folders, whole, never switched in: scratch now
        assert len(leftovers(out)) == 1
    done = run(source, out)
    assert done.returncode == 0, done.stderr
    assert published_whole(out)["exercises"]["version"] == "1.1"
    assert leftovers(out) == []
    manifest = out.parent / "archive" / "exercises" / "1.1" / "manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["version"] == "1.1"


def children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(child) for child in text.split()}


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_a_release_killed_while_its_workers_build_takes_them_with_it(library):
    source, out = library
    long_text = "".join(f"\n\n## Day {day}\n\nWalk for {day} minutes, then rest and stretch "
                        "your legs gently for as long again." for day in range(1, 80))
    for stem in ("heat", "ice", "rest"):  # three long ones to build, over two workers
        leaflet(source, stem, note=long_text)
    process = start(source, out, "--jobs", "2")
    deadline = time.monotonic() + STARTUP_SECONDS
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = {pid for pid in children(process.pid)
                   if "python" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")}
        time.sleep(0.05)
    assert len(workers) >= 2, "the release did not start its workers"
    time.sleep(1.0)  # mid-build: a leaflet this long takes its worker several seconds
    assert all(alive(pid) for pid in workers)
    killed(process)
    deadline = time.monotonic() + WORKERS_GONE_SECONDS
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "workers outlived the release"
    published_whole(out)
    done = run(source, out)
    assert done.returncode == 0, done.stderr
    assert set(published_whole(out)) == {"exercises", "heat", "ice", "rest"}
    assert leftovers(out) == []
