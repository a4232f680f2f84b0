"""The id grammar (engine.ids): every network id and code names its shard, shard 0's as before."""
import re

import pytest

from engine import ids
from engine.errors import EngineError


@pytest.mark.parametrize("kind", ["network", "snapshot", "class"])
@pytest.mark.parametrize("shard", [0, 1, 21, 22, 100, ids.MAX_SHARDS - 1])
def test_an_id_names_its_shard_and_matches_the_served_grammar(kind, shard):
    made = ids.new_id(kind, shard)
    assert ids.shard_of(kind, made) == shard and ids.canonical(kind, made) == made
    m = re.fullmatch(ids.IDS[kind], made)
    assert m and m[1] == ids.shard_tag(shard) and len(m[2]) == ids.RANDOM_CHARS[kind]
    if kind != "network":  # codes are typed in any case
        assert ids.shard_of(kind, made.lower()) == shard and ids.canonical(kind, f" {made.lower()} ") == made


def test_shard_zero_makes_the_ids_and_codes_made_before_shards_existed():
    assert ids.shard_tag(0) == "" and ids.shard_tag(1) == "C" and ids.shard_tag(22) == "CA"
    assert len(ids.new_id("network")) == 22 and len(ids.new_id("class")) == 6 and len(ids.new_id("snapshot")) == 15
    old_id, old_join = "Qw3-_x" * 3 + "abcd", "H4K7NP"
    assert ids.shard_of("network", old_id) == 0 and ids.shard_of("class", old_join) == 0


def test_network_ids_keep_128_random_bits_and_refuse_what_is_no_id():
    assert len({ids.new_id("network", 1)[1:] for _ in range(1000)}) == 1000
    assert all(len(ids.new_id("network", 3)) == 23 for _ in range(100))
    for bad in ("", "short", "x" * 25, "A" + "x" * 22, "bad/char" * 3):  # "A…": a tag with a leading zero
        assert ids.shard_of("network", bad) is None
    assert ids.canonical("class", "C" + "O" * 6) is None and ids.canonical("class", "AH4K7NP") is None  # O; a leading zero
    with pytest.raises(EngineError):
        ids.shard_tag(ids.MAX_SHARDS)
