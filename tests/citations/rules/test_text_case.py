"""CSL 1.0.2, "Text-case" (``rules.text_case``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.text_case import transform

from rule_styles import citation_only, cite, item, names, render


@pytest.mark.parametrize("kind, text, expected", [
    ("title", "the effect of massage on low-back pain: a review of trials",
     "The Effect of Massage on Low-Back Pain: A Review of Trials"),
    ("title", "what it is for", "What It Is For"),
    ("title", "massage in the NHS and eBay", "Massage in the NHS and eBay"),
    ("sentence", "The Effect Of Massage On NHS Patients", "The effect of massage on NHS patients"),
    ("capitalize-first", "massage therapy", "Massage therapy"),
    ("capitalize-all", "massage for low-back pain", "Massage For Low-Back Pain"),
    ("uppercase", "massage <i>therapy</i>", "MASSAGE <i>THERAPY</i>"),
    ("lowercase", "Massage Therapy", "massage therapy"),
])
def test_text_case(kind: str, text: str, expected: str) -> None:
    assert transform(text, kind) == expected


def test_text_case_title_applies_to_english_only() -> None:
    assert transform("a massagem na dor lombar", "title", english=False) == \
        "a massagem na dor lombar"


def test_text_case_leaves_nocase_and_superscript_alone() -> None:
    assert transform('the <span class="nocase">pH</span> of x<sup>a</sup>', "uppercase") == \
        'THE <span class="nocase">pH</span> OF X<sup>a</sup>'


def test_text_case_title_looks_at_the_items_language(tmp_path: Path) -> None:
    layout = '<text variable="title" text-case="title"/>'
    assert cite(tmp_path, layout, [item(title="massage for back pain")]) == "Massage for Back Pain"
    assert cite(tmp_path, layout, [item(title="massagem para dor", language="pt-BR")]) == "massagem para dor"


def test_text_case_on_name_parts_and_numbers(tmp_path: Path) -> None:
    """citeproc-py failed on these: they reach text-case as plain str."""
    layout = ('<names variable="author"><name><name-part name="family" text-case="capitalize-first"/>'
              '</name></names><number variable="volume" prefix=" " text-case="uppercase"/>')
    assert cite(tmp_path, layout, [item(author=names("Ann de"), volume="6")]) == "Ann De 6"


def test_text_case_leaves_a_nocase_span_of_the_data_alone(tmp_path: Path) -> None:
    """CSL 1.0.2, "Text-case": citeproc-py reads the span as a ``NoCase`` part
    (``with_nocase_marked``)."""
    title = 'the <span class="nocase">smith</span> Pencil'
    assert cite(tmp_path, '<text variable="title" text-case="title"/>', [item(title=title)]) == \
        "The smith Pencil"
    assert cite(tmp_path, '<text variable="title" text-case="sentence"/>', [item(title=title)]) == \
        "The smith pencil"


def test_uppercase_in_turkish_keeps_the_dot_of_the_i(tmp_path: Path) -> None:
    layout = '<text variable="title" text-case="uppercase"/>'
    assert cite(tmp_path, layout, [item(title="<i>ic</i> and ıd", language="tr")]) == "İC AND ID"
    assert cite(tmp_path, layout, [item(title="ic and ıd", language="en")]) == "IC AND ID"


def test_a_turkish_leaflet_upper_cases_a_name_without_a_language_as_written(tmp_path: Path) -> None:
    """The dotted i is the item's language's: in a Turkish leaflet an English name (an item
    without `language`) reads "REIF", as pandoc's citeproc prints it, not "REİF"."""
    layout = citation_only('<text variable="title" text-case="uppercase"/>')
    (citation,), _ = render(tmp_path, layout, [item(title="Hernandez-Reif")], lang="tr-TR")
    assert citation == "HERNANDEZ-REIF"
