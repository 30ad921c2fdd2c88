"""The article as the rest of the pipeline talks about it: plain classes with named fields.

``Article`` (one leaflet and its front matter), ``Author``, ``Approval`` (one sign-off of
``approved-by``) and ``ClinicProfile`` (whose leaflet it is) are data and what follows
from it alone (the article's stem, whether it is a draft, the line a field is on). They are
produced by the parsers, never by reading a file here: ``front_matter.py`` reads the
Markdown file into an ``Article``, ``approval.py`` its sign-offs, ``clinic.py`` the clinic
profile. This module imports none of them, so every part of the pipeline can import the
model without importing a parser, and the parsers never import each other back.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import DEFAULT_LANG

if TYPE_CHECKING:  # the strings are the build's to find (styles/); the model only uses them
    from ..theme.strings import Strings

# The details the "Contact us" box lists, in this order; each is also a key of the strings files.
CONTACT_FIELDS = ("address", "phone", "email", "website")


@dataclass(frozen=True)
class Author:
    name: str
    credentials: str | None = None
    affiliation: str | None = None

    @property
    def display_name(self) -> str:
        """Name as printed under the title of an English leaflet: "Jane Doe, MD, PhD"."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def display_name_in(self, words: Strings) -> str:
        """Name and credentials with the leaflet's language's comma between them (its strings
        file's 'name-with-credentials'): "Jane Doe, MD", "简·多伊，MD", "جين دو، MD"."""
        if not self.credentials:
            return self.name
        return words.word("name-with-credentials", name=self.name, credentials=self.credentials)


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


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    logo: Path | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    colour: str | None = None  # "#rrggbb"
    formats: tuple[str, ...] | None = None  # registered formats (outputs.py); None: not said (all)

    @property
    def contact_lines(self) -> list[tuple[str, str]]:
        """(field, value) for each contact detail given, in the order clinics print them:
        ``("phone", "0113 496 0000")``. The field names the label in the strings files."""
        details = [(name, getattr(self, name)) for name in CONTACT_FIELDS]
        return [(name, value) for name, value in details if value]

    def contact_details(self, words: Strings) -> list[tuple[str, str]]:
        """(label, value) for each contact detail given, the label in the leaflet's language
        (its strings file's 'address', 'phone', 'email' and 'website')."""
        return [(words.word(name), value) for name, value in self.contact_lines]


@dataclass(frozen=True)
class Article:
    path: Path
    markdown: str  # the whole file, front matter blanked so line numbers hold
    title: str
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    lang: str = DEFAULT_LANG
    date: dt.date | None = None
    version: str | None = None
    review_date: dt.date | None = None
    keywords: tuple[str, ...] = ()
    description: str | None = None
    bibliography: tuple[Path, ...] = ()
    csl: str | None = None
    nocite: tuple[str, ...] = ()
    clinic: ClinicProfile | None = None
    reference: str | None = None
    url: str | None = None
    alternative_formats: tuple[str, ...] = ()
    target_grade: float | None = None
    max_grade: float | None = None
    sign_offs: tuple[Approval, ...] = ()  # every entry of approved-by, any version
    easy_read: bool = False
    easy_read_of: Path | None = None
    translation_of: Path | None = None
    translated_from_version: str | None = None
    field_lines: tuple[tuple[str, int], ...] = ()

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def approvals(self) -> tuple[Approval, ...]:
        """The sign-offs of this version: the ones the leaflet prints and counts."""
        return signed_for(self.sign_offs, self.version)

    @property
    def latest_approval(self) -> Approval | None:
        return latest(self.approvals)

    @property
    def is_draft(self) -> bool:
        """No sign-off of this version, or changed (its ``date``) after the latest one."""
        signed = self.latest_approval
        return signed is None or (self.date is not None and self.date > signed.date)

    def line_of_field(self, name: str) -> int | None:
        return dict(self.field_lines).get(name)

    def line_of(self, needle: str) -> int | None:
        """First line of the file that contains ``needle`` (for error messages)."""
        for number, line in enumerate(self.markdown.split("\n"), start=1):
            if needle in line:
                return number
        return None

    def line_of_citation(self, key: str) -> int | None:
        """Line of the first ``@key`` (not ``@key2001``), else of ``nocite:``."""
        pattern = re.compile("@" + re.escape(key) + r"(?![\w:.#$%&\-+?<>~/]*\w)")
        for number, line in enumerate(self.markdown.split("\n"), start=1):
            if pattern.search(line):
                return number
        return self.line_of_field("nocite")
