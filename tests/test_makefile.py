"""The Makefile run for real, in a copy of the project, with the names a clinic may
give its files.

Each test copies the Makefile, pyproject.toml, pipeline/, styles/ and tools/ into a
temporary folder with a source/ of its own, and runs ``make`` there with ``PY`` set to
this interpreter and ``READY=`` (the virtual environment is this one: nothing is
installed). The fonts' stamp is made in the copy, so ``make`` goes straight to the
build. What is asserted is what a clinic gets: the outputs, the words make prints, and
that nothing in a file name ever ran.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LEAFLET = PROJECT / "tests" / "fixtures" / "epub-leaflet"
ARTICLE = (LEAFLET / "sciatica-exercises.md").read_text(encoding="utf-8")
MAKE_TIMEOUT = 300


def hostile_names(marker: str) -> list[str]:
    """Names a clinic can give a file, and names an attacker would: each command in them
    would create a file whose name holds ``marker``."""
    return [
        "back pain", "it's sciatica", 'the "best" exercises', "semi;colon & pipe|",
        f"`touch {marker}-backtick`", f"$(touch {marker}-dollar)", "$HOME and ${PATH}",
        "-leading-dash", "--to=brf", "ünïcødé 中文 مرحبا", "50% off #1 (draft)?",
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project with an empty source/ (and the shared references)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("pipeline", "styles", "tools"):
        shutil.copytree(PROJECT / name, copy / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(PROJECT / name, copy / name)
    fonts = copy / ".tools" / "fonts.installed"
    fonts.parent.mkdir()
    fonts.touch()  # newer than tools/install-fonts.sh: the fonts are installed here
    (copy / "source").mkdir()
    shutil.copy2(LEAFLET / "references.json", copy / "source" / "references.json")
    (copy / "output").mkdir()
    (copy / "output" / ".gitkeep").touch()
    return copy


def add_leaflet(project: Path, name: str, title: str | None = None) -> Path:
    path = project / "source" / f"{name}.md"
    text = ARTICLE if title is None else ARTICLE.replace("Exercises for Sciatica", title)
    path.write_text(text, encoding="utf-8")
    return path


def make(project: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["make", "--no-print-directory", f"PY={sys.executable}", "READY=",
                           *arguments], cwd=project, capture_output=True, text=True,
                          timeout=MAKE_TIMEOUT, env=environment())
    if check:
        assert done.returncode == 0, f"make {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def environment() -> dict[str, str]:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    env.pop("MAKEFLAGS", None)
    env.pop("SOURCE", None)
    return env


def written(done: subprocess.CompletedProcess) -> set[str]:
    """The names of the files a build said it wrote."""
    return {Path(line.removeprefix("wrote ")).name for line in done.stdout.splitlines()
            if line.startswith("wrote ")}


def nothing_ran(project: Path, marker: str) -> None:
    leftovers = [path for path in (project.parent, project, Path.cwd(), Path("/tmp"))
                 for path in path.glob(f"*{marker}*")]
    assert leftovers == [], f"a command in a file name ran: {leftovers}"


# --- any name is only a name ----------------------------------------------------------------

def test_make_builds_leaflets_of_any_name_and_runs_nothing_in_a_name(project):
    marker = f"pwned-{secrets.token_hex(4)}"
    names = hostile_names(marker)
    for name in names:
        add_leaflet(project, name)
    done = make(project)  # `make`: the PDF and the EPUB of every leaflet
    nothing_ran(project, marker)
    for name in names:
        pdf, epub = project / "output" / f"{name}.pdf", project / "output" / f"{name}.epub"
        assert pdf.read_bytes().startswith(b"%PDF-"), name
        assert epub.read_bytes()[:2] == b"PK", name
    assert written(done) == {f"{name}.{suffix}" for name in names for suffix in ("pdf", "epub")}
    # A format asked for in a name ("--to=brf.md") is not a format asked for.
    assert not list((project / "output").glob("*.brf"))


def test_no_make_target_writes_a_file_name_into_a_command(project):
    marker = f"pwned-{secrets.token_hex(4)}"
    for name in hostile_names(marker):
        add_leaflet(project, name)
    for target in ("all", "pdf", "epub", "print", "pictures", "formats", "check", "release",
                   "status", "watch", "clean"):
        commands = make(project, "-n", target,
                        "ACE=", "FORMAT_TOOLS=", "AXE=").stdout
        for name in ("back pain", "semi;colon", marker, "ünïcødé", "leading-dash"):
            assert name not in commands, f"make {target} would run: {commands}"
    nothing_ran(project, marker)


def watch_until_it_watches(project: Path, *arguments: str) -> list[str]:
    """``make watch``, stopped with Ctrl-C once it has built and is watching; its lines."""
    watching = subprocess.Popen(
        ["make", "--no-print-directory", f"PY={sys.executable}", "READY=", "watch", *arguments],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
        start_new_session=True)
    lines = []
    try:
        for line in watching.stdout:
            lines.append(line)
            if line.startswith("watching"):
                break
    finally:
        os.killpg(watching.pid, signal.SIGINT)
        out, err = watching.communicate(timeout=60)
    return lines + [out, err]


def test_make_watch_takes_the_name_as_typed_through_the_environment(project):
    marker = f"pwned-{secrets.token_hex(4)}"
    name = f"`touch {marker}` $(touch {marker}) $HOME it's"
    add_leaflet(project, "another")
    add_leaflet(project, name)
    lines = watch_until_it_watches(project, f"SOURCE=source/{name}.md")
    assert any(line.startswith(f"watching source/{name}.md") for line in lines), lines
    assert (project / "output" / f"{name}.pdf").is_file()
    assert not (project / "output" / "another.pdf").exists()
    nothing_ran(project, marker)


def test_make_watch_alone_watches_the_first_article(project):
    add_leaflet(project, "b-second")
    add_leaflet(project, "a first")
    lines = watch_until_it_watches(project)
    assert any(line.startswith("watching source/a first.md") for line in lines), lines


def test_a_name_with_a_line_break_is_refused_with_what_to_do(project):
    add_leaflet(project, "fine")
    add_leaflet(project, "line\nbreak")
    done = make(project, "pdf", check=False)
    assert done.returncode != 0
    assert "the file name 'line\\nbreak.md' has a line break" in done.stderr
    assert "rename the file" in done.stderr
    assert not (project / "output" / "fine.pdf").exists()  # refused before anything is built


# --- each leaflet built once after a change -----------------------------------------------------

def test_make_builds_an_edited_leaflet_once_and_a_shared_change_rebuilds_both_once(project):
    first = add_leaflet(project, "first", "Exercises for Sciatica")
    add_leaflet(project, "second", "Walking with Sciatica")
    assert written(make(project, "pdf")) == {"first.pdf", "second.pdf"}
    nothing = make(project, "pdf")
    assert written(nothing) == set()
    assert "2 leaflet(s) up to date: nothing to build" in nothing.stderr

    first.write_text(first.read_text(encoding="utf-8") + "\nRest when you need to.\n",
                     encoding="utf-8")
    assert written(make(project, "pdf")) == {"first.pdf"}
    assert written(make(project, "pdf")) == set()  # the untouched leaflet is not rebuilt ever after
    assert written(make(project, "pdf")) == set()

    references = project / "source" / "references.json"
    data = json.loads(references.read_text(encoding="utf-8"))
    data[0]["title"] = data[0]["title"] + " (revised)"
    references.write_text(json.dumps(data), encoding="utf-8")
    assert written(make(project, "pdf")) == {"first.pdf", "second.pdf"}
    assert written(make(project, "pdf")) == set()

    # Times do not decide: an article saved unchanged (a checkout, a copy) is not rebuilt,
    # and a deleted output is.
    future = first.stat().st_mtime + 3600
    os.utime(first, (future, future))
    assert written(make(project, "pdf")) == set()
    (project / "output" / "second.pdf").unlink()
    assert written(make(project, "pdf")) == {"second.pdf"}
    # The EPUB is a part of its own: asking for it builds it, and then `make` has both.
    assert written(make(project, "epub")) == {"first.epub", "second.epub"}
    assert written(make(project)) == set()


# --- two leaflets, one file name ---------------------------------------------------------------

@pytest.mark.parametrize("other, clash", [
    ("x.large-print", "x.large-print.pdf"),
    ("x.narrated", "x.narrated.epub"),
    ("x.a5", "x.a5.pdf"),
    ("x.booklet", "x.booklet.pdf"),
    ("X", "X.pdf"),
])
def test_leaflets_whose_outputs_share_a_name_are_refused_before_anything_is_built(
        project, other, clash):
    add_leaflet(project, "x")
    add_leaflet(project, other)
    add_leaflet(project, "unrelated")
    done = make(project, "pdf", check=False)
    assert done.returncode != 0
    error = done.stderr
    assert "source/x.md" in error and f"{other}.md" in error, error
    assert "rename" in error
    if other == "X":
        assert "differ only in upper and lower case" in error
    else:
        assert f"would write the same file, {clash}" in error
        assert f"rename {other}.md, for instance to {other.replace('.', '-')}.md" in error
    assert [path.name for path in (project / "output").iterdir()] == [".gitkeep"]


def test_release_and_status_refuse_leaflets_whose_outputs_share_a_name(project):
    add_leaflet(project, "x")
    add_leaflet(project, "x.large-print")
    for command in ("release", "status"):
        done = subprocess.run([sys.executable, "-m", "pipeline", command, "source", "--out", "output"],
                              cwd=project, capture_output=True, text=True, timeout=MAKE_TIMEOUT,
                              env=environment())
        assert done.returncode == 1, done.stderr
        assert "source/x.large-print.md" in done.stderr and "source/x.md" in done.stderr
        assert "would write the same file, x.large-print.pdf" in done.stderr
    assert [path.name for path in (project / "output").iterdir()] == [".gitkeep"]


# --- make clean ----------------------------------------------------------------------------

def test_make_clean_empties_output_but_keeps_gitkeep_the_archive_and_what_links_point_to(
        project, tmp_path):
    output = project / "output"
    (output / "x.pdf").write_bytes(b"%PDF-")
    (output / "pages").mkdir()
    (output / "pages" / "x-page-1.png").write_bytes(b"png")
    (output / "-rf").write_text("a file named like an option")
    (output / ".stamps" / "x").mkdir(parents=True)
    (output / "archive" / "x" / "1.0").mkdir(parents=True)
    (output / "archive" / "x" / "1.0" / "x.pdf").write_bytes(b"%PDF-")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("not the pipeline's")
    (output / "link").symlink_to(elsewhere, target_is_directory=True)
    (output / "file-link").symlink_to(elsewhere / "precious.txt")

    done = make(project, "clean")
    assert sorted(path.name for path in output.iterdir()) == [".gitkeep", "archive"]
    assert (output / "archive" / "x" / "1.0" / "x.pdf").is_file()
    assert "keeping output/archive/" in done.stderr
    assert (elsewhere / "precious.txt").read_text() == "not the pipeline's"


def test_make_clean_does_not_follow_an_output_folder_that_is_a_link(project, tmp_path):
    elsewhere = tmp_path / "share"
    elsewhere.mkdir()
    (elsewhere / "leaflet.pdf").write_bytes(b"%PDF-")
    shutil.rmtree(project / "output")
    (project / "output").symlink_to(elsewhere, target_is_directory=True)
    done = make(project, "clean", check=False)
    assert done.returncode != 0
    assert "output is a link to another folder; not cleaning that" in done.stderr
    assert (elsewhere / "leaflet.pdf").is_file()
