"""Server-side auth exactly as the SDKs send it: every accepted and rejected form."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

SECRET = "emulator-secret-for-local-use-only"


def call(server, path="/app", *, api_key="emulator-key", token=None, auth_type="jwt",
         method="GET"):
    params = {} if api_key is None else {"api_key": api_key}
    headers = {}
    if token is not None:
        headers["Authorization"] = token
    if auth_type is not None:
        headers["Stream-Auth-Type"] = auth_type
    return requests.request(method, server.base_url + path, params=params, headers=headers,
                            timeout=10)


def server_jwt(**claims):
    return jwt.encode({"server": True, **claims}, SECRET, algorithm="HS256")


def assert_stream_error(resp, status, code, text):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == code
    assert body["StatusCode"] == status
    assert text in body["message"]
    assert set(body) >= {"code", "message", "StatusCode", "duration", "more_info", "details"}


def test_valid_server_token_is_accepted(server):
    resp = call(server, token=server_jwt())
    assert resp.status_code == 200
    assert resp.json()["app"]["name"]


def test_bearer_prefix_and_lower_case_auth_type_header_are_accepted(server):
    resp = call(server, token="Bearer " + server_jwt(), auth_type="JWT")
    assert resp.status_code == 200


@pytest.mark.parametrize("api_key, text", [(None, "api_key not provided"),
                                           ("wrong-key", "api_key is invalid")])
def test_api_key_missing_or_wrong_is_401_code_2(server, api_key, text):
    assert_stream_error(call(server, api_key=api_key, token=server_jwt()), 401, 2, text)


def test_missing_auth_type_header_is_401_code_5(server):
    resp = call(server, token=server_jwt(), auth_type=None)
    assert_stream_error(resp, 401, 5, "stream-auth-type missing or invalid")


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_missing_or_malformed_token_is_401_code_5(server, token):
    assert_stream_error(call(server, token=token), 401, 5, "JWTAuth error")


def test_token_signed_with_another_secret_is_401_code_43(server):
    token = jwt.encode({"server": True}, "another-secret-of-at-least-32-bytes",
                       algorithm="HS256")
    assert_stream_error(call(server, token=token), 401, 43, "signature is not valid")


def test_expired_token_is_401_code_40(server):
    assert_stream_error(call(server, token=server_jwt(exp=int(time.time()) - 60)), 401, 40,
                        "token is expired")


def test_token_not_valid_yet_is_401_code_41(server):
    assert_stream_error(call(server, token=server_jwt(nbf=int(time.time()) + 3600)), 401, 41,
                        "not valid yet")


def test_alg_none_is_rejected(server):
    token = jwt.encode({"server": True}, None, algorithm="none")
    assert_stream_error(call(server, token=token), 401, 5, "'none' is not allowed")


def test_other_hmac_algorithm_is_rejected(server):
    token = jwt.encode({"server": True}, SECRET * 2, algorithm="HS512")  # 64 bytes: no warning
    assert_stream_error(call(server, token=token), 401, 5, "'HS512' is not allowed")


def test_user_token_on_server_endpoint_is_403_code_17(server):
    token = jwt.encode({"user_id": "alice"}, SECRET, algorithm="HS256")
    assert_stream_error(call(server, token=token, method="PATCH"), 403, 17, 'user "alice"')


def test_control_api_needs_auth_but_health_does_not(server):
    assert call(server, "/_emulator/health", api_key=None, auth_type=None).status_code == 200
    resp = call(server, "/_emulator/deliveries", token="bad")
    assert_stream_error(resp, 401, 5, "JWTAuth error")
    assert call(server, "/_emulator/deliveries", token=server_jwt()).status_code == 200


def test_v2_paths_use_the_same_auth(server):
    assert_stream_error(call(server, "/api/v2/app", api_key="nope", token=server_jwt()),
                        401, 2, "api_key is invalid")
    assert call(server, "/api/v2/app", token=server_jwt()).status_code == 200


def test_token_without_user_id_is_a_server_token_as_the_getstream_sdk_signs_it(server):
    # getstream's Stream(api_key, api_secret) signs {} (no "server" claim) for server calls.
    token = jwt.encode({"iat": int(time.time()) - 5}, SECRET, algorithm="HS256")
    assert call(server, token=token).status_code == 200
