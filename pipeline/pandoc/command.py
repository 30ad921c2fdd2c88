"""Which pandoc runs, with what runtime options, and how its failures read: shared by the
one-shot runs (``run.py``) and the pandoc kept running (``session.py``)."""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

from ..errors import RenderError
from ..limits import PANDOC_MAX_HEAP_MB

# pandoc's Haskell runtime collects garbage after every 4 MB it allocates (-A): a larger
# allocation area makes each pandoc run faster. The bundled pandoc is also built to ask for
# a 64 MB heap (-H64m), which a one-shot run such as the EPUB writer's spends a third of its
# CPU time mapping in, page by page, for a document that needs a few MB: 16 MB of each is
# a quarter faster than 64 (0.12 s of CPU for the sciatica EPUB, 0.16 s before). Neither
# changes anything pandoc writes.
PANDOC_RTS_OPTIONS = ("+RTS", "-A16m", "-H16m", f"-M{PANDOC_MAX_HEAP_MB}m", "-RTS")


@functools.cache
def bundled_pandoc() -> str | None:
    """The pandoc of the pinned ``pypandoc-binary`` wheel, found without importing pypandoc
    (which asks every pandoc it can find for its version: tens of milliseconds a build)."""
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "files" / "pandoc"
        if os.access(bundled, os.X_OK):
            return str(bundled)
    return None


def pandoc_path() -> str:
    if bundled_pandoc() and not os.environ.get("PYPANDOC_PANDOC"):
        return bundled_pandoc()
    import pypandoc  # PYPANDOC_PANDOC set, or no bundled binary: pypandoc's own search
    return pypandoc.get_pandoc_path()


def pandoc_command() -> list[str]:
    """pandoc, with the runtime options that make the bundled one faster (the options
    change nothing in what it writes; another pandoc may not accept them)."""
    path = pandoc_path()
    return [path, *PANDOC_RTS_OPTIONS] if path == bundled_pandoc() else [path]


def check_exit(returncode: int, stderr: bytes, what: str, file: Path | None) -> None:
    if returncode != 0:
        raise failure(stderr or f"exit code {returncode}".encode(), what, file)


def failure(said: bytes, what: str, file: Path | None) -> RenderError:
    """The error for a pandoc that failed ``what``, from what it said on stderr."""
    if b"Heap exhausted" in said:
        return RenderError(
            f"pandoc needed more than its {PANDOC_MAX_HEAP_MB} MB of memory {what}, and was "
            "stopped", file=file,
            hint="the article or a file it uses stands for far more text than a leaflet has: "
                 "look for a very large bibliography, or BibTeX @string abbreviations that "
                 "repeat each other")
    message = said.decode("utf-8", "replace").strip()
    return RenderError(f"pandoc failed {what}: {message}", file=file,
                       hint="fix the Markdown near the place pandoc names")


def timed_out(timeout: float, what: str, file: Path | None) -> RenderError:
    return RenderError(f"pandoc took longer than {timeout:g} s {what} and was stopped",
                       file=file, hint="look for very long lines or deeply nested lists "
                       "near the last change")
