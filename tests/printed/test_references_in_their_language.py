"""A reference in its own language inside a leaflet in another (pipeline/citations/languages.py):
an English paper cited in the Arabic and Farsi translations of an English leaflet reads
as one left-to-right English entry, dated by the English CSL locale ("2018 Jun 9", never
"9 يونيو"), set from the left margin, and tagged ``lang="en" dir="ltr"`` for a screen
reader; a reference whose CSL-JSON ``language`` names its language is set in that one.

Built once for the module, from leaflets written here: an English source, its Arabic and
Farsi translations, PDF and EPUB.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from pipeline import Settings, build
from pipeline.citations.languages import entry_language
from building import warnings_recorded
from reading_epub import NS, epub_entries, epub_read

MM = 72 / 25.4
A4_TEXT_LEFT = 30 * MM  # styles/paper/a4.css: 30 mm side margins
A4_WIDTH = 595.28
ENTRY_NUMBER = re.compile(r"^\d+\.[^\d]")  # "2.Rousseau", not "2019;86"
SAME_LINE = 4.0  # pt between the baselines of glyphs on one Latin line

REFERENCES = [
    {"id": "foster2018", "type": "article-journal",
     "author": [{"family": "Foster", "given": "Nadine E."}, {"family": "Anema", "given": "Johannes R."}],
     "title": "Prevention and treatment of low back pain: evidence, challenges, and promising directions",
     "container-title": "Lancet", "volume": "391", "issue": "10137", "page": "2368-2383",
     "issued": {"date-parts": [[2018, 6, 9]]}, "DOI": "10.1016/S0140-6736(18)30489-6"},
    {"id": "rousseau2019", "type": "article-journal", "language": "fr",
     "author": [{"family": "Rousseau", "given": "Claire"}],
     "title": "La sciatique au quotidien", "container-title": "Revue du rhumatisme",
     "volume": "86", "page": "112-118", "issued": {"date-parts": [[2019, 3, 4]]}},
]
ENGLISH_DATE = "2018 Jun 9"
FRENCH_DATE = "4 mars 2019"

SOURCE = """---
title: Back pain
author:
  - name: Jane Doe
lang: en
date: 2026-11-25
version: "1.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
---

## Why moving helps

Gentle movement eases back pain for most people [@foster2018; @rousseau2019].
"""
TRANSLATIONS = {
    "ar": ("ألم الظهر", "لماذا الحركة مفيدة؟",
           "الحركة اللطيفة تخفف ألم الظهر عند معظم الناس. امشِ قليلًا كل يوم، وتوقف إذا ازداد الألم سوءًا"),
    "fa": ("کمردرد", "چرا حرکت کمک می‌کند؟",
           "حرکت آرام کمردرد بیشتر مردم را کم می‌کند. هر روز کمی راه بروید و اگر درد بیشتر شد، دست نگه دارید"),
}


def translation(lang: str) -> str:
    title, heading, sentence = TRANSLATIONS[lang]
    return f"""---
title: {title}
author:
  - name: Jane Doe
lang: {lang}
translation-of: back-pain.md
translated-from-version: "1.0"
date: 2026-11-25
version: "1.0"
review-date: 2027-11-25
bibliography: references.json
csl: vancouver-nlm
---

## {heading}

{sentence} [@foster2018; @rousseau2019].
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each leaflet's PDF and EPUB, by language, then by suffix."""
    folder = tmp_path_factory.mktemp("references")
    (folder / "references.json").write_text(json.dumps(REFERENCES), encoding="utf-8")
    (folder / "back-pain.md").write_text(SOURCE, encoding="utf-8")
    outputs: dict[str, dict[str, Path]] = {}
    for lang in ("en", *TRANSLATIONS):
        source = folder / (f"back-pain.{lang}.md" if lang != "en" else "back-pain.md")
        if lang != "en":
            source.write_text(translation(lang), encoding="utf-8")
        with warnings_recorded() as recorder:
            written = build(source, Settings(formats=("pdf", "epub"), out_dir=folder / "out"))
        assert recorder.messages == [], recorder.messages
        outputs[lang] = {path.suffix.lstrip("."): path for path in written}
    return outputs


def is_right_to_left_letter(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def entry_lines(pdf: Path, first_word: str) -> list[list[dict]]:
    """The glyph lines (each left to right) of the reference entry that starts with
    ``first_word``: from its line to the line before the next entry or the footer."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[-1]
        chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    lines: list[list[dict]] = []
    for char in chars:
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= SAME_LINE:
            lines[-1].append(char)
        else:
            lines.append([char])
    lines = [sorted(line, key=lambda c: c["x0"]) for line in lines]
    texts = ["".join(c["text"] for c in line) for line in lines]
    start = next(index for index, text in enumerate(texts) if first_word in text)
    end = start + 1
    while end < len(lines) and not ENTRY_NUMBER.match(texts[end]) and \
            not any(is_right_to_left_letter(c) for c in texts[end]):
        end += 1
    return lines[start:end]


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_an_english_reference_reads_as_one_left_to_right_english_entry(built, lang):
    lines = entry_lines(built[lang]["pdf"], "Foster")
    text = " ".join("".join(c["text"] for c in line) for line in lines)
    assert text.startswith("1.Foster"), text  # its number on its left, then the authors
    assert ENGLISH_DATE.replace(" ", "") in text.replace(" ", ""), text
    assert "Lancet.2018Jun9;391(10137):2368–83." in text.replace(" ", ""), text
    assert not any(is_right_to_left_letter(char) for char in text), text
    # Set from the left margin, as in an English leaflet: the number at the text's left
    # edge, every line of the entry starting there or at the hanging indent.
    starts = [line[0]["x0"] for line in lines]
    assert abs(starts[0] - A4_TEXT_LEFT) < 2, starts
    assert all(A4_TEXT_LEFT - 2 < start < A4_TEXT_LEFT + 12 * MM for start in starts), starts
    assert all(line[-1]["x1"] < A4_WIDTH - A4_TEXT_LEFT + 2 for line in lines)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_a_reference_that_names_its_language_is_set_in_it(built, lang):
    text = " ".join("".join(c["text"] for c in line) for line in entry_lines(built[lang]["pdf"], "Rousseau"))
    assert FRENCH_DATE.replace(" ", "") in text.replace(" ", ""), text
    assert not any(is_right_to_left_letter(char) for char in text), text


def entries(epub: Path) -> list[etree._Element]:
    found = []
    for entry in epub_entries(epub):
        if entry.filename.endswith(".xhtml"):
            root = etree.fromstring(epub_read(epub, entry.filename))
            found += root.xpath("//x:div[contains(@class, 'csl-entry')]", namespaces=NS)
    return found


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_each_epub_entry_carries_its_language_and_direction(built, lang):
    by_id = {entry.get("id"): entry for entry in entries(built[lang]["epub"])}
    assert set(by_id) == {"ref-foster2018", "ref-rousseau2019"}
    english, french = by_id["ref-foster2018"], by_id["ref-rousseau2019"]
    assert (english.get("lang"), english.get("dir")) == ("en", "ltr")
    assert (french.get("lang"), french.get("dir")) == ("fr", "ltr")
    assert ENGLISH_DATE in "".join(english.itertext())
    assert FRENCH_DATE in "".join(french.itertext())
    # Whole: no isolating span cuts the entry into pieces.
    assert not english.xpath(".//x:span[@dir]", namespaces=NS)


def test_the_english_leaflet_marks_only_the_reference_in_another_language(built):
    by_id = {entry.get("id"): entry for entry in entries(built["en"]["epub"])}
    assert by_id["ref-foster2018"].get("lang") is None
    assert by_id["ref-foster2018"].get("dir") is None
    assert (by_id["ref-rousseau2019"].get("lang"), by_id["ref-rousseau2019"].get("dir")) == ("fr", "ltr")


@pytest.mark.parametrize("value, expected", [
    ("en", "en"), (" pt-BR ", "pt-BR"), ("English", "ar"), ("", "ar"), (None, "ar"),
    ("<script>", "ar"), (42, "ar")])
def test_only_a_language_tag_names_a_references_language(value, expected):
    assert entry_language({"id": "x", "language": value}, "ar") == expected
