"""Inputs that once gave a 500 or a non-JSON answer (found while fuzzing, issue 8 §2)."""

from __future__ import annotations

import json

import pytest
import requests

from emulator.auth import server_token


def call(server, method: str, path: str, body: str | None = None, **query: str):
    s = server.settings
    headers = {"Authorization": server_token(s.api_secret), "Stream-Auth-Type": "jwt",
               "Content-Type": "application/json"}
    return requests.request(method, server.base_url + path, params={"api_key": s.api_key,
                            **query}, headers=headers, data=body, timeout=10)


@pytest.mark.parametrize("limit", ["²", "١٢", "9" * 5000, "0", "-1", "+5", " 5", "5_0"])
def test_deliveries_limit_that_is_no_ascii_positive_integer_is_a_400(fresh, limit):
    answer = call(fresh, "GET", "/_emulator/deliveries", limit=limit)
    assert answer.status_code == 400 and answer.json()["code"] == 4
    assert "limit must be a positive integer" in answer.json()["message"]


@pytest.mark.parametrize("body", [
    '{"sqs": {"mode": "latency", "seconds": Infinity}}',
    '{"sqs": {"mode": "latency", "seconds": 1e400}}',
    '{"sqs": {"mode": "throttle", "probability": NaN}}',
    '{"sqs": {"mode": "latency", "latency_ms": -Infinity}}',
])
def test_nan_and_infinity_are_rejected_as_invalid_json(fresh, body):
    answer = call(fresh, "POST", "/_emulator/faults", body)
    assert answer.status_code == 400 and answer.json()["code"] == 4
    assert "invalid JSON body" in answer.json()["message"]
    # Nothing was stored, and the fault answer stays strict JSON.
    faults = call(fresh, "GET", "/_emulator/faults")
    assert json.loads(faults.text, parse_constant=pytest.fail)["sqs"] is None


@pytest.mark.parametrize("path", ["/app", "/api/v2/app"])
def test_url_that_urlparse_cannot_parse_is_a_400_on_patch(fresh, path):
    for body in ({"sqs_url": "http://[::1"}, {"event_hooks": [{
            "hook_type": "webhook", "webhook_url": "https://[example.com/x"}]}):
        answer = call(fresh, "PATCH", path, json.dumps(body))
        assert answer.status_code == 400 and "must be a valid URL" in answer.json()["message"]


def test_check_sqs_with_an_unparsable_url_reports_an_invalid_url(fresh):
    body = {"sqs_url": "http://[::1", "sqs_key": "k", "sqs_secret": "s"}
    answer = call(fresh, "POST", "/check_sqs", json.dumps(body))
    assert answer.status_code == 201
    assert answer.json()["status"] == "error"
    assert answer.json()["error"] == "invalid SQS url http://[::1"


def test_pending_message_hook_with_negative_timeout_is_a_400(fresh):
    hook = {"hook_type": "pending_message", "webhook_url": "https://example.com/pending",
            "timeout_ms": -5}
    answer = call(fresh, "PATCH", "/app", json.dumps({"event_hooks": [hook]}))
    assert answer.status_code == 400
    assert "event_hooks[0].timeout_ms must be a positive" in answer.json()["message"]
