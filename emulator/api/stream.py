"""Stream's own routes: GET/PATCH /app and POST /check_sqs, on v1 paths and under /api/v2.

The v1 family speaks RFC 3339 timestamps, the v2 family integer Unix nanoseconds.
"""

from __future__ import annotations

from flask import Blueprint, g

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


_register(stream_v1, "v1")
_register(stream_v2, "v2")
