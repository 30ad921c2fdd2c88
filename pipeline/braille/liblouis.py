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
from collections.abc import Sequence

from ..config import BRAILLE_PIECE_CHARS, BRAILLE_TABLES, LOU_TRANSLATE_TIMEOUT_SECONDS
from ..errors import RenderError, SetupError

PROGRAM = "lou_translate"
UNICODE_DISPLAY = "unicode.dis"
# North American Braille ASCII: the character of each 6-dot cell, indexed by its dots as
# bits (dot 1 = 1, dot 2 = 2, ... dot 6 = 32), as in liblouis's en-us-brf.dis.
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
CELL_OF_CHARACTER = {character: dots for dots, character in enumerate(BRAILLE_ASCII)}
FIRST_PATTERN, LAST_PATTERN = 0x2800, 0x28FF
SIX_DOTS = 0x3F
# lou_translate cuts a line's braille at this many cells without a word.
LONGEST_LINE_CELLS = 2048


def table_for_language(lang: str) -> str | None:
    """liblouis's table for a language tag: the whole tag, then its language alone."""
    tag = lang.strip().lower()
    return BRAILLE_TABLES.get(tag) or BRAILLE_TABLES.get(tag.split("-")[0])


def to_braille_ascii(patterns: str) -> str:
    """Unicode braille patterns as Braille ASCII; anything else (a newline) is kept."""
    return "".join(BRAILLE_ASCII[(ord(character) - FIRST_PATTERN) & SIX_DOTS]
                   if FIRST_PATTERN <= ord(character) <= LAST_PATTERN else character
                   for character in patterns)


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
    which a 6-dot page cannot show. One run of lou_translate, a line a character."""
    characters = sorted({character for text in texts for character in text if not character.isspace()})
    cells = run_lou_translate(characters, table, backward=False)
    return [character for character, braille in zip(characters, cells)
            if any(FIRST_PATTERN <= ord(cell) <= LAST_PATTERN and ord(cell) - FIRST_PATTERN > SIX_DOTS
                   for cell in braille)]


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
    if answer.returncode != 0 or answer.stderr.strip() or len(output) != len(lines):
        raise RenderError(f"lou_translate could not translate with the table {table}: "
                          f"{answer.stderr.strip() or 'it gave a different number of lines'}",
                          hint="check that liblouis-data is installed ('make tools')")
    if not backward and any(len(line) >= LONGEST_LINE_CELLS for line in output):
        raise RenderError("lou_translate cut a line of braille short",
                          hint="lower BRAILLE_PIECE_CHARS in pipeline/config.py")
    return output
