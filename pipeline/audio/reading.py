"""How the voice is told to read a sentence: the SSML handed to eSpeak NG (``espeak-ng -m``).

eSpeak NG guesses how to say what it is given: "999" becomes "nine hundred and
ninety-nine", "500 mg" "five hundred em gee". A patient needs the emergency number
digit by digit, the dose in words, a range as "2 to 3". How is data, a file a
language in ``styles/speech/`` that a clinic or a translator edits:

- ``all.yaml``: rules for every language (telephone and emergency numbers, digit by
  digit), read first;
- ``<lang>.yaml`` (the whole tag, then the language alone): that language's rules
  (units, ranges, "×", dates, abbreviations the leaflet does not expand), read after.

Each rule finds a regular expression (``find``), matched with every script's digits
as ASCII digits (۹۹۹ is found by ``999``), and says how to read what it found:

- ``say-as: telephone`` (digit by digit) or ``characters`` (letter by letter):
  ``<say-as interpret-as="...">``, both of which eSpeak NG honours;
- ``say: "{amount} milligrams"``: ``<sub alias="...">`` with the words, where ``{name}``
  is the text of the group ``(?P<name>...)`` and ``{name|list}`` its number looked up in
  the list ``list`` of the language's file, or of its strings file (``months``);
- ``say-in: en-GB``: ``<voice xml:lang="en-GB">``, in that language's voice (the NHS's
  names, as patients hear them in the UK).

Rules apply in order, each to the text no earlier rule has claimed. Everything else
goes to the voice as it is, XML-escaped. A pattern runs on a sentence, never on a
whole article, so a slow pattern stays bounded.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..errors import StyleError
from ..theme.data_files import load_yaml
from ..theme.strings import Strings

SPEECH_FOLDER = "speech"
EVERY_LANGUAGE = "all"
SAY_AS = ("telephone", "characters")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
PLACE = re.compile(r"\{(\w+)(?:\|([\w-]+))?\}")


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    say_as: str | None = None
    say: str | None = None
    say_in: str | None = None
    file: Path | None = None


@dataclass(frozen=True)
class Reading:
    """The rules of one language, and the lists their words are looked up in."""

    lang: str
    rules: tuple[Rule, ...]
    lists: dict = field(default_factory=dict)

    def ssml(self, text: str, voice_lang: str | None = None) -> str:
        """The SSML document eSpeak NG is given for one sentence (in the voice ``-v`` chose:
        no ``xml:lang`` that would choose another). It ends with a line break: eSpeak NG
        reads a full stop right before ``</speak>`` as "dot". ``voice_lang``: the text is in
        that language, said in its voice (``<voice xml:lang>``)."""
        pieces: list[tuple[str, str | None]] = [(text, None)]
        for rule in self.rules:
            pieces = [found for piece in pieces for found in (
                applied(rule, piece[0], self.lists, self.lang) if piece[1] is None else [piece])]
        body = "".join(markup if markup is not None else escape(plain, quote=False)
                       for plain, markup in pieces)
        if voice_lang:  # words in another language than the leaflet's, in its voice
            body = f'<voice xml:lang="{escape(voice_lang)}">{body}</voice>'
        return f"<speak>{body}\n</speak>"


def applied(rule: Rule, text: str, lists: dict, lang: str) -> list[tuple[str, str | None]]:
    """``text`` cut into the plain pieces and the pieces ``rule`` marks up."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in rule.pattern.finditer(ascii_digits(text)):
        if match.end() == match.start():
            continue
        found = text[match.start():match.end()]
        pieces.append((text[position:match.start()], None))
        pieces.append((found, markup(rule, found, match, text, lists, lang)))
        position = match.end()
    pieces.append((text[position:], None))
    return [piece for piece in pieces if piece[0]]


def markup(rule: Rule, found: str, match: re.Match, text: str, lists: dict, lang: str) -> str:
    if rule.say_as:
        return f'<say-as interpret-as="{rule.say_as}">{escape(found, quote=False)}</say-as>'
    if rule.say_in and same_language(rule.say_in, lang):  # already in that language's voice
        return escape(found, quote=False)
    if rule.say_in:
        return f'<voice xml:lang="{escape(rule.say_in)}">{escape(found, quote=False)}</voice>'
    groups = {name: text[match.start(name):match.end(name)] if match.start(name) >= 0 else ""
              for name in match.re.groupindex}

    def filled(place: re.Match) -> str:
        value = groups.get(place.group(1), "")
        if place.group(2):
            entries = lists.get(place.group(2)) or []
            number = int(ascii_digits(value)) if ascii_digits(value).isdigit() else 0
            return str(entries[number - 1]) if 0 < number <= len(entries) else value
        return value
    words = " ".join(PLACE.sub(filled, rule.say or "").split())
    return f'<sub alias="{escape(words)}">{escape(found, quote=False)}</sub>'


def same_language(tag: str, other: str) -> bool:
    return tag.split("-")[0].lower() == other.split("-")[0].lower()


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (٩, ۹, ९, ૯) as its ASCII digit: the same length."""
    if text.isascii():
        return text
    digits = {ord(character): str(unicodedata.decimal(character))
              for character in set(text) if character.isdecimal() and not character.isascii()}
    return text.translate(digits) if digits else text


def reading_for(lang: str, theme_dir: Path, strings: Strings) -> Reading:
    """The rules for a language tag: ``all.yaml``'s, then the language's own file's."""
    folder = theme_dir / SPEECH_FOLDER
    rules: list[Rule] = []
    lists = {"months": strings.words.get("months", [])}
    for path in rule_files(folder, lang):
        data = read_rules(path)
        rules += data["rules"]
        lists.update(data["lists"])
    return Reading(lang, tuple(rules), lists)


def rule_files(folder: Path, lang: str) -> list[Path]:
    files = [folder / f"{EVERY_LANGUAGE}.yaml"]
    for candidate in dict.fromkeys((lang, lang.split("-")[0], lang.lower(), lang.split("-")[0].lower())):
        if (folder / f"{candidate}.yaml").is_file():
            files.append(folder / f"{candidate}.yaml")
            break
    return [path for path in files if path.is_file()]


def read_rules(path: Path) -> dict:
    stat = path.stat()
    return parsed_rules(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def parsed_rules(path: Path, _mtime: int, _size: int) -> dict:
    data = load_yaml(path, "the speech rules",
                     "put a pattern in single quotes: find: '\\d+ ?mg'") or {}
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise StyleError("the speech rules file holds no 'rules:' list", file=path,
                         hint="copy styles/speech/en.yaml and translate its words")
    rules = tuple(rule(entry, number, path) for number, entry in enumerate(data.get("rules", []), start=1))
    lists = {key: value for key, value in data.items() if key != "rules" and isinstance(value, list)}
    return {"rules": rules, "lists": lists}


def rule(entry: object, number: int, path: Path) -> Rule:
    where = f"rule {number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("find"), str):
        raise StyleError(f"{where} has no 'find:' pattern", file=path,
                         hint="each rule is 'find: <pattern>' and 'say-as: telephone' or 'say: <words>'")
    try:
        pattern = re.compile(entry["find"])
    except re.error as error:
        raise StyleError(f"{where}'s pattern {entry['find']!r} is not a regular expression: {error}",
                         file=path, hint="check its brackets and backslashes") from None
    say_as, say, say_in = entry.get("say-as"), entry.get("say"), entry.get("say-in")
    if [say_as, say, say_in].count(None) != 2 or (say_as is not None and say_as not in SAY_AS) \
            or (say_in is not None and not LANGUAGE_TAG.match(str(say_in))):
        raise StyleError(f"{where} ({entry['find']!r}) needs one of 'say-as: telephone', "
                         "'say-as: characters', 'say: <words>' or 'say-in: <language tag>'", file=path,
                         hint="eSpeak NG reads say-as telephone digit by digit, characters letter by letter")
    return Rule(pattern, say_as, str(say) if say is not None else None,
                str(say_in) if say_in is not None else None, path)
