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
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StyleError
from .data_files import load_yaml, version_of

FALLBACK_LANGUAGE = "en"
STRINGS_FOLDER = "strings"
# The strings file's optional 'digits': the digits the language writes numbers in, named as
# the CSS counter style of the same digits (the page numbers, numbered lists), each with
# its zero. Without it, 0-9. One system a leaflet: the numbers the pipeline writes (dates,
# versions) take the same digits as the page numbers and the text.
DIGIT_ZEROS = {"decimal": "0", "arabic-indic": "\u0660", "persian": "\u06f0",
               "devanagari": "\u0966", "bengali": "\u09e6", "gurmukhi": "\u0a66",
               "gujarati": "\u0ae6", "oriya": "\u0b66", "tamil": "\u0be6", "telugu": "\u0c66",
               "kannada": "\u0ce6", "malayalam": "\u0d66", "thai": "\u0e50", "lao": "\u0ed0",
               "tibetan": "\u0f20", "myanmar": "\u1040", "khmer": "\u17e0",
               "mongolian": "\u1810"}
# The places of the strings ({version}, {day}...) that hold a number the pipeline writes.
NUMBER_PLACES = frozenset({"version", "day", "year", "page", "pages"})

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
    "bg": "Bulgarian", "ckb": "Kurdish (Sorani)", "kmr": "Kurdish (Kurmanji)", "lv": "Latvian",
    "sq": "Albanian",
}


@dataclass(frozen=True)
class Strings:
    """The words of one language, with English behind them."""

    lang: str
    file: Path
    words: dict = field(default_factory=dict)

    def word(self, key: str, **places: object) -> str:
        """The text for ``key``, its ``{places}`` filled in (the numbers among them in the
        language's digits)."""
        text = self.words[key]
        if not places:
            return text
        return text.format(**{name: self.number(value) if name in NUMBER_PLACES else value
                              for name, value in places.items()})

    def number(self, value: object) -> str:
        """``value`` with its digits 0-9 in the language's own (``digits: persian``: ۲٫۰
        for 2.0); as it is without a 'digits' line."""
        text = "" if value is None else str(value)
        zero = DIGIT_ZEROS.get(self.words.get("digits") or "decimal", "0")
        if zero == "0":
            return text
        text = text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})
        # Arabic-script digits take the Arabic decimal separator: ۲٫۰, not ۲.۰.
        if zero in ("\u0660", "\u06f0"):
            text = re.sub(r"(?<=[\u0660-\u0669\u06f0-\u06f9])\.(?=[\u0660-\u0669\u06f0-\u06f9])",
                          "\u066b", text)
        return text

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


def strings_for(lang: str, theme_dir: Path) -> Strings:
    """The strings for the language tag ``lang`` (``en-GB``, ``pl``, ``zh-CN``)."""
    folder = theme_dir / STRINGS_FOLDER
    english = read_strings(folder / f"{FALLBACK_LANGUAGE}.yaml")
    path = own_strings_file(lang, folder)
    if path is not None:
        return Strings(lang, path, {**english, **read_strings(path)})
    if lang.split("-")[0].lower() != FALLBACK_LANGUAGE:
        warn_missing(folder / f"{lang}.yaml")
    return Strings(lang, folder / f"{FALLBACK_LANGUAGE}.yaml", english)


def own_strings_file(lang: str, folder: Path) -> Path | None:
    """The language's own strings file: by its whole tag, then by its language alone."""
    for candidate in dict.fromkeys((lang, lang.split("-")[0])):
        path = folder / f"{candidate}.yaml"
        if path.is_file():
            return path
    return None


def missing_words(lang: str, theme_dir: Path) -> tuple[Path, tuple[str, ...]] | None:
    """What a leaflet in ``lang`` lacks of its own words: the strings file it finds (or
    the one to add) and the keys of ``en.yaml`` that file does not have (every one, for a
    file that is not there); None when it has them all, and for English."""
    if lang.split("-")[0].lower() == FALLBACK_LANGUAGE:
        return None
    folder = theme_dir / STRINGS_FOLDER
    english = read_strings(folder / f"{FALLBACK_LANGUAGE}.yaml")
    path = own_strings_file(lang, folder)
    if path is None:
        return folder / f"{lang}.yaml", tuple(english)
    own = read_strings(path)
    missing = tuple(key for key, value in english.items() if not keys_present(value, own.get(key)))
    return (path, missing) if missing else None


def keys_present(english: object, own: object) -> bool:
    """Whether a translation has the value (and, for a mapping such as 'site-formats', each
    of its keys)."""
    if own is None:
        return False
    if isinstance(english, dict):
        return isinstance(own, dict) and all(key in own for key in english)
    return True


def require_own_words(leaflets: list[tuple[str, Path]], theme_dir: Path) -> None:
    """For ``release`` (and anything else that hands leaflets to patients): a
    StyleError naming the strings file to add, or the keys to translate, for the first of
    ``leaflets`` (its ``lang`` and its file) whose language lacks its words."""
    for lang, source in leaflets:
        missing = missing_words(lang, theme_dir)
        if missing is not None:
            raise StyleError(missing_words_message(lang, *missing), file=source,
                             hint=missing_words_hint(*missing))


def missing_words_message(lang: str, strings_file: Path, keys: tuple[str, ...]) -> str:
    """Why a leaflet in ``lang`` cannot go to patients without more strings."""
    if not strings_file.is_file():
        return (f"the leaflet is in {english_name(lang)}, but {strings_file} does not exist: "
                "the words the pipeline adds (the draft notice, 'Version', 'Review date', "
                "'Page 1 of 2', 'References'...) would be printed and spoken in English")
    return (f"{strings_file} lacks {len(keys)} of the pipeline's words "
            f"({', '.join(keys[:6])}{'...' if len(keys) > 6 else ''}): the leaflet would show "
            "them in English")


def missing_words_hint(strings_file: Path, keys: tuple[str, ...]) -> str:
    if not strings_file.is_file():
        return (f"copy {strings_file.with_name('en.yaml')} to {strings_file}, translate each "
                "value (keep the keys and the {places}) and set 'language-name' to the "
                "language's own name")
    return f"add {', '.join(keys)} to {strings_file}, translated from en.yaml"


@functools.cache
def warn_missing(path: Path) -> None:
    """Once a process: a library of leaflets in one language says it once, not per leaflet."""
    log.warning("%s does not exist: the pipeline's own words in this leaflet are in English; "
                "copy %s next to it and translate it", path, path.with_name("en.yaml").name)


def read_strings(path: Path) -> dict:
    return dict(parsed_strings(*version_of(path, "the English strings file")))


@functools.lru_cache(maxsize=32)
def parsed_strings(path: Path, _mtime: int, _size: int) -> tuple:
    data = load_yaml(path, "the strings file",
                     "each line is 'key: text'; put text with ':' or '#' in quotes")
    if not isinstance(data, dict):
        raise StyleError("the strings file holds no 'key: text' lines", file=path,
                         hint="copy en.yaml and translate its values")
    return tuple(sorted(data.items()))
