"""The cyclic garbage collector paused while a request handles a batch of events, and while
the pytest helpers start an emulator (testing/emulator.py).

Parsing a 1 MiB batch makes ~30,000 dicts and lists that live until the request ends. With
the collector on, they are promoted to the old generation while alive, and every few requests
a full collection walks the whole heap (moto's messages, the ledger, the schemas): measured
~40 µs per event, a quarter of the server's CPU on `simulate --url`. Reference counting frees
them all when the request ends, and none forms a cycle, so the collector has nothing to find
in them: it is paused for the request and resumes at once after. Starting an emulator imports
moto, Flask and the app: ~40,000 objects that live as long as the process, no garbage, yet
the full passes over them were ~30% of the plugin's cold start.

The collector is process-wide and the server answers on several threads (and may run inside
a user's pytest process): the first one in (request or start) pauses it, the last one out
resumes it, and only if it was on when the first came in.

`steady_gc` is the simulator's (a run and its traffic process): the collector stays on, with
the long-lived objects frozen out of its scans.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _inside, _resume
    with _lock:
        if _inside == 0:
            _resume = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _resume:
                gc.enable()


@contextmanager
def steady_gc() -> Iterator[None]:
    """A run makes a few dozen short-lived containers per event. The set-up's objects (schemas,
    moto, the world) are frozen out of the collector's scans and young collections come less
    often, which saved ~10 % of a run's CPU; the process's own settings come back after."""
    threshold, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    gc.collect()  # garbage left now would be frozen for good
    gc.freeze()
    gc.set_threshold(max(threshold[0], 20_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen_before:  # someone else's freeze stays theirs
            gc.unfreeze()
