"""Front matter ``approved-by``: the sign-offs, whether the leaflet is a draft, and what
the user reads when an entry cannot be read (file, line of the entry, how to fix it).

Articles are written into ``tmp_path`` by ``write_article``, one front-matter line per
argument: line N of the arguments is line N + 1 of the file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.article.approval import Approval
from pipeline.article.front_matter import load_article
from pipeline.config import KNOWN_FRONT_MATTER_FIELDS
from pipeline.errors import SourceError

LEAD = ("  - name: Dr Ann Lee", "    role: Clinical lead", "    date: 2026-11-20",
        '    version: "1.0"')
READER = ("  - name: Sam Roe", "    role: Patient reader", "    date: 2026-11-22",
          '    version: "1.0"')


def write_article(folder: Path, *lines: str, version: str = "1.0") -> Path:
    """The article's ``version:`` comes last, so the lines of the others stay as counted."""
    path = folder / "leaflet.md"
    path.write_text("---\n" + "".join(f"{line}\n" for line in lines)
                    + f'version: "{version}"\n---\n\nText.\n', encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        load_article(path)
    return str(caught.value)


# --- sign-offs and drafts --------------------------------------------------------------------

def test_sign_offs_are_read_in_order(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-18",
                                         "approved-by:", *LEAD, *READER))
    assert article.approvals == (Approval("Dr Ann Lee", "Clinical lead", dt.date(2026, 11, 20), "1.0"),
                                 Approval("Sam Roe", "Patient reader", dt.date(2026, 11, 22), "1.0"))
    assert article.latest_approval == article.approvals[1]
    assert not article.is_draft


def test_the_field_is_known():
    assert "approved-by" in KNOWN_FRONT_MATTER_FIELDS


def test_a_leaflet_without_sign_off_is_a_draft(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-18"))
    assert article.approvals == () and article.latest_approval is None
    assert article.is_draft


@pytest.mark.parametrize("empty", ["approved-by:", "approved-by: []"])
def test_an_empty_sign_off_list_is_a_draft(tmp_path, empty):
    article = load_article(write_article(tmp_path, "title: Heat", empty))
    assert article.approvals == () and article.is_draft


def test_a_leaflet_changed_after_its_latest_sign_off_is_a_draft(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-23",
                                         "approved-by:", *LEAD, *READER))
    assert article.latest_approval.name == "Sam Roe"
    assert article.is_draft


def test_a_sign_off_on_the_day_of_the_change_approves_it(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-22",
                                         "approved-by:", *LEAD, *READER))
    assert not article.is_draft


def test_the_latest_sign_off_is_by_date_not_by_place_in_the_list(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-21",
                                         "approved-by:", *READER, *LEAD))
    assert article.latest_approval.name == "Sam Roe"
    assert not article.is_draft


def test_a_signed_leaflet_without_a_date_is_approved(tmp_path):
    article = load_article(write_article(tmp_path, "title: Heat", "approved-by:", *LEAD))
    assert not article.is_draft


def test_a_sign_off_dated_after_the_build_is_allowed(tmp_path):
    # The build never reads the clock (same input, same bytes); make check points it out.
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-18",
                                         "approved-by:", "  - name: Dr Ann Lee",
                                         "    role: Clinical lead", "    date: 2999-01-01",
                                         '    version: "1.0"'))
    assert article.latest_approval.date == dt.date(2999, 1, 1) and not article.is_draft


def test_entries_in_flow_style_with_any_case_of_keys(tmp_path):
    article = load_article(write_article(
        tmp_path, "title: Heat",
        "Approved_By: [{Name: Dr Ann Lee, ROLE: Clinical lead, date: '2026-11-20', Version: 1.0}]"))
    assert article.approvals == (Approval("Dr Ann Lee", "Clinical lead", dt.date(2026, 11, 20), "1.0"),)


# --- a sign-off approves one version ---------------------------------------------------------

def test_a_raised_version_is_a_draft_whatever_its_date_says(tmp_path):
    # The fault of issue 19: text edited, version raised, date left alone.
    article = load_article(write_article(tmp_path, "title: Heat", "date: 2026-11-18",
                                         "approved-by:", *LEAD, *READER, version="1.1"))
    assert article.is_draft and article.approvals == () and article.latest_approval is None
    assert [signed.version for signed in article.sign_offs] == ["1.0", "1.0"]  # the history


def test_only_the_sign_offs_of_this_version_are_counted_and_printed(tmp_path):
    article = load_article(write_article(
        tmp_path, "title: Heat", "approved-by:", *LEAD,
        "  - {name: Sam Roe, role: Patient reader, date: 2026-12-01, version: '1.1'}", version="1.1"))
    assert not article.is_draft
    assert article.approvals == (Approval("Sam Roe", "Patient reader", dt.date(2026, 12, 1), "1.1"),)


def test_a_version_written_as_a_number_is_read_as_written(tmp_path):
    article = load_article(write_article(
        tmp_path, "title: Heat", "approved-by:",
        "  - {name: Dr Ann Lee, role: Clinical lead, date: 2026-11-20, version: 1.10}", version="1.10"))
    assert article.approvals[0].version == "1.10" and not article.is_draft


def test_a_leaflet_without_a_version_is_a_draft_whatever_is_signed(tmp_path):
    path = write_article(tmp_path, "title: Heat", "approved-by:", *LEAD)
    path.write_text(path.read_text(encoding="utf-8").replace('version: "1.0"\n---', "---"),
                    encoding="utf-8")
    article = load_article(path)
    assert article.version is None and article.is_draft and len(article.sign_offs) == 1


def test_a_sign_off_that_names_no_version_is_an_error_saying_how_to_fix_it(tmp_path):
    # Written before sign-offs named a version: it is never taken as approving this one.
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:",
                                     "  - name: Dr Ann Lee", "    role: Clinical lead",
                                     "    date: 2026-11-20"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 4: front matter 'approved-by', "
                              "entry 1: the sign-off by Dr Ann Lee (2026-11-20) does not say which "
                              "version it approves")
    assert "How to fix: add the leaflet's version that was signed off to the entry, e.g. " \
           "'version: \"1.0\"'" in message


# --- what cannot be read ---------------------------------------------------------------------

def test_not_a_list(tmp_path):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by: Dr Ann Lee"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 3: front matter 'approved-by': "
                              "expected a list of sign-offs, found 'Dr Ann Lee'")
    assert "- name: Dr Ann Lee" in message and "role: Clinical lead" in message


def test_one_mapping_without_the_dash_is_not_a_list(tmp_path):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:",
                                     "  name: Dr Ann Lee", "  role: Clinical lead",
                                     "  date: 2026-11-20"))
    assert "line 3: front matter 'approved-by': expected a list of sign-offs, found a mapping" \
        in message


def test_an_entry_that_is_not_a_mapping(tmp_path):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:", *LEAD,
                                     "  - Sam Roe"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 8: front matter 'approved-by', "
                              "entry 2: expected 'name:', 'role:' and 'date:', found 'Sam Roe'")
    assert "How to fix: write each sign-off as a list entry" in message


@pytest.mark.parametrize("key, lines", [
    ("name", ("  - role: Clinical lead", "    date: 2026-11-20")),
    ("name", ("  - name: ''", "    role: Clinical lead", "    date: 2026-11-20")),
    ("role", ("  - name: Dr Ann Lee", "    date: 2026-11-20")),
    ("role", ("  - name: Dr Ann Lee", "    role:", "    date: 2026-11-20")),
])
def test_a_missing_or_empty_name_or_role(tmp_path, key, lines):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:", *LEAD, *lines))
    assert f"line 8: front matter 'approved-by', entry 2: the sign-off has no '{key}'" in message
    assert f"How to fix: add '{key}: " in message


def test_a_name_that_is_not_text(tmp_path):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:",
                                     "  - name: [Dr Ann Lee, Sam Roe]", "    role: Clinical lead",
                                     "    date: 2026-11-20"))
    assert "line 4: front matter 'approved-by', entry 1, 'name': expected text, found a list" \
        in message


def test_a_missing_date(tmp_path):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:",
                                     "  - name: Dr Ann Lee", "    role: Clinical lead"))
    assert "line 4: front matter 'approved-by', entry 1: the sign-off has no 'date'" in message
    assert "date: 2026-11-20" in message


@pytest.mark.parametrize("written", ["2026-02-30", "last week", "20/11/2026"])
def test_a_date_that_is_not_a_date(tmp_path, written):
    message = error_of(write_article(tmp_path, "title: Heat", "approved-by:", *LEAD,
                                     "  - name: Sam Roe", "    role: Patient reader",
                                     f"    date: {written}"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 10: front matter 'approved-by', "
                              f"entry 2, 'date': {written!r} is not a date")
    assert "YYYY-MM-DD" in message
