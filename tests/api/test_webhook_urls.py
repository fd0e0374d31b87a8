"""Webhook URLs the emulator refuses are PATCH errors (code 4), never a request."""

from __future__ import annotations

import pytest
from stream_chat.base.exceptions import StreamAPIException

from emulator.app_settings import AppSettings
from emulator.errors import InputError

REFUSED = [
    ("ftp://127.0.0.1/hook", "must be a valid URL"),
    ("https://example.com/hook", "must point at a loopback host"),
    ("http://10.0.0.7:8080/hook", "must point at a loopback host"),
    ("http://127.0.0.1.example.com/hook", "must point at a loopback host"),
]


@pytest.mark.parametrize("url, words", REFUSED, ids=[u for u, _ in REFUSED])
def test_refused_hook_url_is_code_4_and_changes_nothing(chat, url, words):
    before = chat.get_app_settings()["app"]
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[
            {"hook_type": "webhook", "enabled": True, "webhook_url": url}])
    assert caught.value.status_code == 400 and caught.value.error_code == 4
    assert f"event_hooks[0].webhook_url {words}" in caught.value.error_message
    assert url in caught.value.error_message
    assert chat.get_app_settings()["app"] == before


def test_refused_legacy_webhook_url(chat):
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(webhook_url="https://hooks.example.com/stream")
    assert caught.value.error_code == 4 and "--allow-remote" in caught.value.error_message


@pytest.mark.parametrize("url", ["http://localhost:9/hook", "http://127.0.0.1:9/hook",
                                 "https://127.0.0.2/hook", "http://[::1]:9/hook"])
def test_loopback_urls_are_accepted(chat, url):
    chat.update_app_settings(event_hooks=[
        {"hook_type": "webhook", "enabled": True, "webhook_url": url}])
    [stored] = chat.get_app_settings()["app"]["event_hooks"]
    assert stored["webhook_url"] == url


def test_allow_remote_accepts_any_http_host():
    body = {"event_hooks": [{"hook_type": "webhook", "webhook_url": "https://example.com/x"}],
            "webhook_url": "https://hooks.example.com/stream"}
    with pytest.raises(InputError):
        AppSettings().patched(body)
    app = AppSettings().patched(body, allow_remote=True)
    assert app.event_hooks[0].get("webhook_url") == "https://example.com/x"
    with pytest.raises(InputError, match="valid URL"):
        AppSettings().patched({"webhook_url": "ftp://example.com/x"}, allow_remote=True)
