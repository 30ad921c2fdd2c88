"""A release a clinic can trust (issue 19): a sign-off binds to the version it approves,
what was released stays released, the archive is kept apart from the outputs, and a new
version waits for its sign-off without taking the released one away.

One leaflet (``fixtures/clinic-leaflet``: a clinic profile with its logo, plus an image
and a CSL file of its own) is released once for the module as version 1.0, in PDF and
EPUB only (the formats are not the point here); each test works on a copy of the
library, its output folder and its archive, and reuses the build.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from PIL import Image

from building import FIXTURES
from reading_pdf import pdf_text
from pipeline.__main__ import EXIT_DOCUMENT, EXIT_OK, main

TODAY = "2027-03-01"
STEM = "exercises"
SIGN_OFF = "  - {{name: Ann Lead, role: Clinical lead, date: {date}, version: \"{version}\"}}\n"
FORMATS = ("--formats", "pdf,epub")


def run(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


def release(source: Path, out: Path, *more: str | Path) -> int:
    return run("release", source, "--out", out, "--today", TODAY, *FORMATS, *more)


def status(source: Path, out: Path, *more: str) -> int:
    return run("status", source, "--out", out, "--today", TODAY, *more)


def archive_of(out: Path) -> Path:
    """``archive/`` beside the library's folder, which these tests keep beside ``out``."""
    return out.parent / "archive"


def make_library(folder: Path) -> Path:
    shutil.copytree(FIXTURES / "clinic-leaflet", folder)
    shutil.copy(FIXTURES / "csl-files" / "clinic-vancouver.csl", folder / "house.csl")
    Image.new("RGB", (120, 80), (30, 120, 200)).save(folder / "stretch.png")
    article = folder / "sciatica-exercises.md"
    text = article.read_text(encoding="utf-8").replace("csl: vancouver-nlm", "csl: house.csl")
    text = text.replace('version: "1.0"\n', 'version: "1.0"\nreview-date: 2028-01-01\napproved-by:\n'
                        + SIGN_OFF.format(date="2026-12-01", version="1.0"))
    text += "\n![A gentle stretch, lying on your back](stretch.png)\n"
    (folder / f"{STEM}.md").write_text(text, encoding="utf-8")
    article.unlink()
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def raise_version(source: Path, version: str, *, signed: bool, text: str = "") -> None:
    """The issue's fault: the text edited, ``version:`` raised, ``date:`` left alone."""
    article = source / f"{STEM}.md"
    edit(article, 'version: "1.0"', f'version: "{version}"')
    if signed:
        edit(article, "approved-by:\n", "approved-by:\n" + SIGN_OFF.format(date="2027-02-01",
                                                                            version=version))
    if text:
        edit(article, "Walk a little every day", text)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def release_json(out: Path) -> dict:
    return json.loads((out / "release" / "release.json").read_text(encoding="utf-8"))


def leaflet_entry(out: Path) -> dict:
    (entry,) = release_json(out)["leaflets"]
    return entry


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("governed")
    source, out = make_library(root / "source"), root / "out"
    assert release(source, out) == EXIT_OK
    return source, out


@pytest.fixture
def library(released, tmp_path) -> tuple[Path, Path]:
    source, out = released
    shutil.copytree(source, tmp_path / "source")
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    shutil.copytree(archive_of(out), archive_of(tmp_path / "out"))
    return tmp_path / "source", tmp_path / "out"


# --- the archive beside the library ------------------------------------------------------------

def test_the_archive_is_beside_the_library_and_records_every_input(released):
    source, out = released
    assert not (out / "archive").exists()
    manifest = json.loads((archive_of(out) / STEM / "1.0" / "manifest.json").read_text("utf-8"))
    inputs = manifest["inputs"]
    assert set(inputs["article"]) == {f"{STEM}.md"}
    assert set(inputs["references"]) == {"references.json"}
    assert set(inputs["clinic profile"]) == {"riverside.yaml"}
    assert set(inputs["images"]) == {"stretch.png", "riverside-logo.svg"}  # the logo: named by the profile
    assert set(inputs["CSL style"]) == {"house.csl"}
    assert "styles/leaflet.css" in inputs["styles"] and "styles/site.css" not in inputs["styles"]
    assert set(inputs["pipeline"]) == {"leaflet-pipeline"}
    assert manifest["approval"]["version"] == "1.0"
    assert manifest["leaflet"]["version"] == "1.0" and manifest["leaflet"]["state"] == "released"


def test_make_clean_leaves_the_archive_and_the_next_release_publishes_it_again(library):
    source, out = library
    archived = snapshot(archive_of(out))
    for path in sorted(out.iterdir(), reverse=True):  # the Makefile's clean: all of output/ goes
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    assert snapshot(archive_of(out)) == archived
    assert release(source, out) == EXIT_OK
    assert snapshot(archive_of(out)) == archived  # same inputs: the same version, untouched
    for name in leaflet_entry(out)["files"].values():  # what is published is the archive's copy
        assert (out / "release" / name).read_bytes() == archived[f"{STEM}/1.0/{name}"]


def test_an_archive_left_in_the_output_folder_is_moved_beside_the_library(library, caplog):
    source, out = library
    shutil.move(str(archive_of(out)), str(out / "archive"))
    with caplog.at_level(logging.WARNING):
        assert release(source, out) == EXIT_OK
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == [
        f"moved the archive from {out / 'archive'} to {archive_of(out).resolve()}, where 'make clean' "
        "never deletes it (keep it under version control or on a backed-up share)"]
    assert not (out / "archive").exists()
    assert (archive_of(out) / STEM / "1.0" / "manifest.json").is_file()


def test_release_archive_puts_the_archive_where_the_clinic_keeps_it(library, tmp_path):
    source, out = library
    share = tmp_path / "backed-up-share" / "leaflets"
    raise_version(source, "1.1", signed=True, text="Walk a little more every day")
    assert release(source, out, "--archive", share) == EXIT_OK
    assert (share / STEM / "1.1" / "manifest.json").is_file()
    assert not (archive_of(out) / STEM / "1.1").exists()
    assert status(source, out, "--archive", share) == EXIT_OK


def test_an_archive_inside_the_library_folder_is_wrong_usage(library, capsys):
    source, out = library
    assert release(source, out, "--archive", source / "archive") == 2
    assert "--archive" in capsys.readouterr().err and not (source / "archive").exists()


# --- a sign-off approves one version -----------------------------------------------------------

def test_a_raised_version_waits_for_its_sign_off_and_the_released_one_stays(library, capsys):
    source, out = library
    raise_version(source, "1.1", signed=False, text="Swim a little every day")
    assert release(source, out) == EXIT_OK
    assert "released  exercises 1.0 (version 1.1 awaits sign-off)" in capsys.readouterr().out
    entry = leaflet_entry(out)
    assert entry["state"] == "released" and entry["version"] == "1.0"
    assert entry["awaiting_sign_off"] == "1.1"
    text = pdf_text(out / "release" / f"{STEM}.pdf")
    assert "Walk a little every day" in text and "Swim" not in text and "DRAFT" not in text
    assert (out / "site" / f"{STEM}.html").is_file()
    assert "DRAFT" in pdf_text(out / "build" / f"{STEM}.pdf")  # 1.1, built, kept back
    assert not (archive_of(out) / STEM / "1.1").exists()

    assert status(source, out, "--json") == EXIT_OK
    (row,) = json.loads(capsys.readouterr().out)
    assert row["state"] == "in-review" and row["published_version"] == "1.0"
    assert row["version"] == "1.1" and row["draft"] and row["approval"] is None
    assert status(source, out) == EXIT_OK
    assert "1.0 out, 1.1 in review" in capsys.readouterr().out

    # Signed, 1.1 replaces 1.0 on the site; both stay in the archive.
    edit(source / f"{STEM}.md", "approved-by:\n",
         "approved-by:\n" + SIGN_OFF.format(date="2027-02-01", version="1.1"))
    assert release(source, out) == EXIT_OK
    assert leaflet_entry(out)["version"] == "1.1" and leaflet_entry(out)["awaiting_sign_off"] is None
    assert "Swim a little every day" in pdf_text(out / "release" / f"{STEM}.pdf")
    assert sorted(path.name for path in (archive_of(out) / STEM).iterdir()) == ["1.0", "1.1"]


def test_a_sign_off_that_names_no_version_stops_the_release(library, capsys):
    source, out = library
    before = snapshot(out / "release")
    edit(source / f"{STEM}.md", ', version: "1.0"}', "}")
    assert release(source, out) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert (f"{source / f'{STEM}.md'}, line 15: front matter 'approved-by', entry 1: the sign-off "
            "by Ann Lead (2026-12-01) does not say which version it approves") in err
    assert "'version: \"1.0\"'" in err
    assert snapshot(out / "release") == before


# --- what was released stays released ----------------------------------------------------------

def change_png(path: Path) -> None:
    Image.new("RGB", (120, 80), (200, 40, 40)).save(path)


CHANGES = {  # what is changed under the released version 1.0, and how it is named
    "references": ("references.json", lambda path: edit(path, '"title": "', '"title": "Updated: '),
                   "references: references.json changed"),
    "clinic": ("riverside.yaml", lambda path: edit(path, "0113", "0114"),
               "clinic profile: riverside.yaml changed"),
    "image": ("stretch.png", change_png, "images: stretch.png changed"),
    "logo": ("riverside-logo.svg", lambda path: edit(path, "</svg>", "<!-- redrawn --></svg>"),
             "images: riverside-logo.svg changed"),
    "csl": ("house.csl", lambda path: edit(path, "</style>", "<!-- house rules --></style>"),
            "CSL style: house.csl changed"),
}


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_a_change_under_a_released_version_is_refused_naming_it(library, capsys, what):
    source, out = library
    name, change, named = CHANGES[what]
    published = {folder: snapshot(out / folder) for folder in ("release", "site")}
    archived = snapshot(archive_of(out))
    change(source / name)
    assert release(source, out) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert (f"{source / f'{STEM}.md'}, line 12: version 1.0 was released on {TODAY} and what it is "
            f"made from has changed since ({named}): raise the version") in err
    assert "give the leaflet 'version: \"1.1\"' and have that version signed off" in err
    assert "nothing was released" in err
    assert {folder: snapshot(out / folder) for folder in published} == published
    assert snapshot(archive_of(out)) == archived
    assert status(source, out) == EXIT_DOCUMENT  # status says it before the next release
    assert f"has changed since ({named}): raise the version" in capsys.readouterr().err


def test_a_changed_style_under_a_released_version_is_refused_naming_it(library, tmp_path):
    import datetime as dt

    from pipeline.config import THEME_DIR, Settings
    from pipeline.release.publish import release as release_library
    source, out = library
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    settings = Settings(out_dir=out, theme_dir=theme_dir)
    day = dt.date.fromisoformat(TODAY)
    same = release_library(source, out, settings, today=day, formats=("pdf", "epub"))
    assert same.published and same.refused == []  # a copy of the styles is the same styles
    (theme_dir / "leaflet.css").write_text((theme_dir / "leaflet.css").read_text(encoding="utf-8")
                                        + "\nh2 { letter-spacing: 0.02em; }\n", encoding="utf-8")
    changed = release_library(source, out, settings, today=day, formats=("pdf", "epub"))
    assert not changed.published
    (error,) = changed.refused
    assert "(styles: styles/leaflet.css changed): raise the version" in str(error)


def test_a_new_pipeline_version_under_a_released_version_is_refused_naming_it(library, capsys,
                                                                              monkeypatch):
    from pipeline.release import inputs
    source, out = library
    real = inputs.installed_version
    monkeypatch.setattr(inputs, "installed_version",
                        lambda name: "99.0" if name == inputs.PIPELINE_PACKAGE else real(name))
    assert release(source, out) == EXIT_DOCUMENT
    assert f"(pipeline: {real(inputs.PIPELINE_PACKAGE)} → 99.0): raise the version" in \
        capsys.readouterr().err


@pytest.mark.parametrize("version, raised", [("1.0", "1.1"), ("1.9", "1.10"), ("2", "3"),
                                             ("2.0-beta", "2.0-beta.1")])
def test_the_version_to_raise_to(version, raised):
    from pipeline.release.inputs import next_version
    assert next_version(version) == raised


def test_a_file_the_leaflet_does_not_name_is_no_change(library):
    source, out = library
    Image.new("RGB", (10, 10)).save(source / "for-another-leaflet.png")
    assert release(source, out) == EXIT_OK


def test_status_checks_every_archived_version_not_only_the_latest(library, capsys):
    source, out = library
    raise_version(source, "1.1", signed=True, text="Walk a little more every day")
    assert release(source, out) == EXIT_OK
    assert status(source, out) == EXIT_OK
    capsys.readouterr()
    old = archive_of(out) / STEM / "1.0"
    (old / f"{STEM}.epub").write_bytes((old / f"{STEM}.epub").read_bytes() + b"\0")
    assert status(source, out) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert (f"error: {old / 'manifest.json'}: {STEM}.epub no longer matches the sha256 the "
            "manifest gives for it") in err
    assert "How to fix: put back the archived version from your backup" in err


# --- EPUBCheck before publishing ---------------------------------------------------------------

def test_an_epub_that_fails_epubcheck_is_never_published(library, capsys):
    import zipfile
    source, out = library
    raise_version(source, "1.1", signed=True, text="Walk a little more every day")
    assert run("release", source, "--out", out, "--today", TODAY, *FORMATS, "--no-publish") == EXIT_OK
    epub = out / "build" / f"{STEM}.epub"
    broken = out / "broken.epub"
    with zipfile.ZipFile(epub) as original, zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith(".xhtml") and b"<body" in data and b"Walk" in data:
                data = data.replace(b"</p>", b"<p>", 1)  # no longer well-formed
            copy.writestr(item, data)
    broken.replace(epub)  # the build's stamp still matches: the release takes this file
    before = snapshot(out / "release")
    capsys.readouterr()
    assert release(source, out) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert f"error: {epub}: fails EPUBCheck, so it is not published: " in err
    assert "RSC-" in err and "nothing was released" in err
    assert snapshot(out / "release") == before and leaflet_entry(out)["version"] == "1.0"
    assert not (archive_of(out) / STEM / "1.1").exists()


# --- the published folders ---------------------------------------------------------------------

def test_release_and_site_folders_from_before_become_links(library):
    source, out = library
    for name in ("release", "site"):
        real = out / f"{name}.real"
        shutil.copytree(out / name, real)
        (out / name).unlink()
        real.rename(out / name)
    assert not (out / "release").is_symlink()
    assert release(source, out) == EXIT_OK
    for name in ("release", "site"):
        assert (out / name).is_symlink() and (out / name).is_dir()
    assert (out / "release" / f"{STEM}.pdf").is_file() and (out / "site" / "index.html").is_file()
    assert len(list((out / ".releases").iterdir())) == 1
