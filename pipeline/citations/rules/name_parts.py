"""CSL-JSON names, their parts found as citeproc-js and pandoc's citeproc find them.

CSL 1.0.2, "Name-part Order" renders a name from its parts: given,
family, dropping and non-dropping particles, suffix. A reference often
gives the particles within the other parts ("family": "van Gogh",
"given": "Alexander von"); the processors the CSL test suite is written
for read "lowercase elements before the family name ... as “non-dropping”
particles, and lowercase elements following the given name as “dropping”
particles", and so does this module, before citeproc-py reads the names:

- a family name that starts with lowercase words ("van der Vlist") or a
  lowercase prefix joined by an apostrophe or a hyphen ("d’Aubignac",
  "al-One") has them as its non-dropping particle;
- a given name that ends in lowercase words ("Alexander von") has them as
  its dropping particle;
- a given name with a comma has its suffix after it ("John, Jr."; ",!"
  marks a suffix that keeps its comma in display order);
- a part in double quotes ("\"van Happel\"") is taken as written, without
  the quotes;
- a straight apostrophe in a name is the typographic one (’).

A part given explicitly (a "non-dropping-particle" field ...) is never
searched for.
"""
from __future__ import annotations

PARTICLE_PUNCTUATION = "'\u2019-\u2013."
QUOTED = '"'


def parsed_name(name: dict) -> dict:
    """The CSL-JSON name with its particles and suffix as parts of their own."""
    if "literal" in name:
        return name
    name = {part: value.replace("'", "\u2019") if isinstance(value, str) else value
            for part, value in name.items()}
    name = with_suffix(name)
    name = with_dropping_particle(name)
    return with_non_dropping_particle(name)


def is_particle(word: str) -> bool:
    return bool(word) and all(char.islower() or char in PARTICLE_PUNCTUATION for char in word)


def unquoted(text: str) -> str | None:
    if len(text) >= 2 and text.startswith(QUOTED) and text.endswith(QUOTED):
        return text[1:-1]
    return None


def with_suffix(name: dict) -> dict:
    given = name.get("given")
    if "suffix" in name or not isinstance(given, str):
        return name
    if unquoted(given) is not None:
        return {**name, "given": unquoted(given)}
    before, comma, after = given.partition(",")
    if not before or not after:
        return name
    if after.startswith("!"):
        return {**name, "given": before, "suffix": after[1:].strip(), "comma-suffix": True}
    return {**name, "given": before, "suffix": after.strip()}


def with_dropping_particle(name: dict) -> dict:
    given = name.get("given")
    if "dropping-particle" in name or not isinstance(given, str):
        return name
    words = given.split()
    first_particle = next((index for index, word in enumerate(words) if is_particle(word)), None)
    if not first_particle or not all(is_particle(word) for word in words[first_particle:]):
        return name
    return {**name, "given": " ".join(words[:first_particle]),
            "dropping-particle": " ".join(words[first_particle:])}


def with_non_dropping_particle(name: dict) -> dict:
    family = name.get("family")
    if "non-dropping-particle" in name or not isinstance(family, str):
        return name
    if unquoted(family) is not None:
        return {**name, "family": unquoted(family)}
    words = family.split()
    particles = 0
    while particles < len(words) and is_particle(words[particles]):
        particles += 1
    if particles == len(words):
        return name
    if particles:
        return {**name, "family": " ".join(words[particles:]),
                "non-dropping-particle": " ".join(words[:particles])}
    return with_joined_particle(name, family)


def with_joined_particle(name: dict, family: str) -> dict:
    """"d’Aubignac", "al-One": a lowercase prefix joined by one apostrophe or hyphen."""
    marks = [index for index, char in enumerate(family) if char in PARTICLE_PUNCTUATION]
    if len(marks) != 1:
        return name
    mark = marks[0]
    prefix, rest = family[:mark], family[mark + 1:]
    if not prefix or not rest or not all(char.islower() for char in prefix):
        return name
    return {**name, "family": rest, "non-dropping-particle": prefix + family[mark]}
