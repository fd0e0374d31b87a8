"""Every error is Stream's APIError JSON: unknown routes, methods, bad JSON, big bodies."""

from __future__ import annotations

import json

import pytest
import requests

from emulator.auth import server_token

from .test_auth import assert_stream_error


def signed(server, method, path, **kwargs):
    headers = {"Authorization": server_token(server.settings.api_secret),
               "Stream-Auth-Type": "jwt", **kwargs.pop("headers", {})}
    return requests.request(method, server.base_url + path, params={"api_key": "emulator-key"},
                            headers=headers, timeout=10, **kwargs)


def test_unknown_route_is_404_code_16(server):
    resp = signed(server, "GET", "/no/such/route")
    assert_stream_error(resp, 404, 16, "no route GET /no/such/route")
    assert resp.headers["Content-Type"].startswith("application/json")


def test_wrong_method_is_405_json(server):
    resp = signed(server, "DELETE", "/app")
    assert_stream_error(resp, 405, 4, "method DELETE is not allowed on /app")
    assert "PATCH" in resp.headers["Allow"]


@pytest.mark.parametrize("path", ["/app", "/api/v2/app"])
def test_malformed_json_is_400_code_4_with_operation_name(server, path):
    resp = signed(server, "PATCH", path, data=b'{"event_hooks": [', headers={
        "Content-Type": "application/json"})
    assert_stream_error(resp, 400, 4, 'UpdateApp failed with error: "invalid JSON body')


def test_body_over_one_mebibyte_is_413_code_22(server):
    body = json.dumps({"webhook_url": "https://x.example/" + "a" * (1024 * 1024)})
    resp = signed(server, "PATCH", "/app", data=body, headers={"Content-Type": "application/json"})
    assert_stream_error(resp, 413, 22, "1 MiB")


def test_deeply_nested_json_is_400_not_500(server):
    body = "[" * 100_000 + "]" * 100_000
    resp = signed(server, "PATCH", "/app", data=body)
    assert_stream_error(resp, 400, 4, "invalid JSON body")


def test_json_nested_deeper_than_the_limit_is_400_code_4(server):
    body = {"grants": {}}
    node = body["grants"]
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    resp = signed(server, "PATCH", "/app", data=json.dumps(body))
    assert_stream_error(resp, 400, 4, "nested 42 levels deep; at most 32")
