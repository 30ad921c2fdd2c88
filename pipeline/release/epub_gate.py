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
start and EPUBCheck's schemas are most of the cost), and dies with the release
(``die_with_parent``).

A release that builds anything starts that Java before it builds (``EpubChecker.warm_up``),
and has it check one EPUB of an earlier build, whose report nobody reads: EPUBCheck loads its
schemas on its first file, some 4 s of one core, which then overlap the build instead of
following it. The EPUBs to publish reach it on its standard input once they are built.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..config import EPUBCHECK_JAVA_OPTIONS
from ..errors import PipelineError
from ..files import atomic_output
from ..outputs import format_named, output_files
from ..processes import die_with_parent
from .catalogue import sha256_of

EPUB_MEDIA_TYPE = "application/epub+zip"


def epub_kinds() -> set[str]:
    """The kinds of file EPUBCheck looks at: every registered file that is an EPUB."""
    return {file.kind for _, file in output_files() if file.media_type == EPUB_MEDIA_TYPE}


def writes_epubs(format_names: Iterable[str]) -> bool:
    """Whether building these formats writes an EPUB that EPUBCheck will look at."""
    kinds = epub_kinds()
    return any(file.kind in kinds for name in format_names for file in format_named(name).files)


PASSED = ".epubcheck.json"  # in build/: the sha256 of each EPUB that passed
FAILING = ("ERROR", "FATAL")
TIMEOUT_SECONDS = 300  # Java's start, on a busy machine
SECONDS_A_FILE = 30
SHOWN = 5  # findings named in the message; the rest are counted


class EpubCheckError(PipelineError):
    """An EPUB the release would publish fails EPUBCheck; exit code 1."""


def failures(epubs: list[Path], build_dir: Path, checker: EpubChecker | None = None
             ) -> list[EpubCheckError]:
    """EPUBCheck on each of ``epubs`` not known to pass: one error a failing file. ``checker``:
    the release's, started before the build (one is started here otherwise)."""
    passed_file = build_dir / PASSED
    passed = load_passed(passed_file)
    digests = {path: sha256_of(path) for path in epubs}
    todo = [path for path in epubs if digests[path] not in passed]
    if not todo:
        return []
    with contextlib.ExitStack() as stack:
        if checker is None:
            checker = stack.enter_context(EpubChecker(build_dir))
        reports = checker.reports(todo)
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


class EpubChecker:
    """One Java with EPUBCheck (``BATCH``) for a release: started by ``warm_up`` before the
    build, or by ``reports`` when the EPUBs are there; stopped, whatever happened, when the
    release leaves the ``with`` block."""

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.scratch: tempfile.TemporaryDirectory | None = None
        self.java: subprocess.Popen | None = None  # None: not started, or no Java to start

    def __enter__(self) -> EpubChecker:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.java is not None:
            if self.java.poll() is None:  # warmed up for EPUBs that turned out to need no check
                self.java.kill()
            self.java.stdin.close()
            self.java.wait()
        if self.scratch is not None:
            self.scratch.cleanup()

    def warm_up(self) -> None:
        """Start Java now, and have it check an EPUB the build folder already holds (the
        first by name), so that EPUBCheck's schemas are loaded by the time the new ones
        are built. Nothing to warm up on: Java starts all the same."""
        if self.java is None:
            earlier = sorted(self.build_dir.glob("*.epub"))[:1]
            self.start([(epub, self.folder() / "warm-up.json") for epub in earlier])

    def folder(self) -> Path:
        if self.scratch is None:
            self.scratch = tempfile.TemporaryDirectory(prefix="leaflet-epubcheck-")
        return Path(self.scratch.name)

    def start(self, first: list[tuple[Path, Path]]) -> None:
        from epubcheck import const
        program = self.folder() / "EpubCheckBatch.java"
        program.write_text(BATCH, encoding="utf-8")
        with contextlib.suppress(OSError):  # no Java: one_by_one checks each file, and says why not
            self.java = subprocess.Popen(
                java_command(["-cp", const.EPUBCHECK, str(program),
                              *[str(part) for pair in first for part in pair]]),
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=java_environment(), preexec_fn=die_with_parent)

    def reports(self, epubs: list[Path]) -> dict[Path, dict | str]:
        """EPUBCheck's JSON report for each EPUB (or why there is none). Files it did not
        report on are checked one Java each, as EPUBCheck's own command line does (a Java
        without its compiler cannot run ``BATCH``)."""
        from epubcheck import const
        if self.java is None:
            self.start([])
        pairs = [(epub, self.folder() / f"{number}.json") for number, epub in enumerate(epubs)]
        if self.java is not None:
            self.finish(pairs)
        reports: dict[Path, dict | str] = {}
        for epub, report in pairs:
            try:
                reports[epub] = json.loads(report.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                reports[epub] = one_by_one(epub, const.EPUBCHECK)
        return reports

    def finish(self, pairs: list[tuple[Path, Path]]) -> None:
        """Hand Java its files (NUL-separated, as a path may hold any other character), then
        wait for it to check them and stop."""
        request = b"\0".join(os.fsencode(part) for pair in pairs for part in pair)
        try:
            self.java.communicate(request, timeout=TIMEOUT_SECONDS + SECONDS_A_FILE * len(pairs))
        except (OSError, subprocess.TimeoutExpired):
            self.java.kill()  # its files unreported: one_by_one checks them
            self.java.wait()


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
    try:
        return subprocess.run(java_command(arguments), capture_output=True,
                              env=java_environment(), timeout=timeout, preexec_fn=die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)


def java_command(arguments: list[str]) -> list[str]:
    """EPUBCheck's Java (the one its package found), speaking English in its reports."""
    from epubcheck import const
    return [const.JAVA, "-Duser.language=en", *arguments]


def java_environment() -> dict[str, str]:
    environment = {**os.environ}
    environment.setdefault("JAVA_TOOL_OPTIONS", EPUBCHECK_JAVA_OPTIONS)
    return environment


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
# EPUB a tenth of that. Arguments, then standard input up to its end (NUL-separated, UTF-8):
# EPUB, JSON report, EPUB, JSON report, ...
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
        check(args);
        String asked = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (!asked.isEmpty()) {
            check(asked.split("\\0", -1));
        }
    }

    static void check(String[] pairs) throws Exception {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            File epub = new File(pairs[i]);
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(
                    new FileOutputStream(pairs[i + 1]), StandardCharsets.UTF_8))) {
                CheckingReport report = new CheckingReport(out, epub.getPath());
                report.initialize();
                new EpubCheck(epub, report).doValidate();
                report.generate();
            }
        }
    }
}
"""
