"""Readability, with textstat: Flesch Reading Ease, Flesch-Kincaid grade and
SMOG for the whole article and for each section.

Only prose counts. Headings are not sentences; a list item or a table cell
is read as a sentence of its own; citation markers and the reference list
are left out. The author gets, for each section above the target, its
longest sentences and longest words: where to start rewriting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import textstat

from ..pandoc.ast import stringify
from ..article.model import Article
from ..theme.strings import english_name
from .findings import ERROR, INFO, WARNING, Report

# Readability above this US school grade gives a warning unless the article sets its own
# 'target-grade' (NHS guidance: reading age 9-11, about grade 6).
DEFAULT_TARGET_GRADE = 8
# A section that reads above the target grade: the advice quotes this many of its
# longest sentences and its longest words, where to start rewriting.
ADVICE_SENTENCES = 2
ADVICE_WORDS = 5

AREA = "readability"
# textstat's formulas and syllable rules by language; other languages are not measured
# (an English formula on Arabic or Chinese text gives a number that means nothing), and
# the report says so.
TEXTSTAT_LANGUAGES = {"en": "en_US", "de": "de_DE", "es": "es_ES", "fr": "fr_FR", "it": "it_IT",
                      "nl": "nl_NL", "ru": "ru_RU", "pl": "pl_PL", "hu": "hu_HU", "cs": "cs_CZ"}
NO_READING_EASE = {"pl_PL"}  # textstat has no Flesch reading ease constants for these
# What the text before the first heading is called in the report.
OPENING = "Opening (before the first heading)"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")


@dataclass
class Section:
    title: str
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def check_readability(doc: dict, article: Article, report: Report) -> None:
    language = set_language(article.lang)
    if language is None:
        # No sections: the report's readability table and chart are left out.
        report.readability = {"language": article.lang, "measured": False, "sections": []}
        report.add(INFO, AREA, f"readability not measured for {language_name(article)}: "
                   "textstat has no formulas for this language",
                   f"front matter 'lang' (line {article.line_of_field('lang') or '?'})",
                   "have a native reader check that the text is plain and short")
        return
    sections = prose_sections(doc)
    whole = Section("Whole article", [s for section in sections for s in section.sentences])
    target = article.target_grade if article.target_grade is not None else DEFAULT_TARGET_GRADE
    report.readability = {
        "language": language, "target_grade": target, "max_grade": article.max_grade,
        "article": scores(whole, language),
        "sections": [{"title": section.title, **scores(section, language)} for section in sections],
    }
    for section in [whole, *sections]:
        grade = textstat.flesch_kincaid_grade(section.text) if section.sentences else 0
        where = "the whole article" if section is whole else section_place(section, article)
        if article.max_grade is not None and grade > article.max_grade:
            severity, limit, field_name = ERROR, article.max_grade, "max-grade"
        elif grade > target:
            severity, limit, field_name = WARNING, target, "target-grade"
        else:
            continue
        report.add(severity, AREA,
                   f"reads at US school grade {grade:.1f}, above the {field_name} of {limit:g}",
                   where, advice(section))


def section_place(section: Section, article: Article) -> str:
    """Where the author finds the section: its heading's line (the text's start for the
    untitled opening)."""
    if section.title == OPENING:
        line = article.line_of(section.sentences[0][:30])
    else:  # the heading's own line, not an earlier sentence that uses the same words
        line = article.line_of(f"# {section.title}") or article.line_of(section.title)
    return f"line {line}, section '{section.title}'" if line else f"section '{section.title}'"


def set_language(lang: str) -> str | None:
    """textstat's language for ``lang``, set for the formulas; None where it has none."""
    chosen = TEXTSTAT_LANGUAGES.get(lang.split("-")[0].lower())
    if chosen is not None:
        textstat.set_lang(chosen)
    return chosen


def language_name(article: Article) -> str:
    """"Arabic (ar)": the English name where the tag is a common one, else the tag (the
    report is in English: it is read by the clinic, not the patient)."""
    return english_name(article.lang)


def prose_sections(doc: dict) -> list[Section]:
    """Sentences of each level-2 section, in order; the reference list is not prose."""
    sections = [Section(OPENING)]
    for block in doc["blocks"]:
        if block["t"] == "Header" and block["c"][0] <= 2:
            sections.append(Section(stringify(block["c"][2])))
        elif block["t"] == "Header":
            continue
        elif not is_reference_list(block):
            sections[-1].sentences += block_sentences(block)
    return [section for section in sections if section.sentences]


def is_reference_list(block: dict) -> bool:
    return block["t"] == "Div" and (block["c"][0][0] == "refs" or "references" in block["c"][0][1])


def block_sentences(block: dict) -> list[str]:
    kind = block["t"]
    if kind in ("Para", "Plain"):
        return split_sentences(inline_text(block["c"]))
    if kind in ("BulletList", "OrderedList"):
        items = block["c"] if kind == "BulletList" else block["c"][1]
        return [s for item in items for child in item for s in as_sentence(child)]
    if kind == "Table":
        cells = [cell for body in block["c"][4] for row in body[3] for cell in row[1]]
        return [s for cell in cells for child in cell[4] for s in as_sentence(child)]
    if kind in ("BlockQuote", "Div"):
        children = block["c"] if kind == "BlockQuote" else block["c"][1]
        return [s for child in children for s in block_sentences(child)]
    return []


def as_sentence(block: dict) -> list[str]:
    """A list item or table cell reads as a sentence even without a full stop."""
    sentences = block_sentences(block)
    if sentences and not sentences[-1].endswith((".", "!", "?")):
        sentences[-1] += "."
    return sentences


def inline_text(inlines: list) -> str:
    """Text without citation markers or footnotes (nor the space before them)."""
    kept: list[dict] = []
    for node in inlines:
        if node.get("t") in ("Cite", "Note"):
            if kept and kept[-1].get("t") == "Space":
                kept.pop()
            continue
        kept.append(node)
    return stringify(kept)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def reading_ease(text: str, language: str) -> float | None:
    """Flesch reading ease, where textstat has the language's constants for it (not Polish:
    there the grade and SMOG are given, and the ease is left empty rather than guessed)."""
    if language in NO_READING_EASE:  # textstat would raise "Unknown config key fre_base"
        return None
    return round(textstat.flesch_reading_ease(text), 1)


def scores(section: Section, language: str) -> dict:
    text = section.text
    if not text:
        return {"sentences": 0}
    return {
        "sentences": len(section.sentences),
        "words": textstat.lexicon_count(text),
        "flesch_reading_ease": reading_ease(text, language),
        "flesch_kincaid_grade": round(textstat.flesch_kincaid_grade(text), 1),
        "smog": round(textstat.smog_index(text), 1),
    }


def advice(section: Section) -> str:
    longest = sorted(section.sentences, key=lambda s: len(s.split()), reverse=True)[:ADVICE_SENTENCES]
    by_spelling = {w.lower(): w for w in WORD.findall(section.text)}  # "Sciatica" and "sciatica" once
    words = sorted(by_spelling.values(),
                   key=lambda w: (textstat.syllable_count(w), len(w)), reverse=True)[:ADVICE_WORDS]
    return ("shorten the longest sentences: " + " | ".join(f"“{s}” ({len(s.split())} words)"
                                                          for s in longest)
            + "; use plainer words for: " + ", ".join(words))
