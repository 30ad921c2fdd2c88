"""A fresh clone has everything ``make test`` and ``make pdf`` need, and nothing beside it.

The repository's current commit is cloned into an empty temporary folder, as a
contributor or a clinic would get it. There:

- no test reads the shared folder beside the checkout (the CSL suite's gate is
  ``make csl-suite``, apart);
- nothing the project uses is left out of the commit by being untracked or ignored here;
- ``make -n test`` sets everything up from the clone alone (the venv, the fonts, Ace,
  axe, the braille and speech tools), then runs pytest;
- ``make setup`` really makes the clone its own venv (pip, from the package mirror), the
  tests all import there (pytest collects them without an error), and ``make pdf`` builds
  the leaflet from nothing: the fonts' stamp is made by tools/install-fonts.sh, not
  borrowed from this checkout.

The tools ``make test`` installs with npm (Ace, axe) are not installed in the clone: that
is ``.ci/run``'s whole run, and the network's. About two minutes, most of it pip.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

PROJECT = Path(__file__).resolve().parents[1]
SETUP_TIMEOUT = 600
# What a test may not name: the folder beside the checkout.
# The folder beside a developer's checkout, however a test might name it (spelt in pieces, so
# that this file itself is not one that names it).
SHARED = "sha" + "red"
OUTSIDE = re.compile(rf"\.\./{SHARED}|parent\s*/\s*[\"']{SHARED}[\"']|{SHARED}/csl-test-suite")
# Left in a working checkout by its own runs, never needed by a clone.
LOCAL_LEFTOVERS = re.compile(r"(^|/)(__pycache__|\.pytest_cache|\.hypothesis)/|\.pyc$"
                             r"|^bench/(results|profile)\.json$|^bench/profile\.txt$|^bench/\.cache/|\.egg-info/")


def run(command: list[str], cwd: Path, timeout: float = SETUP_TIMEOUT) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("MAKEFLAGS", "VIRTUAL_ENV", "PYTHONPATH", "PYTEST_ADDOPTS")}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"{' '.join(command)} failed in {cwd}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fresh") / "leaflets"
    commit = run(["git", "rev-parse", "HEAD"], PROJECT).stdout.strip()
    run(["git", "clone", "--quiet", "--no-hardlinks", str(PROJECT), str(folder)], PROJECT)
    run(["git", "checkout", "--quiet", "--detach", commit], folder)
    return folder


def test_no_test_reads_anything_beside_the_checkout(clone):
    offenders = [f"{path.relative_to(clone)}:{number}: {line.strip()}"
                 for path in sorted((clone / "tests").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if OUTSIDE.search(line) and path.name != Path(__file__).name]
    assert offenders == []


def holds_only_leftovers(path: str) -> bool:
    """A folder of nothing but a checkout's leftovers: a package renamed since leaves its
    __pycache__ behind in every checkout that ran it."""
    folder = PROJECT / path
    return folder.is_dir() and all(LOCAL_LEFTOVERS.search(file.relative_to(PROJECT).as_posix())
                                   for file in folder.rglob("*") if file.is_file())


def test_nothing_the_project_uses_is_left_out_of_the_commit():
    """Files here that a clone would not have: untracked, or ignored (a fixture in a folder
    called build/, a font stamp, a generated file a test reads)."""
    listed = run(["git", "ls-files", "--others", "--exclude-standard", "--ignored", "--directory",
                  "--", "pipeline", "styles", "source", "tests", "bench", "tools", "Makefile",
                  "pyproject.toml", "setup.py", "MANIFEST.in"], PROJECT).stdout.splitlines()
    untracked = run(["git", "ls-files", "--others", "--exclude-standard", "--",
                     "pipeline", "styles", "source", "tests", "bench", "tools"], PROJECT).stdout.splitlines()
    missing = [path for path in listed + untracked
               if not LOCAL_LEFTOVERS.search(path) and not holds_only_leftovers(path)]
    assert missing == [], f"a clone would not have these (commit them, or stop using them): {missing}"


def test_make_test_sets_everything_up_from_the_clone_alone(clone):
    steps = run(["make", "-n", "test"], clone).stdout
    for step in ("-m venv .venv", "pip install --quiet -e '.[test]'", "bash tools/install-ace.sh",
                 "bash tools/install-axe.sh", "bash tools/install-formats.sh",
                 "bash tools/install-fonts.sh", ".venv/bin/python -m pytest"):
        assert step in steps, f"make test does not run {step!r}:\n{steps}"
    assert "shared" not in steps and "csl_suite" not in steps


def test_make_setup_and_make_pdf_work_in_the_clone(clone):
    run(["make", "setup"], clone)
    collected = run([str(clone / ".venv" / "bin" / "python"), "-m", "pytest", "--collect-only", "-q",
                     "-p", "no:cacheprovider"], clone).stdout
    assert re.search(r"^\d+ tests collected", collected, re.MULTILINE), collected[-2000:]
    assert "error" not in collected.splitlines()[-1].lower()

    built = run(["make", "pdf"], clone)
    assert (clone / ".tools" / "fonts.installed").is_file()  # made by the clone's own make
    pdf = clone / "output" / "sciatica-massage.pdf"
    assert "wrote output/sciatica-massage.pdf" in built.stdout
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "sciatica" in text.lower()
    again = run(["make", "pdf"], clone)
    assert "wrote" not in again.stdout and "up to date: nothing to build" in again.stderr
