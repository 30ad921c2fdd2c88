"""The community-languages fixture (an approved leaflet in Somali, Tamil, Tigrinya, Farsi,
Pashto and Gujarati, with its references) in braille and read aloud: each language liblouis
writes gets its BRF, read back where its table reads back; each language eSpeak NG speaks gets
its MP3, 999 digit by digit; the others are an error naming the language."""
from __future__ import annotations

import re

import pytest

from building import FIXTURES, warnings_recorded
from pipeline import Settings, build
from pipeline.audio import mp3 as audio_mp3
from pipeline.braille.tables import table_for_language
from pipeline.build import prepare
from pipeline.checks import ERROR, Report
from pipeline.checks.braille import check_brf
from pipeline.config import THEME_DIR
from pipeline.errors import SourceError
from pipeline.leaflet import leaflet_build

COMMUNITY = FIXTURES / "community-languages"
# Somali and Tigrinya have no CSL locale. liblouis's Ethiopic table lacks Tigrinya's own
# letters (ቐ U+1250 and its orders), so only a Tigrinya BRF may lack characters.
ALLOWED_WARNINGS = ("no CSL locale",)
LACKS_CHARACTERS = ("ti",)
BRAILLE = ("so", "ta", "ti", "fa", "gu")
VOICES = ("ta", "fa", "gu")
TELEPHONE = re.compile(r'<say-as interpret-as="telephone">')


def source(lang: str):
    return COMMUNITY / f"sciatica-massage.{lang}.md"


@pytest.mark.parametrize("lang", BRAILLE)
def test_braille(lang, tmp_path):
    with warnings_recorded() as recorder:
        [brf] = build(source(lang), Settings(formats=("brf",), out_dir=tmp_path))
    lacking = ("has no braille for",) if lang in LACKS_CHARACTERS else ()
    assert [m for m in recorder.messages if not any(a in m for a in ALLOWED_WARNINGS + lacking)] == []
    assert set(brf.read_bytes()) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    article, doc = prepare(source(lang), Settings())
    report = Report(leaflet=source(lang))
    check_brf(brf, doc, article, report)
    assert [f.message for f in report.findings
            if f.severity == ERROR and not any(a in f.message for a in lacking)] == []
    if not table_for_language(lang, THEME_DIR).back_translates:
        assert any("proofread" in f.hint for f in report.findings)


@pytest.mark.parametrize("lang", VOICES)
def test_read_aloud(lang, tmp_path):
    audio_mp3._last.clear()
    settings = Settings(formats=("mp3",), out_dir=tmp_path)
    with warnings_recorded() as recorder:
        [mp3] = build(source(lang), settings)
        article, doc = prepare(source(lang), settings)
        leaflet = audio_mp3.spoken_leaflet(leaflet_build(article, doc, settings))
    lacking = ("has no braille for",) if lang in LACKS_CHARACTERS else ()
    assert [m for m in recorder.messages if not any(a in m for a in ALLOWED_WARNINGS + lacking)] == []
    assert mp3.stat().st_size > 10_000
    assert all("<voice" not in ssml for ssml in leaflet.said if "Version" in ssml)  # its own words
    numbers = [ssml for ssml in leaflet.said if re.search(r"[9۹]{3}", ssml)]
    assert all(TELEPHONE.search(ssml) for ssml in numbers)


@pytest.mark.parametrize("lang, formats, message", [
    ("ps", ("brf",), "there is no braille table for the language 'ps'"),
    ("ps", ("mp3",), "eSpeak NG has no voice for the language 'ps'"),
    ("so", ("mp3",), "eSpeak NG has no voice for the language 'so'"),
    ("ti", ("narrated-epub",), "eSpeak NG has no voice for the language 'ti'")])
def test_a_format_the_tools_cannot_make_in_the_language_is_an_error_naming_it(lang, formats, message,
                                                                             tmp_path):
    with warnings_recorded():
        with pytest.raises(SourceError) as raised:
            build(source(lang), Settings(formats=formats, out_dir=tmp_path))
    assert message in str(raised.value)
