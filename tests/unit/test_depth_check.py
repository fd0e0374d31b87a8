"""api/common: the schema that checks a body's nesting depth agrees with `nesting_depth`."""

from __future__ import annotations

import random

import orjson
import pytest

from emulator.api.common import MAX_JSON_DEPTH, _depth_check, nesting_depth


def nested(depth: int, rng: random.Random) -> object:
    """A value exactly `depth` containers deep, objects and arrays mixed, with siblings."""
    value: object = rng.choice([1, "s", None, True, 2.5])
    if depth == 0:
        return value
    if rng.random() < 0.3:  # an empty container as the innermost level
        value, depth = rng.choice([{}, []]), depth - 1
    for level in range(depth):
        siblings = [rng.choice([0, "x", None]) for _ in range(rng.randrange(3))]
        if rng.random() < 0.5:
            value = {"k": value, **{f"s{i}": s for i, s in enumerate(siblings)}}
        else:
            value = [*siblings, value] if level % 2 else [value, *siblings]
    return value


@pytest.mark.parametrize("seed", range(20))
def test_the_verdict_matches_the_walk_around_the_limit(seed):
    rng = random.Random(seed)
    for depth in (0, 1, 2, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 40):
        value = orjson.loads(orjson.dumps(nested(depth, rng)))  # as bodies come: parsed JSON
        assert nesting_depth(value) == depth
        assert _depth_check().is_valid(value) is (depth <= MAX_JSON_DEPTH), depth


def test_a_hostile_depth_is_refused_without_walking_it_all():
    deepest = orjson.loads(b"[" * 1000 + b"]" * 1000)  # orjson's own limit is 1,024
    assert _depth_check().is_valid(deepest) is False
