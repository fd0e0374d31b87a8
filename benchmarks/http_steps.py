"""CPU per event of each step of `simulate --url`, one step at a time (issue 15 P7).

    python -m benchmarks.http_steps [--events 6000]

A profiler's wall-clock samples on a shared machine count the time a thread waited for a core;
this measures `time.process_time()` around each step instead, on the same seeded batches as
bench_http, so the shares hold on a loaded machine. Server steps run on a real backend (embedded
moto, run's default queue and hook); the whole request goes through the Flask app (WSGI test
client: no socket), and what it costs beyond the steps is Flask and werkzeug. For
benchmarks/PROFILE.md; no target.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import orjson

from emulator.api.common import _depth_check
from emulator.api.jsonio import parse
from emulator.auth import server_token
from emulator.catalog.batch import check_events
from emulator.config import Settings
from emulator.gcpause import collector_paused
from emulator.server import EmulatorServer
from emulator.simulate.mix import load_mix
from emulator.simulate.report import Tally
from emulator.simulate.sinks import request_chunks
from emulator.simulate.traffic import Traffic


def cpu(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = step()
    return time.process_time() - started, result


def body_of(chunk: list[bytes], echo: bool) -> bytes:
    head = b'{"dialect":"v1"' + (b"" if echo else b',"echo":false')
    return head + b',"events":[' + b",".join(chunk) + b"]}"


def client_steps(traffic: Traffic, events: int) -> tuple[dict[str, float], list[list[bytes]]]:
    spent = {"generate the events": 0.0, "encode them, size the requests": 0.0}
    chunks: list[list[bytes]] = []
    for _ in range(events // 500):
        took, batch = cpu(lambda: traffic.batch(500))
        spent["generate the events"] += took
        took, found = cpu(lambda batch=batch: request_chunks([orjson.dumps(e) for e in batch]))
        spent["encode them, size the requests"] += took
        chunks += found
    return spent, chunks


def server_steps(server: EmulatorServer, chunks: list[list[bytes]]) -> dict[str, float]:
    backend, app = server.backend, server._http.app
    settings = server.settings
    spent = dict.fromkeys(["parse, the collector not paused", "parse the body (orjson)",
                           "nesting-depth check",
                           "schema check of every payload", "delivery (encode, SQS, records)",
                           "the answer: records only (echo false)",
                           "the answer: events echoed too (default)"], 0.0)
    # Whole requests first: the steps after them then run on the fuller queue and ledger, so
    # the gap between the two is not the state that the first loop left behind.
    client = app.test_client()
    headers = {"Authorization": server_token(settings.api_secret), "Stream-Auth-Type": "jwt",
               "Content-Type": "application/json"}
    url = f"/_emulator/events?api_key={settings.api_key}"
    whole = 0.0
    for chunk in chunks:
        took, answer = cpu(lambda c=chunk: client.post(url, data=body_of(c, False),
                                                       headers=headers))
        assert answer.status_code == 201, answer.data[:200]
        whole += took
    spent["whole request through Flask (echo false)"] = whole
    for chunk in chunks:
        body = body_of(chunk, echo=False)
        # Parsed once with the collector on, for the row of what emulator/gcpause.py saves.
        spent["parse, the collector not paused"] += cpu(lambda body=body: parse(body))[0]
        with collector_paused():  # as the view runs
            delivered = _steps(backend, body, spent)
        with app.app_context():
            for echo, name in ((False, "records only (echo false)"),
                               (True, "events echoed too (default)")):
                answer = ({"events": delivered.events} if echo else {}) | {
                    "deliveries": [r.to_wire() for r in delivered.records]}
                spent[f"the answer: {name}"] += cpu(lambda a=answer: app.json.response(a))[0]
    return spent


def _steps(backend: Any, body: bytes, spent: dict[str, float]) -> Any:
    took, parsed = cpu(lambda: parse(body))
    spent["parse the body (orjson)"] += took
    spent["nesting-depth check"] += cpu(lambda: _depth_check().is_valid(parsed))[0]
    took, events = cpu(lambda: check_events(parsed["events"], "v1"))
    spent["schema check of every payload"] += took
    took, delivered = cpu(lambda: backend.deliver_many(events, checked=True))
    spent["delivery (encode, SQS, records)"] += took
    return delivered


def read_answers(server: EmulatorServer, chunks: list[list[bytes]]) -> float:
    """The client's last step: read a records-only answer and count it."""
    backend, app, spent, tally = server.backend, server._http.app, 0.0, Tally()
    for chunk in chunks[:5]:
        events = [orjson.loads(t) for t in chunk]
        records = [r.to_wire() for r in backend.deliver_many(events, checked=True).records]
        with app.app_context():
            raw = app.json.response({"deliveries": records}).get_data()
        spent += cpu(lambda raw=raw, e=events: tally.add(e, orjson.loads(raw)["deliveries"]))[0]
    return spent / sum(len(c) for c in chunks[:5]) * sum(len(c) for c in chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6000)
    args = parser.parse_args()
    settings = Settings.from_env(port=0, sqs_port=0, seed=1)
    with EmulatorServer(settings) as server:
        server.backend.create_default_queue()
        traffic = Traffic(load_mix(None), 3, 200, 50, "v1")
        client_steps(traffic, 500)  # warm-up: world, schemas, caches
        server_steps(server, client_steps(traffic, 500)[1])
        client, chunks = client_steps(traffic, args.events)
        server_side = server_steps(server, chunks)
        client["read the answer, count it"] = read_answers(server, chunks)
    count = sum(len(c) for c in chunks)
    print(f"{count:,} events in {len(chunks)} requests; CPU µs per event, step by step")
    for side, spent in (("client", client), ("server", server_side)):
        for name, seconds in spent.items():
            print(f"  {side:6s}  {name:44s} {seconds / count * 1e6:7.1f}")


if __name__ == "__main__":
    main()
