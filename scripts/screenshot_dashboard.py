"""Screenshots of the dashboard for the README: docs/dashboard.png and docs/deliveries.png.

Starts an emulator on free ports, adds two SQS integrations (one to a real moto queue, one
to a missing queue), triggers a few events, and photographs the hooks and deliveries pages
with headless Chromium (Debian's package; nothing is downloaded).

    .venv/bin/python scripts/screenshot_dashboard.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.browser.chromium: one place for Chromium's flags

from playwright.sync_api import sync_playwright  # noqa: E402

from emulator.config import Settings  # noqa: E402
from emulator.server import EmulatorServer  # noqa: E402
from tests.browser.chromium import launch, missing_reason  # noqa: E402


def populate(server: EmulatorServer) -> None:
    queue = server.engine.create_queue("orders-events")
    backend = server.backend
    backend.update_app({"event_hooks": [
        {"hook_type": "sqs", "enabled": True, "event_types": [],
         "sqs_queue_url": queue["url"], "sqs_region": "us-east-1", "sqs_auth_type": "keys",
         "sqs_key": "AKIAEMULATOREXAMPLE", "sqs_secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE"},
        {"hook_type": "sqs", "enabled": True, "event_types": ["reaction.new"],
         "sqs_queue_url": f"{server.engine.endpoint_url}/123456789012/gone-queue",
         "sqs_region": "us-east-1", "sqs_auth_type": "resource"},
        {"hook_type": "sqs", "enabled": False, "event_types": ["message.new", "user.banned"],
         "sqs_queue_url": "https://sqs.eu-west-1.amazonaws.com/123456789012/audit",
         "sqs_region": "eu-west-1", "sqs_auth_type": "resource"},
    ]})
    for event_type in ("message.new", "message.new", "reaction.new", "channel.created"):
        backend.trigger(event_type)


def main() -> int:
    reason = missing_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with EmulatorServer(Settings(port=0, sqs_port=0)) as server, sync_playwright() as pw:
        populate(server)
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server.base_url}/dashboard/login")
        page.fill("#api_key", server.settings.api_key)
        page.fill("#api_secret", server.settings.api_secret)
        page.click("button[type=submit]")
        page.goto(f"{server.base_url}/dashboard/hooks")
        page.screenshot(path=str(out / "dashboard.png"), full_page=True)
        page.goto(f"{server.base_url}/dashboard/deliveries")
        page.screenshot(path=str(out / "deliveries.png"), full_page=True)
        browser.close()
    print(f"wrote {out / 'dashboard.png'} and {out / 'deliveries.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
