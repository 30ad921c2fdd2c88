"""Every released version, kept: ``ARCHIVE/<stem>/<version>/``.

The archive is the clinic's record of what patients were given, so it lives apart from
the outputs: by default ``archive/`` beside the library's folder (``source/``), which
``make clean`` never touches; ``release --archive DIR`` puts it elsewhere (a folder under
version control, a backed-up share). An ``archive/`` found in the output folder (where
pipelines before this one kept it) is moved there by the next release, which says so
(``migrate``).

A version folder holds the files the patient was given (the PDFs, the EPUB, the
braille, audio and narrated EPUB files, the cover picture) and ``manifest.json``:

``stem``, ``version``, ``source`` (the article's file name), ``source_sha256``,
``approval`` (the latest sign-off of the version: ``name``, ``role``, ``date``,
``version``; null for none), ``approvals`` (all of them), ``released`` (the release's
day, ``--today``), ``files`` (file name → sha256), ``added`` (file name → the day it was
first released) for files released after the version was (see below), ``inputs`` (what
the version was made from, each with its sha256: ``inputs.py``; the fingerprint of what
was signed) and ``leaflet`` (its entry in ``release.json``, so the version can stay
published from here while a newer one waits for its sign-off).

A version folder is never overwritten. Releasing a version again with the same
inputs is nothing to do, except for a file of it the folder does not hold yet (a
format the clinic began to offer later, or one the pipeline learnt to write):
that file is added beside the others and to the manifest (``add_new_files``),
and nothing already there changes. With any input changed (the text, the references, the
clinic profile, an image, the CSL file, the styles, the pipeline's version) it is an
``ArchiveError`` naming what changed and the version to raise. A manifest that is not
valid JSON, or whose files no longer match their sha256, is an error too (``verify``
checks every version, for ``status``): the archive is the record of what was handed out,
so it is never silently repaired.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from ..files import atomic_output
from .catalogue import (Entry, ReleasedLeaflet, approval_json, leaflet_from_json, release_files,
                        sha256_of)
from .inputs import Inputs, changes, next_version

MANIFEST = "manifest.json"
DEFAULT_FOLDER = "archive"  # beside the library's folder
RESTORE = "put back the archived version from your backup (or from version control)"
# What a version may look like as a folder name: no '/', '..' or spaces.
VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


class ArchiveError(PipelineError):
    """The archive disagrees with what is being released, or was changed by hand; exit code 1."""


@dataclass(frozen=True)
class Archived:
    """What the archive already says about one version."""

    folder: Path
    source_sha256: str
    released: str
    inputs: Inputs | None  # None: archived by a pipeline that did not record them


def version_folder(archive_dir: Path, entry: Entry) -> Path:
    version = entry.article.version
    if version is None:
        raise ArchiveError("the leaflet is approved but has no 'version:', so it cannot be archived",
                           file=entry.path, line=1,
                           hint="add a line such as 'version: \"1.0\"' to the front matter")
    if not VERSION_NAME.match(version):
        raise ArchiveError(f"the version {version!r} cannot name a folder in the archive",
                           file=entry.path, line=entry.article.line_of_field("version"),
                           hint="use letters, digits, '.', '-' or '+' only, e.g. '2.1'")
    return archive_dir / entry.stem / version


def archived(archive_dir: Path, entry: Entry) -> Archived | None:
    """The version's record if it was released before (checked against its files), else None."""
    folder = version_folder(archive_dir, entry)
    if not folder.exists():
        return None
    manifest = read_manifest(folder / MANIFEST)
    check_files(folder, manifest)
    inputs = manifest.get("inputs")
    return Archived(folder, str(manifest.get("source_sha256")), str(manifest.get("released")),
                    inputs if isinstance(inputs, dict) else None)


def check_unchanged(archive_dir: Path, entry: Entry, inputs: Inputs) -> bool:
    """True if this version is archived already, made from these very ``inputs`` (nothing
    to do); False if it is new. An ``ArchiveError`` naming what changed if it was released
    from other inputs."""
    record = archived(archive_dir, entry)
    if record is None:
        return False
    if record.inputs is not None:
        changed = changes(record.inputs, inputs)
    else:  # recorded before the inputs were: the text is all there is to compare
        changed = ["article: " + entry.path.name + " changed"] \
            if record.source_sha256 != entry.source_sha256 else []
    if changed:
        version = entry.article.version
        raise ArchiveError(
            f"version {version} was released on {record.released} and what it is made from "
            f"has changed since ({'; '.join(changed)}): raise the version",
            file=entry.path, line=entry.article.line_of_field("version"),
            hint=f"a released version is never changed ({record.folder} keeps what patients were "
                 f"given): give the leaflet 'version: \"{next_version(version)}\"' and have that "
                 f"version signed off ('approved-by:' entry with 'version: \"{next_version(version)}\"'); "
                 f"until then version {version} stays published from the archive")
    return True


def read_manifest(path: Path) -> dict:
    fix = "the archive records what patients were given and is not edited by hand: " + RESTORE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError("this archived version has no manifest.json", file=path.parent,
                           hint=fix) from None
    except (ValueError, OSError) as error:
        raise ArchiveError(f"the manifest cannot be read: {error}", file=path, hint=fix) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ArchiveError("the manifest has no list of 'files'", file=path, hint=fix)
    return manifest


def check_files(folder: Path, manifest: dict) -> None:
    path = folder / MANIFEST
    for name, expected in sorted(manifest["files"].items()):
        file = folder / str(name)
        if Path(str(name)).name != name or not file.is_file():
            raise ArchiveError(f"the manifest lists {name!r}, which is not in the folder", file=path,
                               hint=RESTORE)
        if sha256_of(file) != expected:
            raise ArchiveError(f"{name} no longer matches the sha256 the manifest gives for it",
                               file=path, hint=RESTORE)


def manifest_of(entry: Entry, files: dict[str, Path], today: dt.date, inputs: Inputs,
                leaflet: ReleasedLeaflet) -> dict:
    latest = max(entry.approvals, key=lambda approval: approval.date, default=None)
    return {
        "stem": entry.stem, "version": entry.article.version, "source": entry.path.name,
        "source_sha256": entry.source_sha256,
        "approval": approval_json(latest) if latest is not None else None,
        "approvals": [approval_json(approval) for approval in entry.approvals],
        "released": today.isoformat(),
        "files": {name: sha256_of(path) for name, path in sorted(files.items())},
        "inputs": inputs,
        "leaflet": {**leaflet.as_json(), "translations": [], "awaiting_sign_off": None},
    }


def manifest_text(manifest: dict) -> str:
    """Sorted, indented JSON: the same release gives the same bytes."""
    return json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def archive_version(archive_dir: Path, entry: Entry, files: dict[str, Path], today: dt.date,
                    inputs: Inputs, leaflet: ReleasedLeaflet) -> Path:
    """Keep a newly released version: its files and manifest are written into a folder
    beside the version's, which is renamed into place once complete. Never replaces one."""
    target = version_folder(archive_dir, entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for name, path in sorted(files.items()):
            shutil.copyfile(path, scratch / name)
        (scratch / MANIFEST).write_text(
            manifest_text(manifest_of(entry, files, today, inputs, leaflet)), encoding="utf-8")
        os.chmod(scratch, 0o755)
        os.rename(scratch, target)  # fails if another release archived it meanwhile
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def add_new_files(archive_dir: Path, entry: Entry, files: dict[str, Path], today: dt.date) -> list[str]:
    """Keep the files of an archived version's release that its folder does not hold yet;
    the names added. Each is copied in before the manifest lists it (with ``added``:
    today), so a release stopped half-way leaves at most a file the manifest does not
    list, which the next release writes again. The files listed before are not touched."""
    folder = version_folder(archive_dir, entry)
    manifest = read_manifest(folder / MANIFEST)
    new = {name: path for name, path in sorted(files.items()) if name not in manifest["files"]}
    if not new:
        return []
    for name, path in new.items():
        with atomic_output(folder / name) as temporary:
            shutil.copyfile(path, temporary)
    manifest["files"] = {**manifest["files"], **{name: sha256_of(path) for name, path in new.items()}}
    added = manifest.get("added") if isinstance(manifest.get("added"), dict) else {}
    manifest["added"] = {**added, **{name: today.isoformat() for name in new}}
    with atomic_output(folder / MANIFEST) as temporary:
        temporary.write_text(manifest_text(manifest), encoding="utf-8")
    return list(new)


# --- the whole archive -------------------------------------------------------------------------

def default_folder(source_dir: Path) -> Path:
    """``archive/`` beside the library's folder: ``source/`` → ``archive/``."""
    return Path(source_dir).resolve().parent / DEFAULT_FOLDER


def version_folders(archive_dir: Path) -> list[Path]:
    """Every ``<stem>/<version>/`` of the archive (not the hidden scratch of a release)."""
    if not archive_dir.is_dir():
        return []
    return sorted(version for stem in archive_dir.iterdir()
                  if stem.is_dir() and not stem.name.startswith(".")
                  for version in stem.iterdir()
                  if version.is_dir() and not version.name.startswith("."))


def verify(archive_dir: Path) -> list[ArchiveError]:
    """Every version's files against its manifest's sha256: one error a version that fails."""
    problems = []
    for folder in version_folders(archive_dir):
        try:
            check_files(folder, read_manifest(folder / MANIFEST))
        except ArchiveError as error:
            problems.append(error)
    return problems


def latest_release(archive_dir: Path, stem: str) -> tuple[ReleasedLeaflet, Path] | None:
    """The version of ``stem`` released last (its catalogue entry and folder, checked against
    its manifest), or None. Versions archived without their entry (by a pipeline before
    this one) cannot be published from the archive and are passed over."""
    found = []
    folder = archive_dir / stem
    for version in version_folders(archive_dir):
        if version.parent != folder:
            continue
        manifest = read_manifest(version / MANIFEST)
        if isinstance(manifest.get("leaflet"), dict):
            found.append((str(manifest.get("released")), version_key(version.name), manifest, version))
    if not found:
        return None
    *_, manifest, version = max(found, key=lambda item: item[:2])
    check_files(version, manifest)
    leaflet = leaflet_from_json(manifest["leaflet"])
    # Every file of the version, those added to it since (a new format) too.
    files = {kind: name for kind, name in release_files(stem).items() if name in manifest["files"]}
    return dataclasses.replace(leaflet, files=files), version


def version_key(name: str) -> tuple:
    """"1.10" after "1.9": numbers compared as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.+-]", name))


def migrate(old: Path, new: Path) -> bool:
    """Move an archive from the output folder (where it was kept before) to ``new``; True if
    it did. Both there is an error: the two records are not merged without a person."""
    if not old.is_dir() or old.is_symlink() or old.resolve() == new.resolve():
        return False
    if new.exists() and any(new.iterdir()):
        raise ArchiveError(
            f"there is an archive in the output folder ({old}) and another in {new}", file=old,
            hint=f"the archive now lives in {new}, where 'make clean' never deletes it: move the "
                 f"version folders of {old} into it by hand (keep both copies until you have), "
                 f"then remove {old}")
    new.parent.mkdir(parents=True, exist_ok=True)
    if new.exists():
        new.rmdir()
    shutil.move(str(old), str(new))
    return True
