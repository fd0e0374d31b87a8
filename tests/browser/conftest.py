"""One headless Chromium per test module; a fresh browser context (cookies) per test.

Module scope, not session: Playwright's sync API keeps an asyncio loop running in this
thread while it is open, and `asyncio.run()` in any later test of the worker (the async
SDK tests) would then fail with "cannot be called from a running event loop".
"""

from __future__ import annotations

import pytest

from .chromium import launch, missing_reason

TIMEOUT_MS = 10_000  # a loaded CI machine; pages here answer in milliseconds


@pytest.fixture(scope="module")
def browser():
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, fresh):
    context = browser.new_context(base_url=fresh.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, api_key: str, api_secret: str) -> None:
    page.goto("/dashboard/login")
    page.fill("#api_key", api_key)
    page.fill("#api_secret", api_secret)
    page.click("button:has-text('Sign in')")


@pytest.fixture
def signed_in(page, fresh):
    sign_in(page, fresh.settings.api_key, fresh.settings.api_secret)
    page.wait_for_url("**/dashboard/")
    return page
