"""eSpeak NG says the narration, one process a sentence, each to its own WAV.

Each sentence goes to the voice as SSML (``espeak-ng -m``), as the language's reading
rules make it (``reading.py``: numbers digit by digit, doses in words); ``SpokenNarration``
keeps what each was given, so a test can read back what the voice was told. The voice
is the one ``styles/speech/voices.yaml`` names for the leaflet's language, or eSpeak NG's
voice of that language.

Speaking sentence by sentence gives each sentence's exact length (its WAV's
frames), so the timing of the chapters and the SMIL clips is the narration's
own, not estimated. The sentences are joined with fixed pauses of silence into
one WAV for LAME. eSpeak NG is deterministic: the same text gives the same
samples, and the sentences are spoken in parallel but joined in order.
"""
from __future__ import annotations

import functools
import os
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..article.model import Article
from ..config import THEME_DIR
from ..errors import RenderError, SourceError, StyleError
from ..processes import run_tool
from ..theme.data_files import load_yaml, version_of
from .narration import Narration

# Words a minute: eSpeak NG's default is 175; a little slower is easier to follow for a
# listener who is unwell or reads in a second language.
NARRATION_WORDS_PER_MINUTE = 160
# eSpeak NG speaks a sentence in a few hundredths of a second; half a minute means it hangs.
ESPEAK_TIMEOUT_SECONDS = 30
# Sentences spoken at once (one eSpeak NG process each): one a core.
SPEECH_JOBS = os.cpu_count() or 1

ESPEAK = "espeak-ng"
VOICES_FILE = "speech/voices.yaml"
INSTALL_HINT = "install eSpeak NG and LAME with 'make tools' (tools/install-formats.sh)"


@dataclass(frozen=True)
class Timing:
    """Where one sentence is in the narration's audio, in samples."""

    start: int
    length: int  # the sentence's own audio
    pause: int  # the silence after it

    @property
    def end(self) -> int:
        """Where the next sentence starts: a clip of this sentence runs to here."""
        return self.start + self.length + self.pause


@dataclass(frozen=True)
class SpokenNarration:
    wav: Path  # mono 16-bit PCM, the whole narration
    sample_rate: int
    timings: tuple[Timing, ...]  # one per sentence of ``narration.sentences``, in order
    said: tuple[str, ...] = ()  # the SSML each sentence was given to the voice as, in order

    @property
    def samples(self) -> int:
        return self.timings[-1].end if self.timings else 0

    def ms(self, samples: int) -> int:
        """Samples as whole milliseconds (ID3 chapters, SMIL clips)."""
        return round(samples * 1000 / self.sample_rate)


def voice_for(article: Article, theme_dir: Path = THEME_DIR) -> str:
    """eSpeak NG's voice for the article's ``lang:``: the whole tag, then its language."""
    tag = article.lang.lower()
    language = tag.split("-")[0]
    installed = installed_voices()
    named = voice_names(theme_dir / VOICES_FILE)
    for candidate in (named.get(tag), tag, named.get(language), language):
        if candidate in installed:
            return candidate
    raise SourceError(
        f"eSpeak NG has no voice for the language {article.lang!r}, so the leaflet cannot be "
        "read aloud", file=article.path, line=article.line_of_field("lang"),
        hint="check the 'lang:' tag (en-GB, pl, ro, ar, ur, hi, bn, pa, cy, zh ...; "
             "'espeak-ng --voices' lists the languages it speaks), or build the other "
             "formats without mp3 and narrated-epub")


def voice_names(path: Path) -> dict[str, str]:
    """``styles/speech/voices.yaml``: a voice by lower-cased language tag."""
    return parsed_voice_names(*version_of(path, "the voices file"))


@functools.lru_cache(maxsize=4)
def parsed_voice_names(path: Path, _mtime: int, _size: int) -> dict[str, str]:
    data = load_yaml(path, "the voices file",
                     "each line is 'language tag: voice'") or {}
    if not isinstance(data, dict) or not all(isinstance(value, str) for value in data.values()):
        raise StyleError("the voices file holds lines that are not 'language tag: voice'", file=path,
                         hint="each line is 'language tag: voice', a voice of 'espeak-ng --voices'")
    return {str(tag).lower(): voice.lower() for tag, voice in data.items()}


@functools.cache
def installed_voices() -> frozenset[str]:
    """The languages of ``espeak-ng --voices`` (its second column), lower-cased."""
    listing = run_espeak(["--voices"], None, "listing its voices").decode("utf-8", "replace")
    return frozenset(line.split()[1].lower() for line in listing.splitlines()[1:] if len(line.split()) > 1)


def speak(narration: Narration, said: tuple[str, ...], voice: str, scratch: Path) -> SpokenNarration:
    """Each sentence, as the SSML in ``said`` (one a sentence, ``reading.py``), to a WAV in
    ``scratch`` (in parallel), then all joined with their pauses into ``scratch/narration.wav``."""
    sentences = narration.sentences
    paths = [scratch / f"sentence-{number:05d}.wav" for number in range(len(sentences))]
    with ThreadPoolExecutor(max_workers=SPEECH_JOBS) as pool:
        list(pool.map(lambda job: say_to_wav(job[0], voice, job[1]), zip(said, paths)))
    target = scratch / "narration.wav"
    sample_rate, timings = join_with_pauses(paths, [s.pause_after_ms for s in sentences], target)
    return SpokenNarration(target, sample_rate, tuple(timings), said)


def say_to_wav(ssml: str, voice: str, path: Path) -> None:
    """One sentence's SSML spoken into ``path`` (``-m``: eSpeak NG reads the markup)."""
    # The text goes in on stdin: as an argument, a sentence starting with "-" would be an option.
    run_espeak(["-v", voice, "-m", "-s", str(NARRATION_WORDS_PER_MINUTE), "-b", "1",
                "-w", str(path)], ssml.encode("utf-8"), "speaking a sentence")


def join_with_pauses(paths: list[Path], pauses_ms: list[int], target: Path) -> tuple[int, list[Timing]]:
    timings = []
    position = 0
    with wave.open(str(target), "wb") as joined:
        sample_rate = None
        for path, pause_ms in zip(paths, pauses_ms):
            with wave.open(str(path), "rb") as sentence:
                if sample_rate is None:
                    sample_rate = sentence.getframerate()
                    joined.setnchannels(1)
                    joined.setsampwidth(2)
                    joined.setframerate(sample_rate)
                if (sentence.getnchannels(), sentence.getsampwidth(), sentence.getframerate()) != (1, 2, sample_rate):
                    raise RenderError(f"eSpeak NG wrote {path.name} in another format "
                                      f"({sentence.getparams()})", hint=INSTALL_HINT)
                frames = sentence.readframes(sentence.getnframes())
            length = len(frames) // 2
            pause = round(pause_ms * sample_rate / 1000)
            joined.writeframes(frames + b"\x00\x00" * pause)
            timings.append(Timing(position, length, pause))
            position += length + pause
    return sample_rate or 0, timings


def run_espeak(args: list[str], stdin: bytes | None, what: str) -> bytes:
    return run_tool([ESPEAK, *args], name="eSpeak NG (espeak-ng)", doing=what,
                    purpose="reads the leaflet aloud", timeout=ESPEAK_TIMEOUT_SECONDS,
                    install_hint=INSTALL_HINT, stdin=stdin)


def scratch_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="leaflet-audio-")
