"""liblouis's ``lou_translate``: print text into braille cells and back.

liblouis's tables disagree on how they write cells as characters (some ASCII,
some their own 8-bit codes, some Unicode), so every translation goes through
``unicode.dis``, which puts in front of any table makes liblouis read and write
Unicode braille patterns (U+2800-U+283F, one character a cell). This module
turns those into North American Braille ASCII, the character set of a BRF, and
back. Dots 7 and 8, which a 6-dot page cannot show (liblouis marks a character
it has no braille for with them), are dropped.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence

from ..errors import RenderError, SetupError

# lou_translate truncates a line's braille at 2,048 cells: text goes to it in pieces of at most
# this many characters (an untranslatable character can take 8 cells), cut between words.
BRAILLE_PIECE_CHARS = 200
LOU_TRANSLATE_TIMEOUT_SECONDS = 30  # a leaflet takes a tenth of a second

PROGRAM = "lou_translate"
UNICODE_DISPLAY = "unicode.dis"
# North American Braille ASCII: the character of each 6-dot cell, indexed by its dots as
# bits (dot 1 = 1, dot 2 = 2, ... dot 6 = 32), as in liblouis's en-us-brf.dis.
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
CELL_OF_CHARACTER = {character: dots for dots, character in enumerate(BRAILLE_ASCII)}
FIRST_PATTERN, LAST_PATTERN = 0x2800, 0x28FF
SIX_DOTS = 0x3F
# A letter carries two or three combining marks at most (a vowel sign and a nukta); a hostile
# text's thousands on one letter are tried in clusters of this many.
MARKS_ON_A_LETTER = 4
# lou_translate cuts a line's braille at this many cells without a word.
LONGEST_LINE_CELLS = 2048


# What liblouis says on stderr of a table it still reads (bg.utb's "class is deprecated"):
# not a failure of the translation.
TABLE_WARNING = re.compile(r": warning: |^\d+ warnings? issued$")


def to_braille_ascii(patterns: str) -> str:
    """Unicode braille patterns as Braille ASCII; white space is kept, and anything else (a
    character a table passes through untranslated, which the build has warned of) dropped."""
    return "".join(BRAILLE_ASCII[(ord(character) - FIRST_PATTERN) & SIX_DOTS]
                   if FIRST_PATTERN <= ord(character) <= LAST_PATTERN else character
                   for character in patterns
                   if FIRST_PATTERN <= ord(character) <= LAST_PATTERN or character.isspace())


def to_patterns(braille_ascii: str) -> str:
    return "".join(chr(FIRST_PATTERN + CELL_OF_CHARACTER[character])
                   if character in CELL_OF_CHARACTER else character
                   for character in braille_ascii.upper())


def forward(texts: Sequence[str], table: str) -> list[str]:
    """Each text as one line of Braille ASCII (spaces between words stay spaces), all in
    one run of lou_translate. A text goes in pieces short enough for liblouis's limit."""
    pieces = [split_into_pieces(text) for text in texts]
    flat = [piece for text_pieces in pieces for piece in text_pieces]
    lines = iter(run_lou_translate(flat, table, backward=False))
    return [" ".join(to_braille_ascii(next(lines)) for _ in text_pieces) for text_pieces in pieces]


def backward(lines: Sequence[str], table: str) -> list[str]:
    """Lines of Braille ASCII back into print text, one run of lou_translate."""
    return run_lou_translate([to_patterns(line) for line in lines], table, backward=True)


def characters_without_braille(texts: Sequence[str], table: str) -> list[str]:
    """The characters of ``texts`` that ``table`` has no braille for, in code-point order:
    liblouis writes each as its code number (``'\\x002e'``), marked with dots 7 and 8,
    which a 6-dot page cannot show, or passes it through as it is (a cell beyond dot 8, as
    uk.utb has). A combining mark is tried after each letter it follows in ``texts`` (a
    table may have braille for a letter and its nukta together, none for the nukta alone).
    One run of lou_translate, a line a character or pair."""
    characters = sorted({character for text in texts for character in text
                         if not character.isspace() and not is_mark(character)})
    # Each mark with the letter (and the marks) before it, and that letter without it.
    clusters = {(text[start:index + 1], text[start:index]) for text in texts
                for index, start in mark_clusters(text)}
    units = sorted(set(characters) | {unit for cluster in clusters for unit in cluster if unit})
    cells = dict(zip(units, run_lou_translate(units, table, backward=False)))
    missing = {character for character in characters if unreadable(cells[character])}
    missing |= {with_mark[-1] for with_mark, without in clusters
                if unreadable(cells[with_mark]) and not (without and unreadable(cells[without]))}
    return sorted(missing)


def mark_clusters(text: str) -> list[tuple[int, int]]:
    """(index of a combining mark, index of the letter it belongs to) for each mark of ``text``;
    a letter with more than ``MARKS_ON_A_LETTER`` marks counts only its last ones."""
    found = []
    letter = None  # where the run of marks being read began: its letter, or None after a space
    for index, character in enumerate(text):
        if not is_mark(character):
            letter = None if character.isspace() else index
            continue
        start = index if letter is None else max(letter, index - MARKS_ON_A_LETTER)
        found.append((index, start))
    return found


def is_mark(character: str) -> bool:
    return unicodedata.category(character).startswith("M")


def unreadable(braille: str) -> bool:
    """Braille with a cell a 6-dot page cannot show, or a character that is not braille."""
    return any(not FIRST_PATTERN <= ord(cell) <= LAST_PATTERN or ord(cell) - FIRST_PATTERN > SIX_DOTS
               for cell in braille if not cell.isspace())


def split_into_pieces(text: str) -> list[str]:
    """``text`` cut between words into pieces of at most ``BRAILLE_PIECE_CHARS``, after a
    sentence where one ends nearby (a cut between words changes no contraction)."""
    text = re.sub(r"\s+", " ", text).strip()
    pieces = []
    while len(text) > BRAILLE_PIECE_CHARS:
        window = text[:BRAILLE_PIECE_CHARS + 1]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > BRAILLE_PIECE_CHARS // 2 else window.rfind(" ")
        if cut <= 0:  # one word longer than a piece: cut inside it
            cut = BRAILLE_PIECE_CHARS
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return pieces


def run_lou_translate(lines: Sequence[str], table: str, *, backward: bool) -> list[str]:
    """One line of output for each line of input, or an error that says why not."""
    if not lines:
        return []
    program = shutil.which(PROGRAM)
    if program is None:
        raise SetupError("lou_translate (liblouis) is not installed: it writes the braille",
                         hint="install it with 'make tools' (tools/install-formats.sh)")
    direction = "--backward" if backward else "--forward"
    # lou_translate reads escapes (\x0041) in its input: a backslash is written twice.
    text = "".join(line.replace("\\", "\\\\").replace("\n", " ") + "\n" for line in lines)
    try:
        answer = subprocess.run([program, direction, f"{UNICODE_DISPLAY},{table}"], input=text,
                                capture_output=True, text=True, encoding="utf-8",
                                timeout=LOU_TRANSLATE_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise RenderError(f"lou_translate did not finish within {LOU_TRANSLATE_TIMEOUT_SECONDS} s "
                          f"with the table {table}", hint="run the build again; if it hangs "
                          "again, report it with the article") from None
    output = answer.stdout.split("\n")[:-1] if answer.stdout.endswith("\n") else answer.stdout.split("\n")
    complaints = [line for line in answer.stderr.splitlines()
                  if line.strip() and not TABLE_WARNING.search(line)]
    if answer.returncode != 0 or complaints or len(output) != len(lines):
        raise RenderError(f"lou_translate could not translate with the table {table}: "
                          f"{' '.join(complaints) or 'it gave a different number of lines'}",
                          hint="check that liblouis-data is installed ('make tools')")
    if not backward and any(len(line) >= LONGEST_LINE_CELLS for line in output):
        raise RenderError("lou_translate cut a line of braille short",
                          hint="lower BRAILLE_PIECE_CHARS in pipeline/braille/liblouis.py")
    return output
