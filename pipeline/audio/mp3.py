"""``--to mp3``: the narration encoded by LAME, with ID3 tags and chapters.

The tags: title (TIT2), subtitle (TIT3), authors (TPE1), the leaflet's version
(TXXX:version), its date (TDRC, the article's ``date:``, never the build's),
its language (TLAN, ISO 639-2), and a chapter (CHAP) for the title part and for
each section, listed in order by a top-level table of contents (CTOC). The
chapters' times are where each section starts in the narration's own timing.

The narrated EPUB uses the same audio: a build asked for both makes it once
(``spoken_leaflet`` keeps the last one).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import CHAP, CTOC, ID3, TDRC, TIT2, TIT3, TLAN, TPE1, TXXX, CTOCFlags

from ..article.model import Article
from ..epub.writer import plain, sign_off_words
from ..leaflet import LeafletBuild
from ..processes import run_tool
from .narration import Narration, narration
from .reading import reading_for
from .speech import INSTALL_HINT, SpokenNarration, scratch_folder, speak, voice_for

# LAME: constant bitrate, mono, at eSpeak's 22,050 Hz. 56 kbit/s is the least whose frames
# hold LAME's Info tag (at 48 LAME leaves it out): the tag tells players the encoder's delay
# and padding, so the audio starts and lasts exactly as the narration's timing says (the
# chapters, the narrated EPUB's clips). 4 MB for a 10-minute leaflet. Quality 7 (LAME's
# "fast") encodes twice as fast as its default 5, with no difference to hear in synthetic speech.
MP3_BITRATE_KBPS = 56
LAME_QUALITY = 7
LAME_TIMEOUT_SECONDS = 120
# The ID3 TLAN tag is an ISO 639-2 code; the leaflet's tag has the two-letter ISO 639-1 one.
# A three-letter language subtag is already ISO 639-2; a language not here is "und".
ISO_639_2 = {
    "ar": "ara", "bn": "ben", "cy": "cym", "de": "deu", "en": "eng", "es": "spa", "fa": "fas",
    "fr": "fra", "gu": "guj", "hi": "hin", "it": "ita", "lt": "lit", "lv": "lav", "nb": "nob",
    "nl": "nld", "no": "nor", "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus",
    "so": "som", "sq": "sqi", "ta": "tam", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie",
    "zh": "zho", "ga": "gle", "gd": "gla", "el": "ell", "cs": "ces", "sk": "slk", "hu": "hun",
    "bg": "bul", "hr": "hrv", "sr": "srp", "sl": "slv", "ne": "nep",
}

LAME = "lame"
ID3_VERSION = 3  # ID3v2.3: the version that podcast players and Windows read chapters from
TEXT_ENCODING = 1  # UTF-16 with BOM: ID3v2.3 has no UTF-8
TABLE_OF_CONTENTS_ID = "toc"


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class SpokenLeaflet:
    """The narration, its timing and the finished MP3 (tags included)."""

    narration: Narration
    sample_rate: int
    timings: tuple
    duration_ms: int
    chapters: tuple[Chapter, ...]
    mp3: bytes
    said: tuple[str, ...] = ()  # the SSML each sentence was handed to eSpeak NG as


def write(leaflet: LeafletBuild, path: Path) -> None:
    path.write_bytes(spoken_leaflet(leaflet).mp3)


_last: dict = {}  # the last leaflet spoken, by everything it was made from


def spoken_leaflet(leaflet: LeafletBuild) -> SpokenLeaflet:
    """The MP3 of the leaflet's document; a second call with the same narration
    (``--to mp3,narrated-epub``) gets the same one without speaking it again."""
    article, words = leaflet.article, leaflet.words
    voice = voice_for(article, leaflet.theme.folder)
    title = plain(sign_off_words(leaflet.theme, words).title(article))
    told = narration(leaflet.doc, article, title, words)
    said = what_the_voice_is_given(told, leaflet)
    key = (voice, told.sections, said, title, article.subtitle, article.authors, article.version,
           article.date, article.lang)
    if _last.get("key") != key:
        _last.clear()
        _last.update(key=key, leaflet=made_leaflet(told, said, voice, article, title))
    spoken = _last["leaflet"]
    # The AST's spans are this call's: the cached leaflet's narration has the same ids.
    return SpokenLeaflet(told, spoken.sample_rate, spoken.timings, spoken.duration_ms,
                         spoken.chapters, spoken.mp3, spoken.said)


def what_the_voice_is_given(told: Narration, leaflet: LeafletBuild) -> tuple[str, ...]:
    """Each sentence's SSML, by the reading rules of its words' language (``reading.py``): the
    leaflet's, or English for the pipeline's own words where the language has no strings yet."""
    theme = leaflet.theme
    readings = {None: reading_for(leaflet.article.lang, theme.folder, leaflet.words)}
    for lang in {sentence.lang for sentence in told.sentences} - {None}:
        readings[lang] = reading_for(lang, theme.folder, theme.words(lang))
    return tuple(readings[sentence.lang].ssml(sentence.text, sentence.lang) for sentence in told.sentences)


def made_leaflet(told: Narration, said: tuple[str, ...], voice: str, article: Article,
                 title: str) -> SpokenLeaflet:
    with scratch_folder() as scratch:
        folder = Path(scratch)
        spoken = speak(told, said, voice, folder)
        encoded = folder / "narration.mp3"
        encode(spoken.wav, encoded)
        chapter_list = chapters(told, spoken)
        tag(encoded, article, title, chapter_list)
        return SpokenLeaflet(told, spoken.sample_rate, spoken.timings, spoken.ms(spoken.samples),
                             chapter_list, encoded.read_bytes(), spoken.said)


def chapters(told: Narration, spoken: SpokenNarration) -> tuple[Chapter, ...]:
    """One chapter a section, from its first sentence to the next section's first."""
    starts, index = [], 0
    for section in told.sections:
        starts.append(spoken.timings[index].start)
        index += len(section.sentences)
    ends = [*starts[1:], spoken.samples]
    return tuple(Chapter(section.title, spoken.ms(start), spoken.ms(end))
                 for section, start, end in zip(told.sections, starts, ends))


def encode(wav: Path, target: Path) -> None:
    command = [LAME, "--quiet", "--noreplaygain", "-m", "m", "--cbr", "-b", str(MP3_BITRATE_KBPS),
               "-q", str(LAME_QUALITY), str(wav), str(target)]
    run_tool(command, name="LAME (lame)", doing="encoding the audio",
             purpose="encodes the audio leaflet", timeout=LAME_TIMEOUT_SECONDS,
             install_hint=INSTALL_HINT)


def tag(mp3: Path, article: Article, title: str, chapter_list: tuple[Chapter, ...]) -> None:
    tags = ID3()
    tags.add(TIT2(encoding=TEXT_ENCODING, text=[title]))
    if article.subtitle:
        tags.add(TIT3(encoding=TEXT_ENCODING, text=[article.subtitle]))
    if article.authors:
        tags.add(TPE1(encoding=TEXT_ENCODING, text=[author.name for author in article.authors]))
    if article.version:
        tags.add(TXXX(encoding=TEXT_ENCODING, desc="version", text=[article.version]))
    if article.date:
        tags.add(TDRC(encoding=TEXT_ENCODING, text=[str(article.date.year)]))
    tags.add(TLAN(encoding=TEXT_ENCODING, text=[iso_639_2(article.lang)]))
    ids = [f"chp{number}" for number in range(len(chapter_list))]
    tags.add(CTOC(element_id=TABLE_OF_CONTENTS_ID, flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=ids, sub_frames=[TIT2(encoding=TEXT_ENCODING, text=[title])]))
    for element_id, chapter in zip(ids, chapter_list):
        tags.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                      sub_frames=[TIT2(encoding=TEXT_ENCODING, text=[chapter.title])]))
    tags.save(str(mp3), v2_version=ID3_VERSION)


def iso_639_2(lang: str) -> str:
    """``en-GB`` → ``eng``; a three-letter language is already ISO 639-2."""
    language = lang.split("-")[0].lower()
    if len(language) == 3:
        return language
    return ISO_639_2.get(language, "und")
