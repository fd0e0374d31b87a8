"""Coherent traffic: event types drawn from the mix, built in a seeded world of chosen size.

The simulator owns its generator (rather than asking the emulator's shared one) so that the
seed and the world's size are the caller's, and a run replays exactly with the same seed.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from ..config import UsageError
from ..events.generator import Generator
from ..events.pools import pools_for
from ..events.world import MIN_CHANNELS, MIN_USERS, World
from .mix import Mix, Picker

CHANNEL_GROWTH = 4  # a run's world holds at most this many times its initial channels


class SizedGenerator(Generator):
    """The catalogue's generator, with a world of `users` users and `channels` channels."""

    def __init__(self, users: int, channels: int, **options: Any) -> None:
        self.users, self.channels = users, channels
        super().__init__(**options)

    def reset(self) -> None:
        super().reset()
        # The default world is replaced by one of the requested size, drawn from the same
        # seeded RNG, so the run stays a pure function of the seed.
        self.world = World(self.rng, pools_for(self.seed), self.clock.now_us,
                           users=self.users, channels=self.channels,
                           max_channels=CHANNEL_GROWTH * self.channels)


def check_size(users: int, channels: int) -> None:
    # Below these the generator tops the world up by itself, so smaller sizes would lie.
    if users < MIN_USERS:
        raise UsageError(f"--users: expected at least {MIN_USERS} (the world keeps that many "
                         f"alive), received {users}")
    if channels < MIN_CHANNELS:
        raise UsageError(f"--channels: expected at least {MIN_CHANNELS} (the world keeps that "
                         f"many alive), received {channels}")


class Traffic:
    def __init__(self, mix: Mix, seed: int, users: int, channels: int, dialect: str) -> None:
        check_size(users, channels)
        mix = mix.for_dialect(dialect)
        self.seed = seed
        # share: the runner serialises each batch right away and never changes a payload
        self.generator = SizedGenerator(users, channels, seed=seed, dialect=dialect, share=True)
        # A separate stream for the mix, so changing weights does not reshuffle the world.
        self.picker = Picker(mix, random.Random(seed ^ 0x5EED))
        self.sent: Counter[str] = Counter()
        self._warm_up(mix, dialect)

    @staticmethod
    def _warm_up(mix: Mix, dialect: str) -> None:
        # Schemas compile on first use (~1 s for the registry); do it before the clock starts
        # so the first second of the run is not mistaken for a slow machine.
        from ..catalog.registry import get_registry

        registry = get_registry()
        for event_type in mix.weights:
            registry.fast_validator(event_type, dialect)

    def wait_ready(self) -> None:
        """Nothing to wait for: built and warmed up already (TrafficProcess has to wait)."""

    @property
    def world(self) -> World:
        return self.generator.world

    def batch(self, size: int) -> list[dict[str, Any]]:
        events = []
        for _ in range(size):
            event_type = self.picker.draw(self.sent)
            events.append(self.generator.make(event_type))
            self.sent[event_type] += 1
        return events
