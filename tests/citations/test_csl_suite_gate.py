"""The CSL suite's regression gate, ``make csl-suite`` (``bench/csl_suite.py --check``), on a
suite of two fixtures written here: the real suite is not part of the repository, and
``make test`` needs nothing beside it. The gate is run as ``make csl-suite`` runs it, as a
program, and judged by its exit code and what it prints.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

FIXTURE = """>>== MODE ==>>
citation
<<== MODE ==<<

>>== RESULT ==>>
{result}
<<== RESULT ==<<

>>===== CSL =====>>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id /><title /><updated>2026-12-06T00:00:00+00:00</updated></info>
  <citation>
    <layout>
      <text variable="title" />
    </layout>
  </citation>
</style>
<<===== CSL =====<<

>>===== INPUT =====>>
[{{"id": "item-1", "title": "Gentle Exercise", "type": "book"}}]
<<===== INPUT =====<<
"""


def suite(folder: Path) -> Path:
    """One fixture the engine passes (the title, as the style prints it), one it fails."""
    folder.mkdir()
    (folder / "title_Printed.txt").write_text(FIXTURE.format(result="Gentle Exercise"),
                                              encoding="utf-8")
    (folder / "title_Expected.txt").write_text(FIXTURE.format(result="Something Else"),
                                               encoding="utf-8")
    return folder


def gate(suite_folder: Path, known: str, tmp_path: Path) -> subprocess.CompletedProcess:
    known_failures = tmp_path / "known-failures.txt"
    known_failures.write_text(known, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "csl_suite.py"), "--check", "--jobs", "1",
         "--suite", str(suite_folder), "--known-failures", str(known_failures)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)


def test_the_gate_passes_when_exactly_the_known_failures_fail(tmp_path):
    done = gate(suite(tmp_path / "suite"), "title_Expected   # expects another title\n", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 of 2 (50.0%)" in done.stdout
    assert "the failing fixtures are the 1 known failures" in done.stdout


def test_a_fixture_that_starts_failing_fails_the_gate_and_is_shown(tmp_path):
    done = gate(suite(tmp_path / "suite"), "# nothing is known to fail\n", tmp_path)
    assert done.returncode == 1
    assert "regression: title_Expected" in done.stdout
    assert "    Something Else" in done.stdout and "    Gentle Exercise" in done.stdout
    assert "1 fixture(s) fail that are not in" in done.stdout


def test_a_known_failure_that_passes_or_is_not_in_the_suite_fails_the_gate(tmp_path):
    done = gate(suite(tmp_path / "suite"),
                "title_Expected  # expects another title\ntitle_Printed  # fixed since\n"
                "title_Gone  # removed from the suite\n", tmp_path)
    assert done.returncode == 1
    assert "these fixtures pass now: take them off" in done.stdout and "title_Printed" in done.stdout
    assert "lists fixtures the suite does not have: title_Gone" in done.stdout


def test_no_suite_is_a_clear_usage_error(tmp_path):
    done = gate(tmp_path / "nowhere", "", tmp_path)
    assert done.returncode == 2
    assert f"the CSL test suite is not at {tmp_path / 'nowhere'}" in done.stderr
    assert "make csl-suite SUITE=<folder>" in done.stderr
