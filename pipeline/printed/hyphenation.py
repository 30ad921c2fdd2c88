"""WeasyPrint's hyphenation patterns (Pyphen's ``hyph_*.dic``), parsed once per machine.

A leaflet's stylesheets ask for ``hyphens: auto`` (styles/fonts.css names the
language's dictionary): WeasyPrint then has Pyphen read and parse the language's
pattern file, several thousand patterns, a tenth of a second of CPU in every
process, on the way to the first line it breaks. The parsed patterns depend only on
the file and Pyphen's version, so they are kept pickled in the cache folder, keyed
on both (a changed or upgraded dictionary is parsed again). The same patterns, so
the same breaks, so the same bytes in every PDF.
"""
from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

from ..config import CACHE_DIR
from .native_libraries import read_pickled, write_pickled


class RememberedDictionaries(dict):
    """Pyphen's own cache of parsed dictionaries (``pyphen.hdcache``, by file), which
    asks the cache folder for a file it has not parsed in this process, and keeps in
    the cache folder each one Pyphen parses."""

    def __init__(self, cache_dir: Path, kept: dict) -> None:
        super().__init__(kept)
        self.cache_dir = cache_dir

    def cache_file(self, path: Path) -> Path:
        import pyphen
        return self.cache_dir / f"hyphenation-pyphen{pyphen.VERSION}-{Path(path).stem}.pickle"

    def __contains__(self, path: object) -> bool:
        if super().__contains__(path):
            return True
        if not isinstance(path, Path):
            return False
        import pyphen
        pickled = read_pickled(self.cache_file(path)).get(file_key(path))
        if pickled is not None:
            with contextlib.suppress(Exception):  # unreadable: Pyphen parses the file again
                patterns = pickle.loads(pickled)
                if isinstance(patterns, pyphen.HyphDict):
                    super().__setitem__(path, patterns)
                    return True
        return False

    def __setitem__(self, path: object, patterns: object) -> None:
        super().__setitem__(path, patterns)
        if isinstance(path, Path):
            with contextlib.suppress(Exception):  # not kept if it does not pickle
                write_pickled(self.cache_file(path),
                              {file_key(path): pickle.dumps(patterns, pickle.HIGHEST_PROTOCOL)})


def remember_hyphenation_patterns(cache_dir: Path = CACHE_DIR) -> None:
    """From now on in this process, Pyphen's dictionaries come from the cache where they
    can. Safe to call again."""
    import pyphen
    if not isinstance(pyphen.hdcache, RememberedDictionaries):
        pyphen.hdcache = RememberedDictionaries(cache_dir, pyphen.hdcache)


def file_key(path: Path) -> str:
    """The dictionary file as it is now: its path, size and modification time."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return hashlib.sha256(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
