"""CSL 1.0.2, "Ordinal Suffixes" and "Gender-specific Ordinals" (``rules.ordinals``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rule_styles import citation_only, item, render


@pytest.mark.parametrize("lang, edition, expected", [
    ("de-DE", "3", "3. Aufl."), ("fr-FR", "3", "3ᵉ éd."), ("fr-FR", "1", "1ʳᵉ éd."),
    ("en-US", "3", "3rd ed."), ("en-US", "13", "13th ed."), ("en-US", "22", "22nd ed.")])
def test_ordinal_terms_of_a_locale_replace_those_of_its_fallbacks(tmp_path: Path, lang: str, edition: str,
                                                                  expected: str) -> None:
    """"(re)defining any of the ordinal terms ... replaces all previously defined ordinal terms";
    the ordinal has the gender of its noun ("édition" is feminine) (ordinals.to_ordinal)."""
    body = citation_only('<number variable="edition" form="ordinal"/><text term="edition" form="short" prefix=" "/>')
    assert render(tmp_path, body, [item(edition=edition)], lang=lang)[0] == [expected]


def test_day_ordinal_has_the_gender_of_the_month(tmp_path: Path) -> None:
    """"When the "day" date-part is rendered in the "ordinal" form, the ordinal gender is matched
    against that of the month term" (ordinals.day_with_month_gender)."""
    layout = ('<date variable="issued"><date-part name="day" form="ordinal" suffix=" "/>'
              '<date-part name="month"/></date>')
    body = citation_only(layout)
    assert render(tmp_path, body, [item(issued={"date-parts": [[2001, 3, 1]]})], lang="fr-FR")[0] == ["1ᵉʳ mars"]
    localized = '<macro name="date"><date variable="issued" form="text"><date-part name="day" form="ordinal"/></date></macro>' + citation_only('<text macro="date"/>')
    assert render(tmp_path, localized, [item(issued={"date-parts": [[2001, 3, 1]]})], lang="fr-FR")[0] == \
        ["1ᵉʳ mars 2001"]
