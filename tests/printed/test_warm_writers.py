"""What the speed-ups must not change: the bytes of the outputs.

A cold command-line build writes its PDF in a forked helper; a warm process
reuses parsed stylesheets and may have laid out a throw-away sample first;
the C libraries' locations come from a cache. Each must give exactly the
files a plain build gives. Real builds, compared byte for byte.
"""
from __future__ import annotations

import ctypes.util
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.build import build
from pipeline.config import Settings
from pipeline.config import EDITIONS
from pipeline.printed.native_libraries import remembered_library_lookups
from pipeline.printed.pdf import PROCESS_WRITER
from building import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "epub-leaflet"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leaflet(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "leaflets")
    return tmp_path / "leaflets" / "sciatica-exercises.md"


def test_the_command_line_helper_and_a_warm_process_write_the_same_bytes(tmp_path):
    article = leaflet(tmp_path)
    subprocess.run([sys.executable, "-m", "pipeline", "build", str(article), "--out",
                    str(tmp_path / "cold")], cwd=PROJECT_ROOT, check=True, capture_output=True)
    settings = Settings(out_dir=tmp_path / "warm")
    stylesheets = EDITIONS["standard"].stylesheets(settings)
    PROCESS_WRITER.rehearse(stylesheets, settings, article.parent, article)
    warm = build(article, settings)
    again = build(article, Settings(out_dir=tmp_path / "again"))
    assert [path.name for path in warm] == ["sciatica-exercises.pdf", "sciatica-exercises.epub"]
    for path in warm:
        assert sha256(path) == sha256(tmp_path / "cold" / path.name) == \
            sha256(tmp_path / "again" / path.name), path.name


def test_library_lookups_are_remembered_and_answer_as_ctypes_does(tmp_path):
    names = ("c", "m", "no-such-library-anywhere")
    with remembered_library_lookups(tmp_path):
        first = [ctypes.util.find_library(name) for name in names]
    assert [path.name for path in tmp_path.iterdir()][0].startswith("libraries-")
    assert ctypes.util.find_library.__module__ == "ctypes.util"  # put back afterwards
    assert first == [ctypes.util.find_library(name) for name in names]
    with remembered_library_lookups(tmp_path):
        assert [ctypes.util.find_library(name) for name in names] == first


def test_an_unreadable_cache_is_asked_again(tmp_path):
    with remembered_library_lookups(tmp_path):
        expected = ctypes.util.find_library("c")
    for cached in tmp_path.iterdir():
        cached.write_text("{not json", encoding="utf-8")
    with remembered_library_lookups(tmp_path):
        assert ctypes.util.find_library("c") == expected
