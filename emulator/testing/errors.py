"""The pytest helpers' failure: one of the client-side errors (root `EmulatorError`)."""

from __future__ import annotations

from ..cli.client import EmulatorError


class StreamFailure(EmulatorError, AssertionError):
    """A helper's expectation failed; the message explains what the emulator saw.

    An AssertionError, so pytest reports it as a test failure (not an error) and
    `pytest.raises(AssertionError)` catches it; an EmulatorError, so one `except` catches
    every client-side error."""
