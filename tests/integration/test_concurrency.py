"""8 threads hammering PATCH /app, check_sqs and triggers: no errors, no mixed hook sets,
exact ledger totals."""

from __future__ import annotations

import threading
import time

from stream_chat import StreamChat

from emulator.cli.client import ControlClient


def hook_set(queue_url: str, tag: str) -> list[dict]:
    return [{"hook_type": "sqs", "enabled": True, "id": f"{tag}-{i}", "sqs_queue_url": queue_url,
             "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"} for i in range(2)]


def test_parallel_patches_checks_and_triggers(fresh):
    queue = fresh.engine.create_queue("busy", dlq=False)
    s = fresh.settings
    sets = {tag: hook_set(queue["url"], tag) for tag in "abcd"}
    ControlClient.for_settings(fresh.base_url, s).patch("/app", {"event_hooks": sets["a"]})
    errors: list[BaseException] = []
    triggered = [0]
    lock = threading.Lock()
    stop = time.monotonic() + 3

    def patcher(tag: str) -> None:
        chat = StreamChat(s.api_key, s.api_secret, base_url=fresh.base_url)
        while time.monotonic() < stop:
            chat.update_app_settings(event_hooks=sets[tag])
            assert chat.check_sqs(sqs_key="k", sqs_secret="s",
                                  sqs_url=queue["url"])["status"] == "ok"

    def trigger() -> None:
        client = ControlClient.for_settings(fresh.base_url, s)
        while time.monotonic() < stop:
            answer = client.post("/_emulator/events", {"type": "message.new", "count": 5})
            assert len(answer["deliveries"]) == 10
            with lock:
                triggered[0] += 5

    def guarded(fn, *args):
        try:
            fn(*args)
        except BaseException as exc:  # collected: an assertion in a thread must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(patcher, tag)) for tag in "abcd"]
    threads += [threading.Thread(target=guarded, args=(trigger,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]
    final = fresh.backend.app.event_hooks
    assert [h.id for h in final] in [[h["id"] for h in hooks] for hooks in sets.values()]
    totals = fresh.backend.totals()
    assert triggered[0] > 0
    assert sum(totals.values()) == totals["delivered"] == triggered[0] * 2
