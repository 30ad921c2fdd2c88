"""The status page's review calendar: the next 24 months, each with the leaflets whose
review falls in it (overdue ones under this month; none without a review date)."""
from __future__ import annotations

import datetime as dt

from pipeline.release.status import CALENDAR_MONTHS, StatusRow, review_calendar

TODAY = dt.date(2026, 12, 1)


def row(stem: str, review_date: dt.date | None) -> StatusRow:
    return StatusRow(stem=stem, source=f"{stem}.md", title=stem.title(), lang="en-GB", version="1.0",
                     approval=None, draft=False, review_date=review_date,
                     days_left=(review_date - TODAY).days if review_date else None,
                     review="ok", translation_of=None)


def test_the_calendar_is_the_next_24_months_with_each_leaflet_under_its_review_month():
    rows = [row("overdue", dt.date(2025, 3, 1)), row("soon", dt.date(2026, 12, 31)),
            row("next-year", dt.date(2027, 1, 1)), row("last", dt.date(2028, 11, 30)),
            row("too-far", dt.date(2028, 12, 1)), row("never", None)]
    calendar = review_calendar(rows, TODAY)
    assert CALENDAR_MONTHS == 24 and len(calendar) == 24
    assert [month.label for month in (calendar[0], calendar[1], calendar[-1])] == [
        "December 2026", "January 2027", "November 2028"]
    by_month = {month.label: [r.stem for r in month.rows] for month in calendar if month.rows}
    assert by_month == {"December 2026": ["overdue", "soon"], "January 2027": ["next-year"],
                        "November 2028": ["last"]}
