"""The points clinics are audited on (Patient Information Forum criteria, NHS
Accessible Information Standard), read from the front matter: who wrote it
and with what credentials, when, which version, when it is reviewed, its
sources, how to contact the clinic, which other formats exist, and whether
it has been signed off for patients."""
from __future__ import annotations

import datetime as dt

from ..config import KNOWN_FRONT_MATTER_FIELDS, REVIEW_WARNING_DAYS
from ..article.front_matter import Article
from .findings import ERROR, WARNING, Report

AREA = "patient information"


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
    for name, line in article.field_lines:
        if name not in KNOWN_FRONT_MATTER_FIELDS:
            report.add(WARNING, AREA, f"unknown front-matter field '{name}' is ignored",
                       f"front matter '{name}' (line {line})",
                       "check the spelling against the README's list of fields")


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
        report.add(WARNING, AREA, "the leaflet has no review date", where,
                   "add 'review-date: YYYY-MM-DD', usually one to three years ahead")
    elif review < today:
        report.add(ERROR, AREA, f"the review date {review.isoformat()} has passed", where,
                   "review the leaflet's content, then set a new 'review-date' and 'version'")
    elif (review - today).days <= REVIEW_WARNING_DAYS:
        report.add(WARNING, AREA, f"the review date {review.isoformat()} is in "
                   f"{(review - today).days} days", where, "plan the review of this leaflet")
