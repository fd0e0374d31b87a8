"""Stream's own routes: GET/PATCH /app, POST /check_sqs and POST /check_sns.

One blueprint, registered twice by create_app: on the v1 paths (`dialect="v1"`: RFC 3339
timestamps) and under /api/v2 (`dialect="v2"`: integer Unix nanoseconds).
"""

from __future__ import annotations

from flask import Blueprint

from .common import backend, operation, with_duration
from .parse import check_sns_request, check_sqs_request, json_object

stream = Blueprint("stream", __name__)


@stream.get("/app")
@operation("GetApp")
def get_app(dialect: str):
    return with_duration({"app": backend().app_wire(dialect)})


@stream.patch("/app")
@operation("UpdateApp")
def update_app(dialect: str):
    backend().update_app(json_object())
    return with_duration({})


@stream.post("/check_sqs")
@operation("CheckSQS")
def check_sqs(dialect: str):
    url, key, secret = check_sqs_request(json_object())
    return with_duration(backend().check_sqs(url, key, secret)), 201


@stream.post("/check_sns")
@operation("CheckSNS")
def check_sns(dialect: str):
    arn, key, secret = check_sns_request(json_object())
    return with_duration(backend().check_sns(arn, key, secret)), 201
