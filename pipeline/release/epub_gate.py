"""Every EPUB is EPUBCheck-clean before it is published.

A release runs EPUBCheck (the ``epubcheck`` package's jar, with
``config.EPUBCHECK_JAVA_OPTIONS``) on each EPUB and narrated EPUB it would publish that the
archive does not hold yet: a new version's, or a format added to an archived version (the
archive's own were checked when they went in). An error or a fatal finding stops the
release before anything changes (exit 1), like a leaflet that fails to build: the
previous release stays whole, rather than a site that quietly lost a leaflet, or one that
offers a file an e-reader cannot open. Warnings are not findings here (``make check``
shows them). An EPUB that passed is remembered by its sha256 in ``build/.epubcheck.json``,
so a release checks only what was built since (EPUBCheck's Java takes a few seconds a file).

Two run at once (one per core); each Java dies with the release (``die_with_parent``).
"""
from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..config import EPUBCHECK_JAVA_OPTIONS, LIBRARY_JOBS
from ..errors import PipelineError
from ..files import atomic_output
from ..processes import die_with_parent
from .catalogue import sha256_of

EPUB_KINDS = ("epub", "narrated-epub")
PASSED = ".epubcheck.json"  # in build/: the sha256 of each EPUB that passed
FAILING = ("ERROR", "FATAL")
TIMEOUT_SECONDS = 300
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
    with ThreadPoolExecutor(max_workers=max(1, min(LIBRARY_JOBS, len(todo)))) as pool:
        results = list(pool.map(epubcheck_problem, todo))
    errors = []
    for path, problem in zip(todo, results):
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


def epubcheck_problem(epub: Path) -> EpubCheckError | None:
    """None if EPUBCheck finds no error in ``epub``, else the error to report."""
    from epubcheck import const
    from epubcheck.models import Message
    hint = ("the EPUB was built from the article but is not valid; nothing was published. "
            "Check the article's front matter and raw HTML for what the finding names, and "
            "report it with the article if the article looks right")
    environment = {**os.environ}
    environment.setdefault("JAVA_TOOL_OPTIONS", EPUBCHECK_JAVA_OPTIONS)
    try:
        done = subprocess.run([const.JAVA, "-Duser.language=en", "-jar", const.EPUBCHECK, str(epub),
                               "-q", "--json", "-"], capture_output=True, env=environment,
                              timeout=TIMEOUT_SECONDS, preexec_fn=die_with_parent)
        findings = Message.from_data(json.loads(done.stdout.decode("utf-8", "replace")))
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        return EpubCheckError(f"EPUBCheck could not check this EPUB ({error}), so it was not "
                              "published", file=epub,
                              hint="check that Java 17 is installed (java -version), then run "
                                   "the release again")
    failing = [finding for finding in findings if finding.level in FAILING]
    if not failing and done.returncode == 0:
        return None
    shown = "; ".join(f"{finding.id} {finding.message} ({finding.location})"
                      for finding in failing[:SHOWN])
    more = f" and {len(failing) - SHOWN} more" if len(failing) > SHOWN else ""
    return EpubCheckError(f"fails EPUBCheck, so it is not published: {shown or 'no report'}{more}",
                          file=epub, hint=hint)
