"""What the library holds and what each leaflet's state is.

``ReleasedLeaflet`` is what a published leaflet is to the site (``site.py``,
``opds.py``) and to ``release.json``: its metadata, its approvals and the names of its
files in the release folder. Its fields only ever grow (the site is written against
them); none is renamed.

A leaflet's state on a given day (``state_of``):

- ``draft``: no sign-off (``approved-by:``), or its ``date:`` is later than its latest
  approval: left out of the release.
- ``withdrawn``: approved, but its ``review-date:`` is before the day: left out and
  listed with the date it lapsed (the day after its review date).
- ``released``: approved and ``review-date:`` on or after the day.

A leaflet with no ``review-date:`` is treated as withdrawn, lapsed on its own ``date:``
(or with no lapse date when it has none either): a leaflet nobody has planned to review
is not one a trust may hand out. ``status`` flags it as "no review date".
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import format_names, output_files

if TYPE_CHECKING:
    from ..article.model import Approval, Article

DRAFT = "draft"
WITHDRAWN = "withdrawn"
RELEASED = "released"

# The picture of a leaflet's first page, beside the files of its formats (outputs.py).
COVER_KIND = "cover"
COVER_SUFFIX = ".cover.png"
ALWAYS_RELEASED = "pdf"  # the leaflet of record, and the site's picture of it


@dataclass(frozen=True)
class ReleasedLeaflet:
    """A leaflet of the library as the release and the site see it."""

    stem: str
    title: str
    subtitle: str | None
    description: str | None
    keywords: tuple[str, ...]
    lang: str
    authors: tuple[str, ...]  # names, as printed
    version: str | None
    date: dt.date | None
    review_date: dt.date | None
    url: str | None
    approvals: tuple[Approval, ...] = ()
    files: dict[str, str] = field(default_factory=dict)  # kind (file_kinds) → file name in release/
    translations: tuple[tuple[str, str], ...] = ()  # (lang, stem) of released translations
    source: str = ""  # the article's file name in SOURCE_DIR
    source_sha256: str = ""
    state: str = RELEASED
    lapsed: dt.date | None = None  # withdrawn: the first day it was out of date
    translation_of: str | None = None  # the source leaflet's stem, for a translation
    easy_read_of: str | None = None  # the full leaflet's stem, for its easy read version
    # Published from the archive while this newer version of the source waits for sign-off.
    awaiting_sign_off: str | None = None

    @property
    def latest_approval(self):
        return max(self.approvals, key=lambda approval: approval.date, default=None)

    def as_json(self) -> dict:
        """The leaflet in ``release.json``: stable keys, dates as ISO strings."""
        return {
            "stem": self.stem, "title": self.title, "subtitle": self.subtitle,
            "description": self.description, "keywords": list(self.keywords), "lang": self.lang,
            "authors": list(self.authors), "version": self.version, "date": iso(self.date),
            "review_date": iso(self.review_date), "url": self.url,
            "approvals": [approval_json(approval) for approval in self.approvals],
            "files": dict(sorted(self.files.items())),
            "translations": [list(pair) for pair in self.translations],
            "source": self.source, "source_sha256": self.source_sha256, "state": self.state,
            "lapsed": iso(self.lapsed), "translation_of": self.translation_of,
            "easy_read_of": self.easy_read_of, "awaiting_sign_off": self.awaiting_sign_off,
        }


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def approval_json(approval) -> dict:
    return {"name": approval.name, "role": approval.role, "date": approval.date.isoformat(),
            "version": approval.version}


def approval_from_json(item: dict):
    from ..article.model import Approval
    return Approval(str(item["name"]), str(item["role"]), dt.date.fromisoformat(item["date"]),
                    str(item.get("version") or ""))


def leaflet_from_json(item: dict) -> ReleasedLeaflet:
    """A ``ReleasedLeaflet`` from its ``as_json`` (as the archive keeps it)."""
    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(item[key]) if item.get(key) else None

    return ReleasedLeaflet(
        stem=item["stem"], title=item["title"], subtitle=item.get("subtitle"),
        description=item.get("description"), keywords=tuple(item.get("keywords") or ()),
        lang=item["lang"], authors=tuple(item.get("authors") or ()), version=item.get("version"),
        date=day("date"), review_date=day("review_date"), url=item.get("url"),
        approvals=tuple(approval_from_json(approval) for approval in item.get("approvals") or ()),
        files=dict(item.get("files") or {}), source=item.get("source") or "",
        source_sha256=item.get("source_sha256") or "", state=item.get("state") or RELEASED,
        translation_of=item.get("translation_of"), easy_read_of=item.get("easy_read_of"))


def file_kinds() -> tuple[str, ...]:
    """The kinds of file a released leaflet may have: each registered format's files, in
    their order, then the cover."""
    return (*(file.kind for _, file in output_files()), COVER_KIND)


def release_files(stem: str, formats: tuple[str, ...] | None = None) -> dict[str, str]:
    """The kinds of file a leaflet released in ``formats`` (None: every one) has, and its
    cover picture, by name in the release folder, in the order of ``file_kinds``."""
    files = {file.kind: file.name(stem) for fmt, file in output_files()
             if formats is None or fmt.name in formats}
    return {**files, COVER_KIND: f"{stem}{COVER_SUFFIX}"}


def formats_offered(article: Article, only: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """What the leaflet is released in: the formats its clinic profile lists (``formats:``;
    every one without a profile or a list: the NHS Accessible Information Standard asks that
    each patient gets the format they need, not the one the clinic happens to print),
    narrowed to ``only`` (``release --formats``), and the standard PDF always."""
    clinic = article.clinic.formats if article.clinic is not None else None
    offered = clinic or format_names()
    return tuple(name for name in format_names()
                 if name == ALWAYS_RELEASED or (name in offered and (only is None or name in only)))


def state_of(draft: bool, review_date: dt.date | None, date: dt.date | None,
             today: dt.date) -> tuple[str, dt.date | None]:
    """The leaflet's state on ``today`` and, when withdrawn, the day it lapsed."""
    if draft:
        return DRAFT, None
    if review_date is None:
        return WITHDRAWN, date
    if review_date < today:
        return WITHDRAWN, review_date + dt.timedelta(days=1)
    return RELEASED, None


def leaflet_from(article: Article, approvals, *, source_sha256: str, state: str,
                 lapsed: dt.date | None, translation_of: str | None = None) -> ReleasedLeaflet:
    """The catalogue entry of an article (files and translations are filled in later)."""
    return ReleasedLeaflet(
        stem=article.stem, title=article.title, subtitle=article.subtitle,
        description=article.description, keywords=tuple(article.keywords), lang=article.lang,
        authors=tuple(author.name for author in article.authors), version=article.version,
        date=article.date, review_date=article.review_date, url=article.url,
        approvals=tuple(approvals), source=article.path.name, source_sha256=source_sha256,
        state=state, lapsed=lapsed, translation_of=translation_of,
        easy_read_of=Path(article.easy_read_of).stem if article.easy_read_of else None)


# --- reading the library ---------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One article of the library, read: what the release and the status need of it."""

    article: Article
    approvals: tuple
    draft: bool
    source_sha256: str
    translation_of: str | None = None  # the source's file name ("x.md"), from `translation-of:`
    translated_from_version: str | None = None
    formats: tuple[str, ...] = ()  # what it is built and released in (formats_offered)

    @property
    def path(self):
        return self.article.path

    @property
    def stem(self) -> str:
        return self.article.stem


def library_sources(source_dir: Path) -> list[Path]:
    """Every leaflet of the library (``*.md`` directly in it, translations too), in a
    stable order. Two whose outputs would share a name (``x.md`` and ``x.large-print.md``,
    or stems that differ only in case or Unicode form: one file on macOS and Windows, one
    address on the site) are an error: ``library.library_sources``, as for a build."""
    from ..library import library_sources as leaflets_in
    return leaflets_in(source_dir)


def read_entry(path: Path, only: tuple[str, ...] | None = None) -> Entry:
    """Read one article quietly: its warnings are the build's to give. ``only`` narrows
    the formats its clinic offers (``formats_offered``)."""
    from ..article.front_matter import load_article
    from ..processes import captured_logs
    with captured_logs():
        article = load_article(path)
    translation_of = article.translation_of.name if article.translation_of else None
    return Entry(article, article.approvals, article.is_draft, sha256_of(path),
                 translation_of=translation_of,
                 translated_from_version=article.translated_from_version,
                 formats=formats_offered(article, only))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
