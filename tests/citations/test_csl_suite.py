"""The CSL processor test suite through the citation engine: no fixture may start failing.

Runs every fixture of ``<checkout>/../shared/csl-test-suite`` through
``bench/csl_suite.py`` (the engine the build uses, one worker process a
core, a time limit a fixture) and compares the failing ones with
``bench/csl-suite-known-failures.txt``: a fixture that fails and is not
listed is a regression, and a listed one that passes must come off the list.
About 20 s on two cores.
"""
from __future__ import annotations

import pathlib

import pytest

from bench import csl_suite

PROJECT = pathlib.Path(__file__).resolve().parents[2]
SUITE = PROJECT.parent / "shared" / "csl-test-suite"


@pytest.fixture(scope="module")
def outcomes() -> list[csl_suite.Outcome]:
    assert SUITE.is_dir(), (f"the CSL test suite is not at {SUITE}: a copy of shared/ "
                            f"belongs beside the checkout")
    paths = csl_suite.fixture_paths(SUITE)
    assert paths, f"no fixtures (*_*.txt) in {SUITE}"
    return csl_suite.run_suite(paths)


def test_no_fixture_fails_that_is_not_a_known_failure(outcomes):
    known = csl_suite.read_known_failures()
    new = [outcome for outcome in outcomes
           if outcome.counted and outcome.status != "pass" and outcome.name not in known]
    assert not new, (f"{len(new)} CSL test suite fixture(s) now fail that passed before "
                     f"(not in {csl_suite.KNOWN_FAILURES.name}):\n\n"
                     + "\n\n".join(describe(outcome) for outcome in new))


def test_every_known_failure_still_fails(outcomes):
    known = csl_suite.read_known_failures()
    passing = {outcome.name for outcome in outcomes if outcome.status == "pass"}
    ran = {outcome.name for outcome in outcomes}
    fixed = sorted(name for name in known if name in passing)
    missing = sorted(name for name in known if name not in ran)
    assert not fixed, (f"these fixtures pass now: take them off {csl_suite.KNOWN_FAILURES}: "
                       + ", ".join(fixed))
    assert not missing, (f"{csl_suite.KNOWN_FAILURES} lists fixtures that are not in {SUITE}: "
                         + ", ".join(missing))


def describe(outcome: csl_suite.Outcome) -> str:
    expected = "\n".join(f"    {line}" for line in outcome.expected)
    if outcome.status == "crash":
        return f"{outcome.name} (crash: {outcome.error})\n  expected:\n{expected}"
    actual = "\n".join(f"    {line}" for line in outcome.actual or [])
    return f"{outcome.name}\n  expected:\n{expected}\n  actual:\n{actual}"
