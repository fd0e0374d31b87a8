"""start_emulator pauses the cyclic GC while it imports and builds the app, and gives the
caller's GC state back whatever happens."""

from __future__ import annotations

import gc

import pytest

from emulator.testing.emulator import _gc_paused


@pytest.fixture
def gc_state():
    before = gc.isenabled()
    yield
    if before:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_enabled_again_after(gc_state):
    gc.enable()
    with _gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_enabled_again_after_an_error(gc_state):
    gc.enable()
    with pytest.raises(OSError), _gc_paused():
        raise OSError("port in use")
    assert gc.isenabled()


def test_a_callers_disabled_gc_stays_disabled(gc_state):
    gc.disable()
    with _gc_paused():
        pass
    assert not gc.isenabled()
