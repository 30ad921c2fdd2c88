"""Every EPUB is EPUBCheck-clean before it is published.

A release runs EPUBCheck (the ``epubcheck`` package's jar, with
``config.EPUBCHECK_JAVA_OPTIONS``) on each EPUB and narrated EPUB it would publish that the
archive does not hold yet: a new version's, or a format added to an archived version (the
archive's own were checked when they went in). An error or a fatal finding stops the
release before anything changes (exit 1), like a leaflet that fails to build: the
previous release stays whole, rather than a site that quietly lost a leaflet, or one that
offers a file an e-reader cannot open. Warnings are not findings here (``make check``
shows them). An EPUB that passed is remembered by its sha256 in ``build/.epubcheck.json``,
so a release checks only what was built since. One Java checks them all (``BATCH``: its
start is most of the cost), and dies with the release (``die_with_parent``).
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from ..config import EPUBCHECK_JAVA_OPTIONS
from ..errors import PipelineError
from ..files import atomic_output
from ..outputs import output_files
from ..processes import die_with_parent
from .catalogue import sha256_of

EPUB_MEDIA_TYPE = "application/epub+zip"


def epub_kinds() -> set[str]:
    """The kinds of file EPUBCheck looks at: every registered file that is an EPUB."""
    return {file.kind for _, file in output_files() if file.media_type == EPUB_MEDIA_TYPE}


PASSED = ".epubcheck.json"  # in build/: the sha256 of each EPUB that passed
FAILING = ("ERROR", "FATAL")
TIMEOUT_SECONDS = 300  # Java's start, on a busy machine
SECONDS_A_FILE = 30
SHOWN = 5  # findings named in the message; the rest are counted


class EpubCheckError(PipelineError):
    """An EPUB the release would publish fails EPUBCheck; exit code 1."""


def failures(epubs: list[Path], build_dir: Path) -> list[EpubCheckError]:
    """EPUBCheck on each of ``epubs`` not known to pass: one error a failing file."""
    passed_file = build_dir / PASSED
    passed = load_passed(passed_file)
    digests = {path: sha256_of(path) for path in epubs}
    todo = [path for path in epubs if digests[path] not in passed]
    if not todo:
        return []
    reports = epubcheck_reports(todo)
    errors = []
    for path in todo:
        problem = problem_in(path, reports.get(path))
        if problem is None:
            passed.add(digests[path])
        else:
            errors.append(problem)
    with atomic_output(passed_file) as temporary:
        temporary.write_text(json.dumps(sorted(passed), indent=0) + "\n", encoding="utf-8")
    return errors


def load_passed(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {item for item in data if isinstance(item, str)} if isinstance(data, list) else set()


def epubcheck_reports(epubs: list[Path]) -> dict[Path, dict | str]:
    """EPUBCheck's JSON report for each EPUB (or why there is none), from one Java run
    (``BATCH``); files it did not report on are checked one Java each, as EPUBCheck's
    own command line does (a Java without its compiler cannot run ``BATCH``)."""
    from epubcheck import const
    reports: dict[Path, dict | str] = {}
    with tempfile.TemporaryDirectory(prefix="leaflet-epubcheck-") as scratch:
        folder = Path(scratch)
        (folder / "EpubCheckBatch.java").write_text(BATCH, encoding="utf-8")
        pairs = [(epub, folder / f"{number}.json") for number, epub in enumerate(epubs)]
        run_java(["-cp", const.EPUBCHECK, str(folder / "EpubCheckBatch.java"),
                  *[str(part) for pair in pairs for part in pair]],
                 TIMEOUT_SECONDS + SECONDS_A_FILE * len(epubs))
        for epub, report in pairs:
            try:
                reports[epub] = json.loads(report.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                reports[epub] = one_by_one(epub, const.EPUBCHECK)
    return reports


def one_by_one(epub: Path, jar: str) -> dict | str:
    done = run_java(["-jar", jar, str(epub), "-q", "--json", "-"], TIMEOUT_SECONDS)
    if isinstance(done, str):
        return done
    try:
        return json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError:
        return done.stderr.decode("utf-8", "replace").strip() or "EPUBCheck wrote no report"


def run_java(arguments: list[str], timeout: float) -> subprocess.CompletedProcess | str:
    """Java with EPUBCheck's options, dying with the release; what went wrong, in words."""
    from epubcheck import const
    environment = {**os.environ}
    environment.setdefault("JAVA_TOOL_OPTIONS", EPUBCHECK_JAVA_OPTIONS)
    try:
        return subprocess.run([const.JAVA, "-Duser.language=en", *arguments], capture_output=True,
                              env=environment, timeout=timeout, preexec_fn=die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)


def problem_in(epub: Path, report: dict | str | None) -> EpubCheckError | None:
    """None if EPUBCheck's ``report`` on ``epub`` has no error, else the error to report."""
    from epubcheck.models import Message
    try:
        findings = Message.from_data(report) if isinstance(report, dict) else None
    except (KeyError, TypeError):
        findings = None
    if findings is None:
        return EpubCheckError(f"EPUBCheck could not check this EPUB ({report or 'no report'}), "
                              "so it was not published", file=epub,
                              hint="check that Java 17 is installed (java -version), then run "
                                   "the release again")
    failing = [finding for finding in findings if finding.level in FAILING]
    if not failing:
        return None
    shown = "; ".join(f"{finding.id} {finding.message} ({finding.location})"
                      for finding in failing[:SHOWN])
    more = f" and {len(failing) - SHOWN} more" if len(failing) > SHOWN else ""
    return EpubCheckError(f"fails EPUBCheck, so it is not published: {shown}{more}", file=epub,
                          hint="the EPUB was built from the article but is not valid; nothing "
                               "was published. Check the article's front matter and raw HTML for "
                               "what the finding names, and report it with the article if the "
                               "article looks right")


# EPUBCheck as a library, in one Java for every EPUB of the release (Java 11+ runs a source
# file as it is): Java's start and EPUBCheck's schemas take some 5 s of CPU, each further
# EPUB a tenth of that. Arguments: EPUB, JSON report, EPUB, JSON report, ...
BATCH = """\
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            File epub = new File(args[i]);
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(
                    new FileOutputStream(args[i + 1]), StandardCharsets.UTF_8))) {
                CheckingReport report = new CheckingReport(out, epub.getPath());
                report.initialize();
                new EpubCheck(epub, report).doValidate();
                report.generate();
            }
        }
    }
}
"""
