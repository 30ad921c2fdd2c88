"""EPUBCheck before publishing: the one Java a release starts before it builds, warmed up on
an EPUB of an earlier build, reports on the EPUBs it is given afterwards, and on those only."""
from __future__ import annotations

import shutil
import zipfile

from pipeline.release.epub_gate import FAILING, EpubChecker, failures, writes_epubs


def broken_copy(epub, target):
    """The EPUB with its first chapter no longer well-formed."""
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xhtml") and b"<h1" in data:
                data = data.replace(b"</h1>", b"<h1>", 1)
            copy.writestr(info, data)
    return target


def failing(report: dict) -> list[str]:
    return [message["ID"] for message in report["messages"] if message["severity"] in FAILING]


def test_a_warmed_up_checker_reports_on_what_it_is_given_not_on_its_sample(a4_build, tmp_path):
    earlier, new = tmp_path / "build", tmp_path / "new"
    earlier.mkdir(), new.mkdir()
    shutil.copy(a4_build.epub, earlier / "earlier.epub")
    good = shutil.copy(a4_build.epub, new / "good leaflet.epub")  # a space in its name
    broken = broken_copy(a4_build.epub, new / "broken.epub")
    with EpubChecker(earlier) as checker:
        checker.warm_up()
        assert checker.java.poll() is None  # Java is at work on the sample, before any EPUB is ready
        reports = checker.reports([broken, good])
    assert set(reports) == {broken, good}
    assert failing(reports[good]) == []
    assert failing(reports[broken]) and all(code.startswith("RSC-") for code in failing(reports[broken]))
    assert reports[broken]["checker"]["filename"] == "broken.epub"


def test_the_gate_names_the_failing_epub_and_remembers_the_one_that_passed(a4_build, tmp_path):
    good = shutil.copy(a4_build.epub, tmp_path / "good.epub")
    broken = broken_copy(a4_build.epub, tmp_path / "broken.epub")
    with EpubChecker(tmp_path) as checker:
        checker.warm_up()
        (error,) = failures([good, broken], tmp_path, checker)
    assert error.file == broken and "fails EPUBCheck, so it is not published" in str(error)
    assert failures([good], tmp_path) == []  # known to pass: no Java is started for it


def test_only_formats_that_write_an_epub_warm_epubcheck_up():
    assert writes_epubs(("pdf", "epub"))
    assert writes_epubs(("narrated-epub",))
    assert not writes_epubs(("pdf", "large-print", "booklet", "brf", "mp3"))
