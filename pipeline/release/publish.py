"""``python -m pipeline release SOURCE_DIR --out DIR``: build the library, publish it.

0. Take the output folder's lock (``folders.release_lock``: a second release into DIR waits
   ``LOCK_WAIT_SECONDS``, then stops with exit 1), remove what killed releases left
   (``folders.clean_scratch``), and move an archive found in ``DIR/archive/`` (where it
   was kept before) to the archive folder (``--archive``, by default ``archive/`` beside
   SOURCE_DIR: ``archive.migrate``).
1. Read every leaflet of SOURCE_DIR (``catalogue.library_sources``); two with the same
   stem but for case are an error before anything is built.
2. Build what is missing or out of date into ``DIR/build/`` (``library.build_library``,
   one worker per core, each dying with the release), in the formats its clinic offers
   (``catalogue.formats_offered``: the clinic profile's ``formats:``, every format without
   one, narrowed by ``release --formats``), plus a picture of the first page
   (``<stem>.cover.png``). Each leaflet's outputs there carry a stamp,
   ``<stem>.build.json``, with the sha256 of its source, of its formats and of everything
   it shares (styles/, the library's other files such as references, clinic profiles and
   CSL styles, the pipeline's code and version, the settings that shape the output); a
   leaflet whose stamp matches is not built again, so the slow formats (the MP3 and the
   narrated EPUB speak every sentence) are made only for the leaflets that changed. A
   leaflet built in fewer formats than before loses the others' files there.
   ``--no-publish`` (with ``--shard K/N``, on several machines) stops here: the folders
   from all of them, put together as ``DIR/build/``, make the final ``release`` quick.
3. Decide each leaflet's state on ``today`` (``catalogue.state_of``): released, draft,
   or withdrawn (with the date it lapsed). A draft whose earlier version was released
   (a new version waiting for its sign-off) keeps that version published, from the
   archive, while it is within its review date (``awaiting_sign_off`` in release.json).
4. Check the archive: a version released before from other inputs (``inputs.py``: the
   text, references, clinic profile, images, CSL file, styles, the pipeline's version)
   stops the release, naming what changed and the version to raise, before anything
   changes. A version released before from the same inputs is published from the
   archive, and gets only the files it did not have (a format added since).
5. EPUBCheck every EPUB and narrated EPUB about to go into the archive
   (``epub_gate.py``; its Java starts before step 2 builds anything, so that it is ready
   when the EPUBs are); one that fails stops the release, as a failed build does.
6. Write the new ``release/`` (the released leaflets' files, always the archive's copies,
   and ``release.json``) and ``site/`` (``site.write_site``, and ``status.html``) into
   ``DIR/.releases/<name>/``, keep new versions in the archive, then publish both folders
   in one step (``folders.switch_to``). A release that fails or is killed before then
   leaves the previous ones as they were; one killed after leaves the new ones, whole.

``release.json``: ``{"date": the release's day, "leaflets": [...]}``, one object per
leaflet of the library, in stem order, with the keys of ``ReleasedLeaflet.as_json``
(``state`` is ``released``, ``draft`` or ``withdrawn``; ``files`` is empty unless
released).

``PAUSE_VARIABLE`` is for the tests of killed releases only: ``POINT:SECONDS`` makes the
release say ``paused at POINT`` on stderr and sleep there (``building``, ``archived``,
``written``: the new folders whole but not switched in, ``switched``), so a test can kill
it at a known step.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import PipelineError, UsageError
from ..files import atomic_output
from ..outputs import formats as registered_formats
from ..shards import Shard, in_shard
from ..theme.strings import require_own_words
from . import archive, epub_gate, folders, inputs
from .catalogue import (ALWAYS_RELEASED, COVER_KIND, DRAFT, RELEASED, Entry, ReleasedLeaflet,
                        leaflet_from, library_sources, read_entry, release_files, state_of)

log = logging.getLogger(__name__)
progress = logging.getLogger("pipeline.progress")

BUILD_FOLDER = "build"
RELEASE_FOLDER = "release"
SITE_FOLDER = "site"
ARCHIVE_FOLDER = "archive"  # in DIR: where pipelines before this one kept the archive
RELEASE_JSON = "release.json"
LOCK_WAIT_SECONDS = 10  # a second release waits this long for the first, then stops
PAUSE_VARIABLE = "LEAFLET_PIPELINE_TEST_PAUSE"
STAMP_SUFFIX = ".build.json"
PIPELINE_PACKAGE = Path(__file__).resolve().parent.parent
# Installed tools whose release changes what a build writes.
TOOLS = ("weasyprint", "pypandoc-binary", "pypandoc", "citeproc-py", "pydyf", "pypdf", "pypdfium2",
         "mutagen")


@dataclass
class ReleaseResult:
    """What a release did: every leaflet with its state, what was built and kept."""

    leaflets: list[ReleasedLeaflet] = field(default_factory=list)
    built: list[str] = field(default_factory=list)  # stems built by this run
    reused: list[str] = field(default_factory=list)  # stems whose earlier build was up to date
    archived: list[str] = field(default_factory=list)  # "stem version" newly kept in the archive
    errors: list[PipelineError] = field(default_factory=list)  # leaflets that failed to build
    refused: list[PipelineError] = field(default_factory=list)  # the archive or EPUBCheck said no
    moved_archive: tuple[Path, Path] | None = None  # (from, to), when an old archive was moved
    published: bool = False


def release(source_dir: Path, out_dir: Path, settings: Settings, *, today: dt.date,
            shard: Shard | None = None, publish: bool = True,
            report: Callable | None = None,
            formats: tuple[str, ...] | None = None,
            archive_dir: Path | None = None) -> ReleaseResult:
    """Build the library (or one shard of it) and, with ``publish``, release it into
    ``out_dir``, keeping each released version in ``archive_dir`` (default: ``archive/``
    beside ``source_dir``). ``report`` receives each build's ``library.Outcome`` as it
    arrives. ``formats`` (names of registered formats, ``outputs.py``; None: all) narrows what
    each clinic offers.
    Leaflets that fail to build are in ``errors``, what the archive or EPUBCheck refused in
    ``refused``; with either, nothing is published."""
    out_dir = Path(out_dir)
    check_output_folders(out_dir)
    archive_dir = Path(archive_dir) if archive_dir is not None else archive.default_folder(source_dir)
    if archive_dir.resolve().is_relative_to(Path(source_dir).resolve()):
        raise UsageError("the archive cannot be inside the library's folder: its files would "
                         "count as the leaflets' own", option=f"--archive {str(archive_dir)!r}",
                         hint="keep it beside the library's folder (the default), or anywhere else")
    build_dir = out_dir / BUILD_FOLDER
    result = ReleaseResult()
    # Names and clashing outputs are refused before the output folder is touched at all.
    sources = library_sources(Path(source_dir))
    with folders.release_lock(out_dir, LOCK_WAIT_SECONDS):
        folders.clean_scratch(out_dir, build_dir, archive_dir)
        if archive.migrate(out_dir / ARCHIVE_FOLDER, archive_dir):
            result.moved_archive = (out_dir / ARCHIVE_FOLDER, archive_dir)
            log.warning("moved the archive from %s to %s, where 'make clean' never deletes it "
                        "(keep it under version control or on a backed-up share)",
                        out_dir / ARCHIVE_FOLDER, archive_dir)
        entries = [read_entry(path, formats) for path in in_shard(sources, shard)]
        # A leaflet that would reach patients with English furniture is not released (drafts may).
        require_own_words([(entry.article.lang, entry.path) for entry in entries if not entry.draft],
                          settings.theme_dir)
        pause_at("building")
        with epub_gate.EpubChecker(build_dir) as checker:
            build_missing(entries, build_dir, settings, source_dir, result, report,
                          checker if publish else None)
            result.leaflets = catalogue_of(entries, today, build_dir)
            if publish and not result.errors:
                publish_release(entries, result, out_dir, settings, today, archive_dir, checker)
                result.published = not result.refused
    return result


def pause_at(point: str) -> None:
    """The tests' hook for killing a release at a known step (``PAUSE_VARIABLE``)."""
    asked = os.environ.get(PAUSE_VARIABLE, "")
    name, _, seconds = asked.partition(":")
    if name == point:
        print(f"paused at {point}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))


def check_output_folders(out_dir: Path) -> None:
    """DIR, DIR/release and DIR/site must be folders, or links to them (or not there yet):
    usage errors, exit 2."""
    for path in (out_dir, out_dir / RELEASE_FOLDER, out_dir / SITE_FOLDER, out_dir / BUILD_FOLDER):
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path} is a file, not a folder: the release needs it to be a folder",
                             option=f"--out {str(out_dir)!r}",
                             hint=f"move {path} away, or give another --out folder")


def build_settings(settings: Settings, build_dir: Path,
                   formats: tuple[str, ...] | None = None) -> Settings:
    """What a build writes into the build folder for a leaflet released in ``formats``
    (names of registered formats, ``outputs.py``; None: all): the standard PDF always, the
    other printed editions, the EPUB and the other formats asked for."""
    chosen = [fmt for fmt in registered_formats()
              if fmt.name == ALWAYS_RELEASED or formats is None or fmt.name in formats]
    return dataclasses.replace(
        settings, out_dir=build_dir, page_pictures=False, csl=None,
        formats=tuple(dict.fromkeys(fmt.build_name for fmt in chosen)),
        editions=tuple(fmt.edition for fmt in chosen if fmt.edition is not None))


# --- building only what changed ----------------------------------------------------------------

def build_missing(entries: list[Entry], build_dir: Path, settings: Settings, source_dir: Path,
                  result: ReleaseResult, report: Callable | None,
                  checker: epub_gate.EpubChecker | None = None) -> None:
    """Build what is out of date; ``checker``, the EPUBCheck that will check the new EPUBs,
    is started first when there are any, to get ready while they are built."""
    from ..library import build_library
    shared = shared_key(Path(source_dir), settings)
    keys = {entry.stem: leaflet_key(entry, shared) for entry in entries}
    stale = [entry for entry in entries if not up_to_date(build_dir, entry, keys[entry.stem])]
    result.reused = [entry.stem for entry in entries if entry not in stale]
    if not stale:
        return
    if checker is not None and any(epub_gate.writes_epubs(entry.formats) for entry in stale):
        checker.warm_up()
    by_path = {entry.path: entry for entry in stale}
    kept = {name for entry in entries for name in expected_outputs(entry)}
    by_formats: dict[tuple[str, ...], list[Entry]] = {}  # one pool for each set of formats
    for entry in stale:
        by_formats.setdefault(entry.formats, []).append(entry)

    def finished(outcome) -> None:
        entry = by_path[Path(outcome.source)]
        if outcome.error is None:
            write_cover(build_dir, entry.stem)
            remove_other_formats(build_dir, entry, kept)
            write_stamp(build_dir, entry, keys[entry.stem])
            result.built.append(entry.stem)
        else:
            result.errors.append(outcome.error)
        if report is not None:
            report(outcome)

    build_dir.mkdir(parents=True, exist_ok=True)
    for formats, group in by_formats.items():
        build_library([entry.path for entry in group], build_settings(settings, build_dir, formats),
                      finished)
    result.built.sort()


def shared_key(source_dir: Path, settings: Settings) -> str:
    """The sha256 of everything a leaflet's outputs depend on besides its own text."""
    digest = hashlib.sha256()
    for label, folder, files in (("styles", settings.theme_dir, tree_files(settings.theme_dir)),
                                 ("library", source_dir, library_files(source_dir)),
                                 ("pipeline", PIPELINE_PACKAGE, code_files(PIPELINE_PACKAGE))):
        for path in files:
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(file_digest(path).encode())
    for tool in ("leaflet-pipeline",) + TOOLS:
        digest.update(f"{tool}={installed_version(tool)}\0".encode())
    digest.update(repr((settings.paper, settings.allow_remote)).encode())
    return digest.hexdigest()


def leaflet_key(entry: Entry, shared: str) -> str:
    """The sha256 of the leaflet's source, of the formats it is built in and of ``shared``."""
    return hashlib.sha256(f"{entry.source_sha256}\0{','.join(entry.formats)}\0{shared}".encode()
                          ).hexdigest()


def tree_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` but hidden ones (editors' swap files, .DS_Store)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file()
                  and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def library_files(source_dir: Path) -> list[Path]:
    """What the leaflets share in their folder: references, clinic profiles, CSL styles,
    images; not the leaflets themselves (each has its own key)."""
    return [path for path in tree_files(source_dir)
            if not (path.parent == source_dir and path.suffix == ".md")]


def code_files(package: Path) -> list[Path]:
    return [path for path in tree_files(package) if path.suffix == ".py"]


def file_digest(path: Path) -> str:
    from .catalogue import sha256_of
    return sha256_of(path)


def installed_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def expected_outputs(entry: Entry) -> list[str]:
    return sorted(release_files(entry.stem, entry.formats).values())


def up_to_date(build_dir: Path, entry: Entry, key: str) -> bool:
    stamp = build_dir / f"{entry.stem}{STAMP_SUFFIX}"
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError, AttributeError):
        return False
    return recorded == key and all((build_dir / name).is_file() for name in expected_outputs(entry))


def write_stamp(build_dir: Path, entry: Entry, key: str) -> None:
    with atomic_output(build_dir / f"{entry.stem}{STAMP_SUFFIX}") as temporary:
        temporary.write_text(json.dumps({"key": key, "files": expected_outputs(entry)},
                                        sort_keys=True, indent=2) + "\n", encoding="utf-8")


def remove_other_formats(build_dir: Path, entry: Entry, kept: set[str]) -> None:
    """Remove the files of formats this leaflet is no longer built in, left by an earlier
    build (``status`` would count them as its formats); never one of ``kept``, the files
    the library's leaflets are built into."""
    for name in release_files(entry.stem).values():
        if name not in kept:
            (build_dir / name).unlink(missing_ok=True)


def write_cover(build_dir: Path, stem: str) -> None:
    """The first page of the standard edition as a picture, for the site."""
    from ..printed.page_pictures import page_pictures, save_png
    names = release_files(stem)
    save_png(page_pictures(build_dir / names[ALWAYS_RELEASED])[0], build_dir / names[COVER_KIND])


# --- the catalogue -----------------------------------------------------------------------------

def catalogue_of(entries: list[Entry], today: dt.date, build_dir: Path) -> list[ReleasedLeaflet]:
    """Every leaflet with its state on ``today``, its files (if released) and its released
    translations, in stem order."""
    leaflets = []
    for entry in entries:
        state, lapsed = state_of(entry.draft, entry.article.review_date, entry.article.date, today)
        translated = Path(entry.translation_of).stem if entry.translation_of else None
        leaflet = leaflet_from(entry.article, entry.approvals, source_sha256=entry.source_sha256,
                               state=state, lapsed=lapsed, translation_of=translated)
        if state == RELEASED:
            leaflet = dataclasses.replace(leaflet, files=release_files(entry.stem, entry.formats))
        leaflets.append(leaflet)
    return with_translations(leaflets)


def with_translations(leaflets: list[ReleasedLeaflet]) -> list[ReleasedLeaflet]:
    """The leaflets, each with its released translations, in stem order."""
    released_translations: dict[str, list[tuple[str, str]]] = {}
    for leaflet in leaflets:
        if leaflet.translation_of and leaflet.state == RELEASED:
            released_translations.setdefault(leaflet.translation_of, []).append(
                (leaflet.lang, leaflet.stem))
    return sorted((dataclasses.replace(leaflet, translations=tuple(sorted(
        released_translations.get(leaflet.stem, ())))) for leaflet in leaflets),
        key=lambda leaflet: leaflet.stem)


def release_json(leaflets: Iterable[ReleasedLeaflet], today: dt.date) -> str:
    return json.dumps({"date": today.isoformat(), "leaflets": [leaflet.as_json() for leaflet in leaflets]},
                      sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- publishing --------------------------------------------------------------------------------

def publish_release(entries: list[Entry], result: ReleaseResult, out_dir: Path, settings: Settings,
                    today: dt.date, archive_dir: Path,
                    checker: epub_gate.EpubChecker | None = None) -> None:
    """Steps 3 to 6: what is published, checked against the archive and EPUBCheck, written
    into a new folder of ``.releases/`` and switched in; ``result.refused`` if not."""
    build_dir = out_dir / BUILD_FOLDER
    by_stem = {entry.stem: entry for entry in entries}
    released = {leaflet.stem for leaflet in result.leaflets if leaflet.state == RELEASED}
    identities, archived_before = checked_against_archive(
        [by_stem[stem] for stem in sorted(released)], settings, archive_dir, result)
    kept = kept_from_archive(result.leaflets, archive_dir, today, result)
    if result.refused:
        return
    result.leaflets = with_translations([kept.get(leaflet.stem, (leaflet, None))[0]
                                         for leaflet in result.leaflets])
    leaflets = {leaflet.stem: leaflet for leaflet in result.leaflets}
    new_files = {stem: files_to_archive(leaflets[stem], archive_dir, by_stem[stem], build_dir,
                                        archived_before[stem]) for stem in sorted(released)}
    result.refused += epub_gate.failures(
        [new_files[stem][name] for stem in sorted(released)
         for name in sorted(epub_names(leaflets[stem])) if name in new_files[stem]], build_dir,
        checker)
    if result.refused:
        return
    for stem in sorted(released):
        entry = by_stem[stem]
        if not archived_before[stem]:
            archive.archive_version(archive_dir, entry, new_files[stem], today, identities[stem],
                                    leaflets[stem])
            result.archived.append(f"{stem} {entry.article.version}")
        elif added := archive.add_new_files(archive_dir, entry, new_files[stem], today):
            result.archived.append(f"{stem} {entry.article.version}: added {', '.join(added)}")
    pause_at("archived")
    folder = folders.new_release_folder(out_dir, release_name(today))
    new_release, new_site = folder / RELEASE_FOLDER, folder / SITE_FOLDER
    for leaflet in result.leaflets:
        if leaflet.files:
            source = (kept[leaflet.stem][1] if leaflet.stem in kept
                      else archive.version_folder(archive_dir, by_stem[leaflet.stem]))
            for name in leaflet.files.values():
                shutil.copyfile(source / name, new_release / name)
    (new_release / RELEASE_JSON).write_text(release_json(result.leaflets, today), encoding="utf-8")
    write_site_pages(result.leaflets, new_site, new_release, settings, entries, out_dir, today)
    pause_at("written")
    folders.switch_to(out_dir, folder)
    pause_at("switched")


def checked_against_archive(entries: list[Entry], settings: Settings, archive_dir: Path,
                            result: ReleaseResult) -> tuple[dict[str, inputs.Inputs], dict[str, bool]]:
    """Each approved leaflet's inputs, and whether its version is archived already; a
    version released from other inputs goes into ``result.refused`` (all of them, so one
    run names every leaflet to raise)."""
    library: dict[Path, list[Path]] = {}
    styles: dict[str, dict[str, str]] = {}  # by language: every leaflet in it has the same
    identities, archived_before = {}, {}
    for entry in entries:
        folder, lang = entry.path.parent, entry.article.lang
        if folder not in library:
            library[folder] = inputs.library_files(folder)
        if lang not in styles:
            styles[lang] = inputs.styles_of(settings.theme_dir, lang)
        identities[entry.stem] = inputs.identity(entry, settings.theme_dir, library[folder],
                                                 styles[lang])
        try:
            archived_before[entry.stem] = archive.check_unchanged(archive_dir, entry,
                                                                  identities[entry.stem])
        except archive.ArchiveError as error:
            result.refused.append(error)
    return identities, archived_before


def kept_from_archive(leaflets: list[ReleasedLeaflet], archive_dir: Path, today: dt.date,
                      result: ReleaseResult) -> dict[str, tuple[ReleasedLeaflet, Path]]:
    """For each draft whose earlier version was released and is within its review date:
    that version, as the archive keeps it, and its folder."""
    kept = {}
    for leaflet in leaflets:
        if leaflet.state != DRAFT:
            continue
        try:
            found = archive.latest_release(archive_dir, leaflet.stem)
        except archive.ArchiveError as error:
            result.refused.append(error)
            continue
        if found is None:
            continue
        earlier, folder = found
        state, _ = state_of(False, earlier.review_date, earlier.date, today)
        if state == RELEASED:
            kept[leaflet.stem] = (dataclasses.replace(
                earlier, state=RELEASED, lapsed=None, translation_of=leaflet.translation_of,
                awaiting_sign_off=leaflet.version or "(no version)"), folder)
    return kept


def files_to_archive(leaflet: ReleasedLeaflet, archive_dir: Path, entry: Entry, build_dir: Path,
                     archived: bool) -> dict[str, Path]:
    """The built files of ``leaflet`` the archive does not hold yet, by name."""
    files = {name: build_dir / name for name in leaflet.files.values()}
    if archived:
        held = archive.read_manifest(archive.version_folder(archive_dir, entry) / archive.MANIFEST)
        files = {name: path for name, path in files.items() if name not in held["files"]}
    return files


def epub_names(leaflet: ReleasedLeaflet) -> set[str]:
    return {name for kind, name in leaflet.files.items() if kind in epub_gate.epub_kinds()}


def release_name(today: dt.date) -> str:
    """A new folder's name in ``.releases/``: the day, and a number no other has."""
    return f"{today.isoformat()}-{time.time_ns()}-{os.getpid()}"


def write_site_pages(leaflets: list[ReleasedLeaflet], site_dir: Path, release_dir: Path,
                     settings: Settings, entries: list[Entry], out_dir: Path, today: dt.date) -> None:
    """Part C's site (index, a page per leaflet, OPDS) and the status page."""
    from .status import status_rows, write_status_page
    from .site import library_clinic, write_site  # issue 14, part C: it keeps the released ones
    write_site(leaflets, site_dir, release_dir, today=today, theme_dir=settings.theme_dir,
               clinic=library_clinic([entry.article.clinic for entry in entries]))
    write_status_page(status_rows(entries, today, release_dir, out_dir / BUILD_FOLDER), site_dir,
                      settings, today)
