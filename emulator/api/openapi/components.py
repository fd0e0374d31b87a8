"""Shared parts of the emulator's OpenAPI document: the error body, responses, security.

The app-settings and hook schemas live in `settings_schemas.py` (derived from `fields.py`).
"""

from __future__ import annotations

from typing import Any

from ...errors import MORE_INFO

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {JSON: {"schema": schema}}


def ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": json_content(schema)}


API_ERROR: dict[str, Any] = {
    "type": "object",
    "description": "Stream's error body; every error the emulator gives has this shape.",
    "required": ["code", "message", "StatusCode", "duration", "more_info", "details"],
    "properties": {
        "code": {"type": "integer", "description": "Stream error code (4 input, 5 auth, …)"},
        "message": {"type": "string"},
        "StatusCode": {"type": "integer", "description": "the HTTP status, repeated"},
        "duration": {"type": "string"},
        "more_info": {"type": "string", "const": MORE_INFO},
        "details": {"type": "array", "items": {"type": "integer"}},
        "exception_fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": False,
}


def _error(status: int, codes: list[int], what: str) -> dict[str, Any]:
    schema = {"allOf": [ref("APIError")], "properties": {
        "StatusCode": {"const": status}, "code": {"enum": codes}}}
    return ok(what, schema)


ERROR_RESPONSES: dict[str, dict[str, Any]] = {
    "InputError": _error(400, [4], "Input error (code 4): the message names the field, "
                         "what was expected and what was received."),
    "AuthError": _error(401, [2, 5, 40, 41, 43], "Authentication failed: api_key missing or "
                        "invalid (2), bad Stream-Auth-Type or token (5), expired (40), not "
                        "valid yet (41), wrong signature (43)."),
    "NotAllowed": _error(403, [17], "A user token where a server token is required (17)."),
    "NotFound": _error(404, [16], "No such route (16)."),
    "MethodNotAllowed": _error(405, [4], "The path exists, the method does not (code 4; "
                               "the Allow header lists the methods)."),
    "PayloadTooBig": _error(413, [22], "Request body over 1 MiB (22)."),
    "TooManyRequests": _error(429, [9], "Over the operation's per-minute limit (9); only "
                              "with rate limits enforced (--rate-limits)."),
}

# Sent on every Stream API answer (lower-case names, as Stream's HTTP/2 answers arrive).
RATE_LIMIT_HEADERS: dict[str, Any] = {
    "x-ratelimit-limit": {"description": "calls allowed per minute for this operation",
                          "schema": {"type": "integer"}},
    "x-ratelimit-remaining": {"description": "calls left in the current minute",
                              "schema": {"type": "integer"}},
    "x-ratelimit-reset": {"description": "Unix time the current minute ends",
                          "schema": {"type": "integer"}},
}
RATE_LIMITED = {"429": "TooManyRequests"}

# Statuses every authenticated operation can give, and the ones a body adds.
AUTH_ERRORS = {"401": "AuthError", "403": "NotAllowed"}
BODY_ERRORS = {"400": "InputError", "413": "PayloadTooBig"}


def error_refs(*groups: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in groups:
        for status, name in group.items():
            out[status] = {"$ref": f"#/components/responses/{name}"}
    return out


SECURITY_SCHEMES: dict[str, Any] = {
    "api_key": {"type": "apiKey", "in": "query", "name": "api_key",
                "description": "The app's API key (STREAM_EMULATOR_API_KEY)."},
    "JWT": {"type": "apiKey", "in": "header", "name": "Authorization",
            "description": "A server token: JWT, HS256 with the app's secret, payload "
                           '{"server": true}; bare or with a "Bearer " prefix.'},
    "stream-auth-type": {"type": "apiKey", "in": "header", "name": "Stream-Auth-Type",
                         "description": 'Must be "jwt" (any case).'},
}
# All three together: one requirement object, so a client sends every one of them.
SERVER_AUTH: list[dict[str, list[str]]] = [{"api_key": [], "JWT": [], "stream-auth-type": []}]

DURATION_ONLY: dict[str, Any] = {
    "type": "object", "required": ["duration"],
    "properties": {"duration": {"type": "string"}}, "additionalProperties": False,
}
