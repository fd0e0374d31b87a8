"""schemathesis against the emulator's own OpenAPI document, on a real server on 127.0.0.1.

One pytest item per operation (so xdist shards them), each a bounded Hypothesis run in
positive and negative mode, with server auth valid most of the time and mutated otherwise
(auth_mutations.py). Every answer must be non-5xx and match the document (status, content
type, body schema); schemathesis also probes each operation without / with invalid auth.
After each operation's run, GET /app must still validate and the ledger totals add up.

schemathesis' own pytest integration is not used: under pytest 9.2 `schema.parametrize()`
gives every operation the same node id (xdist cannot shard them) and `from_fixture` fails
on `Function._nodeid`. Plain `parametrize` + `operation.as_strategy()` + `@given` does the
same generation and checks.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import jsonschema
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.api.openapi import build_document
from emulator.auth import server_token
from emulator.backend import MAX_TRIGGER_COUNT
from emulator.config import Settings
from emulator.server import EmulatorServer

from . import auth_mutations

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, ignored_auth]
# Hypothesis examples per operation; reset with sqs=true re-creates moto state (~0.1 s).
MAX_EXAMPLES = 340
EXAMPLES = {"Reset": 150}
# The chat calls (70 operations) get fewer each: they share parsing helpers, and the suite
# must stay fast; their state-changing paths are covered by the SDK tests in tests/chat.
CHAT_EXAMPLES = 30
# Fuzzing-only bounds on costly but valid values (the document keeps the server's limits).
FUZZ_MAX_COUNT = 20  # events per trigger (server: 10000)
FUZZ_MAX_LATENCY_MS = 5  # injected SQS latency (server: 60000)
FUZZ_MAX_FAULT_SECONDS = 2.0
# Requests each operation's run must at least make (the main request of each example;
# schemathesis' auth probes come on top). Their sum is the suite's floor: >= 5,000.
MIN_REQUESTS_SLACK = 10
REQUESTS: Counter[str] = Counter()
STATUSES: dict[str, Counter[int]] = {}
# Fast retries: injected SQS outages must not make the run slow.
FUZZ_SETTINGS = Settings(port=0, sqs_port=0, retry_backoff_ms=1, send_retries=1)


@pytest.fixture(scope="session")
def fuzz_server():
    """A server of its own: the fuzzer changes settings and faults that other tests share."""
    with EmulatorServer(FUZZ_SETTINGS) as running:
        running.backend.create_default_queue()  # so triggers really reach SQS
        yield running


def _load_schema() -> Any:
    loaded = schemathesis.openapi.from_dict(build_document())
    loaded.config.generation.update(with_security_parameters=False, allow_x00=True)
    _register(loaded, FUZZ_SETTINGS)
    return loaded


def _register(loaded: Any, s: Settings) -> None:
    """Valid server auth on every case, then maybe a mutation of it drawn by Hypothesis."""
    table = auth_mutations.variants(s.api_key, s.api_secret)
    drawn = st.tuples(auth_mutations.marker_strategy(list(table)),
                      auth_mutations.client_header())

    @loaded.hook
    def flatmap_case(context, case):
        return drawn.map(lambda pair: auth_mutations.mutate(case, pair, s, table))

    @loaded.hook
    def map_body(context, body):
        return _bounded(context.operation.definition.raw.get("operationId"), body)

    # No caching, no retry_on: schemathesis must not "refresh" auth and replay after a 401,
    # or the mutated requests' answers would be replaced by valid ones.
    @loaded.auth(refresh_interval=None, retry_on=[])
    class ServerAuth:
        def get(self, case, context):
            return "valid"

        def set(self, case, marker, context):
            query, headers = auth_mutations.apply(marker, s.api_key, s.api_secret, table)
            case.query = {**(case.query or {}), **query}
            case.headers = {**(case.headers or {}), **headers}


def _bounded(operation_id: str | None, body: Any) -> Any:
    """Clamp valid-but-slow values; invalid ones pass untouched so validation still runs."""
    if not isinstance(body, dict):
        return body
    if operation_id == "TriggerEvents" and _in_range(body.get("count"), 1, MAX_TRIGGER_COUNT):
        body["count"] = min(body["count"], FUZZ_MAX_COUNT)
    fault = body.get("sqs") if operation_id == "SetFault" else None
    if isinstance(fault, dict):
        if _in_range(fault.get("latency_ms"), 0, 60_000):
            fault["latency_ms"] = min(fault["latency_ms"], FUZZ_MAX_LATENCY_MS)
        if _is_number(fault.get("seconds")) and fault["seconds"] > 0:
            fault["seconds"] = min(fault["seconds"], FUZZ_MAX_FAULT_SECONDS)
    return body


def _in_range(value: Any, low: float, high: float) -> bool:
    return _is_number(value) and low <= value <= high


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@pytest.fixture(autouse=True)
def state_still_sound(request, fuzz_server):
    """After an operation's whole run: settings still valid, ledger totals still exact."""
    started = time.monotonic()
    yield
    if request.function is not test_api_conforms_to_its_document:
        return
    name = request.node.name
    _assert_app_is_valid(fuzz_server)
    _assert_ledger_adds_up(fuzz_server)
    _assert_chat_state_readable(fuzz_server)
    made, floor = REQUESTS[name], _min_requests(request.node.callspec.params["operation"])
    print(f"\n{name}: {made} requests in {time.monotonic() - started:.1f}s, "
          f"statuses {dict(STATUSES.get(name, {}))}")
    assert made >= floor, f"{name} made only {made} requests, expected >= {floor}"


def _auth(server: EmulatorServer) -> tuple[dict, dict]:
    s = server.settings
    return ({"api_key": s.api_key},
            {"Authorization": server_token(s.api_secret), "Stream-Auth-Type": "jwt"})


def _assert_app_is_valid(server: EmulatorServer) -> None:
    params, headers = _auth(server)
    document = build_document()
    for path in ("/app", "/api/v2/app"):
        answer = requests.get(server.base_url + path, params=params, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        body_schema = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        validator = jsonschema.Draft202012Validator(
            {**body_schema, "components": document["components"]},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        validator.validate(answer.json())


def _assert_chat_state_readable(server: EmulatorServer) -> None:
    """Whatever the fuzzer stored, every channel and user still reads back in both dialects."""
    params, headers = _auth(server)
    for prefix, users_prefix in (("", ""), ("/api/v2/chat", "/api/v2")):
        for offset in range(0, 3000, 30):
            answer = requests.post(f"{server.base_url}{prefix}/channels", params=params,
                                   headers=headers, json={"limit": 30, "offset": offset},
                                   timeout=10)
            assert answer.status_code == 201, answer.text
            if not answer.json()["channels"]:
                break
        payload = {"payload": '{"limit": 100, "include_deactivated_users": true}'}
        answer = requests.get(f"{server.base_url}{users_prefix}/users",
                              params={**params, **payload}, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text


def _assert_ledger_adds_up(server: EmulatorServer) -> None:
    records, totals = server.backend.deliveries(), server.backend.totals()
    if len(records) < server.settings.ledger_size:  # not full: nothing fell off the end
        assert sum(totals.values()) == len(records), totals
    params, headers = _auth(server)
    answer = requests.get(server.base_url + "/_emulator/deliveries", params=params,
                          headers=headers, timeout=10).json()
    assert answer["totals"] == server.backend.totals()


def _examples(operation: Any) -> int:
    raw = operation.definition.raw
    if "Chat API" in raw.get("tags", []):
        return CHAT_EXAMPLES
    return EXAMPLES.get(raw["operationId"], MAX_EXAMPLES)


def _min_requests(operation: Any) -> int:
    return _examples(operation) - MIN_REQUESTS_SLACK


def test_request_floor_is_at_least_5000():
    assert sum(_min_requests(op) for op in OPERATIONS) >= 5000


SCHEMA = _load_schema()
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations()]


def _strategy(operation: Any) -> st.SearchStrategy:
    return st.one_of(*(
        operation.as_strategy(mode, auth_storage=SCHEMA.auth)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ))


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_conforms_to_its_document(operation, fuzz_server, request):
    name = request.node.name

    @given(case=_strategy(operation))
    # Derandomized so CI is repeatable; STREAM_FUZZ_RANDOM=1 explores new inputs locally.
    @settings(max_examples=_examples(operation), deadline=None, database=None, print_blob=True,
              suppress_health_check=list(HealthCheck),
              derandomize=not os.environ.get("STREAM_FUZZ_RANDOM"))
    def run(case) -> None:
        REQUESTS[name] += 1
        response = case.call_and_validate(
            base_url=fuzz_server.base_url, checks=CHECKS, timeout=30)
        STATUSES.setdefault(name, Counter())[response.status_code] += 1

    run()
