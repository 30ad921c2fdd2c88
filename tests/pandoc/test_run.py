"""Running pandoc (``pipeline/pandoc/run.py``): a pandoc that hangs is stopped, what pandoc
rejects is a clear message, and an article nested deeper than pandoc's JSON can be read
back is refused at its line, in seconds, while one nested as deep as allowed builds.
"""
from __future__ import annotations

import time

import pytest

import reading_epub
from building import append, epub_only
from pipeline import Settings, build
from pipeline.limits import MAX_NESTING_DEPTH
from pipeline.errors import RenderError, SourceError
from pipeline.pandoc import command
from pipeline.pandoc import run as pandoc_ast


@pytest.mark.parametrize("kept_running", [True, False], ids=["kept-running", "one-shot"])
def test_a_pandoc_that_hangs_is_stopped_with_a_clear_message(article, tmp_path, monkeypatch,
                                                             kept_running):
    hanging = tmp_path / "pandoc"
    hanging.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(command, "pandoc_path", lambda: str(hanging))
    if kept_running:  # the pandoc kept running is used for the pinned pandoc only
        monkeypatch.setattr(command, "bundled_pandoc", lambda: str(hanging))
    started = time.monotonic()
    with pytest.raises(RenderError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "out", pandoc_timeout=1))
    assert time.monotonic() - started < 10
    assert str(raised.value).startswith(f"{article}: pandoc took longer than 1 s reading the article")


def test_what_pandoc_rejects_is_a_clear_message(article):
    with pytest.raises(RenderError) as raised:
        pandoc_ast.run_pandoc(["--from", "no-such-format"], "text", 10, what="reading the article",
                              file=article)
    assert str(raised.value).startswith(f"{article}: pandoc failed reading the article: ")
    assert "Unknown input format" in str(raised.value)


def nested_list(levels: int) -> str:
    return "\n".join("  " * level + f"- step {level + 1}" for level in range(levels))


def nested_quote(levels: int) -> str:
    return "\n\n".join("> " * level + f"said {level}" for level in range(1, levels + 1))


@pytest.mark.parametrize("levels", [MAX_NESTING_DEPTH + 1, 400])
@pytest.mark.parametrize("nested", [nested_list, nested_quote])
def test_lists_or_quotes_nested_too_deep_are_refused_at_their_line(article, tmp_path, nested,
                                                                   levels):
    start = append(article, nested(levels))
    too_deep = start + MAX_NESTING_DEPTH * (1 if nested is nested_list else 2)
    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert time.monotonic() - started < 20
    assert str(raised.value).startswith(
        f"{article}, line {too_deep}: lists, block quotes or emphasis are nested more than "
        f"{MAX_NESTING_DEPTH} levels deep")
    assert "indent the inner list items less" in str(raised.value)


def test_lists_nested_as_deep_as_allowed_build(article, tmp_path):
    append(article, nested_list(MAX_NESTING_DEPTH))
    (epub,) = build(article, epub_only(tmp_path))
    assert f"step {MAX_NESTING_DEPTH}" in reading_epub.epub_text(epub)


def test_emphasis_nested_beyond_what_json_can_parse_is_refused_at_its_line(article, tmp_path):
    line = append(article, "Plain words.\n\n" + "*_" * 400 + "deepest" + "_*" * 400) + 2
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(f"{article}, line {line}: lists, block quotes or emphasis")
