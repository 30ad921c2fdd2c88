"""CSL 1.0.2, "Localized Date Formats" (``rules.dates``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import cite, item


def test_localized_date_format_uses_the_locales_delimiters(tmp_path: Path) -> None:
    layout = '<date variable="issued" form="text"/>'
    assert cite(tmp_path, layout, [item(issued={"date-parts": [[2001, 1, 5]]})]) == "January 5, 2001"
    numeric = '<date variable="issued" form="numeric"/>'
    assert cite(tmp_path, numeric, [item(issued={"date-parts": [[2001, 1, 5]]})]) == "01/05/2001"
