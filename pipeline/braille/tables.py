"""Which braille table writes a language: ``styles/braille.yaml``, which a clinic edits.

Each language tag names liblouis's table (or several, comma-separated), the grade of the
code its readers are taught and whether liblouis reads that table's braille back into the
same words (``make check`` compares the braille read back with the article only then). A
leaflet's tag finds its entry by the whole tag, then by its language alone (``pt-BR`` →
``pt``), case ignored. A table named there is looked for in ``styles/braille/`` first (a
clinic's or the project's own table, such as Romanian in 6 dots), then among liblouis's.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import StyleError
from ..theme.data_files import load_yaml, version_of

TABLES_FILE = "braille.yaml"
OWN_TABLES_FOLDER = "braille"
GRADES = (1, 2)
# A table's name as liblouis's own are named: no folder, nothing that climbs out of one.
TABLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class BrailleTable:
    """One language's braille."""

    table: str  # what lou_translate is given after unicode.dis: liblouis names or paths, comma-separated
    grade: int  # 1 uncontracted, 2 contracted
    back_translates: bool  # liblouis reads its braille back into the same words
    name: str  # the table as styles/braille.yaml names it, for messages

    def __str__(self) -> str:
        return self.name


def table_for_language(lang: str, theme_dir: Path) -> BrailleTable | None:
    """The table for a language tag: the whole tag, then its language alone; None if neither."""
    tables = braille_tables(theme_dir)
    tag = lang.strip().lower()
    return tables.get(tag) or tables.get(tag.split("-")[0])


def braille_tables(theme_dir: Path) -> dict[str, BrailleTable]:
    """Every language's table, by lower-cased tag."""
    return parsed_tables(*version_of(theme_dir / TABLES_FILE, "the braille tables file"))


@functools.lru_cache(maxsize=8)
def parsed_tables(path: Path, _mtime: int, _size: int) -> dict[str, BrailleTable]:
    data = load_yaml(path, "the braille tables file",
                     "each line is 'tag: {table: ..., grade: 1, back-translates: true}'")
    if not isinstance(data, dict):
        raise StyleError("the braille tables file holds no 'tag: {table: ...}' lines", file=path,
                         hint="restore it from the project (git checkout styles/)")
    return {str(tag).lower(): entry(str(tag), value, path) for tag, value in data.items()}


def entry(tag: str, value: object, path: Path) -> BrailleTable:
    if not isinstance(value, dict) or not isinstance(value.get("table"), str):
        raise StyleError(f"the braille table of '{tag}' has no 'table:'", file=path,
                         hint=f"write it as '{tag}: {{table: <liblouis table>, grade: 1, "
                              "back-translates: true}'")
    names = [name.strip() for name in value["table"].split(",")]
    bad = [name for name in names if not TABLE_NAME.match(name)]
    if bad:
        raise StyleError(f"the braille table of '{tag}' names {bad[0]!r}, which is not a table's file name",
                         file=path, hint="name liblouis's tables as 'ls /usr/share/liblouis/tables' "
                                         "lists them, or a file in styles/braille/")
    grade = value.get("grade", 1)
    if grade not in GRADES:
        raise StyleError(f"the braille table of '{tag}' has grade {grade!r}", file=path,
                         hint="grade is 1 (uncontracted) or 2 (contracted)")
    back = value.get("back-translates", False)
    if not isinstance(back, bool):
        raise StyleError(f"the braille table of '{tag}' has back-translates: {back!r}", file=path,
                         hint="write true or false")
    own = path.parent / OWN_TABLES_FOLDER
    located = [str(own / name) if (own / name).is_file() else name for name in names]
    if any("," in name for name in located):  # liblouis reads a comma as the end of a table's name
        raise StyleError(f"the braille table of '{tag}' is in a folder whose path has a comma, "
                         "which liblouis cannot read", file=path,
                         hint="move the styles folder to a path without a comma")
    return BrailleTable(",".join(located), grade, back, ",".join(names))
