"""Where the C libraries WeasyPrint loads (Pango, HarfBuzz, fontconfig) are, remembered.

WeasyPrint tries several names for each library, and cffi asks
``ctypes.util.find_library`` about every name that does not load directly;
on Linux each question runs ``ldconfig``, ``gcc`` and ``ld``, about 20
processes and a quarter of a second for every build. The answers only change
when libraries are installed or removed, so they are kept in the cache folder,
keyed on everything ``find_library`` reads: the dynamic linker's cache, the
library folders and the search-path variables. Deleting the folder is always
safe; a failed read or write of it just means asking again.
"""
from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..config import CACHE_DIR

# What decides find_library's answer: a change to any of these asks again.
LINKER_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib",
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu")
SEARCH_VARIABLES = ("LD_LIBRARY_PATH", "LIBRARY_PATH", "PATH")


def linker_fingerprint() -> str:
    parts = []
    for name in LINKER_FILES:
        with contextlib.suppress(OSError):
            stat = os.stat(name)
            parts.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}")
    parts += [f"{name}={os.environ.get(name, '')}" for name in SEARCH_VARIABLES]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


@contextlib.contextmanager
def remembered_library_lookups(cache_dir: Path = CACHE_DIR) -> Iterator[None]:
    """While the block runs, ``find_library`` answers from the cache where it can."""
    path = cache_dir / f"libraries-{linker_fingerprint()}.json"
    known = read_answers(path)
    asked = dict(known)
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name not in asked:
            asked[name] = original(name)
        return asked[name]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
        if asked != known:
            write_answers(path, asked)


def read_answers(path: Path) -> dict[str, str | None]:
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return answers if isinstance(answers, dict) else {}


def write_answers(path: Path, answers: dict[str, str | None]) -> None:
    """Written atomically: builds running at the same time may share the cache."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
        temporary.write_text(json.dumps(answers, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
