"""Bad input never crashes the pipeline or loses a leaflet.

Each case is a file a clinician could really have; the build either gives a
message naming the file, the line and the fix, or builds safely.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdf
import pytest
from PIL import Image

import epubcheck
import helpers
from pipeline import PipelineError, Settings, build
from pipeline.pandoc import run as pandoc_ast
from pipeline.config import STYLES_DIR
from pipeline.errors import RenderError, SourceError, StyleError
from helpers import FIXTURES, PROJECT_ROOT

FIXTURE = FIXTURES / "epub-leaflet"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "leaflets"
    shutil.copytree(FIXTURE, folder)
    return next(folder.glob("*.md"))


def append(article: Path, text: str) -> int:
    """Add ``text`` at the end of the article; return the line it starts on."""
    lines = article.read_text(encoding="utf-8").split("\n")
    article.write_text("\n".join(lines) + "\n" + text + "\n", encoding="utf-8")
    return len(lines) + 1


def epub_only(tmp_path: Path) -> Settings:
    return Settings(formats=("epub",), out_dir=tmp_path / "out")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the file -------------------------------------------------------------------------------------

def test_a_20_mb_file_is_refused_quickly_with_a_size_message(tmp_path):
    huge = tmp_path / "huge.md"
    huge.write_text("---\ntitle: Huge\n---\n\n" + ("Massage helps. " * 1_400_000), encoding="utf-8")
    assert huge.stat().st_size > 20_000_000
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        build(huge, epub_only(tmp_path))
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert str(raised.value).startswith(f"{huge}: the article is 21.0 MB; a leaflet may be at most 1 MB")
    assert "split it into several leaflets" in str(raised.value)
    assert elapsed < 2 and peak < 5_000_000, (elapsed, peak)


# --- images ---------------------------------------------------------------------------------------

def test_a_damaged_image_is_named_with_its_line(article, tmp_path):
    (article.parent / "spine.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 20)
    line = append(article, "![The lower spine](spine.png)")
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(
        f"{article}, line {line}: the image 'spine.png' cannot be read: it is damaged or not an image")
    assert "save it again as PNG or JPEG" in str(raised.value)


def test_an_svg_with_external_references_is_refused(article, tmp_path):
    (article.parent / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>',
        encoding="utf-8")
    line = append(article, "![A diagram](diagram.svg)")
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(
        f"{article}, line {line}: the SVG image 'diagram.svg' refers to another file (file:///etc/hostname)")


def test_a_self_contained_svg_builds(article, tmp_path):
    (article.parent / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
        '<rect width="40" height="20" fill="#0b4f6c"/></svg>', encoding="utf-8")
    append(article, "![A blue bar](diagram.svg)")
    pdf, epub = build(article, Settings(out_dir=tmp_path / "out"))
    assert pypdf.PdfReader(pdf).pages
    with zipfile.ZipFile(epub) as package:
        assert any(name.endswith(".svg") and "media" in name for name in package.namelist())


# --- raw HTML -------------------------------------------------------------------------------------

ACTIVE_HTML = """Tap <a href="javascript:alert(1)" onclick="steal()">here</a> or [there](javascript:alert(2)).

<script>
document.write("gone");
</script>

Watch <iframe src="clip.html">the clip</iframe> and <object data="x.swf"><embed src="y.swf"></object>.

<div onmouseover="steal()">Hover text stays.</div>

::: {onclick="steal()"}
Div text stays.
:::
"""


@pytest.fixture(scope="module")
def sanitised(tmp_path_factory):
    """One build of an article full of active HTML, its warnings and EPUBCheck's verdict."""
    folder = tmp_path_factory.mktemp("active") / "leaflets"
    shutil.copytree(FIXTURE, folder)
    article = next(folder.glob("*.md"))
    append(article, ACTIVE_HTML)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger().addHandler(handler)
    try:
        pdf, epub = build(article, Settings(out_dir=folder.parent / "out"))
    finally:
        logging.getLogger().removeHandler(handler)
    return pdf, epub, [r.getMessage() for r in records if r.levelno == logging.WARNING]


def test_active_html_is_removed_from_the_epub(sanitised):
    _, epub, _ = sanitised
    xhtml = " ".join(helpers.epub_read(epub, name).decode() for name in zipfile.ZipFile(epub).namelist()
                     if name.endswith(".xhtml")).lower()
    for forbidden in ("<script", "<iframe", "<object", "<embed", "onclick", "onmouseover",
                      "javascript:", "document.write"):
        assert forbidden not in xhtml, forbidden
    text = helpers.epub_text(epub)
    for kept in ("Tap here or there.", "Hover text stays.", "Div text stays."):
        assert kept in text


def test_active_html_is_removed_from_the_pdf(sanitised):
    pdf, _, _ = sanitised
    text = helpers.pdf_text(pdf)
    assert "Hover text stays." in text and "document.write" not in text
    raw = pdf.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS " not in raw


def test_each_removal_is_a_warning_naming_its_line(sanitised):
    _, _, warnings = sanitised
    assert len([w for w in warnings if "a leaflet does not run scripts" in w]) >= 7, warnings
    assert all(", line " in w for w in warnings), warnings


def test_the_epub_stays_valid_after_removals(sanitised):
    _, epub, _ = sanitised
    messages = epubcheck.EpubCheck(str(epub)).messages
    assert [m for m in messages if m.level in ("ERROR", "FATAL", "WARNING")] == []


# --- text that would break the EPUB's XHTML (found by tests/test_fuzz.py) ----------------------------

@pytest.mark.parametrize("markdown, kept, warning", [
    ("Pasted \x1b[1mfrom a terminal.", "Pasted [1mfrom a terminal.",
     "removed 1 invisible control character(s) (the first is U+001B)"),
    ("See [the exercises](other leaflet.md) too.", "See the exercises too.",
     "removed the link to the file other leaflet.md"),
    ("See [the start](#nowhere) again.", "See the start again.",
     "removed the link to #nowhere: no heading has that identifier"),
    ("One line<br>and <BR>the next<hr>", "One line", None),
    ("See [the notes](#footnotes).\n\n### Footnotes\n\nText.[^9]\n\n[^9]: A note.\n\n## Refs\n\n"
     "## References\n\nMore.", "See the notes.", None),
])
def test_text_that_xhtml_cannot_hold_leaves_a_valid_epub(article, tmp_path, caplog, markdown, kept,
                                                          warning):
    line = append(article, markdown)
    (epub,) = build(article, epub_only(tmp_path))
    assert kept in helpers.epub_text(epub)
    messages = epubcheck.EpubCheck(str(epub)).messages
    assert [m for m in messages if m.level in ("ERROR", "FATAL", "WARNING")] == []
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    if warning is None:
        assert warned == []
    else:
        assert warned == [f"{article}, line {line}: " + next(w.split(": ", 1)[1] for w in warned)]
        assert warning in warned[0]


# --- styles ---------------------------------------------------------------------------------------

def test_a_stylesheet_syntax_error_names_the_file_and_line(article, tmp_path):
    styles = tmp_path / "styles"
    shutil.copytree(STYLES_DIR, styles)
    css = styles / "epub.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh5 { font-size 1em; }\n", encoding="utf-8")
    line = len(css.read_text(encoding="utf-8").split("\n")) - 1
    with pytest.raises(StyleError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "out", styles_dir=styles))
    assert str(raised.value).startswith(f"{css}, line {line}: the stylesheet has a syntax error")


# --- pandoc ---------------------------------------------------------------------------------------

def test_a_pandoc_that_hangs_is_stopped_with_a_clear_message(article, tmp_path, monkeypatch):
    hanging = tmp_path / "pandoc"
    hanging.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(pandoc_ast, "pandoc_path", lambda: str(hanging))
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


# --- nothing lost ---------------------------------------------------------------------------------

def start_build(article: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(article), "--out", str(out)],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_part_file(out: Path, process: subprocess.Popen) -> None:
    """Until the build is writing (a temporary file exists), so it is stopped mid-way."""
    deadline = time.monotonic() + 30
    while not list(out.glob(".*.part")):
        assert process.poll() is None, "the build ended before it was stopped"
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_build_stopped_mid_way_leaves_the_previous_outputs(article, tmp_path, stop):
    out = tmp_path / "out"
    before = {path.name: sha256(path) for path in build(article, Settings(out_dir=out))}
    append(article, "A new paragraph, being built when the build is stopped.")
    process = start_build(article, out)
    wait_for_part_file(out, process)
    process.send_signal(stop)
    process.communicate(timeout=30)
    assert {path.name: sha256(path) for path in out.iterdir() if not path.name.startswith(".")} == before
    if stop == signal.SIGTERM:  # a stop the build can see cleans up after itself
        assert process.returncode == 130
        assert list(out.glob(".*")) == []


def test_four_builds_at_once_leave_valid_identical_files(article, tmp_path):
    out = tmp_path / "out"
    processes = [start_build(article, out) for _ in range(4)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    pdf, epub = out / f"{article.stem}.pdf", out / f"{article.stem}.epub"
    assert sorted(path.name for path in out.iterdir()) == sorted([pdf.name, epub.name])
    assert pypdf.PdfReader(pdf).pages
    assert zipfile.ZipFile(epub).testzip() is None
    reference = build(article, Settings(out_dir=tmp_path / "reference"))
    assert [sha256(pdf), sha256(epub)] == [sha256(path) for path in reference]


# --- dates from SOURCE_DATE_EPOCH -----------------------------------------------------------------

def test_source_date_epoch_dates_both_outputs_and_keeps_them_identical(article, tmp_path, monkeypatch):
    """A packager's SOURCE_DATE_EPOCH stamps the files (the EPUB's modification date, the ZIP
    entries); the leaflet's own date stays the article's ``date:``; builds stay identical."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 14 November 2023, 22:13:20 UTC
    first = build(article, Settings(out_dir=tmp_path / "one"))
    second = build(article, Settings(out_dir=tmp_path / "two"))
    assert [sha256(path) for path in first] == [sha256(path) for path in second]
    pdf, epub = first
    assert pypdf.PdfReader(pdf).metadata["/CreationDate"] == "D:20261125"  # the article's date:
    with zipfile.ZipFile(epub) as package:
        timestamps = {info.date_time for info in package.infolist()}
        opf = package.read("EPUB/content.opf").decode("utf-8")
    assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf
    assert len(timestamps) == 1, timestamps
