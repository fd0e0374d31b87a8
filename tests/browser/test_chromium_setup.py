"""Where the browser is missing, the browser tests skip and say why (no browser needed)."""

from __future__ import annotations

from . import chromium


def test_missing_chromium_is_named_in_the_skip_reason(monkeypatch):
    monkeypatch.setattr(chromium, "CHROMIUM", "/nonexistent/chromium")
    assert "/nonexistent/chromium is missing" in chromium.missing_reason()


def test_chromium_runs_headless_without_network_chatter():
    for flag in ("--headless", "--no-sandbox", "--disable-background-networking"):
        assert flag in chromium.CHROMIUM_ARGS
