"""The easy read rules, for a leaflet with ``easy-read: true`` (warnings, each naming
the passage and its line):

- every row has a picture with a description (``![description](picture.svg) Words…``);
- sentences of at most ``EASY_READ_MAX_WORDS`` words;
- one idea a sentence: at most one comma (or semicolon) joining clauses;
- a reading level at or below US grade ``EASY_READ_MAX_GRADE``, where textstat has the
  language's rules (``readability.TEXTSTAT_LANGUAGES``);
- no abbreviation without its meaning: an all-capitals word of 2 to 5 letters is
  followed by its meaning in brackets ("GP (your doctor)") or stands in brackets after
  it ("your doctor (GP)") the first time it is used;
- no percentages, and no numbers above 100 written as figures.
"""
from __future__ import annotations

import re

import textstat

from ..article.model import Article
from ..pandoc.ast import stringify
from .findings import WARNING, Report
from .readability import OPENING, TEXTSTAT_LANGUAGES, WORD, inline_text, is_reference_list, \
    set_language, split_sentences

# Easy read leaflets (front matter 'easy-read: true'): the longest
# sentence, in words, and the highest US school grade (Mencap's easy read guidance:
# short sentences, everyday words).
EASY_READ_MAX_WORDS = 15
EASY_READ_MAX_GRADE = 5

AREA = "easy read"
ABBREVIATION = re.compile(r"\b[A-Z]{2,5}\b")
MEANING_AFTER = re.compile(r"^\s*\([^()]*[a-z][^()]*\)")
MEANING_BEFORE = re.compile(r"\([^()]*[a-z][^()]*\)\s*$")
IN_BRACKETS_AFTER_WORDS = re.compile(r"[a-z]\w*\s*\($")
PERCENTAGE = re.compile(r"\d\s*(?:%|per\s?cent\b)", re.IGNORECASE)
FIGURES = re.compile(r"\d[\d,]*(?:\.\d+)?")
CLAUSE_JOINS = re.compile(r"[,;]")
QUOTED_WORDS = 8  # of a passage, in a finding


def check_easy_read(doc: dict, article: Article, report: Report) -> None:
    """Apply the easy read rules to every paragraph of an easy read leaflet."""
    if not article.easy_read:
        return
    explained: set[str] = set()
    for section, block in paragraphs(doc["blocks"]):
        picture, words = split_row(block["c"])
        text = inline_text(words)
        where = passage_place(text, section, article)
        check_picture(picture, text, where, report)
        for sentence in split_sentences(text):
            check_sentence(sentence, where, report)
        check_abbreviations(text, explained, where, report)
        check_numbers(text, where, report)
    check_reading_level(doc, article, report)


def paragraphs(blocks: list[dict]) -> list[tuple[str, dict]]:
    """(section, paragraph) of every paragraph, in order; the reference list is not prose."""
    found, section = [], OPENING
    for block in blocks:
        if block["t"] == "Header":
            section = stringify(block["c"][2])
        elif block["t"] == "Para":
            found.append((section, block))
        elif block["t"] == "Div" and not is_reference_list(block):
            found += [(section, child) for _, child in paragraphs(block["c"][1])]
    return found


def split_row(inlines: list[dict]) -> tuple[dict | None, list[dict]]:
    """The picture that opens a row (None without one) and the row's words."""
    if inlines and inlines[0]["t"] == "Image":
        return inlines[0], inlines[1:]
    return None, inlines


def quoted(text: str) -> str:
    words = text.split()
    return "“" + " ".join(words[:QUOTED_WORDS]) + ("…" if len(words) > QUOTED_WORDS else "") + "”"


def passage_place(text: str, section: str, article: Article) -> str:
    words = text.split()
    line = article.line_of(" ".join(words[:3])) if words else None
    return f"line {line}, section '{section}'" if line else f"section '{section}'"


def check_picture(picture: dict | None, text: str, where: str, report: Report) -> None:
    if picture is None:
        report.add(WARNING, AREA, f"the passage {quoted(text)} has no picture beside it", where,
                   "start the paragraph with a picture that shows what it says: "
                   "![what the picture shows](picture.svg) Words…")
    elif not stringify(picture["c"][1]).strip():
        report.add(WARNING, AREA, f"the picture {picture['c'][2][0]} beside {quoted(text)} has "
                   "no description", where,
                   "say what the picture shows between the brackets: ![a person walking](walking.svg)")


def check_sentence(sentence: str, where: str, report: Report) -> None:
    count = len(WORD.findall(sentence))
    if count > EASY_READ_MAX_WORDS:
        report.add(WARNING, AREA, f"the sentence {quoted(sentence)} has {count} words; easy read "
                   f"keeps sentences to {EASY_READ_MAX_WORDS} words or fewer", where,
                   "split it into two short sentences")
    joins = len(CLAUSE_JOINS.findall(sentence))
    if joins > 1:
        report.add(WARNING, AREA, f"the sentence {quoted(sentence)} joins {joins + 1} parts with "
                   "commas; easy read says one thing a sentence", where,
                   "make each part a sentence of its own")


def check_abbreviations(text: str, explained: set[str], where: str, report: Report) -> None:
    for match in ABBREVIATION.finditer(text):
        abbreviation = match.group(0)
        before, after = text[:match.start()], text[match.end():]
        if (MEANING_AFTER.match(after) or MEANING_BEFORE.search(before)
                or (IN_BRACKETS_AFTER_WORDS.search(before) and after.startswith(")"))):
            explained.add(abbreviation)
        if abbreviation in explained:
            continue
        explained.add(abbreviation)  # named once, where it is first used
        report.add(WARNING, AREA, f"'{abbreviation}' in {quoted(text)} is an abbreviation "
                   "without its meaning", where,
                   f"write the words it stands for, or explain it the first time: "
                   f"'{abbreviation} (what it means)'")


def check_numbers(text: str, where: str, report: Report) -> None:
    if PERCENTAGE.search(text):
        report.add(WARNING, AREA, f"the passage {quoted(text)} gives a percentage", where,
                   "say it in words, e.g. 'about half of people' or '1 in 4 people'")
    large = [figure for figure in FIGURES.findall(text) if number_value(figure) > 100]
    if large:
        report.add(WARNING, AREA, f"the passage {quoted(text)} writes the number {large[0]} as "
                   "figures; easy read uses numbers up to 100", where,
                   "say it in words ('a lot of people', 'a few hundred') or as a smaller number")


def number_value(figure: str) -> float:
    try:
        return float(figure.replace(",", "").rstrip("."))
    except ValueError:
        return 0


def check_reading_level(doc: dict, article: Article, report: Report) -> None:
    """Each section above the easy read grade, where textstat knows the language."""
    if article.lang.split("-")[0].lower() not in TEXTSTAT_LANGUAGES:
        return
    set_language(article.lang)
    sections: dict[str, list[str]] = {}
    for section, block in paragraphs(doc["blocks"]):
        sections.setdefault(section, []).extend(split_sentences(inline_text(split_row(block["c"])[1])))
    for section, sentences in sections.items():
        grade = textstat.flesch_kincaid_grade(" ".join(sentences)) if sentences else 0
        if grade > EASY_READ_MAX_GRADE:
            hardest = max(sentences, key=lambda s: textstat.syllable_count(s) / max(1, len(s.split())))
            line = article.line_of(" ".join(hardest.split()[:3]))
            where = f"line {line}, section '{section}'" if line else f"section '{section}'"
            report.add(WARNING, AREA, f"section '{section}' reads at US school grade {grade:.1f}; "
                       f"easy read needs grade {EASY_READ_MAX_GRADE:g} or below", where,
                       f"use shorter, everyday words, starting with {quoted(hardest)}")
