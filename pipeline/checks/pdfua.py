"""PDF/UA-1 (ISO 14289-1), rule by rule, on every PDF edition: the gate a leaflet's PDFs pass
before they go to patients.

The validator is ``page-validation`` (pinned in pyproject.toml; it imports as ``page``), an
open implementation of veraPDF's PDF/UA-1 profile that installs from PyPI without Java.
It names its rules by ids of its own (``PDFUA1-FONT-UNICODE-MAPPING-001``); what each means
is data, ``styles/checks/pdf-ua-1.yaml``: the clause of ISO 14289-1 and veraPDF's test
number (``7.21.7-1``), what the failure means for a reader, and, where the author can do
something about it, what to do. A rule the file does not explain is still an error.

The validator gives one failure a rule, however many objects break it (``checks.failed``
counts them all); the page it names, where it names one, is shown with it.

What the validator does not see, the project's own checks keep (``pdf.py``): whether the
article's paragraphs come back in reading order, and clear print (sizes, line length,
contrast).
"""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from ..errors import StyleError
from .findings import ERROR, NOT_RUN, Report

AREA = "PDF/UA-1"
PROFILE = "ua1"
RULES_FILE = Path("checks") / "pdf-ua-1.yaml"  # in styles/
PAGE_NAMED = re.compile(r"\bpage (\d+)\b")


@dataclass(frozen=True)
class RuleFailure:
    rule: str  # the validator's id, PDFUA1-...
    clause: str  # ISO 14289-1 clause and veraPDF test number, "7.21.7-1"; "" if unknown
    meaning: str  # what it means for a reader
    detail: str  # the validator's own words about the first object that fails it
    page: int | None  # the page it names, if it names one
    fix: str


@dataclass(frozen=True)
class PdfUaResult:
    """What the validator said about one PDF."""

    file: str
    edition: str
    compliant: bool
    rules_total: int
    rules_passed: int
    failed_checks: int  # objects that failed, over all rules
    failures: tuple[RuleFailure, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return asdict(self)


@functools.cache
def rule_explanations(theme_dir: Path) -> dict:
    """The words of ``styles/checks/pdf-ua-1.yaml``; a missing or broken file is the clinic's
    to restore."""
    path = theme_dir / RULES_FILE
    try:
        with path.open(encoding="utf-8") as handle:
            explained = yaml.safe_load(handle)
        if not isinstance(explained.get("rules"), dict):
            raise ValueError("it has no 'rules:'")
        return explained
    except (OSError, yaml.YAMLError, ValueError, AttributeError) as error:
        raise StyleError(f"cannot read the PDF/UA rules' explanations: {error}", file=path,
                         hint="restore it from the project (git checkout styles/)") from None


def validate(pdf: Path, edition: str, theme_dir: Path) -> PdfUaResult:
    """Run the PDF/UA-1 profile on ``pdf``. Raises ``page.PageError`` when the validator cannot
    read it."""
    import page  # the validator: a compiled library, loaded when a check runs

    result = page.validate_pdf(pdf, profile=PROFILE)
    explained = rule_explanations(theme_dir)
    failures = tuple(explain(failure.rule_id, failure.message, explained)
                     for failure in result.failures)
    return PdfUaResult(pdf.name, edition, result.is_compliant, result.rules.total,
                       result.rules.passed, result.checks.failed, failures)


def explain(rule: str, detail: str, explained: dict) -> RuleFailure:
    known = explained["rules"].get(rule, {})
    page_named = PAGE_NAMED.search(detail)
    return RuleFailure(rule, str(known.get("clause", "")),
                       known.get("meaning", explained["unknown-rule"]), detail,
                       int(page_named.group(1)) if page_named else None,
                       known.get("fix", explained["pipeline-fault"]))


def check_pdfua(pdf: Path, edition: str, theme_dir: Path, report: Report) -> PdfUaResult | None:
    """Validate one PDF edition; each failed rule is an error in ``report``, and the result
    goes into ``report.pdf_ua`` for the report's table."""
    try:
        import page
    except ImportError as error:
        report.add(NOT_RUN, AREA, f"the PDF/UA validator could not run ({error})", pdf.name,
                   "install the pipeline's dependencies again: make setup")
        return None
    try:
        result = validate(pdf, edition, theme_dir)
    except page.PageError as error:  # a file it cannot parse, or beyond its safety limits
        report.add(ERROR, AREA, f"the PDF/UA validator cannot read the file ({error})", pdf.name,
                   "build the PDF again with the pipeline")
        return None
    report.pdf_ua[pdf.name] = result.as_dict()
    for failure in result.failures:
        where = f"{pdf.name}, page {failure.page}" if failure.page else pdf.name
        clause = f" {failure.clause}" if failure.clause else ""
        report.add(ERROR, AREA, f"rule{clause} fails: {failure.meaning} (validator: "
                   f"{failure.rule}: {failure.detail})", where, failure.fix)
    return result
