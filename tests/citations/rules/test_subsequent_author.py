"""CSL 1.0.2, `subsequent-author-substitute` (``rules.subsequent_author``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import item, names, render

BIBLIOGRAPHY = ('<citation><layout><text variable="title"/></layout></citation>'
                '<bibliography subsequent-author-substitute="———"><layout><group delimiter=", ">'
                '<names variable="author"><name/><substitute><text variable="title"/></substitute>'
                '</names><text variable="title"/></group></layout></bibliography>')


def test_names_repeated_from_the_preceding_entry_are_replaced(tmp_path: Path) -> None:
    items = [item(id="a", title="Alpha", author=names("John Smith")),
             item(id="b", title="Beta", author=names("John Smith")),
             item(id="c", title="Gamma", author=names("John Smith", "Jane Roe"))]
    _, entries = render(tmp_path, BIBLIOGRAPHY, items)
    assert entries == ["John Smith, Alpha", "———, Beta", "John Smith, Jane Roe, Gamma"]


def test_a_substituted_title_counts_as_the_names(tmp_path: Path) -> None:
    items = [item(id="a", title="Alpha"), item(id="b", title="Alpha")]
    _, entries = render(tmp_path, BIBLIOGRAPHY, items)
    # The substituted title is not printed again in the entry ("Substitute").
    assert entries == ["Alpha", "———"]


def test_without_the_attribute_every_entry_keeps_its_names(tmp_path: Path) -> None:
    body = BIBLIOGRAPHY.replace(' subsequent-author-substitute="———"', "")
    items = [item(id="a", title="Alpha", author=names("John Smith")),
             item(id="b", title="Beta", author=names("John Smith"))]
    _, entries = render(tmp_path, body, items)
    assert entries == ["John Smith, Alpha", "John Smith, Beta"]
