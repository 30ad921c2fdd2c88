"""YAML from the user's files, read with limits: the front matter, the clinic profile and
CSL YAML bibliographies all load through ``GuardedLoader``, so none of them can end a build
with a ``RecursionError`` or keep it busy for hours."""
from __future__ import annotations

import yaml

from ..limits import MAX_DATA_NESTING_DEPTH, MAX_YAML_CHARACTERS, MAX_YAML_VALUES


class YamlTooLarge(yaml.composer.ComposerError):
    """YAML nested deeper than PyYAML's recursive composer can go, or whose aliases
    (``*name``) repeat so much that it stands for millions of values."""


class GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing YAML nested more than ``MAX_DATA_NESTING_DEPTH`` deep
    (its composer recurses: ``[[[[...`` a few hundred deep is a ``RecursionError``) or standing
    for more than ``MAX_YAML_VALUES`` values once aliases are expanded (a "billion laughs":
    the code that reads the values would take hours), or for more than ``MAX_YAML_CHARACTERS``
    characters of text (one long value repeated by aliases: each later stage copies it)."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.nesting = 0
        self.values: dict[int, int] = {}  # id of a node → values it stands for
        self.characters: dict[int, int] = {}  # id of a node → characters of text it stands for

    def compose_node(self, parent, index):
        if self.nesting >= MAX_DATA_NESTING_DEPTH:
            raise YamlTooLarge(None, None, f"lists or mappings are nested more than "
                               f"{MAX_DATA_NESTING_DEPTH} levels deep", self.peek_event().start_mark)
        self.nesting += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.nesting -= 1
        self.count_values(node)
        return node

    def count_values(self, node: yaml.Node) -> None:
        if id(node) in self.values:
            return
        if isinstance(node, yaml.ScalarNode):
            self.values[id(node)], self.characters[id(node)] = 1, len(node.value)
            return
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [child for pair in node.value for child in pair]
        self.values[id(node)] = 1 + sum(self.values.get(id(child), 1) for child in children)
        self.characters[id(node)] = sum(self.characters.get(id(child), 0) for child in children)
        if self.values[id(node)] > MAX_YAML_VALUES:
            raise YamlTooLarge(None, None, f"it stands for more than {MAX_YAML_VALUES:,} values "
                               "once its aliases (*name) are repeated", node.start_mark)
        if self.characters[id(node)] > MAX_YAML_CHARACTERS:
            raise YamlTooLarge(None, None, f"it stands for more than {MAX_YAML_CHARACTERS:,} "
                               "characters of text once its aliases (*name) are repeated",
                               node.start_mark)
