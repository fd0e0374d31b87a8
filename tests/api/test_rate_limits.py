"""Stream's rate-limit headers on every Stream API answer, as both official SDKs read them,
and `rate_limits=True` refusing the call over the limit (429, code 9)."""

from __future__ import annotations

import time

import pytest
from getstream import Stream
from getstream.exceptions import StreamRateLimitException
from stream_chat import StreamChat
from stream_chat.base.exceptions import StreamAPIException

from emulator.cli.client import ControlClient, EmulatorError
from emulator.config import Settings
from emulator.ratelimit import LIMITS
from emulator.server import EmulatorServer


class FakeClock:
    """Unix seconds the test moves by hand: no minute-long waits."""

    def __init__(self) -> None:
        self.now = 1_800_000_010.0  # 10 s into a window

    def __call__(self) -> float:
        return self.now


def test_stream_chat_responses_carry_the_counts(chat):
    first = chat.get_app_settings().rate_limit()
    second = chat.get_app_settings().rate_limit()
    assert first.limit == LIMITS["GetApp"] == 10_000
    assert (first.remaining, second.remaining) == (9_999, 9_998)
    assert first.reset.timestamp() % 60 == 0 and 0 < first.reset.timestamp() - time.time() <= 60
    update = chat.update_app_settings(enable_hook_payload_compression=False).rate_limit()
    assert (update.limit, update.remaining) == (60, 59)  # counted per endpoint


def test_mute_and_unmute_are_counted_as_stream_names_them(chat):
    """POST /moderation/mute and /unmute are Stream's MuteUser / UnmuteUser (300 a minute)."""
    chat.upsert_users([{"id": "rl-ann"}, {"id": "rl-bob"}])
    mute = chat.mute_user("rl-bob", "rl-ann").rate_limit()
    unmute = chat.unmute_user("rl-bob", "rl-ann").rate_limit()
    assert (mute.limit, mute.remaining) == (LIMITS["MuteUser"], 299)
    assert (unmute.limit, unmute.remaining) == (LIMITS["UnmuteUser"], 299)  # its own count


def test_getstream_responses_carry_the_counts_on_v2_paths(fresh):
    s = fresh.settings
    stream = Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)
    info = stream.get_app().rate_limit()
    assert info is not None and info.limit == 10_000 and info.remaining == 9_999
    assert stream.get_app().rate_limit().remaining == 9_998  # v1 and v2 paths: one endpoint


def test_limits_are_not_enforced_by_default(fresh, control):
    for _ in range(61):
        control.patch("/app", {})
    assert _headers(fresh, "/app")["x-ratelimit-limit"] == "10000"  # counted, not refused
    assert control.patch("/app", {})["duration"]


def test_control_api_is_not_counted(fresh):
    assert "x-ratelimit-limit" not in _headers(fresh, "/_emulator/deliveries")
    assert _headers(fresh, "/app")["x-ratelimit-limit"] == "10000"


@pytest.fixture
def limited(server):
    """A second emulator with limits enforced, on the shared server's SQS (no moto start)."""
    clock = FakeClock()
    settings = Settings(port=0, sqs_endpoint=server.engine.endpoint_url, rate_limits=True)
    with EmulatorServer(settings, clock=clock) as running:
        yield running, clock


def test_61st_update_app_in_a_minute_gets_429_code_9_and_a_later_call_succeeds(limited):
    running, clock = limited
    s = running.settings
    chat = StreamChat(api_key=s.api_key, api_secret=s.api_secret, base_url=running.base_url)
    for n in range(60):
        assert chat.update_app_settings(disable_auth_checks=False).rate_limit().remaining == 59 - n
    with pytest.raises(StreamAPIException) as refused:
        chat.update_app_settings(disable_auth_checks=False)
    assert refused.value.status_code == 429 and refused.value.error_code == 9
    assert "Too many requests" in refused.value.error_message
    assert chat.get_app_settings().rate_limit().remaining == 9_999  # other endpoints go on
    clock.now += 50  # the next window
    assert chat.update_app_settings(disable_auth_checks=False).rate_limit().remaining == 59


def test_getstream_sees_the_429_with_retry_after(limited):
    running, clock = limited
    s = running.settings
    stream = Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=running.base_url)
    for _ in range(60):
        stream.update_app(disable_auth_checks=False)
    with pytest.raises(StreamRateLimitException) as refused:
        stream.update_app(disable_auth_checks=False)
    assert refused.value.status_code == 429 and refused.value.retry_after.total_seconds() == 50
    clock.now += 60
    assert stream.update_app(disable_auth_checks=False).rate_limit().remaining == 59


def test_reset_starts_the_counts_again(limited):
    running, _clock = limited
    control = ControlClient.for_settings(running.base_url, running.settings)
    for _ in range(60):
        control.patch("/app", {})
    with pytest.raises(EmulatorError) as refused:
        control.patch("/app", {})
    assert refused.value.status == 429 and refused.value.body["code"] == 9
    control.post("/_emulator/reset", {})
    assert control.patch("/app", {})["duration"]


def _headers(server, path: str) -> dict[str, str]:
    import requests

    from emulator.auth import server_token

    s = server.settings
    answer = requests.get(server.base_url + path, params={"api_key": s.api_key}, timeout=10,
                          headers={"Authorization": server_token(s.api_secret),
                                   "Stream-Auth-Type": "jwt"})
    return dict(answer.headers)
