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
import reading_pdf
import reading_epub
from pipeline import PipelineError, Settings, build
from pipeline.config import THEME_DIR
from pipeline.errors import SourceError, StyleError
from pipeline.files import STALE_PART_SECONDS
from building import FIXTURES, PROJECT_ROOT, append, epub_only, png_claiming

FIXTURE = FIXTURES / "epub-leaflet"


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
    xhtml = " ".join(reading_epub.epub_read(epub, name).decode() for name in zipfile.ZipFile(epub).namelist()
                     if name.endswith(".xhtml")).lower()
    for forbidden in ("<script", "<iframe", "<object", "<embed", "onclick", "onmouseover",
                      "javascript:", "document.write"):
        assert forbidden not in xhtml, forbidden
    text = reading_epub.epub_text(epub)
    for kept in ("Tap here or there.", "Hover text stays.", "Div text stays."):
        assert kept in text


def test_active_html_is_removed_from_the_pdf(sanitised):
    pdf, _, _ = sanitised
    text = reading_pdf.pdf_text(pdf)
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
    assert kept in reading_epub.epub_text(epub)
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
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    css = theme_dir / "epub.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh5 { font-size 1em; }\n", encoding="utf-8")
    line = len(css.read_text(encoding="utf-8").split("\n")) - 1
    with pytest.raises(StyleError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "out", theme_dir=theme_dir))
    assert str(raised.value).startswith(f"{css}, line {line}: the stylesheet has a syntax error")


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


def test_the_next_build_removes_a_killed_builds_temporary_file_and_nothing_else(article, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    killed = out / f".{article.stem}.pdf.k1lled_2.part"  # as atomic_output names them
    running = out / f".{article.stem}.epub.runn1ng_.part"  # another build's, being written
    others = [out / ".notes.part", out / ".notes.abcd1234.part"]  # the user's: not an output's
    for path in (killed, running, *others):
        path.write_bytes(b"half a file")
    long_ago = time.time() - 2 * STALE_PART_SECONDS
    for path in (killed, *others):
        os.utime(path, (long_ago, long_ago))
    build(article, Settings(out_dir=out))
    assert not killed.exists()
    assert [path.read_bytes() for path in (running, *others)] == [b"half a file"] * 3


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


# --- hostile files: what would exhaust memory or Python's stack ----------------------------------
# Each is made here, a few bytes that claim or nest far more than a leaflet could hold; each
# must be a message naming the file and the line, and never a traceback.

@pytest.mark.parametrize("width, height", [(60000, 60000), (10000, 10000)])
def test_an_image_claiming_an_enormous_size_is_refused_with_its_size(article, tmp_path, width,
                                                                     height):
    """60000 × 60000 is past Pillow's refusal; 10000 × 10000 is where Pillow only warns."""
    (article.parent / "scan.png").write_bytes(png_claiming(width, height))
    line = append(article, "![The whole spine](scan.png)")
    with pytest.raises(SourceError) as raised:
        build(article, Settings(out_dir=tmp_path / "out"))
    assert str(raised.value).startswith(
        f"{article}, line {line}: the image 'scan.png' claims to be {width} × {height} pixels")
    assert "save the picture at a sensible size, e.g. under 4000 × 4000 pixels" in str(raised.value)


def test_a_clinic_logo_claiming_an_enormous_size_is_refused(article, tmp_path):
    (article.parent / "logo.png").write_bytes(png_claiming(60000, 60000))
    (article.parent / "clinic.yaml").write_text("name: Riverside Physiotherapy\nlogo: logo.png\n",
                                                encoding="utf-8")
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\nclinic: clinic.yaml\n", 1), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(
        f"{article.parent / 'clinic.yaml'}: clinic profile: the image 'logo.png' claims to be "
        "60000 × 60000 pixels")


def with_front_matter_line(article: Path, line: str) -> None:
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", f"---\n{line}\n", 1), encoding="utf-8")


def test_front_matter_nested_thousands_deep_is_refused(article, tmp_path):
    with_front_matter_line(article, "keywords: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(
        f"{article}, line 2: the front matter is too large to read: lists or mappings are "
        "nested more than 100 levels deep")


BILLION_LAUGHS_YAML = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 10)}]\n"]
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 9)])


def test_front_matter_whose_aliases_stand_for_billions_of_values_is_refused(article, tmp_path):
    with_front_matter_line(article, BILLION_LAUGHS_YAML.rstrip("\n"))
    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert time.monotonic() - started < 10
    assert f"{article}, line 7: the front matter is too large to read: it stands for more " \
           "than 1,000,000 values" in str(raised.value)


def test_a_clinic_profile_nested_thousands_deep_is_refused(article, tmp_path):
    profile = article.parent / "clinic.yaml"
    profile.write_text("name: Riverside\naddress: " + "[" * 5000 + "]" * 5000 + "\n",
                       encoding="utf-8")
    with_front_matter_line(article, "clinic: clinic.yaml")
    with pytest.raises(SourceError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(
        f"{profile}, line 2: the clinic profile is too large to read: lists or mappings are "
        "nested more than 100 levels deep")


@pytest.mark.parametrize("name, text, line", [
    ("deep.json", '[{"id": "a",\n "title": ' + "[" * 100_000 + "]" * 100_000 + "}]", 2),
    ("deep.json", '[{"id": "a", "title": ' + "[" * 300 + "]" * 300 + "}]", 1),
    ("deep.yaml", "- id: a\n  title: " + "[" * 5000 + "]" * 5000 + "\n", 2),
    ("laughs.yaml", "- id: a\n" + "".join("  " + line + "\n" for line in
                                         BILLION_LAUGHS_YAML.splitlines()), 7),
])
def test_a_bibliography_nested_too_deep_is_refused_at_its_line(article, tmp_path, name, text, line):
    (article.parent / name).write_text(text, encoding="utf-8")
    article.write_text(article.read_text(encoding="utf-8").replace(
        "bibliography: references.json", f"bibliography: {name}"), encoding="utf-8")
    with pytest.raises(PipelineError) as raised:
        build(article, epub_only(tmp_path))
    assert str(raised.value).startswith(f"{article.parent / name}, line {line}: ")
    assert "levels deep" in str(raised.value) or "1,000,000 values" in str(raised.value)


def test_bibtex_nested_thousands_of_braces_deep_builds(article, tmp_path):
    """pandoc flattens BibTeX's braces: its CSL-JSON stays shallow, and the title readable."""
    (article.parent / "deep.bib").write_text(
        "@book{deep, title = {" + "{" * 5000 + "Braces" + "}" * 5000 + "}, author = {Doe, Jane},"
        " year = {2001}}\n", encoding="utf-8")
    article.write_text(article.read_text(encoding="utf-8").replace(
        "bibliography: references.json", "bibliography: [references.json, deep.bib]\nnocite: '@deep'"),
        encoding="utf-8")
    (epub,) = build(article, epub_only(tmp_path))
    assert "Braces" in reading_epub.epub_text(epub)


SVG_START = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'


@pytest.mark.parametrize("svg, message", [
    (SVG_START + "<g>" * 150 + "<rect width='5' height='5'/>" + "</g>" * 150 + "</svg>",
     "nests its elements more than 100 levels deep"),
    (SVG_START + "<g>" * 5000 + "</g>" * 5000 + "</svg>", "nests its elements more than 100 levels deep"),
    (SVG_START + "<rect width='1' height='1'/>" * 60_000 + "</svg>", "has more than 50,000 elements"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol0 "lol">'
     + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)) + "]>"
     + SVG_START + "<text>&lol9;</text></svg>", "declares entities that are made of other entities"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
     + SVG_START + "<text>&secret;</text></svg>", "refers to another file (file:///etc/hostname)"),
])
def test_a_hostile_svg_is_refused_with_what_is_wrong(article, tmp_path, svg, message):
    (article.parent / "drawing.svg").write_text(svg, encoding="utf-8")
    line = append(article, "![A drawing](drawing.svg)")
    with pytest.raises(SourceError) as raised:
        build(article, Settings(out_dir=tmp_path / "out"))
    assert str(raised.value).startswith(f"{article}, line {line}: the SVG image 'drawing.svg' {message}")


def test_an_svg_with_namespace_entities_as_illustrator_writes_builds(article, tmp_path):
    (article.parent / "drawing.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_svg '
        '"http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;" width="10" height="10">'
        '<rect width="10" height="10" fill="#0b4f6c"/></svg>', encoding="utf-8")
    append(article, "![A blue square](drawing.svg)")
    pdf, _ = build(article, Settings(out_dir=tmp_path / "out"))
    assert pypdf.PdfReader(pdf).pages
