"""``python -m pipeline status SOURCE_DIR``: where each leaflet of the library stands.

One row a leaflet (translations are leaflets too), as a terminal table, as JSON
(``--json``) or as ``DIR/site/status.html`` (written by ``release``, from
``styles/templates/status.html``). Then every version in the archive is checked against its
manifest (each file's sha256, every version, not only the latest), and each approved
leaflet against what its version was released from: a mismatch is an error, and ``status``
exits 1. The JSON is a list of objects, in stem order, with these keys
(stable; new ones may be added):

``stem``, ``source`` (file name), ``title``, ``lang``, ``version``
    From the front matter (``version`` may be null).
``approval``
    The latest sign-off, ``{"name", "role", "date"}``, or null for none.
``draft``
    true when no sign-off names its version, or changed (``date:``) after the latest one.
``review_date``, ``days_left``
    The review date (ISO) and the days from today until it (negative: past); null without one.
``review``
    ``"ok"``, ``"due"`` (within ``config.REVIEW_WARNING_DAYS``), ``"overdue"`` (past) or
    ``"none"`` (no review date: such a leaflet is not released).
``translation_of``
    For a translation, the stem of the leaflet it translates (``translation-of:``); else null.
``translations``
    The leaflet's translations: ``{"stem", "lang", "translated_from_version", "out_of_date"}``;
    out of date when ``translated-from-version:`` is not the leaflet's ``version:``.
``formats``
    The kinds of file (``catalogue.file_kinds``: ``pdf``, ``large-print``, ``booklet``,
    ``a5``, ``epub``, ``brf``, ``mp3``, ``narrated-epub``, ``cover``) in ``DIR/release/``
    for a released leaflet, else those built in ``DIR/build/``.
``state``
    ``"released"`` (in ``DIR/release/``), ``"draft"``, ``"withdrawn"`` (past its review
    date, or without one), ``"ready"`` (approved and in date, not released yet), or
    ``"in-review"`` (a new version waits for its sign-off, and the version released before
    stays published meanwhile: ``published_version``).
``published_version``
    The version in ``DIR/release/`` (for ``in-review``, an earlier one), else null.
``lapsed``
    For a withdrawn leaflet, the first day it was out of date (ISO), else null.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..config import REVIEW_WARNING_DAYS, Settings
from ..files import atomic_output
from ..outputs import formats as registered_formats, output_files
from .catalogue import (DRAFT, RELEASED, WITHDRAWN, Entry, approval_json, file_kinds, iso,
                        release_files, state_of)

READY = "ready"
IN_REVIEW = "in-review"
TABLE_WIDTH = 100
CALENDAR_MONTHS = 24


@dataclass(frozen=True)
class Translation:
    stem: str
    lang: str
    translated_from_version: str | None
    out_of_date: bool


@dataclass(frozen=True)
class StatusRow:
    stem: str
    source: str
    title: str
    lang: str
    version: str | None
    approval: object | None  # the latest Approval
    draft: bool
    review_date: dt.date | None
    days_left: int | None
    review: str
    translation_of: str | None
    translations: tuple[Translation, ...] = ()
    formats: tuple[str, ...] = ()
    state: str = READY
    lapsed: dt.date | None = None
    published_version: str | None = None

    def as_json(self) -> dict:
        return {
            "stem": self.stem, "source": self.source, "title": self.title, "lang": self.lang,
            "version": self.version,
            "approval": approval_json(self.approval) if self.approval is not None else None,
            "draft": self.draft, "review_date": iso(self.review_date), "days_left": self.days_left,
            "review": self.review, "translation_of": self.translation_of,
            "translations": [{"stem": t.stem, "lang": t.lang,
                              "translated_from_version": t.translated_from_version,
                              "out_of_date": t.out_of_date} for t in self.translations],
            "formats": list(self.formats), "state": self.state, "lapsed": iso(self.lapsed),
            "published_version": self.published_version,
        }


def status_rows(entries: list[Entry], today: dt.date, release_dir: Path,
                build_dir: Path | None = None) -> list[StatusRow]:
    """Every leaflet's row, in stem order; ``released`` means present in ``release_dir``."""
    published = released_stems(release_dir)
    by_source = {entry.path.name: entry for entry in entries}
    translations: dict[str, list[Translation]] = {}
    for entry in entries:
        original = by_source.get(entry.translation_of or "")
        if original is not None and original is not entry:
            translations.setdefault(original.stem, []).append(Translation(
                entry.stem, entry.article.lang, entry.translated_from_version,
                entry.translated_from_version != original.article.version))
    rows = [row_of(entry, today, published, release_dir, build_dir,
                   tuple(sorted(translations.get(entry.stem, []), key=lambda t: t.stem)))
            for entry in entries]
    return sorted(rows, key=lambda row: row.stem)


def row_of(entry: Entry, today: dt.date, published: dict[str, dict], release_dir: Path,
           build_dir: Path | None, translations: tuple[Translation, ...]) -> StatusRow:
    article = entry.article
    state, lapsed = state_of(entry.draft, article.review_date, article.date, today)
    listed = published.get(entry.stem)
    if state == RELEASED:
        state = RELEASED if listed else READY
    elif state == DRAFT and listed and listed.get("awaiting_sign_off"):
        state = IN_REVIEW
    folder = release_dir if state in (RELEASED, IN_REVIEW) else build_dir
    days_left = (article.review_date - today).days if article.review_date else None
    original = entry.translation_of
    return StatusRow(
        stem=entry.stem, source=entry.path.name, title=article.title, lang=article.lang,
        version=article.version,
        approval=max(entry.approvals, key=lambda approval: approval.date, default=None),
        draft=entry.draft, review_date=article.review_date, days_left=days_left,
        review=review_flag(days_left), translation_of=Path(original).stem if original else None,
        translations=translations, formats=formats_in(folder, entry.stem), state=state,
        lapsed=lapsed, published_version=str(listed.get("version")) if listed else None)


def review_flag(days_left: int | None) -> str:
    if days_left is None:
        return "none"
    if days_left < 0:
        return "overdue"
    return "due" if days_left <= REVIEW_WARNING_DAYS else "ok"


def released_stems(release_dir: Path) -> dict[str, dict]:
    """The leaflets ``release.json`` lists as released and whose files are all there, by stem."""
    try:
        listed = json.loads((release_dir / "release.json").read_text(encoding="utf-8"))["leaflets"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {item["stem"]: item for item in listed
            if isinstance(item, dict) and item.get("state") == RELEASED
            and isinstance(item.get("files"), dict) and item["files"]
            and all((release_dir / Path(str(name)).name).is_file() for name in item["files"].values())}


def formats_in(folder: Path | None, stem: str) -> tuple[str, ...]:
    if folder is None:
        return ()
    return tuple(kind for kind, name in release_files(stem).items() if (folder / name).is_file())


# --- the terminal table ------------------------------------------------------------------------

COLUMNS = ("leaflet", "version", "approval", "review", "days left", "translations", "formats",
           "state")
HEADINGS = {"version": "VER", "translations": "TRANSL", "formats": "FILES", "days left": "DAYS"}
# Cut first, and down to how narrow: the approval (its role is in --json), then the stem.
SHRINKABLE = (("approval", 20), ("leaflet", 14), ("translations", 6), ("approval", 12),
              ("leaflet", 8))


def table(rows: list[StatusRow]) -> str:
    """Aligned columns, at most ``TABLE_WIDTH`` characters a line (long cells cut with '…')."""
    cells = [dict(zip(COLUMNS, table_cells(row))) for row in rows]
    headings = {name: HEADINGS.get(name, name.upper()) for name in COLUMNS}
    widths = {name: max([len(headings[name])] + [len(cell[name]) for cell in cells]) for name in COLUMNS}
    for name, narrowest in SHRINKABLE:
        over = sum(widths.values()) + 2 * (len(COLUMNS) - 1) - TABLE_WIDTH
        if over > 0:
            widths[name] = max(narrowest, widths[name] - over)
    lines = [line_of(headings, widths)]
    lines += [line_of(cell, widths) for cell in cells]
    if any(t.out_of_date for row in rows for t in row.translations):
        lines.append("* translation out of date: translated from another version")
    if not rows:
        lines.append("(no leaflets)")
    return "\n".join(lines)


def table_cells(row: StatusRow) -> tuple[str, ...]:
    if row.approval is None:
        approval = "draft"
    else:
        role = f" ({row.approval.role})" if row.approval.role else ""
        approval = f"{row.approval.name}, {row.approval.date.isoformat()}{role}"
        approval = f"draft: changed since {approval}" if row.draft else approval
    days = "-" if row.days_left is None else str(row.days_left)
    if row.review in ("due", "overdue"):
        days += f" {row.review}"
    translations = " ".join(t.lang + ("*" if t.out_of_date else "") for t in row.translations)
    if row.translation_of:
        translations = f"of {row.translation_of}"
    formats = files_cell(row.formats)
    state = row.state  # the lapse date is in --json and on the status page
    if row.state == IN_REVIEW:
        state = f"{row.published_version} out, {row.version} in review"
    return (row.stem, row.version or "-", approval, iso(row.review_date) or "none", days,
            translations or "-", formats or "-", state)


def files_cell(kinds: tuple[str, ...]) -> str:
    """The FILES column: "all" for a leaflet with the files of every registered format, else
    each format's word (``outputs.Format.table_word``) for which it has every file."""
    if {file.kind for _, file in output_files()} <= set(kinds):
        return "all"
    return " ".join(fmt.table_word for fmt in registered_formats() if fmt.table_word is not None
                    and all(file.kind in kinds for file in fmt.files))


def line_of(cells: dict[str, str], widths: dict[str, int]) -> str:
    return "  ".join(cut(cells[name], widths[name]).ljust(widths[name]) for name in COLUMNS).rstrip()


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"


def as_json(rows: list[StatusRow]) -> str:
    return json.dumps([row.as_json() for row in rows], indent=2, sort_keys=True, ensure_ascii=False)


# --- the status page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Month:
    first_day: dt.date
    rows: list[StatusRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        """"January 2027", in the words the templates print dates with."""
        from ..theme.templates import MONTHS
        return f"{MONTHS[self.first_day.month - 1]} {self.first_day.year}"


def review_calendar(rows: list[StatusRow], today: dt.date, months: int = CALENDAR_MONTHS) -> list[Month]:
    """The next ``months`` months from this one, each with the leaflets due for review in it;
    overdue ones are under this month."""
    calendar = []
    for offset in range(months):
        year, month = divmod(today.month - 1 + offset, 12)
        calendar.append(Month(dt.date(today.year + year, month + 1, 1)))
    for row in rows:
        if row.review_date is None:
            continue
        index = (row.review_date.year - today.year) * 12 + row.review_date.month - today.month
        if index < months:
            calendar[max(index, 0)].rows.append(row)
    return calendar


def write_status_page(rows: list[StatusRow], site_dir: Path, settings: Settings,
                      today: dt.date) -> Path:
    """``site/status.html``, from ``styles/templates/status.html``."""
    from ..theme.templates import template_environment
    template = template_environment(settings.theme_dir / "templates").get_template("status.html")
    html = template.render(rows=rows, today=today, calendar=review_calendar(rows, today),
                           warning_days=REVIEW_WARNING_DAYS, file_kinds=file_kinds(),
                           draft=DRAFT, withdrawn=WITHDRAWN, released=RELEASED)
    target = site_dir / "status.html"
    with atomic_output(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return target
