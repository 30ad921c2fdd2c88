"""The report: printed for the author, and written as <stem>.report.json and
<stem>.report.html (from styles/templates/report.html, so a clinic can
restyle it).

The HTML report shows what is quicker seen than read: a chart of each
section's reading grade against the target (``charts.py``; the numbers are in
a table too) and the standard edition's pages as pictures, PNG files in
``<stem>.report-pages/page-N.png`` beside the report (files rather than data
URIs: the report stays small to open, and the pictures can be sent on their own).
"""
from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..config import Settings
from ..printed.editions import EDITIONS
from ..printed.page_pictures import page_pictures, save_png
from ..theme.templates import template_environment
from ..files import atomic_output
from ..outputs import output_files
from .charts import grade_chart
from .findings import ERROR, INFO, NOT_RUN, WARNING, Report

REPORT_TEMPLATE = "report.html"
PAGES_FOLDER = "{stem}.report-pages"
PAGE_PICTURE = "page-{number}.png"
PAGE_PICTURE_NAME = re.compile(r"page-(\d+)\.png")
REPORT_PAGE_WIDTH = 180  # pixels: small enough to see the whole leaflet at a glance
ORDER = {ERROR: 0, NOT_RUN: 1, WARNING: 2, INFO: 3}


def as_text(report: Report) -> str:
    lines = [f"== {report.leaflet}: {report.count(ERROR)} error(s), {report.count(WARNING)} "
             f"warning(s), {report.count(NOT_RUN)} check(s) not run"]
    for finding in sorted(report.findings, key=lambda f: ORDER[f.severity]):
        lines.append(f"  {finding.severity}: [{finding.area}] {finding.where}: {finding.message}")
        if finding.hint:
            lines.append(f"      how to fix: {finding.hint}")
    article = report.readability.get("article")
    if article and article.get("sentences"):
        lines.append(f"  readability: Flesch reading ease {article['flesch_reading_ease']}, "
                     f"grade {article['flesch_kincaid_grade']}, SMOG {article['smog']}")
    for name, result in report.pdf_ua.items():
        failed = len(result["failures"])
        lines.append(f"  PDF/UA-1, {name}: {result['rules_passed']} of {result['rules_total']} rules "
                     f"passed" + (f", {failed} failed" if failed else ""))
    for name, figures in report.measurements.items():
        lines.append(f"  clear print, {name}: body {figures['body_pt']:g} pt, smallest "
                     f"{figures['smallest_pt']:g} pt, {figures['line_length_median']} characters "
                     f"a line, lowest contrast {figures['lowest_contrast']}:1")
    return "\n".join(lines)


def write_reports(report: Report, settings: Settings, stem: str) -> list[Path]:
    json_path = settings.out_dir / f"{stem}.report.json"
    html_path = settings.out_dir / f"{stem}.report.html"
    with atomic_output(json_path) as temporary:
        temporary.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    pages = write_report_pages(EDITIONS["standard"].target(settings.out_dir, stem),
                               settings.out_dir / PAGES_FOLDER.format(stem=stem))
    template = template_environment(settings.theme_dir / "templates").get_template(REPORT_TEMPLATE)
    findings = sorted(report.findings, key=lambda f: ORDER[f.severity])
    readability = report.readability
    chart = (grade_chart(readability["sections"], readability["target_grade"])
             if readability.get("sections") else None)
    with atomic_output(html_path) as temporary:
        temporary.write_text(template.render(report=report, findings=findings,
                                             summary=report.as_dict()["summary"],
                                             chart=chart, pages=pages,
                                             validators=validator_rows(report)),
                             encoding="utf-8")
    return [json_path, html_path, *([pages[0].path.parent] if pages else [])]


@dataclass(frozen=True)
class ValidatorRow:
    """One file's result from one outside checker, for the report's table."""

    file: str
    checker: str  # "PDF/UA-1 (page-validation)", "EPUBCheck", "DAISY Ace"
    passed: bool | None  # None: the checker could not run
    result: str  # "104 of 104 rules passed", "2 errors"
    failures: tuple[str, ...] = ()  # each failure, with its clause and page


def validator_rows(report: Report) -> list[ValidatorRow]:
    """The PDF/UA result of every PDF edition, beside EPUBCheck's and Ace's of the EPUB."""
    rows = []
    for name, result in report.pdf_ua.items():
        failures = tuple(f"{failure['clause'] or failure['rule']}"
                         + (f" (page {failure['page']})" if failure["page"] else "")
                         + f": {failure['meaning']}" for failure in result["failures"])
        rows.append(ValidatorRow(f"{name} ({result['edition']})", "PDF/UA-1 (page-validation)",
                                 result["compliant"],
                                 f"{result['rules_passed']} of {result['rules_total']} rules passed",
                                 failures))
    epubs = sorted({finding.where.split(":")[0] for finding in report.findings if finding.area == "EPUB"}
                   | {Path(path).name for path in report.outputs
                      if Path(path).name in epub_names(Path(report.leaflet).stem)})
    for epub in epubs:
        for checker, prefix, not_run in (("EPUBCheck", "EPUBCheck", "EPUBCheck could not run"),
                                         ("DAISY Ace", "Ace (", "DAISY Ace could not run")):
            mine = [finding for finding in report.findings if finding.area == "EPUB"
                    and finding.where.split(":")[0] == epub]
            if any(finding.message.startswith(not_run) for finding in mine):
                rows.append(ValidatorRow(epub, checker, None, "could not run"))
                continue
            found = [finding for finding in mine if finding.message.startswith(prefix)]
            errors = sum(1 for finding in found if finding.severity == ERROR)
            rows.append(ValidatorRow(epub, checker, errors == 0,
                                     f"{errors} error(s), {len(found) - errors} warning(s)",
                                     tuple(finding.message for finding in found)))
    return rows


@dataclass(frozen=True)
class PagePicture:
    path: Path
    src: str  # the picture's address from the report: relative, quoted
    number: int
    count: int
    width: int
    height: int


def epub_names(stem: str) -> set[str]:
    return {file.name(stem) for _, file in output_files() if file.media_type == "application/epub+zip"}


def write_report_pages(pdf: Path, folder: Path) -> list[PagePicture]:
    """Each page of ``pdf`` as a small PNG in ``folder``; pictures of pages the leaflet no
    longer has are removed. None without the PDF."""
    if not pdf.is_file():
        return []
    pictures = page_pictures(pdf)
    written = []
    for number, picture in enumerate(pictures, start=1):
        height = round(picture.height * REPORT_PAGE_WIDTH / picture.width)
        small = picture.resize((REPORT_PAGE_WIDTH, height), Image.LANCZOS)
        target = save_png(small, folder / PAGE_PICTURE.format(number=number))
        src = "/".join(urllib.parse.quote(part) for part in (folder.name, target.name))
        written.append(PagePicture(target, src, number, len(pictures), REPORT_PAGE_WIDTH, height))
    for stale in folder.iterdir():
        match = PAGE_PICTURE_NAME.fullmatch(stale.name)
        if match and int(match.group(1)) > len(pictures):
            stale.unlink()
    return written
