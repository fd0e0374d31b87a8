"""The pytest plugin's options: flag > ini > environment > default, one value per run.

The seed must be the same in every xdist worker and printed once, so the controller picks it
and hands it to the workers through `workerinput` (pytest_configure_node).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog.dialects import check_dialect
from ..config import EMULATOR_URL_EXAMPLE, ClientSettings, Settings, UsageError, check_url

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
    """`option(name)` / `ini(name)` read pytest's flags and ini values (None or '' = unset);
    the environment layer comes from config (STREAM_EMULATOR_URL/_SEED/_DIALECT, parsed once)."""
    from_env = Settings.from_env(env)
    url = _first(_url(option("stream_emulator_url"), "--stream-emulator-url"),
                 _url(ini("stream_emulator_url"), "stream_emulator_url (ini)"),
                 ClientSettings.from_env(env).emulator_url)
    given = _first(option("stream_dialect"), ini("stream_dialect"))
    dialect = from_env.dialect if given is None else check_dialect(
        given, "--stream-dialect", UsageError)
    raw_seed = _first(option("stream_seed"), ini("stream_seed"))
    seed_chosen = raw_seed is not None or from_env.seed is not None
    if workerinput and SEED_KEY in workerinput:  # an xdist worker: the controller decided
        return PluginOptions(url, int(workerinput[SEED_KEY]), dialect, seed_chosen)
    if raw_seed is None:
        seed = from_env.seed
        if seed is None:
            return PluginOptions(url, random.SystemRandom().randrange(1, 2**31), dialect, False)
        return PluginOptions(url, seed, dialect, True)
    try:
        return PluginOptions(url, int(raw_seed), dialect, True)
    except ValueError:
        raise UsageError(f"--stream-seed: expected an integer, got {raw_seed!r}") from None


def _url(value: str | None, name: str) -> str | None:
    """A flag's or ini's URL, checked like the variables (UsageError: one line, no fixture
    traceback later); None when unset."""
    return None if value in (None, "") else check_url(value, name, EMULATOR_URL_EXAMPLE)


def _first(*values: Any) -> Any:
    for value in values:
        if value not in (None, ""):
            return value
    return None
