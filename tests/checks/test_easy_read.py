"""The easy read rules of `make check`: one small article per rule, and the finding
names the passage; an easy read article that keeps them all passes."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.article.front_matter import load_article
from pipeline.checks import WARNING, Report
from pipeline.checks.easy_read import check_easy_read
from pipeline.errors import SourceError
from pipeline.pandoc.run import markdown_to_ast
from building import FIXTURES

FRONT = "---\ntitle: Walking\nlang: en-GB\neasy-read: true\n---\n\n## Walk\n\n"
GOOD_ROW = "![A person walking](walking.svg) Walk a little every day.\n\n"


def easy_read_findings(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    path = tmp_path / "walking.easy-read.md"
    path.write_text(FRONT + GOOD_ROW + body, encoding="utf-8")
    article = load_article(path)
    report = Report(path)
    check_easy_read(markdown_to_ast(article.markdown, path, 60), article, report)
    assert all(f.severity == WARNING and f.area == "easy read" for f in report.findings)
    return [(f.message, f.where) for f in report.findings]


def test_the_easy_read_fixture_keeps_every_rule():
    path = FIXTURES / "easy-read-leaflet" / "sciatica-exercises.easy-read.md"
    article = load_article(path)
    report = Report(path)
    check_easy_read(markdown_to_ast(article.markdown, path, 60), article, report)
    assert report.findings == []
    assert article.easy_read and article.easy_read_of == path.parent / "sciatica-exercises.md"


@pytest.mark.parametrize("body, message", [
    ("Stop if it hurts.\n",
     "the passage “Stop if it hurts.” has no picture beside it"),
    ("![](stop.svg) Stop if it hurts.\n",
     "the picture stop.svg beside “Stop if it hurts.” has no description"),
    ("![A clock](clock.svg) Walk for a short time in the morning and then again for a short "
     "time at night.\n",
     "the sentence “Walk for a short time in the morning…” has 17 words; easy read keeps "
     "sentences to 15 words or fewer"),
    ("![A clock](clock.svg) Walk slowly, rest often, drink water.\n",
     "the sentence “Walk slowly, rest often, drink water.” joins 3 parts with commas; easy "
     "read says one thing a sentence"),
    ("![A doctor](doctor.svg) Ask your GP.\n",
     "'GP' in “Ask your GP.” is an abbreviation without its meaning"),
    ("![A chart](chart.svg) It helps 60% of people.\n",
     "the passage “It helps 60% of people.” gives a percentage"),
    ("![A crowd](crowd.svg) It helps 2,500 people a year.\n",
     "the passage “It helps 2,500 people a year.” writes the number 2,500 as figures; easy read "
     "uses numbers up to 100"),
    ("![A book](book.svg) Physiotherapists recommend considerable perseverance regarding "
     "rehabilitation.\n",
     "section 'Walk' reads at US school grade"),
])
def test_each_rule_names_the_passage_that_breaks_it(tmp_path, body, message):
    found = easy_read_findings(tmp_path, body)
    assert len(found) == 1, found
    (text, where), = found
    assert text.startswith(message)
    assert where == "line 11, section 'Walk'"


@pytest.mark.parametrize("body", [
    "![A doctor](doctor.svg) Ask your GP (your family doctor).\n",
    "![A doctor](doctor.svg) Ask your family doctor (GP). The GP can help.\n",
    "![A crowd](crowd.svg) Most people feel better in 6 weeks.\n",
])
def test_explained_abbreviations_and_small_numbers_pass(tmp_path, body):
    assert easy_read_findings(tmp_path, body) == []


def test_a_leaflet_that_is_not_easy_read_is_not_held_to_the_rules(tmp_path):
    path = tmp_path / "walking.md"
    path.write_text("---\ntitle: Walking\n---\n\nAsk your GP about 60% of it, or 2,500.\n", encoding="utf-8")
    article = load_article(path)
    report = Report(path)
    check_easy_read(markdown_to_ast(article.markdown, path, 60), article, report)
    assert report.findings == []


def test_easy_read_of_must_name_a_file_next_to_the_article(tmp_path):
    path = tmp_path / "walking.easy-read.md"
    path.write_text("---\ntitle: Walking\neasy-read: true\neasy-read-of: walkng.md\n---\n\nHi.\n",
                    encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_article(path)
    assert raised.value.message == "front matter 'easy-read-of': there is no file 'walkng.md' next to the article"
    assert raised.value.line == 4
    assert "easy-read-of: walking.md" in raised.value.hint


def test_easy_read_must_be_true_or_false(tmp_path):
    path = tmp_path / "walking.md"
    path.write_text("---\ntitle: Walking\neasy-read: sometimes\n---\n\nHi.\n", encoding="utf-8")
    with pytest.raises(SourceError, match="expected true or false"):
        load_article(path)
