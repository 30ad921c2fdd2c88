"""The YAML data files of styles/ that a clinic or a translator edits (the strings of each
language, the braille tables, the voices, the speech rules): read with one clear error when
one is not YAML, naming the file, the line and what a line of it looks like."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import StyleError

# libyaml's parser when PyYAML was built with it (its wheels are): the same values as the
# pure-Python one, read ten times faster. These files are the project's, not an article's.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def version_of(path: Path, what: str) -> tuple[Path, int, int]:
    """``path`` with its modification time and size: the key under which its parsed content is
    kept, so a clinic's edit is read at the next build. A missing file is an error; ``what``
    names it ("the voices file")."""
    if not path.is_file():
        raise StyleError(f"{what} is missing", file=path,
                         hint="restore it from the project (git checkout styles/)")
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


def load_yaml(path: Path, what: str, hint: str) -> object:
    """The YAML in ``path``; ``what`` names the file for the message ("the voices file"),
    ``hint`` says how its lines are written."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        raise StyleError(f"{what} cannot be read: {getattr(error, 'problem', error)}",
                         file=path, line=mark.line + 1 if mark else None, hint=hint) from None
