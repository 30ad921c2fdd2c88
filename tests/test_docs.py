"""The README and docs/ say only what is so: the files and `make` targets they name exist,
their links lead somewhere, the README stays short, every front-matter field the pipeline
accepts is documented where `make check` says it is, and the speed table is the one
bench/speed.py writes (run as a program, as `make bench` runs it: no test imports bench/).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.article.front_matter import load_article
from pipeline.checks import WARNING, Report
from pipeline.checks.patient_information import check_unknown_fields
from pipeline.config import KNOWN_FRONT_MATTER_FIELDS

PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"
DOCS = PROJECT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
FIELDS_PAGE = DOCS / "writing-a-leaflet.md"
SPEED_PAGE = DOCS / "speed.md"
BENCH = PROJECT / "bench" / "speed.py"
# The markers bench/speed.py writes its table between (its TABLE_START and TABLE_END).
TABLE_START = "<!-- the table below is written by bench/speed.py (make bench): do not edit it by hand -->"
TABLE_END = "<!-- end of the table bench/speed.py writes -->"

README_LIMIT_BYTES = 16 * 1024  # a clinic reads it in five minutes

MODULE_PATH = re.compile(r"pipeline/[\w/]+\.py")
# `make pdf` in running text, or a command line in a code block ("    make check  # ...").
MAKE_IN_TEXT = re.compile(r"`make ([a-z][\w-]*)[^`]*`")
MAKE_IN_CODE = re.compile(r"^(?: {4,}|\t)make ([a-z][\w-]*)", re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
RULE_HEAD = re.compile(r"^([A-Za-z][\w .-]*?)\s*:(?!=)", re.MULTILINE)


def page_id(page: Path) -> str:
    return str(page.relative_to(PROJECT))


def make_targets() -> set[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    return {name for head in RULE_HEAD.findall(text) for name in head.split()}


def prose(text: str) -> str:
    """The text without its code: a link written in an example is not a link."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.DOTALL))


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_the_readme_is_short_enough_to_read_in_five_minutes():
    assert README.stat().st_size <= README_LIMIT_BYTES


def test_there_is_a_page_for_each_part_of_the_reference():
    expected = {"writing-a-leaflet.md", "languages-and-scripts.md", "accessible-formats.md",
                "checks.md", "releasing.md", "speed.md", "architecture.md"}
    assert expected <= {page.name for page in DOCS.glob("*.md")}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_module_a_page_names_exists(page):
    named = set(MODULE_PATH.findall(page.read_text(encoding="utf-8")))
    assert sorted(path for path in named if not (PROJECT / path).is_file()) == []


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_make_target_a_page_names_exists(page):
    text = page.read_text(encoding="utf-8")
    named = set(MAKE_IN_TEXT.findall(text)) | set(MAKE_IN_CODE.findall(text))
    assert sorted(named - make_targets()) == []


def test_the_make_targets_are_read_from_the_makefile():
    """The check above would pass with no targets read at all; these are the README's own."""
    assert {"pdf", "test", "check", "release", "status", "print", "pictures", "watch"} <= make_targets()


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_link_between_pages_leads_to_a_page_and_a_heading_there(page):
    broken = []
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # a web address: not this test's business
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.is_file():
            broken.append(target)
        elif fragment and fragment not in {anchor(h) for h in HEADING.findall(linked.read_text(encoding="utf-8"))}:
            broken.append(target)
    assert broken == []


def test_every_front_matter_field_is_in_the_list_of_fields():
    text = FIELDS_PAGE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w-]+)` \|", text, re.MULTILINE))
    assert listed == set(KNOWN_FRONT_MATTER_FIELDS)


def test_an_unknown_field_points_at_the_page_that_lists_the_fields(tmp_path, caplog):
    article = tmp_path / "leaflet.md"
    article.write_text("---\ntitle: A leaflet\nkeywrods: [back pain]\n---\n\nSome text.\n",
                       encoding="utf-8")
    report = Report(article)
    check_unknown_fields(load_article(article), report)
    [finding] = report.findings
    assert (finding.severity, finding.message) == (WARNING, "unknown front-matter field 'keywrods' is ignored")
    assert "docs/writing-a-leaflet.md" in finding.hint
    assert "keywrods" in caplog.text  # the build's own warning about the field
    assert (PROJECT / "docs" / "writing-a-leaflet.md").is_file()


# --- the speed table: written by bench/speed.py, never by hand ------------------------------------

FAKE_TABLE = ("2026-12-06, Linux x86_64, 2 cores, a test machine, Python 3.11.7; 1 rounds; bench took 1 s\n\n"
              "target                           median (min-max)\n"
              "one leaflet, cold (pdf+epub)     0.50 s (0.49-0.51)")


def write_docs_from(results: dict, page: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(results), encoding="utf-8")
    return subprocess.run([sys.executable, BENCH, "--docs-from", saved, "--docs", page],
                          capture_output=True, text=True, cwd=tmp_path)


def between_markers(text: str) -> str:
    return text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]


def test_the_bench_writes_its_table_between_the_markers_and_leaves_the_rest(tmp_path):
    page = tmp_path / "speed.md"
    page.write_text(f"# Speed\n\nBefore.\n\n{TABLE_START}\n\nan old table\n\n{TABLE_END}\n\nAfter.\n",
                    encoding="utf-8")
    done = write_docs_from({"date": "2026-12-06", "table": FAKE_TABLE}, page, tmp_path)
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert between_markers(text) == f"\n\n```\n{FAKE_TABLE}\n```\n\n"
    assert text.startswith("# Speed\n\nBefore.\n\n") and text.endswith(f"{TABLE_END}\n\nAfter.\n")
    again = write_docs_from({"date": "2026-12-06", "table": FAKE_TABLE}, page, tmp_path)
    assert again.returncode == 0 and page.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_page_without_the_markers_is_an_error_and_is_left_alone(tmp_path):
    page = tmp_path / "speed.md"
    page.write_text("# Speed\n\nA table someone pasted.\n", encoding="utf-8")
    done = write_docs_from({"table": FAKE_TABLE}, page, tmp_path)
    assert done.returncode == 1
    assert "put them back" in done.stderr and "Traceback" not in done.stderr
    assert page.read_text(encoding="utf-8") == "# Speed\n\nA table someone pasted.\n"


def test_a_saved_run_without_a_table_is_an_error(tmp_path):
    page = tmp_path / "speed.md"
    page.write_text(f"{TABLE_START}\n{TABLE_END}\n", encoding="utf-8")
    done = write_docs_from({"date": "2026-12-06"}, page, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert page.read_text(encoding="utf-8") == f"{TABLE_START}\n{TABLE_END}\n"


def test_the_speed_page_holds_a_dated_table_between_the_bench_markers():
    text = SPEED_PAGE.read_text(encoding="utf-8")
    table = between_markers(text).strip()
    assert table.startswith("```\n") and table.endswith("\n```")
    assert re.match(r"\d{4}-\d\d-\d\d, ", table.removeprefix("```\n"))  # the run's date first
