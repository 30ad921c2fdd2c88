"""What the voice is given: the SSML each sentence goes to eSpeak NG as, read back from the
built leaflet (``SpokenLeaflet.said``), and what eSpeak NG makes of it (``espeak-ng -x``,
its phonemes). Emergency numbers digit by digit in English, Arabic and Urdu; doses, ranges,
dates and abbreviations in words; a voice for every language eSpeak NG speaks; the draft
notice first; each narrated EPUB clip on the element that shows what it says.

Leaflets: ``data/`` (English, Arabic, Urdu) and ``tests/braille/data/leaflets/`` (Somali,
Tamil, Tigrinya, Farsi, Pashto, Gujarati).
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.article.front_matter import load_article
from pipeline.audio import mp3 as audio_mp3
from pipeline.audio.reading import reading_for
from pipeline.audio.speech import installed_voices, voice_for
from pipeline.build import build, prepare
from pipeline.config import THEME_DIR, Settings
from pipeline.errors import SourceError, StyleError
from pipeline.leaflet import leaflet_build
from pipeline.theme.strings import strings_for
from building import warnings_recorded

DATA = Path(__file__).parent / "data"
LEAFLETS = Path(__file__).resolve().parents[1] / "braille" / "data" / "leaflets"
SPEECH = THEME_DIR / "speech"
TELEPHONE_999 = re.compile(r'<say-as interpret-as="telephone">[9٩۹]{3}</say-as>')
# Warnings a small leaflet may give until its language has a strings file of its own.
ALLOWED_WARNINGS = (".yaml does not exist",)
OPF = {"opf": "http://www.idpf.org/2007/opf"}
SMIL = {"smil": "http://www.w3.org/ns/SMIL"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def spoken(source: Path, tmp_path: Path, formats=("mp3",)) -> tuple[audio_mp3.SpokenLeaflet, list[Path]]:
    """The leaflet as the build spoke it, and the files it wrote."""
    audio_mp3._last.clear()
    settings = Settings(formats=formats, out_dir=tmp_path)
    with warnings_recorded() as recorder:
        written = build(source, settings)
        article, doc = prepare(source, settings)
        leaflet = audio_mp3.spoken_leaflet(leaflet_build(article, doc, settings))
    assert [m for m in recorder.messages if not any(a in m for a in ALLOWED_WARNINGS)] == []
    return leaflet, written


def phonemes(ssml: str, voice: str) -> str:
    """eSpeak NG's phonemes for ``ssml``, without stress marks, pauses and voice switches."""
    answer = subprocess.run(["espeak-ng", "-q", "-x", "-m", "-v", voice], input=ssml.encode("utf-8"),
                            capture_output=True, check=True)
    text = answer.stdout.decode("utf-8")
    return re.sub(r"\([a-z-]+\)|[',_!:|\s]", "", text)


# --- 999, digit by digit ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en-GB", "ar", "ur"])
def test_999_goes_to_the_voice_digit_by_digit(lang, tmp_path):
    source = DATA / f"when-to-call.{lang}.md"
    leaflet, _ = spoken(source, tmp_path)
    [said] = [ssml for ssml in leaflet.said if "999" in ssml]
    assert TELEPHONE_999.search(said), said
    voice = voice_for(load_article(source))
    nine = phonemes("9", voice)
    heard = phonemes(said, voice)
    assert nine * 3 in heard, (nine, heard)  # "nine nine nine", in the leaflet's language
    assert phonemes("999", voice) not in heard  # not "nine hundred and ninety-nine"
    assert any('<say-as interpret-as="telephone">111</say-as>' in ssml for ssml in leaflet.said)
    assert any('<say-as interpret-as="telephone">0300 123 4567</say-as>' in ssml for ssml in leaflet.said)


def test_english_doses_ranges_dates_and_abbreviations_in_words(tmp_path):
    leaflet, _ = spoken(DATA / "when-to-call.en-GB.md", tmp_path)
    said = " ".join(leaflet.said)
    assert '<sub alias="2 times">2 ×</sub> <sub alias="500 milligrams">500 mg</sub>' in said
    assert '<sub alias="2 to 3">2–3</sub> days' in said
    assert '<sub alias="25th November 2027">25/11/2027</sub>' in said
    assert "Go to A&amp;E if" in said and "<voice" not in said  # English already: no switch of voice
    [abbreviations] = [ssml for ssml in leaflet.said if "A&amp;E" in ssml]
    assert re.search(r"eIa#?ndi", phonemes(abbreviations, "en-gb"))  # "ay and ee"
    [dose] = [ssml for ssml in leaflet.said if "500 mg" in ssml]
    heard = phonemes(dose, "en-gb")
    assert phonemes("milligrams", "en-gb") in heard and phonemes("times", "en-gb") in heard
    assert phonemes("em gee", "en-gb") not in heard


@pytest.mark.parametrize("lang, dose, days", [
    ("ar", '<sub alias="500 ملليغرام">500 mg</sub>', '<sub alias="من 2 إلى 3">2–3</sub>'),
    ("ur", '<sub alias="500 ملی گرام">500 mg</sub>', '<sub alias="2 سے 3">2–3</sub>')])
def test_doses_and_ranges_in_the_leaflet_s_language(lang, dose, days, tmp_path):
    leaflet, _ = spoken(DATA / f"when-to-call.{lang}.md", tmp_path)
    said = " ".join(leaflet.said)
    assert dose in said and days in said


@pytest.mark.parametrize("lang, voice", [("ta", "ta"), ("fa", "fa"), ("gu", "gu")])
def test_small_leaflets_read_their_numbers_for_a_patient(lang, voice, tmp_path):
    source = LEAFLETS / f"back-pain.{lang}.md"
    leaflet, written = spoken(source, tmp_path)
    assert [path.suffix for path in written] == [".mp3"]
    said = " ".join(leaflet.said)
    assert TELEPHONE_999.search(said), said
    assert re.search(r'<say-as interpret-as="telephone">[0۰][3۳][0۰][0۰] [1۱][2۲][3۳] [4۴][5۵][6۶][7۷]</say-as>', said)
    assert re.search(r'<sub alias="[^"]+">[2۲]–[3۳]</sub>', said)
    [ssml] = [ssml for ssml in leaflet.said if TELEPHONE_999.search(ssml)]
    assert phonemes("9", voice) * 3 in phonemes(ssml, voice)


@pytest.mark.parametrize("lang", ["so", "ti", "ps"])
def test_a_language_without_a_voice_is_an_error_naming_it(lang, tmp_path):
    source = LEAFLETS / f"back-pain.{lang}.md"
    with pytest.raises(SourceError) as raised:
        build(source, Settings(formats=("mp3",), out_dir=tmp_path))
    assert f"eSpeak NG has no voice for the language '{lang}'" in str(raised.value)
    assert not list(tmp_path.glob("*.mp3"))


# --- the rules themselves ---------------------------------------------------------------------

def reading(lang: str):
    return reading_for(lang, THEME_DIR, strings_for(lang, THEME_DIR))


@pytest.mark.parametrize("lang", ["ar", "ur", "pl", "ta", "so"])
def test_the_nhs_s_names_are_said_in_english_in_another_language_s_leaflet(lang):
    ssml = reading(lang).ssml("NHS 111, GP, A&E.")
    assert '<voice xml:lang="en-GB">NHS</voice> <say-as interpret-as="telephone">111</say-as>' in ssml
    assert '<voice xml:lang="en-GB">GP</voice>' in ssml and '<voice xml:lang="en-GB">A&amp;E</voice>' in ssml


def test_what_the_article_writes_is_escaped_and_the_ssml_well_formed():
    ssml = reading("en-GB").ssml('Call <speak> & "999" </speak> 0300 123 4567 <say-as x="1">')
    root = etree.fromstring(ssml.encode("utf-8"))
    assert root.tag == "speak"
    assert "".join(root.itertext()).startswith('Call <speak> & "999" </speak>')
    assert [element.tag for element in root] == ["say-as", "say-as"]


def test_a_full_stop_after_markup_is_not_read_as_dot():
    ssml = reading("en-GB").ssml("Call 999.")
    assert "dot" not in subprocess.run(["espeak-ng", "-q", "-x", "-m", "-v", "en-gb"], input=ssml.encode(),
                                       capture_output=True).stdout.decode()
    assert phonemes("dot", "en-gb") not in phonemes(ssml, "en-gb")


@pytest.mark.parametrize("text", ["1999 was a year.", "Page 9990.", "Give 999 mg.", "In 2018;391(10137):2356-67."])
def test_numbers_that_are_not_telephone_numbers_are_left_alone(text):
    assert "telephone" not in reading("en-GB").ssml(text)


def test_every_speech_file_reads_and_every_language_with_one_has_a_voice():
    files = sorted(SPEECH.glob("*.yaml"))
    languages = [path.stem for path in files if path.stem not in ("all", "voices")]
    assert len(languages) >= 28
    article = load_article(DATA / "when-to-call.en-GB.md")
    for lang in languages:
        rules = reading(lang)
        assert len(rules.rules) >= 3, lang
        assert TELEPHONE_999.search(rules.ssml("999")), lang
        assert voice_for(dataclasses.replace(article, lang=lang)) in installed_voices()


def test_a_broken_rule_is_an_error_naming_the_file(tmp_path):
    import shutil
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    (theme_dir / "speech" / "en.yaml").write_text("rules:\n  - find: '(unclosed'\n    say: x\n", encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        reading_for("en", theme_dir, strings_for("en", theme_dir))
    assert "en.yaml" in str(raised.value) and "(unclosed" in str(raised.value)


def every_voice_language() -> list[str]:
    return sorted(installed_voices())


def test_every_language_espeak_ng_speaks_has_a_voice():
    article = load_article(DATA / "when-to-call.en-GB.md")
    for language in every_voice_language():
        assert voice_for(dataclasses.replace(article, lang=language)) == language


# --- the draft notice, and the narrated EPUB's clips ---------------------------------------------

def test_a_draft_is_said_to_be_one_first_in_its_language(tmp_path):
    source = LEAFLETS / "back-pain.fa.md"
    leaflet, _ = spoken(source, tmp_path)
    notice = strings_for("fa", THEME_DIR).word("draft-mark")
    first = leaflet.narration.sentences[0]
    assert first.text.startswith(notice)
    assert leaflet.narration.sections[0].sentences[0] == first
    assert leaflet.timings[0].start == 0


def words_of(text: str) -> list[str]:
    return [word for word in re.sub(r"[^\w\s]", " ", text).casefold().split()]


def shown_text(element: etree._Element) -> str:
    """The element's words as a reader sees them, without the citation marks and note
    references, which the narration does not say."""
    copy = etree.fromstring(etree.tostring(element))
    for mark in copy.xpath("//*[contains(@class, 'citation') or contains(@class, 'footnote-ref')]"):
        for child in list(mark):
            mark.remove(child)
        mark.text = ""
    return "".join(copy.itertext())


def test_each_clip_highlights_what_it_says(tmp_path):
    leaflet, written = spoken(DATA / "when-to-call.en-GB.md", tmp_path, ("mp3", "narrated-epub"))
    sciatica = Path(__file__).resolve().parents[2] / "source" / "sciatica-massage.md"
    leaflet_2, written_2 = spoken(sciatica, tmp_path / "sciatica", ("mp3", "narrated-epub"))
    for told, files in ((leaflet, written), (leaflet_2, written_2)):
        epub = next(path for path in files if path.name.endswith(".narrated.epub"))
        said = {sentence.element_id: sentence.text for sentence in told.narration.sentences}
        archive = zipfile.ZipFile(epub)
        for name in archive.namelist():
            if not name.endswith(".smil"):
                continue
            smil = etree.fromstring(archive.read(name))
            for text in smil.xpath("//smil:text/@src", namespaces=SMIL):
                document, element_id = text.split("#")
                page = etree.fromstring(archive.read(posixpath.normpath(posixpath.join(posixpath.dirname(name), document))))
                [element] = page.xpath(f"//*[@id='{element_id}']")
                assert element.tag not in (f"{XHTML}section", f"{XHTML}table", f"{XHTML}body", f"{XHTML}div")
                shown, spoken_words = words_of(shown_text(element)), words_of(said[element_id])
                assert shown, element_id
                if element.tag == f"{XHTML}tr":  # "Table: Benefit, Description." at the row of headings
                    assert all(word in spoken_words for word in shown)
                else:  # the sentence, or a table cell's after its column's heading
                    assert spoken_words[len(spoken_words) - len(shown):] == shown, (element_id, shown, spoken_words)
        headings = [sentence for sentence in told.narration.sentences if sentence.pause_after_ms >= 600]
        assert headings


def test_the_pipeline_s_own_words_in_english_are_said_in_an_english_voice(tmp_path, caplog):
    """A language without a strings file gets the pipeline's words in English (one warning):
    its voice is not made to spell them out, an English voice says them."""
    import shutil
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    (theme_dir / "strings" / "ta.yaml").unlink(missing_ok=True)
    source = LEAFLETS / "back-pain.ta.md"
    settings = Settings(formats=("mp3",), out_dir=tmp_path / "out", theme_dir=theme_dir)
    audio_mp3._last.clear()
    article, doc = prepare(source, settings)
    leaflet = audio_mp3.spoken_leaflet(leaflet_build(article, doc, settings))
    assert '<speak><voice xml:lang="en">Version 1.0.</voice>\n</speak>' in leaflet.said
    assert '<speak><voice xml:lang="en">End of leaflet.</voice>\n</speak>' in leaflet.said
    assert all("<voice" not in ssml for ssml in leaflet.said if "999" in ssml)
    assert all("ta.yaml does not exist" in record.getMessage() for record in caplog.records
               if record.levelno >= 30)


def test_a_language_with_its_strings_says_them_in_its_own_voice(tmp_path):
    leaflet, _ = spoken(DATA / "when-to-call.ar.md", tmp_path)
    version = strings_for("ar", THEME_DIR).word("version")
    [said] = [ssml for ssml in leaflet.said if version in ssml]
    assert "<voice" not in said


def test_the_narrated_epub_of_a_draft_opens_with_the_notice_spoken_and_shown(tmp_path):
    source = LEAFLETS / "back-pain.fa.md"
    leaflet, written = spoken(source, tmp_path, ("mp3", "narrated-epub"))
    notice = strings_for("fa", THEME_DIR).word("draft-mark")
    epub = next(path for path in written if path.name.endswith(".narrated.epub"))
    archive = zipfile.ZipFile(epub)
    opf_name = etree.fromstring(archive.read("META-INF/container.xml")).xpath(
        "//*[local-name()='rootfile']/@full-path")[0]
    opf = etree.fromstring(archive.read(opf_name))
    items = {item.get("id"): item for item in opf.xpath("//opf:manifest/opf:item", namespaces=OPF)}
    first_overlay = next(items[items[idref].get("media-overlay")] for idref in
                         opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=OPF)
                         if items[idref].get("media-overlay"))
    smil_name = posixpath.join(posixpath.dirname(opf_name), first_overlay.get("href"))
    smil = etree.fromstring(archive.read(smil_name))
    par = smil.xpath("//smil:par", namespaces=SMIL)[0]
    document, element_id = par.find("smil:text", SMIL).get("src").split("#")
    page = etree.fromstring(archive.read(posixpath.normpath(posixpath.join(posixpath.dirname(smil_name), document))))
    [element] = page.xpath(f"//*[@id='{element_id}']")
    assert "".join(element.itertext()).strip().startswith(notice)
    assert par.find("smil:audio", SMIL).get("clipBegin") == "0:00:00.000"
    assert leaflet.narration.sentences[0].text.startswith(notice)
    # the e-book's notice opens the text too, shown, not said a second time
    pages = [etree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith(".xhtml")]
    notices = [div for page in pages for div in page.iter(f"{XHTML}div") if "draft-mark" in (div.get("class") or "")]
    assert len(notices) == 1 and "".join(notices[0].itertext()).strip() == notice
    assert sum(sentence.text.count(notice) for sentence in leaflet.narration.sentences) == 1


@pytest.mark.parametrize("text, expected", [
    ("Open 9:00–17:00.", '<sub alias="9am to 5pm">9:00–17:00</sub>'),
    ("Come at 9:05.", '<sub alias="9 oh 5">9:05</sub>'),
    ("Use 5 ml twice.", '<sub alias="5 millilitres">5 ml</sub>'),
    ("Take 400 mcg.", '<sub alias="400 micrograms">400 mcg</sub>'),
    ("From 2027-11-25.", '<sub alias="25th November 2027">2027-11-25</sub>'),
    ("On 1 March.", '<sub alias="1st March">1 March</sub>'),
    ("Rest, e.g. lie down.", '<sub alias="for example">e.g.</sub>'),
    ("Samaritans: 116 123.", '<say-as interpret-as="telephone">116 123</say-as>'),
    ("Or +44 20 7946 0958.", '<say-as interpret-as="telephone">+44 20 7946 0958</say-as>'),
])
def test_english_reading_rules(text, expected):
    assert expected in reading("en-GB").ssml(text)


@pytest.mark.parametrize("lang", sorted(path.stem for path in SPEECH.glob("*.yaml")
                                        if path.stem not in ("all", "voices", "en")))
def test_each_language_says_doses_and_ranges_in_its_own_words(lang):
    ssml = reading(lang).ssml("2 × 500 mg, 2–3, 999")
    aliases = re.findall(r'<sub alias="([^"]+)">([^<]+)</sub>', ssml)
    assert [found for _, found in aliases] == ["2 ×", "500 mg", "2–3"]
    english = dict((found, alias) for alias, found in re.findall(r'<sub alias="([^"]+)">([^<]+)</sub>',
                                                                 reading("en").ssml("2 × 500 mg, 2–3")))
    for alias, found in aliases:
        assert alias != english[found], (lang, alias)  # its own words, not the English ones
    assert TELEPHONE_999.search(ssml)
