"""The pytest plugin's options: flag > ini > environment > default, one value per run.

The seed must be the same in every xdist worker and printed once, so the controller picks it
and hands it to the workers through `workerinput` (pytest_configure_node).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..config import DIALECTS

SEED_KEY = "stream_seed"  # in xdist's workerinput


@dataclass(frozen=True)
class PluginOptions:
    url: str | None  # an external emulator; None = one in-process emulator per worker
    seed: int
    dialect: str
    seed_chosen: bool  # True when the user gave the seed, False when picked at random

    def header(self) -> str:
        where = f"external emulator {self.url}" if self.url else "in-process emulator per worker"
        replay = "" if self.seed_chosen else f" (replay with --stream-seed {self.seed})"
        return f"stream-sqs-emulator: seed {self.seed}{replay}, dialect {self.dialect}, {where}"


def resolve(option: Callable[[str], Any], ini: Callable[[str], Any],
            env: Mapping[str, str] | None = None,
            workerinput: Mapping[str, Any] | None = None) -> PluginOptions:
    """`option(name)` / `ini(name)` read pytest's flags and ini values (None or '' = unset)."""
    env = os.environ if env is None else env
    url = _first(option("stream_emulator_url"), ini("stream_emulator_url"),
                 env.get("STREAM_EMULATOR_URL"))
    dialect = _first(option("stream_dialect"), ini("stream_dialect"),
                     env.get("STREAM_EMULATOR_DIALECT")) or "v1"
    if dialect not in DIALECTS:
        raise ValueError(f"--stream-dialect: expected one of {', '.join(DIALECTS)}, "
                         f"got {dialect!r}")
    raw_seed = _first(option("stream_seed"), ini("stream_seed"), env.get("STREAM_EMULATOR_SEED"))
    if workerinput and SEED_KEY in workerinput:  # an xdist worker: the controller decided
        return PluginOptions(url, int(workerinput[SEED_KEY]), dialect, raw_seed is not None)
    if raw_seed is None:
        return PluginOptions(url, random.SystemRandom().randrange(1, 2**31), dialect, False)
    try:
        return PluginOptions(url, int(raw_seed), dialect, True)
    except ValueError:
        raise ValueError(f"--stream-seed: expected an integer, got {raw_seed!r}") from None


def _first(*values: Any) -> Any:
    for value in values:
        if value not in (None, ""):
            return value
    return None
