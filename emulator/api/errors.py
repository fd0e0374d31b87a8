"""Every error leaves as Stream's APIError body: never an HTML page, never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from ..errors import (
    DoesNotExistError,
    InputError,
    InternalError,
    MethodNotAllowedError,
    PayloadTooBigError,
    StreamError,
)
from .common import duration

log = logging.getLogger(__name__)

_HTTP_TO_STREAM = {404: DoesNotExistError, 405: MethodNotAllowedError, 413: PayloadTooBigError}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(StreamError, _stream_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _stream_error(error: StreamError):
    body = error.body(getattr(g, "operation", None), duration())
    return body, error.status


def _http_error(error: HTTPException):
    cls = _HTTP_TO_STREAM.get(error.code or 500, InputError)
    if error.code == 404:
        detail = f"no route {request.method} {request.path} in the emulator"
    elif error.code == 405:
        detail = f"method {request.method} is not allowed on {request.path}"
    elif error.code == 413:
        detail = "request body is bigger than the 1 MiB limit"
    else:
        detail = error.description or error.name
    response = _stream_error(cls(detail))
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return response[0], response[1], headers


def _unexpected_error(error: Exception):
    # Log the type only: messages of unexpected errors may carry request data or secrets.
    log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.path)
    return _stream_error(InternalError(f"internal error ({type(error).__name__})"))
