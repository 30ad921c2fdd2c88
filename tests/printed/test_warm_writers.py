"""What the speed-ups must not change: the bytes of the outputs.

A cold command-line build writes its PDF in a forked helper; a warm process
reuses parsed stylesheets and may have laid out a throw-away sample first;
the C libraries' locations and their parsed C declarations come from a cache. Each must give exactly the
files a plain build gives. Real builds, compared byte for byte.
"""
from __future__ import annotations

import ctypes.util
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.config import Settings
from pipeline.printed.editions import EDITIONS
from pipeline.printed.hyphenation import RememberedDictionaries
from pipeline.printed.native_libraries import RememberedParses, remembered_library_lookups
from pipeline.printed.pdf import PROCESS_WRITER
from building import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "epub-leaflet"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leaflet(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "leaflets")
    return tmp_path / "leaflets" / "sciatica-exercises.md"


def test_the_command_line_helper_and_a_warm_process_write_the_same_bytes(tmp_path):
    article = leaflet(tmp_path)
    subprocess.run([sys.executable, "-m", "pipeline", "build", str(article), "--out",
                    str(tmp_path / "cold")], cwd=PROJECT_ROOT, check=True, capture_output=True)
    settings = Settings(out_dir=tmp_path / "warm")
    stylesheets = EDITIONS["standard"].stylesheets(settings.theme_dir, settings.paper)
    PROCESS_WRITER.rehearse(stylesheets, settings, article.parent, article)
    warm = build(article, settings)
    again = build(article, Settings(out_dir=tmp_path / "again"))
    assert [path.name for path in warm] == ["sciatica-exercises.pdf", "sciatica-exercises.epub"]
    for path in warm:
        assert sha256(path) == sha256(tmp_path / "cold" / path.name) == \
            sha256(tmp_path / "again" / path.name), path.name


def test_library_lookups_are_remembered_and_answer_as_ctypes_does(tmp_path):
    names = ("c", "m", "no-such-library-anywhere")
    with remembered_library_lookups(tmp_path):
        first = [ctypes.util.find_library(name) for name in names]
    assert [path.name for path in tmp_path.iterdir()][0].startswith("libraries-")
    assert ctypes.util.find_library.__module__ == "ctypes.util"  # put back afterwards
    assert first == [ctypes.util.find_library(name) for name in names]
    with remembered_library_lookups(tmp_path):
        assert [ctypes.util.find_library(name) for name in names] == first


def test_an_unreadable_cache_is_asked_again(tmp_path):
    with remembered_library_lookups(tmp_path):
        expected = ctypes.util.find_library("c")
    for cached in tmp_path.iterdir():
        cached.write_text("{not json", encoding="utf-8")
    with remembered_library_lookups(tmp_path):
        assert ctypes.util.find_library("c") == expected


def test_remembered_c_declarations_give_the_same_bytes_and_survive_a_broken_cache(tmp_path):
    """A build parses WeasyPrint's C declarations and keeps the trees; the next reads them
    back; a cache file that is garbage is parsed again. All three PDFs are the same."""
    article = leaflet(tmp_path)
    cache = tmp_path / "cache"
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}

    def cold_build(out: str) -> Path:
        subprocess.run([sys.executable, "-m", "pipeline", "build", str(article), "--to", "pdf",
                        "--out", str(tmp_path / out)], cwd=PROJECT_ROOT, env=environment,
                       check=True, capture_output=True)
        return tmp_path / out / "sciatica-exercises.pdf"

    parsed = cold_build("parsed")
    [kept] = (cache / "leaflet-pipeline").glob("c-declarations-*.pickle")
    assert len(pickle.loads(kept.read_bytes())) > 1  # the declarations, and types asked for
    remembered = cold_build("remembered")
    kept.write_bytes(b"not a pickle")
    parsed_again = cold_build("parsed-again")
    assert sha256(parsed) == sha256(remembered) == sha256(parsed_again)
    assert len(pickle.loads(kept.read_bytes())) > 1  # written again


def test_remembered_parses_answer_as_pycparser_does(tmp_path):
    from pycparser import CParser
    source = "typedef int gint;\nstruct point { gint x, y; };\nint area(struct point *p);\n"
    remembered = RememberedParses(CParser, tmp_path / "parses.pickle")
    first = remembered.parse(source)
    again = RememberedParses(CParser, tmp_path / "parses.pickle").parse(source)
    assert again is not first  # a fresh tree each time, as pycparser gives
    assert repr(again) == repr(first) == repr(CParser().parse(source))


def test_remembered_hyphenation_patterns_break_words_as_freshly_parsed_ones(tmp_path):
    import pyphen
    dictionary = pyphen.LANGUAGES["en_GB"]
    words = ("hyperlegibility", "physiotherapist", "musculoskeletal", "anti-inflammatory")
    fresh = pyphen.HyphDict(dictionary)
    first = RememberedDictionaries(tmp_path, {})
    assert dictionary not in first  # nothing kept yet: Pyphen parses it, and keeps it here
    first[dictionary] = fresh
    [kept] = tmp_path.glob("hyphenation-*-hyph_en_GB.pickle")
    again = RememberedDictionaries(tmp_path, {})  # another process
    assert dictionary in again
    assert again[dictionary] is not fresh
    assert [again[dictionary].positions(word) for word in words] == \
        [pyphen.HyphDict(dictionary).positions(word) for word in words]
    kept.write_bytes(b"not a pickle")
    assert dictionary not in RememberedDictionaries(tmp_path, {})  # parsed again, not an error


SEEN_THROUGH_WEASYPRINT = """
import sys

import pytest
from pipeline.printed.fonts import font_dirs
from pipeline.printed.pdf import import_weasyprint
import_weasyprint()
from weasyprint.pdf import fonts  # its names for fontTools' subsetter and instancer
print(type(sys.modules["fontTools.subset"]).__name__,
      type(sys.modules["fontTools.varLib.instancer"]).__name__)
from fontTools.ttLib import TTFont
path = sorted(font_dirs()[0].rglob("*.ttf"))[0]
try:
    fonts.instantiateVariableFont(TTFont(path), {"wght": 400})
except ValueError as error:
    print(error)
subsetter = fonts.subset.Subsetter(fonts.subset.Options())
subsetter.populate(text="Sciatica")
font = TTFont(path)
subsetter.subset(font)
print(len(font.getGlyphOrder()), type(sys.modules["fontTools.subset"]).__name__,
      type(sys.modules["fontTools.varLib.instancer"]).__name__)
"""


def test_fonttools_modules_weasyprint_seldom_uses_are_imported_at_their_first_use(tmp_path):
    """Deferred until a font needs them (printed/deferred_imports.py), fontTools' subsetter
    and variable-font instancer are still the real ones when WeasyPrint uses them."""
    result = subprocess.run([sys.executable, "-c", SEEN_THROUGH_WEASYPRINT], cwd=PROJECT_ROOT,
                            check=True, capture_output=True, text=True)
    not_yet, refused, used = result.stdout.splitlines()
    assert not_yet == "ModuleOnFirstUse ModuleOnFirstUse"  # the import of WeasyPrint paid for neither
    assert refused == "Missing required table fvar"  # fontTools' own answer for a static font
    glyphs, *modules = used.split()
    assert int(glyphs) == 6  # .notdef and S c i a t (the letters of "Sciatica")
    assert modules == ["module", "module"]


def test_an_epub_that_cannot_start_while_the_helper_writes_the_pdf_fails_the_build_cleanly(
        article, tmp_path):
    """A cold build's helper has the PDF's HTML before pandoc starts on the EPUB
    (``PdfWriter.while_writing``): the EPUB's error then comes while the PDF is being
    written, and must still be the build's one clear error, with no PDF half written."""
    from pipeline.build import PLAIN, Shortcuts, first_edition_stylesheets
    from pipeline.errors import StyleError
    from pipeline.printed.pdf import PdfHelper
    theme_dir = tmp_path / "styles"
    shutil.copytree(PROJECT_ROOT / "styles", theme_dir)
    (theme_dir / "epub.css").unlink()
    out = tmp_path / "out"
    settings = Settings(formats=("pdf", "epub"), out_dir=out, theme_dir=theme_dir)
    helper = PdfHelper(first_edition_stylesheets(settings), settings, article)
    try:
        with pytest.raises(StyleError) as raised:
            build(article, settings, Shortcuts(pandoc=PLAIN.pandoc, pdf_writer=helper))
    finally:
        helper.close()
    assert str(raised.value).startswith(f"{theme_dir / 'epub.css'}: a stylesheet is missing")
    assert not out.exists() or not any(out.iterdir())  # neither output, nor a temporary file
