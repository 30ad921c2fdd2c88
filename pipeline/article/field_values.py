"""One front-matter value read, or named in a message: what the front matter's parser
(``front_matter.py``) and the sign-offs' (``approval.py``) both need.

They live here, below both parsers, so that neither imports the other for them.
"""
from __future__ import annotations

import datetime as dt


def date_field(fields: dict, name: str, problem) -> dt.date | None:
    """The date ``fields[name]`` holds (a YAML date or an ISO string), None if it is not
    given; anything else is reported through ``problem(name, message, hint)``."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise problem(name, f"{value!r} is not a date",
                  "write the date as YYYY-MM-DD, e.g. 2026-11-25")


def describe(value: object) -> str:
    """A value as the front matter's messages name it ("a list", "'yes'")."""
    if value is None:
        return "an empty value"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return repr(value)
