"""``--shard K/N``: one of N parts of a library, for N machines building at once.

A leaflet belongs to part ``sha256(file name) mod N + 1``. The split depends on each
leaflet's own name only (the name is its path relative to the library's folder), so
adding or removing a leaflet moves no other one to another part, and every machine
working on the same library agrees on it. The N parts are disjoint and together are
the whole library.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    number: int  # K, from 1
    count: int  # N

    def holds(self, source: Path) -> bool:
        return shard_number(source, self.count) == self.number

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/4"`` → Shard(2, 4); anything else is a ``UsageError`` that says what to write."""
    match = SHARD.match(text)
    option = f"--shard {text!r}"
    if match is None:
        raise UsageError("write the part and the number of parts as K/N, e.g. 1/4",
                         option=option)
    number, count = int(match.group(1)), int(match.group(2))
    if count < 1:
        raise UsageError("the number of parts N must be 1 or more, e.g. 1/4", option=option)
    if not 1 <= number <= count:
        raise UsageError(f"the part K must be from 1 to N ({count}), e.g. 1/{max(count, 1)}",
                         option=option)
    return Shard(number, count)


def shard_number(source: Path, count: int) -> int:
    digest = hashlib.sha256(Path(source).name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def in_shard(sources: Sequence[Path], shard: Shard | None) -> list[Path]:
    """The sources of ``shard`` (all of them without one), in their order."""
    return [Path(source) for source in sources if shard is None or shard.holds(Path(source))]
