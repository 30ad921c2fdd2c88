"""The leaflet's sign-off, front matter ``approved-by``: who approved it, in what role, when.

Trusts run leaflets through a governance cycle (a clinician writes, a clinical lead signs
off, a patient reader checks). Each sign-off is one entry, and names the version it
approves::

    approved-by:
      - name: Dr Ann Lee
        role: Clinical lead
        date: 2026-11-20
        version: "2.0"

A sign-off approves one version: the leaflet is approved only while its ``version:`` is one
a sign-off names (``signed_for``), and then only by the sign-offs that name it (those are
the ones the leaflet prints, ``Article.approvals``; the others stay in ``approved-by:`` as
its history, ``Article.sign_offs``). Raising ``version:`` makes it a draft again, whatever
``date:`` says, until the new version is signed. A leaflet whose ``date:`` (its last change)
is later than its latest sign-off is a draft too. That the text was not changed under a
signed version is the release's to check: it records what each version was released from
(``release/archive.py``), and refuses other content under the same version.

An entry without ``version:`` (written before sign-offs named one) is an error that says
how to fix it: counting it would approve whatever the leaflet says now, and ignoring it
would quietly take an approved leaflet off the clinic's site.

``Article.is_draft`` is what the printed editions and the EPUB mark. A sign-off dated after
the day of the build is allowed (the build never reads the clock, so the same article gives
the same bytes on any day); ``make check`` points it out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import SourceError
from .guarded_yaml import GuardedLoader

FIELD = "approved-by"
EXAMPLE = ("write each sign-off as a list entry:\n"
           "    approved-by:\n"
           "      - name: Dr Ann Lee\n"
           "        role: Clinical lead\n"
           "        date: 2026-11-20\n"
           "        version: \"1.0\"")

# front_matter.date_field(mapping, key, problem): a date, a bad one reported through
# ``problem``. Passed in rather than imported, because front_matter imports this module.
DateReader = Callable[..., "dt.date | None"]


@dataclass(frozen=True)
class Approval:
    name: str
    role: str
    date: dt.date
    version: str = ""  # the leaflet's version it approves, as written


def latest(approvals: tuple[Approval, ...]) -> Approval | None:
    """The most recent sign-off (of two on the same day, the one listed last)."""
    return max(reversed(approvals), key=lambda approval: approval.date, default=None)


def signed_for(approvals: tuple[Approval, ...], version: str | None) -> tuple[Approval, ...]:
    """The sign-offs that approve ``version`` (none for a leaflet without a version)."""
    if version is None:
        return ()
    return tuple(approval for approval in approvals if approval.version == version.strip())


def approvals_field(value: object, path: Path, line: int | None,
                    read_date: DateReader) -> tuple[Approval, ...]:
    """The entries of ``approved-by`` (on ``line`` of ``path``); none if it is empty."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SourceError(f"front matter '{FIELD}': expected a list of sign-offs, found "
                          f"{described(value)}", file=path, line=line, hint=EXAMPLE)
    return tuple(approval_entry(item, number, path, line, read_date)
                 for number, item in enumerate(value, start=1))


def approval_entry(item: object, number: int, path: Path, field_line: int | None,
                   read_date: DateReader) -> Approval:
    def problem(key: str | None, message: str, hint: str = EXAMPLE) -> SourceError:
        where = f"front matter '{FIELD}', entry {number}" + (f", '{key}'" if key else "")
        return SourceError(f"{where}: {message}", file=path,
                           line=entry_line(path, number, key) or field_line, hint=hint)

    if not isinstance(item, dict):
        raise problem(None, f"expected 'name:', 'role:' and 'date:', found {described(item)}")
    entry = {str(key).strip().lower(): entry_value for key, entry_value in item.items()}
    name, role = entry_text(entry, "name", problem), entry_text(entry, "role", problem)
    date = read_date(entry, "date", problem)
    if date is None:
        raise problem(None, "the sign-off has no 'date'",
                      "add the day it was signed off, e.g. 'date: 2026-11-20'")
    if entry.get("version") is None:
        raise problem(None, f"the sign-off by {name} ({date.isoformat()}) does not say which "
                      "version it approves",
                      "add the leaflet's version that was signed off to the entry, e.g. "
                      "'version: \"1.0\"' (a sign-off approves that version only; a later "
                      "version is a draft until it is signed off too)")
    return Approval(name=name, role=role, date=date, version=entry_text(entry, "version", problem))


def entry_text(entry: dict, key: str, problem) -> str:
    value = entry.get(key)
    if isinstance(value, (bool, list, dict)):
        raise problem(key, f"expected text, found {described(value)}",
                      f"write one value on the line, e.g. '{key}: {EXAMPLE_VALUES[key]}'")
    text = "" if value is None else str(value).strip()
    if not text:
        raise problem(None, f"the sign-off has no '{key}'",
                      f"add '{key}: {EXAMPLE_VALUES[key]}' to the entry")
    return text


EXAMPLE_VALUES = {"name": "Dr Ann Lee", "role": "Clinical lead", "version": '"1.0"'}


def described(value: object) -> str:
    """A value as the front matter's messages name it ("a list", "'yes'")."""
    from .front_matter import describe  # imported late: front_matter imports this module
    return describe(value)


# --- where an entry is, for the messages ------------------------------------------------------
# The front matter's parser keeps only the line of each top-level field; the line of an
# entry (or of a key in it) is looked up again from the file, only when there is an
# error to report.

def entry_line(path: Path, number: int, key: str | None) -> int | None:
    """Line of entry ``number`` of ``approved-by`` (or of its ``key``), or None."""
    try:
        node = approvals_node(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(node, yaml.SequenceNode) or number > len(node.value):
        return None
    entry = node.value[number - 1]
    if key is not None and isinstance(entry, yaml.MappingNode):
        for key_node, _ in entry.value:
            if str(key_node.value).strip().lower() == key:
                return key_node.start_mark.line + 2
    return entry.start_mark.line + 2  # the front matter starts on line 2 of the file


def approvals_node(path: Path) -> yaml.Node | None:
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    end = next((index for index in range(1, len(lines))
                if lines[index].rstrip() in ("---", "...")), len(lines))
    root = yaml.compose("\n".join(lines[1:end]), Loader=GuardedLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if str(key_node.value).strip().lower().replace("_", "-") == FIELD:
            return value_node
    return None
