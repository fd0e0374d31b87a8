"""Stream's own routes: GET/PATCH /app and POST /check_sqs, on v1 paths and under /api/v2.

The v1 family speaks RFC 3339 timestamps, the v2 family integer Unix nanoseconds.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from ..errors import InputError
from ..fields import json_type
from .common import backend, json_body, require_server_auth, with_duration

stream_v1 = Blueprint("stream_v1", __name__)
stream_v2 = Blueprint("stream_v2", __name__)


def _register(bp: Blueprint, dialect: str) -> None:
    @bp.get("/app")
    def get_app():
        g.operation = "GetApp"
        require_server_auth()
        return with_duration({"app": backend().app_wire(dialect)})

    @bp.patch("/app")
    def update_app():
        g.operation = "UpdateApp"
        require_server_auth()
        backend().update_app(json_body())
        return with_duration({})

    @bp.post("/check_sqs")
    def check_sqs():
        g.operation = "CheckSQS"
        require_server_auth()
        return with_duration(backend().check_sqs(json_body())), 201

    @bp.post("/check_sns")
    def check_sns():
        g.operation = "CheckSNS"
        require_server_auth()
        arn, key, secret = check_sns_fields(json_body())
        return with_duration(backend().check_sns(arn, key, secret)), 201


def check_sns_fields(body: Any) -> tuple[str | None, str | None, str | None]:
    """(sns_topic_arn, sns_key, sns_secret) of a CheckSNS body; null/absent → None."""
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {json_type(body)}")
    values = []
    for name in ("sns_topic_arn", "sns_key", "sns_secret"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be a string, got {json_type(value)}")
        values.append(value or None)
    return values[0], values[1], values[2]


_register(stream_v1, "v1")
_register(stream_v2, "v2")
