"""``--shard K/N``: a stable split of a library by each leaflet's file name."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.shards import Shard, in_shard, parse_shard

NAMES = [Path(f"source/leaflet-{number:02}.md") for number in range(40)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_shards_are_disjoint_and_cover_the_library(count):
    parts = [in_shard(NAMES, Shard(number, count)) for number in range(1, count + 1)]
    assert sorted(path for part in parts for path in part) == sorted(NAMES)
    assert sum(len(part) for part in parts) == len(NAMES)
    if count > 1:
        assert all(len(part) < len(NAMES) for part in parts)


def test_adding_a_leaflet_moves_no_other():
    before = {path: next(k for k in range(1, 4) if Shard(k, 3).holds(path)) for path in NAMES}
    more = NAMES + [Path("source/new-leaflet.md")]
    after = {path: next(k for k in range(1, 4) if Shard(k, 3).holds(path)) for path in more}
    assert {path: after[path] for path in NAMES} == before


def test_the_split_depends_on_the_name_not_the_folder():
    shard = Shard(1, 3)
    assert [shard.holds(Path("a") / p.name) for p in NAMES] == [shard.holds(p) for p in NAMES]


@pytest.mark.parametrize("text, message", [
    ("3/2", "the part K must be from 1 to N (2)"), ("0/2", "the part K must be from 1 to N (2)"),
    ("a/b", "write the part and the number of parts as K/N"), ("1/0", "N must be 1 or more"),
    ("2", "write the part and the number of parts as K/N")])
def test_bad_shards_say_what_to_write(text, message):
    with pytest.raises(UsageError) as raised:
        parse_shard(text)
    assert message in str(raised.value) and f"--shard {text!r}" in str(raised.value)
    assert raised.value.exit_code == 2


def test_a_good_shard():
    assert parse_shard(" 2/4 ") == Shard(2, 4) and str(Shard(2, 4)) == "2/4"
