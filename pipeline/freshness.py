"""Which leaflets a build of a folder leaves alone: those whose outputs were made
from the inputs they have now (``python -m pipeline build source``, what ``make``
runs).

After a leaflet is built, each part of what was written gets a stamp,
``<out>/.stamps/<stem>/<part>.json``. A part is a printed edition (``pdf-standard``,
``pdf-large-print``, ``pdf-booklet``), the EPUB, each other format (``brf``, ``mp3``,
``narrated-epub``) or the page pictures (``pictures``). The stamp holds

- ``key``: the sha256 of what the part is made from: the article; the Markdown files
  linked to it (the ones named ``<family>.*.md``, its translations and easy read
  version, with ``<family>`` its name up to the first dot, and the file its
  ``translation-of:`` or ``easy-read-of:`` names); every other file in its folder and
  the folders under it (references, clinic profiles, CSL styles, images); styles/; the
  pipeline's code and the versions of the tools that write the outputs; and the
  settings that shape them (paper, CSL style, remote images, SOURCE_DATE_EPOCH, the
  styles folder, and for the pictures the editions pictured);
- ``files``: each file written, with its size and modification time as written.

A part is up to date when its stamp's key is the key of its inputs now and its files
are as they were written (a file deleted or replaced since is built again). Content
decides, not modification times: a checkout, a ``touch`` or a clock that jumps
rebuilds nothing, and an edit rebuilds its leaflet once, whatever the times say. A
leaflet with one part out of date is built whole, since one run writes every part
asked for; the key is taken before the build starts, so an edit saved while it runs is
built the next time. Only a build of a folder writes and reads stamps: an article
named on the command line is always built, and leaves nothing but its outputs (the
next build of the folder finds them changed since its stamps, and builds it once more).
The Debian fonts and tools (tools/install-*.sh pins them) are not in the key: after
changing those, ``make clean``.

One stamp a part, not one a leaflet: ``make -j pdf epub`` runs two builds of the same
leaflets at once, and each writes only its own parts' stamps.

Hashing every input (styles/, the pipeline's code) is most of a ``make`` with nothing to
do, so each file's sha256 is kept (``<out>/.stamps/digests.json``) with what the file
system says of it: size, modification and change times, inode. A file whose four are as
they were is not read again. The change time cannot be set back (a write, a ``touch``,
a rename all move it), and, as git does with its index, a file changed in the last two
seconds is not kept, so two writes within one tick of the clock are never mistaken for
one.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Settings
from .files import atomic_output
from .outputs import format_named, formats
from .printed.editions import EDITIONS

STAMPS_FOLDER = ".stamps"
DIGESTS_FILE = "digests.json"
RECENT_NS = 2_000_000_000  # a file changed this recently is hashed again next time
PICTURES_PART = "pictures"
PIPELINE_PACKAGE = Path(__file__).resolve().parent
# Installed tools whose release changes what a build writes.
TOOLS = ("leaflet-pipeline", "weasyprint", "pypandoc-binary", "citeproc-py", "pydyf", "pypdf",
         "pypdfium2", "mutagen", "fonttools", "pillow")
# `translation-of: x.md` or `easy-read-of: 'x.md'` in the front matter: the Markdown
# file the leaflet is linked to (read for the name only; the build reads the field itself).
LINKED_FIELD = re.compile(r"^(?:translation-of|easy-read-of)[ \t]*:[ \t]*(['\"]?)(.+?)\1[ \t]*$")


class Freshness:
    """Which of a run's leaflets are out of date, and their stamps once built. Only the
    ``tracked`` ones (a folder's) are judged and stamped; their keys are taken here,
    before anything is built."""

    def __init__(self, settings: Settings, tracked: Iterable[Path]) -> None:
        self.settings = settings
        self.parts = requested_parts(settings)
        self.stamps = settings.out_dir / STAMPS_FOLDER
        self.shared: dict[Path, str] = {}  # each folder's shared digest, once a run
        self.digests = KeptDigests(self.stamps / DIGESTS_FILE)
        self.keys = {source: self.key(source) for source in tracked}
        self.digests.save()

    def out_of_date(self, sources: Iterable[Path], *, force: bool = False) -> list[Path]:
        """The sources to build: the untracked ones, and the tracked ones out of date."""
        return [source for source in sources
                if force or source not in self.keys or not self.up_to_date(source)]

    def key(self, source: Path) -> str:
        """The sha256 of everything ``source``'s outputs are made from (see the module's
        docstring), for this run's settings."""
        digest = hashlib.sha256()
        for path in linked_markdown(source):
            digest.update(f"{path.name}\0{self.digests.of(path)}\0".encode("utf-8", "surrogateescape"))
        folder = source.parent.resolve()
        if folder not in self.shared:
            self.shared[folder] = shared_digest(folder, self.settings.theme_dir.resolve(),
                                                self.settings.out_dir.resolve(), self.digests.of)
        digest.update(self.shared[folder].encode())
        digest.update(settings_digest(self.settings).encode())
        return digest.hexdigest()

    def up_to_date(self, source: Path) -> bool:
        return all(self.part_up_to_date(source.stem, part, self.keys[source]) for part in self.parts)

    def part_up_to_date(self, stem: str, part: str, key: str) -> bool:
        try:
            stamp = json.loads(self.stamp_path(stem, part).read_text(encoding="utf-8"))
            if stamp["key"] != part_key(key, part, self.settings):
                return False
            return all(file_state(self.settings.out_dir / name) == tuple(state)
                       for name, state in stamp["files"].items())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False

    def record(self, source: Path, written: Iterable[Path]) -> None:
        """Stamp each part of what the build of a tracked ``source`` wrote."""
        if source not in self.keys:
            return
        written = [Path(path) for path in written]
        named = {path for part in self.parts for path in part_files(part, source.stem, self.settings)}
        for part in self.parts:
            files = part_files(part, source.stem, self.settings)
            if part == PICTURES_PART:
                files = [path for path in written if path not in named]
            if not files or not all(path in written for path in files):
                continue
            states = {path.relative_to(self.settings.out_dir).as_posix(): file_state(path)
                      for path in files}
            if any(state is None for state in states.values()):
                continue
            stamp = {"key": part_key(self.keys[source], part, self.settings), "source": source.name,
                     "files": states}
            with atomic_output(self.stamp_path(source.stem, part)) as temporary:
                temporary.write_text(json.dumps(stamp, indent=1, sort_keys=True, ensure_ascii=False),
                                     encoding="utf-8")

    def stamp_path(self, stem: str, part: str) -> Path:
        return self.stamps / stem / f"{part}.json"


def requested_parts(settings: Settings) -> list[str]:
    """The parts a build with ``settings`` writes, in the order of its formats."""
    parts = []
    for fmt in settings.formats:
        parts += [f"pdf-{edition}" for edition in settings.editions] if fmt == "pdf" else [fmt]
    if settings.page_pictures:
        parts.append(PICTURES_PART)
    return parts


def part_files(part: str, stem: str, settings: Settings) -> list[Path]:
    """The files a part is written into (none named in advance for the pictures: one a page)."""
    out = settings.out_dir
    if part.startswith("pdf-"):
        edition = EDITIONS[part.removeprefix("pdf-")]
        imposed = edition.imposed_target(out, stem)
        return [edition.target(out, stem)] + ([imposed] if imposed is not None else [])
    if part == PICTURES_PART:
        return []
    return [file.path(out, stem) for file in format_named(part).files]


def output_names(stem: str) -> dict[str, str]:
    """Every file name a leaflet called ``stem`` may be written into in the output folder,
    each with the format (or edition) it belongs to."""
    # A format's imposed sheets after the pages they are made of, as the build writes them.
    names = {file.name(stem): file.label for fmt in formats()
             for file in sorted(fmt.files, key=lambda file: file.imposed)}
    names[f"{stem}.pages.png"] = "page pictures"
    return names


def part_key(key: str, part: str, settings: Settings) -> str:
    pictured = ",".join(settings.editions) if part == PICTURES_PART else ""
    return hashlib.sha256(f"{key}\0{part}\0{pictured}".encode()).hexdigest()


def file_state(path: Path) -> tuple[int, int] | None:
    """Size and modification time: a written file that no longer has them was replaced."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def linked_markdown(source: Path) -> list[Path]:
    """The article and the Markdown files linked to it (see the module's docstring)."""
    family = source.name.split(".", 1)[0]
    linked = {source}
    with contextlib.suppress(OSError):
        linked.update(path for path in source.parent.iterdir()
                      if path.suffix == ".md" and path.name.startswith(f"{family}.") and path.is_file())
    for name in linked_names(source):
        path = source.parent / name
        if path.is_file() and path.resolve().parent == source.parent.resolve():
            linked.add(path)
    return sorted(linked)


def linked_names(source: Path) -> list[str]:
    """The files named by ``translation-of:`` and ``easy-read-of:`` in the front matter."""
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    if not lines or lines[0].strip() != "---":
        return []
    names = []
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            break
        match = LINKED_FIELD.match(line.strip())
        if match:
            names.append(match.group(2).strip())
    return names


def shared_digest(folder: Path, theme_dir: Path, out_dir: Path,
                  digest_of: Callable[[Path], str]) -> str:
    """What every leaflet of ``folder`` shares: its other files, styles/, the pipeline;
    ``digest_of`` gives a file's sha256 (``KeptDigests.of``)."""
    digest = hashlib.sha256()
    for label, root, files in (("library", folder, library_files(folder, out_dir)),
                               ("styles", theme_dir, tree_files(theme_dir, out_dir)),
                               ("pipeline", PIPELINE_PACKAGE, code_files())):
        for path in files:
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode("utf-8", "surrogateescape"))
            digest.update(digest_of(path).encode())
    for tool in installed_tools():
        digest.update(f"{tool}\0".encode())
    return digest.hexdigest()


def library_files(folder: Path, out_dir: Path) -> list[Path]:
    """The leaflets' shared files: everything in their folder tree but the articles."""
    return [path for path in tree_files(folder, out_dir)
            if not (path.parent == folder and path.suffix == ".md")]


def tree_files(folder: Path, out_dir: Path) -> list[Path]:
    """Every file under ``folder``, but hidden ones (editors' swap files, .DS_Store) and the
    output folder's, if it is inside (each build would otherwise make the next one)."""
    if not folder.is_dir():
        return []
    found = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders
                            if not name.startswith(".") and Path(root, name) != out_dir)
        found += [Path(root, name) for name in sorted(files) if not name.startswith(".")]
    return [path for path in found if path.is_file()]


def code_files() -> list[Path]:
    return [path for path in tree_files(PIPELINE_PACKAGE, PIPELINE_PACKAGE / "_styles")
            if path.suffix == ".py"]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:  # unreadable now: the build will say why; never up to date
        return f"unreadable {error.errno}"
    return digest.hexdigest()


class KeptDigests:
    """Files' sha256, kept by what the file system says of them (the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.kept: dict[str, list] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.kept = {}
        if not isinstance(self.kept, dict):
            self.kept = {}
        self.changed = False
        self.seen: set[str] = set()  # what this run asked about: all that is kept next time

    def of(self, path: Path) -> str:
        try:
            status = os.stat(path)
        except OSError:
            return file_digest(path)  # says why it is unreadable, and is never up to date
        state = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        self.seen.add(str(path))
        kept = self.kept.get(str(path))
        if isinstance(kept, list) and kept[:4] == state and isinstance(kept[-1], str):
            return kept[-1]
        digest = file_digest(path)
        if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > RECENT_NS:
            self.kept[str(path)] = [*state, digest]
            self.changed = True
        return digest

    def save(self) -> None:
        """Written atomically (two builds may run at once; either's is right), when changed,
        beside stamps already there: working out what is up to date writes no output folder."""
        kept = {name: value for name, value in self.kept.items() if name in self.seen}
        if not (self.changed or len(kept) < len(self.kept)) or not self.path.parent.is_dir():
            return
        with contextlib.suppress(OSError):
            with atomic_output(self.path) as temporary:
                temporary.write_text(json.dumps(kept), encoding="utf-8")


def installed_tools() -> list[str]:
    """The installed releases of ``TOOLS``, as the names of their ``<name>-<version>.dist-info``
    folders: one listing of each folder Python imports from (asking importlib.metadata
    for each tool would cost a third of a no-op ``make``)."""
    wanted = {normalised(tool) for tool in TOOLS}
    found = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.update(name for name in os.listdir(entry or ".") if name.endswith(".dist-info")
                         and normalised(name.partition("-")[0]) in wanted)
    return sorted(found)


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def settings_digest(settings: Settings) -> str:
    return json.dumps([settings.csl, settings.paper, settings.allow_remote,
                       str(settings.theme_dir.resolve()), os.environ.get("SOURCE_DATE_EPOCH")])
