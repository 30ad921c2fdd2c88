"""What a leaflet's key covers (``pipeline/freshness.py``): a change to anything its outputs
are made from changes it, and nothing else does. The keys are computed on real folders;
the builds that use them are run by tests/test_makefile.py."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from pathlib import Path

from pipeline.printed.editions import EDITIONS
from pipeline.config import THEME_DIR, Settings
from pipeline.freshness import (DIGESTS_FILE, RECENT_NS, Freshness, output_names, part_files,
                                requested_parts)
from pipeline.outputs import build_names
from building import FIXTURES

TRANSLATED = FIXTURES / "translated-leaflet"


def library(folder: Path) -> Path:
    shutil.copytree(TRANSLATED, folder)
    text = (folder / "sciatica-exercises.md").read_text(encoding="utf-8")
    (folder / "walking.md").write_text(text.replace("Exercises", "Walking"), encoding="utf-8")
    # A translation named outside its source's family, linked by its front matter alone.
    shutil.copy(folder / "sciatica-exercises.pl.md", folder / "cwiczenia.md")
    (folder / "images").mkdir()
    (folder / "images" / "stretch.svg").write_text("<svg/>", encoding="utf-8")
    return folder


def keys(folder: Path, settings: Settings) -> dict[str, str]:
    sources = sorted(folder.glob("*.md"))
    return {source.name: key for source, key in Freshness(settings, sources).keys.items()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def edit(path: Path, text: str = "\nOne more line.\n") -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


def settings_for(tmp_path: Path, **changes) -> Settings:
    return dataclasses.replace(Settings(out_dir=tmp_path / "out"), **changes)


def test_an_article_changes_its_own_key_and_those_of_its_translations_only(tmp_path):
    folder = library(tmp_path / "source")
    settings = settings_for(tmp_path)
    before = keys(folder, settings)
    edit(folder / "walking.md")
    assert changed(before, keys(folder, settings)) == {"walking.md"}

    before = keys(folder, settings)
    edit(folder / "sciatica-exercises.md")
    family = {path.name for path in folder.glob("sciatica-exercises*.md")}
    # Its translations say which version they translate; the one named by its front
    # matter (cwiczenia.md) reads it too.
    assert changed(before, keys(folder, settings)) == family | {"cwiczenia.md"}

    before = keys(folder, settings)
    edit(folder / "sciatica-exercises.pl.md")
    assert changed(before, keys(folder, settings)) == family  # the source lists its translations


def test_what_the_leaflets_share_changes_every_key(tmp_path):
    folder = library(tmp_path / "source")
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    settings = settings_for(tmp_path, theme_dir=theme_dir)
    for shared in (folder / "references.json", folder / "images" / "stretch.svg",
                   theme_dir / "leaflet.css"):
        before = keys(folder, settings)
        edit(shared, "\n")
        assert changed(before, keys(folder, settings)) == set(before), shared
    before = keys(folder, settings)
    assert changed(before, keys(folder, settings_for(tmp_path, theme_dir=theme_dir, paper="letter"))) \
        == set(before)
    assert changed(before, keys(folder, settings_for(tmp_path, theme_dir=theme_dir, csl="apa"))) \
        == set(before)


def test_times_hidden_files_and_outputs_in_the_folder_change_no_key(tmp_path):
    folder = library(tmp_path / "source")
    settings = settings_for(tmp_path, out_dir=folder / "output")
    before = keys(folder, settings)
    for path in folder.iterdir():
        os.utime(path, (1, 1))
    (folder / ".walking.md.swp").write_bytes(b"editor")
    (folder / "output").mkdir()
    (folder / "output" / "walking.pdf").write_bytes(b"%PDF-")
    assert changed(before, keys(folder, settings)) == set()


def test_every_file_a_part_is_written_into_is_an_output_name_of_its_leaflet(tmp_path):
    settings = settings_for(tmp_path, formats=build_names(), editions=tuple(EDITIONS))
    names = output_names("x")
    for part in requested_parts(settings):
        for path in part_files(part, "x", settings):
            assert path.name in names, part
    assert {"x.pdf", "x.large-print.pdf", "x.a5.pdf", "x.booklet.pdf", "x.epub", "x.brf",
            "x.mp3", "x.narrated.epub"} <= set(names)


def test_a_file_rewritten_as_it_was_kept_is_read_again(tmp_path):
    """The kept digests (``<out>/.stamps/digests.json``) are trusted only while a file's
    size, times and inode are as they were: rewritten to the same size, with its
    modification time set back, it is read again and its new words count."""
    folder = library(tmp_path / "source")
    settings = settings_for(tmp_path)
    (settings.out_dir / ".stamps").mkdir(parents=True)
    time.sleep(RECENT_NS / 1e9 + 0.2)  # a file changed lately is never kept
    article = folder / "walking.md"
    before = keys(folder, settings)
    kept = json.loads((settings.out_dir / ".stamps" / DIGESTS_FILE).read_text(encoding="utf-8"))
    assert str(article.resolve()) in kept
    old = os.stat(article)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Walking", "Wa1king", 1), encoding="utf-8")  # the same size
    os.utime(article, ns=(old.st_atime_ns, old.st_mtime_ns))  # and the same modification time
    assert changed(before, keys(folder, settings)) == {"walking.md"}
