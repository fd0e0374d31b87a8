"""Webhook settings: env and flags, checked at start-up."""

from __future__ import annotations

import pytest

from emulator.cli import build_parser
from emulator.config import Settings, UsageError


def test_defaults_are_streams():
    s = Settings()
    assert (s.webhook_timeout_ms, s.allow_remote) == (6000, False)


def test_env_sets_timeout_backoff_and_allow_remote():
    s = Settings.from_env({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "250",
                           "STREAM_EMULATOR_WEBHOOK_BACKOFF_MS": "0",
                           "STREAM_EMULATOR_ALLOW_REMOTE": "true"})
    assert (s.webhook_timeout_ms, s.webhook_backoff_ms, s.allow_remote) == (250, 0, True)
    assert Settings.from_env({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "250"},
                             webhook_timeout_ms=900).webhook_timeout_ms == 900  # flag wins


@pytest.mark.parametrize("env, words", [
    ({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "0"},
     "STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS .* must be >= 1"),
    ({"STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "soon"}, "must be an integer"),
    ({"STREAM_EMULATOR_ALLOW_REMOTE": "maybe"}, "must be true or false"),
])
def test_bad_values_are_usage_errors(env, words):
    with pytest.raises(UsageError, match=words):
        Settings.from_env(env)


def test_run_flags():
    args = build_parser().parse_args(["run", "--webhook-timeout-ms", "300", "--allow-remote"])
    assert (args.webhook_timeout_ms, args.allow_remote) == (300, True)
    assert build_parser().parse_args(["run"]).allow_remote is None  # env decides
