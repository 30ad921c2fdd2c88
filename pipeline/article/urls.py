"""What an URL in an article may point at: the one place that decides.

Two questions are asked of every URL an article writes (a Markdown link or
image, a raw HTML ``src``/``href``/``srcset``/``poster``/``data``, a CSS
``url()``):

- A **link** (``href``) is followed by the reader, not by the build: only
  ``http``, ``https``, ``mailto`` and ``tel`` links and the article's own
  ``#anchors`` survive (``link_scheme_allowed``).
- A **resource** (an image, anything a writer would embed) is read by the
  build: it must be a file inside the article's folder (``local_file``). A
  ``file:`` URL, an absolute path, ``..`` out of the folder, a symbolic link
  that points out of it, or any other scheme is a ``SourceError``: the
  build would otherwise carry a file of the machine into the leaflet.
  Remote ``http(s)`` resources are the caller's business (``--allow-remote``).

URLs are read as a browser reads them (``normalised``): entities already
decoded by whoever parsed the HTML, then spaces and control characters
around the URL dropped and tabs and newlines inside it removed, so that
``" java\\tscript:"`` is seen as the ``javascript:`` it would become.
"""
from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath
from urllib.parse import unquote, urlsplit

from ..errors import SourceError

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
REMOTE_SCHEMES = frozenset({"http", "https"})
# Schemes that run what follows them (a data: page can hold a script).
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# What the WHATWG URL parser strips around an URL, and removes inside it.
AROUND = "".join(map(chr, range(0x21))) + "\x7f"
INSIDE = re.compile(r"[\t\n\r]")
# A CSS url(...) or @import "...": what a stylesheet would fetch.
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""",
                     re.IGNORECASE)


def normalised(url: str) -> str:
    return INSIDE.sub("", url.strip(AROUND))


def scheme(url: str) -> str:
    """The URL's scheme in lower case, ``""`` for a relative URL."""
    try:
        return urlsplit(normalised(url)).scheme.lower()
    except ValueError:  # an unbalanced "[" in the host: no URL a browser would follow
        return "invalid"


def is_anchor(url: str) -> bool:
    return normalised(url).startswith("#")


def is_remote(url: str) -> bool:
    """An ``http(s)`` URL, or one that names a host without a scheme (``//host/x.png``)."""
    clean = normalised(url)
    return scheme(clean) in REMOTE_SCHEMES or clean.startswith(("//", "\\\\"))


def link_scheme_allowed(url: str) -> bool:
    """Whether a reader may be sent to ``url``: the article's own anchors, or a web,
    mail or telephone address (a web address with a host)."""
    clean = normalised(url)
    if clean.startswith("#"):
        return True
    kind = scheme(clean)
    if kind in REMOTE_SCHEMES:
        return bool(urlsplit(clean).netloc)
    return kind in LINK_SCHEMES


def is_local_reference(url: str) -> bool:
    """A relative URL naming a file (no scheme, no host, not only an anchor)."""
    clean = normalised(url)
    return bool(clean) and not scheme(clean) and not clean.startswith(("#", "//", "\\\\"))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` ("a.png 1x, b.png 2x")."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS would fetch (``url(...)``, ``@import "..."``)."""
    return [next(group for group in match.groups() if group is not None)
            for match in CSS_URL.finditer(css)]


def local_file(url: str, folder: Path, what: str) -> Path:
    """The file inside ``folder`` that the resource ``url`` names; a ``SourceError``
    (without a location: the caller knows the line) for anything else."""
    clean = normalised(url)
    kind = scheme(clean)
    if kind == "file":
        raise outside(url, folder, what, " (a file: address names a file of this computer)")
    if kind or clean.startswith(("//", "\\\\")):
        raise SourceError(f"the {what} '{shortened(url)}' is not a file in the article's folder",
                          hint=f"save the {what} in {folder} and refer to it by its name")
    path_text = unquote(urlsplit(clean).path)
    if not path_text:
        raise SourceError(f"the {what} '{shortened(url)}' names no file",
                          hint=f"name a file in {folder}")
    if path_text.startswith(("/", "\\")) or PureWindowsPath(path_text).drive:
        raise outside(url, folder, what, " (an absolute path)")
    root = folder.resolve()
    try:  # symbolic links followed: one that points out of the folder is out
        path = (root / path_text).resolve()
        found = path.is_relative_to(root) and path.is_file()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name too long, a NUL
        path, found = root, False
    if not path.is_relative_to(root):
        raise outside(url, folder, what, "")
    if not found:
        raise SourceError(f"the {what} '{shortened(url)}' does not exist",
                          hint=f"check the file name; files are looked up in {folder}")
    return path


def outside(url: str, folder: Path, what: str, why: str) -> SourceError:
    return SourceError(f"the {what} '{shortened(url)}' is outside the article's folder{why}: "
                       "a leaflet uses only files in its own folder",
                       hint=f"copy the {what} into {folder} and refer to it by its name "
                       "(e.g. picture.png)")


def shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
