"""Where the C libraries WeasyPrint loads (Pango, HarfBuzz, fontconfig) are, and what
their C declarations say, remembered.

WeasyPrint tries several names for each library, and cffi asks
``ctypes.util.find_library`` about every name that does not load directly;
on Linux each question runs ``ldconfig``, ``gcc`` and ``ld``, about 20
processes and a quarter of a second for every build. The answers only change
when libraries are installed or removed, so they are kept in the cache folder,
keyed on everything ``find_library`` reads: the dynamic linker's cache, the
library folders and the search-path variables. Deleting the folder is always
safe; a failed read or write of it just means asking again.

WeasyPrint declares those libraries' functions to cffi as C source, which cffi
hands to pycparser: 400 lines at import, and one small parse for each C type
it is first asked to allocate during layout (``ffi.new("int *")``), together a
quarter of a second of CPU a process (a cold build's largest cost after layout
itself). The parsed trees depend only on the text parsed and on the two
packages' versions, so they are kept in the cache folder too (``remember_c_
declarations``), pickled like the bytecode Python keeps of a module: the same
tree, so the same types, so the same bytes in every PDF.
"""
from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import json
import os
import pickle
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


def find_library(name: str) -> str | None:
    """``ctypes.util.find_library``'s answer, from the cache when it has one (for the
    libraries the pipeline loads itself, outside WeasyPrint's import)."""
    with remembered_library_lookups():
        return ctypes.util.find_library(name)


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


# Trees kept in one file; beyond this many (after upgrades of WeasyPrint) it starts afresh.
C_DECLARATIONS_KEPT = 256


class RememberedParses:
    """Stands in for cffi's pycparser parser: answers a parse it has kept, else asks
    pycparser and keeps the answer. Each answer is a fresh tree, as pycparser's is."""

    def __init__(self, parser_of, path: Path) -> None:
        self.parser_of = parser_of  # cffi's own ``_get_parser``
        self.path = path
        self.kept: dict[str, bytes] = read_pickled(path)

    def parse(self, text: str, *args, **kwargs):
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if key in self.kept:
            with contextlib.suppress(Exception):
                return pickle.loads(self.kept[key])
        tree = self.parser_of().parse(text, *args, **kwargs)
        with contextlib.suppress(Exception):  # a tree that does not pickle is just not kept
            if len(self.kept) >= C_DECLARATIONS_KEPT:
                self.kept.clear()
            self.kept[key] = pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)
            write_pickled(self.path, self.kept)
        return tree


def remember_c_declarations(cache_dir: Path = CACHE_DIR) -> None:
    """From now on in this process, cffi parses C declarations once per machine (see the
    module's docstring). Safe to call again: the first call's stand-in stays."""
    from cffi import __version__ as cffi_version
    from cffi import cparser
    if isinstance(cparser._get_parser(), RememberedParses):
        return
    from pycparser import __version__ as pycparser_version
    path = cache_dir / f"c-declarations-cffi{cffi_version}-pycparser{pycparser_version}.pickle"
    remembered = RememberedParses(cparser._get_parser, path)
    cparser._get_parser = lambda: remembered


def read_pickled(path: Path) -> dict[str, bytes]:
    """A cache file of ours: pickled bytes by key; {} if missing or unreadable."""
    try:
        with path.open("rb") as file:
            kept = pickle.load(file)
    except Exception:  # missing, unreadable, or written by another Python: make it again
        return {}
    if not isinstance(kept, dict):
        return {}
    return {key: value for key, value in kept.items()
            if isinstance(key, str) and isinstance(value, bytes)}


def write_pickled(path: Path, kept: dict[str, bytes]) -> None:
    """Written atomically: builds running at the same time may share the cache."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
        temporary.write_bytes(pickle.dumps(kept, pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
