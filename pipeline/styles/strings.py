"""The words the pipeline prints, in the leaflet's language: ``styles/strings/<lang>.yaml``.

One file a language, like the CSL locales, so that a translator corrects a
label without touching Python. A leaflet's language tag finds its file by
the whole tag (``pt-BR.yaml``), then by its language alone (``pt.yaml``);
a language without a file falls back to English (``en.yaml``), with one
warning naming the file that is missing. A key missing from a language's
file is taken from English too.

The messages a clinic reads (``make check``, the build's warnings) are in English, and
name a language in English with its tag: ``english_name("ur")`` is "Urdu (ur)".
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import StyleError

FALLBACK_LANGUAGE = "en"
STRINGS_FOLDER = "strings"

log = logging.getLogger(__name__)

# The languages NHS trusts translate into most, and those textstat measures, by their
# English names: for the messages, never for a leaflet (a leaflet names a language in
# its own script, its strings file's 'language-name').
ENGLISH_NAMES = {
    "am": "Amharic", "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "cy": "Welsh",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "it": "Italian", "ku": "Kurdish", "lt": "Lithuanian", "ne": "Nepali", "nl": "Dutch",
    "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "so": "Somali", "ta": "Tamil", "th": "Thai", "ti": "Tigrinya",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}


@dataclass(frozen=True)
class Strings:
    """The words of one language, with English behind them."""

    lang: str
    file: Path
    words: dict = field(default_factory=dict)

    def word(self, key: str, **places: object) -> str:
        """The text for ``key``, its ``{places}`` filled in."""
        text = self.words[key]
        return text.format(**places) if places else text

    def long_date(self, value: dt.date | None) -> str:
        """25 November 2026, in the language's own order and month names (le 1er novembre)."""
        if value is None:
            return ""
        month = self.words["months"][value.month - 1]
        day = self.words["first-day"] if value.day == 1 else value.day
        return self.word("date", day=day, month=month, year=value.year)

    def in_words(self, items: list[str] | tuple[str, ...]) -> str:
        """large print, an A5 booklet or an EPUB e-book: a list as a sentence says it."""
        *rest, last = items or [""]
        if not rest:
            return last
        return self.word("list-or", rest=self.word("list-separator").join(rest), last=last)

    def around_page_numbers(self) -> tuple[str, str, str]:
        """"Page {page} of {pages}" as the words before, between and after the two numbers,
        which the page footer's CSS counters stand between (``leaflet.css``)."""
        before, _, rest = self.word("page-of").partition("{page}")
        between, _, after = rest.partition("{pages}")
        return before, between, after


def english_name(lang: str) -> str:
    """"Urdu (ur)": the language's English name where it is a common one, and its tag."""
    name = ENGLISH_NAMES.get(lang.split("-")[0].lower())
    return f"{name} ({lang})" if name else lang


def strings_for(lang: str, styles_dir: Path) -> Strings:
    """The strings for the language tag ``lang`` (``en-GB``, ``pl``, ``zh-CN``)."""
    folder = styles_dir / STRINGS_FOLDER
    english = read_strings(folder / f"{FALLBACK_LANGUAGE}.yaml")
    for candidate in dict.fromkeys((lang, lang.split("-")[0])):
        path = folder / f"{candidate}.yaml"
        if path.is_file():
            return Strings(lang, path, {**english, **read_strings(path)})
    if lang.split("-")[0].lower() != FALLBACK_LANGUAGE:
        warn_missing(folder / f"{lang}.yaml")
    return Strings(lang, folder / f"{FALLBACK_LANGUAGE}.yaml", english)


@functools.cache
def warn_missing(path: Path) -> None:
    """Once a process: a library of leaflets in one language says it once, not per leaflet."""
    log.warning("%s does not exist: the pipeline's own words in this leaflet are in English; "
                "copy %s next to it and translate it", path, path.with_name("en.yaml").name)


def read_strings(path: Path) -> dict:
    stat = path.stat() if path.is_file() else None
    if stat is None:
        raise StyleError("the English strings file is missing", file=path,
                         hint="restore it from the project (git checkout styles/)")
    return dict(parsed_strings(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=32)
def parsed_strings(path: Path, _mtime: int, _size: int) -> tuple:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        raise StyleError(f"the strings file cannot be read: {getattr(error, 'problem', error)}",
                         file=path, line=mark.line + 1 if mark else None,
                         hint="each line is 'key: text'; put text with ':' or '#' in quotes") from None
    if not isinstance(data, dict):
        raise StyleError("the strings file holds no 'key: text' lines", file=path,
                         hint="copy en.yaml and translate its values")
    return tuple(sorted(data.items()))
