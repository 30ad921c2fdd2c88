"""The report: printed for the author, and written as <stem>.report.json and
<stem>.report.html (from styles/templates/report.html, so a clinic can
restyle it)."""
from __future__ import annotations

import json
from pathlib import Path

from ..config import Settings
from ..styles.templates import template_environment
from ..files import atomic_output
from .findings import ERROR, NOT_RUN, WARNING, Report

REPORT_TEMPLATE = "report.html"
ORDER = {ERROR: 0, NOT_RUN: 1, WARNING: 2}


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
    template = template_environment(settings.styles_dir / "templates").get_template(REPORT_TEMPLATE)
    findings = sorted(report.findings, key=lambda f: ORDER[f.severity])
    with atomic_output(html_path) as temporary:
        temporary.write_text(template.render(report=report, findings=findings,
                                             summary=report.as_dict()["summary"]),
                             encoding="utf-8")
    return [json_path, html_path]
