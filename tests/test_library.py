"""Building a library: several leaflets over a pool of worker processes.

Real builds throughout. What is checked: every leaflet gets the same bytes as
when it is built on its own, one bad leaflet fails alone, warnings from the
workers reach this process's logging, the summary line counts right, and the
progress bar shows only on a terminal.
"""
from __future__ import annotations

import hashlib
import io
import logging
import shutil
from pathlib import Path

import pytest

from pipeline.__main__ import EXIT_DOCUMENT, main
from pipeline.build import build
from pipeline.config import Settings
from pipeline.library import Outcome, build_library
from building import FIXTURES

GOOD = FIXTURES / "epub-leaflet"


def library(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the fixture leaflet, each with its own title, in one folder."""
    shutil.copytree(GOOD, folder)
    template = (folder / "sciatica-exercises.md").read_text(encoding="utf-8")
    (folder / "sciatica-exercises.md").unlink()
    sources = []
    for number in range(1, count + 1):
        source = folder / f"leaflet-{number}.md"
        source.write_text(template.replace("title: Exercises for Sciatica",
                                           f"title: Exercises for Sciatica, part {number}"),
                          encoding="utf-8")
        sources.append(source)
    return sources


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_library_gives_the_same_bytes_as_one_leaflet_at_a_time(tmp_path):
    sources = library(tmp_path / "leaflets", 3)
    outcomes: list[Outcome] = []
    summary = build_library(sources, Settings(out_dir=tmp_path / "pool", jobs=2),
                            outcomes.append,
                            stream=io.StringIO())
    assert (summary.built, summary.failed, summary.files) == (3, 0, 6)
    assert sorted(outcome.source.name for outcome in outcomes) == [s.name for s in sources]
    for source in sources:
        alone = build(source, Settings(out_dir=tmp_path / "alone"))
        assert [sha256(path) for path in alone] == \
            [sha256(tmp_path / "pool" / path.name) for path in alone]


def test_one_bad_leaflet_fails_alone_and_the_summary_says_so(tmp_path, capsys):
    sources = library(tmp_path / "leaflets", 2)
    broken = sources[0].parent / "broken.md"
    broken.write_text("---\ntitle: [not closed\n---\n\nText.\n", encoding="utf-8")
    code = main(["build", str(broken), *map(str, sources), "--to", "epub",
                 "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert code == EXIT_DOCUMENT
    output = capsys.readouterr()
    assert sorted(output.out.splitlines()) == sorted(
        f"wrote {tmp_path / 'out' / source.with_suffix('.epub').name}" for source in sources)
    assert f"error: {broken}, line 2: the front matter is not valid YAML" in output.err
    summary = output.err.strip().splitlines()[-1]
    assert summary.startswith("built 2 of 3 leaflets (2 files), 1 failed, in ")
    assert summary.endswith(" s")


def test_warnings_from_the_workers_reach_this_process(tmp_path, caplog):
    sources = library(tmp_path / "leaflets", 2)
    text = sources[1].read_text(encoding="utf-8")
    sources[1].write_text(text.replace("version:", "reviewdate: 2027-01-01\nversion:"),
                          encoding="utf-8")
    build_library(sources, Settings(formats=("epub",), out_dir=tmp_path / "out", jobs=2),
                  lambda outcome: None, stream=io.StringIO())
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{sources[1]}, line ") and "'reviewdate'" in warnings[0]


@pytest.mark.parametrize("stream, shown", [(io.StringIO(), False), (Terminal(), True)])
def test_the_progress_bar_shows_only_on_a_terminal(tmp_path, stream, shown):
    sources = library(tmp_path / "leaflets", 2)
    build_library(sources, Settings(formats=("epub",), out_dir=tmp_path / "out", jobs=2),
                  lambda outcome: None, stream=stream)
    drawn = stream.getvalue()
    assert ("building leaflet-1.md" in drawn and "] 2/2" in drawn) is shown
    assert (drawn == "") is not shown


# --- which leaflets a build takes: names, and outputs of their own ----------------------------

def articles(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    text = (GOOD / "sciatica-exercises.md").read_text(encoding="utf-8")
    for name in names:
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder / name for name in names)


def test_translations_easy_read_and_any_other_names_are_a_library_of_their_own(tmp_path):
    from pipeline.library import leaflets_of
    names = ("x.md", "x.pl.md", "x.easy-read.md", "x.zh-CN.md", "x-large-print.md", "x large.md",
             "Ärger.md", "-x.md", "x.large.md")
    sources = articles(tmp_path / "source", *names)
    (tmp_path / "source" / "._x.md").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    found, from_folders = leaflets_of([tmp_path / "source", sources[0]])
    assert found == sorted(sources) and from_folders == set(sources)  # named twice, built once


@pytest.mark.parametrize("first, second, shared", [
    ("x.md", "x.large-print.md", "x.large-print.pdf"),
    ("x.md", "x.a5.md", "x.a5.pdf"),
    ("x.md", "x.booklet.md", "x.booklet.pdf"),
    ("x.md", "x.narrated.md", "x.narrated.epub"),
    ("x.pl.md", "x.pl.large-print.md", "x.pl.large-print.pdf"),
    ("Leaflet.md", "leaflet.md", "Leaflet.pdf"),
    ("caf\u00e9.md", "cafe\u0301.md", "caf\u00e9.pdf"),  # é as one character, and as e + accent
])
def test_two_leaflets_whose_outputs_share_a_name_are_refused_naming_both(tmp_path, capsys, first,
                                                                         second, shared):
    articles(tmp_path / "source", first, second)
    code = main(["build", str(tmp_path / "source"), "--to", "epub", "--out", str(tmp_path / "out")])
    assert code == EXIT_DOCUMENT
    error = capsys.readouterr().err
    assert first in error and second in error and "rename" in error
    if first.casefold() != second.casefold() and "\u0301" not in second:
        assert f"would write the same file, {shared}" in error
    else:
        assert "differ only in upper and lower case or accents" in error
    assert not (tmp_path / "out").exists()  # before anything was built


def test_the_same_name_in_two_folders_is_refused_for_one_output_folder(tmp_path, capsys):
    first = articles(tmp_path / "a", "x.md")[0]
    second = articles(tmp_path / "b", "x.md")[0]
    assert main(["build", str(first), str(second), "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    error = capsys.readouterr().err
    assert f"{second}: this leaflet has the same name as {first}" in error
    assert "build them into different output folders (--out)" in error


def test_a_control_character_in_a_name_is_refused_naming_the_file(tmp_path, capsys):
    articles(tmp_path / "source", "fine.md", "tab\there.md")
    assert main(["build", str(tmp_path / "source"), "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    error = capsys.readouterr().err
    assert "the file name 'tab\\there.md' has a line break, tab or other control character" in error
    assert not (tmp_path / "out").exists()


def test_an_empty_folder_builds_nothing_and_says_so(tmp_path, capsys):
    (tmp_path / "source").mkdir()
    assert main(["build", str(tmp_path / "source"), "--out", str(tmp_path / "out")]) == 0
    assert f"no articles (*.md) in {tmp_path / 'source'}: nothing to build" in capsys.readouterr().err
