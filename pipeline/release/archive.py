"""Every released version, kept: ``DIR/archive/<stem>/<version>/``.

A version folder holds the files the patient was given (the PDFs, the EPUB, the
braille, audio and narrated EPUB files, the cover picture) and ``manifest.json``:

``stem``, ``version``, ``source`` (the article's file name), ``source_sha256``,
``approval`` (the latest sign-off: ``name``, ``role``, ``date``; null for none),
``approvals`` (all of them), ``released`` (the release's day, ``--today``),
``files`` (file name → sha256), and ``added`` (file name → the day it was first
released) for files released after the version was (see below).

A version folder is never overwritten. Releasing a version again with the same
source is nothing to do, except for a file of it the folder does not hold yet (a
format the clinic began to offer later, or one the pipeline learnt to write):
that file is added beside the others and to the manifest (``add_new_files``),
and nothing already there changes. With a different source it is an
``ArchiveError``: the version has to be raised. A manifest that is not valid JSON, or whose files no
longer match their sha256, is an error too: the archive is the record of what was
handed out, so it is never silently repaired.
"""
from __future__ import annotations

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
from .catalogue import Entry, approval_json, sha256_of

MANIFEST = "manifest.json"
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
    return Archived(folder, str(manifest.get("source_sha256")), str(manifest.get("released")))


def check_unchanged(archive_dir: Path, entry: Entry) -> bool:
    """True if this version is archived already with this very source (nothing to do);
    False if it is new. An ``ArchiveError`` if it was released with other content."""
    record = archived(archive_dir, entry)
    if record is None:
        return False
    if record.source_sha256 != entry.source_sha256:
        raise ArchiveError(
            f"version {entry.article.version} was released on {record.released} with different "
            "content: raise the version",
            file=entry.path, line=entry.article.line_of_field("version"),
            hint=f"a released version is never changed ({record.folder} keeps what patients were "
                 "given); give this text a new 'version:' and have it approved again")
    return True


def read_manifest(path: Path) -> dict:
    fix = ("the archive records what patients were given and is not edited by hand: put back "
           "the copy from your backup (or from version control)")
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
                               hint="put back the archived version from your backup")
        if sha256_of(file) != expected:
            raise ArchiveError(f"{name} no longer matches the sha256 the manifest gives for it",
                               file=path, hint="put back the archived version from your backup")


def manifest_of(entry: Entry, files: dict[str, Path], today: dt.date) -> dict:
    latest = max(entry.approvals, key=lambda approval: approval.date, default=None)
    return {
        "stem": entry.stem, "version": entry.article.version, "source": entry.path.name,
        "source_sha256": entry.source_sha256,
        "approval": approval_json(latest) if latest is not None else None,
        "approvals": [approval_json(approval) for approval in entry.approvals],
        "released": today.isoformat(),
        "files": {name: sha256_of(path) for name, path in sorted(files.items())},
    }


def manifest_text(manifest: dict) -> str:
    """Sorted, indented JSON: the same release gives the same bytes."""
    return json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def archive_version(archive_dir: Path, entry: Entry, files: dict[str, Path], today: dt.date) -> Path:
    """Keep a newly released version: its files and manifest are written into a folder
    beside the version's, which is renamed into place once complete. Never replaces one."""
    target = version_folder(archive_dir, entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for name, path in sorted(files.items()):
            shutil.copyfile(path, scratch / name)
        (scratch / MANIFEST).write_text(manifest_text(manifest_of(entry, files, today)),
                                        encoding="utf-8")
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
