"""CSL-JSON names, their particles and suffixes found (``rules.name_parts``), and as rendered
("Name-part Order")."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations.rules.name_parts import parsed_name

from rule_styles import cite, item


@pytest.mark.parametrize("name, parts", [
    ({"family": "van der Vlist", "given": "Eric"},
     {"family": "Vlist", "given": "Eric", "non-dropping-particle": "van der"}),
    ({"family": "Humboldt", "given": "Alexander von"},
     {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}),
    ({"family": "d'Aubignac", "given": "François Hédelin"},
     {"family": "Aubignac", "given": "François Hédelin", "non-dropping-particle": "d\u2019"}),
    ({"family": "al-One", "given": "Alan"}, {"family": "One", "given": "Alan", "non-dropping-particle": "al-"}),
    ({"family": "Doe", "given": "John, Jr."}, {"family": "Doe", "given": "John", "suffix": "Jr."}),
    ({"family": "Doe", "given": "John,! Jr."},
     {"family": "Doe", "given": "John", "suffix": "Jr.", "comma-suffix": True}),
    ({"family": '"van Happel"', "given": "Eduard"}, {"family": "van Happel", "given": "Eduard"}),
    ({"family": "Van Dyke", "given": "Dick"}, {"family": "Van Dyke", "given": "Dick"}),
    ({"family": "van Gogh", "given": "Vincent", "non-dropping-particle": ""},
     {"family": "van Gogh", "given": "Vincent", "non-dropping-particle": ""}),
    ({"literal": "van Happel & Co"}, {"literal": "van Happel & Co"}),
])
def test_particles_and_suffixes_are_found_in_the_name(name: dict, parts: dict) -> None:
    assert parsed_name(name) == parts


def test_a_found_particle_is_placed_as_the_style_asks(tmp_path: Path) -> None:
    """demote-non-dropping-particle (default display-and-sort): "Vlist, Eric van der" inverted;
    the dropping particle follows the given name: "Humboldt, Alexander von"."""
    layout = '<names variable="author"><name name-as-sort-order="all"/></names>'
    assert cite(tmp_path, layout, [item(author=[{"family": "van der Vlist", "given": "Eric"}])]) == \
        "Vlist, Eric van der"
    assert cite(tmp_path, layout, [item(author=[{"family": "Humboldt", "given": "Alexander von"}])]) == \
        "Humboldt, Alexander von"
    assert cite(tmp_path, '<names variable="author"><name/></names>',
                [item(author=[{"family": "Hooft", "given": "Gerard", "non-dropping-particle": "'t"}])]) == \
        "Gerard \u2019t Hooft"
