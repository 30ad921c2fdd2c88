"""The output folder of a release: one release at a time, switched in one step.

``DIR/release`` and ``DIR/site`` are symbolic links that never change::

    DIR/release  -> .published/release
    DIR/site     -> .published/site
    DIR/.published -> .releases/<name>        (replaced in one step by each release)
    DIR/.releases/<name>/release/, site/     (each release's folders, written whole)

A release writes its folders into a new ``.releases/<name>/`` and then replaces the
``.published`` link by ``os.rename`` of a new link: one atomic step switches both
folders, so a reader (or a web server) sees the old release or the new one, never half of
each and never neither, whenever the release is killed. The folders of earlier releases
are removed afterwards, and any left by a killed release at the next start.

**The lock.** ``release_lock`` holds ``fcntl.flock`` on ``DIR/.release.lock`` for the
whole release (build, archive, switch). A second release into the same folder waits up to
``publish.LOCK_WAIT_SECONDS`` for it, then stops with a ``ReleaseBusyError``
(exit 1) naming the process that holds it. The lock goes with the process: a killed
release never leaves it held. Under the lock, ``clean_scratch`` removes what killed
releases left: folders of ``.releases/`` that are not published, the scratch folders of
earlier pipelines (``.release.new-*``), half-written files in ``build/`` and the
archive's unfinished version folders.

**From before.** A ``release/`` or ``site/`` that is a real folder (a pipeline before
this one) is moved into ``.releases/`` and replaced by its link with ``renameat2``'s
``RENAME_EXCHANGE`` (one step on Linux; two renames elsewhere, and then a kill between
them is repaired by the next release, which puts the link back).
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import PipelineError

LOCK_FILE = ".release.lock"
PUBLISHED = ".published"
RELEASES = ".releases"
PUBLISHED_FOLDERS = ("release", "site")
LEGACY_SCRATCH = ".release.new-*"  # the scratch folders of pipelines before this one
FROM_BEFORE = "from-before"
POLL_SECONDS = 0.2
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


class ReleaseBusyError(PipelineError):
    """Another release holds the output folder; exit code 1."""


@contextlib.contextmanager
def release_lock(out_dir: Path, wait: float) -> Iterator[None]:
    """Hold the output folder's lock; wait up to ``wait`` seconds for another release."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ReleaseBusyError(
                        f"another release is writing into {out_dir} ({holder(path)}), so this "
                        f"one did not start (it waited {wait:g} s)", file=out_dir,
                        hint="wait for the other release to finish, then run this one again; "
                             "two releases into one folder would mix their files") from None
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


def clean_scratch(out_dir: Path, build_dir: Path, archive_dir: Path) -> list[Path]:
    """Remove what killed releases left (only under the lock); the paths removed."""
    removed = []
    current = published_folder(out_dir)
    releases = out_dir / RELEASES
    candidates = list(out_dir.glob(LEGACY_SCRATCH))
    if releases.is_dir():
        candidates += [path for path in releases.iterdir() if path.resolve() != current]
    candidates += list(out_dir.glob(".*.new"))  # links a killed switch did not rename
    if build_dir.is_dir():
        candidates += list(build_dir.glob(".*.part"))
    if archive_dir.is_dir():
        candidates += [path for path in archive_dir.glob("*/.*.new-*")]
        candidates += list(archive_dir.glob("*/*/.*.part"))
    for path in candidates:
        remove(path)
        removed.append(path)
    if current is not None and current.is_dir():
        link_published_folders(out_dir)  # put back a link a kill mid-migration took away
    return removed


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def published_folder(out_dir: Path) -> Path | None:
    """The folder of ``.releases/`` that is published now, if any."""
    link = out_dir / PUBLISHED
    if not link.is_symlink():
        return None
    return (out_dir / os.readlink(link)).resolve()


def new_release_folder(out_dir: Path, name: str) -> Path:
    """``.releases/<name>/`` with empty ``release/`` and ``site/``, for the release to fill."""
    folder = out_dir / RELEASES / name
    if folder.exists():
        remove(folder)
    for sub in PUBLISHED_FOLDERS:
        (folder / sub).mkdir(parents=True)
    os.chmod(out_dir / RELEASES, 0o755)
    return folder


def switch_to(out_dir: Path, folder: Path) -> None:
    """Publish ``folder`` (of ``.releases/``) in one step, then remove the releases before it."""
    link = out_dir / PUBLISHED
    new_link = out_dir / f"{PUBLISHED}.{os.getpid()}.new"
    new_link.unlink(missing_ok=True)
    os.symlink(Path(RELEASES) / folder.name, new_link)
    os.rename(new_link, link)  # the one step: .published now names the new release
    link_published_folders(out_dir)
    for old in (out_dir / RELEASES).iterdir():
        if old.resolve() != folder.resolve():
            remove(old)


def link_published_folders(out_dir: Path) -> None:
    """``release`` and ``site`` as links into ``.published`` (once; a real folder from a
    pipeline before this one is moved into ``.releases/`` first)."""
    for name in PUBLISHED_FOLDERS:
        path, target = out_dir / name, Path(PUBLISHED) / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        new_link = out_dir / f".{name}.{os.getpid()}.new"
        new_link.unlink(missing_ok=True)
        os.symlink(target, new_link)
        if path.is_dir() and not path.is_symlink():
            exchange(new_link, path)  # the link is in place; the old folder is at new_link
            keep = out_dir / RELEASES / FROM_BEFORE
            keep.mkdir(parents=True, exist_ok=True)
            os.rename(new_link, keep / name)  # removed with the other old releases
        else:
            os.rename(new_link, path)


def exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere,
    or where the file system cannot, by two renames."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second),
                     RENAME_EXCHANGE) == 0:
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))
    aside = second.with_name(f".{second.name}.aside.new")  # clean_scratch removes it
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)
