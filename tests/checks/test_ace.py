"""The DAISY Ace accessibility checker on real EPUBs.

Ace must be installed first (``make tools``, which ``make test`` depends on):
these tests never skip, because a check that could not run must not pass.
"""
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import pipeline.checks.ace
from pipeline import Settings, build
from pipeline.checks.ace import run_ace
from building import FIXTURES

FIXTURE = FIXTURES / "epub-leaflet" / "sciatica-exercises.md"
CHAPTER = "EPUB/text/ch001.xhtml"
PACKAGE = "EPUB/content.opf"


@pytest.fixture(scope="module")
def epub(tmp_path_factory) -> Path:
    (written,) = build(FIXTURE, Settings(formats=("epub",), out_dir=tmp_path_factory.mktemp("ace-epub")))
    return written


@pytest.fixture(scope="module")
def broken_epub(epub, tmp_path_factory) -> Path:
    """The same EPUB with three known faults: in the chapter, no language on
    <html> and an image without alt text; in the package, no access mode."""
    def break_chapter(xhtml: str) -> str:
        xhtml, removed = re.subn(r'\s(?:xml:)?lang="[^"]*"', "", xhtml, count=2)
        assert removed == 2, "the chapter's <html> should carry lang and xml:lang"
        heading = "<h2>What to do</h2>"
        assert heading in xhtml
        return xhtml.replace(heading, heading + '\n<p><img src="../media/file0.svg" /></p>', 1)

    def break_package(opf: str) -> str:
        opf, removed = re.subn(r'\s*<meta property="schema:accessMode">[^<]*</meta>', "", opf)
        assert removed == 1, "the package should declare schema:accessMode"
        return opf

    target = tmp_path_factory.mktemp("ace-broken") / epub.name
    rewrite_epub(epub, target, {CHAPTER: break_chapter, PACKAGE: break_package})
    return target


def rewrite_epub(source: Path, target: Path, edits: dict) -> None:
    """Copy an EPUB, passing the named members' text through ``edits``; mimetype
    stays first and stored, as the EPUB container requires."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in edits:
                data = edits.pop(info.filename)(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data, compress_type=info.compress_type)
    assert not edits, f"not in the EPUB: {sorted(edits)}"


def test_ace_finds_no_violations_in_our_epub(epub, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Ace is found from the project root, not the working folder
    result = run_ace(epub)
    assert result.ran, result.reason
    assert result.ace_version == "1.4.6"
    assert result.violations == (), "Ace reports:\n" + "\n".join(map(str, result.violations))


def test_ace_reports_known_violations(broken_epub):
    result = run_ace(broken_epub)
    assert result.ran, result.reason
    found = {(v.rule, v.location.split(" ")[0]) for v in result.violations}
    assert ("html-has-lang", CHAPTER) in found, result.violations
    assert ("image-alt", CHAPTER) in found, result.violations
    assert ("metadata-accessmode", PACKAGE) in found, result.violations
    image_alt = next(v for v in result.violations if v.rule == "image-alt")
    assert image_alt.impact == "critical"
    assert '<img src="../media/file0.svg"' in image_alt.location
    assert image_alt.description


@pytest.mark.parametrize("constant", ["ACE", "CHROMIUM"])
def test_missing_tool_is_reported_not_passed(constant, epub, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.checks.ace, constant, tmp_path / "not-installed")
    result = run_ace(epub)
    assert not result.ran
    assert result.violations == ()
    assert "make tools" in result.reason and "bash tools/install-ace.sh" in result.reason
    assert str(tmp_path / "not-installed") in result.reason


def test_ace_failure_is_reported_with_its_output(tmp_path):
    not_an_epub = tmp_path / "broken.epub"
    shutil.copyfile(FIXTURE, not_an_epub)  # Markdown, not a ZIP archive
    result = run_ace(not_an_epub)
    assert not result.ran
    assert "exit code 1" in result.reason
    assert "ZIP archive" in result.reason  # Ace's own words, from its output


def test_ace_that_hangs_is_stopped_and_reported(epub):
    result = run_ace(epub, timeout=0.5)
    assert not result.ran
    assert "did not finish" in result.reason and "0.5 s" in result.reason
