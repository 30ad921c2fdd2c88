"""What a check found, and the report it goes into."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR, WARNING, NOT_RUN = "error", "warning", "not run"
INFO = "info"  # what the gate tells, never a failure (a source's translations)


@dataclass(frozen=True)
class Finding:
    severity: str  # ERROR, WARNING, NOT_RUN (a check that could not run) or INFO
    area: str  # "patient information", "readability", "EPUB", "PDF", "clear print"
    message: str  # what is wrong, with the bad value
    where: str  # the source line, front-matter field or output file it comes from
    hint: str = ""  # how to fix it


@dataclass
class Report:
    leaflet: Path
    findings: list[Finding] = field(default_factory=list)
    readability: dict = field(default_factory=dict)
    measurements: dict = field(default_factory=dict)  # clear-print figures per edition
    pdf_ua: dict = field(default_factory=dict)  # PDF/UA-1 result per PDF file (checks/pdfua.py)
    outputs: list[str] = field(default_factory=list)

    def add(self, severity: str, area: str, message: str, where: str, hint: str = "") -> None:
        self.findings.append(Finding(severity, area, message, where, hint))

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def failed(self, strict: bool) -> bool:
        """Errors fail; with --strict, so do warnings and checks that could not run."""
        if self.count(ERROR):
            return True
        return strict and bool(self.count(WARNING) or self.count(NOT_RUN))

    def as_dict(self) -> dict:
        return {
            "leaflet": str(self.leaflet),
            "summary": {"errors": self.count(ERROR), "warnings": self.count(WARNING),
                        "not_run": self.count(NOT_RUN)},
            "findings": [asdict(finding) for finding in self.findings],
            "readability": self.readability,
            "clear_print": self.measurements,
            "pdf_ua": self.pdf_ua,
            "outputs": self.outputs,
        }
