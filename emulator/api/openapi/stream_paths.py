"""Paths of Stream's own API as the emulator serves it: /app, /check_sqs, /check_sns, and
their /api/v2 twins."""

from __future__ import annotations

from typing import Any

from .components import (
    AUTH_ERRORS,
    BODY_ERRORS,
    DURATION_ONLY,
    RATE_LIMIT_HEADERS,
    RATE_LIMITED,
    error_refs,
    json_content,
    ok,
    ref,
)

CHECK_SQS_REQUEST: dict[str, Any] = {
    "type": "object",
    "description": "Empty or null fields: the app's stored legacy sqs_url/sqs_key/sqs_secret.",
    "properties": {name: {"type": ["string", "null"]}
                   for name in ("sqs_url", "sqs_key", "sqs_secret")},
    "additionalProperties": True,
}

CHECK_SQS_RESPONSE: dict[str, Any] = {
    "type": "object",
    "description": 'A failed check is still 201, with status "error", error text and data.',
    "required": ["status", "duration"],
    "properties": {
        "status": {"enum": ["ok", "error"]},
        "error": {"type": "string", "minLength": 1},
        "data": {"type": "object", "required": ["sqs_url", "reason"],
                 "properties": {"sqs_url": {"type": "string"}, "reason": {"type": "string"}}},
        "duration": {"type": "string"},
    },
    "additionalProperties": False,
    "if": {"properties": {"status": {"const": "error"}}},
    "then": {"required": ["error", "data"]},
}


CHECK_SNS_REQUEST: dict[str, Any] = {
    "type": "object",
    "description": "Empty or null fields: the app's SNS hook (an enabled one first), else the "
                   "stored legacy sns_topic_arn/sns_key/sns_secret.",
    "properties": {name: {"type": ["string", "null"]}
                   for name in ("sns_topic_arn", "sns_key", "sns_secret")},
    "additionalProperties": True,
}

CHECK_SNS_RESPONSE: dict[str, Any] = {
    "type": "object",
    "description": 'A failed check is still 201, with status "error", an error starting with '
                   '"publishing the message failed." and data.',
    "required": ["status", "duration"],
    "properties": {
        "status": {"enum": ["ok", "error"]},
        "error": {"type": "string", "pattern": "^publishing the message failed\\. "},
        "data": {"type": "object", "required": ["sns_topic_arn", "reason"],
                 "properties": {"sns_topic_arn": {"type": "string"},
                                "reason": {"type": "string"}}},
        "duration": {"type": "string"},
    },
    "additionalProperties": False,
    "if": {"properties": {"status": {"const": "error"}}},
    "then": {"required": ["error", "data"]},
}


def _get_app(dialect: str, op_id: str) -> dict[str, Any]:
    body = {"type": "object", "required": ["app", "duration"], "additionalProperties": False,
            "properties": {"app": ref(f"App{dialect.upper()}"),
                           "duration": {"type": "string"}}}
    return {
        "operationId": op_id, "tags": ["Stream API"],
        "summary": "The app's settings, event hooks included",
        "responses": {"200": _counted(ok("App settings", body)),
                      **error_refs(AUTH_ERRORS, RATE_LIMITED)},
    }


def _update_app(op_id: str) -> dict[str, Any]:
    return {
        "operationId": op_id, "tags": ["Stream API"],
        "summary": "Change app settings; event_hooks replaces the whole hook set",
        "description": "A rejected PATCH changes nothing.",
        "requestBody": {"required": False, "content": json_content(ref("UpdateAppRequest"))},
        "responses": {"200": _counted(ok("Settings changed", DURATION_ONLY)),
                      **error_refs(BODY_ERRORS, AUTH_ERRORS, RATE_LIMITED)},
    }


def _check_sqs(op_id: str) -> dict[str, Any]:
    return {
        "operationId": op_id, "tags": ["Stream API"],
        "summary": "Check an SQS queue can take messages (sends one test message)",
        "requestBody": {"required": False, "content": json_content(CHECK_SQS_REQUEST)},
        "responses": {"201": _counted(ok("Check result", CHECK_SQS_RESPONSE)),
                      **error_refs(BODY_ERRORS, AUTH_ERRORS, RATE_LIMITED)},
    }


def _check_sns(op_id: str) -> dict[str, Any]:
    return {
        "operationId": op_id, "tags": ["Stream API"],
        "summary": "Check an SNS topic can take messages (publishes one test message)",
        "requestBody": {"required": False, "content": json_content(CHECK_SNS_REQUEST)},
        "responses": {"201": _counted(ok("Check result", CHECK_SNS_RESPONSE)),
                      **error_refs(BODY_ERRORS, AUTH_ERRORS, RATE_LIMITED)},
    }


def _counted(response: dict[str, Any]) -> dict[str, Any]:
    return {**response, "headers": RATE_LIMIT_HEADERS}


def stream_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for prefix, dialect, suffix in (("", "v1", ""), ("/api/v2", "v2", "V2")):
        paths[f"{prefix}/app"] = {
            "get": _get_app(dialect, f"GetApp{suffix}"),
            "patch": _update_app(f"UpdateApp{suffix}"),
        }
        paths[f"{prefix}/check_sqs"] = {"post": _check_sqs(f"CheckSQS{suffix}")}
        paths[f"{prefix}/check_sns"] = {"post": _check_sns(f"CheckSNS{suffix}")}
    return paths
