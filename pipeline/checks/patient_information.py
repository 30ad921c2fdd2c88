"""The points clinics are audited on (Patient Information Forum criteria, NHS
Accessible Information Standard), read from the front matter: who wrote it
and with what credentials, when, which version, when it is reviewed, its
sources, how to contact the clinic, which other formats exist, and whether
it has been signed off for patients."""
from __future__ import annotations

import datetime as dt
import difflib

from ..config import KNOWN_FRONT_MATTER_FIELDS, REVIEW_WARNING_DAYS
from ..article.model import Article
from .findings import ERROR, WARNING, Report

AREA = "patient information"
# The fields the audit asks of every leaflet: a misspelling of one of them (``reveiw-date``)
# leaves the leaflet without it as surely as leaving it out, so the gate fails on it. A
# draft build only warns (article/front_matter.py): the author may be half-way through.
REQUIRED_FIELDS = ("author", "date", "version", "review-date")


def check_patient_information(article: Article, cites_sources: bool, report: Report,
                              today: dt.date) -> None:
    def field(name: str) -> str:
        line = article.line_of_field(name)
        return f"front matter '{name}'" + (f" (line {line})" if line else " (missing)")

    if not article.authors:
        report.add(ERROR, AREA, "the leaflet names no author", field("author"),
                   "add 'author:' with the name and credentials of the clinician who wrote it")
    for author in article.authors:
        if not author.credentials:
            report.add(WARNING, AREA, f"the author {author.name} has no credentials", field("author"),
                       "write the author as 'name:' and 'credentials:' (e.g. MD, MCSP)")
    if article.date is None:
        report.add(ERROR, AREA, "the leaflet has no date of production", field("date"),
                   "add 'date: YYYY-MM-DD', the day this version was produced")
    if not article.version:
        report.add(WARNING, AREA, "the leaflet has no version", field("version"),
                   "add 'version: \"1.0\"' and raise it with every change")
    check_review_date(article, report, today, field("review-date"))
    check_sign_off(article, report, today, field("approved-by"))
    if not cites_sources:
        report.add(WARNING, AREA, "the leaflet cites no sources", field("bibliography"),
                   "cite the evidence with [@key] and a bibliography file")
    if article.clinic is None or not article.clinic.contact_lines:
        report.add(WARNING, AREA, "the leaflet gives no contact details", field("clinic"),
                   "add a clinic profile with an address, phone number or email")
    if not article.alternative_formats:
        report.add(WARNING, AREA, "the leaflet does not say which other formats exist",
                   field("alternative-formats"),
                   "add e.g. 'alternative-formats: [large print, EPUB e-book]'")
    check_unknown_fields(article, report)


def check_unknown_fields(article: Article, report: Report) -> None:
    """An unknown field is a warning; one that looks like a misspelt required field
    (and the field itself is missing) is an error, with the spelling it should have."""
    given = dict(article.field_lines)
    for name, line in article.field_lines:
        if name in KNOWN_FRONT_MATTER_FIELDS:
            continue
        where = f"front matter '{name}' (line {line})"
        meant = misspelt_required_field(name, given)
        if meant is not None:
            report.add(ERROR, AREA, f"unknown front-matter field '{name}': did you mean "
                       f"'{meant}'? The leaflet has no '{meant}' without it", where,
                       f"write '{meant}:' instead of '{name}:'")
            continue
        report.add(WARNING, AREA, f"unknown front-matter field '{name}' is ignored", where,
                   "check the spelling against the list of fields in docs/writing-a-leaflet.md")


def misspelt_required_field(name: str, given: dict[str, int]) -> str | None:
    """The required field ``name`` is a slip for, when that field is not given itself."""
    close = difflib.get_close_matches(name, KNOWN_FRONT_MATTER_FIELDS, n=1)
    if close and close[0] in REQUIRED_FIELDS and close[0] not in given:
        return close[0]
    return None


def check_sign_off(article: Article, report: Report, today: dt.date, where: str) -> None:
    """A draft is built, marked as one; the gate says why it is one. A sign-off dated after
    today is odd (a typing slip in the year?) but the build allows it, so it is a warning."""
    signed = article.latest_approval
    if signed is None and article.sign_offs:
        report.add(WARNING, AREA, f"the leaflet is a draft: no sign-off approves its version "
                   f"{article.version or '(none)'}", where,
                   "when this version has been signed off, add that sign-off to 'approved-by:' "
                   "with the version it approves")
    elif signed is None:
        report.add(WARNING, AREA, "the leaflet is a draft, not approved for patients", where,
                   "when it has been signed off, add 'approved-by:' with each sign-off's "
                   "name, role, date and the version it approves")
    elif article.is_draft:
        report.add(WARNING, AREA, f"the leaflet is a draft: it was changed "
                   f"({article.date.isoformat()}) after its latest sign-off "
                   f"({signed.date.isoformat()})", where,
                   "have the change signed off, and add that sign-off to 'approved-by:'")
    for approval in article.approvals:
        if approval.date > today:
            report.add(WARNING, AREA, f"the sign-off by {approval.name} is dated "
                       f"{approval.date.isoformat()}, after today", where,
                       "check the date: a sign-off is dated the day it was given")


def check_review_date(article: Article, report: Report, today: dt.date, where: str) -> None:
    review = article.review_date
    if review is None:
        report.add(ERROR, AREA, "the leaflet has no review date, so a release withdraws it "
                   "(a leaflet nobody plans to review is not handed out)", where,
                   "add 'review-date: YYYY-MM-DD', usually one to three years ahead")
    elif review < today:
        report.add(ERROR, AREA, f"the review date {review.isoformat()} has passed", where,
                   "review the leaflet's content, then set a new 'review-date' and 'version'")
    elif (review - today).days <= REVIEW_WARNING_DAYS:
        report.add(WARNING, AREA, f"the review date {review.isoformat()} is in "
                   f"{(review - today).days} days", where, "plan the review of this leaflet")
