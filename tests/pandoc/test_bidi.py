"""Writing direction on pandoc's AST (``pipeline/pandoc/bidi.py``): which language tags read
right to left, and the Latin runs of a right-to-left paragraph marked left to right, as
pandoc's HTML shows them. How the built PDF and EPUB read is in
``printed/test_right_to_left.py``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pandoc.bidi import is_right_to_left, with_latin_runs_isolated
from pipeline.pandoc.run import PANDOC


def isolated_html(markdown: str, tmp_path: Path) -> str:
    doc = PANDOC.read(markdown, tmp_path / "leaflet.md", 30)
    return PANDOC.html({**doc, "blocks": with_latin_runs_isolated(doc["blocks"])}, 30).strip()


def test_punctuation_around_a_latin_run_belongs_to_the_sentence(tmp_path):
    assert isolated_html("كما كتب (Kumar and Lee 2013).", tmp_path) == \
        '<p>كما كتب (<span dir="ltr">Kumar and Lee 2013</span>).</p>'


def test_a_number_range_is_a_run_and_a_lone_number_is_not(tmp_path):
    assert isolated_html("المشي 10 أو 10–20 دقيقة.", tmp_path) == \
        '<p>المشي 10 أو <span dir="ltr">10–20</span> دقيقة.</p>'


def test_a_paragraph_all_in_latin_keeps_its_full_stop(tmp_path):
    assert isolated_html("See the NHS website.", tmp_path) == \
        '<p><span dir="ltr">See the NHS website.</span></p>'


@pytest.mark.parametrize("lang, right_to_left", [
    ("ar", True), ("fa-IR", True), ("ur", True), ("ps", True), ("ckb", True), ("he", True),
    ("ku-Arab", True), ("pa-Arab", True), ("en-GB", False), ("pa", False), ("zh-CN", False),
    ("ar-Latn", False)])
def test_the_language_tag_says_which_way_a_leaflet_reads(lang, right_to_left):
    assert is_right_to_left(lang) is right_to_left
